"""Scale exokg's compiled graph synthetically, keeping its schema so the same questions run on it.

The curated graph is the template. Its ontology, import and inference graphs are written once; its
statements (with their sources) are copied in blocks until the requested number of statements is
reached. Copy ``b`` renames every statement and source IRI with a ``-s<b>`` / ``#s<b>`` suffix (so
``exo:qualifies`` and ``exo:contrastsWith`` links stay inside their copy), makes each paraphrase
unique, and — for about a third of its statements — moves the finding to a freshly minted synthetic
subclass of the original vesicle class, with that class's ``rdfs:subClassOf`` closure in the inferred
graph. Hierarchy questions therefore walk a growing hierarchy, as they would on a larger curation.

The output is streamed N-Quads, identical for the same template, size and seed::

    python benchmarks/generate.py --statements 100000 --seed 1 -o /tmp/exokg-1e5.nq
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from exokg.core import resources

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_CLASS = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
RDF_TYPE = ox.NamedNode(RDF + "type")
RDF_STATEMENT = ox.NamedNode(RDF + "Statement")
RDF_SUBJECT = ox.NamedNode(RDF + "subject")
SUBCLASS = ox.NamedNode(RDFS + "subClassOf")
LABEL = ox.NamedNode(RDFS + "label")
SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")
PARAPHRASE = ox.NamedNode("https://w3id.org/exokg/schema#paraphrase")
GRAPH = "https://w3id.org/exokg/graph/"
STATEMENTS = ox.NamedNode(GRAPH + "statements")
ONTOLOGY = ox.NamedNode(GRAPH + "ontology")
INFERRED = ox.NamedNode(GRAPH + "inferred")
SYNTHETIC_CLASS = "https://w3id.org/exokg/synthetic/class/"
MOVE_TO_SUBCLASS = 1 / 3


def line(s: ox.Term, p: ox.NamedNode, o: ox.Term, g: ox.NamedNode) -> str:
    return f"{s} {p} {o} {g} .\n"


class Template:
    """The curated graph split into what is written once and what is copied per block."""

    def __init__(self, path: Path) -> None:
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
        statements = sorted(
            {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == RDF_STATEMENT},
            key=str,
        )
        if not statements:
            raise SystemExit(f"{path}: no rdf:Statement to scale — is this exokg's compiled graph?")
        sources = sorted({q.object for q in quads if q.predicate == SOURCE}, key=str)
        self.ancestors: dict[ox.Term, list[ox.Term]] = defaultdict(list)
        for q in quads:
            if q.predicate == SUBCLASS and q.graph_name == INFERRED:
                self.ancestors[q.subject].append(q.object)
        copied = set(statements) | set(sources)
        by_subject: dict[ox.Term, list[ox.Quad]] = defaultdict(list)
        self.fixed: list[str] = []
        for q in quads:
            if q.graph_name == STATEMENTS and q.subject in copied:
                by_subject[q.subject].append(q)
            else:
                self.fixed.append(line(q.subject, q.predicate, q.object, q.graph_name))
        self.statement_iris = {s.value for s in statements if isinstance(s, ox.NamedNode)}
        iris = sorted((i.value for i in copied if isinstance(i, ox.NamedNode)), key=len)
        renamed = re.compile("<(" + "|".join(re.escape(iri) for iri in reversed(iris)) + ")>")
        self.statements = [self._compile(by_subject[s], renamed) for s in statements]
        self.sources = "".join(self._compile(by_subject[s], renamed)[0] for s in sources)

    def _compile(
        self, quads: list[ox.Quad], renamed: re.Pattern[str]
    ) -> tuple[str, ox.Term | None]:
        """One record as a ``str.format`` template.

        ``{s}`` follows each statement IRI and ``{f}`` each source IRI (where a copy's suffix goes),
        ``{subject}`` is the statement's subject and ``{note}`` ends its paraphrase.
        """
        parts, subject = [], None
        for q in sorted(quads, key=str):
            if q.predicate == RDF_SUBJECT:
                subject = q.object
            parts.append(line(q.subject, q.predicate, q.object, q.graph_name))
        text = "".join(parts).replace("{", "{{").replace("}", "}}")
        text = renamed.sub(
            lambda m: f"<{m.group(1)}{{{'s' if m.group(1) in self.statement_iris else 'f'}}}>",
            text,
        )
        out = []
        for record_line in text.splitlines(keepends=True):
            if f" {RDF_SUBJECT} " in record_line:
                head, _, tail = record_line.partition(f" {RDF_SUBJECT} ")
                record_line = f"{head} {RDF_SUBJECT} {{subject}} {tail.split(' ', 1)[1]}"
            elif f" {PARAPHRASE} " in record_line:
                closing = record_line.rindex('"')
                record_line = record_line[:closing] + "{note}" + record_line[closing:]
            out.append(record_line)
        return "".join(out), subject


# what a statement or source record keeps when ``--vary`` drops fields: what exokg's shapes require of
# it (ontology/shapes/exokg-shapes.ttl), so that the graph stays one exokg could have built
SCHEMA = "https://w3id.org/exokg/schema#"
REQUIRED = (
    RDF_TYPE,
    RDF_SUBJECT,
    ox.NamedNode(RDF + "predicate"),
    ox.NamedNode(RDF + "object"),
    PARAPHRASE,
    SOURCE,
    LABEL,
    *(ox.NamedNode(SCHEMA + name) for name in ("polarity", "verification", "scope", "evidence")),
    *(ox.NamedNode(SCHEMA + name) for name in ("journal", "sourceVerification", "shortLabel")),
    *(ox.NamedNode("http://purl.org/dc/terms/" + name) for name in ("title", "issued", "creator")),
)
KEPT = {f" {predicate} " for predicate in REQUIRED}
CAVEAT = ox.NamedNode("https://w3id.org/exokg/schema#caveatText")


def _vary(record: str, rng: random.Random, fraction: float) -> str:
    """``record`` with each of its optional fields dropped with probability ``fraction``; a statement
    without caveats gains one with that probability (no marker finding of the curated graph has one)."""
    lines = record.splitlines(keepends=True)
    kept = [text for text in lines if any(k in text for k in KEPT) or rng.random() >= fraction]
    about = [text for text in lines if f" {RDF_SUBJECT} " in text]
    if about and not any(f" {CAVEAT} " in text for text in lines) and rng.random() < fraction:
        statement, graph = about[0].split(" ", 1)[0], about[0].rsplit(" ", 2)[1]
        kept.append(f'{statement} {CAVEAT} "synthetic caveat" {graph} .\n')
    return "".join(kept)


def generate(template: Template, statements: int, seed: int, vary: float = 0.0) -> Iterator[str]:
    """Yield N-Quads lines for exactly ``statements`` statements (block 0 is the template itself).

    With ``vary``, copies after the first drop each optional field of a statement or a source (a DOI,
    a PMID, a caveat, an organism …) with that probability, so that a question meets the
    absent values its ``OPTIONAL`` and ``COALESCE`` branches are written for (the curated graph may
    have none: every source of a subpopulation finding has a DOI). Block 0 stays the curated graph.
    """
    rng = random.Random(seed)
    dropping = random.Random(seed + 1)  # its own stream: without --vary the output stays as it was
    yield from template.fixed
    per_block = len(template.statements)
    for block in range(math.ceil(statements / per_block)):
        s, f = ("", "") if block == 0 else (f"-s{block}", f"#s{block}")
        sources = template.sources.format(s=s, f=f)
        yield _vary(sources, dropping, vary) if vary and block else sources
        note = "" if block == 0 else f" [synthetic copy {block}]"
        for index, (text, subject) in enumerate(template.statements):
            if block * per_block + index >= statements:
                return
            if block and subject is not None and rng.random() < MOVE_TO_SUBCLASS:
                new = ox.NamedNode(f"{SYNTHETIC_CLASS}{block}-{index}")
                yield from _synthetic_class(new, subject, template.ancestors.get(subject, []))
                subject = new
            record = text.format(s=s, f=f, subject=subject, note=note)
            yield _vary(record, dropping, vary) if vary and block else record


def _synthetic_class(new: ox.NamedNode, parent: ox.Term, ancestors: list[ox.Term]) -> Iterator[str]:
    yield line(new, RDF_TYPE, OWL_CLASS, ONTOLOGY)
    yield line(new, LABEL, ox.Literal(f"synthetic subtype {new.value.rsplit('/', 1)[1]}"), ONTOLOGY)
    yield line(new, SUBCLASS, parent, ONTOLOGY)
    for ancestor in sorted({new, parent, *ancestors}, key=str):
        yield line(new, SUBCLASS, ancestor, INFERRED)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, required=True, help="number of statements")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--template", type=Path, default=resources.KG_FILE)
    parser.add_argument(
        "--vary",
        type=float,
        default=0.0,
        help="in copies, drop each optional field of a statement or source with this probability",
    )
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    template = Template(args.template)
    out: TextIO = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        for chunk in generate(template, args.statements, args.seed, args.vary):
            out.write(chunk)
    finally:
        if args.output:
            out.close()


if __name__ == "__main__":
    main()
