"""The canonical form of a curated TSV file: header first, rows sorted by id, cells trimmed.

A reviewer reads diffs of these files; one canonical form keeps diffs to what changed.
``python -m iapgraph.canonical graph/`` rewrites files in place (``make format-graph``);
tests/test_canonical.py fails with that command when a file is not canonical.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .outputs import write_text


def _key(row_id: str) -> tuple[str, str]:
    return (row_id.casefold(), row_id)


def canonical_text(text: str) -> str:
    """The file's text in canonical form (comments kept above the rows, in their order).

    >>> canonical_text("id\\tx\\nb\\t1 \\na\\t2\\n")
    'id\\tx\\na\\t2\\nb\\t1\\n'
    """
    lines = [line.rstrip("\r") for line in text.split("\n")]
    header: str | None = None
    comments: list[str] = []
    rows: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if line.startswith("#"):
            comments.append(line.rstrip())
        elif header is None:
            header = "\t".join(c.strip() for c in line.split("\t"))
        else:
            rows.append("\t".join(c.strip() for c in line.split("\t")))
    if header is None:
        return text
    rows.sort(key=lambda r: _key(r.split("\t", 1)[0]))
    return "\n".join([header, *comments, *rows]) + "\n"


def tsv_files(graph_dir: Path) -> list[Path]:
    return sorted(graph_dir.glob("entities/*.tsv")) + sorted(graph_dir.glob("statements/*.tsv"))


def main(argv: list[str]) -> int:
    """Rewrite every TSV under the given graph folders in canonical form."""
    changed = 0
    for folder in argv or ["graph"]:
        for path in tsv_files(Path(folder)):
            text = path.read_text(encoding="utf-8")
            fixed = canonical_text(text)
            if fixed != text:
                write_text(path, fixed)
                changed += 1
                print(f"formatted {path}")
    print(f"{changed} file(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
