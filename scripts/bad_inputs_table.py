#!/usr/bin/env python3
"""The bad-input corpus as a Markdown table, from a real run of every case (not from the
expectations): input class | tried | error line | exit code | nothing lost.

    python scripts/bad_inputs_table.py
"""

from __future__ import annotations

import shlex
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.bad_cases import CASES, run_case  # noqa: E402


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main() -> int:
    print("| input class | tried | error line | exit code | nothing lost |")
    print("|---|---|---|---|---|")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case_file in CASES:
            run = run_case(case_file, Path(tmp))
            lines = run.lines
            line = lines[0] if len(lines) == 1 else " / ".join(lines) or "(no error line)"
            tried = "iapgraph " + shlex.join(run.spec["args"]).replace("{case}", "CASE")
            if "fsize_limit" in run.spec:
                tried += f"  (file-size limit {run.spec['fsize_limit']:,} bytes)"
            shown = line.replace(str(run.folder), "CASE")
            expected = run.spec.get("stderr") or run.spec["stderr_startswith"]
            matches = (line == run.expected("stderr")) if "stderr" in run.spec else \
                line.startswith(run.expected("stderr_startswith"))
            ok = (matches and len(lines) == 1 and run.result.returncode == run.spec["exit"] and run.unchanged
                  and "Traceback" not in run.result.stderr)
            failures += not ok
            print(f"| {cell(run.spec['class'])} | `{cell(tried)}` | `{cell(shown)}` | {run.result.returncode} | "
                  f"{'yes' if run.unchanged else 'NO'} |" + ("" if ok else f" MISMATCH: expected {expected!r}"))
    print(f"\n{len(CASES)} cases, {failures} not as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
