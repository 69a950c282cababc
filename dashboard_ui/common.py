"""What every part of the dashboard shares: the cached loading and scoring, the :class:`Page`
(everything one run of the script has decided), and small rendering helpers.

Cached functions take hashable keys only; the dataset and the registry travel as arguments
whose names start with ``_``, which Streamlit does not hash: the key ``source`` names them
(:func:`source_key`: a digest of the folder and its files' modification times, or of an
upload's SHA-256, and of the plugins).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
from streamlit import dataframe_util

import cityindex
from cityindex import charts, formats, i18n, views
from cityindex.engine import compare_results, method_label
from cityindex.i18n import t
from cityindex.messages import message_of

# Altair in this server process (charts reach Streamlit as specs, see chart_spec):
# - no debug mode: it validates every schema object against the Vega-Lite schema when it is
#   built, for better tracebacks while writing a chart (about 20 ms per chart); the chart
#   functions are validated by tests/test_charts.py instead;
# - no default theme (its 300 px default sizes are not wanted; st.altair_chart drops it too);
# - no row limit on inline data (a user's dataset may have more than 5,000 cities).
alt.utils.schemapi.disable_debug_mode()
alt.theme.enable("none")
alt.data_transformers.disable_max_rows()

KEEP = "session"  # widget values survive while their tab is not shown
SCORING_ERRORS = (cityindex.MethodError, cityindex.MethodDataError, cityindex.ParameterError,
                  ValueError)

# --- cached loading and scoring -----------------------------------------------------------------


def data_signature(path: Path) -> tuple[tuple[str, int], ...]:
    """File names and modification times of a dataset folder (or of one workbook): a changed
    file reloads the dataset."""
    path = Path(path)
    if not path.is_dir():
        return ((path.name, path.stat().st_mtime_ns),) if path.exists() else ()
    return tuple((f.name, f.stat().st_mtime_ns) for f in sorted(path.iterdir()) if f.is_file())


@st.cache_resource(show_spinner=False)
def load_bundled(folder: str, signature: tuple) -> cityindex.Dataset:
    # A resource, not data: the dataset is read-only, and copying it on every rerun (as
    # st.cache_data would) costs more than the scoring itself.
    return cityindex.load_dataset(folder)


@st.cache_resource(show_spinner=False)
def load_topology(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def plugin_key() -> tuple[str, ...]:
    """The registered plugins and what failed to load: the registry's cache key."""
    pm = cityindex.get_plugin_manager()
    names = sorted(name for name, _ in pm.list_name_plugin())
    return (*names, *(f"failed: {f}" for f in getattr(pm, "failures", ())))


def source_key(data_key: tuple, plugins: tuple[str, ...]) -> str:
    """A short text naming the data and the plugins: the key of everything computed from them.
    Streamlit hashes a cached function's arguments on every call (a profile makes 20 calls a
    rerun), so the key is a digest, not the files' list."""
    return hashlib.sha256(repr((data_key, plugins)).encode()).hexdigest()[:20]


@st.cache_resource(show_spinner=False)
def method_registry(plugins: tuple[str, ...]):
    # Keyed on the registered plugin names, so an in-process registration shows up.
    return cityindex.get_registry()


@st.cache_resource(show_spinner=False, max_entries=512)
def score(source: str, method: str, edition: int, params: tuple, weights: tuple,
          _dataset: cityindex.Dataset, _registry):
    """``(result, None)``, or ``(None, message)`` for a method that cannot score this edition.
    Failures are cached too, so that a faulty or slow plugin costs its time once, not on
    every rerun.

    A resource, not data: every session shares the one result, which nothing changes in place
    (pandas' copy-on-write keeps the tables views are built from intact; a test checks that
    every tab leaves the cached result as scored). ``st.cache_data`` would unpickle a copy on
    every call, twice per rerun."""
    return attempt(cityindex.score, SCORING_ERRORS, _dataset, method, edition=edition,
                   params=dict(params), weights=dict(weights) or None, registry=_registry)


def attempt(function: Callable[..., Any], errors: tuple[type[Exception], ...], *args,
            **kwargs) -> tuple[Any, str | None]:
    """``(function(*args, **kwargs), None)``, or ``(None, message)`` when it raises one of
    ``errors``: for a cached computation, a failure is a result to keep and show. The message
    keeps its template (:func:`cityindex.messages.message_of`), so it is shown in the
    reader's language with :func:`cityindex.i18n.message_text`."""
    try:
        return function(*args, **kwargs), None
    except errors as exc:
        return None, message_of(exc)


@st.cache_resource(show_spinner=False, max_entries=128)
def scores(source: str, requests: tuple, _dataset: cityindex.Dataset, _registry) -> tuple:
    """:func:`score` of each (method, edition, parameters, weights) in ``requests``, in one
    cache look-up: the profile needs 15 of them on every rerun, and each look-up of a cached
    function costs about a millisecond."""
    return tuple(score(source, *request, _dataset, _registry) for request in requests)


@st.cache_resource(show_spinner=False, max_entries=128)
def ranking(source: str, request: tuple, previous: tuple | None, lang: str, _current,
            _previous) -> pd.DataFrame:
    """The ranking table of the scored method of ``request`` (a :func:`score` key) against
    the edition before (``previous``'s key, None without one): ``views.ranking_table`` with
    the markers' labels in ``lang``. Built once per method, settings and language, not on
    every rerun, and shared like :func:`score`: nothing changes it in place."""
    table = views.ranking_table(_current, _previous)
    table["provenance_label"] = table["provenance"].map(
        lambda m: i18n.provenance_label(m, lang))
    return table


@st.cache_resource(show_spinner=False, max_entries=64)
def comparison(source: str, specs: tuple, edition: int, _dataset, _registry):
    """``(comparison or None, [(label, message), ...])``: the methods of ``specs`` (name,
    parameters, own weights) that can be scored, compared, and a note for each one that
    cannot. Shared like :func:`score`."""
    results, labels, failures = [], [], []
    for name, params, weights in specs:
        result, error = score(source, name, edition, params, weights, _dataset, _registry)
        label = method_label(name, dict(params))
        if error:
            failures.append((label, error))
        else:
            results.append(result)
            labels.append(label)
    if len(results) < 2:
        return None, failures
    return compare_results(results, labels, failures=failures), failures


@st.cache_data(show_spinner=False, max_entries=16)
def city_groups(data_key: tuple, _cities: pd.DataFrame) -> dict[str, list[str]]:
    """The comparison groups of the dataset ``data_key`` names (:func:`views.peer_groups`)."""
    return views.peer_groups(_cities)


@st.cache_data(show_spinner=False)
def service_shares(source: str, _dataset) -> pd.DataFrame:
    return views.service_shares(_dataset)


# --- one run's decisions ------------------------------------------------------------------------


@dataclass
class Page:
    """Everything the sidebar and the scoring decided in this run, for the tabs to render."""

    lang: str
    ds: cityindex.Dataset
    source: str  # source_key(): what the data and the plugins are
    registry: Any
    upload: str | None  # the uploaded file's name, None for the bundled data
    topology: Static  # the states' TopoJSON, for chart_spec
    method_names: list[str]
    default_method: str
    edition: int
    method_name: str
    method: Any
    changed: dict[str, Any]  # parameters that differ from the method's defaults
    weights: dict[str, float]  # own area/category weights (empty: the method's own)
    groups: dict[str, list[str]]
    peer: str
    selected: list[str]
    city_options: list[str]
    current: cityindex.ScoreResult
    previous: cityindex.ScoreResult | None
    ranking: pd.DataFrame
    shown: pd.DataFrame
    area_names: dict[str, str]
    labels: dict[str, str]

    @functools.cached_property
    def catalogue(self):
        """The edition's catalogue (one copy per run of ``Dataset.catalogue``'s cached one)."""
        return self.ds.catalogue(self.edition)

    def score(self, method: str, edition: int | None = None, *, own: bool | None = None):
        """``(result, error)`` of ``method`` on ``edition`` (this page's by default), with this
        page's parameters and weights when it is the chosen method."""
        return score(self.source, *self._request(method, edition, own), self.ds, self.registry)

    def scores(self, requests) -> tuple:
        """``(result, error)`` for each ``(method, edition)`` of ``requests``, as :meth:`score`
        gives them, in one cache look-up."""
        keyed = tuple(self._request(method, edition) for method, edition in requests)
        return scores(self.source, keyed, self.ds, self.registry)

    def ranking_of_method(self) -> pd.DataFrame:
        """The ranking table of the chosen method (:func:`ranking`), once :attr:`current` and
        :attr:`previous` are scored."""
        prev_edition = views.previous_edition(self.ds.editions, self.edition)
        before = None if self.previous is None else self._request(self.method_name,
                                                                   prev_edition)
        return ranking(self.source, self._request(self.method_name), before, self.lang,
                       self.current, self.previous)

    def _request(self, method: str, edition: int | None = None, own: bool | None = None):
        own = method == self.method_name if own is None else own
        return (method, self.edition if edition is None else edition,
                views.params_key(self.changed if own else {}),
                views.params_key(self.weights if own else {}))

    def city_name(self, city_id: str) -> str:
        return self._city_names[city_id]

    @functools.cached_property
    def _city_names(self) -> dict[str, str]:
        # A select box of every city asks for each name on every run: one table look-up
        # costs ~30 µs, a dictionary's a fraction of one.
        return dict(zip(self.ds.cities.index, self.ds.cities["name"].astype(str), strict=True))

    def peer_label(self, peer: str) -> str:
        return peer_label(peer, self.lang)

    def method_title(self, name: str, params: Mapping[str, Any] | None = None, *,
                     own_weights: bool = False) -> str:
        """The method's title with its parameters, and "· eigene Gewichte" when it is scored
        with the user's own weights."""
        title = i18n.method_title(self.registry.method(name), params, self.lang)
        return f"{title} · {t('with_own_weights', self.lang)}" if own_weights else title


# --- rendering helpers --------------------------------------------------------------------------


def peer_label(peer: str, lang: str) -> str:
    """The name of a comparison group (``state:Bayern``, ``size_large`` …) in ``lang``."""
    if not peer:
        return t("peer_none", lang)
    if peer.startswith("state:"):
        return t("peer_state", lang, state=peer.split(":", 1)[1])
    return t(f"peer_{peer}", lang)

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
"""Characters that markdown (CommonMark, GFM, Streamlit's own) could read as markup: emphasis,
links, headings, lists, tables, HTML, maths; ``:`` for Streamlit's ``:red[…]`` and
``:smile:``; ``&`` for an entity (``&amp;``). A bare address needs more: :data:`_AUTOLINK`."""

_AUTOLINK = re.compile(r"(?i)\b(https?(?=://)|www(?=\.))|@")
"""Where GFM would start a link in plain text (``http://``, ``https://``, ``www.``, an e-mail
address): it finds them in the text after the escapes are gone, so only a break in the
pattern keeps them text."""
WORD_JOINER = "\u2060"


def plain(text: Any) -> str:
    """``text`` with every markdown and HTML character escaped: names from a dataset are
    text, never markup (``**x**`` stays ``**x**``, ``[a](http://b)`` and ``http://b`` are no
    link, ``:red[x]`` is not red, ``&amp;`` is not ``&``). A bare web or e-mail address gets
    an invisible word joiner (U+2060) after ``http``, ``www`` or ``@``: Streamlit's markdown
    links addresses it finds in the text, escaped or not."""
    return _escaped(_AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, str(text)))


def _escaped(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


_URL = re.compile(r"https?://(?:[^\s;,()]|\([^\s;,()]*\))+(?<![.!?:])")
"""A web address in a citation: up to a space, ``;`` or ``,``, with balanced parentheses
("…/Seite_(2)") but without a closing one that belongs to the text around it, nor a final
full stop."""


def cited(text: Any, *, short: bool = False) -> str:
    """A citation as markdown: its web addresses as links a reader can follow, everything else
    escaped like :func:`plain` (escaping inside an address would break it). ``short``: a
    link reads as its site (``rp-online.de/…``), so a table cell is not as wide as an
    address."""
    text = str(text)
    out, at = [], 0
    for match in _URL.finditer(text):
        out.append(plain(text[at:match.start()]))
        url = match.group(0)
        shown = url
        if short:
            parts = urllib.parse.urlsplit(url)
            site = parts.netloc.removeprefix("www.")
            shown = site + ("/…" if parts.path.strip("/") or parts.query else "")
        # A link's own text is not linked again: escaped, without word joiners.
        out.append(f"[{_escaped(shown)}]({url.replace('(', '%28').replace(')', '%29')})")
        at = match.end()
    out.append(plain(text[at:]))
    return "".join(out)


@dataclass(frozen=True)
class Static:
    """An argument of :func:`chart_spec` that stays the same while the app runs (the states'
    TopoJSON), known by its ``name``: hashing its ~9,000 arcs would cost more than drawing."""

    name: str
    value: Any = dataclasses.field(compare=False, repr=False)


def chart_spec(builder: Callable[..., Any], *args, **kwargs) -> dict | None:
    """The Vega-Lite spec of the chart ``builder(*args, **kwargs)`` (a chart function of
    ``cityindex.charts``), or ``None`` when it has nothing to draw.

    Built once for the same inputs and shared by every rerun and session: a chart's Altair
    objects cost 10–60 ms to build and to turn into a spec, which a rerun that changes
    nothing in the chart (another tab's widget, a language round trip) need not pay. The
    inputs are known by :func:`fingerprint`."""
    key = fingerprint((builder.__module__, builder.__qualname__, args, kwargs))
    return _chart_spec(key, builder, args, kwargs)


@st.cache_resource(show_spinner=False, max_entries=128)
def _chart_spec(key: str, _builder, _args: tuple, _kwargs: dict) -> dict | None:
    args = tuple(a.value if isinstance(a, Static) else a for a in _args)
    chart = _builder(*args, **_kwargs)
    return None if chart is None else with_arrow_tables(charts.to_spec(chart))


def with_arrow_tables(spec: dict) -> dict:
    """``spec`` with each table of its ``datasets`` (a list of rows) as the Arrow IPC bytes
    ``st.vega_lite_chart`` sends to the browser, converted as Streamlit converts it
    (``dataframe_util.convert_anything_to_arrow_bytes``), which takes bytes as they are: a
    cached spec is converted once, not on every rerun (~5–10 ms for the ranking's 83 rows).
    Anything else (the TopoJSON of the map) stays as it is."""
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    converted = {name: dataframe_util.convert_anything_to_arrow_bytes(values)
                 if isinstance(values, list) else values for name, values in datasets.items()}
    return {**spec, "datasets": converted}


def fingerprint(value: Any) -> str:
    """A digest (hex text) of ``value``: equal for equal values, different for different ones.

    Every row of a table counts (``pandas.util.hash_pandas_object``, with the index, the column
    names and the dtypes): Streamlit's own argument hashing samples 10,000 rows of a table of
    50,000 or more, so two different rankings of a large dataset could share a chart. Takes
    tables, series, mappings, lists, tuples and sets of these, text, numbers (numpy's too),
    booleans, None and :class:`Static` (known by its name); raises ``TypeError`` for anything
    else."""
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()


def _feed(digest, value: Any) -> None:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (str, bool, int, float)):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, Static):
        digest.update(f"static:{value.name!r};".encode())
    elif isinstance(value, (pd.DataFrame, pd.Series)):
        series = isinstance(value, pd.Series)
        frame = value.to_frame() if series else value
        shape = (type(value).__name__, value.name if series else None, list(frame.columns),
                 [str(t) for t in frame.dtypes], list(frame.index.names), frame.shape)
        digest.update(f"{shape!r};".encode())
        try:
            rows = pd.util.hash_pandas_object(frame, index=True).to_numpy()
        except TypeError:  # a cell holds something unhashable (a list): its text counts
            rows = pd.util.hash_pandas_object(frame.astype(str), index=True).to_numpy()
        digest.update(rows.tobytes())
    elif isinstance(value, Mapping):
        digest.update(f"mapping:{len(value)};".encode())
        for key, item in value.items():
            _feed(digest, key)
            _feed(digest, item)
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__}:{len(value)};".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, (set, frozenset)):
        _feed(digest, sorted(value, key=repr))
    else:
        raise TypeError(f"fingerprint() takes no {type(value).__name__}")


def show_chart(spec: dict | None, table: pd.DataFrame | None, page: Page, *, key: str,
               decimals: int | Mapping[str, int] = 1, column_config=None,
               rank_change: Iterable[str] = ()) -> None:
    """A chart (a spec from :func:`chart_spec`) and its numbers as a table underneath
    (``table=None`` where the tab already shows that table above the chart); a message
    instead of an empty chart.

    The table sits in an expander ``key`` that is built only while it is open (a closed one
    costs a rerun nothing; opening it reruns the app)."""
    if spec is None:
        st.info(t("no_data", page.lang))
        return
    st.vega_lite_chart(dict(spec), width="stretch")  # Streamlit edits the top level only
    if table is not None:
        numbers = remembered_expander(t("chart_data", page.lang), f"chart_data.{key}")
        if numbers.open:
            with numbers:
                styled_table(table, page, decimals=decimals, column_config=column_config,
                             rank_change=rank_change)


def remembered_expander(label: str, key: str, default: bool = False):
    """``st.expander`` that stays as the user left it; ``.open`` says whether it is open, so a
    caller can build its content only then (opening or closing it reruns the app).

    Streamlit knows an expander by its label and initial state too, so a language switch
    would make a new, closed one, as would a tab round trip (a hidden tab's widgets are
    forgotten). The state is kept in the session under ``_open.<key>`` and given back as the
    initial state."""
    ss = st.session_state
    remembered = f"_open.{key}"
    return st.expander(label, expanded=ss.get(remembered, default), key=key,
                       on_change=_remember_open, args=(key, remembered))


def open_box(key: str) -> None:
    """Open the :func:`remembered_expander` ``key`` before it is drawn (a link that brings
    its settings shows them); from then on it stays as the user leaves it."""
    st.session_state[f"_open.{key}"] = True


def _remember_open(key: str, remembered: str) -> None:
    st.session_state[remembered] = bool(st.session_state.get(key))


YEAR_COLUMNS = frozenset({"edition", "year", "population_year"})
"""Columns of years: written as they are ("2019"), never as a number with a thousands
separator ("2.019")."""


def _year(value: Any) -> str:
    return i18n.MISSING_TEXT if formats.is_missing(value) else str(int(float(value)))


def _is_rank(column: Any) -> bool:
    """A column of ranks: ``rank``, ``published_rank``, ``rank_p05``, ``median_rank`` … (not
    a rank change)."""
    parts = str(column).split("_")
    return "rank" in parts and "change" not in parts


def _whole(values: pd.Series) -> bool:
    """Whether a column holds whole numbers only (a rank stored as a float, 49.0: "49")."""
    if not pd.api.types.is_float_dtype(values.dtype):
        return False
    numbers = values.to_numpy(dtype=float, na_value=np.nan)
    numbers = numbers[np.isfinite(numbers)]
    return bool(np.all(numbers == np.round(numbers)))


def cell_text(column: pd.Series, lang: str, *, decimals: int = 1, rank_change: bool = False,
              integer: bool = False) -> Callable[[Any], str] | None:
    """How a table writes the cells of ``column`` (its name and dtype decide) in ``lang``: a
    rank change ``+3``; a year ``2019``; a whole number (also a rank kept as a float)
    ``3.669.491``; a decimal ``71,4``; text with status words translated; None for a column
    of another kind (dates …), left as it is. One rule for :func:`styled_table` and
    :func:`text_table`."""
    name, dtype = column.name, column.dtype
    if rank_change:
        return lambda v: formats.format_rank_change(v, lang)
    if name in YEAR_COLUMNS:
        return _year
    if integer or pd.api.types.is_integer_dtype(dtype) or (_is_rank(name) and _whole(column)):
        return lambda v: formats.format_integer(v, lang)
    if pd.api.types.is_float_dtype(dtype):
        return formats.number_formatter(lang, decimals=decimals)
    if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        return lambda v: i18n.display_value(v, lang)
    return None


def styled_table(frame: pd.DataFrame, page: Page, *, decimals: int | Mapping[str, int] = 1,
                 rank_change: Iterable[str] = (), integers: Iterable[str] = (),
                 column_config=None, **kwargs) -> None:
    """``st.dataframe`` with numbers in the reader's format (German: 71,4 and 3.669.491; rank
    changes +3 / −2 / ±0; missing values –). The values stay numbers, so columns sort.
    ``decimals``: for every decimal column, or per column (``{"lat": 2}``; 1 for the others:
    points are written as Bitkom writes them)."""
    rank_change, integers = set(rank_change), set(integers)
    places = decimals if isinstance(decimals, Mapping) else {}
    fmt = {col: cell_text(frame[col], page.lang,
                          decimals=places.get(col, 1) if places else decimals,
                          rank_change=col in rank_change, integer=col in integers)
           for col in frame.columns}
    fmt = {col: func for col, func in fmt.items() if func is not None}
    config = {c: i18n.column_label(str(c), page.lang) for c in frame.columns}
    config.update(column_config or {})
    frame, config, fmt = text_where_missing(frame, fmt, config)
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    styler = frame.style.format(fmt, na_rep=i18n.MISSING_TEXT)
    if kwargs["hide_index"]:
        styler = styler.hide(axis="index")  # the same cells, and pandas renders no index
    show_styled(styler, column_config=config, **kwargs)


def show_styled(styler, **kwargs) -> None:
    """``st.dataframe`` of a pandas Styler: the grid sorts the numbers, the reader sees the
    Styler's texts (German ``71,4``).

    Streamlit writes those texts into a copy of the table turned to strings, column by
    column; into pandas' default strings (stored by pyarrow) each write costs ~1 ms, into
    Python-stored strings a third of that — a third of a ranking rerun's table time. The
    option holds only while Streamlit builds the element."""
    with pd.option_context("mode.string_storage", "python"):
        st.dataframe(styler, **kwargs)


def text_table(frame: pd.DataFrame, page: Page, labels: Mapping[str, str], *,
               decimals: int = 1, rank_change: Iterable[str] = (),
               alt: str | None = None,
               numbers: Mapping[str, Callable[[Any], str]] | None = None) -> None:
    """A few rows as a static text table (``st.table``): the city profile's areas, published
    figures, categories and services. Numbers in the reader's format (German ``71,4``, rank
    changes ``+3`` / ``−2`` / ``±0``), every name escaped (:func:`plain`: Streamlit reads
    table cells as markdown), a missing value ``–``; the columns of ``labels`` only, headed
    by its texts. ``alt`` describes the table to a screen reader. No rows: "keine" / "none".
    ``numbers`` gives a column its own number writer (e.g. :func:`formats.format_as_published`).

    Text a reader can select and copy, and a fraction of the cost of a sortable grid
    (:func:`styled_table`, ~10 ms a table in a rerun, for rows nobody needs to sort)."""
    if frame.empty:  # st.table would say "empty", in English
        st.caption(t("no_rows", page.lang))
        return
    rank_change = set(rank_change)
    columns = {}
    numbers = numbers or {}
    for col, label in labels.items():
        values = frame[col]
        write = numbers.get(col) or cell_text(values, page.lang, decimals=decimals,
                                              rank_change=col in rank_change) or (
            lambda v: i18n.display_value(v, page.lang))
        number = (col in rank_change or col in numbers
                  or pd.api.types.is_numeric_dtype(values.dtype))
        columns[plain(label)] = [write(v) if number else plain(write(v)) for v in values]
    st.table(pd.DataFrame(columns), hide_index=True, border="horizontal", alt=alt or None)


def text_where_missing(frame: pd.DataFrame, fmt: Mapping[str, Callable[[Any], str]],
                       config: dict) -> tuple[pd.DataFrame, dict, dict]:
    """Columns with a missing value as formatted text (right-aligned where they hold numbers).

    Streamlit draws a missing cell as "None" whatever the Styler says; a column of text shows
    "–" instead. Such a column sorts as text, which the sparse columns it is used for (the
    published figures, an unranked city's rank) can afford. A pinned column stays pinned (an
    unranked city's rank column moved behind the pinned city names)."""
    frame = frame.copy()
    config = dict(config)
    for col, func in list(fmt.items()):
        if col not in frame.columns or not frame[col].isna().any():
            continue
        numeric = pd.api.types.is_numeric_dtype(frame[col].dtype)
        frame[col] = pd.Series([func(v) for v in frame[col]], index=frame.index, dtype=object)
        label, help_text, pinned = config.get(col), None, None
        if isinstance(label, dict):  # a column_config object: keep label, help and pinning
            label, help_text, pinned = label.get("label"), label.get("help"), label.get("pinned")
        config[col] = st.column_config.TextColumn(
            label if isinstance(label, str) else str(col), help=help_text, pinned=pinned,
            alignment="right" if numeric else None)
        del fmt[col]  # already text
    return frame, config, fmt


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_buttons(page: Page, bundle: Callable[[], Any], stem: str, key: str) -> None:
    """A CSV in the reader's convention (German: ``;``, decimal comma, BOM, readable headers)
    and an Excel workbook with a methodology sheet, of the export ``bundle()`` returns — built
    only when a button is clicked (``cityindex.export`` neutralises formulas in both)."""
    from cityindex import export

    left, right = st.columns(2)
    left.download_button(t("download_csv", page.lang),
                         lambda: export.to_csv(served(bundle(), page), locale=page.lang,
                                               readable=True),
                         file_name=f"{stem}.csv", mime="text/csv", key=f"{key}_csv",
                         on_click="ignore")
    right.download_button(t("download_xlsx", page.lang),
                          lambda: export.to_xlsx(served(bundle(), page), locale=page.lang),
                          file_name=f"{stem}.xlsx", mime=XLSX_MIME, key=f"{key}_xlsx",
                          on_click="ignore")


def selection_text(page: Page, found: str = "") -> str:
    """What chose the shown rows (the sidebar's filters, the ranking's search ``found``), in
    the reader's language, for an export's methodology: ``Bundesländer: Saarland; Suche:
    „Saar“``; empty when nothing narrows the edition's cities. A sheet of eight rows must say
    why it has eight."""
    ss, lang = st.session_state, page.lang
    return selection_words(lang, states=ss.get("states", ()), sizes=ss.get("sizes", ()),
                           peer=page.peer_label(page.peer) if page.peer else "", found=found)


def selection_words(lang: str, *, states=(), sizes=(), peer: str = "", found: str = "") -> str:
    """:func:`selection_text` from its parts (``peer``: the group's name as shown)."""
    parts = []
    if states:
        parts.append(f"{t('states', lang)}: {', '.join(states)}")
    if sizes:
        parts.append(f"{t('sizes', lang)}: " + ", ".join(t(f"size_{s}", lang) for s in sizes))
    if peer:
        parts.append(f"{t('peer', lang)}: {peer}")
    if found.strip():
        parts.append(t("selection_search", lang, text=found.strip()))
    return "; ".join(parts)


def shown_rows(whole, ids, chosen_by: str = ""):
    """An export (``cityindex.export.Export``) cut to the cities ``ids`` in its first table;
    its methodology says how many rows of the edition's it holds ("8 / 83") and, when
    ``chosen_by`` is given, what chose them."""
    cities = whole.tables[0]
    rows = cities.frame[cities.frame["city_id"].isin(ids)]
    methodology = {**whole.methodology, "exported_rows": f"{len(rows)} / {len(cities.frame)}"}
    if chosen_by:
        methodology["selection"] = chosen_by
    return dataclasses.replace(
        whole, tables=(dataclasses.replace(cities, frame=rows), *whole.tables[1:]),
        methodology=methodology)


def served(bundle, page: Page):
    """An export as the dashboard hands it out: its methodology names the data without the
    server's paths ("Pfad /srv/cityindex/data" told every visitor of a hosted dashboard where
    its files lie): the bundled data as such, an upload by the name the user gave it, another
    folder by its own name only."""
    data = dict(bundle.methodology.get("data", {}))
    if "path" not in data:
        return bundle
    del data["path"]
    if page.upload:
        data["source"] = page.upload
    elif data.get("source") not in ("bundled data", "in-memory data"):
        data["source"] = Path(str(data["source"])).name
    return dataclasses.replace(bundle, methodology={**bundle.methodology, "data": data})


def marker_texts(markers: Iterable, lang: str) -> dict[str, str]:
    """The text of each provenance marker among ``markers`` (``modeled`` → ``○ modelliert``),
    for a chart's ``provenance_labels``; missing markers are left out."""
    return {m: i18n.provenance_label(m, lang) for m in dict.fromkeys(markers)
            if isinstance(m, str) and m}


def provenance_caption(markers, page: Page, *more: str) -> None:
    """The legend of the provenance markers in ``markers`` as a caption, with the lines
    ``more`` under it (one caption: each element costs the browser its drawing)."""
    legend = i18n.provenance_legend(markers, page.lang, cityindex.PROVENANCE_LABELS)
    st.caption("  \n".join([f"**{t('provenance_legend', page.lang)}:** "
                             + " · ".join(f"{label} = {text}" for label, text in legend),
                             *more]))


def localized(key: str, lang: str, then: Callable[..., None] | None = None,
              args: tuple = ()) -> dict[str, Any]:
    """Widget arguments for a choice whose labels depend on the language.

    The browser sends a selection back as its label, so a widget whose labels change with the
    language would lose the choice on a language switch (or turn a German label into a value).
    Such a widget gets a key per language, as the tabs do: the German one is ``key`` itself,
    which also holds the language-neutral value; the English one, ``key + ".en"``, is seeded
    from it on every run and writes a change back to it. ``then(*args)`` runs after a change.
    """
    ss = st.session_state
    widget = key if lang == i18n.DEFAULT_LANGUAGE else f"{key}.{lang}"
    if widget != key and key in ss:
        ss[widget] = ss[key]
    return {"key": widget, "on_change": _write_back, "args": (widget, key, then, args)}


def _write_back(widget: str, key: str, then, args: tuple) -> None:
    ss = st.session_state
    if widget != key and widget in ss:
        ss[key] = ss[widget]
    if then is not None:
        then(*args)


LINK_NAMES = {"service": "service", "cmp_x": "x", "cmp_y": "y"}
"""Choices a link brings that only their tab can check (``views.decode_query`` cannot): the
session key and the query parameter it is written to."""


def keep_valid(key: str, options, multi: bool = False) -> None:
    """Drop a remembered widget value that the current options no longer contain. A value
    that came with the link (one of :data:`LINK_NAMES`, checked at the first drawing of its
    widget) is reported as not taken from it, as ``decode_query`` reports the others."""
    ss = st.session_state
    linked = ss.get("_linked", {}).pop(key, None)
    if key not in ss:
        return
    if multi:
        ss[key] = [v for v in ss[key] if v in options]
    elif ss[key] not in options:
        if linked is not None and linked == ss[key]:
            st.warning(t("invalid_link", ss.get("lang", i18n.DEFAULT_LANGUAGE),
                         what=plain(f"{LINK_NAMES[key]}={linked}")))
        del ss[key]


def param_value(p: cityindex.Parameter, key: str) -> object:
    """The value of a method parameter without its widget: the one the user (or a link) set
    under ``key``, else the default. A parameter widget keeps its value in the session while
    it is not shown (``KEEP``), so the sidebar can leave the parameters' box unbuilt."""
    cast = {"bool": bool, "int": int, "float": float}.get(p.type)
    return st.session_state.setdefault(key, cast(p.default) if cast else p.default)


def slider_steps(low: float, high: float, step: float | None = None) -> tuple[list[float], int]:
    """The stops of a number slider from ``low`` to ``high`` and the decimals that tell them
    apart: multiples of ``step``, or of a round step (1, 2 or 5 × 10^k) giving about a
    hundred stops, and both ends."""
    if step is None:
        raw = (high - low) / 100 if high > low else 1.0
        power = math.floor(math.log10(raw))
        step = next(m * 10.0 ** power for m in (1, 2, 5, 10)
                    if m * 10.0 ** power >= raw * (1 - 1e-9))
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    values = {round(k * step, 10) for k in range(first, last + 1)} | {low, high}
    return sorted(values), max(0, -math.floor(math.log10(step) + 1e-9))


def number_slider(label: str, low: float, high: float, *, key: str, lang: str,
                  step: float | None = None, also: Iterable[float] = (), help: str | None = None,
                  where=st):
    """``st.slider`` for decimal numbers, written in the reader's format (``st.slider`` writes
    "0.05" in German too): a select slider over the stops of :func:`slider_steps`, ``also``
    and the value in the session under ``key`` (one number, or a pair for a range). A value
    between the stops (from a link, at full precision) is kept and shows all its digits.
    ``where`` is the container (a column); the widget has a key per language
    (:func:`localized`)."""
    ss = st.session_state
    stops, decimals = slider_steps(low, high, step)
    value = ss[key]
    snapped = (tuple(round(float(v), 10) for v in value) if isinstance(value, (list, tuple))
               else round(float(value), 10))
    if snapped != value:  # float noise from a link ("0.30000000000000004") snaps to a stop
        ss[key] = snapped
    chosen = snapped if isinstance(snapped, tuple) else (snapped,)
    options = sorted({*stops, *chosen, *(round(float(v), 10) for v in also)})

    def text(number: float) -> str:
        shown = decimals if round(number, decimals) == number else 10
        return formats.format_number(number, lang, decimals=shown, trailing_zeros=False)

    # A range must be declared by its value (the session's value alone makes a single slider);
    # it is the value the session holds, so nothing is set twice.
    return where.select_slider(label, options, format_func=text, help=help, persist_state=KEEP,
                               value=snapped if isinstance(snapped, tuple) else None,
                               **localized(key, lang))


def param_widget(p: cityindex.Parameter, key: str, lang: str) -> object:
    """One widget for a method parameter, labelled in the user's language."""
    label, help_text = i18n.param_label(p, lang), i18n.param_help(p, lang) or None
    param_value(p, key)  # the widget starts from the remembered value or the default
    if p.type == "bool":
        return st.checkbox(label, key=key, help=help_text, persist_state=KEEP)
    if p.type == "choice":
        return st.selectbox(label, p.choices, help=help_text, persist_state=KEEP,
                            format_func=lambda c: i18n.choice_label(p, c, lang),
                            **localized(key, lang))
    if p.min is not None and p.max is not None and p.type == "float":
        return number_slider(label, float(p.min), float(p.max), key=key, lang=lang,
                             also=(p.default,), help=help_text)
    if p.min is not None and p.max is not None:
        return st.slider(label, int(p.min), int(p.max), step=1, key=key, help=help_text,
                         persist_state=KEEP)
    return number_field(label, key, lang, whole=p.type == "int", low=p.min, high=p.max,
                        help=help_text)


def number_field(label: str, key: str, lang: str, *, whole: bool = False,
                 low: float | None = None, high: float | None = None,
                 help: str | None = None, where: Any = None) -> float | int:
    """A number typed as text in the reader's format (German "0,75"; ``st.number_input``
    writes "0.75" in German too), for a number without both bounds (a slider needs them).
    The session holds the number under ``key``; a text that is not a number, not whole
    (``whole``) or out of bounds keeps the number as it was, with a note under the field that
    says why ("'0.75' ist keine Zahl im deutschen Format – meinten Sie 0,75?"). ``where``:
    the container to draw in (a column; the page by default)."""
    ss = st.session_state
    where = st if where is None else where
    value = ss[key]
    field = f"{key}.text.{lang}"
    error = f"{key}.error"
    if ss.get(f"{field}.for") != value:  # the number changed (a link, a reset): show it
        ss[field], ss[f"{field}.for"] = _number_text(value, lang, whole), value
    where.text_input(label, key=field, help=help, on_change=_number_typed,
                     args=(key, field, error, lang, whole, low, high))
    if ss.get(error):
        where.caption(ss[error])
    return ss[key]


def _number_text(value: float, lang: str, whole: bool = False) -> str:
    """A number as :func:`number_field` writes it: every decimal it has, none added."""
    return formats.format_number(value, lang, decimals=0 if whole else 10,
                                 trailing_zeros=False)


def _number_typed(key: str, field: str, error: str, lang: str, whole: bool,
                  low: float | None, high: float | None) -> None:
    """Take the number typed into ``field``, or keep the one before and say why not."""
    ss = st.session_state
    text = ss[field]
    said = {"text": plain(text), "kept": _number_text(ss[key], lang, whole)}
    try:
        number = formats.parse_number(text, lang)
    except formats.NumberTextError as exc:
        problem = (t("number_not_read_hint", lang, hint=exc.suggestion, **said)
                   if exc.suggestion else t("number_not_read", lang, **said))
    else:
        if whole and not number.is_integer():
            problem = t("number_not_whole", lang, **said)
        elif low is not None and number < low:
            problem = t("number_below", lang, low=_number_text(low, lang), **said)
        elif high is not None and number > high:
            problem = t("number_above", lang, high=_number_text(high, lang), **said)
        else:
            ss[key] = int(number) if whole else number
            ss.pop(error, None)
            return
    ss[error] = problem
    ss[field], ss[f"{field}.for"] = said["kept"], ss[key]  # the field shows the kept number
