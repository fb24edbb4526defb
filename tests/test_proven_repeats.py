"""Proven repeats (iapgraph.sparql.workers): a repeatable text whose measured run in a worker was
short and small runs again in the endpoint's own process, with the same answer; nothing else does."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from iapgraph.exceptions import QueryTimeout
from iapgraph.sparql.text import check_local, repeatable
from iapgraph.sparql.workers import PROVEN_MEMORY, WorkerPool

from .conftest import ROOT, cli_env

JSON_TYPE = "application/sparql-results+json"
LABELS = ("SELECT ?label WHERE { <https://w3id.org/iapgraph/entity/XIAP> "
          "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")


def bomb(doublings: int) -> str:
    """A query that builds one string of 10 * 2**doublings characters, fast, and answers its length."""
    return (f"SELECT (STRLEN(?a{doublings}) AS ?n) WHERE {{ BIND(\"0123456789\" AS ?a0) "
            + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(doublings)) + " }")


@pytest.mark.parametrize("text, expected", [
    ("SELECT (RAND() AS ?r) WHERE {}", False),
    ("SELECT (rand () AS ?r) WHERE {}", False),
    ("SELECT (NOW #a comment\n  () AS ?r) WHERE {}", False),
    ("SELECT (STRUUID() AS ?r) WHERE {}", False),
    ("SELECT (UUID() AS ?r) WHERE {}", False),
    ("SELECT (\\u0052AND() AS ?r) WHERE {}", False),  # escapes are expanded before the decision
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o != \"now(\") }", False),  # over-approximated: held unrepeatable
    ("SELECT * WHERE { ?s ?p \"known (as)\" }", True),
    ("# links to other knowledge graphs\nSELECT * WHERE { ?s ?p ?o }", True),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", True),
])
def test_repeatable_texts(text, expected):
    assert repeatable(check_local(text)) is expected


@pytest.fixture(scope="module")
def pool(kg):
    started = WorkerPool("oxigraph", kg.ntriples(), size=1, timeout=20, memory=2 << 30)
    yield started
    started.close()


def _answer(pool: WorkerPool, text: str, limit: int | None = 100) -> bytes:
    body, cut = pool.answer(check_local(text), JSON_TYPE, "query", limit, max_bytes=10_000_000, dataset=None)
    assert cut == ""
    return body


def _until_local(pool: WorkerPool, text: str, limit: int | None = 100) -> list[bytes]:
    """Ask until a run is made in this process (the store loads in the background once a text is
    proven); the bodies of every run."""
    before = pool.runs["local"]
    bodies = []
    for _ in range(200):
        bodies.append(_answer(pool, text, limit))
        if pool.runs["local"] > before:
            return bodies
        time.sleep(0.05)
    raise AssertionError(f"never run locally: {pool.runs}")


def test_a_repeat_runs_here_after_its_measured_run_with_the_same_answer(pool):
    before = pool.runs
    bodies = _until_local(pool, LABELS)
    assert len(bodies) >= 3  # seen once, measured once, then here
    assert len(set(bodies)) == 1 and json.loads(bodies[0])["results"]["bindings"][0]["label"]["value"] == "XIAP"
    after = pool.runs
    assert after["worker"] - before["worker"] == len(bodies) - 1 and after["local"] - before["local"] == 1
    # another cap is another text to prove: its first runs go to the worker again
    assert _answer(pool, LABELS, limit=7) == bodies[0]
    assert pool.runs["worker"] == after["worker"] + 1 and pool.runs["local"] == after["local"]


def test_unrepeatable_and_memory_hungry_texts_always_run_in_a_worker(pool):
    _until_local(pool, "ASK { ?s ?p ?o }")  # the local store is loaded
    hungry = bomb(21)  # 20 MB of string: its worker's peak grows by more than PROVEN_MEMORY
    assert 10 * 2**21 * 2 > PROVEN_MEMORY
    random_rows = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY RAND() LIMIT 3"
    for text in (hungry, random_rows):
        before = pool.runs
        for _ in range(4):
            _answer(pool, text)
        assert pool.runs["local"] == before["local"], text
        assert pool.runs["worker"] == before["worker"] + 4, text
    assert json.loads(_answer(pool, hungry))["results"]["bindings"][0]["n"]["value"] == str(10 * 2**21)


def test_a_text_that_overran_is_never_proven(kg):
    slow = WorkerPool("oxigraph", kg.ntriples(), size=1, timeout=1, memory=2 << 30)
    try:
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        for _ in range(3):
            with pytest.raises(QueryTimeout):
                _answer(slow, heavy)
        assert slow.runs == {"worker": 3, "local": 0}
    finally:
        slow.close()


@pytest.mark.parametrize("options", [{"local": False}, {"proven_seconds": 0.0}, {"proven_memory": 0}])
def test_without_proof_nothing_runs_here(kg, options):
    strict = WorkerPool("oxigraph", kg.ntriples(), size=1, timeout=20, **options)
    try:
        bodies = {_answer(strict, LABELS) for _ in range(6)}
        assert len(bodies) == 1
        assert strict.runs == {"worker": 6, "local": 0}
    finally:
        strict.close()


def _serve(*extra: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "iapgraph", "serve", "--port", "0", "--quiet", *extra],
                            cwd=ROOT, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()  # type: ignore[union-attr]
    assert first.startswith("SPARQL endpoint: http://127.0.0.1:"), first + proc.stderr.read()  # type: ignore[union-attr]
    return proc, first.split()[2]


def _get(url: str, text: str) -> bytes:
    request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": text}),
                                     headers={"Accept": JSON_TYPE})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def _runs(url: str) -> tuple[int, int]:
    with urllib.request.urlopen(url, timeout=60) as response:
        page = response.read().decode()
    found = re.search(r"(\d+) in query workers, (\d+) in the server's own process", page)
    assert found, page
    return int(found.group(1)), int(found.group(2))


@pytest.mark.parametrize("isolate", [False, True])
def test_the_endpoint_answers_repeats_alike_and_counts_where_they_ran(isolate):
    proc, url = _serve(*(["--isolate-all"] if isolate else []))
    try:
        texts = [LABELS, "ASK { ?s ?p ?o }", "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }"]
        first = [_get(url, t) for t in texts]
        for _ in range(200):
            assert [_get(url, t) for t in texts] == first
            workers, here = _runs(url)
            if here or (isolate and workers >= 3 * 10):
                break
            time.sleep(0.05)
        workers, here = _runs(url)
        assert here == 0 if isolate else here > 0, (workers, here)
    finally:
        proc.terminate()
        assert proc.wait(20) == 0
