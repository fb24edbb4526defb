"""Cold-process wall time of the lookup commands (median of N runs): prints a table, asserts nothing.

Each run is a fresh ``python -m iapgraph ...`` on this checkout's src, with bytecode cached in a
temporary folder (as an installed package has it) and the dataset pickle warm (the first run
after a data change pays for validation once). A bare interpreter is timed beside them, so a
busy machine shows as a slow baseline.

    python benchmarks/cli_lookup_bench.py            # 10 runs each
    python benchmarks/cli_lookup_bench.py --runs 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "iapgraph resolve XIAP": [sys.executable, "-m", "iapgraph", "resolve", "XIAP"],
    "iapgraph path XIAP CASP3": [sys.executable, "-m", "iapgraph", "path", "XIAP", "CASP3"],
    "iapgraph neighbors cIAP1": [sys.executable, "-m", "iapgraph", "neighbors", "cIAP1"],
    'iapgraph explain "SMAC mimetic" ...': [sys.executable, "-m", "iapgraph", "explain", "SMAC mimetic",
                                            "non-canonical NF-kB pathway"],
    "iapgraph conflicts": [sys.executable, "-m", "iapgraph", "conflicts"],
}


def time_tree(root: Path, runs: int, pycache: str) -> dict[str, tuple[float, float, float]]:
    """Median, min and max wall time of each command run cold against the checkout at ``root``."""
    env = dict(os.environ, PYTHONPATH=str(root / "src"), PYTHONPYCACHEPREFIX=pycache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = {}
    for name, argv in COMMANDS.items():
        subprocess.run(argv, env=env, cwd=root, capture_output=True, check=True)  # warm caches
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(argv, env=env, cwd=root, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        out[name] = (statistics.median(times), min(times), max(times))
    return out


def export_revision(revision: str, folder: Path) -> Path:
    """The src/, graph/ and queries/ of a git revision, unpacked into ``folder``."""
    archive = subprocess.run(["git", "archive", revision, "src", "graph", "queries"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--baseline", metavar="REV", default=None,
                        help="Also time this git revision (e.g. 7cd3c08, the commit before the "
                             "architecture change) and print both with the ratio.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as pycache, tempfile.TemporaryDirectory() as old:
        now = time_tree(ROOT, args.runs, pycache)
        before = time_tree(export_revision(args.baseline, Path(old)), args.runs, pycache + "/b") \
            if args.baseline else {}
    width = max(len(n) for n in now)
    if before:
        print(f"{'command'.ljust(width)}  this s  {args.baseline[:10]:>10} s  ratio   "
              f"(median of {args.runs} cold runs each)")
        for name, (med, _low, _high) in now.items():
            base = before[name][0]
            print(f"{name.ljust(width)}  {med:6.3f}  {base:12.3f}  {med / base:5.2f}")
        return
    print(f"{'command'.ljust(width)}  median s  min s  max s   ({args.runs} cold runs each)")
    for name, (med, low, high) in now.items():
        print(f"{name.ljust(width)}  {med:8.3f}  {low:5.3f}  {high:5.3f}")


if __name__ == "__main__":
    main()
