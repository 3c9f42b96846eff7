#!/usr/bin/env python3
"""The average effect of a regional trade agreement (RTA) on trade, by structural gravity.

Reproduces the "RTA effects" application of Yotov, Piermartini, Monteiro & Larch (2016),
An Advanced Guide to Trade Policy Analysis: The Structural Gravity Model (WTO/UNCTAD),
chapter 1, application 3, on its panel of manufacturing trade among 69 countries including
domestic (intra-national) flows, every four years 1986-2006:

  pair_fe (the guide's column 4, "addressing potential endogeneity of RTAs"):
      X_ij,t = exp(pi_i,t + chi_j,t + mu_ij + beta RTA_ij,t) * e_ij,t
      exporter-year, importer-year and (symmetric) pair fixed effects, domestic flows
      included, PPML, standard errors clustered by pair. The guide reports 0.557 (0.102),
      N = 28,482.
  no_pair_fe (column 3, "addressing potential domestic trade diversion"): exporter-year and
      importer-year fixed effects, log distance, contiguity, common language, colonial link,
      one fixed effect for each country's domestic flow (and one for all international flows)
      instead of pair fixed effects. The guide reports 0.409 (0.069), N = 28,566.
  international (column 2): as no_pair_fe on international flows only, without the domestic
      fixed effects. The guide reports 0.191 (0.066), N = 28,152.

exp(beta) - 1 is the average proportional rise of members' trade with each other caused by an
agreement, relative to their domestic sales; in a Caliendo-Parro / Eaton-Kortum economy, where
trade responds to the trade cost d with elasticity -theta, it corresponds to
d-hat = exp(-beta / theta), a cut of 1 - exp(-beta / theta) (docs/gravity.md).

Usage:
  python3 tools/gravity/estimate_rta_effect.py [--data CSV] [--write data/gravity/rta_effect.toml]
"""

from __future__ import annotations

import argparse
import math
import pathlib
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from ppml import PPMLResult, ppml  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "yotov_agtpa_gravity" / "agtpa_gravity_69countries_1986_2006.csv"
YEARS = (1986, 1990, 1994, 1998, 2002, 2006)

CITATION = (
    "Yotov, Y. V., R. Piermartini, J.-A. Monteiro and M. Larch (2016), An Advanced Guide to Trade "
    "Policy Analysis: The Structural Gravity Model, WTO and UNCTAD, chapter 1, application 3"
)
# What the guide reports (its Table for application 3, also reproduced by the tradepolicy R
# package, github.com/pachadotdev/tradepolicy): coefficient, clustered s.e., N.
PUBLISHED = {
    "pair_fe": (0.557, 0.102, 28482),
    "no_pair_fe": (0.409, 0.069, 28566),
    "international": (0.191, 0.066, 28152),
}


def load_panel(path: pathlib.Path | str = DEFAULT_DATA, years=YEARS) -> pd.DataFrame:
    """The AGTPA panel, restricted to `years`, with the identifiers the specifications need."""
    d = pd.read_csv(path)
    d = d[d["year"].isin(years)].reset_index(drop=True)
    lo = np.minimum(d["exporter"].values, d["importer"].values)
    hi = np.maximum(d["exporter"].values, d["importer"].values)
    d["domestic"] = d["exporter"] == d["importer"]
    d["pair"] = pd.Series(lo).str.cat(pd.Series(hi), sep="-")  # symmetric: ARG-BRA = BRA-ARG
    d["dpair"] = d["exporter"] + ">" + d["importer"]  # directional
    d["exp_year"] = d["exporter"] + d["year"].astype(str)
    d["imp_year"] = d["importer"] + d["year"].astype(str)
    d["border"] = np.where(d["domestic"], d["exporter"] + "-domestic", "international")
    d["log_dist"] = np.log(d["dist"])
    return d


def estimate(d: pd.DataFrame, spec: str = "pair_fe", pairs: str = "symmetric", **kw) -> PPMLResult:
    """One specification (see the module docstring) on a panel from load_panel().

    pairs: "symmetric" (the guide: one fixed effect for both directions of a pair; every
    country's domestic flow its own) or "directional" (one per ordered pair). Standard errors
    are clustered by symmetric pair (domestic flows one cluster per country), as in the guide."""
    if spec == "pair_fe":
        fe = [d["exp_year"], d["imp_year"], d["pair"] if pairs == "symmetric" else d["dpair"]]
        return ppml(d["trade"], d[["rta"]], fe, names=["rta"], cluster=d["pair"], **kw)
    cols = ["log_dist", "cntg", "lang", "clny", "rta"]
    if spec == "no_pair_fe":
        fe = [d["exp_year"], d["imp_year"], d["border"]]
        return ppml(d["trade"], d[cols], fe, names=cols, cluster=d["pair"], **kw)
    if spec == "international":
        s = d[~d["domestic"]]
        return ppml(s["trade"], s[cols], [s["exp_year"], s["imp_year"]], names=cols, cluster=s["pair"], **kw)
    raise ValueError(f"unknown specification {spec!r}")


def iceberg_cut(beta: float, theta: float) -> float:
    """The proportional fall in the iceberg cost d that raises bilateral trade by exp(beta)
    when trade responds to d with elasticity -theta: 1 - exp(-beta / theta)."""
    return 1.0 - math.exp(-beta / theta)


def _coef(res: PPMLResult, name: str = "rta") -> tuple[float, float]:
    j = res.names.index(name)
    return float(res.coef[j]), float(res.se[j])


def write_toml(path: pathlib.Path, results: dict[str, PPMLResult], data_path: pathlib.Path) -> None:
    b, se = _coef(results["pair_fe"])
    lines = [
        "# The average effect of a regional trade agreement on members' manufacturing trade,",
        "# estimated by tools/gravity/estimate_rta_effect.py (PPML, structural gravity). Derived",
        "# from the AGTPA panel (not copied): see docs/gravity.md. Regenerate with",
        "#   python3 tools/gravity/estimate_rta_effect.py --write data/gravity/rta_effect.toml",
        "",
        f'source = "{data_path.name} (github.com/pachadotdev/tradepolicy, data/agtpa_applications.rda; '
        'WTO/UNCTAD AdvancedGuideFiles, Chapter1Application3.dta), CC BY 4.0"',
        f'citation = "{CITATION}"',
        "",
        "[rta]",
        "# headline: exporter-year, importer-year and symmetric pair fixed effects, domestic flows",
        "# included, years 1986, 1990, ..., 2006; s.e. clustered by pair (G/(G-1) factor)",
        'specification = "pair_fe"',
        f"beta = {b:.4f}",
        f"standard_error = {se:.4f}",
        f"n_obs = {results['pair_fe'].n_obs}",
        f"n_clusters = {results['pair_fe'].n_clusters}",
        f"trade_effect = {math.exp(b) - 1:.4f}  # exp(beta) - 1",
        f"published_beta = {PUBLISHED['pair_fe'][0]}",
        f"published_standard_error = {PUBLISHED['pair_fe'][1]}",
        "",
    ]
    for spec, title in (
        ("pair_fe_directional", "# sensitivity: one fixed effect per ordered (directional) pair"),
        ("no_pair_fe", "# comparison: no pair fixed effects (gravity covariates and domestic-flow fixed effects)"),
        ("international", "# comparison: international flows only, no pair fixed effects"),
    ):
        if spec not in results:
            continue
        b2, se2 = _coef(results[spec])
        lines += [f"[comparison.{spec}]", title, f"beta = {b2:.4f}", f"standard_error = {se2:.4f}",
                  f"n_obs = {results[spec].n_obs}"]
        if spec in PUBLISHED:
            lines.append(f"published_beta = {PUBLISHED[spec][0]}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=pathlib.Path, default=DEFAULT_DATA, help="the AGTPA panel CSV")
    ap.add_argument("--write", type=pathlib.Path, help="write the derived estimate (TOML) here")
    ap.add_argument("--quick", action="store_true", help="only the headline specification")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    d = load_panel(args.data)
    specs = [("pair_fe", {}), ("pair_fe_directional", {"pairs": "directional"}),
             ("no_pair_fe", {}), ("international", {})]
    if args.quick:
        specs = specs[:1]
    results = {}
    for name, kw in specs:
        base = "pair_fe" if name.startswith("pair_fe") else name
        res = estimate(d, base, **kw)
        results[name] = res
        b, se = _coef(res)
        pub = PUBLISHED.get(name)
        ref = f"   [guide: {pub[0]:.3f} ({pub[1]:.3f}), N = {pub[2]}]" if pub else ""
        print(f"{name}: rta = {b:.4f} (se {se:.4f}), exp(beta) - 1 = {math.exp(b) - 1:+.1%}{ref}")
        print(res.summary())
    b = results["pair_fe"].coef[0]
    print("\niceberg cut 1 - exp(-beta/theta) for the celac38 thetas:")
    sectors = pd.read_csv(ROOT / "data" / "celac38" / "sectors.csv")
    for _, row in sectors.iterrows():
        print(f"  {row['sector']:<18s} theta = {row['trade_elasticity']:<7g} cut = {iceberg_cut(b, row['trade_elasticity']):.4f}")
    unconverged = [name for name, r in results.items() if not r.converged]
    if unconverged:
        print(f"not converged: {', '.join(unconverged)}; nothing written", file=sys.stderr)
        return 1
    if args.write:
        write_toml(args.write, results, args.data)
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
