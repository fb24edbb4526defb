"""One exception hierarchy: the CLI turns any IapgraphError into one red line and exit code 1 or 2.

Every error class iapgraph raises on purpose is defined here (tests/test_architecture.py checks),
and so is the one way of suggesting names (:func:`suggest`, :func:`did_you_mean`).

>>> did_you_mean("XIAPP", ["XIAP", "Livin", "NAIP"])
'; did you mean: XIAP?'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def interrupted_while_importing() -> None:
    """Answer a Ctrl-C that landed while the ``iapgraph`` command was still importing.

    In the command (the console script, or ``python -m iapgraph``) it prints one line and exits
    with 130, as a Ctrl-C later does; in any other program it returns, and the caller re-raises
    the KeyboardInterrupt (a library must not swallow it).

    Raises:
        SystemExit: with code 130, in the ``iapgraph`` command.
    """
    import itertools
    import os
    import sys

    argv = list(getattr(sys, "orig_argv", sys.argv))
    command = os.path.basename(sys.argv[0]) in ("iapgraph", "iapgraph.exe") or any(
        a == "-m" and b == "iapgraph" for a, b in itertools.pairwise(argv))
    if command:
        sys.stderr.write("error: interrupted\n")
        raise SystemExit(130)


def suggest(name: str, known: Iterable[str], *, n: int = 3, cutoff: float = 0.6,
            stems: bool = False) -> list[str]:
    """The known names closest to ``name`` (difflib's ratio), best first.

    Args:
        name: what the user wrote.
        known: the names it could have meant.
        n: at most this many suggestions.
        cutoff: the least similarity (0-1) a suggestion needs.
        stems: when nothing is close, fall back to known names containing a stem of ``name``
            (``inhibts`` -> ``inhibits``).

    Returns:
        Up to ``n`` names; empty when none is close.
    """
    import difflib

    options = list(known)
    found = difflib.get_close_matches(name, options, n=n, cutoff=cutoff)
    if not found and stems:
        parts = [stem for stem in (name, name[:-1], name[:-2]) if len(stem) >= 4]
        found = [k for k in options if any(stem in k for stem in parts)][:n]
    return found


def did_you_mean(name: str, known: Iterable[str], *, n: int = 3, cutoff: float = 0.6,
                 stems: bool = False, sep: str = ", ", otherwise: str = "") -> str:
    """``"; did you mean: A, B?"`` for the names closest to ``name``, else ``otherwise``.

    Args:
        name: what the user wrote.
        known: the names it could have meant.
        n: at most this many suggestions.
        cutoff: the least similarity a suggestion needs.
        stems: see :func:`suggest`.
        sep: between suggestions (``"; "`` when the names contain commas).
        otherwise: the text when nothing is close.

    Returns:
        The hint, ready to append to a message.
    """
    found = suggest(name, known, n=n, cutoff=cutoff, stems=stems)
    return f"; did you mean: {sep.join(found)}?" if found else otherwise


class IapgraphError(Exception):
    """Base of every error iapgraph raises on purpose; its message is one line for the user."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One located problem in the curated data, printed as ``file:line: field: message``."""

    file: str
    line: int
    field: str
    message: str
    code: str = "invalid"
    level: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return _one_line(f"{where}: {self.field}: {self.message}")


#: Characters that would break a problem's one line (str.splitlines splits on all of them) or hide in
#: it: C0/C1 controls but tab, the line and paragraph separators; printed as \uXXXX escapes.
_BREAKERS = {c: f"\\u{c:04x}" for c in [*range(0x09), *range(0x0A, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]}


def _one_line(text: str) -> str:
    """``text`` with every control or line-separating character written as an escape."""
    return text.translate(_BREAKERS)


class CurationError(IapgraphError):
    """The curated files have problems; ``problems`` holds all of them, not just the first."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownEntity(IapgraphError, KeyError):
    """A name that resolves to no entity; the message suggests the closest known names."""

    exit_code = 2

    def __init__(self, name: str, suggestions: Sequence[str] = ()):
        self.name = name
        self.suggestions = list(suggestions)
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown entity {name!r}{hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class UsageError(IapgraphError):
    """A bad argument or option value that is not a name."""

    exit_code = 2


class OutputError(IapgraphError):
    """An output file could not be written; nothing was left half-written."""


class ShaclError(IapgraphError):
    """The built graph breaks the shapes; ``violations`` holds every result, one per line."""

    def __init__(self, violations: Sequence[object]):
        self.violations = list(violations)
        lines = [f"SHACL: {len(violations)} violation{'s' * (len(violations) != 1)} of the shapes",
                 *(str(v) for v in violations)]
        super().__init__("\n".join(lines))


class UnknownQuery(IapgraphError):
    """A query name that is neither in the library nor a file; suggests the closest names."""

    exit_code = 2

    def __init__(self, name: str, suggestions: list[str]):
        self.name, self.suggestions = name, suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else \
            "; `iapgraph queries` lists the library"
        super().__init__(f"unknown query {name!r}{hint}")


class QuerySyntaxError(IapgraphError):
    """A query that does not parse; the message is one line with source, line, column and cause."""

    exit_code = 2

    def __init__(self, source: str, line: int, column: int, message: str):
        self.source, self.line, self.column = source, line, column
        super().__init__(f"{source}:{line}:{column}: syntax error: {message}")


class RefusedQuery(IapgraphError):
    """A query the graph will not run: a write, or a request to reach another server."""

    exit_code = 2


class ReadOnlyError(RefusedQuery):
    """SPARQL UPDATE (or any write) sent to the read-only graph."""


class ServiceRefused(RefusedQuery):
    """A federated ``SERVICE`` clause: the embedded engines would fetch from the network."""


class EndpointError(IapgraphError):
    """A remote SPARQL endpoint that cannot be reached or refuses the query."""


class QueryTimeout(IapgraphError):
    """A query that did not finish within the time limit (its worker was stopped)."""


class WorkerCrashed(IapgraphError):
    """A query worker that died (its memory bound, a crash): the server's fault, not the query's."""


class WorkerError(IapgraphError):
    """A query that failed inside a worker; ``kind`` keeps the original class name."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


class IapgraphWarning(UserWarning):
    """Something the answer lacks on purpose (a cap cut it); the CLI prints it on one line."""


class ViaCapWarning(IapgraphWarning):
    """``--via`` legs whose routes multiply past the cap: the later combinations were not looked at."""


class AnswerCapped(Exception):
    """Internal, never shown: stops Oxigraph's results stream when the rows reached a cap
    (``limit`` or ``max_bytes``); the engine catches it and returns the rows so far, marked cut."""
