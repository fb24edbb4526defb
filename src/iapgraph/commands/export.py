"""``iapgraph export``: write the graph for Cytoscape, Gephi, NDEx, KGX tools, Neo4j or any RDF store."""

from __future__ import annotations

from pathlib import Path

import click

from ..export import FORMATS
from ..options import graph_dir_option, load_graph

_HELP = "\n".join(f"  {f.name:9} {f.extension or 'PREFIX/':8} {f.description}" for f in FORMATS.values())


@click.command(epilog=f"Formats:\n\n\b\n{_HELP}")
@graph_dir_option
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True, help="The output format.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The file to write (build/iapgraph.nt, .ttl, .cx2, .bel ...); for kgx and neo4j a prefix "
                   "(PREFIX_nodes.tsv ...) or an existing folder (FOLDER/nodes.tsv ...).")
@click.option("--include-negated/--no-negated", "negated", default=True, show_default=True,
              help="Keep the statements the review negates (marked negated=true; SIF never lists them).")
@click.option("--ontology/--no-ontology", "ontology", default=True, show_default=True,
              help="Keep the ontologies' subclass / part_of links (graph/hierarchy/, in RDF as "
                   "iap:OntologyLink nodes with dcterms:source); --no-ontology: the review only.")
def export(graph_dirs: tuple[Path, ...], fmt: str, output: Path, negated: bool, ontology: bool = True) -> None:
    """Write the graph in another tool's format.

    RDF (turtle, ntriples, jsonld), a network (graphml, cx2, sif), tables (kgx, neo4j), INDRA
    Statements (indra) or a BEL script (bel). Every file is written atomically; the notes list what
    a format could not say.
    """
    kg = load_graph(graph_dirs)
    result = kg.export(fmt, output, negated=negated, ontology=ontology)
    for path in result.paths:
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
    click.echo(", ".join(f"{value} {name}" for name, value in result.counts.items()))
    for note in result.notes:
        click.echo(f"note: {note}")
