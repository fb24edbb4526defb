"""The path wing: chains of statements between entities, neighbourhoods, explanations, conflicts.

Each function is handed a loaded graph (:class:`iapgraph.model.GraphView`); the facade
(:class:`iapgraph.KnowledgeGraph`) wraps them as ``kg.paths``, ``kg.neighbors``, ``kg.explain``
and ``kg.conflicts``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .chains import Chain, Explanation, Hop, explain, narrate, no_chain_hint, paths
    from .conflicts import Conflict, conflicts
    from .neighbors import Neighbor, neighbors

__all__ = ["Chain", "Conflict", "Explanation", "Hop", "Neighbor", "conflicts", "explain", "narrate",
           "neighbors", "no_chain_hint", "paths"]

#: name -> the module that defines it, imported on first use (a cold ``iapgraph path`` does not
#: import the conflict and neighbour modules)
_HOME = {"Chain": "chains", "Explanation": "chains", "Hop": "chains", "explain": "chains",
         "narrate": "chains", "no_chain_hint": "chains", "paths": "chains",
         "Conflict": "conflicts", "conflicts": "conflicts", "Neighbor": "neighbors", "neighbors": "neighbors"}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        value = getattr(import_module(f".{_HOME[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
