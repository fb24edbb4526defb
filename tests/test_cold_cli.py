"""A cold lookup (issue 19): it imports only what a lookup needs, and its quick end (``os._exit``
once the output is flushed, see iapgraph.cli.quick_exit) changes nothing it prints or returns,
leaves a cache it was writing whole, and lets a profiler write its report."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from iapgraph.cli import main

from .conftest import ROOT, cli_env

LOOKUPS = [
    ("path", "XIAP", "CASP3"),
    ("neighbors", "cIAP1", "--format", "json"),
    ("explain", "SMAC mimetic", "non-canonical NF-kB pathway"),
    ("conflicts",),
    ("resolve", "XIAP", "ciap1"),
    ("path", "XIAP", "no such protein"),  # an error: exit 2 and one line on stderr
]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The CLI's environment with a dataset cache of its own, already filled."""
    env = cli_env()
    env["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    assert run(("resolve", "XIAP"), env).returncode == 0
    return env


def run(args: tuple[str, ...], env: dict[str, str], *python: str) -> subprocess.CompletedProcess[str]:
    """``python [PYTHON ...] -m iapgraph ARGS`` as a real process (a program run)."""
    return subprocess.run([sys.executable, *python, "-m", "iapgraph", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


@pytest.mark.parametrize("args", LOOKUPS, ids=lambda a: " ".join(a))
def test_a_program_run_prints_and_returns_what_the_runner_does(env, args):
    """The process ends with os._exit; click's runner in this process (not a program run) ends
    as usual: the same bytes on stdout and stderr, the same exit code."""
    ended = run(args, env)
    usual = CliRunner().invoke(main, list(args))
    assert ended.returncode == usual.exit_code
    assert ended.stdout == usual.stdout and ended.stderr == usual.stderr
    assert ended.stdout or ended.stderr.startswith("error: unknown entity 'no such protein'")


#: Never imported by a lookup that finds its cache: pathlib (with urllib.parse and ipaddress),
#: hashlib (OpenSSL), pickle.py, json, the validator, the forking helper, the heavy libraries.
NEVER = {"pathlib", "urllib.parse", "hashlib", "_hashlib", "pickle", "json", "iapgraph.validate",
         "iapgraph.forks", "networkx", "rdflib", "pyoxigraph"}
#: Per command: what it imports of the path wing, and what it must not.
WING = {
    ("path", "XIAP", "CASP3"): ({"iapgraph.paths.chains", "iapgraph.paths.search"},
                                {"iapgraph.paths.neighbourhood", "iapgraph.paths.disagreements"}),
    ("neighbors", "cIAP1"): ({"iapgraph.paths.neighbourhood", "iapgraph.paths.search"},
                             {"iapgraph.paths.chains", "iapgraph.paths.disagreements", "textwrap"}),
    ("conflicts",): ({"iapgraph.paths.disagreements"},
                     {"iapgraph.paths.chains", "iapgraph.paths.search", "iapgraph.paths.neighbourhood"}),
    ("resolve", "XIAP"): (set(), {"iapgraph.paths"}),
}


@pytest.mark.parametrize("args", list(WING), ids=lambda a: " ".join(a))
def test_a_cold_lookup_imports_only_what_it_needs(env, args):
    """The modules in a fresh process after the command (called with its arguments, so not a
    program run: the process lives on to list them; click's runner would import pdb and more)."""
    code = ("import sys\nfrom iapgraph.cli import main\n"
            "main.main(sys.argv[1:], standalone_mode=False)\n"
            "sys.stderr.write('\\n'.join(sorted(sys.modules)))")
    listed = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                            env=env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    modules = set(listed.stderr.split())
    needed, not_needed = WING[args]
    assert {"iapgraph.kg", "iapgraph.resolve", "click", *needed} <= modules
    assert not modules & (NEVER | not_needed)


def test_a_program_run_imports_none_of_them_either(env):
    """The same in a real program run (``-X importtime`` logs what import statements load)."""
    traced = run(("path", "XIAP", "CASP3"), env, "-X", "importtime")
    assert traced.returncode == 0, traced.stderr
    imported = {line.split("|")[-1].strip() for line in traced.stderr.splitlines() if "import time" in line}
    assert {"iapgraph.paths.search", "iapgraph.kg", "click"} <= imported  # it did look the path up
    assert not imported & NEVER


def test_a_lookup_that_writes_the_cache_ends_with_the_cache_whole(tmp_path):
    """A cache miss pickles the dataset in a forked child; the command still waits for it (no
    quick exit then), so the file is there, whole, when the command has ended."""
    env = cli_env()
    env["XDG_CACHE_HOME"] = str(tmp_path)
    assert run(("path", "XIAP", "CASP3"), env).returncode == 0
    [pickled] = Path(tmp_path).glob("iapgraph/dataset-*.pickle")
    with pickled.open("rb") as fh:
        cached = pickle.load(fh)
    assert len(cached.dataset.statements) > 1000 and "XIAP" in cached.dataset.entities


def test_a_profiled_lookup_still_gets_its_report(env):
    """Under a profiler the process ends as usual: cProfile prints its table after the answer."""
    profiled = run(("path", "XIAP", "CASP3"), env, "-m", "cProfile", "-s", "tottime")
    assert profiled.returncode == 0, profiled.stderr
    answer, _, report = profiled.stdout.partition("function calls")
    assert answer.startswith("path 1: XIAP -> caspase-3") and "ncalls" in report


@pytest.mark.parametrize("args", [["path", "XIAP", "CASP3"], ["resolve", "XIAP"], ["neighbors", "cIAP1"],
                                  ["conflicts"], ["query", "negative-findings"], ["info"]])
def test_a_full_standard_output_is_one_line_not_a_traceback(args):
    """Standard output on a full device (/dev/full): one line on stderr and exit 1, whether the
    lookup ends quickly or as usual."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "iapgraph", *args], cwd=ROOT, env=cli_env(), stdout=full,
                             stderr=subprocess.PIPE, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr == "error: cannot write the output: No space left on device\n", run.stderr
