"""The dataset as a networkx MultiDiGraph: one node per entity, one keyed edge per statement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import vocab
from .model import Dataset

if TYPE_CHECKING:
    import networkx as nx


def to_networkx(dataset: Dataset) -> nx.MultiDiGraph:
    """Nodes carry label, kind, symbol, aliases, xrefs; edges (keyed by statement id) carry
    relation, effect, mechanism, domain, context, negated, section, citation, evidence."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for e in dataset.entities.values():
        graph.add_node(e.id, label=e.label, kind=e.kind, symbol=e.symbol, aliases=list(e.aliases),
                       xrefs=list(e.xrefs), attributes=dict(e.attributes), description=e.description)
    for s in dataset.statements:
        graph.add_edge(
            s.subject, s.object, key=s.id, statement=s.id, relation=s.relation, effect=s.effect,
            mechanism=s.mechanism, domain=list(s.domains), context=list(s.contexts),
            negated=s.negated, section=s.section, citation=s.citation, evidence=s.evidence,
            qualifiers=dict(s.qualifiers), note=s.note,
            structural=vocab.RELATIONS[s.relation].structural,
        )
    return graph
