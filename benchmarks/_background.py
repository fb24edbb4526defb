"""A generated background graph shaped like the curated one, as model records (Entity, Statement),
so that benchmarks push it through the project's own builders (rdf.to_rdf, network, pathsearch).

Shape, taken from the curated dataset: the same mix of entity kinds and the same ratio of
statements to entities; each generated statement copies a curated one chosen at random (relation,
effect, mechanism, negation, section, typed qualifiers, contexts, number of citations) between
generated entities of the kinds the original joins. Degrees are Zipf-like within each kind
(weight 1 / (rank + 10): hubs carry about 1 % of the statements, as the curated IAPs do), and 3 %
of the ends are curated entities, so the background touches the real graph. Nothing here is
biology: ids are bg0, bg1 ... and the evidence is "generated evidence sentence number N".

    >>> bg = generate(curated, 100_000)          # doctest: +SKIP  (about 100k triples)
    >>> kg = KnowledgeGraph(merge(curated, bg))  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from iapgraph.model import Dataset, Entity, Statement

__all__ = ["generate", "merge", "write_ntriples"]

_CALIBRATION = 1000  # statements in the sample that measures triples per statement


def _records(curated: Dataset, n_statements: int, rng: random.Random) -> Dataset:
    entities = list(curated.entities.values())
    per_statement = len(entities) / max(1, len(curated.statements))
    n_entities = max(50, round(n_statements * per_statement))
    kinds = [e.kind for e in entities]
    generated: dict[str, Entity] = {}
    by_kind: dict[str, list[str]] = defaultdict(list)
    for i in range(n_entities):
        kind = rng.choice(kinds)
        eid = f"bg{i}"
        generated[eid] = Entity(eid, kind, f"BG{i}", aliases=(f"bg-{i}",), xrefs=(f"ncbigene:{900000 + i}",))
        by_kind[kind].append(eid)
    cumulative = {kind: list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(ids))))
                  for kind, ids in by_kind.items()}
    curated_by_kind: dict[str, list[str]] = defaultdict(list)
    for e in entities:
        curated_by_kind[e.kind].append(e.id)

    def pick(kind: str) -> str:
        ids = by_kind.get(kind)
        if not ids or rng.random() < 0.03:
            return rng.choice(curated_by_kind[kind])
        weights = cumulative[kind]
        return ids[min(bisect.bisect(weights, rng.random() * weights[-1]), len(ids) - 1)]

    n_citations = max(10, n_statements // 20)
    citations = [f"Author{i}, et al., {1990 + i % 31}" for i in range(n_citations)]
    templates = curated.statements
    statements: list[Statement] = []
    for i in range(n_statements):
        t = rng.choice(templates)
        subject = pick(curated.entities[t.subject].kind)
        obj = pick(curated.entities[t.object].kind)
        if subject == obj:
            obj = pick(curated.entities[t.object].kind)
        cited = tuple(sorted({rng.choice(citations) for _ in range(max(1, len(t.citations)))}))
        statements.append(Statement(
            f"bg-{i}", subject, t.relation, obj, t.effect, mechanism=t.mechanism, contexts=t.contexts,
            negated=t.negated, section=t.section, citations=cited,
            evidence=f"generated evidence sentence number {i}", qualifiers=dict(t.qualifiers)))
    return Dataset(entities=generated, statements=tuple(statements))


def triples_per_statement(curated: Dataset, seed: int = 7) -> float:
    """RDF triples (entities included, at the curated ratio) per generated statement, measured by
    building a sample with the project's RDF builder."""
    from iapgraph.rdf import to_rdf

    sample = _records(curated, _CALIBRATION, random.Random(seed))
    return len(to_rdf(sample)) / _CALIBRATION


def generate(curated: Dataset, triples: int, seed: int = 7) -> Dataset:
    """About ``triples`` RDF triples of generated entities and statements (not merged with the
    curated ones; merge() does that)."""
    n_statements = max(100, round(triples / triples_per_statement(curated, seed)))
    return _records(curated, n_statements, random.Random(seed))


def merge(curated: Dataset, background: Dataset) -> Dataset:
    """The curated dataset with the background added (no folders: sources stay empty)."""
    return Dataset(entities={**curated.entities, **background.entities},
                   statements=curated.statements + background.statements)


def write_ntriples(dataset: Dataset, out: Path) -> int:
    """Serialise with the project's RDF builder; return the number of triples written."""
    from iapgraph.rdf import to_rdf

    graph = to_rdf(dataset)
    graph.serialize(destination=str(out), format="nt", encoding="utf-8")
    return len(graph)


def describe(dataset: Dataset) -> dict[str, Any]:
    """Counts for a report line."""
    return {"entities": len(dataset.entities), "statements": len(dataset.statements),
            "kinds": len(Counter(e.kind for e in dataset.entities.values()))}


def write_lab_folder(curated: Dataset, n_statements: int, folder: Path, seed: int = 7) -> Path:
    """A lab folder (``entities/lab.tsv``, ``statements/lab.tsv``) of ``n_statements``
    generated statements in the curated TSV format, valid against the curated graph it is merged
    with (``iapgraph build --graph-dir graph --graph-dir FOLDER``). Rows the validator would refuse
    in a random graph are left out: has_domain (each domain has one owner), part_of (no cycles)."""
    from iapgraph.load import ENTITY_COLUMNS, STATEMENT_COLUMNS

    dataset = _records(curated, round(n_statements * 1.25), random.Random(seed))
    kinds = {e.id: e.kind for e in dataset.entities.values()}
    kinds.update({e.id: e.kind for e in curated.entities.values()})
    skip = {"has_domain", "part_of"}
    statements = [s for s in dataset.statements
                  if s.relation not in skip and kinds[s.subject] != "domain" and kinds[s.object] != "domain"][:n_statements]
    used = {x for s in statements for x in (s.subject, s.object)}
    (folder / "entities").mkdir(parents=True, exist_ok=True)
    (folder / "statements").mkdir(exist_ok=True)
    rows = ["\t".join(ENTITY_COLUMNS)]
    for e in dataset.entities.values():
        if e.id in used:
            cells = {"id": e.id, "kind": e.kind, "label": e.label, "aliases": "|".join(e.aliases),
                     "xrefs": "|".join(e.xrefs)}
            rows.append("\t".join(cells.get(c, "") for c in ENTITY_COLUMNS))
    (folder / "entities" / "lab.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["\t".join(STATEMENT_COLUMNS)]
    for s in statements:
        cells = {"id": s.id, "subject": s.subject, "relation": s.relation, "object": s.object,
                 "effect": s.effect, "mechanism": s.mechanism, "context": "|".join(s.contexts),
                 "negated": "true" if s.negated else "", "section": s.section,
                 "citation": "|".join(s.citations), "evidence": s.evidence,
                 "qualifiers": "|".join(f"{k}={v}" for k, v in s.qualifiers.items())}
        rows.append("\t".join(cells.get(c, "") for c in STATEMENT_COLUMNS))
    (folder / "statements" / "lab.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder
