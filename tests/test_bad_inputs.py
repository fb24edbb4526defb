"""The bad-input corpus (tests/cases/bad/*/case.json): each broken input gives its exact one-line
error and exit code, no traceback, and nothing already written is damaged.

A case.json has ``class`` (what kind of input is broken), ``args`` ({case} is the case's copy of
its ``input`` folder), ``exit``, ``stderr`` (or ``stderr_startswith``), optionally ``stdin``,
``fsize_limit`` (bytes: any file the command writes beyond it fails, as on a full disk) and a
``note``. ``python scripts/bad_inputs_table.py`` prints the corpus as a table from a real run."""

from __future__ import annotations

from pathlib import Path

import pytest

from .bad_cases import CASES, run_case


@pytest.mark.parametrize("case_file", CASES, ids=[c.parent.name for c in CASES])
def test_bad_input_gives_its_one_line_error(case_file: Path, tmp_path: Path):
    run = run_case(case_file, tmp_path)
    assert run.result.returncode == run.spec["exit"], run.result.stderr
    assert "Traceback" not in run.result.stderr + run.result.stdout
    assert len(run.lines) == 1, run.result.stderr
    if "stderr" in run.spec:
        assert run.lines[0] == run.expected("stderr")
    else:
        assert run.lines[0].startswith(run.expected("stderr_startswith")), run.lines[0]
    assert run.unchanged, "an input or an earlier output was changed or a partial file was left"
