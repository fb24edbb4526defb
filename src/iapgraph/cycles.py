"""Cycles in a directed graph given as edges by source: one finder for every rule that forbids
them (part_of among statements, is_a / part_of in the ontology hierarchy)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar

E = TypeVar("E")


def find_cycles(out: Mapping[str, Sequence[E]], source: Callable[[E], str],
                target: Callable[[E], str]) -> Iterator[list[E]]:
    """Each cycle that a depth-first walk meets, as its edges in order.

    The walk starts at every source in sorted order and keeps its own stack (a chain may be
    thousands long: no recursion). A cycle is reported when an edge leads back to a node on the
    current trail; its edges run from the one leaving that node to the edge that closed it.

    Args:
        out: the edges leaving each node.
        source: an edge's first node.
        target: an edge's second node.

    Yields:
        The edges of each cycle found, the closing edge last.
    """
    state: dict[str, int] = {}  # 1 on the trail, 2 done
    for root in sorted(out):
        if root in state:
            continue
        state[root] = 1
        trail: list[E] = []
        stack = [(root, iter(out.get(root, ())))]
        while stack:
            node, edges = stack[-1]
            edge = next(edges, None)
            if edge is None:
                state[node] = 2
                stack.pop()
                if trail:
                    trail.pop()
                continue
            nxt = target(edge)
            if state.get(nxt) == 1:
                cycle = [*trail, edge]
                yield cycle[next((i for i, e in enumerate(cycle) if source(e) == nxt), 0):]
            elif state.get(nxt) is None:
                state[nxt] = 1
                trail.append(edge)
                stack.append((nxt, iter(out.get(nxt, ()))))
