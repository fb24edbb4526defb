"""A small graph folder for the viz tests (made-up test data, not curated biology), and the
independent rules the tests use to say how many nodes and edges a view must have."""

from __future__ import annotations

from pathlib import Path

from iapgraph import vocab

SCRIPT_PROBE = "<script>window.__xss=1</script>"
IMG_PROBE = '<img src=x onerror="window.__xss=1">'
PROBE_LABEL = f"probe {SCRIPT_PROBE} {IMG_PROBE}"
PROBE_QUOTE = f"Test quote with {SCRIPT_PROBE} and {IMG_PROBE} inside it"

ENTITIES = [
    ("XIAP", "protein", "XIAP", "XIAP", "BIRC4", "hgnc:592|uniprot:P98170"),
    ("XIAP.BIR3", "domain", "XIAP BIR3", "", "", ""),
    ("BIR", "domain_type", "BIR domain", "", "", ""),
    ("BIRC2", "protein", "cIAP1", "BIRC2", "c-IAP1", "hgnc:590"),
    ("CASP9", "protein", "caspase-9", "CASP9", "", ""),
    ("CASP3", "protein", "caspase-3", "CASP3", "", ""),
    ("DIABLO", "protein", "SMAC", "DIABLO", "", ""),
    ("MAP3K14", "protein", "NIK", "MAP3K14", "", ""),
    ("smac_mimetics", "drug_class", "SMAC mimetics", "", "", ""),
    ("apoptosis", "biological_process", "apoptosis", "", "", ""),
    ("hallmark_resisting_cell_death", "hallmark", "Resisting cell death", "", "", ""),
    ("IAP_family", "protein_family", "IAPs", "", "", ""),
    ("xss_probe", "chemical", PROBE_LABEL, "", SCRIPT_PROBE, ""),
]

# id, subject, relation, object, effect, mechanism, domain, negated, qualifiers, evidence
STATEMENTS = [
    ("m-001", "XIAP", "inhibits", "CASP9", "down", "catalytic_inhibition", "XIAP.BIR3", "", "",
     "Test quote one: XIAP inhibits caspase-9"),
    ("m-002", "XIAP", "has_domain", "XIAP.BIR3", "", "", "", "", "", "Test quote two: XIAP has BIR3"),
    ("m-003", "XIAP.BIR3", "binds", "CASP9", "unknown", "binding", "", "", "",
     "Test quote three: BIR3 binds caspase-9"),
    ("m-004", "DIABLO", "binds", "XIAP.BIR3", "down", "binding", "", "", "",
     "Test quote four: SMAC binds BIR3"),
    ("m-005", "XIAP.BIR3", "instance_of", "BIR", "", "", "", "", "", "Test quote five: BIR3 is a BIR"),
    ("m-006", "BIRC2", "ubiquitinates", "MAP3K14", "down", "ubiquitination", "", "", "ub_chain=K48",
     "Test quote six: cIAP1 ubiquitinates NIK"),
    ("m-007", "BIRC2", "inhibits", "CASP3", "down", "", "", "true", "",
     "Test quote seven: cIAP1 does not inhibit caspase-3"),
    ("m-008", "smac_mimetics", "antagonizes", "XIAP", "down", "", "", "", "",
     "Test quote eight: mimetics antagonize XIAP"),
    ("m-009", "smac_mimetics", "antagonizes", "BIRC2", "down", "", "", "", "",
     "Test quote nine: mimetics antagonize cIAP1"),
    ("m-010", "CASP3", "promotes", "apoptosis", "up", "", "", "", "",
     "Test quote ten: caspase-3 promotes apoptosis"),
    ("m-011", "CASP9", "activates", "CASP3", "up", "cleavage", "", "", "",
     "Test quote eleven: caspase-9 activates caspase-3"),
    ("m-012", "XIAP", "contributes_to", "hallmark_resisting_cell_death", "up", "", "", "", "",
     "Test quote twelve: XIAP in resisting cell death"),
    ("m-013", "IAP_family", "has_member", "XIAP", "", "", "", "", "", "Test quote thirteen: XIAP is an IAP"),
    ("m-014", "xss_probe", "binds", "XIAP", "unknown", "binding", "", "", "", PROBE_QUOTE),
]


# more statements for the assertion tests: two more that say "XIAP inhibits caspase-9" (one through
# its BIR3, one hedged), and two different loops of cIAP1 on itself
EXTRA_STATEMENTS = [
    ("m-101", "XIAP", "inhibits", "CASP9", "down", "", "", "", "reading=hedged: test reading",
     "Test quote 101: XIAP again inhibits caspase-9"),
    ("m-102", "XIAP.BIR3", "inhibits", "CASP9", "down", "", "", "", "",
     "Test quote 102: BIR3 inhibits caspase-9"),
    ("m-103", "BIRC2", "ubiquitinates", "BIRC2", "down", "ubiquitination", "", "", "",
     "Test quote 103: cIAP1 ubiquitinates itself"),
    ("m-104", "BIRC2", "inhibits", "BIRC2", "down", "", "", "", "", "Test quote 104: cIAP1 inhibits itself"),
]


def write_mini_graph(folder: Path, extra: bool = False) -> Path:
    """Write the small graph as graph/entities.tsv and graph/statements.tsv (with ``extra``, the
    EXTRA_STATEMENTS too); return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    head = "id\tkind\tlabel\tsymbol\taliases\txrefs\tattributes\tdescription"
    rows = [head] + ["\t".join([*e, "", "test entity"]) for e in ENTITIES]
    (folder / "entities.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    head = ("id\tsubject\trelation\tobject\teffect\tmechanism\tdomain\tcontext\tnegated\tsection\t"
            "citation\tevidence\tqualifiers\tnote")
    rows = [head]
    for sid, subj, rel, obj, effect, mech, dom, neg, qual, quote in STATEMENTS + (EXTRA_STATEMENTS if extra else []):
        rows.append("\t".join([sid, subj, rel, obj, effect, mech, dom, "", neg, "2.1",
                               "Test, et al., 2000", quote, qual, ""]))
    (folder / "statements.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def folded_counts(kg) -> tuple[int, int]:
    """(nodes, edges) of the default full view, by the rule written out plainly: a domain owned
    through has_domain is not a node; structural statements touching such a domain are not edges."""
    entities = kg.dataset.entities
    owned = {s.object for s in kg.statements
             if s.relation == "has_domain" and not s.negated and entities[s.object].kind == "domain"}
    nodes = [e for e in entities if e not in owned]
    edges = [s for s in kg.statements
             if not (vocab.RELATIONS[s.relation].structural and (s.subject in owned or s.object in owned))]
    return len(nodes), len(edges)


def _owners(kg) -> dict[str, str]:
    entities = kg.dataset.entities
    return {s.object: s.subject for s in kg.statements
            if s.relation == "has_domain" and not s.negated and entities[s.object].kind == "domain"}


def assertion_keys(kg) -> list[tuple]:
    """The (from, to, relation, effect, negated) of every statement of the default full view, one
    per statement: the set of them is what the page must draw, one edge each."""
    owner = _owners(kg)
    kept = [s for s in kg.statements
            if not (vocab.RELATIONS[s.relation].structural and (s.subject in owner or s.object in owner))]
    return [(owner.get(s.subject, s.subject), owner.get(s.object, s.object), s.relation, s.effect,
             s.negated) for s in kept]


def focus_counts(kg, name: str) -> tuple[set[str], set[str]]:
    """Node ids and statement ids of the depth-1 neighbourhood of ``name`` (domains folded): the
    nodes one statement away, and the statements that join them to ``name`` (not those among
    the neighbours)."""
    entities = kg.dataset.entities
    owner = {s.object: s.subject for s in kg.statements
             if s.relation == "has_domain" and not s.negated and entities[s.object].kind == "domain"}
    centre = kg.resolve(name)
    kept = [s for s in kg.statements
            if not (vocab.RELATIONS[s.relation].structural and (s.subject in owner or s.object in owner))]
    ends = {s.id: (owner.get(s.subject, s.subject), owner.get(s.object, s.object)) for s in kept}
    nodes = {centre} | {b for a, b in ends.values() if a == centre} | {a for a, b in ends.values() if b == centre}
    edges = {sid for sid, (a, b) in ends.items() if centre in (a, b)}
    return nodes, edges
