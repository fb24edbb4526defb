"""Turn rows into records and check them all, collecting every problem instead of stopping at one.

Each problem names the file, line and field, and where a name is unknown, the closest known ones.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import vocab
from .cycles import find_cycles
from .exceptions import CurationError, Problem, did_you_mean
from .load import Row, default_graph_dir, read_folders
from .model import Dataset, Entity, Origin, Statement
from .resolve import NameIndex

if TYPE_CHECKING:
    import curies

_TRUE = {"true", "yes", "1", "not"}
_FALSE = {"", "false", "no", "0"}
#: The epistemics columns (optional in the header): hedged true or blank, direct yes, no or blank.
HEDGED_VALUES = {"true": True, "false": False, "": False}
DIRECT_VALUES: dict[str, bool | None] = {"yes": True, "no": False, "": None}


@lru_cache(maxsize=1)
def curie_converter() -> curies.Converter:  # imported lazily: it costs ~0.15 s
    """The CURIE converter for the registries iapgraph accepts, with their id patterns."""
    import curies

    return curies.Converter(
        [curies.Record(prefix=p.prefix, uri_prefix=p.uri_prefix, pattern=p.pattern)
         for p in vocab.PREFIXES.values()]
    )


def split_multi(value: str) -> tuple[str, ...]:
    """'a | b|' -> ('a', 'b').

    >>> split_multi(" a | b|"), split_multi(" c "), split_multi(" ")
    (('a', 'b'), ('c',), ())
    """
    if vocab.MULTI_SEP not in value:  # most cells hold one value
        single = value.strip()
        return (single,) if single else ()
    return tuple(v.strip() for v in value.split(vocab.MULTI_SEP) if v.strip())


def check_curie(curie: str) -> str | None:
    """Why a CURIE is not acceptable, or None when it is.

    >>> check_curie("uniprot:Q13490") is None
    True
    >>> check_curie("uniprot:Q1349")
    "'Q1349' does not match the UniProtKB pattern ^([OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2})$"
    """
    if ":" not in curie:
        return "not a CURIE (prefix:identifier)"
    prefix, local = curie.split(":", 1)
    record = curie_converter().get_record(prefix)
    if record is None:
        return f"unknown prefix {prefix!r}{did_you_mean(prefix, vocab.PREFIXES)}; known: {', '.join(vocab.PREFIXES)}"
    if not local or not re.match(record.pattern or ".", local):
        return f"{local!r} does not match the {vocab.PREFIXES[prefix].name} pattern {record.pattern}"
    return None


def parse_pairs(value: str, schema: Mapping[str, vocab.Qualifier], row: Row, column: str,
                problems: list[Problem]) -> dict[str, str]:
    """'key=value|key=value' with known keys and values of the key's type."""
    pairs: dict[str, str] = {}
    for item in split_multi(value):
        key, sep, val = item.partition("=")
        key, val = key.strip(), val.strip()
        if not sep or not vocab.QUALIFIER_KEY_RE.match(key) or not val:
            problems.append(Problem(row.file, row.line, column,
                                    f"{item!r} is not key=value", "bad-value"))
            continue
        if key not in schema:
            problems.append(Problem(row.file, row.line, column,
                                    f"unknown key {key!r}{did_you_mean(key, schema)}", "unknown-key"))
            continue
        kind = schema[key].datatype
        if kind in _LEXICAL and not _LEXICAL[kind].match(val):
            problems.append(Problem(row.file, row.line, column,
                                    f"{key}={val!r} is not {'an' if kind == 'integer' else 'a'} {kind}", "bad-value"))
            continue
        if key in pairs:
            problems.append(Problem(row.file, row.line, column, f"key {key!r} given twice",
                                    "bad-value"))
        pairs[key] = val
    return pairs


#: XML Schema lexical forms: Python's int() and Decimal() also take "1_000", "NaN" and "Infinity",
#: which are not xsd:integer or xsd:decimal literals.
_LEXICAL = {"integer": re.compile(r"^[+-]?[0-9]+$"),
            "decimal": re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")}


def build_entities(rows: Iterable[Row], problems: list[Problem]) -> dict[str, Entity]:
    """Entities by id; each bad cell becomes a problem, a duplicate id points at the first one."""
    entities: dict[str, Entity] = {}
    for row in rows:
        c = row.cells
        before = len(problems)

        def bad(column: str, message: str, code: str = "bad-value", row: Row = row) -> None:
            problems.append(Problem(row.file, row.line, column, message, code))

        if not vocab.ENTITY_ID_RE.match(c["id"]):
            bad("id", f"{c['id']!r} is not a valid id (letters, digits, . _ - +)")
        if c["kind"] not in vocab.KINDS:
            bad("kind", f"unknown kind {c['kind']!r}{did_you_mean(c['kind'], vocab.KINDS)}", "unknown-kind")
        if not c["label"]:
            bad("label", "empty label", "missing")
        elif not any(ch.isalnum() for ch in c["label"]):
            bad("label", f"{c['label']!r} has no letter or digit, so no name could find it")
        xrefs = split_multi(c["xrefs"])
        for xref in xrefs:
            why = check_curie(xref)
            if why:
                bad("xrefs", f"{xref}: {why}", "bad-curie")
        attributes = parse_pairs(c["attributes"], vocab.ENTITY_ATTRIBUTES, row, "attributes", problems)
        if c["id"] in entities:
            first = entities[c["id"]].origin
            bad("id", f"duplicate entity id {c['id']!r} (first defined at {first})", "duplicate-id")
            continue
        if len(problems) > before and not vocab.ENTITY_ID_RE.match(c["id"]):
            continue
        entities[c["id"]] = Entity(
            id=c["id"], kind=c["kind"], label=c["label"], symbol=c["symbol"],
            aliases=split_multi(c["aliases"]), xrefs=xrefs, attributes=attributes,
            description=c["description"], origin=Origin(row.file, row.line),
        )
    return entities


def build_statements(rows: Iterable[Row], entities: Mapping[str, Entity],
                     problems: list[Problem]) -> list[Statement]:
    """Statements whose every cell checks out; the rest become problems."""
    suggestions: list[NameIndex] = []  # built on the first unknown name only (it costs ~1 s at 10^5)
    statements: list[Statement] = []
    seen_ids: dict[str, Origin] = {}
    seen_claims: dict[tuple, Origin] = {}
    for row in rows:
        c = row.cells
        before = len(problems)

        def bad(column: str, message: str, code: str = "bad-value", row: Row = row) -> None:
            problems.append(Problem(row.file, row.line, column, message, code))

        def known(column: str, name: str, kinds: tuple[str, ...] = ()) -> None:
            if name not in entities:
                if not suggestions:
                    suggestions.append(NameIndex(entities.values()))
                hint = suggestions[0].suggest(name, 3)
                bad(column, f"unknown entity {name!r}"
                    + (f"; did you mean: {', '.join(hint)}?" if hint else ""), "unknown-entity")
            elif kinds and entities[name].kind not in kinds:
                bad(column, f"{name!r} is a {entities[name].kind}, expected {' or '.join(kinds)}")

        sid = c["id"]
        if not vocab.STATEMENT_ID_RE.match(sid):
            bad("id", f"{sid!r} is not a valid statement id (lower-case letters, digits, . _ -)")
        elif sid in seen_ids:
            bad("id", f"duplicate statement id {sid!r} (first at {seen_ids[sid]})", "duplicate-id")
        for column in ("subject", "object"):
            if not c[column]:
                bad(column, "empty", "missing")
            else:
                known(column, c[column])
        relation = vocab.RELATIONS.get(c["relation"])
        if relation is None:
            bad("relation", f"unknown relation {c['relation']!r}{did_you_mean(c['relation'], vocab.RELATIONS)}",
                "unknown-relation")
        effect = c["effect"] or (relation.default_effect if relation else "unknown")
        if effect not in vocab.EFFECTS:
            bad("effect", f"{effect!r} is not one of {', '.join(vocab.EFFECTS)}")
        if c["mechanism"] and c["mechanism"] not in vocab.MECHANISMS:
            bad("mechanism", f"unknown mechanism {c['mechanism']!r}{did_you_mean(c['mechanism'], vocab.MECHANISMS)}")
        domains = split_multi(c["domain"])
        for domain in domains:
            known("domain", domain, ("domain", "domain_type", "motif"))
        contexts = split_multi(c["context"])
        for context in contexts:
            known("context", context)
        negated_text = c["negated"].lower()
        if negated_text not in _TRUE | _FALSE:
            bad("negated", f"{c['negated']!r} is not true or false")
        if c["section"] not in vocab.SECTIONS:
            bad("section", f"unknown section {c['section']!r}; known: {', '.join(vocab.SECTIONS)}")
        citations = split_multi(c["citation"])
        if not citations:
            bad("citation", f"missing: give the study the review cites, or {vocab.REVIEW_CITATION!r}",
                "missing-citation")
        evidence = " ".join(c["evidence"].split())
        if not evidence:
            bad("evidence", "missing quote: give the review's sentence verbatim", "missing-evidence")
        elif len(evidence) < 12 or not re.search(r"[A-Za-z]{3}", evidence):
            bad("evidence", f"{evidence!r} is too short to be a quote from the review", "bad-evidence")
        qualifiers = parse_pairs(c["qualifiers"], vocab.QUALIFIERS, row, "qualifiers", problems)
        hedged_text, direct_text = c.get("hedged", "").lower(), c.get("direct", "").lower()
        if hedged_text not in HEDGED_VALUES:
            bad("hedged", f"{c['hedged']!r} is not true or blank (the quote hedges the claim: may, "
                "could, suggest ...)")
        if direct_text not in DIRECT_VALUES:
            bad("direct", f"{c['direct']!r} is not yes, no or blank (blank: the text does not say)")
        if len(problems) > before:
            continue
        claim = (c["subject"], c["relation"], c["object"], negated_text in _TRUE, contexts,
                 tuple(sorted(qualifiers.items())), evidence)
        if claim in seen_claims:
            bad("id", f"duplicate statement: same claim and quote as {seen_claims[claim]}",
                "duplicate-statement")
            continue
        origin = Origin(row.file, row.line)
        seen_ids[sid] = origin
        seen_claims[claim] = origin
        statements.append(Statement(
            id=sid, subject=c["subject"], relation=c["relation"], object=c["object"], effect=effect,
            mechanism=c["mechanism"], domains=domains, contexts=contexts,
            negated=negated_text in _TRUE, section=c["section"], citations=citations,
            evidence=evidence, qualifiers=qualifiers, note=c["note"],
            hedged=HEDGED_VALUES[hedged_text], direct=DIRECT_VALUES[direct_text], origin=origin,
        ))
    return statements


def check_structure(entities: Mapping[str, Entity], statements: list[Statement],
                    problems: list[Problem]) -> None:
    """Graph-level rules: every per-protein domain has one owner; part_of has no cycle."""
    owners: dict[str, list[Statement]] = {}
    for s in statements:
        if s.relation == "has_domain" and not s.negated:
            owners.setdefault(s.object, []).append(s)
    for entity in entities.values():
        if entity.kind == "domain":
            found = owners.get(entity.id, [])
            if len({s.subject for s in found}) != 1:
                origin = entity.origin or Origin("?", 0)
                what = "no has_domain statement names its protein" if not found else \
                    f"owned by several proteins: {', '.join(sorted({s.subject for s in found}))}"
                problems.append(Problem(origin.file, origin.line, "id",
                                        f"domain {entity.id!r}: {what}", "domain-owner"))
    parents: dict[str, list[Statement]] = {}
    for s in statements:
        if s.relation == "part_of" and not s.negated:
            parents.setdefault(s.subject, []).append(s)
    for cycle in find_cycles(parents, lambda s: s.subject, lambda s: s.object):
        edge = cycle[-1]
        origin = edge.origin or Origin("?", 0)
        problems.append(Problem(origin.file, origin.line, "object",
                                "part_of cycle: " + " -> ".join([*(t.subject for t in cycle), edge.object]),
                                "cycle"))


def check_domains(entities: Mapping[str, Entity], statements: list[Statement],
                  problems: list[Problem]) -> None:
    """A per-protein domain that mediates a statement belongs to its subject or its object, or to a
    member of either ("monovalent SMAC mimetics bind the BIR3 domain of IAPs": the BIR3s of XIAP,
    cIAP1 and cIAP2, members of the IAP family)."""
    owner = {s.object: s.subject for s in statements if s.relation == "has_domain" and not s.negated}
    members = {(s.subject, s.object) for s in statements if s.relation == "has_member" and not s.negated}
    members |= {(s.object, s.subject) for s in statements
                if s.relation in ("member_of", "instance_of") and not s.negated}
    for s in statements:
        for domain in s.domains:
            entity = entities.get(domain)
            if entity is None or entity.kind != "domain" or domain not in owner:
                continue
            ends = (s.subject, s.object)
            if owner[domain] not in ends and not any((end, owner[domain]) in members for end in ends):
                origin = s.origin or Origin("?", 0)
                problems.append(Problem(origin.file, origin.line, "domain",
                                        f"{domain!r} belongs to {owner[domain]!r}, neither the subject "
                                        f"{s.subject!r} nor the object {s.object!r}", "domain-end"))


def check_names(entities: Mapping[str, Entity], problems: list[Problem]) -> None:
    """A label, symbol or alias must name one entity only, or resolving it would be a guess."""
    index = NameIndex(entities.values())
    for shown, ids in index.ambiguous():
        first, *others = sorted(ids, key=lambda i: str(entities[i].origin))
        for other in others:
            origin = entities[other].origin or Origin("?", 0)
            problems.append(Problem(origin.file, origin.line, "aliases",
                                    f"name {shown!r} of {other!r} also names {first!r} "
                                    f"({entities[first].origin}); names must be unambiguous",
                                    "ambiguous-name"))


def build_dataset(entity_rows: list[Row], statement_rows: list[Row], problems: list[Problem],
                  sources: tuple[str, ...] = ()) -> Dataset:
    """The validated dataset; ``problems`` receives everything found along the way."""
    entities = build_entities(entity_rows, problems)
    statements = build_statements(statement_rows, entities, problems)
    check_structure(entities, statements, problems)
    check_domains(entities, statements, problems)
    check_names(entities, problems)
    ordered = dict(sorted(entities.items()))
    return Dataset(entities=ordered, statements=tuple(sorted(statements, key=lambda s: s.id)),
                   sources=sources)


def load_dataset(graph_dirs: Iterable[str | os.PathLike[str]] | None = None) -> Dataset:
    """Read and validate the graph folders (the project's graph/ by default); no cache.

    Args:
        graph_dirs: folders to merge; None for the project's own.

    Returns:
        The validated dataset.

    Raises:
        CurationError: listing every problem found, not only the first.
    """
    dirs = [Path(d) for d in graph_dirs] if graph_dirs else [default_graph_dir()]
    collecting = gc.isenabled()
    gc.disable()  # every row makes new objects: full collections would walk the rows read so far, again and again
    try:
        entity_rows, statement_rows, problems = read_folders(dirs)
        dataset = build_dataset(entity_rows, statement_rows, problems, tuple(str(d) for d in dirs))
        # the ontology links (graph/hierarchy/, optional), checked against the entities, kept apart
        from dataclasses import replace

        from .hierarchy import build_links, read_hierarchy

        dataset = replace(dataset, hierarchy=build_links(read_hierarchy(dirs, problems), dataset.entities, problems))
    finally:
        if collecting:
            gc.enable()
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise CurationError(errors)
    return dataset
