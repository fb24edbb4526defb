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
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import rdflib

from ..exceptions import EndpointError, IapgraphError, QuerySyntaxError
from .results import Result, Row, Term, from_json, from_ntriples, graph_result
from .text import check_local, check_readonly, position, query_form, tokens

ENGINES = ("oxigraph", "rdflib")



class Engine(Protocol):
    name: str

    def run(self, text: str, source: str = "query", limit: int | None = None) -> Result:
        """Answer one query; ``limit`` caps the rows (the Result says when it cut)."""
        ...


def _capped(rows: Iterable[Row], limit: int | None) -> tuple[list[Row], bool]:
    if limit is None:
        return list(rows), False
    taken = list(islice(iter(rows), limit + 1))
    return taken[:limit], len(taken) > limit


def _near(text: str, line: int, column: int) -> str:
    """The token at (or just before) a 1-based line/column, for error messages."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return ""
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + max(column - 1, 0)
    best = ""
    for tok in tokens(text):
        if tok.start > offset:
            break
        best = tok.text
    return best[:40]


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

    def run(self, text: str, source: str = "query", limit: int | None = None) -> Result:
        import pyoxigraph as ox

        check_local(text, source)
        try:
            answer = self.store.query(text)
        except SyntaxError as exc:
            raise _ox_syntax_error(text, source, str(exc)) from None
        except OSError as exc:  # evaluation errors surface as OSError/RuntimeError
            raise IapgraphError(f"{source}: query failed: {exc}") from None
        form = query_form(text)
        if isinstance(answer, ox.QueryBoolean):
            return Result("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            triples = [(_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object)) for t in answer]
            result = graph_result(triples, form or "CONSTRUCT")  # type: ignore[arg-type]
            result.rows, result.truncated = _capped(result.rows, limit)
            return result
        variables = [v.value for v in answer.variables]
        rows = (tuple(_ox_term(solution[v]) for v in variables) for solution in answer)
        taken, truncated = _capped(rows, limit)
        return Result("SELECT", variables, taken, truncated=truncated)


_OX_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_OX_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,\s]+')
_OX_WORDS = {
    "?": "a variable", "$": "a variable", "<": "an IRI", "<<": "an IRI", "<<(": "an IRI",
    '\\"': "a literal", "'": "a literal", "'''": "a literal", '\\"\\"\\"': "a literal",
    "true": "a literal", "false": "a literal", ":": "a prefixed name", "_:": "a blank node",
}


def _summarize_expected(cause: str) -> str:
    """Oxigraph lists every character it would accept; say it in words (a variable, an IRI ...)."""
    head, sep, listing = cause.partition("expected one of ")
    if not sep:
        return cause
    words: list[str] = []
    for item in _OX_ITEM.findall(listing):
        unquoted = item[1:-1] if item.startswith('"') and len(item) > 1 else item
        if unquoted in _OX_WORDS:
            word = _OX_WORDS[unquoted]
        elif "'0'" in item:
            word = "a number"
        elif "'A'" in item:
            word = "a prefixed name"
        elif item.startswith("[") or unquoted in ("+", "-", "*", "/", "|", "^", "!") or "\\" in unquoted:
            continue
        else:
            word = unquoted if unquoted[:1].isalpha() else f"'{unquoted}'"
        if word not in words:
            words.append(word)
    if not words:
        return head + "unexpected text"
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return f"{head}expected {listed}"


def _ox_syntax_error(text: str, source: str, message: str) -> QuerySyntaxError:
    m = _OX_ERROR.search(message)
    if not m:
        return QuerySyntaxError(source, 1, 1, message.splitlines()[0] if message else "invalid query")
    line, column = int(m.group(1)), int(m.group(2))
    cause = _summarize_expected(" ".join(m.group(3).split()))
    near = _near(text, line, column)
    return QuerySyntaxError(source, line, column, (f"near '{near}': " if near else "") + cause)


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

    def run(self, text: str, source: str = "query", limit: int | None = None) -> Result:
        check_local(text, source)
        try:
            answer = self.graph.query(text)
            kind = answer.type
            if kind == "ASK":
                return Result("ASK", boolean=bool(answer.askAnswer))
            if kind in ("CONSTRUCT", "DESCRIBE"):
                triples = [tuple(_rdflib_term(t) for t in triple) for triple in answer.graph or ()]
                result = graph_result(triples, kind)  # type: ignore[arg-type]
                result.rows, result.truncated = _capped(result.rows, limit)
                return result
            variables = [str(v) for v in answer.vars or ()]
            rows: Iterator[Row] = (tuple(_rdflib_term(row[i]) for i in range(len(variables)))  # type: ignore[index]
                                   for row in answer)
            taken, truncated = _capped(rows, limit)
            return Result("SELECT", variables, taken, truncated=truncated)
        except IapgraphError:
            raise
        except Exception as exc:  # pyparsing's ParseException and rdflib's plain Exceptions
            raise _rdflib_error(text, source, exc) from None


def _rdflib_error(text: str, source: str, exc: Exception) -> IapgraphError:
    message = " ".join(str(exc).split())
    m = _RDFLIB_POS.search(message)
    if type(exc).__name__ == "ParseException" and m:
        line, column = position(text, int(m.group(1)))
        cause = message.split("  (at char")[0].split(" (at char")[0]
        near = _near(text, line, column)
        return QuerySyntaxError(source, line, column, (f"near '{near}': " if near else "") + cause)
    return IapgraphError(f"{source}: query failed: {message}")


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

    def run(self, text: str, source: str = "query", limit: int | None = None) -> Result:
        import urllib.error
        import urllib.request

        form = query_form(text)
        check_readonly(text)
        graph = form in ("CONSTRUCT", "DESCRIBE")
        accept = ("application/n-triples, text/plain;q=0.9, text/turtle;q=0.5" if graph
                  else "application/sparql-results+json")
        request = urllib.request.Request(
            self.url, data=urllib.parse.urlencode({"query": text}).encode(), method="POST",
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded",
                     "User-Agent": "iapgraph"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
                ctype = response.headers.get_content_type()
                capped = response.headers.get("X-Iapgraph-Truncated") is not None
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace")
            first = next((ln.strip() for ln in detail.splitlines() if ln.strip()), exc.reason)
            raise EndpointError(f"{self.url} refused {source} (HTTP {exc.code}): {first[:300]}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise EndpointError(f"{self.url}: no answer to {source} within the {self.timeout:g} s "
                                    "time limit") from None
            raise EndpointError(f"cannot reach SPARQL endpoint {self.url}: {reason}") from None
        try:
            if graph:
                result = self._graph(body, ctype, form)
            else:
                result = from_json(json.loads(body.decode("utf-8")), form)
        except (ValueError, KeyError) as exc:
            raise EndpointError(f"{self.url} sent an answer that is not SPARQL results ({ctype}): "
                                f"{exc}") from None
        result.rows, result.truncated = _capped(result.rows, limit)
        result.truncated = result.truncated or capped
        return result

    @staticmethod
    def _graph(body: bytes, ctype: str, form: str) -> Result:
        if ctype in ("application/n-triples", "text/plain", "text/ntriples"):
            parsed = from_ntriples(body.decode("utf-8"), form)
            return graph_result(parsed.rows, form)  # type: ignore[arg-type]
        from rdflib import Graph  # Turtle, RDF/XML or JSON-LD from an endpoint that ignores Accept

        g = Graph().parse(data=body, format=ctype)
        return graph_result([tuple(_rdflib_term(t) for t in triple) for triple in g], form)  # type: ignore[misc]
