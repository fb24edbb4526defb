"""The path wing: chains of statements between entities, neighbourhoods, explanations, conflicts.

Each function is handed a loaded graph (:class:`iapgraph.model.GraphView`); the facade
(:class:`iapgraph.KnowledgeGraph`) wraps them as ``kg.paths``, ``kg.neighbors``, ``kg.explain``
and ``kg.conflicts``.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .chains import Chain, Explanation, Hop, explain, narrate, no_chain_hint, paths
    from .disagreements import Conflict, conflicts
    from .neighbourhood import Neighbor, neighbors

#: Imported on first use, so that a cold ``iapgraph path`` does not pay for neighbourhoods and
#: conflicts, nor ``iapgraph neighbors`` for chains (nor for their record classes: a dataclass
#: costs about half a millisecond to create). Their modules are named apart from the functions
#: (``neighbourhood``, ``disagreements``, ``chains``): importing a submodule sets the package
#: attribute of its name, which would hide a lazily exported function of the same name.
_LAZY = {"Conflict": "disagreements", "conflicts": "disagreements", "Neighbor": "neighbourhood",
         "neighbors": "neighbourhood", "Chain": "chains", "Explanation": "chains", "Hop": "chains",
         "explain": "chains", "narrate": "chains", "no_chain_hint": "chains", "paths": "chains"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["Chain", "Conflict", "Explanation", "Hop", "Neighbor", "conflicts", "explain", "narrate",
           "neighbors", "no_chain_hint", "paths"]
