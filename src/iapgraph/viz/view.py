"""Which nodes and statements one HTML view shows: domains collapsed into their protein, then the
relation and kind filters, then one of focus / hallmark / path. Pure Python, no drawing.

Rules (the browser test recomputes them independently):

- A domain entity with an owner (the subject of a ``has_domain`` statement, else the entity named
  by its id's prefix, ``XIAP.BIR3`` -> ``XIAP``) is folded into that owner unless ``domains=True``.
  Its statements move to the owner and remember the domain; its structural statements (has_domain,
  instance_of ...) are dropped, since they describe the domain, not what the protein does.
- ``relations`` keeps the statements of those relations (or relation groups); nodes that are left
  without a statement then drop out. ``kinds`` keeps entities of those kinds (or categories).
- ``focus``: every node within ``depth`` statements of a focus node, in either direction; hub kinds
  (families, hallmarks, processes ...) are shown but not walked through, so depth 2 stays readable.
  Only the statements the walk went along are drawn (one end nearer the focus than ``depth``), not
  every statement among the neighbours, unless ``all_edges``.
- ``hallmark``: the hallmark and what leads into it, walking statements backwards up to ``depth``
  (negated statements are not walked), with the same hub rule.
- ``path``: the chains of the path search (every statement backing a hop), highlighted; the other
  statements among their nodes only with ``all_edges``.
- The full graph and the hallmark view keep all statements among their nodes, negated ones included,
  unless filtered out.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .. import args, vocab
from ..exceptions import UsageError
from ..model import Entity, GraphView, Statement
from ..paths.chains import Chain
from ..paths.chains import paths as find_paths
from .style import CATEGORIES, IAP_SYMBOLS, RELATION_GROUPS, category_of_kind


@dataclass
class View:
    """The nodes and statements to draw, with the statements' drawn ends and what to highlight."""

    nodes: list[str]
    statements: list[Statement]
    ends: dict[str, tuple[str, str]]
    collapsed: dict[str, str]
    categories: dict[str, str]
    description: str = "full graph"
    focus: list[str] = field(default_factory=list)
    highlight_nodes: set[str] = field(default_factory=set)
    highlight_statements: set[str] = field(default_factory=set)
    chains: list[list[str]] = field(default_factory=list)
    chain_hops: list[list[list[str]]] = field(default_factory=list)
    chain_texts: list[str] = field(default_factory=list)
    #: each chain's drawn nodes, source first (folded domains merged into their protein)
    chain_nodes: list[list[str]] = field(default_factory=list)
    #: each chain's net effect (up, down, unknown, neutral)
    chain_nets: list[str] = field(default_factory=list)
    #: a path view's (source, target), as drawn
    path: tuple[str, str] | None = None
    notes: list[str] = field(default_factory=list)
    #: every statement the view's filters (relation, kind, negated, folding) let through, drawn or
    #: not: where a click on a node finds its neighbours beyond the view
    pool: list[Statement] = field(default_factory=list)


def check_relations(names: Sequence[str]) -> set[str]:
    """Relation names or relation-group keys -> relation names; UsageError names the bad one."""
    groups = {key: group.relations for key, group in RELATION_GROUPS.items()}
    return set(args.check_relations(names, groups=groups, option="--relation") or ())


def check_kinds(names: Sequence[str]) -> set[str]:
    """Kind names or category keys (iap, drug, process ...); UsageError names the bad one."""
    return set(args.check_kinds(names, categories=CATEGORIES, option="--kind") or ())


def categorize(entities: dict[str, Entity], statements: Sequence[Statement]) -> dict[str, str]:
    """Category key per entity; IAPs are the BIRC proteins and forms of them."""
    iaps = {e.id for e in entities.values()
            if e.kind == "protein" and (e.symbol in IAP_SYMBOLS or e.id in IAP_SYMBOLS)}
    forms = {s.subject for s in statements
             if s.relation == "form_of" and s.object in iaps and not s.negated
             and entities[s.subject].kind == "protein_form"}
    return {eid: ("iap" if eid in iaps | forms else category_of_kind(e.kind))
            for eid, e in entities.items()}


def domain_owners(entities: dict[str, Entity], statements: Sequence[Statement]) -> dict[str, str]:
    """Domain id -> owning protein id, from has_domain statements, else from the id's prefix."""
    owners: dict[str, str] = {}
    for s in statements:
        if (s.relation == "has_domain" and not s.negated and s.object in entities
                and entities[s.object].kind == "domain"):
            owners.setdefault(s.object, s.subject)
    for e in entities.values():
        if e.kind == "domain" and e.id not in owners and "." in e.id:
            prefix = e.id.split(".", 1)[0]
            if prefix in entities:
                owners[e.id] = prefix
    return owners


def _walk(starts: Iterable[str], depth: int, adjacency: dict[str, set[str]],
          hubs: set[str]) -> set[str]:
    """Breadth-first up to ``depth`` steps; hub nodes are reached but not walked through."""
    return set(_distances(starts, depth, adjacency, hubs))


def _distances(starts: Iterable[str], depth: int, adjacency: dict[str, set[str]],
               hubs: set[str]) -> dict[str, int]:
    """Node -> steps from the nearest start, up to ``depth``; hubs are reached, not walked through."""
    seen = {s: 0 for s in starts}
    queue = deque((s, 0) for s in sorted(seen))
    while queue:
        node, dist = queue.popleft()
        if dist >= depth or (node in hubs and dist > 0):
            continue
        for nxt in sorted(adjacency.get(node, ())):
            if nxt not in seen:
                seen[nxt] = dist + 1
                queue.append((nxt, dist + 1))
    return seen


def build_view(kg: GraphView, *, focus: Sequence[str] = (), depth: int | None = None,
               relations: Sequence[str] = (), kinds: Sequence[str] = (), hallmark: str | None = None,
               path: tuple[str, str] | None = None, k: int = 3, domains: bool = False,
               negated: bool = True, all_edges: bool = False, exact: bool = False) -> View:
    """Select the view; names resolve through ``kg.resolve`` (UnknownEntity with suggestions).
    A focus class includes its subtypes in the ontology hierarchy unless ``exact``."""
    chosen = [bool(focus), hallmark is not None, path is not None]
    if sum(chosen) > 1:
        raise UsageError("use only one of --focus, --hallmark and --path")
    if depth is not None and depth < 0:
        raise UsageError("--depth must be 0 or more")
    rel_filter = check_relations(relations)
    kind_filter = check_kinds(kinds)
    focus_ids = [kg.resolve(n) for n in focus]
    if focus_ids and not exact:  # lung cancer: NSCLC and SCLC too
        from ..hierarchy import Hierarchy

        index = Hierarchy(kg.dataset.hierarchy)
        focus_ids = list(dict.fromkeys(i for f in focus_ids for i in (f, *index.descendants(f))))
    hallmark_id = kg.resolve(hallmark) if hallmark is not None else None
    path_ids = (kg.resolve(path[0]), kg.resolve(path[1])) if path is not None else None

    entities: dict[str, Entity] = dict(kg.dataset.entities)
    all_statements: list[Statement] = list(kg.dataset.statements)
    categories = categorize(entities, all_statements)
    collapsed = {} if domains else domain_owners(entities, all_statements)
    if hallmark_id is not None and entities[hallmark_id].kind != "hallmark":
        names = ", ".join(sorted(e.label for e in entities.values() if e.kind == "hallmark"))
        raise UsageError(f"--hallmark: {hallmark!r} is a {entities[hallmark_id].kind}, not a hallmark; "
                         f"hallmarks: {names}")

    def drawn(eid: str) -> str:
        return collapsed.get(eid, eid)

    ends: dict[str, tuple[str, str]] = {}
    statements: list[Statement] = []
    for s in all_statements:
        touches_domain = s.subject in collapsed or s.object in collapsed
        if touches_domain and vocab.RELATIONS[s.relation].structural:
            continue
        if rel_filter and s.relation not in rel_filter:
            continue
        if not negated and s.negated:
            continue
        statements.append(s)
        ends[s.id] = (drawn(s.subject), drawn(s.object))

    keep_focus = set(focus_ids) | ({hallmark_id} if hallmark_id else set()) | set(path_ids or ())
    keep_focus = {drawn(n) for n in keep_focus}
    nodes = {eid for eid in entities if eid not in collapsed}
    if kind_filter:
        nodes = {n for n in nodes
                 if entities[n].kind in kind_filter or categories[n] in kind_filter} | keep_focus
    statements = [s for s in statements if ends[s.id][0] in nodes and ends[s.id][1] in nodes]
    if rel_filter:
        touched = {n for s in statements for n in ends[s.id]}
        nodes = {n for n in nodes if n in touched} | keep_focus

    hubs = {eid for eid, e in entities.items() if e.kind in vocab.HUB_KINDS}
    view = View(nodes=[], statements=[], ends=ends, collapsed=collapsed, categories=categories, pool=statements,
                description="filtered graph" if rel_filter or kind_filter else "full graph")
    if focus_ids:
        starts = [drawn(n) for n in focus_ids]
        steps = 1 if depth is None else depth
        adjacency: dict[str, set[str]] = defaultdict(set)
        for s in statements:
            a, b = ends[s.id]
            adjacency[a].add(b)
            adjacency[b].add(a)
        distance = _distances(starts, steps, adjacency, hubs - set(starts))
        nodes = set(distance) & (nodes | set(starts))
        if not all_edges:  # the statements walked along, not every one among the neighbours
            inner = set(starts) | {n for n, d in distance.items() if d < steps and n not in hubs}
            statements = [s for s in statements if ends[s.id][0] in inner or ends[s.id][1] in inner]
        view.focus = starts
        view.highlight_nodes = set(starts)
        labels = ", ".join(entities[n].label for n in starts)
        view.description = f"neighbourhood of {labels}, depth {steps}"
    elif hallmark_id is not None:
        steps = 2 if depth is None else depth
        upstream: dict[str, set[str]] = defaultdict(set)
        for s in statements:
            if not s.negated:
                a, b = ends[s.id]
                upstream[b].add(a)
        nodes = _walk([hallmark_id], steps, upstream, hubs - {hallmark_id}) & (nodes | {hallmark_id})
        view.focus = [hallmark_id]
        view.highlight_nodes = {hallmark_id}
        view.description = f"behind the hallmark {entities[hallmark_id].label}, depth {steps}"
    elif path_ids is not None:
        source, target = (drawn(n) for n in path_ids)
        chains, texts, walked, nets = find_chains(kg, path_ids[0], path_ids[1], k, statements)
        view.chain_hops = chains
        view.chains = [[sid for hop in chain for sid in hop] for chain in chains]
        view.chain_texts = texts
        view.chain_nets = nets
        view.chain_nodes = [_drawn_walk(w, drawn) for w in walked]
        view.path = (source, target)
        nodes = {n for chain in view.chains for sid in chain for n in ends[sid]} | {source, target}
        view.highlight_statements = {sid for chain in view.chains for sid in chain}
        if not all_edges:
            statements = [s for s in statements if s.id in view.highlight_statements]
        view.highlight_nodes = {source, target}
        view.focus = [source, target]
        view.description = (f"{len(chains)} path{'s' if len(chains) != 1 else ''} from "
                            f"{entities[source].label} to {entities[target].label}")
        if not chains:
            view.notes.append(f"no path from {entities[source].label} to {entities[target].label}")

    view.statements = [s for s in statements if ends[s.id][0] in nodes and ends[s.id][1] in nodes]
    order = {eid: i for i, eid in enumerate(entities)}
    view.nodes = sorted(nodes, key=lambda n: (order[n], n))
    extra = []
    if rel_filter:
        extra.append("relations: " + ", ".join(sorted(relations)))
    if kind_filter:
        extra.append("kinds: " + ", ".join(sorted(kinds)))
    if not domains:
        extra.append("domains folded into their protein")
    if extra:
        view.description += " (" + "; ".join(extra) + ")"
    return view


def _hop_ids(chain: Chain) -> list[list[str]]:
    """Statement ids per hop of one chain (every statement backing a hop)."""
    return [[s.id for s in hop.statements] for hop in chain.hops]


def _drawn_walk(walk: Sequence[str], drawn: Callable[[str], str]) -> list[str]:
    """A chain's nodes as drawn: folded, a step inside one protein (its domain) merged away."""
    out: list[str] = []
    for node in walk:
        node = drawn(node)
        if not out or out[-1] != node:
            out.append(node)
    return out


def find_chains(kg: GraphView, source: str, target: str, k: int, statements: Sequence[Statement]
                ) -> tuple[list[list[list[str]]], list[str], list[list[str]], list[str]]:
    """(chains as hops of statement ids, their text, their nodes, their net effect) from the path
    search."""
    known = {s.id for s in statements}
    chains, texts, walks, nets = [], [], [], []
    for chain in find_paths(kg, source, target, k=k):
        # hops over statements this view does not draw (a folded domain's has_domain) drop out
        hops = [[i for i in hop if i in known] for hop in _hop_ids(chain)]
        hops = [hop for hop in hops if hop]
        if hops:
            chains.append(hops)
            texts.append(str(chain))
            walks.append(list(chain.nodes))
            nets.append(chain.net)
    return chains, texts, walks, nets
