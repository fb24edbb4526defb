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

import gc
import heapq
import importlib
import warnings
from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain, compress, count, islice, repeat, tee
from operator import add, attrgetter, ne
from typing import Any, NamedTuple, TypeVar, overload

from .. import signs, vocab
from ..cache import memo
from ..exceptions import ViaCapWarning
from ..model import Dataset

T = TypeVar("T")

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


class WalkOptions(NamedTuple):
    """Which statements a search walks. ``relations`` None means every mechanistic relation.
    A named tuple (a memo key): a frozen dataclass costs half a millisecond at import."""

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


#: The default options: every mechanistic relation, unsigned, no hubs.
_WALK_EVERYTHING = WalkOptions()


def statement_sign(relation: str, effect: str) -> str:
    """The sign a statement gives a step: neutral for structural and sign-preserving relations."""
    if vocab.RELATIONS[relation].structural or relation in SIGN_PRESERVING:
        return signs.NEUTRAL
    return effect


#: How a state entered its node: a state is ``node * 4 + flag`` (``>> 2`` gives the node).
ENTERED_OTHER, ENTERED_UP, ENTERED_DOWN = 0, 1, 2

class Route:
    """A found path: the states (node * 4 + how it was entered) and the links between them.
    A plain class (equal and hashed by both): a dataclass costs half a millisecond at import."""

    __slots__ = ("links", "states")

    def __init__(self, states: tuple[int, ...], links: tuple[int, ...]):
        self.states, self.links = states, links

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Route):
            return NotImplemented
        return self.states == other.states and self.links == other.links

    def __hash__(self) -> int:
        return hash((self.states, self.links))

    def __repr__(self) -> str:
        return f"Route(states={self.states!r}, links={self.links!r})"

    @property
    def nodes(self) -> tuple[int, ...]:
        return tuple(s >> 2 for s in self.states)

    def __len__(self) -> int:
        return len(self.links)


class _Packed(Sequence[T]):
    """A read-only sequence over packed arrays: one item per link or node, made on access."""

    def __len__(self) -> int:
        raise NotImplementedError

    def item(self, i: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self.item(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.item(i)


class LinkStatements(_Packed[list[tuple[int, str]]]):
    """Per link, the statements supporting it as (number, sign) pairs, in statement order.

    Held flat (one array of ``number << sign_bits | sign code``, above which the link's head may
    be left, and one of offsets per link) so
    that a million statements cost a few megabytes, not a list and a tuple each.
    """

    def __init__(self, offsets: array[int], packed: array[int], low: int, sign_bits: int,
                 names: list[str]):
        self._offsets, self._packed, self._bits, self._names = offsets, packed, sign_bits, names
        self._low = (1 << low) - 1

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def item(self, i: int) -> list[tuple[int, str]]:
        bits, names, mask, low = self._bits, self._names, (1 << self._bits) - 1, self._low
        return [((x & low) >> bits, names[x & mask])
                for x in self._packed[self._offsets[i]:self._offsets[i + 1]]]


class _Bools(_Packed[bool]):
    """bytes read as booleans."""

    def __init__(self, data: bytes):
        self._data = data

    def __len__(self) -> int:
        return len(self._data)

    def item(self, i: int) -> bool:
        return self._data[i] == 1


def group(keys: array[int], n: int, vectorised: bool | None = None) -> _Runs:
    """The positions 0, 1 ... of ``keys`` grouped by key (each group in order): a stable bucket
    sort run by map in C, or numpy's stable sort (``vectorised``; None: from ``VECTORISE_FROM``
    keys on, when numpy is installed)."""
    np = _numpy(vectorised, len(keys))
    if np is not None:
        values = np.frombuffer(keys, dtype=np.int32) if len(keys) else np.zeros(0, dtype=np.int32)
        order = np.argsort(values, kind="stable").astype(np.int32)
        starts = [0, *np.cumsum(np.bincount(values, minlength=n)).tolist()]
        runs = _Runs(_int_array("i", order), starts)
        del values, order
        _trim()
        return runs
    buckets: list[list[int]] = [[] for _ in range(n)]
    deque(map(list.append, map(buckets.__getitem__, keys), count()), maxlen=0)
    return _Runs(array("i", chain.from_iterable(buckets)), list(accumulate(map(len, buckets), initial=0)))


class _Runs(_Packed["array[int]"]):
    """Runs of a flat array: ``runs[node]`` is the part of ``flat`` from ``starts[node]`` on."""

    def __init__(self, flat: array[int], starts: list[int]):
        self.flat, self.starts = flat, starts

    def __len__(self) -> int:
        return len(self.starts) - 1

    def item(self, i: int) -> array[int]:
        return self.flat[self.starts[i]:self.starts[i + 1]]


class _Nodes:
    """What every walk index of a dataset shares, whatever its options: the nodes and, per
    statement, its ends and its kind (negated, relation, effect); members and their wholes
    (``member * n + whole``). A plain class: a dataclass costs a millisecond at import."""

    __slots__ = ("combo", "combos", "ids", "objects", "position", "subjects", "wholes")

    def __init__(self, ids: list[str], position: dict[str, int], subjects: array[int],
                 objects: array[int], combos: dict[tuple[bool, str, str], int], combo: array[int],
                 wholes: frozenset[int]):
        self.ids, self.position, self.subjects, self.objects = ids, position, subjects, objects
        self.combos, self.combo, self.wholes = combos, combo, wholes


class _Numbering(dict[Any, int]):
    """Numbers keys in the order they are first asked for."""

    def __missing__(self, key: Any) -> int:
        number = self[key] = len(self)
        return number


def with_subtypes(dataset: Dataset, entity_id: str) -> list[str]:
    """The entity and its subtypes (is_a links of the ontology hierarchy), nearest first (here,
    not in neighbourhood.py, so that a path search does not import that module)."""
    from ..hierarchy import Hierarchy

    index = memo(dataset, "hierarchy-index", lambda: Hierarchy(dataset.hierarchy))
    return [entity_id, *index.descendants(entity_id)]


def nodes_of(dataset: Dataset) -> _Nodes:
    """The nodes and statement ends of a dataset, computed once (the path and neighbour indexes
    share them)."""
    return memo(dataset, "walk-nodes", lambda: _build_nodes(dataset))


def _build_nodes(dataset: Dataset) -> _Nodes:
    # Nodes are numbered in the order of their ids: the readable, reproducible order in which
    # the search reads links is then the order of node numbers.
    ids = sorted(dataset.entities)
    position = {eid: i for i, eid in enumerate(ids)}
    statements = dataset.statements
    at = position.__getitem__
    subjects = array("i", map(at, map(attrgetter("subject"), statements)))
    objects = array("i", map(at, map(attrgetter("object"), statements)))
    combos: dict[tuple[bool, str, str], int] = _Numbering()
    combo = array("i", map(combos.__getitem__, map(attrgetter("negated", "relation", "effect"),
                                                   statements)))
    # A step from a member into its own complex or class counts as climbing whatever its
    # relation (cIAP1 ubiquitinates Complex-I; cIAP1 degrades "the IAPs"): what follows obeys
    # the climbing rules, so the class's statements are not inherited through it.
    member_of = bytes(0 if negated or relation not in MEMBERSHIP
                      else 2 if relation in ("has_member", "has_domain") else 1
                      for negated, relation, _ in combos)
    n = len(ids)
    members = bytes(map(member_of.__getitem__, combo))
    wholes = frozenset(u * n + v if m == 1 else v * n + u
                       for m, u, v in compress(zip(members, subjects, objects, strict=True), members))
    return _Nodes(ids, position, subjects, objects, combos, combo, wholes)


class _NoGC:
    """Pause the cyclic garbage collector: building an index makes millions of objects and no
    cycles, and each collection would walk the whole dataset."""

    def __enter__(self) -> None:
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was:
            gc.enable()


#: The (step, reversed) bits of a link's head read as its step, its direction, its entry flag.
_STEP_OF = bytes(sr >> 1 for sr in range(8)) + bytes(248)
_REVERSED_OF = bytes(sr & 1 for sr in range(8)) + bytes(248)
_FLAG_OF = bytes(
    ENTERED_UP if sr >> 1 == UP else ENTERED_DOWN if sr >> 1 == DOWN else ENTERED_OTHER
    for sr in range(8)) + bytes(248)


class WalkIndex:
    """Nodes and links of one dataset under one set of walk options.

    A link joins two nodes by one kind of step and holds every statement (by index into
    ``dataset.statements``) that supports it, with the sign each gives. Nodes are numbered in
    the order of their ids and links in the order the search reads them (by source, target,
    step, then first statement), so ``out_links[node]`` is a range of link numbers.
    Everything is held in flat arrays: a million statements make an index of tens of megabytes.
    """

    def __init__(self, dataset: Dataset, options: WalkOptions = _WALK_EVERYTHING,
                 vectorised: bool | None = None):
        """Build the index.

        Args:
            dataset: the statements and entities.
            options: which statements are walked.
            vectorised: build the link arrays with numpy (the same arrays, several times
                faster); None: when numpy is installed (the ``large`` extra) and the dataset
                has at least ``VECTORISE_FROM`` statements (a cold command on the curated graph
                does not pay numpy's import).
        """
        self.options = options
        with _NoGC():
            self._build(dataset, options, _numpy(vectorised, len(dataset.statements)))

    def _build(self, dataset: Dataset, options: WalkOptions, np: Any = None) -> None:
        nodes = nodes_of(dataset)
        ids = self.ids = nodes.ids
        self.position = nodes.position
        entities = dataset.entities
        kinds = [entities[e].kind for e in ids]
        self.is_class = [k in CLASS_KINDS for k in kinds]
        self.blocked = [k in BLOCKED_KINDS for k in kinds]
        n = len(ids)
        statements = dataset.statements
        # What a statement gives the walk depends on (negated, relation, effect) only: a few
        # dozen combinations, planned once. Each pass over the statements below runs in C (map,
        # compress, sort) or is one comprehension.
        names = sorted({signs.NEUTRAL} | {effect for _, _, effect in nodes.combos})
        bits = max(len(statements), 1).bit_length()  # statement numbers
        sign_bits = max(len(names) - 1, 1).bit_length()  # sign codes, below the numbers
        low = bits + sign_bits
        forward_of, backward_of = [], []
        for negated, relation, effect in nodes.combos:
            forward, backward = options.steps(relation)
            sign = statement_sign(relation, effect)
            walked = not negated and not (options.signed and sign == signs.UNKNOWN)
            code = names.index(sign)
            forward_of.append((forward << 1 + low) | code if walked and forward is not None else -1)
            backward_of.append(((backward << 1 | 1) << low) | code if walked and backward is not None
                               else -1)
        # One int per statement and direction walked, sorting as the links are read:
        # (source * n + target, step, reversed | statement number, sign code).
        shift = 3 + low
        if np is not None and (n * n).bit_length() + shift < 63:
            self._links_numpy(np, nodes, n, forward_of, backward_of, shift, low, sign_bits, names)
            return
        us, vs = nodes.subjects, nodes.objects
        entries: list[int] = []
        for table, forward in ((forward_of, True), (backward_of, False)):
            if not table or max(table) < 0:
                continue
            heads = list(map(table.__getitem__, nodes.combo))
            rows = compress(zip(count(), heads, us, vs, strict=False), map((-1).__lt__, heads))
            if forward:
                entries += [((u * n + v) << shift) | h | (i << sign_bits) for i, h, u, v in rows if u != v]
            else:
                entries += [((v * n + u) << shift) | h | (i << sign_bits) for i, h, u, v in rows if u != v]
            del heads, rows
        entries.sort()
        # Entries with the same head (all but statement number and sign) make one link.
        one, two = tee(map(low.__rrshift__, entries))
        next(two, None)
        offsets = array("i", [0])
        if entries:
            offsets.extend(compress(count(1), map(ne, one, two)))
            offsets.append(len(entries))
        del one, two
        firsts = list(map(low.__rrshift__, map(entries.__getitem__, islice(offsets, len(offsets) - 1))))
        if entries and entries[-1].bit_length() < 64:
            packed = array("q", entries)  # the heads are masked off when read
        else:
            packed = array("q", map(((1 << low) - 1).__and__, entries))
        del entries
        ends = list(map((3).__rrshift__, firsts))  # source * n + target
        step_reversed = bytes(map((7).__and__, firsts))
        link_reverse = bytearray(step_reversed.translate(_REVERSED_OF))
        # Two links with the same ends and step (part_of read forward, has_member backward) are
        # read in the order of their first statements.
        for link in compress(count(), link_reverse):
            if link and firsts[link - 1] == firsts[link] - 1:
                a, b, c = offsets[link - 1], offsets[link], offsets[link + 1]
                if packed[b] & ~(-1 << low) < packed[a] & ~(-1 << low):
                    packed[a:c] = packed[b:c] + packed[a:b]
                    offsets[link] = a + c - b
                    link_reverse[link - 1], link_reverse[link] = 1, 0
        del firsts
        # out_links: the links are numbered by source node
        starts = [bisect_left(ends, node * n) for node in range(n + 1)]
        self.link_src = array("i", chain.from_iterable(
            repeat(node, starts[node + 1] - starts[node]) for node in range(n)))
        self.link_dst = link_dst = array("i", map(n.__rmod__, ends))
        self.link_step = step_reversed.translate(_STEP_OF)
        self.link_reverse = _Bools(bytes(link_reverse))
        flags = bytearray(step_reversed.translate(_FLAG_OF))
        for link in compress(count(), map(nodes.wholes.__contains__, ends)):
            flags[link] = ENTERED_UP
        del ends
        self.link_flag = link_flag = bytes(flags)
        self.link_statements = LinkStatements(offsets, packed, low, sign_bits, names)
        self.out_links: list[range] = [range(starts[node], starts[node + 1]) for node in range(n)]
        # in_links: by target node, then as numbered
        self.in_links = group(link_dst, n, vectorised=False)  # numpy or not, as the statements decided
        #: per link, the state it enters (target * 4 + flag); per in-link, its source
        self.link_child = array("i", map(add, map((4).__mul__, link_dst), link_flag))
        self.in_src = array("i", map(self.link_src.__getitem__, self.in_links.flat))
        #: which flags each node can be entered with (a bit per flag), to prune the backward search
        entered = [1] * n
        for dst, flag in compress(zip(link_dst, link_flag, strict=True), link_flag):
            entered[dst] |= 1 << flag
        self.entered = entered

    def _links_numpy(self, np: Any, nodes: _Nodes, n: int, forward_of: list[int], backward_of: list[int],
                     shift: int, low: int, sign_bits: int, names: list[str]) -> None:
        """The link arrays of :meth:`_build`, each pass done by numpy: the same values, in the
        same types (``array``, ``bytes``, lists), so that the search reads them alike."""
        i64 = np.int64
        us = np.frombuffer(nodes.subjects, dtype=np.int32)
        vs = np.frombuffer(nodes.objects, dtype=np.int32)
        combo = np.frombuffer(nodes.combo, dtype=np.int32)
        loops = us == vs
        parts = []
        for table, forward in ((forward_of, True), (backward_of, False)):
            if not table or max(table) < 0:
                continue
            heads = np.asarray(table, dtype=i64)[combo]
            walked = heads >= 0
            walked &= ~loops
            rows = np.flatnonzero(walked)
            del walked
            key = (us if forward else vs)[rows].astype(i64)  # source * n + target, in place
            key *= n
            key += (vs if forward else us)[rows]
            key <<= shift
            key |= heads[rows]
            del heads
            rows <<= sign_bits
            key |= rows
            del rows
            parts.append(key)
        del loops
        entries = np.concatenate(parts) if len(parts) > 1 else parts[0] if parts else np.zeros(0, dtype=i64)
        del parts
        entries.sort()
        heads = entries >> low
        offsets = np.concatenate(([0], np.flatnonzero(heads[1:] != heads[:-1]) + 1, [len(entries)])
                                 if len(entries) else ([0],)).astype(i64)
        del heads
        firsts = entries[offsets[:-1]] >> low
        packed = entries  # below 2**63: the heads are masked off when read
        step_reversed = (firsts & 7).astype(np.uint8)
        link_reverse = step_reversed & 1
        # Two links with the same ends and step (part_of read forward, has_member backward) are
        # read in the order of their first statements (never two such pairs in a row).
        mask = (1 << low) - 1
        for link in (np.flatnonzero((link_reverse[1:] == 1) & (firsts[:-1] == firsts[1:] - 1)) + 1).tolist():
            a, b, c = int(offsets[link - 1]), int(offsets[link]), int(offsets[link + 1])
            if int(packed[b]) & mask < int(packed[a]) & mask:
                packed[a:c] = np.concatenate((packed[b:c], packed[a:b]))
                offsets[link] = a + c - b
                link_reverse[link - 1], link_reverse[link] = 1, 0
        self.link_statements = LinkStatements(_int_array("i", offsets.astype(np.int32)),
                                              _int_array("q", packed), low, sign_bits, names)
        del packed, entries
        ends = firsts >> 3  # source * n + target
        del firsts
        starts = np.searchsorted(ends, np.arange(n + 1, dtype=i64) * n, side="left")
        link_src = np.repeat(np.arange(n, dtype=np.int32), np.diff(starts))
        link_dst = (ends % n).astype(np.int32)
        flags = np.frombuffer(_FLAG_OF, dtype=np.uint8)[step_reversed]
        if nodes.wholes:
            flags[np.isin(ends, np.fromiter(nodes.wholes, dtype=i64, count=len(nodes.wholes)))] = ENTERED_UP
        del ends
        self.link_src = _int_array("i", link_src)
        self.link_dst = _int_array("i", link_dst)
        self.link_step = (step_reversed >> 1).tobytes()
        self.link_reverse = _Bools(link_reverse.tobytes())
        self.link_flag = flags.tobytes()
        bounds = starts.tolist()
        self.out_links = list(map(range, bounds[:-1], bounds[1:]))
        # in_links: by target node, then as numbered (a stable sort)
        by_target = np.argsort(link_dst, kind="stable").astype(np.int32)
        self.in_links = _Runs(_int_array("i", by_target),
                              [0, *np.cumsum(np.bincount(link_dst, minlength=n)).tolist()])
        self.link_child = _int_array("i", (link_dst * 4 + flags).astype(np.int32))
        self.in_src = _int_array("i", link_src[by_target])
        entered = np.ones(n, dtype=i64)
        for flag in (ENTERED_UP, ENTERED_DOWN):
            entered[link_dst[flags == flag]] |= 1 << flag
        self.entered = entered.tolist()
        del link_src, link_dst, flags, by_target, entered, offsets, step_reversed, link_reverse, starts
        _trim()

    def __len__(self) -> int:
        return len(self.link_src)


def _numpy(vectorised: bool | None, size: int) -> Any:
    """numpy, when asked for (``vectorised``) or for ``size`` from ``VECTORISE_FROM`` on if it is
    installed; else None."""
    if vectorised is False or (vectorised is None and size < VECTORISE_FROM):
        return None
    try:
        return importlib.import_module("numpy")
    except ImportError:  # pragma: no cover - the large extra is not installed
        if vectorised:
            raise
        return None


def _trim() -> None:
    """Give the freed temporaries of a numpy build back to the system: glibc keeps freed blocks
    of tens of megabytes in the heap once it has raised its mmap threshold (tens of megabytes of
    resident memory for nothing at 10^6 statements)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _int_array(code: str, values: Any) -> array[int]:
    """A numpy array's values as an ``array`` (copied once, from its buffer)."""
    out = array(code)
    out.frombytes(memoryview(values).cast("B"))
    return out


#: Statements from which the walk index is built with numpy when it is installed (below, the
#: import would cost a cold command more than it saves).
VECTORISE_FROM = 100_000

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

        The search stops at the first meeting of the two sides: every meeting found while
        expanding one level has the same length (one with a shorter backward or forward part
        would have been met a level earlier), so the first is the one a full level would keep.
        """
        idx = self.index
        source, target, rules = self.source, self.target, self.rules
        out_links, in_flat, in_starts = idx.out_links, idx.in_links.flat, idx.in_links.starts
        lchild, in_src = idx.link_child, idx.in_src
        lstep, lflag = idx.link_step, idx.link_flag
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
                    at_start = state == start
                    depth = fdepth + 1
                    span = out_links[node]
                    for link, child in zip(span, lchild[span.start:span.stop], strict=True):
                        if flag:
                            if flag == ENTERED_UP:
                                step = lstep[link]
                                if step == DOWN or (cls and step != UP):
                                    continue
                            elif lflag[link] == ENTERED_UP:  # entered down
                                continue
                        if child in seen_f:
                            continue
                        dflag = child & 3
                        if (dflag and child - dflag in seen_f) or (at_start and link in removed_links):
                            continue
                        seen_f[child] = (state, link)
                        fdist[child] = depth
                        nxt.append(child)
                        dst = child >> 2
                        if bmasks.get(dst, 0) & (1 << dflag):
                            for key in bkeys.get(dst, ()):
                                if key & (1 << dflag):
                                    best = (fdepth + 1 + bdist[key], child, key)
                                    break
                            if best is not None:
                                break
                    if best is not None:
                        break
                fdepth += 1
                ffront = nxt
            else:
                nxt = []
                for key in bfront:
                    node, mask = key >> 3, key & 7
                    depth = bdepth + 1
                    a, b = in_starts[node], in_starts[node + 1]
                    for link, prev in zip(in_flat[a:b], in_src[a:b], strict=True):
                        known = bmasks.get(prev, 0)
                        if known == 7:  # entered every way already (the target, removed nodes)
                            continue
                        flag = lflag[link]
                        if not mask & (1 << flag):
                            continue
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
                        if not pmask & ~known:
                            continue
                        pkey = prev * 8 + pmask
                        if pkey in seen_b:
                            continue
                        bmasks[prev] = known | pmask
                        bkeys.setdefault(prev, []).append(pkey)
                        seen_b[pkey] = (key, link)
                        bdist[pkey] = depth
                        nxt.append(pkey)
                        for f in range(3):
                            if pmask & (1 << f) and prev * 4 + f in fdist:
                                best = (bdepth + 1 + fdist[prev * 4 + f], prev * 4 + f, pkey)
                                break
                        if best is not None:
                            break
                    if best is not None:
                        break
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
        # A spur search is a function of its root and the links it may not take first. Before
        # the point where a route left the one it was found from, both are usually those already
        # searched for that route (Lawler's observation): the same search would find the same
        # route again, already seen, so it is not run twice.
        asked: set[tuple[tuple[int, ...], frozenset[int]]] = set()
        while True:
            last = found[-1]
            for i in range(len(last.links)):
                spur = last.states[i]
                root_links = last.links[:i]
                removed_links = {r.links[i] for r in found
                                 if len(r.links) > i and r.links[:i] == root_links}
                question = (root_links, frozenset(removed_links))
                if question in asked:
                    continue
                asked.add(question)
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


#: joined --via combinations looked at most (each leg brings up to 2k+2 routes, so they multiply:
#: three --via with -k 100 are 202^4 = 1.7 billion; issue 18 saw 38 s and 4.4 GB before a cap)
MAX_VIA_COMBINATIONS = 200_000


def merge_routes(legs: Iterable[list[Route]], check: Iterable[ChainSearch], *, max_length: int | None = None,
                 cap: int = MAX_VIA_COMBINATIONS) -> Iterator[Route]:
    """Routes through consecutive --via legs, shortest first, joined where simple and allowed at
    each junction.

    Lazy: combinations (one route per leg) are taken from a heap in order of total length, ties in
    the order of the legs' own routes, so a caller that stops after a few routes never builds the
    product of the legs. The order is the one a full product sorted by length would give.

    Args:
        legs: per leg, its routes in order of length.
        check: per leg, the search whose step rules apply where that leg begins.
        max_length: no route longer than this (the merge stops at the first longer combination).
        cap: combinations looked at, at most.

    Yields:
        Joined routes, shortest first.

    Warns:
        ViaCapWarning: when ``cap`` combinations were looked at and more remained (the answer may
            lack chains that later combinations would have given).
    """
    legs = [sorted(leg, key=len) for leg in legs]
    searches = list(check)
    if any(not leg for leg in legs):
        return
    if len(legs) == 1:
        yield from (r for r in legs[0] if max_length is None or len(r) <= max_length)
        return
    last = len(legs) - 1
    lengths = [[len(r) for r in leg] for leg in legs]
    # the nodes each route adds (a later leg's first node is the earlier leg's last)
    adds = [[frozenset(r.nodes[1 if i else 0:]) for r in leg] for i, leg in enumerate(legs)]
    broken: set[tuple[int, ...]] = set()  # prefixes of picks that already break a rule

    def valid(picks: tuple[int, ...]) -> bool:
        nodes = adds[0][picks[0]]
        for i in range(1, last + 1):
            prefix = picks[:i + 1]
            if i < last and prefix in broken:
                return False
            step = adds[i][picks[i]]
            if not nodes.isdisjoint(step) or not searches[i].junction_ok(legs[i - 1][picks[i - 1]],
                                                                        legs[i][picks[i]]):
                if i < last:
                    broken.add(prefix)
                return False
            nodes = nodes | step
        return True

    heap = [(sum(leg[0] for leg in lengths), (0,) * len(legs), 0)]
    looked = 0
    while heap:
        total, picks, first = heapq.heappop(heap)
        if max_length is not None and total > max_length:
            return
        if looked >= cap:
            sizes = " x ".join(str(len(x)) for x in legs)
            warnings.warn(ViaCapWarning(
                f"--via: stopped after {cap:,} combinations of the legs' routes ({sizes} per leg); "
                "chains through later ones are not shown: give fewer --via or a smaller -k"), stacklevel=2)
            return
        looked += 1
        # children: raise one pick at or after the last raised one, so each tuple is made once and
        # after its parent (never shorter, later in the legs' order: the heap keeps the full order)
        for i in range(first, last + 1):
            pick = picks[i]
            if pick + 1 < len(lengths[i]):
                child = (*picks[:i], pick + 1, *picks[i + 1:])
                heapq.heappush(heap, (total - lengths[i][pick] + lengths[i][pick + 1], child, i))
        if not valid(picks):
            continue
        route = legs[0][picks[0]]
        for i in range(1, last + 1):
            tail = legs[i][picks[i]]
            route = Route(route.states + tail.states[1:], route.links + tail.links)
        yield route
