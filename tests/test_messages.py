"""The core's messages in two languages: every problem, hint, warning and error is English where
it is printed (command line, JSON, ``str``) and German in the German dashboard.

The catalogue test reads the source: a ``msg("…")`` added to ``cityindex/`` without its German
in ``cityindex/messages_de.py`` fails here, and so does a message written as a bare f-string at
a place that reports problems or raises the core's errors."""

from __future__ import annotations

import ast
import io
import pickle
import string
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import cityindex
from cityindex import export, i18n
from cityindex.dataset import Problem
from cityindex.messages import Message, exception_text, joined, message_of, msg, one_line, render
from cityindex.messages_de import GERMAN

REPO = Path(__file__).resolve().parent.parent
# the core and the built-in methods (whose errors reach the dashboard too)
CORE = sorted((REPO / "cityindex").glob("*.py")) + sorted((REPO / "methods").glob("*.py"))
TINY = REPO / "tests" / "fixtures" / "tiny"


# --- the catalogue is complete ---------------------------------------------------------------


def _msg_calls():
    """Every ``msg(...)`` call in the core: (file, line, first argument node, keywords)."""
    for path in CORE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "msg":
                yield path.name, node.lineno, node


def _fields(template: str) -> set[tuple[str, str | None]]:
    """The placeholders of a template: (name, conversion); the format spec may differ."""
    return {(name, conversion) for _, name, _, conversion in string.Formatter().parse(template)
            if name is not None}


def _templates() -> dict[str, str]:
    found = {}
    for name, line, node in _msg_calls():
        first = node.args[0] if node.args else None
        assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
            f"{name}:{line}: msg() needs a literal template, so that its German can be checked")
        found.setdefault(first.value, f"{name}:{line}")
    return found


def test_the_source_has_messages_to_check():
    templates = _templates()
    # a broken search would find nothing and pass everything below
    assert len(templates) > 250
    assert "{value!r} is not a number" in templates
    assert "is not UTF-8; read as {encoding} (byte {byte} is not UTF-8)" in templates


def test_every_message_of_the_core_has_its_german_with_the_same_placeholders():
    missing, different = [], []
    for template, where in _templates().items():
        german = GERMAN.get(template)
        if german is None:
            missing.append(f"{where}: {template!r}")
        elif _fields(template) != _fields(german):
            different.append(f"{where}: {template!r} {_fields(template)} "
                             f"!= {_fields(german)}")
    assert not missing, "no German in cityindex/messages_de.py for:\n" + "\n".join(missing)
    assert not different, "placeholders differ:\n" + "\n".join(different)


def test_the_catalogue_holds_no_message_the_core_no_longer_has():
    unused = sorted(set(GERMAN) - set(_templates()))
    assert not unused, unused


def test_the_field_check_sees_a_missing_placeholder():
    assert _fields("{value!r} is not a number") != _fields("ist keine Zahl")
    assert _fields("{value!r} is not a number") != _fields("{value} ist keine Zahl")
    assert _fields("{limit:g}") == _fields("{limit:,.0f}")  # the format spec may differ


# --- no bare f-string where messages are made -------------------------------------------------

# callee name -> positions of its message and hint arguments (keywords "message", "hint")
SINKS = {
    "Problem": (3, 4), "_problem": (3, 4), "add": (3, 4), "warn": (3, 4), "problem": (3, 4),
    "add_rows": (4, 5), "_fail": (3,), "PluginFailure": (4,),
    "MethodDataError": (0,), "MethodRaisedError": (0,), "MethodOutputError": (0,),
    "MethodTimeoutError": (0,), "RobustnessError": (0,), "WeightError": (0,),
    "UnknownEditionError": (0,), "ParameterError": (0,),
}
# a built-in method raises ValueError for what the user chose (its parameters)
EXTRA_SINKS = {"benefit_of_doubt.py": {"ValueError": (0,)}}
# helpers that return a hint, a reason or a part of a message
HELPERS = {"_number_hint", "hint", "enum_hint", "_range_hint", "_ragged_hint", "_kinds_hint",
           "_all_zero", "where", "message", "_failure_reason", "_sheet", "_describe",
           "_failed"}
MODULES = ("readers.py", "dataset.py", "constraints.py", "plugins.py", "engine.py",
           "hierarchy.py", "robustness.py", "method.py", "benefit_of_doubt.py")


def _words(node) -> bool:
    """A text written in place: an f-string, a non-empty string, or a lambda returning one."""
    if isinstance(node, ast.Lambda):
        return _words(node.body)
    if isinstance(node, ast.IfExp):
        return _words(node.body) or _words(node.orelse)
    if isinstance(node, ast.BinOp):
        return _words(node.left) or _words(node.right)
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(node.value)


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        if node.func.attr == "append" and isinstance(node.func.value, ast.Name) \
                and node.func.value.id == "problems":
            return "problems.append"
        return node.func.attr
    return None


def _bare_texts(source: str, name: str) -> list[str]:
    sinks = {**SINKS, **EXTRA_SINKS.get(name, {})}
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee = _callee(node)
            if callee == "problems.append":
                args = node.args
            elif callee in sinks:
                args = [node.args[i] for i in sinks[callee] if i < len(node.args)]
                args += [k.value for k in node.keywords if k.arg in ("message", "hint")]
            else:
                continue
            found += [f"{name}:{a.lineno} {callee}(...)" for a in args if _words(a)]
        elif isinstance(node, ast.FunctionDef) and node.name in HELPERS:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and inner.value is not None \
                        and _words(inner.value):
                    found.append(f"{name}:{inner.lineno} return in {node.name}()")
    return found


def test_no_message_or_hint_is_written_as_a_bare_string():
    found = []
    for path in CORE:
        if path.name in MODULES:
            found += _bare_texts(path.read_text(encoding="utf-8"), path.name)
    assert not found, "write these with msg(...) and add the German:\n" + "\n".join(found)


@pytest.mark.parametrize("code", [
    'checker.add("v.csv", 3, "value", f"{v!r} is not a number", "")',
    'checker.add_rows("v.csv", frame, mask, "value", lambda v: f"{v} is wrong")',
    'result.problem(shown, message="does not exist")',
    'result.problem(shown, message=msg("does not exist"), hint=f"give {x}")',
    'raise RobustnessError(f"noise must be below 1, not {noise!r}")',
    'problems.append("weights are not all finite")',
    'def _range_hint(name):\n    return "a year"',
])
def test_the_guard_finds_a_bare_message(code):
    assert _bare_texts(code, "example.py")


def test_the_guard_lets_messages_and_empty_hints_pass():
    code = ('checker.add("v.csv", 3, "value", msg("{value!r} is not a number", value=v), "")\n'
            'raise RobustnessError(msg("samples must be at least 2"))\n')
    assert _bare_texts(code, "example.py") == []


# --- a message is its English text ----------------------------------------------------------


def test_a_message_is_the_english_text_with_its_template_and_arguments():
    m = msg("{value!r} is not a number", value="abc")
    assert m == "'abc' is not a number" and str(m) == "'abc' is not a number"
    assert isinstance(m, str) and hash(m) == hash("'abc' is not a number")
    assert m.template == "{value!r} is not a number" and m.args == {"value": "abc"}
    assert f"row 3: {m}" == "row 3: 'abc' is not a number"
    again = pickle.loads(pickle.dumps(m))  # the dashboard caches results with pickle
    assert type(again) is Message and again.template == m.template
    assert render(again, "de") == "'abc' ist keine Zahl"


def test_a_problem_prints_as_before_in_english():
    p = Problem("values.csv", 3, "x", msg("{value!r} is not a number", value="abc"),
                msg("fill in the cell"))
    assert str(p) == "values.csv, row 3, column 'x': 'abc' is not a number"
    assert p.describe() == "values.csv, row 3, column 'x': 'abc' is not a number  → fill in " \
                           "the cell"
    assert i18n.problem_text(p, "en", hint=True) == p.describe()
    assert p == Problem("values.csv", 3, "x", "'abc' is not a number", "fill in the cell")


# --- German, written by hand -----------------------------------------------------------------


def test_a_problem_in_german_with_its_location():
    p = Problem("values.csv", 3, "x", msg("{value!r} is not a number", value="abc"),
                msg("fill in the cell"))
    assert i18n.problem_text(p, "de") == "values.csv, Zeile 3, Spalte 'x': 'abc' ist keine Zahl"
    assert i18n.problem_text(p, "de", hint=True) == (
        "values.csv, Zeile 3, Spalte 'x': 'abc' ist keine Zahl  → Füllen Sie die Zelle aus")
    no_place = Problem("data", None, None, msg("does not exist"))
    assert i18n.problem_text(no_place, "de") == "data: existiert nicht"
    from_env = Problem("/x", None, None, msg("does not exist (the path is set by ${variable})",
                                             variable="CITYINDEX_DATA"))
    assert i18n.problem_text(from_env, "de") == (
        "/x: existiert nicht (der Pfad ist in $CITYINDEX_DATA gesetzt)")


@pytest.mark.parametrize("message, german", [
    (msg("is {size:,} bytes; uploads are limited to {limit:,} bytes", size=1234, limit=1000),
     "ist 1.234 Bytes groß; hochgeladene Dateien dürfen höchstens 1.000 Bytes groß sein"),
    (msg("write 1 for yes, 0 for no"), "Schreiben Sie 1 für ja, 0 für nein"),
    (msg("{value} lies outside {low}…{high}", value=95.5, low=-90, high=90),
     "95,5 liegt außerhalb von \u221290…90"),
    (msg("weight {value} is too large (at most {limit:g})", value=2e9, limit=1e9),
     "Gewicht 2000000000,0 ist zu groß (höchstens 1.000.000.000)"),
    (msg("{value:g} {indicator} is a share outside 0–100 ({file} row {row})", value=112.5,
         indicator="breitband", file="constraints.csv", row=4),
     "112,5 bei breitband ist ein Anteil außerhalb von 0–100 (constraints.csv Zeile 4)"),
    (msg("edition {edition} has 1 city: a ranking needs at least two", edition=2024),
     "Ausgabe 2024 hat nur eine Stadt: Eine Rangliste braucht mindestens zwei"),
    # a value quoted from the user's file stays as written, a decimal point included
    (msg("{value!r} is not a whole number", value="2.5"), "'2.5' ist keine ganze Zahl"),
    # a nested message is German too
    (msg("duplicate {what} for ({columns}) = ({values}); first given in row {first}",
         what=msg("indicator"), columns="edition, indicator_id", values="2024, i1", first=2),
     "Indikator doppelt vorhanden für (edition, indicator_id) = (2024, i1); zuerst in Zeile 2"),
    (msg("area {area!r}{where} has no weight left: {reason}", area="B",
         where=msg(" in edition {edition}", edition=2024),
         reason=msg("its only category (row {row}) weighs 0", row=3)),
     "Bereich 'B' in Ausgabe 2024 hat kein Gewicht mehr: seine einzige Kategorie (Zeile 3) "
     "hat das Gewicht 0"),
    (msg("the weight bounds {low:g}–{high:g} admit only {share:.3%} of the {scheme} draws "
         "({kept} of {proposed}); widen the bounds or use --weights simplex", low=0.25,
         high=0.3, share=0.0125, scheme="dirichlet", kept=25, proposed=2000),
     "die Gewichtsgrenzen 0,25–0,3 lassen nur 1,250\u00a0% der dirichlet-Ziehungen zu (25 von "
     "2000); erweitern Sie die Grenzen, oder ziehen Sie gleichverteilt über alle Gewichtungen "
     "(SMAA, --weights simplex)"),
])
def test_german_messages_written_by_hand(message, german):
    assert render(message, "de") == german
    assert render(message, "en") == str(message)


def test_text_that_is_not_a_message_is_shown_as_it_is():
    assert render("No module named 'x'", "de") == "No module named 'x'"
    assert render(None, "de") == ""
    assert i18n.message_text(msg("tab"), "fr") == "Tabulator"  # unknown language: German
    assert i18n.display_value(msg("a year"), "de") == "Eine Jahreszahl"


def test_a_joined_list_and_an_exception_keep_each_part():
    both = joined([msg("weights are not all finite"), "plain words"])
    assert both == "weights are not all finite; plain words"
    assert render(both, "de") == "nicht alle Gewichte sind endlich; plain words"
    assert exception_text(ZeroDivisionError("division by zero")) == \
        "ZeroDivisionError: division by zero"
    assert exception_text(KeyboardInterrupt()) == "KeyboardInterrupt"
    error = ValueError(msg("samples must be at least 2"))
    assert message_of(error).template == "samples must be at least 2"
    assert message_of(KeyError("x")) == "'x'"
    lines = one_line(msg("invalid plugin: {error}", error="Plugin 'x'\n   for hook"))
    assert lines == "invalid plugin: Plugin 'x' for hook"
    assert render(lines, "de") == "ungültiges Plugin: Plugin 'x' for hook"


# --- from the readers and the validator -----------------------------------------------------


def _zip(**files: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for f in sorted(TINY.glob("*.csv")):
            zf.writestr(f.name, files.get(f.name, f.read_text(encoding="utf-8")))
    return buffer.getvalue()


def _problems(content: bytes, name="daten.zip", **kwargs) -> list[Problem]:
    with pytest.raises(cityindex.DatasetError) as info:
        cityindex.read_upload(name, content, **kwargs)
    return info.value.problems


def test_an_upload_with_a_bad_cell_in_both_languages():
    values = (TINY / "values.csv").read_text(encoding="utf-8").replace(
        "2024,A1,i1,10,", "2024,A1,i1,abc,")
    [problem] = _problems(_zip(**{"values.csv": values}))
    assert str(problem) == "daten.zip/values.csv, row 2, column 'value': 'abc' is not a number"
    assert i18n.problem_text(problem, "de") == (
        "daten.zip/values.csv, Zeile 2, Spalte 'value': 'abc' ist keine Zahl")
    table = i18n.problem_table([problem], "de")
    assert list(table.columns) == ["file", "row", "column", "problem", "hint"]
    assert table.iloc[0].tolist()[2:4] == ["value", "'abc' ist keine Zahl"]
    assert table["row"].dtype == "Int64"


def test_an_upload_too_large_in_german_numbers():
    [problem] = _problems(b"x" * 1234, limits=cityindex.UploadLimits(max_upload=1000))
    assert problem.message == "is 1,234 bytes; uploads are limited to 1,000 bytes"
    assert i18n.message_text(problem.message, "de") == (
        "ist 1.234 Bytes groß; hochgeladene Dateien dürfen höchstens 1.000 Bytes groß sein")
    assert i18n.message_text(problem.hint, "de") == (
        "Packen Sie die CSV-Dateien in ein ZIP, oder nutzen Sie für große Datensätze die "
        "Kommandozeile")


def test_a_workbook_sheet_is_located_in_german():
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"city_id": ["A1"]}).to_excel(writer, sheet_name="cities", index=False)
    problems = _problems(buffer.getvalue(), name="mappe.xlsx")
    areas = next(p for p in problems if "areas" in p.file)
    assert str(areas) == "mappe.xlsx, sheet 'areas': required sheet is missing"
    assert i18n.problem_text(areas, "de") == "mappe.xlsx, Blatt 'areas': erforderliches Blatt fehlt"


def test_a_file_read_as_windows_1252_warns_in_german(tmp_path):
    import shutil

    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    cities = (folder / "cities.csv").read_text(encoding="utf-8")
    (folder / "cities.csv").write_bytes(cities.encode("cp1252"))
    [warning] = cityindex.load_dataset(folder).warnings
    assert warning.message.startswith("is not UTF-8; read as cp1252 (byte ")
    german = i18n.problem_text(warning, "de", hint=True)
    assert german.startswith(f"{folder / 'cities.csv'}: ist kein UTF-8; gelesen als cp1252 "
                             "(Byte ")
    assert german.endswith("→ Die Kodierung wurde automatisch erkannt (auf der Kommandozeile "
                           "legt --encoding sie fest); "
                           "speichern Sie als 'CSV UTF-8', damit nichts geraten werden muss")


# --- plugins, methods and exports ------------------------------------------------------------


class _Fails(cityindex.Method):
    name = "fails_in_german"
    title = "Fails"
    description = "Raises with a message of its own, in English and German."

    def score(self, data, params):
        raise ValueError(msg("needs at least {n} cities", n=100,
                             de="braucht mindestens {n} Städte"))


class _Plugin:
    @cityindex.hookimpl
    def cityindex_register_methods(self, register):
        register(_Fails())
        register(object())  # not a method: a failure with a reason


def test_a_method_error_and_a_plugin_failure_in_german(registered, tiny):
    registered(_Plugin(), "german-plugin")
    registry = cityindex.get_registry()
    with pytest.raises(cityindex.MethodRaisedError) as info:
        cityindex.score(tiny, "fails_in_german", registry=registry)
    error = message_of(info.value)
    assert str(error) == str(info.value) == (
        "method 'fails_in_german' (plugin 'german-plugin', package (registered in-process)) "
        "failed on edition 2024: ValueError: needs at least 100 cities")
    assert i18n.message_text(error, "de") == (
        "Methode 'fails_in_german' (Plugin 'german-plugin', Paket (registered in-process)) ist "
        "bei Ausgabe 2024 gescheitert: ValueError: braucht mindestens 100 Städte")
    [failure] = [f for f in registry.failures if f.plugin == "german-plugin"]
    # named by its type: an object() used to be shown as "<object object at 0x7f…>"
    assert failure.message == "registered an object of type object, which has no 'name' text"
    assert i18n.message_text(failure.message, "de") == (
        "hat ein Objekt vom Typ object registriert, das keinen Text 'name' hat")
    # a cached failure keeps its template (the dashboard pickles robustness results)
    again = pickle.loads(pickle.dumps(info.value))
    assert i18n.message_text(message_of(again), "de") == i18n.message_text(error, "de")


def test_an_unranked_citys_reason_in_german_and_in_german_exports():
    """cases/plugins/unranked-city: Ddorf (X4) has no value for the only online service."""
    data = cityindex.load_dataset(REPO / "tests" / "fixtures" / "cases" / "plugins" /
                                  "unranked-city")
    result = cityindex.score(data, "service_coverage", params={"missing": "skip"})
    reason = result.table.at["X4", "unranked_reason"]
    assert reason == "no value for the indicator this method uses"
    assert i18n.message_text(reason, "de") == (
        "der Indikator, den diese Methode verwendet, hat keinen Wert")
    again = pickle.loads(pickle.dumps(result))  # as st.cache_data keeps it
    assert i18n.message_text(again.table.at["X4", "unranked_reason"], "de") == (
        "der Indikator, den diese Methode verwendet, hat keinen Wert")
    cities = export.ranking_export(result, data).tables[0]
    german = export.csv_bytes(cities, locale="de", readable=True).decode("utf-8-sig")
    assert "Grund ohne Rang" in german
    assert "der Indikator, den diese Methode verwendet, hat keinen Wert" in german
    english = export.csv_bytes(cities, locale="en", readable=True).decode()
    assert "no value for the indicator this method uses" in english
    ids = export.csv_bytes(cities, locale="de").decode("utf-8-sig")
    assert "no value for the indicator this method uses" in ids  # ids: for programs
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export.xlsx_bytes(export.ranking_export(result, data),
                                                      locale="de")))
    cells = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert "der Indikator, den diese Methode verwendet, hat keinen Wert" in cells


def test_a_robustness_failure_keeps_its_reason_as_a_message(tiny):
    """A z-score is negative for some city in every area, and the geometric mean without a
    floor has no logarithm of it: the failed draws are counted with their reason, which the
    dashboard shows in German (after st.cache_data's pickle)."""
    unc = cityindex.uncertainty(tiny, "bitkom", draws=40, seed=1, normalisations=("zscore",),
                                aggregations=("arithmetic", "geometric"))
    [failure] = pickle.loads(pickle.dumps(unc)).failures.itertuples()
    assert failure.reason == ("a ranked city has an area score ≤ 0, which has no logarithm "
                              "(geometric mean without a floor)")
    assert i18n.message_text(failure.reason, "de") == (
        "eine Stadt mit Rang hat einen Bereichswert ≤ 0, der keinen Logarithmus hat "
        "(geometrisches Mittel ohne Untergrenze)")


def test_a_built_in_methods_error_about_its_parameters_in_german(tiny):
    """benefit_of_doubt with shares no weighting of tiny's two areas can meet: the parameters
    come from the dashboard's sliders, so the error reaches the German reader."""
    with pytest.raises(cityindex.MethodRaisedError) as info:
        cityindex.score(tiny, "benefit_of_doubt", params={"min_share": 0.6, "max_share": 0.7})
    assert str(info.value).endswith(
        "ValueError: no weighting of 2 areas has every share between min_share 0.6 and "
        "max_share 0.7 (need min_share ≤ 0.5 ≤ max_share)")
    assert i18n.message_text(message_of(info.value), "de") == (
        "Methode 'benefit_of_doubt' (Plugin 'cityindex.methods.benefit_of_doubt', Paket "
        "cityindex) ist bei Ausgabe 2024 gescheitert: ValueError: keine Gewichtung von 2 "
        "Bereichen hat jeden Anteil zwischen min_share 0,6 und max_share 0,7 (nötig ist "
        "min_share ≤ 0,5 ≤ max_share)")


def test_a_parameter_error_in_german_with_its_decimal_point_hint(tiny):
    """A parameter written with a decimal comma ('0,05', from a script or a link) is refused
    in both languages with the number written as parameters take it."""
    with pytest.raises(cityindex.ParameterError) as info:
        cityindex.score(tiny, "bitkom", params={"projects_bonus": "0,05"})
    assert str(info.value) == ("parameter 'projects_bonus' must be a number, not '0,05'; write "
                               "numbers with a decimal point: 0.05")
    assert i18n.message_text(message_of(info.value), "de") == (
        "Parameter 'projects_bonus' muss eine Zahl sein, nicht '0,05'; schreiben Sie Zahlen "
        "mit Dezimalpunkt: 0.05")
    with pytest.raises(cityindex.ParameterError) as info:
        cityindex.score(tiny, "bitkom", params={"projects_bonus": "0.5"})
    assert i18n.message_text(message_of(info.value), "de") == (
        "Parameter 'projects_bonus' darf höchstens 0,2 sein, nicht '0.5'")


def test_the_profile_says_why_a_city_is_unranked_in_the_readers_language(monkeypatch):
    """cases/plugins/unranked-city: Ddorf (X4) has no value for the only online service, so
    service_coverage with missing=skip cannot score it; its profile says why."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CITYINDEX_DATA", str(REPO / "tests" / "fixtures" / "cases" / "plugins"
                                             / "unranked-city"))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    for key, value in {"tab": "profile", "profile": "X4", "method": "service_coverage",
                       "p.missing": "skip"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception and not at.error
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert "der Indikator, den diese Methode verwendet, hat keinen Wert" in captions
    at.sidebar.radio(key="lang").set_value("en").run()
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert "no value for the indicator this method uses" in captions
