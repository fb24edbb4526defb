"""Path search on a generated graph of about a million statements: prints a table, asserts nothing.

The graph is shaped like a protein knowledge graph: heavy-tailed degrees (a few proteins with
thousands of statements), a mix of causal, structural and associative relations, and hub nodes
(processes, hallmarks) that chains must not pass. Everything runs through the same code as
``kg.paths``: Dataset -> WalkIndex -> ChainSearch (Yen over bidirectional BFS).

    python benchmarks/paths_bench.py                 # ~1M statements, 40 queries per row
    python benchmarks/paths_bench.py --edges 100000  # quicker
    python benchmarks/paths_bench.py --baseline 529fcf7  # both, each in its own process, with ratios

Besides wall time, the walk index build and each query are given in CPU time of the process (less
disturbed by a busy machine). The load average is printed: on a shared 2-core machine figures vary by 2x.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CAUSAL = ["activates", "inhibits", "binds", "ubiquitinates", "phosphorylates", "upregulates",
          "downregulates", "degrades", "recruits", "regulates"]
EFFECTS = {"activates": "up", "inhibits": "down", "binds": "unknown", "ubiquitinates": "down",
           "phosphorylates": "up", "upregulates": "up", "downregulates": "down", "degrades": "down",
           "recruits": "up", "regulates": "unknown"}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(edges: int, seed: int = 7):
    """Entities and statements with Zipf-like degrees; ids P0.. proteins, C.. complexes, ..."""
    from iapgraph.model import Dataset, Entity, Statement

    rng = random.Random(seed)
    n_proteins = max(1000, edges // 10)
    n_complexes = n_proteins // 50
    n_families = n_proteins // 100
    n_hubs = 40
    entities: dict[str, Entity] = {}
    for i in range(n_proteins):
        entities[f"P{i}"] = Entity(f"P{i}", "protein", f"P{i}")
    for i in range(n_complexes):
        entities[f"C{i}"] = Entity(f"C{i}", "complex", f"C{i}")
    for i in range(n_families):
        entities[f"F{i}"] = Entity(f"F{i}", "protein_family", f"F{i}")
    for i in range(n_hubs):
        entities[f"H{i}"] = Entity(f"H{i}", "biological_process", f"H{i}")
    # heavy-tailed choice of proteins: index = n * u^3 puts most statements on few proteins
    def protein() -> str:
        return f"P{int(n_proteins * rng.random() ** 3)}"

    statements = []
    for number in range(edges):
        roll = rng.random()
        if roll < 0.80:
            relation = rng.choice(CAUSAL)
            s, o = protein(), protein()
            if s == o:
                continue
            effect = EFFECTS[relation]
        elif roll < 0.86:
            relation, s, o, effect = "part_of", protein(), f"C{rng.randrange(n_complexes)}", "unknown"
        elif roll < 0.90:
            relation, s, o, effect = "has_member", f"F{rng.randrange(n_families)}", protein(), "unknown"
        elif roll < 0.95:
            relation, s, o = rng.choice(["promotes", "inhibits"]), protein(), f"H{rng.randrange(n_hubs)}"
            effect = "up" if relation == "promotes" else "down"
        else:
            relation, s, o, effect = "correlates_with", protein(), protein(), "up"
            if s == o:
                continue
        statements.append(Statement(f"b-{number}", s, relation, o, effect, section="2.1",
                                    citations=("Bench, 2024",), evidence="generated"))
    return Dataset(entities=entities, statements=tuple(statements))


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def answer(result) -> object:
    """What a query answered, compactly (chains by their hops' statements, neighbours by statement)."""
    if hasattr(result, "chains"):
        result = list(result.chains)
    return [[[s.id for s in h.statements] for h in r.hops] if hasattr(r, "hops")
            else [r.entity, r.statement.id] for r in result]


def measure(args: argparse.Namespace) -> dict:
    """Every figure of one run, on the code importable as ``iapgraph`` (this checkout or --src)."""
    from iapgraph.kg import KnowledgeGraph
    from iapgraph.paths.search import WalkOptions, walk_index

    out: dict = {"load": os.getloadavg(), "src": str(Path(sys.modules["iapgraph"].__file__).parent)}
    rng = random.Random(11)
    base = rss_mb()
    took, dataset = timed(generate, args.edges)
    kg = KnowledgeGraph(dataset)
    out["generate s"], out["dataset MB"] = took, rss_mb() - base
    out["statements"], out["entities"] = len(dataset.statements), len(dataset.entities)
    before, cpu = rss_mb(), time.process_time()
    took, index = timed(walk_index, dataset, WalkOptions())
    out["walk index s"], out["walk index cpu s"] = took, time.process_time() - cpu
    out["walk index MB"], out["links"] = rss_mb() - before, len(index)
    cpu = time.process_time()
    out["signed walk index s"], _ = timed(walk_index, dataset, WalkOptions(signed=True))
    out["signed walk index cpu s"] = time.process_time() - cpu
    out["first neighbors s"], _ = timed(lambda: (kg.resolve("P0"), kg.neighbors("P0")))
    proteins = [e for e in dataset.entities if e.startswith("P")]
    pairs = [(rng.choice(proteins), rng.choice(proteins)) for _ in range(args.queries)]
    hub_pairs = [(f"P{rng.randrange(50)}", f"P{rng.randrange(50)}") for _ in range(args.queries)]
    rows = out["rows"] = {}
    digest = hashlib.sha256()

    def row(name: str, query, pairs_) -> None:
        times, cpus, lengths, found = [], [], [], 0
        for s, t in pairs_:
            if s == t:
                continue
            cpu = time.process_time()
            took, chains = timed(query, s, t)
            cpus.append((time.process_time() - cpu) * 1000)
            digest.update(json.dumps(answer(chains)).encode())
            times.append(took * 1000)
            if chains:
                found += 1
                lengths.append(len(chains[0]) if hasattr(chains[0], "hops") else len(chains))
        times.sort()
        cpus.sort()
        print(f"  {name}: median {statistics.median(times):.1f} ms", file=sys.stderr, flush=True)
        rows[name] = (len(times), found, statistics.median(lengths) if lengths else "-",
                      statistics.median(times), times[int(0.9 * (len(times) - 1))], times[-1],
                      statistics.median(cpus), cpus[int(0.9 * (len(cpus) - 1))])

    row("k=1 (random proteins)", lambda s, t: kg.paths(s, t, k=1), pairs)
    row("k=5 (random proteins)", lambda s, t: kg.paths(s, t, k=5), pairs)
    row("k=5 --signed", lambda s, t: kg.paths(s, t, k=5, signed=True), pairs)
    row("k=5 --expect up", lambda s, t: kg.paths(s, t, k=5, expect="up"), pairs)
    row("k=1 --max-length 3", lambda s, t: kg.paths(s, t, k=1, max_length=3), pairs)
    row("k=5 (two hub proteins)", lambda s, t: kg.paths(s, t, k=5), hub_pairs)
    via = [(s, t) for s, t in pairs][: max(5, args.queries // 4)]
    row("k=3 --via a hub protein", lambda s, t: kg.paths(s, t, k=3, via="P1"), via)
    row("neighbors depth 1", lambda s, t: kg.neighbors(s), pairs)
    row("neighbors depth 2 --direction out", lambda s, t: kg.neighbors(s, depth=2, direction="out"), pairs)
    out["answers sha256"] = digest.hexdigest()

    if args.networkx:
        import networkx as nx

        start = time.perf_counter()
        graph = nx.DiGraph()
        for s in dataset.statements:
            if s.relation != "correlates_with":
                graph.add_edge(s.subject, s.object)
        print(f"networkx DiGraph built in {time.perf_counter() - start:.1f} s (no walk rules)",
              file=sys.stderr)

        def nx_five(s: str, t: str) -> list:
            try:
                gen = nx.shortest_simple_paths(graph, s, t)
                return [p for _, p in zip(range(5), gen, strict=False)]
            except nx.NetworkXNoPath:
                return []

        row("networkx first 5 shortest_simple_paths", nx_five, pairs)
    out["peak MB"] = rss_mb()
    out["load after"] = os.getloadavg()
    return out


SCALARS = ["walk index s", "walk index cpu s", "walk index MB", "signed walk index s",
           "signed walk index cpu s", "first neighbors s", "peak MB"]


def print_one(res: dict) -> None:
    print(f"{res['entities']:,} entities, {res['statements']:,} statements, {res['links']:,} links; "
          f"load average {res['load'][0]:.2f} -> {res['load after'][0]:.2f}")
    for key in SCALARS:
        print(f"  {key:26} {res[key]:10.2f}")
    header = ("query", "n", "found", "median hops/rows", "median ms", "p90 ms", "max ms",
              "cpu median ms", "cpu p90 ms")
    table = [(name, *r) for name, r in res["rows"].items()]
    widths = [max(len(str(r[i])) if not isinstance(r[i], float) else 8 for r in [header, *table])
              for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for r in table:
        print("  ".join((f"{v:.1f}" if isinstance(v, float) else str(v)).ljust(w)
                        for v, w in zip(r, widths, strict=True)))


def print_both(now: dict, base: dict, revision: str) -> None:
    print(f"{now['statements']:,} statements, {now['links']:,} links; load average "
          f"{now['load'][0]:.2f}..{now['load after'][0]:.2f} (this), "
          f"{base['load'][0]:.2f}..{base['load after'][0]:.2f} ({revision})")
    print(f"{'figure':46} {'this':>9} {revision[:9]:>9} {'ratio':>6}")
    for key in SCALARS:
        print(f"{key:46} {now[key]:9.2f} {base[key]:9.2f} {now[key] / base[key]:6.2f}")
    for name, r in now["rows"].items():
        b = base["rows"][name]
        for label, i in (("median ms", 3), ("p90 ms", 4), ("cpu median ms", 6), ("cpu p90 ms", 7)):
            print(f"{name + ' ' + label:46} {r[i]:9.1f} {b[i]:9.1f} {r[i] / max(b[i], 1e-9):6.2f}")
    same = "yes" if now["answers sha256"] == base["answers sha256"] else "NO"
    print(f"answers identical to {revision}: {same} (sha256 of every chain's statement ids)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--networkx", action="store_true",
                        help="also time networkx shortest_simple_paths (first 5) on the same pairs")
    parser.add_argument("--baseline", metavar="REV",
                        help="also run the same benchmark on the src/ of this git revision (e.g. 529fcf7), "
                             "each in its own process, and print both with the ratio")
    parser.add_argument("--src", help=argparse.SUPPRESS)  # the iapgraph sources a child run imports
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        child = [sys.executable, __file__, "--edges", str(args.edges), "--queries", str(args.queries),
                 "--json"]
        with tempfile.TemporaryDirectory() as folder:
            archive = subprocess.run(["git", "archive", args.baseline, "src"], cwd=ROOT,
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
            base = json.loads(subprocess.run([*child, "--src", f"{folder}/src"], check=True,
                                             stdout=subprocess.PIPE).stdout)
            now = json.loads(subprocess.run([*child, "--src", str(ROOT / "src")], check=True,
                                            stdout=subprocess.PIPE).stdout)
        print_both(now, base, args.baseline)
        return
    sys.path.insert(0, args.src or str(ROOT / "src"))
    res = measure(args)
    if args.json:
        print(json.dumps(res))
    else:
        print_one(res)


if __name__ == "__main__":
    main()
