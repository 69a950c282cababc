"""The scoring engine: run a method on one edition, rank, count missing values, mark
provenance; and compare several methods on the same edition."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from cityindex.dataset import TOTAL_SCOPE, VALUE_PROVENANCE, Catalogue, Dataset, EditionData
from cityindex.hierarchy import WeightError, reweight
from cityindex.messages import joined, message_of, msg
from cityindex.method import REQUIREMENTS, MethodOutput, value_text
from cityindex.plugins import MethodRegistry, get_registry
from cityindex.scoring import rank_descending

PROVENANCE_LABELS = {
    "published": "rank and score as published",
    "published rank": "rank as published; the score shown is computed (no published score)",
    "published score": "score as published; the rank is computed (no published rank)",
    "modeled": "computed from modeled values",
    "imputed": "computed from values that include imputed ones",
    "user": "computed from user-supplied values",
    "computed": "computed from published values",
    "unranked": "no score: the method cannot score this city (see the reason)",
}
"""Every marker the ``provenance`` column of a result can hold, with its legend text."""


NO_SCORE = msg("the method gives no score for this city (NaN total)")
"""Why a city the method gives a NaN total is unranked."""

PUBLISHED_TOLERANCE = 0.05
"""How far a computed score may lie from a published one (printed with one decimal) and still
count as reproducing it."""


DEFAULT_TIMEOUT = 120.0
"""Seconds a method may take on one edition before :class:`MethodTimeoutError`
(``$CITYINDEX_METHOD_TIMEOUT`` overrides it; 0 switches the limit off)."""


class MethodDataError(ValueError):
    """The dataset lacks something a method declared it needs (see ``Method.requires``)."""


class MethodError(RuntimeError):
    """A method failed on an edition. Subclasses say how: :class:`MethodRaisedError`,
    :class:`MethodOutputError`, :class:`MethodTimeoutError`.

    ``method``, ``plugin`` and ``distribution`` name the method and where it came from;
    ``edition`` the edition it failed on.
    """

    def __init__(self, message: str, *, method: str = "", plugin: str = "",
                 distribution: str = "", edition: int | None = None):
        super().__init__(message)
        self.method, self.plugin, self.distribution, self.edition = (
            method, plugin, distribution, edition)

    def __reduce__(self):  # picklable with its keywords (results are cached by the dashboard)
        return (_rebuild_method_error, (type(self), message_of(self), self.method, self.plugin,
                                        self.distribution, self.edition))


def _rebuild_method_error(cls, message, method, plugin, distribution, edition):
    return cls(message, method=method, plugin=plugin, distribution=distribution,
               edition=edition)


class MethodRaisedError(MethodError):
    """The method raised an exception while scoring (the original is ``__cause__``)."""


class MethodOutputError(MethodError):
    """The method returned output that cannot be ranked: the wrong type or shape, values that
    are not real numbers, infinite totals or weights, or no total for any city."""


class MethodTimeoutError(MethodError):
    """The method took longer than its time limit."""


@dataclass(frozen=True)
class ScoreResult:
    """The result of scoring one edition with one method.

    ``table`` is indexed by ``city_id`` and sorted by rank (unranked cities last, by name),
    with the columns ``rank`` (nullable ``Int64``: NA for an *unranked* city, one the method
    could not score), ``name``, ``state``, ``total`` (NaN when unranked); for each area (when
    the method has area scores) three columns: the score under the area id, ``<area>_rank``
    (``Int64``, ties share the better rank) and ``<area>_provenance`` (the area score's own
    marker: ``published`` only where Bitkom published that area's figures and they agree;
    None where the area has no score); ``missing`` (values missing among the indicators the
    method uses), ``unranked_reason`` (empty for ranked cities), ``provenance`` (see
    :data:`PROVENANCE_LABELS`), ``published_rank``, ``published_total`` and
    ``published_rank_change`` (the published figures where they exist), ``published_match``
    (for a method that reproduces the published index: whether the computed rank and score
    agree with the published ones; a row is marked published only where they do),
    ``population``, ``lat`` and ``lon``. ``categories`` holds the category scores (city ×
    category) and ``category_provenance`` their markers, by the same rule.

    Plain, picklable values throughout, so that results can be cached (``st.cache_data``).
    """

    method: str
    title: str
    edition: int
    params: dict[str, Any]
    table: pd.DataFrame
    weights: pd.Series
    categories: pd.DataFrame | None
    area_names: dict[str, str]
    missing_policy: str
    category_provenance: pd.DataFrame | None = None
    weight_overrides: dict[str, float] = field(default_factory=dict)
    """Area, category or indicator weights the user set (``score(..., weights=...)``)."""
    claims_published: bool = False
    """True when the method implements the published index (``reproduces_published``) and ran
    with its defaults: only then are its figures compared with Bitkom's."""
    notes: tuple[str, ...] = ()
    """What a reader of the result should know about how it was made, as messages of the core
    (:func:`cityindex.i18n.message_text` gives them in German): a parameter set away from its
    default that cannot change this edition's result (:func:`_idle_parameters`)."""

    @property
    def area_ids(self) -> list[str]:
        return [a for a in self.area_names if a in self.table.columns]

    @property
    def unranked(self) -> pd.DataFrame:
        """The cities the method could not score: ``name`` and ``unranked_reason``."""
        return self.table.loc[self.table["rank"].isna(), ["name", "unranked_reason"]]

    def ranking(self) -> pd.DataFrame:
        """The table with readable column names, for display and export."""
        cols = ["rank", "name", "state", "total", *self.area_ids, "missing", "provenance"]
        out = self.table[cols].reset_index()
        return out.rename(columns=dict(self.area_names))


def _check_requirements(method, data: EditionData) -> None:
    needs = set(getattr(method, "requires", ()))
    if "service_flag" in needs and not data.service.any():
        raise MethodDataError(msg(
            "method {method!r} needs {need}, but edition {edition} has none (set service=1 in "
            "indicators.csv)", method=method.name, need=REQUIREMENTS["service_flag"],
            edition=data.edition))
    if "indicator_values" in needs and np.isnan(data.values).all():
        raise MethodDataError(msg(
            "method {method!r} needs {need}, but edition {edition} has no values",
            method=method.name, need=REQUIREMENTS["indicator_values"], edition=data.edition))


def read_only(data: EditionData) -> EditionData:
    """``data`` as a method may see it: every array read-only (writing raises ``ValueError``)
    and a private copy of the catalogue tables, so that no method can change what another
    method, or another dashboard session, sees."""
    for f in fields(data):
        value = getattr(data, f.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False  # the cached arrays themselves: no view can undo it
    cat = data.catalogue
    catalogue = Catalogue(cat.edition, cat.areas.copy(), cat.categories.copy(),
                          cat.indicators.copy())
    return replace(data, catalogue=catalogue)


def _timeout() -> float:
    raw = os.environ.get("CITYINDEX_METHOD_TIMEOUT", "").strip()
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


def run_method(
    method,
    data: EditionData,
    params: Mapping[str, Any],
    *,
    origin: tuple[str, str] = ("", ""),
    timeout: float | None = None,
) -> MethodOutput:
    """Run ``method.score`` on one edition at its own boundary and check what it returns.

    The method sees read-only data (:func:`read_only`) and a read-only ``params`` mapping. It
    runs in a worker thread for at most ``timeout`` seconds (default :data:`DEFAULT_TIMEOUT`;
    0 or a negative value: no limit). Its output is checked as described in
    :class:`~cityindex.method.MethodOutput` and returned as fresh float arrays.

    ``origin`` is ``(plugin, distribution)`` for the messages. Raises
    :class:`MethodRaisedError`, :class:`MethodOutputError` or :class:`MethodTimeoutError`,
    each naming the method, its plugin and package, and the edition.
    """
    plugin, dist = origin
    ctx = {"method": method.name, "plugin": plugin, "distribution": dist,
           "edition": data.edition}
    where = msg("method {method!r}", method=method.name)
    if plugin:
        where = msg("method {method!r} (plugin {plugin!r}, package {distribution})",
                    method=method.name, plugin=plugin, distribution=dist)
    frozen = read_only(data)
    args = MappingProxyType(dict(params))
    limit = _timeout() if timeout is None else timeout
    if limit and limit > 0:
        outcome: dict[str, Any] = {}

        def work():
            try:
                outcome["out"] = method.score(frozen, args)
            except BaseException as exc:  # noqa: BLE001 - reported in the caller's thread
                outcome["exc"] = exc

        # A daemon thread: a method that never returns cannot keep the process alive.
        worker = threading.Thread(target=work, name=f"cityindex-{method.name}", daemon=True)
        worker.start()
        worker.join(limit)
        if worker.is_alive():
            raise MethodTimeoutError(msg(
                "{where} took longer than {limit:g} s on edition {edition} and was abandoned "
                "(set CITYINDEX_METHOD_TIMEOUT to allow more)", where=where, limit=limit,
                edition=data.edition), **ctx)
        if "exc" in outcome:
            exc = outcome["exc"]
            if isinstance(exc, KeyboardInterrupt):
                raise exc
            raise MethodRaisedError(_failed(where, data.edition, exc), **ctx) from exc
        out = outcome.get("out")
    else:
        try:
            out = method.score(frozen, args)
        except Exception as exc:
            raise MethodRaisedError(_failed(where, data.edition, exc), **ctx) from exc
    return check_output(method, out, data, where=where, ctx=ctx)


def _failed(where, edition, exc: BaseException):
    """What a method that raised is told: the exception's own words, kept as a message
    where it was raised with one (a plugin's German text reaches the German dashboard)."""
    return msg("{where} failed on edition {edition}: {kind}: {error}", where=where,
               edition=edition, kind=type(exc).__name__, error=message_of(exc))


def _real_array(value, what: str, shape: tuple, problems: list[str]) -> np.ndarray | None:
    try:
        arr = np.asarray(value)
    except Exception as exc:  # noqa: BLE001 - e.g. a ragged list
        problems.append(msg("{what} cannot be read as an array ({kind}: {error})", what=what,
                            kind=type(exc).__name__, error=str(exc)))
        return None
    if arr.dtype.kind not in "iuf":
        problems.append(msg("{what} holds {dtype} values, expected real numbers (float)",
                            what=what, dtype=str(arr.dtype)))
        return None
    if arr.shape != shape:
        problems.append(msg("{what} has shape {shape}, expected {expected}", what=what,
                            shape=str(arr.shape), expected=str(shape)))
        return None
    return np.array(arr, dtype=float)  # a copy: later changes by the method do not leak


def check_output(method, out, data: EditionData, *, where: str | None = None,
                 ctx: Mapping[str, Any] | None = None) -> MethodOutput:
    """Check a method's output against ``data`` (see :class:`~cityindex.method.MethodOutput`)
    and return it as fresh float arrays; raises :class:`MethodOutputError` listing every
    problem. The plugin test helper (:mod:`cityindex.testing`) applies the same checks."""
    where = where or msg("method {method!r}", method=method.name)
    ctx = dict(ctx or {"method": method.name, "edition": data.edition})
    if not all(hasattr(out, a) for a in ("total", "weights")):
        raise MethodOutputError(msg("{where} returned {type}, expected a cityindex.MethodOutput",
                                    where=where, type=type(out).__name__), **ctx)
    n, m = data.shape
    problems: list[str] = []
    total = _real_array(out.total, "total", (n,), problems)
    weights = _real_array(out.weights, "weights", (m,), problems)
    areas = categories = None
    if getattr(out, "areas", None) is not None:
        areas = _real_array(out.areas, "areas", (n, len(data.area_ids)), problems)
    if getattr(out, "categories", None) is not None:
        categories = _real_array(out.categories, "categories", (n, len(data.category_ids)),
                                 problems)
    if total is not None:
        if np.isinf(total).any():
            bad = ", ".join(map(str, data.city_ids[np.isinf(total)][:5]))
            count = int(np.isinf(total).sum())
            problems.append(msg("total is infinite for 1 city ({cities})", cities=bad)
                            if count == 1 else
                            msg("total is infinite for {count} cities ({cities})", count=count,
                                cities=bad))
        elif np.isnan(total).all():
            problems.append(msg("total is NaN for every city: no city has a score"))
    if weights is not None:
        if not np.isfinite(weights).all():
            problems.append(msg("weights are not all finite"))
        elif (weights < 0).any():
            problems.append(msg("weights include negative values"))
        elif m and weights.sum() <= 0:
            problems.append(msg("weights are all 0: the total depends on no indicator"))
    for name, arr in (("areas", areas), ("categories", categories)):
        if arr is not None and np.isinf(arr).any():
            problems.append(msg("{what} include infinite values", what=name))
    if problems:
        raise MethodOutputError(msg(
            "{where} returned output that cannot be ranked on edition {edition}: {problems}",
            where=where, edition=data.edition, problems=joined(problems)), **ctx)
    return MethodOutput(total=total, weights=weights, areas=areas, categories=categories)


def score(
    dataset: Dataset,
    method: str,
    *,
    edition: int | None = None,
    params: Mapping[str, Any] | None = None,
    registry: MethodRegistry | None = None,
    timeout: float | None = None,
    weights: Mapping[str, float] | None = None,
) -> ScoreResult:
    """Score one edition of ``dataset`` with the method called ``method``.

    ``params`` override the method's defaults (strings are converted, as on the command
    line). ``weights`` override area, category or indicator weights of a hierarchical method
    (one that ``requires`` the ``hierarchy``), e.g. ``{"verwaltung": 2}``; see
    :func:`cityindex.hierarchy.reweight`. ``timeout``: seconds the method may take (see
    :func:`run_method`). Raises :class:`~cityindex.plugins.UnknownMethodError`,
    :class:`~cityindex.method.ParameterError`, :class:`~cityindex.hierarchy.WeightError`,
    :class:`MethodDataError`, :class:`~cityindex.dataset.UnknownEditionError` or a
    :class:`MethodError` (raised, bad output, too slow) with a clear message.
    """
    registry = registry if registry is not None else get_registry()
    entry = registry[method]
    impl = entry.method
    resolved = impl.resolve_params(params)
    data = dataset.edition_data(edition)
    _check_requirements(impl, data)
    override: dict[str, float] = {}
    if weights:
        if "hierarchy" not in getattr(impl, "requires", ()):
            raise WeightError(msg(
                "method {method!r} does not use the hierarchy's weights, so they cannot be "
                "changed (methods that do: those that require 'hierarchy', e.g. bitkom)",
                method=method))
        data = reweight(data, weights)  # checks every weight
        override = {str(k): float(v) for k, v in weights.items()}
    out = run_method(impl, data, resolved, origin=(entry.plugin, entry.distribution),
                     timeout=timeout)
    own = impl.defaults()
    changed = {name for name, value in resolved.items() if value != own[name]}
    idle = _idle_parameters(impl, resolved, data) if changed else []
    # Parameters that change nothing here leave the method as it is with its defaults: its
    # figures are still compared with Bitkom's (and marked published where they agree).
    defaults = changed <= set(idle)
    result = _assemble(dataset, data, impl, resolved, out, defaults and not override,
                       _reweighted_parts(data, override) if defaults else None)
    declared = {p.name: p for p in impl.parameters}
    notes = tuple(msg(
        "parameter {label} ({name}) changes nothing in edition {edition}: no category of the "
        "edition is flagged 'projects' (of Bitkom's editions only 2021 has them)",
        label=_parameter_label(declared[name]), name=name, edition=data.edition)
        for name in idle)
    if override or notes:
        result = replace(result, weight_overrides=override, notes=notes)
    return result


def _parameter_label(parameter) -> str:
    """A parameter's label as a message: "'Projects bonus'", in German "„Projektbonus“" (its
    ``label_de``), so that a note names it as the reader's interface does."""
    label = parameter.label or parameter.name
    german = parameter.label_de or label
    return msg("'{text}'", text=label,
               de="„" + german.replace("{", "{{").replace("}", "}}") + "“")


def _idle_parameters(impl, resolved: Mapping[str, Any], data: EditionData) -> list[str]:
    """The parameters set away from their default that change nothing in this edition: for a
    method built on the hierarchy (:meth:`~cityindex.Method.structure`), one whose change only
    moves the projects bonus while no category of the edition is flagged ``projects`` (of
    Bitkom's editions only 2021 has them). Without a note ``-p projects_bonus=0`` on 2025
    gave the same ranks in silence, and read as "the bonus does not matter"."""
    if bool(np.any(data.category_projects)):
        return []
    defaults = impl.defaults()
    base = impl.structure(defaults)
    if base is None:
        return []
    idle = []
    for p in impl.parameters:
        if resolved[p.name] == defaults[p.name]:
            continue
        alone = impl.structure({**defaults, p.name: resolved[p.name]})
        if (alone is not None and alone.projects_bonus != base.projects_bonus
                and replace(alone, projects_bonus=base.projects_bonus) == base):
            idle.append(p.name)
    return idle


def _reweighted_parts(data, override: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Which areas and categories of ``data`` have an overridden weight below them (boolean
    arrays over ``data.area_ids`` and ``data.category_ids``): only their scores can differ from
    the method's own. An area's own weight enters the total, not the area's score, so under
    own area weights every area and category score is still the method's."""
    keys = np.array(list(override), dtype=object)
    indicator_hit = np.isin(np.asarray(data.indicator_ids, dtype=object), keys)
    category_hit = np.isin(np.asarray(data.category_ids, dtype=object), keys)
    n_categories, n_areas = len(data.category_ids), len(data.area_ids)
    categories = np.bincount(data.indicator_category[indicator_hit],
                             minlength=n_categories) > 0
    areas = np.bincount(data.category_area[categories | category_hit], minlength=n_areas) > 0
    return areas, categories


class _Published:
    """The used published figures of one edition, split by scope once, as float arrays aligned
    with the cities of a result (NaN where nothing is published)."""

    def __init__(self, dataset: Dataset, edition: int, index: pd.Index):
        pub = dataset.published
        pub = pub.loc[(pub["edition"] == edition) & (pub["status"] == "used")]
        self._index = index
        self._scopes = {scope: rows.drop_duplicates("city_id").set_index("city_id")
                        for scope, rows in pub.groupby("scope", sort=False)}

    def has(self, scope: str) -> bool:
        return scope in self._scopes

    def get(self, scope: str, column: str) -> np.ndarray:
        rows = self._scopes.get(scope)
        if rows is None:
            return np.full(len(self._index), np.nan)
        values = rows[column].reindex(self._index).astype("Float64")
        return values.to_numpy(dtype=float, na_value=np.nan)


def _derived(provenance: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The weakest provenance among the values a score is computed from, per city: a score
    computed from published values only is ``computed`` (the computation is ours)."""
    worst = provenance.max(axis=1) if provenance.shape[1] else np.full(len(provenance), -1)
    derived = np.where(worst < 0, "computed", labels[np.maximum(worst, 0)])
    return np.where(derived == "published", "computed", derived).astype(object)


def _derived_by_group(provenance: np.ndarray, groups: np.ndarray, n_groups: int,
                      used: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """:func:`_derived` for every group of indicators at once (categories): an object array
    ``(cities, groups)``, by one maximum over the used columns sorted by group."""
    n = provenance.shape[0]
    worst = np.full((n, n_groups), -1, dtype=np.int8)
    cols = np.flatnonzero(used)
    if len(cols):
        cols = cols[np.argsort(groups[cols], kind="stable")]
        present, starts = np.unique(groups[cols], return_index=True)
        worst[:, present] = np.maximum.reduceat(provenance[:, cols], starts, axis=1)
    derived = np.where(worst < 0, "computed", labels[np.maximum(worst, 0)])
    return np.where(derived == "published", "computed", derived).astype(object)


def _markers(derived: np.ndarray, ranks: np.ndarray, scores: np.ndarray, published: _Published,
             scope: str, claims: bool) -> tuple[np.ndarray, np.ndarray]:
    """Provenance markers of one score column (total, an area or a category) and whether it
    matches the published figures. Only a method that ``claims`` to reproduce the published
    index, with its default parameters, may mark a figure published, and only where the
    computed one agrees with it: the rank exactly, the score within
    :data:`PUBLISHED_TOLERANCE` (half a unit of the published last digit)."""
    if not claims or not published.has(scope):
        return derived, np.full(len(derived), np.nan)
    pub_rank, pub_score = published.get(scope, "rank"), published.get(scope, "points")
    has_rank, has_score = ~np.isnan(pub_rank), ~np.isnan(pub_score)
    rank_ok = has_rank & (pub_rank == ranks)
    score_ok = has_score & (np.abs(pub_score - scores) <= PUBLISHED_TOLERANCE)
    agree = ~((has_rank & ~rank_ok) | (has_score & ~score_ok))
    marker = np.select(
        [agree & rank_ok & score_ok, agree & rank_ok & ~has_score, agree & ~has_rank & score_ok],
        ["published", "published rank", "published score"], default=derived)
    match = np.where(has_rank | has_score, agree, np.nan)  # 1.0, 0.0 or NaN
    return marker.astype(object), match


def _int_array(values: np.ndarray) -> pd.arrays.IntegerArray:
    """A float array with NaN for "none" as nullable integers (NA)."""
    return pd.array(values, dtype="Float64").astype("Int64")


def _assemble(dataset, data, impl, params, out: MethodOutput, is_default: bool,
              reweighted: tuple[np.ndarray, np.ndarray] | None = None) -> ScoreResult:
    """The result table of a method's output. ``is_default``: the method's own parameters and
    weights; ``reweighted``: with its own parameters but some weights overridden, the areas and
    categories whose scores the override can change (:func:`_reweighted_parts`)."""
    total = np.asarray(out.total, dtype=float)
    weights = np.asarray(out.weights, dtype=float)
    used = weights > 0
    index = pd.Index(data.city_ids, name="city_id")
    cities = dataset.cities.reindex(index)
    ranks = rank_descending(total)
    unranked = np.isnan(ranks)
    # The columns are collected first and become one frame at the end: a column added to a
    # frame one at a time costs pandas a copy and a type inference each.
    cols: dict[str, Any] = {
        "rank": _int_array(ranks),
        "name": cities["name"].to_numpy(),
        "state": cities["state"].to_numpy(),
        "total": total,
    }
    # Only a method that claims to reproduce the published index, with its defaults, may mark
    # a figure published (and only where it agrees with it: see _markers).
    reproduces = bool(getattr(impl, "reproduces_published", False))
    claims = reproduces and is_default
    # Own weights change the total; an area or category score only where a weight below it
    # was changed: every other one is still the method's and may be marked published.
    if reproduces and reweighted is not None:
        area_claims, category_claims = ~reweighted[0], ~reweighted[1]
    else:
        area_claims = np.full(len(data.area_ids), claims)
        category_claims = np.full(len(data.category_ids), claims)
    labels = np.array(VALUE_PROVENANCE, dtype=object)
    published = _Published(dataset, data.edition, index)
    area_names = dict(
        zip(data.area_ids, data.catalogue.areas["name_de"].astype(str), strict=True)
    )
    if out.areas is not None:
        # Every area score with its own rank and provenance marker, so that a modeled area
        # score is never mistaken for Bitkom's (the total's marker says nothing about it).
        indicator_area = data.category_area[data.indicator_category]
        derived = _derived_by_group(data.provenance, indicator_area, len(data.area_ids), used,
                                    labels)
        areas = np.asarray(out.areas, dtype=float)
        for j, area in enumerate(data.area_ids):
            scores = areas[:, j]
            area_ranks = rank_descending(scores)
            markers, _ = _markers(derived[:, j], area_ranks, scores, published, str(area),
                                  bool(area_claims[j]))
            markers = np.where(np.isnan(scores), None, markers)  # no score, no marker
            cols[area] = scores
            cols[f"{area}_rank"] = _int_array(area_ranks)
            cols[f"{area}_provenance"] = markers
    missing = np.isnan(data.values[:, used]).sum(axis=1)
    cols["missing"] = missing
    n_used = int(used.sum())
    # The reasons are messages (English text that the German dashboard can translate): an
    # object column, which pandas would otherwise turn into plain strings.
    reasons = np.full(len(total), "", dtype=object)
    reasons[unranked] = NO_SCORE
    reasons[unranked & (missing == n_used)] = (
        msg("no value for the indicator this method uses") if n_used == 1 else
        msg("no value for any of the {n} indicators this method uses", n=n_used))
    cols["unranked_reason"] = pd.Series(reasons, index=index, dtype=object)

    marker, match = _markers(
        _derived(data.provenance[:, used], labels), ranks, total, published, TOTAL_SCOPE, claims)
    cols["published_rank"] = _int_array(published.get(TOTAL_SCOPE, "rank"))
    cols["published_total"] = published.get(TOTAL_SCOPE, "points")
    cols["published_rank_change"] = _int_array(published.get(TOTAL_SCOPE, "rank_change"))
    cols["published_match"] = pd.array(
        [pd.NA if np.isnan(m) else bool(m) for m in match], dtype="boolean")
    marker = marker.copy()
    marker[unranked] = "unranked"
    cols["provenance"] = marker
    for col in ("population", "lat", "lon"):
        cols[col] = cities[col].array
    table = pd.DataFrame(cols, index=index)
    # Unranked cities go last, by name.
    order = np.lexsort((cols["name"].astype(str), np.where(unranked, np.inf, ranks)))
    table = table.iloc[order]

    categories = category_provenance = None
    if out.categories is not None:
        columns = pd.Index(data.category_ids, name="category_id")
        cat_scores = np.asarray(out.categories, dtype=float)
        categories = pd.DataFrame(cat_scores, index=index, columns=columns)
        marks = _derived_by_group(data.provenance, data.indicator_category,
                                  len(data.category_ids), used, labels)
        for k, category in enumerate(data.category_ids):
            if category_claims[k] and published.has(str(category)):  # only there can a
                marks[:, k], _ = _markers(                               # marker change
                    marks[:, k].copy(), rank_descending(cat_scores[:, k]), cat_scores[:, k],
                    published, str(category), True)
        marks[np.isnan(cat_scores)] = None
        category_provenance = pd.DataFrame(marks, index=index, columns=columns)
    return ScoreResult(
        method=impl.name,
        title=impl.title,
        edition=data.edition,
        params=dict(params),
        table=table,
        weights=pd.Series(weights, index=pd.Index(data.indicator_ids, name="indicator_id")),
        categories=categories,
        category_provenance=category_provenance,
        area_names=area_names,
        missing_policy=getattr(impl, "missing_policy", ""),
        claims_published=claims,
    )


def rank_changes(current: ScoreResult, previous: ScoreResult | None) -> pd.DataFrame:
    """Rank changes of ``current``'s cities against ``previous`` (the edition before), indexed
    like ``current.table``:

    - ``rank_change``: ``Int64``, previous rank − current rank (positive = better; NA where
      either is unranked or the city was not in the previous edition);
    - ``published_change_check``: for a result that claims the published index
      (:attr:`ScoreResult.claims_published`), whether Bitkom's published rank change agrees
      with the computed one: ``"agrees"``, ``"contradicts"``, or NA where there is nothing to
      compare. A contradicting published change is shown as such, never as confirmed.
    """
    table = current.table
    rank = table["rank"].astype("Int64")
    if previous is None:
        change = pd.Series(pd.array([pd.NA] * len(table), dtype="Int64"), index=table.index)
    else:
        change = (previous.table["rank"].reindex(table.index).astype("Int64") - rank)
    check = pd.Series(pd.array([pd.NA] * len(table), dtype="string"), index=table.index)
    if previous is not None and current.claims_published and previous.claims_published:
        published = table["published_rank_change"].astype("Int64")
        both = (published.notna() & change.notna()).to_numpy(dtype=bool)
        agrees = (published == change).fillna(False).to_numpy(dtype=bool)
        words = np.where(agrees, "agrees", "contradicts")
        check = pd.Series(pd.array(np.where(both, words, None), dtype="string"),
                          index=table.index)
    return pd.DataFrame({"rank_change": change.astype("Int64"),
                         "published_change_check": check})


# --- comparing methods ------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Several methods on one edition: ranks and scores side by side, rank correlations.

    ``ranks`` (nullable ``Int64``) and ``scores`` are indexed by ``city_id`` with one column per
    label. A city unranked under a method (NA) is left out of every correlation and every shift
    that involves that method: ``left_out`` lists those cities with the labels they are
    unranked under, and ``n_pairs`` says how many cities each correlation is computed on.
    ``failures`` holds the methods that could not be scored (only with ``on_error="skip"``).
    """

    edition: int
    results: tuple[ScoreResult, ...]
    labels: tuple[str, ...]
    ranks: pd.DataFrame  # index city_id, one column per label
    scores: pd.DataFrame
    spearman: pd.DataFrame
    kendall: pd.DataFrame
    n_pairs: pd.DataFrame
    left_out: pd.DataFrame  # index city_id: name, unranked_under (comma-separated labels)
    failures: tuple[tuple[str, str], ...] = ()  # (label, message)

    @property
    def names(self) -> pd.Series:
        """City names by city_id."""
        return self.results[0].table["name"]

    def movers(self, base: str | None = None, other: str | None = None) -> pd.DataFrame:
        """Cities sorted by how far their rank moves from ``base`` to ``other`` (the first two
        labels by default): columns ``name``, ``rank_base``, ``rank_other`` and ``shift``
        (positive = better under ``other``), the biggest move first.

        A city unranked under either method is left out (:meth:`left_out_of` lists it), and
        left out of the others' ranks too: they are ranks among the cities both methods rank
        (the methods' own ranks where no city is left out; else ranked anew from the totals,
        as the engine ranks). A city behind one that only ``base`` ranks would otherwise seem
        to gain a place. Raises ``KeyError`` naming the labels for a label that is not in the
        comparison."""
        base, other = self._labels(base, other)
        both = self.ranks[base].notna() & self.ranks[other].notna()
        rank_base, rank_other = self._ranks_among(base, both), self._ranks_among(other, both)
        out = pd.DataFrame(
            {
                "name": self.names.reindex(rank_base.index),
                "rank_base": rank_base,
                "rank_other": rank_other,
                "shift": rank_base - rank_other,
            }
        )
        order = out["shift"].abs().sort_values(ascending=False, kind="stable").index
        return out.loc[order]

    def shifts(self, base: str | None = None, other: str | None = None) -> pd.Series:
        """Places each city gains from ``base`` to ``other`` (``Int64`` by ``city_id`` in the
        order of :attr:`ranks`; NA for a city left out), counted as :meth:`movers` counts
        them: among the cities both methods rank."""
        moved = self.movers(base, other)["shift"]
        return pd.Series(pd.array(moved.reindex(self.ranks.index), dtype="Int64"),
                         index=self.ranks.index, name="shift")

    def _ranks_among(self, label: str, cities: pd.Series) -> pd.Series:
        """``label``'s ranks (int64) of ``cities`` (a mask over :attr:`ranks`) among
        themselves: its own ranks where they are every city it ranks, else competition ranks
        of its totals restricted to them."""
        own = self.ranks[label]
        if bool((own.notna() == cities).all()):
            return own[cities].astype(np.int64)
        anew = rank_descending(self.scores.loc[cities, label].to_numpy(float))
        return pd.Series(anew.astype(np.int64), index=own.index[cities.to_numpy()])

    def _labels(self, base: str | None, other: str | None) -> tuple[str, str]:
        chosen = (base or self.labels[0], other or self.labels[1])
        for label in chosen:
            if label not in self.labels:
                raise KeyError(f"{label!r} is not a method of this comparison; its labels are "
                               f"{', '.join(repr(lab) for lab in self.labels)} (a method with "
                               f"parameters is labelled name(key=value))")
        return chosen

    def left_out_of(self, base: str | None = None, other: str | None = None) -> list[str]:
        """The city ids left out of :meth:`movers` for these two labels."""
        base, other = self._labels(base, other)
        gone = self.ranks[base].isna() | self.ranks[other].isna()
        return list(self.ranks.index[gone])


MethodSpec = str | tuple[str, Mapping[str, Any]]


def method_label(name: str, params: Mapping[str, Any] | None) -> str:
    """The label of a method spec in a :class:`Comparison`: ``name``, or
    ``name(key=value, ...)`` with the parameters that were set."""
    if not params:
        return name
    inner = ", ".join(f"{k}={value_text(v)}" for k, v in params.items())
    return f"{name}({inner})"


def compare(
    dataset: Dataset,
    methods: Sequence[MethodSpec],
    *,
    edition: int | None = None,
    registry: MethodRegistry | None = None,
    on_error: str = "raise",
) -> Comparison:
    """Score the same edition with two or more methods and compare the rankings.

    Each entry of ``methods`` is a method name or a ``(name, params)`` pair. With
    ``on_error="skip"`` a method that fails (:class:`MethodError`, :class:`MethodDataError`)
    is listed in ``Comparison.failures`` and the others are compared; ``"raise"`` (default)
    raises its error. Raises ``ValueError`` when fewer than two methods are left.
    """
    if on_error not in ("raise", "skip"):
        raise ValueError("on_error must be 'raise' or 'skip'")
    if len(methods) < 2:
        raise ValueError("compare needs at least two methods")
    registry = registry if registry is not None else get_registry()
    results, labels, failures = [], [], []
    for spec in methods:
        name, params = (spec, None) if isinstance(spec, str) else (spec[0], spec[1])
        label = method_label(name, params)
        try:
            results.append(score(dataset, name, edition=edition, params=params,
                                 registry=registry))
        except (MethodError, MethodDataError) as exc:
            if on_error == "raise":
                raise
            failures.append((label, message_of(exc)))
            continue
        labels.append(label)
    return compare_results(results, labels, failures=failures)


def compare_results(
    results: Sequence[ScoreResult], labels: Sequence[str] | None = None, *,
    failures: Sequence[tuple[str, str]] = (),
) -> Comparison:
    """A :class:`Comparison` of results already computed (on the same edition)."""
    labels = list(labels) if labels is not None else [r.method for r in results]
    if len(results) < 2:
        raise ValueError("compare needs at least two methods that can be scored"
                         + (f" ({'; '.join(m for _, m in failures)})" if failures else ""))
    if len(set(labels)) != len(labels):
        raise ValueError("compare needs distinct methods (or the same method with other params)")
    if len({r.edition for r in results}) != 1:
        raise ValueError("compare needs results of one edition")
    index = results[0].table.index.sort_values()
    pairs = list(zip(labels, results, strict=True))
    ranks = pd.DataFrame({lab: r.table["rank"].reindex(index) for lab, r in pairs})
    scores = pd.DataFrame({lab: r.table["total"].reindex(index) for lab, r in pairs})
    unranked = ranks.isna()
    gone = unranked.any(axis=1)
    names = results[0].table["name"].reindex(index)
    left_out = pd.DataFrame({
        "name": names[gone],
        "unranked_under": [", ".join(c for c in labels if unranked.at[city, c])
                           for city in index[gone]],
    })
    n_pairs = pd.DataFrame(
        {a: [int((~unranked[a] & ~unranked[b]).sum()) for b in labels] for a in labels},
        index=labels,
    )
    return Comparison(
        edition=results[0].edition,
        results=tuple(results),
        labels=tuple(labels),
        ranks=ranks,
        scores=scores,
        spearman=correlation_matrix(scores, spearman),
        kendall=correlation_matrix(scores, kendall_tau_b),
        n_pairs=n_pairs,
        left_out=left_out,
        failures=tuple(failures),
    )


def correlation_matrix(frame: pd.DataFrame, fn) -> pd.DataFrame:
    cols = list(frame.columns)
    out = pd.DataFrame(np.eye(len(cols)), index=cols, columns=cols)
    for i, a in enumerate(cols):
        for b in cols[i + 1 :]:
            value = fn(frame[a].to_numpy(float), frame[b].to_numpy(float))
            out.loc[a, b] = out.loc[b, a] = value
    return out


def _pairwise_complete(x: np.ndarray, y: np.ndarray):
    keep = ~(np.isnan(x) | np.isnan(y))
    return x[keep], y[keep]


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation (average ranks for ties), on cities present in both."""
    x, y = _pairwise_complete(np.asarray(x, float), np.asarray(y, float))
    if len(x) < 2:
        return float("nan")
    rx = pd.Series(x).rank(method="average").to_numpy()
    ry = pd.Series(y).rank(method="average").to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def kendall_tau_b(x: np.ndarray, y: np.ndarray, block: int = 2048) -> float:
    """Kendall's tau-b (tie-corrected), computed in blocks of rows to bound memory."""
    x, y = _pairwise_complete(np.asarray(x, float), np.asarray(y, float))
    n = len(x)
    if n < 2:
        return float("nan")
    concordant_minus_discordant = 0.0
    tied_x = tied_y = 0.0
    for start in range(0, n, block):
        stop = min(start + block, n)
        dx = np.sign(x[start:stop, None] - x[None, :])
        dy = np.sign(y[start:stop, None] - y[None, :])
        concordant_minus_discordant += float((dx * dy).sum())
        tied_x += float((dx == 0).sum())
        tied_y += float((dy == 0).sum())
    # Every unordered pair was counted twice, and every city was compared with itself.
    pairs = n * (n - 1)
    tied_x -= n
    tied_y -= n
    denominator = np.sqrt((pairs - tied_x) * (pairs - tied_y))
    if denominator == 0:
        return float("nan")
    return float(concordant_minus_discordant / denominator)
