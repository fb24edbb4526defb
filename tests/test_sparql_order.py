"""A library query's final ORDER BY is done in Python when that gives Oxigraph's own order (issue 19:
trial-combinations at a million triples spent half its time in Oxigraph's sort). Every test here
compares with Oxigraph running the text ORDER BY and all."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iapgraph.sparql.engines import OxigraphEngine
from iapgraph.sparql.expected import as_params
from iapgraph.sparql.library import library
from iapgraph.sparql.order import sort_rows, split_order
from iapgraph.sparql.query import bind_parameters, engine_for, prepare

EX = "http://ex/"
STRINGS = ["", "a", "A", "b", "ab", "é", "z", "\U0001d11e", "Zebra", "a b"]


def test_split_order_takes_only_a_final_clause_of_variables():
    head, keys = split_order("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY ?a DESC(?b) # done\n")
    assert head == "SELECT ?a ?b WHERE { ?a ?p ?b }" and keys == (("a", False), ("b", True))
    assert split_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY asc(?a)")[1] == (("a", False),)
    for text in [
        "SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 3",  # a slice after it
        "SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a OFFSET 1",
        "SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)",  # an expression
        "SELECT ?a WHERE { ?a ?p ?b } ORDER BY (?a)",
        "SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a } }",  # a subquery's
        "SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a VALUES ?a { <http://x> }",
        "SELECT ?a WHERE { ?a ?p \"ORDER BY ?a\" }",  # inside a string
        "SELECT ?a WHERE { ?a ?p ?b } # ORDER BY ?a",  # inside a comment
        "SELECT ?a WHERE { ?a ?p ?b }",
    ]:
        assert split_order(text) is None, text


def _data(rows: list[tuple]) -> bytes:
    lines = []
    for i, (a, b, c, d) in enumerate(rows):
        r = f"<{EX}r{i}>"
        lines.append(f'{r} <{EX}v> "{i:03d}" .')
        if a is not None:
            lines.append(f'{r} <{EX}a> "{a}" .')
        if b is not None:
            lines.append(f"{r} <{EX}b> <{EX}{b}> .")
        if c is not None:
            lines.append(f'{r} <{EX}c> "{c}"^^<http://www.w3.org/2001/XMLSchema#integer> .')
        if d is not None:
            lines.append(f'{r} <{EX}d> "{str(d).lower()}"^^<http://www.w3.org/2001/XMLSchema#boolean> .')
    return "\n".join(lines).encode() + b"\n"


QUERY = (f"SELECT {{distinct}} ?a ?b ?c ?d {{v}} WHERE {{{{ ?r <{EX}v> ?v "
         f"OPTIONAL {{{{ ?r <{EX}a> ?a }}}} OPTIONAL {{{{ ?r <{EX}b> ?b }}}} "
         f"OPTIONAL {{{{ ?r <{EX}c> ?c }}}} OPTIONAL {{{{ ?r <{EX}d> ?d }}}} }}}} ORDER BY {{keys}}")

row = st.tuples(st.none() | st.sampled_from(STRINGS), st.none() | st.sampled_from(["x", "y", "Y", "x/1", "é"]),
                st.none() | st.integers(-20, 20), st.none() | st.booleans())
keys = st.lists(st.tuples(st.sampled_from("abcd"), st.booleans()), min_size=1, max_size=4, unique_by=lambda k: k[0])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=0, max_size=25), keys=keys, distinct=st.booleans(), with_v=st.booleans())
def test_sorting_here_gives_oxigraphs_order(rows, keys, distinct, with_v):
    engine = OxigraphEngine(_data(rows))
    order = " ".join(f"DESC(?{k})" if desc else f"?{k}" for k, desc in keys)
    text = QUERY.format(distinct="DISTINCT" if distinct else "", v="?v" if with_v else "", keys=order)
    head, split = split_order(text)
    assert split == tuple(keys)
    ordered = engine.run(text)
    mine = engine.run(head)
    assert sort_rows(mine, split)
    assert mine.rows == ordered.rows


def test_a_key_of_another_kind_is_left_to_oxigraph():
    engine = OxigraphEngine(b'<http://ex/r1> <http://ex/p> "b"@en .\n<http://ex/r2> <http://ex/p> "a" .\n'
                            b'<http://ex/r3> <http://ex/q> "2.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
                            b'<http://ex/r4> <http://ex/q> "10"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n')
    for text in ["SELECT ?o WHERE { ?s <http://ex/p> ?o } ORDER BY ?o",  # a language tag
                 "SELECT ?o WHERE { ?s <http://ex/q> ?o } ORDER BY ?o",  # decimals
                 "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o"]:  # mixed kinds
        head, keys = split_order(text)
        mine = engine.run(head)
        before = list(mine.rows)
        assert not sort_rows(mine, keys) and mine.rows == before
    # a key that is not a column of the answer
    head, keys = split_order("SELECT ?s WHERE { ?s <http://ex/p> ?o } ORDER BY ?o")
    assert not sort_rows(engine.run(head), keys)


@pytest.fixture(scope="module")
def engine(kg):
    return engine_for("oxigraph", kg=kg)


def _runs(kg, engine):
    for name, lq in library().items():
        runs = [{}] + [bind_parameters(kg, lq, as_params(example)) for example in lq.examples[:3]]
        for values in runs:
            yield name, prepare(lq, values)


def test_every_library_query_gives_oxigraphs_own_order(kg, engine):
    split = sorted({name for name, prepared in _runs(kg, engine) if prepared.unordered is not None})
    assert "trial-combinations" in split and len(split) >= 20  # nearly every library query ends so
    for name, prepared in _runs(kg, engine):
        plain = dataclasses.replace(prepared, unordered=None)
        mine, theirs = prepared.run(engine), plain.run(engine)
        assert mine.rows == theirs.rows, name
        assert mine.variables == theirs.variables and not mine.truncated


def test_the_local_sort_really_ran_and_caps_cut_after_it(kg, engine):
    prepared = prepare(library()["trial-combinations"], {})
    head, keys = prepared.unordered
    unsorted = engine.run(head)
    assert sort_rows(dataclasses.replace(unsorted, rows=list(unsorted.rows)), keys)
    full = prepared.run(engine)
    assert len(full.rows) > 20 and full.rows != unsorted.rows  # Oxigraph's own order was not sorted
    assert sorted(full.rows, key=repr) == sorted(unsorted.rows, key=repr)
    first = prepared.run(engine, 5)
    assert first.rows == full.rows[:5] and first.truncated and first.cut == "rows"


def test_a_users_text_is_sorted_by_oxigraph(kg):
    from iapgraph.sparql.query import as_library_query

    text = library()["trial-combinations"].text
    assert prepare(as_library_query(text, is_text=True), {}).unordered is None
