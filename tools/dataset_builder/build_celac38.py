#!/usr/bin/python3
"""Build the embedded `celac38` dataset (38 regions x 4 sectors, base year 2023).

Usage (from the repository root):
    /usr/bin/python3 tools/dataset_builder/build_celac38.py --shared-data ../shared/data --out data/celac38

Deterministic: the same inputs give byte-identical output.  Every assumption is numbered (A1..A23) in
the code comments and documented per country in data/celac38/DATA.md.  Only numpy and pandas
(Debian packages) are used.
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
import agreements as agr  # noqa: E402
from balancing import ras2  # noqa: E402
import tariff_schedule as ts  # noqa: E402
import trade_fit  # noqa: E402  (A17-A20, issue 11)
import validation  # noqa: E402  (A21)
import investment_shares  # noqa: E402  (A22)
import migration_data  # noqa: E402  (A23, issue 13)
import business_cycles  # noqa: E402  (A24)
from dataset_format import validate, write_csv  # noqa: E402

BASE_YEAR = 2023
CELAC = sorted("ATG ARG BHS BRB BLZ BOL BRA CHL COL CRI CUB DMA DOM ECU SLV GRD GTM GUY HTI HND JAM MEX "
               "NIC PAN PRY PER KNA LCA VCT SUR TTO URY VEN".split())
PARTNERS = ["USA", "CAN", "CHN", "EU27", "ROW"]
REGIONS = CELAC + PARTNERS
N = len(REGIONS)
RI = {r: i for i, r in enumerate(REGIONS)}
EU27 = agr.EU27
SECTORS = ["agriculture", "mining_utilities", "manufacturing", "services"]
SECTOR_NAMES = {
    "agriculture": "Agriculture, hunting, forestry, fishing (ISIC Rev.3 A-B)",
    "mining_utilities": "Mining and quarrying; electricity, gas and water supply (ISIC Rev.3 C+E)",
    "manufacturing": "Manufacturing (ISIC Rev.3 D)",
    "services": "Construction and services (ISIC Rev.3 F-P)",
}
K = len(SECTORS)
GOODS = [0, 1, 2]
SERV = 3
THETA_SERVICES = 8.22          # A12: CP (2015) convention for non-tradables/services
DOMESTIC_FLOOR = 0.05          # A6: domestic sales >= 5 % of gross output
ALPHA_FLOOR = 0.001            # A7: final-demand share floor (absolute) ...
ALPHA_FLOOR_MEDIAN_SHARE = 0.10  # ... and relative: 1/10 of the cross-region median share of the sector
PARTIAL_PREFERENCE = 0.5       # A8: partial-scope pairs pay 50 % of the MFN proxy
MFN_CAP_FACTOR = 3.0           # A8: MFN proxy at most 3x the WDI weighted mean ...
MFN_CAP_ABS = 0.30             # ... and at most 30 %
LONG_RUN_PRODUCTIVITY = 0.015  # A10
CUBA_US_FACTOR = 0.05          # A3: US embargo, gravity weight of the USA in Cuba's goods trade

# A1/A2: IO structure source per region.  "CP:<iso>" = Caliendo-Parro 1993 tables; "BRA_IOM2020";
# "LATAM4" = element-wise mean of the ARG, BRA, CHL, MEX structures.
IO_SOURCE = {
    "ARG": "CP:ARG", "BRA": "BRA_IOM2020", "CHL": "CP:CHL", "MEX": "CP:MEX", "USA": "CP:USA",
    "CAN": "CP:CAN", "CHN": "CP:CHN", "EU27": "CP:EU13", "ROW": "CP:ROW+",
}
PROXY = {}
for _c in "BLZ CRI SLV GTM HND NIC PAN DOM CUB HTI JAM".split():
    PROXY[_c] = "MEX"
for _c in "BOL COL ECU PER VEN GUY SUR TTO".split():
    PROXY[_c] = "CHL"
for _c in "PRY URY".split():
    PROXY[_c] = "ARG"
for _c in "ATG BHS BRB DMA GRD KNA LCA VCT".split():
    PROXY[_c] = "LATAM4"

CP_COUNTRIES = ("ARG AUS AUT BRA CAN CHL CHN DNK FIN FRA DEU GRC HUN IND IDN IRL ITA JPN KOR MEX NLD NZL "
                "NOR PRT ZAF ESP SWE TUR GBR USA ROW").split()
CP_EU = [c for c in CP_COUNTRIES if c in EU27]
CP_REGION = {c: ("EU27" if c in EU27 else c if c in REGIONS else "ROW") for c in CP_COUNTRIES}
# CP 40 sectors -> 4: 1 agriculture; 2 mining; 3-20 manufacturing; 21 electricity (E) -> mining_utilities; 22-40 services
CP_SECTOR4 = np.array([0, 1] + [2] * 18 + [1] + [3] * 19)
# Brazil IOM 51 sectors -> 4
BR_SECTOR4 = {c: (0 if c <= 2 else 1 if c <= 5 else 2 if c <= 34 else 1 if c == 35 else 3) for c in range(1, 52)}
CEPII_FIX = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "PAL": "PSE", "YUG": "SRB"}


def region_of(iso3: str) -> str:
    if iso3 in EU27:
        return "EU27"
    if iso3 in RI:
        return iso3
    return "ROW"


class Log:
    """Collects residual adjustments (adjustments.csv) and sanity figures (checks.csv)."""

    def __init__(self):
        self.adj: list[list] = []
        self.checks: list[list] = []

    def add(self, block, region, sector, quantity, before, after, assumption, note=""):
        self.adj.append([block, region, sector, quantity, before, after, assumption, note])

    def check(self, name, value, target, unit, source):
        self.checks.append([name, value, target, unit, source])


# ----------------------------------------------------------------------------------------------
# inputs
# ----------------------------------------------------------------------------------------------
def load_ama(sd: str) -> pd.DataFrame:
    f = os.path.join(sd, "un_national_accounts_main_aggregates", "un_ama_gdp_va_current_usd_1990_2024.csv")
    d = pd.read_csv(f, dtype={"iso3": str})
    d = d[d["iso3"].notna()]
    return d


def ama_indicator(ama: pd.DataFrame, code: str, year: int = BASE_YEAR) -> pd.Series:
    s = ama[ama.indicator_code == code].set_index("iso3")[str(year)].dropna()
    return s.groupby(level=0).sum()


def value_added(ama: pd.DataFrame, log: Log) -> np.ndarray:
    ab, ce, d, tot = (ama_indicator(ama, c) for c in ("VA_AB", "VA_CE", "VA_D", "VA_TOT"))
    va = np.zeros((N, K))
    for iso in sorted(tot.index):
        r = RI[region_of(iso)]
        a = float(ab.get(iso, 0.0))
        m = float(ce.get(iso, 0.0)) - float(d.get(iso, 0.0))
        mf = float(d.get(iso, 0.0))
        sv = float(tot[iso]) - a - float(ce.get(iso, 0.0))
        if m < 0:  # D > C-E from rounding
            if iso in RI:
                log.add("value_added", iso, "mining_utilities", "VA C+E minus D", m, 0.0, "A13", "negative residual set to 0")
            m = 0.0
        va[r] += [a, m, mf, sv]
    return va


def load_baci(sd: str) -> pd.DataFrame:
    f = os.path.join(sd, "baci_2023_bilateral_totals", "baci_hs22_2023_total_bilateral_194.csv")
    d = pd.read_csv(f)
    d["value"] = d["value_thousand_usd"] / 1000.0  # million USD
    return d


def region_distances_and_gdp(sd: str, ama: pd.DataFrame):
    gdp = ama_indicator(ama, "GDP")
    dist = pd.read_csv(os.path.join(sd, "cepii_geodist", "dist_cepii.csv"), sep=";")
    for col in ("iso_o", "iso_d"):
        dist[col] = dist[col].replace(CEPII_FIX)
    dist = dist[dist.iso_o.isin(gdp.index) & dist.iso_d.isin(gdp.index)]
    dist = dist.drop_duplicates(["iso_o", "iso_d"])
    dist["distw"] = pd.to_numeric(dist["distw"], errors="coerce")
    dist["dist"] = pd.to_numeric(dist["dist"], errors="coerce")
    dist["distw"] = dist["distw"].fillna(dist["dist"])   # distw missing for a few pairs: use dist
    dist = dist[dist.distw.notna()]
    w = dist.iso_o.map(gdp).values * dist.iso_d.map(gdp).values
    ro = dist.iso_o.map(region_of).map(RI).values
    rd = dist.iso_d.map(region_of).map(RI).values
    num = np.zeros((N, N))
    den = np.zeros((N, N))
    np.add.at(num, (ro, rd), w * dist.distw.values)
    np.add.at(den, (ro, rd), w)
    D = num / np.where(den > 0, den, 1.0)
    G = np.zeros(N)
    for iso, v in gdp.items():
        G[RI[region_of(iso)]] += v
    return D, G


# ----------------------------------------------------------------------------------------------
# IO structure (A1, A2)
# ----------------------------------------------------------------------------------------------
def cp_structures(sd: str) -> dict:
    raw = os.path.join(sd, "caliendo-parro", "raw")
    IO = np.loadtxt(os.path.join(raw, "IO.txt"))
    B = np.loadtxt(os.path.join(raw, "B.txt"))
    GO = np.loadtxt(os.path.join(raw, "GO.txt"))
    J = 40
    out = {}

    def agg(members):
        Z = np.zeros((K, K))
        go4 = np.zeros(K)
        va4 = np.zeros(K)
        for c in members:
            n = CP_COUNTRIES.index(c)
            g = GO[:, n]
            b = B[:, n]
            io = IO[n * J:(n + 1) * J, :]
            inter = io * (g * (1 - b))[None, :]          # [k, j] value of input k used by j
            for k in range(J):
                for j in range(J):
                    if inter[k, j] != 0.0:
                        Z[CP_SECTOR4[k], CP_SECTOR4[j]] += inter[k, j]
            np.add.at(go4, CP_SECTOR4, g)
            np.add.at(va4, CP_SECTOR4, g * b)
        return va4 / go4, Z / go4[None, :]

    for c in ("ARG", "BRA", "CHL", "MEX", "USA", "CAN", "CHN"):
        out["CP:" + c] = agg([c])
    out["CP:EU13"] = agg(CP_EU)
    out["CP:ROW+"] = agg([c for c in CP_COUNTRIES if CP_REGION[c] == "ROW"])
    return out


def brazil_structure(sd: str):
    d = pd.read_csv(os.path.join(sd, "brazil_io_table_2020", "brazil_iom_2020_51sectors_long.csv"))
    z = d[d.row_sector_code.notna() & d.col_sector_code.notna()]
    Z = np.zeros((K, K))
    for r in z.itertuples():
        Z[BR_SECTOR4[int(r.row_sector_code)], BR_SECTOR4[int(r.col_sector_code)]] += r.value_million_brl
    cols = d[d.row_sector_code.isna() & d.col_sector_code.notna()]
    gvp = np.zeros(K)
    gva = np.zeros(K)
    for r in cols.itertuples():
        s = BR_SECTOR4[int(r.col_sector_code)]
        if r.row_label == "Gross Value of Production (GVP)":
            gvp[s] += r.value_million_brl
        elif r.row_label == "Gross Value Added (GDP)":
            gva[s] += r.value_million_brl
    gamma = gva / gvp
    # A2 (Brazil): total intermediate cost (GVP - GVA: domestic + imported inputs, taxes, margins) is
    # split over input sectors in proportion to the domestic intermediate flows of the column.
    share = Z / Z.sum(0, keepdims=True)
    coef = share * (1 - gamma)[None, :]
    return gamma, coef


def io_structures(sd: str, log: Log):
    cp = cp_structures(sd)
    src = dict(cp)
    src["BRA_IOM2020"] = brazil_structure(sd)
    latam = [src[IO_SOURCE[c]] for c in ("ARG", "BRA", "CHL", "MEX")]
    g4 = np.mean([x[0] for x in latam], axis=0)
    c4 = np.mean([x[1] for x in latam], axis=0)
    src["LATAM4"] = (g4, c4)
    gamma = np.zeros((N, K))
    coef = np.zeros((N, K, K))
    used = {}
    for r in REGIONS:
        key = IO_SOURCE.get(r) or (IO_SOURCE[PROXY[r]] if PROXY[r] in IO_SOURCE else PROXY[r])
        g, c = src[key]
        gamma[RI[r]] = g
        coef[RI[r]] = c
        used[r] = key
    # Brazil drift CP 1993 vs IOM 2020 (reported, A2)
    gcp, _ = cp["CP:BRA"]
    gbr, _ = src["BRA_IOM2020"]
    for k in range(K):
        log.check(f"BRA VA/GO {SECTORS[k]}: CP 1993 vs IOM 2020 (used)", gbr[k], gcp[k], "ratio", "A2 drift report")
    return gamma, coef, used


# ----------------------------------------------------------------------------------------------
# goods trade (A3, A4)
# ----------------------------------------------------------------------------------------------
def goods_pair_totals(baci: pd.DataFrame, ama: pd.DataFrame, D: np.ndarray, G: np.ndarray, log: Log):
    T = np.zeros((N, N))
    eo = baci.exporter_iso3.map(region_of).map(RI).values
    io = baci.importer_iso3.map(region_of).map(RI).values
    np.add.at(T, (eo, io), baci.value.values)
    np.fill_diagonal(T, 0.0)
    # A3: Cuba (absent from BACI).  Goods exports/imports = UN AMA EXP_GS/IMP_GS x the median goods
    # share of the other Caribbean CELAC states (BACI goods / AMA goods+services), partners by gravity.
    exp_gs, imp_gs = ama_indicator(ama, "EXP_GS"), ama_indicator(ama, "IMP_GS")
    bx = baci.groupby("exporter_iso3").value.sum()
    bm = baci.groupby("importer_iso3").value.sum()
    carib = ["ATG", "BHS", "BRB", "DMA", "DOM", "GRD", "HTI", "JAM", "KNA", "LCA", "VCT", "TTO"]
    sx = float(np.median([bx[c] / exp_gs[c] for c in carib]))
    sm = float(np.median([bm[c] / imp_gs[c] for c in carib]))
    c = RI["CUB"]
    gx, gm = exp_gs["CUB"] * sx, imp_gs["CUB"] * sm
    w = G / D[c]
    w[c] = 0.0
    w[RI["USA"]] *= CUBA_US_FACTOR
    T[c, :] = gx * w / w.sum()
    T[:, c] = gm * w / w.sum()
    log.add("goods_trade", "CUB", "goods", "exports (million USD)", 0.0, gx, "A3", f"AMA EXP_GS x {sx:.3f} (Caribbean median goods share), gravity partners")
    log.add("goods_trade", "CUB", "goods", "imports (million USD)", 0.0, gm, "A3", f"AMA IMP_GS x {sm:.3f} (Caribbean median goods share), gravity partners")
    return T


def cp2005_sector_flows(sd: str):
    d = pd.read_csv(os.path.join(sd, "caliendo_parro_2015_labeled", "derived", "bilateral_trade_tariffs_long.csv"))
    sec = pd.read_csv(os.path.join(sd, "caliendo_parro_2015_labeled", "derived", "sectors.csv"))
    s4 = {row.sector: CP_SECTOR4[row.index - 1] for row in sec.itertuples()}
    d["s4"] = d.sector.map(s4)
    d["ri"] = d.importer.map(CP_REGION).map(RI)
    d["re"] = d.exporter.map(CP_REGION).map(RI)
    F = np.zeros((N, N, 3))   # [exporter, importer, goods sector]
    np.add.at(F, (d.re.values, d.ri.values, d.s4.values), d.imports_2005_thousand_usd.values)
    TR = np.zeros((N, N, 3))  # tariff x imports (for the sector profile)
    np.add.at(TR, (d.re.values, d.ri.values, d.s4.values), d.imports_2005_thousand_usd.values * d.tariff_2005_pct.values / 100)
    for n in range(N):
        F[n, n] = 0.0
        TR[n, n] = 0.0
    return F, TR


def split_goods(T, va, sd, log: Log):
    """A4: tri-proportional split of pair totals T[i,j] into 3 goods sectors."""
    F, _ = cp2005_sector_flows(sd)
    cp_regions = sorted({RI[r] for r in CP_REGION.values()})
    # A4: export intensity by sector calibrated on the four Latin American CP countries:
    # (their 2005 export composition) / (their 2023 goods value-added composition)
    l4 = [RI[c] for c in ("ARG", "BRA", "CHL", "MEX")]
    l4_exp = F[l4].sum((0, 1))
    l4_va = va[l4][:, GOODS].sum(0)
    tradability = (l4_exp / l4_exp.sum()) / (l4_va / l4_va.sum())
    for k in GOODS:
        log.check(f"A4 export-intensity weight {SECTORS[k]} (LATAM4 CP 2005 exports / 2023 VA)", tradability[k], 1.0, "ratio", "A4")
    exp_tot, imp_tot = T.sum(1), T.sum(0)
    esh = np.zeros((N, 3))
    msh = np.zeros((N, 3))
    latam_m = np.zeros(3)
    for n in range(N):
        if n in cp_regions:
            esh[n] = F[n].sum(0) / F[n].sum()
            msh[n] = F[:, n].sum(0) / F[:, n].sum()
        else:
            v = va[n, GOODS] * tradability
            esh[n] = v / v.sum()
    for c in ("ARG", "BRA", "CHL", "MEX"):
        latam_m += msh[RI[c]] / 4
    for n in range(N):
        if n not in cp_regions:
            msh[n] = latam_m
    E = exp_tot[:, None] * esh
    M = ras2(imp_tot[:, None] * msh, imp_tot, E.sum(0), iters=500)
    wsh = E.sum(0) / E.sum()
    seed = T[:, :, None] * esh[:, None, :] * msh[None, :, :] / wsh[None, None, :]
    for i in cp_regions:
        for j in cp_regions:
            if i != j and F[i, j].sum() > 0:
                seed[i, j] = T[i, j] * F[i, j] / F[i, j].sum()
    seed = np.maximum(seed, 1e-12 * T[:, :, None])
    X = seed / np.maximum(seed.sum(2, keepdims=True), 1e-300) * T[:, :, None]
    for _ in range(300):
        r = X.sum(1)
        X *= np.where(r > 0, E / np.where(r > 0, r, 1), 0)[:, None, :]
        c = X.sum(0)
        X *= np.where(c > 0, M / np.where(c > 0, c, 1), 0)[None, :, :]
        p = X.sum(2)
        X *= np.where(p > 0, T / np.where(p > 0, p, 1), 0)[:, :, None]
    dev_e = np.abs(X.sum(1) - E).sum() / E.sum()
    dev_m = np.abs(X.sum(0) - M).sum() / M.sum()
    log.check("A4 goods split: mean abs deviation from exporter sector margins", dev_e, 0.0, "share", "IPF residual")
    log.check("A4 goods split: mean abs deviation from importer sector margins", dev_m, 0.0, "share", "IPF residual")
    return X, esh, msh, tradability


# ----------------------------------------------------------------------------------------------
# services trade (A5)
# ----------------------------------------------------------------------------------------------
def services_trade(sd, ama, baci, T_goods, D, G, log: Log):
    exp_gs, imp_gs = ama_indicator(ama, "EXP_GS"), ama_indicator(ama, "IMP_GS")
    bx = baci.groupby("exporter_iso3").value.sum()
    bm = baci.groupby("importer_iso3").value.sum()
    bx["CUB"] = T_goods[RI["CUB"]].sum()
    bm["CUB"] = T_goods[:, RI["CUB"]].sum()
    tisp = pd.read_csv(os.path.join(sd, "oecd_services_trade_by_partner", "oecd_tisp_services_bilateral_2000_2019.csv"))
    t19 = tisp[tisp.year == 2019]
    wld = t19[t19.partner_iso3 == "WLD"].pivot_table(index="reporter_iso3", columns="flow", values="value_million_usd")
    exp19, imp19 = ama_indicator(ama, "EXP_GS", 2019), ama_indicator(ama, "IMP_GS", 2019)
    # A5 (totals): TISP reporters -> TISP 2019 world totals x AMA 2019->2023 growth of EXP_GS/IMP_GS;
    # others -> residual AMA (goods+services) - BACI goods, scaled by the median ratio
    # (TISP-based / residual) observed for the reporters, floored at 5 % of EXP_GS/IMP_GS.
    resid, tisp_based = {}, {}
    countries = sorted(set(exp_gs.index) & set(imp_gs.index))
    for iso in countries:
        if iso not in bx.index and iso != "CUB":
            continue  # territories absent from BACI: excluded from the services totals
        resid[iso] = (exp_gs[iso] - bx.get(iso, 0.0), imp_gs[iso] - bm.get(iso, 0.0))
        if iso in wld.index and not np.isnan(wld.loc[iso]).any() and iso in exp19.index and iso in imp19.index:
            tisp_based[iso] = (wld.loc[iso, "EXP"] * exp_gs[iso] / exp19[iso], wld.loc[iso, "IMP"] * imp_gs[iso] / imp19[iso])
    rx = float(np.median([tisp_based[c][0] / resid[c][0] for c in tisp_based if resid[c][0] > 0]))
    rm = float(np.median([tisp_based[c][1] / resid[c][1] for c in tisp_based if resid[c][1] > 0]))
    log.check("A5 median ratio TISP-based / residual services exports (reporters)", rx, 1.0, "ratio", "OECD TISP 2019, UN AMA, BACI")
    log.check("A5 median ratio TISP-based / residual services imports (reporters)", rm, 1.0, "ratio", "OECD TISP 2019, UN AMA, BACI")
    sx = np.zeros(N)
    sm = np.zeros(N)
    for iso in sorted(resid):
        if iso in tisp_based:
            x, m = tisp_based[iso]
            how = "TISP 2019 x AMA growth"
        else:
            x, m = resid[iso][0] * rx, resid[iso][1] * rm
            how = "residual x median ratio"
        fx, fm = 0.05 * exp_gs[iso], 0.05 * imp_gs[iso]
        if iso in RI:
            log.check(f"A5 services exports {iso} ({how})", x, resid[iso][0], "million USD (target = raw residual)", "A5")
            log.check(f"A5 services imports {iso} ({how})", m, resid[iso][1], "million USD (target = raw residual)", "A5")
        if x < fx:
            if iso in RI:
                log.add("services_trade", iso, "services", f"exports ({how})", x, fx, "A5", "floored at 5% of EXP_GS")
            x = fx
        if m < fm:
            if iso in RI:
                log.add("services_trade", iso, "services", f"imports ({how})", m, fm, "A5", "floored at 5% of IMP_GS")
            m = fm
        sx[RI[region_of(iso)]] += x
        sm[RI[region_of(iso)]] += m
    # EU27 external share from OECD TISP 2019 (EU reporters: partner EU27_2020 vs WLD)
    shares = {}
    for flow in ("EXP", "IMP"):
        q = t19[(t19.flow == flow) & t19.reporter_iso3.isin(EU27)]
        w = q[q.partner_iso3 == "WLD"].set_index("reporter_iso3").value_million_usd
        e = q[q.partner_iso3 == "EU27_2020"].set_index("reporter_iso3").value_million_usd
        common = sorted(set(w.index) & set(e.index))
        shares[flow] = 1 - e[common].sum() / w[common].sum()
    eu = RI["EU27"]
    log.add("services_trade", "EU27", "services", "exports: extra-EU share (TISP 2019)", sx[eu], sx[eu] * shares["EXP"], "A5", f"share {shares['EXP']:.3f}")
    log.add("services_trade", "EU27", "services", "imports: extra-EU share (TISP 2019)", sm[eu], sm[eu] * shares["IMP"], "A5", f"share {shares['IMP']:.3f}")
    sx[eu] *= shares["EXP"]
    sm[eu] *= shares["IMP"]
    # ROW external share = ROW's goods external share (BACI)
    row = RI["ROW"]
    bro = baci[baci.exporter_iso3.map(region_of) == "ROW"]
    ext_x = bro[bro.importer_iso3.map(region_of) != "ROW"].value.sum() / bro.value.sum()
    bri = baci[baci.importer_iso3.map(region_of) == "ROW"]
    ext_m = bri[bri.exporter_iso3.map(region_of) != "ROW"].value.sum() / bri.value.sum()
    log.add("services_trade", "ROW", "services", "exports: external share = BACI goods external share", sx[row], sx[row] * ext_x, "A5", f"share {ext_x:.3f}")
    log.add("services_trade", "ROW", "services", "imports: external share = BACI goods external share", sm[row], sm[row] * ext_m, "A5", f"share {ext_m:.3f}")
    sx[row] *= ext_x
    sm[row] *= ext_m
    # world balance: scale both sides to their mean
    tx, tm = sx.sum(), sm.sum()
    mean = 0.5 * (tx + tm)
    log.add("services_trade", "WORLD", "services", "exports total rescaled to mean(exp, imp)", tx, mean, "A5", "")
    log.add("services_trade", "WORLD", "services", "imports total rescaled to mean(exp, imp)", tm, mean, "A5", "")
    sx *= mean / tx
    sm *= mean / tm
    # seed: TISP 2019 observed pairs (USA, CAN, EU reporters), gravity elsewhere
    obs = np.full((N, N), np.nan)
    acc = {}
    for flow in ("EXP", "IMP"):
        q = t19[(t19.flow == flow) & (t19.reporter_iso3.isin(["USA", "CAN"] + EU27))]
        q = q[~q.partner_iso3.isin(["WLD", "EU27_2020"])]
        for r in q.itertuples():
            a, b = region_of(r.reporter_iso3), region_of(r.partner_iso3)
            if a == b or b == "ROW":
                continue  # partners outside the 37 named regions are not summed (coverage varies)
            key = (a, b) if flow == "EXP" else (b, a)
            acc.setdefault((key, flow), 0.0)
            acc[(key, flow)] += r.value_million_usd
    pairs = sorted({k for k, _ in acc})
    for (a, b) in pairs:
        vals = [acc[((a, b), f)] for f in ("EXP", "IMP") if ((a, b), f) in acc]
        obs[RI[a], RI[b]] = float(np.mean(vals))
    grav = np.outer(G, G) / np.where(D > 0, D, 1.0)
    np.fill_diagonal(grav, 0.0)
    m = ~np.isnan(obs)
    c = obs[m].sum() / grav[m].sum()
    seed = np.where(m, obs, c * grav)
    np.fill_diagonal(seed, 0.0)
    S = ras2(seed, sx, sm, iters=2000)
    err = max(np.abs(S.sum(1) - sx).max(), np.abs(S.sum(0) - sm).max()) / mean
    log.check("A5 services RAS max margin error", err, 0.0, "share of world services trade", "RAS residual")
    log.check("A5 services: TISP-observed cells in seed", int(m.sum()), 0, "cells", "OECD TISP 2019")
    return S


# ----------------------------------------------------------------------------------------------
# tariffs (A8)
# ----------------------------------------------------------------------------------------------
def tariffs(sd, baci, X, pref, log: Log):
    w = pd.read_csv(os.path.join(sd, "world_bank_wdi_tariffs", "wdi_TM.TAX.MRCH.WM.AR.ZS_tariff_weighted_mean.csv"))
    w = w.dropna()
    # A8: smooth outliers: median of the values 2020-2022, else the latest available year
    rate = {}
    for iso, g in w.groupby("iso3"):
        recent = g[(g.year >= 2020) & (g.year <= 2022)]
        v = recent.tariff_applied_weighted_mean_all_products_pct.median() if len(recent) else \
            g.sort_values("year").tariff_applied_weighted_mean_all_products_pct.iloc[-1]
        rate[iso] = float(v) / 100.0
    wm = np.zeros(N)
    bm = baci.groupby("importer_iso3").value.sum()
    rows_num, rows_den = 0.0, 0.0
    for iso, v in bm.items():
        if region_of(iso) == "ROW" and iso in rate:
            rows_num += rate[iso] * v
            rows_den += v
    for r in REGIONS:
        if r == "EU27":
            wm[RI[r]] = rate["EUU"]
        elif r == "ROW":
            wm[RI[r]] = rows_num / rows_den
        else:
            wm[RI[r]] = rate[r]
    # sector profile from CP 2005 tariffs (import-weighted, world)
    F, TR = cp2005_sector_flows(sd)
    avg = TR.sum((0, 1)) / F.sum((0, 1))
    overall = TR.sum() / F.sum()
    profile = avg / overall
    # A8: applied and non-preferential rates (tools/dataset_builder/tariff_schedule.py)
    tau, tau_np, mfn, _, info = ts.schedule(sd, X, pref, wm, profile, F, TR, REGIONS, log)
    for k in GOODS:
        log.check(f"A8b Mercosur CET sector profile {SECTORS[k]} (ARG+BRA 2005 on non-preferential partners, relative)",
                  info["cet"][k], 1.0, "ratio", "caliendo_parro_2015_labeled 2005 tariffs")
    us, cn = RI["USA"], RI["CHN"]
    for p in ("MEX", "CAN", "BRA", "CHN", "EU27", "ROW"):
        log.check(f"A8c US applied tariff on {p}, goods, base-year weights", ts.weighted_rate(tau, X, us, RI[p]), 0.0,
                  "fraction", "us_import_duties_by_partner_hs2_2024 (duties/imports 2024)")
    for p in ("MEX", "CAN"):
        log.check(f"A8c US non-preferential tariff on {p}, goods, base-year weights", ts.weighted_rate(tau_np, X, us, RI[p]),
                  0.0, "fraction", "MFN-type HS2 rates of US_MFN_POOL partners; manufacturing >= EU27's")
    log.check("A8c US MFN-type manufacturing floor for FTA partners (EU27 collected, manufacturing)",
              info["eu_manufacturing"], 0.0, "fraction", "country-by-time.csv")
    for k in GOODS:
        log.check(f"A8c US MFN-type rate (non-FTA pool) {SECTORS[k]}", info["pool_sector"][k], 0.0, "fraction",
                  "us_import_duties_by_partner_hs2_2024: ARG BOL BRA ECU PRY URY VEN")
    log.check("A8c US applied tariff, all goods, base-year weights (target: WDI weighted mean)", info["us_applied_mean"],
              wm[us], "fraction", "tariffs.csv; world_bank_wdi_tariffs")
    log.check("A8c US collected rate on EU27 (2024, all goods)", info["eu_rate"], 0.0, "fraction", "country-by-time.csv")
    log.check("A8c US collected rate on ROW (2024, top-50 partners)", info["row_rate"], 0.0, "fraction", "country-by-time.csv")
    log.check("A8d US collected rate on CHN, all chapters 2024", info["chn_collected_all_chapters"], ts.PIIE_US_ON_CHN,
              "fraction", "us_import_duties_by_partner_hs2_2024; target = PIIE statutory average")
    log.check("A8d China tariff on USA (PIIE 21.1 % x collected/statutory on the US side)", info["chn_on_usa"],
              ts.PIIE_CHN_ON_USA, "fraction", "Bown (PIIE) 2023; target = PIIE statutory average")
    log.check("A8d China applied tariff on USA, goods, base-year weights", ts.weighted_rate(tau, X, cn, us),
              info["chn_on_usa"], "fraction", "tariffs.csv")
    return tau, tau_np, wm, mfn, profile


# ----------------------------------------------------------------------------------------------
# demography and growth (A10)
# ----------------------------------------------------------------------------------------------
def population(sd):
    d = pd.read_csv(os.path.join(sd, "un_wpp2024_population_projections", "wpp2024_population_projections_2024_2100.csv"))
    d = d[(d.year <= 2050)]
    rows = []
    variants = {"medium": "pop_medium", "low": "pop_low", "high": "pop_high"}
    agg = {}
    wld = d[d.iso3 == "WLD"].set_index("year")
    for r in REGIONS:
        if r == "ROW":
            continue
        members = EU27 if r == "EU27" else [r]
        s = d[d.iso3.isin(members)].groupby("year")[list(variants.values())].sum()
        agg[r] = s
    named = sum(agg[r] for r in agg)
    agg["ROW"] = wld[list(variants.values())] - named
    for r in REGIONS:
        s = agg[r]
        for var, col in variants.items():
            # A11: 2023 back-cast with the 2024->2025 growth factor (WPP file starts in 2024)
            v24, v25 = s.loc[2024, col], s.loc[2025, col]
            rows.append([r, 2023, var, v24 * v24 / v25])
            for y in range(2024, 2051):
                rows.append([r, y, var, s.loc[y, col]])
    rows.sort(key=lambda x: (x[0], x[1], x[2]))
    return rows, agg


def productivity(sd, log: Log):
    f = os.path.join(sd, "un_national_accounts_main_aggregates", "un_ama_gdp_va_constant2015_usd_1990_2023.csv")
    c = pd.read_csv(f, dtype={"iso3": str})
    c = c[c.iso3.notna() & (c.indicator_code == "GDP")].groupby("iso3")[["2010", "2019"]].sum(min_count=1)
    pop = pd.read_csv(os.path.join(sd, "world_bank_wdi", "population.csv"))
    pop = pop[pop.Year.isin([2010, 2019])].pivot_table(index="Country Code", columns="Year", values="Value")
    common = sorted(set(c.dropna().index) & set(pop.dropna().index))
    gdp10, gdp19, p10, p19 = (np.zeros(N) for _ in range(4))
    for iso in common:
        r = RI[region_of(iso)]
        gdp10[r] += c.loc[iso, "2010"]
        gdp19[r] += c.loc[iso, "2019"]
        p10[r] += pop.loc[iso, 2010]
        p19[r] += pop.loc[iso, 2019]
    trend = ((gdp19 / p19) / (gdp10 / p10)) ** (1 / 9) - 1
    rows = []
    for r in REGIONS:
        g0 = float(trend[RI[r]])
        g = min(max(g0, -0.01), 0.05)
        if g != g0:
            log.add("productivity_growth", r, "all", "2010-2019 trend GDP per capita growth", g0, g, "A10", "clamped to [-1%, 5%]")
        for y in range(2023, 2051):
            wgt = (y - 2023) / (2050 - 2023)
            rows.append([r, y, (1 - wgt) * g + wgt * LONG_RUN_PRODUCTIVITY])
    return rows, trend


def employment(sd, va, log: Log):
    """A9: ILO 2019 employment (agri / industry / services); industry split by VA shares of
    mining+utilities, manufacturing and construction (construction goes to services)."""
    d = pd.read_csv(os.path.join(sd, "ilo_employment_by_broad_sector", "ilo_modelled_employment_by_broad_sector_2009_2020.csv"))
    d = d[d.year == 2019].set_index("iso3")
    return d


# ----------------------------------------------------------------------------------------------
def build(shared: str, out: str) -> list[str]:
    log = Log()
    os.makedirs(out, exist_ok=True)
    ama = load_ama(shared)
    ama, _ = trade_fit.rescale_cub_ven(ama, shared, log)          # A20: CUB/VEN VA and GDP in US$
    va = value_added(ama, log)
    baci = load_baci(shared)
    D, Ggdp = region_distances_and_gdp(shared, ama)
    gamma, coef, io_used = io_structures(shared, log)
    T = goods_pair_totals(baci, ama, D, Ggdp, log)
    T = trade_fit.goods_totals_vs_wdi(T, REGIONS, CELAC, shared, log)   # A17: WDI merchandise caps/lifts
    ven_extra = trade_fit.venezuela_unrecorded_oil(T, REGIONS, shared, log)   # A18
    Xg, esh, msh, tradability = split_goods(T, va, shared, log)
    Xg = trade_fit.fit_goods_composition(Xg, T, REGIONS, CELAC, shared, log, ven_extra)   # A18
    S = services_trade(shared, ama, baci, T, D, Ggdp, log)
    S = trade_fit.fit_services_totals(S, Xg, trade_fit.goods_services_targets(shared, ama, CELAC), REGIONS, log)  # A19
    X = np.zeros((N, N, K))   # [exporter, importer, sector] at world prices, off-diagonal
    X[:, :, :3] = Xg
    X[:, :, SERV] = S
    for n in range(N):
        X[n, n, :] = 0.0

    # gross output (A1) and domestic sales (A6)
    go = va / gamma
    exports = X.sum(1)
    for n in range(N):
        for k in range(K):
            if exports[n, k] > (1 - DOMESTIC_FLOOR) * go[n, k]:
                new = exports[n, k] / (1 - DOMESTIC_FLOOR)
                old_go = go[n, k]
                # keep VA (UN AMA); the extra gross output is bought-in own-sector goods (re-exports)
                c = coef[n, :, k] * old_go
                c[k] += new - old_go
                coef[n, :, k] = c / new
                gamma[n, k] = va[n, k] / new
                go[n, k] = new
                log.add("gross_output", REGIONS[n], SECTORS[k], "gross output (million USD)", old_go, new, "A6",
                        f"exports {exports[n, k]:.6g} > 95% of VA/gamma; extra output = own-sector inputs, VA kept")
    for n in range(N):
        X[n, n, :] = go[n] - exports[n]

    # agreements and tariffs (A8)
    agreements = agr.build_agreements(os.path.join(shared, "desta_trade_agreements", "desta_v0202_dyads_38region_members.csv"), REGIONS, BASE_YEAR)
    pref = np.ones((N, N))
    for a in agreements:
        i, j = RI[a["region_1"]], RI[a["region_2"]]
        p = 0.0 if a["tariff_preference"] == "full" else PARTIAL_PREFERENCE
        pref[i, j] = pref[j, i] = p
    np.fill_diagonal(pref, 0.0)
    tau, tau_np, wm, mfn, profile = tariffs(shared, baci, X, pref, log)
    write_csv(os.path.join(out, "non_preferential_tariffs.csv"), ["importer", "exporter", "sector", "rate"],
              ts.rows(tau_np, REGIONS, SECTORS))
    for k in GOODS:
        log.check(f"A8 tariff sector profile {SECTORS[k]} (CP 2005 relative to all goods)", profile[k], 1.0, "ratio", "caliendo_parro_2015_labeled 2005 tariffs")

    # final demand (A7)
    M = np.transpose(X, (1, 0, 2))           # [importer, exporter, k]
    Xexp = np.einsum("nik,nik->nk", M, 1 + tau)
    R = np.einsum("nik,nik->n", M, tau)
    off = X.copy()
    for n in range(N):
        off[n, n] = 0
    deficit = off.sum((0, 2)) - off.sum((1, 2))
    I = va.sum(1) + R + deficit
    # A7: the residual final-demand share of a sector may not fall below a tenth of the
    # cross-region median of the unadjusted shares (and never below ALPHA_FLOOR)
    alpha0 = (Xexp - np.einsum("nkj,nj->nk", coef, go)) / I[:, None]
    alpha_floor = np.maximum(ALPHA_FLOOR, ALPHA_FLOOR_MEDIAN_SHARE * np.median(alpha0, axis=0))
    for k in range(K):
        log.check(f"A7 final-demand share floor {SECTORS[k]}", alpha_floor[k], 0.0, "share", "0.10 x cross-region median")
    for n in range(N):
        F = Xexp[n] - coef[n] @ go[n]
        floor = alpha_floor * I[n]
        need = np.where(F < floor, floor - F, 0.0)
        if need.sum() > 0:
            slack = np.where(F > floor, F - floor, 0.0)
            for k in np.where(need > 0)[0]:
                use = coef[n, k, :] * go[n]
                fac = max(1 - need[k] / use.sum(), 0.0)   # never below zero input use
                delta = use * (1 - fac)          # per using column j
                coef[n, k, :] *= fac
                w = slack / slack.sum()
                coef[n, :, :] += np.outer(w, delta / go[n])
                log.add("final_demand", REGIONS[n], SECTORS[k], "final demand residual X - intermediate use", F[k], floor[k], "A7",
                        f"input-{SECTORS[k]} coefficients scaled by {fac:.4f}; {need[k]:.6g} moved to other inputs in proportion to their slack")
            F = Xexp[n] - coef[n] @ go[n]
    alpha = (Xexp - np.einsum("nkj,nj->nk", coef, go)) / I[:, None]

    # sector table: theta (A12)
    cpel = pd.read_csv(os.path.join(shared, "trade_elasticities", "caliendo_parro_2015_sectoral_trade_elasticities.csv"))
    Fcp, _ = cp2005_sector_flows(shared)
    theta = np.zeros(K)
    th_used = cpel.theta_used_in_cp_counterfactuals_T_txt.values
    cpsec = pd.read_csv(os.path.join(shared, "caliendo_parro_2015_labeled", "derived", "sectors.csv"))
    d05 = pd.read_csv(os.path.join(shared, "caliendo_parro_2015_labeled", "derived", "bilateral_trade_tariffs_long.csv"))
    d05 = d05[d05.importer != d05.exporter]
    wsec = d05.groupby("sector").imports_2005_thousand_usd.sum()
    theta_se = np.zeros(K)
    theta_source = [""] * K
    se_cp, estimated, cv_median = cp_theta_standard_errors(cpel)
    for k in GOODS:
        # Petroleum (theta 64.85, an outlier) is excluded from the manufacturing average (A12)
        idx = [i for i in range(20) if CP_SECTOR4[i] == k and cpsec.sector[i] != "Petroleum"]
        wts = np.array([wsec[cpsec.sector[i]] for i in idx])
        theta[k] = float((th_used[idx] * wts).sum() / wts.sum())
        # A16: the same weights on independent estimates: se = sqrt(sum_i w_i^2 se_i^2), sum_i w_i = 1
        w = wts / wts.sum()
        theta_se[k] = float(np.sqrt((w ** 2 * se_cp[idx] ** 2).sum()))
        theta_source[k] = theta_se_source([cpsec.sector[i] for i in idx], [bool(estimated[i]) for i in idx])
    theta[SERV] = THETA_SERVICES
    theta_se[SERV] = cv_median * THETA_SERVICES   # A16: an assumed value, not an estimate
    theta_source[SERV] = (f"assumption A16: CP value {THETA_SERVICES:g} times the median coefficient of variation "
                          f"({cv_median:.4f}) of the {int(estimated.sum())} sectors whose CP value is its 99% sample estimate")

    # ------------------------------------------------------------------ write
    names = pd.read_csv(os.path.join(shared, "reference_celac", "celac_countries.csv")).set_index("iso3").name_en.to_dict()
    names.update({"USA": "United States", "CAN": "Canada", "CHN": "China", "EU27": "European Union (27 members)",
                  "ROW": "Rest of the world"})
    write_csv(os.path.join(out, "regions.csv"), ["region", "name"], [[r, names[r]] for r in REGIONS])
    write_csv(os.path.join(out, "sectors.csv"), ["sector", "name", "tradable", "trade_elasticity"],
              [[s, SECTOR_NAMES[s], 1, round(float(theta[k]), 4)] for k, s in enumerate(SECTORS)])
    # A16: the sampling uncertainty of theta; `estimate` is written exactly as in sectors.csv
    write_csv(os.path.join(out, "trade_elasticities.csv"), ["sector", "estimate", "standard_error", "source"],
              sorted([[s, round(float(theta[k]), 4), theta_se[k], theta_source[k]] for k, s in enumerate(SECTORS)]))

    def rs_rows(a):
        return sorted([[REGIONS[n], SECTORS[k], a[n, k]] for n in range(N) for k in range(K)])
    write_csv(os.path.join(out, "gross_output.csv"), ["region", "sector", "value"], rs_rows(go))
    write_csv(os.path.join(out, "value_added.csv"), ["region", "sector", "value"], rs_rows(va))
    write_csv(os.path.join(out, "final_demand_shares.csv"), ["region", "sector", "value"], rs_rows(alpha))
    # A22: the sector composition of GFCF (beta), Brazil IOM 2020, applied to every region
    investment_shares.write(out, investment_shares.brazil_gfcf(shared, BR_SECTOR4, K)["beta"], REGIONS, SECTORS)
    write_csv(os.path.join(out, "io_coefficients.csv"), ["region", "input_sector", "using_sector", "value"],
              sorted([[REGIONS[n], SECTORS[k], SECTORS[j], coef[n, k, j]] for n in range(N) for k in range(K) for j in range(K)]))
    write_csv(os.path.join(out, "trade.csv"), ["exporter", "importer", "sector", "value"],
              sorted([[REGIONS[i], REGIONS[j], SECTORS[k], X[i, j, k]] for i in range(N) for j in range(N) for k in range(K) if X[i, j, k] > 0]))
    write_csv(os.path.join(out, "tariffs.csv"), ["importer", "exporter", "sector", "rate"],
              sorted([[REGIONS[n], REGIONS[i], SECTORS[k], tau[n, i, k]] for n in range(N) for i in range(N) for k in range(K) if tau[n, i, k] > 0]))
    write_csv(os.path.join(out, "deficits.csv"), ["region", "value"], sorted([[REGIONS[n], deficit[n]] for n in range(N)]))
    pop_rows, pop_agg = population(shared)
    write_csv(os.path.join(out, "population.csv"), ["region", "year", "variant", "value"], pop_rows)
    # A23: UN DESA migrant stocks 2024 by origin and destination; remittances received / GDP
    migration_data.write(out, shared, region_of, REGIONS, CELAC)
    # A24: real output 1990-2023 (UN AMA constant 2015 US$), AR(1) tradable shocks, their correlation
    business_cycles.write(out, shared, region_of, REGIONS)
    prod_rows, _ = productivity(shared, log)
    write_csv(os.path.join(out, "productivity_growth.csv"), ["region", "year", "value"], sorted(prod_rows))
    emp_rows = employment_rows(shared, va, log)
    write_csv(os.path.join(out, "employment.csv"), ["region", "sector", "value"], emp_rows)
    write_csv(os.path.join(out, "agreements_in_force_2023.csv"),
              ["region_1", "region_2", "agreement", "type", "tariff_preference", "entry_into_force_year",
               "desta_base_treaty", "desta_name", "source", "note"],
              [[a[k] for k in ("region_1", "region_2", "agreement", "type", "tariff_preference", "entry_into_force_year",
                               "desta_base_treaty", "desta_name", "source", "note")] for a in agreements])
    # provenance tables of the assumptions
    write_csv(os.path.join(out, "io_sources.csv"), ["region", "io_source"], [[r, io_used[r]] for r in sorted(REGIONS)])
    write_csv(os.path.join(out, "tariff_inputs.csv"), ["region", "wdi_weighted_mean", "mfn_proxy"],
              sorted([[REGIONS[n], wm[n], mfn[n]] for n in range(N)]))
    sanity_checks(shared, X, va, go, log)
    write_csv(os.path.join(out, "adjustments.csv"), ["block", "region", "sector", "quantity", "before", "after", "assumption", "note"], log.adj)
    write_csv(os.path.join(out, "checks.csv"), ["check", "value", "target", "unit", "source"], log.checks)
    write_groups(os.path.join(out, "groups.csv"))
    write_manifest(out, profile)
    failed = validation.run(out, shared)     # A21: validation.csv, DATA.md generated table, tolerances
    return validate(out) + failed


def cp_theta_standard_errors(cpel: pd.DataFrame):
    """A16: a standard error for the theta that CP (2015) use for each of their 20 tradable sectors.

    CP's counterfactual value (`T.txt`) is the 99 % sample estimate rounded to 2 decimals for 18
    sectors; their standard error is the robust s.e. of that estimate.  For Auto and Other
    Transport CP use 8.22 instead of the estimate (1.84 and 0.39): an assumed value, whose
    standard error is assumed like that of services, as the value times the median coefficient
    of variation (s.e./theta) of the 18 estimated sectors.

    Returns (se per CP sector, mask of the sectors whose value is the estimate, median CV)."""
    used = cpel.theta_used_in_cp_counterfactuals_T_txt.to_numpy(float)
    th99 = cpel.theta_99pct_sample.to_numpy(float)
    se99 = cpel.se_99pct_sample.to_numpy(float)
    estimated = np.abs(used - np.round(th99, 2)) < 1e-9
    cv_median = float(np.median(se99[estimated] / th99[estimated]))
    return np.where(estimated, se99, cv_median * used), estimated, cv_median


def theta_se_source(cp_sectors: list[str], estimated: list[bool]) -> str:
    """Short provenance text of a sector's theta standard error (A16)."""
    if len(cp_sectors) == 1 and estimated[0]:
        return f"CP (2015) {cp_sectors[0]}: robust s.e. of the 99% sample estimate"
    assumed = [s for s, e in zip(cp_sectors, estimated) if not e]
    text = (f"weighted mean of {len(cp_sectors)} CP (2015) sectors: sqrt(sum w^2 se^2) with the theta weights "
            "(2005 world trade) and 99% sample robust s.e.")
    if assumed:
        text += f"; {' and '.join(assumed)} (CP value 8.22 not an estimate) by assumption A16"
    return text


def employment_rows(shared, va, log: Log):
    d = employment(shared, va, log)
    ama = load_ama(shared)
    ce, dd, f = (ama_indicator(ama, c, 2019) for c in ("VA_CE", "VA_D", "VA_F"))
    emp = np.zeros((N, K))
    covered = set()
    for iso in sorted(d.index):
        if iso in ("WLD", "LCN_ILO", "EU27_ILO") or iso not in ce.index:
            continue
        r = RI[region_of(iso)]
        m, mf, cons = max(ce[iso] - dd[iso], 0.0), dd[iso], f.get(iso, 0.0)
        tot = m + mf + cons
        ind = d.loc[iso, "emp_industry_thousands"]
        emp[r] += [d.loc[iso, "emp_agriculture_thousands"], ind * m / tot, ind * mf / tot,
                   d.loc[iso, "emp_services_thousands"] + ind * cons / tot]
        covered.add(iso)
    # A9: ILO's Argentina series covers the urban survey (EPH) only: agriculture 10.9 thousand.
    # Where agriculture has < 1 % of employment but > 3 % of VA, agricultural employment is imputed
    # from agricultural employment per unit of agricultural VA in URY (the closest peer: pampas agriculture).
    peers_ag = [RI["URY"]]
    ag_ratio = emp[peers_ag, 0].sum() / va[peers_ag, 0].sum()
    for n in range(N):
        if REGIONS[n] in CELAC and emp[n].sum() > 0 and emp[n, 0] < 0.01 * emp[n].sum() and va[n, 0] > 0.03 * va[n].sum():
            new = va[n, 0] * ag_ratio
            log.add("employment", REGIONS[n], "agriculture", "employment (thousands)", emp[n, 0], new, "A9",
                    "ILO series urban-only; agri employment per agri VA of URY")
            emp[n, 0] = new
    # ATG DMA GRD KNA (absent from ILO): employment per VA of LCA and VCT by sector (A9)
    peers = [RI["LCA"], RI["VCT"]]
    ratio = emp[peers].sum(0) / va[peers].sum(0)
    for iso in ("ATG", "DMA", "GRD", "KNA"):
        if iso not in covered:
            emp[RI[iso]] = va[RI[iso]] * ratio
            log.add("employment", iso, "all", "employment (thousands)", 0.0, float(emp[RI[iso]].sum()), "A9", "LCA+VCT employment per unit of VA")
    return sorted([[REGIONS[n], SECTORS[k], emp[n, k]] for n in range(N) for k in range(K)])


def sanity_checks(shared, X, va, go, log: Log):
    cel = [RI[c] for c in CELAC]
    pop = pd.read_csv(os.path.join(shared, "world_bank_wdi", "population.csv"))
    p24 = pop[(pop.Year == 2024) & pop["Country Code"].isin(CELAC)].Value.sum() / 1e6
    log.check("CELAC population 2024 (WDI), million", p24, 658, "million", "world_bank_wdi/population.csv")
    ama = load_ama(shared)
    gdp = ama_indicator(ama, "GDP")
    share = (gdp["BRA"] + gdp["MEX"]) / gdp[CELAC].sum()
    log.check("Brazil+Mexico share of CELAC GDP 2023 (UN AMA)", share, 0.584, "share", "un_national_accounts_main_aggregates")
    goods = X[:, :, :3].sum(2)
    chn = RI["CHN"]
    log.check("China-CELAC goods trade 2023 in dataset, bn USD", (goods[chn, cel].sum() + goods[cel, chn].sum()) / 1e3, 458, "bn USD", "trade.csv (BACI + A3 Cuba)")
    intra = goods[np.ix_(cel, cel)].sum() - sum(goods[c, c] for c in cel)
    tot = goods[cel].sum() - sum(goods[c, c] for c in cel)
    log.check("intra-CELAC share of CELAC goods exports in dataset", intra / tot, 0.145, "share", "trade.csv (BACI + A3 Cuba)")
    log.check("CELAC value added 2023, bn USD", va[cel].sum() / 1e3, 0, "bn USD", "value_added.csv")
    log.check("world value added 2023, bn USD", va.sum() / 1e3, 0, "bn USD", "value_added.csv")


def write_manifest(out, profile):
    files = {
        "regions": "regions.csv", "sectors": "sectors.csv", "gross_output": "gross_output.csv",
        "value_added": "value_added.csv", "io_coefficients": "io_coefficients.csv", "trade": "trade.csv",
        "tariffs": "tariffs.csv", "non_preferential_tariffs": "non_preferential_tariffs.csv",
        "final_demand_shares": "final_demand_shares.csv", "investment_shares": "investment_shares.csv",
        "deficits": "deficits.csv",
        "population": "population.csv", "productivity_growth": "productivity_growth.csv",
        "employment": "employment.csv", "agreements": "agreements_in_force_2023.csv",
        "io_sources": "io_sources.csv", "tariff_inputs": "tariff_inputs.csv",
        "adjustments": "adjustments.csv", "checks": "checks.csv", "validation": "validation.csv", "groups": "groups.csv",
        "trade_elasticities": "trade_elasticities.csv",
        "migrant_stocks": "migrant_stocks.csv", "remittances": "remittances.csv",
        "output_history": "output_history.csv", "business_cycles": "business_cycles.csv",
        "shock_correlation": "shock_correlation.csv",
    }
    sources = [
        ("UN National Accounts Main Aggregates (AMA), current and constant 2015 USD", "un_national_accounts_main_aggregates/", "UNSD: free reuse with citation", "United Nations Statistics Division, National Accounts - Analysis of Main Aggregates (AMA), Dec 2025 (current) / Dec 2024 (constant) releases"),
        ("BACI HS22 V202501, 2023 bilateral totals", "baci_2023_bilateral_totals/baci_hs22_2023_total_bilateral_194.csv", "Etalab Open Licence 2.0 (CEPII)", "Gaulier, G. and Zignago, S. (2010), BACI: International Trade Database at the Product-Level, CEPII WP 2010-23"),
        ("CEPII GeoDist", "cepii_geodist/dist_cepii.csv", "CEPII, free with citation (Etalab 2.0 - verify)", "Mayer, T. and Zignago, S. (2011), Notes on CEPII's distances measures: the GeoDist database, CEPII WP 2011-25"),
        ("OECD Trade in Services by Partner (TISP, EBOPS 2010)", "oecd_services_trade_by_partner/oecd_tisp_services_bilateral_2000_2019.csv", "CC BY 4.0 (OECD, verify)", "OECD, Trade in services by partner economy (EBOPS 2010), 2019"),
        ("Caliendo-Parro (2015) replication data", "caliendo-parro/raw/; caliendo_parro_2015_labeled/derived/", "no explicit licence; research use with citation", "Caliendo, L. and Parro, F. (2015), Estimates of the Trade and Welfare Effects of NAFTA, Review of Economic Studies 82(1): 1-44"),
        ("Brazil input-output matrix 2020 (51 sectors)", "brazil_io_table_2020/brazil_iom_2020_51sectors_long.csv", "IBGE-based third-party estimate, attribution (package {fio}, MIT code)", "Brazil IOM 2020, IBGE/IPEA-based estimate distributed with the R package fio (A. Miranda)"),
        ("World Bank WDI: applied tariff, weighted mean (TM.TAX.MRCH.WM.AR.ZS); population; GDP", "world_bank_wdi_tariffs/; world_bank_wdi/", "CC BY 4.0", "World Bank, World Development Indicators (2025-04 vintage)"),
        ("DESTA v2.02 dyads", "desta_trade_agreements/desta_v0202_dyads_38region_members.csv", "free with citation, no explicit licence (facts derived)", "Dur, A., Baccini, L. and Elsig, M. (2014), The Design of International Trade Agreements, Review of International Organizations 9(3): 353-375"),
        ("UN World Population Prospects 2024", "un_wpp2024_population_projections/wpp2024_population_projections_2024_2100.csv", "CC BY 3.0 IGO", "United Nations, DESA, Population Division (2024), World Population Prospects 2024"),
        ("ILO modelled estimates, employment by broad sector (Nov 2020)", "ilo_employment_by_broad_sector/ilo_modelled_employment_by_broad_sector_2009_2020.csv", "CC BY 4.0 (ILOSTAT)", "ILO, ILOSTAT, ILO modelled estimates, November 2020"),
        ("Trade elasticities", "trade_elasticities/", "CP package (cite); CEPII ProTEE (cite)", "Caliendo and Parro (2015); Fontagne, Guimbard and Orefice (2022), Tariff-based product-level trade elasticities, JIE 137"),
        ("Reference table of CELAC memberships (hand-compiled)", "reference_celac/celac_countries.csv", "facts", "Integra research notes"),
        ("World Bank WDI indicators: merchandise exports and imports (TX/TM.VAL.MRCH.CD.WT), fuel and ores-and-metals shares of merchandise exports (TX.VAL.FUEL/MMTL.ZS.UN), exports and imports of goods and services (% of GDP), GDP (current US$), personal remittances received (BX.TRF.PWKR.CD.DT)", "world_bank_wdi_indicators/", "CC BY 4.0", "World Bank, World Development Indicators, via datasets/world-development-indicators (2026-07 update); used by A17-A21 and A23 (remittances of USA, CAN, CHN, EU27, ROW)"),
        ("US imports and calculated duties by partner and HS2 chapter, 2024 (US Census, via the Trade War Tracker)", "us_import_duties_by_partner_hs2_2024/", "US Census data public domain; repository MIT", "US Census Bureau, imports and calculated duties 2024; tradewartracker/trade-war-redux-2025 (M. Waugh), data-hs2 and country-by-time.csv"),
        ("US-China trade-war average tariffs (no data file; constants in tariff_schedule.py)", "none: facts listed in shared/docs/data.md", "facts, cite", "Bown, C. P. (2023), US-China Trade War Tariffs: An Up-to-Date Chart, PIIE (US on China 19.3 %, China on US 21.1 %)"),
        ("UN DESA International Migrant Stock 2024 (origin x destination, both sexes) and WDI remittances received / GDP for the CELAC states, as cleaned by IOM (gdidata)", "undesa_migrant_stocks/DERIVED_bilateral_stocks_2020_2024_celac_origin_or_destination.csv; undesa_migrant_stocks/DERIVED_remittances_pct_gdp_celac_2015_2023.csv", "UN DESA: free with citation; WDI CC BY 4.0; gdidata repository MIT", "United Nations, DESA, Population Division (2024), International Migrant Stock 2024; World Bank WDI; IOM gdidata R package (K. S. Reyes), commit c9e4cc6; used by A23"),
    ]
    lines = [
        'name = "celac38"',
        'title = "CELAC 33 + USA, Canada, China, EU27, rest of world; 4 sectors; base year 2023"',
        f"base_year = {BASE_YEAR}",
        'currency = "USD"',
        'unit = "million USD"',
        'population_unit = "thousand persons"',
        'employment_unit = "thousand persons"',
        'format_version = 1',
        'builder = "/usr/bin/python3 tools/dataset_builder/build_celac38.py --shared-data ../shared/data --out data/celac38"',
        'documentation = "DATA.md"',
        "",
        "[files]",
    ]
    for k, v in files.items():
        lines.append(f'{k} = "{v}"')
    for name, f, lic, cit in sources:
        lines += ["", "[[sources]]", f'name = "{name}"', f'file = "{f}"', f'licence = "{lic}"', f'citation = "{cit}"']
    with open(os.path.join(out, "manifest.toml"), "w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(lines) + "\n")


# Membership of the groups used by scenarios (checked against DESTA; see DATA.md section "Groups").
GROUPS = {
    "CELAC": CELAC,
    "ALBA_TCP": ["ATG", "BOL", "CUB", "DMA", "GRD", "KNA", "LCA", "NIC", "VCT", "VEN"],
    "SUCRE": ["BOL", "CUB", "ECU", "NIC", "VEN"],
    "MERCOSUR": ["ARG", "BOL", "BRA", "PRY", "URY"],
    "ANDEAN_COMMUNITY": ["BOL", "COL", "ECU", "PER"],
    "PACIFIC_ALLIANCE": ["CHL", "COL", "MEX", "PER"],
    "SICA": ["BLZ", "CRI", "DOM", "GTM", "HND", "NIC", "PAN", "SLV"],
    "CARICOM": ["ATG", "BHS", "BLZ", "BRB", "DMA", "GRD", "GUY", "HTI", "JAM", "KNA", "LCA", "SUR", "TTO", "VCT"],
    "ECCU": ["ATG", "DMA", "GRD", "KNA", "LCA", "VCT"],
    "USMCA": ["CAN", "MEX", "USA"],
    "EU": ["EU27"],
}


def write_groups(path: str) -> None:
    write_csv(path, ["group", "member"], sorted([[g, m] for g, ms in GROUPS.items() for m in ms]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared-data", required=True, help="path to ../shared/data")
    ap.add_argument("--out", required=True, help="output folder, e.g. data/celac38")
    a = ap.parse_args(argv)
    issues = build(a.shared_data, a.out)
    if issues:
        print("VALIDATION FAILED:", *issues, sep="\n  ")
        return 1
    print(f"built and validated {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
