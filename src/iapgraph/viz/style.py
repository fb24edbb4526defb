"""How the HTML view looks, defined once: node categories (colour, shape), relation groups (edge
colour), arrowheads by effect sign, and the legend built from them.

The categories are coarser than :data:`iapgraph.vocab.KINDS` on purpose: a reader tells ten colours
apart at a glance, not twenty-two. Every kind and every relation must map somewhere (a test checks).

>>> CATEGORIES[category_of_kind("drug_class")].label
'drug'
>>> ARROWS["down"]
'bar'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """A node category: the kinds it covers, its colour and vis-network shape."""

    key: str
    label: str
    color: str
    border: str
    shape: str
    kinds: tuple[str, ...]


#: HGNC gene group "Baculoviral IAP repeat containing" (BIRC): the eight human IAPs.
IAP_SYMBOLS = frozenset({"NAIP", "BIRC2", "BIRC3", "XIAP", "BIRC5", "BIRC6", "BIRC7", "BIRC8"})

#: Legend order. Shapes with the label outside scale with node size; only the seven hallmarks get a
#: box (label inside, always readable). Colour tells apart the categories that share a shape.
CATEGORIES: dict[str, Category] = {
    c.key: c
    for c in [
        Category("iap", "IAP", "#e53935", "#8e0000", "star", ()),
        Category("protein", "other protein", "#64b5f6", "#1565c0", "dot", ("protein", "protein_form")),
        Category("family", "protein family", "#bbdefb", "#1565c0", "dot", ("protein_family",)),
        Category("domain", "domain / motif", "#b39ddb", "#4527a0", "triangleDown",
                 ("domain", "domain_type", "motif")),
        Category("complex", "complex", "#a1887f", "#4e342e", "hexagon", ("complex",)),
        Category("drug", "drug", "#66bb6a", "#1b5e20", "triangle",
                 ("drug", "drug_class", "chemical", "therapy")),
        Category("mirna", "miRNA", "#f06292", "#880e4f", "hexagon", ("mirna",)),
        Category("process", "process / pathway", "#ffb74d", "#e65100", "square",
                 ("biological_process", "pathway", "phenotype")),
        Category("hallmark", "hallmark", "#fdd835", "#8d6e00", "box", ("hallmark",)),
        Category("cancer", "cancer type", "#4db6ac", "#00695c", "diamond", ("cancer_type", "disease")),
        Category("trial", "clinical trial", "#ba68c8", "#4a148c", "square", ("clinical_trial",)),
        Category("other", "other (cell, tissue, region ...)", "#e0e0e0", "#616161", "dot",
                 ("genomic_region", "cell_type", "organism", "cellular_component", "tissue",
                  "molecular_entity", "experimental_model")),
    ]
}

_KIND_TO_CATEGORY = {kind: c.key for c in CATEGORIES.values() for kind in c.kinds}


def category_of_kind(kind: str) -> str:
    """The category of an entity kind ('other' for a kind added later and not placed yet)."""
    return _KIND_TO_CATEGORY.get(kind, "other")


@dataclass(frozen=True)
class RelationGroup:
    """Relations drawn in one colour."""

    key: str
    label: str
    color: str
    relations: tuple[str, ...]


RELATION_GROUPS: dict[str, RelationGroup] = {
    g.key: g
    for g in [
        RelationGroup("ubiquitin", "ubiquitination, cleavage, degradation", "#8e24aa",
                      ("ubiquitinates", "deubiquitinates", "degrades", "cleaves")),
        RelationGroup("phospho", "phosphorylation", "#795548", ("phosphorylates",)),
        RelationGroup("binding", "binding, recruitment", "#1565c0", ("binds", "recruits")),
        RelationGroup("activation", "activation, promotion", "#2e7d32",
                      ("activates", "upregulates", "promotes", "induces", "stabilizes", "sensitizes_to",
                       "synergizes_with", "contributes_to")),
        RelationGroup("inhibition", "inhibition, suppression", "#d32f2f",
                      ("inhibits", "downregulates", "suppresses", "targets", "antagonizes",
                       "confers_resistance_to", "treats")),
        RelationGroup("regulation", "regulation, dependency (sign in effect)", "#ef6c00",
                      ("regulates", "depends_on")),
        RelationGroup("association", "association, expression, prognosis", "#546e7a",
                      ("correlates_with", "associated_with", "prognostic_for", "expressed_in",
                       "amplified_in", "predicted_by", "biomarker_tested")),
        RelationGroup("drug", "drugs and trials", "#00897b",
                      ("mimics", "tests", "studies_condition", "combined_with")),
        RelationGroup("structure", "structure, membership, location", "#9e9e9e",
                      ("has_domain", "part_of", "has_member", "is_a", "instance_of", "form_of",
                       "counterpart_of", "homologous_to", "encodes", "processed_to", "localizes_to",
                       "released_from")),
    ]
}

_RELATION_TO_GROUP = {r: g.key for g in RELATION_GROUPS.values() for r in g.relations}
OTHER_RELATION_COLOR = "#757575"


def relation_group(relation: str) -> str:
    """The group key of a relation ('' for one added to the vocabulary but not placed yet)."""
    return _RELATION_TO_GROUP.get(relation, "")


def relation_color(relation: str) -> str:
    group = _RELATION_TO_GROUP.get(relation)
    return RELATION_GROUPS[group].color if group else OTHER_RELATION_COLOR


#: Arrowhead by effect sign: an arrow for up, a flat bar for down, a notched chevron when unsigned
#: (not a round marker, which reads as one more small node).
ARROWS = {"up": "arrow", "down": "bar", "unknown": "vee"}
EFFECT_LABELS = {"up": "increases (arrow)", "down": "decreases / inhibits (bar)",
                 "unknown": "sign not stated (chevron)"}
NEGATED_COLOR = "#9e9e9e"
#: vis-network dash patterns: binding dashed, negated ("does NOT") dotted.
BINDING_DASHES = [8, 5]
NEGATED_DASHES = [2, 5]
HIGHLIGHT_WIDTH = 4.5
EDGE_WIDTH = 1.6


def is_binding(relation: str, mechanism: str) -> bool:
    """Binding is drawn dashed, whether the relation or only the mechanism says so."""
    return relation == "binds" or mechanism in ("binding", "complex_formation")
