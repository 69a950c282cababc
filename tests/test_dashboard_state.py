"""The dashboard as its users meet it (issue 9, issue 8's upload), driven by AppTest: a state
that holds (the profile follows the city, the language switch keeps every choice and the link),
names shown as text, empty states, and the user's own data uploaded for one session."""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from cityindex import i18n

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "dashboard.py")
TINY = REPO / "tests" / "fixtures" / "tiny"
KREFELD, MUENCHEN = "05114000", "09162000"
TABLE = {"view": "table"}  # the ranking tab's table view (it opens on its chart)


def run_app(query: dict | None = None, at=None):
    from streamlit.testing.v1 import AppTest

    at = at if at is not None else AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def query_of(at) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in dict(at.query_params).items()}


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def shown(element) -> str:
    """What the reader sees of a markdown element (the app escapes markup in names and puts an
    invisible word joiner into a bare web address)."""
    return shown_text(element.value)


def shown_text(text) -> str:
    """Text as the reader sees it: markdown escapes and invisible word joiners taken out."""
    return re.sub(r"\\(.)", r"\1", str(text)).replace("\u2060", "")


# --- the city profile follows the user --------------------------------------------------------


def test_the_comparison_group_follows_the_city_until_the_user_picks_one():
    at = run_app({"tab": "profile", "profile": KREFELD})
    assert_clean(at)
    assert at.selectbox(key="profile_peer").value == "state:Nordrhein-Westfalen"
    at.selectbox(key="profile").select(MUENCHEN).run()
    assert_clean(at)
    assert at.selectbox(key="profile_peer").value == "state:Bayern"  # not Krefeld's NRW
    assert "profile_peer" not in query_of(at)  # a default is not written into the link
    at.selectbox(key="profile_peer").select("all").run()  # the user's own choice: all cities
    at.selectbox(key="profile").select(KREFELD).run()
    assert at.selectbox(key="profile_peer").value == "all"  # now it stays
    link = query_of(at)
    assert link["profile_peer"] == ["all"] and link["profile"] == [KREFELD]
    again = run_app({k: v[0] for k, v in link.items()})  # and the link brings it back
    assert again.selectbox(key="profile_peer").value == "all"


def test_a_picked_city_outlives_an_edition_that_does_not_assess_it():
    """Hanau joined the index after 2019: its profile in 2019 says so and shows the default
    city; back in 2025 it is Hanau again, and the link keeps Hanau throughout."""
    hanau = "06435014"
    at = run_app({"tab": "profile", "profile": hanau})
    assert_clean(at)
    assert at.selectbox(key="profile").value == hanau
    at.sidebar.selectbox(key="edition").select(2019).run()
    assert_clean(at)
    shown_city = at.selectbox(key="profile").value
    assert shown_city != hanau
    assert "Hanau ist in der Ausgabe 2019 nicht bewertet" in at.info[0].value
    assert query_of(at)["profile"] == [hanau]
    at.sidebar.selectbox(key="edition").select(2025).run()
    assert at.selectbox(key="profile").value == hanau
    assert not [i for i in at.info if "nicht bewertet" in i.value]
    again = run_app({"tab": "profile", "profile": hanau, "edition": "2019"})
    assert_clean(again)
    assert "Hanau ist in der Ausgabe 2019 nicht bewertet" in again.info[0].value
    assert query_of(again)["profile"] == [hanau]


def test_a_found_or_highlighted_city_is_the_profiles_default():
    at = run_app({"tab": "profile", "find": "krefeld"})
    assert_clean(at)
    assert at.selectbox(key="profile").value == KREFELD
    assert shown(at.subheader[0]).startswith("Krefeld · Rang")
    at = run_app({"tab": "profile", "city": MUENCHEN})
    assert at.selectbox(key="profile").value == MUENCHEN


# --- the language switch keeps every choice ---------------------------------------------------


def test_switching_the_language_keeps_every_choice_and_the_link():
    query = {"tab": "profile", "profile": KREFELD, "state": "Nordrhein-Westfalen",
             "city": [KREFELD, "05111000"], "edition": "2022", "method": "geometric",
             "p.floor": "5.5"}
    at = run_app(query)
    assert_clean(at)
    before = query_of(at)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert_clean(at)
    after = query_of(at)
    assert after.pop("lang") == ["en"]
    assert after == before
    # every select box speaks English now (an English widget of its own: see
    # dashboard_ui.common.localized; the choice is the German one's)
    method_box = at.sidebar.selectbox(key="method.en")
    assert method_box.value == "geometric"
    assert method_box.format_func(method_box.value) == "Geometric mean of the areas (geometric)"
    assert at.selectbox(key="profile_peer.en").format_func("state:Bayern") == "State Bayern"
    at.sidebar.radio(key="lang").set_value("de").run()
    assert query_of(at) == before  # a round trip changes nothing


def test_the_ranking_opens_on_its_chart_and_its_table_is_one_click_away():
    """The ranking tab shows its bar chart first and builds no grid (a first page is drawn
    sooner); "Tabelle" shows the table instead. Both views keep the markers' legend and the
    downloads; the choice is in the link, survives a language switch and a tab round trip, and
    a link restores it."""
    at = run_app({"state": "Saarland"})
    assert_clean(at)
    assert not at.dataframe and len(at.get("vega_lite_chart")) == 1
    assert [b.label for b in at.get("download_button")] == [
        "Als CSV herunterladen", "Als Excel-Datei herunterladen"]
    legend = i18n.t("provenance_legend", "de")
    assert any(legend in c.value for c in at.caption)
    colours = i18n.t("area_colors_legend", "de")
    assert not any(colours in c.value for c in at.caption)  # no table, no blue cells
    assert "view" not in query_of(at)

    choice = at.radio(key="ranking_view")
    assert choice.options == ["Diagramm", "Tabelle"] and choice.value == "chart"
    choice.set_value("table").run()
    assert_clean(at)
    assert not at.get("vega_lite_chart")
    assert at.dataframe[0].value["name"].tolist() == ["Saarbrücken"]
    assert len(at.get("download_button")) == 2 and any(colours in c.value for c in at.caption)
    link = query_of(at)
    assert link["view"] == ["table"]

    at.sidebar.radio(key="lang").set_value("en").run()
    assert_clean(at)
    english = at.radio(key="ranking_view.en")
    assert english.value == "table" and english.options == ["Chart", "Table"]
    assert at.dataframe[0].value["name"].tolist() == ["Saarbrücken"]
    assert query_of(at) == {**link, "lang": ["en"]}
    at.session_state["tabs.en"] = i18n.t("tab_map", "en")  # to the map and back
    at.run()
    at.session_state["tabs.en"] = i18n.t("tab_ranking", "en")
    at.run()
    assert_clean(at)
    assert at.radio(key="ranking_view.en").value == "table" and len(at.dataframe) == 1

    linked = run_app({"view": "table"})
    assert_clean(linked)
    assert len(linked.dataframe[0].value) == 83 and not linked.get("vega_lite_chart")


def test_the_same_method_on_both_scatter_axes_gives_a_note_not_a_traceback():
    at = run_app({"tab": "compare", "x": "bitkom", "y": "bitkom"})
    assert_clean(at)
    assert i18n.t("compare_same_axes", "de") in [i.value for i in at.info]
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3  # the slope chart and both correlation matrices
    assert query_of(at)["y"] == ["bitkom"]


def test_the_comparison_ranks_the_chosen_method_with_the_own_weights():
    """Own weights set in the sidebar apply on the compare tab too, and its title says so:
    Berlin's rank there is the one of score(..., weights=...), not the method's own."""
    import cityindex

    weights = {"verwaltung": 10.0, "mobilitaet": 0.0, "it_kommunikation": 5.0,
               "energie_umwelt": 5.0, "gesellschaft": 5.0}
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["chart_data.compare.rank_bump"] = True  # the numbers under the chart
    run_app({"tab": "compare", **{f"w.{k}": str(v) for k, v in weights.items()}}, at=at)
    assert_clean(at)
    table = at.dataframe[0].value.set_index("city_id")
    title = "Bitkom-Methode: gewichtete Kategorien · eigene Gewichte"
    ds = cityindex.load_dataset()
    own = cityindex.score(ds, "bitkom", weights=weights).table["rank"]
    plain = cityindex.score(ds, "bitkom").table["rank"]
    berlin = "11000000"
    assert own[berlin] != plain[berlin]  # the weights matter for Berlin
    assert table.at[berlin, title] == own[berlin]
    assert (table[title] == own.reindex(table.index)).all()
    assert (table["Gleiche Gewichte"] ==
            cityindex.score(ds, "equal_weights").table["rank"].reindex(table.index)).all()


def test_scatter_axes_and_numbers_travel_in_the_link_at_full_precision():
    at = run_app({"tab": "compare", "method": "bitkom", "p.projects_bonus": "0.123456789"})
    assert_clean(at)
    assert at.selectbox(key="cmp_x").value == "bitkom(projects_bonus=0.123456789)"
    at.selectbox(key="cmp_x").select("service_coverage").run()
    x = at.selectbox(key="cmp_x").value
    assert x == "service_coverage"
    link = query_of(at)
    assert link["p.projects_bonus"] == ["0.123456789"]
    assert link["x"] == [x]
    again = run_app({k: v if len(v) > 1 else v[0] for k, v in link.items()})
    assert_clean(again)
    assert again.selectbox(key="cmp_x").value == x
    # a link naming the chosen method by its plain name means it, with its parameters (before:
    # "x=geometric" was reported as not taken, as the axis is "geometric(floor=5)")
    named = run_app({"tab": "compare", "method": "geometric", "p.floor": "5",
                     "x": "equal_weights", "y": "geometric"})
    assert_clean(named)
    assert not named.warning
    assert named.selectbox(key="cmp_y").value == "geometric(floor=5)"
    assert query_of(named)["y"] == ["geometric(floor=5)"]


# --- names are text; empty states -------------------------------------------------------------


MARKUP_CBURG = "Cburg :red[rot] :smile: http://evil &amp; $x^2$"
"""A name with Streamlit's colour directive, an emoji short code, a bare web address (GFM
makes it a link), an HTML entity and maths: all shown as written."""


@pytest.fixture
def markup_data(tmp_path, monkeypatch):
    """The tiny dataset with city names that look like markdown and a link."""
    target = tmp_path / "markup"
    shutil.copytree(TINY, target)
    cities = (target / "cities.csv").read_text()
    cities = (cities.replace("Aheim", "**Aheim**")
              .replace("Bstadt", '"[Bstadt](http://b.example)"')
              .replace("Cburg", MARKUP_CBURG))
    (target / "cities.csv").write_text(cities)
    areas = (target / "areas.csv").read_text().replace("Verwaltung", "Verwaltung | *neu*")
    (target / "areas.csv").write_text(areas)
    monkeypatch.setenv("CITYINDEX_DATA", str(target))
    return target


def test_names_from_a_dataset_are_never_markup(markup_data):
    at = run_app({"tab": "profile", "profile": "A1"})
    assert_clean(at)
    heading = at.subheader[0].value
    assert heading.startswith(r"\*\*Aheim\*\* · ")  # shown as **Aheim**, not bold
    areas = at.table[0].value  # a table cell is markdown too: the name stays one cell, not bold
    assert areas.iloc[0, 0] == r"Verwaltung \| \*neu\*"
    at = run_app({"tab": "profile", "profile": "B2"})
    assert at.subheader[0].value.startswith("\\[Bstadt\\]\\(http\u2060\\://b\\.example\\)")
    assert shown(at.subheader[0]).startswith("[Bstadt](http://b.example) · ")
    at = run_app({"tab": "profile", "profile": "C3"})
    assert at.subheader[0].value.startswith(
        "Cburg \\:red\\[rot\\] \\:smile\\: http\u2060\\://evil \\&amp; \\$x^2\\$ · ")
    assert shown(at.subheader[0]).startswith(MARKUP_CBURG + " · ")


def test_filters_that_match_no_city_give_a_message_not_an_empty_chart():
    for tab in ("ranking", "map", "compare"):
        at = run_app({"tab": tab, "state": "Saarland", "size": "large"})  # Saarbrücken: small
        assert_clean(at)
        assert i18n.t("no_cities", "de") in [i.value for i in at.info]
        assert not at.get("vega_lite_chart")


def test_an_empty_profile_table_says_none_in_the_readers_language():
    """München offers every online service of 2025: its "lacking" table was Streamlit's
    English "empty"."""
    import cityindex
    from cityindex import views

    ds = cityindex.load_dataset()
    services = views.city_services(ds, ds.latest_edition, MUENCHEN)
    assert services["offered"].fillna(False).all()  # the premise: nothing lacking
    for lang, none in (("de", "keine"), ("en", "none")):
        at = run_app({"tab": "profile", "profile": MUENCHEN, "lang": lang})
        assert_clean(at)
        assert all(len(table.value) for table in at.table)  # no empty table drawn
        assert none in [c.value for c in at.caption]


def test_an_unranked_citys_rank_column_stays_pinned_first(monkeypatch):
    """cases/plugins/unranked-city: Ddorf has no rank under service_coverage with
    missing=skip, so the rank column is text ("–"); it lost its pinning and moved behind the
    city names."""

    monkeypatch.setenv("CITYINDEX_DATA", str(REPO / "tests" / "fixtures" / "cases" / "plugins"
                                             / "unranked-city"))
    at = run_app({"method": "service_coverage", "p.missing": "skip",
                  **TABLE})
    assert_clean(at)
    grid = at.dataframe[0]
    assert grid.value["rank"].iloc[-1] == "–"  # Ddorf, unranked, last
    config = json.loads(grid.proto.columns)
    assert config["rank"]["pinned"] is True and config["name"]["pinned"] is True
    assert list(grid.value.columns[:3]) == ["rank", "rank_change", "name"]
    # the marker right beside the total: a modeled total is marked within the first screen
    assert list(grid.value.columns[3:5]) == ["total", "provenance_label"]


def test_a_search_without_a_hit_says_why():
    """Before: "no city matches the filters" also when no filter was set."""
    at = run_app({"find": "Atlantis"})
    assert_clean(at)
    assert [i.value for i in at.info] == ["Keine Stadt der Ausgabe 2025 hat „Atlantis“ im Namen."]
    at = run_app({"find": "feld", "state": "Bayern", "lang": "en"})  # Krefeld, Bielefeld: NRW
    assert_clean(at)
    assert [i.value for i in at.info] == ["“feld” matches Bielefeld, Krefeld, but not the "
                                          "filters."]
    assert not at.get("vega_lite_chart") and not at.dataframe


def test_the_profile_tables_are_text_in_the_readers_format_with_their_sources():
    """The profile's few rows are static text tables (st.table: selectable, read by screen
    readers, a third of a sortable grid's cost in every rerun). Krefeld 2021 as Bitkom
    published it: rank 62 with 42.7 points, eight places up; the sources listed under the
    table, each figure pointing to its source by number."""
    at = run_app({"tab": "profile", "profile": KREFELD, "edition": "2021"})
    assert_clean(at)
    areas, published = at.table[0].value, at.table[1].value
    assert list(areas.columns) == ["Bereich", "Punkte", "Rang", "Herkunft"]
    assert list(areas["Bereich"]) == ["Verwaltung", "IT und Kommunikation",
                                      "Energie und Umwelt", "Mobilität", "Gesellschaft"]
    assert all(re.fullmatch(r"\d{1,3},\d", p) for p in areas["Punkte"])  # 66,0 not 66.0
    assert areas.set_index("Bereich").at["Energie und Umwelt", "Rang"] == "77"  # published
    total = published.set_index("Bereich").loc["Gesamt"]
    assert (total["Rang"], total["Punkte"], total["Veränderung \\(veröffentlicht\\)"],
            total["Quelle"]) == ("62", "42,7", "+8", "1, 2")  # two sources, ' ; ' apart
    assert list(published["Quelle"]) == ["1, 2", "2", "2", "2", "2"]
    assert "Anmerkung" not in published.columns  # the notes sit under the table
    texts = [m.value for m in at.markdown]
    sources = next(m for m in texts if m.startswith("**Quellen**"))
    assert ("1. [krefeld\\.de/…](https://krefeld.de/de/inhalt/"
            "krefeld-verbessert-sich-weiter-im-bundesweiten-bitkom-ranking)\n") in sources
    assert "\n2. Rheinische Post \\(rp\\-online\\.de\\)" in sources
    notes = next(m for m in texts if m.startswith("**Anmerkungen**"))
    assert "- Payment: QR\\-Codes, PayPal, giropay, Kreditkarte; der beste Einzelwert" in notes
    assert "QR codes" not in notes  # note_de, not the English research note
    strongest, weakest = at.table[2].value, at.table[3].value  # categories, with markers
    for categories in (strongest, weakest):
        assert list(categories.columns) == ["Kategorie", "Punkte", "Median aller Städte",
                                            "Herkunft"]
        known = {i18n.provenance_label(m, "de") for m in i18n.PROVENANCE_MARKERS}
        assert set(categories["Herkunft"]) <= known
    marks = set(strongest["Herkunft"]) | set(weakest["Herkunft"])
    assert {"○ modelliert", "◑ Punkte veröffentlicht"} <= marks  # both kinds are said
    # the history's ranks say what they rest on: a legend of their markers under the chart
    # (Hagen's computed ranks of 2021 and 2023 rest on modeled values)
    hagen = run_app({"tab": "profile", "profile": "05914000"})
    assert any(c.value.startswith("**Legende der Herkunft:**") and "○ modelliert" in c.value
               for c in hagen.caption)
    offered, lacking = at.table[4].value, at.table[5].value  # yes/no services: ja / nein
    assert set(offered["Wert"]) == {"ja"} and set(lacking["Wert"]) == {"nein"}

    at = run_app({"tab": "profile", "profile": KREFELD, "edition": "2021", "lang": "en"})
    assert " · 42.7 points · " in at.subheader[0].value
    notes = next(m.value for m in at.markdown if m.value.startswith("**Notes**"))
    assert "- Payment: QR codes, PayPal, giropay, credit card" in notes
    published = at.table[1].value.set_index("Scope")
    assert (published.at["Total", "Points"], published.at["Total", "Status"]) == ("42.7",
                                                                                 "used")


def displayed(frame_element):
    """What a sortable grid (a Styler table) shows in its cells: the display values."""
    import pyarrow as pa

    display = frame_element.proto.arrow_data.styler.display_values
    return pa.ipc.open_stream(display).read_all().to_pandas()


def test_the_maps_numbers_write_points_as_bitkom_does():
    """Under the map München's total read "90,15 ● veröffentlicht" (two decimals, for the
    coordinates, applied to every column): a digit Bitkom never published (90,2). Points
    have one decimal now, coordinates two."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["chart_data.mapview.city_map"] = True
    run_app({"tab": "map"}, at=at)
    assert_clean(at)
    shown = displayed(at.dataframe[0])
    row = shown[shown.iloc[:, 1] == "München"].iloc[0]
    values = list(row)
    assert "90,2" in values and "90,15" not in values
    assert any(re.fullmatch(r"48,1\d", str(v)) for v in values)  # latitude, two decimals
    # what the map's colours rest on is said under it (most totals are modeled)
    assert any(c.value.startswith("**Legende der Herkunft:**") and "○ modelliert" in c.value
               for c in at.caption)


def test_years_are_written_as_years_and_ranks_as_whole_numbers():
    """Before: "2.019" for the edition 2019 (a number with a thousands separator) and "49,0"
    for a rank kept as a float."""
    at = run_app({"tab": "methods"})
    assert_clean(at)
    by_edition = [displayed(d) for d in at.dataframe if "edition" in d.value.columns]
    assert len(by_edition) >= 3  # the editions, values by provenance, published by edition
    for table in by_edition:
        assert list(table["edition"][:3]) == ["2019", "2020", "2021"]
    counts = next(t for t in by_edition if "modeled" in t.columns)
    assert counts["modeled"][0] == "7.776"  # a count keeps its separator
    at = run_app({"tab": "profile", "profile": KREFELD})
    at.session_state["_open.chart_data.profile.history_chart"] = True
    at.run()
    assert_clean(at)
    past = displayed(at.dataframe[-1])
    assert list(past["edition"][:3]) == ["2019", "2020", "2021"]
    assert all(re.fullmatch(r"\d{1,2}", r) for r in past["rank"])  # 62, not 62,0
    assert all(re.fullmatch(r"\d{1,2},\d|–", p) for p in past["total"])  # 2019: no points


def test_compare_tables_name_the_cities_and_sign_the_shifts():
    at = run_app({"tab": "compare"})
    for key in ("compare.rank_bump", "compare.score_scatter", "compare.movers_bars"):
        at.session_state[f"_open.chart_data.{key}"] = True
    at.run()
    assert_clean(at)
    bump, scatter, movers = at.dataframe[0], at.dataframe[1], at.dataframe[2]
    assert bump.value.columns[0] == "name" and scatter.value.columns[0] == "name"
    assert "München" in set(bump.value["name"])
    assert len(scatter.value.columns) == 4  # name, the two compared methods, city_id
    shifts = displayed(movers)["shift"]
    assert all(re.fullmatch(r"[+\u2212]\d+|±0", v) for v in shifts), list(shifts)
    assert any(v.startswith("+") for v in shifts) and any(v.startswith("\u2212") for v in shifts)
    assert " → " in " ".join(c.value for c in at.caption)  # between which two methods
    # the correlations hold for the whole edition, and say so where a filter narrows the view
    # (one city of the Saarland: its movers, but correlations over all 83)
    over = "Rangkorrelationen über die 83 Städte, die jede der Methoden bewertet."
    assert over in [c.value for c in at.caption]
    assert not any("Die Filter wirken hier nicht" in c.value for c in at.caption)
    filtered = run_app({"tab": "compare", "state": "Saarland"})
    assert_clean(filtered)
    assert f"{over} Die Filter wirken hier nicht: die Korrelationen gelten für die ganze " \
           "Ausgabe." in [c.value for c in filtered.caption]


# --- words in the reader's language, details that hold ----------------------------------------


def test_an_english_link_is_english_from_the_first_run():
    """The upload expander is drawn before the link is read; it was German on the first run of
    an English link."""
    at = run_app({"lang": "en"})
    assert_clean(at)
    assert [e.label for e in at.sidebar.expander][0] == "Your own data"


def test_turning_own_weights_off_leaves_their_expander_open():
    at = run_app({"w.verwaltung": "10"})
    def weights_box():
        return next(e for e in at.sidebar.expander if e.label == "Eigene Gewichte")
    assert weights_box().proto.expanded
    at.sidebar.toggle(key="weights_on").set_value(False).run()
    assert_clean(at)
    assert weights_box().proto.expanded  # the switch stays in view, to turn them on again
    assert not any(k.startswith("w.") for k in query_of(at))


def test_method_cards_and_sobol_inputs_speak_the_readers_language():
    import cityindex

    at = run_app({"tab": "methods"})  # the chosen method's card is open
    assert_clean(at)
    card = " ".join(m.value for m in at.markdown)
    assert "**Fehlende Werte:** Ein fehlender Wert wird ausgelassen" in card
    # what the method needs, in words, not ids ("hierarchy, indicator_values")
    assert ("**Benötigt:** die Hierarchie Bereich → Kategorie → Indikator mit ihren Gewichten; "
            "Werte auf Ebene der Indikatoren") in card.replace("\\", "")
    # the citation in German (citation_de), its address still a link
    assert ("Hinweise zur Methodik in den Berichten zum Smart City Index 2021 und 2023"
            in card.replace("\\", ""))
    assert "](https://www.bitkom.org/Smart-City-Index)" in card
    english = " ".join(m.value for m in run_app({"tab": "methods", "lang": "en"}).markdown)
    assert "methodology notes in the Smart City Index 2021" in english.replace("\\", "")
    ds = cityindex.load_dataset()
    areas = ds.catalogue(ds.latest_edition).areas
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["chart_data.robustness.sobol_bars"] = True  # the numbers under the chart
    run_app({"tab": "robustness", "lang": "en"}, at=at)
    assert_clean(at)
    inputs = set(at.dataframe[-1].value["input"])
    assert set(areas["name_en"]) <= inputs
    assert not set(areas["name_de"]) & inputs


def test_tables_under_charts_name_their_first_column_by_what_it_holds():
    """The rank probabilities' rows are cities (named "Stadt", not the municipality key), the
    correlation matrices' rows are methods, and the profile's ranks under every method mark
    the chosen one's own weights, as the compare tab does."""
    from streamlit.testing.v1 import AppTest

    def opened(query, *keys):
        at = AppTest.from_file(APP, default_timeout=120)
        for key in keys:
            at.session_state[f"chart_data.{key}"] = True
        run_app(query, at=at)
        assert_clean(at)
        return [d.value for d in at.dataframe]

    frames = opened({"tab": "robustness"}, "robustness.rank_probability_heatmap")
    probabilities = next(f for f in frames if "1" in f.columns)
    assert probabilities.columns[0] == "name"
    assert "München" in set(probabilities["name"])
    frames = opened({"tab": "compare"}, "compare.spearman")
    assert frames[-1].columns[0] == "method"
    assert "Gleiche Gewichte" in set(frames[-1]["method"])
    weights = {"w.verwaltung": "10", "w.mobilitaet": "0", "w.it_kommunikation": "5",
               "w.energie_umwelt": "5", "w.gesellschaft": "5"}
    frames = opened({"tab": "profile", **weights}, "profile.rank_by_method")
    by_method = next(f for f in frames if "method" in f.columns and "rank" in f.columns)
    assert "Bitkom-Methode: gewichtete Kategorien · eigene Gewichte" in set(by_method["method"])


# --- own data: upload for this session only ---------------------------------------------------


def zipped(folder: Path, **replace: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for f in sorted(folder.glob("*.csv")):
            zf.writestr(f"dataset/{f.name}", replace.get(f.name, f.read_text()))
    return buffer.getvalue()


def open_box(at, key: str):
    """A click on a sidebar box that is built only while open (remembered_expander)."""
    at.session_state[key] = True
    return at.run()


def test_an_uploaded_dataset_is_used_by_every_tab_of_that_session_only():
    at = open_box(run_app(TABLE), "own_data_box")
    at.sidebar.file_uploader(key="upload_file").upload(
        "meine-daten.zip", zipped(TINY), "application/zip")
    at.run()
    assert_clean(at)
    banner = [shown(i) for i in at.info if "meine-daten.zip" in shown(i)]
    assert banner and "3 Städte" in banner[0] and "nicht die mitgelieferten" in banner[0]
    assert sorted(at.dataframe[0].value["name"]) == ["Aheim", "Bstadt", "Cburg"]
    for tab in ("map", "compare", "profile", "services", "methods"):
        at.session_state["tabs.de"] = i18n.t(f"tab_{tab}", "de")  # a click on the tab
        at.run()
        assert_clean(at)
        assert at.session_state["tab_id"] == tab
    cities = (TINY / "cities.csv").read_text().splitlines()
    noted = zipped(TINY, **{"cities.csv": "\n".join(
        [cities[0] + ",comment", *(r + ",x" for r in cities[1:])]) + "\n"})
    at.sidebar.file_uploader(key="upload_file").upload("mit-notiz.zip", noted,
                                                        "application/zip")
    at.run()
    # the warning in the reader's language (German by default), located in German too
    assert any("cities.csv, Zeile 1, Spalte 'comment': Spalte 'comment' gehört nicht zum "
               "Format und wird ignoriert" in shown(w) for w in at.warning)
    other_session = run_app(TABLE)  # a new session sees the bundled data, not the upload
    assert len(other_session.dataframe[0].value) == 83
    assert not [i for i in other_session.info if "meine-daten.zip" in shown(i)]


def test_a_decimal_parameter_slider_writes_numbers_in_the_readers_format():
    """st.slider writes "0.05" in German too: a decimal parameter gets a select slider over
    round stops, with German labels in German and English ones in English; a number from a
    link between the stops is kept at full precision."""
    at = run_app({"method": "geometric", "p.floor": "2.25"})
    assert_clean(at)
    floor = at.sidebar.select_slider(key="p.geometric.floor")
    assert floor.value == 2.25 and floor.format_func(2.25) == "2,25"
    assert floor.options[:3] == ["0,01", "0,5", "1"] and floor.options[-1] == "50"
    assert "2,25" in floor.options and "2,5" in floor.options
    at.sidebar.radio(key="lang").set_value("en").run()
    english = at.sidebar.select_slider(key="p.geometric.floor.en")
    assert english.value == 2.25 and english.format_func(12.5) == "12.5"
    english.set_value(12.5).run()
    assert_clean(at)
    assert at.session_state["p.geometric.floor"] == 12.5  # the language-neutral value
    assert query_of(at)["p.floor"] == ["12.5"]
    at.sidebar.radio(key="lang").set_value("de").run()
    assert at.sidebar.select_slider(key="p.geometric.floor").format_func(12.5) == "12,5"
    assert query_of(at)["p.floor"] == ["12.5"]


def test_slider_stops_are_round_and_include_both_ends():
    from dashboard_ui.common import slider_steps

    assert slider_steps(0.0, 0.2) == ([round(0.002 * k, 10) for k in range(101)], 3)
    stops, decimals = slider_steps(0.01, 50.0)
    assert stops[:3] == [0.01, 0.5, 1.0] and stops[-1] == 50.0 and decimals == 1


def test_removing_an_upload_brings_back_the_view_of_the_bundled_data():
    """The tiny upload has only 2024: the view switches to it, and back to 2019 (with its
    filters) when the file is removed, not to the upload's edition."""
    at = open_box(run_app({"edition": "2019", "state": "Bayern"}), "own_data_box")
    at.sidebar.file_uploader(key="upload_file").upload(
        "meine-daten.zip", zipped(TINY), "application/zip")
    at.run()
    assert_clean(at)
    assert at.sidebar.selectbox(key="edition").value == 2024
    assert "Ausgabe 2024)" in next(shown(i) for i in at.info if "meine-daten.zip" in shown(i))
    at.sidebar.file_uploader(key="upload_file").clear().run()
    assert_clean(at)
    assert at.sidebar.selectbox(key="edition").value == 2019
    assert at.sidebar.multiselect(key="states").value == ["Bayern"]
    assert query_of(at)["edition"] == ["2019"] and query_of(at)["state"] == ["Bayern"]


def test_data_from_another_folder_is_said_as_an_upload_is(monkeypatch):
    """CITYINDEX_DATA naming a city's own folder: the page said nothing, and its subtitle
    still read "Bitkoms Smart City Index"; a banner names the folder now."""
    monkeypatch.setenv("CITYINDEX_DATA", str(TINY))
    at = run_app()
    assert_clean(at)
    editions = i18n.t("editions_list", "de", n=1, list="2024")
    assert i18n.t("folder_banner", "de", name="tiny", n=3, editions=editions) in [
        shown(i) for i in at.info]
    monkeypatch.setenv("CITYINDEX_DATA", str(REPO / "data"))  # the bundled data: no banner
    assert not [i for i in run_app().info if "CITYINDEX_DATA" in i.value]


def problem_rows(at):
    """A refused upload's problems as the page shows them (a text table, so that long hints
    wrap and are read whole), with the columns by their ids and the cells as read."""
    import pandas as pd

    ids = {i18n.column_label(c, lang): c for lang in ("de", "en") for c in i18n.PROBLEM_COLUMNS}
    table = at.table[0].value
    return pd.DataFrame({ids[shown_text(c)]: [shown_text(v) for v in table[c]]
                         for c in table.columns})


def test_an_upload_of_one_csv_says_in_german_what_to_upload():
    at = open_box(run_app(), "own_data_box")
    at.sidebar.file_uploader(key="upload_file").upload(
        "values.csv", (TINY / "values.csv").read_bytes(), "text/csv")
    at.run()
    assert not at.exception
    problems = problem_rows(at)
    assert problems["problem"].tolist() == [
        "ist eine einzelne CSV-Datei; ein Datensatz besteht aus fünf Dateien (cities, areas, "
        "categories, indicators, values)"]
    assert problems["hint"].iloc[0].startswith("Packen Sie die CSV-Dateien zusammen in ein ZIP")


def test_an_invalid_upload_lists_its_problems_and_keeps_the_data():
    at = open_box(run_app(TABLE), "own_data_box")
    bad = zipped(TINY, **{"indicators.csv": (TINY / "indicators.csv").read_text().replace(
        "weight", "Weight")})
    at.sidebar.file_uploader(key="upload_file").upload("kaputt.zip", bad, "application/zip")
    at.run()
    assert not at.exception
    # it says what is shown: the bundled data (one problem, in the singular)
    assert at.error[0].value == ("Der hochgeladene Datensatz hat ein Problem und wird nicht "
                                 "verwendet; angezeigt werden die mitgelieferten Bitkom-Daten.")
    problems = problem_rows(at)
    assert list(problems.columns) == ["file", "row", "column", "problem", "hint"]
    assert problems["column"].tolist()[0] == "Weight"
    assert "weight" in problems["problem"].iloc[0] + problems["hint"].iloc[0]
    assert len(at.dataframe[0].value) == 83  # the ranking  # the bundled ranking is still shown
    assert not at.warning


def test_an_invalid_upload_also_says_what_else_was_found():
    at = open_box(run_app(), "own_data_box")
    buffer = io.BytesIO()  # a wrong header (a problem) and a file in cp1252 (a warning)
    with zipfile.ZipFile(buffer, "w") as zf:
        for f in sorted(TINY.glob("*.csv")):
            text = f.read_text()
            if f.name == "indicators.csv":
                text = text.replace("weight", "Weight")
            if f.name == "cities.csv":
                text = text.replace("Aheim", "Äheim")
            zf.writestr(f"d/{f.name}", text.encode("cp1252" if f.name == "cities.csv"
                                                   else "utf-8"))
    at.sidebar.file_uploader(key="upload_file").upload("kaputt.zip", buffer.getvalue(),
                                                       "application/zip")
    at.run()
    assert not at.exception and len(at.error) == 1
    (warning,) = [shown(w) for w in at.warning]
    assert warning.startswith("Hinweise zu den hochgeladenen Daten: kaputt.zip/d/cities.csv: "
                              "ist kein UTF-8; gelesen als cp1252")


def test_an_invalid_uploads_problems_follow_the_language():
    """The problems of a failed upload are kept, not a table worded once: German in the German
    interface (the message, the hint and the location words), English after a switch, German
    again after switching back, without uploading again."""
    at = open_box(run_app(), "own_data_box")
    values = (TINY / "values.csv").read_text().replace("2024,A1,i1,10,", "2024,A1,i1,abc,")
    at.sidebar.file_uploader(key="upload_file").upload(
        "kaputt.zip", zipped(TINY, **{"values.csv": values}), "application/zip")
    at.run()
    assert not at.exception
    problems = problem_rows(at)
    assert problems.iloc[0].tolist()[1:] == [
        "2", "value", "'abc' ist keine Zahl", "–"]
    assert problems["file"].iloc[0] == "kaputt.zip/dataset/values.csv"
    assert at.error[0].value.startswith("Der hochgeladene Datensatz hat ein Problem")

    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert problem_rows(at)["problem"].tolist() == ["'abc' is not a number"]
    assert at.error[0].value.startswith("The uploaded dataset has a problem")

    at.sidebar.radio(key="lang").set_value("de").run()
    assert problem_rows(at)["problem"].tolist() == ["'abc' ist keine Zahl"]


def test_a_long_list_of_upload_problems_shows_the_first_fifty_and_says_how_many_more():
    at = open_box(run_app(), "own_data_box")
    lines = (TINY / "values.csv").read_text().splitlines()
    bad = [lines[0], *(f"2024,A1,i1,x{n},published,s" for n in range(60))]
    at.sidebar.file_uploader(key="upload_file").upload(
        "viele.zip", zipped(TINY, **{"values.csv": "\n".join(bad) + "\n"}), "application/zip")
    at.run()
    assert not at.exception
    rows = problem_rows(at)
    assert len(rows) == 50 and rows["problem"].iloc[0] == "'x0' ist keine Zahl"
    n_more = len(at.session_state["upload_problems"]) - 50
    assert n_more >= 10
    assert i18n.t("more_problems", "de", n=n_more) in [c.value for c in at.caption]


def test_an_invalid_uploads_hint_in_german_and_english():
    """A hint is worded in the language too: an unknown yes/no flag in indicators.csv."""
    at = open_box(run_app({"lang": "en"}), "own_data_box")
    indicators = (TINY / "indicators.csv").read_text().splitlines()
    header = indicators[0].split(",")
    at_service = header.index("service")
    first = indicators[1].split(",")
    first[at_service] = "vielleicht"
    bad = "\n".join([indicators[0], ",".join(first), *indicators[2:]]) + "\n"
    at.sidebar.file_uploader(key="upload_file").upload(
        "kaputt.zip", zipped(TINY, **{"indicators.csv": bad}), "application/zip")
    at.run()
    assert not at.exception
    row = problem_rows(at).iloc[0]
    assert (row["problem"], row["hint"]) == ("'vielleicht' is not 0 or 1",
                                             "write 1 for yes, 0 for no")
    at.sidebar.radio(key="lang").set_value("de").run()
    row = problem_rows(at).iloc[0]
    assert (row["problem"], row["hint"]) == ("'vielleicht' ist nicht 0 oder 1",
                                             "Schreiben Sie 1 für ja, 0 für nein")


# --- own weights (issue 10): sliders, presets, the link ---------------------------------------


def sidebar_box(at, label: str):
    return next(e for e in at.sidebar.expander if e.label == label)


def test_closed_sidebar_boxes_are_not_built_and_keep_their_values():
    """The method's parameters and the own-data upload sit in boxes that are built only while
    open (a first page loads neither the slider's nor the uploader's scripts); a closed box
    keeps what the user set in it."""
    at = run_app(TABLE)
    assert_clean(at)
    assert not sidebar_box(at, "Parameter der Methode").proto.expanded
    assert not sidebar_box(at, "Eigene Daten").proto.expanded
    assert not at.sidebar.select_slider and not at.sidebar.get("file_uploader")
    default_totals = at.dataframe[0].value["total"].tolist()

    open_box(at, "params_box")
    bonus = at.sidebar.select_slider(key="p.bitkom.projects_bonus")
    assert bonus.value == 0.05 and bonus.format_func(bonus.value) == "0,05"  # German number
    at.sidebar.selectbox(key="p.bitkom.scaling").select("share_of_best").run()
    assert_clean(at)
    share_of_best = at.dataframe[0].value["total"].tolist()
    assert share_of_best != default_totals
    assert query_of(at)["p.scaling"] == ["share_of_best"]
    at.session_state["params_box"] = False  # closed: the widgets are gone, their values not
    at.run()
    assert_clean(at)
    assert not at.sidebar.select_slider
    assert "p.bitkom.scaling" not in [box.key for box in at.sidebar.selectbox]
    assert at.dataframe[0].value["total"].tolist() == share_of_best
    assert query_of(at)["p.scaling"] == ["share_of_best"]
    open_box(at, "params_box")
    assert at.sidebar.selectbox(key="p.bitkom.scaling").value == "share_of_best"

    linked = run_app({"p.projects_bonus": "0.1"})  # a link's parameters are shown
    assert sidebar_box(linked, "Parameter der Methode").proto.expanded
    assert linked.sidebar.select_slider(key="p.bitkom.projects_bonus").value == 0.1

    open_box(at, "own_data_box")
    at.sidebar.file_uploader(key="upload_file").upload(
        "meine-daten.zip", zipped(TINY), "application/zip")
    at.run()
    at.session_state["own_data_box"] = False  # closed while it holds a file: kept
    at.run()
    assert_clean(at)
    assert sorted(at.dataframe[0].value["name"]) == ["Aheim", "Bstadt", "Cburg"]
    assert not sidebar_box(at, "Eigene Daten").proto.expanded


def test_own_area_weights_rerank_live_and_travel_in_the_link():
    import cityindex

    at = run_app(TABLE)
    assert not at.sidebar.toggle  # the box is closed: its switch is not built
    open_box(at, "own_weights_box")
    at.sidebar.toggle(key="weights_on").set_value(True).run()
    assert_clean(at)
    assert "w.verwaltung" not in query_of(at)  # sliders at the method's weights: no override
    at.sidebar.selectbox(key="weight_preset").select("verwaltung").run()
    assert_clean(at)
    assert at.sidebar.slider(key="w.verwaltung").value == 10.0
    assert at.sidebar.slider(key="w.mobilitaet").value == 5.0
    link = query_of(at)
    assert link["w.verwaltung"] == ["10"] and link["w.mobilitaet"] == ["5"]
    ds = cityindex.load_dataset()
    expected = cityindex.score(ds, "bitkom", weights={
        "verwaltung": 10, "it_kommunikation": 5, "energie_umwelt": 5, "mobilitaet": 5,
        "gesellschaft": 5})
    frame = at.dataframe[0].value
    assert list(frame["name"][:10]) == list(expected.table["name"][:10])
    assert "eigene Gewichte" in " ".join(c.value for c in at.caption)
    at.session_state["own_weights_box"] = False  # closed: the sliders go, the weights stay
    at.run()
    assert_clean(at)
    assert not at.sidebar.slider and not at.sidebar.toggle
    assert list(at.dataframe[0].value["name"][:10]) == list(expected.table["name"][:10])
    assert query_of(at) == link
    open_box(at, "own_weights_box")
    assert at.sidebar.slider(key="w.verwaltung").value == 10.0
    again = run_app({k: v[0] for k, v in link.items()})  # the link restores the weighting
    assert again.sidebar.slider(key="w.verwaltung").value == 10.0
    assert list(again.dataframe[0].value["name"][:10]) == list(expected.table["name"][:10])


def test_a_preset_is_an_action_that_also_brings_the_weights_back_after_a_slider_moved():
    """The preset box kept "wie die Methode" after a slider was moved, and choosing it again
    changed nothing (a tester also saw a box that followed the sliders race quick slider
    moves). A preset is now an action: it sets the sliders and the box is empty again."""
    at = run_app()
    open_box(at, "own_weights_box")
    at.sidebar.toggle(key="weights_on").set_value(True).run()
    nominal = {s.key: s.value for s in at.sidebar.slider}
    box = at.sidebar.selectbox(key="weight_preset")
    assert box.value is None and box.placeholder == "Voreinstellung wählen …"
    at.sidebar.selectbox(key="weight_preset").select("verwaltung").run()
    assert_clean(at)
    assert at.sidebar.slider(key="w.verwaltung").value == 10
    assert at.sidebar.slider(key="w.mobilitaet").value == 5
    assert at.sidebar.selectbox(key="weight_preset").value is None  # empty again
    at.sidebar.slider(key="w.mobilitaet").set_value(7).run()
    assert query_of(at)["w.mobilitaet"] == ["7"] and query_of(at)["w.verwaltung"] == ["10"]
    at.sidebar.selectbox(key="weight_preset").select("method").run()
    assert_clean(at)
    assert {s.key: s.value for s in at.sidebar.slider} == nominal
    assert not any(k.startswith("w.") for k in query_of(at))
    at.sidebar.slider(key="w.verwaltung").set_value(2).run()
    at.sidebar.selectbox(key="weight_preset").select("method").run()  # the same preset again
    assert {s.key: s.value for s in at.sidebar.slider} == nominal
    at.sidebar.radio(key="lang").set_value("en").run()  # and in English
    open_box(at, "own_weights_box")
    at.sidebar.slider(key="w.verwaltung").set_value(2).run()
    at.sidebar.selectbox(key="weight_preset.en").select("method").run()
    assert_clean(at)
    assert {s.key: s.value for s in at.sidebar.slider} == nominal
    assert at.sidebar.selectbox(key="weight_preset.en").placeholder == "Choose a preset …"
    assert not at.warning and not at.sidebar.warning


def test_own_weights_in_a_link_for_a_method_without_area_weights_are_reported():
    """equal_weights does not use the hierarchy's weights: the link's weight was dropped
    without a word (the command line refuses it with an error)."""
    at = run_app({"method": "equal_weights", "w.verwaltung": "3"})
    assert_clean(at)
    assert [shown(w) for w in at.warning] == ["Nicht übernommen aus dem Link: w.verwaltung=3"]
    assert query_of(at) == {"method": ["equal_weights"]}


def test_a_link_value_only_a_tab_can_check_is_reported_when_it_is_not_taken():
    """A service or scatter axis the tab does not offer is named in the "not taken from the
    link" note (as decode_query names the others), and the link drops it."""
    at = run_app({"tab": "services", "service": "nope"})
    assert_clean(at)
    assert [shown(w) for w in at.warning] == ["Nicht übernommen aus dem Link: service=nope"]
    assert at.selectbox(key="service").index == 0 and "service" not in query_of(at)
    at = run_app({"tab": "compare", "x": "zzz", "y": "geometric", "lang": "en"})
    assert_clean(at)
    assert [shown(w) for w in at.warning] == ["Ignored from the link: x=zzz"]
    assert at.selectbox(key="cmp_y.en").value == "geometric"
    assert query_of(at) == {"tab": ["compare"], "y": ["geometric"], "lang": ["en"]}
    at.selectbox(key="cmp_x.en").select("equal_weights").run()  # a later choice is not the link
    assert not at.warning and query_of(at)["x"] == ["equal_weights"]


# --- the robustness tab (issue 10) ------------------------------------------------------------


def test_the_robustness_tab_shows_intervals_bounds_and_sobol_indices():
    import cityindex

    at = run_app({"tab": "robustness"})
    assert_clean(at)
    subheaders = [s.value for s in at.main.subheader]
    assert subheaders == [i18n.t("rb_intervals", "de"), i18n.t("rb_probabilities", "de"),
                          i18n.t("rb_sobol", "de")]
    table = at.dataframe[0].value
    ds = cityindex.load_dataset()
    nominal = cityindex.score(ds, "bitkom")
    expected = nominal.table["rank"].dropna().astype(int)
    assert table.set_index("name")["rank"].to_dict() == dict(
        zip(nominal.table.loc[expected.index, "name"], expected, strict=True))
    assert ((table["best_rank"] <= table["rank"]) & (table["rank"] <= table["worst_rank"])).all()
    assert ((table["rank_p05"] <= table["median_rank"])
            & (table["median_rank"] <= table["rank_p95"])).all()
    counts = " ".join(c.value for c in at.caption)
    assert "2.000 Ziehungen, 2.000 ausgewertet, 0 nicht auswertbar" in counts
    # what the analyses rest on: the modeled layer is said, as on the ranking
    assert any(c.value.startswith("**Legende der Herkunft:**") and "○ modelliert" in c.value
               and i18n.t("rb_values_note", "de") in c.value for c in at.caption)
    # a smaller seeded run is reproducible: the same settings give the same table
    at.text_input(key="rb_draws.text.de").set_value("500").run()
    first = at.dataframe[0].value
    again = run_app({"tab": "robustness"})
    again.text_input(key="rb_draws.text.de").set_value("500").run()
    assert first.equals(again.dataframe[0].value)


def test_the_robustness_settings_are_in_the_link_and_restored_from_it():
    """A researcher's link reproduces her analysis: the settings that differ from the defaults
    (here the sampling scheme, draws, seed and alternative normalisations) are written as
    rb.<name> and a new session opened on that link runs the same analysis."""
    at = run_app({"tab": "robustness"})
    at.text_input(key="rb_draws.text.de").set_value("500").run()
    at.number_input(key="rb_seed").set_value(7).run()
    at.multiselect(key="rb_normalisations").set_value(["minmax", "rank"]).run()
    assert_clean(at)
    query = query_of(at)
    assert query["rb.draws"] == ["500"] and query["rb.seed"] == ["7"]
    assert query["rb.normalisations"] == ["minmax", "rank"]
    assert "rb.scheme" not in query and "rb.samples" not in query  # defaults stay out
    table = at.dataframe[0].value
    again = run_app(query)
    assert_clean(again)
    assert again.text_input(key="rb_draws.text.de").value == "500"
    assert again.multiselect(key="rb_normalisations").value == ["minmax", "rank"]
    assert query_of(again) == query
    assert table.equals(again.dataframe[0].value)


def test_the_robustness_draws_are_typed_in_the_readers_format():
    """The number of draws reads "2.000" in German and "2,000" in English (st.number_input
    wrote "2000" under a caption that says "2.000 Ziehungen"); "5.000" is five thousand, a
    fraction or a number out of range is kept back with the reason and the number kept."""
    at = run_app({"tab": "robustness"})
    assert_clean(at)
    field = at.text_input(key="rb_draws.text.de")
    assert field.value == "2.000"
    field.set_value("5.000").run()
    assert_clean(at)
    assert at.session_state["rb_draws"] == 5000 and query_of(at)["rb.draws"] == ["5000"]
    assert "5.000 Ziehungen" in " ".join(c.value for c in at.caption)
    at.text_input(key="rb_draws.text.de").set_value("2,5").run()
    assert at.session_state["rb_draws"] == 5000
    assert at.text_input(key="rb_draws.text.de").value == "5.000"
    assert i18n.t("number_not_whole", "de", text="2,5", kept="5.000") in [
        c.value for c in at.caption]
    at.text_input(key="rb_draws.text.de").set_value("50").run()
    assert at.session_state["rb_draws"] == 5000
    assert i18n.t("number_below", "de", text="50", kept="5.000", low="100") in [
        c.value for c in at.caption]
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.text_input(key="rb_draws.text.en").value == "5,000"


def test_the_robustness_sliders_write_numbers_in_the_readers_format():
    """The weight bounds and the Dirichlet concentration are number sliders too: "0,1" and
    "0,4" in German, "0.1" in English; a changed range travels in the link at full value."""
    at = run_app({"tab": "robustness", "rb.draws": "200"})
    assert_clean(at)
    bounds = at.select_slider(key="rb_bounds")
    assert bounds.value == (0.1, 0.4)
    assert [bounds.format_func(v) for v in bounds.value] == ["0,1", "0,4"]
    assert at.select_slider(key="rb_concentration").format_func(100.0) == "100"
    bounds.set_value((0.05, 0.5)).run()
    assert_clean(at)
    assert query_of(at)["rb.bounds"] == ["0.05,0.5"]
    at.sidebar.radio(key="lang").set_value("en").run()
    english = at.select_slider(key="rb_bounds.en")
    assert english.value == (0.05, 0.5) and english.format_func(0.05) == "0.05"
    assert query_of(at)["rb.bounds"] == ["0.05,0.5"]


def test_the_robustness_tab_says_why_a_method_cannot_be_analysed():
    at = run_app({"tab": "robustness", "method": "equal_weights"})
    assert_clean(at)
    notes = [shown(i) for i in at.info]
    assert any(n.startswith("Für Gleiche Gewichte ist diese Analyse nicht möglich") for n in notes)


def test_only_bitkoms_own_area_figures_are_blue():
    """2022: München's administration rank (5th) is published, its points are not: the rank is
    blue, the points plain. Hamburg's IT score and rank are both published: both blue."""
    from types import SimpleNamespace

    import cityindex
    from cityindex import views

    sys.path.insert(0, str(REPO))  # the dashboard's parts live beside dashboard.py
    from dashboard_ui.ranking import PUBLISHED_COLOR, _area_style, ranking_view

    ds = cityindex.load_dataset()
    result = cityindex.score(ds, "bitkom", edition=2022)
    table = views.ranking_table(result).assign(provenance_label="")
    page = SimpleNamespace(current=result, lang="de")
    css = _area_style(page, table, ranking_view(page, table))
    assert table.at["09162000", "verwaltung_provenance"] == "published rank"
    assert css.at["09162000", "verwaltung"] == ""  # plain: computed
    assert css.at["09162000", "verwaltung_rank"] == f"color: {PUBLISHED_COLOR}"
    assert table.at["02000000", "it_kommunikation_provenance"] == "published"
    assert css.at["02000000", "it_kommunikation"] == f"color: {PUBLISHED_COLOR}"
    modeled = table.index[table["verwaltung_provenance"] == "modeled"][0]
    assert css.at[modeled, "verwaltung"] == css.at[modeled, "verwaltung_rank"] == ""


def test_a_ranking_download_says_which_filters_chose_its_rows():
    """The dashboard's export of the shown rows: "2 / 83" in its methodology, and why two
    (before, a sheet of two rows did not say that a state filter and a search chose them)."""
    from types import SimpleNamespace

    import cityindex
    from cityindex import export

    sys.path.insert(0, str(REPO))
    from dashboard_ui.common import selection_words
    from dashboard_ui.ranking import ranking_download

    assert selection_words("de") == "" and selection_words("en", found="  ") == ""
    chosen_by = selection_words("de", states=["Bayern", "Saarland"], sizes=["large"],
                                peer="Land Bayern", found=" M ")
    assert chosen_by == ("Bundesländer: Bayern, Saarland; Größenklasse: ab 500 Tsd.; "
                         "Vergleichsgruppe: Land Bayern; Suche: „M“")
    assert selection_words("en", states=["Saarland"], found="Saar") == (
        "States: Saarland; Search: 'Saar'")

    ds = cityindex.load_dataset()
    page = SimpleNamespace(current=cityindex.score(ds, "bitkom"), ds=ds, previous=None)
    bundle = ranking_download(page, {KREFELD, MUENCHEN}, chosen_by)
    assert sorted(bundle.tables[0].frame["city_id"]) == [KREFELD, MUENCHEN]
    assert bundle.methodology["exported_rows"] == "2 / 83"
    rows = {label: value for _, label, value in export.methodology_rows(bundle.methodology,
                                                                         "de")}
    assert rows["Auswahl der Zeilen (Filter und Suche im Dashboard)"] == chosen_by
    assert rows["Exportierte Zeilen / Städte der Ausgabe"] == "2 / 83"
    whole = ranking_download(page, set(ds.edition_cities(ds.latest_edition)))
    assert whole.methodology["exported_rows"] == "83 / 83"
    assert "selection" not in whole.methodology


def test_the_compare_tab_downloads_the_comparison_of_the_shown_cities():
    """The compare tab had no download of its own (only the grid's English toolbar): CSV
    and Excel of every method's rank for the shown cities, both correlation matrices over all
    cities, and a methodology naming the methods and what chose the rows."""
    from types import SimpleNamespace

    import cityindex
    from cityindex import export

    sys.path.insert(0, str(REPO))
    from dashboard_ui.compare import comparison_download

    at = run_app({"tab": "compare", "state": "Saarland"})
    assert_clean(at)
    assert [b.label for b in at.get("download_button")] == [
        "Als CSV herunterladen", "Als Excel-Datei herunterladen"]
    assert i18n.t("compare_download_note", "de") in [c.value for c in at.caption]
    # the compared ranks' markers: Saarbrücken's total is modeled under every method
    assert any(c.value.startswith("**Legende der Herkunft:**") and "○ modelliert" in c.value
               for c in at.caption)

    ds = cityindex.load_dataset()
    cmp = cityindex.compare(ds, ["bitkom", "geometric"])
    page = SimpleNamespace(ds=ds, registry=cityindex.get_registry())
    bundle = comparison_download(page, cmp, {KREFELD, MUENCHEN}, "Bundesländer: Bayern")
    rows = bundle.tables[0].frame.set_index("city_id")
    assert sorted(rows.index) == [KREFELD, MUENCHEN]
    assert rows.at[MUENCHEN, "rank bitkom"] == cmp.ranks.at[MUENCHEN, "bitkom"]
    assert rows.at[KREFELD, "rank geometric"] == cmp.ranks.at[KREFELD, "geometric"]
    # each method's marker: München's bitkom figures are Bitkom's, geometric's are modeled
    assert (rows.at[MUENCHEN, "provenance bitkom"], rows.at[MUENCHEN, "provenance geometric"]) \
        == ("published", "modeled")
    german = export.to_csv(bundle, locale="de", readable=True).decode("utf-8-sig")
    assert "Herkunft bitkom" in german.splitlines()[0] and ";veröffentlicht;" in german
    assert len(bundle.table("spearman").frame) == 2  # the matrices stay whole
    assert bundle.methodology["exported_rows"] == "2 / 83"
    assert bundle.methodology["selection"] == "Bundesländer: Bayern"
    sheet = {label for _, label, _ in export.methodology_rows(bundle.methodology, "de")}
    assert "Auswahl der Zeilen (Filter und Suche im Dashboard)" in sheet


def test_a_download_names_the_data_without_the_servers_paths(tmp_path):
    """A hosted dashboard's Excel sheet said "Pfad /srv/…/data": the methodology of what the
    dashboard hands out names the bundled data as such, another folder by its name only, an
    upload by the name its user gave it; the command line's exports keep the path."""
    from types import SimpleNamespace

    import cityindex

    sys.path.insert(0, str(REPO))
    from dashboard_ui.common import served
    from dashboard_ui.ranking import ranking_download

    ds = cityindex.load_dataset()
    page = SimpleNamespace(current=cityindex.score(ds, "bitkom"), ds=ds, previous=None,
                           upload=None)
    bundle = ranking_download(page, {KREFELD})
    assert bundle.methodology["data"]["path"] == str(REPO / "data")  # the CLI's record
    assert served(bundle, page).methodology["data"] == {
        **{k: v for k, v in bundle.methodology["data"].items() if k != "path"},
        "source": "bundled data"}
    folder = tmp_path / "meine-stadtdaten"
    shutil.copytree(TINY, folder)
    tiny = cityindex.load_dataset(folder)
    own = SimpleNamespace(current=cityindex.score(tiny, "bitkom"), ds=tiny, previous=None,
                          upload=None)
    data = served(ranking_download(own, {"A1"}), own).methodology["data"]
    assert data["source"] == "meine-stadtdaten" and "path" not in data
    assert str(tmp_path) not in json.dumps(data)
    uploaded = SimpleNamespace(**{**own.__dict__, "upload": "daten.zip"})
    assert served(ranking_download(uploaded, {"A1"}), uploaded).methodology["data"][
        "source"] == "daten.zip"


def test_a_parameter_that_changes_nothing_in_the_edition_is_said_above_the_tabs():
    """2025 has no projects categories: a projects bonus of 0 gives bitkom's ranks, and the
    dashboard says why, in the reader's language; 2021 has them, so no note there."""
    at = run_app({"p.projects_bonus": "0"})
    assert_clean(at)
    notes = [shown(i) for i in at.info if "projects_bonus" in shown(i)]
    assert notes == ["Parameter „Projektbonus“ (projects_bonus) ändert in der Ausgabe 2025 "
                     "nichts: keine Kategorie der Ausgabe ist als 'projects' markiert (von "
                     "Bitkoms Ausgaben hat nur 2021 solche)"]
    at.sidebar.radio(key="lang").set_value("en").run()
    assert [shown(i) for i in at.info if "projects_bonus" in shown(i)] == [
        "parameter 'Projects bonus' (projects_bonus) changes nothing in edition 2025: no "
        "category of the edition is flagged 'projects' (of Bitkom's editions only 2021 has "
        "them)"]
    in_2021 = run_app({"p.projects_bonus": "0", "edition": "2021"})
    assert_clean(in_2021)
    assert not [i for i in in_2021.info if "projects_bonus" in shown(i)]


def test_the_profile_says_that_the_sidebars_filters_do_not_apply_to_it():
    """With the Saarland filter the ranking shows one city, the profile still offers all 83
    (and ranks among them): it says so, and only while a filter narrows the other tabs."""
    note = i18n.t("profile_filters_ignored", "de", n=83)
    filtered = run_app({"tab": "profile", "state": "Saarland", "profile": KREFELD})
    assert_clean(filtered)
    assert len(filtered.selectbox(key="profile").options) == 83
    assert note in [c.value for c in filtered.caption]
    unfiltered = run_app({"tab": "profile", "profile": KREFELD})
    assert note not in [c.value for c in unfiltered.caption]


def test_missing_published_figures_read_dash_not_none():
    """Streamlit draws a missing cell as "None": the published columns, sparse by nature, are
    written as text with "–" where Bitkom published nothing."""
    at = run_app({"edition": "2022", **TABLE})
    assert_clean(at)
    frame = at.dataframe[0].value.set_index("name")
    assert frame.at["Hamburg", "published_rank_change"] == "–"
    assert frame.at["Bochum", "published_rank_change"] == "−1"
    assert frame.at["Bochum", "published_change_check"] == "stimmt"
    assert not frame.isna().any().any()


def test_citations_link_their_sources_and_escape_the_rest():
    sys.path.insert(0, str(REPO))
    from dashboard_ui.common import cited

    assert cited("Bitkom e.V. (2021), https://www.bitkom.org/Smart-City-Index ; *notes*") == (
        r"Bitkom e\.V\. \(2021\), [https\://www\.bitkom\.org/Smart\-City\-Index]"
        r"(https://www.bitkom.org/Smart-City-Index) ; \*notes\*")
    # An address with parentheses stays one link; the text's own parenthesis stays text.
    assert cited("(https://de.wikipedia.org/wiki/Bonn_(Stadt)).", short=True) == (
        r"\([de\.wikipedia\.org/…](https://de.wikipedia.org/wiki/Bonn_%28Stadt%29)\)\.")


def test_the_robustness_choices_and_failed_draws_read_as_words():
    """The normalisations and aggregations are offered by name in the reader's language (the
    link keeps their ids); a failed draw is quoted with the same names."""
    at = run_app({"tab": "robustness", "rb.draws": "200"})
    assert_clean(at)
    norms, aggs = at.multiselect(key="rb_normalisations"), at.multiselect(key="rb_aggregations")
    assert list(norms.options) == ["Min-Max-Normierung", "z-Standardisierung", "Rangnormierung",
                                   "Anteil am Besten"]
    assert list(aggs.options) == ["arithmetisches Mittel", "geometrisches Mittel"]
    norms.set_value(["zscore"]).run()
    at.multiselect(key="rb_aggregations").set_value(["geometric"]).run()
    assert_clean(at)
    query = query_of(at)
    assert query["rb.normalisations"] == ["zscore"] and query["rb.aggregations"] == ["geometric"]
    at.sidebar.radio(key="lang").set_value("en").run()
    assert list(at.multiselect(key="rb_normalisations").options) == [
        "min-max normalisation", "z-score standardisation", "rank", "share of the best"]
    # the warning about failed draws names them the same way: "z-Standardisierung/…"
    from dashboard_ui.robustness import choice_text

    assert choice_text("norm", "zscore", "de") == "z-Standardisierung"
    assert choice_text("agg", "geometric", "de") == "geometrisches Mittel"
    assert choice_text("agg", "geometric", "en") == "geometric mean"
    assert choice_text("norm", "plugin_scaling", "de") == "plugin_scaling"  # unknown: its id


def test_the_robustness_tab_with_filters_that_match_no_city_runs_nothing():
    at = run_app({"tab": "robustness", "state": "Saarland", "size": "large"})
    assert_clean(at)
    assert i18n.t("no_cities", "de") in [i.value for i in at.info]
    assert not at.get("vega_lite_chart") and not at.dataframe
    assert not at.get("download_button")
    assert not at.main.subheader


def test_the_services_tab_shows_provenance_in_the_readers_language():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["chart_data.services.service_share_bars"] = True
    at.session_state["chart_data.services.offer_map"] = True
    run_app({"tab": "services"}, at=at)
    assert_clean(at)
    charts = " ".join(str(c.proto) for c in at.get("vega_lite_chart"))  # spec and Arrow data
    assert "modelliert" in charts and "modeled" not in charts
    marks = set()
    for table in at.dataframe:
        value = table.value
        for column in value.columns:
            marks |= set(map(str, value[column]))
    assert "○ modelliert" in marks and "modeled" not in marks
    # Every service value is modeled: the bars and the map say so where they are drawn, not
    # only in a tooltip or the closed table (before: "angeboten" on the map read as a fact)
    bars, history, offers = (json.loads(c.proto.spec) for c in at.get("vega_lite_chart"))
    colour = bars["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == ["○ modelliert"] and colour["title"] == "Herkunft"
    assert colour["scale"]["range"] == ["#E69F00"]  # the ranking's colour of modeled figures
    legend_title = next(layer["encoding"]["color"]["title"] for layer in offers["layer"]
                        if "color" in layer.get("encoding", {}))
    assert legend_title == "Dienst · ○ modelliert"
    legends = [c.value for c in at.caption if c.value.startswith("**Legende der Herkunft:**")]
    assert len(legends) == 3  # under the bars, the history and the map
    # the history's computed share is orange like the modeled bars, the published one blue
    # (before: blue for computed, orange for published, one chart below "orange = modeled")
    lines = history["encoding"]["color"]["scale"]
    assert lines["range"] == ["#E69F00", "#0072B2"]
    filtered = run_app({"tab": "services", "state": "Bayern"})
    assert i18n.t("shares_filters_ignored", "de", n=83) in [c.value for c in filtered.caption]


def test_a_method_cards_parameters_keep_their_names_and_type_in_words():
    at = run_app({"tab": "methods"})  # the chosen method's (bitkom's) card is open
    assert_clean(at)
    table = at.dataframe[0].value.set_index("name")
    assert "missing" in table.index and "fehlt" not in table.index  # the identifier of -p
    assert table.loc["missing", "type"] == "Auswahl"
    assert table.loc["projects_bonus", "type"] == "Dezimalzahl"
    assert table.loc["missing", "default"] == "auslassen"
    config = at.dataframe[0].proto.columns
    assert '"width": "large"' in config.replace(" ", "").replace('":"', '": "')
    from cityindex import views

    params = views.parameter_table(cityindex_method("bitkom").parameters, "en")
    assert set(params["type"]) <= {"choice", "decimal number", "whole number", "yes/no"}
    assert "decimal number" in set(params["type"])


def cityindex_method(name):
    import cityindex

    return cityindex.get_registry().method(name)


class _ScaledMean:
    """A plugin method with a decimal parameter without bounds (no slider can show it)."""

    @staticmethod
    def plugin():
        import numpy as np

        from cityindex import Method, MethodOutput, Parameter, hookimpl

        class ScaledMean(Method):
            name = "scaled_mean"
            title = "Scaled mean"
            description = "The mean of a city's values times alpha."
            parameters = (Parameter("alpha", "float", 0.75, label="Alpha"),)

            def score(self, data, params):
                n = len(data.indicator_ids)
                return MethodOutput(total=np.nanmean(data.values, axis=1) * params["alpha"],
                                    weights=np.full(n, params["alpha"] / n))

        class Plugin:
            @hookimpl
            def cityindex_register_methods(self, register):
                register(ScaledMean())

        return Plugin()


def test_a_decimal_parameter_without_bounds_is_typed_in_the_readers_format(registered):
    """st.number_input wrote a plugin's 0.75 as "0.75" in German too. The field shows
    "0,75"; "1,5" sets 1.5 (and the link p.scaled_mean.alpha=1.5); the English "0.75" in the
    German field is not read as 75 but kept back with a hint ("meinten Sie 0,75?"); English
    shows and takes "1.5"."""
    registered(_ScaledMean.plugin(), "scaled-mean")
    at = run_app({"method": "scaled_mean"})
    at.session_state["_open.params_box"] = True
    at.run()
    assert_clean(at)
    field = at.text_input(key="p.scaled_mean.alpha.text.de")
    assert field.value == "0,75" and field.label == "Alpha"
    field.set_value("1,5").run()
    assert at.session_state["p.scaled_mean.alpha"] == 1.5
    assert query_of(at)["p.alpha"] == ["1.5"]
    at.text_input(key="p.scaled_mean.alpha.text.de").set_value("0.75").run()
    assert at.session_state["p.scaled_mean.alpha"] == 1.5  # kept, not 75
    assert at.text_input(key="p.scaled_mean.alpha.text.de").value == "1,5"
    def notes():  # as the reader sees them: the typed text is escaped (names are text)
        return [re.sub(r"\\(.)", r"\1", c.value) for c in at.sidebar.caption]

    assert ("„0.75“ ist keine Zahl im deutschen Format – meinten Sie 0,75? Es bleibt bei 1,5."
            in notes())
    at.text_input(key="p.scaled_mean.alpha.text.de").set_value("abc").run()
    assert "„abc“ ist keine Zahl; es bleibt bei 1,5." in notes()
    english = run_app({"method": "scaled_mean", "p.alpha": "2.25", "lang": "en"})
    english.session_state["_open.params_box"] = True
    english.run()
    assert english.text_input(key="p.scaled_mean.alpha.text.en").value == "2.25"
