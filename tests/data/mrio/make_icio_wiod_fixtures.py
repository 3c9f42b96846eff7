#!/usr/bin/env python3
"""Writes tests/data/mrio/icio_small/ and wiod2016_small/ from one known table.

One 3-region x 2-sector table with final demand in six categories and value added by
component is written:

- in the OECD ICIO CSV layout, three label conventions: ICIO2021_2019.csv (2021 edition,
  first header cell "V1", sectors D01T03/D10T33), 2019_SML.csv (2023 edition, empty first
  cell, sectors 01T03/10T33) and 2022_SML.csv (2025 edition, sectors A01_03/C10_33, with an
  underscore inside the sector code). Mexico is split into MX1 (a quarter of every row and
  column) and MX2 (three quarters), as ICIO splits Mexico and China; final-demand columns
  are MEX_*. Rows TLS, VA, OUT; column OUT.
- in the WIOD 2016 world-table layout (the Excel sheet of WIOT2014_Nov16_ROW.xlsx saved as
  CSV): title lines, four header rows (industry codes, descriptions, country codes, column
  numbers c1.., c57..c61, c62 for GO), four label columns (code, description, country, rN),
  final-demand columns CONS_h, CONS_np, CONS_g, GFCF, INVEN per country, a GO column; rows
  II_fob, TXSP, EXP_adj, PURR, PURNR, VA, IntTTM, GO (country TOT). DPABR (ICIO's direct
  purchases abroad by residents) has no WIOD column; it is 0 in the known table.
- as the known answer, in the long CSV layout that `integra io accounts --format long` reads
  (known/intermediate.csv, known/final_demand.csv, zero cells written) and
  known/value_added.csv (region, sector, then one column per value-added row).

Every value is a multiple of 1/32, so splitting by 1/4 and 3/4 and summing back is exact in
binary floating point: the tests compare to 1e-12. Run from anywhere:
    /usr/bin/python3 tests/data/mrio/make_icio_wiod_fixtures.py
"""
from pathlib import Path

HERE = Path(__file__).resolve().parent
ICIO_REGIONS = ["ARG", "USA", "MEX"]  # MEX split in MX1, MX2 at the end, as in ICIO
WIOD_REGIONS = ["MEX", "USA", "ROW"]
ICIO_SECTORS = {
    "ICIO2021_2019.csv": ("V1", ["D01T03", "D10T33"]),
    "2019_SML.csv": ("", ["01T03", "10T33"]),
    "2022_SML.csv": ("", ["A01_03", "C10_33"]),
}
WIOD_SECTORS = ["A01", "C10-C12"]
WIOD_DESCRIPTIONS = ["Crop and animal production, hunting and related service activities",
                     "Manufacture of food products, beverages and tobacco products"]
ICIO_CATEGORIES = ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"]
WIOD_CATEGORIES = ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"]  # = the first five
R, S, C = 3, 2, 6
N = R * S


def known_table():
    z = [[float((3 * i + 5 * j) % 7 + 1) for j in range(N)] for i in range(N)]
    y = [[0.0] * (R * C) for _ in range(N)]
    for i in range(N):
        r, s = divmod(i, S)
        for q in range(R):
            own = q == r
            y[i][q * C + 0] = 40.0 + 5 * i if own else 3.0            # HFCE
            y[i][q * C + 1] = 1.0 if own else 0.0                       # NPISH
            y[i][q * C + 2] = 2.5 if own and s == 1 else 0.0            # GGFC
            y[i][q * C + 3] = 4.0 if own and s == 1 else 0.5            # GFCF
            y[i][q * C + 4] = -1.25 if own and s == 0 else 0.75         # INVNT: draw-downs negative
            y[i][q * C + 5] = 0.0                                       # DPABR
    x = [sum(z[i]) + sum(y[i]) for i in range(N)]
    tls = [0.5 + 0.25 * j for j in range(N)]
    tls_final = [[1.5 if c == 0 else 0.0 for c in range(C)] for _ in range(R)]  # TLS on HFCE
    exp_adj = [0.25 if j % 2 == 0 else 0.0 for j in range(N)]
    purr = [0.5 if j % 3 == 0 else 0.0 for j in range(N)]
    purnr = [-0.25 if j % 3 == 1 else 0.0 for j in range(N)]
    int_ttm = [0.0] * N
    colsum = [sum(z[i][j] for i in range(N)) for j in range(N)]
    va_icio = [x[j] - colsum[j] - tls[j] for j in range(N)]
    va_wiod = [va_icio[j] - exp_adj[j] - purr[j] - purnr[j] - int_ttm[j] for j in range(N)]
    return dict(z=z, y=y, x=x, tls=tls, tls_final=tls_final, exp_adj=exp_adj, purr=purr, purnr=purnr,
                int_ttm=int_ttm, va_icio=va_icio, va_wiod=va_wiod, colsum=colsum)


def num(v):
    """Shortest text that reads back as the same double (multiples of 1/32: exact)."""
    text = repr(float(v))
    return text[:-2] if text.endswith(".0") else text


def write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        for row in rows:
            f.write(",".join(quote(c) for c in row) + "\n")


def quote(cell):
    cell = str(cell)
    return '"' + cell.replace('"', '""') + '"' if ("," in cell or '"' in cell) else cell


def write_icio(t, name, first_cell, sectors):
    # Split region index 2 (MEX) into MX1 (1/4) and MX2 (3/4) on rows and columns; as in
    # ICIO, the split blocks come last (all MX1 sectors, then all MX2 sectors).
    parts = []  # (label, merged index, share)
    for r in range(R - 1):
        for s in range(S):
            parts.append((f"{ICIO_REGIONS[r]}_{sectors[s]}", r * S + s, 1.0))
    for code, share in (("MX1", 0.25), ("MX2", 0.75)):
        for s in range(S):
            parts.append((f"{code}_{sectors[s]}", 2 * S + s, share))
    # Final-demand columns are MEX_* (not split), in alphabetical order of the regions.
    fd_order = sorted(range(R), key=lambda q: ICIO_REGIONS[q])
    fd_labels = [f"{ICIO_REGIONS[q]}_{c}" for q in fd_order for c in ICIO_CATEGORIES]
    rows = [[first_cell] + [p[0] for p in parts] + fd_labels + ["OUT"]]
    for label, i, share in parts:
        zs = [t["z"][i][j] * share * sj for _, j, sj in parts]
        ys = [t["y"][i][q * C + c] * share for q in fd_order for c in range(C)]
        rows.append([label] + [num(v) for v in zs + ys] + [num(sum(zs) + sum(ys))])
    rows.append(["TLS"] + [num(t["tls"][j] * sj) for _, j, sj in parts]
                + [num(t["tls_final"][q][c]) for q in fd_order for c in range(C)] + ["0"])
    rows.append(["VA"] + [num(t["va_icio"][j] * sj) for _, j, sj in parts] + ["0"] * (R * C) + ["0"])
    rows.append(["OUT"] + [num(t["x"][j] * sj) for _, j, sj in parts] + ["0"] * (R * C) + ["0"])
    write(HERE / "icio_small" / name, rows)


def write_wiod(t):
    width = 4 + N + R * len(WIOD_CATEGORIES) + 1
    blank = [""] * width
    title = list(blank); title[0] = "World Input-Output Table 2014"
    prices = list(blank); prices[0] = "in current prices"
    codes = ["(industry-by-industry)", "", "", ""] + [WIOD_SECTORS[j % S] for j in range(N)] \
        + [c for _ in range(R) for c in WIOD_CATEGORIES] + ["GO"]
    fd_descriptions = ["Final consumption expenditure by households",
                       "Final consumption expenditure by non-profit organisations serving households (NPISH)",
                       "Final consumption expenditure by government", "Gross fixed capital formation",
                       "Changes in inventories and valuables"]
    descriptions = ["(millions of US$)", "", "", ""] + [WIOD_DESCRIPTIONS[j % S] for j in range(N)] \
        + [d for _ in range(R) for d in fd_descriptions] + ["Total output"]
    countries = ["", "", "", ""] + [WIOD_REGIONS[j // S] for j in range(N)] \
        + [WIOD_REGIONS[q] for q in range(R) for _ in WIOD_CATEGORIES] + ["TOT"]
    numbers = ["", "", "", ""] + [f"c{j % S + 1}" for j in range(N)] \
        + [f"c{57 + k}" for _ in range(R) for k in range(len(WIOD_CATEGORIES))] + ["c62"]
    rows = [title, prices, codes, descriptions, countries, numbers]
    for i in range(N):
        r, s = divmod(i, S)
        ys = [t["y"][i][q * C + k] for q in range(R) for k in range(len(WIOD_CATEGORIES))]
        rows.append([WIOD_SECTORS[s], WIOD_DESCRIPTIONS[s], WIOD_REGIONS[r], f"r{s + 1}"]
                    + [num(v) for v in t["z"][i] + ys] + [num(t["x"][i])])
    fd_zero = ["0"] * (R * len(WIOD_CATEGORIES))
    txsp_final = [num(t["tls_final"][q][k]) for q in range(R) for k in range(len(WIOD_CATEGORIES))]
    summary = [
        ("II_fob", "Total intermediate consumption", "r65", t["colsum"], fd_zero),
        ("TXSP", "taxes less subsidies on products", "r66", t["tls"], txsp_final),
        ("EXP_adj", "Cif/ fob adjustments on exports", "r67", t["exp_adj"], fd_zero),
        ("PURR", "Direct purchases abroad by residents", "r68", t["purr"], fd_zero),
        ("PURNR", "Purchases on the domestic territory by non-residents", "r69", t["purnr"], fd_zero),
        ("VA", "Value added at basic prices", "r70", t["va_wiod"], fd_zero),
        ("IntTTM", "International Transport Margins", "r71", t["int_ttm"], fd_zero),
        ("GO", "Output at basic prices", "r73", t["x"], fd_zero),
    ]
    for code, description, number, values, final in summary:
        rows.append([code, description, "TOT", number] + [num(v) for v in values] + final + [""])
    write(HERE / "wiod2016_small" / "WIOT2014_Nov16_ROW.csv", rows)


def write_known(t, folder, regions, sectors, categories, value_added):
    z_rows = [["origin_region", "origin_sector", "region", "sector", "value"]]
    y_rows = [["origin_region", "origin_sector", "region", "category", "value"]]
    for i in range(N):
        r, s = divmod(i, S)
        for j in range(N):
            q, u = divmod(j, S)
            z_rows.append([regions[r], sectors[s], regions[q], sectors[u], num(t["z"][i][j])])
        for q in range(R):
            for k, c in enumerate(categories):
                y_rows.append([regions[r], sectors[s], regions[q], c, num(t["y"][i][q * C + k])])
    write(folder / "known" / "intermediate.csv", z_rows)
    write(folder / "known" / "final_demand.csv", y_rows)
    names = list(value_added)
    va_rows = [["region", "sector"] + names]
    for j in range(N):
        q, u = divmod(j, S)
        va_rows.append([regions[q], sectors[u]] + [num(value_added[k][j]) for k in names])
    write(folder / "known" / "value_added.csv", va_rows)


def main():
    t = known_table()
    assert all(v > 0 for v in t["va_wiod"]) and all(v > 0 for v in t["va_icio"])
    for name, (first, sectors) in ICIO_SECTORS.items():
        write_icio(t, name, first, sectors)
    write_known(t, HERE / "icio_small", ICIO_REGIONS, ICIO_SECTORS["ICIO2021_2019.csv"][1], ICIO_CATEGORIES,
                {"TLS": t["tls"], "VA": t["va_icio"]})
    write_wiod(t)
    write_known(t, HERE / "wiod2016_small", WIOD_REGIONS, WIOD_SECTORS, WIOD_CATEGORIES,
                {"TXSP": t["tls"], "EXP_adj": t["exp_adj"], "PURR": t["purr"], "PURNR": t["purnr"],
                 "VA": t["va_wiod"], "IntTTM": t["int_ttm"]})
    # Concordances for the aggregation tests: 3 regions -> 2, 2 sectors -> 1.
    write(HERE / "icio_small" / "regions_map.csv", [["from", "to"], ["ARG", "LAM"], ["MEX", "LAM"], ["USA", "USA"]])
    write(HERE / "icio_small" / "sectors_map.csv", [["from", "to"], ["D01T03", "ALL"], ["D10T33", "ALL"]])
    write(HERE / "icio_small" / "regions_map_missing.csv", [["from", "to"], ["ARG", "LAM"], ["MEX", "LAM"]])
    write(HERE / "icio_small" / "regions_map_unknown.csv",
          [["from", "to"], ["ARG", "LAM"], ["MEX", "LAM"], ["USA", "USA"], ["BRA", "LAM"]])


if __name__ == "__main__":
    main()
