"""Tariff schedule of the celac38 dataset (assumption A8): applied and non-preferential rates.

Called by build_celac38.tariffs().  Goods only; services are 0.  Arrays are indexed
[importer n, exporter i, sector k] and hold fractions.

* applied rate tau[n, i, k]            -> tariffs.csv
* non-preferential rate tau_np[n, i, k] -> non_preferential_tariffs.csv: what n charges i when no
  preference applies (its MFN-type rate).  Equal to tau for pairs without an agreement in force;
  for pairs with one, the rate n would charge absent the agreement.  tau_np >= tau everywhere.

Layers (data/celac38/DATA.md, A8):
1. every importer: WDI-anchored MFN proxy x sector profile x preference (the CP 2005 world profile;
   the Mercosur CET profile for ARG, BRA, PRY and URY);
2. the USA as importer: duties collected / imports, 2024, by partner and sector (US Census via the
   Trade War Tracker), MFN-type rates from non-preferential partners;
3. China on the USA: trade-war tariffs (PIIE average scaled to a collected-duty basis).
"""
from __future__ import annotations

import glob
import os

import numpy as np
import pandas as pd

MFN_CAP_FACTOR = 3.0           # A8: MFN proxy at most 3x the WDI weighted mean ...
MFN_CAP_ABS = 0.30             # ... and at most 30 % in the highest sector

# --- Mercosur common external tariff (A8b) -----------------------------------------------------
# Members applying the CET in 2023.  VEN is suspended (since 2016/17) and BOL was still acceding
# (protocol ratified 2024, CET phased in to about 2028), so both keep the world profile.
MERCOSUR_CET_MEMBERS = ("ARG", "BRA", "PRY", "URY")
# The CET's relative sector profile is measured on ARG's and BRA's 2005 applied tariffs (CP 2005,
# from UNCTAD TRAINS) on exporters without a preference in Mercosur in 2005: USA, CAN, CHN, EU27, ROW.
MERCOSUR_PROFILE_SOURCES = ("ARG", "BRA")
MERCOSUR_PROFILE_EXPORTERS = ("USA", "CAN", "CHN", "EU27", "ROW")

# --- US applied tariffs from duties collected (A8c) --------------------------------------------
US_DUTIES_DIR = "us_import_duties_by_partner_hs2_2024"
US_COUNTRY_TOTALS = "country-by-time.csv"     # 2024 duty/imports of the top-50 partners and the EU
# HS chapters -> model goods sector (0 agriculture, 1 mining_utilities, 2 manufacturing); chapters 98-99
# (US special classification provisions: goods returned, temporary legislation; 3.3 % of the imports in
# the files, 0.02 % of their duties) are left out.  71 (precious metals, stones) and 72 (iron and steel)
# are manufacturing (ISIC 27/36: refined and worked metals, not ores).
US_HS2_AGRICULTURE = range(1, 25)       # HS 01-24: WTO "agricultural products" incl. food, beverages, tobacco
US_HS2_MINING = range(25, 28)           # HS 25-27: salt, stone, ores, mineral fuels and electricity
US_HS2_MANUFACTURING = range(28, 98)    # HS 28-97
# MFN-type US rate: partners with no US FTA and no US preference programme in 2024 (GSP lapsed on
# 31 Dec 2020 and ATPA in 2013; the Caribbean Basin states keep CBERA/CBTPA and are excluded).
US_MFN_POOL = ("ARG", "BOL", "BRA", "ECU", "PRY", "URY", "VEN")
US_MIN_SECTOR_IMPORTS = 5e6       # USD: a partner-sector cell below this takes the partner's all-goods rate ...
US_MIN_PARTNER_IMPORTS = 1e6      # ... and a partner below this in all goods the MFN-type sector rate
US_MIN_POOL_HS2_IMPORTS = 20e6    # USD: a pool HS2 chapter below this takes the pool's sector rate
# Top-50 partners of country-by-time.csv that are EU members listed on their own (the EU row covers them)
US_TOTALS_EU_MEMBERS_LISTED = ("SLOVAKIA",)
US_TOTALS_NOT_ROW = ("CHINA", "MEXICO", "CANADA", "EUROPEAN UNION")
US_TOTALS_CELAC = ("BRAZIL", "COLOMBIA", "CHILE", "VENEZUELA", "ECUADOR", "COSTA RICA", "PERU", "DOMINICAN REPUBLIC",
                   "ARGENTINA", "HONDURAS", "GUATEMALA", "TRINIDAD AND TOBAGO", "NICARAGUA", "EL SALVADOR")

# --- US-China trade war (A8d) ------------------------------------------------------------------
# Bown (PIIE), "US-China Trade War Tariffs: An Up-to-Date Chart" (2023): average US tariff on Chinese
# exports 19.3 %, Chinese tariff on US exports 21.1 %, both weighted by pre-war (2017) trade.
PIIE_US_ON_CHN = 0.193
PIIE_CHN_ON_USA = 0.211
# The US side is data (duties collected on 2024 imports, 10.87 % over all chapters).  China publishes no
# collected-duty series in shared/data, so its rate on the USA is PIIE's 21.1 % scaled by the ratio of
# collected to PIIE-statutory rates observed on the US side (10.87 / 19.3 = 0.563): 11.9 % (see DATA.md).


def calibrate_importer(imp, pref_row, profile, wdi_mean):
    """A8: the MFN proxy m such that the import-weighted mean of m * profile[k] * pref over the
    importer's goods imports equals the WDI weighted mean (which already includes preferences),
    capped at MFN_CAP_FACTOR x WDI and at MFN_CAP_ABS in the highest sector.

    imp [exporter, goods sector] = imports (own row zeroed).  Returns (uncapped, capped)."""
    base = (imp * pref_row[:, None] * profile[None, :]).sum()
    total = imp.sum()
    m = wdi_mean * total / base if base > 0 else wdi_mean
    capped = min(m, MFN_CAP_FACTOR * wdi_mean, MFN_CAP_ABS / profile.max())
    return m, capped


SECTOR_NAMES = ("agriculture", "mining_utilities", "manufacturing")


def hs2_sector(ch: int):
    if ch in US_HS2_AGRICULTURE:
        return 0
    if ch in US_HS2_MINING:
        return 1
    if ch in US_HS2_MANUFACTURING:
        return 2
    return None


def load_us_duties(sd: str) -> pd.DataFrame:
    """Long table partner, hs2, sector, imports, duty (USD, 2024) of the 34 partner files."""
    frames = []
    for f in sorted(glob.glob(os.path.join(sd, US_DUTIES_DIR, "data-hs2", "hs2-tariff-*.csv"))):
        iso = os.path.basename(f)[:-4].split("-")[-1]
        d = pd.read_csv(f, dtype={"HS2": str})
        frames.append(pd.DataFrame({"partner": iso, "hs2": d.HS2.astype(int),
                                    "imports": d["2024_imports"].astype(float), "duty": d["2024_duty"].astype(float)}))
    d = pd.concat(frames, ignore_index=True)
    d["sector"] = d.hs2.map(hs2_sector)
    return d


def us_country_totals(sd: str) -> pd.DataFrame:
    c = pd.read_csv(os.path.join(sd, US_DUTIES_DIR, US_COUNTRY_TOTALS))
    c = c[c.date == c.date.min()]
    return pd.DataFrame({"name": c.country_name.values, "imports": c["total imports"].values,
                         "rate": c["2024 tariff"].values / 100.0})


def mercosur_profile(F, TR, regions):
    """A8b: relative goods-sector profile of the CET: import-weighted 2005 tariffs of ARG and BRA on
    exporters without a Mercosur preference, per sector, divided by their all-goods mean."""
    ri = {r: i for i, r in enumerate(regions)}
    imp = [ri[r] for r in MERCOSUR_PROFILE_SOURCES]
    exp = [ri[r] for r in MERCOSUR_PROFILE_EXPORTERS]
    f = F[np.ix_(exp, imp)].sum((0, 1))
    t = TR[np.ix_(exp, imp)].sum((0, 1))
    return t / f / (t.sum() / f.sum()), t / f


def us_schedule(sd, X, pref, regions, log):
    """A8c: the US row.  Returns (applied [N, 3], non-preferential [N, 3], info dict)."""
    ri = {r: i for i, r in enumerate(regions)}
    N = len(regions)
    d = load_us_duties(sd)
    d = d[d.sector.notna()].copy()
    d["sector"] = d.sector.astype(int)
    # MFN-type rate per HS2 chapter from the pool, with the pool's sector rate for thin chapters
    pool = d[d.partner.isin(US_MFN_POOL)]
    ps = pool.groupby("sector")[["imports", "duty"]].sum()
    pool_sector = (ps.duty / ps.imports).reindex(range(3)).values
    ph = pool.groupby("hs2")[["imports", "duty"]].sum()
    ph["sector"] = [hs2_sector(h) for h in ph.index]
    mfn_hs2 = {}
    for h in range(1, 98):
        s = hs2_sector(h)
        if h in ph.index and ph.imports[h] >= US_MIN_POOL_HS2_IMPORTS:
            mfn_hs2[h] = ph.duty[h] / ph.imports[h]
        else:
            mfn_hs2[h] = pool_sector[s]
    d["mfn"] = d.hs2.map(mfn_hs2)
    d["mfn_duty"] = d.mfn * d.imports
    g = d.groupby(["partner", "sector"])[["imports", "duty", "mfn_duty"]].sum()
    tot = d.groupby("partner")[["imports", "duty", "mfn_duty"]].sum()
    app = np.full((N, 3), np.nan)
    npr = np.full((N, 3), np.nan)
    for p in tot.index:
        if p not in ri:
            continue
        n = ri[p]
        for k in range(3):
            imp = g.imports.get((p, k), 0.0)
            if imp >= US_MIN_SECTOR_IMPORTS:
                app[n, k] = g.duty[(p, k)] / imp
                npr[n, k] = g.mfn_duty[(p, k)] / imp
            elif tot.imports[p] >= US_MIN_PARTNER_IMPORTS:
                app[n, k] = tot.duty[p] / tot.imports[p]
                npr[n, k] = tot.mfn_duty[p] / tot.imports[p]
                log.add("tariffs", "USA", SECTOR_NAMES[k], f"US imports from {p} in the sector (USD)", imp,
                        US_MIN_SECTOR_IMPORTS, "A8c", f"below the threshold: {p}'s all-goods collected rate used")
            else:
                app[n, k] = npr[n, k] = pool_sector[k]
                log.add("tariffs", "USA", SECTOR_NAMES[k], f"US imports from {p}, all goods (USD)", tot.imports[p],
                        US_MIN_PARTNER_IMPORTS, "A8c", "below the threshold: MFN-type sector rate used")
    # EU27 and ROW: their 2024 all-goods collected rate (country-by-time.csv).  Agriculture and mining take
    # the MFN-type sector rates; manufacturing takes the rest of the gap, so that the mean over the model's
    # base-year flows to the USA equals the collected rate (the tariff peaks that lift these partners
    # above the pool - apparel, footwear, vehicles - are manufactures)
    ct = us_country_totals(sd)
    eu_rate = float(ct[ct.name == "EUROPEAN UNION"].rate.iloc[0])
    row = ct[~ct.name.isin(US_TOTALS_NOT_ROW + US_TOTALS_EU_MEMBERS_LISTED + US_TOTALS_CELAC)]
    row_rate = float((row.rate * row.imports).sum() / row.imports.sum())
    us = ri["USA"]
    for name, rate in (("EU27", eu_rate), ("ROW", row_rate)):
        n = ri[name]
        w = X[n, us, :3]
        r = pool_sector.copy()
        r[2] = max((rate * w.sum() - (w[:2] * r[:2]).sum()) / w[2], 0.0)
        app[n] = npr[n] = r
    eu_manufacturing = float(app[ri["EU27"], 2])
    # Cuba (no Census file; embargo, Column 2 rates in law, negligible trade): the MFN-type sector rate
    for n in range(N):
        if n != us and np.isnan(app[n]).any():
            app[n] = npr[n] = pool_sector
            log.add("tariffs", "USA", "goods", f"US collected rate on {regions[n]} (none in the data)", 0.0,
                    float(pool_sector.mean()), "A8c", f"no US Census file for {regions[n]}: MFN-type sector rates (mean shown)")
    app[us] = npr[us] = 0.0
    # a partner without an agreement with the USA has no preference to remove: non-preferential = applied
    # For FTA partners, manufacturing takes at least the EU27's collected manufacturing rate: the pool's
    # manufactures (aircraft, semi-finished steel, pulp, parts) carry lower MFN duties than the vehicles
    # and machinery that Mexico and Canada sell, and the EU27 is the largest partner without a preference.
    for n in range(N):
        if pref[us, n] >= 1.0:
            npr[n] = app[n]
        elif n != us:
            npr[n, 2] = max(npr[n, 2], eu_manufacturing)
        npr[n] = np.maximum(npr[n], app[n])
    info = {"pool_sector": pool_sector, "eu_rate": eu_rate, "eu_manufacturing": eu_manufacturing, "row_rate": row_rate, "row_partners": len(row),
            "chn_collected_01_97": float(tot.duty["CHN"] / tot.imports["CHN"])}
    dall = load_us_duties(sd)
    c = dall[dall.partner == "CHN"]
    info["chn_collected_all_chapters"] = float(c.duty.sum() / c.imports.sum())
    return app, npr, info


def schedule(sd, X, pref, wdi_mean, world_profile, F, TR, regions, log):
    """Applied and non-preferential goods tariffs.

    X [exporter, importer, sector] base-year flows; pref [n, i] preference factor (0 full FTA/CU,
    0.5 partial, 1 none); wdi_mean [n] WDI weighted mean applied tariff (fraction);
    world_profile [3] CP 2005 sector profile relative to the all-goods mean; F, TR [exporter,
    importer, goods sector] CP 2005 imports and tariff revenue.

    Returns (tau, tau_np, mfn, profiles, info) with profiles [n, 3] the sector profile used by each
    importer and mfn [n] its all-goods MFN proxy (for the USA: the MFN-type rate on the base-year
    imports, for information)."""
    N = len(regions)
    K = X.shape[2]
    goods = 3
    ri = {r: i for i, r in enumerate(regions)}
    tau = np.zeros((N, N, K))
    tau_np = np.zeros((N, N, K))
    mfn = np.zeros(N)
    profiles = np.tile(world_profile, (N, 1))
    cet, cet_abs = mercosur_profile(F, TR, regions)
    for r in MERCOSUR_CET_MEMBERS:
        profiles[ri[r]] = cet
    # layer 1: every importer
    for n in range(N):
        imp = X[:, n, :goods].copy()
        imp[n, :] = 0.0
        m, capped = calibrate_importer(imp, pref[n], profiles[n], wdi_mean[n])
        if capped < m:
            log.add("tariffs", regions[n], "goods", "MFN proxy (fraction)", m, capped, "A8", "cap 3x WDI mean / 30%")
        mfn[n] = capped
        tau_np[n, :, :goods] = capped * profiles[n][None, :]
        tau[n, :, :goods] = tau_np[n, :, :goods] * pref[n][:, None]
    # layer 2: the USA from duties collected
    us, cn = ri["USA"], ri["CHN"]
    app, npr, info = us_schedule(sd, X, pref, regions, log)
    tau[us, :, :goods] = app
    tau_np[us, :, :goods] = npr
    # for tariff_inputs.csv: the USA's non-preferential rate over its base-year imports other than from China
    imp = X[:, us, :goods].copy()
    imp[us] = imp[cn] = 0.0
    mfn[us] = float((imp * npr).sum() / imp.sum())
    imp[cn] = X[cn, us, :goods]
    info["us_applied_mean"] = float((imp * app).sum() / imp.sum())
    # layer 3: China on the USA, trade-war rate on a collected basis, with China's sector profile
    chn_on_usa = PIIE_CHN_ON_USA * info["chn_collected_all_chapters"] / PIIE_US_ON_CHN
    w = X[us, cn, :goods]
    c = chn_on_usa * w.sum() / (w * profiles[cn]).sum()
    tau[cn, us, :goods] = tau_np[cn, us, :goods] = c * profiles[cn]
    info.update(cet=cet, cet_abs=cet_abs, chn_on_usa=chn_on_usa)
    for n in range(N):
        tau[n, n, :] = 0.0
        tau_np[n, n, :] = 0.0
    tau_np = np.maximum(tau_np, tau)
    return tau, tau_np, mfn, profiles, info


def weighted_rate(tau, X, n, i):
    """Import-weighted goods tariff of importer n on exporter i over the base-year flows."""
    w = X[i, n, :3]
    return float((w * tau[n, i, :3]).sum() / w.sum()) if w.sum() > 0 else float("nan")


def rows(tau, regions, sectors):
    """Long rows [importer, exporter, sector, rate] of the positive cells, sorted."""
    N, _, K = tau.shape
    return sorted([[regions[n], regions[i], sectors[k], tau[n, i, k]]
                   for n in range(N) for i in range(N) for k in range(K) if tau[n, i, k] > 0])
