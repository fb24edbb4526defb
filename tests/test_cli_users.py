"""Issue 17: what a cancer biologist, a SMAC-mimetic pharmacologist and a knowledge-graph engineer
stumbled on, one test (or a few) per numbered point, each asserting the exact answer or output line.
Every command runs as a real process on the curated graph (``cli`` from conftest).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

import pytest

from .conftest import ROOT, cli_env


def lines(result) -> list[str]:
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


# --- 1. resolve: the names that resolve, then one error line per unknown name ----------------

def test_resolve_shows_what_resolves_and_one_error_line_for_the_rest(cli):
    result = cli("resolve", "XIAP", "survivin", "nonexistentzz")
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "name      id     label     kind     symbol  xrefs                                 up",
        "--------  -----  --------  -------  ------  ------------------------------------  --",
        "XIAP      XIAP   XIAP      protein  XIAP    hgnc:592|uniprot:P98170|ncbigene:331",
        "survivin  BIRC5  Survivin  protein  BIRC5   hgnc:593|uniprot:O15392|ncbigene:332",
    ]
    assert result.stderr.splitlines() == ["error: unknown entity 'nonexistentzz'"]


def test_resolve_two_unknown_names_one_line_each(cli):
    result = cli("resolve", "nonexistentzz", "XIAPP")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: unknown entity 'nonexistentzz'",
        "error: unknown entity 'XIAPP'; did you mean: XIAP, IAP, XIAP.UBA, IAPs, I-kappa-B?",
    ]


# --- 2. conflicts: same subject, object and context, different evidence, and why ----------------

def test_ciap1_stabilisation_by_its_card_is_no_conflict(cli, kg):
    # s1.2-070 (RING auto-ubiquitination, down) and s1.2-071 (stabilised, up) read one sentence
    assert lines(cli("conflicts", "cIAP1")) == ["no conflicting statements on cIAP1"]
    assert (kg.find("cIAP1", "ubiquitinates", "cIAP1", hedged=None)[0].evidence
            == kg.find("cIAP1", "stabilizes", "cIAP1", hedged=None)[0].evidence)


def test_conflicts_say_why(cli):
    out = lines(cli("conflicts", "autophagy"))
    assert out[:3] == [
        "XIAP / autophagy: opposite effects",
        "  why: different quotes give opposite effects (up, down) for the same subject, object and context",
        "    (none stated)",
    ]
    data = json.loads(cli("conflicts", "autophagy", "--format", "json").stdout)
    assert [(c["first"]["id"], c["second"]["id"], c["context"], c["reason"]) for c in data] == [
        ("s2.1-254", "s2.1-265", [],
         "different quotes give opposite effects (up, down) for the same subject, object and context "
         "(none stated)")]


def test_every_conflict_shares_subject_object_and_context_and_differs_in_quote(kg):
    found = kg.conflicts()
    assert found
    for c in found:
        assert (c.first.subject, c.first.object) == (c.second.subject, c.second.object)
        assert set(c.first.contexts) == set(c.second.contexts)
        assert c.first.evidence != c.second.evidence
    # different contexts are two findings: cIAP1 promotes proliferation; suppresses it in B cells
    assert not [c for c in found if {c.first.id, c.second.id} == {"s2.3-087", "s2.7-021"}]


# --- 3. entity filters match either end ----------------------------------------------------------

def test_cancer_contexts_entity_matches_the_object_too(cli):
    out = lines(cli("query", "cancer-contexts", "--param", "entity=Survivin"))
    assert "gastric cancer                                   HIFα          upregulates            Survivin" \
           "                                         up       stmt:s2.5-061   X. P. Sun, et al., 2014" in out


def test_upstream_regulators_takes_an_entity_at_either_end(cli):
    out = lines(cli("query", "upstream-regulators", "--param", "entity=Survivin"))
    assert "Survivin  HIFα               upregulates     up                                        " \
           "stmt:s2.5-061  X. P. Sun, et al., 2014" in out


# --- 4. prognosis shows what separates findings; conflicts respect it ---------------------------

def test_prognosis_shows_specimen_and_stage(cli):
    assert lines(cli("query", "prognosis", "--param", "cancer=NSCLC", "--param", "iap=XIAP")) == [
        'cancer_type                 marker  expression  molecule  specimen                              stage     patients  endpoint  outcome  hazard_ratio  p_value  prognosis                                        citation                      statement',
        '--------------------------  ------  ----------  --------  ------------------------------------  --------  --------  --------  -------  ------------  -------  -----------------------------------------------  ----------------------------  --------------',
        'non-small cell lung cancer  XIAP    high                                                                            OS        better                 0.01                                                      C. G. Ferreira, et al., 2001  stmt:s1.3p-021',
        'non-small cell lung cancer  XIAP                Protein   FFPE tissue (advanced stage tumours)  advanced  55                  none                            No impact on OS & PFS, response to chemotherapy  Ferreira et al., 2001         stmt:t1-034',
        'non-small cell lung cancer  XIAP    high        Protein   FFPE tissue (early stage tumours)     early     144                 better                          Longer OS                                        Ferreira et al., 2001         stmt:t1-037',
    ]


def test_early_and_advanced_tumours_are_no_conflict(cli, kg):
    assert lines(cli("conflicts", "NSCLC")) == ["no conflicting statements on non-small cell lung cancer"]
    # measured alike (blood in both, protein in both): still a conflict, and it says so
    [pair] = [c for c in kg.conflicts("AML") if {c.first.id, c.second.id} == {"t1-002", "t1-006"}]
    assert pair.reason == ("high expression adverse in one finding, no impact in the other, measured alike "
                           "(molecule, specimen, stage, endpoint: molecule Protein, specimen Blood)")
    # mRNA in bone marrow aspirates against protein in blood and bone marrow: two findings
    assert not [c for c in kg.conflicts("AML") if c.subject == "BIRC3"]


# --- 5. a drug filter matches agent or partner; monotherapy is named ----------------------------

def test_trial_combinations_find_the_partner(cli):
    assert lines(cli("query", "trial-combinations", "--param", "drug=cisplatin")) == [
        "agent       combined_with  condition_name                                trial_name              status",
        "----------  -------------  --------------------------------------------  ----------------------  "
        "----------------------",
        "Debio 1143  cisplatin      Squamous Cell Carcinoma of the Head and Neck  EudraCT 2014-004655-31  Completed",
        "Debio 1143  cisplatin      Squamous Cell Carcinoma of the Head and Neck  NCT02022098             "
        "Active, not recruiting",
        "Debio 1143  radiotherapy   Squamous Cell Carcinoma of the Head and Neck  NCT02022098             "
        "Active, not recruiting",
    ]


def test_monotherapy_is_named(cli):
    out = lines(cli("query", "trial-combinations", "--param", "drug=ASTX660"))
    assert out[2] == "ASTX660  monotherapy    Solid Tumors                    NCT02503423  Recruiting"


# --- 6. one trial, one card ------------------------------------------------------------------------

def test_trial_card(cli):
    assert lines(cli("trial", "NCT02022098")) == [
        "trial        NCT02022098",
        "identifiers  clinicaltrials:NCT02022098, euclinicaltrials:2013-000044-25",
        "agent        Debio 1143 (SMAC mimetics)",
        "partner      cisplatin, radiotherapy",
        "condition    Squamous Cell Carcinoma of the Head and Neck",
        "phase        II (Table 2: IAP antagonists in Phase II clinical trials)",
        "status       Active, not recruiting",
        "dates        Oct-13 to Apr-20",
        "enrolment    110",
        "conclusions  Improved locoregional control and PFS, good tolerability",
        "reference    Bourhis et al., 2019",
        "statements   t2-001, t2-002, t2-003, t2-004",
        "targets      Debio 1143 targets cIAP1 (down; domain not stated; Gomez-Roca et al., 2019; t2-069)",
    ]


def test_trial_card_lists_every_target_and_monotherapy(cli):
    out = lines(cli("trial", "NCT01955434"))
    assert out[-3:] == [
        "targets      LCL161 targets cIAP1 (down; domain not stated; Beug, et al., 2017; s3-069)",
        "             LCL161 targets cIAP2 (down; domain not stated; Beug, et al., 2017; s3-070)",
        "             LCL161 targets XIAP (down; domain not stated; Beug, et al., 2017; s3-068)",
    ]
    assert "partner      none (monotherapy)" in lines(cli("trial", "NCT02503423"))


def test_trial_card_json_and_the_facade(cli, kg):
    data = json.loads(cli("trial", "2013-000044-25", "--format", "json").stdout)
    assert (data["id"], data["agents"], data["enrolled"], data["regimen"]) == (
        "NCT02022098", ["Debio 1143"], 110, "combination")
    card = kg.trial("NCT02022098")
    assert [(t.target, t.relation, t.domains, t.statement) for t in card.targets] == [
        ("cIAP1", "targets", (), "t2-069")]


@pytest.mark.parametrize(("args", "message"), [
    (["trial", "XIAP"], "error: 'XIAP' is a protein, not a clinical trial (one of: EudraCT 2012-000677-23, "
                        "EudraCT 2014-004655-31, EudraCT 2015-005137-42, EudraCT 2018-003546-16, NCT01188499 ...)"),
    (["trial", "NCT0202209"], "error: unknown entity 'NCT0202209'; did you mean: NCT02022098, NCT02098161, "
                              "NCT02503423, NCT04362007, interpro:IPR002209?"),
])
def test_trial_bad_names(cli, args, message):
    result = cli(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [message]


# --- 7. an empty search names the default that emptied it and the flag that lifts it ------------

def test_empty_path_names_the_default(cli):
    assert lines(cli("path", "NCT02022098", "NIK")) == [
        "no chain from NCT02022098 to NIK within 6 steps",
        "by default associative relations (tests) are not walked; naming them finds a chain: "
        "--relation tests --relation targets --relation ubiquitinates",
    ]
    lifted = lines(cli("path", "NCT02022098", "NIK", "--relation", "tests", "--relation", "targets",
                       "--relation", "ubiquitinates"))
    assert lifted[0] == "path 1: NCT02022098 -> Debio 1143 -> cIAP1 -> NIK (3 steps, net effect unknown)"


def test_empty_search_names_hubs_and_length(cli):
    assert lines(cli("path", "apoptosis", "NIK"))[1] == (
        "by default chains do not pass processes, hallmarks, cancer types or a class's members; "
        "--through-hubs finds a chain")
    assert lines(cli("path", "XIAP", "cell proliferation", "--max-length", "1")) == [
        "no chain from XIAP to cell proliferation within 1 step",
        "chains are at most 1 step long; the shortest has 2: --max-length 2 finds it",
    ]
    assert lines(cli("explain", "NCT02022098", "NIK"))[-1].startswith(
        "by default associative relations (tests) are not walked")


# --- 8. chains ranked by evidence, penalties shown ------------------------------------------------

def test_path_shows_why_it_ranks(cli):
    out = lines(cli("path", "XIAP", "cell proliferation", "--expect", "up", "-k", "1"))
    assert out[:3] == [
        "path 1: XIAP -> caspases -> Livin -> cell proliferation (3 steps, net effect up)",
        "  rank: 3 steps + 1 penalty (through the family caspases); weakest step cites 2 studies; 4",
        "    statements",
    ]


def test_explain_does_not_treat_the_class_as_smac_through_avpi(cli):
    out = lines(cli("explain", "SMAC mimetics", "caspase-3"))
    assert [line for line in out if line.startswith(("Chain", "  rank"))] == [
        "Chain 1 of 2: SMAC mimetics -> IAPs -> caspase-9 -> caspase-3 (3 steps, net effect up)",
        "  rank: 3 steps + 1 penalty (through the family IAPs); weakest step cites 2 studies; 4 statements",
        "Chain 2 of 2: SMAC mimetics -> IAPs -> XIAP -> caspase-3 (3 steps, net effect up)",
        "  rank: 3 steps + 1 penalty (class step (IAPs has member XIAP)); weakest step cites 1 study; 7",
    ]


def test_mimicry_costs_a_step(kg):
    chains = kg.paths("SMAC mimetics", "caspase-3", k=20, signed=True, max_length=4)
    avpi = next(c for c in chains if "AVPI" in c.labels)
    assert avpi.penalties == ("mimicry (SMAC mimetics mimics AVPI)",)
    assert avpi.cost == 5 and chains[0].cost == 4


# --- 9. the best quote for each hop ---------------------------------------------------------------

def test_flagship_first_step_quotes_the_direct_sentence(cli, kg):
    out = lines(cli("explain", "SMAC mimetic", "non-canonical NF-kB pathway"))
    assert out[2:4] == [
        "  1. SMAC mimetics antagonizes cIAP1 (down)",
        '      "The same group also looked at the ability of SMAC mimetic small molecule compounds to inhibit',
    ]
    assert "      (J. Lu, et al., 2008; section 3; s3-048; also s2.1-206)" in out
    from iapgraph.paths.chains import directness

    entities = kg.dataset.entities
    [direct] = [s for s in kg.statements if s.id == "s3-048"]
    [ripoptosome] = [s for s in kg.statements if s.id == "s2.1-206"]
    assert directness(direct, entities) < directness(ripoptosome, entities)


# --- 10. the BIR3 the text names is on the drug-targets row ---------------------------------------

def test_monovalent_mimetics_bind_bir3(cli):
    assert lines(cli("query", "drug-targets", "--param", "drug=monovalent SMAC mimetics")) == [
        "agent                     relation  target_name  target_domain  effect   statement    citation",
        "------------------------  --------  -----------  -------------  -------  -----------  --------",
        "monovalent SMAC mimetics  binds     IAPs         XIAP BIR3      unknown  stmt:s3-031  review",
        "monovalent SMAC mimetics  binds     IAPs         cIAP1 BIR3     unknown  stmt:s3-031  review",
        "monovalent SMAC mimetics  binds     IAPs         cIAP2 BIR3     unknown  stmt:s3-031  review",
    ]


# --- 11. set-up: runtime only for make run, where to go next, one Python version ------------------

def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "-s", "--no-print-directory", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_make_run_ends_with_the_html_and_three_commands(cli):
    result = make("next-steps")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "",
        f"The interactive graph: {ROOT}/build/iapgraph.html (open it in a browser; it works offline)",
        "Try next (or run 'source .venv/bin/activate' once and type just 'iapgraph ...'):",
        "  .venv/bin/iapgraph trial NCT02022098",
        "  .venv/bin/iapgraph neighbors cIAP1 --relation ubiquitinates --direction out",
        "  .venv/bin/iapgraph query checkpoint-trials",
    ]
    for line in result.stdout.splitlines()[3:]:  # each suggestion runs
        args = re.findall(r'"[^"]*"|\S+', line.strip())[1:]
        assert cli(*args).returncode == 0, line
    recipe = make("-n", "run", "VENV=/nonexistent-venv").stdout
    assert "pip install -q -e .\n" in recipe and "[test]" not in recipe
    assert recipe.rstrip().endswith("/nonexistent-venv/bin/iapgraph query checkpoint-trials\"")


def test_python_version_stated_once():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["requires-python"] == ">=3.11"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Both need only Python 3.11 (the version tested; `pyproject.toml` asks for 3.11 or later)" in readme
    assert "`.venv/bin/iapgraph ...`, or\n`source .venv/bin/activate`" in readme
    assert "sparqlwrapper" not in " ".join(project["project"]["dependencies"]).lower()


def test_venv_size_script_help():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "venv_size.py"), "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "How big is the venv `make run` builds? A fresh runtime-only venv, measured." in result.stdout


# --- 12. --help: one line per command, none cut -------------------------------------------------

def test_help_lists_every_command_on_one_uncut_line():
    env = cli_env() | {"COLUMNS": "80"}
    result = subprocess.run([sys.executable, "-m", "iapgraph", "--help"], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=60)
    assert result.returncode == 0
    commands = result.stdout.split("Commands:\n", 1)[1].splitlines()
    assert commands == [
        "  build      Validate graph/ and write the RDF files.",
        "  conflicts  Findings that disagree, side by side.",
        "  diff       What changed between two versions of the graph.",
        "  explain    How SOURCE leads to TARGET, quote by quote.",
        "  export     Write the graph in another tool's format.",
        "  info       Counts by kind and relation (or by section, or grounding).",
        "  neighbors  Statements around NAME.",
        "  path       Chains of statements from SOURCE to TARGET.",
        "  queries    List the SPARQL query library.",
        "  query      Run a library query, a .rq file or SPARQL text.",
        "  quotes     Every evidence quote as JSON lines.",
        "  resolve    Which entity each name means.",
        "  serve      Serve a read-only SPARQL endpoint and the HTML.",
        "  trial      One clinical trial as a card.",
        "  validate   Check the curated files.",
        "  viz        Write the interactive HTML of the graph.",
    ]
    assert "..." not in "\n".join(commands)


def test_chain_json_carries_the_rank(cli):
    [chain] = json.loads(cli("path", "XIAP", "cell proliferation", "--expect", "up", "-k", "1",
                             "--format", "json").stdout)
    assert (chain["cost"], chain["penalties"], chain["rank"]) == (
        4, ["through the family caspases"],
        "3 steps + 1 penalty (through the family caspases); weakest step cites 2 studies; 4 statements")
