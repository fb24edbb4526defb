"""Path commands: neighbors, path, explain, conflicts (a thin layer over :mod:`iapgraph.paths`).

Kept light on purpose: a lookup imports click and the in-house search, never networkx.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import click

from .. import vocab
from ..options import format_option, graph_dir_option, load_graph
from ..render import render

if TYPE_CHECKING:
    from pathlib import Path


def _json() -> Any:
    import json  # only --format json needs it

    return json


HOP_COLUMNS = ["path", "step", "from", "relation", "effect", "to", "domain", "context", "citation",
               "section", "statement", "evidence", "net_effect"]


def _relations_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--relation`` / ``--exclude-relation`` / ``--via`` / ``--max-length`` / ``--through-hubs``."""
    for option in reversed([
        click.option("--relation", "relations", multiple=True, metavar="RELATION",
                     help="Walk only these relations (repeatable; structural glue such as has_domain "
                          "is still walked). Associative ones (correlates_with, prognostic_for ...) "
                          "are walked only when named here."),
        click.option("--exclude-relation", "exclude", multiple=True, metavar="RELATION",
                     help="Never walk this relation (repeatable)."),
        click.option("--via", multiple=True, metavar="NAME",
                     help="The chain must pass this entity (repeatable, in order)."),
        click.option("--max-length", default=6, show_default=True, type=click.IntRange(1, 50),
                     help="Longest chain, in steps."),
        click.option("--through-hubs", is_flag=True,
                     help="Let chains pass processes, hallmarks, cancer types and classes' members."),
        click.option("--exact", is_flag=True,
                     help="SOURCE and TARGET only; by default a class at either end includes its "
                          "subtypes in the ontology hierarchy (lung cancer: NSCLC, SCLC)."),
    ]):
        func = option(func)
    return func


def _hop_rows(chains: Iterable[Any]) -> list[dict[str, Any]]:
    rows = []
    for number, chain in enumerate(chains, 1):
        for step, hop in enumerate(chain.hops, 1):
            s = hop.primary
            rows.append({
                "path": number, "step": step, "from": hop.source_label, "relation": hop.label,
                "effect": hop.sign, "to": hop.target_label,
                "domain": [hop.entities[d].label for d in s.domains],
                "context": [hop.entities[c].label for c in s.contexts],
                "citation": s.citation, "section": s.section,
                "statement": [t.id for t in hop.statements], "evidence": s.evidence,
                "net_effect": chain.net,
            })
    return rows


def _warnings_on_stderr(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command printing iapgraph's warnings (a cap that cut the answer) as yellow lines on
    stderr after the answer, instead of Python's warning format."""
    import functools

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        import warnings

        from ..exceptions import IapgraphWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", IapgraphWarning)
            try:
                return func(*args, **kwargs)
            finally:
                for seen in dict.fromkeys(str(w.message) for w in caught
                                          if issubclass(w.category, IapgraphWarning)):
                    click.secho(f"({seen})", fg="yellow", err=True)

    return run


def _echo(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


@click.command()
@graph_dir_option
@format_option
@click.argument("name")
@click.option("--relation", "relations", multiple=True, metavar="RELATION",
              help="Only statements with this relation (repeatable), e.g. ubiquitinates.")
@click.option("--direction", type=click.Choice(["out", "in", "both"]), default="both", show_default=True,
              help="out: what NAME acts on; in: what acts on NAME.")
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help=f"Only neighbours of this kind (repeatable): {', '.join(vocab.KINDS)}.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1, 10),
              help="Steps out from NAME (hubs and negated statements are not walked further).")
@click.option("--through-hubs", is_flag=True, help="Walk on through processes, hallmarks and the like.")
@click.option("--no-negated", is_flag=True, help="Leave out the review's negative findings.")
@click.option("--exact", is_flag=True,
              help="NAME only; by default a class includes its subtypes in the ontology hierarchy "
                   "(lung cancer: NSCLC, SCLC), shown in a 'matched' column.")
def neighbors(graph_dirs: tuple[Path, ...], fmt: str, name: str, relations: tuple[str, ...],
              direction: str, kinds: tuple[str, ...], depth: int, through_hubs: bool,
              no_negated: bool, exact: bool = False) -> None:
    """Statements around NAME.

    Each with its relation, sign, domain, context and citation.

    \b
    Example: what does cIAP1 ubiquitinate?
      iapgraph neighbors cIAP1 --relation ubiquitinates --direction out
    """
    kg = load_graph(graph_dirs)
    rows = kg.neighbors(name, relations=relations or None, direction=direction, kinds=kinds or None,
                        depth=depth, negated=not no_negated, through_hubs=through_hubs, exact=exact)
    if fmt == "json":
        _echo(_json().dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False))
        return
    table = []
    for r in rows:
        s = r.statement
        table.append({
            "depth": r.depth, "from": kg.dataset.entities[s.subject].label,
            "relation": ("NOT " if s.negated else "") + s.relation,
            "to": kg.dataset.entities[s.object].label, "kind": r.kind, "effect": s.effect,
            "domain": [kg.dataset.entities[d].label for d in s.domains],
            "context": [kg.dataset.entities[c].label for c in s.contexts],
            "citation": s.citation, "statement": s.id, "evidence": s.evidence,
            "matched": kg.dataset.entities[r.matched].label if r.matched else "",
        })
    columns = ["from", "relation", "to", "kind", "effect", "domain", "context", "citation", "statement"]
    if any(r.matched != kg.resolve(name) for r in rows):  # a subtype matched: say which
        columns.insert(0, "matched")
    if depth > 1:
        columns.insert(0, "depth")
    if fmt != "table":
        columns.append("evidence")
    if not table and fmt == "table":
        click.echo(f"no statements around {kg.entity(name).label} match")
        return
    _echo(render(table, columns, fmt, 40))


@click.command()
@graph_dir_option
@format_option
@click.argument("source")
@click.argument("target")
@click.option("-k", "k", default=3, show_default=True, type=click.IntRange(1, 100),
              help="How many chains (the shortest first).")
@_relations_options
@click.option("--signed", is_flag=True,
              help="Only chains whose every step has a sign, so the net effect is known.")
@click.option("--expect", type=click.Choice(["up", "down"]),
              help="Only signed chains with this net effect (implies --signed).")
@_warnings_on_stderr
def path(graph_dirs: tuple[Path, ...], fmt: str, source: str, target: str, k: int,
         relations: tuple[str, ...], exclude: tuple[str, ...], via: tuple[str, ...], max_length: int,
         through_hubs: bool, signed: bool, expect: str | None, exact: bool = False) -> None:
    """Chains of statements from SOURCE to TARGET.

    The best-supported short chains, each hop with its evidence.

    \b
    Example: how is XIAP connected to ERK1/2?
      iapgraph path XIAP ERK1/2 -k 5 --signed
    """
    import textwrap  # here: neighbors does not wrap

    from ..paths.chains import hop_lines

    kg = load_graph(graph_dirs)
    chains = kg.paths(source, target, k=k, max_length=max_length, relations=relations or None,
                      exclude_relations=exclude or None, via=via or None, signed=signed,
                      expect=expect, through_hubs=through_hubs, exact=exact)
    if fmt == "json":
        _echo(_json().dumps([c.to_dict() for c in chains], indent=2, ensure_ascii=False))
        return
    if fmt in ("csv", "tsv"):
        _echo(render(_hop_rows(chains), HOP_COLUMNS, fmt))
        return
    if not chains:
        click.echo(f"no chain from {kg.entity(source).label} to {kg.entity(target).label} "
                   f"within {max_length} step{'s' * (max_length > 1)}" + (" with that net effect" if expect else ""))
        hint = kg.no_chain_hint(source, target, max_length=max_length, relations=relations or None,
                                exclude_relations=exclude or None, via=via or None, signed=signed,
                                expect=expect, through_hubs=through_hubs)
        if hint:
            click.echo(hint)
        return
    lines: list[str] = []
    for number, chain in enumerate(chains, 1):
        lines.append(f"path {number}: {' -> '.join(chain.labels)} "
                     f"({len(chain)} step{'s' * (len(chain) > 1)}, net effect {chain.net})")
        lines += textwrap.wrap(f"rank: {chain.rank_reason}", 100, initial_indent="  ",
                               subsequent_indent="    ")
        for hop in chain.hops:
            lines += hop_lines(hop, "  ")
        lines.append("")
    _echo("\n".join(lines))


@click.command()
@graph_dir_option
@format_option
@click.argument("source")
@click.argument("target")
@click.option("-k", "k", default=2, show_default=True, type=click.IntRange(1, 20),
              help="How many chains to explain.")
@_relations_options
@click.option("--expect", type=click.Choice(["up", "down"]),
              help="Only chains with this net effect.")
@_warnings_on_stderr
def explain(graph_dirs: tuple[Path, ...], fmt: str, source: str, target: str, k: int,
            relations: tuple[str, ...], exclude: tuple[str, ...], via: tuple[str, ...],
            max_length: int, through_hubs: bool, expect: str | None, exact: bool = False) -> None:
    """How SOURCE leads to TARGET, quote by quote.

    The best-supported signed chains, hop by hop, with quotes.

    \b
    Example: how does a SMAC mimetic lead to non-canonical NF-kB activation?
      iapgraph explain "SMAC mimetic" "non-canonical NF-kB pathway"
    """
    kg = load_graph(graph_dirs)
    result = kg.explain(source, target, k=k, max_length=max_length, expect=expect,
                        via=via or None, relations=relations or None,
                        exclude_relations=exclude or None, through_hubs=through_hubs, exact=exact)
    if fmt == "json":
        _echo(_json().dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif fmt in ("csv", "tsv"):
        _echo(render(_hop_rows(result.chains), HOP_COLUMNS, fmt))
    else:
        _echo(str(result))
        if not result.chains:
            hint = kg.no_chain_hint(source, target, max_length=max_length, relations=relations or None,
                                    exclude_relations=exclude or None, via=via or None,
                                    expect=expect, through_hubs=through_hubs)
            if hint:
                click.echo(hint)


@click.command()
@graph_dir_option
@format_option
@click.argument("name", required=False)
@click.option("--relation", "relations", multiple=True, metavar="RELATION",
              help="Only pairs where a statement has this relation (repeatable).")
@click.option("--exact", is_flag=True,
              help="NAME only; by default a class includes its subtypes in the ontology hierarchy.")
def conflicts(graph_dirs: tuple[Path, ...], fmt: str, name: str | None,
              relations: tuple[str, ...], exact: bool = False) -> None:
    """Findings that disagree, side by side.

    Statements on the same subject, object and context with opposite effects (or prognosis
    outcomes) from different evidence, with why they disagree, contexts and quotes.

    \b
    Example: where does the review disagree about XIAP?
      iapgraph conflicts XIAP
    """
    kg = load_graph(graph_dirs)
    found = kg.conflicts(name, relations=relations or None, exact=exact)
    if fmt == "json":
        _echo(_json().dumps([c.to_dict() for c in found], indent=2, ensure_ascii=False))
        return
    entities = kg.dataset.entities
    if fmt in ("csv", "tsv"):
        rows = []
        for c in found:
            row: dict[str, Any] = {"kind": c.kind, "subject": entities[c.subject].label,
                                   "object": entities[c.object].label,
                                   "context": [entities[x].label for x in c.contexts], "reason": c.reason}
            for side, s, reading in (("first", c.first, c.first_reading),
                                     ("second", c.second, c.second_reading)):
                row |= {f"{side}_reading": reading, f"{side}_statement": s.id,
                        f"{side}_context": [entities[x].label for x in s.contexts],
                        f"{side}_citation": s.citation, f"{side}_evidence": s.evidence}
            rows.append(row)
        columns = ["kind", "subject", "object", "context", "reason"] + [
            f"{side}_{f}" for side in ("first", "second")
            for f in ("reading", "statement", "context", "citation", "evidence")]
        _echo(render(rows, columns, fmt))
        return
    if not found:
        click.echo("no conflicting statements" + (f" on {kg.entity(name).label}" if name else ""))
        return
    import textwrap

    from ..paths.disagreements import grouped

    lines: list[str] = []
    for group in grouped(found):
        where = ", ".join(entities[x].label for x in group.contexts)
        lines.append(f"{entities[group.subject].label} / {entities[group.object].label}"
                     f"{' in ' + where if where else ''}: {group.kind}")
        lines += textwrap.wrap(f"why: {group.reason}", 100, initial_indent="  ", subsequent_indent="    ")
        for side, statements in group.sides.items():
            lines.append(f"  {side}:")
            for s in statements:
                where = ", ".join(entities[x].label for x in s.contexts)
                qual = ", ".join(f"{k}={v}" for k, v in s.qualifiers.items() if k != "reading")
                extra = "; ".join(x for x in (f"in {where}" if where else "", qual) if x)
                relation = ("not " if s.negated else "") + s.relation
                lines.append(f"    {relation}{' (' + extra + ')' if extra else ''}")
                lines += textwrap.wrap(f'"{s.evidence}"', 100, initial_indent="      ",
                                       subsequent_indent="       ", break_on_hyphens=False)
                lines.append(f"      ({s.citation}; section {s.section}; {s.id})")
        lines.append("")
    _echo("\n".join(lines))
