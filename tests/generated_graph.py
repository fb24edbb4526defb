"""A large, valid, made-up graph folder (not biology): for tests that need a build to take a while."""

from __future__ import annotations

import itertools
from pathlib import Path

from iapgraph.load import ENTITY_COLUMNS, STATEMENT_COLUMNS

RELATIONS = ("binds", "inhibits", "activates", "ubiquitinates")


def write_generated_graph(folder: Path, entities: int = 2000, statements: int = 8000) -> Path:
    """``entities`` proteins G0..Gn and ``statements`` statements among them, each with its own
    made-up quote (the validator refuses duplicate claims)."""
    (folder / "entities").mkdir(parents=True, exist_ok=True)
    (folder / "statements").mkdir(exist_ok=True)
    rows = ["\t".join(ENTITY_COLUMNS)]
    rows += [f"G{i}\tprotein\tgenerated protein {i}\t\t\t\t\tmade up for a test" for i in range(entities)]
    (folder / "entities" / "generated.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["\t".join(STATEMENT_COLUMNS)]
    for n in range(statements):
        s, o = n % entities, (n * 7 + 1) % entities
        relation = RELATIONS[n % len(RELATIONS)]
        cells = {"id": f"g-{n:06d}", "subject": f"G{s}", "relation": relation, "object": f"G{o}",
                 "section": "2.1", "citation": "Test, et al., 2000",
                 "evidence": f"Made-up test sentence number {n} about generated protein {s}"}
        rows.append("\t".join(cells.get(c, "") for c in STATEMENT_COLUMNS))
    (folder / "statements" / "generated.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def write_via_graph(folder: Path, width: int = 9, bottleneck: bool = False) -> Path:
    """Waypoints S, A, B, C, T joined by four legs; each leg crosses two layers of ``width``
    proteins fully linked (``width``^2 routes per leg, so three --via multiply to ``width``^8).
    76-78 entities at width 9. With ``bottleneck`` every leg also passes one shared protein X
    (S..X->A, A->X..B, ...), so every combination of the legs' routes visits X twice: none is a
    chain, and a merge has to look at all of them."""
    (folder / "entities").mkdir(parents=True, exist_ok=True)
    (folder / "statements").mkdir(exist_ok=True)
    stops = ["S", "A", "B", "C", "T"]
    names = [*stops, *(["X"] if bottleneck else [])]
    edges: list[tuple[str, str]] = []
    for leg, (a, b) in enumerate(itertools.pairwise(stops)):
        first = [f"L{leg}a{i}" for i in range(width)]
        second = [f"L{leg}b{i}" for i in range(width)]
        names += first + second
        if bottleneck and leg > 0:  # the leg starts a -> X -> layers -> b
            edges += [(a, "X")] + [("X", p) for p in first]
        else:
            edges += [(a, p) for p in first]
        edges += [(p, q) for p in first for q in second]
        if bottleneck and leg == 0:  # the first leg ends layers -> X -> a's successor
            edges += [(q, "X") for q in second] + [("X", b)]
        else:
            edges += [(q, b) for q in second]
    rows = ["\t".join(ENTITY_COLUMNS)]
    rows += [f"{n}\tprotein\tvia test protein {n}\t\t\t\t\tmade up for a test" for n in names]
    (folder / "entities" / "via.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["\t".join(STATEMENT_COLUMNS)]
    for n, (s, o) in enumerate(dict.fromkeys(edges)):
        cells = {"id": f"v-{n:05d}", "subject": s, "relation": "activates", "object": o,
                 "section": "2.1", "citation": "Test, et al., 2000",
                 "evidence": f"Made-up test sentence number {n}: {s} activates {o}"}
        rows.append("\t".join(cells.get(c, "") for c in STATEMENT_COLUMNS))
    (folder / "statements" / "via.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder
