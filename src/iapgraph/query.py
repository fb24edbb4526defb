"""Ask the graph in SPARQL: a library query by name, a .rq file, or SPARQL text, with parameters.

Parameters are given by name and resolved the way people write them (``iap=cIAP1`` through the
entity aliases, ``study="Zarnegar 2008"`` against the review's citations), then bound into the
standard query text, so one text runs on every engine and on any remote endpoint.

>>> import iapgraph
>>> kg = iapgraph.load()
>>> r = kg.query("SELECT ?label WHERE { entity:XIAP rdfs:label ?label }")
>>> r.records()
[{'label': 'XIAP'}]
"""

from __future__ import annotations

import difflib
import os
import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import vocab
from .exceptions import UnknownEntity, UsageError
from .queries_library import LibraryQuery, Parameter, find, parse
from .resolve import normalize
from .sparql_engines import ENGINES, EndpointEngine, Engine, OxigraphEngine, RdflibEngine
from .sparql_results import Result
from .sparql_text import (
    QUERY_FORMS,
    UPDATE_FORMS,
    QuerySyntaxError,
    ServiceRefused,
    Token,
    add_prefixes,
    bind_values,
    check_local,
    iri,
    literal,
    position,
    tokens,
)

#: Prefixes a query may use without declaring them (library queries declare theirs anyway,
#: so they run unchanged on any endpoint). Also the CURIEs the table output shortens IRIs to.
PREFIXES: dict[str, str] = {
    "entity": vocab.ENTITY_NS,
    "stmt": vocab.STATEMENT_NS,
    "iap": vocab.VOCAB_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "biolink": "https://w3id.org/biolink/vocab/",
    "obo": "http://purl.obolibrary.org/obo/",
}

Params = Mapping[str, str | Sequence[str]]


def _values(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# --- parameter values -> SPARQL terms ----------------------------------------------------------

_STOP = {"et", "al", "and"}


def _citation_key(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.casefold()) if w not in _STOP]


def resolve_citation(kg: Any, value: str) -> list[str]:
    """The review's citations a user's wording means ('Zarnegar 2008', 'Eckelman 2006' -> both)."""
    cited = sorted({c for s in kg.dataset.statements for c in s.citations})
    key = _citation_key(value)
    exact = [c for c in cited if c == value or _citation_key(c) == key]
    if exact:
        return exact
    found = [c for c in cited if key and set(key) <= set(_citation_key(c))]
    if found:
        return found
    close = difflib.get_close_matches(value, cited, n=5, cutoff=0.4)
    hint = f"; did you mean: {'; '.join(close)}?" if close else ""
    raise UsageError(f"no statement cites {value!r}{hint}")


def _choose(value: str, options: Iterable[str], what: str) -> str:
    options = list(options)
    by_key = {normalize(o): o for o in options}
    if normalize(value) in by_key:
        return by_key[normalize(value)]
    close = difflib.get_close_matches(value, options, n=5, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}?" if close else f" (one of: {', '.join(options)})"
    raise UsageError(f"unknown {what} {value!r}{hint}")


def parameter_terms(kg: Any, parameter: Parameter, value: str) -> list[str]:
    """SPARQL terms for one parameter value, resolved by the parameter's type."""
    kind = parameter.type
    if kind == "entity":
        try:
            return [iri(vocab.ENTITY_NS + kg.resolve(value))]
        except UnknownEntity as exc:
            raise UsageError(f"--param {parameter.name}: {exc}") from None
    if kind == "citation":
        return [literal(c) for c in resolve_citation(kg, value)]
    if kind == "section":
        return [literal(_choose(value.removeprefix("section").strip(), vocab.SECTIONS, "section"))]
    if kind == "relation":
        labels = {r.label: r.name for r in vocab.RELATIONS.values()}
        chosen = _choose(value, [*vocab.RELATIONS, *labels], "relation")
        return [iri(vocab.VOCAB_NS + labels.get(chosen, chosen))]
    if kind == "kind":
        return [literal(_choose(value, vocab.KINDS, "entity kind"))]
    return [literal(value)]


def bind_parameters(kg: Any, lq: LibraryQuery, params: Params | None) -> dict[str, list[str]]:
    """Resolve the given parameters against the query's declared ones; check required ones."""
    values: dict[str, list[str]] = {}
    for name, given in (params or {}).items():
        parameter = lq.parameter(name)
        terms: list[str] = []
        for value in _values(given):
            terms += [t for t in parameter_terms(kg, parameter, value) if t not in terms]
        values[name] = terms
    missing = [p for p in lq.parameters if p.required and p.name not in values]
    if missing:
        p = missing[0]
        raise UsageError(f"query {lq.name!r} needs --param {p.name}=... ({p.description})")
    return values


# --- text checks before an engine sees the query ------------------------------------------------

_SCHEME = re.compile(r"^<[A-Za-z][A-Za-z0-9+.\-]*:")


def _first_keyword(found: list[Token]) -> Token | None:
    """The token after the prologue (PREFIX p: <iri> / BASE <iri>): where the query form must be."""
    index = 0
    while index < len(found) and found[index].kind == "word" and found[index].text.upper() in ("PREFIX", "BASE"):
        index += 3 if found[index].text.upper() == "PREFIX" else 2
    return found[index] if index < len(found) else None


def check_text(text: str, source: str) -> None:
    """Catch, with a precise position, what engines report vaguely: a misspelt query form
    (Oxigraph answers ``SELEC ?x`` with "expected CONSTRUCT" at a later column), an unterminated
    string, a relative IRI (``<XIAP>``, which engines resolve differently) without a BASE."""
    found = list(tokens(text))
    first = _first_keyword(found)
    if first is None or first.kind != "word" or first.text.upper() not in QUERY_FORMS + UPDATE_FORMS:
        line, column = position(text, first.start) if first else position(text, len(text))
        close = difflib.get_close_matches(first.text.upper(), QUERY_FORMS, n=1, cutoff=0.6) if first else []
        hint = f" (did you mean {close[0]}?)" if close else ""
        near = f"near '{first.text[:40]}': " if first else "empty query: "
        raise QuerySyntaxError(source, line, column, f"{near}expected SELECT, CONSTRUCT, DESCRIBE or ASK{hint}")
    has_base = re.search(r"(?i)\bBASE\b", text) is not None
    for tok in found:
        if tok.kind == "other" and tok.text in "\"'":
            line, column = position(text, tok.start)
            raise QuerySyntaxError(source, line, column, f"unterminated string starting with {tok.text}")
        if tok.kind == "iri" and not has_base and not _SCHEME.match(tok.text):
            line, column = position(text, tok.start)
            raise QuerySyntaxError(source, line, column,
                                   f"relative IRI {tok.text}: write a full IRI or a prefixed name "
                                   f"(entity:XIAP)")


@dataclass(frozen=True)
class Prepared:
    """A query ready to run: its text with the project prefixes declared, the parameter values
    (bound per engine, see :func:`iapgraph.sparql_text.bind_values`), where it came from, and how
    far line 1 was shifted by the added prefixes (to report the user's own columns). ``refused``
    is the message for a SERVICE clause, which the embedded engines must not run (a remote
    endpoint may federate as it likes)."""

    base: str
    values: Mapping[str, Sequence[str]]
    source: str
    shift: int = 0
    refused: str = ""

    def text_for(self, engine: Any) -> str:
        """The text for one engine: rdflib's gets the parameters at the end of the WHERE group."""
        at = "end" if getattr(engine, "name", "") == "rdflib" else "start"
        return bind_values(self.base, self.values, self.source, at)

    @property
    def text(self) -> str:
        return self.text_for(None)

    def run(self, engine: Engine, limit: int | None = None) -> Result:
        if self.refused and getattr(engine, "name", "") != "endpoint":
            raise ServiceRefused(self.refused)
        try:
            return engine.run(self.text_for(engine), self.source, limit)
        except QuerySyntaxError as exc:
            if exc.line == 1 and exc.column > self.shift > 0:
                message = str(exc).split(": syntax error: ", 1)[1]
                raise QuerySyntaxError(exc.source, 1, exc.column - self.shift, message) from None
            raise


def prepare(lq: LibraryQuery, values: Mapping[str, Sequence[str]] | None = None) -> Prepared:
    """Declare the project prefixes the query uses, and check the parameters can be bound."""
    source = "query" if str(lq.path) == "query" else str(lq.path)
    check_text(lq.text, source)
    refused = ""
    try:
        check_local(lq.text, source)  # UPDATE raises here; SERVICE only where the engine is local
    except ServiceRefused as exc:
        refused = str(exc)
    text, shift = add_prefixes(lq.text, PREFIXES, source)
    bind_values(text, dict(values or {}), source)  # a query without a WHERE group fails here
    return Prepared(text, dict(values or {}), source, shift, refused)


# --- engines ------------------------------------------------------------------------------------

_ENGINES: dict[tuple[str, str], Engine] = {}
_KG_ENGINES: weakref.WeakKeyDictionary[Any, dict[str, Engine]] = weakref.WeakKeyDictionary()


def _sources(kg: Any) -> list[str] | None:
    sources = list(getattr(kg.dataset, "sources", ()) or ())
    return sources if sources and all(os.path.isdir(s) for s in sources) else None


def engine_for(name: str = "oxigraph", *, kg: Any = None,
               graph_dirs: Sequence[str | os.PathLike[str]] | None = None,
               endpoint: str | None = None) -> Engine:
    """An engine over the graph (kept for the process), or a remote endpoint.

    The Oxigraph store loads the cached N-Triples (no rdflib import); rdflib's engine runs over
    the project's own rdflib build of the graph.
    """
    if endpoint:
        return EndpointEngine(endpoint)
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r} (one of: {', '.join(ENGINES)})")
    from .rdf_cache import build_ntriples, ntriples_path

    if kg is not None and _sources(kg) is None:  # a graph built in memory, not from folders
        per_kg = _KG_ENGINES.setdefault(kg, {})
        if name not in per_kg:
            per_kg[name] = (OxigraphEngine(build_ntriples(kg)) if name == "oxigraph"
                            else RdflibEngine.from_kg(kg))
        return per_kg[name]
    dirs = _sources(kg) if kg is not None else (list(graph_dirs) if graph_dirs else None)
    if name == "oxigraph":
        path = ntriples_path(dirs)
        key = ("oxigraph", str(path))
        if key not in _ENGINES:
            _ENGINES[key] = OxigraphEngine(path)
        return _ENGINES[key]
    from .kg import load

    graph = kg if kg is not None else load(dirs)
    per_kg = _KG_ENGINES.setdefault(graph, {})
    if "rdflib" not in per_kg:
        per_kg["rdflib"] = RdflibEngine.from_kg(graph)
    return per_kg["rdflib"]


def as_library_query(query: str) -> LibraryQuery:
    """A library name, a .rq path, or SPARQL text (anything with a space or a brace)."""
    if any(ch in query for ch in " \n\t{"):
        return parse(Path("query"), query)
    return find(query)


def query(kg: Any, query: str, params: Params | None = None, *, engine: str = "oxigraph",
          endpoint: str | None = None, limit: int | None = None) -> Result:
    """Run a library query (by name), a .rq file or SPARQL text on the graph or an endpoint.

    ``params`` maps a declared parameter to a value or a list of values (names resolve through
    aliases). Returns a :class:`iapgraph.sparql_results.Result`; ``.records()`` gives dicts.
    """
    lq = as_library_query(query)
    prepared = prepare(lq, bind_parameters(kg, lq, params))
    return prepared.run(engine_for(engine, kg=kg, endpoint=endpoint), limit)
