"""What a scoring method is: its card (name, description, citation, parameters, needs) and
the arrays it returns. Methods are registered by plugins (see :mod:`cityindex.hookspecs`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from cityindex.dataset import EditionData
from cityindex.messages import msg
from cityindex.scoring import SCALINGS

REQUIREMENTS: dict[str, str] = {
    "indicator_values": msg("indicator-level values"),
    "hierarchy": msg("the area → category → indicator hierarchy with its weights"),
    "service_flag": msg("at least one indicator flagged as a citizen-facing online service"),
}
"""What a method may declare in ``requires``, with the wording used in error messages."""


def value_text(value: Any) -> str:
    """A parameter value as written in labels, links and on the command line: as Python writes
    it, at full precision, but a whole float without ``.0`` (``5``, not ``5.0``) — as the
    user typed it, and read back to the same value by :meth:`Parameter.coerce`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")


def decimal_point(value: Any) -> str | None:
    """A number written with a decimal comma as it is written with a decimal point
    (``'0,05'`` → ``'0.05'``), for the hint of an error; None for anything else (a number, text
    that is no number either way, ``'1.250,5'``).

    >>> decimal_point(" 0,05"), decimal_point("-,5"), decimal_point("abc"), decimal_point(0.5)
    ('0.05', '-.5', None, None)
    """
    if not isinstance(value, str) or not _DECIMAL_COMMA.fullmatch(value.strip()):
        return None
    return value.strip().replace(",", ".")


class ParameterError(ValueError):
    """A parameter value that a method does not accept."""


@dataclass(frozen=True)
class Parameter:
    """A typed method parameter, described well enough for a UI to render a widget.

    - ``name``: the key in ``params`` and on the command line (``-p name=value``);
    - ``type``: ``"float"``, ``"int"``, ``"bool"`` or ``"choice"``;
    - ``default``: the value used when the user sets none (must satisfy the checks below);
    - ``label`` / ``help``: the widget's label and tooltip (English); ``label_de`` /
      ``help_de``: the same in German, the dashboard's default language (English is shown
      where they are empty);
    - ``min`` / ``max``: inclusive bounds for ``float`` and ``int`` (a slider when both are
      set, else a number field); values outside are a :class:`ParameterError`;
    - ``choices``: the allowed values of a ``choice`` parameter; ``choice_labels`` /
      ``choice_labels_de``: optional display texts per choice, e.g. ``{"skip": "auslassen"}``.
    """

    name: str
    type: str
    default: Any
    label: str = ""
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    label_de: str = ""
    help_de: str = ""
    choice_labels: Mapping[str, str] = field(default_factory=dict, hash=False)
    choice_labels_de: Mapping[str, str] = field(default_factory=dict, hash=False)

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
            raise ParameterError(msg("parameter {name!r} must be true or false, not {value!r}",
                                     name=name, value=value))
        if self.type == "choice":
            text = str(value).strip()
            if text not in self.choices:
                raise ParameterError(msg("parameter {name!r} must be one of {choices}, not "
                                         "{value!r}", name=name,
                                         choices=", ".join(self.choices), value=value))
            return text
        try:
            number = float(value)
        except (TypeError, ValueError):
            point = decimal_point(value)
            if point is not None:  # '0,05': parameters are written with a decimal point
                raise ParameterError(msg(
                    "parameter {name!r} must be a number, not {value!r}; write numbers with a "
                    "decimal point: {point}", name=name, value=value, point=point)) from None
            raise ParameterError(msg("parameter {name!r} must be a number, not {value!r}",
                                     name=name, value=value)) from None
        if not np.isfinite(number):
            raise ParameterError(msg("parameter {name!r} must be finite, not {value!r}",
                                     name=name, value=value))
        if self.type == "int":
            if number != int(number):
                raise ParameterError(msg("parameter {name!r} must be a whole number, not "
                                         "{value!r}", name=name, value=value))
            number = int(number)
        if self.min is not None and number < self.min:
            raise ParameterError(msg("parameter {name!r} must be at least {min}, not {value!r}",
                                     name=name, min=self.min, value=value))
        if self.max is not None and number > self.max:
            raise ParameterError(msg("parameter {name!r} must be at most {max}, not {value!r}",
                                     name=name, max=self.max, value=value))
        return number


SCALING_PARAMETER = Parameter(
    "scaling", "choice", "minmax", label="Scaling", label_de="Skalierung",
    help="minmax: best city 100, worst 0. share_of_best: value as a share of the best.",
    help_de="Min-Max: beste Stadt 100, schwächste 0. Anteil am Bestwert: der Wert geteilt "
            "durch den besten.",
    choices=SCALINGS,
    choice_labels={"minmax": "min-max (best 100, worst 0)",
                   "share_of_best": "share of the best value"},
    choice_labels_de={"minmax": "Min-Max (beste 100, schwächste 0)",
                      "share_of_best": "Anteil am Bestwert"},
)
"""The scaling choice shared by the built-in methods; plugins may reuse it."""

MISSING_SKIP_OR_ZERO = Parameter(
    "missing", "choice", "skip", label="Missing values", label_de="Fehlende Werte",
    help="skip: leave a missing value out and reweight the rest. zero: count it as 0 points.",
    help_de="auslassen: einen fehlenden Wert weglassen und die übrigen neu gewichten. als 0 "
            "Punkte zählen: ihn mit 0 Punkten werten.",
    choices=("skip", "zero"),
    choice_labels={"skip": "leave out", "zero": "count as 0 points"},
    choice_labels_de={"skip": "auslassen", "zero": "als 0 Punkte zählen"},
)
"""The missing-value choice shared by the hierarchical built-in methods."""


AGGREGATIONS = ("arithmetic", "geometric")
"""How a hierarchical method combines its area scores into the total."""


@dataclass(frozen=True)
class HierarchyStructure:
    """How a method builds its total from the area → category → indicator hierarchy, told to
    the robustness analyses (:mod:`cityindex.robustness`) so that they can re-evaluate it for
    thousands of weightings as arrays, with the semantics of :mod:`cityindex.hierarchy`:

    - ``scaling``: the indicator normalisation, one of :data:`~cityindex.scoring.SCALINGS`;
    - ``missing``: ``"skip"`` or ``"zero"`` (rule 4 of :mod:`cityindex.hierarchy`), applied at
      every level of an arithmetic aggregation;
    - ``projects_bonus``: the share of an area's points its projects categories can add
      (capped at 100; 0 = none);
    - ``aggregation``: ``"arithmetic"`` (weighted mean of the areas, with ``missing``) or
      ``"geometric"`` (weighted geometric mean of the present areas);
    - ``floor``: area scores below it are raised to it before a geometric mean; None for no
      floor (then a geometric mean of a score ≤ 0 cannot be evaluated).

    The weights are the edition's (``EditionData.area_weight`` and so on).
    """

    scaling: str = "minmax"
    missing: str = "skip"
    projects_bonus: float = 0.0
    aggregation: str = "arithmetic"
    floor: float | None = None

    def __post_init__(self):
        if self.scaling not in SCALINGS:
            raise ValueError(f"unknown scaling {self.scaling!r}")
        if self.missing not in ("skip", "zero"):
            raise ValueError(f"unknown missing-value policy {self.missing!r}")
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"unknown aggregation {self.aggregation!r}")


@dataclass(frozen=True)
class MethodOutput:
    """What :meth:`Method.score` returns, aligned with the :class:`EditionData` it received.

    - ``total``: float array, shape ``(cities,)``, points (0–100 for the built-ins). NaN means
      the method cannot score that city: the engine lists it as *unranked*, with a reason. A
      total that is NaN for every city, or infinite for any, is a
      :class:`~cityindex.engine.MethodOutputError`.
    - ``weights``: float array, shape ``(indicators,)``, the *effective weight* of every
      indicator in the total: how many points the total gains when that indicator's score
      gains one point, for a city with every value present (``∂total/∂score``). For a weighted
      arithmetic mean these are the normalised weights multiplied along the path to the total,
      and they sum to 1; a bonus added on top (the projects bonus) makes them sum to more. For
      a non-linear method (geometric mean, minimum, median) report the nominal weights of the
      aggregation before the non-linear step, normalised to sum to 1, and say so in the card.
      0 for an indicator the method ignores. Finite and non-negative, with a positive sum.
    - ``areas``: shape ``(cities, areas)`` or None where area scores are not meaningful;
    - ``categories``: shape ``(cities, categories)`` or None.

    Ranks and missing-value counts are computed by the engine, the same way for every method.
    """

    total: np.ndarray
    weights: np.ndarray
    areas: np.ndarray | None = None
    categories: np.ndarray | None = None


class Method:
    """Base class for scoring methods. Subclass it, fill in the card, implement ``score``.

    The class attributes form the method's *card*, shown by ``cityindex methods`` and the
    dashboard: ``name`` (unique, used on the command line: letters, digits, ``_ . -``),
    ``title``, ``description`` (a paragraph), ``citation``, ``parameters`` (a tuple of
    :class:`Parameter`), ``requires`` (keys of :data:`REQUIREMENTS`: the engine refuses a dataset
    that lacks them with a clear error) and ``missing_policy`` (one sentence: what happens to a
    missing value). ``title_de`` / ``description_de`` / ``citation_de`` /
    ``missing_policy_de`` give the card in German.

    ``score(data, params)`` receives a read-only :class:`~cityindex.EditionData` (writing to its
    arrays raises ``ValueError``; work on copies) and the resolved parameters, and returns a
    :class:`MethodOutput`. It must be deterministic and must not print to stdout.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    title_de: ClassVar[str] = ""
    description_de: ClassVar[str] = ""
    """German card texts for the dashboard's default language (optional; English is used
    where they are empty)."""
    citation: ClassVar[str] = ""
    citation_de: ClassVar[str] = ""
    """The citation in German where it has words of ours beside the reference (optional;
    ``citation`` is shown where empty)."""
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    requires: ClassVar[frozenset[str]] = frozenset({"indicator_values"})
    missing_policy: ClassVar[str] = ""
    reproduces_published: ClassVar[bool] = False
    """True only for a method that, with its default parameters, implements the published
    index itself. The engine then compares each city's computed rank and total with Bitkom's
    published ones and marks the row ``published`` where they agree (rank equal, total within
    0.05); for every other method, or other parameters, rows are ``modeled`` or ``computed``.
    Setting it for a method that is not the published methodology would mislabel results."""

    def score(self, data: EditionData, params: Mapping[str, Any]) -> MethodOutput:
        raise NotImplementedError

    def structure(self, params: Mapping[str, Any]) -> HierarchyStructure | None:
        """Optional: the :class:`HierarchyStructure` this method's ``score`` computes with the
        resolved ``params``, or None (the default) when the method is not a weighted
        aggregation of the hierarchy. A method that returns one promises that ``score`` equals
        that aggregation; the robustness analyses (uncertainty, sensitivity, rank bounds)
        work only for such methods."""
        return None

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
                raise ParameterError(msg(
                    "method {method!r} has no parameter {key!r} (its parameters: {names})",
                    method=cls.name, key=key, names=names))
            resolved[key] = known[key].coerce(value)
        return resolved
