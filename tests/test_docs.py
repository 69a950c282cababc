"""The README must stay true to the code: the plugin guide quotes the example package
verbatim, every hook and built-in method is documented, and the API example runs."""

from __future__ import annotations

import dataclasses
import inspect
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import cityindex
from cityindex import EditionData, MethodOutput, Parameter, hierarchy, hookspecs, scoring, testing
from cityindex.engine import DEFAULT_TIMEOUT
from cityindex.method import REQUIREMENTS, Method

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
EXAMPLE = REPO / "examples" / "cityindex-median"


def fenced_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


@pytest.mark.parametrize("name", ["pyproject.toml", "cityindex_median.py"])
def test_guide_quotes_the_example_package_verbatim(name):
    content = (EXAMPLE / name).read_text(encoding="utf-8")
    assert content in fenced_blocks("toml" if name.endswith(".toml") else "python")


def test_every_hook_is_specified_documented_and_named_in_the_guide():
    hooks = [n for n in dir(hookspecs) if n.startswith("cityindex_")]
    assert hooks == ["cityindex_register_methods"]
    for name in hooks:
        assert getattr(hookspecs, name).__doc__.strip()
        assert f"`{name}(" in README


def test_every_builtin_method_is_in_the_methods_table():
    for reg in cityindex.get_registry().values():
        assert f"| `{reg.name}` |" in README


def test_first_screen_gives_the_two_commands():
    first_screen = "\n".join(README.splitlines()[:20])
    assert "make run" in first_screen and "make test" in first_screen


def test_python_api_example_runs():
    example = next(b for b in fenced_blocks("python") if "cityindex.load_dataset()" in b)
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)
    assert namespace["result"].table["rank"].min() == 1
    assert list(namespace["cmp"].spearman.columns) == ["bitkom", "equal_weights",
                                                       "geometric(floor=5)"]


# --- docs/plugin-guide.md: the plugin author guide (issue 7) ------------------------------------

GUIDE_PATH = REPO / "docs" / "plugin-guide.md"
GUIDE = GUIDE_PATH.read_text(encoding="utf-8")
EXAMPLES = {
    "cityindex-median": ("pyproject.toml", "cityindex_median.py"),
    "cityindex-weakest-area": ("pyproject.toml", "cityindex_weakest_area.py"),
}
FRAGMENT = "<!-- fragment"
"""Put ``<!-- fragment: why -->`` on the line before a guide code block that is not meant to run
on its own (a list of signatures, an excerpt); every other ``python`` block is run."""


def guide_blocks(language: str) -> list[tuple[bool, str]]:
    """``(is_fragment, code)`` for every fenced block of ``language`` in the guide."""
    pattern = rf"(?:({re.escape(FRAGMENT)}[^\n]*-->)\s*\n)?[ \t]*```{language}\n(.*?)```"
    return [(bool(marker), code) for marker, code in re.findall(pattern, GUIDE, flags=re.S)]


@pytest.mark.parametrize("example, name", [(e, n) for e, names in EXAMPLES.items()
                                           for n in names])
def test_guide_quotes_both_example_packages_verbatim(example, name):
    content = (REPO / "examples" / example / name).read_text(encoding="utf-8")
    blocks = [code for _, code in guide_blocks("toml" if name.endswith(".toml") else "python")]
    assert content in blocks, f"docs/plugin-guide.md does not quote examples/{example}/{name}"


def test_readme_links_the_guide_and_the_example_readmes_do_too():
    assert "](docs/plugin-guide.md)" in README
    for example in EXAMPLES:
        text = (REPO / "examples" / example / "README.md").read_text(encoding="utf-8")
        assert "docs/plugin-guide.md" in text, example


def _public_functions(module) -> list[str]:
    return sorted(name for name, obj in inspect.getmembers(module, inspect.isfunction)
                  if obj.__module__ == module.__name__ and not name.startswith("_"))


@pytest.mark.parametrize("module", [hierarchy, scoring, testing], ids=lambda m: m.__name__)
def test_guide_gives_every_public_function_with_its_parameters(module):
    functions = _public_functions(module)
    assert functions, module.__name__
    for name in functions:
        found = re.search(rf"`{name}\(([^`]*)\)", GUIDE)
        assert found, f"{module.__name__}.{name} is not documented in docs/plugin-guide.md"
        documented = re.sub(r"\s+", " ", found.group(1))
        for parameter in inspect.signature(getattr(module, name)).parameters:
            assert re.search(rf"\b{parameter}\b", documented), (
                f"the guide's signature of {name} lacks its parameter {parameter!r}")


def test_guide_documents_every_field():
    def documented(name: str) -> bool:
        return f"| `{name}` |" in GUIDE

    for cls in (EditionData, Parameter, MethodOutput):
        missing = [f.name for f in dataclasses.fields(cls) if not documented(f.name)]
        assert not missing, f"{cls.__name__} fields missing from the guide's tables: {missing}"
    card = ["name", "title", "description", "title_de", "description_de", "citation",
            "citation_de", "parameters", "requires", "missing_policy", "reproduces_published"]
    assert [a for a in card if not documented(a)] == []
    assert all(hasattr(Method, a) or a in Method.__annotations__ for a in card)
    for key in REQUIREMENTS:
        assert f"`{key}`" in GUIDE, key
    for stage in ("import", "hooks", "register", "method", "duplicate"):
        assert f"| `{stage}` |" in GUIDE, stage
    assert f"`DEFAULT_TIMEOUT` = {DEFAULT_TIMEOUT:g}" in GUIDE
    assert "CITYINDEX_METHOD_TIMEOUT" in GUIDE and "CITYINDEX_DISABLE_PLUGIN_AUTOLOAD" in GUIDE


def test_guide_fragments_are_few_and_marked():
    fragments = [code for fragment, code in guide_blocks("python") if fragment]
    assert len(fragments) == 1 and "class Hierarchy" in fragments[0]


@pytest.mark.parametrize("index", range(len([b for b in guide_blocks("python") if not b[0]])))
def test_guide_python_blocks_run(index, tmp_path):
    """Each self-contained snippet runs in a fresh interpreter on the bundled data, with no
    third-party plugin loaded (the example modules define their method and hook; the test
    snippet of section 5 imports the example module from its folder)."""
    code = [c for fragment, c in guide_blocks("python") if not fragment][index]
    script = tmp_path / "snippet.py"
    script.write_text(code + "\n" + _call_tests(code), encoding="utf-8")
    env = {**os.environ, "CITYINDEX_DISABLE_PLUGIN_AUTOLOAD": "1",
           "PYTHONPATH": os.pathsep.join(str(REPO / "examples" / e) for e in EXAMPLES)}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=300)
    assert out.returncode == 0, f"guide snippet {index} failed:\n{code}\n{out.stderr}"


def _call_tests(code: str) -> str:
    """A pytest-style snippet defines test functions: call them too."""
    return "\n".join(f"{name}()" for name in re.findall(r"^def (test_\w+)\(\):", code, re.M))


def readme_commands() -> list[tuple[str, tuple[str, ...]]]:
    """Every ``cityindex …`` command line in the README's shell blocks, comments removed, with
    the example packages that its block installs before it (``pip install -e examples/…``)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        installed: list[str] = []
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line.startswith("pip install -e examples/"):
                installed.append(line.split()[-1])
            if line.startswith("cityindex "):
                commands.append((line, tuple(installed)))
    return commands


@pytest.mark.parametrize(("command", "examples"), readme_commands())
def test_every_command_the_readme_shows_runs_as_written(command, examples, tmp_path):
    """After `make run` / `make test` and `. .venv/bin/activate` (the venv's bin on PATH), each
    command of the README works as typed, from a folder with the bundled data as `data`. An
    example the README installs first is installed into a scratch folder (not the venv)."""
    (tmp_path / "data").symlink_to(REPO / "data")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
           f"{os.environ.get('PATH', '')}"}
    env.pop("CITYINDEX_DISABLE_PLUGIN_AUTOLOAD", None)
    if examples:
        site = tmp_path / "site"
        for example in examples:
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                            "--no-build-isolation", "--target", str(site), str(REPO / example)],
                           check=True, capture_output=True)
        env["PYTHONPATH"] = str(site)
    done = subprocess.run(shlex.split(command), cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, f"{command}\n{done.stderr}"
    assert "Traceback" not in done.stderr
