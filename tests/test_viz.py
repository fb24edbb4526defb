"""The HTML view without a browser: which nodes and edges each view holds, the file's safety and
self-containment, reproducibility, and the CLI's errors. The browser test is test_viz_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

import iapgraph
from iapgraph import vocab
from iapgraph.exceptions import UnknownEntity, UsageError
from iapgraph.viz.layout import layered
from iapgraph.viz.page import page_data, render_html, safe_json, xref_link
from iapgraph.viz.style import CATEGORIES, RELATION_GROUPS, category_of_kind, relation_group
from iapgraph.viz.view import build_view

from .viz_support import (
    IMG_PROBE,
    PROBE_QUOTE,
    SCRIPT_PROBE,
    assertion_keys,
    folded_counts,
    write_mini_graph,
)


@pytest.fixture(scope="module")
def mini_dir(tmp_path_factory) -> Path:
    return write_mini_graph(tmp_path_factory.mktemp("mini") / "graph")


@pytest.fixture(scope="module")
def mini(mini_dir):
    return iapgraph.load([mini_dir], cache=False)


def ids(view) -> tuple[set[str], set[str]]:
    return set(view.nodes), {s.id for s in view.statements}


ALL = {"XIAP", "BIR", "BIRC2", "CASP9", "CASP3", "DIABLO", "MAP3K14", "smac_mimetics", "apoptosis",
       "hallmark_resisting_cell_death", "IAP_family", "xss_probe"}
ALL_STATEMENTS = {f"m-{i:03d}" for i in range(1, 15)}


class TestViews:
    def test_full_view_folds_domains(self, mini):
        view = build_view(mini)
        nodes, edges = ids(view)
        assert nodes == ALL
        assert edges == ALL_STATEMENTS - {"m-002", "m-005"}
        assert view.ends["m-003"] == ("XIAP", "CASP9")
        assert view.ends["m-004"] == ("DIABLO", "XIAP")
        assert folded_counts(mini) == (len(nodes), len(edges))

    def test_domains_expanded(self, mini):
        nodes, edges = ids(build_view(mini, domains=True))
        assert nodes == ALL | {"XIAP.BIR3"}
        assert edges == ALL_STATEMENTS

    def test_focus_depth_1(self, mini):
        view = build_view(mini, focus=["XIAP"])
        assert ids(view) == (
            {"XIAP", "CASP9", "DIABLO", "smac_mimetics", "hallmark_resisting_cell_death", "IAP_family",
             "xss_probe"},
            {"m-001", "m-003", "m-004", "m-008", "m-012", "m-013", "m-014"})
        assert view.highlight_nodes == {"XIAP"}

    def test_focus_depth_2_does_not_walk_through_hubs(self, mini):
        # smac_mimetics (a drug class) is reached but not crossed, so cIAP1 stays out
        nodes, edges = ids(build_view(mini, focus=["XIAP"], depth=2))
        assert nodes == {"XIAP", "CASP9", "DIABLO", "smac_mimetics", "hallmark_resisting_cell_death",
                         "IAP_family", "xss_probe", "CASP3"}
        assert edges == {"m-001", "m-003", "m-004", "m-008", "m-012", "m-013", "m-014", "m-011"}

    def test_focus_on_a_domain_focuses_its_protein(self, mini):
        assert build_view(mini, focus=["XIAP BIR3"]).focus == ["XIAP"]

    def test_relation_filter(self, mini):
        assert ids(build_view(mini, relations=["antagonizes"])) == (
            {"smac_mimetics", "XIAP", "BIRC2"}, {"m-008", "m-009"})

    def test_relation_group_filter(self, mini):
        assert ids(build_view(mini, relations=["binding"])) == (
            {"XIAP", "CASP9", "DIABLO", "xss_probe"}, {"m-003", "m-004", "m-014"})

    def test_kind_filter(self, mini):
        assert ids(build_view(mini, kinds=["iap"])) == ({"XIAP", "BIRC2"}, set())
        assert ids(build_view(mini, kinds=["iap", "drug_class"])) == (
            {"XIAP", "BIRC2", "smac_mimetics"}, {"m-008", "m-009"})

    def test_hallmark(self, mini):
        view = build_view(mini, hallmark="resisting cell death")
        assert ids(view) == (
            {"hallmark_resisting_cell_death", "XIAP", "DIABLO", "smac_mimetics", "IAP_family", "xss_probe"},
            {"m-012", "m-004", "m-008", "m-013", "m-014"})
        assert ids(build_view(mini, hallmark="resisting cell death", depth=1)) == (
            {"hallmark_resisting_cell_death", "XIAP"}, {"m-012"})

    def test_without_negated(self, mini):
        assert "m-007" not in ids(build_view(mini, negated=False))[1]

    def test_path(self, mini):
        view = build_view(mini, path=("SMAC", "caspase-3"))
        assert ids(view) == ({"DIABLO", "XIAP", "CASP9", "CASP3"}, {"m-004", "m-001", "m-003", "m-011"})
        # kg.paths: via BIR3 binding caspase-9, and via XIAP's inhibition (its has_domain hop,
        # m-002, is not drawn while the domain is folded into XIAP)
        assert view.chains == [["m-004", "m-003", "m-011"], ["m-004", "m-001", "m-011"]]
        assert view.chain_texts[1].startswith("SMAC -[binds -]-> XIAP BIR3 -[domain of =]-> XIAP")
        expanded = build_view(mini, path=("SMAC", "caspase-3"), domains=True)
        assert expanded.chains[1] == ["m-004", "m-002", "m-001", "m-011"]
        assert view.highlight_statements == {sid for chain in view.chains for sid in chain}
        assert view.highlight_statements

    def test_no_path(self, mini):
        view = build_view(mini, path=("NIK", "apoptosis"))
        assert view.chains == [] and set(view.nodes) == {"MAP3K14", "apoptosis"}
        assert any("no path" in n for n in view.notes)

    @pytest.mark.parametrize(("kwargs", "message"), [
        ({"relations": ["bindz"]}, "unknown relation 'bindz'; did you mean: binds"),
        ({"kinds": ["drugg"]}, "unknown kind 'drugg'; did you mean: drug"),
        ({"hallmark": "XIAP"}, "'XIAP' is a protein, not a hallmark"),
        ({"focus": ["XIAP"], "hallmark": "resisting cell death"}, "only one of"),
    ])
    def test_usage_errors(self, mini, kwargs, message):
        with pytest.raises(UsageError, match=re.escape(message)):
            build_view(mini, **kwargs)

    def test_unknown_focus_suggests(self, mini):
        with pytest.raises(UnknownEntity) as info:
            build_view(mini, focus=["XIAPP"])
        assert info.value.suggestions[0] == "XIAP"


class TestStyle:
    def test_every_kind_has_a_category(self):
        placed = {k for c in CATEGORIES.values() for k in c.kinds}
        assert placed == set(vocab.KINDS)
        assert category_of_kind("drug_class") == "drug"

    def test_every_relation_has_a_colour_group(self):
        placed = [r for g in RELATION_GROUPS.values() for r in g.relations]
        assert sorted(placed) == sorted(vocab.RELATIONS)  # each exactly once
        assert relation_group("binds") == "binding"

    def test_edges_encode_sign_binding_and_negation(self, mini):
        data = page_data(mini, build_view(mini))
        edges = {e["id"]: e for e in data["edges"]}
        arrows = {e["effect"]: e["arrow"] for e in data["effects"]}
        assert arrows == {"up": "arrow", "down": "bar", "unknown": "vee"}
        assert edges["m-011"]["effect"] == "up" and edges["m-001"]["effect"] == "down"
        assert edges["m-003"]["effect"] == "unknown"
        assert edges["m-003"].get("binding") and not edges["m-001"].get("binding")
        assert edges["m-007"]["negated"] and edges["m-007"]["label"] == "NOT inhibits"
        # the two assertions between XIAP and caspase-9 bend to opposite sides
        assert {edges["m-001"]["smooth"]["type"], edges["m-003"]["smooth"]["type"]} == {"curvedCW",
                                                                                       "curvedCCW"}
        nodes = {n["id"]: n for n in data["nodes"]}
        assert nodes["XIAP"]["cat"] == "iap" and nodes["XIAP"]["shape"] == "star"
        assert nodes["CASP9"]["cat"] == "protein"
        assert nodes["XIAP"]["info"]["domains"] == ["XIAP BIR3 (XIAP.BIR3)"]
        assert data["statements"]["m-003"]["via"] == ["subject domain: XIAP BIR3 (XIAP.BIR3)"]

    def test_degree_sizes(self, mini):
        data = page_data(mini, build_view(mini), size="degree")
        sizes = {n["id"]: n.get("value") for n in data["nodes"]}
        # XIAP: m-001 m-003 m-004 m-008 m-012 m-013 m-014
        assert sizes["XIAP"] == 7 and sizes["MAP3K14"] == 1 and sizes["BIR"] == 0
        assert "value" not in page_data(mini, build_view(mini), size="none")["nodes"][0]

    def test_other_size_measures(self, mini):
        view = build_view(mini)
        statements = {n["id"]: n.get("value") for n in page_data(mini, view, size="statements")["nodes"]}
        # every statement naming XIAP or its folded BIR3 (as subject, object or mediating domain)
        assert statements["XIAP"] == 9 and statements["MAP3K14"] == 1
        between = {n["id"]: n.get("value", 0) for n in page_data(mini, view, size="betweenness")["nodes"]}
        assert max(between, key=between.get) == "XIAP" and between["MAP3K14"] == 0


class TestAssertions:
    """One drawn edge per (from, to, relation, effect, negated); every statement on exactly one."""

    @pytest.fixture(scope="class")
    @staticmethod
    def extra(tmp_path_factory):
        return iapgraph.load([write_mini_graph(tmp_path_factory.mktemp("extra") / "g", extra=True)],
                             cache=False)

    @staticmethod
    def keys(edges) -> list[tuple]:
        return [(e["from"], e["to"], e["relation"], e["effect"], e["negated"]) for e in edges]

    def test_repeated_statements_are_one_edge(self, extra):
        data = page_data(extra, build_view(extra))
        edges = {e["id"]: e for e in data["edges"]}
        # XIAP inhibits caspase-9: m-001, m-101, and m-102 through XIAP's BIR3
        assert edges["m-001"]["statements"] == ["m-001", "m-101", "m-102"]
        assert edges["m-001"]["label"] == "inhibits ×3"
        assert edges["m-001"]["width"] > edges["m-011"]["width"]
        assert data["statements"]["m-101"]["hedged"] is True
        assert "hedged" not in data["statements"]["m-102"]
        keys = self.keys(data["edges"])
        assert len(keys) == len(set(keys))
        carried = [sid for e in data["edges"] for sid in e["statements"]]
        assert sorted(carried) == sorted(data["statements"]) == sorted(s.id for s in build_view(extra).statements)

    def test_self_loops_do_not_overlap(self, extra):
        data = page_data(extra, build_view(extra))
        loops = [e for e in data["edges"] if e["from"] == e["to"]]
        assert {e["id"] for e in loops} == {"m-103", "m-104"}
        assert {e["label"] for e in loops} == {"ubiquitinates", "inhibits"}
        shapes = [(e["selfReference"]["size"], e["selfReference"]["angle"]) for e in loops]
        assert len({s for s, _ in shapes}) == 2 and len({a for _, a in shapes}) == 2

    @pytest.mark.parametrize("options", [{}, {"focus": ["XIAP"]}, {"focus": ["XIAP"], "depth": 2},
                                         {"path": ("SMAC mimetics", "caspase-3")},
                                         {"path": ("SMAC mimetics", "caspase-3"), "all_edges": True},
                                         {"hallmark": "resisting cell death"}, {"domains": True}])
    def test_curated_views_draw_each_assertion_once(self, kg, options):
        view = build_view(kg, **options)
        data = page_data(kg, view)
        keys = self.keys(data["edges"])
        assert len(keys) == len(set(keys))
        expected = {(*view.ends[s.id], s.relation, s.effect, s.negated) for s in view.statements}
        assert set(keys) == expected
        carried = [sid for e in data["edges"] for sid in e["statements"]]
        assert sorted(carried) == sorted(s.id for s in view.statements)

    def test_full_curated_graph_folds_parallel_statements(self, kg):
        data = page_data(kg, build_view(kg))
        assert len(data["edges"]) == len(set(assertion_keys(kg))) < len(assertion_keys(kg))


class TestLayout:
    """Positions are computed here, stored in the page, the same every time."""

    def test_every_node_has_a_position(self, kg):
        data = page_data(kg, build_view(kg))
        assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
        assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])  # none on another
        assert data["options"]["physics"]["enabled"] is False
        assert page_data(kg, build_view(kg))["nodes"] == data["nodes"]

    @pytest.mark.parametrize(("source", "target"), [("SMAC mimetics", "caspase-3"), ("XIAP", "ERK1/2"),
                                                    ("cIAP1", "NIK"), ("SMAC", "apoptosis")])
    def test_path_reads_left_to_right(self, kg, source, target):
        view = build_view(kg, path=(source, target), k=5)
        data = page_data(kg, view)
        x = {n["id"]: n["x"] for n in data["nodes"]}
        src, dst = view.path
        assert view.chains, (source, target)
        assert x[src] < x[dst]
        for node, at in x.items():
            if node not in (src, dst):
                assert x[src] < at < x[dst], (node, at, x[src], x[dst])
        # only the chains' statements are drawn, and the target says the net effect
        assert {sid for e in data["edges"] for sid in e["statements"]} == view.highlight_statements
        target_node = next(n for n in data["nodes"] if n["id"] == dst)
        assert target_node["net"].startswith("net: ")
        assert [c["net"] for c in data["chains"]] == view.chain_nets

    def test_path_with_all_edges_keeps_the_order(self, kg):
        view = build_view(kg, path=("SMAC mimetics", "caspase-3"), all_edges=True)
        narrow = build_view(kg, path=("SMAC mimetics", "caspase-3"))
        assert set(view.nodes) == set(narrow.nodes)
        assert {s.id for s in view.statements} > {s.id for s in narrow.statements}
        x = {n["id"]: n["x"] for n in page_data(kg, view)["nodes"]}
        src, dst = view.path
        assert all(x[src] < x[n] < x[dst] for n in x if n not in (src, dst))

    def test_layered_unit(self):
        pos = layered([["S", "A", "T"], ["S", "B", "C", "T"], ["S", "B", "D", "T"]], "S", "T")
        assert pos["S"][0] == 0 and pos["T"][0] > 0
        assert all(0 < pos[n][0] < pos["T"][0] for n in "ABCD")
        assert pos["B"][0] < pos["C"][0] and pos["C"][0] == pos["D"][0] and pos["C"][1] != pos["D"][1]

    def test_focus_draws_what_the_walk_used(self, kg):
        view = build_view(kg, focus=["XIAP"])
        centre = kg.resolve("XIAP")
        assert view.statements and all(centre in view.ends[s.id] for s in view.statements)
        wide = build_view(kg, focus=["XIAP"], all_edges=True)
        assert set(wide.nodes) == set(view.nodes) and len(wide.statements) > len(view.statements)

    def test_overview_labels_iaps_hallmarks_and_hubs(self, kg):
        data = page_data(kg, build_view(kg))
        fonts = {n["id"]: n["font"] for n in data["nodes"]}
        small = min(fonts.values())
        labelled = {n for n, f in fonts.items() if f > small}
        cats = {n["id"]: n["cat"] for n in data["nodes"]}
        assert {n for n, c in cats.items() if c in ("iap", "hallmark")} <= labelled
        assert len(labelled) < len(fonts) / 4  # the rest are small marks

    def test_big_views_paint_in_two_steps(self, kg, mini):
        from iapgraph.viz.page import PROGRESSIVE

        full = page_data(kg, build_view(kg))
        assert len(full["nodes"]) + len(full["edges"]) > PROGRESSIVE and full["progressive"] is True
        focus = page_data(kg, build_view(kg, focus=["XIAP"]))
        assert len(focus["nodes"]) + len(focus["edges"]) <= PROGRESSIVE and focus["progressive"] is False
        assert page_data(mini, build_view(mini))["progressive"] is False

    def test_curated_file_under_2_mb(self, kg, tmp_path):
        from iapgraph.viz.page import write_html

        path, _ = write_html(kg, tmp_path / "full.html")
        assert path.stat().st_size < 2_000_000


class TestHtml:
    @pytest.fixture(scope="class")
    @staticmethod
    def html(mini) -> str:
        return render_html(page_data(mini, build_view(mini)))

    def test_nothing_refers_to_the_network(self, html):
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
        assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", html, re.I)
        assert "@import" not in html and "<link" not in html.lower()
        for host in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "bootstrap"):
            assert host not in html.lower()

    def test_probe_text_is_escaped(self, html):
        assert SCRIPT_PROBE not in html and "<img" not in html
        data = json.loads(re.search(r'<script type="application/json" id="iapgraph-data">(.*?)</script>',
                                    html, re.S).group(1))
        assert any(s["evidence"] == PROBE_QUOTE for s in data["statements"].values())
        assert any(IMG_PROBE in n["label"] for n in data["nodes"])

    def test_title_is_escaped(self, mini):
        html = render_html(page_data(mini, build_view(mini), title=f"My {SCRIPT_PROBE} view"))
        assert SCRIPT_PROBE not in html
        assert "<title>My &lt;script&gt;window.__xss=1&lt;/script&gt; view</title>" in html

    def test_csp_allows_exactly_the_inline_scripts(self, html):
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
        assert "default-src 'none'" in csp and "unsafe-eval" not in csp
        scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
        assert len(scripts) == 2  # vis-network, the page script; the data block is not a script
        hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
                  for s in scripts}
        allowed = set(re.search(r"script-src ([^;]+)", csp).group(1).split())
        assert allowed == hashes

    def test_safe_json_cannot_close_the_script(self):
        text = safe_json({"q": "</script><!-- & \u2028"})
        assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
        assert json.loads(text) == {"q": "</script><!-- & \u2028"}

    def test_identifier_links_only_to_known_registries(self, mini, html):
        assert xref_link("hgnc:592") == ["hgnc:592", "https://bioregistry.io/hgnc:592"]
        assert xref_link("uniprot:P98170") == ["uniprot:P98170", "https://bioregistry.io/uniprot:P98170"]
        assert xref_link("javascript:alert(1)") == ["javascript:alert(1)", ""]
        assert xref_link("hgnc:abc") == ["hgnc:abc", ""]  # does not match the registry's pattern
        data = page_data(mini, build_view(mini))
        urls = [url for n in data["nodes"] for _, url in n["info"]["xrefs"]]
        prefixes = tuple(p.uri_prefix for p in vocab.PREFIXES.values())
        assert urls and all(u.startswith(prefixes) for u in urls)


class TestCli:
    def test_same_input_same_bytes(self, cli, mini_dir, tmp_path):
        outputs = []
        for seed in ("1", "2"):
            out = tmp_path / f"v{seed}.html"
            result = cli("viz", "--graph-dir", str(mini_dir), "-o", str(out), "--path", "SMAC", "caspase-3")
            assert result.returncode == 0, result.stderr
            outputs.append(out.read_bytes())
        assert outputs[0] == outputs[1]

    def test_writes_and_reports(self, cli, mini_dir, tmp_path):
        out = tmp_path / "focus.html"
        result = cli("viz", "--graph-dir", str(mini_dir), "-o", str(out), "--focus", "XIAP")
        assert result.returncode == 0, result.stderr
        assert "7 nodes, 7 statements" in result.stdout
        assert out.stat().st_size > 400_000  # vis-network inlined

    @pytest.mark.parametrize(("args", "code", "message"), [
        (["--focus", "XIAPP"], 2, "unknown entity 'XIAPP'; did you mean: XIAP"),
        (["--relation", "bindz"], 2, "did you mean: binds"),
        (["--hallmark", "cIAP1"], 2, "is a protein, not a hallmark"),
        (["--path", "SMAC", "caspase-33"], 2, "unknown entity 'caspase-33'"),
        (["--kind", "drugg"], 2, "did you mean: drug"),
    ])
    def test_errors_are_one_line(self, cli, mini_dir, tmp_path, args, code, message):
        result = cli("viz", "--graph-dir", str(mini_dir), "-o", str(tmp_path / "x.html"), *args)
        assert result.returncode == code
        assert message in result.stderr and "Traceback" not in result.stderr
        assert result.stderr.strip().count("\n") == 0
        assert not (tmp_path / "x.html").exists()

    def test_unwritable_output_leaves_nothing(self, cli, mini_dir, tmp_path):
        result = cli("viz", "--graph-dir", str(mini_dir), "-o", str(tmp_path / "missing" / "x.html"))
        assert result.returncode == 1 and "does not exist" in result.stderr
        assert "Traceback" not in result.stderr
        out = tmp_path / "keep.html"
        out.write_text("previous", encoding="utf-8")
        broken = tmp_path / "broken"
        broken.mkdir()
        (broken / "statements.tsv").write_text("id\tsubject\n", encoding="utf-8")
        result = cli("viz", "--graph-dir", str(broken), "-o", str(out))
        assert result.returncode == 1 and out.read_text(encoding="utf-8") == "previous"
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


class TestBeyondAndClasses:
    """What the page carries for a click on a node (its neighbours beyond the view) and for the
    filter by class (the subtype index)."""

    def test_neighbours_beyond_the_focus(self, mini):
        data = page_data(mini, build_view(mini, focus=["XIAP"], depth=1))
        drawn = {n["id"] for n in data["nodes"]}
        more = data["more"]
        ends = {aid: (e["from"], e["to"]) for aid, e in more["assertions"].items()}
        # caspase-9 leads on to caspase-3, SMAC mimetics to cIAP1: neither drawn at depth 1
        assert more["edges"]["CASP9"] == ["m-011"] and ends["m-011"] == ("CASP9", "CASP3")
        assert more["edges"]["smac_mimetics"] == ["m-009"] and ends["m-009"] == ("smac_mimetics", "BIRC2")
        # and the nodes a click adds expand in turn: caspase-3 to apoptosis and cIAP1, cIAP1 to NIK
        assert set(more["edges"]["CASP3"]) == {"m-010", "m-007"}
        assert set(more["edges"]["BIRC2"]) == {"m-006", "m-007"}
        assert ends["m-007"] == ("BIRC2", "CASP3") and more["assertions"]["m-007"]["negated"] is True
        assert set(more["nodes"]) == {"CASP3", "BIRC2", "apoptosis", "MAP3K14"} and not set(more["nodes"]) & drawn
        assert more["total"] == {"CASP9": 1, "smac_mimetics": 1, "CASP3": 2, "BIRC2": 2, "apoptosis": 1,
                                 "MAP3K14": 1}
        # their statements travel apart from the view's, with their quotes
        assert set(more["statements"]) == {"m-006", "m-007", "m-009", "m-010", "m-011"}
        assert not set(more["statements"]) & set(data["statements"])
        assert more["statements"]["m-011"]["evidence"].startswith("Test quote eleven")

    def test_rings_stop_at_the_budget(self, mini, monkeypatch):
        from iapgraph.viz import page

        monkeypatch.setattr(page, "MORE_STATEMENTS", 2)
        more = page_data(mini, build_view(mini, focus=["XIAP"], depth=1))["more"]
        # the first ring always; the second (three more statements) would pass the budget
        assert set(more["nodes"]) == {"CASP3", "BIRC2"} and set(more["edges"]) == {"CASP9", "smac_mimetics"}
        assert more["total"] == {"CASP9": 1, "smac_mimetics": 1, "CASP3": 2, "BIRC2": 2}
        assert set(more["statements"]) == {"m-009", "m-011"}

    def test_nothing_beyond_the_full_graph_or_a_path(self, mini):
        assert page_data(mini, build_view(mini))["more"]["nodes"] == {}
        assert page_data(mini, build_view(mini, path=("SMAC mimetics", "caspase-3")))["more"]["edges"] == {}

    def test_at_most_the_limit_per_node(self, kg):
        from iapgraph.viz.page import MORE_PER_NODE

        view = build_view(kg, focus=["XIAP"], depth=1)
        more = page_data(kg, view)["more"]
        assert more["edges"] and max(more["total"].values()) > MORE_PER_NODE  # the limit is met
        drawn = set(view.nodes)
        for nid, ids in more["edges"].items():
            edges = [more["assertions"][i] for i in ids]
            assert all(nid in (e["from"], e["to"]) for e in edges)
            partners = {e["to"] if e["from"] == nid else e["from"] for e in edges}
            assert len(partners) == min(MORE_PER_NODE, more["total"][nid])
            assert partners <= set(more["nodes"]) and not partners & drawn
        # the curated graph fits whole: every node a click can add expands in turn
        assert all(n in more["edges"] for n in more["nodes"] if more["total"].get(n))

    def test_focus_file_under_2_mb(self, cli, tmp_path):
        out = tmp_path / "focus.html"
        assert cli("viz", "--focus", "XIAP", "-o", str(out)).returncode == 0
        assert out.stat().st_size < 2_000_000

    def test_subtype_index(self, kg):
        view = build_view(kg)
        classes = page_data(kg, view)["classes"]
        lung = kg.resolve("lung cancer")
        assert set(classes["subtypes"][lung]) == {kg.resolve(n) for n in ("lung carcinoma", "NSCLC", "SCLC")}
        assert classes["labels"][lung] == "lung cancer"
        drawn = {s.id: s for s in view.statements}
        for member, sids in classes["touch"].items():
            assert sids and all(member in {drawn[sid].subject, drawn[sid].object, *drawn[sid].contexts}
                                for sid in sids)


def test_large_layout_without_scipy_is_one_clear_error(monkeypatch):
    """scipy is the `large` extra, not the runtime: without it a view of 500+ connected nodes gets
    one UsageError naming the install, never an ImportError traceback."""
    import sys

    import networkx as nx

    from iapgraph.exceptions import UsageError
    from iapgraph.viz import layout

    monkeypatch.setitem(sys.modules, "scipy", None)  # import scipy -> ImportError
    ring = nx.cycle_graph([f"n{i}" for i in range(600)])
    with pytest.raises(UsageError, match=r"^laying out 600 connected nodes needs scipy: pip install "
                                         r"'iapgraph\[large\]'"):
        layout._component(ring, list(ring), 7)
    small = nx.path_graph(["a", "b", "c"])
    assert set(layout._component(small, list(small), 7)) == {"a", "b", "c"}
