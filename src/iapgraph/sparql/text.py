"""SPARQL as text: find the query form, the prefixes used and declared, and where to bind parameters.

Parameters are bound by writing a ``VALUES ?name { ... }`` block into the query's WHERE group, so
the same standard text runs on Oxigraph, rdflib and any SPARQL 1.1 endpoint (no engine-specific
pre-binding). Where in the group depends on the engine, because their planners differ: Oxigraph
and remote stores use a block at the start to look up only the bound rows (a two-entity lookup
on a million triples: 2 ms instead of 3 s); rdflib evaluates a join whose left side holds another
join without passing bindings down, by nested loops, so for it a block at the start turns every
later join of the group into that slow kind, and the block goes at the end (one cheap join with
the finished group). For a parameter bound in a mandatory pattern of the group, as the library's
are, both give the same answer; the library's parity test checks it.

>>> bind_values("SELECT ?x WHERE { ?x ?p ?o }", {"x": ["<http://a>"]})
'SELECT ?x WHERE { VALUES ?x { <http://a> } ?x ?p ?o }'
>>> bind_values("SELECT ?x WHERE { ?x ?p ?o }", {"x": ["<http://a>"]}, at="end")
'SELECT ?x WHERE { ?x ?p ?o VALUES ?x { <http://a> } }'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..exceptions import QuerySyntaxError, ReadOnlyError, ServiceRefused

_TOKEN = re.compile(r'''
  (?P<comment>\#[^\n]*)
| (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
             |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
| (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
| (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
| (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.]*)?:(?:[\w\-:%]|\\.|\.(?=[\w\-:%]))*)
| (?P<word>[A-Za-z_][\w\-]*)
| (?P<punct>[{}()\[\].,;])
| (?P<other>\S)
''', re.X)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")






@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """Significant tokens (comments dropped) with their offsets."""
    for m in _TOKEN.finditer(text):
        if m.lastgroup != "comment":
            yield Token(m.lastgroup or "other", m.group(0), m.start())


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE, or the update keyword (INSERT ...); '' when none.

    >>> query_form("PREFIX a: <http://a/> # x\\n ask { ?s ?p ?o }")
    'ASK'
    """
    for tok in tokens(text):
        if tok.kind == "word":
            word = tok.text.upper()
            if word in ("PREFIX", "BASE"):
                continue
            return word if word in QUERY_FORMS + UPDATE_FORMS else ""
    return ""


def declared_prefixes(text: str) -> set[str]:
    found: set[str] = set()
    previous = None
    for tok in tokens(text):
        if previous is not None and previous.kind == "word" and previous.text.upper() == "PREFIX" \
                and tok.kind == "pname":
            found.add(tok.text.split(":", 1)[0])
        previous = tok
    return found


def used_prefixes(text: str) -> dict[str, int]:
    """Prefixes of the prefixed names in the query body -> offset of their first use."""
    used: dict[str, int] = {}
    previous = None
    for tok in tokens(text):
        after_prefix = previous is not None and previous.kind == "word" and previous.text.upper() == "PREFIX"
        if tok.kind == "pname" and not after_prefix:
            used.setdefault(tok.text.split(":", 1)[0], tok.start)
        previous = tok
    return used


def add_prefixes(text: str, known: Mapping[str, str], source: str = "query") -> tuple[str, int]:
    """Declare the project's prefixes a query uses without declaring them.

    They go on the first line, so error lines stay right; returns the text and how many
    characters were added (to correct line-1 columns). An unknown undeclared prefix is a
    syntax error naming it.
    """
    declared = declared_prefixes(text)
    missing = {p: off for p, off in used_prefixes(text).items() if p not in declared}
    unknown = {p: off for p, off in missing.items() if p not in known}
    if unknown:
        prefix, offset = min(unknown.items(), key=lambda kv: kv[1])
        line, column = position(text, offset)
        raise QuerySyntaxError(source, line, column,
                               f"undeclared prefix '{prefix}:'; declare it with PREFIX "
                               f"(built in: {', '.join(sorted(known))})")
    if not missing:
        return text, 0
    head = "".join(f"PREFIX {p}: <{known[p]}> " for p in sorted(missing))
    return head + text, len(head)


def where_brace(text: str) -> int | None:
    """Offset of the ``{`` that opens the outermost WHERE group (None when there is none)."""
    depth = 0
    seen_where = False
    form = ""
    for tok in tokens(text):
        if tok.kind == "word" and depth == 0:
            word = tok.text.upper()
            if word == "WHERE":
                seen_where = True
            elif word in QUERY_FORMS and not form:
                form = word
        elif tok.text == "{":
            if depth == 0 and (seen_where or form in ("SELECT", "ASK")):
                return tok.start
            depth += 1
        elif tok.text == "}":
            depth -= 1
    return None


def where_group_end(text: str) -> int | None:
    """Offset of the ``}`` that closes the outermost WHERE group (None when there is none)."""
    start = where_brace(text)
    if start is None:
        return None
    depth = 0
    for tok in tokens(text):
        if tok.start < start:
            continue
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
            if depth == 0:
                return tok.start
    return None


def variables(text: str) -> set[str]:
    """Names of the variables the query mentions."""
    return {t.text[1:] for t in tokens(text) if t.kind == "var"}


def bind_values(text: str, values: Mapping[str, Sequence[str]], source: str = "query",
                at: str = "start") -> str:
    """Bind parameters: ``VALUES ?name { term ... }`` at the start (or end) of the WHERE group.

    ``values`` maps a variable name to terms already written in SPARQL syntax.
    """
    if not values:
        return text
    where = where_brace(text) if at == "start" else where_group_end(text)
    if where is None:
        raise QuerySyntaxError(source, 1, 1, "parameters need a WHERE { ... } group to bind into")
    clauses = " ".join(f"VALUES ?{name} {{ {' '.join(terms)} }}" for name, terms in values.items())
    if at == "start":
        return f"{text[:where + 1]} {clauses}{text[where + 1:]}"
    return f"{text[:where].rstrip()} {clauses} {text[where:]}"


def check_readonly(text: str) -> None:
    """Refuse SPARQL UPDATE before any engine sees it."""
    form = query_form(text)
    if form in UPDATE_FORMS:
        raise ReadOnlyError(f"{form} is SPARQL UPDATE; the graph is read-only (edit graph/*.tsv instead)")


def check_local(text: str, source: str = "query") -> None:
    """Refuse what a local engine must not do: UPDATE, and SERVICE, which Oxigraph and rdflib
    would answer by connecting to the named server (Oxigraph even resolves its host name first).

    >>> check_local("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    iapgraph.exceptions.ServiceRefused: query:1:18: SERVICE <http://example.org/sparql> refused: ...
    """
    check_readonly(text)
    found = list(tokens(text))
    for index, tok in enumerate(found):
        if tok.kind == "word" and tok.text.upper() == "SERVICE":
            following = [t.text for t in found[index + 1:index + 3] if t.text.upper() != "SILENT"]
            target = following[0] if following else ""
            line, column = position(text, tok.start)
            raise ServiceRefused(f"{source}:{line}:{column}: SERVICE {target} refused: queries are answered "
                                 "from this graph only, never by other servers")


def iri(value: str) -> str:
    """An IRI in SPARQL syntax."""
    return f"<{value}>"


def literal(value: str, datatype: str | None = None) -> str:
    """A string literal in SPARQL syntax (escaped), optionally typed."""
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"' + (f"^^<{datatype}>" if datatype else "")
