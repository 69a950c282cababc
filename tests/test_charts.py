"""The chart functions are pure: tables in, Altair charts out. They are tested by inspecting
the Vega-Lite spec (``chart.to_dict()``), without streamlit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pytest

from cityindex import charts, formats

REPO = Path(__file__).resolve().parent.parent
TOPOLOGY = REPO / "data" / "geo" / "germany-states.topo.json"
SAFE_SCHEMES = {charts.SEQUENTIAL, charts.DIVERGING}
SAFE_COLORS = set(charts.OKABE_ITO) | {"#bbbbbb", "#BBBBBB", "#999999", "black", "white"}


@pytest.fixture(scope="module")
def topology():
    return json.loads(TOPOLOGY.read_text(encoding="utf-8"))


@pytest.fixture
def cities():
    return pd.DataFrame(
        {
            "rank": [1, 2, 3, 4],
            "name": ["Hamburg", "München", "Köln", "Bochum"],
            "state": ["Hamburg", "Bayern", "Nordrhein-Westfalen", "Nordrhein-Westfalen"],
            "total": [86.2, 82.4, 80.1, 70.0],
            "population": pd.array([1_850_000, 1_500_000, None, 365_000], dtype="Int64"),
            "lat": [53.55, 48.14, 50.94, np.nan],
            "lon": [10.0, 11.58, 6.96, np.nan],
            "provenance": ["published", "published rank", "modeled", "modeled"],
            "provenance_label": ["● published", "◐ published rank", "○ modeled", "○ modeled"],
        },
        index=pd.Index(["02000000", "09162000", "05315000", "05911000"], name="city_id"),
    )


def spec_of(chart) -> dict:
    spec = chart.to_dict()
    json.dumps(spec)  # serialisable as it is sent to the browser
    return spec


def walk(node):
    """Every dict inside a spec."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def colours_used(spec: dict) -> tuple[set[str], set[str]]:
    schemes, colours = set(), set()
    for node in walk(spec):
        if "scheme" in node:
            schemes.add(node["scheme"])
        for key in ("color", "fill", "stroke"):
            if isinstance(node.get(key), str) and node[key].startswith("#"):
                colours.add(node[key])
        scale = node.get("scale")
        if isinstance(scale, dict) and isinstance(scale.get("range"), list):
            colours.update(c for c in scale["range"] if isinstance(c, str) and c.startswith("#"))
        if "value" in node and isinstance(node["value"], str) and node["value"].startswith("#"):
            colours.add(node["value"])
    return schemes, colours


def datasets(spec: dict) -> list:
    return list(spec.get("datasets", {}).values())


def test_charts_do_not_import_streamlit():
    code = ("import sys, cityindex.charts, cityindex.views, cityindex.i18n; "
            "sys.exit('streamlit' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


def test_ranking_bars_in_rank_order_coloured_by_provenance(cities):
    labels = {"total": "Gesamt", "provenance": "Herkunft"}
    chart = charts.ranking_bars(
        cities.reset_index(), labels=labels, highlight=["05315000"],
        provenance_labels=dict(zip(cities["provenance"], cities["provenance_label"],
                                   strict=True)),
    )
    spec = spec_of(chart)
    enc = spec["encoding"]
    assert enc["y"]["field"] == "label"
    assert enc["y"]["sort"] == ["Hamburg", "München", "Köln", "Bochum"]
    assert enc["x"]["title"] == "Gesamt" and enc["color"]["title"] == "Herkunft"
    scale = enc["color"]["scale"]
    assert scale["domain"] == ["● published", "◐ published rank", "○ modeled"]
    assert scale["range"][0] == charts.PROVENANCE_COLORS["published"]
    (rows,) = datasets(spec)
    assert [r["highlight"] for r in rows] == [False, False, True, False]
    assert {t["field"] for t in enc["tooltip"]} >= {"rank", "name", "total", "provenance_label"}


def test_city_map_draws_states_offline_with_a_fitted_projection(topology, cities):
    spec = spec_of(charts.city_map(topology, cities, color_by="total", highlight=["05315000"]))
    shapes, bubbles, names = spec["layer"]
    # The states come inline from the bundled TopoJSON: no URL, so no network is needed.
    assert "url" not in json.dumps(spec["layer"])
    assert shapes["data"] == {"name": charts.STATES_DATASET,
                              "format": {"type": "topojson", "feature": "deu"}}
    assert spec["datasets"][charts.STATES_DATASET] == topology
    assert shapes["mark"]["type"] == "geoshape"
    for layer in (shapes, bubbles, names):
        assert layer["projection"] == {"type": "conicEqualArea", "rotate": [-10.5, 0, 0],
                                       "parallels": [48, 54]}
    # One bubble per city with coordinates, sized by population (missing -> smallest).
    rows = next(d for name, d in spec["datasets"].items() if name != charts.STATES_DATASET)
    assert [r["name"] for r in rows] == ["Hamburg", "München", "Köln"]
    assert rows[2]["size"] == 100_000
    assert [r["highlight"] for r in rows] == [False, False, True]
    assert bubbles["encoding"]["size"]["field"] == "size"
    assert bubbles["encoding"]["color"]["scale"]["scheme"] == charts.SEQUENTIAL
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"
    # The highlighted city is named beside its bubble.
    assert names["mark"]["type"] == "text" and names["encoding"]["text"]["field"] == "name"
    assert names["transform"] == [{"filter": "datum.highlight"}]
    # States are joined by name (the TopoJSON's Brandenburg id is broken).
    assert shapes["encoding"]["tooltip"][0]["field"] == charts.STATE_NAME_FIELD


def test_city_map_by_rank_puts_rank_one_at_the_bright_end(topology, cities):
    spec = spec_of(charts.city_map(topology, cities, color_by="rank"))
    colour = spec["layer"][1]["encoding"]["color"]
    assert colour["field"] == "rank" and colour["scale"]["reverse"] is True


def test_offer_map_colours_offered_not_offered_unknown(topology, cities):
    table = cities.assign(value=[1.0, 0.0, np.nan, 1.0],
                          offer=["offered", "not_offered", "unknown", "offered"])
    spec = spec_of(charts.offer_map(topology, table.assign(provenance=["modeled"] * 4),
                                    provenance_labels={"modeled": "○ modelliert"}))
    color = spec["layer"][1]["encoding"]["color"]
    assert color["scale"]["domain"] == ["offered", "not_offered", "unknown"]
    assert color["title"] == "service · ○ modelliert"  # an offer is not a fact: said on it
    mixed = table.assign(provenance=["published", "modeled", None, "modeled"])
    title = spec_of(charts.offer_map(topology, mixed))["layer"][1]["encoding"]["color"]["title"]
    assert title == "service · published · modeled"


def test_rank_bump_highlights_chosen_cities():
    ranks = pd.DataFrame({
        "city_id": ["a", "a", "b", "b"], "name": ["A", "A", "B", "B"],
        "method": ["bitkom", "geometric"] * 2, "rank": [1.0, 2.0, 2.0, 1.0],
    })
    spec = spec_of(charts.rank_bump(ranks, highlight=["b"], method_order=["bitkom", "geometric"]))
    assert len(spec["layer"]) == 3  # grey lines, highlighted lines, their labels
    grey = spec["layer"][0]
    assert grey["encoding"]["y"]["scale"]["reverse"] is True
    assert grey["encoding"]["x"]["sort"] == ["bitkom", "geometric"]  # no titles: the ids
    assert len(spec_of(charts.rank_bump(ranks))["layer"]) == 1


def test_score_scatter_and_movers():
    scores = pd.DataFrame({"city_id": ["a", "b"], "name": ["A", "B"], "bitkom": [80.0, 60.0],
                           "geometric": [70.0, 65.0]})
    spec = spec_of(charts.score_scatter(scores, "bitkom", "geometric", highlight=["a"]))
    assert spec["layer"][1]["encoding"]["x"]["title"] == "bitkom"
    spec = spec_of(charts.score_scatter(scores, "bitkom", "geometric",
                                        method_titles={"bitkom": "Bitkom-Methode"}))
    assert spec["layer"][1]["encoding"]["x"]["title"] == "Bitkom-Methode"
    assert spec["layer"][1]["encoding"]["y"]["title"] == "geometric"
    # one method on both axes (a user may pick it): every city on the diagonal, no KeyError
    spec = spec_of(charts.score_scatter(scores, "bitkom", "bitkom"))
    points = [r for rows in datasets(spec) for r in rows if "x" in r and "name" in r]
    assert [(r["name"], r["x"], r["y"]) for r in points] == [("A", 80.0, 80.0),
                                                              ("B", 60.0, 60.0)]
    # A name sits left of its point in the chart's right half (x above the middle of the
    # cities' range, here 70): the best city's name was cut at the right edge on a phone.
    three = pd.DataFrame({"city_id": ["a", "b", "c"], "name": ["A", "B", "C"],
                          "m1": [90.0, 70.0, 50.0], "m2": [85.0, 60.0, 55.0]})
    spec = spec_of(charts.score_scatter(three, "m1", "m2", highlight=["a", "b", "c"]))
    names = spec["layer"][2]
    assert names["mark"]["align"] == {"expr": "datum.label_align"}
    assert names["mark"]["dx"] == {"expr": "datum.label_dx"}
    points = {r["name"]: r for rows in datasets(spec) for r in rows if "label_align" in r}
    assert {n: (r["label_align"], r["label_dx"]) for n, r in points.items()} == {
        "A": ("right", -7), "B": ("left", 7), "C": ("left", 7)}
    # The middle is that of the drawn range, which the diagonal stretches over both methods'
    # scores: x 60–70 alone would put B (x 65) in the right half; with y 20–90 the range is
    # 20–90, its middle 55, so all three names go left of their points.
    skew = pd.DataFrame({"city_id": ["a", "b", "c"], "name": ["A", "B", "C"],
                         "m1": [70.0, 65.0, 60.0], "m2": [90.0, 50.0, 20.0]})
    spec = spec_of(charts.score_scatter(skew, "m1", "m2", highlight=["a", "b", "c"]))
    points = {r["name"]: r for rows in datasets(spec) for r in rows if "label_align" in r}
    assert {n: r["label_align"] for n, r in points.items()} == {
        "A": "right", "B": "right", "C": "right"}
    assert spec["layer"][2]["mark"]["dy"] == {"expr": "datum.label_dy"}
    # Two names at one height on one side: the second moves 14 px down (Mülheim an der Ruhr
    # and Bergisch Gladbach printed over each other); a name on the other side, or far
    # below, stays. Range 0–100, widened to 110 over 460 px: y 10 sits 167 px lower.
    shifts = charts._label_shifts(np.array([50.0, 50.0, 10.0, 50.0]),
                                  np.array([True, True, True, False]), 0.0, 100.0)
    assert shifts.tolist() == [0.0, 14.0, 0.0, 0.0]
    axes = spec["layer"][1]["encoding"]
    assert axes["x"]["axis"]["titleLimit"] == {"expr": "width"}
    assert axes["y"]["axis"]["titleLimit"] == {"expr": "height"}
    moves = pd.DataFrame({"name": ["A", "B"], "rank_base": [1, 2], "rank_other": [2, 1],
                          "shift": [-1, 1]})
    spec = spec_of(charts.movers_bars(moves))
    assert spec["encoding"]["y"]["sort"] == ["B", "A"]
    (rows,) = datasets(spec)
    assert [r["shift_text"] for r in rows] == ["\u22121", "+1"]


def test_correlation_heatmap_writes_values_on_a_diverging_scale():
    matrix = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["x", "y", "x", "y"],
                           "value": [1.0, 0.5, 0.5, 1.0]})
    spec = spec_of(charts.correlation_heatmap(matrix, title="Spearman"))
    cells, text = spec["layer"]
    assert cells["encoding"]["color"]["scale"] == {"scheme": charts.DIVERGING,
                                                   "domain": [-1, 1]}
    assert text["encoding"]["text"]["format"] == ".2f"
    assert spec["title"] == "Spearman"
    assert cells["encoding"]["x"]["sort"] == ["x", "y"]  # no titles given: the ids


def test_profile_history_and_service_charts():
    profile = pd.DataFrame({"area_id": ["v", "v", "v"], "area": ["Verwaltung"] * 3,
                            "series": ["this_city", "median_all", "median_peer"],
                            "score": [80.0, 60.0, 55.0]})
    spec = spec_of(charts.area_profile(profile, labels={"this_city": "Krefeld"}))
    assert spec["layer"][1]["encoding"]["color"]["scale"]["domain"][0] == "Krefeld"
    # The city's dot is drawn after the medians, so a median equal to it does not hide it.
    assert spec["layer"][1]["encoding"]["order"] == {"field": "drawn_last",
                                                     "type": "quantitative"}
    (rows,) = datasets(spec)
    assert [r["drawn_last"] for r in rows] == [1, 0, 0]
    legend = spec["layer"][1]["encoding"]["color"]["legend"]
    assert legend["labelLimit"] == 0 and legend["direction"] == "vertical"  # never cut

    past = pd.DataFrame({"edition": [2024, 2025, 2025],
                         "series": ["computed_rank", "computed_rank", "published_rank"],
                         "rank": [3.0, 2.0, 2.0], "total": [70.0, 72.0, 72.0]})
    spec = spec_of(charts.history_chart(past))
    assert spec["encoding"]["y"]["scale"]["reverse"] is True
    assert "strokeDash" in spec["encoding"]  # published and computed differ not only by colour

    by_method = pd.DataFrame({"method": ["bitkom"], "title": ["Bitkom"], "rank": [3],
                              "total": [70.0]})
    spec_of(charts.rank_by_method(by_method))

    shares = pd.DataFrame({"service": ["Bauantrag", "Termin"], "share_computed": [10.0, 80.0],
                           "share_published": [10.0, np.nan], "provenance": ["modeled"] * 2})
    spec = spec_of(charts.service_share_bars(shares, provenance_labels={"modeled": "○ m"}))
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Termin", "Bauantrag"]
    colour = spec["layer"][0]["encoding"]["color"]  # the bars say what they come from
    assert colour["field"] == "provenance_label" and colour["scale"]["domain"] == ["○ m"]
    assert colour["scale"]["range"] == [charts.PROVENANCE_COLORS["modeled"]]
    assert spec["layer"][1]["mark"]["type"] == "tick"
    (rows,) = datasets(spec)  # a share not published reads "–" in the tooltip, not null
    assert [r["share_published_text"] for r in rows] == ["10", "–"]
    assert "share_published_text" in [t["field"] for t in
                                      spec["layer"][0]["encoding"]["tooltip"]]

    over_time = pd.DataFrame({"edition": [2024, 2024], "series": ["share_computed",
                                                                  "share_published"],
                              "share": [12.0, 10.0]})
    spec_of(charts.service_share_history(over_time))


def test_every_chart_uses_colour_blind_safe_colours(topology, cities):
    made = [
        charts.ranking_bars(cities.reset_index()),
        charts.city_map(topology, cities),
        charts.correlation_heatmap(pd.DataFrame({"a": ["x"], "b": ["x"], "value": [1.0]})),
        charts.rank_bump(pd.DataFrame({"city_id": ["a"], "name": ["A"], "method": ["m"],
                                       "rank": [1.0]}), highlight=["a"]),
    ]
    for chart in made:
        spec = chart.to_dict()
        spec.pop("datasets", None)
        schemes, colours = colours_used(spec)
        assert schemes <= SAFE_SCHEMES
        allowed = SAFE_COLORS | set(charts.PROVENANCE_COLORS.values()) | {"#eeeeee", "#888888",
                                                                          "#cccccc"}
        assert colours <= allowed, colours - allowed


def test_map_spec_builds_fast_enough_to_rerun(topology, cities):
    """The inline TopoJSON is handed to Altair as one opaque value; a regression that lets
    Altair walk its ~9,000 arc points again would show up here as a changed spec shape."""
    chart = charts.city_map(topology, cities)
    assert isinstance(chart.datasets[charts.STATES_DATASET], charts._Verbatim)


def test_json_values_are_plain_python_with_null_for_missing():
    frame = pd.DataFrame({
        "f": [1.5, np.nan, np.inf],
        "i": np.array([1, 2, 3], dtype="int64"),
        "b": [True, False, True],
        "I": pd.array([4, None, 6], dtype="Int64"),
        "F": pd.array([0.25, None, 1.0], dtype="Float64"),
        "B": pd.array([True, None, False], dtype="boolean"),
        "s": pd.Series(["Köln", None, "Bonn"], dtype="str"),
        "c": pd.Categorical(["x", "y", None]),
        "o": pd.Series([np.int64(7), np.float64("nan"), "text"], dtype=object),
    }).set_axis(pd.Index(["r1", "r2", "r3"], name="id"))  # the index is not a value
    values = charts.json_values(frame)
    assert values == [
        {"f": 1.5, "i": 1, "b": True, "I": 4, "F": 0.25, "B": True, "s": "Köln", "c": "x",
         "o": 7},
        {"f": None, "i": 2, "b": False, "I": None, "F": None, "B": None, "s": None, "c": "y",
         "o": None},
        {"f": None, "i": 3, "b": True, "I": 6, "F": 1.0, "B": False, "s": "Bonn", "c": None,
         "o": "text"},
    ]
    assert [type(v) for v in values[0].values()] == [float, int, bool, int, float, bool, str,
                                                     str, int]
    json.dumps(values, allow_nan=False)  # strict JSON: no NaN, no numpy scalars
    dates = pd.DataFrame({"when": pd.to_datetime(["2025-01-01"])})
    assert charts.json_values(dates) is None  # left to Altair


def resolved(spec: dict) -> dict:
    """A spec with every named dataset written where it is used and NaN as None: two specs
    that draw the same thing compare equal however their datasets are named or placed."""
    sets = spec.get("datasets", {})

    def fix(node):
        if isinstance(node, dict):
            if set(node) == {"name"} and node["name"] in sets:
                return {"values": fix(sets[node["name"]])}
            return {k: fix(v) for k, v in node.items() if k != "datasets"}
        if isinstance(node, list):
            return [fix(v) for v in node]
        if isinstance(node, float) and np.isnan(node):
            return None
        return node

    return fix(spec)


def test_to_spec_is_the_altair_spec_without_changing_the_chart(topology, cities):
    ranks = pd.DataFrame({"city_id": ["a", "a", "b", "b"], "name": ["A", "A", "B", "B"],
                          "method": ["bitkom", "geometric"] * 2, "rank": [1.0, 2.0, 2.0, 1.0]})
    profile = pd.DataFrame({"area": ["Verwaltung"] * 3,
                            "series": ["this_city", "median_all", "median_peer"],
                            "score": [80.0, 60.0, 55.0]})
    made = [
        charts.ranking_bars(cities.reset_index(), highlight=["09162000"]),
        charts.city_map(topology, cities, highlight=["02000000"]),
        charts.rank_bump(ranks, highlight=["b"]),
        charts.area_profile(profile),
        charts.correlation_heatmap(pd.DataFrame({"a": ["x", "y"], "b": ["y", "x"],
                                                 "value": [0.5, np.nan]})),
        charts.rank_by_method(pd.DataFrame({"method": ["bitkom", "geometric"],
                                            "title": ["B", "G"], "rank": [3, 12],
                                            "total": [70.0, 60.0]})),
        charts.score_scatter(pd.DataFrame({"city_id": ["a", "b"], "name": ["A", "B"],
                                           "bitkom": [70.0, 60.0], "geometric": [65.0, 62.0]}),
                             "bitkom", "geometric", highlight=["a"]),
        charts.service_share_bars(pd.DataFrame({"service": ["A"], "share_computed": [10.0],
                                                "share_published": [12.0],
                                                "provenance": ["modeled"]})),
        # A layered chart with a selection: its parameters are merged by Altair itself.
        alt.layer(alt.Chart(cities.reset_index()).mark_bar().encode(x="total:Q")
                  .add_params(alt.selection_point()),
                  alt.Chart(cities.reset_index()).mark_text().encode(x="total:Q")),
    ]
    for chart in made:
        before = chart.to_dict(validate=False)
        fast = charts.to_spec(chart)
        json.dumps(fast, allow_nan=False)
        assert resolved(fast) == resolved(before)
        assert chart.to_dict(validate=False) == before  # the chart was not changed
    # A layered chart's table is written once, for the layer, not once per part.
    spec = charts.to_spec(charts.rank_bump(ranks, highlight=["b"]))
    assert len(spec["datasets"]) == 2  # the lines' table and the end labels' table
    assert spec["data"] == {"name": next(iter(spec["datasets"]))}


def _layered_charts(topology, cities) -> dict:
    """One of each layered chart, from small tables."""
    ranks = pd.DataFrame({"city_id": ["a", "a", "b", "b"], "name": ["A", "A", "B", "B"],
                          "method": ["bitkom", "geometric"] * 2, "rank": [1.0, 2.0, 2.0, 1.0]})
    intervals = pd.DataFrame(
        {"name": ["Aheim", "Bstadt"], "rank": [1, 2], "median_rank": [1, 2], "rank_p05": [1, 1],
         "rank_p95": [2, 2], "best_rank": [1, 1], "worst_rank": [2, 2]},
        index=pd.Index(["A", "B"], name="city_id"))
    return {
        "map": charts.city_map(topology, cities, highlight=["02000000"]),
        "bump": charts.rank_bump(ranks, highlight=["b"]),
        "scatter": charts.score_scatter(pd.DataFrame(
            {"city_id": ["a", "b"], "name": ["A", "B"], "bitkom": [70.0, 60.0],
             "geometric": [65.0, 62.0]}), "bitkom", "geometric", highlight=["a"]),
        "heatmap": charts.correlation_heatmap(pd.DataFrame({"a": ["x"], "b": ["x"],
                                                            "value": [1.0]})),
        "profile": charts.area_profile(pd.DataFrame(
            {"area": ["Verwaltung"] * 2, "series": ["this_city", "median_all"],
             "score": [80.0, 60.0]})),
        "by_method": charts.rank_by_method(pd.DataFrame(
            {"method": ["bitkom", "geometric"], "title": ["B", "G"], "rank": [3, 12],
             "total": [70.0, 60.0]})),
        "shares": charts.service_share_bars(pd.DataFrame(
            {"service": ["A"], "share_computed": [10.0], "share_published": [12.0],
             "provenance": ["modeled"]})),
        "intervals": charts.rank_intervals(intervals, highlight=["Bstadt"]),
        "sobol": charts.sobol_bars(pd.DataFrame({"input": ["v"], "S1": [0.4], "S1_conf": [0.1],
                                                 "ST": [0.5], "ST_conf": [0.1]})),
    }


def test_layer_charts_are_made_as_alt_layer_makes_them(topology, cities, monkeypatch):
    fast = _layered_charts(topology, cities)
    assert all(isinstance(chart, alt.LayerChart) for chart in fast.values())
    monkeypatch.setattr(charts, "_layered", alt.layer)
    altair = _layered_charts(topology, cities)
    for name, chart in fast.items():
        assert chart.to_dict() == altair[name].to_dict(), name  # validated, and the same
    # A layer with a table of its own is left to Altair, which moves a shared one up.
    part = alt.Chart(cities.reset_index()).mark_bar().encode(x="total:Q")
    assert charts._layered(part, part).to_dict() == alt.layer(part, part).to_dict()


def test_map_sends_only_the_columns_it_draws(topology, cities):
    wide = cities.assign(verwaltung=1.0, verwaltung_rank=3, mobilitaet_provenance="modeled")
    spec = charts.to_spec(charts.city_map(topology, wide))
    (rows,) = [v for k, v in spec["datasets"].items() if k != charts.STATES_DATASET]
    assert set(rows[0]) == {"city_id", "rank", "name", "state", "total", "population", "lat",
                            "lon", "provenance", "provenance_label", "highlight", "size"}
    assert [r["name"] for r in rows] == ["Hamburg", "München", "Köln"]  # Bochum: no place


# --- charts people can read: every chart spec checked for its labels and formats ---------------

GERMAN = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"],
          "minus": "\u2212", "nan": "–"}
TITLES = {"bitkom": "Bitkom-Methode: gewichtete Kategorien", "equal_weights": "Gleiche Gewichte",
          "geometric": "Geometrisches Mittel der Bereiche",
          "service_coverage": "Abdeckung der Online-Dienste"}


def many_cities(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "city_id": [f"c{i:02d}" for i in range(n)],
        "name": [f"Stadt {i}" for i in range(n)],
        "rank": list(range(1, n + 1)),
        "state": ["Nordrhein-Westfalen"] * n,
        "total": [90.0 - i for i in range(n)],
        "provenance": ["modeled"] * n,
    })


def quantitative_fields(spec: dict) -> list[dict]:
    """Every quantitative encoding or tooltip in a spec (not inside the data)."""
    spec = {k: v for k, v in spec.items() if k != "datasets"}
    return [n for n in walk(spec) if n.get("type") == "quantitative" and "field" in n]


@pytest.mark.parametrize("n", [1, 5, 29, 81])
def test_ranking_bars_name_every_city(n):
    table = many_cities(n)
    spec = spec_of(charts.ranking_bars(table, highlight=["c00", f"c{n - 1:02d}"]))
    y = spec["encoding"]["y"]
    # Every city is a row with its own label, none thinned out by Vega ...
    assert y["sort"] == [f"Stadt {i}" for i in range(n)]
    assert y["axis"]["labelOverlap"] is False
    assert y["axis"]["labelFontSize"] == 12 and y["axis"]["labelLimit"] >= 180
    # ... with 20 px per row for a 12 px label (one city: 80 px, not nothing) ...
    assert spec["height"] == max(80, 20 * n)
    # ... the height being the plot's own, not squeezed by the legend (Streamlit's "fit").
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["width"] == "container"
    # The highlighted cities' names are bold.
    bold = y["axis"]["labelFontWeight"]
    names = sorted({"Stadt 0", f"Stadt {n - 1}"})
    assert bold["condition"]["test"] == f"indexof({json.dumps(names)}, datum.value) >= 0"
    assert bold["condition"]["value"] == "bold" and bold["value"] == "normal"


def test_rows_height_and_line_wrapping():
    assert charts.rows_height(0) == 80 and charts.rows_height(1) == 80
    assert charts.rows_height(4) == 80 and charts.rows_height(5) == 100
    assert charts.rows_height(81) == 1620
    assert charts.rows_height(3, lines=2) == 3 * 34  # 2 × 14 px lines + 6 px
    assert charts.wrap("Bitkom-Methode: gewichtete Kategorien", 14) == (
        "Bitkom-\nMethode:\ngewichtete\nKategorien")
    assert charts.wrap("Gleiche Gewichte", 18) == "Gleiche Gewichte"


def test_two_cities_of_one_name_keep_two_rows():
    table = pd.DataFrame({"city_id": ["a", "b", "c"], "name": ["Frankfurt", "Frankfurt", "Köln"],
                          "state": ["Hessen", "Brandenburg", "Nordrhein-Westfalen"],
                          "rank": [1, 2, 3], "total": [80.0, 70.0, 60.0],
                          "provenance": ["modeled"] * 3})
    spec = spec_of(charts.ranking_bars(table))
    assert spec["encoding"]["y"]["sort"] == ["Frankfurt (Hessen)", "Frankfurt (Brandenburg)",
                                             "Köln"]


def test_charts_carry_the_number_locale_and_formats(cities):
    de = spec_of(charts.ranking_bars(cities.reset_index(), lang="de"))
    en = spec_of(charts.ranking_bars(cities.reset_index(), lang="en"))
    assert de["config"]["locale"] == {"number": GERMAN}
    assert en["config"]["locale"]["number"]["decimal"] == "."
    assert en["config"]["locale"]["number"]["thousands"] == ","
    assert de["encoding"]["x"]["axis"]["format"] == ",.1~f"  # axis ticks: 5, 60,5
    tips = {t["field"]: t.get("format") for t in de["encoding"]["tooltip"]}
    assert tips["total"] == ",.1f" and tips["rank"] == "d"


def test_every_quantitative_field_has_a_format(topology, cities):
    ranks = pd.DataFrame({"city_id": ["a", "a", "b", "b"], "name": ["A", "A", "B", "B"],
                          "method": ["bitkom", "geometric"] * 2, "rank": [1.0, 2.0, 2.0, 1.0]})
    made = {
        "ranking": charts.ranking_bars(cities.reset_index()),
        "map": charts.city_map(topology, cities),
        "map_rank": charts.city_map(topology, cities, color_by="rank"),
        "bump": charts.rank_bump(ranks, highlight=["a"]),
        "movers": charts.movers_bars(pd.DataFrame({"name": ["A"], "rank_base": [1],
                                                   "rank_other": [2], "shift": [-1]})),
        "heatmap": charts.correlation_heatmap(pd.DataFrame({"a": ["x"], "b": ["x"],
                                                            "value": [1.0]})),
        "by_method": charts.rank_by_method(pd.DataFrame({"method": ["bitkom"], "title": ["B"],
                                                         "rank": [3], "total": [70.0]})),
        "history": charts.history_chart(pd.DataFrame({"edition": [2024], "series":
                                                      ["computed_rank"], "rank": [3.0],
                                                      "total": [70.0]})),
        "shares": charts.service_share_bars(pd.DataFrame({"service": ["A"],
                                                          "share_computed": [10.0],
                                                          "share_published": [12.0],
                                                          "provenance": ["modeled"]})),
    }
    for name, chart in made.items():
        spec = spec_of(chart)
        assert spec["config"]["locale"] == {"number": GERMAN}, name
        for node in quantitative_fields(spec):
            if node["field"] in ("lon", "lat", "size", "label_rank", "share_published"):
                continue  # positions, or drawn only (their tooltip has the format)
            axis = node.get("axis") or {}
            formatted = "format" in node or "format" in axis or (
                "format" in (node.get("legend") or {})
            ) or "format(datum.value" in axis.get("labelExpr", "")
            assert formatted, (name, node)
            # No tick finer than the format writes: a narrow range (Hamburg alone: 89.7 to
            # 90.0) drew "89,7 89,7 89,8 89,8 …"
            step = {formats.SCORE_AXIS_FORMAT: 0.1, formats.SHARE_FORMAT: 1,
                    formats.CORRELATION_FORMAT: 0.01, formats.RANK_FORMAT: 1}
            if axis.get("format") in step:
                assert axis.get("tickMinStep") == step[axis["format"]], (name, node)


def test_rank_axes_are_whole_numbers_rank_one_on_top():
    ranks = pd.DataFrame({"city_id": ["a", "a", "b", "b"], "name": ["A", "A", "B", "B"],
                          "method": ["bitkom", "geometric"] * 2, "rank": [1.0, 2.0, 2.0, 1.0]})
    bump = spec_of(charts.rank_bump(ranks))["layer"][0]["encoding"]["y"]
    history = spec_of(charts.history_chart(pd.DataFrame(
        {"edition": [2023, 2024], "series": ["computed_rank"] * 2, "rank": [3.0, 2.0],
         "total": [70.0, 71.0]})))["encoding"]["y"]
    by_method = spec_of(charts.rank_by_method(pd.DataFrame(
        {"method": ["bitkom", "geometric"], "title": ["B", "G"], "rank": [3, 12],
         "total": [70.0, 60.0]})))["layer"][0]["encoding"]["x"]
    for axis in (bump, history, by_method):
        assert axis["axis"]["format"] == "d" and axis["axis"]["tickMinStep"] == 1
    assert bump["scale"]["reverse"] is True and history["scale"]["reverse"] is True
    assert bump["scale"]["domain"] == [1, 2.0]
    # Years are labels, never "2.024".
    history_x = spec_of(charts.history_chart(pd.DataFrame(
        {"edition": [2024], "series": ["computed_rank"], "rank": [3.0], "total": [1.0]})))
    assert history_x["encoding"]["x"]["type"] == "ordinal"


def test_method_charts_show_titles_not_ids():
    ranks = pd.DataFrame({"city_id": ["a"] * 4, "name": ["A"] * 4, "method": list(TITLES),
                          "rank": [1.0, 2.0, 3.0, 4.0]})
    spec = spec_of(charts.rank_bump(ranks, method_order=list(TITLES), method_titles=TITLES))
    x = spec["layer"][0]["encoding"]["x"]
    assert x["sort"] == [charts.wrap(t, charts.WRAP_METHOD) for t in TITLES.values()]
    assert x["sort"][0] == "Bitkom-\nMethode:\ngewichtete\nKategorien"
    # One line per "\n"; where the container leaves a method less room than the longest line
    # ("Online-Dienste": 14 characters × 12 px × 0.46 + 6 = 83 px), upright on one line.
    narrow = "(containerSize()[0] - 120) / 4 < 83"
    assert x["axis"]["labelExpr"] == (
        f"{narrow} ? replace(replace(datum.label, regexp('-\\n', 'g'), '-'), "
        "regexp('\\n', 'g'), ' ') : split(datum.label, '\\n')")
    assert x["axis"]["labelAngle"] == {"expr": f"{narrow} ? -90 : 0"}
    assert x["axis"]["labelAlign"] == {"expr": f"{narrow} ? 'right' : 'center'"}
    assert x["axis"]["labelOverlap"] is False and x["axis"]["labelLimit"] == 0
    (rows,) = [d for d in datasets(spec)]
    assert {r["method_title"] for r in rows} == set(TITLES.values())  # tooltips: unwrapped

    pairs = [(a, b) for a in TITLES for b in TITLES]
    matrix = pd.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs],
                           "value": [1.0 if a == b else 0.8 for a, b in pairs]})
    spec = spec_of(charts.correlation_heatmap(matrix, method_titles=TITLES))
    cells = spec["layer"][0]["encoding"]
    wrapped = [charts.wrap(t, charts.WRAP_METHOD) for t in TITLES.values()]
    # All four methods on both axes, none thinned.
    assert cells["x"]["sort"] == wrapped and cells["y"]["sort"] == wrapped
    for axis in (cells["x"]["axis"], cells["y"]["axis"]):
        assert axis["labelOverlap"] is False and axis["labelLimit"] == 0
    assert spec["height"] == 4 * max(44, 14 * 4 + 10)  # four lines per method title
    assert spec["width"] == "container"
    # The tooltip names both methods of a cell (one title for both showed only one).
    tips = [t["title"] for t in cells["tooltip"]]
    assert len(set(tips)) == 3 and tips[0].endswith("1") and tips[1].endswith("2")

    # Eight methods: wrapped titles side by side would overprint; the columns' titles stand
    # upright, one line each, uncut, in the order of the rows.
    titles = {**TITLES, **{f"m{i}": f"Eine weitere Methode mit langem Titel {i}"
                           for i in range(4)}}
    pairs = [(a, b) for a in titles for b in titles]
    matrix = pd.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs],
                           "value": [0.9] * len(pairs)})
    cells = spec_of(charts.correlation_heatmap(matrix, method_titles=titles))["layer"][0]
    x = cells["encoding"]["x"]
    assert x["field"] == "a_title" and x["sort"] == list(titles.values())
    assert x["axis"]["labelAngle"] == -90 and x["axis"]["labelLimit"] == 0
    assert x["axis"]["labelOverlap"] is False
    assert cells["encoding"]["y"]["sort"] == [charts.wrap(t, charts.WRAP_METHOD)
                                              for t in titles.values()]


def test_bump_end_labels_do_not_overprint():
    # Three highlighted cities end on ranks 5, 5 and 6 of 81: on a 560 px axis one rank is
    # 7 px, a line of text 14 px = 2 ranks, so the names are spread to 3.5/5.5/7.5 around
    # their mean 5.33 … exactly: centre 16/3, two gaps of 2.
    ranks = pd.DataFrame({
        "city_id": ["a", "b", "c", "z"] * 2,
        "name": ["A", "B", "C", "Z"] * 2,
        "method": ["m1"] * 4 + ["m2"] * 4,
        "rank": [1.0, 2.0, 3.0, 81.0, 5.0, 5.0, 6.0, 81.0],
    })
    spec = spec_of(charts.rank_bump(ranks, highlight=["a", "b", "c"], height=560))
    text_layer = spec["layer"][2]
    assert text_layer["mark"]["type"] == "text"
    rows = next(d for d in datasets(spec) if d and "label_rank" in d[0])
    # One label per highlighted city, none for the others.
    assert sorted(r["name"] for r in rows) == ["A", "B", "C"]
    gap = 14 * 80 / 560
    got = {r["name"]: r["label_rank"] for r in rows}
    centre = 16 / 3
    assert got["A"] == pytest.approx(centre - gap)
    assert got["B"] == pytest.approx(centre)
    assert got["C"] == pytest.approx(centre + gap)
    assert text_layer["encoding"]["y"]["field"] == "label_rank"


@pytest.mark.parametrize(
    ("positions", "gap", "low", "high", "expected"),
    [
        ([1.0, 5.0, 9.0], 1.0, None, None, [1.0, 5.0, 9.0]),  # far apart: unchanged
        ([1.0, 1.2, 5.0], 1.0, None, None, [0.6, 1.6, 5.0]),  # pair around its mean 1.1
        ([1.0, 1.2, 5.0], 1.0, 1.0, None, [1.0, 2.0, 5.0]),  # ... but not above rank 1
        ([3.0, 3.0, 3.0], 1.0, None, None, [2.0, 3.0, 4.0]),
        ([9.9, 10.0], 1.0, 1.0, 10.0, [9.0, 10.0]),  # kept within the axis at the bottom
        ([5.0, 2.0, 2.5], 1.0, None, None, [5.0, 1.75, 2.75]),  # returned in input order
        ([], 1.0, None, None, []),
    ],
)
def test_spread_labels(positions, gap, low, high, expected):
    assert charts.spread_labels(positions, gap, low, high) == pytest.approx(expected)


def test_spread_labels_merges_chains_of_clusters():
    # 1 and 1.5 merge (centre 1.25 → 0.75, 1.75), which then collides with 2.2: all three
    # around the mean 1.5667 → 0.5667, 1.5667, 2.5667.
    got = charts.spread_labels([1.0, 1.5, 2.2], 1.0)
    assert got == pytest.approx([4.7 / 3 - 1, 4.7 / 3, 4.7 / 3 + 1])


def test_highlighted_cities_are_named_in_movers_scatter_and_maps(topology, cities):
    moves = pd.DataFrame({"city_id": ["a", "b"], "name": ["A", "B"], "rank_base": [1, 2],
                          "rank_other": [2, 1], "shift": [-1, 1]})
    y = spec_of(charts.movers_bars(moves, highlight=["a"]))["encoding"]["y"]
    assert y["axis"]["labelOverlap"] is False
    assert y["axis"]["labelFontWeight"]["condition"]["test"] == 'indexof(["A"], datum.value) >= 0'
    scores = pd.DataFrame({"city_id": ["a", "b"], "name": ["A", "B"], "m1": [80.0, 60.0],
                           "m2": [70.0, 65.0]})
    spec = spec_of(charts.score_scatter(scores, "m1", "m2", highlight=["a"]))
    names = spec["layer"][2]
    assert names["mark"]["type"] == "text" and names["encoding"]["text"]["field"] == "name"
    # A few cities (a filter on a state): every one named, the highlighted in bold; 83 cities:
    # only the highlighted (the others' names would print over each other).
    bold, plain = spec["layer"][2:]
    assert bold["mark"]["fontWeight"] == "bold" and plain["mark"]["fontWeight"] == "normal"
    rows = next(rows for rows in datasets(spec) if rows and "named" in rows[0])
    assert [(r["name"], r["named"], r["highlight"]) for r in rows] == [
        ("A", True, True), ("B", True, False)]
    many = pd.DataFrame({"city_id": [f"c{i}" for i in range(13)],
                         "name": [f"C{i}" for i in range(13)],
                         "m1": np.linspace(40, 90, 13), "m2": np.linspace(45, 85, 13)})
    spec = spec_of(charts.score_scatter(many, "m1", "m2", highlight=["c3"]))
    assert len(spec["layer"]) == 3  # the diagonal, the points, the one highlighted name


def test_movers_axis_writes_signed_changes():
    moves = pd.DataFrame({"name": ["A", "B"], "rank_base": [1, 2], "rank_other": [2, 1],
                          "shift": [-1, 1]})
    x = spec_of(charts.movers_bars(moves))["encoding"]["x"]["axis"]
    assert x["labelExpr"] == "datum.value == 0 ? '±0' : format(datum.value, '+d')"
    assert x["tickMinStep"] == 1


def test_service_and_method_rows_are_all_named():
    shares = pd.DataFrame({"service": [f"Online-Dienst Nummer {i} mit langem Namen"
                                       for i in range(12)],
                           "share_computed": [float(i) for i in range(12)],
                           "share_published": [np.nan] * 12, "provenance": ["modeled"] * 12})
    spec = spec_of(charts.service_share_bars(shares))
    y = spec["layer"][0]["encoding"]["y"]
    assert len(y["sort"]) == 12 and y["axis"]["labelOverlap"] is False
    assert y["sort"][0] == "Online-Dienst Nummer 11 mit\nlangem Namen"  # wrapped at 30
    assert spec["height"] == 12 * 34  # two lines per service
    table = pd.DataFrame({"method": list(TITLES), "title": list(TITLES.values()),
                          "rank": [3, 1, 12, 40], "total": [70.0, 80.0, 60.0, 50.0]})
    spec = spec_of(charts.rank_by_method(table, n_cities=83))
    dots, ranks = spec["layer"]
    assert dots["encoding"]["y"]["axis"]["labelOverlap"] is False
    # a dot on the field of 83 (rank 1 on the left), not a bar whose length grows with a
    # worse rank (Krefeld's 42nd was the longest thing on the chart)
    assert dots["mark"]["type"] == "circle"
    assert dots["encoding"]["x"]["scale"]["domain"] == [1, 83.0]
    assert "reverse" not in dots["encoding"]["x"]["scale"]
    assert ranks["mark"]["type"] == "text" and ranks["encoding"]["text"]["format"] == "d"
    (rows,) = datasets(spec)
    assert [r["title"] for r in rows] == list(TITLES.values())


def test_empty_input_gives_no_chart(topology, cities):
    empty = cities.iloc[0:0]
    assert charts.ranking_bars(empty.reset_index()) is None
    assert charts.city_map(topology, empty) is None
    assert charts.city_map(topology, cities[cities["lat"].isna()]) is None  # no coordinates
    assert charts.offer_map(topology, empty.assign(offer=[], value=[])) is None
    long = pd.DataFrame(columns=["city_id", "name", "method", "rank"])
    assert charts.rank_bump(long) is None
    assert charts.score_scatter(pd.DataFrame(columns=["city_id", "name", "x", "y"]),
                                "x", "y") is None
    assert charts.movers_bars(pd.DataFrame(columns=["name", "shift", "rank_base",
                                                    "rank_other"])) is None
    assert charts.correlation_heatmap(pd.DataFrame(columns=["a", "b", "value"])) is None
    assert charts.area_profile(pd.DataFrame(columns=["area", "series", "score"])) is None
    assert charts.rank_by_method(pd.DataFrame({"method": ["m"], "title": ["M"],
                                               "rank": [np.nan], "total": [np.nan]})) is None
    assert charts.history_chart(pd.DataFrame({"edition": [2024], "series": ["computed_rank"],
                                              "rank": [np.nan], "total": [1.0]})) is None
    assert charts.service_share_bars(pd.DataFrame(columns=["service", "share_computed",
                                                           "share_published",
                                                           "provenance"])) is None
    assert charts.service_share_history(pd.DataFrame(columns=["edition", "series",
                                                              "share"])) is None
    assert charts.is_empty(None) and charts.is_empty(empty) and not charts.is_empty(cities)


def test_names_are_text_not_markup(cities):
    table = cities.reset_index()
    table.loc[0, "name"] = "**x** [a](http://b) <b>y</b>"
    spec = spec_of(charts.ranking_bars(table))
    (rows,) = datasets(spec)
    assert rows[0]["name"] == "**x** [a](http://b) <b>y</b>"  # verbatim, as data
    # Tooltips are plain field references, never HTML or markdown templates.
    for tip in spec["encoding"]["tooltip"]:
        assert set(tip) <= {"field", "type", "title", "format"}


# --- robustness charts ------------------------------------------------------------------------


def _datasets(spec: dict) -> list[list[dict]]:
    return list(spec.get("datasets", {}).values())


def test_rank_intervals_name_every_city_on_a_whole_number_rank_axis():
    table = pd.DataFrame(
        {"name": ["Aheim", "Bstadt", "Cburg"], "rank": [1, 2, 3], "median_rank": [1, 3, 2],
         "rank_p05": [1, 1, 1], "rank_p95": [2, 3, 3], "best_rank": [1, 1, 1],
         "worst_rank": [3, 3, 3]},
        index=pd.Index(["A", "B", "C"], name="city_id"))
    spec = spec_of(charts.rank_intervals(table, highlight=["B"], lang="de"))
    assert len(spec["layer"]) == 4  # best/worst band, 5–95 % bar, median tick, nominal point
    (rows,) = _datasets(spec)
    assert [r["label"] for r in rows] == ["Aheim", "Bstadt", "Cburg"]  # one label per city
    y = spec["layer"][0]["encoding"]["y"]
    assert y["axis"]["labelOverlap"] is False and y["sort"] == ["Aheim", "Bstadt", "Cburg"]
    assert "Bstadt" in json.dumps(y["axis"]["labelFontWeight"])  # the highlighted city, bold
    x = spec["layer"][0]["encoding"]["x"]
    assert x["axis"]["format"] == "d" and x["axis"]["tickMinStep"] == 1
    assert x["scale"]["domain"] == [0.5, 3.5]  # rank 1 on the left, the worst rank last
    assert spec["height"] >= 3 * charts.ROW_HEIGHT  # every row gets its room
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    without = spec_of(charts.rank_intervals(table.drop(columns=["best_rank", "worst_rank"])))
    assert len(without["layer"]) == 3
    assert charts.rank_intervals(table.iloc[:0]) is None


def test_rank_probability_heatmap_up_to_a_rank():
    probs = pd.DataFrame([[0.7, 0.3, 0.0], [0.3, 0.5, 0.2], [0.0, 0.2, 0.8]],
                         index=pd.Index(["A", "B", "C"], name="city_id"), columns=[1, 2, 3])
    spec = spec_of(charts.rank_probability_heatmap(probs, {"A": "Aheim", "B": "Bstadt",
                                                           "C": "Cburg"}, max_rank=2))
    (rows,) = _datasets(spec)
    # ranks 1 and 2 only, cells with probability 0 left out: A1 A2 B1 B2 C2
    assert sorted((r["name"], r["rank"], r["probability"]) for r in rows) == [
        ("Aheim", 1, 0.7), ("Aheim", 2, 0.3), ("Bstadt", 1, 0.3), ("Bstadt", 2, 0.5),
        ("Cburg", 2, 0.2)]
    assert spec["encoding"]["color"]["scale"]["domain"] == [0, 1]
    assert spec["encoding"]["y"]["sort"] == ["Aheim", "Bstadt", "Cburg"]


def test_sobol_bars_with_their_intervals():
    table = pd.DataFrame({"input": ["verwaltung", "mobilitaet"], "S1": [0.4, 0.1],
                          "S1_conf": [0.05, 0.2], "ST": [0.5, 0.3], "ST_conf": [0.1, 0.05]})
    spec = spec_of(charts.sobol_bars(table, input_names={"verwaltung": "Verwaltung"},
                                     labels={"S1": "erste Ordnung", "ST": "Gesamtordnung"}))
    (rows,) = _datasets(spec)
    got = {(r["input"], r["order"]): [r["low"], r["value"], r["high"]] for r in rows}
    expected = {("Verwaltung", "erste Ordnung"): [0.35, 0.4, 0.45],
                ("Verwaltung", "Gesamtordnung"): [0.4, 0.5, 0.6],
                ("mobilitaet", "erste Ordnung"): [-0.1, 0.1, 0.3],
                ("mobilitaet", "Gesamtordnung"): [0.25, 0.3, 0.35]}
    assert got.keys() == expected.keys()
    for key, values in expected.items():
        assert got[key] == pytest.approx(values)
    # Bar and error bar: one tooltip, every field titled, every number rounded.
    labelled = spec_of(charts.sobol_bars(table, labels={
        "input": "Eingabe", "order": "Ordnung", "sobol_index": "Sobol-Index",
        "low": "untere Grenze (95 %)", "high": "obere Grenze (95 %)"}))
    for layer in labelled["layer"]:
        tips = layer["encoding"]["tooltip"]
        assert [tip["title"] for tip in tips] == [
            "Eingabe", "Ordnung", "Sobol-Index", "untere Grenze (95 %)", "obere Grenze (95 %)"]
        assert all(tip.get("format") == ".2f" for tip in tips if tip["type"] == "quantitative")


def test_points_run_from_0_to_100_so_one_bar_is_not_full_marks(cities):
    one = cities.iloc[[2]]  # a single found city (Köln, 80.1 points)
    spec = spec_of(charts.ranking_bars(one.reset_index()))
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 100]
    copeland = cities.assign(total=[3.0, 1.0, -1.0, -3.0])  # not points: its own range
    spec = spec_of(charts.ranking_bars(copeland.reset_index()))
    assert "domain" not in spec["encoding"]["x"]["scale"]
