"""cityindex: the Smart City Index, open and pluggable.

The public Python API — the same functions the command line and the dashboard call::

    import cityindex

    data = cityindex.load_dataset()                 # the bundled data, or a folder path
    cityindex.list_methods()                        # installed scoring methods
    result = cityindex.score(data, "bitkom", edition=2022)
    result.table.head()                             # rank, name, total, areas, provenance
    cmp = cityindex.compare(data, ["bitkom", "equal_weights"], edition=2022)
    cmp.spearman
    cityindex.uncertainty(data, "bitkom", draws=10_000, seed=1).table   # rank intervals
"""

from __future__ import annotations

__version__ = "0.1.0"

from cityindex.dataset import (
    Catalogue,
    Dataset,
    DatasetError,
    EditionData,
    Problem,
    UnknownEditionError,
    dataset_from_frames,
    default_data_dir,
    load_dataset,
)
from cityindex.engine import (
    PROVENANCE_LABELS,
    Comparison,
    MethodDataError,
    MethodError,
    MethodOutputError,
    MethodRaisedError,
    MethodTimeoutError,
    ScoreResult,
    compare,
    rank_changes,
    score,
)
from cityindex.export import Export, ExportError, comparison_export, ranking_export, write_export
from cityindex.hierarchy import WeightError
from cityindex.hookspecs import hookimpl
from cityindex.messages import Message, msg
from cityindex.method import Method, MethodOutput, Parameter, ParameterError
from cityindex.plugins import (
    DuplicateMethodError,
    PluginError,
    PluginFailure,
    RegisteredMethod,
    UnknownMethodError,
    get_plugin_manager,
    get_registry,
)
from cityindex.readers import UploadLimits, read_upload
from cityindex.robustness import (
    RankBoundsResult,
    RobustnessError,
    SensitivityResult,
    UncertaintyResult,
    rank_bounds,
    sensitivity,
    uncertainty,
)


def list_methods() -> list[RegisteredMethod]:
    """Every installed scoring method with the plugin and package it came from."""
    return list(get_registry().values())


__all__ = [
    "PROVENANCE_LABELS",
    "Catalogue",
    "Comparison",
    "Dataset",
    "DatasetError",
    "DuplicateMethodError",
    "EditionData",
    "Export",
    "ExportError",
    "Message",
    "Method",
    "MethodDataError",
    "MethodError",
    "MethodOutputError",
    "MethodRaisedError",
    "MethodTimeoutError",
    "MethodOutput",
    "Parameter",
    "ParameterError",
    "PluginError",
    "PluginFailure",
    "Problem",
    "RankBoundsResult",
    "RegisteredMethod",
    "RobustnessError",
    "ScoreResult",
    "SensitivityResult",
    "UncertaintyResult",
    "UnknownEditionError",
    "UnknownMethodError",
    "WeightError",
    "UploadLimits",
    "__version__",
    "compare",
    "comparison_export",
    "dataset_from_frames",
    "default_data_dir",
    "get_plugin_manager",
    "get_registry",
    "hookimpl",
    "list_methods",
    "load_dataset",
    "msg",
    "read_upload",
    "rank_bounds",
    "ranking_export",
    "rank_changes",
    "score",
    "sensitivity",
    "uncertainty",
    "write_export",
]
