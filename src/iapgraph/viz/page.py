"""``iapgraph viz``: one self-contained HTML file (vis-network via pyvis) that works from file://.

pyvis 0.3.2 cannot write an offline page on its own (``in_line`` still links Bootstrap from a CDN,
``local``/``remote`` load vis-network from a CDN), so pyvis assembles the nodes and edges and this
module renders them with its own template: vis-network's JS and CSS (shipped inside the pyvis
package) and the page's own script are inlined, the data travels as JSON in a
``<script type="application/json">`` block (``<`` ``>`` ``&`` escaped), every text reaches the page
through ``textContent``, and a Content-Security-Policy allows only the hashed inline scripts and
no network at all. The same input gives the same bytes: no timestamps, a fixed layout seed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .. import vocab
from .._version import __version__
from ..model import Entity, GraphView, Statement
from ..outputs import write_text
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
    relation_color,
    relation_group,
)
from .view import View, build_view

if TYPE_CHECKING:
    from pyvis.network import Network

SIZE_LABELS = {
    "degree": "statements drawn at the node (degree in this view); IAPs at least medium",
    "statements": "statements of the whole graph that mention it",
    "betweenness": "betweenness centrality in this view",
    "none": "all the same",
}
SIZES = tuple(SIZE_LABELS)
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Layout seed: vis-network's initial positions come from it, so the layout is reproducible.
RANDOM_SEED = 20240501
#: Edge labels are drawn on the canvas only in views small enough to read them.
EDGE_LABEL_LIMIT = 80
#: Views with more nodes than this are "big": larger hubs and labels, so the overview reads.
BIG_VIEW = 120


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped in the pyvis package (no download, no CDN)."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    _check_inlinable(js, "script")
    _check_inlinable(css, "style")
    return js, css


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


def edge_info(s: Statement, entities: dict[str, Entity], collapsed: dict[str, str]) -> dict[str, Any]:
    """What an edge's tooltip and detail panel show: the statement with its evidence."""
    relation = vocab.RELATIONS[s.relation]
    via = [f"{role}: {_label(entities, eid)} ({eid})"
           for role, eid in (("subject domain", s.subject), ("object domain", s.object))
           if eid in collapsed]
    return {
        "id": s.id,
        "subject": _label(entities, s.subject),
        "object": _label(entities, s.object),
        "relation": relation.label,
        "relationKey": s.relation,
        "effect": s.effect,
        "mechanism": s.mechanism.replace("_", " "),
        "domains": [_label(entities, d) for d in s.domains],
        "contexts": [_label(entities, c) for c in s.contexts],
        "via": via,
        "negated": s.negated,
        "section": s.section,
        "citations": list(s.citations),
        "evidence": s.evidence,
        "qualifiers": [[k, v] for k, v in sorted(s.qualifiers.items())],
        "note": s.note,
    }


def _smooth(view: View) -> dict[str, Any]:
    """Parallel edges between one pair bend to alternate sides, so none hides another."""
    by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in view.statements:
        a, b = view.ends[s.id]
        by_pair[(min(a, b), max(a, b))].append(s.id)
    smooth: dict[str, Any] = {}
    for (lo, _hi), ids in by_pair.items():
        if len(ids) == 1:
            continue
        for i, sid in enumerate(ids):
            clockwise = i % 2 == 0
            if view.ends[sid][0] != lo:  # drawn the other way: mirror, to stay on the same side
                clockwise = not clockwise
            smooth[sid] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                           "roundness": round(0.18 * (i // 2 + 1), 3)}
    return smooth


def build_network(kg: GraphView, view: View, size: str = "degree") -> Network:
    """A pyvis Network holding the view's styled nodes and edges (pyvis.network.Network)."""
    from pyvis.network import Network

    entities: dict[str, Entity] = dict(kg.dataset.entities)
    values = measure(kg, view, size)
    folded: dict[str, list[Entity]] = defaultdict(list)
    for domain_id, owner in sorted(view.collapsed.items()):
        folded[owner].append(entities[domain_id])
    big = len(view.nodes) > BIG_VIEW
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    for nid in view.nodes:
        entity = entities[nid]
        cat = CATEGORIES[view.categories[nid]]
        focused = nid in view.highlight_nodes
        options: dict[str, Any] = {
            "cat": cat.key,
            "kind": entity.kind,
            "color": {"background": cat.color, "border": cat.border,
                      "highlight": {"background": cat.color, "border": "#000000"},
                      "hover": {"background": cat.color, "border": "#000000"}},
            "borderWidth": 4 if focused else 1,
            "info": node_info(entity, cat.key, folded.get(nid, [])),
        }
        if cat.shape == "box":  # the hallmarks: landmarks, labelled large whatever their degree
            options["font"] = {"size": 34 if big else 18}
            options["widthConstraint"] = {"maximum": 260}
            options["margin"] = 12
        elif nid in values:
            options["value"] = values[nid]
            if cat.key == "iap":  # what the graph is about: never too small to read
                # a node's scaling replaces the global one as a whole: give every key
                options["scaling"] = scaling(len(view.nodes), iap=True)
        net.add_node(nid, label=entity.label, shape=cat.shape, **options)
    smooth = _smooth(view)
    show_labels = len(view.statements) <= EDGE_LABEL_LIMIT
    for s in view.statements:
        a, b = view.ends[s.id]
        highlighted = s.id in view.highlight_statements
        color = NEGATED_COLOR if s.negated else relation_color(s.relation)
        options = {
            "id": s.id,
            "relation": s.relation,
            "group": relation_group(s.relation) or "other",
            "negated": s.negated,
            "color": {"color": color, "highlight": color, "hover": color, "inherit": False},
            "arrows": {"to": {"enabled": True, "type": ARROWS.get(s.effect, "circle"),
                              "scaleFactor": 0.8}},
            "width": HIGHLIGHT_WIDTH if highlighted else EDGE_WIDTH,
            "dashes": (NEGATED_DASHES if s.negated
                       else BINDING_DASHES if is_binding(s.relation, s.mechanism) else False),
            "smooth": smooth.get(s.id, False),
            "info": edge_info(s, entities, view.collapsed),
        }
        if show_labels or s.negated:
            text = vocab.RELATIONS[s.relation].label
            options["label"] = f"NOT {text}" if s.negated else text
        if highlighted:
            options["highlighted"] = True
        net.add_edge(a, b, **options)
    return net


def scaling(node_count: int, iap: bool = False) -> dict[str, Any]:
    """Node and label size ranges: a big view needs big hubs to be read at a glance, a small one
    does not; IAPs never drop below medium."""
    big = node_count > BIG_VIEW
    return {
        "min": (22 if big else 14) if iap else 10,
        "max": 60 if big else 30,
        "label": {"enabled": True, "min": (34 if big else 16) if iap else 13, "max": 64 if big else 22,
                  "drawThreshold": 5, "maxVisible": 30},
    }


def vis_options(node_count: int, edge_count: int) -> dict[str, Any]:
    """Physics that settles: forceAtlas2 with overlap avoidance, a fixed iteration budget run
    before the first draw, then physics off (the page does that), so positions are reproducible."""
    # measured (benchmarks/viz_settle.py): ~425 nodes look the same after 100 and 300 iterations;
    # 200 keeps the full graph settling in a few seconds on a slow machine; small views are cheap
    iterations = 300 if node_count <= BIG_VIEW else 200
    return {
        "autoResize": True,
        "layout": {"randomSeed": RANDOM_SEED, "improvedLayout": node_count <= 100},
        "nodes": {
            "scaling": scaling(node_count),
            "font": {"face": "Helvetica, Arial, sans-serif", "strokeWidth": 3,
                     "strokeColor": "#ffffff"},
            "margin": 8,
        },
        "edges": {
            "smooth": False,
            "arrowStrikethrough": False,
            "selectionWidth": 2,
            "hoverWidth": 1,
            "font": {"size": 11, "color": "#424242", "strokeWidth": 3, "strokeColor": "#ffffff",
                     "align": "middle"},
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -200, "centralGravity": 0.03,
                                 "springLength": 100, "springConstant": 0.08, "damping": 0.6,
                                 "avoidOverlap": 0.8},
            "maxVelocity": 60,
            "minVelocity": 1.0,
            "timestep": 0.45,
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 50,
                              "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": edge_count > 400,
                        "multiselect": False, "navigationButtons": False, "keyboard": False},
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
    net = build_network(kg, view, size)
    entities: dict[str, Entity] = dict(kg.dataset.entities)
    cat_counts = Counter(view.categories[n] for n in view.nodes)
    group_counts = Counter(relation_group(s.relation) or "other" for s in view.statements)
    relation_groups = [
        {"key": g.key, "label": g.label, "color": g.color, "count": group_counts[g.key],
         "relations": [vocab.RELATIONS[r].label for r in g.relations if r in vocab.RELATIONS]}
        for g in RELATION_GROUPS.values() if group_counts[g.key]
    ]
    if group_counts["other"]:
        relation_groups.append({"key": "other", "label": "other", "color": OTHER_RELATION_COLOR,
                                "count": group_counts["other"], "relations": []})
    return {
        "title": title or "iapgraph: IAP signaling in cancer",
        "description": view.description,
        "notes": view.notes,
        "version": __version__,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": vis_options(len(net.nodes), len(net.edges)),
        "categories": [{"key": c.key, "label": c.label, "color": c.color, "border": c.border,
                        "shape": c.shape, "count": cat_counts[c.key]}
                       for c in CATEGORIES.values() if cat_counts[c.key]],
        "relationGroups": relation_groups,
        "effects": [{"effect": e, "arrow": ARROWS[e], "label": EFFECT_LABELS[e]} for e in ARROWS],
        "negatedCount": sum(s.negated for s in view.statements),
        "sizeBy": SIZE_LABELS[size],
        "focus": view.focus,
        "chains": [{"statements": c, "hops": hops, "text": text or _chain_text(c, view, entities)}
                   for c, hops, text in zip(view.chains, view.chain_hops, view.chain_texts,
                                            strict=True)],
    }


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def render_html(data: dict[str, Any]) -> str:
    """The page: template + inlined vis-network + the page's script and style + the data."""
    from jinja2 import Environment, FileSystemLoader
    from markupsafe import Markup

    vis_js, vis_css = vis_assets()
    app_js = (TEMPLATES / "viz.js").read_text(encoding="utf-8")
    app_css = (TEMPLATES / "viz.css").read_text(encoding="utf-8")
    _check_inlinable(app_js, "script")
    _check_inlinable(app_css, "style")
    csp = ("default-src 'none'; "
           f"script-src {_sha256(vis_js)} {_sha256(app_js)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; "
           "base-uri 'none'; form-action 'none'")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      keep_trailing_newline=True)
    template = env.get_template("viz.html")
    return template.render(
        data=data, csp=Markup(csp), vis_js=Markup(vis_js), vis_css=Markup(vis_css), app_js=Markup(app_js),
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

