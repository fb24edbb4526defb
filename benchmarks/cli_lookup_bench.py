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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as pycache:
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONPYCACHEPREFIX=pycache)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        rows = []
        for name, argv in COMMANDS.items():
            subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, check=True)  # warm caches
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, check=True)
                times.append(time.perf_counter() - start)
            rows.append((name, statistics.median(times), min(times), max(times)))
    width = max(len(r[0]) for r in rows)
    print(f"{'command'.ljust(width)}  median s  min s  max s   ({args.runs} cold runs each)")
    for name, med, low, high in rows:
        print(f"{name.ljust(width)}  {med:8.3f}  {low:5.3f}  {high:5.3f}")


if __name__ == "__main__":
    main()
