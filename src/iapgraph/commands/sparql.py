"""SPARQL commands: query (a library query, a file or text), queries (the library), serve."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..sparql.results import Result

from ..options import graph_dir_option, load_graph
from ..render import render

ENGINE_CHOICES = ("oxigraph", "rdflib")
QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "nt")
MALLOC_CHOICES = ("auto", "jemalloc", "system")  # sparql.workers.MALLOC_CHOICES (not imported: a cold CLI start)


def _split_params(pairs: tuple[str, ...]) -> dict[str, list[str]]:
    from ..exceptions import UsageError

    params: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param {pair!r}: write NAME=VALUE (e.g. --param iap=XIAP)")
        params.setdefault(name.strip(), []).append(value.strip())
    return params


@click.command()
@click.argument("target", required=False, metavar="FILE_OR_NAME")
@click.option("-e", "--expression", metavar="SPARQL", help="Run this SPARQL text instead of a file or name.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter by name (repeat for several values); names resolve "
                   "through aliases: --param iap=cIAP1.")
@click.option("--exact", is_flag=True,
              help="Entity parameters match the named entity only; by default a class also matches "
                   "its subtypes in the ontology hierarchy (cancer=lung: NSCLC, SCLC). One value: "
                   "--param cancer==lung.")
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="oxigraph", show_default=True,
              help="Embedded engine: Oxigraph (fast) or rdflib's own.")
@click.option("--endpoint", metavar="URL", help="Ask this SPARQL 1.1 endpoint instead of the embedded graph.")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
              help="table for people; csv/tsv/json/xml are the W3C SPARQL results formats; nt for "
                   "CONSTRUCT.")
@click.option("--limit", type=click.IntRange(min=0), help="Print at most this many rows.")
@click.option("--timeout", type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Stop the query after this many seconds (it runs in a worker process that is "
                   "killed; with --endpoint, the time allowed for the answer).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=100_000_000, show_default=True,
              help="Stop collecting rows (or CONSTRUCT triples) when their terms pass this many bytes.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
@graph_dir_option
def query(target: str | None, expression: str | None, params: tuple[str, ...], exact: bool, engine: str,
          endpoint: str | None, fmt: str, limit: int | None, timeout: float | None, max_bytes: int,
          output: Path | None, graph_dirs: tuple[Path, ...]) -> None:
    """Run a library query, a .rq file or SPARQL text.

    A library query by NAME (see `iapgraph queries`), a .rq FILE, or -e TEXT.

    \b
    iapgraph query ubiquitination --param iap=cIAP1
    iapgraph query -e 'SELECT ?l WHERE { entity:XIAP skos:altLabel ?l } ORDER BY ?l'
    iapgraph query caspase-inhibitors --format json --endpoint http://localhost:8890/sparql
    """
    from ..exceptions import UsageError

    if bool(target) == bool(expression):
        raise UsageError("give a query NAME or FILE, or -e 'SPARQL' (one of them)")
    kg = load_graph(graph_dirs)
    result = kg.query(expression or target or "", _split_params(params), engine=engine, endpoint=endpoint,
                      limit=limit, timeout=timeout, is_text=bool(expression), max_bytes=max_bytes,
                      exact=exact)
    text = format_result(result, fmt)
    if output is not None:
        from ..outputs import write_text

        write_text(output, text)
        click.echo(f"wrote {output} ({len(result.rows)} rows)", err=True)
    else:
        click.echo(text, nl=False)
    if result.truncated:
        if result.cut == "bytes":
            why = f"stopped after {len(result.rows)} rows: the answer passed {max_bytes} bytes (--max-bytes)"
        elif limit is not None and len(result.rows) == limit:
            why = f"stopped at {limit} rows: --limit"
        else:
            why = "the endpoint cut the answer at its row cap"
        click.secho(f"({why})", fg="yellow", err=True)


def format_result(result: Result, fmt: str) -> str:
    """A Result as the user asked: an aligned table, or a W3C results format."""
    from ..exceptions import UsageError
    from ..sparql.query import PREFIXES
    from ..sparql.results import to_csv, to_json, to_ntriples, to_tsv, to_xml

    if fmt == "nt":
        if not result.is_graph:
            raise UsageError("--format nt is for CONSTRUCT and DESCRIBE queries")
        return to_ntriples(result)
    if fmt == "table":
        if not result.rows and result.form != "ASK":
            return "(no rows)\n"
        return render(result.records(PREFIXES), result.columns(), "table", max_width=70)
    return {"csv": to_csv, "tsv": to_tsv, "json": to_json, "xml": to_xml}[fmt](result)


@click.command()
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "tsv", "json")), default="table",
              show_default=True, help="Output format.")
@click.option("--sparql", "show", metavar="NAME", help="Print the SPARQL text of one query instead.")
def queries(fmt: str, show: str | None) -> None:
    """List the SPARQL query library.

    Each query's name, parameters and the question it answers.
    """
    from ..sparql.library import find, library

    if show:
        click.echo(find(show).text, nl=False)
        return
    rows = [{"name": q.name,
             "parameters": ", ".join(f"{p.name}{'*' if p.required else ''} ({p.type})" for p in q.parameters),
             "question": q.question}
            for q in library().values()]
    click.echo(render(rows, ["name", "parameters", "question"], fmt, max_width=100), nl=False)
    if fmt == "table":
        click.echo("\n* required.  Run one: iapgraph query NAME [--param NAME=VALUE]", err=True)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)  # SIGTERM: leave serve_forever so the workers are stopped


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback exposes the graph to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=7070, show_default=True,
              help="Port (0 picks a free one and prints it).")
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="oxigraph", show_default=True)
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Interactive HTML to serve at / (default: build/iapgraph.html if it exists), with the "
                   "local files it references; nothing else beside it is served.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Result cap: rows beyond it are cut (header X-Iapgraph-Truncated).")
@click.option("--workers", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Query worker processes (queries run concurrently up to this number).")
@click.option("--max-connections", type=click.IntRange(1, 4096), default=256, show_default=True,
              help="Requests handled at once; more are answered 503 with Retry-After at once.")
@click.option("--client-timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a client may take to send its whole request (a deadline) before it is dropped.")
@click.option("--max-bytes", type=click.IntRange(min=1000), default=32_000_000, show_default=True,
              help="Answer cap in bytes of terms: rows (or triples) beyond it are cut "
                   "(header X-Iapgraph-Truncated: N bytes).")
@click.option("--worker-memory", type=click.IntRange(min=256), default=4096, show_default=True, metavar="MIB",
              help="Address space a query worker may use; a query that needs more stops its worker (500).")
@click.option("--worker-malloc", type=click.Choice(MALLOC_CHOICES), default="auto", show_default=True,
              help="The query workers' allocator: jemalloc (Debian: libjemalloc2) answers about 15% faster "
                   "than the system's; auto takes it where installed.")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
@graph_dir_option
def serve(host: str, port: int, engine: str, html_path: Path | None, timeout: float, max_rows: int,
          workers: int, max_connections: int, client_timeout: float, max_bytes: int, worker_memory: int,
          worker_malloc: str, quiet: bool, graph_dirs: tuple[Path, ...]) -> None:
    """Serve a read-only SPARQL endpoint and the HTML.

    A SPARQL 1.1 endpoint at /sparql, and the interactive HTML at /.

    Any SPARQL client (SPARQLWrapper, YASGUI, a triple store's SERVICE) can ask it. UPDATE, LOAD
    and SERVICE are refused; relative IRIs resolve against the endpoint's URL; default-graph-uri
    and named-graph-uri are honoured (a graph it does not hold is empty). Query workers run with
    bounded memory, without network where Linux allows it, and die with the server. Stop it with
    Ctrl-C.
    """
    from ..exceptions import UsageError
    from ..sparql.server import SparqlServer, is_loopback
    from ..sparql.workers import WorkerPool

    if html_path is None:
        default = Path("build/iapgraph.html")
        html_path = default if default.is_file() else None
    elif not html_path.is_file():
        raise UsageError(f"--html {html_path}: no such file")
    ntriples = load_graph(graph_dirs).ntriples()
    pool = WorkerPool(engine, ntriples, size=workers, timeout=timeout, memory=worker_memory << 20,
                      malloc=worker_malloc)
    try:
        try:
            server = SparqlServer((host, port), pool, html_path, max_rows=max_rows, quiet=quiet,
                                  max_connections=max_connections, client_timeout=client_timeout,
                                  max_bytes=max_bytes)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        bound = server.server_address[1]
        if not is_loopback(host):
            click.secho(f"warning: listening on {host}, not loopback: anyone who can reach this "
                        "machine can query the graph", fg="yellow", err=True)
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"SPARQL endpoint: http://{shown}:{bound}/sparql ({pool.triples} triples, {engine}, "
                   f"{timeout:g} s limit, {max_rows} rows cap, {pool.size} worker{'s' if pool.size != 1 else ''}, "
                   f"{pool.allocator} malloc)")
        if html_path:
            click.echo(f"viewer: http://{shown}:{bound}/ ({html_path})")
        sys.stdout.flush()
        signal.signal(signal.SIGTERM, _stop)
        try:
            server.serve_forever()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            server.server_close()
    finally:
        pool.close()
