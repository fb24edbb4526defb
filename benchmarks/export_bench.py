#!/usr/bin/env python3
"""`iapgraph export` on the curated graph: seconds per format in process and as a cold CLI process
(medians), file sizes and the counts each export reports; then the SHACL check of the built RDF
(`iapgraph validate --shacl`). No assertions.

    python benchmarks/export_bench.py [RUNS]

With ``--triples N``: every format on the curated graph merged with a generated background of
about N triples (benchmarks/_background.py), each export in its own process (seconds of the export
call, peak RSS of the process, the dataset included), beside the same on the src/ of a baseline
revision, with the ratios, and each format's time over N-Triples writing (issue 19: within 3x, peak
under 1 GB):

    python benchmarks/export_bench.py --triples 1000000 --baseline 5dcc33d
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# a --child process imports the src/ it is given (a baseline revision's), the others this checkout's
sys.path.insert(0, sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--child" else str(ROOT / "src"))

import iapgraph  # noqa: E402
from iapgraph.export import FORMATS, export  # noqa: E402

OUTPUT = {"turtle": "iap.ttl", "ntriples": "iap.nt", "jsonld": "iap.jsonld", "graphml": "iap.graphml",
          "cx2": "iap.cx2", "kgx": "iap", "sif": "iap.sif", "neo4j": "iap", "indra": "iap.json", "bel": "iap.bel"}


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _child(src: str, pickled: str, fmt: str, target: str) -> None:
    """One export in this process; prints seconds, peak MB and the counts as JSON."""
    import gc
    import json
    import pickle
    import resource

    assert iapgraph.__file__.startswith(src), (iapgraph.__file__, src)

    with open(pickled, "rb") as f:
        dataset = pickle.load(f)
    from iapgraph import vocab

    for entity in dataset.entities.values():  # a baseline may not know a kind added since (experimental_model
        if entity.kind not in vocab.KINDS:     # was cell_type or organism): give it the nearest it knows
            object.__setattr__(entity, "kind", "cell_type")
    gc.collect()
    start = time.perf_counter()
    result = export(dataset, fmt, target)
    took = time.perf_counter() - start
    size = sum(p.stat().st_size for p in result.paths)
    print(json.dumps({"seconds": took, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "bytes": size, "counts": result.counts}))


def at_scale(triples: int, baseline: str) -> int:
    """Every format at about ``triples`` background triples, now and at ``baseline``."""
    import json
    import pickle

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _background import generate, merge

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        curated = iapgraph.load().dataset
        dataset = merge(curated, generate(curated, triples))
        pickled = tmp / "dataset.pickle"
        pickled.write_bytes(pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL))
        sources = {"now": str(ROOT / "src")}
        if baseline:
            archive = subprocess.run(["git", "archive", baseline, "src"], cwd=ROOT, capture_output=True,
                                     check=True).stdout
            (tmp / "base").mkdir()
            subprocess.run(["tar", "-x", "-C", str(tmp / "base")], input=archive, check=True)
            sources["base"] = str(tmp / "base" / "src")
        rows: dict[str, dict[str, dict]] = {name: {} for name in sources}
        for fmt in FORMATS:
            for name, src in sources.items():
                (tmp / f"out-{name}").mkdir(exist_ok=True)
                target = tmp / f"out-{name}" / OUTPUT[fmt]
                done = subprocess.run([sys.executable, __file__, "--child", src, str(pickled), fmt, str(target)],
                                      stdout=subprocess.PIPE, text=True)
                rows[name][fmt] = json.loads(done.stdout) if done.returncode == 0 else None
                got = rows[name][fmt]
                print(f"  {fmt} {name}: " + (f"{got['seconds']:.1f} s, {got['peak']:.0f} MB" if got else "failed"),
                      file=sys.stderr, flush=True)
                for path in (tmp / f"out-{name}").iterdir():
                    path.unlink()
    now, base = rows["now"], rows.get("base")
    nt = now["ntriples"]["seconds"]
    print(f"every export format: curated graph + {len(dataset.statements):,} statements "
          f"({now['ntriples']['counts'].get('triples', 0):,} triples); one process per export; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    head = f"{'format':9} {'now s':>7} {'/ nt':>5} {'now MB':>7}"
    if base:
        head += f" {baseline + ' s':>10} {baseline + ' MB':>11} {'ratio s':>8} {'ratio MB':>8}"
    print(head + "  counts (now)")
    for fmt in FORMATS:
        got = now[fmt]
        if got is None:
            print(f"{fmt:9} failed")
            continue
        line = f"{fmt:9} {got['seconds']:7.1f} {got['seconds'] / nt:5.1f} {got['peak']:7.0f}"
        if base:
            old = base[fmt]
            line += (f" {old['seconds']:10.1f} {old['peak']:11.0f} {got['seconds'] / old['seconds']:8.2f} "
                     f"{got['peak'] / old['peak']:8.2f}" if old else f" {'failed':>10}")
        counts = ", ".join(f"{v:,} {k}" for k, v in got["counts"].items())
        print(f"{line}  {counts}")
    worst = max((f for f in FORMATS if now[f]), key=lambda f: now[f]["seconds"])
    print(f"slowest: {worst} {now[worst]['seconds'] / nt:.1f}x N-Triples writing (goal: every format within 3x); "
          f"highest peak {max(now[f]['peak'] for f in FORMATS if now[f]):.0f} MB (goal: under 1,024 MB)")
    return 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(*sys.argv[2:6])
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--triples":
        triples = int(sys.argv[2])
        baseline = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--baseline" else "5dcc33d"
        return at_scale(triples, baseline)
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    kg = iapgraph.load()
    print(f"{len(kg.entities)} entities, {len(kg.statements)} statements; median of {runs} runs "
          f"(the first, which imports the format's libraries, not counted)")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    print(f"{'format':9} {'in-proc s':>9} {'cli s':>6} {'bytes':>11}  counts")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in FORMATS:
            target = Path(tmp) / OUTPUT[fmt]
            result = export(kg, fmt, target)  # warm-up: imports rdflib / networkx / ndex2
            seconds = median_seconds(lambda fmt=fmt, target=target: export(kg, fmt, target), runs)
            cli = [sys.executable, "-m", "iapgraph", "export", "--format", fmt, "-o", str(target)]
            cli_seconds = median_seconds(lambda cli=cli: subprocess.run(cli, check=True, env=env,
                                                                         capture_output=True), runs)
            size = sum(p.stat().st_size for p in result.paths)
            counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
            print(f"{fmt:9} {seconds:9.2f} {cli_seconds:6.2f} {size:11,}  {counts}")
    from iapgraph.shacl import violations

    data = kg.to_rdf()
    violations(data)  # warm-up: imports pyshacl
    seconds = median_seconds(lambda: violations(data), runs)
    cli = [sys.executable, "-m", "iapgraph", "validate", "--shacl"]
    cli_seconds = median_seconds(lambda: subprocess.run(cli, check=True, env=env, capture_output=True), runs)
    print(f"{'shacl':9} {seconds:9.2f} {cli_seconds:6.2f} {'':11}  pyshacl on the built RDF "
          f"({len(data)} triples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
