"""Loading and validating a dataset folder: every problem names its file, row and column,
and validation never changes the user's files."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

import cityindex
import cityindex.cli
from cityindex import DatasetError


def edit(folder, filename, old, new):
    path = folder / filename
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {filename}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder) -> list[str]:
    with pytest.raises(DatasetError) as info:
        cityindex.load_dataset(folder)
    return [str(p) for p in info.value.problems]


def test_loads_the_tiny_fixture(tiny):
    assert list(tiny.cities.index) == ["A1", "B2", "C3"]
    assert tiny.editions == [2024]
    assert tiny.edition_cities(2024) == ["A1", "B2", "C3"]
    cat = tiny.catalogue(2024)
    assert list(cat.indicators.index) == ["i1", "i2", "i3", "i4", "i5"]
    assert cat.indicators.loc["i5", "area_id"] == "M"
    assert bool(cat.categories.loc["vp", "projects"]) is True
    data = tiny.edition_data(2024)
    assert data.shape == (3, 5)
    assert np.isnan(data.values[1, 4])
    assert data.direction.tolist() == [1, -1, 1, 1, 1]
    assert tiny.published_results(2024).loc["C3", "points"] == 75.0


def test_city_rows_are_the_rows_of_one_city(tiny):
    values = tiny.city_rows("values", "B2", 2024)
    assert values["indicator_id"].astype(str).tolist() == ["i1", "i2", "i3", "i4", "i5"]
    assert (values["city_id"] == "B2").all()
    assert values.index.tolist() == tiny.values.index[tiny.values["city_id"] == "B2"].tolist()
    published = tiny.city_rows("published", "C3")  # every edition
    assert published["status"].tolist() == ["used", "alternative"]
    assert published["points"].tolist()[0] == 75.0
    assert tiny.city_rows("published", "B2", 2024).empty  # Bitkom published nothing for B2
    assert tiny.city_rows("values", "Z9", 2024).empty
    assert tiny.city_rows("values", "A1", 2023).empty  # an edition without values
    assert list(tiny.city_rows("values", "Z9", 2024).columns) == list(tiny.values.columns)
    with pytest.raises(ValueError, match="'values' or 'published'"):
        tiny.city_rows("cities", "A1")


@pytest.mark.parametrize(
    ("filename", "old", "new", "expected"),
    [
        ("values.csv", "2024,A1,i2,1,", "2024,A1,i2,abc,",
         "values.csv, row 3, column 'value': 'abc' is not a number"),
        ("values.csv", "2024,A1,i2,1,", "2024,A1,i2,inf,",
         "values.csv, row 3, column 'value': 'inf' is not finite"),
        ("values.csv", "2024,A1,i1,10,", "2024,A1,i1,130,",
         "values.csv, row 2, column 'value': 130.0 is a share but lies outside 0–100"),
        ("values.csv", "2024,A1,i3,1,", "2024,A1,i3,2,",
         "values.csv, row 4, column 'value': 2.0 is a yes/no value but neither 0 nor 1"),
        ("values.csv", "2024,A1,i2,1,", "2024,A1,i1,1,",
         "values.csv, row 3, column 'indicator_id': duplicate row for (edition, city_id, "
         "indicator_id) = (2024, A1, i1); first given in row 2"),
        ("values.csv", "2024,B2,i1,20,", "2024,Z9,i1,20,",
         "values.csv, row 7, column 'city_id': 'Z9' is not in cities.csv"),
        ("values.csv", "2024,B2,i1,20,", "2024,B2,i9,20,",
         "values.csv, row 7, column 'indicator_id': 'i9' is not in indicators.csv in that edition"),
        ("values.csv", "2024,B2,i1,20,modeled", "2024,B2,i1,20,guessed",
         "values.csv, row 7, column 'provenance': 'guessed' is not one of published, user, "
         "imputed, modeled"),
        ("values.csv", "2024,B2,i1,20,", "twenty,B2,i1,20,",
         "values.csv, row 7, column 'edition': 'twenty' is not a number"),
        ("indicators.csv", "i2,v1,Wartezeit,Waiting time,days,count,-1",
         "i2,v1,Wartezeit,Waiting time,days,count,down",
         "indicators.csv, row 3, column 'direction': 'down' is not one of 1, -1"),
        ("indicators.csv", "i2,v1,", "i2,v7,",
         "indicators.csv, row 3, column 'category_id': 'v7' is not in categories.csv in that "
         "edition"),
        ("indicators.csv", ",share,1,1,0", ",percent,1,1,0",
         "indicators.csv, row 2, column 'kind': 'percent' is not one of yes_no, share, count, "
         "score"),
        ("categories.csv", "v2,V,Termine,Appointments,1,0", "v2,V,Termine,Appointments,-1,0",
         "categories.csv, row 3, column 'weight': weight -1.0 is negative"),
        ("cities.csv", "B2,Bstadt", "A1,Bstadt",
         "cities.csv, row 3, column 'city_id': duplicate city for (city_id) = (A1); first given "
         "in row 2"),
        ("cities.csv", "C3,Cburg", "C 3,Cburg",
         "cities.csv, row 4, column 'city_id': 'C 3' is not a valid id"),
        ("published.csv", "2024,A1,total,2,,,used", "2024,A1,overall,2,,,used",
         "published.csv, row 4, column 'scope': 'overall' is neither 'total' nor an area or "
         "category of that edition"),
        ("published.csv", "2024,C3,total,2,,,alternative", "2024,C3,total,2,,,used",
         "published.csv, row 3, column 'scope': duplicate used row for (edition, city_id, scope)"),
        ("areas.csv", "area_id,name_de", "area,name_de",
         "areas.csv, row 1, column 'area_id': required column is missing"),
    ],
)
def test_bad_input_is_located(tiny_copy, filename, old, new, expected):
    edit(tiny_copy, filename, old, new)
    found = problems(tiny_copy)
    assert any(p.startswith(str(tiny_copy / expected.split(",")[0])) for p in found), found
    assert any(expected.split(", ", 1)[1] in p for p in found), found


def test_every_problem_is_listed(tiny_copy):
    edit(tiny_copy, "values.csv", "2024,A1,i2,1,", "2024,A1,i2,x,")
    edit(tiny_copy, "values.csv", "2024,C3,i5,80,", "2024,C3,i5,y,")
    edit(tiny_copy, "cities.csv", "C3,Cburg,Südland,300000", "C3,Cburg,Südland,many")
    found = problems(tiny_copy)
    assert len(found) == 3
    assert [p.split("/")[-1] for p in found] == [
        "cities.csv, row 4, column 'population': 'many' is not a number",
        "values.csv, row 3, column 'value': 'x' is not a number",
        "values.csv, row 16, column 'value': 'y' is not a number",
    ]


def test_a_bad_cell_does_not_hide_the_checks_across_files(tiny_copy, capsys):
    """A cell that cannot be read is reported and counts as empty from then on: the unknown
    city two rows below is listed in the same run, by load_dataset and by validate."""
    edit(tiny_copy, "values.csv", "2024,A1,i2,1,", "2024,A1,i2,abc,")  # row 3
    edit(tiny_copy, "values.csv", "2024,A1,i4,50,", "2024,X9,i4,50,")  # row 5
    values = tiny_copy / "values.csv"
    assert problems(tiny_copy) == [
        f"{values}, row 3, column 'value': 'abc' is not a number",
        f"{values}, row 5, column 'city_id': 'X9' is not in cities.csv",
    ]
    assert cityindex.cli.main(["validate", str(tiny_copy)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{values}, row 3, column 'value': 'abc' is not a number",
        f"{values}, row 5, column 'city_id': 'X9' is not in cities.csv  → add it to "
        "cities.csv, or correct the spelling",
    ]
    assert err == f"{tiny_copy}: 2 problems found\n"


def test_bad_cells_in_several_files_are_listed_with_the_cross_file_problems(tiny_copy):
    edit(tiny_copy, "cities.csv", "C3,Cburg,Südland,300000", "C3,Cburg,Südland,many")
    edit(tiny_copy, "categories.csv", "v2,V,", "v2,W,")  # an area that does not exist
    edit(tiny_copy, "values.csv", "2024,B2,i1,20,", "2024,B2,i9,20,")  # row 7
    edit(tiny_copy, "published.csv", "2024,A1,V,1,", "2024,A1,V,first,")  # row 5
    assert [p.split("/")[-1] for p in problems(tiny_copy)] == [
        "cities.csv, row 4, column 'population': 'many' is not a number",
        "published.csv, row 5, column 'rank': 'first' is not a number",
        "categories.csv, row 3, column 'area_id': 'W' is not in areas.csv in that edition",
        "values.csv, row 7, column 'indicator_id': 'i9' is not in indicators.csv in that "
        "edition",
    ]


@pytest.mark.parametrize(
    ("filename", "old", "new", "expected"),
    [
        # an edition that is not a year: not also "edition 2024 has 2 cities" or a duplicate
        ("values.csv", "2024,A1,i1,10,", "twenty,A1,i1,10,",
         "values.csv, row 2, column 'edition': 'twenty' is not a number"),
        # an invalid id: not also "'' is not in cities.csv"
        ("values.csv", "2024,B2,i1,20,", "2024,B 2,i1,20,",
         "values.csv, row 7, column 'city_id': 'B 2' is not a valid id (letters, digits, '_', "
         "'.', '-'; no spaces)"),
        ("values.csv", "2024,B2,i1,20,", "2024,,i1,20,",
         "values.csv, row 7, column 'city_id': a value is required here"),
        # the only area that weighs more than 0: not also "every area weighs 0"
        ("areas.csv", "V,Verwaltung,Administration,1", "V,Verwaltung,Administration,one",
         "areas.csv, row 2, column 'weight': 'one' is not a number"),
        # a rank that cannot be read is there: not also "a row needs a rank, points, …"
        ("published.csv", "2024,A1,total,2,", "2024,A1,total,second,",
         "published.csv, row 4, column 'rank': 'second' is not a number"),
    ],
)
def test_a_bad_cell_is_reported_once(tiny_copy, filename, old, new, expected):
    edit(tiny_copy, "areas.csv", "M,Mobilität,Mobility,1", "M,Mobilität,Mobility,0")
    edit(tiny_copy, filename, old, new)
    assert [p.split("/")[-1] for p in problems(tiny_copy)] == [expected]


def test_a_file_that_is_not_whole_is_left_out_of_the_checks_across_files(tiny_copy):
    """A missing required column or a row that could not be read would make every look-up
    in that file a follow-on error; the checks of the other files still run."""
    edit(tiny_copy, "cities.csv", "C3,Cburg,Südland", "C3,Cburg,Süd,land")  # ragged row 4
    edit(tiny_copy, "values.csv", "edition,city_id", "editon,city_id")
    edit(tiny_copy, "categories.csv", "v2,V,", "v2,W,")
    edit(tiny_copy, "published.csv", "2024,C3,total,2,,,alternative", "2024,C3,total,2,,,used")
    assert [p.split("/")[-1] for p in problems(tiny_copy)] == [
        "cities.csv, row 4: has 9 fields but the header has 8",
        "values.csv, row 1, column 'editon': unknown column 'editon': did you mean 'edition'?",
        "values.csv, row 1, column 'edition': required column is missing",
        "categories.csv, row 3, column 'area_id': 'W' is not in areas.csv in that edition",
        "published.csv, row 3, column 'scope': duplicate used row for (edition, city_id, "
        "scope) = (2024, C3, total); first given in row 2",
    ]


def test_missing_and_unreadable_files(tiny_copy, tmp_path):
    (tiny_copy / "areas.csv").unlink()
    assert problems(tiny_copy) == [f"{tiny_copy / 'areas.csv'}: required file is missing"]
    # not UTF-8: bytes that are not text at all are a problem, Latin-1 text is read with a warning
    (tiny_copy / "areas.csv").write_bytes(b"area_id,name_de\x00\x00\nV,x\n")
    [p] = problems(tiny_copy)
    assert p == f"{tiny_copy / 'areas.csv'}: is not a text file (it contains NUL bytes)"
    (tiny_copy / "areas.csv").write_bytes(
        "area_id,name_de\nV,Bürgerdienste\nM,Mobilität\n".encode("latin-1"))
    data = cityindex.load_dataset(tiny_copy)
    assert data.areas["name_de"].tolist() == ["Bürgerdienste", "Mobilität"]
    [warning] = data.warnings
    assert str(warning).startswith(f"{tiny_copy / 'areas.csv'}: is not UTF-8; read as cp1252")
    (tiny_copy / "areas.csv").write_text("")
    assert problems(tiny_copy) == [
        f"{tiny_copy / 'areas.csv'}: is empty: a header row is required"
    ]
    assert problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: does not exist"]


def test_validation_never_changes_the_files(tiny_copy):
    edit(tiny_copy, "values.csv", "2024,A1,i2,1,", "2024,A1,i2,abc,")

    def digest():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tiny_copy.iterdir()}

    before = digest()
    problems(tiny_copy)
    cityindex.cli.main(["validate", str(tiny_copy)])
    assert digest() == before


def test_catalogue_without_edition_column_holds_for_every_edition(tiny_copy):
    values = pd.read_csv(tiny_copy / "values.csv")
    later = values.assign(edition=2025)
    pd.concat([values, later]).to_csv(tiny_copy / "values.csv", index=False)
    data = cityindex.load_dataset(tiny_copy)
    assert data.editions == [2024, 2025]
    assert list(data.catalogue(2025).indicators.index) == ["i1", "i2", "i3", "i4", "i5"]
    with pytest.raises(cityindex.UnknownEditionError, match="has 2024, 2025"):
        data.catalogue(2019)


def test_per_edition_catalogue_must_cover_every_edition(tiny_copy):
    for name in ("areas.csv", "categories.csv", "indicators.csv"):
        frame = pd.read_csv(tiny_copy / name)
        frame.insert(0, "edition", 2024)
        frame.to_csv(tiny_copy / name, index=False)
    values = pd.read_csv(tiny_copy / "values.csv")
    pd.concat([values, values.assign(edition=2025)]).to_csv(
        tiny_copy / "values.csv", index=False
    )
    found = problems(tiny_copy)
    assert any("edition 2025 has values but no indicators in the catalogue" in p for p in found)


def test_participation_restricts_the_edition(tiny_copy):
    (tiny_copy / "participation.csv").write_text("edition,city_id\n2024,A1\n2024,C3\n")
    found = problems(tiny_copy)
    # B2 has values in 2024 but did not take part: every such value row is reported
    assert sum("'B2' is not in participation.csv" in p for p in found) == 5


def test_a_category_whose_indicators_all_weigh_zero(tiny_copy):
    edit(tiny_copy, "indicators.csv", "share,1,1,0", "share,1,0,0")  # i1, row 2
    edit(tiny_copy, "indicators.csv", "count,-1,3,0", "count,-1,0,0")  # i2, row 3
    assert problems(tiny_copy) == [
        f"{tiny_copy / 'indicators.csv'}, row 2, column 'weight': category 'v1' has no weight "
        "left: its indicators (rows 2, 3) all weigh 0"]


def test_loading_the_bundled_data_gives_no_warning():
    assert cityindex.load_dataset().warnings == ()
