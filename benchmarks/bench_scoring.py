"""How fast the built-in methods score, at the size of the index and far beyond it.

    python benchmarks/bench_scoring.py [--repeat N] [--quick]

For each size (81 cities x 160 indicators, like the Smart City Index; 11,000 municipalities x
500 indicators, every German municipality with five times the indicators) it prints:

- prepare: building the (cities x indicators) arrays of an edition from the long table, done
  once per edition and cached by the dataset;
- per method, the median time of ``cityindex.score`` on a prepared edition (scaling,
  aggregation, ranking, missing counts, provenance, result table);
- baseline: the same bitkom computation written the obvious way on the long table with pandas
  groupby/merge, measured in the same process, and the ratio baseline / engine.

Aims (issue #2): under 20 ms per method at 81 cities, and under 1 s at 5.5 million values.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("CITYINDEX_DISABLE_PLUGIN_AUTOLOAD", "1")

import pandas as pd  # noqa: E402
from _timing import timed  # noqa: E402

import cityindex  # noqa: E402
from cityindex.synthetic import synthetic_dataset  # noqa: E402

METHODS = ("bitkom", "equal_weights", "service_coverage", "geometric")


def pandas_baseline(data: cityindex.Dataset, edition: int) -> pd.Series:
    """bitkom (min-max, no projects bonus, missing skipped) on the long table with pandas."""
    cat = data.catalogue(edition)
    long = data.values.loc[data.values["edition"] == edition, ["city_id", "indicator_id", "value"]]
    long = long.dropna(subset=["value"]).astype({"city_id": str, "indicator_id": str})
    ind = cat.indicators[["category_id", "area_id", "direction", "weight"]]
    long = long.merge(ind, left_on="indicator_id", right_index=True)
    g = long.groupby("indicator_id")["value"]
    lo, hi = g.transform("min"), g.transform("max")
    up = long["direction"].astype(int) >= 0
    scaled = (long["value"] - lo).where(up, hi - long["value"]) / (hi - lo) * 100
    long["score"] = scaled.where(hi > lo, 100.0)
    long["ws"] = long["score"] * long["weight"]
    cats = long.groupby(["city_id", "category_id"], as_index=False)[["ws", "weight"]].sum()
    cats["score"] = cats["ws"] / cats["weight"]
    cats = cats.merge(cat.categories[["area_id", "weight"]], left_on="category_id",
                      right_index=True, suffixes=("_i", ""))
    cats["ws"] = cats["score"] * cats["weight"]
    areas = cats.groupby(["city_id", "area_id"])[["ws", "weight"]].sum()
    area_score = areas["ws"] / areas["weight"]
    total = area_score.groupby("city_id").mean()
    return total.rank(ascending=False, method="min")


def bench(n_cities: int, n_indicators: int, repeat: int) -> None:
    print(f"\n{n_cities:,} cities x {n_indicators} indicators = "
          f"{n_cities * n_indicators:,} values")
    start = time.perf_counter()
    data = synthetic_dataset(n_cities, n_indicators, missing_share=0.01, seed=7)
    print(f"  build + validate dataset  {time.perf_counter() - start:8.3f} s")
    edition = data.latest_edition
    start = time.perf_counter()
    data.edition_data(edition)
    print(f"  prepare edition arrays    {time.perf_counter() - start:8.3f} s  (once, cached)")
    engine = {}
    for name in METHODS:
        engine[name] = timed(lambda n=name: cityindex.score(data, n, edition=edition), repeat)
        print(f"  score {name:<19} {engine[name] * 1000:8.1f} ms")
    base_repeat = max(1, repeat // 3)
    baseline = timed(lambda: pandas_baseline(data, edition), base_repeat)
    print(f"  baseline pandas groupby   {baseline * 1000:8.1f} ms  "
          f"(bitkom engine is {baseline / engine['bitkom']:.1f}x faster)")
    # the engine's ranking must be the baseline's (no projects categories in synthetic data)
    ours = cityindex.score(data, "bitkom", edition=edition).table["rank"]
    theirs = pandas_baseline(data, edition).reindex(ours.index)
    agree = (ours.to_numpy() == theirs.to_numpy()).mean()
    print(f"  baseline and engine agree on {agree:.1%} of the ranks")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="only the index-sized case")
    args = parser.parse_args(argv)
    print(f"cityindex {cityindex.__version__}, python {sys.version.split()[0]}, "
          f"numpy {__import__('numpy').__version__}, pandas {pd.__version__}")
    bench(81, 160, args.repeat)
    if not args.quick:
        bench(11_000, 500, max(3, args.repeat // 5))
    return 0


if __name__ == "__main__":
    sys.exit(main())
