"""`iapgraph serve` as a real process under abuse: a burst of 200 concurrent library queries, a
connection flood beyond --max-connections, stalled clients. Loopback only, bounded in count."""

from __future__ import annotations

import importlib.util
import json
import socket
import sys
import time
import urllib.parse

import pytest

from iapgraph.sparql.results import from_json
from iapgraph.sparql.text import query_form

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("endpoint_load", ROOT / "benchmarks" / "endpoint_load.py")
load = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["endpoint_load"] = load
_spec.loader.exec_module(load)  # type: ignore[union-attr]

MEMORY_BOUND = 1_500_000_000  # a correctness guard (a leak or a runaway result), not a timing
XIAP_ALIASES = ("SELECT ?a WHERE { <https://w3id.org/iapgraph/entity/XIAP> "
                "<http://www.w3.org/2004/02/skos/core#altLabel> ?a } ORDER BY ?a")


@pytest.fixture(scope="module")
def expected(kg) -> tuple[list[str], list]:
    """The library mix and each query's answer from the embedded engine."""
    from iapgraph.sparql.query import engine_for

    texts = load.library_mix(kg)
    engine = engine_for("oxigraph", kg=kg)
    return texts, [engine.run(t) for t in texts]


def _aliases(url: str) -> list[str]:
    reply = load.ask(url, XIAP_ALIASES, "get", 0, timeout=60)
    assert reply.status == 200, reply.body
    return [b["a"]["value"] for b in json.loads(reply.body)["results"]["bindings"]]


@pytest.mark.slow
def test_200_concurrent_library_queries_are_all_answered_correctly(expected):
    texts, answers = expected
    assert len(texts) >= 20
    proc, url = load.start_server("--workers", "2")
    try:
        replies = load.burst(url, texts, 200)
        assert _aliases(url) == ["BIRC4", "X-linked IAP", "hILP"]  # still answers afterwards
        memory = load.memory(proc.pid)
    finally:
        proc.terminate()
        code = proc.wait(30)
    assert code == 0, proc.stderr.read()  # type: ignore[union-attr]
    statuses = [r.status for r in replies]
    assert statuses == [200] * 200, {s: statuses.count(s) for s in set(statuses)}
    assert {r.method for r in replies} == {"get", "post", "direct"}
    for r in replies:
        got = from_json(json.loads(r.body), query_form(texts[r.index]))
        assert got == answers[r.index], texts[r.index]
    assert memory["processes"] >= 3  # the server and its two workers were measured
    assert 0 < memory["server"] < MEMORY_BOUND and memory["with_workers"] < MEMORY_BOUND


def _idle(url: str) -> socket.socket:
    parts = urllib.parse.urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=60)


def test_connections_beyond_the_cap_get_503_at_once_and_stalled_clients_are_dropped():
    proc, url = load.start_server("--max-connections", "2", "--client-timeout", "2")
    try:
        holders = [_idle(url), _idle(url)]  # connected, never send: they hold both slots
        time.sleep(0.3)
        refused = load.ask(url, XIAP_ALIASES, "get", 0, timeout=60)
        assert refused.status == 503
        assert refused.body.decode() == ("busy: 2 requests in progress (serve --max-connections); "
                                         "retry in a moment\n")
        for holder in holders:  # the server drops them after --client-timeout, without an answer
            assert holder.recv(100) == b""
            holder.close()
        for _ in range(100):  # their threads end just after; then requests are served again
            if load.ask(url, XIAP_ALIASES, "get", 0, timeout=60).status == 200:
                break
            time.sleep(0.1)
        assert _aliases(url) == ["BIRC4", "X-linked IAP", "hILP"]

        stalled = _idle(url)  # a body announced and never sent
        stalled.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                        b"Content-Length: 100\r\n\r\nSELECT")
        answer = b""
        while chunk := stalled.recv(4096):
            answer += chunk
        stalled.close()
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert answer.endswith(b"\r\n\r\nrequest body not received within 2 s\n")
    finally:
        proc.terminate()
        code = proc.wait(30)
    assert code == 0
    assert "Traceback" not in proc.stderr.read()  # type: ignore[union-attr]
