"""SHACL shapes: the curated graph conforms; a graph broken in known ways gives exactly those violations.

The TSV validator stops a malformed identifier or a missing quote long before the RDF is built, so
the breakages are made in the built rdflib graph itself. One pyshacl run checks them all, and the
report must name exactly the broken nodes and the shapes they break, nothing more.
"""

from __future__ import annotations

import pytest
from rdflib import RDFS, Graph, Literal

from iapgraph import vocab
from iapgraph.exceptions import ShaclError
from iapgraph.rdf import ENTITY, IAP, STATEMENT
from iapgraph.shacl import check_graph, registry_pattern, shapes_graph, violations

from .conftest import run_cli


def test_curated_graph_conforms(kg):
    assert violations(kg.to_rdf()) == []


def test_validate_shacl_cli_prints_ok(kg):
    result = run_cli("validate", "--shacl")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok: {len(kg.entities)} entities, {len(kg.statements)} statements"


@pytest.fixture(scope="module")
def broken(kg):
    """The built graph with one breakage per rule; returns (expected (focus, shape) pairs, violations)."""
    g = Graph()
    g += kg.to_rdf()
    expected = set()

    def xref(entity: str, old: str, new: str, shape: str) -> None:
        g.remove((ENTITY[entity], IAP.xref, Literal(old)))
        g.add((ENTITY[entity], IAP.xref, Literal(new)))
        expected.add((f"entity:{entity}", shape))

    # a statement without its evidence quote (cIAP1 ubiquitinates NIK)
    g.remove((STATEMENT["s2.1-001"], IAP.evidence, None))
    expected.add(("stmt:s2.1-001", "iapsh:StatementEvidence"))
    # a statement without citation and section
    g.remove((STATEMENT["s2.1-004"], IAP.citation, None))
    g.remove((STATEMENT["s2.1-004"], IAP.section, None))
    expected |= {("stmt:s2.1-004", "iapsh:StatementCitation"), ("stmt:s2.1-004", "iapsh:StatementSection")}
    # malformed identifiers of four registries, and one of no registry
    xref("XIAP", "uniprot:P98170", "uniprot:P9817", "iapsh:Xref-uniprot")
    trial = next(e for e in kg.entities.values() if any(x.startswith("clinicaltrials:") for x in e.xrefs))
    nct = next(x for x in trial.xrefs if x.startswith("clinicaltrials:"))
    xref(trial.id, nct, nct[:-1], "iapsh:Xref-clinicaltrials")
    xref("EudraCT-2012-000677-23", "euclinicaltrials:2012-000677-23", "euclinicaltrials:2012-00677-23",
         "iapsh:Xref-euclinicaltrials")
    xref("BIRC2", "hgnc:590", "hgnc:HGNC:590", "iapsh:Xref-hgnc")
    g.add((ENTITY["BIRC5"], IAP.xref, Literal("uniprotkb:O15392")))
    expected.add(("entity:BIRC5", "iapsh:XrefPrefix"))
    # a protein without its label breaks the protein shape and the shape of every entity
    g.remove((ENTITY["BIRC3"], RDFS.label, None))
    expected |= {("entity:BIRC3", "iapsh:ProteinLabel"), ("entity:BIRC3", "iapsh:EntityLabel")}
    # an effect and a section the vocabulary does not have
    g.set((STATEMENT["s2.1-080"], IAP.effect, Literal("sideways")))
    g.set((STATEMENT["s2.1-080"], IAP.section, Literal("9.9")))
    expected |= {("stmt:s2.1-080", "iapsh:StatementEffectTerm"), ("stmt:s2.1-080", "iapsh:StatementSectionTerm")}
    # an asserted statement whose direct triple is gone, a negated one whose triple is asserted
    g.remove((ENTITY["XIAP"], IAP.inhibits, ENTITY["CASP3"]))
    same = kg.find("XIAP", "inhibits", "CASP3")  # every statement of that triple lost it
    assert len(same) >= 2
    expected |= {(f"stmt:{s.id}", "iapsh:AssertedHasTriple") for s in same}
    [n] = [n for n in kg.statements if n.id == "s1.1-008"]
    assert n.negated and not kg.find(n.subject, n.relation, n.object)
    g.add((ENTITY[n.subject], IAP[n.relation], ENTITY[n.object]))
    expected.add(("stmt:s1.1-008", "iapsh:NegatedHasNoTriple"))
    # a statement about an entity the graph does not define (its triple then is missing too)
    [m] = [m for m in kg.statements if m.id == "s2.1-002"]
    g.set((STATEMENT[m.id], IAP.context, ENTITY["nowhere"]))
    expected.add(("stmt:s2.1-002", "iapsh:StatementContext"))
    return expected, violations(g)


def test_broken_graph_names_each_node_and_shape(broken):
    expected, found = broken
    assert {(v.focus, v.shape) for v in found} == expected


def test_violations_carry_path_value_and_message(broken):
    _, found = broken
    by_key = {(v.focus, v.shape): v for v in found}
    evidence = by_key["stmt:s2.1-001", "iapsh:StatementEvidence"]
    assert (evidence.component, evidence.path) == ("MinCountConstraintComponent", "iap:evidence")
    assert evidence.message == "a statement has exactly one evidence quote"
    uniprot = by_key["entity:XIAP", "iapsh:Xref-uniprot"]
    assert (uniprot.component, uniprot.path, uniprot.value) == (
        "PatternConstraintComponent", "iap:xref", "'uniprot:P9817'")
    assert uniprot.message.startswith("a uniprot: identifier matches the UniProtKB pattern")
    assert str(uniprot) == (
        "entity:XIAP: iapsh:Xref-uniprot [PatternConstraintComponent] on iap:xref: "
        f"{uniprot.message} (value 'uniprot:P9817')")
    context = by_key["stmt:s2.1-002", "iapsh:StatementContext"]
    assert (context.component, context.value) == ("ClassConstraintComponent", "entity:nowhere")


def test_error_lists_one_violation_per_line(broken):
    _, found = broken
    message = str(ShaclError(found))
    lines = message.splitlines()
    assert lines[0] == f"SHACL: {len(found)} violations of the shapes"
    assert lines[1:] == [str(v) for v in found]
    assert any(line.startswith("stmt:s2.1-001: iapsh:StatementEvidence [MinCountConstraintComponent] "
                               "on iap:evidence: ") for line in lines)


def test_check_graph_raises_on_a_broken_graph(kg):
    g = Graph()
    g += kg.to_rdf()
    g.remove((STATEMENT["s2.1-001"], IAP.evidence, None))
    with pytest.raises(ShaclError) as info:
        check_graph(g)
    assert [str(v).split(" [")[0] for v in info.value.violations] == [
        "stmt:s2.1-001: iapsh:StatementEvidence"]


@pytest.mark.parametrize("prefix", list(vocab.PREFIXES))
def test_registry_patterns_accept_the_curated_ids_and_other_registries(kg, prefix):
    """The generated regex passes every curated xref (any registry) and fails a broken one of its own."""
    import re

    rx = re.compile(registry_pattern(vocab.PREFIXES[prefix]))
    xrefs = [x for e in kg.entities.values() for x in e.xrefs]
    assert [x for x in xrefs if not rx.search(x)] == []
    assert not rx.search(f"{prefix}:not an id")
    assert rx.search(f"{prefix}x:1") and rx.search(prefix[:-1])


def test_shapes_are_shipped_and_parse():
    from importlib import resources

    text = resources.files("iapgraph").joinpath("shapes.ttl").read_text(encoding="utf-8")
    assert "iapsh:StatementShape" in text
    g = shapes_graph()
    assert len(g) > len(Graph().parse(data=text, format="turtle"))  # plus the generated shapes


def test_patterns_are_xml_schema_regexes():
    """sh:pattern is an XPath/XML Schema regex: no (?...) groups, no escapes Python alone knows."""
    import re

    from rdflib import Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    patterns = [str(p) for p in shapes_graph().objects(None, sh.pattern)]
    assert len(patterns) >= len(vocab.PREFIXES) + 5
    for pattern in patterns:
        re.compile(pattern)
        assert "(?" not in pattern, pattern
        escapes = set(re.findall(r"\\(.)", pattern))
        assert escapes <= set("nrt\\|.?*+(){}-[]^$dDsSwWiIcCpP"), (pattern, escapes)
