"""Network exports for Cytoscape, Gephi and NDEx: GraphML, CX2 and SIF.

All three keep one edge per statement (two studies saying the same thing are two edges, each with
its own quote). GraphML and CX2 carry every field of :mod:`iapgraph.records`; a negated
statement is an edge with ``negated`` true, so a style or filter can hide or dash it. SIF has no
attributes at all, so it cannot mark a negated statement: it lists only what the review asserts,
and says how many it left out.
"""

from __future__ import annotations

from pathlib import Path

from .._version import __version__
from ..grounding import curie_map
from ..model import Dataset
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


def to_cx2(dataset: Dataset) -> list[dict]:
    """The graph as CX2 (Cytoscape Exchange 2) aspects, built with ndex2's CX2Network.

    Node ``name`` is the review's label, ``represents`` the entity's standard CURIE (``HGNC:590``;
    ``iapgraph:ID`` where no registry has it) and ``entity`` the project's id; the
    edge ``interaction`` is the relation, as Cytoscape names edges. Lists stay lists (CX2 has
    ``list_of_string``); integer and decimal qualifiers are typed attributes.
    """
    from ndex2.cx2 import CX2Network

    net = CX2Network()
    net.set_network_attributes({"name": NETWORK_NAME, "description": NETWORK_DESCRIPTION,
                                "version": __version__})
    ids: dict[str, int] = {}
    curies = curie_map(dataset.entities)
    for i, e in enumerate(dataset.entities.values()):
        record = node_record(e)
        entity_id = str(record.pop("id"))
        ids[e.id] = i
        net.add_node(node_id=i, attributes={"name": record.pop("label"), "represents": curies[entity_id],
                                            **record, "entity": entity_id})
    for i, s in enumerate(dataset.statements):
        record = edge_record(s)
        net.add_edge(edge_id=i, source=ids[s.subject], target=ids[s.object],
                     attributes={"interaction": record.pop("relation"), **record})
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

