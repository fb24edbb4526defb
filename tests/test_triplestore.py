"""The query library on a real external triple store: Debian's Virtuoso 7.2 holding the file
``iapgraph build`` writes, asked through the real CLI (``iapgraph query NAME --endpoint URL``).

Every example of every queries/*.rq must give, term for term, what the embedded engine gives,
and that is the reviewed answer in queries/expected/. Skipped only when virtuoso-t (or isql-vt)
is not installed; scripts/install-system-deps.sh installs it.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from iapgraph.sparql.expected import as_params, example_command, examples, expected_path, expected_tsv
from iapgraph.sparql.library import library
from iapgraph.sparql.query import bind_parameters, engine_for, prepare
from iapgraph.sparql.results import to_tsv

from .conftest import ROOT, run_cli

pytestmark = pytest.mark.triplestore


def _helper():
    spec = importlib.util.spec_from_file_location("iapgraph_virtuoso", ROOT / "scripts" / "virtuoso.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


virtuoso = _helper()
LIBRARY = library()
CASES = [pytest.param(name, index, pairs, id=f"{name}-{index}")
         for name, lq in LIBRARY.items() for index, pairs in examples(lq)]


@pytest.fixture(scope="module")
def installed() -> str:
    path = virtuoso.available()
    if path is None:
        pytest.skip("virtuoso-t and isql-vt not installed (Debian's virtuoso-opensource; "
                    "scripts/install-system-deps.sh installs it)")
    return path


@pytest.fixture(scope="module")
def built(installed, tmp_path_factory) -> Path:
    """build/iapgraph.nt as a user gets it: `iapgraph build -o DIR`."""
    out = tmp_path_factory.mktemp("build")
    done = run_cli("build", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out / "iapgraph.nt"


@pytest.fixture(scope="module")
def store(built):
    with virtuoso.Virtuoso() as server:
        server.load(built)
        yield server
    assert server.folder is None and server.process is None


def test_every_triple_is_loaded_into_the_default_graph(store, built):
    lines = sum(1 for line in built.read_text(encoding="utf-8").splitlines() if line.strip())
    assert store.loaded == lines
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    done = run_cli("query", "-e", count, "--endpoint", store.endpoint, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n", str(lines)]
    # the bare /sparql's default graph is every graph Virtuoso holds, its own system graphs too:
    # why the endpoint URL names the graph (default-graph-uri)
    bare = run_cli("query", "-e", count, "--endpoint", store.sparql_url, "--format", "csv")
    assert bare.returncode == 0, bare.stderr
    assert int(bare.stdout.split()[1]) > lines


@pytest.fixture(scope="module")
def embedded(kg):
    return engine_for("oxigraph", kg=kg)


def _ask(store, name: str, pairs) -> subprocess.CompletedProcess[str]:
    params = [arg for key, value in pairs for arg in ("--param", f"{key}={value}")]
    return run_cli("query", name, *params, "--endpoint", store.endpoint, "--format", "tsv")


@pytest.fixture(scope="module")
def answers(store) -> dict[tuple[str, int], subprocess.CompletedProcess[str]]:
    """Every example asked through the CLI, two processes at a time (the suite's time budget)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {(p.values[0], p.values[1]): pool.submit(_ask, store, p.values[0], p.values[2])
                   for p in CASES}
        return {key: future.result() for key, future in futures.items()}


@pytest.mark.parametrize(("name", "index", "pairs"), CASES)
def test_library_answer_on_virtuoso(answers, kg, embedded, name, index, pairs):
    lq = LIBRARY[name]
    done = answers[name, index]
    assert done.returncode == 0, done.stderr
    local = prepare(lq, bind_parameters(kg, lq, as_params(pairs))).run(embedded)
    assert done.stdout == to_tsv(local), f"{name} example {index}: Virtuoso and Oxigraph disagree"
    path = expected_path(lq, index)
    assert expected_tsv(local, example_command(lq, pairs)) == path.read_text(encoding="utf-8")


def test_refused_query_is_one_line_error(store):
    done = run_cli("query", "-e", "SELECT (<http://example.org/no-such-function>(1) AS ?x) WHERE { }",
                   "--endpoint", store.endpoint)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    line, = done.stderr.strip().splitlines()
    assert line.startswith(f"error: {store.endpoint} refused query (HTTP 500): Virtuoso 42001")
