"""The indicator data model: loading and validating a dataset folder.

A dataset is a folder of CSV files (see ``docs/dataset-format.md``). Everything is validated
here, at the boundary, so that a problem is reported with its file, row and column instead of
failing deep inside numpy. Loading never writes to the folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

VALUE_PROVENANCE = ("published", "user", "imputed", "modeled")
"""Provenance of a value, from the most to the least authoritative."""

KINDS = ("yes_no", "share", "count", "score")
PUBLISHED_STATUS = ("used", "alternative")
TOTAL_SCOPE = "total"

_ID_RE = r"^[A-Za-z0-9_.\-]+$"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, located as precisely as possible."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DatasetError(Exception):
    """A dataset could not be loaded. ``problems`` lists everything that is wrong."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
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


def _c(name, kind, required=True, nonempty=None, default=None, choices=()):
    if nonempty is None:
        nonempty = required and default is None
    return Column(name, kind, required, nonempty, default, choices)


_EDITION = _c("edition", "int", required=False)
SPECS: dict[str, tuple[Column, ...]] = {
    "cities.csv": (
        _c("city_id", "id"),
        _c("name", "text"),
        _c("state", "text", required=False, default=""),
        _c("population", "int", required=False, nonempty=False),
        _c("population_year", "int", required=False, nonempty=False),
        _c("lat", "float", required=False, nonempty=False),
        _c("lon", "float", required=False, nonempty=False),
        _c("source", "text", required=False, default=""),
    ),
    "areas.csv": (
        _EDITION,
        _c("area_id", "id"),
        _c("name_de", "text"),
        _c("name_en", "text", required=False, default=""),
        _c("weight", "float", required=False, default=1.0),
    ),
    "categories.csv": (
        _EDITION,
        _c("category_id", "id"),
        _c("area_id", "id"),
        _c("name_de", "text"),
        _c("name_en", "text", required=False, default=""),
        _c("weight", "float", required=False, default=1.0),
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
        _c("weight", "float", required=False, default=1.0),
        _c("service", "flag", required=False, default=False),
        _c("provenance", "enum", required=False, default="user", choices=VALUE_PROVENANCE),
        _c("source", "text", required=False, default=""),
    ),
    "values.csv": (
        _c("edition", "int"),
        _c("city_id", "id"),
        _c("indicator_id", "id"),
        _c("value", "float", nonempty=False),
        _c("provenance", "enum", required=False, default="user", choices=VALUE_PROVENANCE),
        _c("source", "text", required=False, default=""),
    ),
    "editions.csv": (
        _c("edition", "int"),
        _c("title", "text", required=False, default=""),
        _c("published_on", "text", required=False, default=""),
        _c("n_cities", "int", required=False, nonempty=False),
        _c("n_categories", "int", required=False, nonempty=False),
        _c("n_indicators", "int", required=False, nonempty=False),
        _c("source", "text", required=False, default=""),
        _c("note", "text", required=False, default=""),
    ),
    "participation.csv": (
        _c("edition", "int"),
        _c("city_id", "id"),
        _c("basis", "text", required=False, default=""),
    ),
    "published.csv": (
        _c("edition", "int"),
        _c("city_id", "id"),
        _c("scope", "text"),
        _c("rank", "int", required=False, nonempty=False),
        _c("points", "float", required=False, nonempty=False),
        _c("rank_change", "int", required=False, nonempty=False),
        _c("status", "enum", required=False, default="used", choices=PUBLISHED_STATUS),
        _c("source", "text", required=False, default=""),
        _c("note", "text", required=False, default=""),
    ),
    "service_shares.csv": (
        _c("edition", "int"),
        _c("indicator_id", "id"),
        _c("share", "float"),
        _c("source", "text", required=False, default=""),
        _c("note", "text", required=False, default=""),
    ),
}
REQUIRED_FILES = ("cities.csv", "areas.csv", "categories.csv", "indicators.csv", "values.csv")
OPTIONAL_FILES = ("editions.csv", "participation.csv", "published.csv", "service_shares.csv")

ROW = "_row"  # the line number of a record in its file (header = 1)


class _Checker:
    """Collects problems while tables are parsed and cross-checked."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.problems: list[Problem] = []

    def name(self, filename: str) -> str:
        return str(self.folder / filename) if self.folder is not None else filename

    def add(self, filename, row, column, message):
        self.problems.append(Problem(self.name(filename), row, column, message))

    def add_rows(self, filename, frame: pd.DataFrame, mask, column, message_for):
        """Report every row of ``frame`` where ``mask`` holds."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        bad = frame.loc[mask]
        for row, value in zip(bad[ROW].tolist(), _cells(bad, column), strict=True):
            self.add(filename, int(row), column, message_for(value))


def _cells(frame: pd.DataFrame, column: str | None) -> list:
    if column is None or column not in frame:
        return [None] * len(frame)
    return frame[column].tolist()


def _text(series: pd.Series) -> pd.Series:
    """A column as stripped strings, with missing cells as empty strings."""
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        return series.fillna("").astype(str).str.strip()
    return series.astype(object).where(series.notna(), "").astype(str)


def _parse(checker: _Checker, filename: str, raw: pd.DataFrame) -> pd.DataFrame:
    """Check one table against its spec and return it with typed columns."""
    spec = SPECS[filename]
    raw = raw.rename(columns=lambda c: str(c).strip())
    out = pd.DataFrame(index=raw.index)
    out[ROW] = raw.index.to_numpy() + 2
    duplicated = raw.columns[raw.columns.duplicated()].tolist()
    for column in duplicated:
        checker.add(filename, 1, column, "the column appears more than once")
    raw = raw.loc[:, ~raw.columns.duplicated()]
    for col in spec:
        if col.name not in raw.columns:
            if col.required:
                checker.add(filename, 1, col.name, "required column is missing")
                out[col.name] = pd.Series([None] * len(raw), index=raw.index, dtype=object)
            elif col.name != "edition":
                out[col.name] = col.default if col.default is not None else np.nan
            continue
        # The long table repeats a few thousand ids millions of times: keep them as codes.
        categorical = filename == "values.csv" and col.kind in ("id", "enum")
        out[col.name] = _parse_column(checker, filename, raw[col.name], col, out[ROW],
                                      categorical)
    return out


def _parse_column(checker, filename, series: pd.Series, col: Column, rows: pd.Series,
                  categorical: bool = False):
    if col.kind in ("int", "float"):
        return _parse_number(checker, filename, series, col, rows)
    # Text columns repeat a few distinct values many times (ids, enums): check each distinct
    # value once and map the verdict back to the rows through the factorised codes.
    codes, uniques = series.factorize(use_na_sentinel=True)
    distinct = _text(pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    text_of = np.append(distinct.to_numpy(dtype=object), "")  # code -1 (NaN) -> ""
    codes = np.where(codes < 0, len(distinct), codes)
    frame = pd.DataFrame({ROW: rows, col.name: series})

    def report(bad_distinct: np.ndarray, message_for):
        bad = np.append(np.asarray(bad_distinct, dtype=bool), False)[codes]
        checker.add_rows(filename, frame, bad, col.name, message_for)

    empty_distinct = np.append((distinct == "").to_numpy(), True)
    if col.nonempty:
        checker.add_rows(filename, frame, empty_distinct[codes], col.name,
                         lambda v: "a value is required here")
    if col.kind == "id":
        valid = distinct.str.match(_ID_RE).to_numpy() | (distinct == "").to_numpy()
        report(~valid, lambda v: f"{v!r} is not a valid id (letters, digits, '_', '.', '-'; "
                                 f"no spaces)")
    elif col.kind == "flag":
        lowered = distinct.str.lower()
        truthy = lowered.isin(("1", "true", "yes")).to_numpy()
        falsy = lowered.isin(("0", "false", "no", "")).to_numpy()
        report(~(truthy | falsy), lambda v: f"{v!r} is not 0 or 1")
        return np.append(truthy, False)[codes]
    elif col.kind == "enum":
        ok = distinct.isin(col.choices).to_numpy() | (distinct == "").to_numpy()
        report(~ok, lambda v: f"{v!r} is not one of {', '.join(col.choices)}")
    if col.default is not None:
        text_of = np.where(empty_distinct, col.default, text_of)
    if not categorical:
        return text_of[codes]
    # distinct after stripping and defaults: merge categories that became equal
    categories, inverse = np.unique(text_of.astype(str), return_inverse=True)
    return pd.Categorical.from_codes(inverse[codes], categories=pd.Index(categories, dtype=object))


def _parse_number(checker, filename, series: pd.Series, col: Column, rows: pd.Series):
    name = col.name
    numeric_input = pd.api.types.is_numeric_dtype(series.dtype)
    text = None if numeric_input else _text(series)
    empty = series.isna().to_numpy() if text is None else (text == "").to_numpy()
    frame = pd.DataFrame({ROW: rows, name: series})
    if col.nonempty:
        checker.add_rows(filename, frame, empty, name, lambda v: "a value is required here")
    number = series.astype(float) if text is None else pd.to_numeric(text, errors="coerce")
    arr = number.astype(float).to_numpy()
    not_number = ~empty & np.isnan(arr)
    checker.add_rows(filename, frame, not_number, name, lambda v: f"{v!r} is not a number")
    infinite = np.isinf(arr)
    checker.add_rows(filename, frame, infinite, name, lambda v: f"{v!r} is not finite")
    arr = np.where(infinite, np.nan, arr)
    if col.kind == "int":
        fractional = ~np.isnan(arr) & (arr != np.round(arr))
        checker.add_rows(filename, frame, fractional, name,
                         lambda v: f"{v!r} is not a whole number")
        arr = np.where(fractional, np.nan, arr)
        if empty.any() or np.isnan(arr).any():
            return pd.array(arr, dtype="Float64").astype("Int64")
        return arr.astype(np.int64)
    if col.default is not None:
        arr = np.where(empty, float(col.default), arr)
    return arr


def _read_csv(checker: _Checker, path: Path, filename: str) -> pd.DataFrame | None:
    try:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
        )
    except UnicodeDecodeError as exc:
        checker.add(filename, None, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
    except pd.errors.EmptyDataError:
        checker.add(filename, None, None, "is empty: a header row is required")
    except pd.errors.ParserError as exc:
        checker.add(filename, None, None, f"is not a well-formed CSV file: {exc}")
    except OSError as exc:
        checker.add(filename, None, None, f"cannot be read: {exc.strerror or exc}")
    return None


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
    _edition_cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def editions(self) -> list[int]:
        """The editions that have values, oldest first."""
        return sorted(int(e) for e in self.values["edition"].unique())

    @property
    def latest_edition(self) -> int:
        return self.editions[-1]

    def check_edition(self, edition: int | None) -> int:
        """Return ``edition`` (the latest one if None), or raise for an unknown one."""
        if edition is None:
            return self.latest_edition
        if int(edition) not in self.editions:
            known = ", ".join(str(e) for e in self.editions)
            raise UnknownEditionError(f"edition {edition} is not in the dataset (it has {known})")
        return int(edition)

    def edition_cities(self, edition: int) -> list[str]:
        """City ids assessed in ``edition``, in the order of cities.csv."""
        edition = self.check_edition(edition)
        part = self.participation
        ids = part.loc[part["edition"] == edition, "city_id"] if len(part) else part["city_id"]
        if not len(ids):
            ids = self.values.loc[self.values["edition"] == edition, "city_id"]
        taking_part = self.cities.index.isin(pd.unique(ids))
        return self.cities.index[taking_part].tolist()

    def catalogue(self, edition: int) -> Catalogue:
        edition = self.check_edition(edition)

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


def load_dataset(path: str | os.PathLike | None = None) -> Dataset:
    """Load and validate the dataset folder at ``path`` (the bundled data by default).

    Raises :class:`DatasetError` listing every problem found.
    """
    folder = Path(path) if path is not None else default_data_dir()
    checker = _Checker(folder)
    if not folder.is_dir():
        checker.add(str(folder), None, None, "is not a folder")
        raise DatasetError(checker.problems)
    frames = {}
    for filename in REQUIRED_FILES + OPTIONAL_FILES:
        file = folder / filename
        if not file.exists():
            if filename in REQUIRED_FILES:
                checker.add(filename, None, None, "required file is missing")
            continue
        raw = _read_csv(checker, file, filename)
        if raw is not None:
            frames[filename] = raw
    if checker.problems:
        raise DatasetError(checker.problems)
    return _assemble(checker, frames, folder)


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
    """Build a validated dataset from in-memory tables with the columns of the file format."""
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
    frames = {k: v.reset_index(drop=True) for k, v in frames.items() if v is not None}
    return _assemble(_Checker(None), frames, None)


def _empty(filename: str) -> pd.DataFrame:
    cols = {ROW: pd.Series(dtype=np.int64)}
    for col in SPECS[filename]:
        cols[col.name] = pd.Series(dtype=float if col.kind in ("int", "float") else object)
    return pd.DataFrame(cols)


def _assemble(checker: _Checker, raw: dict[str, pd.DataFrame], folder: Path | None) -> Dataset:
    t = {name: _parse(checker, name, frame) for name, frame in raw.items()}
    for name in OPTIONAL_FILES:
        t.setdefault(name, _empty(name))
    if checker.problems:
        # Cross-checks on columns that failed to parse would only repeat the same problems.
        raise DatasetError(checker.problems)

    cities, values = t["cities.csv"], t["values.csv"]
    _unique(checker, "cities.csv", cities, ["city_id"])
    value_editions = sorted(int(e) for e in pd.unique(values["edition"]))
    if not value_editions:
        checker.add("values.csv", None, None, "has no rows: a dataset needs values")
        raise DatasetError(checker.problems)

    for name in ("areas.csv", "categories.csv", "indicators.csv"):
        t[name] = _expand_editions(t[name], value_editions)
    areas, categories, indicators = t["areas.csv"], t["categories.csv"], t["indicators.csv"]
    _unique(checker, "areas.csv", areas, ["edition", "area_id"])
    _unique(checker, "categories.csv", categories, ["edition", "category_id"])
    _unique(checker, "indicators.csv", indicators, ["edition", "indicator_id"])
    _exists(checker, "categories.csv", categories, ["edition", "area_id"], areas, "areas.csv")
    _exists(
        checker, "indicators.csv", indicators, ["edition", "category_id"], categories,
        "categories.csv",
    )
    for col, fname in (("weight", "areas.csv"), ("weight", "categories.csv")):
        frame = t[fname]
        checker.add_rows(fname, frame, frame[col] < 0, col, lambda v: f"weight {v} is negative")
    checker.add_rows(
        "indicators.csv", indicators, indicators["weight"] < 0, "weight",
        lambda v: f"weight {v} is negative",
    )
    for edition in value_editions:
        if not (indicators["edition"] == edition).any():
            checker.add(
                "indicators.csv", None, "edition",
                f"edition {edition} has values but no indicators in the catalogue",
            )
    # Every area needs a category and every category an indicator, or its score is undefined.
    _has_children(checker, "areas.csv", areas, "area_id", categories)
    _has_children(checker, "categories.csv", categories, "category_id", indicators)

    _unique(checker, "values.csv", values, ["edition", "city_id", "indicator_id"])
    _exists(checker, "values.csv", values, ["city_id"], cities, "cities.csv")
    _exists(
        checker, "values.csv", values, ["edition", "indicator_id"], indicators, "indicators.csv"
    )
    _check_value_ranges(checker, values, indicators)

    participation = t["participation.csv"]
    _unique(checker, "participation.csv", participation, ["edition", "city_id"])
    _exists(checker, "participation.csv", participation, ["city_id"], cities, "cities.csv")
    if len(participation):
        _exists(
            checker, "values.csv", values, ["edition", "city_id"], participation,
            "participation.csv",
        )

    published = t["published.csv"]
    _exists(checker, "published.csv", published, ["city_id"], cities, "cities.csv")
    used = published.loc[published["status"] == "used"]
    _unique(checker, "published.csv", used, ["edition", "city_id", "scope"], what="used row")
    _check_scopes(checker, published, areas, categories)

    shares = t["service_shares.csv"]
    _exists(checker, "service_shares.csv", shares, ["edition", "indicator_id"], indicators,
            "indicators.csv")
    bad_share = (shares["share"] < 0) | (shares["share"] > 100)
    checker.add_rows("service_shares.csv", shares, bad_share, "share",
                     lambda v: f"share {v} is outside 0–100")
    if checker.problems:
        raise DatasetError(checker.problems)

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
        path=folder,
    )


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


def _unique(checker, filename, frame, columns, what="row"):
    dup = frame.duplicated(subset=columns, keep="first").to_numpy()
    if not dup.any():
        return
    key = _key(frame, columns)  # only built when there is something to report
    first_row = dict(zip(key[~dup], frame.loc[~dup, ROW], strict=True))
    label = ", ".join(columns)
    for k, row in zip(key[dup], frame.loc[dup, ROW], strict=True):
        shown = ", ".join(k.split("\x1f"))
        checker.add(
            filename, int(row), columns[-1],
            f"duplicate {what} for ({label}) = ({shown}); first given in row {first_row[k]}",
        )


def _isin(frame: pd.DataFrame, target: pd.DataFrame, columns: list[str]) -> np.ndarray:
    if len(columns) == 1:
        return frame[columns[0]].isin(target[columns[0]]).to_numpy()
    found = frame[columns].merge(
        target[columns].drop_duplicates(), how="left", on=columns, indicator=True
    )
    return (found["_merge"] == "both").to_numpy()


def _exists(checker, filename, frame, columns, target, target_file):
    if not len(frame):
        return
    missing = ~_isin(frame, target, columns)
    column = columns[-1]

    def message(value):
        scope = " in that edition" if "edition" in columns and len(columns) > 1 else ""
        return f"{value!r} is not in {target_file}{scope}"

    checker.add_rows(filename, frame, missing, column, message)


def _has_children(checker, filename, parents, key, children):
    have = set(_key(children, ["edition", key]))
    lonely = ~_key(parents, ["edition", key]).isin(have).to_numpy()
    child = "categories" if key == "area_id" else "indicators"
    checker.add_rows(filename, parents, lonely, key, lambda v: f"{v!r} has no {child}")


def _check_value_ranges(checker, values, indicators):
    keys = ["edition", "indicator_id"]
    kind = values[keys].merge(indicators[[*keys, "kind"]], how="left", on=keys)["kind"]
    kind = kind.to_numpy(dtype=object)
    v = values["value"].to_numpy(dtype=float)
    share_bad = (kind == "share") & ((v < 0) | (v > 100))
    checker.add_rows("values.csv", values, share_bad, "value",
                     lambda x: f"{x} is a share but lies outside 0–100")
    yes_no_bad = (kind == "yes_no") & ~np.isnan(v) & (v != 0) & (v != 1)
    checker.add_rows("values.csv", values, yes_no_bad, "value",
                     lambda x: f"{x} is a yes/no value but neither 0 nor 1")
    count_bad = (kind == "count") & (v < 0)
    checker.add_rows("values.csv", values, count_bad, "value",
                     lambda x: f"{x} is a count but negative")


def _check_scopes(checker, published, areas, categories):
    if not len(published):
        return
    known = set(_key(areas, ["edition", "area_id"])) | set(
        _key(categories, ["edition", "category_id"])
    )
    scope_key = _key(published, ["edition", "scope"])
    bad = ~((published["scope"] == TOTAL_SCOPE) | scope_key.isin(known)).to_numpy()
    checker.add_rows(
        "published.csv", published, bad, "scope",
        lambda v: f"{v!r} is neither 'total' nor an area or category of that edition",
    )
    nothing = (
        published["rank"].isna() & published["points"].isna() & published["rank_change"].isna()
    ).to_numpy()
    note_empty = (published["note"].astype(str) == "").to_numpy()
    checker.add_rows(
        "published.csv", published, nothing & note_empty, "rank",
        lambda v: "a row needs a rank, points, a rank change or a note",
    )
    points = published["points"].to_numpy(dtype=float)
    checker.add_rows("published.csv", published, (points < 0) | (points > 100), "points",
                     lambda v: f"points {v} lie outside 0–100")
