#!/usr/bin/python3
"""A22: the sector composition of gross fixed capital formation, beta^j_n (investment_shares.csv).

The development bank's composition channel spends disbursements on beta^j_n.  The only table in
../shared/data with GFCF by sector is the Brazil IOM 2020 (51 sectors, BRL million, basic prices):
its "Gross Fixed Capital Formation" column holds domestic GFCF by supplying sector (rows 1..51),
then one Imports row (not by product), product taxes (Import tax, IPI, ICMS, Other Taxes; their
sum is the "Taxes" row) and trade/transport margins ("Margins" = Commerce + Transport).

Treatment (DATA.md A22):
  - domestic rows 1..51 -> the 4 sectors with the 51->4 map of A1/A2 (build_celac38.BR_SECTOR4);
  - Imports -> manufacturing: imported capital goods are machinery and equipment (an assumption:
    the table has one import row, not one per product);
  - margins -> services (trade and transport); in this table the margin rows of the GFCF column
    are zero (|x| < 1e-11) because the margins on investment goods are already in the Commerce
    (37) and Transport (38) rows, which map to services;
  - product taxes are dropped, which is the same as spreading them pro rata over the flows above.
beta = the 4 sums / their total.  Brazil's beta is applied to every region (no other table here
has the detail).

Standalone (prints the numbers, or writes the file into an existing dataset folder):
    /usr/bin/python3 tools/dataset_builder/investment_shares.py --shared-data ../shared/data [--out data/celac38]
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import pandas as pd

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dataset_format import write_csv  # noqa: E402

SOURCE = os.path.join("brazil_io_table_2020", "brazil_iom_2020_51sectors_long.csv")
GFCF_COLUMN = "Gross Fixed Capital Formation"
IMPORTS_ROW = "Imports"
TAX_ROWS = ("Import tax", "IPI (Tax on Industrialized Products)", "ICMS (Tax on Circulation of Goods and Services)",
            "Other Taxes")
TAXES_TOTAL_ROW = "Taxes"
MARGINS_ROW = "Margins"
TOTAL_ROW = "Intermediate Consumption (CI)"   # column total at purchasers' prices
IMPORTS_SECTOR = 2   # manufacturing (model order of build_celac38.SECTORS)
MARGINS_SECTOR = 3   # services


def brazil_gfcf(sd: str, sector4: dict[int, int], k: int = 4) -> dict:
    """Brazil's GFCF in BRL million by the k sectors, with the parts of the column.

    Returns {"domestic": k-vector, "imports": float, "margins": float, "taxes": float,
    "total": float (the column's CI row), "flows": k-vector (domestic + imports + margins),
    "beta": flows / sum(flows), "detail": {51-sector label: value}}.  Raises ValueError when the
    column's parts do not add up to its total (a changed source file)."""
    d = pd.read_csv(os.path.join(sd, SOURCE))
    g = d[d.col_label == GFCF_COLUMN]
    dom = g[g.row_sector_code.notna()]
    if sorted(int(c) for c in dom.row_sector_code) != list(range(1, 52)):
        raise ValueError(f"{SOURCE}: expected GFCF rows for sectors 1..51")
    domestic = np.zeros(k)
    for r in dom.itertuples():
        domestic[sector4[int(r.row_sector_code)]] += r.value_million_brl
    other = g[g.row_sector_code.isna()].set_index("row_label").value_million_brl
    imports = float(other[IMPORTS_ROW])
    margins = float(other[MARGINS_ROW])
    taxes = float(sum(other[t] for t in TAX_ROWS))
    total = float(other[TOTAL_ROW])
    if abs(taxes - float(other[TAXES_TOTAL_ROW])) > 1e-6 * total:
        raise ValueError(f"{SOURCE}: GFCF tax rows sum to {taxes}, the Taxes row is {other[TAXES_TOTAL_ROW]}")
    if abs(domestic.sum() + imports + margins + taxes - total) > 1e-6 * total:
        raise ValueError(f"{SOURCE}: GFCF parts {domestic.sum() + imports + margins + taxes} differ from the total {total}")
    flows = domestic.copy()
    flows[IMPORTS_SECTOR] += imports
    flows[MARGINS_SECTOR] += margins
    if np.any(flows < 0):
        raise ValueError(f"{SOURCE}: negative GFCF flows {flows}")
    return {"domestic": domestic, "imports": imports, "margins": margins, "taxes": taxes, "total": total,
            "flows": flows, "beta": flows / flows.sum(),
            "detail": {r.row_label: float(r.value_million_brl) for r in dom.itertuples()}}


def rows(beta: np.ndarray, regions: list[str], sectors: list[str]) -> list[list]:
    """investment_shares.csv rows (region, sector, value), sorted, beta rounded to 9 significant
    digits like every file; the last sector of each region takes the rounding remainder so that
    each region's written shares sum to 1 (the loader's tolerance is 1e-6)."""
    b = np.array([float("%.9g" % x) for x in beta])
    b[-1] = float("%.9g" % (1.0 - b[:-1].sum()))
    return sorted([[r, s, b[k]] for r in regions for k, s in enumerate(sectors)])


def write(out: str, beta: np.ndarray, regions: list[str], sectors: list[str]) -> None:
    write_csv(os.path.join(out, "investment_shares.csv"), ["region", "sector", "value"], rows(beta, regions, sectors))


def main(argv=None) -> int:
    import build_celac38 as b  # noqa: E402  (the region, sector and 51->4 definitions)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared-data", required=True, help="path to ../shared/data")
    ap.add_argument("--out", help="dataset folder to write investment_shares.csv into (else print only)")
    a = ap.parse_args(argv)
    g = brazil_gfcf(a.shared_data, b.BR_SECTOR4, b.K)
    for k, s in enumerate(b.SECTORS):
        print(f"{s:18s} domestic {g['domestic'][k]:12.1f}  flow {g['flows'][k]:12.1f}  beta {g['beta'][k]:.6f}")
    print(f"imports {g['imports']:.1f} (-> manufacturing), margins {g['margins']:.3g} (-> services), "
          f"taxes {g['taxes']:.1f} (dropped), total at purchasers' prices {g['total']:.1f} BRL million")
    if a.out:
        write(a.out, g["beta"], b.REGIONS, b.SECTORS)
        print(f"wrote {os.path.join(a.out, 'investment_shares.csv')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
