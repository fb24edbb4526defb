"""What is around an entity: the statements up to a few steps out, nearest first.

"What does cIAP1 ubiquitinate?" is ``kg.neighbors("cIAP1", relations="ubiquitinates", direction="out")``.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..args import check_count, check_kinds, check_relations
from ..cache import memo
from ..exceptions import UsageError
from ..model import Dataset, Entity, GraphView, Statement
from ..records import statement_record
from .search import BLOCKED_KINDS, group, nodes_of
from .search import with_subtypes as _with_subtypes

DIRECTIONS = ("out", "in", "both")


@dataclass(frozen=True)
class Neighbor:
    """A statement at ``depth`` steps from the asked entity, and the entity at its far end."""

    depth: int
    entity: str
    direction: str  # out: the asked side is the subject; in: it is the object
    statement: Statement
    entities: Mapping[str, Entity] = field(repr=False, compare=False)
    #: The entity asked for, or the subtype of it the row was found from (NSCLC for lung cancer).
    matched: str = ""

    @property
    def label(self) -> str:
        return self.entities[self.entity].label

    @property
    def kind(self) -> str:
        return self.entities[self.entity].kind

    def to_dict(self) -> dict[str, Any]:
        matched = self.entities[self.matched].label if self.matched in self.entities else ""
        return {"depth": self.depth, "entity": self.entity, "label": self.label, "kind": self.kind,
                "direction": self.direction, **statement_record(self.statement, self.entities),
                "matched": self.matched, "matched_label": matched}


class _ByNode:
    """Statement numbers by one end (subject or object), in statement order: one flat array
    sorted by node and where each node's run starts (a million statements: a few megabytes)."""

    def __init__(self, position: Mapping[str, int], ends: array[int]):
        self.position = position
        runs = group(ends, len(position))
        self.flat, self.starts = runs.flat, runs.starts

    def get(self, entity: str, default: Sequence[int] = ()) -> Sequence[int]:
        node = self.position.get(entity)
        if node is None:
            return default
        return self.flat[self.starts[node]:self.starts[node + 1]]


def _by_node(dataset: Dataset) -> tuple[_ByNode, _ByNode]:
    """Statement numbers by subject and by object (kept per dataset)."""
    return memo(dataset, "statements-by-node", lambda: _index(dataset))


def _index(dataset: Dataset) -> tuple[_ByNode, _ByNode]:
    nodes = nodes_of(dataset)
    return _ByNode(nodes.position, nodes.subjects), _ByNode(nodes.position, nodes.objects)


def neighbors(kg: GraphView, name: str, *, relations: str | Iterable[str] | None = None,
              direction: str = "both", kinds: str | Iterable[str] | None = None, depth: int = 1,
              negated: bool = True, through_hubs: bool = False, exact: bool = False) -> list[Neighbor]:
    """Statements around an entity, up to ``depth`` steps out, nearest first.

    A class stands for itself and its subtypes in the ontology hierarchy (lung cancer: NSCLC and
    SCLC too); each row's ``matched`` says which of them it was found from. ``exact`` keeps to the
    named entity.

    ``direction`` out lists what the entity acts on, in what acts on it. ``kinds`` keeps rows
    whose far entity is of those kinds (the walk still passes other kinds). Negated statements
    are listed (the review's "does not") but never walked further; hubs (processes, hallmarks
    ...) are listed but not walked through unless ``through_hubs``.
    """
    if direction not in DIRECTIONS:
        raise UsageError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    check_count("depth", depth)
    wanted_relations = check_relations(relations)
    wanted_kinds = check_kinds(kinds)
    start = kg.resolve(name)
    entities = kg.dataset.entities
    statements = kg.dataset.statements
    out, inn = _by_node(kg.dataset)
    sides = [("out", out, "object")] if direction == "out" else [("in", inn, "subject")] \
        if direction == "in" else [("out", out, "object"), ("in", inn, "subject")]
    starts = [start] if exact else _with_subtypes(kg.dataset, start)
    came_from = {s: s for s in starts}
    rows: list[Neighbor] = []
    seen_statements: set[int] = set()
    visited = set(starts)
    frontier = list(starts)
    for level in range(1, depth + 1):
        nxt: list[str] = []
        for node in frontier:
            for side, table, far_field in sides:
                for number in table.get(node, ()):
                    s = statements[number]
                    if number in seen_statements or (s.negated and not negated):
                        continue
                    if wanted_relations and s.relation not in wanted_relations:
                        continue
                    seen_statements.add(number)
                    far = getattr(s, far_field)
                    if wanted_kinds is None or entities[far].kind in wanted_kinds:
                        rows.append(Neighbor(level, far, side, s, entities, came_from[node]))
                    if s.negated or far in visited:
                        continue
                    visited.add(far)
                    came_from[far] = came_from[node]
                    if through_hubs or entities[far].kind not in BLOCKED_KINDS:
                        nxt.append(far)
        frontier = nxt
    rows.sort(key=lambda r: (r.depth, r.direction != "out", r.statement.relation, r.label.lower(),
                             r.statement.id))
    return rows
