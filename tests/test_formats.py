"""Numbers for the reader: German and English formats written by Babel, the d3 locale handed
to the charts. Every expected string is written out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cityindex import formats

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (71.4, "de", 1, "71,4"),
        (71.4, "en", 1, "71.4"),
        (3_669_491, "de", 0, "3.669.491"),
        (3_669_491, "en", 0, "3,669,491"),
        (1234.5, "de", 2, "1.234,50"),
        (-0.25, "de", 2, "\u22120,25"),  # U+2212, as d3-format writes it in the charts
        (-0.25, "en", 2, "\u22120.25"),
        (0.0, "de", 1, "0,0"),
        (-0.04, "de", 1, "0,0"),  # rounds to zero: no "−0,0"
        # Half away from zero on the float's exact value, like JavaScript's toFixed:
        (71.45, "de", 1, "71,5"),  # 71.45 is 71.4500000000000028… in binary
        (2.675, "en", 2, "2.67"),  # 2.675 is 2.67499999999999982… in binary
        (0.5, "de", 0, "1"),
        (-2.5, "de", 0, "\u22123"),
        (np.int64(81), "de", 0, "81"),
        (pd.array([7], dtype="Int64")[0], "de", 0, "7"),
    ],
)
def test_format_number(value, lang, decimals, expected):
    assert formats.format_number(value, lang, decimals=decimals) == expected


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT, float("nan"), "n/a"])
def test_missing_values_are_an_en_dash_never_none_or_nan(missing):
    assert formats.format_number(missing) == "–"
    assert formats.format_integer(missing, "en") == "–"
    assert formats.format_rank_change(missing) == "–"
    assert formats.format_percent_value(missing) == "–"


def test_years_can_be_written_without_a_thousands_separator():
    assert formats.format_number(2024, "de", decimals=0) == "2.024"
    assert formats.format_number(2024, "de", decimals=0, grouping=False) == "2024"


@pytest.mark.parametrize(
    ("value", "expected_de", "expected_en"),
    [(3, "+3", "+3"), (-2, "\u22122", "\u22122"), (0, "±0", "±0"), (2.0, "+2", "+2"),
     (1500, "+1.500", "+1,500"), (-12, "\u221212", "\u221212")],
)
def test_format_rank_change(value, expected_de, expected_en):
    assert formats.format_rank_change(value, "de") == expected_de
    assert formats.format_rank_change(value, "en") == expected_en


def test_format_percent_value_takes_percent_points():
    assert formats.format_percent_value(12.5, "de", decimals=1) == f"12,5{NBSP}%"
    assert formats.format_percent_value(12.5, "en", decimals=1) == "12.5%"
    assert formats.format_percent_value(12.5, "de") == f"13{NBSP}%"
    assert formats.format_percent_value(100, "de") == f"100{NBSP}%"


def test_number_formatter_for_styler():
    fmt = formats.number_formatter("de", decimals=1)
    assert [fmt(v) for v in (86.24, np.nan, 100.0)] == ["86,2", "–", "100,0"]
    styled = pd.DataFrame({"total": [86.24, 70.0]}).style.format(fmt)
    assert "86,2" in styled.to_html() and "70,0" in styled.to_html()


def test_unknown_language_falls_back_to_german():
    assert formats.babel_locale("fr") == "de_DE"
    assert formats.format_number(71.4, "fr") == "71,4"


def test_d3_number_locale():
    assert formats.d3_number_locale("de") == {
        "decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", f"{NBSP}€"],
        "minus": "\u2212", "nan": "–",
    }
    assert formats.d3_number_locale("en") == {
        "decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""],
        "minus": "\u2212", "nan": "–",
    }
    assert formats.vega_locale("de") == {"number": formats.d3_number_locale("de")}


def test_vega_locale_is_accepted_by_altair():
    import altair as alt

    chart = alt.Chart(pd.DataFrame({"x": [1.5]})).mark_bar().encode(
        x=alt.X("x:Q", axis=alt.Axis(format=formats.SCORE_FORMAT))
    ).configure(locale=formats.vega_locale("de"))
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_rank_change_label_expr():
    assert formats.rank_change_label_expr() == (
        "datum.value == 0 ? '±0' : format(datum.value, '+d')"
    )


def test_parse_number_reads_the_readers_format_strictly():
    """German "0,75" and "1.250,5", English "0.75" and "1,250.5"; the other language's
    decimal mark is an error with the reading meant (German "0.75" would be 75 with a loose
    parser), and so are words, NaN and infinity."""
    from cityindex.formats import NumberTextError, parse_number

    assert parse_number("0,75", "de") == 0.75 and parse_number("0.75", "en") == 0.75
    assert parse_number("1.250,5", "de") == 1250.5 and parse_number("1,250.5", "en") == 1250.5
    assert parse_number(" \u22120,5 ", "de") == -0.5  # as format_number writes a minus
    for text, lang, meant in (("0.75", "de", "0,75"), ("0,75", "en", "0.75"),
                              ("abc", "de", None), ("NaN", "en", None), ("Infinity", "en", None)):
        with pytest.raises(NumberTextError) as info:
            parse_number(text, lang)
        assert (info.value.text, info.value.suggestion) == (text, meant)


def test_a_published_figure_keeps_the_decimals_of_its_source():
    """Bitkom writes points with one decimal, some sources with two: 42.7 is "42,7" (not
    "42,70"), 61.09 is "61,09", 90.0 is "90,0"; English with a point."""
    assert formats.format_as_published(42.7, "de") == "42,7"
    assert formats.format_as_published(61.09, "de") == "61,09"
    assert formats.format_as_published(90.0, "de") == "90,0"
    assert formats.format_as_published(88.13, "en") == "88.13"
    assert formats.format_as_published(float("nan"), "de") == formats.MISSING
