"""One drawn edge per assertion: the statements of a view grouped by what they claim.

Several statements often say the same thing from different sentences or studies ("Survivin
contributes to angiogenesis" eight times). Drawn one by one they stack into parallel edges that hide
each other; here they become one edge that carries them all, keyed by the drawn ends (after domains
are folded into their protein), the relation, the effect sign and the negation. The edge's id is its
first statement's id, so an assertion with one statement keeps that statement's id.

>>> from iapgraph.model import Statement
>>> a = Statement("s1", "A", "inhibits", "B", "down")
>>> b = Statement("s2", "A", "inhibits", "B", "down", evidence="again")
>>> [(e.id, e.statements) for e in group([a, b], {"s1": ("A", "B"), "s2": ("A", "B")})]
[('s1', ('s1', 's2'))]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Statement

#: What makes two statements one drawn edge.
Key = tuple[str, str, str, str, bool]


@dataclass(frozen=True)
class Assertion:
    """One drawn edge: the statements (ids, in curation order) that claim the same thing."""

    id: str
    source: str
    target: str
    relation: str
    effect: str
    negated: bool
    statements: tuple[str, ...]

    @property
    def key(self) -> Key:
        return (self.source, self.target, self.relation, self.effect, self.negated)

    @property
    def self_loop(self) -> bool:
        return self.source == self.target


def assertion_key(s: Statement, ends: tuple[str, str]) -> Key:
    """(drawn subject, drawn object, relation, effect, negated)."""
    return (ends[0], ends[1], s.relation, s.effect, s.negated)


def group(statements: Sequence[Statement], ends: Mapping[str, tuple[str, str]]) -> list[Assertion]:
    """The view's statements as assertions, in the order of each one's first statement."""
    members: dict[Key, list[str]] = defaultdict(list)
    for s in statements:
        members[assertion_key(s, ends[s.id])].append(s.id)
    return [Assertion(ids[0], key[0], key[1], key[2], key[3], key[4], tuple(ids))
            for key, ids in members.items()]


def is_hedged(s: Statement) -> bool:
    """A statement the review words cautiously: a ``hedged`` flag (when the model has one), or a
    curator's ``reading`` qualifier that says so."""
    return bool(getattr(s, "hedged", False)) or "hedge" in s.qualifiers.get("reading", "").lower()
