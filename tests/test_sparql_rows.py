"""The Oxigraph engine reads its answers from Oxigraph's TSV stream (issue 19: no Python term
object per value); the rows must be the ones the term-by-term conversion gave, caps included."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iapgraph.sparql.engines import OxigraphEngine, _capped, _ox_term, _tsv_term
from iapgraph.sparql.results import XSD, Term

DATA = b"""\
<http://ex/s> <http://ex/p> "tab\\there \\"quoted\\" back\\\\slash\\nnew line\\r" .
<http://ex/s> <http://ex/p> "caf\\u00E9 \\U0001D11E \\u0001 \\u000B \\u2028 end" .
<http://ex/s> <http://ex/p> "Hello"@en-GB .
<http://ex/s> <http://ex/p> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://ex/s> <http://ex/p> "-0042"^^<http://www.w3.org/2001/XMLSchema#int> .
<http://ex/s> <http://ex/p> "2.730"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<http://ex/s> <http://ex/p> "-0.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<http://ex/s> <http://ex/p> "1.5E3"^^<http://www.w3.org/2001/XMLSchema#double> .
<http://ex/s> <http://ex/p> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<http://ex/s> <http://ex/p> "0"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<http://ex/s> <http://ex/p> "x y"^^<http://ex/datatype> .
<http://ex/s> <http://ex/p> "" .
<http://ex/s> <http://ex/p> _:b1 .
<http://ex/s> <http://ex/p> <http://ex/o?q=1&r=%20#frag> .
<http://ex/s> <http://ex/p> "2024-01-02"^^<http://www.w3.org/2001/XMLSchema#date> .
_:b1 <http://ex/label> "blank" .
"""

QUERIES = [
    "SELECT ?o ?missing WHERE { <http://ex/s> <http://ex/p> ?o OPTIONAL { ?o <http://ex/label> ?missing } } ORDER BY STR(?o)",
    "SELECT ?o (STRLEN(STR(?o)) AS ?n) (?o = 42 AS ?is42) WHERE { ?s ?p ?o } ORDER BY ?n STR(?o)",
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY STR(?s) STR(?p) STR(?o)",
]


def _by_terms(store: ox.Store, text: str, limit: int | None, max_bytes: int | None):
    """What the engine gave before: one pyoxigraph term per value, converted, then capped."""
    answer = store.query(text)
    variables = [v.value for v in answer.variables]
    return _capped((tuple(_ox_term(s[v]) for v in variables) for s in answer), limit, max_bytes)


@pytest.fixture(scope="module")
def engine() -> OxigraphEngine:
    return OxigraphEngine(DATA)


@pytest.mark.parametrize("text", QUERIES)
def test_rows_are_those_of_the_term_by_term_conversion(engine, text):
    answer = engine.run(text)
    rows, cut = _by_terms(engine.store, text, None, None)
    assert len(rows) >= 2 and not cut
    assert answer.rows == rows and not answer.truncated
    # the awkward values really went through: escapes, a language tag, canonical numbers
    values = {t.value for row in answer.rows for t in row if t is not None}
    assert 'tab\there "quoted" back\\slash\nnew line\r' in values or len(answer.variables) == 2


def test_the_awkward_literals_survive():
    rows = OxigraphEngine(DATA).run("SELECT ?o WHERE { <http://ex/s> <http://ex/p> ?o }").rows
    got = {row[0] for row in rows}
    assert Term("literal", 'tab\there "quoted" back\\slash\nnew line\r') in got
    assert Term("literal", "caf\u00e9 \U0001d11e \u0001 \u000b \u2028 end") in got
    assert Term("literal", "Hello", None, "en-gb") in got
    assert Term("literal", "-42", XSD + "integer") in got
    assert Term("literal", "2.73", XSD + "decimal") in got
    assert Term("literal", "false", XSD + "boolean") in got
    assert Term("literal", "x y", "http://ex/datatype") in got
    assert Term("uri", "http://ex/o?q=1&r=%20#frag") in got
    assert sum(1 for t in got if t.kind == "bnode") == 1


@pytest.mark.parametrize(("limit", "max_bytes"), [(1, None), (3, None), (15, None), (16, None),
                                                  (None, 100), (None, 300), (None, 10**6), (4, 250)])
def test_caps_cut_where_they_cut_before(engine, limit, max_bytes):
    text = QUERIES[2]
    answer = engine.run(text, limit=limit, max_bytes=max_bytes)
    rows, cut = _by_terms(engine.store, text, limit, max_bytes)
    assert (answer.rows, answer.cut, answer.truncated) == (rows, cut, bool(cut))


def test_bare_numbers_and_booleans_from_the_tsv_stream():
    assert _tsv_term("12") == Term("literal", "12", XSD + "integer")
    assert _tsv_term("-1.50") == Term("literal", "-1.5", XSD + "decimal")
    assert _tsv_term("1E3") == Term("literal", "1E3", XSD + "double")
    assert _tsv_term("true") == Term("literal", "true", XSD + "boolean")
    assert _tsv_term("") is None
    with pytest.raises(ValueError):
        _tsv_term("nonsense")


def _fits_by_parsing(body: bytes, limit, max_bytes) -> bool:
    """What ``_fits`` decides by reading the answer again: its rows counted."""
    rows = sum(1 for _ in ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
    return (limit is None or rows <= limit) and (max_bytes is None or len(body) + 2 * rows <= max_bytes)


@settings(max_examples=150, deadline=None)
@given(rows=st.integers(0, 60), pool=st.lists(st.text(alphabet='{}"\\ab,:[]', max_size=12), min_size=1, max_size=4),
       limit=st.none() | st.integers(0, 60), max_bytes=st.none() | st.integers(0, 8000))
def test_fits_without_parsing_decides_as_parsing_would(rows, pool, limit, max_bytes):
    from iapgraph.sparql.engines import _bounded_json, _fits

    store = ox.Store()
    for i, value in enumerate(pool[i % len(pool)] for i in range(rows)):
        store.add(ox.Quad(ox.NamedNode(f"http://ex/s{i}"), ox.NamedNode("http://ex/p"), ox.Literal(value)))
    body = _bounded_json(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }"), None)
    assert _fits(body, limit, max_bytes) == _fits_by_parsing(body, limit, max_bytes)
