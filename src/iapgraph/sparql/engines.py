"""The SPARQL engines: Oxigraph (the default), rdflib's own engine, and any remote endpoint.

Each takes standard SPARQL text and returns a :class:`iapgraph.sparql.results.Result`, so the
answers can be compared term for term (the library's parity test does) and printed one way.
Oxigraph is the default because it answers a two-hop join in milliseconds where rdflib takes
seconds to minutes (see /work/shared/MEASUREMENTS.md and benchmarks/sparql_bench.py).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import rdflib

from ..exceptions import (
    AnswerCapped,
    EndpointError,
    IapgraphError,
    QuerySyntaxError,
    ServiceRefused,
    UsageError,
)
from .results import (
    GRAPH_TYPES,
    SOLUTION_TYPES,
    XSD,
    Result,
    Row,
    Term,
    _unescape,
    from_json,
    from_ntriples,
    graph_result,
)
from .text import Checked, _near, check_local, check_readonly, confirm, ox_syntax_error, position, query_form

ENGINES = ("oxigraph", "rdflib")
MAX_ANSWER_BYTES = 100_000_000  # the default byte cap of an answer (query --max-bytes)



#: (default graph IRIs, named graph IRIs) of a protocol request (default-graph-uri, named-graph-uri)
Dataset = tuple[tuple[str, ...], tuple[str, ...]]


class Engine(Protocol):
    name: str

    def run(self, text: str, source: str = "query", limit: int | None = None, *,
            max_bytes: int | None = None, dataset: Dataset | None = None) -> Result:
        """Answer one query; ``limit`` caps the rows and ``max_bytes`` the size of their terms
        (the Result says when and why it cut); ``dataset`` replaces the query's FROM clauses."""
        ...


def _size(row: Sequence[Term | None]) -> int:
    """About what a row weighs in any results format: its terms' text plus a little framing."""
    return sum(16 + len(t.value) + len(t.datatype or "") + len(t.lang or "") for t in row if t is not None) + 4


def _capped(rows: Iterable[Row], limit: int | None, max_bytes: int | None = None) -> tuple[list[Row], str]:
    """The rows up to ``limit`` and ``max_bytes``, pulled one by one (a lazy engine never makes
    the rest); the second value is "rows" or "bytes" when the cap cut them, else ""."""
    taken: list[Row] = []
    total = 0
    for row in rows:
        if limit is not None and len(taken) >= limit:
            return taken, "rows"
        total += _size(row)
        if max_bytes is not None and total > max_bytes:
            return taken, "bytes"
        taken.append(row)
    return taken, ""


def _result(form: str, variables: list[str], rows: Iterable[Row], limit: int | None,
            max_bytes: int | None) -> Result:
    taken, cut = _capped(rows, limit, max_bytes)
    if form in ("CONSTRUCT", "DESCRIBE"):
        result = graph_result(taken, form)  # type: ignore[arg-type]
    else:
        result = Result(form, variables, taken)
    result.truncated, result.cut = bool(cut), cut
    return result


# --- Oxigraph ----------------------------------------------------------------------------------

def _ox_term(term: Any) -> Term | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Term("literal", term.value, term.datatype.value, term.language)
    raise TypeError(f"unsupported term {term!r}")  # RDF-star triples are not in this graph


#: Turtle's short forms of numbers, which Oxigraph's TSV writes bare
_TSV_NUMBER = re.compile(r"[+-]?(?:(?P<integer>[0-9]+)|(?P<decimal>[0-9]*\.[0-9]+)|"
                         r"(?P<double>(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+))")


def _tsv_term(cell: str) -> Term | None:
    """One cell of Oxigraph's SPARQL TSV results: a term in N-Triples form, or a number or
    boolean written bare (Turtle's short forms), or nothing (unbound).

    >>> _tsv_term('"a b"@en'), _tsv_term("2.5").datatype == XSD + "decimal", _tsv_term("")
    (Term(kind='literal', value='a b', datatype=None, lang='en'), True, None)
    """
    if not cell:
        return None
    first = cell[0]
    if first == '"':
        end = cell.rindex('"')  # a language tag or a datatype IRI holds no quote
        value = cell[1:end]
        if "\\" in value:
            value = _unescape(value)
        rest = cell[end + 1:]
        if rest.startswith("@"):
            return Term("literal", value, None, rest[1:])
        if rest.startswith("^^<") and rest.endswith(">"):
            return Term("literal", value, rest[3:-1])
        if rest:
            raise ValueError(f"not a SPARQL TSV term: {cell[:80]}")
        return Term("literal", value)
    if cell.startswith("<<"):
        raise TypeError(f"unsupported term {cell[:80]}")  # RDF-star triples are not in this graph
    if first == "<" and cell[-1] == ">":
        return Term("uri", _unescape(cell[1:-1]) if "\\" in cell else cell[1:-1])
    if cell.startswith("_:"):
        return Term("bnode", cell[2:])
    if cell in ("true", "false"):
        return Term("literal", cell, XSD + "boolean")
    m = _TSV_NUMBER.fullmatch(cell)
    if m is None:
        raise ValueError(f"not a SPARQL TSV term: {cell[:80]}")
    kind = "integer" if m.group("integer") else "decimal" if m.group("decimal") else "double"
    return Term("literal", cell, XSD + kind)


class _Terms(dict[str, "Term | None"]):
    """TSV cell -> term, each distinct cell parsed once (answers repeat their values a lot)."""

    def __missing__(self, cell: str) -> Term | None:
        term = self[cell] = _tsv_term(cell)
        return term


class _Sizes(dict[str, int]):
    """TSV cell -> its share of :func:`_size` (what a row weighs), each distinct cell once."""

    def __init__(self, terms: _Terms):
        super().__init__()
        self.terms = terms

    def __missing__(self, cell: str) -> int:
        t = self.terms[cell]
        size = self[cell] = 0 if t is None else 16 + len(t.value) + len(t.datatype or "") + len(t.lang or "")
        return size


class _TsvRows:
    """A writable that Oxigraph streams its SPARQL TSV answer into, turned into rows as it comes.

    Oxigraph writes the answer in Rust; Python splits lines and tabs and looks each cell up (a
    cell seen before is one dictionary look-up), instead of asking pyoxigraph for a Python term
    object per value and converting it. The caps cut where :func:`_capped` would: ``limit``
    rows, or the last row whose size keeps the total within ``max_bytes``."""

    def __init__(self, width: int, limit: int | None, max_bytes: int | None):
        self.width = width
        self.limit = limit
        self.max_bytes = max_bytes
        self.rows: list[Row] = []
        self.cut = ""
        self.total = 0
        self.header = True
        self.tail = b""
        self.terms = _Terms()
        self.sizes = _Sizes(self.terms)

    def write(self, chunk: bytes) -> int:
        data = self.tail + chunk if self.tail else bytes(chunk)
        end = data.rfind(b"\n")
        if end < 0:
            self.tail = data
            return len(chunk)
        self.tail = data[end + 1:]
        lines = data[:end].decode("utf-8").split("\n")
        if self.header:
            self.header = False
            del lines[0]
        self._add(lines)
        return len(chunk)

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        if self.tail:
            tail, self.tail = self.tail, b""
            lines = tail.decode("utf-8").split("\n")
            if self.header:
                self.header = False
                del lines[0]
            self._add(lines)

    def _add(self, lines: list[str]) -> None:
        terms = self.terms.__getitem__
        rows = self.rows
        for line in lines:
            cells = line.split("\t")
            if len(cells) != self.width:
                raise ValueError(f"a SPARQL TSV row of {len(cells)} cells, expected {self.width}")
            if self.limit is not None and len(rows) >= self.limit:
                self.cut = "rows"
                raise AnswerCapped
            if self.max_bytes is not None:
                self.total += sum(map(self.sizes.__getitem__, cells)) + 4
                if self.total > self.max_bytes:
                    self.cut = "bytes"
                    raise AnswerCapped
            rows.append(tuple(map(terms, cells)))


class OxigraphEngine:
    """pyoxigraph's in-memory store loaded from N-Triples (no rdflib import)."""

    name = "oxigraph"

    def __init__(self, ntriples: Path | bytes):
        import pyoxigraph as ox

        self.store = ox.Store()
        if isinstance(ntriples, Path):
            self.store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES)
        else:
            self.store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)

    def __len__(self) -> int:
        return len(self.store)

    def run(self, text: str, source: str = "query", limit: int | None = None, *,
            max_bytes: int | None = None, dataset: Dataset | None = None) -> Result:
        checked = check_local(text, source)  # SERVICE and UPDATE refused; run what was decided on
        return self.run_checked(checked, source, limit, max_bytes=max_bytes, dataset=dataset)

    def _query(self, checked: Checked, source: str, dataset: Dataset | None) -> Any:
        import pyoxigraph as ox

        options: dict[str, Any] = {}
        if dataset is not None:
            default, named = dataset
            options["default_graph"] = [ox.NamedNode(g) for g in default] or None
            options["named_graphs"] = [ox.NamedNode(g) for g in named] or None
            if options["default_graph"] is None:  # named graphs only: the default graph is empty
                options["default_graph"] = [ox.NamedNode("urn:iapgraph:empty")]
        try:
            return self.store.query(checked.text, **options)
        except SyntaxError as exc:
            confirm(checked, source)  # an unparsed text: rdflib's parse words the refusal, as before
            raise ox_syntax_error(checked.text, source, str(exc)) from None
        except (OSError, RuntimeError, ValueError) as exc:  # evaluation errors
            raise IapgraphError(f"{source}: query failed: {exc}") from None

    def run_checked(self, checked: Checked, source: str = "query", limit: int | None = None, *,
                    max_bytes: int | None = None, dataset: Dataset | None = None) -> Result:
        """:meth:`run` for a query that already went through :func:`check_local` (in this process
        or in the process that sent it here): ``checked.text`` is run as it is.

        Args:
            checked: what :func:`check_local` returned.
            source: the query's name in messages.
            limit: at most this many rows.
            max_bytes: at most this many bytes of terms.
            dataset: replaces the query's FROM clauses.

        Returns:
            The result.

        Raises:
            QuerySyntaxError: Oxigraph refused the text.
            IapgraphError: the evaluation failed.
        """
        import pyoxigraph as ox

        answer = self._query(checked, source, dataset)
        if isinstance(answer, ox.QueryBoolean):
            return Result("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            triples = ((_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object)) for t in answer)
            return _result(checked.form or "CONSTRUCT", [], triples, limit, max_bytes)
        variables = [v.value for v in answer.variables]
        if not variables:  # no columns: TSV rows would be empty lines
            rows = (tuple(_ox_term(solution[v]) for v in variables) for solution in answer)
            return _result("SELECT", variables, rows, limit, max_bytes)
        sink = _TsvRows(len(variables), limit, max_bytes)
        try:
            answer.serialize(sink, ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]  # a writable
            sink.finish()
        except AnswerCapped:
            pass
        except (OSError, RuntimeError) as exc:  # evaluation errors met while the rows are made
            raise IapgraphError(f"{source}: query failed: {exc}") from None
        result = Result("SELECT", variables, sink.rows)
        result.truncated, result.cut = bool(sink.cut), sink.cut
        return result

    def answer(self, checked: Checked, media: str, source: str = "query", limit: int | None = None, *,
               max_bytes: int | None = None, dataset: Dataset | None = None) -> tuple[bytes, str]:
        """The answer as the body of an HTTP reply in ``media``, and which cap cut it ("rows",
        "bytes" or ""), for a query that already went through :func:`check_local`.

        A SELECT answer asked for in JSON or XML is written by Oxigraph itself into a buffer that
        refuses to grow past ``max_bytes``; when it fits and holds no more than ``limit`` rows
        (and so no more than ``max_bytes`` bytes of terms, see :func:`_fits`), it is the answer.
        Anything else (CONSTRUCT, ASK, CSV, TSV, an answer a cap cuts) goes through :meth:`run_checked`
        and the project's own writers, which cut rows exactly where the caps say.

        Args:
            checked: what :func:`check_local` returned.
            media: one of :data:`~iapgraph.sparql.results.SOLUTION_TYPES` or ``GRAPH_TYPES``.
            source: the query's name in messages.
            limit: at most this many rows.
            max_bytes: at most this many bytes of terms.
            dataset: replaces the query's FROM clauses.

        Returns:
            The body and the cap that cut it.

        Raises:
            QuerySyntaxError: Oxigraph refused the text.
            IapgraphError: the evaluation failed.
        """
        import pyoxigraph as ox

        native = _NATIVE_FORMATS.get(media) if checked.form == "SELECT" else None
        if native is not None:
            answer = self._query(checked, source, dataset)
            if isinstance(answer, ox.QuerySolutions):
                body = _bounded_json(answer, max_bytes)
                if body is not None and _fits(body, limit, max_bytes):
                    if native == "json":
                        return body, ""
                    solutions: Any = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                    return bytes(solutions.serialize(format=ox.QueryResultsFormat.XML)), ""
        return serialize(self.run_checked(checked, source, limit, max_bytes=max_bytes, dataset=dataset), media)


#: media types Oxigraph writes itself (for SELECT): W3C JSON and XML results, as the project's writers
_NATIVE_FORMATS = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
}


class _Budget:
    """A binary output that refuses to grow past ``limit`` bytes (Oxigraph then stops writing)."""

    def __init__(self, limit: int | None):
        self.parts: list[bytes] = []
        self.size, self.limit, self.over = 0, limit, False

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            self.over = True
            raise OSError("answer over the byte cap")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _bounded_json(answer: Any, max_bytes: int | None) -> bytes | None:
    """Oxigraph's own JSON of a SELECT answer, or None when it passed ``max_bytes``."""
    import pyoxigraph as ox

    out = _Budget(max_bytes)
    try:
        answer.serialize(out, format=ox.QueryResultsFormat.JSON)
    except OSError:
        if out.over:
            return None
        raise
    return b"".join(out.parts)


def _fits(body: bytes, limit: int | None, max_bytes: int | None) -> bool:
    """True when Oxigraph's JSON ``body`` holds at most ``limit`` rows whose terms weigh at most
    ``max_bytes`` as :func:`_size` counts them, so no cap would cut it.

    In that JSON each bound term takes at least 29 bytes besides its value, datatype and language
    (``"v":{"type":"uri","value":""}``) where :func:`_size` counts 16, and a row at least 2 (``{}``)
    where it counts 4: the terms of an answer weigh at most ``len(body) + 2 * rows`` (canonical
    forms grow a value by at most 4: "0" -> "false")."""
    if limit is None and max_bytes is None:
        return True
    if len(body) < 2 * (limit if limit is not None else 0) and (max_bytes is None or 2 * len(body) <= max_bytes):
        return True  # a row takes at least 2 bytes: fewer rows than the limit, terms under the cap
    # each row is a JSON object of its own, so there are no more rows than '{' in the body (a '{'
    # inside a value only raises the count): counted in C, this spares parsing the answer again
    rows_at_most = body.count(b"{")
    if (limit is None or rows_at_most <= limit) and (max_bytes is None or len(body) + 2 * rows_at_most <= max_bytes):
        return True
    import pyoxigraph as ox

    solutions: Any = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    rows = 0
    for _ in solutions:
        rows += 1
    return (limit is None or rows <= limit) and (max_bytes is None or len(body) + 2 * rows <= max_bytes)


def serialize(result: Result, media: str) -> tuple[bytes, str]:
    """A Result as the body of an HTTP reply in ``media`` (one of the offered types), and the cap
    that cut it ("rows", "bytes" or "").

    Args:
        result: the answer.
        media: a key of :data:`~iapgraph.sparql.results.SOLUTION_TYPES` or ``GRAPH_TYPES``.

    Returns:
        The body and the cap.
    """
    writer = (GRAPH_TYPES if result.form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_TYPES)[media]
    return writer(result).encode("utf-8"), result.cut or ("rows" if result.truncated else "")


# --- rdflib ------------------------------------------------------------------------------------

def _rdflib_term(term: Any) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return Term("uri", str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    if isinstance(term, Literal):
        return Term("literal", str(term), str(term.datatype) if term.datatype else None, term.language)
    raise TypeError(f"unsupported term {term!r}")


_RDFLIB_POS = re.compile(r"\(at char (\d+)\)")


class RdflibEngine:
    """rdflib's own SPARQL engine over an rdflib Graph (slow on big graphs, kept for parity)."""

    name = "rdflib"

    def __init__(self, graph: rdflib.Graph):
        self.graph = graph

    @classmethod
    def from_ntriples(cls, path: Path) -> RdflibEngine:
        from rdflib import Graph

        return cls(Graph().parse(str(path), format="nt"))

    def __len__(self) -> int:
        return len(self.graph)

    def run(self, text: str, source: str = "query", limit: int | None = None, *,
            max_bytes: int | None = None, dataset: Dataset | None = None) -> Result:
        # always parsed: rdflib parses to run anyway, and it would fetch the graphs FROM names
        checked = check_local(text, source, full=True)
        if dataset is not None or checked.dataset:
            raise UsageError(f"{source}: the rdflib engine holds one graph: FROM, FROM NAMED, "
                             "default-graph-uri and named-graph-uri need the oxigraph engine")
        try:
            answer = self.graph.query(checked.text)
            kind = answer.type
            if kind == "ASK":
                return Result("ASK", boolean=bool(answer.askAnswer))
            if kind in ("CONSTRUCT", "DESCRIBE"):
                triples = (tuple(_rdflib_term(t) for t in triple) for triple in answer.graph or ())
                return _result(kind, [], triples, limit, max_bytes)
            variables = [str(v) for v in answer.vars or ()]
            rows: Iterator[Row] = (tuple(_rdflib_term(row[i]) for i in range(len(variables)))  # type: ignore[index]
                                   for row in answer)
            return _result("SELECT", variables, rows, limit, max_bytes)
        except IapgraphError:
            raise
        except Exception as exc:  # pyparsing's ParseException and rdflib's plain Exceptions
            raise _rdflib_error(checked.text, source, exc) from None


def _rdflib_error(text: str, source: str, exc: Exception) -> IapgraphError:
    message = " ".join(str(exc).split())
    m = _RDFLIB_POS.search(message)
    if type(exc).__name__ == "ParseException" and m:
        line, column = position(text, int(m.group(1)))
        cause = message.split("  (at char")[0].split(" (at char")[0]
        near = _near(text, line, column)
        return QuerySyntaxError(source, line, column, (f"near '{near}': " if near else "") + cause)
    return IapgraphError(f"{source}: query failed: {message}")


def _read_timeout(response: Any, seconds: float) -> None:
    """Let the next read of an HTTP response wait at most ``seconds`` (what is left of the deadline)."""
    try:
        response.fp.raw._sock.settimeout(max(seconds, 0.01))
    except AttributeError:  # not a plain socket: the per-read timeout of urlopen still applies
        pass


# --- a remote endpoint -------------------------------------------------------------------------

class EndpointEngine:
    """Any SPARQL 1.1 Protocol endpoint, asked by HTTP POST (form-encoded ``query=``)."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float = 120.0):
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise EndpointError(f"not an http(s) URL: {url!r}")
        self.url = url
        self.timeout = timeout

    def run(self, text: str, source: str = "query", limit: int | None = None, *,
            max_bytes: int | None = None, dataset: Dataset | None = None) -> Result:
        import http.client
        import time
        import urllib.error
        import urllib.request

        form = query_form(text)
        check_readonly(text)
        try:  # a syntax error is worded here, as for the local engines (the endpoint may federate)
            check_local(text, source, full=True)
        except ServiceRefused:
            pass
        graph = form in ("CONSTRUCT", "DESCRIBE")
        accept = ("application/n-triples, text/plain;q=0.9, text/turtle;q=0.5" if graph
                  else "application/sparql-results+json")
        fields = [("query", text)]
        if dataset is not None:
            fields += [("default-graph-uri", g) for g in dataset[0]] + [("named-graph-uri", g) for g in dataset[1]]
        request = urllib.request.Request(
            self.url, data=urllib.parse.urlencode(fields).encode(), method="POST",
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded",
                     "User-Agent": "iapgraph"})
        deadline = time.monotonic() + self.timeout  # for the whole answer, not for each read
        cap = (max_bytes if max_bytes is not None else MAX_ANSWER_BYTES) * 2 + (1 << 20)  # formats inflate
        late = EndpointError(f"{self.url}: no answer to {source} within the {self.timeout:g} s time limit")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                chunks: list[bytes] = []
                size = 0
                while True:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise late
                    _read_timeout(response, left)
                    chunk = response.read1(1 << 16) if hasattr(response, "read1") else response.read(1 << 16)
                    if not chunk:
                        if response.length:  # the connection closed before the announced length
                            raise http.client.IncompleteRead(b"".join(chunks), response.length)
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > cap:
                        raise EndpointError(f"{self.url}: the answer to {source} passed {cap} bytes; "
                                            "ask for less (LIMIT) or raise --max-bytes")
                body = b"".join(chunks)
                ctype = response.headers.get_content_type()
                capped = response.headers.get("X-Iapgraph-Truncated") is not None
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace")
            first = next((ln.strip() for ln in detail.splitlines() if ln.strip()), exc.reason)
            raise EndpointError(f"{self.url} refused {source} (HTTP {exc.code}): {first[:300]}") from None
        except http.client.IncompleteRead as exc:
            announced = f" of {len(exc.partial) + exc.expected}" if isinstance(exc.expected, int) else ""
            raise EndpointError(f"{self.url}: the answer to {source} ended early ({len(exc.partial)} bytes "
                                f"received{announced} announced)") from None
        except http.client.HTTPException as exc:
            raise EndpointError(f"{self.url}: not a valid HTTP answer to {source}: "
                                f"{type(exc).__name__} {exc}"[:300]) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError) or time.monotonic() >= deadline:
                raise late from None
            raise EndpointError(f"cannot reach SPARQL endpoint {self.url}: {reason}") from None
        try:
            if graph:
                result = self._graph(body, ctype, form)
            else:
                result = from_json(json.loads(body.decode("utf-8")), form)
        except (ValueError, KeyError, TypeError) as exc:
            raise EndpointError(f"{self.url} sent an answer that is not SPARQL results ({ctype}): "
                                f"{' '.join(str(exc).split())[:200]}") from None
        taken, cut = _capped(result.rows, limit, max_bytes)
        result.rows = taken
        result.truncated, result.cut = bool(cut) or capped, cut or ("rows" if capped else "")
        return result

    @staticmethod
    def _graph(body: bytes, ctype: str, form: str) -> Result:
        if ctype in ("application/n-triples", "text/plain", "text/ntriples"):
            parsed = from_ntriples(body.decode("utf-8"), form)
            return graph_result(parsed.rows, form)  # type: ignore[arg-type]
        if ctype not in ("text/turtle", "application/rdf+xml", "application/x-turtle"):
            # JSON-LD above all: its @context makes a parser fetch a URL or read a local file
            raise ValueError(f"asked for N-Triples or Turtle, got {ctype}")
        from rdflib import Graph  # Turtle or RDF/XML from an endpoint that ignores Accept

        g = Graph().parse(data=body, format=ctype)
        return graph_result([tuple(_rdflib_term(t) for t in triple) for triple in g], form)  # type: ignore[misc]
