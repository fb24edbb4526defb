"""Statements on the same entities that disagree: the review's conflicting findings, side by side.

The graph keeps both sides of a disagreement (XIAP induces autophagy; XIAP inhibits autophagy),
each with its quote and context; ``kg.conflicts()`` finds them so a reader sees both at once.
Three kinds:

- ``opposite effects``: same subject and object, one statement up, the other down;
- ``negated``: the same claim asserted by one statement and denied by another;
- ``prognosis``: prognostic findings for the same protein and cancer that disagree (high
  expression adverse in one study, favourable or of no impact in another; see
  :func:`iapgraph.signs.prognostic_direction`).

Structural statements (has_domain, part_of ...) never conflict.
"""

from __future__ import annotations

import itertools
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

    def to_dict(self) -> dict[str, Any]:
        e = self.entities
        return {
            "kind": self.kind, "subject": self.subject, "subject_label": e[self.subject].label,
            "object": self.object, "object_label": e[self.object].label,
            "first_reading": self.first_reading, "second_reading": self.second_reading,
            "first": statement_record(self.first, e), "second": statement_record(self.second, e),
        }


def compare(a: Statement, b: Statement) -> tuple[str, str, str] | None:
    """(kind, the side a takes, the side b takes) when two statements on one pair disagree."""
    if a.relation in PROGNOSTIC and b.relation in PROGNOSTIC:
        if a.negated or b.negated:
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
        from .neighbors import _with_subtypes

        start = kg.resolve(name)
        focus = {start} if exact else set(_with_subtypes(kg.dataset, start))
    groups: dict[tuple[str, str], list[Statement]] = {}
    for s in kg.dataset.statements:
        if vocab.RELATIONS[s.relation].structural:
            continue
        if focus and s.subject not in focus and s.object not in focus:
            continue
        groups.setdefault((s.subject, s.object), []).append(s)
    found: list[Conflict] = []
    entities = kg.dataset.entities
    for (_subject, _object), group in groups.items():
        for a, b in itertools.combinations(sorted(group, key=lambda s: s.id), 2):
            if wanted and a.relation not in wanted and b.relation not in wanted:
                continue
            verdict = compare(a, b)
            if verdict:
                found.append(Conflict(verdict[0], a, b, verdict[1], verdict[2], entities))
    found.sort(key=lambda c: (entities[c.subject].label.lower(), entities[c.object].label.lower(),
                              c.kind, c.first.id, c.second.id))
    return found


def grouped(found: Iterable[Conflict]) -> list[tuple[str, str, str, dict[str, list[Statement]]]]:
    """Conflicts gathered per (subject, object, kind), each statement once under its side: how a
    reader wants them (XIAP / cell migration: four statements up, one down)."""
    groups: dict[tuple[str, str, str], dict[str, list[Statement]]] = {}
    for c in found:
        sides = groups.setdefault((c.subject, c.object, c.kind), {})
        for s, side in ((c.first, c.first_reading), (c.second, c.second_reading)):
            if s not in sides.setdefault(side, []):
                sides[side].append(s)
    return [(subject, obj, kind, sides) for (subject, obj, kind), sides in groups.items()]
