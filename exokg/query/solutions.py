"""An answer as plain values, whichever engine gave it: :class:`Term`, :class:`Solutions`, and
:class:`QueryTimeout` for a query stopped at its time limit.

The local store (:mod:`exokg.query.store`, which names them too) and a SPARQL endpoint
(:mod:`exokg.query.endpoint`) answer with them, so formatting and tests do not care which engine
answered. A cold ``exokg ask`` of a question asked before needs these and not the engines.
"""

from __future__ import annotations

import functools

from exokg.core.errors import UsageError
from exokg.core.prefixes import PREFIXES

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Literal

    TermKind = Literal["uri", "literal", "bnode"]

__all__ = ["XSD_STRING", "QueryTimeout", "Solutions", "Term"]

XSD_STRING = PREFIXES["xsd"] + "string"


@functools.total_ordering
class Term:
    """An RDF term as the W3C results formats see it: ``uri``, ``literal`` or ``bnode``.

    Literals always carry a datatype (``xsd:string`` for plain ones) unless they have a language tag.
    A term is a value: compared, ordered and hashed by its four fields, which are never changed.
    """

    __slots__ = ("datatype", "kind", "lang", "value")
    kind: TermKind
    value: str
    datatype: str | None
    lang: str | None

    def __init__(
        self, kind: TermKind, value: str, datatype: str | None = None, lang: str | None = None
    ) -> None:
        self.kind, self.value, self.datatype, self.lang = kind, value, datatype, lang

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("uri", value)

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        return cls("literal", value, None if lang else (datatype or XSD_STRING), lang)

    def _key(self) -> tuple[str, str, str | None, str | None]:
        return (self.kind, self.value, self.datatype, self.lang)

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, Term) else NotImplemented

    def __lt__(self, other: Term) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        kind, value, datatype, lang = self._key()
        return f"Term(kind={kind!r}, value={value!r}, datatype={datatype!r}, lang={lang!r})"


class Solutions:
    """The answer to a query: variable names and rows (``None`` where a variable is unbound).

    ``boolean`` is set for ``ASK`` queries; ``truncated`` says that ``limit`` cut rows off.
    """

    __slots__ = ("boolean", "rows", "truncated", "variables")

    def __init__(
        self,
        variables: list[str],
        rows: list[tuple[Term | None, ...]] | None = None,
        boolean: bool | None = None,
        truncated: bool = False,
    ) -> None:
        self.variables = variables
        self.rows = [] if rows is None else rows
        self.boolean = boolean
        self.truncated = truncated

    def __repr__(self) -> str:
        return (
            f"Solutions(variables={self.variables!r}, rows={self.rows!r}, "
            f"boolean={self.boolean!r}, truncated={self.truncated!r})"
        )


class QueryTimeout(UsageError):
    """A query ran longer than its time limit."""
