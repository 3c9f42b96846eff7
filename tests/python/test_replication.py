"""Caliendo & Parro (2015) from the command line: import the package's raw files with
`integra data import cp`, run scenarios/replication/*.toml, and check the paper's Table 2
to its printed digits in the results file. Needs ../shared/data (CI has it); skips without."""
import os
import pathlib
import subprocess

import pytest
import xarray as xr

ROOT = pathlib.Path(os.environ.get("INTEGRA_ROOT", pathlib.Path(__file__).resolve().parents[2]))
INTEGRA = os.environ.get("INTEGRA_BIN", str(ROOT / "build" / "tools" / "integra"))
SHARED = pathlib.Path(os.environ.get("INTEGRA_SHARED_DATA", ROOT.parent / "shared" / "data"))
RAW = SHARED / "caliendo-parro" / "raw"

pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason=f"{RAW} not found (set INTEGRA_SHARED_DATA)")

# Table 2 of the paper, percent: total (eq. 16), terms of trade, volume of trade, real wage.
TABLE_2 = {
    "MEX": (1.31, -0.41, 1.72, 1.72),
    "CAN": (-0.06, -0.11, 0.04, 0.32),
    "USA": (0.08, 0.04, 0.04, 0.11),
}


@pytest.fixture(scope="module")
def data_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    for name, deficits in (("cp1993_nos", "zero"), ("cp1993_withs", "observed")):
        subprocess.run([INTEGRA, "data", "import", "cp", str(RAW), "--deficits", deficits, "-o", str(folder / name)],
                       check=True, stderr=subprocess.PIPE)
    return folder


def run(data_path, tmp_path, scenario):
    out = tmp_path / f"{scenario}.h5"
    env = dict(os.environ, INTEGRA_DATA_PATH=str(data_path))
    done = subprocess.run([INTEGRA, "run", str(ROOT / "scenarios" / "replication" / f"{scenario}.toml"), "-o", str(out)],
                          check=True, env=env, capture_output=True, text=True)
    return xr.open_dataset(out, engine="h5netcdf"), done.stdout


def effects(ds, region):
    at = ds.sel(year=1993, region=region)
    return tuple(100 * float(at[v]) for v in ("welfare_change_linearized", "terms_of_trade_effect",
                                              "volume_of_trade_effect", "real_wage_change"))


def test_table_2_matches_the_paper_to_its_printed_digits(data_path, tmp_path):
    ds, stdout = run(data_path, tmp_path, "nafta_cp2015")
    for region, paper in TABLE_2.items():
        ours = effects(ds, region)
        assert tuple(round(x, 2) + 0.0 for x in ours) == paper, (region, ours)
    # The summary on stdout shows the same numbers.
    assert "MEX" in stdout and "+1.3121" in stdout
    assert float(ds.solver_residual.sel(case="scenario", year=1993)) <= 1e-10


def test_exact_welfare_is_much_smaller_than_the_linearized_total(data_path, tmp_path):
    ds, _ = run(data_path, tmp_path, "nafta_cp2015")
    assert 100 * float(ds.welfare_change.sel(year=1993, region="MEX")) == pytest.approx(0.0073, abs=5e-4)


def test_world_and_deficit_variants_run_and_are_stable(data_path, tmp_path):
    # Our own values, pinned as regressions (docs/validation.md); not compared with the paper.
    world, _ = run(data_path, tmp_path, "world_cp2015")
    assert effects(world, "MEX") == pytest.approx((1.3616, -0.4034, 1.7650, 1.9765), abs=1e-3)
    deficits, _ = run(data_path, tmp_path, "nafta_cp2015_deficits")
    assert effects(deficits, "MEX") == pytest.approx((1.1743, -0.4145, 1.5888, 1.6405), abs=1e-3)
