"""Poisson pseudo-maximum likelihood (PPML) with high-dimensional fixed effects, in NumPy.

The estimator of Santos Silva & Tenreyro (2006) with any number of categorical fixed-effect
sets, fitted as ppmlhdfe does (Correia, Guimaraes & Zylkin 2020): iteratively reweighted least
squares (IRLS) where every weighted least-squares step partials the fixed effects out of the
working response and the regressors by alternating projections (weighted group demeaning,
one fixed-effect set after the other, until the change is below a tolerance; the fixed-effect
parts of each column are kept between IRLS steps as a warm start). Standard errors are the
cluster-robust sandwich (Frisch-Waugh-Lovell: the partialled-out regressors carry the
information about the slopes), with the small-sample factor G/(G-1).

Only NumPy is needed (no SciPy, no statsmodels).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class PPMLResult:
    coef: np.ndarray  # slopes, in the order of the columns of X
    se: np.ndarray | None  # cluster-robust standard errors (None without clusters)
    vcov: np.ndarray | None
    names: list[str]
    n_obs: int  # observations used (after dropping all-zero fixed-effect groups)
    n_dropped: int  # observations dropped because a fixed-effect group has only zeros
    n_clusters: int | None
    fe_levels: list[int]  # levels of each fixed-effect set among the observations used
    iterations: int  # IRLS iterations
    inner_sweeps: int  # alternating-projection sweeps summed over IRLS iterations
    converged: bool
    deviance: float
    deviance_change: float  # relative change of the deviance in the last iteration
    pseudo_r2: float  # squared correlation of y and the fitted mean (as Stata's ppml)
    mu: np.ndarray = field(repr=False)
    keep: np.ndarray = field(repr=False)  # boolean mask over the input rows

    def summary(self) -> str:
        lines = []
        for k, name in enumerate(self.names):
            se = f"{self.se[k]:.4f}" if self.se is not None else "n/a"
            lines.append(f"  {name:<12s} {self.coef[k]: .4f}  (se {se})")
        lines.append(
            f"  N = {self.n_obs} (dropped {self.n_dropped}), clusters = {self.n_clusters}, "
            f"FE levels = {self.fe_levels}"
        )
        lines.append(
            f"  converged = {self.converged} after {self.iterations} IRLS iterations "
            f"({self.inner_sweeps} demeaning sweeps), relative deviance change {self.deviance_change:.1e}, "
            f"pseudo-R2 = {self.pseudo_r2:.4f}"
        )
        return "\n".join(lines)


def _codes(labels) -> np.ndarray:
    """Integer codes 0..G-1 for any array of hashable labels."""
    _, inv = np.unique(np.asarray(labels), return_inverse=True)
    return inv.astype(np.int64)


def _drop_all_zero_groups(y: np.ndarray, fes: list[np.ndarray]) -> np.ndarray:
    """Rows to keep: drop, until nothing changes, every row whose group in some fixed-effect
    set has only zero outcomes (its fixed effect would go to minus infinity and the rows carry
    no information about the slopes)."""
    keep = np.ones(y.shape[0], dtype=bool)
    while True:
        changed = False
        for codes in fes:
            g = codes[keep]
            total = np.bincount(g, weights=y[keep], minlength=codes.max() + 1)
            bad = keep & (total[codes] <= 0.0)
            if bad.any():
                keep &= ~bad
                changed = True
        if not changed:
            return keep


class _Demeaner:
    """Weighted partialling-out of several fixed-effect sets by alternating projections.

    For a matrix V (n x m) and weights w it returns V minus its weighted projection on the
    span of the fixed-effect dummies. The fixed-effect parts (one vector of group values per
    set, per column) are stored so the next call starts from them."""

    def __init__(self, fes: list[np.ndarray], n_cols: int):
        self.fes = fes
        self.sizes = [int(c.max()) + 1 for c in fes]
        self.alpha = [np.zeros((s, n_cols)) for s in self.sizes]

    def __call__(self, V: np.ndarray, w: np.ndarray, tol: float, max_sweeps: int) -> tuple[np.ndarray, int, bool]:
        m = V.shape[1]
        # residual given the stored fixed-effect parts
        R = V.copy()
        for codes, a in zip(self.fes, self.alpha):
            R -= a[codes]
        wsum = [np.bincount(codes, weights=w, minlength=s) for codes, s in zip(self.fes, self.sizes)]
        scale = np.maximum(1.0, np.abs(V).max(axis=0))
        for sweep in range(1, max_sweeps + 1):
            biggest = 0.0
            for k, (codes, s) in enumerate(zip(self.fes, self.sizes)):
                wr = R * w[:, None]
                step = np.empty((s, m))
                for j in range(m):
                    step[:, j] = np.bincount(codes, weights=wr[:, j], minlength=s)
                step /= np.where(wsum[k] > 0, wsum[k], 1.0)[:, None]
                R -= step[codes]
                self.alpha[k] += step
                biggest = max(biggest, float((np.abs(step).max(axis=0) / scale).max()))
            if biggest < tol:
                return R, sweep, True
        return R, max_sweeps, False


def ppml(
    y,
    X,
    fixed_effects,
    *,
    names: list[str] | None = None,
    cluster=None,
    tol: float = 1e-12,
    inner_tol: float = 1e-13,
    max_iter: int = 100,
    max_sweeps: int = 100_000,
) -> PPMLResult:
    """PPML of y on the columns of X with the given fixed-effect sets.

    y: outcomes >= 0 (n,). X: regressors (n, k), no constant (the fixed effects hold it).
    fixed_effects: list of label arrays (n,), one per set (e.g. exporter-year, importer-year,
    pair). cluster: label array (n,) for cluster-robust standard errors, or None.
    tol: convergence of IRLS, on the relative change of the deviance AND on the largest change
    of a slope. inner_tol: convergence of the alternating projections (largest update of a
    fixed-effect part, relative to the column's scale)."""
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    n, k = X.shape
    if names is None:
        names = [f"x{j}" for j in range(k)]
    if np.any(y < 0) or not np.all(np.isfinite(y)) or not np.all(np.isfinite(X)):
        raise ValueError("y must be finite and >= 0, X finite")
    fes_all = [_codes(f) for f in fixed_effects]
    keep = _drop_all_zero_groups(y, fes_all)
    y_k, X_k = y[keep], X[keep]
    fes = [_codes(f[keep]) for f in fes_all]
    nk = y_k.shape[0]
    y_sum = float(y_k.sum())

    demean = _Demeaner(fes, k + 1)
    mu = (y_k + y_k.mean()) / 2.0
    eta = np.log(mu)
    beta = np.zeros(k)
    dev_old = np.inf
    converged = False
    sweeps_total = 0
    rel = np.inf
    it = 0
    for it in range(1, max_iter + 1):
        z = eta + (y_k - mu) / mu
        V = np.column_stack([z, X_k])
        R, sweeps, ok = demean(V, mu, inner_tol, max_sweeps)
        sweeps_total += sweeps
        if not ok:
            raise RuntimeError(f"alternating projections did not converge in {max_sweeps} sweeps")
        zt, Xt = R[:, 0], R[:, 1:]
        XtW = Xt.T * mu
        beta_new = np.linalg.solve(XtW @ Xt, XtW @ zt)
        resid = zt - Xt @ beta_new
        eta = z - resid
        mu = np.exp(eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(y_k > 0, y_k * np.log(y_k / mu), 0.0)
        dev = 2.0 * float(np.sum(term - (y_k - mu)))
        ddev = abs(dev - dev_old)
        rel = ddev / max(abs(dev), 0.1)
        dbeta = float(np.max(np.abs(beta_new - beta))) if k else 0.0
        beta = beta_new
        dev_old = dev
        # the deviance of an exact fit is rounding noise (about eps * sum(y)): then only the
        # slopes must settle
        if (rel < tol or ddev <= 1e-13 * y_sum) and dbeta < 1e-9:
            converged = True
            break

    # Standard errors at the final mean: partial the regressors out with the final weights.
    se = vcov = None
    n_clusters = None
    R, sweeps, ok = demean(np.column_stack([np.zeros(nk), X_k]), mu, inner_tol, max_sweeps)
    sweeps_total += sweeps
    if not ok:
        raise RuntimeError(f"PPML: partialling out the fixed effects for the standard errors did not converge "
                           f"in {max_sweeps} sweeps (tolerance {inner_tol})")
    Xt = R[:, 1:]
    bread = np.linalg.inv((Xt.T * mu) @ Xt)
    if cluster is not None:
        cl = _codes(np.asarray(cluster)[keep])
        G = int(cl.max()) + 1
        scores = Xt * (y_k - mu)[:, None]
        S = np.column_stack([np.bincount(cl, weights=scores[:, j], minlength=G) for j in range(k)])
        meat = S.T @ S
        vcov = (G / (G - 1.0)) * bread @ meat @ bread
        se = np.sqrt(np.diag(vcov))
        n_clusters = G
    pseudo_r2 = float(np.corrcoef(y_k, mu)[0, 1] ** 2)
    return PPMLResult(
        coef=beta,
        se=se,
        vcov=vcov,
        names=list(names),
        n_obs=nk,
        n_dropped=n - nk,
        n_clusters=n_clusters,
        fe_levels=[int(f.max()) + 1 for f in fes],
        iterations=it,
        inner_sweeps=sweeps_total,
        converged=converged,
        deviance=dev_old,
        deviance_change=rel,
        pseudo_r2=pseudo_r2,
        mu=mu,
        keep=keep,
    )
