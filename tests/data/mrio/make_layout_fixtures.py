#!/usr/bin/python3
"""Writes the EXIOBASE 3 and Eora26 layout fixtures of tests/data/mrio/ from one table.

The table is the 3 regions x 2 sectors of pymrio_3x2/ (the same Z, the same final demand
by households and by gross fixed capital formation, gross output 74 68 70 78 59 64), so
the importers must give back these numbers whatever the layout. Written:

  exiobase3_ixi_small/      EXIOBASE 3.8-style industry-by-industry folder (the content of
                            IOT_2022_ixi/): A.txt and x.txt without Z.txt, so Z = A diag(x);
                            satellite/ with F.txt and F_Y.txt, the nine factor-input rows,
                            employment and CO2; impacts/ with F.txt and F_Y.txt
  exiobase3_ixi_small.zip   the same files under IOT_2022_ixi/, as distributed (deflated,
                            file_parameters.json stored)
  exiobase3_pxp_small/      product-by-product folder: product labels, Z.txt and A.txt,
                            the older F_hh.txt, an F.txt without pandas' index-name row
  eora26_small/             Eora26_2022_bp_{T,FD,VA,Q,QY}.txt and labels_{T,FD,VA,Q}.txt,
                            with Eora's ROW region (row and column) around the same table

The layouts follow pymrio's readers (pymrio/core/fileio.py load/load_all, which
parse_exiobase3 calls, and parse_eora26 in pymrio/tools/ioparser.py) and pymrio's own mock
databases (tests/mock_mrios/exio3_mock, eora26_mock); they were not checked against a real
download (none is reachable from here). Numbers are written as pandas writes floats
(Python's repr, the shortest text that reads back the same double).

Run from anywhere: /usr/bin/python3 tests/data/mrio/make_layout_fixtures.py
"""

import json
import os
import shutil
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

# ---- The table (pymrio_3x2) ---------------------------------------------------------------
Z = [
    [10, 5, 2, 1, 1, 0],
    [4, 12, 3, 2, 0, 1],
    [1, 2, 8, 6, 2, 1],
    [2, 1, 5, 15, 1, 3],
    [0, 1, 1, 2, 9, 4],
    [1, 3, 2, 1, 3, 11],
]
# Final demand by (region, category) with categories (households, capital formation).
Y2 = [
    [40, 5, 6, 1, 3, 0],
    [20, 15, 4, 3, 2, 2],
    [5, 1, 35, 4, 4, 1],
    [3, 2, 25, 12, 5, 4],
    [2, 0, 3, 1, 30, 6],
    [4, 3, 2, 2, 22, 10],
]
CO2_KT = [12.5, 30, 8, 22, 15, 41]  # emissions/F.txt of pymrio_3x2, in kt
CO2_HH_KT = [6, 4.5, 7]  # households' direct CO2 by region, kt
N_REG, N_SEC = 3, 2
N = N_REG * N_SEC
X = [sum(Z[i]) + sum(Y2[i]) for i in range(N)]  # 74 68 70 78 59 64
V = [X[j] - sum(Z[i][j] for i in range(N)) for j in range(N)]  # balancing item


def num(v):
    """A number as pandas writes it: integers without '.0' when integral, else repr."""
    if isinstance(v, int):
        return str(v)
    return repr(float(v)) if float(v) != int(v) else str(int(v))


def write(path, text, files):
    files[path] = text.encode("utf-8")


def pymrio_matrix(col_names, col_labels, index_names, rows, values, names_row=True):
    """pandas' to_csv(sep='\\t') of a frame with a MultiIndex on both axes."""
    k = len(index_names)
    lines = []
    for level, name in enumerate(col_names):
        lines.append("\t".join([name] + [""] * (k - 1) + [c[level] for c in col_labels]))
    if names_row and (len(col_names) > 1 or k > 1):
        lines.append("\t".join(index_names + [""] * len(col_labels)))
    for r, row in zip(rows, values):
        lines.append("\t".join(list(r) + [num(v) for v in row]))
    return "\n".join(lines) + "\n"


def params(files_spec, systemtype, name=None):
    d = {"files": {k: {"name": f, "nr_index_col": str(i), "nr_header": str(h)} for k, (f, i, h) in files_spec.items()},
         "systemtype": systemtype}
    if name is not None:
        d["name"] = name
    return json.dumps(d, indent=4) + "\n"


# ---- EXIOBASE 3 -----------------------------------------------------------------------------
EXIO_REGIONS = ["AT", "DE", "WA"]
EXIO_CATEGORIES = [
    "Final consumption expenditure by households",
    "Final consumption expenditure by non-profit organisations serving households (NPISH)",
    "Final consumption expenditure by government",
    "Gross fixed capital formation",
    "Changes in inventories",
    "Changes in valuables",
    "Exports: Total (fob)",
]
HH, GFCF = 0, 3
# The nine factor-input rows of the 3.8 satellite account and their shares of value added.
FACTOR_INPUTS = [
    ("Taxes less subsidies on products purchased: Total", 0.05),
    ("Other net taxes on production", 0.02),
    ("Compensation of employees; wages, salaries, & employers' social contributions: Low-skilled", 0.1),
    ("Compensation of employees; wages, salaries, & employers' social contributions: Medium-skilled", 0.2),
    ("Compensation of employees; wages, salaries, & employers' social contributions: High-skilled", 0.15),
    ("Operating surplus: Consumption of fixed capital", 0.12),
    ("Operating surplus: Rents on land", 0.01),
    ("Operating surplus: Royalties on resources", 0.02),
    ("Operating surplus: Remaining net operating surplus", 0.33),
]
# A statistical discrepancy: the given value added of WA's second sector is 0.5 below the
# balancing item (the taxes row carries it), so the balancing gap there is 0.5.
GAP_CELL, GAP = 5, 0.5


def y_by_category(n_cat, hh, gfcf):
    out = []
    for i in range(N):
        row = [0.0] * (N_REG * n_cat)
        for q in range(N_REG):
            row[q * n_cat + hh] = Y2[i][2 * q]
            row[q * n_cat + gfcf] = Y2[i][2 * q + 1]
        out.append(row)
    return out


def exiobase_files(sectors, system, with_z, fy_name, names_row_in_f):
    files = {}
    rows = [(r, s) for r in EXIO_REGIONS for s in sectors]
    cols_y = [(r, c) for r in EXIO_REGIONS for c in EXIO_CATEGORIES]
    spec = {"A": ("A.txt", 2, 2), "Y": ("Y.txt", 2, 2), "x": ("x.txt", 2, 1), "unit": ("unit.txt", 2, 1)}
    if with_z:
        spec = {"Z": ("Z.txt", 2, 2), **spec}
    write("file_parameters.json", params(spec, "IOSystem"), files)
    write("metadata.json", json.dumps({"description": f"Small EXIOBASE 3 layout fixture, {system}", "name": "EXIO3",
                                       "system": system, "version": "3.8.2", "history": []}, indent=4) + "\n", files)
    A = [[Z[i][j] / X[j] for j in range(N)] for i in range(N)]
    write("A.txt", pymrio_matrix(["region", "sector"], rows, ["region", "sector"], rows, A), files)
    if with_z:
        write("Z.txt", pymrio_matrix(["region", "sector"], rows, ["region", "sector"], rows, Z), files)
    write("Y.txt", pymrio_matrix(["region", "category"], cols_y, ["region", "sector"], rows, y_by_category(7, HH, GFCF)), files)
    write("x.txt", "region\tsector\tindout\n" + "".join(f"{r}\t{s}\t{num(X[i])}\n" for i, (r, s) in enumerate(rows)), files)
    write("unit.txt", "region\tsector\tunit\n" + "".join(f"{r}\t{s}\tM.EUR\n" for r, s in rows), files)

    # satellite/: factor inputs, employment, CO2 (kg).
    sat_rows, sat_units, sat_f = [], [], []
    for name, share in FACTOR_INPUTS:
        values = [V[j] * share for j in range(N)]
        if name.startswith("Taxes less subsidies"):
            values[GAP_CELL] -= GAP
        sat_rows.append(name)
        sat_units.append("M.EUR")
        sat_f.append(values)
    sat_rows += ["Employment: Low-skilled male", "CO2 - combustion - air"]
    sat_units += ["1000 p.", "kg"]
    sat_f.append([0.2 * X[j] for j in range(N)])
    sat_f.append([c * 1e6 for c in CO2_KT])
    sat_fy = [[0.0] * (N_REG * 7) for _ in sat_rows]
    for q in range(N_REG):
        sat_fy[-1][q * 7 + HH] = CO2_HH_KT[q] * 1e6
    write_extension(files, "satellite", "Satellite Accounts", sat_rows, sat_units, sat_f, sat_fy, rows, cols_y, fy_name,
                    names_row_in_f)
    # impacts/: value added (aggregate) and GHG.
    imp_rows = ["Value Added", "GHG emissions (GWP100) | Problem oriented approach: baseline (CML, 2001) | GWP100 (IPCC, 2007)"]
    imp_units = ["M.EUR", "kg CO2 eq."]
    imp_f = [[sum(f[j] for f in sat_f[:9]) for j in range(N)], [c * 1e6 for c in CO2_KT]]
    imp_fy = [[0.0] * (N_REG * 7), list(sat_fy[-1])]
    write_extension(files, "impacts", "Impacts", imp_rows, imp_units, imp_f, imp_fy, rows, cols_y, fy_name, names_row_in_f)
    return files


def write_extension(files, folder, name, stressors, units, f, fy, rows, cols_y, fy_name, names_row):
    # The unit file is listed with nr_index_col 2, as in pymrio's exio3 mock ("stressor unit").
    write(f"{folder}/file_parameters.json",
          params({"F": ("F.txt", 1, 2), fy_name: (f"{fy_name}.txt", 1, 2), "unit": ("unit.txt", 2, 1)}, "Extension", name), files)
    write(f"{folder}/F.txt", pymrio_matrix(["region", "sector"], rows, ["stressor"], [(s,) for s in stressors], f, names_row), files)
    write(f"{folder}/{fy_name}.txt",
          pymrio_matrix(["region", "category"], cols_y, ["stressor"], [(s,) for s in stressors], fy, names_row), files)
    write(f"{folder}/unit.txt", "stressor\tunit\n" + "".join(f"{s}\t{u}\n" for s, u in zip(stressors, units)), files)


def write_folder(folder, files):
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    for rel, data in files.items():
        path = os.path.join(folder, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(data)


def write_zip(path, top, files):
    """Deflated entries under top/, file_parameters.json stored, fixed dates: reproducible."""
    with zipfile.ZipFile(path, "w") as z:
        for rel in sorted(files):
            info = zipfile.ZipInfo(f"{top}/{rel}", date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if rel == "file_parameters.json" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, files[rel])


# ---- Eora26 ---------------------------------------------------------------------------------
EORA_COUNTRIES = [("Austria", "AUT"), ("Germany", "DEU"), ("Japan", "JPN")]
EORA_SECTORS = ["Agriculture", "Textiles and Wearing Apparel"]
EORA_CATEGORIES = [
    "Household final consumption P.3h",
    "Non-profit institutions serving households P.3n",
    "Government final consumption P.3g",
    "Gross fixed capital formation P.51",
    "Changes in inventories P.52",
    "Acquisitions less disposals of valuables P.53",
]
EORA_VA = [
    ("Compensation of employees D.1", 0.5),
    ("Taxes on production D.29", 0.06),
    ("Subsidies on production D.39", -0.02),
    ("Net operating surplus B.2n", 0.3),
    ("Net mixed income B.3n", 0.06),
    ("Consumption of fixed capital K.1", 0.1),
]
# The ROW region: one sector "TOTAL", its flows with the regions kept.
ROW_SALES_T = [0.5, 0.2, 0.3, 0.1, 0.4, 0.2]  # T[ROW, j]: ROW's intermediate sales to j
ROW_BUYS_T = [0.3, 0.1, 0.2, 0.2, 0.1, 0.3]  # T[i, ROW]: i's intermediate sales to ROW
ROW_ROW_T = 1.0
ROW_SALES_FD = 0.25  # ROW's sales to the households of each region kept
ROW_FD_HH = [1, 2, 0.5, 1.5, 0.5, 1]  # FD[i, ROW households]
ROW_VA = [2.0, 0.5, 0.1, 0.3, 0.0, 0.1]  # VA components of ROW
ROW_Q = [4.0, 9.0]  # Q of ROW, per stressor
EORA_Q = [("Energy Usage (TJ)", "Natural Gas"), ("I-GHG-CO2 emissions (Gg)", "Total")]


def eora_files():
    files = {}
    n_all = N + 1
    # labels: real Eora26 label files end each line with a tab.
    lt = [f"{c}\t{code}\tIndustries\t{s}\t" for c, code in EORA_COUNTRIES for s in EORA_SECTORS] + ["Rest of the World\tROW\tIndustries\tTOTAL\t"]
    lfd = [f"{c}\t{code}\tFinal Demand\t{k}\t" for c, code in EORA_COUNTRIES + [("Rest of the World", "ROW")] for k in EORA_CATEGORIES]
    write("labels_T.txt", "\n".join(lt) + "\n", files)
    write("labels_FD.txt", "\n".join(lfd) + "\n", files)
    write("labels_VA.txt", "".join(f"Primary Inputs\t{k}\t\n" for k, _ in EORA_VA), files)
    write("labels_Q.txt", "".join(f"{a}\t{b}\t\n" for a, b in EORA_Q), files)
    T = [[0.0] * n_all for _ in range(n_all)]
    for i in range(N):
        for j in range(N):
            T[i][j] = Z[i][j]
        T[i][N] = ROW_BUYS_T[i]
        T[N][i] = ROW_SALES_T[i]
    T[N][N] = ROW_ROW_T
    n_cat = len(EORA_CATEGORIES)
    FD = [[0.0] * ((N_REG + 1) * n_cat) for _ in range(n_all)]
    for i in range(N):
        for q in range(N_REG):
            FD[i][q * n_cat + 0] = Y2[i][2 * q]
            FD[i][q * n_cat + 3] = Y2[i][2 * q + 1]
        FD[i][N_REG * n_cat + 0] = ROW_FD_HH[i]
    for q in range(N_REG):
        FD[N][q * n_cat + 0] = ROW_SALES_FD
    FD[N][N_REG * n_cat] = 3.0
    # Eora balances each column with the full row: value added = x_full - column sum of T.
    x_full = [sum(T[i]) + sum(FD[i]) for i in range(n_all)]
    va_total = [x_full[j] - sum(T[i][j] for i in range(n_all)) for j in range(n_all)]
    VA = [[va_total[j] * share for j in range(N)] + [ROW_VA[k]] for k, (_, share) in enumerate(EORA_VA)]
    Q = [[c for c in CO2_KT] + [ROW_Q[0]], [c * 1000 for c in CO2_KT] + [ROW_Q[1]]]
    QY = [[0.0] * ((N_REG + 1) * n_cat) for _ in EORA_Q]
    for q in range(N_REG):
        QY[1][q * n_cat] = CO2_HH_KT[q] * 1000
    QY[1][N_REG * n_cat] = 5.0

    def matrix(m):
        return "".join("\t".join(num(v) for v in row) + "\n" for row in m)

    for name, m in (("T", T), ("FD", FD), ("VA", VA), ("Q", Q), ("QY", QY)):
        write(f"Eora26_2022_bp_{name}.txt", matrix(m), files)
    return files


def main():
    ixi = exiobase_files(["Cultivation of wheat", "Manufacture of motor vehicles, trailers and semi-trailers (34)"], "ixi",
                         with_z=False, fy_name="F_Y", names_row_in_f=True)
    write_folder(os.path.join(HERE, "exiobase3_ixi_small"), ixi)
    write_zip(os.path.join(HERE, "exiobase3_ixi_small.zip"), "IOT_2022_ixi", ixi)
    pxp = exiobase_files(["Wheat", "Motor vehicles, trailers and semi-trailers (34)"], "pxp", with_z=True, fy_name="F_hh",
                         names_row_in_f=False)
    write_folder(os.path.join(HERE, "exiobase3_pxp_small"), pxp)
    write_folder(os.path.join(HERE, "eora26_small"), eora_files())


if __name__ == "__main__":
    main()
