"""The Mazziotta–Pareto index: a mean of standardised areas penalised for imbalance."""

from __future__ import annotations

import numpy as np
from cityindex.methods.bitkom import Bitkom, bitkom_hierarchy

from cityindex import EditionData, Method, MethodOutput, hookimpl


class MazziottaPareto(Method):
    name = "mazziotta_pareto"
    title = "Mazziotta–Pareto index (penalises unbalanced areas)"
    description = (
        "The area scores are computed as in the bitkom method and standardised across the "
        "cities to mean 100 and standard deviation 10 (z = 100 + 10·(x − mean)/sd). A city's "
        "index is the mean M of its standardised areas minus a penalty for how unequal they "
        "are: MPI = M − S·cv with S their standard deviation and cv = S/M (the variant for "
        "'higher is better'). Two cities with the same mean rank in favour of the one whose "
        "areas are more even: a strong area does not fully make up for a weak one. The index "
        "is around 100, not on a 0–100 scale; the area weights play no part."
    )
    title_de = "Mazziotta-Pareto-Index (bestraft unausgewogene Bereiche)"
    description_de = (
        "Die Bereichswerte entstehen wie bei der Bitkom-Methode und werden über die Städte "
        "standardisiert: Mittel 100, Standardabweichung 10 (z = 100 + 10·(x − Mittel)/sd). Der "
        "Index einer Stadt ist das Mittel M ihrer standardisierten Bereiche abzüglich einer "
        "Strafe für deren Ungleichheit: MPI = M − S·cv mit S ihrer Standardabweichung und "
        "cv = S/M (die Variante für „mehr ist besser“). Bei gleichem Mittel liegt die Stadt "
        "mit ausgewogeneren Bereichen vorn. Der Index liegt um 100, nicht auf 0–100; die "
        "Bereichsgewichte spielen keine Rolle."
    )
    citation = (
        "Mazziotta, M. & Pareto, A. (2016): On a generalized non-compensatory composite index "
        "for measuring socio-economic phenomena, Social Indicators Research 127(3), 983–1003, "
        "doi:10.1007/s11205-015-0998-2 (MPI with negative penalty for positive polarity)."
    )
    citation_de = (
        "Mazziotta, M. & Pareto, A. (2016): On a generalized non-compensatory composite index "
        "for measuring socio-economic phenomena, Social Indicators Research 127(3), 983–1003, "
        "doi:10.1007/s11205-015-0998-2 (MPI mit negativer Strafe, für positive Polarität)."
    )
    parameters = Bitkom.parameters
    requires = frozenset({"indicator_values", "hierarchy"})
    missing_policy = (
        "Area scores as in bitkom. Each area is standardised over the cities that have a score "
        "in it; a city's mean and penalty are taken over its present areas. An area in which "
        "all cities are equal is left out."
    )
    missing_policy_de = (
        "Bereichswerte wie bei der Bitkom-Methode. "
        "Jeder Bereich wird über die Städte mit einem Wert "
        "darin standardisiert; Mittel und Abschlag einer Stadt werden über ihre vorhandenen "
        "Bereiche gebildet. Ein Bereich, in dem alle Städte gleich sind, bleibt außen vor."
    )

    def score(self, data: EditionData, params) -> MethodOutput:
        agg = bitkom_hierarchy(data, params)
        total = mazziotta_pareto(agg.areas)
        return MethodOutput(total=total, weights=agg.weights, areas=agg.areas,
                            categories=agg.categories)


def mazziotta_pareto(areas: np.ndarray) -> np.ndarray:
    """MPI⁻ of every row of ``areas`` ``(n, a)``, shape ``(n,)``.

    ``z = 100 + 10·(x − M_a)/S_a`` per area (``M_a``, ``S_a``: mean and population sd of the
    present values of the area, as Mazziotta & Pareto 2016); per city ``M`` and ``S`` the
    mean and population sd of its present ``z``; ``MPI⁻ = M − S·S/M``. NaN for a city
    without any area score; an area without variation is left out.
    """
    areas = np.asarray(areas, dtype=float)
    present = ~np.isnan(areas)
    count = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, areas, 0.0).sum(axis=0) / count
        sd = np.sqrt(np.where(present, (areas - mean) ** 2, 0.0).sum(axis=0) / count)
        usable = sd > 1e-12
        z = np.where(present & usable, 100.0 + 10.0 * (areas - mean) / sd, np.nan)
        here = ~np.isnan(z)
        k = here.sum(axis=1)
        m = np.where(here, z, 0.0).sum(axis=1) / k
        s = np.sqrt(np.where(here, (z - m[:, None]) ** 2, 0.0).sum(axis=1) / k)
        return np.where(k > 0, m - s * s / m, np.nan)


@hookimpl
def cityindex_register_methods(register):
    register(MazziottaPareto())
