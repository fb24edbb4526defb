"""Issue 18: what an adversarial read broke, each kept as a test.

The SPARQL refusal is decided by parsing (a property test feeds it random comments, line ends and
escapes around SERVICE, INSERT and LOAD and checks that nothing reaches a loopback listener and the
store is unchanged); the endpoint is asked as a real process on a free loopback port for the
protocol and framing cases; outputs refuse what is not a regular file.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iapgraph.exceptions import IapgraphError, OutputError, QuerySyntaxError, RefusedQuery, ServiceRefused
from iapgraph.outputs import write_text
from iapgraph.sparql.engines import OxigraphEngine
from iapgraph.sparql.text import check_local

from .conftest import ROOT, cli_env

TRIPLES = b"<http://a/s> <http://a/p> <http://a/o> .\n<http://a/s> <http://a/q> \"x\" .\n"


@pytest.fixture(scope="module")
def store() -> OxigraphEngine:
    return OxigraphEngine(TRIPLES)


# --- 1. SERVICE, UPDATE and LOAD: decided by parsing ----------------------------------------------

def test_comment_ended_by_a_carriage_return_does_not_hide_service(store, loopback):
    """The reported bypass: rdflib's comment ran to \\n, Oxigraph's ends at \\r."""
    url = f"http://127.0.0.1:{loopback.port}/sparql"
    text = f"SELECT * WHERE {{ ?s ?p ?o # x\rSERVICE <{url}> {{ ?s ?p ?o }}\n}}"
    with pytest.raises(ServiceRefused, match=rf"^query:2:1: SERVICE <{url}> refused"):
        store.run(text)
    time.sleep(0.2)
    assert loopback.connections == 0


GAPS = st.sampled_from([" ", "\n", "\r", "\r\n", "\t", "  ", "# c\r", "# c\n", "#\n", "# \u2028 c\r\n",
                        "\f", "\v", "\u00a0", "# SERVICE <http://x/>\n", "\\u0020"])
SERVICE = st.sampled_from(["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERV\\u0049CE",
                           "\\U00000053ERVICE", "SERVICE SILENT", "service\rsilent", "SERVICE#x\rSILENT"])
WRITES = st.sampled_from(["INSERT DATA { <http://a/s> <http://a/p> <http://a/planted> }",
                          "INS\\u0045RT DATA { <http://a/s> <http://a/p> <http://a/planted> }",
                          "DELETE WHERE { ?s ?p ?o }", "CLEAR DEFAULT", "DROP ALL",
                          "LOAD <{url}>", "LOAD SILENT <{url}> INTO GRAPH <http://a/g>", "lo\\u0041d <{url}>"])
PROLOGUES = st.sampled_from(["", "PREFIX x: <http://a/#> ", "PREFIX x: <http://a/#>\r", "BASE <http://a/> ",
                             "# PREFIX\r", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "])


@st.composite
def hostile(draw: st.DrawFn, url: str) -> str:
    gap = lambda: "".join(draw(st.lists(GAPS, min_size=1, max_size=3)))  # noqa: E731
    if draw(st.booleans()):
        escaped = url.replace("/sparql", "/sp\\u0061rql")
        iri = draw(st.sampled_from([f"<{url}>", f"<{escaped}>", "?svc"]))
        pattern = draw(st.sampled_from(["?s ?p ?o", "?s ?p 'x'", "?s x:p ?o", ""]))
        body = f"{pattern}{gap()}{draw(SERVICE)}{gap()}{iri}{gap()}{{ ?s ?p ?o }}{gap()}"
        return f"{draw(PROLOGUES)}SELECT * WHERE {{{gap()}{body}}}"
    return draw(PROLOGUES) + gap() + draw(WRITES).replace("{url}", url) + gap()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_comments_whitespace_and_escapes_never_reach_the_network(store, loopback, data):
    url = f"http://127.0.0.1:{loopback.port}/sparql"
    text = data.draw(hostile(url))
    try:
        store.run(text)
    except (RefusedQuery, QuerySyntaxError):
        pass
    except IapgraphError as exc:  # a query that ran locally and failed there is fine too
        assert "SERVICE" not in str(exc) or "refused" in str(exc)
    assert loopback.connections == 0, repr(text)
    assert len(store) == 2, repr(text)


def test_a_valid_query_is_not_mistaken_for_an_iri(kg):
    """`?x<2&&?x>0` is two comparisons, not the relative IRI <2&&?x> (issue 18, 12)."""
    text = "SELECT ?x WHERE { VALUES ?x { 1 2 } FILTER(?x<2&&?x>0) }"
    for engine in ("oxigraph", "rdflib"):
        assert [r["x"] for r in kg.query(text, engine=engine).records()] == ["1"], engine


def test_huge_limit_is_one_clear_line(kg):
    with pytest.raises(QuerySyntaxError) as info:
        kg.query("SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999")
    assert str(info.value) == ("query:1:29: syntax error: LIMIT 99999999999999999999999 is too large "
                               "(at most 9223372036854775807)")


def test_escapes_are_expanded_once_and_what_was_parsed_runs():
    checked = check_local("SELECT * WHERE { ?s ?p \"caf\\u00e9\" }")
    assert checked.text == "SELECT * WHERE { ?s ?p \"café\" }" and checked.form == "SELECT"
    with pytest.raises(QuerySyntaxError, match="a \\\\u escape that spells another escape"):
        check_local("SELECT * WHERE { ?s ?p \"\\u005Cu0041\" }")


# --- 3. answers are capped in bytes, CONSTRUCT while it is built ----------------------------------

BOMB = ("SELECT ?x WHERE { BIND(\"0123456789\" AS ?a0) "
        + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(12))
        + " BIND(?a12 AS ?x) VALUES ?n { 1 2 3 4 5 6 7 8 } }")


def test_answer_bytes_are_capped_in_the_library_and_the_cli(kg, cli):
    result = kg.query(BOMB, max_bytes=100_000)
    assert result.truncated and result.cut == "bytes" and len(result.rows) == 2  # 40 KB each
    construct = kg.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", max_bytes=20_000)
    assert construct.cut == "bytes" and 0 < len(construct.rows) < 200
    run = cli("query", "-e", BOMB, "--max-bytes", "100000", "--format", "csv")
    assert run.returncode == 0 and len(run.stdout.splitlines()) == 3
    assert run.stderr == "(stopped after 2 rows: the answer passed 100000 bytes (--max-bytes))\n"


# --- 2. atomic -o: only regular files are replaced --------------------------------------------------

def test_output_refuses_what_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match=r"pipe: a FIFO, not a regular file; nothing written"):
        write_text(fifo, "x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    dangling = tmp_path / "dangling.html"
    dangling.symlink_to(tmp_path / "nowhere" / "x.html")
    with pytest.raises(OutputError, match=r"dangling\.html: a dangling symbolic link"):
        write_text(dangling, "x")
    loop = tmp_path / "loop.html"
    loop.symlink_to(loop)
    with pytest.raises(OutputError, match=r"loop\.html: a looping symbolic link"):
        write_text(loop, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling.html", "loop.html", "pipe"]


def test_output_follows_a_symlink_and_keeps_the_mode(tmp_path):
    real = tmp_path / "v3.html"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "index.html"
    link.symlink_to(real.name)
    write_text(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_cli_output_to_a_device_is_one_line(cli, tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    run = cli("query", "negative-findings", "--format", "json", "-o", str(fifo))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr == f"error: {fifo}: a FIFO, not a regular file; nothing written (write to a file path)\n"


# --- 8. workers are fenced in: no network, and they die with their parent -------------------------

def test_a_worker_cannot_reach_the_network(loopback):
    code = ("import os, socket, sys\n"
            "from iapgraph.sparql.fence import fence\n"
            "done = fence(os.getppid(), None)\n"
            "try:\n"
            f"    socket.create_connection(('127.0.0.1', {loopback.port}), timeout=2)\n"
            "    print('connected', done)\n"
            "except OSError as exc:\n"
            "    print('refused', done)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(), timeout=60)
    assert run.stdout.startswith("refused") and "no network" in run.stdout, run.stdout + run.stderr
    time.sleep(0.2)
    assert loopback.connections == 0


def test_the_embedded_engine_of_a_plain_query_cannot_reach_the_network(loopback, tmp_path):
    """`iapgraph query` without --timeout runs the engine of this process, not a worker: each query
    runs in a forked copy that left the network. The text check refuses SERVICE before any
    engine sees it; to show the fence below it, the wrapped engine here is a bare pyoxigraph
    Store that runs SERVICE (as a check bypassed by a parser difference would let it)."""
    import pyoxigraph

    from iapgraph.exceptions import IapgraphError
    from iapgraph.sparql.engines import OxigraphEngine
    from iapgraph.sparql.fence import FencedEngine

    class Bare:
        name = "bare"

        def run(self, text, source="query", limit=None, **options):
            try:
                return list(pyoxigraph.Store().query(text))
            except OSError as exc:
                raise IapgraphError(f"{source}: {exc}") from None

    service = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{loopback.port}/sparql> {{ ?s ?p ?o }} }}"
    with pytest.raises(IapgraphError):
        FencedEngine(Bare()).run(service)
    time.sleep(0.3)
    assert loopback.connections == 0
    with pytest.raises(IapgraphError):
        Bare().run(service)  # unfenced, the same query reaches the listener (the test can fail)
    time.sleep(0.3)
    assert loopback.connections >= 1
    nt = tmp_path / "g.nt"
    nt.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n", encoding="utf-8")
    fenced = FencedEngine(OxigraphEngine(nt)).run("SELECT ?o WHERE { ?s ?p ?o }")  # answers come back whole
    assert [t.value for row in fenced.rows for t in row] == ["http://example.org/b"]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _workers_of(pid: int) -> list[int]:
    return [c for c in _children(pid)
            if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes().replace(b"\0", b" ")]


def _gone(pids: list[int], within: float = 30.0) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        alive = [p for p in pids if Path(f"/proc/{p}").exists()
                 and Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
        if not alive:
            return True
        time.sleep(0.2)
    return False


def _wait_for(predicate, within: float = 120.0):
    end = time.monotonic() + within
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_sigterm_to_query_stops_its_busy_worker():
    proc = subprocess.Popen([sys.executable, "-m", "iapgraph", "query", "--timeout", "120", "-e", HEAVY],
                            cwd=ROOT, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers = _wait_for(lambda: _workers_of(proc.pid))
        assert workers, "no worker started"
        time.sleep(1.0)  # the worker has the query now
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        assert _gone(workers), "the worker outlived its parent"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_sigkill_to_serve_stops_its_workers():
    proc = subprocess.Popen([sys.executable, "-m", "iapgraph", "serve", "--port", "0", "--quiet", "--workers", "2"],
                            cwd=ROOT, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().startswith("SPARQL endpoint:")
        workers = _workers_of(proc.pid)
        assert len(workers) == 2, workers
        proc.kill()
        proc.wait(30)
        assert _gone(workers), "workers outlived serve"
    finally:
        if proc.poll() is None:
            proc.kill()


# --- the endpoint: protocol, framing, deadlines, limits ---------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("relsite")
    (root / "viewer.html").write_text("<!doctype html><title>viewer</title>", encoding="utf-8")
    (root / "data.json").write_text('{"secret": 1}', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def endpoint(site):
    proc = subprocess.Popen(
        [sys.executable, "-m", "iapgraph", "serve", "--port", "0", "--quiet", "--timeout", "30", "--workers", "1",
         "--max-rows", "500", "--max-bytes", "100000", "--client-timeout", "3", "--worker-memory", "512",
         "--html", str(site / "viewer.html")],
        cwd=ROOT, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("SPARQL endpoint: http://127.0.0.1:"), first
        yield first.split()[2]
    finally:
        proc.terminate()
        proc.wait(30)


def _request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
             method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _raw(url: str, head: bytes) -> bytes:
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def _q(endpoint: str, text: str, **extra: str | list[str]) -> str:
    pairs = [("query", text)] + [(k.replace("_", "-"), v) for k, vs in extra.items()
                                 for v in ([vs] if isinstance(vs, str) else vs)]
    return endpoint + "?" + urllib.parse.urlencode(pairs)


JSON_ACCEPT = {"Accept": "application/sparql-results+json"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_relative_iris_resolve_against_the_endpoint(endpoint):
    status, _, body = _request(_q(endpoint, "CONSTRUCT { <s> <p> 1 } WHERE {}"), headers={"Accept": "application/n-triples"})
    assert status == 200
    assert body.decode().strip() == (f"<{endpoint.rsplit('/', 1)[0]}/s> <{endpoint.rsplit('/', 1)[0]}/p> "
                                     "\"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .")


def test_post_needs_a_content_type_and_utf8(endpoint):
    status, _, body = _request(endpoint, data=urllib.parse.urlencode({"query": COUNT}).encode(),
                               headers={"Content-Type": ""})
    assert status == 415 and body.startswith(b"POST needs a Content-Type")
    status, _, body = _request(endpoint, data=b"SELECT * WHERE { ?s ?p \"\xff\xfe\" }",
                               headers={"Content-Type": "application/sparql-query"})
    assert (status, body) == (400, b"the request body is not UTF-8 (byte 24)\n")
    status, _, body = _request(endpoint + "?query=SELECT%20%3Fx%20WHERE%20%7B%7D%20%23%FF")
    assert (status, body) == (400, b"the query string is not UTF-8\n")


def test_dataset_parameters_are_honoured(endpoint):
    assert _count(_request(_q(endpoint, COUNT), headers=JSON_ACCEPT)[2]) > 1000
    status, _, body = _request(_q(endpoint, COUNT, default_graph_uri="http://example.org/unknown"), headers=JSON_ACCEPT)
    assert status == 200 and _count(body) == 0
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    status, _, body = _request(_q(endpoint, named, named_graph_uri="http://example.org/g1"), headers=JSON_ACCEPT)
    assert status == 200 and _count(body) == 0
    status, _, body = _request(_q(endpoint, COUNT, default_graph_uri="not an iri"))
    assert (status, body) == (400, b"not an absolute IRI: 'not an iri'\n")
    form = urllib.parse.urlencode([("query", COUNT), ("default-graph-uri", "http://example.org/unknown")]).encode()
    status, _, body = _request(endpoint, data=form, headers={**JSON_ACCEPT,
                                                               "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and _count(body) == 0


def test_ambiguous_framing_is_refused(endpoint):
    parts = urllib.parse.urlsplit(endpoint)
    body = urllib.parse.urlencode({"query": COUNT}).encode()
    both = (f"POST {parts.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nTransfer-Encoding: chunked\r\n\r\n").encode() + body
    answer = _raw(endpoint, both)
    assert answer.startswith(b"HTTP/1.1 400 ") and answer.endswith(
        b"Transfer-Encoding is not supported: send a Content-Length (and never both)\n")
    twice = (f"POST {parts.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
             f"Content-Length: {len(body)}\r\nContent-Length: 5\r\n\r\n").encode() + body
    answer = _raw(endpoint, twice)
    assert answer.startswith(b"HTTP/1.1 400 ") and answer.endswith(b"more than one Content-Length\n")


def test_a_dripping_client_loses_its_slot(endpoint):
    """--client-timeout 3 is a deadline for the whole request, not an idle timeout per byte: a
    client sending a byte every 0.1 s gets a 408 and is cut off before its request is complete."""
    parts = urllib.parse.urlsplit(endpoint)
    line = f"GET {parts.path}?query=ASK%7B%7D HTTP/1.1\r\n".encode()
    request = f"Host: x\r\nX-Pad: {'a' * 80}\r\n\r\n".encode()  # the headers, dripped
    answer = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(line)
        sent = 0
        for byte in request:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            sent += 1
            time.sleep(0.1)  # 10 bytes a second: each read comes well within any idle timeout
            sock.settimeout(0.0)
            try:
                chunk = sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                break
            finally:
                sock.settimeout(30)
            answer += chunk
            break  # the server answered (or closed) before the request was whole
        sock.settimeout(10)
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except OSError:
            pass
    assert sent < len(request), "the server waited for the whole drip"
    assert answer.startswith(b"HTTP/1.1 408 ") and answer.endswith(b"request not received within 3 s\n")
    assert _request(_q(endpoint, "ASK {}"), headers=JSON_ACCEPT)[0] == 200


def _statuses(answer: bytes) -> list[int]:
    """The status of each answer in a stream of answers (no body here holds a status line)."""
    return [int(code) for code in re.findall(rb"HTTP/1\.1 (\d{3}) ", answer)]


def test_pipelined_requests_are_answered_in_order_on_one_connection(endpoint):
    """Requests sent back to back in one packet (HTTP/1.1 pipelining) get their answers in the
    order asked, a query's answer (from a worker) before the answers given at once."""
    path = urllib.parse.urlsplit(endpoint).path
    ask = f"GET {path}?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n\r\n"
    answer = _raw(endpoint, (ask + f"OPTIONS {path} HTTP/1.1\r\nHost: x\r\n\r\n"
                             + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                             + ask.replace("Host: x\r\n", "Host: x\r\nConnection: close\r\n")).encode())
    assert _statuses(answer) == [200, 204, 404, 200]
    assert answer.count(b'"boolean": true') == 2


def test_thousands_of_requests_in_one_packet_are_all_answered(endpoint):
    path = urllib.parse.urlsplit(endpoint).path
    many = f"OPTIONS {path} HTTP/1.1\r\nHost: x\r\n\r\n" * 3000 + "GET /nowhere HTTP/1.1\r\nConnection: close\r\n\r\n"
    assert _statuses(_raw(endpoint, many.encode())) == [204] * 3000 + [404]
    assert _request(_q(endpoint, "ASK {}"), headers=JSON_ACCEPT)[0] == 200


def test_expect_100_continue_gets_its_interim_answer(endpoint):
    """curl sends Expect: 100-continue before a body over 1 KiB and waits for the interim answer."""
    parts = urllib.parse.urlsplit(endpoint)
    body = COUNT.encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(f"POST {parts.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     f"Accept: application/sparql-results+json\r\nExpect: 100-continue\r\n"
                     f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert _statuses(answer) == [200]
    assert _count(answer.split(b"\r\n\r\n", 1)[1]) > 1000


def test_head_and_unknown_methods(endpoint):
    parts = urllib.parse.urlsplit(endpoint)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("HEAD", _q(endpoint, "ASK {}")[len(f"http://{parts.netloc}"):], headers=JSON_ACCEPT)
    response = conn.getresponse()
    assert response.status == 200 and int(response.getheader("Content-Length")) > 10
    assert response.read() == b""
    conn.request("TRACE", "/sparql")  # the same connection, kept alive
    response = conn.getresponse()
    assert (response.status, response.read()) == (501, b"unsupported method TRACE\n")
    conn.close()


def test_a_body_nobody_reads_is_not_read_and_an_endless_header_is_cut(endpoint):
    """A GET that announces a gigabyte of body is answered without waiting for it (and closed);
    a header that never ends is refused at 1 MiB instead of being kept in memory."""
    path = urllib.parse.urlsplit(endpoint).path
    answer = _raw(endpoint, (f"GET {path}?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json"
                             f"\r\nContent-Length: 1000000000\r\n\r\nabc").encode())
    assert _statuses(answer) == [200] and answer.endswith(b'"boolean": true}\n')
    parts = urllib.parse.urlsplit(endpoint)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nX-Endless: ".encode())
        answer = b""
        try:
            for _ in range(64):  # up to 4 MiB of one header value
                sock.sendall(b"a" * 65536)
        except OSError:  # the server stopped reading: its answer is there
            pass
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except OSError:
            pass
    assert answer.startswith(b"HTTP/1.1 431 ") and answer.endswith(b"request headers too large\n")
    assert _request(_q(endpoint, "ASK {}"), headers=JSON_ACCEPT)[0] == 200


def test_a_client_that_stops_reading_is_dropped_and_its_answers_are_not_piled_up(endpoint):
    """20,000 pipelined requests for the index page (24 MB of answers) from a client that reads
    nothing: the server stops answering once its buffer is full and drops the client after
    --client-timeout (3 s); the answers do not pile up in its memory, and others are served."""
    parts = urllib.parse.urlsplit(endpoint)
    many = f"GET {parts.path} HTTP/1.1\r\nHost: x\r\n\r\n".encode() * 20_000
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((parts.hostname, parts.port))
    sock.settimeout(30)
    try:
        sock.sendall(many)
    except OSError:
        pass
    assert _request(_q(endpoint, "ASK {}"), headers=JSON_ACCEPT)[0] == 200  # others are served meanwhile
    time.sleep(6)  # past the deadline
    received = b""
    try:
        while chunk := sock.recv(1 << 20):
            received += chunk
    except OSError:  # reset: the server dropped the client
        pass
    sock.close()
    assert len(_statuses(received)) < 2_000, len(_statuses(received))


def test_cors_only_on_the_sparql_route_and_only_the_html(endpoint):
    root = endpoint.rsplit("/sparql", 1)[0]
    status, headers, _ = _request(root + "/")
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    assert _request(root + "/data.json")[0] == 404  # beside the HTML but not one of its assets
    _, headers, _ = _request(_q(endpoint, "ASK {}"), headers=JSON_ACCEPT)
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert _request(root + "/", method="OPTIONS")[0] == 404
    assert _request(endpoint, method="OPTIONS")[0] == 204


def test_answer_bytes_are_capped_by_the_endpoint(endpoint):
    status, headers, body = _request(_q(endpoint, BOMB), headers=JSON_ACCEPT)
    assert status == 200 and headers["X-Iapgraph-Truncated"] == "100000 bytes"
    assert len(json.loads(body)["results"]["bindings"]) == 2
    big = ("CONSTRUCT { ?s <http://x/big> ?x } WHERE { ?s ?p ?o BIND(\"0123456789\" AS ?a0) "
           + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(12)) + " BIND(?a12 AS ?x) }")
    status, headers, body = _request(_q(endpoint, big), headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["X-Iapgraph-Truncated"] == "100000 bytes"
    assert len(body.decode().splitlines()) == 2


def test_a_worker_crash_is_a_server_error_and_the_endpoint_recovers(endpoint):
    """A query that needs more than --worker-memory kills its worker: 500, not 400; a new worker
    takes over."""
    bomb = ("SELECT (STRLEN(?a26) AS ?n) WHERE { BIND(\"0123456789\" AS ?a0) "
            + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(26)) + " }")
    status, _, body = _request(_q(endpoint, bomb), headers=JSON_ACCEPT)
    assert status == 500, body
    assert body.decode().startswith("query: the query worker died")
    assert _wait_for(lambda: _request(_q(endpoint, "ASK {}"), headers=JSON_ACCEPT)[0] == 200, 120)


def test_a_replacement_worker_loads_the_graph_after_the_cache_dropped_it(tmp_path):
    """The user cache keeps only its newest graphs; a worker started hours later (after a time
    limit or a crash) still finds the graph: the pool keeps a name of its own for it, and
    removes it when the server stops."""
    env = {**cli_env(), "XDG_CACHE_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "iapgraph", "serve", "--port", "0", "--quiet", "--workers", "1",
         "--worker-memory", "512"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("SPARQL endpoint: http://127.0.0.1:"), first
        url = first.split()[2]
        cached = list((tmp_path / "iapgraph").glob("graph-*.nt"))
        assert cached
        for path in cached:  # what pruning does when other graphs are built
            path.unlink()
        bomb = ("SELECT (STRLEN(?a26) AS ?n) WHERE { BIND(\"0123456789\" AS ?a0) "
                + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(26)) + " }")
        assert _request(_q(url, bomb), headers=JSON_ACCEPT)[0] == 500  # the worker dies; another starts
        assert _wait_for(lambda: _request(_q(url, COUNT), headers=JSON_ACCEPT)[0] == 200, 120)
        assert _count(_request(_q(url, COUNT), headers=JSON_ACCEPT)[2]) > 1000
        assert list((tmp_path / "iapgraph").glob(".pool-*/graph-*.nt"))
    finally:
        proc.terminate()
        code = proc.wait(30)
    assert code == 0, proc.stderr.read()  # type: ignore[union-attr]
    assert not list((tmp_path / "iapgraph").glob(".pool-*"))


def test_a_pool_removes_the_folders_a_killed_server_left(tmp_path):
    """SIGKILL leaves a server no time to remove its .pool-PID-* folder; the next pool made beside
    it removes those of processes that are gone, and keeps those of live ones."""
    from iapgraph.sparql.workers import _keep

    graph = tmp_path / "graph-abc.nt"
    graph.write_text("<urn:a> <urn:b> <urn:c> .\n")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    left = tmp_path / f".pool-{gone}-x1"
    left.mkdir()
    (left / graph.name).write_text("stale")
    live = tmp_path / f".pool-{os.getppid()}-x2"  # the process that runs pytest's parent: alive
    live.mkdir()
    other = tmp_path / ".pool-notapid"  # not a name of ours: left alone
    other.mkdir()
    kept, folder = _keep(graph)
    try:
        assert not left.exists()
        assert live.is_dir() and other.is_dir()
        assert folder is not None and folder.name.startswith(f".pool-{os.getpid()}-")
        assert kept.read_text() == graph.read_text()
    finally:
        shutil.rmtree(folder or tmp_path / "none", ignore_errors=True)


# --- 5, 6. curated files: long chains, unreadable folders -------------------------------------------

ENTITY_HEADER = "id\tkind\tlabel\tsymbol\taliases\txrefs\tattributes\tdescription\n"
STATEMENT_HEADER = ("id\tsubject\trelation\tobject\teffect\tmechanism\tdomain\tcontext\tnegated\tsection\t"
                    "citation\tevidence\tqualifiers\tnote\n")
QUOTE = "XIAP can regulate caspase-3 processing following caspase-8 activation"


def test_a_part_of_chain_of_a_thousand_loads_without_recursion_error(tmp_path, cli):
    graph = tmp_path / "graph"
    (graph / "entities").mkdir(parents=True)
    (graph / "statements").mkdir()
    (graph / "entities" / "e.tsv").write_text(
        ENTITY_HEADER + "".join(f"C{i:04d}\tcomplex\tcomplex {i}\t\t\t\t\t\n" for i in range(1001)), encoding="utf-8")
    (graph / "statements" / "s.tsv").write_text(
        STATEMENT_HEADER + "".join(f"p-{i:04d}\tC{i:04d}\tpart_of\tC{i + 1:04d}\t\t\t\t\t\t2.1\treview\t{QUOTE}\t\t\n"
                                   for i in range(1000)), encoding="utf-8")
    run = cli("validate", "--graph-dir", str(graph))
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-500:]
    query = cli("query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s iap:relation iap:part_of }", "--format", "csv",
                "--graph-dir", str(graph))
    assert query.returncode == 0 and query.stdout.splitlines() == ["n", "1000"], query.stderr[-500:]
    (graph / "statements" / "s.tsv").write_text(
        STATEMENT_HEADER + "".join(f"p-{i:04d}\tC{i:04d}\tpart_of\tC{(i + 1) % 1000:04d}\t\t\t\t\t\t2.1\treview\t"
                                   f"{QUOTE}\t\t\n" for i in range(1000)), encoding="utf-8")
    cycle = cli("validate", "--graph-dir", str(graph))
    assert cycle.returncode == 1 and "Traceback" not in cycle.stderr
    assert cycle.stderr.startswith(f"error: {graph}/statements/s.tsv:1001: object: part_of cycle: C0000 -> C0001 -> ")


def test_an_unreadable_statements_folder_is_an_error_not_an_empty_table(tmp_path, monkeypatch):
    """As root every folder is readable, so the refusal to list is simulated where it happens."""
    from iapgraph.load import read_folders

    graph = tmp_path / "graph"
    (graph / "entities").mkdir(parents=True)
    (graph / "statements").mkdir()
    (graph / "entities" / "e.tsv").write_text(ENTITY_HEADER + "A\tcomplex\tcomplex A\t\t\t\t\t\n", encoding="utf-8")
    real_listdir = os.listdir

    def listdir(path):
        if Path(path).name == "statements":
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", listdir)
    _, statements, problems = read_folders([graph])
    assert statements == []
    assert [str(p) for p in problems] == [f"{graph}/statements: folder: cannot list: Permission denied"]


def test_mixed_scripts_in_free_text_are_an_error_but_greek_in_names_is_not():
    from iapgraph.load import cell_problems

    [problem] = cell_problems("f.tsv", 4, {"description": "binds СASP3 weakly", "label": "IκBα"})
    assert (problem.level, str(problem)) == ("error", "f.tsv:4: description: 'СASP3' mixes Latin and "
                                                      "Cyrillic letters (a look-alike?)")


# --- 6, 7. the endpoint client trusts no endpoint ----------------------------------------------------

class FakeEndpoint:
    """A loopback HTTP server that answers every request with ``head`` then ``chunks`` of the body,
    ``pause`` seconds apart, then closes."""

    def __init__(self, head: bytes, chunks: list[bytes], pause: float = 0.0):
        import threading

        self.head, self.chunks, self.pause = head, chunks, pause
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(10)
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                while len(body) < length:  # read the whole request, so closing does not reset it
                    body += conn.recv(65536)
                conn.sendall(self.head)
                for chunk in self.chunks:
                    time.sleep(self.pause)
                    conn.sendall(chunk)
            except OSError:
                pass

    def close(self) -> None:
        self.sock.close()
        self._thread.join(30)


def _answer_head(ctype: str, length: int) -> bytes:
    return f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {length}\r\n\r\n".encode()


def test_endpoint_timeout_is_a_deadline_for_the_whole_answer():
    from iapgraph.exceptions import EndpointError
    from iapgraph.sparql.engines import EndpointEngine

    fake = FakeEndpoint(_answer_head("application/sparql-results+json", 1000), [b" "] * 30, pause=0.25)
    try:
        with pytest.raises(EndpointError) as info:
            EndpointEngine(fake.url, timeout=2).run("SELECT * WHERE { ?s ?p ?o }")
        assert str(info.value) == f"{fake.url}: no answer to query within the 2 s time limit"
    finally:
        fake.close()


def test_endpoint_answer_that_ends_early_is_one_line():
    from iapgraph.exceptions import EndpointError
    from iapgraph.sparql.engines import EndpointEngine

    fake = FakeEndpoint(_answer_head("application/sparql-results+json", 1000), [b'{"head": {"vars"'])
    try:
        with pytest.raises(EndpointError) as info:
            EndpointEngine(fake.url, timeout=30).run("SELECT * WHERE { ?s ?p ?o }")
        assert str(info.value) == (f"{fake.url}: the answer to query ended early (16 bytes received of "
                                   "1000 announced)")
    finally:
        fake.close()


def test_endpoint_json_ld_with_a_file_context_is_refused_unread(tmp_path):
    """A JSON-LD answer names its @context; a parser would read file:///dev/zero (MemoryError) or any
    local file. Here the context is a small file: it must not be applied."""
    from iapgraph.exceptions import EndpointError
    from iapgraph.sparql.engines import EndpointEngine

    context = tmp_path / "context.jsonld"
    context.write_text('{"@context": {"name": "http://planted.example/name"}}', encoding="utf-8")
    body = json.dumps({"@context": context.as_uri(), "@id": "http://a/s", "name": "x"}).encode()
    fake = FakeEndpoint(_answer_head("application/ld+json", len(body)), [body])
    try:
        with pytest.raises(EndpointError) as info:
            EndpointEngine(fake.url, timeout=30).run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert str(info.value) == (f"{fake.url} sent an answer that is not SPARQL results (application/ld+json): "
                                   "asked for N-Triples or Turtle, got application/ld+json")
    finally:
        fake.close()


# --- 10. --via combinations are capped ----------------------------------------------------------------

class _Junctions:
    """A stand-in search whose junction rule is a set of refused (last node, next node) pairs."""

    def __init__(self, refused: set[tuple[int, int]] = frozenset()):  # type: ignore[assignment]
        self.refused = refused

    def junction_ok(self, before, after) -> bool:
        return (before.nodes[-2], after.nodes[1]) not in self.refused


def _eager_merge(legs, searches):
    """The product of the legs, filtered and stably sorted by length: the answer before issue 18."""
    from iapgraph.paths.search import Route

    combos = [Route(r.states, r.links) for r in legs[0]]
    for leg, search in zip(legs[1:], searches[1:], strict=True):
        combos = [Route(h.states + t.states[1:], h.links + t.links) for h in combos for t in leg
                  if search.junction_ok(h, t)]
        combos = [r for r in combos if len(set(r.nodes)) == len(r.nodes)]
    return sorted(combos, key=len)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_lazy_via_merge_gives_the_product_sorted_by_length(data):
    """The lazy merge yields exactly what the full product sorted by length gave (same routes,
    same order, ties in the legs' order), with simple-route and junction rules applied."""
    from iapgraph.paths.search import Route, merge_routes

    legs_n = data.draw(st.integers(2, 4))
    stops = list(range(100, 100 + legs_n + 1))
    legs = []
    for a, b in itertools.pairwise(stops):
        inner = data.draw(st.lists(st.lists(st.integers(0, 7), max_size=3, unique=True), max_size=5))
        routes = [[a, *mid, b] for mid in inner]
        routes.sort(key=len)
        legs.append([Route(tuple(n * 4 for n in r), tuple(range(len(r) - 1))) for r in routes])
    refused = set(data.draw(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=6)))
    searches = [_Junctions(refused) for _ in legs]
    lazy = list(merge_routes(legs, searches))
    assert [(r.states, r.links) for r in lazy] == [(r.states, r.links) for r in _eager_merge(legs, searches)]
    cut = data.draw(st.integers(0, 12))
    assert [r.states for r in merge_routes(legs, searches, max_length=cut)] == \
        [r.states for r in lazy if len(r) <= cut]


def test_via_combinations_are_capped_with_a_message():
    import warnings

    from iapgraph.exceptions import ViaCapWarning
    from iapgraph.paths.search import Route, merge_routes

    def leg(start: int, end: int, first: int) -> list[Route]:  # 100 simple routes start -> end
        return [Route((start * 4, (first + i) * 4, end * 4), (0, 0)) for i in range(100)]

    legs = [leg(0, 1, 10), leg(1, 2, 1000), leg(2, 3, 2000)]
    searches = [_Junctions() for _ in legs]
    first = next(iter(merge_routes(legs, searches, cap=50)))  # lazy: the first needs no product
    assert first.nodes == (0, 10, 1, 1000, 2, 2000, 3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert len(list(merge_routes(legs, searches, cap=50_000))) == 50_000
    assert [str(w.message) for w in caught] == [
        "--via: stopped after 50,000 combinations of the legs' routes (100 x 100 x 100 per leg); chains "
        "through later ones are not shown: give fewer --via or a smaller -k"]
    assert issubclass(caught[0].category, ViaCapWarning)


def test_three_via_with_k_100_on_a_diamond_through_the_cli(tmp_path):
    """Issue 18 point 10: ``path --via A --via B --via C -k 100`` on a 76-entity diamond took 38.6 s
    and 4.4 GB (the legs' 202^4 combinations built before ranking). Now the 100 shortest come
    from a lazy merge; where every combination breaks a rule (all legs pass X), the cap stops the
    merge with one line saying so."""
    from .generated_graph import write_via_graph

    diamond = write_via_graph(tmp_path / "diamond")
    run = subprocess.run([sys.executable, "-m", "iapgraph", "path", "--graph-dir", str(diamond), "S", "T",
                          "--via", "A", "--via", "B", "--via", "C", "-k", "100", "--max-length", "12",
                          "--format", "json"], capture_output=True, text=True, env=cli_env(), cwd=ROOT,
                         timeout=300)
    assert run.returncode == 0 and run.stderr == "", run.stderr[-2000:]
    chains = json.loads(run.stdout)
    assert len(chains) == 100 and len({tuple(c["nodes"]) for c in chains}) == 100
    for chain in chains:
        names = chain["nodes"]
        assert len(names) == 13 and len(set(names)) == 13
        assert [names[i] for i in (0, 3, 6, 9, 12)] == list("SABCT")
    blocked = write_via_graph(tmp_path / "bottleneck", bottleneck=True)
    run = subprocess.run([sys.executable, "-m", "iapgraph", "path", "--graph-dir", str(blocked), "S", "T",
                          "--via", "A", "--via", "B", "--via", "C", "-k", "100", "--max-length", "20"],
                         capture_output=True, text=True, env=cli_env(), cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert run.stderr.strip() == (
        "(--via: stopped after 200,000 combinations of the legs' routes (81 x 81 x 81 x 81 per leg); "
        "chains through later ones are not shown: give fewer --via or a smaller -k)")
    assert run.stdout.startswith("no chain from via test protein S to via test protein T")


# --- 6. Ctrl-C while the CLI imports ------------------------------------------------------------------

_INTERRUPT_AT = """import sys
class _CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            raise KeyboardInterrupt
        return None
sys.meta_path.insert(0, _CtrlC())
"""


@pytest.mark.parametrize("module", ["iapgraph.model", "iapgraph.kg", "click", "iapgraph.commands.paths"])
@pytest.mark.parametrize("how", ["console script", "python -m"])
def test_ctrl_c_while_importing_is_one_line(tmp_path, module, how):
    """Deterministic stand-in for a Ctrl-C that lands during the imports: a sitecustomize whose
    import hook raises KeyboardInterrupt when ``module`` is imported: while the package itself is
    imported (model, kg: before the CLI module runs), while the CLI imports click, and while a
    subcommand's module loads. The console script imports ``iapgraph.cli`` directly, so the
    package's own imports must answer it too."""
    (tmp_path / "sitecustomize.py").write_text(_INTERRUPT_AT.format(module=module), encoding="utf-8")
    env = cli_env()
    env["PYTHONPATH"] = str(tmp_path) + os.pathsep + env["PYTHONPATH"]
    script = Path(sys.executable).with_name("iapgraph")
    if how == "console script" and not script.exists():
        pytest.skip(f"no console script next to {sys.executable}")
    command = [str(script)] if how == "console script" else [sys.executable, "-m", "iapgraph"]
    run = subprocess.run([*command, "path", "XIAP", "CASP3"], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=60)
    assert (run.returncode, run.stderr, run.stdout) == (130, "error: interrupted\n", "")


def test_ctrl_c_while_a_program_imports_the_library_stays_its_own(tmp_path):
    """A program that imports iapgraph keeps its KeyboardInterrupt (the library does not exit for it)."""
    (tmp_path / "sitecustomize.py").write_text(_INTERRUPT_AT.format(module="iapgraph.kg"), encoding="utf-8")
    env = cli_env()
    env["PYTHONPATH"] = str(tmp_path) + os.pathsep + env["PYTHONPATH"]
    code = "try:\n    import iapgraph\nexcept KeyboardInterrupt:\n    print('caught by the program')\n"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert (run.returncode, run.stdout, run.stderr) == (0, "caught by the program\n", "")


def test_queries_parsed_by_many_threads_at_once():
    """pyparsing (rdflib's SPARQL parser) is not thread-safe: 200 concurrent first requests to the
    endpoint all failed with TypeError before the parser was serialized. A fresh process, so the
    parser has not warmed up. The texts hold the letters 'service' (in a string), so they are
    parsed (a text without them is not, see iapgraph.sparql.text)."""
    code = ("import threading\n"
            "from iapgraph.sparql.text import check_local\n"
            "gate = threading.Barrier(16)\n"
            "errors = []\n"
            "def one(n):\n"
            "    gate.wait()\n"
            "    try:\n"
            "        assert check_local(f'SELECT ?x WHERE {{ ?x <http://a/p{n}> ?y FILTER(?y != \"service\") }} "
            "LIMIT {n + 1}').parsed\n"
            "    except Exception as exc:\n"
            "        errors.append(type(exc).__name__)\n"
            "threads = [threading.Thread(target=one, args=(n,)) for n in range(16)]\n"
            "[t.start() for t in threads]\n"
            "[t.join() for t in threads]\n"
            "print(errors)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(), timeout=120)
    assert run.stdout == "[]\n", run.stdout + run.stderr[-2000:]
