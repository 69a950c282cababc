"""Keep a solver's debug prints off the user's terminal, and nothing else.

The HiGHS inside scipy 1.17 (the last scipy for Python 3.11) writes a leftover debug line,
``HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();``, straight to file
descriptor 1 while it solves some mixed-integer programmes (ERGO-Code/HiGHS#2783, removed in
later HiGHS). It says nothing to a user and looks like an error: ``cityindex rank-bounds``
printed it three to five times for the bundled 2025 edition (on stderr: the command line
routes descriptor 1 there while it computes), a notebook would show it as output.

:func:`solver_debug_filtered` sends file descriptors 1 and 2 to temporary files while the
solver runs, then writes back to each everything that is not such a line, so a real message
(from the solver, a warning, another thread of the dashboard's server) is delayed, never
lost. Nested and concurrent uses share one redirection: the last to leave writes back.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

SOLVER_DEBUG = re.compile(
    r"HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver\.run\(\);[ \t]*\r?\n?")
"""The debug prints removed: the known HiGHS line (with its line end, if any)."""

FDS = (1, 2)
"""The file descriptors held back: standard output and standard error."""

_lock = threading.Lock()
_users = 0
_held: list[tuple[int, int, Any]] = []
"""Per held descriptor: (descriptor, a duplicate of what it was, the temporary file)."""


@contextlib.contextmanager
def solver_debug_filtered() -> Iterator[None]:
    """Within the block, what is written to file descriptors 1 and 2 is held back and
    written back to each when the block ends, without the lines of :data:`SOLVER_DEBUG`. A
    descriptor that cannot be redirected (closed, or no file descriptors at all) is left
    alone."""
    global _users
    with _lock:
        if _users == 0 and not _start():
            started = False
        else:
            _users += 1
            started = True
    try:
        yield
    finally:
        if started:
            with _lock:
                _users -= 1
                if _users == 0:
                    _finish()


def _start() -> bool:
    _flush()
    for fd in FDS:
        try:
            saved = os.dup(fd)
        except OSError:
            continue
        capture = tempfile.TemporaryFile()
        try:
            os.dup2(capture.fileno(), fd)
        except OSError:
            os.close(saved)
            capture.close()
            continue
        _held.append((fd, saved, capture))
    return bool(_held)


def _finish() -> None:
    _flush()
    while _held:
        fd, saved, capture = _held.pop()
        os.dup2(saved, fd)
        os.close(saved)
        with capture:
            capture.seek(0)
            text = capture.read().decode("utf-8", errors="replace")
        rest = SOLVER_DEBUG.sub("", text)
        data = rest.encode("utf-8", errors="replace")
        while data:  # a pipe may take part of it at a time
            data = data[os.write(fd, data):]


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()
