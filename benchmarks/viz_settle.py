#!/usr/bin/env python3
"""How big the HTML of `iapgraph viz` is and how long Debian's chromium takes, offline, from
navigation start to ``window.iapgraph.settled`` (drawn and fitted), median of N loads; for the
curated graph and a made-up graph of 5,000 nodes, beside the figures before issue 16 (the layout
then ran as vis-network physics in the page) and the ratio.

    python benchmarks/viz_settle.py                       # both graphs, 3 loads each
    python benchmarks/viz_settle.py --baseline e4f9059    # also measure that git revision here
    python benchmarks/viz_settle.py --synthetic 500 1200  # only a random graph of that size

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

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
#: Measured before issue 16 (physics in the page, 200 iterations): the curated graph settled after
#: about 3.5 s on this machine.
RECORDED_BEFORE_MS = {"full graph": 3500.0}

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


def wait_settled(page, timeout: float) -> bool:
    """Poll (the page's CSP forbids the eval that page.wait_for_function would use)."""
    end = time.monotonic() + timeout
    while not page.evaluate("() => !!(window.iapgraph && window.iapgraph.settled)"):
        if time.monotonic() > end:
            return False
        page.wait_for_timeout(25)
    return True


def wait_complete(page, timeout: float) -> float | None:
    """ms from navigation start until every node and edge is a vis object (``complete``; a big
    view's first paint draws the rest itself); pages from before that flag existed: the settle."""
    end = time.monotonic() + timeout
    while True:
        state = page.evaluate("() => [window.iapgraph.complete, window.iapgraph.timings]")
        if state[0] is None:
            return float(state[1]["settled"])
        if state[0]:
            return float(state[1].get("complete", state[1]["settled"]))
        if time.monotonic() > end:
            return None
        page.wait_for_timeout(25)


def measure(html: Path, runs: int, timeout: float) -> tuple[list[float | None], list[float | None]]:
    """ms from navigation start to the settled flag, and to complete, per load (None: not within
    ``timeout`` s)."""
    from playwright.sync_api import sync_playwright

    settled: list[float | None] = []
    complete: list[float | None] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(html.as_uri(), timeout=timeout * 1000)
            if wait_settled(page, timeout):
                settled.append(page.evaluate("() => window.iapgraph.timings.settled"))
                complete.append(wait_complete(page, timeout))
            else:
                settled.append(None)
                complete.append(None)
            page.close()
        browser.close()
    return settled, complete


def export_revision(revision: str, folder: Path) -> Path:
    """The src/ and graph/ of a git revision, unpacked into ``folder``."""
    archive = subprocess.run(["git", "archive", revision, "src", "graph"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def write(tree: Path, html: Path, extra: list[str], home: Path) -> float:
    """Run `iapgraph viz` of the checkout at ``tree`` (its cache under the throwaway ``home``);
    seconds taken."""
    home.mkdir(exist_ok=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "iapgraph", "viz", "-o", str(html), *extra], check=True,
                   cwd=tree, capture_output=True,
                   env={"PYTHONPATH": str(tree / "src"), "PATH": "/usr/bin:/bin", "HOME": str(home)})
    return time.perf_counter() - start


def median(values: list[float | None]) -> float | None:
    done = [v for v in values if v is not None]
    return statistics.median(done) if len(done) == len(values) else None


def show(ms: float | None, timeout: float) -> str:
    return f"{ms:8.0f}" if ms is not None else f"> {timeout * 1000:6.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--synthetic", nargs=2, type=int, metavar=("ENTITIES", "STATEMENTS"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", metavar="REV", default=None,
                        help="Also write and load the pages of this git revision (e.g. e4f9059, before "
                             "issue 16) and print its times beside.")
    parser.add_argument("--timeout", type=float, default=120.0, help="Seconds to wait for one load.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases: dict[str, list[str]] = {}
        if args.synthetic:
            synthetic(folder / "g", *args.synthetic)
            cases[f"{args.synthetic[0]:,} nodes"] = ["--graph-dir", str(folder / "g")]
        else:
            synthetic(folder / "g5000", 5000, 12000)
            cases["full graph"] = []
            cases["5,000 nodes"] = ["--graph-dir", str(folder / "g5000")]
        trees = {"now": ROOT}
        if args.baseline:
            (folder / "base").mkdir()
            trees[args.baseline] = export_revision(args.baseline, folder / "base")
        rows = []
        for case, extra in cases.items():
            row: dict[str, object] = {"case": case}
            for name, tree in trees.items():
                html = folder / f"{name}-{len(rows)}.html"
                took = write(tree, html, extra, folder / f"home-{name}")
                settled, complete = measure(html, args.runs, args.timeout)
                row[name] = (median(settled), html.stat().st_size, took, median(complete))
            rows.append(row)
    print(f"load -> window.iapgraph.settled (drawn and fitted), ms since navigation start, median of "
          f"{args.runs} loads (Debian's chromium, headless, from file://); 'complete': until every node "
          "and edge is also a vis object (a big view's first paint draws the rest itself)")
    head = f"{'view':12}  {'now ms':>8}  {'complete':>8}  {'size':>11}  {'write s':>7}"
    if args.baseline:
        head += f"  {args.baseline[:10] + ' ms':>13}  {'size':>11}  {'ratio':>6}  {'ratio complete':>14}"
    head += f"  {'recorded before':>15}  {'ratio':>6}"
    print(head)
    for row in rows:
        now, size, took, done = row["now"]  # type: ignore[misc]
        line = f"{row['case']:12}  {show(now, args.timeout)}  {show(done, args.timeout)}  {size:11,}  {took:7.2f}"
        if args.baseline:
            base, base_size, _, _ = row[args.baseline]  # type: ignore[misc]
            ratio = f"{now / base:6.2f}" if now and base else "     -"
            ratio_done = f"{done / base:14.2f}" if done and base else "             -"
            line += f"  {show(base, args.timeout):>13}  {base_size:11,}  {ratio}  {ratio_done}"
        recorded = RECORDED_BEFORE_MS.get(str(row["case"]))
        if recorded:
            line += f"  {recorded:15.0f}  {now / recorded if now else float('nan'):6.2f}"
        print(line)


if __name__ == "__main__":
    main()
