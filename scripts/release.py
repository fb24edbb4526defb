"""Write a release: the curated graph, every export, SHA256 checksums and a changelog.

    python scripts/release.py OUT [--graph-dir graph] [--previous PREVIOUS]

OUT (created; it must not exist or be empty) receives:

- ``graph/``: the curated files released, so the next release can diff against this folder;
- ``build/``: what ``iapgraph build`` writes (iapgraph.ttl, vocab.ttl, iapgraph.nt);
- ``exports/``: every format of ``iapgraph export`` (``iapgraph.nt``, ``iapgraph.cx2``,
  ``iapgraph.indra.json``, ``iapgraph.bel``, ``kgx/``, ``neo4j/`` ...) and ``NOTES.txt`` with what
  each export reported (statements no format can say are listed there, never dropped silently);
- ``CHANGELOG.md``: ``iapgraph diff PREVIOUS graph --format md``, PREVIOUS being the previous
  release folder (holding graph/) or a git revision; without one it says there is none;
- ``SHA256SUMS``: one ``HASH  PATH`` line per file above, as ``sha256sum --check SHA256SUMS`` reads.

``make release PREVIOUS=...`` runs it into build/release.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from pathlib import Path

import iapgraph
from iapgraph.export import FORMATS

#: The file (or, for kgx and neo4j, folder) name of each export inside exports/.
NAMES = {"kgx": "kgx", "neo4j": "neo4j", "indra": "iapgraph.indra.json"}


def export_all(kg: iapgraph.KnowledgeGraph, folder: Path) -> list[str]:
    """Every export format into ``folder``; the notes each reported."""
    notes: list[str] = []
    for name, spec in FORMATS.items():
        if spec.files:
            target = folder / NAMES.get(name, name)
            target.mkdir()
        else:
            target = folder / NAMES.get(name, f"iapgraph{spec.extension}")
        result = kg.export(name, target)
        counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
        notes.append(f"{name}: {counts}")
        notes.extend(f"  {note}" for note in result.notes)
    return notes


def changelog(previous: str | None, graph: Path, version: str) -> str:
    title = f"# iapgraph {version}\n\n"
    if previous is None:
        return title + "No previous release given: this is the first, or `--previous` was left out.\n"
    return title + iapgraph.diff(previous, graph).render("md")


def checksums(out: Path) -> str:
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(out).as_posix()}\n")
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the release folder (new or empty)")
    parser.add_argument("--graph-dir", type=Path, default=None, help="the curated graph (default: graph/)")
    parser.add_argument("--previous", default=None,
                        help="the previous release folder, or a git revision, to write the changelog against")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"error: {args.out} is not empty; a release goes into a new folder", file=sys.stderr)
        return 2
    graph = args.graph_dir or Path(__file__).resolve().parent.parent / "graph"
    try:
        kg = iapgraph.load(graph, cache=False)
        log = changelog(args.previous, graph, iapgraph.__version__)  # before writing anything
    except iapgraph.IapgraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    for sub in ("build", "exports"):
        (args.out / sub).mkdir(parents=True, exist_ok=True)
    shutil.copytree(graph, args.out / "graph", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    kg.build(args.out / "build")
    notes = export_all(kg, args.out / "exports")
    (args.out / "exports" / "NOTES.txt").write_text("\n".join(notes) + "\n", encoding="utf-8")
    (args.out / "CHANGELOG.md").write_text(log, encoding="utf-8")
    (args.out / "SHA256SUMS").write_text(checksums(args.out), encoding="utf-8")
    print(f"wrote {args.out}: {sum(1 for p in args.out.rglob('*') if p.is_file())} files, SHA256SUMS, CHANGELOG.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
