"""One assertion, many evidence lines: the curated rows grouped by what they claim.

Curated rows stay one per sentence of the review. Rows that claim the same thing (the same subject,
relation, object, sign, negation and context) are one :class:`Assertion` with every row as one
:class:`Evidence` (its quote, citation, section and epistemics), the way SIGNOR keeps one
interaction with many PMIDs and INDRA one Statement with an Evidence list.

The id is a hash of the claim's key (``a-`` and 10 hex digits of its SHA-1), so it depends on what
is claimed, never on which other rows exist: adding an unrelated row changes no id.

A summary sentence the review states on its own authority (citation ``review``) and a cited
study's sentence that make the same claim are linked: the summary's evidence lists the study rows
in ``summarises``.

>>> import iapgraph
>>> kg = iapgraph.load()
>>> a = next(a for a in kg.assertions() if "s2.2-098" in a.statements)
>>> a.subject, a.relation, a.object, len(a.evidence)
('XIAP', 'downregulates', 'RAF1', 1)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from . import vocab
from .model import Dataset, Statement
from .signs import prognostic_direction

#: Qualifiers that are part of what a row claims, not of how it was shown: a finding under hypoxia,
#: or of two proteins silenced together, is not the same claim as the plain one. A prognostic
#: row's sign is in its qualifiers too (``expression``, ``outcome``): the key holds the direction
#: they give (adverse, favourable, no impact), so opposing prognoses stay apart.
KEY_QUALIFIERS = ("condition", "co_perturbed")


@dataclass(frozen=True)
class Evidence:
    """One curated row behind an assertion: where the review says it and how firmly."""

    statement: str
    evidence: str
    citations: tuple[str, ...]
    section: str
    hedged: bool = False
    direct: bool | None = None
    #: For a summary sentence (citation ``review``): the rows of the studies it summarises.
    summarises: tuple[str, ...] = ()

    @property
    def citation(self) -> str:
        """The cited studies as one string, joined by '; '."""
        return "; ".join(self.citations)


@dataclass(frozen=True)
class Assertion:
    """What several rows claim together: subject -relation-> object with sign, negation, context."""

    id: str
    subject: str
    relation: str
    object: str
    effect: str
    negated: bool
    contexts: tuple[str, ...]
    #: The key's qualifiers: condition, co_perturbed, and a prognosis's direction (adverse ...).
    qualifiers: tuple[tuple[str, str], ...]
    evidence: tuple[Evidence, ...]

    @property
    def statements(self) -> tuple[str, ...]:
        """The ids of the curated rows, in id order."""
        return tuple(e.statement for e in self.evidence)

    @property
    def citations(self) -> tuple[str, ...]:
        """Every distinct citation of the evidence, in first-seen order."""
        return tuple(dict.fromkeys(c for e in self.evidence for c in e.citations))

    @property
    def hedged(self) -> bool:
        """True when every evidence line hedges: no firm finding supports the assertion."""
        return all(e.hedged for e in self.evidence)

    @property
    def direct(self) -> bool | None:
        """True if some evidence says direct, False if some says indirect and none direct, else None."""
        values = {e.direct for e in self.evidence}
        return True if True in values else False if False in values else None


def assertion_key(s: Statement) -> str:
    """The canonical key of what a row claims, one tab-separated line.

    >>> from iapgraph.model import Statement
    >>> assertion_key(Statement("x-1", "XIAP", "binds", "CASP9", "unknown", contexts=("b", "a")))
    'XIAP\\tbinds\\tCASP9\\tunknown\\tasserted\\ta|b'
    """
    parts = [s.subject, s.relation, s.object, s.effect, "negated" if s.negated else "asserted",
             vocab.MULTI_SEP.join(sorted(s.contexts))]
    return "\t".join(parts + [f"{k}={v}" for k, v in _key_qualifiers(s)])


def _key_qualifiers(s: Statement) -> tuple[tuple[str, str], ...]:
    pairs = [(k, s.qualifiers[k]) for k in KEY_QUALIFIERS if s.qualifiers.get(k)]
    direction = prognostic_direction(s.qualifiers)
    if direction is not None:
        pairs.append(("prognosis", direction))
    return tuple(pairs)


def assertion_id(s: Statement) -> str:
    """The stable id of the assertion a row belongs to: ``a-`` and 10 hex digits of the key's SHA-1.

    >>> from iapgraph.model import Statement
    >>> assertion_id(Statement("x-1", "XIAP", "binds", "CASP9", "unknown"))
    'a-ca1bfa4b55'
    """
    return "a-" + hashlib.sha1(assertion_key(s).encode("utf-8")).hexdigest()[:10]


def direct_text(direct: bool | None) -> str:
    """'yes', 'no' or '' (not stated), as the curated ``direct`` column writes it."""
    return "" if direct is None else "yes" if direct else "no"


def _is_summary(s: Statement) -> bool:
    return vocab.REVIEW_CITATION in s.citations


def _is_study(s: Statement) -> bool:
    return any(c not in (vocab.REVIEW_CITATION, vocab.CURATOR_CITATION) for c in s.citations)


def group(statements: Iterable[Statement]) -> list[Assertion]:
    """The assertions of a set of rows, sorted by id; each one's evidence in statement-id order."""
    rows: dict[str, list[Statement]] = {}
    for s in sorted(statements, key=lambda s: s.id):
        rows.setdefault(assertion_id(s), []).append(s)
    found = []
    for aid, members in sorted(rows.items()):
        studies = tuple(s.id for s in members if _is_study(s))
        evidence = tuple(
            Evidence(statement=s.id, evidence=s.evidence, citations=s.citations, section=s.section,
                     hedged=s.hedged, direct=s.direct,
                     summarises=studies if _is_summary(s) else ())
            for s in members
        )
        first = members[0]
        found.append(Assertion(
            id=aid, subject=first.subject, relation=first.relation, object=first.object,
            effect=first.effect, negated=first.negated, contexts=tuple(sorted(first.contexts)),
            qualifiers=_key_qualifiers(first),
            evidence=evidence,
        ))
    return found


def assertions(dataset: Dataset) -> list[Assertion]:
    """The assertions of a dataset (see :func:`group`)."""
    return group(dataset.statements)


def distribution(found: Iterable[Assertion]) -> dict[str, int]:
    """How many assertions have 1, 2, and 3 or more evidence lines.

    >>> distribution([])
    {'1': 0, '2': 0, '3+': 0}
    """
    counts = {"1": 0, "2": 0, "3+": 0}
    for a in found:
        n = len(a.evidence)
        counts["1" if n == 1 else "2" if n == 2 else "3+"] += 1
    return counts
