"""Tests of the embedded celac38 dataset: base-year identities, sanity figures, reproducibility.

Run from the repository root:  /usr/bin/python3 -m pytest -q tests/python/test_celac38_dataset.py
Raw inputs are located via $INTEGRA_SHARED_DATA, else <repo>/../shared/data; tests that need them
are skipped with a reason when they are absent.
"""
from __future__ import annotations

import csv
import filecmp
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from celac38_testing import BUILDER_DIR, CELAC, DATASET, REPO, needs_shared, shared_data

from dataset_format import Dataset, validate  # noqa: E402  (the builder's folder is on sys.path)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return Dataset(str(DATASET))


# ------------------------------------------------------------------ identities
def test_validate_reports_no_issues():
    assert validate(str(DATASET)) == []


def test_regions_and_sectors(ds):
    assert ds.N == 38 and ds.K == 4
    assert ds.regions[:33] == CELAC
    assert ds.regions[33:] == ["USA", "CAN", "CHN", "EU27", "ROW"]
    assert np.all(ds.theta > 0)
    assert ds.theta[ds.si["services"]] == pytest.approx(8.22)


def test_world_exports_equal_world_imports_per_sector(ds):
    off = ds.trade.copy()
    for n in range(ds.N):
        off[n, n] = 0.0
    exports = off.sum(axis=(0, 1))          # sum over exporters and importers, by sector
    imports = np.einsum("ijk->k", np.transpose(off, (1, 0, 2)))
    np.testing.assert_allclose(exports, imports, rtol=1e-12)
    # per-region export/import totals are consistent with the deficits
    np.testing.assert_allclose(off.sum((0, 2)) - off.sum((1, 2)), ds.deficit,
                               rtol=1e-6, atol=1e-6 * off.sum())


def test_gross_output_equals_sales(ds):
    np.testing.assert_allclose(ds.trade.sum(axis=1), ds.go, rtol=1e-7)


def test_value_added_share_and_io_columns(ds):
    gamma = ds.va / ds.go
    assert np.all((gamma > 0) & (gamma <= 1))
    np.testing.assert_allclose(ds.io.sum(axis=1) + gamma, 1.0, atol=1e-7)
    assert np.all(ds.io >= 0)


def test_expenditure_equals_intermediate_plus_final_use(ds):
    X = ds.expenditure()
    inter = np.einsum("nkj,nj->nk", ds.io, ds.go)
    I = ds.final_absorption()
    assert np.all(I > 0)
    np.testing.assert_allclose(X, inter + ds.alpha * I[:, None], rtol=1e-6, atol=1e-6 * ds.go.sum(1).max())


def test_base_year_is_a_fixed_point_of_cp_expenditure_system(ds):
    """At tau' = tau and w_hat = 1, CP eq. 13 (X' = (I - H - A)^-1 alpha (VA + D)) must return X."""
    N, K = ds.N, ds.K
    X = ds.expenditure()                                   # [n, k]
    M = ds.imports_world_prices()                          # [n, i, k]
    pi = M * (1 + ds.tariff) / X[:, None, :]               # share of n's k-spending on i
    F = np.einsum("nik->nk", pi / (1 + ds.tariff))
    A = np.zeros((N * K, N * K))
    for n in range(N):
        for j in range(K):
            r = n * K + j
            for i in range(N):
                for k in range(K):
                    # sales of n to i in sector k per unit of i's spending
                    A[r, i * K + k] += ds.io[n, j, k] * pi[i, n, k] / (1 + ds.tariff[i, n, k])
            for k in range(K):
                A[r, n * K + k] += ds.alpha[n, j] * (1 - F[n, k])
    rhs = (ds.alpha * (ds.va.sum(1) + ds.deficit)[:, None]).ravel()
    Xs = np.linalg.solve(np.eye(N * K) - A, rhs).reshape(N, K)
    np.testing.assert_allclose(Xs, X, rtol=1e-5)


def test_trade_balance_and_alpha(ds):
    assert abs(ds.deficit.sum()) < 1e-6 * ds.trade.sum()
    assert np.all(ds.alpha >= 0)
    np.testing.assert_allclose(ds.alpha.sum(1), 1.0, atol=1e-8)


def test_tariffs_are_fractions_zero_for_domestic_services_and_full_ftas(ds):
    assert np.all((ds.tariff >= 0) & (ds.tariff < 1))
    assert np.all(ds.tariff[:, :, ds.si["services"]] == 0)
    for n in range(ds.N):
        assert np.all(ds.tariff[n, n] == 0)
    with open(DATASET / "agreements_in_force_2023.csv", newline="") as fh:
        full = [(r["region_1"], r["region_2"]) for r in csv.DictReader(fh) if r["tariff_preference"] == "full"]
    assert ("MEX", "USA") in full and ("ARG", "BRA") in full and ("CHL", "CHN") in full
    us = ds.ri["USA"]
    for a, b in full:
        i, j = ds.ri[a], ds.ri[b]
        # the USA's rates are duties collected (A8c): small but not zero on FTA partners
        for n, e in ((i, j), (j, i)):
            if n == us:
                assert np.all(ds.tariff[n, e] < 0.03)   # e.g. NIC, GTM manufactures 1.6-1.8 %
            else:
                assert np.all(ds.tariff[n, e] == 0)


def test_population_and_productivity_files():
    with open(DATASET / "population.csv", newline="") as fh:
        pop = list(csv.DictReader(fh))
    years = {int(r["year"]) for r in pop}
    assert min(years) == 2023 and max(years) == 2050
    assert {r["variant"] for r in pop} == {"medium", "low", "high"}
    bra2050 = [float(r["value"]) for r in pop if r["region"] == "BRA" and r["year"] == "2050" and r["variant"] == "medium"]
    assert bra2050[0] == pytest.approx(217300, rel=0.002)   # WPP 2024: Brazil 2050 = 217.3 m
    with open(DATASET / "productivity_growth.csv", newline="") as fh:
        pg = list(csv.DictReader(fh))
    assert all(-0.02 < float(r["value"]) < 0.06 for r in pg)
    assert all(float(r["value"]) == pytest.approx(0.015) for r in pg if r["year"] == "2050")


def test_groups_file():
    with open(DATASET / "groups.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    groups: dict[str, set] = {}
    for r in rows:
        groups.setdefault(r["group"], set()).add(r["member"])
    assert groups["CELAC"] == set(CELAC)
    assert "VEN" not in groups["MERCOSUR"]
    assert groups["USMCA"] == {"USA", "CAN", "MEX"}
    assert groups["EU"] == {"EU27"}
    assert groups["ECCU"] <= groups["CARICOM"]


def test_trade_elasticity_standard_errors(ds):
    """trade_elasticities.csv (A16): one row per sector, estimates exactly those of sectors.csv,
    positive standard errors; validate() checks the same rules."""
    with open(DATASET / "trade_elasticities.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["sector", "estimate", "standard_error", "source"]
    assert sorted(r["sector"] for r in rows) == sorted(ds.sectors)
    with open(DATASET / "sectors.csv", newline="") as fh:
        theta_text = {r["sector"]: r["trade_elasticity"] for r in csv.DictReader(fh)}
    for r in rows:
        assert r["estimate"] == theta_text[r["sector"]]          # the same text, hence the same number
        assert float(r["estimate"]) == ds.theta[ds.si[r["sector"]]]
        se = float(r["standard_error"])
        assert np.isfinite(se) and se > 0
        assert r["source"].strip()
    assert ds.files["trade_elasticities"] == "trade_elasticities.csv"


def test_validate_rejects_a_broken_trade_elasticities_file(tmp_path):
    import shutil
    folder = tmp_path / "celac38"
    shutil.copytree(DATASET, folder)
    f = folder / "trade_elasticities.csv"
    good = f.read_text()
    f.write_text(good.replace("manufacturing,6.0205,", "manufacturing,6.5,").replace("services,8.22,2.", "services,8.22,-2."))
    issues = validate(str(folder))
    assert any("trade_elasticities.csv:3: estimate 6.5 of manufacturing differs" in i for i in issues), issues
    assert any("trade_elasticities.csv:5: standard_error of services must be finite and >= 0" in i for i in issues), issues
    f.write_text(good.replace("mining_utilities,", "agriculture,"))
    issues = validate(str(folder), check_order=False)
    assert any("duplicate sector 'agriculture'" in i for i in issues), issues
    assert any("no row for sector(s) mining_utilities" in i for i in issues), issues


@needs_shared
def test_trade_elasticity_standard_errors_follow_from_caliendo_parro():
    """A16 recomputed from the raw CP table: single sectors take CP's 99 % sample s.e.; services
    take 8.22 x the median coefficient of variation of the 18 sectors whose CP value is the estimate."""
    import pandas as pd
    cp = pd.read_csv(shared_data() / "trade_elasticities" / "caliendo_parro_2015_sectoral_trade_elasticities.csv")
    cp = cp.set_index("cp_sector")
    with open(DATASET / "trade_elasticities.csv", newline="") as fh:
        se = {r["sector"]: float(r["standard_error"]) for r in csv.DictReader(fh)}
    assert se["agriculture"] == pytest.approx(cp.loc["Agriculture", "se_99pct_sample"], rel=1e-8)
    assert se["mining_utilities"] == pytest.approx(cp.loc["Mining", "se_99pct_sample"], rel=1e-8)
    est = (cp.theta_used_in_cp_counterfactuals_T_txt - cp.theta_99pct_sample.round(2)).abs() < 1e-9
    assert int(est.sum()) == 18 and not est["Auto"] and not est["Other Transport"]
    cv = float(np.median(cp.se_99pct_sample[est] / cp.theta_99pct_sample[est]))
    assert se["services"] == pytest.approx(8.22 * cv, rel=1e-8)
    # manufacturing: CP sectors 3-20 without Petroleum, weighted by 2005 world trade (A12);
    # Auto and Other Transport (CP value 8.22, not their estimate) take the services rule
    d05 = pd.read_csv(shared_data() / "caliendo_parro_2015_labeled" / "derived" / "bilateral_trade_tariffs_long.csv")
    w = d05[d05.importer != d05.exporter].groupby("sector").imports_2005_thousand_usd.sum()
    mf = [s for s in cp.index[2:] if s != "Petroleum"]
    w = w[mf] / w[mf].sum()
    se_k = cp.se_99pct_sample[mf].where(est[mf], cp.theta_used_in_cp_counterfactuals_T_txt[mf] * cv)
    assert se["manufacturing"] == pytest.approx(float(np.sqrt((w ** 2 * se_k ** 2).sum())), rel=1e-8)
    assert float((w * cp.theta_used_in_cp_counterfactuals_T_txt[mf]).sum()) == pytest.approx(6.0205, abs=5e-5)


# ------------------------------------------------------------------ sanity figures vs raw data
@needs_shared
def test_celac_population_2024_about_658_million():
    import pandas as pd
    pop = pd.read_csv(shared_data() / "world_bank_wdi" / "population.csv")
    p = pop[(pop.Year == 2024) & pop["Country Code"].isin(CELAC)].Value.sum() / 1e6
    assert p == pytest.approx(658, abs=3)


@needs_shared
def test_brazil_mexico_share_of_celac_gdp_un_ama_2023(ds):
    import pandas as pd
    ama = pd.read_csv(shared_data() / "un_national_accounts_main_aggregates" / "un_ama_gdp_va_current_usd_1990_2024.csv")
    g = ama[ama.indicator_code == "GDP"].set_index("iso3")["2023"]
    share = (g["BRA"] + g["MEX"]) / g[CELAC].sum()
    assert share == pytest.approx(0.584, abs=0.005)
    # the dataset's value added gives the same picture
    va = ds.va.sum(1)
    cel = [ds.ri[c] for c in CELAC]
    assert (va[ds.ri["BRA"]] + va[ds.ri["MEX"]]) / va[cel].sum() == pytest.approx(0.584, abs=0.02)


def _baci_region_goods():
    import pandas as pd
    b = pd.read_csv(shared_data() / "baci_2023_bilateral_totals" / "baci_hs22_2023_total_bilateral_194.csv")
    b["v"] = b.value_thousand_usd / 1e6   # bn USD
    return b


@needs_shared
def test_china_celac_goods_trade_2023_about_458_bn(ds):
    b = _baci_region_goods()
    raw = b[(b.exporter_iso3 == "CHN") & b.importer_iso3.isin(CELAC)].v.sum() + \
        b[(b.importer_iso3 == "CHN") & b.exporter_iso3.isin(CELAC)].v.sum()
    assert raw == pytest.approx(458, abs=3)
    goods = [ds.si[s] for s in ("agriculture", "mining_utilities", "manufacturing")]
    cel = [ds.ri[c] for c in CELAC]
    c = ds.ri["CHN"]
    t = ds.trade[:, :, goods].sum(2) / 1e3
    in_dataset = t[c, cel].sum() + t[cel, c].sum()
    # + Cuba's trade (A3), CELAC imports brought to WDI (A17: Mexico and Argentina lifted, Panama and the
    # Bahamas capped) and Venezuela's unrecorded crude to China (A18): about +4.7 %
    assert raw <= in_dataset <= raw * 1.06


@needs_shared
def test_intra_celac_share_of_celac_goods_exports_about_14_5pct(ds):
    b = _baci_region_goods()
    ex = b[b.exporter_iso3.isin(CELAC)]
    share = ex[ex.importer_iso3.isin(CELAC)].v.sum() / ex.v.sum()
    assert share == pytest.approx(0.145, abs=0.003)
    goods = [ds.si[s] for s in ("agriculture", "mining_utilities", "manufacturing")]
    cel = [ds.ri[c] for c in CELAC]
    t = ds.trade[:, :, goods].sum(2)
    for n in range(ds.N):
        t[n, n] = 0
    assert t[np.ix_(cel, cel)].sum() / t[cel].sum() == pytest.approx(share, abs=0.005)


@needs_shared
def test_baci_pair_totals_preserved(ds):
    """Goods flows in the dataset add up to BACI pair totals (Cuba excepted, A3), times the importer's
    (exporter's) scaling to WDI merchandise trade recorded in adjustments.csv (A17)."""
    b = _baci_region_goods()
    goods = [ds.si[s] for s in ("agriculture", "mining_utilities", "manufacturing")]
    t = ds.trade[:, :, goods].sum(2) / 1e3
    imp_f, exp_f = {}, {}
    with open(DATASET / "adjustments.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["assumption"] == "A17":
                f = float(r["after"]) / float(r["before"])
                (imp_f if r["quantity"].startswith("imports") else exp_f)[r["region"]] = f
    assert imp_f["MEX"] > 1.05 and imp_f["BHS"] < 0.55   # lifted to 95 % of WDI; capped at WDI
    for e, i in (("MEX", "USA"), ("USA", "MEX"), ("BRA", "ARG"), ("CHN", "USA"), ("EU27", "BHS")):
        raw = b[(b.exporter_iso3 == e) & (b.importer_iso3 == i)].v.sum() if e != "EU27" else \
            b[b.exporter_iso3.isin(_eu27()) & (b.importer_iso3 == i)].v.sum()
        expected = raw * imp_f.get(i, 1.0) * exp_f.get(e, 1.0)
        assert t[ds.ri[e], ds.ri[i]] == pytest.approx(expected, rel=1e-6)
    assert imp_f.get("USA") is None and exp_f.get("MEX") is None   # MEX->USA and CHN->USA are BACI's exactly


def _eu27():
    import agreements
    return agreements.EU27


# ------------------------------------------------------------------ reproducibility
@needs_shared
def test_rebuild_is_byte_identical(tmp_path):
    out = tmp_path / "celac38"
    r = subprocess.run([sys.executable, str(BUILDER_DIR / "build_celac38.py"), "--shared-data", str(shared_data()),
                        "--out", str(out)], capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 0, r.stdout + r.stderr
    built = sorted(p.name for p in out.iterdir())
    assert built, "builder wrote nothing"
    committed = {p.name for p in DATASET.iterdir()}
    missing = [f for f in built if f not in committed]
    assert not missing, f"files produced by the builder but not committed: {missing}"
    different = [f for f in built if not filecmp.cmp(out / f, DATASET / f, shallow=False)]
    assert not different, f"rebuilt files differ from the committed ones: {different}"


# ------------------------------------------------------------------ tariff schedule (A8)
def _goods_mean(ds, tariff, n, i):
    """Import-weighted goods tariff of importer n on exporter i over the base-year flows."""
    w = ds.trade[ds.ri[i], ds.ri[n], :3]
    return float((w * tariff[ds.ri[n], ds.ri[i], :3]).sum() / w.sum())


def test_non_preferential_tariffs_file(ds):
    assert ds.files["non_preferential_tariffs"] == "non_preferential_tariffs.csv"
    t, a = ds.tariff_np, ds.tariff
    assert t is not None
    with open(DATASET / "non_preferential_tariffs.csv", newline="") as fh:
        assert fh.readline().strip() == "importer,exporter,sector,rate"
    assert np.all((t >= 0) & (t < 1))
    assert np.all(t >= a - 1e-9), "non-preferential rate below the applied rate"
    assert np.all(t[:, :, ds.si["services"]] == 0)
    for n in range(ds.N):
        assert np.all(t[n, n] == 0)
    # pairs without an agreement: identical to tariffs.csv; with a full one: positive where applied is 0
    with open(DATASET / "agreements_in_force_2023.csv", newline="") as fh:
        agr = {frozenset((r["region_1"], r["region_2"])) for r in csv.DictReader(fh)}
    goods = [ds.si[s] for s in ("agriculture", "mining_utilities", "manufacturing")]
    for n in range(ds.N):
        for i in range(ds.N):
            if i == n:
                continue
            if frozenset((ds.regions[n], ds.regions[i])) not in agr:
                np.testing.assert_allclose(t[n, i], a[n, i], rtol=1e-12, atol=0)
            else:
                assert np.all(t[n, i, goods] > 0)
    # the USA charges Mexico more without USMCA, and the validator catches a rate below the applied one
    assert _goods_mean(ds, t, "USA", "MEX") > 2 * _goods_mean(ds, a, "USA", "MEX")
    assert t[ds.ri["BRA"], ds.ri["ARG"], ds.si["manufacturing"]] > 0.05


def test_validate_rejects_non_preferential_below_applied(tmp_path):
    import shutil
    out = tmp_path / "celac38"
    shutil.copytree(DATASET, out)
    p = out / "non_preferential_tariffs.csv"
    lines = p.read_text().splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("USA,CHN,manufacturing,"))
    lines[i] = "USA,CHN,manufacturing,0.01"
    p.write_text("\n".join(lines) + "\n")
    issues = validate(str(out))
    assert any("below the applied rate" in s for s in issues), issues


def test_us_china_trade_war_tariffs(ds):
    # US on China: duties collected on 2024 imports (10.87 % over all HS chapters; PIIE's 19.3 % is the
    # pre-war-trade-weighted statutory average).  China on the US: PIIE 21.1 % x 10.87/19.3 = 11.9 %.
    us_on_chn = _goods_mean(ds, ds.tariff, "USA", "CHN")
    chn_on_us = _goods_mean(ds, ds.tariff, "CHN", "USA")
    assert 0.09 < us_on_chn < 0.13
    assert chn_on_us == pytest.approx(0.211 * 0.10866 / 0.193, rel=2e-3)
    assert us_on_chn < 0.193 and chn_on_us < 0.211
    # both far above the same importers' rates on other partners
    assert us_on_chn > 5 * _goods_mean(ds, ds.tariff, "USA", "EU27")
    assert chn_on_us > 3 * _goods_mean(ds, ds.tariff, "CHN", "EU27")
    # US rates on FTA partners are collected duties: near zero; on Brazil (no FTA) higher
    assert _goods_mean(ds, ds.tariff, "USA", "MEX") < 0.005
    assert _goods_mean(ds, ds.tariff, "USA", "BRA") > _goods_mean(ds, ds.tariff, "USA", "MEX")


def test_mercosur_cet_profile(ds):
    t = ds.tariff
    ag, mi, mf = (ds.si[s] for s in ("agriculture", "mining_utilities", "manufacturing"))
    for n in ("ARG", "BRA", "PRY", "URY"):
        for i in ("USA", "CHN", "EU27", "ROW"):
            r = t[ds.ri[n], ds.ri[i]]
            assert r[mf] > r[ag] > r[mi] > 0, (n, i, r)
        # one CET: the same relative profile for every member
        r = t[ds.ri[n], ds.ri["USA"]]
        ref = t[ds.ri["BRA"], ds.ri["USA"]]
        np.testing.assert_allclose(r / r[mf], ref / ref[mf], rtol=1e-7)  # 9 significant digits in the CSV
        # members trade with each other duty free
        for m in ("ARG", "BRA", "PRY", "URY"):
            assert np.all(t[ds.ri[n], ds.ri[m]] == 0)
    # the world profile elsewhere still protects agriculture more (e.g. Chile is outside the CET)
    r = t[ds.ri["COL"], ds.ri["CHN"]]
    assert r[ag] > r[mf]


# ------------------------------------------------------------------ investment shares beta (A22)
def test_investment_shares_file(ds):
    """beta: every region/sector once, non-negative, each region summing to 1; services (construction)
    first, manufacturing (machinery, equipment, imported capital goods) next; the same in every region."""
    assert ds.files["investment_shares"] == "investment_shares.csv"
    b = ds.beta
    assert b is not None and b.shape == (ds.N, ds.K)
    with open(DATASET / "investment_shares.csv", newline="") as fh:
        assert fh.readline().strip() == "region,sector,value"
    assert np.all(b >= 0)
    np.testing.assert_allclose(b.sum(1), 1.0, rtol=0, atol=1e-9)
    s = {k: b[ds.ri["BRA"], ds.si[k]] for k in ds.sectors}
    assert s["services"] > s["manufacturing"] > s["mining_utilities"] > 0
    assert s["manufacturing"] > s["agriculture"] > 0
    assert s["services"] == pytest.approx(0.6004, abs=1e-4)
    assert s["manufacturing"] == pytest.approx(0.3461, abs=1e-4)
    assert np.all(b == b[ds.ri["BRA"]]), "A22 applies Brazil's beta to every region"


def test_validate_rejects_a_broken_investment_shares_file(tmp_path):
    import shutil
    folder = tmp_path / "celac38"
    shutil.copytree(DATASET, folder)
    f = folder / "investment_shares.csv"
    good = f.read_text()
    f.write_text(good.replace("ARG,services,0.600428147", "ARG,services,0.5"))
    assert any("investment_shares.csv: shares of ARG sum to 0.899571853, expected 1" in i for i in validate(str(folder)))
    f.write_text(good.replace("ARG,services,0.600428147", "ARG,services,-0.600428147"))
    assert any("investment_shares.csv: negative entries" in i for i in validate(str(folder)))
    f.write_text(good.replace("ARG,services,0.600428147\n", ""))
    assert any("investment_shares.csv: expected 152 unique rows, got 151" in i for i in validate(str(folder)))
    # the file is optional: without it (and its manifest line) the dataset is valid
    f.unlink()
    m = folder / "manifest.toml"
    m.write_text(m.read_text().replace('investment_shares = "investment_shares.csv"\n', ""))
    assert validate(str(folder)) == []
    assert Dataset(str(folder)).beta is None


@needs_shared
def test_investment_shares_follow_from_the_brazil_iom():
    """A22 recomputed from the raw GFCF column: domestic rows by the 51->4 map, imports to
    manufacturing, margins (zero) to services, product taxes dropped; the parts add up to the column total."""
    import pandas as pd
    d = pd.read_csv(shared_data() / "brazil_io_table_2020" / "brazil_iom_2020_51sectors_long.csv")
    g = d[d.col_label == "Gross Fixed Capital Formation"]
    code = g.row_sector_code
    cut = {"agriculture": (1, 2), "mining_utilities": (3, 5), "manufacturing": (6, 34), "services": (36, 51)}
    flows = {k: float(g[(code >= lo) & (code <= hi)].value_million_brl.sum()) for k, (lo, hi) in cut.items()}
    flows["mining_utilities"] += float(g[code == 35].value_million_brl.sum())   # utilities (ISIC E)
    other = g[code.isna()].set_index("row_label").value_million_brl
    flows["manufacturing"] += other["Imports"]
    assert abs(other["Margins"]) < 1e-6
    assert sum(flows.values()) + other["Taxes"] == pytest.approx(other["Intermediate Consumption (CI)"], rel=1e-9)
    total = sum(flows.values())
    ds = Dataset(str(DATASET))
    for k, v in flows.items():
        assert ds.beta[ds.ri["MEX"], ds.si[k]] == pytest.approx(v / total, rel=1e-8), k


# ------------------------------------------------------------------ migrant stocks and remittances (A23)
def test_migrant_stocks_file(ds):
    """UN DESA 2024 stocks by origin (row) and destination (column), thousand persons; no diagonal;
    the rows of PROVENANCE.md; pairs without a CELAC end absent (zero)."""
    assert ds.files["migrant_stocks"] == "migrant_stocks.csv"
    with open(DATASET / "migrant_stocks.csv", newline="") as fh:
        assert fh.readline().strip() == "origin,destination,value"
    m = ds.migrant_stocks
    assert m is not None and m.shape == (ds.N, ds.N)
    assert np.all(m >= 0) and np.all(np.isfinite(m))
    assert np.all(np.diag(m) == 0)
    assert m[ds.ri["MEX"], ds.ri["USA"]] == pytest.approx(11279.561, abs=1e-9)   # USA <- MEX 2024: 11,279,561
    assert m[ds.ri["VEN"], ds.ri["COL"]] == pytest.approx(2904.873, abs=1e-9)    # COL <- VEN 2024: 2,904,873
    assert m[ds.ri["CUB"], ds.ri["USA"]] == pytest.approx(1394.750, abs=1e-9)    # USA <- CUB 2024
    assert m[ds.ri["COL"], ds.ri["VEN"]] == pytest.approx(875.552, abs=1e-9)     # VEN <- COL 2024
    cel = [ds.ri[c] for c in CELAC]
    others = [ds.ri[r] for r in ("USA", "CAN", "CHN", "EU27", "ROW")]
    assert np.all(m[np.ix_(others, others)] == 0), "pairs without a CELAC end are not in the source"
    # headline totals of DATA.md A23 (million persons)
    assert m[cel].sum() / 1e3 == pytest.approx(46.23, abs=0.01)                     # CELAC-born living abroad
    assert m[cel, ds.ri["USA"]].sum() / 1e3 == pytest.approx(24.48, abs=0.01)       # ... in the USA
    assert m[np.ix_(cel, cel)].sum() / 1e3 == pytest.approx(13.56, abs=0.01)        # intra-CELAC
    assert m[np.ix_(others, cel)].sum() / 1e3 == pytest.approx(2.63, abs=0.01)      # born outside CELAC, living in it
    # stocks are a small part of each origin's population (thousands, like population.csv)
    pop = {(r["region"], r["variant"]): float(r["value"]) for r in csv.DictReader(open(DATASET / "population.csv"))
           if r["year"] == "2024"}
    assert ds.manifest["population_unit"] == "thousand persons"
    assert m[ds.ri["MEX"]].sum() / pop[("MEX", "medium")] == pytest.approx(0.085, abs=0.01)
    for c in CELAC:
        assert m[ds.ri[c]].sum() < pop[(c, "medium")], c


def test_remittances_file(ds):
    """Remittances received / GDP, fractions in [0, 1), the latest year 2019-2023; CUB and VEN absent."""
    assert ds.files["remittances"] == "remittances.csv"
    with open(DATASET / "remittances.csv", newline="") as fh:
        assert fh.readline().strip() == "region,year,value"
    s, y = ds.remittances, ds.remittances_year
    have = ~np.isnan(s)
    assert np.all((s[have] >= 0) & (s[have] < 1))
    assert np.all((y[have] >= 2019) & (y[have] <= 2023)) and np.all(y[~have] == 0)
    assert sorted(ds.regions[n] for n in np.where(~have)[0]) == ["CUB", "VEN"]
    for c, v in {"HND": 0.2607, "NIC": 0.2615, "SLV": 0.2409, "GTM": 0.1913, "HTI": 0.1891, "JAM": 0.1854,
                 "MEX": 0.0370, "COL": 0.0278, "BRA": 0.0020, "BHS": 0.0044, "ATG": 0.0172}.items():
        assert s[ds.ri[c]] == pytest.approx(v, abs=5e-5), c   # PROVENANCE.md, 2023
    for r in ("USA", "CAN", "CHN", "EU27", "ROW"):
        assert y[ds.ri[r]] == 2023 and 0 < s[ds.ri[r]] < 0.02, r


def test_validate_rejects_broken_migration_files(tmp_path):
    import shutil
    folder = tmp_path / "celac38"
    shutil.copytree(DATASET, folder)
    f = folder / "migrant_stocks.csv"
    good = f.read_text()
    f.write_text(good.replace("MEX,USA,11279.561", "MEX,MEX,11279.561"))
    assert any("migrant_stocks.csv:575: origin equals destination (MEX)" in i for i in validate(str(folder)))
    f.write_text(good.replace("MEX,USA,11279.561", "MEX,USA,-1"))
    assert any("migrant_stocks.csv:575: value must be finite and >= 0" in i for i in validate(str(folder)))
    f.write_text(good.replace("ARG,BOL,53.146", "ARG,BHS,53.146"))
    assert any("migrant_stocks.csv:3: duplicate cell ARG -> BHS (first at line 2)" in i for i in validate(str(folder)))
    f.write_text(good)
    g = folder / "remittances.csv"
    g.write_text(g.read_text().replace("HND,2023,0.260699813", "HND,2023,26.0699813"))
    assert any("remittances.csv:21: share of GDP must be in [0, 1)" in i for i in validate(str(folder)))
    # both files are optional
    f.unlink()
    g.unlink()
    m = folder / "manifest.toml"
    m.write_text(m.read_text().replace('migrant_stocks = "migrant_stocks.csv"\n', "").replace('remittances = "remittances.csv"\n', ""))
    assert validate(str(folder)) == []
    assert Dataset(str(folder)).migrant_stocks is None and Dataset(str(folder)).remittances is None


@needs_shared
def test_migrant_stocks_follow_from_the_undesa_file():
    """A23 recomputed from the source: the PROVENANCE rows, origin OOO dropped, every row with a CELAC end,
    ISO3 -> region (EU27 members -> EU27, the rest -> ROW), persons / 1000."""
    import pandas as pd
    import agreements
    src = pd.read_csv(shared_data() / "undesa_migrant_stocks" / "DERIVED_bilateral_stocks_2020_2024_celac_origin_or_destination.csv",
                      keep_default_na=False)
    d = src[src.year == 2024]
    row = lambda dst, o: int(d[(d.destination_iso3 == dst) & (d.origin_iso3 == o)].migrants_both_sexes.iloc[0])
    assert row("USA", "MEX") == 11279561
    assert row("COL", "VEN") == 2904873
    assert row("ESP", "VEN") == 602539
    assert (d.origin_iso3.isin(CELAC) | d.destination_iso3.isin(CELAC)).all()
    assert int(d[d.origin_iso3 == "OOO"].migrants_both_sexes.sum()) == 442608
    ds = Dataset(str(DATASET))
    known = d[d.origin_iso3 != "OOO"]
    assert ds.migrant_stocks.sum() * 1000 == pytest.approx(float(known.migrants_both_sexes.sum()), abs=1e-3)
    eu = set(agreements.EU27)
    to_eu = known[known.origin_iso3.isin(["VEN"]) & known.destination_iso3.isin(eu)].migrants_both_sexes.sum()
    assert ds.migrant_stocks[ds.ri["VEN"], ds.ri["EU27"]] * 1000 == pytest.approx(float(to_eu), abs=1e-3)
    named = set(ds.regions) | eu
    to_row = known[(known.origin_iso3 == "MEX") & ~known.destination_iso3.isin(named)].migrants_both_sexes.sum()
    assert ds.migrant_stocks[ds.ri["MEX"], ds.ri["ROW"]] * 1000 == pytest.approx(float(to_row), abs=1e-3)


@needs_shared
def test_remittances_follow_from_the_sources():
    """CELAC: the gdidata extract, whose zeros are missing values (BHS 2019); partners: WDI sums over members."""
    import pandas as pd
    ds = Dataset(str(DATASET))
    r = pd.read_csv(shared_data() / "undesa_migrant_stocks" / "DERIVED_remittances_pct_gdp_celac_2015_2023.csv")
    assert "CUB" not in set(r.geo) and "VEN" not in set(r.geo)
    assert float(r[(r.geo == "BHS") & (r.t == 2019)].remit_pct_gdp.iloc[0]) == 0.0   # stored as 0, a missing value
    hnd = float(r[(r.geo == "HND") & (r.t == 2023)].remit_pct_gdp.iloc[0])
    assert ds.remittances[ds.ri["HND"]] == pytest.approx(hnd / 100, rel=1e-8)
    w = shared_data() / "world_bank_wdi_indicators"
    rem = pd.read_csv(w / "bx.trf.pwkr.cd.dt" / "data.csv")
    gdp = pd.read_csv(w / "ny.gdp.mktp.cd" / "data.csv")
    val = lambda t, c: float(t[(t["Country Code"] == c) & (t.Year == 2023)].Value.iloc[0])
    assert ds.remittances[ds.ri["USA"]] == pytest.approx(val(rem, "USA") / val(gdp, "USA"), rel=1e-8)
    import agreements
    eu_r = sum(val(rem, c) for c in agreements.EU27)
    eu_g = sum(val(gdp, c) for c in agreements.EU27)
    assert ds.remittances[ds.ri["EU27"]] == pytest.approx(eu_r / eu_g, rel=1e-8)


# ------------------------------------------------------------------ business cycles (A24)
def _read_cycles():
    import pandas as pd
    h = pd.read_csv(DATASET / "output_history.csv")
    c = pd.read_csv(DATASET / "business_cycles.csv").set_index("region")
    w = pd.read_csv(DATASET / "shock_correlation.csv").pivot(index="region", columns="partner", values="value")
    return h, c, w


def test_business_cycle_files(ds):
    """Headers, sizes, ranges; sigma and rho follow from output_history.csv on 1995-2023 (HP 6.25, OLS without
    constant, clamp to [0, 0.95]; the history itself keeps 1990-2023); the correlation is symmetric, unit-diagonal, positive definite (DATA.md A24)."""
    import business_cycles as bc
    for key in ("output_history", "business_cycles", "shock_correlation"):
        assert ds.files[key] == f"{key}.csv"
    for f, head in (("output_history.csv", "region,year,gdp,tradable_va"), ("business_cycles.csv", "region,rho,sigma,years,method"),
                    ("shock_correlation.csv", "region,partner,value")):
        with open(DATASET / f, newline="") as fh:
            assert fh.readline().strip() == head
    h, c, w = _read_cycles()
    assert len(h) == ds.N * 34 and set(h.year) == set(range(1990, 2024))
    assert (h.tradable_va > 0).all() and (h.tradable_va < h.gdp).all()
    assert sorted(c.index) == sorted(ds.regions)
    assert ((c.rho >= 0) & (c.rho <= 0.95)).all() and (c.sigma > 0).all()
    # the common post-stabilisation estimation sample (A24): 1995-2023, 29 years, 28 residuals
    assert bc.ESTIMATION_FIRST_YEAR == 1995 and (c.years == 29).all()
    assert c.method.str.contains("1995-2023").all()
    residuals = {}
    for r in ds.regions:
        y = np.log(h[(h.region == r) & (h.year >= 1995)].sort_values("year").tradable_va.to_numpy())
        _, z = bc.hp_filter(y, 6.25)
        rho_ols = float(z[:-1] @ z[1:] / (z[:-1] @ z[:-1]))
        rho = min(max(rho_ols, 0.0), 0.95)
        e = z[1:] - rho * z[:-1]
        assert c.loc[r, "rho"] == pytest.approx(rho, abs=1e-8), r
        assert c.loc[r, "sigma"] == pytest.approx(np.sqrt(e @ e / (len(e) - 1)), rel=1e-7), r
        assert ("clamped" in c.loc[r, "method"]) == (rho != rho_ols), r
        residuals[r] = e
    # the filter: the trend solves (I + lambda D'D) tau = y, so D'D tau = (y - tau) / lambda
    y = np.log(h[h.region == "ARG"].sort_values("year").tradable_va.to_numpy())
    tau, z = bc.hp_filter(y, 6.25)
    D = np.diff(np.eye(len(y)), 2, axis=0)
    assert np.allclose(6.25 * D.T @ D @ tau, z, atol=1e-12)
    assert c.loc["ARG", "sigma"] == pytest.approx(0.0380, abs=1e-4)
    assert c.loc["BRA", "sigma"] == pytest.approx(0.0209, abs=1e-4)   # 0.0468 on 1990-2023 (the Real Plan break)
    assert c.loc["BRA", "rho"] == 0 and "clamped" in c.loc["BRA", "method"]
    assert c.loc["MEX", "sigma"] == pytest.approx(0.0215, abs=1e-4)
    assert c.loc["VEN", "sigma"] == pytest.approx(0.0440, abs=1e-4)
    W = w.loc[ds.regions, ds.regions].to_numpy()
    assert W.shape == (ds.N, ds.N) and np.array_equal(W, W.T) and np.all(np.diag(W) == 1)
    assert np.linalg.eigvalsh(W).min() == pytest.approx(0.4579, abs=1e-4)
    # recomputed: sample correlation of the residuals, Ledoit-Wolf weight, constant-correlation target
    X = np.array([residuals[r] for r in ds.regions]).T
    assert X.shape == (28, ds.N)   # residual years 1996-2023
    delta, S, rbar = bc.ledoit_wolf_constant_correlation(X)
    assert np.allclose(S, np.corrcoef(X.T), atol=1e-12)
    assert delta == pytest.approx(0.589, abs=1e-3) and rbar == pytest.approx(0.223, abs=1e-3)
    F = np.full_like(S, rbar)
    np.fill_diagonal(F, 1.0)
    assert np.allclose(W, delta * F + (1 - delta) * S, atol=1e-8)
    ri = ds.ri
    mercosur = [ri[x] for x in ("ARG", "BRA", "PRY", "URY")]
    assert np.mean([W[i, j] for i in mercosur for j in mercosur if i < j]) == pytest.approx(0.231, abs=1e-3)
    assert np.mean([W[ri[x], ri["USA"]] for x in CELAC]) == pytest.approx(0.264, abs=1e-3)


def test_validate_checks_business_cycle_order(tmp_path):
    import shutil
    folder = tmp_path / "celac38"
    shutil.copytree(DATASET, folder)
    f = folder / "business_cycles.csv"
    lines = f.read_text().splitlines(keepends=True)
    f.write_text(lines[0] + lines[2] + lines[1] + "".join(lines[3:]))
    assert any("business_cycles.csv: rows not sorted" in i for i in validate(str(folder)))


@needs_shared
def test_output_history_follows_from_the_un_ama():
    """ARG directly; EU27 as the sum of its 27 members (all complete); tradable = VA_AB + VA_CE."""
    import pandas as pd
    import agreements
    a = pd.read_csv(shared_data() / "un_national_accounts_main_aggregates" / "un_ama_gdp_va_constant2015_usd_1990_2023.csv",
                    dtype={"iso3": str})
    h, _, _ = _read_cycles()
    row = lambda r, y: h[(h.region == r) & (h.year == y)].iloc[0]
    val = lambda isos, code, y: float(a[a.iso3.isin(isos) & (a.indicator_code == code)][str(y)].sum())
    assert row("ARG", 2020).gdp == pytest.approx(val(["ARG"], "GDP", 2020), rel=1e-8)
    assert row("ARG", 2020).tradable_va == pytest.approx(val(["ARG"], "VA_AB", 2020) + val(["ARG"], "VA_CE", 2020), rel=1e-8)
    eu = list(agreements.EU27)
    assert row("EU27", 1990).gdp == pytest.approx(val(eu, "GDP", 1990), rel=1e-8)
    assert row("EU27", 2023).tradable_va == pytest.approx(val(eu, "VA_AB", 2023) + val(eu, "VA_CE", 2023), rel=1e-8)
