"""Core commands: build, validate, info, resolve, quotes."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from ..options import FolderPath, format_option, graph_dir_option, load_graph
from ..render import render

if TYPE_CHECKING:  # pathlib and json are imported where used: not by a cold resolve
    from pathlib import Path

    from ..kg import KnowledgeGraph
    from ..trials import Trial


@click.command()
@graph_dir_option
@click.option("-o", "--out-dir", type=FolderPath(file_okay=False), default="build",
              show_default=True, help="Folder for the artefacts.")
@click.option("--review-only", is_flag=True,
              help="Leave out the ontologies' subclass / part_of links (graph/hierarchy/).")
def build(graph_dirs: tuple[Path, ...], out_dir: Path, review_only: bool = False) -> None:
    """Validate graph/ and write the RDF files.

    Writes iapgraph.ttl, vocab.ttl and iapgraph.nt, all three or none.
    """
    start = time.perf_counter()
    kg = load_graph(graph_dirs)
    paths = kg.build(out_dir, review_only=review_only)
    took = time.perf_counter() - start
    for p in paths:
        click.echo(f"wrote {p} ({p.stat().st_size:,} bytes)")
    click.echo(f"{len(kg.dataset.entities)} entities, {len(kg.dataset.statements)} statements in {took:.2f} s")


@click.command()
@graph_dir_option
@click.option("--shacl", is_flag=True, help="Also check the built RDF against the SHACL shapes.")
def validate(graph_dirs: tuple[Path, ...], shacl: bool) -> None:
    """Check the curated files.

    Prints every problem as file:line: field: message and exits 1 when there is one.
    """
    from ..kg import KnowledgeGraph, load_dataset

    dataset = load_dataset(list(graph_dirs) or None)
    if shacl:
        KnowledgeGraph(dataset).check_shapes()
    click.echo(f"ok: {len(dataset.entities)} entities, {len(dataset.statements)} statements")


@click.command()
@graph_dir_option
@format_option
@click.option("--coverage", is_flag=True, help="Statements per review section instead of counts.")
@click.option("--grounding", is_flag=True,
              help="Registry identifiers per kind group: grounded/total, %, and the ungrounded ids.")
def info(graph_dirs: tuple[Path, ...], fmt: str, coverage: bool, grounding: bool) -> None:
    """Counts by kind and relation (or by section, or grounding).

    Entities by kind, statements by relation and assertions by evidence lines (1, 2, 3+);
    --coverage gives statements per review section, --grounding the registry identifiers per kind.
    """
    from ..assertions import distribution

    kg = load_graph(graph_dirs)
    if grounding:
        rows = [{**r, "grounded/total": f"{r['grounded']}/{r['total']}", "%": f"{r['percent']:.1f}"}
                for r in kg.grounding()]
        columns = ["group", "grounded/total", "%", "ungrounded"] if fmt == "table" else \
            ["group", "grounded", "total", "percent", "ungrounded"]
        click.echo(render(rows, columns, fmt, 400), nl=False)
        return
    if coverage:
        rows = kg.coverage()
        click.echo(render(rows, ["section", "statements", "negated", "citations", "relations"], fmt, 90),
                   nl=False)
        return
    data = kg.counts()
    found = kg.assertions()
    data["assertions"] = {"total": len(found), **{f"evidence {k}": v for k, v in distribution(found).items()}}
    if fmt == "json":
        import json

        click.echo(json.dumps(data, indent=2))
        return
    rows = [{"table": "entities", "name": k, "count": v} for k, v in data["entities"].items()]
    rows += [{"table": "statements", "name": k, "count": v} for k, v in data["statements"].items()]
    rows += [{"table": "assertions", "name": k, "count": v} for k, v in data["assertions"].items()]
    click.echo(render(rows, ["table", "name", "count"], fmt), nl=False)


@click.command()
@graph_dir_option
@format_option
@click.argument("names", nargs=-1, required=True)
def resolve(graph_dirs: tuple[Path, ...], fmt: str, names: tuple[str, ...]) -> None:
    """Which entity each name means.

    Names are labels, symbols, aliases or identifiers, in any case. Names that resolve are
    listed; each one that does not gets an error line (exit 2).
    """
    from ..exceptions import UnknownEntity, UsageError

    kg = load_graph(graph_dirs)
    rows = []
    unknown: list[UnknownEntity] = []
    for name in names:
        try:
            e = kg.entity(name)
        except UnknownEntity as exc:  # the names that resolve are still worth showing
            unknown.append(exc)
            continue
        rows.append({"name": name, "id": e.id, "label": e.label, "kind": e.kind, "symbol": e.symbol,
                     "xrefs": list(e.xrefs), "up": _paths_up(kg, e.id)})
    if rows or fmt != "table":
        click.echo(render(rows, ["name", "id", "label", "kind", "symbol", "xrefs", "up"], fmt, 80), nl=False)
    if unknown:
        raise UsageError("\n".join(str(exc) for exc in unknown))  # one line per unknown name


def _paths_up(kg: KnowledgeGraph, entity_id: str) -> list[str]:
    """Each path up the ontology hierarchy as ``lung carcinoma > lung cancer > cancer`` (a part_of
    step reads ``part of apoptosis``)."""
    entities = kg.dataset.entities
    return [" > ".join(("part of " if link.relation == "part_of" else "") + entities[link.parent].label
                       for link in chain)
            for chain in kg.lineage(entity_id)]


@click.command()
@graph_dir_option
def quotes(graph_dirs: tuple[Path, ...]) -> None:
    """Every evidence quote as JSON lines.

    One {"id", "quote"} per statement: the input of verify_quotes.
    """
    import json

    kg = load_graph(graph_dirs)
    for s in kg.dataset.statements:
        click.echo(json.dumps({"id": s.id, "quote": s.evidence}, ensure_ascii=False))


def _trial_fields(card: Trial) -> list[tuple[str, str]]:
    """The card's lines as (field, text); 'not stated' where Table 2 gives nothing."""
    def text(value: str | None) -> str:
        return value or "not stated"

    targets = [f"{t.agent} {t.relation} {t.target} ({t.effect}; "
               f"{'via ' + ', '.join(t.domains) if t.domains else 'domain not stated'}; "
               f"{t.citation}; {t.statement})" for t in card.targets]
    agent = ", ".join(card.agents) + (f" ({', '.join(card.agent_classes)})" if card.agent_classes else "")
    dates = f"{text(card.start)} to {text(card.completion)}"
    return [
        ("trial", card.label),
        ("identifiers", ", ".join(card.xrefs) or "none"),
        ("agent", text(agent)),
        ("partner", ", ".join(card.partners) if card.partners else "none (monotherapy)"),
        ("condition", text("; ".join(card.conditions))),
        ("phase", text(card.phase)),
        ("status", text(card.status)),
        ("dates", dates),
        ("enrolment", text(str(card.enrolled) if card.enrolled is not None else "")),
        ("conclusions", text(card.conclusions)),
        ("reference", "; ".join(card.references) or "none cited in Table 2"),
        ("statements", ", ".join(card.statements)),
        *((("targets" if i == 0 else ""), line) for i, line in enumerate(targets or ["none in the graph"])),
    ]


@click.command()
@graph_dir_option
@format_option
@click.argument("name")
def trial(graph_dirs: tuple[Path, ...], fmt: str, name: str) -> None:
    """One clinical trial as a card.

    \b
    Agent (and its drug class), partners, condition, phase, status, dates, enrolment, conclusions,
    reference, and what the agent targets, down to the domain.
    Example: iapgraph trial NCT02022098
    """
    import textwrap

    kg = load_graph(graph_dirs)
    card = kg.trial(name)
    if fmt == "json":
        import json

        click.echo(json.dumps(card.to_dict(), indent=2, ensure_ascii=False))
        return
    fields = _trial_fields(card)
    if fmt in ("csv", "tsv"):
        rows = [{"field": f, "value": v} for f, v in fields]
        for i in range(1, len(rows)):  # a target line without its field name continues the one above
            rows[i]["field"] = rows[i]["field"] or rows[i - 1]["field"]
        click.echo(render(rows, ["field", "value"], fmt), nl=False)
        return
    width = max(len(f) for f, _ in fields) + 2
    for field_name, value in fields:
        lines = textwrap.wrap(value, 100 - width, break_on_hyphens=False) or [""]
        click.echo(field_name.ljust(width) + lines[0])
        for more in lines[1:]:
            click.echo(" " * width + more)
