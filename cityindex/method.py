"""What a scoring method is: its card (name, description, citation, parameters, needs) and
the arrays it returns. Methods are registered by plugins (see :mod:`cityindex.hookspecs`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from cityindex.dataset import EditionData
from cityindex.scoring import SCALINGS

REQUIREMENTS: dict[str, str] = {
    "indicator_values": "indicator-level values",
    "hierarchy": "the area → category → indicator hierarchy with its weights",
    "service_flag": "at least one indicator flagged as a citizen-facing online service",
}
"""What a method may declare in ``requires``, with the wording used in error messages."""


class ParameterError(ValueError):
    """A parameter value that a method does not accept."""


@dataclass(frozen=True)
class Parameter:
    """A typed method parameter, described well enough for a UI to render a widget.

    ``type`` is one of ``"float"``, ``"int"``, ``"bool"`` or ``"choice"``.
    """

    name: str
    type: str
    default: Any
    label: str = ""
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()

    def __post_init__(self):
        if self.type not in ("float", "int", "bool", "choice"):
            raise ValueError(f"parameter {self.name!r}: unknown type {self.type!r}")
        if self.type == "choice" and self.default not in self.choices:
            raise ValueError(f"parameter {self.name!r}: default not among its choices")

    def coerce(self, value: Any) -> Any:
        """Turn ``value`` (a Python value or a command-line string) into a checked value."""
        name = self.name
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ParameterError(f"parameter {name!r} must be true or false, not {value!r}")
        if self.type == "choice":
            text = str(value).strip()
            if text not in self.choices:
                raise ParameterError(
                    f"parameter {name!r} must be one of {', '.join(self.choices)}, not {value!r}"
                )
            return text
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ParameterError(f"parameter {name!r} must be a number, not {value!r}") from None
        if not np.isfinite(number):
            raise ParameterError(f"parameter {name!r} must be finite, not {value!r}")
        if self.type == "int":
            if number != int(number):
                raise ParameterError(f"parameter {name!r} must be a whole number, not {value!r}")
            number = int(number)
        if self.min is not None and number < self.min:
            raise ParameterError(f"parameter {name!r} must be at least {self.min}, not {value!r}")
        if self.max is not None and number > self.max:
            raise ParameterError(f"parameter {name!r} must be at most {self.max}, not {value!r}")
        return number


SCALING_PARAMETER = Parameter(
    "scaling", "choice", "minmax", label="Scaling",
    help="minmax: best city 100, worst 0. share_of_best: value as a share of the best.",
    choices=SCALINGS,
)
"""The scaling choice shared by the built-in methods; plugins may reuse it."""


@dataclass(frozen=True)
class MethodOutput:
    """What :meth:`Method.score` returns, aligned with the :class:`EditionData` it received.

    - ``total``: shape (cities,), the total score;
    - ``areas``: shape (cities, areas) or None where area scores are not meaningful;
    - ``categories``: shape (cities, categories) or None;
    - ``weights``: shape (indicators,), the effective weight of every indicator in the total
      (0 for an indicator the method ignores; the weights of the used ones sum to 1).

    Ranks and missing-value counts are computed by the engine, the same way for every method.
    """

    total: np.ndarray
    weights: np.ndarray
    areas: np.ndarray | None = None
    categories: np.ndarray | None = None


class Method:
    """Base class for scoring methods. Subclass it, fill in the card, implement ``score``.

    The class attributes form the method's *card*, shown by ``cityindex methods`` and the
    dashboard: ``name`` (unique, used on the command line), ``title``, ``description`` (a
    paragraph), ``citation``, ``parameters``, ``requires`` (keys of :data:`REQUIREMENTS`) and
    ``missing_policy`` (one sentence: what happens to a missing value).
    """

    name: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    title_de: ClassVar[str] = ""
    description_de: ClassVar[str] = ""
    """German card texts for the dashboard's default language (optional; English is used
    where they are empty)."""
    citation: ClassVar[str] = ""
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    requires: ClassVar[frozenset[str]] = frozenset({"indicator_values"})
    missing_policy: ClassVar[str] = ""
    reproduces_published: ClassVar[bool] = False
    """True if, with its default parameters, the method is meant to reproduce the published
    index; its scores are then marked *published* where a published figure exists."""

    def score(self, data: EditionData, params: Mapping[str, Any]) -> MethodOutput:
        raise NotImplementedError

    # -- helpers for callers --------------------------------------------------------------
    @classmethod
    def defaults(cls) -> dict[str, Any]:
        return {p.name: p.default for p in cls.parameters}

    @classmethod
    def resolve_params(cls, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """Defaults overlaid with ``params``, each value checked; unknown names are errors."""
        known = {p.name: p for p in cls.parameters}
        resolved = cls.defaults()
        for key, value in (params or {}).items():
            if key not in known:
                names = ", ".join(known) or "none"
                raise ParameterError(
                    f"method {cls.name!r} has no parameter {key!r} (its parameters: {names})"
                )
            resolved[key] = known[key].coerce(value)
        return resolved
