"""The exports in the anchor systems' own tools: INDRA, PyBEL, ndex2 (with the Cytoscape style) and
kuzu (the Neo4j CSV in an embedded graph database), each read back by the real package.

Every file is written by the real CLI once per module. Each test asserts counts against the curated
graph and reads back exact statements: XIAP -| caspase-9 through its BIR3 domain, with its quote.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from iapgraph.export import bel as bel_export
from iapgraph.export import indra as indra_export
from iapgraph.export import network

from .conftest import run_cli

# pybel's pyparsing calls are deprecated in the pyparsing the venv has: thousands of warnings
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated - use:DeprecationWarning")

# XIAP inhibits caspase-9 through BIR3 (Berthelet & Dubrez, 2013): the statement every reader must give back.
XIAP_CASP9 = "s2.1-004"
QUOTE_START = "XIAP interacts with caspase-9 through its BIR3 domain, with its C-terminus binding"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """indra, bel, cx2 and neo4j written by `python -m iapgraph export`; stdout kept per format."""
    folder = tmp_path_factory.mktemp("interop")
    (folder / "neo4j").mkdir()
    results = {}
    for fmt, name in {"indra": "iap.json", "bel": "iap.bel", "cx2": "iap.cx2", "neo4j": "neo4j"}.items():
        result = run_cli("export", "--format", fmt, "-o", str(folder / name))
        assert result.returncode == 0, (fmt, result.stderr)
        results[fmt] = result.stdout
    return folder, results


@pytest.fixture(scope="module")
def casp9(kg):
    [s] = [s for s in kg.statements if s.id == XIAP_CASP9]
    assert (s.subject, s.relation, s.object, s.domains) == ("XIAP", "inhibits", "CASP9", ("XIAP.BIR3",))
    assert s.evidence.startswith(QUOTE_START) and s.citation == "Berthelet & Dubrez, 2013"
    return s


# --- INDRA -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def indra_statements(out, tmp_path_factory, request):
    """The INDRA file read by indra.statements.stmts_from_json (INDRA keeps its config in HOME)."""
    monkeypatch = pytest.MonkeyPatch()
    request.addfinalizer(monkeypatch.undo)
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    pytest.importorskip("indra")
    from indra.statements import stmts_from_json

    folder, _ = out
    raw = json.loads((folder / "iap.json").read_text(encoding="utf-8"))
    return raw, stmts_from_json(raw)


def test_indra_reads_every_statement_back(indra_statements, kg, out):
    raw, statements = indra_statements
    stdout = out[1]["indra"]
    typed = [s for s in kg.statements if indra_export.indra_type(s, kg.dataset.entities)]
    untyped = [s for s in kg.statements if s not in typed]
    assert len(statements) == len(raw) and untyped and typed
    evidence = [e for st in statements for e in st.evidence]
    # one Evidence per typed curated row, none lost, none doubled
    assert sorted(e.source_id for e in evidence) == sorted(s.id for s in typed)
    assert {e.source_api for e in evidence} == {"iapgraph"}
    # one Statement per type and agents (a Complex's members unordered; a Translocation's side)
    groups = set()
    for s in typed:
        kind = indra_export.indra_type(s, kg.dataset.entities)
        ends = tuple(sorted((s.subject, s.object))) if kind == "Complex" else (s.subject, s.object)
        groups.add((kind, ends, s.relation if kind == "Translocation" else ""))
    assert len(statements) == len(groups)
    assert sum(e.epistemics["negated"] for e in evidence) == sum(s.negated for s in typed) > 0
    assert stdout.splitlines()[1] == f"{len(raw)} statements, {len(typed)} evidence, {len(untyped)} untyped"
    # the rows INDRA cannot type are counted and every one is listed
    notes = [line for line in stdout.splitlines() if line.startswith("note: ")]
    assert notes[0] == (f"note: {len(untyped)} statements with no INDRA type left out of the INDRA file "
                        "(every other format has them):")
    listed = {i for line in notes[1:] for i in line.split(": ", 3)[3].split(", ")}
    assert listed == {s.id for s in untyped}


def test_indra_xiap_inhibits_caspase9_via_bir3(indra_statements, casp9):
    from indra.statements import Inhibition

    _, statements = indra_statements
    [stmt] = [st for st in statements if isinstance(st, Inhibition)
              and st.subj.name == "XIAP" and st.obj.name == "CASP9"]
    assert {"TEXT": "XIAP", "HGNC": "592", "UP": "P98170", "EGID": "331"}.items() <= stmt.subj.db_refs.items()
    assert stmt.obj.db_refs["HGNC"] == "1511" and stmt.obj.db_refs["TEXT"] == "caspase-9"
    [ev] = [e for e in stmt.evidence if e.source_id == XIAP_CASP9]
    assert ev.text == casp9.evidence
    assert ev.annotations["domain"] == ["XIAP.BIR3"] and ev.annotations["domain_label"] == ["XIAP BIR3"]
    assert ev.annotations["citation"] == ["Berthelet & Dubrez, 2013"] and ev.annotations["section"] == "2.1"
    assert ev.annotations["mechanism"] == "catalytic_inhibition"
    assert ev.epistemics == {"negated": False, "hedged": False, "hypothesis": False, "direct": True}


def test_indra_types_and_negative_evidence(indra_statements, kg):
    from indra.statements import Complex, DecreaseAmount, Translocation, Ubiquitination

    _, statements = indra_statements
    [ub] = [st for st in statements if isinstance(st, Ubiquitination)
            and st.enz.name == "BIRC2" and st.sub.name == "MAP3K14"]
    assert {e.source_id for e in ub.evidence} >= {"s2.1-001"}
    [ev] = [e for e in ub.evidence if e.source_id == "s2.1-001"]
    assert ev.annotations["qualifiers"]["ub_chain"] == "K48"
    # cIAP1 binds caspases but does not inhibit them: a negated Inhibition Evidence, not a gap
    negated = {e.source_id: st for st in statements for e in st.evidence if e.epistemics["negated"]}
    assert type(negated["s2.1-006"]).__name__ == "Inhibition"
    assert negated["s2.1-006"].subj.name == "BIRC2"
    assert any(isinstance(st, Complex) for st in statements)
    assert any(isinstance(st, DecreaseAmount) for st in statements)
    [smac] = [st for st in statements if isinstance(st, Translocation) and st.agent.name == "DIABLO"]
    # a GO id when the entity has one (INDRA takes GO ids or names), else the GO name
    mito = kg.entity("mitochondrion")
    expected = next((f"GO:{x.split(':')[1]}" for x in mito.xrefs if x.startswith("go:")), "mitochondrion")
    assert smac.from_location == expected and smac.to_location is None


def test_indra_validator_accepts_every_statement(indra_statements):
    """INDRA's own validator: known statement types, agents with valid db_refs (HGNC ids, UniProt
    accessions, GO/CHEBI with their prefix ...), evidence with text and source."""
    from indra.statements.validate import assert_valid_statement

    _, statements = indra_statements
    for stmt in statements:
        assert_valid_statement(stmt)


def test_indra_assembler_runs(indra_statements):
    from indra.assemblers.indranet import IndraNetAssembler

    _, statements = indra_statements
    graph = IndraNetAssembler(statements).make_model()
    assert graph.has_edge("XIAP", "CASP9")
    assert graph.number_of_nodes() > 100 and graph.number_of_edges() >= len(
        [st for st in statements if type(st).__name__ != "Translocation"])


def test_indra_db_refs_map_every_registry_prefix():
    """Registries added later still give a namespace (upper-cased), never a crash or a drop."""
    from iapgraph import vocab

    refs = indra_export.db_refs_of_xrefs(["fplx:IAP", *(f"{p}:X1" for p in vocab.PREFIXES), "newreg:7"])
    assert refs["FPLX"] == "IAP" and refs["NEWREG"] == "7" and refs["GO"] == "GO:X1" and refs["UP"] == "X1"
    assert len(refs) == len({indra_export.NAMESPACES.get(p, (p.upper(), False))[0]
                             for p in [*vocab.PREFIXES, "fplx", "newreg"]})


# --- BEL ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bel_graph(out):
    pybel = pytest.importorskip("pybel")
    folder, _ = out
    return pybel.from_bel_script(str(folder / "iap.bel"))


def _bel_lines(path: Path, kg) -> list[tuple[str, str, str, str, str, str]]:
    """(statement id, citation line, evidence line, subject term, relation, object term) per block."""
    by_id = {s.id: s for s in kg.statements}
    blocks = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if not block.startswith("SET Citation"):
            continue
        lines = block.splitlines()
        sid = re.search(r'SET Statement = "([^"]+)"', block).group(1)
        relation = bel_export.relation_of(by_id[sid])
        subject, obj = lines[-1].split(f" {relation} ", 1)
        blocks.append((sid, lines[0], lines[1], subject, relation, obj))
    return blocks


def test_bel_parses_without_errors(bel_graph, out, kg):
    from pybel.constants import ANNOTATIONS, EVIDENCE

    folder, stdout = out[0], out[1]["bel"]
    assert bel_graph.warnings == []
    blocks = _bel_lines(folder / "iap.bel", kg)
    expected = [s for s in kg.statements
                if bel_export.bel_statement(s, kg.dataset.entities) and not s.negated]
    assert [b[0] for b in blocks] == [s.id for s in expected]
    assert stdout.splitlines()[1].startswith(f"{len(expected)} statements, ")
    # PyBEL keys an edge by its ends, relation, citation and evidence: rows of one sentence with the
    # same ends (the OS and the RFS hazard ratio of one study) are one edge; symmetric relations give
    # two, and so does binds (each partner directlyIncreases their complex).
    symmetric = {"association", "correlation", "positiveCorrelation", "negativeCorrelation", "binds"}
    distinct = {b[1:] for b in blocks}
    with_evidence = [d for _, _, d in bel_graph.edges(data=True) if EVIDENCE in d]
    assert len(with_evidence) == len(distinct) + sum(d[3] in symmetric for d in distinct)
    ids = {a["identifier"] for d in with_evidence for a in d[ANNOTATIONS]["Statement"]}
    assert ids <= {s.id for s in expected}
    # nodes: every term written, the complex each binds makes, the unmodified protein of a pmod term
    terms = {t for b in blocks for t in (b[3], b[5])}
    complexes = {frozenset((b[3], b[5])) for b in blocks if b[4] == "binds"}
    parents = {b[5].split(", pmod(")[0] + ")" for b in blocks if ", pmod(" in b[5]} - terms
    assert bel_graph.number_of_nodes() == len(terms) + len(complexes) + len(parents)


def test_bel_xiap_decreases_caspase9_with_quote(bel_graph, casp9):
    from pybel.constants import ANNOTATIONS, CITATION, EVIDENCE, RELATION

    edges = [(u, v, d) for u, v, d in bel_graph.edges(data=True)
             if EVIDENCE in d and any(a["identifier"] == XIAP_CASP9 for a in d[ANNOTATIONS]["Statement"])]
    [(u, v, d)] = edges
    assert (u.as_bel(), v.as_bel()) == ("p(HGNC:XIAP)", "p(HGNC:CASP9)")
    assert d[RELATION] == "directlyDecreases" and d[EVIDENCE] == casp9.evidence
    assert d[CITATION]["identifier"] == "Berthelet & Dubrez, 2013"
    assert [a["identifier"] for a in d[ANNOTATIONS]["Domain"]] == ["XIAP BIR3"]
    assert [a["identifier"] for a in d[ANNOTATIONS]["Relation"]] == ["inhibits"]


def test_bel_ubiquitination_and_context(bel_graph):
    from pybel.constants import ANNOTATIONS, EVIDENCE, RELATION

    by_id = {a["identifier"]: (u, v, d) for u, v, d in bel_graph.edges(data=True) if EVIDENCE in d
             for a in d[ANNOTATIONS]["Statement"]}
    u, v, d = by_id["s2.1-001"]
    # ub_chain=K48 becomes PyBEL's K48-linked ubiquitination (GO:0070936)
    assert (u.as_bel(), d[RELATION], v.as_bel()) == (
        "p(HGNC:BIRC2)", "directlyIncreases",
        'p(HGNC:MAP3K14, pmod(go:0070936 ! "protein K48-linked ubiquitination"))')
    contexts = [d for _, _, d in by_id.values() if "CancerType" in d[ANNOTATIONS]]
    assert contexts and all(a["identifier"] for d in contexts for a in d[ANNOTATIONS]["CancerType"])


GROUNDED_ENTITIES = [
    ["XIAP", "protein", "XIAP", "XIAP", "", "hgnc:592|uniprot:P98170", "", ""],
    ["dATP", "chemical", "dATP", "", "", "chebi:16284", "", ""],
    ["apoptosis", "biological_process", "apoptosis", "", "", "go:0006915", "", ""],
    ["AML", "cancer_type", "acute myeloid leukemia", "", "", "mondo:0018874|mesh:D015470", "", ""],
    ["Complex-I", "complex", "Complex-I", "", "", "", "", ""],
]
GROUNDED_STATEMENTS = [
    ["g-1", "dATP", "promotes", "apoptosis", "", "", "", "AML", "", "2.1", "review",
     'a quote with "quotes" and  two spaces', "", ""],
    ["g-2", "XIAP", "suppresses", "apoptosis", "", "", "", "", "", "2.1", "review", "XIAP suppresses it", "", ""],
    ["g-3", "XIAP", "part_of", "Complex-I", "", "", "", "", "", "2.1", "review", "XIAP is in Complex-I", "", ""],
    ["g-4", "XIAP", "prognostic_for", "AML", "", "", "", "", "", "1.3", "review", "XIAP predicts", "", ""],
]


def test_bel_terms_grounded_in_registries(tmp_path):
    """An entity with a ChEBI, GO or MONDO id is that term in that namespace (defined with the
    registry's id pattern), named by its label; the rest are entity ids in the IAP namespace."""
    pybel = pytest.importorskip("pybel")
    from pybel.constants import ANNOTATIONS, EVIDENCE

    from iapgraph.kg import KnowledgeGraph, load_dataset

    from .test_properties import write

    folder = write(tmp_path / "g", GROUNDED_ENTITIES, GROUNDED_STATEMENTS)
    kg = KnowledgeGraph(load_dataset([folder]))
    kg.export("bel", tmp_path / "g.bel")
    text = (tmp_path / "g.bel").read_text(encoding="utf-8")
    assert 'DEFINE NAMESPACE CHEBI AS PATTERN "\\d+"' in text
    graph = pybel.from_bel_script(str(tmp_path / "g.bel"))
    assert graph.warnings == []
    edges = {a["identifier"]: (u, v, d) for u, v, d in graph.edges(data=True) if EVIDENCE in d
             for a in d[ANNOTATIONS]["Statement"]}
    u, v, d = edges["g-1"]
    assert (u.namespace, u.identifier, u.name) == ("CHEBI", "16284", "dATP")
    assert (v.namespace, v.identifier, v.name) == ("GO", "0006915", "apoptosis")
    [g1] = kg.find("dATP", "promotes", "apoptosis")
    assert d[EVIDENCE] == g1.evidence.replace('"', '\\"')  # BEL's escape, which PyBEL keeps
    assert [a["identifier"] for a in d[ANNOTATIONS]["CancerType"]] == ["acute myeloid leukemia"]
    u, v, _ = edges["g-4"]
    assert u.as_bel() == "p(HGNC:XIAP)" and (v.namespace, v.identifier) == ("MONDO", "0018874")
    _, v, _ = edges["g-3"]
    assert v.as_bel() == "complex(IAP:Complex-I)"


def test_bel_negated_are_comments_not_statements(out, kg):
    folder, stdout = out[0], out[1]["bel"]
    text = (folder / "iap.bel").read_text(encoding="utf-8")
    negated = [s for s in kg.statements if s.negated and bel_export.bel_statement(s, kg.dataset.entities)]
    assert negated
    for s in negated:
        assert f'SET Statement = "{s.id}"' not in text
        assert f"#   {s.id}: " in text
    assert f"note: {len(negated)} negated statements written as comments" in stdout


# --- CX2 with the HTML's style ----------------------------------------------------------------------

def test_cx2_style_matches_the_html():
    """The CX2 style table and viz.style hold the same colours, shapes and arrowheads."""
    from iapgraph.viz import style

    assert set(network.NODE_GROUPS) == set(style.CATEGORIES)
    for key, cat in style.CATEGORIES.items():
        assert network.NODE_GROUPS[key] == (cat.color, cat.border, cat.kinds), key
        assert network.NODE_SHAPES[key] == network.VIS_TO_CYTOSCAPE_SHAPE[cat.shape], key
    for relation, color in network.RELATION_COLORS.items():
        assert style.relation_color(relation) == color, relation
    assert {r for g in style.RELATION_GROUPS.values() for r in g.relations} == set(network.RELATION_COLORS)
    assert network.OTHER_RELATION_COLOR == style.OTHER_RELATION_COLOR
    assert network.NEGATED_COLOR == style.NEGATED_COLOR and network.EDGE_WIDTH == style.EDGE_WIDTH
    assert network.IAP_SYMBOLS == style.IAP_SYMBOLS
    assert {e: network.VIS_TO_CYTOSCAPE_ARROW[a] for e, a in style.ARROWS.items()} == network.ARROW_SHAPES


def test_cx2_groups_match_the_html(kg):
    from iapgraph.viz.view import categorize

    assert network.node_groups(kg.dataset) == categorize(dict(kg.dataset.entities), kg.statements)


def test_cx2_visual_properties_read_back_with_ndex2(out, kg):
    from ndex2.cx2 import CX2Network

    folder, _ = out
    net = CX2Network()
    net.create_from_raw_cx2(str(folder / "iap.cx2"))
    assert len(net.get_nodes()) == len(kg.entities) and len(net.get_edges()) == len(kg.statements)
    vp = net.get_visual_properties()
    assert vp == network.visual_properties()
    fill = {m["v"]: m["vp"] for m in vp["nodeMapping"]["NODE_BACKGROUND_COLOR"]["definition"]["map"]}
    shape = {m["v"]: m["vp"] for m in vp["nodeMapping"]["NODE_SHAPE"]["definition"]["map"]}
    arrows = {m["v"]: m["vp"] for m in vp["edgeMapping"]["EDGE_TARGET_ARROW_SHAPE"]["definition"]["map"]}
    assert arrows == {"up": "triangle", "down": "tee", "unknown": "vee"}
    nodes = net.get_nodes()
    [xiap] = [n for n in nodes.values() if n["v"]["entity"] == "XIAP"]
    assert xiap["v"]["represents"] == "HGNC:592"
    assert xiap["v"]["group"] == "iap" and fill["iap"] == "#e53935" and shape["iap"] == "octagon"
    assert xiap["v"]["degree"] == len([s for s in kg.statements if "XIAP" in (s.subject, s.object)])
    assert vp["nodeMapping"]["NODE_WIDTH"]["type"] == "CONTINUOUS"
    assert net.get_attribute_declarations()["nodes"]["degree"] == {"d": "integer"}
    edges = net.get_edges()
    [casp9] = [i for i, e in edges.items() if e["v"]["statement"] == XIAP_CASP9]
    colour = {m["v"]: m["vp"] for m in vp["edgeMapping"]["EDGE_LINE_COLOR"]["definition"]["map"]}
    assert colour[edges[casp9]["v"]["interaction"]] == "#d32f2f" and arrows[edges[casp9]["v"]["effect"]] == "tee"
    bypasses = net.get_edge_bypasses()
    negated = {i for i, e in edges.items() if e["v"]["negated"]}
    dotted = {i for i, b in bypasses.items() if b.get("EDGE_LINE_STYLE") == "dotted"}
    assert dotted == negated and len(negated) == sum(s.negated for s in kg.statements)


# --- kuzu: the Neo4j CSV in an embedded graph database ---------------------------------------------

_KUZU_TYPES = {"int": "INT64", "double": "DOUBLE", "boolean": "BOOLEAN"}


def kuzu_columns(path: Path, skip: int) -> str:
    """Kuzu property declarations from a neo4j-admin CSV header (lists stay '|'-joined strings)."""
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    cols = []
    for column in header[skip:]:
        name, _, kind = column.partition(":")
        cols.append(f"`{name or 'labels'}` {_KUZU_TYPES.get(kind, 'STRING')}")
    return ", ".join(cols)


#: The README's Cypher, run as written there.
DRUGS_TARGETING = """
MATCH (d:Entity)-[s:Statement]->(t:Entity {entity: 'BIRC2'})
WHERE s.relation = 'targets' AND d.kind IN ['drug', 'drug_class'] AND NOT s.negated
RETURN d.entity, d.name, s.statement ORDER BY d.entity
"""
XIAP_INHIBITS = """
MATCH (x:Entity {entity: 'XIAP'})-[s:Statement]->(o:Entity)
WHERE s.relation = 'inhibits' AND NOT s.negated
RETURN o.entity, o.name, s.domain, s.statement ORDER BY s.statement
"""


@pytest.fixture(scope="module")
def kuzu_conn(out, tmp_path_factory):
    kuzu = pytest.importorskip("kuzu")
    folder, _ = out
    nodes, rels = folder / "neo4j" / "nodes.csv", folder / "neo4j" / "relationships.csv"
    db = kuzu.Database(str(tmp_path_factory.mktemp("kuzu") / "iapgraph.kuzu"))
    conn = kuzu.Connection(db)
    conn.execute(f"CREATE NODE TABLE Entity(id STRING PRIMARY KEY, {kuzu_columns(nodes, 1)})")
    conn.execute(f"CREATE REL TABLE Statement(FROM Entity TO Entity, {kuzu_columns(rels, 2)})")
    conn.execute(f"COPY Entity FROM '{nodes}' (header=true)")
    conn.execute(f"COPY Statement FROM '{rels}' (header=true)")
    yield conn
    conn.close()
    db.close()


def test_kuzu_loads_every_node_and_relationship(kuzu_conn, kg):
    assert kuzu_conn.execute("MATCH (n:Entity) RETURN count(n)").get_all() == [[len(kg.entities)]]
    assert kuzu_conn.execute("MATCH ()-[s:Statement]->() RETURN count(s)").get_all() == [[len(kg.statements)]]
    [[label, kind, negated]] = kuzu_conn.execute(
        "MATCH (n:Entity {entity: 'BIRC2'})-[s:Statement {statement: 's2.1-006'}]->() "
        "RETURN n.labels, n.kind, s.negated").get_all()
    assert (label, kind, negated) == ("Entity|Protein", "protein", True)


def test_kuzu_drugs_targeting_ciap1_match_neighbors(kuzu_conn, kg):
    rows = kuzu_conn.execute(DRUGS_TARGETING).get_all()
    expected = sorted((n.entity, n.label, n.statement.id) for n in kg.neighbors(
        "cIAP1", relations="targets", direction="in", kinds=["drug", "drug_class"], negated=False))
    assert [tuple(r) for r in rows] == expected
    assert ("LCL161", "LCL161", "s3-069") in expected and ("Debio_1143", "Debio 1143", "t2-069") in expected


def test_kuzu_what_xiap_inhibits_through_which_domain(kuzu_conn, kg):
    rows = kuzu_conn.execute(XIAP_INHIBITS).get_all()
    expected = sorted(((n.entity, n.label, "|".join(n.statement.domains) or None, n.statement.id)
                       for n in kg.neighbors("XIAP", relations="inhibits", direction="out", negated=False)),
                      key=lambda row: row[3])
    assert [tuple(r) for r in rows] == expected
    assert ("CASP9", "caspase-9", "XIAP.BIR3", XIAP_CASP9) in expected


def test_readme_shows_the_cypher():
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for query in (DRUGS_TARGETING, XIAP_INHIBITS):
        assert query.strip() in readme
