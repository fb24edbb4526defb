#!/usr/bin/env python3
"""How the costs grow with the graph: the curated graph merged with generated backgrounds of 10^4,
10^5 and 10^6 RDF statements (triples), each measured in its own process so peaks are separate.

Per size: building the RDF from the model (rdf.to_rdf), exporting it (N-Triples and Turtle, as
``iapgraph build`` writes them), peak memory (ru_maxrss of the process), loading the N-Triples into
the embedded store (pyoxigraph), the query library on Oxigraph (first example of each query;
median over the queries, and the slowest), building the networkx graph, and path search
(``kg.paths``: the walk index, then k=5 chains between random generated proteins, and between
two of the 50 best-connected ones). Then the log-log slope
of each cost between sizes: 1.0 means it grows like n, 2.0 like n^2.

The background is made of model records (benchmarks/_background.py), so every step runs the
project's own code. Prints tables; asserts nothing.

    python benchmarks/scale_bench.py                        # 10^4, 10^5, 10^6 (several minutes)
    python benchmarks/scale_bench.py --sizes 10000 100000   # quicker
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: (key, header, unit) of each measured cost, in table order.
COSTS = [
    ("build", "build s", "s"), ("nt", "nt s", "s"), ("ttl", "ttl s", "s"), ("peak", "peak MB", "MB"),
    ("ox_load", "ox load s", "s"), ("query_median", "query med ms", "ms"),
    ("query_max", "query max ms", "ms"), ("networkx", "nx build s", "s"),
    ("walk_index", "walk index s", "s"), ("path_median", "path med ms", "ms"),
    ("hub_path_median", "hub path med ms", "ms"),
]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure(size: int, reps: int, pairs: int) -> dict:
    """Every cost for one background size (run in a child process)."""
    from _background import generate, merge

    import iapgraph
    from iapgraph.kg import KnowledgeGraph
    from iapgraph.rdf import to_rdf
    from iapgraph.sparql.engines import OxigraphEngine
    from iapgraph.sparql.expected import as_params
    from iapgraph.sparql.library import library
    from iapgraph.sparql.query import bind_parameters, prepare

    row: dict = {"size": size}
    curated = iapgraph.load().dataset
    row["generate"], background = _timed(generate, curated, size)
    dataset = merge(curated, background)
    kg = KnowledgeGraph(dataset)
    row["entities"], row["statements"] = len(dataset.entities), len(dataset.statements)
    _say(f"  {size:,}: generated {len(background.statements):,} statements in {row['generate']:.1f} s")

    row["build"], graph = _timed(to_rdf, dataset)
    row["triples"] = len(graph)
    with tempfile.TemporaryDirectory() as tmp:
        nt, ttl = Path(tmp) / "iapgraph.nt", Path(tmp) / "iapgraph.ttl"
        row["nt"], _ = _timed(graph.serialize, destination=str(nt), format="nt", encoding="utf-8")
        row["ttl"], _ = _timed(graph.serialize, destination=str(ttl), format="turtle")
        row["nt_mb"], row["ttl_mb"] = nt.stat().st_size / 2**20, ttl.stat().st_size / 2**20
        row["extra_exports"] = _extra_exports(kg, Path(tmp))
        _say(f"  {size:,}: {row['triples']:,} triples; build {row['build']:.1f} s, nt {row['nt']:.1f} s, "
             f"ttl {row['ttl']:.1f} s")
        del graph
        gc.collect()
        row["ox_load"], engine = _timed(OxigraphEngine, nt)

    times: dict[str, float] = {}
    for name, lq in library().items():
        prepared = prepare(lq, bind_parameters(kg, lq, as_params(lq.examples[0] if lq.examples else ())))
        runs = [_timed(prepared.run, engine)[0] for _ in range(reps)]
        times[name] = statistics.median(runs)
    slowest = max(times, key=times.__getitem__)
    row["query_median"] = statistics.median(times.values()) * 1000
    row["query_max"], row["query_slowest"] = times[slowest] * 1000, slowest
    _say(f"  {size:,}: oxigraph load {row['ox_load']:.1f} s; {len(times)} queries, median "
         f"{row['query_median']:.1f} ms, slowest {slowest} {row['query_max']:.0f} ms")
    del engine
    gc.collect()

    import networkx  # noqa: F401  (its import, 0.5 s, is not the build)

    row["networkx"], _ = _timed(kg.to_networkx)
    from iapgraph.paths.search import WalkOptions, walk_index

    row["walk_index"], _ = _timed(walk_index, dataset, WalkOptions())
    rng = random.Random(11)
    proteins = [e.id for e in background.entities.values() if e.kind == "protein"]
    row["names"], _ = _timed(kg.resolve, proteins[0])  # the name index, built on first use
    degree = Counter(x for s in background.statements for x in (s.subject, s.object))
    hubs = sorted(proteins, key=lambda p: -degree[p])[:50]
    for key, pool in (("path", proteins), ("hub_path", hubs)):
        path_times, found = [], 0
        for _ in range(pairs):
            source, target = rng.sample(pool, 2)
            took, chains = _timed(kg.paths, source, target, k=5)
            path_times.append(took * 1000)
            found += bool(chains)
        row[f"{key}_median"], row[f"{key}s_found"] = statistics.median(path_times), f"{found}/{pairs}"
    row["curated_path"] = _timed(kg.paths, "SMAC mimetic", "NIK", k=3)[0] * 1000
    row["peak"] = _peak_mb()
    _say(f"  {size:,}: walk index {row['walk_index']:.1f} s, path median {row['path_median']:.1f} ms; "
         f"peak {row['peak']:.0f} MB")
    return row


def _extra_exports(kg, folder: Path) -> dict[str, float]:
    """Seconds per format of ``iapgraph.export`` (``export(kg, FORMAT, path)`` over its FORMATS),
    when that module exists."""
    if importlib.util.find_spec("iapgraph.export") is None:
        return {}
    import iapgraph.export as export

    timings: dict[str, float] = {}
    for fmt in getattr(export, "FORMATS", ()):
        try:
            timings[fmt], _ = _timed(export.export, kg, fmt, folder / f"export.{fmt}")
        except Exception as exc:  # a benchmark reports a broken format and goes on
            _say(f"  export {fmt} failed: {exc}")
    return timings


def slope(a: float, b: float, n_a: float, n_b: float) -> float | None:
    if a <= 0 or b <= 0 or n_a == n_b:
        return None
    return math.log(b / a) / math.log(n_b / n_a)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 1 else f"{value:.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def report(rows: list[dict]) -> None:
    print()
    header = ["background", "triples", "statements", *(h for _, h, _ in COSTS)]
    table = [[_cell(r["size"]), _cell(r["triples"]), _cell(r["statements"]),
              *(_cell(r[k]) for k, _, _ in COSTS)] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *table, strict=True)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for line in table:
        print("  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)))
    print()
    for r in rows:
        extra = ", ".join(f"{k} {v:.1f} s" for k, v in r["extra_exports"].items()) or \
            "no iapgraph.export module"
        print(f"{r['size']:>9,}: nt {r['nt_mb']:.1f} MB, ttl {r['ttl_mb']:.1f} MB; slowest query "
              f"{r['query_slowest']}; chains found {r['paths_found']} random, {r['hub_paths_found']} hub pairs; SMAC mimetic -> NIK (k=3) "
              f"{r['curated_path']:.1f} ms; name index {r['names']:.2f} s; generating {r['generate']:.1f} s; "
              f"{extra}")
    if len(rows) < 2:
        return
    print("\nlog-log slope of each cost against triples (cost ~ n^slope)")
    spans = [(rows[i], rows[i + 1]) for i in range(len(rows) - 1)]
    if len(rows) > 2:
        spans.append((rows[0], rows[-1]))
    labels = [f"{a['size']:,} -> {b['size']:,}" for a, b in spans]
    formats = [f for f in rows[0]["extra_exports"] if all(f in r["extra_exports"] for r in rows)]
    lines = [(head, [r[key] for r in rows]) for key, head, _ in COSTS]
    lines += [(f"export {f} s", [r["extra_exports"][f] for r in rows]) for f in formats]
    index = {id(r): i for i, r in enumerate(rows)}
    width = max(len(head) for head, _ in lines)
    print(" " * width + "  " + "  ".join(label.rjust(18) for label in labels))
    for head, values in lines:
        cells = []
        for a, b in spans:
            s = slope(values[index[id(a)]], values[index[id(b)]], a["triples"], b["triples"])
            cells.append(("-" if s is None else f"{s:.2f}").rjust(18))
        print(head.ljust(width) + "  " + "  ".join(cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="background triples to add to the curated graph, one process each")
    parser.add_argument("--reps", type=int, default=3, help="runs per query (median)")
    parser.add_argument("--pairs", type=int, default=20, help="path searches per size")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child, args.reps, args.pairs)))
        return 0

    print(f"iapgraph scale benchmark: curated graph + generated background, {os.cpu_count()} cores")
    rows = []
    for size in sorted(args.sizes):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, "--child", str(size), "--reps", str(args.reps),
                               "--pairs", str(args.pairs)], stdout=subprocess.PIPE, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  {size:,}: {time.perf_counter() - start:.0f} s wall in all", flush=True)
    report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
