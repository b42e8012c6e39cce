"""Whether an answer from oxigraph is a whole results document, before the guard keeps it.

Oxigraph streams an answer: when a query fails after the status line has gone (a ``SERVICE`` that
cannot connect, an error mid-way), it writes the error's text after what it had sent and ends the
answer normally, with status 200. Such an answer must never be kept and served again, so the guard
keeps only a body that reads as a complete document of the format it is labelled with:

- SPARQL results in JSON or XML: the whole document parses, with a ``head`` and ``results`` (or a
  ``boolean``);
- CSV and TSV: every record has the header's number of fields and the body ends with a record's
  line end; each TSV field is an RDF term (oxigraph's error text is not). A CSV cut short exactly at
  a record's end cannot be told from a shorter answer; oxigraph never ends one that way;
- RDF (a CONSTRUCT or DESCRIBE answer): it parses in full with Oxigraph's own parser.

Anything else is not kept.
"""

from __future__ import annotations

import csv
import io
import json
import re
from xml.etree import ElementTree

__all__ = ["complete"]

_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
_TSV_TERM = re.compile(
    r'|<[^<>"{}|^`\\\s]*>'  # empty (unbound) or an IRI
    r'|"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[a-z]+)?|\^\^<[^<>\s]*>)?'
    r"|_:\S+"  # a blank node
    r"|[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"  # a number
    r"|true|false"
    r"|<<.*>>"  # an RDF 1.2 triple term
)


def complete(content_type: str, body: bytes) -> bool:
    """Whether ``body`` is a whole document of ``content_type`` (media type and parameters)."""
    media = content_type.split(";")[0].strip().lower()
    try:
        if media == "application/sparql-results+json":
            return _json(body)
        if media == "application/sparql-results+xml":
            return _xml(body)
        if media == "text/csv":
            return _csv(body.decode("utf-8"))
        if media == "text/tab-separated-values":
            return _tsv(body.decode("utf-8"))
        return _rdf(media, body)
    except (ValueError, ElementTree.ParseError, csv.Error, RecursionError):
        return False


def _json(body: bytes) -> bool:
    document = json.loads(body)
    if not isinstance(document, dict) or not isinstance(document.get("head"), dict):
        return False
    if "boolean" in document:
        return isinstance(document["boolean"], bool)
    results = document.get("results")
    return isinstance(results, dict) and isinstance(results.get("bindings"), list)


def _xml(body: bytes) -> bool:
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        return False  # oxigraph writes neither
    root = ElementTree.fromstring(body)
    children = [child.tag for child in root]
    return (
        root.tag == _RESULTS + "sparql"
        and children[:1] == [_RESULTS + "head"]
        and children[1:] in ([_RESULTS + "results"], [_RESULTS + "boolean"])
    )


def _csv(text: str) -> bool:
    if text in ("true", "false"):  # an ASK answer
        return True
    if not text.endswith("\r\n"):
        return False
    header, *rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    return all(len(row) == len(header) for row in rows)


def _tsv(text: str) -> bool:
    if text in ("true", "false"):
        return True
    if not text.endswith("\n"):
        return False
    header, *rows = (line.split("\t") for line in text[:-1].split("\n"))
    if header != [""] and not all(name.startswith("?") for name in header):
        return False
    return all(
        len(row) == len(header) and all(_TSV_TERM.fullmatch(field) for field in row) for row in rows
    )


def _rdf(media: str, body: bytes) -> bool:
    import pyoxigraph

    try:
        kind = pyoxigraph.RdfFormat.from_media_type(media)
    except ValueError:
        return False
    if kind is None:
        return False
    try:
        for _ in pyoxigraph.parse(body, format=kind):
            pass
    except SyntaxError:
        return False
    return True
