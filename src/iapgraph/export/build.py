"""``iapgraph build``: write the graph's artefacts together and atomically.

All three are written to temporary files first and moved into place only when all are complete,
so a failed or killed build leaves the previous build whole (see :mod:`iapgraph.outputs`).

The data graph never goes through an rdflib Graph: :mod:`iapgraph.ntriples` writes its sorted
N-Triples from the model (the same bytes rdflib gave), and pyoxigraph serialises those as Turtle.
"""

from __future__ import annotations

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

    def vocabulary_turtle(path: Path) -> None:
        from ..rdf import vocabulary

        vocabulary().serialize(path, format="turtle", encoding="utf-8")

    return write_all({
        out_dir / "iapgraph.ttl": lambda p: turtle_from_ntriples(data, p),
        out_dir / "vocab.ttl": vocabulary_turtle,
        out_dir / "iapgraph.nt": lambda p: p.write_bytes(data),
    })
