"""``iapgraph query`` and ``iapgraph queries`` as real processes, and the query API's parameters."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys

import pytest

from iapgraph.exceptions import QuerySyntaxError, ReadOnlyError, UsageError
from iapgraph.sparql.library import library
from iapgraph.sparql.query import query, resolve_citation

from .conftest import ROOT, cli_env

XIAP_LABEL = "SELECT ?label WHERE { entity:XIAP rdfs:label ?label }"
NIK_UB = "statements-about"  # NIK: ubiquitinated by cIAP1 and cIAP2, bound by TRAF3 (section 2.1)


def test_query_text_on_both_engines(kg):
    for engine in ("oxigraph", "rdflib"):
        assert query(kg, XIAP_LABEL, engine=engine).records() == [{"label": "XIAP"}]


def test_entity_parameters_resolve_through_aliases(kg):
    by_alias = query(kg, NIK_UB, {"entity": "NFκB-inducing kinase"})
    by_symbol = query(kg, NIK_UB, {"entity": "MAP3K14"})
    assert by_alias == by_symbol
    rows = {(r["subject_name"], r["relation"], r["object_name"]) for r in by_alias.records()}
    assert {("cIAP1", "ubiquitinates", "NIK"), ("cIAP2", "ubiquitinates", "NIK"),
            ("TRAF3", "binds", "NIK")} <= rows
    assert all("NIK" in (s, o) for s, _, o in rows)


def test_two_entity_parameters_narrow_to_the_pair(kg):
    rows = query(kg, NIK_UB, {"entity": "cIAP1", "other": "NIK"}).records()
    assert [(r["statement"], r["relation"]) for r in rows] == [
        ("https://w3id.org/iapgraph/statement/s2.1-001", "ubiquitinates")]


def test_several_values_of_one_parameter_are_alternatives(kg):
    one = query(kg, NIK_UB, {"entity": "cIAP1", "other": "NIK"}).rows
    two = query(kg, NIK_UB, {"entity": ["cIAP1", "cIAP2"], "other": "NIK"}).rows
    assert len(one) == 1 and len(two) == 2 and one[0] in two


def test_citation_parameter_is_forgiving(kg):
    assert resolve_citation(kg, "Zarnegar 2008") == ["Zarnegar, et al., 2008"]
    assert resolve_citation(kg, "Eckelman 2006") == ["Eckelman & Salvesen, 2006",
                                                     "Eckelman, Salvesen, & Scott, 2006"]
    with pytest.raises(UsageError, match=r"no statement cites 'Zarnegr 2009'; did you mean"):
        resolve_citation(kg, "Zarnegr 2009")


def test_section_parameter(kg):
    rows = query(kg, "section-statements", {"section": "section 2.1"}).records()
    ids = {r["statement"].rsplit("/", 1)[1] for r in rows}
    assert ids == {s.id for s in kg.statements if s.section == "2.1"}
    assert {"s2.1-001", "s2.1-004", "s2.1-006"} <= ids
    with pytest.raises(UsageError, match=r"unknown section '2\.9'"):
        query(kg, "section-statements", {"section": "2.9"})


def test_parameter_errors(kg):
    with pytest.raises(UsageError, match="has no parameter 'iapp' \\(it takes: iap, target\\)"):
        query(kg, "ubiquitination", {"iapp": "XIAP"})
    with pytest.raises(UsageError, match="needs --param study="):
        query(kg, "statements-by-study")
    with pytest.raises(UsageError, match=r"unknown entity 'cIAP3'; did you mean: cIAP1, cIAP2"):
        query(kg, "ubiquitination", {"iap": "cIAP3"})


def test_update_and_syntax_errors_are_refused(kg):
    with pytest.raises(ReadOnlyError):
        query(kg, "INSERT DATA { entity:XIAP rdfs:label 'x' }")
    with pytest.raises(QuerySyntaxError) as info:
        query(kg, "SELECT ?x WHERE {\n  ?x foo:bar ?y }")
    assert (info.value.line, info.value.column) == (2, 6)
    assert "undeclared prefix 'foo:'" in str(info.value)


# --- the CLI as a real process -----------------------------------------------------------------

def test_cli_table_and_json(cli):
    table = cli("query", NIK_UB, "--param", "entity=NIK", "--param", "other=TRAF3")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["statement", "subject_name", "relation", "object_name", "effect",
                                "section", "citation", "quote"]
    assert set(lines[1]) == {"-", " "} and len(lines) == 5
    assert [line.split()[:4] for line in lines[2:]] == [
        ["stmt:s2.1-003", "TRAF3", "binds", "NIK"], ["stmt:s2.1-237", "TRAF3", "downregulates", "NIK"],
        ["stmt:s2.1-238", "TRAF3", "recruits", "NIK"]]
    result = cli("query", NIK_UB, "-p", "entity=NIK", "-p", "other=TRAF3", "--format", "json")
    data = json.loads(result.stdout)  # the W3C SPARQL 1.1 results JSON
    assert data["head"]["vars"][:2] == ["statement", "subject_name"]
    binding = data["results"]["bindings"][0]
    assert binding["statement"] == {"type": "uri", "value": "https://w3id.org/iapgraph/statement/s2.1-003"}
    assert binding["quote"] == {"type": "literal", "value": "TRAF3 directly binds NIK"}


def test_cli_csv_tsv_xml_limit_and_rdflib(cli):
    args = ("query", "-e", "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label", "--limit", "2")
    out = cli(*args, "--format", "csv")
    assert out.returncode == 0 and "stopped at 2 rows" in out.stderr
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == ["s", "label"] and len(rows) == 3
    tsv = cli(*args, "--format", "tsv", "--engine", "rdflib").stdout.splitlines()
    assert tsv[0] == "?s\t?label" and tsv[1].startswith("<https://w3id.org/iapgraph/entity/")
    assert tsv[1].split("\t")[1] == f'"{rows[1][1]}"'
    xml = cli(*args, "--format", "xml").stdout
    assert xml.count("<result>") == 2 and 'xmlns="http://www.w3.org/2005/sparql-results#"' in xml


def test_cli_output_file_is_written_atomically(cli, tmp_path):
    target = tmp_path / "out.json"
    ok = cli("query", "negative-findings", "--format", "json", "-o", str(target))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(target.read_text())["results"]["bindings"]
    bad = cli("query", "-e", "SELECT ?x WHERE { ?x ?p }", "-o", str(tmp_path / "bad.json"))
    assert bad.returncode == 2 and not list(tmp_path.glob("bad*"))


def test_cli_syntax_error_is_one_line(cli):
    result = cli("query", "-e", "SELECT ?x WHERE {\n  ?x rdfs:label\n}")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: query:3:") and "syntax error" in line and "expected" in line


def test_cli_syntax_error_in_a_file_names_it(cli, tmp_path):
    bad = tmp_path / "mine.rq"
    bad.write_text("# Question: mine?\nSELECT ?x WHERE { ?x <XIAP> ?y }\n", encoding="utf-8")
    result = cli("query", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"error: {bad}:2:22: syntax error: relative IRI <XIAP>: "
                                     "write a full IRI or a prefixed name (entity:XIAP)")


def test_cli_update_is_refused(cli):
    result = cli("query", "-e", "DELETE WHERE { ?s ?p ?o }")
    assert result.returncode == 2 and "read-only" in result.stderr and "Traceback" not in result.stderr


def test_cli_unknown_query_suggests(cli):
    result = cli("query", "ubiquitinaton")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: unknown query 'ubiquitinaton'; did you mean: ubiquitination?"


def test_cli_unreachable_endpoint(cli):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = cli("query", "negative-findings", "--endpoint", f"http://127.0.0.1:{port}/sparql")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: cannot reach SPARQL endpoint http://127.0.0.1:{port}/sparql")


def test_cli_lists_the_library(cli):
    result = cli("queries", "--format", "json")
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == sorted(library())
    by_name = {r["name"]: r for r in rows}
    assert by_name["statements-by-study"]["parameters"] == "study* (citation)"
    assert by_name["ubiquitination"]["question"].startswith("What does each IAP ubiquitinate")
    text = cli("queries", "--sparql", "ubiquitination").stdout
    assert text.startswith("# Question:") and "ORDER BY" in text


def test_cli_query_starts_without_rdflib(cli):
    """The fast path: a library query loads the cached N-Triples into Oxigraph; rdflib is not
    imported at all: not to build the graph, and not for its SPARQL parser either (a text without
    the letters 'service' is refused nothing a parse would find, see iapgraph.sparql.text; issue
    19's cold start), and networkx and pyvis not at all."""
    assert cli("query", "negative-findings").returncode == 0  # makes sure the cache exists
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "iapgraph", "query", "negative-findings"],
                         capture_output=True, text=True, cwd=ROOT, env=cli_env(), timeout=120)
    assert run.returncode == 0, run.stderr
    imported = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if "import time" in line}
    assert "pyoxigraph" in imported
    assert not {m for m in imported if m.split(".")[0] in ("networkx", "pyvis")}
    assert not {m for m in imported if m.split(".")[0] in ("rdflib", "pyparsing")}
    assert "iapgraph.rdf" not in imported


def test_edited_graph_is_queried_not_a_stale_cache(cli, graph_copy):
    """The N-Triples cache is keyed by the curated files: an edit shows in the next query."""
    ask = ("query", "-e", "SELECT ?label WHERE { entity:XIAP rdfs:label ?label }", "--format", "csv",
           "--graph-dir", str(graph_copy))
    assert cli(*ask).stdout.splitlines() == ["label", "XIAP"]
    core = graph_copy / "entities" / "core.tsv"
    text = core.read_text(encoding="utf-8")
    core.write_text(text.replace("XIAP\tprotein\tXIAP\t", "XIAP\tprotein\tX-linked IAP protein\t", 1),
                    encoding="utf-8")
    assert cli(*ask).stdout.splitlines() == ["label", "X-linked IAP protein"]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_cli_service_is_refused_without_any_connection(cli, listener, engine):
    target = f"http://127.0.0.1:{listener.port}/sparql"
    result = cli("query", "--engine", engine, "-e",
                 f"SELECT * WHERE {{ ?x rdfs:label 'XIAP' SERVICE <{target}> {{ ?x ?p ?o }} }}")
    assert result.returncode == 2
    assert result.stderr == (f"error: query:1:39: SERVICE <{target}> refused: queries are answered from "
                             "this graph only, never by other servers\n")
    assert listener.connections == 0


def test_cli_timeout_stops_the_query(cli, tmp_path):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    result = cli("query", "--timeout", "1", "-e", heavy)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == "error: query: stopped after the 1 s time limit (--timeout)\n"
    fast = cli("query", "--timeout", "30", "--engine", "rdflib", "-e", XIAP_LABEL, "--format", "csv")
    assert fast.returncode == 0 and fast.stdout.splitlines() == ["label", "XIAP"]
