"""``iapgraph build``: write the graph's artefacts (Turtle first), each atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .outputs import write_with


def build(kg: Any, out_dir: Path) -> list[Path]:
    """Write graph.ttl, vocab.ttl and graph.nt into ``out_dir``; return the paths written."""
    from .rdf import vocabulary

    out_dir.mkdir(parents=True, exist_ok=True)
    data = kg.to_rdf()
    written = [
        write_with(out_dir / "iapgraph.ttl", lambda p: data.serialize(p, format="turtle")),
        write_with(out_dir / "vocab.ttl", lambda p: vocabulary().serialize(p, format="turtle")),
        write_with(out_dir / "iapgraph.nt", lambda p: data.serialize(p, format="nt")),
    ]
    return written
