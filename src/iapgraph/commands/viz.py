"""``iapgraph viz``: write the interactive HTML (one self-contained file; works from file://)."""

from __future__ import annotations

from pathlib import Path

import click

from ..options import graph_dir_option, load_graph

SIZE_CHOICES = ("degree", "statements", "betweenness", "none")


@click.command()
@graph_dir_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("iapgraph.html"), show_default=True, help="The HTML file to write.")
@click.option("--focus", multiple=True, metavar="NAME",
              help="Show only the neighbourhood of NAME (repeatable).")
@click.option("--exact", is_flag=True,
              help="--focus on NAME only; by default a class includes its subtypes (lung cancer: NSCLC, SCLC).")
@click.option("--depth", type=click.IntRange(0, 10), default=None,
              help="Steps around --focus (default 1) or behind --hallmark (default 2).")
@click.option("--relation", "relations", multiple=True, metavar="RELATION",
              help="Keep only these relations, or relation groups (binding, inhibition ...); repeatable.")
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Keep only entities of these kinds or categories (iap, drug, process ...); repeatable.")
@click.option("--hallmark", metavar="NAME", help="The subgraph behind one hallmark of cancer.")
@click.option("--path", nargs=2, metavar="SOURCE TARGET", default=None,
              help="Highlight the chains of `iapgraph path SOURCE TARGET`.")
@click.option("-k", "k", type=click.IntRange(1, 50), default=3, show_default=True,
              help="How many chains --path shows.")
@click.option("--domains", is_flag=True, help="Draw protein domains as nodes instead of folding them "
              "into their protein.")
@click.option("--all-edges", is_flag=True, help="In a --focus or --path view, also draw the other "
              "statements among the shown nodes (by default only those leading from the focus or "
              "along the chains).")
@click.option("--no-negated", is_flag=True, help="Leave out statements the review negates.")
@click.option("--size", type=click.Choice(SIZE_CHOICES), default="degree", show_default=True,
              help="What node size shows.")
@click.option("--title", default=None, help="Page title.")
def viz(graph_dirs: tuple[Path, ...], output: Path, focus: tuple[str, ...], depth: int | None,
        relations: tuple[str, ...], kinds: tuple[str, ...], hallmark: str | None,
        path: tuple[str, str] | None, k: int, domains: bool, all_edges: bool, no_negated: bool,
        size: str, title: str | None, exact: bool = False) -> None:
    """Write the interactive HTML of the graph.

    One self-contained file of the graph (or a focused part of it).

    Open it in any browser, offline: hover for evidence, click for the full record and identifier
    links, search by any name, hide kinds and relations from the legend.
    """
    kg = load_graph(graph_dirs)
    written, view = kg.viz(
        output, size=size, title=title, focus=focus, depth=depth, relations=relations, kinds=kinds,
        hallmark=hallmark, path=(path[0], path[1]) if path else None, k=k, domains=domains,
        negated=not no_negated, all_edges=all_edges, exact=exact,
    )
    click.echo(f"wrote {written} ({written.stat().st_size:,} bytes): {view.description}; "
               f"{len(view.nodes)} nodes, {len(view.statements)} statements")
    for note in view.notes:
        click.echo(f"note: {note}")
