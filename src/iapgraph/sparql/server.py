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
"""

from __future__ import annotations

import heapq
import html
import queue
import re
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

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
MAX_CONNECTIONS = 256  # requests handled at once (one thread each); more get 503 at once
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


def is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "::1", "localhost") or host.startswith("127.")


class SparqlHandler(BaseHTTPRequestHandler):
    """One request; the server object carries the pool, the HTML path and the limits."""

    server: SparqlServer
    server_version = "iapgraph"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # answers go out at once (each is written in one piece anyway)

    # --- plumbing --------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        if not self._received():  # the deadline passed and its 408 went out: nothing more
            return
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if urllib.parse.urlsplit(self.path).path == "/sparql":  # the protocol's CORS, nowhere else
            self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Vary", "Accept")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self._headers_buffer.append(b"\r\n")  # type: ignore[attr-defined]  # end_headers, but the body goes along:
        if self.command != "HEAD":  # one write, so no small packet waits for the client's delayed ACK
            self._headers_buffer.append(body)  # type: ignore[attr-defined]
        self.flush_headers()

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    def setup(self) -> None:
        self.timeout = self.server.client_timeout  # type: ignore[misc]  # socket timeout: a stalled client is dropped
        super().setup()

    def handle_one_request(self) -> None:
        """One request under a deadline: a client that has not sent it whole (line, headers, body)
        ``client_timeout`` seconds after the server began waiting for it loses the connection,
        however slowly it keeps dripping bytes: with a 408 once its request line is in, silently
        before (an idle connection)."""
        self._deadline = threading.Lock()
        self._state = ""  # "answer" once the handler answers, "expired" once the deadline passed
        self._phase = ""  # "body" while a POST body is read
        self.raw_requestline = b""  # filled by the base class once the request line is in
        timer = self.server.watchdog.add(self.server.client_timeout, self._expire)
        try:
            super().handle_one_request()
        finally:
            timer.cancel()

    def _expire(self) -> None:
        with self._deadline:
            if self._state:
                return
            self._state = "expired"
        self.close_connection = True
        what = "request body" if self._phase == "body" else "request"
        message = f"{what} not received within {self.server.client_timeout:g} s\n".encode()
        try:
            if not self.raw_requestline:  # idle, or not even a request line: dropped without a word
                raise OSError
            # without waiting (one thread keeps every deadline): a client that reads nothing gets nothing
            self.connection.send(b"HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                 + f"Content-Length: {len(message)}\r\nConnection: close\r\n\r\n".encode()
                                 + message, getattr(socket, "MSG_DONTWAIT", 0))
        except OSError:
            pass
        try:
            self.connection.shutdown(socket.SHUT_RDWR)  # the blocked read returns; the slot is freed
        except OSError:
            pass

    def _received(self) -> bool:
        """The request is in: the deadline is over (a slow query is the time limit's business).
        False when the deadline passed first (the 408 is sent; nothing more may be)."""
        lock = getattr(self, "_deadline", None)
        if lock is None:
            return True
        with lock:
            if self._state == "expired":
                return False
            self._state = "answer"
            return True

    def parse_request(self) -> bool:
        """HTTP/1.1 framing that two parsers could read differently is refused (a desync)."""
        if not super().parse_request():
            return False
        lengths = self.headers.get_all("Content-Length") or []
        if len(lengths) > 1 or (lengths and "," in lengths[0]):
            self.close_connection = True
            self._error(HTTPStatus.BAD_REQUEST, "more than one Content-Length")
            return False
        if self.headers.get("Transfer-Encoding") is not None:
            self.close_connection = True
            self._error(HTTPStatus.BAD_REQUEST, "Transfer-Encoding is not supported: send a Content-Length"
                        + (" (and never both)" if lengths else ""))
            return False
        if lengths and self.command != "POST":
            self.close_connection = True  # a body nobody reads must not become the next request
        return True

    _date: tuple[int, str] = (0, "")  # the Date header of the current second (one per second, not per reply)

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The Date header, formatted once a second rather than for every reply."""
        if timestamp is not None:
            return super().date_time_string(timestamp)
        now = int(time.time())
        second, text = SparqlHandler._date
        if second != now:
            text = super().date_time_string(now)
            SparqlHandler._date = (now, text)
        return text

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    # --- methods ---------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:
        if urllib.parse.urlsplit(self.path).path != "/sparql":
            return self._error(HTTPStatus.NOT_FOUND, "CORS is offered on /sparql only")
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        if not self._received():
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/sparql":
            try:
                args = urllib.parse.parse_qs(url.query, keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                return self._error(HTTPStatus.BAD_REQUEST, "the query string is not UTF-8")
            if "update" in args:
                return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
            queries = args.get("query", [])
            if not queries:
                return self._index()
            if len(queries) > 1:
                return self._error(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
            return self._answer(queries[0], args)
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
        self._phase = "body"
        try:
            raw = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            return self._error(HTTPStatus.REQUEST_TIMEOUT,
                               f"request body not received within {self.server.client_timeout:g} s")
        if len(raw) < length:
            self.close_connection = True
            return self._error(HTTPStatus.BAD_REQUEST, f"request body ended after {len(raw)} of {length} bytes")
        if not self._received():
            return
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, f"the request body is not UTF-8 (byte {exc.start})")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            args = urllib.parse.parse_qs(url.query, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            return self._error(HTTPStatus.BAD_REQUEST, "the query string is not UTF-8")
        if ctype == "application/sparql-update":
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
        if ctype == "application/sparql-query":
            text = body
        elif ctype == "application/x-www-form-urlencoded":
            try:
                form = urllib.parse.parse_qs(body, keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                return self._error(HTTPStatus.BAD_REQUEST, "the form is not UTF-8")
            if "update" in form:
                return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL UPDATE is refused")
            queries = form.get("query", [])
            if len(queries) != 1 or "query" in args:
                return self._error(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
            text = queries[0]
            for key, values in form.items():
                if key != "query":
                    args.setdefault(key, []).extend(values)
        elif not ctype:
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                               "POST needs a Content-Type: application/x-www-form-urlencoded (query=...) "
                               "or application/sparql-query")
        else:
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                               f"unsupported Content-Type {ctype}: POST a query as "
                               "application/x-www-form-urlencoded (query=...) or application/sparql-query")
        return self._answer(text, args)

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
    def _answer(self, text: str, args: Mapping[str, list[str]]) -> None:
        fmt = args.get("format", [""])[0]
        dataset = None
        graphs = (args.get("default-graph-uri", []), args.get("named-graph-uri", []))
        if graphs[0] or graphs[1]:
            bad = next((g for g in graphs[0] + graphs[1] if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$", g)
                        or any(c in g for c in '<>"{}|^`\\')), None)
            if bad is not None:
                return self._error(HTTPStatus.BAD_REQUEST, f"not an absolute IRI: {bad!r}")
            dataset = (tuple(graphs[0]), tuple(graphs[1]))
        try:  # parsed here: UPDATE, LOAD and SERVICE are refused before any worker sees the query
            prepared, checked = decide(text, self.server.base)
            offered = GRAPH_TYPES if prepared.form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_TYPES
            accept = _SHORT_FORMATS.get(fmt.lower(), fmt) if fmt else (self.headers.get("Accept") or "")
            media = negotiate(accept, offered)
            if media is None:
                return self._error(HTTPStatus.NOT_ACCEPTABLE, "acceptable result types: " + ", ".join(offered))
            try:  # the worker runs exactly the checked text and writes the body
                body, cut = self.server.pool.answer(checked, media, prepared.source, self.server.max_rows,
                                                    max_bytes=self.server.max_bytes, dataset=dataset)
            except QuerySyntaxError as exc:
                raise unshift(exc, prepared.shift) from None
        except ReadOnlyError as exc:
            return self._error(HTTPStatus.FORBIDDEN, f"this endpoint is read-only: {exc}")
        except RefusedQuery as exc:
            return self._error(HTTPStatus.FORBIDDEN, str(exc))
        except (QuerySyntaxError, UsageError) as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc))
        except QueryTimeout as exc:
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc), {"Retry-After": "1"})
        except WorkerCrashed as exc:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        except IapgraphError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc))
        except Exception as exc:  # a bug of ours: answered 500, the connection and the server go on
            if not self.server.quiet:
                sys.stderr.write(f"internal error: {type(exc).__name__}: {exc}\n")
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR,
                               f"internal error ({type(exc).__name__}); the query was not run")
        headers = {}
        if cut == "bytes":
            headers["X-Iapgraph-Truncated"] = f"{self.server.max_bytes} bytes"
        elif cut:
            headers["X-Iapgraph-Truncated"] = str(self.server.max_rows)
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
        """Only the files the HTML itself references (its own assets), nothing else beside it."""
        relative = urllib.parse.unquote(path).lstrip("/")
        target = self.server.assets.get(relative)
        if target is None:
            return self._error(HTTPStatus.NOT_FOUND, f"not found: {path}")
        self._file(target)

    def _file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return self._error(HTTPStatus.NOT_FOUND, f"cannot read {path.name}")
        ctype = _STATIC_TYPES.get(path.suffix.lower(), "application/octet-stream")
        self._send(HTTPStatus.OK, data, ctype)


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


class _Alarm:
    """One deadline of a :class:`Watchdog`; :meth:`cancel` it once it no longer matters."""

    __slots__ = ("callback", "seq", "when")

    def __init__(self, when: float, seq: int, callback: Callable[[], None] | None):
        self.when, self.seq, self.callback = when, seq, callback

    def __lt__(self, other: _Alarm) -> bool:
        return (self.when, self.seq) < (other.when, other.seq)

    def cancel(self) -> None:
        self.callback = None  # the watchdog skips it (and lets the handler go)


class Watchdog:
    """Calls a callback when its deadline passes, for every request's deadline, from one thread
    (a timer thread per request costs more than many a query)."""

    def __init__(self) -> None:
        self._heap: list[_Alarm] = []
        self._wake = threading.Condition()
        self._seq = 0
        self._thread: threading.Thread | None = None

    def add(self, seconds: float, callback: Callable[[], None]) -> _Alarm:
        """Call ``callback`` (in the watchdog's thread) ``seconds`` from now unless cancelled first.

        Args:
            seconds: the delay.
            callback: what to call.

        Returns:
            The alarm, to cancel.
        """
        with self._wake:
            self._seq += 1
            alarm = _Alarm(time.monotonic() + seconds, self._seq, callback)
            heapq.heappush(self._heap, alarm)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="iapgraph-deadlines", daemon=True)
                self._thread.start()
            if self._heap[0] is alarm:
                self._wake.notify()
        return alarm

    def _loop(self) -> None:
        while True:
            with self._wake:
                while True:
                    while self._heap and self._heap[0].callback is None:
                        heapq.heappop(self._heap)  # cancelled
                    if not self._heap:
                        self._wake.wait()
                        continue
                    delay = self._heap[0].when - time.monotonic()
                    if delay <= 0:
                        alarm = heapq.heappop(self._heap)
                        callback, alarm.callback = alarm.callback, None
                        break
                    self._wake.wait(delay)
            if callback is not None:
                try:
                    callback()
                except Exception:  # a deadline that cannot be enforced must not stop the others
                    pass


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server, holding what every request needs, and the bound on concurrent requests.
    Connections are handled by threads that are kept for the next one (at most
    ``max_connections`` of them), under deadlines kept by one :class:`Watchdog`."""

    daemon_threads = True
    request_queue_size = 1024  # listen backlog: a burst of clients waits instead of having its SYNs dropped

    def __init__(self, address: tuple[str, int], pool: Any, html: Path | None = None,
                 max_rows: int = 10_000, max_body: int = MAX_BODY, quiet: bool = False,
                 max_connections: int = MAX_CONNECTIONS, client_timeout: float = CLIENT_TIMEOUT,
                 max_bytes: int = MAX_BYTES):
        super().__init__(address, SparqlHandler)
        self.pool, self.html, self.max_rows, self.max_body, self.quiet = pool, html, max_rows, max_body, quiet
        self.max_connections, self.client_timeout, self.max_bytes = max_connections, client_timeout, max_bytes
        self._slots = threading.BoundedSemaphore(max_connections)
        self.watchdog = Watchdog()
        self._jobs: queue.SimpleQueue[tuple[Any, Any]] = queue.SimpleQueue()
        self._idle = 0  # handler threads waiting for a connection
        self._idle_lock = threading.Lock()
        host, port = str(self.server_address[0]), int(self.server_address[1])
        shown = f"[{host}]" if ":" in host else host
        self.base = f"http://{shown}:{port}/sparql"  # relative IRIs in queries resolve against it
        self.assets = own_assets(html) if html else {}
        decide("ASK {}", self.base)
        check_local("ASK {}", full=True)  # imports rdflib's SPARQL parser and builds its grammar (0.5 s)
        # before any client waits: texts with the letters 'service' or a relative IRI are parsed

    def process_request(self, request: Any, client_address: Any) -> None:
        """One thread per request up to ``max_connections``; beyond that a 503 at once."""
        if not self._slots.acquire(blocking=False):
            self._refuse_busy(request)
            return
        try:
            with self._idle_lock:
                start = self._idle == 0
                if not start:
                    self._idle -= 1  # that thread takes this connection
            self._jobs.put((request, client_address))
            if start:  # at most one thread per slot: a thread is started only when none waits
                threading.Thread(target=self._handle_connections, name="iapgraph-request", daemon=True).start()
        except BaseException:
            self._slots.release()
            raise

    def _handle_connections(self) -> None:
        while True:
            request, client_address = self._jobs.get()
            try:
                self.process_request_thread(request, client_address)
            finally:
                with self._idle_lock:
                    self._idle += 1  # idle before the slot is free: a thread per slot at most
                self._slots.release()

    def _refuse_busy(self, request: socket.socket) -> None:
        message = (f"busy: {self.max_connections} requests in progress (serve --max-connections); "
                   "retry in a moment\n").encode()
        head = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                f"Content-Length: {len(message)}\r\nRetry-After: 1\r\nConnection: close\r\n"
                "\r\n").encode()
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
