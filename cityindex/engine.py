"""The scoring engine: run a method on one edition, rank, count missing values, mark
provenance; and compare several methods on the same edition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from cityindex.dataset import TOTAL_SCOPE, VALUE_PROVENANCE, Dataset, EditionData
from cityindex.method import REQUIREMENTS, MethodOutput
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
}
"""Every marker the ``provenance`` column of a result can hold, with its legend text."""


PUBLISHED_TOLERANCE = 0.05
"""How far a computed score may lie from a published one (printed with one decimal) and still
count as reproducing it."""


class MethodDataError(ValueError):
    """The dataset lacks something a method declared it needs, or a method returned output
    that does not fit the data."""


class MethodError(RuntimeError):
    """A method raised an exception while scoring."""


@dataclass(frozen=True)
class ScoreResult:
    """The result of scoring one edition with one method.

    ``table`` is indexed by ``city_id`` and sorted by rank, with the columns ``rank``, ``name``,
    ``state``, ``total``, one column per area id (when the method has area scores),
    ``missing`` (values missing among the indicators the method uses), ``provenance`` (see
    :data:`PROVENANCE_LABELS`), ``published_rank``, ``published_total`` and
    ``published_rank_change`` (the published figures where they exist), ``published_match``
    (for a method that reproduces the published index: whether the computed rank and score
    agree with the published ones; a row is marked published only where they do),
    ``population``, ``lat`` and ``lon``.

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

    @property
    def area_ids(self) -> list[str]:
        return [a for a in self.area_names if a in self.table.columns]

    def ranking(self) -> pd.DataFrame:
        """The table with readable column names, for display and export."""
        cols = ["rank", "name", "state", "total", *self.area_ids, "missing", "provenance"]
        out = self.table[cols].reset_index()
        return out.rename(columns=dict(self.area_names))


def _check_requirements(method, data: EditionData) -> None:
    needs = set(getattr(method, "requires", ()))
    unknown = needs - set(REQUIREMENTS)
    if unknown:
        raise MethodDataError(
            f"method {method.name!r} declares unknown requirements: {', '.join(sorted(unknown))}"
        )
    if "service_flag" in needs and not data.service.any():
        raise MethodDataError(
            f"method {method.name!r} needs {REQUIREMENTS['service_flag']}, "
            f"but edition {data.edition} has none (set service=1 in indicators.csv)"
        )
    if "indicator_values" in needs and np.isnan(data.values).all():
        raise MethodDataError(
            f"method {method.name!r} needs {REQUIREMENTS['indicator_values']}, "
            f"but edition {data.edition} has no values"
        )


def _check_output(method, out: MethodOutput, data: EditionData) -> None:
    n, m = data.shape
    problems = []
    if np.shape(out.total) != (n,):
        problems.append(f"total has shape {np.shape(out.total)}, expected ({n},)")
    if np.shape(out.weights) != (m,):
        problems.append(f"weights has shape {np.shape(out.weights)}, expected ({m},)")
    if out.areas is not None and np.shape(out.areas) != (n, len(data.area_ids)):
        problems.append(f"areas has shape {np.shape(out.areas)}")
    if out.categories is not None and np.shape(out.categories) != (n, len(data.category_ids)):
        problems.append(f"categories has shape {np.shape(out.categories)}")
    if problems:
        raise MethodDataError(f"method {method.name!r} returned bad output: {'; '.join(problems)}")


def score(
    dataset: Dataset,
    method: str,
    *,
    edition: int | None = None,
    params: Mapping[str, Any] | None = None,
    registry: MethodRegistry | None = None,
) -> ScoreResult:
    """Score one edition of ``dataset`` with the method called ``method``.

    ``params`` override the method's defaults (strings are converted, as on the command
    line). Raises :class:`~cityindex.plugins.UnknownMethodError`,
    :class:`~cityindex.method.ParameterError`, :class:`MethodDataError` or
    :class:`~cityindex.dataset.UnknownEditionError` with a clear message.
    """
    registry = registry if registry is not None else get_registry()
    impl = registry.method(method)
    resolved = impl.resolve_params(params)
    data = dataset.edition_data(edition)
    _check_requirements(impl, data)
    try:
        out = impl.score(data, MappingProxyType(dict(resolved)))
    except Exception as exc:
        origin = registry[method]
        raise MethodError(
            f"method {method!r} (plugin {origin.plugin!r}, package {origin.distribution}) failed "
            f"on edition {data.edition}: {type(exc).__name__}: {exc}"
        ) from exc
    _check_output(impl, out, data)
    is_default = resolved == impl.defaults()
    return _assemble(dataset, data, impl, resolved, out, is_default)


def _assemble(dataset, data, impl, params, out: MethodOutput, is_default: bool) -> ScoreResult:
    total = np.asarray(out.total, dtype=float)
    weights = np.asarray(out.weights, dtype=float)
    used = weights > 0
    table = pd.DataFrame(index=pd.Index(data.city_ids, name="city_id"))
    cities = dataset.cities.reindex(table.index)
    table["rank"] = rank_descending(total)
    table["name"] = cities["name"]
    table["state"] = cities["state"]
    table["total"] = total
    area_names = dict(
        zip(data.area_ids, data.catalogue.areas["name_de"].astype(str), strict=True)
    )
    if out.areas is not None:
        for j, area in enumerate(data.area_ids):
            table[area] = np.asarray(out.areas, dtype=float)[:, j]
    table["missing"] = np.isnan(data.values[:, used]).sum(axis=1)

    # The weakest provenance among the values a city's score is computed from.
    prov = data.provenance[:, used]
    worst = prov.max(axis=1) if prov.shape[1] else np.full(len(table), -1)
    derived = np.where(worst < 0, "computed", np.array(VALUE_PROVENANCE, dtype=object)[worst])
    derived = np.where(derived == "published", "computed", derived)
    published = dataset.published_results(data.edition, TOTAL_SCOPE)
    published = published[~published.index.duplicated()]
    pub_rank = published["rank"].reindex(table.index)
    pub_total = published["points"].reindex(table.index)
    table["published_rank"] = pub_rank.astype("Int64")
    table["published_total"] = pub_total.astype(float)
    table["published_rank_change"] = published["rank_change"].reindex(table.index).astype("Int64")
    marker = pd.Series(derived, index=table.index, dtype=object)
    if getattr(impl, "reproduces_published", False) and is_default:
        # A figure is marked published only where the computed one agrees with it: the rank
        # exactly, the score within half a unit of the published last digit (0.05).
        rank_ok = pub_rank.notna() & (pub_rank == table["rank"])
        total_ok = pub_total.notna() & ((pub_total - table["total"]).abs() <= PUBLISHED_TOLERANCE)
        rank_bad = pub_rank.notna() & ~rank_ok
        total_bad = pub_total.notna() & ~total_ok
        agree = ~(rank_bad | total_bad)
        marker[agree & rank_ok & total_ok] = "published"
        marker[agree & rank_ok & pub_total.isna()] = "published rank"
        marker[agree & pub_rank.isna() & total_ok] = "published score"
        table["published_match"] = pd.array(
            np.where(pub_rank.notna() | pub_total.notna(), agree, pd.NA), dtype="boolean"
        )
    else:
        table["published_match"] = pd.array([pd.NA] * len(table), dtype="boolean")
    table["provenance"] = marker
    for col in ("population", "lat", "lon"):
        table[col] = cities[col]
    # Cities without a score (rank 0) go last.
    order = np.lexsort((table["name"].astype(str), np.where(table["rank"] == 0, 1 << 30,
                                                            table["rank"])))
    table = table.iloc[order]

    categories = None
    if out.categories is not None:
        categories = pd.DataFrame(
            np.asarray(out.categories, dtype=float),
            index=pd.Index(data.city_ids, name="city_id"),
            columns=pd.Index(data.category_ids, name="category_id"),
        )
    return ScoreResult(
        method=impl.name,
        title=impl.title,
        edition=data.edition,
        params=dict(params),
        table=table,
        weights=pd.Series(weights, index=pd.Index(data.indicator_ids, name="indicator_id")),
        categories=categories,
        area_names=area_names,
        missing_policy=getattr(impl, "missing_policy", ""),
    )


# --- comparing methods ------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Several methods on one edition: ranks and scores side by side, rank correlations."""

    edition: int
    results: tuple[ScoreResult, ...]
    labels: tuple[str, ...]
    ranks: pd.DataFrame  # index city_id, one column per label
    scores: pd.DataFrame
    spearman: pd.DataFrame
    kendall: pd.DataFrame

    @property
    def names(self) -> pd.Series:
        """City names by city_id."""
        return self.results[0].table["name"]

    def movers(self, base: str | None = None, other: str | None = None) -> pd.DataFrame:
        """Cities sorted by how far their rank moves from ``base`` to ``other`` (the first two
        labels by default): columns ``name``, ``rank_base``, ``rank_other`` and ``shift``
        (positive = better under ``other``), the biggest move first."""
        base = base or self.labels[0]
        other = other or self.labels[1]
        out = pd.DataFrame(
            {
                "name": self.names.reindex(self.ranks.index),
                "rank_base": self.ranks[base],
                "rank_other": self.ranks[other],
                "shift": self.ranks[base] - self.ranks[other],
            }
        )
        order = out["shift"].abs().sort_values(ascending=False, kind="stable").index
        return out.loc[order]


MethodSpec = str | tuple[str, Mapping[str, Any]]


def _label(name: str, params: Mapping[str, Any] | None) -> str:
    if not params:
        return name
    inner = ", ".join(f"{k}={v}" for k, v in params.items())
    return f"{name}({inner})"


def compare(
    dataset: Dataset,
    methods: Sequence[MethodSpec],
    *,
    edition: int | None = None,
    registry: MethodRegistry | None = None,
) -> Comparison:
    """Score the same edition with two or more methods and compare the rankings.

    Each entry of ``methods`` is a method name or a ``(name, params)`` pair.
    """
    if len(methods) < 2:
        raise ValueError("compare needs at least two methods")
    registry = registry if registry is not None else get_registry()
    results, labels = [], []
    for spec in methods:
        name, params = (spec, None) if isinstance(spec, str) else (spec[0], spec[1])
        results.append(score(dataset, name, edition=edition, params=params, registry=registry))
        labels.append(_label(name, params))
    if len(set(labels)) != len(labels):
        raise ValueError("compare needs distinct methods (or the same method with other params)")
    index = results[0].table.index.sort_values()
    pairs = list(zip(labels, results, strict=True))
    ranks = pd.DataFrame({lab: r.table["rank"].reindex(index) for lab, r in pairs})
    scores = pd.DataFrame({lab: r.table["total"].reindex(index) for lab, r in pairs})
    return Comparison(
        edition=results[0].edition,
        results=tuple(results),
        labels=tuple(labels),
        ranks=ranks,
        scores=scores,
        spearman=correlation_matrix(scores, spearman),
        kendall=correlation_matrix(scores, kendall_tau_b),
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
