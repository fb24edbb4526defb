#!/usr/bin/env python3
"""`iapgraph export` on the curated graph: seconds per format in process and as a cold CLI process
(medians), file sizes and the counts each export reports; then the SHACL check of the built RDF
(`iapgraph validate --shacl`). No assertions.

    python benchmarks/export_bench.py [RUNS]
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
sys.path.insert(0, str(ROOT / "src"))

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


def main() -> int:
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
