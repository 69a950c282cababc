"""cityindex-weakest-area: the Bitkom hierarchy, with the weakest area as the total."""

import numpy as np

from cityindex import EditionData, Method, MethodOutput, Parameter, hookimpl
from cityindex.hierarchy import aggregate
from cityindex.method import SCALING_PARAMETER
from cityindex.scoring import scale


class WeakestArea(Method):
    name = "weakest_area"
    title = "Weakest area"
    description = (
        "Indicators, categories and areas are scored exactly as in the bitkom method "
        "(min-max scaling, weighted means, projects bonus); the total is the city's weakest "
        "area score, so that no strength can make up for a weakness."
    )
    title_de = "Schwächster Bereich"
    description_de = (
        "Parameter, Kategorien und Bereiche werden genau wie bei der Bitkom-Methode bewertet; "
        "die Gesamtpunktzahl ist der schwächste Bereich einer Stadt."
    )
    citation = "Example plugin from the cityindex plugin author guide."
    parameters = (
        SCALING_PARAMETER,
        Parameter(
            "projects_bonus", "float", 0.05, label="Projects bonus", label_de="Projektbonus",
            help="Share of an area's points that its projects category can add (0 = none).",
            min=0.0, max=0.2,
        ),
    )
    requires = frozenset({"indicator_values", "hierarchy"})
    missing_policy = (
        "A missing value is left out and its siblings are reweighted, as in bitkom. The "
        "weights shown are the hierarchy's nominal weights (a minimum is not linear)."
    )

    def score(self, data: EditionData, params) -> MethodOutput:
        scores = scale(data.values, data.direction, params["scaling"])
        h = aggregate(data, scores, missing="skip", projects_bonus=params["projects_bonus"])
        total = np.fmin.reduce(h.areas, axis=1)  # the weakest area; NaN only if all are
        return MethodOutput(total=total, weights=h.weights, areas=h.areas, categories=h.categories)


@hookimpl
def cityindex_register_methods(register):
    register(WeakestArea())
