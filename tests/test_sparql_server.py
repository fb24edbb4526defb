"""``iapgraph serve`` as a real process on a free loopback port, asked by SPARQLWrapper and urllib."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, XML, SPARQLWrapper

from iapgraph.sparql.engines import EndpointEngine
from iapgraph.sparql.expected import as_params, examples
from iapgraph.sparql.library import library
from iapgraph.sparql.query import bind_parameters, engine_for, prepare
from iapgraph.sparql.server import form_fields

from .conftest import ROOT, cli_env

LABELS = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
          "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
          "SELECT ?alias WHERE { <https://w3id.org/iapgraph/entity/XIAP> skos:altLabel ?alias } ORDER BY ?alias")
XIAP_ALIASES = ["BIRC4", "X-linked IAP", "hILP"]
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def _read_line(stream, timeout: float) -> str:
    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not box:
        raise TimeoutError("iapgraph serve printed nothing")
    return box[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    (root / "viewer.html").write_text('<!doctype html><title>iapgraph viewer</title><script src="lib/graph.js">'
                                      "</script>", encoding="utf-8")  # only what the HTML references is served
    (root / "notes.txt").write_text("SECRET-BESIDE", encoding="utf-8")
    (root / "lib").mkdir()
    (root / "lib" / "graph.js").write_text("var graph = 1;\n", encoding="utf-8")
    (root / ".hidden").write_text("SECRET-HIDDEN", encoding="utf-8")
    (root.parent / "outside.txt").write_text("SECRET-OUTSIDE", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def server(site):
    proc = subprocess.Popen(
        [sys.executable, "-m", "iapgraph", "serve", "--port", "0", "--quiet", "--timeout", "3",
         "--max-rows", "500", "--html", str(site / "viewer.html")],
        cwd=ROOT, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = _read_line(proc.stdout, 120)
        assert first.startswith("SPARQL endpoint: http://127.0.0.1:"), first + proc.stderr.read()
        url = first.split()[2]
        yield url
    finally:
        proc.terminate()
        code = proc.wait(20)
    assert code == 0, proc.stderr.read()


def _wrapper(url: str, query: str, fmt: str, method: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_json(server, method):
    data = _wrapper(server, LABELS, JSON, method).query().convert()
    assert data["head"]["vars"] == ["alias"]
    assert [b["alias"]["value"] for b in data["results"]["bindings"]] == XIAP_ALIASES


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_xml(server, method):
    doc = _wrapper(server, LABELS, XML, method).query().convert()
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == XIAP_ALIASES


def test_sparqlwrapper_post_directly_and_ask(server):
    sw = _wrapper(server, "ASK { <https://w3id.org/iapgraph/entity/XIAP> ?p ?o }", JSON, POST)
    sw.setRequestMethod(POSTDIRECTLY)  # application/sparql-query body
    assert sw.query().convert() == {"head": {}, "boolean": True}


def test_update_is_refused_and_nothing_changes(server):
    insert = "INSERT DATA { <https://w3id.org/iapgraph/entity/XIAP> <http://x/p> 'planted' }"
    sw = _wrapper(server, insert, JSON, POST)
    with pytest.raises(urllib.error.HTTPError) as info:
        sw.query()
    assert info.value.code == 403
    assert "read-only" in info.value.read().decode()
    # the same text sent as a query is refused too
    request = urllib.request.Request(server, data=urllib.parse.urlencode({"query": insert}).encode())
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=30)
    assert info.value.code == 403
    ask = _wrapper(server, "ASK { ?s <http://x/p> ?o }", JSON, GET).query().convert()
    assert ask["boolean"] is False


def _get(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _ask_url(server: str, query: str) -> str:
    return server + "?" + urllib.parse.urlencode({"query": query})


def test_content_negotiation(server):
    url = _ask_url(server, LABELS)
    status, headers, body = _get(url, "text/csv;q=0.9, application/sparql-results+xml;q=0.5")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.decode().splitlines() == ["alias", *XIAP_ALIASES]
    status, headers, body = _get(url, "text/tab-separated-values")
    assert body.decode().splitlines() == ["?alias", *(f'"{a}"' for a in XIAP_ALIASES)]
    status, headers, _ = _get(url, "*/*")
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert _get(url, "image/png")[0] == 406
    construct = _ask_url(server, "CONSTRUCT { ?s <http://x/alias> ?a } WHERE { "
                                 "<https://w3id.org/iapgraph/entity/XIAP> <http://www.w3.org/2004/02/skos/core#altLabel> ?a . "
                                 "BIND (<https://w3id.org/iapgraph/entity/XIAP> AS ?s) }")
    status, headers, body = _get(construct, "application/n-triples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert len(body.decode().splitlines()) == 3


def test_syntax_error_is_400_with_position(server):
    status, _, body = _get(_ask_url(server, "SELECT ?x WHERE { ?x foo:bar ?y }"))
    assert status == 400
    assert body.decode().strip() == ("query:1:22: syntax error: undeclared prefix 'foo:'; declare it with "
                                     "PREFIX (built in: biolink, dcterms, entity, iap, obo, owl, rdf, "
                                     "rdfs, skos, stmt, xsd)")


def test_errors_of_unparsed_texts_read_as_when_every_text_was_parsed(server):
    """A text without the letters 'service' reaches a worker unparsed (iapgraph.sparql.text); what
    Oxigraph refuses there is parsed by rdflib and worded as before, at the user's own column;
    what the server decides itself (a LIMIT beyond 2^63-1) is refused before any worker."""
    cases = [("SELECT ?x WHERE { ?x rdfs:label ?l } LIMIT 1 LIMIT 2",
              "query:1:52: syntax error: near '2': expected OFFSET or VALUES"),
             ("SELECT ?x WHERE { ?x rdfs:label ?l ",
              "query:1:36: syntax error: near '?l': unexpected end of text"),
             ("SELECT ?x WHERE { ?x rdfs:label ?l } LIMIT 9223372036854775808",
              "query:1:38: syntax error: LIMIT 9223372036854775808 is too large (at most 9223372036854775807)")]
    for text, message in cases:
        status, _, body = _get(_ask_url(server, text))
        assert (status, body.decode().strip()) == (400, message), text


def test_result_cap(server):
    status, headers, body = _get(_ask_url(server, "SELECT * WHERE { ?s ?p ?o }"))
    assert status == 200 and headers["X-Iapgraph-Truncated"] == "500"
    assert len(json.loads(body)["results"]["bindings"]) == 500


def test_time_limit_stops_the_query_and_the_server_goes_on(server):
    started = time.monotonic()
    status, headers, body = _get(_ask_url(server, HEAVY))
    assert status == 503 and "time limit" in body.decode()
    assert headers["Connection"] == "close"  # the worker had the client's socket: not kept alive
    assert time.monotonic() - started < 20
    assert _wrapper(server, LABELS, JSON, GET).query().convert()["results"]["bindings"]


def test_body_size_is_bounded(server):
    parts = urllib.parse.urlsplit(server)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.putrequest("POST", parts.path)
    conn.putheader("Content-Type", "application/sparql-query")
    conn.putheader("Content-Length", str(50_000_000))
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413
    conn.close()


def test_html_and_static_files_without_traversal(server, site):
    root = server.rsplit("/sparql", 1)[0]
    status, headers, body = _get(root + "/")
    assert status == 200 and b"iapgraph viewer" in body and headers["Content-Type"].startswith("text/html")
    assert _get(root + "/lib/graph.js")[2] == b"var graph = 1;\n"
    for path in ("/../outside.txt", "/%2e%2e/outside.txt", "/lib/..%2f..%2foutside.txt", "/.hidden", "/notes.txt",
                 "/%2fetc%2fpasswd", "/lib/missing.js"):
        parts = urllib.parse.urlsplit(root)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        conn.request("GET", path)  # sent as is, not normalised by the client
        response = conn.getresponse()
        assert response.status == 404, path
        assert b"SECRET" not in response.read()
        conn.close()
    assert _get(server)[0] == 200  # /sparql without a query describes the endpoint


def test_whole_library_runs_unchanged_against_the_endpoint(server, kg):
    """What `iapgraph query NAME --endpoint URL` does, for every example of the library."""
    remote, local = EndpointEngine(server), engine_for("oxigraph", kg=kg)
    for name, lq in library().items():
        for _, pairs in examples(lq):
            try:
                prepared = prepare(lq, bind_parameters(kg, lq, as_params(pairs)))
            except Exception:  # an example whose names are not curated yet fails in the library test
                continue
            answer = prepared.run(remote)
            assert not answer.truncated, name
            assert answer == prepared.run(local), name


def test_cli_endpoint_option(server, cli):
    through = cli("query", "negative-findings", "--endpoint", server, "--format", "tsv")
    embedded = cli("query", "negative-findings", "--format", "tsv")
    assert through.returncode == 0, through.stderr
    assert through.stdout == embedded.stdout and len(embedded.stdout.splitlines()) >= 2



def _post(url: str, body: bytes, ctype: str, accept: str = "application/sparql-results+json"):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": ctype, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_service_and_load_are_refused_without_any_connection(server, listener):
    target = f"http://127.0.0.1:{listener.port}/sparql"
    service = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
    status, _, body = _get(_ask_url(server, service))
    assert status == 403
    assert body.decode() == (f"query:1:18: SERVICE <{target}> refused: queries are answered from this "
                             "graph only, never by other servers\n")
    silent = f"SELECT * WHERE {{ ?x ?y ?z SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}"
    assert _post(server, silent.encode(), "application/sparql-query")[0] == 403
    for text in (f"LOAD <{target}>", f"PREFIX x: <http://x/> LOAD SILENT <{target}> INTO GRAPH <http://x/g>"):
        status, message = _post(server, urllib.parse.urlencode({"query": text}).encode(),
                                "application/x-www-form-urlencoded")
        assert status == 403 and message.startswith("this endpoint is read-only: LOAD is SPARQL UPDATE")
    time.sleep(0.5)
    assert listener.connections == 0
    assert _wrapper(server, LABELS, JSON, GET).query().convert()["results"]["bindings"]


@pytest.mark.parametrize("ctype", ["text/plain", "application/json", "application/sparql-update; charset=utf-8"])
def test_post_media_types(server, ctype):
    status, message = _post(server, LABELS.encode(), ctype)
    if ctype.startswith("application/sparql-update"):
        assert status == 403 and "read-only" in message
        return
    assert status == 415
    assert message == (f"unsupported Content-Type {ctype}: POST a query as "
                       "application/x-www-form-urlencoded (query=...) or application/sparql-query\n")


def test_unacceptable_result_types_are_406(server):
    for accept in ("image/png", "text/html", "application/n-triples"):  # n-triples: not for SELECT
        status, message = _post(server, LABELS.encode(), "application/sparql-query", accept)
        assert status == 406, accept
        assert message.startswith("acceptable result types: application/sparql-results+json, ")


def test_oversized_requests(server):
    status, _, _ = _get(_ask_url(server, LABELS + " " * 70_000))  # request line over 64 KiB
    assert status == 414
    status, message = _post(server, b"query=" + b"x" * (4 << 20), "application/x-www-form-urlencoded")
    assert status == 413 and message == f"request body over {1 << 20} bytes\n"
    assert _wrapper(server, LABELS, JSON, GET).query().convert()["results"]["bindings"]


def test_more_traversal_variants(server, site):
    root = server.rsplit("/sparql", 1)[0]
    (site / "link.txt").symlink_to(site.parent / "outside.txt")
    parts = urllib.parse.urlsplit(root)
    for path in ("/%2E%2E/outside.txt", "/%252e%252e%252foutside.txt", "/lib/%2e%2e/%2e%2e/outside.txt",
                 "/..%5coutside.txt", "//" + str(site.parent / "outside.txt").lstrip("/"),
                 "/" + str(site.parent / "outside.txt"), "/%2F" + str(site.parent / "outside.txt").lstrip("/"),
                 "/link.txt", "/lib/graph.js%00.txt", "/./viewer.html/../../outside.txt",
                 f"http://{parts.hostname}:{parts.port}/../outside.txt"):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        assert response.status == 404, path
        assert b"SECRET" not in response.read()
        conn.close()


def test_cli_timeout_applies_to_an_endpoint(server, cli):
    result = cli("query", "--endpoint", server, "--timeout", "1", "-e", HEAVY)
    assert result.returncode == 1
    assert result.stderr == f"error: {server}: no answer to query within the 1 s time limit\n"


# --- the W3C SPARQL 1.1 Protocol tests (tests/fixtures/w3c-sparql-protocol/README.md) --------------

MANIFEST = Path(__file__).parent / "fixtures" / "w3c-sparql-protocol" / "manifest.ttl"
ACCEPTED = {"boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
            "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                        "text/tab-separated-values"),
            "RDF": ("application/n-triples", "text/turtle", "application/rdf+xml")}


def _protocol_tests() -> list[tuple[str, list[dict]]]:
    from rdflib import RDF, Graph, Namespace
    from rdflib.collection import Collection

    g = Graph().parse(MANIFEST, format="turtle")
    mf = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
    ht = Namespace("http://www.w3.org/2011/http#")
    cnt = Namespace("http://www.w3.org/2011/content#")
    ut = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
    tests = []
    for test in sorted(g.subjects(RDF.type, mf.ProtocolTest)):
        name = str(test).rsplit("#", 1)[1]
        requests = []
        for r in Collection(g, g.value(g.value(test, mf.action), ht.requests)):
            body = g.value(r, ht.body)
            headers = {}
            if g.value(r, ht.headers) is not None:
                for h in Collection(g, g.value(r, ht.headers)):
                    headers[str(g.value(h, ht.fieldName))] = str(g.value(h, ht.fieldValue))
            resp = g.value(r, ht.resp)
            expected = g.value(resp, mf.expectedBoolean)
            requests.append({
                "method": str(g.value(r, ht.methodName)),
                "path": str(g.value(r, ht.absolutePath)).replace("/sparql/", "/sparql", 1),
                "headers": headers,
                "body": None if body is None else str(g.value(body, cnt.chars)).encode(
                    str(g.value(body, cnt.characterEncoding) or "UTF-8")),
                "status": sorted(str(s).rsplit("#", 1)[1][10] for s in g.objects(resp, mf.expectedStatus)),
                "format": str(g.value(resp, mf.expectedFormat) or ""),
                "boolean": None if expected is None else expected.toPython(),
                "dataset": (test, ut.graphData, None) in g,
            })
        tests.append((name, requests))
    return tests


PROTOCOL_TESTS = _protocol_tests()


def test_the_manifest_is_whole():
    assert len(PROTOCOL_TESTS) == 34 and sum(len(r) for _, r in PROTOCOL_TESTS) == 39


@pytest.mark.parametrize("name,requests", PROTOCOL_TESTS, ids=[n for n, _ in PROTOCOL_TESTS])
def test_w3c_protocol(server, name, requests):
    parts = urllib.parse.urlsplit(server)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = _get(_ask_url(server, count))[2]
    update = name.startswith(("update_", "bad_update", "bad_multiple_updates"))
    for request in requests:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        conn.request(request["method"], request["path"], body=request["body"], headers=request["headers"])
        response = conn.getresponse()
        body = response.read()
        conn.close()
        is_update = update and request["format"] == ""  # an update, not the ASK that checks it
        if is_update:
            assert 400 <= response.status < 500, (name, response.status, body)  # read-only: refused
            continue
        if request["status"] == ["4"]:
            assert 400 <= response.status < 500, (name, response.status, body)
            continue
        assert 200 <= response.status < 400, (name, response.status, body)
        ctype = response.getheader("Content-Type", "").split(";")[0]
        if request["format"]:
            assert ctype in ACCEPTED[request["format"]], (name, ctype)
        if request["boolean"] is not None:
            data = json.loads(body) if ctype.endswith("json") else None
            answer = data["boolean"] if data is not None else b"<boolean>true</boolean>" in body
            # a graph this endpoint does not hold is empty; an update changed nothing
            expected = request["boolean"] and not request["dataset"] and not update
            assert answer is expected, (name, body)
    assert _get(_ask_url(server, count))[2] == before  # nothing changed


# --- the body a worker writes: Oxigraph's own JSON/XML when no cap can cut it, the exact path otherwise ---

def _bindings(body: bytes, media: str) -> list:
    import pyoxigraph as ox

    fmt = ox.QueryResultsFormat.JSON if "json" in media else ox.QueryResultsFormat.XML
    parsed = ox.parse_query_results(body, format=fmt)
    return [tuple(str(s[v]) if s[v] is not None else None for v in parsed.variables) for s in parsed]


@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_answer_bodies_match_the_project_writers_and_the_caps(kg, media):
    from iapgraph.sparql.engines import OxigraphEngine, serialize
    from iapgraph.sparql.server import decide

    engine = engine_for("oxigraph", kg=kg)
    assert isinstance(engine, OxigraphEngine)
    lq = library()["xrefs"]
    text = prepare(lq, bind_parameters(kg, lq, {"kind": "mirna"})).text
    _, checked = decide(text, "http://127.0.0.1:1/sparql")
    exact, cut = serialize(engine.run_checked(checked), media)
    rows = len(_bindings(exact, media))
    assert cut == "" and rows > 5
    fast, cut = engine.answer(checked, media, limit=rows, max_bytes=10_000_000)
    assert cut == "" and _bindings(fast, media) == _bindings(exact, media)
    assert fast != exact  # written by Oxigraph, not by the project's writer: the fast path was taken
    cut_rows, cut = engine.answer(checked, media, limit=rows - 1, max_bytes=10_000_000)
    assert cut == "rows" and _bindings(cut_rows, media) == _bindings(exact, media)[:rows - 1]
    small = engine.run_checked(checked, max_bytes=300)
    cut_bytes, cut = engine.answer(checked, media, limit=rows, max_bytes=300)
    assert cut == "bytes" and _bindings(cut_bytes, media) == _bindings(serialize(small, media)[0], media)
    assert 0 < len(small.rows) < rows


def test_decisions_are_remembered_and_refusals_are_not(kg):
    from iapgraph.exceptions import ServiceRefused
    from iapgraph.sparql.server import _decide_cached, decide

    text = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    first = decide(text, "http://127.0.0.1:1/sparql")
    hits = _decide_cached.cache_info().hits
    assert decide(text, "http://127.0.0.1:1/sparql") is first and _decide_cached.cache_info().hits == hits + 1
    service = "SELECT * WHERE { # x\rSERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    for _ in range(2):  # refused each time, never remembered as an answer
        with pytest.raises(ServiceRefused):
            decide(service, "http://127.0.0.1:1/sparql")


def test_the_date_header_is_the_time_of_the_reply(server):
    """Formatted once a second: two replies a second and more apart carry their own times."""
    import email.utils

    dates = []
    for _ in range(2):
        before = time.time()
        _, headers, _ = _get(_ask_url(server, "ASK {}"))
        after = time.time()
        sent = email.utils.parsedate_to_datetime(headers["Date"]).timestamp()
        assert int(before) <= sent <= after, (headers["Date"], before, after)
        dates.append(headers["Date"])
        time.sleep(1.1)
    assert dates[0] != dates[1]


def test_without_uvloop_the_endpoint_runs_on_asyncios_own_loop():
    """uvloop is optional (the pyproject installs it where it builds): with it absent, the same
    server runs on asyncio's loop, with the same answers, time limit and ordering."""
    code = ("import sys; sys.modules['uvloop'] = None\n"
            "from iapgraph.sparql import server\n"
            "assert type(server.new_loop()).__module__.startswith('asyncio'), server.new_loop()\n"
            "from iapgraph.cli import main\n"
            "sys.argv = ['iapgraph', 'serve', '--port', '0', '--quiet', '--timeout', '2', '--workers', '1']\n"
            "main()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=cli_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = _read_line(proc.stdout, 120)
        assert first.startswith("SPARQL endpoint: http://127.0.0.1:"), first + proc.stderr.read()  # type: ignore[union-attr]
        url = first.split()[2]
        assert _wrapper(url, LABELS, JSON, POST).query().convert()["results"]["bindings"] == [
            {"alias": {"type": "literal", "value": a}} for a in XIAP_ALIASES]
        status, _, body = _get(_ask_url(url, HEAVY))
        assert status == 503 and body.decode() == "query: stopped after the 2 s time limit\n"
        parts = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        for _ in range(3):  # one connection kept alive, after the worker was replaced
            conn.request("GET", _ask_url(url, LABELS)[len(f"http://{parts.netloc}"):],
                         headers={"Accept": "text/csv"})
            response = conn.getresponse()
            assert (response.status, response.read().decode().splitlines()) == (200, ["alias", *XIAP_ALIASES])
        conn.close()
    finally:
        proc.terminate()
        code_ = proc.wait(30)
    assert code_ == 0, proc.stderr.read()  # type: ignore[union-attr]


def test_a_worker_writes_what_the_client_socket_takes_and_returns_the_rest():
    """The worker writes a reply to the client's socket without waiting (the socket is the
    server's, non-blocking): what the socket does not take at once comes back for the server to
    write after it, so the client reads the whole reply, in order."""
    import socket

    from iapgraph.sparql.workers import _write_reply

    ours, theirs = socket.socketpair()
    ours.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    ours.setblocking(False)
    body = b"x" * 2_000_000
    head = (b"HTTP/1.1 200 OK\r\n", b"X-Iapgraph-Truncated: 5\r\n", b"X-Iapgraph-Truncated: 9 bytes\r\n",
            b"\r\n", False)
    size, rest = _write_reply(os.dup(ours.fileno()), head, body, "rows")
    assert size == len(body) and 0 < len(rest) < len(body)
    whole = b"HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\nX-Iapgraph-Truncated: 5\r\n\r\n" + body
    ours.setblocking(True)
    reader = threading.Thread(target=lambda: ours.sendall(rest))
    reader.start()
    got = b""
    while len(got) < len(whole):
        got += theirs.recv(1 << 20)
    reader.join()
    assert got == whole
    ours.close()
    theirs.close()
    size, rest = _write_reply(_closed_socket_fd(), head, body, "")
    assert (size, rest) == (len(body), b"")  # the client is gone: nothing is left to write


def _closed_socket_fd() -> int:
    import socket

    a, b = socket.socketpair()
    b.close()
    fd = os.dup(a.fileno())
    a.close()
    return fd


# --- the query string and form decoder: parse_qs's answer, faster ------------------------------------

_FORM_ALPHABET = st.sampled_from([*"ab=&+%%%0123456789AaFfGg \\\n{}?é\u2603", "%7B", "%0A", "%C3%A9", "%E2%98", "%zz"])


@given(st.lists(_FORM_ALPHABET, max_size=40).map("".join) | st.text(max_size=40)
       | st.text(max_size=60).map(lambda t: urllib.parse.urlencode({"query": t, "format": "json"})))
@settings(max_examples=2000, deadline=None)
def test_form_fields_reads_what_parse_qs_reads(text):
    try:
        expected: object = urllib.parse.parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        expected = UnicodeDecodeError
    try:
        found: object = form_fields(text)
    except UnicodeDecodeError:
        found = UnicodeDecodeError
    assert found == expected


def test_form_fields_reads_every_library_query_as_parse_qs_does(kg):
    texts = [prepare(lq, bind_parameters(kg, lq, as_params(pairs))).text
             for lq in library().values() for _, pairs in examples(lq)]
    assert len(texts) > 40
    for text in texts:
        for encoded in (urllib.parse.urlencode({"query": text}), urllib.parse.quote(text, safe="")):
            assert form_fields(encoded) == urllib.parse.parse_qs(encoded, keep_blank_values=True, errors="strict")
    assert form_fields("query=" + urllib.parse.quote("SELECT ?é {}")) == {"query": ["SELECT ?é {}"]}
