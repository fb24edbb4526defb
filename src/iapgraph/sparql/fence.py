"""The fence around a query: a process that has left the network, dies with its parent and has
bounded memory, and a forked copy of this process in that fence for the embedded engine of a
plain ``iapgraph query`` (the workers of ``serve`` and ``--timeout`` use the same fence).

Kept apart from :mod:`iapgraph.sparql.workers` so that a plain query does not import
multiprocessing.
"""

from __future__ import annotations

import os
import signal
from typing import Any

from ..exceptions import (
    IapgraphError,
    QuerySyntaxError,
    ReadOnlyError,
    ServiceRefused,
    UsageError,
    WorkerCrashed,
    WorkerError,
)
from .results import Result

_CLONE_NEWNET, _CLONE_NEWUSER, _PR_SET_PDEATHSIG = 0x40000000, 0x10000000, 1


def _libc() -> Any:
    import ctypes
    import ctypes.util

    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def fence(parent: int, memory: int | None) -> str:
    """Die with the parent, leave the network, bound memory; what could be done, for the log."""
    done = []
    try:
        libc = _libc()
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            done.append("dies with its parent")
        if os.getppid() != parent:  # the parent died before the signal was set
            os._exit(1)
        uid, gid = os.getuid(), os.getgid()
        if libc.unshare(_CLONE_NEWNET) == 0:
            done.append("no network")
        elif libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:  # unprivileged: map ourselves
            for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
                try:
                    with open(f"/proc/self/{name}", "w") as handle:
                        handle.write(text)
                except OSError:
                    pass
            done.append("no network")
    except (OSError, AttributeError):  # not Linux: the parse-time refusal is the only fence
        pass
    if memory:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            done.append(f"{memory >> 20} MiB")
        except (ImportError, ValueError, OSError):
            pass
    return ", ".join(done)


def rebuild_error(kind: str, message: str) -> IapgraphError:
    """The error a fenced process reported (its class name and message), as this side's class."""
    if kind == "QuerySyntaxError":
        # "source:line:col: syntax error: cause" -> the same error, rebuilt from its parts
        head, _, cause = message.partition(": syntax error: ")
        source, line, column = head.rsplit(":", 2)
        return QuerySyntaxError(source, int(line), int(column), cause)
    if kind == "ReadOnlyError":
        return ReadOnlyError(message)
    if kind == "ServiceRefused":
        return ServiceRefused(message)
    if kind == "WorkerCrashed":
        return WorkerCrashed(message)
    if kind == "UsageError":
        return UsageError(message)
    return WorkerError(kind, message)


class FencedEngine:
    """An embedded engine whose every query runs in a forked copy of this process that has left
    the network first (``iapgraph query`` without --timeout): the parse-time refusal of SERVICE
    is then not the only thing between a query and the network. The store stays loaded in this
    process; the copy shares it (fork, copy-on-write), answers over a pipe and exits. Where
    there is no fork (not POSIX) the query runs here, with the parse-time refusal as its fence.
    """

    def __init__(self, inner: Any):
        self.inner = inner
        self.name = inner.name

    def run(self, text: str, source: str = "query", limit: int | None = None, **options: Any) -> Result:
        """Answer one query in a fenced child (see the class); the same arguments, answer and
        errors as the engine it wraps.

        Raises:
            WorkerCrashed: the child died without an answer (killed, out of memory).
            IapgraphError: what the wrapped engine raised, rebuilt from the child's message.
        """
        if not hasattr(os, "fork"):
            result: Result = self.inner.run(text, source, limit, **options)
            return result
        import pickle

        parent = os.getpid()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: fence, answer, exit without running the parent's clean-up
            status = 1
            try:
                os.close(read)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent answers Ctrl-C
                fence(parent, None)
                try:
                    message: tuple[Any, ...] = ("ok", self.inner.run(text, source, limit, **options))
                except IapgraphError as exc:
                    message = ("error", type(exc).__name__, str(exc))
                except MemoryError:
                    message = ("error", "WorkerCrashed", f"{source}: the query needed more memory than "
                                                         "there is; ask for less (LIMIT, fewer joins)")
                except Exception as exc:
                    message = ("error", "IapgraphError", f"{source}: query failed: {exc}")
                with os.fdopen(write, "wb") as pipe:
                    pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        try:
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
        except BaseException:  # Ctrl-C while waiting: the child goes too
            os.kill(pid, signal.SIGKILL)
            raise
        finally:
            os.waitpid(pid, 0)
        if not data:
            raise WorkerCrashed(f"{source}: the query process died without an answer (out of memory?)")
        answer = pickle.loads(data)
        if answer[0] == "ok":
            done: Result = answer[1]
            return done
        raise rebuild_error(answer[1], answer[2])
