"""Entities and statements as plain records, in one place for every consumer.

- :func:`statement_record`: a statement with labels beside ids, as the path commands print it as JSON.
- :func:`node_record` / :func:`edge_record`: Entities and statements as flat records of typed values: the common ground of the non-RDF exports.

Hedged statements stay in every record, marked (``hedged`` true), with ``direct`` (yes / no; left out
when the text does not say) and the id of the ``assertion`` they are evidence for.

GraphML, CX2, KGX and Neo4j each have their own column names and list conventions; they all start
from these records, so a field added here reaches every format. Qualifiers and entity attributes
become their own typed fields (``hazard_ratio`` a float, ``patients`` an int), so a table in
Cytoscape or a Cypher query can filter on them. Empty values are left out: missing means not stated.

>>> import iapgraph
>>> kg = iapgraph.load()
>>> edge_record(kg.find("cIAP1", "ubiquitinates", "NIK")[0])["citation"]
['Zarnegar, et al., 2008']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import vocab
from .model import Entity, Statement


def cited(s: Statement) -> list[str]:
    """The studies a statement cites (not the review speaking on its own authority)."""
    return [c for c in s.citations if c != vocab.REVIEW_CITATION]


def statement_record(s: Statement, entities: Mapping[str, Entity]) -> dict[str, Any]:
    """A statement as plain data; domains and contexts as labels, their ids beside them."""
    from .assertions import assertion_id, direct_text  # on use: a cold lookup does not need it

    def label(eid: str) -> str:
        return entities[eid].label if eid in entities else eid

    return {
        "id": s.id, "subject": s.subject, "subject_label": label(s.subject),
        "relation": s.relation, "object": s.object, "object_label": label(s.object),
        "effect": s.effect, "mechanism": s.mechanism, "negated": s.negated,
        "domain": [label(d) for d in s.domains], "domain_ids": list(s.domains),
        "context": [label(c) for c in s.contexts], "context_ids": list(s.contexts),
        "section": s.section, "citation": s.citation, "evidence": s.evidence,
        "qualifiers": dict(s.qualifiers), "note": s.note,
        "hedged": s.hedged, "direct": direct_text(s.direct), "assertion": assertion_id(s),
    }

Value = str | int | float | bool | list[str]

#: The fixed fields, in column order; typed attributes and qualifiers follow in vocab order.
NODE_FIELDS = ("id", "label", "kind", "category", "symbol", "aliases", "xrefs", "description")
EDGE_FIELDS = ("statement", "relation", "predicate", "effect", "negated", "mechanism", "domain", "context",
               "section", "citation", "evidence", "note", "structural", "hedged", "direct", "assertion")

_CASTS = {"integer": int, "decimal": float, "string": str}


def _typed(table: dict[str, vocab.Qualifier], values: Iterable[tuple[str, str]]) -> dict[str, Value]:
    return {key: _CASTS[table[key].datatype](value) for key, value in values}


def _present(record: dict[str, Value]) -> dict[str, Value]:
    return {k: v for k, v in record.items() if v != "" and v != []}


def node_record(e: Entity) -> dict[str, Value]:
    """An entity: id, review label, kind, Biolink category, identifiers, typed attributes."""
    record: dict[str, Value] = {
        "id": e.id, "label": e.label, "kind": e.kind, "category": vocab.KINDS[e.kind].biolink,
        "symbol": e.symbol, "aliases": list(e.aliases), "xrefs": list(e.xrefs), "description": e.description,
    }
    record.update(_typed(vocab.ENTITY_ATTRIBUTES, e.attributes.items()))
    return _present(record)


def edge_record(s: Statement) -> dict[str, Value]:
    """A statement without its ends: relation and Biolink predicate, sign, negation, provenance."""
    from .assertions import assertion_id, direct_text  # on use: a cold lookup does not need it

    relation = vocab.RELATIONS[s.relation]
    record: dict[str, Value] = {
        "statement": s.id, "relation": s.relation, "predicate": relation.biolink, "effect": s.effect,
        "negated": s.negated, "mechanism": s.mechanism, "domain": list(s.domains),
        "context": list(s.contexts), "section": s.section, "citation": list(s.citations),
        "evidence": s.evidence, "note": s.note, "structural": relation.structural,
        "hedged": s.hedged, "direct": direct_text(s.direct), "assertion": assertion_id(s),
    }
    record.update(_typed(vocab.QUALIFIERS, s.qualifiers.items()))
    return _present(record)


def columns(records: Iterable[dict[str, Value]], fixed: tuple[str, ...],
            typed: dict[str, vocab.Qualifier]) -> list[str]:
    """The fixed fields, then every typed field some record has, in the vocabulary's order."""
    seen = {key for record in records for key in record}
    return [*fixed, *(key for key in typed if key in seen)]


def joined(value: Value) -> str | int | float | bool:
    """A scalar for formats without lists: several values joined by '|' as in the curated TSVs."""
    return vocab.MULTI_SEP.join(value) if isinstance(value, list) else value
