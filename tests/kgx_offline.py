"""Run ``kgx validate`` with no network: ``python tests/kgx_offline.py NODES EDGES`` prints kgx's report
as JSON (``{level: {code: {message: [ids]}}}``).

kgx builds a Biolink Model Toolkit at import time and fetches the model's YAML, the predicate map
and a JSON-LD context from GitHub. Here the Toolkit reads the YAML that the ``biolink-model``
package ships, the predicate map is empty (validation does not use it), and the prefixes kgx checks
CURIEs against are the package's own prefix maps (both files it ships, merged).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import biolink_model
import bmt.toolkit

ROOT = Path(next(iter(biolink_model.__path__)))
SCHEMA = ROOT / "schema" / "biolink_model.yaml"
PREFIX_MAPS = [ROOT / "prefixmaps" / "biolink_model_prefix_map.json",
               ROOT / "prefixmaps" / "biolink-model-prefix-map.json"]


def main(files: list[str]) -> int:
    bmt.toolkit.Toolkit.__init__.__defaults__ = (str(SCHEMA), {"predicate mappings": []})
    import kgx.config

    context: dict[str, str] = {}
    for path in PREFIX_MAPS:
        context.update(json.loads(path.read_text(encoding="utf-8")))
    kgx.config.jsonld_context_map["biolink"] = context
    from kgx.cli.cli_utils import validate

    errors = validate(files, "tsv", None, None)
    print(json.dumps(errors, default=str, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
