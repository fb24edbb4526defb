"""Cold-process wall time of the lookup commands (median of N runs): prints a table, asserts nothing.

Each run is a fresh ``python -m iapgraph ...`` on this checkout's src, with bytecode cached in a
temporary folder (as an installed package has it) and the dataset pickle warm (the first run
after a data change pays for validation once), in a dataset cache folder of its own. A bare
interpreter is timed beside them, so a busy machine shows as a slow baseline; CPU time (user +
system) is printed beside wall time, being less disturbed by other processes.

    python benchmarks/cli_lookup_bench.py            # 10 runs each
    python benchmarks/cli_lookup_bench.py --runs 20
    python benchmarks/cli_lookup_bench.py --baseline 529fcf7   # both trees, with ratios
"""

from __future__ import annotations

import argparse
import os
import resource
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
    "iapgraph query negative-findings": [sys.executable, "-m", "iapgraph", "query", "negative-findings"],
}


def tree_env(root: Path, pycache: str, cache: str) -> dict[str, str]:
    """The environment of a cold run on the checkout at ``root``: bytecode cached in ``pycache``
    (as an installed package has it) and a dataset cache folder of its own (other processes
    pruning the shared user cache would turn runs into misses)."""
    env = dict(os.environ, PYTHONPATH=str(root / "src"), PYTHONPYCACHEPREFIX=pycache,
               XDG_CACHE_HOME=cache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def time_trees(roots: list[Path], runs: int, folder: str) -> list[dict[str, tuple[float, ...]]]:
    """Median, min and max wall time and median CPU time (user + system) of each command run
    cold against each checkout; the checkouts take turns run by run, so a change in the machine's
    load falls on all of them alike."""
    envs = [tree_env(root, f"{folder}/pyc{i}", f"{folder}/cache{i}") for i, root in enumerate(roots)]
    out: list[dict[str, tuple[float, ...]]] = [{} for _ in roots]
    for name, argv in COMMANDS.items():
        walls: list[list[float]] = [[] for _ in roots]
        cpus: list[list[float]] = [[] for _ in roots]
        for root, env in zip(roots, envs, strict=True):  # warm the bytecode and dataset caches
            subprocess.run(argv, env=env, cwd=root, capture_output=True, check=True)
        for _ in range(runs):
            for i, (root, env) in enumerate(zip(roots, envs, strict=True)):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(argv, env=env, cwd=root, capture_output=True, check=True)
                walls[i].append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus[i].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        for i in range(len(roots)):
            out[i][name] = (statistics.median(walls[i]), min(walls[i]), max(walls[i]),
                            statistics.median(cpus[i]))
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
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as old:
        roots = [ROOT] + ([export_revision(args.baseline, Path(old))] if args.baseline else [])
        now, *rest = time_trees(roots, args.runs, folder)
        before = rest[0] if rest else {}
    load = f"load average {load:.2f} -> {os.getloadavg()[0]:.2f}"
    width = max(len(n) for n in now)
    if args.baseline:
        print(f"{'command'.ljust(width)}  wall s  {args.baseline[:9]:>9}  ratio  cpu s  "
              f"{args.baseline[:9]:>9}  ratio   (medians of {args.runs} cold runs, the trees taking "
              f"turns; {load})")
        for name, (med, _low, _high, cpu) in now.items():
            base, base_cpu = before[name][0], before[name][3]
            print(f"{name.ljust(width)}  {med:6.3f}  {base:9.3f}  {med / base:5.2f}  {cpu:5.3f}  "
                  f"{base_cpu:9.3f}  {cpu / base_cpu:5.2f}")
        return
    print(f"{'command'.ljust(width)}  median s  min s  max s  cpu s   ({args.runs} cold runs each; {load})")
    for name, (med, low, high, cpu) in now.items():
        print(f"{name.ljust(width)}  {med:8.3f}  {low:5.3f}  {high:5.3f}  {cpu:5.3f}")


if __name__ == "__main__":
    main()
