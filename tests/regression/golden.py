#!/usr/bin/python3
"""The golden scenario: scenarios/celac_customs_union.toml cut to 2023-2030, whose key
results are stored in tests/regression/ref/celac_customs_union_2030.csv.

    /usr/bin/python3 tests/regression/golden.py --update   # regenerate (explicitly, after a reviewed change)
    /usr/bin/python3 tests/regression/golden.py            # compare (tests/python/test_golden.py does this)

Tolerances: relative 1e-7 and absolute 1e-9 on every value. The solver stops at a trade
imbalance of 1e-10 of value added, so values agree far closer than that on any machine;
a change beyond it is a change of the model or the data and must be reviewed.
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
import xarray as xr

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "regression" / "ref" / "celac_customs_union_2030.csv"
VARIABLES = ["welfare_change", "welfare_change_linearized", "terms_of_trade_effect", "volume_of_trade_effect",
             "gdp_volume_change"]
LEVELS = ["gdp_volume", "exports", "tariff_revenue"]
RTOL, ATOL = 1e-7, 1e-9


def current(integra):
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "golden.h5"
        subprocess.run([integra, "run", str(ROOT / "scenarios" / "celac_customs_union.toml"), "--set",
                        "horizon.last_year=2030", "-o", str(out), "--quiet"], check=True, stderr=subprocess.DEVNULL)
        with xr.open_dataset(out, engine="h5netcdf") as ds:
            frames = [ds[v].to_dataframe().reset_index().assign(variable=v, case="effect").rename(columns={v: "value"})
                      for v in VARIABLES]
            frames += [ds[v].to_dataframe().reset_index().assign(variable=v).rename(columns={v: "value"}) for v in LEVELS]
    table = pd.concat(frames)[["variable", "case", "year", "region", "value"]]
    return table.sort_values(["variable", "case", "year", "region"]).reset_index(drop=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the reference file")
    parser.add_argument("--integra", default=os.environ.get("INTEGRA_BIN", str(ROOT / "build" / "tools" / "integra")))
    args = parser.parse_args()
    table = current(args.integra)
    if args.update:
        table.to_csv(REFERENCE, index=False, float_format="%.17g")
        print(f"wrote {REFERENCE} ({len(table)} values)")
        return 0
    reference = pd.read_csv(REFERENCE)
    if len(reference) != len(table) or not (reference[["variable", "case", "year", "region"]].values ==
                                            table[["variable", "case", "year", "region"]].values).all():
        print("the golden run's layout differs from the reference (variables, cases, years or regions)")
        return 1
    bad = ~np.isclose(table.value, reference.value, rtol=RTOL, atol=ATOL)
    if bad.any():
        diff = table[bad].assign(reference=reference.value[bad], difference=table.value[bad] - reference.value[bad])
        print(f"{int(bad.sum())} of {len(table)} values differ beyond rtol={RTOL}, atol={ATOL}:")
        print(diff.head(20).to_string())
        return 1
    print(f"all {len(table)} values within rtol={RTOL}, atol={ATOL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
