#!/usr/bin/env python3
"""`iapgraph serve` under a burst: N concurrent library queries from N threads (loopback only).

Starts the endpoint as a real process on a free 127.0.0.1 port, sends every example of the
query library (`queries/*.rq`, parameters bound) round-robin as GET, form POST and direct POST,
all released at once, then checks the server still answers. Prints requests served, errors,
p50/p99 latency and peak memory (VmHWM) of the server and of its worker processes. Bounded: one
burst of `--requests` (default 200) queries, each with a 120 s client timeout.

    python benchmarks/endpoint_load.py [--requests 200] [--per-round 1000] [--workers 2] [--baseline 5dcc33d]
        [--rounds 3] [--burst-only]

The throughput is measured twice: on the mix of library texts, asked again and again, and on
texts each sent once (a comment of its own makes each new, so no server can reuse what it
decided or planned for an earlier text).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


@dataclass
class Reply:
    index: int  # which query of the mix
    method: str
    status: int
    body: bytes
    seconds: float


def library_mix(kg) -> list[str]:
    """Every example of the query library as SPARQL text with its parameters bound."""
    from iapgraph.sparql.expected import as_params, examples
    from iapgraph.sparql.library import library
    from iapgraph.sparql.query import bind_parameters, prepare

    texts = []
    for lq in library().values():
        for _, pairs in examples(lq):
            try:
                texts.append(prepare(lq, bind_parameters(kg, lq, as_params(pairs))).text)
            except Exception:  # an example whose names are not curated: the library test reports it
                continue
    return texts


def start_server(*args: str, src: Path = ROOT / "src") -> tuple[subprocess.Popen[str], str]:
    """`iapgraph serve --port 0` (from the sources in ``src``) as a process; returns it and its
    /sparql URL."""
    env = {**os.environ, "PYTHONPATH": str(src) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "iapgraph", "serve", "--host", "127.0.0.1", "--port", "0",
                             "--quiet", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(180)
    if not box or not box[0].startswith("SPARQL endpoint: http://127.0.0.1:"):
        proc.kill()
        raise RuntimeError(f"iapgraph serve did not start: {box[0] if box else ''}{proc.stderr.read()}")  # type: ignore[union-attr]
    STARTED[proc.pid] = box[0].strip()
    return proc, box[0].split()[2]


STARTED: dict[int, str] = {}  # the first line each server printed (its workers' allocator, since 7ea5bf0)


def oxigraph_command() -> str | None:
    """The `oxigraph` command (pip package `oxigraph`, in the test extras), or None."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def start_oxigraph(ntriples: Path, preload: str | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """`oxigraph serve` with an in-memory store on a free loopback port, loaded with the graph's
    N-Triples (POST /store); returns the process and its /query URL. ``preload``: a library in
    its LD_PRELOAD (jemalloc, to compare like with like: the PyPI binary uses glibc's malloc)."""
    command = oxigraph_command()
    if command is None:
        raise RuntimeError("no `oxigraph` command: pip install oxigraph (the test extras have it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "LD_PRELOAD": preload} if preload else None
    proc = subprocess.Popen([command, "serve", "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    root = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(root + "/query?query=ASK%7B%7D", timeout=5):
                break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        raise RuntimeError("oxigraph serve did not start")
    load = urllib.request.Request(root + "/store?default", data=ntriples.read_bytes(), method="POST",
                                  headers={"Content-Type": "application/n-triples"})
    with urllib.request.urlopen(load, timeout=120):
        pass
    return proc, root + "/query"


def baseline_sources(revision: str, folder: str) -> Path:
    """The src/ of a git revision, unpacked into ``folder`` (git archive)."""
    archive = subprocess.run(["git", "archive", revision, "src"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    return Path(folder) / "src"


def ask(url: str, text: str, method: str, index: int, timeout: float = 120.0) -> Reply:
    """One query as GET, form POST ('post') or direct POST ('direct'), asking for results JSON."""
    headers = {"Accept": "application/sparql-results+json"}
    if method == "get":
        request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": text}), headers=headers)
    elif method == "post":
        request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": text}).encode(),
                                         headers={**headers, "Content-Type": "application/x-www-form-urlencoded"})
    else:
        request = urllib.request.Request(url, data=text.encode(),
                                         headers={**headers, "Content-Type": "application/sparql-query"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    except OSError as exc:  # refused, reset, timed out: an unanswered request
        status, body = 0, str(exc).encode()
    return Reply(index, method, status, body, time.perf_counter() - started)


def burst(url: str, texts: list[str], requests: int) -> list[Reply]:
    """`requests` queries from as many threads, released together by a barrier."""
    methods = ("get", "post", "direct")
    gate = threading.Barrier(requests)

    def one(n: int) -> Reply:
        gate.wait()
        return ask(url, texts[n % len(texts)], methods[n % len(methods)], n % len(texts))

    with ThreadPoolExecutor(max_workers=requests) as pool:
        return list(pool.map(one, range(requests)))


def family(pid: int) -> list[int]:
    """The process and its descendants (the query workers), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def vm_hwm(pid: int) -> int:
    """Peak resident memory of one process in bytes (VmHWM of /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def memory(pid: int) -> dict[str, int]:
    """VmHWM of the server process and the sum over it and its workers."""
    pids = family(pid)
    peaks = {p: vm_hwm(p) for p in pids if Path(f"/proc/{p}").exists()}
    return {"server": peaks.get(pid, 0), "with_workers": sum(peaks.values()), "processes": len(peaks)}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def throughput(url: str, texts: list[str], requests: int = 200, clients: int = 4) -> float:
    """Requests per second: ``requests`` library queries (round-robin, GET / form POST / direct
    POST) from ``clients`` threads, each waiting for its answer before asking again."""
    methods = ("get", "post", "direct")
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        replies = list(pool.map(lambda n: ask(url, texts[n % len(texts)], methods[n % 3], n % len(texts)),
                                range(requests)))
    wall = time.perf_counter() - started
    bad = [r for r in replies if r.status != 200]
    if bad:
        raise RuntimeError(f"{url}: {len(bad)} requests failed: {bad[0].status} {bad[0].body[:200]!r}")
    return requests / wall


def distinct(texts: list[str], requests: int, tag: str) -> list[str]:
    """``requests`` texts of the mix, each made a text never sent before by a comment of its own
    (same query, same answer): no server can use what it learnt from an earlier run of the text."""
    return [f"{texts[n % len(texts)]}\n# {tag} {n}\n" for n in range(requests)]


def fixed_cost(url: str, text: str, repeat: int = 100) -> float:
    """Median seconds of one small query asked again and again by one client (a new connection
    each time, as urllib and SPARQLWrapper do)."""
    times = []
    for _ in range(repeat):
        reply = ask(url, text, "get", 0)
        if reply.status != 200:
            raise RuntimeError(f"{url}: {reply.status} {reply.body[:200]!r}")
        times.append(reply.seconds)
    return statistics.median(times)


def answers(url: str, texts: list[str]) -> list[object]:
    """Each query's answer as Results (terms, canonical), to compare servers."""
    from iapgraph.sparql.results import from_json
    from iapgraph.sparql.text import query_form

    found = []
    for index, text in enumerate(texts):
        reply = ask(url, text, "direct", index)
        found.append(from_json(json.loads(reply.body), query_form(text)) if reply.status == 200 else reply.status)
    return found


def burst_figures(url: str, texts: list[str], requests: int) -> dict[str, float]:
    replies = burst(url, texts, requests)
    latencies = [r.seconds for r in replies]
    return {"served": sum(r.status == 200 for r in replies), "p50": statistics.median(latencies),
            "p99": percentile(latencies, 0.99), "max": max(latencies)}


def compare(args: argparse.Namespace, texts: list[str], ntriples: Path) -> int:
    """Our server, the baseline revision's and the in-memory `oxigraph` server, side by side."""
    servers: dict[str, tuple[subprocess.Popen, str]] = {}  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as folder:
        try:
            servers["iapgraph"] = start_server("--workers", str(args.workers))
            if args.baseline:
                servers[args.baseline] = start_server("--workers", str(args.workers), "--graph-dir", str(ROOT / "graph"),
                                                      src=baseline_sources(args.baseline, folder))
            if oxigraph_command() is not None:
                servers["oxigraph"] = start_oxigraph(ntriples)
                if args.oxigraph_jemalloc:
                    from iapgraph.sparql.workers import jemalloc

                    if jemalloc() is None:
                        print("(no jemalloc here: apt-get install libjemalloc2 for the oxigraph+je column)")
                    else:
                        servers["oxigraph+je"] = start_oxigraph(ntriples, jemalloc())
            else:
                print("(no `oxigraph` command: pip install oxigraph to compare with it)")
            names = list(servers)
            figures: dict[str, dict[str, float]] = {name: {} for name in names}
            for name in names:  # cold: a burst right after start, before any query was seen
                cold = burst_figures(servers[name][1], texts, args.requests)
                figures[name].update({"cold p50": cold["p50"], "cold p99": cold["p99"],
                                      "cold served": cold["served"]})
            truth = answers(servers[names[0]][1], texts)
            same = {name: sum(a == b for a, b in zip(truth, answers(servers[name][1], texts), strict=True))
                    for name in names}
            trivial = "ASK {}"
            xrefs = min((t for t in texts if "?xref" in t), key=len)
            rates: dict[str, list[float]] = {name: [] for name in names}
            fresh: dict[str, list[float]] = {name: [] for name in names}
            costs: dict[str, list[float]] = {name: [] for name in names}
            xcosts: dict[str, list[float]] = {name: [] for name in names}
            for round_ in range(args.rounds):  # interleaved, so each server meets the same machine load
                for name in names:
                    url = servers[name][1]
                    rates[name].append(throughput(url, texts, args.per_round, args.clients))
                    once = distinct(texts, args.per_round, f"{name} round {round_}")
                    fresh[name].append(throughput(url, once, args.per_round, args.clients))
                    costs[name].append(fixed_cost(url, trivial, 50))
                    xcosts[name].append(fixed_cost(url, xrefs, 50))
            for name in names:
                warm = burst_figures(servers[name][1], texts, args.requests)
                figures[name].update({
                    "throughput": statistics.median(rates[name]), "fresh": statistics.median(fresh[name]),
                    "fixed": statistics.median(costs[name]),
                    "xrefs": statistics.median(xcosts[name]), "warm p50": warm["p50"], "warm p99": warm["p99"],
                    "warm served": warm["served"], "same": same[name]})
            mem = memory(servers["iapgraph"][0].pid)
        finally:
            for proc, _ in servers.values():
                proc.terminate()
                proc.wait(30)
    load = os.getloadavg()[0]
    print(f"{len(texts)} library query texts (every example of the library, parameters bound); "
          f"{args.workers} query workers; {os.cpu_count()} cores, load average {load:.1f} at the end; "
          f"{args.rounds} interleaved rounds, medians")
    first = STARTED.get(servers["iapgraph"][0].pid, "")
    print(f"iapgraph serve: {first[first.find('('):]}")
    rows = [
        ("throughput, req/s", "throughput", f"{args.clients} clients, {args.per_round} requests", "{:.0f}", 1, True),
        ("  each text new, req/s", "fresh", "the same, every text unseen", "{:.0f}", 1, True),
        ("fixed cost, ms", "fixed", "ASK {}, one client, median", "{:.2f}", 1000, False),
        ("xrefs (entity=XIAP), ms", "xrefs", "one client, median", "{:.2f}", 1000, False),
        ("warm burst p50, ms", "warm p50", f"{args.requests} at once", "{:.0f}", 1000, False),
        ("warm burst p99, ms", "warm p99", f"{args.requests} at once", "{:.0f}", 1000, False),
        ("cold burst p50, ms", "cold p50", "right after start", "{:.0f}", 1000, False),
        ("cold burst p99, ms", "cold p99", "right after start", "{:.0f}", 1000, False),
    ]
    head = f"{'figure':26} {'how':30}" + "".join(f" {n:>10}" for n in names)
    ratios = [n for n in names if n != "iapgraph"]
    head += "".join(f" {'/' + n:>10}" for n in ratios)
    print(head)
    for label, key, how, fmt, scale, _ in rows:
        line = f"{label:26} {how:30}" + "".join(f" {fmt.format(figures[n][key] * scale):>10}" for n in names)
        line += "".join(f" {figures['iapgraph'][key] / figures[n][key]:>10.2f}" for n in ratios)
        print(line)
    print(f"{'answers as iapgraph':26} {'same answer, of ' + str(len(texts)):30}"
          + "".join(f" {figures[n]['same']:>10.0f}" for n in names))
    print(f"{'bursts served (200)':26} {'warm / cold':30}"
          + "".join(f" {figures[n]['warm served']:>4.0f}/{figures[n]['cold served']:<5.0f}" for n in names))
    print(f"peak memory, iapgraph server + workers ({mem['processes']} processes): "
          f"{mem['with_workers'] / 2**20:.1f} MiB")
    ok = all(figures[n]["same"] == len(texts) for n in names)
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests of each burst (all at once)")
    parser.add_argument("--per-round", type=int, default=1000,
                        help="requests of each throughput measurement (200 took 0.25 s: too short to be steady)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4, help="client threads of the throughput run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved throughput / fixed-cost rounds")
    parser.add_argument("--baseline", default="5dcc33d", metavar="REV",
                        help="also serve the src/ of this git revision and print it beside ('' for none)")
    parser.add_argument("--oxigraph-jemalloc", action="store_true",
                        help="also `oxigraph serve` with jemalloc preloaded (column oxigraph+je), like our workers")
    parser.add_argument("--burst-only", action="store_true",
                        help="only the burst against our server (the test's figures), no comparison")
    args = parser.parse_args()

    import iapgraph

    kg = iapgraph.load()
    texts = library_mix(kg)
    if not args.burst_only:
        return compare(args, texts, kg.ntriples())
    proc, url = start_server("--workers", str(args.workers))
    try:
        started = time.perf_counter()
        replies = burst(url, texts, args.requests)
        wall = time.perf_counter() - started
        after = ask(url, texts[0], "get", 0)
        mem = memory(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)
    ok = [r for r in replies if r.status == 200]
    errors: dict[str, int] = {}
    for r in replies:
        if r.status != 200:
            key = f"{r.status} {r.body.decode('utf-8', 'replace').strip()[:80]}"
            errors[key] = errors.get(key, 0) + 1
    latencies = [r.seconds for r in replies]
    print(f"{args.requests} concurrent requests, {len(texts)} distinct library queries, "
          f"{args.workers} query workers, GET / form POST / direct POST round-robin")
    rows = [
        ("requests served (200)", f"{len(ok)} of {len(replies)}"),
        ("errors", json.dumps(errors) if errors else "0"),
        ("answers after the burst", str(after.status)),
        ("wall time of the burst", f"{wall:.2f} s"),
        ("latency p50", f"{statistics.median(latencies) * 1000:.0f} ms"),
        ("latency p99", f"{percentile(latencies, 0.99) * 1000:.0f} ms"),
        ("latency max", f"{max(latencies) * 1000:.0f} ms"),
        ("peak memory, server process (VmHWM)", f"{mem['server'] / 2**20:.1f} MiB"),
        (f"peak memory, server + workers ({mem['processes']} processes)", f"{mem['with_workers'] / 2**20:.1f} MiB"),
    ]
    for name, value in rows:
        print(f"{name:48} {value}")
    return 0 if len(ok) == len(replies) and after.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
