"""Statements as plain data with labels beside ids: the records the path commands print as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import vocab
from .model import Entity, Statement


def cited(s: Statement) -> list[str]:
    """The studies a statement cites (not the review speaking on its own authority)."""
    return [c for c in s.citations if c != vocab.REVIEW_CITATION]


def statement_record(s: Statement, entities: Mapping[str, Entity]) -> dict[str, Any]:
    """A statement as plain data; domains and contexts as labels, their ids beside them."""
    def label(eid: str) -> str:
        return entities[eid].label if eid in entities else eid

    return {
        "id": s.id, "subject": s.subject, "subject_label": label(s.subject),
        "relation": s.relation, "object": s.object, "object_label": label(s.object),
        "effect": s.effect, "mechanism": s.mechanism, "negated": s.negated,
        "domain": [label(d) for d in s.domains], "domain_ids": list(s.domains),
        "context": [label(c) for c in s.contexts], "context_ids": list(s.contexts),
        "section": s.section, "citation": s.citation, "evidence": s.evidence,
        "qualifiers": dict(s.qualifiers), "note": s.note,
    }
