"""Queries with a time limit: engines in worker processes that are killed when a query overruns.

Neither Oxigraph nor rdflib can cancel a running query, and a thread cannot be stopped, so the
HTTP endpoint (and the benchmark's capped rdflib runs) send each query to a worker process over
a pipe and kill the worker when the answer does not come in time; a fresh one replaces it.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..exceptions import (
    IapgraphError,
    QuerySyntaxError,
    QueryTimeout,
    ReadOnlyError,
    ServiceRefused,
    WorkerError,
)
from .results import Result


def _open_engine(engine: str, ntriples: str) -> Any:
    from .engines import OxigraphEngine, RdflibEngine

    if engine == "oxigraph":
        return OxigraphEngine(Path(ntriples))
    return RdflibEngine.from_ntriples(Path(ntriples))


def _worker_main(conn: Connection, engine: str, ntriples: str) -> None:
    """Load the graph once, then answer (text, source, limit) messages until told to stop."""
    try:
        store = _open_engine(engine, ntriples)
    except Exception as exc:  # report instead of dying silently
        conn.send(("error", type(exc).__name__, str(exc)))
        return
    conn.send(("ready", len(store)))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        text, source, limit = message
        try:
            conn.send(("ok", store.run(text, source, limit)))
        except IapgraphError as exc:
            conn.send(("error", type(exc).__name__, str(exc)))
        except Exception as exc:
            conn.send(("error", "IapgraphError", f"{source}: query failed: {exc}"))


class Worker:
    """One engine in its own process."""

    def __init__(self, engine: str, ntriples: Path, start_timeout: float = 600.0):
        ctx = mp.get_context("spawn")  # never fork a process that holds a Rust store
        self._kill_lock = threading.Lock()
        self._killed = False
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, engine, str(ntriples)), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(start_timeout):
            self.kill()
            raise QueryTimeout(f"the {engine} worker did not load the graph in {start_timeout:.0f} s")
        try:
            status, *rest = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise IapgraphError(f"the {engine} worker exited while loading the graph") from None
        if status != "ready":
            self.kill()
            raise IapgraphError(f"the {engine} worker could not load the graph: {rest[-1]}")
        self.triples = int(rest[0])

    def run(self, text: str, source: str, limit: int | None, timeout: float | None) -> Result:
        self.conn.send((text, source, limit))
        if not self.conn.poll(timeout):
            raise QueryTimeout(f"{source}: query stopped after the {timeout:g} s time limit")
        status, *rest = self.conn.recv()
        if status == "ok":
            return rest[0]
        kind, message = rest
        raise _rebuild(kind, message)

    def kill(self) -> None:
        """Stop the process and close the pipe; once, whichever thread asks first (a timed-out
        request and the pool's shutdown may both ask)."""
        with self._kill_lock:
            if self._killed:
                return
            self._killed = True
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
            self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        self.kill()


class TimedEngine:
    """One engine in one worker process for one command (``iapgraph query --timeout``): a query
    that overruns is stopped by killing the worker, which is not replaced."""

    def __init__(self, engine: str, ntriples: Path, timeout: float):
        self.name, self.timeout = engine, timeout
        self.worker: Worker | None = Worker(engine, ntriples)

    def run(self, text: str, source: str = "query", limit: int | None = None) -> Result:
        if self.worker is None:
            raise IapgraphError(f"{source}: the query worker was stopped by an earlier time limit")
        try:
            return self.worker.run(text, source, limit, self.timeout)
        except QueryTimeout:
            self.worker.kill()
            self.worker = None
            raise QueryTimeout(f"{source}: stopped after the {self.timeout:g} s time limit "
                               "(--timeout)") from None
        except (EOFError, OSError):
            self.worker.kill()
            self.worker = None
            raise IapgraphError(f"{source}: the query worker died") from None

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def __enter__(self) -> TimedEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _rebuild(kind: str, message: str) -> IapgraphError:
    if kind == "QuerySyntaxError":
        # "source:line:col: syntax error: cause" -> the same error, rebuilt from its parts
        head, _, cause = message.partition(": syntax error: ")
        source, line, column = head.rsplit(":", 2)
        return QuerySyntaxError(source, int(line), int(column), cause)
    if kind == "ReadOnlyError":
        return ReadOnlyError(message)
    if kind == "ServiceRefused":
        return ServiceRefused(message)
    return WorkerError(kind, message)


class WorkerPool:
    """A few workers serving queries concurrently, each query under ``timeout`` seconds."""

    def __init__(self, engine: str, ntriples: Path, size: int = 2, timeout: float = 10.0):
        self.engine, self.ntriples, self.timeout = engine, ntriples, timeout
        self.name = engine
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: list[Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        self.failures: list[str] = []
        starters = [threading.Thread(target=self._add) for _ in range(max(1, size))]
        for t in starters:
            t.start()
        for t in starters:
            t.join()
        if not self._all:
            raise IapgraphError(f"could not start any {engine} worker: {'; '.join(self.failures)}")
        self.triples = self._all[0].triples

    def _add(self) -> None:
        try:
            worker = Worker(self.engine, self.ntriples)
        except (IapgraphError, OSError, RuntimeError) as exc:
            self.failures.append(str(exc))
            return
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.append(worker)
        self._idle.put(worker)

    def run(self, text: str, source: str = "query", limit: int | None = None) -> Result:
        """Answer in a worker; raise QueryTimeout (and replace the worker) when it overruns."""
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"busy: no worker free within {self.timeout:g} s") from None
        left = max(0.1, self.timeout - (time.monotonic() - started))
        healthy = True
        try:
            return worker.run(text, source, limit, left)
        except QueryTimeout:
            healthy = False
            raise QueryTimeout(f"{source}: stopped after the {self.timeout:g} s time limit") from None
        except (EOFError, OSError):
            healthy = False
            raise IapgraphError(f"{source}: the query worker died") from None
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._replace(worker)

    def _replace(self, worker: Worker) -> None:
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            closed = self._closed
        worker.kill()
        if not closed:  # no new worker for a pool that is shutting down
            threading.Thread(target=self._add, daemon=True).start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), []
        for worker in workers:
            worker.stop()
