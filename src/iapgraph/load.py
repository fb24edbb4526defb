"""Read the curated TSV files of one or more graph folders into records that keep file and line.

A graph folder holds ``entities/*.tsv`` and ``statements/*.tsv`` (or single ``entities.tsv`` /
``statements.tsv``). Several folders merge; clashes are left for the validator to report.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from .exceptions import Problem

if TYPE_CHECKING:  # imported where used: a cold lookup lists and hashes its files without pathlib
    from pathlib import Path

ENTITY_COLUMNS = ("id", "kind", "label", "symbol", "aliases", "xrefs", "attributes", "description")
STATEMENT_COLUMNS = (
    "id", "subject", "relation", "object", "effect", "mechanism", "domain", "context", "negated",
    "section", "citation", "evidence", "qualifiers", "note",
)
#: Statement columns a file may leave out (older files, other folders): a missing one reads as blank.
OPTIONAL_STATEMENT_COLUMNS = ("hedged", "direct")


#: cells that hold identifiers or vocabulary: ASCII only, so a look-alike letter (Cyrillic С for C)
#: can never make a second, different XIAP
ID_COLUMNS = frozenset({"id", "kind", "symbol", "subject", "relation", "object", "effect", "mechanism",
                        "domain", "context", "negated", "section"})


#: a control character (C0 but tab, DEL, C1), which XML cannot carry
_CONTROL = "[\x00-\x08\x0a-\x1f\x7f-\x9f]"


@cache
def _pattern(text: str) -> re.Pattern[str]:
    """A pattern of the validator's, compiled on first use: a cold lookup reads the cache, never a
    file (the Cyrillic blocks alone take half a millisecond to compile)."""
    return re.compile(text)


def _control(text: str) -> int | None:
    """Offset of the first control character (C0 but tab, DEL, C1), which XML cannot carry."""
    found = _pattern(_CONTROL).search(text)
    return None if found is None else found.start()


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return "Cyrillic" if name.startswith("CYRILLIC") else "Latin" if ch.isascii() and ch.isalpha() else ""


#: every code point whose Unicode name starts with CYRILLIC lies in these blocks (a test checks it)
_CYRILLIC = "[\u0400-\u052f\u1c80-\u1c8f\u1d2b\u2de0-\u2dff\ua640-\ua69f\U0001e030-\U0001e08f]"


def cyrillic_blocks() -> re.Pattern[str]:
    """The blocks holding every Cyrillic letter, as a character class (compiled on first use).

    Returns:
        The compiled pattern.
    """
    return _pattern(_CYRILLIC)


def _mixed_word(text: str) -> str | None:
    """The first word that mixes Latin and Cyrillic letters (a look-alike), if any."""
    if not _pattern(_CYRILLIC).search(text):  # most non-ASCII text: no Cyrillic letter at all
        return None
    for word in text.replace("|", " ").split():
        scripts = {_script(ch) for ch in word if ch.isalpha()} - {""}
        if {"Latin", "Cyrillic"} <= scripts:
            return word
    return None


def cell_problems(path: str, line: int, cells: dict[str, str]) -> list[Problem]:
    """Characters a cell must not hold: control characters anywhere, non-ASCII letters in
    identifiers, a word mixing Latin and Cyrillic letters anywhere (names, and free text too: the
    review is English, and a warning would go unseen, since validate prints errors only)."""
    found = []
    for column, text in cells.items():
        bad = _control(text)
        if bad is not None:
            found.append(Problem(path, line, column, f"control character U+{ord(text[bad]):04X} at position "
                                 f"{bad + 1}; remove it", "control-character"))
        elif column in ID_COLUMNS and not text.isascii():
            ch = next(c for c in text if not c.isascii())
            name = unicodedata.name(ch, "unnamed")
            found.append(Problem(path, line, column, f"{text!r} holds the non-ASCII letter {ch!r} ({name}); "
                                 "identifiers are ASCII", "look-alike"))
        else:
            word = _mixed_word(text)
            if word is not None:
                found.append(Problem(path, line, column, f"{word!r} mixes Latin and Cyrillic letters "
                                     "(a look-alike?)", "look-alike"))
    return found


class Row:
    """One data line of a TSV file: its cells by column name, and where it stands.

    A plain class with slots (not a dataclass: creating one costs every cold process half a
    millisecond at import, and a slotted row is quicker to make for 60,000 lines)."""

    __slots__ = ("cells", "file", "line")

    def __init__(self, file: str, line: int, cells: dict[str, str]):
        self.file, self.line, self.cells = file, line, cells

    def __repr__(self) -> str:
        return f"Row(file={self.file!r}, line={self.line!r}, cells={self.cells!r})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Row)
        return (self.file, self.line, self.cells) == (other.file, other.line, other.cells)

    __hash__ = None  # type: ignore[assignment]  # its cells are a dict, as the dataclass's were


def default_graph_dir() -> Path:
    """The project's graph/ in a checkout, else the copy shipped inside the wheel."""
    from pathlib import Path

    return Path(default_graph_folder())


def default_graph_folder() -> str:
    """:func:`default_graph_dir` as a string, found without pathlib (a cold lookup's)."""
    env = os.environ.get("IAPGRAPH_GRAPH_DIR")
    if env:
        return env
    here = os.path.dirname(os.path.realpath(__file__))
    checkout = os.path.join(os.path.dirname(os.path.dirname(here)), "graph")
    if os.path.isdir(os.path.join(checkout, "entities")):
        return checkout
    return os.path.join(here, "graph")


def table_files(graph_dir: Path, table: str, problems: list[Problem] | None = None) -> list[Path]:
    """The TSV files of one table ('entities' or 'statements') in a folder, in a stable order.

    A table folder that is there but cannot be listed (no permission, a dangling or looping link,
    a file) is a problem, never an empty table: its statements would be lost without a word.
    """
    from pathlib import Path

    return [Path(name) for name in table_file_names(graph_dir, table, problems)]


def table_file_names(graph_dir: str | os.PathLike[str], table: str,
                     problems: list[Problem] | None = None) -> list[str]:
    """:func:`table_files` as strings, listed without pathlib (a cold lookup's cache key): the
    table's single file first, then its folder's files by name."""
    folder = os.path.join(graph_dir, table)
    files: list[str] = []
    if os.path.lexists(folder):
        try:
            files = sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".tsv"))
        except OSError as exc:
            if problems is not None:
                from pathlib import Path  # the folder named as the loader names its files

                problems.append(Problem(str(Path(folder)), 0, "folder", f"cannot list: {exc.strerror}",
                                        "unreadable"))
    single = os.path.join(graph_dir, f"{table}.tsv")
    return ([single] if os.path.lexists(single) else []) + files


def read_table(path: Path, columns: Sequence[str], problems: list[Problem],
               optional: Sequence[str] = ()) -> list[Row]:
    """Rows of one TSV file; header, encoding and column-count problems go to ``problems``.

    ``optional`` columns may be missing from the header; a row then has them blank.
    """
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, 0, "file", f"cannot read: {exc.strerror}", "unreadable"))
        return []
    rows: list[Row] = []
    lines = raw.split(b"\n")
    header: list[str] | None = None
    for number, blob in enumerate(lines, 1):
        try:
            text = blob.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as exc:
            problems.append(Problem(shown, number, "encoding",
                                    f"not UTF-8 (byte {exc.start + 1}); save the file as UTF-8",
                                    "encoding"))
            continue
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        if not text.strip() or text.startswith("#"):
            continue
        cells = text.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            blank = [i for i, c in enumerate(header, 1) if not c]
            if blank:
                where = "the last column" if blank == [len(header)] else f"column {blank[0]}"
                problems.append(Problem(shown, number, "header", f"{where} has no name (a stray tab?); "
                                        f"expected columns: {' '.join(columns)}", "header"))
                return []
            twice = sorted({c for c in header if header.count(c) > 1})
            if twice:
                problems.append(Problem(shown, number, "header", f"{twice[0]!r} appears "
                                        f"{header.count(twice[0])} times; each column once", "header"))
                return []
            missing = [c for c in columns if c not in header]
            unknown = [c for c in header if c not in columns and c not in optional]
            if missing or unknown:
                what = []
                if missing:
                    what.append("missing " + ", ".join(missing))
                if unknown:
                    what.append("unknown " + ", ".join(unknown))
                problems.append(Problem(shown, number, "header",
                                        f"{'; '.join(what)}; expected columns: {' '.join(columns)}"
                                        + (f" (optional: {' '.join(optional)})" if optional else ""),
                                        "header"))
                return []
            continue
        if len(cells) != len(header):
            problems.append(Problem(shown, number, "columns",
                                    f"{len(cells)} tab-separated cells, expected {len(header)}",
                                    "columns"))
            continue
        row_cells = dict.fromkeys(optional, "")
        row_cells.update({h: c.strip() for h, c in zip(header, cells, strict=True)})
        if not text.isascii() or _pattern(_CONTROL).search(text):  # an ASCII line without one has none of them
            problems += cell_problems(shown, number, row_cells)  # the row stays: no follow-on errors
        rows.append(Row(shown, number, row_cells))
    if header is None:
        problems.append(Problem(shown, 0, "header", "empty file: no header row", "empty"))
    return rows


def read_folders(graph_dirs: Iterable[Path]) -> tuple[list[Row], list[Row], list[Problem]]:
    """Entity rows, statement rows and file-level problems of every folder, merged."""
    from pathlib import Path

    entity_rows: list[Row] = []
    statement_rows: list[Row] = []
    problems: list[Problem] = []
    for graph_dir in graph_dirs:
        graph_dir = Path(graph_dir)
        if not graph_dir.is_dir():
            problems.append(Problem(str(graph_dir), 0, "graph-dir", "no such folder", "missing"))
            continue
        entity_files = table_files(graph_dir, "entities", problems)
        statement_files = table_files(graph_dir, "statements", problems)
        if not entity_files and not statement_files:
            problems.append(Problem(str(graph_dir), 0, "graph-dir",
                                    "no entities/*.tsv or statements/*.tsv in this folder", "empty"))
        for path in entity_files:
            entity_rows += read_table(path, ENTITY_COLUMNS, problems)
        for path in statement_files:
            statement_rows += read_table(path, STATEMENT_COLUMNS, problems, OPTIONAL_STATEMENT_COLUMNS)
    return entity_rows, statement_rows, problems
