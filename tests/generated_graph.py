"""A large, valid, made-up graph folder (not biology): for tests that need a build to take a while."""

from __future__ import annotations

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
