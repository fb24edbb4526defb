"""The bad-input corpus (tests/cases/bad/*/case.json): each broken input gives its exact one-line
error and exit code, no traceback, and nothing already written is damaged.

A case.json has ``args`` ({case} is the case's copy of its ``input`` folder), ``exit``, ``stderr``
(or ``stderr_startswith``), optionally ``stdin``, ``fsize_limit`` (bytes: any file the command
writes beyond it fails, as on a full disk) and a ``note``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli

CASES = sorted((ROOT / "tests" / "cases" / "bad").glob("*/case.json"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case_file", CASES, ids=[c.parent.name for c in CASES])
def test_bad_input_gives_its_one_line_error(case_file: Path, tmp_path: Path):
    spec = json.loads(case_file.read_text(encoding="utf-8"))
    case = tmp_path / case_file.parent.name
    source = case_file.parent / "input"
    if source.is_dir():
        shutil.copytree(source, case)
    else:
        case.mkdir()
    before = _snapshot(case)
    args = [a.replace("{case}", str(case)) for a in spec["args"]]
    result = run_cli(*args, input=spec.get("stdin"), fsize_limit=spec.get("fsize_limit"))
    assert result.returncode == spec["exit"], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.rstrip("\n").splitlines()
    assert len(lines) == 1, result.stderr
    if "stderr" in spec:
        assert lines[0] == spec["stderr"].replace("{case}", str(case))
    else:
        assert lines[0].startswith(spec["stderr_startswith"].replace("{case}", str(case))), lines[0]
    after = _snapshot(case)
    assert after == before, "an input or an earlier output was changed or a partial file was left"
