"""Every visible word in the reader's language: status words, column names, method
parameters (read from the parameter's own German fields), missing values as a dash."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import cityindex
from cityindex import i18n, views
from cityindex.method import SCALING_PARAMETER, Parameter


@pytest.mark.parametrize(
    ("word", "de", "en"),
    [("used", "verwendet", "used"), ("alternative", "alternativ", "alternative"),
     ("empty", "leer", "empty"), ("modeled", "modelliert", "modeled"),
     ("published", "veröffentlicht", "published"), (True, "ja", "yes"), (False, "nein", "no"),
     ("Köln", "Köln", "Köln")],
)
def test_status_label(word, de, en):
    assert i18n.status_label(word, "de") == de
    assert i18n.status_label(word, "en") == en


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT, "", "  "])
def test_none_nan_na_are_never_shown(missing):
    for lang in ("de", "en"):
        assert i18n.status_label(missing, lang) == "–"
        assert i18n.display_value(missing, lang) == "–"


def test_display_value_formats_numbers_in_the_language():
    assert i18n.display_value(71.44, "de") == "71,4"
    assert i18n.display_value(71.44, "en") == "71.4"
    assert i18n.display_value(3_669_491, "de") == "3.669.491"
    assert i18n.display_value(np.int64(3), "de") == "3"
    assert i18n.display_value(0.256, "de", decimals=2) == "0,26"
    assert i18n.display_value("alternative", "de") == "alternativ"


def test_column_labels():
    cols = ["edition", "title", "n_cities", "published_rank_change", "published_match",
            "modeled", "verwaltung"]
    assert i18n.column_labels(cols, "de") == {
        "edition": "Ausgabe", "title": "Titel", "n_cities": "Anzahl Städte",
        "published_rank_change": "Veränderung (veröffentlicht)",
        "published_match": "stimmt mit Veröffentlichung überein",
        "modeled": "modelliert", "verwaltung": "verwaltung",
    }
    assert i18n.column_label("n_cities", "en") == "Number of cities"


def test_parameter_texts_come_from_the_parameter():
    p = Parameter("missing", "choice", "skip", label="Missing values", label_de="Fehlende Werte",
                  help="skip: leave out.", help_de="auslassen: nicht mitzählen.",
                  choices=("skip", "zero"), choice_labels={"zero": "count as 0"},
                  choice_labels_de={"skip": "auslassen", "zero": "als 0 zählen"})
    assert i18n.param_label(p, "de") == "Fehlende Werte"
    assert i18n.param_label(p, "en") == "Missing values"
    assert i18n.param_help(p, "de") == "auslassen: nicht mitzählen."
    assert i18n.param_help(p, "en") == "skip: leave out."
    assert [i18n.choice_label(p, c, "de") for c in p.choices] == ["auslassen", "als 0 zählen"]
    assert [i18n.choice_label(p, c, "en") for c in p.choices] == ["skip", "count as 0"]


def test_parameter_without_german_fields_falls_back():
    # A plugin's parameter object from before label_de existed: read with getattr.
    old = SimpleNamespace(name="alpha", type="float", label="Alpha", help="Weight.",
                          choices=())
    assert i18n.param_label(old, "de") == "Alpha"
    assert i18n.param_help(old, "de") == "Weight."
    assert i18n.choice_label(old, "x", "de") == "x"
    bare = Parameter("beta", "float", 0.5)
    assert i18n.param_label(bare, "de") == "beta" and i18n.param_help(bare, "de") == ""


def test_builtin_parameter_cards_are_german():
    registry = cityindex.get_registry()
    for name in registry:
        for p in registry.method(name).parameters:
            assert i18n.param_label(p, "de") != p.label or not p.label, (name, p.name)
            for choice in p.choices:
                assert i18n.choice_label(p, choice, "de") != choice, (name, p.name, choice)
    table = views.parameter_table(registry.method("bitkom").parameters, "de")
    row = table.set_index("name").loc["projects_bonus"]
    assert row["label"] == "Projektbonus"
    assert row["default"] == "0,05" and row["range"] == "0 … 0,2"
    missing = table.set_index("name").loc["missing"]
    assert missing["default"] == "auslassen"
    assert "skip" not in missing["range"]


def test_method_title_names_changed_parameters():
    bitkom = cityindex.get_registry().method("bitkom")
    assert i18n.method_title(bitkom, None, "de") == bitkom.title_de
    assert i18n.method_title(bitkom, {"scaling": "share_of_best", "projects_bonus": 0.1},
                             "de") == (
        f"{bitkom.title_de} (Skalierung: "
        f"{SCALING_PARAMETER.choice_labels_de['share_of_best']}, Projektbonus: 0,1)"
    )
    assert i18n.method_title(bitkom, {"scaling": "share_of_best"}, "en") == (
        f"{bitkom.title} (Scaling: {SCALING_PARAMETER.choice_labels['share_of_best']})"
    )


def test_the_columns_of_every_dashboard_table_have_names_in_both_languages():
    """Columns that reach a table under a chart or the upload's problem table: none is shown
    by its internal name."""
    columns = ("provenance_label", "city_id", "lat", "lon", "area", "series", "shift", "share",
               "offer", "median_rank", "rank_p05", "rank_p95", "best_rank", "worst_rank",
               "p_rank1", "p_top10", "input", "S1", "S1_conf", "ST", "ST_conf", "file", "row",
               "column", "problem", "hint")
    for lang in ("de", "en"):
        for column in columns:
            assert i18n.column_label(column, lang) != column, (lang, column)
    assert i18n.column_label("hint", "de") == "Hinweis"
    assert i18n.column_label("p_top10", "en") == "P(top 10) %"


@pytest.mark.parametrize("lang, n, text", [
    ("de", 1, "Der hochgeladene Datensatz hat ein Problem und"),
    ("de", 4, "Der hochgeladene Datensatz hat 4 Probleme und"),
    ("en", 1, "The uploaded dataset has a problem and"),
    ("en", 2, "The uploaded dataset has 2 problems and"),
])
def test_a_count_of_one_reads_in_the_singular(lang, n, text):
    assert i18n.t("upload_invalid", lang, n=n).startswith(text)


def test_every_singular_has_its_plural_in_both_languages():
    for lang, labels in i18n.LABELS.items():
        for key in labels:
            if key.endswith("_one"):
                assert key.removesuffix("_one") in labels, (lang, key)
    assert i18n.t("editions_list", "de", n=1, list="2024") == "Ausgabe 2024"
    assert i18n.t("editions_list", "en", n=2, list="2023, 2024") == "editions 2023, 2024"
    assert i18n.t("plugins_not_loaded", "de", n=2, names="a, b").startswith(
        "2 Erweiterungen konnten")


def test_names_in_the_readers_language_fall_back_to_german():
    areas = pd.DataFrame({"name_de": ["Verwaltung", "Mobilität"],
                          "name_en": ["Administration", ""]}, index=["v", "m"])
    assert i18n.names_in(areas, "en").to_dict() == {"v": "Administration", "m": "Mobilität"}
    assert i18n.names_in(areas, "de").to_dict() == {"v": "Verwaltung", "m": "Mobilität"}
    assert i18n.names_in(areas[["name_de"]], "en").to_dict() == {"v": "Verwaltung",
                                                                 "m": "Mobilität"}
