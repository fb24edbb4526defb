"""Outputs are atomic: a build killed while writing leaves the previous build whole, byte for byte,
and the next build removes what the killed one left; a failed write is one line and leaves nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iapgraph.exceptions import OutputError
from iapgraph.outputs import atomic_path, remove_stale, write_all, write_text

from .conftest import ROOT, cli_env
from .generated_graph import write_generated_graph
from .viz_support import write_mini_graph

ARTEFACTS = ("iapgraph.ttl", "vocab.ttl", "iapgraph.nt")


def _build(graph: Path, out: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "iapgraph", "build", "--graph-dir", str(graph), "-o", str(out)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.slow
def test_build_killed_while_writing_keeps_the_previous_build(tmp_path):
    env = {**cli_env(), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = tmp_path / "out"
    small = write_mini_graph(tmp_path / "small")
    first = _build(small, out, env)
    assert first.wait(120) == 0, first.stderr.read()
    before = {name: (out / name).read_bytes() for name in ARTEFACTS}

    big = write_generated_graph(tmp_path / "big", entities=1000, statements=3000)
    proc = _build(big, out, env)
    deadline = time.monotonic() + 300
    killed_at = None
    while proc.poll() is None and time.monotonic() < deadline:
        # all three temporary files exist from the start of writing; the N-Triples is written last
        nt = [p for p in out.glob(".iapgraph.nt.*.tmp") if p.stat().st_size > 0]
        if nt:
            os.kill(proc.pid, signal.SIGKILL)
            killed_at = nt[0].stat().st_size
            break
        time.sleep(0.002)
    proc.wait(30)
    assert killed_at is not None, "the build finished before it could be killed while writing"
    assert proc.returncode == -signal.SIGKILL
    # the Turtle files were complete when the process died, yet none replaced its predecessor
    assert {name: (out / name).read_bytes() for name in ARTEFACTS} == before
    left = _temps(out)
    assert len(left) == 3 and all(name.startswith(f".{a}.{proc.pid}.") for name, a in
                                  zip(left, sorted(ARTEFACTS), strict=True)), left

    again = _build(small, out, env)
    assert again.wait(120) == 0, again.stderr.read()
    assert _temps(out) == []
    assert sorted(p.name for p in out.iterdir()) == sorted(ARTEFACTS)
    assert (out / "iapgraph.ttl").read_bytes() == before["iapgraph.ttl"]  # same input, same Turtle


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temporary_files_of_dead_writers_only_are_removed(tmp_path):
    target = tmp_path / "view.html"
    dead = tmp_path / f".view.html.{_dead_pid()}.abcdefgh.tmp"
    live = tmp_path / ".view.html.1.abcdefgh.tmp"  # pid 1 is running: its writer may still finish
    other = tmp_path / f".other.html.{_dead_pid()}.abcdefgh.tmp"
    for p in (dead, live, other):
        p.write_text("half", encoding="utf-8")
    write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert not dead.exists() and live.exists() and other.exists()
    assert remove_stale(tmp_path / "other.html") == [other]


def test_failed_writer_leaves_the_previous_files_and_no_temporary(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a", encoding="utf-8")
    b.write_text("old b", encoding="utf-8")

    def fail(path: Path) -> None:
        path.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match=rf"^{b}: write failed \(No space left on device\); nothing was replaced$"):
        write_all({a: lambda p: p.write_text("new a", encoding="utf-8"), b: fail})
    assert a.read_text(encoding="utf-8") == "old a" and b.read_text(encoding="utf-8") == "old b"
    assert _temps(tmp_path) == []
    with pytest.raises(ValueError), atomic_path(a) as tmp:  # other errors pass through unchanged
        tmp.write_text("half", encoding="utf-8")
        raise ValueError("boom")
    assert a.read_text(encoding="utf-8") == "old a" and _temps(tmp_path) == []
