"""The ``cityindex`` command line: the same work as the dashboard, without a browser."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import pandas as pd

from cityindex import __version__
from cityindex.dataset import DatasetError, UnknownEditionError, load_dataset
from cityindex.engine import PROVENANCE_LABELS, MethodDataError, MethodError, compare, score
from cityindex.export import (
    LOCALES,
    Export,
    comparison_export,
    export_format,
    ranking_export,
    render,
    write_export,
)
from cityindex.i18n import PROVENANCE_MARKERS
from cityindex.method import ParameterError, decimal_point, value_text
from cityindex.plugins import PluginError, UnknownMethodError, get_registry
from cityindex.robustness import (
    LEVELS,
    NORMALISATIONS,
    WEIGHT_SCHEMES,
    rank_bounds,
    sensitivity,
    uncertainty,
)

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A command-line argument that cannot be used."""


# --- formatting -------------------------------------------------------------------------------


MISSING_CELL = "–"
"""How a plain-text table shows a missing value (an unranked city's rank, say)."""


def _cell(value: Any, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING_CELL
    if isinstance(value, float):
        return f"{value:.{decimals}f}"
    return str(value)


def format_table(frame: pd.DataFrame, decimals: int = 1) -> str:
    """A plain-text table; numbers right-aligned, text left-aligned."""
    cols = list(frame.columns)
    cells = [[_cell(v, decimals) for v in row] for row in frame.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c].dtype) for c in cols]
    widths = [max([len(str(c))] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]

    def line(values):
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line([str(c) for c in cols]), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


_OUT = None
"""Where results go: the real stdout, while everything else (what plugins print) is routed to
stderr by :func:`_protected_stdout`, so that CSV and JSON output stays machine-readable."""


def _out():
    return _OUT if _OUT is not None else sys.stdout


def _emit(text: str) -> None:
    _out().write(text if text.endswith("\n") else text + "\n")


@contextlib.contextmanager
def _protected_stdout():
    """Route stdout to stderr while commands run plugin code, at the Python level and, where
    stdout is the process's file descriptor 1, at the descriptor level too (a C extension's
    printf); results are written through :func:`_emit` to the original stdout."""
    global _OUT
    real = sys.stdout
    try:
        fd = real.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    saved = None
    if fd == 1:
        real.flush()
        saved = os.dup(1)
        os.dup2(2, 1)
        _OUT = os.fdopen(saved, "w", encoding=real.encoding or "utf-8", closefd=False,
                         errors=getattr(real, "errors", None) or "strict")
    else:
        _OUT = real
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        try:
            _OUT.flush()
        except (BrokenPipeError, ValueError):
            pass
        if saved is not None:
            sys.stderr.flush()
            os.dup2(saved, 1)
            os.close(saved)
        _OUT = None


_warned: set[str] = set()


def _registry():
    """The method registry; a plugin that could not be loaded is named once on stderr."""
    registry = get_registry()
    for failure in registry.failures:
        key = str(failure)
        if key not in _warned:
            _warned.add(key)
            sys.stderr.write(f"cityindex: warning: could not load {failure}; the other methods "
                             f"work ('cityindex methods' lists what failed)\n")
    return registry


def _check_output(args) -> None:
    """Fail before any work when ``--output`` names a format we cannot write."""
    if getattr(args, "output", None):
        fmt = export_format(args.output)
        asked = getattr(args, "format", "table")
        if asked not in ("table", fmt):
            raise UsageError(f"--format {asked} and --output {args.output} disagree: the "
                             f"output's extension sets its format ({fmt}); drop --format")
    if getattr(args, "top", None) is not None and args.top < 1:
        raise UsageError(f"--top takes a number of ranks of at least 1, not {args.top}")


def _export(bundle: Export, args) -> bool:
    """Write ``bundle`` (see :mod:`cityindex.export`) to ``--output`` in the format of its
    extension, or print it as CSV or JSON (``--locale`` picks the CSV dialect); False for the
    table format, which each command prints its own way."""
    locale = getattr(args, "locale", "en")
    if getattr(args, "output", None):
        write_export(bundle, args.output, locale=locale)
        _emit(f"wrote {len(bundle.tables[0].frame)} rows to {args.output}")
    elif args.format in ("csv", "json"):
        _out().write(render(bundle, args.format, locale=locale).decode("utf-8"))
    else:
        return False
    return True


def _add_export_options(parser: argparse.ArgumentParser) -> None:
    """``--output`` and ``--locale``, shared by the commands that produce a result."""
    parser.add_argument("--output", "-o", metavar="FILE",
                        help="write the result to FILE instead of printing it; the format "
                        "follows the extension: .csv, .xlsx (with a methodology sheet), .json")
    parser.add_argument("--locale", choices=LOCALES, default="en",
                        help="en: CSV with ',' and decimal point; de: CSV with ';', decimal "
                        "comma and BOM for German Excel, German labels in .xlsx (default: en)")


# --- commands ---------------------------------------------------------------------------------


def _method_card(reg) -> dict:
    m = reg.method
    return {
        "name": m.name,
        "title": m.title,
        "description": m.description,
        "title_de": getattr(m, "title_de", ""),
        "description_de": getattr(m, "description_de", ""),
        "citation": getattr(m, "citation", ""),
        "citation_de": getattr(m, "citation_de", ""),
        "parameters": [
            {
                "name": p.name, "type": p.type, "default": p.default,
                "label": p.label, "label_de": p.label_de, "help": p.help,
                "help_de": p.help_de, "min": p.min, "max": p.max,
                "choices": list(p.choices),
            }
            for p in getattr(m, "parameters", ())
        ],
        "requires": sorted(getattr(m, "requires", ())),
        "missing_policy": getattr(m, "missing_policy", ""),
        "reproduces_published": bool(getattr(m, "reproduces_published", False)),
        "plugin": reg.plugin,
        "package": reg.distribution,
        "version": reg.version,
    }


def cmd_methods(args) -> int:
    registry = get_registry()  # failures are listed below, not warned about
    failures = registry.failures
    if args.format == "json":
        payload = {
            "methods": [_method_card(reg) for reg in registry.values()],
            "could_not_load": [f.as_dict() for f in failures],
        }
        _emit(json.dumps(payload, indent=2, ensure_ascii=False))
        return EXIT_OK
    frame = pd.DataFrame(
        {
            "name": [r.name for r in registry.values()],
            "title": [r.method.title for r in registry.values()],
            "parameters": [
                ", ".join(f"{p.name}={p.default}" for p in getattr(r.method, "parameters", ()))
                for r in registry.values()
            ],
            "package": [f"{r.distribution} {r.version}" for r in registry.values()],
        }
    )
    _emit(format_table(frame))
    if failures:
        broken = pd.DataFrame({
            "package": [f.distribution for f in failures],
            "plugin": [f.plugin for f in failures],
            "method": [f.method or "" for f in failures],
            "reason": [f.message for f in failures],
        })
        _emit(f"\ncould not load ({len(failures)}):\n" + format_table(broken))
    return EXIT_OK


def _parse_params(pairs: Sequence[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param expects key=value, got {pair!r}")
        params[key.strip()] = value.strip()
    return params


def _parse_weights(pairs: Sequence[str] | None) -> dict[str, float]:
    weights: dict[str, float] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--weight expects ID=W (an area or category id), got {pair!r}")
        try:
            weights[key.strip()] = float(value.strip().replace(",", "."))
        except ValueError:
            raise UsageError(f"--weight {pair!r}: {value.strip()!r} is not a number") from None
    return weights


def _legend(markers) -> str:
    present = [m for m in PROVENANCE_LABELS if m in set(markers)]
    return "\n".join(f"  {PROVENANCE_MARKERS.get(m, '?')} {m}: {PROVENANCE_LABELS[m]}"
                     for m in present)


def _previous(ds, result, params, weights):
    """The same method on the edition before, for rank changes (None if there is none or the
    method cannot score it)."""
    earlier = [e for e in ds.editions if e < result.edition]
    if not earlier:
        return None
    try:
        return score(ds, result.method, edition=earlier[-1], params=params, weights=weights)
    except (MethodError, MethodDataError, ValueError):
        return None


def _compact_areas(frame: pd.DataFrame, areas: Sequence[str]) -> pd.DataFrame:
    """One text column per area for the plain-text table: score, (area rank) and the symbol of
    the area score's own provenance marker, e.g. ``79.6 (9) ○``."""
    out = frame.copy()
    for area in areas:
        cells = []
        for value, rank, marker in zip(out[area], out[f"{area}_rank"],
                                       out[f"{area}_provenance"], strict=True):
            if pd.isna(value):
                cells.append(MISSING_CELL)
                continue
            text = f"{value:.1f} ({MISSING_CELL if pd.isna(rank) else int(rank)})"
            cells.append(f"{text} {PROVENANCE_MARKERS.get(marker, '?')}" if isinstance(
                marker, str) else text)
        out[area] = pd.Series(cells, index=out.index, dtype=object)
        out = out.drop(columns=[f"{area}_rank", f"{area}_provenance"])
    return out


def _marked_ranks(ranks: pd.Series, markers: pd.Series, width: int = 0) -> pd.Series:
    """Ranks as text for the plain-text table, each followed by the symbol of its provenance
    marker and right-aligned to at least ``width`` characters with it: ``"   1 ●"``,
    ``"  12 ○"``, ``"   – –"`` (an unranked city)."""
    texts = [MISSING_CELL if pd.isna(rank) else str(int(rank)) for rank in ranks]
    digits = max([width - 2, *map(len, texts)])
    cells = [f"{text:>{digits}} {PROVENANCE_MARKERS.get(marker, '?')}"
             if isinstance(marker, str) else f"{text:>{digits}}  "
             for text, marker in zip(texts, markers, strict=True)]
    return pd.Series(cells, index=ranks.index, dtype=object)


def _signed(places) -> str:
    """A change of rank as the tables write it: ``+3``, ``-2``, ``±0``."""
    return "±0" if places == 0 else f"{int(places):+d}"


def cmd_rank(args) -> int:
    _registry()[args.method]  # an unknown method is reported before any data is read
    _check_output(args)
    ds = _load_data(args, args.data)
    params, weights = _parse_params(args.param), _parse_weights(args.weight)
    result = score(ds, args.method, edition=args.edition, params=params, weights=weights)
    for text in result.notes:  # on stderr: a CSV or JSON on stdout stays as it is
        _note(f"note: {text}")
    bundle = ranking_export(result, ds, top=args.top,
                            previous=_previous(ds, result, params, weights))
    out = bundle.table("cities").frame
    if _export(bundle, args):
        return EXIT_OK
    shown = out.drop(columns=["city_id", "published_rank", "published_total",
                              "published_rank_change", "unranked_reason",
                              "published_change_check"], errors="ignore")
    shown = _compact_areas(shown, result.area_ids).rename(columns={"name": "city"})
    if "rank_change" in shown:  # +3, -2, ±0 (places gained since the edition before)
        shown["rank_change"] = pd.Series(
            [MISSING_CELL if pd.isna(v) else _signed(v) for v in shown["rank_change"]],
            index=shown.index, dtype=object)
    settings = [", ".join(f"{k}={value_text(v)}" for k, v in result.params.items())]
    if result.weight_overrides:
        settings.append("own weights " + ", ".join(
            f"{k}={v:g}" for k, v in result.weight_overrides.items()))
    inner = "; ".join([result.method, *(x for x in settings if x)])
    header = f"{result.title} ({inner}) — edition {result.edition}, {len(result.table)} cities"
    _emit(header + "\n\n" + format_table(shown))
    markers = set(shown["provenance"])
    for area in result.area_ids:
        markers |= set(out[f"{area}_provenance"].dropna())
    _emit("\nprovenance (of the total; each area score carries its own symbol):\n"
          + _legend(markers))
    if result.missing_policy:
        _emit(f"missing values: {result.missing_policy}")
    if "published_change_check" in out:
        off = out[out["published_change_check"] == "contradicts"]
        if len(off):
            _emit("published rank changes that contradict the computed ranks: " + "; ".join(
                f"{row.name}: published {int(row.published_rank_change):+d}, computed "
                f"{int(row.rank_change):+d}" for row in off.itertuples()))
    unranked = result.unranked
    if len(unranked):
        _emit(f"unranked ({len(unranked)}, listed last): " + "; ".join(
            f"{row.name}: {row.unranked_reason}" for row in unranked.itertuples()))
    return EXIT_OK


def _method_spec(text: str) -> str | tuple[str, dict[str, str]]:
    """A method of ``compare`` as written on the command line: ``name`` or
    ``name:key=value,key=value`` (its parameters), for :func:`cityindex.compare`."""
    name, sep, rest = text.partition(":")
    if not sep:
        return name.strip()
    if not name.strip():
        raise UsageError(f"{text!r}: the method's name goes before the ':' "
                         f"(e.g. bitkom:projects_bonus=0)")
    if not rest.strip():
        raise UsageError(f"{text!r}: give parameters after the ':' as key=value,key=value, "
                         f"or leave out the ':'")
    try:
        return name.strip(), _parse_params(rest.split(","))
    except UsageError:
        pairs = rest.split(",")
        for i, (before, after) in enumerate(zip(pairs, pairs[1:], strict=False)):
            key, sep, value = before.partition("=")
            point = decimal_point(f"{value},{after}") if sep and "=" not in after else None
            if point is not None:  # 'bitkom:projects_bonus=0,05': the ',' split a number
                fixed = ",".join([*pairs[:i], f"{key}={point}", *pairs[i + 2:]])
                raise UsageError(f"{text!r}: ',' separates the parameters; write numbers "
                                 f"with a decimal point: {name.strip()}:{fixed}") from None
        raise UsageError(f"{text!r}: parameters are written name:key=value,key=value "
                         f"(e.g. bitkom:projects_bonus=0)") from None


def cmd_compare(args) -> int:
    registry = _registry()
    specs = [_method_spec(text) for text in args.methods]
    for spec in specs:
        registry[spec if isinstance(spec, str) else spec[0]]
    _check_output(args)
    ds = _load_data(args, args.data)
    cmp = compare(ds, specs, edition=args.edition)
    for label, result in zip(cmp.labels, cmp.results, strict=True):
        for text in result.notes:
            _note(f"note: {label}: {text}")
    base = cmp.labels[0]
    bundle = comparison_export(cmp, ds, top=args.top)
    out = bundle.table("cities").frame
    if _export(bundle, args):
        return EXIT_OK
    shown = out.drop(columns=["city_id"] + [f"{what} {lab}" for lab in cmp.labels
                                            for what in ("total", "provenance")])
    for label in cmp.labels:  # each rank with the symbol of its method's marker: "12 ○"
        column = f"rank {label}"
        shown[column] = _marked_ranks(out[column], out[f"provenance {label}"], len(column))
    for label in cmp.labels[1:]:  # +3, -2, ±0 as rank changes are written
        shown[f"shift {label}"] = pd.Series(
            [MISSING_CELL if pd.isna(v) else _signed(v) for v in shown[f"shift {label}"]],
            index=shown.index, dtype=object)
    cut = args.top and args.top < int(cmp.ranks[base].notna().sum())
    only = f"; the cities {base} ranks 1 to {args.top}" if cut else ""
    _emit(f"edition {cmp.edition}: ranks under {', '.join(cmp.labels)}; shift = places gained "
          f"against {base}{only}\n")
    _emit(format_table(shown))
    markers = set().union(*(out[f"provenance {lab}"].dropna() for lab in cmp.labels))
    _emit("\nprovenance (of each method's rank and total):\n" + _legend(markers))
    _emit("\nSpearman rank correlation\n" + format_table(cmp.spearman.reset_index(
        names=""), decimals=3))
    _emit("\nKendall tau-b\n" + format_table(cmp.kendall.reset_index(names=""), decimals=3))
    if len(cmp.left_out):
        _emit(f"\nleft out of shifts and correlations: {len(cmp.left_out)} "
              f"cit{'ies' if len(cmp.left_out) > 1 else 'y'} unranked under a method ("
              + "; ".join(f"{row.name}: unranked under {row.unranked_under}"
                          for row in cmp.left_out.itertuples())
              + "); a shift counts places among the cities both methods rank")
    return EXIT_OK


def _robustness_header(spec, title: str, what: str) -> str:
    params = ", ".join(f"{k}={value_text(v)}" for k, v in spec.params.items())
    if spec.weight_overrides:
        params += "; own weights " + ", ".join(
            f"{k}={v:g}" for k, v in spec.weight_overrides.items())
    return f"{title} ({spec.method}; {params}) — edition {spec.edition}: {what}"


def _note(text: str) -> None:
    sys.stderr.write(f"cityindex: {text}\n")


def cmd_uncertainty(args) -> int:
    registry = _registry()
    entry = registry[args.method]
    _check_output(args)
    ds = _load_data(args, args.data)
    result = uncertainty(
        ds, args.method, edition=args.edition, params=_parse_params(args.param),
        own_weights=_parse_weights(args.weight), draws=args.draws, seed=args.seed,
        weights=args.weights, concentration=args.concentration, noise=args.noise,
        bounds=(args.min_weight, args.max_weight), level=args.level,
        normalisations=tuple(args.normalisations or ()),
        aggregations=tuple(args.aggregations or ()), registry=registry)
    failed = [f"{row.normalisation} + {row.aggregation}: {row.failed} of {row.draws} "
              f"({row.reason})" for row in result.failures.itertuples()]
    footer = (f"draws: {result.draws}, evaluated {result.n_evaluated}, not evaluated "
              f"{result.n_failed}" + (f" — {'; '.join(failed)}" if failed else ""))
    if _export(result.export(), args):
        if result.n_failed:
            _note(f"warning: {footer}")
        return EXIT_OK
    spec = result.spec
    how = {"dirichlet": f"Dirichlet around the weights, concentration {spec.concentration:g}",
           "noise": f"each weight ±{spec.noise:.0%}",
           "simplex": "uniform over all weightings"}[spec.weights]
    lo, hi = spec.bounds
    if (lo, hi) != (0.0, 1.0):
        how += f", area weights within {lo:g}–{hi:g} (acceptance {result.acceptance:.1%})"
    what = (f"{result.draws} draws ({spec.level}: {how}; normalisation "
            f"{'/'.join(spec.normalisations)}, aggregation {'/'.join(spec.aggregations)}), "
            f"seed {result.seed}")
    _emit(_robustness_header(spec, entry.method.title, what) + "\n\n")
    _emit(format_table(result.table.reset_index(), decimals=2))
    _emit("\nrank = nominal rank; rank_p05–rank_p95 = 5–95 % rank interval; p_rank1, p_top10 = "
          "share of the draws with rank 1 / in the top 10")
    _emit(footer)
    if len(result.unranked):
        _emit(f"unranked, left out ({len(result.unranked)}): "
              + ", ".join(result.unranked["name"]))
    return EXIT_OK


def cmd_sensitivity(args) -> int:
    registry = _registry()
    entry = registry[args.method]
    _check_output(args)
    ds = _load_data(args, args.data)
    result = sensitivity(
        ds, args.method, edition=args.edition, params=_parse_params(args.param),
        own_weights=_parse_weights(args.weight), samples=args.samples, seed=args.seed,
        noise=args.noise, normalisations=tuple(args.normalisations or ()),
        aggregations=tuple(args.aggregations or ()), registry=registry)
    if _export(result.export(), args):
        for text in result.warnings:
            _note(f"warning: {text}")
        return EXIT_OK
    what = (f"Sobol indices of the mean absolute rank shift, {result.n_evaluations} "
            f"evaluations (N = {result.samples}), area weights ±{result.noise:.0%}, seed "
            f"{result.seed}")
    _emit(_robustness_header(result.spec, entry.method.title, what) + "\n\n")
    _emit(format_table(result.table, decimals=3))
    _emit(f"\nS1 = first-order index, ST = total-order index, *_conf = half-width of the "
          f"{result.conf_level:.0%} bootstrap interval; mean absolute rank shift "
          f"{result.output_mean:.2f} (sd {result.output_sd:.2f})")
    for text in result.notes:
        _emit(f"note: {text}")
    for text in result.warnings:
        _emit(f"warning: {text}")
    return EXIT_OK


def cmd_rank_bounds(args) -> int:
    registry = _registry()
    entry = registry[args.method]
    _check_output(args)
    ds = _load_data(args, args.data)
    result = rank_bounds(
        ds, args.method, edition=args.edition, params=_parse_params(args.param),
        own_weights=_parse_weights(args.weight), min_weight=args.min_weight,
        max_weight=args.max_weight, registry=registry)
    if _export(result.export(), args):
        return EXIT_OK
    what = (f"best and worst rank over every weighting of the {len(result.spec.areas)} areas "
            f"with each weight between {result.min_weight:g} and {result.max_weight:g}")
    _emit(_robustness_header(result.spec, entry.method.title, what) + "\n\n")
    shown = result.table.reset_index()[["city_id", "name", "rank", "best_rank", "worst_rank"]]
    _emit(format_table(shown))
    if not result.nominal_within_bounds:
        _emit("note: the method's own weights lie outside these bounds, so its rank may lie "
              "outside [best_rank, worst_rank]")
    _emit("exact (mixed-integer linear programming); the weights that attain each bound are "
          "in --format csv/json and --output")
    if len(result.unranked):
        _emit(f"unranked, left out ({len(result.unranked)}): "
              + ", ".join(result.unranked["name"]))
    return EXIT_OK


def _load_data(args, path):
    """Load the dataset at ``path`` with the data-loading options shared by the commands; its
    warnings (say, an unknown extra column) go to stderr, so that no command hides them."""
    ds = load_dataset(path, sep=getattr(args, "sep", None),
                      decimal=getattr(args, "decimal", None),
                      encoding=getattr(args, "encoding", None))
    if getattr(args, "func", None) is not cmd_validate:  # validate lists them itself
        for warning in getattr(ds, "warnings", ()):
            sys.stderr.write(f"cityindex: warning: {warning.describe()}\n")
    return ds


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def cmd_validate(args) -> int:
    try:
        ds = _load_data(args, args.dir)
    except DatasetError as exc:
        for problem in exc.problems:
            _emit(problem.describe())
        for warning in exc.warnings:  # what else was found, as for a valid dataset
            _emit(f"warning: {warning.describe()}")
        n = len(exc.problems)
        sys.stderr.write(f"{args.dir}: {_plural(n, 'problem')} found"
                         + (f", {_plural(len(exc.warnings), 'warning')}" if exc.warnings
                            else "") + "\n")
        return EXIT_INVALID
    for warning in ds.warnings:
        _emit(f"warning: {warning.describe()}")
    editions = ", ".join(map(str, ds.editions))
    empty = int(ds.values["value"].isna().sum())  # a row whose cell is empty: no value
    _emit(
        f"{args.dir}: valid — {_plural(len(ds.cities), 'city', 'cities')}, "
        f"{'edition' if len(ds.editions) == 1 else 'editions'} {editions}, "
        f"{_plural(len(ds.values) - empty, 'value')}, "
        + (f"{_plural(empty, 'empty cell')}, " if empty else "") +
        f"{_plural(len(ds.published), 'published figure')}"
        + (f", {_plural(len(ds.warnings), 'warning')}" if ds.warnings else "")
    )
    return EXIT_OK


def _add_data_options(p: argparse.ArgumentParser) -> None:
    """Options for reading the dataset, shared by every command that loads one."""
    p.add_argument("--sep", help="CSV separator: ',', ';' or 'tab' (default: detected per file)")
    p.add_argument("--decimal", choices=(".", ","),
                   help="decimal mark of the numbers (default: detected per file)")
    p.add_argument("--encoding",
                   help="text encoding, e.g. utf-8 or cp1252 (default: detected per file)")


# --- entry point ------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse with the command line's own one-line errors: ``cityindex rank: error: --top
    takes a whole number, not 'abc'`` and where to look, instead of the usage block over
    argparse's wording (which hides the message and names Python types)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"{self.prog}: error: {_usage_message(message)} "
                              f"(see '{self.prog} --help')\n")


_TYPE_WORDS = {"int": "a whole number", "float": "a number"}


def _usage_message(message: str) -> str:
    """argparse's error in the reader's words: a value of the wrong type says what is wanted,
    a mistyped command or choice offers the closest one."""
    wrong_type = re.fullmatch(r"argument (\S+): invalid (int|float) value: '(.*)'", message)
    if wrong_type:
        option, kind, value = wrong_type.groups()
        point = decimal_point(value) if kind == "float" else None
        hint = f"; write numbers with a decimal point: {point}" if point is not None else ""
        return f"{option} takes {_TYPE_WORDS[kind]}, not '{value}'{hint}"
    choice = re.fullmatch(r"argument (\S+): invalid choice: '(.*)' \(choose from (.*)\)",
                          message)
    if choice:
        option, value, allowed = choice.groups()
        options = re.findall(r"'([^']*)'", allowed) or [a.strip() for a in allowed.split(",")]
        close = difflib.get_close_matches(value, options, n=1)
        what = "command" if option == "COMMAND" else option
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return (f"{what} '{value}' is not one of {', '.join(repr(o) for o in options)}"
                f"{hint}")
    return re.sub(r"^argument (\S+): ", r"\1: ", message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cityindex",
        description="Rank German cities with any Smart City Index methodology.",
    )
    parser.add_argument("--version", action="version", version=f"cityindex {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("methods", help="list the installed scoring methods")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_methods)

    data_help = ("dataset: a folder of CSV files, an .xlsx workbook or a .zip (default: the "
                 "bundled data, or $CITYINDEX_DATA)")
    p = sub.add_parser("rank", help="rank the cities of one edition with one method")
    p.add_argument("--method", "-m", default="bitkom", help="method name (default: bitkom)")
    p.add_argument("--edition", "-e", type=int, help="index year (default: the latest)")
    p.add_argument("--data", "-d", help=data_help)
    _add_data_options(p)
    p.add_argument("--param", "-p", action="append", metavar="KEY=VALUE",
                   help="method parameter; repeat for several")
    p.add_argument("--weight", "-w", action="append", metavar="ID=W",
                   help="own weight of an area or category (any non-negative number; only "
                   "ratios matter, e.g. -w verwaltung=2); repeat for several")
    p.add_argument("--top", type=int, metavar="N", help="show only ranks 1 to N")
    p.add_argument("--format", "-f", choices=("table", "csv", "json"), default="table")
    _add_export_options(p)
    p.set_defaults(func=cmd_rank)

    p = sub.add_parser("compare", help="compare the rankings of two or more methods")
    p.add_argument("methods", nargs="+", metavar="METHOD",
                   help="a method name, or name:key=value,... with its parameters (the same "
                   "method may come twice, e.g. bitkom bitkom:projects_bonus=0)")
    p.add_argument("--edition", "-e", type=int, help="index year (default: the latest)")
    p.add_argument("--data", "-d", help=data_help)
    _add_data_options(p)
    p.add_argument("--top", type=int, metavar="N",
                   help="show only the cities the first method ranks 1 to N (the correlations "
                   "stay over all cities)")
    p.add_argument("--format", "-f", choices=("table", "csv", "json"), default="table")
    _add_export_options(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("validate", help="check a dataset (folder, .xlsx or .zip); exit 0 if "
                       "valid, 1 if not")
    p.add_argument("dir", metavar="DIR", help="a folder of CSV files, an .xlsx workbook or a .zip")
    _add_data_options(p)
    p.set_defaults(func=cmd_validate)

    def robustness_parser(name: str, help_text: str):
        q = sub.add_parser(name, help=help_text)
        q.add_argument("--method", "-m", default="bitkom",
                       help="method name (default: bitkom; it must describe its hierarchy)")
        q.add_argument("--edition", "-e", type=int, help="index year (default: the latest)")
        q.add_argument("--data", "-d", help=data_help)
        _add_data_options(q)
        q.add_argument("--param", "-p", action="append", metavar="KEY=VALUE",
                       help="method parameter; repeat for several")
        q.add_argument("--weight", "-w", action="append", metavar="ID=W",
                       help="own weight of an area or category to start from; repeat for "
                       "several")
        q.add_argument("--format", "-f", choices=("table", "csv", "json"), default="table")
        _add_export_options(q)
        return q

    def alternatives(q) -> None:
        q.add_argument("--normalisations", nargs="+", choices=NORMALISATIONS, metavar="NAME",
                       help=f"normalisations to vary over ({', '.join(NORMALISATIONS)}; "
                       "default: the method's own)")
        q.add_argument("--aggregations", nargs="+", choices=("arithmetic", "geometric"),
                       metavar="NAME", help="aggregations to vary over (arithmetic, geometric; "
                       "default: the method's own)")

    p = robustness_parser("uncertainty", "rank intervals and rank probabilities over many "
                          "weightings (Monte Carlo, SMAA)")
    p.add_argument("--draws", type=int, default=1000, help="number of draws (default: 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--weights", choices=WEIGHT_SCHEMES, default="dirichlet",
                   help="dirichlet: around the method's weights; noise: each weight ±NOISE; "
                   "simplex: uniform over all weightings within the bounds (SMAA)")
    p.add_argument("--concentration", type=float, default=100.0,
                   help="Dirichlet concentration: larger = closer to the weights (default 100)")
    p.add_argument("--noise", type=float, default=0.25,
                   help="share by which --weights noise varies each weight (default 0.25)")
    p.add_argument("--min-weight", type=float, default=0.0,
                   help="smallest share any area weight may take (default 0)")
    p.add_argument("--max-weight", type=float, default=1.0,
                   help="largest share any area weight may take (default 1)")
    p.add_argument("--level", choices=LEVELS, default="areas",
                   help="vary the area weights, or the category weights within areas too")
    alternatives(p)
    p.set_defaults(func=cmd_uncertainty)

    p = robustness_parser("sensitivity", "Sobol indices: which choices move the ranks (SALib)")
    p.add_argument("--samples", type=int, default=1024,
                   help="Sobol base sample N, a power of 2; N × (inputs + 2) evaluations "
                   "(default: 1024)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--noise", type=float, default=0.25,
                   help="each area weight varies uniformly by this share (default 0.25)")
    alternatives(p)
    p.set_defaults(func=cmd_sensitivity)

    p = robustness_parser("rank-bounds", "best and worst rank of every city over all area "
                          "weightings within bounds (exact)")
    p.add_argument("--min-weight", type=float, default=0.1,
                   help="smallest share any area weight may take (default 0.1)")
    p.add_argument("--max-weight", type=float, default=0.4,
                   help="largest share any area weight may take (default 0.4)")
    p.set_defaults(func=cmd_rank_bounds)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with _protected_stdout():
            return args.func(args)
    except DatasetError as exc:
        more = len(exc.problems) - 1
        hint = f" (and {more} more; run 'cityindex validate' to list them)" if more else ""
        return _fail(f"{exc.problems[0]}{hint}")
    except UnknownMethodError as exc:
        return _fail(str(exc))
    except (ParameterError, MethodDataError, MethodError, UnknownEditionError, PluginError,
            UsageError, ValueError) as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # e.g. `cityindex rank | head`
        return EXIT_OK
    except MemoryError:
        return _fail("not enough memory for this request: ask for less (fewer draws, samples or "
                     "cities)")


def _fail(message: str) -> int:
    sys.stderr.write(f"cityindex: error: {message}\n")
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
