"""Entities and statements as flat records of typed values: the common ground of the non-RDF exports.

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

from collections.abc import Iterable

from . import vocab
from .model import Entity, Statement

Value = str | int | float | bool | list[str]

#: The fixed fields, in column order; typed attributes and qualifiers follow in vocab order.
NODE_FIELDS = ("id", "label", "kind", "category", "symbol", "aliases", "xrefs", "description")
EDGE_FIELDS = ("statement", "relation", "predicate", "effect", "negated", "mechanism", "domain", "context",
               "section", "citation", "evidence", "note", "structural")

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
    relation = vocab.RELATIONS[s.relation]
    record: dict[str, Value] = {
        "statement": s.id, "relation": s.relation, "predicate": relation.biolink, "effect": s.effect,
        "negated": s.negated, "mechanism": s.mechanism, "domain": list(s.domains),
        "context": list(s.contexts), "section": s.section, "citation": list(s.citations),
        "evidence": s.evidence, "note": s.note, "structural": relation.structural,
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
