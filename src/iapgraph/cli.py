"""The ``iapgraph`` command line: a click group whose subcommands load only when called.

Subcommand modules live in :mod:`iapgraph.commands`; heavy libraries are imported inside the
command bodies, so ``iapgraph path`` starts without rdflib, pyvis or the SPARQL engines.
"""

from __future__ import annotations

import errno
import gc
import importlib
import importlib.util
import os
import sys
from typing import Any

_collecting = gc.isenabled()
gc.disable()  # as in iapgraph/__init__.py: importing makes no garbage for the collector to look for
try:  # a Ctrl-C during these imports ends the command with one line, not a traceback
    import click

    from ._version import __version__
    from .exceptions import CurationError, IapgraphError
except KeyboardInterrupt:
    from .exceptions import interrupted_while_importing

    interrupted_while_importing()
    raise
finally:
    if _collecting:
        gc.enable()

#: Subcommand name -> ``module:attribute`` of its click command.
COMMANDS: dict[str, str] = {
    "build": "iapgraph.commands.core:build",
    "validate": "iapgraph.commands.core:validate",
    "info": "iapgraph.commands.core:info",
    "resolve": "iapgraph.commands.core:resolve",
    "quotes": "iapgraph.commands.core:quotes",
    "query": "iapgraph.commands.sparql:query",
    "queries": "iapgraph.commands.sparql:queries",
    "serve": "iapgraph.commands.sparql:serve",
    "neighbors": "iapgraph.commands.paths:neighbors",
    "path": "iapgraph.commands.paths:path",
    "explain": "iapgraph.commands.paths:explain",
    "conflicts": "iapgraph.commands.paths:conflicts",
    "trial": "iapgraph.commands.core:trial",
    "viz": "iapgraph.commands.viz:viz",
    "export": "iapgraph.commands.export:export",
    "diff": "iapgraph.commands.diff:diff",
}


#: ``ctx.meta`` key: True when the command line runs as this process's program (LazyGroup.main).
PROGRAM_RUN = "iapgraph.program_run"


#: The commands whose program run ends with ``os._exit`` once its output is flushed (see
#: :func:`quick_exit`): read-only lookups that start no thread, worker process or server.
QUICK_EXIT = frozenset({"resolve", "path", "neighbors", "explain", "conflicts"})


def quick_exit(code: object) -> None:
    """End this process at once with ``code`` (``os._exit``), its output flushed, instead of
    tearing down what it loaded: freeing the dataset object by object, then every module, is
    about 3 ms of a cold lookup. Returns instead (the caller exits as usual) whenever a quick
    exit could differ from the usual one: a code that is not a number, a profiler or tracer
    (coverage) that has yet to write its report, another thread, a detached child still writing
    the cache (see :mod:`iapgraph.forks`), or output that cannot be flushed (a closed pipe)."""
    import threading

    if not (code is None or isinstance(code, int)) or sys.gettrace() is not None \
            or sys.getprofile() is not None or threading.active_count() > 1:
        return
    forks = sys.modules.get("iapgraph.forks")  # imported only where a cache was just built
    if forks is not None and forks.pending():
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code or 0)


def fail(message: str, code: int = 1) -> None:
    """Print one red line per message line on stderr and exit with ``code``."""
    for line in message.splitlines() or [message]:
        click.secho(f"error: {line}" if not line.startswith("error") else line, fg="red", err=True)
    sys.exit(code)


#: errors of a write that found no room or a failing device (a full disk, /dev/full)
_WRITE_ERRNOS = frozenset(getattr(errno, name) for name in ("ENOSPC", "EIO", "EFBIG", "EDQUOT")
                          if hasattr(errno, name))


def _output_failed(exc: OSError) -> bool:
    """True for a failed write of the output (no file named: standard output, whose files the
    command's own writers would name); standard output then goes to /dev/null, so that nothing
    tries to write the rest of it again at exit."""
    if exc.filename is not None or exc.errno not in _WRITE_ERRNOS:
        return False
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass
    return True


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand runs, and turns
    iapgraph's own errors into one-line messages instead of tracebacks."""

    #: Set by :meth:`main`: this process runs the command line as its program.
    program_run = False
    #: Set by :meth:`invoke`: the subcommand that ran.
    ran: str | None = None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(n for n, t in COMMANDS.items()
                      if importlib.util.find_spec(t.partition(":")[0]) is not None)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        if importlib.util.find_spec(module) is None:
            return None
        collecting = gc.isenabled()
        gc.disable()  # the command's modules: no garbage to look for while they import
        try:
            return getattr(importlib.import_module(module), attr)
        finally:
            if collecting:
                gc.enable()

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Run the command line; ``args`` None means this process's own argv: a program run (the
        ``iapgraph`` script, ``python -m iapgraph``), never a test's runner or a library call.
        Then what is imported by now lives as long as the process, and ``gc.freeze()`` spares
        the collector walking it again (about 5 ms of a cold lookup); so does the loaded graph
        (see :func:`iapgraph.options.load_graph`). A lookup's program run ends with
        :func:`quick_exit`."""
        self.program_run = args is None
        if not self.program_run:
            return super().main(args, *rest, **kwargs)
        gc.freeze()
        try:
            return super().main(args, *rest, **kwargs)
        except SystemExit as done:
            if self.ran in QUICK_EXIT:
                quick_exit(done.code)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        ctx.meta[PROGRAM_RUN] = self.program_run
        try:
            return super().invoke(ctx)
        except CurationError as exc:
            fail(str(exc), exc.exit_code)
        except IapgraphError as exc:
            fail(str(exc), exc.exit_code)
        except BrokenPipeError:
            sys.exit(0)
        except OSError as exc:
            if not _output_failed(exc):
                raise
            fail(f"cannot write the output: {exc.strerror or exc}", 1)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        finally:
            self.ran = ctx.invoked_subcommand


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="iapgraph")
def main() -> None:
    """iapgraph: a curated, citable knowledge graph of IAP signaling in cancer.

    Every statement carries a verbatim quote from the review, its section and the study it cites.
    """
