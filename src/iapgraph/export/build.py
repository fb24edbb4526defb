"""``iapgraph build``: write the graph's artefacts together and atomically.

All three are written to temporary files first and moved into place only when all are complete,
so a failed or killed build leaves the previous build whole (see :mod:`iapgraph.outputs`).

The data graph never goes through an rdflib Graph: :mod:`iapgraph.ntriples` writes its sorted
N-Triples from the model (the same bytes rdflib gave), and pyoxigraph serialises those as Turtle.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..exceptions import OutputError
from ..model import Dataset
from ..outputs import write_all


def build(dataset: Dataset, out_dir: Path, hierarchy: bool = True) -> list[Path]:
    """Write iapgraph.ttl, vocab.ttl and iapgraph.nt into ``out_dir``; return the paths written.
    ``hierarchy`` False leaves out the ontology links (the review-only graph)."""
    from ..ntriples import ntriples, turtle_from_ntriples

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output folder: {exc.strerror}") from None
    data = ntriples(dataset, hierarchy=hierarchy)
    vocabulary = vocabulary_turtle()
    return write_all({
        out_dir / "iapgraph.ttl": lambda p: turtle_from_ntriples(data, p),
        out_dir / "vocab.ttl": lambda p: p.write_bytes(vocabulary),
        out_dir / "iapgraph.nt": lambda p: p.write_bytes(data),
    })


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
