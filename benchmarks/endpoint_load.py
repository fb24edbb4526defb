#!/usr/bin/env python3
"""`iapgraph serve` under a burst: N concurrent library queries from N threads (loopback only).

Starts the endpoint as a real process on a free 127.0.0.1 port, sends every example of the
query library (`queries/*.rq`, parameters bound) round-robin as GET, form POST and direct POST,
all released at once, then checks the server still answers. Prints requests served, errors,
p50/p99 latency and peak memory (VmHWM) of the server and of its worker processes. Bounded: one
burst of `--requests` (default 200) queries, each with a 120 s client timeout.

    python benchmarks/endpoint_load.py [--requests 200] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
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


def start_server(*args: str) -> tuple[subprocess.Popen[str], str]:
    """`iapgraph serve --port 0` as a process; returns it and its /sparql URL."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
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
    return proc, box[0].split()[2]


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    import iapgraph

    texts = library_mix(iapgraph.load())
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
