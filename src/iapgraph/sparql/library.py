"""The library of named SPARQL queries in ``queries/*.rq`` and the header each one opens with.

A query file opens with comment lines that say what it asks, in plain words, and which
parameters it takes::

    # Question: What does each IAP ubiquitinate, and with what effect?
    # Parameters:
    #   iap (entity): only this IAP, by any name (XIAP, cIAP1, BIRC2)
    # Example: --param iap=cIAP1

Parameter types: entity (any name that resolves), citation (a study as the review cites it),
section (a review section), relation, kind, string. ``required`` after the type makes a
parameter mandatory. Each ``Example`` is also a test case with its expected answer.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..exceptions import UnknownQuery, UsageError, suggest

PARAMETER_TYPES = ("entity", "citation", "section", "relation", "kind", "string")
_KEY = re.compile(r"^#\s*(Question|Parameters|Example|Note):\s*(.*)$")
_PARAM = re.compile(r"^#\s+([A-Za-z_]\w*)\s+\((\w+)(,\s*required)?\):\s*(.*)$")



@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class LibraryQuery:
    """One .rq file: its name (the file stem), its question, parameters, examples and text."""

    name: str
    path: Path
    question: str
    parameters: tuple[Parameter, ...]
    examples: tuple[tuple[tuple[str, str], ...], ...]
    note: str
    text: str

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise UsageError(f"query {self.name!r} has no parameter {name!r} (it takes: {known})")


def queries_dir() -> Path:
    """The project's queries/ in a checkout, else the copy shipped inside the wheel."""
    package = Path(__file__).resolve().parent.parent
    checkout = package.parent.parent / "queries"
    return checkout if checkout.is_dir() else package / "queries"


def parse_example(text: str) -> tuple[tuple[str, str], ...]:
    """``--param a=b --param c="d e"`` -> (("a", "b"), ("c", "d e"))."""
    words = shlex.split(text)
    pairs: list[tuple[str, str]] = []
    for i, word in enumerate(words):
        if word == "--param" and i + 1 < len(words):
            key, _, value = words[i + 1].partition("=")
            pairs.append((key, value))
    return tuple(pairs)


def parse(path: Path, text: str | None = None, *, header: bool = True) -> LibraryQuery:
    """Read one query file and its header.

    Args:
        path: the file (or ``Path("query")`` for a text given inline).
        text: the text, when not read from ``path``.
        header: read the comment header (question, parameters, examples, note); False for a text
            whose comments are only comments (an endpoint's query).

    Returns:
        The query.

    Raises:
        UsageError: a bad parameter type or example line in the header, naming the file and line.
    """
    text = path.read_text(encoding="utf-8") if text is None else text
    question: list[str] = []
    note: list[str] = []
    params: list[Parameter] = []
    examples: list[tuple[tuple[str, str], ...]] = []
    section = ""
    for number, line in enumerate(text.splitlines() if header else (), 1):
        if not line.startswith("#"):
            break
        key = _KEY.match(line)
        if key:
            section, rest = key.group(1), key.group(2).strip()
            if section == "Question" and rest:
                question.append(rest)
            elif section == "Note" and rest:
                note.append(rest)
            elif section == "Example":
                try:
                    examples.append(parse_example(rest))
                except ValueError as exc:  # shlex: "No closing quotation"
                    raise UsageError(f"{path}:{number}: example: {exc}") from None
            continue
        if section == "Parameters":
            m = _PARAM.match(line)
            if m:
                if m.group(2) not in PARAMETER_TYPES:
                    raise UsageError(f"{path}:{number}: parameter type {m.group(2)!r} is not one of "
                                     f"{', '.join(PARAMETER_TYPES)}")
                params.append(Parameter(m.group(1), m.group(2), bool(m.group(3)), m.group(4).strip()))
                continue
        body = line.lstrip("#").strip()
        if section == "Question" and body:
            question.append(body)
        elif section == "Note" and body:
            note.append(body)
    return LibraryQuery(path.stem, path, " ".join(question), tuple(params), tuple(examples),
                        " ".join(note), text)


@lru_cache(maxsize=4)
def _library(folder: Path) -> dict[str, LibraryQuery]:
    return {p.stem: parse(p) for p in sorted(folder.glob("*.rq"))}


def library(folder: Path | None = None) -> dict[str, LibraryQuery]:
    """Every query of the library by name, in name order."""
    return _library(folder or queries_dir())


def find(name: str, folder: Path | None = None) -> LibraryQuery:
    """A library query by name, or a .rq file by path; UnknownQuery suggests close names."""
    queries = library(folder)
    key = name[:-3] if name.endswith(".rq") and "/" not in name else name
    if key in queries:
        return queries[key]
    path = Path(name)
    if path.suffix == ".rq" or "/" in name or path.is_file():
        if not path.is_file():
            raise UsageError(f"no such query file: {name}")
        return parse(path)
    close = suggest(key, queries, n=5)
    close += [q for q in queries if key.lower() in q and q not in close][: 5 - len(close)]
    raise UnknownQuery(name, close)
