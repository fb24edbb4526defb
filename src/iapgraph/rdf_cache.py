"""The built graph as N-Triples, cached on disk, so SPARQL starts without rdflib.

``iapgraph query`` must start fast: building the graph with rdflib costs its import (0.3 s) and
the build itself on every call. The N-Triples that :func:`iapgraph.rdf.to_rdf` produces are kept in
the user cache, keyed by the curated files (path, size, mtime) and by the code that builds them,
so Oxigraph can load them directly; a changed TSV or a changed builder rebuilds once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .load import default_graph_dir, table_files

#: The modules whose code decides the triples; editing them invalidates the cache.
_BUILDERS = ("rdf.py", "vocab.py", "model.py", "validate.py")


def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "iapgraph"


def graph_files(graph_dirs: Sequence[str | os.PathLike[str]] | None) -> list[Path]:
    dirs = [Path(d) for d in graph_dirs] if graph_dirs else [default_graph_dir()]
    return [f for d in dirs for t in ("entities", "statements") for f in table_files(d, t)]


def fingerprint(files: Sequence[Path]) -> str:
    """A key that changes when a curated file or the RDF builder changes."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"nt\0{__version__}\n".encode())
    for path in [*files, *(here / name for name in _BUILDERS)]:
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def _prune(folder: Path, keep: int = 8) -> None:
    """Drop all but the newest few cached graphs (each edit of graph/ makes a new one)."""
    cached = sorted(folder.glob("graph-*.nt"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in cached[keep:]:
        old.unlink(missing_ok=True)


def build_ntriples(kg: Any) -> bytes:
    """Serialise the graph with the project's RDF builder (imports rdflib)."""
    from .rdf import ntriples, to_rdf

    return ntriples(to_rdf(kg.dataset))


def ntriples_path(graph_dirs: Sequence[str | os.PathLike[str]] | None = None) -> Path:
    """Path of the cached N-Triples of the graph in ``graph_dirs`` (built on a miss).

    A miss loads the folders through :func:`iapgraph.load` (itself cached by the same files), so
    the triples always match the files the key was computed from.
    """
    from .kg import load

    files = graph_files(graph_dirs)
    path = _cache_dir() / f"graph-{fingerprint(files)}.nt"
    if path.is_file():
        return path
    data = build_ntriples(load(list(graph_dirs) if graph_dirs else None))
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
        _prune(path.parent)
    except OSError:  # a read-only home: keep the triples in a temporary file for this process
        import contextlib
        import tempfile

        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        fd, name = tempfile.mkstemp(suffix=".nt")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return Path(name)
    return path
