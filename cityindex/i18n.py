"""German and English labels for the dashboard.

German is the default: the index and most of its users are German. Keys are stable
identifiers; a missing English text falls back to the German one, a missing key to the key
itself (so a typo shows up on screen instead of crashing the app).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cityindex.formats import format_number, is_missing
from cityindex.messages import Message, render

LANGUAGES: dict[str, str] = {"de": "Deutsch", "en": "English"}
DEFAULT_LANGUAGE = "de"

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "app_title": "Smart City Index – offen und erweiterbar",
        "app_caption": (
            "Bitkoms Smart City Index der deutschen Großstädte über 100.000 Einwohner, mit "
            "austauschbaren Bewertungsmethoden. Modellierte Werte sind als solche markiert."
        ),
        "language": "Sprache",
        "edition": "Ausgabe",
        "method": "Methode",
        "method_params": "Parameter der Methode",
        "filters": "Filter",
        "states": "Bundesländer",
        "sizes": "Größenklasse",
        "peer": "Vergleichsgruppe",
        "peer_none": "alle Städte",
        "cities": "Ausgewählte Städte",
        "choose_cities": "Städte hervorheben",
        "all": "alle",
        "tab_ranking": "Rangliste",
        "tab_map": "Karte",
        "tab_compare": "Methodenvergleich",
        "tab_profile": "Stadtprofil",
        "tab_services": "Online-Dienste",
        "tab_methods": "Methoden und Daten",
        "rank": "Rang",
        "rank_change": "Veränderung",
        "rank_change_help": "Rangveränderung gegenüber der Vorjahresausgabe mit derselben Methode "
        "(positiv = besser)",
        "published_rank": "Rang (veröffentlicht)",
        "published_total": "Punkte (veröffentlicht)",
        "city": "Stadt",
        "state": "Bundesland",
        "published_figures": "Von Bitkom veröffentlichte Werte dieser Stadt",
        "published_figures_note": "Nur diese Zahlen sind veröffentlicht (mit Quelle); alle "
        "anderen Werte des Profils sind berechnet, meist aus modellierten Parameterwerten. "
        "„alternativ“: eine abweichende Quelle, nicht verwendet.",
        "no_published_figures": "Für diese Stadt und Ausgabe ist nichts veröffentlicht: alle "
        "Werte sind berechnet.",
        "scope": "Bereich",
        "rank_change_published": "Veränderung (veröffentlicht)",
        "status": "Status",
        "source": "Quelle",
        "note": "Anmerkung",
        "notes": "Anmerkungen",
        "points_unit": "Punkte",
        "sources": "Quellen",
        "total": "Gesamt",
        "score": "Punkte",
        "population": "Einwohner",
        "missing": "fehlende Werte",
        "provenance": "Herkunft",
        "provenance_legend": "Legende der Herkunft",
        "published_mismatch": "{n} Städte sind als veröffentlicht markiert, der berechnete Rang "
        "oder die Punkte weichen aber vom veröffentlichten Wert ab (maßgeblich sind die Spalten "
        "„veröffentlicht“): {names}",
        "find_city": "Stadt suchen",
        "ranking_view": "Ansicht",
        "rb_values_note": (
            "Die Analysen gewichten dieselben Werte neu wie die Rangliste; ihre Rangbereiche "
            "und Sensitivitäten ruhen auf Werten dieser Herkunft."
        ),
        "compare_download_note": (
            "Die Downloads enthalten für die angezeigten Städte Rang, Punkte und Herkunft jeder "
            "Methode und die Verschiebung gegen die erste, dazu beide Korrelationsmatrizen; die "
            "Excel-Datei hat ein Blatt „Methodik“ mit jeder Methode und ihren Parametern."
        ),
        "selection_search": "Suche: „{text}“",
        "ranking_view_chart": "Diagramm",
        "ranking_view_table": "Tabelle",
        "ranking_view_help": (
            "Die Tabelle zeigt zu jeder Stadt Bitkoms veröffentlichten Rang und Punkte, die "
            "Punkte und Ränge jedes Bereichs; man kann nach jeder Spalte sortieren."
        ),
        "download_csv": "Als CSV herunterladen",
        "n_cities": "{n} von {total} Städten",
        "chart_data": "Zahlen zur Grafik",
        "no_cities": "Keine Stadt passt zu den Filtern.",
        "no_city_named": "Keine Stadt der Ausgabe {edition} hat „{text}“ im Namen.",
        "no_city_named_here": "„{text}“ passt zu {names}, aber nicht zu den Filtern.",
        "no_data": "Hierzu gibt es nichts zu zeigen.",
        "no_rows": "keine",
        "check_agrees": "stimmt",
        "check_contradicts": "widerspricht",
        "published_change_check": "Bitkom-Veränderung geprüft",
        "published_change_check_help": (
            "Ob Bitkoms veröffentlichte Rangveränderung zu den hier berechneten Rängen beider "
            "Ausgaben passt. „widerspricht“: die Veröffentlichung ist nicht bestätigt."
        ),
        "area_score_help": (
            "Blau: von Bitkom veröffentlichter Bereichswert, hier reproduziert. Sonst: "
            "berechnet oder modelliert – nicht Bitkoms Zahl."
        ),
        "area_rank": "Rang {area}",
        "area_colors_legend": (
            "Bereichswerte und -ränge in Blau hat Bitkom veröffentlicht (und sie werden hier "
            "reproduziert); alle anderen sind berechnet oder modelliert – auch die Punkte eines "
            "Bereichs, dessen Rang veröffentlicht ist. Jeder Bereich hat seinen eigenen Rang."
        ),
        "download_xlsx": "Als Excel-Datei herunterladen",
        "download_note": (
            "CSV im deutschen Excel-Format (Semikolon, Dezimalkomma); die Excel-Datei enthält "
            "zusätzlich ein Blatt „Methodik“ mit Methode, Parametern, Datenherkunft und der "
            "Legende der Marker."
        ),
        "own_data": "Eigene Daten",
        "own_data_help": (
            "Ein ZIP mit den CSV-Dateien des Datenformats oder eine Excel-Arbeitsmappe (ein "
            "Blatt je Datei). Die Daten bleiben in dieser Sitzung."
        ),
        "upload_label": "Datensatz hochladen (.zip oder .xlsx)",
        "upload_help": (
            "Fünf Tabellen – cities, areas, categories, indicators, values – als CSV-Dateien "
            "in einem ZIP oder als Blätter einer .xlsx-Arbeitsmappe; das Format beschreibt die "
            "Projektdokumentation („Dataset format“)."
        ),
        "upload_banner": (
            "Angezeigt werden eigene Daten aus „{name}“ ({n} Städte, {editions}), "
            "nicht die mitgelieferten Bitkom-Daten. Datei entfernen, um zurückzukehren."
        ),
        "folder_banner": (
            "Angezeigt werden Daten aus dem Ordner „{name}“ ({n} Städte, {editions}), "
            "festgelegt mit CITYINDEX_DATA – nicht die mitgelieferten Bitkom-Daten."
        ),
        "upload_banner_one": (
            "Angezeigt werden eigene Daten aus „{name}“ (1 Stadt, {editions}), "
            "nicht die mitgelieferten Bitkom-Daten. Datei entfernen, um zurückzukehren."
        ),
        "editions_list": "Ausgaben {list}",
        "editions_list_one": "Ausgabe {list}",
        "upload_invalid": (
            "Der hochgeladene Datensatz hat {n} Probleme und wird nicht verwendet; angezeigt "
            "werden die mitgelieferten Bitkom-Daten."
        ),
        "upload_invalid_one": (
            "Der hochgeladene Datensatz hat ein Problem und wird nicht verwendet; angezeigt "
            "werden die mitgelieferten Bitkom-Daten."
        ),
        "left_out": (
            "{n} Städte ohne Rang unter einer der Methoden bleiben bei Verschiebungen und "
            "Korrelationen außen vor: {names}"
        ),
        "left_out_one": (
            "Eine Stadt ohne Rang unter einer der Methoden bleibt bei Verschiebungen und "
            "Korrelationen außen vor: {names}"
        ),
        "areas_of_city": "Bereiche: Punkte, Rang (von {n}) und Herkunft",
        "upload_warnings": "Hinweise zu den hochgeladenen Daten: {items}",
        "more_problems": (
            "… und {n} weitere; „cityindex validate“ auf der Kommandozeile listet jedes."
        ),
        "data_warnings": "Hinweise zu den Daten: {items}",
        "peer_caption": "Vergleichsgruppe: {group}",
        "own_weights": "Eigene Gewichte",
        "use_own_weights": "Bereiche selbst gewichten",
        "own_weights_help": (
            "Jeder Bereich 0–10 wie beim OECD Better Life Index; nur die Verhältnisse zählen. "
            "Die Rangliste rechnet sofort neu, die Gewichte stehen im Link und in den Exporten."
        ),
        "weight_preset": "Voreinstellung",
        "preset_method": "wie die Methode",
        "preset_equal": "alle gleich",
        "preset_choose": "Voreinstellung wählen …",
        "preset_focus": "Schwerpunkt {area}",
        "weights_all_zero": "Mindestens ein Bereich braucht ein Gewicht über 0; bis dahin gelten "
                            "die Gewichte der Methode.",
        "with_own_weights": "eigene Gewichte",
        "number_not_read": "„{text}“ ist keine Zahl; es bleibt bei {kept}.",
        "number_not_read_hint": (
            "„{text}“ ist keine Zahl im deutschen Format – meinten Sie {hint}? Es bleibt bei "
            "{kept}."
        ),
        "number_not_whole": "„{text}“ ist keine ganze Zahl; es bleibt bei {kept}.",
        "number_below": "„{text}“ ist kleiner als {low}; es bleibt bei {kept}.",
        "number_above": "„{text}“ ist größer als {high}; es bleibt bei {kept}.",
        "compare_same_axes": "Auf beiden Achsen steht dieselbe Methode: jede Stadt läge auf "
                             "der Diagonalen, keine verschöbe sich. Wählen Sie für x- und "
                             "y-Achse zwei verschiedene Methoden.",
        "tab_robustness": "Robustheit",
        "rb_intro": (
            "Wie viel verdankt ein Rang den Entscheidungen der Methode? Die Gewichte (und auf "
            "Wunsch Normierung und Aggregation) werden vielfach zufällig variiert; gezeigt werden "
            "die Spannweiten der Ränge, ihre Wahrscheinlichkeiten, welche Eingabe wie viel erklärt"
            " und der beste und schlechteste erreichbare Rang."
        ),
        "rb_settings": "Einstellungen der Analyse",
        "rb_scheme": "Gewichte ziehen",
        "rb_dirichlet": "Dirichlet um die Gewichte der Methode",
        "rb_noise": "gleichverteilt ± Anteil um die Gewichte",
        "rb_simplex": "gleichverteilt über alle Gewichtungen (SMAA)",
        "rb_draws": "Ziehungen",
        "rb_concentration": "Konzentration",
        "rb_concentration_help": "Größer = näher an den Gewichten der Methode.",
        "rb_seed": "Startwert (Seed)",
        "rb_seed_help": "Gleicher Startwert, gleiches Ergebnis: die Analyse ist reproduzierbar.",
        "rb_bounds": "Grenzen je Bereichsgewicht (Anteil)",
        "rb_bounds_help": (
            "Für SMAA und für den besten/schlechtesten Rang: jedes Bereichsgewicht zwischen diesen"
            " Anteilen."
        ),
        "rb_categories": "auch Kategoriegewichte variieren",
        "rb_normalisations": "Normierungen",
        "rb_aggregations": "Aggregationen",
        "rb_methods_own": "die der Methode",
        "rb_norm_minmax": "Min-Max-Normierung",
        "rb_norm_zscore": "z-Standardisierung",
        "rb_norm_rank": "Rangnormierung",
        "rb_norm_share_of_best": "Anteil am Besten",
        "rb_agg_arithmetic": "arithmetisches Mittel",
        "rb_agg_geometric": "geometrisches Mittel",
        "rb_samples": "Stichprobe der Sensitivitätsanalyse (N)",
        "rb_sampling": "Ziehe Gewichte …",
        "rb_bounds_running": "Berechne besten und schlechtesten Rang …",
        "rb_sobol_running": "Berechne Sobol-Indizes …",
        "rb_not_possible": "Für {method} ist diese Analyse nicht möglich: {error}",
        "rb_intervals": "Rangspannen",
        "rb_counts": (
            "{draws} Ziehungen, {evaluated} ausgewertet, {failed} nicht auswertbar; Annahmequote "
            "{acceptance}; Startwert {seed}."
        ),
        "rb_failed": (
            "{n} Ziehungen ließen sich nicht auswerten und sind mitgezählt, nicht stillschweigend "
            "verworfen: {reasons}"
        ),
        "rb_bounds_note": (
            "Grauer Balken: bester bis schlechtester erreichbarer Rang über alle "
            "Bereichsgewichtungen mit jedem Gewicht zwischen {lo} und {hi} (exakt, gemischt-"
            "ganzzahlige Optimierung)."
        ),
        "rb_bounds_unavailable": "Bester/schlechtester Rang nicht verfügbar: {error}",
        "rb_intervals_legend": (
            "Blauer Balken: 5–95 %-Spanne des Rangs über die Ziehungen · schwarzer Strich: Median "
            "· Raute: Rang mit den Gewichten der Methode."
        ),
        "rb_probabilities": "Rangwahrscheinlichkeiten",
        "rb_probabilities_smaa": "Rangakzeptanz (SMAA: über alle zulässigen Gewichtungen)",
        "rb_sobol": "Sensitivität: Sobol-Indizes",
        "rb_sobol_note": (
            "Anteil der Varianz der mittleren absoluten Rangverschiebung, den jede Eingabe allein "
            "(erste Ordnung) und mit allen Wechselwirkungen (Gesamtordnung) erklärt; {n} "
            "Modellauswertungen (N = {samples}), Balken = Bootstrap-Konfidenzintervall."
        ),
        "rb_sobol_untrusted": (
            "Diese Schätzungen sind nicht belastbar – Stichprobe erhöhen (jetzt N = {samples}): "
            "{items}"
        ),
        "rb_problem_above_total": "{input}: erste Ordnung {est} über Gesamtordnung {conf}",
        "rb_problem_negative": "{input}: {order} {est} ± {conf} ist negativ",
        "rb_problem_wide": "{input}: {order} {est} ± {conf}, Intervall breiter als der Wert",
        "rb_col_median_rank": "Median-Rang",
        "rb_col_rank_p05": "Rang 5 %",
        "rb_col_rank_p95": "Rang 95 %",
        "rb_col_best_rank": "bester Rang",
        "rb_col_worst_rank": "schlechtester Rang",
        "rb_col_p_rank1": "P(Rang 1) %",
        "rb_col_p_top10": "P(Top 10) %",
        "rb_col_probability": "Wahrscheinlichkeit",
        "rb_col_sobol_index": "Sobol-Index",
        "rb_col_input": "Eingabe",
        "rb_col_order": "Ordnung",
        "rb_col_S1": "erste Ordnung",
        "rb_col_ST": "Gesamtordnung",
        "rb_col_low": "untere Grenze (95 %)",
        "rb_col_high": "obere Grenze (95 %)",
        "bundled_data": "mitgelieferte Daten",
        "color_by": "Farbe nach",
        "by_score": "Punkten",
        "by_rank": "Rang",
        "map_caption": "Kreisfläche nach Einwohnerzahl; Länder aus der mitgelieferten "
        "Kartendatei (ohne Kartendienst).",
        "no_coordinates": "{n} Städte ohne Koordinaten fehlen auf der Karte: {names}",
        "compare_methods": "Methoden zum Vergleich",
        "compare_need_two": "Bitte mindestens zwei Methoden wählen.",
        "bump_title": "Ränge je Methode",
        "correlations_over": (
            "Rangkorrelationen über die {n} Städte, die jede der Methoden bewertet."
        ),
        "correlations_over_one": (
            "Rangkorrelationen über die eine Stadt, die jede der Methoden bewertet."
        ),
        "correlations_filters": (
            "Die Filter wirken hier nicht: die Korrelationen gelten für die ganze Ausgabe."
        ),
        "scatter_title": "Punkte: {x} gegen {y}",
        "scatter_x": "x-Achse",
        "scatter_y": "y-Achse",
        "movers": "Größte Verschiebungen",
        "shift": "Verschiebung",
        "spearman": "Spearman-Rangkorrelation",
        "kendall": "Kendalls Tau-b",
        "correlation": "Korrelation",
        "computing": "Berechne {what} …",
        "profile_city": "Stadt",
        "profile_not_in_edition": "{city} ist in der Ausgabe {edition} nicht bewertet; "
        "gezeigt wird {shown}. In einer Ausgabe mit {city} erscheint wieder {city}.",
        "shares_filters_ignored": (
            "Die Anteile sind über alle {n} Städte der Ausgabe berechnet: die Filter der "
            "Seitenleiste gelten hier nur für die Karte."
        ),
        "profile_filters_ignored": (
            "Das Profil bietet jede der {n} Städte der Ausgabe an: die Filter der Seitenleiste "
            "gelten hier nicht, die Ränge sind die unter allen Städten."
        ),
        "profile_peer": "Vergleichsgruppe für den Median",
        "area": "Bereich",
        "median_all": "Median aller Städte",
        "median_peer": "Median der Vergleichsgruppe",
        "this_city": "Stadt",
        "strongest": "Stärkste Kategorien",
        "weakest": "Schwächste Kategorien",
        "category": "Kategorie",
        "no_categories": "Diese Methode liefert keine Kategorienwerte.",
        "services_offered": "Angebotene Online-Dienste",
        "services_lacking": "Fehlende Online-Dienste",
        "no_services": "Für diese Ausgabe sind keine Online-Dienste ausgewiesen.",
        "service": "Dienst",
        "value": "Wert",
        "offered": "angeboten",
        "not_offered": "nicht angeboten",
        "unknown": "unbekannt",
        "ranks_all_methods": "Rang unter jeder installierten Methode (die gewählte mit Ihren "
        "Einstellungen, die anderen mit Standardparametern)",
        "history": "Verlauf über die Ausgaben",
        "series": "Reihe",
        "computed_rank": "berechneter Rang",
        "not_assessed": "{city} wurde in der Ausgabe {edition} nicht bewertet.",
        "service_shares": "Anteil der Städte mit dem Online-Dienst",
        "share": "Anteil (%)",
        "share_computed": "Anteil berechnet (%)",
        "share_published": "Anteil veröffentlicht (%)",
        "share_note": "Berechnete Anteile stammen aus den Indikatorwerten des Datensatzes; "
        "die Farbe eines Balkens sagt, woher diese Werte stammen. Veröffentlichte Anteile sind "
        "als Striche markiert.",
        "choose_service": "Dienst",
        "offer_map": "Wer bietet den Dienst an?",
        "methods_installed": "Installierte Methoden",
        "method_card_name": "Name",
        "description": "Beschreibung",
        "citation": "Quellenangabe",
        "parameters": "Parameter",
        "requires": "Benötigt",
        "missing_policy": "Fehlende Werte",
        "package": "Paket",
        "plugin": "Plugin",
        "version": "Version",
        "data_provenance": "Herkunft der Daten",
        "data_path": "Datensatz",
        "values_by_provenance": "Indikatorwerte nach Herkunft",
        "published_by_edition": "Veröffentlichte Ergebnisse je Ausgabe",
        "editions": "Ausgaben",
        "count": "Anzahl",
        "invalid_link": "Nicht übernommen aus dem Link: {what}",
        "error_method": "Die Methode kann diese Ausgabe nicht bewerten: {error}",
        "error_method_fallback": (
            "Die Methode „{method}“ ({name}) kann die Ausgabe {edition} nicht bewerten: "
            "{error}. Angezeigt wird die Standardmethode „{shown}“; wählen Sie in der "
            "Seitenleiste eine andere Methode."
        ),
        "plugins_not_loaded": "{n} Erweiterungen konnten nicht geladen werden: {names}. Alle "
                              "anderen Methoden funktionieren; Details im Reiter „Methoden und "
                              "Daten“.",
        "plugins_not_loaded_one": "Eine Erweiterung konnte nicht geladen werden: {names}. Alle "
                                  "anderen Methoden funktionieren; Details im Reiter „Methoden "
                                  "und Daten“.",
        "method_failed_note": "{method} fehlt hier: {error}",
        "could_not_load": "Nicht geladene Erweiterungen",
        "reason": "Grund",
        "share_link": "Die Adresse im Browser gibt diese Ansicht wieder (Ausgabe, Methode, "
        "Parameter, Filter, Städte).",
        "edition_cities": "{n} bewertete Städte",
        "size_small": "100–200 Tsd.",
        "size_medium": "200–500 Tsd.",
        "size_large": "ab 500 Tsd.",
        "size_unknown": "unbekannt",
        "peer_ruhr": "Ruhrgebiet",
        "peer_city_states": "Stadtstaaten",
        "peer_east": "Ostdeutschland (mit Berlin)",
        "peer_large": "Metropolen ab 500 Tsd.",
        "peer_state": "Land {state}",
        "param_name": "Name",
        "param_label": "Bezeichnung",
        "param_type": "Typ",
        "param_default": "Standard",
        "param_range": "Bereich",
        "param_help": "Erläuterung",
        "yes": "ja",
        "no": "nein",
    },
    "en": {
        "app_title": "Smart City Index – open and pluggable",
        "app_caption": (
            "Bitkom's Smart City Index of the German cities over 100,000 inhabitants, with "
            "pluggable scoring methods. Modeled values are marked as such."
        ),
        "language": "Language",
        "edition": "Edition",
        "method": "Method",
        "method_params": "Method parameters",
        "filters": "Filters",
        "states": "States",
        "sizes": "Size class",
        "peer": "Peer group",
        "peer_none": "all cities",
        "cities": "Selected cities",
        "choose_cities": "Highlight cities",
        "all": "all",
        "tab_ranking": "Ranking",
        "tab_map": "Map",
        "tab_compare": "Compare methods",
        "tab_profile": "City profile",
        "tab_services": "Online services",
        "tab_methods": "Methods and data",
        "rank": "Rank",
        "rank_change": "Change",
        "rank_change_help": "Change of rank against the previous edition under the same method "
        "(positive = better)",
        "published_rank": "Rank (published)",
        "published_total": "Points (published)",
        "city": "City",
        "state": "State",
        "published_figures": "Figures Bitkom published for this city",
        "published_figures_note": "Only these numbers are published (with their source); every "
        "other value in the profile is computed, mostly from modeled indicator values. "
        "'alternative': a conflicting source, not used.",
        "no_published_figures": "Nothing is published for this city and edition: every value "
        "is computed.",
        "scope": "Scope",
        "rank_change_published": "Change (published)",
        "status": "Status",
        "source": "Source",
        "note": "Note",
        "notes": "Notes",
        "points_unit": "points",
        "sources": "Sources",
        "total": "Total",
        "score": "Points",
        "population": "Population",
        "missing": "missing values",
        "provenance": "Provenance",
        "provenance_legend": "Provenance legend",
        "published_mismatch": "{n} cities are marked as published, but the computed rank or "
        "points differ from the published figure (the columns 'published' hold the published "
        "ones): {names}",
        "find_city": "Find a city",
        "ranking_view": "View",
        "rb_values_note": (
            "The analyses weigh the ranking's values anew; their rank ranges and "
            "sensitivities rest on values of this provenance."
        ),
        "compare_download_note": (
            "The downloads hold every method's rank, points and provenance for the shown "
            "cities and the shift against the first, with both correlation matrices; the Excel "
            "file has a sheet “Methodology” naming each method with its parameters."
        ),
        "selection_search": "Search: '{text}'",
        "ranking_view_chart": "Chart",
        "ranking_view_table": "Table",
        "ranking_view_help": (
            "The table gives every city's rank and points as Bitkom published them, and the "
            "points and rank in every area; it sorts by any column."
        ),
        "download_csv": "Download as CSV",
        "n_cities": "{n} of {total} cities",
        "chart_data": "Numbers behind the chart",
        "no_cities": "No city matches the filters.",
        "no_city_named": "No city of the {edition} edition has “{text}” in its name.",
        "no_city_named_here": "“{text}” matches {names}, but not the filters.",
        "no_data": "There is nothing to show here.",
        "no_rows": "none",
        "check_agrees": "agrees",
        "check_contradicts": "contradicts",
        "published_change_check": "Bitkom's change checked",
        "published_change_check_help": (
            "Whether Bitkom's published rank change fits the ranks computed here for both "
            "editions. 'contradicts': the published figure is not confirmed."
        ),
        "area_score_help": (
            "Blue: an area score Bitkom published, reproduced here. Otherwise: computed or "
            "modeled – not Bitkom's figure."
        ),
        "area_rank": "Rank {area}",
        "area_colors_legend": (
            "Area scores and ranks in blue were published by Bitkom (and are reproduced "
            "here); all others are computed or modeled – also the points of an area whose "
            "rank is published. Every area has its own rank."
        ),
        "download_xlsx": "Download as Excel workbook",
        "download_note": (
            "The CSV uses commas and decimal points; the Excel workbook also has a "
            "'Methodology' sheet with the method, parameters, data provenance and the legend "
            "of the markers."
        ),
        "own_data": "Your own data",
        "own_data_help": (
            "A zip of the CSV files of the dataset format, or an Excel workbook (one sheet per "
            "file). The data stay in this session."
        ),
        "upload_label": "Upload a dataset (.zip or .xlsx)",
        "upload_help": (
            "Five tables – cities, areas, categories, indicators, values – as CSV files in a "
            "ZIP or as the sheets of an .xlsx workbook; the project's documentation describes "
            "the format (“Dataset format”)."
        ),
        "upload_banner": (
            "Showing your own data from '{name}' ({n} cities, {editions}), not the "
            "bundled Bitkom data. Remove the file to go back."
        ),
        "folder_banner": (
            "Showing the data of the folder '{name}' ({n} cities, {editions}), set with "
            "CITYINDEX_DATA: not the bundled Bitkom data."
        ),
        "upload_banner_one": (
            "Showing your own data from '{name}' (1 city, {editions}), not the "
            "bundled Bitkom data. Remove the file to go back."
        ),
        "editions_list": "editions {list}",
        "editions_list_one": "edition {list}",
        "upload_invalid": (
            "The uploaded dataset has {n} problems and is not used; the bundled Bitkom data "
            "are shown."
        ),
        "upload_invalid_one": (
            "The uploaded dataset has a problem and is not used; the bundled Bitkom data "
            "are shown."
        ),
        "left_out": (
            "{n} cities unranked under one of the methods are left out of shifts and "
            "correlations: {names}"
        ),
        "left_out_one": (
            "One city unranked under one of the methods is left out of shifts and "
            "correlations: {names}"
        ),
        "areas_of_city": "Areas: points, rank (of {n}) and provenance",
        "upload_warnings": "Notes on the uploaded data: {items}",
        "more_problems": (
            "… and {n} more; `cityindex validate` on the command line lists every one."
        ),
        "data_warnings": "Notes on the data: {items}",
        "peer_caption": "Comparison group: {group}",
        "own_weights": "Your own weights",
        "use_own_weights": "Weigh the areas yourself",
        "own_weights_help": (
            "Each area 0–10, as in the OECD Better Life Index; only the ratios count. The "
            "ranking updates at once; the weights travel in the link and in the exports."
        ),
        "weight_preset": "Preset",
        "preset_method": "as the method",
        "preset_equal": "all equal",
        "preset_choose": "Choose a preset …",
        "preset_focus": "focus on {area}",
        "weights_all_zero": "At least one area needs a weight above 0; until then the method's "
                            "weights apply.",
        "with_own_weights": "own weights",
        "number_not_read": "“{text}” is not a number; {kept} is kept.",
        "number_not_read_hint": (
            "“{text}” is not a number in English format – did you mean {hint}? {kept} is kept."
        ),
        "number_not_whole": "“{text}” is not a whole number; {kept} is kept.",
        "number_below": "“{text}” is less than {low}; {kept} is kept.",
        "number_above": "“{text}” is more than {high}; {kept} is kept.",
        "compare_same_axes": "Both axes show the same method: every city would lie on the "
                             "diagonal and none would move. Choose two different methods for "
                             "the x and y axes.",
        "tab_robustness": "Robustness",
        "rb_intro": (
            "How much does a rank owe to the method's choices? The weights (and, if you wish, "
            "normalisation and aggregation) are varied at random many times; shown are the spread "
            "of the ranks, their probabilities, which input explains how much, and the best and "
            "worst achievable rank."
        ),
        "rb_settings": "Settings of the analysis",
        "rb_scheme": "Draw the weights",
        "rb_dirichlet": "Dirichlet around the method's weights",
        "rb_noise": "uniform ± a share around the weights",
        "rb_simplex": "uniform over all weightings (SMAA)",
        "rb_draws": "Draws",
        "rb_concentration": "Concentration",
        "rb_concentration_help": "Larger = closer to the method's weights.",
        "rb_seed": "Seed",
        "rb_seed_help": "The same seed gives the same result: the analysis is reproducible.",
        "rb_bounds": "Bounds of every area weight (share)",
        "rb_bounds_help": (
            "For SMAA and for the best/worst rank: every area weight between these shares."
        ),
        "rb_categories": "also vary the category weights",
        "rb_normalisations": "Normalisations",
        "rb_aggregations": "Aggregations",
        "rb_methods_own": "the method's own",
        "rb_norm_minmax": "min-max normalisation",
        "rb_norm_zscore": "z-score standardisation",
        "rb_norm_rank": "rank",
        "rb_norm_share_of_best": "share of the best",
        "rb_agg_arithmetic": "arithmetic mean",
        "rb_agg_geometric": "geometric mean",
        "rb_samples": "Sample of the sensitivity analysis (N)",
        "rb_sampling": "Drawing weights …",
        "rb_bounds_running": "Computing the best and worst ranks …",
        "rb_sobol_running": "Computing Sobol indices …",
        "rb_not_possible": "This analysis is not possible for {method}: {error}",
        "rb_intervals": "Rank intervals",
        "rb_counts": (
            "{draws} draws, {evaluated} evaluated, {failed} could not be evaluated; acceptance "
            "{acceptance}; seed {seed}."
        ),
        "rb_failed": (
            "{n} draws could not be evaluated and are counted, not dropped in silence: {reasons}"
        ),
        "rb_bounds_note": (
            "Grey bar: best to worst achievable rank over every area weighting with each weight "
            "between {lo} and {hi} (exact, mixed-integer programming)."
        ),
        "rb_bounds_unavailable": "Best/worst rank not available: {error}",
        "rb_intervals_legend": (
            "Blue bar: 5–95 % interval of the rank over the draws · black tick: median · diamond: "
            "rank with the method's weights."
        ),
        "rb_probabilities": "Rank probabilities",
        "rb_probabilities_smaa": "Rank acceptability (SMAA: over every admissible weighting)",
        "rb_sobol": "Sensitivity: Sobol indices",
        "rb_sobol_note": (
            "Share of the variance of the mean absolute rank shift that each input explains alone "
            "(first order) and with all its interactions (total order); {n} model evaluations (N ="
            " {samples}), bars = bootstrap confidence interval."
        ),
        "rb_sobol_untrusted": (
            "These estimates cannot be trusted – increase the sample (now N = {samples}): {items}"
        ),
        "rb_problem_above_total": "{input}: first order {est} above total order {conf}",
        "rb_problem_negative": "{input}: {order} {est} ± {conf} is negative",
        "rb_problem_wide": "{input}: {order} {est} ± {conf}, interval wider than the estimate",
        "rb_col_median_rank": "Median rank",
        "rb_col_rank_p05": "Rank 5 %",
        "rb_col_rank_p95": "Rank 95 %",
        "rb_col_best_rank": "Best rank",
        "rb_col_worst_rank": "Worst rank",
        "rb_col_p_rank1": "P(rank 1) %",
        "rb_col_p_top10": "P(top 10) %",
        "rb_col_probability": "Probability",
        "rb_col_sobol_index": "Sobol index",
        "rb_col_input": "Input",
        "rb_col_order": "Order",
        "rb_col_S1": "first order",
        "rb_col_ST": "total order",
        "rb_col_low": "lower bound (95 %)",
        "rb_col_high": "upper bound (95 %)",
        "bundled_data": "bundled data",
        "color_by": "Colour by",
        "by_score": "points",
        "by_rank": "rank",
        "map_caption": "Circle area by population; states from the bundled TopoJSON file "
        "(no tile server).",
        "no_coordinates": "{n} cities without coordinates are not on the map: {names}",
        "compare_methods": "Methods to compare",
        "compare_need_two": "Please choose at least two methods.",
        "bump_title": "Ranks by method",
        "correlations_over": "Rank correlations over the {n} cities that every method ranks.",
        "correlations_over_one": "Rank correlations over the one city that every method ranks.",
        "correlations_filters": (
            "The filters do not apply here: the correlations hold for the whole edition."
        ),
        "scatter_title": "Points: {x} against {y}",
        "scatter_x": "x axis",
        "scatter_y": "y axis",
        "movers": "Biggest movers",
        "shift": "Shift",
        "spearman": "Spearman rank correlation",
        "kendall": "Kendall's tau-b",
        "correlation": "Correlation",
        "computing": "Computing {what} …",
        "profile_city": "City",
        "profile_not_in_edition": "{city} is not assessed in the {edition} edition; showing "
        "{shown}. An edition with {city} shows {city} again.",
        "shares_filters_ignored": (
            "The shares are computed over all {n} cities of the edition: the sidebar's "
            "filters apply to the map only."
        ),
        "profile_filters_ignored": (
            "The profile offers each of the edition's {n} cities: the sidebar's filters do not "
            "apply here; ranks are among all cities."
        ),
        "profile_peer": "Peer group for the median",
        "area": "Area",
        "median_all": "Median of all cities",
        "median_peer": "Median of the peer group",
        "this_city": "City",
        "strongest": "Strongest categories",
        "weakest": "Weakest categories",
        "category": "Category",
        "no_categories": "This method has no category scores.",
        "services_offered": "Online services offered",
        "services_lacking": "Online services lacking",
        "no_services": "No online services are flagged for this edition.",
        "service": "Service",
        "value": "Value",
        "offered": "offered",
        "not_offered": "not offered",
        "unknown": "unknown",
        "ranks_all_methods": "Rank under every installed method (the chosen one with your "
        "settings, the others with default parameters)",
        "history": "History across editions",
        "series": "Series",
        "computed_rank": "computed rank",
        "not_assessed": "{city} was not assessed in the {edition} edition.",
        "service_shares": "Share of cities offering the online service",
        "share": "Share (%)",
        "share_computed": "Share computed (%)",
        "share_published": "Share published (%)",
        "share_note": "Computed shares come from the dataset's indicator values; a bar's "
        "colour says where those values come from. Published shares are drawn as ticks.",
        "choose_service": "Service",
        "offer_map": "Who offers the service?",
        "methods_installed": "Installed methods",
        "method_card_name": "Name",
        "description": "Description",
        "citation": "Citation",
        "parameters": "Parameters",
        "requires": "Requires",
        "missing_policy": "Missing values",
        "package": "Package",
        "plugin": "Plugin",
        "version": "Version",
        "data_provenance": "Provenance of the data",
        "data_path": "Dataset",
        "values_by_provenance": "Indicator values by provenance",
        "published_by_edition": "Published results by edition",
        "editions": "Editions",
        "count": "Count",
        "invalid_link": "Ignored from the link: {what}",
        "error_method": "The method cannot score this edition: {error}",
        "error_method_fallback": (
            "The method “{method}” ({name}) cannot score the edition {edition}: {error}. "
            "Shown instead is the default method “{shown}”; choose another method in the "
            "sidebar."
        ),
        "plugins_not_loaded": "{n} plugin packages could not be loaded: {names}. Every other "
                              "method works; details in the tab “Methods and data”.",
        "plugins_not_loaded_one": "A plugin package could not be loaded: {names}. Every other "
                                  "method works; details in the tab “Methods and data”.",
        "method_failed_note": "{method} is left out here: {error}",
        "could_not_load": "Plugins that could not be loaded",
        "reason": "Reason",
        "share_link": "The address in the browser reproduces this view (edition, method, "
        "parameters, filters, cities).",
        "edition_cities": "{n} cities assessed",
        "size_small": "100–200k",
        "size_medium": "200–500k",
        "size_large": "500k and more",
        "size_unknown": "unknown",
        "peer_ruhr": "Ruhr area",
        "peer_city_states": "City states",
        "peer_east": "East Germany (with Berlin)",
        "peer_large": "Cities of 500k and more",
        "peer_state": "State {state}",
        "param_name": "Name",
        "param_label": "Label",
        "param_type": "Type",
        "param_default": "Default",
        "param_range": "Range",
        "param_help": "Help",
        "yes": "yes",
        "no": "no",
    },
}

PROVENANCE_MARKERS: dict[str, str] = {
    "published": "●",
    "published rank": "◐",
    "published score": "◑",
    "computed": "◆",
    "user": "◇",
    "imputed": "◌",
    "modeled": "○",
    "unranked": "–",
}
"""A symbol per provenance marker of :data:`cityindex.PROVENANCE_LABELS`, for table rows."""

PROVENANCE_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    # marker -> (short label, legend text)
    "de": {
        "published": ("veröffentlicht", "Rang und Punkte wie veröffentlicht"),
        "published rank": (
            "Rang veröffentlicht",
            "Rang wie veröffentlicht; die angezeigten Punkte sind berechnet",
        ),
        "published score": (
            "Punkte veröffentlicht", "Punkte wie veröffentlicht; der Rang ist berechnet"
        ),
        "modeled": ("modelliert", "aus modellierten Werten berechnet"),
        "imputed": ("ergänzt", "aus Werten berechnet, unter denen ergänzte (imputierte) sind"),
        "user": ("eigene Daten", "aus vom Nutzer gelieferten Werten berechnet"),
        "computed": ("berechnet", "aus veröffentlichten Werten berechnet"),
        "unranked": ("ohne Rang", "keine Punkte: die Methode kann diese Stadt nicht bewerten "
                     "(siehe Grund)"),
    },
    "en": {
        "published": ("published", "rank and score as published"),
        "published rank": (
            "published rank", "rank as published; the score shown is computed"
        ),
        "published score": ("published score", "score as published; the rank is computed"),
        "modeled": ("modeled", "computed from modeled values"),
        "imputed": ("imputed", "computed from values that include imputed ones"),
        "user": ("user data", "computed from user-supplied values"),
        "computed": ("computed", "computed from published values"),
        "unranked": ("unranked", "no score: the method cannot score this city (see the reason)"),
    },
}


def normalise_language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **fmt) -> str:
    """The label ``key`` in ``lang``, formatted with ``fmt``.

    A count ``n=1`` picks the singular ``key + "_one"`` where there is one (German and English
    have only the plural categories "one" and "other"), so no text reads "Problem(e)"."""
    lang = normalise_language(lang)
    if fmt.get("n") == 1 and f"{key}_one" in LABELS[lang]:
        key = f"{key}_one"
    text = LABELS[lang].get(key) or LABELS[DEFAULT_LANGUAGE].get(key) or key
    return text.format(**fmt) if fmt else text


def provenance_label(marker: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Symbol and short label of a provenance marker, e.g. ``○ modelliert``; no marker (a
    missing value has none: None, NaN, "") is :data:`MISSING_TEXT`."""
    if not isinstance(marker, str) or not marker.strip():
        return MISSING_TEXT
    marker = marker.strip()
    short, _ = PROVENANCE_TEXT[normalise_language(lang)].get(marker, (marker, marker))
    return f"{PROVENANCE_MARKERS.get(marker, '?')} {short}"


def provenance_legend(
    markers, lang: str = DEFAULT_LANGUAGE, fallback: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """(label, legend text) for each marker in ``markers``, in the order of the legend.

    ``fallback`` is the core's :data:`cityindex.PROVENANCE_LABELS`, used for a marker this
    module does not know yet.
    """
    texts = PROVENANCE_TEXT[normalise_language(lang)]
    present = list(dict.fromkeys(markers))
    order = [m for m in PROVENANCE_MARKERS if m in present] + [
        m for m in present if m not in PROVENANCE_MARKERS
    ]
    out = []
    for marker in order:
        if marker in texts:
            out.append((provenance_label(marker, lang), texts[marker][1]))
        else:
            out.append((f"? {marker}", (fallback or {}).get(marker, marker)))
    return out


def card_text(method, field: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A method's card text in ``lang``: ``title_de`` / ``description_en`` … when the method
    declares one, else the plain ``title`` / ``description`` (built-ins write English)."""
    text = getattr(method, f"{field}_{normalise_language(lang)}", None)
    return text or getattr(method, field, "") or ""


def name_column(lang: str) -> str:
    """The catalogue column holding names in ``lang`` (``name_de`` or ``name_en``)."""
    return "name_en" if normalise_language(lang) == "en" else "name_de"


def names_in(table, lang: str = DEFAULT_LANGUAGE):
    """The names of a catalogue table's rows (areas, categories, indicators, services) in
    ``lang``: its ``name_en`` in English where one is given, else the German ``name_de``
    (a ``pandas.Series`` with the table's index)."""
    column = name_column(lang)
    if column not in table:
        return table["name_de"]
    return table[column].where(table[column] != "", table["name_de"])


# --- status words, column names and values shown to the reader -------------------------------

STATUS_TEXT: dict[str, dict[str, str]] = {
    "de": {
        "used": "verwendet",
        "alternative": "alternativ",
        "empty": "leer",
        "missing": "fehlt",
        "modeled": "modelliert",
        "published": "veröffentlicht",
        "computed": "berechnet",
        "imputed": "ergänzt",
        "user": "eigene Daten",
        "offered": "angeboten",
        "not_offered": "nicht angeboten",
        "unknown": "unbekannt",
        "true": "ja",
        "false": "nein",
    },
    "en": {
        "used": "used",
        "alternative": "alternative",
        "empty": "empty",
        "missing": "missing",
        "modeled": "modeled",
        "published": "published",
        "computed": "computed",
        "imputed": "imputed",
        "user": "user data",
        "offered": "offered",
        "not_offered": "not offered",
        "unknown": "unknown",
        "true": "yes",
        "false": "no",
    },
}
"""Status words of the data (published figures' ``status``, provenance markers, offers) as
the reader sees them."""

MISSING_TEXT = "–"
"""What a missing value is shown as (never "None", "nan" or "<NA>")."""


def status_label(value, lang: str = DEFAULT_LANGUAGE) -> str:
    """A status word of the data in ``lang`` (``used`` → ``verwendet``, ``alternative`` →
    ``alternativ``, ``modeled`` → ``modelliert`` …); a missing or empty value is ``–``, an
    unknown word is shown as it is."""
    if value is None or (not isinstance(value, str) and is_missing(value)):
        return MISSING_TEXT
    if isinstance(value, bool):
        value = "true" if value else "false"
    text = str(value).strip()
    if not text:
        return MISSING_TEXT
    return STATUS_TEXT[normalise_language(lang)].get(text, text)


def display_value(value, lang: str = DEFAULT_LANGUAGE, *, decimals: int = 1) -> str:
    """Any table cell as text for the reader: numbers in the format of ``lang`` (Babel),
    booleans as ja/nein, status words translated, missing values (None, NaN, pandas NA) as
    ``–``."""
    if isinstance(value, bool):
        return status_label(value, lang)
    if isinstance(value, Message):
        return message_text(value, lang)
    if isinstance(value, str):
        return status_label(value, lang)
    if is_missing(value):
        return MISSING_TEXT
    number = float(value)
    if number.is_integer() and not isinstance(value, float):
        return format_number(number, lang, decimals=0)
    return format_number(number, lang, decimals=decimals)


COLUMN_TEXT: dict[str, dict[str, str]] = {
    "de": {
        "edition": "Ausgabe",
        "title": "Titel",
        "published_on": "Veröffentlicht am",
        "n_cities": "Anzahl Städte",
        "n_categories": "Anzahl Kategorien",
        "n_indicators": "Anzahl Parameter",
        "n_values": "Anzahl Werte",
        "source": "Quelle",
        "note": "Anmerkung",
        "status": "Status",
        "scope": "Bereich",
        "rank": "Rang",
        "points": "Punkte",
        "score": "Punkte",
        "total": "Gesamt",
        "name": "Stadt",
        "state": "Bundesland",
        "population": "Einwohner",
        "missing": "fehlende Werte",
        "provenance": "Herkunft",
        "rank_change": "Veränderung",
        "published_rank": "Rang (veröffentlicht)",
        "published_total": "Punkte (veröffentlicht)",
        "published_rank_change": "Veränderung (veröffentlicht)",
        "published_match": "stimmt mit Veröffentlichung überein",
        "unranked_reason": "Grund ohne Rang",
        "areas": "Bereiche",
        "alternative": "alternativ",
        "count": "Anzahl",
        "value": "Wert",
        "service": "Dienst",
        "share_computed": "Anteil berechnet (%)",
        "share_published": "Anteil veröffentlicht (%)",
        "provenance_label": "Herkunft",
        "method": "Methode",
        "file": "Datei",
        "row": "Zeile",
        "column": "Spalte",
        "problem": "Problem",
        "hint": "Hinweis",
        "city_id": "Gemeindeschlüssel (AGS)",
        "lat": "Breitengrad",
        "lon": "Längengrad",
        "area": "Bereich",
        "series": "Reihe",
        "shift": "Verschiebung (Ränge)",
        "share": "Anteil (%)",
        "offer": "Angebot",
        "S1_conf": "erste Ordnung ± (95 %)",
        "ST_conf": "Gesamtordnung ± (95 %)",
    },
    "en": {
        "edition": "Edition",
        "title": "Title",
        "published_on": "Published on",
        "n_cities": "Number of cities",
        "n_categories": "Number of categories",
        "n_indicators": "Number of indicators",
        "n_values": "Number of values",
        "source": "Source",
        "note": "Note",
        "status": "Status",
        "scope": "Scope",
        "rank": "Rank",
        "points": "Points",
        "score": "Points",
        "total": "Total",
        "name": "City",
        "state": "State",
        "population": "Population",
        "missing": "missing values",
        "provenance": "Provenance",
        "rank_change": "Change",
        "published_rank": "Rank (published)",
        "published_total": "Points (published)",
        "published_rank_change": "Change (published)",
        "published_match": "matches the published figures",
        "unranked_reason": "Why unranked",
        "areas": "Areas",
        "alternative": "alternative",
        "count": "Count",
        "value": "Value",
        "service": "Service",
        "share_computed": "Share computed (%)",
        "share_published": "Share published (%)",
        "provenance_label": "Provenance",
        "method": "Method",
        "file": "File",
        "row": "Row",
        "column": "Column",
        "problem": "Problem",
        "hint": "Hint",
        "city_id": "Municipality key (AGS)",
        "lat": "Latitude",
        "lon": "Longitude",
        "area": "Area",
        "series": "Series",
        "shift": "Shift (ranks)",
        "share": "Share (%)",
        "offer": "Offer",
        "S1_conf": "first order ± (95 %)",
        "ST_conf": "total order ± (95 %)",
    },
}
for _lang, _words in COLUMN_TEXT.items():  # the robustness tables' columns: rb_col_<column>
    for _key, _text in LABELS[_lang].items():
        if _key.startswith("rb_col_"):
            _words.setdefault(_key[len("rb_col_"):], _text)
"""Readable names of the core's table columns (``edition`` → Ausgabe, ``n_cities`` → Anzahl
Städte …); a provenance marker used as a column name is translated by :func:`column_label`
too."""


def column_label(column: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The readable name of a table column in ``lang``; unknown columns keep their name."""
    lang = normalise_language(lang)
    text = COLUMN_TEXT[lang].get(column)
    if text:
        return text
    if column in PROVENANCE_TEXT[lang]:
        return PROVENANCE_TEXT[lang][column][0]
    return column


def column_labels(columns, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """``{column: readable name}`` for ``columns`` (for ``DataFrame.rename`` or Streamlit's
    ``column_config``)."""
    return {str(c): column_label(str(c), lang) for c in columns}


# --- the core's problems, warnings and errors ------------------------------------------------

LOCATION_WORDS: dict[str, tuple[str, str]] = {"de": ("Zeile", "Spalte"), "en": ("row", "column")}
"""How a problem's row and column are introduced (``Zeile 3, Spalte 'value'``)."""

PROBLEM_COLUMNS = ("file", "row", "column", "problem", "hint")
"""The columns of :func:`problem_table` (their names are in :data:`COLUMN_TEXT`)."""


def message_text(text, lang: str = DEFAULT_LANGUAGE) -> str:
    """A message of the core (a problem, hint, warning, error or reason) in ``lang``: German
    from the catalogue :mod:`cityindex.messages_de`, numbers in the German format; English as
    the core wrote it. Text that is not a :class:`~cityindex.messages.Message` (a plugin's own
    words, an operating system's error) is shown as it is."""
    return render(text, normalise_language(lang))


def problem_text(problem, lang: str = DEFAULT_LANGUAGE, *, hint: bool = False) -> str:
    """A :class:`~cityindex.dataset.Problem` located and worded in ``lang``: German
    ``values.csv, Zeile 3, Spalte 'value': 'abc' ist keine Zahl``; English exactly as
    ``str(problem)``. ``hint=True`` adds the hint after an arrow, like ``Problem.describe``."""
    lang = normalise_language(lang)
    if lang == "en":
        return problem.describe() if hint else str(problem)
    row_word, column_word = LOCATION_WORDS[lang]
    where = [message_text(problem.file, lang)]
    if problem.row is not None:
        where.append(f"{row_word} {problem.row}")
    if problem.column is not None:
        where.append(f"{column_word} '{problem.column}'")
    text = f"{', '.join(where)}: {message_text(problem.message, lang)}"
    advice = getattr(problem, "hint", "")
    return f"{text}  → {message_text(advice, lang)}" if hint and advice else text


def problem_table(problems: Iterable, lang: str = DEFAULT_LANGUAGE):
    """The problems of a dataset as a table in ``lang``, one row each: ``file``, ``row``
    (nullable integer), ``column``, ``problem`` and ``hint`` (see :data:`PROBLEM_COLUMNS`)."""
    import pandas as pd

    problems = list(problems)
    return pd.DataFrame({
        "file": [message_text(p.file, lang) for p in problems],
        "row": pd.array([p.row for p in problems], dtype="Int64"),
        "column": [p.column for p in problems],
        "problem": [message_text(p.message, lang) for p in problems],
        "hint": [message_text(getattr(p, "hint", "") or "", lang) for p in problems],
    }, columns=list(PROBLEM_COLUMNS))


# --- method parameters ------------------------------------------------------------------------

def param_label(parameter, lang: str = DEFAULT_LANGUAGE) -> str:
    """The label of a method parameter in ``lang``: in German its ``label_de`` where it has
    one, else (and in English) its ``label``, else its name.

    The attributes are read with ``getattr``, so a parameter of a plugin built against an
    older :class:`cityindex.Parameter` without ``label_de`` works too.
    """
    if normalise_language(lang) == "de":
        text = getattr(parameter, "label_de", "")
        if text:
            return text
    return getattr(parameter, "label", "") or parameter.name


PARAM_TYPE_TEXT: dict[str, dict[str, str]] = {
    "de": {"choice": "Auswahl", "float": "Dezimalzahl", "int": "ganze Zahl", "bool": "ja/nein"},
    "en": {"choice": "choice", "float": "decimal number", "int": "whole number",
           "bool": "yes/no"},
}
"""The types of method parameters (:attr:`cityindex.Parameter.type`) as the reader sees them."""


def param_type_label(kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The type of a method parameter in ``lang`` (``float`` → ``Dezimalzahl``); an unknown
    type is shown as it is."""
    return PARAM_TYPE_TEXT[normalise_language(lang)].get(kind, kind)


def param_help(parameter, lang: str = DEFAULT_LANGUAGE) -> str:
    """The help text of a method parameter in ``lang`` (``help_de`` in German where there is
    one, else ``help``; empty if there is none)."""
    if normalise_language(lang) == "de":
        text = getattr(parameter, "help_de", "")
        if text:
            return text
    return getattr(parameter, "help", "") or ""


def choice_label(parameter, value, lang: str = DEFAULT_LANGUAGE) -> str:
    """How a choice of a ``choice`` parameter is shown in ``lang`` (``skip`` → ``auslassen``):
    from the parameter's ``choice_labels_de`` (German) or ``choice_labels`` (English, also
    the German fallback); a choice without a label is shown as it is."""
    labels = []
    if normalise_language(lang) == "de":
        labels.append(getattr(parameter, "choice_labels_de", None) or {})
    labels.append(getattr(parameter, "choice_labels", None) or {})
    for mapping in labels:
        if value in mapping:
            return mapping[value]
    return str(value)


def param_value_label(parameter, value, lang: str = DEFAULT_LANGUAGE) -> str:
    """A parameter value for the reader: a choice by its label, a bool as ja/nein, a number
    in the format of ``lang`` (``0,05``)."""
    kind = getattr(parameter, "type", "")
    if kind == "choice":
        return choice_label(parameter, value, lang)
    if kind == "bool":
        return status_label(bool(value), lang)
    number = float(value)
    decimals = 0 if number.is_integer() else min(6, len(f"{number:g}".split(".")[-1]))
    return format_number(number, lang, decimals=decimals)


def method_title(method, params: Mapping | None = None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A method's title in ``lang``, with the parameters that differ from its defaults, e.g.
    ``Bitkom-Methode: gewichtete Kategorien (Skalierung: Anteil am Bestwert)``: the title
    for a comparison label such as ``bitkom(scaling=share_of_best)``."""
    title = card_text(method, "title", lang) or getattr(method, "name", "")
    if not params:
        return title
    known = {p.name: p for p in getattr(method, "parameters", ())}
    parts = []
    for key, value in params.items():
        p = known.get(key)
        if p is None:
            parts.append(f"{key}: {value}")
        else:
            parts.append(f"{param_label(p, lang)}: {param_value_label(p, value, lang)}")
    return f"{title} ({', '.join(parts)})"
