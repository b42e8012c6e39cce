"""Build the knowledge graph: curation + ontology + inferences → ``ontology/build/exokg-kg.nq``.

The output is N-Quads in the four named graphs of docs/design.md (ontology, imports, inferred,
statements), one quad per line, lines sorted, so that the file is byte-for-byte reproducible and a
``git diff`` of two builds shows what changed. The ontology's blank nodes (OWL restrictions, axiom
annotations) are replaced by stable Skolem IRIs (``https://w3id.org/exokg/.well-known/genid/<hash>``,
the RDF 1.1 convention): the hash comes from rdflib's canonical blank-node labelling, so the same input
always gives the same IRIs.

Nothing is written unless every check passes, and the file is written to a temporary file in the same
directory and then renamed over the old one, so a reader never sees a half-written graph.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from rdflib import Dataset, Graph

__all__ = [
    "SKOLEM_BASE",
    "BuildReport",
    "build",
    "compile_dataset",
    "read_quads",
    "record_sources_digest",
    "source_files",
    "sources_digest",
]

SKOLEM_BASE = "https://w3id.org/exokg/.well-known/genid/"


@dataclass(frozen=True)
class BuildReport:
    """What a build produced: where, how many statements, and how they cover the fact sheet."""

    path: Path
    statements: int
    quads: int
    by_section: dict[str, int] = field(default_factory=dict)
    by_scope: dict[str, int] = field(default_factory=dict)
    by_polarity: dict[str, int] = field(default_factory=dict)
    by_verification: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The summary ``exokg build`` prints."""

        def counts(title: str, counter: dict[str, int]) -> str:
            return f"  {title:<15}" + "  ".join(f"{key} {n}" for key, n in counter.items())

        return [
            f"wrote {self.path} ({self.quads} quads)",
            f"statements: {self.statements}",
            counts("by section:", self.by_section),
            counts("by scope:", self.by_scope),
            counts("by polarity:", self.by_polarity),
            counts("verification:", self.by_verification),
        ]


def build(
    output: Path | None = None,
    *,
    include_candidates: bool = False,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Validate the curation, compile the knowledge graph and write it atomically.

    ``output`` defaults to :func:`exokg.core.resources.build_output` (never inside an installed package);
    ``progress`` is called with the name of each step. Raises
    :class:`exokg.curation.validate.ValidationFailed` (listing every problem) before anything is written.
    """
    from exokg.core import resources

    say = progress or (lambda step: None)
    path = output or resources.build_output()
    say("validating the curation and reasoning over the ontology")
    dataset, report = compile_dataset(include_candidates=include_candidates)
    say("serialising the graph")
    text = _sorted_nquads(dataset)
    say(f"writing {path}")
    _write_atomically(path, text)
    return BuildReport(
        path=path,
        statements=report.statements,
        quads=text.count("\n"),
        by_section=report.by_section,
        by_scope=report.by_scope,
        by_polarity=report.by_polarity,
        by_verification=report.by_verification,
    )


def compile_dataset(*, include_candidates: bool = False) -> tuple[Dataset, BuildReport]:
    """The knowledge graph the shipped sources produce, in its four named graphs, without writing it.

    Machine-proposed statements (``scope: candidate``, from ``exokg propose``) are left out unless
    ``include_candidates``: no curator has checked them yet.
    """
    from rdflib import Dataset, Graph

    from exokg.compile.claims import claims_graph
    from exokg.compile.display import class_display_graph, display_graph, is_a_or_part_of_graph
    from exokg.compile.reason import materialise
    from exokg.core import resources
    from exokg.core.vocab import GRAPH_IMPORTS, GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_STATEMENTS
    from exokg.curation.caveats import apply_rules
    from exokg.curation.ontology import import_files, load_ontology
    from exokg.curation.statements import statements_graph
    from exokg.curation.validate import check

    ontology = load_ontology(with_imports=False)
    imports = Graph()
    for path in import_files():
        imports.parse(path, format="turtle")
    curation = check(ontology=ontology + imports)
    if not include_candidates:
        curation.statements = [s for s in curation.statements if s.scope != "candidate"]
    inferred = materialise(ontology + imports)
    # the caveats' rules again, now with the reasoned hierarchy: small EVs from 4T1 cells are small EVs
    # from tumour cells only by their logical definition
    curation = apply_rules(curation, ontology + imports + inferred)
    statements = statements_graph(curation)
    statements += display_graph(statements, ontology + imports)
    inferred += class_display_graph(ontology + imports, inferred)
    inferred += is_a_or_part_of_graph(ontology + imports + inferred)
    statements += claims_graph(statements, ontology + imports, inferred)

    dataset = Dataset()
    for name, graph in (
        (GRAPH_ONTOLOGY, ontology),
        (GRAPH_IMPORTS, imports),
        (GRAPH_INFERRED, inferred),
        (GRAPH_STATEMENTS, statements),
    ):
        target = dataset.graph(name)
        for triple in _skolemised(graph):
            target.add(triple)
    record_sources_digest(dataset)

    records = curation.statements
    report = BuildReport(
        path=resources.build_output(),
        statements=len(records),
        quads=len(dataset),
        by_section=dict(sorted(Counter(s.section for s in records).items())),
        by_scope=_ordered(
            Counter(s.scope for s in records),
            ("review", "relied_on", "context", "later")
            + (("candidate",) if any(s.scope == "candidate" for s in records) else ()),
        ),
        by_polarity=_ordered(
            Counter(s.polarity for s in records), ("positive", "negative", "caveat")
        ),
        by_verification=_ordered(Counter(s.verification for s in records), ("V1", "V2", "NV")),
    )
    return dataset, report


def source_files() -> list[Path]:
    """The files a build compiles: the editors' file, import modules, curation files and shapes."""
    from exokg.core import resources

    return [
        resources.EDIT_FILE,
        *sorted(resources.IMPORTS_DIR.glob("*.ttl")),
        *sorted(resources.CURATION_DIR.glob("*.yaml")),
        *sorted(resources.SHAPES_DIR.glob("*.ttl")),
    ]


def sources_digest(files: list[Path] | None = None) -> str:
    """``sha256:<hex>`` over the names and bytes of the source files, so a graph knows what it came from.

    Only the file names (not their folders) enter the digest, so a checkout and an installed wheel of
    the same sources agree.
    """
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(files if files is not None else source_files(), key=lambda p: p.name):
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return "sha256:" + digest.hexdigest()


def record_sources_digest(dataset: Dataset, files: list[Path] | None = None) -> None:
    """Record the sources' digest in the ``build`` graph; ``exokg release`` refuses a graph whose
    digest no longer matches the sources (a build that failed after the sources changed)."""
    from rdflib import Literal

    from exokg.core.vocab import EXO, GRAPH_BUILD

    dataset.graph(GRAPH_BUILD).add((GRAPH_BUILD, EXO.sourcesDigest, Literal(sources_digest(files))))


def read_quads(path: Path) -> set[tuple[str, str, str, str]]:
    """The quads of an N-Quads file, as strings, for comparing two builds as sets."""
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(path, format="nquads")
    return {(str(s), str(p), o.n3(), str(g)) for s, p, o, g in dataset.quads()}


def _ordered(counter: Counter[str], keys: tuple[str, ...]) -> dict[str, int]:
    return {key: counter.get(key, 0) for key in keys}


def _skolemised(graph: Graph) -> Graph:
    """Replace blank nodes by stable IRIs derived from the graph's canonical blank-node labels."""
    from rdflib import BNode, Graph, URIRef
    from rdflib.compare import to_canonical_graph

    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    canonical = to_canonical_graph(graph)
    result = Graph()

    def stable(term: object) -> object:
        return URIRef(SKOLEM_BASE + str(term)) if isinstance(term, BNode) else term

    for s, p, o in canonical:
        result.add((stable(s), p, stable(o)))  # type: ignore[arg-type]
    return result


def _sorted_nquads(dataset: Dataset) -> str:
    text = dataset.serialize(format="nquads")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path`` (exokg/core/outputs.py)."""
    from exokg.core.outputs import write_output

    path.parent.mkdir(parents=True, exist_ok=True)
    write_output(text, path)
