"""README.md's commands and examples run, and show what the graph really answers.

The contract for README authors (how this test reads README.md):

- Fenced code blocks are found by their opening fence and info string (```bash, ```python,
  ```text ...); a fence may be indented (inside a list item), its lines lose that indentation.
- In a ```bash block, every line that starts with ``iapgraph `` is a command (a line ending in
  ``\\`` continues on the next; a trailing ``# comment`` is dropped, as the shell would). Other
  lines (``make run``, ``make test``) are not run here: CI runs ``make test`` itself.
- A command runs as ``python -m iapgraph ARGS`` on this checkout (``run_cli`` from conftest) in a
  fresh temporary folder holding ``graph`` and ``queries`` (links to the checkout's) and an empty
  ``build/``, so ``-o build/x.html`` or ``-o x.html`` writes there, never into the checkout. It must
  exit 0.
- Not run, reported as skipped with the reason: ``iapgraph serve`` (a long-running server; see
  tests/test_sparql_server.py) and any command with ``--endpoint`` (it needs an external SPARQL
  server; see the triple-store tests).
- A ```python block runs as one script (``python -c``) with ``PYTHONPATH=src``, in such a folder;
  it must exit 0.
- A ```text block that directly follows (blank lines only in between) a ```bash block holding
  exactly one command, or a ```python block, is that example's expected output on stdout. Lines
  are compared without trailing spaces. A line ``...`` stands for lines left out; the lines between
  two ``...`` must appear together, in order, in the real output; a block that does not start (end)
  with ``...`` must match the start (end) of the output. So what the README shows is what a user
  sees, shortened only where it says so. Any other ```text block (or ```tsv, ```console) is prose.
- The relation table between the ``<!-- relations ... -->`` markers must equal the output of
  ``python scripts/relation_table.py`` (``--write`` rewrites it), so it lists every relation of
  ``iapgraph.vocab.RELATIONS`` with its mappings.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from iapgraph import vocab

from .conftest import ROOT, cli_env, run_cli

README = ROOT / "README.md"
ELISION = "..."
_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<info>[\w+-]*)[ \t]*$")


@dataclass(frozen=True)
class Block:
    info: str
    line: int  # 1-based line of the opening fence
    lines: tuple[str, ...]
    follows: int | None = None  # index of the block this one directly follows


def blocks(text: str) -> list[Block]:
    """The fenced blocks, each knowing whether it directly follows the previous one."""
    found: list[Block] = []
    lines = text.splitlines()
    i, last_end = 0, None
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, start = len(m.group("indent")), i
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        adjacent = (last_end is not None and found
                    and all(not line.strip() for line in lines[last_end + 1:start]))
        found.append(Block(m.group("info"), start + 1, tuple(body),
                           len(found) - 1 if adjacent else None))
        last_end = i
        i += 1
    return found


def commands(block: Block) -> list[tuple[int, str]]:
    """The ``iapgraph ...`` lines of a bash block with their README line, continuations joined."""
    out: list[tuple[int, str]] = []
    pending, first = "", 0
    for offset, raw in enumerate(block.lines, start=block.line + 1):
        first = first if pending else offset
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if line.startswith("iapgraph "):
            out.append((first, line))
    return out


@dataclass(frozen=True)
class Case:
    kind: str  # "cli" or "python"
    line: int
    source: str  # the command line, or the python code
    expected: tuple[str, ...] | None

    @property
    def id(self) -> str:
        if self.kind == "python":
            return f"python@{self.line}"
        return f"{' '.join(shlex.split(self.source, comments=True)[1:3])}@{self.line}"


def cases(text: str) -> list[Case]:
    found = blocks(text)
    expected = {b.follows: b for b in found if b.info == "text" and b.follows is not None}
    out: list[Case] = []
    for index, b in enumerate(found):
        shown = expected.get(index)
        if b.info == "bash":
            cmds = commands(b)
            if shown is not None:
                assert len(cmds) == 1, (f"README.md:{shown.line}: an expected-output block must follow a "
                                        f"bash block with exactly one iapgraph command, not {len(cmds)}")
            for line, cmd in cmds:
                out.append(Case("cli", line, cmd, shown.lines if shown else None))
        elif b.info == "python":
            out.append(Case("python", b.line, "\n".join(b.lines) + "\n", shown.lines if shown else None))
    return out


CASES = cases(README.read_text(encoding="utf-8"))


def skip_reason(case: Case) -> str | None:
    if case.kind != "cli":
        return None
    args = shlex.split(case.source, comments=True)[1:]
    if args[:1] == ["serve"]:
        return "iapgraph serve is a long-running server (tests/test_sparql_server.py runs it)"
    if any(a == "--endpoint" or a.startswith("--endpoint=") for a in args):
        return "--endpoint needs an external SPARQL server holding build/iapgraph.nt"
    return None


def workdir(tmp_path: Path) -> Path:
    """A folder like a checkout's root for the command: graph/ and queries/ linked, build/ empty."""
    for name in ("graph", "queries"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    (tmp_path / "build").mkdir()
    return tmp_path


def check_shown(shown: tuple[str, ...], stdout: str, where: str) -> None:
    """The shown lines, split at ``...``, appear as runs in order (anchored where not elided)."""
    real = [line.rstrip() for line in stdout.splitlines()]
    want = [line.rstrip() for line in shown]
    while want and not want[-1]:
        want.pop()
    assert want, f"{where}: empty expected-output block"
    segments: list[list[str]] = [[]]
    for line in want:
        if line.strip() == ELISION:
            segments.append([])
        else:
            segments[-1].append(line)
    anchored_start = want[0].strip() != ELISION
    anchored_end = want[-1].strip() != ELISION
    position = 0
    for number, segment in enumerate(segments):
        if not segment:
            continue
        first, last = number == 0 and anchored_start, number == len(segments) - 1 and anchored_end
        starts = [position] if first else range(position, len(real) - len(segment) + 1)
        for start in starts:
            if real[start:start + len(segment)] == segment and (not last or start + len(segment) == len(real)):
                position = start + len(segment)
                break
        else:
            shown_text = "\n".join(segment)
            raise AssertionError(f"{where}: README shows lines the command no longer prints:\n{shown_text}\n"
                                 f"--- real output ---\n{stdout}")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_readme_example(case: Case, tmp_path: Path):
    reason = skip_reason(case)
    if reason:
        pytest.skip(f"README.md:{case.line}: {case.source.split(' #')[0].strip()}: {reason}")
    cwd = workdir(tmp_path)
    where = f"README.md:{case.line}"
    if case.kind == "cli":
        args = shlex.split(case.source, comments=True)[1:]
        result = run_cli(*args, cwd=cwd)
    else:
        result = subprocess.run([sys.executable, "-c", case.source], capture_output=True, text=True,
                                cwd=cwd, env=cli_env(), timeout=300)
    assert result.returncode == 0, f"{where}: exit {result.returncode}\n{result.stderr}"
    if case.expected is not None:
        check_shown(case.expected, result.stdout, where)


def test_the_contract_finds_the_worked_examples():
    shown = [c for c in CASES if c.expected is not None]
    assert len(shown) >= 5
    assert {c.kind for c in shown} == {"cli", "python"}
    assert any(" query " in f" {c.source} " for c in shown), "a SPARQL example with its output"
    skipped = {shlex.split(c.source, comments=True)[1] for c in CASES if skip_reason(c)}
    assert "serve" in skipped  # documented, not run here


def test_expected_output_matching_is_strict():
    out = "a\nb\nc\nd\n"
    check_shown(("a", "b"), "a\nb\n", "x")
    check_shown(("a", "...", "c", "d"), out, "x")
    check_shown(("...", "b", "c", "..."), out, "x")
    for shown in [("b", "c"), ("a", "c"), ("...", "c"), ("a", "...", "d", "c")]:
        with pytest.raises(AssertionError):
            check_shown(shown, out, "x")


def test_relation_table_is_generated_from_the_vocabulary():
    text = README.read_text(encoding="utf-8")
    start = "<!-- relations: generated by scripts/relation_table.py; do not edit by hand -->\n"
    assert start in text and "<!-- /relations -->" in text
    table = text.split(start, 1)[1].split("<!-- /relations -->", 1)[0]
    generated = subprocess.run([sys.executable, str(ROOT / "scripts" / "relation_table.py")],
                               capture_output=True, text=True, check=True).stdout
    assert table == generated, "README.md's relation table is stale: python scripts/relation_table.py --write"
    listed = re.findall(r"^\| `([a-z_]+)` \|", table, re.M)
    assert listed == list(vocab.RELATIONS)
    for r in vocab.RELATIONS.values():
        row = next(line for line in table.splitlines() if line.startswith(f"| `{r.name}` |"))
        assert r.biolink in row and (r.ro or "") in row and (r.psimi or "") in row
