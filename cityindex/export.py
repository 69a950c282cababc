"""Exports of results: CSV (international or German), Excel workbooks and JSON, each with a
record of how the result was made, safe to open in a spreadsheet.

An :class:`Export` is a list of named tables plus a methodology record (a JSON-ready dict);
:func:`ranking_export` and :func:`comparison_export` build one from a
:class:`~cityindex.engine.ScoreResult` or :class:`~cityindex.engine.Comparison`, and any other
result (a robustness analysis, say) can build its own. The writers :func:`to_csv`,
:func:`to_xlsx` and :func:`to_json` return bytes (for a download button) or write to a
path or binary buffer; :func:`write_export` writes a file safely (temporary file and rename).

Rules applied in every spreadsheet export (CSV and xlsx):

- **Formula injection** (OWASP, "CSV Injection"): a text cell that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return is prefixed with a single quote ``'``, so that no
  spreadsheet runs it; numbers are numbers and stay untouched (a rank shift of -3 is a number).
  Column headers are text cells too. xlsx cells are written as strings, never as formulas or
  links. JSON is data for programs, not for spreadsheets, and is written verbatim.
- **Decimals**: CSV cells are text, so floats are rounded to the table's ``decimals`` (2 for
  scores, 3 for correlations). xlsx cells keep full precision and show ``decimals`` places
  through a number format; JSON keeps full precision (10 significant digits, as pandas writes).
- **Missing values** are empty cells (``null`` in JSON): an unranked city has no rank, never 0.
- **Locales**: ``"en"`` — CSV with ``,`` and a decimal point in UTF-8, English labels in xlsx;
  ``"de"`` — CSV with ``;`` and a decimal comma in UTF-8 with BOM (what German Excel opens
  without an import dialog), German labels in xlsx. CSV headers are the column ids in both
  locales, so a script reads either; xlsx headers are readable labels. Where the headers are
  readable (xlsx, ``readable=True`` CSV), the cells are too: provenance markers
  ("modelliert"), the check of published rank changes ("stimmt") and the core's messages (an
  unranked city's ``unranked_reason``, a robustness failure's ``reason``) in the locale's
  words; the German methodology sheet gives a method's German title and missing-value policy
  where it declares them (``title_de``, ``missing_policy_de`` in the record).
"""

from __future__ import annotations

import errno
import io
import json
import math
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from cityindex import __version__
from cityindex.dataset import VALUE_PROVENANCE, Dataset
from cityindex.engine import PROVENANCE_LABELS, Comparison, ScoreResult, rank_changes
from cityindex.i18n import PROVENANCE_TEXT, choice_label, param_label, status_label
from cityindex.messages import Message
from cityindex.messages import render as render_message
from cityindex.plugins import MethodRegistry, get_registry

LOCALES = ("en", "de")
"""The export locales: ``"en"`` (international) and ``"de"`` (German Excel)."""

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}
"""File extension → export format, for :func:`export_format`."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a text cell as a formula (OWASP)."""

BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"


class ExportError(ValueError):
    """An export that cannot be written: unknown format or locale, a folder that does not
    exist or is not writable, a target that is one of the dataset's own input files."""


# --- formula injection ------------------------------------------------------------------------


def neutralise_formula(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text that a spreadsheet would read as a
    formula (it starts with one of :data:`FORMULA_PREFIXES`); anything else unchanged.

    >>> neutralise_formula('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise_formula(-3), neutralise_formula("Köln")
    (-3, 'Köln')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column header passed through
    :func:`neutralise_formula`; numeric and boolean columns are left as they are."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if not (pd.api.types.is_numeric_dtype(series.dtype)
                or pd.api.types.is_bool_dtype(series.dtype)):
            out[col] = series.astype(object).map(neutralise_formula, na_action="ignore")
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    if out.index.name is not None or not isinstance(out.index, pd.RangeIndex):
        out.index = pd.Index([neutralise_formula(v) for v in out.index], name=out.index.name)
    return out


# --- the export model -------------------------------------------------------------------------


COLUMN_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "city_id": "City id", "rank": "Rank", "name": "City", "state": "State",
        "total": "Total score", "missing": "Missing values", "provenance": "Provenance",
        "published_rank": "Published rank", "published_total": "Published total score",
        "published_rank_change": "Published rank change", "indicator_id": "Indicator",
        "weight": "Effective weight", "method": "Method", "unranked_reason": "Why unranked",
        "rank_change": "Rank change (computed)",
        "published_change_check": "Published change vs computed",
    },
    "de": {
        "city_id": "Stadt-ID", "rank": "Rang", "name": "Stadt", "state": "Bundesland",
        "total": "Gesamtpunktzahl", "missing": "Fehlende Werte", "provenance": "Herkunft",
        "published_rank": "Rang (veröffentlicht)",
        "published_total": "Gesamtpunktzahl (veröffentlicht)",
        "published_rank_change": "Rangveränderung (veröffentlicht)",
        "indicator_id": "Indikator", "weight": "Effektives Gewicht", "method": "Methode",
        "unranked_reason": "Grund ohne Rang",
        "rank_change": "Rangveränderung (berechnet)",
        "published_change_check": "Veröffentlichte Veränderung gegen berechnete",
    },
}
"""Readable xlsx headers for the column ids of the built-in exports."""

_PREFIX_LABELS = {
    "en": {"rank ": "Rank ", "total ": "Total score ", "provenance ": "Provenance ",
           "shift ": "Rank shift "},
    "de": {"rank ": "Rang ", "total ": "Gesamtpunktzahl ", "provenance ": "Herkunft ",
           "shift ": "Rangverschiebung "},
}


@dataclass(frozen=True)
class Table:
    """One table of an export: a sheet in xlsx, a key in JSON, the content of a CSV.

    - ``key``: identifier, used as the JSON key (``"cities"``, ``"weights"``, …);
    - ``frame``: the data; column names are ids, labelled by :data:`COLUMN_LABELS` and
      ``labels`` in xlsx;
    - ``titles``: sheet name per locale (at most 31 characters), ``key`` where absent;
    - ``labels``: extra column labels per locale, e.g. ``{"de": {"V": "Verwaltung"}}``;
    - ``decimals``: places shown for float columns (CSV rounds to them, xlsx formats);
    - ``index``: whether the frame's index is data (a correlation matrix): written as the
      first column in CSV and xlsx, and as a ``{column: {row: value}}`` object in JSON
      (rows become a list of records otherwise);
    - ``groups``: ids whose columns ``<id>``, ``<id>_rank`` and ``<id>_provenance`` are one
      object per record in JSON, under ``"areas"``: ``{"<id>": {"score", "rank",
      "provenance"}}`` (flat columns side by side in CSV and xlsx).
    """

    key: str
    frame: pd.DataFrame
    titles: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    decimals: int = 2
    index: bool = False
    groups: tuple[str, ...] = ()

    def title(self, locale: str) -> str:
        return self.titles.get(locale) or self.titles.get("en") or self.key

    def label(self, column: str, locale: str) -> str:
        """The readable header of ``column`` in ``locale`` (the id itself if none is known)."""
        column = str(column)
        extra = self.labels.get(locale, {})
        if column in extra:
            return extra[column]
        if column in COLUMN_LABELS[locale]:
            return COLUMN_LABELS[locale][column]
        for prefix, text in _PREFIX_LABELS[locale].items():
            if column.startswith(prefix):
                return text + column[len(prefix):]
        return column


@dataclass(frozen=True)
class Export:
    """What an export holds: named tables, the methodology record, and ``summary`` — extra
    top-level keys of the JSON document (the command line's historical ``method``,
    ``edition``, ``params``, … keys). The first table is the one a CSV holds."""

    tables: tuple[Table, ...]
    methodology: Mapping[str, Any]
    summary: Mapping[str, Any] = field(default_factory=dict)

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


# --- the methodology record -------------------------------------------------------------------


def data_source(dataset: Dataset) -> dict[str, Any]:
    """Where the data came from: ``{"source": text, "path": str | None}``; ``source`` is
    ``"bundled data"`` for the data shipped with cityindex, the path for a folder or file,
    ``"in-memory data"`` for a dataset built with ``dataset_from_frames``."""
    if dataset.path is None:
        return {"source": "in-memory data", "path": None}
    path = Path(dataset.path).resolve()
    return {"source": "bundled data" if path == BUNDLED_DATA else str(path), "path": str(path)}


def provenance_counts(codes: np.ndarray) -> dict[str, int]:
    """How many values are ``published``, ``user``, ``imputed``, ``modeled`` and ``missing``
    among ``codes`` (an array of indices into ``VALUE_PROVENANCE``, -1 for missing)."""
    codes = np.asarray(codes)
    counts = {name: int((codes == i).sum()) for i, name in enumerate(VALUE_PROVENANCE)}
    counts["missing"] = int((codes < 0).sum())
    return counts


def _method_entry(result: ScoreResult, dataset: Dataset, label: str,
                  registry: MethodRegistry) -> dict[str, Any]:
    data = dataset.edition_data(result.edition)
    weights = result.weights.reindex(pd.Index(data.indicator_ids)).fillna(0.0).to_numpy(float)
    used = weights > 0
    rows = pd.Index(data.city_ids).isin(result.table.index)
    entry: dict[str, Any] = {
        "label": label,
        "name": result.method,
        "title": result.title,
        "citation": "",
        "plugin": None,
        "package": None,
        "package_version": None,
        "params": jsonable(dict(result.params)),
        "weights": jsonable(dict(getattr(result, "weight_overrides", {}) or {})),
        "missing_policy": result.missing_policy,
        "indicators_used": int(used.sum()),
        "provenance_counts": provenance_counts(data.provenance[np.ix_(rows, used)]),
    }
    if result.notes:  # e.g. a parameter that changes nothing in this edition
        entry["notes"] = "; ".join(render_message(n) for n in result.notes)
        entry["notes_de"] = "; ".join(render_message(n, "de") for n in result.notes)
    if result.method in registry:
        reg = registry[result.method]
        entry.update(citation=getattr(reg.method, "citation", ""), plugin=reg.plugin,
                     package=reg.distribution, package_version=reg.version)
        entry.update(german_card(reg.method, entry["params"]))
    return entry


def german_card(method, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The German texts of a method's card (``title_de``, ``citation_de``,
    ``missing_policy_de``) and, with ``params``, ``params_de``: the parameters as the German
    methodology sheet shows them, "Projektbonus [projects_bonus]" with the value's German label
    ("auslassen [skip]" for a choice; a number stays a number). The record keeps the ids in
    ``params``: they are what ``-p key=value`` takes; the sheet shows each ``*_de`` in place of
    the English one."""
    card: dict[str, Any] = {f"{key}_de": str(getattr(method, f"{key}_de"))
                            for key in ("title", "citation", "missing_policy")
                            if getattr(method, f"{key}_de", None)}
    declared = {p.name: p for p in getattr(method, "parameters", ())}
    if params:
        german = {}
        for name, value in params.items():
            p = declared.get(name)
            label = param_label(p, "de") if p is not None else name
            key = f"{label} [{name}]" if label != name else name
            if p is not None and getattr(p, "type", "") == "choice":
                shown = choice_label(p, value, "de")
                value = f"{shown} [{value}]" if shown != str(value) else value
            elif p is not None and getattr(p, "type", "") == "bool":
                value = status_label(bool(value), "de")
            german[key] = value
        card["params_de"] = german
    return card


def _record(kind: str, edition: int, entries: list[dict], dataset: Dataset,
            now: datetime | None) -> dict[str, Any]:
    data = dataset.edition_data(edition)
    stamp = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    return {
        "kind": kind,
        "edition": int(edition),
        "methods": entries,
        "data": {
            **data_source(dataset),
            "cities": int(len(data.city_ids)),
            "indicators": int(len(data.indicator_ids)),
            "provenance_counts": provenance_counts(data.provenance),
        },
        "cityindex_version": __version__,
        "exported_at": stamp,
        "provenance_legend": dict(PROVENANCE_LABELS),
    }


def ranking_methodology(result: ScoreResult, dataset: Dataset, *, now: datetime | None = None,
                        registry: MethodRegistry | None = None) -> dict[str, Any]:
    """The record that lets anyone redo ``result`` (scored on ``dataset``), JSON-ready::

        {"kind": "ranking", "edition": 2022,
         "methods": [{"label", "name", "title", "citation", "plugin", "package",
                      "package_version", "params", "weights" (own area/category weights,
                      {} for the method's own), "missing_policy", "title_de" and
                      "missing_policy_de" (where the method declares them), "indicators_used",
                      "provenance_counts": {"published", "user", "imputed", "modeled",
                                            "missing"}}],
         "data": {"source", "path", "cities", "indicators", "provenance_counts"},
         "cityindex_version", "exported_at" (ISO 8601 with UTC offset), "provenance_legend"}

    A method's ``provenance_counts`` count the values it used (cities of the edition x
    indicators with a weight above 0); those under ``data`` count every cell of the edition's
    cities x indicators matrix. ``now`` fixes the time stamp (for tests).
    """
    registry = registry if registry is not None else get_registry()
    entry = _method_entry(result, dataset, result.method, registry)
    return _record("ranking", result.edition, [entry], dataset, now)


def comparison_methodology(comparison: Comparison, dataset: Dataset, *,
                           now: datetime | None = None,
                           registry: MethodRegistry | None = None) -> dict[str, Any]:
    """As :func:`ranking_methodology`, with ``kind`` ``"comparison"`` and one entry per
    compared method under ``methods`` (``label`` as in the comparison's columns)."""
    registry = registry if registry is not None else get_registry()
    entries = [
        _method_entry(result, dataset, label, registry)
        for result, label in zip(comparison.results, comparison.labels, strict=True)
    ]
    return _record("comparison", comparison.edition, entries, dataset, now)


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars as plain Python values, recursively (mappings, lists,
    tuples), so that ``json.dumps`` takes it."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


# --- building exports from results ------------------------------------------------------------


def _unranked_as_na(ranks: pd.Series) -> pd.Series:
    """Ranks as nullable integers: an unranked city's rank is NA (never 0)."""
    return pd.Series(pd.array(ranks, dtype="Int64"), index=ranks.index)


def ranking_table(result: ScoreResult, *, top: int | None = None,
                  previous: ScoreResult | None = None) -> pd.DataFrame:
    """The ranking as exported: ``city_id``, ``rank`` (nullable: empty for an unranked city),
    ``name``, ``state``, ``total``, for each area its score (the area id), ``<area>_rank`` and
    ``<area>_provenance`` (the area score's own marker), ``missing``, ``provenance``,
    ``published_rank``, ``published_total``, ``published_rank_change``, and after
    ``provenance`` the engine's ``unranked_reason`` when a row is unranked; with ``previous``
    (the edition before) also ``rank_change`` after ``rank`` and ``published_change_check``
    (``agrees``/``contradicts``, see :func:`cityindex.engine.rank_changes`) at the end; rows in
    rank order (unranked last), only ranks 1 to ``top`` if given."""
    per_area = [f"{a}{suffix}" for a in result.area_ids for suffix in ("", "_rank", "_provenance")]
    columns = ["rank", "name", "state", "total", *per_area, "missing", "provenance",
               "unranked_reason", "published_rank", "published_total", "published_rank_change"]
    table = result.table
    if previous is not None:  # the computed change, and whether Bitkom's published one agrees
        table = table.join(rank_changes(result, previous))
        columns.insert(1, "rank_change")
        columns.append("published_change_check")
    out = table.reset_index()
    out = out[["city_id", *[c for c in columns if c in out.columns]]]
    out["rank"] = _unranked_as_na(out["rank"]).array
    if top:
        out = out[out["rank"].between(1, top).fillna(False).to_numpy(bool)]
    if "unranked_reason" in out.columns and out["rank"].notna().all():
        out = out.drop(columns="unranked_reason")
    return out.reset_index(drop=True)


def ranking_export(result: ScoreResult, dataset: Dataset, *, top: int | None = None,
                   now: datetime | None = None,
                   registry: MethodRegistry | None = None,
                   previous: ScoreResult | None = None) -> Export:
    """The export of one ranking: tables ``cities`` (:func:`ranking_table`) and ``weights``
    (``indicator_id``, ``weight``: the effective weight of every indicator), the record of
    :func:`ranking_methodology` (with ``top`` and ``exported_rows`` where ``top`` cut the
    rows), and a summary (``method``, ``edition``, ``params``,
    ``areas``, ``missing_policy``)."""
    cat = dataset.catalogue(result.edition)
    labels: dict[str, dict[str, str]] = {"de": dict(result.area_names), "en": {}}
    if "name_en" in cat.areas.columns:
        names_en = cat.areas["name_en"].astype(str)
        labels["en"] = {a: names_en.get(a, a) or a for a in result.area_ids}
    for locale, rank_word, marker_word in (("de", "Rang", "Herkunft"),
                                           ("en", "rank", "provenance")):
        for a in result.area_ids:
            name = labels[locale].get(a, a)
            labels[locale][f"{a}_rank"] = f"{name}: {rank_word}"
            labels[locale][f"{a}_provenance"] = f"{name}: {marker_word}"
    weights = result.weights.rename("weight").reset_index()
    cities = ranking_table(result, top=top, previous=previous)
    return Export(
        tables=(
            Table("cities", cities,
                  {"en": "Ranking", "de": "Rangliste"},
                  labels, groups=tuple(result.area_ids)),
            Table("weights", weights, {"en": "Weights", "de": "Gewichte"}, decimals=4),
        ),
        methodology=_with_top(ranking_methodology(result, dataset, now=now, registry=registry),
                              top, len(cities), len(result.table)),
        summary={
            "method": result.method,
            "edition": result.edition,
            "params": jsonable(dict(result.params)),
            "areas": dict(result.area_names),
            "missing_policy": result.missing_policy,
        },
    )


def comparison_table(comparison: Comparison, *, top: int | None = None) -> pd.DataFrame:
    """Ranks side by side: ``city_id``, ``name``, per method ``rank <label>``, ``total
    <label>`` and ``provenance <label>`` (the marker of that method's rank and total, as a
    ranking's ``provenance``: ``published`` only where it reproduces Bitkom's figure), then
    ``shift <label>`` per method after the first (places gained against the first, among the
    cities both rank: :meth:`Comparison.movers`; empty where either rank is missing); rows in
    the first method's rank order, unranked last; with ``top``, only the cities the first
    method ranks 1 to ``top``."""
    index = comparison.ranks.index
    base = comparison.labels[0]
    ranks = {lab: _unranked_as_na(comparison.ranks[lab]) for lab in comparison.labels}
    out = pd.DataFrame({"city_id": index, "name": comparison.names.reindex(index).to_numpy()})
    for label, result in zip(comparison.labels, comparison.results, strict=True):
        out[f"rank {label}"] = ranks[label].array
        out[f"total {label}"] = comparison.scores[label].to_numpy(float)
        out[f"provenance {label}"] = result.table["provenance"].reindex(index).to_numpy(object)
    for label in comparison.labels[1:]:  # among the cities both rank (Comparison.movers)
        out[f"shift {label}"] = comparison.shifts(base, label).array
    out = out.sort_values([f"rank {base}", "name"], kind="stable", na_position="last")
    if top:
        out = out[out[f"rank {base}"].between(1, top).fillna(False).to_numpy(bool)]
    return out.reset_index(drop=True)


def _with_top(record: dict[str, Any], top: int | None, rows: int,
              cities: int) -> dict[str, Any]:
    """``record`` saying, where ``top`` cut the rows, that it did and how many were written
    (``"top": 5, "exported_rows": "5 / 83"``): a sheet of five rows must not read as the
    whole edition."""
    if not top:
        return record
    return {**record, "top": int(top), "exported_rows": f"{rows} / {cities}"}


def comparison_export(comparison: Comparison, dataset: Dataset, *, top: int | None = None,
                      now: datetime | None = None,
                      registry: MethodRegistry | None = None) -> Export:
    """The export of a comparison: tables ``cities`` (:func:`comparison_table`, only the
    first method's ranks 1 to ``top`` if given), ``spearman`` and ``kendall`` (method x method
    matrices, over every city ranked by both), the record of :func:`comparison_methodology`,
    and a summary (``edition``, ``methods``)."""
    cities = comparison_table(comparison, top=top)
    return Export(
        tables=(
            Table("cities", cities,
                  {"en": "Comparison", "de": "Methodenvergleich"}),
            Table("spearman", comparison.spearman.rename_axis("method"), {"en": "Spearman"},
                  decimals=3, index=True),
            Table("kendall", comparison.kendall.rename_axis("method"), {"en": "Kendall tau-b"},
                  decimals=3, index=True),
        ),
        methodology=_with_top(comparison_methodology(comparison, dataset, now=now,
                                                     registry=registry),
                              top, len(cities), len(comparison.ranks)),
        summary={"edition": comparison.edition, "methods": list(comparison.labels)},
    )


# --- writers ----------------------------------------------------------------------------------

Target = str | os.PathLike | IO[bytes] | None


def _check_locale(locale: str) -> str:
    if locale not in LOCALES:
        raise ExportError(f"unknown locale {locale!r}: use one of {', '.join(LOCALES)}")
    return locale


def _deliver(data: bytes, target: Target) -> bytes:
    """Write ``data`` to a path or binary buffer (a path safely, see :func:`write_bytes`)."""
    if target is None:
        pass
    elif hasattr(target, "write"):
        target.write(data)  # type: ignore[union-attr]
    else:
        write_bytes(data, target)
    return data


def csv_bytes(table: Table, *, locale: str = "en", readable: bool = False) -> bytes:
    """One table as CSV bytes: see the module docstring for the rules. ``readable`` writes
    the column labels of ``locale`` as headers (for people, e.g. the dashboard's download)
    instead of the ids (for programs)."""
    _check_locale(locale)
    frame = table.frame.copy()
    if readable:  # for people: the markers in words of the locale, headers as labels
        frame = _in_readers_words(frame, locale)
        frame.columns = [table.label(c, locale) for c in frame.columns]
    for col in frame.columns:
        if pd.api.types.is_float_dtype(frame[col].dtype):
            frame[col] = frame[col].round(table.decimals)
    frame = neutralise_frame(frame)
    german = locale == "de"
    text = frame.to_csv(index=table.index, sep=";" if german else ",",
                        decimal="," if german else ".", na_rep="", lineterminator="\n")
    return text.encode("utf-8-sig" if german else "utf-8")


def _in_readers_words(frame: pd.DataFrame, locale: str) -> pd.DataFrame:
    """``frame`` (a copy) as people read it in ``locale``: provenance markers and the check
    of published rank changes in words, the core's reasons and notes in the locale's words.
    For the readable CSV and every xlsx sheet alike."""
    frame = frame.copy()
    for col in frame.columns:
        if str(col) == "provenance" or str(col).endswith("_provenance") \
                or str(col).startswith("provenance "):  # a comparison's, one per method
            frame[col] = frame[col].map(lambda m: _marker_word(m, locale))
        elif str(col) == "published_change_check":
            frame[col] = frame[col].map(lambda v: CHECK_WORDS[locale].get(v, v))
        elif frame[col].dtype == object:  # reasons and notes of the core, in words too
            frame[col] = frame[col].map(lambda v: _in_words(v, locale))
    return frame


CHECK_WORDS = {"de": {"agrees": "stimmt", "contradicts": "widerspricht"},
               "en": {"agrees": "agrees", "contradicts": "contradicts"}}


def _in_words(value: Any, locale: str) -> Any:
    """A message of the core (an unranked city's reason, a robustness failure) in the words
    of ``locale``; any other cell as it is."""
    return render_message(value, locale) if isinstance(value, Message) else value


def _marker_word(marker: Any, locale: str) -> Any:
    if not isinstance(marker, str):
        return marker
    return PROVENANCE_TEXT[locale].get(marker, (marker, ""))[0]


def to_csv(export: Export | Table, target: Target = None, *, locale: str = "en",
           readable: bool = False) -> bytes:
    """The first table of ``export`` (or ``table``) as CSV; returned as bytes and, when
    ``target`` is a path or a binary buffer, written there. ``readable``: see
    :func:`csv_bytes`. Raises :class:`ExportError`."""
    table = export.tables[0] if isinstance(export, Export) else export
    return _deliver(csv_bytes(table, locale=locale, readable=readable), target)


def to_json(export: Export, target: Target = None) -> bytes:
    """The JSON document of ``export``: the summary keys, ``"methodology"``, then one key per
    table (records, or a ``{column: {row: value}}`` object for an index table); UTF-8,
    missing values as ``null``, full precision."""
    payload: dict[str, Any] = {**jsonable(dict(export.summary)),
                               "methodology": jsonable(dict(export.methodology))}
    for table in export.tables:
        if table.index:
            payload[table.key] = json.loads(table.frame.to_json(force_ascii=False))
        else:
            records = json.loads(table.frame.to_json(orient="records", force_ascii=False))
            if table.groups:
                records = [_grouped(record, table.groups) for record in records]
            payload[table.key] = records
    text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    return _deliver(text.encode("utf-8"), target)


def _grouped(record: dict[str, Any], groups: Sequence[str]) -> dict[str, Any]:
    """A record with each group's score, rank and provenance as one object under "areas"."""
    out, areas = {}, {}
    members = {f"{g}{suffix}": (g, key) for g in groups
               for suffix, key in (("", "score"), ("_rank", "rank"),
                                   ("_provenance", "provenance"))}
    for column, value in record.items():
        if column in members:
            group, key = members[column]
            if not areas:
                out["areas"] = areas
            areas.setdefault(group, {})[key] = value
        else:
            out[column] = value
    return out


METHODOLOGY_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "_sheet": "Methodology", "_field": "Field", "_value": "Value",
        "kind": "Export of", "edition": "Edition", "methods": "Methods", "method": "Method",
        "label": "Label", "name": "Name", "title": "Title", "citation": "Citation",
        "plugin": "Plugin", "package": "Package", "package_version": "Package version",
        "params": "Parameters", "weights": "Own weights (area/category)",
        "missing_policy": "Missing values", "notes": "Notes",
        "indicators_used": "Indicators used (weight > 0)",
        "methods.provenance_counts": "Values used, by provenance",
        "data.provenance_counts": "All values of the edition, by provenance", "data": "Data",
        "source": "Data source", "path": "Path", "cities": "Cities", "indicators": "Indicators",
        "published": "published", "user": "user", "imputed": "imputed", "modeled": "modeled",
        "missing": "missing (no value)", "cityindex_version": "cityindex version",
        "exported_at": "Exported at", "provenance_legend": "Provenance markers",
        "ranking": "ranking", "comparison": "comparison",
        "exported_rows": "Rows exported / cities of the edition",
        "selection": "Rows chosen by (the dashboard's filters and search)",
        "top": "Only ranks 1 to (in a comparison: the first method's)",
        "uncertainty": "uncertainty analysis (Monte Carlo)",
        "sensitivity": "sensitivity analysis (Sobol indices)",
        "settings": "Settings of the analysis", "settings.seed": "Seed",
        "settings.draws": "Draws", "settings.evaluated": "Draws evaluated",
        "settings.failed": "Draws not evaluated", "settings.acceptance": "Acceptance rate",
        "settings.weights": "Weights drawn", "settings.level": "Level weighted",
        "settings.normalisations": "Normalisations", "settings.aggregations": "Aggregations",
        "settings.bounds": "Weight bounds", "settings.areas": "Areas",
        "settings.structure": "Structure of the method", "settings.concentration":
        "Concentration (Dirichlet)", "settings.noise": "Noise (share of each weight)",
        "settings.samples": "Base samples N", "settings.min_weight": "Smallest weight",
        "settings.max_weight": "Largest weight",
        "dirichlet": "Dirichlet around the method's weights",
        "noise": "the method's weights with noise", "simplex": "uniform on the simplex",
        "rank bounds": "best and worst ranks (exact)",
        "settings.nominal_within_bounds": "The method's weights lie within the bounds",
        "settings.criterion": "Aggregation of the areas", "settings.strict_lead":
        "Smallest lead that counts (points)",
        "areas": "areas", "categories": "categories",
    },
    "de": {
        "_sheet": "Methodik", "_field": "Feld", "_value": "Wert",
        "kind": "Export von", "edition": "Ausgabe", "methods": "Methoden", "method": "Methode",
        "label": "Bezeichnung", "name": "Name", "title": "Titel", "citation": "Quelle",
        "plugin": "Plugin", "package": "Paket", "package_version": "Paketversion",
        "params": "Parameter", "weights": "Eigene Gewichte (Bereich/Kategorie)",
        "missing_policy": "Fehlende Werte", "notes": "Hinweise",
        "indicators_used": "Verwendete Indikatoren (Gewicht > 0)",
        "methods.provenance_counts": "Verwendete Werte nach Herkunft",
        "data.provenance_counts": "Alle Werte der Ausgabe nach Herkunft", "data": "Daten",
        "source": "Datenquelle", "path": "Pfad", "cities": "Städte",
        "indicators": "Indikatoren", "published": "veröffentlicht", "user": "eigene Daten",
        "imputed": "ergänzt (imputiert)", "modeled": "modelliert",
        "missing": "fehlend (kein Wert)", "cityindex_version": "cityindex-Version",
        "exported_at": "Exportiert am", "provenance_legend": "Herkunftsmarker",
        "ranking": "Rangliste", "comparison": "Methodenvergleich",
        "exported_rows": "Exportierte Zeilen / Städte der Ausgabe",
        "selection": "Auswahl der Zeilen (Filter und Suche im Dashboard)",
        "top": "Nur die Ränge 1 bis (in einem Vergleich: die der ersten Methode)",
        "bundled data": "mitgelieferte Daten", "in-memory data": "Daten im Arbeitsspeicher",
        "uncertainty": "Unsicherheitsanalyse (Monte Carlo)",
        "sensitivity": "Sensitivitätsanalyse (Sobol-Indizes)",
        "settings": "Einstellungen der Analyse", "settings.seed": "Startwert (Seed)",
        "settings.draws": "Ziehungen", "settings.evaluated": "Ausgewertete Ziehungen",
        "settings.failed": "Nicht auswertbare Ziehungen", "settings.acceptance": "Annahmequote",
        "settings.weights": "Gezogene Gewichte", "settings.level": "Gewichtete Ebene",
        "settings.normalisations": "Normierungen", "settings.aggregations": "Aggregationen",
        "settings.bounds": "Grenzen der Gewichte", "settings.areas": "Bereiche",
        "settings.structure": "Struktur der Methode", "settings.concentration":
        "Konzentration (Dirichlet)", "settings.noise": "Rauschen (Anteil jedes Gewichts)",
        "settings.samples": "Basisstichprobe N", "settings.min_weight": "Kleinstes Gewicht",
        "settings.max_weight": "Größtes Gewicht",
        "dirichlet": "Dirichlet um die Gewichte der Methode",
        "noise": "Gewichte der Methode mit Rauschen", "simplex": "gleichverteilt auf dem Simplex",
        "rank bounds": "Bester und schlechtester Rang (exakt)",
        "settings.nominal_within_bounds": "Gewichte der Methode liegen in den Grenzen",
        "settings.criterion": "Aggregation der Bereiche", "settings.strict_lead":
        "Kleinster Vorsprung, der zählt (Punkte)",
        "areas": "Bereiche", "categories": "Kategorien",
    },
}
"""Labels of the methodology sheet's fields (unknown keys are shown as they are)."""


def methodology_rows(record: Mapping[str, Any], locale: str = "en") -> list[tuple[int, str, Any]]:
    """The methodology record flattened for a sheet: ``(level, label, value)`` rows, a nested
    mapping or list as a heading row (value None) followed by its entries one level deeper.
    In German a method's parameters are shown by their German labels with the id beside them
    (``params_de``, see :func:`german_card`), provenance markers by their German words."""
    words = METHODOLOGY_LABELS[_check_locale(locale)]
    rows: list[tuple[int, str, Any]] = []

    def walk(mapping: Mapping[str, Any], level: int, translate: bool, parent: str = "") -> None:
        for key, value in mapping.items():
            if str(key).endswith("_de") and str(key)[:-3] in mapping:
                continue  # shown in place of the English text on the German sheet
            if locale == "de" and f"{key}_de" in mapping:
                value = mapping[f"{key}_de"]
            label = str(key)
            if translate:
                label = words.get(f"{parent}.{key}", words.get(key, label))
            if key == "provenance_legend" and locale == "de":  # the markers as the German
                value = {PROVENANCE_TEXT["de"].get(m, (m, text))[0]:  # sheets write them
                         PROVENANCE_TEXT["de"].get(m, ("", text))[1] for m, text in value.items()}
            if isinstance(value, Mapping):
                rows.append((level, label, None))
                walk(value, level + 1,
                     key not in ("params", "weights", "provenance_legend", "structure"), key)
            elif isinstance(value, list | tuple) and any(isinstance(v, Mapping) for v in value):
                rows.append((level, label, None))
                for i, item in enumerate(value, 1):
                    head = item.get("label", i) if isinstance(item, Mapping) else i
                    rows.append((level + 1, f"{words.get('method', 'method')} {i}: {head}", None))
                    walk(item, level + 2, True, key)
            else:
                if key in ("kind", "source", "weights", "level") and isinstance(value, str):
                    value = words.get(value, value)
                rows.append((level, label, value))

    walk(record, 0, translate=True)
    return rows


def xlsx_bytes(export: Export, *, locale: str = "en") -> bytes:
    """The workbook of ``export``: one sheet per table (readable headers in ``locale``, numbers
    as numeric cells with a number format, text as inert strings), then the methodology
    sheet. Built with XlsxWriter, formulas and links never inferred from strings."""
    import xlsxwriter

    _check_locale(locale)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    integer = book.add_format({"num_format": "0"})
    signed = book.add_format({"num_format": "+0;-0;0"})
    decimals = {d: book.add_format({"num_format": "0." + "0" * d if d else "0"})
                for d in {t.decimals for t in export.tables}}
    for table in export.tables:
        sheet = book.add_worksheet(table.title(locale)[:31])
        frame = _in_readers_words(table.frame.reset_index() if table.index else table.frame,
                                  locale)
        headers = [table.label(c, locale) for c in frame.columns]
        widths = [min(max(len(h), 6), 40) for h in headers]
        for j, header in enumerate(headers):
            sheet.write_string(0, j, str(neutralise_formula(header)), bold)
        for j, col in enumerate(frame.columns):
            series = frame[col]
            dtype = series.dtype
            if pd.api.types.is_bool_dtype(dtype):
                fmt = None
            elif pd.api.types.is_integer_dtype(dtype):
                fmt = signed if str(col).startswith("shift ") or "change" in str(col) \
                    else integer
            elif pd.api.types.is_float_dtype(dtype):
                fmt = decimals[table.decimals]
            else:
                fmt = None
            for i, value in enumerate(series.tolist(), start=1):
                width = _write_cell(sheet, i, j, value, fmt)
                widths[j] = max(widths[j], min(width, 40))
        for j, width in enumerate(widths):
            sheet.set_column(j, j, width + 2)
        sheet.freeze_panes(1, 0)
    _write_methodology(book, export.methodology, locale, bold)
    book.close()
    return buffer.getvalue()


def _write_cell(sheet, row: int, col: int, value: Any, fmt) -> int:
    """Write one cell by its Python type; return the width of its text."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return 0
    if isinstance(value, bool | np.bool_):
        sheet.write_boolean(row, col, bool(value))
        return 5
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if math.isinf(number):
            sheet.write_string(row, col, neutralise_formula(str(number)))
            return 5
        sheet.write_number(row, col, number, fmt)
        return len(f"{number:.2f}")
    text = neutralise_formula(str(value))
    sheet.write_string(row, col, text)
    return len(text)


def _write_methodology(book, record: Mapping[str, Any], locale: str, bold) -> None:
    words = METHODOLOGY_LABELS[locale]
    sheet = book.add_worksheet(words["_sheet"])
    sheet.write_string(0, 0, words["_field"], bold)
    sheet.write_string(0, 1, words["_value"], bold)
    formats: dict[tuple[int, bool], Any] = {}
    for i, (level, label, value) in enumerate(methodology_rows(record, locale), start=1):
        key = (level, value is None)
        if key not in formats:
            formats[key] = book.add_format({"indent": level, "bold": value is None})
        sheet.write_string(i, 0, neutralise_formula(label), formats[key])
        _write_cell(sheet, i, 1, value, None)
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 100)
    sheet.freeze_panes(1, 0)


def to_xlsx(export: Export, target: Target = None, *, locale: str = "en") -> bytes:
    """The workbook of ``export`` (see :func:`xlsx_bytes`); returned as bytes and, when
    ``target`` is a path or a binary buffer, written there. Raises :class:`ExportError`."""
    return _deliver(xlsx_bytes(export, locale=locale), target)


def export_format(path: str | os.PathLike) -> str:
    """``"csv"``, ``"xlsx"`` or ``"json"`` from the extension of ``path`` (any case);
    raises :class:`ExportError` for any other."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        shown = f"extension {suffix!r}" if suffix else "no extension"
        raise ExportError(f"cannot tell the format of {os.fspath(path)!r} ({shown}): "
                          f"use a file name ending in {known}")
    return FORMATS[suffix]


def render(export: Export, fmt: str, *, locale: str = "en") -> bytes:
    """``export`` as the bytes of ``fmt`` (``"csv"``, ``"xlsx"`` or ``"json"``)."""
    if fmt == "csv":
        return to_csv(export, locale=locale)
    if fmt == "xlsx":
        return to_xlsx(export, locale=locale)
    if fmt == "json":
        return to_json(export)
    raise ExportError(f"unknown export format {fmt!r}: use one of csv, xlsx, json")


def write_export(export: Export, path: str | os.PathLike, *, locale: str = "en") -> Path:
    """Write ``export`` to ``path`` in the format its extension names (:func:`export_format`),
    safely (:func:`write_bytes`); refuses to write into the dataset (folder or file) that
    the methodology names. Returns the path written. Raises :class:`ExportError`."""
    fmt = export_format(path)
    data_path = export.methodology.get("data", {}).get("path")
    data = render(export, fmt, locale=locale)
    return write_bytes(data, path, protect=[data_path] if data_path else ())


def _protected(target: Path, protect: Sequence[str | os.PathLike]) -> str | None:
    for item in protect:
        source = Path(item).resolve()
        if source.is_file() and target == source:
            return f"it is the dataset file {source}"
        if source.is_dir() and target.is_relative_to(source):
            # Not even a new file: the next load could read it as part of the dataset.
            return f"it is in the dataset folder {source}; write the export somewhere else"
    return None


def write_bytes(data: bytes, path: str | os.PathLike, *,
                protect: Sequence[str | os.PathLike] = ()) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder that replaces
    ``path`` only once complete (flushed and synced), so a failure leaves an existing file
    as it was and no partial file behind. A file in ``protect`` is never overwritten, and
    nothing is written inside a folder in ``protect`` (a dataset folder: a new file there
    could be read as part of the dataset). An existing file keeps its permissions. Raises
    :class:`ExportError` naming the path and the cause."""
    shown = os.fspath(path)
    # Through a symbolic link, the file it points to is replaced (in its own folder).
    target = Path(path).expanduser().resolve()
    reason = _protected(target, protect)
    if reason:
        raise ExportError(f"refusing to write {shown}: {reason}")
    if target.is_dir():
        raise ExportError(f"cannot write {shown}: it is a folder; give a file name")
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {shown}: the folder {folder} does not exist")
    if target.exists() and not target.is_file():
        raise ExportError(f"cannot write {shown}: it exists and is not a regular file")
    # A fresh name, created exclusively; 0o666 is narrowed by the umask as for any new file.
    tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise ExportError(f"cannot write {shown}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        cause = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise ExportError(f"cannot write {shown}: {cause}; the file was left unchanged") \
            from None
    return target

