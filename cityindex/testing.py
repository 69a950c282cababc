"""A test helper for plugin authors: the contract a scoring method must keep.

Run it from your plugin's test suite (pytest or any other)::

    from cityindex.testing import check_method
    from cityindex_weakest_area import WeakestArea

    def test_weakest_area_keeps_the_method_contract():
        check_method(WeakestArea())

:func:`check_method` raises ``AssertionError`` naming the first rule the method breaks. The
checks are those the engine applies when it scores (:func:`cityindex.engine.run_method`: the
card, read-only input, the shape, type and finiteness of the output), plus what a user relies
on: the same input gives the same output, the order of the cities does not matter, a city
without values does not break the method, and every city of the bundled data gets a score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from cityindex.dataset import Dataset, EditionData, load_dataset
from cityindex.engine import MethodError, MethodRaisedError, run_method
from cityindex.plugins import _checked_method


def check_method(
    method,
    dataset: Dataset | None = None,
    *,
    editions: Iterable[int] | None = None,
    params: Mapping[str, Any] | None = None,
    require_all_ranked: bool = True,
) -> None:
    """Check that ``method`` keeps the contract of a cityindex scoring method.

    ``dataset`` defaults to the bundled data and ``editions`` to all of its editions;
    ``params`` to the method's defaults. With ``require_all_ranked`` (default) every city of
    every edition must get a finite total — true of the bundled data for the built-in methods;
    switch it off for a method that deliberately leaves cities unscored.

    Raises ``AssertionError`` with a message naming the method, the edition and the rule.
    """
    checked, problem = _checked_method(method)
    assert problem is None, f"the method's card is not usable: {problem}"
    method = checked
    resolved = method.resolve_params(params)
    dataset = dataset if dataset is not None else load_dataset()
    for edition in editions if editions is not None else dataset.editions:
        data = dataset.edition_data(edition)
        if not _applies(method, data):
            continue
        where = f"method {method.name!r} on edition {edition}"
        first = _run(method, data, resolved, where)
        second = _run(method, data, resolved, where)
        for field in ("total", "weights", "areas", "categories"):
            a, b = getattr(first, field), getattr(second, field)
            assert (a is None) == (b is None) and (
                a is None or np.array_equal(a, b, equal_nan=True)
            ), f"{where}: not deterministic: two runs on the same input give different {field}"
        if require_all_ranked:
            unscored = data.city_ids[np.isnan(first.total)]
            assert not len(unscored), (
                f"{where}: no score for {len(unscored)} of {len(data.city_ids)} cities "
                f"({', '.join(map(str, unscored[:5]))})"
            )
        _check_city_order(method, data, resolved, first, where)
        _check_missing_city(method, data, resolved, where)


def _applies(method, data: EditionData) -> bool:
    needs = set(getattr(method, "requires", ()))
    return not ("service_flag" in needs and not data.service.any())


def _run(method, data: EditionData, params, where: str):
    try:
        return run_method(method, data, params)
    except MethodRaisedError as exc:
        cause = exc.__cause__
        if isinstance(cause, ValueError) and "read-only" in str(cause):
            raise AssertionError(
                f"{where}: the method writes to its input data, which is read-only; work on "
                f"a copy (np.array(data.values), scores = scale(...))"
            ) from exc
        raise AssertionError(_said(exc, where)) from exc
    except MethodError as exc:
        raise AssertionError(_said(exc, where)) from exc


def _said(exc: Exception, where: str) -> str:
    """The engine's message (it names the method and edition), with what this check did
    beyond a plain run, e.g. "with a city that has no values"."""
    extra = where.split(" with ", 1)
    return f"{exc} (with {extra[1]})" if len(extra) == 2 else str(exc)


def _check_city_order(method, data: EditionData, params, first, where: str) -> None:
    """Reversing the order of the cities reverses the totals, and changes nothing else."""
    rev = slice(None, None, -1)
    flipped = replace(data, city_ids=data.city_ids[rev], values=data.values[rev],
                      provenance=data.provenance[rev])
    out = _run(method, flipped, params, where)
    assert np.allclose(out.total[rev], first.total, equal_nan=True, rtol=0, atol=1e-9), (
        f"{where}: the totals depend on the order of the cities in the data"
    )


def _check_missing_city(method, data: EditionData, params, where: str) -> None:
    """A city without any value must not break the method (its total may be NaN), and a
    missing value elsewhere must not give an infinite total (checked by run_method)."""
    if len(data.city_ids) < 3 or data.shape[1] == 0:
        return
    values = np.array(data.values)
    values[0, :] = np.nan
    values[1, 0] = np.nan
    holes = replace(data, values=values)
    _run(method, holes, params, f"{where} with a city that has no values")
