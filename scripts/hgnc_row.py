#!/usr/bin/env python3
"""Curator's aid: print an entities.tsv row for an HGNC symbol, ids taken from the reference table.

    python scripts/hgnc_row.py RIPK1 "RIPK1" "RIP1|Receptor-interacting serine/threonine-protein kinase 1"

Needs ../shared/reference (a development checkout); the product never reads it.
"""

import csv
import sys
from pathlib import Path

REF = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "hgnc_entries.tsv"


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    symbol, label = sys.argv[1], sys.argv[2]
    aliases = sys.argv[3] if len(sys.argv) > 3 else ""
    kind = sys.argv[4] if len(sys.argv) > 4 else "protein"
    with REF.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["Approved symbol"] == symbol:
                uniprot = [u.strip() for u in row["UniProt ID(supplied by UniProt)"].split(",") if u.strip()]
                xrefs = [row["HGNC ID"].lower()] + [f"uniprot:{u}" for u in uniprot[:1]]
                if row["NCBI Gene ID(supplied by NCBI)"]:
                    xrefs.append(f"ncbigene:{row['NCBI Gene ID(supplied by NCBI)']}")
                print("\t".join([symbol, kind, label, symbol, aliases, "|".join(xrefs), "",
                                 row["Approved name"]]))
                return 0
    print(f"{symbol}: not an approved HGNC symbol", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
