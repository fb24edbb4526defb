"""The Python API: ``iapgraph.load()`` and the KnowledgeGraph users and the CLI work with.

Loading reads and validates the curated TSVs once per process (and keeps a pickled copy keyed by
the files' sizes and times, so a cold CLI process skips validation); builders run on demand.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .exceptions import CurationError
from .load import default_graph_dir, read_folders, table_files
from .model import Dataset, Entity, Statement
from .resolve import NameIndex

if TYPE_CHECKING:
    import networkx as nx
    import rdflib


class KnowledgeGraph:
    """The loaded graph: entities, statements, name resolution and the builders."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {len(self.entities)} entities, {len(self.statements)} statements>"

    @property
    def entities(self) -> dict[str, Entity]:
        return dict(self.dataset.entities)

    @property
    def statements(self) -> tuple[Statement, ...]:
        return self.dataset.statements

    @cached_property
    def names(self) -> NameIndex:
        return NameIndex(self.dataset.entities.values())

    def resolve(self, name: str) -> str:
        """The entity id for any label, symbol, alias, id or xref (case-insensitive).

        Raises :class:`iapgraph.UnknownEntity` with the closest names when nothing matches.
        """
        return self.names.resolve(name)

    def entity(self, name: str) -> Entity:
        """The entity a name resolves to."""
        return self.dataset.entities[self.resolve(name)]

    def find(self, subject: str | None = None, relation: str | None = None,
             object: str | None = None, *, negated: bool | None = False) -> list[Statement]:
        """Statements matching the given names (resolved) and relation; negated ones only if asked.

        ``negated=None`` returns both asserted and negated statements.
        """
        sid = self.resolve(subject) if subject else None
        oid = self.resolve(object) if object else None
        return [
            s for s in self.dataset.statements
            if (sid is None or s.subject == sid) and (oid is None or s.object == oid)
            and (relation is None or s.relation == relation)
            and (negated is None or s.negated == negated)
        ]

    def to_networkx(self) -> nx.MultiDiGraph:
        """A fresh MultiDiGraph (callers may change it)."""
        from .network import to_networkx

        return to_networkx(self.dataset)

    def to_rdf(self) -> rdflib.Graph:
        """A fresh rdflib Graph of the data (see :mod:`iapgraph.rdf` for the model)."""
        from .rdf import to_rdf

        return to_rdf(self.dataset)

    def __getattr__(self, name: str) -> Any:
        # Layers (paths, query ...) attach functions taking the graph first: kg.paths(...).
        from .extensions import method

        return method(self, name)


def _fingerprint(files: Sequence[Path]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in files:
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "iapgraph"


_MEMORY: dict[str, KnowledgeGraph] = {}


def load_dataset(graph_dirs: Iterable[str | os.PathLike[str]] | None = None) -> Dataset:
    """Read and validate; raise CurationError listing every problem."""
    from .validate import build_dataset

    dirs = [Path(d) for d in graph_dirs] if graph_dirs else [default_graph_dir()]
    entity_rows, statement_rows, problems = read_folders(dirs)
    dataset = build_dataset(entity_rows, statement_rows, problems, tuple(str(d) for d in dirs))
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise CurationError(errors)
    return dataset


def load(graph_dirs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str] | None = None,
         *, cache: bool = True) -> KnowledgeGraph:
    """Load the curated graph (the project's graph/ by default; several folders merge).

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
    key = _fingerprint(files)
    if key in _MEMORY:
        return _MEMORY[key]
    path = _cache_dir() / f"dataset-{key}.pickle"
    dataset: Dataset | None = None
    try:
        with path.open("rb") as fh:
            dataset = pickle.load(fh)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        dataset = None
    if not isinstance(dataset, Dataset):
        dataset = load_dataset(dirs)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as fh:
                pickle.dump(dataset, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:  # a read-only or full home only costs speed
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
    kg = KnowledgeGraph(dataset)
    _MEMORY[key] = kg
    return kg
