"""How big is the venv `make run` builds? A fresh runtime-only venv, measured.

Builds a virtual environment in a temporary folder, installs this checkout into it the way
`make run` does (``pip install .``: the runtime dependencies only, no test or notebook extras),
and prints its size in MB beside the 692 MB the venv weighed when `make run` installed the test
extras too (issue 17). Takes a few minutes (it downloads and installs every runtime dependency).

    python scripts/venv_size.py            # prints e.g. "runtime-only venv: 301 MB (was 692 MB; 0.43x)"
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The size of the venv `make run` built before it installed the runtime only (issue 17).
OLD_MB = 692


def size_mb(folder: Path) -> float:
    """Bytes of every regular file under ``folder`` (symlinks not followed), in MB (10**6)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def build(target: Path, python: str) -> None:
    """A fresh venv at ``target`` with this checkout installed, runtime dependencies only."""
    subprocess.run([python, "-m", "venv", str(target)], check=True)
    pip = [str(target / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, str(ROOT)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="the interpreter to build the venv with")
    parser.add_argument("--keep", type=Path, help="build here and keep it instead of a temporary folder")
    args = parser.parse_args(argv)
    if args.keep:
        build(args.keep, args.python)
        mb = size_mb(args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="iapgraph-venv-") as tmp:
            target = Path(tmp) / "venv"
            build(target, args.python)
            mb = size_mb(target)
    print(f"runtime-only venv: {mb:.0f} MB (was {OLD_MB} MB with the test extras; {mb / OLD_MB:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
