#!/usr/bin/env python3
"""The bad-input corpus as a Markdown table, from a real run of every case (not from the
expectations): input class | tried | error line | exit code | nothing lost.

A second table covers what is not one CLI input (requests to the endpoint, signals, races,
random query texts): each row is backed by tests that assert the answer and that nothing changed;
they run in one pytest process and a row says "yes" only when all of its tests passed.

    python scripts/bad_inputs_table.py            # both tables
    python scripts/bad_inputs_table.py --cases    # the CLI cases only (fast)
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.bad_cases import CASES, run_case  # noqa: E402


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("\r", "\\r")


R, S, A = "tests/test_reliability.py::", "tests/test_sparql_server.py::", "tests/test_architecture.py::"

#: class | what is tried | the answer | exit code or HTTP status | tests (a prefix selects parametrized ones)
TESTED = [
    ("SPARQL: SERVICE/INSERT/LOAD hidden by comments, line ends, escapes (150 random texts)",
     "query on Oxigraph", "refused or run locally; no connection", "2", [R + "test_random_comments_whitespace_and_escapes_never_reach_the_network",
                                                                         R + "test_comment_ended_by_a_carriage_return_does_not_hide_service"]),
    ("SPARQL: SERVICE and LOAD sent to the endpoint", "GET/POST /sparql", "403, no connection", "HTTP 403",
     [S + "test_service_and_load_are_refused_without_any_connection"]),
    ("SPARQL: first queries parsed by many threads at once", "16 threads, a fresh process", "all parsed", "-",
     [R + "test_queries_parsed_by_many_threads_at_once"]),
    ("SPARQL: valid query the old scanner misread", "`FILTER(?x<2&&?x>0)`", "answered", "0",
     [R + "test_a_valid_query_is_not_mistaken_for_an_iri"]),
    ("SPARQL: \\u escapes", "escape spelling an escape", "one syntax-error line", "2",
     [R + "test_escapes_are_expanded_once_and_what_was_parsed_runs"]),
    ("SPARQL: answer of 200 MB (nested CONCAT), CONSTRUCT", "query, --max-bytes", "rows cut, one yellow line", "0",
     [R + "test_answer_bytes_are_capped_in_the_library_and_the_cli"]),
    ("HTTP: answer bytes, CONSTRUCT triples", "GET /sparql", "cut, X-Iapgraph-Truncated: N bytes", "HTTP 200",
     [R + "test_answer_bytes_are_capped_by_the_endpoint"]),
    ("HTTP: query needing more than --worker-memory", "GET /sparql", "500, a new worker", "HTTP 500",
     [R + "test_a_worker_crash_is_a_server_error_and_the_endpoint_recovers"]),
    ("HTTP: POST without Content-Type; non-UTF-8 body or query string", "POST/GET /sparql", "415; 400", "HTTP 415/400",
     [R + "test_post_needs_a_content_type_and_utf8"]),
    ("HTTP: default-graph-uri / named-graph-uri", "GET/POST /sparql", "honoured (unknown graph empty); bad IRI 400",
     "HTTP 200/400", [R + "test_dataset_parameters_are_honoured"]),
    ("HTTP: relative IRIs", "CONSTRUCT { <s> <p> 1 }", "resolved against the endpoint URL", "HTTP 200",
     [R + "test_relative_iris_resolve_against_the_endpoint"]),
    ("HTTP: Content-Length with Transfer-Encoding, two Content-Lengths", "raw POST", "400, connection closed",
     "HTTP 400", [R + "test_ambiguous_framing_is_refused"]),
    ("HTTP: slowloris (a byte every 0.1 s)", "raw GET", "408, connection closed at the deadline", "HTTP 408",
     [R + "test_a_dripping_client_loses_its_slot"]),
    ("HTTP: files beside the HTML, CORS", "GET /data.json, OPTIONS /", "404; CORS on /sparql only", "HTTP 404",
     [R + "test_cors_only_on_the_sparql_route_and_only_the_html", S + "test_html_and_static_files_without_traversal",
      S + "test_more_traversal_variants"]),
    ("HTTP: W3C SPARQL 1.1 Protocol manifest (34 tests, updates as refusals)", "manifest requests",
     "as the manifest says", "HTTP 2xx/4xx", [S + "test_w3c_protocol", S + "test_the_manifest_is_whole"]),
    ("signals: SIGTERM to query --timeout, SIGKILL to serve", "kill the parent", "workers gone", "-",
     [R + "test_sigterm_to_query_stops_its_busy_worker", R + "test_sigkill_to_serve_stops_its_workers"]),
    ("worker: network", "connect from a worker", "unreachable (own network namespace)", "-",
     [R + "test_a_worker_cannot_reach_the_network"]),
    ("--endpoint: a byte-drip answer", "query --endpoint --timeout 2", "one line at 2 s", "1",
     [R + "test_endpoint_timeout_is_a_deadline_for_the_whole_answer"]),
    ("--endpoint: answer ends early (IncompleteRead)", "query --endpoint", "one line", "1",
     [R + "test_endpoint_answer_that_ends_early_is_one_line"]),
    ("--endpoint: JSON-LD naming a file: @context", "query --endpoint", "refused, file never read", "1",
     [R + "test_endpoint_json_ld_with_a_file_context_is_refused_unread"]),
    ("atomic output: FIFO, dangling and looping links", "-o PATH", "one line, nothing written", "1",
     [R + "test_output_refuses_what_is_not_a_regular_file", R + "test_cli_output_to_a_device_is_one_line"]),
    ("atomic output: symlink to a file, a 0600 file", "-o LINK", "target replaced, link and mode kept", "0",
     [R + "test_output_follows_a_symlink_and_keeps_the_mode"]),
    ("curated TSV: part_of chain of 1,000 (and a 1,000-cycle)", "validate, query", "ok; one cycle line", "0/1",
     [R + "test_a_part_of_chain_of_a_thousand_loads_without_recursion_error"]),
    ("curated TSV: statements/ folder that cannot be listed", "validate", "located error", "1",
     [R + "test_an_unreadable_statements_folder_is_an_error_not_an_empty_table"]),
    ("curated TSV: Latin-Cyrillic word in free text (Greek in names stays valid)", "validate", "located error", "1",
     [R + "test_mixed_scripts_in_free_text_are_an_error_but_greek_in_names_is_not"]),
    ("cache: same-size edit with the old mtime", "any command", "rebuilt from content", "0",
     [A + "test_cache_is_keyed_by_content"]),
    ("cache: corrupt cache file", "any command", "rebuilt silently", "0", [A + "test_corrupt_cache_is_rebuilt"]),
    ("--via: three legs of -k 100 on a 78-entity diamond (81^4 combinations)", "path --via --via --via -k 100",
     "the 100 shortest, from a lazy merge", "0", [R + "test_three_via_with_k_100_on_a_diamond_through_the_cli",
                                                 R + "test_lazy_via_merge_gives_the_product_sorted_by_length"]),
    ("--via: legs whose every combination breaks a rule", "path --via ... on a bottleneck graph",
     "stops at 200,000 combinations, one yellow line", "0", [R + "test_via_combinations_are_capped_with_a_message",
                                                             R + "test_three_via_with_k_100_on_a_diamond_through_the_cli"]),
    ("Ctrl-C while the package or the CLI imports", "console script and python -m, 4 import points",
     "error: interrupted", "130", [R + "test_ctrl_c_while_importing_is_one_line",
                                  R + "test_ctrl_c_while_a_program_imports_the_library_stays_its_own"]),
    ("SPARQL: SERVICE past the text check, plain `query`", "engine handed SERVICE in-process",
     "the forked query process has no network", "-",
     [R + "test_the_embedded_engine_of_a_plain_query_cannot_reach_the_network"]),
]


def run_tested() -> int:
    """Run every test of TESTED in one pytest process; print the second table."""
    nodes = sorted({n for *_, tests in TESTED for n in tests})
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", *nodes],
                         cwd=ROOT, capture_output=True, text=True,
                         env={**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")})
    outcome: dict[str, str] = {}
    for line in run.stdout.splitlines():
        m = re.match(r"^(PASSED|FAILED|ERROR|SKIPPED) (\S+)", line)
        if m:
            outcome[m.group(2)] = m.group(1)
    print("\n| class (tested by request or signal) | tried | answer | exit code / status | nothing lost |")
    print("|---|---|---|---|---|")
    failures = 0
    for cls, tried, answer, code, tests in TESTED:
        found = [v for k, v in outcome.items() if any(k == t or k.startswith(t + "[") for t in tests)]
        ok = bool(found) and all(v == "PASSED" for v in found)
        failures += not ok
        print(f"| {cell(cls)} | {cell(tried)} | {cell(answer)} | {code} | {'yes' if ok else 'NO'} |"
              + ("" if ok else f" FAILED: {', '.join(tests)}"))
    print(f"\n{len(TESTED)} classes by test ({len(outcome)} tests), {failures} not as expected")
    if failures:
        sys.stderr.write(run.stdout[-6000:])
    return failures


def main() -> int:
    print("| input class | tried | error line | exit code | nothing lost |")
    print("|---|---|---|---|---|")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case_file in CASES:
            run = run_case(case_file, Path(tmp))
            lines = run.lines
            line = lines[0] if len(lines) == 1 else " / ".join(lines) or "(no error line)"
            tried = "iapgraph " + shlex.join(run.spec["args"]).replace("{case}", "CASE")
            if "fsize_limit" in run.spec:
                tried += f"  (file-size limit {run.spec['fsize_limit']:,} bytes)"
            shown = line.replace(str(run.folder), "CASE")
            expected = run.spec.get("stderr") or run.spec["stderr_startswith"]
            matches = (line == run.expected("stderr")) if "stderr" in run.spec else \
                line.startswith(run.expected("stderr_startswith"))
            ok = (matches and len(lines) == 1 and run.result.returncode == run.spec["exit"] and run.unchanged
                  and "Traceback" not in run.result.stderr)
            failures += not ok
            print(f"| {cell(run.spec['class'])} | `{cell(tried)}` | `{cell(shown)}` | {run.result.returncode} | "
                  f"{'yes' if run.unchanged else 'NO'} |" + ("" if ok else f" MISMATCH: expected {expected!r}"))
    print(f"\n{len(CASES)} cases, {failures} not as expected")
    if "--cases" not in sys.argv[1:]:
        failures += run_tested()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
