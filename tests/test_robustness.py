"""Robustness analyses (issue 10): uncertainty, SMAA, Sobol sensitivity, best/worst rank.

The vectorised evaluation must rank exactly as :func:`cityindex.score` does, draw by draw;
the rank bounds must agree with an exhaustive search; and the guarantees of the issue hold:
zero noise collapses every interval to the nominal rank, a dominating city never ranks below
the city it dominates, best ≤ nominal ≤ worst, every sampled rank lies within the bounds.
Draw counts are small: the whole file runs in well under a minute.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

import cityindex
from cityindex import robustness as rb
from cityindex.export import to_csv, to_json, to_xlsx
from cityindex.robustness import RobustnessError
from cityindex.scoring import rank_descending


@pytest.fixture(scope="module")
def bundled():
    return cityindex.load_dataset()


def frames(values: dict[str, dict[str, float]], area_weights: dict[str, float],
           projects: dict[str, str] | None = None):
    """A dataset with one category and one indicator per area (``projects`` maps an extra
    projects indicator id to its area), every indicator higher-is-better."""
    projects = projects or {}
    areas = list(area_weights)
    cats = [(a.lower() + "c", a, 0) for a in areas] + [(i + "c", a, 1)
                                                        for i, a in projects.items()]
    inds = [(a.lower(), a.lower() + "c") for a in areas] + [(i, i + "c") for i in projects]
    return cityindex.dataset_from_frames(
        cities=pd.DataFrame({"city_id": list(values), "name": [f"City {c}" for c in values]}),
        areas=pd.DataFrame({"area_id": areas, "name_de": areas,
                            "weight": [area_weights[a] for a in areas]}),
        categories=pd.DataFrame({"category_id": [c[0] for c in cats],
                                 "area_id": [c[1] for c in cats],
                                 "name_de": [c[0] for c in cats],
                                 "projects": [c[2] for c in cats]}),
        indicators=pd.DataFrame({"indicator_id": [i[0] for i in inds],
                                 "category_id": [i[1] for i in inds],
                                 "name_de": [i[0] for i in inds], "kind": "score",
                                 "direction": "1"}),
        values=pd.DataFrame([
            {"edition": 2024, "city_id": c, "indicator_id": i, "value": v}
            for c, row in values.items() for i, v in row.items()
        ]),
    )


def engine_ranks(ds, method, **kw) -> pd.Series:
    return cityindex.score(ds, method, **kw).table["rank"]


# --- the vectorised model ranks as the engine does ------------------------------------------


@pytest.mark.parametrize("method", ["bitkom", "geometric"])
def test_zero_noise_is_the_engine_ranking_on_every_bundled_edition(bundled, method):
    for edition in bundled.editions:
        r = rb.uncertainty(bundled, method, edition=edition, draws=3, weights="noise",
                           noise=0.0)
        expected = engine_ranks(bundled, method, edition=edition)
        got = r.table["rank"]
        assert got.to_dict() == expected.reindex(got.index).astype(int).to_dict(), edition
        for col in ("median_rank", "rank_p05", "rank_p95"):
            assert (r.table[col] == got).all(), (edition, col)
        assert r.n_failed == 0 and r.n_evaluated == 3
        assert set(r.table["p_rank1"]) <= {0.0, 1.0}
        assert (r.rank_probabilities.to_numpy().diagonal() == 1).all() or len(set(got)) < len(got)


@pytest.mark.parametrize(("method", "params"), [
    ("bitkom", None), ("bitkom", {"missing": "zero"}), ("bitkom", {"projects_bonus": 0.2}),
    ("bitkom", {"scaling": "share_of_best"}), ("geometric", {"floor": 40}),
])
def test_zero_noise_with_missing_values_and_other_params(tiny, method, params):
    """Tiny: B2 has no value in area M (skip renormalises per city), projects bonus in V."""
    r = rb.uncertainty(tiny, method, params=params, draws=2, weights="noise", noise=0.0)
    assert r.table["rank"].to_dict() == engine_ranks(tiny, method, params=params).astype(
        int).to_dict()


def test_the_projects_bonus_is_capped_at_100():
    """A is best in V's core (100) and its projects (bonus 5): capped V = 100, M = 0 → 50
    (uncapped it would be 52.5 and beat B). B: V 97, M 5 → 51. C: 0 and 40 → 20. D: V 10,
    M 100 → 55. So D, B, A, C."""
    ds = frames({"A": {"v": 100, "m": 0, "j": 1}, "B": {"v": 97, "m": 5, "j": 0},
                 "C": {"v": 0, "m": 40, "j": 0}, "D": {"v": 10, "m": 100, "j": 0}},
                {"V": 1, "M": 1}, projects={"j": "V"})
    assert engine_ranks(ds, "bitkom").to_dict() == {"D": 1, "B": 2, "A": 3, "C": 4}
    r = rb.uncertainty(ds, "bitkom", draws=2, weights="noise", noise=0.0)
    assert r.table["rank"].to_dict() == {"D": 1, "B": 2, "A": 3, "C": 4}
    # With category weights drawn too, the cap still holds in every draw.
    r = rb.uncertainty(ds, "bitkom", draws=20, level="areas+categories", seed=3)
    for k in range(5):
        weights = r.sample.loc[k, ["V", "M"]].to_dict()
        expected = engine_ranks(ds, "bitkom", weights=weights)
        assert list(r.ranks[k]) == list(expected.reindex(r.table.index))


@pytest.mark.parametrize("method", ["bitkom", "geometric"])
@pytest.mark.parametrize("level", ["areas", "areas+categories"])
def test_every_draw_ranks_as_score_with_those_weights(bundled, tiny, method, level):
    for ds, edition in ((bundled, 2021), (tiny, None)):
        r = rb.uncertainty(ds, method, edition=edition, draws=6, seed=11, level=level,
                           concentration=5)
        for k in range(6):
            weights = r.sample.loc[k, list(r.spec.areas)].to_dict()
            if r.category_sample is not None:
                weights.update(r.category_sample.loc[k].to_dict())
            expected = engine_ranks(ds, method, edition=edition, weights=weights)
            assert list(r.ranks[k]) == list(expected.reindex(r.table.index)), (k, level)


def test_share_of_best_as_an_alternative_normalisation_matches_the_engine(bundled):
    r = rb.uncertainty(bundled, "bitkom", edition=2019, draws=8, seed=2, weights="noise",
                       noise=0.0, normalisations=("minmax", "share_of_best"))
    shares = r.sample["normalisation"] == "share_of_best"
    assert 0 < shares.sum() < 8
    expected = engine_ranks(bundled, "bitkom", edition=2019,
                            params={"scaling": "share_of_best"}).reindex(r.table.index)
    for k in np.flatnonzero(shares.to_numpy()):
        assert list(r.ranks[k]) == list(expected)


def test_normalisations_by_hand():
    values = np.array([[10.0, 1.0], [20.0, 3.0], [30.0, np.nan], [30.0, 5.0]])
    direction = np.array([1, -1])
    z = rb.normalise(values, direction, "zscore")
    # column 0: mean 22.5, sample sd √(275/3); column 1 (lower is better): mean 3, sd 2.
    sd0 = np.sqrt(((12.5**2) + 2.5**2 + 7.5**2 * 2) / 3)
    assert z[:, 0] == pytest.approx((values[:, 0] - 22.5) / sd0)
    assert z[[0, 1, 3], 1] == pytest.approx([1.0, 0.0, -1.0]) and np.isnan(z[2, 1])
    r = rb.normalise(values, direction, "rank")
    # column 0: ranks 1, 2, 3.5, 3.5 of 4 → 0, 100/3, 250/3, 250/3
    assert r[:, 0] == pytest.approx([0, 100 / 3, 250 / 3, 250 / 3])
    # column 1: lower is better, three values: 5 → 0, 3 → 50, 1 → 100
    assert r[[0, 1, 3], 1] == pytest.approx([100, 50, 0]) and np.isnan(r[2, 1])
    with pytest.raises(RobustnessError, match="unknown normalisation 'log'"):
        rb.normalise(values, direction, "log")


def test_competition_ranks_match_rank_descending():
    rng = np.random.default_rng(0)
    totals = np.round(rng.uniform(0, 5, size=(50, 12)), 0)  # many ties
    ranks = rb.competition_ranks(totals)
    for row, got in zip(totals, ranks, strict=True):
        assert list(got) == list(rank_descending(row).astype(int))


# --- uncertainty: the guarantees and the bookkeeping ----------------------------------------


def test_seeded_and_reproducible(tiny):
    a = rb.uncertainty(tiny, "bitkom", draws=50, seed=7)
    b = rb.uncertainty(tiny, "bitkom", draws=50, seed=7)
    c = rb.uncertainty(tiny, "bitkom", draws=50, seed=8)
    pd.testing.assert_frame_equal(a.sample, b.sample)
    assert (a.ranks == b.ranks).all()
    assert not a.sample.equals(c.sample)


def test_the_schemes_draw_what_they_say(bundled):
    wide = rb.uncertainty(bundled, "bitkom", draws=400, seed=1, concentration=10)
    narrow = rb.uncertainty(bundled, "bitkom", draws=400, seed=1, concentration=10_000)
    areas = list(wide.spec.areas)
    assert wide.sample[areas].mean().to_numpy() == pytest.approx(np.full(5, 0.2), abs=0.02)
    assert narrow.sample[areas].std().max() < 0.01 < wide.sample[areas].std().min()
    width = (wide.table["rank_p95"] - wide.table["rank_p05"]).mean()
    assert (narrow.table["rank_p95"] - narrow.table["rank_p05"]).mean() < width
    noise = rb.uncertainty(bundled, "bitkom", draws=200, seed=1, weights="noise", noise=0.1)
    raw = noise.sample[areas].to_numpy()
    # ±10 % around 1/5 before normalising: after it, each share within 0.9/4.9·… bounds
    assert raw.min() >= 0.9 / (0.9 + 4 * 1.1) - 1e-12 and raw.max() <= 1.1 / (1.1 + 4 * 0.9)
    simplex = rb.uncertainty(bundled, "bitkom", draws=300, seed=1, weights="simplex",
                             bounds=(0.1, 0.4))
    w = simplex.sample[areas].to_numpy()
    assert w.min() >= 0.1 - 1e-12 and w.max() <= 0.4 + 1e-12
    assert w.sum(axis=1) == pytest.approx(np.ones(300))
    # v uniform on the simplex is accepted when every v_a ≤ 0.6: P = 1 − 5·0.4⁴ = 0.872
    assert simplex.acceptance == pytest.approx(0.872, abs=0.04)
    assert wide.acceptance == 1.0


def test_smaa_rank_acceptability_and_central_weights_by_hand():
    """A (100, 0), B (0, 100), C (40, 40), weights uniform on the simplex: A is first when
    w1 > 1/2 (central weights (3/4, 1/4)); C is third when 0.4 < w1 < 0.6, else second; C is
    never first."""
    ds = frames({"A": {"x": 100, "y": 0}, "B": {"x": 0, "y": 100}, "C": {"x": 40, "y": 40}},
                {"X": 1, "Y": 1})
    r = rb.uncertainty(ds, "bitkom", draws=4000, seed=5, weights="simplex")
    assert r.smaa
    probs = r.rank_probabilities
    assert probs.sum(axis=1).to_numpy() == pytest.approx(np.ones(3))
    assert probs.loc["C"].to_list() == pytest.approx([0.0, 0.8, 0.2], abs=0.03)
    assert probs.loc["A", 1] == pytest.approx(0.5, abs=0.03)
    assert r.central_weights.loc["A"].to_list() == pytest.approx([0.75, 0.25], abs=0.02)
    assert r.central_weights.loc["C"].isna().all()
    assert r.table.loc["C", "p_rank1"] == 0.0


def test_a_dominating_city_never_ranks_below_the_dominated(bundled):
    areas = cityindex.score(bundled, "bitkom", edition=2025).table
    ids = list(rb.uncertainty(bundled, "bitkom", draws=1).table.index)
    area_ids = ["verwaltung", "it_kommunikation", "energie_umwelt", "mobilitaet", "gesellschaft"]
    a = areas.loc[ids, area_ids].to_numpy()
    pairs = [(i, j) for i, j in itertools.permutations(range(len(ids)), 2)
             if (a[i] >= a[j]).all()]
    assert len(pairs) > 100  # the property is tested on many pairs
    for scheme in ("dirichlet", "simplex"):
        r = rb.uncertainty(bundled, "bitkom", draws=300, seed=4, weights=scheme,
                           concentration=5)
        for i, j in pairs:
            assert (r.ranks[:, i] <= r.ranks[:, j]).all(), (ids[i], ids[j], scheme)


def test_draws_that_cannot_be_evaluated_are_counted_not_dropped(tiny):
    r = rb.uncertainty(tiny, "bitkom", draws=40, seed=1, normalisations=("zscore",),
                       aggregations=("arithmetic", "geometric"))
    geo = (r.sample["aggregation"] == "geometric").to_numpy()
    # A z-score is negative for some city in every area: no geometric mean without a floor.
    assert r.n_failed == geo.sum() > 0 and r.n_evaluated == 40 - geo.sum()
    assert (r.sample["evaluated"] == ~geo).all()
    assert r.failures.to_dict("records") == [{
        "normalisation": "zscore", "aggregation": "geometric", "draws": int(geo.sum()),
        "failed": int(geo.sum()),
        "reason": "a ranked city has an area score ≤ 0, which has no logarithm (geometric "
                  "mean without a floor)"}]
    assert len(r.ranks) == r.n_evaluated
    # The geometric method has a floor: every draw can be evaluated.
    ok = rb.uncertainty(tiny, "geometric", draws=20, normalisations=("zscore", "rank"))
    assert ok.n_failed == 0 and ok.failures.empty


def test_unranked_cities_are_left_out_and_listed(tiny_dir):
    raw = {name: pd.read_csv(tiny_dir / f"{name}.csv") for name in
           ("cities", "areas", "categories", "indicators", "values")}
    raw["cities"] = pd.concat([raw["cities"], pd.DataFrame(
        [{"city_id": "D4", "name": "Dorf", "state": "Südland"}])], ignore_index=True)
    raw["values"] = pd.concat([raw["values"], pd.DataFrame(
        [{"edition": 2024, "city_id": "D4", "indicator_id": "i1", "value": np.nan}])],
        ignore_index=True)
    ds = cityindex.dataset_from_frames(**raw)
    assert cityindex.score(ds, "bitkom").table.loc["D4", "rank"] is pd.NA
    r = rb.uncertainty(ds, "bitkom", draws=10)
    assert "D4" not in r.table.index and list(r.unranked.index) == ["D4"]
    assert r.unranked.loc["D4", "name"] == "Dorf"
    assert r.ranks.shape == (10, 3) and r.n_failed == 0


def test_clear_errors(bundled, tiny):
    with pytest.raises(RobustnessError, match=r"method 'equal_weights' has no hierarchical "
                                              r"structure .* methods that have one: bitkom, "
                                              r"geometric"):
        rb.uncertainty(tiny, "equal_weights", draws=5)
    with pytest.raises(RobustnessError, match="unknown weight scheme 'uniform'"):
        rb.uncertainty(tiny, "bitkom", weights="uniform")
    with pytest.raises(RobustnessError, match="unknown normalisation 'log'"):
        rb.uncertainty(tiny, "bitkom", normalisations=("log",))
    with pytest.raises(RobustnessError, match="draws must be a whole number of at least 1"):
        rb.uncertainty(tiny, "bitkom", draws=0)
    with pytest.raises(RobustnessError, match=r"5 areas with a maximum weight of 0.1 cannot "
                                              r"add up to 1 .* at least 0.2"):
        rb.uncertainty(bundled, "bitkom", weights="simplex", bounds=(0.0, 0.1))
    with pytest.raises(RobustnessError, match="admit only"):
        rb.uncertainty(bundled, "bitkom", draws=50, concentration=10, bounds=(0.19, 0.21))


def test_own_weights_move_the_centre(tiny):
    r = rb.uncertainty(tiny, "bitkom", own_weights={"V": 3, "M": 1}, draws=2,
                       weights="noise", noise=0.0)
    assert r.table["rank"].to_dict() == engine_ranks(
        tiny, "bitkom", weights={"V": 3, "M": 1}).astype(int).to_dict()
    assert r.sample.loc[0, ["V", "M"]].to_list() == pytest.approx([0.75, 0.25])
    assert r.spec.weight_overrides == {"V": 3.0, "M": 1.0}


def test_uncertainty_export(tiny):
    r = rb.uncertainty(tiny, "bitkom", draws=30, seed=9)
    bundle = r.export()
    payload = json.loads(to_json(bundle))
    assert [c["city_id"] for c in payload["cities"]] == list(r.table.index)
    assert set(payload["cities"][0]) == {"city_id", "name", "rank", "median_rank", "rank_p05",
                                         "rank_p95", "p_rank1", "p_top10"}
    record = payload["methodology"]
    assert record["kind"] == "uncertainty" and record["method"]["name"] == "bitkom"
    assert record["settings"]["seed"] == 9 and record["settings"]["draws"] == 30
    assert record["settings"]["weights"] == "dirichlet"
    assert record["data"]["source"] != "" and record["cityindex_version"]
    assert to_csv(bundle).decode().splitlines()[0] == (
        "city_id,name,rank,median_rank,rank_p05,rank_p95,p_rank1,p_top10")
    assert to_xlsx(bundle, locale="de")[:2] == b"PK"


def test_a_german_robustness_workbook_labels_its_settings_and_tables_in_german(tiny):
    """Before: the German methodology sheet called the drawn weights "Eigene Gewichte
    (Bereich/Kategorie)", the method's parameter missing "fehlend (kein Wert)" and the kind
    "uncertainty"; the sheets of failures and of rank bounds had English headers."""
    import io

    import openpyxl

    from cityindex import export

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(
        rb.uncertainty(tiny, "bitkom", draws=30, seed=9).export(), locale="de")))
    rows = list(book["Methodik"].iter_rows(min_row=2, values_only=True))
    fields = dict(rows)
    assert fields["Export von"] == "Unsicherheitsanalyse (Monte Carlo)"
    assert fields["Gezogene Gewichte"] == "Dirichlet um die Gewichte der Methode"
    assert fields["Titel"] == "Bitkom-Methode: gewichtete Kategorien"
    assert ("missing", "skip") in rows and ("fehlend (kein Wert)", "skip") not in rows
    assert [c.value for c in book["Nicht auswertbar"][1]] == [
        "Normierung", "Aggregation", "Ziehungen", "Nicht auswertbar", "Grund"]
    bounds = rb.rank_bounds(tiny, "bitkom", params={"missing": "zero"}, min_weight=0.2,
                            max_weight=0.8).export()
    fields = {label: value for _, label, value in export.methodology_rows(bounds.methodology,
                                                                          "de")}
    assert fields["Export von"] == "Bester und schlechtester Rang (exakt)"
    assert fields["Gewichtete Ebene"] == "Bereiche"
    assert "Gewichte der Methode liegen in den Grenzen" in fields
    assert not any(k in fields for k in ("criterion", "strict_lead", "nominal_within_bounds"))
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(
        export.to_xlsx(bounds, locale="de")))["Bester und schlechtester Rang"][1]]
    assert header[:7] == ["Stadt-ID", "Stadt", "Nominaler Rang", "Bester Rang",
                          "Schlechtester Rang", "Gewicht Verwaltung beim besten Rang",
                          "Gewicht Mobilität beim besten Rang"]


# --- sensitivity ----------------------------------------------------------------------------


def test_sobol_attributes_the_rank_shifts_to_the_inputs_that_move_them():
    """T is first in every area and the only city with a Z score above 0, so Z's weight never
    changes the ranking (the others are ordered by w_X·X + w_Y·Y, whatever w_Z): its indices
    are 0 within their intervals, while X and Y, which disagree, carry it all."""
    rows = [("A", 0, 90), ("B", 30, 70), ("C", 55, 40), ("D", 70, 20), ("E", 90, 0),
            ("F", 45, 50)]
    values = {c: {"x": x, "y": y, "z": 0} for c, x, y in rows}
    values["T"] = {"x": 100, "y": 100, "z": 100}
    ds = frames(values, {"X": 1, "Y": 1, "Z": 1})
    s = rb.sensitivity(ds, "bitkom", samples=256, seed=1, noise=0.5)
    table = s.table.set_index("input")
    assert list(table.index) == ["X", "Y", "Z"]
    assert table.loc["Z", "ST"] == 0 and table.loc["Z", "S1"] == pytest.approx(0, abs=1e-12)
    assert table.loc["X", "ST"] > 0.3 and table.loc["Y", "ST"] > 0.3
    assert s.n_evaluations == 256 * 5 and s.samples == 256


def test_sobol_on_a_ranking_that_never_changes_says_so():
    ds = frames({c: {"x": v, "z": v} for c, v in [("A", 0), ("B", 50), ("C", 100)]},
                {"X": 1, "Z": 1})
    s = rb.sensitivity(ds, "bitkom", samples=100, seed=0)
    assert (s.table[["S1", "ST"]] == 0).all().all()
    assert s.notes == ("samples rounded up from 100 to 128, a power of 2 (Sobol' sequences "
                       "need it)", "the ranking is the same in every evaluation: no input "
                       "changes it")


def test_sobol_warnings_by_hand():
    table = pd.DataFrame({"input": ["a", "b", "c", "d"], "S1": [0.5, -0.2, 0.1, 0.001],
                          "S1_conf": [0.1, 0.05, 0.3, 0.002], "ST": [0.3, 0.1, 0.4, 0.002],
                          "ST_conf": [0.05, 0.02, 0.1, 0.003]})
    warnings = rb.sobol_warnings(table, 64)
    assert warnings == [
        "a: first-order index 0.500 above total-order 0.300 — the estimates have not "
        "converged; increase --samples (now 64)",
        "b: first-order index -0.200 ± 0.050 is negative beyond its interval; increase "
        "--samples (now 64)",
        "c: first-order index 0.100 ± 0.300 — the interval is wider than the estimate; "
        "increase --samples (now 64)",
    ]  # d: wide intervals, but negligible (below 0.01 at their upper end)


def test_sensitivity_on_the_bundled_data_with_discrete_inputs(bundled):
    s = rb.sensitivity(bundled, "bitkom", samples=16, seed=3,
                       normalisations=("minmax", "rank"))
    assert list(s.table["input"]) == [*s.spec.areas, "normalisation"]
    assert s.n_evaluations == 16 * 8
    assert s.warnings and all(w.endswith("increase --samples (now 16)") for w in s.warnings)
    payload = json.loads(to_json(s.export()))
    assert payload["methodology"]["settings"]["samples"] == 16
    assert [row["input"] for row in payload["sobol"]] == list(s.table["input"])
    with pytest.raises(RobustnessError, match="Sobol indices need every evaluation"):
        rb.sensitivity(bundled, "bitkom", samples=8, normalisations=("zscore",),
                       aggregations=("arithmetic", "geometric"))


# --- best and worst achievable rank ---------------------------------------------------------


def _arrangement_points(d: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """For 3 areas: every vertex of the arrangement of the lines d_j·w = 0 and the bounds
    within {Σw = 1, lo ≤ w ≤ hi}, in coordinates (w1, w2)."""
    # w = (w1, w2, 1 − w1 − w2): a line is a·(w1, w2) = b
    lines = [(np.array([r[0] - r[2], r[1] - r[2]]), -r[2]) for r in d]
    lines += [(np.array([1.0, 0.0]), b) for b in (lo, hi)]
    lines += [(np.array([0.0, 1.0]), b) for b in (lo, hi)]
    lines += [(np.array([-1.0, -1.0]), b - 1) for b in (lo, hi)]
    points = []
    for (a1, b1), (a2, b2) in itertools.combinations(lines, 2):
        m = np.vstack([a1, a2])
        if abs(np.linalg.det(m)) < 1e-12:
            continue
        points.append(np.linalg.solve(m, [b1, b2]))
    pts = np.array(points)
    w = np.column_stack([pts, 1 - pts.sum(axis=1)])
    return w[((w >= lo - 1e-9) & (w <= hi + 1e-9)).all(axis=1)]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rank_bounds_agree_with_exhaustive_search(seed):
    """3 areas × 6 cities: every weighting on a 0.001 grid of the bounded simplex plus every
    vertex of the arrangement of the tie lines; the MILP must find the same best and worst
    rank, and its weights must attain them."""
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 101, size=(6, 3)).astype(float)
    scores[:, :] = (scores - scores.min(0)) / (scores.max(0) - scores.min(0)) * 100
    ds = frames({f"c{i}": {"x": s[0], "y": s[1], "z": s[2]} for i, s in enumerate(scores)},
                {"X": 1, "Y": 1, "Z": 1})
    lo, hi = 0.1, 0.6
    b = rb.rank_bounds(ds, "bitkom", min_weight=lo, max_weight=hi)
    grid = np.array([(w1, w2, 1 - w1 - w2) for w1 in np.arange(lo, hi + 1e-9, 0.001)
                     for w2 in np.arange(lo, hi + 1e-9, 0.001)])
    grid = grid[(grid[:, 2] >= lo - 1e-9) & (grid[:, 2] <= hi + 1e-9)]
    areas = cityindex.score(ds, "bitkom").table[["X", "Y", "Z"]]
    a = areas.loc[list(b.table.index)].to_numpy()
    for i, city in enumerate(b.table.index):
        d = a - a[i]
        points = np.vstack([grid, _arrangement_points(d, lo, hi)])
        ranks = rb.competition_ranks(points @ a.T)[:, i]
        row = b.table.loc[city]
        assert (row["best_rank"], row["worst_rank"]) == (ranks.min(), ranks.max()), city
        for which in ("best", "worst"):
            w = b.table.loc[city, [f"{which}_weight_{x}" for x in "XYZ"]].to_numpy(float)
            assert w.sum() == pytest.approx(1) and w.min() >= lo - 1e-9 and w.max() <= hi + 1e-9
            assert rank_descending(a @ w)[i] == row[f"{which}_rank"]


@pytest.fixture(scope="module")
def bundled_bounds(bundled):
    return rb.rank_bounds(bundled, "bitkom", min_weight=0.1, max_weight=0.4)


def test_rank_bounds_guarantees_on_the_bundled_data(bundled, bundled_bounds):
    b = bundled_bounds
    t = b.table
    assert b.nominal_within_bounds
    assert (t["best_rank"] <= t["rank"]).all() and (t["rank"] <= t["worst_rank"]).all()
    assert list(t.columns[:4]) == ["name", "rank", "best_rank", "worst_rank"]
    # Every sampled rank with weights inside the same bounds lies within [best, worst].
    r = rb.uncertainty(bundled, "bitkom", draws=500, seed=2, weights="simplex",
                       bounds=(0.1, 0.4))
    best = t["best_rank"].reindex(r.table.index).to_numpy()
    worst = t["worst_rank"].reindex(r.table.index).to_numpy()
    assert (r.ranks >= best).all() and (r.ranks <= worst).all()
    # A city at least as good as another in every area has best and worst ranks no worse.
    areas = cityindex.score(bundled, "bitkom").table.loc[t.index, list(b.spec.areas)]
    a = areas.to_numpy()
    for i, j in itertools.permutations(range(len(t)), 2):
        if (a[i] >= a[j]).all():
            assert t["best_rank"].iloc[i] <= t["best_rank"].iloc[j]
            assert t["worst_rank"].iloc[i] <= t["worst_rank"].iloc[j]


def test_rank_bounds_geometric_and_errors(bundled, tiny):
    g = rb.rank_bounds(bundled, "geometric", edition=2022, min_weight=0.15, max_weight=0.3)
    assert g.criterion == "geometric"
    t = g.table
    assert (t["best_rank"] <= t["rank"]).all() and (t["rank"] <= t["worst_rank"]).all()
    with pytest.raises(RobustnessError, match=r"5 areas with a maximum weight of 0.1 cannot "
                                              r"add up to 1"):
        rb.rank_bounds(bundled, "bitkom", min_weight=0.0, max_weight=0.1)
    with pytest.raises(RobustnessError, match=r"5 areas with a minimum weight of 0.3 need "
                                              r"more than the whole"):
        rb.rank_bounds(bundled, "bitkom", min_weight=0.3, max_weight=0.5)
    # Tiny's B2 has no score in M and bitkom skips it: not linear in the weights.
    with pytest.raises(RobustnessError, match=r"Bstadt \(B2\): M"):
        rb.rank_bounds(tiny, "bitkom", min_weight=0.2, max_weight=0.8)
    zero = rb.rank_bounds(tiny, "bitkom", params={"missing": "zero"}, min_weight=0.2,
                          max_weight=0.8)
    assert zero.table.loc["B2", "worst_rank"] == 3
    payload = json.loads(to_json(zero.export()))
    assert payload["methodology"]["settings"]["min_weight"] == 0.2
    assert {"best_rank", "worst_rank", "best_weight_V"} <= set(payload["cities"][0])


# --- command line ---------------------------------------------------------------------------


def cli(capsys, *argv):
    from cityindex.cli import main

    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_uncertainty(capsys, tiny_dir, tmp_path):
    code, out, err = cli(capsys, "uncertainty", "-d", str(tiny_dir), "--draws", "40",
                         "--seed", "3", "--normalisations", "minmax", "zscore",
                         "--aggregations", "arithmetic", "geometric", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "city_id,name,rank,median_rank,rank_p05,rank_p95,p_rank1,p_top10"
    assert [line.split(",")[0] for line in lines[1:]] == ["C3", "A1", "B2"]
    assert err.startswith("cityindex: warning: draws: 40, evaluated ")
    assert "zscore + geometric" in err
    api = rb.uncertainty(cityindex.load_dataset(tiny_dir), "bitkom", draws=40, seed=3,
                         normalisations=("minmax", "zscore"),
                         aggregations=("arithmetic", "geometric"))
    assert f"not evaluated {api.n_failed}" in err
    code, out, _ = cli(capsys, "uncertainty", "-d", str(tiny_dir), "--draws", "40",
                       "--weights", "simplex", "--min-weight", "0.2", "--max-weight", "0.8")
    assert code == 0
    assert "40 draws (areas: uniform over all weightings, area weights within 0.2–0.8" in out
    assert "draws: 40, evaluated 40, not evaluated 0" in out
    target = tmp_path / "u.xlsx"
    code, out, _ = cli(capsys, "uncertainty", "-d", str(tiny_dir), "--draws", "10",
                       "-o", str(target), "--locale", "de")
    assert code == 0 and target.read_bytes()[:2] == b"PK"


def test_cli_sensitivity_and_rank_bounds(capsys, tiny_dir):
    code, out, err = cli(capsys, "sensitivity", "-d", str(tiny_dir), "--samples", "8",
                         "-p", "missing=zero", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert [row["input"] for row in payload["sobol"]] == ["V", "M"]
    assert payload["samples"] == 8 and payload["evaluations"] == 32
    assert all(line.startswith("cityindex: warning: ") for line in err.splitlines()
               if line.strip() and "Highs" not in line)
    code, out, _ = cli(capsys, "rank-bounds", "-d", str(tiny_dir), "-p", "missing=zero",
                       "--min-weight", "0.2", "--max-weight", "0.8")
    assert code == 0
    header = next(line for line in out.splitlines() if line.startswith("city_id"))
    assert header.split() == ["city_id", "name", "rank", "best_rank", "worst_rank"]
    assert "with each weight between 0.2 and 0.8" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["rank-bounds", "--max-weight", "0.1"],
     "cityindex: error: rank bounds with area weights between 0.1 and 0.1: 5 areas with a "
     "maximum weight of 0.1 cannot add up to 1 (max × 5 = 0.5 < 1): raise the maximum to at "
     "least 0.2\n"),
    (["uncertainty", "-m", "service_coverage", "--draws", "5"],
     "cityindex: error: method 'service_coverage' has no hierarchical structure the "
     "robustness analyses can re-evaluate (it implements no Method.structure); methods that "
     "have one: bitkom, geometric\n"),
    (["sensitivity", "-w", "nowhere=2", "--samples", "4"],
     "cityindex: error: 'nowhere' is no area, category or indicator of edition 2025 (areas: "
     "verwaltung, it_kommunikation, energie_umwelt, mobilitaet, gesellschaft)\n"),
])
def test_cli_errors_are_one_line(capsys, argv, message):
    code, out, err = cli(capsys, *argv)
    assert code == 2 and err == message and "Traceback" not in err


def test_too_many_draws_or_none_evaluated_is_one_clear_error(capsys):
    """Found by a new user: 10**8 draws ended in a MemoryError traceback, and a combination
    that no draw survives returned a table of nothing with exit 0."""
    from cityindex.cli import main

    assert main(["uncertainty", "--draws", "100000000"]) == 2
    assert capsys.readouterr().err.startswith(
        "cityindex: error: draws must be at most 1,000,000")
    assert main(["uncertainty", "--draws", "50", "--aggregations", "geometric",
                 "--normalisations", "zscore"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cityindex: error: none of the 50 draws could be evaluated: zscore + "
                          "geometric: a ranked city has an area score ≤ 0")
