"""The chart functions are pure: tables in, Altair charts out. They are tested by inspecting
the Vega-Lite spec (``chart.to_dict()``), without streamlit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cityindex import charts

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
    shapes, bubbles = spec["layer"]
    # The states come inline from the bundled TopoJSON: no URL, so no network is needed.
    assert "url" not in json.dumps(spec["layer"])
    assert shapes["data"] == {"name": charts.STATES_DATASET,
                              "format": {"type": "topojson", "feature": "deu"}}
    assert spec["datasets"][charts.STATES_DATASET] == topology
    assert shapes["mark"]["type"] == "geoshape"
    for layer in (shapes, bubbles):
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
    # States are joined by name (the TopoJSON's Brandenburg id is broken).
    assert shapes["encoding"]["tooltip"][0]["field"] == charts.STATE_NAME_FIELD


def test_city_map_by_rank_puts_rank_one_at_the_bright_end(topology, cities):
    spec = spec_of(charts.city_map(topology, cities, color_by="rank"))
    colour = spec["layer"][1]["encoding"]["color"]
    assert colour["field"] == "rank" and colour["scale"]["reverse"] is True


def test_offer_map_colours_offered_not_offered_unknown(topology, cities):
    table = cities.assign(value=[1.0, 0.0, np.nan, 1.0],
                          offer=["offered", "not_offered", "unknown", "offered"])
    spec = spec_of(charts.offer_map(topology, table))
    scale = spec["layer"][1]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["offered", "not_offered", "unknown"]


def test_rank_bump_highlights_chosen_cities():
    ranks = pd.DataFrame({
        "city_id": ["a", "a", "b", "b"], "name": ["A", "A", "B", "B"],
        "method": ["bitkom", "geometric"] * 2, "rank": [1.0, 2.0, 2.0, 1.0],
    })
    spec = spec_of(charts.rank_bump(ranks, highlight=["b"], method_order=["bitkom", "geometric"]))
    assert len(spec["layer"]) == 3  # grey lines, highlighted lines, their labels
    grey = spec["layer"][0]
    assert grey["encoding"]["y"]["scale"]["reverse"] is True
    assert grey["encoding"]["x"]["sort"] == ["bitkom", "geometric"]
    assert len(spec_of(charts.rank_bump(ranks))["layer"]) == 1


def test_score_scatter_and_movers():
    scores = pd.DataFrame({"city_id": ["a", "b"], "name": ["A", "B"], "bitkom": [80.0, 60.0],
                           "geometric": [70.0, 65.0]})
    spec = spec_of(charts.score_scatter(scores, "bitkom", "geometric", highlight=["a"]))
    assert spec["layer"][1]["encoding"]["x"]["title"] == "bitkom"
    moves = pd.DataFrame({"name": ["A", "B"], "rank_base": [1, 2], "rank_other": [2, 1],
                          "shift": [-1, 1]})
    spec = spec_of(charts.movers_bars(moves))
    assert spec["encoding"]["y"]["sort"] == ["B", "A"]


def test_correlation_heatmap_writes_values_on_a_diverging_scale():
    matrix = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["x", "y", "x", "y"],
                           "value": [1.0, 0.5, 0.5, 1.0]})
    spec = spec_of(charts.correlation_heatmap(matrix, title="Spearman"))
    cells, text = spec["layer"]
    assert cells["encoding"]["color"]["scale"] == {"scheme": charts.DIVERGING,
                                                   "domain": [-1, 1]}
    assert text["encoding"]["text"]["format"] == ".2f"
    assert spec["title"] == "Spearman"


def test_profile_history_and_service_charts():
    profile = pd.DataFrame({"area_id": ["v", "v", "v"], "area": ["Verwaltung"] * 3,
                            "series": ["this_city", "median_all", "median_peer"],
                            "score": [80.0, 60.0, 55.0]})
    spec = spec_of(charts.area_profile(profile, labels={"this_city": "Stadt"}))
    assert spec["layer"][1]["encoding"]["color"]["scale"]["domain"][0] == "Stadt"

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
    spec = spec_of(charts.service_share_bars(shares))
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Termin", "Bauantrag"]
    assert spec["layer"][1]["mark"]["type"] == "tick"

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
