"""Network exports for Cytoscape, Gephi and NDEx: GraphML, CX2 and SIF.

All three keep one edge per statement (two studies saying the same thing are two edges, each with
its own quote). GraphML and CX2 carry every field of :mod:`iapgraph.records`; a negated
statement is an edge with ``negated`` true, so a style or filter can hide or dash it. SIF has no
attributes at all, so it cannot mark a negated statement: it lists only what the review asserts,
and says how many it left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._version import __version__
from ..grounding import curie_map
from ..model import Dataset, Statement
from ..outputs import write_text, write_with
from ..records import edge_record, joined, node_record

NETWORK_NAME = "iapgraph"
NETWORK_DESCRIPTION = ("IAP signaling in cancer: a curated knowledge graph, one edge per statement of the "
                       "review with its quote, section and cited study")


def write_graphml(dataset: Dataset, output: Path) -> dict[str, int]:
    """GraphML through networkx: scalar attributes only, lists joined by '|', edge ids = statement ids.

    Node ids are standard CURIEs (``HGNC:592``; ``iapgraph:ID`` where no registry has the entity,
    see :mod:`iapgraph.grounding`); ``entity`` keeps the project's id."""
    import networkx as nx

    ids = curie_map(dataset.entities)
    graph = nx.MultiDiGraph(name=NETWORK_NAME, description=NETWORK_DESCRIPTION, version=__version__)
    for e in dataset.entities.values():
        graph.add_node(ids[e.id], **{k: joined(v) for k, v in node_record(e).items() if k != "id"}, entity=e.id)
    for s in dataset.statements:
        graph.add_edge(ids[s.subject], ids[s.object], key=s.id,
                       **{k: joined(v) for k, v in edge_record(s).items()})
    write_with(output, lambda p: nx.write_graphml(graph, p))
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


# --- the CX2 visual style: the HTML's look (iapgraph.viz.style) in Cytoscape's terms ------------
# A wing does not import another wing, so the table is written here with the same values;
# tests/test_interop.py checks that the two agree, category by category and relation by relation.

#: Node group (the HTML legend's categories) -> (fill, border, the entity kinds it covers).
NODE_GROUPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "iap": ("#e53935", "#8e0000", ()),
    "protein": ("#64b5f6", "#1565c0", ("protein", "protein_form")),
    "family": ("#bbdefb", "#1565c0", ("protein_family",)),
    "domain": ("#b39ddb", "#4527a0", ("domain", "domain_type", "motif")),
    "complex": ("#a1887f", "#4e342e", ("complex",)),
    "drug": ("#66bb6a", "#1b5e20", ("drug", "drug_class", "chemical", "therapy")),
    "mirna": ("#f06292", "#880e4f", ("mirna",)),
    "process": ("#ffb74d", "#e65100", ("biological_process", "pathway", "phenotype")),
    "hallmark": ("#fdd835", "#8d6e00", ("hallmark",)),
    "cancer": ("#4db6ac", "#00695c", ("cancer_type", "disease")),
    "trial": ("#ba68c8", "#4a148c", ("clinical_trial",)),
    "other": ("#e0e0e0", "#616161", ("genomic_region", "cell_type", "organism", "cellular_component",
                                     "tissue", "molecular_entity", "experimental_model")),
}
#: Node group -> Cytoscape node shape (the HTML's vis-network shape in brackets; Cytoscape has no
#: star, so the IAPs are the one octagon).
NODE_SHAPES = {"iap": "octagon",  # (star)
               "protein": "ellipse", "family": "ellipse", "other": "ellipse",  # (dot)
               "domain": "vee",  # (triangleDown)
               "complex": "hexagon", "mirna": "hexagon", "drug": "triangle",
               "process": "rectangle", "trial": "rectangle",  # (square)
               "hallmark": "round-rectangle",  # (box)
               "cancer": "diamond"}
#: The HTML's vis-network shape -> Cytoscape's, as NODE_SHAPES applies it.
VIS_TO_CYTOSCAPE_SHAPE = {"star": "octagon", "dot": "ellipse", "triangleDown": "vee", "hexagon": "hexagon",
                          "triangle": "triangle", "square": "rectangle", "box": "round-rectangle",
                          "diamond": "diamond"}
#: Relation -> edge colour (the HTML's relation groups).
RELATION_COLORS: dict[str, str] = {
    **dict.fromkeys(("ubiquitinates", "deubiquitinates", "degrades", "cleaves"), "#8e24aa"),
    "phosphorylates": "#795548",
    **dict.fromkeys(("binds", "recruits"), "#1565c0"),
    **dict.fromkeys(("activates", "upregulates", "promotes", "induces", "stabilizes", "sensitizes_to",
                     "synergizes_with", "contributes_to"), "#2e7d32"),
    **dict.fromkeys(("inhibits", "downregulates", "suppresses", "targets", "antagonizes",
                     "confers_resistance_to", "treats"), "#d32f2f"),
    **dict.fromkeys(("regulates", "depends_on"), "#ef6c00"),
    **dict.fromkeys(("correlates_with", "associated_with", "prognostic_for", "expressed_in", "amplified_in",
                     "predicted_by", "biomarker_tested"), "#546e7a"),
    **dict.fromkeys(("mimics", "tests", "studies_condition", "combined_with"), "#00897b"),
    **dict.fromkeys(("has_domain", "part_of", "has_member", "is_a", "instance_of", "form_of", "counterpart_of",
                     "homologous_to", "encodes", "processed_to", "localizes_to", "released_from"), "#9e9e9e"),
}
OTHER_RELATION_COLOR = "#757575"
NEGATED_COLOR = "#9e9e9e"
#: Effect -> Cytoscape arrowhead (the HTML: arrow, bar, a notched chevron when unsigned).
ARROW_SHAPES = {"up": "triangle", "down": "tee", "unknown": "vee"}
VIS_TO_CYTOSCAPE_ARROW = {"arrow": "triangle", "bar": "tee", "vee": "vee", "circle": "circle"}
EDGE_WIDTH = 1.6
#: The HTML draws binding dashed (relation binds, or a binding mechanism) and negated dotted.
BINDING_MECHANISMS = ("binding", "complex_formation")
#: HGNC gene group "Baculoviral IAP repeat containing": the eight human IAPs (drawn as "iap").
IAP_SYMBOLS = frozenset({"NAIP", "BIRC2", "BIRC3", "XIAP", "BIRC5", "BIRC6", "BIRC7", "BIRC8"})


def node_groups(dataset: Dataset) -> dict[str, str]:
    """Entity id -> its group as the HTML colours it: the IAPs and their forms, else by kind."""
    by_kind = {kind: group for group, (_, _, kinds) in NODE_GROUPS.items() for kind in kinds}
    entities = dataset.entities
    iaps = {e.id for e in entities.values()
            if e.kind == "protein" and (e.symbol in IAP_SYMBOLS or e.id in IAP_SYMBOLS)}
    forms = {s.subject for s in dataset.statements
             if s.relation == "form_of" and s.object in iaps and not s.negated
             and entities[s.subject].kind == "protein_form"}
    return {eid: "iap" if eid in iaps | forms else by_kind.get(e.kind, "other") for eid, e in entities.items()}


#: Node size by degree (statements touching the node), as the HTML sizes a node: hubs read at a
#: glance. (degree, size) at the two ends; sizes between are interpolated, beyond them held.
NODE_SIZE_RANGE = ((1, 30), (60, 110))


def _continuous(attribute: str, low: tuple[float, float], high: tuple[float, float]) -> dict:
    """A CX2 CONTINUOUS mapping: below ``low`` its size, a line between, above ``high`` its size."""
    (x0, y0), (x1, y1) = low, high
    return {"type": "CONTINUOUS", "definition": {"attribute": attribute, "map": [
        {"max": x0, "maxVPValue": y0, "includeMax": True, "includeMin": False},
        {"min": x0, "max": x1, "minVPValue": y0, "maxVPValue": y1, "includeMin": False, "includeMax": True},
        {"min": x1, "minVPValue": y1, "includeMin": False, "includeMax": False},
    ]}}


def _discrete(attribute: str, table: dict[str, str]) -> dict:
    return {"type": "DISCRETE", "definition": {"attribute": attribute,
                                              "map": [{"v": k, "vp": v} for k, v in table.items()]}}


def visual_properties() -> dict:
    """The CX2 ``visualProperties`` aspect: defaults, and mappings on node ``group`` and ``degree``,
    edge ``interaction`` (the relation) and edge ``effect``."""
    return {
        "default": {
            "network": {"NETWORK_BACKGROUND_COLOR": "#ffffff"},
            "node": {"NODE_BACKGROUND_COLOR": NODE_GROUPS["other"][0], "NODE_BORDER_COLOR": NODE_GROUPS["other"][1],
                     "NODE_BORDER_WIDTH": 1, "NODE_SHAPE": "ellipse", "NODE_WIDTH": 35, "NODE_HEIGHT": 35,
                     "NODE_LABEL_COLOR": "#000000", "NODE_LABEL_FONT_SIZE": 12, "NODE_BACKGROUND_OPACITY": 255,
                     "NODE_VISIBILITY": "element"},
            "edge": {"EDGE_LINE_COLOR": OTHER_RELATION_COLOR, "EDGE_TARGET_ARROW_COLOR": OTHER_RELATION_COLOR,
                     "EDGE_TARGET_ARROW_SHAPE": "circle", "EDGE_SOURCE_ARROW_SHAPE": "none",
                     "EDGE_LINE_STYLE": "solid", "EDGE_WIDTH": EDGE_WIDTH, "EDGE_OPACITY": 1.0,
                     "EDGE_VISIBILITY": "element"},
        },
        "nodeMapping": {
            "NODE_BACKGROUND_COLOR": _discrete("group", {g: fill for g, (fill, _, _) in NODE_GROUPS.items()}),
            "NODE_BORDER_COLOR": _discrete("group", {g: border for g, (_, border, _) in NODE_GROUPS.items()}),
            "NODE_SHAPE": _discrete("group", NODE_SHAPES),
            "NODE_LABEL": {"type": "PASSTHROUGH", "definition": {"attribute": "name"}},
            "NODE_WIDTH": _continuous("degree", *NODE_SIZE_RANGE),
            "NODE_HEIGHT": _continuous("degree", *NODE_SIZE_RANGE),
        },
        "edgeMapping": {
            "EDGE_LINE_COLOR": _discrete("interaction", RELATION_COLORS),
            "EDGE_TARGET_ARROW_COLOR": _discrete("interaction", RELATION_COLORS),
            "EDGE_TARGET_ARROW_SHAPE": _discrete("effect", ARROW_SHAPES),
            "EDGE_LINE_STYLE": _discrete("interaction", {"binds": "dashed"}),
        },
    }


def edge_bypass(s: Statement) -> dict[str, str] | None:
    """What the mappings cannot say for one edge: negated is grey and dotted, a binding mechanism
    under another relation dashed (as in the HTML)."""
    if s.negated:
        return {"EDGE_LINE_COLOR": NEGATED_COLOR, "EDGE_TARGET_ARROW_COLOR": NEGATED_COLOR,
                "EDGE_LINE_STYLE": "dotted"}
    if s.relation != "binds" and s.mechanism in BINDING_MECHANISMS:
        return {"EDGE_LINE_STYLE": "dashed"}
    return None


def _cx2_network() -> Any:
    """An empty ndex2 ``CX2Network``, less what costs it seconds at 10^6 triples and does nothing
    here (tests/test_ntriples.py compares its output with the plain class's)."""
    from ndex2 import constants
    from ndex2.cx2 import CX2Network, convert_value

    class _Network(CX2Network):  # type: ignore[misc]
        """ndex2's network, less what costs it seconds at 10^6 triples and does nothing here, where
        no attribute has an alias or a default value: a deep copy of every node and edge in to_cx2,
        and two scans of the declarations for every node and edge added. The output is the same."""

        def _process_attributes(self, aspect_name: str, attributes: dict | None) -> dict:
            # ndex2's own, less its alias and default look-ups: the declarations here are made by
            # ndex2 from the values (a type only, {"d": ...}); set_attribute_declarations is never
            # called on this network, so no attribute has an alias ("a") or a default ("v")
            declared = self._attribute_declarations.get(aspect_name, {})
            processed = {}
            for key, value in (attributes or {}).items():
                if value is not None:
                    kind = declared.get(key, {}).get(constants.ATTR_DATATYPE) or self._get_cx2_type(value)
                    processed[key] = convert_value(kind, value)
            self._generate_attribute_declarations_for_aspect(aspect_name, processed, {})
            return processed

        def _replace_with_alias(self, aspect_list: list, aspect_name: str) -> list:
            if not self.get_aliases(aspect_name):
                return aspect_list
            return list(super()._replace_with_alias(aspect_list, aspect_name))

    return _Network()


def to_cx2(dataset: Dataset) -> list[dict]:
    """The graph as CX2 (Cytoscape Exchange 2) aspects, built with ndex2's CX2Network.

    Node ``name`` is the review's label, ``represents`` the entity's standard CURIE (``HGNC:590``;
    ``iapgraph:ID`` where no registry has it), ``entity`` the project's id and ``group`` the HTML
    legend's category the style colours by, ``degree`` the statements touching it (the style sizes
    by it); the edge ``interaction`` is the relation, as Cytoscape names edges. Lists stay lists (CX2
    has ``list_of_string``); integer and decimal qualifiers are typed attributes. The
    ``visualProperties`` aspect and the edge bypasses draw it as the HTML does
    (:func:`visual_properties`).
    """
    net = _cx2_network()
    net.set_network_attributes({"name": NETWORK_NAME, "description": NETWORK_DESCRIPTION,
                                "version": __version__})
    groups = node_groups(dataset)
    degree = dict.fromkeys(dataset.entities, 0)
    for s in dataset.statements:
        degree[s.subject] += 1
        degree[s.object] += 1
    ids: dict[str, int] = {}
    curies = curie_map(dataset.entities)
    for i, e in enumerate(dataset.entities.values()):
        record = node_record(e)
        entity_id = str(record.pop("id"))
        ids[e.id] = i
        net.add_node(node_id=i, attributes={"name": record.pop("label"), "represents": curies[entity_id],
                                            "group": groups[e.id], "degree": degree[e.id], **record,
                                            "entity": entity_id})
    for i, s in enumerate(dataset.statements):
        record = edge_record(s)
        net.add_edge(edge_id=i, source=ids[s.subject], target=ids[s.object],
                     attributes={"interaction": record.pop("relation"), **record})
        bypass = edge_bypass(s)
        if bypass:
            net.add_edge_bypass(i, bypass)
    net.set_visual_properties(visual_properties())
    return net.to_cx2()


def write_cx2(dataset: Dataset, output: Path) -> dict[str, int]:
    """CX2 JSON, for Cytoscape (File > Import > Network from File) and NDEx."""
    import json

    cx2 = to_cx2(dataset)
    write_text(output, json.dumps(cx2, ensure_ascii=False, indent=1) + "\n")
    return {"nodes": len(dataset.entities), "edges": len(dataset.statements)}


def write_sif(dataset: Dataset, output: Path) -> dict[str, int]:
    """SIF: ``subject<TAB>relation<TAB>object``, entity ids, one line per asserted statement.

    Tabs, so Cytoscape splits on them only; entity ids never hold whitespace.
    """
    asserted = [s for s in dataset.statements if not s.negated]
    lines = [f"{s.subject}\t{s.relation}\t{s.object}\n" for s in asserted]
    write_text(output, "".join(lines))
    return {"nodes": len({n for s in asserted for n in (s.subject, s.object)}), "edges": len(asserted)}

