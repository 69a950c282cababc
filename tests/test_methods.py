"""Every built-in method on the tiny fixture, with expectations computed by hand.

The fixture (tests/fixtures/tiny): cities A1, B2, C3; area V with categories v1 (weight 2:
i1 share +1, i2 count -1 with weight 3), v2 (weight 1: i3 yes/no service) and the projects
category vp (i4); area M with m1 (i5 share service). B2 has no value for i5.

Min-max scaled indicator scores (best 100, worst 0):
    i1 10/20/30 -> A 0,   B 50,  C 100
    i2 1/3/5 (lower is better) -> A 100, B 50, C 0
    i3 1/0/1  -> A 100, B 0,   C 100
    i4 50/100/0 -> A 50, B 100, C 0
    i5 40/-/80 -> A 0,   B -,   C 100
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cityindex
from cityindex import ParameterError

A, B, C = "A1", "B2", "C3"


def totals(result):
    return result.table["total"].to_dict()


def ranks(result):
    return result.table["rank"].to_dict()


def test_bitkom_defaults(tiny):
    """v1 = (1*i1 + 3*i2)/4: A 75, B 50, C 25; v2: A 100, B 0, C 100.
    V core = (2*v1 + v2)/3: A 250/3, B 100/3, C 50; projects bonus 0.05*vp: A 2.5, B 5, C 0.
    M = i5: A 0, B missing, C 100. Total = mean of the present areas."""
    r = cityindex.score(tiny, "bitkom")
    v = {A: 250 / 3 + 2.5, B: 100 / 3 + 5, C: 50.0}
    assert r.table.loc[[A, B, C], "V"].tolist() == pytest.approx([v[A], v[B], v[C]])
    assert r.table.loc[A, "M"] == pytest.approx(0.0)
    assert np.isnan(r.table.loc[B, "M"])
    assert totals(r) == pytest.approx({A: v[A] / 2, B: v[B], C: 75.0})
    assert ranks(r) == {C: 1, A: 2, B: 3}
    assert list(r.table.index) == [C, A, B]
    assert r.categories.loc[A].to_dict() == pytest.approx(
        {"v1": 75.0, "v2": 100.0, "vp": 50.0, "m1": 0.0}
    )


def test_bitkom_missing_zero_counts_missing_as_zero(tiny):
    r = cityindex.score(tiny, "bitkom", params={"missing": "zero"})
    assert r.table.loc[B, "M"] == pytest.approx(0.0)
    assert r.table.loc[B, "total"] == pytest.approx((100 / 3 + 5) / 2)


def test_bitkom_without_projects_bonus(tiny):
    r = cityindex.score(tiny, "bitkom", params={"projects_bonus": 0})
    assert r.table.loc[[A, B, C], "V"].tolist() == pytest.approx([250 / 3, 100 / 3, 50.0])
    assert r.notes == ()  # vp is a projects category: the bonus counts


def test_a_projects_bonus_without_projects_categories_changes_nothing_and_says_so(tiny_copy):
    """vp no longer flagged 'projects': an ordinary category of weight 1, so V = (2*v1 + v2 +
    vp)/4: A (150+100+50)/4 = 75, B (100+0+100)/4 = 50, C (50+100+0)/4 = 37.5; totals A 37.5,
    B 50 (M missing), C (37.5+100)/2 = 68.75. A bonus of 0 or 0.2 changes none of it, and the
    result says why (before, the same ranks came back in silence)."""
    path = tiny_copy / "categories.csv"
    path.write_text(path.read_text().replace("Administration projects,1,1",
                                             "Administration projects,1,0"))
    data = cityindex.load_dataset(tiny_copy)
    default = cityindex.score(data, "bitkom")
    assert totals(default) == pytest.approx({A: 37.5, B: 50.0, C: 68.75})
    assert default.notes == ()
    for bonus in (0, 0.2):
        r = cityindex.score(data, "bitkom", params={"projects_bonus": bonus})
        assert totals(r) == pytest.approx(totals(default))
        # the same method in effect: compared with Bitkom's figures and marked as its defaults
        assert r.claims_published and default.claims_published
        assert r.table["provenance"].tolist() == default.table["provenance"].tolist()
        assert [str(n) for n in r.notes] == [
            "parameter 'Projects bonus' (projects_bonus) changes nothing in edition 2024: no "
            "category of the edition is flagged 'projects' (of Bitkom's editions only 2021 has "
            "them)"]
        assert cityindex.i18n.message_text(r.notes[0], "de").startswith(
            "Parameter „Projektbonus“ (projects_bonus) ändert in der Ausgabe 2024 nichts")
    # other parameters change the result: no note; nor where there are projects categories
    assert cityindex.score(data, "bitkom", params={"scaling": "share_of_best"}).notes == ()
    assert cityindex.score(data, "bitkom", params={"missing": "zero"}).notes == ()


def test_bitkom_share_of_best_scaling(tiny):
    """i1 v/max: A 100/3, B 200/3, C 100; i2 min/v: A 100, B 100/3, C 20; i5: A 50, C 100.
    v1 = (i1 + 3*i2)/4: A 250/3, B 125/3, C 40. V core = (2*v1 + v2)/3."""
    r = cityindex.score(tiny, "bitkom", params={"scaling": "share_of_best"})
    v = {A: (2 * 250 / 3 + 100) / 3 + 2.5, B: (2 * 125 / 3) / 3 + 5, C: (80 + 100) / 3}
    assert totals(r) == pytest.approx({A: (v[A] + 50) / 2, B: v[B], C: (v[C] + 100) / 2})


def test_bitkom_effective_weights(tiny):
    """Areas 1/2 each; in V the core categories v1 2/3 and v2 1/3, the projects bonus 0.05."""
    w = cityindex.score(tiny, "bitkom").weights.to_dict()
    assert w == pytest.approx(
        {"i1": 1 / 12, "i2": 1 / 4, "i3": 1 / 6, "i4": 0.05 / 2, "i5": 1 / 2}
    )


def test_equal_weights_ties_share_the_better_rank(tiny):
    """A (0+100+100+50+0)/5 = 50, B (50+50+0+100)/4 = 50, C 300/5 = 60."""
    r = cityindex.score(tiny, "equal_weights")
    assert totals(r) == pytest.approx({A: 50.0, B: 50.0, C: 60.0})
    assert ranks(r) == {C: 1, A: 2, B: 2}
    assert r.weights.tolist() == pytest.approx([0.2] * 5)
    # area V is the plain mean of i1..i4
    assert r.table.loc[A, "V"] == pytest.approx(62.5)


def test_equal_weights_missing_zero(tiny):
    r = cityindex.score(tiny, "equal_weights", params={"missing": "zero"})
    assert r.table.loc[B, "total"] == pytest.approx(40.0)
    assert ranks(r) == {C: 1, A: 2, B: 3}


def test_service_coverage(tiny):
    """Services i3 (yes/no) and i5 (share): A (100+40)/2, B (0 + not offered)/2, C (100+80)/2."""
    r = cityindex.score(tiny, "service_coverage")
    assert totals(r) == pytest.approx({A: 70.0, B: 0.0, C: 90.0})
    assert ranks(r) == {C: 1, A: 2, B: 3}
    assert r.weights.to_dict() == pytest.approx(
        {"i1": 0, "i2": 0, "i3": 0.5, "i4": 0, "i5": 0.5}
    )
    assert r.table.loc[[A, C], "M"].tolist() == pytest.approx([40.0, 80.0])
    skip = cityindex.score(tiny, "service_coverage", params={"missing": "skip"})
    assert skip.table.loc[B, "total"] == pytest.approx(0.0)
    assert skip.table.loc[A, "total"] == pytest.approx(70.0)


def test_geometric(tiny):
    """Areas without bonus: V A 250/3, B 100/3, C 50; M A 0 (raised to the floor 1), C 100."""
    r = cityindex.score(tiny, "geometric")
    assert totals(r) == pytest.approx(
        {A: np.sqrt(250 / 3 * 1), B: 100 / 3, C: np.sqrt(50 * 100)}
    )
    assert ranks(r) == {C: 1, B: 2, A: 3}


def test_missing_counts_only_indicators_the_method_uses(tiny):
    assert cityindex.score(tiny, "bitkom").table["missing"].to_dict() == {C: 0, A: 0, B: 1}
    assert cityindex.score(tiny, "service_coverage").table.loc[B, "missing"] == 1


def test_provenance_markers(tiny):
    """C3 has a published rank and score, A1 only a rank; B2's values include a modeled one.
    Only bitkom with its default parameters claims to reproduce published figures."""
    r = cityindex.score(tiny, "bitkom")
    assert r.table["provenance"].to_dict() == {C: "published", A: "published rank", B: "modeled"}
    assert r.table.loc[C, "published_total"] == 75.0
    other = cityindex.score(tiny, "bitkom", params={"projects_bonus": 0.0})
    assert other.table["provenance"].to_dict() == {C: "computed", A: "computed", B: "modeled"}
    eq = cityindex.score(tiny, "equal_weights")
    assert eq.table.loc[C, "provenance"] == "computed"


def test_parameters_are_checked(tiny):
    with pytest.raises(ParameterError, match="at most 0.2"):
        cityindex.score(tiny, "bitkom", params={"projects_bonus": 0.5})
    with pytest.raises(ParameterError, match="one of minmax, share_of_best"):
        cityindex.score(tiny, "bitkom", params={"scaling": "log"})
    with pytest.raises(ParameterError, match="has no parameter 'weight'"):
        cityindex.score(tiny, "bitkom", params={"weight": 1})
    r = cityindex.score(tiny, "bitkom", params={"projects_bonus": "0.1"})
    assert r.params["projects_bonus"] == 0.1


def test_service_coverage_needs_service_flags(tiny_copy):
    ind = tiny_copy / "indicators.csv"
    ind.write_text(ind.read_text().replace(",1,1\n", ",1,0\n"))
    data = cityindex.load_dataset(tiny_copy)
    with pytest.raises(cityindex.MethodDataError, match="online service"):
        cityindex.score(data, "service_coverage")


def test_compare(tiny):
    cmp = cityindex.compare(tiny, ["bitkom", "geometric"])
    assert cmp.ranks.loc[[A, B, C]].to_dict("list") == {"bitkom": [2, 3, 1], "geometric": [3, 2, 1]}
    # Spearman on scores: ranks (2,1,3) vs (1,2,3): 1 - 6*(1+1)/(3*8) = 0.5
    assert cmp.spearman.loc["bitkom", "geometric"] == pytest.approx(0.5)
    # Kendall: pairs (A,B) discordant, (A,C) and (B,C) concordant: (2-1)/3
    assert cmp.kendall.loc["bitkom", "geometric"] == pytest.approx(1 / 3)
    movers = cmp.movers()
    assert movers["shift"].to_dict() == {A: -1, B: 1, C: 0}
    assert list(movers.columns) == ["name", "rank_base", "rank_other", "shift"]
    assert movers.index[-1] == C  # the biggest moves first
    assert cmp.names.to_dict() == {A: "Aheim", B: "Bstadt", C: "Cburg"}
    same = cityindex.compare(tiny, ["bitkom", ("bitkom", {"projects_bonus": 0})])
    assert same.labels == ("bitkom", "bitkom(projects_bonus=0)")
    with pytest.raises(ValueError, match="at least two"):
        cityindex.compare(tiny, ["bitkom"])


def test_published_marker_needs_the_numbers_to_agree(tiny_copy):
    """C3's published 75.0 is reproduced; a published 80.0 would not be, so C3 then falls back
    to the marker of its inputs (all published values: computed) and published_match is False;
    A1's published rank 2 is reproduced either way."""
    published = tiny_copy / "published.csv"
    text = published.read_text().replace("2024,C3,total,1,75.0", "2024,C3,total,1,80.0")
    published.write_text(text)
    r = cityindex.score(cityindex.load_dataset(tiny_copy), "bitkom")
    assert r.table["provenance"].to_dict() == {C: "computed", A: "published rank", B: "modeled"}
    assert bool(r.table.loc[C, "published_match"]) is False
    assert bool(r.table.loc[A, "published_match"]) is True
    assert pd.isna(r.table.loc[B, "published_match"])


def test_results_can_be_pickled_for_caching(tiny):
    import pickle

    result = cityindex.score(tiny, "bitkom")
    again = pickle.loads(pickle.dumps(result))
    assert again.table.equals(result.table) and again.params == result.params
    pickle.dumps(cityindex.compare(tiny, ["bitkom", "equal_weights"]))


def test_every_area_score_has_its_own_rank_and_marker(tiny):
    """V: A 85.83, B 38.33, C 50 -> ranks A 1, C 2, B 3. published.csv says A1 is 1st in V
    (rank only), so A1's V is 'published rank'; B2's V uses its modeled i1 -> 'modeled'; C3's
    V and M use published values only -> 'computed'; B2 has no M score -> no marker."""
    t = cityindex.score(tiny, "bitkom").table
    assert t["V_rank"].to_dict() == {"A1": 1, "C3": 2, "B2": 3}
    assert t.loc[["C3", "A1"], "M_rank"].tolist() == [1, 2] and pd.isna(t.at["B2", "M_rank"])
    assert t["V_provenance"].to_dict() == {"A1": "published rank", "B2": "modeled",
                                           "C3": "computed"}
    assert t.loc[["A1", "C3"], "M_provenance"].tolist() == ["computed", "computed"]
    assert pd.isna(t.at["B2", "M_provenance"])
    other = cityindex.score(tiny, "equal_weights").table
    assert other.at["A1", "V_provenance"] == "computed"  # only bitkom may claim Bitkom's figures


def test_every_published_area_figure_is_marked_only_where_it_holds():
    """On the bundled data, bitkom with its defaults reproduces every used published area rank
    and score, so each is marked published; every other area score says it is not Bitkom's."""
    data = cityindex.load_dataset()
    pub = data.published[(data.published["status"] == "used")
                         & (data.published["rank"].notna() | data.published["points"].notna())]
    checked = 0
    for edition in data.editions:
        result = cityindex.score(data, "bitkom", edition=edition)
        table = result.table
        rows = pub[(pub["edition"] == edition) & pub["scope"].isin(result.area_ids)]
        marked = set()
        for row in rows.itertuples():
            marker = table.at[row.city_id, f"{row.scope}_provenance"]
            assert marker.startswith("published"), (edition, row.city_id, row.scope, marker)
            marked.add((row.city_id, row.scope))
            checked += 1
        for area in result.area_ids:
            for city, marker in table[f"{area}_provenance"].dropna().items():
                if (city, area) not in marked:
                    assert not marker.startswith("published"), (edition, city, area)
    assert checked == len(pub[pub["scope"].isin(data.areas["area_id"].unique())])
