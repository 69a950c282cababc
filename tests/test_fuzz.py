"""Fuzzing every reader: mutated CSV folders, xlsx workbooks, Parquet files, zip uploads.

Each input is a valid dataset with random damage (byte flips, truncation, inserted separators,
quotes and BOMs, huge numbers, odd unicode, duplicated headers). Loading it must either work or
raise DatasetError — never another exception, and never a problem that reports an internal
error — and must leave every input file unchanged. Time-boxed: CITYINDEX_FUZZ_SECONDS (default
20) split over the readers; the number of inputs tried is printed (pytest -s) and asserted.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import cityindex
from cityindex import DatasetError
from cityindex.dataset import INTERNAL_ERROR
from cityindex.readers import UploadLimits, read_upload

BUDGET = float(os.environ.get("CITYINDEX_FUZZ_SECONDS", "20"))
READERS = ("csv", "xlsx", "parquet", "zip")
SNIPPETS = [b",", b";", b"\t", b'"', b'""', b"\xef\xbb\xbf", b"\r\n", b"\n", b"\r", b"\x00",
            b"99999999999999999999", b"1e308", b"-1e400", b"nan", b"inf", b"1.234,5", b"80,5",
            b"\xc3\xa4", b"\xe4", b"\xff\xfe", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢".encode(), "\u202e\u200b".encode(),
            b"=HYPERLINK(1)", b"city_id", b"weight", b"Weight", b"edition", b"0", b"-", b" "]
TOTALS = {"tried": 0, "crashes": 0}


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        pos = rng.randrange(len(data) + 1) if data else 0
        if op == 0 and data:  # flip a byte
            data[min(pos, len(data) - 1)] = rng.randrange(256)
        elif op == 1:  # truncate
            data = data[:pos]
        elif op == 2:  # insert a snippet
            data[pos:pos] = rng.choice(SNIPPETS)
        elif op == 3 and data:  # delete a span
            del data[pos:pos + rng.randint(1, 20)]
        elif op == 4:  # duplicate the header line
            head = bytes(data).split(b"\n", 1)[0]
            data[:0] = head + b"\n" if rng.random() < 0.5 else head.split(b",")[0] + b","
        else:  # repeat a line
            lines = bytes(data).split(b"\n")
            line = rng.choice(lines)
            lines.insert(rng.randrange(len(lines) + 1), line)
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def digest(folder: Path) -> dict:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")
            if p.is_file()}


def check(load) -> None:
    TOTALS["tried"] += 1
    try:
        load()
    except DatasetError as exc:
        internal = [p for p in exc.problems if INTERNAL_ERROR in p.message]
        if internal:
            TOTALS["crashes"] += 1
            raise AssertionError(f"internal error: {internal[0]}") from exc
    except Exception:
        TOTALS["crashes"] += 1
        raise


@pytest.fixture(scope="module")
def sources(tmp_path_factory, tiny_dir_module):
    root = tmp_path_factory.mktemp("fuzz-sources")
    frames = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
              for p in tiny_dir_module.glob("*.csv")}
    book = io.BytesIO()
    with pd.ExcelWriter(book, engine="xlsxwriter") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    parquet = io.BytesIO()
    pd.read_csv(tiny_dir_module / "values.csv").to_parquet(parquet)
    return {"frames": frames, "xlsx": book.getvalue(), "parquet": parquet.getvalue(),
            "root": root}


@pytest.fixture(scope="module")
def tiny_dir_module():
    return Path(__file__).parent / "fixtures" / "tiny"


@pytest.mark.parametrize("reader", READERS)
def test_fuzz_reader(reader, sources, tiny_dir_module, tmp_path):
    rng = random.Random(f"cityindex-{reader}")
    deadline = time.monotonic() + BUDGET / len(READERS)
    tried = 0
    folder = tmp_path / "data"
    csv_files = {p.name: p.read_bytes() for p in tiny_dir_module.glob("*.csv")}
    while time.monotonic() < deadline or tried < 20:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        for name, data in csv_files.items():
            (folder / name).write_bytes(data)
        if reader == "csv":
            for name in rng.sample(sorted(csv_files), rng.randint(1, 2)):
                (folder / name).write_bytes(mutate(csv_files[name], rng))
            target, load = folder, (lambda f=folder: cityindex.load_dataset(f))
        elif reader == "xlsx":
            book = folder / "book.xlsx"
            book.write_bytes(mutate(sources["xlsx"], rng) if rng.random() < 0.3
                             else _mutate_workbook(sources["xlsx"], rng))
            target, load = folder, (lambda b=book: cityindex.load_dataset(b))
        elif reader == "parquet":
            (folder / "values.csv").unlink()
            (folder / "values.parquet").write_bytes(mutate(sources["parquet"], rng))
            target, load = folder, (lambda f=folder: cityindex.load_dataset(f))
        else:
            members = {f"d/{n}": mutate(d, rng) if rng.random() < 0.3 else d
                       for n, d in csv_files.items()}
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
                for name, data in members.items():
                    zf.writestr(name, data)
            content = buffer.getvalue()
            if rng.random() < 0.3:
                content = mutate(content, rng)
            target = folder
            limits = UploadLimits(max_member=200_000, max_total=400_000)
            load = (lambda c=content, lim=limits: read_upload("fuzz.zip", c, limits=lim))  # noqa: E731
        before = digest(target)
        check(load)
        assert digest(target) == before, "loading changed an input file"
        tried += 1
    print(f"\nfuzz {reader}: {tried} malformed inputs, {TOTALS['crashes']} crashes")
    assert tried >= 20 and TOTALS["crashes"] == 0


def _mutate_workbook(content: bytes, rng: random.Random) -> bytes:
    """Mutate one XML part of the workbook and zip it again (so the damage reaches the
    parser rather than stopping at the zip layer)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    names = [i.filename for i in source.infolist()]
    victim = rng.choice([n for n in names if n.startswith("xl/")])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            data = source.read(name)
            zf.writestr(name, mutate(data, rng) if name == victim else data)
    return out.getvalue()
