"""Trade flows and value added fitted to independent country totals (issue 11; assumptions A17-A20).

Used by build_celac38.py as small hooks between its blocks:

- A20 `rescale_cub_ven`: Cuba's and Venezuela's value added and GDP in US$ from an explicit
  exchange-rate assumption (WDI US$ levels) instead of UN AMA's official-rate conversion.
- A17 `goods_totals_vs_wdi`: each CELAC state's goods imports brought into the band
  [0.95, 1.00] x WDI merchandise imports (CIF); exports capped at WDI merchandise exports where
  BACI exceeds them by more than 30 %.  Importer columns / exporter rows are scaled, partner shares kept.
- A18 `venezuela_unrecorded_oil`, `fit_goods_composition`: exporter sector margins with the WDI
  mining share (fuel + ores and metals), the CELAC->USA pairs fixed to the US Census HS2
  composition (2024), then a tri-proportional (RAS/IPF) fit to pair totals and the margins.
- A19 `goods_services_targets`, `fit_services_totals`: CELAC services exports and imports set so that
  total (goods + services) exports and imports equal WDI's (% of GDP x GDP), ROW absorbs the world
  difference, then RAS of the bilateral services matrix.

Only numpy and pandas.  Deterministic.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd

from balancing import ras2

YEAR = 2023
WDI_DIR = "world_bank_wdi_indicators"
# A17
IMPORT_LOW = 0.95          # BACI (FOB) goods imports at least 95 % of WDI merchandise imports (CIF)
IMPORT_HIGH = 1.00         # ... and at most 100 % (ship registrations, HS 89; re-export hubs)
EXPORT_CAP_RATIO = 1.30    # exports capped at WDI merchandise exports where BACI > 1.3 x WDI
# A18
VEN_FUEL_SHARE = 0.90      # fuel + ores share of Venezuela's goods exports (assumption, see DATA.md)
VEN_GOODS_SHARE = 0.95     # goods share of Venezuela's goods-and-services exports (assumption)
VEN_OIL_PARTNER = "CHN"    # unrecorded crude (relabelled in mirror data) goes to China ...
VEN_OIL_RELABEL_FROM = "ROW"  # ... and is removed from ROW -> CHN mining (the relabelled mirror flow)
CUB_MINING_YEARS = (2021, 2022)   # Cuba: latest WDI shares (fuel 2021, ores and metals 2022)
# US Census HS2 chapters -> goods sector (0 agriculture, 1 mining_utilities, 2 manufacturing)
HS_AGRI = {1, 3, 5, 6, 7, 8, 9, 10, 12, 13, 14}            # raw products of ISIC A-B
HS_MINING = {25, 26, 27, 74, 75, 76, 78, 79, 80, 81}       # = WDI fuel (SITC 3) + ores and metals (SITC 27, 28, 68)
HS_SKIP = {77, 98, 99}                                      # 77 reserved; 98/99 special US provisions
# A19
SERVICES_FLOOR = 0.05      # services exports/imports >= 5 % of total exports/imports (as A5)


def _wdi(sd: str, code: str) -> pd.DataFrame:
    d = pd.read_csv(os.path.join(sd, WDI_DIR, code, "data.csv"))
    d = d.rename(columns={"Country Code": "iso3", "Year": "year", "Value": "value"})
    return d[["iso3", "year", "value"]].dropna()


def wdi_year(sd: str, code: str, year: int = YEAR) -> pd.Series:
    d = _wdi(sd, code)
    return d[d.year == year].set_index("iso3").value


def wdi_latest(sd: str, code: str, upto: int = YEAR, since: int = 2010) -> dict:
    """iso3 -> (year, value): the latest non-missing value in [since, upto]."""
    d = _wdi(sd, code)
    d = d[(d.year <= upto) & (d.year >= since)].sort_values(["iso3", "year"])
    return {iso: (int(g.year.iloc[-1]), float(g.value.iloc[-1])) for iso, g in d.groupby("iso3")}


# ----------------------------------------------------------------------------------------------
# A20: Cuba and Venezuela in US$
# ----------------------------------------------------------------------------------------------
def cub_ven_gdp_usd(sd: str, ama_const: pd.DataFrame | None = None) -> dict:
    """GDP 2023 in US$ under assumption A20.

    VEN: WDI GDP 2023 in current US$ (ny.gdp.mktp.cd).  CUB: WDI's last US$ level (2020) moved
    forward with UN AMA constant-2015-price real GDP growth 2020->2023 (no US$ inflation added)."""
    gdp = _wdi(sd, "ny.gdp.mktp.cd")
    out = {}
    v = gdp[(gdp.iso3 == "VEN") & (gdp.year == YEAR)].value
    out["VEN"] = (float(v.iloc[0]) / 1e6, "WDI ny.gdp.mktp.cd 2023")
    cub = gdp[gdp.iso3 == "CUB"].sort_values("year")
    y0, g0 = int(cub.year.iloc[-1]), float(cub.value.iloc[-1]) / 1e6
    if ama_const is None:
        ama_const = pd.read_csv(os.path.join(sd, "un_national_accounts_main_aggregates",
                                             "un_ama_gdp_va_constant2015_usd_1990_2023.csv"), dtype={"iso3": str})
    c = ama_const[(ama_const.iso3 == "CUB") & (ama_const.indicator_code == "GDP")]
    growth = float(c[str(YEAR)].iloc[0]) / float(c[str(y0)].iloc[0])
    out["CUB"] = (g0 * growth, f"WDI ny.gdp.mktp.cd {y0} x UN AMA real GDP growth {y0}-{YEAR} ({growth:.4f})")
    return out


def rescale_cub_ven(ama: pd.DataFrame, sd: str, log) -> tuple[pd.DataFrame, dict]:
    """A20: scale the UN AMA 2023 value added (all activities) and GDP of CUB and VEN by
    (GDP in US$ under A20) / (UN AMA GDP).  Exports and imports of goods and services are not
    scaled: they are set from WDI/AMA US$ trade values in A19."""
    ama = ama.copy()
    col = str(YEAR)
    targets = cub_ven_gdp_usd(sd)
    factors = {}
    for iso, (gdp_usd, how) in sorted(targets.items()):
        m = (ama.iso3 == iso) & (ama.indicator_code == "GDP")
        old = float(ama.loc[m, col].sum())
        f = gdp_usd / old
        factors[iso] = f
        sel = (ama.iso3 == iso) & (ama.indicator_code.str.startswith("VA_") | (ama.indicator_code == "GDP"))
        va_old = float(ama.loc[(ama.iso3 == iso) & (ama.indicator_code == "VA_TOT"), col].sum())
        ama.loc[sel, col] = ama.loc[sel, col] * f
        log.add("value_added", iso, "all", "GDP 2023 (million USD)", old, gdp_usd, "A20",
                f"UN AMA official-rate conversion replaced by {how}; VA and GDP scaled by {f:.4f}")
        log.add("value_added", iso, "all", "total value added 2023 (million USD)", va_old, va_old * f, "A20",
                f"scaled by {f:.4f}")
    return ama, factors


# ----------------------------------------------------------------------------------------------
# A17: goods totals against WDI merchandise trade
# ----------------------------------------------------------------------------------------------
def goods_totals_vs_wdi(T: np.ndarray, regions: list[str], celac: list[str], sd: str, log) -> np.ndarray:
    """Scale CELAC importer columns into [IMPORT_LOW, IMPORT_HIGH] x WDI merchandise imports and
    cap CELAC exporter rows at WDI merchandise exports where BACI > EXPORT_CAP_RATIO x WDI."""
    T = T.copy()
    ri = {r: i for i, r in enumerate(regions)}
    tm = wdi_year(sd, "tm.val.mrch.cd.wt") / 1e6
    tx = wdi_year(sd, "tx.val.mrch.cd.wt") / 1e6
    for c in celac:
        j = ri[c]
        m0 = T[:, j].sum()
        w = float(tm[c])
        lo, hi = IMPORT_LOW * w, IMPORT_HIGH * w
        target = min(max(m0, lo), hi)
        if abs(target - m0) > 1e-9 * max(m0, 1.0):
            T[:, j] *= target / m0
            why = ("capped at WDI merchandise imports (ship registrations HS 89 / re-exports in BACI)" if target < m0
                   else f"lifted to {IMPORT_LOW:.2f} x WDI merchandise imports (CIF -> FOB; mirror data under-record)")
            log.add("goods_trade", c, "goods", "imports, all partners (million USD)", m0, target, "A17",
                    f"WDI tm.val.mrch.cd.wt {YEAR} = {w:.6g}; {why}; partner shares kept")
    for c in celac:
        i = ri[c]
        x0 = T[i].sum()
        w = float(tx[c])
        if x0 > EXPORT_CAP_RATIO * w:
            T[i] *= w / x0
            log.add("goods_trade", c, "goods", "exports, all partners (million USD)", x0, w, "A17",
                    f"BACI > {EXPORT_CAP_RATIO:.2f} x WDI tx.val.mrch.cd.wt {YEAR}; capped at WDI, partner shares kept")
    return T


# ----------------------------------------------------------------------------------------------
# A18: export composition
# ----------------------------------------------------------------------------------------------
def mining_share_targets(sd: str, celac: list[str]) -> dict:
    """iso -> (share of goods exports in mining_utilities, source text)."""
    fuel = wdi_year(sd, "tx.val.fuel.zs.un")
    ores = wdi_year(sd, "tx.val.mmtl.zs.un")
    fuel_l = wdi_latest(sd, "tx.val.fuel.zs.un", since=2015)
    ores_l = wdi_latest(sd, "tx.val.mmtl.zs.un", since=2015)
    out = {}
    for c in celac:
        if c in fuel.index and c in ores.index:
            out[c] = ((fuel[c] + ores[c]) / 100.0, f"WDI fuel {fuel[c]:.1f} % + ores and metals {ores[c]:.1f} % ({YEAR})")
        elif c == "VEN":
            out[c] = (VEN_FUEL_SHARE, f"assumption A18 ({VEN_FUEL_SHARE:.0%}; WDI's last value, 2013: 98.1 %)")
        elif c in fuel_l and c in ores_l:
            (yf, f), (yo, o) = fuel_l[c], ores_l[c]
            out[c] = ((f + o) / 100.0, f"WDI latest: fuel {f:.1f} % ({yf}) + ores and metals {o:.1f} % ({yo})")
    return out


def hs2_sector(ch: int) -> int | None:
    if ch in HS_SKIP:
        return None
    if ch in HS_AGRI:
        return 0
    if ch in HS_MINING:
        return 1
    return 2


def us_import_composition(sd: str) -> dict:
    """iso -> shares (agri, mining, manuf) of US imports 2024 from that partner (US Census, HS2)."""
    folder = os.path.join(sd, "us_import_duties_by_partner_hs2_2024", "data-hs2")
    out = {}
    for f in sorted(os.listdir(folder)):
        if not f.endswith(".csv"):
            continue
        iso = f[:-4].split("-")[-1]
        d = pd.read_csv(os.path.join(folder, f), dtype={"HS2": str})
        v = np.zeros(3)
        for hs, val in zip(d["HS2"], pd.to_numeric(d["2024_imports"], errors="coerce")):
            if not str(hs).strip().isdigit() or not np.isfinite(val):
                continue
            s = hs2_sector(int(hs))
            if s is not None:
                v[s] += float(val)
        if v.sum() > 0:
            out[iso] = v / v.sum()
    return out


def venezuela_unrecorded_oil(T: np.ndarray, regions: list[str], sd: str, log) -> float:
    """A18: Venezuela's goods exports raised to VEN_GOODS_SHARE x WDI goods-and-services exports.
    The extra (crude oil missing from mirror data) is sold to China and removed from ROW -> CHN
    (crude relabelled as Malaysian origin appears there).  Returns the extra amount (million USD)."""
    ri = {r: i for i, r in enumerate(regions)}
    v = ri["VEN"]
    share = float(wdi_year(sd, "ne.exp.gnfs.zs")["VEN"]) / 100.0
    gdp = float(wdi_year(sd, "ny.gdp.mktp.cd")["VEN"]) / 1e6
    target = VEN_GOODS_SHARE * share * gdp
    x0 = T[v].sum()
    extra = max(target - x0, 0.0)
    if extra > 0:
        T[v, ri[VEN_OIL_PARTNER]] += extra
        T[ri[VEN_OIL_RELABEL_FROM], ri[VEN_OIL_PARTNER]] -= extra
        log.add("goods_trade", "VEN", "mining_utilities", f"exports to {VEN_OIL_PARTNER} (million USD)",
                T[v, ri[VEN_OIL_PARTNER]] - extra, T[v, ri[VEN_OIL_PARTNER]], "A18",
                f"goods exports {x0:.6g} raised to {VEN_GOODS_SHARE:.2f} x WDI exports of goods and services "
                f"({share:.4f} x GDP {gdp:.6g}); the extra is unrecorded crude, taken out of "
                f"{VEN_OIL_RELABEL_FROM}->{VEN_OIL_PARTNER} mining")
    return extra


def ipf3(seed, T, E, M, fixed, iters=2000):
    """Tri-proportional fit: X[i,j,k] >= 0 with sum_k = T[i,j], sum_j = E[i,k], sum_i = M[j,k];
    the cells where `fixed` is True keep their seed value."""
    F = np.where(fixed, seed, 0.0)
    X = np.where(fixed, 0.0, seed)
    Tf = np.maximum(T - F.sum(2), 0.0)
    Ef = np.maximum(E - F.sum(1), 0.0)
    Mf = np.maximum(M - F.sum(0), 0.0)
    for _ in range(iters):
        r = X.sum(1)
        X *= np.where(r > 0, Ef / np.where(r > 0, r, 1), 0)[:, None, :]
        c = X.sum(0)
        X *= np.where(c > 0, Mf / np.where(c > 0, c, 1), 0)[None, :, :]
        p = X.sum(2)
        X *= np.where(p > 0, Tf / np.where(p > 0, p, 1), 0)[:, :, None]
    return X + F


def fit_goods_composition(Xg: np.ndarray, T: np.ndarray, regions: list[str], celac: list[str], sd: str,
                          log, ven_extra: float = 0.0) -> np.ndarray:
    """A18: refit the bilateral x sector goods matrix.

    Seed: the A4 split rescaled to the (A17-adjusted) pair totals T; Venezuela's extra oil in mining.
    Exporter margins: CELAC mining = WDI share x goods exports, the rest split between agriculture
    and manufacturing as in A4; other exporters keep the seed's composition.  Importer margins: the
    seed's, RAS-balanced to the new world sector totals.  CELAC->USA pairs: fixed to the US Census
    2024 HS2 composition.  Pair totals are met exactly."""
    ri = {r: i for i, r in enumerate(regions)}
    n = len(regions)
    old_pair = Xg.sum(2)
    seed = np.where(old_pair[:, :, None] > 0, Xg / np.where(old_pair > 0, old_pair, 1)[:, :, None], 1.0 / 3) * T[:, :, None]
    if ven_extra > 0:
        v, c, r = ri["VEN"], ri[VEN_OIL_PARTNER], ri[VEN_OIL_RELABEL_FROM]
        base = T[v, c] - ven_extra
        seed[v, c] = Xg[v, c] / max(Xg[v, c].sum(), 1e-300) * base
        seed[v, c, 1] += ven_extra
        base_r = T[r, c] + ven_extra
        seed[r, c] = Xg[r, c] / Xg[r, c].sum() * base_r
        seed[r, c, 1] -= ven_extra
        if seed[r, c, 1] < 0:
            raise ValueError("A18: ROW->CHN mining smaller than Venezuela's unrecorded oil")
    seed = np.maximum(seed, 1e-12 * T[:, :, None])
    tot = seed.sum(2, keepdims=True)
    seed = np.where(tot > 0, seed / np.where(tot > 0, tot, 1.0), 0.0) * T[:, :, None]
    E = seed.sum(1)
    a4 = E.copy()                 # the A4 composition of each exporter (agriculture : manufacturing ratio)
    # fixed CELAC -> USA composition (US Census 2024 imports by HS2)
    us = us_import_composition(sd)
    fixed = np.zeros((n, n, 3), dtype=bool)
    u = ri["USA"]
    for c in celac:
        if c in us and T[ri[c], u] > 0:
            i = ri[c]
            seed[i, u] = T[i, u] * us[c]
            fixed[i, u] = True
    targets = mining_share_targets(sd, celac)
    for c in celac:
        i = ri[c]
        tot = T[i].sum()
        if c not in targets or tot <= 0:
            log.add("goods_trade", c, "mining_utilities", "share of goods exports", E[i, 1] / tot, E[i, 1] / tot, "A18",
                    "no WDI fuel/ores share: A4 composition kept")
            continue
        m, src = targets[c]
        # exporter margin = the fixed US cells + the rest of its exports, whose mining share makes the total
        # share equal the target and whose agriculture : manufacturing ratio is A4's
        fx = seed[i, u] if fixed[i, u].all() else np.zeros(3)
        rest = tot - fx.sum()
        m_rest = min(max((m * tot - fx[1]) / rest, 0.0), 1.0) if rest > 0 else 0.0
        a = a4[i, 0] / (a4[i, 0] + a4[i, 2])
        new = fx + rest * np.array([(1 - m_rest) * a, m_rest, (1 - m_rest) * (1 - a)])
        log.add("goods_trade", c, "mining_utilities", "share of goods exports", a4[i, 1] / tot, new[1] / tot, "A18", src)
        E[i] = new
    imp = seed.sum(0)           # [importer, k]
    M = ras2(imp, T.sum(0), E.sum(0), iters=2000)
    X = ipf3(seed, T, E, M, fixed)
    dev_e = np.abs(X.sum(1) - E).sum() / E.sum()
    dev_m = np.abs(X.sum(0) - M).sum() / M.sum()
    dev_t = np.abs(X.sum(2) - T).max() / T.max()
    log.check("A18 goods refit: mean abs deviation from exporter sector margins", dev_e, 0.0, "share", "IPF residual")
    log.check("A18 goods refit: mean abs deviation from importer sector margins", dev_m, 0.0, "share", "IPF residual")
    log.check("A18 goods refit: max deviation from pair totals", dev_t, 0.0, "share of largest pair", "IPF residual")
    for c in celac:
        i = ri[c]
        log.check(f"A18 mining share of goods exports {c} (dataset)", X[i, :, 1].sum() / X[i].sum(),
                  targets.get(c, (np.nan,))[0], "share", "WDI tx.val.fuel + tx.val.mmtl (target)")
    return X


# ----------------------------------------------------------------------------------------------
# A19: totals of goods and services, hence services, hence trade balances
# ----------------------------------------------------------------------------------------------
def goods_services_targets(sd: str, ama: pd.DataFrame, celac: list[str]) -> dict:
    """iso -> (exports, imports of goods and services 2023, million US$, GDP used, source).

    WDI ne.exp.gnfs.zs / ne.imp.gnfs.zs x WDI GDP (ny.gdp.mktp.cd) where WDI has 2023; otherwise
    UN AMA EXP_GS / IMP_GS 2023.  Cuba always uses AMA (its WDI ratios after 2020 mix CUP at
    24/US$ for trade with GDP at 1/US$); its trade values are foreign-currency flows and are
    not rescaled by A20."""
    ex, im = wdi_year(sd, "ne.exp.gnfs.zs"), wdi_year(sd, "ne.imp.gnfs.zs")
    gdp = wdi_year(sd, "ny.gdp.mktp.cd") / 1e6
    col = str(YEAR)

    def ama_ind(code):
        s = ama[ama.indicator_code == code].set_index("iso3")[col].dropna()
        return s.groupby(level=0).sum()
    eg, ig, ag = ama_ind("EXP_GS"), ama_ind("IMP_GS"), ama_ind("GDP")
    out = {}
    for c in celac:
        if c != "CUB" and c in ex.index and c in im.index and c in gdp.index:
            out[c] = (ex[c] / 100 * gdp[c], im[c] / 100 * gdp[c], float(gdp[c]), "WDI ne.exp/ne.imp.gnfs.zs x GDP")
        else:
            out[c] = (float(eg[c]), float(ig[c]), float(ag[c]), "UN AMA EXP_GS/IMP_GS")
    return out


def fit_services_totals(S: np.ndarray, Xg: np.ndarray, targets: dict, regions: list[str], log) -> np.ndarray:
    """A19: CELAC services exports (imports) = target exports (imports) of goods and services minus the
    dataset's goods exports (imports), floored at SERVICES_FLOOR of the target.  Other regions keep their
    A5 totals; ROW absorbs the world difference; RAS from the A5 matrix."""
    ri = {r: i for i, r in enumerate(regions)}
    sx, sm = S.sum(1).copy(), S.sum(0).copy()
    gx, gm = Xg.sum((1, 2)), Xg.sum((0, 2))
    for c, (xt, mt, _, src) in sorted(targets.items()):
        i = ri[c]
        nx = max(xt - gx[i], SERVICES_FLOOR * xt)
        nm = max(mt - gm[i], SERVICES_FLOOR * mt)
        note_x = f"{src}: {xt:.6g} minus goods {gx[i]:.6g}" + (" (floored)" if nx > xt - gx[i] else "")
        note_m = f"{src}: {mt:.6g} minus goods {gm[i]:.6g}" + (" (floored)" if nm > mt - gm[i] else "")
        log.add("services_trade", c, "services", "exports (million USD)", sx[i], nx, "A19", note_x)
        log.add("services_trade", c, "services", "imports (million USD)", sm[i], nm, "A19", note_m)
        sx[i], sm[i] = nx, nm
    row = ri["ROW"]
    diff = sx.sum() - sm.sum()
    if diff > 0:
        log.add("services_trade", "ROW", "services", "imports (million USD)", sm[row], sm[row] + diff, "A19", "world balance")
        sm[row] += diff
    else:
        log.add("services_trade", "ROW", "services", "exports (million USD)", sx[row], sx[row] - diff, "A19", "world balance")
        sx[row] -= diff
    S2 = ras2(S, sx, sm, iters=3000)
    err = max(np.abs(S2.sum(1) - sx).max(), np.abs(S2.sum(0) - sm).max()) / sx.sum()
    log.check("A19 services RAS max margin error", err, 0.0, "share of world services trade", "RAS residual")
    return S2
