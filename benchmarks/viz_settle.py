#!/usr/bin/env python3
"""How big the HTML of `iapgraph viz` is and how long Debian's chromium takes from load to a
settled layout (vis-network's stabilizationIterationsDone / stabilized events), offline.

    python benchmarks/viz_settle.py                    # the curated graph
    python benchmarks/viz_settle.py --synthetic 500 1200   # a random graph of that many entities/statements

Prints numbers; asserts nothing (timings belong here, not in tests).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]

KINDS = ["protein"] * 10 + ["biological_process"] * 3 + ["drug", "mirna", "complex", "cancer_type",
                                                         "phenotype", "clinical_trial"]
RELATIONS = ["binds", "inhibits", "activates", "ubiquitinates", "promotes", "suppresses", "regulates",
             "correlates_with", "upregulates", "downregulates"]


def synthetic(folder: Path, entities: int, statements: int, seed: int = 1) -> None:
    """A random graph shaped like ours: a few hubs (preferential attachment), valid TSV."""
    rng = random.Random(seed)
    (folder / "entities").mkdir(parents=True)
    (folder / "statements").mkdir()
    ent = ["id\tkind\tlabel\tsymbol\taliases\txrefs\tattributes\tdescription"]
    ids = [f"E{i:04d}" for i in range(entities)]
    for eid in ids:
        ent.append(f"{eid}\t{rng.choice(KINDS)}\tlabel {eid}\t\t\t\t\t")
    (folder / "entities" / "e.tsv").write_text("\n".join(ent) + "\n", encoding="utf-8")
    head = ("id\tsubject\trelation\tobject\teffect\tmechanism\tdomain\tcontext\tnegated\tsection\t"
            "citation\tevidence\tqualifiers\tnote")
    rows = [head]
    weights = [1.0 / (i + 1) ** 0.8 for i in range(entities)]
    for n in range(statements):
        a, b = rng.choices(ids, weights, k=2)
        if a == b:
            b = ids[(ids.index(a) + 1) % entities]
        rows.append(f"x-{n:05d}\t{a}\t{rng.choice(RELATIONS)}\t{b}\t\t\t\t\t\t2.1\treview\t"
                    f"synthetic quote number {n} for timing\t\t")
    (folder / "statements" / "s.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def wait_settled(page, timeout: float) -> None:
    """Poll (the page's CSP forbids the eval that page.wait_for_function would use)."""
    end = time.monotonic() + timeout
    while not page.evaluate("() => !!(window.iapgraph && window.iapgraph.settled)"):
        if time.monotonic() > end:
            raise TimeoutError("the layout did not settle")
        page.wait_for_timeout(25)


def measure(html: Path, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(html.as_uri())
            wait_settled(page, 300)
            results.append(page.evaluate(
                "({t: window.iapgraph.timings, nodes: window.iapgraph.nodes.length,"
                " edges: window.iapgraph.edges.length, iterations: window.iapgraph.stabilizedIterations,"
                " budget: window.iapgraph.data.options.physics.stabilization.iterations})"))
            page.close()
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", nargs=2, type=int, metavar=("ENTITIES", "STATEMENTS"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("viz_args", nargs="*", help="extra arguments for iapgraph viz")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        extra = list(args.viz_args)
        if args.synthetic:
            synthetic(Path(tmp) / "g", *args.synthetic)
            extra += ["--graph-dir", str(Path(tmp) / "g")]
        html = Path(tmp) / "viz.html"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "iapgraph", "viz", "-o", str(html), *extra], check=True,
                       env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
        took = time.perf_counter() - start
        results = measure(html, args.runs)
        size = html.stat().st_size
    done = [r["t"]["stabilizationIterationsDone"] for r in results]
    print(f"nodes {results[0]['nodes']}, edges {results[0]['edges']}, "
          f"iteration budget {results[0]['budget']}, iterations used {results[0]['iterations']}")
    print(f"html: {size:,} bytes; iapgraph viz took {took:.2f} s")
    print("load -> settled (stabilizationIterationsDone, ms since navigation start): "
          + ", ".join(f"{t:.0f}" for t in done) + f"; median {statistics.median(done):.0f}")
    stab = [r["t"].get("stabilized") for r in results]
    print("load -> stabilized event (ms): " + ", ".join(f"{t:.0f}" if t else "-" for t in stab))
    print("script start (ms): " + ", ".join(f"{r['t']['scriptStart']:.0f}" for r in results))


if __name__ == "__main__":
    main()
