r"""SPARQL as text: find the query form, the prefixes used and declared, and where to bind parameters;
and decide what a local engine may run (:func:`check_local`).

Whether a query holds SERVICE, UPDATE or LOAD is never decided by the token scanner below, whose
idea of where a comment or a string ends may differ from an engine's (``# x\rSERVICE ...``). It
is decided either by rdflib's parse of the text, or by this argument, which needs no parse: the
text :func:`check_local` hands on (:func:`canonical_text`: line ends as ``\n``, every ``\uXXXX``
escape expanded, none left that spells another) is the exact text the engine runs, and a SERVICE
clause, for any engine, is the keyword SERVICE spelt in letters in that text (keywords are not
escapable, and none remain to expand). A text in which the letters ``service`` do not occur in
any case (``re.search("service", text, re.I)``, which also folds look-alikes such as U+017F, and
``"service" in text.lower()``) therefore holds no SERVICE clause, wherever an engine thinks its
comments and strings end. UPDATE and LOAD cannot run through Oxigraph's ``Store.query`` or
rdflib's ``Graph.query`` at all: both parse queries only. Such a text whose first keyword is
SELECT, ASK, CONSTRUCT or DESCRIBE, that has no relative IRI and no number of 19 digits or more
(a LIMIT or OFFSET beyond :data:`MAX_SLICE`), is handed on unparsed (``Checked.parsed`` False);
every other text is parsed by rdflib as before. What the parse also decided is kept: an engine
that refuses an unparsed text has it parsed by :func:`confirm` first, so a syntax error, a
relative IRI or an oversized LIMIT reads as it did; rdflib's own engine always parses (it parses
to run anyway, and ``FROM`` makes it fetch graphs). Only a text that Oxigraph accepts and rdflib's
parser would refuse (RDF-star, say) now runs instead of being refused.

The token scanner serves messages and placement (where a WHERE group opens, which prefixes a
query uses), the query form, and the FROM clauses of an unparsed text.

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
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from ..exceptions import QuerySyntaxError, ReadOnlyError, ServiceRefused

_TOKEN = re.compile(r'''
  (?P<comment>\#[^\n\r]*)
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
MAX_SLICE = (1 << 63) - 1  # Oxigraph's LIMIT and OFFSET are 64-bit

class Token(NamedTuple):
    """One significant token: its kind (a group of the scanner's pattern), text and offset."""

    kind: str
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """Significant tokens (comments dropped) with their offsets."""
    if len(text) > _REMEMBERED_TEXT:
        return _scan_tokens(text)
    found = _TOKENS.get(text)  # one query is scanned several times on its way to an engine
    if found is None:
        found = _remember(text, tuple(_scan_tokens(text)))
    return iter(found)


_REMEMBERED_TEXT = 16_384  # characters: the tokens of shorter texts are remembered (the last 32)
_TOKENS: OrderedDict[str, tuple[Token, ...]] = OrderedDict()
_TOKENS_LOCK = threading.Lock()


def _remember(text: str, found: tuple[Token, ...]) -> tuple[Token, ...]:
    with _TOKENS_LOCK:
        _TOKENS[text] = found
        while len(_TOKENS) > 32:
            _TOKENS.popitem(last=False)
    return found


def _scan_tokens(text: str) -> Iterator[Token]:
    make = tuple.__new__  # a Token without the keyword handling of its constructor
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind != "comment":
            yield make(Token, (kind or "other", m.group(), m.start()))


def prepend(head: str, text: str) -> str:
    """``head + text``, whose tokens are those of ``head`` and then those of ``text`` moved along
    (remembered, so the joined text is not scanned again), when ``head`` is declarations
    (``PREFIX p: <iri> ``, ``BASE <iri> ``) each ended by a space: no token of such a head, no
    string or comment, can run on into ``text``.

    >>> prepend("PREFIX a: <http://a/> ", "ASK { ?s a:p ?o }")
    'PREFIX a: <http://a/> ASK { ?s a:p ?o }'
    """
    joined = head + text
    if len(joined) <= _REMEMBERED_TEXT and _DECLARATIONS.fullmatch(head):
        shift = len(head)
        make = tuple.__new__
        _remember(joined, (*tokens(head), *(make(Token, (t.kind, t.text, t.start + shift)) for t in tokens(text))))
    return joined  # otherwise scanned as any text when asked for


_DECLARATIONS = re.compile(r"(?:(?:PREFIX [A-Za-z][\w\-]*: |BASE )<[^<>\"{}|^`\\\x00-\x20]*> )+")


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
    return prepend(head, text), len(head)


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


_ESCAPE = re.compile(r"\\u([0-9a-f]{4}(?:[0-9a-f]{4})?)", re.I)  # rdflib's own pattern
_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True)
class Checked:
    """A query decided for a local engine: ``text`` is exactly what was decided on and what the
    engine must run; ``form`` is the query form; ``dataset`` says the text names graphs (FROM /
    FROM NAMED). ``parsed``: read by a real SPARQL parser (rdflib's), which gave the form (from
    its algebra) and the dataset; False when the text was let through unparsed (see the module
    docstring: no ``service`` letters), the form and dataset then coming from the token scanner,
    and an engine that refuses the text calls :func:`confirm` for the parser's error.
    ``based``: a relative IRI was allowed (the caller gives a base)."""

    text: str
    form: str
    dataset: bool = False
    parsed: bool = True
    based: bool = False


def expand_escapes(text: str) -> str:
    r"""Every ``\uXXXX`` and ``\UXXXXXXXX`` escape replaced by its character, in one pass: what
    rdflib's ``expandUnicodeEscapes`` does (same pattern, same ``ValueError``), without importing
    rdflib's SPARQL parser.

    >>> expand_escapes(r'"caf\u00e9" \U0001F600') == '"café" \N{GRINNING FACE}'
    True
    """

    def expand(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1), 16))
        except (ValueError, OverflowError) as e:
            raise ValueError("Invalid unicode code point: " + m.group(1)) from e

    return _ESCAPE.sub(expand, text)


_NUL_OR_SURROGATE = re.compile("[\0\ud800-\udfff]")


def canonical_text(text: str, source: str = "query") -> str:
    r"""The text both parsers read alike: line ends as ``\n`` (Oxigraph ends a comment at
    ``\r``, rdflib only at ``\n``) and ``\uXXXX`` escapes expanded once (rdflib expands them
    everywhere before parsing, Oxigraph only inside strings and IRIs). The price: a bare carriage
    return inside a long string becomes a line feed, and an escaped quote inside a string
    (``"a\u0022b"``) becomes a real one, which no longer parses."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        expanded = expand_escapes(text)
    except ValueError:
        found = next(m for m in _ESCAPE.finditer(text) if int(m.group(1), 16) > 0x10FFFF)
        line, column = position(text, found.start())
        raise QuerySyntaxError(source, line, column, f"\\U{found.group(1)} is not a Unicode "
                               "character (at most \\U0010FFFF)") from None
    again = _ESCAPE.search(expanded)
    if again:
        line, column = position(expanded, again.start())
        raise QuerySyntaxError(source, line, column, "a \\u escape that spells another escape: "
                               "write the character itself")
    bad = _NUL_OR_SURROGATE.search(expanded)
    if bad is not None:
        line, column = position(expanded, bad.start())
        raise QuerySyntaxError(source, line, column, "a NUL or a lone surrogate is not SPARQL text")
    return expanded


def _walk(node: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Every node of a parse tree or an algebra (CompValues are dicts; lists and tuples hold more)."""
    seen = set() if seen is None else seen
    stack = [node]
    while stack:  # iterative: a deeply nested query must not hit the recursion limit
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, (list, tuple, set, frozenset)) or type(current).__name__ == "ParseResults":
            stack.extend(list(current))


def _name(node: Any) -> str:
    return str(getattr(node, "name", "")) if isinstance(node, dict) else ""


def _offset_of(text: str, word: str) -> int:
    """Where a keyword (or an IRI) first is, for the message only; 0 when the tokenizer cannot say."""
    return next((t.start for t in tokens(text) if t.text.upper() == word.upper()), 0)


def _service(source: str, text: str, offset: int, target: str) -> ServiceRefused:
    line, column = position(text, offset)
    return ServiceRefused(f"{source}:{line}:{column}: SERVICE {target} refused: queries are answered "
                          "from this graph only, never by other servers")


#: pyparsing is not thread-safe (its parse actions learn their arity on first call, its packrat
#: cache is shared): the endpoint's request threads parse one at a time
_PARSER_LOCK = threading.Lock()


def _check(text: str, source: str, based: bool) -> Checked:
    with _PARSER_LOCK:
        return _check_unlocked(text, source, based)


@lru_cache(maxsize=512)
def _check_unlocked(text: str, source: str, based: bool) -> Checked:
    from pyparsing import ParseException
    from rdflib import URIRef
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except ParseException as exc:
        try:
            update = parseUpdate(text)
        except ParseException:
            update = None
        if update is not None and update.get("request"):
            form = query_form(text) or _name(update["request"][0]).upper()
            raise ReadOnlyError(f"{form} is SPARQL UPDATE; the graph is read-only "
                                "(edit graph/*.tsv instead)") from None
        # rdflib fails on any SERVICE after an IRI with '#' on the same line (its postParse searches
        # the whole text again, taking the '#' for a comment): refused all the same, as SERVICE
        found = list(tokens(text))
        for index, tok in enumerate(found):
            if tok.kind == "word" and tok.text.upper() == "SERVICE":
                target = next((t.text for t in found[index + 1:index + 3] if t.text.upper() != "SILENT"), "")
                raise _service(source, text, tok.start, target) from None
        raise syntax_error(text, source, exc) from None
    nodes = list(_walk(tree))
    if not based and not any(_name(n) == "Base" for n in nodes):
        relative = {f"<{n}>" for n in nodes if isinstance(n, URIRef) and not _SCHEME.match(str(n))}
        if relative:
            first = min(relative, key=lambda r: (_offset_of(text, r) or len(text), r))
            line, column = position(text, _offset_of(text, first))
            raise QuerySyntaxError(source, line, column, f"relative IRI {first}: write a full IRI "
                                   "or a prefixed name (entity:XIAP)")
    try:
        algebra = translateQuery(tree).algebra
    except Exception as exc:  # an undeclared prefix, a variable bound twice ...
        raise QuerySyntaxError(source, 1, 1, " ".join(str(exc).split())[:300] or "invalid query") from None
    services = [n for n in nodes + list(_walk(algebra)) if _name(n) == "ServiceGraphPattern"]
    if services:
        term = services[0].get("term")
        target = f"<{term}>" if isinstance(term, URIRef) else (term.n3() if term is not None else "")
        raise _service(source, text, _offset_of(text, "SERVICE"), target)
    for node in _walk(algebra):
        if _name(node) == "Slice":
            for key, word in (("length", "LIMIT"), ("start", "OFFSET")):
                value = node.get(key)
                if isinstance(value, int) and value > MAX_SLICE:
                    line, column = position(text, _offset_of(text, word))
                    raise QuerySyntaxError(source, line, column, f"{word} {value} is too large "
                                           f"(at most {MAX_SLICE})")
    return Checked(text, _FORMS.get(_name(algebra), ""), bool(algebra.get("datasetClause")))


def check_local(text: str, source: str = "query", based: bool = False, *, full: bool = False) -> Checked:
    r"""Decide what a local engine may run: refuse UPDATE (LOAD included) and SERVICE, which
    Oxigraph and rdflib would answer by connecting to the named server; return the exact text to
    run (:func:`canonical_text` of ``text``). A text without the letters ``service`` that the
    scanner reads as a query, with no relative IRI and no oversized number, is handed on unparsed
    (see the module docstring); any other, or any with ``full``, is parsed with rdflib's SPARQL
    parser and refused from what it parsed. A relative IRI is refused unless the text or the
    caller (``based``) gives a base.

    Args:
        text: the query.
        source: its name in messages.
        based: the caller gives a base IRI, so relative IRIs are allowed.
        full: always parse (for rdflib's engine, which reads ``FROM`` as "fetch this graph").

    Returns:
        What to run, its form and whether it names graphs.

    Raises:
        ServiceRefused: a SERVICE clause.
        ReadOnlyError: SPARQL UPDATE.
        QuerySyntaxError: not SPARQL rdflib reads, a relative IRI, LIMIT or OFFSET too large.

    >>> check_local("SELECT * WHERE { ?s ?p ?o # x\rSERVICE <http://example.org/sparql> { ?s ?p ?o }\n}")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    iapgraph.exceptions.ServiceRefused: query:2:1: SERVICE <http://example.org/sparql> refused: ...
    >>> check_local("ASK { ?s ?p ?o }")
    Checked(text='ASK { ?s ?p ?o }', form='ASK', dataset=False, parsed=False, based=False)
    """
    if len(text) <= _REMEMBERED_TEXT:  # a query is checked more than once on its way to an engine
        return _check_local_remembered(text, source, based, full)
    return _check_local(text, source, based, full)


@lru_cache(maxsize=32)
def _check_local_remembered(text: str, source: str, based: bool, full: bool) -> Checked:
    return _check_local(text, source, based, full)  # a refusal (an exception) is not remembered


def _check_local(text: str, source: str, based: bool, full: bool) -> Checked:
    canonical = canonical_text(text, source)
    scanned = None if full else _scan(canonical, based)
    return scanned if scanned is not None else _check(canonical, source, based)


_SERVICE = re.compile("service", re.I)
_LONG_NUMBER = re.compile(r"[0-9]{19}")  # MAX_SLICE has 19 digits: any number this long is parsed


def _scan(text: str, based: bool) -> Checked | None:
    """The decision for a canonical text that needs no parse (see the module docstring), or None."""
    if _SERVICE.search(text) or "service" in text.lower() or _LONG_NUMBER.search(text):
        return None
    form = query_form(text)
    if form not in QUERY_FORMS:
        return None
    depth, dataset = 0, False
    for tok in tokens(text):
        if tok.kind == "iri" and not based and not _SCHEME.match(tok.text[1:-1]):
            return None  # the parse words the relative IRI's refusal
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
        elif depth == 0 and tok.kind == "word" and tok.text.upper() == "FROM":
            dataset = True
    return Checked(text, form, dataset, parsed=False, based=based)


def confirm(checked: Checked, source: str = "query") -> None:
    """For a text an engine refused: when it was handed on unparsed, parse it now, raising what
    :func:`check_local`'s parse would have raised (a syntax error in rdflib's words, a relative
    IRI, LIMIT too large), so the refusal reads as it did; otherwise (and when the parse accepts
    the text) return, and the engine's own error stands.

    Args:
        checked: what :func:`check_local` returned for the text.
        source: the query's name in messages.

    Raises:
        QuerySyntaxError: what the parse refused.
        RefusedQuery: SERVICE or UPDATE as the parse reads it (never, for an unparsed text).
    """
    if not checked.parsed:
        _check(checked.text, source, checked.based)


def syntax_error(text: str, source: str, exc: Exception) -> QuerySyntaxError:
    """The error for a text rdflib's parser refused. Oxigraph words errors better, so it is asked
    too, safely: with a NUL after the text, which no SPARQL can contain, it can never parse it and
    so never runs anything; an error it places inside the text is reported, else rdflib's own."""
    import pyoxigraph as ox

    try:
        ox.Store().query(text + "\n\0")
    except SyntaxError as ox_exc:
        m = _OX_ERROR.search(str(ox_exc))
        if m:
            lines = text.split("\n")
            line, column = int(m.group(1)), int(m.group(2))
            offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
            if offset < len(text):  # inside the text, not at the NUL
                return ox_syntax_error(text, source, str(ox_exc))
    except Exception:  # only a better message was at stake
        pass
    message = " ".join(str(exc).split())
    at = re.search(r"\(at char (\d+)\)", message)
    line, column = position(text, int(at.group(1)) if at else 0)
    near = _near(text, line, column)
    found = re.search(r"found (.*?)\s*\(at char", message)
    what = f"unexpected {found.group(1)}" if found else "not valid SPARQL here"
    return QuerySyntaxError(source, line, column, (f"near '{near}': " if near else "") + what)


_OX_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_OX_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,\s]+')
_OX_WORDS = {
    "?": "a variable", "$": "a variable", "<": "an IRI", "<<": "an IRI", "<<(": "an IRI",
    '\\"': "a literal", "'": "a literal", "'''": "a literal", '\\"\\"\\"': "a literal",
    "true": "a literal", "false": "a literal", ":": "a prefixed name", "_:": "a blank node",
}


def _summarize_expected(cause: str) -> str:
    """Oxigraph lists every character it would accept; say it in words (a variable, an IRI ...)."""
    head, sep, listing = cause.partition("expected one of ")
    if not sep:
        return cause
    words: list[str] = []
    for item in _OX_ITEM.findall(listing):
        unquoted = item[1:-1] if item.startswith('"') and len(item) > 1 else item
        if unquoted in _OX_WORDS:
            word = _OX_WORDS[unquoted]
        elif "'0'" in item:
            word = "a number"
        elif "'A'" in item:
            word = "a prefixed name"
        elif item.startswith("[") or unquoted in ("+", "-", "*", "/", "|", "^", "!") or "\\" in unquoted:
            continue
        else:
            word = unquoted if unquoted[:1].isalpha() else f"'{unquoted}'"
        if word not in words:
            words.append(word)
    if not words:
        return head + "unexpected text"
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return f"{head}expected {listed}"


def ox_syntax_error(text: str, source: str, message: str) -> QuerySyntaxError:
    m = _OX_ERROR.search(message)
    if not m:
        return QuerySyntaxError(source, 1, 1, message.splitlines()[0] if message else "invalid query")
    line, column = int(m.group(1)), int(m.group(2))
    cause = _summarize_expected(" ".join(m.group(3).split()))
    near = _near(text, line, column)
    return QuerySyntaxError(source, line, column, (f"near '{near}': " if near else "") + cause)


def _near(text: str, line: int, column: int) -> str:
    """The token at (or just before) a 1-based line/column, for error messages."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return ""
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + max(column - 1, 0)
    best = ""
    for tok in tokens(text):
        if tok.start > offset:
            break
        best = tok.text
    return best[:40]


def iri(value: str) -> str:
    """An IRI in SPARQL syntax."""
    return f"<{value}>"


def literal(value: str, datatype: str | None = None) -> str:
    """A string literal in SPARQL syntax (escaped), optionally typed."""
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"' + (f"^^<{datatype}>" if datatype else "")
