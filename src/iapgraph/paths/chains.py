"""Chains of statements between entities, neighbourhoods and explanations: ``kg.paths`` & co.

How a pathway biologist asks the graph: "how does a SMAC mimetic lead to non-canonical NF-kB
activation?" is ``kg.explain("SMAC mimetic", "non-canonical NF-kB pathway")``; "what does cIAP1
ubiquitinate?" is ``kg.neighbors("cIAP1", relations="ubiquitinates", direction="out")``.
Every name goes through ``kg.resolve`` (labels, symbols, aliases, xrefs; case-insensitive).
What the search walks, and why, is in :mod:`iapgraph.paths.search`; signs in :mod:`iapgraph.signs`.

>>> import iapgraph
>>> kg = iapgraph.load()
>>> chain = kg.paths("XIAP", "ERK1/2")[0]
>>> chain.labels, chain.net
(('XIAP', 'FAK', 'ERK1/2'), 'up')
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import signs, vocab
from ..args import as_list, check_count, check_relations
from ..cache import memo
from ..exceptions import UsageError
from ..model import Entity, GraphView, Statement
from ..records import cited, statement_record
from .search import (
    ASSOCIATIVE,
    CLASS_KINDS,
    INVERSE_LABELS,
    SIGN_PRESERVING,
    STEP_NAMES,
    ChainSearch,
    Route,
    WalkIndex,
    WalkOptions,
    merge_routes,
    walk_index,
    with_subtypes,
)

__all__ = ["Chain", "Explanation", "Hop", "explain", "narrate", "no_chain_hint", "paths"]

#: Most chains worth reading are short; longer ones are asked for with max_length.
DEFAULT_MAX_LENGTH = 6
#: How many routes a search may look at per chain asked for before it gives up (--expect can
#: reject most routes of a large graph).
_ROUTE_BUDGET = 40
#: Equally short routes looked at, per chain asked for, beyond the k-th, to rank ties by support.
_TIES = 2
#: Graphs up to this many links get the extra tie search (the curated graph has a few thousand).
_SMALL_GRAPH_LINKS = 50_000


# --- records ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hop:
    """One step of a chain: the statements (same direction and sign) that support it, best first."""

    source: str
    target: str
    sign: str
    step: str  # causal, up, down or link (see paths.search)
    reverse: bool  # walked object -> subject (a structural statement read backwards)
    statements: tuple[Statement, ...]
    entities: Mapping[str, Entity] = field(repr=False, compare=False)

    @property
    def primary(self) -> Statement:
        return self.statements[0]

    @property
    def relation(self) -> str:
        return self.primary.relation

    @property
    def label(self) -> str:
        """The relation as read in the walked direction ('domain of' for has_domain backwards)."""
        if self.reverse:
            return INVERSE_LABELS.get(self.relation, f"{vocab.RELATIONS[self.relation].label} (reversed)")
        return vocab.RELATIONS[self.relation].label

    @property
    def source_label(self) -> str:
        return self.entities[self.source].label

    @property
    def target_label(self) -> str:
        return self.entities[self.target].label

    @property
    def support(self) -> int:
        """Distinct studies cited for this step (a statement on the review's own authority: 0)."""
        return len({c for s in self.statements for c in cited(s)})

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.source, "from_label": self.source_label, "to": self.target,
            "to_label": self.target_label, "relation": self.relation, "label": self.label,
            "sign": self.sign, "step": self.step, "reversed": self.reverse,
            "statements": [statement_record(s, self.entities) for s in self.statements],
        }


@dataclass(frozen=True)
class Chain:
    """A simple chain of hops from a source to a target, with its net effect."""

    hops: tuple[Hop, ...]

    @property
    def nodes(self) -> tuple[str, ...]:
        return (self.hops[0].source, *(h.target for h in self.hops))

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.hops[0].source_label, *(h.target_label for h in self.hops))

    @property
    def relations(self) -> tuple[str, ...]:
        return tuple(h.relation for h in self.hops)

    @property
    def signs(self) -> tuple[str, ...]:
        return tuple(h.sign for h in self.hops)

    @property
    def net(self) -> str:
        """up, down or unknown: the product of the hops' signs."""
        return signs.net(self.signs)

    @property
    def support(self) -> tuple[int, int]:
        """(weakest hop's studies, all hops' studies): how well the chain is backed."""
        per_hop = [h.support for h in self.hops]
        return min(per_hop), sum(per_hop)

    @property
    def statement_count(self) -> int:
        """Statements behind all the hops (more statements: a better-attested chain)."""
        return sum(len(h.statements) for h in self.hops)

    @property
    def penalties(self) -> tuple[str, ...]:
        """The hops that stand in for what the chain claims, each counted as one more step:
        a mimicry (a drug class acting as what it mimics), a step between a class and its member
        (what "the SMAC mimetics" do is not what LCL161 does), and a pass through a generic
        family (XIAP inhibits "caspases", "caspases" cleave Livin: maybe not the same caspases)."""
        found: list[str] = []
        touched: set[str] = set()
        for h in self.hops:
            kinds = (h.entities[h.source].kind, h.entities[h.target].kind)
            if h.relation in SIGN_PRESERVING:
                found.append(f"mimicry ({h.source_label} {h.label} {h.target_label})")
            elif h.step in ("up", "down") and h.relation in _CLASS_STEPS and (
                    kinds[0] in CLASS_KINDS or kinds[1] in CLASS_KINDS):
                found.append(f"class step ({h.source_label} {h.label} {h.target_label})")
                touched.update(n for n, kind in zip((h.source, h.target), kinds, strict=True)
                               if kind in CLASS_KINDS)
        for node in self.nodes[1:-1]:
            entity = self.hops[0].entities[node]
            if entity.kind in CLASS_KINDS and node not in touched:
                found.append(f"through the family {entity.label}")
        return tuple(found)

    @property
    def cost(self) -> int:
        """Steps plus penalties: what ranks chains first (fewer is more direct)."""
        return len(self) + len(self.penalties)

    @property
    def rank_reason(self) -> str:
        """Why the chain ranks where it does: its cost, then the evidence behind it."""
        weakest, _total = self.support
        penalties = self.penalties
        head = f"{len(self)} step{'s' * (len(self) > 1)}"
        if penalties:
            head += f" + {len(penalties)} penalt{'ies' if len(penalties) > 1 else 'y'} ({'; '.join(penalties)})"
        return (f"{head}; weakest step cites {weakest} stud{'y' if weakest == 1 else 'ies'}; "
                f"{self.statement_count} statement{'s' * (self.statement_count > 1)}")

    def __len__(self) -> int:
        return len(self.hops)

    def __str__(self) -> str:
        parts = [self.hops[0].source_label]
        for h in self.hops:
            parts.append(f"-[{h.label} {signs.symbol(h.sign)}]-> {h.target_label}")
        return " ".join(parts) + f"  (net {self.net})"

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": list(self.nodes), "labels": list(self.labels), "length": len(self),
                "net_effect": self.net, "cost": self.cost, "penalties": list(self.penalties),
                "rank": self.rank_reason, "hops": [h.to_dict() for h in self.hops]}


#: Structural relations that join a member and its class (penalised when a class is an end).
_CLASS_STEPS = frozenset({"has_member", "is_a", "instance_of"})
_FAR = 10**6


def _names(entity: Entity) -> list[str]:
    names = {entity.label, entity.id.replace("_", " "), *entity.aliases}
    if entity.symbol:
        names.add(entity.symbol)
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


_MENTION_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _mentions(text: str, entity: Entity) -> list[int]:
    """Where a quote names an entity (any of its names, whole words, any case): every position
    where one of the names starts (one pattern per entity, its names inside a look-ahead, so that
    a match of one name does not hide an overlapping match of another)."""
    names = tuple(_names(entity))
    pattern = _MENTION_PATTERNS.get(names)
    if pattern is None:
        pattern = _MENTION_PATTERNS[names] = re.compile(
            r"(?<![\w-])(?=(?:" + "|".join(map(re.escape, names)) + r")(?![a-z0-9]))", re.IGNORECASE)
    return [m.start() for m in pattern.finditer(text)] if names else []


def directness(s: Statement, entities: Mapping[str, Entity]) -> tuple[int, int]:
    """How directly a quote supports its statement: (ends it names missing, 0-2; characters
    between the closest mentions of subject and object)."""
    a = _mentions(s.evidence, entities[s.subject]) if s.subject in entities else []
    b = _mentions(s.evidence, entities[s.object]) if s.object in entities else []
    missing = (not a) + (not b)
    gap = min((abs(x - y) for x in a for y in b), default=_FAR)
    return missing, gap


def _best_first(statements: Iterable[Statement], entities: Mapping[str, Entity],
                known: dict[str, tuple[int, int]] | None = None) -> tuple[Statement, ...]:
    """The best quote first: the one naming both ends most directly (both named, closest
    together), then statements citing a study, naming a domain or a mechanism, then by id.
    ``known`` keeps each statement's directness (by id) across calls."""
    known = {} if known is None else known

    def key(s: Statement) -> tuple:
        if s.id not in known:
            known[s.id] = directness(s, entities)
        return (*known[s.id], not cited(s), not s.domains, not s.mechanism, s.id)

    return tuple(sorted(statements, key=key))


def _chains(index: WalkIndex, kg: GraphView, route: Route, limit: int = 32) -> list[Chain]:
    """The chains one route stands for: one per choice of sign at hops with statements of both."""
    statements = kg.dataset.statements
    entities = kg.dataset.entities
    known: dict[str, tuple[int, int]] = memo(kg.dataset, "quote-directness", dict)
    choices: list[list[Hop]] = []
    for link in route.links:
        groups: dict[str, list[Statement]] = {}
        for number, sign in index.link_statements[link]:
            groups.setdefault(sign, []).append(statements[number])
        if len(groups) > 1:
            groups.pop(signs.UNKNOWN, None)  # a signed statement says more than an unsigned one
        hops = [Hop(index.ids[index.link_src[link]], index.ids[index.link_dst[link]],
                    sign, STEP_NAMES[index.link_step[link]], index.link_reverse[link],
                    _best_first(group, entities, known), entities)
                for sign, group in sorted(groups.items())]
        choices.append(hops)
    return [Chain(tuple(combo)) for combo in itertools.islice(itertools.product(*choices), limit)]


def _rank(chain: Chain) -> tuple:
    """Best first: the fewest steps counting each penalty as one (direct), a known net effect,
    the weakest step citing the most studies (firmer), the most statements, then stable order."""
    weakest, total = chain.support
    return (chain.cost, chain.net == signs.UNKNOWN, -weakest, -chain.statement_count, -total,
            len(chain), chain.nodes, chain.signs)


# --- paths -----------------------------------------------------------------------------------

def _subtypes(kg: GraphView, entity_id: str) -> list[str]:
    """The entity and its subtypes (is_a) in the ontology hierarchy, nearest first."""
    return with_subtypes(kg.dataset, entity_id)


def paths(kg: GraphView, source: str, target: str, *, k: int = 3, max_length: int = DEFAULT_MAX_LENGTH,
          relations: str | Iterable[str] | None = None,
          exclude_relations: str | Iterable[str] | None = None,
          via: str | Iterable[str] | None = None, signed: bool = False, expect: str | None = None,
          through_hubs: bool = False, exact: bool = False) -> list[Chain]:
    """The shortest chains of statements from ``source`` to ``target``, best first.

    A class at either end stands for itself and its subtypes in the ontology hierarchy (a chain to
    lung cancer may end at NSCLC; its last node says which), unless ``exact``.

    ``k`` chains at most, none longer than ``max_length`` hops. ``relations`` limits the
    mechanistic relations walked (structural glue is still walked unless excluded);
    ``exclude_relations`` drops some; ``via`` names entities the chain must pass, in order.
    ``signed`` keeps only chains whose every step has a sign (so the net effect is known);
    ``expect`` ("up" or "down") also drops chains whose net effect contradicts it.
    ``through_hubs`` lets chains pass processes, hallmarks and the like (see paths.search).
    """
    check_count("k", k)
    check_count("max_length", max_length)
    if expect is not None and expect not in (signs.UP, signs.DOWN):
        raise UsageError(f"expect must be 'up' or 'down', got {expect!r}")
    options = WalkOptions(relations=check_relations(relations),
                          exclude=check_relations(exclude_relations) or frozenset(),
                          signed=signed or expect is not None, through_hubs=through_hubs)
    if not exact:
        ends = [_subtypes(kg, kg.resolve(source)), _subtypes(kg, kg.resolve(target))]
        if len(ends[0]) > 1 or len(ends[1]) > 1:
            pairs = [(a, b) for a in ends[0] for b in ends[1] if a != b]
            found_all: dict[tuple[str, ...], Chain] = {}
            for a, b in pairs:
                for chain in paths(kg, a, b, k=k, max_length=max_length, relations=relations,
                                   exclude_relations=exclude_relations, via=via, signed=signed,
                                   expect=expect, through_hubs=through_hubs, exact=True):
                    found_all.setdefault(tuple(s.id for h in chain.hops for s in h.statements), chain)
            return sorted(found_all.values(), key=_rank)[:k]
    stops = [kg.resolve(source), *(kg.resolve(v) for v in as_list(via)), kg.resolve(target)]
    for a, b in itertools.pairwise(stops):
        if a == b:
            raise UsageError(f"{kg.dataset.entities[a].label!r} is given twice in a row: a chain needs "
                             "two different entities")
    index = walk_index(kg.dataset, options)
    searches = [ChainSearch(index, index.position[a], index.position[b], max_length)
                for a, b in itertools.pairwise(stops)]
    if len(searches) == 1:
        routes: Iterator[Route] = searches[0].routes()
    else:
        per_leg = 2 * k + 2
        legs = [list(itertools.islice(s.routes(), per_leg)) for s in searches]
        routes = merge_routes(legs, searches, max_length=max_length)
    # Equally short routes are ranked by their evidence: on a small graph look at a few more of
    # them, and when the k-th best chain so far is penalised (a mimicry, a class step, a generic
    # family: see Chain.penalties) at routes one step longer too, which may rank above it; on a
    # large graph only at those the search already holds.
    small = len(index) <= _SMALL_GRAPH_LINKS
    tie_pull = _TIES * k if small else 0
    found: list[Chain] = []
    cut: int | None = None  # the length at which k chains were found
    reach: int | None = None  # the longest route looked at once k were found
    for looked, route in enumerate(routes):
        if looked >= _ROUTE_BUDGET * k or (reach is not None and len(route) > reach):
            break
        found += [c for c in _chains(index, kg, route) if expect is None or c.net == expect]
        if cut is None and len(found) >= k:
            cut = reach = len(route)
            if small and sorted(found, key=_rank)[k - 1].cost > cut and cut < max_length:
                reach, tie_pull = cut + 1, 2 * tie_pull + k
        if cut is not None:
            if tie_pull <= 0:
                break
            tie_pull -= 1
    if cut is not None and len(searches) == 1:
        for route in searches[0].pending(cut):
            found += [c for c in _chains(index, kg, route) if expect is None or c.net == expect]
    found = [c for c in found if reach is None or len(c) <= reach]
    return sorted(found, key=_rank)[:k]


#: The longest chain the hint for an empty search looks for.
_HINT_MAX_LENGTH = 12


def no_chain_hint(kg: GraphView, source: str, target: str, *, max_length: int = DEFAULT_MAX_LENGTH,
                  relations: str | Iterable[str] | None = None,
                  exclude_relations: str | Iterable[str] | None = None,
                  via: str | Iterable[str] | None = None, signed: bool = False,
                  expect: str | None = None, through_hubs: bool = False) -> str:
    """Why a search found no chain, when a default is the reason: the default and the option that
    lifts it ("" when lifting none of them finds a chain).

    Tried in turn, each alone: walking the associative relations (left out unless named), passing
    hubs (``--through-hubs``), a longer limit (``--max-length``).
    """
    asked = dict(exclude_relations=exclude_relations, via=via, signed=signed, expect=expect)
    if relations is None:
        every = [r for r, rel in vocab.RELATIONS.items() if not rel.structural]
        found = paths(kg, source, target, k=1, max_length=max_length, relations=every,
                      through_hubs=through_hubs, **asked)  # type: ignore[arg-type]
        if found:
            named = list(dict.fromkeys(h.relation for h in found[0].hops
                                       if not vocab.RELATIONS[h.relation].structural))
            left_out = [r for r in named if r in ASSOCIATIVE]
            return (f"by default associative relations ({', '.join(left_out)}) are not walked; "
                    f"naming them finds a chain: {' '.join('--relation ' + r for r in named)}")
    if not through_hubs:
        found = paths(kg, source, target, k=1, max_length=max_length, relations=relations,
                      through_hubs=True, **asked)  # type: ignore[arg-type]
        if found:
            return ("by default chains do not pass processes, hallmarks, cancer types or a class's "
                    "members; --through-hubs finds a chain")
    if max_length < _HINT_MAX_LENGTH:
        found = paths(kg, source, target, k=1, max_length=_HINT_MAX_LENGTH, relations=relations,
                      through_hubs=through_hubs, **asked)  # type: ignore[arg-type]
        if found:
            default = " by default" if max_length == DEFAULT_MAX_LENGTH else ""
            return (f"chains are at most {max_length} step{'s' * (max_length > 1)} long{default}; the "
                    f"shortest has {len(found[0])}: --max-length {len(found[0])} finds it")
    return ""


# --- explain ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Explanation:
    """The best-supported chains between two entities, as a readable account (``str()``)."""

    source: str
    target: str
    chains: tuple[Chain, ...]
    signed: bool  # False when no chain had a sign at every step and unsigned ones are shown
    entities: Mapping[str, Entity] = field(repr=False, compare=False)

    @property
    def net(self) -> str:
        """up, down, unknown, conflicting (chains disagree) or none (no chain found)."""
        nets = {c.net for c in self.chains}
        if not nets:
            return "none"
        if nets == {signs.UP} or nets == {signs.DOWN}:
            return nets.pop()
        return "conflicting" if {signs.UP, signs.DOWN} <= nets else signs.UNKNOWN

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "source_label": self.entities[self.source].label,
                "target": self.target, "target_label": self.entities[self.target].label,
                "net_effect": self.net, "signed": self.signed,
                "chains": [c.to_dict() for c in self.chains]}

    def __str__(self) -> str:
        return narrate(self)


def explain(kg: GraphView, source: str, target: str, *, k: int = 2,
            max_length: int = DEFAULT_MAX_LENGTH, expect: str | None = None,
            via: str | Iterable[str] | None = None, relations: str | Iterable[str] | None = None,
            exclude_relations: str | Iterable[str] | None = None,
            through_hubs: bool = False, exact: bool = False) -> Explanation:
    """The ``k`` best-supported signed chains from source to target, hop by hop with evidence.

    Among the shortest chains and those one step longer, ranked as :func:`paths` ranks them: the
    fewest steps counting each penalty (mimicry, class step, generic family) as one more, then
    the chain whose weakest step cites the most studies (a step on the review's own authority
    cites none), then the one with the most statements.
    When no chain is signed at every step, unsigned chains are shown instead
    (``Explanation.signed`` is then False and the net effect unknown).
    """
    check_count("k", k)
    wide = max(4 * k, 12)

    def search(signed: bool, expect: str | None) -> list[Chain]:
        return paths(kg, source, target, k=wide, signed=signed, expect=expect, max_length=max_length,
                     via=via, relations=relations, exclude_relations=exclude_relations,
                     through_hubs=through_hubs, exact=exact)

    chains = search(True, expect)
    signed = bool(chains)
    if not chains and expect is None:
        chains = search(False, None)
    if chains:
        shortest = min(len(c) for c in chains)
        chains = [c for c in chains if len(c) <= shortest + 1]
    chains = sorted(chains, key=_rank)[:k]
    return Explanation(kg.resolve(source), kg.resolve(target), tuple(chains), signed,
                       kg.dataset.entities)


_QUALIFIERS_SHOWN = ("ub_chain", "localization", "condition", "model")


def describe_hop(hop: Hop) -> str:
    """'cIAP1 ubiquitinates NIK (down; by ubiquitination; K48 chains; via cIAP1 RING)'."""
    s = hop.primary
    notes = [hop.sign]
    if s.mechanism and not hop.reverse:
        notes.append("by " + s.mechanism.replace("_", " "))
    for key in _QUALIFIERS_SHOWN:
        if key in s.qualifiers:
            value = s.qualifiers[key]
            notes.append(f"{value} chains" if key == "ub_chain" else f"{key} {value}")
    labels = hop.entities
    if s.domains:
        notes.append("via " + ", ".join(labels[d].label for d in s.domains))
    if s.contexts:
        notes.append("in " + ", ".join(labels[c].label for c in s.contexts))
    return f"{hop.source_label} {hop.label} {hop.target_label} ({'; '.join(notes)})"


def hop_lines(hop: Hop, prefix: str = "  ", width: int = 100) -> list[str]:
    """A hop as text: what it says, the quote (wrapped), and where it comes from."""
    indent = " " * (len(prefix) + 1)
    s = hop.primary
    lines = [prefix + describe_hop(hop)]
    lines += textwrap.wrap(f'"{s.evidence}"', width, initial_indent=indent,
                           subsequent_indent=indent + " ", break_on_hyphens=False)
    also = [t.id for t in hop.statements[1:]]
    tail = f"; also {', '.join(also)}" if also else ""
    lines.append(f"{indent}({s.citation}; section {s.section}; {s.id}{tail})")
    return lines


def narrate(explanation: Explanation, width: int = 100) -> str:
    """The readable account: each chain hop by hop with quote and citation, then the net effect."""
    e = explanation
    src, dst = e.entities[e.source].label, e.entities[e.target].label
    if not e.chains:
        return f"No chain from {src} to {dst} found within the limits asked.\n"
    lines: list[str] = []
    if not e.signed:
        lines.append(f"No chain from {src} to {dst} has a known sign at every step; "
                     "chains with steps of unknown sign follow.")
    for number, chain in enumerate(e.chains, 1):
        head = f"Chain {number} of {len(e.chains)}" if len(e.chains) > 1 else "Chain"
        lines.append(f"{head}: {' -> '.join(chain.labels)} ({len(chain)} steps, net effect {chain.net})")
        lines += textwrap.wrap(f"rank: {chain.rank_reason}", width, initial_indent="  ",
                               subsequent_indent="    ")
        for step, hop in enumerate(chain.hops, 1):
            lines += hop_lines(hop, f"  {step}. ", width)
        lines.append(f"  Net: {' x '.join(chain.signs)} = {chain.net}")
        lines.append("")
    net = e.net
    nets = [c.net for c in e.chains]
    if net in (signs.UP, signs.DOWN):
        agree = "one chain" if len(nets) == 1 else f"all {len(nets)} chains agree"
        lines.append(f"Net effect of {src} on {dst}: {net} ({agree}).")
    elif net == "conflicting":
        lines.append(f"Net effect of {src} on {dst}: conflicting ({nets.count(signs.UP)} chain(s) up, "
                     f"{nets.count(signs.DOWN)} down).")
    else:
        lines.append(f"Net effect of {src} on {dst}: unknown (a step of every chain has no sign).")
    return "\n".join(lines) + "\n"
