"""BEL 2.x script: the curated statements as Biological Expression Language, with their evidence.

Each statement is one BEL statement under its own ``SET Citation`` (the studies the review cites,
as printed, of type "Other": the review gives no PubMed ids) and ``SET Evidence`` (the verbatim
quote), with annotations for the statement id, section, curated relation, mechanism, domain and the
context it holds in (cancer type, cell type, species, tissue, location). Every namespace and
annotation is defined in the script itself (``AS PATTERN`` / ``AS LIST``), so a parser such as
PyBEL reads it offline without fetching a terminology.

Terms follow the entity kinds: proteins ``p()`` (``HGNC`` symbol when the gene has an HGNC id),
complexes ``complex()``, miRNAs ``m()``,
regions ``g()``, drugs and chemicals ``a()``, processes, pathways and hallmarks ``bp()``, cancers and
phenotypes ``path()``; a term is grounded in a registry the entity has an id of (:data:`GROUNDING`:
``a(CHEBI:"15422" ! "ATP")``, ``bp(GO:"0006915" ! "apoptosis")``, ``path(MONDO:...)``), else named
by its entity id in the project's ``IAP`` namespace. Ubiquitination and phosphorylation are ``directlyIncreases`` of the
modified protein (``p(HGNC:"MAP3K14", pmod(UbK48))``), binding is ``binds``. BEL cannot say "does
not": the statements the review negates are listed as comments and in the notes, not asserted;
statements with no BEL relation (prognosis, trials, structure other than membership) likewise.

>>> term_function("mirna")
'm'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .. import vocab
from .._version import __version__
from ..model import Dataset, Entity, Statement
from ..outputs import write_text

#: Entity kind -> BEL function; kinds missing here are no BEL term (cell types, trials ...).
FUNCTIONS = {
    "protein": "p", "protein_form": "p", "protein_family": "p", "domain": "p", "domain_type": "p",
    "motif": "p", "complex": "complex", "mirna": "m", "genomic_region": "g", "drug": "a",
    "drug_class": "a", "chemical": "a", "molecular_entity": "a", "therapy": "a",
    "biological_process": "bp", "pathway": "bp", "hallmark": "bp", "cancer_type": "path",
    "disease": "path", "phenotype": "path",
}
#: Relation -> BEL relation, for relations whose meaning fixes it.
RELATIONS = {
    "inhibits": "decreases", "suppresses": "decreases", "downregulates": "decreases",
    "degrades": "decreases", "antagonizes": "decreases", "treats": "decreases",
    "activates": "increases", "promotes": "increases", "induces": "increases",
    "upregulates": "increases", "stabilizes": "increases", "contributes_to": "increases",
    "binds": "binds", "recruits": "binds", "associated_with": "association",
    "prognostic_for": "prognosticBiomarkerFor", "part_of": "partOf", "is_a": "isA",
}
#: Relations whose sign is the effect: up, down, unknown.
SIGNED = {
    "regulates": ("increases", "decreases", "regulates"),
    "cleaves": ("increases", "decreases", None),
    "targets": ("increases", "decreases", None),
    "correlates_with": ("positiveCorrelation", "negativeCorrelation", "correlation"),
}
#: Post-translational modifications: relation -> (BEL relation, pmod name).
MODIFICATIONS = {"ubiquitinates": ("directlyIncreases", "Ub"), "deubiquitinates": ("directlyDecreases", "Ub"),
                 "phosphorylates": ("directlyIncreases", "Ph")}
#: ``ub_chain`` qualifier -> PyBEL's pmod names for linkage-specific ubiquitination.
UB_CHAINS = {"K48": "UbK48", "K63": "UbK63"}
#: Mechanisms of direct contact: increases/decreases become directlyIncreases/directlyDecreases.
DIRECT_MECHANISMS = frozenset({"binding", "complex_formation", "catalytic_inhibition", "cleavage",
                               "ubiquitination", "deubiquitination", "phosphorylation", "recruitment"})
_DIRECT = {"increases": "directlyIncreases", "decreases": "directlyDecreases"}
#: Context entity kind -> annotation.
CONTEXT_ANNOTATIONS = {"cancer_type": "CancerType", "disease": "Disease", "cell_type": "CellType",
                       "organism": "Species", "tissue": "Tissue", "cellular_component": "Location",
                       "phenotype": "Phenotype", "experimental_model": "ExperimentalModel"}
OWN_NAMESPACE = "IAP"
#: BEL function -> the identifier registries that ground its terms, in order of preference: an
#: entity with one of these xrefs is written ``a(CHEBI:"15422" ! "ATP")``; else by its entity id in
#: the project's own namespace. Proteins with an HGNC id are written by their symbol (``HGNC:"XIAP"``).
GROUNDING = {
    "a": ("chebi", "mesh", "drugbank", "pubchem.compound", "chembl.compound", "lspci"),
    "bp": ("go", "mesh"),
    "path": ("mondo", "doid", "mesh", "efo", "ncit"),
    "complex": ("go", "complexportal", "fplx"),
    "p": ("fplx",),
    "m": ("mirbase",),
}


def term_function(kind: str) -> str | None:
    """The BEL function of an entity kind (None: no BEL term)."""
    return FUNCTIONS.get(kind)


def _quote(text: str) -> str:
    """A BEL string. A '"' in a quote is written '\\"' (BEL's escape; PyBEL keeps the backslash)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def namespace_of(prefix: str) -> str:
    """The BEL namespace keyword of a CURIE prefix (``pubchem.compound`` -> ``PUBCHEM_COMPOUND``)."""
    return prefix.upper().replace(".", "_")


def grounding(entity: Entity, function: str) -> tuple[str, str] | None:
    """(CURIE prefix, local id) of the registry that grounds the entity's BEL term, if any."""
    xrefs = [x.partition(":") for x in entity.xrefs]
    for prefix in GROUNDING.get(function, ()):
        for p, _, local in xrefs:
            if p == prefix:
                return prefix, local
    return None


def term(entity: Entity, pmod: str | None = None) -> str | None:
    """A BEL term for the entity, or None for a kind BEL has no function for."""
    function = term_function(entity.kind)
    if function is None:
        return None
    hgnc = entity.symbol and any(x.startswith("hgnc:") for x in entity.xrefs)
    grounded = grounding(entity, function)
    if hgnc and function == "p":
        name = f"HGNC:{_quote(entity.symbol)}"
    elif grounded:
        name = f"{namespace_of(grounded[0])}:{_quote(grounded[1])} ! {_quote(entity.label)}"
    else:
        name = f"{OWN_NAMESPACE}:{_quote(entity.id)}"
    return f"{function}({name}, pmod({pmod}))" if pmod else f"{function}({name})"


def _namespaces(entities: Mapping[str, Entity]) -> list[str]:
    """DEFINE NAMESPACE lines for every registry a term uses, with the registry's id pattern."""
    used = set()
    for e in entities.values():
        function = term_function(e.kind)
        grounded = grounding(e, function) if function else None
        if grounded and not (function == "p" and e.symbol and any(x.startswith("hgnc:") for x in e.xrefs)):
            used.add(grounded[0])
    lines = []
    for prefix in sorted(used):
        known = vocab.PREFIXES.get(prefix)
        pattern = known.pattern.removeprefix("^").removesuffix("$") if known else ".+"
        lines.append(f'DEFINE NAMESPACE {namespace_of(prefix)} AS PATTERN "{pattern}"')  # a regex: as is
    return lines


def relation_of(s: Statement) -> str | None:
    """The BEL relation of a statement (before its terms are known), or None."""
    if s.relation in MODIFICATIONS:
        return MODIFICATIONS[s.relation][0]
    if s.relation in SIGNED:
        up, down, unknown = SIGNED[s.relation]
        relation = {"up": up, "down": down}.get(s.effect, unknown)
    else:
        relation = RELATIONS.get(s.relation)
    if relation in _DIRECT and s.mechanism in DIRECT_MECHANISMS:
        relation = _DIRECT[relation]
    return relation


def bel_statement(s: Statement, entities: Mapping[str, Entity]) -> str | None:
    """``subject relation object`` in BEL, or None when BEL cannot say it."""
    relation = relation_of(s)
    if relation is None:
        return None
    pmod = None
    if s.relation in MODIFICATIONS:
        pmod = MODIFICATIONS[s.relation][1]
        if pmod == "Ub":
            pmod = UB_CHAINS.get(s.qualifiers.get("ub_chain", ""), pmod)
    subject, obj = term(entities[s.subject]), term(entities[s.object], pmod)
    if subject is None or obj is None:
        return None
    if pmod and not obj.startswith("p("):
        return None
    return f"{subject} {relation} {obj}"


def _annotations(s: Statement, entities: Mapping[str, Entity]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {"Statement": [s.id], "Relation": [s.relation]}
    if s.section:
        values["Section"] = [s.section]
    if s.mechanism:
        values["Mechanism"] = [s.mechanism]
    if s.domains:
        values["Domain"] = [entities[d].label for d in s.domains]
    for cid in s.contexts:
        e = entities[cid]
        values.setdefault(CONTEXT_ANNOTATIONS.get(e.kind, "Context"), []).append(e.label)
    if s.qualifiers:
        values["Qualifier"] = [f"{k}={v}" for k, v in s.qualifiers.items()]
    return values


_PATTERN_ANNOTATIONS = ("Statement", "Qualifier")


def to_bel(dataset: Dataset) -> tuple[str, dict[str, int], list[Statement], list[Statement]]:
    """The BEL script, its counts, and the statements left out (negated; no BEL form)."""
    entities = dataset.entities
    blocks: list[str] = []
    negated: list[Statement] = []
    untyped: list[Statement] = []
    lists: dict[str, set[str]] = {}
    for s in dataset.statements:
        line = bel_statement(s, entities)
        if line is None:
            untyped.append(s)
            continue
        if s.negated:
            negated.append(s)
            continue
        annotations = _annotations(s, entities)
        for key, vals in annotations.items():
            if key not in _PATTERN_ANNOTATIONS:
                lists.setdefault(key, set()).update(vals)
        sets = [f"SET {key} = {_quote(vals[0])}" if len(vals) == 1 else
                f"SET {key} = {{{', '.join(_quote(v) for v in vals)}}}"
                for key, vals in annotations.items()]
        cited = s.citation or vocab.REVIEW_CITATION
        blocks.append("\n".join([f'SET Citation = {{"Other", {_quote(cited)}}}',
                                 f"SET Evidence = {_quote(s.evidence)}", *sets, line, ""]))
    header = [
        'SET DOCUMENT Name = "iapgraph"',
        f"SET DOCUMENT Version = {_quote(__version__)}",
        'SET DOCUMENT Description = "IAP signaling in cancer: the curated statements of one review, '
        'each with its quote and cited study"',
        'SET DOCUMENT Authors = "iapgraph curators"',
        f"SET DOCUMENT ContactInfo = {_quote(vocab.BASE)}",
        "",
        "# Namespaces and annotations are defined here, so the script parses offline.",
        'DEFINE NAMESPACE HGNC AS PATTERN "[A-Za-z0-9@._-]+"',
        f'DEFINE NAMESPACE {OWN_NAMESPACE} AS PATTERN "[A-Za-z0-9][A-Za-z0-9_.+-]*"',
        *_namespaces(entities),
        *(f'DEFINE ANNOTATION {key} AS PATTERN ".+"' for key in _PATTERN_ANNOTATIONS),
        *(f"DEFINE ANNOTATION {key} AS LIST {{{', '.join(_quote(v) for v in sorted(vals))}}}"
          for key, vals in sorted(lists.items())),
        "",
    ]
    if negated:
        header.append("# The review negates these; BEL cannot say \"does not\", so they are not asserted:")
        header += [f"#   {s.id}: {bel_statement(s, entities)}" for s in negated]
        header.append("")
    counts = {"statements": len(blocks), "negated": len(negated), "untyped": len(untyped)}
    return "\n".join(header + blocks), counts, negated, untyped


def write_bel(dataset: Dataset, output: Path) -> tuple[dict[str, int], list[str]]:
    """A BEL script (``pybel.from_bel_script`` reads it)."""
    text, counts, negated, untyped = to_bel(dataset)
    write_text(output, text)
    notes = []
    if negated:
        notes.append(f"{len(negated)} negated statement{'s' * (len(negated) != 1)} written as comments, "
                     f"not asserted (BEL cannot negate): {', '.join(s.id for s in negated)}")
    if untyped:
        by_relation: dict[str, list[str]] = {}
        for s in untyped:
            by_relation.setdefault(s.relation, []).append(s.id)
        notes.append(f"{len(untyped)} statement{'s' * (len(untyped) != 1)} with no BEL form left out "
                     "(a relation BEL lacks, or an end that is no BEL term: cell type, trial ...):")
        notes += [f"  {rel}: {len(ids)}: {', '.join(ids)}"
                  for rel, ids in sorted(by_relation.items(), key=lambda item: (-len(item[1]), item[0]))]
    return counts, notes
