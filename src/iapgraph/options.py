"""Options shared across commands, defined once (``--graph-dir``, ``--format``)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from pathlib import Path

    from .kg import KnowledgeGraph

FORMATS = ("table", "csv", "tsv", "json")


class FolderPath(click.Path):
    """``click.Path(path_type=pathlib.Path)``, with pathlib imported only when the option is
    given: a cold lookup without ``--graph-dir`` never needs it (~3 ms to import)."""

    def coerce_path_result(self, value: Any) -> Any:
        from pathlib import Path

        return value if isinstance(value, Path) else Path(value)

    def to_info_dict(self) -> Any:
        return {**super().to_info_dict(), "param_type": "Path"}  # documented as click.Path is


def graph_dir_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--graph-dir DIR`` (repeatable; folders merge, clashes are validation errors)."""
    return click.option(
        "--graph-dir", "graph_dirs", multiple=True,
        type=FolderPath(file_okay=False),
        help="Curated graph folder; repeat to merge a lab's folder with ours. Default: the project's graph/.",
    )(func)


def format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--format table|csv|tsv|json``."""
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="Output: an aligned table for people, csv/tsv/json for programs.",
    )(func)


def load_graph(graph_dirs: tuple[Path, ...]) -> KnowledgeGraph:
    """Load the graph for a command (the default folder when none is given).

    In a program run of a lookup (``cli.QUICK_EXIT``) the graph lives as long as the process,
    like the imported modules: it is loaded with the collector off and then frozen
    (``gc.freeze``), so that no collection walks the unpickled objects again while the command
    runs (~1.5 ms of a cold lookup). Other commands (a build of a large lab folder) load as
    usual."""
    from .cli import PROGRAM_RUN, QUICK_EXIT
    from .kg import load

    ctx = click.get_current_context(silent=True)
    if ctx is None or not ctx.meta.get(PROGRAM_RUN) or ctx.command.name not in QUICK_EXIT:
        return load(list(graph_dirs) or None)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return load(list(graph_dirs) or None)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
