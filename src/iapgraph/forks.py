"""Work done beside the main process, on the machine's other core: a forked child that runs one
function and reports back (:func:`start`), or one that is left to finish on its own (:func:`detach`).

A build of a large graph has three long steps that need not wait for one another: writing the
N-Triples, serialising the same triples as Turtle (pyoxigraph holds the interpreter lock while it
does, so a thread would not help), and pickling the validated dataset into the user cache. Forking
gives each its own interpreter over the same memory, shared until written.

A child is forked only where that is safe: on a system with ``fork``, from a process with no other
thread running (a forked copy of a threaded program can deadlock on a lock another thread held),
and unless ``IAPGRAPH_SERIAL`` is set. Otherwise :func:`available` is False and callers do the work
in order, in this process, with the same result.

A child dies with its parent (Linux), takes Ctrl-C as a plain signal, never runs the parent's exit
handlers or flushes its buffered output, and reports a failure as the ``OSError`` it met (errno and
message), which :meth:`Child.wait` raises in the parent.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1
_detached: list[int] = []


def available() -> bool:
    """Whether work may go to a forked child here (see the module's notes)."""
    return (hasattr(os, "fork") and threading.active_count() == 1
            and not os.environ.get("IAPGRAPH_SERIAL"))


def _in_child(work: Callable[[], None], report: int) -> None:
    """Run ``work`` in the child; exit 0, or write "errno<TAB>message" to ``report`` and exit 1."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if sys.platform.startswith("linux"):
            try:
                import ctypes
                import ctypes.util

                libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
                libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            except (OSError, AttributeError):
                pass
        work()
        code = 0
    except OSError as exc:
        os.write(report, f"{exc.errno or 0}\t{exc.strerror or exc}".encode(errors="replace")[:4000])
    except BaseException as exc:
        os.write(report, f"0\t{type(exc).__name__}: {exc}".encode(errors="replace")[:4000])
    finally:
        os._exit(code)


class Child:
    """A forked child running one function; :meth:`wait` for its end."""

    def __init__(self, work: Callable[[], None]):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            _in_child(work, write)
        os.close(write)
        self.pid, self._report = pid, read
        self._done = False

    def wait(self) -> None:
        """Wait for the child to end.

        Raises:
            OSError: what the child met (its errno and message), or a crash (a signal).
        """
        if self._done:
            return
        self._done = True
        with os.fdopen(self._report, "rb") as fh:
            message = fh.read().decode(errors="replace")
        _, status = os.waitpid(self.pid, 0)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            return
        if message:
            number, _, text = message.partition("\t")
            raise OSError(int(number) if number.isdigit() and int(number) else None, text)
        raise OSError(None, f"the writing process ended with status {status}")

    def kill(self) -> None:
        """Stop the child (when the parent gives up) and reap it."""
        if not self._done:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.wait()
            except OSError:
                pass


def start(work: Callable[[], None]) -> Child:
    """Run ``work`` in a forked child (call only when :func:`available`)."""
    return Child(work)


def detach(work: Callable[[], None]) -> None:
    """Run ``work`` in a forked child that this process does not wait for, except at its exit (so
    a command does not end before, say, its cache file is written). Its failure is ignored: use it
    for work whose loss costs only time (a cache)."""
    child = Child(work)
    os.close(child._report)
    child._done = True
    if not _detached:
        atexit.register(_reap)
    _detached.append(child.pid)


def pending() -> bool:
    """Whether a detached child may still be running (this process waits for it at its exit)."""
    return bool(_detached)


def _reap() -> None:
    while _detached:
        pid = _detached.pop()
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
