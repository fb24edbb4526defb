"""The chains users ask about, answered from the curated graph (graph/), as the review tells them.

Names go through kg.resolve, so the tests say what a user would type. Facts copied from the review:
- 2.1: SMAC mimetics remove cIAP1/2, which otherwise ubiquitinate NIK for degradation; stabilised
  NIK drives the non-canonical NF-kB pathway (so the net effect is up).
- 2.1: TNFa binding TNFR1 recruits Complex-I (TRADD, TRAF2/5, cIAP1/2, RIPK1); RIPK1 recruits
  IKK, which phosphorylates IkB, releasing NF-kB.
- 2.2: XIAP regulates FAK phosphorylation; FAK activates ERK1/2 (Ahn & Park, 2010; Kim, et al., 2010).
- 2.1: XIAP and cIAP1 induce autophagy (Lin, et al., 2015); XIAP inhibits autophagy (X. Huang, Wu,
  Mei, & Wu, 2013); "IAPs can inhibit or induce autophagy".
- 1.3/Table 1: contradicting reports on XIAP in AML (Tamm, et al., 2000; Carter, et al., 2003) and
  on Survivin (Carter, et al., 2003; A. Pluta, et al., 2015).
"""

from __future__ import annotations

import json

NONCANONICAL = "non-canonical NF-kB pathway"


def ids(kg, *names):
    return tuple(kg.resolve(n) for n in names)


def test_smac_mimetic_reaches_noncanonical_nfkb_up_through_ciaps_and_nik(kg):
    chains = kg.paths("SMAC mimetic", NONCANONICAL, k=10)
    through_nik = {c.nodes: c.net for c in chains if kg.resolve("NIK") in c.nodes}
    assert through_nik[ids(kg, "SMAC mimetic", "cIAP1", "NIK", NONCANONICAL)] == "up"
    assert through_nik[ids(kg, "SMAC mimetic", "cIAP2", "NIK", NONCANONICAL)] == "up"
    chain = next(c for c in chains if c.nodes == ids(kg, "SMAC mimetic", "cIAP1", "NIK", NONCANONICAL))
    assert chain.signs == ("down", "down", "up")
    assert chain.hops[1].relation == "ubiquitinates"
    assert chain.hops[1].primary.citation == "Zarnegar, et al., 2008"
    # the review's other reading (cIAP ubiquitinates TRAF3 after CD40L/BAFF/TWEAK) gives chains
    # of the opposite sign, through TRAF3
    down = kg.paths("SMAC mimetic", NONCANONICAL, k=10, expect="down")
    assert down and all(kg.resolve("TRAF3") in c.nodes for c in down)


def test_explain_smac_mimetic_leads_with_the_nik_chain(kg):
    result = kg.explain("SMAC mimetic", NONCANONICAL)
    assert result.signed and result.net == "up"
    assert result.chains[0].nodes == ids(kg, "SMAC mimetic", "cIAP1", "NIK", NONCANONICAL)
    text = str(result)
    assert "cIAP1 ubiquitinates NIK (down; by ubiquitination; K48 chains" in text
    assert text.rstrip().splitlines()[-1].startswith(
        "Net effect of SMAC mimetics on non-canonical NFκB pathway: up")


def test_tnf_reaches_nfkb_through_complex_i(kg):
    expected = ids(kg, "TNFα", "TNFR1", "Complex-I", "RIPK1", "IKK", "IκB", "NF-kB")
    # k=15: issue 21 added NIK -> p52 (processing), whose shorter non-canonical chains rank first
    chains = kg.paths("TNFα", "NF-kB", k=15)
    assert {c.nodes: c.net for c in chains}[expected] == "up"
    [via] = kg.paths("TNFR1", "NF-kB", via="Complex-I", k=1)
    assert via.nodes == expected[1:]
    assert via.relations == ("recruits", "part_of", "recruits", "phosphorylates", "inhibits")
    assert [h.label for h in via.hops][:2] == ["recruits", "has part"]
    assert via.net == "up"


def test_xiap_reaches_erk_through_fak(kg):
    first = kg.paths("XIAP", "ERK1/2")[0]
    assert first.nodes == ids(kg, "XIAP", "FAK", "ERK1/2")
    assert first.relations == ("regulates", "activates") and first.net == "up"
    assert first.hops[0].primary.citation == "Ahn & Park, 2010"
    assert kg.explain("XIAP", "ERK1/2", k=1).chains[0].nodes == first.nodes


def test_ciap1_ubiquitination_targets_with_effects(kg):
    rows = kg.neighbors("cIAP1", relations="ubiquitinates", direction="out")
    assert sorted((r.label, r.statement.effect) for r in rows) == [
        ("Complex-I", "up"), ("E2F1", "up"), ("Mad1", "down"), ("NIK", "down"), ("RIPK1", "up"),
        ("Rac1", "down"), ("TRAF3", "down"), ("cIAP1", "down")]


def test_conflicts_report_the_autophagy_opposition(kg):
    found = kg.conflicts("autophagy")
    # issue 17: a conflict needs different evidence; "IAPs promote / inhibit autophagy" (s2.1-262,
    # s2.1-263) is one sentence of the review read as two statements, not two findings
    assert {(c.subject, c.first_reading, c.second_reading) for c in found} == {
        (kg.resolve("XIAP"), "up", "down")}
    xiap = next(c for c in found if c.subject == "XIAP")
    assert (xiap.first.citation, xiap.second.citation) == ("Lin, et al., 2015",
                                                          "X. Huang, Wu, Mei, & Wu, 2013")


def test_conflicts_report_the_aml_prognosis_disagreements(kg):
    aml = kg.resolve("AML")
    pairs = {(c.subject, frozenset({c.first.citation, c.second.citation}))
             for c in kg.conflicts("AML") if c.kind == "prognosis"}
    assert (kg.resolve("XIAP"), frozenset({"Tamm, et al., 2000", "Carter, et al., 2003"})) in pairs
    assert (kg.resolve("Survivin"), frozenset({"Carter, et al., 2003", "Pluta, et al., 2015"})) in pairs
    assert all(aml in (c.subject, c.object) for c in kg.conflicts("AML"))


def test_cli_path_on_the_curated_graph(cli):
    result = cli("path", "XIAP", "ERK1/2", "-k", "2", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [c["labels"] for c in json.loads(result.stdout)] == [["XIAP", "FAK", "ERK1/2"],
                                                                ["XIAP", "cRAF", "ERK1/2"]]


def test_cli_unknown_name_exits_2_with_suggestions(cli):
    result = cli("path", "cIAP3", "NIK")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("error: unknown entity 'cIAP3'; did you mean: ")
    assert "cIAP1" in result.stderr and "cIAP2" in result.stderr
    assert result.stderr.count("\n") == 1
