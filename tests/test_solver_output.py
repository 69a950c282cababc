"""The solver's leftover debug line is kept off the user's terminal; nothing else is lost.

The HiGHS in scipy 1.17 writes ``HighsMipSolverData::transformNewIntegerFeasibleSolution
tmpSolver.run();`` to file descriptor 1 while it solves some of rank-bounds' programmes (three
times for the bundled 2025 edition). ``cityindex._solver_output`` holds descriptors 1 and 2
back while the solver runs and writes back the rest.
"""

from __future__ import annotations

import csv
import io
import os
import threading

from cityindex._solver_output import solver_debug_filtered

DEBUG = b"HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();\n"


def test_the_debug_line_is_dropped_and_everything_else_written_back(capfd):
    with solver_debug_filtered():
        os.write(1, DEBUG + b"result 1\n" + DEBUG)
        os.write(2, b"a real warning\n" + DEBUG)
        os.write(1, b"no line end")
    out, err = capfd.readouterr()
    assert out == "result 1\nno line end"
    assert err == "a real warning\n"


def test_nested_and_concurrent_blocks_share_one_redirection(capfd):
    """The inner block's end writes nothing back yet; a second thread's block ends while the
    first is still open; everything is written back once, when the last block ends."""
    entered, leave = threading.Event(), threading.Event()

    def other() -> None:
        with solver_debug_filtered():
            os.write(2, b"from the other thread\n" + DEBUG)
            entered.set()
            leave.wait(10)

    with solver_debug_filtered():
        with solver_debug_filtered():
            os.write(1, b"inner\n" + DEBUG)
        thread = threading.Thread(target=other)
        thread.start()
        entered.wait(10)
        leave.set()
        thread.join(10)
        os.write(1, DEBUG + b"outer\n")
        assert capfd.readouterr() == ("", "")  # still held back
    out, err = capfd.readouterr()
    assert out == "inner\nouter\n"
    assert err == "from the other thread\n"


def test_rank_bounds_prints_no_solver_debug_line(capfd):
    """The bundled 2025 edition, whose programmes made HiGHS print the line three times: the
    command's CSV on stdout is clean (84 lines: the header and 83 cities), stderr is empty."""
    from cityindex.cli import main

    assert main(["rank-bounds", "--edition", "2025", "--format", "csv"]) == 0
    out, err = capfd.readouterr()
    assert "HighsMipSolverData" not in out + err
    assert err == ""
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:5] == ["city_id", "name", "rank", "best_rank", "worst_rank"]
    assert len(rows) == 84
