"""Own weights (issue 10's first part): area and category weights overridden in the API, on the
command line and in the export record, checked against hand-computed scores on the tiny
fixture (areas V and M; see tests/test_methods.py for the scaled values)."""

from __future__ import annotations

import json
import re

import pytest

import cityindex
from cityindex.cli import main
from cityindex.export import ranking_methodology
from cityindex.hierarchy import WeightError

V = {"A1": 250 / 3 + 2.5, "B2": 100 / 3 + 5, "C3": 50.0}  # bitkom's area V with the bonus
M = {"A1": 0.0, "C3": 100.0}  # B2 has no value in M


def test_area_weights_change_the_total(tiny):
    r = cityindex.score(tiny, "bitkom", weights={"V": 3, "M": 1})
    assert r.table["total"].to_dict() == pytest.approx(
        {"A1": 3 * V["A1"] / 4, "B2": V["B2"], "C3": (3 * 50 + 100) / 4})
    assert r.weight_overrides == {"V": 3.0, "M": 1.0}
    assert r.weights.sum() == pytest.approx(1 + 0.05 * 3 / 4)  # the bonus sits on V's 3/4


def test_a_category_weight_of_zero_drops_the_category(tiny):
    r = cityindex.score(tiny, "bitkom", weights={"v2": 0})
    # V = v1 + 0.05 * vp: A 75 + 2.5, B 50 + 5, C 25 + 0
    assert r.table["V"].to_dict() == pytest.approx({"A1": 77.5, "B2": 55.0, "C3": 25.0})
    assert r.weights["i3"] == 0.0


def test_own_weights_never_claim_the_published_total(tiny):
    assert cityindex.score(tiny, "bitkom").table.at["C3", "provenance"] == "published"
    same = cityindex.score(tiny, "bitkom", weights={"V": 1, "M": 1})
    assert same.table.at["C3", "provenance"] != "published"


@pytest.mark.parametrize(
    ("weights", "marker"),
    [
        ({}, "published rank"),
        ({"V": 3, "M": 1}, "published rank"),  # area weights enter the total only
        ({"m1": 2}, "published rank"),  # a category of the other area
        ({"v2": 0}, "computed"),  # a category of V: V's score is no longer Bitkom's
        ({"i3": 2}, "computed"),  # an indicator of V
    ],
)
def test_an_area_score_keeps_its_published_marker_unless_a_weight_below_it_changed(
        tiny, weights, marker):
    """A1 is first in area V as published (rank only; V: A 86.7, B 38.3, C 50). Own area
    weights leave every area score as Bitkom computes it, so its marker stays; a weight inside
    V changes V's score, and its marker goes."""
    r = cityindex.score(tiny, "bitkom", weights=weights)
    assert r.table.at["A1", "V_provenance"] == marker
    assert r.table.at["A1", "M_provenance"] == "computed"  # nothing published for M


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"Verwaltung": 2}, "'Verwaltung' is no area, category or indicator of edition 2024 "
                            "(did you mean 'V'?)"),
        ({"M": -1}, "weight M=-1 must be a finite number ≥ 0"),
        ({"M": "many"}, "weight M='many' is not a number"),
        ({"V": 0, "M": 0}, "every area weight is 0: nothing is left to average"),
        ({"v1": 0, "v2": 0}, "area 'V' has weight but all its categories weigh 0"),
    ],
)
def test_unusable_weights_are_one_clear_error(tiny, weights, message):
    with pytest.raises(WeightError, match=re.escape(message)):
        cityindex.score(tiny, "bitkom", weights=weights)


def test_only_hierarchical_methods_take_weights(tiny):
    with pytest.raises(WeightError, match="method 'equal_weights' does not use the hierarchy"):
        cityindex.score(tiny, "equal_weights", weights={"V": 2})
    r = cityindex.score(tiny, "geometric", weights={"M": 0})
    # only V counts: the geometric mean of one area is that area (no projects bonus here)
    assert r.table["total"].to_dict() == pytest.approx(
        {"A1": 250 / 3, "B2": 100 / 3, "C3": 50.0})


def test_weights_on_the_command_line_and_in_the_record(capsys, tiny, tiny_dir):
    code = main(["rank", "--data", str(tiny_dir), "-w", "V=3", "--weight", "M=1",
                 "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    totals = {c["city_id"]: c["total"] for c in out["cities"]}
    assert totals["C3"] == pytest.approx(62.5)
    assert out["methodology"]["methods"][0]["weights"] == {"V": 3.0, "M": 1.0}

    assert main(["rank", "--data", str(tiny_dir), "-w", "V=3"]) == 0
    assert "own weights V=3" in capsys.readouterr().out
    assert main(["rank", "--data", str(tiny_dir), "-w", "V=lots"]) == 2
    assert capsys.readouterr().err == ("cityindex: error: --weight 'V=lots': 'lots' is not a "
                                       "number\n")
    assert main(["rank", "--data", str(tiny_dir), "-w", "X=1"]) == 2
    assert "'X' is no area, category or indicator" in capsys.readouterr().err

    record = ranking_methodology(cityindex.score(tiny, "bitkom", weights={"M": 2}), tiny)
    assert record["methods"][0]["weights"] == {"M": 2.0}
