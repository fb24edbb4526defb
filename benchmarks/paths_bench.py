"""Path search on a generated graph of about a million statements: prints a table, asserts nothing.

The graph is shaped like a protein knowledge graph: heavy-tailed degrees (a few proteins with
thousands of statements), a mix of causal, structural and associative relations, and hub nodes
(processes, hallmarks) that chains must not pass. Everything runs through the same code as
``kg.paths``: Dataset -> WalkIndex -> ChainSearch (Yen over bidirectional BFS).

    python benchmarks/paths_bench.py                 # ~1M statements, 40 queries per row
    python benchmarks/paths_bench.py --edges 100000  # quicker
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from iapgraph.kg import KnowledgeGraph
from iapgraph.model import Dataset, Entity, Statement
from iapgraph.paths.search import WalkOptions, walk_index

CAUSAL = ["activates", "inhibits", "binds", "ubiquitinates", "phosphorylates", "upregulates",
          "downregulates", "degrades", "recruits", "regulates"]
EFFECTS = {"activates": "up", "inhibits": "down", "binds": "unknown", "ubiquitinates": "down",
           "phosphorylates": "up", "upregulates": "up", "downregulates": "down", "degrades": "down",
           "recruits": "up", "regulates": "unknown"}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(edges: int, seed: int = 7) -> Dataset:
    """Entities and statements with Zipf-like degrees; ids P0.. proteins, C.. complexes, ..."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--networkx", action="store_true",
                        help="also time networkx shortest_simple_paths (first 5) on the same pairs")
    args = parser.parse_args()
    rng = random.Random(11)

    base = rss_mb()
    took, dataset = timed(generate, args.edges)
    kg = KnowledgeGraph(dataset)
    print(f"generated {len(dataset.entities):,} entities, {len(dataset.statements):,} statements "
          f"in {took:.1f} s (+{rss_mb() - base:.0f} MB)")
    before = rss_mb()
    took, index = timed(walk_index, dataset, WalkOptions())
    print(f"walk index: {len(index):,} links in {took:.1f} s (+{rss_mb() - before:.0f} MB)")
    took, _ = timed(walk_index, dataset, WalkOptions(signed=True))
    print(f"signed walk index in {took:.1f} s")

    took, _ = timed(lambda: (kg.resolve("P0"), kg.neighbors("P0")))
    print(f"name index and statement lists (first lookup) in {took:.1f} s")
    proteins = [e for e in dataset.entities if e.startswith("P")]
    pairs = [(rng.choice(proteins), rng.choice(proteins)) for _ in range(args.queries)]
    hub_pairs = [(f"P{rng.randrange(50)}", f"P{rng.randrange(50)}") for _ in range(args.queries)]
    rows = []

    def row(name: str, query, pairs_) -> None:
        times, lengths, found = [], [], 0
        for s, t in pairs_:
            if s == t:
                continue
            took, chains = timed(query, s, t)
            times.append(took * 1000)
            if chains:
                found += 1
                lengths.append(len(chains[0]) if hasattr(chains[0], "hops") else len(chains))
        times.sort()
        print(f"  {name}: median {statistics.median(times):.1f} ms", flush=True)
        rows.append((name, len(times), found, statistics.median(lengths) if lengths else "-",
                     statistics.median(times), times[int(0.9 * (len(times) - 1))], times[-1]))

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

    if args.networkx:
        import networkx as nx

        took, graph = timed(nx.DiGraph)
        start = time.perf_counter()
        for s in dataset.statements:
            if s.relation != "correlates_with":
                graph.add_edge(s.subject, s.object)
        print(f"networkx DiGraph built in {time.perf_counter() - start:.1f} s (no walk rules)")

        def nx_five(s: str, t: str) -> list:
            try:
                gen = nx.shortest_simple_paths(graph, s, t)
                return [p for _, p in zip(range(5), gen, strict=False)]
            except nx.NetworkXNoPath:
                return []

        row("networkx first 5 shortest_simple_paths", nx_five, pairs)

    header = ("query", "n", "found", "median hops/rows", "median ms", "p90 ms", "max ms")
    widths = [max(len(str(r[i])) if not isinstance(r[i], float) else 8 for r in [header, *rows])
              for i in range(len(header))]
    print()
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for r in rows:
        print("  ".join((f"{v:.1f}" if isinstance(v, float) else str(v)).ljust(w)
                        for v, w in zip(r, widths, strict=True)))
    print(f"\npeak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
