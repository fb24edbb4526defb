"""The curation audit of issue 21, section 1 ("Fix what the read found"): each fix asserted on its exact
row, each added claim with its quote.

Facts are copied here from the review (the tests never read it). Every assertion names the new value,
so each test fails on the graph as it was before the audit.
"""

from __future__ import annotations

import pytest

from iapgraph import vocab
from iapgraph.exceptions import UnknownEntity


def row(kg, sid: str):
    [s] = [s for s in kg.statements if s.id == sid]
    return s


def ids_of(kg) -> set[str]:
    return {s.id for s in kg.statements}


def reading(s) -> str:
    return s.qualifiers.get("reading", "")


# ---- vocabulary ---------------------------------------------------------------------------------

def test_vocab_has_destabilization_and_co_perturbed():
    assert "destabilization" in vocab.MECHANISMS
    assert vocab.QUALIFIERS["co_perturbed"].datatype == "string"
    assert "together with the subject in the same experiment" in vocab.QUALIFIERS["co_perturbed"].description
    for key in ("regimen", "arm", "comparator"):
        assert key in vocab.QUALIFIERS


def test_co_perturbed_values_are_entity_ids(kg):
    found = [s for s in kg.statements if "co_perturbed" in s.qualifiers]
    assert {s.id for s in found} == {f"s2.2-{n:03d}" for n in range(24, 32)} | {
        f"s2.5-{n:03d}" for n in range(41, 46)}
    for s in found:
        for other in s.qualifiers["co_perturbed"].split("+"):
            assert other in kg.entities and other != s.subject, s.id


# ---- first read: section 2.2 --------------------------------------------------------------------

@pytest.mark.parametrize("sid", ["s2.2-093", "s2.2-094", "s2.2-095", "s2.2-096"])
def test_craf_summary_sentence_is_cited_to_the_review(kg, sid):
    s = row(kg, sid)
    assert s.citations == ("review",)
    assert s.evidence == "XIAP, cIAP1/2 and even ML-IAP have been shown to directly interact with cRAF"
    assert s.relation == "binds" and s.object == "RAF1"


@pytest.mark.parametrize(("sid", "subject"), [("s2.2-098", "XIAP"), ("s2.2-102", "BIRC2"), ("s2.2-106", "BIRC3")])
def test_silencing_stabilizes_craf_so_the_iap_destabilizes_it(kg, sid, subject):
    s = row(kg, sid)
    assert (s.subject, s.relation, s.object, s.effect, s.mechanism) == (
        subject, "downregulates", "RAF1", "down", "destabilization")
    assert "silencing of XIAP and cIAPs leads to stabilization of cRAF" in s.evidence
    assert "destabilizes" in reading(s)
    assert not [x for x in kg.statements if x.mechanism == "stabilization" and x.effect == "down"]


def test_joint_xiap_survivin_silencing_names_the_partner(kg):
    quote = "simultaneous silencing of XIAP and Survivin in pancreatic cancer cells resulted in partial reversion of EMT"
    for n in range(24, 32):
        s = row(kg, f"s2.2-{n:03d}")
        partner = "BIRC5" if s.subject == "XIAP" else "XIAP"
        assert s.subject in ("XIAP", "BIRC5") and s.qualifiers["co_perturbed"] == partner
        assert quote in s.evidence and "together" in reading(s)
    assert row(kg, "s2.2-024").citations == ("Yi, Han, Li, Long, & Li, 2015",)


@pytest.mark.parametrize("sid", ["s2.2-027", "s2.2-031", "s2.5-045", "s2.7-020", "s2.7-023", "s2.7-026"])
def test_unsupported_hallmark_links_are_curator_inference(kg, sid):
    s = row(kg, sid)
    assert s.relation == "contributes_to" and s.object.startswith("hallmark_")
    assert s.citations == ("curator",)
    assert "curator" in reading(s) and "curator inference" in s.note


def test_joint_survivin_flavonoid_rows(kg):
    assert row(kg, "s2.5-041").qualifiers["co_perturbed"] == "flavonoids"
    assert row(kg, "s2.5-041").citations == ("Hossain, Banik, & Ray, 2012",)
    assert row(kg, "s2.5-043").qualifiers["co_perturbed"] == "BIRC5"


def test_these_molecules_are_src_fak_and_integrins(kg):
    quote = "These molecules are responsible for regulating signals controlling cell adhesion, migration, survival"
    found = {(s.subject, s.object) for s in kg.find(None, "regulates") if quote in s.evidence}
    processes = {"cell_adhesion", "cell_migration", "cell_survival", "cell_proliferation"}
    assert found == {(subj, p) for subj in ("SRC", "PTK2", "integrins") for p in processes}
    s = row(kg, "s2.2-047")
    assert (s.subject, s.object, s.mechanism) == ("SRC", "cell_proliferation", "phosphorylation")
    assert "integrins" in reading(s) and "Src and FAK" in reading(s)
    assert "focal adhesion molecules" not in kg.entity("focal adhesion complex").aliases
    assert not kg.find("focal adhesion complex", "regulates")


def test_dogan_hallmark_rows_removed_migration_rows_kept(kg):
    assert not {"s2.2-100", "s2.2-104", "s2.2-108"} & ids_of(kg)
    for sid, subject in (("s2.2-099", "XIAP"), ("s2.2-103", "BIRC2"), ("s2.2-107", "BIRC3")):
        s = row(kg, sid)
        assert (s.subject, s.relation, s.object) == (subject, "suppresses", "cell_migration")
        assert "opposite" in s.note


def test_remaining_down_hallmark_rows_cross_reference_their_opposites(kg):
    assert "s2.2-021" in row(kg, "s2.2-113").note and "s2.2-113" in row(kg, "s2.2-021").note
    assert "s2.2-009" in row(kg, "s2.2-151").note and "s2.2-151" in row(kg, "s2.2-009").note
    assert "s2.7-021" in row(kg, "s2.3-087").note and "s2.3-087" in row(kg, "s2.7-021").note


def test_tgfbeta_membership_is_curator(kg):
    s = row(kg, "s2.2-117")
    assert (s.subject, s.relation, s.object) == ("TGFbeta", "part_of", "TGFbeta_signaling")
    assert s.citations == ("curator",) and "does not state" in reading(s)


def test_ring_is_negated_not_the_rhogdi_binding(kg):
    s = row(kg, "s2.2-166")
    assert (s.subject, s.relation, s.object, s.negated, s.domains) == ("XIAP.RING", "binds", "ARHGDIA", True, ())
    assert "not found to be directly involved in interaction with RhoGDPI" in s.evidence
    assert kg.find("XIAP", "binds", "RhoGDI", negated=True) == []
    assert [x.id for x in kg.find("XIAP", "binds", "RhoGDI")] == ["s2.2-157"]
    assert not [c for c in kg.conflicts() if {c.first.id, c.second.id} & {"s2.2-166"}]


# ---- first read: sections 1, 2.3 and 3 ----------------------------------------------------------

def test_traf2_transduces_signals_from_the_tnf_receptors(kg):
    s = row(kg, "s1.2-030")
    assert (s.subject, s.relation, s.object, s.effect, s.mechanism) == (
        "TNFR_family", "regulates", "TRAF2", "up", "signaling")
    assert "facilitates signal transduction from the TNF receptor family" in s.evidence
    assert not kg.find("TRAF2", None, "TNF receptor family")


@pytest.mark.parametrize(("sid", "process"), [("s1.0-014", "cell_migration"), ("s1.0-015", "cell_survival"),
                                              ("s1.0-016", "inflammation")])
def test_processes_named_and_hedge_kept(kg, sid, process):
    s = row(kg, sid)
    assert s.subject == process
    assert "cell migration, survival and inflammation" in s.evidence
    assert "many of these processes play roles in cancer initiation" in s.evidence
    assert "hedged" in reading(s)


@pytest.mark.parametrize(("sid", "obj"), [("s2.3-087", "cell_proliferation"), ("s2.3-088", "transformation")])
def test_ciap1_proliferation_quote_names_ciap1_and_mad1(kg, sid, obj):
    s = row(kg, sid)
    assert (s.subject, s.object) == ("BIRC2", obj)
    assert s.evidence.startswith("Xu et al. have demonstrated that cIAP1 is responsible for ubiquitination")
    assert s.evidence.endswith("Myc-mediated promotion of cell proliferation and transformation")
    assert "Mad1" in reading(s) and "Myc" in reading(s)


@pytest.mark.parametrize("sid", ["s3-048", "s3-049"])
def test_smac_mimetics_antagonize_ciaps_quote_the_result(kg, sid):
    s = row(kg, sid)
    assert "reported that removal of cIAP1/2 alone is not enough for TNFα induced apoptosis" in s.evidence
    assert "removal of cIAP1/2" in reading(s)


@pytest.mark.parametrize("sid", ["s3-065", "s3-066", "s3-067", "s3-074", "s3-075", "s3-076", "s3-077"])
def test_mouse_model_findings_have_mouse_in_context(kg, sid):
    s = row(kg, sid)
    assert "mouse" in s.contexts and "mouse" in s.qualifiers["model"]


def test_mouse_is_the_organism_only(kg):
    assert "mouse model" not in kg.entity("mouse").aliases
    found = {s.id for s in kg.statements if "mouse" in s.contexts}
    assert {"s2.1-092", "s2.1-093", "s3-065", "s3-077", "s3-088", "s3-089"} <= found


def test_monovalent_hedge_kept(kg):
    s = row(kg, "s3-031")
    assert s.evidence.startswith("Most of these monovalent IAP antagonists")
    assert "hedged" in reading(s) and "not every one" in reading(s)


def test_misleading_aliases_removed(kg):
    assert "TRAIL-R1/R2" not in kg.entity("TRAIL-R1").aliases
    assert not {"AKT pathway", "AKT signaling pathway"} & set(kg.entity("AKT").aliases)
    assert "telomerase" not in kg.entity("hTERT").aliases
    for name in ("AKT pathway", "telomerase", "TRAIL-R1/R2", "mouse model", "focal adhesion molecules"):
        with pytest.raises(UnknownEntity):
            kg.resolve(name)


def test_unused_entities_removed(kg):
    for eid in ("autophagosome", "lysosome", "baculovirus"):
        assert eid not in kg.entities
    used = {e for s in kg.statements for e in (s.subject, s.object, *s.domains, *s.contexts)}
    assert {"BIRC3.RING", "TNF_induced_apoptosis", "radioresistance", "gastric_adenocarcinoma",
            "innate_immune_response", "immunotherapy", "mesenchymal_markers", "EMT_regulators"} <= used


# ---- second read ---------------------------------------------------------------------------------

def test_flip_does_not_cleave_ripk1_itself(kg):
    assert "s2.1-196" not in ids_of(kg)
    assert {s.subject for s in kg.find(None, "cleaves", "RIPK1")} == {"FLIPL_CASP8_heterodimer", "CASP8"}


def test_complex_i_sentences_before_bertrand_are_review(kg):
    for n in range(118, 136):
        s = row(kg, f"s2.1-{n:03d}")
        assert s.citations == ("review",), s.id
        assert "Bertrand, et al., 2008" in s.note
    assert row(kg, "s2.1-138").citations == ("Behrends & Harper, 2011", "Darding & Meier, 2012")


def test_e2f1_background_is_review(kg):
    s = row(kg, "s2.3-068")
    assert s.citations == ("review",) and s.subject == "E2F1"


def test_section_1_3_correlations_are_not_resistance(kg):
    s20, s26 = row(kg, "s1.3-020"), row(kg, "s1.3-026")
    assert (s20.subject, s20.relation, s20.object, s20.effect) == ("BIRC2", "associated_with", "radioresistance", "up")
    assert (s26.subject, s26.relation, s26.object, s26.effect) == ("BIRC3", "correlates_with", "chemoresistance", "up")
    assert "associated with resistance to radiation-induced cell death" in s20.evidence
    assert "correlated with resistance to various commonly used chemotherapeutic drugs" in s26.evidence


def test_smac_caspase9_modelled_as_indirect(kg):
    s = row(kg, "s2.1-041")
    assert (s.subject, s.relation, s.object, s.effect) == ("DIABLO", "regulates", "CASP9", "up")
    assert "This then results in the activation of initiator caspase 9." in s.evidence
    assert "indirect" in reading(s)


def test_xiap_ring_suppresses_tnf_induced_apoptosis_not_the_ligand(kg):
    s = row(kg, "s2.1-093")
    assert (s.subject, s.relation, s.object, s.domains, s.contexts) == (
        "XIAP", "suppresses", "TNF_induced_apoptosis", ("XIAP.RING",), ("mouse",))
    assert "sensitized to TNFα-induced apoptosis" in s.evidence
    assert kg.resolve("TNFα-induced apoptosis") == "TNF_induced_apoptosis" != kg.resolve("TNFα")
    assert not kg.find("XIAP", "confers_resistance_to", "TNFα")


def test_partly_held_processing_and_ripoptosome(kg):
    proteasome = {(s.object, s.mechanism, s.effect) for s in kg.find("proteasome", "regulates")}
    assert proteasome == {("p50", "processing", "up"), ("p52", "processing", "up")}
    [nik] = kg.find("NIK", "regulates", "p52")
    assert nik.id == "s2.1-296" and nik.mechanism == "processing" and nik.effect == "up"
    assert "which is regulated by NFκB-inducing kinase (NIK)" in nik.evidence
    assert "processed via the proteasome to generate p50 and p52" in row(kg, "s2.1-294").evidence
    [rip] = kg.find("TNFR1", "induces", "ripoptosome", negated=True)
    assert rip.id == "s2.1-298" and "formed in the absence of TNFR1 stimulation" in rip.evidence


def test_iaps_regulate_apoptosis_one_sign(kg):
    assert {s.effect for s in kg.find("IAPs", "regulates", "apoptosis")} == {"down"}
    assert row(kg, "s2.0-001").effect == "down"


def test_both_ciaps_ubiquitinate_complex_i_through_their_ring(kg):
    assert row(kg, "s2.1-134").domains == ("BIRC2.RING",)
    assert row(kg, "s2.1-135").domains == ("BIRC3.RING",)
    [has] = kg.find("cIAP2", "has_domain", "cIAP2 RING")
    [inst] = kg.find("cIAP2 RING", "instance_of", "RING domain")
    assert has.id == "s1.2-073" and inst.id == "s1.2-074"
    assert "IAPs also contain a carboxy-terminal RING finger domain" in has.evidence


def test_chemoresistance_one_model(kg):
    rows = {sid: row(kg, sid) for sid in ("s2.1-248", "s2.1-258", "s2.1-259", "s2.1-261", "s2.1-271",
                                          "s2.1-277", "s2.1-292", "s1.3-026", "s2.5-052")}
    assert {s.object for s in rows.values()} == {"chemoresistance"}
    assert {sid for sid, s in rows.items() if s.relation == "promotes"} == {
        "s2.1-248", "s2.1-258", "s2.1-259", "s2.1-261", "s2.1-292", "s2.5-052"}
    assert not kg.find(None, "confers_resistance_to", "chemotherapy")
    assert row(kg, "s2.5-053").object == "radioresistance"


def test_table1_gastric_adenocarcinoma_as_printed(kg):
    assert kg.entity("gastric_adenocarcinoma").label == "Gastric adenocarcinoma"
    assert {row(kg, sid).object for sid in ("t1-044", "t1-045")} == {"gastric_adenocarcinoma"}
    assert row(kg, "s1.3p-030").object == "gastric_cancer"


def test_table2_regimen_placebo_and_arms(kg):
    regimen = {s.subject: s.qualifiers["regimen"] for s in kg.find(None, "tests") if s.section == "Table 2"}
    assert {t for t, r in regimen.items() if r == "monotherapy"} == {
        "NCT02098161", "NCT02503423", "NCT04362007", "NCT01681368", "NCT01486784"}
    assert regimen["NCT01188499"] == "multi-arm"
    assert regimen["NCT02147873"] == "combination"
    assert row(kg, "t2-045").qualifiers["comparator"] == "placebo"
    assert row(kg, "t2-046").qualifiers["comparator"] == "placebo"
    arms = {s.object: s.qualifiers["arm"] for s in kg.find("NCT01188499", "combined_with")}
    assert arms == {kg.resolve("Carboplatin"): "Carboplatin/Paclitaxel",
                    kg.resolve("Paclitaxel"): "Carboplatin/Paclitaxel",
                    kg.resolve("Irinotecan"): "Irinotecan", kg.resolve("Docetaxel"): "Docetaxel",
                    kg.resolve("Gemcitabine"): "Gemcitabine",
                    kg.resolve("liposomal doxorubicin"): "liposomal doxorubicin"}


# ---- missed claims, added with their quotes --------------------------------------------------------

ADDED = [
    ("s2.2-178", "BIRC3", "upregulates", "mesenchymal_markers", False,
     "silencing of cIAP2 resulted in reduced levels of mesenchymal markers at both protein and mRNA level"),
    ("s2.2-179", "BIRC3", "promotes", "invasion", False, "invade the matrigel in wound-healing assays"),
    ("s2.2-183", "mesenchymal_markers", "has_member", "SNAI2", False, "mesenchymal markers like Slug"),
    ("s2.2-184", "TGFbeta", "regulates", "EMT_regulators", False,
     "TGFβ, which regulates transcription of various EMT regulators"),
    ("s2.2-185", "NFkB", "regulates", "EMT_regulators", False, "by regulating Snail and other EMT regulators"),
    ("s2.2-186", "EMT_regulators", "has_member", "SNAI1", False, "by regulating Snail and other EMT regulators"),
    ("s3-082", "DIABLO", "processed_to", "DIABLO.AVPI", False,
     "mitochondrial targeting sequence that is cleaved to expose a sequence of four hydrophobic amino acids (AVPI)"),
    ("s3-083", "smac_mimetics", "induces", "TNF_induced_apoptosis", True,
     "removal of cIAP1/2 alone is not enough for TNFα induced apoptosis"),
    ("s3-084", "XIAP", "regulates", "TNF_induced_apoptosis", False, "XIAP plays an important role in this process"),
    ("s3-085", "IAP_family", "regulates", "innate_immune_response", False,
     "regulating both the innate and adaptive immune system responses"),
    ("s3-086", "IAP_family", "regulates", "adaptive_immune_response", False,
     "regulating both the innate and adaptive immune system responses"),
    ("s3-087", "immunotherapy", "targets", "IAP_family", False,
     "IAPs are now being considered as targets for developing immunotherapy-based treatments"),
    ("s3-088", "smac_mimetics", "treats", "glioblastoma", True,
     "in a mouse model of glioblastoma in which monotherapy was ineffective"),
    ("s3-089", "immune_checkpoint_inhibitors", "treats", "glioblastoma", True,
     "in a mouse model of glioblastoma in which monotherapy was ineffective"),
    ("s3.2-014", "KRT18", "associated_with", "apoptosis", False,
     "cytokeratin-18 (a marker of caspase-dependent cell death)"),
]


@pytest.mark.parametrize(("sid", "subject", "relation", "obj", "negated", "quote"), ADDED)
def test_missed_claim_added(kg, sid, subject, relation, obj, negated, quote):
    s = row(kg, sid)
    assert (s.subject, s.relation, s.object, s.negated) == (subject, relation, obj, negated)
    assert quote in s.evidence and s.citations


def test_removal_of_ciaps_alone_is_a_conditional_negative(kg):
    s = row(kg, "s3-083")
    assert s.qualifiers["condition"] == "removal of cIAP1/2 alone (SM-122 and SM-146)"
    assert s.citations == ("J. Lu, et al., 2008",)
    assert row(kg, "s3-084").effect == "down"
    assert row(kg, "s3-088").qualifiers["condition"] == "monotherapy"
    assert row(kg, "s3-088").contexts == ("glioblastoma", "mouse")
    assert "hedged" in reading(row(kg, "s3-087"))


def test_group_members_of_mesenchymal_markers(kg):
    members = {s.object for s in kg.find("mesenchymal markers", "has_member")}
    assert members == {"CDH2", "VIM", "FN1", "SNAI2"}
