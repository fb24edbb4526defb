"""Read the curated TSV files of one or more graph folders into records that keep file and line.

A graph folder holds ``entities/*.tsv`` and ``statements/*.tsv`` (or single ``entities.tsv`` /
``statements.tsv``). Several folders merge; clashes are left for the validator to report.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .exceptions import Problem

ENTITY_COLUMNS = ("id", "kind", "label", "symbol", "aliases", "xrefs", "attributes", "description")
STATEMENT_COLUMNS = (
    "id", "subject", "relation", "object", "effect", "mechanism", "domain", "context", "negated",
    "section", "citation", "evidence", "qualifiers", "note",
)
#: Statement columns a file may leave out (older files, other folders): a missing one reads as blank.
OPTIONAL_STATEMENT_COLUMNS = ("hedged", "direct")


@dataclass(frozen=True)
class Row:
    """One data line of a TSV file: its cells by column name, and where it stands."""

    file: str
    line: int
    cells: dict[str, str]


def default_graph_dir() -> Path:
    """The project's graph/ in a checkout, else the copy shipped inside the wheel."""
    env = os.environ.get("IAPGRAPH_GRAPH_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    checkout = here.parent.parent / "graph"
    if (checkout / "entities").is_dir():
        return checkout
    return here / "graph"


def table_files(graph_dir: Path, table: str) -> list[Path]:
    """The TSV files of one table ('entities' or 'statements') in a folder, in a stable order."""
    files = sorted((graph_dir / table).glob("*.tsv")) if (graph_dir / table).is_dir() else []
    single = graph_dir / f"{table}.tsv"
    return ([single] if single.is_file() else []) + files


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
        rows.append(Row(shown, number, row_cells))
    if header is None:
        problems.append(Problem(shown, 0, "header", "empty file: no header row", "empty"))
    return rows


def read_folders(graph_dirs: Iterable[Path]) -> tuple[list[Row], list[Row], list[Problem]]:
    """Entity rows, statement rows and file-level problems of every folder, merged."""
    entity_rows: list[Row] = []
    statement_rows: list[Row] = []
    problems: list[Problem] = []
    for graph_dir in graph_dirs:
        graph_dir = Path(graph_dir)
        if not graph_dir.is_dir():
            problems.append(Problem(str(graph_dir), 0, "graph-dir", "no such folder", "missing"))
            continue
        entity_files = table_files(graph_dir, "entities")
        statement_files = table_files(graph_dir, "statements")
        if not entity_files and not statement_files:
            problems.append(Problem(str(graph_dir), 0, "graph-dir",
                                    "no entities/*.tsv or statements/*.tsv in this folder", "empty"))
        for path in entity_files:
            entity_rows += read_table(path, ENTITY_COLUMNS, problems)
        for path in statement_files:
            statement_rows += read_table(path, STATEMENT_COLUMNS, problems, OPTIONAL_STATEMENT_COLUMNS)
    return entity_rows, statement_rows, problems
