"""The independent NumPy reference for Caliendo & Parro (2015) (tests/bench/cp_reference.py):
the original algorithm (wage loop, dense NJ x NJ expenditure solve, stop at sum|Z| <= 1e-7)
on the authors' zero-deficit 1993 base must give the paper's Table 2 to its printed digits
and agree with the C++ engine's values on the same base. Takes ~25 s; needs
../shared/data (CI has it) and skips without it."""
import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(os.environ.get("INTEGRA_ROOT", pathlib.Path(__file__).resolve().parents[2]))
SHARED = pathlib.Path(os.environ.get("INTEGRA_SHARED_DATA", ROOT.parent / "shared" / "data"))
BASE = SHARED / "caliendo-parro" / "calibrated" / "base_1993_noS"
SCRIPT = ROOT / "tests" / "bench" / "cp_reference.py"

pytestmark = pytest.mark.skipif(not BASE.is_dir(), reason=f"{BASE} not found (set INTEGRA_SHARED_DATA)")

COLUMNS = ("total", "tot", "vot", "real_wage")
# Table 2 of the paper, percent: total (eq. 16), terms of trade, volume of trade, real wage.
TABLE_2 = {
    "MEX": (1.31, -0.41, 1.72, 1.72),
    "CAN": (-0.06, -0.11, 0.04, 0.32),
    "USA": (0.08, 0.04, 0.04, 0.11),
}
# The C++ engine on the same authors' base (percent), solved to a residual <= 1e-10.
ENGINE = {
    "MEX": (1.3121137230, -0.4117712029, 1.7238849259, 1.7153229072),
    "CAN": (-0.0638163450, -0.1081022571, 0.0442859121, 0.3228289512),
    "USA": (0.0847533226, 0.0435315360, 0.0412217866, 0.1124427482),
}
# The original algorithm stops at sum|Z| <= 1e-7 (model units), so it agrees with the
# engine only to about that accuracy (observed: ~4e-7 percentage points).
ENGINE_TOL_PP = 1e-5


@pytest.fixture(scope="module")
def reference():
    done = subprocess.run([sys.executable, str(SCRIPT), "--data", str(SHARED), "--json"],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def test_table_2_matches_the_paper_to_its_printed_digits(reference):
    for region, paper in TABLE_2.items():
        ours = tuple(reference["table2_percent"][region][c] for c in COLUMNS)
        assert tuple(round(x, 2) + 0.0 for x in ours) == paper, (region, ours)


def test_agrees_with_the_engine(reference):
    diffs = {(region, c): abs(reference["table2_percent"][region][c] - ENGINE[region][k])
             for region in ENGINE for k, c in enumerate(COLUMNS)}
    worst = max(diffs, key=diffs.get)
    print(f"max |reference - engine| = {diffs[worst]:.3e} pp at {worst}")
    assert diffs[worst] <= ENGINE_TOL_PP, (worst, diffs[worst])


def test_stopped_by_the_original_criterion(reference):
    assert reference["sum_abs_Z"] <= 1e-7
    assert reference["outer_iterations"] > 1
