"""Build the per-edition catalogue: data/areas.csv, data/categories.csv, data/indicators.csv
and its domain constraints, data/constraints.csv.

    python scripts/build_catalogue.py [--out DIR]

The catalogue is written from the compact specification below: every category and indicator
named by a source carries that source and provenance=published for the editions it was named
in; the rest completes Bitkom's published counts plausibly and is marked provenance=modeled.
Deterministic: the committed CSV files are exactly what this script writes.
"""
import argparse
import csv
import os
import sys
from collections import Counter

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EDITIONS = list(range(2019, 2026))

def eds(spec):
    out = []
    for part in spec.split(","):
        if "-" in part:
            a, b = part.split("-")
            out += list(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out

# sources
S_CAPITAL = "https://www.capital.de/wirtschaft-politik/diese-deutschen-staedte-sind-fuehrend-bei-der-digitalisierung-122271"
S_ITDAILY = "https://it-daily.net/shortnews/ohne-gang-zum-amt-geht-es-noch-immer-nicht"
S_IBUS = "https://ibusiness.de/aktuell/db/070974SUR.html"
S_INNOV = "https://innovatorsclub.de/aktuelles/smart-city-index"
S_AUGS23 = "https://www.augsburger-allgemeine.de/neu-ulm/ulm-smart-cities-ulm-erstmals-in-der-top-ten-id68165936.html"
S_AUGS22 = "https://www.augsburger-allgemeine.de/neu-ulm/ulm-digitalisierung-geht-voran-ulm-verbessert-sich-im-bitkom-ranking-id64016111.html"
S_HEILB = "https://heilbronn.de/rathaus/aktuelles/details/artikel/heilbronn-steigt-digital-um-16-plaetze-auf.html"
S_MUCBUS = "https://www.munich-business.eu/meldungen/muenchen-auf-platz-1-im-smart-city-index.html"
S_SWR24 = "https://www.swr.de/swraktuell/bitkom-smart-city-index-2024-100.html"
S_RUMUC = "https://ru.muenchen.de/2023/196/Bitkom-Smart-City-Index-Muenchen-verdraengt-Hamburg-von-Platz-eins-109567"
S_SMC25 = "https://www.smartcountry.berlin/en/newsblog/details/smart-city-index-2025-munich-remains-at-the-top-stuttgart-makes-it-onto-the-podium.html"
S_GRUEND = "https://gruenderschmiede.org/remscheid-smart-city"
S_DIGNRW = "https://digitales.nrw/de/aktuelles/nachrichten/smart-city-index-nrw-staedte-vorne-mit-dabei"
S_WAZ22 = "https://www.waz.de/wirtschaft/rats-tv-und-online-buergerbuero-so-smart-sind-nrw-grossstaedte-id236479055.html"
S_WAZGE21 = "https://www.waz.de/staedte/gelsenkirchen/ranking-platz-11-gelsenkirchen-punktet-bei-digitalisierung-id233557521.html"
S_WAZGE20 = "https://www.waz.de/staedte/gelsenkirchen/digital-ranking-gelsenkirchen-zaehlt-zu-den-top-aufsteigern-id230622734.html"
S_RPDU19 = "https://rp-online.de/nrw/staedte/duisburg/smart-city-index-duisburg-ist-mittelpraechtig-digital_aid-46516093"
S_TONLINE24 = "https://t-online.de/region/aachen/id_100491274/aachen-stuerzt-im-smart-city-index-2024-ab-ausser-in-dieser-kategorie.html"
S_BITKOM23 = "https://www.bitkom.org/Smart-City-Index-2023"
S_BITKOM21 = "https://bitkom.org/Smart-City-Index-2021?page=8"
S_EUM = "https://www.energie-und-management.de/nachrichten/detail/deutschlands-staedte-werden-smarter-254704"
S_DUI20 = "https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/duisburg/article230618096/Smart-City-Duisburg-ist-jetzt-bundesweit-unter-den-Top-20.html"
S_DUI19 = "https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/duisburg/article227370725/Smart-City-Duisburg-ist-die-drittbeste-Stadt-im-Ruhrgebiet.html"
S_BNN = "https://bnn.de/lokales/karlsruhe/studie-karlsruhe-ist-die-smarteste-stadt-baden-wuerttembergs"
S_RPKR = "https://rp-online.de/nrw/staedte/krefeld/wirtschaft-in-krefeld/krefeld-verbessert-sich-in-der-bitkom-rangliste-der-grossstaedte_aid-78574183"
S_NMUC22 = "https://www.nachrichten-muenchen.com/muenchen-auf-platz-2-des-smart-city-index-2022/181626/"
S_MORGEN = "https://www.morgenweb.de/mannheimer-morgen_artikel,-heidelberg-bundesweit-auf-platz-sechs-_arid,1536261.html"
S_SILICON = "https://www.silicon.de/41718336/smart-mobility-bitkom-sieht-deutliche-fortschritte"
S_FINNACH = "https://www.finanznachrichten.de/nachrichten-2025-02/64691921-umfrage-verkehr-in-deutschen-grossstaedten-wird-digitaler-003.htm"
S_DNN = "https://www.dnn.de/Dresden/Lokales/Smart-City-Index-So-mobil-ist-Dresden"
S_PUBMAN = "https://www.public-manager.com/aktuelles/einzelansicht/archive/2023/february/article/mobilitaet-im-smart-city-index-2022-tiefe-kluft-zwischen-groesseren-und-kleineren-staedten.html"
S_DVZ = "https://www.dvz.de/rubriken/whatcitieswant/detail/news/bitkom-veroeffentlicht-staedteranking.html"
S_NORDB = "https://www.nordbayern.de/region/nuernberg/besser-als-munchen-oder-hamburg-bei-der-mobilitat-liegt-nurnberg-ganz-vorne-1.12957193"
S_MUEL22 = "https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/muelheim/article236589219/Muelheim-liegt-im-Ranking-der-Grossstaedte-auf-Platz-74-von-81.html?paid=true"
S_SWR19 = "https://www.swr.de/swraktuell/rheinland-pfalz/Bundesweite-Studie-Unterdurchschnittliche-Digitalisierung-in-Grossstaedten,smart-city-rp-100.html"
S_WFO = "https://wfo.de/smart-city-index-osnabrueck-ist-smarteste-grossstadt-niedersachsens/"
S_KREFELD_SEED = "https://rp-online.de/nrw/staedte/krefeld/studie-smart-city-bei-digitalen-zahlungen-ist-krefelds-verwaltung-top_aid-66071071"

AREAS = [
    ("verwaltung", "Verwaltung", "Administration"),
    ("it_kommunikation", "IT und Kommunikation", "IT and communication"),
    ("energie_umwelt", "Energie und Umwelt", "Energy and environment"),
    ("mobilitaet", "Mobilität", "Mobility"),
    ("gesellschaft", "Gesellschaft", "Society"),
]

def area_name(aid, e):
    if aid == "it_kommunikation" and e <= 2020:
        return ("IT- und Telekommunikationsinfrastruktur", "IT and telecommunications infrastructure")
    if aid == "gesellschaft" and e >= 2023:
        return ("Gesellschaft und Bildung", "Society and education")
    for a, de, en in AREAS:
        if a == aid:
            return de, en

# category spec: id, area, editions, name_de, name_en, published_editions, source, projects
# name may be dict edition-spec -> (de, en)
C = []
def cat(cid, area, ed, de, en, pub="", src="", projects=0, names=None):
    C.append(dict(cid=cid, area=area, eds=eds(ed), de=de, en=en, pub=eds(pub) if pub else [], src=src,
                  projects=projects, names=names or {}))

# Verwaltung
cat("online_terminvergabe", "verwaltung", "2019-2025", "Online-Terminvergabe", "Online appointments", "2019,2021-2023", f"{S_INNOV} ; {S_IBUS} ; {S_AUGS23}")
cat("online_dienstleistungen", "verwaltung", "2019-2025", "Online-Dienstleistungen", "Online services", "2019,2021,2022", f"{S_CAPITAL} ; {S_ITDAILY} ; {S_WAZ22}",
    names={2019: ("Online-Bürgerservices", "Online citizen services"), 2020: ("Online-Bürgerservices", "Online citizen services")})
cat("serviceportal", "verwaltung", "2020-2025", "Serviceportal", "Service portal", "2022,2023", f"{S_AUGS22} ; {S_HEILB}")
cat("payment", "verwaltung", "2019-2025", "Payment", "Payment", "2021,2023,2024", f"{S_KREFELD_SEED} ; {S_HEILB} ; {S_MUCBUS} ; {S_SWR24}")
cat("interne_prozesse", "verwaltung", "2019-2025", "Interne Prozesse", "Internal processes", "2019,2021,2023", f"{S_DIGNRW} ; {S_CAPITAL} ; {S_HEILB}",
    names={e: ("E-Akte und Dokumentenmanagement", "E-files and document management") for e in (2019, 2020, 2021)})
cat("website", "verwaltung", "2019-2025", "Website", "Website", "2019,2022", f"{S_GRUEND} ; {S_WAZ22}",
    names={e: ("Nutzerfreundlichkeit der Website", "Usability of the city website") for e in range(2022, 2026)})
cat("social_media", "verwaltung", "2019-2020", "Social-Media-Präsenz", "Social media presence", "2019", f"{S_DIGNRW} ; {S_GRUEND}")
cat("city_app", "verwaltung", "2019-2020", "City-App", "City app", "2019", f"{S_DIGNRW} ; {S_GRUEND}")
cat("kommunikations_tools", "verwaltung", "2019-2020", "Kommunikations-Tools", "Communication tools", "2019", S_DIGNRW)
cat("digitalstrategie", "verwaltung", "2019-2020", "Digitalstrategie", "Digital strategy")
cat("ozg_leistungen", "verwaltung", "2022-2025", "OZG-Leistungen", "OZG services online", "2023,2025", f"{S_MUCBUS} ; {S_SMC25}")
cat("projekte_verwaltung", "verwaltung", "2021", "Projekte Verwaltung", "Projects administration", "2021", f"{S_KREFELD_SEED} ; {S_BITKOM21}", projects=1)
# IT
cat("breitband", "it_kommunikation", "2019-2025", "Breitband", "Broadband", "2019,2021-2025", f"{S_CAPITAL} ; {S_WAZGE21} ; {S_BITKOM23}")
cat("glasfaser", "it_kommunikation", "2019-2025", "Glasfaser", "Fibre", "2019,2021,2024", f"{S_RPDU19} ; {S_WAZGE21} ; {S_TONLINE24}")
cat("mobilfunk", "it_kommunikation", "2019-2025", "Mobilfunk", "Mobile networks", "2021,2023,2024", f"{S_CAPITAL} ; {S_MUCBUS} ; {S_WFO}",
    names={e: ("5G", "5G") for e in range(2023, 2026)})
cat("oeffentliches_wlan", "it_kommunikation", "2019-2025", "Öffentliches WLAN", "Public Wi-Fi", "2019-2021", f"{S_INNOV} ; {S_WAZGE20} ; {S_CAPITAL}")
cat("iot_netze", "it_kommunikation", "2019-2025", "IoT-Netzwerke", "IoT networks", "2019,2021-2023", f"{S_DIGNRW} ; {S_WAZGE21} ; {S_MUCBUS}")
cat("open_data", "it_kommunikation", "2019-2025", "Open Data Portal", "Open data portal", "2021,2023,2024", f"{S_WAZGE21} ; {S_MUCBUS}",
    names={e: ("Datenplattformen", "Data platforms") for e in (2019, 2020, 2021, 2022)})
cat("smart_city_daten", "it_kommunikation", "2022-2025", "Smart-City-Daten", "Smart city data", "2023,2024", S_MUCBUS)
cat("geoportal", "gesellschaft", "2022", "Geodatenportale", "Geodata portals", "2022", S_MUEL22)
cat("projekte_it_kommunikation", "it_kommunikation", "2021", "Pilotprojekte Infrastruktur", "Pilot projects infrastructure", "2021", f"{S_WAZGE21} ; {S_BITKOM21}", projects=1)
# Energie und Umwelt
cat("e_fahrzeuge", "energie_umwelt", "2019-2025", "Anteil E-Fahrzeuge", "Share of electric vehicles", "2021,2023,2024", f"{S_BITKOM21} ; {S_BITKOM23} ; {S_SWR24}")
cat("ladeinfrastruktur", "energie_umwelt", "2019-2025", "Ladeinfrastruktur", "Charging infrastructure", "2021-2025", f"{S_CAPITAL} ; {S_EUM}")
cat("photovoltaik", "energie_umwelt", "2019-2025", "Photovoltaik", "Photovoltaics", "2021,2024", f"{S_CAPITAL} ; {S_EUM}")
cat("emissionsarme_busse", "energie_umwelt", "2019-2025", "Emissionsarme Busse", "Low-emission buses", "2019-2024", f"{S_SWR19} ; {S_EUM}")
cat("strassenbeleuchtung", "energie_umwelt", "2019-2025", "Intelligente Straßenbeleuchtung", "Smart street lighting", "2020,2022,2023", f"{S_DUI20} ; {S_RPKR}")
cat("smart_waste", "energie_umwelt", "2019-2021", "Smart Waste", "Smart waste", "2019-2021", f"{S_DUI20} ; {S_BNN}")
cat("elektrogeraete", "energie_umwelt", "2019", "Beschaffung und Entsorgung von Elektrogeräten", "Procurement and disposal of electrical equipment", "2019", S_DUI19)
cat("smart_winter", "energie_umwelt", "2019-2020", "Smart Winter", "Smart winter service", "2019", S_MORGEN)
cat("umweltsensorik", "energie_umwelt", "2022-2025", "Umweltsensorik", "Environmental sensors", "2022-2025", f"{S_RPKR} ; {S_AUGS22}")
cat("smart_meter", "energie_umwelt", "2022-2025", "Smart Meter und Energiemanagement", "Smart meters and energy management", "2022", S_NMUC22)
cat("gruene_waerme", "energie_umwelt", "2025", "Grüne Wärme", "Green heat", "", S_EUM)
cat("projekte_energie_umwelt", "energie_umwelt", "2021", "Projekte Energie und Umwelt", "Projects energy and environment", "", S_BITKOM21, projects=1)
# Mobilität
cat("sharing_angebote", "mobilitaet", "2019-2025", "Sharing-Angebote", "Sharing offers", "2019-2025", f"{S_DNN} ; {S_CAPITAL} ; {S_SILICON}")
cat("smart_parking", "mobilitaet", "2019-2025", "Smart Parking", "Smart parking", "2019-2025", f"{S_DUI20} ; {S_PUBMAN}")
cat("intelligente_ampeln", "mobilitaet", "2019-2025", "Intelligente Ampeln", "Smart traffic lights", "2019-2024", f"{S_CAPITAL} ; {S_SILICON}")
cat("digitale_verkehrsschilder", "mobilitaet", "2019-2025", "Digitale Verkehrsschilder", "Digital traffic signs", "2019-2024", S_SILICON)
cat("handytickets", "mobilitaet", "2019-2025", "ÖPNV-Handytickets", "Mobile public transport tickets", "2019-2024", f"{S_DNN} ; {S_CAPITAL}")
cat("echtzeitinfo", "mobilitaet", "2019-2025", "Echtzeitinformationen", "Real-time information", "2019-2024", S_DNN)
cat("wlan_oepnv", "mobilitaet", "2019-2022", "WLAN im ÖPNV", "Wi-Fi in public transport", "2019-2022", f"{S_DNN} ; {S_NORDB}")
cat("multimodalitaet", "mobilitaet", "2020-2025", "Multimodalität und Mobilstationen", "Multimodality and mobility stations", "2020-2024", S_SILICON)
cat("letzte_meile", "mobilitaet", "2020-2024", "Letzte Meile Logistik", "Last-mile logistics", "2020-2024", f"{S_DVZ}")
cat("verkehrsmanagement", "mobilitaet", "2022-2025", "Smartes Verkehrsmanagement", "Smart traffic management", "2022-2025", S_NORDB)
cat("projekte_mobilitaet", "mobilitaet", "2021", "Projekte Mobilität", "Projects mobility", "", S_BITKOM21, projects=1)
# Gesellschaft
cat("digitalszene", "gesellschaft", "2019-2025", "Digitalszene", "Digital scene", "2020,2021,2023", f"{S_WAZGE20} ; {S_CAPITAL} ; {S_MUCBUS}")
cat("startup_hubs", "gesellschaft", "2019-2025", "Lokaler Handel und Start-up-Hubs", "Local retail and start-up hubs", "2021-2023", f"{S_CAPITAL} ; {S_MUCBUS}",
    names={e: ("Start-up-Hubs", "Start-up hubs") for e in (2019, 2020, 2021)})
cat("coworking", "gesellschaft", "2019-2025", "FabLabs und Coworking", "FabLabs and coworking", "2019,2021-2023", f"{S_SWR19} ; {S_CAPITAL} ; {S_MUCBUS}",
    names={e: ("Coworking-Spaces", "Coworking spaces") for e in (2019, 2020, 2021)})
cat("buergerbeteiligung", "gesellschaft", "2019-2025", "Öffentlichkeitsbeteiligung", "Public participation", "2022-2025", f"{S_WAZ22} ; {S_MUCBUS}")
cat("smart_culture", "gesellschaft", "2020", "Smart Culture", "Smart culture", "2020", S_WAZGE20)
cat("lokaler_handel", "gesellschaft", "2019-2020", "Online-Angebot lokaler Handel", "Online offer of local retail")
cat("schule_digital", "gesellschaft", "2023-2025", "Digitalisierungskonzept Schule", "School digitalisation plan", "2023-2025", S_MUCBUS)
cat("digitalkompetenz", "gesellschaft", "2023-2025", "Digitalkompetenz", "Digital skills", "2023-2025", f"{S_MUCBUS} ; {S_RUMUC}")
cat("projekte_gesellschaft", "gesellschaft", "2021", "Projekte Gesellschaft", "Projects society", "", S_BITKOM21, projects=1)
# move geoportal to IT from 2023
cat("geoportal@it", "it_kommunikation", "2023-2025", "Geoportal", "Geoportal", "2023,2024", f"{S_MUCBUS} ; {S_WFO}")

# indicators: id, cat, eds, de, en, kind, unit, direction, service, pub_eds, src, lo_hi (raw value range for generator)
INDICATORS = []
def ind(iid, cid, ed, de, en, kind, unit, direction=1, service=0, pub="", src=""):
    INDICATORS.append(dict(iid=iid, cid=cid, eds=eds(ed), de=de, en=en, kind=kind, unit=unit, direction=direction,
                  service=service, pub=eds(pub) if pub else [], src=src))

YN = ("yes_no", "yes/no")
def yn(iid, cid, ed, de, en, service=0, pub="", src=""):
    ind(iid, cid, ed, de, en, "yes_no", "yes/no", 1, service, pub, src)

# Verwaltung / Online-Terminvergabe
yn("termin_buergeramt", "online_terminvergabe", "2019-2025", "Online-Terminvergabe Bürgeramt", "Online appointments: citizens' office", 1, "2019,2021,2022", f"{S_INNOV} ; {S_IBUS}")
yn("termin_kfz_zulassung", "online_terminvergabe", "2019-2025", "Online-Terminvergabe Kfz-Zulassungsstelle", "Online appointments: vehicle registration office", 1, "2021,2022", S_IBUS)
yn("termin_standesamt", "online_terminvergabe", "2019-2025", "Online-Terminvergabe Standesamt", "Online appointments: registry office", 1, "2019,2021,2022", f"{S_INNOV} ; {S_IBUS}")
yn("termin_auslaenderbehoerde", "online_terminvergabe", "2019-2025", "Online-Terminvergabe Ausländerbehörde", "Online appointments: immigration office", 1, "2021,2022,2024", f"{S_IBUS} ; {S_SWR24}")
yn("termin_gewerbeamt", "online_terminvergabe", "2019-2025", "Online-Terminvergabe Gewerbeamt", "Online appointments: trade office", 1, "2021,2022,2024", f"{S_IBUS} ; {S_SWR24}")
ind("termin_vorlauf_tage", "online_terminvergabe", "2020-2025", "Wartezeit bis zum nächsten freien Online-Termin (Tage)", "Waiting time to next free online appointment (days)", "count", "days", -1)
# Online-Dienstleistungen (the 10 services of the 2022 special evaluation)
yn("baugenehmigung_digital", "online_dienstleistungen", "2019-2025", "Baugenehmigungsverfahren komplett digital", "Fully digital building permit", 1, "2022", S_ITDAILY)
yn("ummeldung_online", "online_dienstleistungen", "2019-2025", "Umzug innerhalb der Stadt online anmelden", "Online move registration within the city", 1, "2021,2022", f"{S_ITDAILY} ; {S_WAZ22}")
yn("anwohnerparkausweis_online", "online_dienstleistungen", "2019-2025", "Online-Antrag Anwohner-Parkausweis", "Online resident parking permit", 1, "2021,2022", f"{S_ITDAILY} ; {S_WAZ22}")
yn("melderegisterauskunft_online", "online_dienstleistungen", "2019-2025", "Melderegisterauskunft online", "Online registry extract (Melderegisterauskunft)", 1, "2021,2022", S_ITDAILY)
yn("meldebescheinigung_online", "online_dienstleistungen", "2019-2025", "Meldebescheinigung online", "Online certificate of registration (Meldebescheinigung)", 1, "2021,2022", S_ITDAILY)
yn("gewerbe_anmeldung_online", "online_dienstleistungen", "2019-2025", "Gewerbe komplett digital anmelden", "Fully digital business registration", 1, "2021,2022", S_ITDAILY)
yn("gewerbe_abmeldung_online", "online_dienstleistungen", "2019-2025", "Gewerbe komplett digital abmelden", "Fully digital business deregistration", 1, "2021,2022", S_ITDAILY)
yn("kfz_zulassung_online", "online_dienstleistungen", "2019-2025", "Digitale Kfz-Zulassung", "Digital vehicle registration", 1, "2021,2022", S_ITDAILY)
yn("kfz_abmeldung_online", "online_dienstleistungen", "2019-2025", "Digitale Kfz-Abmeldung", "Digital vehicle deregistration", 1, "2021,2022", S_ITDAILY)
yn("kita_anmeldung_online", "online_dienstleistungen", "2019-2025", "Online-Kitaanmeldung", "Online day-care registration", 1, "2021,2022", S_ITDAILY)
yn("fuehrerschein_online", "online_dienstleistungen", "2023-2025", "Führerscheinantrag online", "Online driving licence application", 1, "2023", S_MUCBUS)
yn("wohngeld_online", "online_dienstleistungen", "2025", "Wohngeldantrag online", "Online housing benefit application", 1, "2025", "https://www.smartcountry.berlin/en/newsblog/details/smart-city-index-2025-munich-remains-at-the-top-stuttgart-makes-it-onto-the-podium.html")
ind("online_dienstleistungen_anteil", "online_dienstleistungen", "2019-2025", "Anteil online verfügbarer Verwaltungsleistungen", "Share of administrative services available online", "share", "%")
# Serviceportal
yn("serviceportal_vorhanden", "serviceportal", "2020-2025", "Zentrales Serviceportal vorhanden", "Central service portal", 0, "2022", S_AUGS22)
yn("nutzerkonto", "serviceportal", "2020-2025", "Bürger-Nutzerkonto / BundID-Anbindung", "Citizen account / BundID", 0)
ind("serviceportal_leistungen", "serviceportal", "2020-2025", "Anzahl Leistungen im Serviceportal", "Number of services in the portal", "count", "services")
# Payment
yn("payment_kartenzahlung", "payment", "2019-2025", "Kartenzahlung in Bürgerämtern", "Card payment at citizens' offices", 0, "2021", S_CAPITAL)
ind("payment_online_anteil", "payment", "2019-2025", "Anteil online bezahlbarer Leistungen", "Share of services payable online", "share", "%", 1, 0, "2021", S_KREFELD_SEED)
yn("payment_paypal", "payment", "2020-2025", "Zahlung per PayPal", "Payment via PayPal", 0, "2021,2024", f"{S_KREFELD_SEED} ; {S_SWR24}")
yn("payment_giropay", "payment", "2020-2025", "Zahlung per giropay / paydirekt", "Payment via giropay", 0, "2021,2024", f"{S_KREFELD_SEED} ; {S_SWR24}")
yn("payment_kreditkarte", "payment", "2020-2025", "Zahlung per Kreditkarte", "Payment by credit card", 0, "2021,2024", f"{S_KREFELD_SEED} ; {S_SWR24}")
yn("payment_qr_code", "payment", "2021-2025", "Zahlung per QR-Code", "Payment via QR code", 0, "2021", S_KREFELD_SEED)
# Interne Prozesse
ind("e_akte_anteil", "interne_prozesse", "2019-2025", "Anteil der Ämter mit E-Akte", "Share of departments with e-files", "share", "%", 1, 0, "2021", S_CAPITAL)
yn("dokumentenmanagement", "interne_prozesse", "2019-2025", "Dokumenten-Management-System", "Document management system", 0, "2019", S_DIGNRW)
yn("e_rechnung", "interne_prozesse", "2020-2025", "E-Rechnungsempfang", "E-invoice reception", 0)
ind("digital_fortbildung_verwaltung", "interne_prozesse", "2023-2025", "Digital-Fortbildungen für Verwaltungsbeschäftigte", "Digital training for administrative staff", "share", "% of staff", 1, 0, "2023-2025", S_RUMUC)
yn("mobiles_arbeiten", "interne_prozesse", "2021-2025", "Mobiles Arbeiten in der Verwaltung", "Mobile working in the administration", 0)
# Website
ind("website_nutzerfreundlichkeit", "website", "2019-2025", "Nutzerfreundlichkeit der städtischen Website", "Usability of the city website", "score", "points 0-100", 1, 0, "2022", S_WAZ22)
yn("website_barrierefrei", "website", "2019-2025", "Barrierefreie Website", "Accessible website", 0)
yn("ki_chatbot", "website", "2022-2025", "KI-Chatbot", "AI chatbot", 0, "2024", S_SWR24)
yn("maengelmelder", "website", "2021-2025", "Online-Mängelmelder", "Online defect reporting", 0)
yn("website_mehrsprachig", "website", "2023-2025", "Mehrsprachige Website", "Multilingual website", 0)
# Social media / app / tools / strategy (2019-2020)
ind("social_media_kanaele", "social_media", "2019-2020", "Anzahl aktiver Social-Media-Kanäle", "Active social media channels", "count", "channels", 1, 0, "2019", S_DIGNRW)
ind("social_media_follower", "social_media", "2019-2020", "Follower je 1.000 Einwohner", "Followers per 1,000 inhabitants", "count", "per 1,000 inhabitants")
yn("city_app_vorhanden", "city_app", "2019-2020", "City-App vorhanden", "City app available", 0, "2019", S_DIGNRW)
ind("city_app_funktionen", "city_app", "2019-2020", "Funktionsumfang der City-App", "Functions of the city app", "score", "points 0-100")
yn("buerger_chat", "kommunikations_tools", "2019-2020", "Chat / Messenger-Kontakt", "Chat / messenger contact", 0, "2019", S_DIGNRW)
yn("newsletter", "kommunikations_tools", "2019-2020", "Digitaler Newsletter", "Digital newsletter", 0)
yn("digitalstrategie_vorhanden", "digitalstrategie", "2019-2020", "Digitalstrategie beschlossen", "Adopted digital strategy", 0)
yn("cdo", "digitalstrategie", "2019-2020", "Chief Digital Officer / Digitalisierungsstelle", "Chief digital officer", 0)
# OZG
ind("ozg_anteil", "ozg_leistungen", "2022-2025", "Anteil online verfügbarer OZG-Leistungen", "Share of OZG services available online", "share", "%", 1, 0, "2023,2025", f"{S_MUCBUS} ; {S_SMC25}")
yn("ozg_elterngeld", "ozg_leistungen", "2023-2025", "Elterngeld online", "Parental allowance online", 1, "2023", S_MUCBUS)
yn("ozg_eheschliessung", "ozg_leistungen", "2025", "Anmeldung Eheschließung online", "Marriage registration online", 1, "2025", S_SMC25)
# Projects (2021)
ind("projekte_verwaltung_bewertung", "projekte_verwaltung", "2021", "Bewertung innovativer Projekte Verwaltung", "Rating of innovative projects (administration)", "score", "points 0-100", 1, 0, "2021", S_KREFELD_SEED)
ind("projekte_it_kommunikation_bewertung", "projekte_it_kommunikation", "2021", "Bewertung Pilotprojekte Infrastruktur", "Rating of infrastructure pilot projects", "score", "points 0-100")
ind("projekte_energie_umwelt_bewertung", "projekte_energie_umwelt", "2021", "Bewertung innovativer Projekte Energie und Umwelt", "Rating of innovative projects (energy and environment)", "score", "points 0-100")
ind("projekte_mobilitaet_bewertung", "projekte_mobilitaet", "2021", "Bewertung innovativer Projekte Mobilität", "Rating of innovative projects (mobility)", "score", "points 0-100")
ind("projekte_gesellschaft_bewertung", "projekte_gesellschaft", "2021", "Bewertung innovativer Projekte Gesellschaft", "Rating of innovative projects (society)", "score", "points 0-100")

# IT
ind("breitband_1000mbit", "breitband", "2019-2025", "Haushalte mit ≥ 1 Gbit/s", "Households with >= 1 Gbit/s", "share", "% of households", 1, 0, "2021-2025", f"{S_WAZGE21} ; {S_BITKOM23}")
ind("breitband_100mbit", "breitband", "2019-2025", "Haushalte mit ≥ 100 Mbit/s", "Households with >= 100 Mbit/s", "share", "% of households", 1, 0, "2021-2025", f"{S_WAZGE21} ; {S_BITKOM23}")
ind("breitband_gewerbe", "breitband", "2020-2025", "Gewerbegebiete mit Gigabit-Anschluss", "Business parks with gigabit access", "share", "%")
ind("breitband_schulen", "breitband", "2021-2025", "Schulen mit Breitbandanschluss", "Schools with broadband", "share", "%")
ind("glasfaser_haushalte", "glasfaser", "2019-2025", "Glasfaseranschlüsse (FTTB/H) Haushalte", "Fibre (FTTB/H) households", "share", "% of households", 1, 0, "2019,2024", f"{S_RPDU19} ; {S_TONLINE24}")
ind("glasfaser_gewerbe", "glasfaser", "2020-2025", "Glasfaseranschlüsse Unternehmen", "Fibre: businesses", "share", "%")
ind("lte_abdeckung", "mobilfunk", "2019-2025", "LTE-Flächenabdeckung", "LTE coverage", "share", "% of area", 1, 0, "2021", S_CAPITAL)
ind("abdeckung_5g", "mobilfunk", "2020-2025", "5G-Abdeckung", "5G coverage", "share", "% of area", 1, 0, "2022-2024", f"{S_MUCBUS} ; {S_WFO}")
ind("wlan_hotspots", "oeffentliches_wlan", "2019-2025", "Öffentliche WLAN-Hotspots je 10.000 Einwohner", "Public Wi-Fi hotspots per 10,000 inhabitants", "count", "per 10,000 inhabitants", 1, 0, "2019-2021", f"{S_INNOV} ; {S_WAZGE20}")
yn("wlan_innenstadt", "oeffentliches_wlan", "2019-2025", "Kostenloses WLAN in der Innenstadt", "Free Wi-Fi in the city centre", 0, "2019", S_INNOV)
yn("wlan_oeffentliche_gebaeude", "oeffentliches_wlan", "2020-2025", "WLAN in öffentlichen Gebäuden", "Wi-Fi in public buildings", 0)
yn("lorawan", "iot_netze", "2019-2025", "LoRaWAN-Netz", "LoRaWAN network", 0, "2019,2022,2023", f"{S_DIGNRW} ; {S_MUCBUS}")
ind("lorawan_gateways", "iot_netze", "2019-2025", "LoRaWAN-Gateways je 100 km²", "LoRaWAN gateways per 100 km²", "count", "per 100 km²", 1, 0, "2022,2023", S_MUCBUS)
yn("iot_nb_iot", "iot_netze", "2021-2025", "NB-IoT / weitere IoT-Netze", "NB-IoT / other IoT networks", 0)
yn("open_data_portal", "open_data", "2019-2025", "Open-Data-Portal", "Open data portal", 0, "2021,2023,2024", f"{S_WAZGE21} ; {S_MUCBUS}")
ind("open_data_datensaetze", "open_data", "2019-2025", "Offene Datensätze je 10.000 Einwohner", "Open data sets per 10,000 inhabitants", "count", "per 10,000 inhabitants")
yn("open_data_api", "open_data", "2021-2025", "Maschinenlesbare Schnittstellen (API)", "Machine-readable APIs", 0)
yn("geoportal_vorhanden", "geoportal", "2022-2025", "Geoportal", "Geoportal", 0, "2022-2024", f"{S_MUEL22} ; {S_MUCBUS} ; {S_WFO}")
ind("geoportal_dienste", "geoportal", "2022-2025", "Geodatendienste im Portal", "Geodata services in the portal", "count", "services")
yn("urbane_datenplattform", "smart_city_daten", "2022-2025", "Urbane Datenplattform", "Urban data platform", 0, "2023,2024", S_MUCBUS)
yn("digitaler_zwilling", "smart_city_daten", "2022-2025", "Digitaler Zwilling", "Digital twin", 0, "2024", S_SWR24)
ind("smart_city_datenprojekte", "smart_city_daten", "2022-2025", "Smart-City-Datenprojekte", "Smart city data projects", "count", "projects", 1, 0, "2023,2024", S_MUCBUS)

# Energie und Umwelt
ind("e_fahrzeuge_anteil", "e_fahrzeuge", "2019-2025", "Anteil E-Fahrzeuge am Pkw-Bestand", "Share of electric cars in the car stock", "share", "%", 1, 0, "2021,2023,2024", f"{S_BITKOM21} ; {S_BITKOM23} ; {S_SWR24}")
ind("e_fahrzeuge_kommunal", "e_fahrzeuge", "2020-2025", "Anteil E-Fahrzeuge in der kommunalen Flotte", "Share of electric vehicles in the municipal fleet", "share", "%")
ind("ladepunkte_pro_1000", "ladeinfrastruktur", "2019-2025", "Öffentliche Ladepunkte je 1.000 Einwohner", "Public charging points per 1,000 inhabitants", "count", "per 1,000 inhabitants", 1, 0, "2021,2024", S_EUM)
ind("schnellladepunkte_anteil", "ladeinfrastruktur", "2020-2025", "Anteil Schnellladepunkte", "Share of fast charging points", "share", "%", 1, 0, "2024", S_SWR24)
ind("pv_leistung", "photovoltaik", "2019-2025", "PV-Leistung je 100.000 Einwohner (MW)", "PV capacity per 100,000 inhabitants (MW)", "count", "MW per 100,000 inhabitants", 1, 0, "2024", S_EUM)
yn("pv_kommunale_gebaeude", "photovoltaik", "2019-2025", "PV auf kommunalen Gebäuden", "PV on municipal buildings", 0)
yn("solarkataster", "photovoltaik", "2020-2025", "Solarkataster", "Solar cadastre", 0)
ind("busse_emissionsarm_anteil", "emissionsarme_busse", "2019-2025", "Anteil emissionsarmer Busse", "Share of low-emission buses", "share", "% of buses", 1, 0, "2019-2024", f"{S_SWR19} ; {S_EUM}")
ind("busse_elektro_anteil", "emissionsarme_busse", "2023-2025", "Anteil Elektro- und Wasserstoffbusse", "Share of electric and hydrogen buses", "share", "% of buses", 1, 0, "2024", S_EUM)
ind("led_anteil", "strassenbeleuchtung", "2019-2025", "Anteil LED-Straßenbeleuchtung", "Share of LED street lights", "share", "%")
yn("beleuchtung_adaptiv", "strassenbeleuchtung", "2019-2025", "Adaptive / dimmbare Straßenbeleuchtung", "Adaptive / dimmable street lighting", 0, "2022,2024", f"{S_RPKR} ; {S_SWR24}")
yn("smart_poles", "strassenbeleuchtung", "2021-2025", "Smart Poles (multifunktionale Laternen)", "Smart poles", 0)
yn("muelltonnen_sensoren", "smart_waste", "2019-2021", "Intelligente Mülltonnen (Füllstandsensoren)", "Smart bins (fill-level sensors)", 0, "2019-2021", S_BNN)
yn("abfall_app", "smart_waste", "2019-2021", "Abfall-App / digitaler Abfallkalender", "Waste app", 0)
yn("elektrogeraete_beschaffung", "elektrogeraete", "2019", "Nachhaltige Beschaffung von Elektrogeräten", "Sustainable procurement of electrical equipment", 0, "2019", S_DUI19)
yn("elektrogeraete_entsorgung", "elektrogeraete", "2019", "Entsorgung / Wiederverwendung von Elektrogeräten", "Disposal / reuse of electrical equipment", 0, "2019", S_DUI19)
yn("winterdienst_sensoren", "smart_winter", "2019-2020", "Sensoren für den Winterdienst", "Sensors for winter road service", 0, "2019", S_MORGEN)
yn("luftqualitaet_sensoren", "umweltsensorik", "2022-2025", "Luftqualitätssensoren", "Air quality sensors", 0, "2022-2024", f"{S_RPKR} ; https://www.deutschlandfunknova.de/nachrichten/bitkom-index-muenchen-ist-deutschlands-smartest-city")
ind("umweltsensoren_anzahl", "umweltsensorik", "2022-2025", "Umweltsensoren je 10.000 Einwohner", "Environmental sensors per 10,000 inhabitants", "count", "per 10,000 inhabitants")
yn("starkregen_sensoren", "umweltsensorik", "2023-2025", "Bodenfeuchte- / Starkregensensoren", "Soil moisture / heavy rain sensors", 0, "2025", S_SMC25)
yn("smart_meter_rollout", "smart_meter", "2022-2025", "Smart-Meter-Flächenrollout", "Smart meter roll-out", 0, "2022", S_NMUC22)
ind("energiemanagement_gebaeude", "smart_meter", "2022-2025", "Kommunale Gebäude mit digitalem Energiemanagement", "Municipal buildings with digital energy management", "share", "%")
ind("waermenetz_erneuerbar", "gruene_waerme", "2025", "Anteil erneuerbarer Wärme im Wärmenetz", "Share of renewable heat in the district heating network", "share", "%")
yn("waermeplanung", "gruene_waerme", "2025", "Kommunale Wärmeplanung digital", "Digital municipal heat planning", 0)

# Mobilität
ind("sharing_fahrzeuge_pro_1000", "sharing_angebote", "2019-2025", "Sharing-Fahrzeuge je 1.000 Einwohner", "Shared vehicles per 1,000 inhabitants", "count", "per 1,000 inhabitants", 1, 0, "2019", S_DNN)
yn("carsharing", "sharing_angebote", "2019-2025", "Carsharing", "Car sharing", 0, "2020,2024", f"{S_FINNACH}")
yn("bikesharing", "sharing_angebote", "2021-2025", "Fahrrad-Sharing", "Bike sharing", 0, "2021,2024", S_SILICON)
yn("escooter_sharing", "sharing_angebote", "2020-2025", "E-Scooter-Sharing", "E-scooter sharing", 0, "2020,2024", S_SILICON)
yn("emotorroller_sharing", "sharing_angebote", "2020-2025", "E-Motorroller-Sharing", "E-moped sharing", 0, "2020,2024", S_SILICON)
yn("ridesharing", "sharing_angebote", "2019-2025", "Ridesharing / On-Demand-Verkehr", "Ride sharing / on-demand transport", 0, "2019-2025", S_SILICON)
yn("handyparken", "smart_parking", "2019-2025", "Handyparken", "Mobile phone parking", 0, "2022", S_NORDB)
yn("parkleitsystem", "smart_parking", "2019-2025", "Digitales Parkleitsystem", "Digital parking guidance", 0, "2020", S_DUI20)
ind("parkplatzsensoren_anteil", "smart_parking", "2020-2025", "Anteil Parkplätze mit Belegungssensoren", "Share of parking spaces with occupancy sensors", "share", "%")
yn("vernetzte_ampeln", "intelligente_ampeln", "2019-2025", "Intelligente vernetzte Ampeln", "Smart connected traffic lights", 0, "2020,2024", S_SILICON)
ind("ampeln_vernetzt_anteil", "intelligente_ampeln", "2019-2025", "Anteil vernetzter Lichtsignalanlagen", "Share of connected traffic signals", "share", "%")
yn("digitale_verkehrsschilder_vorhanden", "digitale_verkehrsschilder", "2019-2025", "Digitale Verkehrsschilder", "Digital traffic signs", 0, "2020,2024", S_SILICON)
ind("digitale_verkehrsschilder_anzahl", "digitale_verkehrsschilder", "2019-2025", "Digitale Verkehrsschilder je 100.000 Einwohner", "Digital traffic signs per 100,000 inhabitants", "count", "per 100,000 inhabitants")
yn("handyticket", "handytickets", "2019-2025", "ÖPNV-Handyticket", "Mobile public transport ticket", 0, "2019,2021", f"{S_DNN} ; {S_CAPITAL}")
ind("handyticket_anteil", "handytickets", "2020-2025", "Anteil digital verkaufter Tickets", "Share of tickets sold digitally", "share", "%")
yn("echtzeit_app", "echtzeitinfo", "2019-2025", "Echtzeitinformationen per App", "Real-time information via app", 0, "2019", S_DNN)
ind("echtzeit_haltestellen_anteil", "echtzeitinfo", "2019-2025", "Anteil Haltestellen mit digitaler Echtzeitanzeige", "Share of stops with real-time displays", "share", "%")
ind("wlan_oepnv_anteil", "wlan_oepnv", "2019-2022", "Anteil Fahrzeuge mit WLAN im ÖPNV", "Share of public transport vehicles with Wi-Fi", "share", "%", 1, 0, "2019,2022", f"{S_DNN} ; {S_NORDB}")
yn("multimodale_app", "multimodalitaet", "2020-2025", "Multimodale App", "Multimodal app", 0, "2020,2024", S_SILICON)
yn("mobilstationen", "multimodalitaet", "2020-2025", "Mobilstationen", "Mobility stations", 0, "2020,2024", S_SILICON)
ind("mobilstationen_anzahl", "multimodalitaet", "2020-2025", "Mobilstationen je 100.000 Einwohner", "Mobility stations per 100,000 inhabitants", "count", "per 100,000 inhabitants")
yn("microhubs", "letzte_meile", "2020-2024", "Microhubs", "Micro hubs", 0, "2020,2022", S_DVZ)
yn("alternative_zustellung", "letzte_meile", "2020-2024", "Alternative Zustellkonzepte (Lastenrad u. a.)", "Alternative delivery concepts", 0, "2020,2022", S_DVZ)
ind("paketstationen", "letzte_meile", "2020-2024", "Anbieteroffene Paketstationen je 100.000 Einwohner", "Open parcel lockers per 100,000 inhabitants", "count", "per 100,000 inhabitants", 1, 0, "2022", S_DVZ)
yn("verkehrsmanagementzentrale", "verkehrsmanagement", "2022-2025", "Digitale Verkehrsmanagementzentrale", "Digital traffic management centre", 0)
yn("autonome_fahrzeuge", "verkehrsmanagement", "2022-2025", "Autonome Fahrzeuge im Einsatz / Test", "Autonomous vehicles in operation or trial", 0, "2022", S_NORDB)
yn("verkehrszaehlung_datenbank", "verkehrsmanagement", "2023-2025", "Verkehrszählungs-Datenbank", "Traffic count database", 0, "2025", "https://www.nordbayern.de/region/nuernberg/besser-als-munchen-oder-hamburg-bei-der-mobilitat-liegt-nurnberg-ganz-vorne-1.12957193")
ind("verkehrsdaten_echtzeit", "verkehrsmanagement", "2022-2025", "Verkehrsdaten in Echtzeit (Detektoren je km Hauptstraße)", "Real-time traffic detectors per km of main road", "count", "per km")

# Gesellschaft
yn("code_for_germany", "digitalszene", "2019-2025", "Code-for-Germany-Gruppe (OK Lab)", "Code for Germany group", 0, "2020", S_WAZGE20)
yn("ccc_gruppe", "digitalszene", "2019-2025", "Chaos-Computer-Club-Gruppe", "Chaos Computer Club group", 0, "2020", S_WAZGE20)
yn("gi_regionalgruppe", "digitalszene", "2019-2025", "Regionalgruppe der Gesellschaft für Informatik", "Regional group of the German Informatics Society", 0, "2020", S_WAZGE20)
ind("digital_events", "digitalszene", "2021-2025", "Digital-Veranstaltungen je 100.000 Einwohner", "Digital events per 100,000 inhabitants", "count", "per 100,000 inhabitants")
ind("startup_hubs_anzahl", "startup_hubs", "2019-2025", "Start-up-Hubs und Gründerzentren", "Start-up hubs and incubators", "count", "hubs", 1, 0, "2021-2023", f"{S_CAPITAL} ; {S_MUCBUS}")
yn("online_marktplatz_lokal", "startup_hubs", "2021-2025", "Online-Marktplatz des lokalen Handels", "Online marketplace of local retail", 0, "2022,2023", f"{S_MUEL22} ; {S_MUCBUS}")
ind("coworking_spaces", "coworking", "2019-2025", "Coworking-Spaces je 100.000 Einwohner", "Coworking spaces per 100,000 inhabitants", "count", "per 100,000 inhabitants", 1, 0, "2019,2021-2023", f"{S_SWR19} ; {S_CAPITAL} ; {S_MUCBUS}")
yn("fablab", "coworking", "2019-2025", "FabLab / Makerspace", "FabLab / makerspace", 0, "2022,2023", S_MUCBUS)
yn("rats_tv", "buergerbeteiligung", "2019-2025", "Rats-TV / Livestream der Ratssitzungen", "Council TV / livestream", 0, "2022", S_WAZ22)
yn("beteiligungsplattform", "buergerbeteiligung", "2019-2025", "Online-Beteiligungsplattform", "Online participation platform", 0, "2022,2025", f"{S_WAZ22} ; {S_SMC25}")
ind("beteiligungsverfahren_online", "buergerbeteiligung", "2020-2025", "Online-Beteiligungsverfahren im Jahr", "Online participation procedures per year", "count", "procedures")
yn("ratsinformationssystem", "buergerbeteiligung", "2019-2025", "Öffentliches Ratsinformationssystem", "Public council information system", 0)
yn("vr_angebote", "smart_culture", "2020", "VR-Angebote in Kultureinrichtungen", "VR offers in cultural institutions", 0, "2020", S_WAZGE20)
yn("navigation_360", "smart_culture", "2020", "360°-Navigation / virtuelle Rundgänge", "360° navigation / virtual tours", 0, "2020", S_WAZGE20)
ind("onleihe_medien", "smart_culture", "2020", "Digitale Medien der Stadtbibliothek je Einwohner", "Digital library media per inhabitant", "count", "per inhabitant")
yn("lokaler_handel_plattform", "lokaler_handel", "2019-2020", "Online-Plattform lokaler Handel", "Online platform of local retail", 0)
ind("lokaler_handel_haendler", "lokaler_handel", "2019-2020", "Teilnehmende Händler je 10.000 Einwohner", "Participating retailers per 10,000 inhabitants", "count", "per 10,000 inhabitants")
yn("digitalisierungskonzept_schule", "schule_digital", "2023-2025", "Digitalisierungskonzept / Medienentwicklungsplan Schule", "School digitalisation plan", 0, "2023-2025", S_MUCBUS)
ind("schulen_glasfaser_anteil", "schule_digital", "2023-2025", "Anteil Schulen mit Glasfaser", "Share of schools with fibre", "share", "%")
ind("endgeraete_schueler", "schule_digital", "2023-2025", "Schülerendgeräte je 100 Schüler", "Student devices per 100 students", "count", "per 100 students")
yn("schul_wlan", "schule_digital", "2023-2025", "Flächendeckendes WLAN in Schulen", "Wi-Fi in all schools", 0)
ind("fortbildung_lehrkraefte", "digitalkompetenz", "2023-2025", "Digital-Fortbildungen für Lehrkräfte", "Digital training for teachers", "count", "courses per 100 teachers", 1, 0, "2023-2025", S_RUMUC)
ind("vhs_digitalkurse", "digitalkompetenz", "2023-2025", "VHS-Digitalkurse je 10.000 Einwohner", "Adult education digital courses per 10,000 inhabitants", "count", "per 10,000 inhabitants")
yn("digitallotsen", "digitalkompetenz", "2023-2025", "Digitallotsen / Digitalbotschafter", "Digital guides", 0)
yn("digitalkompetenz_senioren", "digitalkompetenz", "2024-2025", "Digitalangebote für Seniorinnen und Senioren", "Digital offers for older people", 0)
# geoportal in Gesellschaft 2022 uses the same indicators as in IT 2023+


# ---- second batch (all modeled unless a source is given) ----
yn("termin_bauamt", "online_terminvergabe", "2020-2025", "Online-Terminvergabe Bauamt", "Online appointments: building authority", 1)
yn("termin_fuehrerscheinstelle", "online_terminvergabe", "2021-2025", "Online-Terminvergabe Führerscheinstelle", "Online appointments: driving licence office", 1)
yn("urkunden_online", "online_dienstleistungen", "2019-2025", "Personenstandsurkunden online bestellen", "Order civil status certificates online", 1)
yn("briefwahl_online", "online_dienstleistungen", "2019-2025", "Briefwahlunterlagen online beantragen", "Apply for postal voting online", 1)
yn("sperrmuell_online", "online_dienstleistungen", "2019-2025", "Sperrmüll online anmelden", "Book bulky waste collection online", 1)
yn("hundesteuer_online", "online_dienstleistungen", "2020-2025", "Hundesteuer online anmelden", "Register dog tax online", 1)
yn("fundbuero_online", "online_dienstleistungen", "2021-2025", "Online-Fundbüro", "Online lost property office", 1)
yn("serviceportal_mobil", "serviceportal", "2021-2025", "Serviceportal mobil nutzbar", "Mobile-friendly service portal", 0)
yn("eid_funktion", "serviceportal", "2020-2025", "Anmeldung mit Online-Ausweis (eID)", "Login with electronic ID", 0)
yn("payment_mobile_wallet", "payment", "2023-2025", "Zahlung per Apple Pay / Google Pay", "Payment via mobile wallets", 0)
yn("e_vergabe", "interne_prozesse", "2020-2025", "E-Vergabe", "E-procurement", 0)
yn("workflow_management", "interne_prozesse", "2023-2025", "Digitales Workflow-Management", "Digital workflow management", 0)
yn("it_sicherheitskonzept", "interne_prozesse", "2024-2025", "IT-Sicherheitskonzept / ISMS", "IT security concept / ISMS", 0)
yn("website_mobil", "website", "2019-2025", "Mobil optimierte Website", "Mobile-optimised website", 0)
ind("ozg_reifegrad", "ozg_leistungen", "2024-2025", "Durchschnittlicher OZG-Reifegrad", "Average OZG maturity level", "score", "level 0-4")
ind("social_media_reaktionszeit", "social_media", "2020", "Reaktionszeit auf Anfragen (Stunden)", "Response time to enquiries (hours)", "count", "hours", -1)
ind("city_app_bewertung", "city_app", "2020", "Bewertung der City-App in App-Stores", "App store rating of the city app", "score", "stars 1-5")
ind("digitalisierungsbudget", "digitalstrategie", "2020", "Digitalisierungsbudget je Einwohner", "Digitalisation budget per inhabitant", "count", "EUR per inhabitant")
ind("breitband_50mbit", "breitband", "2019-2020", "Haushalte mit ≥ 50 Mbit/s", "Households with >= 50 Mbit/s", "share", "% of households")
yn("mobilfunk_standortkonzept", "mobilfunk", "2021-2025", "Mobilfunk-Standortkonzept / Mastenkataster", "Mobile site concept", 0)
yn("freifunk", "oeffentliches_wlan", "2019-2025", "Freifunk-Initiative", "Freifunk community network", 0)
yn("open_data_strategie", "open_data", "2023-2025", "Open-Data-Strategie", "Open data strategy", 0)
yn("stadtmodell_3d", "geoportal", "2023-2025", "3D-Stadtmodell", "3D city model", 0)
ind("e_fahrzeuge_zuwachs", "e_fahrzeuge", "2023-2025", "Zuwachs des E-Fahrzeug-Anteils (Prozentpunkte)", "Growth of e-vehicle share (percentage points)", "count", "percentage points")
ind("pkw_je_ladepunkt", "ladeinfrastruktur", "2023-2025", "E-Pkw je öffentlichem Ladepunkt", "Electric cars per public charging point", "count", "cars per charging point", -1)
ind("pv_anteil_strom", "photovoltaik", "2023-2025", "PV-Anteil am Stromverbrauch", "PV share of electricity consumption", "share", "%")
yn("pv_foerderprogramm", "photovoltaik", "2021-2025", "Kommunales PV-Förderprogramm", "Municipal PV funding programme", 0)
yn("busse_wasserstoff", "emissionsarme_busse", "2022-2024", "Wasserstoffbusse im Einsatz", "Hydrogen buses in service", 0, "2024", S_EUM)
yn("routenoptimierung_abfall", "smart_waste", "2020-2021", "Routenoptimierung der Abfallsammlung", "Route optimisation of waste collection", 0)
yn("laermsensoren", "umweltsensorik", "2025", "Lärmsensoren", "Noise sensors", 0)
ind("smart_meter_anteil", "smart_meter", "2023-2025", "Anteil intelligenter Messsysteme", "Share of smart metering systems", "share", "%")
yn("parken_app_belegung", "smart_parking", "2021-2025", "Park-App mit Belegungsdaten", "Parking app with occupancy data", 0)
yn("ampel_oepnv_priorisierung", "intelligente_ampeln", "2020-2025", "ÖPNV-Priorisierung an Ampeln", "Public transport priority at traffic lights", 0)
yn("gruene_welle_rad", "intelligente_ampeln", "2023-2025", "Digitale Grüne Welle für den Radverkehr", "Digital green wave for cyclists", 0)
yn("deutschlandticket_digital", "handytickets", "2024-2025", "Deutschlandticket als Handyticket", "Deutschlandticket as mobile ticket", 0)
yn("wlan_haltestellen", "wlan_oepnv", "2020-2021", "WLAN an Haltestellen", "Wi-Fi at stops", 0)
yn("lastenrad_foerderung", "letzte_meile", "2021-2024", "Förderung gewerblicher Lastenräder", "Funding of commercial cargo bikes", 0)
yn("verkehrsmodell_digital", "verkehrsmanagement", "2025", "Digitales Verkehrsmodell", "Digital traffic model", 0)
ind("hackathons", "digitalszene", "2020-2025", "Hackathons / Civic-Tech-Veranstaltungen im Jahr", "Hackathons / civic tech events per year", "count", "events")
ind("it_gruendungen", "startup_hubs", "2019-2025", "IT-Gründungen je 100.000 Einwohner", "IT start-ups per 100,000 inhabitants", "count", "per 100,000 inhabitants")
yn("coworking_kommunal", "coworking", "2021-2025", "Kommunaler Coworking-Space", "Municipal coworking space", 0)
yn("buergerhaushalt_online", "buergerbeteiligung", "2019-2025", "Online-Bürgerhaushalt", "Online participatory budget", 0)
yn("museum_digital", "smart_culture", "2020", "Digitale Museumsangebote", "Digital museum offers", 0)
yn("lokaler_handel_lieferdienst", "lokaler_handel", "2019-2020", "Lokaler Lieferdienst", "Local delivery service", 0)
yn("lernplattform", "schule_digital", "2023-2025", "Einheitliche Lernplattform", "Common learning platform", 0)
yn("it_support_schulen", "schule_digital", "2024-2025", "Professioneller IT-Support für Schulen", "Professional IT support for schools", 0)
yn("medienkompetenz_jugend", "digitalkompetenz", "2023-2025", "Medienkompetenzangebote für Jugendliche", "Media literacy offers for young people", 0)

yn("online_formulare", "online_dienstleistungen", "2019-2021", "Online-Formulare zum Herunterladen", "Downloadable online forms", 0)
yn("behoerdennummer_115", "website", "2019-2021", "Behördennummer 115", "Public service number 115", 0)
ind("kabel_docsis", "breitband", "2019-2021", "Haushalte mit Kabel-Internet (DOCSIS 3.1)", "Households with cable internet (DOCSIS 3.1)", "share", "% of households")
ind("pv_anlagen_anzahl", "photovoltaik", "2019-2021", "PV-Anlagen je 1.000 Einwohner", "PV installations per 1,000 inhabitants", "count", "per 1,000 inhabitants")
yn("unterflurcontainer", "smart_waste", "2019-2020", "Unterflurcontainer mit Sensorik", "Underground containers with sensors", 0)
yn("winterdienst_gps", "smart_winter", "2019-2020", "GPS-Ortung der Winterdienstfahrzeuge", "GPS tracking of winter service vehicles", 0)
yn("parkhaus_belegung_online", "smart_parking", "2019-2021", "Parkhausbelegung online", "Car park occupancy online", 0)
yn("fahrplanauskunft_online", "echtzeitinfo", "2019-2021", "Elektronische Fahrplanauskunft", "Electronic timetable information", 0)
yn("startup_wettbewerb", "startup_hubs", "2019-2020", "Gründungswettbewerb / Start-up-Förderung", "Start-up competition / funding", 0)
yn("youtube_kanal", "social_media", "2020", "Video-Kanal der Stadt", "City video channel", 0)
yn("city_app_maengelmelder", "city_app", "2019-2020", "Mängelmelder in der City-App", "Defect reporting in the city app", 0)
yn("smart_city_strategie", "digitalstrategie", "2019-2020", "Smart-City-Strategie", "Smart city strategy", 0)

TARGET_C = {2019: 35, 2020: 38, 2021: 36, 2022: 36, 2023: 37, 2024: 37, 2025: 37}
TARGET_I = {2019: 96, 2020: 136, 2021: 133, 2022: 133, 2023: 157, 2024: 162, 2025: 163}

def cats_of(e):
    out = []
    for c in C:
        if e in c["eds"]:
            out.append(c)
    return out

# extra modeled indicators added to reach the published parameter count
EXTRA_POOL = []  # filled below

def build():
    arows, crows, irows = [], [], []
    for e in EDITIONS:
        for aid, _, _ in AREAS:
            de, en = area_name(aid, e)
            arows.append(dict(edition=e, area_id=aid, name_de=de, name_en=en, weight=1))
        cs = cats_of(e)
        cids = set()
        for c in cs:
            cid = c["cid"].split("@")[0]
            assert cid not in cids, (e, cid)
            cids.add(cid)
            de, en = c["names"].get(e, (c["de"], c["en"]))
            pub = e in c["pub"]
            crows.append(dict(edition=e, category_id=cid, area_id=c["area"], name_de=de, name_en=en, weight=1,
                              projects=c["projects"], provenance="published" if pub else "modeled",
                              source=c["src"] if pub else ""))
        for i in INDICATORS:
            if e in i["eds"]:
                assert i["cid"] in cids, (e, i["iid"], i["cid"])
                pub = e in i["pub"]
                irows.append(dict(edition=e, indicator_id=i["iid"], category_id=i["cid"], name_de=i["de"], name_en=i["en"],
                                  unit=i["unit"], kind=i["kind"], direction=i["direction"], weight=1, service=i["service"],
                                  provenance="published" if pub else "modeled", source=i["src"] if pub else ""))
        # each category needs an indicator
        used = {r["category_id"] for r in irows if r["edition"] == e}
        missing = cids - used
        assert not missing, (e, missing)
    return arows, crows, irows

# ---- domain constraints (data/constraints.csv; rules in cityindex/constraints.py) ----
# What a value can be: every indicator gets one value type. Counts of things are whole numbers;
# amounts per inhabitant, per area or per 100 students, averages and sums of capacity are rates.
WHOLE_NUMBERS = {
    "beteiligungsverfahren_online": "procedures in a year",
    "geoportal_dienste": "services in the portal",
    "hackathons": "events in a year",
    "serviceportal_leistungen": "services in the portal",
    "smart_city_datenprojekte": "projects",
    "social_media_kanaele": "channels",
    "startup_hubs_anzahl": "hubs",
    "termin_vorlauf_tage": "whole days until the next free appointment",
}
# Nested quantities: (indicator, indicator it cannot exceed, why)
AT_MOST = [
    ("breitband_1000mbit", "breitband_100mbit", "a household with >= 1 Gbit/s also has >= 100 Mbit/s"),
    ("breitband_100mbit", "breitband_50mbit", "a household with >= 100 Mbit/s also has >= 50 Mbit/s"),
    ("glasfaser_haushalte", "breitband_1000mbit", "a fibre (FTTB/H) connection is a gigabit connection"),
    ("kabel_docsis", "breitband_1000mbit", "DOCSIS 3.1 cable delivers gigabit"),
    ("schulen_glasfaser_anteil", "breitband_schulen", "a school with fibre has broadband"),
    ("busse_elektro_anteil", "busse_emissionsarm_anteil", "electric and hydrogen buses are low-emission buses"),
]
# A yes/no feature and its amount: (amount, feature)
AMOUNT_OF = [
    ("digitale_verkehrsschilder_anzahl", "digitale_verkehrsschilder_vorhanden"),
    ("handyticket_anteil", "handyticket"),
    ("ampeln_vernetzt_anteil", "vernetzte_ampeln"),
    ("serviceportal_leistungen", "serviceportal_vorhanden"),
    ("lorawan_gateways", "lorawan"),
    ("geoportal_dienste", "geoportal_vorhanden"),
    ("open_data_datensaetze", "open_data_portal"),
    ("mobilstationen_anzahl", "mobilstationen"),
    ("city_app_funktionen", "city_app_vorhanden"),
    ("lokaler_handel_haendler", "lokaler_handel_plattform"),
]
# Yes/no indicators with a published national share (data/service_shares.csv)
PUBLISHED_SHARE = [
    "anwohnerparkausweis_online", "baugenehmigung_digital", "bikesharing", "carsharing",
    "digitale_verkehrsschilder_vorhanden", "emotorroller_sharing", "escooter_sharing",
    "gewerbe_abmeldung_online", "gewerbe_anmeldung_online", "kfz_abmeldung_online",
    "kfz_zulassung_online", "kita_anmeldung_online", "meldebescheinigung_online",
    "melderegisterauskunft_online", "mobilstationen", "multimodale_app", "termin_auslaenderbehoerde",
    "termin_buergeramt", "termin_gewerbeamt", "termin_kfz_zulassung", "termin_standesamt",
    "ummeldung_online", "vernetzte_ampeln",
]
VALUE_TYPE_OF_KIND = {"yes_no": "yes_no", "share": "share", "score": "score"}


def constraints():
    rows = []
    seen = []
    kinds = {}
    eds_of = {}
    for i in INDICATORS:
        if i["iid"] not in kinds:
            seen.append(i["iid"])
            kinds[i["iid"]] = (i["kind"], i["unit"])
        eds_of.setdefault(i["iid"], set()).update(i["eds"])
    for iid in seen:
        kind, unit = kinds[iid]
        if kind == "count":
            rule = "whole_number" if iid in WHOLE_NUMBERS else "rate"
            note = WHOLE_NUMBERS.get(iid, unit)
        else:
            rule, note = VALUE_TYPE_OF_KIND[kind], unit
        rows.append(dict(edition="", indicator_id=iid, rule=rule, other_indicator_id="", note=note))
    for a, b, why in AT_MOST:
        assert a in kinds and b in kinds, (a, b)
        rows.append(dict(edition="", indicator_id=a, rule="at_most", other_indicator_id=b, note=why))
    for amount, feature in AMOUNT_OF:
        assert kinds[feature][0] == "yes_no", feature
        rows.append(dict(edition="", indicator_id=amount, rule="amount_of", other_indicator_id=feature,
                         note="no feature, no amount"))
    for iid in seen:
        if kinds[iid][0] == "yes_no" and len(eds_of[iid]) > 1:
            rows.append(dict(edition="", indicator_id=iid, rule="steady", other_indicator_id="",
                             note="adoption does not flicker"))
    for iid in PUBLISHED_SHARE:
        rows.append(dict(edition="", indicator_id=iid, rule="published_share", other_indicator_id="",
                         note="share of cities as published (service_shares.csv)"))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(REPO, "data"), help="output folder")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    a, c, i = build()
    cc = Counter(r["edition"] for r in c)
    ic = Counter(r["edition"] for r in i)
    for e in EDITIONS:
        if cc[e] != TARGET_C[e] or ic[e] != TARGET_I[e]:
            sys.exit(f"edition {e}: {cc[e]} categories / {ic[e]} indicators, published counts "
                     f"are {TARGET_C[e]} / {TARGET_I[e]}")
        if not args.quiet:
            print(f"{e}: {cc[e]} categories, {ic[e]} indicators")
    os.makedirs(args.out, exist_ok=True)
    for name, rows in (("areas.csv", a), ("categories.csv", c), ("indicators.csv", i),
                       ("constraints.csv", constraints())):
        with open(os.path.join(args.out, name), "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
