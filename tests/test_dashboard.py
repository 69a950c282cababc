"""The dashboard driven by Streamlit's AppTest (no browser), and the pure data shaping behind
it (``cityindex.views``, ``cityindex.i18n``).

The app runs on the bundled ``data/`` (or ``$CITYINDEX_DATA``), like ``make run``. AppTest runs
are kept few: every tab is opened once per built-in method through a link (``?tab=...``),
which is also how a shared view comes back.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cityindex
from cityindex import i18n, views

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "dashboard.py")
BUILTIN_METHODS = ("bitkom", "equal_weights", "service_coverage", "geometric")


@pytest.fixture(scope="module")
def dataset():
    return cityindex.load_dataset()


def run_app(query: dict | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def open_tab(at):
    """The one tab whose content ran (tabs render lazily)."""
    opened = [tab for tab in at.tabs if len(tab.children)]
    assert len(opened) == 1, [(tab.label, len(tab.children)) for tab in at.tabs]
    return opened[0]


def ranking_frame(at) -> pd.DataFrame:
    """The ranking tab's table: its table view is chosen as a reader would (a click on
    "Tabelle"; the tab opens on its chart)."""
    choice = next(r for r in at.radio if r.key.startswith("ranking_view"))
    if choice.value != "table":
        choice.set_value("table").run()
    return at.dataframe[0].value


def query_of(at) -> dict[str, list[str]]:
    """The app's URL query, every value as a list."""
    return {k: v if isinstance(v, list) else [v] for k, v in dict(at.query_params).items()}


def shown_text(element) -> str:
    """An element's text as the reader sees it: the app escapes markdown in names and
    messages from data and plugins (``per\\_value\\_mean`` is shown as per_value_mean)."""
    return re.sub(r"\\(.)", r"\1", element.value)


def warnings_of(at) -> list[str]:
    return [shown_text(w) for w in at.warning]


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# --- AppTest ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", BUILTIN_METHODS)
def test_every_tab_renders_with_every_builtin_method(method):
    for tab_id in views.TABS:
        at = run_app({"method": method, "tab": tab_id})
        assert_clean(at)
        assert open_tab(at).label == i18n.t(f"tab_{tab_id}", "de")
        assert at.sidebar.selectbox(key="method").value == method


def test_no_tab_changes_the_shared_cached_results(monkeypatch):
    """Scores, comparisons, ranking tables and the profile's tables of a city are cached as
    shared resources (one object for every rerun and session, no copy): opening every tab,
    with a city chosen and a comparison group, must leave each of them exactly as it was
    computed."""
    import copy

    from dashboard_ui import common, compare, profile

    common.score.clear()
    common.scores.clear()
    common.comparison.clear()
    common.ranking.clear()
    profile.published_table.clear()
    profile.service_table.clear()
    first_seen: dict[int, tuple[object, object]] = {}
    tables: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}

    def recording_table(function):
        def record(*args, **kwargs):
            out = function(*args, **kwargs)
            for frame in out if isinstance(out, tuple) else (out,):  # (table, sources) too
                if isinstance(frame, pd.DataFrame):
                    tables.setdefault(id(frame), (frame, frame.copy(deep=True)))
            return out
        return record

    def recording(function):
        def record(*args, **kwargs):
            out = function(*args, **kwargs)
            if out[0] is not None and id(out[0]) not in first_seen:
                first_seen[id(out[0])] = (out[0], copy.deepcopy(out[0]))
            return out
        return record

    monkeypatch.setattr(common, "score", recording(common.score))
    monkeypatch.setattr(common, "comparison", recording(common.comparison))
    monkeypatch.setattr(compare, "comparison", common.comparison)  # imported by name there
    monkeypatch.setattr(common, "ranking", recording_table(common.ranking))
    for name in ("published_table", "service_table"):
        monkeypatch.setattr(profile, name, recording_table(getattr(profile, name)))
    for tab_id in views.TABS:
        assert_clean(run_app({"tab": tab_id, "cities": "05913000", "peer": "ruhr",
                              "profile": "05913000"}))
    kinds = {type(obj).__name__ for obj, _ in first_seen.values()}
    assert kinds == {"ScoreResult", "Comparison"}
    assert len(tables) >= 3  # a ranking table, the profile's published figures and services
    for shared, as_built in tables.values():
        pd.testing.assert_frame_equal(shared, as_built)
    for shared, as_computed in first_seen.values():
        for field, value in vars(as_computed).items():
            now = getattr(shared, field)
            if isinstance(value, pd.DataFrame):
                pd.testing.assert_frame_equal(now, value)
            elif isinstance(value, pd.Series):
                pd.testing.assert_series_equal(now, value)
            elif field != "results":  # the results are recorded and checked themselves
                assert now == value, field


def test_a_chart_is_known_by_every_row_of_its_table():
    """chart_spec() keys its cache on fingerprint(): one changed cell anywhere in a table of
    100,000 rows (Streamlit's hashing samples 10,000 of them), a renamed column, another
    dtype, another label or highlighted city each give another fingerprint; equal inputs built
    separately give the same one."""
    from dashboard_ui.common import Static, fingerprint

    def table():
        n = 100_000
        return pd.DataFrame({"city_id": [f"c{i}" for i in range(n)],
                             "rank": np.arange(1, n + 1), "total": np.linspace(0, 100, n)})

    base = fingerprint((table(), {"total": "Gesamt"}, ["c1"]))
    assert fingerprint((table(), {"total": "Gesamt"}, ["c1"])) == base
    one_cell = table()
    one_cell.loc[54_321, "total"] += 1e-9
    renamed = table().rename(columns={"total": "score"})
    as_float = table().astype({"rank": float})
    for other in ((one_cell, {"total": "Gesamt"}, ["c1"]),
                  (renamed, {"total": "Gesamt"}, ["c1"]),
                  (as_float, {"total": "Gesamt"}, ["c1"]),
                  (table(), {"total": "Total"}, ["c1"]),
                  (table(), {"total": "Gesamt"}, ["c2"]),
                  (table(), {"total": "Gesamt"}, ("c1",))):
        assert fingerprint(other) != base
    assert fingerprint(np.int64(3)) == fingerprint(3) != fingerprint(3.0)
    assert fingerprint(Static("topo", {"a": 1})) == fingerprint(Static("topo", {"b": 2}))
    with pytest.raises(TypeError, match="takes no object"):
        fingerprint(object())


def test_a_cached_chart_carries_its_tables_as_the_arrow_streamlit_sends():
    """with_arrow_tables() turns each table of a spec into the Arrow bytes st.vega_lite_chart
    would make of it on every rerun (and passes on as they are); the rows read back are the
    rows, a missing value null; a TopoJSON dataset stays in the spec as it is."""
    import pyarrow as pa

    from dashboard_ui.common import with_arrow_tables

    rows = [{"name": "Köln", "rank": 1, "total": 71.4, "state": None},
            {"name": "Bonn", "rank": 2, "total": None, "state": "NRW"}]
    topology = {"type": "Topology", "objects": {}, "arcs": []}
    spec = {"mark": "bar", "datasets": {"data-1": rows, "germany_states": topology}}
    converted = with_arrow_tables(spec)
    assert spec["datasets"]["data-1"] is rows  # the given spec is not changed
    table = pa.ipc.open_stream(converted["datasets"]["data-1"]).read_all()
    assert table.select(["name", "rank", "total", "state"]).to_pylist() == rows
    assert converted["datasets"]["germany_states"] is topology
    assert with_arrow_tables({"mark": "bar"}) == {"mark": "bar"}


def test_the_ranking_has_one_row_per_city(dataset):
    at = run_app()
    assert_clean(at)
    frame = ranking_frame(at)
    edition_cities = dataset.edition_cities(dataset.latest_edition)
    assert len(frame) == len(edition_cities)
    assert sorted(frame.index) == sorted(edition_cities)
    assert frame["rank"].min() == 1
    # Every row carries its provenance marker, and the legend explains the markers shown.
    by_label = {i18n.provenance_label(m, "de"): m for m in cityindex.PROVENANCE_LABELS}
    assert set(frame["provenance_label"]) <= set(by_label)
    legend = " ".join(c.value for c in at.caption)
    for label in set(frame["provenance_label"]):
        assert label in legend


def test_switching_the_method_changes_the_order():
    at = run_app()
    before = list(ranking_frame(at)["name"])
    at.sidebar.selectbox(key="method").select("equal_weights").run()
    assert_clean(at)
    after = list(ranking_frame(at)["name"])
    assert sorted(after) == sorted(before)
    assert after != before
    assert query_of(at)["method"] == ["equal_weights"]


def test_a_plugin_registered_in_process_appears_in_the_method_list(dataset):
    class Alphabetical(cityindex.Method):
        name = "alphabetical_test"
        title = "Alphabetical (test plugin)"
        description = "Ranks cities by name. A test method."
        requires = frozenset()

        def score(self, data, params):
            names = dataset.cities["name"].reindex(data.city_ids).astype(str)
            order = names.rank(method="first").to_numpy()
            total = 100.0 - order
            return cityindex.MethodOutput(total=total,
                                          weights=np.full(data.shape[1], 1 / data.shape[1]))

    class Plugin:
        @cityindex.hookimpl
        def cityindex_register_methods(self, register):
            register(Alphabetical())

    pm = cityindex.get_plugin_manager()
    pm.register(Plugin(), name="test-dashboard-plugin")
    try:
        at = run_app()
        assert "Alphabetical (test plugin) (alphabetical_test)" in at.sidebar.selectbox(
            key="method").options
        at.sidebar.selectbox(key="method").select("alphabetical_test").run()
        assert_clean(at)
        names = list(ranking_frame(at)["name"])
        assert names == sorted(names, key=lambda n: n)  # the plugin's order is shown
        at = run_app({"method": "alphabetical_test", "tab": "methods"})
        assert_clean(at)
        assert any("alphabetical_test" in e.label for e in at.expander)
    finally:
        pm.unregister(name="test-dashboard-plugin")
    at = run_app()
    assert not any("alphabetical_test" in o for o in at.sidebar.selectbox(key="method").options)


def test_a_link_restores_the_view(dataset):
    edition = dataset.editions[-2]
    cities = dataset.edition_cities(edition)[:2]
    state = dataset.cities.at[cities[0], "state"]
    query = {
        "lang": "en",
        "edition": str(edition),
        "method": "equal_weights",
        "p.scaling": "share_of_best",
        "state": [state],
        "size": ["small", "medium", "large"],
        "city": list(cities),
        "tab": "compare",
    }
    at = run_app(query)
    assert_clean(at)
    sidebar = at.sidebar
    assert sidebar.radio(key="lang").value == "en"
    assert sidebar.selectbox(key="edition").value == edition
    assert sidebar.selectbox(key="method.en").value == "equal_weights"  # English widget
    assert at.session_state["p.equal_weights.scaling"] == "share_of_best"
    assert sidebar.multiselect(key="states").value == [state]
    assert sidebar.multiselect(key="cities").value == list(cities)
    assert open_tab(at).label == "Compare methods"
    # The app writes the same view back into the URL (nothing lost, nothing added) ...
    assert query_of(at) == {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    # ... and a changed widget updates it.
    at.sidebar.multiselect(key="states").set_value([]).run()
    assert "state" not in query_of(at)
    assert query_of(at)["method"] == ["equal_weights"]


def test_a_stale_link_falls_back_to_the_defaults_with_a_note(dataset):
    at = run_app({"method": "no_such_method", "edition": "1900", "tab": "nowhere"})
    assert_clean(at)
    assert at.sidebar.selectbox(key="method").value == "bitkom"
    assert at.sidebar.selectbox(key="edition").value == dataset.latest_edition
    warning = " ".join(warnings_of(at))
    assert "method=no_such_method" in warning and "edition=1900" in warning


def test_german_by_default_and_english_on_request():
    at = run_app()
    assert [tab.label for tab in at.tabs][0] == "Rangliste"
    at.sidebar.radio(key="lang").set_value("en").run()
    assert_clean(at)
    assert [tab.label for tab in at.tabs] == [i18n.t(f"tab_{t}", "en") for t in views.TABS]
    assert query_of(at)["lang"] == ["en"]


# --- views: groups and filters ------------------------------------------------------------------


def test_size_classes():
    pop = pd.Series([100_000, 199_999, 200_000, 650_000, np.nan])
    assert list(views.size_class(pop)) == ["small", "small", "medium", "large", "unknown"]


def test_peer_groups(dataset):
    groups = views.peer_groups(dataset.cities)
    ruhr = set(groups["ruhr"])
    assert {"05913000", "05113000", "05112000"} <= ruhr  # Dortmund, Essen, Duisburg
    assert "05315000" not in ruhr  # Köln is not in the Ruhr area
    assert set(groups["city_states"]) == {"11000000", "02000000", "04011000"}
    assert "state:Nordrhein-Westfalen" in groups
    assert ruhr <= set(groups["state:Nordrhein-Westfalen"])


def test_filter_mask():
    table = pd.DataFrame(
        {"state": ["A", "A", "B"], "population": [150_000, 600_000, 300_000]},
        index=pd.Index(["x", "y", "z"], name="city_id"),
    )
    assert views.filter_mask(table).all()
    assert list(views.filter_mask(table, states=["A"])) == [True, True, False]
    assert list(views.filter_mask(table, sizes=["large", "medium"])) == [False, True, True]
    assert list(views.filter_mask(table, states=["A"], peer=["x", "z"])) == [True, False, False]


def test_find_cities_ignores_case_and_umlauts():
    table = pd.DataFrame({"name": ["München", "Mülheim an der Ruhr", "Köln"]})
    assert list(views.find_cities(table, "muen")) == [True, False, False]
    assert list(views.find_cities(table, "MÜL")) == [False, True, False]
    assert views.find_cities(table, "  ").all()


# --- views: ranking, comparison, profile, services ---------------------------------------------


def _scored(ranks: dict[str, int], totals=None, edition=2024) -> cityindex.ScoreResult:
    ids = list(ranks)
    table = pd.DataFrame(
        {
            "rank": [ranks[c] for c in ids],
            "name": [f"City {c}" for c in ids],
            "state": "S",
            "total": totals or [100.0 - ranks[c] for c in ids],
            "area_a": 50.0,
            "area_a_rank": pd.array([1] * len(ids), dtype="Int64"),
            "area_a_provenance": "modeled",
            "missing": 0,
            "provenance": "modeled",
            "published_rank": pd.array([pd.NA] * len(ids), dtype="Int64"),
            "published_total": np.nan,
            "published_rank_change": pd.array([pd.NA] * len(ids), dtype="Int64"),
            "population": 100_000,
            "lat": 50.0,
            "lon": 10.0,
        },
        index=pd.Index(ids, name="city_id"),
    )
    return cityindex.ScoreResult(
        method="m", title="M", edition=edition, params={}, table=table,
        weights=pd.Series(dtype=float), categories=None, area_names={"area_a": "Area A"},
        missing_policy="",
    )


def test_ranking_table_rank_change_is_positive_for_a_better_rank():
    now = _scored({"a": 1, "b": 2, "c": 3})
    before = _scored({"a": 3, "b": 2, "d": 1}, edition=2023)
    table = views.ranking_table(now, before)
    assert table["rank_change"].tolist()[:2] == [2, 0]
    assert pd.isna(table.loc["c", "rank_change"])  # not assessed the year before
    assert "area_a" in table.columns


def test_category_extremes_carry_their_markers(tiny):
    """Bitkom's categories on the tiny fixture (see tests/test_methods.py): B2's v1 = 50 is
    computed from its modeled i1, so it is marked modeled; medians over the three cities
    (v1 75/50/25 → 50, v2 100/0/100 → 100, vp 50/100/0 → 50, m1 0/–/100 → 50)."""
    result = cityindex.score(tiny, "bitkom")
    names = {"v1": "Dienste", "v2": "Termine", "vp": "Projekte", "m1": "Sharing"}
    best, worst = views.category_extremes(result, "B2", names, n=2)
    assert best.to_dict("list") == {"category": ["Projekte", "Dienste"], "score": [100.0, 50.0],
                                    "median_all": [50.0, 50.0],
                                    "provenance": ["computed", "modeled"]}
    assert worst.to_dict("list") == {"category": ["Termine", "Dienste"], "score": [0.0, 50.0],
                                     "median_all": [100.0, 50.0],
                                     "provenance": ["computed", "modeled"]}


def test_published_mismatches():
    res = _scored({"a": 1, "b": 2})
    table = res.table.copy()
    table["provenance"] = ["published", "published"]
    table["published_rank"] = pd.array([1, 2], dtype="Int64")
    table["published_total"] = [99.0, 90.0]  # b's computed total is 98
    assert list(views.published_mismatches(table).index) == ["b"]
    # A rank marker checks only the rank, a score marker only the total; a figure missing on
    # either side is a mismatch (the marker would claim a number nobody published).
    wide = pd.DataFrame({
        "provenance": ["published rank", "published rank", "published score", "modeled",
                       "published", "published score"],
        "rank": pd.array([1, 2, 3, 4, None, 6], dtype="Int64"),
        "published_rank": pd.array([1, 3, 9, 1, None, None], dtype="Int64"),
        "total": [90.0, 80.0, 70.04, 60.0, 50.0, 40.0],
        "published_total": [10.0, 80.0, 70.0, 1.0, 50.0, np.nan],
    }, index=list("uvwxyz"))
    assert list(views.published_mismatches(wide).index) == ["v", "y", "z"]


def test_rank_and_correlation_tables():
    ranks = pd.DataFrame({"x": [1, 2, 3], "y": [3, 2, 1]}, index=["a", "b", "c"])
    names = pd.Series({"a": "A", "b": "B", "c": "C"})
    long = views.ranks_long(ranks, names)
    assert set(long.columns) == {"city_id", "method", "rank", "name"} and len(long) == 6
    corr = views.correlation_long(pd.DataFrame([[1, -1], [-1, 1]], index=["x", "y"],
                                               columns=["x", "y"]))
    assert len(corr) == 4


def test_area_profile_medians():
    res = _scored({"a": 1, "b": 2, "c": 3})
    res.table["area_a"] = [90.0, 50.0, 10.0]
    profile = views.area_profile(res, "a", ["b", "c"], {"area_a": "Area A"})
    values = dict(zip(profile["series"], profile["score"], strict=True))
    assert values == {"this_city": 90.0, "median_all": 50.0, "median_peer": 30.0}
    # A missing score is left out of the medians; a group with no score has none.
    res = _scored({"a": 1, "b": 2, "c": 3, "d": 4})
    res.table["area_a"] = [90.0, np.nan, 10.0, 40.0]
    profile = views.area_profile(res, "b", ["b", "x"], {"area_a": "Area A"})
    assert profile["area"].tolist() == ["Area A"] * 3
    assert profile["series"].tolist() == ["this_city", "median_all", "median_peer"]
    assert profile["score"].tolist()[1] == 40.0  # median of 90, 10, 40
    assert np.isnan(profile["score"].tolist()[0]) and np.isnan(profile["score"].tolist()[2])
    assert views.area_profile(res, "zz", None, {}).empty


def test_history_keeps_a_published_rank_without_points():
    res = _scored({"a": 1, "b": 2})
    published = pd.DataFrame({
        "edition": [2023, 2022, 2024, 2023], "city_id": ["a", "a", "a", "b"],
        "scope": ["total"] * 4, "status": ["used", "used", "alternative", "used"],
        "rank": pd.array([4, 7, 1, 2], dtype="Int64"), "points": [np.nan, 61.5, 99.0, 80.0],
    })
    past = views.history({2024: res}, "a", published)
    rows = [(e, s, r, None if np.isnan(t) else t, m)
            for e, s, r, t, m in past.itertuples(index=False)]
    marker = str(res.table.at["a", "provenance"])  # the computed rank's own marker
    assert rows == [(2024, "computed_rank", 1.0, 99.0, marker),
                    (2022, "published_rank", 7.0, 61.5, "published"),
                    (2023, "published_rank", 4.0, None, "published")]


def test_offered_rule():
    value = pd.Series([1.0, 0.0, 60.0, 40.0, 3.0, np.nan])
    kind = pd.Series(["yes_no", "yes_no", "share", "share", "count", "yes_no"])
    assert views.offered(value, kind).tolist() == [True, False, True, False, True, pd.NA]


def test_service_tables(dataset):
    edition = dataset.latest_edition
    services = views.service_indicators(dataset, edition)
    assert len(services) > 0
    city = dataset.edition_cities(edition)[0]
    mine = views.city_services(dataset, edition, city)
    assert list(mine.index) == list(services.index)
    shares = views.service_shares(dataset)
    this = shares[shares["edition"] == edition]
    assert this["share_computed"].between(0, 100).all()
    offers = views.service_offers(dataset, edition, services.index[0])
    assert len(offers) == len(dataset.edition_cities(edition))
    share = this.set_index("indicator_id").at[services.index[0], "share_computed"]
    assert share == pytest.approx(100 * offers["offered"].dropna().mean())


def test_city_services_of_the_tiny_fixture(tiny):
    # Services: i3 (online appointment, yes/no) and i5 (sharing coverage, share).
    b2 = views.city_services(tiny, 2024, "B2")
    assert b2.index.tolist() == ["i3", "i5"]
    assert b2["value"].iloc[0] == 0.0 and np.isnan(b2["value"].iloc[1])  # i5 not collected
    assert b2["offered"].tolist()[0] is False and b2["offered"].isna().tolist() == [False, True]
    assert b2["provenance"].tolist() == ["published", "published"]
    c3 = views.city_services(tiny, 2024, "C3")
    assert c3["value"].tolist() == [1.0, 80.0] and c3["offered"].tolist() == [True, True]
    unknown = views.city_services(tiny, 2024, "Z9")  # no values: every service unknown
    assert unknown["value"].isna().all() and unknown["provenance"].isna().all()


def test_published_figures_of_a_city(dataset):
    """Krefeld 2021 (seed article): Energie und Umwelt 77th with 23 points, Payment 92.5,
    Projekte Verwaltung 11.7 — the total first, then areas and categories in catalogue order."""
    cat = dataset.catalogue(2021)
    names = {"total": "Gesamt", **cat.areas["name_de"].to_dict(),
             **cat.categories["name_de"].to_dict()}
    figures = views.published_figures(dataset, 2021, "05114000", names).set_index("scope")
    assert figures.index[0] == "total"
    assert figures.loc["energie_umwelt", ["rank", "points"]].tolist() == [77, 23.0]
    assert figures.loc["payment", "points"] == 92.5
    assert figures.loc["payment", "scope_name"] == "Payment"
    assert figures.loc["projekte_verwaltung", "points"] == 11.7
    # the note in German where the row has one (note_de), as written in English
    german = views.published_figures(dataset, 2021, "05114000", names, "de").set_index("scope")
    assert german.at["payment", "note"].startswith("QR-Codes, PayPal, giropay, Kreditkarte; ")
    assert figures.at["payment", "note"].startswith("QR codes, PayPal, giropay, credit card")
    # a conflict shows both rows, the used one first
    gelsenkirchen = views.published_figures(dataset, 2021, "05513000", names)
    total = gelsenkirchen[gelsenkirchen["scope"] == "total"]
    assert total[["rank", "status"]].values.tolist() == [[11, "used"], [14, "alternative"]]


def test_history_has_computed_and_published_ranks(dataset):
    result = cityindex.score(dataset, "bitkom")
    city = result.table.index[0]  # the leader of the latest edition has a published rank
    assert pd.notna(dataset.published_results(result.edition).at[city, "rank"])
    past = views.history({result.edition: result}, city, dataset.published)
    assert {"computed_rank", "published_rank"} <= set(past["series"])
    # The city's own rows give the same history (the profile passes them).
    pd.testing.assert_frame_equal(
        views.history({result.edition: result}, city, dataset.city_rows("published", city)),
        past)


def test_results_pickle_for_st_cache_data(dataset):
    import pickle

    result = cityindex.score(dataset, "bitkom")
    again = pickle.loads(pickle.dumps(result))
    pd.testing.assert_frame_equal(again.table, result.table)


def test_methods_and_data_tables(dataset):
    method = cityindex.get_registry().method("bitkom")
    params = views.parameter_table(method.parameters)
    assert list(params["name"]) == [p.name for p in method.parameters]
    counts = views.values_by_provenance(dataset)
    assert list(counts.index) == dataset.editions
    assert views.first_sentence("One. Two. Three.") == "One."


# --- views: the URL query -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def context(dataset):
    registry = cityindex.get_registry()
    return views.QueryContext(
        editions=dataset.editions,
        methods={name: registry.method(name).parameters for name in registry},
        cities=list(dataset.cities.index),
        states=sorted(dataset.cities["state"].unique()),
        peers=list(views.peer_groups(dataset.cities)),
        default_method="bitkom",
    )


def test_query_round_trip(context, dataset):
    state = views.ViewState(
        lang="en", edition=dataset.editions[0], method="bitkom",
        params={"projects_bonus": 0.1, "scaling": "share_of_best"},
        states=("Bayern",), sizes=("large",), peer="ruhr", cities=("05913000", "05113000"),
        compare=("bitkom", "geometric"), tab="profile", color="rank", ranking_view="table",
        profile="05913000", profile_peer="ruhr",
    )
    query = views.encode_query(state)
    assert query["p.projects_bonus"] == "0.1" and query["city"] == ["05913000", "05113000"]
    assert query["view"] == "table"
    decoded, problems = views.decode_query(query, context)
    assert problems == []
    # The default method is left out of the link and comes back as "the default".
    assert decoded == views.ViewState(**{**state.__dict__, "method": None})


def test_robustness_settings_round_trip_and_bad_ones_are_reported(context):
    settings = {"scheme": "simplex", "draws": 5000, "seed": 0, "bounds": (0.05, 0.5),
                "categories": True, "normalisations": ("zscore",),
                "aggregations": ("arithmetic", "geometric"), "samples": 1024,
                "concentration": 12.5, "noise": 0.1}
    query = views.encode_query(views.ViewState(robustness=settings))
    assert query["rb.bounds"] == "0.05,0.5" and query["rb.categories"] == "true"
    decoded, problems = views.decode_query(query, context)
    assert problems == [] and decoded.robustness == settings
    # defaults are left out of the link
    assert views.encode_query(views.ViewState(robustness=dict(views.ROBUSTNESS_DEFAULTS))) == {}
    bad = {"rb.scheme": "random", "rb.draws": "50", "rb.seed": "-1", "rb.bounds": "0.5,0.2",
           "rb.samples": "100", "rb.normalisations": ["minmax", "log"], "rb.colour": "red",
           "rb.noise": "nan", "rb.categories": "yes"}
    decoded, problems = views.decode_query(bad, context)
    assert decoded.robustness == {}
    assert sorted(problems) == sorted(["rb.scheme=random", "rb.draws=50", "rb.seed=-1",
                                       "rb.bounds=0.5,0.2", "rb.samples=100",
                                       "rb.normalisations=minmax,log", "rb.colour=red",
                                       "rb.noise=nan", "rb.categories=yes"])


def test_defaults_make_an_empty_query(context):
    assert views.encode_query(views.ViewState()) == {}
    state, problems = views.decode_query({}, context)
    assert state == views.ViewState() and problems == []


def test_invalid_query_values_are_reported_not_raised(context):
    query = {"lang": "fr", "edition": "abc", "method": "equal_weights", "p.scaling": "nope",
             "p.unknown": "1", "state": ["Atlantis"], "city": ["99999999"], "tab": "x",
             "peer": "mars", "view": "map"}
    state, problems = views.decode_query(query, context)
    assert state.method == "equal_weights" and state.params == {}
    assert state.lang == "de" and state.edition is None and state.tab == "ranking"
    assert state.ranking_view == "chart"
    assert sorted(problems) == sorted([
        "lang=fr", "edition=abc", "p.scaling=nope", "p.unknown=1", "state=Atlantis",
        "city=99999999", "tab=x", "peer=mars", "view=map",
    ])


def test_own_weights_in_a_link_are_whole_numbers_of_the_sliders_scale(context):
    """What a slider cannot show is not rounded or clamped in silence: it is reported."""
    areas = views.QueryContext(**{**context.__dict__, "areas": ["verwaltung", "mobilitaet"]})
    query = {"w.verwaltung": "10", "w.mobilitaet": "0", "w.gesellschaft": "2"}
    state, problems = views.decode_query(query, areas)
    assert state.weights == {"verwaltung": 10, "mobilitaet": 0} and problems == [
        "w.gesellschaft=2"]  # not an area of this dataset
    bad = {"w.verwaltung": "3.5", "w.mobilitaet": "11"}
    assert views.decode_query(bad, areas) == (views.ViewState(), ["w.verwaltung=3.5",
                                                                  "w.mobilitaet=11"])
    for raw in ("-1", "nan", "inf", "x", ""):
        assert views.decode_query({"w.verwaltung": raw}, areas)[0].weights == {}
    assert views.decode_query(query, context)[0].weights["gesellschaft"] == 2  # no areas: any
    link = views.encode_query(views.ViewState(weights={"verwaltung": 10.0, "mobilitaet": 0.0}))
    assert link == {"w.mobilitaet": "0", "w.verwaltung": "10"}  # as the slider shows them


def test_a_single_choice_given_twice_keeps_the_last_and_reports_the_others(context):
    query = {"edition": ["2022", "2023"], "w.verwaltung": ["3", "4"],
             "state": ["Bayern", "Hessen"], "rb.normalisations": ["minmax", "zscore"]}
    state, problems = views.decode_query(query, context)
    assert state.edition == 2023 and state.weights == {"verwaltung": 4}
    assert state.states == ("Bayern", "Hessen")  # a list: nothing is dropped
    assert state.robustness["normalisations"] == ("minmax", "zscore")
    assert sorted(problems) == ["edition=2022", "w.verwaltung=3"]


def test_a_whole_number_is_written_as_typed_in_links_and_labels(context):
    """``p.floor=5`` came back as ``p.floor=5.0`` (and ``projects_bonus=0.0`` on the command
    line); a fraction keeps every digit."""
    from cityindex.engine import method_label

    state = views.ViewState(method="geometric", params={"floor": 5.0},
                            weights={"verwaltung": 10.0})
    query = views.encode_query(state)
    assert query == {"method": "geometric", "p.floor": "5", "w.verwaltung": "10"}
    decoded, problems = views.decode_query(query, context)
    assert problems == [] and decoded.params == {"floor": 5.0}
    assert isinstance(decoded.params["floor"], float)
    assert views.encode_query(views.ViewState(params={"projects_bonus": 0.1 + 0.2})) == {
        "p.projects_bonus": "0.30000000000000004"}
    assert method_label("bitkom", {"projects_bonus": 0.0, "scaling": "minmax"}) == (
        "bitkom(projects_bonus=0, scaling=minmax)")


def test_params_key_is_hashable_and_order_free():
    assert views.params_key({"b": 1, "a": 2}) == views.params_key({"a": 2, "b": 1})
    hash(views.params_key({"a": 0.5}))


# --- i18n ---------------------------------------------------------------------------------------


def test_both_languages_have_every_label():
    assert set(i18n.LABELS["de"]) == set(i18n.LABELS["en"])
    assert i18n.t("tab_map") == "Karte" and i18n.t("tab_map", "en") == "Map"
    assert i18n.t("no_such_key", "en") == "no_such_key"
    assert i18n.t("n_cities", "de", n=3, total=81) == "3 von 81 Städten"


def test_every_provenance_marker_has_a_symbol_and_both_texts():
    for marker in cityindex.PROVENANCE_LABELS:
        assert marker in i18n.PROVENANCE_MARKERS
        for lang in i18n.LANGUAGES:
            assert marker in i18n.PROVENANCE_TEXT[lang]
    assert i18n.provenance_label("modeled", "de") == "○ modelliert"
    assert [i18n.provenance_label(m, "de") for m in (None, float("nan"), "", " modeled ")] == [
        "–", "–", "–", "○ modelliert"]  # a missing value has no marker: "–", not "? None"
    legend = i18n.provenance_legend(["modeled", "published", "new-marker"], "en",
                                    {"new-marker": "explained by the core"})
    assert [text for _, text in legend] == [
        "rank and score as published", "computed from modeled values", "explained by the core",
    ]


def test_method_cards_in_the_users_language():
    class Card:
        title = "Equal weights"
        title_de = "Gleiche Gewichte"
        description = "Every indicator counts the same."

    assert i18n.card_text(Card, "title", "de") == "Gleiche Gewichte"
    assert i18n.card_text(Card, "title", "en") == "Equal weights"
    assert i18n.card_text(Card, "description", "de") == "Every indicator counts the same."


# --- faulty plugins (issue 7): one warning, a note per method, every tab keeps working ---------

CASES = REPO / "tests" / "fixtures" / "cases" / "plugins"


def test_a_plugin_that_fails_to_import_gives_one_warning(monkeypatch):
    """cases/plugins/broken-import: every view works; one warning names cityindex-broken."""
    monkeypatch.syspath_prepend(str(CASES / "broken-import" / "site"))
    pm = cityindex.get_plugin_manager()
    before = list(pm.failures)
    pm.load_entrypoint_plugins()
    try:
        for tab_id in views.TABS:
            at = run_app({"tab": tab_id})
            assert_clean(at)
            warnings = [w for w in warnings_of(at) if "cityindex-broken" in w]
            assert len(warnings) == 1, warnings_of(at)
            assert warnings[0].startswith("Eine Erweiterung konnte nicht geladen werden")
        methods_tab = open_tab(at)
        failures = methods_tab.dataframe[0].value
        assert failures["distribution"].tolist() == ["cityindex-broken"]
        assert "ModuleNotFoundError" in failures["message"].iloc[0]
        assert ranking_frame(run_app())["rank"].min() == 1
    finally:
        pm.failures[:] = before


def test_a_method_that_raises_leaves_compare_and_profile_working(monkeypatch):
    """cases/plugins/raises-while-scoring: per_value_mean divides by zero for Edorf, which has
    no values; the compare and profile tabs say so and go on with the other methods."""
    case = CASES / "raises-while-scoring"
    monkeypatch.setenv("CITYINDEX_DATA", str(case / "data"))
    monkeypatch.syspath_prepend(str(case / "site"))
    import cityindex_fragile

    pm = cityindex.get_plugin_manager()
    pm.register(cityindex_fragile, name="fragile")
    try:
        for tab_id in ("compare", "profile", "services", "methods", "ranking"):
            at = run_app({"tab": tab_id})
            assert_clean(at)
            assert at.sidebar.selectbox(key="method").value == "bitkom"
            if tab_id in ("compare", "profile"):
                notes = [w for w in warnings_of(at) if "Mean of the raw values" in w]
                assert len(notes) == 1, warnings_of(at)  # named by its title in both tabs
                assert "ZeroDivisionError" in notes[0]
        at = run_app({"tab": "compare"})
        shown = [h.value for h in open_tab(at).subheader]  # the other methods are compared
        assert i18n.t("bump_title", "de") in shown and i18n.t("movers", "de") in shown
        # Chosen, it cannot score the edition: the error names it with the core's reason in
        # German, and the page goes on with the default method (before: one red box, no
        # tabs, not even the methods tab with the plugin's card)
        at = run_app({"method": "per_value_mean", "tab": "methods"})
        assert not at.exception
        (error,) = [shown_text(e) for e in at.error]
        assert error.startswith("Die Methode „Mean of the raw values a city has“ "
                                "(per_value_mean) kann die Ausgabe 2024 nicht bewerten: Methode "
                                "'per_value_mean' (Plugin 'fragile', ")
        assert error.endswith("Angezeigt wird die Standardmethode „Bitkom-Methode: gewichtete "
                              "Kategorien“; wählen Sie in der Seitenleiste eine andere Methode.")
        assert at.title and len(at.tabs) == 7 and at.session_state["tab_id"] == "methods"
        assert "method" not in query_of(at)  # the link holds what is shown
        at.session_state["tabs.de"] = i18n.t("tab_ranking", "de")
        at.run()
        assert not at.exception
        table = ranking_frame(at)
        expected = cityindex.score(cityindex.load_dataset(case / "data"), "bitkom").table
        assert table["name"].tolist() == expected["name"].tolist()
    finally:
        pm.unregister(name="fragile")
        sys.modules.pop("cityindex_fragile", None)


def test_published_rank_changes_that_contradict_our_ranks_are_flagged(dataset):
    """Gelsenkirchen 2022: Bitkom printed -3, our 2021 and 2022 ranks give -6 (11th to 17th);
    Mülheim +3 against our +2. Every other published change of 2022 agrees."""
    now = cityindex.score(dataset, "bitkom", edition=2022)
    before = cityindex.score(dataset, "bitkom", edition=2021)
    table = views.ranking_table(now, before)
    off = table[table["published_change_check"] == "contradicts"]
    assert off["name"].tolist() == ["Gelsenkirchen", "Mülheim an der Ruhr"]
    assert off["published_rank_change"].tolist() == [-3, 3]
    assert off["rank_change"].tolist() == [-6, 2]
    agrees = table[table["published_change_check"] == "agrees"]
    assert len(agrees) == 21
    assert (agrees["published_rank_change"] == agrees["rank_change"]).all()
    other = views.ranking_table(cityindex.score(dataset, "equal_weights", edition=2022),
                                cityindex.score(dataset, "equal_weights", edition=2021))
    assert other["published_change_check"].isna().all()  # not Bitkom's method: no verdict


def test_edition_notes_are_in_the_readers_language(dataset):
    """editions.csv's research notes: German (``note_de``) in the German interface, English
    with English numbers otherwise; an edition without a German note shows the note as
    written rather than nothing."""
    german = views.editions_in(dataset, "de").set_index("edition")["note"]
    english = views.editions_in(dataset, "en").set_index("edition")["note"]
    assert "note_de" not in views.editions_in(dataset, "de")
    assert german[2020].startswith("Die Zusammenfassung von de.digital nennt 28 statt 38 "
                                   "Indikatoren | Datenpunkte: mehr als 11.000 | Bereiche: ")
    assert english[2020].startswith("de.digital's summary gives 28 instead of 38 Indikatoren "
                                    "| data points: more than 11,000 | areas: ")
    assert german[2025].endswith("Datenerhebung: März–Juni 2025 (franken-magazin); Angaben "
                                 "der Städte + amtliche Statistik + öffentliche Quellen")
    table = dataset.editions_table.copy()
    table.loc[table["edition"] == 2019, "note_de"] = ""
    partly = dataclasses.replace(dataset, editions_table=table)
    shown = views.editions_in(partly, "de").set_index("edition")["note"]
    assert shown[2019] == english[2019] and shown[2020] == german[2020]
    for lang, words in (("de", "Datenerhebung: "), ("en", "data collection: ")):
        tab = open_tab(run_app({"tab": "methods", "lang": lang}))
        notes = [d.value["note"] for d in tab.dataframe if "note" in d.value.columns]
        assert len(notes) == 1 and notes[0].str.contains(words).all(), notes
