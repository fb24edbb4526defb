"""``iapgraph build`` writes the Turtle in a forked child while it writes the N-Triples, and pickles
the dataset cache in another (issue 19: a cold build of a large lab folder within 1.5x the raw
pyoxigraph load). The files must be the bytes the one-process build writes, a failure in a child
must be one line naming its file with nothing replaced, and the cache must be whole when the
command returns."""

from __future__ import annotations

import pickle
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from iapgraph import forks
from iapgraph.exceptions import OutputError
from iapgraph.export import build as build_module
from iapgraph.kg import _Cached, load
from iapgraph.ntriples import ntriples

from .conftest import ROOT, cli_env

ARTEFACTS = ("iapgraph.ttl", "vocab.ttl", "iapgraph.nt")


def _background():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import _background

    return _background


@pytest.fixture(scope="module")
def lab(tmp_path_factory, kg) -> Path:
    folder = tmp_path_factory.mktemp("lab") / "lab"
    return _background().write_lab_folder(kg.dataset, 3000, folder)


def _cli_build(graph_dirs: list[Path], out: Path, cache: Path, serial: bool) -> subprocess.CompletedProcess[str]:
    env = {**cli_env(), "XDG_CACHE_HOME": str(cache)}
    if serial:
        env["IAPGRAPH_SERIAL"] = "1"
    args = [a for d in graph_dirs for a in ("--graph-dir", str(d))]
    return subprocess.run([sys.executable, "-m", "iapgraph", "build", *args, "-o", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_parallel_and_serial_builds_write_the_same_bytes(lab, tmp_path):
    dirs = [ROOT / "graph", lab]
    parallel = _cli_build(dirs, tmp_path / "p", tmp_path / "cache-p", serial=False)
    serial = _cli_build(dirs, tmp_path / "s", tmp_path / "cache-s", serial=True)
    assert parallel.returncode == 0 and serial.returncode == 0, parallel.stderr + serial.stderr
    for name in ARTEFACTS:
        assert (tmp_path / "p" / name).read_bytes() == (tmp_path / "s" / name).read_bytes(), name
    # a string qualifier typed xsd:string survives the placeholder the Turtle goes through
    turtle = (tmp_path / "p" / "iapgraph.ttl").read_text(encoding="utf-8")
    assert "^^xsd:string" in turtle and "urn:x-iapgraph-" not in turtle
    # and the cache each wrote (the parallel one from a detached child) is whole when the command ends
    for cache in ("cache-p", "cache-s"):
        [pickled] = (tmp_path / cache).glob("iapgraph/dataset-*.pickle")
        with pickled.open("rb") as fh:
            cached = pickle.load(fh)
        assert isinstance(cached, _Cached) and len(cached.dataset.statements) == len(load(dirs).statements)
    assert not list((tmp_path / "cache-p").glob("iapgraph/*.tmp"))


def test_the_child_is_used_only_where_forking_is_safe(monkeypatch):
    assert forks.available()  # pytest's own process: one thread
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not forks.available()  # a forked copy of a threaded process may deadlock
    finally:
        stop.set()
        other.join()
    monkeypatch.setenv("IAPGRAPH_SERIAL", "1")
    assert not forks.available()


def _turtle_fails(*args, **kwargs):
    raise OSError(28, "No space left on device")


def test_a_failing_turtle_child_names_the_turtle_and_replaces_nothing(kg, tmp_path, monkeypatch):
    out = tmp_path / "out"
    kg.build(out)
    before = {name: (out / name).read_bytes() for name in ARTEFACTS}
    monkeypatch.setattr(build_module, "turtle_from_pieces", _turtle_fails)  # the forked child inherits it
    assert forks.available()
    with pytest.raises(OutputError, match=rf"^{out / 'iapgraph.ttl'}: write failed \(No space left on device\); "
                                          "nothing was replaced$"):
        build_module.build(kg.dataset, out)
    assert {name: (out / name).read_bytes() for name in ARTEFACTS} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(ARTEFACTS)  # no temporary file left


def test_a_crashed_turtle_child_is_an_error_too(kg, tmp_path, monkeypatch):
    import os
    import signal

    monkeypatch.setattr(build_module, "turtle_from_pieces", lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(OutputError, match=r"iapgraph\.ttl: write failed \(the writing process ended"):
        build_module.build(kg.dataset, tmp_path / "out")
    assert not (tmp_path / "out" / "iapgraph.ttl").exists() and not list((tmp_path / "out").glob(".*.tmp"))


def test_the_placeholder_found_in_the_data_falls_back_to_one_process(kg, tmp_path, monkeypatch):
    from dataclasses import replace

    marker = "urn:x-iapgraph-clash:string"
    entities = dict(kg.dataset.entities)
    entities["XIAP"] = replace(entities["XIAP"], description=f"names {marker} on purpose")
    dataset = replace(kg.dataset, entities=entities)
    monkeypatch.setattr(build_module, "string_marker", lambda data=b"": marker.encode())
    calls = []
    real = build_module.turtle_from_ntriples
    monkeypatch.setattr(build_module, "turtle_from_ntriples", lambda *a: calls.append(1) or real(*a))
    build_module.build(dataset, tmp_path / "out")
    assert calls == [1]  # the Turtle was written again, here
    monkeypatch.setenv("IAPGRAPH_SERIAL", "1")
    build_module.build(dataset, tmp_path / "serial")
    for name in ARTEFACTS:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes()
    assert marker in (tmp_path / "out" / "iapgraph.ttl").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "iapgraph.nt").read_bytes() == ntriples(dataset)


def test_pieces_through_the_pipe_are_the_pieces_sent():
    import io

    from iapgraph.ntriples import received_pieces, send_piece

    rng = random.Random(3)
    pieces = [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 3000))) for _ in range(20)]
    pipe = io.BytesIO()
    for piece in pieces:
        send_piece(pipe, piece)
    data = pipe.getvalue()
    assert list(received_pieces(io.BytesIO(data))) == pieces
    with pytest.raises(OSError, match="stopped in the middle"):
        list(received_pieces(io.BytesIO(data[:-5])))

