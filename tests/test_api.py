"""The Python API contract: load, resolve, find, and the two builders agree."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import RDF, Literal

import iapgraph
from iapgraph.rdf import ENTITY, IAP, STATEMENT

from .conftest import cli_env


@pytest.mark.parametrize("name", ["cIAP1", "ciap1", "BIRC2", "Q13490", "uniprot:Q13490", "hgnc:590",
                                  "c-IAP1", "HIAP2"])
def test_resolve_any_name(kg, name):
    assert kg.resolve(name) == "BIRC2"


def test_unknown_name_suggests(kg):
    with pytest.raises(iapgraph.UnknownEntity) as info:
        kg.resolve("cIAP3")
    assert "cIAP1" in info.value.suggestions and "cIAP2" in info.value.suggestions
    assert str(info.value).startswith("unknown entity 'cIAP3'; did you mean:")


def test_ciap1_ubiquitinates_nik_with_quote(kg):
    [s] = kg.find("cIAP1", "ubiquitinates", "NIK")
    assert s.effect == "down"
    assert s.qualifiers["ub_chain"] == "K48"
    assert "degradative polyubiquitinated chains linked to NIK" in s.evidence
    assert s.citation == "Zarnegar, et al., 2008"
    assert s.section == "2.1"


def test_negated_statement_is_kept_but_not_asserted(kg):
    negated = kg.find("cIAP1", "inhibits", "caspases", negated=True)
    assert len(negated) == 1 and negated[0].negated
    assert kg.find("cIAP1", "inhibits", "caspases") == []
    assert len(kg.find("cIAP1", "binds", "caspases")) == 1


def test_networkx_has_every_statement(kg):
    graph = kg.to_networkx()
    assert graph.number_of_edges() == len(kg.statements)
    assert graph.number_of_nodes() == len(kg.entities)
    data = graph.get_edge_data("BIRC2", "MAP3K14")
    edge = next(d for d in data.values() if d["relation"] == "ubiquitinates")
    assert edge["effect"] == "down" and edge["citation"] == "Zarnegar, et al., 2008"
    assert graph.nodes["BIRC2"]["label"] == "cIAP1" and graph.nodes["BIRC2"]["kind"] == "protein"
    assert "uniprot:Q13490" in graph.nodes["BIRC2"]["xrefs"]
    xiap_casp9 = next(iter(graph.get_edge_data("XIAP", "CASP9").values()))
    assert xiap_casp9["domain"] == ["XIAP.BIR3"]


def test_rdf_has_every_statement_node_and_direct_triples(kg):
    graph = kg.to_rdf()
    nodes = set(graph.subjects(RDF.type, IAP.Statement))
    assert len(nodes) == len(kg.statements)
    asserted = [s for s in kg.statements if not s.negated]
    direct = sum(1 for s in asserted if (ENTITY[s.subject], IAP[s.relation], ENTITY[s.object]) in graph)
    assert direct == len(asserted)
    negated = [s for s in kg.statements if s.negated]
    assert negated, "the graph keeps the review's negative findings"
    for s in negated:
        node = STATEMENT[s.id]
        assert (node, IAP.negated, Literal(True)) in graph
    assert (ENTITY["BIRC2"], IAP.ubiquitinates, ENTITY["MAP3K14"]) in graph


def test_load_is_cached(kg):
    first = iapgraph.load()
    assert iapgraph.load() is first


@pytest.mark.parametrize("before", ["enable", "disable"])
def test_import_leaves_the_collector_as_it_was(before):
    """The package and the CLI turn the garbage collector off while they import (a cold start
    speed-up); a program importing them finds it as it left it, on or off."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (f"import gc; gc.{before}(); import iapgraph, iapgraph.cli, iapgraph.paths; "
            "iapgraph.cli.main.get_command(None, 'path'); print(gc.isenabled())")
    src = str(Path(iapgraph.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == str(before == "enable")


def test_lazy_path_functions_stay_functions_whatever_was_imported_first():
    """``iapgraph.paths.neighbors`` / ``conflicts`` are loaded on first use; importing their modules
    first (as the CLI does) must not leave the package attribute pointing at a module."""
    code = ("import importlib\n"
            "import iapgraph.paths, pkgutil\n"
            "for m in pkgutil.iter_modules(iapgraph.paths.__path__):\n"
            "    importlib.import_module('iapgraph.paths.' + m.name)\n"
            "from iapgraph.paths import conflicts, neighbors\n"
            "import iapgraph\n"
            "kg = iapgraph.load()\n"
            "print(callable(neighbors), callable(conflicts), len(kg.neighbors('cIAP1')) > 0,"
            " len(kg.conflicts()) > 0)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(), timeout=120)
    assert run.stdout == "True True True True\n", run.stderr[-2000:]
