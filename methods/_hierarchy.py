"""Weighted aggregation up the area → category → indicator hierarchy, shared by the
hierarchical built-in methods."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cityindex import EditionData
from cityindex.scoring import normalised, weighted_group_mean, weighted_mean


@dataclass(frozen=True)
class Aggregated:
    categories: np.ndarray  # cities x categories
    areas: np.ndarray  # cities x areas
    total: np.ndarray  # cities
    weights: np.ndarray  # effective weight of every indicator in the total


def aggregate(
    data: EditionData, scores: np.ndarray, *, missing: str, projects_bonus: float
) -> Aggregated:
    """Indicator scores → weighted category means → weighted area means (+ projects bonus)
    → weighted mean of the areas."""
    n_cat, n_area = len(data.category_ids), len(data.area_ids)
    categories = weighted_group_mean(
        scores, data.indicator_category, n_cat, data.indicator_weight, missing
    )
    core_weight = np.where(data.category_projects, 0.0, data.category_weight)
    areas = weighted_group_mean(categories, data.category_area, n_area, core_weight, missing)
    project_weight = np.where(data.category_projects, data.category_weight, 0.0)
    has_projects = np.bincount(data.category_area, project_weight, minlength=n_area) > 0
    if has_projects.any() and projects_bonus > 0:
        projects = weighted_group_mean(
            categories, data.category_area, n_area, project_weight, "skip"
        )
        bonus = projects_bonus * np.nan_to_num(projects, nan=0.0)
        areas = np.where(has_projects, np.minimum(100.0, areas + bonus), areas)
    total = weighted_mean(areas, data.area_weight, missing)

    # Effective weights: the product of the normalised weights along the path to the total.
    w_ind = normalised(data.indicator_weight, data.indicator_category, n_cat)
    w_core = normalised(core_weight, data.category_area, n_area)
    w_proj = normalised(project_weight, data.category_area, n_area) * projects_bonus
    w_area = normalised(data.area_weight, np.zeros(n_area, dtype=int), 1)
    w_cat = np.where(data.category_projects, w_proj, w_core) * w_area[data.category_area]
    weights = w_ind * w_cat[data.indicator_category]
    return Aggregated(categories, areas, total, weights)
