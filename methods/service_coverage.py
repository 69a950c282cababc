"""Service coverage: only the citizen-facing online services count."""

from __future__ import annotations

import numpy as np

from cityindex import EditionData, Method, MethodOutput, Parameter, hookimpl
from cityindex.scoring import informative, offer_scores, weighted_group_mean, weighted_mean


class ServiceCoverage(Method):
    name = "service_coverage"
    title = "Online service coverage"
    description = (
        "Only the indicators flagged as citizen-facing online services count (book an "
        "appointment, register a move, apply for a parking permit, register a business, …). "
        "A city's score is the share of those services it offers, in percent: a yes/no "
        "service counts 1 when offered, a service measured as a share counts its share, and "
        "any other kind counts its 0–1 position between the worst and the best city. Area "
        "scores are the coverage of the services within each area (empty where an area has "
        "none). The question a resident asks: what can I do online in my city?"
    )
    title_de = "Abdeckung der Online-Dienste"
    description_de = (
        "Nur die als bürgernahe Online-Dienste markierten Parameter zählen (Termin buchen, "
        "Umzug melden, Anwohnerparkausweis beantragen, Gewerbe anmelden, …). Die Punktzahl "
        "einer Stadt ist der Anteil dieser Dienste, den sie anbietet, in Prozent: ein Ja/Nein-"
        "Dienst zählt 1, wenn er angeboten wird, ein als Anteil gemessener Dienst seinen "
        "Anteil, jede andere Art ihre Position zwischen der schwächsten und der besten Stadt. "
        "Die Frage einer Bürgerin: Was kann ich in meiner Stadt online erledigen?"
    )
    citation = (
        "Bitkom e.V. (2023): Sonderauswertung Smart City Index 2022 — online services of the "
        "81 cities over 100,000 inhabitants."
    )
    citation_de = (
        "Bitkom e.V. (2023): Sonderauswertung Smart City Index 2022 — Online-Dienste der 81 "
        "Städte über 100.000 Einwohner."
    )
    parameters = (
        Parameter(
            "missing", "choice", "not_offered", label="Missing values",
            label_de="Fehlende Werte",
            help="not_offered: a service without a value counts as not offered. "
            "skip: leave it out of the city's share.",
            help_de="not_offered: ein Dienst ohne Wert gilt als nicht angeboten. skip: er "
                    "bleibt beim Anteil der Stadt außen vor.",
            choices=("not_offered", "skip"),
            choice_labels={"not_offered": "count as not offered", "skip": "leave out"},
            choice_labels_de={"not_offered": "als nicht angeboten zählen", "skip": "auslassen"},
        ),
    )
    requires = frozenset({"indicator_values", "service_flag"})
    missing_policy = (
        "A service without a value counts as not offered (missing=skip leaves it out, and "
        "then also leaves out a service that every city with a value offers alike, which would "
        "otherwise shift cities with fewer values)."
    )
    missing_policy_de = (
        "Ein Dienst ohne Wert zählt als nicht angeboten („Fehlende Werte: auslassen“ lässt ihn "
        "aus und "
        "dann auch einen Dienst, den jede Stadt mit einem Wert gleichermaßen anbietet, der "
        "sonst Städte mit weniger Werten verschöbe)."
    )

    def score(self, data: EditionData, params) -> MethodOutput:
        offered = offer_scores(data.values, data.kind, data.direction)
        weights = data.service.astype(float)
        missing = "zero" if params["missing"] == "not_offered" else "skip"
        if missing == "skip":
            # Coverage is absolute, so a service all cities offer alike still counts under
            # not_offered (it adds the same to every city); under skip it could reorder
            # cities with different numbers of values, so it carries no weight there.
            weights = np.where(informative(offered), weights, 0.0)
        total = weighted_mean(offered, weights, missing)
        indicator_area = data.category_area[data.indicator_category]
        areas = weighted_group_mean(offered, indicator_area, len(data.area_ids), weights, missing)
        total_weight = weights.sum()
        return MethodOutput(
            total=total, weights=weights / total_weight if total_weight else weights, areas=areas
        )


@hookimpl
def cityindex_register_methods(register):
    register(ServiceCoverage())
