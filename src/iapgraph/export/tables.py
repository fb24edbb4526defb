"""Table exports: KGX (nodes/edges TSV, Biolink) and Neo4j (CSV for ``neo4j-admin database import``).

Both write two files from one ``-o``: a prefix (``-o build/iapgraph`` gives
``build/iapgraph_nodes.tsv`` and ``build/iapgraph_edges.tsv``, kgx's own naming), or, when ``-o``
is an existing folder, ``nodes.tsv`` and ``edges.tsv`` inside it. Both files are written to
temporary names first and moved into place together, so a failed write leaves the old pair.

KGX node ids are standard CURIEs: a grounded entity's preferred registry id in the Biolink Model's
prefix spelling (``HGNC:592`` for XIAP, ``CHEBI:231614``, ``MONDO:0005233``; see
:mod:`iapgraph.grounding`), and ``iapgraph:ID`` only for an entity no registry has (the prefix is
registered in :data:`KGX_PREFIX_MAP`). ``xref`` lists every identifier of the entity in the same
spelling, and ``iapgraph:ID``, the project's own id. Edge ids stay ``stmt:s2.1-001``. The ontology
links (graph/hierarchy/) follow the statements as ``biolink:subclass_of`` / ``biolink:part_of`` edges
(``link:NSCLC/is_a/lung_carcinoma``) whose ``source`` column names the ontology and release. A negated statement keeps its row
with Biolink's ``negated`` set. Neo4j nodes carry the labels ``Entity`` and their kind's class
(``Protein``) and the review's label as ``name``, relationships the relation in upper case
(``UBIQUITINATES``); lists use '|', so import with ``--array-delimiter="|"``. Neo4j's ``id:ID`` is
the same standard CURIE, and ``entity`` keeps the project's id.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

from .. import vocab
from ..grounding import BIOLINK_PREFIX, PROJECT_PREFIX, biolink_curie, curie_map
from ..model import Dataset, SubclassLink
from ..outputs import write_all
from ..records import (
    EDGE_FIELDS,
    NODE_FIELDS,
    Value,
    columns,
    edge_record,
    joined,
    node_record,
)

Row = dict[str, "str | int | float | bool"]


def table_paths(output: Path, names: Sequence[str], suffix: str) -> list[Path]:
    """``FOLDER/name.suffix`` when ``output`` is a folder, else ``PREFIX_name.suffix``."""
    if output.is_dir():
        return [output / f"{name}{suffix}" for name in names]
    return [output.with_name(f"{output.name}_{name}{suffix}") for name in names]


def _write_tables(paths: Sequence[Path], tables: Sequence[tuple[list[str], list[Row]]],
                  dialect: str) -> None:
    """Write every table to a temporary file, then move them all into place (outputs.write_all)."""

    def writer(header: list[str], rows: list[Row]) -> Callable[[Path], None]:
        def write(tmp: Path) -> None:
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                out = csv.DictWriter(fh, header, dialect=dialect, extrasaction="raise")
                out.writeheader()
                out.writerows(rows)

        return write

    write_all({path: writer(*table) for path, table in zip(paths, tables, strict=True)})


# --- KGX ---------------------------------------------------------------------------------------

#: Record field -> KGX column (Biolink slot where one fits; the rest keep the project's names).
KGX_NODE_COLUMNS = {"id": "id", "category": "category", "label": "name", "symbol": "symbol",
                    "aliases": "synonym", "xrefs": "xref", "description": "description", "kind": "kind"}
KGX_EDGE_COLUMNS = ("id", "subject", "predicate", "object", "category", "original_predicate", "negated",
                    "knowledge_level", "agent_type", "supporting_text", "effect", "mechanism", "domain",
                    "context", "section", "citation", "note", "hedged", "direct", "assertion")
#: Every edge is a curated assertion of the review, read by a person (Biolink's enum values).
KNOWLEDGE_LEVEL = "knowledge_assertion"
AGENT_TYPE = "manual_agent"


#: The prefixes the KGX files use: the Biolink spelling of every registry (as bioregistry.io
#: resolves them), the project's ``iapgraph`` for entities no registry has, and ``stmt`` / ``iap``
#: for the statement ids and original predicates.
KGX_PREFIX_MAP = {
    **{BIOLINK_PREFIX.get(p.prefix, p.prefix): p.uri_prefix for p in vocab.PREFIXES.values()},
    PROJECT_PREFIX: vocab.ENTITY_NS, "stmt": vocab.STATEMENT_NS, "iap": vocab.VOCAB_NS,
    "link": vocab.BASE + "link/", "rdfs": vocab.STANDARD_PREFIXES["rdfs"], "BFO": "http://purl.obolibrary.org/obo/BFO_",
    "biolink": vocab.STANDARD_PREFIXES["biolink"],
}


def _curie(prefix: str, local: str) -> str:
    return f"{prefix}:{local}"


def _kgx_value(value: Value) -> str | int | float:
    if isinstance(value, bool):
        return str(value)  # "True" / "False", as kgx itself writes booleans
    return joined(value)


def kgx_tables(dataset: Dataset) -> tuple[tuple[list[str], list[Row]], tuple[list[str], list[Row]]]:
    """(header, rows) for the nodes and the edges file."""
    ids = curie_map(dataset.entities)
    node_records = [node_record(e) for e in dataset.entities.values()]
    node_header = columns(node_records, tuple(KGX_NODE_COLUMNS.values()), vocab.ENTITY_ATTRIBUTES)
    nodes: list[Row] = []
    for e, record in zip(dataset.entities.values(), node_records, strict=True):
        record["id"] = ids[e.id]
        own = _curie(PROJECT_PREFIX, e.id)
        record["xrefs"] = [biolink_curie(x) for x in e.xrefs] + ([own] if own != ids[e.id] else [])
        nodes.append({KGX_NODE_COLUMNS.get(k, k): _kgx_value(v) for k, v in record.items() if v != []})

    edge_records = [(s, edge_record(s)) for s in dataset.statements]
    edge_header = columns((r for _, r in edge_records), KGX_EDGE_COLUMNS, vocab.QUALIFIERS)
    edges: list[Row] = []
    for s, record in edge_records:
        row: dict[str, Value] = {
            "id": _curie("stmt", s.id), "subject": ids[s.subject],
            "predicate": record.pop("predicate"), "object": ids[s.object],
            "category": "biolink:Association", "original_predicate": _curie("iap", s.relation),
            "knowledge_level": KNOWLEDGE_LEVEL, "agent_type": AGENT_TYPE,
            "supporting_text": record.pop("evidence"),
        }
        for key in ("statement", "relation", "structural"):
            record.pop(key)
        for key in ("domain", "context"):
            if key in record:
                record[key] = [ids[v] for v in record[key]]  # type: ignore[union-attr]
        row.update(record)
        edges.append({k: _kgx_value(v) for k, v in row.items()})
    if dataset.hierarchy:  # the ontology links, told apart by their `source` (export --no-ontology drops them)
        edge_header = [*edge_header, "source"]
        edges += [_kgx_link(link, ids) for link in dataset.hierarchy]
    return (node_header, nodes), (edge_header, edges)


#: The Biolink predicate and the original (ontology) predicate of each hierarchy relation.
_LINK_PREDICATES = {"is_a": ("biolink:subclass_of", "rdfs:subClassOf"),
                    "part_of": ("biolink:part_of", "BFO:0000050")}


def _kgx_link(link: SubclassLink, ids: dict[str, str]) -> Row:
    """An ontology link as a KGX edge: ``source`` names the ontology and release (MONDO 2026-05);
    a statement of the review has no ``source`` and has a ``supporting_text`` instead."""
    predicate, original = _LINK_PREDICATES[link.relation]
    return {"id": _curie("link", link.id), "subject": ids[link.child], "predicate": predicate,
            "object": ids[link.parent], "category": "biolink:Association", "original_predicate": original,
            "negated": "False", "knowledge_level": KNOWLEDGE_LEVEL, "agent_type": AGENT_TYPE,
            "source": link.source}


def write_kgx(dataset: Dataset, nodes: Path, edges: Path) -> dict[str, int]:
    """KGX TSV: the nodes and the edges file."""
    tables = kgx_tables(dataset)
    _write_tables((nodes, edges), tables, "excel-tab")
    return {"nodes": len(tables[0][1]), "edges": len(tables[1][1])}


# --- Neo4j -------------------------------------------------------------------------------------

_NEO4J_TYPES = {"integer": "int", "decimal": "double", "string": ""}
_LISTS = {"aliases", "xrefs", "domain", "context", "citation"}
_BOOLEANS = {"negated", "structural", "hedged"}


def _neo4j_header(fields: list[str], typed: dict[str, vocab.Qualifier]) -> list[str]:
    header = []
    for field in fields:
        if field in _LISTS:
            header.append(f"{field}:string[]")
        elif field in _BOOLEANS:
            header.append(f"{field}:boolean")
        elif field in typed and _NEO4J_TYPES[typed[field].datatype]:
            header.append(f"{field}:{_NEO4J_TYPES[typed[field].datatype]}")
        else:
            header.append(field)
    return header


def _neo4j_value(value: Value) -> str | int | float:
    if isinstance(value, bool):
        return "true" if value else "false"
    return joined(value)


def neo4j_tables(dataset: Dataset) -> tuple[tuple[list[str], list[Row]], tuple[list[str], list[Row]]]:
    """(header, rows) for the nodes and the relationships file, with neo4j-admin header types."""
    ids = curie_map(dataset.entities)
    node_records = [node_record(e) for e in dataset.entities.values()]
    fields = columns(node_records, NODE_FIELDS, vocab.ENTITY_ATTRIBUTES)[1:]
    node_header = ["id:ID", ":LABEL", *_neo4j_header(fields, vocab.ENTITY_ATTRIBUTES)]
    rename = dict(zip(fields, node_header[2:], strict=True))
    rename["label"] = node_header[2] = "name"  # Neo4j Browser captions a node by its name
    node_header.append("entity")  # the project's id; id:ID is the standard CURIE
    nodes: list[Row] = []
    for record in node_records:
        entity_id = str(record.pop("id"))
        row: Row = {"id:ID": ids[entity_id],
                    ":LABEL": f"Entity|{vocab.KINDS[str(record['kind'])].rdf_class}"}
        row.update({rename[k]: _neo4j_value(v) for k, v in record.items()})
        row["entity"] = entity_id
        nodes.append(row)

    edge_records = [(s, edge_record(s)) for s in dataset.statements]
    fields = columns((r for _, r in edge_records), EDGE_FIELDS, vocab.QUALIFIERS)
    edge_header = [":START_ID", ":END_ID", ":TYPE", *_neo4j_header(fields, vocab.QUALIFIERS)]
    rename = dict(zip(fields, edge_header[3:], strict=True))
    edges: list[Row] = []
    for s, record in edge_records:
        row = {":START_ID": ids[s.subject], ":END_ID": ids[s.object], ":TYPE": s.relation.upper()}
        row.update({rename[k]: _neo4j_value(v) for k, v in record.items()})
        edges.append(row)
    return (node_header, nodes), (edge_header, edges)


def write_neo4j(dataset: Dataset, nodes: Path, relationships: Path) -> dict[str, int]:
    """Neo4j CSV: the nodes and the relationships file."""
    tables = neo4j_tables(dataset)
    _write_tables((nodes, relationships), tables, "excel")
    return {"nodes": len(tables[0][1]), "edges": len(tables[1][1])}
