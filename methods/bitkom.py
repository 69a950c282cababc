"""Bitkom-style weighted categories: the published Smart City Index methodology, as far as
it is known."""

from __future__ import annotations

from cityindex import EditionData, Method, MethodOutput, Parameter, hookimpl
from cityindex.hierarchy import Hierarchy, aggregate
from cityindex.method import MISSING_SKIP_OR_ZERO, SCALING_PARAMETER, HierarchyStructure
from cityindex.scoring import scale


class Bitkom(Method):
    name = "bitkom"
    title = "Bitkom-style weighted categories"
    description = (
        "Every indicator is scaled within the edition so that the best city scores 100 and the "
        "worst 0 (lower-is-better indicators reversed). Indicator scores are averaged into "
        "categories with the indicator weights, categories into the five areas with the "
        "category weights, and the total is the weighted mean of the areas (Bitkom: the plain "
        "mean of the five). An 'innovative projects' category adds up to 5 % of an area's "
        "points on top (2021). Bitkom has said that the best city scores 100 in every edition "
        "and, from 2023, that the worst scores 0; before 2023 the scale may have been the "
        "share of the best value — choose it with the scaling parameter."
    )
    title_de = "Bitkom-Methode: gewichtete Kategorien"
    description_de = (
        "Jeder Parameter wird innerhalb der Ausgabe skaliert: die beste Stadt erhält 100 "
        "Punkte, die schwächste 0 (bei „weniger ist besser“ umgekehrt). Die Parameter werden "
        "gewichtet zu Indikatoren (Kategorien) gemittelt, die Kategorien gewichtet zu den fünf "
        "Themenbereichen, und die Gesamtpunktzahl ist das gewichtete Mittel der Bereiche (bei "
        "Bitkom das einfache Mittel der fünf). Eine Kategorie „innovative Projekte“ bringt bis "
        "zu 5 % der Punkte eines Bereichs zusätzlich (2021). Bitkom nennt für alle Ausgaben die"
        " beste Stadt mit 100 Punkten, ab 2023 auch die schwächste mit 0; davor war die Skala "
        "womöglich ein Anteil am Bestwert — wählbar über den Parameter „Skalierung“."
    )
    citation = (
        "Bitkom e.V.: Smart City Index 2019–2025, https://www.bitkom.org/Smart-City-Index ; "
        "methodology notes in the Smart City Index 2021 and 2023 reports."
    )
    citation_de = (
        "Bitkom e.V.: Smart City Index 2019–2025, https://www.bitkom.org/Smart-City-Index ; "
        "Hinweise zur Methodik in den Berichten zum Smart City Index 2021 und 2023."
    )
    parameters = (
        SCALING_PARAMETER,
        Parameter(
            "projects_bonus", "float", 0.05, label="Projects bonus", label_de="Projektbonus",
            help="Share of an area's points that its projects category can add (0 = none).",
            help_de="Anteil der Punkte eines Bereichs, den seine Projekt-Kategorie zusätzlich "
                    "bringen kann (0 = keiner).",
            min=0.0, max=0.2,
        ),
        MISSING_SKIP_OR_ZERO,
    )
    requires = frozenset({"indicator_values", "hierarchy"})
    missing_policy = (
        "A missing value is left out and the weights of its siblings are renormalised "
        "(missing=zero counts it as 0 points instead). An indicator on which all cities are "
        "equal carries no information and gets no weight."
    )
    missing_policy_de = (
        "Ein fehlender Wert wird ausgelassen und die Gewichte seiner Geschwister werden "
        "neu normiert (mit „Fehlende Werte: als 0 Punkte zählen“ zählt er stattdessen "
        "0 Punkte). Ein Parameter, in dem alle Städte gleich sind, trägt keine Information "
        "und erhält kein Gewicht."
    )
    reproduces_published = True

    def score(self, data: EditionData, params) -> MethodOutput:
        agg = bitkom_hierarchy(data, params)
        return MethodOutput(
            total=agg.total, weights=agg.weights, areas=agg.areas, categories=agg.categories
        )

    def structure(self, params) -> HierarchyStructure:
        return HierarchyStructure(scaling=params["scaling"], missing=params["missing"],
                                  projects_bonus=params["projects_bonus"])


def bitkom_hierarchy(data: EditionData, params, **weights) -> Hierarchy:
    """Indicator scores scaled and aggregated up the hierarchy as the bitkom method does, with
    ``params`` holding ``scaling``, ``missing`` and ``projects_bonus`` (the methods built on
    bitkom's areas share its parameters); ``weights`` are passed on to
    :func:`cityindex.hierarchy.aggregate` (``area_weights=…``)."""
    scores = scale(data.values, data.direction, params["scaling"])
    return aggregate(data, scores, missing=params["missing"],
                     projects_bonus=params["projects_bonus"], **weights)


@hookimpl
def cityindex_register_methods(register):
    register(Bitkom())
