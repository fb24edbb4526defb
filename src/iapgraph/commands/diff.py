"""``iapgraph diff OLD NEW``: what a change does to the curated graph, for the curator reviewing it."""

from __future__ import annotations

import click


@click.command(epilog="""Examples:

\b
  iapgraph diff main                      what this branch's graph/ changes against main
  iapgraph diff v0.1 main --format md     a changelog between two revisions
  iapgraph diff ../release-0.1 graph      a release folder (holding graph/) against this one
""")
@click.argument("old")
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True,
              help="text for a terminal, md for a pull request or changelog, json for programs.")
@click.option("--exit-code", is_flag=True,
              help="Exit 1 when the versions differ (as git diff --exit-code does).")
def diff(old: str, new: str | None, fmt: str, exit_code: bool) -> None:
    """What changed between two versions of the graph.

    Entities, statements and assertions added, removed and changed field by field, with the
    quotes. OLD and NEW are graph folders, release folders holding graph/, or git revisions
    (REV or REV:PATH, read from the current checkout). NEW is ./graph (else the project's graph/) when left out."""
    from ..kg import diff as compare

    result = compare(old, new)
    click.echo(result.render(fmt), nl=False)
    if exit_code and result:
        raise SystemExit(1)
