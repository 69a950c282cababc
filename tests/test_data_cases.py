"""Every case of ../shared/cases/data/ (copied to tests/fixtures/cases/) with its right result,
through load_dataset and through the command line: exit codes, messages, no traceback."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

import cityindex
import cityindex.cli
from cityindex import DatasetError

CASES = Path(__file__).parent / "fixtures" / "cases"
SHARED = Path(__file__).parent.parent.parent / "shared" / "cases" / "data"


def case(name: str) -> Path:
    return CASES / name


def run(capsys, *args):
    code = cityindex.cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def problems(path) -> list[cityindex.Problem]:
    with pytest.raises(DatasetError) as info:
        cityindex.load_dataset(path)
    return info.value.problems


def clean_copy(tmp_path: Path, source: Path, values: str) -> Path:
    """The case's folder with values.csv rewritten as a plain comma/point file."""
    target = tmp_path / "clean"
    shutil.copytree(source, target)
    (target / "values.csv").write_text(values, encoding="utf-8")
    return target


CLEAN_VALUES = """edition,city_id,indicator_id,value
2024,X1,i1,80.5
2024,X1,i2,10
2024,X1,i3,5
2024,X1,s1,1
2024,X2,i1,60
2024,X2,i2,{x2_i2}
2024,X2,i3,20
2024,X2,s1,0
2024,X3,i1,40
2024,X3,i2,8
2024,X3,i3,12
2024,X3,s1,1
2024,X4,i1,20
2024,X4,i2,2
2024,X4,i3,9
2024,X4,s1,0
"""


def totals(data) -> dict:
    result = cityindex.score(data, "bitkom")
    return result.table["total"].to_dict(), result.table["rank"].to_dict()


def test_the_fixtures_are_the_shared_cases():
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")  # the copies below still run
    for path in SHARED.rglob("*.csv"):
        copy = CASES / path.relative_to(SHARED)
        assert copy.read_bytes() == path.read_bytes(), copy


def test_german_excel_export(tmp_path, capsys):
    """german-excel-export: BOM, ';', decimal comma, CRLF in values.csv — read as the same
    numbers as a comma/point file."""
    folder = case("german-excel-export")
    raw = (folder / "values.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";80,5\r\n" in raw
    data = cityindex.load_dataset(folder)
    assert data.warnings == ()
    matrix = data.edition_data(2024)
    assert matrix.values[0].tolist() == [80.5, 10.0, 5.0, 1.0]  # X1: i1, i2, i3, s1
    clean = cityindex.load_dataset(clean_copy(tmp_path, folder, CLEAN_VALUES.format(x2_i2=4)))
    assert totals(data) == totals(clean)
    code, out, _ = run(capsys, "validate", folder)
    assert code == 0
    assert out == f"{folder}: valid — 4 cities, edition 2024, 16 values, 0 published figures\n"
    code, out, _ = run(capsys, "rank", "-d", folder, "-f", "json")
    assert code == 0 and '"rank": 1' in out


def test_german_excel_export_with_a_wrong_separator_says_how_to_fix_it(capsys):
    folder = case("german-excel-export")
    code, _, err = run(capsys, "rank", "-d", folder, "--sep", ",")
    assert code == 2
    assert err.startswith(f"cityindex: error: {folder / 'values.csv'}, row 2: has 2 fields")
    found = problems_with(folder, sep=",")
    assert found[0].hint.endswith("(on the command line: --sep ';' or --sep tab)")  # a tab so


def problems_with(folder, **options):
    with pytest.raises(DatasetError) as info:
        cityindex.load_dataset(folder, **options)
    return info.value.problems


def test_trailing_separator(capsys):
    """trailing-separator: cities.csv rows end with a comma; the empty field is ignored."""
    folder = case("trailing-separator")
    assert (folder / "cities.csv").read_text().splitlines()[1].endswith(",")
    data = cityindex.load_dataset(folder)
    assert data.cities.loc["X3", "population"] == 600000
    assert data.cities.loc["X3", "lon"] == 11.5
    lower = cityindex.load_dataset(case("capitalised-headers") / "lower-case")
    assert totals(data) == totals(lower)
    code, out, _ = run(capsys, "validate", folder)
    assert code == 0 and "valid — 4 cities" in out


def test_trailing_separator_with_a_value_in_the_extra_field_is_a_problem(tmp_path):
    folder = tmp_path / "t"
    shutil.copytree(case("trailing-separator"), folder)
    text = (folder / "cities.csv").read_text()
    (folder / "cities.csv").write_text(text.replace("8.6,\n", "8.6,oops\n"))
    [p] = problems(folder)
    assert (p.file, p.row, p.message) == (str(folder / "cities.csv"), 2,
                                          "has 7 fields but the header has 6")


def test_quoted_decimal_comma(tmp_path, capsys):
    """quoted-decimal-comma: "80,5" in a comma file is 80.5 (decimal comma detected)."""
    folder = case("quoted-decimal-comma")
    data = cityindex.load_dataset(folder)
    matrix = data.edition_data(2024)
    assert matrix.values[0, 0] == 80.5 and matrix.values[1, 1] == 4.25
    clean = cityindex.load_dataset(clean_copy(tmp_path, folder,
                                              CLEAN_VALUES.format(x2_i2=4.25)))
    assert totals(data) == totals(clean)
    code, _, _ = run(capsys, "validate", folder)
    assert code == 0


def test_quoted_decimal_comma_mixed_with_points_is_reported_with_a_hint(tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(case("quoted-decimal-comma"), folder)
    text = (folder / "values.csv").read_text()
    (folder / "values.csv").write_text(text.replace("2024,X2,i1,60", "2024,X2,i1,60.5"))
    found = problems(folder)
    assert [(p.row, p.column, p.message) for p in found] == [
        (2, "value", "'80,5' is not a number"), (7, "value", "'4,25' is not a number")]
    assert "use one decimal mark per file" in found[0].hint


def test_capitalised_headers(capsys):
    """capitalised-headers: 'Weight' and 'Service' are problems with a did-you-mean."""
    folder = case("capitalised-headers") / "data"
    found = problems(folder)
    assert [str(p) for p in found] == [
        f"{folder / 'indicators.csv'}, row 1, column 'Weight': unknown column 'Weight': did "
        "you mean 'weight'?",
        f"{folder / 'indicators.csv'}, row 1, column 'Service': unknown column 'Service': did "
        "you mean 'service'?",
    ]
    code, out, err = run(capsys, "validate", folder)
    assert code == 1 and out.count("did you mean") == 2
    assert "→ column names are lower case" in out
    assert err == f"{folder}: 2 problems found\n"
    code, _, err = run(capsys, "rank", "-d", folder)
    assert code == 2 and "did you mean 'weight'?" in err


def test_an_unrelated_extra_column_is_a_warning(tmp_path, capsys):
    folder = tmp_path / "extra"
    shutil.copytree(case("capitalised-headers") / "lower-case", folder)
    text = (folder / "cities.csv").read_text().splitlines()
    text = [text[0] + ",comment"] + [line + ",checked" for line in text[1:]]
    (folder / "cities.csv").write_text("\n".join(text) + "\n")
    data = cityindex.load_dataset(folder)
    [w] = data.warnings
    assert str(w) == (f"{folder / 'cities.csv'}, row 1, column 'comment': column 'comment' is "
                      "not part of the format and is ignored")
    code, out, _ = run(capsys, "validate", folder)
    assert code == 0
    assert out.splitlines()[0].startswith("warning: ")
    assert out.splitlines()[1].endswith("0 published figures, 1 warning")


def test_zero_area_weights(capsys):
    folder = case("zero-area-weights")
    [p] = problems(folder)
    assert (p.file, p.row, p.column) == (str(folder / "areas.csv"), 2, "weight")
    assert p.message == "every area weighs 0: nothing is left to average"
    assert p.hint
    code, out, _ = run(capsys, "rank", "-d", folder)
    assert code == 2 and out == ""


def test_zero_category_weights(capsys):
    folder = case("zero-category-weights")
    [p] = problems(folder)
    assert (p.file, p.row, p.column) == (str(folder / "categories.csv"), 3, "weight")
    assert p.message == "area 'B' has no weight left: its only category (row 3) weighs 0"
    code, _, err = run(capsys, "validate", folder)
    assert code == 1 and err.endswith("1 problem found\n")


def test_duplicate_indicator_row(capsys):
    folder = case("duplicate-indicator-row")
    [p] = problems(folder)
    assert str(p) == (f"{folder / 'indicators.csv'}, row 3, column 'indicator_id': duplicate "
                      "indicator for (edition, indicator_id) = (2024, i1); first given in row 2")
    assert p.hint == "delete one of the two rows (2 and 3)"
    code, out, _ = run(capsys, "validate", folder)
    assert code == 1 and "duplicate indicator" in out


@pytest.mark.parametrize("name", ["german-excel-export", "trailing-separator",
                                  "quoted-decimal-comma", "capitalised-headers",
                                  "zero-area-weights", "zero-category-weights",
                                  "duplicate-indicator-row"])
def test_no_case_file_is_changed(capsys, name):
    folder = case(name)

    def digest():
        return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*.csv")}

    before = digest()
    for sub in [folder, *[p for p in folder.iterdir() if p.is_dir()]]:
        try:
            cityindex.load_dataset(sub)
        except DatasetError:
            pass
        run(capsys, "validate", sub)
        run(capsys, "rank", "-d", sub)
    assert digest() == before


def test_a_path_is_shown_as_typed_and_never_doubled(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "validate", "nowhere")
    assert code == 1 and out.startswith("nowhere: does not exist")
    (tmp_path / "d").mkdir()
    code, out, _ = run(capsys, "validate", "d/")
    assert out.splitlines()[0].startswith("d/cities.csv: required file is missing")


def test_every_edition_needs_two_cities(tmp_path):
    folder = tmp_path / "one"
    shutil.copytree(case("capitalised-headers") / "lower-case", folder)
    lines = (folder / "values.csv").read_text().splitlines()
    (folder / "values.csv").write_text("\n".join(lines[:5]) + "\n")  # X1 only
    found = [p.message for p in problems(folder)]
    assert found == ["edition 2024 has 1 city: a ranking needs at least two"]


def test_an_area_or_category_without_any_value_is_a_warning(capsys, tmp_path):
    """capitalised-headers/lower-case with every value of i3 blanked: i3 is area B's only
    indicator, so B drops out of every total. validate said "valid — 16 values" and rank
    showed B as "–" without a word; now both warn, naming areas.csv row 3, and validate counts
    the 4 empty cells apart. A category with no value (b2, added to B beside b1) is named
    the same way; a category of an empty area is not named again."""
    folder = tmp_path / "e1"
    shutil.copytree(case("capitalised-headers") / "lower-case", folder)
    values = folder / "values.csv"
    rows = values.read_text().splitlines()
    values.write_text("\n".join([rows[0], *(
        ",".join(r.split(",")[:3]) + "," if r.split(",")[2] == "i3" else r
        for r in rows[1:])]) + "\n")
    warning = (f"{folder / 'areas.csv'}, row 3, column 'area_id': area 'B' has no value in "
               "edition 2024: every method built on the hierarchy leaves it out of the total  "
               "→ add values for its indicators, or give area 'B' the weight 0")
    code, out, _ = run(capsys, "validate", str(folder))
    assert code == 0
    assert out == (f"warning: {warning}\n{folder}: valid — 4 cities, edition 2024, 12 values, "
                   "4 empty cells, 0 published figures, 1 warning\n")
    code, _, err = run(capsys, "rank", "-d", str(folder))
    assert code == 0 and err == f"cityindex: warning: {warning}\n"
    (folder / "categories.csv").write_text(
        (folder / "categories.csv").read_text() + "b2,B,Neu,1\n")
    (folder / "indicators.csv").write_text(
        (folder / "indicators.csv").read_text() + "i4,b2,Neu,count,1,1,0\n")
    assert [p.message for p in cityindex.load_dataset(folder).warnings] == [
        "area 'B' has no value in edition 2024: every method built on the hierarchy leaves it "
        "out of the total"]  # b1 and b2 are B's: only the area is named
    shutil.copy(case("capitalised-headers") / "lower-case" / "values.csv", values)
    [warning] = cityindex.load_dataset(folder).warnings
    assert (warning.file, warning.row, warning.column) == (
        str(folder / "categories.csv"), 4, "category_id")
    assert warning.message == ("category 'b2' has no value in edition 2024: its area's score "
                               "leaves it out")
