#!/usr/bin/env python3
"""`iapgraph build` of the curated graph merged with a generated lab folder, against the raw
pyoxigraph bulk load of the same triples, with this checkout's src/ and a baseline revision's.

Each figure is the median wall time of fresh processes (``python -m iapgraph ...``, so interpreter
start-up and imports count) and the peak resident memory of that process (``wait4``'s ru_maxrss):

- ``build (cold cache)``: ``iapgraph build --graph-dir graph --graph-dir LAB`` with an empty user
  cache (reads and validates every row, then writes iapgraph.ttl, vocab.ttl, iapgraph.nt);
- ``build (warm cache)``: the same once the validated dataset is cached;
- ``validate (cold cache)``: ``iapgraph validate`` of both folders;
- ``raw pyoxigraph load``: a process that imports pyoxigraph and bulk-loads the iapgraph.nt the
  build wrote into a bare in-memory ``Store`` (the yardstick of issue 19: a build at most 1.5x it);
- ``python -c pass``: the interpreter alone.

Then validation in process at 1/4, 1/2 and all of the lab rows with the log-log slope (1.0 is
linear), and whether both revisions wrote the same N-Triples bytes and the same Turtle triples.
Prints tables; asserts nothing.

    python benchmarks/build_bench.py                       # 60,000 lab statements, baseline 5dcc33d
    python benchmarks/build_bench.py --statements 20000 --runs 1 --baseline ''   # quicker, no baseline
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak MB of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return took, usage.ru_maxrss / 1024


def median_run(cmd: list[str], env: dict[str, str], runs: int, fresh_cache: Path | None = None
               ) -> tuple[float, float]:
    times, peaks = [], []
    for i in range(runs):
        if fresh_cache is not None:
            env = {**env, "XDG_CACHE_HOME": str(fresh_cache / f"c{time.monotonic_ns()}-{i}")}
        took, peak = run(cmd, env)
        times.append(took)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def measure(src: Path, graph: Path, lab: Path, out: Path, runs: int, cache: Path) -> dict[str, tuple[float, float]]:
    env = {**os.environ, "PYTHONPATH": str(src), "XDG_CACHE_HOME": str(cache / "warm")}
    py = sys.executable
    dirs = ["--graph-dir", str(graph), "--graph-dir", str(lab)]
    rows: dict[str, tuple[float, float]] = {}
    rows["validate (cold cache)"] = median_run([py, "-m", "iapgraph", "validate", *dirs], env, runs, cache)
    rows["build (cold cache)"] = median_run([py, "-m", "iapgraph", "build", *dirs, "-o", str(out)], env, runs, cache)
    run([py, "-m", "iapgraph", "build", *dirs, "-o", str(out)], env)  # fills the warm cache (validate does not)
    rows["build (warm cache)"] = median_run([py, "-m", "iapgraph", "build", *dirs, "-o", str(out)], env, runs)
    load = ("import sys, pyoxigraph; s = pyoxigraph.Store(); "
            "s.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES)")
    rows["raw pyoxigraph load"] = median_run([py, "-c", load, str(out / "iapgraph.nt")], env, runs)
    rows["python -c pass"] = median_run([py, "-c", "pass"], env, runs)
    return rows


def make_lab(graph: Path, statements: int, folder: Path) -> Path:
    """The lab folder, written by a child process: this one stays small, since a child's peak RSS
    (ru_maxrss) starts from its parent's size at the fork."""
    code = ("import sys; from pathlib import Path; from _background import write_lab_folder; import iapgraph; "
            "write_lab_folder(iapgraph.load(Path(sys.argv[1])).dataset, int(sys.argv[2]), Path(sys.argv[3]))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT / "src")])}
    subprocess.run([sys.executable, "-c", code, str(graph), str(statements), str(folder)], env=env, check=True)
    return folder


def turtle_triples(path: Path) -> str:
    import pyoxigraph

    lines = sorted(str(t) for t in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def validation_slope(graph: Path, lab_rows: int, tmp: Path, src: Path) -> list[tuple[int, float]]:
    """In-process validation seconds of graph/ + a lab folder of n/4, n/2 and n rows."""
    code = ("import sys, time; from iapgraph.validate import load_dataset; t = time.perf_counter(); "
            "load_dataset(sys.argv[1:]); print(time.perf_counter() - t)")
    found = []
    for n in (lab_rows // 4, lab_rows // 2, lab_rows):
        lab = make_lab(graph, n, tmp / f"lab{n}")
        env = {**os.environ, "PYTHONPATH": str(src)}
        times = [float(subprocess.run([sys.executable, "-c", code, str(graph), str(lab)], env=env, check=True,
                                      capture_output=True, text=True).stdout) for _ in range(3)]
        found.append((n, statistics.median(times)))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=60_000, help="rows of the generated lab folder")
    parser.add_argument("--runs", type=int, default=3, help="processes per figure (median)")
    parser.add_argument("--baseline", default="5dcc33d", help="git revision to compare with ('' for none)")
    args = parser.parse_args()
    graph = ROOT / "graph"
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        lab = make_lab(graph, args.statements, tmp / "lab")
        sources = {"now": ROOT / "src"}
        if args.baseline:
            archive = subprocess.run(["git", "archive", args.baseline, "src"], cwd=ROOT, capture_output=True,
                                     check=True).stdout
            (tmp / "base").mkdir()
            subprocess.run(["tar", "-x", "-C", str(tmp / "base")], input=archive, check=True)
            sources["base"] = tmp / "base" / "src"
        results, outputs = {}, {}
        for name, src in sources.items():
            outputs[name] = tmp / f"out-{name}"
            results[name] = measure(src, graph, lab, outputs[name], args.runs, tmp / f"cache-{name}")
            print(f"  measured {name} ({src})", file=sys.stderr, flush=True)
        nt = outputs["now"] / "iapgraph.nt"
        triples = sum(1 for _ in nt.open("rb"))
        print(f"iapgraph build: graph/ + a generated lab folder of {args.statements:,} statements "
              f"({triples:,} triples, {nt.stat().st_size / 2**20:.0f} MB of N-Triples); {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}; median of {args.runs} processes, peak = max RSS")
        now, base = results["now"], results.get("base")
        head = f"{'':26} {'now s':>8} {'now MB':>7}"
        if base:
            head += f" {args.baseline + ' s':>11} {args.baseline + ' MB':>11} {'ratio s':>8} {'ratio MB':>8}"
        print(head)
        for what, (seconds, peak) in now.items():
            line = f"{what:26} {seconds:8.2f} {peak:7.0f}"
            if base:
                b_seconds, b_peak = base[what]
                line += f" {b_seconds:11.2f} {b_peak:11.0f} {seconds / b_seconds:8.2f} {peak / b_peak:8.2f}"
            print(line)
        raw = now["raw pyoxigraph load"][0]
        for what in ("build (cold cache)", "build (warm cache)"):
            line = f"{what} / raw pyoxigraph load process: {now[what][0] / raw:.2f}x now"
            if base:
                line += f", {base[what][0] / base['raw pyoxigraph load'][0]:.2f}x at {args.baseline}"
            print(line + " (goal: at most 1.5x; peak under 1,024 MB)")
        if base:
            same_nt = (outputs["now"] / "iapgraph.nt").read_bytes() == (outputs["base"] / "iapgraph.nt").read_bytes()
            same_ttl = turtle_triples(outputs["now"] / "iapgraph.ttl") == turtle_triples(outputs["base"] / "iapgraph.ttl")
            print(f"iapgraph.nt byte for byte as at {args.baseline}: {'yes' if same_nt else 'NO'}; "
                  f"iapgraph.ttl the same triples (pyoxigraph's reading): {'yes' if same_ttl else 'NO'}")
        slope_rows = validation_slope(graph, args.statements, tmp, ROOT / "src")
        print("validation in process (load_dataset of graph/ + lab rows; median of 3):")
        for n, seconds in slope_rows:
            print(f"  {n:>7,} lab rows: {seconds:6.2f} s")
        (n0, t0), (n1, t1) = slope_rows[0], slope_rows[-1]
        print(f"  log-log slope {n0:,} -> {n1:,}: {math.log(t1 / t0) / math.log(n1 / n0):.2f} (1.0 = linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
