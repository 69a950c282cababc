"""How fast a dataset loads and validates, from each accepted format.

    python benchmarks/bench_loading.py [--cities N] [--indicators N] [--repeat N] [--keep DIR]

Writes a synthetic dataset (default 11,000 cities x 500 indicators = 5.5 million values,
``cityindex.synthetic``) to a temporary folder in each format and prints, for each, the median
wall time of ``cityindex.load_dataset`` (reading, detection, validation, building the tables):

- long CSV (``values.csv`` in long form, comma and decimal point);
- long CSV as German Excel writes it (``;``, decimal comma, BOM, CRLF);
- wide CSV (one column per indicator);
- Parquet (``values.parquet``, long form);
- xlsx, a smaller workbook (1,000 x 100; Excel files of millions of cells are not the use case);
- the bundled data (``data/``).

Beside them, in the same run, the baseline: a bare ``pandas.read_csv`` of the same long
``values.csv`` (no validation), and the ratio load / baseline. Aims (issue #8): CSV under 5 s,
Parquet under 2 s at 5.5 million values; the bundled data no slower than before (~0.35 s).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("CITYINDEX_DISABLE_PLUGIN_AUTOLOAD", "1")

import pandas as pd  # noqa: E402
from _timing import timed  # noqa: E402

import cityindex  # noqa: E402
from cityindex.synthetic import synthetic_frames  # noqa: E402


def write_formats(root: Path, n_cities: int, n_indicators: int) -> dict[str, Path]:
    """The same synthetic dataset in every format; returns name -> path to load."""
    frames = synthetic_frames(n_cities, n_indicators)
    catalogue = {k: v for k, v in frames.items() if k != "values"}
    values = frames["values"]
    paths = {}

    def folder(name: str) -> Path:
        path = root / name
        path.mkdir()
        for table, frame in catalogue.items():
            frame.to_csv(path / f"{table}.csv", index=False)
        return path

    long_csv = folder("long_csv")
    values.to_csv(long_csv / "values.csv", index=False)
    paths["long CSV"] = long_csv

    german = folder("german_csv")
    values.to_csv(german / "values.csv", index=False, sep=";", decimal=",",
                  encoding="utf-8-sig", lineterminator="\r\n")
    paths["long CSV ; , BOM CRLF"] = german

    wide = folder("wide_csv")
    matrix = values.pivot(index="city_id", columns="indicator_id", values="value")
    matrix.insert(0, "edition", 2024)
    matrix.reset_index().to_csv(wide / "values.csv", index=False)
    paths["wide CSV"] = wide

    parquet = folder("parquet")
    values.to_parquet(parquet / "values.parquet", index=False)
    paths["Parquet"] = parquet
    return paths


def write_xlsx(root: Path, n_cities: int, n_indicators: int) -> Path:
    frames = synthetic_frames(n_cities, n_indicators)
    path = root / "dataset.xlsx"
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        for table, frame in frames.items():
            frame.to_excel(writer, sheet_name=table, index=False)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=11_000)
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="write the files here and keep them")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        n_values = args.cities * args.indicators
        print(f"writing {args.cities:,} cities x {args.indicators} indicators "
              f"= {n_values:,} values ...", flush=True)
        paths = write_formats(root, args.cities, args.indicators)
        xlsx = write_xlsx(root, min(args.cities, 1_000), min(args.indicators, 100))
        values_csv = paths["long CSV"] / "values.csv"
        size = values_csv.stat().st_size / 1e6

        baseline = timed(lambda: pd.read_csv(values_csv), args.repeat)
        print(f"\nbaseline: bare pandas.read_csv of values.csv ({size:.0f} MB): "
              f"{baseline:.2f} s\n")
        print(f"{'format':<28}{'values':>12}{'load+validate':>16}{'vs baseline':>14}")
        results = {}
        for name, path in [*paths.items(), ("xlsx (1,000 x 100)", xlsx),
                           ("bundled data/", cityindex.default_data_dir())]:
            data = cityindex.load_dataset(path)
            seconds = timed(lambda p=path: cityindex.load_dataset(p), args.repeat)
            results[name] = seconds
            print(f"{name:<28}{len(data.values):>12,}{seconds:>14.2f} s"
                  f"{seconds / baseline:>13.2f}x", flush=True)
        print("\naims: CSV < 5 s and Parquet < 2 s at 5.5 million values")
    return 0


if __name__ == "__main__":
    sys.exit(main())
