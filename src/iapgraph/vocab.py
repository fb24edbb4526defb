"""The vocabulary, defined once: entity kinds, relations with their ontology mappings, mechanisms,
review sections, statement qualifiers and identifier prefixes. Every other module imports it.

Adding a relation, kind, mechanism or qualifier is a one-line change here; the RDF vocabulary
(``iapgraph build`` writes ``vocab.ttl``) and the validator follow from these tables.

>>> RELATIONS["ubiquitinates"].ro
'RO:0002480'
"""

from __future__ import annotations

import re
from typing import NamedTuple

BASE = "https://w3id.org/iapgraph/"
VOCAB_NS = BASE + "vocab#"
ENTITY_NS = BASE + "entity/"
STATEMENT_NS = BASE + "statement/"
ASSERTION_NS = BASE + "assertion/"

#: The project's own CURIE prefixes, as rdf.py binds them; JSON-LD, KGX and SHACL reports use them.
NAMESPACES = {"iap": VOCAB_NS, "entity": ENTITY_NS, "stmt": STATEMENT_NS, "assertion": ASSERTION_NS}

#: The standard vocabularies' prefixes, written once: SPARQL queries may use them undeclared,
#: the RDF builder binds them, JSON-LD's @context declares them.
STANDARD_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "biolink": "https://w3id.org/biolink/vocab/",
    "obo": "http://purl.obolibrary.org/obo/",
}

#: Values that join several items in one TSV cell (aliases, xrefs, domains, contexts, citations).
MULTI_SEP = "|"

#: A statement the review makes on its own authority, with no cited study.
REVIEW_CITATION = "review"

#: A link the review needs but does not state (a drug's class), added by a curator and flagged as
#: such; listed in graph/open_questions/. Queries can leave these out.
CURATOR_CITATION = "curator"

EFFECTS = ("up", "down", "unknown")


#: The vocabulary's records (Kind, Relation, Qualifier, Prefix) are named tuples: immutable, equal
#: and hashed by value like frozen dataclasses, and ~2 ms less for every command to import.
class Kind(NamedTuple):
    """An entity kind: its RDF class name and its Biolink category."""

    name: str
    rdf_class: str
    biolink: str
    description: str


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("protein", "Protein", "biolink:Protein", "a human protein or its gene"),
        Kind("protein_form", "ProteinForm", "biolink:Protein",
             "an isoform, cleavage product, fusion or modified form of a protein"),
        Kind("protein_family", "ProteinFamily", "biolink:ProteinFamily",
             "a family or group of proteins named as one (the IAPs, caspases, BCL2 family)"),
        Kind("domain", "Domain", "biolink:ProteinDomain",
             "a domain of one protein (XIAP BIR3), linked to it by has_domain"),
        Kind("domain_type", "DomainType", "biolink:ProteinDomain",
             "a domain type shared by many proteins (the BIR domain)"),
        Kind("motif", "Motif", "biolink:NamedThing", "a sequence motif (AVPI, IBM)"),
        Kind("complex", "Complex", "biolink:MacromolecularComplex",
             "a protein complex (Complex-I, LUBAC, the CPC)"),
        Kind("mirna", "MiRNA", "biolink:MicroRNA", "a microRNA"),
        Kind("genomic_region", "GenomicRegion", "biolink:NamedThing",
             "a chromosomal region or aberration (11q21-q23, 17q gain)"),
        Kind("drug", "Drug", "biolink:Drug", "a named drug or investigational agent"),
        Kind("drug_class", "DrugClass", "biolink:ChemicalEntity",
             "a class of agents (SMAC mimetics, bivalent SMAC mimetics)"),
        Kind("chemical", "Chemical", "biolink:SmallMolecule",
             "a small molecule that is not a drug here (dATP, glucose)"),
        Kind("therapy", "Therapy", "biolink:Treatment", "a treatment modality (radiotherapy, vaccines)"),
        Kind("biological_process", "BiologicalProcess", "biolink:BiologicalProcess",
             "a process (apoptosis, autophagy, EMT, cell migration)"),
        Kind("pathway", "Pathway", "biolink:Pathway", "a signaling pathway (canonical NF-kB)"),
        Kind("hallmark", "Hallmark", "biolink:BiologicalProcess",
             "a hallmark of cancer (Hanahan & Weinberg, 2011)"),
        Kind("cancer_type", "CancerType", "biolink:Disease", "a cancer type"),
        Kind("disease", "Disease", "biolink:Disease", "a disease that is not a cancer (SMA)"),
        Kind("cell_type", "CellType", "biolink:Cell", "a cell type or cell population"),
        Kind("organism", "Organism", "biolink:OrganismTaxon", "an organism or virus"),
        Kind("clinical_trial", "ClinicalTrial", "biolink:NamedThing",
             "a clinical trial, identified by its NCT and/or EudraCT number"),
        Kind("phenotype", "Phenotype", "biolink:PhenotypicFeature",
             "a measurable outcome or state (hypoxia, drug resistance, microvessel density)"),
        Kind("cellular_component", "CellularComponent", "biolink:CellularComponent",
             "a cellular location or structure (ECM, actin cytoskeleton, mitochondrial network)"),
        Kind("tissue", "Tissue", "biolink:AnatomicalEntity",
             "a tissue or organ (testis, the endothelium of normal skin)"),
        Kind("molecular_entity", "MolecularEntity", "biolink:MolecularEntity",
             "a class of molecules of mixed chemical nature (PAMPs, DAMPs)"),
        Kind("experimental_model", "ExperimentalModel", "biolink:PhysicalEntity",
             "an experimental system a finding was made in, named only as a setting (cell lines, "
             "in vitro, in vivo, xenograft models); not a cell type or a species"),
    ]
}


class Relation(NamedTuple):
    """A statement relation. ``default_effect`` is the sign a statement takes when it gives none;
    ``structural`` relations (has_domain, part_of ...) describe what a thing is, not what it does."""

    name: str
    label: str
    default_effect: str
    ro: str | None
    biolink: str
    psimi: str | None
    description: str
    structural: bool = False


_R = Relation
RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in [
        # molecular events
        _R("ubiquitinates", "ubiquitinates", "unknown", "RO:0002480", "biolink:affects", "MI:0220",
           "attaches ubiquitin to the object (E3 ligase or E2 activity)"),
        _R("deubiquitinates", "deubiquitinates", "unknown", None, "biolink:affects", "MI:0204",
           "removes ubiquitin from the object"),
        _R("phosphorylates", "phosphorylates", "unknown", "RO:0002447", "biolink:affects", "MI:0217",
           "adds phosphate to the object"),
        _R("cleaves", "cleaves", "down", None, "biolink:affects", "MI:0194",
           "proteolytically cleaves the object"),
        _R("degrades", "degrades", "down", None, "biolink:affects", None,
           "causes the object's degradation (proteasomal, autophagic ...)"),
        _R("stabilizes", "stabilizes", "up", None, "biolink:affects", None,
           "increases the object's protein stability"),
        _R("binds", "binds", "unknown", "RO:0002436", "biolink:directly_physically_interacts_with",
           "MI:0407", "physically binds the object"),
        _R("recruits", "recruits", "up", None, "biolink:physically_interacts_with", None,
           "brings the object into a complex or location"),
        # regulation
        _R("inhibits", "inhibits", "down", "RO:0002212", "biolink:affects", None,
           "reduces the object's activity or process"),
        _R("activates", "activates", "up", "RO:0002213", "biolink:affects", None,
           "increases the object's activity or process"),
        _R("regulates", "regulates", "unknown", "RO:0002211", "biolink:affects", None,
           "affects the object, sign given by effect"),
        _R("upregulates", "upregulates", "up", "RO:0002213", "biolink:affects", None,
           "increases the object's level or expression"),
        _R("downregulates", "downregulates", "down", "RO:0002212", "biolink:affects", None,
           "decreases the object's level or expression"),
        _R("targets", "targets", "down", None, "biolink:affects", None,
           "acts on the object as its target (a miRNA on its mRNA, a drug on its protein)"),
        _R("promotes", "promotes", "up", "RO:0002213", "biolink:affects", None,
           "promotes a process or phenotype"),
        _R("suppresses", "suppresses", "down", "RO:0002212", "biolink:affects", None,
           "suppresses a process or phenotype"),
        _R("induces", "induces", "up", "RO:0002213", "biolink:affects", None,
           "induces a process, phenotype or expression"),
        _R("sensitizes_to", "sensitizes to", "up", None, "biolink:affects", None,
           "makes cells more sensitive to the object (a drug, a death signal)"),
        _R("confers_resistance_to", "confers resistance to", "down", None, "biolink:affects", None,
           "makes cells resistant to the object"),
        _R("synergizes_with", "synergizes with", "up", None, "biolink:related_to", None,
           "combined with the object, acts more than additively"),
        _R("depends_on", "depends on", "unknown", None, "biolink:related_to", None,
           "the subject's effect (an anti-tumour effect, a synergy) depends on the object"),
        _R("contributes_to", "contributes to", "up", None, "biolink:contributes_to", None,
           "an entity's role in a hallmark of cancer or disease"),
        # association and prognosis
        _R("correlates_with", "correlates with", "unknown", "RO:0002610", "biolink:correlated_with",
           None, "levels correlate with the object (sign in effect)"),
        _R("associated_with", "associated with", "unknown", None, "biolink:associated_with", None,
           "associated with the object, not further specified"),
        _R("prognostic_for", "prognostic for", "unknown", None, "biolink:biomarker_for", None,
           "expression is prognostic in a cancer type (qualifiers give the finding)"),
        _R("expressed_in", "expressed in", "unknown", None, "biolink:expressed_in", None,
           "expressed in a cell type, tissue or cancer"),
        _R("amplified_in", "amplified in", "up", None, "biolink:associated_with", None,
           "a gene or region amplified in a cancer type"),
        _R("predicted_by", "predicted by", "unknown", None, "biolink:related_to", None,
           "response to the subject is predicted by the object (a biomarker)"),
        _R("biomarker_tested", "biomarker tested", "unknown", None, "biolink:related_to", None,
           "the object was tested as a biomarker of response to the subject"),
        # drugs and trials
        _R("mimics", "mimics", "unknown", None, "biolink:related_to", None,
           "a drug that mimics the object (SMAC mimetics mimic SMAC's AVPI)"),
        _R("antagonizes", "antagonizes", "down", "RO:0002212", "biolink:affects", None,
           "an antagonist of the object"),
        _R("tests", "tests", "unknown", None, "biolink:related_to", None,
           "a clinical trial tests the object (an agent)"),
        _R("studies_condition", "studies condition", "unknown", None, "biolink:related_to", None,
           "a clinical trial enrols patients with the object"),
        _R("combined_with", "combined with", "unknown", None, "biolink:related_to", None,
           "a trial or study combines its agent with the object"),
        _R("treats", "treats", "down", "RO:0002606", "biolink:treats", None,
           "a treatment with effect on the object"),
        # structure and classification
        _R("has_domain", "has domain", "unknown", "BFO:0000051", "biolink:has_part", None,
           "a protein has the object as one of its domains", structural=True),
        _R("part_of", "part of", "unknown", "BFO:0000050", "biolink:part_of", None,
           "the subject is a component of the object (complex, pathway)", structural=True),
        _R("has_member", "has member", "unknown", None, "biolink:has_member", None,
           "a family or class has the object as member", structural=True),
        _R("is_a", "is a", "unknown", None, "biolink:subclass_of", None,
           "the subject is a kind of the object", structural=True),
        _R("instance_of", "instance of", "unknown", None, "biolink:subclass_of", None,
           "a domain of one protein is an instance of a domain type", structural=True),
        _R("form_of", "form of", "unknown", None, "biolink:related_to", None,
           "an isoform, cleavage product or fusion of the object", structural=True),
        _R("counterpart_of", "counterpart of", "unknown", None, "biolink:homologous_to", None,
           "a functional counterpart in another organism", structural=True),
        _R("homologous_to", "homologous to", "unknown", None, "biolink:homologous_to", None,
           "sequence homology", structural=True),
        _R("encodes", "encodes", "unknown", None, "biolink:related_to", None,
           "a gene or region encodes or harbours the object", structural=True),
        _R("processed_to", "processed to", "unknown", None, "biolink:related_to", None,
           "a precursor processed into the object (p100 to p52)", structural=True),
        _R("localizes_to", "localizes to", "unknown", None, "biolink:located_in", None,
           "found in a cellular location or structure"),
        _R("released_from", "released from", "unknown", None, "biolink:related_to", None,
           "released from a compartment or complex"),
    ]
}

#: How a statement works, when the text says so. ``destabilization`` is the subject lowering the
#: object's stability (silencing it stabilises the object); ``relocalization`` a move between
#: compartments (NF-kB translocates to the nucleus, XIAP is recruited to focal adhesions);
#: ``release`` a protein let go by a compartment or complex (SMAC from mitochondria, p21 from CDK4).
MECHANISMS = (
    "ubiquitination", "deubiquitination", "phosphorylation", "autophosphorylation", "cleavage",
    "binding", "complex_formation", "recruitment", "proteasomal_degradation", "autophagic_degradation",
    "degradation", "stabilization", "destabilization", "transcriptional_regulation", "post_transcriptional_regulation",
    "expression", "localization", "catalytic_inhibition", "signaling", "genetic_amplification",
    "gene_fusion", "correlation", "processing", "sensitization", "immune_response",
    "relocalization", "release",
)

#: Review sections, as a statement's section column writes them.
SECTIONS = (
    "Abstract", "1", "1.1", "1.2", "1.3", "1.4", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
    "2.7", "3", "3.2", "4", "Table 1", "Table 2",
)


class Qualifier(NamedTuple):
    """A typed key a statement may carry in its qualifiers column."""

    name: str
    datatype: str  # "string", "integer", "decimal"
    description: str


QUALIFIERS: dict[str, Qualifier] = {
    q.name: q
    for q in [
        Qualifier("ub_chain", "string", "ubiquitin chain linkage: K48, K63, linear"),
        Qualifier("localization", "string", "where the subject acts or is measured: nuclear, cytoplasmic"),
        Qualifier("condition", "string", "experimental condition in the review's words (hypoxia, TNFa stimulation)"),
        Qualifier("model", "string", "experimental model (cell lines, xenograft, mouse model, zebrafish)"),
        Qualifier("biospecimen", "string", "Table 1: biospecimen analysed"),
        Qualifier("patients", "integer", "number of patients"),
        Qualifier("expression", "string", "expression level: high, low"),
        Qualifier("molecule", "string", "what was measured: mRNA, protein, protein/mRNA"),
        Qualifier("prognosis", "string", "the prognosis or comment as printed"),
        Qualifier("outcome", "string", "direction of the finding: poor, better, none"),
        Qualifier("hazard_ratio", "decimal", "hazard ratio"),
        Qualifier("ci_low", "decimal", "95% confidence interval, lower bound"),
        Qualifier("ci_high", "decimal", "95% confidence interval, upper bound"),
        Qualifier("p_value", "decimal", "p value"),
        Qualifier("endpoint", "string", "survival endpoint: OS, RFS, PFS, DFS"),
        Qualifier("months_low", "decimal", "survival in months, low-expression group"),
        Qualifier("months_high", "decimal", "survival in months, high-expression group"),
        Qualifier("potency", "string", "potency as stated (1 nM; 23 times the natural peptide)"),
        Qualifier("fold_potency", "decimal", "fold potency against a reference"),
        Qualifier("concentration_nM", "decimal", "concentration in nM"),
        Qualifier("median_survival_days", "decimal", "median survival in days"),
        Qualifier("enrolled", "integer", "number enrolled"),
        Qualifier("start", "string", "study start as printed (Oct-13)"),
        Qualifier("completion", "string", "study completion as printed"),
        Qualifier("status", "string", "trial status as printed"),
        Qualifier("conclusions", "string", "conclusions or findings as printed"),
        Qualifier("predictive", "string", "whether a biomarker predicted response: yes, no"),
        Qualifier("drug_class", "string", "monovalent, bivalent, non-peptidomimetic"),
        Qualifier("route", "string", "route of administration: oral"),
        Qualifier("co_perturbed", "string",
                  "entity id(s) perturbed together with the subject in the same experiment, '+'-joined "
                  "(XIAP and Survivin silenced together): the finding is the joint effect"),
        Qualifier("regimen", "string", "trial: monotherapy, combination or multi-arm, as the table prints it"),
        Qualifier("arm", "string", "trial: the arm a combined agent belongs to, as printed (Carboplatin/Paclitaxel)"),
        Qualifier("comparator", "string", "trial: the comparator arm as printed (placebo)"),
        Qualifier("reading", "string", "the curator's reading of loose wording (cIAP = cIAP1 and cIAP2)"),
    ]
}

#: Entity attributes (the entities' attributes column) use the same typed-key scheme.
ENTITY_ATTRIBUTES: dict[str, Qualifier] = {
    q.name: q
    for q in [
        Qualifier("enrolled", "integer", "trial: number enrolled"),
        Qualifier("start", "string", "trial: study start as printed"),
        Qualifier("completion", "string", "trial: study completion as printed"),
        Qualifier("status", "string", "trial: status as printed"),
        Qualifier("conclusions", "string", "trial: conclusions or findings as printed"),
        Qualifier("phase", "string", "trial: phase"),
        Qualifier("drug_class", "string", "drug: monovalent, bivalent, non-peptidomimetic"),
        Qualifier("route", "string", "drug: route of administration"),
        Qualifier("chromosome", "string", "gene or region: chromosomal location as the review gives it"),
        Qualifier("origin", "string",
                  "ontology: entity added from an ontology to connect the hierarchy, not named by the review"),
        Qualifier("grounding_note", "string",
                  "why an identifier's registry label matches none of the entity's names (checked by make check-ids)"),
    ]
}


#: Every identifier is written as one URL style, bioregistry.io's resolver, in RDF (skos:exactMatch),
#: JSON-LD, the KGX prefix map and the HTML links: ``https://bioregistry.io/hgnc:592``.
BIOREGISTRY = "https://bioregistry.io/"


class Prefix(NamedTuple):
    """An identifier registry: CURIE prefix, URI prefix and the local id pattern it accepts."""

    prefix: str
    uri_prefix: str
    pattern: str
    name: str


PREFIXES: dict[str, Prefix] = {
    p.prefix: p
    for p in [
        Prefix("hgnc", BIOREGISTRY + "hgnc:", r"^\d{1,5}$", "HGNC"),
        Prefix("uniprot", BIOREGISTRY + "uniprot:",
               r"^([OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2})$",
               "UniProtKB"),
        Prefix("ncbigene", BIOREGISTRY + "ncbigene:", r"^\d+$", "NCBI Gene"),
        Prefix("pfam", BIOREGISTRY + "pfam:", r"^PF\d{5}$", "Pfam"),
        Prefix("interpro", BIOREGISTRY + "interpro:", r"^IPR\d{6}$", "InterPro"),
        Prefix("mirbase", BIOREGISTRY + "mirbase:", r"^MI\d{7}$", "miRBase hairpin"),
        Prefix("mirbase.mature", BIOREGISTRY + "mirbase.mature:", r"^MIMAT\d{7}$", "miRBase mature"),
        Prefix("chebi", BIOREGISTRY + "chebi:", r"^\d+$", "ChEBI"),
        Prefix("pubchem.compound", BIOREGISTRY + "pubchem.compound:", r"^\d+$",
               "PubChem Compound"),
        Prefix("clinicaltrials", BIOREGISTRY + "clinicaltrials:", r"^NCT\d{8}$", "ClinicalTrials.gov"),
        Prefix("euclinicaltrials", BIOREGISTRY + "euclinicaltrials:",
               r"^\d{4}-\d{6}-\d{2}$", "EU Clinical Trials Register (EudraCT)"),
        Prefix("go", BIOREGISTRY + "go:", r"^\d{7}$", "Gene Ontology"),
        Prefix("mondo", BIOREGISTRY + "mondo:", r"^\d{7}$", "MONDO"),
        Prefix("doid", BIOREGISTRY + "doid:", r"^\d+$", "Disease Ontology"),
        Prefix("ncbitaxon", BIOREGISTRY + "ncbitaxon:", r"^\d+$", "NCBI Taxonomy"),
        Prefix("cl", BIOREGISTRY + "cl:", r"^\d{7}$", "Cell Ontology"),
        Prefix("complexportal", BIOREGISTRY + "complexportal:", r"^CPX-\d+$",
               "Complex Portal"),
        Prefix("mesh", BIOREGISTRY + "mesh:", r"^[CDQ]\d+$", "MeSH"),
        Prefix("drugbank", BIOREGISTRY + "drugbank:", r"^DB\d{5}$", "DrugBank"),
        Prefix("chembl.compound", BIOREGISTRY + "chembl.compound:", r"^CHEMBL\d+$", "ChEMBL compound"),
        Prefix("ncit", BIOREGISTRY + "ncit:", r"^[CRP]\d+$", "NCI Thesaurus"),
        Prefix("efo", BIOREGISTRY + "efo:", r"^\d{7}$", "Experimental Factor Ontology"),
        Prefix("uberon", BIOREGISTRY + "uberon:", r"^\d{7,8}$", "Uberon anatomy"),
        Prefix("fplx", BIOREGISTRY + "fplx:", r"^[A-Za-z0-9][A-Za-z0-9_]*$", "FamPlex"),
        Prefix("lspci", BIOREGISTRY + "lspci:", r"^\d+$",
               "Laboratory of Systems Pharmacology compound (HMS LINCS Small Molecule Suite)"),
    ]
}

#: Entity ids: letters, digits and . _ - + ; starting with a letter or digit.
ENTITY_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+\-]*$")
STATEMENT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
QUALIFIER_KEY_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]*$")

#: Relations a path search walks only when asked: they join through hubs.
HUB_KINDS = ("hallmark", "biological_process", "protein_family", "drug_class", "cancer_type",
             "cell_type", "domain_type", "organism", "phenotype", "cellular_component",
             "experimental_model")
