"""How much a rank owes to the method: uncertainty, sensitivity and best/worst achievable rank.

Three analyses, one entry each, shared by the command line, the Python API and the dashboard:

- :func:`uncertainty` — Monte Carlo uncertainty analysis (OECD/JRC 2008, Handbook on
  Constructing Composite Indicators, step 7; Saisana, Saltelli & Tarantola 2005): area (and
  optionally category) weights drawn around the method's weights or uniformly over the whole
  simplex, optionally the normalisation and the aggregation too; per city the nominal rank,
  the median rank, the 5–95 % rank interval, the probability of rank 1 and of the top 10, and
  the rank acceptability matrix of SMAA (Lahdelma & Salminen 2001) with each city's central
  weights.
- :func:`sensitivity` — first- and total-order Sobol indices (Saltelli et al. 2010, with
  SALib) of each uncertain input on the mean absolute rank shift against the nominal ranking.
- :func:`rank_bounds` — the best and the worst rank every city can reach over all area
  weightings within bounds, exactly, by mixed-integer linear programming (``scipy.optimize
  .milp``), with the weights that attain them.

They follow SALib's split: describe what is uncertain once (:class:`UncertaintySpec`), sample
it once (a seeded ``numpy.random.default_rng``), evaluate every draw as arrays (a few matrix
products and one sort, no call of :func:`cityindex.score` per draw), analyse the outputs.

Which methods: those whose :meth:`~cityindex.Method.structure` describes a weighted
aggregation of the hierarchy (:class:`~cityindex.method.HierarchyStructure`; the built-ins
``bitkom`` and ``geometric``). The evaluation re-implements :mod:`cityindex.hierarchy` for many
weightings at once — scaling, missing values (``skip`` renormalises per city), the projects
bonus with its cap at 100, arithmetic or geometric aggregation with its floor — and with zero
noise gives exactly the ranks of :func:`cityindex.score`.

Areas *in play* are those with a nominal weight above 0 and a score for some city; an area
weighted 0 (e.g. by own weights) stays at 0 in every draw. Ranks are competition ranks among
the cities the method ranks nominally, ties sharing the better rank (as
:func:`cityindex.scoring.rank_descending`); a city the method cannot score (NaN total) is
left out and listed. A draw in which some ranked city gets no total (e.g. the geometric mean
of an area score ≤ 0 without a floor) cannot be evaluated: it is counted and reported, never
silently dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from cityindex import __version__
from cityindex._solver_output import solver_debug_filtered
from cityindex.dataset import Dataset, EditionData
from cityindex.export import (
    Export,
    Table,
    data_source,
    german_card,
    jsonable,
    provenance_counts,
)
from cityindex.hierarchy import category_scores, indicator_weights, reweight
from cityindex.messages import joined, msg
from cityindex.method import AGGREGATIONS, HierarchyStructure
from cityindex.plugins import MethodRegistry, get_registry
from cityindex.scoring import rank_descending, scale

MAX_DRAWS = 1_000_000
"""The most draws one uncertainty analysis takes: a million draws of 83 cities hold about
0.7 GB of ranks and totals; the estimates settle long before (10,000 is plenty)."""

NORMALISATIONS = ("minmax", "zscore", "rank", "share_of_best")
"""Indicator normalisations an uncertainty analysis can vary (see :func:`normalise`)."""

WEIGHT_SCHEMES = ("dirichlet", "noise", "simplex")
"""How :func:`uncertainty` draws weights (see its docstring)."""

LEVELS = ("areas", "areas+categories")
"""Which weights vary: the area weights, or the category weights within each area too."""

RANK_DECIMALS = 9
"""Totals are compared after rounding to this many places, as by ``rank_descending``."""

STRICT_LEAD = 1e-6
"""In :func:`rank_bounds`, a city counts as able to get ahead of another only where it can lead
by at least this much (points, or log-points for a geometric mean): well above the MILP
solver's feasibility tolerance, far below any published decimal."""

NEGLIGIBLE = 0.01
"""A Sobol index whose interval reaches no further than this is negligible: no warning is
given for its interval being wider than the estimate."""

MAX_PROPOSALS = 200
"""Rejection sampling gives up after this many proposals per requested draw."""


class RobustnessError(ValueError):
    """A robustness analysis that cannot be run as asked: a method without a hierarchical
    structure, bounds no weighting satisfies, a solver failure (naming the city and the
    bounds), or settings out of range."""


# --- what is uncertain ------------------------------------------------------------------------


@dataclass(frozen=True)
class UncertaintySpec:
    """What is uncertain in an analysis, described once (SALib's *problem*).

    - ``method``, ``params`` (resolved), ``edition``, ``structure`` (the method's
      :class:`~cityindex.method.HierarchyStructure`), ``weight_overrides`` (own weights the
      nominal weights start from);
    - ``weights``: ``"dirichlet"`` (Dirichlet around the nominal weights, total concentration
      ``concentration``), ``"noise"`` (each nominal weight times ``1 ± noise`` uniformly, then
      normalised) or ``"simplex"`` (uniform over all weightings within ``bounds``);
    - ``bounds``: ``(lo, hi)``, every area weight (share of 1) must lie within; draws outside
      are rejected and the acceptance reported;
    - ``level``: ``"areas"`` or ``"areas+categories"`` (category weights within each area drawn
      by the same scheme; bounds apply to area weights only);
    - ``normalisations``, ``aggregations``: the alternatives drawn with equal probability (the
      method's own when empty);
    - ``areas``: the area ids in play, in the order of the weight columns.
    """

    method: str
    params: Mapping[str, Any]
    edition: int
    structure: HierarchyStructure
    weights: str = "dirichlet"
    concentration: float = 100.0
    noise: float = 0.25
    bounds: tuple[float, float] = (0.0, 1.0)
    level: str = "areas"
    normalisations: tuple[str, ...] = ()
    aggregations: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    weight_overrides: Mapping[str, float] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        """The spec as a JSON-ready dict (for the methodology record)."""
        out = {
            "weights": self.weights, "level": self.level,
            "normalisations": ", ".join(self.normalisations),
            "aggregations": ", ".join(self.aggregations),
            "bounds": f"{self.bounds[0]:g}–{self.bounds[1]:g}",
            "areas": ", ".join(self.areas),
            "structure": {k: v for k, v in asdict(self.structure).items()},
        }
        if self.weights == "dirichlet":
            out["concentration"] = float(self.concentration)
        if self.weights == "noise":
            out["noise"] = float(self.noise)
        return out


def normalise(values: np.ndarray, direction: np.ndarray, how: str) -> np.ndarray:
    """Normalise every indicator (column) of ``values`` ``(n, m)`` across the cities.

    - ``minmax``, ``share_of_best``: :func:`cityindex.scoring.scale` (0–100);
    - ``zscore``: ``direction × (v − mean) / sd`` (sample sd; mean 0, sd 1 — COINr's
      ``n_zscore``); 0 for a column without variation;
    - ``rank``: the percentile rank ``100 × (r − 1) / (n_present − 1)`` with ``r`` the
      ascending rank in the better direction (ties get the average rank): the worst city 0,
      the best 100 (100 for all where only one city has a value).

    NaN stays NaN. Raises :class:`RobustnessError` for an unknown ``how``. Source: OECD/JRC
    (2008), Handbook on Constructing Composite Indicators, section 5.
    """
    if how in ("minmax", "share_of_best"):
        return scale(values, direction, how)
    values = np.asarray(values, dtype=float)
    sign = np.where(np.asarray(direction) >= 0, 1.0, -1.0)
    if how == "zscore":
        present = ~np.isnan(values)
        count = present.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(present, values, 0.0).sum(axis=0) / count
            dev = np.where(present, values - mean, 0.0)
            sd = np.sqrt((dev**2).sum(axis=0) / (count - 1))
            z = np.where(sd > 0, (values - mean) / sd, np.where(present, 0.0, np.nan))
        return z * sign
    if how == "rank":
        oriented = pd.DataFrame(values * sign)
        r = oriented.rank(axis=0, method="average").to_numpy(float)
        n_present = (~np.isnan(values)).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n_present > 1, 100.0 * (r - 1) / (n_present - 1),
                            np.where(np.isnan(values), np.nan, 100.0))
    raise RobustnessError(msg("unknown normalisation {name!r}; choose from {choices}",
                              name=how, choices=", ".join(NORMALISATIONS)))


# --- the vectorised model ---------------------------------------------------------------------


class _Model:
    """A method's hierarchy prepared for evaluating many weightings at once.

    Category scores are computed once per normalisation (indicator weights do not vary); each
    draw then costs a few matrix products over categories and areas.
    """

    def __init__(self, data: EditionData, structure: HierarchyStructure,
                 normalisations: Sequence[str]):
        self.data = data
        self.structure = structure
        self.n = len(data.city_ids)
        self.k = len(data.category_ids)
        self.a = len(data.area_ids)
        self.cat_area = np.asarray(data.category_area)
        self.projects = np.asarray(data.category_projects, dtype=bool)
        self.cats: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._nominal_areas: dict[str, np.ndarray] = {}
        for how in dict.fromkeys(normalisations):
            scores = normalise(data.values, data.direction, how)
            ind_w = indicator_weights(data, scores)
            cats = category_scores(data, scores, missing=structure.missing,
                                   indicator_weights=ind_w)
            alive = np.bincount(data.indicator_category, weights=ind_w, minlength=self.k) > 0
            if self.n:
                alive &= ~np.isnan(cats).all(axis=0)
            present = ~np.isnan(cats)
            self.cats[how] = (np.where(present, cats, 0.0), present.astype(float), alive)
        self.cat_w0 = np.asarray(data.category_weight, dtype=float)

    def areas(self, how: str, cat_w: np.ndarray | None = None) -> np.ndarray:
        """Area scores: ``(n, a)`` for the nominal category weights (``cat_w`` None, cached),
        else ``(D, n, a)`` for category weights ``cat_w`` of shape ``(D, k)``."""
        if cat_w is None:
            if how not in self._nominal_areas:
                self._nominal_areas[how] = self._areas(how, self.cat_w0[None, :])[0]
            return self._nominal_areas[how]
        return self._areas(how, cat_w)

    def _areas(self, how: str, cat_w: np.ndarray) -> np.ndarray:
        filled, present, alive = self.cats[how]
        s = self.structure
        d = cat_w.shape[0]
        out = np.full((d, self.n, self.a), np.nan)
        w = np.where(alive, cat_w, 0.0)
        for j in range(self.a):
            core = (self.cat_area == j) & ~self.projects
            wc = w[:, core]
            num = wc @ filled[:, core].T
            if s.missing == "skip":
                den = wc @ present[:, core].T
            else:
                den = np.broadcast_to(wc.sum(axis=1)[:, None], num.shape)
            with np.errstate(invalid="ignore", divide="ignore"):
                area = np.where(den > 0, num / den, np.nan)
            proj = (self.cat_area == j) & self.projects
            if s.projects_bonus > 0 and proj.any():
                wp = w[:, proj]
                has = wp.sum(axis=1) > 0
                pn = wp @ filled[:, proj].T
                pd_ = wp @ present[:, proj].T
                with np.errstate(invalid="ignore", divide="ignore"):
                    bonus = np.where(pd_ > 0, pn / pd_, 0.0)
                area = np.where(has[:, None], np.minimum(100.0, area + s.projects_bonus * bonus),
                                area)
            out[:, :, j] = area
        return out

    def totals(self, areas: np.ndarray, area_w: np.ndarray, aggregation: str) -> np.ndarray:
        """Totals ``(D, n)`` from area scores ``(n, a)`` or ``(D, n, a)`` and area weights
        ``(D, a)``, with the structure's missing policy and floor."""
        present = ~np.isnan(areas)
        if aggregation == "arithmetic":
            values = np.where(present, areas, 0.0)
            num = _contract(values, area_w)
            if self.structure.missing == "skip" and not present.all():
                den = _contract(present.astype(float), area_w)
            else:
                den = np.broadcast_to(area_w.sum(axis=1)[:, None], num.shape)
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(den > 0, num / den, np.nan)
        floor = self.structure.floor
        if floor is not None:
            logs = np.log(np.maximum(np.where(present, areas, floor), floor))
            bad = None
        else:
            positive = present & (areas > 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                logs = np.log(np.where(positive, areas, 1.0))
            bad = _contract((present & ~positive).astype(float), area_w) > 0
        num = _contract(np.where(present, logs, 0.0), area_w)
        if present.all():
            den = np.broadcast_to(area_w.sum(axis=1)[:, None], num.shape)
        else:
            den = _contract(present.astype(float), area_w)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            total = np.exp(num / den)
        total = np.where(den > 0, total, np.nan)
        if bad is not None:
            total = np.where(bad, np.nan, total)
        return total


def _contract(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``Σ_a values[..., a] · weights[d, a]`` as ``(D, n)``."""
    if values.ndim == 2:
        return weights @ values.T
    return np.einsum("dna,da->dn", values, weights)


def competition_ranks(totals: np.ndarray, decimals: int = RANK_DECIMALS) -> np.ndarray:
    """Competition ranks of every row of ``totals`` ``(D, n)`` (no NaN), best first, ties
    sharing the better rank: row by row what :func:`cityindex.scoring.rank_descending`
    gives, with one sort for all rows. Returns ``int32`` ``(D, n)``."""
    totals = np.atleast_2d(np.asarray(totals, dtype=float))
    d, n = totals.shape
    if n == 0:
        return np.zeros((d, 0), dtype=np.int32)
    key = -np.round(totals, decimals)
    order = np.argsort(key, axis=1)  # tied cities get the same rank in any order
    ordered = np.take_along_axis(key, order, axis=1)
    new = np.ones((d, n), dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    start = np.where(new, np.arange(n), 0)
    start = np.maximum.accumulate(start, axis=1)
    ranks = np.empty((d, n), dtype=np.int32)
    np.put_along_axis(ranks, order, (start + 1).astype(np.int32), axis=1)
    return ranks


def rank_quantiles(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 5 % quantile, the median and the 95 % quantile of every city's rank from
    ``counts`` ``(cities, ranks)`` (how often each city had each rank). The quantiles are
    observed ranks (the smallest rank ``r`` with ``F(r) ≥ p``, numpy's ``inverted_cdf``); the
    median is the usual one (the mean of the two middle ranks of an even number of draws)."""
    counts = np.asarray(counts)
    total = counts.sum(axis=1, keepdims=True)
    cum = np.cumsum(counts, axis=1)

    def at(position: np.ndarray) -> np.ndarray:  # the rank at a 0-based sorted position
        return (cum <= position).sum(axis=1) + 1.0

    n = total[:, 0]
    q05 = (cum < np.ceil(0.05 * total - 1e-9)).sum(axis=1) + 1
    q95 = (cum < np.ceil(0.95 * total - 1e-9)).sum(axis=1) + 1
    median = (at(((n - 1) // 2)[:, None]) + at((n // 2)[:, None])) / 2
    return q05, median, q95


# --- setting up an analysis -------------------------------------------------------------------


@dataclass
class _Setup:
    entry: Any
    params: dict[str, Any]
    data: EditionData
    structure: HierarchyStructure
    overrides: dict[str, float]
    source: dict[str, Any]


def _setup(dataset: Dataset, method: str, edition, params, weights, registry) -> _Setup:
    registry = registry if registry is not None else get_registry()
    entry = registry[method]
    impl = entry.method
    resolved = impl.resolve_params(params)
    structure_of = getattr(impl, "structure", None)
    structure = structure_of(resolved) if callable(structure_of) else None
    if structure is None:
        able = [name for name in registry if _has_structure(registry[name].method)]
        raise RobustnessError(msg(
            "method {method!r} has no hierarchical structure the robustness analyses can "
            "re-evaluate (it implements no Method.structure); methods that have one: {able}",
            method=method, able=", ".join(able) or msg("none")))
    if not isinstance(structure, HierarchyStructure):
        raise RobustnessError(msg("method {method!r}: structure() returned {type}, expected a "
                                  "HierarchyStructure", method=method,
                                  type=type(structure).__name__))
    data = dataset.edition_data(edition)
    if np.isnan(data.values).all():
        raise RobustnessError(msg("edition {edition} has no values to analyse",
                                  edition=data.edition))
    overrides: dict[str, float] = {}
    if weights:
        data = reweight(data, weights)
        overrides = {str(k): float(v) for k, v in weights.items()}
    source = {**data_source(dataset), "cities": int(len(data.city_ids)),
              "indicators": int(len(data.indicator_ids)),
              "provenance_counts": provenance_counts(data.provenance)}
    return _Setup(entry, resolved, data, structure, overrides, source)


def _has_structure(impl) -> bool:
    try:
        return impl.structure(impl.defaults()) is not None
    except Exception:  # noqa: BLE001 - a plugin's hook failing only means "no"
        return False


def _nominal(model: _Model, setup: _Setup):
    """Nominal area weights (``(a,)``, normalised, 0 for areas out of play), the areas in
    play, the nominal totals and ranks."""
    s = setup.structure
    areas = model.areas(s.scaling)
    w = np.asarray(setup.data.area_weight, dtype=float)
    has_score = ~np.isnan(areas).all(axis=0) if len(areas) else np.zeros(model.a, bool)
    in_play = (w > 0) & has_score
    if not in_play.any():
        raise RobustnessError(msg("method {method!r}: no area has both a weight and a score "
                                  "in edition {edition}", method=setup.entry.name,
                                  edition=setup.data.edition))
    w0 = np.where(in_play, w, 0.0)
    w0 = w0 / w0.sum()
    # The method's own total uses the raw weights; ratios are what matter.
    total = model.totals(areas, np.where(in_play, w, 0.0)[None, :], s.aggregation)[0]
    ranks = rank_descending(total, RANK_DECIMALS)
    return w0, in_play, areas, total, ranks


def _prepare(dataset, method, edition, params, own_weights, registry, normalisations,
             aggregations):
    """What :func:`uncertainty` and :func:`sensitivity` both start from: the method's setup and
    structure, the normalisations and aggregations in play, the vectorised model, and the
    nominal weights, areas in play, ranks and area ids."""
    setup = _setup(dataset, method, edition, params, own_weights, registry)
    s = setup.structure
    norms = _choices(normalisations, s.scaling, NORMALISATIONS, msg("normalisation"))
    aggs = _choices(aggregations, s.aggregation, AGGREGATIONS, msg("aggregation"))
    model = _Model(setup.data, s, (s.scaling, *norms))
    w0, in_play, _, _, nominal = _nominal(model, setup)
    area_ids = tuple(str(a) for a in setup.data.area_ids[in_play])
    return setup, s, norms, aggs, model, w0, in_play, nominal, area_ids


def _names(dataset: Dataset, ids) -> pd.Series:
    names = dataset.cities["name"].reindex(pd.Index(ids, name="city_id"))
    return names.fillna(pd.Series(list(ids), index=names.index)).astype(str)


def _method_record(setup: _Setup, kind: str, settings: Mapping[str, Any],
                   now: datetime | None) -> dict[str, Any]:
    entry = setup.entry
    stamp = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    return {
        "kind": kind,
        "edition": int(setup.data.edition),
        "method": {
            "name": entry.name, "title": entry.method.title,
            "citation": getattr(entry.method, "citation", ""), "plugin": entry.plugin,
            "package": entry.distribution, "package_version": entry.version,
            "params": jsonable(setup.params), "weights": jsonable(setup.overrides),
            "missing_policy": getattr(entry.method, "missing_policy", ""),
            **german_card(entry.method, jsonable(setup.params)),
        },
        "settings": jsonable(dict(settings)),
        "data": setup.source,
        "cityindex_version": __version__,
        "exported_at": stamp,
    }


# --- sampling ---------------------------------------------------------------------------------


def _check_bounds(g: int, bounds: tuple[float, float], what: str) -> tuple[float, float]:
    try:
        lo, hi = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise RobustnessError(msg("{what}: bounds must be two numbers (min, max), not "
                                  "{bounds!r}", what=what, bounds=bounds)) from None
    if not (0 <= lo <= hi <= 1):
        raise RobustnessError(msg("{what}: weight bounds must satisfy 0 ≤ min ≤ max ≤ 1, not "
                                  "min {low:g}, max {high:g}", what=what, low=lo, high=hi))
    tol = 1e-12
    if g * lo > 1 + tol:
        raise RobustnessError(msg(
            "{what}: {g} areas with a minimum weight of {low:g} need more than the whole "
            "(min × {g} = {total:g} > 1): lower the minimum to at most {limit:.4g}",
            what=what, g=g, low=lo, total=g * lo, limit=1 / g))
    if g * hi < 1 - tol:
        raise RobustnessError(msg(
            "{what}: {g} areas with a maximum weight of {high:g} cannot add up to 1 "
            "(max × {g} = {total:g} < 1): raise the maximum to at least {limit:.4g}",
            what=what, g=g, high=hi, total=g * hi, limit=1 / g))
    return lo, hi


def _draw_group(rng: np.random.Generator, w0: np.ndarray, size: int, scheme: str,
                concentration: float, noise: float, lo: float = 0.0) -> np.ndarray:
    """``size`` weight vectors (rows, summing to 1) for one group with nominal shares ``w0``
    (all > 0). ``lo`` only shifts the uniform simplex draws (the rest is rejection)."""
    g = len(w0)
    if g == 1:
        return np.ones((size, 1))
    if scheme == "dirichlet":
        return rng.dirichlet(concentration * w0, size=size)
    if scheme == "noise":
        w = w0 * (1.0 + rng.uniform(-noise, noise, size=(size, g)))
        return w / w.sum(axis=1, keepdims=True)
    v = rng.dirichlet(np.ones(g), size=size)  # uniform over the simplex
    return lo + (1.0 - g * lo) * v


def _sample_area_weights(rng, w0: np.ndarray, draws: int, scheme: str, concentration: float,
                         noise: float, bounds: tuple[float, float]) -> tuple[np.ndarray, float]:
    """``(draws, g)`` area weights within ``bounds`` and the acceptance rate of the
    rejection step (1.0 when nothing had to be rejected)."""
    lo, hi = bounds
    tol = 1e-12
    lower = lo if scheme == "simplex" else 0.0
    kept: list[np.ndarray] = []
    n_kept = proposed = 0
    batch = draws
    while n_kept < draws:
        w = _draw_group(rng, w0, batch, scheme, concentration, noise, lower)
        proposed += batch
        ok = ((w >= lo - tol) & (w <= hi + tol)).all(axis=1)
        kept.append(w[ok])
        n_kept += int(ok.sum())
        if n_kept < draws:
            if proposed >= MAX_PROPOSALS * draws:
                share = n_kept / proposed
                raise RobustnessError(msg(
                    "the weight bounds {low:g}–{high:g} admit only {share:.3%} of the {scheme} "
                    "draws ({kept} of {proposed}); widen the bounds or use --weights simplex",
                    low=lo, high=hi, share=share, scheme=scheme, kept=n_kept,
                    proposed=proposed))
            rate = max(n_kept / proposed, 1.0 / proposed)
            batch = int(min(MAX_PROPOSALS * draws, math.ceil((draws - n_kept) / rate * 1.2)))
    w = np.concatenate(kept)[:draws]
    return w, draws / max(proposed, 1) if proposed > draws else 1.0


def _sample_category_weights(rng, model: _Model, draws: int, scheme: str,
                             concentration: float, noise: float) -> np.ndarray:
    """``(draws, k)`` category weights: within every group of the same area and kind (core or
    projects), the nominal shares drawn by ``scheme`` (the simplex without bounds)."""
    w0 = model.cat_w0
    out = np.tile(w0, (draws, 1)).astype(float)
    _, _, alive = model.cats[model.structure.scaling]
    for j in range(model.a):
        for projects in (False, True):
            group = np.flatnonzero((model.cat_area == j) & (model.projects == projects)
                                   & alive & (w0 > 0))
            if len(group) < 2:
                continue
            shares = w0[group] / w0[group].sum()
            out[:, group] = _draw_group(rng, shares, draws, scheme, concentration, noise)
    return out


# --- uncertainty ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UncertaintyResult:
    """The outcome of :func:`uncertainty`.

    - ``table``: index ``city_id`` (the ranked cities, in nominal rank order), columns
      ``name``, ``rank`` (nominal), ``median_rank``, ``rank_p05``, ``rank_p95`` (the 5 % and
      95 % quantiles of the rank over the evaluated draws, each an observed rank),
      ``p_rank1``, ``p_top10`` (shares of the evaluated draws, 0–1);
    - ``rank_probabilities``: ``(cities, ranks)``, index ``city_id``, columns 1…n: the share
      of the evaluated draws in which each city has each rank (rows sum to 1). With
      ``weights="simplex"`` this is SMAA's rank acceptability matrix (Lahdelma & Salminen
      2001);
    - ``central_weights``: index ``city_id``, one column per area in play: the mean area
      weights of the draws in which the city is first (SMAA's central weight vector; NaN
      for a city never first);
    - ``ranks``: ``int32`` ``(evaluated draws, cities)``, the rank of every ranked city in
      every evaluated draw (columns in the order of ``table``);
    - ``sample``: one row per draw: the area weights (one column per area in play),
      ``normalisation``, ``aggregation``, ``evaluated`` (bool); ``category_sample``: with
      ``level="areas+categories"`` the category weights of every draw (one column per
      category id), else None;
    - ``failures``: one row per (normalisation, aggregation) with draws that could not be
      evaluated: ``normalisation``, ``aggregation``, ``draws``, ``failed``, ``reason``;
    - ``unranked``: index ``city_id``, ``name``, ``reason``: cities without a nominal total,
      left out;
    - ``draws`` (requested), ``n_evaluated``, ``n_failed``, ``acceptance`` (share of proposed
      weightings inside the bounds; 1.0 when none was rejected), ``seed``, ``spec``,
      ``area_names`` (id → German name), ``data`` (where the data came from).
    """

    spec: UncertaintySpec
    seed: int
    draws: int
    n_evaluated: int
    n_failed: int
    acceptance: float
    table: pd.DataFrame
    rank_probabilities: pd.DataFrame
    central_weights: pd.DataFrame
    ranks: np.ndarray
    sample: pd.DataFrame
    failures: pd.DataFrame
    unranked: pd.DataFrame
    area_names: Mapping[str, str]
    data: Mapping[str, Any]
    category_sample: pd.DataFrame | None = None
    method_record: Mapping[str, Any] = field(default_factory=dict)

    @property
    def smaa(self) -> bool:
        """Whether the weights cover the whole simplex (within bounds): then
        ``rank_probabilities`` is SMAA's rank acceptability matrix."""
        return self.spec.weights == "simplex"

    def export(self, *, now: datetime | None = None) -> Export:
        """Tables ``cities`` (:attr:`table` with ``city_id``), ``rank_probabilities``,
        ``central_weights`` and ``failures``, with a methodology record (method, params,
        own weights, edition, seed, draws, spec, counts, data source, version)."""
        record = dict(self.method_record)
        record["exported_at"] = (now or datetime.now().astimezone()).isoformat(
            timespec="seconds")
        cities = self.table.reset_index()
        probs = self.rank_probabilities.copy()
        probs.columns = [f"rank {c}" for c in probs.columns]
        return Export(
            tables=(
                Table("cities", cities, {"en": "Uncertainty", "de": "Unsicherheit"},
                      UNCERTAINTY_LABELS, decimals=3),
                Table("rank_probabilities", probs.reset_index(),
                      {"en": "Rank probabilities", "de": "Rangwahrscheinlichkeiten"},
                      decimals=4),
                Table("central_weights", self.central_weights.reset_index(),
                      {"en": "Central weights", "de": "Zentrale Gewichte"},
                      {"de": dict(self.area_names)}, decimals=4),
                Table("failures", self.failures,
                      {"en": "Draws not evaluated", "de": "Nicht auswertbar"}, FAILURE_LABELS),
            ),
            methodology=record,
            summary={"method": self.spec.method, "edition": self.spec.edition,
                     "seed": self.seed, "draws": self.draws, "evaluated": self.n_evaluated,
                     "failed": self.n_failed, "acceptance": self.acceptance},
        )


FAILURE_LABELS = {
    "en": {"normalisation": "Normalisation", "aggregation": "Aggregation",
           "draws": "Draws", "failed": "Not evaluated", "reason": "Why"},
    "de": {"normalisation": "Normierung", "aggregation": "Aggregation",
           "draws": "Ziehungen", "failed": "Nicht auswertbar", "reason": "Grund"},
}


UNCERTAINTY_LABELS = {
    "en": {"median_rank": "Median rank", "rank_p05": "Rank, 5 % quantile",
           "rank_p95": "Rank, 95 % quantile", "p_rank1": "P(rank 1)", "p_top10": "P(top 10)",
           "rank": "Nominal rank"},
    "de": {"median_rank": "Medianer Rang", "rank_p05": "Rang, 5-%-Quantil",
           "rank_p95": "Rang, 95-%-Quantil", "p_rank1": "P(Rang 1)", "p_top10": "P(Top 10)",
           "rank": "Nominaler Rang"},
}


def _choices(values: Sequence[str], own: str, allowed: Sequence[str], what: str):
    chosen = tuple(dict.fromkeys(values)) if values else (own,)
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise RobustnessError(msg("unknown {what} {names}; choose from {choices}", what=what,
                                  names=", ".join(map(repr, unknown)),
                                  choices=", ".join(allowed)))
    return chosen


def _evaluate(model: _Model, spec: UncertaintySpec, in_play: np.ndarray, ranked: np.ndarray,
              area_w: np.ndarray, cat_w: np.ndarray | None, norm_idx: np.ndarray,
              agg_idx: np.ndarray, chunk: int = 2048):
    """Totals ``(D, ranked cities)`` of every draw, and per (normalisation, aggregation) the
    number of draws and of those that could not be evaluated."""
    d = area_w.shape[0]
    full_w = np.zeros((d, model.a))
    full_w[:, in_play] = area_w
    totals = np.empty((d, int(ranked.sum())))
    counts = []
    for i, how in enumerate(spec.normalisations):
        for j, agg in enumerate(spec.aggregations):
            rows = np.flatnonzero((norm_idx == i) & (agg_idx == j))
            if not len(rows):
                continue
            if cat_w is None:
                areas = model.areas(how)
                totals[rows] = model.totals(areas, full_w[rows], agg)[:, ranked]
            else:
                for start in range(0, len(rows), chunk):
                    part = rows[start:start + chunk]
                    areas = model.areas(how, cat_w[part])
                    totals[part] = model.totals(areas, full_w[part], agg)[:, ranked]
            failed = int((~np.isfinite(totals[rows])).any(axis=1).sum())
            counts.append((how, agg, len(rows), failed))
    return totals, counts


def _failure_reason(model: _Model, agg: str) -> str:
    if agg == "geometric" and model.structure.floor is None:
        return msg("a ranked city has an area score ≤ 0, which has no logarithm (geometric "
                   "mean without a floor)")
    return msg("a ranked city gets no total (NaN)")


NO_SCORE = msg("the method gives no score for this city (NaN total)")


def uncertainty(
    dataset: Dataset,
    method: str,
    *,
    edition: int | None = None,
    params: Mapping[str, Any] | None = None,
    draws: int = 1000,
    seed: int = 0,
    weights: str = "dirichlet",
    concentration: float = 100.0,
    noise: float = 0.25,
    bounds: tuple[float, float] | None = None,
    level: str = "areas",
    normalisations: Sequence[str] = (),
    aggregations: Sequence[str] = (),
    own_weights: Mapping[str, float] | None = None,
    registry: MethodRegistry | None = None,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of one edition's ranking under ``method``.

    ``weights`` says how the weights are drawn (``own_weights`` are area, category or
    indicator weights to start from, as ``weights=`` of :func:`cityindex.score`):

    - ``dirichlet``: area weights ``~ Dirichlet(concentration × w0)`` around the nominal
      shares ``w0`` (mean ``w0``; each share's sd is ``√(w(1−w)/(concentration+1))``);
    - ``noise``: each nominal weight times ``1 + U(−noise, +noise)``, then normalised
      (``noise=0``: every draw is the nominal weighting);
    - ``simplex``: uniform over every weighting with ``bounds[0] ≤ w_a ≤ bounds[1]`` (the
      simplex shifted by the lower bound, the upper bound by rejection): SMAA.

    ``bounds`` (default ``(0, 1)``) restrict the area weights of every scheme by rejection;
    the share of accepted proposals is reported. ``level="areas+categories"`` also draws the
    category weights within each area by the same scheme. ``normalisations`` (from
    :data:`NORMALISATIONS`) and ``aggregations`` (``arithmetic``, ``geometric``) are drawn
    with equal probability; empty means the method's own.

    ``draws`` weightings are drawn with ``numpy.random.default_rng(seed)`` and evaluated as
    arrays. Raises :class:`RobustnessError` (bad settings, a method without structure,
    bounds nothing satisfies), :class:`~cityindex.plugins.UnknownMethodError`,
    :class:`~cityindex.method.ParameterError`, :class:`~cityindex.hierarchy.WeightError`.
    """
    scheme = weights
    draws = _positive_int(draws, "draws")
    if draws > MAX_DRAWS:
        raise RobustnessError(msg("draws must be at most {limit:,} (each draw holds a rank "
                                  "for every city; {draws:,} would not fit in memory)",
                                  limit=MAX_DRAWS, draws=draws))
    if scheme not in WEIGHT_SCHEMES:
        raise RobustnessError(msg("unknown weight scheme {scheme!r}; choose from {choices}",
                                  scheme=scheme, choices=", ".join(WEIGHT_SCHEMES)))
    if level not in LEVELS:
        raise RobustnessError(msg("unknown level {level!r}; choose from {choices}",
                                  level=level, choices=", ".join(LEVELS)))
    if not (concentration > 0 and math.isfinite(concentration)):
        raise RobustnessError(msg("concentration must be a positive number, not {value!r}",
                                  value=concentration))
    if not (0 <= noise < 1):
        raise RobustnessError(msg("noise must be at least 0 and below 1 (a share), not "
                                  "{value!r}", value=noise))
    setup, s, norms, aggs, model, w0, in_play, nominal, area_ids = _prepare(
        dataset, method, edition, params, own_weights, registry, normalisations, aggregations)
    g = len(area_ids)
    lo, hi = _check_bounds(g, bounds if bounds is not None else (0.0, 1.0),
                           msg("uncertainty"))
    spec = UncertaintySpec(
        method=setup.entry.name, params=dict(setup.params), edition=setup.data.edition,
        structure=s, weights=scheme, concentration=float(concentration), noise=float(noise),
        bounds=(lo, hi), level=level, normalisations=norms, aggregations=aggs,
        areas=area_ids, weight_overrides=dict(setup.overrides))

    # Sample once.
    rng = np.random.default_rng(seed)
    area_w, acceptance = _sample_area_weights(rng, w0[in_play], draws, scheme, concentration,
                                              noise, (lo, hi))
    cat_w = (_sample_category_weights(rng, model, draws, scheme, concentration, noise)
             if level == "areas+categories" else None)
    norm_idx = rng.integers(len(norms), size=draws) if len(norms) > 1 else np.zeros(draws, int)
    agg_idx = rng.integers(len(aggs), size=draws) if len(aggs) > 1 else np.zeros(draws, int)

    # Evaluate every draw as arrays.
    ranked = ~np.isnan(nominal)
    totals, counts = _evaluate(model, spec, in_play, ranked, area_w, cat_w, norm_idx, agg_idx)
    ok = np.isfinite(totals).all(axis=1)
    ranks = competition_ranks(totals[ok])

    # Analyse.
    ids = setup.data.city_ids[ranked]
    index = pd.Index([str(c) for c in ids], name="city_id")
    names = _names(dataset, index)
    n_r = len(index)
    nominal_r = nominal[ranked].astype(int)
    n_ok = int(ok.sum())
    if n_ok:
        flat = np.arange(n_r)[None, :] * n_r + (ranks - 1)
        counts_ = np.bincount(flat.ravel(), minlength=n_r * n_r).reshape(n_r, n_r)
        probs = counts_ / n_ok
        q05, median, q95 = rank_quantiles(counts_)
        p1 = probs[:, 0]
        p10 = probs[:, :10].sum(axis=1)
        first = (ranks == 1).astype(float)
        firsts = first.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            central = (first.T @ area_w[ok]) / firsts[:, None]
    else:
        q05 = q95 = median = p1 = p10 = np.full(n_r, np.nan)
        probs = np.full((n_r, n_r), np.nan)
        central = np.full((n_r, g), np.nan)
    table = pd.DataFrame({
        "name": names.to_numpy(), "rank": nominal_r, "median_rank": median,
        "rank_p05": q05, "rank_p95": q95, "p_rank1": p1, "p_top10": p10,
    }, index=index)
    if n_ok:
        table = table.astype({"rank_p05": int, "rank_p95": int})
    order = np.lexsort((table["name"].to_numpy(), nominal_r))
    table = table.iloc[order]
    rank_probabilities = pd.DataFrame(probs, index=index,
                                      columns=pd.Index(range(1, n_r + 1), name="rank"))
    rank_probabilities = rank_probabilities.iloc[order]
    central_weights = pd.DataFrame(central, index=index, columns=list(area_ids)).iloc[order]
    sample = pd.DataFrame(area_w, columns=list(area_ids))
    sample["normalisation"] = np.asarray(norms, dtype=object)[norm_idx]
    sample["aggregation"] = np.asarray(aggs, dtype=object)[agg_idx]
    sample["evaluated"] = ok
    failures = pd.DataFrame(
        [(h, a, n, f) for h, a, n, f in counts],
        columns=["normalisation", "aggregation", "draws", "failed"])
    # the reasons are messages, kept as objects (pandas would make them plain strings)
    failures["reason"] = pd.Series([_failure_reason(model, a) if f else ""
                                    for _, a, _, f in counts], dtype=object)
    failures = failures[failures["failed"] > 0].reset_index(drop=True)
    unranked_ids = [str(c) for c in setup.data.city_ids[~ranked]]
    unranked = pd.DataFrame({"name": _names(dataset, unranked_ids).to_numpy(),
                             "reason": _reasons(unranked_ids)},
                            index=pd.Index(unranked_ids, name="city_id"))
    if n_ok == 0:  # nothing to report but the reasons: an error, like a method without scores
        raise RobustnessError(msg(
            "none of the {draws} draws could be evaluated: {reasons} (leave out the "
            "combination that fails)", draws=draws, reasons=joined(
                msg("{normalisation} + {aggregation}: {reason}", normalisation=r.normalisation,
                    aggregation=r.aggregation, reason=r.reason)
                for r in failures.itertuples())))
    area_names = _area_names(setup.data, area_ids)
    settings = {"seed": int(seed), "draws": draws, "evaluated": n_ok, "failed": draws - n_ok,
                "acceptance": float(acceptance), **spec.record()}
    return UncertaintyResult(
        spec=spec, seed=int(seed), draws=draws, n_evaluated=n_ok, n_failed=draws - n_ok,
        acceptance=float(acceptance), table=table, rank_probabilities=rank_probabilities,
        central_weights=central_weights, ranks=ranks[:, order], sample=sample,
        failures=failures, unranked=unranked, area_names=area_names, data=setup.source,
        category_sample=None if cat_w is None else pd.DataFrame(
            cat_w, columns=[str(c) for c in setup.data.category_ids]),
        method_record=_method_record(setup, "uncertainty", settings, None),
    )


def _positive_int(value, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise RobustnessError(msg("{what} must be a whole number, not {value!r}", what=what,
                                  value=value)) from None
    if number != value or number < 1:
        raise RobustnessError(msg("{what} must be a whole number of at least 1, not {value!r}",
                                  what=what, value=value))
    return number


def _reasons(ids: Sequence[str]) -> pd.Series:
    """The reason column of the cities ``ids`` without a nominal total: messages, kept as
    objects (pandas would make them plain strings)."""
    return pd.Series([NO_SCORE] * len(ids), index=pd.Index(ids, name="city_id"), dtype=object)


def _area_names(data: EditionData, area_ids: Sequence[str]) -> dict[str, str]:
    table = data.catalogue.areas
    names = table["name_de"].astype(str) if "name_de" in table else pd.Series(dtype=str)
    return {a: str(names.get(a, a)) for a in area_ids}


# --- sensitivity ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SensitivityResult:
    """The outcome of :func:`sensitivity`.

    - ``table``: one row per uncertain input, columns ``input`` (an area id, or
      ``normalisation`` / ``aggregation``), ``S1``, ``S1_conf``, ``ST``, ``ST_conf``: first-
      and total-order Sobol indices of the mean absolute rank shift and the half-widths of
      their bootstrap confidence intervals at ``conf_level``;
    - ``warnings``: why estimates cannot be trusted (first order above total, negative beyond
      the interval, intervals wider than the estimate), each ending with the advice to
      increase the samples; empty when none;
    - ``samples`` (the base sample N, a power of 2), ``n_evaluations`` (``N × (inputs + 2)``),
      ``seed``, ``noise``, ``conf_level``, ``inputs`` (the SALib problem's names and bounds),
      ``output_mean`` and ``output_sd`` (of the mean absolute rank shift over the
      evaluations, in ranks), ``spec``, ``notes`` (e.g. samples rounded up), ``data``.
    """

    spec: UncertaintySpec
    seed: int
    samples: int
    n_evaluations: int
    noise: float
    conf_level: float
    table: pd.DataFrame
    warnings: tuple[str, ...]
    inputs: Mapping[str, Any]
    output_mean: float
    output_sd: float
    notes: tuple[str, ...]
    area_names: Mapping[str, str]
    data: Mapping[str, Any]
    method_record: Mapping[str, Any] = field(default_factory=dict)

    def export(self, *, now: datetime | None = None) -> Export:
        """Table ``sobol`` (:attr:`table`) with a methodology record (method, params, edition,
        seed, samples, evaluations, inputs, warnings, data source, version)."""
        record = dict(self.method_record)
        record["exported_at"] = (now or datetime.now().astimezone()).isoformat(
            timespec="seconds")
        return Export(
            tables=(Table("sobol", self.table, {"en": "Sobol indices", "de": "Sobol-Indizes"},
                          SOBOL_LABELS, decimals=3),),
            methodology=record,
            summary={"method": self.spec.method, "edition": self.spec.edition,
                     "seed": self.seed, "samples": self.samples,
                     "evaluations": self.n_evaluations, "output": "mean absolute rank shift",
                     "warnings": list(self.warnings)},
        )


SOBOL_LABELS = {
    "en": {"input": "Input", "S1": "First-order index", "S1_conf": "First-order ± (CI)",
           "ST": "Total-order index", "ST_conf": "Total-order ± (CI)"},
    "de": {"input": "Eingangsgröße", "S1": "Sobol-Index erster Ordnung",
           "S1_conf": "erster Ordnung ± (KI)", "ST": "Totaler Sobol-Index",
           "ST_conf": "total ± (KI)"},
}


def sensitivity(
    dataset: Dataset,
    method: str,
    *,
    edition: int | None = None,
    params: Mapping[str, Any] | None = None,
    own_weights: Mapping[str, float] | None = None,
    samples: int = 1024,
    seed: int = 0,
    noise: float = 0.25,
    normalisations: Sequence[str] = (),
    aggregations: Sequence[str] = (),
    conf_level: float = 0.95,
    num_resamples: int = 100,
    registry: MethodRegistry | None = None,
) -> SensitivityResult:
    """Sobol sensitivity indices of the mean absolute rank shift (Saltelli et al. 2010).

    Inputs: each area weight in play, uniform on ``[w0·(1−noise), w0·(1+noise)]`` around its
    nominal share (the weights are normalised to sum 1 before use, as COINr does), and, when
    more than one is given, the normalisation and the aggregation as discrete inputs (uniform
    on ``[0, k)``, rounded down to a choice). Output: the mean over the ranked cities of
    ``|rank − nominal rank|``. Sampling with ``SALib.sample.sobol.sample`` (Saltelli's scheme,
    ``samples`` base points, rounded up to a power of 2: ``samples × (inputs + 2)``
    evaluations), estimation with ``SALib.analyze.sobol.analyze`` and ``num_resamples``
    bootstrap resamples at ``conf_level``; both seeded with ``seed``. All evaluations run as
    arrays.

    Raises :class:`RobustnessError` for bad settings, a method without structure, or
    evaluations that cannot be computed (Sobol indices need every one: leave out the
    normalisation or aggregation that fails).
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    base = _positive_int(samples, "samples")
    if base < 2:
        raise RobustnessError(msg("samples must be at least 2"))
    if not (0 < noise < 1):
        raise RobustnessError(msg("noise must be above 0 and below 1 (a share), not {value!r}",
                                  value=noise))
    if not (0 < conf_level < 1):
        raise RobustnessError(msg("conf_level must lie between 0 and 1, not {value!r}",
                                  value=conf_level))
    setup, s, norms, aggs, model, w0, in_play, nominal, area_ids = _prepare(
        dataset, method, edition, params, own_weights, registry, normalisations, aggregations)
    g = len(area_ids)
    spec = UncertaintySpec(
        method=setup.entry.name, params=dict(setup.params), edition=setup.data.edition,
        structure=s, weights="noise", noise=float(noise), bounds=(0.0, 1.0), level="areas",
        normalisations=norms, aggregations=aggs, areas=area_ids,
        weight_overrides=dict(setup.overrides))
    n_base = 1 << (base - 1).bit_length()
    notes = [] if n_base == base else [
        f"samples rounded up from {base} to {n_base}, a power of 2 (Sobol' sequences need it)"]
    names = list(area_ids)
    bounds = [[float(w * (1 - noise)), float(w * (1 + noise))] for w in w0[in_play]]
    if len(norms) > 1:
        names.append("normalisation")
        bounds.append([0.0, float(len(norms))])
    if len(aggs) > 1:
        names.append("aggregation")
        bounds.append([0.0, float(len(aggs))])
    if len(names) < 2:
        raise RobustnessError(msg(
            "only one uncertain input ({input}): Sobol indices need at least two (a single "
            "area in play has nothing to share its weight with)",
            input=names[0] if names else msg("none")))
    problem = {"num_vars": len(names), "names": names, "bounds": bounds}
    x = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    area_w = x[:, :g] / x[:, :g].sum(axis=1, keepdims=True)
    col = g
    norm_idx = agg_idx = np.zeros(len(x), dtype=int)
    if len(norms) > 1:
        norm_idx = np.minimum(np.floor(x[:, col]).astype(int), len(norms) - 1)
        col += 1
    if len(aggs) > 1:
        agg_idx = np.minimum(np.floor(x[:, col]).astype(int), len(aggs) - 1)
    ranked = ~np.isnan(nominal)
    totals, counts = _evaluate(model, spec, in_play, ranked, area_w, None, norm_idx, agg_idx)
    ok = np.isfinite(totals).all(axis=1)
    if not ok.all():
        bad = joined(msg("{normalisation} + {aggregation}: {failed} of {draws} ({reason})",
                         normalisation=h, aggregation=a, failed=f, draws=n,
                         reason=_failure_reason(model, a))
                     for h, a, n, f in counts if f)
        raise RobustnessError(msg(
            "{failed} of {total} evaluations cannot be computed ({reasons}); Sobol indices need "
            "every evaluation: leave that normalisation or aggregation out",
            failed=int((~ok).sum()), total=len(ok), reasons=bad))
    ranks = competition_ranks(totals)
    y = np.abs(ranks - nominal[ranked][None, :]).mean(axis=1)
    warnings_: list[str] = []
    if np.ptp(y) == 0:
        zeros = np.zeros(len(names))
        table = pd.DataFrame({"input": names, "S1": zeros, "S1_conf": zeros, "ST": zeros,
                              "ST_conf": zeros})
        notes.append("the ranking is the same in every evaluation: no input changes it")
    else:
        si = sobol_analyze.analyze(problem, y, calc_second_order=False,
                                   num_resamples=int(num_resamples), conf_level=conf_level,
                                   seed=seed)
        table = pd.DataFrame({"input": names, "S1": si["S1"], "S1_conf": si["S1_conf"],
                              "ST": si["ST"], "ST_conf": si["ST_conf"]})
        warnings_ = sobol_warnings(table, n_base)
    area_names = _area_names(setup.data, area_ids)
    settings = {"seed": int(seed), "samples": n_base, "evaluations": int(len(x)),
                "noise": float(noise), "conf_level": float(conf_level),
                "num_resamples": int(num_resamples), "output": "mean absolute rank shift",
                "inputs": {n: f"{b[0]:g}–{b[1]:g}" for n, b in zip(names, bounds, strict=True)},
                **spec.record(), "warnings": list(warnings_)}
    return SensitivityResult(
        spec=spec, seed=int(seed), samples=n_base, n_evaluations=int(len(x)),
        noise=float(noise), conf_level=float(conf_level), table=table,
        warnings=tuple(warnings_), inputs=problem, output_mean=float(y.mean()),
        output_sd=float(y.std()), notes=tuple(notes), area_names=area_names,
        data=setup.source, method_record=_method_record(setup, "sensitivity", settings, None))


@dataclass(frozen=True)
class SobolProblem:
    """One reason a Sobol estimate cannot be trusted: ``kind`` is ``"above_total"`` (the
    first-order index exceeds the total-order one), ``"negative"`` (an index negative beyond
    its interval) or ``"wide"`` (an interval wider than its estimate); ``order`` is ``S1`` or
    ``ST``; ``estimate`` and ``conf`` the index and its interval's half-width (for
    ``above_total``: S1 and ST)."""

    input: str
    kind: str
    order: str
    estimate: float
    conf: float


def sobol_problems(table: pd.DataFrame) -> list[SobolProblem]:
    """Why the Sobol estimates in ``table`` (columns ``input``, ``S1``, ``S1_conf``, ``ST``,
    ``ST_conf``) cannot be trusted: a first-order index above the total-order one, an index
    negative beyond its interval, an interval wider than its estimate (unless it reaches no
    further than :data:`NEGLIGIBLE`)."""
    out = []
    for row in table.itertuples(index=False):
        if row.S1 > row.ST:
            out.append(SobolProblem(row.input, "above_total", "S1", float(row.S1),
                                    float(row.ST)))
        for order, est, conf in (("S1", row.S1, row.S1_conf), ("ST", row.ST, row.ST_conf)):
            if est + conf < 0:
                out.append(SobolProblem(row.input, "negative", order, float(est), float(conf)))
            elif conf > abs(est) and abs(est) + conf > NEGLIGIBLE:
                out.append(SobolProblem(row.input, "wide", order, float(est), float(conf)))
    return out


def sobol_warnings(table: pd.DataFrame, samples: int) -> list[str]:
    """:func:`sobol_problems` as sentences for the command line, each with the advice to
    increase the samples."""
    advice = f"increase --samples (now {samples})"
    label = {"S1": "first-order", "ST": "total-order"}
    out = []
    for p in sobol_problems(table):
        if p.kind == "above_total":
            out.append(f"{p.input}: first-order index {p.estimate:.3f} above total-order "
                       f"{p.conf:.3f} — the estimates have not converged; {advice}")
        elif p.kind == "negative":
            out.append(f"{p.input}: {label[p.order]} index {p.estimate:.3f} ± {p.conf:.3f} is "
                       f"negative beyond its interval; {advice}")
        else:
            out.append(f"{p.input}: {label[p.order]} index {p.estimate:.3f} ± {p.conf:.3f} — "
                       f"the interval is wider than the estimate; {advice}")
    return out


# --- best and worst achievable rank -----------------------------------------------------------


@dataclass(frozen=True)
class RankBoundsResult:
    """The outcome of :func:`rank_bounds`.

    - ``table``: index ``city_id`` (ranked cities, nominal rank order), columns ``name``,
      ``rank`` (nominal), ``best_rank``, ``worst_rank``, then ``best_weight_<area>`` and
      ``worst_weight_<area>`` for every area in play: a weighting that attains each bound;
    - ``best_weights`` / ``worst_weights``: the same weights as ``(cities, areas)`` frames;
    - ``min_weight``, ``max_weight``: the bounds of every area weight (shares summing to 1);
      ``nominal_within_bounds``: whether the method's own weighting satisfies them (then
      ``best_rank ≤ rank ≤ worst_rank``);
    - ``criterion``: ``"arithmetic"`` (total = Σ w·area) or ``"geometric"`` (the ranking of
      Π area^w, i.e. of Σ w·log max(area, floor));
    - ``unranked``: cities without a nominal total, left out; ``spec``, ``area_names``,
      ``data``.
    """

    spec: UncertaintySpec
    min_weight: float
    max_weight: float
    nominal_within_bounds: bool
    criterion: str
    table: pd.DataFrame
    best_weights: pd.DataFrame
    worst_weights: pd.DataFrame
    unranked: pd.DataFrame
    area_names: Mapping[str, str]
    data: Mapping[str, Any]
    method_record: Mapping[str, Any] = field(default_factory=dict)

    def export(self, *, now: datetime | None = None) -> Export:
        """Table ``cities`` (:attr:`table` with ``city_id``) and a methodology record."""
        record = dict(self.method_record)
        record["exported_at"] = (now or datetime.now().astimezone()).isoformat(
            timespec="seconds")
        labels = {locale: dict(words) for locale, words in BOUNDS_LABELS.items()}
        for area in self.area_names:  # the weights that give each city its best/worst rank
            name = self.area_names[area]
            labels["en"].update({f"best_weight_{area}": f"Weight {area} at the best rank",
                                 f"worst_weight_{area}": f"Weight {area} at the worst rank"})
            labels["de"].update({f"best_weight_{area}": f"Gewicht {name} beim besten Rang",
                                 f"worst_weight_{area}":
                                 f"Gewicht {name} beim schlechtesten Rang"})
        return Export(
            tables=(Table("cities", self.table.reset_index(),
                          {"en": "Rank bounds", "de": "Bester und schlechtester Rang"},
                          labels, decimals=4),),
            methodology=record,
            summary={"method": self.spec.method, "edition": self.spec.edition,
                     "min_weight": self.min_weight, "max_weight": self.max_weight},
        )


BOUNDS_LABELS = {
    "en": {"rank": "Nominal rank", "best_rank": "Best rank", "worst_rank": "Worst rank"},
    "de": {"rank": "Nominaler Rang", "best_rank": "Bester Rang",
           "worst_rank": "Schlechtester Rang"},
}


def _extreme(d: np.ndarray, lo: float, hi: float, maximise: bool) -> np.ndarray:
    """``min`` (or ``max``) of ``d[r] · w`` over ``{w : Σw = 1, lo ≤ w ≤ hi}`` for every row:
    start at ``lo`` and give the rest to the smallest (largest) entries first."""
    g = d.shape[-1]
    rest = 1.0 - g * lo
    ordered = np.sort(d, axis=-1)
    if maximise:
        ordered = ordered[..., ::-1]
    cap = hi - lo
    steps = np.arange(g)
    alloc = np.clip(rest - steps * cap, 0.0, cap) if cap > 0 else np.zeros(g)
    return lo * d.sum(axis=-1) + ordered @ alloc


def rank_bounds(
    dataset: Dataset,
    method: str,
    *,
    edition: int | None = None,
    params: Mapping[str, Any] | None = None,
    own_weights: Mapping[str, float] | None = None,
    min_weight: float = 0.1,
    max_weight: float = 0.4,
    registry: MethodRegistry | None = None,
) -> RankBoundsResult:
    """The best and the worst rank of every city over all area weightings ``w`` with
    ``Σ w_a = 1`` and ``min_weight ≤ w_a ≤ max_weight`` (area scores fixed at their nominal
    values), exactly, with a weighting attaining each.

    For city *i* the best rank is 1 + the fewest cities that must stay strictly ahead, the
    worst 1 + the most that can get strictly ahead (ties share the better rank, as in
    :func:`cityindex.scoring.rank_descending`). Each is a mixed-integer linear programme
    (``scipy.optimize.milp``, HiGHS) with one binary "city j is ahead of i" per city whose
    order against *i* depends on the weights (big-M from the exact range of
    ``(area_j − area_i)·w`` over the feasible weights; cities ahead or behind for every
    weighting are counted without binaries). A city must lead by :data:`STRICT_LEAD` to count
    as ahead in the worst case. The rank reported is that of the returned weighting,
    recomputed with the engine's ranking; the nominal weighting is a candidate too, so
    ``best ≤ nominal ≤ worst`` whenever it lies within the bounds.

    The criterion is the weighted arithmetic mean of the areas (``geometric`` methods: the
    weighted mean of the logarithms of the floored area scores, which orders the cities as
    their geometric mean). Raises :class:`RobustnessError` for bounds no weighting satisfies
    (e.g. 5 areas with ``max_weight`` 0.1), for cities with a missing area score where the
    method skips it (the total is then not linear in the weights), and for a solver
    failure, naming the city and the bounds.
    """
    setup = _setup(dataset, method, edition, params, own_weights, registry)
    s = setup.structure
    model = _Model(setup.data, s, (s.scaling,))
    w0, in_play, areas, total, nominal = _nominal(model, setup)
    area_ids = tuple(str(a) for a in setup.data.area_ids[in_play])
    g = len(area_ids)
    where = msg("rank bounds with area weights between {low:g} and {high:g}", low=min_weight,
                high=max_weight)
    lo, hi = _check_bounds(g, (min_weight, max_weight), where)
    ranked = ~np.isnan(nominal)
    ids = np.asarray([str(c) for c in setup.data.city_ids[ranked]], dtype=object)
    names = _names(dataset, ids)
    scores = areas[ranked][:, in_play]
    missing = np.isnan(scores)
    if missing.any():
        if s.aggregation == "arithmetic" and s.missing == "zero":
            scores = np.where(missing, 0.0, scores)
        else:
            rows = [f"{names.iloc[i]} ({ids[i]}): {area_ids[j]}"
                    for i, j in zip(*np.nonzero(missing), strict=True)][:5]
            raise RobustnessError(msg(
                "{where}: some cities have no score in an area ({cities}), and the method "
                "leaves it out, so the total is not linear in the weights; use -p missing=zero "
                "or own weights that leave those areas out", where=where,
                cities="; ".join(rows)))
    if s.aggregation == "geometric":
        if s.floor is None and (scores <= 0).any():
            raise RobustnessError(msg("{where}: an area score ≤ 0 has no logarithm (geometric "
                                      "mean without a floor)", where=where))
        crit = np.log(np.maximum(scores, s.floor) if s.floor is not None else scores)
    else:
        crit = scores
    spec = UncertaintySpec(
        method=setup.entry.name, params=dict(setup.params), edition=setup.data.edition,
        structure=s, weights="simplex", bounds=(lo, hi), level="areas",
        normalisations=(s.scaling,), aggregations=(s.aggregation,), areas=area_ids,
        weight_overrides=dict(setup.overrides))
    n_r = len(ids)
    tol = 1e-9
    nominal_in = bool(((w0[in_play] >= lo - tol) & (w0[in_play] <= hi + tol)).all())

    def ranks_at(w: np.ndarray) -> np.ndarray:
        """Ranks ``(len(w), n_r)`` under weightings ``w`` ``(V, g)``, as the engine ranks."""
        value = np.atleast_2d(w) @ crit.T
        return competition_ranks(np.exp(value) if s.aggregation == "geometric" else value)

    # Known weightings first (the polytope's vertices, its centre, the nominal weights): where
    # one of them already reaches what no weighting can beat, no programme is needed.
    known = np.vstack([_vertices(g, lo, hi), np.full(g, 1.0 / g)]
                      + ([w0[in_play]] if nominal_in else []))
    known_ranks = ranks_at(known)
    best = known_ranks.min(axis=0)
    worst = known_ranks.max(axis=0)
    best_w = known[known_ranks.argmin(axis=0)]
    worst_w = known[known_ranks.argmax(axis=0)]
    with solver_debug_filtered():  # HiGHS's leftover debug line, not for the user's eyes
        _rank_extremes(n_r, crit, lo, hi, g, best, worst, best_w, worst_w, ranks_at, names,
                       ids, where)
    index = pd.Index(list(ids), name="city_id")
    table = pd.DataFrame({"name": names.to_numpy(), "rank": nominal[ranked].astype(int),
                          "best_rank": best, "worst_rank": worst}, index=index)
    best_frame = pd.DataFrame(best_w, index=index, columns=list(area_ids))
    worst_frame = pd.DataFrame(worst_w, index=index, columns=list(area_ids))
    for a in area_ids:
        table[f"best_weight_{a}"] = best_frame[a]
    for a in area_ids:
        table[f"worst_weight_{a}"] = worst_frame[a]
    order = np.lexsort((table["name"].to_numpy(), table["rank"].to_numpy()))
    unranked_ids = [str(c) for c in setup.data.city_ids[~ranked]]
    unranked = pd.DataFrame({"name": _names(dataset, unranked_ids).to_numpy(),
                             "reason": _reasons(unranked_ids)},
                            index=pd.Index(unranked_ids, name="city_id"))
    settings = {"min_weight": lo, "max_weight": hi, "nominal_within_bounds": nominal_in,
                "criterion": s.aggregation, "strict_lead": STRICT_LEAD, **spec.record()}
    return RankBoundsResult(
        spec=spec, min_weight=lo, max_weight=hi, nominal_within_bounds=nominal_in,
        criterion=s.aggregation, table=table.iloc[order], best_weights=best_frame.iloc[order],
        worst_weights=worst_frame.iloc[order], unranked=unranked,
        area_names=_area_names(setup.data, area_ids), data=setup.source,
        method_record=_method_record(setup, "rank bounds", settings, None))


def _rank_extremes(n_r: int, crit: np.ndarray, lo: float, hi: float, g: int, best: np.ndarray,
                   worst: np.ndarray, best_w: np.ndarray, worst_w: np.ndarray, ranks_at,
                   names: pd.Series, ids: np.ndarray, where: str) -> None:
    """Improve the known best and worst ranks ``(n_r,)`` and their weightings ``(n_r, g)``
    in place by solving, per city, the programmes the known weightings leave open."""
    for i in range(n_r):
        d = crit - crit[i]
        d[i] = 0.0
        dmin = _extreme(d, lo, hi, maximise=False)
        dmax = _extreme(d, lo, hi, maximise=True)
        others = np.arange(n_r) != i
        # Best rank: the fewest cities strictly ahead.
        always = others & (dmin > 0)
        maybe = np.flatnonzero(others & ~always & (dmax > 0))
        if best[i] > 1 + always.sum() and len(maybe):
            w = _solve_rank_milp(d[maybe], dmax[maybe], None, g, lo, hi, minimise=True,
                                 city=(names.iloc[i], ids[i]), where=where)
            r = int(ranks_at(w)[0, i])
            if r < best[i]:
                best[i], best_w[i] = r, w
        # Worst rank: the most cities strictly ahead (by at least STRICT_LEAD).
        if worst[i] < 1 + (others & (dmax > 0)).sum():
            maybe = np.flatnonzero(others & (dmax >= STRICT_LEAD) & ~(dmin >= STRICT_LEAD))
            if len(maybe):
                w = _solve_rank_milp(d[maybe], None, dmin[maybe], g, lo, hi, minimise=False,
                                     city=(names.iloc[i], ids[i]), where=where)
                r = int(ranks_at(w)[0, i])
                if r > worst[i]:
                    worst[i], worst_w[i] = r, w


def _vertices(g: int, lo: float, hi: float, max_g: int = 12) -> np.ndarray:
    """The vertices of ``{w : Σw = 1, lo ≤ w ≤ hi}`` (every coordinate but one at a bound),
    ``(V, g)``; none for more than ``max_g`` areas (there are ``g·2^(g−1)`` candidates)."""
    if g > max_g:
        return np.empty((0, g))
    masks = (np.arange(2 ** (g - 1))[:, None] >> np.arange(g - 1)) & 1
    fixed = np.where(masks == 1, hi, lo)
    rows = []
    for free in range(g):
        rest = 1.0 - fixed.sum(axis=1)
        ok = (rest >= lo - 1e-12) & (rest <= hi + 1e-12)
        w = np.insert(fixed[ok], free, np.clip(rest[ok], lo, hi), axis=1)
        rows.append(w)
    out = np.unique(np.round(np.vstack(rows), 12), axis=0)
    return out


def _solve_rank_milp(d: np.ndarray, dmax: np.ndarray | None, dmin: np.ndarray | None, g: int,
                     lo: float, hi: float, *, minimise: bool, city: tuple[str, str],
                     where: str) -> np.ndarray:
    """The weighting ``(g,)`` that minimises the number of rows of ``d`` (cities minus the
    city) with ``d·w > 0`` (``minimise``; binary ``z_j = 0`` forces ``d_j·w ≤ 0``, big-M
    ``dmax_j``) or maximises the number with ``d·w ≥ STRICT_LEAD`` (binary ``y_j = 1`` forces
    it; big-M from ``dmin_j``), over ``Σw = 1``, ``lo ≤ w ≤ hi``."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    c = len(d)
    sum_one = LinearConstraint(np.r_[np.ones(g), np.zeros(c)][None, :], 1.0, 1.0)
    cuts = []
    # Valid cuts: a city at least as good as another in every area is ahead whenever that
    # one is (binary of the weaker ≤ binary of the stronger); they spare the solver search.
    weaker, stronger = np.nonzero((d[None, :, :] >= d[:, None, :]).all(axis=2))
    keep = weaker != stronger
    if keep.any():
        rows_ = np.zeros((int(keep.sum()), g + c))
        at = np.arange(len(rows_))
        rows_[at, g + weaker[keep]] = 1.0
        rows_[at, g + stronger[keep]] = -1.0
        cuts.append(LinearConstraint(rows_, -np.inf, 0.0))
    if minimise:
        rows = LinearConstraint(np.hstack([d, -np.diag(dmax)]), -np.inf, 0.0)
        cost = np.r_[np.zeros(g), np.ones(c)]
    else:
        rows = LinearConstraint(np.hstack([d, -np.diag(STRICT_LEAD - dmin)]), dmin, np.inf)
        cost = np.r_[np.zeros(g), -np.ones(c)]
    res = milp(cost, constraints=[sum_one, rows, *cuts], integrality=np.r_[np.zeros(g), np.ones(c)],
               bounds=Bounds(np.r_[np.full(g, lo), np.zeros(c)],
                             np.r_[np.full(g, hi), np.ones(c)]))
    if res.status != 0 or res.x is None:
        args = {"where": where, "name": city[0], "city": city[1], "error": str(res.message),
                "status": res.status}
        raise RobustnessError(
            msg("{where}: the solver could not find the best rank of {name} ({city}): {error} "
                "(status {status})", **args) if minimise else
            msg("{where}: the solver could not find the worst rank of {name} ({city}): {error} "
                "(status {status})", **args))
    w = np.clip(res.x[:g], lo, hi)
    return w / w.sum()
