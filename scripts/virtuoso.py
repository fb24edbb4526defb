#!/usr/bin/env python3
"""A throw-away Virtuoso (Debian's virtuoso-opensource 7) holding the built graph, for tests and
for trying the query library on a real triple store.

:class:`Virtuoso` writes a virtuoso.ini into a temporary folder (SQL and HTTP ports on 127.0.0.1
only, picked free; DirsAllowed limited to that folder; small buffers), starts
``virtuoso-t -f -c virtuoso.ini``, waits (bounded) until ``/sparql`` answers, bulk-loads N-Triples
with ``isql-vt PORT dba dba exec="ld_dir(...); rdf_loader_run(); checkpoint;"`` into a named graph,
and on exit stops the server by its PID and removes the folder, also when something failed.

Queries stay standard SPARQL: the endpoint URL carries ``default-graph-uri`` (SPARQL 1.1
Protocol), so the named graph is the query's default graph, as the whole file is on Oxigraph.
Without it Virtuoso's default graph is the union of every graph it holds, its own system graphs
included.

    python scripts/virtuoso.py build/iapgraph.nt     # serve it until Ctrl-C, printing the URL
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import TracebackType

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
#: The graph the file is loaded into (and the endpoint's default graph, through the URL).
GRAPH = "https://w3id.org/iapgraph/graph"

INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 0
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., {dir}, {data}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxMemPoolSize           = 40000000
MaxQueryMem              = 500M
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 4
NumberOfBuffers          = {buffers}
MaxDirtyBuffers          = {dirty}

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {dir}/vsp
MaxClientConnections        = 4
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 4
MaxKeepAlives               = 4
KeepAliveTimeout            = 10
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[VDB]
ArrayOptimization           = 0
NumArrayParameters          = 10
VDBDisconnectTimeout        = 1000
KeepConnectionOnFixedThread = 0

[Replication]
ServerName   = iapgraph
ServerEnable = 0

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:{http_port}

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 120
DeferInferenceRulesInit    = 0
"""


class VirtuosoError(RuntimeError):
    """Virtuoso could not be started, did not answer in time, or refused the load."""


def available() -> str | None:
    """Path of virtuoso-t when both it and isql-vt are installed, else None."""
    server, isql = shutil.which(VIRTUOSO), shutil.which(ISQL)
    return server if server and isql else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Virtuoso:
    """A Virtuoso server in a temporary folder; use as a context manager.

    >>> with Virtuoso() as store:                              # doctest: +SKIP
    ...     store.load(Path("build/iapgraph.nt"))
    ...     store.endpoint    # http://127.0.0.1:PORT/sparql?default-graph-uri=...
    """

    def __init__(self, *, buffers: int = 8000, start_timeout: float = 90.0, graph: str = GRAPH):
        self.buffers = buffers
        self.start_timeout = start_timeout
        self.graph = graph
        self.folder: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.sql_port = 0
        self.http_port = 0
        self.loaded = 0  # triples in the graph after the last load()

    # --- addresses ---------------------------------------------------------------------------
    @property
    def sparql_url(self) -> str:
        """The bare endpoint: its default graph is the union of every graph Virtuoso holds."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def endpoint(self) -> str:
        """The endpoint whose default graph is the loaded file (SPARQL 1.1 Protocol parameter)."""
        return f"{self.sparql_url}?{urllib.parse.urlencode({'default-graph-uri': self.graph})}"

    # --- life cycle ----------------------------------------------------------------------------
    def __enter__(self) -> Virtuoso:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> None:
        server = available()
        if server is None:
            raise VirtuosoError(f"{VIRTUOSO} and {ISQL} are not both installed "
                                "(Debian: apt-get install virtuoso-opensource)")
        self.folder = Path(tempfile.mkdtemp(prefix="iapgraph-virtuoso-"))
        (self.folder / "vsp").mkdir()
        (self.folder / "data").mkdir()
        self.sql_port, self.http_port = free_port(), free_port()
        while self.http_port == self.sql_port:
            self.http_port = free_port()
        ini = self.folder / "virtuoso.ini"
        ini.write_text(INI.format(dir=self.folder, data=self.folder / "data", sql_port=self.sql_port,
                                  http_port=self.http_port, buffers=self.buffers,
                                  dirty=self.buffers * 3 // 4), encoding="utf-8")
        log = (self.folder / "stdout.log").open("wb")
        # -f: stay in the foreground, so the PID is the server's and stop() can end it
        self.process = subprocess.Popen([server, "-f", "-c", str(ini)], cwd=self.folder,
                                        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        probe = self.sparql_url + "?" + urllib.parse.urlencode({"query": "ASK { }"})
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise VirtuosoError(f"virtuoso-t exited with {self.process.returncode}: {self.log_tail()}")
            try:
                request = urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})
                with urllib.request.urlopen(request, timeout=5) as response:
                    if b"boolean" in response.read():
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.5)
        raise VirtuosoError(f"Virtuoso's /sparql did not answer within {self.start_timeout:.0f} s: "
                            f"{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server by its PID (TERM, then KILL) and remove the folder."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        folder, self.folder = self.folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def log_tail(self, lines: int = 8) -> str:
        if self.folder is None:
            return ""
        text = ""
        for name in ("virtuoso.log", "stdout.log"):
            path = self.folder / name
            if path.is_file():
                text += path.read_text(encoding="utf-8", errors="replace")
        return " | ".join(text.strip().splitlines()[-lines:])

    # --- SQL and loading -----------------------------------------------------------------------
    def isql(self, commands: str, timeout: float = 300) -> str:
        """Run SQL through ``isql-vt PORT dba dba exec="..."``; an error in the output raises."""
        done = subprocess.run([ISQL, str(self.sql_port), "dba", "dba", f"exec={commands}"],
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise VirtuosoError(f"isql-vt failed ({done.returncode}): {' '.join(output.split())[:500]}")
        return output

    def load(self, ntriples: Path, timeout: float = 300) -> int:
        """Bulk-load one N-Triples file into :attr:`graph`; return the triples the graph holds.

        The file is copied into the server's own data folder (the only one DirsAllowed names),
        so a load never reads anywhere else; a file the loader rejects raises with its message.
        """
        if self.folder is None:
            raise VirtuosoError("start Virtuoso first")
        data = self.folder / "data"
        target = data / ntriples.name
        shutil.copyfile(ntriples, target)
        self.isql(f"ld_dir({_sql_string(str(data))}, {_sql_string(target.name)}, {_sql_string(self.graph)}); "
                  "rdf_loader_run(); checkpoint;", timeout)
        failed = self.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
        if "\n0 Rows." not in failed:
            raise VirtuosoError(f"Virtuoso's loader rejected {ntriples}: {' '.join(failed.split())[-400:]}")
        self.loaded = self.count()
        return self.loaded

    def count(self) -> int:
        """Triples in :attr:`graph`, asked over HTTP like any client."""
        import json

        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{self.graph}> {{ ?s ?p ?o }} }}"
        url = self.sparql_url + "?" + urllib.parse.urlencode({"query": query})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        return int(answer["results"]["bindings"][0]["n"]["value"])


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python scripts/virtuoso.py FILE.nt   (e.g. build/iapgraph.nt)", file=sys.stderr)
        return 2
    path = Path(argv[0])
    if not path.is_file():
        print(f"no such file: {path} (run: iapgraph build -o build)", file=sys.stderr)
        return 2
    with Virtuoso() as store:
        start = time.perf_counter()
        triples = store.load(path)
        print(f"loaded {triples:,} triples from {path} in {time.perf_counter() - start:.1f} s")
        print(f"SPARQL endpoint: {store.endpoint}")
        print(f"  iapgraph query drug-targets --endpoint '{store.endpoint}'")
        print("Ctrl-C stops it (the database folder is removed).", flush=True)
        try:
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            while store.process is not None and store.process.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
