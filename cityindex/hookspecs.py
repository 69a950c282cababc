"""Hook specifications: the contract between cityindex and its plugins.

Plugin authors import the marker from the package itself (``from cityindex import hookimpl``)
and never import pluggy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from cityindex.method import Method

PROJECT = "cityindex"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def cityindex_register_methods(register: Callable[[Method], None]) -> None:
    """Register scoring methods.

    Call ``register(method)`` once for every method the plugin provides. ``method`` is an
    instance of :class:`cityindex.Method` (or any object with the same attributes). Names must
    be unique across all installed plugins; a duplicate is an error naming both plugins.

    :param register: callback that records one method under its ``name``.
    """
