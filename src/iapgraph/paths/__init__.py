"""The path wing: chains of statements between entities, neighbourhoods, explanations, conflicts.

Each function is handed a loaded graph (:class:`iapgraph.model.GraphView`); the facade
(:class:`iapgraph.KnowledgeGraph`) wraps them as ``kg.paths``, ``kg.neighbors``, ``kg.explain``
and ``kg.conflicts``.
"""

from .chains import Chain, Explanation, Hop, explain, narrate, no_chain_hint, paths
from .conflicts import Conflict, conflicts
from .neighbors import Neighbor, neighbors

__all__ = ["Chain", "Conflict", "Explanation", "Hop", "Neighbor", "conflicts", "explain", "narrate",
           "neighbors", "no_chain_hint", "paths"]
