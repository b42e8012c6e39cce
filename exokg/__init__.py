"""exokg: a knowledge graph of extracellular-vesicle biology.

The public API is :func:`exokg.open` and what it returns (:mod:`exokg.api`): ask the competency
questions, look terms up, filter findings, and hand the graph to rdflib, networkx or owlready2.

Importing exokg reads no file, starts no JVM and imports neither rdflib, owlready2, pyvis nor pyshacl:
the public API is loaded on first use (PEP 562), so ``exokg --help`` and ``exokg list`` stay fast.

>>> import exokg
>>> exokg.__version__
'0.1.0'
>>> kg = exokg.open()
>>> kg.ask("evidence-for", term="TS/A-derived exosome").column("effect")[:1]
['no effect']
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: `exokg ask` starts cold
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_API: dict[str, str] = {
    "Answer": "exokg.api",
    "KnowledgeGraph": "exokg.api",
    "Match": "exokg.api",
    "TermRecord": "exokg.api",
    "open": "exokg.api",
    "DataError": "exokg.core.errors",
    "ExokgError": "exokg.core.errors",
    "UsageError": "exokg.core.errors",
}

__all__ = ["__version__", *sorted(_API)]


if TYPE_CHECKING:  # for type checkers and editors: the names __getattr__ gives
    from exokg.api import Answer as Answer
    from exokg.api import KnowledgeGraph as KnowledgeGraph
    from exokg.api import Match as Match
    from exokg.api import TermRecord as TermRecord
    from exokg.api import open as open
    from exokg.core.errors import DataError as DataError
    from exokg.core.errors import ExokgError as ExokgError
    from exokg.core.errors import UsageError as UsageError


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'exokg' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
