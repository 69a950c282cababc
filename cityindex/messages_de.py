"""The German catalogue of the core's messages: English template → German template.

Every template a module of ``cityindex`` or a built-in method passes to
:func:`cityindex.messages.msg` has its German here, with the same placeholders
(``tests/test_messages.py`` checks both, so an English message added without German fails the
suite). A placeholder may carry a different format spec in
German (``{limit:,.0f}`` instead of ``{limit:g}``); numbers are written the German way by
:func:`cityindex.messages.render`.

The German addresses the reader with "Sie"; hints are short imperatives. Column names, file
names and command-line options (``--sep tab``) stay as they are.
"""

from __future__ import annotations

GERMAN: dict[str, str] = {
    # --- readers: files, folders, archives, encodings --------------------------------------
    "comma": "Komma",
    "semicolon": "Semikolon",
    "tab": "Tabulator",
    "{book}, sheet '{sheet}'": "{book}, Blatt '{sheet}'",
    "{letter} (no header)": "{letter} (ohne Überschrift)",
    "cell {cell} holds a formula whose result the file does not store (={formula})":
        "Zelle {cell} enthält eine Formel, deren Ergebnis die Datei nicht speichert "
        "(={formula})",
    "open the workbook in Excel or LibreOffice and save it again (that stores the results), "
    "or paste the values":
        "Öffnen Sie die Arbeitsmappe in Excel oder LibreOffice und speichern Sie sie erneut "
        "(das speichert die Ergebnisse), oder fügen Sie die Werte ein",
    "cell {cell} holds the Excel error {error}; it is read as a missing value":
        "Zelle {cell} enthält den Excel-Fehler {error}; er wird als fehlender Wert gelesen",
    "leave the cell empty for a missing value, or correct the formula":
        "Lassen Sie die Zelle für einen fehlenden Wert leer, oder korrigieren Sie die Formel",
    "does not exist": "existiert nicht",
    "does not exist (the path is set by ${variable})":
        "existiert nicht (der Pfad ist in ${variable} gesetzt)",
    "set ${variable} to a folder, an .xlsx workbook or a .zip file, or unset it to use the "
    "bundled data":
        "Setzen Sie ${variable} auf einen Ordner, eine .xlsx-Arbeitsmappe oder eine .zip-Datei, "
        "oder entfernen Sie die Variable, um die mitgelieferten Daten zu nutzen",
    "the path is empty: give a folder, an .xlsx workbook or a .zip file":
        "der Pfad ist leer: Geben Sie einen Ordner, eine .xlsx-Arbeitsmappe oder eine "
        ".zip-Datei an",
    "give the folder with cities.csv, values.csv, …, or an .xlsx workbook":
        "Geben Sie den Ordner mit cities.csv, values.csv, … oder eine .xlsx-Arbeitsmappe an",
    "cannot be read: {reason}": "kann nicht gelesen werden: {reason}",
    "check the permissions of the folder and the folders above it":
        "Prüfen Sie die Zugriffsrechte des Ordners und der Ordner darüber",
    "is not a folder, an .xlsx workbook or a .zip file":
        "ist weder ein Ordner noch eine .xlsx-Arbeitsmappe oder eine .zip-Datei",
    "give the folder that holds cities.csv, values.csv, …":
        "Geben Sie den Ordner an, der cities.csv, values.csv, … enthält",
    "is not a file upload": "ist keine hochgeladene Datei",
    "is {size:,} bytes; uploads are limited to {limit:,} bytes":
        "ist {size:,} Bytes groß; hochgeladene Dateien dürfen höchstens {limit:,} Bytes groß "
        "sein",
    "zip the CSV files, or use the command line for large datasets":
        "Packen Sie die CSV-Dateien in ein ZIP, oder nutzen Sie für große Datensätze die "
        "Kommandozeile",
    "is neither a .zip of CSV files nor an .xlsx workbook":
        "ist weder ein ZIP mit CSV-Dateien noch eine .xlsx-Arbeitsmappe",
    "is a single CSV file; a dataset is five files (cities, areas, categories, indicators, "
    "values)":
        "ist eine einzelne CSV-Datei; ein Datensatz besteht aus fünf Dateien (cities, areas, "
        "categories, indicators, values)",
    "put the CSV files together into one .zip (in Windows: select them, then 'Send to' > "
    "'Compressed (zipped) folder'), or make them the sheets of one .xlsx workbook":
        "Packen Sie die CSV-Dateien zusammen in ein ZIP (in Windows: markieren, dann „Senden "
        "an“ > „ZIP-komprimierter Ordner“) oder legen Sie sie als Blätter einer "
        ".xlsx-Arbeitsmappe an",
    "is a workbook in the {kind} format; only .xlsx workbooks are read":
        "ist eine Arbeitsmappe im Format {kind}; gelesen werden nur .xlsx-Arbeitsmappen",
    "save it as an .xlsx workbook (Excel: File > Save As > Excel Workbook; LibreOffice: Save "
    "As > Excel 2007-365)":
        "Speichern Sie sie als .xlsx-Arbeitsmappe (Excel: Datei > Speichern unter > "
        "Excel-Arbeitsmappe; LibreOffice: Speichern unter > Excel 2007-365)",
    "upload a .zip holding cities.csv, values.csv, … or an .xlsx workbook with one sheet per "
    "file":
        "Laden Sie ein ZIP mit cities.csv, values.csv, … hoch oder eine .xlsx-Arbeitsmappe mit "
        "einem Blatt je Datei",
    "{sep!r} is not a separator": "{sep!r} ist kein Trennzeichen",
    "use ',', ';' or 'tab'": "Verwenden Sie ',', ';' oder 'tab'",
    "{decimal!r} is not a decimal mark": "{decimal!r} ist kein Dezimalzeichen",
    "use '.' or ','": "Verwenden Sie '.' oder ','",
    "{encoding!r} is not a known encoding": "{encoding!r} ist keine bekannte Kodierung",
    "use utf-8, cp1252 or latin-1": "Verwenden Sie utf-8, cp1252 oder latin-1",
    "is not a regular file (a folder, named pipe or device)":
        "ist keine gewöhnliche Datei (sondern ein Ordner, eine Named Pipe oder ein Gerät)",
    "replace it with a CSV file": "Ersetzen Sie es durch eine CSV-Datei",
    "is not a regular file": "ist keine gewöhnliche Datei",
    "cannot be read: permission denied": "kann nicht gelesen werden: keine Berechtigung",
    "give yourself read permission (e.g. chmod u+r)":
        "Geben Sie sich Leserechte (z. B. chmod u+r)",
    "give yourself read permission on the folder (e.g. chmod u+rx)":
        "Geben Sie sich Leserechte für den Ordner (z. B. chmod u+rx)",
    "required file is missing": "erforderliche Datei fehlt",
    "did you mean {near!r}? File names are lower case":
        "Meinten Sie {near!r}? Dateinamen werden kleingeschrieben",
    "both {first} and {second} are present": "{first} und {second} sind beide vorhanden",
    "keep only one of them": "Behalten Sie nur eine davon",
    "unpacks to more than {limit:,} bytes (the member limit)":
        "ergibt entpackt mehr als {limit:,} Bytes (die Grenze je Datei)",
    "unpacks to more than {limit:,} bytes (the unpacked total limit)":
        "ergibt entpackt mehr als {limit:,} Bytes (die Grenze für alles Entpackte zusammen)",
    "upload less data at once": "Laden Sie weniger Daten auf einmal hoch",
    "cannot be unpacked: {error}": "lässt sich nicht entpacken: {error}",
    "zip the files again without a password": "Packen Sie die Dateien ohne Passwort neu",
    "is not a valid zip file ({error})": "ist keine gültige ZIP-Datei ({error})",
    "save the workbook again, or zip the CSV files again":
        "Speichern Sie die Arbeitsmappe neu, oder packen Sie die CSV-Dateien neu",
    "has {n} members; at most {limit} are allowed":
        "enthält {n} Dateien; erlaubt sind höchstens {limit}",
    "required file is missing from the zip": "erforderliche Datei fehlt im ZIP",
    "put cities.csv, values.csv, … in the zip": "Legen Sie cities.csv, values.csv, … in das ZIP",
    "is ambiguous: the zip holds {where}": "ist nicht eindeutig: Das ZIP enthält {where}",
    "keep one copy of each file in the zip": "Legen Sie jede Datei nur einmal in das ZIP",
    "is not {encoding} text ({reason} at byte {byte})":
        "ist kein {encoding}-Text ({reason} bei Byte {byte})",
    "leave out --encoding to detect it":
        "Lassen Sie --encoding weg, damit die Kodierung erkannt wird",
    "is not valid {encoding} text ({reason})": "ist kein gültiger {encoding}-Text ({reason})",
    "is not a text file (it contains NUL bytes)": "ist keine Textdatei (sie enthält NUL-Bytes)",
    "save it as 'CSV UTF-8 (comma delimited)' or 'CSV (Trennzeichen-getrennt)'":
        "Speichern Sie sie als 'CSV UTF-8 (durch Trennzeichen getrennt)' oder 'CSV "
        "(Trennzeichen-getrennt)'",
    "is not UTF-8 text ({reason} at byte {byte}) nor Windows-1252/Latin-1":
        "ist weder UTF-8-Text ({reason} bei Byte {byte}) noch Windows-1252/Latin-1",
    "save it as 'CSV UTF-8' (on the command line, --encoding names its encoding)":
        "Speichern Sie sie als 'CSV UTF-8' (auf der Kommandozeile nennt --encoding ihre "
        "Kodierung)",
    "is not {encoding} text ({reason})": "ist kein {encoding}-Text ({reason})",
    "is not UTF-8; read as {encoding} (byte {byte} is not UTF-8)":
        "ist kein UTF-8; gelesen als {encoding} (Byte {byte} ist kein UTF-8)",
    "the encoding was detected automatically (on the command line, --encoding sets it); save "
    "as 'CSV UTF-8' to avoid the guess":
        "Die Kodierung wurde automatisch erkannt (auf der Kommandozeile legt --encoding sie "
        "fest); speichern Sie als 'CSV UTF-8', damit nichts geraten werden muss",
    "is empty: a header row is required": "ist leer: Eine Kopfzeile ist nötig",
    "the first line names the columns, e.g. city_id,name":
        "Die erste Zeile nennt die Spalten, z. B. city_id,name",
    "the header row cannot be read ({error})": "die Kopfzeile lässt sich nicht lesen ({error})",
    "has {fields} fields but the header has {n}": "hat {fields} Felder, die Kopfzeile aber {n}",
    "is not a well-formed CSV file: {error}": "ist keine korrekt aufgebaute CSV-Datei: {error}",
    "check the quotes: a quote inside a quoted cell is written twice":
        "Prüfen Sie die Anführungszeichen: In einer Zelle in Anführungszeichen wird ein "
        "Anführungszeichen doppelt geschrieben",
    "{n} more lines have the wrong number of fields":
        "weitere Zeilen mit falscher Anzahl Felder: {n}",
    "the file is read as {name}-separated; a cell that contains a {name} must be quoted "
    "(\"per 1,000 inhabitants\"), or the file saved with another separator (on the command "
    "line: {first} or {second})":
        "Die Datei wird mit {name} als Trennzeichen gelesen: Setzen Sie eine Zelle mit einem "
        "{name} darin in Anführungszeichen (\"Bus, Bahn\"), oder speichern Sie die Datei mit "
        "einem anderen Trennzeichen (auf der Kommandozeile: {first} oder {second})",
    "every line needs as many {name}-separated fields as the header":
        "Jede Zeile braucht so viele durch {name} getrennte Felder wie die Kopfzeile",
    "is not a readable Parquet file ({error})": "ist keine lesbare Parquet-Datei ({error})",
    "write it with pandas.DataFrame.to_parquet or pyarrow":
        "Schreiben Sie sie mit pandas.DataFrame.to_parquet oder pyarrow",
    "has the unsupported type {type}": "hat den nicht unterstützten Typ {type}",
    "store numbers and text only": "Speichern Sie nur Zahlen und Text",
    "contains an XML document type declaration ({member}); such workbooks are refused":
        "enthält eine XML-Dokumenttyp-Deklaration ({member}); solche Arbeitsmappen werden "
        "abgelehnt",
    "Excel never writes one: save the workbook again from Excel or LibreOffice":
        "Excel schreibt nie eine: Speichern Sie die Arbeitsmappe in Excel oder LibreOffice neu",
    "is not a readable .xlsx workbook ({error})": "ist keine lesbare .xlsx-Arbeitsmappe ({error})",
    "save it again as 'Excel workbook (.xlsx)'":
        "Speichern Sie sie erneut als 'Excel-Arbeitsmappe (.xlsx)'",
    "required sheet is missing": "erforderliches Blatt fehlt",
    "did you mean {near!r}? Sheet names are lower case":
        "Meinten Sie {near!r}? Blattnamen werden kleingeschrieben",
    "name each sheet like the file: cities, values, …":
        "Benennen Sie jedes Blatt wie die Datei: cities, values, …",
    "is not part of the format and is ignored": "gehört nicht zum Format und wird ignoriert",
    "values in wide form without an 'edition' column, and the catalogue has no editions":
        "Werte in breiter Form ohne Spalte 'edition', und der Katalog hat keine Ausgaben",
    "values in wide form without an 'edition' column, and the catalogue has {n} editions":
        "Werte in breiter Form ohne Spalte 'edition', und der Katalog hat {n} Ausgaben",
    "add an 'edition' column (e.g. 2024) to the values":
        "Ergänzen Sie in den Werten eine Spalte 'edition' (z. B. 2024)",
    # --- dataset: columns, cells, the catalogue --------------------------------------------
    "the column appears more than once (columns {first} and {second})":
        "die Spalte kommt mehrmals vor (Spalten {first} und {second})",
    "delete or rename one of them": "Löschen Sie eine davon, oder benennen Sie sie um",
    "column {position} has no name": "Spalte {position} hat keinen Namen",
    "name it, or delete the column": "Benennen Sie sie, oder löschen Sie die Spalte",
    "unknown column {name!r}: did you mean {near!r}?":
        "unbekannte Spalte {name!r}: Meinten Sie {near!r}?",
    "column names are lower case and spelt as the dataset format gives them":
        "Schreiben Sie Spaltennamen klein und so, wie das Datenformat sie nennt",
    "column {name!r} is not part of the format and is ignored":
        "Spalte {name!r} gehört nicht zum Format und wird ignoriert",
    "remove it, or check its spelling against the dataset format":
        "Entfernen Sie sie, oder prüfen Sie die Schreibweise am Datenformat",
    "the header reads as one column; the file seems separated by {sep}: leave out --sep to "
    "detect it, or pass --sep {sep}":
        "Die Kopfzeile wird als eine einzige Spalte gelesen; die Datei scheint durch {sep} "
        "getrennt: Lassen Sie --sep weg, damit das Trennzeichen erkannt wird, oder geben Sie "
        "--sep {sep} an",
    "required column is missing": "erforderliche Spalte fehlt",
    "a value is required here": "hier ist ein Wert nötig",
    "{value!r} is not a valid id (letters, digits, '_', '.', '-'; no spaces)":
        "{value!r} ist keine gültige ID (Buchstaben, Ziffern, '_', '.', '-'; keine "
        "Leerzeichen)",
    "e.g. replace spaces by '_'": "Ersetzen Sie z. B. Leerzeichen durch '_'",
    "the id is longer than {limit} characters": "die ID ist länger als {limit} Zeichen",
    "use a shorter id": "Verwenden Sie eine kürzere ID",
    "{value!r} is not 0 or 1": "{value!r} ist nicht 0 oder 1",
    "write 1 for yes, 0 for no": "Schreiben Sie 1 für ja, 0 für nein",
    "did you mean {near!r}?": "Meinten Sie {near!r}?",
    "leave it empty for the default": "Lassen Sie die Zelle für den Standardwert leer",
    "{value!r} is not one of {choices}": "{value!r} ist keiner der Werte {choices}",
    "leave the cell empty for a missing value":
        "Lassen Sie die Zelle für einen fehlenden Wert leer",
    "write a finite number, or leave the cell empty for a missing value":
        "Schreiben Sie eine endliche Zahl, oder lassen Sie die Zelle für einen fehlenden Wert "
        "leer",
    "write the number without thousands separators (1234.5, or 1234,5)":
        "Schreiben Sie die Zahl ohne Tausendertrennzeichen (1234,5 oder 1234.5)",
    "write the number without the % sign": "Schreiben Sie die Zahl ohne %-Zeichen",
    "the file writes decimals with both a point and a comma: use one decimal mark per file (on "
    "the command line, --decimal names it)":
        "Die Datei schreibt Dezimalzahlen teils mit Punkt, teils mit Komma: Verwenden Sie ein "
        "Dezimalzeichen je Datei (auf der Kommandozeile nennt --decimal es)",
    "the file is read with a decimal point; write its decimals with one mark (on the command "
    "line, --decimal , reads decimal commas)":
        "Die Datei wird mit Dezimalpunkt gelesen; schreiben Sie ihre Dezimalzahlen mit einem "
        "Zeichen (auf der Kommandozeile liest --decimal , Dezimalkommas)",
    "fill in the cell": "Füllen Sie die Zelle aus",
    "{value!r} is not a number": "{value!r} ist keine Zahl",
    "{value!r} is not finite": "{value!r} ist nicht endlich",
    "{value!r} is not a whole number": "{value!r} ist keine ganze Zahl",
    "write a whole number": "Schreiben Sie eine ganze Zahl",
    "weight {value} is too large (at most {limit:g})":
        "Gewicht {value} ist zu groß (höchstens {limit:,.0f})",
    "weights are relative: use numbers like 1, 2 or 0.5":
        "Gewichte sind relativ: Verwenden Sie Zahlen wie 1, 2 oder 0,5",
    "{value} lies outside {low}…{high}": "{value} liegt außerhalb von {low}…{high}",
    "an edition is a year between {first} and {last}":
        "Eine Ausgabe ist ein Jahr zwischen {first} und {last}",
    "a year": "Eine Jahreszahl",
    "latitude in degrees (WGS84), e.g. 51.51": "Breitengrad in Grad (WGS84), z. B. 51,51",
    "longitude in degrees (WGS84), e.g. 7.47": "Längengrad in Grad (WGS84), z. B. 7,47",
    "scale very large numbers down (e.g. thousands instead of units)":
        "Verkleinern Sie sehr große Zahlen (z. B. in Tausend statt in Einern)",
    "edition {edition} is not in the dataset (it has {known})":
        "Ausgabe {edition} ist nicht im Datensatz (er hat {known})",
    "could not be checked because of an internal error ({error})":
        "konnte wegen eines internen Fehlers nicht geprüft werden ({error})",
    "please report this with the file to the cityindex issue tracker":
        "Bitte melden Sie das mit der Datei im Issue-Tracker von cityindex",
    "has no rows: a dataset needs values": "hat keine Zeilen: Ein Datensatz braucht Werte",
    "add one row per edition, city and indicator":
        "Ergänzen Sie eine Zeile je Ausgabe, Stadt und Indikator",
    "weight {value} is negative": "Gewicht {value} ist negativ",
    "weights are 0 or more": "Gewichte sind 0 oder größer",
    "edition {edition} has values but no indicators in the catalogue":
        "Ausgabe {edition} hat Werte, aber keine Indikatoren im Katalog",
    "add the edition's indicators, or leave out the edition column":
        "Ergänzen Sie die Indikatoren der Ausgabe, oder lassen Sie die Spalte edition weg",
    "share {value} is outside 0–100": "Anteil {value} liegt außerhalb von 0–100",
    "a share is a percentage": "Ein Anteil ist ein Prozentwert",
    " in edition {edition}": " in Ausgabe {edition}",
    "every area{where} weighs 0: nothing is left to average":
        "alle Bereiche{where} haben das Gewicht 0: Es bleibt nichts zu mitteln",
    "give at least one area a weight above 0":
        "Geben Sie mindestens einem Bereich ein Gewicht über 0",
    "area {area!r}{where} has no weight left: {reason}":
        "Bereich {area!r}{where} hat kein Gewicht mehr: {reason}",
    "give one of its categories a weight above 0, or give area {area!r} the weight 0":
        "Geben Sie einer seiner Kategorien ein Gewicht über 0, oder geben Sie dem Bereich "
        "{area!r} das Gewicht 0",
    "category {category!r}{where} has no weight left: {reason}":
        "Kategorie {category!r}{where} hat kein Gewicht mehr: {reason}",
    "give one of its indicators a weight above 0, or give category {category!r} the weight 0":
        "Geben Sie einem ihrer Indikatoren ein Gewicht über 0, oder geben Sie der Kategorie "
        "{category!r} das Gewicht 0",
    "its only category (row {row}) weighs 0":
        "seine einzige Kategorie (Zeile {row}) hat das Gewicht 0",
    "its categories (rows {rows}) all weigh 0":
        "seine Kategorien (Zeilen {rows}) haben alle das Gewicht 0",
    "its only indicator (row {row}) weighs 0":
        "ihr einziger Indikator (Zeile {row}) hat das Gewicht 0",
    "its indicators (rows {rows}) all weigh 0":
        "ihre Indikatoren (Zeilen {rows}) haben alle das Gewicht 0",
    "area {area!r} has no value in edition {edition}: every method built on the hierarchy "
    "leaves it out of the total":
        "Bereich {area!r} hat in Ausgabe {edition} keinen einzigen Wert: Jede Methode, die auf "
        "der Hierarchie aufbaut, lässt ihn bei der Gesamtpunktzahl weg",
    "add values for its indicators, or give area {area!r} the weight 0":
        "Ergänzen Sie Werte für seine Indikatoren, oder geben Sie Bereich {area!r} das "
        "Gewicht 0",
    "category {category!r} has no value in edition {edition}: its area's score leaves it out":
        "Kategorie {category!r} hat in Ausgabe {edition} keinen einzigen Wert: Die Punkte ihres "
        "Bereichs lassen sie weg",
    "add values for its indicators, or give category {category!r} the weight 0":
        "Ergänzen Sie Werte für ihre Indikatoren, oder geben Sie Kategorie {category!r} das "
        "Gewicht 0",
    "edition {edition} has 1 city: a ranking needs at least two":
        "Ausgabe {edition} hat nur eine Stadt: Eine Rangliste braucht mindestens zwei",
    "edition {edition} has {n} cities: a ranking needs at least two":
        "Ausgabe {edition} hat {n} Städte: Eine Rangliste braucht mindestens zwei",
    "add values for more cities in that edition":
        "Ergänzen Sie Werte für weitere Städte in dieser Ausgabe",
    "row": "Zeile",
    "city": "Stadt",
    "area": "Bereich",
    "category": "Kategorie",
    "indicator": "Indikator",
    "used row": "verwendete Zeile",
    "duplicate {what} for ({columns}) = ({values}); first given in row {first}":
        "{what} doppelt vorhanden für ({columns}) = ({values}); zuerst in Zeile {first}",
    "delete one of the two rows ({first} and {row})":
        "Löschen Sie eine der beiden Zeilen ({first} und {row})",
    "{value!r} is not in {file}": "{value!r} steht nicht in {file}",
    "{value!r} is not in {file} in that edition":
        "{value!r} steht in dieser Ausgabe nicht in {file}",
    "add it to {file}, or correct the spelling":
        "Ergänzen Sie es in {file}, oder korrigieren Sie die Schreibweise",
    "{value!r} has no categories": "{value!r} hat keine Kategorien",
    "{value!r} has no indicators": "{value!r} hat keine Indikatoren",
    "{value} is a share but lies outside 0–100":
        "{value} ist ein Anteil, liegt aber außerhalb von 0–100",
    "write shares as percentages from 0 to 100":
        "Schreiben Sie Anteile als Prozentwerte von 0 bis 100",
    "{value} is a yes/no value but neither 0 nor 1":
        "{value} ist ein Ja/Nein-Wert, aber weder 0 noch 1",
    "write 1 for yes and 0 for no": "Schreiben Sie 1 für ja und 0 für nein",
    "{value} is a count but negative": "{value} ist eine Anzahl, aber negativ",
    "counts are 0 or more": "Anzahlen sind 0 oder größer",
    "{value!r} is neither 'total' nor an area or category of that edition":
        "{value!r} ist weder 'total' noch ein Bereich oder eine Kategorie dieser Ausgabe",
    "a row needs a rank, points, a rank change or a note":
        "eine Zeile braucht einen Rang, Punkte, eine Rangveränderung oder eine Anmerkung",
    "points {value} lie outside 0–100": "Punkte {value} liegen außerhalb von 0–100",
    # --- constraints.csv ---------------------------------------------------------------------
    "{rule!r} is not a known rule": "{rule!r} ist keine bekannte Regel",
    "use one of {rules}": "Verwenden Sie eine dieser Regeln: {rules}",
    "{indicator!r} is not in indicators.csv": "{indicator!r} steht nicht in indicators.csv",
    "use an indicator_id of the catalogue": "Verwenden Sie eine indicator_id aus dem Katalog",
    "rule {rule!r} needs the linked indicator": "Regel {rule!r} braucht den verknüpften Indikator",
    "name it in other_indicator_id": "Nennen Sie ihn in other_indicator_id",
    "{indicator!r} is not a yes/no indicator": "{indicator!r} ist kein Ja/Nein-Indikator",
    "amount_of links an amount to its yes/no feature":
        "amount_of verknüpft eine Menge mit ihrem Ja/Nein-Merkmal",
    "rule {rule!r} takes no linked indicator": "Regel {rule!r} hat keinen verknüpften Indikator",
    "leave other_indicator_id empty": "Lassen Sie other_indicator_id leer",
    "rule {rule!r} does not fit {indicator!r} of kind {kind!r}":
        "Regel {rule!r} passt nicht zu {indicator!r} der Art {kind!r}",
    "use it for indicators of kind {kind}": "Verwenden Sie sie für Indikatoren der Art {kind}",
    "use it for indicators of kind {kinds} or {last}":
        "Verwenden Sie sie für Indikatoren der Art {kinds} oder {last}",
    "{value:g} {indicator} (edition {edition}, city {city}) is not a whole number ≥ 0, but it "
    "counts things ({file} row {row})":
        "{value:g} bei {indicator} (Ausgabe {edition}, Stadt {city}) ist keine ganze Zahl ≥ 0, "
        "zählt aber Dinge ({file} Zeile {row})",
    "give a whole number, or declare the indicator 'rate' if fractions are meaningful":
        "Geben Sie eine ganze Zahl an, oder erklären Sie den Indikator als 'rate', wenn "
        "Bruchteile sinnvoll sind",
    "{value:g} {indicator} is a rate but negative ({file} row {row})":
        "{value:g} bei {indicator} ist ein Verhältniswert (rate), aber negativ ({file} Zeile "
        "{row})",
    "a rate is 0 or more": "Ein Verhältniswert (rate) ist 0 oder größer",
    "{value:g} {indicator} is a score but negative ({file} row {row})":
        "{value:g} bei {indicator} ist eine Bewertung (score), aber negativ ({file} Zeile {row})",
    "a score is 0 or more": "Eine Bewertung (score) ist 0 oder größer",
    "{value:g} {indicator} is a share outside 0–100 ({file} row {row})":
        "{value:g} bei {indicator} ist ein Anteil außerhalb von 0–100 ({file} Zeile {row})",
    "give a percentage between 0 and 100": "Geben Sie einen Prozentwert zwischen 0 und 100 an",
    "{value:g} {indicator} is neither 0 nor 1 ({file} row {row})":
        "{value:g} bei {indicator} ist weder 0 noch 1 ({file} Zeile {row})",
    "a yes/no indicator is 0 (no) or 1 (yes)": "Ein Ja/Nein-Indikator ist 0 (nein) oder 1 (ja)",
    "{value:g} {indicator} (edition {edition}, city {city}) is above {other_value:g} {other}, "
    "which it cannot exceed ({file} row {row})":
        "{value:g} bei {indicator} (Ausgabe {edition}, Stadt {city}) liegt über {other_value:g} "
        "bei {other}, darf diesen Wert aber nicht übersteigen ({file} Zeile {row})",
    "lower it to at most {other_value:g} or raise {other}":
        "Senken Sie den Wert auf höchstens {other_value:g}, oder erhöhen Sie {other}",
    "{indicator} is {value:g} (edition {edition}, city {city}) although its feature {other} is "
    "0 ({file} row {row})":
        "{indicator} ist {value:g} (Ausgabe {edition}, Stadt {city}), obwohl sein Merkmal "
        "{other} 0 ist ({file} Zeile {row})",
    "set {other} to 1, or {indicator} to 0": "Setzen Sie {other} auf 1 oder {indicator} auf 0",
    "{indicator} of city {city} is 1 in {first} and 0 in {second}, while the published share "
    "of cities with it did not fall ({before:.0f} % → {after:.0f} %) ({file} row {row})":
        "{indicator} ist bei Stadt {city} in der Ausgabe {first} 1 und in der Ausgabe {second} "
        "0, obwohl der veröffentlichte Anteil der Städte damit nicht gesunken ist "
        "({before:.0f} % → {after:.0f} %) ({file} Zeile {row})",
    "{indicator} of city {city} is 1 in {first} and 0 in {second}, while the share in the data "
    "of cities with it did not fall ({before:.0f} % → {after:.0f} %) ({file} row {row})":
        "{indicator} ist bei Stadt {city} in der Ausgabe {first} 1 und in der Ausgabe {second} "
        "0, obwohl der Anteil der Städte damit in den Daten nicht gesunken ist "
        "({before:.0f} % → {after:.0f} %) ({file} Zeile {row})",
    "keep the feature at 1 (adoption does not flicker), or correct the earlier edition":
        "Lassen Sie das Merkmal bei 1 (eine Einführung wird nicht zurückgenommen), oder "
        "korrigieren Sie die frühere Ausgabe",
    "{share:g} % of cities offer {indicator} in {edition}, but the values have {count:g} of {n} "
    "({observed:.1f} %)":
        "laut Veröffentlichung bieten {share:g} % der Städte {indicator} in der Ausgabe "
        "{edition} an, in den Werten sind es aber {count:g} von {n} ({observed:.1f} %)",
    "set {indicator} to 1 for {want} of the {n} cities":
        "Setzen Sie {indicator} bei {want} der {n} Städte auf 1",
    # --- methods and the engine --------------------------------------------------------------
    "indicator-level values": "Werte auf Ebene der Indikatoren",
    "the area → category → indicator hierarchy with its weights":
        "die Hierarchie Bereich → Kategorie → Indikator mit ihren Gewichten",
    "at least one indicator flagged as a citizen-facing online service":
        "mindestens einen als Online-Dienst für Bürgerinnen und Bürger markierten Indikator",
    "parameter {name!r} must be true or false, not {value!r}":
        "Parameter {name!r} muss true oder false sein, nicht {value!r}",
    "parameter {name!r} must be one of {choices}, not {value!r}":
        "Parameter {name!r} muss einer dieser Werte sein: {choices}, nicht {value!r}",
    "parameter {name!r} must be a number, not {value!r}":
        "Parameter {name!r} muss eine Zahl sein, nicht {value!r}",
    "parameter {name!r} must be a number, not {value!r}; write numbers with a decimal point: "
    "{point}":
        "Parameter {name!r} muss eine Zahl sein, nicht {value!r}; schreiben Sie Zahlen mit "
        "Dezimalpunkt: {point}",
    "parameter {name!r} must be finite, not {value!r}":
        "Parameter {name!r} muss endlich sein, nicht {value!r}",
    "parameter {name!r} must be a whole number, not {value!r}":
        "Parameter {name!r} muss eine ganze Zahl sein, nicht {value!r}",
    "parameter {name!r} must be at least {min}, not {value!r}":
        "Parameter {name!r} muss mindestens {min} sein, nicht {value!r}",
    "parameter {name!r} must be at most {max}, not {value!r}":
        "Parameter {name!r} darf höchstens {max} sein, nicht {value!r}",
    "method {method!r} has no parameter {key!r} (its parameters: {names})":
        "Methode {method!r} hat keinen Parameter {key!r} (ihre Parameter: {names})",
    "method {method!r} needs {need}, but edition {edition} has none (set service=1 in "
    "indicators.csv)":
        "Methode {method!r} braucht {need}, aber Ausgabe {edition} hat keinen (setzen Sie "
        "service=1 in indicators.csv)",
    "method {method!r} needs {need}, but edition {edition} has no values":
        "Methode {method!r} braucht {need}, aber Ausgabe {edition} hat keine Werte",
    "method {method!r}": "Methode {method!r}",
    "method {method!r} (plugin {plugin!r}, package {distribution})":
        "Methode {method!r} (Plugin {plugin!r}, Paket {distribution})",
    "{where} took longer than {limit:g} s on edition {edition} and was abandoned (set "
    "CITYINDEX_METHOD_TIMEOUT to allow more)":
        "{where} hat für Ausgabe {edition} länger als {limit:g} s gebraucht und wurde "
        "abgebrochen (mehr Zeit erlaubt CITYINDEX_METHOD_TIMEOUT)",
    "{where} failed on edition {edition}: {kind}: {error}":
        "{where} ist bei Ausgabe {edition} gescheitert: {kind}: {error}",
    "{what} cannot be read as an array ({kind}: {error})":
        "{what} lässt sich nicht als Array lesen ({kind}: {error})",
    "{what} holds {dtype} values, expected real numbers (float)":
        "{what} enthält Werte vom Typ {dtype}, erwartet sind reelle Zahlen (float)",
    "{what} has shape {shape}, expected {expected}":
        "{what} hat die Form {shape}, erwartet ist {expected}",
    "{where} returned {type}, expected a cityindex.MethodOutput":
        "{where} hat {type} zurückgegeben, erwartet ist ein cityindex.MethodOutput",
    "total is infinite for 1 city ({cities})":
        "der Gesamtwert ist für eine Stadt unendlich ({cities})",
    "total is infinite for {count} cities ({cities})":
        "der Gesamtwert ist für {count} Städte unendlich ({cities})",
    "total is NaN for every city: no city has a score":
        "der Gesamtwert fehlt bei jeder Stadt (NaN): Keine Stadt hat eine Punktzahl",
    "weights are not all finite": "nicht alle Gewichte sind endlich",
    "weights include negative values": "die Gewichte enthalten negative Werte",
    "weights are all 0: the total depends on no indicator":
        "alle Gewichte sind 0: Der Gesamtwert hängt von keinem Indikator ab",
    "{what} include infinite values": "{what} enthalten unendliche Werte",
    "{where} returned output that cannot be ranked on edition {edition}: {problems}":
        "{where} hat für Ausgabe {edition} ein Ergebnis geliefert, das sich nicht in eine "
        "Rangfolge bringen lässt: {problems}",
    "method {method!r} does not use the hierarchy's weights, so they cannot be changed "
    "(methods that do: those that require 'hierarchy', e.g. bitkom)":
        "Methode {method!r} verwendet die Gewichte der Hierarchie nicht, sie lassen sich also "
        "nicht ändern (das geht bei Methoden, die 'hierarchy' voraussetzen, z. B. bitkom)",
    "the method gives no score for this city (NaN total)":
        "die Methode gibt dieser Stadt keine Punktzahl (der Gesamtwert fehlt, NaN)",
    "no value for the indicator this method uses":
        "der Indikator, den diese Methode verwendet, hat keinen Wert",
    "no value for any of the {n} indicators this method uses":
        "keiner der {n} Indikatoren, die diese Methode verwendet, hat einen Wert",
    "{kind}: {text}": "{kind}: {text}",
    "{kind}": "{kind}",
    # --- own weights (hierarchy) ---------------------------------------------------------------
    "weight {key}={value!r} is not a number": "Gewicht {key}={value!r} ist keine Zahl",
    "weight {key}={value!r} must be a finite number ≥ 0":
        "Gewicht {key}={value!r} muss eine endliche Zahl ≥ 0 sein",
    "areas: {areas}": "Bereiche: {areas}",
    "{key!r} is no area, category or indicator of edition {edition} ({hint})":
        "{key!r} ist weder Bereich noch Kategorie noch Indikator der Ausgabe {edition} ({hint})",
    "every area weight is 0: nothing is left to average":
        "alle Bereichsgewichte sind 0: Es bleibt nichts zu mitteln",
    "area {area!r} has weight but all its categories weigh 0: give one a weight or the area "
    "weight 0":
        "Bereich {area!r} hat ein Gewicht, aber alle seine Kategorien haben das Gewicht 0: "
        "Geben Sie einer davon ein Gewicht oder dem Bereich das Gewicht 0",
    # --- plugins -------------------------------------------------------------------------------
    "entry point name {name!r} is already used by {other}; rename one of the two entry points":
        "der Einstiegspunkt {name!r} wird schon von {other} verwendet; benennen Sie einen der "
        "beiden Einstiegspunkte um",
    "failed to import {target!r}: {error}": "Import von {target!r} fehlgeschlagen: {error}",
    "invalid plugin: {error}": "ungültiges Plugin: {error}",
    "failed while registering methods: {error}":
        "Fehler beim Registrieren der Methoden: {error}",
    "method name {name!r} belongs to the built-in method of {distribution}; this one is not "
    "loaded (rename it)":
        "der Methodenname {name!r} gehört zur eingebauten Methode von {distribution}; diese "
        "hier wird nicht geladen (benennen Sie sie um)",
    "plugin {plugin!r} ({distribution} {version})": "Plugin {plugin!r} ({distribution} {version})",
    "{first} and {second}": "{first} und {second}",
    "method name {name!r} is registered twice: by {where}; neither is loaded (uninstall one, or "
    "ask its author to rename the method)":
        "der Methodenname {name!r} ist doppelt registriert: von {where}; keine der beiden wird "
        "geladen (deinstallieren Sie eines der Pakete, oder bitten Sie dessen Autor, die "
        "Methode umzubenennen)",
    "method name {name!r} is registered more than once by {where}; none of them is loaded (ask "
    "its author to register each name once)":
        "der Methodenname {name!r} ist mehrfach registriert von {where}; keine davon wird "
        "geladen (bitten Sie den Autor, jeden Namen nur einmal zu registrieren)",
    "unknown hook {name!r} (is it misspelt? the hook is 'cityindex_register_methods')":
        "unbekannter Hook {name!r} (falsch geschrieben? Der Hook heißt "
        "'cityindex_register_methods')",
    "registered the class {cls}, which cannot be instantiated without arguments ({error}); "
    "register an instance":
        "hat die Klasse {cls} registriert, die sich ohne Argumente nicht instanziieren lässt "
        "({error}); registrieren Sie eine Instanz",
    "registered an object of type {kind}, which has no {attr!r} text":
        "hat ein Objekt vom Typ {kind} registriert, das keinen Text {attr!r} hat",
    "method name {name!r} is not usable on the command line (letters, digits, '_', '.', '-')":
        "der Methodenname {name!r} ist auf der Kommandozeile nicht verwendbar (Buchstaben, "
        "Ziffern, '_', '.', '-')",
    "registered an object of type {kind}, which has no score() method":
        "hat ein Objekt vom Typ {kind} registriert, das keine Methode score() hat",
    "its 'parameters' is not a tuple of cityindex.Parameter":
        "sein 'parameters' ist kein Tupel aus cityindex.Parameter",
    "parameter {parameter} is not a cityindex.Parameter":
        "Parameter {parameter} ist kein cityindex.Parameter",
    "declares unknown requirements {unknown} (known: {known})":
        "nennt unbekannte Voraussetzungen {unknown} (bekannt: {known})",
    "is not a cityindex.Method subclass (no resolve_params)":
        "ist keine Unterklasse von cityindex.Method (kein resolve_params)",
    # --- the built-in methods (methods/) ------------------------------------------------------
    "no weighting of {areas} areas has every share between min_share {low:g} and max_share "
    "{high:g} (need min_share ≤ {limit:.4g} ≤ max_share)":
        "keine Gewichtung von {areas} Bereichen hat jeden Anteil zwischen min_share {low:g} und "
        "max_share {high:g} (nötig ist min_share ≤ {limit:.4g} ≤ max_share)",
    "benefit of the doubt: the linear programmes of the cities ({names}, …) failed: {error}":
        "Benefit of the Doubt: Die linearen Programme der Städte ({names}, …) sind gescheitert: "
        "{error}",
    # --- robustness ------------------------------------------------------------------------------
    "unknown normalisation {name!r}; choose from {choices}":
        "unbekannte Normierung {name!r}; zur Wahl stehen {choices}",
    "none": "keine",
    "method {method!r} has no hierarchical structure the robustness analyses can re-evaluate "
    "(it implements no Method.structure); methods that have one: {able}":
        "Methode {method!r} hat keine hierarchische Struktur, die die Robustheitsanalysen neu "
        "berechnen können (sie beschreibt ihre Struktur nicht, Method.structure); möglich ist die "
        "Analyse mit: "
        "{able}",
    "method {method!r}: structure() returned {type}, expected a HierarchyStructure":
        "Methode {method!r}: structure() gab {type} zurück, erwartet ist eine "
        "HierarchyStructure",
    "edition {edition} has no values to analyse":
        "Ausgabe {edition} hat keine Werte zum Analysieren",
    "method {method!r}: no area has both a weight and a score in edition {edition}":
        "Methode {method!r}: Kein Bereich hat in Ausgabe {edition} sowohl ein Gewicht als auch "
        "einen Wert",
    "normalisation": "Normierung",
    "aggregation": "Aggregation",
    "uncertainty": "Unsicherheitsanalyse",
    "{what}: bounds must be two numbers (min, max), not {bounds!r}":
        "{what}: Die Grenzen müssen zwei Zahlen sein (min, max), nicht {bounds!r}",
    "{what}: weight bounds must satisfy 0 ≤ min ≤ max ≤ 1, not min {low:g}, max {high:g}":
        "{what}: Die Gewichtsgrenzen müssen 0 ≤ min ≤ max ≤ 1 erfüllen, nicht min {low:g}, "
        "max {high:g}",
    "{what}: {g} areas with a minimum weight of {low:g} need more than the whole (min × {g} = "
    "{total:g} > 1): lower the minimum to at most {limit:.4g}":
        "{what}: {g} Bereiche mit einem Mindestgewicht von je {low:g} brauchen mehr als das "
        "Ganze (min × {g} = {total:g} > 1): Senken Sie das Minimum auf höchstens {limit:.4g}",
    "{what}: {g} areas with a maximum weight of {high:g} cannot add up to 1 (max × {g} = "
    "{total:g} < 1): raise the maximum to at least {limit:.4g}":
        "{what}: {g} Bereiche mit einem Höchstgewicht von je {high:g} ergeben zusammen nicht 1 "
        "(max × {g} = {total:g} < 1): Heben Sie das Maximum auf mindestens {limit:.4g}",
    "the weight bounds {low:g}–{high:g} admit only {share:.3%} of the {scheme} draws ({kept} "
    "of {proposed}); widen the bounds or use --weights simplex":
        "die Gewichtsgrenzen {low:g}–{high:g} lassen nur {share:.3%} der {scheme}-Ziehungen zu "
        "({kept} von {proposed}); erweitern Sie die Grenzen, oder ziehen Sie gleichverteilt "
        "über alle Gewichtungen (SMAA, --weights simplex)",
    "unknown {what} {names}; choose from {choices}":
        "unbekannte {what} {names}; zur Wahl stehen {choices}",
    "a ranked city has an area score ≤ 0, which has no logarithm (geometric mean without a "
    "floor)":
        "eine Stadt mit Rang hat einen Bereichswert ≤ 0, der keinen Logarithmus hat "
        "(geometrisches Mittel ohne Untergrenze)",
    "a ranked city gets no total (NaN)": "eine Stadt mit Rang erhält keinen Gesamtwert (NaN)",
    "draws must be at most {limit:,} (each draw holds a rank for every city; {draws:,} would "
    "not fit in memory)":
        "höchstens {limit:,} Ziehungen sind möglich (jede Ziehung hält einen Rang je Stadt; "
        "{draws:,} passen nicht in den Speicher)",
    "unknown weight scheme {scheme!r}; choose from {choices}":
        "unbekanntes Ziehungsverfahren {scheme!r}; zur Wahl stehen {choices}",
    "unknown level {level!r}; choose from {choices}":
        "unbekannte Ebene {level!r}; zur Wahl stehen {choices}",
    "concentration must be a positive number, not {value!r}":
        "die Konzentration muss eine positive Zahl sein, nicht {value!r}",
    "noise must be at least 0 and below 1 (a share), not {value!r}":
        "die Streuung muss mindestens 0 und kleiner als 1 sein (ein Anteil), nicht {value!r}",
    "none of the {draws} draws could be evaluated: {reasons} (leave out the combination that "
    "fails)":
        "keine der {draws} Ziehungen ließ sich auswerten: {reasons} (lassen Sie die "
        "Kombination weg, die scheitert)",
    "{normalisation} + {aggregation}: {reason}": "{normalisation} + {aggregation}: {reason}",
    "{what} must be a whole number, not {value!r}":
        "{what} muss eine ganze Zahl sein, nicht {value!r}",
    "{what} must be a whole number of at least 1, not {value!r}":
        "{what} muss eine ganze Zahl von mindestens 1 sein, nicht {value!r}",
    "samples must be at least 2": "die Stichprobe (samples) muss mindestens 2 sein",
    "noise must be above 0 and below 1 (a share), not {value!r}":
        "die Streuung muss größer als 0 und kleiner als 1 sein (ein Anteil), nicht {value!r}",
    "conf_level must lie between 0 and 1, not {value!r}":
        "conf_level muss zwischen 0 und 1 liegen, nicht {value!r}",
    "only one uncertain input ({input}): Sobol indices need at least two (a single area in "
    "play has nothing to share its weight with)":
        "nur eine unsichere Eingabe ({input}): Sobol-Indizes brauchen mindestens zwei (ein "
        "einzelner Bereich kann sein Gewicht mit keinem teilen)",
    "{normalisation} + {aggregation}: {failed} of {draws} ({reason})":
        "{normalisation} + {aggregation}: {failed} von {draws} ({reason})",
    "{failed} of {total} evaluations cannot be computed ({reasons}); Sobol indices need every "
    "evaluation: leave that normalisation or aggregation out":
        "{failed} von {total} Auswertungen lassen sich nicht berechnen ({reasons}); "
        "Sobol-Indizes brauchen jede Auswertung: Lassen Sie diese Normierung oder Aggregation "
        "weg",
    "rank bounds with area weights between {low:g} and {high:g}":
        "bester und schlechtester Rang bei Bereichsgewichten zwischen {low:g} und {high:g}",
    "{where}: some cities have no score in an area ({cities}), and the method leaves it out, "
    "so the total is not linear in the weights; use -p missing=zero or own weights that leave "
    "those areas out":
        "{where}: Einige Städte haben in einem Bereich keinen Wert ({cities}), und die Methode "
        "lässt ihn aus, daher ist der Gesamtwert nicht linear in den Gewichten; verwenden Sie "
        "-p missing=zero oder eigene Gewichte, die diese Bereiche auslassen",
    "{where}: an area score ≤ 0 has no logarithm (geometric mean without a floor)":
        "{where}: Ein Bereichswert ≤ 0 hat keinen Logarithmus (geometrisches Mittel ohne "
        "Untergrenze)",
    "{where}: the solver could not find the best rank of {name} ({city}): {error} (status "
    "{status})":
        "{where}: Der Löser fand den besten Rang von {name} ({city}) nicht: {error} (Status "
        "{status})",
    "{where}: the solver could not find the worst rank of {name} ({city}): {error} (status "
    "{status})":
        "{where}: Der Löser fand den schlechtesten Rang von {name} ({city}) nicht: {error} "
        "(Status {status})",
    # --- engine: notes on a result -------------------------------------------------------
    "parameter {label} ({name}) changes nothing in edition {edition}: no category of the "
    "edition is flagged 'projects' (of Bitkom's editions only 2021 has them)":
        "Parameter {label} ({name}) ändert in der Ausgabe {edition} nichts: keine Kategorie der "
        "Ausgabe ist als 'projects' markiert (von Bitkoms Ausgaben hat nur 2021 solche)",
    "'{text}'": "„{text}“",
}
