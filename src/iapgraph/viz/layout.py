"""Where each node of a view sits, computed once when the page is written, so the browser draws the
finished picture at first paint (no physics to wait for) and the same input gives the same file.

- Overviews and neighbourhoods: a force-directed layout (Fruchterman-Reingold) with a fixed seed.
  Up to :data:`DENSE_LIMIT` nodes networkx's ``spring_layout`` does it; beyond that the same forces
  with repulsion cut off at a few ideal distances (a k-d tree finds the near pairs), which stays
  linear in the number of nodes.
- Paths: layered, left to right. The source is the leftmost node, the target the rightmost; a
  chain of n hops puts its i-th node at i/n of the way, each chain in its own row, so alternative
  chains stack; a node on several chains sits at the mean of its places, which keeps every node
  strictly between source and target on the x axis.

Coordinates are vis-network pixels, rounded to whole numbers (stable bytes).

>>> layered([["S", "A", "T"], ["S", "B", "C", "T"]], "S", "T")["A"][0] > 0
True
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from ..exceptions import UsageError

#: networkx's dense spring layout up to this many nodes (its cost grows with the square).
DENSE_LIMIT = 1200
#: Layout seed: the same view, the same picture.
SEED = 20240501
#: Room per node: a view of n nodes spreads over a square of side SPREAD * sqrt(n) pixels.
SPREAD = 115.0
#: Path views: pixels between columns (hops) and between rows (chains).
COLUMN = 300.0
ROW = 130.0

Position = tuple[float, float]


def force(nodes: Sequence[str], links: Iterable[tuple[str, str, float]], seed: int = SEED,
          centre: Sequence[str] = ()) -> dict[str, Position]:
    """Force-directed positions; ``links`` are (a, b, weight), self-links ignored. Each connected
    part is laid out on its own (a lone node would otherwise be flung to the rim and shrink the
    rest); the largest sits in the middle, the others are packed in rows below it. ``centre``:
    nodes whose mean is moved to the origin (a focus view's focus)."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for a, b, weight in links:
        if a != b and a in graph and b in graph:
            old = graph.get_edge_data(a, b, {"weight": 0.0})["weight"]
            graph.add_edge(a, b, weight=old + weight)
    order = {n: i for i, n in enumerate(nodes)}
    parts = sorted((sorted(c, key=order.__getitem__) for c in nx.connected_components(graph)),
                   key=lambda c: (-len(c), order[c[0]]))
    if len(nodes) > DENSE_LIMIT:  # one linear-time run for all, then each part boxed on its own
        every = _sparse_force(list(nodes), graph, seed)
        boxes = [_box({n: every[n] for n in part}) for part in parts]
    else:
        boxes = [_component(graph.subgraph(part), part, seed) for part in parts]
    return _pack(boxes, centre)


def _need_scipy(count: int) -> None:
    """networkx lays out 500 nodes or more with scipy's sparse arrays, and the linear-time layout
    uses its k-d tree: scipy is in the ``large`` extra, not the runtime (it doubles the install).

    Raises:
        UsageError: scipy is missing, with the command that installs it.
    """
    try:
        import scipy  # noqa: F401
    except ImportError:
        raise UsageError(f"laying out {count} connected nodes needs scipy: pip install 'iapgraph[large]' "
                         "(or pip install scipy), or draw a smaller view (--focus, --hallmark, --path)"
                         ) from None


def _component(graph: object, nodes: list[str], seed: int) -> dict[str, Position]:
    """One connected part, scaled to its size, its box's top-left corner at the origin."""
    import networkx as nx

    if len(nodes) >= 500:
        _need_scipy(len(nodes))
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    # hubs pull less (weight 1/sqrt(degree a * degree b)) and the ideal distance is twice
    # networkx's default, so the core around the IAPs and hallmarks opens up
    degree = graph.degree  # type: ignore[attr-defined]
    spread = nx.Graph()
    spread.add_nodes_from(nodes)
    spread.add_edges_from((a, b, {"pull": 1.0 / math.sqrt(degree(a) * degree(b))})
                          for a, b in graph.edges())  # type: ignore[attr-defined]
    raw = nx.spring_layout(spread, seed=seed, iterations=200, k=2.0 / math.sqrt(len(nodes)),
                           weight="pull")
    return _box({n: (float(raw[n][0]), float(raw[n][1])) for n in nodes})


def _box(coords: dict[str, Position]) -> dict[str, Position]:
    """Scale a part to its size (SPREAD * sqrt(nodes) pixels a side), top-left corner at the origin."""
    if len(coords) == 1:
        return dict.fromkeys(coords, (0.0, 0.0))
    xs = [p[0] for p in coords.values()]
    ys = [p[1] for p in coords.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    factor = SPREAD * math.sqrt(len(coords)) / span
    left, top = min(xs), min(ys)
    return {n: ((x - left) * factor, (y - top) * factor) for n, (x, y) in coords.items()}


def _pack(boxes: list[dict[str, Position]], centre: Sequence[str]) -> dict[str, Position]:
    """The first (largest) part on top, the rest in rows beneath it, left to right."""
    margin = SPREAD * 0.8
    sizes = [(max(x for x, _ in b.values()), max(y for _, y in b.values())) for b in boxes]
    area = sum((w + margin) * (h + margin) for w, h in sizes)
    width = max([SPREAD * 6, math.sqrt(area) * 1.2] + [w for w, _ in sizes[:1]])
    out: dict[str, Position] = {}
    x = y = row_height = 0.0
    for i, box in enumerate(boxes):
        w = max(px for px, _ in box.values())
        h = max(py for _, py in box.values())
        if i and x + w > width:  # next row
            x, y = 0.0, y + row_height + margin
            row_height = 0.0
        for n, (px, py) in box.items():
            out[n] = (x + px, y + py)
        x += w + margin
        row_height = max(row_height, h)
        if i == 0:  # the main part has its own row
            x, y, row_height = width + margin, y, h
    if not out:
        return out
    mid = [c for c in centre if c in out]
    if mid:
        cx = sum(out[c][0] for c in mid) / len(mid)
        cy = sum(out[c][1] for c in mid) / len(mid)
    else:
        first = boxes[0]
        cx = max(px for px, _ in first.values()) / 2
        cy = max(py for _, py in first.values()) / 2
    return {n: (round(px - cx), round(py - cy)) for n, (px, py) in out.items()}


def _sparse_force(nodes: list[str], graph: object, seed: int, iterations: int = 60) -> dict[str, Position]:
    """Fruchterman-Reingold with repulsion only between pairs closer than 2 ideal distances (the
    grid variant of the original paper), forces summed with bincount: linear in nodes and links."""
    _need_scipy(len(nodes))
    import numpy as np
    from scipy.spatial import cKDTree

    count = len(nodes)
    index = {n: i for i, n in enumerate(nodes)}
    pairs = [(index[a], index[b]) for a, b in graph.edges()]  # type: ignore[attr-defined]
    links = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.random((count, 2))
    k = 1.0 / math.sqrt(count)
    step = 0.1
    cool = step / (iterations + 1)

    def spread(i: Any, j: Any, force: Any) -> Any:
        """Per node: the sum of ``force`` over pairs (i, j), added at i and subtracted at j."""
        return np.stack([np.bincount(i, force[:, d], count) - np.bincount(j, force[:, d], count)
                         for d in (0, 1)], axis=1)

    for _ in range(iterations):
        disp = np.zeros_like(pos)
        near = cKDTree(pos).query_pairs(r=2 * k, output_type="ndarray")
        if len(near):
            i, j = near[:, 0], near[:, 1]
            delta = pos[i] - pos[j]
            dist2 = np.maximum(np.einsum("ij,ij->i", delta, delta), (0.01 * k) ** 2)
            disp += spread(i, j, delta * (k * k / dist2)[:, None])
        if len(links):
            a, b = links[:, 0], links[:, 1]
            delta = pos[a] - pos[b]
            dist = np.sqrt(np.einsum("ij,ij->i", delta, delta))
            disp -= spread(a, b, delta * (dist / k)[:, None])
        length = np.maximum(np.sqrt(np.einsum("ij,ij->i", disp, disp)), 1e-9)
        pos += disp * (np.minimum(length, step) / length)[:, None]
        step -= cool
    return {n: (float(pos[i, 0]), float(pos[i, 1])) for n, i in index.items()}


def layered(chains: Sequence[Sequence[str]], source: str, target: str,
            nodes: Iterable[str] = ()) -> dict[str, Position]:
    """Left-to-right positions for the chains from ``source`` to ``target``; ``nodes`` not on a
    chain go below, between the two ends."""
    columns = max((len(c) - 1 for c in chains), default=1) or 1
    width = columns * COLUMN
    xs: dict[str, list[float]] = defaultdict(list)
    ys: dict[str, list[float]] = defaultdict(list)
    for row, chain in enumerate(chains):
        hops = len(chain) - 1
        lane = row - (len(chains) - 1) / 2
        for i, node in enumerate(chain[1:-1], start=1):
            if node in (source, target):
                continue
            xs[node].append(width * i / hops)
            ys[node].append(lane * ROW)
    placed: dict[str, list[float]] = {n: [sum(xs[n]) / len(xs[n]), sum(ys[n]) / len(ys[n])] for n in xs}
    spare = sorted(set(nodes) - set(placed) - {source, target})
    lowest = max((p[1] for p in placed.values()), default=0.0)
    for i, node in enumerate(spare):  # not on a chain (only with extra statements asked for)
        placed[node] = [width * (i + 1) / (len(spare) + 1), lowest + 1.5 * ROW]
    _separate(placed)
    out: dict[str, Position] = {n: (round(x), round(y)) for n, (x, y) in placed.items()}
    out[source] = (0, 0)
    out[target] = (round(width), 0)
    return out


def _separate(placed: dict[str, list[float]], gap: float = ROW * 0.6) -> None:
    """Nodes that landed in one column too close together move apart vertically."""
    by_column: dict[int, list[str]] = defaultdict(list)
    for node, (x, _) in placed.items():
        by_column[round(x)].append(node)
    for members in by_column.values():
        members.sort(key=lambda n: (placed[n][1], n))
        for before, after in itertools.pairwise(members):
            if placed[after][1] - placed[before][1] < gap:
                placed[after][1] = placed[before][1] + gap


def declutter(positions: dict[str, Position], boxes: dict[str, tuple[float, float, float]],
              rounds: int = 100) -> dict[str, Position]:
    """Move the labelled nodes apart until node and label no longer overlap another's (or
    ``rounds`` is spent); ``boxes``: width, height and the box centre's offset below the node
    (labels sit under most shapes), in pixels. The other nodes stay put."""
    moved = {n: [float(positions[n][0]), float(positions[n][1])] for n in boxes if n in positions}
    names = sorted(moved)
    for _ in range(rounds):
        clash = False
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                (ax, ay), (bx, by) = moved[a], moved[b]
                dx, dy = bx - ax, (by + boxes[b][2]) - (ay + boxes[a][2])
                need_x = (boxes[a][0] + boxes[b][0]) / 2 - abs(dx)
                need_y = (boxes[a][1] + boxes[b][1]) / 2 - abs(dy)
                if need_x <= 0 or need_y <= 0:
                    continue
                clash = True
                if need_y / (boxes[a][1] + boxes[b][1]) < need_x / (boxes[a][0] + boxes[b][0]):
                    shift = (need_y / 2 + 1) * (1 if dy >= 0 else -1)
                    moved[a][1] -= shift
                    moved[b][1] += shift
                else:
                    shift = (need_x / 2 + 1) * (1 if dx >= 0 else -1)
                    moved[a][0] -= shift
                    moved[b][0] += shift
        if not clash:
            break
    out = dict(positions)
    out.update({n: (round(x), round(y)) for n, (x, y) in moved.items()})
    return out
