"""Entities, mentions, claims and exports on a real case file built with the real extraction pipeline."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docmine.cli import app
from docmine.config import Settings
from docmine.export import write_table
from docmine.service import Docmine

BRIEF = (
    "Raadsinformatiebrief gemeente Groningen, 2 december 2020.\n\n"
    "De uitgaven aan jeugdzorg bedragen in 2020 € 160 miljoen, meldt wethouder Isabelle Diks. "
    "Het college heeft besloten dat de nieuwe inkoop op zijn vroegst per 1 juli 2022 ingaat.\n\n"
    "Bel voor vragen 050 367 89 12 of schrijf naar postbus 30026, 9700 RM Groningen."
)
NIEUWS = (
    "Nieuws uit Hengelo, 4 maart 2021.\n\n"
    '"We houden grip op de kosten", zegt wethouder Jan Jansen. Volgens de VNG is het tekort landelijk '
    "€ 1,2 miljard. Het aantal contracten ging van 80 naar 13 contracten."
)


@pytest.fixture
def case(tmp_path: Path) -> Settings:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "brief.txt").write_text(BRIEF, encoding="utf-8")
    (folder / "nieuws.txt").write_text(NIEUWS, encoding="utf-8")
    settings = Settings(db=tmp_path / "case.db", jobs=1, embed=False, extract=True)
    with Docmine(settings) as dm:
        dm.ingest([folder])
    return settings


def test_mentions_are_anchored_and_normalised(case: Settings) -> None:
    with Docmine(case) as dm:
        rows = list(dm.mentions())
    by_text = {(m.label, m.text): m for m in rows}
    money = by_text[("MONEY", "€ 160 miljoen")]
    assert money.value == 160_000_000.0
    assert BRIEF[money.ref.start : money.ref.end] == "€ 160 miljoen"
    assert by_text[("DATE", "1 juli 2022")].value == "2022-07-01"
    assert ("MUNICIPALITY", "Groningen") in by_text and by_text[("MUNICIPALITY", "Groningen")].value == "GM0014"
    # a phone number, a postcode and "van 80 naar 13 contracten" are no money
    assert {m.text for m in rows if m.label == "MONEY"} == {"€ 160 miljoen", "€ 1,2 miljard"}


def test_entities_filter_by_municipality(case: Settings) -> None:
    with Docmine(case) as dm:
        groningen = {(e.label, e.name) for e in dm.entities(municipality="Groningen")}
        hengelo_money = [e.value for e in dm.entities(label="MONEY", municipality="GM0164")]
    assert ("MONEY", "€ 160 miljoen") in groningen and ("MONEY", "€ 1,2 miljard") not in groningen
    assert hengelo_money == [1_200_000_000.0]


def test_claims_have_kind_speaker_and_values(case: Settings) -> None:
    with Docmine(case) as dm:
        claims = {c.sentence: c for c in dm.claims()}
    amount = claims["De uitgaven aan jeugdzorg bedragen in 2020 € 160 miljoen, meldt wethouder Isabelle Diks."]
    assert amount.kind == "quote" and "MONEY=160000000.0" in amount.values
    assert amount.speaker is not None and "Isabelle Diks" in amount.speaker
    date = claims["Het college heeft besloten dat de nieuwe inkoop op zijn vroegst per 1 juli 2022 ingaat."]
    assert date.kind == "date" and "DATE=2022-07-01" in date.values


def test_mentions_json_contract(case: Settings) -> None:
    result = CliRunner().invoke(app, ["--db", str(case.db), "mentions", "--label", "MONEY", "--json"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"doc_id", "path", "page", "start", "end", "label", "text", "value"} <= set(rows[0])
    assert sorted(r["value"] for r in rows) == [160_000_000.0, 1_200_000_000.0]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "xlsx"])
def test_export_formats_keep_types(case: Settings, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"mentions.{fmt}"
    with Docmine(case) as dm:
        count = write_table(dm.table_rows("mentions"), out, fmt)
        n_mentions = len(list(dm.mentions()))
        docs_out = tmp_path / f"documents.{fmt}"
        assert write_table(dm.table_rows("documents"), docs_out, fmt) == 2
    assert count == n_mentions
    if fmt == "csv":
        with out.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert {r["text"] for r in rows if r["label"] == "MONEY"} == {"€ 160 miljoen", "€ 1,2 miljard"}
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert sorted(r["value_num"] for r in rows if r["label"] == "MONEY") == [160_000_000.0, 1_200_000_000.0]
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        assert table.schema.field("value_num").type == "double" and table.schema.field("page").type == "int64"
        assert table.num_rows == n_mentions
        docs = pq.read_table(docs_out)
        assert str(docs.schema.field("date").type) == "date32[day]"
        assert sorted(docs.column("date").to_pylist()) == [dt.date(2020, 12, 2), dt.date(2021, 3, 4)]
    else:
        from openpyxl import load_workbook

        book = load_workbook(out)
        header, *data = list(book.active.iter_rows(values_only=True))
        money = sorted(r[header.index("value_num")] for r in data if r[header.index("label")] == "MONEY")
        assert money == [160_000_000.0, 1_200_000_000.0]
        docs = load_workbook(docs_out)
        header, *data = list(docs.active.iter_rows(values_only=True))
        assert sorted(r[header.index("date")] for r in data) == [dt.datetime(2020, 12, 2), dt.datetime(2021, 3, 4)]


def test_export_rejects_unknown_table_and_format(case: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(app, ["--db", str(case.db), "export", "personen", "-o", str(tmp_path / "x.csv")])
    assert bad.exit_code == 1 and "unknown table 'personen'" in bad.stderr
    bad = runner.invoke(app, ["--db", str(case.db), "export", "mentions", "-o", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 1 and "unknown export format 'pdf'" in bad.stderr


def test_extract_all_rebuilds_facts_without_reparsing(case: Settings) -> None:
    with Docmine(case) as dm:
        before = len(list(dm.mentions()))
        docs, mentions, claims = dm.extract_all()
        after = len(list(dm.mentions()))
    assert docs == 2 and mentions == before == after and claims >= 2


UITSPRAAK = (
    "Uitspraak gerechtshof, 12 maart 2001.\n\n"
    "De griffier heeft van belanghebbende een recht geheven van ƒ 809,--. "
    "De VN heeft een bedrag van USD 20 miljoen vrijgemaakt; Nederland draagt € 5 miljoen bij."
)


def test_other_currencies_keep_their_currency(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "uitspraak.txt").write_text(UITSPRAAK, encoding="utf-8")
    settings = Settings(db=tmp_path / "case.db", jobs=1, embed=False, extract=True)
    with Docmine(settings) as dm:
        dm.ingest([folder])
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(settings.db), "mentions", "--label", "MONEY", "--json"])
    assert result.exit_code == 0, result.output
    mentions = {r["text"]: r["value"] for r in map(json.loads, result.output.splitlines())}
    # a guilder or dollar amount is no euro amount: its value names the currency and has no euro number
    assert mentions == {"ƒ 809,--": "NLG 809.00", "USD 20 miljoen": "USD 20000000.00", "€ 5 miljoen": 5_000_000.0}
    result = runner.invoke(app, ["--db", str(settings.db), "entities", "--label", "MONEY", "--json"])
    assert result.exit_code == 0, result.output
    assert {r["value"] for r in map(json.loads, result.output.splitlines())} == set(mentions.values())
    out = tmp_path / "mentions.csv"
    with Docmine(settings) as dm:
        write_table(dm.table_rows("mentions"), out, "csv")
    with out.open(encoding="utf-8", newline="") as handle:
        money = {r["text"]: r["value_num"] for r in csv.DictReader(handle) if r["label"] == "MONEY"}
    assert money == {"ƒ 809,--": "", "USD 20 miljoen": "", "€ 5 miljoen": "5000000.0"}
