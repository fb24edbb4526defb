"""SPARQL results as plain data, the same whichever engine answered, and their standard formats.

Every engine (Oxigraph, rdflib, a remote endpoint) converts its answer into a :class:`Result`
of :class:`Term` values, so the CLI, the HTTP endpoint and the parity test compare and print one
thing. Numeric literals are put in canonical form here (``"2.730"^^xsd:decimal`` -> ``2.73``),
because Oxigraph canonicalises on load and rdflib does not: without it the engines would disagree
on the curated hazard ratios. Booleans too: Virtuoso stores them as numbers and answers
``"0"^^xsd:boolean``, the same value as ``"false"``.

>>> r = Result("SELECT", ["x"], [(Term("literal", "2.730", XSD + "decimal"),)])
>>> r.rows[0][0].value
'2.73'
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INTEGER_TYPES = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}
_INT_RE = re.compile(r"^[+-]?\d+$")
_BOOLEANS = {"0": "false", "1": "true"}
_DECIMAL_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def canonical_lexical(value: str, datatype: str | None) -> str:
    """The canonical lexical form of an xsd:integer, xsd:decimal or xsd:boolean literal (others
    unchanged).

    >>> canonical_lexical("025", XSD + "integer"), canonical_lexical("5.0", XSD + "decimal")
    ('25', '5')
    >>> canonical_lexical("0", XSD + "boolean")
    'false'
    """
    if datatype == XSD + "boolean":
        return _BOOLEANS.get(value, value)
    if datatype in _INTEGER_TYPES and _INT_RE.match(value):
        return str(int(value))
    if datatype == XSD + "decimal" and _DECIMAL_RE.match(value):
        try:
            number = Decimal(value).normalize()
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            return value
        text = format(number, "f")
        return "0" if text in ("-0", "+0") else text
    return value


@dataclass(frozen=True)
class Term:
    """An RDF term: ``kind`` is "uri", "literal" or "bnode". ``datatype`` is None for plain
    strings (xsd:string) and language-tagged strings, as in the SPARQL JSON results format."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    def __post_init__(self) -> None:
        if self.kind == "literal":
            if self.datatype in (XSD + "string", RDF_LANGSTRING) or self.lang:
                object.__setattr__(self, "datatype", None)
            if self.lang:
                object.__setattr__(self, "lang", self.lang.lower())
            canonical = canonical_lexical(self.value, self.datatype)
            if canonical != self.value:
                object.__setattr__(self, "value", canonical)

    def n3(self) -> str:
        """N-Triples form (also the SPARQL TSV results form)."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = (self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                .replace("\r", "\\r").replace("\t", "\\t"))
        if self.lang:
            return f'"{text}"@{self.lang}'
        if self.datatype:
            return f'"{text}"^^<{self.datatype}>'
        return f'"{text}"'

    def to_json(self) -> dict[str, str]:
        data = {"type": self.kind, "value": self.value}
        if self.lang:
            data["xml:lang"] = self.lang
        elif self.datatype:
            data["datatype"] = self.datatype
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, str]) -> Term:
        kind = data["type"]
        if kind == "typed-literal":  # the 2008 (SPARQL 1.0) JSON draft still seen in the wild
            kind = "literal"
        return cls(kind, data["value"], data.get("datatype"), data.get("xml:lang"))


Row = tuple[Term | None, ...]


@dataclass
class Result:
    """A SELECT (variables and rows), ASK (boolean) or CONSTRUCT/DESCRIBE (triples) answer.

    ``truncated`` says rows were cut at a limit or a result cap; ``cut`` says which: "rows" or
    "bytes" (the answer's terms passed the byte cap)."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False
    cut: str = ""

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def records(self, shorten: Mapping[str, str] | None = None) -> list[dict[str, str]]:
        """Rows as {variable: text}; IRIs shortened with ``shorten`` (prefix -> namespace)."""
        if self.form == "ASK":
            return [{"result": "true" if self.boolean else "false"}]
        return [{v: display(t, shorten) for v, t in zip(self.variables, row, strict=True)}
                for row in self.rows]

    def columns(self) -> list[str]:
        return ["result"] if self.form == "ASK" else list(self.variables)


def display(term: Term | None, shorten: Mapping[str, str] | None = None) -> str:
    """A term as a person reads it: lexical value, IRIs as CURIEs where a prefix fits."""
    if term is None:
        return ""
    if term.kind == "uri" and shorten:
        for prefix, namespace in shorten.items():
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value


# --- serialisation in the W3C formats --------------------------------------------------------

def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON (application/sparql-results+json)."""
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
    bindings = [{v: t.to_json() for v, t in zip(result.variables, row, strict=True) if t is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"


def to_xml(result: Result) -> str:
    """SPARQL Query Results XML (application/sparql-results+xml)."""
    from xml.sax.saxutils import escape, quoteattr  # only this format needs it (and it imports urllib)

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if result.form == "ASK":
        out += ["</head>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out += ["</head>", "<results>"]
    for row in result.rows:
        out.append("<result>")
        for v, t in zip(result.variables, row, strict=True):
            if t is None:
                continue
            if t.kind == "uri":
                inner = f"<uri>{escape(t.value)}</uri>"
            elif t.kind == "bnode":
                inner = f"<bnode>{escape(t.value)}</bnode>"
            elif t.lang:
                inner = f"<literal xml:lang={quoteattr(t.lang)}>{escape(t.value)}</literal>"
            elif t.datatype:
                inner = f"<literal datatype={quoteattr(t.datatype)}>{escape(t.value)}</literal>"
            else:
                inner = f"<literal>{escape(t.value)}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def to_csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV (text/csv): plain values, full IRIs, CRLF lines."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerows([["_askResult"], ["true" if result.boolean else "false"]])
        return buf.getvalue()
    writer.writerow(result.variables)
    writer.writerows([[display(t) for t in row] for row in result.rows])
    return buf.getvalue()


def to_tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV (text/tab-separated-values): terms in N-Triples form."""
    if result.form == "ASK":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else t.n3() for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def to_ntriples(result: Result) -> str:
    """A CONSTRUCT/DESCRIBE answer (rows of subject, predicate, object) as N-Triples."""
    return "".join(" ".join(t.n3() for t in row if t is not None) + " .\n" for row in result.rows)


#: Results media types the HTTP endpoint offers, by form, the first being the default.
SOLUTION_TYPES = {
    "application/sparql-results+json": to_json,
    "application/json": to_json,
    "application/sparql-results+xml": to_xml,
    "application/xml": to_xml,
    "text/csv": to_csv,
    "text/tab-separated-values": to_tsv,
}
GRAPH_TYPES = {
    "application/n-triples": to_ntriples,
    "text/turtle": to_ntriples,  # N-Triples is valid Turtle
    "text/plain": to_ntriples,
}


def from_json(data: Mapping, form: str = "SELECT") -> Result:
    """Parse a SPARQL JSON results document (what an endpoint returns)."""
    if "boolean" in data:
        return Result("ASK", boolean=bool(data["boolean"]))
    variables = list(data.get("head", {}).get("vars", []))
    rows: list[Row] = []
    for binding in data.get("results", {}).get("bindings", []):
        rows.append(tuple(Term.from_json(binding[v]) if v in binding else None for v in variables))
    return Result(form, variables, rows)


_NT_TERM = re.compile(
    r'\s*(?:<(?P<iri>[^>]*)>|_:(?P<bnode>\S+)|"(?P<lit>(?:[^"\\]|\\.)*)"'
    r"(?:@(?P<lang>[A-Za-z0-9\-]+)|\^\^<(?P<dt>[^>]*)>)?)")
_NT_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        s = m.group(0)
        if s[1] in "uU":
            return chr(int(s[2:], 16))
        return _NT_ESCAPES.get(s[1], s[1])

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", sub, text)


def from_ntriples(text: str, form: str = "CONSTRUCT") -> Result:
    """Parse N-Triples (a CONSTRUCT answer from an endpoint) into subject/predicate/object rows."""
    rows: list[Row] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        terms: list[Term] = []
        pos = 0
        for _ in range(3):
            m = _NT_TERM.match(line, pos)
            if not m:
                raise ValueError(f"not N-Triples: {line[:80]}")
            pos = m.end()
            if m.group("iri") is not None:
                terms.append(Term("uri", _unescape(m.group("iri"))))
            elif m.group("bnode") is not None:
                terms.append(Term("bnode", m.group("bnode")))
            else:
                terms.append(Term("literal", _unescape(m.group("lit")), m.group("dt"), m.group("lang")))
        rows.append(tuple(terms))
    return Result(form, ["subject", "predicate", "object"], rows)


def graph_result(triples: Iterable[Sequence[Term]], form: str = "CONSTRUCT") -> Result:
    """Triples as a Result with subject/predicate/object columns, in a stable order."""
    rows: list[tuple[Term | None, ...]] = sorted((tuple(t) for t in triples),
                                                 key=lambda r: tuple(x.n3() if x else "" for x in r))
    return Result(form, ["subject", "predicate", "object"], rows)
