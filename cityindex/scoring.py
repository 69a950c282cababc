"""Vectorised building blocks of the scoring engine: scaling, weighted aggregation, ranking.

All functions work on whole (cities x indicators) arrays at once; none loops over cities or
indicators in Python, so that scoring 11,000 municipalities x 500 indicators stays fast.
"""

from __future__ import annotations

import warnings

import numpy as np

SCALINGS = ("minmax", "share_of_best")


def scale(values: np.ndarray, direction: np.ndarray, how: str = "minmax") -> np.ndarray:
    """Scale every indicator (column) to 0–100 relative to the cities.

    - ``minmax`` (min-max normalisation): the best city scores 100 and the worst 0 (direction
      respected); a column in which every city has the same value scores 100 for all (nobody
      is behind; the hierarchical methods give such a column no weight, see
      :func:`informative`).
    - ``share_of_best``: a city scores its value as a share of the best value: ``100·v/max``
      where higher is better, ``100·min/v`` where lower is better (a value of 0 is then the best
      possible and scores 100). Negative values cannot be shares: they fall back to ``minmax``.

    Missing values (NaN) stay missing. ``values``: shape ``(cities, indicators)``;
    ``direction``: shape ``(indicators,)``, +1 where higher is better, -1 where lower is. Returns
    points 0–100 of the same shape. Raises ``ValueError`` for an unknown ``how``. Source: OECD/JRC
    (2008), Handbook on Constructing Composite Indicators, section 5 (normalisation).
    """
    if how not in SCALINGS:
        raise ValueError(f"unknown scaling {how!r}; choose one of {', '.join(SCALINGS)}")
    values = np.asarray(values, dtype=float)
    direction = np.asarray(direction)
    if values.shape[0] == 0 or values.shape[1] == 0:
        return values.copy()
    present = ~np.isnan(values)
    any_present = present.any(axis=0)
    big = np.where(present, values, -np.inf).max(axis=0)
    small = np.where(present, values, np.inf).min(axis=0)
    big = np.where(any_present, big, np.nan)
    small = np.where(any_present, small, np.nan)
    span = big - small
    higher = direction >= 0
    with np.errstate(invalid="ignore", divide="ignore"):
        minmax = np.where(higher, values - small, big - values) / span * 100.0
        minmax = np.where(span == 0, np.where(present, 100.0, np.nan), minmax)
        if how == "minmax":
            return minmax
        share = np.where(higher, values / big, np.where(values == 0, 1.0, small / values)) * 100
        share = np.where(higher & (big == 0), np.where(present, 100.0, np.nan), share)
        usable = small >= 0
        return np.where(usable, share, minmax)


def membership(groups: np.ndarray, n_groups: int, weights: np.ndarray) -> np.ndarray:
    """An (items x groups) matrix holding each item's weight in the column of its group."""
    m = np.zeros((len(groups), n_groups))
    m[np.arange(len(groups)), groups] = weights
    return m


def weighted_group_mean(
    scores: np.ndarray,
    groups: np.ndarray,
    n_groups: int,
    weights: np.ndarray,
    missing: str = "skip",
) -> np.ndarray:
    """Weighted mean of the columns of ``scores`` within each group, for every row.

    ``missing="skip"`` leaves a missing score out and renormalises the weights of the present
    ones (a group with nothing present is missing); ``missing="zero"`` counts it as 0.
    """
    present = ~np.isnan(scores)
    filled = np.where(present, scores, 0.0)
    m = membership(groups, n_groups, weights)
    numerator = filled @ m
    if missing == "zero":
        denominator = np.broadcast_to(m.sum(axis=0), numerator.shape)
    elif missing == "skip":
        denominator = present.astype(float) @ m
    else:
        raise ValueError(f"unknown missing-value policy {missing!r}")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / denominator, np.nan)


def weighted_mean(scores: np.ndarray, weights: np.ndarray, missing: str = "skip") -> np.ndarray:
    """Weighted mean across the columns of ``scores`` (one group holding every column)."""
    groups = np.zeros(scores.shape[1], dtype=int)
    return weighted_group_mean(scores, groups, 1, weights, missing)[:, 0]


def weighted_geometric_mean(
    scores: np.ndarray, weights: np.ndarray, floor: float = 1.0
) -> np.ndarray:
    """Weighted geometric mean across the columns of ``scores`` ``(n, c)``, shape ``(n,)``.

    ``exp(Σ w·log(max(score, floor)) / Σ w)`` over the present (non-NaN) columns of each row
    (missing ones are left out and the weights renormalised; a row with nothing present is
    NaN). ``floor`` > 0 keeps a single 0 from zeroing the mean. Source: OECD/JRC (2008),
    Handbook on Constructing Composite Indicators, section 6.2 (geometric aggregation).
    """
    if not floor > 0:
        raise ValueError(f"the floor of a geometric mean must be positive, not {floor!r}")
    scores = np.asarray(scores, dtype=float)
    present = ~np.isnan(scores)
    logs = np.log(np.maximum(np.where(present, scores, floor), floor))
    wp = np.where(present, np.asarray(weights, dtype=float), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.exp((logs * wp).sum(axis=1) / wp.sum(axis=1))


def normalised(weights: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Each weight divided by the sum of the weights in its group (0 where that sum is 0)."""
    sums = np.bincount(groups, weights=weights, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sums[groups] > 0, weights / sums[groups], 0.0)


def informative(values: np.ndarray) -> np.ndarray:
    """Which indicators (columns) vary: at least two distinct values among the cities that
    have one. Shape ``(indicators,)``, bool.

    An indicator on which every city with a value is equal carries no information about their
    relative position; the built-in hierarchical methods give it no weight (see
    :func:`cityindex.hierarchy.indicator_weights`), so that it changes no city's relative
    position, whatever the missing-value policy.
    """
    values = np.asarray(values, dtype=float)
    if values.shape[0] == 0:
        return np.zeros(values.shape[1], dtype=bool)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        return np.nanmax(values, axis=0) > np.nanmin(values, axis=0)


def offer_scores(values: np.ndarray, kind: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Scale online-service indicators to "how much of the service a city offers", 0–100.

    A ``yes_no`` value counts 100 when offered (1) and 0 when not; a ``share`` (0–100) counts
    its share; any other kind its min-max position between the worst and the best city.
    Missing values stay missing. Shape as ``values``. Used by ``service_coverage``.
    """
    values = np.asarray(values, dtype=float)
    kind = np.asarray(kind)
    out = scale(values, direction, "minmax")
    out = np.where(kind == "yes_no", values * 100.0, out)
    return np.where(kind == "share", values, out)


def rank_descending(scores: np.ndarray, decimals: int = 9) -> np.ndarray:
    """Competition ranks, best first; ties share the better rank (1, 2, 2, 4).

    Scores are compared after rounding to ``decimals`` places so that floating-point noise
    does not split a tie. A missing score (NaN) gets no rank: NaN in the float array returned
    (the engine shows it as *unranked*, never as rank 0).
    """
    scores = np.asarray(scores, dtype=float)
    ranks = np.full(len(scores), np.nan)
    present = ~np.isnan(scores)
    if not present.any():
        return ranks
    key = np.round(scores[present], decimals)
    order = np.sort(-key)
    ranks[present] = np.searchsorted(order, -key, side="left") + 1
    return ranks
