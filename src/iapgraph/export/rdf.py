"""RDF exports: Turtle, N-Triples and JSON-LD of exactly the graph :func:`iapgraph.rdf.to_rdf` builds.

JSON-LD carries a ``@context`` with the project's prefixes (``iap``, ``entity``, ``stmt``), the
standard vocabularies and every identifier registry of :data:`iapgraph.vocab.PREFIXES`, so the
document reads ``"skos:exactMatch": {"@id": "uniprot:P98170"}`` and any JSON-LD processor expands it
back to the same triples.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
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
    known: dict[str, str] = {}

    def compact(iri: str) -> str:
        found = known.get(iri)
        if found is not None:
            return found
        head = iri[:max(iri.rfind("/"), iri.rfind("#"), iri.rfind(":")) + 1]
        options = candidates.get(head)
        if options is None:
            options = candidates[head] = [(ns, name) for ns, name in prefixes
                                          if head.startswith(ns) or ns.startswith(head)]
        found = iri
        for ns, name in options:  # longest first
            if iri.startswith(ns) and not iri.startswith("//", len(ns)):
                found = f"{name}:{iri[len(ns):]}"
                break
        known[iri] = found
        return found

    return compact


_UNESCAPE = {"\\": "\\", "n": "\n", '"': '"', "r": "\r"}
_ESCAPED = re.compile(r"\\(.)")


def _literal_spec(predicate: str, tail: str, compact: Callable[[str], str],
                  terms: dict[str, tuple[str, str]]) -> tuple[str, str, str]:
    """(key, how the value is written, its @type or @language) for a literal of ``predicate``
    whose N-Triples text ends in ``tail`` ('' for a plain literal, ``^^<datatype>`` or ``@lang``)."""
    xsd = vocab.STANDARD_PREFIXES["xsd"]
    if not tail:
        return compact(predicate), "plain", ""
    if tail.startswith("@"):
        return compact(predicate), "language", tail[1:]
    datatype = tail[3:-1]
    term = terms.get(predicate)
    if term is not None and term[1] == datatype:
        return term[0], "plain", ""
    how = {xsd + "boolean": "boolean", xsd + "integer": "integer"}.get(datatype, "typed")
    return compact(predicate), how, compact(datatype)


def _jsonld_nodes(lines: Iterable[str], context: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The node objects of sorted N-Triples lines (as :func:`iapgraph.ntriples.lines` gives them),
    compacted with ``context``: one per subject, a property's single value as itself and several as
    a list (in line order); a literal of a property with a typed term of its datatype as a plain
    string under the term's name (``"ub_chain": "K48"``, an xsd:string kept apart from a plain one,
    as rdflib does); booleans and canonical integers as JSON ones."""
    rdf_type = vocab.STANDARD_PREFIXES["rdf"] + "type"
    compact = _iri_compactor(context)
    xsd = vocab.STANDARD_PREFIXES["xsd"]
    terms = {f"{vocab.VOCAB_NS}{name}": (name, xsd + term["@type"].split(":", 1)[1])
             for name, term in context.items() if isinstance(term, dict) and "@type" in term}
    specs: dict[tuple[str, str], tuple[str, str, str]] = {}
    node: dict[str, Any] = {}
    subject = ""
    for line in lines:  # <subject> <predicate> object .\n
        a = line.index(" ")
        b = line.index(" ", a + 1)
        if line[1:a - 1] != subject:
            if node:
                yield node
            subject = line[1:a - 1]
            node = {"@id": compact(subject)}
        predicate, obj = line[a + 2:b - 1], line[b + 1:-3]
        value: Any
        if obj[0] == "<":
            if predicate == rdf_type:
                key, value = "@type", compact(obj[1:-1])
            else:
                key, value = compact(predicate), {"@id": compact(obj[1:-1])}
        else:
            end = obj.rindex('"')
            text, tail = obj[1:end], obj[end + 1:]
            if "\\" in text:
                text = _ESCAPED.sub(lambda m: _UNESCAPE[m.group(1)], text)
            spec = specs.get((predicate, tail))
            if spec is None:
                spec = specs[predicate, tail] = _literal_spec(predicate, tail, compact, terms)
            key, how, kind = spec
            if how == "plain":
                value = text
            elif how == "boolean" and text in ("true", "false"):
                value = text == "true"
            elif how == "integer" and text.lstrip("-").isdigit() and str(int(text)) == text:
                value = int(text)
            elif how == "language":
                value = {"@value": text, "@language": kind}
            else:
                value = {"@value": text, "@type": kind}
        if key not in node:
            node[key] = value
        elif isinstance(node[key], list):
            node[key].append(value)
        else:
            node[key] = [node[key], value]
    if node:
        yield node


def _write_jsonld(lines: Iterable[str], context: dict[str, Any], path: Path) -> None:
    """A JSON-LD document ``{"@context": ..., "@graph": [...]}``, written node by node."""
    import json

    with open(path, "w", encoding="utf-8") as out:
        out.write('{\n  "@context": ')
        out.write(json.dumps(context, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n  "))
        out.write(',\n  "@graph": [')
        separator = "\n    "
        for node in _jsonld_nodes(lines, context):
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
    """JSON-LD compacted with :func:`jsonld_context` (the context is written inline), node by node
    from the sorted N-Triples lines of the model (no rdflib Graph)."""
    from ..ntriples import lines

    context = jsonld_context()
    count = 0

    def counted() -> Iterator[str]:
        nonlocal count
        for line in lines(dataset):
            count += 1
            yield line

    write_with(output, lambda p: _write_jsonld(counted(), context, p))
    return {"triples": count}
