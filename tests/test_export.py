"""Exports: formula cells neutralised in CSV and xlsx, the German CSV dialect, numeric xlsx
cells, the methodology record, unranked cities as empty cells, and safe writing of --output.

The hostile dataset is the tiny fixture with city names a spreadsheet would run, plus two
cities whose values copy C3's and A1's, so that the hand-computed scores of
``test_methods.test_bitkom_defaults`` still hold and ties appear:

    bitkom totals: C3 = D4 = 75, A1 = E5 = (250/3 + 2.5)/2 = 42.9166…, B2 = 100/3 + 5 = 38.333…
    bitkom ranks: C3 1, D4 1, A1 3, E5 3, B2 5
    geometric totals: C3 = D4 = sqrt(50*100) = 70.71…, B2 = 100/3, A1 = E5 = sqrt(250/3) = 9.13
    geometric ranks: C3 1, D4 1, B2 3, A1 4, E5 4 → shift (bitkom - geometric): A1 -1, B2 +2
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import cityindex
from cityindex import export
from cityindex.cli import main
from cityindex.engine import PROVENANCE_LABELS

EVIL = {
    "A1": '=HYPERLINK("http://evil","x")',
    "B2": "+1+1",
    "C3": "@SUM(A1)",
    "D4": "-2",
    "E5": "Eheim",  # renamed to TAB_NAME in the result: the loader strips leading whitespace
}
TAB_NAME = "\tTabstadt"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_dir(tiny_copy: Path) -> Path:
    cities = pd.read_csv(tiny_copy / "cities.csv", dtype=str)
    extra = cities[cities["city_id"].isin(["C3", "A1"])].copy()
    extra["city_id"] = ["D4" if c == "C3" else "E5" for c in extra["city_id"]]
    cities = pd.concat([cities, extra], ignore_index=True)
    cities["name"] = cities["city_id"].map(EVIL)
    cities.to_csv(tiny_copy / "cities.csv", index=False)
    values = pd.read_csv(tiny_copy / "values.csv", dtype=str, keep_default_na=False)
    copies = values[values["city_id"].isin(["C3", "A1"])].copy()
    copies["city_id"] = copies["city_id"].map({"C3": "D4", "A1": "E5"})
    copies["provenance"] = "published"
    pd.concat([values, copies]).to_csv(tiny_copy / "values.csv", index=False)
    return tiny_copy


@pytest.fixture
def hostile(hostile_dir):
    return cityindex.load_dataset(hostile_dir)


def with_tab_name(result):
    table = result.table.copy()
    table.loc["E5", "name"] = TAB_NAME
    return dataclasses.replace(result, table=table)


@pytest.fixture
def ranking(hostile):
    result = with_tab_name(cityindex.score(hostile, "bitkom"))
    return export.ranking_export(result, hostile, now=NOW)


@pytest.fixture
def comparison(hostile):
    cmp = cityindex.compare(hostile, ["bitkom", "geometric"])
    return export.comparison_export(cmp, hostile, now=NOW)


def csv_rows(data: bytes, sep: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=sep))


def inert_text(value: str) -> bool:
    """A cell a spreadsheet does not run: no formula start, or a number like -1 or -1,5."""
    if not value.startswith(FORMULA_START):
        return True
    try:
        float(value.replace(",", "."))
    except ValueError:
        return False
    return True


# --- neutralising -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-1+2",
                                  "-2", "\tx", "\rx", "=", "@"])
def test_formula_text_gets_a_quote(text):
    assert export.neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["Köln", "", "a=b", " =1", "'=1", -3, -3.5, 0, None, True])
def test_other_values_unchanged(value):
    assert export.neutralise_formula(value) is value


# --- CSV --------------------------------------------------------------------------------------


def test_csv_names_are_inert_and_numbers_rounded(ranking):
    data = export.to_csv(ranking)
    rows = csv_rows(data)
    assert rows[0] == ["city_id", "rank", "name", "state", "total", "V", "V_rank",
                       "V_provenance", "M", "M_rank", "M_provenance", "missing",
                       "provenance", "published_rank", "published_total",
                       "published_rank_change"]
    by_id = {r[0]: r for r in rows[1:]}
    assert {cid: r[2] for cid, r in by_id.items()} == {
        "C3": "'@SUM(A1)", "D4": "'-2", "A1": "'=HYPERLINK(\"http://evil\",\"x\")",
        "E5": "'" + TAB_NAME, "B2": "'+1+1",
    }
    assert [r[0] for r in rows[1:]] == ["D4", "C3", "A1", "E5", "B2"]  # ties by name
    assert [r[1] for r in rows[1:]] == ["1", "1", "3", "3", "5"]
    assert [r[4] for r in rows[1:]] == ["75.0", "75.0", "42.92", "42.92", "38.33"]
    assert by_id["A1"][5:8] == ["85.83", "1", "published rank"]  # A1 is 1st in V, as published
    assert by_id["B2"][8:11] == ["", "", ""]  # B2 has no M score, so no M rank or marker
    assert all(inert_text(cell) for row in rows for cell in row)
    # The quote goes inside the CSV quoting, as OWASP recommends.
    assert b'"\'=HYPERLINK(""http://evil"",""x"")"' in data
    assert not data.startswith(b"\xef\xbb\xbf")


def test_csv_negative_numbers_stay_numbers(comparison):
    rows = csv_rows(export.to_csv(comparison))
    assert rows[0] == ["city_id", "name", "rank bitkom", "total bitkom", "provenance bitkom",
                       "rank geometric", "total geometric", "provenance geometric",
                       "shift geometric"]
    shift = {r[0]: r[8] for r in rows[1:]}
    assert shift == {"C3": "0", "D4": "0", "A1": "-1", "E5": "-1", "B2": "2"}
    assert {r[0]: r[6] for r in rows[1:]}["A1"] == "9.13"  # sqrt(250/3)


def test_german_csv_dialect_reads_back_to_the_same_numbers(ranking):
    data = export.to_csv(ranking, locale="de")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("city_id;rank;name;state;total;V;V_rank;V_provenance;M;")
    assert lines[3].startswith("A1;3;\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\";Nordland;"
                               "42,92;85,83;1;published rank;0,0;3;computed;0;")
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["total"].tolist() == [75.0, 75.0, 42.92, 42.92, 38.33]
    assert back["V"].tolist() == [50.0, 50.0, 85.83, 85.83, 38.33]
    assert back["rank"].tolist() == [1, 1, 3, 3, 5]
    assert back["name"].tolist()[2] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert all(inert_text(cell) for row in csv_rows(data, ";") for cell in row)


def test_unknown_locale_is_an_export_error(ranking):
    with pytest.raises(export.ExportError, match="unknown locale 'fr'"):
        export.to_csv(ranking, locale="fr")


# --- xlsx -------------------------------------------------------------------------------------


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_cells_are_inert_strings_and_numbers_numeric(ranking):
    book = workbook(export.to_xlsx(ranking))
    assert book.sheetnames == ["Ranking", "Weights", "Methodology"]
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START), cell.value
    sheet = book["Ranking"]
    header = [c.value for c in sheet[1]]
    assert header[:12] == ["City id", "Rank", "City", "State", "Total score",
                           "Administration", "Administration: rank",
                           "Administration: provenance", "Mobility", "Mobility: rank",
                           "Mobility: provenance", "Missing values"]
    names = [sheet.cell(row=i, column=3).value for i in range(2, 7)]
    assert names == ["'-2", "'@SUM(A1)", "'=HYPERLINK(\"http://evil\",\"x\")",
                     "'" + TAB_NAME, "'+1+1"]
    a1 = [c for c in sheet[4]]
    assert a1[0].value == "A1"
    assert a1[1].data_type == "n" and a1[1].value == 3 and a1[1].number_format == "0"
    # full precision in the cell, two decimals on screen
    assert a1[4].data_type == "n" and a1[4].value == pytest.approx((250 / 3 + 2.5) / 2)
    assert a1[4].number_format == "0.00"
    b2 = [c for c in sheet[6]]
    assert b2[8].value is None  # no M score: an empty cell, not 0 and not "nan"
    assert b2[9].value is None and b2[10].value is None  # and no M rank or marker
    weights = {r[0]: r[1] for r in book["Weights"].iter_rows(min_row=2, values_only=True)}
    assert weights == pytest.approx({"i1": 1 / 12, "i2": 1 / 4, "i3": 1 / 6, "i4": 0.025,
                                     "i5": 1 / 2})


def test_a_comparison_marks_each_methods_provenance(comparison):
    """Only bitkom with its defaults reproduces Bitkom: C3's rank 1 and 75 points are the
    published ones; A1 (published rank 2, computed 3), D4 and E5 (no published figure) are
    computed from published values, B2 (a modeled value in i1) is modeled under both methods;
    geometric is never published. The markers in the column's own words in every format."""
    expected = {"C3": ("published", "computed"), "D4": ("computed", "computed"),
                "A1": ("computed", "computed"), "E5": ("computed", "computed"),
                "B2": ("modeled", "modeled")}
    rows = csv_rows(export.to_csv(comparison))
    assert {r[0]: (r[4], r[7]) for r in rows[1:]} == expected
    readable = csv_rows(export.to_csv(comparison, locale="de", readable=True), sep=";")
    assert readable[0][4] == "Herkunft bitkom" and readable[0][7] == "Herkunft geometric"
    assert {r[0]: (r[4], r[7]) for r in readable[1:]} == {
        "C3": ("veröffentlicht", "berechnet"), "D4": ("berechnet", "berechnet"),
        "A1": ("berechnet", "berechnet"), "E5": ("berechnet", "berechnet"),
        "B2": ("modelliert", "modelliert")}
    english = csv_rows(export.to_csv(comparison, readable=True))
    assert english[0][4] == "Provenance bitkom"
    records = json.loads(export.to_json(comparison))["cities"]
    assert {c["city_id"]: (c["provenance bitkom"], c["provenance geometric"])
            for c in records} == expected


def test_xlsx_german_labels(ranking, comparison):
    book = workbook(export.to_xlsx(ranking, locale="de"))
    assert book.sheetnames == ["Rangliste", "Gewichte", "Methodik"]
    header = [c.value for c in book["Rangliste"][1]]
    assert header[:12] == ["Stadt-ID", "Rang", "Stadt", "Bundesland", "Gesamtpunktzahl",
                           "Verwaltung", "Verwaltung: Rang", "Verwaltung: Herkunft",
                           "Mobilität", "Mobilität: Rang", "Mobilität: Herkunft",
                           "Fehlende Werte"]
    book = workbook(export.to_xlsx(comparison, locale="de"))
    assert book.sheetnames == ["Methodenvergleich", "Spearman", "Kendall tau-b", "Methodik"]
    sheet = book["Methodenvergleich"]
    assert [c.value for c in sheet[1]] == [
        "Stadt-ID", "Stadt", "Rang bitkom", "Gesamtpunktzahl bitkom", "Herkunft bitkom",
        "Rang geometric", "Gesamtpunktzahl geometric", "Herkunft geometric",
        "Rangverschiebung geometric"]
    shift = {r[0]: r[8] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert shift == {"C3": 0, "D4": 0, "A1": -1, "E5": -1, "B2": 2}
    a1 = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "A1")
    assert a1[8].data_type == "n" and a1[8].number_format == "+0;-0;0"
    # each method's marker in German words, as a ranking sheet writes them
    markers = {r[0]: (r[4], r[7]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert markers["C3"] == ("veröffentlicht", "berechnet")
    spearman = list(book["Spearman"].iter_rows(values_only=True))
    assert spearman[0] == ("Methode", "bitkom", "geometric")
    assert spearman[1][0] == "bitkom" and spearman[1][1] == 1


def test_a_german_workbook_says_its_markers_and_the_method_in_german(ranking):
    """The German CSV said "modelliert", the German workbook of the same ranking
    "modeled", and its methodology sheet had the English title and missing-value policy."""
    book = workbook(export.to_xlsx(ranking, locale="de"))
    sheet = book["Rangliste"]
    header = [c.value for c in sheet[1]]
    markers = {row[header.index("Herkunft")] for row in sheet.iter_rows(min_row=2,
                                                                         values_only=True)}
    assert markers and markers <= {"veröffentlicht", "Rang veröffentlicht", "Punkte "
                                   "veröffentlicht", "modelliert", "berechnet", "ohne Rang"}
    fields = dict(methodology_sheet(book, "Methodik"))
    assert fields["Titel"] == "Bitkom-Methode: gewichtete Kategorien"
    assert fields["Fehlende Werte"].startswith("Ein fehlender Wert wird ausgelassen")
    assert not any(str(k).endswith("_de") for k in fields)
    english = dict(methodology_sheet(workbook(export.to_xlsx(ranking))))
    assert english["Title"] == "Bitkom-style weighted categories"
    assert not any(str(k).endswith("_de") for k in english)


def methodology_sheet(book, title="Methodology") -> list[tuple]:
    return list(book[title].iter_rows(min_row=2, values_only=True))


def test_methodology_sheet_lets_anyone_redo_the_result(ranking, hostile_dir):
    rows = methodology_sheet(workbook(export.to_xlsx(ranking)))
    fields = dict(rows)  # later duplicates (the data's counts) overwrite the method's
    assert fields["Export of"] == "ranking"
    assert fields["Name"] == "bitkom"
    assert fields["Title"] == "Bitkom-style weighted categories"
    assert fields["Citation"].startswith("Bitkom e.V.: Smart City Index")
    assert fields["scaling"] == "minmax" and fields["projects_bonus"] == 0.05
    assert fields["missing"] == "skip"
    assert fields["Edition"] == 2024
    assert fields["Data source"] == str(hostile_dir.resolve())
    assert fields["cityindex version"] == cityindex.__version__
    assert fields["Exported at"] == "2024-05-01T12:00:00+02:00"
    # 5 cities x 5 indicators: B2's i1 modeled, B2's i5 missing, every other value published
    counts = rows[rows.index(("Values used, by provenance", None)) + 1:][:5]
    assert counts == [("published", 23), ("user", 0), ("imputed", 0), ("modeled", 1),
                      ("missing (no value)", 1)]
    legend = rows[rows.index(("Provenance markers", None)) + 1:]
    assert legend == list(PROVENANCE_LABELS.items())


def test_methodology_sheet_in_german(ranking):
    fields = dict(methodology_sheet(workbook(export.to_xlsx(ranking, locale="de")), "Methodik"))
    assert fields["Export von"] == "Rangliste"
    assert fields["Ausgabe"] == 2024
    # the legend names the markers as the German sheets write them
    assert fields["modelliert"] == "aus modellierten Werten berechnet"
    assert "modeled" not in fields
    # the parameters by their German labels, each id beside it (what -p key=value takes),
    # a choice by its German label and id, a number as a number; the citation in German
    assert fields["Skalierung [scaling]"] == "Min-Max (beste 100, schwächste 0) [minmax]"
    assert fields["Projektbonus [projects_bonus]"] == 0.05
    assert fields["Fehlende Werte [missing]"] == "auslassen [skip]"
    assert "scaling" not in fields and "projects_bonus" not in fields
    assert fields["Quelle"] == ("Bitkom e.V.: Smart City Index 2019–2025, "
                                "https://www.bitkom.org/Smart-City-Index ; Hinweise zur Methodik "
                                "in den Berichten zum Smart City Index 2021 und 2023.")
    english = dict(methodology_sheet(workbook(export.to_xlsx(ranking))))
    assert english["scaling"] == "minmax" and english["Citation"].endswith(
        "methodology notes in the Smart City Index 2021 and 2023 reports.")


def test_writers_return_bytes_and_fill_a_buffer_or_path(ranking, tmp_path):
    buffer = io.BytesIO()
    data = export.to_xlsx(ranking, buffer)
    assert buffer.getvalue() == data and data.startswith(b"PK")
    target = tmp_path / "ranking.csv"
    assert export.to_csv(ranking, target, locale="de") == target.read_bytes()


# --- the methodology record -------------------------------------------------------------------


def test_ranking_methodology_counts_the_values_used(tiny):
    record = export.ranking_methodology(cityindex.score(tiny, "bitkom"), tiny, now=NOW)
    assert record["kind"] == "ranking" and record["edition"] == 2024
    (method,) = record["methods"]
    assert method["name"] == "bitkom" and method["package"] == "cityindex"
    assert method["params"] == {"scaling": "minmax", "projects_bonus": 0.05, "missing": "skip"}
    assert method["indicators_used"] == 5
    assert method["provenance_counts"] == {"published": 13, "user": 0, "imputed": 0,
                                           "modeled": 1, "missing": 1}
    assert record["data"]["cities"] == 3 and record["data"]["indicators"] == 5
    assert record["cityindex_version"] == cityindex.__version__
    assert record["exported_at"] == "2024-05-01T12:00:00+02:00"
    assert record["provenance_legend"] == PROVENANCE_LABELS
    json.dumps(record)  # JSON-ready


def test_comparison_methodology_has_one_entry_per_method(tiny):
    """geometric leaves out the projects indicator i4: 3 cities x 4 indicators, of which
    B2's i1 is modeled and B2's i5 missing."""
    cmp = cityindex.compare(tiny, ["bitkom", ("geometric", {"floor": 5})])
    record = export.comparison_methodology(cmp, tiny, now=NOW)
    assert record["kind"] == "comparison"
    assert [m["label"] for m in record["methods"]] == ["bitkom", "geometric(floor=5)"]
    geo = record["methods"][1]
    assert geo["params"] == {"scaling": "minmax", "floor": 5.0}
    assert geo["indicators_used"] == 4
    assert geo["provenance_counts"] == {"published": 10, "user": 0, "imputed": 0,
                                        "modeled": 1, "missing": 1}


def test_data_source_names_bundled_and_in_memory_data(tiny):
    assert export.data_source(dataclasses.replace(tiny, path=export.BUNDLED_DATA)) == {
        "source": "bundled data", "path": str(export.BUNDLED_DATA)}
    assert export.data_source(dataclasses.replace(tiny, path=None)) == {
        "source": "in-memory data", "path": None}


# --- unranked cities --------------------------------------------------------------------------


def test_an_unranked_city_has_an_empty_rank(tiny):
    result = cityindex.score(tiny, "bitkom")
    table = result.table.copy()
    table["rank"] = pd.array([1, 2, pd.NA], dtype="Int64")  # C3, A1, B2
    table.loc["B2", ["total", "V", "M"]] = float("nan")
    table["unranked_reason"] = ["", "", "no value for any indicator"]
    bundle = export.ranking_export(dataclasses.replace(result, table=table), tiny)
    rows = csv_rows(export.to_csv(bundle))
    assert rows[3][:5] == ["B2", "", "Bstadt", "Nordland", ""]
    assert rows[0][13] == "unranked_reason" and rows[3][13] == "no value for any indicator"
    sheet = workbook(export.to_xlsx(bundle))["Ranking"]
    assert [sheet.cell(row=4, column=c).value for c in (1, 2, 5)] == ["B2", None, None]
    cities = json.loads(export.to_json(bundle))["cities"]
    assert cities[2]["city_id"] == "B2" and cities[2]["rank"] is None
    assert cities[2]["total"] is None
    top = export.ranking_export(dataclasses.replace(result, table=table), tiny, top=5)
    assert top.tables[0].frame["city_id"].tolist() == ["C3", "A1"]  # --top lists ranks only
    assert "unranked_reason" not in top.tables[0].frame


# --- writing files ----------------------------------------------------------------------------


def test_export_format_from_the_extension():
    assert export.export_format("a/b.CSV") == "csv"
    assert export.export_format("r.xlsx") == "xlsx" and export.export_format("r.json") == "json"
    with pytest.raises(export.ExportError, match=r"'r\.xls' \(extension '\.xls'\)"):
        export.export_format("r.xls")
    with pytest.raises(export.ExportError, match="no extension"):
        export.export_format("ranking")


def test_a_failing_write_leaves_the_existing_file_untouched(ranking, tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "ranking.xlsx"
    target.write_bytes(b"yesterday's ranking")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, "fsync", disk_full)
    with pytest.raises(export.ExportError, match="the disk is full; the file was left unchanged"):
        export.write_export(ranking, target)
    assert target.read_bytes() == b"yesterday's ranking"
    assert os.listdir(tmp_path / "out") == ["ranking.xlsx"]  # no temporary file left


def test_an_existing_file_is_replaced_whole_and_keeps_its_permissions(ranking, tmp_path):
    target = tmp_path / "ranking.csv"
    target.write_text("old")
    target.chmod(0o640)
    export.write_export(ranking, target)
    assert target.read_bytes() == export.to_csv(ranking)
    assert target.stat().st_mode & 0o777 == 0o640


def test_the_dataset_files_are_never_overwritten(ranking, hostile_dir):
    before = {p.name: p.read_bytes() for p in hostile_dir.iterdir()}
    (hostile_dir / "results").mkdir()
    for name in ("values.csv", "editions.csv", "ranking.xlsx", "results/ranking.csv"):
        with pytest.raises(export.ExportError, match="in the dataset folder"):
            export.write_export(ranking, hostile_dir / name)
    with pytest.raises(export.ExportError, match="in the dataset folder"):
        export.write_bytes(b"x", hostile_dir / "README.md", protect=[hostile_dir])
    with pytest.raises(export.ExportError, match="it is the dataset file"):
        export.write_bytes(b"x", hostile_dir / "values.csv", protect=[hostile_dir / "values.csv"])
    assert {p.name: p.read_bytes() for p in hostile_dir.iterdir() if p.is_file()} == before


# --- command line -----------------------------------------------------------------------------


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_output_csv_xlsx_json(capsys, hostile_dir, tmp_path):
    code, out, err = run(capsys, "rank", "-d", hostile_dir, "-o", tmp_path / "r.csv",
                         "--locale", "de")
    assert (code, err) == (0, "")
    assert out == f"wrote 5 rows to {tmp_path / 'r.csv'}\n"
    data = (tmp_path / "r.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcity_id;rank;") and b"'+1+1" in data

    code, _, _ = run(capsys, "rank", "-d", hostile_dir, "-o", tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert code == 0 and book.sheetnames == ["Ranking", "Weights", "Methodology"]
    assert book["Ranking"]["C4"].value == "'=HYPERLINK(\"http://evil\",\"x\")"

    code, _, _ = run(capsys, "compare", "bitkom", "geometric", "-d", hostile_dir,
                     "-o", tmp_path / "c.json")
    payload = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert code == 0 and payload["methods"] == ["bitkom", "geometric"]
    assert payload["methodology"]["kind"] == "comparison"
    assert payload["methodology"]["data"]["path"] == str(hostile_dir.resolve())
    stamp = datetime.fromisoformat(payload["methodology"]["exported_at"])
    assert stamp.tzinfo is not None
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=5)
    assert {c["city_id"]: c["shift geometric"] for c in payload["cities"]}["A1"] == -1
    assert payload["spearman"]["bitkom"]["geometric"] == pytest.approx(2 / 3)


def test_cli_json_stdout_carries_the_methodology(capsys, tiny_dir):
    code, out, _ = run(capsys, "rank", "-d", tiny_dir, "-f", "json")
    payload = json.loads(out)
    assert code == 0 and payload["method"] == "bitkom"
    assert payload["methodology"]["methods"][0]["params"] == payload["params"]
    assert payload["methodology"]["data"]["provenance_counts"]["modeled"] == 1
    assert payload["weights"][1] == {"indicator_id": "i2", "weight": 0.25}


def test_cli_csv_stdout_is_neutralised_too(capsys, hostile_dir):
    code, out, _ = run(capsys, "rank", "-d", hostile_dir, "-f", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[3][2] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert all(inert_text(cell) for row in rows for cell in row)


def test_cli_unknown_extension_fails_before_reading_data(capsys, tmp_path):
    code, out, err = run(capsys, "rank", "-d", tmp_path / "no-such-folder",
                         "-o", tmp_path / "r.txt")
    assert code == 2 and out == ""
    assert err == (f"cityindex: error: cannot tell the format of '{tmp_path / 'r.txt'}' "
                   "(extension '.txt'): use a file name ending in .csv, .xlsx, .json\n")
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_to_overwrite_an_input_file(capsys, tiny_copy):
    values = tiny_copy / "values.csv"
    before = values.read_bytes()
    code, _, err = run(capsys, "rank", "-d", tiny_copy, "-o", values)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"cityindex: error: refusing to write {values}: it is in the "
                          "dataset folder")
    assert values.read_bytes() == before


def test_cli_failed_write_is_one_line_and_keeps_the_old_file(capsys, tiny_dir, tmp_path,
                                                              monkeypatch):
    target = tmp_path / "r.json"
    target.write_text("{}")
    monkeypatch.setattr(export.os, "replace", _raise_permission)
    code, _, err = run(capsys, "rank", "-d", tiny_dir, "-o", target)
    assert code == 2 and err == (f"cityindex: error: cannot write {target}: Permission denied; "
                                 "the file was left unchanged\n")
    assert target.read_text() == "{}" and os.listdir(tmp_path) == ["r.json"]


def _raise_permission(src, dst):
    raise PermissionError(13, "Permission denied")


def test_the_readable_csv_speaks_the_readers_language(tiny):
    """The dashboard's download: German headers and German marker words (a German reader
    should not meet 'published rank' under 'Herkunft'); the CLI's CSV keeps the codes."""
    result = cityindex.score(tiny, "bitkom")
    bundle = export.ranking_export(result, tiny)
    text = export.to_csv(bundle, locale="de", readable=True).decode("utf-8-sig")
    header, *rows = text.splitlines()
    assert header.split(";")[:8] == ["Stadt-ID", "Rang", "Stadt", "Bundesland",
                                     "Gesamtpunktzahl", "Verwaltung", "Verwaltung: Rang",
                                     "Verwaltung: Herkunft"]
    a1 = next(r for r in rows if r.startswith("A1;")).split(";")
    assert a1[7] == "Rang veröffentlicht"  # A1's V: published rank, computed points
    assert "published rank" in export.to_csv(bundle, locale="de").decode("utf-8-sig")
