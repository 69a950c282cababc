"""cityindex-median: rank cities by the median of their indicator scores."""

import numpy as np

from cityindex import EditionData, Method, MethodOutput, Parameter, hookimpl
from cityindex.scoring import SCALINGS, scale


class MedianScore(Method):
    name = "median"
    title = "Median indicator score"
    description = (
        "Every indicator is scaled 0-100 within the edition (best city 100, worst 0); "
        "a city's score is the median of its indicator scores, so that a few "
        "outstanding or failed indicators cannot move it much."
    )
    citation = "Example plugin from the cityindex plugin author guide."
    parameters = (
        Parameter("scaling", "choice", "minmax", label="Scaling", choices=SCALINGS),
    )
    requires = frozenset({"indicator_values"})
    missing_policy = "A missing value is left out of the median."

    def score(self, data: EditionData, params) -> MethodOutput:
        scores = scale(data.values, data.direction, params["scaling"])
        present = ~np.isnan(scores)
        total = np.full(len(scores), np.nan)
        rows = present.any(axis=1)
        total[rows] = np.nanmedian(scores[rows], axis=1)
        weights = np.full(scores.shape[1], 1 / scores.shape[1])
        return MethodOutput(total=total, weights=weights)


@hookimpl
def cityindex_register_methods(register):
    register(MedianScore())
