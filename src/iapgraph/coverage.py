"""Counts that show what the graph covers: by kind, by relation, by review section."""

from __future__ import annotations

from collections import Counter
from typing import Any

from . import vocab
from .model import Dataset


def counts(dataset: Dataset) -> dict[str, dict[str, int]]:
    """Entities by kind and statements by relation (sorted, zero rows left out)."""
    kinds = Counter(e.kind for e in dataset.entities.values())
    relations = Counter(s.relation for s in dataset.statements)
    return {"entities": dict(sorted(kinds.items())), "statements": dict(sorted(relations.items()))}


def coverage(dataset: Dataset) -> list[dict[str, Any]]:
    """Statements per review section, in the review's order, with the relations used there."""
    rows = []
    for section in vocab.SECTIONS:
        found = [s for s in dataset.statements if s.section == section]
        rel = Counter(s.relation for s in found)
        rows.append({
            "section": section,
            "statements": len(found),
            "negated": sum(s.negated for s in found),
            "citations": len({c for s in found for c in s.citations}),
            "relations": ", ".join(f"{r} {n}" for r, n in rel.most_common()),
        })
    return rows
