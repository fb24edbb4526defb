"""Clear the outputs of notebooks before committing them (the repository keeps them clean).

    python scripts/clear_notebooks.py notebooks/*.ipynb

Outputs are large (the inline HTML view is a megabyte), differ run to run and hide the diff of
what changed; ``tests/test_notebooks.py`` fails on a notebook stored with outputs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def clear(path: Path) -> bool:
    """Drop outputs and execution counts; return whether the file changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            cell.outputs, cell.execution_count = [], None
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


def main(paths: list[str]) -> int:
    for name in paths or sorted(str(p) for p in Path("notebooks").glob("*.ipynb")):
        if clear(Path(name)):
            print(f"cleared {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
