"""Reading dataset files: formats, CSV dialects and encodings.

This module turns what a user has — a folder of CSV files, one ``.xlsx`` workbook, a ``.zip``
of CSV files, ``values`` in long or wide form, ``values.parquet`` — into raw tables of text and
numbers (:class:`RawTable`). Checking those tables against the dataset format is the job of
:mod:`cityindex.dataset`; nothing here decides whether a value is valid, only how to read it.

Detection rules (documented in ``docs/dataset-format.md``):

- **Encoding**: a byte-order mark decides (UTF-8, UTF-16); otherwise UTF-8 if the bytes decode
  as UTF-8, else the best of Windows-1252 / Latin-1 by charset-normalizer (with a warning).
- **Separator**: ``,``, ``;`` or tab — the one that splits the header row into the most fields
  (``,`` on a tie).
- **Decimal mark**, per file: a comma if some number in the file's numeric columns is written
  with a decimal comma (``80,5``) and none with a decimal point; a point otherwise. A file
  that mixes both keeps the point and every comma number is reported. Thousands separators
  are never guessed: ``1.234,5`` is reported, and ``1,234`` in a decimal-comma file is 1.234.
- Explicit ``sep``, ``decimal`` and ``encoding`` options override detection.

Every failure becomes a :class:`~cityindex.dataset.Problem`; all files are read and reported
before a :class:`~cityindex.dataset.DatasetError` is raised. Reading never writes anything:
files are opened read-only, zip members are read into memory and never extracted.
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import os
import re
import stat
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from cityindex import dataset as _model
from cityindex.dataset import DatasetError, Problem
from cityindex.messages import msg

SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
_SEPARATOR_NAMES = {",": msg("comma"), ";": msg("semicolon"), "\t": msg("tab")}
DECIMALS = (".", ",")
FORMATS = (".csv", ".parquet")  # per table, in order of preference
WORKBOOK_SUFFIXES = (".xlsx",)
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
FALLBACK_ENCODINGS = ("cp1252", "latin_1")
_MAX_LINE_PROBLEMS = 50  # malformed lines reported per file before "and N more"

# Numbers as written: a decimal comma, a decimal point, and grouped thousands.
_COMMA_NUMBER = r"^\s*[+-]?\d*,\d+\s*$"
_POINT_NUMBER = r"^\s*[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?\s*$"
_GROUPED = re.compile(r"^\s*[+-]?\d{1,3}([.,' ]\d{3})+([.,]\d+)?\s*$")


@dataclass(frozen=True)
class UploadLimits:
    """Size limits for an upload, in bytes (defaults: 25 MB upload, 100 MB per member,
    200 MB unpacked in total, 64 members). The unpacked sizes are counted while reading, not
    taken from the zip's headers, so a zip bomb stops at the limit."""

    max_upload: int = 25_000_000
    max_member: int = 100_000_000
    max_total: int = 200_000_000
    max_members: int = 64


@dataclass(frozen=True)
class RawTable:
    """One table as read, before validation.

    ``frame`` has one column per distinct header name: text cells as strings (or a
    categorical), numeric columns as float64 where every cell parsed cleanly in the file's
    decimal mark and as the original text otherwise. ``rows[i]`` is the line (or sheet row) of
    ``frame`` row ``i``, the header being row 1. ``wide`` marks ``values`` read in wide form
    and melted to long form.
    """

    name: str
    source: str
    header: tuple[str, ...]
    frame: pd.DataFrame
    rows: np.ndarray
    decimal: str = "."
    mixed_decimals: bool = False
    wide: bool = False
    separator: str | None = None


@dataclass
class ReadResult:
    """Everything read from one source: tables by canonical file name, and what went wrong."""

    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # file name -> as shown to the user
    path: Path | None = None

    def problem(self, source, row=None, column=None, message="", hint=""):
        self.problems.append(Problem(source, row, column, message, hint))

    def warn(self, source, row=None, column=None, message="", hint=""):
        self.warnings.append(Problem(source, row, column, message, hint))


@dataclass(frozen=True)
class _Options:
    sep: str | None = None
    decimal: str | None = None
    encoding: str | None = None


def _table_files() -> tuple[str, ...]:
    # read at call time: other modules may register optional files
    return tuple(_model.REQUIRED_FILES) + tuple(_model.OPTIONAL_FILES)


def _numeric_columns(filename: str) -> set[str]:
    return {c.name for c in _model.SPECS.get(filename, ()) if c.kind in ("int", "float")}


def _join(base: str, name: str) -> str:
    """``name`` inside ``base`` as the user would write it (no doubling, no normalising)."""
    return os.path.join(base, name) if base else name


# --- entry points ---------------------------------------------------------------------------


def read_source(
    path: str | os.PathLike,
    *,
    sep: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    variable: str | None = None,
) -> ReadResult:
    """Read a dataset folder, an ``.xlsx`` workbook or a ``.zip`` of CSV files at ``path``.

    ``variable`` names the environment variable ``path`` came from (``CITYINDEX_DATA``), so
    that a path that does not exist says where it was set.

    Returns the raw tables with every read problem and warning; raises nothing but
    :class:`DatasetError` (for options that cannot be used).
    """
    opts = _check_options(sep, decimal, encoding)
    shown = os.fspath(path)
    result = ReadResult(path=Path(shown))
    if not shown.strip():  # "" (say, --data ''), which os.stat reports as not found
        result.problem(repr(shown), message=msg(
            "the path is empty: give a folder, an .xlsx workbook or a .zip file"))
        return result
    try:
        st = os.stat(shown)
    except FileNotFoundError:
        if variable:
            result.problem(shown, message=msg("does not exist (the path is set by ${variable})",
                                              variable=variable),
                           hint=msg("set ${variable} to a folder, an .xlsx workbook or a .zip "
                                    "file, or unset it to use the bundled data",
                                    variable=variable))
        else:
            result.problem(shown, message=msg("does not exist"),
                           hint=msg("give the folder with cities.csv, values.csv, …, or an "
                                    ".xlsx workbook"))
        return result
    except OSError as exc:
        result.problem(shown, message=msg("cannot be read: {reason}",
                                          reason=exc.strerror or str(exc)),
                       hint=msg("check the permissions of the folder and the folders above it"))
        return result
    suffix = Path(shown).suffix.lower()
    if stat.S_ISDIR(st.st_mode):
        _read_folder(result, shown, opts)
    elif stat.S_ISREG(st.st_mode) and suffix in WORKBOOK_SUFFIXES + (".zip",):
        content = _read_bytes(result, shown)
        if content is not None:
            if suffix == ".zip":
                _read_zip(result, shown, content, opts, UploadLimits(
                    max_upload=len(content), max_member=1 << 40, max_total=1 << 42,
                    max_members=1000))
            else:
                _read_workbook(result, shown, content, opts, None)
    else:
        result.problem(shown, message=msg("is not a folder, an .xlsx workbook or a .zip file"),
                       hint=msg("give the folder that holds cities.csv, values.csv, …"))
    _finish_wide(result)
    return result


def read_upload(name: str, content: bytes, *, limits: UploadLimits | None = None,
                sep: str | None = None, decimal: str | None = None,
                encoding: str | None = None) -> _model.Dataset:
    """Read and validate an uploaded dataset: a ``.zip`` of CSV (or Parquet) files, or an
    ``.xlsx`` workbook with one sheet per file. ``content`` is never written to disk.

    Hostile input is refused with problems, not exceptions: uploads over
    ``limits.max_upload`` bytes, members over ``limits.max_member`` or an unpacked total over
    ``limits.max_total`` (counted while decompressing), more than ``limits.max_members``
    members, workbooks with an XML document type declaration (entity expansion). Members in a
    sub-folder are found by their base name when that is unambiguous.

    Raises :class:`DatasetError` listing every problem.
    """
    limits = limits or UploadLimits()
    opts = _check_options(sep, decimal, encoding)
    shown = os.path.basename(str(name)) or "upload"
    try:
        return _read_upload(shown, content, limits, opts)
    except DatasetError:
        raise
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - never a traceback
        raise DatasetError([_model._internal(shown, exc)]) from exc


def _read_upload(shown: str, content, limits: UploadLimits, opts: _Options) -> _model.Dataset:
    result = ReadResult(path=None)
    if not isinstance(content, bytes | bytearray | memoryview):
        result.problem(shown, message=msg("is not a file upload"))
    elif len(content) > limits.max_upload:
        result.problem(shown, message=msg("is {size:,} bytes; uploads are limited to {limit:,} "
                                          "bytes", size=len(content), limit=limits.max_upload),
                       hint=msg("zip the CSV files, or use the command line for large "
                                "datasets"))
    else:
        content = bytes(content)
        suffix = PurePosixPath(shown).suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            _read_workbook(result, shown, content, opts, limits)
        elif suffix == ".zip":
            _read_zip(result, shown, content, opts, limits)
        elif suffix in (".csv", ".tsv", ".txt"):  # one of the five files, not a dataset
            result.problem(shown, message=msg("is a single CSV file; a dataset is five files "
                                              "(cities, areas, categories, indicators, "
                                              "values)"),
                           hint=msg("put the CSV files together into one .zip (in Windows: "
                                    "select them, then 'Send to' > 'Compressed (zipped) "
                                    "folder'), or make them the sheets of one .xlsx workbook"))
        elif suffix in (".xls", ".ods", ".xlsm", ".xlsb"):
            result.problem(shown, message=msg("is a workbook in the {kind} format; only .xlsx "
                                              "workbooks are read", kind=suffix),
                           hint=msg("save it as an .xlsx workbook (Excel: File > Save As > "
                                    "Excel Workbook; LibreOffice: Save As > Excel 2007-365)"))
        else:
            result.problem(shown, message=msg("is neither a .zip of CSV files nor an .xlsx "
                                              "workbook"),
                           hint=msg("upload a .zip holding cities.csv, values.csv, … or an "
                                    ".xlsx workbook with one sheet per file"))
    _finish_wide(result)
    return _model.dataset_from_read(result)


def _check_options(sep, decimal, encoding) -> _Options:
    problems = []
    if sep is not None:
        sep = {"\\t": "\t", "tab": "\t", "semicolon": ";", "comma": ","}.get(sep, sep)
        if sep not in SEPARATORS:
            problems.append(Problem("--sep", None, None,
                                    msg("{sep!r} is not a separator", sep=sep),
                                    msg("use ',', ';' or 'tab'")))
    if decimal is not None and decimal not in DECIMALS:
        problems.append(Problem("--decimal", None, None,
                                msg("{decimal!r} is not a decimal mark", decimal=decimal),
                                msg("use '.' or ','")))
    if encoding is not None:
        import codecs

        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            problems.append(Problem("--encoding", None, None,
                                    msg("{encoding!r} is not a known encoding",
                                        encoding=encoding),
                                    msg("use utf-8, cp1252 or latin-1")))
    if problems:
        raise DatasetError(problems)
    return _Options(sep, decimal, encoding)


# --- folders, files and archives -------------------------------------------------------------


def _read_bytes(result: ReadResult, shown: str) -> bytes | None:
    """The bytes of a regular file; a named pipe, device or folder is reported, not opened."""
    try:
        st = os.stat(shown)
        if not stat.S_ISREG(st.st_mode):
            result.problem(shown, message=msg("is not a regular file (a folder, named pipe "
                                              "or device)"),
                           hint=msg("replace it with a CSV file"))
            return None
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(shown, flags)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
                result.problem(shown, message=msg("is not a regular file"))
                return None
            with os.fdopen(fd, "rb", closefd=False) as handle:
                return handle.read()
        finally:
            os.close(fd)
    except PermissionError:
        result.problem(shown, message=msg("cannot be read: permission denied"),
                       hint=msg("give yourself read permission (e.g. chmod u+r)"))
    except OSError as exc:
        result.problem(shown, message=msg("cannot be read: {reason}",
                                          reason=exc.strerror or str(exc)))
    return None


def _read_folder(result: ReadResult, folder: str, opts: _Options) -> None:
    try:
        present = set(os.listdir(folder))
    except PermissionError:
        result.problem(folder, message=msg("cannot be read: permission denied"),
                       hint=msg("give yourself read permission on the folder (e.g. chmod "
                                "u+rx)"))
        return
    except OSError as exc:
        result.problem(folder, message=msg("cannot be read: {reason}",
                                           reason=exc.strerror or str(exc)))
        return
    for filename in _table_files():
        stem = filename.removesuffix(".csv")
        found = [stem + ext for ext in FORMATS if stem + ext in present]
        result.names[filename] = _join(folder, filename)
        if not found:
            if filename in _model.REQUIRED_FILES:
                near = _near(filename, present)
                result.problem(_join(folder, filename), message=msg("required file is missing"),
                               hint=msg("did you mean {near!r}? File names are lower case",
                                        near=near) if near else "")
            continue
        if len(found) > 1:
            result.problem(_join(folder, found[1]),
                           message=msg("both {first} and {second} are present",
                                       first=found[0], second=found[1]),
                           hint=msg("keep only one of them"))
            continue
        shown = _join(folder, found[0])
        result.names[filename] = shown
        content = _read_bytes(result, shown)
        if content is None:
            continue
        if found[0].endswith(".parquet"):
            _add_parquet(result, filename, shown, content)
        else:
            _add_csv(result, filename, shown, content, opts)


def _near(filename: str, present: Iterable[str]) -> str | None:
    lowered = {p.lower(): p for p in present}
    if filename in lowered:
        return lowered[filename]
    close = difflib.get_close_matches(filename, list(present), n=1, cutoff=0.8)
    return close[0] if close else None


def _member_bytes(result, zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str,
                  limits: UploadLimits, budget: list[int]) -> bytes | None:
    """A member's bytes, counting the real decompressed size against the limits."""
    cap = min(limits.max_member, budget[0])
    out = bytearray()
    try:
        with zf.open(info) as handle:
            while True:
                chunk = handle.read(1 << 20)
                if not chunk:
                    break
                out += chunk
                if len(out) > cap:
                    if cap == limits.max_member:
                        message = msg("unpacks to more than {limit:,} bytes (the member limit)",
                                      limit=limits.max_member)
                    else:
                        message = msg("unpacks to more than {limit:,} bytes (the unpacked total "
                                      "limit)", limit=limits.max_total)
                    result.problem(shown, message=message, hint=msg("upload less data at once"))
                    return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError,
            EOFError, OSError, ValueError) as exc:
        result.problem(shown, message=msg("cannot be unpacked: {error}", error=str(exc)),
                       hint=msg("zip the files again without a password"))
        return None
    except Exception as exc:  # zlib.error and friends  # noqa: BLE001
        result.problem(shown, message=msg("cannot be unpacked: {error}",
                                          error=f"{type(exc).__name__}: {exc}"))
        return None
    budget[0] -= len(out)
    return bytes(out)


def _open_zip(result, shown, content, limits) -> zipfile.ZipFile | None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
        infos = zf.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError, … for damaged archives  # noqa: BLE001
        result.problem(shown, message=msg("is not a valid zip file ({error})", error=str(exc)),
                       hint=msg("save the workbook again, or zip the CSV files again"))
        return None
    if len(infos) > limits.max_members:
        result.problem(shown, message=msg("has {n} members; at most {limit} are allowed",
                                          n=len(infos), limit=limits.max_members))
        return None
    return zf


def _read_zip(result: ReadResult, shown: str, content: bytes, opts: _Options,
              limits: UploadLimits) -> None:
    zf = _open_zip(result, shown, content, limits)
    if zf is None:
        return
    by_name: dict[str, list[zipfile.ZipInfo]] = {}
    for info in zf.infolist():
        parts = PurePosixPath(info.filename.replace("\\", "/")).parts
        if info.is_dir() or not parts or parts[0] == "__MACOSX" or parts[-1].startswith("."):
            continue
        by_name.setdefault(parts[-1], []).append(info)
    budget = [limits.max_total]
    for filename in _table_files():
        stem = filename.removesuffix(".csv")
        candidates = [(stem + ext, info) for ext in FORMATS for info in by_name.get(stem + ext, [])]
        member_shown = _join(shown, filename)
        result.names[filename] = member_shown
        if not candidates:
            if filename in _model.REQUIRED_FILES:
                near = _near(filename, by_name)
                result.problem(member_shown, message=msg("required file is missing from the zip"),
                               hint=msg("did you mean {near!r}? File names are lower case",
                                        near=near)
                               if near else msg("put cities.csv, values.csv, … in the zip"))
            continue
        if len(candidates) > 1:
            where = ", ".join(info.filename for _, info in candidates)
            result.problem(member_shown, message=msg("is ambiguous: the zip holds {where}",
                                                     where=where),
                           hint=msg("keep one copy of each file in the zip"))
            continue
        member, info = candidates[0]
        member_shown = _join(shown, info.filename)
        result.names[filename] = member_shown
        data = _member_bytes(result, zf, info, member_shown, limits, budget)
        if data is None:
            continue
        if member.endswith(".parquet"):
            _add_parquet(result, filename, member_shown, data)
        else:
            _add_csv(result, filename, member_shown, data, opts)


# --- CSV ---------------------------------------------------------------------------------------


def _decode(result: ReadResult, shown: str, content: bytes, opts: _Options
            ) -> tuple[str, bytes] | None:
    """(encoding, UTF-8 bytes without BOM) of a text file, or None after a problem."""
    if opts.encoding is not None:
        body = content
        if opts.encoding in ("utf-8", "utf-8-sig") and content.startswith(BOMS[0][0]):
            body = content[3:]
        try:
            text = body.decode(opts.encoding)
        except UnicodeDecodeError as exc:
            result.problem(shown, message=msg("is not {encoding} text ({reason} at byte "
                                              "{byte})", encoding=opts.encoding,
                                              reason=exc.reason, byte=exc.start),
                           hint=msg("leave out --encoding to detect it"))
            return None
        return opts.encoding, body if opts.encoding.startswith("utf-8") else text.encode()
    for bom, codec in BOMS:
        if content.startswith(bom):
            body = content[len(bom):]
            if codec == "utf-8":
                break
            try:
                return codec, body.decode(codec).encode("utf-8")
            except UnicodeDecodeError as exc:
                result.problem(shown, message=msg("is not valid {encoding} text ({reason})",
                                                  encoding=codec, reason=exc.reason))
                return None
    else:
        body = content
    if b"\x00" in body[:65536]:
        result.problem(shown, message=msg("is not a text file (it contains NUL bytes)"),
                       hint=msg("save it as 'CSV UTF-8 (comma delimited)' or 'CSV "
                                "(Trennzeichen-getrennt)'"))
        return None
    try:
        body.decode("utf-8")
        return "utf-8", body
    except UnicodeDecodeError as exc:
        first_error = exc
    from charset_normalizer import from_bytes

    best = from_bytes(body, cp_isolation=list(FALLBACK_ENCODINGS)).best()
    codec = best.encoding if best is not None else None
    if codec is None:
        result.problem(shown, message=msg("is not UTF-8 text ({reason} at byte {byte}) nor "
                                          "Windows-1252/Latin-1", reason=first_error.reason,
                                          byte=first_error.start),
                       hint=msg("save it as 'CSV UTF-8' (on the command line, --encoding names "
                                "its encoding)"))
        return None
    try:
        utf8 = body.decode(codec).encode("utf-8")
    except UnicodeDecodeError as exc:  # pragma: no cover - charset-normalizer checked it
        result.problem(shown, message=msg("is not {encoding} text ({reason})",
                                          encoding=codec, reason=exc.reason))
        return None
    result.warn(shown, message=msg("is not UTF-8; read as {encoding} (byte {byte} is not "
                                   "UTF-8)", encoding=codec, byte=first_error.start),
                hint=msg("the encoding was detected automatically (on the command line, "
                         "--encoding sets it); save as 'CSV UTF-8' to avoid the guess"))
    return codec, utf8


def _sniff_separator(first_line: str) -> str:
    best, count = ",", 1
    for sep in SEPARATORS:
        try:
            n = len(next(csv.reader([first_line], delimiter=sep)))
        except (csv.Error, StopIteration):
            continue
        if n > count:
            best, count = sep, n
    return best


def _add_csv(result: ReadResult, filename: str, shown: str, content: bytes,
             opts: _Options) -> None:
    decoded = _decode(result, shown, content, opts)
    if decoded is None:
        return
    _, body = decoded
    stripped = body.lstrip(b"\r\n")
    end = len(stripped)
    while end and stripped[end - 1] in b"\r\n \t":
        end -= 1
    if not end:
        result.problem(shown, message=msg("is empty: a header row is required"),
                       hint=msg("the first line names the columns, e.g. city_id,name"))
        return
    head = stripped[:65536].decode("utf-8", errors="replace")
    first_line = head.splitlines()[0] if head else ""
    sep = opts.sep or _sniff_separator(first_line)
    table = None
    leading = len(body) - len(stripped)
    if leading == 0:
        numeric = _numeric_columns(filename)
        if filename == "values.csv":
            numeric = numeric | _wide_numeric(first_line, sep)
        guess = opts.decimal or (
            "," if sep != "," and re.search(r"(^|[;\t])\s*[+-]?\d*,\d+\s*($|[;\t])", head, re.M)
            else ".")
        table = _arrow_csv(stripped, sep, numeric, guess, categorical=filename == "values.csv")
        # each line one record: no blank lines inside, no value spanning lines, so that the
        # line numbers are exact; otherwise the slow path counts them
        if table is not None and len(table[2]) != stripped.count(b"\n", 0, end):
            table = None
    if table is not None:
        header, columns, rows, decimal = table
        if decimal is not None:
            opts = _Options(opts.sep, decimal, opts.encoding)
    else:
        parsed = _python_csv(result, shown, stripped.decode("utf-8"), sep,
                             body[:leading].count(b"\n"))
        if parsed is None:
            return
        header, columns, rows = parsed
    _add_table(result, filename, shown, header, columns, rows, opts, separator=sep)


def _wide_numeric(first_line: str, sep: str) -> set[str]:
    """In wide values every column but city_id (and edition) holds numbers."""
    try:
        header = [h.strip() for h in next(csv.reader([first_line], delimiter=sep))]
    except (csv.Error, StopIteration):
        return set()
    if values_in_wide_form(header):
        return set(header) - {"city_id", "provenance", "source"}
    return set()


def values_in_wide_form(header: Iterable[str]) -> bool:
    """Whether a ``values`` header is the wide form (one column per indicator) rather than the
    long form (``edition, city_id, indicator_id, value``).

    Wide: a ``city_id`` column and neither ``indicator_id`` nor ``value`` — unless the header
    is the long form misspelt: every column is one of the long form or a near miss of one it
    lacks (:func:`cityindex.dataset.near_column`, each standing for a different column), and
    ``indicator_id`` or ``value`` is among the near misses (``edition,city_id,indicator,Value``).
    Such a header is read as the long form, so that the validator reports the misspelling
    ("did you mean 'indicator_id'?") instead of every id as "not a number". A wide header
    has at least one indicator column that is no near miss (``i1``), so it stays wide."""
    header = [str(h).strip() for h in header]
    present = set(header)
    if "city_id" not in present or {"indicator_id", "value"} & present:
        return False
    spec = [c.name for c in _model.SPECS["values.csv"]]
    unused = [c for c in spec if c not in present]
    standing_for = set()
    for name in header:
        if name in spec:
            continue
        near = _model.near_column(name, [c for c in unused if c not in standing_for])
        if near is None:
            return True  # an indicator's column
        standing_for.add(near)
    return not {"indicator_id", "value"} & standing_for


def _arrow_csv(body: bytes, sep: str, numeric: set[str], decimal: str, categorical: bool):
    """Fast path: pyarrow's multithreaded reader, for well-formed files, with the numeric
    columns converted while reading in the ``decimal`` mark. Returns (header, columns, rows,
    decimal) — decimal None when the numbers were left as text — or None if any line has the
    wrong number of fields or a value spans lines (the slow path reports those)."""
    newline = body.find(b"\n")
    first = body[:newline if newline >= 0 else len(body)].rstrip(b"\r").decode(
        "utf-8", errors="replace")
    try:
        header = next(csv.reader([first], delimiter=sep))
    except (csv.Error, StopIteration):
        return None
    names = [f"c{i}" for i in range(len(header))]
    text_type = pa.dictionary(pa.int32(), pa.string()) if categorical else pa.string()
    is_number = [h.strip() in numeric for h in header]
    bad = []

    def invalid(row):
        bad.append(row)
        return "skip"

    def read(typed: bool):
        types = {n: pa.float64() if typed and num else
                 (pa.string() if num else text_type) for n, num in zip(names, is_number,
                                                                        strict=True)}
        return pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1,
                                           block_size=2 << 20),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True,
                                             escape_char=False, newlines_in_values=False,
                                             ignore_empty_lines=False,
                                             invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False,
                null_values=[""], decimal_point=decimal),
        )

    table, used = None, None
    if any(is_number):
        try:
            table, used = read(True), decimal
            for i in np.flatnonzero(is_number):
                col = table.column(int(i))
                finite = pc.is_finite(col)
                if not pc.all(finite.fill_null(True)).as_py():
                    table, used = None, None  # nan / inf: the validator reports those cells
                    break
        except (pa.ArrowException, ValueError, OSError):
            table, used = None, None
        if bad:
            return None
    if table is None:
        try:
            table = read(False)
        except (pa.ArrowException, ValueError, OSError):
            return None
    if bad:
        return None
    columns = [table.column(i) for i in range(len(names))]
    rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
    return header, columns, rows, used


def _python_csv(result: ReadResult, shown: str, text: str, sep: str, offset: int):
    """Slow path with exact line numbers: trailing separators, ragged and multi-line rows."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"',
                        doublequote=True, strict=False)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        result.problem(shown, row=1 + offset,
                       message=msg("the header row cannot be read ({error})", error=str(exc)))
        return None
    n = len(header)
    trailing_header = n > 1 and header[-1].strip() == ""
    if trailing_header:
        header = header[:-1]
        n -= 1
    cells: list[list[str]] = [[] for _ in range(n)]
    rows: list[int] = []
    reported = 0
    try:
        for record in reader:
            line = reader.line_num + offset
            if not record or all(not c.strip() for c in record):
                continue  # blank line, or a row of separators only (Excel writes those)
            if len(record) > n and all(not c.strip() for c in record[n:]):
                record = record[:n]  # trailing separators
            if len(record) != n:
                reported += 1
                if reported <= _MAX_LINE_PROBLEMS:
                    result.problem(shown, row=line,
                                   message=msg("has {fields} fields but the header has {n}",
                                               fields=len(record), n=n),
                                   hint=_ragged_hint(record, n, sep))
                continue
            for column, cell in zip(cells, record, strict=True):
                column.append(cell)
            rows.append(line)
    except csv.Error as exc:
        result.problem(shown, row=reader.line_num + offset,
                       message=msg("is not a well-formed CSV file: {error}", error=str(exc)),
                       hint=msg("check the quotes: a quote inside a quoted cell is written "
                                "twice"))
        return None
    if reported > _MAX_LINE_PROBLEMS:
        result.problem(shown, message=msg("{n} more lines have the wrong number of fields",
                                          n=reported - _MAX_LINE_PROBLEMS))
    columns = [pa.array(c, type=pa.string()) for c in cells]
    return header, columns, np.asarray(rows, dtype=np.int64)


def sep_option(sep: str) -> str:
    """How ``--sep`` takes a separator on the command line: ``tab`` for a tab character."""
    return "tab" if sep == "\t" else f"'{sep}'"


def _ragged_hint(record: list[str], n: int, sep: str) -> str:
    name = _SEPARATOR_NAMES[sep]
    if len(record) > n:
        first, second = (f"--sep {sep_option(s)}" for s in SEPARATORS if s != sep)
        return msg("the file is read as {name}-separated; a cell that contains a {name} must "
                   "be quoted (\"per 1,000 inhabitants\"), or the file saved with another "
                   "separator (on the command line: {first} or {second})",
                   name=name, first=first, second=second)
    return msg("every line needs as many {name}-separated fields as the header", name=name)


# --- Parquet and Excel ------------------------------------------------------------------------


def _add_parquet(result: ReadResult, filename: str, shown: str, content: bytes) -> None:
    import pyarrow.parquet as pq

    try:
        schema = pq.ParquetFile(pa.BufferReader(content)).schema_arrow
        texts = [f.name for f in schema if pa.types.is_string(f.type)
                 or pa.types.is_large_string(f.type)] if filename == "values.csv" else []
        table = pq.read_table(pa.BufferReader(content), read_dictionary=texts or None)
    except Exception as exc:  # pyarrow raises many kinds  # noqa: BLE001
        result.problem(shown, message=msg("is not a readable Parquet file ({error})",
                                          error=str(exc)),
                       hint=msg("write it with pandas.DataFrame.to_parquet or pyarrow"))
        return
    header = [str(n) for n in table.column_names]
    columns = []
    for i in range(table.num_columns):
        col = table.column(i)
        if pa.types.is_dictionary(col.type) and filename != "values.csv":
            col = col.cast(col.type.value_type)
        kind = col.type
        if not (pa.types.is_dictionary(kind) or pa.types.is_string(kind)
                or pa.types.is_large_string(kind) or pa.types.is_integer(kind)
                or pa.types.is_floating(kind)):
            try:
                col = col.cast(pa.string())
            except pa.ArrowException:
                result.problem(shown, column=header[i],
                               message=msg("has the unsupported type {type}",
                                           type=str(col.type)),
                               hint=msg("store numbers and text only"))
                return
        columns.append(col)
    rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
    _add_table(result, filename, shown, header, columns, rows, _Options(), separator=None)


def _scan_workbook(result, shown, content, limits: UploadLimits | None
                   ) -> dict[str, list[tuple[str, str, str]]] | None:
    """Check an .xlsx container before parsing: sizes (counted while unpacking) and no XML
    document type declarations (no entity expansion: billion laughs, external entities).

    Returns ``None`` if the workbook is refused, else the cells that a reader of values would
    take for empty although they are not, by sheet name (:func:`_hidden_cells`)."""
    limits = limits or UploadLimits(max_upload=len(content), max_member=1 << 40,
                                    max_total=1 << 42, max_members=10_000)
    zf = _open_zip(result, shown, content, limits)
    if zf is None:
        return None
    budget = [limits.max_total]
    xml: dict[str, bytes] = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        data = _member_bytes(result, zf, info, shown, limits, budget)
        if data is None:
            return None
        if info.filename.lower().endswith((".xml", ".rels")):
            if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.I):
                result.problem(shown, message=msg("contains an XML document type declaration "
                                                  "({member}); such workbooks are refused",
                                                  member=info.filename),
                               hint=msg("Excel never writes one: save the workbook again from "
                                        "Excel or LibreOffice"))
                return None
            if info.filename in _BOOK_PARTS or info.filename.startswith("xl/worksheets/"):
                xml[info.filename] = data
    return _hidden_cells(xml)


_BOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_ELEMENT = re.compile(rb"<(sheet|Relationship)\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_MARK = re.compile(rb'<f\b|\bt="e"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>([^<]*)</f>)")


def _hidden_cells(xml: Mapping[str, bytes]) -> dict[str, list[tuple[str, str, str]]]:
    """Cells of each worksheet that read as empty although they hold something: a formula
    whose result the file does not store (``("formula", ref, formula)``: written by a program
    that does not calculate, such as a script, and never opened and saved in Excel) and an
    Excel error value (``("error", ref, "#N/A")``). By sheet name; ``ref`` as ``"B2"``."""
    def elements(part: str) -> list[dict[str, str]]:
        return [{k.decode("ascii", "replace"): html.unescape(v.decode("utf-8", "replace"))
                 for k, v in _ATTRIBUTE.findall(attrs)}
                for _, attrs in _ELEMENT.findall(xml.get(part, b""))]

    names = {e["r:id"]: e["name"] for e in elements("xl/workbook.xml")
             if "r:id" in e and "name" in e}
    targets = {e["Id"]: e["Target"] for e in elements("xl/_rels/workbook.xml.rels")
               if "Id" in e and "Target" in e}
    found: dict[str, list[tuple[str, str, str]]] = {}
    for rid, name in names.items():
        target = targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        data = xml.get(path, b"")
        # only the cells around a formula or an error are parsed (a sheet of values has none)
        starts = sorted({data.rfind(b"<c ", 0, m.start())
                         for m in _MARK.finditer(data)} - {-1})
        for start in starts:
            cell = _CELL.match(data, start)
            if cell is None:
                continue
            attributes, inner = cell.groups()
            ref = re.search(rb'\br="([A-Z]+[0-9]+)"', attributes)
            if ref is None or not inner:
                continue
            value = _VALUE.search(inner)
            if re.search(rb'\bt="e"', attributes) and value is not None:
                found.setdefault(name, []).append(
                    ("error", ref[1].decode(), html.unescape(value[1].decode("utf-8", "replace"))))
                continue
            formula = _FORMULA.search(inner)  # a stored empty text result is "<v></v>"
            if formula is not None and value is None:
                text = html.unescape((formula[1] or b"").decode("utf-8", "replace")) or "…"
                found.setdefault(name, []).append(("formula", ref[1].decode(), text))
    return found


def _cell_position(ref: str) -> tuple[int, int]:
    """``"B12"`` → (row 12, column index 1)."""
    letters = re.match(r"[A-Z]+", ref)[0]
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(ref[len(letters):]), column - 1


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _read_workbook(result: ReadResult, shown: str, content: bytes, opts: _Options,
                   limits: UploadLimits | None) -> None:
    hidden = _scan_workbook(result, shown, content, limits)
    if hidden is None:
        return
    try:
        # keep_default_na=False: a cell reads as written, as in a CSV file. pandas would
        # otherwise read the words "NA", "n/a", "null", "None", … as empty cells, so that
        # "n/a" as a value became a missing value here but "not a number" in a CSV file, and
        # an id or a name "NA" was lost. Only an empty cell is missing (an Excel error cell
        # such as #N/A, which calamine gives as empty, is warned of by _report_hidden).
        sheets = pd.read_excel(io.BytesIO(content), sheet_name=None, header=None, dtype=object,
                               engine="calamine", keep_default_na=False)
    except Exception as exc:  # calamine raises its own error types  # noqa: BLE001
        result.problem(shown, message=msg("is not a readable .xlsx workbook ({error})",
                                          error=str(exc)),
                       hint=msg("save it again as 'Excel workbook (.xlsx)'"))
        return
    for filename in _table_files():
        stem = filename.removesuffix(".csv")
        sheet_shown = _sheet(shown, stem)
        result.names[filename] = sheet_shown
        if stem not in sheets:
            if filename in _model.REQUIRED_FILES:
                near = _near(stem, sheets)
                result.problem(sheet_shown, message=msg("required sheet is missing"),
                               hint=msg("did you mean {near!r}? Sheet names are lower case",
                                        near=near)
                               if near else msg("name each sheet like the file: cities, "
                                                "values, …"))
            continue
        frame = sheets[stem]
        if frame.empty:
            result.problem(sheet_shown, message=msg("is empty: a header row is required"))
            continue
        cells = [[_cell_text(v) for v in frame[c].tolist()] for c in frame.columns]
        header = [c[0] for c in cells]
        _report_hidden(result, sheet_shown, hidden.get(stem, ()), header)
        while header and header[-1] == "" and not any(cells[len(header) - 1][1:]):
            header.pop()
        n = len(header)
        keep = [i for i in range(1, len(frame)) if any(cells[j][i].strip() for j in range(n))]
        columns = [pa.array([cells[j][i] for i in keep], type=pa.string()) for j in range(n)]
        rows = np.asarray(frame.index.to_numpy()[keep], dtype=np.int64) + 1
        _add_table(result, filename, sheet_shown, header, columns, rows, opts, separator=None)
    known = {f.removesuffix(".csv") for f in _table_files()}
    for sheet in sheets:
        if sheet not in known:
            result.warn(_sheet(shown, sheet),
                        message=msg("is not part of the format and is ignored"))


def _report_hidden(result: ReadResult, shown: str, cells, header: list[str]) -> None:
    """A formula without its result is a value lost: a problem. An Excel error (``#N/A``) is
    read as a missing value, as an empty cell would be: a warning, so that it is not silent."""
    for kind, ref, text in cells:
        row, index = _cell_position(ref)
        column = header[index] if 0 <= index < len(header) and header[index] else None
        column = column or msg("{letter} (no header)", letter=re.match(r"[A-Z]+", ref)[0])
        if kind == "formula":
            result.problem(shown, row=row, column=column,
                           message=msg("cell {cell} holds a formula whose result the file "
                                       "does not store (={formula})", cell=ref, formula=text),
                           hint=msg("open the workbook in Excel or LibreOffice and save it "
                                    "again (that stores the results), or paste the values"))
        else:
            result.warn(shown, row=row, column=column,
                        message=msg("cell {cell} holds the Excel error {error}; it is read as "
                                    "a missing value", cell=ref, error=text),
                        hint=msg("leave the cell empty for a missing value, or correct the "
                                 "formula"))


def _sheet(book: str, sheet: str) -> str:
    """Where a sheet's problems are: ``book.xlsx, sheet 'values'``."""
    return msg("{book}, sheet '{sheet}'", book=book, sheet=sheet)


# --- from cells to a raw table ----------------------------------------------------------------


def _add_table(result: ReadResult, filename: str, shown: str, header: list[str],
               columns: list[pa.Array], rows: np.ndarray, opts: _Options,
               separator: str | None) -> None:
    header = [str(h).strip() for h in header]
    result.names[filename] = shown
    # a header cell left empty by a trailing separator, over an empty column, is ignored
    while len(header) > 1 and header[-1] == "" and _all_empty(columns[len(header) - 1]):
        header.pop()
        columns = columns[:-1]
    # rows with no content at all (Excel's ";;;;" lines) are not records
    if len(rows) and columns:
        empty = _empty_cells(columns[0])
        for col in columns[1:]:
            if not empty.any():
                break
            empty &= _empty_cells(col)
        if empty.any():
            keep = pa.array(~empty)
            columns = [c.filter(keep) for c in columns]
            rows = rows[~empty]
    wide = filename == "values.csv" and values_in_wide_form(header)
    numeric = _numeric_columns(filename)
    if wide:
        numeric = set(header) - {"city_id"} - {h for h in header if h in ("provenance", "source")}
    decimal, mixed = _decide_decimal(
        [col for h, col in zip(header, columns, strict=True) if h in numeric], opts.decimal)
    data: dict[str, object] = {}
    for name, col in zip(header, columns, strict=True):
        if name in data:
            continue  # duplicates are reported by the validator from the header
        if name in numeric:
            data[name] = _number_column(col, decimal, mixed)
        elif pa.types.is_dictionary(col.type) and filename == "values.csv":
            data[name] = col.to_pandas()
        else:
            if pa.types.is_dictionary(col.type):
                col = col.cast(col.type.value_type)
            text = col if pa.types.is_string(col.type) else col.cast(pa.string())
            if filename == "values.csv":  # ids repeated millions of times: keep them as codes
                data[name] = pc.dictionary_encode(text).to_pandas()
            else:
                data[name] = text.to_numpy(zero_copy_only=False).astype(object)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(rows)), copy=False)
    table = RawTable(filename, shown, tuple(header), frame, rows, decimal, mixed, wide,
                     separator)
    result.tables[filename] = table


def _empty_cells(col) -> np.ndarray:
    if pa.types.is_dictionary(col.type):
        col = col.cast(col.type.value_type)
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        flags = pc.equal(pc.utf8_trim_whitespace(col), "").fill_null(True)
    else:
        flags = col.is_null()
    return np.asarray(flags.to_numpy(zero_copy_only=False), dtype=bool)


def _all_empty(col) -> bool:
    return bool(_empty_cells(col).all())


def _decide_decimal(columns: list[pa.Array], explicit: str | None) -> tuple[str, bool]:
    if explicit is not None:
        return explicit, False
    comma = point = False
    for col in columns:
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            continue
        if not pc.any(pc.match_substring(col, ",")).as_py():
            continue
        if not comma and pc.any(pc.match_substring_regex(col, _COMMA_NUMBER)).as_py():
            comma = True
        if not point and pc.any(pc.match_substring_regex(col, _POINT_NUMBER)).as_py():
            point = True
    if comma and not point:
        return ",", False
    return ".", comma and point


def _number_column(col: pa.Array, decimal: str, mixed: bool):
    """float64 when every non-empty cell is a plain finite number; otherwise the text, for the
    validator to locate and explain each bad cell."""
    if pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
        return col.cast(pa.float64()).to_numpy(zero_copy_only=False)
    text = pc.utf8_trim_whitespace(col)
    if not mixed:
        prepared = pc.replace_substring(text, ",", ".") if decimal == "," else text
        if decimal == ".":
            prepared = pc.if_else(pc.match_substring(prepared, ","), None, prepared)
        prepared = pc.if_else(pc.equal(prepared, ""), pa.scalar(None, pa.string()), prepared)
        try:
            out = pc.cast(prepared, pa.float64())
        except pa.ArrowException:
            out = None
        if out is not None:
            values = out.to_numpy(zero_copy_only=False)
            empty = np.asarray(pc.equal(text, "").to_numpy(zero_copy_only=False), dtype=bool)
            # every null must be an empty cell (not a number with a stray comma), and no
            # "nan"/"inf" may sneak through: those cells go to the validator as text
            if np.array_equal(np.isnan(values), empty) and np.isfinite(values[~empty]).all():
                return values
    return col.to_numpy(zero_copy_only=False).astype(object)


def grouped_thousands(text: str) -> bool:
    """True for a number written with thousands separators (``1.234,5``, ``1,234.5``,
    ``12 345``), which is never guessed."""
    return bool(_GROUPED.match(text)) and not re.match(r"^\s*[+-]?\d{1,3}[.,]\d{3}\s*$", text)


# --- wide values --------------------------------------------------------------------------------


def _finish_wide(result: ReadResult) -> None:
    """Melt ``values`` given in wide form (``city_id``, optional ``edition``, one column per
    indicator) to the long form, in city-major order."""
    table = result.tables.get("values.csv")
    if table is None or not table.wide:
        return
    frame = table.frame
    indicators = [h for h in dict.fromkeys(table.header)
                  if h not in ("city_id", "edition", "provenance", "source") and h != ""]
    n_rows, n_ind = len(frame), len(indicators)
    if "edition" in frame:
        edition = np.repeat(np.asarray(frame["edition"], dtype=object)
                            if frame["edition"].dtype == object
                            else frame["edition"].to_numpy(), n_ind)
    else:
        found = _catalogue_editions(result)
        if len(found) != 1:
            result.problem(table.source, row=1, column="edition",
                           message=msg("values in wide form without an 'edition' column, and "
                                       "the catalogue has no editions") if not found else
                           msg("values in wide form without an 'edition' column, and the "
                               "catalogue has {n} editions", n=len(found)),
                           hint=msg("add an 'edition' column (e.g. 2024) to the values"))
            result.tables.pop("values.csv")
            return
        edition = np.full(n_rows * n_ind, float(found.pop()))
    blocks = [frame[h] for h in indicators]
    if all(b.dtype == np.float64 for b in blocks):
        value = np.column_stack([b.to_numpy() for b in blocks]).ravel() if n_ind else \
            np.empty(0)
    else:
        value = np.column_stack([np.asarray(b, dtype=object) for b in blocks]).ravel() \
            if n_ind else np.empty(0, dtype=object)
    city = pd.Categorical(frame["city_id"].astype(object).fillna("")) \
        if len(frame) else pd.Categorical([])
    long = pd.DataFrame({
        "edition": edition,
        "city_id": pd.Categorical.from_codes(np.repeat(city.codes, n_ind), city.categories),
        "indicator_id": pd.Categorical.from_codes(np.tile(np.arange(n_ind), n_rows),
                                                  pd.Index(indicators, dtype=object)),
        "value": value,
    })
    # the raw header is kept for the duplicate-column check
    result.tables["values.csv"] = RawTable(
        "values.csv", table.source, table.header, long, np.repeat(table.rows, n_ind),
        table.decimal, table.mixed_decimals, True, table.separator)


def _catalogue_editions(result: ReadResult) -> set[int]:
    found: set[int] = set()
    for name in ("areas.csv", "categories.csv", "indicators.csv", "editions.csv"):
        t = result.tables.get(name)
        if t is None or "edition" not in t.frame:
            continue
        values = pd.to_numeric(pd.Series(t.frame["edition"]).astype(str).str.strip(),
                               errors="coerce")
        found |= {int(v) for v in values.dropna().unique() if float(v).is_integer()}
    return found
