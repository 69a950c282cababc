#!/usr/bin/env python3
"""Generate the modeled indicator layer ``data/values.csv`` of the cityindex dataset.

Bitkom publishes totals, area scores, ranks and a few category scores of its Smart City
Index, but not the per-city values of single parameters (our *indicators*). This script makes
a **modeled** set of indicator values that is consistent with everything that is published:

* the ``bitkom`` method (min-max scaling per indicator, means per category and area, projects
  bonus in 2021, plain mean of the five areas) reproduces every ``used`` total and area score in
  ``data/published.csv`` within 0.05 points and every published rank exactly;
* the share of cities offering each service equals the published share
  (``data/service_shares.csv``);
* the category scores published in ``data/published.csv`` and the single indicator facts
  quoted by sources (``INDICATOR_PINS`` below) hold;
* every published score rounds, at each precision it was printed with, to what the product
  shows (where two printed precisions cannot both hold, the coarser one wins; see
  ``published_boxes``);
* every published statement of ``data/statements.csv`` holds (rank ranges, "+20 places or
  more", full points, fewest / most points among a city's areas, "ahead of", best category,
  "only these cities gained more places");
* the domain constraints of ``data/constraints.csv`` hold: whole numbers where things are
  counted, nested quantities ordered, no amount without its yes/no feature, adoption that does
  not flicker (a city keeps a feature unless the share of cities with it falls).

Every value it writes has provenance ``modeled``. It is deterministic (numpy ``default_rng`` with
a fixed seed) and uses only the standard library, numpy and pandas.

Usage: python scripts/generate_modeled_values.py [--data DIR] [--out FILE] [--seed N]
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import sys

import numpy as np
import pandas as pd

SEED = 20251
AREAS = ["verwaltung", "it_kommunikation", "energie_umwelt", "mobilitaet", "gesellschaft"]
BONUS = 0.05  # projects bonus of the bitkom method (2021)
DELTA = 0.01  # minimum gap between neighbouring scores in a ranking (projection)
TOL = 0.045  # published points without a stated precision are met within +-TOL
POLISH_SLACK = 0.0002  # how far a target may lie outside a published score's box
MAX_ROUNDS = 1500
AREA_FLOOR = 6.0  # no modeled area score below this (lowest published: 11.1)
USE_RANK_CHANGES = True  # previous-edition ranks implied by published rank changes
PRESSURES = (0.5, 2.0, 0.0, 1.0, 4.0)  # retried in this order until no constraint is violated

# Published national means of the total index (press releases, see data/README.md):
MEAN_TOTAL = {2021: (52.4, 0.045), 2024: (67.6, 0.045), 2025: (70.8, 0.045)}
# Published area means: 2024 Energie und Umwelt "60 index points" (rounded to whole points)
MEAN_AREA = {(2024, "energie_umwelt"): (60.0, 0.45)}
# Assumed score of the last city where nothing is published (modeled; a start value only)
BOTTOM_TOTAL = {2019: 20.5, 2020: 24.0, 2021: 28.0, 2022: 32.0, 2023: 35.0, 2024: 40.0, 2025: 44.0}

# Rank ranges (the seed fact "only Moers, Hildesheim, Siegen and Remscheid are worse" in 2021
# Energie und Umwelt, "among the bottom three", "top ten in ...", "ahead of city X") come from
# data/statements.csv; see statement_ranges().
# Modeled choice for the "only Nürnberg, Rostock and Neuss gained more places in Verwaltung
# 2021" statement: Rostock and Neuss start low enough in 2020 to gain more than 37 places.
GAINS_PREVIOUS_RANGE = (65, 81)

# Published "used" figures the generator cannot honour. Empty: figures that contradict other
# published figures are marked status=alternative in data/published.csv instead (see
# data/sources/overrides.csv), so that the data says so, not only this script.
EXCLUDE: dict[tuple[int, str, str], str] = {}

# Single indicator facts: (edition, city, indicator, raw value); the indicator's raw range is
# set so that the stated city is the best (100) / worst (0) where the source says so.
INDICATOR_PINS = [
    (2021, "Wolfsburg", "e_fahrzeuge_anteil", 6.9),  # best value reached = 100
    (2023, "Wiesbaden", "e_fahrzeuge_anteil", 7.8),  # = 100
    (2023, "Salzgitter", "e_fahrzeuge_anteil", 0.1),  # = 0
    (2023, "Siegen", "e_fahrzeuge_anteil", 3.95),  # "in the middle" = 50
    (2024, "Wiesbaden", "e_fahrzeuge_anteil", 18.6),  # = 100
    (2024, "Paderborn", "pv_leistung", 73.7),  # top, MW per 100,000 inhabitants
    (2024, "Hannover", "ozg_anteil", 50.0),
    (2025, "Hannover", "ozg_anteil", 94.0),
]
# Published national means of single indicators: (mean, which end of the range stays as given);
# the other end is calibrated so that the mean of the modeled raw values equals the published one.
MEANS = {
    ("ladepunkte_pro_1000", 2021): (0.45, "lo"),  # charging points per 1,000 inhabitants
    ("ladepunkte_pro_1000", 2024): (1.46, "lo"),
    ("pv_leistung", 2024): (18.5, "hi"),  # MW per 100,000 inhabitants; Paderborn 73.7 max
    ("busse_emissionsarm_anteil", 2024): (32.0, "lo"),  # % of buses
}
# Nested pairs in two different areas (their scores are solved separately): the raw ranges are
# disjoint, split at this value -- schools with fibre up to 85 %, with broadband 85-100 %.
NESTED_SPLIT = {("schulen_glasfaser_anteil", "breitband_schulen"): 85.0}
# Indicators where most cities are far below the best (initial scores scaled by this factor)
SKEW = {("pv_leistung", 2024): 0.3}
# Raw value ranges (min, max) per indicator and edition where a source gives them; other
# ranges are modeled from the unit (see raw_range()).
RANGES = {
    ("e_fahrzeuge_anteil", 2019): (0.1, 1.9),
    ("e_fahrzeuge_anteil", 2020): (0.2, 3.5),
    ("e_fahrzeuge_anteil", 2021): (0.3, 6.9),
    ("e_fahrzeuge_anteil", 2022): (0.4, 9.8),
    ("e_fahrzeuge_anteil", 2023): (0.1, 7.8),
    ("e_fahrzeuge_anteil", 2024): (0.5, 18.6),
    ("e_fahrzeuge_anteil", 2025): (0.8, 21.4),
    ("ladepunkte_pro_1000", 2019): (0.02, 0.9),
    ("ladepunkte_pro_1000", 2020): (0.05, 1.2),
    ("ladepunkte_pro_1000", 2021): (0.08, 1.6),
    ("ladepunkte_pro_1000", 2022): (0.15, 2.6),
    ("ladepunkte_pro_1000", 2023): (0.2, 3.4),
    ("ladepunkte_pro_1000", 2024): (0.3, 4.2),
    ("ladepunkte_pro_1000", 2025): (0.4, 5.0),
    ("pv_leistung", 2024): (2.5, 73.7),
    ("busse_emissionsarm_anteil", 2024): (3.0, 90.0),
    ("ozg_anteil", 2022): (5.0, 70.0),
    ("ozg_anteil", 2023): (8.0, 80.0),
    ("ozg_anteil", 2024): (10.0, 90.0),
    ("ozg_anteil", 2025): (15.0, 100.0),
}


def round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def service_count(share: float, n: int) -> int:
    """Number of cities offering a service: share x n rounded to the nearest city (half up)."""
    return round_half_up(share * n / 100.0)


# --------------------------------------------------------------------------- loading
def load(data_dir):
    def rd(f, **k):
        return pd.read_csv(
            os.path.join(data_dir, f), dtype={"city_id": str}, keep_default_na=True, **k
        )

    cities = rd("cities.csv")
    part = rd("participation.csv")
    pub = rd("published.csv")
    areas = rd("areas.csv")
    cats = rd("categories.csv")
    inds = rd("indicators.csv")
    shares = (
        rd("service_shares.csv")
        if os.path.exists(os.path.join(data_dir, "service_shares.csv"))
        else None
    )
    return cities, part, pub, areas, cats, inds, shares


# --------------------------------------------------------------------------- projection helpers
def pava_nonincreasing(y):
    """Euclidean projection of y onto {z: z0 >= z1 >= ...} (pool adjacent violators)."""
    vals, wts, lens = [], [], []
    for v in y:
        vals.append(float(v))
        wts.append(1.0)
        lens.append(1)
        while len(vals) > 1 and vals[-2] < vals[-1]:
            v2, w2, l2 = vals.pop(), wts.pop(), lens.pop()
            v1, w1, l1 = vals.pop(), wts.pop(), lens.pop()
            w = w1 + w2
            vals.append((v1 * w1 + v2 * w2) / w)
            wts.append(w)
            lens.append(l1 + l2)
    out = np.empty(len(y))
    i = 0
    for v, size in zip(vals, lens, strict=True):
        out[i : i + size] = v
        i += size
    return out


def project_chain(x, order, delta):
    """Project x (indexed by city position) so that x[order[0]] >= x[order[1]] + delta >= ..."""
    j = np.arange(len(order)) * delta
    z = x[order] + j
    z = pava_nonincreasing(z)
    out = x.copy()
    out[order] = z - j
    return out


# --------------------------------------------------------------------------- targets
def build_order(n, ranks, keys, fixed_slots=None, boxed=None, values=None, ranged=None):
    """Full ranking positions 0..n-1. ranks: dict city_index -> published rank (1-based).
    keys: array, lower = better, for cities without a rank. fixed_slots: dict idx -> list of
    allowed positions (for range facts). ranged: dict city_index -> (first, last) allowed
    rank (1-based, inclusive; published rank ranges). Returns array order (position -> city)."""
    order = [-1] * n
    taken = set()
    for c, r in ranks.items():
        order[r - 1] = c
        taken.add(c)
    if fixed_slots:
        for slots, members in fixed_slots:
            free = [s for s in slots if order[s] == -1]
            mem = sorted([m for m in members if m not in taken], key=lambda m: keys[m])
            for s, m in zip(free, mem, strict=False):
                order[s] = m
                taken.add(m)
    rest = sorted([c for c in range(n) if c not in taken], key=lambda c: keys[c])
    free = [s for s in range(n) if order[s] == -1]
    assert len(rest) == len(free)
    for s, c in zip(free, rest, strict=False):
        order[s] = c
    if boxed:
        # a city with published points but no published rank must sit between the ranked
        # cities with published points above and below it: move it to the nearest such slot
        fixed = set(ranks)
        above = [np.inf] * n
        below = [-np.inf] * n
        cur = np.inf
        for s in range(n):
            above[s] = cur
            if order[s] in fixed and order[s] in boxed:
                cur = boxed[order[s]]
        cur = -np.inf
        for s in range(n - 1, -1, -1):
            below[s] = cur
            if order[s] in fixed and order[s] in boxed:
                cur = boxed[order[s]]
        movable = [s for s in free if order[s] not in boxed]
        for s in free:
            c = order[s]
            if c not in boxed or above[s] > boxed[c] > below[s]:
                continue
            ok = [t for t in movable if above[t] > boxed[c] > below[t]]
            if not ok:
                continue
            t = min(ok, key=lambda t: abs(t - s))
            order[s], order[t] = order[t], c
            movable.remove(t)
            movable.append(s)
    if ranged:
        fixed = set(ranks)
        for _ in range(3):
            pos = {c: s for s, c in enumerate(order)}
            moved = False
            for c, (lo, hi) in sorted(ranged.items(), key=lambda kv: kv[1][1] - kv[1][0]):
                s = pos[c]
                if c in fixed or lo - 1 <= s <= hi - 1:
                    continue
                ok = [
                    t
                    for t in range(lo - 1, hi)
                    if order[t] not in fixed
                    and (order[t] not in ranged or ranged[order[t]][0] - 1 <= s <= ranged[order[t]][1] - 1)
                ]
                if not ok:
                    continue
                t = min(ok, key=lambda t: abs(t - s))
                order[s], order[t] = order[t], c
                pos[order[s]], pos[c] = s, t
                moved = True
            if not moved:
                break
    return np.array(order)


def interp_curve(n, anchors, top, bottom):
    """Score by rank position (0..n-1) interpolated linearly between anchors {pos: points}."""
    pts = dict(anchors)
    pts.setdefault(0, top)
    pts.setdefault(n - 1, bottom)
    xs = sorted(pts)
    ys = [pts[x] for x in xs]
    # make non-increasing (conflicting anchors are resolved later by the projection)
    for k in range(1, len(ys)):
        ys[k] = min(ys[k], ys[k - 1])
    return np.interp(np.arange(n), xs, ys)


def curve_position(curve, value):
    """Fractional rank position where the (non-increasing) curve reaches value."""
    n = len(curve)
    for k in range(n - 1):
        a, b = curve[k], curve[k + 1]
        if a >= value >= b:
            return k + (0.5 if a == b else (a - value) / (a - b))
    return 0.0 if value > curve[0] else float(n - 1)


def solve_targets(E, city_ids, names, pub_e, latent, rng, log, area_bounds=None, boxes=None,
                  rank_ranges=None):
    """Target total and area scores for every city of edition E.

    boxes: {(city_id, scope): (lo, hi)} -- the interval in which a published score, rounded as
    printed, is met; rank_ranges: {(city_id, scope): (first, last)} published rank ranges."""
    n = len(city_ids)
    idx = {c: k for k, c in enumerate(city_ids)}
    scopes = ["total"] + AREAS
    ranks = {s: {} for s in scopes}
    points = {s: {} for s in scopes}
    box = {s: {} for s in scopes}
    for r in pub_e.itertuples():
        if r.scope not in scopes or r.city_id not in idx:
            continue
        k = idx[r.city_id]
        if not pd.isna(r.rank):
            ranks[r.scope][k] = int(r.rank)
        if not pd.isna(r.points):
            points[r.scope][k] = float(r.points)
            lo_hi = (boxes or {}).get((r.city_id, r.scope))
            box[r.scope][k] = lo_hi if lo_hi else (float(r.points) - TOL, float(r.points) + TOL)
    ranged = {s: {} for s in scopes}
    for (c, sc), (lo, hi) in (rank_ranges or {}).items():
        if c in idx and sc in ranged:
            ranged[sc][idx[c]] = (lo, hi)

    # total curve: anchors with rank and points; bottom calibrated to a published mean
    def total_curve(bottom):
        anchors = {
            ranks["total"][k] - 1: p for k, p in points["total"].items() if k in ranks["total"]
        }
        top = max(points["total"].values()) + 0.5 if points["total"] else 80.0
        return interp_curve(n, anchors, top, bottom)

    bottom = BOTTOM_TOTAL[E]
    if E in MEAN_TOTAL:
        lo, hi = 5.0, 80.0
        for _ in range(60):
            mid = (lo + hi) / 2
            if total_curve(mid).mean() < MEAN_TOTAL[E][0]:
                lo = mid
            else:
                hi = mid
        bottom = (lo + hi) / 2
    tcurve = total_curve(bottom)

    # ranking keys (lower = better): published points located on the curve, else latent + noise
    tkeys = np.empty(n)
    for k in range(n):
        if k in points["total"]:
            tkeys[k] = curve_position(tcurve, points["total"][k]) / (n - 1)
        else:
            tkeys[k] = latent[city_ids[k]] + rng.normal(0, 0.06)
    # published area ranks of the same edition say more than other editions: blend them in
    for k in range(n):
        if k in points["total"]:
            continue
        known = [(ranks[a][k] - 1) / (n - 1) for a in AREAS if k in ranks[a]]
        for sc in scopes:
            if k in ranged[sc] and ranged[sc][k][1] - ranged[sc][k][0] <= 10:
                known.append((sum(ranged[sc][k]) / 2 - 1) / (n - 1))
        if known:
            tkeys[k] = (tkeys[k] + 2 * np.mean(known)) / 3
    orders = {"total": build_order(n, ranks["total"], tkeys, ranged=ranged["total"])}
    tpos = np.empty(n)
    tpos[orders["total"]] = np.arange(n)

    x = np.zeros((n, len(AREAS)))
    fixed_lo = np.full((n, len(AREAS)), AREA_FLOOR)
    fixed_hi = np.full((n, len(AREAS)), 100.0)
    t_lo = np.full(n, -np.inf)
    t_hi = np.full(n, np.inf)
    for k, (lo, hi) in box["total"].items():
        t_lo[k], t_hi[k] = lo, hi
    for a_i, a in enumerate(AREAS):
        for k, (lo, hi) in box[a].items():
            fixed_lo[k, a_i] = max(0.0, lo)
            fixed_hi[k, a_i] = min(100.0, hi)
        for (k, a2), (lo, hi) in (area_bounds or {}).items():
            if a2 == a:
                fixed_lo[k, a_i] = max(fixed_lo[k, a_i], min(lo, fixed_hi[k, a_i]))
                fixed_hi[k, a_i] = min(fixed_hi[k, a_i], max(hi, fixed_lo[k, a_i]))
        anchors = {ranks[a][k] - 1: p for k, p in points[a].items() if k in ranks[a]}
        known = list(points[a].values())
        top = min(100.0, max(known + [tcurve[0]]) + 4.0)
        bot = max(2.0, min(known + [tcurve[-1]]) - 8.0)
        acurve = interp_curve(n, anchors, top, bot)
        akeys = np.empty(n)
        for k in range(n):
            if k in points[a]:
                akeys[k] = curve_position(acurve, points[a][k]) / (n - 1)
            else:
                akeys[k] = tpos[k] / (n - 1) + rng.normal(0, 0.15)
        orders[a] = build_order(n, ranks[a], akeys, ranged=ranged[a])
        apos = np.empty(n)
        apos[orders[a]] = np.arange(n)
        x[:, a_i] = acurve[apos.astype(int)]
    # start: shift each city's areas so that their mean is near its total-curve value
    t0 = tcurve[tpos.astype(int)]
    x += (t0 - x.mean(axis=1))[:, None] * 0.7
    x = np.clip(x, fixed_lo, fixed_hi)

    # cyclic projections onto: area chains, area boxes, total chain, total boxes, means.
    # Only published ranks are fixed: the other cities are re-sorted by their current score
    # before each round (their order within the free slots is not published).
    has_pts = {s: np.array([k in points[s] for k in range(n)], float) for s in scopes}
    x_start, orders_start = x.copy(), dict(orders)
    for pressure_w in PRESSURES:
        x, orders = x_start.copy(), dict(orders_start)
        x, orders, it = _project(
            E,
            n,
            x,
            orders,
            ranks,
            points,
            has_pts,
            fixed_lo,
            fixed_hi,
            t_lo,
            t_hi,
            ranged,
            pressure_w,
        )
        if check_targets(x, orders, fixed_lo, fixed_hi, t_lo, t_hi, DELTA * 0.3, 0.004) == 0:
            break
    # polish with the order fixed: published scores must round as printed (boxes as tight as
    # +-0.001 for two-decimal figures)
    x, orders, _ = _project(E, n, x, orders, ranks, points, has_pts, fixed_lo, fixed_hi, t_lo,
                            t_hi, ranged, 0.0, reorder=False, slack=POLISH_SLACK)
    x = np.clip(x, 0.0, 100.0)
    viol = check_targets(x, orders, fixed_lo, fixed_hi, t_lo, t_hi, DELTA * 0.3, POLISH_SLACK,
                         verbose=log)
    log(
        f"{E}: targets after {it + 1} projection rounds, {viol} violations; "
        f"mean total {x.mean():.2f}"
    )
    return x, orders


def _project(
    E, n, x, orders, ranks, points, has_pts, fixed_lo, fixed_hi, t_lo, t_hi, ranged, pressure_w,
    reorder=True, slack=0.002,
):
    """Cyclic projections (in place on x / orders); returns the number of rounds used."""
    pressure = np.zeros(n)
    for it in range(MAX_ROUNDS):
        if it and reorder:
            # sort key: the current score, corrected by how far the city's other areas are
            # outside their published boxes (that excess has to come from this area)
            viol = x - np.clip(x, fixed_lo, fixed_hi)
            for a_i, a in enumerate(AREAS):
                key = x[:, a_i] + viol.sum(axis=1) - viol[:, a_i] + pressure_w * pressure
                orders[a] = build_order(
                    n, ranks[a], -key, boxed=points[a], values=x[:, a_i], ranged=ranged[a]
                )
            # sort by the current total, clipped to what the city's area boxes allow
            tk = np.clip(x.mean(axis=1), fixed_lo.mean(axis=1), fixed_hi.mean(axis=1))
            orders["total"] = build_order(
                n, ranks["total"], -tk, boxed=points["total"], values=tk, ranged=ranged["total"]
            )
        for a_i, a in enumerate(AREAS):
            x[:, a_i] = project_chain(x[:, a_i], orders[a], DELTA)
        x = np.clip(x, fixed_lo, fixed_hi)
        t0 = x.mean(axis=1)
        t2 = project_chain(t0, orders["total"], DELTA)
        x += (t2 - t0)[:, None]
        t = x.mean(axis=1)
        t2 = np.clip(t, t_lo, t_hi)
        x += (t2 - t)[:, None]
        # cities whose total keeps being pushed in one direction get a push in the
        # slot sorting of their areas (lets them pass ranked cities in an area)
        pressure = 0.95 * pressure + (x.mean(axis=1) - t0)
        if E in MEAN_TOTAL:
            m, tol = MEAN_TOTAL[E]
            t = x.mean(axis=1)
            free_t = has_pts["total"] == 0  # shift only cities without published points
            x[free_t] += (
                (np.clip(t.mean(), m - tol * 0.8, m + tol * 0.8) - t.mean()) * n / free_t.sum()
            )
        for (e2, a2), (m, tol) in MEAN_AREA.items():
            if e2 == E:
                a_i = AREAS.index(a2)
                cur = x[:, a_i].mean()
                free_a = has_pts[a2] == 0
                x[free_a, a_i] += (
                    (np.clip(cur, m - tol * 0.8, m + tol * 0.8) - cur) * n / free_a.sum()
                )
        if it % 25 == 0 or not reorder:
            viol = check_targets(x, orders, fixed_lo, fixed_hi, t_lo, t_hi, DELTA * 0.5, slack)
            if viol == 0:
                break
    return x, orders, it


def check_targets(x, orders, flo, fhi, tlo, thi, gap, slack, verbose=None):
    v = 0
    t = x.mean(axis=1)
    for a_i, a in enumerate(AREAS):
        d = x[orders[a][:-1], a_i] - x[orders[a][1:], a_i]
        v += int((d < gap).sum())
    d = t[orders["total"][:-1]] - t[orders["total"][1:]]
    v += int((d < gap).sum())
    v += int(((x < flo - slack) | (x > fhi + slack)).sum())
    v += int(((t < tlo - slack) | (t > thi + slack)).sum())
    if verbose and v:
        verbose(f"  violations: {v}")
    return v


# --------------------------------------------------------------------------- shares
def modeled_share(rng_share, iid, E, published):
    """Share (percent) of cities with a yes/no feature in edition E."""
    if (E, iid) in published:
        return published[(E, iid)]
    eds = sorted(e for (e, i) in published if i == iid)
    if eds:  # extrapolate from the published editions
        if len(eds) >= 2:
            e0, e1 = eds[0], eds[-1]
            slope = min(8.0, max(2.0, (published[(e1, iid)] - published[(e0, iid)]) / (e1 - e0)))
        else:
            slope = 4.0
        ref = eds[0] if E < eds[0] else eds[-1]
        s = published[(ref, iid)] + slope * (E - ref)
        return float(min(97.0, max(4.0, s)))
    base, slope = rng_share[iid][:2]
    return float(min(96.0, max(5.0, base + slope * (E - 2019))))


def used_published(pub, names):
    """Rows of published.csv with status=used, minus the EXCLUDE list."""
    pub = pub[pub.status == "used"].copy()
    pub["scope"] = pub["scope"].astype(str)
    keep = [
        (int(r.edition), names.get(r.city_id), r.scope) not in EXCLUDE for r in pub.itertuples()
    ]
    return pub[keep]


def derived_previous_ranks(pub, part):
    """Previous-edition ranks implied by published rank changes (rank + rank_change in E-1).

    Returns (rows, skipped): rows to add as rank constraints where the previous edition has no
    published rank for that city and scope
    skipped: implied ranks that clash with a published
    rank (another city holds it, or the city has a different one)."""
    scopes = {"total", *AREAS}
    n_by_ed = part.groupby("edition").size().to_dict()
    have = {}
    for r in pub.itertuples():
        if r.scope in scopes and not pd.isna(r.rank):
            have[(int(r.edition), r.scope, r.city_id)] = int(r.rank)
    taken = {}
    for (e, sc, c), rk in have.items():
        taken.setdefault((e, sc, rk), set()).add(c)
    cand = {}
    for r in pub.itertuples():
        if r.scope not in scopes or pd.isna(r.rank) or pd.isna(r.rank_change):
            continue
        e, rk = int(r.edition) - 1, int(r.rank) + int(r.rank_change)
        if e not in n_by_ed:
            continue
        cand.setdefault((e, r.scope, r.city_id), set()).add(rk)
    rows, skipped = [], []
    claims = {}
    for (e, sc, c), rks in sorted(cand.items()):
        rk = min(rks)
        if len(rks) > 1:
            skipped.append((e, sc, c, sorted(rks), "two different rank changes"))
            continue
        if (e, sc, c) in have:
            if have[(e, sc, c)] != rk:
                skipped.append((e, sc, c, rk, f"published rank {have[(e, sc, c)]}"))
            continue
        if not 1 <= rk <= n_by_ed[e]:
            skipped.append((e, sc, c, rk, "outside the ranking"))
            continue
        if (e, sc, rk) in taken:
            skipped.append((e, sc, c, rk, "rank published for another city"))
            continue
        claims.setdefault((e, sc, rk), []).append(c)
    for (e, sc, rk), cs in sorted(claims.items()):
        if len(cs) > 1:
            for c in cs:
                skipped.append((e, sc, c, rk, "claimed by two cities"))
            continue
        rows.append(
            dict(
                edition=e,
                city_id=cs[0],
                scope=sc,
                rank=float(rk),
                points=np.nan,
                rank_change=np.nan,
                status="used",
                source="derived",
                note="derived from a rank change",
            )
        )
    return pd.DataFrame(rows), skipped


def pair_ranks_for_bare_changes(pub, part):
    """A rank change stated without a rank in either edition (e.g. Münster 2022 IT "+11"):
    choose a free rank pair (r in E, r + change in E-1) near the city's other ranks of E, so that
    the stated change holds. The ranks themselves are modeled (note says so)."""
    scopes = {"total", *AREAS}
    n_by_ed = part.groupby("edition").size().to_dict()
    used = {}
    have = {}
    for r in pub.itertuples():
        if r.scope in scopes and not pd.isna(r.rank):
            used.setdefault((int(r.edition), r.scope), set()).add(int(r.rank))
            have[(int(r.edition), r.scope, r.city_id)] = int(r.rank)
    rows = []

    def target_row(edition, city_id, scope, rank, source, note):
        used.setdefault((edition, scope), set()).add(rank)
        have[(edition, scope, city_id)] = rank
        rows.append(dict(edition=edition, city_id=city_id, scope=scope, rank=float(rank),
                         points=np.nan, rank_change=np.nan, status="used", source=source,
                         note=note))

    for r in pub.sort_values(["edition", "scope", "city_id"]).itertuples():
        if r.scope not in scopes or not pd.isna(r.rank) or pd.isna(r.rank_change):
            continue
        e, sc, c, ch = int(r.edition), r.scope, r.city_id, int(r.rank_change)
        if e - 1 not in n_by_ed or (e, sc, c) in have:
            continue
        if (e - 1, sc, c) in have:  # previous rank known: the current one follows
            x = have[(e - 1, sc, c)] - ch
            if 1 <= x <= n_by_ed[e] and x not in used.get((e, sc), set()):
                target_row(e, c, sc, x, "derived", "derived: previous rank minus the stated change")
            continue
        near = [rk for (e2, s2, c2), rk in have.items() if c2 == c and e2 in (e, e - 1)]
        target = float(np.mean(near)) if near else n_by_ed[e] / 2
        free = [
            x
            for x in range(1, n_by_ed[e] + 1)
            if x not in used.get((e, sc), set())
            and 1 <= x + ch <= n_by_ed[e - 1]
            and x + ch not in used.get((e - 1, sc), set())
        ]
        if not free:
            continue
        x = min(free, key=lambda x: (abs(x - target), x))
        for ed, rk in ((e, x), (e - 1, x + ch)):
            target_row(ed, c, sc, rk, "modeled pair", "modeled rank pair for a stated rank change")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- published precision
_FIGURE_PATTERNS = (
    re.compile(r"headline figure (\d+(?:\.\d+)?)"),
    re.compile(r"also printed as (\d+(?:[.,]\d+)?)"),
    re.compile(r"press release (\d+(?:,\d+)?)"),
    re.compile(r"two decimals (\d+,\d+)"),
)


def printed_figures(points: str, note: str) -> list[str]:
    """Every printed form of a published score: the stored figure and the other precisions its
    note records ("headline figure 72.5", "also printed as 61.1"), with decimal points."""
    out = []
    for text in [points] + [m.group(1) for p in _FIGURE_PATTERNS for m in p.finditer(note)]:
        text = (text or "").strip().replace(",", ".")
        if text and text not in out:
            out.append(text)
    return out


def _interval(figures):
    """Scores that round to every figure as printed (0 or 1 decimal: +-0.05, 2 decimals:
    +-0.005), shrunk a little so that floating-point display rounds the same way."""
    lo, hi = -np.inf, np.inf
    for f in figures:
        d = len(f.split(".")[1]) if "." in f else 0
        h = 0.05 if d <= 1 else 0.005
        lo, hi = max(lo, float(f) - h), min(hi, float(f) + h)
    if hi <= lo:
        return None
    m = 0.005 if hi - lo > 0.02 else 0.2 * (hi - lo)
    return lo + m, hi - m


def published_boxes(data_dir, log):
    """{(edition, city_id, scope): (lo, hi)} for every used published total and area score, and
    the printed figures that cannot all hold (Darmstadt 2021: 72.52 vs its five area scores)."""
    raw = pd.read_csv(os.path.join(data_dir, "published.csv"), dtype=str, keep_default_na=False)
    raw = raw[(raw.status == "used") & (raw.points != "") & raw.scope.isin(["total", *AREAS])]
    figs = {
        (int(r.edition), r.city_id, r.scope): printed_figures(r.points, r.note)
        for r in raw.itertuples()
    }
    boxes = {k: _interval(f) for k, f in figs.items()}
    impossible = []
    for (e, c, sc), f in sorted(figs.items()):
        if sc != "total":
            continue
        area = [boxes.get((e, c, a)) for a in AREAS]
        keep = f
        while True:
            box = _interval(keep)
            if None in area or box is None:
                break
            lo = max(box[0], float(np.mean([b[0] for b in area])))
            hi = min(box[1], float(np.mean([b[1] for b in area])))
            if lo < hi or len(keep) == 1:
                break
            # the finest figure cannot hold with the five area scores: keep the coarser ones
            finest = max(keep, key=lambda x: len(x.split(".")[1]) if "." in x else 0)
            impossible.append((e, c, sc, finest))
            keep = [x for x in keep if x != finest]
        if box is None:
            impossible.append((e, c, sc, "/".join(f)))
            box = _interval(f[:1])
        boxes[(e, c, sc)] = box
    for item in impossible:
        log(f"  printed figure that cannot hold: {item}")
    return boxes, impossible


# --------------------------------------------------------------------------- statements
def load_statements(data_dir):
    path = os.path.join(data_dir, "statements.csv")
    if not os.path.exists(path):
        return pd.DataFrame(columns=["edition", "city_id", "scope", "statement", "value",
                                     "other_city_id"])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def statement_ranges(stmts, pub, part, log):
    """Rank ranges {(edition, city_id, scope): (first, last)} that the published statements
    imply, given the published (and derived) ranks."""
    n_by = part.groupby("edition").size().to_dict()
    ranks = {
        (int(r.edition), r.scope, r.city_id): int(r.rank)
        for r in pub.itertuples()
        if not pd.isna(r.rank)
    }
    out = {}

    def add(e, c, sc, lo, hi):
        lo0, hi0 = out.get((e, c, sc), (1, n_by[e]))
        out[(e, c, sc)] = (max(lo0, lo), min(hi0, hi))

    for s in stmts.itertuples():
        e, c, sc = int(s.edition), s.city_id, s.scope
        if s.statement == "rank_range":
            lo, hi = (int(x) for x in s.value.split("-"))
            add(e, c, sc, lo, hi)
        elif s.statement == "rank_change_at_least":
            if (e, sc, c) in ranks:
                add(e - 1, c, sc, ranks[(e, sc, c)] + int(s.value), n_by[e - 1])
            else:
                log(f"  statement not enforced (no rank): {tuple(s)[:5]}")
        elif s.statement == "ahead_of":
            other = s.other_city_id
            if (e, sc, other) in ranks:
                add(e, c, sc, 1, ranks[(e, sc, other)] - 1)
            elif (e, sc, c) in ranks:
                add(e, other, sc, ranks[(e, sc, c)] + 1, n_by[e])
            else:
                log(f"  statement not enforced (neither city ranked): {tuple(s)[:6]}")
        elif s.statement == "only_bigger_gains":
            for c2 in s.other_city_id.split(";"):
                if (e - 1, sc, c2) not in ranks:
                    add(e - 1, c2, sc, *GAINS_PREVIOUS_RANGE)
    return out


# --------------------------------------------------------------------------- indicator solve
def _no_feature(M, amount_rows, feature_rows):
    """Entries (indicators x cities) that must be 0 because the city lacks the feature."""
    z = np.zeros(M.shape, bool)
    if len(amount_rows):
        z[amount_rows] = M[feature_rows] < 50
    return z


def _reach(M, W, movable, LOB, HIB, zero):
    """Lowest and highest area core each city can reach with its movable entries."""
    mv = movable & ~zero
    base = np.where(zero, 0.0, M)
    fmin = (W[:, None] * np.where(mv, LOB, base)).sum(axis=0)
    fmax = (W[:, None] * np.where(mv, HIB, base)).sum(axis=0)
    return fmin, fmax


def _solve_city(M, W, k, mv, LOB, HIB, target):
    """One common shift of city k's movable entries (clipped to their bounds) hits its area
    core target (bisection); changes M in place and returns the core reached."""
    base = M[:, k].copy()
    lo_b, hi_b = LOB[:, k], HIB[:, k]
    lo_d, hi_d = -100.0, 100.0
    for _ in range(64):
        mid = (lo_d + hi_d) / 2
        got = float((W * np.where(mv, np.clip(base + mid, lo_b, hi_b), base)).sum())
        if got < target:
            lo_d = mid
        else:
            hi_d = mid
    M[:, k] = np.where(mv, np.clip(base + (lo_d + hi_d) / 2, lo_b, hi_b), base)
    return float((W * M[:, k]).sum())


def _quiet(*_args):
    pass


# --------------------------------------------------------------------------- main generator
def generate(data_dir, seed=SEED, log=print, passes=8):
    """The modeled values as rows (edition, city_id, indicator_id, value, provenance, source).

    Steady adoption ties the editions together: a city that keeps a feature from an earlier
    edition may not reach a low area target later (or a city may lack a feature it needs when
    the share of cities falls). Each pass learns such features and avoids (or grants) them in
    the earlier editions; the result is the first pass without new ones."""
    avoid, grant = {}, {}
    for i in range(passes):
        failures = set()
        _generate(data_dir, seed, _quiet, avoid, grant, failures)
        new = False
        for kind, iid, c, E in sorted(failures):
            book = avoid if kind == "avoid" else grant
            key = (iid, c)
            if kind == "avoid" and E > book.get(key, 0) and key not in grant:
                book[key] = E
                new = True
            elif kind == "grant" and E - 1 < book.get(key, 9999):
                book[key] = E - 1
                avoid.pop(key, None)  # a feature the city needs wins over one it should shed
                new = True
        if not new:
            break
        log(f"pass {i + 1}: {len(failures)} features learnt for steady adoption")
    return _generate(data_dir, seed, log, avoid, grant, set())


def _generate(data_dir, seed, log, avoid, grant, failures):
    cities, part, pub, areas, cats, inds, shares = load(data_dir)
    rng = np.random.default_rng(seed)
    names = dict(zip(cities.city_id, cities.name, strict=False))
    by_name = {v: k for k, v in names.items()}
    pub = used_published(pub, names)
    if USE_RANK_CHANGES:
        extra, skipped = derived_previous_ranks(pub, part)
        # second step: a rank change stated without a rank, where the rank itself is derived
        # (Krefeld 2021 Verwaltung: 35 from the 2022 table, +37 -> 72 in 2020)
        known = {(int(r.edition), r.scope, r.city_id): r.rank for r in extra.itertuples()}
        filled = pub.copy()
        for i2, r in filled.iterrows():
            key = (int(r.edition), r.scope, r.city_id)
            if pd.isna(r["rank"]) and not pd.isna(r.rank_change) and key in known:
                filled.loc[i2, "rank"] = known[key]
        extra2, skipped2 = derived_previous_ranks(
            pd.concat([filled, extra], ignore_index=True), part
        )
        extra = pd.concat([extra, extra2], ignore_index=True)
        extra3 = pair_ranks_for_bare_changes(pd.concat([filled, extra], ignore_index=True), part)
        extra = pd.concat([extra, extra3], ignore_index=True)
        skipped = sorted(set(map(str, skipped)) | set(map(str, skipped2)))
        for sk in skipped:
            log(f"  rank change not used: {sk}")
        pub = pd.concat([pub, extra], ignore_index=True)

    stmts = load_statements(data_dir)
    ranges = statement_ranges(stmts, pub, part, log)
    boxes, _ = published_boxes(data_dir, log)
    rules = load_constraints(data_dir)
    prev_rank = {}  # (edition, scope) -> {city_id: rank} of the targets
    last_seen = {}  # yes/no indicator -> {city_id: (edition, has it)} of the city's last edition
    share_seen = {}  # yes/no indicator -> {edition: share of cities with it (0-1)}

    # latent strength per city (0 = best, 1 = worst) from all published ranks; unknown: 0.65
    lat = {}
    nmax = part.groupby("edition").size().to_dict()
    for c in sorted(cities.city_id):
        rs = pub[(pub.city_id == c) & pub["rank"].notna()]
        vals = [(r["rank"] - 1) / (nmax.get(r["edition"], 81) - 1) for _, r in rs.iterrows()]
        lat[c] = float(np.mean(vals)) if vals else 0.65 + rng.normal(0, 0.1)

    published_shares = {}
    if shares is not None:
        for r in shares.itertuples():
            published_shares[(int(r.edition), r.indicator_id)] = float(r.share)
    yn_ids = sorted(inds.loc[inds.kind == "yes_no", "indicator_id"].unique())
    rng_share = {
        i: (float(rng.uniform(15, 70)), float(rng.uniform(2.0, 7.0)), float(rng.normal(0, 10)))
        for i in yn_ids
    }

    rows = []
    for E in sorted(part.edition.unique()):
        E = int(E)
        city_ids = sorted(part.loc[part.edition == E, "city_id"])
        n = len(city_ids)
        idx = {c: k for k, c in enumerate(city_ids)}
        pub_e = pub[pub.edition == E]

        cat_e = cats[cats.edition == E].copy()
        ind_e = inds[inds.edition == E].copy()
        ind_e = ind_e.merge(cat_e[["category_id", "area_id", "projects"]], on="category_id")
        name_to_cat = {}
        for r in cat_e.itertuples():
            name_to_cat[r.name_de] = r.category_id
            name_to_cat[r.category_id] = r.category_id

        # category facts: the published category scores (published.csv, with their sources)
        cat_fix = {}
        for r in pub_e.itertuples():
            if r.scope in AREAS or r.scope == "total" or pd.isna(r.points):
                continue
            if r.scope in name_to_cat and r.city_id in idx:
                cat_fix[(idx[r.city_id], name_to_cat[r.scope])] = float(r.points)
        # "full points" in a category (data/statements.csv)
        st_e = stmts[stmts.edition.astype(int) == E]
        for st in st_e[st_e.statement == "full_points"].itertuples():
            if st.scope in name_to_cat and st.city_id in idx:
                cat_fix[(idx[st.city_id], name_to_cat[st.scope])] = 100.0

        # an area's reachable range given its category facts (others anywhere in 0..100)
        area_bounds = {}
        for k, cid in cat_fix:
            a = cat_e.set_index("category_id").loc[cid, "area_id"]
            reg = cat_e[(cat_e.area_id == a) & (cat_e.projects == 0)].category_id
            pro = cat_e[(cat_e.area_id == a) & (cat_e.projects == 1)].category_id
            F = sum(cat_fix.get((k, c), 0.0) for c in reg)
            f = sum((k, c) in cat_fix for c in reg)
            plo = sum(BONUS * cat_fix.get((k, c), 0.0) for c in pro)
            phi = sum(BONUS * cat_fix.get((k, c), 100.0) for c in pro)
            lo_a, hi_a = F / len(reg) + plo, (F + 100.0 * (len(reg) - f)) / len(reg) + phi
            m_a = min(0.3, (hi_a - lo_a) / 2)
            area_bounds[(k, a)] = (lo_a + m_a, hi_a - m_a)
        # "fewest / most points among its areas": the city's other areas lie in between
        pts = {(r.city_id, r.scope): float(r.points) for r in pub_e.itertuples()
               if not pd.isna(r.points)}
        for st in st_e[st_e.statement.isin(["fewest_points", "most_points"])].itertuples():
            other = st_e[(st_e.city_id == st.city_id) & (st_e.statement != st.statement)
                         & st_e.statement.isin(["fewest_points", "most_points"])]
            few = pts.get((st.city_id, st.scope)) if st.statement == "fewest_points" else None
            most = pts.get((st.city_id, st.scope)) if st.statement == "most_points" else None
            for o in other.itertuples():
                few = few if few is not None else pts.get((o.city_id, o.scope))
                most = most if most is not None else pts.get((o.city_id, o.scope))
            lo = few + 0.1 if few is not None else 0.0
            hi = most - 0.1 if most is not None else 100.0
            for a in AREAS:
                if (st.city_id, a) not in pts and st.city_id in idx:
                    blo, bhi = area_bounds.get((idx[st.city_id], a), (0.0, 100.0))
                    area_bounds[(idx[st.city_id], a)] = (max(blo, lo), min(bhi, hi))
        # rank ranges of this edition; "only these cities gained more places": from the
        # previous edition's ranks
        rr = {(c, sc): v for (e2, c, sc), v in ranges.items() if e2 == E}
        for st in st_e[st_e.statement == "only_bigger_gains"].itertuples():
            before = prev_rank.get((E - 1, st.scope), {})
            listed = set(st.other_city_id.split(";"))
            for c in city_ids:
                if c == st.city_id or c not in before:
                    continue
                lo0, hi0 = rr.get((c, st.scope), (1, n))
                gain = int(st.value)
                if c in listed:
                    rr[(c, st.scope)] = (lo0, min(hi0, before[c] - gain - 1))
                else:
                    rr[(c, st.scope)] = (max(lo0, before[c] - gain), hi0)
        x, orders = solve_targets(
            E, city_ids, names, pub_e, {c: lat[c] for c in city_ids}, rng, log, area_bounds,
            boxes={(c, sc): b for (e2, c, sc), b in boxes.items() if e2 == E},
            rank_ranges=rr,
        )
        for sc in ["total", *AREAS]:
            prev_rank[(E, sc)] = {city_ids[c]: pos + 1 for pos, c in enumerate(orders[sc])}

        # projects (2021): P per city and core target per area
        core = x.copy()
        proj_cat = {}
        for a in AREAS:
            pc = cat_e[(cat_e.area_id == a) & (cat_e.projects == 1)]
            if len(pc):
                proj_cat[a] = pc.category_id.iloc[0]

        U = {}  # indicator_id -> score array (0..100) over cities
        frozen = {}  # indicator_id -> bool array (entry may not be moved by the area solve)
        # "the best single value of all its categories": the city's other categories stay below
        cap = {}  # city index -> (own category, its score)
        for st in st_e[st_e.statement == "best_category"].itertuples():
            if st.city_id in idx and (idx[st.city_id], st.scope) in cat_fix:
                cap[idx[st.city_id]] = (st.scope, cat_fix[(idx[st.city_id], st.scope)])
        ind_kind = dict(zip(ind_e.indicator_id, ind_e.kind, strict=True))
        ind_unit = dict(zip(ind_e.indicator_id, ind_e.unit.astype(str), strict=True))
        whole = {i: whole_range(i, ind_kind[i], ind_unit[i], E)
                 for i in ind_e.indicator_id if i in rules["whole_number"]}
        pairs = [(a_, b_) for a_, b_ in rules["at_most"] if a_ in ind_kind and b_ in ind_kind]
        amount_of = {m: f for m, f in rules["amount_of"].items() if m in ind_kind and f in ind_kind}
        for a_i, a in enumerate(AREAS):
            tgt = x[:, a_i]
            if a in proj_cat:
                pcid = proj_cat[a]
                P = np.clip(tgt * 0.6 + rng.normal(0, 18, n), 0, 100)
                for (k, cid), p in cat_fix.items():
                    if cid == pcid:
                        P[k] = p
                P = np.minimum(P, tgt / BONUS)  # core must stay >= 0
                for k, (own, v) in cap.items():
                    if own != pcid:
                        P[k] = min(P[k], v - 0.1)
                free = [k for k in range(n) if (k, pcid) not in cat_fix]
                P[free[int(np.argmin(P[free]))]] = 0.0
                able = [k for k in free if tgt[k] >= 100 * BONUS and k not in cap]
                P[able[int(np.argmax(P[able]))]] = 100.0
                core[:, a_i] = tgt - BONUS * P
                for iid in ind_e.loc[ind_e.category_id == pcid, "indicator_id"]:
                    U[iid] = P.copy()
                    frozen[iid] = np.ones(n, bool)
            core_t = core[:, a_i]
            ia = ind_e[(ind_e.area_id == a) & (ind_e.projects == 0)]
            # yes/no indicators
            forced = {}  # (iid, k) -> 0/100
            for (k, cid), p in cat_fix.items():
                sub = ia[ia.category_id == cid]
                if not len(sub):
                    continue
                yn = list(sub.loc[sub.kind == "yes_no", "indicator_id"])
                cont = list(sub.loc[sub.kind != "yes_no", "indicator_id"])
                m = len(sub)
                need = p * m
                if cont:
                    y = int(round(p / 100 * len(yn)))
                    y = max(y, int(math.ceil((need - 100 * len(cont)) / 100 - 1e-9)))
                    y = min(y, int(math.floor(need / 100 + 1e-9)), len(yn))
                else:
                    y = int(round(need / 100))
                # a feature the city already had stays (steady adoption)
                had = [i for i in yn if last_seen.get(i, {}).get(city_ids[k], (0, False))[1]]
                yn = had + [i for i in yn if i not in had]
                for j, iid in enumerate(yn):
                    forced[(iid, k)] = 100.0 if j < y else 0.0
                rem = need - 100 * y
                # whole-number indicators take the nearest value on their grid; the others share
                # the rest, so that the category score is exact
                cw = [i for i in cont if i in whole]
                cf = [i for i in cont if i not in whole]
                for iid in cw:
                    lo_w, hi_w = whole[iid]
                    want = rem / len(cont)
                    steps = round(want / 100 * (hi_w - lo_w))
                    forced[(iid, k)] = 100.0 * steps / (hi_w - lo_w)
                    rem -= forced[(iid, k)]
                if cf:
                    for iid in cf:
                        forced[(iid, k)] = rem / len(cf)
                elif cw and abs(rem) > 1e-9:
                    log(f"  {E} {names[city_ids[k]]} {cid}: category fact off by {rem / m:.3f}")
            locked_steady = {}  # (iid, k) -> 0/100: adoption kept from the previous edition
            capped_no = set()  # (iid, k): one feature of each other category of a capped city
            soft = {}  # (iid, k) -> 0/100 learnt or capped: kept out of the swaps
            cap_cont = {}  # (category, k) -> upper bound of the city's continuous entries
            for k, (own, v) in cap.items():
                for cid in ia.category_id.unique():
                    sub = ia[(ia.category_id == cid) & (ia.kind == "yes_no")]
                    if cid == own or not len(sub):
                        continue
                    cands = [i for i in sub.indicator_id
                             if forced.get((i, k)) != 100.0
                             and not last_seen.get(i, {}).get(city_ids[k], (0, False))[1]]
                    if cands:
                        capped_no.add((cands[-1], k))
                    # the category's continuous entries stay low enough for its mean to be
                    # below the city's best category, whatever the features are
                    m_c = int((ia.category_id == cid).sum())
                    n_c = m_c - len(sub)
                    yes_max = len(sub) - (1 if cands else 0)
                    if n_c:
                        cap_cont[(cid, k)] = float(np.clip(((v - 0.1) * m_c - 100.0 * yes_max)
                                                           / n_c, 0.0, v - 0.1))
                    elif not cands:
                        log(f"  {E} {names[city_ids[k]]} {cid}: no feature can stay 0 for "
                            f"the best-category statement")
            for r in ia.itertuples():
                iid = r.indicator_id
                if r.kind != "yes_no":
                    continue
                share = modeled_share(rng_share, iid, E, published_shares)
                if not any(i2 == iid for (_, i2) in published_shares):
                    # no published share in any edition: about as common as the area's level
                    share = float(np.clip(core_t.mean() + rng_share[iid][2], 5.0, 96.0))
                    if iid in rules["steady"] and iid in share_seen:  # adoption spreads
                        share = max(share, 100.0 * max(share_seen[iid].values()))
                kcount = min(n - 1, max(1, service_count(share, n)))
                u = np.zeros(n)
                fyes = [k for k in range(n) if forced.get((iid, k)) == 100.0]
                fno = [k for k in range(n) if forced.get((iid, k)) == 0.0]
                for k in fno:  # a published 0 later: the city must not have had it earlier
                    if last_seen.get(iid, {}).get(city_ids[k], (0, False))[1]:
                        failures.add(("avoid", iid, city_ids[k], E))
                soft_no = []
                for k in range(n):  # learnt in an earlier pass (see generate)
                    if k in fyes or k in fno:
                        continue
                    if (iid, k) in capped_no or avoid.get((iid, city_ids[k]), 0) > E:
                        soft_no.append(k)
                    elif grant.get((iid, city_ids[k]), 9999) <= E:
                        fyes.append(k)
                        soft[(iid, k)] = 100.0
                if iid in rules["steady"] and iid in last_seen:
                    # each city against its own previous edition (Cottbus: 2019 -> 2025)
                    for k in range(n):
                        c = city_ids[k]
                        if c not in last_seen[iid]:
                            continue
                        e0, had = last_seen[iid][c]
                        if (e0, iid) in published_shares and (E, iid) in published_shares:
                            falls = published_shares[(E, iid)] < published_shares[(e0, iid)]
                        else:
                            falls = kcount / n < share_seen[iid][e0]
                        if falls and not had and k not in fyes:
                            locked_steady[(iid, k)] = 0.0
                        elif not falls and had and k not in fno:
                            locked_steady[(iid, k)] = 100.0
                    fyes = sorted(set(fyes) | {k for k in range(n)
                                               if locked_steady.get((iid, k)) == 100.0})
                    fno = sorted(set(fno) | {k for k in range(n)
                                             if locked_steady.get((iid, k)) == 0.0})
                # cities with an (almost) perfect area target must have every feature
                for k in range(n):
                    if core_t[k] >= 99.0 and k not in fno and k not in fyes:
                        fyes.append(k)
                kcount = min(max(kcount, len(fyes)), n - len(fno))
                # soft wishes give way to the count of cities (a published share)
                soft_no = [k for k in soft_no if k not in fyes][: max(0, n - len(fno) - kcount)]
                for k in soft_no:
                    soft[(iid, k)] = 0.0
                fno = sorted(set(fno) | set(soft_no))
                prop = core_t / 100.0 * 4.0 + rng.gumbel(0, 0.5, n)
                prop[fyes] = 1e9
                prop[fno] = -1e9
                chosen = np.argsort(-prop, kind="stable")[:kcount]
                u[chosen] = 100.0
                U[iid] = u
                fr = np.ones(n, bool)
                frozen[iid] = fr
            # continuous indicators
            for r in ia.itertuples():
                iid = r.indicator_id
                if r.kind == "yes_no":
                    continue
                f = SKEW.get((iid, E), 1.0)  # < 1: most cities far below the best one
                u = np.clip(core_t * f + rng.normal(0, 14 * f, n), 0, 100)
                fr = np.zeros(n, bool)
                for k in range(n):
                    if (iid, k) in forced:
                        u[k] = forced[(iid, k)]
                        fr[k] = True
                U[iid] = u
                frozen[iid] = fr

            # single indicator pins (raw values -> scores through the raw range)
            for e2, cname, iid, raw in INDICATOR_PINS:
                if e2 == E and iid in U and cname in by_name and by_name[cname] in idx:
                    lo, hi = RANGES[(iid, E)]
                    k = idx[by_name[cname]]
                    U[iid][k] = 100.0 * (raw - lo) / (hi - lo)
                    frozen[iid][k] = True
            iids = list(ia.indicator_id)
            # bounds of entries nested under another indicator of the same area (nested pairs
            # of two areas -- schools with fibre <= schools with broadband -- have disjoint raw
            # ranges instead, see NESTED_SPLIT)
            hib = {i: np.full(n, 100.0) for i in iids}
            lob = {i: np.zeros(n) for i in iids}
            icat_of = dict(zip(ia.indicator_id, ia.category_id, strict=True))
            for k, (own, v) in cap.items():
                for i in iids:
                    if icat_of[i] != own and ind_kind[i] != "yes_no":
                        hib[i][k] = min(hib[i][k], cap_cont.get((icat_of[i], k), v - 0.1))
                        if not frozen[i][k]:
                            U[i][k] = min(U[i][k], hib[i][k])
            # nested pairs in this area: the smaller one starts below the larger one; a common
            # shift keeps that order
            for _ in range(3):
                for a_, b_ in pairs:
                    if a_ in hib and b_ in hib:
                        both = ~frozen[a_] & ~frozen[b_]
                        lo_v = np.minimum(U[a_], U[b_])
                        hi_v = np.maximum(U[a_], U[b_])
                        U[a_] = np.where(both, lo_v, U[a_])
                        U[b_] = np.where(both, hi_v, U[b_])
            # every continuous indicator: one city at exactly 0 and one at exactly 100
            pins = {}
            lower_of = {a_: b_ for a_, b_ in pairs if a_ in hib and b_ in hib}
            for r in ia.itertuples():
                iid = r.indicator_id
                if r.kind == "yes_no":
                    continue
                u, fr = U[iid], frozen[iid]
                feat = U.get(amount_of.get(iid, ""))
                if not (fr & (u >= 100.0)).any():
                    cand = np.where(~fr & (hib[iid] >= 100.0))[0]
                    if feat is not None:  # an amount is at most where its feature is
                        cand = cand[feat[cand] >= 50]
                    top = cand[np.argsort(-(u[cand] + core_t[cand]), kind="stable")[:6]]
                    k = top[np.argmin([pins.get(c, 0) for c in top])]
                    u[k] = 100.0
                    fr[k] = True
                    pins[k] = pins.get(k, 0) + 1
                if feat is not None:
                    continue  # the cities without the feature have the amount 0
                if not (fr & (u <= 0.0)).any():
                    cand = np.where(~fr & (lob[iid] <= 0.0))[0]
                    bot = cand[np.argsort(u[cand] + core_t[cand], kind="stable")[:6]]
                    k = bot[np.argmin([pins.get(c, 0) for c in bot])]
                    u[k] = 0.0
                    fr[k] = True
                    pins[k] = pins.get(k, 0) + 1
            # pins of nested pairs: the larger one is 100 where the smaller one is, the smaller
            # one is 0 where the larger one is
            for _ in range(3):
                for a_, b_ in lower_of.items():
                    at100 = frozen[a_] & (U[a_] >= 100.0)
                    U[b_][at100], frozen[b_][at100] = 100.0, True
                    at0 = frozen[b_] & (U[b_] <= 0.0)
                    U[a_][at0], frozen[a_][at0] = 0.0, True
            for a_, b_ in lower_of.items():
                # one of the two frozen: the movable one is bounded by the frozen value
                hib[a_] = np.where(frozen[b_] & ~frozen[a_], np.minimum(hib[a_], U[b_]), hib[a_])
                lob[b_] = np.where(frozen[a_] & ~frozen[b_], np.maximum(lob[b_], U[a_]), lob[b_])

            # weights: area core = mean over categories of mean over indicators
            cids = sorted(ia.category_id.unique())
            w = {}
            for cid in cids:
                members = list(ia.loc[ia.category_id == cid, "indicator_id"])
                for iid in members:
                    w[iid] = 1.0 / len(cids) / len(members)
            icat = list(ia.category_id)
            is_yn = np.array([k == "yes_no" for k in ia.kind])
            W = np.array([w[i] for i in iids])
            M = np.vstack([U[i] for i in iids])  # indicators x cities
            FR = np.vstack([frozen[i] for i in iids])
            LOB = np.vstack([lob[i] for i in iids])
            HIB = np.vstack([hib[i] for i in iids])
            # amounts and their yes/no features: row of the amount -> row of the feature
            link = {iids.index(m): iids.index(f) for m, f in amount_of.items()
                    if m in iids and f in iids}
            amount_rows = np.array(sorted(link), dtype=int)
            feature_rows = np.array([link[j] for j in amount_rows], dtype=int)
            Wtot = W.copy()  # a feature's weight with the amounts that depend on it
            for j_m, j_f in link.items():
                Wtot[j_f] += W[j_m]

            fixed_cat = np.zeros(M.shape, bool)  # entries of a category with a fact
            for k, cid in cat_fix:
                for j, c in enumerate(icat):
                    if c == cid:
                        fixed_cat[j, k] = True
            locked = np.zeros(M.shape, bool)  # yes/no entries that may not swap
            for iid, k in list(forced) + list(locked_steady):
                if iid in iids:
                    locked[iids.index(iid), k] = True
            for j_m, j_f in link.items():  # the city with the largest amount keeps the feature
                locked[j_f] |= FR[j_m] & (M[j_m] >= 100.0)
            locked |= fixed_cat
            movable = ~FR & ~fixed_cat

            # repair: swap yes/no features between cities (keeps every count) until each
            # city's target lies inside what its movable entries can reach
            margin = 0.3
            skip = set()
            swaps = 0
            for _ in range(20000):
                fmin, fmax = _reach(M, W, movable, LOB, HIB,
                                    _no_feature(M, amount_rows, feature_rows))
                m_hi = np.minimum(np.minimum(margin, (100.0 - core_t) / 2), (fmax - fmin) / 4)
                m_lo = np.minimum(np.minimum(margin, core_t / 2), (fmax - fmin) / 4)
                bad = [(k, +1) for k in np.where(core_t > fmax - m_hi)[0] if k not in skip] + [
                    (k, -1) for k in np.where(core_t < fmin + m_lo)[0] if k not in skip
                ]
                if not bad:
                    break
                k, sign = bad[0]
                swaps += 1
                done = False
                for j in np.argsort(-W, kind="stable"):
                    if not is_yn[j] or locked[j, k]:
                        continue
                    have = M[j, k] >= 50
                    if (sign > 0 and have) or (sign < 0 and not have):
                        continue
                    # partner: has the opposite value and can afford the change
                    if sign > 0:  # partner gives its yes away
                        slack = fmax - 100 * Wtot[j] - core_t - margin
                    else:  # partner receives a yes
                        slack = core_t - (fmin + 100 * W[j]) - margin
                    ok = (~locked[j]) & ((M[j] >= 50) != have)
                    ok[k] = False
                    slack = np.where(ok, slack, -np.inf)
                    best = int(np.argmax(slack))
                    if slack[best] > 0:
                        M[j, k], M[j, best] = M[j, best], M[j, k]
                        skip.discard(best)  # the partner is checked again
                        done = True
                        break
                if not done:
                    # no partner (features kept by steady adoption): where no share is
                    # published for this edition, the city gains / loses the feature alone
                    for j in np.argsort(-W, kind="stable"):
                        if not is_yn[j] or locked[j, k] or (E, iids[j]) in published_shares:
                            continue
                        if sign > 0 and soft.get((iids[j], k)) == 0.0:
                            continue  # learnt: the city must not gain it here
                        have = M[j, k] >= 50
                        if (sign > 0) != have:
                            M[j, k] = 100.0 if sign > 0 else 0.0
                            done = True
                            break
                if not done:
                    if fmin[k] - 1e-9 <= core_t[k] <= fmax[k] + 1e-9:
                        skip.add(k)
                        continue
                    # features that steady adoption kept: the next pass avoids them earlier
                    # (target too low) or gives them earlier (target too high)
                    for j in range(len(iids)):
                        if is_yn[j] and (iids[j], k) not in forced:
                            has = M[j, k] >= 50
                            if sign < 0 and has:
                                failures.add(("avoid", iids[j], city_ids[k], E))
                            elif sign > 0 and not has:
                                failures.add(("grant", iids[j], city_ids[k], E))
                    log(
                        f"  {E} {a} {names[city_ids[k]]}: cannot repair (target {core_t[k]:.2f}, "
                        f"range {fmin[k]:.2f}-{fmax[k]:.2f})"
                    )
                    skip.add(k)
            if swaps > 3000:
                log(f"  {E} {a}: {swaps} repair steps")
            zero = _no_feature(M, amount_rows, feature_rows)
            M = np.where(zero, 0.0, M)
            movable &= ~zero
            is_whole = np.array([i in whole for i in iids])
            grid = np.array([100.0 / (whole[i][1] - whole[i][0]) if i in whole else 0.0
                             for i in iids])

            for k in range(n):
                mv = movable[:, k]
                _solve_city(M, W, k, mv, LOB, HIB, core_t[k])
                # counts are whole numbers: round them to their grid, then the other entries
                # absorb the difference
                wk = mv & is_whole
                if wk.any():
                    free_values = M[wk, k].copy()
                    for to_grid in (np.round, np.ceil, np.floor):
                        M[wk, k] = np.clip(to_grid(free_values / grid[wk]) * grid[wk],
                                           LOB[wk, k], HIB[wk, k])
                        got = _solve_city(M, W, k, mv & ~is_whole, LOB, HIB, core_t[k])
                        if abs(got - core_t[k]) <= 1e-6:
                            break
                else:
                    got = float((W * M[:, k]).sum())
                if abs(got - core_t[k]) > 1e-6:
                    log(
                        f"  {E} {a} {names[city_ids[k]]}: area core {got:.4f} "
                        f"instead of {core_t[k]:.4f}"
                    )
            for j, iid in enumerate(iids):
                U[iid] = M[j]
            if a in proj_cat:
                # 2021: where the features cannot reach the core exactly, the (modeled) projects
                # score takes up the difference, so that the area score still hits its target
                pids = list(ind_e.loc[ind_e.category_id == proj_cat[a], "indicator_id"])
                P = U[pids[0]]
                for k in range(n):
                    got = float((W * M[:, k]).sum())
                    p_new = (tgt[k] - got) / BONUS
                    if (abs(got - core_t[k]) > 1e-6 and (k, proj_cat[a]) not in cat_fix
                            and 0.0 < P[k] < 100.0 and 0.0 < p_new < 100.0):
                        for pid in pids:
                            U[pid][k] = p_new

        # adoption carried to the next edition of every city
        for r in ind_e.itertuples():
            if r.kind == "yes_no":
                u = U[r.indicator_id]
                seen = last_seen.setdefault(r.indicator_id, {})
                for k in range(n):
                    seen[city_ids[k]] = (E, bool(u[k] >= 50))
                share_seen.setdefault(r.indicator_id, {})[E] = float((u >= 50).sum()) / n

        # raw values
        src = f"modeled: scripts/generate_modeled_values.py seed {seed}"
        ranges_e = {}
        for r in ind_e.itertuples():
            iid = r.indicator_id
            if r.kind == "yes_no":
                continue
            if iid in whole:
                ranges_e[iid] = whole[iid]
                continue
            lo, hi = raw_range(iid, r.kind, str(r.unit), E, rng)
            if (iid, E) in MEANS:  # published national mean: calibrate the range
                mean, fixed_end = MEANS[(iid, E)]
                m = float(np.mean(U[iid])) / 100.0
                if fixed_end == "hi":
                    lo = (mean - hi * m) / (1.0 - m)
                else:
                    hi = lo + (mean - lo) / m
                if not 0 <= lo < mean < hi:
                    log(f"  {E} {iid}: cannot calibrate the range to the mean {mean}")
                    lo, hi = raw_range(iid, r.kind, str(r.unit), E, rng)
            if iid in amount_of:
                lo = 0.0  # no feature, no amount
            ranges_e[iid] = (lo, hi)
        # nested quantities: the smaller one's range lies below the larger one's (with its
        # score at most the larger one's score, its value is then at most the larger value)
        for (a_, b_), split in NESTED_SPLIT.items():
            if a_ in ranges_e and b_ in ranges_e:
                ranges_e[a_] = (min(ranges_e[a_][0], split - 10.0), split)
                ranges_e[b_] = (split, max(ranges_e[b_][1], split + 5.0))
        for _ in range(len(pairs) + 1):
            for a_, b_ in pairs:
                if (a_, b_) in NESTED_SPLIT:
                    continue
                if a_ in ranges_e and b_ in ranges_e:
                    (la, ha), (lb, hb) = ranges_e[a_], ranges_e[b_]
                    la, ha = min(la, lb), min(ha, hb)
                    if ha - la < 1.0:
                        la = min(max(0.0, ha - 10.0), lb)
                    ranges_e[a_] = (la, ha)
        for r in ind_e.itertuples():
            iid = r.indicator_id
            u = U[iid]
            if r.kind == "yes_no":
                vals = (u >= 50).astype(int)
                fmt = [str(int(v)) for v in vals]
            else:
                lo, hi = ranges_e[iid]
                raw = (
                    lo + (hi - lo) * u / 100.0
                    if int(r.direction) == 1
                    else hi - (hi - lo) * u / 100.0
                )
                if iid in whole:
                    raw = np.round(raw)
                fmt = [fmt_num(v) for v in raw]
            for k, c in enumerate(city_ids):
                rows.append((E, c, iid, fmt[k], "modeled", src))
    return rows


def load_constraints(data_dir):
    """The rules of data/constraints.csv that the generator honours (cityindex/constraints.py
    checks them): whole numbers, nested quantities, yes/no features and their amounts, steady
    adoption."""
    path = os.path.join(data_dir, "constraints.csv")
    out = {"whole_number": set(), "at_most": [], "amount_of": {}, "steady": set()}
    if not os.path.exists(path):
        return out
    c = pd.read_csv(path, dtype=str, keep_default_na=False)
    for r in c.itertuples():
        if r.rule in ("whole_number", "steady"):
            out[r.rule].add(r.indicator_id)
        elif r.rule == "at_most":
            out["at_most"].append((r.indicator_id, r.other_indicator_id))
        elif r.rule == "amount_of":
            out["amount_of"][r.indicator_id] = r.other_indicator_id
    return out


def whole_range(iid, kind, unit, E):
    """Raw range of a whole-number indicator: whole end points at least 3 apart."""
    lo, hi = raw_range(iid, kind, unit, E, None)
    lo, hi = float(round(lo)), float(round(hi))
    return lo, max(hi, lo + 3.0)


def raw_range(iid, kind, unit, E, rng):
    if (iid, E) in RANGES:
        return RANGES[(iid, E)]
    h = sum(ord(ch) * (i + 1) for i, ch in enumerate(iid)) % 1000 / 1000.0  # stable per indicator
    g = (E - 2019) / 6.0
    if kind == "share":
        lo = round(2 + 25 * h * (1 - g * 0.5), 2)
        hi = round(min(100.0, 55 + 35 * h + 15 * g), 2)
        return (lo, max(hi, lo + 10))
    if kind == "score":
        if "1-5" in unit:
            return (1.0, 5.0)
        if "0-4" in unit:
            return (0.0, 4.0)
        return (0.0, 100.0)
    # counts
    if "days" in unit:
        return (round(1 + 2 * h, 2), round(25 + 30 * h * (1 - g * 0.4), 2))
    if "hours" in unit:
        return (round(0.5 + h, 2), round(48 + 48 * h, 2))
    if "cars per charging point" in unit:
        return (round(4 + 3 * h, 2), round(40 - 10 * g, 2))
    if "percentage points" in unit:
        return (0.0, round(2 + 6 * g, 2))
    scale = 1 + 4 * h
    return (0.0, round(scale * (1 + 2 * g) * (10 if "per 1,000" not in unit else 1), 2))


def fmt_num(v):
    s = f"{v:.10f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--data", default=os.path.join(here, "..", "data"))
    ap.add_argument("--out", default=None, help="output file (default DATA/values.csv)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    out = a.out or os.path.join(a.data, "values.csv")
    log = (lambda *s: None) if a.quiet else (lambda *s: print(*s, file=sys.stderr))
    rows = generate(a.data, a.seed, log)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["edition", "city_id", "indicator_id", "value", "provenance", "source"])
        w.writerows(rows)
    log(f"wrote {len(rows)} rows to {out}")


if __name__ == "__main__":
    main()
