"""The one place that renders tabular results: aligned table, CSV, TSV or JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "|".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None,
           fmt: str = "table", max_width: int = 60) -> str:
    """Rows (dicts) as text in ``fmt``; table cells wider than ``max_width`` are shortened.

    >>> print(render([{"a": 1, "b": "x"}], fmt="csv").strip())
    a,b
    1,x
    """
    columns = list(columns) if columns else (list(rows[0]) if rows else [])
    if fmt == "json":
        import json  # here, as csv below: a cold lookup printing a table needs neither

        return json.dumps([{c: r.get(c) for c in columns} for r in rows], indent=2,
                          ensure_ascii=False, default=str) + "\n"
    if fmt in ("csv", "tsv"):
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in columns])
        return buf.getvalue()
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")

    def short(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    table = [[short(_cell(r.get(c))) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in table]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in table]
    return "\n".join(lines) + "\n"
