"""The HTML in a real browser: Debian's chromium, headless, driven by Playwright, opening the file
from file:// with every request recorded (and anything not file:/data: refused).

Skipped only when chromium cannot be found or launched (the reason says which); never downloads a
browser. Saves the README's screenshots to docs/img/ and prints size and time-to-settle.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from .conftest import ROOT
from .generated_graph import write_generated_graph
from .viz_support import (
    IMG_PROBE,
    PROBE_QUOTE,
    SCRIPT_PROBE,
    assertion_keys,
    focus_counts,
    folded_counts,
    write_mini_graph,
)

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions"]
IMG = ROOT / "docs" / "img"
VIEWPORT = {"width": 1400, "height": 900}


def chromium_path() -> str | None:
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the python package playwright is not installed (pip install -e '.[test]')")
    path = chromium_path()
    if path is None:
        pytest.skip("Debian's chromium not found (/usr/bin/chromium or on PATH); "
                    "scripts/install-system-deps.sh installs it")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    except Exception as exc:  # any launch failure means: no usable browser here
        pw.stop()
        pytest.skip(f"chromium at {path} cannot be launched: {str(exc).splitlines()[0]}")
    yield browser
    browser.close()
    pw.stop()


class Opened:
    """A page with the file loaded and laid out; records requests and console errors."""

    def __init__(self, browser, html: Path, timeout: float = 120, init_script: str | None = None,
                 complete: bool = True):
        self.context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1,
                                           service_workers="block")
        if init_script:
            self.context.add_init_script(init_script)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "assert") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        start = time.monotonic()
        self.page.goto(html.as_uri())
        # poll: the page's CSP forbids the eval that page.wait_for_function would need
        while not self.js("() => !!(window.iapgraph && window.iapgraph.settled)"):
            assert time.monotonic() - start < timeout, "the layout did not settle"
            self.page.wait_for_timeout(25)
        # a big view's first paint draws the picture itself; every node and edge is a vis object
        # (hover, click) once the page says it is complete
        while complete and not self.js("() => iapgraph.complete"):
            assert time.monotonic() - start < timeout, "the page did not finish loading"
            self.page.wait_for_timeout(25)

    @staticmethod
    def _route(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            route.abort()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def counts(self) -> dict[str, int]:
        return self.js("""() => ({nodes: iapgraph.nodes.length, edges: iapgraph.edges.length,
            drawnNodes: iapgraph.network.body.nodeIndices.length,
            drawnEdges: iapgraph.network.body.edgeIndices.length,
            canvases: document.querySelectorAll('#network canvas').length})""")

    def assert_offline_and_clean(self) -> None:
        outside = [u for u in self.requests if not u.startswith(("file:", "data:"))]
        assert outside == [], f"requests left the machine: {outside}"
        assert self.errors == []

    def screenshot(self, name: str) -> Path:
        self.page.wait_for_timeout(300)
        IMG.mkdir(parents=True, exist_ok=True)
        target = IMG / name
        self.page.screenshot(path=str(target))
        return target

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def opened(browser):
    pages: list[Opened] = []

    def open_file(html: Path) -> Opened:
        page = Opened(browser, html)
        pages.append(page)
        return page

    yield open_file
    for page in pages:
        page.close()


def viz(cli, out: Path, *args: str) -> Path:
    result = cli("viz", "-o", str(out), *args)
    assert result.returncode == 0, result.stderr
    return out


def drawn(page: Opened) -> dict:
    """What the browser holds: the edges' keys and statements, the nodes' positions as drawn and
    as stored in the page data."""
    return page.js("""() => ({
        keys: iapgraph.edges.get().map(e => [e.from, e.to, iapgraph.edgeData[e.id].relation,
                                             iapgraph.edgeData[e.id].effect, iapgraph.edgeData[e.id].negated]),
        statements: iapgraph.edges.getIds().flatMap(id => iapgraph.edgeData[id].statements),
        highlighted: iapgraph.edges.getIds().map(id => !!iapgraph.edgeData[id].highlighted),
        drawn: iapgraph.network.getPositions(),
        stored: Object.fromEntries(iapgraph.data.nodes.map(n => [n.id, {x: n.x, y: n.y}])),
        physics: iapgraph.network.physics.options.enabled})""")


def test_full_graph_offline(cli, kg, opened, tmp_path):
    html = viz(cli, tmp_path / "full.html")
    assert html.stat().st_size < 2_000_000
    page = opened(html)
    assert page.js("() => iapgraph.settled") is True
    nodes, _ = folded_counts(kg)
    keys = set(assertion_keys(kg))
    assert page.counts() == {"nodes": nodes, "edges": len(keys), "drawnNodes": nodes,
                             "drawnEdges": len(keys), "canvases": 1}
    state = drawn(page)
    # the layout came with the page: every node drawn where the data put it, nothing moving
    assert set(state["drawn"]) == set(state["stored"]) and len(state["drawn"]) == nodes
    assert state["drawn"] == state["stored"] and state["physics"] is False
    # one edge per assertion, every statement on exactly one edge
    assert len(state["keys"]) == len({tuple(k) for k in state["keys"]}) and {tuple(k) for k in state["keys"]} == keys
    assert sorted(state["statements"]) == sorted(s.id for s in kg.statements if s.id in set(state["statements"]))
    assert len(state["statements"]) == len(assertion_keys(kg))
    # every edge's card carries its statements' quotes and cited studies
    s = kg.statements[0]
    card = page.js("id => iapgraph.edgeCard(iapgraph.statementEdge[id]).textContent", s.id)
    assert " ".join(s.evidence.split()) in card and s.citations[0] in card
    # fitted: the drawing fills the canvas (vis-network's own bounding box of all nodes is in view)
    fitted = page.js("""() => { const n = iapgraph.network, ids = iapgraph.nodes.getIds();
        const box = document.getElementById('network').getBoundingClientRect();
        const ps = Object.values(n.getPositions(ids)).map(p => n.canvasToDOM(p));
        const xs = ps.map(p => p.x), ys = ps.map(p => p.y);
        return {inside: Math.min(...xs) >= 0 && Math.max(...xs) <= box.width && Math.min(...ys) >= 0
                         && Math.max(...ys) <= box.height,
                fill: Math.max((Math.max(...xs) - Math.min(...xs)) / box.width,
                               (Math.max(...ys) - Math.min(...ys)) / box.height)}; }""")
    assert fitted["inside"] and fitted["fill"] > 0.6
    page.assert_offline_and_clean()
    timings = page.js("() => iapgraph.timings")
    page.screenshot("viz-full.png")
    print(f"\nfull graph: {nodes} nodes, {len(keys)} edges; {html.stat().st_size:,} bytes; "
          f"load -> settled {timings['settled']:.0f} ms after navigation start")


def test_generated_graph_of_5000_nodes_settles(cli, opened, tmp_path):
    graph = write_generated_graph(tmp_path / "g5000", entities=5000, statements=12000)
    page = opened(viz(cli, tmp_path / "g5000.html", "--graph-dir", str(graph)))
    assert page.js("() => iapgraph.settled") is True
    edges = page.js("() => iapgraph.data.edges.length")
    assert page.counts() == {"nodes": 5000, "edges": edges, "drawnNodes": 5000, "drawnEdges": edges,
                             "canvases": 1}
    stored = page.js("() => Object.fromEntries(iapgraph.data.nodes.map(n => [n.id, {x: n.x, y: n.y}]))")
    assert page.js("() => iapgraph.network.getPositions()") == stored
    page.assert_offline_and_clean()


#: Holds the page's loading after the first paint (the function it schedules is loadLater), so a
#: test sees the first paint as it is.
HOLD_LOADING = """(() => { const later = window.setTimeout; window.__held = [];
    window.setTimeout = function (f) { if (f && f.name === 'loadLater') { window.__held.push(f); return 0; }
                                       return later.apply(window, arguments); }; })()"""

INK = """() => { const c = document.querySelector('#network canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let ink = 0;
    for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 0 && d[i] + d[i + 1] + d[i + 2] < 720) { ink += 1; } }
    return ink; }"""


def test_big_view_first_paint_is_the_whole_picture(browser, cli, tmp_path):
    """A big view's first paint draws every node and edge (vis objects for the labelled nodes, plain
    shapes and lines for the rest); a click before the rest is loaded loads it first."""
    graph = write_generated_graph(tmp_path / "g5000", entities=5000, statements=12000)
    html = viz(cli, tmp_path / "g5000.html", "--graph-dir", str(graph))
    page = Opened(browser, html, init_script=HOLD_LOADING, complete=False)
    try:
        first = page.js("""() => ({complete: iapgraph.complete, held: window.__held.length,
            nodes: iapgraph.nodes.length, edges: iapgraph.edges.length, all: iapgraph.data.nodes.length,
            allEdges: iapgraph.data.edges.length,
            labelled: iapgraph.data.nodes.filter(n => n.font > 11 || n.focus).length})""")
        assert first["complete"] is False and first["held"] == 1
        assert first["nodes"] == first["labelled"] < first["all"] == 5000 and first["edges"] == 0
        ink_first = page.js(INK)
        # a click on a node that is not a vis object yet: everything loads, then the click selects it
        target = page.js("""() => { const n = iapgraph.data.nodes.find(n => !(n.font > 11 || n.focus));
            const at = iapgraph.network.canvasToDOM({x: n.x, y: n.y});
            const box = document.getElementById('network').getBoundingClientRect();
            return {id: n.id, x: box.left + at.x, y: box.top + at.y}; }""")
        page.page.mouse.click(target["x"], target["y"])
        after = page.js("""() => ({complete: iapgraph.complete, nodes: iapgraph.nodes.length,
            edges: iapgraph.edges.length, selected: iapgraph.network.getSelectedNodes()})""")
        assert after["complete"] is True
        assert after["nodes"] == 5000 and after["edges"] == first["allEdges"]
        assert after["selected"] and after["selected"][0] in page.js("() => iapgraph.data.nodes.map(n => n.id)")
        page.js("() => iapgraph.clearSelection()")
        page.page.wait_for_timeout(300)
        # the first paint carried about as much ink as the finished drawing (not a blank or partial one)
        ink_done = page.js(INK)
        assert ink_done > 10_000 and 0.6 < ink_first / ink_done < 1.4, (ink_first, ink_done)
        page.assert_offline_and_clean()
    finally:
        page.close()


def test_same_file_same_layout(cli, opened, tmp_path):
    html = viz(cli, tmp_path / "full.html")
    first = opened(html).js("() => iapgraph.network.getPositions()")
    second = opened(html).js("() => iapgraph.network.getPositions()")
    assert first == second and first


def test_focus_view(cli, kg, opened, tmp_path):
    html = viz(cli, tmp_path / "focus.html", "--focus", "XIAP", "--depth", "1")
    page = opened(html)
    nodes, statements = focus_counts(kg, "XIAP")
    assert set(page.js("() => iapgraph.nodes.getIds()")) == nodes
    state = drawn(page)
    assert sorted(state["statements"]) == sorted(statements)
    assert len(state["keys"]) == len({tuple(k) for k in state["keys"]})
    assert state["drawn"] == state["stored"]
    page.assert_offline_and_clean()
    page.screenshot("viz-focus.png")


PATH_CANDIDATES = [("SMAC mimetics", "caspase-3"), ("SMAC", "caspase-3"), ("cIAP1", "NF-kB"),
                   ("XIAP", "caspase-3"), ("cIAP1", "NIK")]


def test_path_view(cli, kg, opened, tmp_path):
    from iapgraph.exceptions import UnknownEntity
    from iapgraph.viz.view import build_view

    for source, target in PATH_CANDIDATES:
        try:
            if build_view(kg, path=(source, target)).chains:
                break
        except UnknownEntity:
            continue
    else:
        pytest.fail(f"none of {PATH_CANDIDATES} has a path in the curated graph")
    html = viz(cli, tmp_path / "path.html", "--path", source, target)
    page = opened(html)
    data = page.js("""() => ({chains: iapgraph.data.chains.map(c => c.statements),
        hops: iapgraph.data.chains.map(c => c.hops),
        nets: iapgraph.data.chains.map(c => c.net),
        ends: Object.fromEntries(Object.entries(iapgraph.statementEdge).map(([sid, eid]) =>
            [sid, [iapgraph.edges.get(eid).from, iapgraph.edges.get(eid).to]])),
        items: [...document.querySelectorAll('#path-list li')].map(li => li.textContent)})""")
    assert data["chains"] and len(data["items"]) == len(data["chains"])
    src, dst = kg.resolve(source), kg.resolve(target)
    for hops in data["hops"]:  # each chain is a walk from source to target, hop by hop
        at = src
        for hop in hops:
            nexts = set()
            for sid in hop:  # every statement backing a hop joins the same two nodes
                a, b = data["ends"][sid]
                assert at in (a, b), (hops, sid)
                nexts.add(b if at == a else a)
            assert len(nexts) == 1, (hops, hop)
            at = nexts.pop()
        assert at == dst, hops
    state = drawn(page)
    # only the chains' edges, all highlighted; one edge per assertion
    assert set(state["statements"]) == {sid for chain in data["chains"] for sid in chain}
    assert all(state["highlighted"])
    assert len(state["keys"]) == len({tuple(k) for k in state["keys"]})
    # left to right, as drawn: the source first, the target last, every other node between them
    x = {n: p["x"] for n, p in state["drawn"].items()}
    assert x[src] < x[dst]
    assert all(x[src] < at < x[dst] for n, at in x.items() if n not in (src, dst)), x
    # the net effect at the end: on each chain of the list and beside the target
    for item, net in zip(data["items"], data["nets"], strict=True):
        assert item.endswith("net: " + {"up": "up ↑", "down": "down ⊣"}.get(net, item.split("net: ")[-1]))
    assert "net: " in page.js("id => iapgraph.nodes.get(id).label", dst)
    page.assert_offline_and_clean()
    page.screenshot("viz-path.png")


def test_empty_view_says_so(cli, opened, tmp_path):
    graph = write_mini_graph(tmp_path / "mini")
    page = opened(viz(cli, tmp_path / "empty.html", "--graph-dir", str(graph), "--kind", "clinical_trial"))
    assert page.counts()["nodes"] == 0 and page.counts()["edges"] == 0
    assert page.page.text_content("#status").startswith("Nothing to show")
    page.assert_offline_and_clean()


class TestSmallGraph:
    """Tooltips, XSS probes, search and legend on a small made-up graph."""

    @pytest.fixture()
    def page(self, cli, opened, tmp_path):
        graph = write_mini_graph(tmp_path / "mini")
        return opened(viz(cli, tmp_path / "mini.html", "--graph-dir", str(graph)))

    @staticmethod
    def tooltip(page: Opened) -> str | None:
        return page.js("""() => { const t = document.getElementById('tooltip');
            return t.hidden ? null : t.textContent; }""")

    def hover_edge(self, page: Opened, edge_id: str) -> str:
        """Move the mouse onto the middle of a straight edge; return the tooltip's text."""
        point = page.js("""id => {
            const e = iapgraph.edges.get(id), p = iapgraph.network.getPositions([e.from, e.to]);
            const mid = iapgraph.network.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2,
                                                      y: (p[e.from].y + p[e.to].y) / 2});
            const box = document.getElementById('network').getBoundingClientRect();
            return {x: box.left + mid.x, y: box.top + mid.y};
        }""", edge_id)
        page.page.mouse.move(point["x"] - 8, point["y"] - 8)
        page.page.mouse.move(point["x"], point["y"], steps=4)
        for _ in range(80):
            shown = self.tooltip(page)
            if shown:
                return shown
            page.page.wait_for_timeout(25)
        raise AssertionError("no tooltip appeared")

    def test_counts_tooltip_and_xss(self, page):
        assert page.counts() == {"nodes": 12, "edges": 12, "drawnNodes": 12, "drawnEdges": 12,
                                 "canvases": 1}
        tip = self.hover_edge(page, "m-014")
        assert PROBE_QUOTE in tip and "Test, et al., 2000" in tip and "section" in tip
        # the tooltip goes when the pointer leaves the edge for empty canvas, and when it leaves the graph
        empty = page.js("""() => { const n = iapgraph.network, box = document.getElementById('network').getBoundingClientRect();
            for (let y = box.height - 4; y > 0; y -= 7) { for (let x = 4; x < box.width; x += 7) {
                if (n.getNodeAt({x, y}) === undefined && n.getEdgeAt({x, y}) === undefined) {
                    return {x: box.left + x, y: box.top + y}; } } } return null; }""")
        assert empty is not None
        page.page.mouse.move(empty["x"], empty["y"], steps=3)
        assert self.tooltip(page) is None
        self.hover_edge(page, "m-014")
        page.page.mouse.move(5, 5)
        assert self.tooltip(page) is None
        self.hover_edge(page, "m-014")
        page.js("() => document.getElementById('network').dispatchEvent(new MouseEvent('mouseleave'))")
        assert self.tooltip(page) is None
        # clicking the edge shows the quote in the panel, as text
        page.js("() => iapgraph.selectEdge('m-014')")
        assert page.js("() => document.querySelector('#details-body blockquote').textContent") == PROBE_QUOTE
        page.js("() => iapgraph.selectNode('xss_probe', true)")
        assert SCRIPT_PROBE in page.js("() => document.querySelector('#details-body h4').textContent")
        assert page.js("() => typeof window.__xss") == "undefined"
        assert page.js("() => document.querySelectorAll('img').length") == 0
        assert page.js("() => [...document.scripts].filter(s => !s.type)"
                       ".some(s => s.textContent.includes('__xss'))") is False
        page.assert_offline_and_clean()

    def test_node_tooltip_links_identifiers(self, page):
        links = page.js("""() => [...iapgraph.nodeCard('XIAP').querySelectorAll('a')]
            .map(a => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')])""")
        assert links == [["hgnc:592", "https://bioregistry.io/hgnc:592", "noopener noreferrer"],
                         ["uniprot:P98170", "https://bioregistry.io/uniprot:P98170", "noopener noreferrer"]]
        domains = page.js("() => iapgraph.nodeCard('XIAP').textContent")
        assert "XIAP BIR3 (XIAP.BIR3)" in domains

    def test_search_and_legend_filters(self, page):
        page.page.fill("#search", "c-IAP1")
        page.page.press("#search", "Enter")
        assert page.js("() => iapgraph.selected") == "BIRC2"
        assert page.js("() => document.querySelector('#details-body h4').textContent") == "cIAP1"
        page.page.press("#search", "Escape")  # Esc clears the field, the message and the selection
        assert page.page.input_value("#search") == "" and page.js("() => iapgraph.selected") is None
        assert page.page.text_content("#details-body").startswith("Click a node")
        page.page.fill("#search", "nothing like this")
        page.page.press("#search", "Enter")
        assert "no node named" in page.page.text_content("#search-message")
        page.page.press("#search", "Escape")
        assert page.page.text_content("#search-message") == ""
        page.page.click('.legend-item[data-cat="iap"]')  # hide the two IAPs and their statements
        assert page.page.text_content("#count-nodes") == "10 of 12"
        # XIAP: 7 statements, cIAP1: 3 more (m-006, m-007, m-009)
        assert page.page.text_content("#count-edges") == "2 of 12"
        page.page.click('.legend-item[data-group="negated"]')
        page.page.click("#reset")
        assert page.page.text_content("#count-nodes") == "12"
        assert page.page.text_content("#count-edges") == "12"
        page.assert_offline_and_clean()


def test_only_known_registries_become_links(opened, tmp_path):
    """Identifiers that slipped past validation (an unknown prefix, javascript:, an id that does not
    match its registry's pattern) are text, never links; so is a pair whose URL was forged into
    the page data, because the page script itself links only http(s) URLs."""
    import iapgraph
    from iapgraph.viz.page import page_data, render_html, xref_link
    from iapgraph.viz.view import build_view

    kg = iapgraph.load([write_mini_graph(tmp_path / "mini")], cache=False)
    data = page_data(kg, build_view(kg))
    xiap = next(n for n in data["nodes"] if n["id"] == "XIAP")
    xiap["info"]["xrefs"] += [xref_link("javascript:alert(1)"), xref_link("evil:123"), xref_link("hgnc:abc"),
                              ["forged", "javascript:window.__xss=1"], ["data", "data:text/html,<b>x</b>"]]
    html = tmp_path / "links.html"
    html.write_text(render_html(data), encoding="utf-8")
    page = opened(html)
    known = [["hgnc:592", "https://bioregistry.io/hgnc:592"],
             ["uniprot:P98170", "https://bioregistry.io/uniprot:P98170"]]
    tooltip = page.js("""() => [...iapgraph.nodeCard('XIAP').querySelectorAll('a')]
        .map(a => [a.textContent, a.getAttribute('href')])""")
    assert tooltip == known
    page.js("() => iapgraph.selectNode('XIAP', true)")
    panel = page.js("""() => [...document.querySelectorAll('#details-body a')]
        .map(a => [a.textContent, a.getAttribute('href')])""")
    assert panel == known
    shown = page.js("() => document.querySelector('#details-body').textContent")
    for text in ("javascript:alert(1)", "evil:123", "hgnc:abc", "forged", "data"):
        assert text in shown  # shown, as text
    assert page.js("""() => [...document.querySelectorAll('[href]')]
        .filter(a => !/^https?:/.test(a.getAttribute('href'))).length""") == 0
    assert page.js("() => typeof window.__xss") == "undefined"
    page.assert_offline_and_clean()


def test_markup_in_labels_aliases_and_quotes_stays_text(opened, cli, tmp_path):
    page = opened(viz(cli, tmp_path / "mini.html", "--graph-dir", str(write_mini_graph(tmp_path / "mini"))))
    title = page.js("""() => { const t = iapgraph.nodeCard('xss_probe');
        return {text: t.textContent, elements: t.querySelectorAll('script, img').length}; }""")
    assert SCRIPT_PROBE in title["text"] and IMG_PROBE in title["text"] and title["elements"] == 0
    page.js("() => iapgraph.selectNode('xss_probe', true)")
    body = page.js("""() => { const b = document.querySelector('#details-body');
        return {text: b.textContent, elements: b.querySelectorAll('script, img').length}; }""")
    assert body["text"].count(SCRIPT_PROBE) >= 2 and body["elements"] == 0  # label and alias
    edge = page.js("() => iapgraph.edgeCard('m-014').textContent")
    assert PROBE_QUOTE in edge
    page.page.fill("#search", SCRIPT_PROBE)  # found by its alias, still text
    page.page.press("#search", "Enter")
    assert page.js("() => iapgraph.selected") == "xss_probe"
    assert page.js("() => document.querySelectorAll('script:not([type])').length") == 2
    assert page.js("() => typeof window.__xss") == "undefined"
    page.assert_offline_and_clean()


def test_panel_groups_statements_and_edges_carry_them_all(cli, opened, tmp_path):
    """The extra mini graph: XIAP inhibits caspase-9 three times (one hedged), cIAP1 loops twice."""
    graph = write_mini_graph(tmp_path / "extra", extra=True)
    page = opened(viz(cli, tmp_path / "extra.html", "--graph-dir", str(graph)))
    page.js("() => iapgraph.selectNode('XIAP', false)")
    groups = page.js("""() => [...document.querySelectorAll('#details-body .relation-group')].map(g => ({
        head: g.querySelector('.relation-head').firstChild.textContent,
        count: g.querySelector('.relation-head .count').textContent,
        rows: [...g.querySelectorAll('li')].map(li => [li.querySelector('.partner').textContent,
            li.querySelector('.count').textContent,
            [...li.querySelectorAll('.mark')].map(m => m.textContent)])}))""")
    by_head = {g["head"]: g for g in groups}
    assert by_head["XIAP inhibits …"]["count"] == "3"
    assert by_head["XIAP inhibits …"]["rows"] == [["caspase-9", "3", ["hedged ×1"]]]
    assert by_head["… binds XIAP"]["count"] == "2"
    assert sorted(r[0] for r in by_head["… binds XIAP"]["rows"])[0] == "SMAC"
    assert page.page.text_content("#details-body h4 + div + dl ~ .grouped > h4") == "Statements here (9)"
    # a click on a node labels its neighbours (the overview's small marks)
    assert set(page.js("() => iapgraph.expanded")) >= {"XIAP", "CASP9", "DIABLO", "xss_probe"}
    # a click on the row (or the edge) lists every statement of that edge with its quote
    page.page.click('#details-body li[data-edge="m-001"]')
    assert page.js("() => iapgraph.selected") == "m-001"
    quotes = page.js("() => [...document.querySelectorAll('#details-body blockquote')].map(q => q.textContent)")
    assert quotes == ["Test quote one: XIAP inhibits caspase-9", "Test quote 101: XIAP again inhibits caspase-9",
                      "Test quote 102: BIR3 inhibits caspase-9"]
    assert "hedged" in page.page.text_content("#details-body")
    # cIAP1: a negated statement marked, two loops on itself listed apart
    page.js("() => iapgraph.selectNode('BIRC2', false)")
    heads = page.js("() => [...document.querySelectorAll('#details-body .relation-head')].map(h => h.firstChild.textContent)")
    assert "cIAP1 NOT inhibits …" in heads
    partners = page.js("""() => Object.fromEntries([...document.querySelectorAll('#details-body .relation-group')]
        .map(g => [g.querySelector('.relation-head').firstChild.textContent,
                   [...g.querySelectorAll('.partner')].map(p => p.textContent).sort()]))""")
    assert partners["cIAP1 ubiquitinates …"] == ["NIK", "cIAP1 (itself)"]
    assert partners["cIAP1 inhibits …"] == ["cIAP1 (itself)"]
    marks = page.js("() => [...document.querySelectorAll('#details-body li.negated .mark')].map(m => m.textContent)")
    assert marks == ["negated"]
    loops = page.js("""() => iapgraph.edges.get({filter: e => e.from === e.to}).map(e =>
        [e.id, e.selfReference.size, e.selfReference.angle])""")
    assert len(loops) == 2 and loops[0][1:] != loops[1][1:]
    page.assert_offline_and_clean()


def _beyond(kg, centre_nodes: set[str], node: str) -> dict[str, set[str]]:
    """The neighbours of ``node`` that a view of ``centre_nodes`` does not draw, each with the
    statements that join them (domains folded, structural statements on a domain left out)."""
    from iapgraph import vocab

    entities = kg.dataset.entities
    owner = {s.object: s.subject for s in kg.statements
             if s.relation == "has_domain" and not s.negated and entities[s.object].kind == "domain"}
    out: dict[str, set[str]] = {}
    for s in kg.statements:
        if vocab.RELATIONS[s.relation].structural and (s.subject in owner or s.object in owner):
            continue
        a, b = owner.get(s.subject, s.subject), owner.get(s.object, s.object)
        for here, there in ((a, b), (b, a)):
            if here == node and there not in centre_nodes:
                out.setdefault(there, set()).add(s.id)
    return out


def test_click_adds_the_neighbours_beyond_the_view(cli, kg, opened, tmp_path):
    from iapgraph.viz.page import MORE_PER_NODE

    page = opened(viz(cli, tmp_path / "focus.html", "--focus", "XIAP", "--depth", "1"))
    drawn_nodes, _ = focus_counts(kg, "XIAP")
    centre = kg.resolve("XIAP")
    assert set(page.js("() => iapgraph.nodes.getIds()")) == drawn_nodes
    # a neighbour with a few neighbours outside the view (all of them within the page's limit),
    # that a click at its centre hits
    def onward(node: str) -> list[str]:
        """The nodes a click on ``node`` adds whose own click adds more (all within the limit)."""
        added = set(_beyond(kg, drawn_nodes, node))
        return sorted(m for m in added if len(_beyond(kg, drawn_nodes, m)) <= MORE_PER_NODE
                      and set(_beyond(kg, drawn_nodes, m)) - added - drawn_nodes)

    candidates = sorted((n for n in drawn_nodes if n != centre
                         and 2 <= len(_beyond(kg, drawn_nodes, n)) <= MORE_PER_NODE and onward(n)),
                        key=lambda n: (-len(_beyond(kg, drawn_nodes, n)), n))
    assert candidates, "no neighbour of XIAP has neighbours beyond the focus view"
    for node in candidates:
        point = page.js("""id => { const n = iapgraph.network, p = n.getPositions([id])[id];
            const at = n.canvasToDOM(p), box = document.getElementById('network').getBoundingClientRect();
            return {hit: n.getNodeAt(at) === id, x: box.left + at.x, y: box.top + at.y,
                    inside: at.x > 0 && at.y > 0 && at.x < box.width && at.y < box.height}; }""", node)
        if point["hit"] and point["inside"]:
            break
    else:
        pytest.fail("no candidate node can be clicked at its centre")
    expected = _beyond(kg, drawn_nodes, node)
    before = page.counts()
    edges_before = set(page.js("() => iapgraph.edges.getIds()"))
    page.page.mouse.click(point["x"], point["y"])
    assert page.js("() => iapgraph.selected") == node
    after = page.counts()
    assert after["nodes"] - before["nodes"] == len(expected)
    assert after["drawnNodes"] - before["drawnNodes"] == len(expected)
    assert set(page.js("() => iapgraph.nodes.getIds()")) == drawn_nodes | set(expected)
    new_edges = page.js("""ids => iapgraph.edges.getIds().filter(id => !ids.includes(id)).map(id => {
        const e = iapgraph.edgeData[id]; return {from: e.from, to: e.to, relation: e.relation,
        effect: e.effect, negated: e.negated, statements: e.statements}; })""", sorted(edges_before))
    by_id = {s.id: s for s in kg.statements}
    carried: set[str] = set()
    for e in new_edges:  # each new edge is an assertion of the clicked node with a new neighbour
        other = e["to"] if e["from"] == node else e["from"]
        assert node in (e["from"], e["to"]) and other in expected
        for sid in e["statements"]:
            s = by_id[sid]
            assert (s.relation, s.effect, s.negated) == (e["relation"], e["effect"], e["negated"])
            assert sid in expected[other]
        carried |= set(e["statements"])
    assert carried == set().union(*expected.values())
    # one edge per assertion still, and the panel says what was added
    keys = [tuple(k) for k in drawn(page)["keys"]]
    assert len(keys) == len(set(keys))
    assert f"({len(expected)} added)" in page.page.text_content("#details-body .grow-note")
    # a second click adds nothing more
    page.page.mouse.click(point["x"], point["y"])
    assert page.counts()["nodes"] == after["nodes"]
    # a node the click added expands in turn: its neighbours not drawn yet appear, joined to it
    shown = drawn_nodes | set(expected)
    for added in onward(node):
        spot = page.js("""id => { const n = iapgraph.network, at = n.canvasToDOM(n.getPositions([id])[id]);
            const box = document.getElementById('network').getBoundingClientRect();
            return {hit: n.getNodeAt(at) === id, x: box.left + at.x, y: box.top + at.y,
                    inside: at.x > 0 && at.y > 0 && at.x < box.width && at.y < box.height}; }""", added)
        if spot["hit"] and spot["inside"]:
            break
    else:
        pytest.fail("no added node that expands can be clicked at its centre")
    onward_partners = _beyond(kg, drawn_nodes, added)
    page.page.mouse.click(spot["x"], spot["y"])
    assert page.js("() => iapgraph.selected") == added
    assert set(page.js("() => iapgraph.nodes.getIds()")) == shown | set(onward_partners)
    now = set(drawn(page)["statements"])
    assert set().union(*onward_partners.values()) <= now
    fresh = set(onward_partners) - shown
    assert fresh and f"({len(fresh)} added)" in page.page.text_content("#details-body .grow-note")
    assert page.page.text_content("#details-body .grow-note").startswith("Added by a click on ")
    keys = [tuple(k) for k in drawn(page)["keys"]]
    assert len(keys) == len(set(keys))
    page.assert_offline_and_clean()


def test_filter_by_class_keeps_its_subtypes(cli, kg, opened, tmp_path):
    page = opened(viz(cli, tmp_path / "full.html"))
    lung = kg.resolve("lung cancer")
    children: dict[str, set[str]] = {}
    for link in kg.dataset.hierarchy:
        if link.relation == "is_a":
            children.setdefault(link.parent, set()).add(link.child)
    members, todo = {lung}, [lung]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in members:
                members.add(child)
                todo.append(child)
    assert {kg.resolve(n) for n in ("NSCLC", "SCLC", "lung carcinoma", "lung cancer")} <= members
    drawn_statements = set(drawn(page)["statements"])
    expected = {s.id for s in kg.dataset.statements if s.id in drawn_statements
                and members & {s.subject, s.object, *s.contexts}}
    assert expected
    total = page.page.text_content("#count-statements")
    edges_total = page.page.text_content("#count-edges")
    page.page.select_option("#class-filter", lung)
    state = page.js("() => iapgraph.classFilter")
    assert set(state["statements"]) == expected
    visible = page.js("""() => iapgraph.edges.get({filter: e => !e.hidden}).map(e => iapgraph.edgeData[e.id].statements)""")
    assert visible and all(set(v) & expected for v in visible)
    assert set().union(*map(set, visible)) >= expected
    assert page.page.text_content("#count-statements") == f"{len(expected)} of {total}"
    # which subtype matched, and how often
    matched = page.js("() => [...document.querySelectorAll('#class-matched li.class-match')].map(li => li.dataset.cls)")
    touching = {m for m in members if any(m in {s.subject, s.object, *s.contexts}
                                          for s in kg.dataset.statements if s.id in expected)}
    assert set(matched) == touching and kg.resolve("NSCLC") in matched
    # every node left shown is an end of a kept edge, or the class or a subtype
    shown = set(page.js("() => iapgraph.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))
    ends = set(page.js("""() => iapgraph.edges.get({filter: e => !e.hidden}).flatMap(e => [e.from, e.to])"""))
    assert shown <= ends | members and ends <= shown
    # clearing restores the full view
    page.page.click("#class-clear")
    assert page.js("() => iapgraph.classFilter") is None
    assert page.page.text_content("#count-statements") == total
    assert page.page.text_content("#count-edges") == edges_total
    assert page.js("() => iapgraph.nodes.get({filter: n => n.hidden}).length") == 0
    assert page.js("() => iapgraph.edges.get({filter: e => e.hidden}).length") == 0
    page.assert_offline_and_clean()
