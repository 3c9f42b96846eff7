"""The gravity estimate behind scenarios/celac_deep_integration.toml (tools/gravity, docs/gravity.md).

- The NumPy PPML with high-dimensional fixed effects recovers a known coefficient on simulated
  gravity data with exporter-year, importer-year and pair effects, and agrees with a plain
  dense-dummy Poisson fit (coefficient and cluster-robust standard error) on a small panel.
- On the AGTPA panel it gives the guide's 0.557 (0.102), N = 28,482 (skipped without
  ../shared/data), and the derived file holds that number.
- The scenario's cuts are 1 - exp(-beta / theta) with beta from data/gravity/rta_effect.toml
  and theta from the dataset, goods sectors only, and its blocks cover every pair of CELAC
  members without a full agreement in force in 2023 exactly once, and no other pair.
"""
import math
import os
import pathlib
import sys
import tomllib
from collections import Counter

import numpy as np
import pandas as pd
import pytest

ROOT = pathlib.Path(os.environ.get("INTEGRA_ROOT", pathlib.Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(ROOT / "tools" / "gravity"))
from ppml import ppml  # noqa: E402
import estimate_rta_effect as era  # noqa: E402

DATASET = ROOT / "data" / "celac38"
SCENARIO = ROOT / "scenarios" / "celac_deep_integration.toml"
DERIVED = ROOT / "data" / "gravity" / "rta_effect.toml"
GOODS = ("agriculture", "mining_utilities", "manufacturing")


def simulated_panel(n=20, years=5, beta=0.5, seed=1, noise=True):
    """Gravity panel with domestic flows: mu = exp(pi_it + chi_jt + eta_ij + beta * rta_ijt),
    symmetric pair effects, agreements that switch on at random dates."""
    rng = np.random.default_rng(seed)
    i, j, t = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), np.arange(years), indexing="ij"))
    pi = rng.normal(0, 1, (n, years))
    chi = rng.normal(0, 1, (n, years))
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    pair = lo * n + hi
    eta = rng.normal(0, 1.5, n * n)[pair]
    eta = np.where(i == j, 4.0 + eta, eta)  # large domestic flows
    start = rng.integers(1, years + 3, n * n)[pair]  # some pairs never sign
    rta = ((t >= start) & (i != j)).astype(float)
    mu = np.exp(8.0 + pi[i, t] + chi[j, t] + eta + beta * rta)
    y = rng.poisson(mu).astype(float) if noise else mu
    return pd.DataFrame({"y": y, "rta": rta, "ey": i * years + t, "iy": j * years + t, "pair": pair})


def test_ppml_recovers_an_exact_coefficient():
    d = simulated_panel(noise=False)
    res = ppml(d["y"], d[["rta"]], [d["ey"], d["iy"], d["pair"]], cluster=d["pair"])
    assert res.converged
    assert abs(res.coef[0] - 0.5) < 1e-7


def test_ppml_recovers_a_known_coefficient_with_noise():
    d = simulated_panel(n=25, beta=0.3, seed=7)
    res = ppml(d["y"], d[["rta"]], [d["ey"], d["iy"], d["pair"]], cluster=d["pair"])
    assert res.converged
    assert abs(res.coef[0] - 0.3) < 0.01
    assert 0 < res.se[0] < 0.01


def test_ppml_matches_a_dense_dummy_fit():
    """Plain Newton on the full dummy design (pseudo-inverse for the collinear dummies), then
    the pair-clustered sandwich: the slope and its s.e. agree with the partialled-out fit."""
    d = simulated_panel(n=8, years=3, seed=3)
    d["y"] = d["y"] * np.exp(np.random.default_rng(5).normal(0, 0.3, len(d)))  # overdispersion
    res = ppml(d["y"], d[["rta"]], [d["ey"], d["iy"], d["pair"]], cluster=d["pair"])
    D = [np.asarray(pd.get_dummies(d[c]).values, dtype=float) for c in ("ey", "iy", "pair")]
    Z = np.column_stack([d["rta"].values] + D)
    y = d["y"].values
    b = np.zeros(Z.shape[1])
    b[1:] = np.log(y.mean()) / 3.0
    for _ in range(100):
        mu = np.exp(Z @ b)
        H = (Z.T * mu) @ Z
        step = np.linalg.pinv(H) @ (Z.T @ (y - mu))
        b += step
        if np.abs(step).max() < 1e-12:
            break
    mu = np.exp(Z @ b)
    Hinv = np.linalg.pinv((Z.T * mu) @ Z)
    cl = pd.factorize(d["pair"])[0]
    G = cl.max() + 1
    S = np.zeros((G, Z.shape[1]))
    np.add.at(S, cl, Z * (y - mu)[:, None])
    V = G / (G - 1) * Hinv @ (S.T @ S) @ Hinv
    assert abs(res.coef[0] - b[0]) < 1e-8
    assert abs(res.se[0] - math.sqrt(V[0, 0])) < 1e-6 * math.sqrt(V[0, 0]) + 1e-10


def test_ppml_drops_all_zero_groups():
    d = simulated_panel(n=10, years=3, noise=False)
    d.loc[d["pair"] == 1, "y"] = 0.0  # pair (0, 1) never trades: 2 directions x 3 years
    res = ppml(d["y"], d[["rta"]], [d["ey"], d["iy"], d["pair"]])
    assert res.n_dropped == 6
    assert abs(res.coef[0] - 0.5) < 1e-7


@pytest.mark.skipif(not era.DEFAULT_DATA.is_file(), reason=f"no AGTPA panel at {era.DEFAULT_DATA}")
def test_agtpa_estimate_matches_the_guide_and_the_derived_file():
    res = era.estimate(era.load_panel(), "pair_fe")
    assert res.converged
    assert res.n_obs == 28482
    assert abs(res.coef[0] - 0.557) < 0.0006 and abs(res.se[0] - 0.102) < 0.0006
    derived = tomllib.loads(DERIVED.read_text())["rta"]
    assert abs(derived["beta"] - res.coef[0]) < 5e-5
    assert abs(derived["standard_error"] - res.se[0]) < 5e-5


def _region_set(expr: str, regions: list[str], groups: dict[str, set[str]]) -> set[str]:
    """docs/scenarios.md: labels, groups or all, combined left to right with + and -."""
    tokens = expr.split()
    out: set[str] = set()
    op = "+"
    for tok in tokens:
        if tok in "+-":
            op = tok
            continue
        s = set(regions) if tok == "all" else groups.get(tok, {tok})
        assert s <= set(regions), tok
        out = out | s if op == "+" else out - s
    return out


def _scenario_cells():
    """Counter of (importer, exporter, sector) -> number of entries changing that cell, and the
    set of cuts per sector."""
    regions = pd.read_csv(DATASET / "regions.csv")["region"].tolist()
    g = pd.read_csv(DATASET / "groups.csv")
    groups = {k: set(v) for k, v in g.groupby("group")["member"]}
    sc = tomllib.loads(SCENARIO.read_text())
    cells: Counter = Counter()
    cuts: dict[str, set[float]] = {}
    for p in sc["trade_cost_change"]:
        imp = _region_set(p.get("importers", "all"), regions, groups)
        exp = _region_set(p.get("exporters", "all"), regions, groups)
        sectors = [p["sectors"]]
        for s in sectors:
            cuts.setdefault(s, set()).add(p["cut"])
            for a in imp:
                for b in exp:
                    if a == b:
                        continue  # domestic cells are never changed
                    cells[(a, b, s)] += 1
                    if p.get("symmetric", True):
                        cells[(b, a, s)] += 1
    return sc, cells, cuts, groups


def test_scenario_cuts_follow_the_estimate_and_theta():
    beta = tomllib.loads(DERIVED.read_text())["rta"]["beta"]
    theta = pd.read_csv(DATASET / "sectors.csv").set_index("sector")["trade_elasticity"]
    sc, _, cuts, _ = _scenario_cells()
    assert set(cuts) == set(GOODS)  # no services
    for s in GOODS:
        assert len(cuts[s]) == 1
        (cut,) = cuts[s]
        assert abs(cut - era.iceberg_cut(beta, theta[s])) < 6e-5, (s, cut)
    assert {(p["start_year"], p["phase_in_years"]) for p in sc["trade_cost_change"]} == {(2027, 10)}


def test_scenario_covers_each_member_pair_without_a_full_agreement_once():
    _, cells, _, groups = _scenario_cells()
    celac = groups["CELAC"]
    a = pd.read_csv(DATASET / "agreements_in_force_2023.csv")
    full = {frozenset(p) for p in a.loc[a["tariff_preference"] == "full", ["region_1", "region_2"]].values}
    expected = {(i, j) for i in celac for j in celac if i != j and frozenset((i, j)) not in full}
    assert len(expected) == 2 * 374
    for s in GOODS:
        got = {(i, j): n for (i, j, sec), n in cells.items() if sec == s}
        assert set(got) == expected, (s, sorted(set(got) ^ expected)[:10])
        assert set(got.values()) == {1}, (s, [k for k, n in got.items() if n != 1][:10])
