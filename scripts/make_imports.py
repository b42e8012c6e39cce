"""Generate exokg's import modules (``ontology/imports/*.ttl``) from public ontology releases.

A dev-time tool, run by hand when the seed lists change; the generated modules are committed and
exokg never reads the public files at run or test time (nor does CI run this script).

Inputs:

- a folder of public release files: ``go-extract-2020.obo``, ``ro.obo``, ``eco.obo``, ``iao.owl``,
  ``omo.owl``;
- CL's editors' file, ``src/ontology/cl-edit.owl`` of https://github.com/obophenotype/cell-ontology
  (OWL functional syntax), with the commit it was read at;
- optionally a MONDO file in OBO format (``src/ontology/mondo-edit.obo`` of
  https://github.com/monarch-initiative/mondo, or a ``mondo.obo`` release) with its commit. Without
  it the MONDO classes come from the hand-kept rows of ``terms.tsv`` (labels and mappings checked
  against MONDO's SSSOM files, no parents and no definitions);
- optionally an NCBITaxon import module in RDF/XML that names its release (``owl:versionIRI``), such
  as GO's ``src/ontology/imports/ncbitaxon_import.owl``: the taxa then come with their whole lineage
  instead of the shortened path of ``terms.tsv``. NCBITaxon has no definitions to copy.

To regenerate::

    git clone https://github.com/obophenotype/cell-ontology /tmp/cl   # or any snapshot of it
    python scripts/make_imports.py /path/to/reference/ontologies \\
        --cl-edit /tmp/cl/src/ontology/cl-edit.owl \\
        --cl-commit "$(git -C /tmp/cl rev-parse HEAD)" \\
        --cl-date "$(git -C /tmp/cl log -1 --format=%cs)" \\
        [--ncbitaxon /tmp/go/src/ontology/imports/ncbitaxon_import.owl] \\
        [--mondo mondo-edit.obo --mondo-commit SHA --mondo-date YYYY-MM-DD]

The committed modules were made from cl-edit.owl at commit fd61b954f3eba08f5780f2c86eba72913d35b5d4
(2026-08-19) and GO's NCBITaxon module of release 2026-07-15 (go-ontology commit
60d9d989c41ab8de2951f6902209587bc4ee345a), without a MONDO file: none could be had (the snapshot of
the MONDO repository lacks its edit file, too large for it, and no import module found in other
repositories holds the five MONDO classes).

MIREOT style: each seed term comes with its label, definition, synonyms and its whole ``is_a`` path
to the root, nothing else; the ancestors on that path become imported terms too. For a CL class the
path is the named superclasses cl-edit.owl asserts, or, for a class with a logical definition and no
asserted superclass, the genus of that definition. Relations also keep what matters for reasoning:
sub-property links, inverses, transitivity and symmetry, and property chains whose properties are all
in the module (domains and ranges are left out, so that imported relations never classify exokg's
classes).

Seeds come from two hand-kept tables beside the modules:

- ``seeds.tsv``: terms to copy from the public files (GO extract, RO, ECO, IAO, OMO, CL);
- ``terms.tsv``: terms absent from those files (MONDO, genes, the GO vesicle classes missing from
  the 2020 GO extract), each with its verification status in identifiers.md; for NCBITaxon, which
  comes from the taxon module when one is given, its rows add only synonyms and cross-references.

Each module records the releases it came from (``dcterms:source``, ``owl:versionInfo``; for an edit
file read from a repository, its address at the commit) and each term the ontology it was imported
from (``IAO:0000412``) with an editor note on how it was verified.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exokg.core.prefixes import PREFIXES  # noqa: E402  (a dev script run from the checkout)
from exokg.release.assemble import declare_entities  # noqa: E402

CURIE_BASES = {**PREFIXES, "dc": "http://purl.org/dc/elements/1.1/"}
OBO = "http://purl.obolibrary.org/obo/"
IAO = {name: URIRef(f"{OBO}IAO_{name}") for name in ("0000115", "0000116", "0000412", "8000005")}
OIO = "http://www.geneontology.org/formats/oboInOwl#"
SYNONYM = {scope: URIRef(f"{OIO}has{scope.title()}Synonym") for scope in ("EXACT", "RELATED")}
SYNONYM |= {scope: URIRef(f"{OIO}has{scope.title()}Synonym") for scope in ("BROAD", "NARROW")}
HAS_DBXREF = URIRef(f"{OIO}hasDbXref")
DC_TYPE = URIRef("http://purl.org/dc/elements/1.1/type")
IN_TAXON = URIRef(f"{OBO}RO_0002162")
GENE_PRODUCT_OF = URIRef(f"{OBO}RO_0002204")
MODULE_BASE = "https://w3id.org/exokg/imports/"
MODULE_ORDER = ("ro", "iao", "go", "eco", "cl", "ncbitaxon", "mondo", "genes")
SOURCE_ONTOLOGY = {
    "GO": "go",
    "RO": "ro",
    "BFO": "bfo",
    "ECO": "eco",
    "IAO": "iao",
    "CL": "cl",
    "UBERON": "uberon",
    "NCBITaxon": "ncbitaxon",
    "MONDO": "mondo",
}


def iri(curie: str) -> URIRef:
    """Expand a CURIE with exokg's prefix map; an unknown prefix is a mistake in a seed table."""
    prefix, _, local = curie.partition(":")
    if prefix not in CURIE_BASES:
        raise SystemExit(f"unknown prefix in {curie!r}: add it to exokg/core/prefixes.py")
    return URIRef(CURIE_BASES[prefix] + local)


@dataclass
class Term:
    """One term as read from an OBO stanza or a row of terms.tsv."""

    curie: str
    kind: str  # class | objectproperty | annotationproperty
    label: str = ""
    definition: str = ""
    parents: list[str] = field(default_factory=list)
    synonyms: list[tuple[str, str]] = field(default_factory=list)  # (scope, text)
    xrefs: list[str] = field(default_factory=list)
    inverse: str = ""
    characteristics: list[URIRef] = field(default_factory=list)
    chains: list[list[str]] = field(default_factory=list)
    disjoint: list[str] = field(default_factory=list)
    restrictions: list[tuple[URIRef, str]] = field(default_factory=list)  # (property, filler)
    imported_from: str = ""
    note: str = ""


# --- reading the public files -----------------------------------------------------------------------

_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*(\S*)')


def read_obo(path: Path) -> tuple[dict[str, Term], str]:
    """Parse an OBO 1.2 file into terms and its ``data-version``: only the tags exokg copies."""
    terms: dict[str, Term] = {}
    version = ""
    text = path.read_text(encoding="utf-8")
    header, *stanzas = re.split(r"^\[(?=Term\]|Typedef\])", text, flags=re.M)
    for line in header.splitlines():
        if line.startswith("data-version:"):
            version = line.split(":", 1)[1].strip()
    for stanza in stanzas:
        kind = "objectproperty" if stanza.startswith("Typedef]") else "class"
        tags: list[tuple[str, str]] = []
        for line in stanza.splitlines()[1:]:
            tag, sep, value = line.partition(": ")
            if sep:
                tags.append((tag, re.sub(r"\s+!.*$", "", value).strip()))
        values = dict(tags)
        if "id" not in values or values.get("is_obsolete") == "true":
            continue
        term = Term(values["id"], kind, label=values.get("name", ""))
        for tag, value in tags:
            if tag == "def" and (m := _QUOTED.match(value)):
                term.definition = m.group(1).replace('\\"', '"')
            elif tag == "synonym" and (m := _QUOTED.match(value)):
                scope = m.group(2) if m.group(2) in SYNONYM else "RELATED"
                term.synonyms.append((scope, m.group(1)))
            elif tag == "is_a":
                term.parents.append(value.split()[0])
            elif tag == "inverse_of":
                term.inverse = value.split()[0]
            elif tag == "is_transitive" and value == "true":
                term.characteristics.append(OWL.TransitiveProperty)
            elif tag == "is_symmetric" and value == "true":
                term.characteristics.append(OWL.SymmetricProperty)
            elif tag == "holds_over_chain":
                term.chains.append(value.split()[:2])
            elif tag == "transitive_over":
                term.chains.append([term.curie, value.split()[0]])
            elif tag == "disjoint_from":
                term.disjoint.append(value.split()[0])
        terms[term.curie] = term
    return terms, version


# One axiom a line, as the OWL API writes functional syntax (cl-edit.owl). Only what a MIREOT module
# keeps is read: labels, definitions, synonyms, deprecation, named superclasses and the genus of a
# logical definition. A regular expression per axiom type is enough for this machine-written layout.
_OFN_IRI = r"obo:([A-Za-z]+)_(\w+)"
_OFN_ANNOTATIONS = r"(?:Annotation\((?:[^()]|\([^()]*\))*\) )*"
_OFN_LITERAL = r'"((?:[^"\\]|\\.)*)"'
_OFN_ASSERTION = re.compile(
    rf"^AnnotationAssertion\({_OFN_ANNOTATIONS}(\S+) {_OFN_IRI} {_OFN_LITERAL}"
)
_OFN_SUBCLASS = re.compile(rf"^SubClassOf\({_OFN_ANNOTATIONS}{_OFN_IRI} {_OFN_IRI}\)$")
_OFN_GENUS = re.compile(
    rf"^EquivalentClasses\({_OFN_ANNOTATIONS}{_OFN_IRI} ObjectIntersectionOf\((.*)\)\)$"
)
_OFN_SYNONYM = {f"oboInOwl:has{scope.title()}Synonym": scope for scope in SYNONYM}


def read_functional(path: Path, prefix: str) -> dict[str, Term]:
    """The ``prefix`` classes of an OWL functional-syntax edit file (CL's ``cl-edit.owl``).

    Parents are the named superclasses the file asserts (CL keeps the is_a its reasoner found, marked
    ``is_inferred``, and those are CL's released is_a too); a class with none gets the named classes
    of its logical definition's intersection (its genus), which is what CL's reasoner makes its is_a.
    """
    terms: dict[str, Term] = {}
    genus: dict[str, list[str]] = {}
    deprecated: set[str] = set()

    def term(local: str) -> Term:
        curie = f"{prefix}:{local}"
        return terms.setdefault(curie, Term(curie, "class"))

    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if m := _OFN_ASSERTION.match(line):
                prop, subject_prefix, local, text = m.groups()
                if subject_prefix != prefix:
                    continue
                text = text.replace('\\"', '"').replace("\\\\", "\\")
                if prop == "rdfs:label":
                    term(local).label = text
                elif prop == "obo:IAO_0000115":
                    term(local).definition = text
                elif prop in _OFN_SYNONYM:
                    term(local).synonyms.append((_OFN_SYNONYM[prop], text))
            elif line.startswith("AnnotationAssertion(owl:deprecated obo:" + prefix + "_"):
                deprecated.add(f"{prefix}:{line.split()[1].split('_', 1)[1]}")
            elif m := _OFN_SUBCLASS.match(line.strip()):
                sub_prefix, local, sup_prefix, sup_local = m.groups()
                if sub_prefix == prefix:
                    term(local).parents.append(f"{sup_prefix}:{sup_local}")
            elif m := _OFN_GENUS.match(line.strip()):
                sub_prefix, local, operands = m.groups()
                if sub_prefix == prefix:
                    named = re.findall(rf"(?:^| ){_OFN_IRI}(?= |$)", operands.split(" Object")[0])
                    genus[f"{prefix}:{local}"] = [f"{p}:{n}" for p, n in named]
    for curie, classes in genus.items():
        if not terms[curie].parents:
            terms[curie].parents = classes
    return {c: t for c, t in terms.items() if t.label and c not in deprecated}


def read_owl_classes(
    path: Path, prefix: str, *, synonyms: bool = True
) -> tuple[dict[str, Term], str]:
    """The ``prefix`` classes of an OWL import module in RDF/XML (e.g. GO's NCBITaxon module) and its
    ``owl:versionIRI``: label, definition, synonyms (unless ``synonyms`` is false) and named
    superclasses."""
    graph = Graph().parse(path, format="xml")
    version = str(next(graph.objects(None, OWL.versionIRI), ""))
    base = CURIE_BASES[prefix]
    terms: dict[str, Term] = {}
    for node in graph.subjects(RDF.type, OWL.Class):
        label = graph.value(node, RDFS.label)
        if not str(node).startswith(base) or label is None:
            continue
        if (
            graph.value(node, OWL.deprecated) is not None
            and str(graph.value(node, OWL.deprecated)) == "true"
        ):
            continue
        term = Term(f"{prefix}:{str(node)[len(base) :]}", "class", label=str(label))
        term.definition = str(graph.value(node, IAO["0000115"]) or "")
        if synonyms:
            for scope, prop in SYNONYM.items():
                term.synonyms += sorted((scope, str(text)) for text in graph.objects(node, prop))
        term.parents = sorted(
            f"{prefix}:{str(p)[len(base) :]}"
            for p in graph.objects(node, RDFS.subClassOf)
            if isinstance(p, URIRef) and str(p).startswith(base)
        )
        terms[term.curie] = term
    return terms, version


def read_owl_annotation_properties(path: Path) -> tuple[dict[str, Term], str]:
    """Labels and definitions of the annotation properties declared in an OWL file (IAO, OMO)."""
    graph = Graph().parse(path, format="xml")
    version = str(next(graph.objects(None, OWL.versionIRI), ""))
    terms: dict[str, Term] = {}
    for subject in graph.subjects(RDF.type, OWL.AnnotationProperty):
        curie = _curie(str(subject))
        if curie:
            label = graph.value(subject, RDFS.label)
            definition = graph.value(subject, IAO["0000115"])
            terms[curie] = Term(
                curie,
                "annotationproperty",
                label=str(label or ""),
                definition=str(definition or ""),
            )
    return terms, version


def _curie(uri: str) -> str:
    for prefix, base in CURIE_BASES.items():
        if uri.startswith(base) and prefix not in ("owl", "rdf", "rdfs", "xsd"):
            return f"{prefix}:{uri[len(base) :]}"
    return ""


def read_hand_terms(path: Path) -> dict[str, tuple[str, Term]]:
    """terms.tsv: curie -> (module, term)."""
    rows = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    terms: dict[str, tuple[str, Term]] = {}
    for row in csv.DictReader(rows, delimiter="\t"):
        term = Term(
            row["curie"],
            row["kind"],
            label=row["label"],
            definition=row["definition"],
            parents=_split(row["parents"]),
            xrefs=_split(row["xrefs"]),
            note=_note(row["status"], row["source"], row["note"]),
        )
        term.synonyms = [("EXACT", s) for s in _split(row["exact_synonyms"])]
        term.synonyms += [("RELATED", s) for s in _split(row["related_synonyms"])]
        if row["in_taxon"]:
            term.restrictions.append((IN_TAXON, row["in_taxon"]))
        if row["gene_product_of"]:
            term.restrictions.append((GENE_PRODUCT_OF, row["gene_product_of"]))
        terms[term.curie] = (row["module"], term)
    return terms


def _note(status: str, source: str, note: str) -> str:
    """The editor note a hand-kept term ships with: how far it was verified and against what.

    The ``source`` column points into the team's reference notes ("identifiers.md §2 (CL)"); only the
    public sources it names (CL, MONDO-SSSOM, NCBI …) go into the released note, never the file name.
    """
    public = re.sub(r"identifiers\.md\s*§\S*\s*", "", source).strip()
    public = public[1:-1] if public.startswith("(") and public.endswith(")") else public
    text = f"{status} ({public})" if public else status
    return f"{text}. {note}".strip()


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def read_seeds(path: Path) -> list[tuple[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [tuple(line.split("\t")[:2]) for line in lines if not line.startswith("#")]  # type: ignore[misc]


# --- building the modules ---------------------------------------------------------------------------


@dataclass
class Source:
    """A public file, the release it is, and its terms."""

    name: str
    release: str
    version_iri: str
    terms: dict[str, Term]
    # an upstream file that supersedes the hand-kept rows of terms.tsv for the terms it has
    upstream_first: bool = False


@dataclass
class Upstream:
    """An upstream edit file fetched from its repository, and the commit it was read at."""

    path: Path
    repository: str  # owner/name on GitHub
    path_in_repository: str
    commit: str
    date: str

    @property
    def iri(self) -> str:
        return f"https://github.com/{self.repository}/blob/{self.commit}/{self.path_in_repository}"

    @property
    def release(self) -> str:
        return f"{self.path_in_repository} at commit {self.commit} ({self.date})"


def load_sources(
    reference: Path,
    cl: Upstream | None = None,
    mondo: Upstream | None = None,
    ncbitaxon: Path | None = None,
) -> list[Source]:
    """The public files, most specific first: a term found in several comes from the first."""
    go, go_version = read_obo(reference / "go-extract-2020.obo")
    ro, ro_version = read_obo(reference / "ro.obo")
    eco, eco_version = read_obo(reference / "eco.obo")
    iao, iao_version = read_owl_annotation_properties(reference / "iao.owl")
    omo, omo_version = read_owl_annotation_properties(reference / "omo.owl")
    ro_date = ro_version.rsplit("/", 1)[-1]
    eco_date = eco_version.rsplit("/", 1)[-1]
    sources = []
    if cl:
        sources.append(Source("CL", cl.release, cl.iri, read_functional(cl.path, "CL"), True))
    if mondo:
        terms, _ = read_obo(mondo.path)
        mondo_terms = {c: t for c, t in terms.items() if c.startswith("MONDO:")}
        sources.append(Source("MONDO", mondo.release, mondo.iri, mondo_terms, True))
    if ncbitaxon:
        # NCBITaxon's synonyms are common names ("all", "animals", "Mus" twice) that text annotation
        # would match everywhere: the taxa keep exokg's own synonyms from terms.tsv instead.
        taxa, taxa_version = read_owl_classes(ncbitaxon, "NCBITaxon", synonyms=False)
        release = taxa_version.removeprefix(OBO)
        sources.append(Source("GO's NCBITaxon import module", release, taxa_version, taxa, True))
    sources += [
        Source("GO extract (Cell Ontology GO import)", go_version, f"{OBO}{go_version}", go),
        Source("RO", ro_version, f"{OBO}ro/releases/{ro_date}/ro.owl", ro),
        Source("ECO", eco_version, f"{OBO}eco/releases/{eco_date}/eco.owl", eco),
        Source("IAO", iao_version.rsplit("/", 2)[-2], iao_version, iao),
        Source("OMO", omo_version.rsplit("/", 2)[-2], omo_version, omo),
    ]
    return sources


def collect(
    seeds: Iterable[str], sources: list[Source], hand: dict[str, tuple[str, Term]]
) -> dict[str, tuple[Term, Source | None]]:
    """The seeds plus every is_a ancestor and every inverse, each with the source it came from."""
    found: dict[str, tuple[Term, Source | None]] = {}
    todo = list(seeds)
    while todo:
        curie = todo.pop()
        if curie in found:
            continue
        match = next(((s.terms[curie], s) for s in sources if curie in s.terms), None)
        upstream = match is not None and match[1].upstream_first
        if curie in hand and not upstream:
            term, source = hand[curie][1], None
        elif match is None:
            raise SystemExit(f"{curie}: in no public file and not in terms.tsv")
        else:
            term, source = match
            if (
                curie in hand
            ):  # an upstream file supersedes a hand row; its mappings and synonyms stay
                kept = hand[curie][1]
                term.xrefs = kept.xrefs
                term.synonyms += [pair for pair in kept.synonyms if pair not in term.synonyms]
        found[curie] = (term, source)
        todo.extend(term.parents)
        if term.inverse:
            todo.append(term.inverse)
    return found


def module_graph(
    name: str, terms: dict[str, tuple[Term, Source | None]], hand_source: str
) -> Graph:
    graph = Graph()
    for prefix, base in CURIE_BASES.items():
        graph.bind(prefix, base)
    module = URIRef(f"{MODULE_BASE}{name}_import.owl")
    graph.add((module, RDF.type, OWL.Ontology))
    graph.add((module, DC_TYPE, IAO["8000005"]))
    graph.add((module, DCTERMS.title, Literal(f"exokg import module: {name}")))
    used = sorted({(s.name, s.release, s.version_iri) for _, s in terms.values() if s})
    for _, release, version_iri in used:
        graph.add((module, DCTERMS.source, URIRef(version_iri)))
        graph.add((module, OWL.versionInfo, Literal(release)))
    if any(s is None for _, s in terms.values()):
        graph.add((module, DCTERMS.source, Literal(hand_source)))
    graph.add(
        (
            module,
            RDFS.comment,
            Literal(
                "Generated by scripts/make_imports.py (MIREOT: label, definition, synonyms, is_a "
                "path to the root). Do not edit by hand: change seeds.tsv or terms.tsv and rerun."
            ),
        )
    )
    for _, (term, source) in sorted(terms.items()):
        add_term(graph, term, source, set(terms))
    return graph


def add_term(graph: Graph, term: Term, source: Source | None, members: set[str]) -> None:
    node = iri(term.curie)
    kind = {
        "class": OWL.Class,
        "objectproperty": OWL.ObjectProperty,
        "annotationproperty": OWL.AnnotationProperty,
    }[term.kind]
    graph.add((node, RDF.type, kind))
    if term.label:
        graph.add((node, RDFS.label, Literal(term.label)))
    if term.definition:
        graph.add((node, IAO["0000115"], Literal(term.definition)))
    for scope, text in term.synonyms:
        graph.add((node, SYNONYM[scope], Literal(text)))
    for xref in term.xrefs:
        graph.add((node, HAS_DBXREF, Literal(xref)))
    parent_property = RDFS.subClassOf if term.kind == "class" else RDFS.subPropertyOf
    for parent in term.parents:
        graph.add((node, parent_property, iri(parent)))
    if term.inverse:
        graph.add((node, OWL.inverseOf, iri(term.inverse)))
    for characteristic in term.characteristics:
        graph.add((node, RDF.type, characteristic))
    # Blank nodes get IDs derived from the term, so that the serialiser orders them the same on
    # every run and the committed modules only change when their content does.
    local = re.sub(r"\W", "_", term.curie)
    for n, chain in enumerate(term.chains):
        if all(p in members for p in chain):
            head = BNode(f"{local}_chain{n}")
            Collection(graph, head, [iri(p) for p in chain])
            graph.add((node, OWL.propertyChainAxiom, head))
    for other in term.disjoint:
        if other in members:
            graph.add((node, OWL.disjointWith, iri(other)))
    for n, (prop, filler) in enumerate(term.restrictions):
        restriction = BNode(f"{local}_restriction{n}")
        graph.add((restriction, RDF.type, OWL.Restriction))
        graph.add((restriction, OWL.onProperty, prop))
        graph.add((restriction, OWL.someValuesFrom, iri(filler)))
        graph.add((node, RDFS.subClassOf, restriction))
    ontology = SOURCE_ONTOLOGY.get(term.curie.split(":")[0])
    if ontology:
        graph.add((node, IAO["0000412"], URIRef(f"{OBO}{ontology}.owl")))
    note = f"Copied from {source.name} {source.release}." if source else term.note
    graph.add((node, IAO["0000116"], Literal(note)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reference", type=Path, help="folder with ro.obo, eco.obo, iao.owl, ...")
    parser.add_argument("--out", type=Path, default=ROOT / "ontology" / "imports")
    parser.add_argument(
        "--cl-edit",
        type=Path,
        required=True,
        metavar="FILE",
        help="src/ontology/cl-edit.owl from obophenotype/cell-ontology",
    )
    parser.add_argument("--cl-commit", required=True, help="the commit cl-edit.owl was read at")
    parser.add_argument("--cl-date", required=True, help="that commit's date (YYYY-MM-DD)")
    parser.add_argument(
        "--mondo",
        type=Path,
        metavar="FILE",
        help="a MONDO file in OBO format (mondo-edit.obo or mondo.obo); "
        "without it the MONDO rows of terms.tsv are used as they are",
    )
    parser.add_argument(
        "--ncbitaxon",
        type=Path,
        metavar="FILE",
        help="an NCBITaxon import module in RDF/XML with an owl:versionIRI, e.g. GO's "
        "src/ontology/imports/ncbitaxon_import.owl; without it the taxa of terms.tsv are used as "
        "they are",
    )
    parser.add_argument("--mondo-repository", default="monarch-initiative/mondo")
    parser.add_argument("--mondo-path", default="src/ontology/mondo-edit.obo")
    parser.add_argument("--mondo-commit", default="", help="the commit the MONDO file was read at")
    parser.add_argument("--mondo-date", default="")
    args = parser.parse_args(argv)

    cl = Upstream(
        args.cl_edit,
        "obophenotype/cell-ontology",
        "src/ontology/cl-edit.owl",
        args.cl_commit,
        args.cl_date,
    )
    mondo = None
    if args.mondo:
        mondo = Upstream(
            args.mondo, args.mondo_repository, args.mondo_path, args.mondo_commit, args.mondo_date
        )
    sources = load_sources(args.reference, cl, mondo, args.ncbitaxon)
    hand = read_hand_terms(args.out / "terms.tsv")
    seeds = read_seeds(args.out / "seeds.tsv")
    # Upper-level modules first, so that a term shared by several paths (BFO classes) lands in them.
    found = {m for m, _ in seeds} | {m for m, _ in hand.values()}
    modules = [m for m in MODULE_ORDER if m in found] + sorted(found - set(MODULE_ORDER))
    claimed: set[str] = set()
    graphs: dict[str, tuple[Graph, int]] = {}
    for name in modules:
        module_seeds = [c for m, c in seeds if m == name] + [
            c for c, (m, _) in hand.items() if m == name
        ]
        terms = {c: v for c, v in collect(module_seeds, sources, hand).items() if c not in claimed}
        claimed |= set(terms)
        hand_source = "Hand-kept rows of ontology/imports/terms.tsv, each verified as its editor note says (shared reference identifiers.md)."
        graphs[name] = (module_graph(name, terms, hand_source), len(terms))
    # Self-contained modules: each declares every entity it uses (annotation properties, parents
    # that another module imports), so that it is OWL 2 DL on its own (tests/java/ProfileCheck.java).
    known = Graph()
    for graph, _ in graphs.values():
        known += graph
    for name, (graph, count) in graphs.items():
        declare_entities(graph, known)
        path = args.out / f"{name}_import.ttl"
        graph.serialize(path, format="turtle")
        print(f"{path.relative_to(ROOT)}: {count} terms, {len(graph)} triples")


if __name__ == "__main__":
    main()
