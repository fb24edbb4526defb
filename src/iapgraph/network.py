"""The dataset as a networkx MultiDiGraph: one node per entity, one keyed edge per statement
(:func:`to_networkx`) or one per assertion (:func:`to_assertion_graph`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import vocab
from .assertions import assertion_id, assertions, direct_text
from .model import Dataset, Entity

if TYPE_CHECKING:
    import networkx as nx


def to_networkx(dataset: Dataset, hierarchy: bool = False) -> nx.MultiDiGraph:
    """Nodes carry label, kind, symbol, aliases, xrefs; edges (keyed by statement id) carry
    relation, effect, mechanism, domain, context, negated, section, citation, evidence, and the
    epistemics: hedged (bool), direct ('yes', 'no' or '' for not stated) and the assertion id.

    ``hierarchy`` adds the ontology links too (see :func:`add_hierarchy`)."""
    graph = _nodes(dataset.entities.values())
    for s in dataset.statements:
        graph.add_edge(
            s.subject, s.object, key=s.id, statement=s.id, relation=s.relation, effect=s.effect,
            mechanism=s.mechanism, domain=list(s.domains), context=list(s.contexts),
            negated=s.negated, section=s.section, citation=s.citation, evidence=s.evidence,
            qualifiers=dict(s.qualifiers), note=s.note,
            structural=vocab.RELATIONS[s.relation].structural,
            hedged=s.hedged, direct=direct_text(s.direct), assertion=assertion_id(s),
        )
    if hierarchy:
        add_hierarchy(graph, dataset)
    return graph


def _nodes(entities: Iterable[Entity]) -> nx.MultiDiGraph:
    import networkx as nx

    graph = nx.MultiDiGraph()
    for e in entities:
        graph.add_node(e.id, label=e.label, kind=e.kind, symbol=e.symbol, aliases=list(e.aliases),
                       xrefs=list(e.xrefs), attributes=dict(e.attributes), description=e.description)
    return graph


def to_assertion_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """One node per entity (as :func:`to_networkx`) and one edge per assertion, keyed by its id:
    relation, effect, negated, context, hedged (every line hedged), direct, evidence_count, the
    statement ids (``statements``), citations, and ``evidence``: one dict per curated row (statement,
    quote, citation, section, hedged, direct, summarises)."""
    graph = _nodes(dataset.entities.values())
    for a in assertions(dataset):
        graph.add_edge(
            a.subject, a.object, key=a.id, assertion=a.id, relation=a.relation, effect=a.effect,
            negated=a.negated, context=list(a.contexts), qualifiers=dict(a.qualifiers),
            hedged=a.hedged, direct=direct_text(a.direct), evidence_count=len(a.evidence),
            statements=list(a.statements), citation=list(a.citations),
            evidence=[{"statement": e.statement, "evidence": e.evidence, "citation": list(e.citations),
                       "section": e.section, "hedged": e.hedged, "direct": direct_text(e.direct),
                       "summarises": list(e.summarises)} for e in a.evidence],
            structural=vocab.RELATIONS[a.relation].structural,
        )
    return graph


def add_hierarchy(graph: nx.MultiDiGraph, dataset: Dataset) -> None:
    """One edge per ontology link, child -> parent, keyed by the link id (``NSCLC/is_a/lung_carcinoma``),
    with ``relation`` is_a or part_of and ``source`` the ontology (``MONDO 2026-05``); a statement
    edge has no ``source``, so ``data.get("source")`` tells the two apart."""
    for link in dataset.hierarchy:
        graph.add_edge(link.child, link.parent, key=link.id, relation=link.relation, source=link.source,
                       child_term=link.child_term, parent_term=link.parent_term, note=link.note,
                       effect="unknown", negated=False, structural=True)
