"""Geometric aggregation: a weak area cannot be fully made up for by a strong one."""

from __future__ import annotations

from cityindex import EditionData, Method, MethodOutput, Parameter, hookimpl
from cityindex.hierarchy import aggregate
from cityindex.method import SCALING_PARAMETER, HierarchyStructure
from cityindex.scoring import scale, weighted_geometric_mean


class Geometric(Method):
    name = "geometric"
    title = "Geometric mean of the areas"
    description = (
        "Indicators and categories are aggregated as in the bitkom method (without the "
        "projects bonus), but the total is the weighted geometric mean of the five area "
        "scores instead of the arithmetic mean. A city that is excellent in four areas and "
        "weak in one ranks lower than under bitkom: compensation between areas is limited. "
        "Area scores below the floor parameter are raised to it, so that a single 0 does not "
        "zero the total."
    )
    title_de = "Geometrisches Mittel der Bereiche"
    description_de = (
        "Parameter und Kategorien werden wie bei der Bitkom-Methode zusammengefasst (ohne "
        "Projektbonus), die Gesamtpunktzahl ist aber das gewichtete geometrische Mittel der "
        "fünf Bereiche statt des arithmetischen. Eine Stadt, die in vier Bereichen glänzt und "
        "in einem schwach ist, rückt nach hinten: Stärken gleichen Schwächen nur begrenzt aus. "
        "Bereichswerte unter der „Untergrenze“ werden auf sie angehoben, damit eine einzelne "
        "0 nicht alles auf 0 setzt."
    )
    citation = (
        "OECD/JRC (2008): Handbook on Constructing Composite Indicators, section 6.2 "
        "(geometric aggregation); COINr a_gmean."
    )
    citation_de = (
        "OECD/JRC (2008): Handbook on Constructing Composite Indicators, Abschnitt 6.2 "
        "(geometrische Aggregation); COINr a_gmean."
    )
    parameters = (
        SCALING_PARAMETER,
        Parameter(
            "floor", "float", 1.0, label="Floor", label_de="Untergrenze", min=0.01, max=50.0,
            help="Area scores below this are raised to it before taking logarithms.",
            help_de="Bereichswerte darunter werden vor dem Logarithmieren auf sie angehoben.",
        ),
    )
    requires = frozenset({"indicator_values", "hierarchy"})
    missing_policy = (
        "A missing value is left out and its siblings are reweighted. The effective weights "
        "shown are the nominal weights of the hierarchy (the geometric mean is not linear)."
    )
    missing_policy_de = (
        "Ein fehlender Wert wird ausgelassen und seine Geschwister werden neu gewichtet. "
        "Die gezeigten effektiven Gewichte sind die nominalen Gewichte der Hierarchie (das "
        "geometrische Mittel ist nicht linear)."
    )

    def score(self, data: EditionData, params) -> MethodOutput:
        scores = scale(data.values, data.direction, params["scaling"])
        agg = aggregate(data, scores, missing="skip", projects_bonus=0.0)
        total = weighted_geometric_mean(agg.areas, data.area_weight, params["floor"])
        return MethodOutput(
            total=total, weights=agg.weights, areas=agg.areas, categories=agg.categories
        )

    def structure(self, params) -> HierarchyStructure:
        return HierarchyStructure(scaling=params["scaling"], missing="skip",
                                  aggregation="geometric", floor=params["floor"])


@hookimpl
def cityindex_register_methods(register):
    register(Geometric())
