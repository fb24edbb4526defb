"""Every library query at 10^6 background triples with its final ORDER BY done in Python
(``iapgraph.sparql.order``, today) against the same query sorted by Oxigraph (the baseline: the
code before, ``Prepared.unordered`` set to None), through the same engine in the same process,
interleaved, median of ``--reps``; the rows of both are compared (same rows, same order).

    python benchmarks/order_bench.py --nt /tmp/merged1m.nt      # reuse (or write) the N-Triples
    python benchmarks/order_bench.py --background 100000         # quicker
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _background import generate, write_ntriples  # noqa: E402

import iapgraph  # noqa: E402
from iapgraph.sparql.engines import OxigraphEngine  # noqa: E402
from iapgraph.sparql.expected import as_params  # noqa: E402
from iapgraph.sparql.library import library  # noqa: E402
from iapgraph.sparql.query import bind_parameters, prepare  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--background", type=int, default=1_000_000, help="generated background triples")
    parser.add_argument("--nt", type=Path, help="merged N-Triples to reuse (written when missing)")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()

    kg = iapgraph.load()
    nt = args.nt or Path(f"/tmp/iapgraph-order-{args.background}.nt")
    if not nt.exists():
        write_ntriples(generate(kg.dataset, args.background), nt)
    engine = OxigraphEngine(nt)
    print(f"order_bench: {len(engine):,} triples; reps {args.reps}; load average {os.getloadavg()}")
    print("| query | rows | Oxigraph sorts, ms | sorted here, ms | ratio | same |")
    print("|---|---|---|---|---|---|")
    ratios = []
    for name, lq in library().items():
        values = bind_parameters(kg, lq, as_params(lq.examples[0])) if lq.examples else {}
        now = prepare(lq, values)
        if now.unordered is None:
            print(f"| {name} | | | | (no final ORDER BY of variables) | |")
            continue
        before = dataclasses.replace(now, unordered=None)
        times: dict[str, list[float]] = {"before": [], "now": []}
        answers = {}
        for _ in range(args.reps):
            for label, prepared in (("before", before), ("now", now)):
                start = time.perf_counter()
                answers[label] = prepared.run(engine)
                times[label].append(time.perf_counter() - start)
        b, n = (statistics.median(times[k]) * 1000 for k in ("before", "now"))
        same = answers["before"].rows == answers["now"].rows
        ratios.append(n / b)
        print(f"| {name} | {len(answers['now'].rows)} | {b:.1f} | {n:.1f} | {n / b:.2f}x | {'yes' if same else 'NO'} |")
    print(f"median ratio {statistics.median(ratios):.2f}x over {len(ratios)} queries; "
          f"load average at the end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
