"""Benefit of the doubt: every city weighted as favourably as the bounds allow."""

from __future__ import annotations

import numpy as np
from cityindex.methods.bitkom import Bitkom, bitkom_hierarchy

from cityindex import EditionData, Method, MethodOutput, Parameter, hookimpl, msg


class BenefitOfDoubt(Method):
    name = "benefit_of_doubt"
    title = "Benefit of the doubt (most favourable area weights)"
    description = (
        "The area scores are computed as in the bitkom method. Each city is then scored with "
        "the area weights most favourable to it: the weights that maximise its weighted score "
        "while no city scores more than 100 with those same weights (data envelopment "
        "analysis). Every area's weight must lie between min_share and max_share of the "
        "total weight, so that no city can rest on one area alone. A city scores 100 when some "
        "admissible weighting makes it the best; below 100, its score is the share of the best "
        "city's score under its own most favourable weights. One linear programme per city."
    )
    title_de = "Benefit of the Doubt (günstigste Bereichsgewichte)"
    description_de = (
        "Die Bereichswerte entstehen wie bei der Bitkom-Methode. Dann wird jede Stadt mit den "
        "für sie günstigsten Bereichsgewichten bewertet: den Gewichten, die ihre gewichtete "
        "Punktzahl maximieren, ohne dass irgendeine Stadt mit denselben Gewichten über 100 "
        "kommt (Data Envelopment Analysis). Jedes Bereichsgewicht muss zwischen dem "
        "„Mindestgewicht je Bereich“ und dem „Höchstgewicht je Bereich“ des Gesamtgewichts "
        "liegen, damit keine Stadt allein auf einen Bereich "
        "setzen kann. 100 Punkte erhält eine Stadt, die unter einer zulässigen Gewichtung die "
        "beste ist; darunter ist es ihr Anteil an der besten Stadt unter ihren eigenen "
        "günstigsten Gewichten. Ein lineares Programm je Stadt."
    )
    citation = (
        "Cherchye, L., Moesen, W., Rogge, N. & Van Puyenbroeck, T. (2007): An introduction to "
        "'benefit of the doubt' composite indicators, Social Indicators Research 82(1), "
        "111–145, doi:10.1007/s11205-006-9029-7; OECD/JRC (2008), Handbook, section 6.1."
    )
    citation_de = (
        "Cherchye, L., Moesen, W., Rogge, N. & Van Puyenbroeck, T. (2007): An introduction to "
        "'benefit of the doubt' composite indicators, Social Indicators Research 82(1), "
        "111–145, doi:10.1007/s11205-006-9029-7; OECD/JRC (2008), Handbook, Abschnitt 6.1."
    )
    parameters = (
        *Bitkom.parameters,
        Parameter("min_share", "float", 0.1, label="Minimum area weight",
                  label_de="Mindestgewicht je Bereich", min=0.0, max=1.0,
                  help="The smallest share of the total weight any area may get.",
                  help_de="Der kleinste Anteil am Gesamtgewicht, den ein Bereich bekommen "
                          "darf."),
        Parameter("max_share", "float", 0.5, label="Maximum area weight",
                  label_de="Höchstgewicht je Bereich", min=0.0, max=1.0,
                  help="The largest share of the total weight any area may get.",
                  help_de="Der größte Anteil am Gesamtgewicht, den ein Bereich bekommen darf."),
    )
    requires = frozenset({"indicator_values", "hierarchy"})
    missing_policy = (
        "Area scores as in bitkom. In the linear programmes a missing area score counts as 0 "
        "points: a city is never credited for an area it has no score in. A city with no area "
        "score at all is not ranked."
    )
    missing_policy_de = (
        "Bereichswerte wie bei der Bitkom-Methode. In den linearen Programmen zählt ein fehlender "
        "Bereichswert als 0 Punkte: Eine Stadt bekommt für einen Bereich ohne Wert nie etwas "
        "gutgeschrieben. Eine Stadt ohne jeden Bereichswert erhält keinen Rang."
    )

    def score(self, data: EditionData, params) -> MethodOutput:
        agg = bitkom_hierarchy(data, params)
        total, _ = benefit_of_doubt(agg.areas, params["min_share"], params["max_share"],
                                    city_ids=data.city_ids)
        return MethodOutput(total=total, weights=agg.weights, areas=agg.areas,
                            categories=agg.categories)


def benefit_of_doubt(areas: np.ndarray, min_share: float, max_share: float, *,
                     city_ids=None) -> tuple[np.ndarray, np.ndarray]:
    """Benefit-of-the-doubt scores ``(n,)`` (0–100) and each city's weights ``(n, a)`` (shares
    summing to 1) for area scores ``areas`` ``(n, a)``; NaN for a city without any score.

    For city *i*: maximise ``Σ_a v_a·y_ia`` over ``v ≥ 0`` subject to ``Σ_a v_a·y_ja ≤ 100``
    for every city *j* and ``min_share·Σv ≤ v_a ≤ max_share·Σv`` (Cherchye et al. 2007,
    with weight restrictions on the normalised weights), solved with ``scipy.optimize.linprog``
    (HiGHS; all cities' programmes as one block-diagonal programme). Missing scores count
    as 0. Areas without any score are left out. Raises ``ValueError`` for shares no weighting
    satisfies or a solver failure, naming the cities.
    """
    from scipy import sparse
    from scipy.optimize import linprog

    areas = np.asarray(areas, dtype=float)
    n = areas.shape[0]
    used = ~np.isnan(areas).all(axis=0) if n else np.zeros(areas.shape[1], bool)
    y = np.nan_to_num(areas[:, used], nan=0.0)
    a = y.shape[1]
    total = np.full(n, np.nan)
    shares = np.full((n, areas.shape[1]), np.nan)
    if a == 0:
        return total, shares
    if not (0 <= min_share <= max_share <= 1) or a * min_share > 1 + 1e-12 \
            or a * max_share < 1 - 1e-12:
        raise ValueError(msg(
            "no weighting of {areas} areas has every share between min_share {low:g} and "
            "max_share {high:g} (need min_share ≤ {limit:.4g} ≤ max_share)", areas=a,
            low=min_share, high=max_share, limit=1 / a))
    scale_ = max(float(y.max()), 1e-12)
    ys = y / scale_  # well-conditioned programmes; the score is scale-free
    eye = np.eye(a)
    block = np.vstack([ys, min_share - eye, eye - max_share])
    scored = np.flatnonzero(~np.isnan(areas[:, used]).all(axis=1))
    # The cities' programmes are independent: solved at once as one block-diagonal programme
    # (the optimum of the sum is the sum of the optima), one HiGHS call instead of n.
    a_ub = sparse.block_diag([sparse.csr_array(block)] * len(scored), format="csr")
    b_ub = np.tile(np.r_[np.ones(n), np.zeros(2 * a)], len(scored))
    res = linprog(-ys[scored].ravel(), A_ub=a_ub, b_ub=b_ub, bounds=(0, None),
                  method="highs")
    if res.status != 0:
        names = ", ".join(str(city_ids[i] if city_ids is not None else i) for i in scored[:5])
        raise ValueError(msg("benefit of the doubt: the linear programmes of the cities "
                             "({names}, …) failed: {error}", names=names,
                             error=str(res.message)))
    v = res.x.reshape(len(scored), a)
    optimum = (v * ys[scored]).sum(axis=1)
    total[scored] = 100.0 * np.minimum(1.0, optimum)
    sums = v.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        part = np.where(sums > 0, v / sums, np.nan)
    shares[np.ix_(scored, np.flatnonzero(used))] = part
    return total, shares


@hookimpl
def cityindex_register_methods(register):
    register(BenefitOfDoubt())
