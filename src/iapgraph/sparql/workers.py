"""Queries with a time limit: engines in worker processes that are killed when a query overruns.

Neither Oxigraph nor rdflib can cancel a running query, and a thread cannot be stopped, so the
HTTP endpoint (and the benchmark's capped rdflib runs) send each query to a worker process over
a pipe and kill the worker when the answer does not come in time; a fresh one replaces it.

A worker runs on jemalloc where the system has it (Debian's libjemalloc2; ``serve --worker-malloc``):
a quarter of a query's time in glibc's malloc, and queries answer in about 15% less time on
jemalloc (docs/benchmarks.md). The library is preloaded (``LD_PRELOAD``) into the worker process
only; the program that starts the workers keeps its own allocator.

A worker is fenced in where Linux allows it: it leaves the network (a network namespace of its
own, so no SERVICE, whatever the text, can connect anywhere), its memory is bounded (an answer
that grows past the bound kills the worker, not the machine), and it dies with its parent
(parent-death signal; workers are started from one long-lived thread, because the signal
follows the thread that started the process).
"""

from __future__ import annotations

import asyncio
import collections
import functools
import math
import multiprocessing as mp
import os
import pickle
import queue
import select
import shutil
import socket
import struct
import sys
import tempfile
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..exceptions import (
    IapgraphError,
    QueryTimeout,
    UsageError,
    WorkerCrashed,
)
from .fence import fence, rebuild_error
from .results import Result
from .text import Checked

WORKER_MEMORY = 4 << 30  # bytes of address space a worker may use (serve --worker-memory)
MALLOC_CHOICES = ("auto", "jemalloc", "system")  # serve --worker-malloc


@functools.cache
def jemalloc() -> str | None:
    """The name of the system's jemalloc library (``libjemalloc.so.2``), None where there is none
    or where LD_PRELOAD does not apply (not Linux)."""
    import ctypes.util

    return ctypes.util.find_library("jemalloc") if sys.platform.startswith("linux") else None


def preload(malloc: str) -> str | None:
    """What to preload into a worker for the allocator ``malloc`` (one of :data:`MALLOC_CHOICES`).

    Args:
        malloc: "auto" (jemalloc where installed, else the system's), "jemalloc" or "system".

    Returns:
        The library to preload, or None for the system's allocator.

    Raises:
        UsageError: "jemalloc" asked for where it is not installed, or an unknown choice.
    """
    if malloc == "system":
        return None
    if malloc not in MALLOC_CHOICES:
        raise UsageError(f"unknown allocator {malloc!r}: choose one of {', '.join(MALLOC_CHOICES)}")
    found = jemalloc()
    if found is None and malloc == "jemalloc":
        raise UsageError("jemalloc is not installed (Debian: apt-get install libjemalloc2); "
                         "use --worker-malloc system or auto")
    return found


def _allocator() -> str:
    """The allocator this process runs on: "jemalloc" when its library is mapped, else "system"."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            return "jemalloc" if any("libjemalloc" in line for line in maps) else "system"
    except OSError:
        return "system"


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
    conn.send(("ready", len(store), _allocator()))
    pipe = socket.socket(fileno=conn.fileno())  # read with recvmsg: a message may carry a client's socket
    try:
        _serve(pipe, store)
    finally:
        pipe.detach()  # the Connection owns the descriptor


def _receive(pipe: socket.socket) -> tuple[Any, list[int]]:
    """One message as :func:`_frame` framed it, and the descriptors sent along with it."""
    fds: list[int] = []
    head = b""
    while len(head) < 4:
        data, got, _, _ = socket.recv_fds(pipe, 4 - len(head), 4)
        if not data:
            raise EOFError
        head += data
        fds += got
    found = _header(head)
    if found is None:  # 2 GiB or more: the size follows
        found = _header(head + _exactly(pipe, 8))
    assert found is not None
    return pickle.loads(_exactly(pipe, found[1])), fds


def _exactly(pipe: socket.socket, size: int) -> bytes:
    buffer = bytearray(size)
    view, done = memoryview(buffer), 0
    while done < size:
        got = pipe.recv_into(view[done:])
        if not got:
            raise EOFError
        done += got
    return bytes(buffer)


def _write_reply(fd: int, head: tuple[bytes, bytes, bytes, bytes, bool], body: bytes, cut: str) -> tuple[int, bytes]:
    """Write the HTTP reply to the client's socket (shared with the server, which does not write
    to it meanwhile) as far as it takes it without waiting; what it did not take is returned for
    the server to write. ``head``: the status line and headers up to Content-Length, the
    truncation headers for a cut by rows and by bytes, the end of the headers, and whether the
    request was HEAD (no body). The descriptor is closed."""
    start, by_rows, by_bytes, end, bare = head
    data = b"".join((start, b"Content-Length: %d\r\n" % len(body),
                     by_bytes if cut == "bytes" else by_rows if cut else b"", end, b"" if bare else body))
    try:
        sent = os.write(fd, data)  # non-blocking (the flag is the server's): never waits for a client
    except BlockingIOError:
        sent = 0
    except OSError:
        sent = len(data)  # the client is gone (EPIPE, ECONNRESET): nothing more to write
    finally:
        os.close(fd)
    return len(body), data[sent:]


def _serve(pipe: socket.socket, store: Any) -> None:
    def send(message: Any) -> None:  # as Connection.send frames it, with the C pickler
        pipe.sendall(_frame(message))

    while True:
        try:
            message, fds = _receive(pipe)
        except (EOFError, OSError):
            return
        if message is None:
            return
        kind, query, source, limit, options, media, *extra = message
        try:
            if kind == "answer":  # checked by the server: the body of its reply, written here
                body, cut = _answer(store, query, media, source, limit, options)
                if fds:  # the client's socket came along: the reply goes straight to it
                    send(("ok", ("sent", cut, *_write_reply(fds.pop(), extra[0], body, cut))))
                else:
                    send(("ok", (body, cut)))
            else:
                send(("ok", store.run(query, source, limit, **options)))
        except IapgraphError as exc:
            send(("error", type(exc).__name__, str(exc)))
        except MemoryError:
            send(("error", "WorkerCrashed", f"{source}: the query needed more memory than a worker "
                                            "may use; ask for less (LIMIT, fewer joins)"))
        except Exception as exc:
            send(("error", "IapgraphError", f"{source}: query failed: {exc}"))
        finally:
            for fd in fds:
                os.close(fd)


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

    def start(self, process: Any, library: str | None = None) -> None:
        """Start ``process`` from the long-lived thread, with ``library`` in its LD_PRELOAD."""
        begin = process.start if library is None else functools.partial(_with_preload, process, library)
        if threading.current_thread() is threading.main_thread():
            begin()
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="iapgraph-worker-starter", daemon=True)
                self._thread.start()
        done: queue.Queue[BaseException | None] = queue.Queue()
        self._jobs.put((begin, done))
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
_ENVIRONMENT = threading.Lock()  # LD_PRELOAD is set for one process start at a time


def _with_preload(process: Any, library: str) -> None:
    """Start ``process`` (spawned: a new program, which reads its environment at exec) with
    ``library`` preloaded; this process's environment is as it was afterwards."""
    with _ENVIRONMENT:
        before = os.environ.get("LD_PRELOAD")
        os.environ["LD_PRELOAD"] = f"{library} {before}" if before else library
        try:
            process.start()
        finally:
            if before is None:
                del os.environ["LD_PRELOAD"]
            else:
                os.environ["LD_PRELOAD"] = before


class Worker:
    """One engine in its own process, fenced (see the module docstring), the graph loaded.

    Args:
        engine: "oxigraph" or "rdflib".
        ntriples: the graph's N-Triples file.
        start_timeout: seconds the worker may take to load the graph.
        memory: bytes of address space it may use (None: unbounded).
        malloc: its allocator, one of :data:`MALLOC_CHOICES`.

    Raises:
        QueryTimeout: it did not load the graph in time.
        IapgraphError: it could not load the graph, or exited.
        UsageError: ``malloc`` cannot be had (see :func:`preload`).
    """

    def __init__(self, engine: str, ntriples: Path, start_timeout: float = 600.0,
                 memory: int | None = WORKER_MEMORY, malloc: str = "auto"):
        library = preload(malloc)
        ctx = mp.get_context("spawn")  # never fork a process that holds a Rust store
        self._kill_lock = threading.Lock()
        self._killed = False
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, engine, str(ntriples), os.getpid(), memory),
                                   daemon=True)
        _STARTER.start(self.process, library)
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
        self.allocator = str(rest[1])  # what the worker runs on: "jemalloc" or "system"
        if malloc == "jemalloc" and self.allocator != "jemalloc":  # asked for, and not had: said, not hidden
            self.stop()
            raise UsageError(f"the query worker did not load {library} (LD_PRELOAD); use --worker-malloc "
                             "system or auto")
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


class _Job:
    """One query waiting for, or running in, a worker of a :class:`WorkerPool`."""

    __slots__ = ("callback", "client", "frame", "queued", "source", "timer")

    def __init__(self, frame: bytes, source: str, callback: Callable[[Any, BaseException | None], None],
                 queued: float, client: int | None):
        self.frame, self.source, self.callback, self.queued = frame, source, callback, queued
        self.client = client  # the client's socket, passed to the worker with the query
        self.timer: asyncio.TimerHandle | None = None

    def finish(self, result: Any, error: BaseException | None) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        callback, self.callback = self.callback, _ignore  # once: a late reply after a timeout is dropped
        callback(result, error)


def _ignore(result: Any, error: BaseException | None) -> None:
    return None


def _header(head: bytes | bytearray) -> tuple[int, int] | None:
    """Where a framed message's pickle starts and its size, from the frame's first bytes (4, or
    12 for 2 GiB or more); None while too few are there."""
    if len(head) < 4:
        return None
    (size,) = struct.unpack_from("!i", head)
    if size != -1:
        return 4, size
    if len(head) < 12:
        return None
    return 12, struct.unpack_from("!Q", head, 4)[0]


def _frame(message: Any) -> bytes:
    """A message as :class:`multiprocessing.connection.Connection` frames it (so its ``recv`` reads
    it, as :func:`_receive` and :class:`_Channel` do): a 4-byte big-endian length (-1 then 8 bytes
    for 2 GiB or more) and the pickle. The server's messages to a worker and a worker's replies."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    if len(payload) > 0x7FFFFFFF:
        return struct.pack("!iQ", -1, len(payload)) + payload
    return struct.pack("!i", len(payload)) + payload


_PASSED = 32_768  # bytes: a message with a client's socket goes in one piece into the worker's empty pipe


class _Channel(asyncio.Protocol):
    """The server's end of one worker's pipe, read and written by the event loop."""

    def __init__(self, pool: WorkerPool, worker: Worker):
        self.pool, self.worker = pool, worker
        self.transport: asyncio.Transport | None = None
        self.job: _Job | None = None
        self._buffer = bytearray()
        self.lost = False
        self.raw: socket.socket | None = None  # the pipe, to send a descriptor along with a message

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        while (found := _header(buffer)) is not None:
            start, size = found
            if len(buffer) < start + size:
                return
            reply = pickle.loads(memoryview(buffer)[start:start + size])
            del buffer[:start + size]
            self.pool._reply(self, reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self.pool._lost(self)

    def send(self, frame: bytes, client: int | None = None) -> None:
        """Send a message, with the client's socket when ``client`` is given and the message goes
        in one piece (else without it: the worker then returns the body for the server to write)."""
        assert self.transport is not None
        if client is not None and self.raw is not None and len(frame) <= _PASSED and \
                not self.transport.get_write_buffer_size():  # nothing of an earlier message waits
            try:
                sent = socket.send_fds(self.raw, [frame], [client])
            except OSError:  # BlockingIOError (a full pipe), or no descriptor passing here
                sent = 0
            if sent:
                if sent < len(frame):
                    self.transport.write(frame[sent:])  # the descriptor went with the first part
                return
        self.transport.write(frame)

    def close(self) -> None:
        """Drop the pipe (both names of it) at once."""
        if self.transport is not None:
            self.transport.abort()
        if self.raw is not None:
            self.raw.close()
            self.raw = None


def _sweep(where: Path) -> None:
    """Remove the ``.pool-PID-*`` folders in ``where`` whose process is gone."""
    try:
        found = list(where.glob(".pool-*-*"))
    except OSError:
        return
    for folder in found:
        pid = folder.name.split("-")[1]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:  # gone (a live process of another user: PermissionError, kept)
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _keep(ntriples: Path) -> tuple[Path, Path | None]:
    """The graph's N-Triples under a name of the pool's own, and the folder holding it: the user
    cache drops all but its newest graphs when other graphs are built, and a worker that replaces
    one (after a time limit, a crash) loads the graph again, hours later perhaps. A hard link in a
    folder beside the file (a copy in the system's temporary folder where that cannot be made).
    The folder's name holds this process's id: folders left by a server that was killed (SIGKILL
    leaves no time to remove them) are removed by the next pool made beside them."""
    for where in (ntriples.parent, None):
        _sweep(Path(where or tempfile.gettempdir()))
        try:
            folder = Path(tempfile.mkdtemp(prefix=f".pool-{os.getpid()}-", dir=where))
        except OSError:
            continue
        target = folder / ntriples.name
        try:
            try:
                os.link(ntriples, target)
            except OSError:
                shutil.copyfile(ntriples, target)
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            continue
        return target, folder
    return ntriples, None  # nowhere to keep it: the file as it is


class WorkerPool:
    """A few workers serving queries concurrently, each query under ``timeout`` seconds, driven by
    an asyncio event loop: the workers start (and load the graph) when the pool is made;
    :meth:`attach` gives it the loop; :meth:`submit` (from that loop's thread) sends a query to a
    free worker, or queues it, and calls back with the answer. Nothing here blocks the loop: a
    worker that overruns is killed and a new one starts in a thread.

    Args:
        engine: "oxigraph" or "rdflib".
        ntriples: the graph's N-Triples file (kept under a name of the pool's own while it lives).
        size: workers.
        timeout: seconds a query may run (and wait for a free worker).
        memory: bytes of address space each worker may use.
        malloc: the workers' allocator, one of :data:`MALLOC_CHOICES`.

    Raises:
        IapgraphError: no worker could start.
        UsageError: ``malloc`` cannot be had (see :func:`preload`).
    """

    def __init__(self, engine: str, ntriples: Path, size: int = 2, timeout: float = 10.0,
                 memory: int | None = WORKER_MEMORY, malloc: str = "auto"):
        preload(malloc)  # UsageError before any worker starts
        self.engine, self.timeout, self.memory, self._malloc = engine, timeout, memory, malloc
        self.ntriples, self._kept = _keep(ntriples)  # a worker started later must find the file
        self.name = engine
        self.size = max(1, size)
        self._started: list[Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._idle: collections.deque[_Channel] = collections.deque()
        self._waiting: collections.deque[_Job] = collections.deque()
        self._channels: list[_Channel] = []
        self.failures: list[str] = []
        starters = [threading.Thread(target=self._start) for _ in range(self.size)]
        for t in starters:
            t.start()
        for t in starters:
            t.join()
        if not self._started:
            self._drop()
            raise IapgraphError(f"could not start any {engine} worker: {'; '.join(self.failures)}")
        self.triples = self._started[0].triples
        self.allocator = self._started[0].allocator  # what the workers run on: "jemalloc" or "system"

    def _start(self) -> Worker | None:
        try:
            worker = Worker(self.engine, self.ntriples, memory=self.memory, malloc=self._malloc)
        except (IapgraphError, OSError, RuntimeError) as exc:
            self.failures.append(str(exc))
            return None
        with self._lock:
            if self._closed:
                worker.stop()
                return None
            self._started.append(worker)
        return worker

    async def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Drive the pool from ``loop`` (call once, in that loop): each worker's pipe becomes a
        transport of the loop.

        Args:
            loop: the running event loop of the server.
        """
        self._loop = loop
        with self._lock:
            workers, self._started = self._started, []
        for worker in workers:
            await self._connect(worker)

    async def _connect(self, worker: Worker) -> None:
        assert self._loop is not None
        sock = socket.socket(fileno=os.dup(worker.conn.fileno()))
        worker.conn.close()  # the transport owns the pipe from now on
        _, channel = await self._loop.connect_accepted_socket(lambda: _Channel(self, worker), sock)
        channel.raw = socket.socket(fileno=os.dup(sock.fileno()))  # sends a client's socket along
        self._channels.append(channel)
        self._release(channel)

    def submit(self, checked: Checked, media: str, source: str, limit: int | None,
               options: dict[str, Any], callback: Callable[[Any, BaseException | None], None],
               client: int | None = None, head: tuple[bytes, bytes, bytes, bytes, bool] | None = None) -> None:
        """Answer a query that passed :func:`~iapgraph.sparql.text.check_local` in a worker, as
        the body of the HTTP reply in ``media``; ``callback(result, error)`` is called once, in the
        loop's thread, with ``(body, cap)`` (the cap that cut it: "rows", "bytes" or "") or the
        error. With ``client`` and ``head``, the worker may write the reply to the client's socket
        itself (one hop fewer): the result is then ``("sent", cap, body size, rest)``, ``rest``
        being what the socket did not take at once, for the server to write.

        Args:
            checked: what check_local returned; its text is run as it is.
            media: the negotiated media type.
            source: the query's name in messages.
            limit: at most this many rows.
            options: ``max_bytes`` and ``dataset``, as for the engine's ``answer``.
            callback: called with the result, or with the error: QueryTimeout (no worker free in
                time, or over the time limit: the worker is replaced), WorkerCrashed (the worker
                died: its memory bound; a new one starts), or the query's own IapgraphError.
            client: the descriptor of the client's socket, which nothing else writes meanwhile.
            head: what the worker needs to write the reply (see ``_write_reply``).
        """
        assert self._loop is not None, "attach the pool to the server's loop first"
        job = _Job(_frame(("answer", checked, source, limit, options, media, head)), source, callback,
                   self._loop.time(), client)
        if self._idle:
            self._run(self._idle.popleft(), job)
            return
        self._waiting.append(job)
        job.timer = self._loop.call_later(self.timeout, self._busy, job)

    def _busy(self, job: _Job) -> None:
        try:
            self._waiting.remove(job)
        except ValueError:
            return
        job.timer = None
        job.finish(None, QueryTimeout(f"busy: no worker free within {self.timeout:g} s"))

    def _run(self, channel: _Channel, job: _Job) -> None:
        assert self._loop is not None
        if job.timer is not None:
            job.timer.cancel()
        left = max(0.1, self.timeout - (self._loop.time() - job.queued))
        channel.job = job
        job.timer = self._loop.call_later(left, self._overrun, channel, job)
        channel.send(job.frame, job.client)

    def _release(self, channel: _Channel) -> None:
        """A free worker takes the oldest waiting query, or waits for one."""
        if self._closed or channel.lost:
            return
        if self._waiting:
            self._run(channel, self._waiting.popleft())
        else:
            self._idle.append(channel)

    def _reply(self, channel: _Channel, reply: tuple[Any, ...]) -> None:
        job, channel.job = channel.job, None
        status, *rest = reply
        if job is not None:
            if status == "ok":
                job.finish(rest[0], None)
            else:
                job.finish(None, rebuild_error(rest[0], rest[1]))
        self._release(channel)

    def _overrun(self, channel: _Channel, job: _Job) -> None:
        if channel.job is not job:
            return
        job.timer = None
        job.finish(None, QueryTimeout(f"{job.source}: stopped after the {self.timeout:g} s time limit"))
        self._replace(channel)

    def _lost(self, channel: _Channel) -> None:
        job, channel.job = channel.job, None
        if job is not None:
            job.finish(None, WorkerCrashed(f"{job.source}: the query worker died (out of memory?); a new "
                                           "one is starting"))
        self._replace(channel)

    def _replace(self, channel: _Channel) -> None:
        """Kill a worker (it overran or died) and start another in a thread, off the loop."""
        if channel in self._channels:
            self._channels.remove(channel)
        else:
            return  # already replaced
        try:
            self._idle.remove(channel)
        except ValueError:
            pass
        channel.job = None
        channel.close()
        assert self._loop is not None
        self._loop.run_in_executor(None, channel.worker.kill)
        if not self._closed:
            self._loop.create_task(self._restart())

    async def _restart(self) -> None:
        assert self._loop is not None
        worker = await self._loop.run_in_executor(None, self._start)
        if worker is None:
            return
        with self._lock:
            if worker in self._started:  # not when close() took it meanwhile
                self._started.remove(worker)
        if self._closed:
            worker.stop()
            return
        await self._connect(worker)

    def close(self) -> None:
        """Stop every worker (from any thread, once the loop no longer runs)."""
        with self._lock:
            self._closed = True
            started, self._started = self._started, []
        for worker in started:
            worker.stop()
        channels, self._channels = self._channels, []
        loop_open = self._loop is not None and not self._loop.is_closed()
        for channel in channels:
            if loop_open:  # a closed loop closes nothing more
                channel.close()
            channel.worker.kill()  # the worker goes, and the pipe with this process
        self._drop()

    def _drop(self) -> None:
        if self._kept is not None:
            shutil.rmtree(self._kept, ignore_errors=True)
            self._kept = None
