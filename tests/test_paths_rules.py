"""The walk rules of path search on synthetic graphs: direction, structure, hubs, signs, k, via.

Entities here are letters; the graphs exercise the rules, not biology.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import iapgraph
from iapgraph.exceptions import UsageError
from iapgraph.model import Dataset, Entity, Statement
from iapgraph.paths.search import ChainSearch, WalkIndex, WalkOptions

from .paths_support import write_graph


def graph(tmp_path: Path, entities, statements):
    return iapgraph.load([write_graph(tmp_path / "g", entities, statements)], cache=False)


def chains(kg, source, target, **kw):
    """Each chain as a tuple of node ids, with its net effect."""
    return [(c.nodes, c.net) for c in kg.paths(source, target, **kw)]


def test_causal_statements_walk_subject_to_object_only(tmp_path):
    kg = graph(tmp_path, [("A", "protein"), ("B", "protein"), ("C", "protein")],
               [("A", "activates", "B"), ("B", "inhibits", "C")])
    assert chains(kg, "A", "C") == [(("A", "B", "C"), "down")]
    assert chains(kg, "C", "A") == []


def test_down_after_down_is_up_and_expect_filters(tmp_path):
    kg = graph(tmp_path, [("A", "protein"), ("B", "protein"), ("C", "protein")],
               [("A", "inhibits", "B"), ("B", "degrades", "C")])
    assert chains(kg, "A", "C") == [(("A", "B", "C"), "up")]
    assert chains(kg, "A", "C", expect="up") == [(("A", "B", "C"), "up")]
    assert chains(kg, "A", "C", expect="down") == []


def test_opposite_statements_on_one_hop_give_one_chain_per_sign(tmp_path):
    kg = graph(tmp_path, [("A", "protein"), ("B", "protein"), ("C", "protein")],
               [("A", "activates", "B"), ("A", "inhibits", "B"), ("A", "binds", "B"),
                ("B", "activates", "C")])
    assert sorted(chains(kg, "A", "C")) == [(("A", "B", "C"), "down"), (("A", "B", "C"), "up")]
    assert chains(kg, "A", "C", expect="down") == [(("A", "B", "C"), "down")]


def test_unknown_sign_step_and_signed(tmp_path):
    kg = graph(tmp_path, [("A", "protein"), ("B", "protein"), ("C", "protein"), ("D", "protein")],
               [("A", "binds", "B"), ("B", "activates", "D"), ("A", "inhibits", "C"),
                ("C", "inhibits", "D")])
    assert chains(kg, "A", "D", k=5) == [(("A", "C", "D"), "up"), (("A", "B", "D"), "unknown")]
    assert chains(kg, "A", "D", k=5, signed=True) == [(("A", "C", "D"), "up")]


def test_negated_statements_are_never_walked(tmp_path):
    kg = graph(tmp_path, [("A", "protein"), ("B", "protein")],
               [("A", "inhibits", "B", "", "true")])
    assert chains(kg, "A", "B") == []


def test_hub_kinds_end_chains_but_are_not_passed(tmp_path):
    kg = graph(tmp_path, [("A", "protein"), ("P", "biological_process"), ("H", "hallmark"),
                          ("B", "protein")],
               [("A", "inhibits", "P"), ("P", "induces", "B"), ("A", "contributes_to", "H"),
                ("H", "promotes", "B")])
    assert chains(kg, "A", "B") == []
    assert chains(kg, "A", "P") == [(("A", "P"), "down")]
    assert chains(kg, "P", "B") == [(("P", "B"), "up")]
    assert sorted(chains(kg, "A", "B", through_hubs=True)) == [
        (("A", "H", "B"), "up"), (("A", "P", "B"), "down")]
    assert chains(kg, "A", "B", via="P") == [(("A", "P", "B"), "down")]


def test_domain_reaches_its_protein_and_back_but_not_a_sibling_domain(tmp_path):
    kg = graph(tmp_path, [("D", "drug"), ("X", "protein"), ("X.B2", "domain"), ("X.B3", "domain"),
                          ("Y", "protein")],
               [("X", "has_domain", "X.B2"), ("X", "has_domain", "X.B3"), ("D", "inhibits", "X.B3"),
                ("X", "inhibits", "Y"), ("X.B2", "activates", "Y")])
    assert chains(kg, "D", "Y", k=5) == [(("D", "X.B3", "X", "Y"), "up")]
    assert chains(kg, "X.B3", "X.B2") == []
    assert chains(kg, "X", "X.B2") == [(("X", "X.B2"), "neutral")]
    hop = kg.paths("D", "X")[0].hops[1]
    assert (hop.label, hop.sign, hop.reverse, hop.step) == ("domain of", "neutral", True, "up")


def test_complex_members_reach_the_complex_not_each_other(tmp_path):
    kg = graph(tmp_path, [("R", "protein"), ("M1", "protein"), ("M2", "protein"), ("C", "complex"),
                          ("T", "protein")],
               [("M1", "part_of", "C"), ("M2", "part_of", "C"), ("C", "activates", "T"),
                ("R", "recruits", "C")])
    assert chains(kg, "M1", "T") == [(("M1", "C", "T"), "up")]
    assert chains(kg, "M1", "M2") == []
    assert chains(kg, "R", "M2") == [(("R", "C", "M2"), "up")]


def test_wholes_do_not_meet_through_a_shared_part(tmp_path):
    kg = graph(tmp_path, [("X", "protein"), ("Y", "protein"), ("BIR", "domain_type"),
                          ("C1", "complex"), ("C2", "complex"), ("M", "protein"), ("T", "protein")],
               [("X", "has_domain", "BIR"), ("Y", "has_domain", "BIR"), ("M", "part_of", "C1"),
                ("M", "part_of", "C2"), ("C2", "activates", "T"), ("M", "inhibits", "T")])
    assert chains(kg, "X", "Y") == []
    assert chains(kg, "C1", "C2") == []
    assert chains(kg, "C1", "T", k=5) == [(("C1", "M", "T"), "down")]
    assert chains(kg, "M", "T", k=5) == [(("M", "T"), "down"), (("M", "C2", "T"), "up")]


def test_a_class_statement_is_not_inherited_by_its_members(tmp_path):
    kg = graph(tmp_path, [("F", "protein_family"), ("M1", "protein"), ("M2", "protein"),
                          ("T", "protein"), ("S", "protein"), ("G", "protein_family")],
               [("F", "has_member", "M1"), ("F", "has_member", "M2"), ("F", "inhibits", "T"),
                ("S", "inhibits", "F"), ("G", "has_member", "F")])
    assert chains(kg, "M1", "T") == []  # what "the family" does is not what each member does
    assert chains(kg, "M1", "M2") == []
    assert chains(kg, "M1", "G") == [(("M1", "F", "G"), "neutral")]
    assert chains(kg, "S", "M1") == [(("S", "F", "M1"), "down")]  # acting on a class acts on members
    assert chains(kg, "S", "T") == [(("S", "F", "T"), "up")]
    assert chains(kg, "M1", "T", through_hubs=True) == [(("M1", "F", "T"), "down")]


def test_a_member_acting_on_its_own_class_climbs_into_it(tmp_path):
    kg = graph(tmp_path, [("F", "protein_family"), ("M1", "protein"), ("M2", "protein"),
                          ("T", "protein"), ("C", "complex"), ("R", "protein")],
               [("F", "has_member", "M1"), ("F", "has_member", "M2"), ("F", "inhibits", "T"),
                ("M1", "degrades", "F"), ("M1", "part_of", "C"), ("R", "part_of", "C"),
                ("M1", "ubiquitinates", "C", "up"), ("C", "activates", "T")])
    def relations(**kw):
        return [(c.relations, c.net) for c in kg.paths("M1", "T", k=5, **kw)]

    # M1 degrades F, F inhibits T: not walked (M1 would inherit what its class does)
    assert relations() == [(("part_of", "activates"), "up"), (("ubiquitinates", "activates"), "up")]
    assert chains(kg, "M1", "R") == []  # not through the complex it ubiquitinates either
    assert relations(through_hubs=True) == [
        (("part_of", "activates"), "up"), (("ubiquitinates", "activates"), "up"),
        (("degrades", "inhibits"), "up"), (("has_member", "inhibits"), "down")]


def test_associative_relations_only_when_named(tmp_path):
    kg = graph(tmp_path, [("A", "protein"), ("B", "protein"), ("C", "protein")],
               [("A", "correlates_with", "B", "up"), ("B", "activates", "C")])
    assert chains(kg, "A", "C") == []
    assert chains(kg, "A", "C", relations=["correlates_with", "activates"]) == [(("A", "B", "C"), "up")]


def diamond(tmp_path):
    return graph(tmp_path, [(x, "protein") for x in "ABCDEF"],
                 [("A", "activates", "B"), ("B", "activates", "D"), ("A", "activates", "C"),
                  ("C", "inhibits", "D"), ("A", "activates", "E"), ("E", "activates", "F"),
                  ("F", "activates", "D")])


def test_k_shortest_in_order_of_length(tmp_path):
    kg = diamond(tmp_path)
    assert chains(kg, "A", "D", k=2) == [(("A", "B", "D"), "up"), (("A", "C", "D"), "down")]
    assert chains(kg, "A", "D", k=3)[2] == (("A", "E", "F", "D"), "up")
    assert len(chains(kg, "A", "D", k=3, max_length=2)) == 2
    assert chains(kg, "A", "D", k=5, expect="up") == [(("A", "B", "D"), "up"),
                                                       (("A", "E", "F", "D"), "up")]


def test_via_and_relation_filters(tmp_path):
    kg = diamond(tmp_path)
    assert chains(kg, "A", "D", via="C") == [(("A", "C", "D"), "down")]
    assert chains(kg, "A", "D", via=["E", "F"]) == [(("A", "E", "F", "D"), "up")]
    assert chains(kg, "A", "D", k=5, exclude_relations="inhibits") == [
        (("A", "B", "D"), "up"), (("A", "E", "F", "D"), "up")]
    assert chains(kg, "A", "D", relations="inhibits") == []


@pytest.mark.parametrize("kwargs, message", [
    ({"k": 0}, "k must be"),
    ({"max_length": 0}, "max_length must be"),
    ({"expect": "sideways"}, "expect must be 'up' or 'down'"),
    ({"relations": "activats"}, "unknown relation 'activats'; did you mean: activates?"),
    ({"via": "A"}, "given twice in a row"),
])
def test_bad_arguments_are_usage_errors(tmp_path, kwargs, message):
    kg = diamond(tmp_path)
    with pytest.raises(UsageError, match=message.replace("?", r"\?")):
        kg.paths("A", "D", **kwargs)


def test_unknown_name_suggests(tmp_path):
    kg = diamond(tmp_path)
    with pytest.raises(iapgraph.UnknownEntity) as info:
        kg.paths("A", "DD")
    assert info.value.suggestions == ["D"]


# --- the search against brute force on random graphs ------------------------------------------

KINDS = ["protein", "protein", "protein", "complex", "complex", "protein_family", "domain_type",
         "biological_process", "domain"]
RELATIONS = ["activates", "inhibits", "binds", "part_of", "has_member", "has_domain", "is_a", "encodes",
             "counterpart_of", "correlates_with"]


def brute_force(index: WalkIndex, source: int, target: int, max_length: int,
                through_hubs: bool = False) -> set[tuple[int, ...]]:
    """Every allowed simple route (as its links), by depth-first enumeration of the rules as
    documented in iapgraph.paths.search, written independently of the search."""
    from iapgraph.paths.search import DOWN, ENTERED_DOWN, ENTERED_UP, UP

    found: set[tuple[int, ...]] = set()

    def walk(node: int, entered: int, visited: list[int], links: list[int]) -> None:
        if node == target:
            found.add(tuple(links))
            return
        if len(links) == max_length:
            return
        if node != source and index.blocked[node] and not through_hubs:
            return
        for link in index.out_links[node]:
            step, nxt, flag = index.link_step[link], index.link_dst[link], index.link_flag[link]
            if nxt in visited:
                continue
            if entered == ENTERED_UP and step == DOWN:
                continue  # parts do not meet through their whole
            if entered == ENTERED_DOWN and flag == ENTERED_UP:
                continue  # wholes do not meet through a shared part
            if entered == ENTERED_UP and index.is_class[node] and step != UP and not through_hubs:
                continue  # members do not inherit what their class does
            walk(nxt, flag, [*visited, nxt], [*links, link])

    walk(source, 0, [source], [])
    return found


def random_dataset(rng: random.Random) -> Dataset:
    """A random graph built in memory (no validation: contradictory structure is welcome here)."""
    n = rng.randint(5, 11)
    kinds = [rng.choice(KINDS) for _ in range(n)]
    entities = {f"N{i}": Entity(f"N{i}", kind, f"N{i}") for i, kind in enumerate(kinds)}
    pairs = list(itertools.permutations(range(n), 2))
    edges = {(rng.choice(pairs), rng.choice(RELATIONS)) for _ in range(rng.randint(10, 45))}
    statements = tuple(
        Statement(f"r-{number}", f"N{a}", relation, f"N{b}",
                  "up" if relation == "activates" else "down" if relation == "inhibits" else "unknown")
        for number, ((a, b), relation) in enumerate(sorted(edges)))
    return Dataset(entities=entities, statements=statements)


def check_against_brute_force(dataset: Dataset, through_hubs: bool = False) -> int:
    index = WalkIndex(dataset, WalkOptions(through_hubs=through_hubs))
    found = 0
    for source, target in [(0, 1), (1, 0), (2, 3), (3, 4)]:
        expected = brute_force(index, source, target, 6, through_hubs)
        got = [r.links for r in ChainSearch(index, source, target, 6).routes()]
        assert len(got) == len(set(got)), "a route was returned twice"
        lengths = [len(r) for r in got]
        assert lengths == sorted(lengths)
        assert set(got) == expected
        found += bool(got)
    return found


def test_yen_matches_brute_force_on_random_graphs():
    rng = random.Random(21)
    found = sum(check_against_brute_force(random_dataset(rng)) for _ in range(300))
    assert found > 600  # most of the 1,200 questions have an answer: the check is not vacuous
    assert sum(check_against_brute_force(random_dataset(rng), through_hubs=True) for _ in range(100)) > 200


@st.composite
def random_graphs(draw):
    n = draw(st.integers(5, 11))
    kinds = [draw(st.sampled_from(KINDS)) for _ in range(n)]
    pairs = [(a, b) for a, b in itertools.permutations(range(n), 2)]
    edges = draw(st.lists(st.tuples(st.sampled_from(pairs), st.sampled_from(RELATIONS)),
                          min_size=10, max_size=45, unique=True))
    return kinds, edges


@settings(max_examples=200, deadline=None)
@given(random_graphs())
def test_yen_matches_brute_force(drawn):
    kinds, edges = drawn
    entities = {f"N{i}": Entity(f"N{i}", kind, f"N{i}") for i, kind in enumerate(kinds)}
    statements = tuple(Statement(f"r-{number}", f"N{a}", rel, f"N{b}", "up")
                       for number, ((a, b), rel) in enumerate(edges))
    check_against_brute_force(Dataset(entities=entities, statements=statements))
