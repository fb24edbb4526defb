"""The facade: ``iapgraph.load()`` and the :class:`KnowledgeGraph` users and the CLI work with.

Loading reads and validates the curated TSVs once per process (and keeps a pickled copy keyed by
the files' content, so a cold CLI process skips validation). Every other method is a thin,
documented wrapper that imports its wing (paths, sparql, export, viz) only when called, so
``iapgraph path`` never imports rdflib, pyvis or the SPARQL engines.

>>> kg = load()
>>> kg.resolve("cIAP1")
'BIRC2'
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache as _cache
from .load import default_graph_dir, table_files
from .model import Dataset, Entity, Statement
from .resolve import NameIndex

if TYPE_CHECKING:
    import networkx as nx
    import rdflib

    from .export import Exported
    from .paths import Chain, Conflict, Explanation, Neighbor
    from .sparql.results import Result
    from .viz.view import View

__all__ = ["KnowledgeGraph", "load", "load_dataset"]

Names = str | Iterable[str] | None


def load_dataset(graph_dirs: Iterable[str | os.PathLike[str]] | None = None) -> Dataset:
    """Read and validate the graph folders afresh (no cache); see :func:`iapgraph.validate.load_dataset`.

    Raises:
        CurationError: listing every problem found.
    """
    from .validate import load_dataset as read

    return read(graph_dirs)


class KnowledgeGraph:
    """The loaded graph: entities, statements, name resolution, and every question asked of it.

    Build one with :func:`load`; ``KnowledgeGraph(dataset)`` wraps a dataset made in memory.
    """

    def __init__(self, dataset: Dataset, *, key: str | None = None):
        """Wrap a validated dataset.

        Args:
            dataset: the entities and statements.
            key: the cache fingerprint of the files it was loaded from (None when made in memory).
        """
        self.dataset = dataset
        self._key = key

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {len(self.entities)} entities, {len(self.statements)} statements>"

    # --- the data ------------------------------------------------------------------------------

    @property
    def entities(self) -> dict[str, Entity]:
        """Every entity by id (a copy)."""
        return dict(self.dataset.entities)

    @property
    def statements(self) -> tuple[Statement, ...]:
        """Every curated statement, sorted by id."""
        return self.dataset.statements

    @cached_property
    def names(self) -> NameIndex:
        """The index of every label, symbol, alias, id and xref."""
        return NameIndex(self.dataset.entities.values())

    def resolve(self, name: str) -> str:
        """The entity id for any label, symbol, alias, id or xref (case-insensitive).

        Args:
            name: what a person would write (``cIAP1``, ``BIRC2``, ``uniprot:Q13490``).

        Returns:
            The entity id.

        Raises:
            UnknownEntity: nothing (or several entities) match; the message lists the closest names.
        """
        return self.names.resolve(name)

    def entity(self, name: str) -> Entity:
        """The entity a name resolves to.

        Raises:
            UnknownEntity: as :meth:`resolve`.
        """
        return self.dataset.entities[self.resolve(name)]

    def find(self, subject: str | None = None, relation: str | None = None,
             object: str | None = None, *, negated: bool | None = False) -> list[Statement]:
        """Statements matching the given names (resolved) and relation.

        Args:
            subject: a name of the subject, or None for any.
            relation: a relation name, or None for any.
            object: a name of the object, or None for any.
            negated: False (default) only asserted statements, True only negated ones, None both.

        Returns:
            The matching statements, in id order.

        Raises:
            UnknownEntity: a name that resolves to nothing.
        """
        sid = self.resolve(subject) if subject else None
        oid = self.resolve(object) if object else None
        return [
            s for s in self.dataset.statements
            if (sid is None or s.subject == sid) and (oid is None or s.object == oid)
            and (relation is None or s.relation == relation)
            and (negated is None or s.negated == negated)
        ]

    def counts(self) -> dict[str, dict[str, int]]:
        """Entities by kind and statements by relation."""
        from .coverage import counts

        return counts(self.dataset)

    def coverage(self) -> list[dict[str, Any]]:
        """Statements per review section, in the review's order, with the relations used there."""
        from .coverage import coverage

        return coverage(self.dataset)

    # --- builders ------------------------------------------------------------------------------

    def to_networkx(self) -> nx.MultiDiGraph:
        """A fresh MultiDiGraph (callers may change it): one node per entity (label, kind, symbol,
        aliases, xrefs ...), one keyed edge per statement (relation, effect, mechanism, domain,
        context, negated, section, citation, evidence, qualifiers ...)."""
        from .network import to_networkx

        return to_networkx(self.dataset)

    def to_rdf(self) -> rdflib.Graph:
        """A fresh rdflib Graph of the data (see :mod:`iapgraph.rdf` for the model)."""
        from .rdf import to_rdf

        return to_rdf(self.dataset)

    def ntriples(self) -> Path:
        """The graph as an N-Triples file, built once and cached (keyed by the curated files'
        content, or by the triples themselves for a graph made in memory)."""
        def build() -> bytes:
            from .rdf import ntriples, to_rdf

            return ntriples(to_rdf(self.dataset))

        if self._key is not None:
            return _cache.cached_file(self._key, ".nt", build)
        data = _cache.memo(self.dataset, "ntriples", build)
        return _cache.cached_file("mem" + hashlib.sha256(data).hexdigest()[:29], ".nt", lambda: data)

    def check_shapes(self) -> None:
        """Check the built RDF against the SHACL shapes.

        Raises:
            ShaclError: listing every violation.
        """
        from .shacl import shacl_report

        shacl_report(self.dataset)

    def build(self, out_dir: str | os.PathLike[str]) -> list[Path]:
        """Write iapgraph.ttl, vocab.ttl and iapgraph.nt into ``out_dir``, all or none.

        Args:
            out_dir: the folder (created if missing).

        Returns:
            The paths written.

        Raises:
            OutputError: the folder cannot be made or a write failed (the previous build is kept).
        """
        from .export.build import build

        return build(self.dataset, Path(out_dir))

    # --- paths -------------------------------------------------------------------------------

    def paths(self, source: str, target: str, *, k: int = 3, max_length: int = 6,
              relations: Names = None, exclude_relations: Names = None, via: Names = None,
              signed: bool = False, expect: str | None = None,
              through_hubs: bool = False) -> list[Chain]:
        """Chains of statements from ``source`` to ``target``, best first.

        Args:
            source: a name of the start entity.
            target: a name of the end entity.
            k: at most this many chains.
            max_length: none longer than this many steps.
            relations: walk only these mechanistic relations (structural glue is still walked).
            exclude_relations: never walk these.
            via: entities the chain must pass, in order.
            signed: only chains whose every step has a known sign.
            expect: ``up`` or ``down``: only chains with that net effect.
            through_hubs: let chains pass processes, hallmarks, cancer types and class members.

        Returns:
            The chains (each a sequence of hops with their statements and quotes).

        Raises:
            UnknownEntity: a name that resolves to nothing.
            UsageError: an unknown relation or a bad count.
        """
        from .paths import paths

        return paths(self, source, target, k=k, max_length=max_length, relations=relations,
                     exclude_relations=exclude_relations, via=via, signed=signed, expect=expect,
                     through_hubs=through_hubs)

    def neighbors(self, name: str, *, relations: Names = None, direction: str = "both",
                  kinds: Names = None, depth: int = 1, negated: bool = True,
                  through_hubs: bool = False) -> list[Neighbor]:
        """Statements around an entity, up to ``depth`` steps out, nearest first.

        Args:
            name: a name of the entity.
            relations: keep these relations only.
            direction: ``out`` (what it acts on), ``in`` (what acts on it) or ``both``.
            kinds: keep rows whose far entity is of these kinds (plurals accepted).
            depth: how many steps out.
            negated: list the statements the review negates (never walked further).
            through_hubs: walk on through processes, hallmarks and the like.

        Returns:
            One :class:`~iapgraph.paths.Neighbor` per statement found.

        Raises:
            UnknownEntity: the name resolves to nothing.
            UsageError: an unknown relation, kind or direction.
        """
        from .paths import neighbors

        return neighbors(self, name, relations=relations, direction=direction, kinds=kinds,
                         depth=depth, negated=negated, through_hubs=through_hubs)

    def explain(self, source: str, target: str, *, k: int = 2, max_length: int = 6,
                expect: str | None = None, via: Names = None, relations: Names = None,
                exclude_relations: Names = None, through_hubs: bool = False) -> Explanation:
        """How ``source`` affects ``target``: the best-supported chains as a readable account.

        Args:
            source: a name of the start entity.
            target: a name of the end entity.
            k: at most this many chains.
            max_length: none longer than this many steps.
            expect: ``up`` or ``down``: only chains with that net effect.
            via: entities the chain must pass, in order.
            relations: walk only these mechanistic relations.
            exclude_relations: never walk these.
            through_hubs: let chains pass hubs.

        Returns:
            The explanation; ``str()`` of it reads as text with the quotes.

        Raises:
            UnknownEntity: a name that resolves to nothing.
            UsageError: an unknown relation or a bad count.
        """
        from .paths import explain

        return explain(self, source, target, k=k, max_length=max_length, expect=expect, via=via,
                       relations=relations, exclude_relations=exclude_relations,
                       through_hubs=through_hubs)

    def conflicts(self, name: str | None = None, *, relations: Names = None) -> list[Conflict]:
        """Pairs of statements that disagree (opposite effects, or asserted against negated).

        Args:
            name: only pairs involving this entity; None for all.
            relations: keep pairs where one statement has one of these relations.

        Returns:
            The conflicting pairs, each with both statements and their evidence.

        Raises:
            UnknownEntity: the name resolves to nothing.
            UsageError: an unknown relation.
        """
        from .paths import conflicts

        return conflicts(self, name, relations=relations)

    # --- SPARQL --------------------------------------------------------------------------------

    def query(self, query: str, params: Mapping[str, str | Sequence[str]] | None = None, *,
              engine: str = "oxigraph", endpoint: str | None = None, limit: int | None = None,
              timeout: float | None = None, is_text: bool | None = None) -> Result:
        """Run a library query (by name), a .rq file or SPARQL text on the graph or an endpoint.

        Args:
            query: a library query name (``iapgraph queries``), a .rq path, or SPARQL text.
            params: a value (or values) per declared parameter; names resolve through aliases.
            engine: ``oxigraph`` (default) or ``rdflib``.
            endpoint: ask this SPARQL 1.1 endpoint instead of the embedded graph.
            limit: at most this many rows (the result says when it cut).
            timeout: stop the query after this many seconds (it runs in a worker process).
            is_text: True takes ``query`` as SPARQL text whatever it looks like.

        Returns:
            The :class:`~iapgraph.sparql.results.Result`; ``.records()`` gives dicts.

        Raises:
            UnknownQuery: an unknown library name.
            QuerySyntaxError: the text does not parse (with line and column).
            RefusedQuery: an update, or SERVICE on the embedded graph.
            QueryTimeout: the time limit ran out.
            UsageError: a bad or missing parameter.
        """
        from .sparql.query import query as run

        return run(self, query, params, engine=engine, endpoint=endpoint, limit=limit, timeout=timeout,
                   is_text=is_text)

    # --- export and HTML ----------------------------------------------------------------------

    def export(self, fmt: str, output: str | os.PathLike[str], *, negated: bool = True) -> Exported:
        """Write the graph in another tool's format (``iapgraph.FORMATS``).

        Args:
            fmt: turtle, ntriples, jsonld, graphml, cx2, kgx, sif or neo4j.
            output: the file, or for kgx and neo4j a prefix or an existing folder.
            negated: False leaves out the statements the review negates.

        Returns:
            What was written, with counts and notes.

        Raises:
            UsageError: an unknown format.
            OutputError: the folder is missing or a write failed (nothing was replaced).
        """
        from .export import export

        return export(self, fmt, Path(output), negated=negated)

    def viz(self, output: str | os.PathLike[str], *, size: str = "degree", title: str | None = None,
            focus: Sequence[str] = (), depth: int | None = None, relations: Sequence[str] = (),
            kinds: Sequence[str] = (), hallmark: str | None = None,
            path: tuple[str, str] | None = None, k: int = 3, domains: bool = False,
            negated: bool = True) -> tuple[Path, View]:
        """Write one self-contained interactive HTML file of the graph or a view of it.

        Args:
            output: the HTML file (written atomically).
            size: what node size shows (degree, statements, citations).
            title: the page title.
            focus: names to centre on (with ``depth``).
            depth: steps around the focus or behind the hallmark.
            relations: relations or relation groups to keep.
            kinds: kinds or categories to keep.
            hallmark: show what leads into this hallmark.
            path: (source, target): show the chains between them.
            k: how many chains a path view shows.
            domains: draw domains as nodes instead of folding them into their protein.
            negated: keep the statements the review negates.

        Returns:
            The path written and the view drawn.

        Raises:
            UnknownEntity: a name that resolves to nothing.
            UsageError: conflicting or unknown options.
            OutputError: the write failed (nothing was replaced).
        """
        from .viz.page import write_html

        return write_html(self, Path(output), size=size, title=title, focus=focus, depth=depth,
                          relations=relations, kinds=kinds, hallmark=hallmark, path=path, k=k,
                          domains=domains, negated=negated)


def load(graph_dirs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str] | None = None,
         *, cache: bool = True) -> KnowledgeGraph:
    """Load the curated graph (the project's graph/ by default; several folders merge).

    Args:
        graph_dirs: one folder or several to merge; None for the project's own graph/.
        cache: keep and reuse the validated dataset in the user cache (False reads afresh).

    Returns:
        The graph, the same object for the same files within one process.

    Raises:
        CurationError: the files have problems; every one is listed as ``file:line: field: message``.

    >>> kg = load()
    >>> kg.resolve("cIAP1")
    'BIRC2'
    """
    if isinstance(graph_dirs, (str, os.PathLike)):
        graph_dirs = [graph_dirs]
    dirs = [Path(d) for d in graph_dirs] if graph_dirs else [default_graph_dir()]
    files = [f for d in dirs for t in ("entities", "statements") for f in table_files(d, t)]
    if not cache or not files:
        return KnowledgeGraph(load_dataset(dirs))
    try:
        key = _cache.fingerprint(files)
    except OSError:  # an unreadable file: the loader reports it with its place
        return KnowledgeGraph(load_dataset(dirs))
    return _cache.memo(_LOADED, key, lambda: _from_cache(key, dirs))


def _from_cache(key: str, dirs: list[Path]) -> KnowledgeGraph:
    """The graph from the pickle under ``key`` (built and pickled on a miss), its name index
    included: a cold ``iapgraph resolve`` then neither validates nor normalises every name."""
    def build() -> _Cached:
        dataset = load_dataset(dirs)
        return _Cached(dataset, NameIndex(dataset.entities.values()))

    cached = _cache.cached_pickle(key, _Cached, build)
    graph = KnowledgeGraph(cached.dataset, key=key)
    graph.__dict__["names"] = cached.names  # what the ``names`` cached_property would compute
    return graph


class _Cached:
    """What the dataset pickle holds (the key covers the code of both: see cache._BUILDERS)."""

    __slots__ = ("dataset", "names")

    def __init__(self, dataset: Dataset, names: NameIndex):
        self.dataset, self.names = dataset, names

    def __getstate__(self) -> tuple[Dataset, NameIndex]:
        return self.dataset, self.names

    def __setstate__(self, state: tuple[Dataset, NameIndex]) -> None:
        self.dataset, self.names = state


class _Loaded:
    """The owner of the process's loaded graphs in :func:`iapgraph._cache.memo`."""


_LOADED = _Loaded()
