"""Lint: every curated file is in canonical form (sorted by id), so diffs stay reviewable."""

from __future__ import annotations

import pytest

from iapgraph.canonical import canonical_text, tsv_files

from .conftest import GRAPH_DIR


@pytest.mark.parametrize("path", tsv_files(GRAPH_DIR), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_file_is_canonical(path):
    text = path.read_text(encoding="utf-8")
    assert text == canonical_text(text), (
        f"{path} is not in canonical form (rows sorted by id, cells trimmed); "
        "fix it with: make format-graph")
