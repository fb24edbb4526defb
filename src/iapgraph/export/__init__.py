"""``iapgraph export``: the graph in the formats other tools read, one registry of formats.

Each format family lives in its own module (:mod:`~iapgraph.export.rdf`,
:mod:`~iapgraph.export.network`, :mod:`~iapgraph.export.tables`, :mod:`~iapgraph.export.indra`,
:mod:`~iapgraph.export.bel`), imported only when used. Every file is written atomically. Negated
statements are kept by default and stay distinguishable in every format that has attributes
(``negated`` true; INDRA's ``epistemics``); SIF, which has none, lists only asserted statements and
the result says how many it left out; BEL, which cannot negate, writes them as comments. A writer
may return notes beside its counts: INDRA and BEL list there every statement they have no form for.

>>> sorted(FORMATS)[:4]
['bel', 'cx2', 'graphml', 'indra']
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import OutputError, UsageError
from ..model import Dataset, GraphView


@dataclass(frozen=True)
class Format:
    """An export format: where its writer lives, and what it writes."""

    name: str
    writer: str  # "module:function" inside iapgraph, called with the dataset and the paths
    description: str
    files: tuple[str, ...] = ()  # the files a prefix -o names; () for a single file
    suffix: str = ""  # of those files
    marks_negated: bool = True
    extension: str = ""  # the file name ending other tools guess the format from (single-file formats)
    reports_negated: bool = False  # the writer says itself what it did with the negated statements

    def paths(self, output: Path) -> list[Path]:
        """The files an export to ``output`` writes."""
        if not self.files:
            return [output]
        from .tables import table_paths

        return table_paths(output, self.files, self.suffix)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("turtle", "rdf:write_turtle", "RDF Turtle (the graph of `iapgraph build`)", extension=".ttl"),
        Format("ntriples", "rdf:write_ntriples", "RDF N-Triples, one triple a line", extension=".nt"),
        Format("jsonld", "rdf:write_jsonld", "JSON-LD with a @context of the project's and "
               "the registries' prefixes", extension=".jsonld"),
        Format("graphml", "network:write_graphml", "GraphML for Cytoscape, Gephi, yEd, networkx",
               extension=".graphml"),
        Format("cx2", "network:write_cx2", "CX2 JSON for Cytoscape and NDEx, with the HTML's visual style",
               extension=".cx2"),
        Format("kgx", "tables:write_kgx", "KGX nodes/edges TSV with Biolink categories "
               "and predicates", files=("nodes", "edges"), suffix=".tsv"),
        Format("sif", "network:write_sif", "SIF: subject, relation, object per line "
               "(asserted statements only)", marks_negated=False, extension=".sif"),
        Format("neo4j", "tables:write_neo4j", "CSV for neo4j-admin database import (or kuzu COPY)",
               files=("nodes", "relationships"), suffix=".csv"),
        Format("indra", "indra:write_indra", "INDRA Statements JSON: one Evidence per curated row "
               "(negated ones marked); rows INDRA has no type for are listed", extension=".json"),
        Format("bel", "bel:write_bel", "BEL 2.x script with citations, evidence and annotations "
               "(asserted statements only: BEL cannot negate)", marks_negated=False, extension=".bel",
               reports_negated=True),
    ]
}


@dataclass
class Exported:
    """What an export wrote: the files, the counts it knows (triples, or nodes and edges), notes."""

    format: str
    paths: list[Path]
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)


def export(kg_or_dataset: GraphView | Dataset, fmt: str, output: str | Path, *,
           negated: bool = True, ontology: bool = True) -> Exported:
    """Write the graph as ``fmt`` to ``output`` (a file, or a prefix/folder for kgx and neo4j).

    Args:
        kg_or_dataset: the loaded graph, or its dataset.
        fmt: a key of :data:`FORMATS`.
        output: the file, or for kgx and neo4j a prefix or an existing folder.
        negated: False leaves out the statements the review negates, in every format.
        ontology: False leaves out the ontology's subclass / part_of links (the review-only view;
            the RDF formats carry them, as iap:OntologyLink nodes with dcterms:source).

    Returns:
        What was written, with counts and notes.

    Raises:
        UsageError: an unknown format.
        OutputError: the output folder is missing or a write failed (nothing was replaced).
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")
    spec = FORMATS[fmt]
    paths = spec.paths(Path(output))
    for path in paths:  # before the (slower) build, not after it
        if not path.parent.is_dir():
            raise OutputError(f"{path}: folder {path.parent} does not exist")
    dataset = kg_or_dataset if isinstance(kg_or_dataset, Dataset) else kg_or_dataset.dataset
    notes = []
    left_out = sum(s.negated for s in dataset.statements)
    them = f"{left_out} negated statement{'s' * (left_out != 1)} left out"
    if not negated:
        dataset = dataclasses.replace(dataset, statements=tuple(s for s in dataset.statements if not s.negated))
        if left_out:
            notes.append(f"{them} (--no-negated)")
    elif not spec.marks_negated and not spec.reports_negated and left_out:
        keep = ", ".join(f.name for f in FORMATS.values() if f.marks_negated)
        notes.append(f"{them}: {fmt} has no attribute to mark them ({keep} keep them, marked negated)")
    if not ontology and dataset.hierarchy:
        notes.append(f"{len(dataset.hierarchy)} ontology links left out (--no-ontology)")
        dataset = dataclasses.replace(dataset, hierarchy=())
    module, _, function = spec.writer.partition(":")
    writer = getattr(importlib.import_module(f".{module}", __package__), function)
    written = writer(dataset, *paths)
    counts, more = written if isinstance(written, tuple) else (written, [])
    notes.extend(more)
    if spec.extension and paths[0].suffix != spec.extension:
        notes.append(f"{paths[0].name}: tools guess {fmt} from the ending {spec.extension}")
    return Exported(fmt, paths, counts, notes)
