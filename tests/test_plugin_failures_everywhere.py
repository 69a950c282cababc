"""Every way a plugin can fail, on every surface (issue 7): the command line, the Python API
and the dashboard (AppTest). Each case asserts what the message names and that the other
methods keep working. The plugins are registered in-process on the process-wide manager and
always unregistered; real installed distributions are in tests/test_plugins.py."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pytest

import cityindex
from cityindex import Method, MethodOutput, hookimpl
from cityindex.cli import main

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "dashboard.py")


class Good(Method):
    name = "good_one"
    title = "A good method"
    description = "Ranks the cities by their row number; a test method."

    def score(self, data, params):
        return MethodOutput(np.arange(data.shape[0], dtype=float), np.ones(data.shape[1]))


def method(name, score):
    return type(name, (Good,), {"name": name, "title": f"Faulty {name}", "score": score})()


def _slow(self, data, params):
    time.sleep(30)


def _writes(self, data, params):
    data.values[0, 0] = 1.0


SCORING = {  # method name -> (score function, what the message says)
    "raises": (lambda self, data, params: 1 / 0, "ZeroDivisionError"),
    "short": (lambda self, data, params: MethodOutput(np.ones(2), np.ones(data.shape[1])),
              "total has shape (2,)"),
    "texts": (lambda self, data, params: MethodOutput(np.array(["x"] * data.shape[0]),
                                                      np.ones(data.shape[1])),
              "expected real numbers"),
    "nan_all": (lambda self, data, params: MethodOutput(np.full(data.shape[0], np.nan),
                                                        np.ones(data.shape[1])),
                "no city has a score"),
    "infinite": (lambda self, data, params: MethodOutput(np.full(data.shape[0], np.inf),
                                                         np.ones(data.shape[1])),
                 "is infinite"),
    "slow": (_slow, "took longer than 1 s"),
    "writes": (_writes, "read-only"),
}
SCORING_DE = {  # what the German dashboard says instead (numpy's own words stay English)
    "raises": "ZeroDivisionError", "short": "total hat die Form (2,)",
    "texts": "erwartet sind reelle Zahlen", "nan_all": "Keine Stadt hat eine Punktzahl",
    "infinite": "unendlich", "slow": "länger als 1 s", "writes": "read-only",
}


class Plugin:
    def __init__(self, *methods, fail=False):
        self.methods, self.fail = methods, fail

    @hookimpl
    def cityindex_register_methods(self, register):
        for m in self.methods:
            register(m)
        if self.fail:
            raise RuntimeError("registration broke")


@pytest.fixture
def plugins(monkeypatch, registered):
    """:func:`registered` (conftest) with a 1 s time limit for the slow method."""
    monkeypatch.setenv("CITYINDEX_METHOD_TIMEOUT", "1")
    return registered


@pytest.mark.parametrize("kind", list(SCORING))
def test_a_failing_method_on_the_command_line_and_the_api(plugins, capsys, tiny, tiny_dir, kind):
    score, says = SCORING[kind]
    plugins(Plugin(method(kind, score), Good()), f"plugin-{kind}")
    assert main(["rank", "-m", kind, "--data", str(tiny_dir)]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith(f"cityindex: error: method '{kind}' (plugin 'plugin-{kind}'")
    assert says in err and "Traceback" not in err
    with pytest.raises(cityindex.MethodError) as info:
        cityindex.score(tiny, kind)
    assert info.value.method == kind and says in str(info.value)
    assert main(["rank", "-m", "good_one", "--data", str(tiny_dir), "--format", "json"]) == 0
    ranks = {c["city_id"]: c["rank"] for c in json.loads(capsys.readouterr().out)["cities"]}
    assert ranks == {"C3": 1, "B2": 2, "A1": 3}  # the plugin's other method works
    assert main(["rank", "-m", "bitkom", "--data", str(tiny_dir)]) == 0


LOADING = {  # plugin -> (what `cityindex methods` says, the stage)
    "register_fails": (lambda: Plugin(Good(), fail=True),
                       "failed while registering methods: RuntimeError: registration broke",
                       "register"),
    "bad_object": (lambda: Plugin(object()), "has no 'name' text", "method"),
    "builtin_name": (lambda: Plugin(method("bitkom", Good.score)),
                     "belongs to the built-in method of cityindex", "duplicate"),
}
LOADING_DE = {  # what the German dashboard's table says instead
    "register_fails": "Fehler beim Registrieren der Methoden: RuntimeError: registration broke",
    "bad_object": "das keinen Text 'name' hat",
    "builtin_name": "gehört zur eingebauten Methode von cityindex",
}


@pytest.mark.parametrize("kind", list(LOADING))
def test_a_plugin_that_cannot_load_on_the_command_line_and_the_api(plugins, capsys, tiny_dir,
                                                                   kind):
    make, says, stage = LOADING[kind]
    plugins(make(), f"plugin-{kind}")
    assert main(["methods", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    (failure,) = [f for f in payload["could_not_load"] if f["plugin"] == f"plugin-{kind}"]
    assert says in failure["message"] and failure["stage"] == stage
    assert [m["name"] for m in payload["methods"]][:4] == [
        "bitkom", "equal_weights", "service_coverage", "geometric"]
    assert main(["rank", "-m", "bitkom", "--data", str(tiny_dir)]) == 0
    err = capsys.readouterr().err
    assert f"cityindex: warning: could not load plugin 'plugin-{kind}'" in err
    registry = cityindex.get_registry()
    assert any(f.plugin == f"plugin-{kind}" for f in registry.failures)
    assert registry["bitkom"].distribution == "cityindex"


def _shown(element) -> str:
    return re.sub(r"\\(.)", r"\1", element.value)


@pytest.mark.parametrize("kind", ["raises", "short", "nan_all", "slow", "writes"])
def test_a_failing_method_in_the_dashboard(plugins, kind):
    """The compare and profile tabs score every method: a note names the faulty one, the
    others are compared; chosen itself, it gets an error naming it, and nothing crashes."""
    from streamlit.testing.v1 import AppTest

    score, _ = SCORING[kind]
    says = SCORING_DE[kind]  # the dashboard is German by default
    plugins(Plugin(method(kind, score)), f"plugin-{kind}")
    for tab in ("compare", "profile"):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["tab"] = tab
        at.run()
        assert not at.exception and not at.error
        notes = [_shown(w) for w in at.warning if f"Faulty {kind}" in _shown(w)
                 or f"'{kind}'" in _shown(w)]
        assert len(notes) == 1 and says in notes[0], [_shown(w) for w in at.warning]
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["method"] = kind
    at.run()
    assert not at.exception
    assert f"Methode '{kind}'" in _shown(at.error[0]) and says in _shown(at.error[0])


@pytest.mark.parametrize("kind", list(LOADING))
def test_a_plugin_that_cannot_load_in_the_dashboard(plugins, kind):
    from streamlit.testing.v1 import AppTest

    make, _, _ = LOADING[kind]
    says = LOADING_DE[kind]  # the dashboard is German by default
    plugins(make(), f"plugin-{kind}")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["tab"] = "methods"
    at.run()
    assert not at.exception and not at.error
    warnings = [_shown(w) for w in at.warning if "(registered in-process)" in _shown(w)]
    assert len(warnings) == 1
    failures = at.dataframe[0].value
    assert says in " ".join(failures["message"])
    assert len(at.dataframe) > 1  # the method cards and data tables follow
