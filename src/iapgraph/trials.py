"""One clinical trial of Table 2 as a record: what it tests, with what, in whom, how it went, and
what its agent acts on, down to the domain.

Table 2 spreads a trial over an entity (enrolment, dates, status, conclusions as attributes) and
statements (``tests`` the agent, ``combined_with`` each partner, ``studies_condition`` each
condition), and the agent's targets sit in the molecular graph (``Debio 1143 targets cIAP1``).
:func:`trial` gathers them into one :class:`Trial`, so a pharmacologist reads a card instead of
joining four query results.

>>> import iapgraph
>>> card = iapgraph.load().trial("NCT02022098")
>>> card.agents, card.partners, card.enrolled
(('Debio 1143',), ('cisplatin', 'radiotherapy'), 110)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from . import vocab
from .exceptions import UsageError, did_you_mean
from .model import Entity, GraphView, Statement

__all__ = ["TABLE2_PHASE", "TARGET_RELATIONS", "Trial", "TrialTarget", "trial"]

#: What a drug does to its target (the relations of the drug-targets query).
TARGET_RELATIONS = ("binds", "targets", "antagonizes", "inhibits", "degrades", "downregulates")
#: Table 2 prints no phase per trial; its title gives one for all: "IAP antagonists in Phase II
#: clinical trials". A trial's own ``phase`` attribute, when curated, wins.
TABLE2_PHASE = "II (Table 2: IAP antagonists in Phase II clinical trials)"


@dataclass(frozen=True)
class TrialTarget:
    """One statement on what the trial's agent acts on: the protein, how, and through which domains."""

    agent: str  # label
    target: str  # label of the protein (the domain's protein when the object is a domain)
    relation: str
    effect: str
    domains: tuple[str, ...]  # labels; empty when the review names none
    citation: str
    statement: str


@dataclass(frozen=True)
class Trial:
    """A clinical trial of Table 2, with its agent's targets."""

    id: str
    label: str
    xrefs: tuple[str, ...]
    agents: tuple[str, ...]
    agent_classes: tuple[str, ...]  # the drug classes the agents are members of
    partners: tuple[str, ...]  # empty: monotherapy
    conditions: tuple[str, ...]  # as Table 2 prints them
    phase: str
    status: str
    start: str
    completion: str
    enrolled: int | None
    conclusions: str
    references: tuple[str, ...]  # the studies Table 2 cites for the trial
    statements: tuple[str, ...]  # the Table 2 statements about it
    targets: tuple[TrialTarget, ...]

    @property
    def regimen(self) -> str:
        """'monotherapy' or 'combination'."""
        return "combination" if self.partners else "monotherapy"

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["regimen"] = self.regimen
        return data


def _target_rows(kg: GraphView, agent: str) -> list[TrialTarget]:
    entities = kg.dataset.entities
    owner = {s.object: s.subject for s in kg.dataset.statements
             if s.relation == "has_domain" and not s.negated and entities[s.object].kind == "domain"}
    rows = []
    for s in kg.dataset.statements:
        if s.subject != agent or s.negated or s.relation not in TARGET_RELATIONS:
            continue
        domains = [entities[d].label for d in s.domains]
        target = s.object
        if entities[target].kind == "domain" and target in owner:  # a drug binding XIAP BIR3
            domains.insert(0, entities[target].label)
            target = owner[target]
        rows.append(TrialTarget(entities[agent].label, entities[target].label, s.relation, s.effect,
                                tuple(domains), s.citation, s.id))
    return sorted(rows, key=lambda r: (r.target.lower(), r.relation, r.statement))


def _enrolled(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def trial(kg: GraphView, name: str) -> Trial:
    """The card of one clinical trial (any of its names: NCT or EudraCT number, label).

    Raises:
        UnknownEntity: the name resolves to nothing.
        UsageError: the name is not a clinical trial (the message lists the closest trials).
    """
    entities: Mapping[str, Entity] = kg.dataset.entities
    tid = kg.resolve(name)
    e = entities[tid]
    if e.kind != "clinical_trial":
        trials = sorted(x.label for x in entities.values() if x.kind == "clinical_trial")
        hint = did_you_mean(name, trials, otherwise=f" (one of: {', '.join(trials[:5])} ...)")
        raise UsageError(f"{e.label!r} is a {e.kind.replace('_', ' ')}, not a clinical trial{hint}")
    about: list[Statement] = [s for s in kg.dataset.statements if s.subject == tid and not s.negated]

    def objects(relation: str) -> list[str]:
        return [s.object for s in about if s.relation == relation]

    agents = objects("tests")
    conditions = [s.qualifiers.get("condition") or entities[s.object].label
                  for s in about if s.relation == "studies_condition"]
    classes = sorted({entities[s.subject].label for s in kg.dataset.statements
                      if s.relation == "has_member" and s.object in agents and not s.negated
                      and entities[s.subject].kind == "drug_class"})
    values = dict(e.attributes)
    for s in about:  # the attributes Table 2 puts on the tests statement, where the entity lacks them
        for key, value in s.qualifiers.items():
            values.setdefault(key, value)
    references = sorted({c for s in about for c in s.citations if c != vocab.REVIEW_CITATION})
    return Trial(
        id=tid, label=e.label, xrefs=tuple(e.xrefs),
        agents=tuple(entities[a].label for a in agents), agent_classes=tuple(classes),
        partners=tuple(entities[p].label for p in objects("combined_with")),
        conditions=tuple(dict.fromkeys(conditions)),
        phase=values.get("phase") or (TABLE2_PHASE if any(s.section == "Table 2" for s in about) else ""),
        status=values.get("status", ""), start=values.get("start", ""),
        completion=values.get("completion", ""), enrolled=_enrolled(values.get("enrolled", "")),
        conclusions=values.get("conclusions", ""), references=tuple(references),
        statements=tuple(s.id for s in about),
        targets=tuple(row for a in agents for row in _target_rows(kg, a)),
    )
