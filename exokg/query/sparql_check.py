"""What a query may do, decided on the tokens the engines read (SPARQL 1.1 grammar, §19.8).

exokg answers read-only questions over its own graph. Before a query reaches an engine (Oxigraph,
rdflib, or an endpoint), :func:`check_query` reads it the way the grammar says a SPARQL engine must:

1. codepoint escapes (``\\u0053``, ``\\U00000053``) are replaced first, everywhere, as §19.2 asks
   (rdflib does so; an engine that does not would read different tokens). An escape that stands for
   an ASCII character — the only characters that make syntax — is refused, so no reading of the
   query can turn an escape into a keyword, a quote, a bracket or a line end;
2. the text is cut into the grammar's terminals: the four string forms with their ``ECHAR`` escapes,
   comments that end at either line-end character, IRIs, prefixed names with their escapes, variables,
   blank nodes, numbers, language tags, keywords and punctuation. Anything that is none of them is
   refused: exokg never guesses where a token ends;
3. as Oxigraph reads them: its parser finds a keyword wherever its letters stand, even glued to what
   follows (``SERVICEex:s`` is ``SERVICE ex:s``, ``ORDER BYRAND()`` is ``ORDER BY RAND()``), so a bare
   word must be exactly one keyword, and a prefixed name must use a declared prefix (in the query, or
   one of exokg's) that is not a keyword glued to another declared prefix;
4. on those tokens: SPARQL Update is refused; ``SERVICE`` may reach only the endpoints named in
   ``allow_service``; ``FROM`` / ``FROM NAMED`` may name only exokg's graphs; a prefix declared twice
   with two IRIs (engines disagree on which wins) is refused; brackets nested deeper than
   :data:`MAX_DEPTH` are refused, because both engines parse recursively (50,000 parentheses crash
   Oxigraph and exhaust Python's stack in rdflib); so is a query over its budget of tokens
   (:data:`MAX_TOKENS`) or of links in chains (:data:`MAX_LINKS`: operators, path steps, patterns),
   set five times below the smallest chain measured to crash Oxigraph.

Every refusal is one :class:`~exokg.core.errors.UsageError` (exit 2). ``tests/test_sparql_check.py`` runs
generated queries that hide these keywords in every lexical context through both engines, against a
listening socket and a file they must not read.

Only the standard library's ``re`` is used; importing this module costs well under a millisecond.
"""

from __future__ import annotations

import re

from exokg.core.errors import UsageError
from exokg.core.prefixes import GRAPH_BASE, PREFIXES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

__all__ = [
    "GRAPHS",
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_LINKS",
    "MAX_TOKENS",
    "UPDATE_KEYWORDS",
    "VOLATILE",
    "Token",
    "check_query",
    "expand_escapes",
    "is_volatile",
    "tokens",
]

GRAPHS = frozenset(GRAPH_BASE + name for name in ("imports", "inferred", "ontology", "statements"))
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"}
)
MAX_DEPTH = 32  # brackets ( [ { inside one another; exokg's deepest question uses 7
# Every word SPARQL 1.1 gives a meaning (keywords and built-in functions), and those Oxigraph adds
# (RDF 1.2 triple terms, LATERAL, ADJUST). A bare word is nothing else in SPARQL.
KEYWORDS = frozenset(
    """BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE ORDER BY ASC
    DESC LIMIT OFFSET VALUES UNDEF OPTIONAL GRAPH SERVICE SILENT BIND MINUS FILTER UNION NOT IN
    EXISTS GROUP HAVING SEPARATOR COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT STR LANG LANGMATCHES
    DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI
    CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW
    UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK
    ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRUE FALSE A LATERAL ADJUST TRIPLE SUBJECT PREDICATE
    OBJECT ISTRIPLE LANGDIR STRLANGDIR HASLANG HASLANGDIR DATA DEFAULT ALL TO INTO""".split()  # noqa: SIM905
    + list(UPDATE_KEYWORDS)
)
# Functions whose value changes from one evaluation to the next: an answer calling them is not kept.
VOLATILE = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})
MAX_LENGTH = 1 << 20  # characters; far more than any question, and the guard's request limit
# The query budget. Long flat chains crash Oxigraph too (its parser and evaluator recurse along
# them): measured with pyoxigraph 0.5.13 in a worker thread and with `oxigraph serve-read-only`, the
# smallest crashing chains are 2,625 BINDs or MINUSes, 6,750 UNIONs or OPTIONALs, 7,000 `+` or `*`,
# 8,250 triple patterns or path steps, 9,500 `||` or `&&` or FILTERs (benchmarks/query_crash_thresholds.py).
# Links (operators, path steps, pattern separators and group keywords) are counted over the whole
# query and kept five times below the smallest of those; exokg's largest question has 58 links and
# 285 tokens.
MAX_LINKS = 500
MAX_TOKENS = 20_000  # a long VALUES block stays possible; parsing 20,000 tokens takes milliseconds
_LINK_PUNCT = frozenset("+ - * / | || && = != < > <= >= ^ . ; ! ?".split())  # noqa: SIM905
_LINK_WORDS = frozenset(
    {"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE", "VALUES", "EXISTS", "IN"}
)

# --- the grammar's terminals --------------------------------------------------------------------

# Name characters: ASCII ones by class, and any non-ASCII one (``[^\x00-\x7f]``), which
# :func:`_check_names` then holds to the grammar's ranges. Compiling the grammar's Unicode ranges into
# the expression itself would cost ~200 ms at every start of ``exokg ask``.
_NON_ASCII = r"[^\x00-\x7f]"
_B = rf"(?:[A-Za-z]|{_NON_ASCII})"  # PN_CHARS_BASE
_U = rf"(?:[A-Za-z_]|{_NON_ASCII})"  # PN_CHARS_U
_C = rf"(?:[A-Za-z_\-0-9]|{_NON_ASCII})"  # PN_CHARS
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"{_B}(?:(?:{_C}|\.)*{_C})?"
_LOCAL = rf"(?:{_U}|[:0-9]|{_PLX})(?:(?:{_C}|[.:]|{_PLX})*(?:{_C}|:|{_PLX}))?"
_VARNAME = rf"(?:{_U}|[0-9])(?:{_U}|[0-9])*"
_ECHAR = r"""\\[tbnrf\\"']"""
_WS = "[ \t\r\n]"

_TERMINALS = re.compile(
    rf"""(?P<ws>{_WS}+)
      | (?P<comment>\#[^\r\n]*)
      | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''
                  |\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|{_ECHAR}))*\"\"\"
                  |'(?:[^'\\\r\n]|{_ECHAR})*'
                  |"(?:[^"\\\r\n]|{_ECHAR})*")
      | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
      | (?P<nil>\({_WS}*\)|\[{_WS}*\])
      | (?P<var>[?$]{_VARNAME})
      | (?P<bnode>_:(?:{_U}|[0-9])(?:(?:{_C}|\.)*{_C})?)
      | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
      | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
      | (?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+
                  |[0-9]*\.[0-9]+|[0-9]+)
      | (?P<word>[A-Za-z][A-Za-z0-9_]*)
      | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[{{}}()\[\];,.=<>!+\-*/^|?])""",
    re.VERBOSE,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")


class Token:
    """One terminal: its kind (a group name of the lexer), its text and where it starts."""

    __slots__ = ("kind", "start", "text")

    def __init__(self, kind: str, text: str, start: int) -> None:
        self.kind, self.text, self.start = kind, text, start

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.text!r}, {self.start})"


def expand_escapes(sparql: str, where: str = "query") -> str:
    """Replace ``\\uXXXX`` / ``\\UXXXXXXXX`` as the grammar asks, refusing those that could be syntax.

    >>> expand_escapes("SELECT ('caf\\\\u00e9' AS ?x) {}")
    "SELECT ('café' AS ?x) {}"
    """

    def replace(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        if code < 0x80 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise UsageError(
                f"the escape {match[0]} stands for {'an ASCII' if code < 0x80 else 'no'} character:"
                " engines do not all read it the same way",
                where=_at(sparql, match.start(), where),
                fix="write the character itself",
            )
        return chr(code)

    return _ESCAPE.sub(replace, sparql) if "\\" in sparql else sparql


def tokens(sparql: str, where: str = "query") -> list[Token]:
    """The query's terminals, comments and white space left out; refuses what is not SPARQL.

    ``sparql`` is read as it is: call :func:`expand_escapes` first, as :func:`check_query` does.

    >>> [t.text for t in tokens('SELECT ("a\\\\"#" AS ?x) { } # SERVICE')]
    ['SELECT', '(', '"a\\\\"#"', 'AS', '?x', ')', '{', '}']
    """
    found: list[Token] = []
    at, end = 0, len(sparql)
    match = _TERMINALS.match
    # Whether each open bracket holds an expression (True) or patterns, terms or a list (False):
    # inside an expression, '<' after an operand is less-than to Oxigraph, never the start of an
    # IRI ('1<2)SERVICEex:s#>' is 1 < 2, then SERVICE ex:s, then a comment)
    inside: list[str] = []  # "expression", "terms" (patterns, collections, VALUES) or "triple"
    while at < end:
        m = match(sparql, at)
        if m is None:
            shown = repr(sparql[at : at + 12])
            raise UsageError(
                f"SPARQL syntax error: cannot read the query from {shown} on",
                where=_at(sparql, at, where),
                fix="close every string, IRI and bracket; use only SPARQL 1.1 syntax",
            )
        kind = m.lastgroup or "punct"
        text = m.group()
        if kind == "iri" and inside[-1:] == ["expression"] and found and _ends_operand(found[-1]):
            kind = "punct"
            text = "<=" if sparql.startswith("<=", at) else "<"
        if kind not in ("ws", "comment"):
            if kind == "punct" and text == "<" and sparql.startswith("<<", at):
                text = "<<"  # a triple term (RDF 1.2): terms follow terms until '>>'
                inside.append("triple")
            elif kind == "punct" and text == ">" and inside[-1:] == ["triple"]:
                text = ">>" if sparql.startswith(">>", at) else text
                if text == ">>":
                    inside.pop()
            elif kind == "punct" and text == "(":
                expression = _opens_expression(found, inside)
                inside.append("expression" if expression else "terms")
            elif kind == "punct" and text in "{[":
                inside.append("terms")
            elif kind == "punct" and text in ")}]" and inside:
                inside.pop()
            found.append(Token(kind, text, at))
        at += len(text) if kind == "punct" else m.end() - at
    return found


# Words after which '(' opens an expression: the clauses that take one, and every built-in function
_EXPRESSION_WORDS = KEYWORDS - frozenset(
    """BASE PREFIX CONSTRUCT DESCRIBE ASK WHERE VALUES UNDEF OPTIONAL GRAPH SERVICE SILENT MINUS
    UNION NOT EXISTS LIMIT OFFSET FROM NAMED A TRUE FALSE DATA DEFAULT ALL TO INTO LATERAL""".split()  # noqa: SIM905
)


def _ends_operand(token: Token) -> bool:
    """Whether ``token`` can end an operand of an expression (so '<' after it is less-than)."""
    if token.kind in ("var", "number", "string", "iri", "pname", "nil", "langtag", "bnode"):
        return True
    if token.kind == "word":
        return token.text.upper() in ("TRUE", "FALSE")
    return token.kind == "punct" and token.text in (")", "]")


def _opens_expression(before: list[Token], inside: list[str]) -> bool:
    """Whether a '(' after the tokens ``before`` opens an expression (a bracketed expression, a
    function's arguments, a projection, ORDER/GROUP BY or HAVING) rather than a collection of terms
    or VALUES' variables and rows."""
    previous = before[-1] if before else None
    if previous is not None and previous.kind == "punct" and previous.text == "<<":
        return False  # <<( s p o )>>, a triple term's terms
    if inside[-1:] == ["expression"]:
        return True
    word = previous.text.upper() if previous is not None and previous.kind == "word" else ""
    if word == "VALUES":
        return False
    if not inside:  # outside every bracket: SELECT (…), GROUP BY (…), ORDER BY ex:f(…), HAVING (…)
        return True
    if word:
        return word in _EXPRESSION_WORDS
    if previous is not None and previous.kind in ("iri", "pname"):  # FILTER ex:f(…) calls it
        earlier = before[-2] if len(before) > 1 else None
        return earlier is not None and earlier.kind == "word" and earlier.text.upper() == "FILTER"
    return False


# The grammar's non-ASCII name characters (§19.8: PN_CHARS_BASE, and the few more of PN_CHARS)
_NAME_RANGES = (
    (0x00B7, 0x00B7), (0x00C0, 0x00D6), (0x00D8, 0x00F6), (0x00F8, 0x037D), (0x037F, 0x1FFF),
    (0x200C, 0x200D), (0x203F, 0x2040), (0x2070, 0x218F), (0x2C00, 0x2FEF), (0x3001, 0xD7FF),
    (0xF900, 0xFDCF), (0xFDF0, 0xFFFD), (0x10000, 0xEFFFF),
)  # fmt: skip


def _is_name_char(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _NAME_RANGES)


def _check_names(text: str, read: list[Token], where: str) -> None:
    """Refuse a name (prefixed name, variable, blank node) with a non-ASCII character the grammar
    does not allow in names: no reading of the query may split the name there."""
    for token in read:
        if token.kind in ("pname", "var", "bnode") and not token.text.isascii():
            for char in token.text:
                if not char.isascii() and not _is_name_char(char):
                    raise UsageError(
                        f"the name {token.text[:40]!r} holds U+{ord(char):04X}, which SPARQL does"
                        " not allow in names",
                        where=_at(text, token.start, where),
                        fix="use letters, digits, '_' and '-' in names",
                    )


def _at(text: str, offset: int, where: str) -> str:
    """Where ``offset`` of ``text`` is, for a message: ``query:LINE:COLUMN``."""
    before = text[:offset]
    line, column = before.count("\n") + 1, offset - before.rfind("\n")
    return f"{where}:{line}:{column}"


def check_query(
    sparql: str,
    *,
    prefixes: Mapping[str, str] | None = None,
    allow_service: Collection[str] = (),
    allow_from: Collection[str] = GRAPHS,
    where: str = "query",
) -> list[Token]:
    """Refuse a query that could change the graph, make the engine fetch anything, or crash it.

    Returns the tokens read, for callers that need the query's structure (see
    :func:`exokg.query.store.where_group_start`).

    >>> _ = check_query("SELECT * WHERE { ?s ?p ?o }")
    >>> check_query("CLEAR ALL")
    Traceback (most recent call last):
    exokg.core.errors.UsageError: query: SPARQL Update (CLEAR) is not allowed ...
    """
    if len(sparql) > MAX_LENGTH:
        raise UsageError(
            f"the query is over {MAX_LENGTH} characters", where=where, fix="send a shorter query"
        )
    if "\x00" in sparql:
        raise UsageError("the query holds a NUL character: it is not text", where=where)
    text = expand_escapes(sparql, where)
    read = tokens(text, where)
    _check_names(text, read, where)
    _check_depth(text, read, where)
    names = dict(PREFIXES if prefixes is None else prefixes)
    declared: dict[str, str] = {}
    for i, token in enumerate(read):
        word = token.text.upper() if token.kind == "word" else ""
        if word == "PREFIX" and i + 2 < len(read) and read[i + 1].kind == "pname":
            name, iri = read[i + 1].text.rstrip(":"), read[i + 2].text.strip("<>")
            if declared.get(name, iri) != iri:
                raise UsageError(
                    f"the prefix {name}: is declared twice with different IRIs",
                    where=where,
                    fix="declare each prefix once",
                )
            declared[name] = names[name] = iri
    _check_words(text, read, names, where)
    for i, token in enumerate(read):
        word = token.text.upper() if token.kind == "word" else ""
        if word in UPDATE_KEYWORDS:
            raise UsageError(
                f"SPARQL Update ({word}) is not allowed: exokg answers read-only queries",
                where=where,
                fix="use SELECT or ASK; the graph is changed only by `exokg build`",
            )
        if word in ("SERVICE", "FROM"):
            rest = [t for t in read[i + 1 : i + 3] if t.text.upper() not in ("SILENT", "NAMED")]
            target = _iri(rest[0], names) if rest else None
            allowed = allow_service if word == "SERVICE" else allow_from
            if target is None or target not in allowed:
                shown = target or (rest[0].text if rest else "?")
                raise UsageError(
                    f"{word} <{shown}> is not allowed: exokg does not fetch data from elsewhere",
                    where=where,
                    fix="pass --allow-service URL to federate with that endpoint"
                    if word == "SERVICE"
                    else "use GRAPH <…> inside WHERE with one of exokg's graphs",
                )
    return read


def _check_words(text: str, read: list[Token], names: Mapping[str, str], where: str) -> None:
    """Read keywords and prefixed names as Oxigraph does, and refuse what it could read otherwise.

    Oxigraph's parser matches a keyword wherever its letters stand, even glued to what follows:
    ``SERVICEex:s`` is ``SERVICE ex:s`` to it when ``ex:`` is declared, ``ORDER BYRAND()`` is ``ORDER BY
    RAND()`` and ``NOTEXISTS`` is ``NOT EXISTS``. So a bare word must be one keyword (exokg does not
    split it), and a prefixed name must use a prefix that is declared (in the query, or by exokg)
    and that is not a keyword glued to another declared prefix (or to the empty one).
    """
    for token in read:
        if token.kind == "word" and token.text.upper() not in KEYWORDS:
            raise UsageError(
                f"{token.text[:40]!r} is not a SPARQL keyword (engines read keywords glued"
                " together differently)",
                where=_at(text, token.start, where),
                fix="put a space between keywords and before what follows them",
            )
        if token.kind != "pname":
            continue
        prefix = token.text.partition(":")[0]
        glued = next(
            (
                prefix[:cut]
                for cut in range(1, min(len(prefix), 16) + 1)
                if prefix[:cut].upper() in KEYWORDS and prefix[cut:] in names
            ),
            "",
        )
        if prefix not in names:
            raise UsageError(
                f"the prefix {prefix}: is not declared",
                where=_at(text, token.start, where),
                fix=f"declare it with PREFIX {prefix}: <…>",
            )
        if glued:
            raise UsageError(
                f"the prefix {prefix}: could be read as {glued} {prefix[len(glued) :]}:",
                where=_at(text, token.start, where),
                fix="name the prefix so that it does not start with a SPARQL keyword",
            )


def is_federated(read: list[Token]) -> bool:
    """Whether the query reaches another endpoint with ``SERVICE``."""
    return any(t.kind == "word" and t.text.upper() == "SERVICE" for t in read)


def is_volatile(read: list[Token]) -> bool:
    """Whether the query calls a function whose value changes each time (``NOW``, ``RAND``, …)."""
    return any(t.kind == "word" and t.text.upper() in VOLATILE for t in read)


def _check_depth(text: str, read: list[Token], where: str) -> None:
    """Refuse brackets nested past :data:`MAX_DEPTH`, and a query over its budget of tokens and links."""
    depth, links = 0, 0
    brackets: list[str] = []
    items: list[int] = []  # terms directly inside each open bracket
    for token in read:
        if items:
            items[-1] += 1
            # a collection or an argument list of 19,000 terms crashes Oxigraph (VALUES blocks,
            # in braces, do not, and may stay long)
            if items[-1] > MAX_LINKS and brackets[-1] == "(":
                raise UsageError(
                    f"a bracket holds more than {MAX_LINKS} terms (a longer list can crash the"
                    " query engine)",
                    where=_at(text, token.start, where),
                    fix="use VALUES for long lists",
                )
        if token.kind == "punct" and token.text in _OPEN:
            depth += 1
            # each group or bracketed expression is a link: 3,000 projections '(1 AS ?a)' or
            # ORDER BY (1) conditions crash Oxigraph as a chain of operators does
            links += token.text in "{("
            brackets.append(token.text)
            items.append(0)
            if depth > MAX_DEPTH:
                raise UsageError(
                    f"brackets are nested more than {MAX_DEPTH} deep",
                    where=_at(text, token.start, where),
                    fix="flatten the query (join patterns instead of nesting them)",
                )
        elif token.kind == "punct" and token.text in _CLOSE:
            depth -= 1
            if brackets:
                brackets.pop()
                items.pop()
        elif token.kind == "punct":
            # a comma between a function's arguments or in an IN list makes no chain; in a pattern,
            # each one adds a triple pattern
            links += token.text in _LINK_PUNCT or (token.text == "," and brackets[-1:] != ["("])
        elif token.kind == "word":
            links += token.text.upper() in _LINK_WORDS
        if links > MAX_LINKS:
            raise UsageError(
                f"the query chains more than {MAX_LINKS} operators, path steps and patterns"
                " (a longer chain can crash the query engine)",
                where=_at(text, token.start, where),
                fix="split it into smaller queries, or use VALUES for long lists",
            )
    if len(read) > MAX_TOKENS:
        raise UsageError(
            f"the query has {len(read):,} tokens, over exokg's budget of {MAX_TOKENS:,}",
            where=where,
            fix="split it into smaller queries",
        )


_LOCAL_ESCAPE = re.compile(r"\\(.)")


def _iri(token: Token, names: Mapping[str, str]) -> str | None:
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        return names[prefix] + _LOCAL_ESCAPE.sub(r"\1", local) if prefix in names else None
    return None


def check_rdflib_reading(
    query: object, *, allow_service: Collection[str] = (), where: str = "query"
) -> None:
    """The second reading: refuse a query whose rdflib algebra fetches what the tokens did not show.

    ``query`` is rdflib's prepared query (``rdflib.plugins.sparql.prepareQuery``). Should rdflib ever
    read a ``SERVICE`` or a dataset clause that :func:`check_query` did not see, the two readings
    differ and the query is refused rather than run.
    """
    algebra = getattr(query, "algebra", None)
    if isinstance(algebra, dict) and algebra.get("datasetClause"):
        raise _differ("FROM", where)
    seen: set[int] = set()
    stack: list[object] = [algebra]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            name = getattr(node, "name", "")
            if name == "ServiceGraphPattern" and str(node.get("term")) not in allow_service:
                raise _differ("SERVICE", where)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)


def _differ(what: str, where: str) -> UsageError:
    return UsageError(
        f"the engines read this query differently (rdflib finds a {what} clause)",
        where=where,
        fix="write the query without escapes or unusual spacing",
    )
