"""Run the ``kgx`` command line offline, with the Biolink model the biolink-model package ships.

kgx (2.7) reaches the network in two places: bmt's ``Toolkit()`` (built when kgx is imported) reads
biolink-model.yaml and predicate_mapping.yaml from GitHub, and kgx's config reads Biolink's JSON-LD
context from GitHub. Here the Toolkit reads the schema packaged in ``biolink_model`` (a dependency of
bmt) and kgx's context cache is filled from that package's prefix map, plus exokg's own ``EXOKG``
prefix (a namespace Biolink cannot know). The predicate map (non-Biolink predicate → Biolink) is not
packaged and is left empty: validation does not use it. Everything else is kgx's own code::

    python tests/kgx_offline.py validate -i tsv nodes.tsv edges.tsv
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import biolink_model
import bmt.toolkit
from linkml_runtime.utils.schemaview import SchemaView

PACKAGE = Path(biolink_model.__path__[0])
SCHEMA = PACKAGE / "schema" / "biolink_model.yaml"
PREFIX_MAP = PACKAGE / "prefixmaps" / "biolink-model-prefix-map.json"
OWN_PREFIXES = {"EXOKG": "https://w3id.org/exokg/EXOKG_"}


def _toolkit_init(self: Any, schema: Any = str(SCHEMA), predicate_map: Any = None) -> None:
    self.view = SchemaView(str(SCHEMA) if str(schema).startswith("http") else schema)
    self.pmap = {}


def main() -> int:
    bmt.toolkit.Toolkit.__init__ = _toolkit_init  # type: ignore[method-assign]
    import kgx.config

    prefixes = json.loads(PREFIX_MAP.read_text(encoding="utf-8"))
    context = {**prefixes.get("@context", prefixes), **OWN_PREFIXES}
    for name in ("biolink", "monarch_context", "obo_context"):
        kgx.config.jsonld_context_map[name] = context
    from kgx.cli import cli

    return int(cli() or 0)


if __name__ == "__main__":
    sys.exit(main())
