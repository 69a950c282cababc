"""Copeland: pairwise majority over the areas, a non-compensatory ranking."""

from __future__ import annotations

import numpy as np
from cityindex.methods.bitkom import Bitkom, bitkom_hierarchy

from cityindex import EditionData, Method, MethodOutput, hookimpl


class Copeland(Method):
    name = "copeland"
    title = "Copeland: pairwise majority over the areas"
    description = (
        "The area scores are computed as in the bitkom method. Then every pair of cities is "
        "compared area by area: a city beats another when it is better in areas of more "
        "weight than those it is worse in (with the area weights; equal weights: in more "
        "areas). The total is the Copeland score: +1 for every city it beats, −1 for every "
        "city that beats it, 0 for a draw — from −(n−1) to n−1, not points. How much better "
        "a city is in an area does not matter, only that it is: a large lead in one area "
        "cannot make up for trailing in the others (no compensation)."
    )
    title_de = "Copeland: paarweise Mehrheit über die Bereiche"
    description_de = (
        "Die Bereichswerte entstehen wie bei der Bitkom-Methode. Dann wird jedes Städtepaar "
        "Bereich für Bereich verglichen: Eine Stadt schlägt eine andere, wenn sie in Bereichen "
        "mit mehr Gewicht besser ist als in denen, in denen sie schlechter ist (bei gleichen "
        "Gewichten: in mehr Bereichen). Die Gesamtzahl ist der Copeland-Wert: +1 für jede "
        "geschlagene Stadt, −1 für jede, die sie schlägt, 0 bei Gleichstand — von −(n−1) bis "
        "n−1, keine Punkte. Wie groß der Vorsprung in einem Bereich ist, zählt nicht: Ein "
        "großer Vorsprung in einem Bereich gleicht Rückstände in den anderen nicht aus."
    )
    citation = (
        "Copeland, A. H. (1951): A 'reasonable' social welfare function, Seminar on "
        "Mathematics in Social Sciences, University of Michigan; Munda, G. & Nardo, M. (2009): "
        "Noncompensatory/nonlinear composite indicators for ranking countries: a defensible "
        "setting, Applied Economics 41(12), 1513–1523, doi:10.1080/00036840601019364."
    )
    parameters = Bitkom.parameters
    requires = frozenset({"indicator_values", "hierarchy"})
    missing_policy = (
        "Area scores as in bitkom. A pair of cities is compared only on the areas both have a "
        "score in; a city with no area score at all is not ranked."
    )
    missing_policy_de = (
        "Bereichswerte wie bei der Bitkom-Methode. "
        "Zwei Städte werden nur in den Bereichen verglichen, "
        "in denen beide einen Wert haben; eine Stadt ohne jeden Bereichswert erhält keinen "
        "Rang."
    )

    def score(self, data: EditionData, params) -> MethodOutput:
        agg = bitkom_hierarchy(data, params)
        total = copeland_scores(agg.areas, data.area_weight)
        return MethodOutput(total=total, weights=agg.weights, areas=agg.areas,
                            categories=agg.categories)


def copeland_scores(areas: np.ndarray, weights: np.ndarray, decimals: int = 9) -> np.ndarray:
    """Copeland scores of the rows of ``areas`` ``(n, a)`` under area ``weights`` ``(a,)``.

    City *i* beats *j* when the weight of the areas where *i* is better exceeds the weight of
    those where it is worse (both scored; scores compared after rounding to ``decimals``).
    Score = wins − losses, shape ``(n,)``; NaN for a city without any area score.
    """
    areas = np.round(np.asarray(areas, dtype=float), decimals)
    w = np.asarray(weights, dtype=float)
    both = ~np.isnan(areas)[:, None, :] & ~np.isnan(areas)[None, :, :]
    with np.errstate(invalid="ignore"):
        better = (areas[:, None, :] > areas[None, :, :]) & both
        worse = (areas[:, None, :] < areas[None, :, :]) & both
    margin = better @ w - worse @ w
    total = np.sign(np.round(margin, decimals)).sum(axis=1)
    return np.where(np.isnan(areas).all(axis=1), np.nan, total.astype(float))


@hookimpl
def cityindex_register_methods(register):
    register(Copeland())
