"""The library's expected answers: ``queries/expected/NAME.tsv`` (NAME.2.tsv ... for later examples).

Each ``# Example:`` line of a query is a test case. Its answer is kept as a small TSV a reviewer
can read against the review: a comment with the command, the column names, then one row per
solution with IRIs as CURIEs (entity:XIAP, stmt:s2.1-004). ``scripts/regen_query_expected.py``
(``make queries-expected``) rewrites them from rdflib's engine; the parity test checks both
engines against them.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

from .library import LibraryQuery
from .results import Result, display


def example_command(lq: LibraryQuery, pairs: Sequence[tuple[str, str]]) -> str:
    """The CLI command of one example, as a user would type it."""
    args = " ".join(f"--param {shlex.quote(f'{k}={v}')}" for k, v in pairs)
    return f"iapgraph query {lq.name}" + (f" {args}" if args else "")


def expected_path(lq: LibraryQuery, index: int) -> Path:
    """queries/expected/NAME.tsv for the first example, NAME.N.tsv for the N-th."""
    suffix = "" if index == 1 else f".{index}"
    return lq.path.parent / "expected" / f"{lq.name}{suffix}.tsv"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def expected_tsv(result: Result, command: str) -> str:
    """A result as the reviewable expected-answer TSV."""
    from .query import PREFIXES

    columns = result.columns()
    rows = ([["true" if result.boolean else "false"]] if result.form == "ASK"
            else [[display(t, PREFIXES) for t in row] for row in result.rows])
    lines = [f"# {command}", f"# {len(rows)} rows; regenerate with: make queries-expected",
             "\t".join(columns)]
    lines += ["\t".join(_cell(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def examples(lq: LibraryQuery) -> list[tuple[int, tuple[tuple[str, str], ...]]]:
    """(1-based index, parameter pairs) of each example of a query."""
    return list(enumerate(lq.examples, 1))


def as_params(pairs: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params
