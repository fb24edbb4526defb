"""SHACL validation of the built RDF: ``iapgraph validate --shacl``.

The TSV validator checks the curated rows; these shapes check the graph a triple store or another
tool receives, after :func:`iapgraph.rdf.to_rdf` has built it. ``shapes.ttl`` (shipped in the
package) holds the shapes of statement nodes and proteins; :func:`generated_shapes` adds the ones
that follow from the vocabulary tables: the kinds, relations, effects and sections, and one
identifier pattern per registry of :data:`iapgraph.vocab.PREFIXES` (written there once).

>>> import iapgraph
>>> violations(iapgraph.load().to_rdf())
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from . import vocab
from .exceptions import ShaclError
from .model import Dataset

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node, URIRef

SHAPES_NS = vocab.BASE + "shapes#"
SH_NS = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with every term written as a CURIE where a prefix fits."""

    focus: str
    shape: str
    component: str
    path: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f" on {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value and self.value != self.focus else ""
        return f"{self.focus}: {self.shape} [{self.component}]{where}: {self.message}{value}"



_SPECIAL = set("\\|.?*+(){}-[]^$")


def xsd_escape(text: str) -> str:
    """Escape regex metacharacters the way XML Schema regexes (SHACL's sh:pattern) allow: unlike
    :func:`re.escape`, never ``\\#`` or ``\\&``, which are errors there.

    >>> xsd_escape("mirbase.mature:")
    'mirbase\\\\.mature:'
    """
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)


def one_of(names: Iterable[str], prefix: str = "") -> str:
    """A regex for exactly one of ``names`` (after ``prefix``). Used instead of ``sh:in``, whose
    list pyshacl reads again for every focus node (seconds per shape on this graph)."""
    return f"^{xsd_escape(prefix)}({'|'.join(xsd_escape(n) for n in names)})$"


def registry_pattern(registry: vocab.Prefix) -> str:
    """A regex that an xref passes when it is of another registry or matches this one's pattern.

    One ``sh:pattern`` per registry, so a report names the registry; and no ``sh:or``/``sh:not``,
    which pyshacl evaluates value by value (seconds on this graph). "Another registry" is spelled
    without look-ahead, which SHACL's (XPath) regexes lack: shorter than the prefix, or differing
    from it at some character.

    >>> import re
    >>> rx = registry_pattern(vocab.PREFIXES["clinicaltrials"])
    >>> [bool(re.search(rx, x)) for x in ("clinicaltrials:NCT01955434", "clinicaltrials:NCT0195543", "hgnc:590")]
    [True, False, True]
    """
    prefix = registry.prefix + ":"
    body = registry.pattern.removeprefix("^").removesuffix("$")
    differs = [xsd_escape(prefix[:i]) + "[^" + xsd_escape(prefix[i]) + "]" for i in range(len(prefix))]
    return f"^({xsd_escape(prefix)}({body})$|{'|'.join(differs)}|.{{0,{len(prefix) - 1}}}$)"


def generated_shapes() -> Graph:
    """Shapes that follow from :mod:`iapgraph.vocab`: kinds, relations, effects, sections, xrefs."""
    from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace

    from .rdf import IAP

    sh, iapsh = Namespace(SH_NS), Namespace(SHAPES_NS)
    g = Graph()

    def prop(name: str, path: Node, message: str, **constraints: Node) -> None:
        node = iapsh[name]
        g.add((node, RDF.type, sh.PropertyShape))
        g.add((node, sh.path, path))
        g.add((node, sh.message, Literal(message)))
        for key, value in constraints.items():
            g.add((node, sh[key], value))

    def node_shape(name: str, comment: str, properties: list[str], **targets: list[URIRef]) -> None:
        node = iapsh[name]
        g.add((node, RDF.type, sh.NodeShape))
        g.add((node, RDFS.comment, Literal(comment)))
        for key, values in targets.items():
            for value in values:
                g.add((node, sh[key], value))
        for p in properties:
            g.add((node, sh.property, iapsh[p]))

    # Every entity: one label, one kind from the vocabulary.
    prop("EntityLabel", RDFS.label, "an entity has exactly one label",
         minCount=Literal(1), maxCount=Literal(1), minLength=Literal(1))
    prop("EntityKind", IAP.kind, "an entity has exactly one kind from vocab.KINDS",
         minCount=Literal(1), maxCount=Literal(1), pattern=Literal(one_of(vocab.KINDS)))
    node_shape("EntityShape", "Every entity of every kind has one label and one known kind.",
               ["EntityLabel", "EntityKind"],
               targetClass=[IAP[k.rdf_class] for k in vocab.KINDS.values()])

    # Statement terms from the vocabulary.
    prop("StatementRelationTerm", IAP.relation, "the relation is one of vocab.RELATIONS",
         pattern=Literal(one_of(vocab.RELATIONS, vocab.VOCAB_NS)))
    prop("StatementEffectTerm", IAP.effect, f"the effect is one of {', '.join(vocab.EFFECTS)}",
         pattern=Literal(one_of(vocab.EFFECTS)))
    prop("StatementSectionTerm", IAP.section, "the section is one of vocab.SECTIONS",
         pattern=Literal(one_of(vocab.SECTIONS)))
    node_shape("StatementTermsShape", "A statement's relation, effect and section come from the vocabulary.",
               ["StatementRelationTerm", "StatementEffectTerm", "StatementSectionTerm"],
               targetClass=[IAP.Statement])

    # Identifiers: a known registry prefix, and the registry's own pattern for the local id.
    known = "|".join(xsd_escape(p) for p in vocab.PREFIXES)
    prop("XrefPrefix", IAP.xref, f"an xref is a CURIE of a known registry ({', '.join(vocab.PREFIXES)})",
         datatype=XSD.string, pattern=Literal(f"^({known}):"))
    names = ["XrefPrefix"]
    for p in vocab.PREFIXES.values():
        name = f"Xref-{p.prefix}"
        prop(name, IAP.xref, f"a {p.prefix}: identifier matches the {p.name} pattern {p.pattern}",
             pattern=Literal(registry_pattern(p)))
        names.append(name)
    node_shape("XrefShape", "Every cross-reference uses a known registry and matches its pattern.",
               names, targetSubjectsOf=[IAP.xref])
    return g


def shapes_graph() -> Graph:
    """The shipped ``shapes.ttl`` plus :func:`generated_shapes`: every shape the graph must meet."""
    from rdflib import Graph

    g = Graph()
    g.parse(data=resources.files(__package__).joinpath("shapes.ttl").read_text(encoding="utf-8"),
            format="turtle")
    g += generated_shapes()
    g.bind("iapsh", SHAPES_NS)
    g.bind("sh", SH_NS)
    return g


def _name(graph: Graph, node: Node | None) -> str:
    from rdflib import BNode, Literal, URIRef

    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.curie(node, generate=False)
        except (ValueError, KeyError):
            return f"<{node}>"
    if isinstance(node, Literal):
        return repr(str(node))
    if isinstance(node, BNode):
        return "[]"
    return str(node)


def violations(data: Graph) -> list[Violation]:
    """Every SHACL result of ``data`` against :func:`shapes_graph`, sorted by focus node and shape."""
    from pyshacl import validate
    from rdflib import Namespace

    from .rdf import bind_prefixes

    sh = Namespace(SH_NS)
    from .rdf import vocabulary

    # advanced: SPARQL targets; ont_graph: the vocabulary's subclass links, for sh:class iap:Entity.
    _conforms, report, _text = validate(data, shacl_graph=shapes_graph(), ont_graph=vocabulary(),
                                        inference="none", advanced=True, allow_warnings=False)
    names = bind_prefixes(type(data)())
    names.bind("iapsh", SHAPES_NS)
    names.bind("sh", SH_NS)
    found = []
    for result in report.objects(None, sh.result):
        # A SPARQL constraint is named by itself; the others by their constraint component.
        constraint = report.value(result, sh.sourceConstraint)
        component = _name(names, constraint if constraint is not None
                          else report.value(result, sh.sourceConstraintComponent))
        found.append(Violation(
            focus=_name(names, report.value(result, sh.focusNode)),
            shape=_name(names, report.value(result, sh.sourceShape)),
            component=component.removeprefix("sh:"),
            path=_name(names, report.value(result, sh.resultPath)),
            value=_name(names, report.value(result, sh.value)),
            message="; ".join(sorted(str(m) for m in report.objects(result, sh.resultMessage))),
        ))
    return sorted(found, key=lambda v: (v.focus, v.shape, v.path, v.value))


def check_graph(data: Graph) -> None:
    """Raise :class:`ShaclError` listing every violation; return quietly when ``data`` conforms."""
    found = violations(data)
    if found:
        raise ShaclError(found)


def shacl_report(dataset: Dataset) -> None:
    """Build the RDF of ``dataset`` and check it against the shapes (``iapgraph validate --shacl``)."""
    from .rdf import to_rdf

    check_graph(to_rdf(dataset))
