"""Run one case of the bad-input corpus (tests/cases/bad/NAME/case.json) as a real CLI process;
shared by tests/test_bad_inputs.py and scripts/bad_inputs_table.py."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .conftest import ROOT, run_cli

CASES = sorted((ROOT / "tests" / "cases" / "bad").glob("*/case.json"))


@dataclass
class CaseRun:
    name: str
    spec: dict[str, Any]
    folder: Path  # the case's copy of its input, what {case} stands for
    result: subprocess.CompletedProcess[str]
    unchanged: bool  # every file of the folder (inputs, earlier outputs) as before, nothing added

    @property
    def lines(self) -> list[str]:
        return self.result.stderr.rstrip("\n").splitlines()

    def expected(self, key: str) -> str:
        return self.spec[key].replace("{case}", str(self.folder))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def run_case(case_file: Path, workdir: Path) -> CaseRun:
    spec = json.loads(case_file.read_text(encoding="utf-8"))
    folder = workdir / case_file.parent.name
    source = case_file.parent / "input"
    if source.is_dir():
        shutil.copytree(source, folder, symlinks=True)  # a case may hold links (dangling ones too)
    else:
        folder.mkdir()
    before = _snapshot(folder)
    args = [a.replace("{case}", str(folder)) for a in spec["args"]]
    result = run_cli(*args, input=spec.get("stdin"), fsize_limit=spec.get("fsize_limit"))
    return CaseRun(case_file.parent.name, spec, folder, result, _snapshot(folder) == before)
