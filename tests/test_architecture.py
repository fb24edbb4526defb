"""The house rules, read from the source: data flows one way, the wings never load, the CLI goes
through the facade, no import cycle (lazy imports included), every error class in exceptions.py,
and the public API is explicit, typed and documented.

Layers, lowest first (a module may import its own layer and the ones below, never above):

0 base       _version model vocab exceptions signs outputs forks
1 load       load validate resolve canonical hierarchy cycles
2 builders   rdf ntriples network shacl cache records render args coverage assertions trials graphdiff grounding
3 wings      paths/ sparql/ export/ viz/   (viz may use paths; no other wing uses another)
4 facade     kg, the package's __init__
5 CLI        cli options commands/ __main__
"""

from __future__ import annotations

import ast
import importlib
import inspect
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

import iapgraph

SRC = Path(iapgraph.__file__).resolve().parent
PACKAGE = "iapgraph"

LAYERS = {
    0: {"_version", "model", "vocab", "exceptions", "signs", "outputs", "forks"},
    1: {"load", "validate", "resolve", "canonical", "hierarchy", "cycles"},
    2: {"rdf", "ntriples", "network", "shacl", "cache", "records", "render", "args", "coverage", "assertions", "trials",
        "graphdiff", "grounding"},
    3: {"paths", "sparql", "export", "viz"},
    4: {"kg", "__init__"},
    5: {"cli", "options", "commands", "__main__"},
}
WINGS = LAYERS[3]
#: Wing -> the other wings it may use.
WING_USES = {"viz": {"paths"}}
#: What only the facade may touch: the CLI never loads, validates or builds a graph itself.
CLI_FORBIDDEN = {"load", "validate", "resolve", "canonical", "cache", "rdf", "network", "shacl"}
#: What the wings never touch: they are handed a graph.
WING_FORBIDDEN = {"load", "validate", "canonical", "kg"}


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    target: str  # imported module, dotted
    file: str
    line: int


def module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(SRC).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def imports_of(path: Path, known: set[str]) -> list[Import]:
    """Every import of an iapgraph module in ``path``, at any depth (inside functions too)."""
    name = module_name(path)
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem for a in node.names]
        for target in targets:
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                found.append(Import(name, target, str(path.relative_to(SRC.parent.parent)), node.lineno))
    return found


def unit(module: str) -> str:
    """The layer unit of a module: its first component under the package (``paths`` for
    ``iapgraph.paths.search``); ``__init__`` for the package itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer(module: str) -> int:
    u = unit(module)
    for number, names in LAYERS.items():
        if u in names:
            return number
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_architecture.py")


ALL = modules()
IMPORTS = [imp for path in ALL.values() for imp in imports_of(path, set(ALL))]


def test_every_module_has_a_layer():
    for name in ALL:
        layer(name)


def rule_breaks(imports: list[Import]) -> list[str]:
    """One line per import against the layer rules, naming file and line."""
    bad = []
    for imp in imports:
        src, dst = unit(imp.source), unit(imp.target)
        if src == dst:
            continue
        where = f"{imp.file}:{imp.line}: {imp.source} imports {imp.target}"
        if layer(imp.target) > layer(imp.source):
            bad.append(f"{where} (layer {layer(imp.source)} imports layer {layer(imp.target)})")
        elif src in WINGS and dst in WINGS and dst not in WING_USES.get(src, set()):
            bad.append(f"{where} (a wing uses another wing)")
        elif src in WINGS and dst in WING_FORBIDDEN:
            bad.append(f"{where} (the wings are handed a graph; they never load)")
        elif layer(imp.source) == 5 and dst in CLI_FORBIDDEN:
            bad.append(f"{where} (the CLI goes through the facade)")
    return bad


def cycles(imports: list[Import]) -> list[str]:
    """One line per import cycle, each step as file:line."""
    graph = nx.DiGraph()
    where: dict[tuple[str, str], Import] = {}
    for imp in imports:
        target = imp.target if imp.target in ALL else imp.target.rpartition(".")[0]
        if target != imp.source and target in ALL:
            # a submodule importing its own package's __init__ is how Python imports work, not a cycle
            if imp.source.startswith(target + "."):
                continue
            graph.add_edge(imp.source, target)
            where.setdefault((imp.source, target), imp)
    lines = []
    for cycle in list(nx.simple_cycles(graph))[:10]:
        steps = [where[(a, b)] for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True)]
        lines.append(" -> ".join(f"{s.file}:{s.line}" for s in steps))
    return lines


def test_imports_follow_the_layers():
    bad = rule_breaks(IMPORTS)
    assert not bad, "\n".join(bad)


def test_no_import_cycle():
    found = cycles(IMPORTS)
    assert not found, "import cycles:\n" + "\n".join(found)


def test_the_checker_catches_bad_imports(tmp_path):
    """The rules can fail: a wing loading, a builder importing the facade, a wing using another
    wing, the CLI building a graph itself, and a lazy cycle, each reported with file and line."""
    probe = SRC / "paths" / "search.py"
    source = ("def f():\n    from ..kg import load\n    from ..sparql.query import query\n"
              "from ..validate import load_dataset\n")
    fake = tmp_path / "search.py"
    fake.write_text(source)
    found = imports_of(probe, set(ALL))  # the real file parses
    assert all(i.source == "iapgraph.paths.search" for i in found)
    tree = ast.parse(source)
    lazy = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert len(lazy) == 3  # the two inside the function are seen too
    probes = [Import("iapgraph.paths.search", "iapgraph.kg", "src/iapgraph/paths/search.py", 2),
              Import("iapgraph.paths.search", "iapgraph.sparql.query", "src/iapgraph/paths/search.py", 3),
              Import("iapgraph.paths.search", "iapgraph.validate", "src/iapgraph/paths/search.py", 4),
              Import("iapgraph.rdf", "iapgraph.kg", "src/iapgraph/rdf.py", 9),
              Import("iapgraph.commands.core", "iapgraph.load", "src/iapgraph/commands/core.py", 7)]
    bad = rule_breaks(probes)
    assert bad == [
        "src/iapgraph/paths/search.py:2: iapgraph.paths.search imports iapgraph.kg (layer 3 imports layer 4)",
        "src/iapgraph/paths/search.py:3: iapgraph.paths.search imports iapgraph.sparql.query "
        "(a wing uses another wing)",
        "src/iapgraph/paths/search.py:4: iapgraph.paths.search imports iapgraph.validate "
        "(the wings are handed a graph; they never load)",
        "src/iapgraph/rdf.py:9: iapgraph.rdf imports iapgraph.kg (layer 2 imports layer 4)",
        "src/iapgraph/commands/core.py:7: iapgraph.commands.core imports iapgraph.load "
        "(the CLI goes through the facade)",
    ]
    loop = [Import("iapgraph.paths.chains", "iapgraph.paths.disagreements", "a.py", 1),
            Import("iapgraph.paths.disagreements", "iapgraph.paths.chains", "b.py", 2)]
    assert cycles(loop) in (["a.py:1 -> b.py:2"], ["b.py:2 -> a.py:1"])


def test_every_error_class_is_in_exceptions():
    bad = []
    for name, path in ALL.items():
        if name.endswith("__main__"):
            continue
        module = importlib.import_module(name)
        for cls_name, cls in vars(module).items():
            if (inspect.isclass(cls) and issubclass(cls, BaseException) and cls.__module__ == name
                    and name != "iapgraph.exceptions"):
                line = inspect.getsourcelines(cls)[1]
                bad.append(f"{path.relative_to(SRC.parent.parent)}:{line}: {cls_name} belongs in exceptions.py")
    assert not bad, "\n".join(bad)


# --- the public API ----------------------------------------------------------------------------

METHODS = ("resolve", "entity", "find", "paths", "neighbors", "explain", "conflicts", "query", "export",
           "viz", "to_rdf", "to_networkx", "build", "counts", "coverage", "ntriples", "check_shapes", "trial",
           "hierarchy", "subtypes", "ancestors", "lineage", "grounding", "preferred_id")


@pytest.mark.parametrize("method", METHODS)
def test_facade_methods_are_real_and_documented(kg, method):
    assert method in dir(kg)
    func = getattr(iapgraph.KnowledgeGraph, method)
    assert not isinstance(inspect.getattr_static(iapgraph.KnowledgeGraph, method), property)
    doc = inspect.getdoc(func) or ""
    assert doc and "partial" not in doc
    hints = inspect.signature(func)
    assert hints.return_annotation is not inspect.Signature.empty, method
    if method in ("paths", "neighbors", "explain", "conflicts", "query", "export", "viz", "resolve", "find",
                  "hierarchy", "subtypes", "ancestors", "lineage", "preferred_id"):
        for section in ("Args:", "Returns:", "Raises:"):
            assert section in doc, (method, section)


def test_help_shows_the_real_docstring():
    text = inspect.getdoc(iapgraph.KnowledgeGraph.paths) or ""
    assert text.startswith("Chains of statements from ``source`` to ``target``")
    assert "UnknownEntity" in text


def test_no_getattr_magic():
    assert "__getattr__" not in vars(iapgraph.KnowledgeGraph)


def test_package_exports_the_record_types_and_errors():
    for name in ("load", "KnowledgeGraph", "Entity", "Statement", "Dataset", "Chain", "Hop", "Explanation",
                 "Neighbor", "Conflict", "Result", "FORMATS", "IapgraphError", "UnknownEntity",
                 "CurationError", "UsageError", "QuerySyntaxError", "ShaclError"):
        assert name in iapgraph.__all__ and hasattr(iapgraph, name), name
    import iapgraph.exceptions as exceptions

    for name, cls in vars(exceptions).items():
        if inspect.isclass(cls) and issubclass(cls, exceptions.IapgraphError):
            assert name in iapgraph.__all__, f"{name} is not exported from iapgraph"


def test_networkx_contract(kg):
    graph = kg.to_networkx()
    node = graph.nodes["BIRC2"]
    for key in ("label", "kind", "symbol", "aliases", "xrefs"):
        assert key in node
    assert node["label"] == "cIAP1" and node["kind"] == "protein" and "hgnc:590" in node["xrefs"]
    _, _, data = next(iter(graph.edges(data=True)))
    for key in ("relation", "effect", "mechanism", "domain", "context", "negated", "section", "citation",
                "evidence", "qualifiers"):
        assert key in data
    assert graph.number_of_edges() == len(kg.statements)


def test_cache_is_keyed_by_content(tmp_path, monkeypatch):
    """A same-size edit that keeps the old modification time is seen (the key reads the bytes)."""
    import os
    import shutil

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "g"
    shutil.copytree(Path(__file__).parent / "fixtures" / "paths_graph", folder)
    files = sorted(folder.rglob("*.tsv"))
    target = next(f for f in files if "entities" in str(f))
    before = iapgraph.load([folder])
    label = next(iter(before.entities.values())).label
    text = target.read_text(encoding="utf-8")
    stat = target.stat()
    swapped = label[::-1] if len(set(label)) > 1 else label.swapcase()
    assert len(swapped.encode()) == len(label.encode()) and swapped != label
    target.write_text(text.replace(f"\t{label}\t", f"\t{swapped}\t", 1), encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert target.stat().st_size == stat.st_size and target.stat().st_mtime_ns == stat.st_mtime_ns
    after = iapgraph.load([folder])
    assert after is not before
    assert next(iter(after.entities.values())).label == swapped


def test_corrupt_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from iapgraph import cache

    folder = Path(__file__).parent / "fixtures" / "paths_graph"
    files = sorted(folder.rglob("*.tsv"))
    key = cache.fingerprint(files)
    path = cache.cache_dir() / f"dataset-{key}.pickle"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle at all")
    kg = iapgraph.load([folder])
    assert len(kg.statements) > 0
