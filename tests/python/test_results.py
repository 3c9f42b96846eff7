"""Results files open in xarray with no custom code, and do not depend on the thread count."""
import os
import pathlib
import subprocess

import numpy as np
import pytest
import xarray as xr

ROOT = pathlib.Path(os.environ.get("INTEGRA_ROOT", pathlib.Path(__file__).resolve().parents[2]))
INTEGRA = os.environ.get("INTEGRA_BIN", str(ROOT / "build" / "tools" / "integra"))
DEMO = ROOT / "scenarios" / "demo.toml"


def run(scenario, out, *extra):
    subprocess.run([INTEGRA, "run", str(scenario), "-o", str(out), "--quiet", *extra], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return out


@pytest.fixture(scope="module")
def flagship_file(tmp_path_factory):
    return run(ROOT / "scenarios" / "celac_customs_union.toml", tmp_path_factory.mktemp("flagship") / "cu.h5",
               "--set", "horizon.last_year=2030")


def test_region_names_are_a_coordinate(flagship_file):
    """region_name (from the dataset's regions.csv) is an auxiliary coordinate: select by country name."""
    with xr.open_dataset(flagship_file, engine="h5netcdf") as ds:
        assert "region_name" in ds.coords and ds.region_name.dims == ("region",)
        assert ds.region_name.sel(region="BRA").item() == "Brazil"
        assert ds.welfare_change.coords["region_name"].sel(region="MEX").item() == "Mexico"
        by_name = ds.swap_dims(region="region_name")
        assert float(by_name.welfare_change.sel(region_name="Brazil", year=2030)) == \
            float(ds.welfare_change.sel(region="BRA", year=2030))


def test_flagship_time_series_by_case_year_region(flagship_file):
    with xr.open_dataset(flagship_file, engine="netcdf4") as ds:
        assert ds.gdp_volume.dims == ("case", "year", "region")
        assert ds.sizes["region"] == 38 and list(ds.year.values) == list(range(2023, 2031))
        assert ds.welfare_change.attrs["units"] == "1"
        brazil = ds.gdp_volume.sel(region="BRA")
        assert float(brazil.sel(case="baseline", year=2030)) > float(brazil.sel(case="baseline", year=2023))
        assert float(ds.welfare_change.sel(year=2026).max()) == 0.0      # before the union starts
        assert list(ds.bloc.values) == ["customs_union[0]"]
        assert float(ds.intra_bloc_trade_share.sel(case="scenario", year=2030)) > \
            float(ds.intra_bloc_trade_share.sel(case="baseline", year=2030))
        assert float(ds.solver_residual.max()) <= 1e-10
        shares = ds.trade_share.sum("exporter")
        assert abs(float(shares.max()) - 1) < 1e-12 and abs(float(shares.min()) - 1) < 1e-12


def test_gdp_measures_say_what_they_are(flagship_file):
    """GDP volume (double deflation at base-year prices), GDP at market prices, welfare
    (real income) and the real wage: definitions and identities in the file."""
    with xr.open_dataset(flagship_file, engine="h5netcdf") as ds:
        assert "real_gdp" not in ds and "real_gdp_change" not in ds   # value added / CPI was a price measure
        volume = ds.gdp_volume
        assert volume.attrs["units"] == "1" and "base-year prices" in volume.attrs["long_name"]
        np.testing.assert_array_equal(volume.sel(year=2023).values, 1.0)   # the base year, both cases
        assert float(volume.sel(case="baseline", year=2030).sum()) > 38.0   # effective labour grows
        change = volume.sel(case="scenario") / volume.sel(case="baseline") - 1
        np.testing.assert_allclose(ds.gdp_volume_change.values, change.values, rtol=0, atol=1e-15)
        np.testing.assert_allclose(ds.gdp_market_prices.values, (ds.gdp + ds.tariff_revenue).values, rtol=1e-14)
        assert "gdp_market_prices_change" not in ds  # a nominal change reads as growth: not written
        assert "welfare" in ds.real_income.attrs["long_name"] and "Caliendo & Parro" in ds.real_income.attrs["long_name"]
        assert "eq. 15" in ds.real_wage_index.attrs["long_name"]
        # A customs union changes tariffs only: labour and technology are the same in both
        # cases, so GDP volume moves at second order, far less than welfare (Kehoe & Ruhl 2008).
        members = ds.bloc_member.sel(bloc="customs_union[0]") > 0.5
        welfare = abs(ds.welfare_change.sel(year=2030).where(members, drop=True))
        gdp = abs(ds.gdp_volume_change.sel(year=2030).where(members, drop=True))
        assert float(welfare.max()) > 1e-4
        assert float(gdp.max()) < float(welfare.max())
        assert float(gdp.median()) < 0.1 * float(welfare.median())


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    return run(DEMO, tmp_path_factory.mktemp("demo") / "demo.h5")


@pytest.mark.parametrize("engine", ["h5netcdf", "netcdf4"])
def test_opens_with_named_dimensions_and_labels(demo_file, engine):
    with xr.open_dataset(demo_file, engine=engine) as ds:
        assert dict(ds.sizes) == {"case": 2, "year": 13, "region": 3, "sector": 2, "exporter": 3, "importer": 3}
        assert list(ds.region.values) == ["north", "south", "east"]
        assert ds.gross_output.dims == ("case", "year", "region", "sector")
        south = ds.gdp.sel(region="south", case="scenario", year=2035)
        assert float(south) > float(ds.gdp.sel(region="south", case="baseline", year=2035))


def test_every_variable_has_units_and_a_description(demo_file):
    with xr.open_dataset(demo_file, engine="h5netcdf") as ds:
        for name, var in ds.data_vars.items():
            assert var.attrs.get("units"), name
            assert var.attrs.get("long_name"), name
        assert ds.gdp.attrs["units"] == "million USD/year"


def test_provenance_attributes(demo_file):
    with xr.open_dataset(demo_file, engine="h5netcdf") as ds:
        attrs = ds.attrs
        assert attrs["source"].startswith("integra ")
        assert attrs["dataset"] == "demo3x2"
        assert attrs["dataset_checksum"].startswith("fnv1a64:")
        assert 'dataset = "demo3x2"' in attrs["scenario"]
        assert int(attrs["threads"]) >= 1
        for key in ("start_time", "end_time", "host", "history"):
            assert attrs[key]


def test_deviation_from_baseline_reads_naturally(demo_file):
    with xr.open_dataset(demo_file, engine="h5netcdf") as ds:
        deviation = ds.gdp.sel(case="scenario") / ds.gdp.sel(case="baseline") - 1
        assert float(deviation.sel(year=2025).max()) == 0.0   # before the shock
        assert float(deviation.sel(year=2035, region="south")) > 0.0
        df = ds.gross_output.sel(case="baseline").to_dataframe()
        assert df.index.names == ["year", "region", "sector"]


@pytest.mark.parametrize("scenario,extra", [
    (DEMO, ()),
    (ROOT / "scenarios" / "celac_customs_union.toml", ("--set", "horizon.last_year=2029")),
])
def test_thread_count_does_not_change_results(tmp_path, scenario, extra):
    one = run(scenario, tmp_path / "j1.h5", "-j", "1", *extra)
    two = run(scenario, tmp_path / "j2.h5", "-j", "2", *extra)
    with xr.open_dataset(one, engine="h5netcdf") as a, xr.open_dataset(two, engine="h5netcdf") as b:
        assert int(a.attrs["threads"]) == 1 and int(b.attrs["threads"]) == 2
        for name in a.data_vars:
            np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


def test_slurm_cpus_per_task_sets_the_thread_count(tmp_path):
    out = tmp_path / "slurm.h5"
    env = dict(os.environ, SLURM_CPUS_PER_TASK="1")
    subprocess.run([INTEGRA, "run", str(DEMO), "-o", str(out), "--quiet"], check=True, env=env,
                   stderr=subprocess.DEVNULL)
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert int(ds.attrs["threads"]) == 1
