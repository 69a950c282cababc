"""The authors' toolkit: the hierarchy's building blocks by hand, indicators without variation,
and the plugin test helper on the built-ins, both examples and methods that break the rules.

The tiny fixture (tests/fixtures/tiny, see tests/test_methods.py) scaled min-max:
    i1 A 0, B 50, C 100   (v1, weight 1)      i2 A 100, B 50, C 0   (v1, weight 3)
    i3 A 100, B 0, C 100  (v2)                i4 A 50, B 100, C 0   (vp, projects)
    i5 A 0, B -, C 100    (m1)
Categories v1 (2), v2 (1), vp (1, projects) in area V; m1 in area M; areas weigh 1 each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cityindex
from cityindex import Method, MethodOutput
from cityindex.hierarchy import (
    aggregate,
    area_scores,
    category_scores,
    effective_weights,
    indicator_weights,
    total_score,
)
from cityindex.scoring import informative, scale
from cityindex.testing import check_method

REPO = Path(__file__).resolve().parent.parent
nan = np.nan


@pytest.fixture
def data(tiny):
    return tiny.edition_data(2024)


@pytest.fixture
def scores(data):
    return scale(data.values, data.direction)


def test_category_scores(data, scores):
    cats = category_scores(data, scores)
    # v1 = (1*i1 + 3*i2)/4; v2 = i3; vp = i4; m1 = i5
    np.testing.assert_allclose(cats, [[75, 100, 50, 0], [50, 0, 100, nan], [25, 100, 0, 100]])


def test_area_scores_with_the_projects_bonus(data, scores):
    cats = category_scores(data, scores)
    areas = area_scores(data, cats, projects_bonus=0.05)
    # V = (2*v1 + v2)/3 + 0.05*vp; M = m1
    np.testing.assert_allclose(areas, [[250 / 3 + 2.5, 0], [100 / 3 + 5, nan], [50, 100]])
    no_bonus = area_scores(data, cats)
    np.testing.assert_allclose(no_bonus[:, 0], [250 / 3, 100 / 3, 50])
    capped = area_scores(data, np.array([[100.0, 100.0, 100.0, 50.0]]), projects_bonus=0.2)
    assert capped[0, 0] == 100.0  # 100 + 20 is capped at 100


def test_total_with_overridden_area_weights(data, scores):
    areas = area_scores(data, category_scores(data, scores), projects_bonus=0.05)
    total = total_score(data, areas, area_weights=np.array([3.0, 1.0]))
    # A: (3*85.83 + 0)/4; B: M missing, so V alone; C: (3*50 + 100)/4
    np.testing.assert_allclose(total, [3 * (250 / 3 + 2.5) / 4, 100 / 3 + 5, 62.5])
    zero = total_score(data, areas, missing="zero")
    assert zero[1] == pytest.approx((100 / 3 + 5) / 2)


def test_effective_weights_by_hand(data):
    w = effective_weights(data, projects_bonus=0.05)
    # area 1/2; in V: v1 2/3, v2 1/3; in v1: i1 1/4, i2 3/4; i4 is the bonus 0.05 of V's half
    np.testing.assert_allclose(w, [1 / 12, 1 / 4, 1 / 6, 0.025, 1 / 2])
    assert w.sum() == pytest.approx(1.025)
    assert effective_weights(data).sum() == pytest.approx(1.0)
    custom = effective_weights(data, category_weights=np.array([1.0, 1.0, 0.0, 1.0]),
                               area_weights=np.array([1.0, 3.0]))
    np.testing.assert_allclose(custom, [1 / 32, 3 / 32, 1 / 8, 0, 3 / 4])


def test_aggregate_is_what_bitkom_returns(tiny, data, scores):
    h = aggregate(data, scores, projects_bonus=0.05)
    result = cityindex.score(tiny, "bitkom")
    np.testing.assert_allclose(h.total, result.table["total"].reindex(data.city_ids))
    np.testing.assert_allclose(h.weights, result.weights.to_numpy())
    with pytest.raises(ValueError, match="unknown missing-value policy 'drop'"):
        aggregate(data, scores, missing="drop")


def test_informative():
    values = np.array([[1.0, 5.0, nan, 2.0], [1.0, 5.0, nan, nan], [1.0, 6.0, nan, nan]])
    assert informative(values).tolist() == [False, True, False, False]


# --- an indicator without variation changes no city's relative position -----------------------


def with_constant_indicator(tiny_dir, tmp_path, category="v1", kind="count", value="7",
                            service="0"):
    """The tiny dataset plus an indicator i6 on which every city has the same value."""
    target = tmp_path / "tiny"
    target.mkdir()
    for f in tiny_dir.glob("*.csv"):
        (target / f.name).write_text(f.read_text())
    with (target / "indicators.csv").open("a") as out:
        out.write(f"i6,{category},Konstant,Constant,n,{kind},1,5,{service}\n")
    with (target / "values.csv").open("a") as out:
        for city in ("A1", "B2", "C3"):
            out.write(f"2024,{city},i6,{value},published,https://example.org\n")
    return cityindex.load_dataset(target)


@pytest.mark.parametrize(
    ("method", "params"),
    [("bitkom", {}), ("bitkom", {"missing": "zero"}), ("bitkom", {"scaling": "share_of_best"}),
     ("equal_weights", {}), ("equal_weights", {"missing": "zero"}), ("geometric", {})],
)
def test_an_indicator_without_variation_gets_no_weight(tiny, tiny_dir, tmp_path, method,
                                                       params):
    plain = cityindex.score(tiny, method, params=params)
    more = cityindex.score(with_constant_indicator(tiny_dir, tmp_path), method, params=params)
    assert more.weights["i6"] == 0.0
    pd.testing.assert_series_equal(more.table["total"], plain.table["total"])
    pd.testing.assert_series_equal(more.table["rank"], plain.table["rank"])


def test_service_coverage_and_a_service_every_city_offers(tiny, tiny_dir, tmp_path):
    data = with_constant_indicator(tiny_dir, tmp_path, category="v2", kind="yes_no", value="1",
                                   service="1")
    # not_offered: coverage is absolute, so it counts, adding the same to every city. Services
    # i3 (yes/no), i5 (share, B2 missing = not offered) and i6: A (100 + 40 + 100)/3,
    # B (0 + 0 + 100)/3, C (100 + 80 + 100)/3, against A 70, B 0, C 90 before.
    plain = cityindex.score(tiny, "service_coverage")
    more = cityindex.score(data, "service_coverage")
    assert plain.table["total"].to_dict() == pytest.approx({"A1": 70.0, "B2": 0.0, "C3": 90.0})
    assert more.table["total"].to_dict() == pytest.approx(
        {"A1": 80.0, "B2": 100 / 3, "C3": 280 / 3})
    pd.testing.assert_series_equal(more.table["rank"], plain.table["rank"])
    # skip: it would shift B2 (one value fewer) against the others, so it gets no weight
    skip_plain = cityindex.score(tiny, "service_coverage", params={"missing": "skip"})
    skip_more = cityindex.score(data, "service_coverage", params={"missing": "skip"})
    assert skip_more.weights["i6"] == 0.0
    pd.testing.assert_series_equal(skip_more.table["total"], skip_plain.table["total"])


# --- the plugin test helper -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bitkom", "equal_weights", "service_coverage", "geometric"])
def test_the_builtins_keep_the_method_contract(name):
    check_method(cityindex.get_registry().method(name))


@pytest.mark.parametrize(
    ("folder", "module", "cls"),
    [("cityindex-median", "cityindex_median", "MedianScore"),
     ("cityindex-weakest-area", "cityindex_weakest_area", "WeakestArea")],
)
def test_both_examples_keep_the_method_contract(monkeypatch, folder, module, cls):
    monkeypatch.syspath_prepend(str(REPO / "examples" / folder))
    method = getattr(__import__(module), cls)()
    check_method(method)


class Base(Method):
    name = "base"
    title = "Mean of the scaled values"
    description = "A test method."

    def score(self, data, params):
        scores = scale(data.values, data.direction)
        total = np.nanmean(np.where(np.isnan(scores), 0.0, scores), axis=1)
        return MethodOutput(total=total, weights=indicator_weights(data) / data.shape[1])


def broken(name, score):
    return type(name, (Base,), {"name": name, "score": score})()


@pytest.mark.parametrize(
    ("method", "message"),
    [
        (broken("writes", lambda self, data, params: (
            data.values.__setitem__((0, 0), 1.0), Base.score(self, data, params))[1]),
         "the method writes to its input data, which is read-only"),
        (broken("random", lambda self, data, params: MethodOutput(
            np.random.default_rng().random(data.shape[0]), np.ones(data.shape[1]))),
         "not deterministic: two runs on the same input give different total"),
        (broken("by_row", lambda self, data, params: MethodOutput(
            np.arange(data.shape[0], dtype=float), np.ones(data.shape[1]))),
         "the totals depend on the order of the cities"),
        (broken("picky", lambda self, data, params: MethodOutput(
            np.where(np.arange(data.shape[0]) == 0, np.nan, 1.0), np.ones(data.shape[1]))),
         "no score for 1 of 81 cities"),
        (broken("fragile", lambda self, data, params: MethodOutput(
            np.array([float(np.nansum(row)) / int((~np.isnan(row)).sum()) for row in data.values]),
            np.ones(data.shape[1]))),
         "method 'fragile' failed on edition 2019: ZeroDivisionError: float division by zero "
         "(with a city that has no values)"),
    ],
)
def test_the_helper_names_the_rule_a_method_breaks(method, message):
    check_method(Base())  # the well-behaved baseline passes
    with pytest.raises(AssertionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_method(method)
