"""RDF exports: Turtle, N-Triples and JSON-LD of exactly the graph :func:`iapgraph.rdf.to_rdf` builds.

JSON-LD carries a ``@context`` with the project's prefixes (``iap``, ``entity``, ``stmt``), the
standard vocabularies and every identifier registry of :data:`iapgraph.vocab.PREFIXES`, so the
document reads ``"skos:exactMatch": {"@id": "uniprot:P98170"}`` and any JSON-LD processor expands it
back to the same triples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


def _iri_compactor(context: dict[str, Any]) -> Callable[[str], str]:
    """``iri -> compact IRI`` with the longest prefix of ``context`` that may make one (JSON-LD 1.1:
    a prefix ending in a gen-delim or marked ``@prefix``), else the IRI itself."""
    prefixes = sorted(((v if isinstance(v, str) else v["@id"], k) for k, v in context.items()
                       if (isinstance(v, str) and not k.startswith("@"))
                       or (isinstance(v, dict) and v.get("@prefix") is True)),
                      key=lambda pair: -len(pair[0]))
    candidates: dict[str, list[tuple[str, str]]] = {}  # by the IRI up to its last / # or :

    def compact(iri: str) -> str:
        head = iri[:max(iri.rfind("/"), iri.rfind("#"), iri.rfind(":")) + 1]
        found = candidates.get(head)
        if found is None:
            found = candidates[head] = [(ns, name) for ns, name in prefixes
                                        if head.startswith(ns) or ns.startswith(head)]
        for ns, name in found:  # longest first
            if iri.startswith(ns) and not iri.startswith("//", len(ns)):
                return f"{name}:{iri[len(ns):]}"
        return iri

    return compact


def _jsonld_nodes(data: bytes, context: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The node objects of sorted N-Triples, compacted with ``context``: one per subject, a
    property's single value as itself and several as a list (in line order); literals of a
    property with a typed term as plain strings under the term's name."""
    import pyoxigraph as ox

    xsd = vocab.STANDARD_PREFIXES["xsd"]
    rdf_type = vocab.STANDARD_PREFIXES["rdf"] + "type"
    compact = _iri_compactor(context)
    terms = {f"{vocab.VOCAB_NS}{name}": (name, xsd + term["@type"].split(":", 1)[1])
             for name, term in context.items() if isinstance(term, dict) and "@type" in term}
    explicit_strings = {f"{vocab.VOCAB_NS}{q.name}" for table in (vocab.QUALIFIERS, vocab.ENTITY_ATTRIBUTES)
                        for q in table.values() if q.datatype == "string"}
    string, boolean, integer = xsd + "string", xsd + "boolean", xsd + "integer"
    node: dict[str, Any] = {}
    subject = None
    for triple in ox.parse(data, ox.RdfFormat.N_TRIPLES):
        if triple.subject.value != subject:
            if node:
                yield node
            subject = triple.subject.value
            node = {"@id": compact(subject)}
        predicate, obj = triple.predicate.value, triple.object
        value: Any
        if predicate == rdf_type and isinstance(obj, ox.NamedNode):
            key, value = "@type", compact(obj.value)
        elif isinstance(obj, ox.NamedNode):
            key, value = compact(predicate), {"@id": compact(obj.value)}
        elif obj.language:
            key, value = compact(predicate), {"@value": obj.value, "@language": obj.language}
        else:
            datatype = obj.datatype.value
            if datatype == string and predicate in explicit_strings:
                datatype = string + "!"  # typed xsd:string, as rdflib keeps it apart from a plain one
            term = terms.get(predicate)
            if term is not None and term[1] == datatype.rstrip("!"):
                key, value = term[0], obj.value
            elif datatype == string:
                key, value = compact(predicate), obj.value
            elif datatype == boolean and obj.value in ("true", "false"):
                key, value = compact(predicate), obj.value == "true"
            elif datatype == integer and obj.value == str(int(obj.value) if obj.value.lstrip("-").isdigit()
                                                           else None):
                key, value = compact(predicate), int(obj.value)
            else:
                key, value = compact(predicate), {"@value": obj.value, "@type": compact(datatype.rstrip("!"))}
        if key not in node:
            node[key] = value
        elif isinstance(node[key], list):
            node[key].append(value)
        else:
            node[key] = [node[key], value]
    if node:
        yield node


def _write_jsonld(data: bytes, context: dict[str, Any], path: Path) -> None:
    """A JSON-LD document ``{"@context": ..., "@graph": [...]}``, written node by node."""
    import json

    with open(path, "w", encoding="utf-8") as out:
        out.write('{\n  "@context": ')
        out.write(json.dumps(context, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n  "))
        out.write(',\n  "@graph": [')
        separator = "\n    "
        for node in _jsonld_nodes(data, context):
            out.write(separator)
            out.write(json.dumps(node, ensure_ascii=False))
            separator = ",\n    "
        out.write("\n  ]\n}\n")


def _rdf_writer(serialize: Callable[[bytes, Path], None]) -> Callable[[Dataset, Path], dict[str, int]]:
    """A writer that writes the sorted N-Triples once (from the model, :mod:`iapgraph.ntriples`;
    no rdflib Graph) and lets ``serialize(ntriples, path)`` fill the output."""

    def write(dataset: Dataset, output: Path) -> dict[str, int]:
        from ..ntriples import ntriples

        data = ntriples(dataset)
        write_with(output, lambda p: serialize(data, p))
        return {"triples": data.count(b"\n")}

    return write


def _turtle(data: bytes, path: Path) -> None:
    from ..ntriples import turtle_from_ntriples

    turtle_from_ntriples(data, path)  # pyoxigraph's Turtle, with the project's prefixes


write_turtle = _rdf_writer(_turtle)
def _write_bytes(data: bytes, path: Path) -> None:
    path.write_bytes(data)  # the bytes `iapgraph build` writes


write_ntriples = _rdf_writer(_write_bytes)


def write_jsonld(dataset: Dataset, output: Path) -> dict[str, int]:
    """JSON-LD compacted with :func:`jsonld_context` (the context is written inline)."""
    context = jsonld_context()
    return _rdf_writer(lambda data, p: _write_jsonld(data, context, p))(dataset, output)
