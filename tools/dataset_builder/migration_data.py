#!/usr/bin/python3
"""A23: migrant stocks by origin and destination (migrant_stocks.csv) and remittances received as a
share of GDP (remittances.csv), for the free-movement-of-workers module (issue 13).

Sources (../shared/data):
  - undesa_migrant_stocks/DERIVED_bilateral_stocks_2020_2024_celac_origin_or_destination.csv:
    UN DESA International Migrant Stock 2024 (both sexes, persons), as cleaned by IOM's gdidata R
    package; rows only where the origin OR the destination is a CELAC state; origin "OOO" = other
    or unknown.
  - undesa_migrant_stocks/DERIVED_remittances_pct_gdp_celac_2015_2023.csv: WDI personal remittances
    received (BX.TRF.PWKR.CD.DT) / GDP (NY.GDP.MKTP.CD) * 100, CELAC states (gdidata's WDI extract).
  - world_bank_wdi_indicators/bx.trf.pwkr.cd.dt, ny.gdp.mktp.cd: the same two WDI series for every
    country (a later WDI vintage), used for USA, CAN, CHN, EU27 and ROW.

Treatment (DATA.md A23):
  migrant_stocks.csv (origin,destination,value; thousand persons, like population.csv):
  - 2024 rows; ISO3 codes to the 38 regions with build_celac38.region_of (EU27 members -> EU27,
    every code not a region -> ROW, e.g. Puerto Rico, French Guiana, Hong Kong: UN DESA treats
    them as separate entities and so does population.csv);
  - origin "OOO" (other/unknown) dropped, its total reported;
  - cells whose origin and destination fall in the same region (migrants within EU27 or within
    ROW) are not moves between model regions and are dropped; the source has none (every row has
    a CELAC end and no row has origin == destination), which the builder checks;
  - pairs with no CELAC end (e.g. CHN -> USA) are not in the source: they are absent from the file
    and zero in the model;
  - a cell is written when at least one source row falls in it (a cell that sums to 0 is an
    estimate of none); persons / 1000, exact.
  remittances.csv (region,year,value; fraction of GDP):
  - CELAC states: the latest year 2019-2023 with a value > 0 in the gdidata extract (its zeros are
    missing values: VEN 2019-2023, BHS 2015-2019); CUB and VEN have no value and no row;
  - USA, CAN, CHN: the WDI mirror, latest year 2019-2023 with both series;
  - EU27 and ROW: sum of remittances / sum of GDP over their member countries with both series
    in the year (WDI aggregates such as EUU and WLD are not used; ROW = every WDI country code that
    is not a region, not an aggregate).

Standalone (prints the totals, or writes both files into an existing dataset folder):
    /usr/bin/python3 tools/dataset_builder/migration_data.py --shared-data ../shared/data [--out data/celac38]
"""
from __future__ import annotations

import argparse
import math
import os
import sys

import pandas as pd

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dataset_format import write_csv  # noqa: E402

STOCKS_SOURCE = os.path.join("undesa_migrant_stocks", "DERIVED_bilateral_stocks_2020_2024_celac_origin_or_destination.csv")
REMITTANCES_SOURCE = os.path.join("undesa_migrant_stocks", "DERIVED_remittances_pct_gdp_celac_2015_2023.csv")
WDI_REMITTANCES = os.path.join("world_bank_wdi_indicators", "bx.trf.pwkr.cd.dt", "data.csv")
WDI_GDP = os.path.join("world_bank_wdi_indicators", "ny.gdp.mktp.cd", "data.csv")
STOCK_YEAR = 2024
UNKNOWN_ORIGIN = "OOO"
REMITTANCE_YEARS = range(2019, 2024)   # 2019-2023, the latest non-missing one is used
# World Bank aggregate codes in the WDI files (regions, income and lending groups, demographic
# dividend groups, the world): not countries, never summed into a region.
WDI_AGGREGATES = frozenset(
    "AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX INX LAC LCN LDC LIC "
    "LMC LMY LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF SST TEA TEC TLA TMN TSA TSS UMC WLD".split())


# ----------------------------------------------------------------------------------------------
# migrant stocks
# ----------------------------------------------------------------------------------------------
def migrant_stocks(sd: str, region_of, regions: list[str], celac: list[str]) -> dict:
    """The 2024 stocks aggregated to region pairs.

    Returns {"cells": {(origin, destination): persons (int)}, "unknown_origin": persons with
    origin OOO (dropped), "unknown_rows": their row count, "same_region": persons in cells with
    origin region == destination region (dropped; 0 for this source), "rows": 2024 rows read}.
    Raises ValueError when a row has no CELAC end or a negative count (a changed source file)."""
    d = pd.read_csv(os.path.join(sd, STOCKS_SOURCE), dtype={"destination_iso3": str, "origin_iso3": str},
                    keep_default_na=False)
    d = d[d.year == STOCK_YEAR]
    if len(d) == 0:
        raise ValueError(f"{STOCKS_SOURCE}: no rows for {STOCK_YEAR}")
    if (d.migrants_both_sexes < 0).any():
        raise ValueError(f"{STOCKS_SOURCE}: negative migrant counts")
    cel = set(celac)
    no_celac = d[~d.origin_iso3.isin(cel) & ~d.destination_iso3.isin(cel)]
    if len(no_celac):
        raise ValueError(f"{STOCKS_SOURCE}: {len(no_celac)} rows with no CELAC end")
    unknown = d[d.origin_iso3 == UNKNOWN_ORIGIN]
    known = d[d.origin_iso3 != UNKNOWN_ORIGIN]
    cells: dict[tuple[str, str], int] = {}
    same_region = 0
    for o, dst, v in zip(known.origin_iso3, known.destination_iso3, known.migrants_both_sexes):
        ro, rd = region_of(o), region_of(dst)
        if ro not in regions or rd not in regions:
            raise ValueError(f"{STOCKS_SOURCE}: {o} -> {dst} maps outside the regions")
        if ro == rd:
            same_region += int(v)
            continue
        cells[(ro, rd)] = cells.get((ro, rd), 0) + int(v)
    return {"cells": cells, "unknown_origin": int(unknown.migrants_both_sexes.sum()), "unknown_rows": len(unknown),
            "same_region": same_region, "rows": len(d)}


def stock_rows(cells: dict) -> list[list]:
    """migrant_stocks.csv rows (origin, destination, thousand persons), sorted by origin, destination."""
    return [[o, dst, v / 1000.0] for (o, dst), v in sorted(cells.items())]


def stock_totals(cells: dict, celac: list[str]) -> dict:
    """Headline totals in persons (DATA.md A23; the tests recompute them)."""
    cel = set(celac)
    t = {
        "celac_born_abroad": sum(v for (o, _), v in cells.items() if o in cel),
        "celac_born_in_usa": sum(v for (o, dst), v in cells.items() if o in cel and dst == "USA"),
        "celac_born_in_eu27": sum(v for (o, dst), v in cells.items() if o in cel and dst == "EU27"),
        "celac_born_in_can": sum(v for (o, dst), v in cells.items() if o in cel and dst == "CAN"),
        "celac_born_in_row": sum(v for (o, dst), v in cells.items() if o in cel and dst == "ROW"),
        "intra_celac": sum(v for (o, dst), v in cells.items() if o in cel and dst in cel),
        "born_outside_celac_living_in_celac": sum(v for (o, dst), v in cells.items() if o not in cel and dst in cel),
        "mex_in_usa": cells.get(("MEX", "USA"), 0),
        "ven_in_col": cells.get(("VEN", "COL"), 0),
        "ven_abroad": sum(v for (o, _), v in cells.items() if o == "VEN"),
        "ven_in_celac": sum(v for (o, dst), v in cells.items() if o == "VEN" and dst in cel),
        "cells": len(cells),
        "zero_cells": sum(1 for v in cells.values() if v == 0),
    }
    return t


# ----------------------------------------------------------------------------------------------
# remittances
# ----------------------------------------------------------------------------------------------
def celac_remittances(sd: str, celac: list[str]) -> dict:
    """{state: (year, fraction of GDP)} for the CELAC states with a value > 0 in 2019-2023 (gdidata
    extract; zeros there are missing values)."""
    d = pd.read_csv(os.path.join(sd, REMITTANCES_SOURCE), keep_default_na=False)
    d = d[d.geo.isin(celac) & d.t.isin(list(REMITTANCE_YEARS))]
    out = {}
    for geo, g in d.groupby("geo"):
        ok = g[(g.v_remin > 0) & (g.v_gdp > 0) & g.remit_pct_gdp.map(lambda x: math.isfinite(x) and x > 0)]
        if len(ok):
            r = ok.sort_values("t").iloc[-1]
            out[geo] = (int(r.t), float(r.remit_pct_gdp) / 100.0)
    return out


def _wdi(sd: str, rel: str) -> pd.DataFrame:
    d = pd.read_csv(os.path.join(sd, rel), dtype={"Country Code": str}, keep_default_na=False)
    d = d[d.Year.isin(list(REMITTANCE_YEARS))]
    d = d[d.Value.map(lambda x: isinstance(x, float) and math.isfinite(x))]
    return d.rename(columns={"Country Code": "code", "Year": "year", "Value": "value"})[["code", "year", "value"]]


def partner_remittances(sd: str, region_of, partners: list[str]) -> dict:
    """{region: (year, fraction, coverage)} for the non-CELAC regions from the WDI mirror: the latest
    year 2019-2023 in which some member country has both series; sum of remittances / sum of GDP over
    the members with both; coverage = that GDP / the GDP of every member with a GDP value."""
    rem = _wdi(sd, WDI_REMITTANCES)
    gdp = _wdi(sd, WDI_GDP)
    both = rem.merge(gdp, on=["code", "year"], suffixes=("_rem", "_gdp"))
    both = both[~both.code.isin(WDI_AGGREGATES) & (both.value_gdp > 0) & (both.value_rem >= 0)]
    both = both.assign(region=both.code.map(region_of))
    gdp = gdp[~gdp.code.isin(WDI_AGGREGATES)]
    gdp = gdp.assign(region=gdp.code.map(region_of))
    out = {}
    for r in partners:
        b = both[both.region == r]
        if len(b) == 0:
            continue
        y = int(b.year.max())
        b = b[b.year == y]
        all_gdp = float(gdp[(gdp.region == r) & (gdp.year == y)].value.sum())
        out[r] = (y, float(b.value_rem.sum()) / float(b.value_gdp.sum()), float(b.value_gdp.sum()) / all_gdp, len(b))
    return out


def remittance_rows(celac_values: dict, partner_values: dict) -> list[list]:
    """remittances.csv rows (region, year, fraction), sorted by region; the fraction to 9 significant digits."""
    rows = [[r, y, v] for r, (y, v) in celac_values.items()]
    rows += [[r, v[0], v[1]] for r, v in partner_values.items()]
    return sorted(rows)


def write(out: str, sd: str, region_of, regions: list[str], celac: list[str]) -> dict:
    """Writes migrant_stocks.csv and remittances.csv into `out`; returns the figures of DATA.md A23."""
    s = migrant_stocks(sd, region_of, regions, celac)
    write_csv(os.path.join(out, "migrant_stocks.csv"), ["origin", "destination", "value"], stock_rows(s["cells"]))
    cr = celac_remittances(sd, celac)
    pr = partner_remittances(sd, region_of, [r for r in regions if r not in celac])
    write_csv(os.path.join(out, "remittances.csv"), ["region", "year", "value"], remittance_rows(cr, pr))
    return {"stocks": s, "totals": stock_totals(s["cells"], celac), "celac_remittances": cr, "partner_remittances": pr}


def main(argv=None) -> int:
    import build_celac38 as b  # noqa: E402  (the region definitions)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared-data", required=True, help="path to ../shared/data")
    ap.add_argument("--out", help="dataset folder to write migrant_stocks.csv and remittances.csv into (else print only)")
    a = ap.parse_args(argv)
    s = migrant_stocks(a.shared_data, b.region_of, b.REGIONS, b.CELAC)
    t = stock_totals(s["cells"], b.CELAC)
    print(f"{s['rows']} rows of {STOCK_YEAR}; origin {UNKNOWN_ORIGIN}: {s['unknown_rows']} rows, "
          f"{s['unknown_origin']:,} persons (dropped); same-region cells: {s['same_region']:,} persons (dropped)")
    for k, v in t.items():
        print(f"  {k:38s} {v:>14,}")
    cr = celac_remittances(a.shared_data, b.CELAC)
    pr = partner_remittances(a.shared_data, b.region_of, b.PARTNERS)
    print("remittances, % of GDP: " + ", ".join(f"{r} {v * 100:.2f} ({y})" for r, (y, v) in sorted(cr.items())))
    print("CELAC states without a value: " + ", ".join(r for r in b.CELAC if r not in cr))
    for r, (y, v, cov, n) in pr.items():
        print(f"  {r:5s} {y} {v * 100:.3f} % of GDP, {n} countries, {cov * 100:.1f} % of the region's WDI GDP")
    # the later WDI vintage against gdidata's for the CELAC states (the same series, revised)
    mirror = partner_remittances(a.shared_data, lambda c: c, b.CELAC)
    gaps = {r: (mirror[r][1] - v) * 100 for r, (y, v) in cr.items() if r in mirror and mirror[r][0] == y}
    if gaps:
        worst = max(gaps, key=lambda r: abs(gaps[r]))
        print(f"WDI mirror - gdidata, same year: {len(gaps)} states, largest gap {worst} {gaps[worst]:+.2f} points")
    if a.out:
        write(a.out, a.shared_data, b.region_of, b.REGIONS, b.CELAC)
        print(f"wrote migrant_stocks.csv and remittances.csv into {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
