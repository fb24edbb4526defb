"""``iapgraph serve``: a read-only SPARQL 1.1 Protocol endpoint, with the interactive HTML beside it.

GET ``/sparql?query=...`` and POST (form-encoded ``query=`` or ``application/sparql-query``)
answer in the standard media types chosen by the Accept header (JSON, XML, CSV, TSV; N-Triples
or Turtle for CONSTRUCT). Updates, LOAD and federated SERVICE clauses are refused (403) before a
worker sees them, each query runs under a time limit in a worker process, rows are capped,
request bodies are bounded, a client that stalls is dropped after ``client_timeout`` seconds,
connections beyond ``max_connections`` get an immediate 503 with Retry-After, and the static
route serves only files inside the HTML's folder. It binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import html
import socket
import sys
import threading
import urllib.parse
from collections.abc import Callable, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..exceptions import IapgraphError, QuerySyntaxError, QueryTimeout, ReadOnlyError, RefusedQuery
from .library import parse
from .query import prepare
from .results import GRAPH_TYPES, SOLUTION_TYPES, Result
from .text import check_local, query_form

MAX_BODY = 1 << 20  # 1 MiB: a SPARQL query, not an upload
MAX_CONNECTIONS = 256  # requests handled at once (one thread each); more get 503 at once
CLIENT_TIMEOUT = 30.0  # seconds a client may take to send its request
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


def is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "::1", "localhost") or host.startswith("127.")


class SparqlHandler(BaseHTTPRequestHandler):
    """One request; the server object carries the pool, the HTML path and the limits."""

    server: SparqlServer
    server_version = "iapgraph"
    protocol_version = "HTTP/1.1"

    # --- plumbing --------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Vary", "Accept")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    def setup(self) -> None:
        self.timeout = self.server.client_timeout  # type: ignore[misc]  # socket timeout: a stalled client is dropped
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    # --- methods ---------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/sparql":
            args = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if "update" in args:
                return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
            queries = args.get("query", [])
            if not queries:
                return self._index()
            if len(queries) > 1:
                return self._error(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
            return self._answer(queries[0], args.get("format", [""])[0])
        if url.path in ("/", "/index.html"):
            return self._serve_html() if self.server.html else self._index()
        return self._static(url.path)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            return self._error(HTTPStatus.NOT_FOUND, f"no such endpoint {url.path}; POST to /sparql")
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return self._error(HTTPStatus.LENGTH_REQUIRED, "POST needs a Content-Length")
        try:
            length = int(length_header)
        except ValueError:
            return self._error(HTTPStatus.BAD_REQUEST, "bad Content-Length")
        if length < 0 or length > self.server.max_body:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {self.server.max_body} bytes")
            return self._discard(length)
        try:
            raw = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            return self._error(HTTPStatus.REQUEST_TIMEOUT,
                               f"request body not received within {self.server.client_timeout:g} s")
        if len(raw) < length:
            self.close_connection = True
            return self._error(HTTPStatus.BAD_REQUEST, f"request body ended after {len(raw)} of {length} bytes")
        body = raw.decode("utf-8", "replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        args = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
        if ctype == "application/sparql-query":
            text = body
        elif ctype in ("application/x-www-form-urlencoded", ""):
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
            queries = form.get("query", [])
            if len(queries) != 1:
                return self._error(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
            text = queries[0]
            args.update({k: v for k, v in form.items() if k == "format"})
        else:
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                               f"unsupported Content-Type {ctype}: POST a query as "
                               "application/x-www-form-urlencoded (query=...) or application/sparql-query")
        return self._answer(text, args.get("format", [""])[0])

    def _discard(self, length: int) -> None:
        """Read (a bounded part of) a refused body, so the client that is still sending it gets
        the answer instead of a reset connection."""
        left = min(max(length, 0), _DISCARD_LIMIT)
        self.connection.settimeout(1.0)
        try:
            while left > 0:
                chunk = self.rfile.read1(min(left, 1 << 16))  # type: ignore[attr-defined]
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass

    def _refuse_write(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "read-only endpoint: use GET or POST /sparql",
                    {"Allow": "GET, POST, OPTIONS"})

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    # --- SPARQL ------------------------------------------------------------------------------
    def _answer(self, text: str, fmt: str) -> None:
        form = query_form(text)
        offered = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_TYPES
        accept = _SHORT_FORMATS.get(fmt.lower(), fmt) if fmt else (self.headers.get("Accept") or "")
        media = negotiate(accept, offered)
        if media is None:
            return self._error(HTTPStatus.NOT_ACCEPTABLE, "acceptable result types: " + ", ".join(offered))
        try:
            check_local(text)  # UPDATE, LOAD, SERVICE: refused here, no worker or network involved
            prepared = prepare(parse(Path("query"), text))
            result = prepared.run(self.server.pool, self.server.max_rows)
        except ReadOnlyError as exc:
            return self._error(HTTPStatus.FORBIDDEN, f"this endpoint is read-only: {exc}")
        except RefusedQuery as exc:
            return self._error(HTTPStatus.FORBIDDEN, str(exc))
        except QuerySyntaxError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc))
        except QueryTimeout as exc:
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc), {"Retry-After": "1"})
        except IapgraphError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc))
        headers = {"X-Iapgraph-Truncated": str(self.server.max_rows)} if result.truncated else {}
        body = offered[media](result).encode("utf-8")
        self._send(HTTPStatus.OK, body, f"{media}; charset=utf-8", headers)

    # --- pages ---------------------------------------------------------------------------------
    def _index(self) -> None:
        note = (f'The graph viewer is at <a href="/">/</a> ({html.escape(self.server.html.name)}).'
                if self.server.html else "No viewer HTML: run `iapgraph viz` and pass --html.")
        page = _INDEX.format(triples=self.server.pool.triples, engine=self.server.pool.name,
                             example=html.escape(_EXAMPLE), html_note=note)
        self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")

    def _serve_html(self) -> None:
        assert self.server.html is not None
        self._file(self.server.html)

    def _static(self, path: str) -> None:
        root = self.server.html.parent if self.server.html else None
        relative = urllib.parse.unquote(path).lstrip("/")
        parts = Path(relative).parts
        if root is None or not relative or "\\" in relative or "\0" in relative \
                or any(p in ("..", ".") or p.startswith(".") for p in parts):
            return self._error(HTTPStatus.NOT_FOUND, f"not found: {path}")
        target = (root / relative).resolve()
        if not target.is_relative_to(root.resolve()) or not target.is_file():
            return self._error(HTTPStatus.NOT_FOUND, f"not found: {path}")
        self._file(target)

    def _file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return self._error(HTTPStatus.NOT_FOUND, f"cannot read {path.name}")
        ctype = _STATIC_TYPES.get(path.suffix.lower(), "application/octet-stream")
        self._send(HTTPStatus.OK, data, ctype)


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server, holding what every request needs, and the bound on concurrent requests."""

    daemon_threads = True
    request_queue_size = 128  # listen backlog: a burst of clients waits instead of being refused

    def __init__(self, address: tuple[str, int], pool: Any, html: Path | None = None,
                 max_rows: int = 10_000, max_body: int = MAX_BODY, quiet: bool = False,
                 max_connections: int = MAX_CONNECTIONS, client_timeout: float = CLIENT_TIMEOUT):
        super().__init__(address, SparqlHandler)
        self.pool, self.html, self.max_rows, self.max_body, self.quiet = pool, html, max_rows, max_body, quiet
        self.max_connections, self.client_timeout = max_connections, client_timeout
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        """One thread per request up to ``max_connections``; beyond that a 503 at once."""
        if not self._slots.acquire(blocking=False):
            self._refuse_busy(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _refuse_busy(self, request: socket.socket) -> None:
        message = (f"busy: {self.max_connections} requests in progress (serve --max-connections); "
                   "retry in a moment\n").encode()
        head = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                f"Content-Length: {len(message)}\r\nRetry-After: 1\r\nConnection: close\r\n"
                "Access-Control-Allow-Origin: *\r\n\r\n").encode()
        try:
            request.settimeout(0.05)
            try:
                request.recv(65536)  # read what the client sent, so closing does not reset it
            except OSError:
                pass
            request.sendall(head + message)
            request.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            self.shutdown_request(request)
        if not self.quiet:
            sys.stderr.write("refused a connection: busy\n")

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away is one log line, not a traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            if not self.quiet:
                sys.stderr.write(f"{client_address[0]} connection dropped: {exc}\n")
            return
        super().handle_error(request, client_address)
