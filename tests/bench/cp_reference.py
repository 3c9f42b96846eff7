#!/usr/bin/python3
"""Independent NumPy reference for the Caliendo & Parro (2015) NAFTA counterfactual.

A plain NumPy version of the ORIGINAL solution algorithm, as described in the authors'
replication code and in docs/model.md (section 5.4, the authors' algorithm; section 4.2,
the welfare decomposition as the tables evaluate it). It serves as a speed baseline and as an
independent check of the C++ engine. Written from the model description, not from any
public implementation.

Algorithm:
  * wage loop from w_hat = 1;
  * inner loop: E1 (input-bundle cost) and E2 (price index) from P_hat = 1 until
    max|dP_hat| < 1e-7 (P_hat = 1 where the E2 sum is exactly zero);
  * E3 trade shares, normalised across exporters;
  * E4 expenditure by a DENSE solve of the NJ x NJ system (I - H - A) X' = alpha*(w*VA + D);
  * imbalance Z_n = imports_n - exports_n - D_n and the update
    w1 = w0*(1 - vfactor*ZW2/w0), vfactor = -0.2, ZW2 = -Z/VA,
    stopping when sum|Z| <= 1e-7 (model units of the calibrated base).

Welfare: the linearised eq. (16) as the tables report it (Welfarelineal.m): discrete
changes c_hat - 1 and M'/M - 1, base-year weights M, E, tau (ad valorem) and I_n.
Volume-of-trade cells with M = 0 are dropped (nansum); the terms-of-trade cells have no
0/0 and all count. Total = ToT + VoT; real wage = w_hat / P_hat_n.

Usage: /usr/bin/python3 tests/bench/cp_reference.py [--data DIR] [--json]
DIR is the shared data folder (containing caliendo-parro/); it defaults to
$INTEGRA_SHARED_DATA, else <repo>/../shared/data.
"""
import argparse
import json
import os
import pathlib
import sys
import time

import numpy as np

N, J, JT = 31, 40, 20            # countries, sectors, tradable sectors
CAN, MEX, USA = 4, 19, 29         # 0-based (1-based: 5, 20, 30)
NAFTA = {"MEX": MEX, "CAN": CAN, "USA": USA}

TOL_P = 1e-7                      # inner loop: max|dP_hat|
TOL_Z = 1e-7                      # outer loop: sum|Z|, model units
VFACTOR = -0.2


def default_data_dir():
    env = os.environ.get("INTEGRA_SHARED_DATA")
    if env:
        return pathlib.Path(env)
    return pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "data"  # <repo>/../shared/data


def _csv(folder, name):
    return np.loadtxt(folder / f"{name}.csv", delimiter=",", ndmin=2)


def load(data_dir):
    """Base year (authors' zero-deficit 1993 base) and the NAFTA counterfactual tariffs.

    Arrays use the layout [j, n, i] (sector, importer, exporter) for bilateral data and
    [j, n] for sector x country data."""
    cp = pathlib.Path(data_dir) / "caliendo-parro"
    base = cp / "calibrated" / "base_1993_noS"
    Din = _csv(base, "Din")
    tau = _csv(base, "tau")
    G = _csv(base, "G")
    X0, B, alphas = _csv(base, "X0"), _csv(base, "B"), _csv(base, "alphas")
    T, VAn, Sn = _csv(base, "T"), _csv(base, "VAn"), _csv(base, "Sn")
    assert Din.shape == tau.shape == (J * N, N), (Din.shape, tau.shape)
    assert G.shape == (N * J, J) and X0.shape == B.shape == alphas.shape == (J, N)
    assert T.shape == (J, 1) and VAn.shape == (N, 1) and Sn.shape == (N, 1)

    t2005 = np.loadtxt(cp / "raw" / "tariffs2005.txt")     # 620 x 31, percent, CRLF ok
    assert t2005.shape == (JT * N, N), t2005.shape

    d = {
        "Din": Din.reshape(J, N, N),                       # row (j-1)N+n, col i
        "tau": tau.reshape(J, N, N),                       # gross 1 + t (1993)
        "G": G.reshape(N, J, J),                           # [n, k (input), j (user)]
        "X0": X0, "B": B, "alphas": alphas,
        "theta": 1.0 / T[:, 0],                            # T = 1/theta
        "VAn": VAn[:, 0], "D": -Sn[:, 0],                  # deficit D = -Sn
    }
    # NAFTA only: tau' = tau1993 except the six intra-NAFTA pairs, 2005 in sectors 1..20.
    tau2005 = 1.0 + t2005.reshape(JT, N, N) / 100.0
    taup = d["tau"].copy()
    for n in NAFTA.values():
        for i in NAFTA.values():
            if n != i:
                taup[:JT, n, i] = tau2005[:, n, i]
    d["taup"] = taup
    return d


def prices(w, tau_hat, d):
    """Inner loop (E1-E2) from P_hat = 1. Returns P_hat [j,n], c_hat [j,n], iterations."""
    B, theta, Din = d["B"], d["theta"], d["Din"]
    gam = (1.0 - B)[None, :, :]                            # broadcast helper below
    Gt = d["G"]                                            # [n, k, j]
    lw = np.log(w)[None, :]                                # [1, n]
    # Din * tau_hat^(-theta), fixed across iterations
    Dk = Din * tau_hat ** (-theta[:, None, None])
    P = np.ones((J, N))
    it = 0
    while True:
        it += 1
        lp = np.log(P)                                     # [k, n]
        # log c[j,n] = B[j,n] log w[n] + (1-B[j,n]) sum_k G[n,k,j] log P[k,n]
        lc = B * lw + gam[0] * np.einsum("nkj,kn->jn", Gt, lp)
        c = np.exp(lc)
        # P_hat[j,n] = (sum_i Din tau_hat^-theta c[j,i]^-theta)^(-1/theta)
        s = np.einsum("jni,ji->jn", Dk, c ** (-theta[:, None]))
        with np.errstate(divide="ignore"):
            P1 = np.where(s == 0.0, 1.0, s ** (-1.0 / theta[:, None]))
        dev = np.max(np.abs(P1 - P))
        P = P1
        if dev < TOL_P:
            return P, c, it


def solve(d, verbose=False):
    """Original algorithm. Returns the counterfactual equilibrium and iteration counts."""
    Din, tau, taup, B, alphas = d["Din"], d["tau"], d["taup"], d["B"], d["alphas"]
    VAn, D, theta = d["VAn"], d["D"], d["theta"]
    tau_hat = taup / tau
    # gamma^{j,k}_n = (1 - B[k,n]) G[n,j,k]: share of j-materials in k's gross output
    gam = (1.0 - B.T)[:, None, :] * d["G"]                 # [n, j, k]
    NJ = N * J
    eye = np.eye(NJ)
    w = np.ones(N)
    outer = inner = 0
    while True:
        outer += 1
        P, c, k = prices(w, tau_hat, d)
        inner += k
        # E3: pi' = pi (tau_hat c_i / P_n)^(-theta), normalised over exporters i
        pip = Din * (tau_hat * c[:, None, :] / P[:, :, None]) ** (-theta[:, None, None])
        pip /= pip.sum(axis=2, keepdims=True)
        Ms = pip / taup                                    # [k, i, n]: world-price share
        Fp = Ms.sum(axis=2)                                # F'[j, n]
        # E4: unknowns ordered (n, j). H[(n,j),(i,k)] = gam[n,j,k] * Ms[k,i,n]
        H = gam[:, :, None, :] * Ms.transpose(2, 1, 0)[:, None, :, :]
        Om = eye - H.reshape(NJ, NJ)
        # A[(n,j),(n,k)] = alpha[j,n] (1 - F'[k,n])
        Ablk = alphas.T[:, :, None] * (1.0 - Fp.T)[:, None, :]   # [n, j, k]
        for n in range(N):
            Om[n * J:(n + 1) * J, n * J:(n + 1) * J] -= Ablk[n]
        rhs = (alphas.T * (w * VAn + D)[:, None]).reshape(NJ)
        Xp = np.linalg.solve(Om, rhs).reshape(N, J).T      # X'[j, n]
        # E5 imbalance: Z = imports - exports - D
        imports = (Xp * Fp).sum(axis=0)
        exports = np.einsum("ji,jin->n", Xp, Ms)
        Z = imports - exports - D
        err = np.abs(Z).sum()
        if verbose:
            print(f"  it {outer:4d}  inner {k:3d}  sum|Z| = {err:.3e}", file=sys.stderr)
        if err <= TOL_Z:
            # Final state is the one at which Z was evaluated (the replication code
            # applies one further, negligible wage update before returning).
            return {"w": w, "P": P, "c": c, "pip": pip, "Xp": Xp, "Z": Z,
                    "outer": outer, "inner": inner, "residual": err}
        ZW2 = -Z / VAn
        w = w * (1.0 - VFACTOR * ZW2 / w)


def welfare(d, eq):
    """Linearised eq. (16) as in Welfarelineal.m, plus the real wage. Fractions."""
    Din, tau, taup, X0, alphas = d["Din"], d["tau"], d["taup"], d["X0"], d["alphas"]
    M = X0[:, :, None] * Din / tau                         # [j, n, i] base imports, world prices
    Mp = eq["Xp"][:, :, None] * eq["pip"] / taup
    E = M.transpose(0, 2, 1)                               # E[j,n,i] = M[j,i,n]
    F = (Din / tau).sum(axis=2)
    In = d["VAn"] + (X0 * (1.0 - F)).sum(axis=0) + d["D"]  # = VAn + sum X0(1-F) - Sn
    dc = eq["c"] - 1.0                                     # c_hat - 1, [j, n]
    # Terms of trade: E_ni dc_n - M_ni dc_i over all cells (no division, nothing to drop).
    tot = (E * dc[:, :, None] - M * dc[:, None, :]).sum(axis=(0, 2)) / In
    # Volume of trade: M'/M - 1 is undefined where M = 0; those cells are dropped (nansum).
    keep = M > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        dM = np.where(keep, Mp / M - 1.0, 0.0)
    vot_cells = (tau - 1.0) * M * (dM - dc[:, None, :])
    vot = np.where(keep, vot_cells, 0.0).sum(axis=(0, 2)) / In
    Pn = np.prod(eq["P"] ** alphas, axis=0)
    return {"total": tot + vot, "tot": tot, "vot": vot, "real_wage": eq["w"] / Pn - 1.0}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=pathlib.Path, default=None,
                    help="shared data folder holding caliendo-parro/ "
                         "(default $INTEGRA_SHARED_DATA or <repo>/../shared/data)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--verbose", action="store_true", help="trace the wage loop on stderr")
    args = ap.parse_args(argv)
    data_dir = args.data or default_data_dir()

    t0 = time.perf_counter()
    d = load(data_dir)
    t1 = time.perf_counter()
    eq = solve(d, verbose=args.verbose)
    t2 = time.perf_counter()
    wf = welfare(d, eq)
    t3 = time.perf_counter()

    table = {r: {k: 100.0 * float(wf[k][n]) for k in ("total", "tot", "vot", "real_wage")}
             for r, n in NAFTA.items()}
    out = {"table2_percent": table, "outer_iterations": eq["outer"],
           "inner_iterations": eq["inner"], "sum_abs_Z": float(eq["residual"]),
           "solve_seconds": t2 - t1, "total_seconds": t3 - t0, "data": str(data_dir)}
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print("Caliendo & Parro (2015) Table 2, NAFTA tariff reductions (NumPy reference, original algorithm)")
    print(f"{'':6s}{'Total':>16s}{'Terms of trade':>16s}{'Vol. of trade':>16s}{'Real wage':>16s}")
    for r, v in table.items():
        print(f"{r:6s}{v['total']:16.10f}{v['tot']:16.10f}{v['vot']:16.10f}{v['real_wage']:16.10f}")
    print(f"wage iterations: {eq['outer']}  (inner E1-E2 iterations: {eq['inner']})  "
          f"final sum|Z| = {eq['residual']:.3e}")
    print(f"solve time: {out['solve_seconds']:.3f} s   total time: {out['total_seconds']:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
