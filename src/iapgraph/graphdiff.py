"""What a change does to the graph: two versions of the curated files compared row by row.

For a curator reviewing a branch: entities and statements added, removed, and changed field by
field (a list cell as the items it gained and lost), each statement shown with its quote; and the
assertions (subject, relation, object, sign, negation, context: the key by which
:mod:`iapgraph.assertions` groups rows) the graph makes or stops making, since
a new row may only add a study to a claim already there, while a removed row may remove the
claim itself. The rows are compared as curated (cells as written, columns as each file's header
names them), not as validated, so a revision with columns added or dropped, or whose files the
current validator would reject, can still be compared.

(The module is ``graphdiff``, not ``diff``: a submodule named ``diff`` would replace the function
``iapgraph.diff`` on the package as soon as it is imported.)

A version is a graph folder, a release folder holding ``graph/``, or a git revision
(``main``, ``v0.1``, ``main:path/to/graph``) whose files ``git archive`` extracts.

>>> old = {"s1": {"id": "s1", "effect": "down", "citation": "A|B"}}
>>> new = {"s1": {"id": "s1", "effect": "up", "citation": "A|C"}}
>>> [str(c) for c in compare_rows(old, new).changed[0].changes]
["effect: 'down' -> 'up'", 'citation: +C -B']
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import vocab
from .exceptions import CurationError, Problem, UsageError
from .load import table_files

#: Cells that hold several values joined by '|': a change shows the items gained and lost.
MULTI = frozenset({"aliases", "xrefs", "attributes", "domain", "context", "citation", "qualifiers"})
FORMATS = ("text", "json", "md")
Record = dict[str, str]


@dataclass(frozen=True)
class Change:
    """One field of one row, before and after."""

    field: str
    old: str
    new: str

    @property
    def gained(self) -> list[str]:
        return [v for v in _items(self.new) if v not in _items(self.old)]

    @property
    def lost(self) -> list[str]:
        return [v for v in _items(self.old) if v not in _items(self.new)]

    def __str__(self) -> str:
        if self.field in MULTI and self.old and self.new:
            return f"{self.field}: " + " ".join([*(f"+{v}" for v in self.gained), *(f"-{v}" for v in self.lost)])
        return f"{self.field}: {self.old!r} -> {self.new!r}"

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {"field": self.field, "old": self.old, "new": self.new}
        if self.field in MULTI:
            record.update(gained=self.gained, lost=self.lost)
        return record


def _items(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(vocab.MULTI_SEP) if v.strip()] if cell else []


@dataclass(frozen=True)
class Changed:
    """A row whose id stayed and whose cells did not."""

    id: str
    old: Record
    new: Record
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class TableDiff:
    """Rows of one table (entities or statements) added, removed and changed, in id order."""

    added: tuple[Record, ...] = ()
    removed: tuple[Record, ...] = ()
    changed: tuple[Changed, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


#: Qualifiers that are part of what a row claims (as in :mod:`iapgraph.assertions`): a finding under
#: hypoxia is not the plain one.
KEY_QUALIFIERS = ("condition", "co_perturbed")


@dataclass(frozen=True)
class Claim:
    """An assertion as the graph makes it, whoever says it: subject, relation, object, sign,
    negation, context and the qualifiers that change the claim (the key :mod:`iapgraph.assertions`
    groups rows by), with the statement ids that make it."""

    subject: str
    relation: str
    object: str
    effect: str
    negated: bool
    context: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()
    statements: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        neg = "NOT " if self.negated else ""
        where = f", in {'+'.join(self.context)}" if self.context else ""
        quals = "".join(f", {q}" for q in self.qualifiers)
        return (f"{neg}{self.subject} {self.relation} {self.object}, effect {self.effect}{where}{quals} "
                f"({', '.join(self.statements)})")


@dataclass(frozen=True)
class GraphDiff:
    """The difference between two versions of the curated graph."""

    old: str
    new: str
    entities: TableDiff
    statements: TableDiff
    assertions_added: tuple[Claim, ...] = ()
    assertions_removed: tuple[Claim, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entities or self.statements or self.assertions_added or self.assertions_removed)

    def summary(self) -> list[str]:
        """One line per level: how many added, removed, changed."""
        def count(t: TableDiff) -> str:
            return f"{len(t.added)} added, {len(t.removed)} removed, {len(t.changed)} changed"

        return [f"entities: {count(self.entities)}", f"statements: {count(self.statements)}",
                f"assertions: {len(self.assertions_added)} added, {len(self.assertions_removed)} removed"]

    def to_dict(self) -> dict[str, Any]:
        def table(t: TableDiff) -> dict[str, Any]:
            return {"added": list(t.added), "removed": list(t.removed),
                    "changed": [{"id": c.id, "changes": [x.to_dict() for x in c.changes], "old": c.old,
                                 "new": c.new} for c in t.changed]}

        def assertion(a: Claim) -> dict[str, Any]:
            return {"subject": a.subject, "relation": a.relation, "object": a.object, "effect": a.effect,
                    "negated": a.negated, "context": list(a.context), "qualifiers": list(a.qualifiers),
                    "statements": list(a.statements)}

        return {"old": self.old, "new": self.new, "entities": table(self.entities),
                "statements": table(self.statements),
                "assertions": {"added": [assertion(a) for a in self.assertions_added],
                               "removed": [assertion(a) for a in self.assertions_removed]}}

    def render(self, fmt: str = "text") -> str:
        """The diff as ``text`` (for a terminal), ``md`` (a pull request or changelog) or ``json``.

        Raises:
            UsageError: an unknown format.
        """
        if fmt == "json":
            return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        if fmt == "text":
            return _text(self)
        if fmt == "md":
            return _markdown(self)
        raise UsageError(f"unknown diff format {fmt!r}; choose one of {', '.join(FORMATS)}")


# --- comparing ---------------------------------------------------------------------------------

def compare_rows(old: Mapping[str, Record], new: Mapping[str, Record]) -> TableDiff:
    """Rows by id: added, removed, and changed field by field (columns in the old row's order)."""
    added = tuple(new[i] for i in sorted(new.keys() - old.keys()))
    removed = tuple(old[i] for i in sorted(old.keys() - new.keys()))
    changed = []
    for i in sorted(old.keys() & new.keys()):
        a, b = old[i], new[i]
        fields = [*a, *(k for k in b if k not in a)]
        changes = tuple(Change(f, a.get(f, ""), b.get(f, "")) for f in fields
                        if a.get(f, "") != b.get(f, ""))
        if changes:
            changed.append(Changed(i, a, b, changes))
    return TableDiff(added, removed, tuple(changed))


def _truthy(cell: str) -> bool:
    return cell.strip().lower() in ("true", "yes", "1", "negated")


def assertions(statements: Mapping[str, Record]) -> dict[Claim, list[str]]:
    """Each distinct claim with the statement ids that make it; an empty effect is the relation's
    default, as the validator reads it."""
    found: dict[Claim, list[str]] = {}
    for sid in sorted(statements):
        row = statements[sid]
        relation = row.get("relation", "")
        default = vocab.RELATIONS[relation].default_effect if relation in vocab.RELATIONS else ""
        qualifiers = tuple(q for q in _items(row.get("qualifiers", "")) if q.partition("=")[0] in KEY_QUALIFIERS)
        key = Claim(row.get("subject", ""), relation, row.get("object", ""), row.get("effect", "") or default,
                    _truthy(row.get("negated", "")), tuple(sorted(_items(row.get("context", "")))),
                    tuple(sorted(qualifiers)))
        found.setdefault(key, []).append(sid)
    return found


def compare(old: tuple[dict[str, Record], dict[str, Record]], new: tuple[dict[str, Record], dict[str, Record]],
            old_name: str = "old", new_name: str = "new") -> GraphDiff:
    """Compare two versions given as (entities by id, statements by id)."""
    before, after = assertions(old[1]), assertions(new[1])
    gained = tuple(dataclasses.replace(a, statements=tuple(after[a]))
                   for a in sorted(after.keys() - before.keys(), key=_order))
    lost = tuple(dataclasses.replace(a, statements=tuple(before[a]))
                 for a in sorted(before.keys() - after.keys(), key=_order))
    return GraphDiff(old_name, new_name, compare_rows(old[0], new[0]), compare_rows(old[1], new[1]),
                     gained, lost)


def _order(a: Claim) -> tuple[str, str, str, str, bool, tuple[str, ...], tuple[str, ...]]:
    return (a.subject, a.relation, a.object, a.effect, a.negated, a.context, a.qualifiers)


# --- reading a version --------------------------------------------------------------------------

def read_table(path: Path, root: Path, problems: list[Problem]) -> list[Record]:
    """The rows of one TSV file as its header names them (any columns: another version may have
    more or fewer than this one's validator knows), plus the file they are in."""
    shown = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), 0, "file", f"cannot read: {exc}", "unreadable"))
        return []
    header: list[str] | None = None
    rows = []
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            problems.append(Problem(str(path), number, "columns",
                                    f"{len(cells)} tab-separated cells, expected {len(header)}", "columns"))
            continue
        rows.append({**dict(zip(header, cells, strict=True)), "file": shown})
    return rows


def read_rows(graph_dir: Path) -> tuple[dict[str, Record], dict[str, Record]]:
    """Entities and statements of a graph folder by id, cells as curated, plus the file they are in.

    Raises:
        CurationError: a file that cannot be read as a table (encoding, a row with too few cells).
    """
    problems: list[Problem] = []
    tables = []
    for table in ("entities", "statements"):
        records: dict[str, Record] = {}
        for path in table_files(graph_dir, table):
            for record in read_table(path, graph_dir, problems):
                records.setdefault(record.get("id", ""), record)
        tables.append(records)
    if problems:
        raise CurationError(problems)
    return tables[0], tables[1]


def _graph_folder(path: Path) -> Path | None:
    """``path`` if it is a graph folder, ``path/graph`` for a release folder, else None."""
    for folder in (path, path / "graph"):
        if folder.is_dir() and (table_files(folder, "entities") or table_files(folder, "statements")):
            return folder
    return None


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


@contextlib.contextmanager
def version(spec: str | Path, *, repo: Path | None = None, default_path: str = "graph") -> Iterator[Path]:
    """A graph folder for ``spec``: a folder as it is, or a git revision extracted to a temporary one.

    Args:
        spec: a graph folder, a release folder holding graph/, or ``REV`` / ``REV:PATH``.
        repo: the git checkout to read revisions from (default: the one holding the working folder).
        default_path: the graph folder inside the repository when ``spec`` names none.

    Raises:
        UsageError: neither a graph folder nor a revision git knows.
    """
    folder = _graph_folder(Path(spec))
    if folder is not None:
        yield folder
        return
    text = str(spec)
    rev, _, inner = text.partition(":")
    inner = inner or default_path
    cwd = repo or Path.cwd()
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise UsageError(f"{text!r} is not a graph folder, and {cwd} is not in a git checkout to read a "
                         "revision from")
    root = Path(top.stdout.decode().strip())
    archive = _git(["archive", "--format=tar", rev, "--", inner], root)
    if archive.returncode != 0:
        reason = archive.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(f"{text!r} is neither a graph folder nor a git revision with {inner}/ "
                         f"(git: {reason[-1] if reason else 'failed'})")
    with tempfile.TemporaryDirectory(prefix="iapgraph-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / inner


def diff_versions(old: str | Path, new: str | Path, *, repo: Path | None = None) -> GraphDiff:
    """Compare two versions (folders or git revisions; see :func:`version`)."""
    with version(old, repo=repo) as a, version(new, repo=repo) as b:
        return compare(read_rows(a), read_rows(b), str(old), str(new))


# --- rendering ----------------------------------------------------------------------------------

def _statement_line(row: Record) -> str:
    neg = "NOT " if _truthy(row.get("negated", "")) else ""
    domain = f" via {row['domain']}" if row.get("domain") else ""
    return f"{neg}{row.get('subject', '')} {row.get('relation', '')} {row.get('object', '')}{domain}"


def _entity_line(row: Record) -> str:
    return f"{row.get('label', '')} ({row.get('kind', '')})"


def _text(d: GraphDiff) -> str:
    lines = [f"graph diff: {d.old} -> {d.new}", *d.summary()]
    if not d:
        return "\n".join([*lines, "", "no change"]) + "\n"

    def table(name: str, t: TableDiff, describe: Any, quote: bool) -> None:
        if t:
            lines.append("")
        for sign, rows in (("+", t.added), ("-", t.removed)):
            for row in rows:
                lines.append(f"{sign} {name} {row['id']}: {describe(row)}  [{row['file']}]")
                if quote and row.get("evidence"):
                    lines.append(f"    quote: {row['evidence']}")
        for c in t.changed:
            lines.append(f"~ {name} {c.id}: {describe(c.new)}  [{c.new['file']}]")
            lines.extend(f"    {change}" for change in c.changes)
            if quote and not any(x.field == "evidence" for x in c.changes) and c.new.get("evidence"):
                lines.append(f"    quote: {c.new['evidence']}")

    table("entity", d.entities, _entity_line, False)
    table("statement", d.statements, _statement_line, True)
    if d.assertions_added or d.assertions_removed:
        lines.append("")
    lines.extend(f"+ assertion {a}" for a in d.assertions_added)
    lines.extend(f"- assertion {a}" for a in d.assertions_removed)
    return "\n".join(lines) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(d: GraphDiff) -> str:
    lines = [f"## Graph changes: `{d.old}` -> `{d.new}`", "", *(f"- {s}" for s in d.summary())]
    if not d:
        return "\n".join([*lines, "", "No change to the curated graph."]) + "\n"

    def table(title: str, t: TableDiff, describe: Any, quote: bool) -> None:
        for heading, rows in (("added", t.added), ("removed", t.removed)):
            if rows:
                lines.extend(["", f"### {title} {heading}", ""])
                for row in rows:
                    lines.append(f"- `{row['id']}` {_md_cell(describe(row))} ({row['file']})")
                    if quote and row.get("evidence"):
                        lines.append(f"  > {_md_cell(row['evidence'])}")
        if t.changed:
            lines.extend(["", f"### {title} changed", ""])
            for c in t.changed:
                lines.append(f"- `{c.id}` {_md_cell(describe(c.new))} ({c.new['file']})")
                lines.extend(["", "  | field | before | after |", "  |---|---|---|"])
                lines.extend(f"  | {x.field} | {_md_cell(x.old)} | {_md_cell(x.new)} |" for x in c.changes)
                if quote and not any(x.field == "evidence" for x in c.changes) and c.new.get("evidence"):
                    lines.extend(["", f"  > {_md_cell(c.new['evidence'])}"])
                lines.append("")

    table("Entities", d.entities, _entity_line, False)
    table("Statements", d.statements, _statement_line, True)
    for heading, items in (("Claims added", d.assertions_added), ("Claims removed", d.assertions_removed)):
        if items:
            lines.extend(["", f"### {heading}", "", *(f"- {_md_cell(str(a))}" for a in items)])
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
