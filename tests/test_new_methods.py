"""The four methods added for issue 10, on small in-memory datasets computed by hand.

Dataset ``three_areas``: cities P, Q, R, S; areas X, Y, Z with one category and one indicator
each (higher is better). Values x = y = 0, 1, 2, 3 and z = 1, 0, 0, 1, so min-max scaled:
    X = Y = 0, 100/3, 200/3, 100        Z = 100, 0, 0, 100
X and Y correlate perfectly, Z is uncorrelated with both (centred x·z = 0).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import cityindex
from cityindex.engine import MethodRaisedError
from cityindex.testing import check_method

NEW = ["copeland", "pca_weights", "benefit_of_doubt", "mazziotta_pareto"]


def make_dataset(values: dict[str, dict[str, float]], area_weights: dict[str, float]):
    """One category and one indicator per area (indicator id = area id in lower case)."""
    areas = list(area_weights)
    cities = list(values)
    return cityindex.dataset_from_frames(
        cities=pd.DataFrame({"city_id": cities, "name": [f"City {c}" for c in cities]}),
        areas=pd.DataFrame({"area_id": areas, "name_de": areas,
                            "weight": [area_weights[a] for a in areas]}),
        categories=pd.DataFrame({"category_id": [a.lower() + "c" for a in areas],
                                 "area_id": areas, "name_de": areas}),
        indicators=pd.DataFrame({"indicator_id": [a.lower() for a in areas],
                                 "category_id": [a.lower() + "c" for a in areas],
                                 "name_de": areas, "kind": "score", "direction": "1"}),
        values=pd.DataFrame([
            {"edition": 2024, "city_id": c, "indicator_id": a.lower(), "value": v}
            for c, row in values.items() for a, v in zip(areas, row, strict=True)
        ]),
    )


def three_areas(z_weight: float = 1.0):
    return make_dataset({"P": (0, 0, 1), "Q": (1, 1, 0), "R": (2, 2, 0), "S": (3, 3, 1)},
                        {"X": 1.0, "Y": 1.0, "Z": z_weight})


def totals(result):
    return result.table["total"].to_dict()


def ranks(result):
    return result.table["rank"].astype(int).to_dict()


@pytest.mark.parametrize("name", NEW)
def test_each_new_method_keeps_the_contract_and_has_a_full_card(name):
    method = cityindex.get_registry().method(name)
    check_method(method)
    for attr in ("title", "title_de", "description", "description_de", "citation",
                 "missing_policy"):
        assert getattr(method, attr).strip(), attr
    assert all(p.label_de for p in method.parameters)
    assert method.structure(method.defaults()) is None  # not a weighted mean of the areas


def test_copeland_counts_pairwise_majorities():
    """Equal weights. S beats everyone (better in X and Y, not worse in Z): +3. R beats P and
    Q (better in X, Y; Z 0 vs 100 against P, tie against Q), loses to S: +1. Q beats P
    (2 areas to 1), loses to R and S: −1. P: −3."""
    r = cityindex.score(three_areas(), "copeland")
    assert totals(r) == {"S": 3.0, "R": 1.0, "Q": -1.0, "P": -3.0}
    assert ranks(r) == {"S": 1, "R": 2, "Q": 3, "P": 4}


def test_copeland_weighs_the_areas_and_ignores_the_size_of_a_lead():
    """Z weighs 3: P (better only in Z) now beats Q and R (3 against 2) but not S (tie in Z,
    worse in X and Y): P +1, Q −3, R −1, S +3."""
    r = cityindex.score(three_areas(z_weight=3), "copeland")
    assert totals(r) == {"S": 3.0, "P": 1.0, "R": -1.0, "Q": -3.0}
    # The same result with the weight given as an own weight.
    own = cityindex.score(three_areas(), "copeland", weights={"Z": 3})
    assert totals(own) == totals(r)


def test_pca_weights_follow_the_first_component():
    """corr = [[1, 1, 0], [1, 1, 0], [0, 0, 1]]: the first component (eigenvalue 2) is
    (1, 1, 0)/√2, squared loadings 1/2, 1/2, 0: the total is the mean of X and Y."""
    r = cityindex.score(three_areas(), "pca_weights")
    assert totals(r) == pytest.approx({"P": 0.0, "Q": 100 / 3, "R": 200 / 3, "S": 100.0})
    # Effective indicator weights: X and Y half each, Z nothing.
    assert r.weights.to_dict() == pytest.approx({"x": 0.5, "y": 0.5, "z": 0.0})


def test_pca_sign_convention_and_clipping():
    from cityindex.methods.pca_weights import first_component_weights

    # Two areas that move against each other: loadings (1, -1)/√2 sum to 0; the first
    # non-zero loading is made positive and the negative one clipped: all weight on area 0.
    anti = np.array([[0.0, 3.0], [1.0, 2.0], [2.0, 1.0], [3.0, 0.0]])
    assert first_component_weights(anti) == pytest.approx([1.0, 0.0])
    # Fewer than three complete cities: equal weights.
    assert first_component_weights(np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 1.0]])) \
        == pytest.approx([0.5, 0.5])


def test_benefit_of_doubt_by_hand():
    """Two areas, shares within 0.2–0.8. Scaled: P (0, 100), Q (50, 0), R (100, 50).
    P with w = (0.2, 0.8): P 80 is the best → 100. R with (0.8, 0.2): 90, the best → 100.
    Q: 50·w1 against R's 100·w1 + 50·w2, the ratio w1/(1+w1) is largest at w1 = 0.8:
    40/90 → 44.4."""
    data = make_dataset({"P": (0, 2), "Q": (1, 0), "R": (2, 1)}, {"X": 1, "Z": 1})
    r = cityindex.score(data, "benefit_of_doubt",
                        params={"min_share": 0.2, "max_share": 0.8})
    assert totals(r) == pytest.approx({"P": 100.0, "R": 100.0, "Q": 400 / 9})
    assert ranks(r) == {"P": 1, "R": 1, "Q": 3}
    from cityindex.methods.benefit_of_doubt import benefit_of_doubt

    _, shares = benefit_of_doubt(np.array([[0, 100], [50, 0], [100, 50.0]]), 0.2, 0.8)
    assert shares[1] == pytest.approx([0.8, 0.2])
    # Equal shares forced (0.5–0.5): the plain mean over the best plain mean (75).
    r = cityindex.score(data, "benefit_of_doubt", params={"min_share": 0.5, "max_share": 0.5})
    assert totals(r) == pytest.approx({"P": 50 / 75 * 100, "Q": 25 / 75 * 100, "R": 100.0})


def test_benefit_of_doubt_refuses_shares_no_weighting_meets():
    data = make_dataset({"P": (0, 2), "Q": (1, 0), "R": (2, 1)}, {"X": 1, "Z": 1})
    with pytest.raises(MethodRaisedError, match=r"no weighting of 2 areas has every share "
                                                r"between min_share 0.6 and max_share 0.8"):
        cityindex.score(data, "benefit_of_doubt", params={"min_share": 0.6, "max_share": 0.8})


def test_mazziotta_pareto_by_hand():
    """X, Y: mean 50, population sd √(2·50² + 2·(50/3)²)/2 = 37.27; Z: mean 50, sd 50.
    P: z = 100 − 10·50/37.27 (X, Y) and 110 (Z): MPI = M − S²/M."""
    r = cityindex.score(three_areas(), "mazziotta_pareto")
    sd_x = math.sqrt((2 * 50**2 + 2 * (50 / 3) ** 2) / 4)

    def mpi(zs):
        m = sum(zs) / len(zs)
        s2 = sum((z - m) ** 2 for z in zs) / len(zs)
        return m - s2 / m

    x = {c: 100 + 10 * (v - 50) / sd_x for c, v in
         {"P": 0, "Q": 100 / 3, "R": 200 / 3, "S": 100}.items()}
    z = {"P": 110.0, "Q": 90.0, "R": 90.0, "S": 110.0}
    expected = {c: mpi([x[c], x[c], z[c]]) for c in "PQRS"}
    assert totals(r) == pytest.approx(expected)
    assert ranks(r) == {"S": 1, "R": 2, "Q": 3, "P": 4}


def test_mazziotta_pareto_prefers_balance_at_the_same_mean():
    """A (100, 0) and B (50, 50) have the same mean; B's areas are even, so B ranks first."""
    data = make_dataset({"A": (2, 0), "B": (1, 1), "C": (0, 2)}, {"X": 1, "Z": 1})
    r = cityindex.score(data, "mazziotta_pareto")
    t = totals(r)
    assert t["B"] == pytest.approx(100.0)  # z = (100, 100): no penalty
    assert t["A"] == pytest.approx(t["C"]) and t["A"] < t["B"]
    # A: z = (100 + 10·50/40.82, 100 − 10·50/40.82); M = 100, S = 12.25, MPI = 100 − S²/100.
    s = 10 * 50 / math.sqrt(5000 / 3)
    assert t["A"] == pytest.approx(100 - s**2 / 100)


def test_new_methods_on_the_tiny_fixture(tiny):
    """Tiny's bitkom areas: A1 (V 85.83, M 0), B2 (V 38.33, M missing), C3 (V 50, M 100)."""
    # Copeland: A1 vs C3: V to A1, M to C3 → draw; B2 vs A1: only V compared, A1 wins;
    # B2 vs C3: only V, C3 wins. A1 +1, C3 +1, B2 −2.
    assert totals(cityindex.score(tiny, "copeland")) == {"A1": 1.0, "C3": 1.0, "B2": -2.0}
    # PCA: two complete cities only → equal weights, the bitkom totals.
    assert totals(cityindex.score(tiny, "pca_weights")) == pytest.approx(
        totals(cityindex.score(tiny, "bitkom")))
