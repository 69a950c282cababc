"""The command line: output formats, exit codes, and one-line errors without tracebacks."""

from __future__ import annotations

import json

import pytest

from cityindex.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_methods_table_and_json(capsys):
    code, out, _ = run(capsys, "methods")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["name", "title"]
    assert lines[2].startswith("bitkom ")
    assert "scaling=minmax, projects_bonus=0.05, missing=skip" in lines[2]
    code, out, _ = run(capsys, "methods", "--format", "json")
    payload = json.loads(out)
    assert payload["could_not_load"] == []
    methods = {m["name"]: m for m in payload["methods"]}
    assert methods["service_coverage"]["requires"] == ["indicator_values", "service_flag"]
    assert methods["bitkom"]["reproduces_published"] is True
    assert methods["geometric"]["reproduces_published"] is False
    assert methods["bitkom"]["citation_de"].endswith("Hinweise zur Methodik in den Berichten "
                                                     "zum Smart City Index 2021 und 2023.")
    assert methods["bitkom"]["parameters"][1] == {
        "name": "projects_bonus", "type": "float", "default": 0.05, "label": "Projects bonus",
        "label_de": "Projektbonus",
        "help": "Share of an area's points that its projects category can add (0 = none).",
        "help_de": "Anteil der Punkte eines Bereichs, den seine Projekt-Kategorie zusätzlich "
                   "bringen kann (0 = keiner).",
        "min": 0.0, "max": 0.2, "choices": [],
    }


def test_rank_table_marks_provenance(capsys, tiny_dir):
    code, out, _ = run(capsys, "rank", "--data", str(tiny_dir))
    assert code == 0
    rows = [line.split() for line in out.splitlines()[4:7]]
    assert rows[0][:4] == ["1", "Cburg", "Südland", "75.0"]
    assert rows[0][-1] == "published"
    assert rows[1][:2] == ["2", "Aheim"] and rows[1][-2:] == ["published", "rank"]
    assert rows[2][:2] == ["3", "Bstadt"] and rows[2][-1] == "modeled"
    assert "published rank: rank as published; the score shown is computed" in out


def test_rank_csv_and_json(capsys, tiny_dir):
    code, out, _ = run(capsys, "rank", "-d", str(tiny_dir), "-m", "equal_weights", "-f", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("city_id,rank,name,state,total,V,V_rank,V_provenance,M,M_rank,"
                        "M_provenance,missing,provenance,published_rank,published_total,"
                        "published_rank_change")
    assert lines[1].startswith("C3,1,Cburg,Südland,60.0,")
    code, out, _ = run(capsys, "rank", "-d", str(tiny_dir), "-p", "projects_bonus=0",
                       "-f", "json", "--top", "2")
    payload = json.loads(out)
    assert payload["params"] == {"scaling": "minmax", "projects_bonus": 0.0, "missing": "skip"}
    assert [c["city_id"] for c in payload["cities"]] == ["C3", "A1"]
    assert (payload["methodology"]["top"], payload["methodology"]["exported_rows"]) == (2, "2 / 3")
    assert payload["cities"][1]["published_rank"] == 2
    assert payload["cities"][1]["published_total"] is None
    # every area score as an object with its own rank and marker; A1 is 1st in V as published,
    # but with projects_bonus=0 the method is not Bitkom's, so nothing claims to be published
    areas = payload["cities"][1]["areas"]
    assert areas["V"]["score"] == pytest.approx(250 / 3)
    assert (areas["V"]["rank"], areas["V"]["provenance"]) == (1, "computed")
    assert areas["M"] == {"score": 0.0, "rank": 2, "provenance": "computed"}


def test_compare(capsys, tiny_dir):
    code, out, _ = run(capsys, "compare", "bitkom", "geometric", "-d", str(tiny_dir),
                       "-f", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["methods"] == ["bitkom", "geometric"]
    shifts = {c["city_id"]: c["shift geometric"] for c in payload["cities"]}
    assert shifts == {"C3": 0, "A1": -1, "B2": 1}
    assert payload["spearman"]["bitkom"]["geometric"] == pytest.approx(0.5)
    code, out, _ = run(capsys, "compare", "bitkom", "geometric", "-d", str(tiny_dir))
    assert "Spearman rank correlation" in out and "Kendall tau-b" in out


def test_compare_table_marks_each_rank_and_prints_the_legend(capsys, tiny_dir):
    """Each rank ends in the symbol of its method's marker, as an area cell of ``rank`` does:
    under bitkom Cburg is published (rank 1, 75 points), Aheim's rank 2 is the published one
    (no published score), Bstadt is modeled (a modeled value in i1); geometric reproduces
    nothing, so Cburg and Aheim are computed. The legend under the table names those four."""
    code, out, _ = run(capsys, "compare", "bitkom", "geometric", "-d", str(tiny_dir))
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "name    rank bitkom  rank geometric  shift geometric"
    assert lines[3:6] == ["Cburg           1 ●             1 ◆  ±0",
                          "Aheim           2 ◐             3 ◆  -1",
                          "Bstadt          3 ○             2 ○  +1"]
    assert lines[6:12] == [
        "", "provenance (of each method's rank and total):",
        "  ● published: rank and score as published",
        "  ◐ published rank: rank as published; the score shown is computed (no published "
        "score)",
        "  ○ modeled: computed from modeled values",
        "  ◆ computed: computed from published values"]


def test_compare_table_marks_an_unranked_city(capsys, tiny_copy):
    """Bstadt without any value: unranked under both methods, its rank a dash with the
    unranked symbol, and the legend says what that means."""
    values = tiny_copy / "values.csv"
    rows = [",".join(r.split(",")[:3] + ["", "", ""]) if ",B2," in r else r
            for r in values.read_text().splitlines()]
    values.write_text("\n".join(rows) + "\n")
    code, out, _ = run(capsys, "compare", "bitkom", "geometric", "-d", str(tiny_copy))
    assert code == 0
    lines = out.splitlines()
    assert lines[5] == "Bstadt          – –             – –  –"
    assert "  – unranked: no score: the method cannot score this city (see the reason)" in lines


def test_compare_top_keeps_the_first_methods_top_and_every_city_in_the_correlations(
        capsys, tiny_dir):
    """bitkom ranks C3, A1, B2; ``--top 2`` shows C3 and A1, and Spearman stays 0.5 (over all
    three cities: with two, it would be -1). ``--top`` must be at least 1, as for ``rank``."""
    code, out, _ = run(capsys, "compare", "bitkom", "geometric", "-d", str(tiny_dir),
                       "--top", "2", "-f", "json")
    assert code == 0
    payload = json.loads(out)
    assert [c["city_id"] for c in payload["cities"]] == ["C3", "A1"]
    assert payload["spearman"]["bitkom"]["geometric"] == pytest.approx(0.5)
    # the record says the rows were cut: two written of the edition's three
    assert (payload["methodology"]["top"], payload["methodology"]["exported_rows"]) == (2, "2 / 3")
    code, out, _ = run(capsys, "compare", "bitkom", "geometric", "-d", str(tiny_dir),
                       "--top", "1")
    assert "the cities bitkom ranks 1 to 1" in out.splitlines()[0]
    lines = out.splitlines()
    assert lines[3].split()[0] == "Cburg" and lines[4] == ""  # one city, then the correlations
    code, _, err = run(capsys, "compare", "bitkom", "geometric", "-d", str(tiny_dir),
                       "--top", "0")
    assert code == 2 and err == ("cityindex: error: --top takes a number of ranks of at least "
                                 "1, not 0\n")


def test_compare_a_method_with_other_parameters(capsys, tiny_dir):
    """``name:key=value``: the same method twice. Without the projects bonus, area V loses
    A1's 2.5 and B2's 5 points (V: A 250/3, B 100/3), M (A 0, C 100; B none) is unchanged."""
    code, out, _ = run(capsys, "compare", "bitkom", "bitkom:projects_bonus=0", "-d",
                       str(tiny_dir), "-f", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["methods"] == ["bitkom", "bitkom(projects_bonus=0)"]
    totals = {c["city_id"]: c["total bitkom(projects_bonus=0)"] for c in payload["cities"]}
    assert totals == pytest.approx({"A1": 250 / 3 / 2, "B2": 100 / 3, "C3": 75.0}, abs=0.01)
    for spec, message in (("bitkom:projects_bonus", "written name:key=value,key=value"),
                          ("bitkom:", "give parameters after the ':'"),
                          ("bitkom:nope=1", "method 'bitkom' has no parameter 'nope'"),
                          (":a=1", "the method's name goes before the ':'")):
        code, _, err = run(capsys, "compare", "bitkom", spec, "-d", str(tiny_dir))
        assert code == 2 and message in err and "Traceback" not in err


def test_validate_exit_codes(capsys, tiny_dir, tiny_copy):
    code, out, _ = run(capsys, "validate", str(tiny_dir))
    assert code == 0 and "valid — 3 cities, edition 2024, 14 values, 1 empty cell, " in out
    values = tiny_copy / "values.csv"
    values.write_text(values.read_text().replace("2024,A1,i2,1,", "2024,A1,i2,one,"))
    code, out, err = run(capsys, "validate", str(tiny_copy))
    assert code == 1
    assert out == f"{values}, row 3, column 'value': 'one' is not a number\n"
    assert err.endswith("1 problem found\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rank", "-m", "nope"], "unknown method 'nope'; available: bitkom, equal_weights"),
        (["rank", "-p", "scaling"], "--param expects key=value, got 'scaling'"),
        (["rank", "-p", "scaling=log"], "parameter 'scaling' must be one of"),
        (["rank", "-e", "1999"], "edition 1999 is not in the dataset (it has 2024)"),
        (["compare", "bitkom"], "compare needs at least two methods"),
        (["rank", "-d", "/nonexistent/folder"], "/nonexistent/folder: does not exist"),
        (["rank", "-d", ""],
         "'': the path is empty: give a folder, an .xlsx workbook or a .zip file"),
    ],
)
def test_errors_are_one_line(capsys, tiny_dir, args, message):
    if "-d" not in args:
        args = [*args, "-d", str(tiny_dir)]
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.startswith("cityindex: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["rank", "--top", "abc"],
         "cityindex rank: error: --top takes a whole number, not 'abc' "
         "(see 'cityindex rank --help')"),
        (["uncertainty", "--noise", "viel"],
         "cityindex uncertainty: error: --noise takes a number, not 'viel' "
         "(see 'cityindex uncertainty --help')"),
        (["rank", "-e", "zwanzig"],
         "cityindex rank: error: --edition/-e takes a whole number, not 'zwanzig' "
         "(see 'cityindex rank --help')"),
        (["rank-bounds", "--min-weight", "0,1"],
         "cityindex rank-bounds: error: --min-weight takes a number, not '0,1'; write numbers "
         "with a decimal point: 0.1 (see 'cityindex rank-bounds --help')"),
        (["rnak"],
         "cityindex: error: command 'rnak' is not one of 'methods', 'rank', 'compare', "
         "'validate', 'uncertainty', 'sensitivity', 'rank-bounds'; did you mean 'rank'? "
         "(see 'cityindex --help')"),
        (["rank", "--decimal", ";"],
         "cityindex rank: error: --decimal ';' is not one of '.', ',' "
         "(see 'cityindex rank --help')"),
        (["rank", "--format"],
         "cityindex rank: error: --format/-f: expected one argument "
         "(see 'cityindex rank --help')"),
    ],
)
def test_a_malformed_command_line_is_one_line_in_the_readers_words(capsys, args, error):
    """argparse's own errors: one line naming the option, what it takes and where to look;
    no usage block, no Python type names ("invalid int value")."""
    with pytest.raises(SystemExit) as stop:
        main(args)
    out, err = capsys.readouterr()
    assert stop.value.code == 2 and out == ""
    assert err == error + "\n"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["rank", "-p", "projects_bonus=0,05"],
         "parameter 'projects_bonus' must be a number, not '0,05'; write numbers with a "
         "decimal point: 0.05"),
        (["uncertainty", "-p", "projects_bonus=-,5", "--draws", "5"],
         "parameter 'projects_bonus' must be a number, not '-,5'; write numbers with a "
         "decimal point: -.5"),
        (["compare", "bitkom", "bitkom:projects_bonus=0,05,missing=zero"],
         "'bitkom:projects_bonus=0,05,missing=zero': ',' separates the parameters; write "
         "numbers with a decimal point: bitkom:projects_bonus=0.05,missing=zero"),
        # no hint where a decimal point would not help
        (["rank", "-p", "projects_bonus=viel"],
         "parameter 'projects_bonus' must be a number, not 'viel'"),
        (["compare", "bitkom", "bitkom:projects_bonus=0,x"],
         "'bitkom:projects_bonus=0,x': parameters are written name:key=value,key=value "
         "(e.g. bitkom:projects_bonus=0)"),
    ],
)
def test_a_decimal_comma_is_refused_with_the_number_written_with_a_point(capsys, tiny_dir,
                                                                         args, error):
    """On the command line numbers take a decimal point; a German '0,05' says how to write it
    (own weights, ``-w verwaltung=0,5``, read a decimal comma as it is)."""
    code, out, err = run(capsys, *args, "-d", str(tiny_dir))
    assert (code, out) == (2, "")
    assert err == f"cityindex: error: {error}\n"
    code, out, _ = run(capsys, "rank", "-d", str(tiny_dir), "-w", "V=0,5", "-f", "json")
    assert code == 0 and json.loads(out)["methodology"]["methods"][0]["weights"] == {"V": 0.5}


def test_a_parameter_that_changes_nothing_is_noted_on_stderr_and_in_the_export(capsys,
                                                                               tiny_copy):
    """The tiny copy without a projects category: ``-p projects_bonus=0`` cannot change the
    ranking; a note on stderr says so (stdout keeps its JSON), and the export's methodology
    carries it in both languages."""
    path = tiny_copy / "categories.csv"
    path.write_text(path.read_text().replace("Administration projects,1,1",
                                             "Administration projects,1,0"))
    note = ("parameter 'Projects bonus' (projects_bonus) changes nothing in edition 2024: no "
            "category of the edition is flagged 'projects' (of Bitkom's editions only 2021 has "
            "them)")
    code, out, err = run(capsys, "rank", "-d", str(tiny_copy), "-p", "projects_bonus=0",
                         "-f", "json")
    assert code == 0 and err == f"cityindex: note: {note}\n"
    method = json.loads(out)["methodology"]["methods"][0]
    assert method["notes"] == note
    assert method["notes_de"].startswith("Parameter „Projektbonus“ (projects_bonus) ändert in "
                                         "der Ausgabe")
    code, out, err = run(capsys, "compare", "bitkom", "bitkom:projects_bonus=0", "-d",
                         str(tiny_copy))
    assert code == 0 and err == f"cityindex: note: bitkom(projects_bonus=0): {note}\n"
    code, _, err = run(capsys, "rank", "-d", str(tiny_copy), "-p", "scaling=share_of_best")
    assert code == 0 and err == ""


def test_a_missing_data_path_from_the_environment_names_the_variable(capsys, monkeypatch):
    monkeypatch.setenv("CITYINDEX_DATA", "/nonexistent/data")
    code, out, err = run(capsys, "rank")
    assert code == 2 and out == ""
    assert err == ("cityindex: error: /nonexistent/data: does not exist (the path is set by "
                   "$CITYINDEX_DATA)\n")


def test_dataset_error_points_to_validate(capsys, tiny_copy):
    values = tiny_copy / "values.csv"
    values.write_text(values.read_text().replace(",1,published", ",x,published"))
    code, _, err = run(capsys, "rank", "-d", str(tiny_copy))
    assert code == 2
    assert "is not a number (and 2 more; run 'cityindex validate' to list them)" in err


def test_the_2022_headline_figures(capsys):
    """Issue 3's acceptance line, on the bundled data: the seed article's cities with their
    ranks, points and published rank changes, each marked as published; the rest modeled."""
    code, out, _ = run(capsys, "rank", "--method", "bitkom", "--edition", "2022", "-f", "json")
    assert code == 0
    cities = {c["name"]: c for c in json.loads(out)["cities"]}
    expected = {  # name: (rank, points or None, published rank change or None)
        "Hamburg": (1, 86.1, None),
        "München": (2, 85.3, None),
        "Bochum": (8, 77.0, -1),
        "Gelsenkirchen": (17, 72.7, -3),
        "Dortmund": (19, None, 3),
        "Duisburg": (41, None, None),
        "Mülheim an der Ruhr": (74, 42.3, 3),
    }
    for name, (rank, points, change) in expected.items():
        city = cities[name]
        assert city["rank"] == rank, name
        if points is not None:
            assert round(city["total"], 1) == points, name
            assert city["provenance"] == "published", name
        else:
            assert city["provenance"] == "published rank", name
        assert city["published_rank_change"] == change, name
    markers = {c["provenance"] for c in cities.values()}
    assert markers == {"published", "published rank", "modeled"}
    unpublished = [c for c in cities.values() if c["published_rank"] is None]
    assert unpublished and all(c["provenance"] == "modeled" for c in unpublished)


def test_dataset_warnings_reach_every_command_on_stderr(capsys, tiny_copy):
    """An extra column is no error but must not go unnoticed: rank says so on stderr, while
    its CSV on stdout stays clean."""
    cities = tiny_copy / "cities.csv"
    lines = cities.read_text().splitlines()
    cities.write_text("\n".join([lines[0] + ",comment", *(r + ",x" for r in lines[1:])]) + "\n")
    code, out, err = run(capsys, "rank", "--data", str(tiny_copy), "--format", "csv")
    assert code == 0 and out.startswith("city_id,rank,")
    assert "cityindex: warning: " in err and "column 'comment' is not part of the format" in err


def test_contradicting_or_impossible_output_options_are_one_line(capsys, tmp_path):
    code, out, err = run(capsys, "rank", "--top", "-3")
    assert code == 2 and out == "" and "at least 1, not -3" in err
    code, _, err = run(capsys, "rank", "--top", "0")
    assert code == 2 and err == ("cityindex: error: --top takes a number of ranks of at least 1, "
                                 "not 0\n")
    code, _, err = run(capsys, "rank", "-o", str(tmp_path / "x.csv"), "--format", "json")
    assert code == 2 and "--format json and --output" in err and "drop --format" in err
    assert not (tmp_path / "x.csv").exists()
