"""The golden scenario matches its stored reference output (tests/regression/golden.py)."""
import os
import pathlib
import subprocess

ROOT = pathlib.Path(os.environ.get("INTEGRA_ROOT", pathlib.Path(__file__).resolve().parents[2]))


def test_golden_scenario_matches_the_reference():
    done = subprocess.run(["/usr/bin/python3", str(ROOT / "tests" / "regression" / "golden.py")], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr
