"""The walk index built with numpy (large datasets, the ``large`` extra) holds exactly the arrays
of the pure-Python build, whatever the walk options (issue 19: the index at 10^6 statements)."""

from __future__ import annotations

import random

import pytest

from iapgraph.model import Dataset, Entity, Statement
from iapgraph.paths.search import WalkIndex, WalkOptions

pytest.importorskip("numpy")

OPTIONS = [WalkOptions(), WalkOptions(signed=True), WalkOptions(through_hubs=True),
           WalkOptions(relations=frozenset({"has_member", "part_of", "inhibits"})),
           WalkOptions(exclude=frozenset({"binds"}))]


def arrays(index: WalkIndex) -> dict:
    """Everything the search reads, as plain lists."""
    return {
        "ids": index.ids, "src": list(index.link_src), "dst": list(index.link_dst),
        "step": list(index.link_step), "flag": list(index.link_flag), "child": list(index.link_child),
        "reverse": list(index.link_reverse), "statements": list(index.link_statements),
        "out": index.out_links, "in": [list(r) for r in index.in_links], "in_starts": index.in_links.starts,
        "in_src": list(index.in_src), "entered": index.entered,
    }


def random_dataset(seed: int, n_statements: int) -> Dataset:
    """Proteins, complexes, families and a hub process, with every kind of step, both directions
    of part_of / has_member between the same two nodes, self-loops and negations."""
    rng = random.Random(seed)
    entities = {f"P{i}": Entity(f"P{i}", "protein", f"P{i}") for i in range(40)}
    entities |= {f"C{i}": Entity(f"C{i}", "complex", f"C{i}") for i in range(5)}
    entities |= {f"F{i}": Entity(f"F{i}", "protein_family", f"F{i}") for i in range(3)}
    entities["H"] = Entity("H", "biological_process", "H")
    proteins = [e for e in entities if e.startswith("P")]
    statements = []
    for i in range(n_statements):
        roll = rng.random()
        if roll < 0.5:
            relation = rng.choice(["activates", "inhibits", "binds", "degrades", "correlates_with"])
            s, o = rng.choice(proteins), rng.choice(proteins)  # some self-loops
            effect = rng.choice(["up", "down", "unknown"])
        elif roll < 0.7:
            s, relation, o, effect = rng.choice(proteins), "part_of", f"C{rng.randrange(5)}", "unknown"
        elif roll < 0.85:
            s, relation, o, effect = f"C{rng.randrange(5)}", "has_member", rng.choice(proteins), "unknown"
        elif roll < 0.95:
            s, relation, o, effect = f"F{rng.randrange(3)}", "has_member", rng.choice(proteins), "unknown"
        else:
            s, relation, o, effect = rng.choice(proteins), "inhibits", "H", "down"
        statements.append(Statement(f"s-{i}", s, relation, o, effect, negated=rng.random() < 0.05))
    return Dataset(entities=entities, statements=tuple(statements))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_numpy_build_is_the_python_build(seed, options):
    dataset = random_dataset(seed, 300)
    python = arrays(WalkIndex(dataset, options, vectorised=False))
    numpy = arrays(WalkIndex(dataset, options, vectorised=True))
    assert len(python["src"]) > 50
    assert numpy == python


def test_the_reordered_pair_of_links_is_exercised():
    # C0 has_member P1 (statement 0) read backward and P1 part_of C0 (statement 1) read forward are
    # two links P1 -> C0 with the same step (up): the one whose first statement comes first is read
    # first, against the sort's order (C0 -> P1, down, is read forward first: statement 0 is first)
    entities = {"P1": Entity("P1", "protein", "P1"), "C0": Entity("C0", "complex", "C0")}
    statements = (Statement("a", "C0", "has_member", "P1", "unknown"),
                  Statement("b", "P1", "part_of", "C0", "unknown"))
    dataset = Dataset(entities=entities, statements=statements)
    python = arrays(WalkIndex(dataset, WalkOptions(), vectorised=False))
    assert python["src"] == [0, 0, 1, 1]
    assert python["reverse"] == [False, True, True, False]  # the last two swapped
    assert arrays(WalkIndex(dataset, WalkOptions(), vectorised=True)) == python


def test_curated_graph_both_ways(kg):
    for options in OPTIONS:
        assert arrays(WalkIndex(kg.dataset, options, vectorised=True)) == \
            arrays(WalkIndex(kg.dataset, options, vectorised=False))


@pytest.mark.parametrize("seed", range(4))
def test_numpy_grouping_is_the_python_grouping(seed):
    from array import array

    from iapgraph.paths.search import group

    rng = random.Random(seed)
    n = rng.randrange(1, 60)
    keys = array("i", (rng.randrange(n) for _ in range(rng.randrange(0, 500))))
    python, numpy = group(keys, n, vectorised=False), group(keys, n, vectorised=True)
    assert list(numpy.flat) == list(python.flat) and numpy.starts == python.starts
    assert len(python.starts) == n + 1 and sorted(python.flat) == list(range(len(keys)))
