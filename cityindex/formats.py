"""Numbers as a reader expects them, in German or English.

Tables keep floats; numbers are formatted at the edge, for the person reading them:

- in Python (tables, captions, downloads shown on screen) with Babel's CLDR data
  (``babel.numbers.format_decimal`` / ``format_percent``): German ``71,4`` and ``3.669.491``,
  English ``71.4`` and ``3,669,491``;
- in the charts by Vega itself: every chart carries the d3 number locale of its language in
  ``config.locale.number`` (Vega-Lite 5+), and its axes, legends and tooltips use the d3-format
  strings below (``",.1f"`` renders ``71,4`` under the German locale). Streamlit's
  ``st.altair_chart`` passes ``config`` through, but drops ``usermeta.embedOptions`` other
  than theme, renderer and padding, so an embed-option ``formatLocale`` would not arrive.

Both sides round the same way: half away from zero on the exact binary value of the float,
as JavaScript's ``toFixed`` does (so a tooltip and the table beside it agree), negative
numbers take the minus sign U+2212 as d3-format writes it, and a missing value is an en
dash. Rank changes are written ``+3``, ``−2`` and ``±0``.
"""

from __future__ import annotations

import decimal
import functools
import math
from collections.abc import Callable
from typing import Any

from babel import Locale
from babel.numbers import NumberPattern, format_percent, parse_pattern

BABEL_LOCALES: dict[str, str] = {"de": "de_DE", "en": "en_GB"}
"""The CLDR locale used for each interface language."""

MISSING = "–"
"""What a missing value (None, NaN, pandas NA) is shown as: an en dash (U+2013)."""
MINUS = "\u2212"
"""The minus sign of negative numbers and rank changes (as d3-format writes it)."""
PLUS_MINUS = "±"

# d3-format strings for the charts; the separators come from the chart's locale.
SCORE_FORMAT = ",.1f"
"""Scores (points 0–100) in tooltips, cells and tables: one decimal."""
SCORE_AXIS_FORMAT = ",.1~f"
"""Scores on an axis: a tick at 5 reads ``5``, one at 60.5 ``60,5`` (trailing zeros
trimmed)."""
RANK_FORMAT = "d"
"""Ranks and counts of ranks: whole numbers."""
COUNT_FORMAT = ",.0f"
"""Populations and other counts: whole numbers with thousands separators."""
SHARE_FORMAT = ",.0f"
"""Shares in percent (0–100): whole numbers; the axis title says "(%)"."""
CORRELATION_FORMAT = ".2f"
"""Correlation coefficients: two decimals."""
RANK_CHANGE_FORMAT = "+d"
"""Signed whole numbers (d3 writes ``+3`` and ``−2``; zero as ``+0`` — see
:func:`rank_change_label_expr` for ``±0``)."""


def babel_locale(lang: str | None) -> str:
    """The Babel/CLDR locale name for an interface language (``de`` by default)."""
    return BABEL_LOCALES.get(lang or "", BABEL_LOCALES["de"])


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas NA/NaT and anything else that is not a number."""
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return True


def _rounded(value: Any, decimals: int) -> decimal.Decimal:
    # The exact binary value of the float rounded half away from zero gives the digits
    # JavaScript's toFixed (and so d3-format) shows; Babel alone would round str(value)
    # half-even. A value that rounds to zero loses its sign (no "−0,0").
    exact = decimal.Decimal(float(value))
    rounded = exact.quantize(decimal.Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


@functools.lru_cache(maxsize=64)
def _compiled(decimals: int, grouping: bool, locale: str,
              trailing_zeros: bool = True) -> tuple[NumberPattern, Locale]:
    """Babel's parsed pattern and locale, once per combination: what ``format_decimal`` would
    parse again for every cell (a table of 80 rows has hundreds)."""
    return parse_pattern(_pattern(decimals, grouping, trailing_zeros)), Locale.parse(locale)


def _pattern(decimals: int, grouping: bool, trailing_zeros: bool = True) -> str:
    integer = "#,##0" if grouping else "0"
    digit = "0" if trailing_zeros else "#"
    body = integer + ("." + digit * decimals if decimals > 0 else "")
    return f"{body};{MINUS}{body}"


def format_number(
    value: Any, lang: str = "de", *, decimals: int = 1, grouping: bool = True,
    trailing_zeros: bool = True,
) -> str:
    """``value`` with ``decimals`` decimals in the number format of ``lang``.

    German ``format_number(71.45)`` is ``"71,5"``, ``format_number(3669491, decimals=0)`` is
    ``"3.669.491"``; English ``"71.5"`` and ``"3,669,491"``. Negative numbers get U+2212,
    missing values :data:`MISSING`. ``grouping=False`` leaves out the thousands separator
    (for years such as 2024); ``trailing_zeros=False`` makes the decimals at most
    ``decimals`` (``format_number(0.05, decimals=3, trailing_zeros=False)`` is ``"0,05"``).
    """
    if is_missing(value):
        return MISSING
    return _formatted(float(value), babel_locale(lang), decimals, grouping, trailing_zeros)


def format_as_published(value: Any, lang: str = "de") -> str:
    """A published figure with the decimals its source gives: Bitkom writes points with one
    (``42,7``), some sources with two (``61,09``); never a digit the source did not write
    (``42,70``) nor one less. Missing values :data:`MISSING`."""
    if is_missing(value):
        return MISSING
    tenths = float(value) * 10
    decimals = 1 if abs(tenths - round(tenths)) < 1e-6 else 2
    return format_number(value, lang, decimals=decimals)


@functools.lru_cache(maxsize=65536)
def _formatted(value: float, locale: str, decimals: int, grouping: bool,
               trailing_zeros: bool = True) -> str:
    # A dashboard rerun formats the same few thousand numbers again: Babel's formatting
    # costs a fraction of a millisecond each, the cache a dictionary look-up.
    pattern, parsed = _compiled(decimals, grouping, locale, trailing_zeros)
    return pattern.apply(_rounded(value, decimals), parsed)


class NumberTextError(ValueError):
    """Text that is not a number in the reader's format; ``suggestion`` is what it was
    perhaps meant to be, written in that format ("0,75" for "0.75" in German), or None."""

    def __init__(self, text: str, suggestion: str | None):
        super().__init__(text)
        self.text, self.suggestion = text, suggestion


def parse_number(text: str, lang: str = "de") -> float:
    """A number as a reader types it in ``lang``: German ``0,75`` or ``1.250,5``, English
    ``0.75`` or ``1,250.5``, with U+2212 or ``-`` for minus, strictly (Babel's
    ``parse_decimal``): a separator in the wrong place is an error, never a silent
    hundredfold (German "0.75" would otherwise read 75). Raises :class:`NumberTextError`."""
    from babel.numbers import NumberFormatError, parse_decimal

    cleaned = text.strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
    try:
        number = float(parse_decimal(cleaned, locale=babel_locale(lang), strict=True))
    except NumberFormatError as exc:
        options = getattr(exc, "suggestions", None) or []
        raise NumberTextError(text, options[-1] if options else None) from None
    if not math.isfinite(number):  # "NaN", "Infinity"
        raise NumberTextError(text, None)
    return number


def format_integer(value: Any, lang: str = "de") -> str:
    """A whole number with thousands separators: German ``3.669.491``, English ``3,669,491``."""
    return format_number(value, lang, decimals=0)


def format_rank_change(value: Any, lang: str = "de") -> str:
    """A change of rank, positive = better: ``+3``, ``−2`` (U+2212), ``±0``; missing ``–``.

    The magnitude is written by Babel, so a change of a thousand places reads ``+1.000`` in
    German.
    """
    if is_missing(value):
        return MISSING
    number = round(float(value))
    if number == 0:
        return f"{PLUS_MINUS}0"
    sign = "+" if number > 0 else MINUS
    return sign + format_number(abs(number), lang, decimals=0)


def format_percent_value(value: Any, lang: str = "de", *, decimals: int = 0) -> str:
    """A share given in percent (0–100, as the dataset stores shares) with the percent sign
    of ``lang``: German ``12,5 %`` (no-break space), English ``12.5%``; missing ``–``."""
    if is_missing(value):
        return MISSING
    locale = babel_locale(lang)
    pattern = Locale.parse(locale).percent_formats[None].pattern
    if decimals > 0:  # CLDR percent patterns end their digits in "0": add the decimals there
        at = pattern.rfind("0") + 1
        pattern = pattern[:at] + "." + "0" * decimals + pattern[at:]
    pattern = f"{pattern};{MINUS}{pattern}"
    return format_percent(_rounded(value, decimals) / 100, format=pattern, locale=locale)


def number_formatter(lang: str = "de", *, decimals: int = 1) -> Callable[[Any], str]:
    """A one-argument formatter for ``pandas.io.formats.style.Styler.format`` (the table
    keeps its numbers for sorting, the reader sees ``71,4``)."""

    def fmt(value: Any) -> str:
        return format_number(value, lang, decimals=decimals)

    return fmt


# --- the charts' side: the d3 number locale ---------------------------------------------------

_D3_CURRENCY = {"de": ["", "\u00a0€"], "en": ["€", ""]}


def d3_number_locale(lang: str = "de") -> dict[str, Any]:
    """The d3-format locale of ``lang`` (decimal mark, thousands separator, grouping,
    currency, minus sign, text for NaN), from the same CLDR data as the tables.

    German: ``{"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " €"],
    "minus": "−", "nan": "–"}`` (the space before € is a no-break space). Vega-Lite takes it
    as ``config.locale.number``; see :func:`vega_locale`.
    """
    lang = lang if lang in BABEL_LOCALES else "de"
    symbols = Locale.parse(babel_locale(lang)).number_symbols["latn"]
    return {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [3],
        "currency": list(_D3_CURRENCY[lang]),
        "minus": MINUS,
        "nan": MISSING,
    }


def vega_locale(lang: str = "de") -> dict[str, Any]:
    """The Vega-Lite ``config.locale`` of ``lang``: ``{"number": d3_number_locale(lang)}``.

    Use it as ``chart.configure(locale=vega_locale(lang))``; every chart of
    :mod:`cityindex.charts` already carries it.
    """
    return {"number": d3_number_locale(lang)}


def rank_change_label_expr(field: str = "datum.value") -> str:
    """A Vega expression writing a signed whole number as ``+3`` / ``−2`` / ``±0`` (for axis
    ``labelExpr``); ``format`` uses the chart's locale."""
    return f"{field} == 0 ? '{PLUS_MINUS}0' : format({field}, '{RANK_CHANGE_FORMAT}')"
