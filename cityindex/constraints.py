"""Domain constraints of a catalogue: what an indicator's value can be and how indicators are
linked, checked against the values of a dataset.

A dataset may declare its constraints in the optional file ``constraints.csv`` (see
``docs/dataset-format.md``, *Domain constraints*), one rule per row::

    edition, indicator_id, rule, other_indicator_id, note

``edition`` may be empty: the row then holds in every edition that has the indicator (and, for a
link, the other indicator). The rules:

value types (one per indicator)
    ``whole_number`` — a count of things: a whole number ≥ 0 (services, hubs, events);
    ``rate`` — an amount per inhabitant, per area or an average: ≥ 0, fractions allowed;
    ``share`` — a percentage, 0–100;
    ``score`` — a graded score on its unit's scale (points, stars, levels): ≥ 0, fractions
    allowed;
    ``yes_no`` — 0 or 1.
links between two indicators of the same city and edition
    ``at_most`` — the value is at most the value of ``other_indicator_id`` (nested shares:
    households with ≥ 1 Gbit/s ≤ households with ≥ 100 Mbit/s);
    ``amount_of`` — the value is the amount of the yes/no feature ``other_indicator_id``: a
    feature at 0 has the amount 0, an amount above 0 needs the feature at 1.
across cities and editions (yes/no indicators)
    ``steady`` — adoption does not flicker: a city with 1 keeps 1 in its next edition unless
    the share of cities with 1 falls (the published share in ``service_shares.csv`` where both
    editions have one, else the share in the values);
    ``published_share`` — the number of participating cities with 1 matches the share published
    in ``service_shares.csv``, to the nearest city (within half a city).

:func:`check_constraints` returns every violation as a :class:`~cityindex.dataset.Problem`
with its file, row (header = row 1), column, a message and a hint how to fix it. It raises
nothing; an empty list means the values respect every declared rule.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from cityindex.messages import msg

CONSTRAINTS_FILE = "constraints.csv"
VALUE_TYPES = ("whole_number", "rate", "share", "score", "yes_no")
LINK_RULES = ("at_most", "amount_of")
ACROSS_RULES = ("steady", "published_share")
RULES = VALUE_TYPES + LINK_RULES + ACROSS_RULES
"""Every rule ``constraints.csv`` may declare."""

# Which indicator kinds (indicators.csv ``kind``) each rule applies to.
_KINDS_FOR_RULE = {
    "whole_number": ("count", "score"),
    "rate": ("count", "score"),
    "share": ("share",),
    "score": ("score", "count"),
    "yes_no": ("yes_no",),
    "steady": ("yes_no",),
    "published_share": ("yes_no",),
}
_EPS = 1e-9
_ROW = "_row"


def _problem(file: str, row: int | None, column: str | None, message: str, hint: str):
    """A :class:`~cityindex.dataset.Problem` (imported here: dataset.py imports this
    module)."""
    from cityindex.dataset import Problem

    return Problem(file, row, column, message, hint)


def _rows(frame: pd.DataFrame) -> np.ndarray:
    """File row numbers (header = 1): the parser's ``_row`` column, else position + 2."""
    if _ROW in frame.columns:
        return frame[_ROW].to_numpy(dtype=np.int64)
    return np.arange(len(frame), dtype=np.int64) + 2


def expand_constraints(constraints: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per edition in which a rule holds (rows without an edition hold in every edition
    that has the indicator and, for a link, the other indicator). Columns: ``edition``,
    ``indicator_id``, ``rule``, ``other_indicator_id``, ``row`` (the constraints.csv row)."""
    cols = ["edition", "indicator_id", "rule", "other_indicator_id", "row"]
    if constraints is None or not len(constraints):
        return pd.DataFrame(columns=cols)
    c = pd.DataFrame(
        {
            "edition": pd.to_numeric(constraints.get("edition"), errors="coerce")
            if "edition" in constraints
            else np.nan,
            "indicator_id": constraints["indicator_id"].astype(str).str.strip(),
            "rule": constraints["rule"].astype(str).str.strip(),
            "other_indicator_id": constraints.get(
                "other_indicator_id", pd.Series([""] * len(constraints), index=constraints.index)
            )
            .fillna("")
            .astype(str)
            .str.strip(),
            "row": _rows(constraints),
        }
    )
    have = indicators[["edition", "indicator_id"]].drop_duplicates()
    have = have.assign(edition=have["edition"].astype(int))
    dated = c[c["edition"].notna()].assign(edition=lambda f: f["edition"].astype(int))
    undated = c[c["edition"].isna()].drop(columns="edition").merge(have, on="indicator_id")
    out = pd.concat([dated, undated], ignore_index=True)
    linked = out["other_indicator_id"] != ""
    other_have = have.rename(columns={"indicator_id": "other_indicator_id"}).assign(_ok=True)
    out = out.merge(other_have, on=["edition", "other_indicator_id"], how="left")
    keep = ~linked.to_numpy() | out["_ok"].fillna(False).astype(bool).to_numpy()
    out = out[keep & out["edition"].isin(have["edition"]).to_numpy()]
    return out[cols].reset_index(drop=True)


def _check_declarations(constraints, indicators, name) -> list:
    problems = []
    file = name(CONSTRAINTS_FILE)
    kinds = indicators.drop_duplicates("indicator_id").set_index("indicator_id")["kind"]
    known = set(indicators["indicator_id"].astype(str))
    rows = _rows(constraints)
    others = constraints.get("other_indicator_id")
    for i, (row, iid, rule) in enumerate(
        zip(rows, constraints["indicator_id"].astype(str), constraints["rule"].astype(str),
            strict=True)
    ):
        iid, rule = iid.strip(), rule.strip()
        other = "" if others is None or pd.isna(others.iloc[i]) else str(others.iloc[i]).strip()
        if rule not in RULES:
            problems.append(_problem(file, int(row), "rule",
                                     msg("{rule!r} is not a known rule", rule=rule),
                                     msg("use one of {rules}", rules=", ".join(RULES))))
            continue
        if iid not in known:
            problems.append(_problem(file, int(row), "indicator_id",
                                     msg("{indicator!r} is not in indicators.csv",
                                         indicator=iid),
                                     msg("use an indicator_id of the catalogue")))
            continue
        if rule in LINK_RULES:
            if not other:
                problems.append(_problem(file, int(row), "other_indicator_id",
                                         msg("rule {rule!r} needs the linked indicator",
                                             rule=rule),
                                         msg("name it in other_indicator_id")))
                continue
            if other not in known:
                problems.append(_problem(file, int(row), "other_indicator_id",
                                         msg("{indicator!r} is not in indicators.csv",
                                             indicator=other),
                                         msg("use an indicator_id of the catalogue")))
                continue
            if rule == "amount_of" and kinds.get(other) != "yes_no":
                problems.append(_problem(file, int(row), "other_indicator_id",
                                         msg("{indicator!r} is not a yes/no indicator",
                                             indicator=other),
                                         msg("amount_of links an amount to its yes/no "
                                             "feature")))
        elif other:
            problems.append(_problem(file, int(row), "other_indicator_id",
                                     msg("rule {rule!r} takes no linked indicator", rule=rule),
                                     msg("leave other_indicator_id empty")))
        allowed = _KINDS_FOR_RULE.get(rule)
        if allowed and kinds.get(iid) not in allowed:
            problems.append(_problem(file, int(row), "rule",
                                     msg("rule {rule!r} does not fit {indicator!r} of kind "
                                         "{kind!r}", rule=rule, indicator=iid,
                                         kind=kinds.get(iid)),
                                     _kinds_hint(allowed)))
    return problems


def _kinds_hint(allowed: tuple[str, ...]):
    if len(allowed) == 1:
        return msg("use it for indicators of kind {kind}", kind=allowed[0])
    return msg("use it for indicators of kind {kinds} or {last}",
               kinds=" or ".join(allowed[:-1]), last=allowed[-1])


def check_constraints(
    constraints: pd.DataFrame | None,
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    participation: pd.DataFrame | None = None,
    service_shares: pd.DataFrame | None = None,
    *,
    name: Callable[[str], str] = str,
) -> list:
    """Check the values of a dataset against the rules its catalogue declares.

    :param constraints: the table of ``constraints.csv`` (columns ``edition`` (optional),
        ``indicator_id``, ``rule``, ``other_indicator_id``, ``note``); None or empty: no rules.
    :param values: long table with ``edition``, ``city_id``, ``indicator_id``, ``value``.
    :param indicators: the catalogue with ``edition``, ``indicator_id``, ``kind``.
    :param participation: ``edition``, ``city_id`` (to count cities for published shares;
        without it the cities with values count).
    :param service_shares: ``edition``, ``indicator_id``, ``share`` (percent).
    :param name: maps a file name to the name shown in a problem (e.g. its full path).
    :returns: a list of problems (file, row, column, message, hint), empty if every rule holds.
        Rows count the header as row 1; tables parsed by :mod:`cityindex.dataset` carry their
        file rows, other tables are numbered by position.
    """
    if constraints is None or not len(constraints):
        return []
    problems = _check_declarations(constraints, indicators, name)
    if problems:
        return problems
    rules = expand_constraints(constraints, indicators)
    vals = pd.DataFrame(
        {
            "edition": values["edition"].astype(int).to_numpy(),
            "city_id": values["city_id"].astype(str).to_numpy(),
            "indicator_id": values["indicator_id"].astype(str).to_numpy(),
            "value": values["value"].to_numpy(dtype=float),
            "row": _rows(values),
        }
    )
    vals = vals[~np.isnan(vals["value"].to_numpy())]
    vfile, cfile = name("values.csv"), name(CONSTRAINTS_FILE)
    by_rule = {r: g for r, g in rules.groupby("rule")}

    def on_values(rule: str) -> pd.DataFrame:
        if rule not in by_rule:
            return vals.iloc[:0].assign(crow=0)
        sel = by_rule[rule][["edition", "indicator_id", "row"]].rename(columns={"row": "crow"})
        return vals.merge(sel.drop_duplicates(["edition", "indicator_id"]),
                          on=["edition", "indicator_id"])

    def report(frame, message, hint):
        for r in frame.itertuples(index=False):
            problems.append(_problem(vfile, int(r.row), "value", message(r), hint(r)))

    v = on_values("whole_number")
    bad = v[(np.abs(v["value"] - np.round(v["value"])) > _EPS) | (v["value"] < 0)]
    report(bad, lambda r: msg("{value:g} {indicator} (edition {edition}, city {city}) is not "
                              "a whole number ≥ 0, but it counts things ({file} row {row})",
                              value=r.value, indicator=r.indicator_id, edition=r.edition,
                              city=r.city_id, file=cfile, row=r.crow),
           lambda r: msg("give a whole number, or declare the indicator 'rate' if fractions "
                         "are meaningful"))
    v = on_values("rate")
    report(v[v["value"] < 0],
           lambda r: msg("{value:g} {indicator} is a rate but negative ({file} row {row})",
                         value=r.value, indicator=r.indicator_id, file=cfile, row=r.crow),
           lambda r: msg("a rate is 0 or more"))
    v = on_values("score")
    report(v[v["value"] < 0],
           lambda r: msg("{value:g} {indicator} is a score but negative ({file} row {row})",
                         value=r.value, indicator=r.indicator_id, file=cfile, row=r.crow),
           lambda r: msg("a score is 0 or more"))
    v = on_values("share")
    report(v[(v["value"] < 0) | (v["value"] > 100)],
           lambda r: msg("{value:g} {indicator} is a share outside 0–100 ({file} row {row})",
                         value=r.value, indicator=r.indicator_id, file=cfile, row=r.crow),
           lambda r: msg("give a percentage between 0 and 100"))
    v = on_values("yes_no")
    report(v[(v["value"] != 0) & (v["value"] != 1)],
           lambda r: msg("{value:g} {indicator} is neither 0 nor 1 ({file} row {row})",
                         value=r.value, indicator=r.indicator_id, file=cfile, row=r.crow),
           lambda r: msg("a yes/no indicator is 0 (no) or 1 (yes)"))

    for rule in LINK_RULES:
        if rule not in by_rule:
            continue
        links = by_rule[rule].rename(columns={"row": "crow"})
        a = vals.merge(links, on=["edition", "indicator_id"])
        b = vals[["edition", "city_id", "indicator_id", "value"]].rename(
            columns={"indicator_id": "other_indicator_id", "value": "other"})
        ab = a.merge(b, on=["edition", "city_id", "other_indicator_id"])
        if rule == "at_most":
            report(ab[ab["value"] > ab["other"] + _EPS],
                   lambda r: msg("{value:g} {indicator} (edition {edition}, city {city}) is "
                                 "above {other_value:g} {other}, which it cannot exceed ({file} "
                                 "row {row})", value=r.value, indicator=r.indicator_id,
                                 edition=r.edition, city=r.city_id, other_value=r.other,
                                 other=r.other_indicator_id, file=cfile, row=r.crow),
                   lambda r: msg("lower it to at most {other_value:g} or raise {other}",
                                 other_value=r.other, other=r.other_indicator_id))
        else:
            report(ab[(ab["value"] > _EPS) & (ab["other"] == 0)],
                   lambda r: msg("{indicator} is {value:g} (edition {edition}, city {city}) "
                                 "although its feature {other} is 0 ({file} row {row})",
                                 indicator=r.indicator_id, value=r.value, edition=r.edition,
                                 city=r.city_id, other=r.other_indicator_id, file=cfile,
                                 row=r.crow),
                   lambda r: msg("set {other} to 1, or {indicator} to 0",
                                 other=r.other_indicator_id, indicator=r.indicator_id))

    problems += _check_steady(by_rule.get("steady"), vals, service_shares, vfile, cfile)
    problems += _check_published_share(by_rule.get("published_share"), vals, participation,
                                       service_shares, name)
    return problems


def _published(service_shares) -> dict:
    if service_shares is None or not len(service_shares):
        return {}
    return {
        (int(e), str(i)): float(s)
        for e, i, s in zip(service_shares["edition"], service_shares["indicator_id"],
                           service_shares["share"], strict=True)
    }


def _check_steady(rules, vals, service_shares, vfile, cfile) -> list:
    if rules is None or not len(rules):
        return []
    published = _published(service_shares)
    sel = rules[["edition", "indicator_id", "row"]].rename(columns={"row": "crow"})
    v = vals.merge(sel.drop_duplicates(["edition", "indicator_id"]),
                   on=["edition", "indicator_id"])
    observed = v.groupby(["indicator_id", "edition"])["value"].mean().mul(100).to_dict()
    v = v.sort_values(["indicator_id", "city_id", "edition"])
    prev = v.groupby(["indicator_id", "city_id"]).shift(1)
    lost = (prev["value"] == 1).to_numpy() & (v["value"] == 0).to_numpy()
    problems = []
    for (_, r), e0 in zip(v[lost].iterrows(), prev.loc[lost, "edition"].astype(int),
                          strict=True):
        e1, iid = int(r["edition"]), r["indicator_id"]
        both_published = (e0, iid) in published and (e1, iid) in published
        if both_published:
            s0, s1 = published[(e0, iid)], published[(e1, iid)]
        else:
            s0, s1 = observed[(iid, e0)], observed[(iid, e1)]
        if s1 < s0 - _EPS:
            continue
        args = {"indicator": iid, "city": r["city_id"], "first": e0, "second": e1,
                "before": s0, "after": s1, "file": cfile, "row": r["crow"]}
        problems.append(_problem(
            vfile, int(r["row"]), "value",
            msg("{indicator} of city {city} is 1 in {first} and 0 in {second}, while the "
                "published share of cities with it did not fall ({before:.0f} % → {after:.0f} "
                "%) ({file} row {row})", **args) if both_published else
            msg("{indicator} of city {city} is 1 in {first} and 0 in {second}, while the share "
                "in the data of cities with it did not fall ({before:.0f} % → {after:.0f} %) "
                "({file} row {row})", **args),
            msg("keep the feature at 1 (adoption does not flicker), or correct the earlier "
                "edition")))
    return problems


def _check_published_share(rules, vals, participation, service_shares, name) -> list:
    if rules is None or not len(rules) or service_shares is None or not len(service_shares):
        return []
    declared = set(zip(rules["edition"].astype(int), rules["indicator_id"], strict=True))
    if participation is not None and len(participation):
        n_cities = participation.groupby("edition")["city_id"].nunique().to_dict()
    else:
        n_cities = vals.groupby("edition")["city_id"].nunique().to_dict()
    counts = vals.groupby(["edition", "indicator_id"])["value"].sum().to_dict()
    problems = []
    file = name("service_shares.csv")
    for row, e, iid, share in zip(_rows(service_shares), service_shares["edition"],
                                  service_shares["indicator_id"], service_shares["share"],
                                  strict=True):
        key = (int(e), str(iid))
        if key not in declared or key not in counts or int(e) not in n_cities:
            continue
        n, k = n_cities[int(e)], counts[key]
        if abs(100.0 * k / n - float(share)) > 50.0 / n + _EPS:
            want = int(np.floor(float(share) * n / 100.0 + 0.5))
            problems.append(_problem(
                file, int(row), "share",
                msg("{share:g} % of cities offer {indicator} in {edition}, but the values have "
                    "{count:g} of {n} ({observed:.1f} %)", share=float(share), indicator=iid,
                    edition=int(e), count=k, n=n, observed=100.0 * k / n),
                msg("set {indicator} to 1 for {want} of the {n} cities", indicator=iid,
                    want=want, n=n)))
    return problems
