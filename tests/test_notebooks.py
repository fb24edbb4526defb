"""Every notebook in notebooks/ runs top to bottom on this checkout, headless, and is stored clean.

Each notebook is copied to a temporary folder and executed there with nbclient, on a kernel that is
this interpreter (a kernelspec written for ``sys.executable`` and put first on ``JUPYTER_PATH``, so
a user-level ``python3`` kernel elsewhere cannot take over), with matplotlib's Agg backend and the
checkout's ``src`` first on ``PYTHONPATH``. A cell that raises fails the test with the cell's
traceback; a cell that runs longer than ``CELL_TIMEOUT`` seconds fails it too (a hung kernel, not a
speed check). The notebooks' own ``assert`` cells tie them to the curated graph.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from tests.conftest import ROOT, SRC  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Seconds one cell may run: generous for a slow shared machine, short enough to catch a hang.
CELL_TIMEOUT = 300


def test_the_notebooks_exist():
    assert {p.name for p in NOTEBOOKS} >= {"explore_iap_signaling.ipynb", "clinical_layer.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, (f"{path.name}: cells {dirty} have outputs; clear them before committing "
                       f"(python scripts/clear_notebooks.py {path.relative_to(ROOT)})")
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown", "open with a markdown cell that says what and why"


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory) -> dict[str, str]:
    """A python3 kernelspec for this interpreter, first on JUPYTER_PATH; Agg; src on PYTHONPATH."""
    from ipykernel.kernelspec import write_kernel_spec

    jupyter = tmp_path_factory.mktemp("jupyter")
    write_kernel_spec(jupyter / "kernels" / "python3")
    return {
        "JUPYTER_PATH": str(jupyter),
        "MPLBACKEND": "Agg",
        "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path, kernel_env, monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    for key, value in kernel_env.items():
        monkeypatch.setenv(key, value)
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[0] == sys.executable, spec.argv

    work = tmp_path / path.name
    shutil.copy(path, work)
    nb = nbformat.read(work, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(tmp_path)}})
    started = time.perf_counter()
    client.execute()  # raises CellExecutionError naming the cell on the first error
    elapsed = time.perf_counter() - started
    print(f"{path.name}: {len(nb.cells)} cells in {elapsed:.1f} s")

    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert images, "each notebook draws at least one figure"
    assert not list(ROOT.joinpath("notebooks").glob("*.html")), "a notebook wrote into notebooks/"
