#!/usr/bin/python3
"""A24: historical real output (output_history.csv), the AR(1) process of tradable-sector output
shocks per region (business_cycles.csv) and the correlation of those shocks across regions
(shock_correlation.csv), for the currency-union module (policy-modules D.B.2) and its OCA
diagnostics (B3.1).

Source (../shared/data):
  - un_national_accounts_main_aggregates/un_ama_gdp_va_constant2015_usd_1990_2023.csv: UNSD AMA,
    constant 2015 US$, million, 1990-2023; rows GDP, VA_AB (ISIC A-B) and VA_CE (ISIC C-E).

Treatment (DATA.md A24):
  output_history.csv (region,year,gdp,tradable_va; million 2015 US$):
  - gdp = AMA "GDP"; tradable_va = AMA "VA_AB" + "VA_CE" (agriculture, hunting, forestry, fishing;
    mining, manufacturing, electricity, gas and water). "VA_D" (manufacturing) is inside VA_CE and
    not added again; construction and services (F-P) are non-tradable here;
  - ISO3 codes to regions with build_celac38.region_of; a region is the sum of its member
    countries whose three rows are complete for 1990-2023 (a balanced panel). That keeps the
    former states (USSR, Czechoslovakia, Yugoslavia, ... : 1990 only, which would double-count
    their successors) and the countries with breaks (Sudan, South Sudan, Curacao, Sint Maarten,
    Netherlands Antilles) and without VA_AB (Macao, Monaco) out of ROW; every other region is
    complete (the builder fails if a country outside ROW is incomplete); main() lists the
    excluded countries.
  business_cycles.csv (region,rho,sigma,years,method):
  - estimated on ESTIMATION_FIRST_YEAR-2023 (1995-2023, the same sample for every region), not on
    the whole history: early-1990s constant-price series carry stabilisation and transition breaks
    (Brazil's tradable VA 213 bn 1990 -> 157 bn 1993 -> 241 bn 1995 across the Real Plan, which
    triples its sigma), and one common sample keeps the correlation below on common years;
  - y = log tradable_va; trend by the Hodrick-Prescott filter with lambda = 6.25 (Ravn and Uhlig
    2002, annual data): tau solves (I + lambda D'D) tau = y, D the (T-2) x T second-difference
    matrix; cycle z = y - tau;
  - rho = sum z_t z_{t-1} / sum z_{t-1}^2 (OLS without constant), clamped to [0, 0.95]; the
    residuals e_t = z_t - rho z_{t-1} use the clamped rho; sigma = sqrt(sum e^2 / (n - 1)), n the
    number of residuals (one estimated parameter);
  - fewer than MIN_YEARS years: rho 0.7, sigma 0.03 (policy-modules D.B.2), method "placeholder".
  shock_correlation.csv (region,partner,value): every one of the N x N cells, diagonal 1:
  - the Pearson correlation of the residuals over their common years (1996-2023), shrunk towards
    the constant-correlation target (1 on the diagonal, the mean off-diagonal correlation
    elsewhere) with the Ledoit-Wolf (2004, "Honey, I shrunk the sample covariance matrix")
    optimal weight computed on the standardised residuals, at least MIN_SHRINKAGE; the result
    is positive definite (the smallest eigenvalue, asserted > 1e-6 after rounding, is reported);
  - a placeholder region correlates 0.2 with every other (policy-modules D.B.2).

Standalone (prints the estimates, or writes the three files into an existing dataset folder):
    /usr/bin/python3 tools/dataset_builder/business_cycles.py --shared-data ../shared/data [--out data/celac38]
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
from dataset_format import fmt, write_csv  # noqa: E402

SOURCE = os.path.join("un_national_accounts_main_aggregates", "un_ama_gdp_va_constant2015_usd_1990_2023.csv")
YEARS = list(range(1990, 2024))     # output_history.csv (the OCA diagnostics' history)
# First year of the AR(1) and correlation sample (DATA.md A24). The early 1990s are left out for
# every region: constant-price tradable VA has measurement breaks across the stabilisations and
# transitions of those years (Brazil 213 bn 1990 -> 157 bn 1993 -> 241 bn 1995 across the 1994
# Real Plan, which tripled its sigma: 0.047 on 1990-2023 against 0.021 on 1995-2023). One common
# post-stabilisation sample keeps the residuals on the same years for the correlation matrix.
ESTIMATION_FIRST_YEAR = 1995
TRADABLE_ROWS = ("VA_AB", "VA_CE")   # ISIC A-B + C-E (C-E contains D: not added again)
HP_LAMBDA = 6.25                     # Ravn and Uhlig (2002), annual data
RHO_BOUNDS = (0.0, 0.95)
MIN_YEARS = 20
PLACEHOLDER_RHO, PLACEHOLDER_SIGMA, PLACEHOLDER_CORRELATION = 0.7, 0.03, 0.2   # policy-modules D.B.2
MIN_SHRINKAGE = 0.05                 # floor on the Ledoit-Wolf weight (documented in DATA.md A24)
MIN_EIGENVALUE = 1e-6


# ----------------------------------------------------------------------------------------------
# output history
# ----------------------------------------------------------------------------------------------
def output_history(sd: str, region_of, regions: list[str]) -> dict:
    """Real GDP and tradable VA per region and year (million 2015 US$).

    Returns {"gdp": R x T array, "tradable": R x T array (NaN where absent), "excluded": sorted
    list of (iso3 or country name, region) left out of the sums because a row is incomplete}."""
    d = pd.read_csv(os.path.join(sd, SOURCE), dtype={"iso3": str})
    cols = [str(y) for y in YEARS]
    d = d[d.indicator_code.isin(("GDP",) + TRADABLE_ROWS)]
    # one record per country (m49) and indicator; former states have no iso3 and never map
    complete, members = {}, {}
    for (m49, code), g in d.groupby(["m49", "indicator_code"]):
        complete[(m49, code)] = bool(g[cols].notna().all(axis=None)) and len(g) == 1
    excluded = []
    gdp = np.zeros((len(regions), len(YEARS)))
    tra = np.zeros((len(regions), len(YEARS)))
    ri = {r: i for i, r in enumerate(regions)}
    for m49, g in d.groupby("m49"):
        iso = g.iso3.iloc[0]
        name = iso if isinstance(iso, str) else g.country.iloc[0]
        region = region_of(iso) if isinstance(iso, str) else "ROW"
        if not all(complete.get((m49, c), False) for c in ("GDP",) + TRADABLE_ROWS):
            excluded.append((name, region))
            continue
        members.setdefault(region, []).append(name)
        v = g.set_index("indicator_code")[cols]
        gdp[ri[region]] += v.loc["GDP"].to_numpy(float)
        tra[ri[region]] += sum(v.loc[c].to_numpy(float) for c in TRADABLE_ROWS)
    for r in regions:
        if r not in members:
            gdp[ri[r]] = tra[ri[r]] = np.nan
    if any(r for _, r in excluded if r != "ROW"):
        bad = [e for e in excluded if e[1] != "ROW"]
        raise ValueError(f"{SOURCE}: incomplete series outside ROW: {bad}")
    return {"gdp": gdp, "tradable": tra, "excluded": sorted(excluded), "members": members}


def history_rows(h: dict, regions: list[str]) -> list[list]:
    rows = []
    for i, r in enumerate(regions):
        for t, y in enumerate(YEARS):
            if np.isfinite(h["gdp"][i, t]) or np.isfinite(h["tradable"][i, t]):
                rows.append([r, y, h["gdp"][i, t], h["tradable"][i, t]])
    return sorted(rows, key=lambda x: (x[0], x[1]))


# ----------------------------------------------------------------------------------------------
# HP filter and AR(1)
# ----------------------------------------------------------------------------------------------
def hp_filter(y: np.ndarray, lam: float = HP_LAMBDA) -> tuple[np.ndarray, np.ndarray]:
    """(trend, cycle) of y: the trend solves (I + lam D'D) tau = y, D the second differences."""
    T = len(y)
    D = np.zeros((T - 2, T))
    for t in range(T - 2):
        D[t, t:t + 3] = (1.0, -2.0, 1.0)
    tau = np.linalg.solve(np.eye(T) + lam * D.T @ D, y)
    return tau, y - tau


def ar1(z: np.ndarray) -> dict:
    """OLS without constant of z_t on z_{t-1}; rho clamped to RHO_BOUNDS; residuals at the clamped rho."""
    x, y = z[:-1], z[1:]
    rho_ols = float(x @ y / (x @ x))
    rho = min(max(rho_ols, RHO_BOUNDS[0]), RHO_BOUNDS[1])
    e = y - rho * x
    sigma = float(np.sqrt(e @ e / (len(e) - 1)))
    return {"rho_ols": rho_ols, "rho": rho, "sigma": sigma, "residuals": e}


def estimate(h: dict, regions: list[str]) -> dict:
    """Per region: the HP cycle of log tradable VA on ESTIMATION_FIRST_YEAR-2023 and its AR(1);
    placeholders below MIN_YEARS.

    Returns {"rows": business_cycles.csv rows, "residuals": R x (T-1) array (NaN for a
    placeholder region), "fits": {region: ar1 dict}}."""
    rows, fits = [], {}
    res = np.full((len(regions), len(YEARS) - 1), np.nan)
    for i, r in enumerate(regions):
        v = h["tradable"][i]
        ok = np.isfinite(v) & (v > 0) & (np.array(YEARS) >= ESTIMATION_FIRST_YEAR)
        # a contiguous run is needed for the filter: the longest one
        runs, start = [], None
        for t, good in enumerate(list(ok) + [False]):
            if good and start is None:
                start = t
            elif not good and start is not None:
                runs.append((start, t))
                start = None
        a, b = max(runs, key=lambda s: s[1] - s[0]) if runs else (0, 0)
        if b - a < MIN_YEARS:
            rows.append([r, PLACEHOLDER_RHO, PLACEHOLDER_SIGMA, b - a, "placeholder"])
            continue
        _, z = hp_filter(np.log(v[a:b]))
        f = ar1(z)
        fits[r] = f
        res[i, a:b - 1] = f["residuals"]
        method = f"HP(6.25) log tradable VA {YEARS[a]}-{YEARS[b - 1]}; AR(1) OLS no constant"
        if f["rho"] != f["rho_ols"]:
            method += f"; rho clamped from {fmt(round(f['rho_ols'], 4))}"
        rows.append([r, f["rho"], f["sigma"], b - a, method])
    return {"rows": sorted(rows), "residuals": res, "fits": fits}


# ----------------------------------------------------------------------------------------------
# correlation and shrinkage
# ----------------------------------------------------------------------------------------------
def ledoit_wolf_constant_correlation(X: np.ndarray) -> tuple[float, np.ndarray, float]:
    """Ledoit and Wolf (2004) optimal shrinkage weight towards the constant-correlation target.

    X: T x N observations. Applied to standardised columns (unit variance, 1/T), so the sample
    covariance is the sample correlation S and the target F has 1 on the diagonal and the mean
    off-diagonal correlation rbar elsewhere. Returns (delta in [0, 1], S, rbar)."""
    T, N = X.shape
    Y = X - X.mean(axis=0)
    Y = Y / np.sqrt((Y ** 2).mean(axis=0))
    S = Y.T @ Y / T
    rbar = float((S.sum() - N) / (N * (N - 1)))
    F = np.full((N, N), rbar)
    np.fill_diagonal(F, 1.0)
    # pi: sum of the asymptotic variances of sqrt(T) s_ij
    Y2 = Y ** 2
    pi_mat = (Y2.T @ Y2) / T - S ** 2
    pi_hat = float(pi_mat.sum())
    # rho: sum of the asymptotic covariances of the target's entries with the sample's
    theta = ((Y ** 3).T @ Y) / T - np.diag(S)[:, None] * S   # theta[i, j] = cov(y_i^2, y_i y_j)
    rho_hat = float(np.trace(pi_mat))
    off = rbar / 2.0 * (theta + theta.T)   # unit variances: the sqrt(s_jj/s_ii) factors are 1
    np.fill_diagonal(off, 0.0)
    rho_hat += float(off.sum())
    gamma_hat = float(((F - S) ** 2).sum())
    kappa = (pi_hat - rho_hat) / gamma_hat
    return float(min(max(kappa / T, 0.0), 1.0)), S, rbar


def shock_correlation(residuals: np.ndarray, regions: list[str]) -> dict:
    """The shrunk correlation of the AR(1) residuals (N x N), with the weight and the smallest eigenvalue."""
    have = [i for i in range(len(regions)) if np.isfinite(residuals[i]).any()]
    cols = np.all(np.isfinite(residuals[have]), axis=0)    # the common years
    X = residuals[np.ix_(have, np.where(cols)[0])].T
    delta_lw, S, rbar = ledoit_wolf_constant_correlation(X)
    delta = max(delta_lw, MIN_SHRINKAGE)
    F = np.full_like(S, rbar)
    np.fill_diagonal(F, 1.0)
    C_have = delta * F + (1 - delta) * S
    C = np.full((len(regions), len(regions)), PLACEHOLDER_CORRELATION)
    C[np.ix_(have, have)] = C_have
    np.fill_diagonal(C, 1.0)
    # what is written: 9 significant digits, exactly symmetric, exact unit diagonal
    W = np.array([[float(fmt(C[min(i, j), max(i, j)])) for j in range(len(regions))] for i in range(len(regions))])
    min_eig = float(np.linalg.eigvalsh(W).min())
    assert np.array_equal(W, W.T) and np.all(np.diag(W) == 1.0)
    assert min_eig > MIN_EIGENVALUE, f"shock correlation not positive definite: smallest eigenvalue {min_eig}"
    sample_min_eig = float(np.linalg.eigvalsh(S).min())
    return {"matrix": W, "sample": S, "delta_lw": delta_lw, "delta": delta, "rbar": rbar, "min_eig": min_eig,
            "sample_min_eig": sample_min_eig, "T": int(X.shape[0]), "have": [regions[i] for i in have]}


def correlation_rows(C: np.ndarray, regions: list[str]) -> list[list]:
    return sorted([[regions[i], regions[j], C[i, j]] for i in range(len(regions)) for j in range(len(regions))])


def mean_off_diagonal(C: np.ndarray, regions: list[str], a: list[str], b: list[str] | None = None) -> float:
    """Mean correlation within group a (b None) or between groups a and b."""
    ri = {r: i for i, r in enumerate(regions)}
    if b is None:
        v = [C[ri[x], ri[y]] for x in a for y in a if x < y]
    else:
        v = [C[ri[x], ri[y]] for x in a for y in b if x != y]
    return float(np.mean(v))


# ----------------------------------------------------------------------------------------------
def compute(sd: str, region_of, regions: list[str]) -> dict:
    h = output_history(sd, region_of, regions)
    e = estimate(h, regions)
    c = shock_correlation(e["residuals"], regions)
    return {"history": h, "estimates": e, "correlation": c}


def write(out: str, sd: str, region_of, regions: list[str]) -> dict:
    """Writes output_history.csv, business_cycles.csv and shock_correlation.csv into `out`."""
    r = compute(sd, region_of, regions)
    write_csv(os.path.join(out, "output_history.csv"), ["region", "year", "gdp", "tradable_va"],
              history_rows(r["history"], regions))
    write_csv(os.path.join(out, "business_cycles.csv"), ["region", "rho", "sigma", "years", "method"],
              r["estimates"]["rows"])
    write_csv(os.path.join(out, "shock_correlation.csv"), ["region", "partner", "value"],
              correlation_rows(r["correlation"]["matrix"], regions))
    return r


def main(argv=None) -> int:
    import build_celac38 as b  # noqa: E402  (the region definitions)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared-data", required=True, help="path to ../shared/data")
    ap.add_argument("--out", help="dataset folder to write the three files into (else print only)")
    a = ap.parse_args(argv)
    r = compute(a.shared_data, b.region_of, b.REGIONS)
    h, e, c = r["history"], r["estimates"], r["correlation"]
    print(f"estimation sample {ESTIMATION_FIRST_YEAR}-{YEARS[-1]}")
    print("excluded from the sums (incomplete 1990-2023): " + ", ".join(f"{n} ({g})" for n, g in h["excluded"]))
    print(f"members: EU27 {len(h['members']['EU27'])}, ROW {len(h['members']['ROW'])}")
    for row in e["rows"]:
        print(f"  {row[0]:5s} rho {row[1]:.3f} sigma {row[2]:.4f} {row[3]} {row[4]}")
    print(f"residual years {c['T']}; Ledoit-Wolf weight {c['delta_lw']:.4f}, used {c['delta']:.4f}; "
          f"mean off-diagonal correlation {c['rbar']:.4f}; smallest eigenvalue sample {c['sample_min_eig']:.3e}, "
          f"shrunk {c['min_eig']:.6f}")
    C, S, R = c["matrix"], c["sample"], b.REGIONS
    mercosur, cam = ["ARG", "BRA", "PRY", "URY"], ["CRI", "DOM", "GTM", "HND", "NIC", "PAN", "SLV"]
    for label, M in (("shrunk", C), ("sample", S)):
        print(f"  {label}: within CELAC {mean_off_diagonal(M, R, b.CELAC):.3f}, Mercosur {mean_off_diagonal(M, R, mercosur):.3f}, "
              f"Central America+DR {mean_off_diagonal(M, R, cam):.3f}, CELAC vs USA {mean_off_diagonal(M, R, b.CELAC, ['USA']):.3f}, "
              f"ARG-URY {M[R.index('ARG'), R.index('URY')]:.3f}, ARG-BRA {M[R.index('ARG'), R.index('BRA')]:.3f}, "
              f"MEX-USA {M[R.index('MEX'), R.index('USA')]:.3f}")
    # 2020-2021 (COVID) out of the residuals, for comparison only
    res = e["residuals"]
    keep = [t for t in range(res.shape[1]) if np.isfinite(res[:, t]).all() and YEARS[t + 1] not in (2020, 2021)]
    Sx = np.corrcoef(res[:, keep])
    print(f"  sample without 2020-2021: within CELAC {mean_off_diagonal(Sx, R, b.CELAC):.3f}, Mercosur "
          f"{mean_off_diagonal(Sx, R, mercosur):.3f}, Central America+DR {mean_off_diagonal(Sx, R, cam):.3f}, "
          f"CELAC vs USA {mean_off_diagonal(Sx, R, b.CELAC, ['USA']):.3f}, all {(Sx.sum() - len(R)) / (len(R) * (len(R) - 1)):.3f}")
    if a.out:
        write(a.out, a.shared_data, b.region_of, b.REGIONS)
        print(f"wrote output_history.csv, business_cycles.csv and shock_correlation.csv into {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
