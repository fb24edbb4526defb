"""Where later layers hang their functions on KnowledgeGraph without the model importing them.

``METHODS`` maps an attribute name to ``module:function``; the function takes the graph first,
so ``kg.paths("XIAP", "CASP3")`` calls ``iapgraph.paths.paths(kg, "XIAP", "CASP3")``.
"""

from __future__ import annotations

import importlib
from functools import partial
from typing import Any

METHODS: dict[str, str] = {
    "neighbors": "iapgraph.paths:neighbors",
    "paths": "iapgraph.paths:paths",
    "explain": "iapgraph.paths:explain",
    "conflicts": "iapgraph.paths:conflicts",
    "query": "iapgraph.query:query",
    "coverage": "iapgraph.coverage:coverage",
    "export": "iapgraph.export:export",
}


def method(kg: Any, name: str) -> Any:
    """The bound layer function ``name`` for ``kg``; AttributeError when there is none."""
    target = METHODS.get(name)
    if target is None:
        raise AttributeError(f"KnowledgeGraph has no attribute {name!r}")
    module, _, func = target.partition(":")
    return partial(getattr(importlib.import_module(module), func), kg)
