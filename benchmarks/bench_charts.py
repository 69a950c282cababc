#!/usr/bin/env python3
"""How fast the dashboard's charts become Vega-Lite specs: prints figures, asserts nothing.

    python benchmarks/bench_charts.py [--repeat N]

Every chart the dashboard draws on the bundled data (captured from one run of each tab with
AppTest) is built again from the same inputs, and for each one it prints the median time of

- build: the chart function (``cityindex.charts``), tables in, Altair chart out;
- altair: ``chart.to_dict(validate=False)``, Altair's own conversion of the chart's tables
  (``sanitize_pandas_dataframe``): the baseline, measured in the same process;
- to_spec: ``charts.to_spec(chart)``, what the dashboard uses (the tables turned into JSON
  values at once, each layered table once);

and the ratio (build + to_spec) / (build + altair). A chart is rebuilt when what it shows
changes (another city highlighted or chosen, another method): this is the part of such a rerun
that the charts cost. Both specs are checked to draw the same data.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

from _timing import timed

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def captured_charts() -> list[tuple]:
    """(builder, args, kwargs) of every chart the dashboard draws, tab by tab."""
    from streamlit.testing.v1 import AppTest

    from cityindex import views
    from dashboard_ui import common

    calls = []
    real = common._chart_spec

    def record(key, builder, args, kwargs):
        calls.append((builder, args, kwargs))
        return real(key, builder, args, kwargs)

    common._chart_spec = record
    try:
        for tab in views.TABS:
            at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=300)
            at.query_params["tab"] = tab
            at.query_params["cities"] = "05913000"  # a highlighted city: labels and rings
            at.run()
    finally:
        common._chart_spec = real
    unwrapped = []
    for builder, args, kwargs in calls:
        args = tuple(a.value if isinstance(a, common.Static) else a for a in args)
        unwrapped.append((builder, args, kwargs))
    return unwrapped


def same_data(a: dict, b: dict) -> bool:
    """Whether two specs draw the same values (dataset names and placement aside)."""
    def values(spec):
        return sorted(json.dumps(v, sort_keys=True, default=str).replace("NaN", "null")
                      for k, v in spec.get("datasets", {}).items())
    return values(a) == values(b)


def median_ms(fn, repeat: int) -> float:
    return timed(fn, repeat) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    from cityindex import charts

    rows = []
    for builder, chart_args, kwargs in captured_charts():
        chart = builder(*chart_args, **kwargs)
        if chart is None:
            continue
        assert same_data(chart.to_dict(validate=False), charts.to_spec(chart))
        build = median_ms(lambda b=builder, a=chart_args, k=kwargs: b(*a, **k), args.repeat)
        altair = median_ms(lambda c=chart: c.to_dict(validate=False), args.repeat)
        fast = median_ms(lambda c=chart: charts.to_spec(c), args.repeat)
        rows.append((builder.__name__, build, altair, fast))
    print(f"{'chart':28s} {'build':>8s} {'altair':>8s} {'to_spec':>8s} {'ratio':>6s}")
    for name, build, altair, fast in rows:
        print(f"{name:28s} {build:6.1f}ms {altair:6.1f}ms {fast:6.1f}ms "
              f"{(build + fast) / (build + altair):6.2f}")
    total = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    print(f"{'all ' + str(len(rows)) + ' charts':28s} {total[0]:6.1f}ms {total[1]:6.1f}ms "
          f"{total[2]:6.1f}ms {(total[0] + total[2]) / (total[0] + total[1]):6.2f}")
    print(f"geometric mean of the ratios: "
          f"{math.exp(statistics.fmean(math.log((b + f) / (b + a)) for _, b, a, f in rows)):.2f}")


if __name__ == "__main__":
    main()
