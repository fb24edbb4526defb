"""The dataset as RDF (rdflib), and the RDF vocabulary built from :mod:`iapgraph.vocab`.

Each statement is both a direct triple (``?a iap:ubiquitinates ?b``, left out when the review says
it does NOT happen) and a statement node (an ``rdf:Statement``) carrying qualifiers and provenance,
its epistemics (``iap:hedged``, ``iap:direct`` when the text says) and ``iap:assertion``: the
assertion node (an ``iap:Assertion``) it is evidence for. An assertion node carries
``iap:hasEvidence`` to each of its statement nodes and ``iap:evidenceCount``; it repeats none of
their ``rdf:subject`` / ``iap:relation`` ... triples, so a query over statements never counts it.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS, ClosedNamespace

from . import vocab
from .assertions import assertion_id, assertions
from .model import Dataset

ENTITY = Namespace(vocab.ENTITY_NS)
STATEMENT = Namespace(vocab.STATEMENT_NS)
ASSERTION = Namespace(vocab.ASSERTION_NS)
BIOLINK = Namespace(vocab.STANDARD_PREFIXES["biolink"])
OBO = Namespace(vocab.STANDARD_PREFIXES["obo"])

#: Statement-node properties besides the relations, qualifiers and entity attributes.
STATEMENT_PROPERTIES = {
    "relation": "the relation of a statement (also its rdf:predicate)",
    "effect": "effect sign: up, down or unknown",
    "mechanism": "the molecular mechanism",
    "mediatedBy": "the domain (or motif) that mediates the statement",
    "context": "cancer type, cell type or other context the statement holds in",
    "negated": "true when the review says this does NOT happen",
    "section": "the review section that states it",
    "citation": "the study the review cites for it, as the review writes it",
    "evidence": "verbatim quote from the review",
    "kind": "the entity kind",
    "symbol": "HGNC approved symbol",
    "xref": "a cross-reference as a CURIE",
    "curatorNote": "a curator's note",
    "hedged": "true when the quote hedges the claim (may, could, suggest, most of ...)",
    "direct": "yes when the text says the subject acts directly, no when it names a route (via, through)",
    "assertion": "the assertion this statement is one evidence line of",
    "hasEvidence": "a statement node that is evidence for this assertion",
    "evidenceCount": "how many curated statements are evidence for this assertion",
}

#: Statement-node properties whose values are nodes, not literals.
OBJECT_PROPERTIES = {"relation", "mediatedBy", "context", "assertion", "hasEvidence"}

#: The ontology links (graph/hierarchy/): a direct triple (``rdfs:subClassOf`` for is_a, BFO part of
#: for part_of) and a node of this class that reifies it, carrying ``dcterms:source``.
LINK_CLASS = "OntologyLink"
LINK_PROPERTIES = {
    "childTerm": "the ontology's id of the subclass (or part), as the ontology writes it",
    "parentTerm": "the ontology's id of the class (or whole), as the ontology writes it",
}
LINK_NS = vocab.BASE + "link/"
LINK = Namespace(LINK_NS)
#: The RDF predicate of each hierarchy relation.
HIERARCHY_PREDICATES = {"is_a": RDFS.subClassOf, "part_of": OBO["BFO_0000050"]}

_TERMS = sorted(
    {k.rdf_class for k in vocab.KINDS.values()}
    | {"Statement", "Entity", "Assertion", LINK_CLASS}
    | set(LINK_PROPERTIES)
    | set(vocab.RELATIONS)
    | set(STATEMENT_PROPERTIES)
    | set(vocab.QUALIFIERS)
    | set(vocab.ENTITY_ATTRIBUTES)
)
#: The iapgraph vocabulary; a misspelled term raises AttributeError at import time.
IAP = ClosedNamespace(vocab.VOCAB_NS, _TERMS)

_DATATYPES = {"integer": XSD.integer, "decimal": XSD.decimal, "string": XSD.string}


def _typed(value: str, datatype: str) -> Literal:
    """A typed literal; decimals in canonical form ("60.0", not "60"), because Turtle writes a decimal
    that way and the graph must read back the same from every serialization."""
    if datatype == "decimal":
        text = format(Decimal(value), "f")  # the validator accepted it as a Decimal ("1e3" too)
        value = text if "." in text else text + ".0"
    return Literal(value, datatype=_DATATYPES[datatype])


def _curie_iri(curie: str) -> URIRef | None:
    prefix, _, local = curie.partition(":")
    record = vocab.PREFIXES.get(prefix)
    return URIRef(record.uri_prefix + local) if record else None


def _obo(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return OBO[f"{prefix}_{local}"]


def bind_prefixes(graph: Graph) -> Graph:
    graph.bind("iap", vocab.VOCAB_NS)
    graph.bind("entity", ENTITY)
    graph.bind("stmt", STATEMENT)
    graph.bind("assertion", ASSERTION)
    graph.bind("skos", SKOS)
    graph.bind("dcterms", DCTERMS)
    graph.bind("biolink", BIOLINK)
    graph.bind("obo", OBO)
    graph.bind("link", LINK)
    return graph


def entity_iri(entity_id: str) -> URIRef:
    return ENTITY[entity_id]


def to_rdf(dataset: Dataset, hierarchy: bool = True) -> Graph:
    """The data graph: entities with labels and xrefs, statements as triples and nodes, and
    (unless ``hierarchy`` is False, the review-only view) the ontology links."""
    g = bind_prefixes(Graph())
    for e in dataset.entities.values():
        node = ENTITY[e.id]
        g.add((node, RDF.type, IAP[vocab.KINDS[e.kind].rdf_class]))
        g.add((node, RDFS.label, Literal(e.label)))
        g.add((node, IAP.kind, Literal(e.kind)))
        if e.symbol:
            g.add((node, IAP.symbol, Literal(e.symbol)))
        for alias in e.aliases:
            g.add((node, SKOS.altLabel, Literal(alias)))
        for xref in e.xrefs:
            g.add((node, IAP.xref, Literal(xref)))
            iri = _curie_iri(xref)
            if iri is not None:
                g.add((node, SKOS.exactMatch, iri))
        for key, value in e.attributes.items():
            g.add((node, IAP[key], _typed(value, vocab.ENTITY_ATTRIBUTES[key].datatype)))
        if e.description:
            g.add((node, DCTERMS.description, Literal(e.description)))
    for s in dataset.statements:
        subject, obj, predicate = ENTITY[s.subject], ENTITY[s.object], IAP[s.relation]
        if not s.negated:
            g.add((subject, predicate, obj))
        node = STATEMENT[s.id]
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.type, IAP.Statement))
        g.add((node, RDF.subject, subject))
        g.add((node, RDF.predicate, predicate))
        g.add((node, RDF.object, obj))
        g.add((node, IAP.relation, predicate))
        g.add((node, IAP.effect, Literal(s.effect)))
        g.add((node, IAP.negated, Literal(s.negated)))
        g.add((node, IAP.section, Literal(s.section)))
        g.add((node, IAP.evidence, Literal(s.evidence)))
        if s.mechanism:
            g.add((node, IAP.mechanism, Literal(s.mechanism)))
        for domain in s.domains:
            g.add((node, IAP.mediatedBy, ENTITY[domain]))
        for context in s.contexts:
            g.add((node, IAP.context, ENTITY[context]))
        for citation in s.citations:
            g.add((node, IAP.citation, Literal(citation)))
        for key, value in s.qualifiers.items():
            g.add((node, IAP[key], _typed(value, vocab.QUALIFIERS[key].datatype)))
        if s.note:
            g.add((node, IAP.curatorNote, Literal(s.note)))
        g.add((node, IAP.hedged, Literal(s.hedged)))
        if s.direct is not None:
            g.add((node, IAP.direct, Literal("yes" if s.direct else "no")))
        g.add((node, IAP.assertion, ASSERTION[assertion_id(s)]))
    for a in assertions(dataset):
        node = ASSERTION[a.id]
        g.add((node, RDF.type, IAP.Assertion))
        g.add((node, IAP.evidenceCount, Literal(len(a.evidence))))
        for statement_id in a.statements:
            g.add((node, IAP.hasEvidence, STATEMENT[statement_id]))
    if hierarchy:
        add_hierarchy(g, dataset)
    return g


def add_hierarchy(g: Graph, dataset: Dataset) -> None:
    """Each ontology link as a direct triple between entity IRIs (``entity:NSCLC rdfs:subClassOf
    entity:lung_carcinoma``; part_of as BFO ``obo:BFO_0000050``) and a node
    ``<https://w3id.org/iapgraph/link/NSCLC/is_a/lung_carcinoma>`` of class ``iap:OntologyLink``
    that reifies it (rdf:subject / predicate / object) with ``dcterms:source "MONDO 2026-05"`` and
    the ontology terms, so a query can keep or drop the links by their source. Link nodes are not
    ``iap:Statement``s: queries of the review's statements never see them."""
    for link in dataset.hierarchy:
        child, parent, predicate = ENTITY[link.child], ENTITY[link.parent], HIERARCHY_PREDICATES[link.relation]
        g.add((child, predicate, parent))
        node = LINK[link.id]
        g.add((node, RDF.type, IAP[LINK_CLASS]))
        g.add((node, RDF.subject, child))
        g.add((node, RDF.predicate, predicate))
        g.add((node, RDF.object, parent))
        g.add((node, DCTERMS.source, Literal(link.source)))
        if link.child_term:
            g.add((node, IAP.childTerm, Literal(link.child_term)))
        if link.parent_term:
            g.add((node, IAP.parentTerm, Literal(link.parent_term)))
        if link.note:
            g.add((node, RDFS.comment, Literal(link.note)))


def vocabulary() -> Graph:
    """The RDF vocabulary: classes and properties with labels and their RO / Biolink mappings."""
    g = bind_prefixes(Graph())
    ns = URIRef(vocab.VOCAB_NS)
    g.add((ns, RDF.type, OWL.Ontology))
    g.add((ns, RDFS.label, Literal("iapgraph vocabulary")))
    g.add((IAP.Entity, RDF.type, OWL.Class))
    g.add((IAP.Statement, RDF.type, OWL.Class))
    g.add((IAP.Statement, RDFS.subClassOf, RDF.Statement))
    g.add((IAP.Assertion, RDF.type, OWL.Class))
    g.add((IAP.Assertion, RDFS.label, Literal("assertion")))
    g.add((IAP.Assertion, RDFS.comment, Literal(
        "what one or more curated statements claim together (same subject, relation, object, sign, "
        "negation and context); its statements are its evidence lines")))
    for kind in vocab.KINDS.values():
        cls = IAP[kind.rdf_class]
        g.add((cls, RDF.type, OWL.Class))
        g.add((cls, RDFS.subClassOf, IAP.Entity))
        g.add((cls, RDFS.label, Literal(kind.name.replace("_", " "))))
        g.add((cls, RDFS.comment, Literal(kind.description)))
        g.add((cls, SKOS.closeMatch, BIOLINK[kind.biolink.split(":", 1)[1]]))
    for rel in vocab.RELATIONS.values():
        prop = IAP[rel.name]
        g.add((prop, RDF.type, OWL.ObjectProperty))
        g.add((prop, RDFS.label, Literal(rel.label)))
        g.add((prop, RDFS.comment, Literal(rel.description)))
        g.add((prop, SKOS.closeMatch, BIOLINK[rel.biolink.split(":", 1)[1]]))
        if rel.ro:
            g.add((prop, SKOS.closeMatch, _obo(rel.ro)))
        if rel.psimi:
            g.add((prop, SKOS.closeMatch, _obo(rel.psimi)))
    g.add((IAP[LINK_CLASS], RDF.type, OWL.Class))
    g.add((IAP[LINK_CLASS], RDFS.label, Literal("ontology link")))
    g.add((IAP[LINK_CLASS], RDFS.comment, Literal(
        "a subclass or part_of link an ontology (dcterms:source) states between two entities; "
        "not a statement of the review")))
    for name, comment in LINK_PROPERTIES.items():
        g.add((IAP[name], RDF.type, OWL.DatatypeProperty))
        g.add((IAP[name], RDFS.label, Literal(name)))
        g.add((IAP[name], RDFS.comment, Literal(comment)))
    for name, comment in STATEMENT_PROPERTIES.items():
        prop = IAP[name]
        prop_kind = OWL.ObjectProperty if name in OBJECT_PROPERTIES else OWL.DatatypeProperty
        g.add((prop, RDF.type, prop_kind))
        g.add((prop, RDFS.label, Literal(name)))
        g.add((prop, RDFS.comment, Literal(comment)))
    for table in (vocab.QUALIFIERS, vocab.ENTITY_ATTRIBUTES):
        for q in table.values():
            prop = IAP[q.name]
            g.add((prop, RDF.type, OWL.DatatypeProperty))
            g.add((prop, RDFS.label, Literal(q.name.replace("_", " "))))
            g.add((prop, RDFS.comment, Literal(q.description)))
            g.add((prop, RDFS.range, _DATATYPES[q.datatype]))
    return g


def ntriples(graph: Graph) -> bytes:
    """N-Triples with the lines sorted: rdflib writes them in set order, which changes from run to
    run, and a build should give the same bytes for the same graph (diffs, caches, checksums).

    The graph has no blank nodes, so sorting lines is a canonical form. :func:`iapgraph.ntriples.ntriples`
    writes the same bytes from the model without building the Graph (what ``iapgraph build`` uses).
    """
    text = graph.serialize(format="nt", encoding="utf-8")
    return b"".join(sorted(text.splitlines(keepends=True)))
