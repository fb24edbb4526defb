"""Core commands: build, validate, info, resolve, quotes."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..options import format_option, graph_dir_option, load_graph
from ..render import render

if TYPE_CHECKING:
    from ..kg import KnowledgeGraph


@click.command()
@graph_dir_option
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the artefacts.")
@click.option("--review-only", is_flag=True,
              help="Leave out the ontologies' subclass / part_of links (graph/hierarchy/).")
def build(graph_dirs: tuple[Path, ...], out_dir: Path, review_only: bool = False) -> None:
    """Validate the curated data and write iapgraph.ttl, vocab.ttl and iapgraph.nt."""
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
    """Check the curated files; print every problem as file:line: field: message."""
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
    """Counts of entities by kind and statements by relation (or per review section, or grounding)."""
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
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return
    rows = [{"table": "entities", "name": k, "count": v} for k, v in data["entities"].items()]
    rows += [{"table": "statements", "name": k, "count": v} for k, v in data["statements"].items()]
    click.echo(render(rows, ["table", "name", "count"], fmt), nl=False)


@click.command()
@graph_dir_option
@format_option
@click.argument("names", nargs=-1, required=True)
def resolve(graph_dirs: tuple[Path, ...], fmt: str, names: tuple[str, ...]) -> None:
    """Resolve names (labels, symbols, aliases, xrefs) to entities."""
    kg = load_graph(graph_dirs)
    rows = []
    for name in names:
        e = kg.entity(name)
        rows.append({"name": name, "id": e.id, "label": e.label, "kind": e.kind, "symbol": e.symbol,
                     "xrefs": list(e.xrefs), "up": _paths_up(kg, e.id)})
    click.echo(render(rows, ["name", "id", "label", "kind", "symbol", "xrefs", "up"], fmt, 80), nl=False)


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
    """Every evidence quote as JSON lines {"id", "quote"} (the input of verify_quotes)."""
    kg = load_graph(graph_dirs)
    for s in kg.dataset.statements:
        click.echo(json.dumps({"id": s.id, "quote": s.evidence}, ensure_ascii=False))
