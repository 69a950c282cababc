"""Checks of the published-results layer in data/: cities, participation, editions,
published figures and the state map."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
REFERENCE = REPO.parent / "shared" / "reference"
AREAS = {"verwaltung", "it_kommunikation", "energie_umwelt", "mobilitaet", "gesellschaft"}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def cities() -> pd.DataFrame:
    return read("cities.csv")


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return read("published.csv")


@pytest.fixture(scope="module")
def participation() -> pd.DataFrame:
    return read("participation.csv")


def ids(cities: pd.DataFrame) -> dict[str, str]:
    return dict(zip(cities["name"], cities["city_id"], strict=True))


# ----------------------------------------------------------------------------- cities
def test_cities_columns_and_keys(cities):
    assert list(cities.columns) == [
        "city_id",
        "name",
        "state",
        "population",
        "population_year",
        "lat",
        "lon",
        "source",
    ]
    assert len(cities) == 83
    assert cities["city_id"].is_unique
    assert cities["city_id"].str.fullmatch(r"\d{8}").all()
    assert cities["name"].is_unique


def test_known_keys(cities):
    known = {
        "Dortmund": "05913000",
        "Hamburg": "02000000",
        "Berlin": "11000000",
        "München": "09162000",
        "Hannover": "03241001",
        "Aachen": "05334002",
        "Saarbrücken": "10041100",
    }
    got = ids(cities)
    for name, key in known.items():
        assert got[name] == key
    # the first two digits are the state
    state_codes = {
        "Schleswig-Holstein": "01",
        "Hamburg": "02",
        "Niedersachsen": "03",
        "Bremen": "04",
        "Nordrhein-Westfalen": "05",
        "Hessen": "06",
        "Rheinland-Pfalz": "07",
        "Baden-Württemberg": "08",
        "Bayern": "09",
        "Saarland": "10",
        "Berlin": "11",
        "Brandenburg": "12",
        "Mecklenburg-Vorpommern": "13",
        "Sachsen": "14",
        "Sachsen-Anhalt": "15",
        "Thüringen": "16",
    }
    for _, row in cities.iterrows():
        assert row["city_id"][:2] == state_codes[row["state"]], row["name"]


def test_every_mentioned_city_present(cities):
    mentioned = (
        pd.read_csv(REFERENCE / "cities_mentioned.csv", dtype=str)["city"]
        if REFERENCE.exists()
        else []
    )
    names = set(cities["name"])
    missing = [c for c in mentioned if c not in names]
    assert not missing


def test_population_only_with_year_and_source(cities):
    for _, row in cities.iterrows():
        if row["population"]:
            assert int(row["population"]) > 0
            assert row["population_year"].isdigit()
            assert "population: http" in row["source"]
        else:
            assert row["population_year"] == ""


def test_coordinates_in_germany(cities):
    assert cities["lat"].astype(float).between(47.2, 55.1).all()
    assert cities["lon"].astype(float).between(5.8, 15.1).all()


# ----------------------------------------------------------------------------- participation
def test_participation_counts(participation, cities):
    counts = participation.groupby("edition").size().to_dict()
    assert counts == {
        "2019": 81,
        "2020": 81,
        "2021": 81,
        "2022": 81,
        "2023": 81,
        "2024": 82,
        "2025": 83,
    }
    assert not participation.duplicated(["edition", "city_id"]).any()
    assert set(participation["city_id"]) <= set(cities["city_id"])
    assert (participation["basis"] != "").all()


def test_participation_changes(participation, cities):
    key = ids(cities)
    members = {e: set(g["city_id"]) for e, g in participation.groupby("edition")}
    assert key["Kaiserslautern"] not in members["2019"] and key["Kaiserslautern"] in members["2020"]
    assert key["Hanau"] not in members["2023"] and key["Hanau"] in members["2024"]
    assert key["Cottbus"] not in members["2024"] and key["Cottbus"] in members["2025"]
    assert members["2020"] == members["2021"] == members["2022"] == members["2023"]


def test_published_cities_took_part(published, participation):
    members = set(zip(participation["edition"], participation["city_id"], strict=True))
    outside = [
        (e, c)
        for e, c in zip(published["edition"], published["city_id"], strict=True)
        if (e, c) not in members
    ]
    assert not outside


# ----------------------------------------------------------------------------- editions
def test_editions():
    editions = read("editions.csv")
    assert list(editions.columns) == [
        "edition",
        "title",
        "published_on",
        "n_cities",
        "n_categories",
        "n_indicators",
        "source",
        "note",
        "note_de",
    ]
    assert editions["edition"].tolist() == [str(y) for y in range(2019, 2026)]
    assert editions["n_cities"].tolist() == ["81"] * 5 + ["82", "83"]
    assert editions["n_categories"].tolist() == ["35", "38", "36", "36", "37", "37", "37"]
    assert editions["n_indicators"].tolist() == ["96", "136", "133", "133", "157", "162", "163"]
    assert editions["published_on"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()


# ----------------------------------------------------------------------------- published
def test_published_columns_and_values(published, cities):
    assert list(published.columns) == [
        "edition",
        "city_id",
        "scope",
        "rank",
        "points",
        "rank_change",
        "status",
        "source",
        "note",
        "note_de",
    ]
    assert set(published["city_id"]) <= set(cities["city_id"])
    assert set(published["status"]) == {"used", "alternative"}
    scopes = set(published["scope"])
    # category scores quoted by sources: the seed's two for Krefeld and 26 from newspapers
    assert scopes - AREAS - {"total"} == {
        "payment", "projekte_verwaltung", "sharing_angebote", "handytickets", "echtzeitinfo",
        "glasfaser", "elektrogeraete", "strassenbeleuchtung", "smart_waste", "smart_parking",
        "letzte_meile", "oeffentliches_wlan", "smart_culture", "digitalszene", "serviceportal",
        "umweltsensorik", "online_terminvergabe", "startup_hubs", "coworking", "mobilfunk",
        "geoportal",
    }
    assert published["rank"].str.fullmatch(r"(\d+)?").all()
    assert published["rank_change"].str.fullmatch(r"(-?\d+)?").all()
    assert published["points"].str.fullmatch(r"(\d+(\.\d+)?)?").all()
    points = pd.to_numeric(published["points"], errors="coerce").dropna()
    assert points.between(0, 100).all()
    assert (published["source"] != "").all()
    assert not published["points"].str.contains(",").any()


def test_one_used_row_per_key(published):
    used = published[published["status"] == "used"].groupby(["edition", "city_id", "scope"]).size()
    keys = published.groupby(["edition", "city_id", "scope"]).size()
    assert (used == 1).all()
    # a key without a used row: only figures that overrides.csv rules out (kept as alternative)
    unused = set(keys.index) - set(used.index)
    assert unused == {("2022", "03159016", "total")}  # Göttingen's derived rank 42


def test_used_ranks_unique(published):
    used = published[(published["status"] == "used") & (published["rank"] != "")]
    dup = used[used.duplicated(["edition", "scope", "rank"], keep=False)]
    assert dup.empty, dup[["edition", "scope", "rank", "city_id"]].to_string()


def test_used_points_follow_ranks(published):
    used = published[
        (published["status"] == "used") & (published["rank"] != "") & (published["points"] != "")
    ]
    for _, group in used.groupby(["edition", "scope"]):
        ordered = group.assign(
            r=group["rank"].astype(int), p=group["points"].astype(float)
        ).sort_values("r")
        worse_but_more = ordered["p"].diff().dropna() > 0.05 + 1e-9
        assert not worse_but_more.any(), ordered[["r", "city_id", "p"]].to_string()


def row(published, cities, edition, name, scope, status="used"):
    key = ids(cities)[name]
    hit = published[
        (published["edition"] == str(edition))
        & (published["city_id"] == key)
        & (published["scope"] == scope)
        & (published["status"] == status)
    ]
    assert len(hit) >= 1, (edition, name, scope)
    return hit.iloc[0]


@pytest.mark.parametrize(
    "edition,name,scope,rank,points,change",
    [
        (2022, "Bochum", "total", "8", "77.0", "-1"),
        (2022, "Gelsenkirchen", "total", "17", None, "-3"),
        (2022, "Dortmund", "total", "19", None, "3"),
        (2022, "Mülheim an der Ruhr", "total", "74", None, "3"),
        (2022, "Duisburg", "total", "41", None, None),
        (2022, "Duisburg", "verwaltung", "10", None, None),
        (2022, "Hamburg", "total", "1", None, None),
        (2022, "München", "total", "2", None, None),
        (2021, "Krefeld", "energie_umwelt", "77", "23", None),
        (2021, "Krefeld", "verwaltung", None, None, "37"),
        (2021, "Krefeld", "total", None, None, "8"),
        (2021, "Hamburg", "energie_umwelt", None, "78.5", None),
        (2021, "Krefeld", "payment", None, "92.5", None),
        (2021, "Krefeld", "projekte_verwaltung", None, "11.7", None),
    ],
)
def test_seed_facts_present(published, cities, edition, name, scope, rank, points, change):
    r = row(published, cities, edition, name, scope)
    if rank is not None:
        assert r["rank"] == rank
    if points is not None:
        assert float(r["points"]) == float(points)
    if change is not None:
        assert r["rank_change"] == change


def test_seed_bottom_four_energy_2021(published, cities):
    for name in ["Moers", "Hildesheim", "Siegen"]:
        r = row(published, cities, 2021, name, "energie_umwelt")
        assert r["rank"] == "" and "78–81" in r["note"] and "order not published" in r["note"]
    assert row(published, cities, 2021, "Remscheid", "energie_umwelt")["rank"] == "81"


def test_known_conflicts_kept(published, cities):
    # each pair: (edition, city, scope, used rank or points, alternative rank or points)
    assert row(published, cities, 2021, "Gelsenkirchen", "total")["rank"] == "11"
    assert row(published, cities, 2021, "Gelsenkirchen", "total", "alternative")["rank"] == "14"
    assert row(published, cities, 2024, "Leipzig", "total")["rank"] == "22"
    assert row(published, cities, 2024, "Leipzig", "total", "alternative")["rank"] == "23"
    assert row(published, cities, 2024, "Ingolstadt", "total")["rank"] == "23"
    assert row(published, cities, 2024, "Dortmund", "total")["rank"] == "21"
    assert row(published, cities, 2019, "Bochum", "total")["rank"] == "32"
    assert row(published, cities, 2019, "Bochum", "total", "alternative")["rank"] == "39"
    assert row(published, cities, 2020, "Osnabrück", "total")["rank_change"] == "23"
    assert row(published, cities, 2020, "Osnabrück", "total", "alternative")["rank_change"] == "29"
    assert row(published, cities, 2022, "München", "it_kommunikation")["rank"] == "2"
    assert row(published, cities, 2022, "Gelsenkirchen", "it_kommunikation")["rank"] == "1"
    assert row(published, cities, 2022, "Darmstadt", "total")["points"] == "75.3"
    assert row(published, cities, 2021, "Hamburg", "gesellschaft")["points"] == "95.6"
    assert (
        row(published, cities, 2021, "Hamburg", "gesellschaft", "alternative")["points"] == "95.5"
    )
    assert row(published, cities, 2020, "Remscheid", "energie_umwelt")["rank"] == "68"
    assert (
        row(published, cities, 2020, "Remscheid", "energie_umwelt", "alternative")["rank"] == "69"
    )
    assert row(published, cities, 2019, "Darmstadt", "total")["points"] == "61.09"
    assert "5,7" in row(published, cities, 2025, "Hamburg", "total")["note"]


def test_derived_rows_say_so(published):
    reference_derived = published[published["note"].str.contains("derived", case=False)]
    assert len(reference_derived) > 0  # the reference's derived ranks keep their note


# ----------------------------------------------------------------------------- geo
def test_topojson_has_16_states(cities):
    topo = json.loads((DATA / "geo" / "germany-states.topo.json").read_text(encoding="utf-8"))
    assert topo["type"] == "Topology"
    geometries = topo["objects"]["deu"]["geometries"]
    assert len(geometries) == 16
    names = {g["properties"]["name"] for g in geometries}
    assert len(names) == 16
    assert set(cities["state"]) <= names
    assert {g["id"] for g in geometries if g["properties"]["name"] == "Brandenburg"} == {"DE."}


# ----------------------------------------------------------------------------- reproducibility
def test_script_regenerates_outputs(tmp_path):
    if not REFERENCE.exists():  # a laptop checkout without shared/; CI always has it beside
        if os.environ.get("CI") == "true":
            pytest.fail(f"{REFERENCE} is missing: CI must check that the data regenerates")
        pytest.skip("shared/reference not beside the repository")
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "build_reference_data.py"),
            str(REFERENCE),
            "--out",
            str(tmp_path),
            "--quiet",
        ],
        check=True,
    )
    for name in ["published.csv", "cities.csv", "participation.csv", "editions.csv"]:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


@pytest.mark.parametrize("name", ["published.csv", "editions.csv", "statements.csv"])
def test_no_note_sends_a_reader_to_a_file_of_the_project(name):
    """Notes are shown to readers (the city profile, the methods tab): a source is a link or a
    citation they can follow, never a path inside the project (before: 110 published notes
    said "see SOURCES.md" or "see data/sources/bitkom_table_labels.csv" in English)."""
    table = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)
    for column in [c for c in table.columns if c.startswith("note")]:
        paths = table[column].str.contains(r"\.(?:md|csv|py|json)\b|\bdata/|\bscripts/",
                                           regex=True)
        assert not paths.any(), (column, table.loc[paths, column].iloc[0])
    if name == "published.csv":  # the relabelled tables say where to look, in both languages
        inferred = table["note"].str.contains("area label is inferred")
        assert inferred.sum() == 100
        assert table.loc[inferred, "note"].str.contains("see the project's list of sources").all()
        assert table.loc[inferred, "note_de"].str.contains("Quellenverzeichnis des Projekts").all()
