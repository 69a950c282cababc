"""Data shaping for the dashboard: filters, peer groups, profiles, service coverage and the
state of a view as URL query parameters.

Pure functions of the core's tables, without streamlit, so that they are tested directly and
the dashboard script stays a thin layer of widgets and rendering.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from cityindex import i18n
from cityindex.dataset import VALUE_PROVENANCE, Dataset
from cityindex.engine import ScoreResult, rank_changes
from cityindex.method import Parameter, ParameterError, value_text
from cityindex.robustness import NORMALISATIONS, WEIGHT_SCHEMES

# --- city groups ------------------------------------------------------------------------------

SIZE_CLASSES: tuple[tuple[str, float, float], ...] = (
    ("small", 100_000, 200_000),
    ("medium", 200_000, 500_000),
    ("large", 500_000, float("inf")),
)
"""Size classes by population: (id, lower bound inclusive, upper bound exclusive)."""

# The Ruhr area (Regionalverband Ruhr): eleven independent cities and four districts, by the
# first five digits of the official municipality key (AGS).
RUHR_AGS_PREFIXES = frozenset(
    {
        "05112", "05113", "05117", "05119", "05512", "05513",  # Duisburg … Gelsenkirchen
        "05911", "05913", "05914", "05915", "05916",  # Bochum, Dortmund, Hagen, Hamm, Herne
        "05170", "05562", "05954", "05978",  # Kreise Wesel, Recklinghausen, Ennepe-Ruhr, Unna
    }
)
CITY_STATE_AGS = frozenset({"11000000", "02000000", "04011000"})  # Berlin, Hamburg, Bremen
EAST_STATES = frozenset(
    {"Berlin", "Brandenburg", "Mecklenburg-Vorpommern", "Sachsen", "Sachsen-Anhalt", "Thüringen"}
)


def size_class(population: pd.Series) -> pd.Series:
    """The size class id of every city (``unknown`` where the population is missing)."""
    pop = pd.to_numeric(population, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    names = np.select([(pop >= low) & (pop < high) for _, low, high in SIZE_CLASSES],
                      [name for name, _, _ in SIZE_CLASSES], default="unknown")
    return pd.Series(names, index=population.index, dtype=object)


def peer_groups(cities: pd.DataFrame) -> dict[str, list[str]]:
    """Named groups of city ids: the Ruhr area, the city states, the East, the cities of
    500,000 and more, and one group per state (``state:<name>``). Empty groups are left out."""
    ids = cities.index.astype(str)
    state = cities["state"].astype(str)
    groups = {
        "ruhr": list(ids[ids.str[:5].isin(RUHR_AGS_PREFIXES)]),
        "city_states": list(ids[ids.isin(CITY_STATE_AGS)]),
        "east": list(ids[state.isin(EAST_STATES).to_numpy()]),
        "large": list(ids[(size_class(cities["population"]) == "large").to_numpy()]),
    }
    for name in sorted(s for s in state.unique() if s):
        groups[f"state:{name}"] = list(ids[(state == name).to_numpy()])
    return {k: v for k, v in groups.items() if v}


def filter_mask(
    table: pd.DataFrame,
    *,
    states: Iterable[str] = (),
    sizes: Iterable[str] = (),
    peer: Sequence[str] | None = None,
) -> pd.Series:
    """Which rows of a table indexed by city_id (with ``state`` and ``population``) pass the
    filters; an empty filter lets everything through."""
    keep = pd.Series(True, index=table.index)
    states, sizes = list(states), list(sizes)
    if states:
        keep &= table["state"].isin(states)
    if sizes:
        keep &= size_class(table["population"]).isin(sizes)
    if peer is not None:
        keep &= table.index.isin(list(peer))
    return keep


# --- ranking ----------------------------------------------------------------------------------


def previous_edition(editions: Sequence[int], edition: int) -> int | None:
    earlier = [e for e in editions if e < edition]
    return max(earlier) if earlier else None


def ranking_table(current: ScoreResult, previous: ScoreResult | None = None) -> pd.DataFrame:
    """The ranking with the change of rank against ``previous`` (positive = better), indexed
    by city_id in rank order. An unranked city (no score) has a missing rank and change;
    ``published_change_check`` says whether Bitkom's published change agrees with ours
    (see :func:`cityindex.engine.rank_changes`)."""
    table = current.table
    changes = rank_changes(current, previous)
    # Built from its columns at once: inserting column by column costs pandas a copy each.
    columns = {
        "provenance": table["provenance"],
        "rank": table["rank"].astype("Int64"),
        "rank_change": changes["rank_change"],
        "name": table["name"],
        "state": table["state"],
        "total": table["total"],
        **{area: table[area] for area in current.area_ids},
        "published_rank": table["published_rank"],
        "published_total": table["published_total"],
    }
    if "published_rank_change" in table:
        columns["published_rank_change"] = table["published_rank_change"]
        columns["published_change_check"] = changes["published_change_check"]
    for area in current.area_ids:
        columns[f"{area}_rank"] = table[f"{area}_rank"]
        columns[f"{area}_provenance"] = table[f"{area}_provenance"]
    for column in ("missing", "population", "lat", "lon"):
        columns[column] = table[column]
    return pd.DataFrame(columns, index=table.index)


def first_sentence(text: str) -> str:
    """The first sentence of a method description, for the sidebar (the card has it all)."""
    text = " ".join(str(text).split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def published_mismatches(table: pd.DataFrame, tolerance: float = 0.05) -> pd.DataFrame:
    """Rows marked as published whose computed rank or total differs from the published
    figure: the marker would then claim more than the numbers shown."""
    marker = table["provenance"].astype(str).to_numpy()
    claims_rank = np.isin(marker, ["published", "published rank"])
    claims_total = np.isin(marker, ["published", "published score"])

    def numbers(column: str) -> np.ndarray:
        return pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float,
                                                                      na_value=np.nan)

    # A missing figure on either side is a mismatch: NaN compares unequal.
    rank_off = claims_rank & ~(numbers("rank") == numbers("published_rank"))
    total_off = claims_total & ~(np.abs(numbers("total") - numbers("published_total"))
                                 <= tolerance)
    return table[rank_off | total_off]


def find_cities(table: pd.DataFrame, text: str) -> pd.Series:
    """Rows whose city name contains ``text`` (case- and accent-insensitive for umlauts)."""
    needle = _fold(text.strip())
    if not needle:
        return pd.Series(True, index=table.index)
    return table["name"].astype(str).map(_fold).str.contains(needle, regex=False)


def _fold(text: str) -> str:
    text = text.casefold()
    for a, b in (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss"), ("ae", "a"), ("oe", "o"),
                 ("ue", "u")):
        text = text.replace(a, b)
    return text


# --- method comparison ------------------------------------------------------------------------


def ranks_long(ranks: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """Ranks (city_id × method label) in long form for a bump chart."""
    out = ranks.rename_axis(index="city_id", columns="method").stack().rename("rank")
    out = out.reset_index()
    out["name"] = out["city_id"].map(names)
    out["rank"] = out["rank"].astype(float)
    return out[out["rank"].notna()]  # unranked cities (NA) have no line


def correlation_long(matrix: pd.DataFrame) -> pd.DataFrame:
    out = matrix.rename_axis(index="a", columns="b").stack().rename("value").reset_index()
    return out


# --- city profile -----------------------------------------------------------------------------


def area_profile(
    current: ScoreResult, city_id: str, peer: Sequence[str] | None, area_names: Mapping[str, str]
) -> pd.DataFrame:
    """Long table (area_id, area, series, score): per area, the city's score
    (``this_city``), the median of all cities (``median_all``) and, for a ``peer`` group
    with a member in the table, the median of the group (``median_peer``); medians leave
    missing scores out."""
    table = current.table
    areas = list(current.area_ids)
    if not areas or city_id not in table.index:
        return pd.DataFrame(columns=["area_id", "area", "series", "score"])
    scores = table[areas].to_numpy(dtype=float)
    series = {"this_city": scores[table.index.get_loc(city_id)],
              "median_all": _medians(scores)}
    if peer:
        members = table.index.isin(list(peer))
        if members.any():
            series["median_peer"] = _medians(scores[members])
    n = len(series)
    return pd.DataFrame({
        "area_id": np.repeat(areas, n),
        "area": np.repeat([area_names.get(a, a) for a in areas], n),
        "series": list(series) * len(areas),
        "score": np.column_stack(list(series.values())).ravel(),
    })


def _medians(scores: np.ndarray) -> np.ndarray:
    """The median of each column of ``scores``, missing values left out (NaN for a column
    with none; no numpy warning, which is not thread-safe to silence)."""
    return np.array([np.median(col[~np.isnan(col)]) if (~np.isnan(col)).any() else np.nan
                     for col in scores.T])


def published_figures(
    dataset: Dataset, edition: int, city_id: str, scope_names: Mapping[str, str],
    lang: str = "en",
) -> pd.DataFrame:
    """Every published figure of one city and edition — total, areas, categories — with its
    status (used / alternative), source and note, the total first, then in catalogue order.
    In German the note is ``note_de`` where the row has one (else the note as written)."""
    rows = _note_in(dataset.city_rows("published", city_id, edition).copy(), lang)
    order = {"total": -1, **{scope: i for i, scope in enumerate(scope_names)}}
    rows["_order"] = rows["scope"].map(order).fillna(len(order))
    rows = rows.sort_values(["_order", "status"], ascending=[True, False], kind="stable")
    rows["scope_name"] = rows["scope"].map(lambda s: scope_names.get(s, s))
    cols = ["scope", "scope_name", "rank", "points", "rank_change", "status", "source", "note"]
    return rows[cols].reset_index(drop=True)


def category_extremes(
    current: ScoreResult, city_id: str, category_names: Mapping[str, str], n: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The city's ``n`` strongest and ``n`` weakest categories, with the median of all
    cities for reference and the score's provenance marker (``current.category_provenance``:
    ``published`` only where Bitkom published that category's figure; None where the result
    has no markers). Columns category, score, median_all, provenance; index category_id."""
    empty = pd.DataFrame(columns=["category", "score", "median_all", "provenance"])
    if current.categories is None or city_id not in current.categories.index:
        return empty, empty
    cats = current.categories
    row = cats.loc[city_id].dropna()
    markers = current.category_provenance
    frame = pd.DataFrame(
        {
            "category": [category_names.get(c, c) for c in row.index],
            "score": row.to_numpy(),
            "median_all": cats[row.index].median().to_numpy(),
            "provenance": (markers.loc[city_id, row.index].to_numpy(dtype=object)
                           if markers is not None and city_id in markers.index
                           else np.full(len(row), None, dtype=object)),
        },
        index=pd.Index(row.index, name="category_id"),
    )
    frame = frame.sort_values("score", ascending=False, kind="stable")
    return frame.head(n), frame.tail(n).iloc[::-1]


def offered(value: pd.Series, kind: pd.Series) -> pd.Series:
    """Whether a service counts as offered: a yes/no value of 1, a share of at least 50 %, any
    other kind above 0; missing where the value is missing."""
    v = pd.to_numeric(value, errors="coerce").astype(float)
    k = kind.astype(str)
    out = np.where(k == "yes_no", v >= 0.5, np.where(k == "share", v >= 50, v > 0))
    return pd.Series(out, index=value.index, dtype="boolean").mask(v.isna())


def service_indicators(dataset: Dataset, edition: int) -> pd.DataFrame:
    """The indicators of ``edition`` flagged as citizen-facing online services."""
    ind = dataset.catalogue(edition).indicators
    return ind[ind["service"].astype(bool)]


def city_services(dataset: Dataset, edition: int, city_id: str) -> pd.DataFrame:
    """Every online service of the edition with the city's value, whether it is offered, and
    the provenance of the value."""
    services = service_indicators(dataset, edition)
    vals = dataset.city_rows("values", city_id, edition)
    # Positions by plain text ids: the table's categorical ids would compare their whole
    # category lists on every look-up.
    at = pd.Index(vals["indicator_id"].astype(object)).get_indexer(
        services.index.astype(object))
    found = at >= 0
    value = np.full(len(at), np.nan)
    value[found] = vals["value"].to_numpy(dtype=float)[at[found]]
    provenance = np.full(len(at), None, dtype=object)
    provenance[found] = vals["provenance"].astype(object).to_numpy()[at[found]]
    out = pd.DataFrame(
        {
            "name_de": services["name_de"],
            "name_en": services["name_en"],
            "kind": services["kind"],
            "value": value,
            "provenance": provenance,
        },
        index=services.index,
    )
    out["offered"] = offered(out["value"], out["kind"])
    return out


def service_offers(dataset: Dataset, edition: int, indicator_id: str) -> pd.DataFrame:
    """For one service: every assessed city with its value, whether it offers it, the value's
    provenance and the city's coordinates."""
    cities = dataset.cities.reindex(dataset.edition_cities(edition))
    kind = dataset.catalogue(edition).indicators.at[indicator_id, "kind"]
    vals = dataset.values
    vals = vals[(vals["edition"] == edition) & (vals["indicator_id"] == indicator_id)]
    vals = vals.set_index("city_id").reindex(cities.index)
    out = cities[["name", "state", "population", "lat", "lon"]].copy()
    out["value"] = vals["value"]
    out["provenance"] = vals["provenance"]
    out["offered"] = offered(out["value"], pd.Series(kind, index=out.index))
    return out


def service_shares(dataset: Dataset) -> pd.DataFrame:
    """Per edition and service: the share of assessed cities offering it, computed from the
    values, with the provenance of those values, and the published share where there is one.

    Columns: edition, indicator_id, name_de, name_en, share_computed, n_cities, n_values,
    provenance (the weakest provenance among the values), share_published.
    """
    rows = []
    order = VALUE_PROVENANCE  # the weakest present is a share's provenance
    values = dataset.values
    for edition in dataset.editions:
        services = service_indicators(dataset, edition)
        if services.empty:
            continue
        cities = dataset.edition_cities(edition)
        vals = values[(values["edition"] == edition) & values["indicator_id"].isin(services.index)
                      & values["city_id"].isin(cities)]
        for indicator_id, group in vals.groupby("indicator_id", sort=False):
            flags = offered(group["value"], pd.Series(services.at[indicator_id, "kind"],
                                                      index=group.index))
            present = flags.dropna()
            provs = [p for p in order if p in set(group.loc[group["value"].notna(), "provenance"])]
            rows.append(
                {
                    "edition": edition,
                    "indicator_id": indicator_id,
                    "name_de": services.at[indicator_id, "name_de"],
                    "name_en": services.at[indicator_id, "name_en"] or
                    services.at[indicator_id, "name_de"],
                    "share_computed": 100.0 * present.mean() if len(present) else np.nan,
                    "n_cities": len(cities),
                    "n_values": len(present),
                    "provenance": provs[-1] if provs else "",
                }
            )
    out = pd.DataFrame(
        rows,
        columns=["edition", "indicator_id", "name_de", "name_en", "share_computed", "n_cities",
                 "n_values", "provenance"],
    )
    shares = dataset.service_shares
    if len(shares):
        pub = shares.groupby(["edition", "indicator_id"])["share"].first()
        key = pd.MultiIndex.from_frame(out[["edition", "indicator_id"]])
        out["share_published"] = pub.reindex(key).to_numpy()
        # Published shares for services without values still belong in the table.
        known = set(zip(out["edition"], out["indicator_id"], strict=True))
        extra = [(e, i, s) for (e, i), s in pub.items() if (e, i) not in known]
        for edition, indicator_id, share in extra:
            ind = dataset.indicators
            row = ind[(ind["edition"] == edition) & (ind["indicator_id"] == indicator_id)]
            name_de = row["name_de"].iloc[0] if len(row) else indicator_id
            name_en = (row["name_en"].iloc[0] if len(row) else "") or name_de
            out.loc[len(out)] = {
                "edition": edition, "indicator_id": indicator_id, "name_de": name_de,
                "name_en": name_en, "share_computed": np.nan, "n_cities": np.nan,
                "n_values": 0, "provenance": "", "share_published": share,
            }
    else:
        out["share_published"] = np.nan
    return out


def history(
    results: Mapping[int, ScoreResult], city_id: str, published: pd.DataFrame
) -> pd.DataFrame:
    """A city's rank and score across editions: long table (edition, series, rank, total,
    provenance) with the series ``computed_rank`` (the method; ``provenance`` its total's
    marker, ``modeled`` where it rests on modeled values) and ``published_rank``
    (``published``).

    ``published`` is :attr:`Dataset.published`, or its rows about the city
    (``dataset.city_rows("published", city_id)``: the same result, without a pass over every
    figure).
    """
    rows = []
    for edition, res in sorted(results.items()):
        if city_id in res.table.index:
            rank = res.table.at[city_id, "rank"]
            rows.append((edition, "computed_rank", float(rank) if pd.notna(rank) else np.nan,
                         float(res.table.at[city_id, "total"]),
                         str(res.table.at[city_id, "provenance"])))
    used = ((published["city_id"] == city_id) & (published["scope"] == "total")
            & (published["status"] == "used")).to_numpy(dtype=bool)
    pub = published.loc[used, ["edition", "rank", "points"]].sort_values("edition",
                                                                       kind="stable")
    for edition, rank, points in zip(pub["edition"].tolist(), pub["rank"].tolist(),
                                     pub["points"].tolist(), strict=True):
        if pd.notna(rank) or pd.notna(points):
            rows.append((int(edition), "published_rank",
                         float(rank) if pd.notna(rank) else np.nan,
                         float(points) if pd.notna(points) else np.nan, "published"))
    return pd.DataFrame(rows, columns=["edition", "series", "rank", "total", "provenance"])


# --- methods and data -------------------------------------------------------------------------


def parameter_table(parameters: Iterable[Parameter], lang: str = "en") -> pd.DataFrame:
    """A method's parameters for its card (columns name, label, type, default, range, help),
    in ``lang``: German labels, help, choices (``auslassen``) and numbers (``0,05``) where
    the parameter declares them (:func:`cityindex.i18n.param_label` …), the type in words
    (``Dezimalzahl``). The name stays the identifier (``missing``), as ``-p`` and the link
    spell it."""
    rows = [
        {
            "name": p.name,
            "label": i18n.param_label(p, lang),
            "type": i18n.param_type_label(p.type, lang),
            "default": i18n.param_value_label(p, p.default, lang),
            "range": _range_text(p, lang),
            "help": i18n.param_help(p, lang),
        }
        for p in parameters
    ]
    return pd.DataFrame(rows, columns=["name", "label", "type", "default", "range", "help"])


def _range_text(p: Parameter, lang: str = "en") -> str:
    if p.type == "choice":
        return " | ".join(i18n.choice_label(p, c, lang) for c in p.choices)
    if p.min is None and p.max is None:
        return ""
    low = "" if p.min is None else i18n.param_value_label(p, p.min, lang)
    high = "" if p.max is None else i18n.param_value_label(p, p.max, lang)
    return f"{low} … {high}"


def editions_in(dataset: Dataset, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The dataset's ``editions.csv`` as shown in ``lang``: one column ``note``, the German
    ``note_de`` in German where the edition has one (else the note as written), the English
    ``note`` otherwise; ``note_de`` itself is not shown."""
    table = dataset.editions_table
    return _note_in(table.copy(), lang).drop(columns="note_de") if "note_de" in table else table


def _note_in(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``rows`` (changed in place) with ``note`` in ``lang``: in German ``note_de`` where a row
    has one, the note as written elsewhere (editions.csv and published.csv alike)."""
    if i18n.normalise_language(lang) == "de" and "note_de" in rows and "note" in rows:
        german = rows["note_de"].fillna("").astype(str)
        rows["note"] = german.where(german.str.strip() != "", rows["note"])
    return rows


def values_by_provenance(dataset: Dataset) -> pd.DataFrame:
    """How many indicator values each edition has, by provenance (editions as rows)."""
    vals = dataset.values
    counts = (
        vals.assign(present=vals["value"].notna())
        .groupby(["edition", "provenance"])["present"].sum()
        .unstack(fill_value=0)
    )
    counts["missing"] = vals[vals["value"].isna()].groupby("edition").size().reindex(
        counts.index, fill_value=0
    )
    return counts.astype(int)


def published_by_edition(dataset: Dataset) -> pd.DataFrame:
    """How many published figures each edition has, by scope kind (total / area), and how
    many of them are alternatives from conflicting sources."""
    pub = dataset.published
    if pub.empty:
        return pd.DataFrame(columns=["total", "areas", "alternative"])
    used = pub[pub["status"] == "used"]
    out = pd.DataFrame(
        {
            "total": used[used["scope"] == "total"].groupby("edition").size(),
            "areas": used[used["scope"] != "total"].groupby("edition").size(),
            "alternative": pub[pub["status"] != "used"].groupby("edition").size(),
        }
    )
    return out.fillna(0).astype(int)


# --- the view as URL query parameters ---------------------------------------------------------

TABS = ("ranking", "map", "compare", "profile", "robustness", "services", "methods")
COLOR_BY = ("total", "rank")
RANKING_VIEWS = ("chart", "table")
"""The ranking tab shows its bar chart or its table (a link's ``view=table``), as Our World
in Data's charts have a chart and a table view: one of them is built per run."""
PARAM_PREFIX = "p."
WEIGHT_PREFIX = "w."
OWN_WEIGHT_MAX = 10
"""Own area weights are whole numbers on a 0–10 scale, as in the OECD Better Life Index;
only their ratios matter. A link holds them as written (``w.verwaltung=10``)."""


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores. ``None`` / empty means "the default"."""

    lang: str = "de"
    edition: int | None = None
    method: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    states: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    peer: str = ""
    cities: tuple[str, ...] = ()
    compare: tuple[str, ...] = ()
    tab: str = "ranking"
    color: str = "total"
    ranking_view: str = "chart"
    profile: str = ""
    profile_peer: str = ""
    service: str = ""
    find: str = ""
    cmp_x: str = ""
    cmp_y: str = ""
    weights: dict[str, float] = field(default_factory=dict)
    robustness: dict[str, Any] = field(default_factory=dict)
    """The robustness tab's settings that differ from :data:`ROBUSTNESS_DEFAULTS`."""


ROBUSTNESS_DEFAULTS: dict[str, Any] = {
    "scheme": "dirichlet", "draws": 2000, "seed": 1, "concentration": 100.0, "noise": 0.25,
    "bounds": (0.1, 0.4), "categories": False, "normalisations": (), "aggregations": (),
    "samples": 512,
}
"""The robustness tab's settings and their defaults (the dashboard's widget keys are
``rb_<name>``); a link holds those that differ, as ``rb.<name>``."""
ROBUSTNESS_RANGES: dict[str, tuple[float, float]] = {
    "draws": (100, 20_000), "seed": (0, 2**31 - 1), "concentration": (5.0, 500.0),
    "noise": (0.0, 0.9), "bounds": (0.0, 1.0),
}
"""The allowed range of each number setting: the tab's widgets and a link's values alike."""
ROBUSTNESS_LISTS = ("normalisations", "aggregations")
"""The settings that hold several values (repeated in a link)."""
ROBUSTNESS_AGGREGATIONS = ("arithmetic", "geometric")
ROBUSTNESS_SAMPLES = (256, 512, 1024, 2048)
ROBUSTNESS_PREFIX = "rb."


def _robustness_value(name: str, values: list[str]) -> Any:
    """One robustness setting read from the link's text; ``ValueError`` if it is not valid
    (the same ranges as the tab's widgets)."""
    def number(kind):
        low, high = ROBUSTNESS_RANGES[name]
        value = kind(values[-1])
        if not low <= value <= high or value != value:
            raise ValueError(name)
        return value

    if name == "scheme":
        if values[-1] not in WEIGHT_SCHEMES:
            raise ValueError(name)
        return values[-1]
    if name == "draws":
        return number(int)
    if name == "seed":
        return number(int)
    if name == "concentration":
        return number(float)
    if name == "noise":
        return number(float)
    if name == "samples":
        if int(values[-1]) not in ROBUSTNESS_SAMPLES:
            raise ValueError(name)
        return int(values[-1])
    if name == "categories":
        if values[-1] not in ("true", "false"):
            raise ValueError(name)
        return values[-1] == "true"
    if name == "bounds":
        low, high = (float(v) for v in values[-1].split(","))
        if not ROBUSTNESS_RANGES[name][0] <= low <= high <= ROBUSTNESS_RANGES[name][1]:
            raise ValueError(name)
        return (low, high)
    allowed = {"normalisations": NORMALISATIONS, "aggregations": ROBUSTNESS_AGGREGATIONS}[name]
    if any(v not in allowed for v in values):
        raise ValueError(name)
    return tuple(dict.fromkeys(values))


@dataclass(frozen=True)
class QueryContext:
    """What a query is checked against."""

    editions: Sequence[int]
    methods: Mapping[str, Sequence[Parameter]]  # name -> parameters
    cities: Sequence[str]
    states: Sequence[str]
    peers: Sequence[str]
    default_method: str
    areas: Sequence[str] = ()  # the areas own weights may be given for; empty: any


def _all(query: Mapping[str, Any], key: str) -> list[str]:
    value = query.get(key, [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if str(v) != ""]


def _one(query: Mapping[str, Any], key: str) -> str:
    values = _all(query, key)
    return values[-1] if values else ""


REPEATABLE = frozenset({"state", "size", "city", "compare", "rb.normalisations",
                        "rb.aggregations"})
"""Query parameters that hold a list, one value per repetition (``state=Bayern&state=Hessen``);
every other one holds a single value."""


def decode_query(query: Mapping[str, Any], ctx: QueryContext) -> tuple[ViewState, list[str]]:
    """Read a view from query parameters (values are strings or lists of strings).

    Returns the state and a list of what was ignored because it is not valid here, so a
    stale link degrades to the default view with a note instead of an error.
    """
    problems: list[str] = []
    state = ViewState()
    # A choice of one value given twice: the last counts, the others are reported.
    for key in query:
        if key not in REPEATABLE:
            problems.extend(f"{key}={value}" for value in _all(query, key)[:-1])

    lang = _one(query, "lang")
    if lang:
        if lang in ("de", "en"):
            state = replace(state, lang=lang)
        else:
            problems.append(f"lang={lang}")

    edition = _one(query, "edition")
    if edition:
        try:
            number = int(edition)
        except ValueError:
            number = None
        if number in ctx.editions:
            state = replace(state, edition=number)
        else:
            problems.append(f"edition={edition}")

    method = _one(query, "method")
    if method and method not in ctx.methods:
        problems.append(f"method={method}")
        method = ""
    method = method or ctx.default_method
    if method != ctx.default_method:
        state = replace(state, method=method)
    params: dict[str, Any] = {}
    known = {p.name: p for p in ctx.methods.get(method, ())}
    for key in query:
        if not key.startswith(PARAM_PREFIX):
            continue
        name, raw = key[len(PARAM_PREFIX):], _one(query, key)
        if name not in known:
            problems.append(f"{key}={raw}")
            continue
        try:
            params[name] = known[name].coerce(raw)
        except ParameterError:
            problems.append(f"{key}={raw}")
    state = replace(state, params=params)

    def subset(key: str, allowed: Iterable[str]) -> tuple[str, ...]:
        allowed = set(allowed)
        values = _all(query, key)
        bad = [v for v in values if v not in allowed]
        problems.extend(f"{key}={v}" for v in bad)
        return tuple(dict.fromkeys(v for v in values if v in allowed))

    def single(key: str, allowed: Iterable[str]) -> str:
        value = _one(query, key)
        if value and value not in set(allowed):
            problems.append(f"{key}={value}")
            return ""
        return value

    state = replace(
        state,
        states=subset("state", ctx.states),
        sizes=subset("size", [s[0] for s in SIZE_CLASSES] + ["unknown"]),
        peer=single("peer", ctx.peers),
        cities=subset("city", ctx.cities),
        compare=subset("compare", ctx.methods),
        tab=single("tab", TABS) or "ranking",
        color=single("color", COLOR_BY) or "total",
        ranking_view=single("view", RANKING_VIEWS) or "chart",
        profile=single("profile", ctx.cities),
        profile_peer=single("profile_peer", [*ctx.peers, "all"]),
        service=_one(query, "service"),
        find=_one(query, "find")[:100],
        cmp_x=_one(query, "x"),
        cmp_y=_one(query, "y"),
    )
    weights: dict[str, float] = {}
    for key in query:
        if key.startswith(WEIGHT_PREFIX):
            raw, area = _one(query, key), key[len(WEIGHT_PREFIX):]
            try:
                value = float(raw)
            except ValueError:
                value = -1.0
            # a whole number of the sliders' scale, for a known area: nothing is rounded or
            # clamped without a word
            if (0 <= value <= OWN_WEIGHT_MAX and value == int(value)
                    and (not ctx.areas or area in ctx.areas)):
                weights[area] = value
            else:
                problems.append(f"{key}={raw}")
    settings: dict[str, Any] = {}
    for key in query:
        if key.startswith(ROBUSTNESS_PREFIX):
            name, values = key[len(ROBUSTNESS_PREFIX):], _all(query, key)
            try:
                if name not in ROBUSTNESS_DEFAULTS or not values:
                    raise ValueError(name)
                settings[name] = _robustness_value(name, values)
            except (ValueError, KeyError):
                problems.append(f"{key}={','.join(values)}")
    return replace(state, weights=weights, robustness=settings), problems


def encode_query(state: ViewState) -> dict[str, str | list[str]]:
    """Query parameters for ``state``, leaving out defaults to keep links short."""
    out: dict[str, str | list[str]] = {}
    if state.lang != "de":
        out["lang"] = state.lang
    if state.edition is not None:
        out["edition"] = str(state.edition)
    if state.method:
        out["method"] = state.method
    for name, value in sorted(state.params.items()):
        out[PARAM_PREFIX + name] = _format_value(value)
    for name, value in sorted(state.weights.items()):
        out[WEIGHT_PREFIX + name] = _format_value(float(value))  # "10", not "10.0"
    for name, value in sorted(state.robustness.items()):
        if name not in ROBUSTNESS_DEFAULTS or _same(value, ROBUSTNESS_DEFAULTS[name]):
            continue
        if name == "bounds":
            out[ROBUSTNESS_PREFIX + name] = ",".join(_format_value(float(v)) for v in value)
        elif name in ROBUSTNESS_LISTS:
            out[ROBUSTNESS_PREFIX + name] = [str(v) for v in value]
        else:
            out[ROBUSTNESS_PREFIX + name] = _format_value(value)
    for key, values in (("state", state.states), ("size", state.sizes), ("city", state.cities),
                        ("compare", state.compare)):
        if values:
            out[key] = list(values)
    for key, value, default in (
        ("peer", state.peer, ""),
        ("tab", state.tab, "ranking"),
        ("color", state.color, "total"),
        ("view", state.ranking_view, "chart"),
        ("profile", state.profile, ""),
        ("profile_peer", state.profile_peer, ""),
        ("service", state.service, ""),
        ("find", state.find, ""),
        ("x", state.cmp_x, ""),
        ("y", state.cmp_y, ""),
    ):
        if value and value != default:
            out[key] = value
    return out


def _same(value: Any, default: Any) -> bool:
    if isinstance(default, tuple):
        return tuple(value) == default
    return value == default


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value_text(value)  # full precision: a link restores exactly what was set


def non_default_params(params: Mapping[str, Any], parameters: Iterable[Parameter]) -> dict:
    """The entries of ``params`` that differ from the method's defaults."""
    defaults = {p.name: p.default for p in parameters}
    return {k: v for k, v in params.items() if k in defaults and v != defaults[k]}


def params_key(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """A hashable, order-independent form of a parameter mapping, for cache keys."""
    return tuple(sorted(params.items()))
