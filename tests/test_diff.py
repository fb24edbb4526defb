"""`iapgraph diff`: a copied graph with one row changed, one added and one removed gives exactly
the diff a curator should read; folders and git revisions; text, md and json; the release script."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import iapgraph
from iapgraph.exceptions import UsageError

from .conftest import GRAPH_DIR, ROOT, cli_env, run_cli

CASP9_QUOTE = ("XIAP interacts with caspase-9 through its BIR3 domain, with its C-terminus binding to the dimer "
               "interface of caspase-9")
ADDED = {"id": "s2.1-999", "subject": "XIAP", "relation": "binds", "object": "CASP3", "effect": "unknown",
         "mechanism": "binding", "domain": "XIAP.BIR2", "section": "2.1", "citation": "Scott, et al., 2005",
         "evidence": "XIAP binds caspase-3 through BIR2", "qualifiers": "reading=a test row"}


def _edit(graph: Path, added: dict[str, str] = ADDED) -> None:
    """s2.1-004 changed (effect, a second citation), s2.1-999 added, s2.1-080 removed (whatever
    columns the file has)."""
    path = graph / "statements" / "s2_1.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    out = []
    for line in lines:
        cells = dict(zip(header, line.split("\t"), strict=True))
        if cells["id"] == "s2.1-004":
            cells["effect"] = "unknown"
            cells["citation"] = "Berthelet & Dubrez, 2013|Srinivasula, et al., 2001"
            line = "\t".join(cells.values())
        elif cells["id"] == "s2.1-080":
            continue
        out.append(line)
    out.append("\t".join(added.get(column, "") for column in header))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


@pytest.fixture()
def edited(graph_copy: Path) -> Path:
    _edit(graph_copy)
    return graph_copy


EXPECTED_TEXT = f"""\
graph diff: OLD -> NEW
entities: 0 added, 0 removed, 0 changed
statements: 1 added, 1 removed, 1 changed
assertions: 1 added, 2 removed

+ statement s2.1-999: XIAP binds CASP3 via XIAP.BIR2  [statements/s2_1.tsv]
    quote: XIAP binds caspase-3 through BIR2
- statement s2.1-080: XIAP binds CASP9 via XIAP.BIR3  [statements/s2_1.tsv]
    quote: {CASP9_QUOTE}
~ statement s2.1-004: XIAP inhibits CASP9 via XIAP.BIR3  [statements/s2_1.tsv]
    effect: 'down' -> 'unknown'
    citation: +Srinivasula, et al., 2001
    quote: {CASP9_QUOTE}. This prevents the conformational changes needed for the generation of the active catalytic pocket, thereby inhibiting its activity

+ assertion XIAP inhibits CASP9, effect unknown (s2.1-004)
- assertion XIAP binds CASP9, effect unknown (s2.1-080)
- assertion XIAP inhibits CASP9, effect down (s2.1-004)
"""


def _names(text: str, old: Path, new: Path) -> str:
    return text.replace(f"graph diff: {old} -> {new}", "graph diff: OLD -> NEW")


def test_diff_text_is_exact(edited):
    result = run_cli("diff", str(GRAPH_DIR), str(edited))
    assert result.returncode == 0, result.stderr
    assert _names(result.stdout, GRAPH_DIR, edited) == EXPECTED_TEXT


def test_diff_assertions_see_through_rows(graph_copy):
    """A row that only adds a study to a claim already made changes no assertion; a changed sign
    does (the graph stops saying 'down'); an empty effect is the relation's default."""
    _edit(graph_copy)
    d = iapgraph.diff(GRAPH_DIR, graph_copy)
    # s2.1-999 adds a study to "XIAP binds CASP3" (s2.1-082 says it already): no assertion gained
    assert [str(a) for a in d.assertions_added] == ["XIAP inhibits CASP9, effect unknown (s2.1-004)"]
    assert [str(a) for a in d.assertions_removed] == ["XIAP binds CASP9, effect unknown (s2.1-080)",
                                                      "XIAP inhibits CASP9, effect down (s2.1-004)"]
    other = graph_copy.parent / "other"
    shutil.copytree(GRAPH_DIR, other)
    _edit(other, {**ADDED, "relation": "inhibits", "object": "CASP9", "effect": ""})
    again = iapgraph.diff(GRAPH_DIR, other)
    # s2.1-999 (no effect: inhibits' default, down) keeps the claim s2.1-004 no longer makes
    assert [str(a) for a in again.assertions_added] == ["XIAP inhibits CASP9, effect unknown (s2.1-004)"]
    assert [str(a) for a in again.assertions_removed] == ["XIAP binds CASP9, effect unknown (s2.1-080)"]


def test_diff_reads_columns_another_version_has(graph_copy):
    """A version with a column this code does not know (a newer or older schema) is compared as
    written: a row with a value in it shows that field changed; rows without one do not change."""
    path = graph_copy / "statements" / "s2_1.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [line + "\t" + ("curated_by" if i == 0 else "ab" if line.startswith("s2.1-004\t") else "")
             for i, line in enumerate(lines)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    d = iapgraph.diff(GRAPH_DIR, graph_copy)
    assert d.summary()[1] == "statements: 0 added, 0 removed, 1 changed"
    [changed] = d.statements.changed
    assert changed.id == "s2.1-004" and [str(c) for c in changed.changes] == ["curated_by: '' -> 'ab'"]
    assert not d.assertions_added and not d.assertions_removed


def test_context_and_condition_are_part_of_the_claim():
    """As iapgraph.assertions groups rows: the same triple in another context, or under a
    condition, is another claim."""
    from iapgraph.graphdiff import compare

    row = {"id": "s1", "subject": "XIAP", "relation": "inhibits", "object": "CASP3", "effect": "",
           "negated": "", "context": "", "qualifiers": "patients=10", "file": "s.tsv"}
    moved = {**row, "context": "AML|HCC", "qualifiers": "patients=12|condition=hypoxia"}
    d = compare(({}, {"s1": row}), ({}, {"s1": moved}))
    assert [str(c) for c in d.assertions_added] == [
        "XIAP inhibits CASP3, effect down, in AML+HCC, condition=hypoxia (s1)"]
    assert [str(c) for c in d.assertions_removed] == ["XIAP inhibits CASP3, effect down (s1)"]
    assert [str(c) for c in d.statements.changed[0].changes] == [
        "context: '' -> 'AML|HCC'", "qualifiers: +patients=12 +condition=hypoxia -patients=10"]


def test_diff_json(edited):
    result = run_cli("diff", str(GRAPH_DIR), str(edited), "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["old"] == str(GRAPH_DIR) and doc["new"] == str(edited)
    statements = doc["statements"]
    assert [r["id"] for r in statements["added"]] == ["s2.1-999"]
    assert statements["added"][0]["evidence"] == "XIAP binds caspase-3 through BIR2"
    assert statements["added"][0]["qualifiers"] == "reading=a test row"
    assert [r["id"] for r in statements["removed"]] == ["s2.1-080"]
    assert statements["removed"][0]["evidence"] == CASP9_QUOTE
    [changed] = statements["changed"]
    assert changed["id"] == "s2.1-004"
    assert changed["changes"] == [
        {"field": "effect", "old": "down", "new": "unknown"},
        {"field": "citation", "old": "Berthelet & Dubrez, 2013",
         "new": "Berthelet & Dubrez, 2013|Srinivasula, et al., 2001",
         "gained": ["Srinivasula, et al., 2001"], "lost": []},
    ]
    assert changed["new"]["evidence"].startswith(CASP9_QUOTE)
    assert doc["entities"] == {"added": [], "removed": [], "changed": []}
    assert doc["assertions"]["removed"] == [
        {"subject": "XIAP", "relation": "binds", "object": "CASP9", "effect": "unknown", "negated": False,
         "context": [], "qualifiers": [], "statements": ["s2.1-080"]},
        {"subject": "XIAP", "relation": "inhibits", "object": "CASP9", "effect": "down", "negated": False,
         "context": [], "qualifiers": [], "statements": ["s2.1-004"]}]


def test_diff_markdown(edited):
    result = run_cli("diff", str(GRAPH_DIR), str(edited), "--format", "md")
    lines = result.stdout.splitlines()
    assert lines[0] == f"## Graph changes: `{GRAPH_DIR}` -> `{edited}`"
    assert "### Statements added" in lines and "### Statements removed" in lines
    assert "- `s2.1-999` XIAP binds CASP3 via XIAP.BIR2 (statements/s2_1.tsv)" in lines
    assert "  > XIAP binds caspase-3 through BIR2" in lines
    assert "  | effect | down | unknown |" in lines
    assert "  | citation | Berthelet & Dubrez, 2013 | Berthelet & Dubrez, 2013\\|Srinivasula, et al., 2001 |" in lines
    assert "- XIAP binds CASP9, effect unknown (s2.1-080)" in lines


def test_no_change_and_exit_code(edited):
    same = run_cli("diff", str(GRAPH_DIR), str(GRAPH_DIR), "--exit-code")
    assert same.returncode == 0 and same.stdout.splitlines()[-1] == "no change"
    differ = run_cli("diff", str(GRAPH_DIR), str(edited), "--exit-code")
    assert differ.returncode == 1 and differ.stdout == _names(EXPECTED_TEXT, Path("OLD"), Path("NEW")).replace(
        "graph diff: OLD -> NEW", f"graph diff: {GRAPH_DIR} -> {edited}")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A git repository whose first commit holds graph/ as curated and whose working graph/ is edited."""
    repo = tmp_path / "repo"
    shutil.copytree(GRAPH_DIR, repo / "graph")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "graph")
    _git(repo, "commit", "-q", "-m", "curated")
    _edit(repo / "graph")
    return repo


def test_diff_against_a_git_revision(repo):
    """`iapgraph diff main` in a checkout: graph/ of main (read with git archive) against graph/ here."""
    result = run_cli("diff", "main", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED_TEXT.replace("OLD -> NEW", "main -> graph")
    _git(repo, "commit", "-q", "-am", "edited")
    between = run_cli("diff", "main~1", "main:graph", cwd=repo)
    assert between.stdout == EXPECTED_TEXT.replace("OLD -> NEW", "main~1 -> main:graph")


def test_unknown_version_is_one_line(repo, tmp_path):
    result = run_cli("diff", "no-such-branch", cwd=repo)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: 'no-such-branch' is neither a graph folder nor a git revision with "
                                    "graph/ (git: ")
    with pytest.raises(UsageError, match="not in a git checkout"):
        iapgraph.diff(tmp_path / "nowhere", GRAPH_DIR, repo=tmp_path)


def test_release_writes_exports_checksums_and_changelog(repo, tmp_path):
    """scripts/release.py: every export, SHA256SUMS that sha256sum accepts, and the changelog from the
    diff against the previous release folder."""
    previous = tmp_path / "release-0"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "release.py"), str(previous),
                    "--graph-dir", str(GRAPH_DIR)], check=True, env=cli_env(), capture_output=True)
    current = tmp_path / "release-1"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "release.py"), str(current),
                           "--graph-dir", str(repo / "graph"), "--previous", str(previous)],
                          env=cli_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    sums = (current / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in sums}
    from iapgraph.export import FORMATS

    for fmt, spec in FORMATS.items():
        if spec.files:  # kgx/nodes.tsv, neo4j/relationships.csv ...
            assert {f"exports/{fmt}/{f}{spec.suffix}" for f in spec.files} <= set(listed), fmt
        else:
            name = "iapgraph.indra.json" if fmt == "indra" else f"iapgraph{spec.extension}"
            assert f"exports/{name}" in listed, fmt
    assert {"build/iapgraph.ttl", "build/vocab.ttl", "build/iapgraph.nt", "exports/NOTES.txt"} <= set(listed)
    notes = (current / "exports" / "NOTES.txt").read_text(encoding="utf-8")
    assert "indra: " in notes and "statements with no INDRA type" in notes
    for name, digest in listed.items():
        assert hashlib.sha256((current / name).read_bytes()).hexdigest() == digest, name
    assert "graph/statements/s2_1.tsv" in listed and "CHANGELOG.md" in listed
    check = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=current, capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    changelog = (current / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# iapgraph ")
    assert "- statements: 1 added, 1 removed, 1 changed" in changelog
    assert "- `s2.1-999` XIAP binds CASP3 via XIAP.BIR2 (statements/s2_1.tsv)" in changelog
    # the first release has no previous one: its changelog says so
    assert "No previous release" in (previous / "CHANGELOG.md").read_text(encoding="utf-8")


def test_make_diff_runs_the_command(tmp_path):
    """`make diff BASE=...` is `iapgraph diff BASE graph` (dry run: nothing is installed)."""
    import os

    venv = tmp_path / "venv"
    # run as a fresh make, not as a sub-make of `make test` (which would print "Entering directory")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
    result = subprocess.run(["make", "--no-print-directory", "-n", "diff", "BASE=v0.1", f"VENV={venv}"], cwd=ROOT,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"{venv}/bin/iapgraph diff v0.1 graph --format text"
    release = subprocess.run(["make", "--no-print-directory", "-n", "release", "PREVIOUS=../r0", f"VENV={venv}"],
                             cwd=ROOT, capture_output=True, text=True, env=env)
    assert release.stdout.splitlines()[-1] == f"{venv}/bin/python scripts/release.py build/release --previous ../r0"
