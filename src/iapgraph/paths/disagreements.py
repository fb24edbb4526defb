"""Statements on the same entities that disagree: the review's conflicting findings, side by side.

The graph keeps both sides of a disagreement (XIAP induces autophagy; XIAP inhibits autophagy),
each with its quote and context; ``kg.conflicts()`` finds them so a reader sees both at once.
Two statements conflict only when they are about the same thing and come from different evidence:
the same subject, object and context, and different quotes (one sentence read as two statements,
such as "stabilizing cIAP1 by inhibiting its auto-ubiquitination", is one finding, not two that
disagree). Three kinds:

- ``opposite effects``: one statement up, the other down;
- ``negated``: the same claim asserted by one statement and denied by another;
- ``prognosis``: prognostic findings for the same protein and cancer that disagree (high
  expression adverse in one study, favourable or of no impact in another; see
  :func:`iapgraph.signs.prognostic_direction`), measured alike: the same molecule, specimen,
  tumour stage and endpoint (``DISTINGUISHING``); findings in early and in advanced tumours, or
  on mRNA and on protein, are two findings, not a disagreement.

Statements made under different experimental conditions (``condition=hypoxia`` on one only)
are two settings, not a disagreement. Structural statements (has_domain, part_of ...) never
conflict. Each conflict says why (:attr:`Conflict.reason`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import signs, vocab
from ..args import check_relations
from ..model import Entity, GraphView, Statement
from ..records import statement_record

OPPOSITE, NEGATED, PROGNOSIS = "opposite effects", "negated", "prognosis"
#: Relations whose statements report a prognostic finding (compared through their qualifiers).
PROGNOSTIC = frozenset({"prognostic_for"})
#: What separates two prognostic findings on one marker and cancer: they are compared only when
#: each of these is stated alike by both (or by neither).
DISTINGUISHING = ("molecule", "specimen", "stage", "endpoint")


def measured(qualifiers: Mapping[str, str]) -> dict[str, str]:
    """The distinguishing qualifiers of a prognostic finding; Table 1 prints the tumour stage
    beside the specimen ("FFPE tissue (early stage tumours)"): split into specimen and stage.

    >>> measured({"biospecimen": "FFPE tissue (early stage tumours)", "molecule": "Protein"})
    {'molecule': 'Protein', 'specimen': 'FFPE tissue', 'stage': 'early'}
    """
    found = {k: qualifiers[k] for k in ("molecule", "endpoint") if qualifiers.get(k)}
    specimen = qualifiers.get("biospecimen", "")
    stage = re.search(r"\((\w+) stage\b", specimen)
    if specimen:
        found["specimen"] = specimen.split(" (")[0].strip()
    if stage:
        found["stage"] = stage.group(1)
    if qualifiers.get("stage"):
        found["stage"] = qualifiers["stage"]
    return {k: found[k] for k in DISTINGUISHING if k in found}


def _parts(value: str) -> set[str]:
    """'Blood & bone marrow' -> {'blood', 'bone marrow'}; 'Protein/mRNA' -> {'protein', 'mrna'}."""
    return {p.strip().lower() for p in re.split(r"&|/|,| and ", value) if p.strip()}


def alike(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    """Whether two prognostic findings were measured alike: each distinguishing qualifier stated by
    both and overlapping (blood vs blood and bone marrow; protein vs protein/mRNA), or by neither."""
    qa, qb = measured(a), measured(b)
    for key in DISTINGUISHING:
        if (key in qa) != (key in qb):
            return False
        if key in qa and not _parts(qa[key]) & _parts(qb[key]):
            return False
    return True


@dataclass(frozen=True)
class Conflict:
    """Two statements on the same subject and object that say opposite things."""

    kind: str
    first: Statement
    second: Statement
    first_reading: str  # the side each takes: up/down, asserted/negated, adverse/favourable/no impact
    second_reading: str
    entities: Mapping[str, Entity] = field(repr=False, compare=False)

    @property
    def subject(self) -> str:
        return self.first.subject

    @property
    def object(self) -> str:
        return self.first.object

    @property
    def contexts(self) -> tuple[str, ...]:
        """The context both statements share (ids; empty when neither states one)."""
        return tuple(sorted(self.first.contexts))

    @property
    def reason(self) -> str:
        """Why the two statements are in conflict, in one sentence."""
        return reason(self.kind, self.first, self.second, self.first_reading, self.second_reading,
                      self.entities)

    def to_dict(self) -> dict[str, Any]:
        e = self.entities
        return {
            "kind": self.kind, "subject": self.subject, "subject_label": e[self.subject].label,
            "object": self.object, "object_label": e[self.object].label,
            "context": [e[c].label for c in self.contexts], "reason": self.reason,
            "first_reading": self.first_reading, "second_reading": self.second_reading,
            "first": statement_record(self.first, e), "second": statement_record(self.second, e),
        }


def _context(s: Statement, entities: Mapping[str, Entity]) -> str:
    return ", ".join(sorted(entities[c].label for c in s.contexts)) or "none stated"


def reason(kind: str, a: Statement, b: Statement, reading_a: str, reading_b: str,
           entities: Mapping[str, Entity]) -> str:
    """Why two statements conflict: what they share and where they part."""
    where = _context(a, entities)
    if kind == PROGNOSIS:
        qa, qb = measured(a.qualifiers), measured(b.qualifiers)
        alike_text = ", ".join(f"{k} {qa[k]}" if qa[k] == qb[k] else f"{k} {qa[k]} / {qb[k]}"
                               for k in qa) or "none stated by either"
        return (f"high expression {reading_a} in one finding, {reading_b} in the other, measured "
                f"alike (molecule, specimen, stage, endpoint: {alike_text})")
    if kind == NEGATED:
        return (f"the same claim asserted and negated, in the same context ({where}), "
                "from different quotes")
    return (f"different quotes give opposite effects ({reading_a}, {reading_b}) for the same subject, "
            f"object and context ({where})")


def compare(a: Statement, b: Statement) -> tuple[str, str, str] | None:
    """(kind, the side a takes, the side b takes) when two statements on one subject, object and
    context disagree; None when they agree, or are one finding (one quote), or measure different
    things (prognosis)."""
    if a.evidence.strip() == b.evidence.strip():
        return None  # one sentence read as two statements: one finding
    if a.qualifiers.get("condition") != b.qualifiers.get("condition"):
        return None  # under hypoxia and without: two settings, not a disagreement
    if a.relation in PROGNOSTIC and b.relation in PROGNOSTIC:
        if a.negated or b.negated or not alike(a.qualifiers, b.qualifiers):
            return None
        da, db = signs.prognostic_direction(a.qualifiers), signs.prognostic_direction(b.qualifiers)
        if da and db and da != db:
            return PROGNOSIS, da, db
        return None
    if a.negated != b.negated:
        if a.relation == b.relation:
            return NEGATED, "negated" if a.negated else "asserted", "negated" if b.negated else "asserted"
        return None
    if a.negated or a.relation in PROGNOSTIC or b.relation in PROGNOSTIC:
        return None
    if signs.opposite(a.effect, b.effect):
        return OPPOSITE, a.effect, b.effect
    return None


def conflicts(kg: GraphView, name: str | None = None, *,
              relations: str | Iterable[str] | None = None, exact: bool = False) -> list[Conflict]:
    """Every pair of disagreeing statements, or those involving ``name`` (as subject or object).

    ``relations`` keeps pairs where at least one statement has one of the relations. A class
    ``name`` includes its subtypes in the ontology hierarchy (conflicts on NSCLC for lung cancer;
    each conflict names its own subject and object), unless ``exact``.
    """

    wanted = check_relations(relations)
    focus: set[str] = set()
    if name:
        from .neighbourhood import _with_subtypes

        start = kg.resolve(name)
        focus = {start} if exact else set(_with_subtypes(kg.dataset, start))
    groups: dict[tuple[str, str, frozenset[str]], list[Statement]] = {}
    for s in kg.dataset.statements:
        if vocab.RELATIONS[s.relation].structural:
            continue
        if focus and s.subject not in focus and s.object not in focus:
            continue
        groups.setdefault((s.subject, s.object, frozenset(s.contexts)), []).append(s)
    found: list[Conflict] = []
    entities = kg.dataset.entities
    for group in groups.values():
        for a, b in itertools.combinations(sorted(group, key=lambda s: s.id), 2):
            if wanted and a.relation not in wanted and b.relation not in wanted:
                continue
            verdict = compare(a, b)
            if verdict:
                found.append(Conflict(verdict[0], a, b, verdict[1], verdict[2], entities))
    found.sort(key=lambda c: (entities[c.subject].label.lower(), entities[c.object].label.lower(),
                              [entities[x].label.lower() for x in c.contexts], c.kind, c.first.id,
                              c.second.id))
    return found


@dataclass(frozen=True)
class ConflictGroup:
    """The conflicts on one subject, object, context and kind, each statement once under its side:
    how a reader wants them (XIAP / cell migration: four statements up, one down)."""

    subject: str
    object: str
    contexts: tuple[str, ...]
    kind: str
    sides: dict[str, list[Statement]]
    reason: str  # why they conflict (the first pair's reason, generalised for prognosis)


def grouped(found: Iterable[Conflict]) -> list[ConflictGroup]:
    """Conflicts gathered per (subject, object, context, kind), in the order found."""
    groups: dict[tuple[str, str, tuple[str, ...], str], tuple[dict[str, list[Statement]], str]] = {}
    for c in found:
        sides, _ = groups.setdefault((c.subject, c.object, c.contexts, c.kind), ({}, c.reason))
        for s, side in ((c.first, c.first_reading), (c.second, c.second_reading)):
            if s not in sides.setdefault(side, []):
                sides[side].append(s)
    return [ConflictGroup(subject, obj, contexts, kind, sides,
                          _group_reason(sides)
                          if kind == PROGNOSIS and sum(map(len, sides.values())) > 2 else why)
            for (subject, obj, contexts, kind), (sides, why) in groups.items()]


def _group_reason(sides: Mapping[str, list[Statement]]) -> str:
    readings = list(sides)
    return (f"high expression {' in some findings, '.join(readings)} in others, measured alike "
            "(the same molecule, specimen, stage and endpoint where stated)")
