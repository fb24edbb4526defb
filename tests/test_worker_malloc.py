"""The query workers' allocator (``serve --worker-malloc``): jemalloc where the system has it,
preloaded into the worker only; the program that starts workers keeps its environment."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from iapgraph.commands.sparql import MALLOC_CHOICES as CLI_CHOICES
from iapgraph.commands.sparql import serve
from iapgraph.exceptions import UsageError
from iapgraph.sparql import workers
from iapgraph.sparql.workers import MALLOC_CHOICES, Worker, jemalloc, preload

from .conftest import ROOT, cli_env

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_the_cli_offers_the_allocators_the_workers_know():
    assert CLI_CHOICES == MALLOC_CHOICES == ("auto", "jemalloc", "system")
    option = next(p for p in serve.params if p.name == "worker_malloc")
    assert tuple(option.type.choices) == MALLOC_CHOICES  # type: ignore[attr-defined]


@pytest.mark.parametrize("malloc", ["auto", "system"])
def test_a_worker_runs_on_the_allocator_asked_for_and_answers_the_same(kg, malloc, monkeypatch):
    monkeypatch.setenv("LD_PRELOAD", "libm.so.6")  # the user's own preload is kept, for the worker too
    worker = Worker("oxigraph", kg.ntriples(), malloc=malloc)
    try:
        expected = "jemalloc" if malloc == "auto" and jemalloc() is not None else "system"
        assert worker.allocator == expected
        maps = Path(f"/proc/{worker.process.pid}/maps").read_text()
        assert ("libjemalloc" in maps) == (expected == "jemalloc")
        assert "libm.so.6" in maps
        result = worker.run(COUNT, "count", None, 60)
        assert int(result.rows[0][0].value) == worker.triples == len(kg.to_rdf())
    finally:
        worker.stop()
    assert os.environ["LD_PRELOAD"] == "libm.so.6"  # this process's environment is as it was


def test_jemalloc_is_found_where_installed():
    # scripts/install-system-deps.sh (make test) installs Debian's libjemalloc2
    if not any(Path(d).glob("libjemalloc.so*") for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib")):
        pytest.skip("libjemalloc2 is not installed here")
    assert jemalloc() is not None and "jemalloc" in str(jemalloc())
    assert preload("auto") == preload("jemalloc") == jemalloc()
    assert preload("system") is None


def test_jemalloc_asked_for_where_missing_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(workers, "jemalloc", lambda: None)
    with pytest.raises(UsageError, match=r"jemalloc is not installed \(Debian: apt-get install libjemalloc2\)"):
        preload("jemalloc")
    assert preload("auto") is None  # auto falls back to the system's allocator
    with pytest.raises(UsageError, match="unknown allocator 'tcmalloc': choose one of auto, jemalloc, system"):
        preload("tcmalloc")


def test_preloads_started_from_many_threads_leave_the_environment_as_it_was(kg, monkeypatch):
    if jemalloc() is None:
        pytest.skip("libjemalloc2 is not installed here")
    monkeypatch.delenv("LD_PRELOAD", raising=False)
    started: list[Worker] = []
    threads = [threading.Thread(target=lambda: started.append(Worker("oxigraph", kg.ntriples(), malloc="jemalloc")))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert [w.allocator for w in started] == ["jemalloc"] * 3
    finally:
        for w in started:
            w.stop()
    assert "LD_PRELOAD" not in os.environ


def test_serve_says_which_allocator_its_workers_run_on():
    proc = subprocess.Popen([sys.executable, "-m", "iapgraph", "serve", "--port", "0", "--quiet",
                             "--worker-malloc", "system", "--workers", "1"], cwd=ROOT, env=cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
    finally:
        proc.terminate()
        proc.wait(30)
    assert line.startswith("SPARQL endpoint: http://127.0.0.1:"), line
    assert line.rstrip().endswith("10000 rows cap, 1 worker, system malloc)"), line


def test_jemalloc_asked_for_and_not_loaded_is_said_not_hidden(kg, monkeypatch):
    # a library the loader cannot preload (it says so on stderr and goes on with glibc's malloc)
    monkeypatch.setattr(workers, "jemalloc", lambda: "libiapgraph-no-such-malloc.so.9")
    with pytest.raises(UsageError, match=r"the query worker did not load libiapgraph-no-such-malloc\.so\.9 "
                                         r"\(LD_PRELOAD\); use --worker-malloc system or auto"):
        Worker("oxigraph", kg.ntriples(), malloc="jemalloc")
    worker = Worker("oxigraph", kg.ntriples(), malloc="auto")  # auto takes what it gets
    try:
        assert worker.allocator == "system"
    finally:
        worker.stop()
