"""Data-driven area weights from the first principal component of the area scores."""

from __future__ import annotations

import numpy as np
from cityindex.methods.bitkom import Bitkom, bitkom_hierarchy

from cityindex import EditionData, Method, MethodOutput, hookimpl
from cityindex.hierarchy import effective_weights, total_score
from cityindex.scoring import scale


class PcaWeights(Method):
    name = "pca_weights"
    title = "Area weights from the first principal component"
    description = (
        "The area scores are computed as in the bitkom method; the area weights then come "
        "from the data: the area scores are standardised across the cities with a score in "
        "every area (mean 0, sd 1), the first principal component of their correlation matrix "
        "is taken, its loadings are given the sign that makes their sum positive, negative "
        "loadings are set to 0, and each area's weight is its squared loading divided by the "
        "sum of the squared loadings. The total is the weighted mean of the area scores with "
        "these weights. Areas that move together with the others weigh more; an area "
        "unrelated to the rest weighs little. The weights change with every edition's data."
    )
    title_de = "Bereichsgewichte aus der ersten Hauptkomponente"
    description_de = (
        "Die Bereichswerte entstehen wie bei der Bitkom-Methode; die Bereichsgewichte kommen "
        "aus den Daten: Die Bereichswerte der Städte mit Werten in allen Bereichen werden "
        "standardisiert (Mittel 0, Standardabweichung 1), die erste Hauptkomponente ihrer "
        "Korrelationsmatrix bestimmt, ihr Vorzeichen so gewählt, dass die Ladungen in der "
        "Summe positiv sind, negative Ladungen auf 0 gesetzt, und das Gewicht eines Bereichs "
        "ist seine quadrierte Ladung geteilt durch die Summe der quadrierten Ladungen. Die "
        "Gesamtpunktzahl ist das gewichtete Mittel der Bereiche. Bereiche, die mit den "
        "anderen gleichlaufen, zählen mehr; die Gewichte ändern sich mit jeder Ausgabe."
    )
    citation = (
        "OECD/JRC (2008): Handbook on Constructing Composite Indicators. Methodology and User "
        "Guide, OECD Publishing, section 6.1 (weights from principal components / factor "
        "analysis: squared loadings scaled to unity), doi:10.1787/9789264043466-en."
    )
    citation_de = (
        "OECD/JRC (2008): Handbook on Constructing Composite Indicators. Methodology and User "
        "Guide, OECD Publishing, Abschnitt 6.1 (Gewichte aus Hauptkomponenten bzw. "
        "Faktorenanalyse: quadrierte Ladungen, auf die Summe 1 skaliert), "
        "doi:10.1787/9789264043466-en."
    )
    parameters = Bitkom.parameters
    requires = frozenset({"indicator_values", "hierarchy"})
    missing_policy = (
        "Area scores as in bitkom. The weights are estimated from the cities with a score in "
        "every area; the total of a city with a missing area is the weighted mean of its "
        "other areas (missing=zero: counts it as 0)."
    )
    missing_policy_de = (
        "Bereichswerte wie bei der Bitkom-Methode. "
        "Die Gewichte werden aus den Städten mit einem Wert "
        "in jedem Bereich geschätzt; die Gesamtpunktzahl einer Stadt mit fehlendem Bereich ist "
        "das gewichtete Mittel ihrer übrigen Bereiche (mit „Fehlende Werte: als 0 Punkte "
        "zählen“ zählt er 0 Punkte)."
    )

    def score(self, data: EditionData, params) -> MethodOutput:
        # The area weights change only the last step: categories and areas are bitkom's.
        nominal = bitkom_hierarchy(data, params)
        w = first_component_weights(nominal.areas)
        total = total_score(data, nominal.areas, missing=params["missing"], area_weights=w)
        weights = effective_weights(data, projects_bonus=params["projects_bonus"],
                                    area_weights=w, scores=scale(data.values, data.direction,
                                                                 params["scaling"]))
        return MethodOutput(total=total, weights=weights, areas=nominal.areas,
                            categories=nominal.categories)


def first_component_weights(areas: np.ndarray) -> np.ndarray:
    """Area weights ``(a,)`` summing to 1 from the first principal component of ``areas``
    ``(n, a)`` (rows with a NaN left out, each column standardised with its sample sd).

    Sign convention: the loadings are flipped so that their sum is positive (on a zero sum,
    so that the first non-zero loading is); negative loadings are then clipped to 0, and the
    weights are the squared loadings over their sum. A column without variation gets weight
    0. With fewer than three complete rows, or no usable column, every area gets the same
    weight. Raises nothing. Source: OECD/JRC (2008), Handbook, section 6.1.
    """
    areas = np.asarray(areas, dtype=float)
    a = areas.shape[1]
    complete = areas[~np.isnan(areas).any(axis=1)]
    equal = np.full(a, 1.0 / a) if a else np.zeros(0)
    if len(complete) < 3:
        return equal
    sd = complete.std(axis=0, ddof=1)
    usable = sd > 1e-12
    if not usable.any():
        return equal
    z = (complete[:, usable] - complete[:, usable].mean(axis=0)) / sd[usable]
    corr = np.atleast_2d(np.corrcoef(z, rowvar=False))
    values, vectors = np.linalg.eigh(corr)
    loading = vectors[:, np.argmax(values)]
    total = loading.sum()
    if abs(total) < 1e-12:
        total = loading[np.flatnonzero(np.abs(loading) > 1e-12)[0]]
    loading = np.clip(loading * np.sign(total), 0.0, None)
    weights = np.zeros(a)
    weights[usable] = loading**2 / (loading**2).sum()
    return weights


@hookimpl
def cityindex_register_methods(register):
    register(PcaWeights())
