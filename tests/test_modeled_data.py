"""The modeled indicator layer (data/values.csv) against everything that is published.

data/values.csv is made by scripts/generate_modeled_values.py. These tests check that the
``bitkom`` method, run on it through the public API, reproduces the published results, that the
service shares and the facts of the two seed articles hold, and that the file is complete,
honestly labelled and reproducible byte for byte.
"""

from __future__ import annotations

import importlib.util
import math
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import cityindex

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SCRIPT = ROOT / "scripts" / "generate_modeled_values.py"
EDITIONS = list(range(2019, 2026))
AREAS = ["verwaltung", "it_kommunikation", "energie_umwelt", "mobilitaet", "gesellschaft"]
TOL = 0.05


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_modeled_values", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


gen = _load_generator()


def _csv(name):
    return pd.read_csv(DATA / name, dtype={"city_id": str})


@pytest.fixture(scope="module")
def cities():
    c = _csv("cities.csv")
    return dict(zip(c.name, c.city_id, strict=False))


@pytest.fixture(scope="module")
def values():
    return _csv("values.csv")


@pytest.fixture(scope="module")
def results():
    ds = cityindex.load_dataset(DATA)
    return {e: cityindex.score(ds, "bitkom", edition=e) for e in EDITIONS}


def area_rank(table, scope, city_id):
    """Rank as published: 1 + number of cities with a strictly higher score."""
    col = table[scope]
    return int(1 + (col > col[city_id]).sum())


def used_published():
    pub = _csv("published.csv")
    names = dict(zip(_csv("cities.csv").city_id, _csv("cities.csv").name, strict=False))
    return gen.used_published(pub, names)


# --------------------------------------------------------------------------- reproducibility
def test_regeneration_is_byte_identical(tmp_path):
    out = tmp_path / "values.csv"
    gen.main(["--data", str(DATA), "--out", str(out), "--quiet"])
    assert out.read_bytes() == (DATA / "values.csv").read_bytes()


def test_catalogue_regeneration_is_byte_identical(tmp_path):
    script = Path(__file__).resolve().parent.parent / "scripts" / "build_catalogue.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path), "--quiet"], check=True)
    for name in ("areas.csv", "categories.csv", "indicators.csv", "constraints.csv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


# --------------------------------------------------------------------------- completeness / labels
def test_every_value_is_labelled_modeled(values):
    assert (values.provenance == "modeled").all()
    assert values.source.str.startswith("modeled: scripts/generate_modeled_values.py").all()


def test_every_indicator_has_a_value_for_every_participating_city(values):
    part = _csv("participation.csv")
    inds = _csv("indicators.csv")
    assert not values.duplicated(["edition", "city_id", "indicator_id"]).any()
    assert values.value.notna().all()
    for e in EDITIONS:
        want = {
            (c, i)
            for c in part.loc[part.edition == e, "city_id"]
            for i in inds.loc[inds.edition == e, "indicator_id"]
        }
        got = set(
            zip(
                values.loc[values.edition == e, "city_id"],
                values.loc[values.edition == e, "indicator_id"],
                strict=False,
            )
        )
        assert got == want, e


def test_values_respect_their_kind(values):
    inds = _csv("indicators.csv")[["edition", "indicator_id", "kind"]]
    v = values.merge(inds, on=["edition", "indicator_id"])
    assert set(v.loc[v.kind == "yes_no", "value"].unique()) <= {0, 1}
    assert v.loc[v.kind == "share", "value"].between(0, 100).all()
    assert (v.loc[v.kind == "count", "value"] >= 0).all()


# --------------------------------------------------------------------------- catalogue
def test_catalogue_sizes_match_bitkom():
    cats, inds = _csv("categories.csv"), _csv("indicators.csv")
    assert cats.groupby("edition").size().to_dict() == {
        2019: 35,
        2020: 38,
        2021: 36,
        2022: 36,
        2023: 37,
        2024: 37,
        2025: 37,
    }
    assert inds.groupby("edition").size().to_dict() == {
        2019: 96,
        2020: 136,
        2021: 133,
        2022: 133,
        2023: 157,
        2024: 162,
        2025: 163,
    }
    areas = _csv("areas.csv")
    assert (areas.groupby("edition").area_id.apply(sorted) == [sorted(AREAS)] * 7).all()
    for col, frame in (("category_id", cats), ("indicator_id", inds)):
        assert frame[col].map(lambda s: re.fullmatch(r"[a-z0-9_]+", s) is not None).all()


def test_service_indicators_and_projects_categories():
    cats, inds = _csv("categories.csv"), _csv("indicators.csv")
    shares = _csv("service_shares.csv")
    services = shares.loc[shares.edition == 2022, "indicator_id"]
    assert len(services) == 15
    for e in (2021, 2022):
        ie = inds[inds.edition == e].set_index("indicator_id")
        for s in services:
            assert ie.loc[s, "kind"] == "yes_no" and ie.loc[s, "service"] == 1, (e, s)
    c21 = cats[(cats.edition == 2021) & (cats.projects == 1)]
    assert sorted(c21.area_id) == sorted(AREAS)
    assert "projekte_verwaltung" in set(c21.category_id)
    assert {"payment", "projekte_verwaltung"} <= set(cats.loc[cats.edition == 2021, "category_id"])


# --------------------------------------------------------------------------- published results
@pytest.mark.parametrize("edition", EDITIONS)
def test_bitkom_reproduces_published_points_and_ranks(edition, results):
    table = results[edition].table
    pub = used_published()
    pub = pub[(pub.edition == edition) & pub.scope.isin(["total"] + AREAS)]
    checked = 0
    for r in pub.itertuples():
        if not pd.isna(r.points):
            assert abs(table.loc[r.city_id, r.scope] - r.points) <= TOL, (
                r.city_id,
                r.scope,
                r.points,
            )
            checked += 1
        if not pd.isna(r.rank):
            got = (
                int(table.loc[r.city_id, "rank"])
                if r.scope == "total"
                else area_rank(table, r.scope, r.city_id)
            )
            assert got == int(r.rank), (r.city_id, r.scope, r.rank, got)
            checked += 1
    assert checked > 20


def test_no_used_figure_is_left_out():
    # Göttingen's 2022 total rank 42 (derived from a 2023 article) contradicts its four
    # published 2022 area scores: published.csv keeps it as an alternative, so the generator
    # honours every used figure and sets none aside.
    assert gen.EXCLUDE == {}
    pub = _csv("published.csv")
    row = pub[(pub.edition == 2022) & (pub.city_id == "03159016") & (pub.scope == "total")]
    assert row[["rank", "status"]].values.tolist() == [[42, "alternative"]]


def test_published_rank_changes_hold(results):
    pub = used_published()
    names = dict(zip(_csv("cities.csv").city_id, _csv("cities.csv").name, strict=False))
    rc = pub[pub.rank_change.notna() & pub.scope.isin(["total"] + AREAS) & (pub.edition > 2019)]
    # known conflicts (kept visible in published.csv / data/README.md):
    known = {
        (2022, "Gelsenkirchen", "total"),  # -3 vs the used 2021 rank 11 (a local report)
        (2022, "Mülheim an der Ruhr", "total"),
    }  # +3 -> 77 in 2021, but Remscheid is 77th
    failed = []
    for r in rc.itertuples():
        # a change stated without a rank holds between the modeled ranks of the two editions
        cur = (
            int(r.rank)
            if not pd.isna(r.rank)
            else area_rank(results[r.edition].table, r.scope, r.city_id)
        )
        prev = area_rank(results[r.edition - 1].table, r.scope, r.city_id)
        if prev != cur + int(r.rank_change) and (r.edition, names[r.city_id], r.scope) not in known:
            failed.append((r.edition, names[r.city_id], r.scope, r.rank, r.rank_change, prev))
    assert not failed


@pytest.mark.parametrize("edition,mean", [(2021, 52.4), (2024, 67.6), (2025, 70.8)])
def test_published_national_means(edition, mean, results):
    assert abs(results[edition].table["total"].mean() - mean) <= TOL


# --------------------------------------------------------------------------- service shares
def test_service_shares(values):
    shares = _csv("service_shares.csv")
    part = _csv("participation.csv")
    assert len(shares[shares.edition == 2021]) >= 14 and len(shares[shares.edition == 2022]) == 15
    for r in shares.itertuples():
        n = int((part.edition == r.edition).sum())
        v = values[(values.edition == r.edition) & (values.indicator_id == r.indicator_id)]
        k = int(v.value.sum())
        # share x n cities rounded to the nearest city (half up)
        assert k == math.floor(r.share * n / 100 + 0.5), (r.edition, r.indicator_id)
        assert abs(100 * k / n - r.share) <= 50 / n + 1e-9  # within half a city
        if not (r.edition == 2020 and r.indicator_id == "multimodale_app"):  # 24 % is not k/81
            assert round(100 * k / n) == r.share, (r.edition, r.indicator_id)


# --------------------------------------------------------------------------- seed facts
def test_seed_facts_2021_krefeld(results, cities):
    t, cats = results[2021].table, results[2021].categories
    kr = cities["Krefeld"]
    assert abs(cats.loc[kr, "payment"] - 92.5) <= TOL
    assert abs(cats.loc[kr, "projekte_verwaltung"] - 11.7) <= TOL
    assert abs(t.loc[kr, "energie_umwelt"] - 23) <= TOL
    assert area_rank(t, "energie_umwelt", kr) == 77
    below = {
        area_rank(t, "energie_umwelt", cities[c])
        for c in ("Moers", "Hildesheim", "Siegen", "Remscheid")
    }
    assert below == {78, 79, 80, 81}
    assert abs(t.loc[cities["Hamburg"], "energie_umwelt"] - 78.5) <= TOL
    assert area_rank(t, "energie_umwelt", cities["Hamburg"]) == 1
    # "improved eight places over all areas", "37 places in administration"
    t20 = results[2020].table
    assert int(t20.loc[kr, "rank"]) - int(t.loc[kr, "rank"]) == 8
    assert area_rank(t20, "verwaltung", kr) - area_rank(t, "verwaltung", kr) == 37


def test_seed_facts_2022(results, cities):
    t = results[2022].table
    expect = {
        "Hamburg": (1, 86.1),
        "München": (2, 85.3),
        "Bochum": (8, 77.0),
        "Gelsenkirchen": (17, None),
        "Dortmund": (19, None),
        "Duisburg": (41, None),
        "Mülheim an der Ruhr": (74, None),
    }
    for name, (rank, points) in expect.items():
        c = cities[name]
        assert int(t.loc[c, "rank"]) == rank, name
        if points is not None:
            assert abs(t.loc[c, "total"] - points) <= TOL, name
    assert area_rank(t, "verwaltung", cities["Duisburg"]) == 10
    t21 = results[2021].table
    assert int(t21.loc[cities["Bochum"], "rank"]) - 8 == -1  # Bochum lost one place
    assert int(t21.loc[cities["Dortmund"], "rank"]) - 19 == 3  # Dortmund gained three


def test_seed_service_shares_2022(values):
    n = 81
    v = values[values.edition == 2022].groupby("indicator_id").value.sum()
    assert round(100 * v["baugenehmigung_digital"] / n) == 10  # "every tenth city"
    assert round(100 * v["ummeldung_online"] / n) == 17
    assert 100 * v["kfz_zulassung_online"] / n > 90 and 100 * v["kfz_abmeldung_online"] / n > 90
    assert 45 <= 100 * v["termin_standesamt"] / n <= 60  # "about half"
    assert 45 <= 100 * v["termin_auslaenderbehoerde"] / n <= 60
    assert 22 <= 100 * v["termin_gewerbeamt"] / n <= 28  # "every fourth city"


# --------------------------------------------------------------------------- other quoted facts
def test_published_category_scores(results):
    pub = used_published()
    cats = pub[~pub.scope.isin(["total", *AREAS]) & pub.points.notna()]
    assert len(cats) == 28  # Krefeld's two (seed) and 26 quoted by newspapers and city offices
    assert cats.source.str.startswith("http").sum() == 26
    for r in cats.itertuples():
        got = results[int(r.edition)].categories.loc[r.city_id, r.scope]
        assert abs(got - r.points) <= TOL, (r.edition, r.city_id, r.scope, got)


def test_quoted_indicator_values(values, cities):
    for edition, name, iid, raw in gen.INDICATOR_PINS:
        v = (
            values[(values.edition == edition) & (values.indicator_id == iid)]
            .set_index("city_id")
            .value
        )
        assert abs(v[cities[name]] - raw) < 1e-9
    e21 = values[(values.edition == 2021) & (values.indicator_id == "e_fahrzeuge_anteil")]
    assert e21.value.max() == 6.9  # Wolfsburg's 6.9 % is the best value
    e23 = values[(values.edition == 2023) & (values.indicator_id == "e_fahrzeuge_anteil")]
    assert (e23.value.min(), e23.value.max()) == (0.1, 7.8)  # Salzgitter 0, Wiesbaden 100


def test_published_indicator_means(values):
    # charging points per 1,000 inhabitants 0.45 (2021) and 1.46 (2024); PV 18.5 MW per 100,000
    # inhabitants (2024); 32 % low-emission buses (2024) -- Bitkom's 2024 study report
    for (iid, edition), (mean, _) in gen.MEANS.items():
        v = values[(values.edition == edition) & (values.indicator_id == iid)].value
        assert abs(v.mean() - mean) < 0.005, (iid, edition)
    assert gen.MEANS[("ladepunkte_pro_1000", 2021)][0] == 0.45
