"""``iapgraph serve``: a read-only SPARQL 1.1 Protocol endpoint, with the interactive HTML beside it.

GET ``/sparql?query=...`` and POST (form-encoded ``query=`` or ``application/sparql-query``)
answer in the standard media types chosen by the Accept header (JSON, XML, CSV, TSV; N-Triples
or Turtle for CONSTRUCT). Updates, LOAD and federated SERVICE clauses are refused (403) before a
worker sees them, each query runs under a time limit in a worker process, rows are capped,
request bodies are bounded, a request must arrive whole within ``client_timeout`` seconds (a
deadline, not an idle timeout: a client dripping a byte a second is cut off too), connections
beyond ``max_connections`` get an immediate 503 with Retry-After, and the static route serves
only the HTML and the local files it references. CORS headers go on /sparql only. Ambiguous
framing (Content-Length with Transfer-Encoding, two Content-Lengths) is refused with 400.
Relative IRIs in a query resolve against the endpoint's own URL; ``default-graph-uri`` and
``named-graph-uri`` choose the dataset (the graph is the default graph; any named graph is
empty). It binds to 127.0.0.1 unless told otherwise.

One event loop (uvloop's where it is installed) reads every connection, httptools (llhttp)
parses the requests, and each query goes to a worker of the pool without a thread waiting for
it, with the client's socket (passed over the worker's pipe): the worker writes the reply to the
client itself, as far as the socket takes it at once, and hands back the rest; the server keeps
the connection (keep-alive, deadlines, the 503 of a time limit, the 500 of a crash).
"""

from __future__ import annotations

import asyncio
import codecs
import collections
import email.utils
import html
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httptools

from ..exceptions import (
    IapgraphError,
    QuerySyntaxError,
    QueryTimeout,
    ReadOnlyError,
    RefusedQuery,
    ServiceRefused,
    UsageError,
    WorkerCrashed,
)
from .library import parse
from .query import Prepared, prepare, unshift
from .results import GRAPH_TYPES, SOLUTION_TYPES, Result
from .text import Checked, check_local

MAX_BODY = 1 << 20  # 1 MiB: a SPARQL query, not an upload
MAX_CONNECTIONS = 256  # connections served at once; more get 503 at once
CLIENT_TIMEOUT = 30.0  # seconds a client may take to send its request
MAX_BYTES = 32_000_000  # of an answer's terms: rows beyond are cut (serve --max-bytes)
_LINKS = re.compile(r"""(?:src|href)\s*=\s*["']([^"'#?]+)""", re.I)
_DISCARD_LIMIT = 8 << 20  # of a refused body, read this much at most
_SHORT_FORMATS = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values", "nt": "application/n-triples",
    "ntriples": "application/n-triples", "turtle": "text/turtle", "ttl": "text/turtle",
}
_STATIC_TYPES = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
    ".png": "image/png", ".ttl": "text/turtle; charset=utf-8", ".nt": "application/n-triples",
    ".rq": "application/sparql-query; charset=utf-8", ".txt": "text/plain; charset=utf-8",
}

_INDEX = """<!doctype html><meta charset="utf-8"><title>iapgraph SPARQL endpoint</title>
<h1>iapgraph SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 Protocol endpoint at <code>/sparql</code> ({triples} triples, engine {engine}).
GET <code>/sparql?query=...</code> or POST; results as JSON, XML, CSV or TSV by the Accept header.</p>
<form action="/sparql" method="get"><textarea name="query" rows="8" cols="90">{example}</textarea>
<br><select name="format"><option>json</option><option>xml</option><option>csv</option>
<option>tsv</option></select> <button>Run</button></form>
<p>{html_note}</p>"""
_EXAMPLE = """PREFIX iap: <https://w3id.org/iapgraph/vocab#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?subject ?relation ?object WHERE {
  ?s a iap:Statement ; rdf:subject/rdfs:label ?subject ; iap:relation ?relation ;
     rdf:object/rdfs:label ?object .
} ORDER BY ?subject LIMIT 20"""


def negotiate(accept: str, offered: Mapping[str, Callable[[Result], str]]) -> str | None:
    """The offered media type the Accept header prefers (the first offered for */* or none)."""
    if not accept.strip():
        return next(iter(offered))
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in offered:
            choices.append((q, -index, media))
        elif media in ("*/*", "application/*", "text/*"):
            family = media.split("/")[0]
            match = next((m for m in offered if family == "*" or m.startswith(family + "/")), None)
            if match:
                choices.append((q - 0.0001, -index, match))  # an exact type beats a wildcard
    return max(choices)[2] if choices else None


_DECIDED_TEXT = 16_384  # characters: longer query texts are parsed each time, not remembered


@lru_cache(maxsize=512)
def _decide_cached(text: str, base: str) -> tuple[Prepared, Checked]:
    return _decide(text, base)


def _decide(text: str, base: str) -> tuple[Prepared, Checked]:
    prepared = prepare(parse(Path("query"), text, header=False), base=base)
    if prepared.refused:
        raise ServiceRefused(prepared.refused)
    return prepared, check_local(prepared.text, prepared.source)


def decide(text: str, base: str) -> tuple[Prepared, Checked]:
    """What the endpoint makes of a query text: the prepared query (its form, its source, the
    shift of its columns) and the checked text a worker runs as it is. :func:`check_local` decides
    (UPDATE, LOAD, SERVICE, relative IRIs, each raised as its error; a text without the letters
    'service' is not parsed, and its syntax error comes from the worker); the endpoint's base is fixed,
    so the decision for a text is remembered (the last 512 texts of up to 16 KiB; errors are not
    remembered) and a repeated query is not parsed again.

    Args:
        text: the query as the client sent it.
        base: the endpoint's own IRI, against which relative IRIs resolve.

    Returns:
        The prepared query and the checked text.

    Raises:
        RefusedQuery: SERVICE, UPDATE or LOAD (ReadOnlyError, ServiceRefused).
        QuerySyntaxError: not SPARQL the engines accept alike.
    """
    if len(text) > _DECIDED_TEXT:
        return _decide(text, base)
    return _decide_cached(text, base)


def form_fields(text: str) -> dict[str, list[str]]:
    r"""A query string or form body as ``urllib.parse.parse_qs(text, keep_blank_values=True,
    errors="strict")`` reads it, four times faster on a long ASCII text (a query sent by GET is
    2 KiB of ``%XX`` escapes, which parse_qs decodes one at a time in Python): the escapes become
    ``\xXX`` for the C escape decoder. Anything else (non-ASCII, a backslash, a malformed escape)
    goes to parse_qs itself.

    >>> form_fields("query=ASK%20%7B%7D&format=json&x")
    {'query': ['ASK {}'], 'format': ['json'], 'x': ['']}

    Raises:
        UnicodeDecodeError: an escape decodes to bytes that are not UTF-8.
    """
    if not text.isascii() or "\\" in text:
        return urllib.parse.parse_qs(text, keep_blank_values=True, errors="strict")
    fields: dict[str, list[str]] = {}
    try:
        for field in text.split("&"):
            if field:
                name, _, value = field.partition("=")
                fields.setdefault(_unquote_ascii(name), []).append(_unquote_ascii(value))
    except ValueError:  # a malformed escape, which parse_qs keeps as it is
        return urllib.parse.parse_qs(text, keep_blank_values=True, errors="strict")
    return fields


def _unquote_ascii(value: str) -> str:
    value = value.replace("+", " ")
    if "%" not in value:
        return value
    decoded: bytes = codecs.escape_decode(value.replace("%", "\\x"))[0]  # type: ignore[attr-defined]
    return decoded.decode("utf-8")


def is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "::1", "localhost") or host.startswith("127.")


class _Request:
    """One request as the parser read it (or the error that ended the connection's requests)."""

    __slots__ = ("body", "close", "headers", "method", "target", "version")

    def __init__(self, method: str, target: str, version: str, headers: dict[str, str], body: bytes,
                 close: bool):
        self.method, self.target, self.version, self.headers = method, target, version, headers
        self.body, self.close = body, close

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.target).path

    @property
    def line(self) -> str:
        return f"{self.method} {self.target} HTTP/{self.version}"


class _Refusal:
    """A request the parser could not read: answered in its turn, and the connection closed."""

    __slots__ = ("message", "status")

    def __init__(self, status: int, message: str):
        self.status, self.message = status, message


_PARSER_ERRORS = (  # what llhttp says, and what the client is told
    ("Transfer-Encoding can't be present with Content-Length",
     "Transfer-Encoding is not supported: send a Content-Length (and never both)"),
    ("Duplicate Content-Length", "more than one Content-Length"),
    ("Content-Length", "bad Content-Length"),
)
_MAX_LINE = 65_536  # bytes of a request line (414 beyond), as http.server
_MAX_HEADERS = 100  # header fields (431 beyond), as http.client
_MAX_HEAD = 1 << 20  # bytes of a request's line and headers together (431 beyond)
_PIPELINE = 16  # requests read ahead of their answers on one connection before reading pauses


class _Connection(asyncio.Protocol):
    """One client connection: requests parsed by httptools (llhttp) as bytes arrive, answered in
    order, each under the deadline of ``client_timeout`` seconds from the moment the server
    began waiting for it."""

    def __init__(self, server: SparqlServer):
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.peer = "-"
        self.parser: Any = None
        self.counted = False
        self.closed = False
        self.pending: collections.deque[_Request | _Refusal] = collections.deque()
        self.working = False  # a request is being answered (perhaps in a worker)
        self.write_paused = False  # the client is not reading: no more answers, no more reading
        self.deadline: asyncio.TimerHandle | None = None
        self.write_deadline: asyncio.TimerHandle | None = None
        self.linger: asyncio.TimerHandle | None = None  # cuts off a closing connection (or a discard)
        self.discard = 0  # bytes of a refused body still to read and drop
        self.refused = False  # the parser stopped: nothing more is read as requests
        self._answering = False  # inside _next: an answer given at once does not recurse into it
        self._new_message()

    def _new_message(self) -> None:
        self.url: list[bytes] = []
        self.headers: dict[str, str] = {}
        self.fields = 0
        self.body: list[bytes] = []
        self.head = 0  # bytes received since this request's head began, until its headers are complete
        self.head_done = False
        self.line_in = False  # its request line is in (a 408 may be sent)
        self.in_body = False
        self.skip_body = False  # a body nobody reads (not a POST): answered without reading it

    # --- the transport ------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        peer = transport.get_extra_info("peername")
        self.peer = str(peer[0]) if peer else "-"
        server = self.server
        if server.open >= server.max_connections:
            self._refuse_busy()
            return
        server.open += 1
        self.counted = True
        self.parser = httptools.HttpRequestParser(self)
        self._wait()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.counted:
            self.counted = False
            self.server.open -= 1
        for timer in (self.deadline, self.write_deadline, self.linger):
            if timer is not None:
                timer.cancel()
        self.pending.clear()

    def pause_writing(self) -> None:
        """The client does not read what was written: nothing more is answered or read until it
        does, and it is dropped if it has not within ``client_timeout`` seconds."""
        self.write_paused = True
        if self.transport is not None:
            self.transport.pause_reading()
        if self.write_deadline is None:
            self.write_deadline = self.server.loop.call_later(self.server.client_timeout, self._abort)

    def resume_writing(self) -> None:
        self.write_paused = False
        if self.write_deadline is not None:
            self.write_deadline.cancel()
            self.write_deadline = None
        self._next()

    def _abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def _close(self) -> None:
        """Close once what was written is sent; a client that never reads it is cut off after 1 s."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()
            self._linger(self._abort)

    def _linger(self, then: Callable[[], None]) -> None:
        if self.linger is not None:
            self.linger.cancel()
        self.linger = self.server.loop.call_later(1.0, then)

    # --- deadlines --------------------------------------------------------------------------------
    def _wait(self) -> None:
        """The server begins waiting for a request: it must be whole within client_timeout."""
        if self.deadline is not None:
            self.deadline.cancel()
        self.deadline = self.server.loop.call_later(self.server.client_timeout, self._expire)

    def _expire(self) -> None:
        self.deadline = None
        if self.closed or self.working or self.pending:
            return
        if self.line_in:
            what = "request body" if self.in_body else "request"
            self._reply(None, HTTPStatus.REQUEST_TIMEOUT,
                        f"{what} not received within {self.server.client_timeout:g} s\n".encode(),
                        "text/plain; charset=utf-8")  # and closed
        self.refused = True
        self._close()  # idle, or not even a request line: dropped without a word

    # --- reading ------------------------------------------------------------------------------------
    def data_received(self, data: bytes) -> None:
        if self.parser is None:  # refused as busy: what the client sent is read, then the 503 goes
            self._send_busy()
            return
        if self.discard:  # a refused body: read (so the client gets the answer, not a reset) and dropped
            self.discard = max(0, self.discard - len(data))
            if self.discard:
                self._linger(self._close)  # until the client stops sending for a second
            else:
                self._close()
            return
        if self.refused:
            return
        if not self.line_in and b"\n" in data:
            self.line_in = True
        if not self.head_done:
            self.head += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._stop_reading()  # the request is read; what follows is another protocol: not ours
        except httptools.HttpParserError as exc:
            if not self.refused:
                text = str(exc)
                message = next((m for key, m in _PARSER_ERRORS if key in text), f"bad request: {text}")
                self._refuse(HTTPStatus.BAD_REQUEST, message)
        if not self.head_done and not self.refused and self.head > _MAX_HEAD:
            # a head still not complete (one endless header, say) is bounded, not buffered forever
            self._refuse(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large")
        self._next()

    def _stop_reading(self) -> None:
        self.refused = True
        if self.pending and isinstance(self.pending[-1], _Request):
            self.pending[-1].close = True

    def _refuse(self, status: int, message: str, discard: int = 0) -> None:
        """Answer ``status`` in this request's turn and read nothing more (but ``discard`` bytes,
        each chunk within a second of the last)."""
        self.refused = True
        self.pending.append(_Refusal(status, message))
        self.discard = discard
        if discard:
            self._linger(self._close)
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    # httptools callbacks
    def on_message_begin(self) -> None:
        self._new_message()

    def on_url(self, url: bytes) -> None:
        self.url.append(url)
        if sum(map(len, self.url)) > _MAX_LINE and not self.refused:
            self._refuse(HTTPStatus.REQUEST_URI_TOO_LONG, "request line too long")
            raise httptools.HttpParserError("stop")

    def on_header(self, name: bytes, value: bytes) -> None:
        self.line_in = True
        self.fields += 1
        if self.fields > _MAX_HEADERS and not self.refused:
            self._refuse(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many headers")
            raise httptools.HttpParserError("stop")
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        if key in self.headers:
            self.headers[key] += ", " + text
        else:
            self.headers[key] = text

    def on_headers_complete(self) -> None:
        self.line_in = self.head_done = True
        parser = self.parser
        method = parser.get_method().decode("latin-1")
        lengths = self.headers.get("content-length")
        if "transfer-encoding" in self.headers:
            self._refuse(HTTPStatus.BAD_REQUEST, "Transfer-Encoding is not supported: send a Content-Length"
                         + (" (and never both)" if lengths else ""))
            raise httptools.HttpParserError("stop")
        if lengths is not None and method != "POST" and int(lengths) > 0:
            # a body nobody reads is not read (nor kept): the request is answered, the connection closed
            self.skip_body = True
            self._complete(method, close=True)
            raise httptools.HttpParserError("stop")
        if lengths is not None and method == "POST":
            length = int(lengths)  # llhttp accepted it: digits only
            if length > self.server.max_body:
                self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {self.server.max_body} bytes",
                             discard=min(length, _DISCARD_LIMIT))
                raise httptools.HttpParserError("stop")
            self.in_body = length > 0
            if self.in_body and self.headers.get("expect", "").lower() == "100-continue" and self.transport:
                self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # curl waits for it before the body

    def on_body(self, body: bytes) -> None:
        if not self.skip_body:
            self.body.append(body)

    def on_message_complete(self) -> None:
        if self.skip_body:
            return
        method = self.parser.get_method().decode("latin-1")
        self._complete(method, close=not self.parser.should_keep_alive())

    def _complete(self, method: str, close: bool) -> None:
        """The request is read: it waits for its turn to be answered."""
        request = _Request(method, b"".join(self.url).decode("latin-1"), self.parser.get_http_version(),
                           self.headers, b"".join(self.body), close)
        self.pending.append(request)
        if close:
            self.refused = True
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None
        self._new_message()
        if len(self.pending) >= _PIPELINE and self.transport is not None:
            self.transport.pause_reading()

    # --- answering ------------------------------------------------------------------------------------
    def _next(self) -> None:
        """Answer the oldest request read, unless one is being answered. Answers given at once
        (errors, pages) are given in this loop, not by recursion: a client may send thousands of
        requests in one packet."""
        if self._answering:
            return
        self._answering = True
        try:
            self._answer_pending()
        finally:
            self._answering = False
        if (not self.working and not self.write_paused and not self.closed and not self.refused
                and self.parser is not None and self.transport is not None):
            if len(self.pending) < _PIPELINE:
                self.transport.resume_reading()
            if not self.pending and self.deadline is None:
                self._wait()

    def _answer_pending(self) -> None:
        while not self.working and not self.write_paused and self.pending and not self.closed:
            item = self.pending.popleft()
            if isinstance(item, _Refusal):
                self.pending.clear()
                self._reply(None, item.status, (item.message + "\n").encode(), "text/plain; charset=utf-8")
                return  # and closed (once a refused body is read)
            self.working = True
            try:
                _Exchange(self, item).run()
            except Exception as exc:  # a bug of ours: answered 500, the server goes on
                self.working = False
                if not self.server.quiet:
                    sys.stderr.write(f"internal error: {type(exc).__name__}: {exc}\n")
                self._reply(item, HTTPStatus.INTERNAL_SERVER_ERROR,
                            f"internal error ({type(exc).__name__})\n".encode(), "text/plain; charset=utf-8")

    def done(self) -> None:
        """The request being answered is answered: the next one, if any."""
        self.working = False
        self._next()

    def head_parts(self, request: _Request | None, status: int, ctype: str | None,
                   headers: dict[str, str] | None, close: bool) -> tuple[bytes, bytes]:
        """A reply's status line and headers, in two parts: Content-Length goes between them."""
        phrase = HTTPStatus(status).phrase
        parts = [f"HTTP/1.1 {status} {phrase}\r\nServer: iapgraph\r\nDate: {_date()}\r\n"]
        if ctype is not None:
            parts.append(f"Content-Type: {ctype}\r\n")
        if request is not None and request.path == "/sparql":  # the protocol's CORS, nowhere else
            parts.append("Access-Control-Allow-Origin: *\r\n")
        if ctype is not None:
            parts.append("Vary: Accept\r\n")
        for key, value in (headers or {}).items():
            parts.append(f"{key}: {value}\r\n")
        return "".join(parts).encode("latin-1"), b"Connection: close\r\n\r\n" if close else b"\r\n"

    def client(self) -> int | None:
        """The client's socket, for a worker to write a reply to, when nothing waits to be written
        to it here (so the worker's reply cannot overtake an earlier one)."""
        transport = self.transport
        if self.closed or transport is None or transport.is_closing() or transport.get_write_buffer_size():
            return None
        sock = transport.get_extra_info("socket")
        return sock.fileno() if sock is not None else None

    def _reply(self, request: _Request | None, status: int, body: bytes, ctype: str | None,
               headers: dict[str, str] | None = None, close: bool = False) -> None:
        if self.closed or self.transport is None or self.transport.is_closing():
            return
        close = close or request is None or request.close
        start, end = self.head_parts(request, status, ctype, headers, close)
        head = b"%sContent-Length: %d\r\n%s" % (start, len(body), end)
        self.transport.write(head + body if request is None or request.method != "HEAD" else head)
        self._replied(request, status, len(body), close)

    def sent(self, request: _Request, status: int, size: int, rest: bytes) -> None:
        """A worker wrote the reply to the client's socket; ``rest`` is what the socket did not take."""
        if self.closed or self.transport is None or self.transport.is_closing():
            return
        if rest:
            self.transport.write(rest)
        self._replied(request, status, size, request.close)

    def _replied(self, request: _Request | None, status: int, size: int, close: bool) -> None:
        if not self.server.quiet:
            line = request.line if request is not None else "-"
            sys.stderr.write(f'{self.peer} "{line}" {status} {size}\n')
        if close:
            self.refused = True
            self.pending.clear()
            if not self.discard:
                self._close()

    # --- beyond max_connections ------------------------------------------------------------------------
    def _refuse_busy(self) -> None:
        """A 503 at once, after reading what the client sent (so closing does not reset it)."""
        self.server.loop.call_later(0.05, self._send_busy)

    def _send_busy(self) -> None:
        if self.closed or self.transport is None or self.transport.is_closing():
            return
        server = self.server
        self._reply(None, HTTPStatus.SERVICE_UNAVAILABLE,
                    (f"busy: {server.max_connections} requests in progress (serve --max-connections); "
                     "retry in a moment\n").encode(), "text/plain; charset=utf-8", {"Retry-After": "1"})


_DATE: list[Any] = [0, ""]  # the Date header of the current second (one per second, not per reply)


def _date() -> str:
    now = int(time.time())
    if _DATE[0] != now:
        _DATE[:] = [now, email.utils.formatdate(now, usegmt=True)]
    return str(_DATE[1])


class _Exchange:
    """What one request asks and its answer: the endpoint's routes."""

    def __init__(self, connection: _Connection, request: _Request):
        self.connection, self.request, self.server = connection, request, connection.server

    def run(self) -> None:
        method = self.request.method
        if method in ("GET", "HEAD"):
            self.get()
        elif method == "POST":
            self.post()
        elif method == "OPTIONS":
            self.options()
        elif method in ("PUT", "DELETE", "PATCH"):
            self.error(HTTPStatus.METHOD_NOT_ALLOWED, "read-only endpoint: use GET or POST /sparql",
                       {"Allow": "GET, POST, OPTIONS"})
        else:
            self.error(HTTPStatus.NOT_IMPLEMENTED, f"unsupported method {method}")

    # --- replies -------------------------------------------------------------------------------------
    def send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str] | None = None) -> None:
        self.connection._reply(self.request, status, body, ctype, headers)
        self.connection.done()

    def error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self.send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    # --- methods ---------------------------------------------------------------------------------------
    def options(self) -> None:
        if self.request.path != "/sparql":
            return self.error(HTTPStatus.NOT_FOUND, "CORS is offered on /sparql only")
        self.send(HTTPStatus.NO_CONTENT, b"", None, {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                                      "Access-Control-Allow-Headers": "Content-Type, Accept"})

    def get(self) -> None:
        url = urllib.parse.urlsplit(self.request.target)
        if url.path == "/sparql":
            try:
                args = form_fields(url.query)
            except UnicodeDecodeError:
                return self.error(HTTPStatus.BAD_REQUEST, "the query string is not UTF-8")
            if "update" in args:
                return self.error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
            queries = args.get("query", [])
            if not queries:
                return self.index()
            if len(queries) > 1:
                return self.error(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
            return self.answer(queries[0], args)
        if url.path in ("/", "/index.html"):
            return self.file(self.server.html) if self.server.html else self.index()
        return self.static(url.path)

    def post(self) -> None:
        request = self.request
        url = urllib.parse.urlsplit(request.target)
        if url.path != "/sparql":
            return self.error(HTTPStatus.NOT_FOUND, f"no such endpoint {url.path}; POST to /sparql")
        if "content-length" not in request.headers:
            return self.error(HTTPStatus.LENGTH_REQUIRED, "POST needs a Content-Length")
        try:
            body = request.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return self.error(HTTPStatus.BAD_REQUEST, f"the request body is not UTF-8 (byte {exc.start})")
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            args = form_fields(url.query)
        except UnicodeDecodeError:
            return self.error(HTTPStatus.BAD_REQUEST, "the query string is not UTF-8")
        if ctype == "application/sparql-update":
            return self.error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
        if ctype == "application/sparql-query":
            text = body
        elif ctype == "application/x-www-form-urlencoded":
            try:
                form = form_fields(body)
            except UnicodeDecodeError:
                return self.error(HTTPStatus.BAD_REQUEST, "the form is not UTF-8")
            if "update" in form:
                return self.error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
            queries = form.get("query", [])
            if len(queries) != 1 or "query" in args:
                return self.error(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
            text = queries[0]
            for key, values in form.items():
                if key != "query":
                    args.setdefault(key, []).extend(values)
        elif not ctype:
            return self.error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                              "POST needs a Content-Type: application/x-www-form-urlencoded (query=...) "
                              "or application/sparql-query")
        else:
            return self.error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                              f"unsupported Content-Type {ctype}: POST a query as "
                              "application/x-www-form-urlencoded (query=...) or application/sparql-query")
        return self.answer(text, args)

    # --- SPARQL ------------------------------------------------------------------------------------------
    def answer(self, text: str, args: Mapping[str, list[str]]) -> None:
        fmt = args.get("format", [""])[0]
        dataset = None
        graphs = (args.get("default-graph-uri", []), args.get("named-graph-uri", []))
        if graphs[0] or graphs[1]:
            bad = next((g for g in graphs[0] + graphs[1] if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$", g)
                        or any(c in g for c in '<>"{}|^`\\')), None)
            if bad is not None:
                return self.error(HTTPStatus.BAD_REQUEST, f"not an absolute IRI: {bad!r}")
            dataset = (tuple(graphs[0]), tuple(graphs[1]))
        if len(text) > _DECIDED_TEXT:  # parsing a long text must not hold up every other client
            future = self.server.loop.run_in_executor(None, decide, text, self.server.base)
            future.add_done_callback(lambda f: self.decided(f, fmt, dataset))
            return
        try:  # parsed here: UPDATE, LOAD and SERVICE are refused before any worker sees the query
            prepared, checked = decide(text, self.server.base)
        except Exception as exc:
            return self.failed(exc, None)
        self.submit(prepared, checked, fmt, dataset)

    def decided(self, future: asyncio.Future[tuple[Prepared, Checked]], fmt: str, dataset: Any) -> None:
        try:
            prepared, checked = future.result()
        except Exception as exc:
            return self.failed(exc, None)
        self.submit(prepared, checked, fmt, dataset)

    def submit(self, prepared: Prepared, checked: Checked, fmt: str, dataset: Any) -> None:
        offered = GRAPH_TYPES if prepared.form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_TYPES
        accept = _SHORT_FORMATS.get(fmt.lower(), fmt) if fmt else self.request.headers.get("accept", "")
        media = negotiate(accept, offered)
        if media is None:
            return self.error(HTTPStatus.NOT_ACCEPTABLE, "acceptable result types: " + ", ".join(offered))
        server, connection, request = self.server, self.connection, self.request
        ctype = f"{media}; charset=utf-8"
        client = connection.client()
        head = None
        if client is not None:  # the worker may write the reply itself: all of it but the length
            start, end = connection.head_parts(request, HTTPStatus.OK, ctype, None, request.close)
            head = (start, f"X-Iapgraph-Truncated: {server.max_rows}\r\n".encode(),
                    f"X-Iapgraph-Truncated: {server.max_bytes} bytes\r\n".encode(), end, request.method == "HEAD")

        def answered(result: Any, error: BaseException | None) -> None:
            if error is not None:
                if client is not None and isinstance(error, (QueryTimeout, WorkerCrashed)):
                    request.close = True  # the worker may have written a reply before it was stopped
                return self.failed(error, prepared)
            if result[0] == "sent":
                _, cut, size, rest = result
                connection.sent(request, HTTPStatus.OK, size, rest)
                return connection.done()
            body, cut = result
            headers = {}
            if cut == "bytes":
                headers["X-Iapgraph-Truncated"] = f"{server.max_bytes} bytes"
            elif cut:
                headers["X-Iapgraph-Truncated"] = str(server.max_rows)
            self.send(HTTPStatus.OK, body, ctype, headers)

        # the worker runs exactly the checked text and writes the body (and, with the client's
        # socket, the whole reply)
        server.pool.submit(checked, media, prepared.source, server.max_rows,
                           {"max_bytes": server.max_bytes, "dataset": dataset}, answered, client, head)

    def failed(self, exc: BaseException, prepared: Prepared | None) -> None:
        if isinstance(exc, QuerySyntaxError) and prepared is not None:
            exc = unshift(exc, prepared.shift)
        if isinstance(exc, ReadOnlyError):
            return self.error(HTTPStatus.FORBIDDEN, f"this endpoint is read-only: {exc}")
        if isinstance(exc, RefusedQuery):
            return self.error(HTTPStatus.FORBIDDEN, str(exc))
        if isinstance(exc, (QuerySyntaxError, UsageError)):
            return self.error(HTTPStatus.BAD_REQUEST, str(exc))
        if isinstance(exc, QueryTimeout):
            return self.error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc), {"Retry-After": "1"})
        if isinstance(exc, WorkerCrashed):
            return self.error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        if isinstance(exc, IapgraphError):
            return self.error(HTTPStatus.BAD_REQUEST, str(exc))
        # a bug of ours: answered 500, the connection and the server go on
        if not self.server.quiet:
            sys.stderr.write(f"internal error: {type(exc).__name__}: {exc}\n")
        return self.error(HTTPStatus.INTERNAL_SERVER_ERROR,
                          f"internal error ({type(exc).__name__}); the query was not run")

    # --- pages -------------------------------------------------------------------------------------------
    def index(self) -> None:
        server = self.server
        note = (f'The graph viewer is at <a href="/">/</a> ({html.escape(server.html.name)}).'
                if server.html else "No viewer HTML: run `iapgraph viz` and pass --html.")
        page = _INDEX.format(triples=server.pool.triples, engine=server.pool.name,
                             example=html.escape(_EXAMPLE), html_note=note)
        self.send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")

    def static(self, path: str) -> None:
        """Only the files the HTML itself references (its own assets), nothing else beside it."""
        relative = urllib.parse.unquote(path).lstrip("/")
        target = self.server.assets.get(relative)
        if target is None:
            return self.error(HTTPStatus.NOT_FOUND, f"not found: {path}")
        self.file(target)

    def file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return self.error(HTTPStatus.NOT_FOUND, f"cannot read {path.name}")
        ctype = _STATIC_TYPES.get(path.suffix.lower(), "application/octet-stream")
        self.send(HTTPStatus.OK, data, ctype)


def own_assets(page: Path) -> dict[str, Path]:
    """The local files an HTML page references (src=, href=) inside its folder: URL path -> file."""
    try:
        text = page.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    root = page.parent.resolve()
    found: dict[str, Path] = {}
    for link in _LINKS.findall(text):
        link = urllib.parse.unquote(link.strip())
        if not link or re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", link) or link.startswith(("/", "\\")):
            continue  # another site, a data: URL, an absolute path
        parts = Path(link).parts
        if any(p in ("..", ".") or p.startswith(".") for p in parts) or "\\" in link or "\0" in link:
            continue
        target = (root / link).resolve()
        if target.is_relative_to(root) and target.is_file() and target != page.resolve():
            found[Path(link).as_posix()] = target
    return found


def new_loop() -> asyncio.AbstractEventLoop:
    """An event loop: uvloop's (libuv) where it is installed, else asyncio's own."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()  # type: ignore[no-any-return]


class SparqlServer:
    """The HTTP server: one event loop (uvloop where installed) reads every connection, parses
    requests with httptools, and hands each query to the :class:`~iapgraph.sparql.workers.WorkerPool`
    without waiting for it. At most ``max_connections`` connections are served at once; more get
    a 503 at once. Every request is under its ``client_timeout`` deadline.

    Args:
        address: host and port to listen on (port 0: a free one; see ``server_address``).
        pool: the worker pool (not yet attached to a loop).
        html: the viewer page served at / (and the local files it references).
        max_rows: rows beyond are cut.
        max_body: bytes of a request body (413 beyond).
        quiet: no line per request on standard error.
        max_connections: connections served at once.
        client_timeout: seconds a client has to send its whole request.
        max_bytes: bytes of an answer's terms (rows beyond are cut).

    Raises:
        OSError: the address cannot be listened on.
    """

    def __init__(self, address: tuple[str, int], pool: Any, html: Path | None = None,
                 max_rows: int = 10_000, max_body: int = MAX_BODY, quiet: bool = False,
                 max_connections: int = MAX_CONNECTIONS, client_timeout: float = CLIENT_TIMEOUT,
                 max_bytes: int = MAX_BYTES):
        self.pool, self.html, self.max_rows, self.max_body, self.quiet = pool, html, max_rows, max_body, quiet
        self.max_connections, self.client_timeout, self.max_bytes = max_connections, client_timeout, max_bytes
        self.open = 0  # connections being served
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        listener = socket.create_server(address, family=family, backlog=1024)  # a burst waits in the backlog
        self.server_address = listener.getsockname()[:2]
        host, port = str(self.server_address[0]), int(self.server_address[1])
        shown = f"[{host}]" if ":" in host else host
        self.base = f"http://{shown}:{port}/sparql"  # relative IRIs in queries resolve against it
        self.assets = own_assets(html) if html else {}
        decide("ASK {}", self.base)
        check_local("ASK {}", full=True)  # imports rdflib's SPARQL parser and builds its grammar (0.5 s)
        # before any client waits: texts with the letters 'service' or a relative IRI are parsed
        self.loop = new_loop()
        try:
            self._server = self.loop.run_until_complete(
                self.loop.create_server(lambda: _Connection(self), sock=listener, backlog=1024))
            self.loop.run_until_complete(pool.attach(self.loop))
        except BaseException:
            listener.close()
            self.loop.close()
            raise

    def serve_forever(self) -> None:
        """Serve until SIGTERM or SIGINT (in the main thread) or :meth:`shutdown`."""
        signals = []
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                self.loop.add_signal_handler(sig, self.loop.stop)
                signals.append(sig)
        try:
            self.loop.run_forever()
        finally:
            for sig in signals:
                self.loop.remove_signal_handler(sig)

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` (from any thread)."""
        self.loop.call_soon_threadsafe(self.loop.stop)

    def server_close(self) -> None:
        """Stop listening and close the loop (the pool is closed by its owner)."""
        self._server.close()
        self.loop.close()
