"""The celac38 validation table (issue 11, assumption A21 of data/celac38/DATA.md).

validation.csv compares the dataset, for every CELAC state, with independent sources (WDI, UN AMA);
the builder fails when a gap passes its documented tolerance.

Run from the repository root:  /usr/bin/python3 -m pytest -q tests/python/test_dataset_validation.py
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from celac38_testing import CELAC, DATASET, needs_shared, shared_data

import validation  # noqa: E402  (the builder's folder is on sys.path)


def _rows(folder: Path) -> list[dict]:
    with open(folder / "validation.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_table_exists_covers_all_celac_and_passes():
    rows = _rows(DATASET)
    assert {r["region"] for r in rows} == set(CELAC)
    for c in CELAC:
        assert {r["measure"] for r in rows if r["region"] == c} == set(validation.MEASURES), c
    assert len(rows) == len(CELAC) * len(validation.MEASURES)
    assert (DATASET / "validation.csv").read_bytes().isascii()   # like every other file of the dataset
    failed = [(r["region"], r["measure"], r["gap"]) for r in rows if r["status"] == "FAIL"]
    assert not failed
    # every gap is documented: a tolerance text on every row, exceptions carry their reason
    assert all(r["tolerance"] for r in rows)
    assert all(len(r["status"]) > len("exception: ") for r in rows if r["status"].startswith("exception"))


def test_headline_figures_of_issue_11():
    rows = {(r["region"], r["measure"]): r for r in _rows(DATASET)}
    val = lambda c, m: float(rows[(c, m)]["dataset"])
    # A17: ship registrations no longer inflate island imports (WDI 4.19 and 0.84 bn)
    assert val("BHS", "goods_imports") <= 4188.0 * 1.0000001
    assert val("ATG", "goods_imports") <= 844.0 * 1.0000001
    # A18: mining shares of goods exports (WDI fuel + ores and metals 2023; VEN assumption 90 %)
    assert val("BRA", "mining_share") == pytest.approx(28.6, abs=1.0)
    assert val("COL", "mining_share") == pytest.approx(52.5, abs=1.0)
    assert val("MEX", "mining_share") == pytest.approx(7.5, abs=1.0)
    assert val("VEN", "mining_share") == pytest.approx(90.0, abs=1.0)
    # A19: Mexico runs a deficit, as in WDI
    assert val("MEX", "trade_balance") < 0
    # A20: Cuba and Venezuela in US$ (WDI levels, not official-rate conversions)
    assert val("CUB", "gdp") < 130_000 and val("VEN", "gdp") < 110_000


@needs_shared
def test_data_md_section_is_the_generated_table():
    rows = validation.table(str(DATASET), str(shared_data()))
    text = (DATASET / "DATA.md").read_text(encoding="utf-8")
    assert validation.GENERATED_BEGIN in text and validation.GENERATED_END in text
    section = text.split(validation.GENERATED_BEGIN, 1)[1].split(validation.GENERATED_END, 1)[0]
    assert section.strip() == validation.markdown(rows).strip()


@needs_shared
def test_injected_bad_value_fails_with_country_measure_and_gap(tmp_path):
    folder = tmp_path / "celac38"
    shutil.copytree(DATASET, folder)
    # multiply Brazil's manufacturing exports to the USA by 100 (a unit slip) by editing trade.csv
    path = folder / "trade.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    out = [lines[0]]
    hit = False
    for ln in lines[1:]:
        e, i, s, v = ln.split(",")
        if (e, i, s) == ("BRA", "USA", "manufacturing"):
            v = repr(float(v) * 100.0)
            hit = True
        out.append(",".join([e, i, s, v]))
    assert hit
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    failures = validation.failures(validation.table(str(folder), str(shared_data())))
    assert failures
    bra = [f for f in failures if "BRA goods_exports" in f]
    assert bra, failures
    assert "gap" in bra[0] and "tolerance" in bra[0] and "%" in bra[0]
    # the clean dataset has no failure
    assert validation.failures(validation.table(str(DATASET), str(shared_data()))) == []


@needs_shared
def test_builder_exits_non_zero_when_a_gap_passes_its_tolerance(tmp_path, monkeypatch, capsys):
    import build_celac38
    # tighten the goods-imports tolerance to zero: every state with imports off WDI's by more than
    # 1e-9 (all lifted to 95 % of WDI) must now fail, and the builder must say which
    monkeypatch.setitem(validation.TOLERANCE, "goods_imports", (-1e-9, 1e-9, "relative", 0.0))
    rc = build_celac38.main(["--shared-data", str(shared_data()), "--out", str(tmp_path / "out")])
    assert rc == 1
    msg = capsys.readouterr().out
    assert "VALIDATION FAILED" in msg and "MEX goods_imports" in msg and "tolerance" in msg
