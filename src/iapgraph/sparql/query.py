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

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import vocab
from ..cache import memo
from ..exceptions import (
    QuerySyntaxError,
    ServiceRefused,
    UnknownEntity,
    UsageError,
    did_you_mean,
    suggest,
)
from ..model import GraphView
from ..resolve import normalize
from .engines import ENGINES, MAX_ANSWER_BYTES, Dataset, EndpointEngine, Engine, OxigraphEngine, RdflibEngine
from .library import LibraryQuery, Parameter, find, library, parse
from .order import OrderKey, first_rows, sort_rows, split_order
from .results import Result
from .text import (
    QUERY_FORMS,
    UPDATE_FORMS,
    Token,
    add_prefixes,
    bind_values,
    check_local,
    iri,
    literal,
    position,
    prepend,
    tokens,
)

#: Prefixes a query may use without declaring them (library queries declare theirs anyway,
#: so they run unchanged on any endpoint). Also the CURIEs the table output shortens IRIs to.
PREFIXES: dict[str, str] = {
    "entity": vocab.ENTITY_NS, "stmt": vocab.STATEMENT_NS, "iap": vocab.VOCAB_NS, **vocab.STANDARD_PREFIXES,
}

Params = Mapping[str, str | Sequence[str]]


def _values(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# --- parameter values -> SPARQL terms ----------------------------------------------------------

_STOP = {"et", "al", "and"}


def _citation_key(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.casefold()) if w not in _STOP]


def resolve_citation(kg: GraphView, value: str) -> list[str]:
    """The review's citations a user's wording means ('Zarnegar 2008', 'Eckelman 2006' -> both)."""
    cited = sorted({c for s in kg.dataset.statements for c in s.citations})
    key = _citation_key(value)
    exact = [c for c in cited if c == value or _citation_key(c) == key]
    if exact:
        return exact
    found = [c for c in cited if key and set(key) <= set(_citation_key(c))]
    if found:
        return found
    raise UsageError(f"no statement cites {value!r}{did_you_mean(value, cited, n=5, cutoff=0.4, sep='; ')}")


def _choose(value: str, options: Iterable[str], what: str) -> str:
    options = list(options)
    by_key = {normalize(o): o for o in options}
    if normalize(value) in by_key:
        return by_key[normalize(value)]
    hint = did_you_mean(value, options, n=5, cutoff=0.5, otherwise=f" (one of: {', '.join(options)})")
    raise UsageError(f"unknown {what} {value!r}{hint}")


#: A value written ``=NAME`` matches that entity only, not its subtypes.
EXACT_MARK = "="


def entity_and_subtypes(kg: GraphView, entity_id: str) -> list[str]:
    """The entity and every subtype of it down the ontology hierarchy (is_a links), nearest first."""
    from ..hierarchy import Hierarchy

    index = memo(kg.dataset, "hierarchy-index", lambda: Hierarchy(kg.dataset.hierarchy))
    return [entity_id, *index.descendants(entity_id)]


def parameter_terms(kg: GraphView, parameter: Parameter, value: str, *, exact: bool = False) -> list[str]:
    """SPARQL terms for one parameter value, resolved by the parameter's type.

    An entity stands for itself and its subtypes (``cancer=lung`` binds lung cancer, lung
    carcinoma, NSCLC and SCLC), unless ``exact`` or the value starts with ``=`` (``cancer==lung``).
    """
    kind = parameter.type
    if kind == "entity":
        if value.startswith(EXACT_MARK):
            value, exact = value[len(EXACT_MARK):].strip(), True
        try:
            entity_id = kg.resolve(value)
        except UnknownEntity as exc:
            raise UsageError(f"--param {parameter.name}: {exc}") from None
        ids = [entity_id] if exact else entity_and_subtypes(kg, entity_id)
        return [iri(vocab.ENTITY_NS + i) for i in ids]
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


def bind_parameters(kg: GraphView, lq: LibraryQuery, params: Params | None, *,
                    exact: bool = False) -> dict[str, list[str]]:
    """Resolve the given parameters against the query's declared ones; check required ones.
    ``exact`` binds entity parameters to the named entities only, not their subtypes."""
    values: dict[str, list[str]] = {}
    for name, given in (params or {}).items():
        parameter = lq.parameter(name)
        terms: list[str] = []
        for value in _values(given):
            terms += [t for t in parameter_terms(kg, parameter, value, exact=exact) if t not in terms]
        values[name] = terms
    missing = [p for p in lq.parameters if p.required and p.name not in values]
    if missing:
        p = missing[0]
        raise UsageError(f"query {lq.name!r} needs --param {p.name}=... ({p.description})")
    return values


# --- text checks before an engine sees the query ------------------------------------------------

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
        close = suggest(first.text.upper(), QUERY_FORMS, n=1) if first else []
        hint = f" (did you mean {close[0]}?)" if close else ""
        near = f"near '{first.text[:40]}': " if first else "empty query: "
        raise QuerySyntaxError(source, line, column, f"{near}expected SELECT, CONSTRUCT, DESCRIBE or ASK{hint}")
    for tok in found:
        if tok.kind == "other" and tok.text in "\"'":
            line, column = position(text, tok.start)
            raise QuerySyntaxError(source, line, column, f"unterminated string starting with {tok.text}")
    # relative IRIs, SERVICE and UPDATE are decided by check_local (see iapgraph.sparql.text), not here


def unshift(exc: QuerySyntaxError, shift: int) -> QuerySyntaxError:
    """An error on line 1 of the text with added declarations, at the user's own column.

    Args:
        exc: the error an engine raised for the prepared text.
        shift: how many characters the declarations added on line 1.

    Returns:
        The error at the user's own column.
    """
    if exc.line == 1 and exc.column > shift > 0:
        message = str(exc).split(": syntax error: ", 1)[1]
        return QuerySyntaxError(exc.source, 1, exc.column - shift, message)
    return exc


@dataclass(frozen=True)
class Prepared:
    """A query ready to run: its text with the project prefixes declared, the parameter values
    (bound per engine, see :func:`iapgraph.sparql.text.bind_values`), where it came from, and how
    far line 1 was shifted by the added prefixes (to report the user's own columns). ``refused``
    is the message for a SERVICE clause, which the embedded engines must not run (a remote
    endpoint may federate as it likes)."""

    base: str
    values: Mapping[str, Sequence[str]]
    source: str
    shift: int = 0
    refused: str = ""
    form: str = ""
    #: a library query's text without its final ORDER BY and that clause's keys, for Oxigraph
    #: (see :mod:`iapgraph.sparql.order`); None when Oxigraph sorts as written
    unordered: tuple[str, tuple[OrderKey, ...]] | None = None

    def text_for(self, engine: Any) -> str:
        """The text for one engine: rdflib's gets the parameters at the end of the WHERE group."""
        at = "end" if getattr(engine, "name", "") == "rdflib" else "start"
        return bind_values(self.base, self.values, self.source, at)

    @property
    def text(self) -> str:
        return self.text_for(None)

    def run(self, engine: Engine, limit: int | None = None, *, max_bytes: int | None = None,
            dataset: Dataset | None = None) -> Result:
        if self.refused and getattr(engine, "name", "") != "endpoint":
            raise ServiceRefused(self.refused)
        try:
            if self.unordered is not None and getattr(engine, "name", "") == "oxigraph":
                head, keys = self.unordered
                text = bind_values(head, self.values, self.source, "start")
                result = engine.run(text, self.source, None, max_bytes=max_bytes, dataset=dataset)
                if not result.truncated and sort_rows(result, keys):
                    return first_rows(result, limit)
            return engine.run(self.text_for(engine), self.source, limit, max_bytes=max_bytes, dataset=dataset)
        except QuerySyntaxError as exc:
            raise unshift(exc, self.shift) from None


def prepare(lq: LibraryQuery, values: Mapping[str, Sequence[str]] | None = None,
            base: str | None = None) -> Prepared:
    """Declare the project prefixes the query uses (and ``base``, the service's own IRI, against
    which relative IRIs resolve), parse the result, and check the parameters can be bound."""
    source = "query" if str(lq.path) == "query" else str(lq.path)
    check_text(lq.text, source)
    text, shift = add_prefixes(lq.text, PREFIXES, source)
    if base is not None:
        head = f"BASE {iri(base)} "
        text, shift = prepend(head, text), shift + len(head)
    refused, form = "", ""
    try:
        form = check_local(text, source).form  # UPDATE raises here; SERVICE only where the engine is local
        # (a syntax error may not: an unparsed text's is raised by the engine that refuses it)
    except ServiceRefused as exc:
        refused = str(exc)
        if refused.startswith(f"{source}:1:") and shift:  # the user's own column on line 1
            column, rest = refused[len(source) + 3:].split(":", 1)
            refused = f"{source}:1:{int(column) - shift}:{rest}"
    except QuerySyntaxError as exc:
        raise unshift(exc, shift) from None
    try:
        bind_values(text, dict(values or {}), source)  # a query without a WHERE group fails here
    except QuerySyntaxError:
        try:  # unless it is not SPARQL at all: that error first, as when every text was parsed
            check_local(text, source, full=True)
        except ServiceRefused:
            pass
        except QuerySyntaxError as exc:
            raise unshift(exc, shift) from None
        raise
    unordered = split_order(text) if _in_library(lq) and form == "SELECT" else None
    return Prepared(text, dict(values or {}), source, shift, refused, form, unordered)


def _in_library(lq: LibraryQuery) -> bool:
    """A query of the project's own library (whose texts the tests run both ways), not a user's."""
    return lq.path != Path("query") and library().get(lq.name) == lq


# --- engines ------------------------------------------------------------------------------------

def engine_for(name: str = "oxigraph", *, kg: GraphView, endpoint: str | None = None) -> Engine:
    """An engine over the graph (kept while its dataset lives), or a remote endpoint.

    Args:
        name: ``oxigraph`` (loads the graph's cached N-Triples, no rdflib import) or ``rdflib``
            (rdflib's engine over the project's own rdflib build of the graph).
        kg: the loaded graph.
        endpoint: a SPARQL 1.1 endpoint URL to ask instead.

    Returns:
        The engine.

    Raises:
        UsageError: an unknown engine name.
    """
    if endpoint:
        return EndpointEngine(endpoint)
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r} (one of: {', '.join(ENGINES)})")
    if name == "oxigraph":
        return memo(kg.dataset, ("engine", name), lambda: OxigraphEngine(kg.ntriples()))
    from ..rdf import to_rdf  # rdflib: only for its own engine

    return memo(kg.dataset, ("engine", name), lambda: RdflibEngine(to_rdf(kg.dataset)))


def as_library_query(query: str, *, is_text: bool | None = None) -> LibraryQuery:
    """A library name, a .rq path, or SPARQL text (anything with a space or a brace, or
    ``is_text=True``)."""
    if is_text or (is_text is None and any(ch in query for ch in " \n\t{")):
        return parse(Path("query"), query)
    return find(query)


def query(kg: GraphView, query: str, params: Params | None = None, *, engine: str = "oxigraph",
          endpoint: str | None = None, limit: int | None = None, timeout: float | None = None,
          is_text: bool | None = None, max_bytes: int | None = MAX_ANSWER_BYTES,
          exact: bool = False) -> Result:
    """Run a library query (by name), a .rq file or SPARQL text on the graph or an endpoint.

    Args:
        kg: the loaded graph.
        query: a library name, a .rq path, or SPARQL text.
        params: a value or a list of values per declared parameter (names resolve through aliases).
        engine: ``oxigraph`` or ``rdflib``.
        endpoint: a SPARQL 1.1 endpoint to ask instead.
        limit: at most this many rows.
        timeout: seconds; the query runs in a worker process that is killed when it overruns
            (with ``endpoint``, the time allowed for the answer).
        is_text: True takes ``query`` as SPARQL text whatever it looks like.
        max_bytes: stop collecting rows (or CONSTRUCT triples) when their terms pass this many
            bytes (``Result.cut == "bytes"``); None for no cap.
        exact: entity parameters match the named entity only (by default its subtypes too).

    Returns:
        The result; ``.records()`` gives dicts.

    Raises:
        UnknownQuery, QuerySyntaxError, RefusedQuery, QueryTimeout, EndpointError, UsageError.
    """
    lq = as_library_query(query, is_text=is_text)
    prepared = prepare(lq, bind_parameters(kg, lq, params, exact=exact))
    if endpoint:
        return prepared.run(EndpointEngine(endpoint, timeout=timeout or 120.0), limit, max_bytes=max_bytes)
    if timeout is not None:
        from .workers import TimedEngine

        if engine not in ENGINES:
            raise UsageError(f"unknown engine {engine!r} (one of: {', '.join(ENGINES)})")
        with TimedEngine(engine, kg.ntriples(), timeout) as timed:
            return prepared.run(timed, limit, max_bytes=max_bytes)
    from .fence import FencedEngine

    return prepared.run(FencedEngine(engine_for(engine, kg=kg)), limit, max_bytes=max_bytes)
