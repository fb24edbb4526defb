#!/usr/bin/env python3
"""How the costs grow with the graph: the curated graph merged with generated backgrounds of 10^4,
10^5 and 10^6 RDF statements (triples), each measured in its own process so peaks are separate.

Per size: building the RDF from the model, writing it (N-Triples and Turtle, as ``iapgraph build``
writes them: since issue 19 "build" is the sorted N-Triples text written straight from the model by
iapgraph.ntriples, "nt" writing those bytes and "ttl" pyoxigraph's Turtle of them; at a revision
before it, "build" is rdf.to_rdf's rdflib Graph and "nt" / "ttl" rdflib's serialisers), peak memory (ru_maxrss of the process), loading the N-Triples into
the embedded store (pyoxigraph), the query library on Oxigraph (first example of each query;
median over the queries, and the slowest), building the networkx graph, and path search
(``kg.paths``: the walk index, then k=5 chains between random generated proteins, and between
two of the 50 best-connected ones). Then the log-log slope
of each cost between sizes: 1.0 means it grows like n, 2.0 like n^2.

The background is made of model records (benchmarks/_background.py), so every step runs the
project's own code. Prints tables; asserts nothing.

    python benchmarks/scale_bench.py                        # 10^4, 10^5, 10^6 (several minutes)
    python benchmarks/scale_bench.py --sizes 10000 100000   # quicker
    python benchmarks/scale_bench.py --baseline 5dcc33d --parts build   # build and exports only,
                                     # beside the same on a baseline revision's src/, with ratios
"""

from __future__ import annotations

import argparse
import gc
import hashlib
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
# a child process imports the src/ it is given (--src, a baseline revision's), else this checkout's
_SRC = sys.argv[sys.argv.index("--src") + 1] if "--src" in sys.argv else str(ROOT / "src")
sys.path.insert(0, _SRC)
sys.path.insert(0, str(ROOT / "benchmarks"))

#: (key, header, unit) of each measured cost, in table order.
COSTS = [
    ("build", "build s", "s"), ("nt", "nt s", "s"), ("ttl", "ttl s", "s"), ("rdf_total", "rdf s", "s"),
    ("peak_rdf", "peak rdf MB", "MB"), ("peak", "peak MB", "MB"),
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


def _write_rdf(dataset, nt: Path, ttl: Path, row: dict) -> None:
    """build / nt / ttl seconds and triples, from the model (this checkout) or through rdflib (a
    revision without iapgraph.ntriples)."""
    if importlib.util.find_spec("iapgraph.ntriples") is not None:
        from iapgraph.ntriples import ntriples, turtle_from_ntriples

        row["build"], data = _timed(ntriples, dataset)
        row["triples"] = data.count(b"\n")
        row["nt"], _ = _timed(nt.write_bytes, data)
        row["ttl"], _ = _timed(turtle_from_ntriples, data, ttl)
        del data
        return
    from iapgraph.rdf import to_rdf

    row["build"], graph = _timed(to_rdf, dataset)
    row["triples"] = len(graph)
    row["nt"], _ = _timed(graph.serialize, destination=str(nt), format="nt", encoding="utf-8")
    row["ttl"], _ = _timed(graph.serialize, destination=str(ttl), format="turtle")
    del graph
    gc.collect()


def measure(size: int, reps: int, pairs: int, parts: str = "all") -> dict:
    """Every cost for one background size (run in a child process)."""
    from _background import generate, merge

    import iapgraph
    from iapgraph.kg import KnowledgeGraph
    from iapgraph.sparql.engines import OxigraphEngine
    from iapgraph.sparql.expected import as_params
    from iapgraph.sparql.library import library
    from iapgraph.sparql.query import bind_parameters, prepare

    row: dict = {"size": size}
    curated = iapgraph.load(ROOT / "graph").dataset  # a baseline's src/ has no graph/ beside it
    row["generate"], background = _timed(generate, curated, size)
    dataset = merge(curated, background)
    kg = KnowledgeGraph(dataset)
    row["entities"], row["statements"] = len(dataset.entities), len(dataset.statements)
    _say(f"  {size:,}: generated {len(background.statements):,} statements in {row['generate']:.1f} s")

    with tempfile.TemporaryDirectory() as tmp:
        nt, ttl = Path(tmp) / "iapgraph.nt", Path(tmp) / "iapgraph.ttl"
        _write_rdf(dataset, nt, ttl, row)
        row["rdf_total"] = row["build"] + row["nt"] + row["ttl"]
        row["peak_rdf"] = _peak_mb()
        row["nt_mb"], row["ttl_mb"] = nt.stat().st_size / 2**20, ttl.stat().st_size / 2**20
        nt_digest = hashlib.sha256(b"".join(sorted(nt.read_bytes().splitlines(keepends=True)))).hexdigest()
        ttl_digest = _turtle_digest(ttl)
        row["rdf_sha256"] = f"nt sorted lines {nt_digest[:16]}, ttl triples {ttl_digest[:16]}"
        _say(f"  {size:,}: {row['triples']:,} triples; build {row['build']:.1f} s, nt {row['nt']:.1f} s, "
             f"ttl {row['ttl']:.1f} s")
        gc.collect()
        row["ox_load"], engine = _timed(OxigraphEngine, nt)
        if parts == "build":
            del engine
            gc.collect()
        row["extra_exports"] = _extra_exports(kg, Path(tmp))
    if parts == "build":
        row["peak"] = _peak_mb()
        return row

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


def _turtle_digest(path: Path) -> str:
    """SHA-256 of the sorted triples pyoxigraph reads from a Turtle file."""
    import pyoxigraph

    lines = sorted(str(t) for t in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


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


def report(rows: list[dict], title: str = "") -> None:
    print(f"\n{title}" if title else "")
    costs = [(k, h, u) for k, h, u in COSTS if any(k in r for r in rows)]
    header = ["background", "triples", "statements", *(h for _, h, _ in costs)]
    table = [[_cell(r["size"]), _cell(r["triples"]), _cell(r["statements"]),
              *(_cell(r.get(k, "-")) for k, _, _ in costs)] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *table, strict=True)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for line in table:
        print("  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)))
    print()
    for r in rows:
        extra = ", ".join(f"{k} {v:.1f} s" for k, v in r["extra_exports"].items()) or \
            "no iapgraph.export module"
        more = ""
        if "query_slowest" in r:
            more = (f"slowest query {r['query_slowest']}; chains found {r['paths_found']} random, "
                    f"{r['hub_paths_found']} hub pairs; SMAC mimetic -> NIK (k=3) {r['curated_path']:.1f} ms; "
                    f"name index {r['names']:.2f} s; ")
        print(f"{r['size']:>9,}: nt {r['nt_mb']:.1f} MB, ttl {r['ttl_mb']:.1f} MB; {more}generating "
              f"{r['generate']:.1f} s; sha256 {r['rdf_sha256']}; {extra}")
    if len(rows) < 2:
        return
    print("\nlog-log slope of each cost against triples (cost ~ n^slope)")
    spans = [(rows[i], rows[i + 1]) for i in range(len(rows) - 1)]
    if len(rows) > 2:
        spans.append((rows[0], rows[-1]))
    labels = [f"{a['size']:,} -> {b['size']:,}" for a, b in spans]
    formats = [f for f in rows[0]["extra_exports"] if all(f in r["extra_exports"] for r in rows)]
    lines = [(head, [r[key] for r in rows]) for key, head, _ in costs]
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


def compare(now: list[dict], base: list[dict], revision: str) -> None:
    """Each cost now, at the baseline revision, and the ratio, per size."""
    print(f"\nnow against {revision} (same sizes, same generated graphs; ratio = now / {revision})")
    for r, b in zip(now, base, strict=True):
        print(f"  background {r['size']:,} ({r['triples']:,} triples now, {b['triples']:,} at {revision}):")
        keys = [(k, h) for k, h, _ in COSTS if k in r and k in b]
        keys += [(f, f"export {f} s") for f in r["extra_exports"] if f in b["extra_exports"]]
        for key, head in keys:
            x = r[key] if key in r else r["extra_exports"][key]
            y = b[key] if key in b else b["extra_exports"][key]
            if isinstance(x, (int, float)) and isinstance(y, (int, float)):
                print(f"    {head:16} {x:10.2f} {y:10.2f} {x / y if y else float('nan'):7.2f}")
        same = "yes" if r["rdf_sha256"] == b["rdf_sha256"] else "NO"
        print(f"    N-Triples bytes and Turtle triples identical: {same}")


def run_sizes(args: argparse.Namespace, src: str, label: str) -> list[dict]:
    rows = []
    for size in sorted(args.sizes):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, "--child", str(size), "--reps", str(args.reps),
                               "--pairs", str(args.pairs), "--parts", args.parts, "--src", src],
                              stdout=subprocess.PIPE, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  {label} {size:,}: {time.perf_counter() - start:.0f} s wall in all", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="background triples to add to the curated graph, one process each")
    parser.add_argument("--reps", type=int, default=3, help="runs per query (median)")
    parser.add_argument("--pairs", type=int, default=20, help="path searches per size")
    parser.add_argument("--parts", choices=["all", "build"], default="all",
                        help="build: only the RDF, the store load and the exports (no queries, paths)")
    parser.add_argument("--baseline", metavar="REV",
                        help="also run the same on the src/ of this git revision, and print the ratios")
    parser.add_argument("--src", default=str(ROOT / "src"), help=argparse.SUPPRESS)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child, args.reps, args.pairs, args.parts)))
        return 0

    print(f"iapgraph scale benchmark: curated graph + generated background, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    rows = run_sizes(args, str(ROOT / "src"), "now")
    if not args.baseline:
        report(rows)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "archive", args.baseline, "src"], cwd=ROOT, capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        base = run_sizes(args, f"{folder}/src", args.baseline)
    report(rows, "now")
    report(base, f"at {args.baseline}")
    compare(rows, base, args.baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
