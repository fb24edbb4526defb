"""The dataset as a networkx MultiDiGraph: one node per entity, one keyed edge per statement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import vocab
from .model import Dataset

if TYPE_CHECKING:
    import networkx as nx


def to_networkx(dataset: Dataset, hierarchy: bool = False) -> nx.MultiDiGraph:
    """Nodes carry label, kind, symbol, aliases, xrefs; edges (keyed by statement id) carry
    relation, effect, mechanism, domain, context, negated, section, citation, evidence.

    ``hierarchy`` adds the ontology links too (see :func:`add_hierarchy`)."""
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
    if hierarchy:
        add_hierarchy(graph, dataset)
    return graph


def add_hierarchy(graph: nx.MultiDiGraph, dataset: Dataset) -> None:
    """One edge per ontology link, child -> parent, keyed by the link id (``NSCLC/is_a/lung_carcinoma``),
    with ``relation`` is_a or part_of and ``source`` the ontology (``MONDO 2026-05``); a statement
    edge has no ``source``, so ``data.get("source")`` tells the two apart."""
    for link in dataset.hierarchy:
        graph.add_edge(link.child, link.parent, key=link.id, relation=link.relation, source=link.source,
                       child_term=link.child_term, parent_term=link.parent_term, note=link.note,
                       effect="unknown", negated=False, structural=True)
