"""Shared fixtures. Third-party plugins installed on the machine never leak into a test run:
entry-point autoloading is switched off for the whole session, and tests that want a fresh
plugin manager build one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ["CITYINDEX_DISABLE_PLUGIN_AUTOLOAD"] = "1"

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture
def tiny_dir() -> Path:
    return FIXTURES / "tiny"


@pytest.fixture
def tiny(tiny_dir):
    import cityindex

    return cityindex.load_dataset(tiny_dir)


@pytest.fixture
def tiny_copy(tmp_path, tiny_dir) -> Path:
    """A writable copy of the tiny dataset, to break on purpose."""
    target = tmp_path / "tiny"
    shutil.copytree(tiny_dir, target)
    return target


@pytest.fixture
def registered():
    """Register in-process plugins on the process-wide manager for one test and always
    unregister them: ``registered(plugin, name)``."""
    from cityindex.plugins import get_plugin_manager

    pm = get_plugin_manager()
    names = []

    def add(plugin, name):
        pm.register(plugin, name=name)
        names.append(name)

    yield add
    for name in names:
        pm.unregister(name=name)
