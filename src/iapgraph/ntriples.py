"""The data graph as N-Triples written straight from the model, without an rdflib Graph.

:func:`iapgraph.rdf.to_rdf` builds the same triples into an rdflib Graph (the type ``kg.to_rdf()``
returns); building a million of them there costs seconds and gigabytes. Here each triple is one
line of text, written as rdflib's N-Triples writer writes it (the same escapes, the same lexical
forms of typed literals), so the sorted lines are byte for byte the file ``iapgraph build`` wrote
through rdflib (tests/test_ntriples.py compares both on the curated graph, a generated one and odd
literals). Turtle is then pyoxigraph's serialisation of these lines
(:func:`turtle_from_ntriples`), and the embedded SPARQL store loads them as they are.

The graph has no blank nodes, so sorted lines are a canonical form: the same graph gives the same
bytes from run to run (diffs, caches, checksums).
"""

from __future__ import annotations

import gc
import itertools
import os
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import IO

from . import vocab
from .assertions import assertion_id
from .model import Dataset

_RDF = vocab.STANDARD_PREFIXES["rdf"]
_RDFS = vocab.STANDARD_PREFIXES["rdfs"]
_XSD = vocab.STANDARD_PREFIXES["xsd"]
_SKOS = vocab.STANDARD_PREFIXES["skos"]
_DCTERMS = vocab.STANDARD_PREFIXES["dcterms"]
_OBO = vocab.STANDARD_PREFIXES["obo"]
_IAP = vocab.VOCAB_NS
#: the namespace of the ontology link nodes (as :data:`iapgraph.rdf.LINK_NS`)
LINK_NS = vocab.BASE + "link/"

#: The prefixes a Turtle file of the graph declares (those :func:`iapgraph.rdf.bind_prefixes` binds,
#: and the standard ones rdflib binds by default).
PREFIXES = {
    "rdf": _RDF, "rdfs": _RDFS, "xsd": _XSD, "owl": vocab.STANDARD_PREFIXES["owl"], "skos": _SKOS,
    "dcterms": _DCTERMS, "biolink": vocab.STANDARD_PREFIXES["biolink"], "obo": _OBO,
    "iap": _IAP, "entity": vocab.ENTITY_NS, "stmt": vocab.STATEMENT_NS, "assertion": vocab.ASSERTION_NS,
    "link": LINK_NS,
}

#: Characters rdflib refuses in an IRI it serialises (``URIRef.n3``).
_NOT_IN_IRI = frozenset('<>" {}|\\^`')
_TRUE = f'"true"^^<{_XSD}boolean>'
_FALSE = f'"false"^^<{_XSD}boolean>'


def _iri(text: str) -> str:
    if not _NOT_IN_IRI.isdisjoint(text):
        raise ValueError(f'"{text}" does not look like a valid URI, I cannot serialize this as N-Triples')
    return f"<{text}>"


def _literal(text: str) -> str:
    """A plain literal as rdflib's N-Triples writer quotes it (\\\\, \\n, \\", \\r escaped)."""
    if "\\" in text or "\n" in text or '"' in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    return f'"{text}"'


def _typed(value: str, datatype: str) -> str:
    """A typed literal with the lexical form rdflib gives it (see :func:`iapgraph.rdf._typed`):
    an integer as ``int()`` reads it, a decimal in fixed-point form with a fraction part."""
    if datatype == "decimal":
        text = format(Decimal(value), "f")
        value = text if "." in text else text + ".0"
        try:
            value = format(Decimal(value), "f")
        except InvalidOperation:  # "NaN.0": rdflib keeps an ill-typed lexical form as given
            pass
    elif datatype == "integer":
        try:
            value = str(int(value))
        except ValueError:
            pass
    return f"{_literal(value)}^^<{_XSD}{datatype}>"


def _boolean(flag: bool) -> str:
    return _TRUE if flag else _FALSE


def _groups(dataset: Dataset, hierarchy: bool) -> dict[str, list[str]]:
    """Each subject's ``<predicate> object .`` line ends, by the subject's ``<iri>`` (duplicates
    not yet removed)."""
    groups: dict[str, list[str]] = {}
    entity_iris: dict[str, str] = {}

    def entity(eid: str) -> str:
        iri = entity_iris.get(eid)
        if iri is None:
            iri = entity_iris[eid] = _iri(vocab.ENTITY_NS + eid)
        return iri

    def put(subject: str, ends: list[str]) -> None:
        known = groups.get(subject)
        if known is None:
            groups[subject] = ends
        else:
            known.extend(ends)

    p_type, p_label = f"<{_RDF}type>", f"<{_RDFS}label>"
    p_kind, p_symbol, p_xref = f"<{_IAP}kind>", f"<{_IAP}symbol>", f"<{_IAP}xref>"
    p_alt, p_match, p_desc = f"<{_SKOS}altLabel>", f"<{_SKOS}exactMatch>", f"<{_DCTERMS}description>"
    classes = {name: f"{p_type} <{_IAP}{kind.rdf_class}> .\n" for name, kind in vocab.KINDS.items()}
    attribute_types = {name: q.datatype for name, q in vocab.ENTITY_ATTRIBUTES.items()}
    for e in dataset.entities.values():
        ends = [classes[e.kind], f"{p_label} {_literal(e.label)} .\n", f"{p_kind} {_literal(e.kind)} .\n"]
        add = ends.append
        if e.symbol:
            add(f"{p_symbol} {_literal(e.symbol)} .\n")
        for alias in e.aliases:
            add(f"{p_alt} {_literal(alias)} .\n")
        for xref in e.xrefs:
            add(f"{p_xref} {_literal(xref)} .\n")
            prefix, _, local = xref.partition(":")
            record = vocab.PREFIXES.get(prefix)
            if record is not None:
                add(f"{p_match} {_iri(record.uri_prefix + local)} .\n")
        for key, value in e.attributes.items():
            add(f"<{_IAP}{key}> {_typed(value, attribute_types[key])} .\n")
        if e.description:
            add(f"{p_desc} {_literal(e.description)} .\n")
        put(entity(e.id), ends)

    types = f"{p_type} <{_RDF}Statement> .\n", f"{p_type} <{_IAP}Statement> .\n"
    p_subject, p_predicate, p_object = f"<{_RDF}subject>", f"<{_RDF}predicate>", f"<{_RDF}object>"
    p_relation, p_effect, p_negated = f"<{_IAP}relation>", f"<{_IAP}effect>", f"<{_IAP}negated>"
    p_section, p_evidence, p_mechanism = f"<{_IAP}section>", f"<{_IAP}evidence>", f"<{_IAP}mechanism>"
    p_mediated, p_context, p_citation = f"<{_IAP}mediatedBy>", f"<{_IAP}context>", f"<{_IAP}citation>"
    p_note, p_hedged, p_direct = f"<{_IAP}curatorNote>", f"<{_IAP}hedged>", f"<{_IAP}direct>"
    p_assertion = f"<{_IAP}assertion>"
    negated_ends = {flag: f"{p_negated} {_boolean(flag)} .\n" for flag in (True, False)}
    hedged_ends = {flag: f"{p_hedged} {_boolean(flag)} .\n" for flag in (True, False)}
    direct_ends = {True: f"{p_direct} {_literal('yes')} .\n", False: f"{p_direct} {_literal('no')} .\n"}
    qualifier_types = {name: q.datatype for name, q in vocab.QUALIFIERS.items()}
    relations: dict[str, str] = {}
    evidence: dict[str, list[str]] = {}  # assertion node -> its statement nodes (iapgraph.assertions.group)
    for s in dataset.statements:
        subject, obj = entity(s.subject), entity(s.object)
        predicate = relations.get(s.relation)
        if predicate is None:
            predicate = relations[s.relation] = _iri(_IAP + s.relation)
        if not s.negated:
            put(subject, [f"{predicate} {obj} .\n"])
        node = _iri(vocab.STATEMENT_NS + s.id)
        claim = _iri(vocab.ASSERTION_NS + assertion_id(s))
        ends = [*types, f"{p_subject} {subject} .\n", f"{p_predicate} {predicate} .\n",
                f"{p_object} {obj} .\n", f"{p_relation} {predicate} .\n", f"{p_effect} {_literal(s.effect)} .\n",
                negated_ends[s.negated], f"{p_section} {_literal(s.section)} .\n",
                f"{p_evidence} {_literal(s.evidence)} .\n", hedged_ends[s.hedged], f"{p_assertion} {claim} .\n"]
        add = ends.append
        if s.mechanism:
            add(f"{p_mechanism} {_literal(s.mechanism)} .\n")
        for domain in s.domains:
            add(f"{p_mediated} {entity(domain)} .\n")
        for context in s.contexts:
            add(f"{p_context} {entity(context)} .\n")
        for citation in s.citations:
            add(f"{p_citation} {_literal(citation)} .\n")
        for key, value in s.qualifiers.items():
            add(f"<{_IAP}{key}> {_typed(value, qualifier_types[key])} .\n")
        if s.note:
            add(f"{p_note} {_literal(s.note)} .\n")
        if s.direct is not None:
            add(direct_ends[s.direct])
        put(node, ends)
        evidence.setdefault(claim, []).append(node)

    c_assertion = f"{p_type} <{_IAP}Assertion> .\n"
    p_count, p_has = f"<{_IAP}evidenceCount>", f"<{_IAP}hasEvidence>"
    for node, members in evidence.items():
        put(node, [c_assertion, f'{p_count} "{len(members)}"^^<{_XSD}integer> .\n',
                   *(f"{p_has} {member} .\n" for member in members)])

    if hierarchy:
        predicates = {"is_a": f"<{_RDFS}subClassOf>", "part_of": f"<{_OBO}BFO_0000050>"}
        c_link, p_source = f"{p_type} <{_IAP}OntologyLink> .\n", f"<{_DCTERMS}source>"
        p_child, p_parent, p_comment = f"<{_IAP}childTerm>", f"<{_IAP}parentTerm>", f"<{_RDFS}comment>"
        for link in dataset.hierarchy:
            child, parent, predicate = entity(link.child), entity(link.parent), predicates[link.relation]
            put(child, [f"{predicate} {parent} .\n"])
            ends = [c_link, f"{p_subject} {child} .\n", f"{p_predicate} {predicate} .\n",
                    f"{p_object} {parent} .\n", f"{p_source} {_literal(link.source)} .\n"]
            if link.child_term:
                ends.append(f"{p_child} {_literal(link.child_term)} .\n")
            if link.parent_term:
                ends.append(f"{p_parent} {_literal(link.parent_term)} .\n")
            if link.note:
                ends.append(f"{p_comment} {_literal(link.note)} .\n")
            put(_iri(LINK_NS + link.id), ends)
    return groups


def lines(dataset: Dataset, hierarchy: bool = True) -> Iterator[str]:
    """The graph's triples as N-Triples lines (each ending in a newline), sorted, without duplicates.

    Sorting the subjects' ``<iri>`` and then each subject's line ends gives the order of sorting
    whole lines (no IRI holds ``>``, so one subject's lines never fall among another's), at a
    fraction of the cost; each subject's lines are let go once given out.

    Args:
        dataset: the validated dataset (or one made in memory).
        hierarchy: False leaves out the ontology links (the review-only view).

    Returns:
        The lines: exactly the triples of ``iapgraph.rdf.to_rdf(dataset, hierarchy)``.

    Raises:
        ValueError: an identifier that cannot be part of an IRI (never in a validated dataset).
    """
    collecting = gc.isenabled()
    gc.disable()  # a million new lines and lists would set off full collections over the dataset
    try:
        groups = _groups(dataset, hierarchy)
        order = sorted(groups)
    finally:
        if collecting:
            gc.enable()
    for subject in order:
        ends = groups.pop(subject)
        head = subject + " "
        for end in sorted(set(ends)) if len(ends) > 1 else ends:
            yield head + end


def chunks(dataset: Dataset, hierarchy: bool = True, size: int = 50_000) -> Iterator[bytes]:
    """The sorted lines as UTF-8 (code point order is UTF-8 byte order), ``size`` lines at a time."""
    piece: list[str] = []
    for line in lines(dataset, hierarchy):
        piece.append(line)
        if len(piece) == size:
            yield "".join(piece).encode("utf-8")
            piece = []
    if piece:
        yield "".join(piece).encode("utf-8")


def ntriples(dataset: Dataset, hierarchy: bool = True) -> bytes:
    """The graph as N-Triples with the lines sorted: the bytes of ``rdf.ntriples(rdf.to_rdf(dataset))``.

    Args:
        dataset: the dataset.
        hierarchy: False leaves out the ontology links.

    Returns:
        UTF-8 N-Triples, one triple a line, lines in byte order.
    """
    return b"".join(chunks(dataset, hierarchy))


def write_ntriples(dataset: Dataset, path: str | os.PathLike[str], hierarchy: bool = True) -> int:
    """Write the sorted N-Triples of :func:`ntriples` to ``path`` (in pieces: the whole text is never
    held twice).

    Args:
        dataset: the dataset.
        path: the file to write (an atomic writer's temporary file).
        hierarchy: False leaves out the ontology links.

    Returns:
        How many triples were written.

    Raises:
        OSError: the file cannot be written.
    """
    count = 0
    with open(path, "wb") as out:
        for chunk in chunks(dataset, hierarchy):
            out.write(chunk)
            count += chunk.count(b"\n")
    return count


def string_marker(data: bytes = b"") -> bytes:
    """A placeholder datatype IRI for explicitly typed ``xsd:string`` literals while pyoxigraph
    writes Turtle (see :func:`turtle_from_ntriples`): random, and checked against ``data`` when
    given; a caller that streams must check each piece with :func:`mark_strings`."""
    import secrets

    while True:
        marker = f"urn:x-iapgraph-{secrets.token_hex(12)}:string".encode()
        if marker not in data:
            return marker


_STRING_END = f'"^^<{_XSD}string> .\n'.encode()


def mark_strings(piece: bytes, marker: bytes) -> bytes:
    """Whole N-Triples lines with ``^^xsd:string`` at a line's end turned to ``marker`` (inside a
    literal a newline is escaped, so a match there is always a datatype)."""
    return piece.replace(_STRING_END, b'"^^<' + marker + b"> .\n")


def send_piece(pipe: IO[bytes], piece: bytes) -> None:
    """Write one piece of N-Triples to a pipe that :func:`received_pieces` reads."""
    pipe.write(len(piece).to_bytes(8, "little"))
    pipe.write(piece)


def received_pieces(pipe: IO[bytes]) -> Iterator[bytes]:
    """The pieces :func:`send_piece` wrote, until the pipe ends (a piece cut short raises)."""
    while True:
        head = pipe.read(8)
        if not head:
            return
        size = int.from_bytes(head, "little") if len(head) == 8 else -1
        piece = pipe.read(size) if size >= 0 else b""
        if size < 0 or len(piece) != size:
            raise OSError(None, "the N-Triples stopped in the middle of a piece")
        yield piece


def turtle_from_pieces(pieces: Iterable[bytes], path: str | os.PathLike[str], marker: bytes) -> None:
    """Turtle of sorted N-Triples, given in pieces of whole lines whose typed strings
    :func:`mark_strings` marked, written to ``path``: pyoxigraph parses each piece as it comes and
    serialises the triples as one document.

    Raises:
        OSError: the file cannot be written.
        SyntaxError: the N-Triples do not parse (pyoxigraph's error).
    """
    import pyoxigraph

    triples = itertools.chain.from_iterable(pyoxigraph.parse(piece, pyoxigraph.RdfFormat.N_TRIPLES)
                                            for piece in pieces)
    text = pyoxigraph.serialize(triples, None, pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    with open(path, "wb") as out:
        out.write(text.replace(b"^^<" + marker + b">", b"^^xsd:string"))


def turtle_from_ntriples(data: bytes, path: str | os.PathLike[str]) -> None:
    """Turtle of sorted N-Triples, serialised by pyoxigraph with the project's prefixes (subjects
    keep the order of the lines, so each subject's triples are one group).

    An explicitly typed ``"K48"^^xsd:string`` (a string qualifier) stays typed: RDF 1.1 makes it
    the plain literal, and pyoxigraph writes it so, but rdflib keeps the two apart, and the file
    must read back into the graph :func:`iapgraph.rdf.to_rdf` builds. Its datatype goes through
    pyoxigraph as a placeholder IRI found nowhere in the data (:func:`string_marker`), replaced by
    ``xsd:string`` after.

    Args:
        data: N-Triples, as :func:`ntriples` writes them.
        path: the Turtle file to write.

    Raises:
        OSError: the file cannot be written.
        SyntaxError: the N-Triples do not parse (pyoxigraph's error).
    """
    marker = string_marker(data)
    turtle_from_pieces([mark_strings(data, marker)], path, marker)
