"""Writes small_icio_2019.csv: a hand-made table in the OECD ICIO 2023-edition CSV layout.

Regions ARG, MX1, MX2 (Mexico split; merged into MEX on import), USA; sectors D01T03,
D10T12, D49T53. Intermediate flows follow a simple integer pattern; final demand is set
by hand, including two special cases the importer must handle:
  - USA_D01T03 -> ARG: HFCE 3 + INVNT -9 = -6 (negative net final demand: set to 0),
  - column USA_D49T53 buys more inputs than it produces (negative VA: inputs scaled down).
VA closes each column with TLS = 1 per column; OUT is the row sum. All values are
integers, so every sum is exact. Also prints the expected merged values the unit test checks.

Run: python3 tests/data/icio/make_small_icio.py > /dev/null  (rewrites the CSV)
"""
import os

regions = ["ARG", "MX1", "MX2", "USA"]
fd_regions = ["ARG", "MEX", "USA"]
sectors = ["D01T03", "D10T12", "D49T53"]
cats = ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"]
rows = [f"{r}_{s}" for r in regions for s in sectors]
fd_cols = [f"{r}_{c}" for r in fd_regions for c in cats]
n = len(rows)

Z = [[1 + (3 * i + 5 * j) % 7 for j in range(n)] for i in range(n)]
small = rows.index("USA_D49T53")
for j in range(n):
    Z[small][j] = 1  # USA_D49T53 sells little ...
col_big = rows.index("USA_D49T53")  # ... but buys the pattern's inputs (about 48)

def country(label):
    r = label.split("_")[0]
    return "MEX" if r in ("MX1", "MX2") else r

F = {(row, col): 0 for row in rows for col in fd_cols}
for i, row in enumerate(rows):
    home = country(row)
    s = sectors.index(row.split("_")[1])
    for r in fd_regions:
        F[(row, f"{r}_HFCE")] = 40 + 5 * s if r == home else 3
    F[(row, f"{home}_GGFC")] = 10 if s == 2 else 0
    F[(row, f"{home}_GFCF")] = 8 if s == 1 else 0
    F[(row, f"{home}_INVNT")] = -1 if s == 0 else 2
    F[(row, f"{home}_NPISH")] = 1
F[("MX2_D10T12", "USA_DPABR")] = 4
F[("USA_D01T03", "ARG_INVNT")] = -9          # net ARG final demand from USA_D01T03: 3 - 9 = -6
F[("USA_D49T53", "USA_HFCE")] = 5             # keep USA_D49T53 output small

out = [sum(Z[i]) + sum(F[(rows[i], c)] for c in fd_cols) for i in range(n)]
tls = [1] * n
va = [out[j] - sum(Z[i][j] for i in range(n)) - tls[j] for j in range(n)]
tls_fd = {c: (2 if c.endswith("HFCE") else 0) for c in fd_cols}

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "small_icio_2019.csv"), "w", newline="\n") as fh:
    fh.write(",".join(["V1"] + rows + fd_cols + ["OUT"]) + "\n")
    for i, row in enumerate(rows):
        fh.write(",".join([row] + [str(v) for v in Z[i]] + [str(F[(row, c)]) for c in fd_cols] + [str(out[i])]) + "\n")
    fh.write(",".join(["TLS"] + [str(v) for v in tls] + [str(tls_fd[c]) for c in fd_cols] + ["0"]) + "\n")
    fh.write(",".join(["VA"] + [str(v) for v in va] + ["0"] * len(fd_cols) + ["0"]) + "\n")
    fh.write(",".join(["OUT"] + [str(v) for v in out] + ["0"] * len(fd_cols) + ["0"]) + "\n")

# Expected merged values (the importer's conversion, re-done here independently).
R, S = fd_regions, sectors
def idx(label):
    return R.index(country(label)), sectors.index(label.split("_")[1])
Zm = {}
Fm = {}
for i, row in enumerate(rows):
    a = idx(row)
    for j, col in enumerate(rows):
        Zm[(a, idx(col))] = Zm.get((a, idx(col)), 0) + Z[i][j]
    for c in fd_cols:
        key = (a, R.index(c.split("_")[0]))
        Fm[key] = Fm.get(key, 0) + F[(row, c)]
for k in Fm:
    Fm[k] = max(Fm[k], 0)
cells = [(r, s) for r in range(3) for s in range(3)]
go = {c: sum(Zm[(c, d)] for d in cells) + sum(Fm[(c, n)] for n in range(3)) for c in cells}
for d in cells:
    inputs = sum(Zm[(c, d)] for c in cells)
    if inputs > go[d]:
        f = go[d] / inputs
        for c in cells:
            Fm[(c, d[0])] += Zm[(c, d)] * (1 - f)
            Zm[(c, d)] *= f
print("gross_output", {f"{R[c[0]]}/{S[c[1]]}": go[c] for c in cells})
print("value_added", {f"{R[d[0]]}/{S[d[1]]}": go[d] - sum(Zm[(c, d)] for c in cells) for d in cells})
trade = {(s, i, n): sum(Zm[((i, s), (n, j))] for j in range(3)) + Fm[((i, s), n)] for s in range(3) for i in range(3) for n in range(3)}
print("trade MEX->USA D10T12", trade[(1, 1, 2)], "USA->ARG D01T03", trade[(0, 2, 0)], "MEX->MEX D49T53", trade[(2, 1, 1)])
fu = {(n, s): sum(Fm[((i, s), n)] for i in range(3)) for n in range(3) for s in range(3)}
print("alpha", {f"{R[n]}/{S[s]}": fu[(n, s)] / sum(fu[(n, t)] for t in range(3)) for n in range(3) for s in range(3)})
imports = [sum(trade[(s, i, n)] for s in range(3) for i in range(3) if i != n) for n in range(3)]
exports = [sum(trade[(s, n, i)] for s in range(3) for i in range(3) if i != n) for n in range(3)]
print("deficit", {R[n]: imports[n] - exports[n] for n in range(3)})
print("gamma MEX D10T12 <- D01T03", sum(Zm[((i, 0), (1, 1))] for i in range(3)) / go[(1, 1)])
