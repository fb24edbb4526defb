"""iapgraph: a curated, citable knowledge graph of IAP signaling in cancer.

The public API: :func:`load` gives a :class:`KnowledgeGraph`; its methods answer (``resolve``,
``find``, ``assertions``, ``paths``, ``neighbors``, ``explain``, ``conflicts``, ``query``, ``export``, ``viz``,
``to_rdf``, ``to_networkx``) and return the record types exported here. Every error iapgraph
raises on purpose is an :class:`IapgraphError`.

>>> import iapgraph
>>> kg = iapgraph.load()
>>> kg.resolve("ciap1")
'BIRC2'
"""

import gc as _gc
from typing import TYPE_CHECKING, Any

#: Importing makes tens of thousands of long-lived objects and no garbage: the collector, left on,
#: would walk them again and again (a few milliseconds of a cold ``iapgraph path``). It is off
#: while these imports run and back as it was after them.
_collecting = _gc.isenabled()
_gc.disable()
try:  # a Ctrl-C during these imports ends the iapgraph command with one line, not a traceback
    from ._version import __version__
    from .exceptions import (
        CurationError,
        EndpointError,
        IapgraphError,
        IapgraphWarning,
        OutputError,
        Problem,
        QuerySyntaxError,
        QueryTimeout,
        ReadOnlyError,
        RefusedQuery,
        ServiceRefused,
        ShaclError,
        UnknownEntity,
        UnknownQuery,
        UsageError,
        ViaCapWarning,
        WorkerCrashed,
        WorkerError,
    )
    from .kg import KnowledgeGraph, diff, load
    from .model import Dataset, Entity, GraphView, Origin, Statement, SubclassLink
except KeyboardInterrupt:
    from .exceptions import interrupted_while_importing

    interrupted_while_importing()
    raise
finally:
    if _collecting:
        _gc.enable()
    del _collecting

if TYPE_CHECKING:
    from .assertions import Assertion, Evidence
    from .export import FORMATS, Exported, Format
    from .paths import Chain, Conflict, Explanation, Hop, Neighbor
    from .sparql.results import Result
    from .trials import Trial, TrialTarget

#: The record types the wings return, imported on first use so that ``iapgraph resolve`` does not
#: pay for the path search, the export registry and the SPARQL results module at start-up.
#: They are named in ``__all__``, listed by ``dir(iapgraph)`` and typed above for checkers.
_LAZY = {
    "FORMATS": "iapgraph.export", "Exported": "iapgraph.export", "Format": "iapgraph.export",
    "Chain": "iapgraph.paths", "Conflict": "iapgraph.paths", "Explanation": "iapgraph.paths",
    "Hop": "iapgraph.paths", "Neighbor": "iapgraph.paths", "Result": "iapgraph.sparql.results",
    "Assertion": "iapgraph.assertions", "Evidence": "iapgraph.assertions",
    "Trial": "iapgraph.trials", "TrialTarget": "iapgraph.trials",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'iapgraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

__all__ = [
    "FORMATS",
    "Assertion",
    "Chain",
    "Conflict",
    "CurationError",
    "Dataset",
    "EndpointError",
    "Entity",
    "Evidence",
    "Explanation",
    "Exported",
    "Format",
    "GraphView",
    "Hop",
    "IapgraphError",
    "IapgraphWarning",
    "KnowledgeGraph",
    "Neighbor",
    "Origin",
    "OutputError",
    "Problem",
    "QuerySyntaxError",
    "QueryTimeout",
    "ReadOnlyError",
    "RefusedQuery",
    "Result",
    "ServiceRefused",
    "ShaclError",
    "Statement",
    "SubclassLink",
    "Trial",
    "TrialTarget",
    "UnknownEntity",
    "UnknownQuery",
    "UsageError",
    "ViaCapWarning",
    "WorkerCrashed",
    "WorkerError",
    "__version__",
    "diff",
    "load",
]
