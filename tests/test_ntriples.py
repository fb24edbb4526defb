"""The N-Triples written from the model (iapgraph.ntriples) are the triples rdflib's builder makes
(iapgraph.rdf.to_rdf), byte for byte once sorted; and the Turtle and JSON-LD exports made from them
read back into the same rdflib graph.

Inputs: the curated graph, a generated lab graph shaped like it (benchmarks/_background.py), and
in-memory datasets whose text holds what N-Triples must escape or carry: quotes, backslashes,
newlines and carriage returns, control characters, tabs, non-ASCII letters and astral characters,
and typed qualifier values in every lexical variant the validator accepts ("+5", "007", ".5", "5.",
"1e3" is refused there but rdflib and the writer agree on it too). The model has no language tags:
every literal is plain or typed (rdf.to_rdf never makes a tagged one), so none is tested.
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from iapgraph import ntriples, rdf
from iapgraph.export import export
from iapgraph.model import Dataset, Entity, Statement, SubclassLink

ROOT = Path(__file__).resolve().parent.parent


def _rdflib_bytes(dataset: Dataset, hierarchy: bool = True) -> bytes:
    return rdf.ntriples(rdf.to_rdf(dataset, hierarchy=hierarchy))


def _triples(data: bytes) -> set:
    return set(Graph().parse(data=data, format="nt"))


@pytest.mark.parametrize("hierarchy", [True, False])
def test_curated_graph_is_the_same_bytes(kg, hierarchy):
    made = ntriples.ntriples(kg.dataset, hierarchy=hierarchy)
    reference = _rdflib_bytes(kg.dataset, hierarchy)
    assert made == reference
    assert _triples(made) == set(kg.to_rdf(hierarchy=hierarchy))
    assert len(made.splitlines()) == len(kg.to_rdf(hierarchy=hierarchy)) > 20_000


def _background():
    spec = importlib.util.spec_from_file_location("_background", ROOT / "benchmarks" / "_background.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_lab_graph_is_the_same_bytes(kg):
    bg = _background()
    dataset = bg.merge(kg.dataset, bg._records(kg.dataset, 3000, random.Random(5)))
    made = ntriples.ntriples(dataset)
    assert made == _rdflib_bytes(dataset)
    assert len(made.splitlines()) > 60_000


def test_lab_folder_builds_the_same_triples(kg, tmp_path):
    """A generated lab folder as TSV, merged with graph/ and built: the artefacts read back as the
    graph rdflib's builder makes from the same validated dataset."""
    from iapgraph.kg import load

    bg = _background()
    lab = bg.write_lab_folder(kg.dataset, 800, tmp_path / "lab")
    merged = load([ROOT / "graph", lab], cache=False)
    assert len(merged.statements) == len(kg.statements) + 800
    written = merged.build(tmp_path / "out")
    assert [p.name for p in written] == ["iapgraph.ttl", "vocab.ttl", "iapgraph.nt"]
    reference = merged.to_rdf()
    assert (tmp_path / "out" / "iapgraph.nt").read_bytes() == rdf.ntriples(reference)
    turtle = Graph().parse(tmp_path / "out" / "iapgraph.ttl", format="turtle")
    assert len(turtle) == len(reference) and isomorphic(turtle, reference)


# text N-Triples must escape or carry as it is; hypothesis' text() adds every other character
ODD = ['say "no"', "back\\slash", "two\nlines", "cr\rlf\r\n", "tab\there", "nul\x00bell\x07",
       "del\x7f c1\x85", "IκBα β-catenin", "Сyrillic", "emoji \U0001f9ec", "\\n not a newline", '"',
       "\\", "", "trailing space ", "\u2028line separator", "^^<http://www.w3.org/2001/XMLSchema#string>"]
texts = st.one_of(st.sampled_from(ODD), st.text(max_size=15))
integers = st.sampled_from(["0", "-0", "+5", "007", "12", "-12", "123456789012345678901234567890"])
decimals = st.sampled_from(["60", "60.0", "1.50", "+1.5", "-0.0", ".5", "5.", "0001.2000", "1e3", "3.46",
                            "0.0000001"])


@st.composite
def odd_datasets(draw):
    """Two entities and a few statements whose every free-text field is drawn from ``texts``."""
    entities = {
        "A": Entity("A", "protein", draw(texts), symbol=draw(texts), aliases=tuple(draw(st.lists(texts, max_size=3))),
                    xrefs=("uniprot:P98170", draw(st.sampled_from(["hgnc:592", "uniprot:P98170"]))),
                    attributes={"chromosome": draw(texts)} if draw(st.booleans()) else {},
                    description=draw(texts)),
        "B.x-1+": Entity("B.x-1+", "drug", draw(texts)),
    }
    statements = []
    for n in range(draw(st.integers(1, 3))):
        qualifiers = {"ub_chain": draw(texts), "hazard_ratio": draw(decimals), "patients": draw(integers)}
        statements.append(Statement(
            f"s-{n}", draw(st.sampled_from(["A", "B.x-1+"])), draw(st.sampled_from(["binds", "inhibits"])),
            "A", draw(st.sampled_from(["up", "down", "unknown"])), mechanism=draw(st.sampled_from(["", "binding"])),
            contexts=tuple(draw(st.lists(st.sampled_from(["A", "B.x-1+"]), max_size=2))),
            negated=draw(st.booleans()), section=draw(texts), citations=tuple(draw(st.lists(texts, max_size=3))),
            evidence=draw(texts), qualifiers={k: v for k, v in qualifiers.items() if draw(st.booleans())},
            note=draw(texts), hedged=draw(st.booleans()), direct=draw(st.sampled_from([None, True, False]))))
    hierarchy = (SubclassLink("A", "is_a", "B.x-1+", draw(texts), child_term=draw(texts),
                              parent_term=draw(texts), note=draw(texts)),)
    return Dataset(entities=entities, statements=tuple(statements), hierarchy=hierarchy)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset=odd_datasets())
def test_odd_literals_are_the_same_bytes(dataset):
    made = ntriples.ntriples(dataset)
    assert made == _rdflib_bytes(dataset)
    assert _triples(made) == set(rdf.to_rdf(dataset))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(dataset=odd_datasets())
def test_odd_literals_read_back_from_turtle_and_jsonld(tmp_path, dataset):
    reference = rdf.to_rdf(dataset)
    for fmt, rdflib_format in (("turtle", "turtle"), ("jsonld", "json-ld"), ("ntriples", "nt")):
        target = tmp_path / f"out.{fmt}"
        result = export(dataset, fmt, target)
        assert result.counts == {"triples": len(reference)}
        back = Graph().parse(target, format=rdflib_format)
        assert len(back) == len(reference) and isomorphic(back, reference), fmt


def test_an_identifier_that_cannot_be_an_iri_is_refused_as_rdflib_refuses_it():
    dataset = Dataset(entities={"a b": Entity("a b", "protein", "x")}, statements=())
    with pytest.raises(Exception, match="does not look like a valid URI"):
        _rdflib_bytes(dataset)
    with pytest.raises(ValueError, match="does not look like a valid URI"):
        ntriples.ntriples(dataset)


def test_cx2_is_what_the_plain_ndex2_network_writes(kg, monkeypatch):
    """to_cx2 uses a CX2Network without per-element deep copies and look-ups; the aspects must be
    those the plain class gives, on the curated graph and a generated one."""
    from ndex2.cx2 import CX2Network

    from iapgraph.export import network

    bg = _background()
    for dataset in (kg.dataset, bg.merge(kg.dataset, bg._records(kg.dataset, 1500, random.Random(3)))):
        fast = network.to_cx2(dataset)
        with monkeypatch.context() as patch:
            patch.setattr(network, "_cx2_network", CX2Network)
            plain = network.to_cx2(dataset)
        assert fast == plain
        assert len(fast[4]["nodes"]) == len(dataset.entities) > 400
