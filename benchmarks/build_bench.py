#!/usr/bin/env python3
"""Foundation costs, as a newcomer meets them: `iapgraph build`, `import iapgraph; iapgraph.load()`
(cold cache, then warm), `to_networkx()` and `to_rdf()`. Prints a table of medians; no assertions."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def wall(cmd: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, env=env, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cold_env = {**ENV, "XDG_CACHE_HOME": tmp}
        load = [sys.executable, "-c", "import iapgraph; iapgraph.load()"]
        cold = []
        for i in range(runs):
            env = {**cold_env, "XDG_CACHE_HOME": f"{tmp}/c{i}"}
            start = time.perf_counter()
            subprocess.run(load, check=True, env=env)
            cold.append(time.perf_counter() - start)
        rows.append(("import iapgraph; load() (cold cache: read + validate)", statistics.median(cold)))
        rows.append(("import iapgraph; load() (warm cache)", wall(load, ENV, runs)))
        rows.append(("python -c pass (interpreter alone)", wall([sys.executable, "-c", "pass"], ENV, runs)))
        rows.append(("iapgraph build -o TMP", wall([sys.executable, "-m", "iapgraph", "build", "-o",
                                                    f"{tmp}/out"], ENV, runs)))
    sys.path.insert(0, str(ROOT / "src"))
    import iapgraph

    kg = iapgraph.load()
    for name, fn in (("kg.to_networkx() in process", kg.to_networkx), ("kg.to_rdf() in process", kg.to_rdf)):
        fn()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        rows.append((name, statistics.median(times)))
    print(f"{'what':58} {'median s':>9}   ({runs} runs; {len(kg.entities)} entities, "
          f"{len(kg.statements)} statements)")
    for name, value in rows:
        print(f"{name:58} {value:9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
