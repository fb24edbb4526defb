"""Queries with a time limit: engines in worker processes that are killed when a query overruns.

Neither Oxigraph nor rdflib can cancel a running query, and a thread cannot be stopped, so the
HTTP endpoint (and the benchmark's capped rdflib runs) send each query to a worker process over
a pipe and kill the worker when the answer does not come in time; a fresh one replaces it.

A worker is fenced in where Linux allows it: it leaves the network (a network namespace of its
own, so no SERVICE, whatever the text, can connect anywhere), its memory is bounded (an answer
that grows past the bound kills the worker, not the machine), and it dies with its parent
(parent-death signal; workers are started from one long-lived thread, because the signal
follows the thread that started the process).
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import queue
import select
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..exceptions import (
    IapgraphError,
    QueryTimeout,
    WorkerCrashed,
)
from .fence import fence, rebuild_error
from .results import Result
from .text import Checked

WORKER_MEMORY = 4 << 30  # bytes of address space a worker may use (serve --worker-memory)


def _open_engine(engine: str, ntriples: str) -> Any:
    from .engines import OxigraphEngine, RdflibEngine

    if engine == "oxigraph":
        return OxigraphEngine(Path(ntriples))
    return RdflibEngine.from_ntriples(Path(ntriples))


def _worker_main(conn: Connection, engine: str, ntriples: str, parent: int = 0,
                 memory: int | None = None) -> None:
    """Fence itself in, load the graph once, then answer (text, source, limit, options) messages
    until told to stop."""
    if parent:
        fence(parent, memory)
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
        kind, query, source, limit, options, media = message
        try:
            if kind == "answer":  # checked by the server: the body of its reply, written here
                conn.send(("ok", _answer(store, query, media, source, limit, options)))
            else:
                conn.send(("ok", store.run(query, source, limit, **options)))
        except IapgraphError as exc:
            conn.send(("error", type(exc).__name__, str(exc)))
        except MemoryError:
            conn.send(("error", "WorkerCrashed", f"{source}: the query needed more memory than a worker "
                                                 "may use; ask for less (LIMIT, fewer joins)"))
        except Exception as exc:
            conn.send(("error", "IapgraphError", f"{source}: query failed: {exc}"))


def _answer(store: Any, checked: Checked, media: str, source: str, limit: int | None,
            options: dict[str, Any]) -> tuple[bytes, str]:
    """A query the server already parsed and checked, answered as the body of its reply."""
    if hasattr(store, "answer"):
        return store.answer(checked, media, source, limit, **options)  # type: ignore[no-any-return]
    from .engines import serialize

    return serialize(store.run(checked.text, source, limit, **options), media)


class _Starter:
    """The one thread that starts worker processes: a parent-death signal fires when the thread
    that started the process ends, so that thread must live as long as the program."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Callable[[], None], queue.Queue[BaseException | None]]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self, process: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            process.start()
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="iapgraph-worker-starter", daemon=True)
                self._thread.start()
        done: queue.Queue[BaseException | None] = queue.Queue()
        self._jobs.put((process.start, done))
        failure = done.get()
        if failure is not None:
            raise failure

    def _loop(self) -> None:
        while True:
            job, done = self._jobs.get()
            try:
                job()
                done.put(None)
            except BaseException as exc:  # handed to the caller
                done.put(exc)


_STARTER = _Starter()


class Worker:
    """One engine in its own process."""

    def __init__(self, engine: str, ntriples: Path, start_timeout: float = 600.0,
                 memory: int | None = WORKER_MEMORY):
        ctx = mp.get_context("spawn")  # never fork a process that holds a Rust store
        self._kill_lock = threading.Lock()
        self._killed = False
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, engine, str(ntriples), os.getpid(), memory),
                                   daemon=True)
        _STARTER.start(self.process)
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
        self._poller = select.poll()  # one poll object: Connection.poll builds a selector per call
        self._poller.register(self.conn.fileno(), select.POLLIN)

    def run(self, text: str, source: str, limit: int | None, timeout: float | None,
            options: dict[str, Any] | None = None) -> Result:
        return self._ask(("run", text, source, limit, options or {}, ""), source, timeout)  # type: ignore[no-any-return]

    def answer(self, checked: Checked, media: str, source: str, limit: int | None, timeout: float | None,
               options: dict[str, Any] | None = None) -> tuple[bytes, str]:
        """The body of the reply to a checked query in ``media``, and the cap that cut it."""
        return self._ask(("answer", checked, source, limit, options or {}, media), source, timeout)  # type: ignore[no-any-return]

    def _ask(self, message: tuple[Any, ...], source: str, timeout: float | None) -> Any:
        self.conn.send(message)
        if not self._poller.poll(None if timeout is None else max(0, math.ceil(timeout * 1000))):
            raise QueryTimeout(f"{source}: query stopped after the {timeout:g} s time limit")
        status, *rest = self.conn.recv()  # EOFError: the worker died (killed by its memory bound ...)
        if status == "ok":
            return rest[0]
        kind, message_text = rest
        raise rebuild_error(kind, message_text)

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

    def run(self, text: str, source: str = "query", limit: int | None = None, **options: Any) -> Result:
        if self.worker is None:
            raise IapgraphError(f"{source}: the query worker was stopped by an earlier time limit")
        try:
            return self.worker.run(text, source, limit, self.timeout, options)
        except QueryTimeout:
            self.worker.kill()
            self.worker = None
            raise QueryTimeout(f"{source}: stopped after the {self.timeout:g} s time limit "
                               "(--timeout)") from None
        except (EOFError, OSError):
            self.worker.kill()
            self.worker = None
            raise WorkerCrashed(f"{source}: the query worker died (out of memory?)") from None

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def __enter__(self) -> TimedEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WorkerPool:
    """A few workers serving queries concurrently, each query under ``timeout`` seconds."""

    def __init__(self, engine: str, ntriples: Path, size: int = 2, timeout: float = 10.0,
                 memory: int | None = WORKER_MEMORY):
        self.engine, self.ntriples, self.timeout, self.memory = engine, ntriples, timeout, memory
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
            worker = Worker(self.engine, self.ntriples, memory=self.memory)
        except (IapgraphError, OSError, RuntimeError) as exc:
            self.failures.append(str(exc))
            return
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.append(worker)
        self._idle.put(worker)

    def run(self, text: str, source: str = "query", limit: int | None = None, **options: Any) -> Result:
        """Answer in a worker; raise QueryTimeout (and replace the worker) when it overruns."""
        return self._use(lambda worker, left: worker.run(text, source, limit, left, options), source)  # type: ignore[no-any-return]

    def answer(self, checked: Checked, media: str, source: str = "query", limit: int | None = None,
               **options: Any) -> tuple[bytes, str]:
        """The body of the HTTP reply to a query that passed :func:`~iapgraph.sparql.text.check_local`
        here, written in a worker (Oxigraph writes JSON and XML itself) under the time limit, and
        which cap cut it ("rows", "bytes" or "").

        Args:
            checked: what check_local returned; its text is run as it is.
            media: the negotiated media type.
            source: the query's name in messages.
            limit: at most this many rows.
            **options: ``max_bytes`` and ``dataset``, as for :meth:`run`.

        Returns:
            The body and the cap.

        Raises:
            QueryTimeout: over the time limit (the worker is replaced).
            WorkerCrashed: the worker died (its memory bound); a new one starts.
            IapgraphError: the query failed.
        """
        return self._use(lambda worker, left: worker.answer(checked, media, source, limit, left, options),  # type: ignore[no-any-return]
                         source)

    def _use(self, call: Callable[[Worker, float], Any], source: str) -> Any:
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"busy: no worker free within {self.timeout:g} s") from None
        left = max(0.1, self.timeout - (time.monotonic() - started))
        healthy = True
        try:
            result = call(worker, left)
        except WorkerCrashed:
            healthy = False
            raise
        except QueryTimeout:
            healthy = False
            raise QueryTimeout(f"{source}: stopped after the {self.timeout:g} s time limit") from None
        except (EOFError, OSError):
            healthy = False
            raise WorkerCrashed(f"{source}: the query worker died (out of memory?); a new one is "
                                "starting") from None
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._replace(worker)
        return result

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
