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

import os
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from . import cache as _cache
from .load import default_graph_dir, default_graph_folder, table_file_names, table_files
from .model import Dataset, Entity, Statement, SubclassLink
from .resolve import NameIndex

if TYPE_CHECKING:  # pathlib too: a cold lookup never needs it (~3 ms to import)
    from pathlib import Path

    import networkx as nx
    import rdflib

    from .assertions import Assertion
    from .export import Exported
    from .graphdiff import GraphDiff
    from .hierarchy import Hierarchy
    from .paths import Chain, Conflict, Explanation, Neighbor
    from .sparql.results import Result
    from .trials import Trial
    from .viz.view import View

__all__ = ["KnowledgeGraph", "diff", "load", "load_dataset"]

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
             object: str | None = None, *, negated: bool | None = False,
             hedged: bool | None = False) -> list[Statement]:
        """Statements matching the given names (resolved) and relation.

        A default answer is a list of firm findings: the review's hedged statements ("may", "could",
        "suggest") and the ones it negates are left out until asked for.

        Args:
            subject: a name of the subject, or None for any.
            relation: a relation name, or None for any.
            object: a name of the object, or None for any.
            negated: False (default) only asserted statements, True only negated ones, None both.
            hedged: False (default) only firm statements, True only hedged ones, None both.

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
            and (hedged is None or s.hedged == hedged)
        ]

    def counts(self) -> dict[str, dict[str, int]]:
        """Entities by kind and statements by relation."""
        from .coverage import counts

        return counts(self.dataset)

    def coverage(self) -> list[dict[str, Any]]:
        """Statements per review section, in the review's order, with the relations used there."""
        from .coverage import coverage

        return coverage(self.dataset)

    def assertions(self) -> list[Assertion]:
        """The curated rows grouped by what they claim: one assertion per subject, relation, object,
        sign, negation and context, with every row as one evidence line (quote, citation, section,
        hedged, direct). Ids are hashes of that key, stable as rows are added elsewhere.

        Returns:
            The assertions, sorted by id (a fresh list; the records are frozen).
        """
        from .assertions import assertions

        return list(_cache.memo(self.dataset, "assertions", lambda: assertions(self.dataset)))

    def trial(self, name: str) -> Trial:
        """One clinical trial of Table 2 as a card: agent, partners, condition, phase, status,
        dates, enrolment, conclusions, reference, and the agent's targets with their domains.

        Args:
            name: the trial's NCT or EudraCT number or label (``NCT02022098``).

        Returns:
            The :class:`~iapgraph.trials.Trial` record (``.to_dict()`` for plain data).

        Raises:
            UnknownEntity: the name resolves to nothing.
            UsageError: the name is not a clinical trial.
        """
        from .trials import trial

        return trial(self, name)
    # --- the ontology hierarchy and grounding ----------------------------------------------------

    @property
    def _hierarchy(self) -> Hierarchy:
        from .hierarchy import Hierarchy

        return _cache.memo(self.dataset, "hierarchy-index", lambda: Hierarchy(self.dataset.hierarchy))

    def hierarchy(self, name: str | None = None) -> list[SubclassLink]:
        """The ontology's subclass (is_a) and part_of links between entities, never mixed with the
        review's statements.

        Args:
            name: only the links from or to this entity; None for all.

        Returns:
            The links, sorted by child, relation and parent; each carries its ``source`` ontology.

        Raises:
            UnknownEntity: the name resolves to nothing.
        """
        if name is None:
            return list(self.dataset.hierarchy)
        eid = self.resolve(name)
        return [link for link in self.dataset.hierarchy if eid in (link.child, link.parent)]

    def subtypes(self, name: str, *, part_of: bool = False) -> list[str]:
        """Every subtype of an entity down the ontology hierarchy (NSCLC and SCLC for lung cancer).

        Args:
            name: a name of the class.
            part_of: also follow part_of links (the steps of a process, the parts of a component).

        Returns:
            Entity ids, nearest first; empty for an entity without subtypes.

        Raises:
            UnknownEntity: the name resolves to nothing.
        """
        relations = ("is_a", "part_of") if part_of else ("is_a",)
        return self._hierarchy.descendants(self.resolve(name), relations)

    def ancestors(self, name: str, *, part_of: bool = True) -> list[str]:
        """Every class above an entity in the ontology hierarchy (lung carcinoma, lung cancer, cancer
        for NSCLC), nearest first.

        Args:
            name: a name of the entity.
            part_of: also follow part_of links (default), else is_a only.

        Returns:
            Entity ids, nearest first.

        Raises:
            UnknownEntity: the name resolves to nothing.
        """
        relations = ("is_a", "part_of") if part_of else ("is_a",)
        return self._hierarchy.ancestors(self.resolve(name), relations)

    def lineage(self, name: str) -> list[list[SubclassLink]]:
        """Every path up the hierarchy from an entity to a top class, shortest first.

        Args:
            name: a name of the entity.

        Returns:
            Chains of links (empty when the entity has no parent).

        Raises:
            UnknownEntity: the name resolves to nothing.
        """
        return self._hierarchy.paths_up(self.resolve(name))

    def grounding(self) -> list[dict[str, Any]]:
        """Coverage of registry identifiers per kind group, counted from the entities' xrefs.

        Returns:
            One row per kind group: ``group``, ``kinds``, ``grounded``, ``total``, ``percent`` and
            the ``ungrounded`` entity ids.
        """
        from .grounding import grounding_coverage

        return grounding_coverage(self.dataset)

    def preferred_id(self, name: str) -> str:
        """The CURIE that stands for an entity in the exports (``HGNC:592`` for XIAP; ``iapgraph:ID``
        for an entity no registry has).

        Args:
            name: a name of the entity.

        Returns:
            The CURIE.

        Raises:
            UnknownEntity: the name resolves to nothing.
        """
        from .grounding import preferred_curie

        return preferred_curie(self.entity(name))

    # --- builders ------------------------------------------------------------------------------

    def to_networkx(self, hierarchy: bool = False) -> nx.MultiDiGraph:
        """A fresh MultiDiGraph (callers may change it): one node per entity (label, kind, symbol,
        aliases, xrefs ...), one keyed edge per statement (relation, effect, mechanism, domain,
        context, negated, section, citation, evidence, qualifiers, hedged, direct, assertion ...).

        ``hierarchy=True`` adds one edge per ontology link (child -> parent, relation is_a or
        part_of, ``source`` the ontology and release, keyed ``child/relation/parent``)."""
        from .network import to_networkx

        return to_networkx(self.dataset, hierarchy=hierarchy)

    def assertion_graph(self) -> nx.MultiDiGraph:
        """A fresh MultiDiGraph with one keyed edge per assertion (relation, effect, negated, context,
        hedged, direct, evidence_count, statements, citation and ``evidence``: one dict per curated
        row); the nodes as in :meth:`to_networkx`."""
        from .network import to_assertion_graph

        return to_assertion_graph(self.dataset)

    def to_rdf(self, hierarchy: bool = True) -> rdflib.Graph:
        """A fresh rdflib Graph of the data (see :mod:`iapgraph.rdf` for the model); ``hierarchy``
        False leaves out the ontology links (the review-only view)."""
        from .rdf import to_rdf

        return to_rdf(self.dataset, hierarchy=hierarchy)

    def ntriples(self) -> Path:
        """The graph as an N-Triples file, built once and cached (keyed by the curated files'
        content, or by the triples themselves for a graph made in memory)."""
        def build() -> bytes:
            from .ntriples import ntriples

            return ntriples(self.dataset)  # written from the model: no rdflib Graph

        if self._key is not None:
            return _cache.cached_file(self._key, ".nt", build)
        data = _cache.memo(self.dataset, "ntriples", build)
        import hashlib  # here: a cold lookup does not load OpenSSL

        return _cache.cached_file("mem" + hashlib.sha256(data).hexdigest()[:29], ".nt", lambda: data)

    def check_shapes(self) -> None:
        """Check the built RDF against the SHACL shapes.

        Raises:
            ShaclError: listing every violation.
        """
        from .shacl import shacl_report

        shacl_report(self.dataset)

    def build(self, out_dir: str | os.PathLike[str], *, review_only: bool = False) -> list[Path]:
        """Write iapgraph.ttl, vocab.ttl and iapgraph.nt into ``out_dir``, all or none.

        Args:
            out_dir: the folder (created if missing).
            review_only: leave out the ontology's subclass / part_of links (graph/hierarchy/).

        Returns:
            The paths written.

        Raises:
            OutputError: the folder cannot be made or a write failed (the previous build is kept).
        """
        from pathlib import Path

        from .export.build import build

        return build(self.dataset, Path(out_dir), hierarchy=not review_only)

    # --- paths -------------------------------------------------------------------------------

    def paths(self, source: str, target: str, *, k: int = 3, max_length: int = 6,
              relations: Names = None, exclude_relations: Names = None, via: Names = None,
              signed: bool = False, expect: str | None = None,
              through_hubs: bool = False, exact: bool = False) -> list[Chain]:
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
            exact: the named ends only; by default a class at either end includes its subtypes in
                the ontology hierarchy (a chain to lung cancer may end at NSCLC).

        Returns:
            The chains (each a sequence of hops with their statements and quotes).

        Raises:
            UnknownEntity: a name that resolves to nothing.
            UsageError: an unknown relation or a bad count.
        """
        from .paths import paths

        return paths(self, source, target, k=k, max_length=max_length, relations=relations,
                     exclude_relations=exclude_relations, via=via, signed=signed, expect=expect,
                     through_hubs=through_hubs, exact=exact)

    def no_chain_hint(self, source: str, target: str, *, max_length: int = 6,
                      relations: Names = None, exclude_relations: Names = None, via: Names = None,
                      signed: bool = False, expect: str | None = None,
                      through_hubs: bool = False) -> str:
        """Why :meth:`paths` found no chain, when one of its defaults is the reason.

        Args:
            source, target, max_length, relations, exclude_relations, via, signed, expect,
            through_hubs: as given to :meth:`paths`.

        Returns:
            The default and the option that lifts it (``--relation tests ...``,
            ``--through-hubs``, ``--max-length N``), or "" when lifting none finds a chain.
        """
        from .paths import no_chain_hint

        return no_chain_hint(self, source, target, max_length=max_length, relations=relations,
                             exclude_relations=exclude_relations, via=via, signed=signed,
                             expect=expect, through_hubs=through_hubs)

    def neighbors(self, name: str, *, relations: Names = None, direction: str = "both",
                  kinds: Names = None, depth: int = 1, negated: bool = True,
                  through_hubs: bool = False, exact: bool = False) -> list[Neighbor]:
        """Statements around an entity, up to ``depth`` steps out, nearest first.

        A class stands for itself and its subtypes in the ontology hierarchy: ``neighbors("lung
        cancer")`` lists the statements of NSCLC and SCLC too, each row's ``matched`` naming the
        subtype it was found from.

        Args:
            name: a name of the entity.
            relations: keep these relations only.
            direction: ``out`` (what it acts on), ``in`` (what acts on it) or ``both``.
            kinds: keep rows whose far entity is of these kinds (plurals accepted).
            depth: how many steps out.
            negated: list the statements the review negates (never walked further).
            through_hubs: walk on through processes, hallmarks and the like.
            exact: the named entity only, not its subtypes.

        Returns:
            One :class:`~iapgraph.paths.Neighbor` per statement found.

        Raises:
            UnknownEntity: the name resolves to nothing.
            UsageError: an unknown relation, kind or direction.
        """
        from .paths import neighbors

        return neighbors(self, name, relations=relations, direction=direction, kinds=kinds,
                         depth=depth, negated=negated, through_hubs=through_hubs, exact=exact)

    def explain(self, source: str, target: str, *, k: int = 2, max_length: int = 6,
                expect: str | None = None, via: Names = None, relations: Names = None,
                exclude_relations: Names = None, through_hubs: bool = False,
                exact: bool = False) -> Explanation:
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
            exact: the named ends only, not the subtypes of a class.

        Returns:
            The explanation; ``str()`` of it reads as text with the quotes.

        Raises:
            UnknownEntity: a name that resolves to nothing.
            UsageError: an unknown relation or a bad count.
        """
        from .paths import explain

        return explain(self, source, target, k=k, max_length=max_length, expect=expect, via=via,
                       relations=relations, exclude_relations=exclude_relations,
                       through_hubs=through_hubs, exact=exact)

    def conflicts(self, name: str | None = None, *, relations: Names = None,
                  exact: bool = False) -> list[Conflict]:
        """Pairs of statements that disagree (opposite effects, or asserted against negated).

        Args:
            name: only pairs involving this entity or, for a class, one of its subtypes in the
                ontology hierarchy; None for all.
            relations: keep pairs where one statement has one of these relations.
            exact: the named entity only, not its subtypes.

        Returns:
            The conflicting pairs, each with both statements and their evidence.

        Raises:
            UnknownEntity: the name resolves to nothing.
            UsageError: an unknown relation.
        """
        from .paths import conflicts

        return conflicts(self, name, relations=relations, exact=exact)

    # --- SPARQL --------------------------------------------------------------------------------

    def query(self, query: str, params: Mapping[str, str | Sequence[str]] | None = None, *,
              engine: str = "oxigraph", endpoint: str | None = None, limit: int | None = None,
              timeout: float | None = None, is_text: bool | None = None,
              max_bytes: int | None = 100_000_000, exact: bool = False) -> Result:
        """Run a library query (by name), a .rq file or SPARQL text on the graph or an endpoint.

        Args:
            query: a library query name (``iapgraph queries``), a .rq path, or SPARQL text.
            params: a value (or values) per declared parameter; names resolve through aliases. An
                entity stands for itself and its subtypes in the ontology hierarchy (``cancer=lung``
                also matches NSCLC and SCLC); ``=NAME`` matches that entity only.
            engine: ``oxigraph`` (default) or ``rdflib``.
            endpoint: ask this SPARQL 1.1 endpoint instead of the embedded graph.
            limit: at most this many rows (the result says when it cut).
            timeout: stop the query after this many seconds (it runs in a worker process).
            is_text: True takes ``query`` as SPARQL text whatever it looks like.
            max_bytes: stop collecting rows (or triples) past this many bytes of terms
                (``result.cut == "bytes"``); None for no cap.
            exact: every entity parameter matches the named entity only, not its subtypes.

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
                   is_text=is_text, max_bytes=max_bytes, exact=exact)

    # --- export and HTML ----------------------------------------------------------------------

    def export(self, fmt: str, output: str | os.PathLike[str], *, negated: bool = True,
               ontology: bool = True) -> Exported:
        """Write the graph in another tool's format (``iapgraph.FORMATS``).

        Args:
            fmt: turtle, ntriples, jsonld, graphml, cx2, kgx, sif, neo4j, indra or bel.
            output: the file, or for kgx and neo4j a prefix or an existing folder.
            negated: False leaves out the statements the review negates.
            ontology: False leaves out the ontology's subclass / part_of links (review only).

        Returns:
            What was written, with counts and notes.

        Raises:
            UsageError: an unknown format.
            OutputError: the folder is missing or a write failed (nothing was replaced).
        """
        from pathlib import Path

        from .export import export

        return export(self, fmt, Path(output), negated=negated, ontology=ontology)

    def viz(self, output: str | os.PathLike[str], *, size: str = "degree", title: str | None = None,
            focus: Sequence[str] = (), depth: int | None = None, relations: Sequence[str] = (),
            kinds: Sequence[str] = (), hallmark: str | None = None,
            path: tuple[str, str] | None = None, k: int = 3, domains: bool = False,
            negated: bool = True, all_edges: bool = False, exact: bool = False) -> tuple[Path, View]:
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
            all_edges: in a focus or path view, also draw the statements among the shown nodes
                that the walk or the chains did not use.
            exact: a focus class without its subtypes in the ontology hierarchy.

        Returns:
            The path written and the view drawn.

        Raises:
            UnknownEntity: a name that resolves to nothing.
            UsageError: conflicting or unknown options.
            OutputError: the write failed (nothing was replaced).
        """
        from pathlib import Path

        from .viz.page import write_html

        return write_html(self, Path(output), size=size, title=title, focus=focus, depth=depth,
                          relations=relations, kinds=kinds, hallmark=hallmark, path=path, k=k,
                          domains=domains, negated=negated, all_edges=all_edges, exact=exact)


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
    # strings, not Paths: a cache hit is found without importing pathlib
    dirs = [os.fspath(d) for d in graph_dirs] if graph_dirs else [default_graph_folder()]
    files = [f for d in dirs for t in ("entities", "statements", "hierarchy") for f in table_file_names(d, t)]
    if not cache or not files:
        return KnowledgeGraph(load_dataset(dirs))
    try:
        key = _cache.fingerprint(files)
    except (OSError, RuntimeError):  # unreadable, or a symlink loop (resolve): the loader reports it
        return KnowledgeGraph(load_dataset(dirs))
    return _cache.memo(_LOADED, key, lambda: _from_cache(key, dirs))


def _from_cache(key: str, dirs: list[str]) -> KnowledgeGraph:
    """The graph from the pickle under ``key`` (built and pickled on a miss), its name index
    included: a cold ``iapgraph resolve`` then neither validates nor normalises every name."""
    def build() -> _Cached:
        import pickle  # here: a cached lookup reads with cache's unpickler

        dataset = load_dataset(dirs)
        derived = _derived(dataset)
        return _Cached(dataset, NameIndex(dataset.entities.values()),
                       pickle.dumps(derived, protocol=pickle.HIGHEST_PROTOCOL) if derived else b"")

    cached = _cache.cached_pickle(key, _Cached, build)
    if cached.derived:
        _cache.provide(cached.dataset, _DERIVED_NAMES, cached.derived)
    graph = KnowledgeGraph(cached.dataset, key=key)
    graph.__dict__["names"] = cached.names  # what the ``names`` cached_property would compute
    return graph


#: Statements up to which the dataset pickle also holds the derived tables of :func:`_derived`.
_DERIVED_UP_TO = 20_000
#: The memo keys (or their first items) of what :func:`_derived` computes.
_DERIVED_NAMES = frozenset({"walk-nodes", "walk-index", "quote-directness"})


def _derived(dataset: Dataset) -> dict[Any, Any]:
    """What a cold lookup would otherwise derive from the dataset in every process (by its
    :func:`iapgraph.cache.memo` key): the default walk index with the node numbering it shares,
    and how directly each quote names its statement's ends (a regular expression per entity).
    Only for a graph of the curated size: a large lab folder would pay seconds in every build
    for what few of its processes ask."""
    if len(dataset.statements) > _DERIVED_UP_TO:
        return {}
    from .paths.chains import directness
    from .paths.search import WalkOptions, nodes_of, walk_index

    entities = dataset.entities
    return {"walk-nodes": nodes_of(dataset),
            ("walk-index", WalkOptions()): walk_index(dataset, WalkOptions()),
            "quote-directness": {s.id: directness(s, entities) for s in dataset.statements}}


class _Cached:
    """What the dataset pickle holds (the key covers the code of all three: see cache._BUILDERS)."""

    __slots__ = ("dataset", "derived", "names")

    def __init__(self, dataset: Dataset, names: NameIndex, derived: bytes = b""):
        self.dataset, self.names, self.derived = dataset, names, derived  # derived: pickled, see _derived

    def __getstate__(self) -> tuple[Dataset, NameIndex, bytes]:
        return self.dataset, self.names, self.derived

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.dataset, self.names = state[0], state[1]
        self.derived = state[2] if len(state) > 2 and isinstance(state[2], bytes) else b""


def diff(old: str | os.PathLike[str], new: str | os.PathLike[str] | None = None, *,
         repo: str | os.PathLike[str] | None = None) -> GraphDiff:
    """What changed between two versions of the curated graph, for a curator reviewing a change.

    Args:
        old: a graph folder, a release folder holding graph/, or a git revision (``main``,
            ``v0.1:graph``) whose graph/ is read with ``git archive``.
        new: the same; by default graph/ here if there is one, else the project's graph/.
        repo: the git checkout revisions are read from (default: the current folder's).

    Returns:
        Entities and statements added, removed and changed field by field (with their quotes),
        and the assertions gained and lost; ``.render("text" | "md" | "json")`` prints it.

    Raises:
        UsageError: a version that is neither a graph folder nor a git revision.
        CurationError: a file that cannot be read as a table.

    >>> diff(default_graph_dir()).summary()[0]
    'entities: 0 added, 0 removed, 0 changed'
    """
    from pathlib import Path

    from .graphdiff import diff_versions

    if new is None:
        here = Path("graph")
        new = "graph" if table_files(here, "entities") or table_files(here, "statements") else default_graph_dir()
    return diff_versions(os.fspath(old), os.fspath(new), repo=Path(repo) if repo is not None else None)


class _Loaded:
    """The owner of the process's loaded graphs in :func:`iapgraph._cache.memo`."""


_LOADED = _Loaded()
