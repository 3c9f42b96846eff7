"""Sweeps: one file with a `point` dimension that xarray reads as is; a point equals the run of
its scenario, bit for bit; results do not depend on threads, shards or interruptions."""
import os
import pathlib
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import xarray as xr

ROOT = pathlib.Path(os.environ.get("INTEGRA_ROOT", pathlib.Path(__file__).resolve().parents[2]))
INTEGRA = os.environ.get("INTEGRA_BIN", str(ROOT / "build" / "tools" / "integra"))
SMALL = ROOT / "tests" / "sweep" / "small_sweep.toml"
sys.path.insert(0, str(ROOT / "tests" / "regression"))
from same_results import differences  # noqa: E402


def integra(*args, check=True):
    return subprocess.run([INTEGRA, *map(str, args)], check=check, capture_output=True, text=True)


def bits(a):
    return np.asarray(a, dtype=np.float64).view(np.uint64)


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "small.h5"
    integra("sweep", SMALL, "-o", out, "-j", "2", "-q")
    return out


def test_the_sweep_opens_as_one_dataset_with_a_point_dimension(sweep_file):
    with xr.open_dataset(sweep_file, engine="h5netcdf") as ds:
        assert ds.sizes["point"] == 12 and list(ds.point.values) == list(range(12))
        assert ds.welfare_change.dims == ("point", "year", "region")
        for key in ("customs_union.0.external_tariff", "customs_union.0.revenue", "equilibrium.trade_elasticity_scale"):
            assert key in ds.coords
        # The grid: first key slowest.
        assert list(ds["customs_union.0.external_tariff"].values[:4]) == ["trade_weighted_mfn_mean"] * 4
        assert list(ds["equilibrium.trade_elasticity_scale"].values[:2]) == [0.75, 1.25]
        assert (ds.point_status == "ok").all()
        assert ds.region_name.sel(region="BRA").item() == "Brazil"  # country names, as in a run's file
        band = ds.welfare_change.quantile([0.05, 0.5, 0.95], dim="point").sel(year=2027, region="BRA")
        assert float(band[0]) <= float(band[1]) <= float(band[2])
        # The scale multiplies the dataset's elasticities.
        theta = ds.trade_elasticity.sel(sector="manufacturing")
        assert float(theta.isel(point=1)) == pytest.approx(1.25 / 0.75 * float(theta.isel(point=0)), rel=1e-15)
    with xr.open_dataset(sweep_file, engine="netcdf4") as ds:
        assert "customs_union.0.revenue" in ds.coords


def test_a_point_is_the_run_of_its_scenario_bit_for_bit(sweep_file, tmp_path):
    point = 9  # minimum CET, revenue kept, elasticities x 1.25
    run_file = tmp_path / "p9.h5"
    integra("run", SMALL, "--sweep-point", point, "-o", run_file, "-q")
    by_set = tmp_path / "set.h5"
    integra("run", SMALL, "-o", by_set, "-q", "--set", 'customs_union.0.external_tariff="minimum"',
            "--set", 'customs_union.0.revenue="kept"', "--set", "equilibrium.trade_elasticity_scale=1.25")
    with xr.open_dataset(sweep_file, engine="h5netcdf") as sweep, xr.open_dataset(run_file, engine="h5netcdf") as one, \
            xr.open_dataset(by_set, engine="h5netcdf") as manual:
        assert sweep["customs_union.0.external_tariff"].values[point] == "minimum"
        assert sweep["customs_union.0.revenue"].values[point] == "kept"
        for name in ("welfare_change", "gdp_volume", "tariff_revenue", "intra_bloc_trade_share", "trade_elasticity"):
            assert (bits(sweep[name].isel(point=point).values) == bits(one[name].values)).all(), name
            assert (bits(one[name].values) == bits(manual[name].values)).all(), name
        assert one.attrs["sweep_point"] == point


def test_a_one_point_sweep_equals_the_run(tmp_path):
    scenario = tmp_path / "one.toml"
    flagship = ROOT / "scenarios" / "celac_customs_union.toml"
    scenario.write_text(f'extends = "{flagship}"\nname = "one"\n[horizon]\nlast_year = 2027\n'
                        '[sweep.vary]\n"customs_union.0.revenue" = ["kept"]\n')
    integra("sweep", scenario, "-o", tmp_path / "one.h5", "-q")
    integra("run", scenario, "-o", tmp_path / "run.h5", "-q")
    with xr.open_dataset(tmp_path / "one.h5", engine="h5netcdf") as sweep, \
            xr.open_dataset(tmp_path / "run.h5", engine="h5netcdf") as run:
        assert sweep.sizes["point"] == 1
        for name in sweep.data_vars:
            if name in ("point_status", "point_error"):
                continue
            assert (bits(sweep[name].isel(point=0).values) == bits(run[name].values)).all(), name


def test_threads_and_shards_give_the_same_file(sweep_file, tmp_path):
    integra("sweep", SMALL, "-o", tmp_path / "j1.h5", "-j", "1", "-q")
    assert differences(sweep_file, tmp_path / "j1.h5") == []
    parts = []
    for k in (1, 2, 3):
        parts.append(tmp_path / f"part{k}.h5")
        integra("sweep", SMALL, "--shard", f"{k}/3", "-o", parts[-1], "-q")
    integra("merge", *parts, "-o", tmp_path / "merged.h5")
    assert differences(sweep_file, tmp_path / "merged.h5") == []


def test_a_killed_sweep_resumes_to_the_same_file(tmp_path):
    scenario = tmp_path / "slow.toml"
    scenario.write_text(f'extends = "{SMALL}"\nname = "slow"\n[horizon]\nlast_year = 2040\n[sweep]\nbatch_size = 1\n')
    integra("sweep", scenario, "-o", tmp_path / "whole.h5", "-j", "1", "-q")
    out = tmp_path / "killed.h5"
    process = subprocess.Popen([INTEGRA, "sweep", scenario, "-o", out, "-j", "1", "-q"], stderr=subprocess.DEVNULL)
    batches = pathlib.Path(str(out) + ".batches")
    deadline = time.time() + 60
    while time.time() < deadline and len(list(batches.glob("batch-*.h5"))) < 3:
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not out.exists()
    committed = len(list(batches.glob("batch-*.h5")))
    assert 0 < committed < 12
    again = integra("sweep", scenario, "-o", out, "-q", check=False)  # without --resume: refused, nothing lost
    assert again.returncode == 2 and "--resume" in again.stderr
    assert len(list(batches.glob("batch-*.h5"))) == committed
    resumed = integra("sweep", scenario, "-o", out, "--resume", "-q")
    assert "already done" in resumed.stderr
    assert not batches.exists()
    assert differences(tmp_path / "whole.h5", out) == []


def test_monte_carlo_draws_are_reproducible_and_any_point_reruns_alone(tmp_path):
    scenario = tmp_path / "mc.toml"
    scenario.write_text(f'extends = "{SMALL}"\nname = "mc"\n[sweep]\ndesign = "monte_carlo"\npoints = 6\nseed = 7\n'
                        '[sweep.vary]\n"equilibrium.trade_elasticity" = "caliendo_parro_2015"\n')
    integra("sweep", scenario, "-o", tmp_path / "mc.h5", "-q", "-j", "2")
    integra("run", scenario, "--sweep-point", "4", "-o", tmp_path / "p4.h5", "-q")
    with xr.open_dataset(tmp_path / "mc.h5", engine="h5netcdf") as mc, \
            xr.open_dataset(tmp_path / "p4.h5", engine="h5netcdf") as p4:
        draws = mc["equilibrium.trade_elasticity.manufacturing"].values
        assert len(set(draws)) == 6 and np.all(draws > 0)
        assert (bits(mc.trade_elasticity.isel(point=4).values) == bits(p4.trade_elasticity.values)).all()
        assert (bits(mc.welfare_change.isel(point=4).values) == bits(p4.welfare_change.values)).all()


def test_a_point_without_equilibrium_is_recorded_and_the_sweep_goes_on(tmp_path):
    scenario = tmp_path / "fails.toml"
    flagship = ROOT / "scenarios" / "celac_customs_union.toml"
    scenario.write_text(f'extends = "{flagship}"\nname = "fails"\n[horizon]\nlast_year = 2028\n'
                        '[sweep.vary]\n"equilibrium.max_iterations" = [1000, 1]\n')
    result = integra("sweep", scenario, "-o", tmp_path / "fails.h5", check=False)
    assert result.returncode == 3, result.stderr
    assert "1 of 2 point(s) ok, 1 failed" in result.stdout
    with xr.open_dataset(tmp_path / "fails.h5", engine="h5netcdf") as ds:
        assert list(ds.point_status.values) == ["ok", "failed"]
        assert "did not converge" in ds.point_error.values[1] or "iterations" in ds.point_error.values[1]
        assert ds.point_error.values[0] == ""
        assert np.isnan(ds.welfare_change.isel(point=1)).all()
        assert np.isfinite(ds.welfare_change.isel(point=0)).all()
