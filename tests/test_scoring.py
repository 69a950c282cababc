"""The numeric building blocks, on arrays small enough to check by hand."""

from __future__ import annotations

import numpy as np
import pytest

from cityindex.engine import kendall_tau_b, spearman
from cityindex.scoring import rank_descending, scale, weighted_group_mean

nan = np.nan


def test_minmax_respects_direction_and_keeps_missing():
    values = np.array([[10.0, 1.0], [20.0, nan], [30.0, 5.0]])
    got = scale(values, np.array([1, -1]))
    np.testing.assert_allclose(got, [[0, 100], [50, nan], [100, 0]])


def test_constant_indicator_scores_100_for_everyone():
    got = scale(np.array([[3.0], [3.0], [nan]]), np.array([1]))
    np.testing.assert_allclose(got, [[100], [100], [nan]])


def test_share_of_best():
    values = np.array([[10.0, 2.0, -1.0], [40.0, 4.0, 1.0], [0.0, 0.0, 3.0]])
    got = scale(values, np.array([1, -1, 1]), "share_of_best")
    # col 1: v/max; col 2: lower is better, 0 is the best possible -> 100, else min/v = 0;
    # col 3 has a negative value: falls back to min-max
    np.testing.assert_allclose(got, [[25, 0, 0], [100, 0, 50], [0, 100, 100]])
    with pytest.raises(ValueError, match="unknown scaling"):
        scale(values, np.array([1, 1, 1]), "zscore")


def test_weighted_group_mean_skip_and_zero():
    scores = np.array([[100.0, 0.0, 50.0], [nan, 60.0, nan]])
    groups = np.array([0, 0, 1])
    weights = np.array([1.0, 3.0, 1.0])
    skip = weighted_group_mean(scores, groups, 2, weights, "skip")
    np.testing.assert_allclose(skip, [[25, 50], [60, nan]])
    zero = weighted_group_mean(scores, groups, 2, weights, "zero")
    np.testing.assert_allclose(zero, [[25, 50], [45, 0]])


def test_ranks_share_the_better_rank_and_ignore_float_noise():
    scores = np.array([70.0, 80.0, 80.0, 60.0, 0.1 + 0.2, 0.3, nan])
    ranks = rank_descending(scores)
    assert ranks[:6].tolist() == [3, 1, 1, 4, 5, 5]
    assert np.isnan(ranks[6])  # no score, no rank (never rank 0)


def test_rank_correlations():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert spearman(x, x) == pytest.approx(1.0)
    assert spearman(x, -x) == pytest.approx(-1.0)
    # one swapped neighbour pair: Spearman 1 - 6*2/(4*15) = 0.8; Kendall (5-1)/6
    y = np.array([2.0, 1.0, 3.0, 4.0])
    assert spearman(x, y) == pytest.approx(0.8)
    assert kendall_tau_b(x, y) == pytest.approx(4 / 6)
    # tau-b with a tie in y: pairs 6, concordant 5, tied-in-y 1 -> 5/sqrt(6*5)
    assert kendall_tau_b(x, np.array([1.0, 1.0, 3.0, 4.0])) == pytest.approx(5 / np.sqrt(30))
    # blocks give the same answer as one pass
    rng = np.random.default_rng(0)
    a, b = rng.random(300), rng.random(300)
    assert kendall_tau_b(a, b, block=7) == pytest.approx(kendall_tau_b(a, b))
