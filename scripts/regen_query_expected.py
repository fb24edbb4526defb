"""Rewrite queries/expected/*.tsv from rdflib's engine, for a reviewer to read (make queries-expected).

Runs every example of every library query on rdflib's engine (the reference: the project's own
rdflib build of the graph) and on Oxigraph; writes the rdflib answer and lists any query where the
two engines disagree. Read the diff (git diff queries/expected) against the review before committing.

    python scripts/regen_query_expected.py            # all queries
    python scripts/regen_query_expected.py hallmarks  # some
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import iapgraph
from iapgraph.exceptions import IapgraphError
from iapgraph.outputs import write_text
from iapgraph.sparql.expected import (
    as_params,
    example_command,
    examples,
    expected_path,
    expected_tsv,
)
from iapgraph.sparql.library import library
from iapgraph.sparql.query import bind_parameters, engine_for, prepare


def main(names: list[str]) -> int:
    kg = iapgraph.load()
    reference, fast = engine_for("rdflib", kg=kg), engine_for("oxigraph", kg=kg)
    queries = library()
    unknown = [n for n in names if n not in queries]
    if unknown:
        print(f"unknown queries: {', '.join(unknown)}", file=sys.stderr)
        return 2
    disagreements = failures = 0
    for name, lq in queries.items():
        if names and name not in names:
            continue
        expected_path(lq, 1).parent.mkdir(exist_ok=True)
        for index, pairs in examples(lq):
            try:
                prepared = prepare(lq, bind_parameters(kg, lq, as_params(pairs)))
                answer = prepared.run(reference)
            except IapgraphError as exc:
                failures += 1
                print(f"FAILED {name} example {index}: {exc}", file=sys.stderr)
                continue
            if prepared.run(fast) != answer:
                disagreements += 1
                print(f"DISAGREE {name} example {index}: oxigraph and rdflib differ", file=sys.stderr)
            path = expected_path(lq, index)
            text = expected_tsv(answer, example_command(lq, pairs))
            old = path.read_text(encoding="utf-8") if path.is_file() else None
            if text != old:
                write_text(path, text)
                print(f"{'updated' if old else 'wrote'} {path} ({len(answer.rows)} rows)")
    stale = [p for p in expected_path(next(iter(queries.values())), 1).parent.glob("*.tsv")
             if p.name.split(".")[0] not in queries]
    for p in stale:
        print(f"stale (no such query): {p}", file=sys.stderr)
    return 1 if disagreements or failures or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
