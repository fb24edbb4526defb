"""Queries with a time limit: engines in worker processes that are killed when a query overruns.

Neither Oxigraph nor rdflib can cancel a running query, and a thread cannot be stopped, so the
HTTP endpoint (and the benchmark's capped rdflib runs) send each query to a worker process over
a pipe and kill the worker when the answer does not come in time; a fresh one replaces it.

A worker is fenced in where Linux allows it: it leaves the network (a network namespace of its
own, so no SERVICE, whatever the text, can connect anywhere), its memory is bounded (an answer
that grows past the bound kills the worker, not the machine), and it dies with its parent
(parent-death signal; workers are started from one long-lived thread, because the signal
follows the thread that started the process).

Proven repeats. A query whose work is known to be small runs in the endpoint's own process, on a
store of its own, instead of a worker: the hop to a worker and back (pipes, two more processes
to wake on two cores) costs a good part of what a small query costs. The graph never changes,
so a text that does the same work on every run (:func:`~iapgraph.sparql.text.repeatable`: no
RAND, NOW, UUID) can be proven by one measured run in a worker, made the second time the text
is seen (a text sent once is never measured). It is proven when that run succeeded within
:data:`PROVEN_SECONDS` and its worker's peak resident memory grew by at most
:data:`PROVEN_MEMORY` (measured after freed memory is given back and the peak is reset, with
Linux's ``clear_refs``). Later runs of the same text, with the same media type, caps and
dataset, run in this process, at most :data:`LOCAL_RUNS` at a time (more go to the workers).
Such a run needs no time limit, fence or memory bound of its own: it does the work the fenced
worker did, on the same graph. A text that was refused, failed, overran or grew the worker's
memory past the bound is never proven. The answer is computed each time, never remembered.
``serve --isolate-all`` turns this off.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import queue
import select
import threading
import time
from collections import OrderedDict
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
from .text import Checked, repeatable

WORKER_MEMORY = 4 << 30  # bytes of address space a worker may use (serve --worker-memory)
PROVEN_SECONDS = 0.25  # a first run at most this long (in its worker) proves a repeatable text
PROVEN_MEMORY = 32 << 20  # bytes of peak memory a first run may add to its worker and prove the text
PROVEN_TEXTS = 1024  # proven (text, media, caps, dataset) remembered, the least recent dropped
PROVEN_TEXT_LENGTH = 16_384  # characters: longer texts are never proven (nor remembered)
LOCAL_RUNS = 8  # proven repeats running in this process at once (more go to the workers)


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
            elif kind == "probe":  # the same, measured: may the server run this text itself?
                conn.send(("ok", _probe(store, query, media, source, limit, options)))
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


def _status(field: str) -> int:
    """A memory figure of this process in bytes (``VmRSS``, ``VmHWM`` of /proc/self/status)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) << 10
    raise OSError(f"no {field} in /proc/self/status")


def _trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (freed memory back to the system), or None elsewhere."""
    try:
        from .fence import _libc

        return _libc().malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def _probe(store: Any, checked: Checked, media: str, source: str, limit: int | None,
           options: dict[str, Any]) -> tuple[tuple[bytes, str], int | None, float]:
    """:func:`_answer`, with how much the process's peak resident memory grew while it ran (None
    where that cannot be measured) and how long it took, in seconds."""
    before: int | None = None
    try:
        trim = _trim()
        if trim is not None:
            trim(0)  # freed memory back: a run that reuses it shows in the peak too
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")  # the peak (VmHWM) starts again from what is resident now
        before = _status("VmRSS")
    except (OSError, ValueError):
        before = None
    started = time.perf_counter()
    value = _answer(store, checked, media, source, limit, options)
    seconds = time.perf_counter() - started
    grown: int | None = None
    if before is not None:
        try:
            grown = max(0, _status("VmHWM") - before)
        except (OSError, ValueError):
            grown = None
    return value, grown, seconds


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
        self._poller = select.poll()
        self._poller.register(self.conn.fileno(), select.POLLIN)

    def run(self, text: str, source: str, limit: int | None, timeout: float | None,
            options: dict[str, Any] | None = None) -> Result:
        return self._ask(("run", text, source, limit, options or {}, ""), source, timeout)  # type: ignore[no-any-return]

    def answer(self, checked: Checked, media: str, source: str, limit: int | None, timeout: float | None,
               options: dict[str, Any] | None = None) -> tuple[bytes, str]:
        """The body of the reply to a checked query in ``media``, and the cap that cut it."""
        return self._ask(("answer", checked, source, limit, options or {}, media), source, timeout)  # type: ignore[no-any-return]

    def probe(self, checked: Checked, media: str, source: str, limit: int | None, timeout: float | None,
              options: dict[str, Any] | None = None) -> tuple[tuple[bytes, str], int | None, float]:
        """:meth:`answer`, with the growth of the worker's peak memory (bytes, or None) and the
        seconds the run took in the worker."""
        return self._ask(("probe", checked, source, limit, options or {}, media), source, timeout)  # type: ignore[no-any-return]

    def _ask(self, message: tuple[Any, ...], source: str, timeout: float | None) -> Any:
        self.conn.send(message)
        # one poll object per worker: Connection.poll builds a selector on every call
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
                 memory: int | None = WORKER_MEMORY, local: bool = True,
                 proven_seconds: float = PROVEN_SECONDS, proven_memory: int = PROVEN_MEMORY):
        """Start ``size`` workers and wait until at least one has loaded the graph.

        Args:
            engine: "oxigraph" or "rdflib".
            ntriples: the graph.
            size: how many workers.
            timeout: seconds a query may run.
            memory: bytes of address space a worker may use (None: unbounded).
            local: run proven repeats in this process (see the module docstring; Oxigraph only,
                whose queries let other threads run).
            proven_seconds: a measured run at most this long proves its text.
            proven_memory: a measured run that grows its worker's peak memory by at most this
                many bytes proves its text.

        Raises:
            IapgraphError: no worker could start.
        """
        self.engine, self.ntriples, self.timeout, self.memory = engine, ntriples, timeout, memory
        self.name = engine
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: list[Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        self.failures: list[str] = []
        self._local_wanted = local and engine == "oxigraph"
        self._proven_seconds, self._proven_memory = proven_seconds, proven_memory
        self._local: Any = None  # this process's own store, loaded when the first text is proven
        self._local_loading = False
        self._proven: OrderedDict[tuple[Any, ...], None] = OrderedDict()
        self._seen: OrderedDict[int, None] = OrderedDict()  # hashes of texts seen once, not proven
        self._local_slots = threading.BoundedSemaphore(LOCAL_RUNS)
        self._counts = {"worker": 0, "local": 0}
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
        here, written in a worker (Oxigraph writes JSON and XML itself) under the time limit, or
        for a proven repeat in this process (see the module docstring), and which cap cut it
        ("rows", "bytes" or "").

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
        key = (checked, media, limit, tuple(sorted(options.items())))
        local = self._local
        if local is not None and key in self._proven and self._local_slots.acquire(blocking=False):
            try:  # a proven repeat: the same work as its proof, here (see the module docstring)
                with self._lock:
                    self._proven.move_to_end(key)
                    self._counts["local"] += 1
                return local.answer(checked, media, source, limit, **options)  # type: ignore[no-any-return]
            finally:
                self._local_slots.release()
        with self._lock:
            self._counts["worker"] += 1
            second = self._second_sight(key)
        if not second or len(checked.text) > PROVEN_TEXT_LENGTH or not repeatable(checked):
            return self._use(lambda worker, left: worker.answer(checked, media, source, limit, left, options),  # type: ignore[no-any-return]
                             source)
        value, grown, seconds = self._use(
            lambda worker, left: worker.probe(checked, media, source, limit, left, options), source)
        if grown is not None and grown <= self._proven_memory and seconds <= self._proven_seconds:
            self._prove(key)
        return value  # type: ignore[no-any-return]

    def _second_sight(self, key: tuple[Any, ...]) -> bool:
        """True when a text not yet proven is seen again (under the lock): its run is measured.
        A text seen once is not measured, so a text sent only once costs no measuring."""
        if not self._local_wanted or key in self._proven:
            return False
        mark = hash(key)  # a collision only measures a run that need not be
        if mark in self._seen:
            del self._seen[mark]
            return True
        self._seen[mark] = None
        while len(self._seen) > 4 * PROVEN_TEXTS:
            self._seen.popitem(last=False)
        return False

    @property
    def runs(self) -> dict[str, int]:
        """How many answers were computed by a worker ("worker") and by this process ("local")."""
        with self._lock:
            return dict(self._counts)

    def _prove(self, key: tuple[Any, ...]) -> None:
        with self._lock:
            self._proven[key] = None
            self._proven.move_to_end(key)
            while len(self._proven) > PROVEN_TEXTS:
                self._proven.popitem(last=False)
            if self._local is not None or self._local_loading or self._closed:
                return
            self._local_loading = True
        threading.Thread(target=self._load_local, name="iapgraph-local-store", daemon=True).start()

    def _load_local(self) -> None:
        """This process's own store (Oxigraph loads without holding the interpreter's lock)."""
        from .engines import OxigraphEngine

        try:
            store = OxigraphEngine(Path(self.ntriples))
        except Exception as exc:  # no local store: every query keeps going to the workers
            self.failures.append(f"local store: {exc}")
            return
        with self._lock:
            if not self._closed:
                self._local = store

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
            self._local = None
            workers, self._all = list(self._all), []
        for worker in workers:
            worker.stop()
