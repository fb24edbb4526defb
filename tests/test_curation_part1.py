"""Part 1 curation (Abstract, sections 1 to 2.1) answers a biologist's questions, each with its quote.

The expected answers are facts copied from the review by hand; the test never reads the review. Each
question asserts the exact answer set and that every answering row carries a quote with a phrase
that only the right sentence contains.
"""

from __future__ import annotations

from collections import defaultdict
from math import prod

import pytest

#: The review sections part 1 curates: answers are restricted to them, so other parts' rows on the
#: same entities (section 2.2 on XIAP, say) do not change these answer sets.
PART1 = frozenset({"Abstract", "1", "1.1", "1.2", "1.3", "1.4", "2", "2.1"})
SIGN = {"up": 1, "down": -1}


def rows(kg, subject=None, relation=None, object=None, *, negated=False, relations=None,
         sections=PART1, context=None):
    """Statements matching names (resolved by the graph) and relation(s), in part 1's sections;
    hedged ones included (kg.find leaves them out by default; these questions ask what the review
    curates, firm or hedged)."""
    found = kg.find(subject, relation, object, negated=negated, hedged=None)
    return [s for s in found
            if (sections is None or s.section in sections)
            and (relations is None or s.relation in relations)
            and (context is None or kg.resolve(context) in s.contexts)]


def answers(kg, found, direction: str) -> dict[str, list]:
    """The other end of each statement: objects for 'out', subjects for 'in'."""
    by: dict[str, list] = defaultdict(list)
    for s in found:
        by[s.object if direction == "out" else s.subject].append(s)
    return dict(by)


def check(kg, found, direction: str, expected: dict[str, str]) -> None:
    """Exact answer set; every row quoted and cited; one row per answer holds its phrase."""
    got = answers(kg, found, direction)
    want = {kg.resolve(name): phrase for name, phrase in expected.items()}
    assert set(got) == set(want), (sorted(got), sorted(want))
    for answer, phrase in want.items():
        assert all(s.evidence and s.citation for s in got[answer])
        assert any(phrase in s.evidence for s in got[answer]), (answer, phrase)


# ---------------------------------------------------------------------------------------------
# The example questions of the competency set that fall in sections 1.1-2.1
# ---------------------------------------------------------------------------------------------

def test_ex001_flip_caspase8_heterodimer_cleaves_ripk1(kg):
    # issue 21: FLIP(L) has no catalytic cysteine; the review gives the cleavage to the FLIP(L)-caspase-8
    # heterodimer (and caspase-8 in it), so c-FLIP itself no longer cleaves RIPK1
    assert rows(kg, "CFLAR", "cleaves") == []
    found = rows(kg, "FLIP(L)-caspase-8 heterodimer", "cleaves")
    check(kg, found, "out", {"RIPK1": "which cleaves RIPK1, thereby preventing the induction of necroptosis"})
    [s] = found
    assert s.section == "2.1" and s.effect == "down"
    assert s.citations == ("Humphreys, Espona-Fiedler, & Longley, 2018", "Micheau & Tschopp, 2003",
                           "L. Wang, Du, & Wang, 2008")
    assert kg.resolve("RIP1") == kg.resolve("Receptor-interacting serine/threonine-protein kinase 1") == "RIPK1"
    # the heterodimer itself, and FLIP(L) as a form of c-FLIP inside it
    check(kg, rows(kg, "FLIP(L)-caspase-8 heterodimer", "cleaves"), "out",
          {"RIPK1": "enzymatically active heterodimer in Complex-IIA/B"})
    check(kg, rows(kg, None, "part_of", "FLIP(L)-caspase-8 heterodimer"), "in",
          {"FLIP(L)": "The long splice form of FLIP, FLIP(L)", "caspase-8": "The long splice form of FLIP"})
    check(kg, rows(kg, "FLIP(L)", "form_of"), "out", {"c-FLIP": "The long splice form of FLIP"})


def test_ex002_dubs_deubiquitinate_ripk1(kg):
    phrase = "de-ubiquitination of RIPK1 by the de-ubiquitinating enzymes (DUBs)"
    found = rows(kg, None, "deubiquitinates", "RIPK1")
    check(kg, found, "in", {"CYLD": phrase, "OTUD7B": phrase, "TNFAIP3": phrase})
    assert {kg.resolve(n) for n in ("Cylindromatosis", "Cezanne", "A20")} == {"CYLD", "OTUD7B", "TNFAIP3"}
    assert {s.effect for s in found} == {"down"}
    check(kg, rows(kg, "DUBs", "has_member"), "out", {"CYLD": phrase, "Cezanne": phrase, "A20": phrase})


def test_ex008_pro_apoptotic_bcl2_family_members(kg):
    phrase = "and Bax, Bak, Bid, Bad, Bim, Noxa and Puma, which are the pro-apoptotic members"
    check(kg, rows(kg, "pro-apoptotic BCL2 family members", "has_member"), "out",
          {name: phrase for name in ("Bax", "Bak", "Bid", "Bad", "Bim", "Noxa", "Puma")})
    assert {kg.resolve(n) for n in ("Bax", "Bak", "Bid", "Bad", "Bim", "Noxa", "Puma")} == \
        {"BAX", "BAK1", "BID", "BAD", "BCL2L11", "PMAIP1", "BBC3"}
    both = "include both pro- and anti-apoptotic proteins"
    check(kg, rows(kg, "BCL2 family", "has_member"), "out",
          {"pro-apoptotic BCL2 family members": both, "anti-apoptotic BCL2 family members": both})


def test_ex012_iaps_activate_canonical_and_suppress_noncanonical_nfkb(kg):
    thus = ("Thus, in contrast to their role in the canonical NFκB pathway, IAPs negatively regulate the "
            "non-canonical NFκB pathway by preventing the accumulation of NIK.")
    found = rows(kg, "IAPs", "regulates", "NFkB", sections={"2.1"})
    by_context = {s.contexts: s for s in found}
    assert set(by_context) == {("NFkB_canonical",), ("NFkB_noncanonical",)}
    up, down = by_context[("NFkB_canonical",)], by_context[("NFkB_noncanonical",)]
    assert (up.effect, down.effect) == ("up", "down")
    assert "ubiquitination of components of complex I leading to recruitment of LUBAC" in up.evidence
    assert thus in down.evidence
    check(kg, rows(kg, "IAPs", "activates", "NFkB_canonical"), "out",
          {"NFkB_canonical": "subsequent activation of NFκB"})
    check(kg, rows(kg, "IAPs", "inhibits", "NFkB_noncanonical"), "out", {"NFkB_noncanonical": thus})
    # the mechanisms behind each side
    [rip] = rows(kg, "cIAP1", "ubiquitinates", "RIPK1")
    assert rip.contexts == ("complex_I",) and rip.effect == "up"
    check(kg, rows(kg, "RIPK1", "recruits", "LUBAC"), "out", {"LUBAC": "which then recruits the Linear UB chain"})
    check(kg, rows(kg, None, "degrades", "NIK"), "in",
          {"TRAF3-TRAF2-cIAP1/2 complex": "NIK is constitutively degraded"})


# ---------------------------------------------------------------------------------------------
# Part 1's own questions: (question, query, direction, expected answer -> distinctive phrase)
# ---------------------------------------------------------------------------------------------

MEMBERS8 = "The IAP family of proteins now has 8 members comprising of NAIP, XIAP, cIAP1, cIAP2"
QUESTIONS = [
    ("Q01 Which proteins make up the human IAP family?",
     dict(subject="IAPs", relation="has_member"), "out",
     {n: MEMBERS8 for n in ("NAIP", "XIAP", "cIAP1", "cIAP2", "Ts-IAP", "Survivin", "Apollon", "Livin")}),
    ("Q02 Which baculoviral IAPs were the first IAP genes identified?",
     dict(subject="baculovirus IAPs", relation="has_member"), "out",
     {"CpIAP": "The first IAP genes identified were from the baculovirus", "OpIAP": "Orgyia pseudosugata"}),
    ("Q03 Which IAPs bind poly-ubiquitin through their UBA domains?",
     dict(relation="binds", object="polyubiquitin"), "in",
     {n: "can bind to polyubiquitylated proteins and substrates through their UBA domains"
      for n in ("XIAP", "cIAP1", "cIAP2", "Ts-IAP")}),
    ("Q04 Which IAP carries a UBC (E2) domain?",
     dict(relation="instance_of", object="UBC domain"), "in",
     {"Apollon UBC": "Apollon is the only member of the human IAP family"}),
    ("Q05 Which proteins have a CARD?",
     dict(relation="instance_of", object="CARD"), "in",
     {"cIAP1 CARD": "cIAP1 and cIAP2 also contain a caspase recruitment domain",
      "cIAP2 CARD": "cIAP1 and cIAP2 also contain a caspase recruitment domain",
      "procaspase-9 CARD": "a domain found in procaspase-9 and APAF-1",
      "APAF-1 CARD": "a domain found in procaspase-9 and APAF-1"}),
    ("Q06 Which BIRs are type I?",
     dict(relation="instance_of", object="type I BIR"), "in",
     {"XIAP BIR1": "the type I BIR of XIAP having been reported to directly bind TAB1",
      "cIAP1 BIR1": "the type I BIRs of cIAP1 and cIAP2 interact with",
      "cIAP2 BIR1": "the type I BIRs of cIAP1 and cIAP2 interact with"}),
    ("Q07 Which proteins bind TRAF2 (through their type I BIR)?",
     dict(relation="binds", object="TRAF2"), "in",
     {"cIAP1": "type I BIRs of cIAP1 and cIAP2 interact with Tumor Necrosis Factor Receptor Associated Factor 2",
      "cIAP2": "type I BIRs of cIAP1 and cIAP2 interact with Tumor Necrosis Factor Receptor Associated Factor 2"}),
    ("Q08 What do type II BIRs bind?",
     dict(subject="type II BIR", relation="binds"), "out",
     {"IBM": "hydrophobic cleft", "caspases": "hydrophobic cleft", "endogenous IAP antagonists": "hydrophobic cleft"}),
    ("Q09 What do type I BIRs NOT bind?",
     dict(subject="type I BIR", relation="binds", negated=True), "out",
     {"caspases": "so do not interact with caspases or IAP antagonists",
      "endogenous IAP antagonists": "so do not interact with caspases or IAP antagonists"}),
    ("Q10 Which IAPs bind caspases but do not inhibit them?",
     dict(relation="inhibits", object="caspases", negated=True), "in",
     {"cIAP1": "but do not have the ability to directly inhibit them",
      "cIAP2": "but do not have the ability to directly inhibit them"}),
    ("Q11 What do cIAP1 and cIAP2 make up Complex-I with? (Complex-I members)",
     dict(relation="part_of", object="Complex-I"), "in",
     {n: "resulting in the recruitment of TRADD, TRAF5, TRAF2, cIAP1, cIAP2"
      for n in ("TRADD", "TRAF5", "TRAF2", "cIAP1", "cIAP2", "RIPK1")}),
    ("Q12 What does cIAP1 ubiquitinate?",
     dict(subject="cIAP1", relation="ubiquitinates"), "out",
     {"NIK": "degradative polyubiquitinated chains linked to NIK",
      "RIPK1": "One of the components that is Ub conjugated by cIAP is RIPK1",
      "Complex-I": "conjugates components of this complex with ubiquitin",
      "TRAF3": "TRAF3 being targeted for proteasomal degradation following ubiquitination by cIAP",
      "cIAP1": "inhibiting auto-ubiquitination by the RING domain"}),
    ("Q13 What does RIPK1 recruit once ubiquitinated?",
     dict(subject="RIPK1", relation="recruits"), "out",
     {n: "composed of HOIL/HOIP/Sharpin, the kinases TAK1/TAB2/TAB3"
      for n in ("LUBAC", "TAK1/TAB2/TAB3", "IKK complex")}),
    ("Q14 Which proteins make up LUBAC?",
     dict(relation="part_of", object="LUBAC"), "in",
     {n: "HOIL/HOIP/Sharpin" for n in ("HOIL", "HOIP", "Sharpin")}),
    ("Q15 Which proteins make up the IKK complex?",
     dict(relation="part_of", object="IKK complex"), "in",
     {n: "composed of IKKα/IKKβ/NEMO" for n in ("IKKα", "IKKβ", "NEMO")}),
    ("Q16 What does LUBAC ubiquitinate?",
     dict(subject="LUBAC", relation="ubiquitinates"), "out",
     {"NEMO": "LUBAC then adds Ub chains to NEMO"}),
    ("Q17 What is in Complex-IIB?",
     dict(relation="part_of", object="Complex-IIB"), "in",
     {"RIPK1": "mainly composed of RIPK1, FADD and caspase-8 called Complex-IIB",
      "FADD": "mainly composed of RIPK1, FADD and caspase-8 called Complex-IIB",
      "caspase-8": "mainly composed of RIPK1, FADD and caspase-8 called Complex-IIB",
      "c-FLIP": "also contain the caspase-8 paralog and regulator c-FLIP",
      "FLIP(L)-caspase-8 heterodimer": "can form an enzymatically active heterodimer in Complex-IIA/B"}),
    ("Q18 What is in Complex-IIA?",
     dict(relation="part_of", object="Complex-IIA"), "in",
     {"TRADD": "which consists of TRADD instead of RIPK1",
      "FADD": "which consists of TRADD instead of RIPK1",
      "caspase-8": "which consists of TRADD instead of RIPK1",
      "c-FLIP": "also contain the caspase-8 paralog and regulator c-FLIP",
      "FLIP(L)-caspase-8 heterodimer": "can form an enzymatically active heterodimer in Complex-IIA/B"}),
    ("Q19 Which is NOT in Complex-IIA?",
     dict(relation="part_of", object="Complex-IIA", negated=True), "in",
     {"RIPK1": "TRADD instead of RIPK1"}),
    ("Q20 What induces the ripoptosome?",
     dict(relation="induces", object="ripoptosome"), "in",
     {"chemotherapy": "high dose chemotherapy or treatment with IAP antagonists",
      "SMAC mimetics": "high dose chemotherapy or treatment with IAP antagonists"}),
    ("Q21 Which ligands activate the non-canonical NFκB pathway?",
     dict(relation="activates", object="NFkB_noncanonical"), "in",
     {"CD40L": "stimulation by TNF family receptors such as CD40L",
      "BAFF": "B cell activating factor (BAFF)", "TWEAK": "(BAFF) and TWEAK",
      "NIK": "which is regulated by NFκB-inducing kinase (NIK)"}),
    ("Q22 What does NIK phosphorylate?",
     dict(subject="NIK", relation="phosphorylates"), "out",
     {"IKKβ": "Stabilized NIK phosphorylates IKKβ"}),
    ("Q23 Which proteins form the TRAF3-TRAF2-cIAP complex that degrades NIK?",
     dict(relation="part_of", object="TRAF3-TRAF2-cIAP1/2 complex"), "in",
     {n: "consists of TRAF3-TRAF2 and cIAP1 and/or 2" for n in ("TRAF3", "TRAF2", "cIAP1", "cIAP2")}),
    ("Q24 Which components make up NFκB?",
     dict(subject="NFkB", relation="has_member"), "out",
     {n: "consists of the components RELA, RELB and CREL" for n in ("RELA", "RELB", "CREL", "NFκB1", "NFκB2")}),
    ("Q25 Which anti-apoptotic BCL2 family members does the review list?",
     dict(subject="anti-apoptotic BCL2 family members", relation="has_member"), "out",
     {n: "Mcl-1 and A1, which are anti-apoptotic" for n in ("Bcl-2", "Bcl-XL", "Mcl-1", "A1")}),
    ("Q26 What does caspase-8 cleave?",
     dict(subject="caspase-8", relation="cleaves"), "out",
     {"Bid": "Bid is cleaved by caspase-8", "RIPK1": "which cleaves RIPK1"}),
    ("Q27 Which effector caspases does the review name?",
     dict(subject="effector caspases", relation="has_member"), "out",
     {n: "effector caspases-3, -6 and -7" for n in ("caspase-3", "caspase-6", "caspase-7")}),
    ("Q28 Which proteins are released from mitochondria in the intrinsic pathway?",
     dict(relation="released_from", object="mitochondria"), "in",
     {"cytochrome c": "release of pro-apoptotic proteins like cytochrome c and SMAC",
      "SMAC": "release of pro-apoptotic proteins like cytochrome c and SMAC"}),
    ("Q29 Which miRNAs target or downregulate XIAP?",
     dict(object="XIAP", relations={"targets", "downregulates"}), "in",
     {"miRNA-24": "miRNA-24 targets XIAP in cancer cells",
      "miRNA-137": "via its XIAP regulation activity",
      "miRNA-200c": "miRNA-200c and miRNA-212 have also been shown to downregulate XIAP",
      "miRNA-212": "miRNA-200c and miRNA-212 have also been shown to downregulate XIAP",
      "miRNAs": "miRNA-based targeting of XIAP"}),
    ("Q30 What does miRNA-212 suppress in renal cell carcinoma?",
     dict(subject="miRNA-212", relation="suppresses", context="RCC"), "out",
     {n: "resulting in reduced proliferation, migration and invasion" for n in
      ("cell proliferation", "cell migration", "invasion")}),
    ("Q31 To what does miRNA-137 sensitize ovarian cancer cells?",
     dict(subject="miRNA-137", relation="sensitizes_to", context="ovarian cancer"), "out",
     {"cisplatin": "increased sensitivity of ovarian cancer cells to cisplatin-induced apoptosis"}),
    ("Q32 Which genes does the 11q21-q23 region harbour?",
     dict(subject="11q21-q23", relation="encodes"), "out",
     {"cIAP1": "which harbors the cIAP1 (BIRC2) and cIAP2 (BIRC3) genes",
      "cIAP2": "which harbors the cIAP1 (BIRC2) and cIAP2 (BIRC3) genes"}),
    ("Q33 In which cancers is cIAP1 amplified?",
     dict(subject="cIAP1", relation="amplified_in"), "out",
     {"ESCC": "only cIAP1 was consistently over-amplified", "pancreatic cancer": "pancreatic (Bashyam",
      "liver cancer": "liver (Zender", "lung cancer": "lung (Dai", "CSCC": "amplification and overexpression of cIAP1"}),
    ("Q34 What is the cIAP2-MALT1 fusion made of?",
     dict(subject="cIAP2-MALT1", relation="form_of"), "out",
     {"cIAP2": "fusion of the N-terminus of cIAP2 with mucosa-associated lymphoid tissue lymphoma translocation protein 1",
      "MALT1": "fusion of the N-terminus of cIAP2 with mucosa-associated lymphoid tissue lymphoma translocation protein 1"}),
    ("Q35 Which IAPs regulate autophagosome-lysosome fusion?",
     dict(relation="regulates", object="autophagosome-lysosome fusion"), "in",
     {n: "reported to play a role in regulating autophagosome and lysozome fusion" for n in ("XIAP", "cIAP2", "BRUCE")}),
    ("Q36 Which IAPs upregulate Beclin-1?",
     dict(relation="upregulates", object="Beclin-1"), "in",
     {n: "XIAP and cIAP1 induce autophagy by upregulating the expression of Beclin-1" for n in ("XIAP", "cIAP1")}),
    ("Q37 Which IAPs contribute to resisting cell death, and through what?",
     dict(relation="contributes_to", object="hallmark_resisting_cell_death"), "in",
     {"IAPs": "the role of IAPs in this evasion has been extensively studied",
      "XIAP": "making XIAP the only member to act as a direct inhibitor of caspases",
      "cIAP1": "induced in response to cIAP1/2 depletion",
      "cIAP2": "induced in response to cIAP1/2 depletion",
      "Survivin": "breast cancer stem cells show elevated expression of survivin",
      "BRUCE": "identified BRUCE as a target using a proteomics approach"}),
    ("Q38 What does Survivin promote in quiescent breast cancer stem cells?",
     dict(subject="Survivin", relation="promotes", context="quiescent-breast cancer stem cells"), "out",
     {n: "important in the epithelial to mesenchymal transition of the cells and favored invasion and metastasis"
      for n in ("EMT", "invasion", "metastasis")}),
    ("Q39 What does Survivin confer resistance to in CD133+ colon cancer stem cells?",
     dict(subject="Survivin", relation="confers_resistance_to", context="CD133+ colon cancer stem cells"), "out",
     {"5FU": "play a role in 5FU resistance in CD133+ colon cancer stem cells"}),
    ("Q40 Which receptors does TNFα bind?",
     dict(subject="TNFα", relation="binds"), "out",
     {"TNFR1": "two distinct cell surface receptors", "TNFR2": "two distinct cell surface receptors"}),
    ("Q41 Which receptors does TRAIL bind, and what do they bind through their death domains?",
     dict(subject="TRAIL", relation="binds"), "out",
     {"TRAIL-R1": "TRAIL-R1/R2 (DR4/5)/TRAIL receptor/ligand pairs",
      "TRAIL-R2": "TRAIL-R1/R2 (DR4/5)/TRAIL receptor/ligand pairs"}),
    ("Q42 Which viral genes have no sequence homology to p35?",
     dict(relation="homologous_to", object="p35", negated=True), "in",
     {"CpIAP": "have no sequence homology to p35", "OpIAP": "have no sequence homology to p35"}),
    ("Q43 Which gene was cloned in the search for spinal muscular atrophy genes?",
     dict(relation="associated_with", object="spinal muscular atrophies"), "in",
     {"NAIP": "positional cloning study that aimed to identify genes involved in spinal muscular atrophies"}),
    ("Q44 What negatively regulates XIAP?",
     dict(relation="inhibits", object="XIAP"), "in",
     {"XAF1": "the XIAP negative regulator XAF1"}),
    ("Q45 What does the cIAP1 CARD inhibit?",
     dict(subject="cIAP1 CARD", relation="inhibits"), "out",
     {"cIAP1 RING": "by inhibiting auto-ubiquitination by the RING domain"}),
    ("Q46 What does XIAP bind directly?",
     dict(subject="XIAP", relation="binds"), "out",
     {"TAB1": "directly bind TAB1", "caspase-9": "with its C-terminus binding to the dimer interface of caspase-9",
      "caspase-3": "linker region between BIR1 and BIR2", "caspase-7": "linker region between BIR1 and BIR2",
      "polyubiquitin": "through their UBA domains", "MDM2": "by interacting with MDM2"}),
]


@pytest.mark.parametrize(("question", "query", "direction", "expected"), QUESTIONS,
                         ids=[q[0].split()[0] for q in QUESTIONS])
def test_question(kg, question, query, direction, expected):
    query = dict(query)
    found = rows(kg, query.pop("subject", None), query.pop("relation", None), query.pop("object", None),
                 **query)
    check(kg, found, direction, expected)


# ---------------------------------------------------------------------------------------------
# Domains, signs, chains and conflicts
# ---------------------------------------------------------------------------------------------

def test_xiap_domains_that_inhibit_caspases(kg):
    [c9] = [s for s in rows(kg, "XIAP", "inhibits", "caspase-9") if s.domains]
    assert c9.domains == ("XIAP.BIR3",) and c9.citation == "Berthelet & Dubrez, 2013"
    for caspase in ("caspase-3", "caspase-7"):
        [s] = [s for s in rows(kg, "XIAP", "inhibits", caspase) if s.domains]
        assert s.domains == ("XIAP.linker_BIR1_BIR2", "XIAP.BIR2")
        assert "bind to the active site pocket of the caspases" in s.evidence
        [b] = rows(kg, "XIAP", "binds", caspase)
        assert b.domains == ("XIAP.linker_BIR1_BIR2", "XIAP.BIR2", "IBM")
    [ring] = [s for s in rows(kg, "XIAP", "inhibits", "caspases") if s.domains]
    assert ring.domains == ("XIAP.RING",) and ring.contexts == ("mouse",)
    assert "the BIR domain alone is not enough to inhibit caspases" in ring.evidence
    check(kg, rows(kg, "XIAP", "has_domain"), "out", {
        "XIAP BIR1": "type I BIR of XIAP", "XIAP BIR2": "The BIR2 domain of XIAP",
        "XIAP BIR3": "through its BIR3 domain", "XIAP BIR1-BIR2 linker": "linker region between BIR1 and BIR2",
        "XIAP RING": "truncated RING domain", "XIAP UBA": "through their UBA domains",
        "BIR domain": "The eight mammalian IAPs contain one to three copies"})


def test_xiap_inhibits_caspases_but_not_caspase8(kg):
    [s] = rows(kg, "XIAP", "inhibits", "caspase-8", negated=True)
    assert "as opposed to directly affecting caspase-8 activity" in s.evidence
    assert rows(kg, "XIAP", "inhibits", "caspase-8") == []
    assert {s.subject for s in rows(kg, None, "inhibits", "caspases")} == {"IAP_family", "XIAP", "p35"}


def test_ubiquitin_chain_types(kg):
    for name in ("cIAP1", "cIAP2"):
        for target in ("NIK", "TRAF3"):
            [s] = rows(kg, name, "ubiquitinates", target)
            assert s.qualifiers["ub_chain"] == "K48" and s.effect == "down"
    [k48] = rows(kg, "K48-linked poly-ubiquitin chains", "promotes", "proteasomal degradation")
    assert "recognized by the proteasome" in k48.evidence
    [k63] = rows(kg, "K63-linked poly-ubiquitin chains", "promotes", "proteasomal degradation", negated=True)
    assert k63.qualifiers["ub_chain"] == "K63" and "modification of biological activity" in k63.evidence
    # no chain type where the review gives none
    assert all("ub_chain" not in s.qualifiers for s in rows(kg, "cIAP1", "ubiquitinates", "RIPK1"))
    assert all("ub_chain" not in s.qualifiers for s in rows(kg, "LUBAC", "ubiquitinates", "NEMO"))


def test_ciap1_ring_degrades_other_iaps(kg):
    [s] = rows(kg, "cIAP1", "degrades", "IAPs")
    assert s.domains == ("BIRC2.RING",)
    assert "other RING domain-bearing IAP family members" in s.evidence
    assert s.citation == "Cheung, Plenchette, Kern, Mahoney, & Korneluk, 2008"


def _step(kg, subject, relation, object):
    """The one sign of a chain link (every row stating it must agree), as a statement."""
    found = rows(kg, subject, relation, object)
    assert found and len({s.effect for s in found}) == 1, (subject, relation, object)
    return found[0]


def test_tnf_reaches_nfkb_through_complex_one_with_net_effect_up(kg):
    chain = [("TNFα", "binds", "TNFR1"), ("TNFR1", "recruits", "cIAP1"), ("cIAP1", "ubiquitinates", "RIPK1"),
             ("RIPK1", "recruits", "LUBAC"), ("LUBAC", "ubiquitinates", "NEMO"), ("NEMO", "activates", "IKK complex"),
             ("IKK complex", "phosphorylates", "IκB"), ("IκB", "inhibits", "NFkB")]
    steps = [_step(kg, *link) for link in chain]
    assert [s.effect for s in steps] == ["up", "up", "up", "up", "up", "up", "down", "down"]
    assert prod(SIGN[s.effect] for s in steps) == 1
    assert all(s.evidence for s in steps)
    assert rows(kg, "TNFR1", "recruits", "Complex-I")


def test_smac_mimetic_reaches_noncanonical_nfkb_through_ciaps_and_nik(kg):
    for ciap in ("cIAP1", "cIAP2"):
        chain = [("SMAC mimetics", "downregulates", ciap), (ciap, "ubiquitinates", "NIK"),
                 ("NIK", "activates", "NFkB_noncanonical")]
        steps = [_step(kg, *link) for link in chain]
        assert [s.effect for s in steps] == ["down", "down", "up"]
        assert prod(SIGN[s.effect] for s in steps) == 1
    [p] = rows(kg, "NIK", "phosphorylates", "IKKβ")
    assert p.effect == "up"


def test_autophagy_opposition_is_kept_with_both_signs(kg):
    effects = defaultdict(set)
    for s in rows(kg, None, None, "autophagy"):
        if s.effect in SIGN:
            effects[s.subject].add(s.effect)
    assert effects["XIAP"] == {"up", "down"}
    assert effects["IAP_family"] == {"up", "down"}
    assert effects["BIRC2"] == {"up"} and effects["BIRC6"] == {"down"}
    [bruce] = rows(kg, "BRUCE", "inhibits", "autophagy")
    assert "loss of BRUCE induces autophagy" in bruce.evidence and bruce.citation == "L. Che, et al., 2019"
    [xiap_down] = rows(kg, "XIAP", "inhibits", "autophagy")
    assert "by interacting with MDM2" in xiap_down.evidence
    [xiap_up] = rows(kg, "XIAP", "induces", "autophagy")
    assert xiap_up.citation == "Lin, et al., 2015"


def test_iap_antagonists_and_stemness_under_hypoxia(kg):
    [loss] = rows(kg, "SMAC mimetics", "suppresses", "stemness")
    assert "hypoxia" not in loss.qualifiers.get("condition", "")
    [kept] = rows(kg, "SMAC mimetics", "suppresses", "stemness", negated=True)
    assert kept.qualifiers["condition"] == "hypoxia" and "did not affect stemness" in kept.evidence
    assert kept.contexts == loss.contexts == ("GBM_stem_like_cells",)


def test_slips_resolve_as_the_review_writes_them(kg):
    assert kg.resolve("ILP-1") == "BIRC8"
    assert kg.resolve("Apollon") == "BIRC6" and kg.resolve("ML-IAP") == "BIRC7"
    # the unused lysosome entity is gone (issue 21); the review's "lysozome" stays in the fusion's name
    assert kg.resolve("autophagosome and lysozome fusion") == "autophagosome_lysosome_fusion"
    assert kg.resolve("gliobasltoma stem-like cells") == "GBM_stem_like_cells"
    assert kg.resolve("Cezanne") == "OTUD7B"


def test_mirna_identifiers_only_where_unique(kg):
    assert "mirbase:MI0000454" in kg.entity("miRNA-137").xrefs
    assert "mirbase:MI0000650" in kg.entity("miRNA-200c").xrefs
    assert "mirbase:MI0000288" in kg.entity("miRNA-212").xrefs
    assert not [x for x in kg.entity("miRNA-24").xrefs if x.startswith("mirbase")]


def test_every_part1_section_is_covered(kg):
    counts = {row["section"]: row["statements"] for row in kg.coverage()}
    assert all(counts[s] > 0 for s in PART1), counts


def test_every_part1_statement_is_quoted_and_cited(kg):
    mine = [s for s in kg.statements if s.section in PART1]
    assert len(mine) > 450
    assert all(len(s.evidence) >= 12 and s.citations for s in mine)
