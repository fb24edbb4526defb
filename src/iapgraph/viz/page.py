"""``iapgraph viz``: one self-contained HTML file (vis-network) that works from file://.

The page is finished when it is written: node positions come from :mod:`.layout` (force-directed
with a fixed seed, or layered left to right for paths), the statements are grouped into one drawn
edge per assertion (:mod:`.edges`), and the browser only draws and fits, with physics off (a
checkbox turns it on). vis-network's JS and CSS (shipped inside the pyvis package) and the page's
own script are inlined; the data travels as JSON in a ``<script type="application/json">`` block
(``<`` ``>`` ``&`` escaped), every text reaches the page through ``textContent``, and a
Content-Security-Policy allows only the hashed inline scripts and no network at all. The same
input gives the same bytes: no timestamps, a fixed layout seed, rounded coordinates.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import vocab
from .._version import __version__
from ..model import Entity, GraphView, Statement
from ..outputs import write_text
from . import layout
from .edges import Assertion, group, is_hedged
from .style import (
    ARROWS,
    BINDING_DASHES,
    CATEGORIES,
    EDGE_WIDTH,
    EFFECT_LABELS,
    HIGHLIGHT_WIDTH,
    NEGATED_COLOR,
    NEGATED_DASHES,
    OTHER_RELATION_COLOR,
    RELATION_GROUPS,
    is_binding,
    relation_group,
)
from .view import View, build_view

SIZE_LABELS = {
    "degree": "statements drawn at the node (degree in this view); IAPs at least medium",
    "statements": "statements of the whole graph that mention it",
    "betweenness": "betweenness centrality in this view",
    "none": "all the same",
}
SIZES = tuple(SIZE_LABELS)
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Edge labels are drawn on the canvas only in views with at most this many drawn edges.
EDGE_LABEL_LIMIT = 80
#: Views with more nodes than this are "big": an overview with only the main nodes labelled.
BIG_VIEW = 120
#: In a big view, this many of the most connected nodes (besides IAPs and hallmarks) get a label.
TOP_LABELLED = 30
#: A click on a node adds at most this many of its neighbours beyond the view (those with the most
#: statements first); the panel says how many more there are.
MORE_PER_NODE = 25
#: The neighbours beyond the view are carried ring after ring (so an added node expands in turn)
#: while the statements they bring stay within this many; the curated graph fits whole.
MORE_STATEMENTS = 3000
#: A view with more nodes and drawn edges than this together is shown in two steps: the first
#: paint draws the whole picture with vis objects for the labelled nodes only, the rest become vis
#: objects right after (viz.js, ``progressive``); a vis object costs tens of microseconds to build.
PROGRESSIVE = 1000
NET_WORDS = {"up": "up ↑", "down": "down ⊣", "unknown": "not stated", "neutral": "neutral"}


@lru_cache(maxsize=1)
def vis_js() -> str:
    """vis-network's JS as shipped in the pyvis package (no download, no CDN). Its 220 kB style
    sheet is left out: it styles the navigation buttons, the editing toolbar, the configurator and
    vis tooltips, none of which the page uses (its own style sheet covers the rest)."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    _check_inlinable(js, "script")
    return js


def _check_inlinable(text: str, tag: str) -> None:
    """An inlined asset must not close its own element early."""
    if re.search(rf"</{tag}", text, re.IGNORECASE) or "<!--" in text:
        raise RuntimeError(f"cannot inline an asset containing </{tag} or <!--")


def safe_json(data: Any) -> str:
    """JSON that cannot end the <script> element it sits in, nor open a comment or entity."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def xref_link(curie: str) -> list[str]:
    """[curie, url]: the url only for a registry of vocab.PREFIXES whose pattern the id matches."""
    prefix, _, local = curie.partition(":")
    record = vocab.PREFIXES.get(prefix)
    if record is None or not local or not re.match(record.pattern, local):
        return [curie, ""]
    return [curie, record.uri_prefix + quote(local, safe="")]


def _label(entities: dict[str, Entity], eid: str) -> str:
    e = entities.get(eid)
    return e.label if e else eid


def measure(kg: GraphView, view: View, size: str) -> dict[str, float]:
    """The number each node is sized by."""
    if size == "none":
        return {}
    if size == "degree":
        degree: Counter[str] = Counter()
        for s in view.statements:
            a, b = view.ends[s.id]
            degree[a] += 1
            if b != a:
                degree[b] += 1
        return {n: float(degree[n]) for n in view.nodes}
    if size == "statements":
        mentions: Counter[str] = Counter()
        for s in kg.dataset.statements:
            # fold first, so a statement naming XIAP and its BIR3 counts once for XIAP
            for eid in {view.collapsed.get(e, e) for e in (s.subject, s.object, *s.domains, *s.contexts)}:
                mentions[eid] += 1
        return {n: float(mentions[n]) for n in view.nodes}
    if size == "betweenness":
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(view.nodes)
        graph.add_edges_from(view.ends[s.id] for s in view.statements if len(set(view.ends[s.id])) == 2)
        scores = nx.betweenness_centrality(graph, normalized=True)
        return {n: round(scores.get(n, 0.0), 6) for n in view.nodes}
    raise ValueError(f"unknown size measure {size!r}")


def node_info(entity: Entity, category: str, folded: list[Entity]) -> dict[str, Any]:
    """What a node's tooltip and detail panel show."""
    return {
        "id": entity.id,
        "label": entity.label,
        "kind": entity.kind.replace("_", " "),
        "category": CATEGORIES[category].label,
        "symbol": entity.symbol,
        "aliases": list(entity.aliases),
        "xrefs": [xref_link(x) for x in entity.xrefs],
        "attributes": [[k, v] for k, v in sorted(entity.attributes.items())],
        "description": entity.description,
        "domains": [f"{d.label} ({d.id})" for d in folded],
    }


def statement_info(s: Statement, entities: dict[str, Entity], collapsed: dict[str, str]) -> dict[str, Any]:
    """What the panel shows of one statement: the claim with its evidence (empty fields left out)."""
    relation = vocab.RELATIONS[s.relation]
    via = [f"{role}: {_label(entities, eid)} ({eid})"
           for role, eid in (("subject domain", s.subject), ("object domain", s.object))
           if eid in collapsed]
    info: dict[str, Any] = {
        "id": s.id,
        "subject": _label(entities, s.subject),
        "object": _label(entities, s.object),
        "relation": relation.label,
        "effect": s.effect,
        "mechanism": s.mechanism.replace("_", " "),
        "domains": [_label(entities, d) for d in s.domains],
        "contexts": [_label(entities, c) for c in s.contexts],
        "via": via,
        "negated": s.negated,
        "hedged": is_hedged(s),
        "section": s.section,
        "citations": list(s.citations),
        "evidence": s.evidence,
        "qualifiers": [[k, v] for k, v in sorted(s.qualifiers.items())],
        "note": s.note,
    }
    return {k: v for k, v in info.items() if v or k in ("id", "evidence", "relation")}


#: Edge width: one statement thin, more statements thicker (log scale), capped.
def edge_width(count: int, highlighted: bool = False) -> float:
    width = EDGE_WIDTH + 1.3 * math.log2(count)
    return round(min(width, 8.0) + (HIGHLIGHT_WIDTH - EDGE_WIDTH if highlighted else 0.0), 2)


def _smooth(assertions: list[Assertion]) -> dict[str, Any]:
    """Edges between one pair (different relations or signs) bend to alternate sides, so none
    hides another; an odd one out stays straight."""
    by_pair: dict[tuple[str, str], list[Assertion]] = defaultdict(list)
    for a in assertions:
        if not a.self_loop:
            by_pair[(min(a.source, a.target), max(a.source, a.target))].append(a)
    smooth: dict[str, Any] = {}
    for (lo, _hi), parallel in by_pair.items():
        if len(parallel) == 1:
            continue
        for i, a in enumerate(parallel):
            clockwise = i % 2 == 0
            if a.source != lo:  # drawn the other way: mirror, to stay on the same side
                clockwise = not clockwise
            smooth[a.id] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                            "roundness": round(0.2 * (i // 2 + 1), 3)}
    return smooth


def _self_loops(assertions: list[Assertion]) -> dict[str, dict[str, float]]:
    """Several loops on one node: each its own size and angle, so loops and labels do not overlap."""
    loops: dict[str, list[str]] = defaultdict(list)
    for a in assertions:
        if a.self_loop:
            loops[a.source].append(a.id)
    out: dict[str, dict[str, float]] = {}
    for ids in loops.values():
        for i, aid in enumerate(ids):
            out[aid] = {"size": 22 + 9 * i, "angle": round((math.pi / 4 + i * 2 * math.pi / len(ids))
                                                            % (2 * math.pi), 4)}
    return out


def _node_sizes(values: dict[str, float], big: bool) -> dict[str, float]:
    """Pixel radius from the measure (square-root scale, so hubs stand out without swamping)."""
    low, high = (5.0, 30.0) if big else (10.0, 30.0)
    if not values:
        return {}
    top, bottom = max(values.values()), min(values.values())
    span = (top - bottom) or 1.0
    return {n: round(low + (high - low) * math.sqrt((v - bottom) / span), 1) for n, v in values.items()}


def _label_box(label: str, category: str, big: bool, radius: float) -> tuple[float, float, float]:
    """Rough width, height and downward offset in pixels of a node with its label: the label sits
    under the shape, except in a hallmark's box (which wraps at 260 px)."""
    if big:
        font = 26 if category == "hallmark" else 30 if category == "iap" else 22
    else:
        font = 18 if category in ("hallmark", "iap") else 15
    width = 0.55 * font * len(label) + 12
    if category == "hallmark":
        lines = max(1, math.ceil(width / 260))
        return min(width, 284), font * 1.3 * lines + 26, 0.0
    line = font * 1.3
    return max(width, 2 * radius), 2 * radius + line + 4, line / 2 + 2


def _radius(size: float | None, category: str, big: bool) -> float:
    radius = size if size is not None else 10.0 if big else 16.0
    if category == "iap":  # what the graph is about: never too small to read
        radius = max(radius, 20.0 if big else 18.0)
    return radius


def labelled_nodes(view: View, degree: Counter[str]) -> set[str]:
    """In a big view: IAPs, hallmarks and the most connected nodes carry a readable label."""
    keep = {n for n in view.nodes if view.categories[n] in ("iap", "hallmark")} | view.highlight_nodes
    ranked = sorted((n for n in view.nodes if n not in keep), key=lambda n: (-degree[n], n))
    return keep | set(ranked[:TOP_LABELLED])


def graph_parts(kg: GraphView, view: View, size: str = "degree"
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The page's nodes (with positions), drawn edges (one per assertion) and statements."""
    entities: dict[str, Entity] = dict(kg.dataset.entities)
    by_id = {s.id: s for s in view.statements}
    assertions = group(view.statements, view.ends)
    values = measure(kg, view, size)
    folded: dict[str, list[Entity]] = defaultdict(list)
    for domain_id, owner in sorted(view.collapsed.items()):
        folded[owner].append(entities[domain_id])
    big = len(view.nodes) > BIG_VIEW
    degree: Counter[str] = Counter()
    for a in assertions:
        degree[a.source] += len(a.statements)
        degree[a.target] += len(a.statements) if not a.self_loop else 0
    labelled = labelled_nodes(view, degree) if big else set(view.nodes)
    positions = place(view, assertions)
    sizes = _node_sizes({n: v for n, v in values.items()}, big) if values else {}
    radius = {n: _radius(sizes.get(n), view.categories[n], big) for n in view.nodes}
    if view.path is None:  # labels drawn at a readable size must not cover each other
        positions = layout.declutter(positions, {
            n: _label_box(entities[n].label, view.categories[n], big, radius[n]) for n in labelled})
    net_label = _net_label(view, entities)
    nodes: list[dict[str, Any]] = []
    for nid in view.nodes:
        entity = entities[nid]
        cat = view.categories[nid]
        x, y = positions[nid]
        node: dict[str, Any] = {"id": nid, "label": entity.label, "x": x, "y": y, "cat": cat,
                                "shape": CATEGORIES[cat].shape}
        if nid in values:
            node["value"] = values[nid]
        node["size"] = radius[nid]
        if cat == "hallmark":  # landmarks: boxes with the label inside, large whatever their degree
            node["font"] = 26 if big else 18
        elif nid in labelled:
            node["font"] = (30 if cat == "iap" else 22) if big else (18 if cat == "iap" else 15)
        else:  # a small mark: its label appears when zoomed in, or in the tooltip on hover
            node["font"] = 11
        if nid in view.highlight_nodes:
            node["focus"] = True
        if nid in net_label:
            node["net"] = net_label[nid]
        node["info"] = node_info(entity, cat, folded.get(nid, []))
        nodes.append(node)
    smooth = _smooth(assertions)
    loops = _self_loops(assertions)
    show_labels = len(assertions) <= EDGE_LABEL_LIMIT
    edges: list[dict[str, Any]] = []
    for a in assertions:
        highlighted = any(sid in view.highlight_statements for sid in a.statements)
        edge = _edge(a, by_id, highlighted, show_labels)
        if a.id in smooth:
            edge["smooth"] = smooth[a.id]
        if a.id in loops:
            edge["selfReference"] = loops[a.id]
        if highlighted:
            edge["highlighted"] = True
        edges.append(edge)
    statements = {s.id: statement_info(s, entities, view.collapsed) for s in view.statements}
    return nodes, edges, statements


def _edge(a: Assertion, by_id: dict[str, Statement], highlighted: bool, label: bool) -> dict[str, Any]:
    """One drawn edge (an assertion) as the page script reads it."""
    first = by_id[a.statements[0]]
    edge: dict[str, Any] = {
        "id": a.id, "from": a.source, "to": a.target, "relation": a.relation,
        "group": relation_group(a.relation) or "other", "effect": a.effect, "negated": a.negated,
        "statements": list(a.statements), "width": edge_width(len(a.statements), highlighted),
    }
    if any(is_binding(by_id[sid].relation, by_id[sid].mechanism) for sid in a.statements):
        edge["binding"] = True
    if label or a.negated or a.self_loop:
        text = vocab.RELATIONS[first.relation].label
        text = f"NOT {text}" if a.negated else text
        edge["label"] = text + (f" ×{len(a.statements)}" if len(a.statements) > 1 else "")
    return edge


def beyond(kg: GraphView, view: View, big: bool) -> dict[str, Any]:
    """What a click on a node adds: its neighbours that are not drawn yet (at most
    :data:`MORE_PER_NODE` per node, those with the most statements first) and the assertions that
    join them to it. Carried for the drawn nodes and, ring after ring, for the nodes a click can
    add, so an added node expands in turn; a ring is left out when it would take the statements
    carried past :data:`MORE_STATEMENTS` (the nodes of the last ring then say their neighbours are
    not in the file). Empty for a path view.

    Returns:
        ``limit``; ``nodes`` (id -> node, for nodes not drawn); ``assertions`` (id -> drawn edge);
        ``edges`` (node id -> ids of the assertions a click on it adds); ``total`` (node id ->
        how many neighbours it has that the view does not draw); ``statements`` (id -> record).
    """
    more: dict[str, Any] = {"limit": MORE_PER_NODE, "nodes": {}, "assertions": {}, "edges": {}, "total": {},
                            "statements": {}}
    if view.path is not None:
        return more
    entities: dict[str, Entity] = dict(kg.dataset.entities)
    drawn = set(view.nodes)
    links: dict[str, dict[str, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    for s in view.pool:
        a, b = view.ends[s.id]
        if a == b or (a in drawn and b in drawn):
            continue
        if b not in drawn:
            links[a][b].append(s)
        if a not in drawn:
            links[b][a].append(s)

    def best(nid: str) -> list[str]:
        partners = sorted(links[nid], key=lambda m: (-len(links[nid][m]), m))
        return partners[:MORE_PER_NODE]

    expands: dict[str, list[str]] = {}  # node -> the partners a click on it adds
    carried: set[str] = set()
    ring = sorted(n for n in view.nodes if n in links)
    count = 0
    while ring:
        step = {n: best(n) for n in ring}
        cost = sum(len(links[n][m]) for n, partners in step.items() for m in partners)
        if expands and count + cost > MORE_STATEMENTS:
            break
        count += cost
        expands.update(step)
        fresh = sorted({m for partners in step.values() for m in partners} - carried - drawn)
        carried.update(fresh)
        ring = [m for m in fresh if m in links and m not in expands]
    folded: dict[str, list[Entity]] = defaultdict(list)
    for domain_id, owner in sorted(view.collapsed.items()):
        folded[owner].append(entities[domain_id])
    statements = {s.id: s for nid, partners in expands.items() for m in partners for s in links[nid][m]}
    order = {s.id: i for i, s in enumerate(view.pool)}
    assertions = group(sorted(statements.values(), key=lambda s: order[s.id]), view.ends)
    key_of = {sid: a.id for a in assertions for sid in a.statements}
    smooth = _smooth(assertions)
    for assertion in assertions:
        edge = _edge(assertion, statements, False, not big)
        if assertion.id in smooth:
            edge["smooth"] = smooth[assertion.id]
        more["assertions"][assertion.id] = edge
    for nid, partners in expands.items():
        more["edges"][nid] = list(dict.fromkeys(key_of[s.id] for m in partners for s in links[nid][m]))
    for nid in sorted(links):
        if nid in drawn or nid in carried:
            more["total"][nid] = len(links[nid])
    for m in sorted(carried):
        cat = view.categories[m]
        font = 18 if cat in ("iap", "hallmark") else 11 if big else 15
        more["nodes"][m] = {"id": m, "label": entities[m].label, "cat": cat, "shape": CATEGORIES[cat].shape,
                            "size": _radius(None, cat, big), "font": font,
                            "info": node_info(entities[m], cat, folded.get(m, []))}
    for sid, s in sorted(statements.items()):
        more["statements"][sid] = statement_info(s, entities, view.collapsed)
    return more


def class_index(kg: GraphView, view: View) -> dict[str, Any]:
    """The page's filter by class: each class of the ontology hierarchy that has subtypes (is_a,
    transitively) and touches a drawn statement, its subtypes, their labels, and the drawn
    statements that name each class or subtype as subject, object or context."""
    children: dict[str, set[str]] = defaultdict(set)
    for link in kg.dataset.hierarchy:
        if link.relation == "is_a":
            children[link.parent].add(link.child)
    touch: dict[str, list[str]] = defaultdict(list)
    for s in view.statements:
        for eid in dict.fromkeys((s.subject, s.object, *s.contexts)):
            touch[eid].append(s.id)
    subtypes: dict[str, list[str]] = {}
    for parent in sorted(children):
        seen: list[str] = []
        queue = sorted(children[parent])
        while queue:
            child = queue.pop(0)
            if child not in seen and child != parent:
                seen.append(child)
                queue += sorted(children.get(child, ()))
        if any(m in touch for m in (parent, *seen)):
            subtypes[parent] = seen
    members = {m for parent, desc in subtypes.items() for m in (parent, *desc)}
    entities = kg.dataset.entities
    return {"subtypes": subtypes,
            "labels": {m: _label(dict(entities), m) for m in sorted(members)},
            "touch": {m: touch[m] for m in sorted(members) if m in touch}}


def _net_label(view: View, entities: dict[str, Entity]) -> dict[str, str]:
    """The path view's target carries the chains' net effect, e.g. 'net: up ×2, unknown ×1'."""
    if not view.chain_nets or view.path is None:
        return {}
    counts = Counter(view.chain_nets)
    text = ", ".join(f"{NET_WORDS.get(net, net)}" + (f" ×{n}" if n > 1 else "")
                     for net, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return {view.path[1]: f"net: {text}"}


def place(view: View, assertions: list[Assertion]) -> dict[str, tuple[float, float]]:
    """Positions: layered for a path view, force-directed (fixed seed) otherwise."""
    if view.path is not None:
        source, target = view.path
        return layout.layered(view.chain_nodes, source, target, view.nodes)
    links = [(a.source, a.target, 1.0 + math.log2(len(a.statements))) for a in assertions]
    return layout.force(view.nodes, links, centre=view.focus)


def vis_options(node_count: int, edge_count: int) -> dict[str, Any]:
    """vis-network options: the positions come from Python, so physics is off (the page's toggle
    turns it on with :data:`PHYSICS`); labels below a readable size are not drawn."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": layout.SEED, "improvedLayout": False},
        "nodes": {
            "font": {"face": "Helvetica, Arial, sans-serif", "strokeWidth": 4,
                     "strokeColor": "#ffffff"},
            "scaling": {"label": {"enabled": False, "drawThreshold": 8, "maxVisible": 40}},
            "margin": 8,
        },
        "edges": {
            "smooth": False,
            "arrowStrikethrough": False,
            "selectionWidth": 2,
            "hoverWidth": 1,
            "font": {"size": 12, "color": "#424242", "strokeWidth": 0, "align": "middle",
                     "background": "#ffffff"},
            "scaling": {"label": {"drawThreshold": 8}},
        },
        "physics": {"enabled": False, "stabilization": {"enabled": False}},
        "interaction": {"hover": True, "tooltipDelay": 100, "hideEdgesOnDrag": edge_count > 2000,
                        "hideEdgesOnZoom": edge_count > 4000, "multiselect": False,
                        "navigationButtons": False, "keyboard": False},
    }


#: What the physics checkbox switches on: forceAtlas2 that starts from the computed layout.
PHYSICS = {
    "solver": "forceAtlas2Based",
    "forceAtlas2Based": {"gravitationalConstant": -200, "centralGravity": 0.03, "springLength": 100,
                         "springConstant": 0.08, "damping": 0.6, "avoidOverlap": 0.8},
    "maxVelocity": 60, "minVelocity": 1.0, "timestep": 0.45,
    "stabilization": {"enabled": False},
}


def _chain_text(chain: list[str], view: View, entities: dict[str, Entity]) -> str:
    by_id = {s.id: s for s in view.statements}
    parts: list[str] = []
    for sid in chain:
        s = by_id.get(sid)
        if s is None:
            continue
        a, b = view.ends[sid]
        if not parts:
            parts.append(_label(entities, a))
        parts.append(f"-{vocab.RELATIONS[s.relation].label}-> {_label(entities, b)}")
    return " ".join(parts)


def page_data(kg: GraphView, view: View, size: str = "degree", title: str | None = None) -> dict[str, Any]:
    """Everything the page script needs, as plain JSON-able data."""
    nodes, edges, statements = graph_parts(kg, view, size)
    entities: dict[str, Entity] = dict(kg.dataset.entities)
    cat_counts = Counter(view.categories[n] for n in view.nodes)
    group_counts = Counter(e["group"] for e in edges)
    relation_groups = [
        {"key": g.key, "label": g.label, "color": g.color, "count": group_counts[g.key],
         "relations": [vocab.RELATIONS[r].label for r in g.relations if r in vocab.RELATIONS]}
        for g in RELATION_GROUPS.values() if group_counts[g.key]
    ]
    if group_counts["other"]:
        relation_groups.append({"key": "other", "label": "other", "color": OTHER_RELATION_COLOR,
                                "count": group_counts["other"], "relations": []})
    nets = view.chain_nets or [""] * len(view.chains)
    more = beyond(kg, view, len(nodes) > BIG_VIEW)
    more_cats = {n["cat"] for n in more["nodes"].values()}
    return {
        "title": title or "iapgraph: IAP signaling in cancer",
        "description": view.description,
        "notes": view.notes,
        "version": __version__,
        "nodes": nodes,
        "edges": edges,
        "statements": statements,
        "statementCount": len(statements),
        "overview": len(nodes) > BIG_VIEW,
        "progressive": len(nodes) + len(edges) > PROGRESSIVE,
        "options": vis_options(len(nodes), len(edges)),
        "physics": PHYSICS,
        "style": {"negated": NEGATED_COLOR, "negatedDashes": NEGATED_DASHES,
                  "bindingDashes": BINDING_DASHES, "other": OTHER_RELATION_COLOR},
        "categories": [{"key": c.key, "label": c.label, "color": c.color, "border": c.border,
                        "shape": c.shape, "count": cat_counts[c.key]}
                       for c in CATEGORIES.values() if cat_counts[c.key] or c.key in more_cats],
        "relationGroups": relation_groups,
        "effects": [{"effect": e, "arrow": ARROWS[e], "label": EFFECT_LABELS[e]} for e in ARROWS],
        "negatedCount": sum(e["negated"] for e in edges),
        "sizeBy": SIZE_LABELS[size],
        "focus": view.focus,
        "more": more,
        "classes": class_index(kg, view),
        "chains": [{"statements": c, "hops": hops, "nodes": walk, "net": net,
                    "text": text or _chain_text(c, view, entities)}
                   for c, hops, text, walk, net in zip(view.chains, view.chain_hops, view.chain_texts,
                                                       view.chain_nodes or [[]] * len(view.chains), nets,
                                                       strict=True)],
    }


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def render_html(data: dict[str, Any]) -> str:
    """The page: template + inlined vis-network + the page's script and style + the data."""
    from jinja2 import Environment, FileSystemLoader
    from markupsafe import Markup

    vis = vis_js()
    app_js = (TEMPLATES / "viz.js").read_text(encoding="utf-8")
    app_css = (TEMPLATES / "viz.css").read_text(encoding="utf-8")
    _check_inlinable(app_js, "script")
    _check_inlinable(app_css, "style")
    csp = ("default-src 'none'; "
           f"script-src {_sha256(vis)} {_sha256(app_js)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; "
           "base-uri 'none'; form-action 'none'")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      keep_trailing_newline=True)
    template = env.get_template("viz.html")
    return template.render(
        data=data, csp=Markup(csp), vis_js=Markup(vis), app_js=Markup(app_js),
        app_css=Markup(app_css), data_json=Markup(safe_json(data)),
    )


def write_html(kg: GraphView, output: str | Path, *, size: str = "degree", title: str | None = None,
               **view_options: Any) -> tuple[Path, View]:
    """Select the view, render it and write the file atomically; return the path and the view."""
    if size not in SIZES:
        from ..exceptions import UsageError

        raise UsageError(f"--size: unknown measure {size!r}; choose one of {', '.join(SIZES)}")
    view = build_view(kg, **view_options)
    html = render_html(page_data(kg, view, size, title))
    return write_text(output, html), view

