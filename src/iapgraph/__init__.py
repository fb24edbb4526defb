"""iapgraph: a curated, citable knowledge graph of IAP signaling in cancer.

The public API: :func:`load` gives a :class:`KnowledgeGraph`; its methods answer (``resolve``,
``find``, ``paths``, ``neighbors``, ``explain``, ``conflicts``, ``query``, ``export``, ``viz``,
``to_rdf``, ``to_networkx``) and return the record types exported here. Every error iapgraph
raises on purpose is an :class:`IapgraphError`.

>>> import iapgraph
>>> kg = iapgraph.load()
>>> kg.resolve("ciap1")
'BIRC2'
"""

from ._version import __version__
from .exceptions import (
    CurationError,
    EndpointError,
    IapgraphError,
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
    WorkerError,
)
from .export import FORMATS, Exported, Format
from .kg import KnowledgeGraph, load
from .model import Dataset, Entity, GraphView, Origin, Statement
from .paths import Chain, Conflict, Explanation, Hop, Neighbor
from .sparql.results import Result

__all__ = [
    "FORMATS",
    "Chain",
    "Conflict",
    "CurationError",
    "Dataset",
    "EndpointError",
    "Entity",
    "Explanation",
    "Exported",
    "Format",
    "GraphView",
    "Hop",
    "IapgraphError",
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
    "UnknownEntity",
    "UnknownQuery",
    "UsageError",
    "WorkerError",
    "__version__",
    "load",
]
