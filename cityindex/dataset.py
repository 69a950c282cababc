"""The indicator data model and its validator.

A dataset is a folder of CSV files, one ``.xlsx`` workbook or a ``.zip`` (see
``docs/dataset-format.md``); :mod:`cityindex.readers` reads them into raw tables and this module
checks those tables, at the boundary, so that a problem is reported with its file, row, column
and a hint instead of failing deep inside numpy. Loading never writes anything.
"""

from __future__ import annotations

import difflib
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cityindex.messages import msg

if TYPE_CHECKING:
    from cityindex.readers import RawTable, ReadResult

VALUE_PROVENANCE = ("published", "user", "imputed", "modeled")
"""Provenance of a value, from the most to the least authoritative."""

KINDS = ("yes_no", "share", "count", "score")
PUBLISHED_STATUS = ("used", "alternative")
TOTAL_SCOPE = "total"

_ID_RE = r"^[A-Za-z0-9_.\-]+$"
MAX_ID_LENGTH = 100
EDITION_RANGE = (1900, 2100)
MAX_WHOLE = 2**53  # whole numbers beyond this cannot be held exactly as float64
MAX_WEIGHT = 1e9
MAX_VALUE = 1e15
_MISSING_MARKERS = {"na", "n/a", "n.a.", "nan", "-", "–", "—", "?", "k.a.", "k. a.", "null",
                    "none", "#n/a", "#nv", "nv", ".", "x"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, located as precisely as possible.

    ``file`` is the path as the user gave it (or ``book.xlsx, sheet 'values'``), ``row`` the
    line in that file with the header as row 1, ``column`` the column name as written,
    ``message`` what is wrong and ``hint`` how to fix it ("" when there is nothing to add).
    ``str()`` gives the located message without the hint; :meth:`describe` adds the hint.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    hint: str = ""

    def describe(self) -> str:
        """The located message followed by the hint (on the same line after an arrow)."""
        return f"{self}  → {self.hint}" if self.hint else str(self)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DatasetError(Exception):
    """A dataset could not be loaded. ``problems`` lists everything that is wrong,
    ``warnings`` what was found besides that would not have stopped it (as
    :attr:`Dataset.warnings`)."""

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()):
        self.problems = list(problems)
        self.warnings = list(warnings)
        first = str(self.problems[0]) if self.problems else "invalid dataset"
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more problem{'s' * (more > 1)})" if more else ""))


# --- column specifications -------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id, text, int, float, flag, or "enum"
    required: bool = True  # the column must exist
    nonempty: bool = True  # every cell must be filled
    default: object = None
    choices: tuple[str, ...] = ()
    low: float | None = None  # numbers: the smallest allowed value
    high: float | None = None  # numbers: the largest allowed value


def _c(name, kind, required=True, nonempty=None, default=None, choices=(), low=None,
       high=None):
    if nonempty is None:
        nonempty = required and default is None
    if kind == "int":
        low = -MAX_WHOLE if low is None else low
        high = MAX_WHOLE if high is None else high
    return Column(name, kind, required, nonempty, default, choices, low, high)


_EDITION = _c("edition", "int", required=False, low=EDITION_RANGE[0], high=EDITION_RANGE[1])
_EDITION_REQUIRED = _c("edition", "int", low=EDITION_RANGE[0], high=EDITION_RANGE[1])
SPECS: dict[str, tuple[Column, ...]] = {
    "cities.csv": (
        _c("city_id", "id"),
        _c("name", "text"),
        _c("state", "text", required=False, default=""),
        _c("population", "int", required=False, nonempty=False, low=0),
        _c("population_year", "int", required=False, nonempty=False, low=EDITION_RANGE[0],
           high=EDITION_RANGE[1]),
        _c("lat", "float", required=False, nonempty=False, low=-90, high=90),
        _c("lon", "float", required=False, nonempty=False, low=-180, high=180),
        _c("source", "text", required=False, default=""),
    ),
    "areas.csv": (
        _EDITION,
        _c("area_id", "id"),
        _c("name_de", "text"),
        _c("name_en", "text", required=False, default=""),
        _c("weight", "float", required=False, default=1.0, high=MAX_WEIGHT),
    ),
    "categories.csv": (
        _EDITION,
        _c("category_id", "id"),
        _c("area_id", "id"),
        _c("name_de", "text"),
        _c("name_en", "text", required=False, default=""),
        _c("weight", "float", required=False, default=1.0, high=MAX_WEIGHT),
        _c("projects", "flag", required=False, default=False),
        _c("provenance", "enum", required=False, default="user", choices=VALUE_PROVENANCE),
        _c("source", "text", required=False, default=""),
    ),
    "indicators.csv": (
        _EDITION,
        _c("indicator_id", "id"),
        _c("category_id", "id"),
        _c("name_de", "text"),
        _c("name_en", "text", required=False, default=""),
        _c("unit", "text", required=False, default=""),
        _c("kind", "enum", choices=KINDS),
        _c("direction", "enum", choices=("1", "-1")),
        _c("weight", "float", required=False, default=1.0, high=MAX_WEIGHT),
        _c("service", "flag", required=False, default=False),
        _c("provenance", "enum", required=False, default="user", choices=VALUE_PROVENANCE),
        _c("source", "text", required=False, default=""),
    ),
    "values.csv": (
        _EDITION_REQUIRED,
        _c("city_id", "id"),
        _c("indicator_id", "id"),
        _c("value", "float", nonempty=False, low=-MAX_VALUE, high=MAX_VALUE),
        _c("provenance", "enum", required=False, default="user", choices=VALUE_PROVENANCE),
        _c("source", "text", required=False, default=""),
    ),
    "editions.csv": (
        _EDITION_REQUIRED,
        _c("title", "text", required=False, default=""),
        _c("published_on", "text", required=False, default=""),
        _c("n_cities", "int", required=False, nonempty=False, low=0),
        _c("n_categories", "int", required=False, nonempty=False, low=0),
        _c("n_indicators", "int", required=False, nonempty=False, low=0),
        _c("source", "text", required=False, default=""),
        _c("note", "text", required=False, default=""),
        _c("note_de", "text", required=False, default=""),
    ),
    "participation.csv": (
        _EDITION_REQUIRED,
        _c("city_id", "id"),
        _c("basis", "text", required=False, default=""),
    ),
    "published.csv": (
        _EDITION_REQUIRED,
        _c("city_id", "id"),
        _c("scope", "text"),
        _c("rank", "int", required=False, nonempty=False, low=1),
        _c("points", "float", required=False, nonempty=False),
        _c("rank_change", "int", required=False, nonempty=False),
        _c("status", "enum", required=False, default="used", choices=PUBLISHED_STATUS),
        _c("source", "text", required=False, default=""),
        _c("note", "text", required=False, default=""),
        _c("note_de", "text", required=False, default=""),
    ),
    "service_shares.csv": (
        _EDITION_REQUIRED,
        _c("indicator_id", "id"),
        _c("share", "float"),
        _c("source", "text", required=False, default=""),
        _c("note", "text", required=False, default=""),
    ),
    "constraints.csv": (  # domain constraints, checked by cityindex.constraints
        _EDITION,
        _c("indicator_id", "id"),
        _c("rule", "text"),
        _c("other_indicator_id", "id", required=False, default=""),
        _c("note", "text", required=False, default=""),
    ),
}
REQUIRED_FILES = ("cities.csv", "areas.csv", "categories.csv", "indicators.csv", "values.csv")
OPTIONAL_FILES = ("editions.csv", "participation.csv", "published.csv", "service_shares.csv",
                  "constraints.csv")

ROW = "_row"  # the line number of a record in its file (header = 1)


class _Checker:
    """Collects problems and warnings while tables are parsed and cross-checked."""

    def __init__(self, names: dict[str, str] | None = None, wide: bool = False):
        self.names = names or {}
        self.wide = wide  # values.csv was given in wide form
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self._seen: set[Problem] = set()
        # files left out of the checks across files (see _assemble_checked)
        self.broken: set[str] = set()
        # (file, column) -> rows whose cell could not be read (it counts as empty from then on)
        self.unread: dict[tuple[str, str], np.ndarray] = {}

    def name(self, filename: str) -> str:
        return self.names.get(filename, filename)

    def add(self, filename, row, column, message, hint=""):
        problem = Problem(self.name(filename), row, column, message, hint)
        if problem not in self._seen:  # a catalogue without editions is checked per edition
            self._seen.add(problem)
            self.problems.append(problem)

    def warn(self, filename, row, column, message, hint=""):
        self.warnings.append(Problem(self.name(filename), row, column, message, hint))

    def add_rows(self, filename, frame: pd.DataFrame, mask, column, message_for, hint=""):
        """Report every row of ``frame`` where ``mask`` holds. ``hint`` is a string or a
        function of the cell."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if callable(frame):  # built only when there is something to report
            frame = frame()
        bad = frame.loc[mask]
        hint_for = hint if callable(hint) else (lambda v: hint)
        if self.wide and filename == "values.csv" and column in ("indicator_id", "value"):
            self._add_wide(bad, column, message_for, hint_for)
            return
        for row, value in zip(bad[ROW].tolist(), _cells(bad, column), strict=True):
            self.add(filename, int(row), column, message_for(value), hint_for(value))

    def _add_wide(self, bad, column, message_for, hint_for):
        """In wide values an indicator is a column of the header and a value a cell under it."""
        ids = bad["indicator_id"].astype(str).tolist()
        if column == "indicator_id":
            for ind in dict.fromkeys(ids):
                self.add("values.csv", 1, ind, message_for(ind), hint_for(ind))
            return
        for row, ind, value in zip(bad[ROW].tolist(), ids, _cells(bad, column), strict=True):
            self.add("values.csv", int(row), ind, message_for(value), hint_for(value))


def _cells(frame: pd.DataFrame, column: str | None) -> list:
    if column is None or column not in frame:
        return [None] * len(frame)
    return frame[column].tolist()


def _text(series: pd.Series) -> pd.Series:
    """A column as stripped strings, with missing cells as empty strings."""
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        return series.astype(object).fillna("").astype(str).str.strip()
    return series.astype(object).where(series.notna(), "").astype(str)


def near_column(name: str, unused: Iterable[str]) -> str | None:
    """The column of the format that ``name`` (not itself a column of the format) is a near
    miss of: the same name in another case or with a space for ``_`` (``Weight``, ``City
    ID``), or spelt almost alike (difflib ratio ≥ 0.75: ``indicator`` for ``indicator_id``);
    None if there is none among ``unused`` (the columns the header does not have)."""
    unused = list(unused)
    same_case = [c for c in unused if c.lower() == name.lower().replace(" ", "_")]
    near = same_case or difflib.get_close_matches(name.lower(), unused, n=1, cutoff=0.75)
    return near[0] if near else None


def _check_header(checker: _Checker, table: RawTable) -> None:
    """Duplicate, nameless and unknown columns, from the header as written."""
    filename = table.name
    spec_names = [c.name for c in SPECS[filename]]
    present = set(table.header)
    first_at: dict[str, int] = {}
    for position, name in enumerate(table.header, start=1):
        if name in first_at:
            checker.add(filename, 1, name or None,
                        msg("the column appears more than once (columns {first} and "
                            "{second})", first=first_at[name], second=position),
                        msg("delete or rename one of them"))
            continue
        first_at[name] = position
        if name == "":
            checker.add(filename, 1, None, msg("column {position} has no name",
                                               position=position),
                        msg("name it, or delete the column"))
            continue
        if table.wide or name in spec_names:
            continue
        near = near_column(name, [c for c in spec_names if c not in present])
        if near:
            checker.add(filename, 1, name, msg("unknown column {name!r}: did you mean "
                                               "{near!r}?", name=name, near=near),
                        msg("column names are lower case and spelt as the dataset format "
                            "gives them"))
        else:
            checker.warn(filename, 1, name, msg("column {name!r} is not part of the format and "
                                                "is ignored", name=name),
                         msg("remove it, or check its spelling against the dataset format"))


def _parse(checker: _Checker, table: RawTable) -> pd.DataFrame:
    """Check one table against its spec and return it with typed columns."""
    filename = table.name
    spec = SPECS[filename]
    raw = table.frame
    _check_header(checker, table)
    out = pd.DataFrame(index=pd.RangeIndex(len(raw)))
    out[ROW] = np.asarray(table.rows, dtype=np.int64)
    single = len(table.header) == 1 and table.separator is not None
    for col in spec:
        if col.name not in raw.columns:
            if col.required:
                hint = ""
                if single:
                    other = [s for s in (";", ",", "\t") if s in table.header[0]]
                    if other:
                        from cityindex.readers import sep_option  # readers imports this module

                        hint = msg("the header reads as one column; the file seems "
                                   "separated by {sep}: leave out --sep to detect it, or pass "
                                   "--sep {sep}", sep=sep_option(other[0]))
                checker.add(filename, 1, col.name, msg("required column is missing"), hint)
                checker.broken.add(filename)
                out[col.name] = pd.Series([None] * len(raw), index=out.index, dtype=object)
            elif col.name != "edition":
                out[col.name] = col.default if col.default is not None else np.nan
            continue
        # The long table repeats a few thousand ids millions of times: keep them as codes.
        categorical = filename == "values.csv" and col.kind in ("id", "enum", "text")
        column = raw[col.name]
        if col.kind in ("int", "float"):
            out[col.name] = _parse_number(checker, filename, column, col, out[ROW], table)
        else:
            wide_ids = raw["indicator_id"] if table.wide else None
            out[col.name] = _parse_column(checker, filename, column, col, out[ROW],
                                          categorical, wide_ids)
    return out


def _problem_frame(rows, name, series, wide_ids) -> pd.DataFrame:
    """The rows and cells of one column, to locate problems (with the indicator of each value
    when the values came in wide form)."""
    frame = pd.DataFrame({ROW: np.asarray(rows), name: np.asarray(series, dtype=object)})
    if wide_ids is not None:
        frame["indicator_id"] = np.asarray(wide_ids, dtype=object)
    return frame


def _parse_column(checker, filename, series: pd.Series, col: Column, rows: pd.Series,
                  categorical: bool = False, wide_ids=None):
    # Text columns repeat a few distinct values many times (ids, enums): check each distinct
    # value once and map the verdict back to the rows through the factorised codes.
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, uniques = series.cat.codes.to_numpy(), series.cat.categories
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    distinct = _text(pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    text_of = np.append(distinct.to_numpy(dtype=object), "")  # code -1 (NaN) -> ""
    codes = np.where(codes < 0, len(distinct), codes)

    def frame():
        return _problem_frame(rows, col.name, series, wide_ids)

    def report(bad_distinct: np.ndarray, message_for, hint=""):
        bad = np.append(np.asarray(bad_distinct, dtype=bool), False)[codes]
        checker.add_rows(filename, frame, bad, col.name, message_for, hint)

    empty_distinct = np.append((distinct == "").to_numpy(), True)
    if col.nonempty:
        checker.add_rows(filename, frame, empty_distinct[codes], col.name,
                         lambda v: msg("a value is required here"))
    if col.kind == "id":
        valid = distinct.str.match(_ID_RE).to_numpy() | (distinct == "").to_numpy()
        report(~valid, lambda v: msg("{value!r} is not a valid id (letters, digits, '_', '.', "
                                     "'-'; no spaces)", value=v),
               msg("e.g. replace spaces by '_'"))
        too_long = (distinct.str.len() > MAX_ID_LENGTH).to_numpy()
        report(too_long & valid, lambda v: msg("the id is longer than {limit} characters",
                                               limit=MAX_ID_LENGTH),
               msg("use a shorter id"))
        # a reported id counts as missing from here on: the checks across files skip it
        # instead of reporting the same cell again as an unknown id
        text_of[:-1] = np.where(valid & ~too_long, text_of[:-1], "")
    elif col.kind == "flag":
        lowered = distinct.str.lower()
        truthy = lowered.isin(("1", "true", "yes", "1.0", "wahr", "ja")).to_numpy()
        falsy = lowered.isin(("0", "false", "no", "", "0.0", "falsch", "nein")).to_numpy()
        report(~(truthy | falsy), lambda v: msg("{value!r} is not 0 or 1", value=v),
               msg("write 1 for yes, 0 for no"))
        return np.append(truthy, False)[codes]
    elif col.kind == "enum":
        ok = distinct.isin(col.choices).to_numpy() | (distinct == "").to_numpy()

        def enum_hint(v):
            near = [c for c in col.choices if c.lower() == str(v).strip().lower()]
            if near:
                return msg("did you mean {near!r}?", near=near[0])
            return msg("leave it empty for the default") if col.default is not None else ""

        report(~ok, lambda v: msg("{value!r} is not one of {choices}", value=v,
                                  choices=", ".join(col.choices)), enum_hint)
    if col.default is not None:
        text_of = np.where(empty_distinct, col.default, text_of)
    if not categorical:
        return text_of[codes]
    # distinct after stripping and defaults: merge categories that became equal
    categories, inverse = np.unique(text_of.astype(str), return_inverse=True)
    return pd.Categorical.from_codes(inverse[codes], categories=pd.Index(categories, dtype=object))


_COMMA_NUMBER = r"^[+-]?\d*,\d+$"


def _number_hint(table: RawTable | None):
    def hint(value) -> str:
        text = str(value).strip()
        lowered = text.lower()
        if lowered in _MISSING_MARKERS:
            return msg("leave the cell empty for a missing value")
        if lowered in ("inf", "-inf", "+inf", "infinity", "-infinity"):
            return msg("write a finite number, or leave the cell empty for a missing value")
        from cityindex.readers import grouped_thousands

        if grouped_thousands(text):
            return msg("write the number without thousands separators (1234.5, or 1234,5)")
        if "%" in text:
            return msg("write the number without the % sign")
        if pd.Series([text]).str.match(_COMMA_NUMBER).iloc[0]:
            if table is not None and table.mixed_decimals:
                return msg("the file writes decimals with both a point and a comma: use one "
                           "decimal mark per file (on the command line, --decimal names it)")
            return msg("the file is read with a decimal point; write its decimals with one "
                       "mark (on the command line, --decimal , reads decimal commas)")
        return ""

    return hint


def _parse_number(checker, filename, series: pd.Series, col: Column, rows: pd.Series,
                  table: RawTable | None = None):
    name = col.name
    numeric_input = pd.api.types.is_numeric_dtype(series.dtype) and not \
        pd.api.types.is_bool_dtype(series.dtype)
    wide_ids = table.frame["indicator_id"] if table is not None and table.wide else None

    def frame():
        return _problem_frame(rows, name, series, wide_ids)
    if numeric_input:
        arr = series.to_numpy(dtype=float, na_value=np.nan)
        empty = np.isnan(arr)
        not_number = np.zeros(len(arr), dtype=bool)
    else:
        text = _text(pd.Series(np.asarray(series, dtype=object)))
        empty = (text == "").to_numpy()
        decimal = table.decimal if table is not None else "."
        prepared = text
        if decimal == ",":
            prepared = text.where(~text.str.contains(".", regex=False), "x")
            prepared = prepared.str.replace(",", ".", regex=False)
        else:
            prepared = text.where(~text.str.contains(",", regex=False), "x")
        number = pd.to_numeric(prepared.where(~prepared.str.lower().isin(
            ("nan", "+nan", "-nan")), "x"), errors="coerce")
        arr = np.asarray(number, dtype=float)
        not_number = ~empty & np.isnan(arr)
    if col.nonempty:
        checker.add_rows(filename, frame, empty, name, lambda v: msg("a value is required here"),
                         msg("fill in the cell"))
    hint = _number_hint(table)
    checker.add_rows(filename, frame, not_number, name,
                     lambda v: msg("{value!r} is not a number", value=v), hint)
    # one pass for the extremes; the per-cell masks are only built when something is wrong
    present = ~np.isnan(arr)
    lowest = float(np.min(arr, where=present, initial=np.inf))
    highest = float(np.max(arr, where=present, initial=-np.inf))
    if np.isinf(lowest) or np.isinf(highest):
        infinite = np.isinf(arr)
        checker.add_rows(filename, frame, infinite, name,
                         lambda v: msg("{value!r} is not finite", value=v),
                         msg("write a finite number, or leave the cell empty for a missing "
                             "value"))
        arr = np.where(infinite, np.nan, arr)
        present = ~np.isnan(arr)
        lowest = float(np.min(arr, where=present, initial=np.inf))
        highest = float(np.max(arr, where=present, initial=-np.inf))
    with np.errstate(invalid="ignore"):
        if col.kind == "int":
            fractional = present & (arr != np.round(arr))
            if fractional.any():
                checker.add_rows(filename, frame, fractional, name,
                                 lambda v: msg("{value!r} is not a whole number", value=v),
                                 msg("write a whole number"))
                arr = np.where(fractional, np.nan, arr)
        low = col.low if col.low is not None else -np.inf
        high = col.high if col.high is not None else np.inf
        if name == "weight":
            if highest > high:
                checker.add_rows(filename, frame, arr > high, name,
                                 lambda v: msg("weight {value} is too large (at most {limit:g})",
                                               value=v, limit=MAX_WEIGHT),
                                 msg("weights are relative: use numbers like 1, 2 or 0.5"))
        elif lowest < low or highest > high:
            out_of_range = (arr < low) | (arr > high)
            checker.add_rows(filename, frame, out_of_range, name,
                             lambda v: msg("{value} lies outside {low}…{high}",
                                           value=_shown(v), low=_bound(low), high=_bound(high)),
                             _range_hint(name))
            arr = np.where(out_of_range, np.nan, arr)
    # every cell reported above is empty from here on ("treated as missing"): the checks
    # across files go on without it, and those that would misread its emptiness skip its row
    unread = ~empty & np.isnan(arr)
    if unread.any():
        checker.unread[(filename, name)] = unread
    if col.kind == "int":
        if np.isnan(arr).any():
            return pd.array(arr, dtype="Float64").astype("Int64")
        return arr.astype(np.int64)
    if col.default is not None and empty.any():
        arr = np.where(empty, float(col.default), arr)
    return arr


def _shown(value):
    """A cell as the user wrote it: text as is, a number read as such as a number, whole
    floats as whole numbers (printed without '.0')."""
    if isinstance(value, float | np.floating):
        if float(value).is_integer() and abs(value) < 1e15:
            return int(value)
        return float(value)
    return str(value)


def _bound(x: float):
    """A range's end for a message: a whole number as such (written in the reader's format),
    a large one as ``1e+15``."""
    return int(x) if float(x).is_integer() and abs(x) < 1e6 else f"{x:g}"


def _range_hint(name: str) -> str:
    return {
        "edition": msg("an edition is a year between {first} and {last}",
                       first=EDITION_RANGE[0], last=EDITION_RANGE[1]),
        "population_year": msg("a year"),
        "lat": msg("latitude in degrees (WGS84), e.g. 51.51"),
        "lon": msg("longitude in degrees (WGS84), e.g. 7.47"),
        "value": msg("scale very large numbers down (e.g. thousands instead of units)"),
    }.get(name, "")


# --- the dataset ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """The area → category → indicator hierarchy of one edition, in file order."""

    edition: int
    areas: pd.DataFrame  # index area_id
    categories: pd.DataFrame  # index category_id; column area_id
    indicators: pd.DataFrame  # index indicator_id; columns category_id, area_id, ...


@dataclass
class Dataset:
    """A validated dataset: cities, editions, the catalogue, values and published results.

    Tables are pandas DataFrames in long form; use :meth:`edition_data` for the numeric
    (cities x indicators) view that scoring methods work on.
    """

    cities: pd.DataFrame
    areas: pd.DataFrame
    categories: pd.DataFrame
    indicators: pd.DataFrame
    values: pd.DataFrame
    participation: pd.DataFrame
    published: pd.DataFrame
    editions_table: pd.DataFrame
    service_shares: pd.DataFrame
    path: Path | None = None
    warnings: tuple[Problem, ...] = ()
    """Things that do not stop loading but may not be what the user meant (an unknown column
    that is ignored, an encoding that had to be guessed), located like problems."""
    _edition_cache: dict = field(default_factory=dict, repr=False, compare=False)
    constraints: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Domain constraints of the catalogue (constraints.csv; see cityindex.constraints)."""

    @property
    def editions(self) -> list[int]:
        """The editions that have values, oldest first (found once: a dashboard rerun asks a
        dozen times, and each look costs a pass over every value)."""
        if "editions" not in self._edition_cache:
            self._edition_cache["editions"] = tuple(
                sorted(int(e) for e in self.values["edition"].unique()))
        return list(self._edition_cache["editions"])

    @property
    def latest_edition(self) -> int:
        return self.editions[-1]

    def check_edition(self, edition: int | None) -> int:
        """Return ``edition`` (the latest one if None), or raise for an unknown one."""
        if edition is None:
            return self.latest_edition
        if int(edition) not in self.editions:
            known = ", ".join(str(e) for e in self.editions)
            raise UnknownEditionError(msg("edition {edition} is not in the dataset (it has "
                                          "{known})", edition=edition, known=known))
        return int(edition)

    def edition_cities(self, edition: int) -> list[str]:
        """City ids assessed in ``edition``, in the order of cities.csv (cached per edition;
        each call returns a new list)."""
        edition = self.check_edition(edition)
        key = ("cities", edition)
        if key not in self._edition_cache:
            self._edition_cache[key] = tuple(self._edition_cities(edition))
        return list(self._edition_cache[key])

    def city_rows(self, table: str, city_id: str, edition: int | None = None) -> pd.DataFrame:
        """The rows of :attr:`values` (``table="values"``) or :attr:`published`
        (``"published"``) about one city, in ``edition`` (or in every edition), in the
        table's order; no rows for a city the table does not have.

        The rows of every city are found in one pass per table and edition, and each look-up
        after it is a dictionary's: the city profile asks for one city at a time, and a scan
        of the ~80,000 values for one city costs milliseconds.

        Raises ``ValueError`` for another ``table``."""
        if table not in ("values", "published"):
            raise ValueError(f"city_rows: table must be 'values' or 'published', not {table!r}")
        frame = getattr(self, table)
        key = ("city_rows", table, edition)
        if key not in self._edition_cache:
            keep = (np.ones(len(frame), dtype=bool) if edition is None
                    else (frame["edition"] == edition).to_numpy(dtype=bool))
            positions = np.flatnonzero(keep)
            ids = frame["city_id"].to_numpy(dtype=object)[positions]
            groups = pd.Series(positions).groupby(ids, sort=False).indices
            self._edition_cache[key] = {c: positions[i] for c, i in groups.items()}
        rows = self._edition_cache[key].get(city_id)
        return frame.iloc[rows] if rows is not None else frame.iloc[:0]

    def _edition_cities(self, edition: int) -> list[str]:
        part = self.participation
        ids = part.loc[part["edition"] == edition, "city_id"] if len(part) else part["city_id"]
        if not len(ids):
            ids = self.values.loc[self.values["edition"] == edition, "city_id"]
        taking_part = self.cities.index.isin(pd.unique(ids))
        return self.cities.index[taking_part].tolist()

    def catalogue(self, edition: int) -> Catalogue:
        """The hierarchy of one edition (cached per edition; each call returns shallow
        copies, which pandas' copy-on-write keeps from changing the cached tables)."""
        edition = self.check_edition(edition)
        key = ("catalogue", edition)
        if key not in self._edition_cache:
            self._edition_cache[key] = self._build_catalogue(edition)
        cached = self._edition_cache[key]
        return Catalogue(edition, cached.areas.copy(deep=False),
                         cached.categories.copy(deep=False), cached.indicators.copy(deep=False))

    def _build_catalogue(self, edition: int) -> Catalogue:

        def pick(frame, key):
            return frame.loc[frame["edition"] == edition].drop(columns="edition").set_index(key)

        areas = pick(self.areas, "area_id")
        categories = pick(self.categories, "category_id")
        indicators = pick(self.indicators, "indicator_id")
        indicators["area_id"] = categories["area_id"].reindex(indicators["category_id"]).to_numpy()
        return Catalogue(edition, areas, categories, indicators)

    def edition_data(self, edition: int | None = None) -> EditionData:
        """The numeric view of one edition (cached: datasets are not mutated after loading)."""
        edition = self.check_edition(edition)
        if edition not in self._edition_cache:
            self._edition_cache[edition] = EditionData.build(self, edition)
        return self._edition_cache[edition]

    def published_results(self, edition: int, scope: str = TOTAL_SCOPE) -> pd.DataFrame:
        """The ``used`` published figures of one edition and scope, indexed by city_id."""
        pub = self.published
        sel = pub.loc[
            (pub["edition"] == edition) & (pub["scope"] == scope) & (pub["status"] == "used")
        ]
        return sel.set_index("city_id")


class UnknownEditionError(LookupError):
    """An edition that the dataset does not have."""


@dataclass(frozen=True)
class EditionData:
    """One edition as arrays: what a scoring method receives.

    ``values[i, j]`` is the value of indicator ``indicator_ids[j]`` for city ``city_ids[i]``
    (NaN where missing). ``indicator_category[j]`` indexes ``category_ids`` and
    ``category_area[k]`` indexes ``area_ids``.
    """

    edition: int
    city_ids: np.ndarray
    indicator_ids: np.ndarray
    category_ids: np.ndarray
    area_ids: np.ndarray
    values: np.ndarray
    provenance: np.ndarray  # int8 index into VALUE_PROVENANCE, -1 where no value
    direction: np.ndarray
    indicator_weight: np.ndarray
    indicator_category: np.ndarray
    service: np.ndarray
    kind: np.ndarray
    category_weight: np.ndarray
    category_area: np.ndarray
    category_projects: np.ndarray
    area_weight: np.ndarray
    catalogue: Catalogue

    @classmethod
    def build(cls, dataset: Dataset, edition: int) -> EditionData:
        cat = dataset.catalogue(edition)
        city_ids = np.array(dataset.edition_cities(edition), dtype=object)
        indicator_ids = cat.indicators.index.to_numpy(dtype=object)
        category_ids = cat.categories.index.to_numpy(dtype=object)
        area_ids = cat.areas.index.to_numpy(dtype=object)

        vals = dataset.values
        sel = vals.loc[(vals["edition"] == edition).to_numpy()]
        ci = _positions(sel["city_id"], city_ids)
        ii = _positions(sel["indicator_id"], indicator_ids)
        keep = (ci >= 0) & (ii >= 0)
        matrix = np.full((len(city_ids), len(indicator_ids)), np.nan)
        matrix[ci[keep], ii[keep]] = sel["value"].to_numpy(dtype=float)[keep]
        prov = np.full(matrix.shape, -1, dtype=np.int8)
        prov[ci[keep], ii[keep]] = _positions(sel["provenance"], VALUE_PROVENANCE)[keep]
        prov[np.isnan(matrix)] = -1

        return cls(
            edition=edition,
            city_ids=city_ids,
            indicator_ids=indicator_ids,
            category_ids=category_ids,
            area_ids=area_ids,
            values=matrix,
            provenance=prov,
            direction=cat.indicators["direction"].astype(int).to_numpy(),
            indicator_weight=cat.indicators["weight"].to_numpy(dtype=float),
            indicator_category=pd.Index(category_ids).get_indexer(cat.indicators["category_id"]),
            service=cat.indicators["service"].to_numpy(dtype=bool),
            kind=cat.indicators["kind"].to_numpy(dtype=object),
            category_weight=cat.categories["weight"].to_numpy(dtype=float),
            category_area=pd.Index(area_ids).get_indexer(cat.categories["area_id"]),
            category_projects=cat.categories["projects"].to_numpy(dtype=bool),
            area_weight=cat.areas["weight"].to_numpy(dtype=float),
            catalogue=cat,
        )

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape


def _positions(column: pd.Series, targets) -> np.ndarray:
    """The position of every entry of a categorical ``column`` in ``targets`` (-1 if absent),
    looked up once per category rather than once per row."""
    cat = column.cat if isinstance(column.dtype, pd.CategoricalDtype) else None
    if cat is None:
        return pd.Index(targets).get_indexer(column)
    lookup = pd.Index(targets).get_indexer(cat.categories)
    codes = cat.codes.to_numpy()
    return np.where(codes >= 0, lookup[codes], -1)


# --- loading ----------------------------------------------------------------------------------


def default_data_dir() -> Path:
    """The bundled data: ``$CITYINDEX_DATA`` if set, else ``data/`` of the source checkout."""
    env = os.environ.get("CITYINDEX_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "data"


def load_dataset(
    path: str | os.PathLike | None = None,
    *,
    sep: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
) -> Dataset:
    """Load and validate a dataset (the bundled data by default).

    ``path`` is a folder of CSV files (``values`` may also be ``values.parquet``, and may be in
    wide form), an ``.xlsx`` workbook with one sheet per file, or a ``.zip`` of the files.
    The CSV separator (``,`` ``;`` tab), decimal mark (``.`` ``,``) and encoding (UTF-8 with or
    without BOM, UTF-16 with BOM, Windows-1252/Latin-1) are detected per file; ``sep``,
    ``decimal`` and ``encoding`` override detection for every file. See
    ``docs/dataset-format.md`` for the format and the detection rules.

    Raises :class:`DatasetError` listing every problem found (in every file); never any other
    exception. Things that do not stop loading are listed in :attr:`Dataset.warnings`.
    """
    from cityindex import readers

    shown = os.fspath(path) if path is not None else str(default_data_dir())
    variable = "CITYINDEX_DATA" if path is None and os.environ.get("CITYINDEX_DATA") else None
    try:
        result = readers.read_source(shown, sep=sep, decimal=decimal, encoding=encoding,
                                     variable=variable)
        return dataset_from_read(result)
    except DatasetError:
        raise
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - never a traceback
        raise DatasetError([_internal(shown, exc)]) from exc


INTERNAL_ERROR = "could not be checked because of an internal error"


def _internal(shown: str, exc: BaseException) -> Problem:
    return Problem(shown, None, None,
                   msg("could not be checked because of an internal error ({error})",
                       error=f"{type(exc).__name__}: {exc}"),
                   msg("please report this with the file to the cityindex issue tracker"))


def dataset_from_read(result: ReadResult) -> Dataset:
    """Validate the raw tables read by :mod:`cityindex.readers` into a :class:`Dataset`.

    Read problems and validation problems of every readable file are raised together.
    """
    names = dict(result.names)
    wide = "values.csv" in result.tables and result.tables["values.csv"].wide
    checker = _Checker(names, wide=wide)
    checker.problems.extend(result.problems)
    checker.warnings.extend(result.warnings)
    # a file with a read problem that is not about one cell (a ragged row left out, an
    # encoding) is not whole: it is left out of the checks across files (see
    # _assemble_checked). A cell's problem (a formula without its result) leaves it empty.
    read_problems = {p.file for p in result.problems if p.column is None}
    checker.broken.update(name for name, shown in names.items() if shown in read_problems)
    try:
        return _assemble(checker, result.tables, result.path)
    except DatasetError:
        raise
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - never a traceback
        shown = str(result.path) if result.path is not None else "dataset"
        raise DatasetError([*checker.problems, _internal(shown, exc)], checker.warnings) from exc


def dataset_from_frames(
    *,
    cities: pd.DataFrame,
    areas: pd.DataFrame,
    categories: pd.DataFrame,
    indicators: pd.DataFrame,
    values: pd.DataFrame,
    participation: pd.DataFrame | None = None,
    published: pd.DataFrame | None = None,
    editions: pd.DataFrame | None = None,
    service_shares: pd.DataFrame | None = None,
) -> Dataset:
    """Build a validated dataset from in-memory tables with the columns of the file format.

    Raises :class:`DatasetError` listing every problem.
    """
    from cityindex.readers import RawTable, ReadResult

    frames = {
        "cities.csv": cities,
        "areas.csv": areas,
        "categories.csv": categories,
        "indicators.csv": indicators,
        "values.csv": values,
        "participation.csv": participation,
        "published.csv": published,
        "editions.csv": editions,
        "service_shares.csv": service_shares,
    }
    result = ReadResult()
    for name, frame in frames.items():
        if frame is None:
            continue
        header = tuple(str(c).strip() for c in frame.columns)
        frame = frame.reset_index(drop=True)
        frame = frame.loc[:, ~pd.Index(header).duplicated()]
        frame.columns = [h for h in dict.fromkeys(header)]
        rows = np.arange(2, len(frame) + 2, dtype=np.int64)
        result.tables[name] = RawTable(name, name, header, frame, rows)
    return dataset_from_read(result)


def _empty(filename: str) -> pd.DataFrame:
    cols = {ROW: pd.Series(dtype=np.int64)}
    for col in SPECS[filename]:
        cols[col.name] = pd.Series(dtype=float if col.kind in ("int", "float") else object)
    return pd.DataFrame(cols)


def _assemble(checker: _Checker, raw: dict[str, RawTable], folder: Path | None) -> Dataset:
    try:
        return _assemble_checked(checker, raw, folder)
    finally:
        _LOCAL.__dict__.pop("distinct", None)


def _assemble_checked(checker: _Checker, raw: dict[str, RawTable], folder: Path | None
                      ) -> Dataset:
    t = {name: _parse(checker, name_table) for name, name_table in raw.items()
         if name in SPECS}
    missing = [name for name in REQUIRED_FILES if name not in t]
    if missing and not checker.problems:  # readers report missing files; this is for frames
        for name in missing:
            checker.add(name, None, None, msg("required file is missing"))
    for name in missing:
        checker.broken.add(name)
        t[name] = _empty(name)
    for name in OPTIONAL_FILES:
        t.setdefault(name, _empty(name))
    # Every problem is listed at once. A cell that could not be read was reported by _parse and
    # is empty from here on, so the checks across files go on without it. A file that is
    # missing, could not be read whole (a read problem names it: an encoding, a ragged row
    # that was left out) or lacks a required column is different: its rows are not all there
    # or cannot be matched, so every check across files that involves it would only report
    # follow-on errors ("not in cities.csv" for a city whose row was not read). Those checks
    # are skipped (``usable``); the others run.
    broken = checker.broken

    def usable(*names: str) -> bool:
        return not broken.intersection(names)

    cities = t["cities.csv"]
    if usable("cities.csv"):
        _unique(checker, "cities.csv", cities, ["city_id"], what=msg("city"))
    values = t["values.csv"]
    value_editions: list[int] = []
    if usable("values.csv"):
        if not len(values):
            checker.add("values.csv", None, None, msg("has no rows: a dataset needs values"),
                        msg("add one row per edition, city and indicator"))
        # a row whose edition was reported belongs to no edition: left out of the checks
        values = _keyed(values, ["edition"])
        if values["edition"].dtype != np.int64:
            values = values.assign(edition=values["edition"].astype(np.int64))
        value_editions = sorted(int(e) for e in pd.unique(values["edition"]))
    # Without the editions of the values, the catalogue is checked over the editions that it
    # names itself (or as one edition): its own checks do not depend on the values.
    expand_over = value_editions or sorted(_named_editions(t)) or [EDITION_RANGE[0]]

    catalogue = ("areas.csv", "categories.csv", "indicators.csv")
    had_edition = {}
    for name in catalogue:
        had_edition[name] = "edition" in t[name].columns
        t[name] = _expand_editions(t[name], expand_over)
    areas, categories, indicators = t["areas.csv"], t["categories.csv"], t["indicators.csv"]
    # whether the catalogue's editions are those of the other files (published scopes and
    # service shares are matched by edition)
    editions_known = bool(value_editions) or all(had_edition.values())
    for name, frame, key, what in (("areas.csv", areas, "area_id", msg("area")),
                                   ("categories.csv", categories, "category_id",
                                    msg("category")),
                                   ("indicators.csv", indicators, "indicator_id",
                                    msg("indicator"))):
        if usable(name):
            _unique(checker, name, frame, ["edition", key], what=what)
    # From here on each catalogue entry counts once, so that a duplicate is reported once and
    # does not break the cross-checks below.
    areas = areas.drop_duplicates(["edition", "area_id"])
    categories = categories.drop_duplicates(["edition", "category_id"])
    indicators = indicators.drop_duplicates(["edition", "indicator_id"])
    if usable("categories.csv", "areas.csv"):
        _exists(checker, "categories.csv", categories, ["edition", "area_id"], areas,
                "areas.csv")
    if usable("indicators.csv", "categories.csv"):
        _exists(checker, "indicators.csv", indicators, ["edition", "category_id"], categories,
                "categories.csv")
    for fname, frame in (("areas.csv", areas), ("categories.csv", categories),
                         ("indicators.csv", indicators)):
        if usable(fname):
            checker.add_rows(fname, frame, frame["weight"] < 0, "weight",
                             lambda v: msg("weight {value} is negative", value=v),
                             msg("weights are 0 or more"))
    if usable("values.csv", "indicators.csv") and (
            ("indicators.csv", "edition") not in checker.unread):
        for edition in value_editions:
            if not (indicators["edition"] == edition).any():
                checker.add(
                    "indicators.csv", None, "edition",
                    msg("edition {edition} has values but no indicators in the catalogue",
                        edition=edition),
                    msg("add the edition's indicators, or leave out the edition column"),
                )
    # Every area needs a category and every category an indicator, or its score is undefined.
    if usable("areas.csv", "categories.csv"):
        _has_children(checker, "areas.csv", areas, "area_id", categories)
    if usable("categories.csv", "indicators.csv"):
        _has_children(checker, "categories.csv", categories, "category_id", indicators)
    if usable(*catalogue):
        _check_weights_left(checker, areas, categories, indicators, had_edition)

    if usable("values.csv"):
        _unique(checker, "values.csv", values, ["edition", "city_id", "indicator_id"])
    if usable("values.csv", "cities.csv"):
        _exists(checker, "values.csv", values, ["city_id"], cities, "cities.csv")
    if usable("values.csv", "indicators.csv"):
        _exists(checker, "values.csv", values, ["edition", "indicator_id"], indicators,
                "indicators.csv")
        _check_value_ranges(checker, values, indicators)
    if usable("values.csv", *catalogue):
        _check_levels_with_values(checker, values, indicators, categories, areas,
                                  value_editions)

    participation = t["participation.csv"]
    if usable("participation.csv"):
        _unique(checker, "participation.csv", participation, ["edition", "city_id"])
    if usable("participation.csv", "cities.csv"):
        _exists(checker, "participation.csv", participation, ["city_id"], cities, "cities.csv")
    if usable("values.csv", "participation.csv"):
        if len(participation):
            _exists(checker, "values.csv", values, ["edition", "city_id"], participation,
                    "participation.csv")
        _check_city_counts(checker, values, _keyed(participation, ["edition", "city_id"]),
                           value_editions)

    published = t["published.csv"]
    if usable("published.csv", "cities.csv"):
        _exists(checker, "published.csv", published, ["city_id"], cities, "cities.csv")
    if usable("published.csv"):
        used = published.loc[published["status"] == "used"]
        _unique(checker, "published.csv", used, ["edition", "city_id", "scope"],
                what=msg("used row"))
    if usable("published.csv", "areas.csv", "categories.csv") and editions_known:
        _check_scopes(checker, published, areas, categories)

    shares = t["service_shares.csv"]
    if usable("service_shares.csv", "indicators.csv") and editions_known:
        _exists(checker, "service_shares.csv", shares, ["edition", "indicator_id"], indicators,
                "indicators.csv")
    if usable("service_shares.csv"):
        bad_share = (shares["share"] < 0) | (shares["share"] > 100)
        checker.add_rows("service_shares.csv", shares, bad_share, "share",
                         lambda v: msg("share {value} is outside 0–100", value=v),
                         msg("a share is a percentage"))
    from cityindex.constraints import check_constraints

    # A rule of constraints.csv with a cell that could not be read cannot be applied; the
    # rules are checked once that file's problems are fixed.
    with_problems = {p.file for p in checker.problems}
    if usable("constraints.csv", "values.csv", "indicators.csv", "participation.csv",
              "service_shares.csv") and checker.name("constraints.csv") not in with_problems:
        for p in check_constraints(t["constraints.csv"], values, indicators,
                                   _keyed(participation, ["edition", "city_id"]),
                                   _keyed(shares, ["edition", "indicator_id"])):
            checker.add(p.file, p.row, p.column, p.message, p.hint)
    if checker.problems:
        raise DatasetError(checker.problems, checker.warnings)

    def finish(frame, index=None):
        frame = frame.drop(columns=ROW)
        return frame.set_index(index) if index else frame.reset_index(drop=True)

    return Dataset(
        cities=finish(cities, "city_id"),
        areas=finish(areas),
        categories=finish(categories),
        indicators=finish(indicators),
        values=finish(values),
        participation=finish(participation),
        published=finish(published),
        editions_table=finish(t["editions.csv"]),
        service_shares=finish(shares),
        constraints=finish(t["constraints.csv"]),
        path=folder,
        warnings=tuple(checker.warnings),
    )


def _check_weights_left(checker, areas, categories, indicators, had_edition) -> None:
    """A level whose weights are all 0 leaves nothing to average: every area of an edition,
    the categories of an area (that itself weighs more than 0), the indicators of a category.
    Projects categories do not enter the area mean and are left out."""

    def where(name, edition):
        return msg(" in edition {edition}", edition=edition) if had_edition[name] else ""

    def without_weight(frame, keys):
        """The groups of ``frame`` by ``keys`` in which no row weighs more than 0, with the
        rows of each (one vectorised pass; the loop runs only over failing groups)."""
        if not len(frame):
            return []
        # a weight that could not be read (NaN) is unknown: its group is not reported
        weight = frame["weight"]
        positive = ((weight > 0) | weight.isna()).groupby([frame[k] for k in keys],
                                                         sort=False, observed=True).any()
        failing = positive.index[~positive.to_numpy()]
        if not len(failing):
            return []
        out = []
        for key in failing:
            key = key if isinstance(key, tuple) else (key,)
            mask = np.ones(len(frame), dtype=bool)
            for column, value in zip(keys, key, strict=True):
                mask &= (frame[column] == value).to_numpy()
            out.append((key, frame.loc[mask, ROW].tolist()))
        return out

    for (edition,), rows in without_weight(areas, ["edition"]):
        checker.add("areas.csv", int(rows[0]), "weight",
                    msg("every area{where} weighs 0: nothing is left to average",
                        where=where("areas.csv", edition)),
                    msg("give at least one area a weight above 0"))
    live_areas = set(_key(areas.loc[areas["weight"] > 0], ["edition", "area_id"]))
    regular = categories.loc[~categories["projects"].astype(bool)]
    for (edition, area), rows in without_weight(regular, ["edition", "area_id"]):
        if f"{edition}\x1f{area}" in live_areas:
            checker.add("categories.csv", int(rows[0]), "weight",
                        msg("area {area!r}{where} has no weight left: {reason}", area=area,
                            where=where("categories.csv", edition),
                            reason=_all_zero("categories", rows)),
                        msg("give one of its categories a weight above 0, or give area "
                            "{area!r} the weight 0", area=area))
    live_categories = set(_key(regular.loc[regular["weight"] > 0], ["edition", "category_id"]))
    for (edition, category), rows in without_weight(indicators, ["edition", "category_id"]):
        if f"{edition}\x1f{category}" in live_categories:
            checker.add("indicators.csv", int(rows[0]), "weight",
                        msg("category {category!r}{where} has no weight left: {reason}",
                            category=category, where=where("indicators.csv", edition),
                            reason=_all_zero("indicators", rows)),
                        msg("give one of its indicators a weight above 0, or give category "
                            "{category!r} the weight 0", category=category))


def _check_levels_with_values(checker, values, indicators, categories, areas,
                              editions) -> None:
    """Warn of an area or category that weighs more than 0 but has no value at all in an
    edition that has values: every method built on the hierarchy leaves it out of the total
    (the other weights are renormalised), which nothing else would say. Projects categories
    are left out, as they do not enter the area mean."""
    if not len(values):
        return
    present = values.loc[values["value"].notna(), ["edition", "indicator_id"]]
    have = set(_key(present, ["edition", "indicator_id"]))
    ind = indicators.loc[indicators["edition"].isin(editions)]
    ind_has = _key(ind, ["edition", "indicator_id"]).isin(have).to_numpy()
    cat_with = set(_key(ind.loc[ind_has], ["edition", "category_id"]))
    regular = categories.loc[~categories["projects"].astype(bool)
                             & categories["edition"].isin(editions)]
    live_areas = areas.loc[(areas["weight"] > 0) & areas["edition"].isin(editions)]
    area_with = set(_key(regular.loc[_key(regular, ["edition", "category_id"]).isin(cat_with)
                                     .to_numpy()], ["edition", "area_id"]))
    empty_areas = ~_key(live_areas, ["edition", "area_id"]).isin(area_with).to_numpy()
    for row, area, edition in live_areas.loc[empty_areas, [ROW, "area_id", "edition"]].to_numpy(
            dtype=object):
        checker.warn("areas.csv", int(row), "area_id",
                     msg("area {area!r} has no value in edition {edition}: every method built "
                         "on the hierarchy leaves it out of the total", area=area,
                         edition=int(edition)),
                     msg("add values for its indicators, or give area {area!r} the weight 0",
                         area=area))
    live_area_keys = set(_key(live_areas.loc[~empty_areas], ["edition", "area_id"]))
    in_live = _key(regular, ["edition", "area_id"]).isin(live_area_keys).to_numpy()
    live_cats = regular.loc[in_live & (regular["weight"] > 0).to_numpy()]
    empty_cats = ~_key(live_cats, ["edition", "category_id"]).isin(cat_with).to_numpy()
    for row, category, edition in live_cats.loc[
            empty_cats, [ROW, "category_id", "edition"]].to_numpy(dtype=object):
        checker.warn("categories.csv", int(row), "category_id",
                     msg("category {category!r} has no value in edition {edition}: its area's "
                         "score leaves it out", category=category, edition=int(edition)),
                     msg("add values for its indicators, or give category {category!r} the "
                         "weight 0", category=category))


def _all_zero(children: str, rows: list[int]) -> str:
    if children == "categories":
        if len(rows) == 1:
            return msg("its only category (row {row}) weighs 0", row=rows[0])
        return msg("its categories (rows {rows}) all weigh 0", rows=", ".join(map(str, rows)))
    if len(rows) == 1:
        return msg("its only indicator (row {row}) weighs 0", row=rows[0])
    return msg("its indicators (rows {rows}) all weigh 0", rows=", ".join(map(str, rows)))


def _check_city_counts(checker, values, participation, editions) -> None:
    """A ranking needs at least two cities in every edition."""
    if not len(participation):
        codes, _ = _distinct_cached(values, ["edition", "city_id"])
        first = np.empty(int(codes.max()) + 1 if len(codes) else 0, dtype=np.int64)
        first[codes] = np.arange(len(codes))
        pair_editions = values["edition"].to_numpy()[first]
    for edition in editions:
        if len(participation):
            ids = participation.loc[participation["edition"] == edition, "city_id"]
            n = len(pd.unique(np.asarray(ids, dtype=object)))
        else:
            n = int((pair_editions == edition).sum())
        if n < 2:
            checker.add("values.csv", None, "city_id",
                        msg("edition {edition} has 1 city: a ranking needs at least two",
                            edition=edition) if n == 1 else
                        msg("edition {edition} has {n} cities: a ranking needs at least two",
                            edition=edition, n=n),
                        msg("add values for more cities in that edition"))


def _named_editions(tables: dict[str, pd.DataFrame]) -> set[int]:
    """The editions named in the catalogue files and editions.csv (when values.csv cannot be
    used to find them)."""
    found: set[int] = set()
    for name in ("areas.csv", "categories.csv", "indicators.csv", "editions.csv"):
        frame = tables.get(name)
        if frame is not None and "edition" in frame.columns:
            found |= {int(e) for e in frame["edition"].dropna().unique()}
    return found


def _expand_editions(frame: pd.DataFrame, editions: list[int]) -> pd.DataFrame:
    """A catalogue file without an ``edition`` column holds for every edition."""
    if "edition" in frame.columns:
        return frame
    parts = [frame.assign(edition=e) for e in editions]
    return pd.concat(parts, ignore_index=True) if parts else frame.assign(edition=[])


def _key(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    if len(columns) == 1:
        return frame[columns[0]].astype(str)
    out = frame[columns[0]].astype(str)
    for col in columns[1:]:
        out = out + "\x1f" + frame[col].astype(str)
    return out


def _filled(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """For every row: whether each of ``columns`` has a cell (not empty, not NA). A key cell is
    empty after validation only where a problem was reported (a required id left empty, an
    invalid id, an edition that is not a year), so the checks across files skip those rows."""
    ok = np.ones(len(frame), dtype=bool)
    for col in columns:
        series = frame[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy()
            named = np.append(np.asarray(series.cat.categories.astype(str) != ""), False)
            ok &= named[np.where(codes < 0, len(named) - 1, codes)]
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            ok &= (_text(series) != "").to_numpy()
        else:
            ok &= series.notna().to_numpy()
    return ok


def _keyed(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` without the rows that miss a cell of ``columns`` (the frame itself when every
    row has them, as in every valid dataset)."""
    ok = _filled(frame, columns)
    return frame if ok.all() else frame.loc[ok]


def _column_codes(series: pd.Series) -> tuple[np.ndarray, int]:
    """(code of every cell, number of codes) without hashing where possible: categorical
    columns have codes, whole numbers in a short range (editions) are their own codes."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy().astype(np.int64), len(series.cat.categories)
    if series.dtype.kind in "iu" and len(series):
        arr = series.to_numpy()
        low, high = int(arr.min()), int(arr.max())
        if high - low < 4 * len(arr) + 1024:
            return arr.astype(np.int64) - low, high - low + 1
    codes, uniques = pd.factorize(series)
    return codes.astype(np.int64), len(uniques)


def _distinct(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, None]:
    """(code of every row, None) for the combination of ``columns``: codes number the distinct
    combinations 0..k-1. Each column is coded once without hashing where
    possible (categorical codes, short integer ranges), so millions of rows are fast."""
    key, bound = None, 1
    for col in columns:
        codes, n = _column_codes(frame[col])
        codes = codes + 1  # missing cells (-1) become a value of their own
        if key is not None and bound * (n + 1) >= 2**62:
            key, _ = pd.factorize(key)  # renumber densely so that the product cannot overflow
            bound = int(key.max()) + 1 if len(key) else 1
        key = codes if key is None else key * (n + 1) + codes
        bound *= n + 1
    if key is None or not len(key):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if bound <= 4 * len(key) + 1024:
        present = np.flatnonzero(np.bincount(key, minlength=bound))
        remap = np.full(bound, -1, dtype=np.int64)
        remap[present] = np.arange(len(present))
        key = remap[key]
    else:
        key, _ = pd.factorize(key)
    return key, None


_ROW_WORD = msg("row")


def _unique(checker, filename, frame, columns, what=_ROW_WORD):
    frame = _keyed(frame, columns)  # an empty key was reported: no duplicate of anything
    codes, _ = _distinct_cached(frame, columns)
    if not len(codes) or np.bincount(codes).max() < 2:
        return
    first = np.full(int(codes.max()) + 1, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    dup = np.arange(len(codes)) != first[codes]
    rows = frame[ROW].to_numpy()
    first_row = rows[first]
    label = ", ".join(columns)
    for i in np.flatnonzero(dup):
        shown = ", ".join(str(frame[c].iloc[i]) for c in columns)
        checker.add(
            filename, int(rows[i]), columns[-1],
            msg("duplicate {what} for ({columns}) = ({values}); first given in row {first}",
                what=what, columns=label, values=shown, first=first_row[codes[i]]),
            msg("delete one of the two rows ({first} and {row})", first=first_row[codes[i]],
                row=rows[i]),
        )


_LOCAL = threading.local()  # per thread: dashboard sessions load in parallel


def _distinct_cached(frame: pd.DataFrame, columns: list[str]):
    """:func:`_distinct`, remembered while one dataset is validated (the long values table is
    looked up by the same keys several times). The frame is kept with its entry, so an id is
    never reused while the entry lives; :func:`_assemble` empties the cache."""
    cache = _LOCAL.__dict__.setdefault("distinct", {})
    key = (id(frame), tuple(columns))
    hit = cache.get(key)
    if hit is None or hit[0] is not frame:
        hit = (frame, _distinct(frame, columns))
        cache[key] = hit
    return hit[1]


def _lookup(frame: pd.DataFrame, columns: list[str], target: pd.DataFrame,
            take: str | None = None, per_row: bool = True):
    """For every row of ``frame``: whether its ``columns`` occur in ``target`` and, if
    ``take`` is given, the ``take`` column of that target row (``target`` keyed uniquely).
    Matches each distinct combination once. With ``per_row=False``: (codes, found per code,
    taken per code)."""
    codes, _ = _distinct_cached(frame, columns)
    first = np.empty(int(codes.max()) + 1 if len(codes) else 0, dtype=np.int64)
    first[codes] = np.arange(len(codes))  # one row (any) of each distinct combination
    keys = frame[columns].iloc[first].reset_index(drop=True)
    for col in columns:
        keys[col] = np.asarray(keys[col], dtype=object)
    right = target[columns + ([take] if take else [])].drop_duplicates(columns).copy()
    for col in columns:
        right[col] = np.asarray(right[col], dtype=object)
    found = keys.merge(right, how="left", on=columns, indicator="_found")
    ok = (found["_found"] == "both").to_numpy()
    taken = found[take].to_numpy(dtype=object) if take else np.zeros(len(found), dtype=object)
    if not per_row:
        return codes, ok, taken
    return ok[codes], taken[codes]


def _isin(frame: pd.DataFrame, target: pd.DataFrame, columns: list[str]) -> np.ndarray:
    if not len(frame):
        return np.zeros(0, dtype=bool)
    return _lookup(frame, columns, target)[0]


def _exists(checker, filename, frame, columns, target, target_file):
    frame = _keyed(frame, columns)  # an empty key was reported already: not looked up
    if not len(frame):
        return
    missing = ~_isin(frame, target, columns)
    column = columns[-1]

    def message(value):
        if "edition" in columns and len(columns) > 1:
            return msg("{value!r} is not in {file} in that edition", value=value,
                       file=target_file)
        return msg("{value!r} is not in {file}", value=value, file=target_file)

    checker.add_rows(filename, frame, missing, column, message,
                     msg("add it to {file}, or correct the spelling", file=target_file))


def _has_children(checker, filename, parents, key, children):
    parents = _keyed(parents, [key])
    have = set(_key(children, ["edition", key]))
    lonely = ~_key(parents, ["edition", key]).isin(have).to_numpy()
    if key == "area_id":
        checker.add_rows(filename, parents, lonely, key,
                         lambda v: msg("{value!r} has no categories", value=v))
    else:
        checker.add_rows(filename, parents, lonely, key,
                         lambda v: msg("{value!r} has no indicators", value=v))


def _check_value_ranges(checker, values, indicators):
    keys = ["edition", "indicator_id"]
    if not len(values):
        return
    codes, _, kind_of = _lookup(values, keys, indicators, take="kind", per_row=False)
    kind_code = np.array([KINDS.index(k) if k in KINDS else -1 for k in kind_of], dtype=np.int8)
    kind = kind_code[codes]
    v = values["value"].to_numpy(dtype=float)
    share_bad = (kind == KINDS.index("share")) & ((v < 0) | (v > 100))
    checker.add_rows("values.csv", values, share_bad, "value",
                     lambda x: msg("{value} is a share but lies outside 0–100", value=x),
                     msg("write shares as percentages from 0 to 100"))
    yes_no_bad = (kind == KINDS.index("yes_no")) & ~np.isnan(v) & (v != 0) & (v != 1)
    checker.add_rows("values.csv", values, yes_no_bad, "value",
                     lambda x: msg("{value} is a yes/no value but neither 0 nor 1", value=x),
                     msg("write 1 for yes and 0 for no"))
    count_bad = (kind == KINDS.index("count")) & (v < 0)
    checker.add_rows("values.csv", values, count_bad, "value",
                     lambda x: msg("{value} is a count but negative", value=x),
                     msg("counts are 0 or more"))


def _check_scopes(checker, published, areas, categories):
    if not len(published):
        return
    known = set(_key(areas, ["edition", "area_id"])) | set(
        _key(categories, ["edition", "category_id"])
    )
    scope_key = _key(published, ["edition", "scope"])
    bad = ~((published["scope"] == TOTAL_SCOPE) | scope_key.isin(known)).to_numpy()
    bad &= _filled(published, ["edition", "scope"])  # an empty one was reported
    checker.add_rows(
        "published.csv", published, bad, "scope",
        lambda v: msg("{value!r} is neither 'total' nor an area or category of that edition",
                      value=v),
    )
    nothing = (
        published["rank"].isna() & published["points"].isna() & published["rank_change"].isna()
    ).to_numpy()
    note_empty = (published["note"].astype(str) == "").to_numpy()
    for column in ("rank", "points", "rank_change"):  # a cell was there but could not be read
        unread = checker.unread.get(("published.csv", column))
        if unread is not None and len(unread) == len(published):
            nothing = nothing & ~unread
    checker.add_rows(
        "published.csv", published, nothing & note_empty, "rank",
        lambda v: msg("a row needs a rank, points, a rank change or a note"),
    )
    points = published["points"].to_numpy(dtype=float)
    checker.add_rows("published.csv", published, (points < 0) | (points > 100), "points",
                     lambda v: msg("points {value} lie outside 0–100", value=v))
