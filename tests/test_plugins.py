"""The plugin rules: registration, duplicates, unknown names, the autoload switch, faulty
plugins — tested in-process (llm/pluggy style) and with a real installed package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pluggy
import pytest

import cityindex
from cityindex import Method, MethodOutput, hookimpl
from cityindex.plugins import (
    DISABLE_AUTOLOAD_ENV,
    DuplicateMethodError,
    PluginError,
    UnknownMethodError,
    get_plugin_manager,
    get_registry,
    make_plugin_manager,
)

REPO = Path(__file__).resolve().parent.parent


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


@pytest.fixture
def registered():
    """Register plugins on the process-wide manager and always unregister them."""
    pm = get_plugin_manager()
    names = []

    def add(plugin, name):
        pm.register(plugin, name=name)
        names.append(name)

    yield add
    for name in names:
        pm.unregister(name=name)


def test_builtins_are_registered_explicitly():
    names = list(get_registry())
    assert names[:4] == ["bitkom", "equal_weights", "service_coverage", "geometric"]
    bitkom = get_registry()["bitkom"]
    assert (bitkom.plugin, bitkom.distribution) == ("cityindex.methods.bitkom", "cityindex")
    assert bitkom.version == cityindex.__version__


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


def test_duplicate_name_names_both_plugins(registered):
    class Impostor(Constant):
        name = "bitkom"

    registered(OnePlugin(Impostor()), "impostor-plugin")
    with pytest.raises(DuplicateMethodError) as info:
        get_registry()
    message = str(info.value)
    assert "'bitkom' is registered twice" in message
    assert "'cityindex.methods.bitkom'" in message and "'impostor-plugin'" in message


def test_unknown_method_lists_the_available_ones(tiny):
    with pytest.raises(UnknownMethodError) as info:
        cityindex.score(tiny, "bitcom")
    assert isinstance(info.value, KeyError)
    assert info.value.available[:2] == ["bitkom", "equal_weights"]
    assert str(info.value).startswith("unknown method 'bitcom'; available: bitkom, ")


def test_faulty_plugin_is_reported_with_its_name(registered):
    class Broken:
        @hookimpl
        def cityindex_register_methods(self, register):
            raise RuntimeError("boom")

    registered(Broken(), "broken-plugin")
    with pytest.raises(PluginError, match="plugin 'broken-plugin' failed while registering "
                                          "methods: RuntimeError: boom"):
        get_registry()


def test_plugin_registering_a_non_method(registered):
    registered(OnePlugin(object()), "odd-plugin")
    with pytest.raises(PluginError, match="plugin 'odd-plugin' registered .* no 'name'"):
        get_registry()


def test_misspelt_hook_fails_loudly(registered):
    class Misspelt:
        @hookimpl
        def cityindex_register_method(self, register):  # missing "s"
            pass

    registered(Misspelt(), "misspelt-plugin")
    with pytest.raises(PluginError, match="misspelt-plugin"):
        get_registry()


def test_method_failing_while_scoring(registered, tiny):
    class Crashing(Constant):
        name = "crashing"

        def score(self, data, params):
            raise ZeroDivisionError("no cities")

    registered(OnePlugin(Crashing()), "crash-plugin")
    with pytest.raises(cityindex.MethodError, match="'crashing' \\(plugin 'crash-plugin'.*"
                                                    "ZeroDivisionError: no cities"):
        cityindex.score(tiny, "crashing")


def test_method_returning_the_wrong_shape(registered, tiny):
    class Short(Constant):
        name = "short"

        def score(self, data, params):
            return MethodOutput(total=np.zeros(1), weights=np.zeros(data.shape[1]))

    registered(OnePlugin(Short()), "short-plugin")
    with pytest.raises(cityindex.MethodDataError, match="total has shape \\(1,\\), expected"):
        cityindex.score(tiny, "short")


@pytest.mark.parametrize(
    ("value", "loads"), [(None, True), ("", True), ("0", True), ("1", False), ("true", False)]
)
def test_autoload_switch(monkeypatch, value, loads):
    calls = []
    monkeypatch.setattr(
        pluggy.PluginManager, "load_setuptools_entrypoints",
        lambda self, group, name=None: calls.append(group) or 0,
    )
    if value is None:
        monkeypatch.delenv(DISABLE_AUTOLOAD_ENV, raising=False)
    else:
        monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, value)
    make_plugin_manager()
    assert calls == (["cityindex"] if loads else [])


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    """examples/cityindex-median installed into a scratch directory (not the test venv)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(REPO / "examples" / "cityindex-median")],
        check=True, capture_output=True,
    )
    return target


def run_cli(site, *args, autoload=True):
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop(DISABLE_AUTOLOAD_ENV, None)
    if not autoload:
        env[DISABLE_AUTOLOAD_ENV] = "1"
    return subprocess.run(
        [sys.executable, "-m", "cityindex.cli", *args], env=env, capture_output=True, text=True
    )


def test_example_plugin_package_shows_up_and_ranks(example_site, tiny_dir):
    out = run_cli(example_site, "methods", "--format", "json")
    assert out.returncode == 0, out.stderr
    methods = {m["name"]: m for m in json.loads(out.stdout)}
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


def test_autoload_off_hides_the_installed_plugin(example_site):
    out = run_cli(example_site, "methods", "--format", "json", autoload=False)
    assert "median" not in [m["name"] for m in json.loads(out.stdout)]
    out = run_cli(example_site, "rank", "--method", "median", autoload=False)
    assert out.returncode == 2
    assert out.stderr.startswith("cityindex: error: unknown method 'median'; available: bitkom")
    assert "Traceback" not in out.stderr
