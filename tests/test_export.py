"""`iapgraph export`: every format written by the real CLI, then read back by its ecosystem's reader.

RDF through rdflib (isomorphic to kg.to_rdf()), GraphML through networkx, CX2 through ndex2, KGX
and Neo4j through csv (kgx itself downloads the Biolink model when imported, so the Biolink terms are
checked against the schema the biolink-model package ships), SIF line by line.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from iapgraph import vocab
from iapgraph.export import FORMATS, export

from .conftest import run_cli

# s2.1-001: cIAP1 (BIRC2) ubiquitinates NIK (MAP3K14), the edge every reader must give back exactly.
STATEMENT = "s2.1-001"
CITATION = "Zarnegar, et al., 2008"
QUOTE_PART = "degradative polyubiquitinated chains linked to NIK"

OUTPUTS = {"turtle": "iap.ttl", "ntriples": "iap.nt", "jsonld": "iap.jsonld", "graphml": "iap.graphml",
           "cx2": "iap.cx2", "kgx": "iap", "sif": "iap.sif", "neo4j": "neo4j"}


def _negated(kg) -> int:
    """How many statements the review negates (the curation adds some now and then)."""
    return sum(s.negated for s in kg.statements)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Every format written once by `python -m iapgraph export`; neo4j into an existing folder."""
    out = tmp_path_factory.mktemp("export")
    (out / "neo4j").mkdir()
    results = {}
    for fmt, name in OUTPUTS.items():
        result = run_cli("export", "--format", fmt, "-o", str(out / name))
        assert result.returncode == 0, (fmt, result.stderr)
        results[fmt] = result
    return out, results


@pytest.fixture(scope="module")
def statement(kg):
    [s] = [s for s in kg.statements if s.id == STATEMENT]
    assert (s.subject, s.relation, s.object) == ("BIRC2", "ubiquitinates", "MAP3K14")
    assert QUOTE_PART in s.evidence and s.citation == CITATION
    return s


@pytest.fixture(scope="module")
def reference_rdf(kg):
    return kg.to_rdf()


def test_cli_reports_what_it_wrote(exported, kg):
    out, results = exported
    asserted = sum(not s.negated for s in kg.statements)
    expected = {"turtle": "triples", "ntriples": "triples", "jsonld": "triples"}
    for fmt, result in results.items():
        lines = result.stdout.splitlines()
        wrote = [line for line in lines if line.startswith("wrote ")]
        assert len(wrote) == (2 if fmt in ("kgx", "neo4j") else 1), (fmt, lines)
        counts = next(line for line in lines if not line.startswith(("wrote ", "note: ")))
        if fmt in expected:
            assert counts.endswith(" triples")
        elif fmt == "sif":
            assert f"{asserted} edges" in counts
        else:  # KGX also carries the ontology links (issue 15), as edges with a source
            edges = len(kg.statements) + (len(kg.hierarchy()) if fmt == "kgx" else 0)
            assert counts == f"{len(kg.entities)} nodes, {edges} edges", fmt
    assert results["sif"].stdout.splitlines()[-1] == (
        f"note: {_negated(kg)} negated statements left out: sif has no attribute to mark them "
        "(turtle, ntriples, jsonld, graphml, cx2, kgx, neo4j, indra keep them, marked negated)")
    assert sorted(p.name for p in (out / "neo4j").iterdir()) == ["nodes.csv", "relationships.csv"]
    assert not list(out.rglob("*.tmp"))


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"),
                                                 ("jsonld", "json-ld")])
def test_rdf_reads_back_isomorphic(exported, reference_rdf, fmt, rdflib_format):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    out, _ = exported
    graph = Graph().parse(out / OUTPUTS[fmt], format=rdflib_format)
    assert len(graph) == len(reference_rdf)
    assert isomorphic(graph, reference_rdf)


def test_jsonld_context_has_the_prefixes(exported):
    out, _ = exported
    doc = json.loads((out / "iap.jsonld").read_text(encoding="utf-8"))
    context = doc["@context"]
    assert context["iap"] == vocab.VOCAB_NS
    assert context["entity"] == vocab.ENTITY_NS and context["stmt"] == vocab.STATEMENT_NS
    assert context["uniprot"] == "https://bioregistry.io/uniprot:"  # one URL style everywhere (issue 15)
    assert context["chebi"] == "https://bioregistry.io/chebi:"
    assert context["hazard_ratio"] == {"@id": "iap:hazard_ratio", "@type": "xsd:decimal"}
    [node] = [n for n in doc["@graph"] if n["@id"] == f"stmt:{STATEMENT}"]
    assert node["rdf:subject"] == {"@id": "entity:BIRC2"} and node["iap:citation"] == CITATION
    assert node["ub_chain"] == "K48"


def test_graphml_reads_back_with_networkx(exported, kg, statement):
    import networkx as nx

    out, _ = exported
    graph = nx.read_graphml(out / "iap.graphml", force_multigraph=True)
    reference = kg.to_networkx()
    assert graph.is_directed()
    assert graph.number_of_nodes() == reference.number_of_nodes()
    assert graph.number_of_edges() == reference.number_of_edges()
    # nodes are standard CURIEs (issue 15): cIAP1 is HGNC:590, NIK HGNC:6853
    birc2, nik, xiap, casp9 = (kg.preferred_id(n) for n in ("BIRC2", "MAP3K14", "XIAP", "CASP9"))
    assert (birc2, xiap) == ("HGNC:590", "HGNC:592")
    edge = graph.edges[birc2, nik, STATEMENT]
    assert edge["relation"] == "ubiquitinates" and edge["predicate"] == "biolink:affects"
    assert edge["evidence"] == statement.evidence and edge["citation"] == CITATION
    assert edge["negated"] is False and edge["ub_chain"] == "K48" and edge["effect"] == "down"
    assert graph.nodes[birc2]["label"] == "cIAP1" and graph.nodes[birc2]["entity"] == "BIRC2"
    assert graph.nodes[xiap]["xrefs"] == "hgnc:592|uniprot:P98170|ncbigene:331"
    assert graph.edges[xiap, casp9, "s2.1-004"]["domain"] == "XIAP.BIR3"
    hazard = graph.edges[xiap, kg.preferred_id("bladder_cancer"), "s1.3p-006"]["hazard_ratio"]
    assert hazard == 3.46 and isinstance(hazard, float)
    negated = {k for _, _, k, d in graph.edges(keys=True, data=True) if d["negated"]}
    assert negated == {s.id for s in kg.statements if s.negated} and len(negated) == _negated(kg) > 0


def test_cx2_reads_back_with_ndex2(exported, kg, statement):
    from ndex2.cx2 import CX2Network, CX2NetworkXFactory

    out, _ = exported
    raw = json.loads((out / "iap.cx2").read_text(encoding="utf-8"))
    assert raw[0] == {"CXVersion": "2.0", "hasFragments": False}
    meta = {m["name"]: m["elementCount"] for m in raw[1]["metaData"]}
    assert meta["nodes"] == len(kg.entities) and meta["edges"] == len(kg.statements)
    net = CX2Network()
    net.create_from_raw_cx2(str(out / "iap.cx2"))
    assert len(net.get_nodes()) == len(kg.entities) and len(net.get_edges()) == len(kg.statements)
    declared = net.get_attribute_declarations()
    assert declared["edges"]["negated"] == {"d": "boolean"}
    assert declared["edges"]["citation"] == {"d": "list_of_string"}
    assert declared["edges"]["hazard_ratio"] == {"d": "double"}
    nodes = net.get_nodes()
    [edge] = [e for e in net.get_edges().values() if e["v"]["statement"] == STATEMENT]
    assert nodes[edge["s"]]["v"]["name"] == "cIAP1" and nodes[edge["s"]]["v"]["represents"] == "HGNC:590"
    assert nodes[edge["s"]]["v"]["entity"] == "BIRC2"
    assert nodes[edge["t"]]["v"]["represents"] == kg.preferred_id("MAP3K14")
    assert edge["v"]["interaction"] == "ubiquitinates" and edge["v"]["citation"] == [CITATION]
    assert edge["v"]["evidence"] == statement.evidence and edge["v"]["negated"] is False
    graph = CX2NetworkXFactory().get_graph(net)
    assert graph.number_of_nodes() == len(kg.entities) and graph.number_of_edges() == len(kg.statements)


def _rows(path: Path, delimiter: str) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def biolink():
    """Class names (CamelCase), predicate slots (under 'related to') and enums of the Biolink model."""
    import importlib.util

    import yaml

    spec = importlib.util.find_spec("biolink_model")
    folder = Path(next(iter(spec.submodule_search_locations)))
    schema = yaml.safe_load((folder / "schema" / "biolink_model.yaml").read_text(encoding="utf-8"))
    classes = {"".join(w[:1].upper() + w[1:] for w in name.split()) for name in schema["classes"]}
    slots = schema["slots"]

    def is_predicate(name: str) -> bool:
        while name:
            if name == "related to":
                return True
            name = slots.get(name, {}).get("is_a")
        return False

    predicates = {name.replace(" ", "_") for name in slots if is_predicate(name)}
    enums = {name: set(e.get("permissible_values", {})) for name, e in schema["enums"].items()}
    return classes, predicates, enums, {name.replace(" ", "_") for name in slots}


def test_vocab_biolink_terms_exist_in_biolink_model(biolink):
    classes, predicates, _, _ = biolink
    assert {k.name: k.biolink for k in vocab.KINDS.values() if k.biolink[len("biolink:"):] not in classes} == {}
    assert {r.name: r.biolink for r in vocab.RELATIONS.values()
            if r.biolink[len("biolink:"):] not in predicates} == {}


def test_kgx_tables(exported, kg, statement, biolink):
    classes, predicates, enums, slots = biolink
    out, _ = exported
    node_header, nodes = _rows(out / "iap_nodes.tsv", "\t")
    edge_header, edges = _rows(out / "iap_edges.tsv", "\t")
    assert node_header[:3] == ["id", "category", "name"]
    assert edge_header[:4] == ["id", "subject", "predicate", "object"]
    assert {"negated", "original_predicate", "knowledge_level", "agent_type", "supporting_text",
            "xref", "synonym"} <= slots
    assert len(nodes) == len(kg.entities) and len(edges) == len(kg.statements) + len(kg.hierarchy())
    ids = {n["id"] for n in nodes}
    assert ids == {kg.preferred_id(e) for e in kg.entities}  # standard CURIEs (issue 15)
    assert {n["category"][len("biolink:"):] for n in nodes} <= classes
    assert {e["predicate"][len("biolink:"):] for e in edges} <= predicates
    assert {e["category"] for e in edges} == {"biolink:Association"} and "Association" in classes
    assert {e["knowledge_level"] for e in edges} <= enums["KnowledgeLevelEnum"]
    assert {e["agent_type"] for e in edges} <= enums["AgentTypeEnum"]
    assert all(e["subject"] in ids and e["object"] in ids for e in edges)
    [edge] = [e for e in edges if e["id"] == f"stmt:{STATEMENT}"]
    assert (edge["subject"], edge["predicate"], edge["object"]) == (
        "HGNC:590", "biolink:affects", kg.preferred_id("MAP3K14"))
    assert edge["original_predicate"] == "iap:ubiquitinates" and edge["negated"] == "False"
    assert edge["supporting_text"] == statement.evidence and edge["citation"] == CITATION
    assert edge["ub_chain"] == "K48"
    [xiap] = [n for n in nodes if n["id"] == "HGNC:592"]
    assert xiap["category"] == "biolink:Protein"
    assert xiap["xref"].split("|") == ["HGNC:592", "UniProtKB:P98170", "NCBIGene:331", "iapgraph:XIAP"]
    assert sum(e["negated"] == "True" for e in edges) == _negated(kg)
    [casp9] = [e for e in edges if e["id"] == "stmt:s2.1-004"]
    assert (casp9["subject"], casp9["object"], casp9["domain"]) == (
        "HGNC:592", kg.preferred_id("CASP9"), "iapgraph:XIAP.BIR3")


def test_neo4j_import_csv(exported, kg):
    out, _ = exported
    node_header, nodes = _rows(out / "neo4j" / "nodes.csv", ",")
    rel_header, rels = _rows(out / "neo4j" / "relationships.csv", ",")
    assert node_header[:4] == ["id:ID", ":LABEL", "name", "kind"]
    assert {"aliases:string[]", "xrefs:string[]", "enrolled:int"} <= set(node_header)
    assert rel_header[:4] == [":START_ID", ":END_ID", ":TYPE", "statement"]
    assert {"negated:boolean", "citation:string[]", "hazard_ratio:double", "patients:int"} <= set(rel_header)
    assert len(nodes) == len(kg.entities) and len(rels) == len(kg.statements)
    ids = {n["id:ID"] for n in nodes}
    assert all(r[":START_ID"] in ids and r[":END_ID"] in ids for r in rels)
    [birc2] = [n for n in nodes if n["id:ID"] == "HGNC:590"]
    assert birc2[":LABEL"] == "Entity|Protein" and birc2["name"] == "cIAP1" and birc2["entity"] == "BIRC2"
    [rel] = [r for r in rels if r["statement"] == STATEMENT]
    assert (rel[":START_ID"], rel[":TYPE"], rel[":END_ID"]) == ("HGNC:590", "UBIQUITINATES", kg.preferred_id("MAP3K14"))
    assert rel["negated:boolean"] == "false" and rel["citation:string[]"] == CITATION
    assert sum(r["negated:boolean"] == "true" for r in rels) == _negated(kg)


def test_sif_lists_asserted_statements(exported, kg):
    out, _ = exported
    lines = (out / "iap.sif").read_text(encoding="utf-8").splitlines()
    asserted = [s for s in kg.statements if not s.negated]
    assert lines == [f"{s.subject}\t{s.relation}\t{s.object}" for s in asserted]
    assert "BIRC2\tubiquitinates\tMAP3K14" in lines
    assert "BIRC2\tinhibits\tcaspases" not in lines  # negated: cIAP1 binds caspases, does not inhibit them


def test_no_negated_leaves_them_out(tmp_path, kg):
    result = run_cli("export", "--format", "graphml", "--no-negated", "-o", str(tmp_path / "g.graphml"))
    assert result.returncode == 0, result.stderr
    assert f"note: {_negated(kg)} negated statements left out (--no-negated)" in result.stdout
    import networkx as nx

    graph = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert graph.number_of_edges() == len(kg.statements) - _negated(kg)
    assert not any(d["negated"] for _, _, d in graph.edges(data=True))


def test_the_api_as_readme_shows_it(kg, tmp_path):
    from iapgraph.exceptions import UsageError

    result = kg.export("sif", tmp_path / "x.sif")
    assert result.paths == [tmp_path / "x.sif"] and result.counts["edges"] == len(kg.find(negated=False, hedged=None))
    assert result.notes and result.notes[0].startswith(f"{_negated(kg)} negated statements left out")
    with pytest.raises(UsageError, match=r"^unknown export format 'gexf'; known: turtle, ntriples, "):
        export(kg, "gexf", tmp_path / "x.gexf")


def test_graph_dir_exports_that_folder(tmp_path):
    from .paths_support import FIXTURE

    result = run_cli("export", "--graph-dir", str(FIXTURE), "--format", "kgx", "-o", str(tmp_path / "f"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "26 nodes, 34 edges"
    _, edges = _rows(tmp_path / "f_edges.tsv", "\t")
    assert [e["negated"] for e in edges].count("True") == 1
    sif = run_cli("export", "--graph-dir", str(FIXTURE), "--format", "sif", "-o", str(tmp_path / "f.sif"))
    assert sif.stdout.splitlines()[-1].startswith("note: 1 negated statement left out: sif has")


def test_any_output_name_is_accepted_and_the_usual_ending_suggested(tmp_path, kg):
    """N-Triples are `.nt` (Oxigraph's CLI guesses the format from it); another name is written
    all the same, with a note."""
    assert FORMATS["ntriples"].extension == ".nt" and FORMATS["turtle"].extension == ".ttl"
    result = run_cli("export", "--format", "ntriples", "-o", str(tmp_path / "iap.ntriples"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "note: iap.ntriples: tools guess ntriples from the ending .nt"
    assert (tmp_path / "iap.ntriples").read_bytes() == kg.ntriples().read_bytes()
    usual = run_cli("export", "--format", "ntriples", "-o", str(tmp_path / "iap.nt"))
    assert "note:" not in usual.stdout


def test_unknown_format_is_a_choice_error():
    result = run_cli("export", "--format", "gexf", "-o", "x.gexf")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "'gexf' is not one of" in result.stderr and "'graphml'" in result.stderr


def test_missing_output_folder_is_one_line(tmp_path):
    for fmt, name in (("turtle", "iap.ttl"), ("kgx", "iap")):
        target = tmp_path / "missing" / name
        result = run_cli("export", "--format", fmt, "-o", str(target))
        assert result.returncode == 1, result.stderr
        assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
        assert "does not exist" in result.stderr and str(tmp_path / "missing") in result.stderr
    assert not (tmp_path / "missing").exists()


def test_every_format_is_documented():
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    exports = readme.split("## Exports", 1)[1].split("\n## ", 1)[0]
    for name in FORMATS:
        assert f"`{name}`" in exports, name


# --- random valid graphs: every RDF serialization reads back the same graph, and it conforms --------

def _random_graph_case():
    from hypothesis import strategies as st

    from iapgraph.load import cyrillic_blocks

    from .test_properties import graphs

    # a value is written after its Latin key ("reading=..."): a Cyrillic letter there would make a
    # look-alike word, which validation refuses on purpose
    text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="|=\t\n\r"),
                   min_size=1, max_size=12).map(str.strip).filter(lambda s: bool(s) and not cyrillic_blocks().search(s))
    decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None).map(lambda d: f"{d:f}")
    qualifiers = st.fixed_dictionaries({}, optional={
        "hazard_ratio": decimals, "months_low": st.integers(0, 500).map(str), "patients":
        st.integers(0, 10**6).map(str), "endpoint": text, "reading": text})
    return st.tuples(graphs(), st.lists(qualifiers, min_size=25, max_size=25))


@pytest.mark.slow
def test_random_graphs_round_trip_and_conform(tmp_path_factory):
    from hypothesis import given, settings
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from iapgraph.kg import KnowledgeGraph, load_dataset
    from iapgraph.shacl import violations

    from .test_properties import SETTINGS, write

    @settings(SETTINGS, max_examples=20)
    @given(case=_random_graph_case())
    def check(case):
        (entities, statements), qualifiers = case
        for row, quals in zip(statements, qualifiers[:len(statements)], strict=True):
            row[12] = "|".join(f"{k}={v}" for k, v in quals.items())
        folder = write(tmp_path_factory.mktemp("g"), entities, statements)
        kg = KnowledgeGraph(load_dataset([folder]))
        reference = kg.to_rdf()
        for fmt, rdflib_format in (("turtle", "turtle"), ("jsonld", "json-ld")):
            target = folder / f"out.{fmt}"
            export(kg, fmt, target)
            assert isomorphic(Graph().parse(target, format=rdflib_format), reference), fmt
        assert violations(reference) == []

    check()
