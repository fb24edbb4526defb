"""The CLI through click's runner and as a real process."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from iapgraph.cli import main


@pytest.fixture()
def runner():
    return CliRunner()


def test_every_command_has_help(runner):
    for name in main.list_commands(None):  # type: ignore[arg-type]
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output


def test_commands_are_documented_in_readme():
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.list_commands(None):  # type: ignore[arg-type]
        assert f"iapgraph {name}" in readme, f"README does not mention `iapgraph {name}`"


def test_info_json_counts(runner, kg):
    result = runner.invoke(main, ["info", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert sum(data["statements"].values()) == len(kg.statements)
    assert data["entities"]["protein"] >= 8


def test_coverage_lists_sections(runner):
    result = runner.invoke(main, ["info", "--coverage", "--format", "json"])
    rows = {r["section"]: r for r in json.loads(result.output)}
    assert rows["2.1"]["statements"] > 0


def test_resolve_unknown_exits_2(runner):
    result = runner.invoke(main, ["resolve", "cIAP3"])
    assert result.exit_code == 2
    assert "did you mean" in result.output


def test_build_writes_turtle_atomically(tmp_path, cli):
    out = tmp_path / "out"
    result = cli("build", "-o", str(out))
    assert result.returncode == 0, result.stderr
    ttl = out / "iapgraph.ttl"
    assert ttl.stat().st_size > 1000
    before = ttl.read_bytes()
    # a failing build (a broken graph folder) leaves the previous artefact untouched
    broken = tmp_path / "broken"
    (broken / "statements").mkdir(parents=True)
    (broken / "statements" / "s.tsv").write_text("id\tsubject\n", encoding="utf-8")
    result = cli("build", "-o", str(out), "--graph-dir", str(broken))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ttl.read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_ntriples_are_the_same_bytes_every_run(tmp_path, cli):
    """Two processes (different hash seeds) build the same N-Triples; export writes the same file."""
    for run in ("a", "b"):
        result = cli("build", "-o", str(tmp_path / run))
        assert result.returncode == 0, result.stderr
    result = cli("export", "--format", "ntriples", "-o", str(tmp_path / "export.nt"))
    assert result.returncode == 0, result.stderr
    first = (tmp_path / "a" / "iapgraph.nt").read_bytes()
    assert first == (tmp_path / "b" / "iapgraph.nt").read_bytes() == (tmp_path / "export.nt").read_bytes()
    lines = first.splitlines()
    assert lines == sorted(lines) and len(lines) > 10_000


def test_real_process_resolve(cli):
    result = cli("resolve", "ciap1", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "BIRC2"
    bad = cli("resolve", "XIAPP")
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "did you mean: XIAP" in bad.stderr


def test_quotes_are_json_lines(cli, kg):
    result = cli("quotes")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(kg.statements)
    assert all(set(line) == {"id", "quote"} for line in lines)


def test_only_a_program_run_freezes_the_collector(runner):
    """The command line freezes what it has imported (a cold start speed-up) when it runs on its
    process's own argv, never when a test's runner or a library calls it with arguments."""
    import gc
    import subprocess
    import sys
    from pathlib import Path

    import iapgraph

    before = gc.get_freeze_count()
    assert "BIRC2" in runner.invoke(main, ["resolve", "cIAP1"]).output
    assert gc.get_freeze_count() == before
    code = ("import atexit, gc, sys; from iapgraph.cli import main; "
            "atexit.register(lambda: print(gc.get_freeze_count() > 0)); sys.argv[1:] = ['--version']; main()")
    src = str(Path(iapgraph.__file__).resolve().parent.parent)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": src, "PATH": ""})
    assert out.stdout.split()[-1] == "True", out.stdout + out.stderr
