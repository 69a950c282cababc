"""The plugin rules: registration, duplicates, unknown names, the autoload switch, and every way
a plugin can fail — in-process (llm/pluggy style) and with real installed distributions, each
test asserting what the message names and that the other methods keep working."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cityindex
from cityindex import Method, MethodOutput, hookimpl
from cityindex.engine import MethodOutputError, MethodRaisedError, MethodTimeoutError
from cityindex.plugins import (
    DISABLE_AUTOLOAD_ENV,
    DuplicateMethodError,
    PluginError,
    UnknownMethodError,
    get_registry,
    make_plugin_manager,
)

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "fixtures" / "cases" / "plugins"
BUILTINS = ["bitkom", "equal_weights", "service_coverage", "geometric", "copeland",
            "pca_weights", "benefit_of_doubt", "mazziotta_pareto"]


class Constant(Method):
    name = "constant"
    title = "Every city scores its row number"
    description = "A test method."

    def score(self, data, params):
        n, m = data.shape
        return MethodOutput(total=np.arange(n, dtype=float), weights=np.full(m, 1 / m))


class OnePlugin:
    def __init__(self, *methods):
        self.methods = methods

    @hookimpl
    def cityindex_register_methods(self, register):
        for method in self.methods:
            register(method)


def variant(name, score):
    """A Constant method called ``name`` whose score is ``score(self, data, params)``."""
    return type(name.title(), (Constant,), {"name": name, "score": score})()


def failures_of(registry, plugin):
    return [f for f in registry.failures if f.plugin == plugin]


def assert_builtins_work(tiny):
    assert list(get_registry())[:len(BUILTINS)] == BUILTINS
    for name in BUILTINS:
        assert cityindex.score(tiny, name).table["rank"].notna().any()


# --- registration -----------------------------------------------------------------------------


def test_builtins_are_registered_explicitly():
    registry = get_registry()
    assert list(registry)[:len(BUILTINS)] == BUILTINS
    bitkom = registry["bitkom"]
    assert (bitkom.plugin, bitkom.distribution) == ("cityindex.methods.bitkom", "cityindex")
    assert bitkom.version == cityindex.__version__
    assert registry.failures == ()


def test_in_process_plugin_is_listed_and_scores(registered, tiny):
    registered(OnePlugin(Constant()), "test-constant")
    reg = get_registry()["constant"]
    assert reg.plugin == "test-constant"
    assert reg.distribution == "(registered in-process)"
    result = cityindex.score(tiny, "constant")
    assert result.table["rank"].to_dict() == {"C3": 1, "B2": 2, "A1": 3}
    assert "constant" in [m.name for m in cityindex.list_methods()]


def test_a_method_class_may_be_registered_too(registered):
    registered(OnePlugin(Constant), "test-class")
    assert isinstance(get_registry().method("constant"), Constant)


def test_unknown_method_lists_the_available_ones(tiny):
    with pytest.raises(UnknownMethodError) as info:
        cityindex.score(tiny, "bitcom")
    assert isinstance(info.value, KeyError)
    assert info.value.available[:2] == ["bitkom", "equal_weights"]
    assert str(info.value).startswith("unknown method 'bitcom'; available: bitkom, ")


# --- a plugin that fails to load: reported by name, the rest loads ----------------------------


def test_duplicate_of_a_builtin_name_keeps_the_builtin_and_names_both(registered, tiny):
    class Impostor(Constant):
        name = "bitkom"

    registered(OnePlugin(Impostor(), variant("honest", Constant.score)), "impostor-plugin")
    registry = get_registry()
    assert registry["bitkom"].distribution == "cityindex"  # no package can take over bitkom
    assert "honest" in registry  # the plugin's other method loads
    (failure,) = failures_of(registry, "impostor-plugin")
    assert (failure.method, failure.stage) == ("bitkom", "duplicate")
    assert "built-in method of cityindex" in failure.message
    assert "(registered in-process)" in str(failure)
    with pytest.raises(DuplicateMethodError):
        registry.check()
    assert_builtins_work(tiny)


def test_duplicate_between_two_plugins_loads_neither_and_names_both(registered, tiny):
    registered(OnePlugin(variant("twin", Constant.score)), "first-plugin")
    registered(OnePlugin(variant("twin", Constant.score)), "second-plugin")
    registry = get_registry()
    assert "twin" not in registry
    first, second = failures_of(registry, "first-plugin"), failures_of(registry, "second-plugin")
    assert len(first) == len(second) == 1
    for failure in first + second:
        assert "'first-plugin'" in failure.message and "'second-plugin'" in failure.message
        assert "neither is loaded" in failure.message
    with pytest.raises(UnknownMethodError, match="method 'twin' could not be loaded: method "
                                                 "name 'twin' is registered twice"):
        cityindex.score(tiny, "twin")
    assert_builtins_work(tiny)


def test_a_plugin_registering_a_name_twice_is_listed_once(registered, tiny, capsys):
    """One plugin that registers 'twin' twice and the built-in name 'bitkom' twice: one
    failure each, naming the plugin once, in the registry, the table and the JSON of
    ``cityindex methods``."""
    class Impostor(Constant):
        name = "bitkom"

    twin = variant("twin", Constant.score)
    registered(OnePlugin(twin, twin, Impostor(), Impostor()), "stutter-plugin")
    registry = get_registry()
    assert "twin" not in registry and registry["bitkom"].distribution == "cityindex"
    failures = failures_of(registry, "stutter-plugin")
    assert [(f.method, f.stage) for f in failures] == [("bitkom", "duplicate"),
                                                       ("twin", "duplicate")]
    assert failures[1].message == (
        "method name 'twin' is registered more than once by plugin 'stutter-plugin' "
        f"((registered in-process) {cityindex.__version__}); none of them is loaded (ask its "
        "author to register each name once)")
    from cityindex.cli import main

    assert main(["methods"]) == 0
    table = capsys.readouterr().out
    assert "could not load (2):" in table
    assert table.count("stutter-plugin  twin") == table.count("stutter-plugin  bitkom") == 1
    assert main(["methods", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)["could_not_load"]
    assert [(f["plugin"], f["method"]) for f in listed] == [("stutter-plugin", "bitkom"),
                                                            ("stutter-plugin", "twin")]
    assert_builtins_work(tiny)


def test_plugin_failing_while_registering_loses_all_its_methods(registered, tiny):
    class Broken:
        @hookimpl
        def cityindex_register_methods(self, register):
            register(variant("half_done", Constant.score))
            raise RuntimeError("boom")

    registered(Broken(), "broken-plugin")
    registry = get_registry()
    assert "half_done" not in registry
    (failure,) = failures_of(registry, "broken-plugin")
    assert failure.stage == "register"
    assert str(failure) == ("plugin 'broken-plugin' (registered in-process): failed while "
                            "registering methods: RuntimeError: boom")
    with pytest.raises(PluginError, match="broken-plugin"):
        registry.check()
    assert_builtins_work(tiny)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (object(), "has no 'name' text"),
        (variant("has space", Constant.score), "not usable on the command line"),
        (type("NoScore", (), {"name": "x", "title": "x", "description": "x"})(),
         "has no score() method"),
        (type("Odd", (Constant,), {"name": "odd", "parameters": ("scaling",)})(),
         "is not a cityindex.Parameter"),
        (type("Needs", (Constant,), {"name": "needs", "requires": frozenset({"gpu"})})(),
         "unknown requirements gpu"),
    ],
)
def test_a_bad_object_is_skipped_and_the_plugins_good_methods_load(registered, tiny, bad,
                                                                   message):
    registered(OnePlugin(bad, variant("good", Constant.score)), "odd-plugin")
    registry = get_registry()
    assert "good" in registry
    (failure,) = failures_of(registry, "odd-plugin")
    assert failure.stage == "method" and message in failure.message
    assert_builtins_work(tiny)


def test_misspelt_hook_is_reported_and_the_rest_loads(registered, tiny):
    class Misspelt:
        @hookimpl
        def cityindex_register_method(self, register):  # missing "s"
            pass

    registered(Misspelt(), "misspelt-plugin")
    registry = get_registry()
    (failure,) = failures_of(registry, "misspelt-plugin")
    assert failure.stage == "hooks"
    assert "unknown hook 'cityindex_register_method'" in failure.message
    assert_builtins_work(tiny)


# --- a method that fails while scoring: a typed error naming it -------------------------------


def score_with(registered, tiny, method, **kwargs):
    registered(OnePlugin(method), f"{method.name}-plugin")
    return cityindex.score(tiny, method.name, **kwargs)


def test_method_that_raises(registered, tiny):
    def crash(self, data, params):
        raise ZeroDivisionError("no cities")

    with pytest.raises(MethodRaisedError) as info:
        score_with(registered, tiny, variant("crashing", crash))
    err = info.value
    assert str(err) == ("method 'crashing' (plugin 'crashing-plugin', package (registered "
                        "in-process)) failed on edition 2024: ZeroDivisionError: no cities")
    assert (err.method, err.plugin, err.edition) == ("crashing", "crashing-plugin", 2024)
    assert isinstance(err.__cause__, ZeroDivisionError)
    assert isinstance(err, cityindex.MethodError)
    assert_builtins_work(tiny)


@pytest.mark.parametrize(
    ("name", "output", "message"),
    [
        ("short", lambda n, m: MethodOutput(np.zeros(1), np.ones(m)),
         "total has shape (1,), expected (3,)"),
        ("texts", lambda n, m: MethodOutput(np.array(["a"] * n), np.ones(m)),
         "total holds <U1 values, expected real numbers"),
        ("all_nan", lambda n, m: MethodOutput(np.full(n, np.nan), np.ones(m)),
         "total is NaN for every city: no city has a score"),
        ("infinite", lambda n, m: MethodOutput(np.array([1.0, np.inf, 2.0]), np.ones(m)),
         "total is infinite for 1 city (B2)"),
        ("neg_weights", lambda n, m: MethodOutput(np.ones(n), -np.ones(m)),
         "weights include negative values"),
        ("nan_weights", lambda n, m: MethodOutput(np.ones(n), np.full(m, np.nan)),
         "weights are not all finite"),
        ("zero_weights", lambda n, m: MethodOutput(np.ones(n), np.zeros(m)),
         "weights are all 0"),
        ("bad_areas", lambda n, m: MethodOutput(np.ones(n), np.ones(m), areas=np.ones((n, 7))),
         "areas has shape (3, 7), expected (3, 2)"),
        ("not_output", lambda n, m: {"total": np.ones(n)},
         "returned dict, expected a cityindex.MethodOutput"),
    ],
)
def test_method_returning_unusable_output(registered, tiny, name, output, message):
    method = variant(name, lambda self, data, params: output(*data.shape))
    with pytest.raises(MethodOutputError) as info:
        score_with(registered, tiny, method)
    assert f"method '{name}' (plugin '{name}-plugin'" in str(info.value)
    assert message in str(info.value)
    assert info.value.method == name
    assert_builtins_work(tiny)


def test_method_that_takes_too_long(registered, tiny):
    def slow(self, data, params):
        time.sleep(30)

    with pytest.raises(MethodTimeoutError, match="method 'slow' .* took longer than 0.2 s on "
                                                 "edition 2024"):
        score_with(registered, tiny, variant("slow", slow), timeout=0.2)
    assert_builtins_work(tiny)


def test_time_limit_from_the_environment(registered, tiny, monkeypatch):
    def slow(self, data, params):
        time.sleep(30)

    monkeypatch.setenv("CITYINDEX_METHOD_TIMEOUT", "0.1")
    with pytest.raises(MethodTimeoutError, match="took longer than 0.1 s"):
        score_with(registered, tiny, variant("slow", slow))


def test_a_method_cannot_change_what_other_methods_see(registered, tiny):
    before = cityindex.score(tiny, "bitkom").table[["rank", "total"]]

    def vandal(self, data, params):
        data.catalogue.indicators["weight"] = 1000.0  # its own copy: harmless
        data.catalogue.areas["weight"] = 0.0
        data.values[:, 0] = 0.0  # read-only: raises
        return MethodOutput(np.ones(data.shape[0]), np.ones(data.shape[1]))

    with pytest.raises(MethodRaisedError, match="assignment destination is read-only"):
        score_with(registered, tiny, variant("vandal", vandal))

    def sneaky(self, data, params):
        view = data.values[:, :]
        view.flags.writeable = True  # numpy refuses: the cached array itself is read-only
        return MethodOutput(np.ones(data.shape[0]), np.ones(data.shape[1]))

    with pytest.raises(MethodRaisedError, match="cannot set WRITEABLE flag"):
        score_with(registered, tiny, variant("sneaky", sneaky))
    after = cityindex.score(tiny, "bitkom").table[["rank", "total"]]
    pd.testing.assert_frame_equal(before, after)
    assert tiny.edition_data(2024).catalogue.areas["weight"].tolist() == [1.0, 1.0]


def test_the_method_output_is_copied(registered, tiny):
    kept = {}

    def keeps(self, data, params):
        kept["total"] = np.array([3.0, 2.0, 1.0])
        return MethodOutput(kept["total"], np.ones(data.shape[1]))

    result = score_with(registered, tiny, variant("keeps", keeps))
    kept["total"][:] = 0.0  # changing its array afterwards changes nothing
    assert result.table["total"].to_dict() == {"A1": 3.0, "B2": 2.0, "C3": 1.0}


# --- unranked is not rank 0 -------------------------------------------------------------------


def test_unranked_city_case(tiny):
    """cases/plugins/unranked-city: Ddorf has no value for the only online service."""
    data = cityindex.load_dataset(CASES / "unranked-city")
    result = cityindex.score(data, "service_coverage", params={"missing": "skip"})
    table = result.table
    # offered: Adorf 1, Bdorf 0, Cdorf 1, Ddorf missing
    assert table["total"].to_dict() == pytest.approx(
        {"X1": 100.0, "X3": 100.0, "X2": 0.0, "X4": np.nan}, nan_ok=True)
    assert table["rank"].dtype == "Int64"
    assert table["rank"].iloc[:3].tolist() == [1, 1, 3]
    assert table["rank"].isna().tolist() == [False, False, False, True]
    assert list(table.index) == ["X1", "X3", "X2", "X4"]  # listed last
    assert table.at["X4", "provenance"] == "unranked"
    assert table.at["X4", "unranked_reason"] == "no value for the indicator this method uses"
    assert result.unranked.index.tolist() == ["X4"]

    cmp = cityindex.compare(data, [("service_coverage", {"missing": "skip"}), "bitkom"])
    moves = cmp.movers()
    assert "X4" not in moves.index and len(moves) == 3
    assert cmp.left_out_of() == ["X4"]
    assert cmp.left_out.to_dict("index") == {
        "X4": {"name": "Ddorf", "unranked_under": "service_coverage(missing=skip)"}}
    assert cmp.n_pairs.iloc[0, 1] == 3  # the correlation uses the three ranked cities
    # Left out of the others' ranks too. bitkom ranks X2 (79.2) 1, X4 (50.8) 2, X3 (44.2) 3,
    # X1 (20.0) 4; among the three that both rank, X3 is 2nd and X1 3rd. service_coverage
    # ranks X1 and X3 1, X2 3. So X1 gains 2 places (not 3), X3 1 (not 2), X2 loses 2.
    cmp = cityindex.compare(data, ["bitkom", ("service_coverage", {"missing": "skip"})])
    moves = cmp.movers()
    assert moves[["rank_base", "rank_other", "shift"]].to_dict("index") == {
        "X1": {"rank_base": 3, "rank_other": 1, "shift": 2},
        "X2": {"rank_base": 1, "rank_other": 3, "shift": -2},
        "X3": {"rank_base": 2, "rank_other": 1, "shift": 1}}
    assert cmp.ranks.at["X1", "bitkom"] == 4  # the method's own rank stays as it ranks
    shifts = cmp.shifts("bitkom", "service_coverage(missing=skip)")
    assert shifts.dropna().to_dict() == {"X1": 2, "X2": -2, "X3": 1}
    assert shifts.isna().tolist() == [False, False, False, True]  # X4, left out
    table = cityindex.export.comparison_table(cmp).set_index("city_id")
    pd.testing.assert_series_equal(
        table["shift service_coverage(missing=skip)"].reindex(shifts.index), shifts,
        check_names=False)


def test_a_builtin_method_leaves_a_city_without_values_unranked(tiny_copy):
    values = tiny_copy / "values.csv"
    rows = [",".join(r.split(",")[:3] + ["", "", ""]) if ",B2," in r else r
            for r in values.read_text().splitlines()]  # B2 stays in, every value empty
    values.write_text("\n".join(rows) + "\n")
    cities = cityindex.load_dataset(tiny_copy)
    result = cityindex.score(cities, "bitkom")
    assert pd.isna(result.table.at["B2", "rank"])
    # Without B2, i3 (online appointment) is 1 for both A1 and C3: no variation, no weight, so
    # bitkom uses 4 of the 5 indicators.
    assert result.weights["i3"] == 0.0
    assert result.table.at["B2", "unranked_reason"] == (
        "no value for any of the 4 indicators this method uses")
    assert result.table["rank"].dropna().tolist() == [1, 2]
    zero = cityindex.score(cities, "bitkom", params={"missing": "zero"})
    assert zero.table.at["B2", "rank"] == 3  # counted as 0 points: ranked, last


# --- real installed distributions (the cases in fixtures/cases/plugins) -----------------------


def builtin_methods(payload: dict) -> list[str]:
    """The names of ``cityindex methods --format json`` that come with cityindex: a plugin a
    developer installed into the venv (the README's example) is no concern of these tests."""
    return [m["name"] for m in payload["methods"] if m["package"] == "cityindex"]


def run_cli(site, *args, autoload=True, cwd=None):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, site)) if isinstance(
        site, list | tuple) else str(site)}
    env.pop(DISABLE_AUTOLOAD_ENV, None)
    if not autoload:
        env[DISABLE_AUTOLOAD_ENV] = "1"
    return subprocess.run(
        [sys.executable, "-m", "cityindex.cli", *args], env=env, capture_output=True, text=True,
        cwd=cwd,
    )


def test_broken_import_case_cli():
    """cases/plugins/broken-import: bitkom and the others work; the broken package is named."""
    site = CASES / "broken-import" / "site"
    out = run_cli(site, "rank", "-m", "bitkom", "--top", "3", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert [c["rank"] for c in json.loads(out.stdout)["cities"]] == [1, 2, 3]
    assert "cityindex: warning: could not load plugin 'broken' (cityindex-broken)" in out.stderr
    assert "Traceback" not in out.stderr

    out = run_cli(site, "methods")
    assert out.returncode == 0
    head, broken = out.stdout.split("could not load (1):")
    assert all(name in head for name in BUILTINS)
    assert "cityindex-broken" in broken and "broken" in broken
    assert "ModuleNotFoundError: No module named 'cityindex_not_installed_dependency'" in broken

    out = run_cli(site, "methods", "--format", "json")
    payload = json.loads(out.stdout)
    assert builtin_methods(payload) == BUILTINS
    assert payload["could_not_load"] == [{
        "distribution": "cityindex-broken", "plugin": "broken", "method": None,
        "stage": "import",
        "message": "failed to import 'cityindex_broken': ModuleNotFoundError: No module named "
                   "'cityindex_not_installed_dependency'",
    }]


def test_broken_import_case_python_api(monkeypatch, tiny):
    monkeypatch.syspath_prepend(str(CASES / "broken-import" / "site"))
    pm = make_plugin_manager(load_entrypoints=True)
    registry = get_registry(pm)
    assert list(registry)[:len(BUILTINS)] == BUILTINS
    broken = [f for f in registry.failures if f.distribution == "cityindex-broken"]
    assert len(broken) == 1 and broken[0].stage == "import"
    result = cityindex.score(tiny, "bitkom", registry=registry)
    assert result.table["rank"].tolist() == [1, 2, 3]


def test_nan_totals_case():
    """cases/plugins/nan-totals: an error naming the method, not every city at rank 0."""
    case = CASES / "nan-totals"
    out = run_cli(case / "site", "rank", "-m", "undefined_total", "--data", str(case / "data"))
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1] == (
        "cityindex: error: method 'undefined_total' (plugin 'nan', package cityindex-nan) "
        "returned output that cannot be ranked on edition 2024: total is NaN for every city: "
        "no city has a score")
    out = run_cli(case / "site", "rank", "-m", "bitkom", "--data", str(case / "data"))
    assert out.returncode == 0, out.stderr


def test_raises_while_scoring_case_cli():
    case = CASES / "raises-while-scoring"
    out = run_cli(case / "site", "rank", "-m", "per_value_mean", "--data", str(case / "data"))
    assert out.returncode == 2
    assert "method 'per_value_mean' (plugin 'fragile', package cityindex-fragile) failed on " \
           "edition 2024: ZeroDivisionError" in out.stderr
    assert "Traceback" not in out.stderr


def make_distribution(site: Path, dist: str, module: str, code: str, entry: str | None = None):
    """A minimal installed distribution: a module and a dist-info with a cityindex entry point."""
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(code))
    info = site / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[cityindex]\n{entry or module} = {module}\n")
    (info / "RECORD").write_text("")


TWIN = """
    import numpy as np
    from cityindex import Method, MethodOutput, hookimpl

    class Twin(Method):
        name = "twin"
        title = "Twin"
        description = "Registered by two packages."
        def score(self, data, params):
            return MethodOutput(np.ones(len(data.city_ids)), np.ones(data.shape[1]))

    @hookimpl
    def cityindex_register_methods(register):
        register(Twin())
"""


def test_two_distributions_with_the_same_method_name(tmp_path, tiny_dir):
    make_distribution(tmp_path, "cityindex-twin-a", "cityindex_twin_a", TWIN)
    make_distribution(tmp_path, "cityindex-twin-b", "cityindex_twin_b", TWIN)
    make_distribution(tmp_path, "cityindex-exits", "cityindex_exits",
                      "import sys\nsys.exit('not today')\n")
    out = run_cli(tmp_path, "methods", "--format", "json")
    payload = json.loads(out.stdout)
    assert builtin_methods(payload) == BUILTINS
    twins = [f for f in payload["could_not_load"] if f["method"] == "twin"]
    assert sorted(f["distribution"] for f in twins) == ["cityindex-twin-a", "cityindex-twin-b"]
    for f in twins:
        assert "cityindex-twin-a 0.1" in f["message"] and "cityindex-twin-b 0.1" in f["message"]
    (exits,) = [f for f in payload["could_not_load"] if f["distribution"] == "cityindex-exits"]
    assert exits["message"] == "failed to import 'cityindex_exits': SystemExit: not today"
    out = run_cli(tmp_path, "rank", "-m", "twin", "--data", str(tiny_dir))
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1].startswith(
        "cityindex: error: method 'twin' could not be loaded: method name 'twin' is "
        "registered twice")


CHATTY = """
    import os
    import numpy as np
    from cityindex import Method, MethodOutput, hookimpl

    print("importing chatty")

    class Chatty(Method):
        name = "chatty"
        title = "Chatty"
        description = "Prints while it works."
        def score(self, data, params):
            print("scoring", data.edition)
            os.write(1, b"raw bytes on fd 1\\n")
            return MethodOutput(np.arange(len(data.city_ids), dtype=float),
                                np.ones(data.shape[1]))

    @hookimpl
    def cityindex_register_methods(register):
        print("registering chatty")
        register(Chatty())
"""


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_what_a_plugin_prints_never_corrupts_machine_readable_output(tmp_path, tiny_dir, fmt):
    make_distribution(tmp_path, "cityindex-chatty", "cityindex_chatty", CHATTY)
    out = run_cli(tmp_path, "rank", "-m", "chatty", "--data", str(tiny_dir), "--format", fmt)
    assert out.returncode == 0, out.stderr
    if fmt == "json":
        ranks = {c["city_id"]: c["rank"] for c in json.loads(out.stdout)["cities"]}
    else:
        frame = pd.read_csv(__import__("io").StringIO(out.stdout))
        ranks = dict(zip(frame["city_id"], frame["rank"], strict=True))
    assert ranks == {"C3": 1, "B2": 2, "A1": 3}
    for noise in ("importing chatty", "registering chatty", "scoring 2024", "raw bytes on fd 1"):
        assert noise in out.stderr and noise not in out.stdout
    methods = run_cli(tmp_path, "methods", "--format", "json")
    assert "chatty" in [m["name"] for m in json.loads(methods.stdout)["methods"]]


# --- the autoload switch and the example packages ---------------------------------------------


@pytest.mark.parametrize(
    ("value", "loads"), [(None, True), ("", True), ("0", True), ("1", False), ("true", False)]
)
def test_autoload_switch(monkeypatch, value, loads):
    calls = []
    monkeypatch.setattr(
        cityindex.plugins.PluginManager, "load_entrypoint_plugins",
        lambda self, group="cityindex": calls.append(group) or 0,
    )
    if value is None:
        monkeypatch.delenv(DISABLE_AUTOLOAD_ENV, raising=False)
    else:
        monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, value)
    make_plugin_manager()
    assert calls == (["cityindex"] if loads else [])


def install_example(target: Path, name: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(REPO / "examples" / name)],
        check=True, capture_output=True,
    )
    return target


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    """examples/cityindex-median installed into a scratch directory (not the test venv)."""
    return install_example(tmp_path_factory.mktemp("site"), "cityindex-median")


@pytest.fixture(scope="module")
def weakest_site(tmp_path_factory):
    """examples/cityindex-weakest-area installed into a scratch directory."""
    return install_example(tmp_path_factory.mktemp("site"), "cityindex-weakest-area")


def test_example_plugin_package_shows_up_and_ranks(example_site, tiny_dir):
    out = run_cli(example_site, "methods", "--format", "json")
    assert out.returncode == 0, out.stderr
    methods = {m["name"]: m for m in json.loads(out.stdout)["methods"]}
    assert methods["median"]["package"] == "cityindex-median"
    assert methods["median"]["plugin"] == "median"
    assert methods["median"]["parameters"][0]["choices"] == ["minmax", "share_of_best"]

    out = run_cli(example_site, "rank", "--method", "median", "--data", str(tiny_dir),
                  "--format", "json")
    assert out.returncode == 0, out.stderr
    cities = {c["city_id"]: c for c in json.loads(out.stdout)["cities"]}
    # medians of the scaled scores: A (0,100,100,50,0) 50; B (50,50,0,100) 50; C 100
    assert {k: c["total"] for k, c in cities.items()} == {"A1": 50.0, "B2": 50.0, "C3": 100.0}
    assert {k: c["rank"] for k, c in cities.items()} == {"A1": 2, "B2": 2, "C3": 1}


def test_example_plugin_ranks_every_bundled_city(example_site):
    data = cityindex.load_dataset()
    out = run_cli(example_site, "rank", "--method", "median", "--format", "json")
    assert out.returncode == 0, out.stderr
    ranked = json.loads(out.stdout)["cities"]
    assert len(ranked) == len(data.edition_cities(data.latest_edition))
    assert all(c["rank"] >= 1 for c in ranked)


def test_weakest_area_example_by_hand(weakest_site, tiny_dir):
    """The tiny fixture's bitkom areas (tests/test_methods.py): V = A 250/3 + 2.5, B 100/3 + 5,
    C 50 (core means plus the projects bonus); M = A 0, B missing, C 100. The weakest area:
    A 0, B 38.33 (M is missing, V is all it has), C 50."""
    out = run_cli(weakest_site, "rank", "--method", "weakest_area", "--data", str(tiny_dir),
                  "--format", "json")
    assert out.returncode == 0, out.stderr
    cities = {c["city_id"]: c for c in json.loads(out.stdout)["cities"]}
    assert cities["A1"]["total"] == pytest.approx(0.0)
    assert cities["B2"]["total"] == pytest.approx(100 / 3 + 5)
    assert cities["C3"]["total"] == pytest.approx(50.0)
    assert {k: c["rank"] for k, c in cities.items()} == {"C3": 1, "B2": 2, "A1": 3}


def test_weakest_area_example_on_the_2021_areas(weakest_site, monkeypatch):
    """With the projects bonus of 2021, its areas are bitkom's to the last digit, and its
    total is their minimum — the plugin that went wrong in issue 7 gave areas 12 points off."""
    monkeypatch.syspath_prepend(str(weakest_site))
    registry = get_registry(make_plugin_manager(load_entrypoints=True))
    data = cityindex.load_dataset()
    ours = cityindex.score(data, "weakest_area", edition=2021, registry=registry)
    bitkom = cityindex.score(data, "bitkom", edition=2021, registry=registry)
    areas = bitkom.area_ids
    pd.testing.assert_frame_equal(ours.table[areas].sort_index(),
                                  bitkom.table[areas].sort_index())
    np.testing.assert_allclose(ours.table["total"].sort_index(),
                               bitkom.table[areas].sort_index().min(axis=1))


def test_autoload_off_hides_the_installed_plugin(example_site):
    out = run_cli(example_site, "methods", "--format", "json", autoload=False)
    assert "median" not in [m["name"] for m in json.loads(out.stdout)["methods"]]
    out = run_cli(example_site, "rank", "--method", "median", autoload=False)
    assert out.returncode == 2
    assert out.stderr.startswith("cityindex: error: unknown method 'median'; available: bitkom")
    assert "Traceback" not in out.stderr


def test_movers_name_the_labels_of_a_comparison(tiny):
    cmp = cityindex.compare(tiny, ["bitkom", ("service_coverage", {"missing": "skip"})])
    with pytest.raises(KeyError, match="'service_coverage' is not a method of this comparison; "
                                       "its labels are 'bitkom', 'service_coverage"):
        cmp.movers("bitkom", "service_coverage")
    assert len(cmp.movers("bitkom", "service_coverage(missing=skip)")) == 3
