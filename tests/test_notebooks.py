"""Every notebook in notebooks/ runs top to bottom on this checkout, headless, and is stored clean.

Each notebook is copied to a temporary folder and executed there with nbclient, on a kernel that is
this interpreter (a kernelspec written for ``sys.executable`` and put first on ``JUPYTER_PATH``, so
a user-level ``python3`` kernel elsewhere cannot take over), with matplotlib's Agg backend and the
checkout's ``src`` first on ``PYTHONPATH``; no display is needed (the notebooks draw with
``%matplotlib inline``, which renders through Agg). A cell that raises fails the test with the
cell's traceback; a cell that runs longer than ``CELL_TIMEOUT`` seconds fails it too (a hung
kernel, not a speed check). The notebooks' own ``assert`` cells tie them to the curated graph, and
the inline HTML view is opened in Debian's chromium to check it draws with no request leaving.
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
from tests.test_viz_browser import browser  # noqa: E402, F401  (the chromium fixture)

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


def run(nb, folder: Path, env: dict[str, str], name: str = "notebook"):
    """Execute ``nb`` in place in ``folder`` on this interpreter's kernel, with ``env`` set."""
    from jupyter_client.kernelspec import KernelSpecManager

    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        spec = KernelSpecManager().get_kernel_spec("python3")
        assert spec.argv[0] == sys.executable, spec.argv
        client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT,
                                         resources={"metadata": {"path": str(folder)}})
        started = time.perf_counter()
        client.execute()  # raises CellExecutionError naming the cell on the first error
        print(f"{name}: {len(nb.cells)} cells in {time.perf_counter() - started:.1f} s")
    return nb


def execute(path: Path, folder: Path, env: dict[str, str]):
    """Run a copy of the notebook file in ``folder``; return it executed."""
    work = folder / path.name
    shutil.copy(path, work)
    return run(nbformat.read(work, as_version=4), folder, env, path.name)


@pytest.mark.slow
def test_the_harness_uses_this_interpreter_and_fails_on_a_cell_error(kernel_env, tmp_path: Path):
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell("import sys, matplotlib\nprint(sys.executable)\n"
                                           "print(matplotlib.get_backend())"),
                             new_code_cell("assert 1 == 2, 'a failing cell'"),
                             new_code_cell("print('not reached')")])
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="a failing cell"):
        run(nb, tmp_path, kernel_env)
    assert nb.cells[0].outputs[0].text.splitlines() == [sys.executable, "Agg"]
    assert not nb.cells[2].get("outputs")


@pytest.fixture(scope="module")
def executed(kernel_env, tmp_path_factory):
    """Each notebook executed once for this module (the browser test reuses the run)."""
    done: dict[str, object] = {}

    def run(path: Path):
        if path.name not in done:
            done[path.name] = execute(path, tmp_path_factory.mktemp(path.stem), kernel_env)
        return done[path.name]

    return run


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path: Path, executed):
    nb = executed(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert images, "each notebook draws at least one figure"
    assert not list(ROOT.joinpath("notebooks").glob("*.html")), "a notebook wrote into notebooks/"


@pytest.mark.slow
@pytest.mark.browser
def test_inline_view_draws_offline_in_a_browser(executed, browser, tmp_path: Path):  # noqa: F811
    """The notebook's inline HTML view, as Jupyter would show it: drawn, with no request out."""
    nb = executed(ROOT / "notebooks" / "explore_iap_signaling.ipynb")
    frames = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "srcdoc=" in o.get("data", {}).get("text/html", "")]
    assert len(frames) == 1
    host = tmp_path / "cell-output.html"
    host.write_text(f"<!doctype html><html><body>{frames[0]}</body></html>", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 800}, service_workers="block")
    requests: list[str] = []
    errors: list[str] = []
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(("file:", "data:", "about:")) else route.abort())
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(host.as_uri())
        frame = next(f for f in page.frames if f.url == "about:srcdoc")
        started = time.monotonic()
        # settled: drawn and fitted; complete: every node and edge a vis object (big views paint first)
        while not frame.evaluate("() => !!(window.iapgraph && window.iapgraph.settled && window.iapgraph.complete)"):
            assert time.monotonic() - started < 120, "the inline view did not settle"
            page.wait_for_timeout(50)
        drawn = frame.evaluate("() => iapgraph.network.body.nodeIndices.length")
    finally:
        context.close()
    printed = next(line for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream" for line in o.text.splitlines() if "xiap-focus.html" in line)
    assert drawn == int(printed.split(": ")[1].split(" nodes")[0]) > 20
    assert [u for u in requests if not u.startswith(("file:", "data:", "about:"))] == []
    assert errors == []
