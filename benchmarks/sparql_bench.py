"""The query library on Oxigraph and rdflib's engine: on the curated graph, and on the curated graph
merged with a generated background graph of about a million triples shaped like it.

Prints a table of median times per query (the first example of each library query), the ratio
rdflib / Oxigraph, load times and memory, and the cold wall time of ``python -m iapgraph query``.
rdflib is capped per query (``--cap``); a capped query is reported as a timeout, not left out.

    python benchmarks/sparql_bench.py                       # about 6-9 minutes on 2 cores, plus ~70 s
                                                            # to build the 1M background (scale_bench.py)
    python benchmarks/sparql_bench.py --background 100000   # quicker

Each engine loads the graph once in its own process; each query then runs in a forked child
(copy-on-write, so no reload), which is killed when it overruns the cap.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _background import generate, write_ntriples  # noqa: E402

import iapgraph  # noqa: E402
from iapgraph.sparql.expected import as_params  # noqa: E402
from iapgraph.sparql.library import library  # noqa: E402
from iapgraph.sparql.query import bind_parameters, prepare  # noqa: E402

# --- a background graph shaped like the curated one (benchmarks/_background.py) ---------------

def background(kg, target: int, out: Path, seed: int = 7) -> int:
    """Write about ``target`` triples of generated entities and statements, built by the project's
    RDF builder from generated model records shaped like the curated graph. Returns the count."""
    return write_ntriples(generate(kg.dataset, target, seed), out)


# --- measuring ----------------------------------------------------------------------------------

_ENGINE = None


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _child(conn, prepared, reps: int) -> None:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        result = prepared.run(_ENGINE)
        times.append(time.perf_counter() - start)
    conn.send((times, len(result.rows)))


def _helper(conn, engine: str, nt: str, queries: list, reps: int, cap: float) -> None:
    """Load one engine once, then time each query in a forked child killed after ``cap`` s."""
    global _ENGINE
    from iapgraph.sparql.engines import OxigraphEngine, RdflibEngine

    before = _rss_mb()
    start = time.perf_counter()
    _ENGINE = OxigraphEngine(Path(nt)) if engine == "oxigraph" else RdflibEngine.from_ntriples(Path(nt))
    conn.send(("loaded", time.perf_counter() - start, _rss_mb() - before))
    fork = mp.get_context("fork")
    for name, prepared in queries:
        here, there = fork.Pipe()
        child = fork.Process(target=_child, args=(there, prepared, reps))
        child.start()
        if here.poll(cap * reps + 5):
            times, rows = here.recv()
            conn.send((name, statistics.median(times), rows))
        else:
            child.kill()
            conn.send((name, None, None))
        child.join()
    conn.send(("done",))


def measure(engine: str, nt: Path, queries: list, reps: int, cap: float) -> dict:
    ctx = mp.get_context("spawn")
    here, there = ctx.Pipe()
    proc = ctx.Process(target=_helper, args=(there, engine, str(nt), queries, reps, cap))
    proc.start()
    _, load, memory = here.recv()
    print(f"  {engine}: loaded in {load:.1f} s (+{memory:.0f} MB)", flush=True)
    times: dict[str, tuple[float | None, int | None]] = {}
    while True:
        message = here.recv()
        if message[0] == "done":
            break
        name, median, rows = message
        times[name] = (median, rows)
    proc.join()
    return {"load": load, "memory": memory, "times": times}


def cold_cli(name: str, runs: int = 5) -> float:
    """Median wall time of a fresh ``python -m iapgraph query NAME`` (N-Triples cache warm)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "iapgraph", "query", name], env=env, check=True,
                       capture_output=True)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def _ms(value: float | None, cap: float) -> str:
    return f">{cap:.0f} s" if value is None else f"{value * 1000:.1f}"


def _ratio(slow: float | None, fast: float | None, cap: float) -> str:
    if fast is None:
        return "-"
    if slow is None:
        return f">{cap / fast:.0f}x"
    return f"{slow / fast:.0f}x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--background", type=int, default=1_000_000, help="generated triples to add")
    parser.add_argument("--reps", type=int, default=3, help="runs per query (median)")
    parser.add_argument("--cap", type=float, default=10.0, help="seconds per rdflib query on the big graph")
    args = parser.parse_args()

    kg = iapgraph.load()
    queries = []
    for name, lq in library().items():
        pairs = lq.examples[0] if lq.examples else ()
        queries.append((name, prepare(lq, bind_parameters(kg, lq, as_params(pairs)))))
    # A private copy: the shared cache prunes old entries while other processes build new ones.
    curated_bytes = iapgraph.load().ntriples().read_bytes()
    size = curated_bytes.count(b"\n")
    print(f"iapgraph SPARQL benchmark: {len(queries)} library queries (first example each), "
          f"{os.cpu_count()} cores")
    print(f"cold `python -m iapgraph query caspase-inhibitors`: {cold_cli('caspase-inhibitors'):.2f} s "
          f"(median of 5)", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "merged.nt"
        curated = Path(tmp) / "curated.nt"
        curated.write_bytes(curated_bytes)
        start = time.perf_counter()
        extra = background(kg, args.background, Path(tmp) / "background.nt")
        big.write_bytes(curated_bytes + (Path(tmp) / "background.nt").read_bytes())
        print(f"background: {extra:,} generated triples in {time.perf_counter() - start:.1f} s", flush=True)
        runs = {}
        print("curated graph:", flush=True)
        runs["small", "oxigraph"] = measure("oxigraph", curated, queries, args.reps, 120)
        runs["small", "rdflib"] = measure("rdflib", curated, queries, args.reps, 120)
        print("curated + background:", flush=True)
        runs["big", "oxigraph"] = measure("oxigraph", big, queries, args.reps, 120)
        runs["big", "rdflib"] = measure("rdflib", big, queries, 1, args.cap)

    print()
    print(f"median ms per query; curated = {size:,} triples, big = {size + extra:,} triples; "
          f"rdflib on big: 1 run, capped at {args.cap:g} s")
    header = (f"{'query':22} {'rows':>5} {'ox ms':>8} {'rdflib ms':>10} {'ratio':>6} | "
              f"{'rows':>6} {'ox ms':>8} {'rdflib ms':>10} {'ratio':>7}")
    print(header)
    print("-" * len(header))
    for name, _ in queries:
        so, sr = runs["small", "oxigraph"]["times"][name], runs["small", "rdflib"]["times"][name]
        bo, br = runs["big", "oxigraph"]["times"][name], runs["big", "rdflib"]["times"][name]
        print(f"{name:22} {so[1] if so[1] is not None else '-':>5} {_ms(so[0], 120):>8} "
              f"{_ms(sr[0], 120):>10} {_ratio(sr[0], so[0], 120):>6} | "
              f"{bo[1] if bo[1] is not None else '-':>6} {_ms(bo[0], 120):>8} {_ms(br[0], args.cap):>10} "
              f"{_ratio(br[0], bo[0], args.cap):>7}")

    def summary(key: tuple[str, str]) -> str:
        values = [t for t, _ in runs[key]["times"].values() if t is not None]
        timeouts = sum(1 for t, _ in runs[key]["times"].values() if t is None)
        median = f"{statistics.median(values) * 1000:.1f} ms" if values else "-"
        return f"median {median}, {timeouts} timeouts"

    print("-" * len(header))
    for key in runs:
        run = runs[key]
        print(f"{key[0]:5} {key[1]:8} load {run['load']:6.1f} s  +{run['memory']:5.0f} MB  {summary(key)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
