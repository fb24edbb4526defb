"""Shared fixtures: the curated graph loaded once per session, a copy of graph/ to break, the CLI."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GRAPH_DIR = ROOT / "graph"
SRC = ROOT / "src"


@pytest.fixture(scope="session")
def kg():
    import iapgraph

    return iapgraph.load(cache=False)


@pytest.fixture()
def graph_copy(tmp_path: Path) -> Path:
    """A writable copy of graph/ for tests that break it."""
    target = tmp_path / "graph"
    shutil.copytree(GRAPH_DIR, target)
    return target


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120,
            input: str | None = None, fsize_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m iapgraph ARGS`` as a real process on this checkout's code.

    ``fsize_limit`` caps the size of any file the process writes (RLIMIT_FSIZE): a write beyond it
    fails with EFBIG, as on a full disk, to test outputs that fail midway.
    """
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize_limit, fsize_limit))

    env = cli_env()
    if fsize_limit is not None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([sys.executable, "-m", "iapgraph", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=timeout, input=input,
                          preexec_fn=limit if fsize_limit is not None else None)


@pytest.fixture()
def cli():
    return run_cli


class CountingListener:
    """A loopback TCP port that counts the connections made to it: the target of a SERVICE
    clause, to show that a refused query made no network attempt."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture()
def listener():
    box = CountingListener()
    yield box
    box.close()


@pytest.fixture(scope="module")
def loopback():
    """A listener shared by a module's tests: none of them may ever connect to it."""
    box = CountingListener()
    yield box
    box.close()
