"""``iapgraph build``: write the graph's artefacts together and atomically.

All three are written to temporary files first and moved into place only when all are complete,
so a failed or killed build leaves the previous build whole (see :mod:`iapgraph.outputs`).

The data graph never goes through an rdflib Graph: :mod:`iapgraph.ntriples` writes its sorted
N-Triples from the model (the same bytes rdflib gave), and pyoxigraph serialises those as Turtle,
in a forked child at the same time where it may (:func:`build`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from .. import forks
from ..exceptions import OutputError
from ..model import Dataset
from ..ntriples import (
    chunks,
    mark_strings,
    received_pieces,
    send_piece,
    string_marker,
    turtle_from_ntriples,
    turtle_from_pieces,
)
from ..outputs import atomic_paths, write_one


def build(dataset: Dataset, out_dir: Path, hierarchy: bool = True) -> list[Path]:
    """Write iapgraph.ttl, vocab.ttl and iapgraph.nt into ``out_dir``; return the paths written.
    ``hierarchy`` False leaves out the ontology links (the review-only graph).

    The N-Triples go to their file piece by piece as they are made; where a child process may be
    forked (:mod:`iapgraph.forks`), the same pieces go down a pipe to one that writes the Turtle
    at the same time, on the other core; else the Turtle is written after, from the same bytes.
    vocab.ttl is written while the Turtle is. Either way the three files replace the old ones
    together or not at all, and a failure names the first file that could not be written (the
    N-Triples are written first, then vocab.ttl, then the Turtle)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output folder: {exc.strerror}") from None
    targets = [out_dir / "iapgraph.ttl", out_dir / "vocab.ttl", out_dir / "iapgraph.nt"]
    with atomic_paths(targets) as (ttl_tmp, vocab_tmp, nt_tmp):
        if forks.available():
            finish = _graph_in_parallel(dataset, hierarchy, (targets[2], nt_tmp), (targets[0], ttl_tmp))
        else:
            pieces: list[bytes] = []
            write_one(targets[2], nt_tmp, lambda p: _write_pieces(p, chunks(dataset, hierarchy), pieces.append))
            data = b"".join(pieces)
            del pieces[:]
            write_one(targets[0], ttl_tmp, lambda p: turtle_from_ntriples(data, p))
            del data
            finish = _done
        try:  # while the Turtle is being written: vocab.ttl (on a cold cache, rdflib writes it)
            write_one(targets[1], vocab_tmp, lambda p: p.write_bytes(vocabulary_turtle()))
        except BaseException:
            finish(abandon=True)
            raise
        finish()
    return targets


def _done(abandon: bool = False) -> None:
    pass


def _write_pieces(path: Path, pieces: Iterable[bytes], also: Callable[[bytes], object]) -> None:
    with open(path, "wb") as out:
        for piece in pieces:
            out.write(piece)
            also(piece)


def _graph_in_parallel(dataset: Dataset, hierarchy: bool, nt: tuple[Path, Path],
                       ttl: tuple[Path, Path]) -> Callable[..., None]:
    """Write the N-Triples here, and start a forked child writing the Turtle from the same pieces,
    sent through a pipe; returns what waits for the child (or, ``abandon=True``, stops it)."""
    (nt_target, nt_tmp), (ttl_target, ttl_tmp) = nt, ttl
    marker = string_marker()
    read, write = os.pipe()

    def turtle() -> None:
        os.close(write)
        with os.fdopen(read, "rb") as stream:
            turtle_from_pieces(received_pieces(stream), ttl_tmp, marker)

    child = forks.start(turtle)
    os.close(read)
    clash = broken = False
    pipe = os.fdopen(write, "wb")

    def feed(piece: bytes) -> None:
        nonlocal clash, broken
        clash = clash or marker in piece
        if not broken:
            try:
                send_piece(pipe, mark_strings(piece, marker))
            except BrokenPipeError:  # the child failed: finish() reports why
                broken = True

    try:
        write_one(nt_target, nt_tmp, lambda p: _write_pieces(p, chunks(dataset, hierarchy), feed))
    except BaseException:
        child.kill()
        raise
    finally:
        with contextlib.suppress(BrokenPipeError):
            pipe.close()

    def finish(abandon: bool = False) -> None:
        if abandon:
            child.kill()
        elif clash:  # the random placeholder is in the data after all: the Turtle again, here
            child.kill()
            write_one(ttl_target, ttl_tmp, lambda p: turtle_from_ntriples(nt_tmp.read_bytes(), p))
        else:
            write_one(ttl_target, ttl_tmp, lambda p: child.wait())

    return finish


def vocabulary_turtle() -> bytes:
    """vocab.ttl: rdflib's Turtle of :func:`iapgraph.rdf.vocabulary`. It depends on the code alone,
    so it is kept in the user cache under a key of the code that makes it (and rdflib's version):
    a build then does not import rdflib (about 0.3 s)."""
    from importlib.metadata import version

    from .. import cache

    here = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(version("rdflib").encode())
    for name in ("rdf.py", "vocab.py", "_version.py"):
        digest.update(hashlib.sha256((here / name).read_bytes()).digest())

    def make() -> bytes:
        from ..rdf import vocabulary

        return vocabulary().serialize(format="turtle", encoding="utf-8")

    return cache.cached_file("vocab-" + digest.hexdigest()[:24], ".ttl", make).read_bytes()
