#!/usr/bin/env python3
"""Audit data/ the way a domain expert would: count what the modeled layer gets wrong.

Prints, for the dataset in DATA (default: data/ of the repository):

* violations of every domain constraint declared in ``constraints.csv`` (fractional counts,
  inverted nested shares, amounts without their yes/no feature, flickering adoption, shares
  of cities that differ from the published ones), per rule and per indicator;
* the published statements of ``statements.csv`` that the ``bitkom`` method does not satisfy;
* published figures that differ from what the product shows at their printed precision
  (e.g. Darmstadt 2021 printed 72.5, shown 72.6);
* sources that a reader cannot follow (rows citing a path inside the project or no URL).

The checks of statements and printed figures are functions that the tests use as well.
Usage: python scripts/audit_data.py [--data DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
AREAS = ["verwaltung", "it_kommunikation", "energie_umwelt", "mobilitaet", "gesellschaft"]
STATEMENT_KINDS = (
    "rank_range",
    "rank_change_at_least",
    "full_points",
    "fewest_points",
    "most_points",
    "ahead_of",
    "best_category",
    "only_bigger_gains",
)

_FIGURE_PATTERNS = (
    re.compile(r"headline figure (\d+(?:\.\d+)?)"),
    re.compile(r"also printed as (\d+(?:[.,]\d+)?)"),
    re.compile(r"press release (\d+(?:,\d+)?)"),
    re.compile(r"two decimals (\d+,\d+)"),
)


def printed_figures(points: str, note: str) -> list[str]:
    """Every printed form of a published score: the stored figure and the other precisions that
    its note records ("headline figure 72.5", "also printed as 61.1"), decimal points."""
    out = []
    for text in [points] + [m.group(1) for p in _FIGURE_PATTERNS for m in p.finditer(note)]:
        text = (text or "").strip().replace(",", ".")
        if text and text not in out:
            out.append(text)
    return out


def decimals(figure: str) -> int:
    return len(figure.split(".")[1]) if "." in figure else 0


def shown(value: float, places: int) -> str:
    """A computed score as the product prints it at ``places`` decimals."""
    return f"{value:.{places}f}"


def area_rank(table: pd.DataFrame, scope: str, city_id: str) -> int:
    """Rank as published: 1 + number of cities with a strictly higher score."""
    col = table[scope]
    return int(1 + (col > col[city_id]).sum())


def rank_of(results, edition: int, scope: str, city_id: str) -> int:
    table = results[edition].table
    if scope == "total":
        return int(table.loc[city_id, "rank"])
    return area_rank(table, scope, city_id)


def score_of(results, edition: int, scope: str, city_id: str) -> float:
    res = results[edition]
    if scope == "total" or scope in AREAS:
        return float(res.table.loc[city_id, scope])
    return float(res.categories.loc[city_id, scope])


def check_statement(s, results) -> str | None:
    """None if the published statement ``s`` (a row of statements.csv) holds in ``results``
    ({edition: ScoreResult}), else what the product shows instead."""
    e, c, scope, kind = int(s.edition), s.city_id, s.scope, s.statement
    if kind == "rank_range":
        lo, hi = (int(x) for x in str(s.value).split("-"))
        r = rank_of(results, e, scope, c)
        return None if lo <= r <= hi else f"rank {r}"
    if kind == "rank_change_at_least":
        gain = rank_of(results, e - 1, scope, c) - rank_of(results, e, scope, c)
        return None if gain >= int(s.value) else f"{gain:+d} places"
    if kind == "full_points":
        v = score_of(results, e, scope, c)
        return None if shown(v, 1) == "100.0" else f"{shown(v, 1)} points"
    if kind in ("fewest_points", "most_points"):
        row = results[e].table.loc[c, AREAS]
        own = row[scope]
        others = row.drop(scope)
        ok = (others > own).all() if kind == "fewest_points" else (others < own).all()
        return None if ok else "areas " + ", ".join(f"{a} {v:.1f}" for a, v in row.items())
    if kind == "ahead_of":
        a, b = score_of(results, e, scope, c), score_of(results, e, scope, s.other_city_id)
        return None if a > b else f"{a:.2f} vs {b:.2f}"
    if kind == "best_category":
        cats = results[e].categories.loc[c]
        best = cats.drop(scope).max()
        return None if cats[scope] >= best else f"{cats.drop(scope).idxmax()} {best:.1f}"
    if kind == "only_bigger_gains":
        t0, t1 = results[e - 1].table, results[e].table
        common = t0.index.intersection(t1.index)
        gain = pd.Series({k: area_rank(t0, scope, k) - area_rank(t1, scope, k) for k in common})
        listed = set(str(s.other_city_id).split(";"))
        own = int(s.value)
        wrong = [k for k in common if k != c and ((gain[k] > own) != (k in listed))]
        if gain[c] != own:
            wrong.append(c)
        return None if not wrong else f"gains {', '.join(f'{k} {gain[k]:+d}' for k in wrong)}"
    raise ValueError(f"unknown statement kind {kind!r}")


def statement_failures(statements: pd.DataFrame, results) -> list[tuple]:
    out = []
    for s in statements.itertuples(index=False):
        got = check_statement(s, results)
        if got is not None:
            out.append((s.edition, s.city, s.scope, s.statement, s.value, got))
    return out


def figure_mismatches(published: pd.DataFrame, results) -> list[tuple]:
    """Used published scores whose printed forms differ from what the product shows."""
    out = []
    pub = published[(published["status"] == "used") & (published["points"] != "")]
    for r in pub.itertuples(index=False):
        if int(r.edition) not in results:
            continue
        try:
            value = score_of(results, int(r.edition), r.scope, r.city_id)
        except KeyError:
            continue
        for fig in printed_figures(r.points, r.note):
            if shown(value, decimals(fig)) != f"{float(fig):.{decimals(fig)}f}":
                out.append((r.edition, r.city_id, r.scope, fig, shown(value, decimals(fig))))
    return out


SEED_PATH = re.compile(r"shared/seeds|seed article \d|seed:")


def source_problems(published: pd.DataFrame) -> dict[str, list]:
    """Rows whose source a reader cannot follow."""
    out = {"used, only a project path": [], "used, a project path beside a URL": [],
           "alternative, only a project path": [], "alternative, no URL recorded": []}
    for r in published.itertuples(index=False):
        src = str(r.source)
        path = bool(SEED_PATH.search(src))
        url = "http" in src
        key = (r.edition, r.city_id, r.scope)
        if r.status == "used":
            if path and not url:
                out["used, only a project path"].append(key)
            elif path:
                out["used, a project path beside a URL"].append(key)
        else:
            if path and not url:
                out["alternative, only a project path"].append(key)
            elif not url and not _bibliographic(src):
                out["alternative, no URL recorded"].append(key)
    return out


def _bibliographic(source: str) -> bool:
    return bool(re.search(r"\b(19|20)\d\d\b", source)) and "not recorded" not in source


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO / "data"))
    args = ap.parse_args(argv)
    data = Path(args.data)
    sys.path.insert(0, str(REPO))
    import cityindex
    from cityindex.constraints import check_constraints

    def csv(name, **kw):
        return pd.read_csv(data / name, dtype={"city_id": str, "other_city_id": str}, **kw)

    values, inds = csv("values.csv"), csv("indicators.csv")
    part, shares = csv("participation.csv"), csv("service_shares.csv")
    cons = csv("constraints.csv", keep_default_na=False)
    cons["edition"] = pd.to_numeric(cons["edition"], errors="coerce")
    problems = check_constraints(cons, values, inds, part, shares)
    print("Domain constraints (constraints.csv), violations:")
    by_rule = Counter()
    detail = Counter()
    rows = cons.set_index(cons.index + 2)
    for p in problems:
        m = re.search(r"constraints\.csv row (\d+)", str(p))
        if m:
            r = rows.loc[int(m.group(1))]
            by_rule[r["rule"]] += 1
            detail[(r["rule"], r["indicator_id"], r["other_indicator_id"])] += 1
        else:
            by_rule["published_share"] += 1
    for rule in ("whole_number", "rate", "share", "yes_no", "at_most", "amount_of", "steady",
                 "published_share"):
        print(f"  {rule:16} {by_rule[rule]}")
    n_pairs = values.merge(inds[["edition", "indicator_id"]]).groupby("indicator_id").size()
    for (rule, iid, other), k in sorted(detail.items()):
        if rule in ("at_most", "amount_of"):
            print(f"    {rule} {iid} / {other}: {k} of {n_pairs.get(iid, 0)} city-editions")
        elif rule == "steady" and k >= 5:
            print(f"    steady {iid}: {k} losses")
    # registry-office appointments: offered in 2021, not in 2022, while the share rose 44 -> 56 %
    v = values[values["indicator_id"] == "termin_standesamt"].pivot(
        index="city_id", columns="edition", values="value")
    lost = int(((v[2021] == 1) & (v[2022] == 0)).sum())
    print(f"    termin_standesamt: {lost} cities offer it in 2021 but not in 2022")

    try:
        ds = cityindex.load_dataset(data)
    except cityindex.DatasetError:  # violations of constraints.csv: score without it
        import shutil
        import tempfile

        tmp = Path(tempfile.mkdtemp())
        for f in data.glob("*.csv"):
            if f.name != "constraints.csv":
                shutil.copy(f, tmp / f.name)
        ds = cityindex.load_dataset(tmp)
    results = {e: cityindex.score(ds, "bitkom", edition=e) for e in ds.editions}
    stmts = csv("statements.csv")
    fails = statement_failures(stmts, results)
    print(f"\nPublished statements (statements.csv): {len(fails)} of {len(stmts)} broken")
    for f in fails:
        print("   ", *f)
    pub = pd.read_csv(data / "published.csv", dtype=str, keep_default_na=False)
    mism = figure_mismatches(pub, results)
    print(f"\nPublished figures not shown as printed: {len(mism)}")
    for m in mism:
        print("   ", *m)
    print("\nSources a reader cannot follow (published.csv):")
    for k, rows_ in source_problems(pub).items():
        print(f"  {k}: {len(rows_)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
