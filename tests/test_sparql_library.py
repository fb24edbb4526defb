"""The query library: every example of every queries/*.rq gives its reviewed answer
(queries/expected/*.tsv), identically on Oxigraph (the default) and on rdflib's engine."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from iapgraph.sparql.expected import as_params, example_command, examples, expected_path, expected_tsv
from iapgraph.sparql.library import PARAMETER_TYPES, library
from iapgraph.sparql.query import PREFIXES, bind_parameters, engine_for, prepare
from iapgraph.sparql.text import add_prefixes, tokens, variables

LIBRARY = library()
CASES = [pytest.param(name, index, pairs, id=f"{name}-{index}")
         for name, lq in LIBRARY.items() for index, pairs in examples(lq)]


@pytest.fixture(scope="module")
def engines(kg):
    return engine_for("oxigraph", kg=kg), engine_for("rdflib", kg=kg)


@pytest.mark.parametrize(("name", "index", "pairs"), CASES)
def test_library_answer_on_both_engines(kg, engines, name, index, pairs):
    lq = LIBRARY[name]
    prepared = prepare(lq, bind_parameters(kg, lq, as_params(pairs)))
    oxigraph, rdflib = engines
    fast, reference = prepared.run(oxigraph), prepared.run(rdflib)
    assert fast == reference, f"{name}: Oxigraph and rdflib disagree"
    path = expected_path(lq, index)
    assert path.is_file(), f"no expected answer {path}: run make queries-expected and review it"
    assert expected_tsv(fast, example_command(lq, pairs)) == path.read_text(encoding="utf-8"), \
        f"{name} example {index} differs from {path.name}: run make queries-expected, read the diff"


def test_library_is_large_enough():
    assert len(LIBRARY) >= 20


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_query_header_and_portability(name):
    """Each query states its question and parameters, declares its prefixes, orders its rows,
    and uses only standard SPARQL that also runs on Virtuoso (no transitive alternation paths, no
    variables that differ only in case)."""
    lq = LIBRARY[name]
    assert len(lq.question) > 30 and lq.question.endswith("?"), "the header must state a question"
    assert lq.examples, "at least one '# Example:' (it is also the test case)"
    used = variables(lq.text)
    for p in lq.parameters:
        assert p.type in PARAMETER_TYPES
        assert p.name in used, f"parameter {p.name} is not a variable of the query"
    declared = {p.name for p in lq.parameters}
    required = {p.name for p in lq.parameters if p.required}
    for pairs in lq.examples:
        assert {k for k, _ in pairs} <= declared
        assert required <= {k for k, _ in pairs}
    assert add_prefixes(lq.text, PREFIXES)[1] == 0, "declare every prefix (endpoints do not know ours)"
    words = [t.text.upper() for t in tokens(lq.text) if t.kind == "word"]
    assert "ORDER" in words, "ORDER BY keeps the answer deterministic on every engine"
    for word in ("GROUP_CONCAT", "SAMPLE", "SERVICE", "RAND", "NOW", "UUID", "STRUUID"):
        assert word not in words, f"{word}: order-dependent, random or not portable"
    toks = list(tokens(lq.text))
    for before, tok in pairwise(toks):
        if tok.text in ("+", "*") and (before.kind in ("pname", "iri") or before.text == ")"):
            pytest.fail(f"transitive property path near {before.text}{tok.text} (Virtuoso 7.2 rejects them)")
    assert not re.search(r"\b(bif|sql):", lq.text), "Virtuoso built-ins are not standard SPARQL"
    folded = sorted(n for n in used if sum(m.casefold() == n.casefold() for m in used) > 1)
    assert not folded, f"variables {folded} differ only in case (Virtuoso's default CaseMode 2 merges them)"


def test_no_stale_expected_files():
    folder = expected_path(next(iter(LIBRARY.values())), 1).parent
    wanted = {expected_path(lq, i).name for lq in LIBRARY.values() for i, _ in examples(lq)}
    assert {p.name for p in folder.glob("*.tsv")} == wanted
