"""How fast the robustness analyses run, against the obvious loop over ``score()``.

    python benchmarks/bench_robustness.py [--draws N] [--loop N] [--repeat N]

On the bundled data (latest edition: 83 cities x 163 indicators) and on a synthetic edition of
81 cities x 160 indicators with 1 % missing values, it prints:

- uncertainty: the median time of ``cityindex.uncertainty`` with ``--draws`` draws (area
  weights, Dirichlet) and draws per second; the same with category weights, four
  normalisations and two aggregations varied too;
- baseline: a plain loop that calls ``cityindex.score(..., weights=...)`` once per draw, run
  for ``--loop`` draws only and extrapolated to ``--draws`` (said so in the output), and the
  ratio loop / vectorised;
- peak memory of one vectorised run (``tracemalloc``: numpy's allocations) and the process's
  peak resident size;
- sensitivity: ``cityindex.sensitivity`` with about 10,000 model evaluations;
- rank bounds: ``cityindex.rank_bounds`` for every city (area weights 0.1–0.4).

Aims (issue 10), at 81 cities x ~160 indicators on a 2-core machine: 10,000 draws under 1 s and
at least 100 times the loop; sensitivity under 10 s; rank bounds of all cities under 5 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc

os.environ.setdefault("CITYINDEX_DISABLE_PLUGIN_AUTOLOAD", "1")

import numpy as np  # noqa: E402

import cityindex  # noqa: E402
from cityindex.synthetic import synthetic_dataset  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time of ``fn()`` over ``repeat`` runs after one warm-up, and its result."""
    result = fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


def bench(label: str, data: cityindex.Dataset, draws: int, loop: int, repeat: int) -> None:
    edition = data.latest_edition
    n, m = data.edition_data(edition).values.shape
    print(f"\n{label}: edition {edition}, {n} cities x {m} indicators")

    t_vec, result = timed(lambda: cityindex.uncertainty(data, "bitkom", edition=edition,
                                                        draws=draws, seed=1), repeat)
    print(f"  uncertainty, {draws:,} draws (area weights)   {t_vec:8.3f} s   "
          f"{draws / t_vec:12,.0f} draws/s")
    t_full, full = timed(lambda: cityindex.uncertainty(
        data, "bitkom", edition=edition, draws=draws, seed=1, level="areas+categories",
        normalisations=("minmax", "zscore", "rank", "share_of_best"),
        aggregations=("arithmetic", "geometric")), max(1, repeat // 2))
    print(f"  + categories, 4 normalisations, 2 aggregations {t_full:6.3f} s   "
          f"{draws / t_full:12,.0f} draws/s   ({full.n_failed:,} draws not evaluated, "
          f"reported)")

    areas = list(result.spec.areas)
    sample = result.sample[areas].to_numpy()[:loop]
    start = time.perf_counter()
    for row in sample:
        cityindex.score(data, "bitkom", edition=edition,
                        weights=dict(zip(areas, row.tolist(), strict=True)))
    per_draw = (time.perf_counter() - start) / len(sample)
    t_loop = per_draw * draws
    print(f"  baseline: score() per draw, {len(sample)} draws run, extrapolated to {draws:,}: "
          f"{t_loop:8.1f} s  ({per_draw * 1000:.1f} ms per draw)")
    print(f"  ratio loop / vectorised                       {t_loop / t_vec:8.0f} x")

    tracemalloc.start()
    cityindex.uncertainty(data, "bitkom", edition=edition, draws=draws, seed=2)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  peak memory of one run (tracemalloc)          {peak / 2**20:8.1f} MiB")

    t_sens, sens = timed(lambda: cityindex.sensitivity(
        data, "geometric", edition=edition, samples=1024, seed=1,
        normalisations=("minmax", "share_of_best"), aggregations=("arithmetic", "geometric")),
        1)
    print(f"  sensitivity, {sens.n_evaluations:,} evaluations ({len(sens.table)} inputs)"
          f"      {t_sens:8.3f} s   ({len(sens.warnings)} warnings)")

    t_bounds, bounds = timed(lambda: cityindex.rank_bounds(
        data, "bitkom", edition=edition, min_weight=0.1, max_weight=0.4), 1)
    widths = (bounds.table["worst_rank"] - bounds.table["best_rank"]).to_numpy()
    print(f"  rank bounds, all {len(bounds.table)} cities (0.1–0.4)          {t_bounds:8.3f} s"
          f"   (mean width {np.mean(widths):.1f} ranks)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--loop", type=int, default=100,
                        help="draws run through score() for the baseline (extrapolated)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"cityindex {cityindex.__version__}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    bench("bundled data", cityindex.load_dataset(), args.draws, args.loop, args.repeat)
    bench("synthetic", synthetic_dataset(81, 160, missing_share=0.01, seed=7), args.draws,
          args.loop, args.repeat)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\npeak resident size of the process: {rss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
