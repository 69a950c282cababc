"""The area → category → indicator hierarchy as public building blocks for scoring methods.

The built-in ``bitkom``, ``geometric`` and (through :func:`indicator_weights`) ``equal_weights``
methods are made of exactly these functions; a plugin that wants "the Bitkom hierarchy, but
aggregated differently" calls them too::

    from cityindex.hierarchy import aggregate
    from cityindex.scoring import scale

    scores = scale(data.values, data.direction, "minmax")      # cities x indicators, 0–100
    h = aggregate(data, scores, missing="skip", projects_bonus=0.05)
    total = np.nanmin(h.areas, axis=1)                          # e.g. the weakest area

Shapes: ``n`` cities, ``m`` indicators, ``k`` categories, ``a`` areas, as in
:class:`~cityindex.EditionData`. Scores are points 0–100; NaN marks a missing score.

**The rules** (Bitkom's published methodology as far as it is known; Bitkom e.V., Smart City
Index 2021 and 2023 reports):

1. A category's score is the weighted arithmetic mean of its indicators' scores (indicator
   weights from ``indicators.csv``).
2. An area's score is the weighted arithmetic mean of its *core* categories (category weights);
   categories flagged ``projects`` ("innovative projects", 2021) are not averaged in: their
   weighted mean, times ``projects_bonus``, is added on top as a bonus of up to that share of
   the points, and the area score is capped at 100.
3. The total is the weighted arithmetic mean of the area scores (area weights; Bitkom: the
   plain mean of the five areas).
4. ``missing="skip"`` leaves a missing score out and renormalises its siblings' weights (a
   group with nothing present is missing); ``missing="zero"`` counts it as 0 points.
5. An indicator without variation (every city that has a value has the same one, see
   :func:`cityindex.scoring.informative`) gets weight 0, and so does a category or area left
   with no weight: it carries no information about the cities' relative positions.

Every function accepts weight overrides (``indicator_weights``, ``category_weights``,
``area_weights``: non-negative arrays of shape ``(m,)``, ``(k,)``, ``(a,)``; only their ratios
within a group matter), so that a method can re-weight the hierarchy without copying it.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from cityindex.dataset import EditionData
from cityindex.messages import joined, msg
from cityindex.scoring import informative, normalised, weighted_group_mean, weighted_mean

MISSING_POLICIES = ("skip", "zero")


@dataclass(frozen=True)
class Hierarchy:
    """Scores at every level of the hierarchy, and the effective indicator weights.

    - ``categories``: shape ``(n, k)``, points; NaN where a city has no score in a category;
    - ``areas``: shape ``(n, a)``, points, after the projects bonus;
    - ``total``: shape ``(n,)``, the weighted arithmetic mean of the areas;
    - ``weights``: shape ``(m,)``, the effective weight of every indicator in ``total``
      (see :func:`effective_weights`).
    """

    categories: np.ndarray
    areas: np.ndarray
    total: np.ndarray
    weights: np.ndarray


def indicator_weights(
    data: EditionData, scores: np.ndarray | None = None, weights: np.ndarray | None = None
) -> np.ndarray:
    """The indicator weights to aggregate with, shape ``(m,)``: ``weights`` (default: the
    catalogue's ``data.indicator_weight``), with 0 for every indicator without variation in
    ``scores`` (default: ``data.values``)."""
    w = np.asarray(data.indicator_weight if weights is None else weights, dtype=float)
    varies = informative(data.values if scores is None else scores)
    return np.where(varies, w, 0.0)


def _group_has_weight(groups: np.ndarray, weights: np.ndarray, n_groups: int) -> np.ndarray:
    return np.bincount(groups, weights=weights, minlength=n_groups) > 0


def _category_weights(data: EditionData, ind_w: np.ndarray, weights) -> np.ndarray:
    w = np.asarray(data.category_weight if weights is None else weights, dtype=float)
    alive = _group_has_weight(data.indicator_category, ind_w, len(data.category_ids))
    return np.where(alive, w, 0.0)


def category_scores(
    data: EditionData,
    scores: np.ndarray,
    *,
    missing: str = "skip",
    indicator_weights: np.ndarray | None = None,
) -> np.ndarray:
    """Rule 1: indicator scores ``(n, m)`` → category scores ``(n, k)``.

    ``indicator_weights`` defaults to :func:`indicator_weights` of ``scores``. Raises
    ``ValueError`` for an unknown ``missing`` policy.
    """
    w = _indicator_w(data, scores, indicator_weights)
    return weighted_group_mean(
        np.asarray(scores, dtype=float), data.indicator_category, len(data.category_ids), w,
        _policy(missing),
    )


def area_scores(
    data: EditionData,
    categories: np.ndarray,
    *,
    missing: str = "skip",
    projects_bonus: float = 0.0,
    category_weights: np.ndarray | None = None,
) -> np.ndarray:
    """Rule 2: category scores ``(n, k)`` → area scores ``(n, a)``, with the projects bonus.

    ``projects_bonus`` is a share (0.05 = up to 5 % of an area's points); the bonus of an area
    is ``projects_bonus ×`` the weighted mean of its projects categories that have a score
    (missing ones are left out and the rest reweighted; no bonus where all are missing), and
    the area score is capped at 100. A category with no score for any city (every
    indicator without weight) is left out of its area.
    """
    categories = np.asarray(categories, dtype=float)
    n_area = len(data.area_ids)
    w = np.asarray(data.category_weight if category_weights is None else category_weights,
                   dtype=float)
    w = np.where(np.isnan(categories).all(axis=0), 0.0, w) if len(categories) else w
    core = np.where(data.category_projects, 0.0, w)
    areas = weighted_group_mean(categories, data.category_area, n_area, core, _policy(missing))
    project_w = np.where(data.category_projects, w, 0.0)
    has_projects = _group_has_weight(data.category_area, project_w, n_area)
    if has_projects.any() and projects_bonus > 0:
        projects = weighted_group_mean(categories, data.category_area, n_area, project_w, "skip")
        bonus = projects_bonus * np.nan_to_num(projects, nan=0.0)
        areas = np.where(has_projects, np.minimum(100.0, areas + bonus), areas)
    return areas


def total_score(
    data: EditionData,
    areas: np.ndarray,
    *,
    missing: str = "skip",
    area_weights: np.ndarray | None = None,
) -> np.ndarray:
    """Rule 3: area scores ``(n, a)`` → total ``(n,)``, the weighted arithmetic mean. An area
    with no score for any city is left out."""
    areas = np.asarray(areas, dtype=float)
    w = np.asarray(data.area_weight if area_weights is None else area_weights, dtype=float)
    w = np.where(np.isnan(areas).all(axis=0), 0.0, w) if len(areas) else w
    return weighted_mean(areas, w, _policy(missing))


def effective_weights(
    data: EditionData,
    *,
    projects_bonus: float = 0.0,
    indicator_weights: np.ndarray | None = None,
    category_weights: np.ndarray | None = None,
    area_weights: np.ndarray | None = None,
    scores: np.ndarray | None = None,
) -> np.ndarray:
    """The effective weight of every indicator in the total, shape ``(m,)``.

    The product of the normalised weights along the path indicator → category → area → total:
    how many points the total gains when that indicator's score gains one, for a city with
    every value present. Without a projects bonus the weights sum to 1; the bonus adds
    ``projects_bonus ×`` the area's share of the total for the projects indicators, on top
    (ignoring the cap at 100). Indicators without variation in ``scores`` get 0.
    """
    n_cat, n_area = len(data.category_ids), len(data.area_ids)
    ind_w = _indicator_w(data, scores, indicator_weights)
    cat_w = _category_weights(data, ind_w, category_weights)
    core = np.where(data.category_projects, 0.0, cat_w)
    project = np.where(data.category_projects, cat_w, 0.0)
    area_w = np.asarray(data.area_weight if area_weights is None else area_weights, dtype=float)
    area_w = np.where(_group_has_weight(data.category_area, core, n_area), area_w, 0.0)

    w_ind = normalised(ind_w, data.indicator_category, n_cat)
    w_core = normalised(core, data.category_area, n_area)
    w_proj = normalised(project, data.category_area, n_area) * projects_bonus
    w_area = normalised(area_w, np.zeros(n_area, dtype=int), 1)
    w_cat = np.where(data.category_projects, w_proj, w_core) * w_area[data.category_area]
    return w_ind * w_cat[data.indicator_category]


def aggregate(
    data: EditionData,
    scores: np.ndarray,
    *,
    missing: str = "skip",
    projects_bonus: float = 0.0,
    indicator_weights: np.ndarray | None = None,
    category_weights: np.ndarray | None = None,
    area_weights: np.ndarray | None = None,
) -> Hierarchy:
    """Rules 1–5 in one call: indicator scores ``(n, m)`` → :class:`Hierarchy`.

    This is the whole aggregation of the ``bitkom`` method; ``scores`` usually come from
    :func:`cityindex.scoring.scale`. Raises ``ValueError`` for an unknown ``missing`` policy.
    """
    scores = np.asarray(scores, dtype=float)
    ind_w = _indicator_w(data, scores, indicator_weights)
    cat_w = _category_weights(data, ind_w, category_weights)
    categories = category_scores(data, scores, missing=missing, indicator_weights=ind_w)
    areas = area_scores(data, categories, missing=missing, projects_bonus=projects_bonus,
                        category_weights=cat_w)
    total = total_score(data, areas, missing=missing, area_weights=area_weights)
    weights = effective_weights(
        data, projects_bonus=projects_bonus, indicator_weights=ind_w, category_weights=cat_w,
        area_weights=area_weights, scores=scores,
    )
    return Hierarchy(categories, areas, total, weights)


class WeightError(ValueError):
    """Weights that cannot be used: an unknown id, a negative or non-finite weight, or a level
    left with nothing to average."""


def reweight(data: EditionData, weights: Mapping[str, float] | None) -> EditionData:
    """``data`` with some area, category or indicator weights replaced (a copy; ``data`` is
    unchanged).

    ``weights`` maps ids of the edition's areas, categories or indicators to non-negative
    weights; only ratios within a group matter (the OECD Better Life Index's 0–10 per area
    works as is). Raises :class:`WeightError` naming every unknown id (with the known ones),
    every negative or non-finite weight, and any area whose categories, or the whole set of
    areas, would be left with no weight.
    """
    if not weights:
        return data
    levels = {
        "area": (data.area_ids, np.array(data.area_weight, dtype=float)),
        "category": (data.category_ids, np.array(data.category_weight, dtype=float)),
        "indicator": (data.indicator_ids, np.array(data.indicator_weight, dtype=float)),
    }
    problems = []
    for key, value in weights.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(msg("weight {key}={value!r} is not a number", key=key,
                                value=value))
            continue
        if not math.isfinite(number) or number < 0:
            problems.append(msg("weight {key}={value!r} must be a finite number ≥ 0", key=key,
                                value=value))
            continue
        for ids, arr in levels.values():
            hits = np.flatnonzero(ids == key)
            if len(hits):
                arr[hits[0]] = number
                break
        else:
            known = [str(i) for ids, _ in levels.values() for i in ids]
            close = _id_by_name(data, str(key)) or difflib.get_close_matches(str(key), known,
                                                                             n=1)
            hint = msg("did you mean {near!r}?", near=close[0]) if close else msg(
                "areas: {areas}", areas=", ".join(map(str, data.area_ids)))
            problems.append(msg("{key!r} is no area, category or indicator of edition "
                                "{edition} ({hint})", key=key, edition=data.edition,
                                hint=hint))
    area_w = levels["area"][1]
    cat_w = levels["category"][1]
    if not problems:
        if area_w.sum() <= 0:
            problems.append(msg("every area weight is 0: nothing is left to average"))
        core = np.where(data.category_projects, 0.0, cat_w)
        alive = _group_has_weight(data.category_area, core, len(data.area_ids))
        for j in np.flatnonzero((area_w > 0) & ~alive):
            problems.append(msg("area {area!r} has weight but all its categories weigh 0: "
                                "give one a weight or the area weight 0",
                                area=data.area_ids[j]))
    if problems:
        raise WeightError(joined(problems))
    return replace(data, area_weight=area_w, category_weight=cat_w,
                   indicator_weight=levels["indicator"][1])


def _id_by_name(data: EditionData, text: str) -> list[str]:
    """The id of the area or category whose German or English name is ``text``."""
    wanted = text.strip().casefold()
    for table in (data.catalogue.areas, data.catalogue.categories):
        for column in ("name_de", "name_en"):
            if column in table:
                hits = table.index[table[column].astype(str).str.casefold() == wanted]
                if len(hits):
                    return [str(hits[0])]
    return []


def _indicator_w(data, scores, weights) -> np.ndarray:
    # The functions above have a parameter called indicator_weights, which hides the function.
    return indicator_weights(data, scores, weights)


def _policy(missing: str) -> str:
    if missing not in MISSING_POLICIES:
        raise ValueError(f"unknown missing-value policy {missing!r}; choose skip or zero")
    return missing
