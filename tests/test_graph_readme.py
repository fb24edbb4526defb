"""graph/README.md documents every column and every entity kind, so curators never meet an
undocumented field (bioregistry's data README is the model)."""

from __future__ import annotations

import re

from iapgraph import vocab
from iapgraph.load import ENTITY_COLUMNS, OPTIONAL_STATEMENT_COLUMNS, STATEMENT_COLUMNS

from .conftest import GRAPH_DIR

TEXT = (GRAPH_DIR / "README.md").read_text(encoding="utf-8")


def documented_columns(table: str) -> list[str]:
    """The first cell of each row of the README's `## TABLE columns` table."""
    section = TEXT.split(f"## {table} columns", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, re.M)


def test_every_column_is_documented_in_file_order():
    assert documented_columns("entities") == list(ENTITY_COLUMNS)
    assert documented_columns("statements") == [*STATEMENT_COLUMNS, *OPTIONAL_STATEMENT_COLUMNS]


def test_every_kind_is_listed():
    kinds_cell = next(line for line in TEXT.splitlines() if line.startswith("| `kind` |"))
    listed = set(re.findall(r"\b([a-z_]+)\b", kinds_cell.split("(`KINDS`):", 1)[1]))
    assert set(vocab.KINDS) <= listed, sorted(set(vocab.KINDS) - listed)
