"""Issue 21, sections 2 and 3: the epistemics of each row (hedged, direct, context as entities) and
one assertion with all its evidence lines (ids, grouping, summaries, RDF, networkx, info)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import iapgraph
from iapgraph.assertions import assertion_id, assertion_key, distribution, group
from iapgraph.exceptions import CurationError
from iapgraph.kg import load_dataset
from iapgraph.model import Dataset
from iapgraph.records import edge_record, statement_record

from .conftest import GRAPH_DIR

HEADER = ("id\tsubject\trelation\tobject\teffect\tmechanism\tdomain\tcontext\tnegated\tsection\t"
          "citation\tevidence\tqualifiers\tnote")
ENTITIES = ("id\tkind\tlabel\tsymbol\taliases\txrefs\tattributes\tdescription\n"
            "XIAP\tprotein\tXIAP\tXIAP\t\t\t\t\nCASP3\tprotein\tcaspase-3\tCASP3\t\t\t\t\n")
ROW = "s-1\tXIAP\tinhibits\tCASP3\tdown\t\t\t\t\t2.1\tDeveraux, et al., 1997\tXIAP directly inhibits caspase-3 activity\t\t"

#: Every row whose quote hedges its claim (issue 21 §2), read one by one.
HEDGED = {
    "s1.0-014", "s1.0-015", "s1.0-016", "s1.2-070", "s1.2-071", "s1.2-072", "s1.3-005", "s1.3-006",
    "s1.3p-031", "s2.1-262", "s2.1-268", "s2.1-269", "s2.1-270", "s2.1-271", "s2.1-293", "s2.2-004",
    "s2.2-086", "s2.2-087", "s2.2-088", "s2.3-034", "s2.3-060", "s2.5-063", "s2.5-064", "s3-031",
    "s3-087", "s3.2-002", "s3.2-003", "s3.2-012",
}
HEDGE_CUE = re.compile(r"\b(suggest\w*|appears?|most of|many of|believed|implicated|thought to|could|may|"
                       r"being considered)\b", re.IGNORECASE)


def folder(tmp_path: Path, header: str, row: str) -> Path:
    (tmp_path / "entities").mkdir()
    (tmp_path / "statements").mkdir()
    (tmp_path / "entities" / "e.tsv").write_text(ENTITIES, encoding="utf-8")
    (tmp_path / "statements" / "s.tsv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    return tmp_path


# --- the columns ---------------------------------------------------------------------------------


def test_a_file_without_the_epistemics_columns_still_loads(tmp_path):
    [s] = load_dataset([folder(tmp_path, HEADER, ROW)]).statements
    assert (s.hedged, s.direct) == (False, None)


@pytest.mark.parametrize(("hedged", "direct", "expected"), [
    ("true", "yes", (True, True)), ("", "no", (False, False)), ("", "", (False, None)),
    ("TRUE", "Yes", (True, True)),
])
def test_the_columns_read_in_any_order(tmp_path, hedged, direct, expected):
    header = HEADER.replace("\tnote", "\tdirect\tnote\thedged")
    cells = ROW.split("\t")
    cells = [*cells[:-1], direct, cells[-1], hedged]
    [s] = load_dataset([folder(tmp_path, header, "\t".join(cells))]).statements
    assert (s.hedged, s.direct) == expected


@pytest.mark.parametrize(("column", "value", "message"), [
    ("hedged", "maybe", "s.tsv:2: hedged: 'maybe' is not true or blank"),
    ("direct", "unknown", "s.tsv:2: direct: 'unknown' is not yes, no or blank (blank: the text does not say)"),
])
def test_bad_values_are_located(tmp_path, column, value, message):
    header = HEADER + "\thedged\tdirect"
    row = ROW + ("\tmaybe\t" if column == "hedged" else "\t\tunknown")
    with pytest.raises(CurationError) as info:
        load_dataset([folder(tmp_path, header, row)])
    [problem] = info.value.problems
    assert f"{Path(problem.file).name}:{problem.line}: {problem.field}: {problem.message}".startswith(message)


def test_an_unknown_column_names_the_optional_ones(tmp_path):
    with pytest.raises(CurationError) as info:
        load_dataset([folder(tmp_path, HEADER + "\thedge", ROW + "\t")])
    assert info.value.problems[0].message.endswith("note (optional: hedged direct)")
    assert info.value.problems[0].message.startswith("unknown hedge;")


# --- the curated values ----------------------------------------------------------------------------


def test_the_hedged_rows(kg):
    assert {s.id for s in kg.statements if s.hedged} == HEDGED


@pytest.mark.parametrize("sid", sorted(HEDGED))
def test_each_hedge_is_in_its_quote(kg, sid):
    [s] = [s for s in kg.statements if s.id == sid]
    assert HEDGE_CUE.search(s.evidence), s.evidence


def test_direct_counts_and_examples(kg):
    direct = {s.id: s.direct for s in kg.statements}
    assert sum(v is True for v in direct.values()) == 104
    assert sum(v is False for v in direct.values()) == 104
    # "directly interact", "binds" stated as such
    assert direct["s2.2-093"] is True and direct["s2.1-003"] is True and direct["s2.1-080"] is True
    # the route named: "phosphorylates Sp1 and c-MYC via its interaction with aurora B kinase"
    assert direct["s2.4-015"] is False and direct["s2.4-016"] is False
    # cIAP1's effect on proliferation runs through Mad1 and Myc
    assert direct["s2.3-087"] is False
    # "was found to also interact" in co-immunoprecipitation: not said to be direct
    assert direct["s3-013"] is None
    # a negated row negates the direct effect: "do not have the ability to directly inhibit them"
    cIAP1 = next(s for s in kg.statements if s.id == "s2.1-006")
    assert cIAP1.negated and cIAP1.direct is True


def test_find_leaves_hedged_rows_out_unless_asked(kg):
    assert kg.find("cIAP1 CARD", "inhibits") == []
    [s] = kg.find("cIAP1 CARD", "inhibits", hedged=None)
    assert s.id == "s1.2-072" and "it has been suggested" in s.evidence
    assert [s.id for s in kg.find("IAPs", "promotes", "autophagy", hedged=True)] == ["s2.1-262"]
    assert [s.id for s in kg.find("IAPs", "inhibits", "autophagy")] == ["s2.1-263"]
    assert {s.id for s in kg.find(hedged=True)} == HEDGED
    assert len(kg.find(hedged=None, negated=None)) == len(kg.statements)


def test_model_systems_are_context_entities(kg):
    models = {"cell_line", "in_vitro", "in_vivo", "xenograft_model"}
    assert {kg.resolve(n) for n in ("cell lines", "in vitro", "in vivo", "xenograft models")} == models
    # issue 15: a setting of a study, not a cell type or an organism
    assert {m: kg.entities[m].kind for m in models} == dict.fromkeys(models, "experimental_model")
    by_model = {m: {s.id for s in kg.statements if m in s.contexts} for m in models}
    assert by_model["xenograft_model"] == {"s3-024", "s3.2-002", "s3.2-003", "s3.2-012", "s3.2-013"}
    assert by_model["in_vivo"] == {"s2.2-075", "s2.5-018", "s2.5-019", "s2.5-020", "s2.5-046", "s2.5-047",
                                   "s2.5-048", "s2.5-049", "s2.5-050", "s2.5-051"}
    assert len(by_model["cell_line"]) == 24 and len(by_model["in_vitro"]) == 17
    # every printed model names its system (or organism) as an entity in context
    systems = models | {"mouse", "rat", "zebrafish"}
    unplaced = [s.id for s in kg.statements if s.qualifiers.get("model") and not systems & set(s.contexts)]
    assert unplaced == ["s2.6-019", "s2.6-020"]  # "Survivin overexpressing cells": no system named


def test_new_mechanisms(kg):
    mechanism = {s.id: s.mechanism for s in kg.statements}
    assert mechanism["s2.1-155"] == "relocalization" and mechanism["s2.2-052"] == "relocalization"
    assert mechanism["s2.1-036"] == "release" and mechanism["s2.3-057"] == "release"
    assert mechanism["s2.2-098"] == "destabilization"


# --- assertions ------------------------------------------------------------------------------------


def test_assertion_count_and_distribution(kg):
    found = kg.assertions()
    assert len(found) == 1112
    assert distribution(found) == {"1": 1055, "2": 51, "3+": 6}
    assert sum(len(a.evidence) for a in found) == len(kg.statements)
    assert len({a.id for a in found}) == len(found)
    assert all(re.fullmatch(r"a-[0-9a-f]{10}", a.id) for a in found)


def test_every_evidence_line_has_the_assertion_key(kg):
    rows = {s.id: s for s in kg.statements}
    for a in kg.assertions():
        assert {assertion_key(rows[sid]) for sid in a.statements} == {assertion_key(rows[a.statements[0]])}
        assert all(assertion_id(rows[sid]) == a.id for sid in a.statements)


def test_a_summary_is_linked_to_the_study_it_summarises(kg):
    [a] = [a for a in kg.assertions() if "s2.2-101" in a.statements]
    assert (a.subject, a.relation, a.object, a.effect, a.negated) == ("BIRC2", "binds", "RAF1", "unknown", False)
    summary, study = a.evidence
    assert (summary.statement, summary.citations, summary.summarises) == ("s2.2-094", ("review",), ("s2.2-101",))
    assert (study.statement, study.citation, study.summarises) == ("s2.2-101", "Dogan, et al., 2008", ())
    assert summary.direct is True and "directly interact with cRAF" in summary.evidence
    links = {(e.statement, e.summarises) for a in kg.assertions() for e in a.evidence if e.summarises}
    assert len(links) == 26 and ("s3-086", ("s2.7-017",)) in links


def test_opposing_prognoses_stay_apart(kg):
    xiap_aml = {a.qualifiers: a.statements for a in kg.assertions()
                if (a.subject, a.relation, a.object) == ("XIAP", "prognostic_for", "AML")}
    assert xiap_aml == {(("prognosis", "adverse"),): ("t1-002", "t1-003"),
                        (("prognosis", "no impact"),): ("t1-006", "t1-010")}


def test_the_joint_perturbation_is_its_own_claim(kg):
    rows = {s.id: s for s in kg.statements}
    assert "co_perturbed=BIRC5" in assertion_key(rows["s2.2-024"])
    assert assertion_id(rows["s2.2-024"]) != assertion_id(rows["s2.2-024"].__class__(
        id="x", subject="XIAP", relation="promotes", object="EMT", effect="up"))


def test_hedged_assertion_means_every_line_hedges(kg):
    [mixed] = [a for a in kg.assertions() if "s2.2-088" in a.statements]
    assert mixed.statements == ("s2.1-098", "s2.2-088", "s2.7-001") and not mixed.hedged
    [only] = [a for a in kg.assertions() if "s3-031" in a.statements]
    assert only.hedged and only.direct is True


def test_ids_do_not_change_when_an_unrelated_row_is_added(kg, tmp_path):
    graph = tmp_path / "graph"
    shutil.copytree(GRAPH_DIR, graph)
    before = {a.id: a.statements for a in kg.assertions()}
    extra = ("s4-900\tXIAP\tbinds\tTP53\t\t\t\t\t\t4\treview\t"
             "there is extensive literature linking IAPs to different hallmarks\t\t\t\t\n"
             "s4-901\tXIAP\tinhibits\tCASP3\t\t\t\t\t\t4\treview\t"
             "there is extensive literature linking IAPs to different hallmarks\t\t\t\t\n")
    with (graph / "statements" / "s4.tsv").open("a", encoding="utf-8") as f:
        f.write(extra)
    after = {a.id: a.statements for a in iapgraph.load(graph, cache=False).assertions()}
    [new] = set(after) - set(before)
    assert after[new] == ("s4-900",)
    [grown] = [aid for aid in before if after[aid] != before[aid]]
    assert after[grown] == (*before[grown], "s4-901")  # one more evidence line, same id
    assert {aid: sids for aid, sids in after.items() if aid not in (new, grown)} == \
        {aid: sids for aid, sids in before.items() if aid != grown}


def test_group_is_order_independent(kg):
    forward = group(kg.statements)
    assert group(reversed(kg.statements)) == forward


# --- builders and records --------------------------------------------------------------------------


def test_networkx_keeps_one_edge_per_statement(kg):
    g = kg.to_networkx()
    assert g.number_of_edges() == len(kg.statements)
    edge = g.edges["BIRC2", "BIRC2", "s1.2-070"]
    assert (edge["hedged"], edge["direct"], edge["assertion"]) == (True, "yes", assertion_id(
        next(s for s in kg.statements if s.id == "s1.2-070")))
    assert g.edges["XIAP", "TAB1", "s1.2-020"]["direct"] == "yes"


def test_assertion_graph_has_one_edge_per_assertion(kg):
    g = kg.assertion_graph()
    assert g.number_of_edges() == len(kg.assertions())
    [a] = [a for a in kg.assertions() if "s2.2-101" in a.statements]
    edge = g.edges["BIRC2", "RAF1", a.id]
    assert edge["evidence_count"] == 2 and edge["statements"] == ["s2.2-094", "s2.2-101"]
    assert edge["citation"] == ["review", "Dogan, et al., 2008"]
    assert [e["summarises"] for e in edge["evidence"]] == [["s2.2-101"], []]
    assert sorted(d["evidence_count"] for *_, d in g.edges(data=True))[-1] == 5


def test_records_keep_hedged_rows_marked(kg):
    [s] = kg.find("cIAP1 CARD", "inhibits", hedged=None)
    record = edge_record(s)
    assert (record["hedged"], record["assertion"]) == (True, assertion_id(s)) and "direct" not in record
    plain = statement_record(s, kg.dataset.entities)
    assert (plain["hedged"], plain["direct"]) == (True, "")


def test_rdf_assertion_nodes(kg):
    from rdflib import RDF, Literal

    from iapgraph.rdf import ASSERTION, IAP, STATEMENT, to_rdf

    g = to_rdf(kg.dataset)
    assert len(set(g.subjects(RDF.type, IAP.Assertion))) == 1112
    assert len(list(g.triples((None, IAP.hasEvidence, None)))) == len(kg.statements)
    assert len(set(g.subjects(IAP.hedged, Literal(True)))) == 28
    assert len(set(g.subjects(IAP.direct, Literal("no")))) == 104
    [a] = [a for a in kg.assertions() if "s2.2-101" in a.statements]
    node = ASSERTION[a.id]
    assert set(g.objects(node, IAP.hasEvidence)) == {STATEMENT["s2.2-094"], STATEMENT["s2.2-101"]}
    assert g.value(node, IAP.evidenceCount).toPython() == 2
    assert g.value(STATEMENT["s2.2-101"], IAP.assertion) == node
    # the assertion node repeats no statement triple, so statement queries never count it
    assert g.value(node, RDF.subject) is None


def small(kg, ids: set[str]) -> Dataset:
    statements = tuple(s for s in kg.statements if s.id in ids)
    used = {e for s in statements for e in (s.subject, s.object, *s.contexts, *s.domains)}
    return Dataset(entities={k: v for k, v in kg.dataset.entities.items() if k in used},
                   statements=statements)


def test_shapes_accept_assertions_and_catch_broken_ones(kg):
    pytest.importorskip("pyshacl")
    from rdflib import Literal

    from iapgraph.rdf import ASSERTION, IAP, STATEMENT, to_rdf
    from iapgraph.shacl import violations

    dataset = small(kg, {"s2.2-094", "s2.2-101", "s1.2-070"})
    g = to_rdf(dataset)
    assert violations(g) == []
    [a] = [a for a in group(dataset.statements) if len(a.evidence) == 2]
    g.add((ASSERTION[a.id], IAP.hasEvidence, STATEMENT["s1.2-070"]))  # a line of another claim
    g.set((STATEMENT["s1.2-070"], IAP.direct, Literal("maybe")))
    found = {(v.focus, v.shape) for v in violations(g)}
    assert found == {(f"assertion:{a.id}", "iapsh:AssertionEvidenceAgrees"),
                     ("stmt:s1.2-070", "iapsh:StatementDirect")}


def test_info_prints_the_distribution():
    from iapgraph.cli import main

    result = CliRunner().invoke(main, ["info", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["assertions"] == {
        "total": 1112, "evidence 1": 1055, "evidence 2": 51, "evidence 3+": 6}
    table = CliRunner().invoke(main, ["info"]).output
    assert re.search(r"assertions\s+evidence 3\+\s+6", table)


def test_the_record_types_are_exported():
    assert "Assertion" in iapgraph.__all__ and "Evidence" in iapgraph.__all__
    from iapgraph.assertions import Assertion, Evidence

    assert iapgraph.Assertion is Assertion and iapgraph.Evidence is Evidence
