"""RDF exports: Turtle, N-Triples and JSON-LD of exactly the graph :func:`iapgraph.rdf.to_rdf` builds.

JSON-LD carries a ``@context`` with the project's prefixes (``iap``, ``entity``, ``stmt``), the
standard vocabularies and every identifier registry of :data:`iapgraph.vocab.PREFIXES`, so the
document reads ``"skos:exactMatch": {"@id": "uniprot:P98170"}`` and any JSON-LD processor expands it
back to the same triples.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import rdflib

from .. import vocab
from ..model import Dataset
from ..outputs import write_with

#: Characters that end an IRI prefix on their own in JSON-LD 1.1; other prefixes need "@prefix".
_GEN_DELIMS = (":", "/", "?", "#", "[", "]", "@")

_STANDARD = {name: vocab.STANDARD_PREFIXES[name]
             for name in ("rdf", "rdfs", "xsd", "skos", "dcterms", "biolink")}


def _typed_terms() -> dict[str, dict[str, str]]:
    """A term per qualifier and entity attribute with its datatype: ``"hazard_ratio": "3.46"``
    reads back as an xsd:decimal, and an xsd:string stays typed (rdflib's JSON-LD writer would
    otherwise write it as a plain string, which reads back as an untyped literal)."""
    types: dict[str, set[str]] = {}
    for table in (vocab.QUALIFIERS, vocab.ENTITY_ATTRIBUTES):
        for q in table.values():
            types.setdefault(q.name, set()).add(q.datatype)
    return {name: {"@id": f"iap:{name}", "@type": f"xsd:{kinds.pop()}"}
            for name, kinds in types.items() if len(kinds) == 1}


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD ``@context``: project prefixes, standard vocabularies, identifier registries,
    and typed terms for qualifiers and entity attributes."""
    context: dict[str, Any] = {"@version": 1.1}
    iris = {**vocab.NAMESPACES, **_STANDARD, **{p.prefix: p.uri_prefix for p in vocab.PREFIXES.values()}}
    for name, iri in iris.items():
        context[name] = iri if iri.endswith(_GEN_DELIMS) else {"@id": iri, "@prefix": True}
    context.update(_typed_terms())
    return context


def _rdf_writer(serialize: Callable[[Any, Path], None]) -> Callable[[Dataset, Path], dict[str, int]]:
    """A writer that builds the RDF once and lets ``serialize(graph, path)`` fill the output."""

    def write(dataset: Dataset, output: Path) -> dict[str, int]:
        from ..rdf import to_rdf

        graph = to_rdf(dataset)
        write_with(output, lambda p: serialize(graph, p))
        return {"triples": len(graph)}

    return write


def _ntriples(graph: rdflib.Graph, path: Path) -> None:
    from ..rdf import ntriples

    path.write_bytes(ntriples(graph))  # the same sorted lines as `iapgraph build` writes


write_turtle = _rdf_writer(lambda g, p: g.serialize(destination=str(p), format="turtle"))
write_ntriples = _rdf_writer(_ntriples)


def write_jsonld(dataset: Dataset, output: Path) -> dict[str, int]:
    """JSON-LD compacted with :func:`jsonld_context` (the context is written inline)."""
    context = jsonld_context()
    return _rdf_writer(lambda g, p: g.serialize(destination=str(p), format="json-ld", context=context,
                                                encoding="utf-8"))(dataset, output)
