"""iapgraph: a curated, citable knowledge graph of IAP signaling in cancer.

>>> import iapgraph
>>> kg = iapgraph.load()
>>> kg.resolve("ciap1")
'BIRC2'
"""

__version__ = "0.1.0"

from .exceptions import CurationError, IapgraphError, Problem, UnknownEntity
from .kg import KnowledgeGraph, load

__all__ = [
    "CurationError",
    "IapgraphError",
    "KnowledgeGraph",
    "Problem",
    "UnknownEntity",
    "__version__",
    "load",
]
