#!/usr/bin/python3
"""Independent NumPy reference for tests/unit/models/test_satellite_accounts.cpp.

Builds the random 5-region x 6-sector MRIO table with two stressors that the C++ test
builds (same 64-bit LCG, seed 2024, same fill order), computes the satellite accounts
straight from their textbook definitions with numpy.linalg.inv (not Integra's LU path),
and prints them as C++ arrays to paste into the test (section "independent reference").

    /usr/bin/python3 tests/unit/models/satellite_reference.py > /tmp/reference.inc

Definitions (docs/io-accounting.md): A = Z x^-1, L = (I - A)^-1, B = x^-1 Z,
G = (I - B)^-1, S = F x^-1, M = S L, CBA = M Y + F_y, PBA(r) = sum_(s in r) F + F_y(r),
D[k](o, q) = sum_(s in o) S(k,(o,s)) (L y_q)(o,s) + [o == q] F_y(k, q),
M_down = S (G' - I), m_down = G 1, m_full = 1'L + G 1 - 1.
"""
import numpy as np

R, S_, K = 5, 6, 2
N = R * S_
MASK = (1 << 64) - 1
state = 2024


def uniform():
    """The C++ test's LCG: Knuth's MMIX constants, top 53 bits as a double in [0, 1)."""
    global state
    state = (state * 6364136223846793005 + 1442695040888963407) & MASK
    return (state >> 11) * 2.0**-53


def fill(rows, cols, scale, offset=0.0):
    """Row by row, as the C++ helper fills its matrices."""
    m = np.empty((rows, cols))
    for i in range(rows):
        for j in range(cols):
            m[i, j] = offset + scale * uniform()
    return m


Z = fill(N, N, 1.0)
Y = fill(N, R, 50.0)
F = fill(K, N, 100.0, -5.0)      # a few cells negative: removals are valid
Fy = fill(K, R, 20.0)
pop = fill(1, R, 99.0, 1.0)[0]
x = Z.sum(axis=1) + Y.sum(axis=1)

A = Z / x[None, :]
L = np.linalg.inv(np.eye(N) - A)
B = Z / x[:, None]
G = np.linalg.inv(np.eye(N) - B)
S = F / x[None, :]
M = S @ L
pba = np.stack([F[:, r * S_:(r + 1) * S_].sum(axis=1) for r in range(R)], axis=1) + Fy
cba = M @ Y + Fy
X = L @ Y
D = np.zeros((K, R, R))
for k in range(K):
    for o in range(R):
        for q in range(R):
            D[k, o, q] = S[k, o * S_:(o + 1) * S_] @ X[o * S_:(o + 1) * S_, q] + (Fy[k, q] if o == q else 0.0)
imports = np.array([[D[k, :, q].sum() - D[k, q, q] for q in range(R)] for k in range(K)])
exports = np.array([[D[k, r, :].sum() - D[k, r, r] for r in range(R)] for k in range(K)])
P0 = M[0][:, None] * Y                       # footprint by final product, stressor 0
m_down = G.sum(axis=1)
m_full = L.sum(axis=0) + G.sum(axis=1) - 1.0
M_down = S @ (G.T - np.eye(N))


def emit(name, a):
    a = np.atleast_2d(a)
    rows = ",\n    ".join("{" + ", ".join(repr(float(v)) for v in row) + "}" for row in a)
    print(f"const double {name}[{a.shape[0]}][{a.shape[1]}] = {{\n    {rows}}};")


print(f"// numpy {np.__version__}; global CBA {cba.sum():.17g} = global PBA {pba.sum():.17g}")
emit("ref_multipliers", M)
emit("ref_pba", pba)
emit("ref_cba", cba)
emit("ref_cba_per_person", cba / pop[None, :])
emit("ref_imports", imports)
emit("ref_exports", exports)
emit("ref_by_origin_0", D[0])
emit("ref_by_product_0", P0)
emit("ref_m_down", m_down)
emit("ref_m_full", m_full)
emit("ref_downstream", M_down)
