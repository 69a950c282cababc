"""Domain constraints (constraints.csv, cityindex.constraints): what a value can be and how
indicators are linked -- on small hand-made tables, through `load_dataset`, and on data/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import cityindex
from cityindex.constraints import RULES, check_constraints, expand_constraints
from cityindex.dataset import DatasetError

DATA = Path(__file__).resolve().parent.parent / "data"


# --------------------------------------------------------------------------- hand-made tables
def catalogue():
    rows = []
    for e in (2021, 2022):
        rows += [
            (e, "hubs", "count"),
            (e, "gigabit", "share"),
            (e, "fast", "share"),
            (e, "portal", "yes_no"),
            (e, "services", "count"),
            (e, "appointments", "yes_no"),
        ]
    return pd.DataFrame(rows, columns=["edition", "indicator_id", "kind"])


def rules(*rows):
    return pd.DataFrame(
        [(e, i, r, o, "") for e, i, r, o in rows],
        columns=["edition", "indicator_id", "rule", "other_indicator_id", "note"],
    )


def values(rows):
    return pd.DataFrame(rows, columns=["edition", "city_id", "indicator_id", "value"])


def test_no_constraints_no_problems():
    v = values([(2021, "a", "hubs", 2.5)])
    assert check_constraints(None, v, catalogue()) == []
    assert check_constraints(rules(), v, catalogue()) == []


def test_whole_number_names_row_column_and_hint():
    v = values([(2021, "a", "hubs", 3.0), (2021, "b", "hubs", 2.5), (2022, "a", "hubs", -1.0)])
    problems = check_constraints(rules((None, "hubs", "whole_number", "")), v, catalogue())
    # rows count the header as row 1: the second and third value rows are 3 and 4
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("values.csv", 3, "value"),
        ("values.csv", 4, "value"),
    ]
    assert "2.5 hubs" in problems[0].message and "constraints.csv row 2" in problems[0].message
    assert "whole number" in problems[0].hint


def test_edition_row_holds_only_in_its_edition():
    v = values([(2021, "a", "hubs", 2.5), (2022, "a", "hubs", 2.5)])
    problems = check_constraints(rules((2022, "hubs", "whole_number", "")), v, catalogue())
    assert [p.row for p in problems] == [3]


def test_share_rate_and_yes_no():
    v = values([
        (2021, "a", "gigabit", 100.5),
        (2021, "a", "services", -0.1),
        (2021, "a", "portal", 0.5),
        (2021, "b", "portal", 1.0),
    ])
    r = rules((None, "gigabit", "share", ""), (None, "services", "rate", ""),
              (None, "portal", "yes_no", ""))
    assert sorted(p.row for p in check_constraints(r, v, catalogue())) == [2, 3, 4]


def test_at_most_nested_shares():
    v = values([
        (2021, "a", "gigabit", 60.0), (2021, "a", "fast", 50.0),  # inverted
        (2021, "b", "gigabit", 50.0), (2021, "b", "fast", 50.0),  # equal: fine
        (2022, "a", "gigabit", 10.0), (2022, "a", "fast", 90.0),
    ])
    problems = check_constraints(rules((None, "gigabit", "at_most", "fast")), v, catalogue())
    assert len(problems) == 1
    assert problems[0].row == 2
    assert "60 gigabit" in problems[0].message and "50 fast" in problems[0].message
    assert "at most 50" in problems[0].hint


def test_amount_of_feature():
    v = values([
        (2021, "a", "portal", 0.0), (2021, "a", "services", 3.0),  # amount without feature
        (2021, "b", "portal", 1.0), (2021, "b", "services", 0.0),  # feature, no amount: fine
        (2021, "c", "portal", 0.0), (2021, "c", "services", 0.0),
    ])
    problems = check_constraints(rules((None, "services", "amount_of", "portal")), v,
                                 catalogue())
    assert [(p.row, p.column) for p in problems] == [(3, "value")]
    assert "feature portal is 0" in problems[0].message


def test_steady_adoption_against_the_published_share():
    v = values([
        (2021, "a", "appointments", 1.0), (2022, "a", "appointments", 0.0),
        (2021, "b", "appointments", 0.0), (2022, "b", "appointments", 1.0),
    ])
    r = rules((None, "appointments", "steady", ""))
    rising = pd.DataFrame({"edition": [2021, 2022], "indicator_id": ["appointments"] * 2,
                           "share": [44.0, 56.0]})
    problems = check_constraints(r, v, catalogue(), service_shares=rising)
    assert [p.row for p in problems] == [3]
    assert "44 % → 56 %" in problems[0].message
    falling = rising.assign(share=[56.0, 44.0])
    assert check_constraints(r, v, catalogue(), service_shares=falling) == []
    # without published shares: the share in the data (50 % -> 50 %) did not fall
    assert len(check_constraints(r, v, catalogue())) == 1


def test_published_share_to_the_nearest_city():
    part = pd.DataFrame({"edition": [2021] * 4, "city_id": list("abcd")})
    v = values([(2021, c, "appointments", x) for c, x in zip("abcd", (1, 1, 1, 0), strict=True)])
    r = rules((None, "appointments", "published_share", ""))
    shares = pd.DataFrame({"edition": [2021], "indicator_id": ["appointments"], "share": [75.0]})
    assert check_constraints(r, v, catalogue(), part, shares) == []
    shares["share"] = 50.0  # 3 of 4 is 75 %, more than half a city (12.5 %) away
    problems = check_constraints(r, v, catalogue(), part, shares)
    assert [(p.file, p.row, p.column) for p in problems] == [("service_shares.csv", 2, "share")]
    assert "2 of the 4 cities" in problems[0].hint


@pytest.mark.parametrize(
    "row,column,fragment",
    [
        ((None, "hubs", "integer", ""), "rule", "not a known rule"),
        ((None, "nope", "whole_number", ""), "indicator_id", "not in indicators.csv"),
        ((None, "gigabit", "at_most", ""), "other_indicator_id", "needs the linked"),
        ((None, "services", "amount_of", "hubs"), "other_indicator_id", "not a yes/no"),
        ((None, "hubs", "whole_number", "fast"), "other_indicator_id", "takes no linked"),
        ((None, "gigabit", "yes_no", ""), "rule", "does not fit"),
    ],
)
def test_declaration_problems_are_located(row, column, fragment):
    problems = check_constraints(rules(row), values([(2021, "a", "hubs", 1.0)]), catalogue())
    assert [(p.file, p.row, p.column) for p in problems] == [("constraints.csv", 2, column)]
    assert fragment in problems[0].message and problems[0].hint


def test_expand_links_only_where_both_exist():
    cat = pd.concat([catalogue(), pd.DataFrame([(2023, "gigabit", "share")],
                                               columns=["edition", "indicator_id", "kind"])])
    out = expand_constraints(rules((None, "gigabit", "at_most", "fast")), cat)
    assert sorted(out["edition"]) == [2021, 2022]


# --------------------------------------------------------------------------- load_dataset
def test_validate_reports_a_violation_with_file_row_column_and_hint(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("geo", "sources"))
    vals = pd.read_csv(folder / "values.csv", dtype=str, keep_default_na=False)
    hit = vals.index[(vals.indicator_id == "startup_hubs_anzahl") & (vals.edition == "2022")][0]
    vals.loc[hit, "value"] = "3.5"
    vals.to_csv(folder / "values.csv", index=False)
    with pytest.raises(DatasetError) as err:
        cityindex.load_dataset(folder)
    problems = err.value.problems
    assert len(problems) == 1
    p = problems[0]
    assert (Path(p.file).name, p.row, p.column) == ("values.csv", hit + 2, "value")
    assert "not a whole number" in p.message and p.hint


# --------------------------------------------------------------------------- data/
def _data():
    def read(name, **kw):
        return pd.read_csv(DATA / name, dtype={"city_id": str}, **kw)

    cons = read("constraints.csv", keep_default_na=False)
    cons["edition"] = pd.to_numeric(cons["edition"], errors="coerce")
    return (cons, read("values.csv"), read("indicators.csv"), read("participation.csv"),
            read("service_shares.csv"))


@pytest.fixture(scope="module")
def data():
    return _data()


def _by_rule(problems, cons):
    out = {r: 0 for r in RULES}
    for p in problems:
        m = re.search(r"constraints\.csv row (\d+)", p.message)
        rule = cons.loc[int(m.group(1)) - 2, "rule"] if m else "published_share"
        out[rule] += 1
    return out


# One planted violation per rule: (rule, function that changes the values table)
def _plant(rule, v):
    v = v.copy()

    def at(edition, indicator, city=None):
        sel = (v.edition == edition) & (v.indicator_id == indicator)
        if city is not None:
            sel &= v.city_id == city
        return v.index[sel]

    if rule == "whole_number":
        v.loc[at(2022, "startup_hubs_anzahl")[0], "value"] += 0.5
    elif rule in ("rate", "score", "share", "yes_no"):
        ind = {"rate": "ladepunkte_pro_1000", "score": "website_nutzerfreundlichkeit",
               "share": "lte_abdeckung", "yes_no": "lorawan"}
        v.loc[at(2022, ind[rule])[0], "value"] = {"rate": -1.0, "score": -1.0, "share": 101.0,
                                                  "yes_no": 0.5}[rule]
    elif rule == "at_most":
        i = at(2022, "breitband_1000mbit")[0]
        j = at(2022, "breitband_100mbit", v.loc[i, "city_id"])[0]
        v.loc[i, "value"] = v.loc[j, "value"] + 1.0
    elif rule == "amount_of":
        off = v.index[(v.edition == 2022) & (v.indicator_id == "lorawan") & (v.value == 0)][0]
        v.loc[at(2022, "lorawan_gateways", v.loc[off, "city_id"])[0], "value"] = 2.0
    elif rule == "steady":
        # a city with the registry-office appointment in 2021 loses it in 2022 (44 % -> 56 %)
        had = v.index[(v.edition == 2021) & (v.indicator_id == "termin_standesamt")
                      & (v.value == 1)]
        city = v.loc[had[0], "city_id"]
        v.loc[at(2022, "termin_standesamt", city)[0], "value"] = 0.0
        # keep the published 2022 share: another city gains it
        other = v.index[(v.edition == 2022) & (v.indicator_id == "termin_standesamt")
                        & (v.value == 0) & (v.city_id != city)]
        v.loc[other[-1], "value"] = 1.0
    elif rule == "published_share":
        v.loc[at(2022, "ummeldung_online"), "value"] = 1.0
    return v


@pytest.mark.parametrize("rule", RULES)
def test_data_respects_every_rule(rule, data):
    cons, vals, inds, part, shares = data
    assert (cons["rule"] == rule).sum() > 0  # the data declares the rule
    base = _by_rule(check_constraints(cons, vals, inds, part, shares), cons)
    assert base[rule] == 0
    # and the check is not vacuous: one planted violation is found
    planted = _by_rule(check_constraints(cons, _plant(rule, vals), inds, part, shares), cons)
    assert planted[rule] >= 1


def test_every_indicator_has_one_value_type(data):
    cons, _, inds, _, _ = data
    types = cons[cons["rule"].isin(["whole_number", "rate", "share", "score", "yes_no"])]
    assert not types["indicator_id"].duplicated().any()
    assert set(types["indicator_id"]) == set(inds["indicator_id"])
    whole = set(types.loc[types["rule"] == "whole_number", "indicator_id"])
    assert {"social_media_kanaele", "serviceportal_leistungen", "startup_hubs_anzahl",
            "hackathons", "beteiligungsverfahren_online"} <= whole


def test_the_issue_examples_are_declared(data):
    cons = data[0]
    pairs = set(zip(cons["indicator_id"], cons["rule"], cons["other_indicator_id"], strict=True))
    assert ("breitband_1000mbit", "at_most", "breitband_100mbit") in pairs
    assert ("glasfaser_haushalte", "at_most", "breitband_1000mbit") in pairs
    assert ("schulen_glasfaser_anteil", "at_most", "breitband_schulen") in pairs
    assert ("busse_elektro_anteil", "at_most", "busse_emissionsarm_anteil") in pairs
    assert ("digitale_verkehrsschilder_anzahl", "amount_of",
            "digitale_verkehrsschilder_vorhanden") in pairs
    assert ("termin_standesamt", "steady", "") in pairs
