"""Helpers for the path tests: write small graph folders (synthetic entities A, B ... that say
nothing about biology) and the review-shaped fixture folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "paths_graph"

ENTITY_HEADER = "id\tkind\tlabel\tsymbol\taliases\txrefs\tattributes\tdescription\n"
STATEMENT_HEADER = ("id\tsubject\trelation\tobject\teffect\tmechanism\tdomain\tcontext\tnegated\tsection\t"
                    "citation\tevidence\tqualifiers\tnote\n")


def write_graph(folder: Path, entities: Sequence[tuple[str, str]],
                statements: Sequence[tuple[str, ...]]) -> Path:
    """A graph folder: entities as (id, kind); statements as (subject, relation, object[, effect
    [, negated]]). Quotes and citations are placeholders: these graphs only exercise the rules."""
    (folder / "entities").mkdir(parents=True)
    (folder / "statements").mkdir()
    with (folder / "entities" / "e.tsv").open("w", encoding="utf-8") as fh:
        fh.write(ENTITY_HEADER)
        for eid, kind in entities:
            fh.write(f"{eid}\t{kind}\t{eid}\t\t\t\t\t\n")
    with (folder / "statements" / "s.tsv").open("w", encoding="utf-8") as fh:
        fh.write(STATEMENT_HEADER)
        for number, row in enumerate(statements, 1):
            subject, relation, obj, *rest = row
            effect = rest[0] if rest else ""
            negated = rest[1] if len(rest) > 1 else ""
            fh.write(f"t-{number:03d}\t{subject}\t{relation}\t{obj}\t{effect}\t\t\t\t{negated}\t2.1\t"
                     f"Test, et al., 2000\tsynthetic statement number {number} for the path rules\t\t\n")
    return folder
