"""The path commands as real processes on the review-shaped fixture graph."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .paths_support import FIXTURE

G = ["--graph-dir", str(FIXTURE)]


def test_path_json(cli):
    result = cli("path", "smac mimetic", "non-canonical NF-kB activation", "--format", "json", *G)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(c["nodes"], c["net_effect"]) for c in data] == [
        (["smac_mimetics", "BIRC2", "MAP3K14", "NFkB_noncanonical"], "up"),
        (["smac_mimetics", "BIRC3", "MAP3K14", "NFkB_noncanonical"], "up"),
    ]
    hop = data[0]["hops"][1]
    assert (hop["relation"], hop["sign"], hop["statements"][0]["citation"]) == (
        "ubiquitinates", "down", "Zarnegar, et al., 2008")


def test_path_table_prints_each_hop_with_its_evidence(cli):
    result = cli("path", "XIAP", "ERK1/2", *G)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "path 1: XIAP -> FAK -> ERK1/2 (2 steps, net effect up)",
        "  rank: 2 steps; weakest step cites 1 study; 2 statements",  # issue 17: why it ranks here
        "  XIAP regulates FAK (up; by phosphorylation)",
        '   "XIAP regulates FAK activity by controlling FAK phosphorylation"',
        "   (Ahn & Park, 2010; section 2.2; f-016)",
        "  FAK activates ERK1/2 (up)",
        '   "the kinase FAK, which then results in FAK-mediated activation of ERK1/2"',
        "   (Kim, et al., 2010; section 2.2; f-017)",
    ]


def test_path_csv_has_one_row_per_hop(cli):
    result = cli("path", "TNFR1", "NF-kB", "--format", "csv", *G)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["from"], r["relation"], r["to"], r["statement"]) for r in rows] == [
        ("TNFR1", "recruits", "Complex-I", "f-019"), ("Complex-I", "activates", "NF-kB", "f-022")]


def test_path_expect_leaves_out_contradicting_chains(cli):
    result = cli("path", "SMAC mimetics", "non-canonical NF-kB pathway", "--expect", "down", *G)
    assert result.returncode == 0
    assert result.stdout.strip() == ("no chain from SMAC mimetics to non-canonical NF-kB pathway "
                                     "within 6 steps with that net effect")


@pytest.mark.parametrize("args, message", [
    (["path", "XIAPP", "CASP3"], "error: unknown entity 'XIAPP'; did you mean: XIAP"),
    (["neighbors", "ciap3"], "error: unknown entity 'ciap3'; did you mean: cIAP1, cIAP2"),
    (["explain", "SMAC mimetic", "NFkB-noncanonicl"], "error: unknown entity 'NFkB-noncanonicl'; did you mean:"),
    (["path", "XIAP", "CASP3", "--relation", "inhibs"], "error: unknown relation 'inhibs'; did you mean: inhibits?"),
    (["neighbors", "XIAP", "--kind", "drugz"], "error: unknown kind 'drugz'; did you mean: drug?"),
    (["conflicts", "XIAPP"], "error: unknown entity 'XIAPP'"),
])
def test_bad_names_exit_2_with_one_line(cli, args, message):
    result = cli(*args, *G)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(message), result.stderr
    assert result.stdout == ""


def test_explain_account(cli):
    result = cli("explain", "TNFα", "NF-kB", *G)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Chain: TNFα -> TNFR1 -> Complex-I -> NF-kB (3 steps, net effect up)"
    assert lines[1] == "  rank: 3 steps; weakest step cites 0 studies; 3 statements"  # issue 17
    assert lines[2] == "  1. TNFα activates TNFR1 (up; by binding)"
    assert lines[-1] == "Net effect of TNFα on NF-kB: up (one chain)."
    data = json.loads(cli("explain", "TNFα", "NF-kB", "--format", "json", *G).stdout)
    assert data["net_effect"] == "up" and data["signed"] is True
    assert data["chains"][0]["nodes"] == ["TNF", "TNFRSF1A", "complex_I", "NFkB"]


def test_neighbors_json(cli):
    result = cli("neighbors", "cIAP1", "--relation", "ubiquitinates", "--direction", "out",
                 "--format", "json", *G)
    data = json.loads(result.stdout)
    assert [(r["label"], r["effect"], r["id"]) for r in data] == [
        ("NIK", "down", "f-003"), ("RIPK1", "up", "f-023")]


def test_neighbors_table_marks_negated(cli):
    result = cli("neighbors", "cIAP1", "--relation", "inhibits", *G)
    assert result.returncode == 0
    [row] = result.stdout.splitlines()[2:]
    assert row.split()[:4] == ["cIAP1", "NOT", "inhibits", "caspases"]


def test_conflicts_json_and_table(cli):
    data = json.loads(cli("conflicts", "autophagy", "--format", "json", *G).stdout)
    assert [(c["subject"], c["object"], c["first"]["id"], c["second"]["id"]) for c in data] == [
        ("XIAP", "autophagy", "f-025", "f-028")]
    table = cli("conflicts", *G).stdout
    assert "XIAP / autophagy: opposite effects" in table
    assert '"XIAP has also been shown to inhibit autophagy via its ubiquitin E3 ligase activity"' in table
    assert "XIAP / AML: prognosis" in table
