"""The walkable index over a dataset and the k-shortest simple chain search on it.

Built in-house instead of on networkx (0.5 s to import) so that ``iapgraph path`` answers from a
cold process in a fraction of a second; the graph is small and the search is plain BFS.

Walk rules (why each exists is in the comment beside it):

- Negated statements are never walked.
- A causal statement (any non-structural relation) is walked subject -> object only.
- Associative relations (correlates_with, prognostic_for, expressed_in, tests, depends_on,
  sensitizes_to ... see ``ASSOCIATIVE``) say nothing about mechanism; they are walked only when
  named in ``relations``.
- Structural statements are walked where they carry meaning, in the directions of
  ``STRUCTURAL_STEPS``: a domain reaches its protein and back, a member its complex or class and
  back, a form (isoform, fusion, cleavage product) its protein but not the reverse (degrading cIAP2
  does not degrade cIAP2-MALT1); ``encodes`` and ``processed_to`` forward only; homology and
  cross-species counterparts never (they transmit no effect). Each structural step is an "up"
  (part to whole) or "down" (whole to part) step, and is sign-neutral.
- An up step may not be followed by a down step, nor a down step by an up step: two parts never
  meet through their whole (cIAP1 -> Complex-I -> RIPK1 would make every two members of a complex
  one step apart) and two wholes never through a shared part (XIAP -> BIR domain -> cIAP1;
  Complex-I -> cIAP1 -> TRAF3-TRAF2-cIAP complex). Any step from a member into its own complex or
  class counts as an up step, whatever its relation (cIAP1 ubiquitinates Complex-I; cIAP1
  degrades "the IAPs").
- After climbing from a member into a class (a protein family, drug class or domain type) a chain
  may only climb further: what "the IAPs" do is not what each IAP does (cIAP1 binds but does not
  inhibit caspases).
- Nodes of hub kinds (``vocab.HUB_KINDS`` other than the classes: hallmarks, processes,
  phenotypes, cancer and cell types, organisms, cellular components) are never passed through,
  only started from or ended at: everything inhibits apoptosis.

``through_hubs=True`` lifts the last two rules. The search runs on states (node, how it was
entered: up, down or otherwise) so the rules stay local; paths are kept simple in nodes.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .. import signs, vocab
from ..cache import memo
from ..exceptions import UsageError
from ..model import Dataset

CAUSAL, UP, DOWN, LINK = 0, 1, 2, 3
STEP_NAMES = {CAUSAL: "causal", UP: "up", DOWN: "down", LINK: "link"}

#: Structural relation -> (step walking subject->object, step walking object->subject); None: not walked.
STRUCTURAL_STEPS: dict[str, tuple[int | None, int | None]] = {
    "has_domain": (DOWN, UP),
    "has_member": (DOWN, UP),
    "part_of": (UP, DOWN),
    "is_a": (UP, DOWN),
    "instance_of": (UP, DOWN),
    "form_of": (UP, None),  # acting on a protein is not acting on its fusion or cleavage product
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
    # a response to an agent, not an action on it: XIAP confers resistance to chemotherapy does
    # not make XIAP act through what chemotherapy does
    "sensitizes_to", "confers_resistance_to",
})

#: Non-structural relations that pass the sign through (a mimetic acts as what it mimics).
SIGN_PRESERVING = frozenset({"mimics"})

#: Structural relations that make the subject a member or part of the object (has_member: reversed).
MEMBERSHIP = frozenset({"has_member", "part_of", "is_a", "instance_of", "form_of", "has_domain"})

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


#: How a state entered its node: a state is ``node * 4 + flag`` (``>> 2`` gives the node).
ENTERED_OTHER, ENTERED_UP, ENTERED_DOWN = 0, 1, 2


@dataclass(frozen=True)
class Route:
    """A found path: the states (node * 4 + how it was entered) and the links between them."""

    states: tuple[int, ...]
    links: tuple[int, ...]

    @property
    def nodes(self) -> tuple[int, ...]:
        return tuple(s >> 2 for s in self.states)

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
                self.link_statements[link].append((number, sign))
        # A step from a member into its own complex or class counts as climbing whatever its
        # relation (cIAP1 ubiquitinates Complex-I; cIAP1 degrades "the IAPs"): what follows obeys
        # the climbing rules, so the class's statements are not inherited through it.
        wholes: set[tuple[int, int]] = set()
        for st in dataset.statements:
            if st.negated or st.relation not in MEMBERSHIP:
                continue
            reverse = st.relation in ("has_member", "has_domain")
            member, whole = (st.object, st.subject) if reverse else (st.subject, st.object)
            wholes.add((position[member], position[whole]))
        self.link_flag = [
            ENTERED_UP if step == UP or (src, dst) in wholes else ENTERED_DOWN if step == DOWN
            else ENTERED_OTHER
            for src, dst, step in zip(self.link_src, self.link_dst, self.link_step, strict=True)]
        #: which flags each node can be entered with (a bit per flag), to prune the backward search
        self.entered = [1] * n
        for link, flag in enumerate(self.link_flag):
            self.entered[self.link_dst[link]] |= 1 << flag
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
        self._heap: list[tuple[int, tuple[str, ...], int, Route]] = []

    # --- the local rules -------------------------------------------------------------------
    def _expandable(self, node: int) -> bool:
        return node == self.source or not (self.rules and self.index.blocked[node])

    def allowed(self, flag: int, node: int, link: int) -> bool:
        """Whether a chain that entered ``node`` with ``flag`` may leave it by ``link``."""
        idx = self.index
        if flag == ENTERED_UP:
            step = idx.link_step[link]
            return step != DOWN and not (self.rules and idx.is_class[node] and step != UP)
        return not (flag == ENTERED_DOWN and idx.link_flag[link] == ENTERED_UP)

    def _successors(self, state: int) -> Iterator[tuple[int, int]]:
        node, flag = state >> 2, state & 3
        if node == self.target or not self._expandable(node):
            return
        idx = self.index
        for link in idx.out_links[node]:
            if self.allowed(flag, node, link):
                yield idx.link_dst[link] * 4 + idx.link_flag[link], link

    # --- one shortest chain ----------------------------------------------------------------
    def shortest(self, start: int, removed_nodes: set[int], removed_links: set[int],
                 limit: int) -> Route | None:
        """A shortest simple route from state ``start`` to the target within ``limit`` steps."""
        route = self._shortest_states(start, removed_nodes, removed_links, limit)
        if route is None or _simple(route):
            return route
        # The state graph's shortest route came back to a node it had climbed into (cIAP1 ->
        # Complex-I -> ... -> Complex-I -> RIPK1). Rare; search simple routes exactly instead.
        return self._shortest_simple(start, removed_nodes, removed_links, limit)

    def _shortest_simple(self, start: int, removed_nodes: set[int], removed_links: set[int],
                         limit: int) -> Route | None:
        """Breadth-first over simple partial routes: exact, and bounded by ``SIMPLE_BUDGET``."""
        queue: list[tuple[int, tuple[int, ...], tuple[int, ...]]] = [(start, (start,), ())]
        budget = SIMPLE_BUDGET
        for _depth in range(limit):
            nxt: list[tuple[int, tuple[int, ...], tuple[int, ...]]] = []
            for state, states, links in queue:
                nodes = {x >> 2 for x in states}
                for child, link in self._successors(state):
                    if (child >> 2) in nodes or (child >> 2) in removed_nodes or (
                            state == start and link in removed_links):
                        continue
                    grown = (child, (*states, child), (*links, link))
                    if child >> 2 == self.target:
                        return Route(grown[1], grown[2])
                    nxt.append(grown)
                    budget -= 1
                    if budget <= 0:
                        return None
            queue = nxt
        return None

    def _shortest_states(self, start: int, removed_nodes: set[int], removed_links: set[int],
                         limit: int) -> Route | None:
        """Bidirectional BFS over (node, entered-by) states, the rules inlined for speed.

        Forward states are ``node * 4 + flag``; a state entered "otherwise" may do all that one
        entered up or down may, so it stands in for them. Backward entries are a node with the
        set (a bit mask) of entry flags that may continue along the recorded tail, so a node is
        expanded backward once per new set, not once per flag. ``removed_links`` are links Yen's
        algorithm forbids out of ``start``; ``removed_nodes`` may not be entered.
        """
        idx = self.index
        source, target, rules = self.source, self.target, self.rules
        out_links, in_links = idx.out_links, idx.in_links
        ldst, lsrc, lstep, lflag = idx.link_dst, idx.link_src, idx.link_step, idx.link_flag
        blocked, is_class, entered = idx.blocked, idx.is_class, idx.entered
        start_node, start_flag = start >> 2, start & 3
        if start_node == target:
            return Route((start,), ())
        # forward: state -> (previous state, link); distance by state
        seen_f: dict[int, tuple[int, int] | None] = {start_node * 4 + f: None for f in range(3)}
        fdist = {start: 0}
        # backward: entry key (node * 8 + mask) -> (next key, link); masks seen per node
        seen_b: dict[int, tuple[int, int] | None] = {target * 8 + 7: None}
        bdist = {target * 8 + 7: 0}
        bmasks: dict[int, int] = {target: 7}
        bkeys: dict[int, list[int]] = {target: [target * 8 + 7]}
        for node in removed_nodes:
            for state in range(node * 4, node * 4 + 3):
                seen_f[state] = None
            bmasks[node] = 7
        ffront, bfront = [start], [target * 8 + 7]
        fdepth = bdepth = 0
        best: tuple[int, int, int] | None = None  # (length, forward state, backward key)
        while ffront and bfront and fdepth + bdepth < limit and best is None:
            if len(ffront) <= len(bfront):
                nxt = []
                for state in ffront:
                    node, flag = state >> 2, state & 3
                    if node == target or (rules and blocked[node] and node != source):
                        continue
                    cls = rules and flag == ENTERED_UP and is_class[node]
                    for link in out_links[node]:
                        if flag == ENTERED_UP:
                            step = lstep[link]
                            if step == DOWN or (cls and step != UP):
                                continue
                        elif flag == ENTERED_DOWN and lflag[link] == ENTERED_UP:
                            continue
                        dst, dflag = ldst[link], lflag[link]
                        child = dst * 4 + dflag
                        if child in seen_f or (dflag and dst * 4 in seen_f) or (
                                state == start and link in removed_links):
                            continue
                        seen_f[child] = (state, link)
                        fdist[child] = fdepth + 1
                        nxt.append(child)
                        if bmasks.get(dst, 0) & (1 << dflag):
                            for key in bkeys.get(dst, ()):
                                if key & (1 << dflag):
                                    total = fdepth + 1 + bdist[key]
                                    if best is None or total < best[0]:
                                        best = (total, child, key)
                fdepth += 1
                ffront = nxt
            else:
                nxt = []
                for key in bfront:
                    node, mask = key >> 3, key & 7
                    for link in in_links[node]:
                        flag = lflag[link]
                        if not mask & (1 << flag):
                            continue
                        prev = lsrc[link]
                        if prev == target or (rules and blocked[prev] and prev != source):
                            continue
                        pmask = 1  # entered otherwise: may leave by any link
                        can = entered[prev]
                        if can & 2:
                            step = lstep[link]
                            if step != DOWN and not (rules and is_class[prev] and step != UP):
                                pmask |= 2
                        if can & 4 and flag != ENTERED_UP:
                            pmask |= 4
                        if prev == start_node:
                            if link in removed_links:
                                continue
                            pmask &= 1 << start_flag
                            if not pmask:
                                continue
                        elif prev == source:
                            pmask &= 1
                        known = bmasks.get(prev, 0)
                        if not pmask & ~known:
                            continue
                        pkey = prev * 8 + pmask
                        if pkey in seen_b:
                            continue
                        bmasks[prev] = known | pmask
                        bkeys.setdefault(prev, []).append(pkey)
                        seen_b[pkey] = (key, link)
                        bdist[pkey] = bdepth + 1
                        nxt.append(pkey)
                        for f in range(3):
                            if pmask & (1 << f) and prev * 4 + f in fdist:
                                total = bdepth + 1 + fdist[prev * 4 + f]
                                if best is None or total < best[0]:
                                    best = (total, prev * 4 + f, pkey)
                bdepth += 1
                bfront = nxt
        if best is None:
            return None
        _, meet, key = best
        states = [meet]
        links: list[int] = []
        back = seen_f[meet]
        while back is not None:
            states.append(back[0])
            links.append(back[1])
            back = seen_f[back[0]]
        states.reverse()
        links.reverse()
        tail = seen_b[key]
        while tail is not None:
            key, link = tail
            states.append((key >> 3) * 4 + lflag[link])
            links.append(link)
            tail = seen_b[key]
        return Route(tuple(states), tuple(links))

    # --- k shortest ------------------------------------------------------------------------
    def routes(self) -> Iterator[Route]:
        """Simple routes in order of length (Yen); ties in a stable order of node ids."""
        ids = self.index.ids
        first = self.shortest(self.source * 4, set(), set(), self.max_length)
        if first is None:
            return
        found = [first]
        seen = {first.links}
        yield first
        heap = self._heap
        counter = 0
        while True:
            last = found[-1]
            for i in range(len(last.links)):
                spur = last.states[i]
                root_links = last.links[:i]
                removed_links = {r.links[i] for r in found
                                 if len(r.links) > i and r.links[:i] == root_links}
                removed_nodes = {s >> 2 for s in last.states[:i]}
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

    def pending(self, length: int) -> list[Route]:
        """Routes of ``length`` that Yen's algorithm has found but not yet yielded (free to take:
        ranking ties among them costs no further search)."""
        return [entry[3] for entry in sorted(self._heap) if entry[0] == length]

    def junction_ok(self, before: Route, after: Route) -> bool:
        """Whether two routes meeting at a node (a --via) obey the step rules there."""
        if not before.links or not after.links:
            return True
        last = before.states[-1]
        return self.allowed(last & 3, last >> 2, after.links[0])


def _simple(route: Route) -> bool:
    nodes = route.nodes
    return len(set(nodes)) == len(nodes)


def walk_index(dataset: Dataset, options: WalkOptions) -> WalkIndex:
    """The index for a dataset and options, built once per dataset and kept while it lives."""
    return memo(dataset, ("walk-index", options), lambda: WalkIndex(dataset, options))


#: joined --via routes kept at most (each leg brings up to -k routes, so they multiply: 100^4)
MAX_VIA_COMBINATIONS = 200_000


def merge_routes(legs: Iterable[list[Route]], check: Iterable[ChainSearch],
                 cap: int = MAX_VIA_COMBINATIONS) -> list[Route]:
    """Routes through consecutive --via legs, joined where simple and allowed at the junction.

    Raises UsageError when the joined routes would pass ``cap`` (issue 18: three --via with -k 100
    took 38 s and 4.4 GB), naming the counts so the user can ask for fewer.
    """
    legs = list(legs)
    searches = list(check)
    combos: list[Route] = [Route(r.states, r.links) for r in legs[0]]
    for leg, search in zip(legs[1:], searches[1:], strict=True):
        joined: list[Route] = []
        for head in combos:
            if len(joined) + len(leg) > cap:
                sizes = " x ".join(str(len(x)) for x in legs)
                raise UsageError(f"--via: {sizes} routes per leg make over {cap:,} combinations; "
                                 "give fewer --via or a smaller -k")
            for tail in leg:
                if not search.junction_ok(head, tail):
                    continue
                route = Route(head.states + tail.states[1:], head.links + tail.links)
                if _simple(route):
                    joined.append(route)
        combos = joined
    return sorted(combos, key=len)
