"""The walkable index over a dataset and the k-shortest simple chain search on it.

Built in-house instead of on networkx (0.5 s to import) so that ``iapgraph path`` answers from a
cold process in a fraction of a second; the graph is small and the search is plain BFS.

Walk rules (why each exists is in the comment beside it):

- Negated statements are never walked.
- A causal statement (any non-structural relation) is walked subject -> object only.
- Associative relations (correlates_with, prognostic_for, expressed_in, tests, depends_on ...) say
  nothing about mechanism; they are walked only when named in ``relations``.
- Structural statements are walked where they carry meaning, in the directions of
  ``STRUCTURAL_STEPS``: a domain reaches its protein and back, a member its complex or class and
  back, a form its protein and back; ``encodes`` and ``processed_to`` forward only; homology and
  cross-species counterparts never (they transmit no effect). Each structural step is an "up"
  (part to whole) or "down" (whole to part) step, and is sign-neutral.
- An up step may not be followed by a down step: cIAP1 -> Complex-I -> RIPK1 would make every
  two members of a complex (or two domains of a protein) one step apart.
- After climbing from a member into a class (a protein family, drug class or domain type) a chain
  may only climb further: what "the IAPs" do is not what each IAP does (cIAP1 binds but does not
  inhibit caspases).
- Nodes of hub kinds (hallmarks, processes, phenotypes, cancer and cell types, organisms) are never
  passed through, only started from or ended at: everything inhibits apoptosis.

``through_hubs=True`` lifts the last two rules. The search runs on states (node, "arrived by an up
step") so the rules stay local; paths are kept simple in nodes.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import signs, vocab
from .model import Dataset

CAUSAL, UP, DOWN, LINK = 0, 1, 2, 3
STEP_NAMES = {CAUSAL: "causal", UP: "up", DOWN: "down", LINK: "link"}

#: Structural relation -> (step walking subject->object, step walking object->subject); None: not walked.
STRUCTURAL_STEPS: dict[str, tuple[int | None, int | None]] = {
    "has_domain": (DOWN, UP),
    "has_member": (DOWN, UP),
    "part_of": (UP, DOWN),
    "is_a": (UP, DOWN),
    "instance_of": (UP, DOWN),
    "form_of": (UP, DOWN),
    "encodes": (LINK, None),
    "processed_to": (LINK, None),
    "counterpart_of": (None, None),
    "homologous_to": (None, None),
}

#: How a structural statement reads when walked object -> subject.
INVERSE_LABELS = {
    "has_domain": "domain of",
    "has_member": "member of",
    "part_of": "has part",
    "is_a": "has subtype",
    "instance_of": "has instance",
    "form_of": "has form",
}

#: Relations that record an association, not a mechanism: walked only when asked for by name.
ASSOCIATIVE = frozenset({
    "correlates_with", "associated_with", "prognostic_for", "expressed_in", "amplified_in",
    "predicted_by", "biomarker_tested", "tests", "studies_condition", "combined_with",
    "synergizes_with", "depends_on",
})

#: Non-structural relations that pass the sign through (a mimetic acts as what it mimics).
SIGN_PRESERVING = frozenset({"mimics"})

#: Kinds that group members (climbing into them ends a chain's causal part).
CLASS_KINDS = frozenset({"protein_family", "drug_class", "domain_type"})
#: Hub kinds never passed through: the rest of vocab.HUB_KINDS.
BLOCKED_KINDS = frozenset(vocab.HUB_KINDS) - CLASS_KINDS


@dataclass(frozen=True)
class WalkOptions:
    """Which statements a search walks. ``relations`` None means every mechanistic relation."""

    relations: frozenset[str] | None = None
    exclude: frozenset[str] = frozenset()
    signed: bool = False
    through_hubs: bool = False

    def steps(self, relation: str) -> tuple[int | None, int | None]:
        """The step kinds a statement with this relation gives (forward, reverse)."""
        if relation in self.exclude:
            return (None, None)
        if vocab.RELATIONS[relation].structural:
            named_structural = self.relations and any(
                vocab.RELATIONS[r].structural for r in self.relations)
            if named_structural and relation not in self.relations:  # type: ignore[operator]
                return (None, None)
            return STRUCTURAL_STEPS.get(relation, (None, None))
        if self.relations is not None:
            return (CAUSAL, None) if relation in self.relations else (None, None)
        return (None, None) if relation in ASSOCIATIVE else (CAUSAL, None)


def statement_sign(relation: str, effect: str) -> str:
    """The sign a statement gives a step: neutral for structural and sign-preserving relations."""
    if vocab.RELATIONS[relation].structural or relation in SIGN_PRESERVING:
        return signs.NEUTRAL
    return effect


@dataclass(frozen=True)
class Route:
    """A found path: the states (node * 2 + arrived-by-up) and the links between them."""

    states: tuple[int, ...]
    links: tuple[int, ...]

    @property
    def nodes(self) -> tuple[int, ...]:
        return tuple(s >> 1 for s in self.states)

    def __len__(self) -> int:
        return len(self.links)


class WalkIndex:
    """Nodes and links of one dataset under one set of walk options.

    A link joins two nodes by one kind of step and holds every statement (by index into
    ``dataset.statements``) that supports it, with the sign each gives.
    """

    def __init__(self, dataset: Dataset, options: WalkOptions = WalkOptions()):
        self.options = options
        self.ids: list[str] = list(dataset.entities)
        self.position = {eid: i for i, eid in enumerate(self.ids)}
        kinds = [dataset.entities[e].kind for e in self.ids]
        self.is_class = [k in CLASS_KINDS for k in kinds]
        self.blocked = [k in BLOCKED_KINDS for k in kinds]
        n = len(self.ids)
        self.out_links: list[list[int]] = [[] for _ in range(n)]
        self.in_links: list[list[int]] = [[] for _ in range(n)]
        self.has_up_in = [False] * n
        self.link_src: list[int] = []
        self.link_dst: list[int] = []
        self.link_step: list[int] = []
        self.link_reverse: list[bool] = []
        self.link_statements: list[list[tuple[int, str]]] = []
        found: dict[tuple[int, int, int, bool], int] = {}
        steps_cache: dict[str, tuple[int | None, int | None]] = {}
        position = self.position
        for number, s in enumerate(dataset.statements):
            if s.negated:
                continue
            steps = steps_cache.get(s.relation)
            if steps is None:
                steps = steps_cache[s.relation] = options.steps(s.relation)
            if steps == (None, None):
                continue
            sign = statement_sign(s.relation, s.effect)
            if options.signed and sign == signs.UNKNOWN:
                continue
            u, v = position[s.subject], position[s.object]
            if u == v:
                continue
            for step, a, b, reverse in ((steps[0], u, v, False), (steps[1], v, u, True)):
                if step is None:
                    continue
                key = (a, b, step, reverse)
                link = found.get(key)
                if link is None:
                    link = found[key] = len(self.link_src)
                    self.link_src.append(a)
                    self.link_dst.append(b)
                    self.link_step.append(step)
                    self.link_reverse.append(reverse)
                    self.link_statements.append([])
                    self.out_links[a].append(link)
                    self.in_links[b].append(link)
                    if step == UP:
                        self.has_up_in[b] = True
                self.link_statements[link].append((number, sign))
        ids = self.ids
        for lists in (self.out_links, self.in_links):
            for links in lists:
                if len(links) > 1:  # a stable, readable order makes results reproducible
                    links.sort(key=lambda lk: (ids[self.link_dst[lk]], ids[self.link_src[lk]],
                                               self.link_step[lk]))

    def __len__(self) -> int:
        return len(self.link_src)


#: Partial routes the exact fallback search may hold before it gives up on one spur.
SIMPLE_BUDGET = 200_000


class ChainSearch:
    """k shortest simple chains from one node to another (Yen's algorithm over bidirectional BFS)."""

    def __init__(self, index: WalkIndex, source: int, target: int, max_length: int):
        self.index = index
        self.source = source
        self.target = target
        self.max_length = max_length
        self.rules = not index.options.through_hubs

    # --- the local rules -------------------------------------------------------------------
    def _expandable(self, node: int) -> bool:
        return node == self.source or not (self.rules and self.index.blocked[node])

    def _allowed(self, arrived_up: bool, node: int, step: int) -> bool:
        if arrived_up and step == DOWN:
            return False
        return not (self.rules and arrived_up and step != UP and self.index.is_class[node])

    def _successors(self, state: int) -> Iterator[tuple[int, int]]:
        node, up = state >> 1, bool(state & 1)
        if node == self.target or not self._expandable(node):
            return
        idx = self.index
        for link in idx.out_links[node]:
            step = idx.link_step[link]
            if self._allowed(up, node, step):
                yield idx.link_dst[link] * 2 + (step == UP), link

    def _predecessors(self, state: int) -> Iterator[tuple[int, int]]:
        node, up = state >> 1, bool(state & 1)
        idx = self.index
        for link in idx.in_links[node]:
            step = idx.link_step[link]
            if (step == UP) != up:
                continue
            prev = idx.link_src[link]
            if prev == self.target or not self._expandable(prev):
                continue
            for prev_up in ((False,) if prev == self.source else (False, True)):
                if prev_up and not idx.has_up_in[prev]:
                    continue
                if self._allowed(prev_up, prev, step):
                    yield prev * 2 + prev_up, link

    # --- one shortest chain ----------------------------------------------------------------
    def shortest(self, start: int, removed_nodes: set[int], removed_links: set[tuple[int, int]],
                 limit: int) -> Route | None:
        """A shortest simple route from state ``start`` to the target within ``limit`` steps."""
        route = self._shortest_states(start, removed_nodes, removed_links, limit)
        if route is None or _simple(route):
            return route
        # The state graph's shortest route came back to a node it had climbed into (cIAP1 ->
        # Complex-I -> ... -> Complex-I -> RIPK1). Rare; search simple routes exactly instead.
        return self._shortest_simple(start, removed_nodes, removed_links, limit)

    def _shortest_simple(self, start: int, removed_nodes: set[int],
                         removed_links: set[tuple[int, int]], limit: int) -> Route | None:
        """Breadth-first over simple partial routes: exact, and bounded by ``SIMPLE_BUDGET``."""
        queue = [(start, (start,), ())]
        budget = SIMPLE_BUDGET
        for _depth in range(limit):
            nxt = []
            for state, states, links in queue:
                nodes = {x >> 1 for x in states}
                for child, link in self._successors(state):
                    if (child >> 1) in nodes or (child >> 1) in removed_nodes or (state, link) in removed_links:
                        continue
                    grown = (child, (*states, child), (*links, link))
                    if child >> 1 == self.target:
                        return Route(grown[1], grown[2])
                    nxt.append(grown)
                    budget -= 1
                    if budget <= 0:
                        return None
            queue = nxt
        return None

    def _shortest_states(self, start: int, removed_nodes: set[int],
                         removed_links: set[tuple[int, int]], limit: int) -> Route | None:
        """Bidirectional BFS over (node, arrived-by-up) states."""
        goals = [self.target * 2, self.target * 2 + 1]
        if start >> 1 == self.target:
            return Route((start,), ())
        fparent: dict[int, tuple[int, int] | None] = {start: None}
        fdist = {start: 0}
        bparent: dict[int, tuple[int, int] | None] = {g: None for g in goals}
        bdist = dict.fromkeys(goals, 0)
        ffront, bfront = [start], goals
        fdepth = bdepth = 0
        best: tuple[int, int] | None = None  # (length, meeting state)
        while ffront and bfront and fdepth + bdepth < limit and best is None:
            if len(ffront) <= len(bfront):
                nxt = []
                for state in ffront:
                    for child, link in self._successors(state):
                        if child in fparent or (child >> 1) in removed_nodes or (state, link) in removed_links:
                            continue
                        if child >> 1 == start >> 1:
                            continue
                        fparent[child] = (state, link)
                        fdist[child] = fdepth + 1
                        nxt.append(child)
                        if child in bdist:
                            total = fdepth + 1 + bdist[child]
                            if best is None or total < best[0]:
                                best = (total, child)
                fdepth += 1
                ffront = nxt
            else:
                nxt = []
                for state in bfront:
                    for parent, link in self._predecessors(state):
                        if parent in bparent or (parent >> 1) in removed_nodes or (parent, link) in removed_links:
                            continue
                        if (parent >> 1) == start >> 1 and parent != start:
                            continue
                        bparent[parent] = (state, link)
                        bdist[parent] = bdepth + 1
                        nxt.append(parent)
                        if parent in fparent:
                            total = bdepth + 1 + fdist[parent]
                            if best is None or total < best[0]:
                                best = (total, parent)
                bdepth += 1
                bfront = nxt
        if best is None:
            return None
        meet = best[1]
        states = [meet]
        links: list[int] = []
        step = fparent[meet]
        while step is not None:
            states.append(step[0])
            links.append(step[1])
            step = fparent[step[0]]
        states.reverse()
        links.reverse()
        step = bparent[meet]
        while step is not None:
            states.append(step[0])
            links.append(step[1])
            step = bparent[step[0]]
        return Route(tuple(states), tuple(links))

    # --- k shortest ------------------------------------------------------------------------
    def routes(self) -> Iterator[Route]:
        """Simple routes in order of length (Yen); ties in a stable order of node ids."""
        ids = self.index.ids
        first = self.shortest(self.source * 2, set(), set(), self.max_length)
        if first is None:
            return
        found = [first]
        seen = {first.links}
        yield first
        heap: list[tuple[int, tuple[str, ...], int, Route]] = []
        counter = 0
        while True:
            last = found[-1]
            for i in range(len(last.links)):
                spur = last.states[i]
                root_links = last.links[:i]
                removed_links = {(spur, r.links[i]) for r in found
                                 if len(r.links) > i and r.links[:i] == root_links}
                removed_nodes = {s >> 1 for s in last.states[:i]}
                tail = self.shortest(spur, removed_nodes, removed_links, self.max_length - i)
                if tail is None:
                    continue
                route = Route(last.states[:i] + tail.states, root_links + tail.links)
                if route.links in seen or not _simple(route):
                    continue
                seen.add(route.links)
                counter += 1
                heapq.heappush(heap, (len(route), tuple(ids[n] for n in route.nodes), counter, route))
            if not heap:
                return
            route = heapq.heappop(heap)[3]
            found.append(route)
            yield route

    def junction_ok(self, before: Route, after: Route) -> bool:
        """Whether two routes meeting at a node (a --via) obey the step rules there."""
        if not before.links or not after.links:
            return True
        arrived_up = bool(before.states[-1] & 1)
        return self._allowed(arrived_up, before.states[-1] >> 1, self.index.link_step[after.links[0]])


def _simple(route: Route) -> bool:
    nodes = route.nodes
    return len(set(nodes)) == len(nodes)


def walk_index(dataset: Dataset, options: WalkOptions, _cache: dict = {}) -> WalkIndex:  # noqa: B006
    """The index for a dataset and options, built once per process and kept for reuse."""
    key = (id(dataset), options)
    hit = _cache.get(key)
    if hit is not None and hit[0] is dataset:
        return hit[1]
    if len(_cache) > 8:
        _cache.clear()
    index = WalkIndex(dataset, options)
    _cache[key] = (dataset, index)
    return index


def merge_routes(legs: Iterable[list[Route]], check: Iterable[ChainSearch]) -> list[Route]:
    """Routes through consecutive --via legs, joined where simple and allowed at the junction."""
    legs = list(legs)
    searches = list(check)
    combos: list[Route] = [Route(r.states, r.links) for r in legs[0]]
    for leg, search in zip(legs[1:], searches[1:], strict=True):
        joined = []
        for head in combos:
            for tail in leg:
                if not search.junction_ok(head, tail):
                    continue
                route = Route(head.states + tail.states[1:], head.links + tail.links)
                if _simple(route):
                    joined.append(route)
        combos = joined
    return sorted(combos, key=len)
