"""Equal weights: every indicator counts the same, whatever its area or category."""

from __future__ import annotations

import numpy as np

from cityindex import EditionData, Method, MethodOutput, hookimpl
from cityindex.hierarchy import indicator_weights
from cityindex.method import MISSING_SKIP_OR_ZERO, SCALING_PARAMETER
from cityindex.scoring import scale, weighted_group_mean, weighted_mean


class EqualWeights(Method):
    name = "equal_weights"
    title = "Equal weights"
    description = (
        "Every indicator is scaled 0–100 within the edition (best city 100, worst 0) and the "
        "total is the plain mean of all indicator scores: an area with many indicators weighs "
        "more than one with few, and the published category and area weights play no part. "
        "Area and category scores are the plain means of their indicators, for orientation. "
        "A baseline for asking how much a rank owes to Bitkom's weighting."
    )
    title_de = "Gleiche Gewichte"
    description_de = (
        "Jeder Parameter wird innerhalb der Ausgabe auf 0–100 skaliert (beste Stadt 100, "
        "schwächste 0), und die Gesamtpunktzahl ist das einfache Mittel aller Parameter: Ein "
        "Bereich mit vielen Parametern zählt mehr als einer mit wenigen, die Gewichte der "
        "Kategorien und Bereiche spielen keine Rolle. Bereichs- und Kategoriewerte sind die "
        "einfachen Mittel ihrer Parameter. Eine Vergleichsbasis für die Frage, wie viel ein "
        "Rang Bitkoms Gewichtung verdankt."
    )
    citation = (
        "OECD/JRC (2008): Handbook on Constructing Composite Indicators, section 6 "
        "(equal weighting); COINr's flat arithmetic mean."
    )
    citation_de = (
        "OECD/JRC (2008): Handbook on Constructing Composite Indicators, Abschnitt 6 "
        "(gleiche Gewichte); das einfache arithmetische Mittel von COINr."
    )
    parameters = (
        SCALING_PARAMETER,
        MISSING_SKIP_OR_ZERO,
    )
    requires = frozenset({"indicator_values"})
    missing_policy = (
        "A missing value is left out of the mean (missing=zero counts it as 0 points). An "
        "indicator on which all cities are equal gets no weight."
    )
    missing_policy_de = (
        "Ein fehlender Wert wird aus dem Mittel ausgelassen (mit „Fehlende Werte: als 0 Punkte "
        "zählen“ zählt er 0 Punkte). Ein Parameter, in dem alle Städte gleich sind, erhält "
        "kein Gewicht."
    )

    def score(self, data: EditionData, params) -> MethodOutput:
        scores = scale(data.values, data.direction, params["scaling"])
        missing = params["missing"]
        # Equal weights for every indicator that varies (one without variation gets none).
        ones = indicator_weights(data, scores, np.ones(scores.shape[1]))
        total = weighted_mean(scores, ones, missing)
        categories = weighted_group_mean(
            scores, data.indicator_category, len(data.category_ids), ones, missing
        )
        indicator_area = data.category_area[data.indicator_category]
        areas = weighted_group_mean(scores, indicator_area, len(data.area_ids), ones, missing)
        weights = ones / ones.sum() if ones.sum() > 0 else ones
        return MethodOutput(total=total, weights=weights, areas=areas, categories=categories)


@hookimpl
def cityindex_register_methods(register):
    register(EqualWeights())
