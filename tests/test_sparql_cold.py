"""Issue 19, the endpoint's cold burst: a text without the letters 'service' is not parsed by
rdflib (see the docstring of iapgraph.sparql.text), and nothing else changes: SERVICE in every
disguise is still refused, and a text an engine refuses reads as when every text was parsed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib.plugins.sparql.parser as rdflib_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iapgraph.exceptions import IapgraphError, QuerySyntaxError, RefusedQuery, ServiceRefused
from iapgraph.sparql.engines import OxigraphEngine
from iapgraph.sparql.library import library
from iapgraph.sparql.query import PREFIXES, prepare
from iapgraph.sparql.text import add_prefixes, canonical_text, check_local, expand_escapes

from .conftest import cli_env

TRIPLES = (b"<http://a/s> <http://a/p> <http://a/o> .\n<http://a/s> <http://a/q> \"x\" .\n"
           b"<http://a/o> <http://a/p> <http://a/s> .\n")


@pytest.fixture(scope="module")
def store() -> OxigraphEngine:
    return OxigraphEngine(TRIPLES)


@pytest.fixture()
def parses(monkeypatch):
    """Counts rdflib's query parses (check_local imports parseQuery from the module when it parses)."""
    calls: list[str] = []
    real = rdflib_parser.parseQuery

    def counting(text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return real(text)

    monkeypatch.setattr(rdflib_parser, "parseQuery", counting)
    return calls


def outcome(run, *args) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """What ``run(*args)`` gave: the error's class and message, or the answer's rows."""
    try:
        result = run(*args)
    except IapgraphError as exc:
        return type(exc).__name__, str(exc)
    return "ok", repr(result.boolean if result.form == "ASK" else sorted(result.rows, key=repr))


def parsed_run(store: OxigraphEngine, text: str):  # type: ignore[no-untyped-def]
    """Run a text as when every text was parsed by rdflib first."""
    return store.run_checked(check_local(text, full=True))


# --- SERVICE in every disguise is still refused -----------------------------------------------------

def disguises(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ serv\\u0069ce <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\U00000053ERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o # x\rSERVICE <{url}> {{ ?s ?p ?o }}\n}}",
        f"SELECT * WHERE {{ ?s ?p ?o # x\r\nSERVICE <{url}> {{ ?s ?p ?o }}\n}}",
        f"PREFIX x: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        f"PREFIX x: <http://a/#> SELECT * WHERE {{ ?s x:p ?o SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ]


LOOKALIKES = ["\u017fERVICE", "\u017fervice", "SERV\u0130CE"]  # long s, dotted capital I


def test_service_in_every_disguise_is_refused_without_a_connection(store, loopback, parses):
    url = f"http://127.0.0.1:{loopback.port}/sparql"
    for text in disguises(url):
        with pytest.raises(ServiceRefused, match=rf"SERVICE (<{url}>|\?e) refused"):
            check_local(text)
        with pytest.raises(ServiceRefused):
            store.run(text)
    assert len(parses) >= len(disguises(url))  # every one was parsed
    for word in LOOKALIKES:  # folds to 'service' under re.I: parsed, and no engine reads it as SERVICE
        text = f"SELECT * WHERE {{ {word} <{url}> {{ ?s ?p ?o }} }}"
        before = len(parses)
        with pytest.raises((RefusedQuery, QuerySyntaxError)):
            store.run(text)
        assert len(parses) > before, word
    time.sleep(0.2)
    assert loopback.connections == 0


def test_the_letters_service_anywhere_take_the_parse(parses):
    """In a prefixed name, a string, a comment, an IRI: not SERVICE, but parsed all the same."""
    for text in ("PREFIX x: <http://a/> SELECT * WHERE { ?s x:service ?o }",
                 "SELECT * WHERE { ?s ?p \"a service\" }",
                 "SELECT * WHERE { ?s ?p ?o } # no SERVICE here",
                 "SELECT * WHERE { ?s <http://a/Service> ?o }"):
        before = len(parses)
        checked = check_local(text)
        assert (checked.parsed, checked.form, len(parses)) == (True, "SELECT", before + 1), text


# --- a text without them is not parsed, and answers as before -----------------------------------------

def library_texts() -> list[tuple[str, str]]:
    return [(name, prepare(lq).text) for name, lq in sorted(library().items())]


def test_library_queries_are_not_parsed_and_decide_as_the_parse(monkeypatch):
    texts = [(name, text) for name, text in library_texts() if "service" not in text.lower()]
    assert len(texts) >= 20
    full = {name: check_local(text, full=True) for name, text in texts}

    def refuse(text: str):  # type: ignore[no-untyped-def]
        raise AssertionError("rdflib parsed a text without the letters 'service'")

    monkeypatch.setattr(rdflib_parser, "parseQuery", refuse)
    for name, text in texts:
        fast = check_local(text)
        assert not fast.parsed, name
        assert (fast.text, fast.form, fast.dataset) == (full[name].text, full[name].form, full[name].dataset), name


def test_an_unparsed_text_gives_the_same_answer(store, parses):
    texts = ["SELECT ?o WHERE { <http://a/s> ?p ?o } ORDER BY ?o",
             "ASK { <http://a/s> <http://a/p> <http://a/o> }",
             "CONSTRUCT { ?o <http://a/r> ?s } WHERE { ?s <http://a/p> ?o }",
             "DESCRIBE <http://a/s>",
             "SELECT (COUNT(*) AS ?n) FROM <http://a/g> WHERE { ?s ?p ?o }",
             "SELECT ?s WHERE { ?s ?p \"x\" FILTER(?p != <http://a/p>) } LIMIT 9223372036854775"]
    for text in texts:
        fast, full = check_local(text), check_local(text, full=True)
        assert not fast.parsed and full.parsed
        assert (fast.form, fast.dataset) == (full.form, full.dataset), text
        assert outcome(store.run_checked, fast) == outcome(store.run_checked, full), text
    assert check_local(texts[4]).dataset  # FROM at the top level
    assert not check_local("SELECT * WHERE { ?s ?p \"FROM\" # FROM <http://a/g>\n}").dataset


def test_a_cold_check_does_not_import_rdflib():
    code = ("import sys\nfrom iapgraph.sparql.text import check_local\n"
            "c = check_local('SELECT * WHERE { ?s ?p \"caf\\\\u00e9\" } LIMIT 5')\n"
            "print(c.parsed, c.text, sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyparsing')))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(), timeout=120)
    assert run.stdout == "False SELECT * WHERE { ?s ?p \"café\" } LIMIT 5 []\n", run.stdout + run.stderr[-2000:]


# --- what the engines refuse reads as when every text was parsed --------------------------------------

BAD = ["SELECT * WHERE { <rel> ?p ?o }", "SELECT * WHERE { ?s ?p ?o FILTER(?o = <rel>) }",
       "SELECT * WHERE { ?s ?p ?o } VALUES ?s { <rel> }", "PREFIX x: <rel/> SELECT * WHERE { x:a ?p ?o }",
       "SELECT * WHERE { ?s ?p ?o } LIMIT 9223372036854775808",
       "SELECT * WHERE { ?s ?p ?o } LIMIT 18446744073709551615",
       "SELECT * WHERE { ?s ?p ?o } OFFSET 99999999999999999999",
       "SELECT * WHERE { ?s ?p ?o } LIMIT 2 OFFSET x", "SELECT * WHERE { ?s ?p ?o ",
       "SELECT * WHERE { ?s ?p ?o } ORDER BY", "ASK { ?s ?p ?o . FILTER(?o > ) }",
       "SELECT * WHERE { ?s ?p ?o } LIMIT 1 LIMIT 2", "SELECT ?x (1 AS ?x) WHERE { ?x ?p ?o }",
       "SELECT ?x WHERE { ?x ?p ?o } GROUP BY ?p", "SELECT (COUNT(*) AS ?n) ?s WHERE { ?s ?p ?o }",
       "SELECT * WHERE { BIND(1 AS ?x) BIND(2 AS ?x) }", "SELECT * WHERE { ?s ex:p ?o }",
       "SELECT * WHERE { ?s ?p 'a }", "SELECT * WHERE { ?s ?p \"a\u0000\" }", "SELECT * WHERE {{ ?s ?p ?o }",
       "SELECT * WHERE { ?s ?p ?o FILTER(regex(?o, )) }", "CONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }",
       "DESCRIBE", "SELECT", "SELECT * { ?s ?p ?o } GROUP BY", "SELECT ?s WHERE { ?s ?p ?o } HAVING"]


def test_refusals_read_as_when_every_text_was_parsed(store):
    for text in BAD:
        assert outcome(store.run, text) == outcome(parsed_run, store, text), text


def test_library_refusals_through_the_cli_path_keep_the_users_columns(kg):
    """prepare adds the project prefixes on line 1: the error is at the user's own column."""
    with pytest.raises(QuerySyntaxError) as info:
        kg.query("SELECT ?x WHERE { ?x rdfs:label ?l } LIMIT 1 LIMIT 2")
    assert str(info.value) == "query:1:52: syntax error: near '2': expected OFFSET or VALUES"
    with pytest.raises(QuerySyntaxError) as info:
        kg.query("SELECT ?x WHERE { ?x rdfs:label <XIAP> }")
    assert str(info.value).startswith("query:1:33: syntax error: relative IRI <XIAP>")


def test_an_escape_beyond_unicode_is_one_located_line():
    with pytest.raises(QuerySyntaxError) as info:
        check_local("SELECT * WHERE {\n ?s ?p \"\\UFFFFFFFF\" }")
    assert str(info.value) == ("query:2:9: syntax error: \\UFFFFFFFF is not a Unicode character "
                               "(at most \\U0010FFFF)")


# --- properties --------------------------------------------------------------------------------------

GAPS = st.sampled_from([" ", "\n", "\r", "\r\n", "\t", "# c\r", "# c\n", "# { FROM\n", "\\u0020", "\u00a0"])
SERVICE = st.sampled_from(["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERV\\u0049CE", "\u017fERVICE",
                           "SERVICE SILENT", "service\rsilent", "SERVICE#x\rSILENT", "SERVICE", "OPTIONAL", "MINUS"])
TARGETS = st.sampled_from(["<http://127.0.0.1:9/sparql>", "<http://a/#x>", "x:e", "?e", "<rel>", "<>"])
PATTERNS = st.sampled_from(["?s ?p ?o", "?s ?p 'x'", "?s x:p ?o", "?s ?p \"{ FROM }\"", "", "?s ?p ?o .",
                            "{ SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 }", "?s ?p 12345678901234567890",
                            "FILTER(?o > 1)", "BIND(1 AS ?z)"])
HEADS = st.sampled_from(["SELECT *", "select ?s", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s",
                         "SELECT * FROM <http://a/g>", "SELECT * FROM NAMED <http://a/g>", "SELECT * FROM <g>",
                         "DELETE", "INSERT { ?s ?p 1 }", "SELEC *"])
WRITES = st.sampled_from(["INSERT DATA { <http://a/s> <http://a/p> <http://a/o> }", "CLEAR ALL", "DROP DEFAULT",
                          "LOAD <http://127.0.0.1:9/x>", "lo\\u0041d <http://127.0.0.1:9/x>", "DELETE WHERE { ?s ?p ?o }",
                          "INS\\u0045RT DATA { <http://a/s> <http://a/p> <http://a/o> }", "WITH <http://a/g> CLEAR ALL"])
PROLOGUES = st.sampled_from(["", "PREFIX x: <http://a/#> ", "PREFIX x: <http://a/#>\r", "BASE <http://a/> ",
                             "# PREFIX\r", "PREFIX x: <rel/> "])
TAILS = st.sampled_from(["", " LIMIT 3", " LIMIT 9223372036854775808", " OFFSET 1", " ORDER BY ?s", " }",
                         " LIMIT", " GROUP BY ?q"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    gap = lambda: "".join(draw(st.lists(GAPS, min_size=1, max_size=3)))  # noqa: E731
    if draw(st.integers(0, 5)) == 0:
        return f"{draw(PROLOGUES)}{gap()}{draw(WRITES)}{gap()}"
    inner = draw(PATTERNS)
    if draw(st.booleans()):
        inner += f"{gap()}{draw(SERVICE)}{gap()}{draw(TARGETS)}{gap()}{{ ?s ?p ?o }}"
    return f"{draw(PROLOGUES)}{draw(HEADS)}{gap()}WHERE {{{gap()}{inner}{gap()}}}{draw(TAILS)}"


def decision(text: str, full: bool) -> tuple[str, str]:
    try:
        checked = check_local(text, full=full)
    except IapgraphError as exc:
        return type(exc).__name__, str(exc)
    return "ok", repr((checked.text, checked.form, checked.dataset))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts())
def test_scanning_refuses_what_the_parse_refuses_for_service_and_update(store, text):
    """Whenever the parse refuses a text as SERVICE or UPDATE, check_local refuses it alike (it
    parsed it); whatever check_local refuses, the parse refuses alike; where both let it through,
    they hand on the same text, form and dataset; and Oxigraph then answers or refuses as after
    the parse."""
    full, fast = decision(text, True), decision(text, False)
    if full[0] in ("ServiceRefused", "ReadOnlyError") or fast[0] != "ok":
        assert fast == full
    elif full[0] == "ok":
        assert fast == full
    if full[0] == "ok" or fast[0] == "ok":
        assert outcome(store.run, text) == outcome(parsed_run, store, text), repr(text)
    assert len(store) == 3


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=6), st.from_regex(r"\\[uU][0-9a-fA-F]{4,9}", fullmatch=True),
                          st.sampled_from(["\\u", "\\U0010FFFF", "\\U00110000", "\\\\u0041", "\\u00e9"])),
                max_size=8).map("".join))
def test_escapes_expand_as_rdflibs_own_function(text):
    try:
        theirs: tuple[str, str] = ("ok", rdflib_parser.expandUnicodeEscapes(text))
    except ValueError as exc:
        theirs = ("ValueError", str(exc))
    try:
        ours: tuple[str, str] = ("ok", expand_escapes(text))
    except ValueError as exc:
        ours = ("ValueError", str(exc))
    assert ours == theirs


def test_canonical_text_is_still_what_the_parse_read():
    """The project prefixes added on line 1 and an escape expanded: the parse reads the same text."""
    text, _ = add_prefixes("SELECT * WHERE { ?s rdfs:label \"caf\\u00e9\" }", PREFIXES)
    assert canonical_text(text) == check_local(text).text == check_local(text, full=True).text
    assert "café" in canonical_text(text)


# --- a text the endpoint has not seen before: scanned once, checked once -------------------------

def _first_bad(text: str) -> int | None:
    """Where canonical_text must refuse: the first NUL or lone surrogate (its old definition)."""
    return next((i for i, ch in enumerate(text) if 0xD800 <= ord(ch) <= 0xDFFF or ch == "\0"), None)


@given(st.text(alphabet=st.sampled_from(["a", " ", "\n", "\0", "\ud800", "\udfff", "\ud7ff", "\ue000", "é"]),
               max_size=40))
def test_nul_and_lone_surrogates_are_refused_where_they_are(text):
    bad = _first_bad(text)
    if bad is None:
        assert canonical_text(text) == text
        return
    with pytest.raises(QuerySyntaxError) as info:
        canonical_text(text)
    line = text.count("\n", 0, bad) + 1
    column = bad - (text.rfind("\n", 0, bad) + 1) + 1
    assert (info.value.line, info.value.column) == (line, column)
    assert "a NUL or a lone surrogate is not SPARQL text" in str(info.value)


@given(st.lists(st.sampled_from([*"ab<>{}\"'#?:. \n\\", "SELECT", "x:y"]), max_size=60).map("".join))
def test_remembered_tokens_are_the_tokens(text):
    from iapgraph.sparql.text import _scan_tokens, tokens

    fresh = list(_scan_tokens(text))
    assert list(tokens(text)) == fresh
    assert list(tokens(text)) == fresh  # asked again: a new iterator over the same tokens


def test_a_refusal_is_not_remembered_and_a_decision_is(parses):
    text = "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"
    for _ in range(2):
        before = len(parses)
        with pytest.raises(ServiceRefused):
            check_local(text)
        assert len(parses) == before + 1  # parsed again each time
    allowed = "SELECT * WHERE { ?s <http://example.org/service> ?o }"  # the letters take the parse
    first = check_local(allowed)
    before = len(parses)
    assert check_local(allowed) == first and len(parses) == before  # remembered


def test_an_example_line_in_a_comment_is_only_a_comment_at_the_endpoint():
    from iapgraph.exceptions import UsageError
    from iapgraph.sparql.library import parse
    from iapgraph.sparql.server import decide

    text = '# Example: --param a="b\nASK { ?s ?p ?o }'
    prepared, checked = decide(text, "http://127.0.0.1:1/sparql")
    assert (prepared.form, checked.form) == ("ASK", "ASK")
    with pytest.raises(UsageError) as info:  # in a query file or -e text the header is read: one line
        parse(Path("query"), text)
    assert str(info.value) == "query:1: example: No closing quotation"


DECLARATIONS = st.lists(st.one_of(
    st.sampled_from(sorted(PREFIXES)).map(lambda p: f"PREFIX {p}: <{PREFIXES[p]}> "),
    st.sampled_from(["http://127.0.0.1:7070/sparql", "http://[::1]:1/sparql#x"]).map(lambda b: f"BASE <{b}> ")),
    min_size=1, max_size=4).map("".join)
PIECES = st.lists(st.sampled_from([*"ab<>{}\"'#?:. \n\\", "SELECT", "x:y", '"""', "'''", "# c\n", "<http://a/>"]),
                  max_size=40).map("".join)


@given(DECLARATIONS, PIECES, st.sampled_from(["", "# x", '"open', "<http://a/b", "x:"]))
def test_tokens_of_a_text_with_declarations_put_before_it_are_its_tokens_moved(head, text, odd):
    """prepend remembers the joined text's tokens from the parts' tokens: they must be what a scan
    of the joined text finds, whatever the text (an open string, a comment, a broken IRI)."""
    from iapgraph.sparql.text import _scan_tokens, prepend, tokens

    for before, after in ((head, odd + text), (head + "BASE <http://b/> ", text + odd)):
        joined = prepend(before, after)
        assert joined == before + after
        assert list(tokens(joined)) == list(_scan_tokens(joined))


def test_only_declarations_are_put_before_without_a_scan():
    from iapgraph.sparql.text import _TOKENS, prepend

    assert prepend("PREFIX a: <http://a/> ", "ASK {}") in _TOKENS
    for head in ("# PREFIX a: <http://a/> ", "PREFIX a: <http://a/>", 'PREFIX a: <http://a/> "', "BASE <a b> "):
        assert prepend(head, "ASK {}") not in _TOKENS, head  # scanned whole when asked for
