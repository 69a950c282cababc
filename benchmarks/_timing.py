"""The one timing rule of the benchmarks: the median wall time of repeated runs after a
warm-up run (imported by the scripts beside it, which Python runs with this folder on the
path)."""

from __future__ import annotations

import statistics
import time


def timed(fn, repeat: int) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs (after one warm-up)."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)
