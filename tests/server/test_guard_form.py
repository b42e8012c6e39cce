"""The guard's form encoding: what it forwards to oxigraph decodes to exactly what it checked.

Every query the guard forwards goes through :func:`exokg.server.guard.encode_form` (tests/server/
test_guard.py sends real queries through it to a real oxigraph); this checks the decoding by the
standard library's reader on the characters a query may hold.
"""

from __future__ import annotations

import urllib.parse

import pytest

from exokg.server.guard import encode_form

TEXTS = [
    "",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    'SELECT ?x { ?x rdfs:label "a+b & c=d %41 ~_.-" }\n# a comment\twith a tab',
    'ASK { ?s ?p "exosomes — l\'exosome, Exosomen, 外泌体, 🧫" }',
    "\r\n\x00\x7f",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_form_decodes_to_what_was_encoded(text: str) -> None:
    fields = {"query": [text], "default-graph-uri": ["https://w3id.org/exokg/graph/statements"]}
    encoded = encode_form(fields)
    assert encoded.isascii()
    decoded = urllib.parse.parse_qs(
        encoded.decode("ascii"), keep_blank_values=True, strict_parsing=False
    )
    assert decoded == fields
