"""Pairwise trade agreements in force in a base year among the Integra regions.

Source: DESTA v2.02 dyads (Dür, Baccini & Elsig 2014), restricted to the Integra country set,
classified by hand (the DESTA dyad file carries no depth and no withdrawals).  Every treaty that
matters for tariffs is listed in ``CLASSIFICATION`` with its type and whether it implies (nearly)
complete tariff elimination ("full") or only partial preferences ("partial").  Pair-level
overrides encode withdrawals, suspensions and non-application that DESTA does not record.

This module holds facts and our judgement about them; no third-party code or text is copied.
"""
from __future__ import annotations

import csv
import os

EU27 = ("AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT "
        "ROU SVK SVN ESP SWE").split()

# base_treaty -> (short name, type, preference).  type: CU (customs union), FTA, EPA (reciprocal
# economic partnership agreement, FTA-like), PSA (partial scope agreement).  preference: full | partial.
CLASSIFICATION = {
    604: ("MERCOSUR", "CU", "full"),
    23: ("Andean Community", "CU", "full"),
    26: ("Andean Community", "CU", "full"),
    27: ("Andean Community", "CU", "full"),
    171: ("CARICOM", "CU", "full"),
    177: ("CARICOM (revised treaty, CSME)", "CU", "full"),
    638: ("OECS", "CU", "full"),
    788: ("East Caribbean Common Market", "CU", "full"),
    186: ("Central American Common Market (SIECA)", "CU", "full"),
    25: ("MERCOSUR-Andean (ACE 59)", "FTA", "full"),
    996: ("Colombia-MERCOSUR (ACE 72)", "FTA", "full"),
    606: ("MERCOSUR-Peru (ACE 58)", "FTA", "full"),
    122: ("MERCOSUR-Bolivia (ACE 36)", "FTA", "full"),
    123: ("MERCOSUR-Bolivia (ACE 36)", "FTA", "full"),
    209: ("MERCOSUR-Chile (ACE 35)", "FTA", "full"),
    636: ("NAFTA", "FTA", "full"),
    1007: ("USMCA", "FTA", "full"),
    169: ("Canada-US FTA", "FTA", "full"),
    187: ("CAFTA-DR", "FTA", "full"),
    188: ("CAFTA-DR", "FTA", "full"),
    184: ("Central America-Dominican Republic FTA", "FTA", "full"),
    185: ("Central America-Panama FTA", "FTA", "full"),
    183: ("Central America-Chile FTA", "FTA", "full"),
    949: ("Central America-Mexico FTA", "FTA", "full"),
    612: ("Mexico-Northern Triangle FTA", "FTA", "full"),
    239: ("Colombia-Northern Triangle FTA", "FTA", "full"),
    836: ("Pacific Alliance", "FTA", "full"),
    989: ("CPTPP", "FTA", "full"),
    161: ("Canada-Chile FTA", "FTA", "full"),
    162: ("Canada-Colombia FTA", "FTA", "full"),
    163: ("Canada-Costa Rica FTA", "FTA", "full"),
    168: ("Canada-Peru FTA", "FTA", "full"),
    797: ("Canada-Honduras FTA", "FTA", "full"),
    798: ("Canada-Panama FTA", "FTA", "full"),
    848: ("EU-Canada CETA", "FTA", "full"),
    199: ("China-Chile FTA", "FTA", "full"),
    227: ("China-Peru FTA", "FTA", "full"),
    804: ("China-Costa Rica FTA", "FTA", "full"),
    201: ("Chile-Colombia FTA", "FTA", "full"),
    204: ("Chile-Ecuador (ACE 65)", "FTA", "full"),
    212: ("Chile-Mexico FTA", "FTA", "full"),
    213: ("Chile-Panama FTA", "FTA", "full"),
    716: ("Chile-Peru FTA", "FTA", "full"),
    218: ("Chile-US FTA", "FTA", "full"),
    974: ("Chile-Uruguay FTA", "FTA", "full"),
    993: ("Argentina-Chile FTA", "FTA", "full"),
    1073: ("Brazil-Chile FTA", "FTA", "full"),
    241: ("Colombia-US TPA", "FTA", "full"),
    805: ("Colombia-Costa Rica FTA", "FTA", "full"),
    464: ("G3 Colombia-Mexico FTA", "FTA", "full"),
    908: ("G3 Colombia-Mexico FTA", "FTA", "full"),
    248: ("Costa Rica-Mexico FTA", "FTA", "full"),
    813: ("Costa Rica-Peru FTA", "FTA", "full"),
    643: ("Panama-US TPA", "FTA", "full"),
    645: ("Peru-US TPA", "FTA", "full"),
    837: ("Panama-Peru FTA", "FTA", "full"),
    891: ("Mexico-Panama FTA", "FTA", "full"),
    1014: ("Mexico-Peru FTA", "FTA", "full"),
    616: ("Mexico-Uruguay FTA", "FTA", "full"),
    611: ("Mexico-Nicaragua FTA", "FTA", "full"),
    919: ("Honduras-Peru FTA", "FTA", "full"),
    330: ("EU-Mexico Global Agreement", "FTA", "full"),
    202: ("EU-Chile Association Agreement", "FTA", "full"),
    181: ("CARIFORUM-EU EPA", "EPA", "full"),
    799: ("EU-Central America Association Agreement", "FTA", "full"),
    810: ("EU-Colombia/Peru/Ecuador Trade Agreement", "FTA", "full"),
    175: ("CARICOM-Dominican Republic FTA", "FTA", "full"),
    173: ("CARICOM-Costa Rica FTA", "FTA", "full"),
    124: ("Bolivia-Mexico FTA (terminated 2010, replaced by ACE 66)", "PSA", "partial"),
    562: ("ALADI (regional tariff preference and partial-scope agreements)", "PSA", "partial"),
    172: ("CARICOM-Colombia (one-way preferences)", "PSA", "partial"),
    174: ("CARICOM-Cuba", "PSA", "partial"),
    178: ("CARICOM-Venezuela (one-way preferences)", "PSA", "partial"),
}

# Treaties that are in force in DESTA but grant no tariff preference relevant here (frameworks,
# non-reciprocal or superseded arrangements).  Listed explicitly so nothing is silently dropped.
IGNORED = {
    63: "Association of Caribbean States: cooperation framework, no tariff preferences",
    461: "GSTP: negligible preferences among developing countries",
    647: "GATT Protocol on Trade Negotiations: negligible preferences",
    561: "LAFTA: superseded by ALADI (1980)",
    180: "CARIFTA: superseded by CARICOM",
    179: "CARIFTA: superseded by CARICOM",
    190: "SICA: political framework; trade liberalisation is under the CACM (186)",
    189: "1958 Central American FTA: superseded by the CACM",
    680: "1960 Treaty of Economic Association: superseded by the CACM",
    584: "Lome I: non-reciprocal EU preferences, superseded",
    585: "Lome II: superseded", 586: "Lome III: superseded", 587: "Lome IV: superseded",
    253: "Cotonou: non-reciprocal EU preferences, replaced by the CARIFORUM-EU EPA",
    899: "TPP: never in force",
    170: "Canada-US Auto Pact: superseded by CUSFTA/NAFTA/USMCA",
    783: "Canada-Portugal 1954 MFN trade agreement: superseded by CETA",
    784: "Canada-Spain 1954 MFN trade agreement: superseded by CETA",
    416: "El Salvador-Honduras-Taiwan FTA: the CELAC pair is covered by the CACM",
}
# Any other treaty in force among the regions (bilateral ALADI-era economic complementation and
# partial-scope agreements, 1980s-2010s) is classified as a partial-scope agreement (PSA, partial).
DEFAULT_CLASS = ("bilateral partial-scope agreement (ALADI-era, default)", "PSA", "partial")

# Pair-level overrides (sorted pair) -> (preference, note).  Applied after classification.
VEN_NOTE = "Venezuela: left the Andean Community (2006, effective 2011) and suspended from MERCOSUR (2016/2017); residual preferences treated as partial"
OVERRIDES_BY_MEMBER = {
    # (treaty, member) -> preference/note: members for whom a treaty is not applied in 2023
    (23, "VEN"): ("drop", VEN_NOTE), (26, "VEN"): ("drop", VEN_NOTE), (27, "VEN"): ("drop", VEN_NOTE),
    (26, "CHL"): ("drop", "Chile left the Andean Pact in 1976"),
    (604, "VEN"): ("partial", VEN_NOTE), (25, "VEN"): ("partial", VEN_NOTE),
    (123, "VEN"): ("drop", VEN_NOTE), (209, "VEN"): ("drop", VEN_NOTE), (606, "VEN"): ("drop", VEN_NOTE),
    (464, "VEN"): ("drop", "Venezuela withdrew from the G3 in 2006"),
    (908, "VEN"): ("drop", "Venezuela withdrew from the G3 in 2006"),
    (604, "BOL"): ("drop", "Bolivia: MERCOSUR accession protocol ratified only in 2024; in 2023 BOL-MERCOSUR trade is free under ACE 36"),
    (171, "BHS"): ("partial", "Bahamas: CARICOM member but not in the Common Market/CSME (no free trade, no CET)"),
    (177, "BHS"): ("partial", "Bahamas: CARICOM member but not in the Common Market/CSME (no free trade, no CET)"),
    (175, "BHS"): ("drop", "Bahamas not party to the CARICOM-DR FTA in practice"),
    (173, "BHS"): ("drop", "Bahamas not party to the CARICOM-Costa Rica FTA in practice"),
    (177, "HTI"): ("partial", "Haiti: CSME free-trade obligations not implemented"),
    (181, "HTI"): ("partial", "Haiti signed the CARIFORUM-EU EPA (2009) but does not apply it (EU grants EBA duty-free access)"),
}
# CARICOM-DR and CARICOM-Costa Rica FTAs: free trade applies to the more developed CARICOM members;
# less developed members (OECS, Belize, Haiti) are exempt or phase in -> partial.
CARICOM_MDC = {"BRB", "GUY", "JAM", "SUR", "TTO"}
for _m in ["ATG", "BLZ", "DMA", "GRD", "KNA", "LCA", "VCT", "HTI"]:
    OVERRIDES_BY_MEMBER.setdefault((175, _m), ("partial", "CARICOM LDC: exempt from the CARICOM-DR FTA schedule"))
    OVERRIDES_BY_MEMBER.setdefault((173, _m), ("partial", "CARICOM LDC: CARICOM-Costa Rica FTA not applied/partial"))

RANK = {"full": 2, "partial": 1}


def to_region(iso3: str, regions: set[str]) -> str | None:
    if iso3 in EU27:
        return "EU27"
    return iso3 if iso3 in regions else None


def build_agreements(desta_csv: str, regions: list[str], year: int = 2023) -> list[dict]:
    """Return one row per unordered region pair with the strongest agreement in force in ``year``."""
    rset = set(regions)
    best: dict[tuple[str, str], dict] = {}
    with open(desta_csv, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            bt = int(row["base_treaty"])
            eif = row["entry_into_force_year"]
            if not eif or float(eif) > year:
                continue
            if bt in IGNORED:
                continue
            a, b = to_region(row["iso3_1"], rset), to_region(row["iso3_2"], rset)
            if a is None or b is None or a == b:
                continue
            name, typ, pref = CLASSIFICATION.get(bt, DEFAULT_CLASS)
            if bt not in CLASSIFICATION:
                name = f"{row['name']} ({name})"
            note = ""
            for m in (row["iso3_1"], row["iso3_2"]):
                ov = OVERRIDES_BY_MEMBER.get((bt, m))
                if ov:
                    if ov[0] == "drop":
                        pref = None
                    elif pref is not None and RANK[ov[0]] < RANK[pref]:
                        pref = ov[0]
                    note = ov[1]
            if pref is None:
                continue
            key = tuple(sorted((a, b)))
            cand = {
                "region_1": key[0], "region_2": key[1], "agreement": name, "type": typ,
                "tariff_preference": pref, "entry_into_force_year": int(float(eif)),
                "desta_base_treaty": bt, "desta_name": row["name"], "source": "DESTA v2.02 dyads + hand classification",
                "note": note,
            }
            old = best.get(key)
            # keep the strongest preference; among equals the most recent entry into force (the current
            # legal basis, e.g. USMCA over NAFTA), then the highest treaty id
            if (old is None or RANK[pref] > RANK[old["tariff_preference"]]
                    or (RANK[pref] == RANK[old["tariff_preference"]]
                        and (cand["entry_into_force_year"], bt) > (old["entry_into_force_year"], old["desta_base_treaty"]))):
                best[key] = cand
    return [best[k] for k in sorted(best)]


def unclassified_in_force(desta_csv: str, regions: list[str], year: int = 2023) -> list[tuple[int, str]]:
    """Treaties in force among the regions that are neither classified nor ignored (for the audit)."""
    rset = set(regions)
    out = set()
    with open(desta_csv, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            bt = int(row["base_treaty"])
            eif = row["entry_into_force_year"]
            if not eif or float(eif) > year or bt in CLASSIFICATION or bt in IGNORED:
                continue
            a, b = to_region(row["iso3_1"], rset), to_region(row["iso3_2"], rset)
            if a is None or b is None or a == b:
                continue
            out.add((bt, row["name"]))
    return sorted(out)
