"""External check of the scoring engine against COINr, the JRC's R package for composite
indicators (tests/fixtures/coinr, a copy of shared/peer/coinr)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cityindex

COINR = Path(__file__).parent / "fixtures" / "coinr"
TOL = 1e-9


def write_coinr_as_cityindex(target: Path) -> Path:
    """Convert COINr's tables into the cityindex dataset format (a folder of CSV files)."""
    ind = pd.read_csv(COINR / "indicators.csv")
    cat = pd.read_csv(COINR / "categories.csv")
    val = pd.read_csv(COINR / "values.csv")
    area_names = list(dict.fromkeys(cat["area"]))
    area_id = {name: f"A{i + 1}" for i, name in enumerate(area_names)}
    units = sorted(val["unit"].unique())
    target.mkdir()
    pd.DataFrame({"city_id": units, "name": units}).to_csv(target / "cities.csv", index=False)
    pd.DataFrame(
        {"area_id": [area_id[a] for a in area_names], "name_de": area_names, "weight": 1}
    ).to_csv(target / "areas.csv", index=False)
    pd.DataFrame(
        {"category_id": cat["category"], "area_id": cat["area"].map(area_id),
         "name_de": cat["category"], "weight": cat["weight"]}
    ).to_csv(target / "categories.csv", index=False)
    pd.DataFrame(
        {"indicator_id": ind["indicator"], "category_id": ind["category"],
         "name_de": ind["indicator"], "kind": ind["kind"].replace({"yesno": "yes_no"}),
         "direction": ind["direction"], "weight": ind["weight"], "service": ind["service"]}
    ).to_csv(target / "indicators.csv", index=False)
    val.rename(columns={"unit": "city_id", "indicator": "indicator_id"}).assign(
        edition=2024, provenance="user", source="COINr fixture"
    ).to_csv(target / "values.csv", index=False)
    return target


@pytest.fixture(scope="module")
def coinr_data(tmp_path_factory):
    return cityindex.load_dataset(write_coinr_as_cityindex(tmp_path_factory.mktemp("c") / "d"))


@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(COINR / "coinr_results.csv").set_index("unit").sort_index()


def test_bitkom_matches_coinr(coinr_data, expected):
    result = cityindex.score(coinr_data, "bitkom", params={"projects_bonus": 0})
    table = result.table.reindex(expected.index)
    assert np.abs(table["total"] - expected["total"]).max() < TOL
    for i, area in enumerate(result.area_names.values()):
        assert np.abs(table[f"A{i + 1}"] - expected[area]).max() < TOL, area
    assert (table["rank"] == expected["rank"]).all()


def test_bitkom_categories_match_coinr(coinr_data):
    expected = pd.read_csv(COINR / "coinr_categories.csv").set_index("unit").sort_index()
    result = cityindex.score(coinr_data, "bitkom", params={"projects_bonus": 0})
    got = result.categories.reindex(index=expected.index, columns=expected.columns)
    assert np.abs(got.to_numpy() - expected.to_numpy()).max() < TOL


def test_equal_weights_matches_coinr_flat_mean(coinr_data, expected):
    table = cityindex.score(coinr_data, "equal_weights").table.reindex(expected.index)
    assert np.abs(table["total"] - expected["flat_mean"]).max() < TOL
    assert (table["rank"] == expected["flat_rank"]).all()
