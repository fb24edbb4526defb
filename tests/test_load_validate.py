"""The loader and validator: the curated graph is clean; each class of error is one located line."""

from __future__ import annotations

from pathlib import Path

import pytest

import iapgraph
from iapgraph.kg import load_dataset

from .conftest import GRAPH_DIR

STATEMENT_HEADER = ("id\tsubject\trelation\tobject\teffect\tmechanism\tdomain\tcontext\tnegated\tsection\t"
                    "citation\tevidence\tqualifiers\tnote\n")
ENTITY_HEADER = "id\tkind\tlabel\tsymbol\taliases\txrefs\tattributes\tdescription\n"
QUOTE = "XIAP can regulate caspase-3 processing following caspase-8 activation"


def test_curated_graph_is_valid():
    dataset = load_dataset([GRAPH_DIR])
    assert len(dataset.entities) > 10
    assert len(dataset.statements) > 5


def write(folder: Path, entities: str, statements: str) -> Path:
    (folder / "entities").mkdir(parents=True)
    (folder / "statements").mkdir()
    (folder / "entities" / "e.tsv").write_text(ENTITY_HEADER + entities, encoding="utf-8")
    (folder / "statements" / "s.tsv").write_text(STATEMENT_HEADER + statements, encoding="utf-8")
    return folder


XIAP_ROW = "XIAP\tprotein\tXIAP\tXIAP\t\thgnc:592|uniprot:P98170\t\t\n"
CASP3_ROW = "CASP3\tprotein\tcaspase-3\tCASP3\t\t\t\t\n"
GOOD = f"s-1\tXIAP\tinhibits\tCASP3\tdown\t\t\t\t\t2.1\tDeveraux, et al., 1997\t{QUOTE}\t\t\n"

# (name, entities, statements, expected line suffix after "file:line: ")
CASES = [
    ("unknown-entity", XIAP_ROW + CASP3_ROW, GOOD.replace("CASP3\tdown", "CASP33\tdown"),
     "s.tsv:2: object: unknown entity 'CASP33'; did you mean: CASP3"),
    ("unknown-relation", XIAP_ROW + CASP3_ROW, GOOD.replace("inhibits", "inhibts"),
     "s.tsv:2: relation: unknown relation 'inhibts'; did you mean: inhibits"),
    ("duplicate-entity", XIAP_ROW + CASP3_ROW + XIAP_ROW, GOOD,
     "e.tsv:4: id: duplicate entity id 'XIAP' (first defined at"),
    ("missing-quote", XIAP_ROW + CASP3_ROW, GOOD.replace(QUOTE, ""),
     "s.tsv:2: evidence: missing quote"),
    ("blank-quote", XIAP_ROW + CASP3_ROW, GOOD.replace(QUOTE, "   "),
     "s.tsv:2: evidence: missing quote"),
    ("missing-citation", XIAP_ROW + CASP3_ROW, GOOD.replace("Deveraux, et al., 1997", ""),
     "s.tsv:2: citation: missing"),
    ("malformed-curie", XIAP_ROW.replace("hgnc:592", "hgnc592") + CASP3_ROW, GOOD,
     "e.tsv:2: xrefs: hgnc592: not a CURIE"),
    ("unknown-prefix", XIAP_ROW.replace("hgnc:592", "hgcn:592") + CASP3_ROW, GOOD,
     "e.tsv:2: xrefs: hgcn:592: unknown prefix 'hgcn'; did you mean: hgnc"),
    ("bad-uniprot", XIAP_ROW.replace("P98170", "P9817") + CASP3_ROW, GOOD,
     "e.tsv:2: xrefs: uniprot:P9817: 'P9817' does not match the UniProtKB pattern"),
    ("bad-effect", XIAP_ROW + CASP3_ROW, GOOD.replace("\tdown\t", "\tdownward\t"),
     "s.tsv:2: effect: 'downward' is not one of up, down, unknown"),
    ("bad-section", XIAP_ROW + CASP3_ROW, GOOD.replace("\t2.1\t", "\t9.9\t"),
     "s.tsv:2: section: unknown section '9.9'"),
    ("column-count", XIAP_ROW + CASP3_ROW, GOOD.replace("\t\t\n", "\n"),
     "s.tsv:2: columns: 12 tab-separated cells, expected 14"),
    ("unknown-kind", XIAP_ROW + CASP3_ROW.replace("protein", "protien"), GOOD,
     "e.tsv:3: kind: unknown kind 'protien'; did you mean: protein"),
    ("label-without-letters", XIAP_ROW + CASP3_ROW.replace("caspase-3", "--"), GOOD,
     "e.tsv:3: label: '--' has no letter or digit"),
    ("bad-qualifier", XIAP_ROW + CASP3_ROW, GOOD.replace("\t\t\n", "\tpatients=many\t\n"),
     "s.tsv:2: qualifiers: patients='many' is not an integer"),
    ("underscored-integer", XIAP_ROW + CASP3_ROW, GOOD.replace("\t\t\n", "\tpatients=1_000\t\n"),
     "s.tsv:2: qualifiers: patients='1_000' is not an integer"),
    ("nan-decimal", XIAP_ROW + CASP3_ROW, GOOD.replace("\t\t\n", "\thazard_ratio=NaN\t\n"),
     "s.tsv:2: qualifiers: hazard_ratio='NaN' is not a decimal"),
    ("ambiguous-name", XIAP_ROW + CASP3_ROW.replace("\t\t\t\t\n", "\tILP-1\t\t\t\n", 1)
     + "BIRC8\tprotein\tTs-IAP\tBIRC8\tILP-1\t\t\t\n", GOOD,
     "e.tsv:4: aliases: name 'ILP-1' of 'BIRC8' also names 'CASP3'"),
    ("duplicate-statement", XIAP_ROW + CASP3_ROW, GOOD + GOOD.replace("s-1", "s-2"),
     "s.tsv:3: id: duplicate statement: same claim and quote as"),
]


@pytest.mark.parametrize(("name", "entities", "statements", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_error_class_is_one_located_line(tmp_path, name, entities, statements, expected):
    folder = write(tmp_path / name, entities, statements)
    with pytest.raises(iapgraph.CurationError) as info:
        load_dataset([folder])
    lines = str(info.value).splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(str(folder)), lines[0]
    assert expected in lines[0], lines[0]


def test_three_problems_reported_together(graph_copy, cli):
    """Done-when of the foundation: unknown entity, duplicate id, missing quote -> three lines."""
    entities = sorted((graph_copy / "entities").glob("*.tsv"))[0]
    first_entity = entities.read_text(encoding="utf-8").splitlines()[1]
    with entities.open("a", encoding="utf-8") as fh:
        fh.write(first_entity + "\n")
    statements = graph_copy / "statements" / "zz_broken.tsv"
    statements.write_text(
        STATEMENT_HEADER
        + f"zz-1\tXIAP\tinhibits\tNoSuchProtein\tdown\t\t\t\t\t2.1\tDeveraux, et al., 1997\t{QUOTE}\t\t\n"
        + "zz-2\tXIAP\tinhibits\tXIAP\tdown\t\t\t\t\t2.1\tDeveraux, et al., 1997\t\t\t\n",
        encoding="utf-8")
    result = cli("validate", "--graph-dir", str(graph_copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    assert any("duplicate entity id" in line and f"{entities.name}:" in line for line in lines)
    assert any(":2: object: unknown entity 'NoSuchProtein'" in line for line in lines)
    assert any(":3: evidence: missing quote" in line for line in lines)


def test_two_folders_merge_and_clashes_are_reported(tmp_path, cli):
    lab = write(tmp_path / "lab", "XIAP\tprotein\tXIAP\tXIAP\t\t\t\t\n", "")
    result = cli("validate", "--graph-dir", str(GRAPH_DIR), "--graph-dir", str(lab))
    assert result.returncode == 1
    assert "duplicate entity id 'XIAP'" in result.stderr
    extra = write(tmp_path / "extra", "MYLAB1\tprotein\tMy lab protein\t\t\t\t\t\n",
                  f"lab-1\tXIAP\tbinds\tMYLAB1\t\t\t\t\t\t2.1\treview\t{QUOTE}\t\t\n")
    kg = iapgraph.load([GRAPH_DIR, extra], cache=False)
    assert kg.resolve("My lab protein") == "MYLAB1"
    assert [s.id for s in kg.find("XIAP", "binds", "MYLAB1")] == ["lab-1"]


def test_empty_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(iapgraph.CurationError, match=r"no entities/\*\.tsv or statements"):
        load_dataset([tmp_path / "empty"])


def test_wrong_encoding_is_located(tmp_path):
    folder = write(tmp_path / "enc", XIAP_ROW + CASP3_ROW, GOOD)
    path = folder / "entities" / "e.tsv"
    path.write_bytes(path.read_bytes() + "BID\tprotein\tBid\u00e9\t\t\t\t\t\n".encode("latin-1"))
    with pytest.raises(iapgraph.CurationError, match=r"e\.tsv:4: encoding: not UTF-8"):
        load_dataset([folder])


def test_part_of_cycle_is_reported(tmp_path):
    rows = "A\tcomplex\tA\t\t\t\t\t\nB\tcomplex\tB\t\t\t\t\t\n"
    stmts = (f"c-1\tA\tpart_of\tB\t\t\t\t\t\t2.1\treview\t{QUOTE}\t\t\n"
             f"c-2\tB\tpart_of\tA\t\t\t\t\t\t2.1\treview\t{QUOTE}\t\t\n")
    folder = write(tmp_path / "cyc", rows, stmts)
    with pytest.raises(iapgraph.CurationError, match=r"part_of cycle: (A -> B -> A|B -> A -> B)"):
        load_dataset([folder])
