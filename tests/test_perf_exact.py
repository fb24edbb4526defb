"""The speed work on the path search changed no answer: chains, neighbours and explanations equal
those recorded from the code before it (main with every issue of this round merged, before
the speed-up was merged) in ``tests/fixtures/perf_expected.json``.

Two graphs: the curated one (20 name pairs, each asked several ways) and the benchmark's generated
graph at 60,000 statements (heavy-tailed degrees, hubs, more than 50,000 links, so the large-graph
branch of the ranking runs too). Answers are recorded compactly (nodes, hop signs, steps and
statement ids), so a change in how records are rendered does not touch this test; a change in the
search or its ranking does.

To record again (only when an answer is meant to change, from the code that gives the reference):

    PYTHONPATH=src python tests/test_perf_exact.py --record
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "fixtures" / "perf_expected.json"

#: Source and target names on the curated graph (two have no chain unless hubs are passed).
PAIRS = [
    ("SMAC mimetic", "non-canonical NF-kB pathway"), ("XIAP", "ERK1/2"), ("TNFα", "NFκB"),
    ("cIAP1", "NIK"), ("XIAP", "caspase-3"), ("Survivin", "apoptosis"), ("LCL161", "RIPK1"),
    ("SMAC", "caspase-9"), ("TNFR1", "caspase-8"), ("cIAP2", "NFκB"), ("XIAP", "cell migration"),
    ("Livin", "apoptosis"), ("birinapant", "cIAP1"), ("RIPK1", "caspase-8"), ("VEGF", "Angiogenesis"),
    ("cIAP1", "TRAF3"), ("Survivin", "cell proliferation"), ("XIAP", "autophagy"),
    ("TNFα", "caspase-8"), ("SMAC mimetics", "TNFα"),
]
#: (source, via, target) on the curated graph.
VIAS = [
    ("SMAC mimetic", "cIAP1", "non-canonical NF-kB pathway"), ("XIAP", "FAK", "ERK1/2"),
    ("TNFα", "RIPK1", "NFκB"), ("TNFR1", "RIPK1", "caspase-8"),
]
GENERATED_EDGES = 60_000


def chain_key(chain: Any) -> list[Any]:
    return [[h.source, h.target, h.sign, h.step, h.reverse, [s.id for s in h.statements]]
            for h in chain.hops]


def neighbor_key(rows: Any) -> list[Any]:
    return [[r.depth, r.entity, r.direction, r.statement.id] for r in rows]


def digest(rows: list[Any]) -> list[Any]:
    """A long answer as its length and a hash (a hub's two-step neighbourhood has 10^4 rows)."""
    text = json.dumps(rows, separators=(",", ":"))
    return [len(rows), hashlib.sha256(text.encode()).hexdigest()]


def curated_answers(kg: Any) -> dict[str, Any]:
    """Every answer the exactness test compares, on the curated graph."""
    out: dict[str, Any] = {}
    for s, t in PAIRS:
        name = f"{s} -> {t}"
        out[f"paths k=5 {name}"] = [chain_key(c) for c in kg.paths(s, t, k=5)]
        out[f"paths k=3 signed {name}"] = [chain_key(c) for c in kg.paths(s, t, k=3, signed=True)]
        out[f"paths k=3 expect=down {name}"] = [chain_key(c) for c in kg.paths(s, t, k=3, expect="down")]
        out[f"paths k=3 through_hubs {name}"] = [chain_key(c) for c in kg.paths(s, t, k=3,
                                                                                  through_hubs=True)]
        out[f"paths k=2 max_length=3 {name}"] = [chain_key(c) for c in kg.paths(s, t, k=2, max_length=3)]
        e = kg.explain(s, t)
        out[f"explain {name}"] = [e.net, e.signed, [chain_key(c) for c in e.chains]]
        out[f"neighbors {s}"] = neighbor_key(kg.neighbors(s))
        out[f"neighbors depth=2 out {t}"] = neighbor_key(kg.neighbors(t, depth=2, direction="out"))
    for s, v, t in VIAS:
        out[f"paths k=3 via {s} -> {v} -> {t}"] = [chain_key(c) for c in kg.paths(s, t, k=3, via=v)]
    return out


def generated_answers() -> dict[str, Any]:
    """Answers on the benchmark's generated graph (its generator, its seed)."""
    spec = importlib.util.spec_from_file_location("paths_bench", ROOT / "benchmarks" / "paths_bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from iapgraph.kg import KnowledgeGraph

    kg = KnowledgeGraph(bench.generate(GENERATED_EDGES))
    rng = random.Random(5)
    proteins = sorted(e for e in kg.dataset.entities if e.startswith("P"))
    pairs = [(rng.choice(proteins), rng.choice(proteins)) for _ in range(12)]
    pairs += [(f"P{rng.randrange(30)}", f"P{rng.randrange(30)}") for _ in range(4)]
    out: dict[str, Any] = {}
    for s, t in pairs:
        if s == t:
            continue
        name = f"{s} -> {t}"
        out[f"paths k=5 {name}"] = [chain_key(c) for c in kg.paths(s, t, k=5)]
        out[f"paths k=5 signed {name}"] = [chain_key(c) for c in kg.paths(s, t, k=5, signed=True)]
        out[f"paths k=3 expect=up {name}"] = [chain_key(c) for c in kg.paths(s, t, k=3, expect="up")]
        out[f"paths k=3 via P1 {name}"] = [chain_key(c) for c in kg.paths(s, t, k=3, via="P1")] \
            if "P1" not in (s, t) else []
        out[f"neighbors depth=2 out {s}"] = digest(neighbor_key(kg.neighbors(s, depth=2, direction="out")))
        out[f"neighbors {t}"] = digest(neighbor_key(kg.neighbors(t)))
    return out


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _compare(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert sorted(got) == sorted(want)
    differ = [k for k in want if got[k] != want[k]]
    assert not differ, f"{len(differ)} answers changed, first: {differ[0]}: {got[differ[0]]} != {want[differ[0]]}"


def test_curated_answers_are_unchanged(kg: Any, expected: dict[str, Any]) -> None:
    _compare(json.loads(json.dumps(curated_answers(kg))), expected["curated"])


def test_generated_answers_are_unchanged(expected: dict[str, Any]) -> None:
    _compare(json.loads(json.dumps(generated_answers())), expected["generated"])


def test_the_record_is_not_trivial(expected: dict[str, Any]) -> None:
    """Most recorded questions have an answer (a test of empty lists proves nothing)."""
    for graph in ("curated", "generated"):
        answered = [k for k, v in expected[graph].items() if v and v != ["none", False, []]]
        assert len(answered) > 0.7 * len(expected[graph]), graph


def record() -> None:
    import iapgraph

    data = {"curated": curated_answers(iapgraph.load(cache=False)), "generated": generated_answers()}
    lines = []  # one answer a line: a reviewable diff, a small file
    for graph, answers in data.items():
        body = ",\n".join(f"{json.dumps(k, ensure_ascii=False)}: "
                          f"{json.dumps(v, ensure_ascii=False, separators=(',', ':'))}"
                          for k, v in sorted(answers.items()))
        lines.append(f"{json.dumps(graph)}: {{\n{body}\n}}")
    EXPECTED.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"recorded {sum(len(v) for v in data.values())} answers in {EXPECTED}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--record"]:
        record()
    else:
        sys.exit("usage: PYTHONPATH=src python tests/test_perf_exact.py --record")
