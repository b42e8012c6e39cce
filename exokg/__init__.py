"""exokg: a knowledge graph of extracellular-vesicle biology.

Importing exokg reads no file, starts no JVM and imports neither rdflib, owlready2, pyvis nor pyshacl:
the public API below is loaded on first use (PEP 562), so ``exokg --help`` and ``exokg list`` stay fast.

>>> import exokg
>>> exokg.__version__
'0.1.0'
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: `exokg ask` starts cold
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_API: dict[str, str] = {
    "DataError": "exokg.errors",
    "ExokgError": "exokg.errors",
    "UsageError": "exokg.errors",
}

__all__ = ["__version__", *sorted(_API)]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'exokg' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
