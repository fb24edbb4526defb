"""The ontology hierarchy: ``graph/hierarchy/*.tsv`` read and checked into links, and the index
that answers "what are the subtypes of lung cancer?" and "what is NSCLC a kind of?".

The links come from the ontologies (MONDO, GO, CL, MeSH, FamPlex, ChEBI), not from the review:
they are kept in :attr:`iapgraph.model.Dataset.hierarchy`, never among the statements.

>>> from iapgraph.model import SubclassLink
>>> index = Hierarchy([SubclassLink("NSCLC", "is_a", "lung_carcinoma", "MONDO 2026-05"),
...                    SubclassLink("lung_carcinoma", "is_a", "lung_cancer", "MONDO 2026-05")])
>>> index.descendants("lung_cancer"), index.ancestors("NSCLC")
(['lung_carcinoma', 'NSCLC'], ['lung_carcinoma', 'lung_cancer'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .cycles import find_cycles
from .exceptions import Problem, did_you_mean
from .load import Row, read_table, table_files
from .model import Entity, Origin, SubclassLink
from .resolve import NameIndex

if TYPE_CHECKING:
    from pathlib import Path

HIERARCHY_COLUMNS = ("child", "relation", "parent", "source", "child_term", "parent_term", "note")
#: The relations a hierarchy row may state (``is_a``: a subclass; ``part_of``: a component or step).
HIERARCHY_RELATIONS = ("is_a", "part_of")
#: What "subtypes" follow by default: only is_a (a step of apoptosis is not a kind of apoptosis).
SUBTYPE_RELATIONS = ("is_a",)


def read_hierarchy(graph_dirs: Iterable[Path], problems: list[Problem]) -> list[Row]:
    """The rows of every ``hierarchy/*.tsv`` (or ``hierarchy.tsv``) of the folders; the folder is
    optional, so a graph without a hierarchy loads as before."""
    from pathlib import Path  # here: a lookup reads the hierarchy from the cache, never from files

    rows: list[Row] = []
    for graph_dir in graph_dirs:
        if Path(graph_dir).is_dir():
            for path in table_files(Path(graph_dir), "hierarchy"):
                rows += read_table(path, HIERARCHY_COLUMNS, problems)
    return rows


def _term_of(entity: Entity, term: str) -> bool:
    """Whether an ontology id as the tables write it (``MONDO:0005233``) is one of the entity's
    xrefs (``mondo:0005233``): the prefix compared without case, the local id as written."""
    prefix, _, local = term.partition(":")
    return any(x.partition(":")[0].lower() == prefix.lower() and x.partition(":")[2] == local
               for x in entity.xrefs)


def build_links(rows: Iterable[Row], entities: Mapping[str, Entity],
                problems: list[Problem]) -> tuple[SubclassLink, ...]:
    """The links whose every cell checks out, sorted; each bad cell becomes a located problem."""
    index: NameIndex | None = None
    links: list[SubclassLink] = []
    seen: dict[tuple[str, str, str], Origin] = {}
    for row in rows:
        c = row.cells
        before = len(problems)

        def bad(column: str, message: str, code: str = "bad-value", row: Row = row) -> None:
            problems.append(Problem(row.file, row.line, column, message, code))

        for column in ("child", "parent"):
            name = c[column]
            if not name:
                bad(column, "empty: give an entity id", "missing")
            elif name not in entities:
                if index is None:
                    index = NameIndex(entities.values())
                hint = index.suggest(name, 3)
                bad(column, f"unknown entity {name!r}" + (f"; did you mean: {', '.join(hint)}?" if hint else ""),
                    "unknown-entity")
        if c["relation"] not in HIERARCHY_RELATIONS:
            bad("relation", f"{c['relation']!r} is not one of {', '.join(HIERARCHY_RELATIONS)}"
                + did_you_mean(c["relation"], HIERARCHY_RELATIONS), "unknown-relation")
        if not c["source"]:
            bad("source", "missing: give the ontology and its release (MONDO 2026-05)", "missing")
        if c["child"] and c["child"] == c["parent"]:
            bad("parent", f"{c['child']!r} is linked to itself", "cycle")
        for column, owner in (("child_term", "child"), ("parent_term", "parent")):
            term = c[column]
            if term and c[owner] in entities and not _term_of(entities[c[owner]], term):
                bad(column, f"{term} is not an xref of {c[owner]!r} (its xrefs: "
                    f"{', '.join(entities[c[owner]].xrefs) or 'none'})", "bad-term")
        if len(problems) > before:
            continue
        key = (c["child"], c["relation"], c["parent"])
        if key in seen:
            bad("parent", f"duplicate link {c['child']} {c['relation']} {c['parent']} (first at {seen[key]})",
                "duplicate-link")
            continue
        origin = Origin(row.file, row.line)
        seen[key] = origin
        links.append(SubclassLink(c["child"], c["relation"], c["parent"], c["source"], c["child_term"],
                                  c["parent_term"], c["note"], origin))
    check_cycles(links, problems)
    return tuple(sorted(links, key=lambda link: (link.child, link.relation, link.parent)))


def check_cycles(links: Sequence[SubclassLink], problems: list[Problem]) -> None:
    """A class cannot be its own ancestor. Each cycle is reported once, at its link that comes last
    in file order (usually the row just added), and read from that link on."""
    parents: dict[str, list[SubclassLink]] = {}
    for link in links:
        parents.setdefault(link.child, []).append(link)

    def place(link: SubclassLink) -> tuple[str, int]:
        return (link.origin.file, link.origin.line) if link.origin else ("", 0)

    def report(cycle: list[SubclassLink]) -> None:
        last = max(range(len(cycle)), key=lambda i: place(cycle[i]))
        cycle = cycle[last:] + cycle[:last]
        origin = cycle[0].origin or Origin("?", 0)
        problems.append(Problem(origin.file, origin.line, "parent",
                                "hierarchy cycle: " + " -> ".join([x.child for x in cycle] + [cycle[0].child]),
                                "cycle"))

    for cycle in find_cycles(parents, lambda link: link.child, lambda link: link.parent):
        report(cycle)


class Hierarchy:
    """The subclass index of a dataset's links: parents, children, ancestors, descendants, paths up.

    Built from :attr:`iapgraph.model.Dataset.hierarchy`; the links are acyclic (the validator
    checks), so every walk ends.
    """

    def __init__(self, links: Iterable[SubclassLink]):
        self.links = tuple(links)
        self._up: dict[str, list[SubclassLink]] = {}
        self._down: dict[str, list[SubclassLink]] = {}
        for link in self.links:
            self._up.setdefault(link.child, []).append(link)
            self._down.setdefault(link.parent, []).append(link)

    def parents(self, entity_id: str, relations: Sequence[str] = HIERARCHY_RELATIONS) -> list[SubclassLink]:
        """The links from ``entity_id`` up one step."""
        return [link for link in self._up.get(entity_id, []) if link.relation in relations]

    def children(self, entity_id: str, relations: Sequence[str] = HIERARCHY_RELATIONS) -> list[SubclassLink]:
        """The links into ``entity_id`` from one step down."""
        return [link for link in self._down.get(entity_id, []) if link.relation in relations]

    def _walk(self, entity_id: str, step: str, relations: Sequence[str]) -> list[str]:
        found: list[str] = []
        frontier = [entity_id]
        seen = {entity_id}
        while frontier:
            nxt: list[str] = []
            for node in frontier:
                table = self._up if step == "up" else self._down
                for link in sorted(table.get(node, []), key=lambda x: (x.child, x.parent)):
                    if link.relation not in relations:
                        continue
                    far = link.parent if step == "up" else link.child
                    if far not in seen:
                        seen.add(far)
                        found.append(far)
                        nxt.append(far)
            frontier = nxt
        return found

    def ancestors(self, entity_id: str, relations: Sequence[str] = HIERARCHY_RELATIONS) -> list[str]:
        """Every class above ``entity_id``, nearest first (breadth first, then by id)."""
        return self._walk(entity_id, "up", relations)

    def descendants(self, entity_id: str, relations: Sequence[str] = SUBTYPE_RELATIONS) -> list[str]:
        """Every subtype below ``entity_id`` (is_a by default), nearest first."""
        return self._walk(entity_id, "down", relations)

    def paths_up(self, entity_id: str) -> list[list[SubclassLink]]:
        """Every chain of links from ``entity_id`` to a top class, shortest first then by ids:
        NSCLC -> [[NSCLC is_a lung carcinoma, lung carcinoma is_a lung cancer, lung cancer is_a cancer]]."""
        chains: list[list[SubclassLink]] = []

        def walk(node: str, trail: list[SubclassLink]) -> None:
            ups = self._up.get(node, [])
            if not ups and trail:
                chains.append(trail)
            for link in ups:
                walk(link.parent, [*trail, link])

        walk(entity_id, [])
        return sorted(chains, key=lambda chain: (len(chain), [link.parent for link in chain]))
