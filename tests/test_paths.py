"""kg.paths / neighbors / explain / conflicts on a small review-shaped graph (tests/fixtures).

The fixture holds the review's chains in miniature (quotes from the review), so these tests pin the
API's answers exactly whatever the curated graph holds; test_paths_review.py asks the real graph.
"""

from __future__ import annotations

import pytest

import iapgraph
from iapgraph import signs
from iapgraph.exceptions import UsageError

from .paths_support import FIXTURE


@pytest.fixture(scope="module")
def small():
    return iapgraph.load([FIXTURE], cache=False)


def nodes(chains):
    return [c.nodes for c in chains]


def test_smac_mimetic_to_noncanonical_nfkb_is_up_through_ciaps_and_nik(small):
    chains = small.paths("SMAC mimetic", "non-canonical NF-kB activation", k=5)
    assert nodes(chains) == [
        ("smac_mimetics", "BIRC2", "MAP3K14", "NFkB_noncanonical"),
        ("smac_mimetics", "BIRC3", "MAP3K14", "NFkB_noncanonical"),
    ]
    first = chains[0]
    assert first.relations == ("antagonizes", "ubiquitinates", "activates")
    assert first.signs == ("down", "down", "up")
    assert first.net == "up"
    hop = first.hops[1]
    assert hop.primary.id == "f-003" and hop.primary.qualifiers["ub_chain"] == "K48"
    assert hop.primary.citation == "Zarnegar, et al., 2008"


def test_family_statement_is_reached_only_through_hubs(small):
    # "IAPs negatively regulate the non-canonical NFkB pathway" is about the family: cIAP1 does
    # not inherit it by default, but does when hubs are allowed.
    default = nodes(small.paths("cIAP1", "non-canonical NF-kB pathway", k=5))
    assert default == [("BIRC2", "MAP3K14", "NFkB_noncanonical")]
    widened = nodes(small.paths("cIAP1", "non-canonical NF-kB pathway", k=5, through_hubs=True))
    # equally short: the chain whose steps cite studies ranks before the review's own summary
    assert widened == [("BIRC2", "MAP3K14", "NFkB_noncanonical"),
                       ("BIRC2", "IAP_family", "NFkB_noncanonical")]


def test_tnf_reaches_nfkb_through_complex_i(small):
    [chain] = small.paths("TNF-alpha", "NFκB", k=5)
    assert chain.nodes == ("TNF", "TNFRSF1A", "complex_I", "NFkB")
    assert chain.net == "up"


def test_xiap_reaches_erk_through_fak(small):
    [chain] = small.paths("xiap", "ERK1/2", k=5)
    assert chain.labels == ("XIAP", "FAK", "ERK1/2")
    assert chain.relations == ("regulates", "activates") and chain.net == "up"


def test_drug_binding_a_domain_reaches_the_protein(small):
    chains = small.paths("IAP antagonists", "caspase-9", k=3)
    assert nodes(chains) == [("smac_mimetics", "XIAP.BIR3", "XIAP", "CASP9")]
    assert [h.label for h in chains[0].hops] == ["binds", "domain of", "inhibits"]
    assert chains[0].net == "unknown"  # binding has no sign in the review
    assert small.paths("IAP antagonists", "caspase-9", signed=True) == []


def test_via_and_expect(small):
    assert nodes(small.paths("SMAC mimetics", "NIK", via="cIAP2")) == [
        ("smac_mimetics", "BIRC3", "MAP3K14")]
    assert small.paths("SMAC mimetics", "non-canonical NF-kB pathway", expect="down") == []
    assert len(small.paths("SMAC mimetics", "non-canonical NF-kB pathway", expect="up", k=1)) == 1


def test_ciap1_ubiquitination_targets(small):
    rows = small.neighbors("c-IAP1", relations="ubiquitinates", direction="out")
    assert {(r.label, r.statement.effect, r.statement.id) for r in rows} == {
        ("NIK", "down", "f-003"), ("RIPK1", "up", "f-023")}


def test_neighbors_lists_negated_statements_and_filters_kinds(small):
    rows = small.neighbors("BIRC2")
    assert {r.statement.id for r in rows} == {
        "f-001", "f-003", "f-008", "f-020", "f-023", "f-026", "f-032", "f-033"}
    assert [r.statement.negated for r in rows if r.statement.id == "f-032"] == [True]
    assert {r.statement.id for r in small.neighbors("BIRC2", negated=False)} == {
        "f-001", "f-003", "f-008", "f-020", "f-023", "f-026", "f-033"}
    drugs = small.neighbors("cIAP1", kinds="drug_classes", direction="in")
    assert [(r.label, r.direction, r.depth) for r in drugs] == [("SMAC mimetics", "in", 1)]


def test_neighbors_depth_two_does_not_walk_through_hubs(small):
    rows = small.neighbors("BIRC6", depth=2)
    # BRUCE -> autophagy (a process) is listed; what else touches autophagy is not.
    assert [(r.depth, r.label, r.statement.id) for r in rows] == [(1, "autophagy", "f-029")]
    wide = small.neighbors("BIRC6", depth=2, through_hubs=True)
    assert {r.statement.id for r in wide} == {"f-029", "f-025", "f-026", "f-028"}


def test_neighbors_depth_two_out(small):
    rows = small.neighbors("SMAC mimetics", direction="out", depth=2, relations=["antagonizes", "ubiquitinates"])
    assert [(r.depth, r.label, r.statement.id) for r in rows] == [
        (1, "cIAP1", "f-001"), (1, "cIAP2", "f-002"), (2, "NIK", "f-003"), (2, "NIK", "f-004"),
        (2, "RIPK1", "f-023")]


def test_conflicts_report_autophagy_and_prognosis(small):
    found = small.conflicts()
    assert [(c.kind, c.subject, c.object, c.first.id, c.second.id, c.first_reading, c.second_reading)
            for c in found] == [
        ("prognosis", "XIAP", "AML", "f-030", "f-031", "adverse", "no impact"),
        ("opposite effects", "XIAP", "autophagy", "f-025", "f-028", "up", "down"),
    ]
    assert [c.first.id for c in small.conflicts("autophagy")] == ["f-025"]
    assert small.conflicts("cIAP1") == []  # binds but does not inhibit is no conflict


def test_explain_tells_the_chain_with_quotes_and_the_net_effect(small):
    result = small.explain("SMAC mimetic", "non-canonical NF-kB pathway", k=1)
    assert result.signed and result.net == "up"
    text = str(result)
    assert text.splitlines()[0] == ("Chain: SMAC mimetics -> cIAP1 -> NIK -> non-canonical NF-kB pathway "
                                    "(3 steps, net effect up)")
    assert "  2. cIAP1 ubiquitinates NIK (down; by ubiquitination; K48 chains)" in text
    assert "(Zarnegar, et al., 2008; section 2.1; f-003)" in text
    assert '"TRAF3 directly binds NIK, but studies have shown' in text
    assert text.rstrip().splitlines()[-1] == (
        "Net effect of SMAC mimetics on non-canonical NF-kB pathway: up (one chain).")


def test_explain_falls_back_to_unsigned_chains(small):
    result = small.explain("SMAC mimetics", "caspase-9")
    assert not result.signed and result.net == "unknown"
    assert str(result).startswith("No chain from SMAC mimetics to caspase-9 has a known sign")
    data = result.to_dict()
    assert data["chains"][0]["hops"][0]["statements"][0]["id"] == "f-012"


def test_explain_with_no_chain(small):
    result = small.explain("caspase-3", "XIAP")
    assert result.chains == () and result.net == "none"
    assert str(result) == "No chain from caspase-3 to XIAP found within the limits asked.\n"


def test_chain_json_is_complete(small):
    data = small.paths("XIAP", "caspase-9")[0].to_dict()
    assert data["net_effect"] == "down" and data["labels"] == ["XIAP", "caspase-9"]
    [statement] = data["hops"][0]["statements"]
    assert statement["domain"] == ["XIAP BIR3"] and statement["domain_ids"] == ["XIAP.BIR3"]
    assert statement["mechanism"] == "catalytic_inhibition" and statement["section"] == "2.1"


@pytest.mark.parametrize("call", [
    lambda kg: kg.neighbors("XIAP", direction="sideways"),
    lambda kg: kg.neighbors("XIAP", kinds="drugz"),
    lambda kg: kg.neighbors("XIAP", depth=0),
    lambda kg: kg.conflicts(relations="inhibts"),
    lambda kg: kg.paths("XIAP", "xiap"),
])
def test_bad_arguments(small, call):
    with pytest.raises(UsageError):
        call(small)


@pytest.mark.parametrize("name", ["ciap1", "BIRC2", "Q13490", "uniprot:Q13490", "hgnc:590", "HIAP2"])
def test_every_name_form_works(small, name):
    assert small.paths(name, "NIK")[0].nodes == ("BIRC2", "MAP3K14")


def test_signs_module():
    assert signs.net(["down", "down"]) == "up"
    assert signs.net(["neutral", "neutral"]) == "neutral"
    assert signs.prognostic_direction({"expression": "high", "outcome": "poor"}) == "adverse"
    assert signs.prognostic_direction({"expression": "low", "outcome": "poor"}) == "favourable"
    assert signs.prognostic_direction({"expression": "high"}) is None
