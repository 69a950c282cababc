"""Vectorised building blocks of the scoring engine: scaling, weighted aggregation, ranking.

All functions work on whole (cities x indicators) arrays at once; none loops over cities or
indicators in Python, so that scoring 11,000 municipalities x 500 indicators stays fast.
"""

from __future__ import annotations

import numpy as np

SCALINGS = ("minmax", "share_of_best")


def scale(values: np.ndarray, direction: np.ndarray, how: str = "minmax") -> np.ndarray:
    """Scale every indicator (column) to 0–100 relative to the cities.

    - ``minmax``: the best city scores 100 and the worst 0 (direction respected); a column in
      which every city has the same value scores 100 for all (nobody is behind).
    - ``share_of_best``: a city scores its value as a share of the best value: ``100·v/max``
      where higher is better, ``100·min/v`` where lower is better (a value of 0 is then the best
      possible and scores 100). Negative values cannot be shares: they fall back to ``minmax``.

    Missing values (NaN) stay missing.
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


def normalised(weights: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Each weight divided by the sum of the weights in its group (0 where that sum is 0)."""
    sums = np.bincount(groups, weights=weights, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sums[groups] > 0, weights / sums[groups], 0.0)


def rank_descending(scores: np.ndarray, decimals: int = 9) -> np.ndarray:
    """Competition ranks, best first; ties share the better rank (1, 2, 2, 4).

    Scores are compared after rounding to ``decimals`` places so that floating-point noise
    does not split a tie. Missing scores get no rank (0).
    """
    scores = np.asarray(scores, dtype=float)
    ranks = np.zeros(len(scores), dtype=np.int64)
    present = ~np.isnan(scores)
    if not present.any():
        return ranks
    key = np.round(scores[present], decimals)
    order = np.sort(-key)
    ranks[present] = np.searchsorted(order, -key, side="left") + 1
    return ranks
