"""One exception hierarchy: the CLI turns any IapgraphError into one red line and exit code 1 or 2."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
        return f"{where}: {self.field}: {self.message}"


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
