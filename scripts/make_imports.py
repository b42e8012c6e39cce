"""Generate exokg's import modules (``ontology/imports/*.ttl``) from public ontology releases.

A curator's tool, run by hand when the seed lists change or a newer release is at hand; the generated
modules are committed and exokg never reads the public files at run or test time (nor does CI run
this script). Nothing is downloaded: every input is a file in the folder given on the command line.

Inputs, all in that folder:

- ``CL-ontology-v2026-03-26.json.zst`` and ``MONDO-ontology-v2026-05-05.json.zst``: every CL and
  MONDO term of those releases (label, definition, synonyms, ancestors with their distance, as the
  PyPI package ``cellxgene-ontology-guide`` ships them, read with the ``zstd`` command). The direct
  parents (distance 1) are those of the reasoned release, as CL and MONDO publish their is_a. These
  files carry no definition xrefs and no synonym scopes; their synonyms are the exact ones (of the
  98 CL synonyms exokg had from CL's edit file, the file holds 58 of the 60 exact ones and none of
  the 38 related, broad or narrow ones), so they are imported as exact synonyms;
- ``go-2022-07-01-exokg-subset.tsv``: labels, is_a parents and definitions of GO release 2022-07-01
  for exokg's GO classes; ``go-extract-2020.obo`` (the Cell Ontology's GO import of 2020-03-02) for
  the GO terms on their paths that the subset lacks, and for definition xrefs and synonyms, which the
  subset does not carry. An xref of 2020 goes with a 2022 definition only when both texts agree;
  where the 2022 text is empty the 2020 definition is kept with its xrefs;
- ``ro.obo``, ``eco.obo`` (definitions with their xrefs, synonyms with scope), ``iao.owl`` and
  ``omo.owl`` (annotation properties and OMO's synonym types).

NCBITaxon is in no file of that folder: without ``--ncbitaxon`` (an NCBITaxon import module in RDF/XML
that names its release, such as GO's ``src/ontology/imports/ncbitaxon_import.owl``) the committed
``ncbitaxon_import.ttl`` is left as it is, and the other modules are made against it.

To regenerate::

    python scripts/make_imports.py /path/to/reference/ontologies [--ncbitaxon FILE]

MIREOT style: each seed term comes with its label, its definition with the definition's xrefs (as
``oboInOwl:hasDbXref`` annotations on the ``IAO:0000115`` assertion), its synonyms with their scope and,
where known, their OMO synonym type, and its whole ``is_a`` path to the root; the ancestors on that
path become imported terms too. Relations also keep what matters for reasoning: sub-property links,
inverses, transitivity and symmetry, and property chains whose properties are all in the module
(domains and ranges are left out, so that imported relations never classify exokg's classes).

Seeds come from two hand-kept tables beside the modules:

- ``seeds.tsv``: terms to copy from the public files;
- ``terms.tsv``: terms absent from those files (genes and proteins, a few GO classes, dcterms
  properties), each with its verification status in identifiers.md. For a term a public file also
  holds, the file wins and the row adds only its cross-references and synonyms, and its definition
  where the file has none; its ``comment`` becomes an ``rdfs:comment`` (exokg's own wording, never a
  second definition). A synonym written ``text [OMO:0003000]`` gets that OMO synonym type.

Each module records the releases it came from (``dcterms:source``, ``owl:versionInfo``) and each term
the ontology it was imported from (``IAO:0000412``) with an editor note on where it was copied from.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import re
import subprocess
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
SYNONYM = {
    scope: URIRef(f"{OIO}has{scope.title()}Synonym")
    for scope in ("EXACT", "RELATED", "BROAD", "NARROW")
}
HAS_DBXREF = URIRef(f"{OIO}hasDbXref")
HAS_SYNONYM_TYPE = URIRef(f"{OIO}hasSynonymType")
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
    "OMO": "omo",
    "CL": "cl",
    "UBERON": "uberon",
    "NCBITaxon": "ncbitaxon",
    "MONDO": "mondo",
}
CL_FILE = "CL-ontology-v2026-03-26.json.zst"
MONDO_FILE = "MONDO-ontology-v2026-05-05.json.zst"
GO_SUBSET = "go-2022-07-01-exokg-subset.tsv"
GO_EXTRACT = "go-extract-2020.obo"
OWN = "EXOKG:"  # exokg's own classes (the gene and protein groupings), defined in the edit file


def iri(curie: str) -> URIRef:
    """Expand a CURIE with exokg's prefix map; an unknown prefix is a mistake in a seed table."""
    prefix, _, local = curie.partition(":")
    if prefix not in CURIE_BASES:
        raise SystemExit(f"unknown prefix in {curie!r}: add it to exokg/core/prefixes.py")
    return URIRef(CURIE_BASES[prefix] + local)


@dataclass
class Synonym:
    scope: str  # EXACT | RELATED | BROAD | NARROW
    text: str
    type: str = ""  # an OMO synonym type, e.g. OMO:0003000 (abbreviation)


@dataclass
class Term:
    """One term as read from an upstream file or a row of terms.tsv."""

    curie: str
    kind: str  # class | objectproperty | annotationproperty
    label: str = ""
    definition: str = ""
    definition_xrefs: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    synonyms: list[Synonym] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)
    comment: str = ""
    inverse: str = ""
    characteristics: list[URIRef] = field(default_factory=list)
    chains: list[list[str]] = field(default_factory=list)
    disjoint: list[str] = field(default_factory=list)
    restrictions: list[tuple[URIRef, str]] = field(default_factory=list)  # (property, filler)
    note: str = ""

    def add_synonyms(self, synonyms: Iterable[Synonym]) -> None:
        """Add synonyms not already there (same text and scope); a type given later is kept."""
        for new in synonyms:
            old = next(
                (s for s in self.synonyms if (s.scope, s.text) == (new.scope, new.text)), None
            )
            if old is None:
                self.synonyms.append(new)
            elif new.type and not old.type:
                old.type = new.type


# --- reading the public files -----------------------------------------------------------------------

_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*(.*)$')
_XREF_LIST = re.compile(r"\[(.*)\]\s*(?:\{.*\})?$")


def _xref_list(rest: str) -> list[str]:
    """The xrefs of ``[PMID:1, GOC:mah]`` at the end of a def or synonym line."""
    m = _XREF_LIST.search(rest)
    return [x.strip() for x in m.group(1).split(",") if x.strip()] if m else []


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
                if not value.startswith('"'):
                    value = re.sub(r"\s+!.*$", "", value)
                tags.append((tag, value.strip()))
        values = dict(tags)
        if "id" not in values or values.get("is_obsolete") == "true":
            continue
        term = Term(values["id"], kind, label=values.get("name", ""))
        for tag, value in tags:
            if tag == "def" and (m := _QUOTED.match(value)):
                term.definition = m.group(1).replace('\\"', '"')
                term.definition_xrefs = _xref_list(m.group(2))
            elif tag == "synonym" and (m := _QUOTED.match(value)):
                words = m.group(2).split()
                scope = words[0] if words and words[0] in SYNONYM else "RELATED"
                term.add_synonyms([Synonym(scope, m.group(1).replace('\\"', '"'))])
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


def read_cellxgene(path: Path) -> dict[str, Term]:
    """A ``*-ontology-vYYYY-MM-DD.json.zst`` file of ``cellxgene-ontology-guide``: every term with its
    label, definition, exact synonyms and direct parents (distance 1)."""
    raw = subprocess.run(["zstd", "-dc", str(path)], capture_output=True, check=True).stdout
    terms: dict[str, Term] = {}
    for curie, entry in json.loads(raw).items():
        if entry.get("deprecated"):
            continue
        term = Term(curie, "class", label=entry["label"], definition=entry.get("description") or "")
        term.parents = sorted(a for a, distance in entry["ancestors"].items() if distance == 1)
        term.add_synonyms(
            Synonym("EXACT", text)
            for text in sorted(set(entry.get("synonyms", [])))
            if text != term.label
        )
        terms[curie] = term
    return terms


def read_go(reference: Path) -> tuple[dict[str, Term], dict[str, Term], str, str]:
    """GO 2022-07-01 (the subset) and the 2020 extract: ``(go_2022, go_2020, v2022, v2020)``.

    A 2022 term keeps its label, is_a parents and definition; the 2020 extract adds its synonyms, and
    its definition's xrefs when the two texts agree (or its definition with them, where 2022's is
    empty). Parents outside both files are dropped from a term that keeps another, and said so.
    """
    go_2020, version_2020 = read_obo(reference / GO_EXTRACT)
    go_2022: dict[str, Term] = {}
    with (reference / GO_SUBSET).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            curie = row["id"]
            parents = [
                p.split()[0].removeprefix("isa:")
                for p in row["parents(is_a / part_of ...)"].split("|")
                if p.startswith("isa:GO:")
            ]
            term = Term(curie, "class", label=row["label"], definition=row["definition"].strip())
            term.parents = sorted(parents)
            old = go_2020.get(curie)
            if old is not None:
                term.add_synonyms(old.synonyms)
                if not term.definition:
                    term.definition = old.definition
                if term.definition == old.definition:
                    term.definition_xrefs = old.definition_xrefs
            go_2022[curie] = term
    return go_2022, go_2020, "2022-07-01", version_2020


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
        if str(graph.value(node, OWL.deprecated) or "") == "true":
            continue
        term = Term(f"{prefix}:{str(node)[len(base) :]}", "class", label=str(label))
        term.definition = str(graph.value(node, IAO["0000115"]) or "")
        if synonyms:
            for scope, prop in SYNONYM.items():
                term.add_synonyms(Synonym(scope, str(t)) for t in sorted(graph.objects(node, prop)))
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


_TYPED = re.compile(r"^(.*?)\s*\[(OMO:\d{7})\]$")


def _synonyms(scope: str, cell: str) -> list[Synonym]:
    """``MVB [OMO:0003000]|multivesicular endosome`` -> synonyms, the first typed."""
    found = []
    for part in _split(cell):
        m = _TYPED.match(part)
        found.append(Synonym(scope, m.group(1), m.group(2)) if m else Synonym(scope, part))
    return found


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
            comment=row["comment"],
            note=_note(row["status"], row["source"], row["note"]),
        )
        term.synonyms = _synonyms("EXACT", row["exact_synonyms"])
        term.synonyms += _synonyms("RELATED", row["related_synonyms"])
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


def load_sources(reference: Path, ncbitaxon: Path | None = None) -> list[Source]:
    """The public files, most specific first: a term found in several comes from the first."""
    go_2022, go_2020, go_2022_version, go_2020_version = read_go(reference)
    ro, ro_version = read_obo(reference / "ro.obo")
    eco, eco_version = read_obo(reference / "eco.obo")
    iao, iao_version = read_owl_annotation_properties(reference / "iao.owl")
    omo, omo_version = read_owl_annotation_properties(reference / "omo.owl")
    ro_date = ro_version.rsplit("/", 1)[-1]
    eco_date = eco_version.rsplit("/", 1)[-1]
    cl_release = CL_FILE.split("-ontology-")[1].removesuffix(".json.zst")
    mondo_release = MONDO_FILE.split("-ontology-")[1].removesuffix(".json.zst")
    sources = [
        Source(
            "CL",
            f"{cl_release} (cellxgene-ontology-guide 1.11.1)",
            f"{OBO}cl/releases/{cl_release.removeprefix('v')}/cl.owl",
            read_cellxgene(reference / CL_FILE),
        ),
        Source(
            "MONDO",
            f"{mondo_release} (cellxgene-ontology-guide 1.11.1)",
            f"{OBO}mondo/releases/{mondo_release.removeprefix('v')}/mondo.owl",
            read_cellxgene(reference / MONDO_FILE),
        ),
    ]
    if ncbitaxon:
        # NCBITaxon's synonyms are common names ("all", "animals", "Mus" twice) that text annotation
        # would match everywhere: the taxa keep exokg's own synonyms from terms.tsv instead.
        taxa, taxa_version = read_owl_classes(ncbitaxon, "NCBITaxon", synonyms=False)
        release = taxa_version.removeprefix(OBO)
        sources.append(Source("GO's NCBITaxon import module", release, taxa_version, taxa))
    sources += [
        Source(
            "GO",
            f"{go_2022_version} (go-basic.obo as Debian's r-bioc-go.db 3.16.0 holds it)",
            f"{OBO}go/releases/2022-07-01/go-basic.obo",
            go_2022,
        ),
        Source(
            "GO extract (Cell Ontology GO import)",
            go_2020_version,
            f"{OBO}{go_2020_version}",
            go_2020,
        ),
        Source("RO", ro_version, f"{OBO}ro/releases/{ro_date}/ro.owl", ro),
        Source("ECO", eco_version, f"{OBO}eco/releases/{eco_date}/eco.owl", eco),
        Source("IAO", iao_version.rsplit("/", 2)[-2], iao_version, iao),
        Source("OMO", omo_version.rsplit("/", 2)[-2], omo_version, omo),
    ]
    return sources


def collect(
    seeds: Iterable[str], sources: list[Source], hand: dict[str, tuple[str, Term]]
) -> dict[str, tuple[Term, Source | None]]:
    """The seeds plus every is_a ancestor and every inverse, each with the source it came from.

    A term a public file holds comes from that file; its row in terms.tsv, if any, adds the
    cross-references and synonyms, the definition where the file has none, and the comment.
    """
    found: dict[str, tuple[Term, Source | None]] = {}
    todo = list(seeds)
    while todo:
        curie = todo.pop()
        if curie in found:
            continue
        match = next(((s.terms[curie], s) for s in sources if curie in s.terms), None)
        if match is None:
            if curie not in hand:
                raise SystemExit(f"{curie}: in no public file and not in terms.tsv")
            term, source = hand[curie][1], None
        else:
            term, source = copy.deepcopy(match[0]), match[1]  # a module's changes stay its own
            if curie in hand:
                kept = hand[curie][1]
                term.xrefs = kept.xrefs
                term.add_synonyms(kept.synonyms)
                term.comment = kept.comment
                if not term.label and kept.label:  # dcterms properties OMO declares unlabelled
                    term.label = kept.label
                    term.note = f"{term.note} Label: {kept.note}".strip()
                if not term.definition and kept.definition:
                    term.definition = kept.definition
                    term.note = kept.note
        known = [
            p
            for p in term.parents
            if p.startswith(OWN) or p in hand or any(p in s.terms for s in sources)
        ]
        if known != term.parents:
            missing = ", ".join(p for p in term.parents if p not in known)
            if not known and curie in hand and hand[curie][1].parents:
                known = hand[curie][1].parents
                placed = f"placed under {', '.join(known)} instead"
            elif not known:
                raise SystemExit(f"{curie}: its parents {missing} are in no file at hand")
            else:
                placed = "kept the others"
            print(f"{curie}: parent {missing} is in no file at hand; {placed}")
            where = f"{source.name} places" if source else "Its source places"
            said = f"{where} it under {missing}, which no file at hand holds; {placed}."
            term.note = f"{term.note} {said}".strip()
            term.parents = known
        if source and curie in hand:
            # a link out of the file's ID space (CL's cell under UBERON), which the file cannot hold
            prefix = curie.split(":")[0]
            outside = [p for p in hand[curie][1].parents if not p.startswith(prefix + ":")]
            if outside:
                term.note = f"{term.note} {hand[curie][1].note}".strip()
            term.parents += [
                p
                for p in hand[curie][1].parents
                if not p.startswith(prefix + ":") and p not in term.parents
            ]
        found[curie] = (term, source)
        todo.extend(p for p in term.parents if not p.startswith(OWN))  # exokg's: the edit file's
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
    for source_name, release, version_iri in used:
        graph.add((module, DCTERMS.source, URIRef(version_iri)))
        graph.add((module, OWL.versionInfo, Literal(f"{source_name} {release}")))
    if any(s is None for _, s in terms.values()):
        graph.add((module, DCTERMS.source, Literal(hand_source)))
    graph.add(
        (
            module,
            RDFS.comment,
            Literal(
                "Generated by scripts/make_imports.py (MIREOT: label, definition with its xrefs, "
                "synonyms, is_a path to the root). Do not edit by hand: change seeds.tsv or "
                "terms.tsv and rerun."
            ),
        )
    )
    for _, (term, source) in sorted(terms.items()):
        add_term(graph, term, source, set(terms))
    return graph


def _axiom(graph: Graph, node_id: str, subject: URIRef, prop: URIRef, target: Literal) -> BNode:
    axiom = BNode(node_id)
    graph.add((axiom, RDF.type, OWL.Axiom))
    graph.add((axiom, OWL.annotatedSource, subject))
    graph.add((axiom, OWL.annotatedProperty, prop))
    graph.add((axiom, OWL.annotatedTarget, target))
    return axiom


def add_term(graph: Graph, term: Term, source: Source | None, members: set[str]) -> None:
    node = iri(term.curie)
    kind = {
        "class": OWL.Class,
        "objectproperty": OWL.ObjectProperty,
        "annotationproperty": OWL.AnnotationProperty,
    }[term.kind]
    graph.add((node, RDF.type, kind))
    # Blank nodes get IDs derived from the term, so that the serialiser orders them the same on
    # every run and the committed modules only change when their content does.
    local = re.sub(r"\W", "_", term.curie)
    if term.label:
        graph.add((node, RDFS.label, Literal(term.label)))
    if term.definition:
        definition = Literal(term.definition)
        graph.add((node, IAO["0000115"], definition))
        if term.definition_xrefs:
            axiom = _axiom(graph, f"{local}_definition", node, IAO["0000115"], definition)
            for xref in term.definition_xrefs:
                graph.add((axiom, HAS_DBXREF, Literal(xref)))
    if term.comment:
        graph.add((node, RDFS.comment, Literal(term.comment)))
    for n, synonym in enumerate(term.synonyms):
        text = Literal(synonym.text)
        graph.add((node, SYNONYM[synonym.scope], text))
        if synonym.type:
            axiom = _axiom(graph, f"{local}_synonym{n}", node, SYNONYM[synonym.scope], text)
            graph.add((axiom, HAS_SYNONYM_TYPE, iri(synonym.type)))
    for xref in term.xrefs:
        graph.add((node, HAS_DBXREF, Literal(xref)))
    parent_property = RDFS.subClassOf if term.kind == "class" else RDFS.subPropertyOf
    for parent in term.parents:
        graph.add((node, parent_property, iri(parent)))
    if term.inverse:
        graph.add((node, OWL.inverseOf, iri(term.inverse)))
    for characteristic in term.characteristics:
        graph.add((node, RDF.type, characteristic))
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
    note = f"Copied from {source.name} {source.release}." if source else ""
    note = " ".join(part for part in (note, term.note) if part)
    if note:
        graph.add((node, IAO["0000116"], Literal(note)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "reference",
        type=Path,
        help=f"folder with {CL_FILE}, {MONDO_FILE}, {GO_SUBSET}, {GO_EXTRACT}, ro.obo, eco.obo, "
        "iao.owl, omo.owl",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "ontology" / "imports")
    parser.add_argument(
        "--ncbitaxon",
        type=Path,
        metavar="FILE",
        help="an NCBITaxon import module in RDF/XML with an owl:versionIRI, e.g. GO's "
        "src/ontology/imports/ncbitaxon_import.owl; without it the committed "
        "ncbitaxon_import.ttl is kept as it is",
    )
    args = parser.parse_args(argv)

    sources = load_sources(args.reference, args.ncbitaxon)
    hand = read_hand_terms(args.out / "terms.tsv")
    seeds = read_seeds(args.out / "seeds.tsv")
    # Upper-level modules first, so that a term shared by several paths (BFO classes) lands in them.
    found = {m for m, _ in seeds} | {m for m, _ in hand.values()}
    if not args.ncbitaxon:
        found.discard("ncbitaxon")
    modules = [m for m in MODULE_ORDER if m in found] + sorted(found - set(MODULE_ORDER))
    kept = Graph()
    if not args.ncbitaxon:
        kept.parse(args.out / "ncbitaxon_import.ttl", format="turtle")
        print(f"{args.out / 'ncbitaxon_import.ttl'}: kept (no --ncbitaxon file given)")
    claimed = {_curie(str(s)) for s in kept.subjects(RDFS.label, None)}
    graphs: dict[str, tuple[Graph, int]] = {}
    for name in modules:
        module_seeds = [c for m, c in seeds if m == name] + [
            c for c, (m, _) in hand.items() if m == name
        ]
        terms = {c: v for c, v in collect(module_seeds, sources, hand).items() if c not in claimed}
        claimed |= set(terms)
        hand_source = (
            "Hand-kept rows of ontology/imports/terms.tsv, each verified as its editor note says."
        )
        graphs[name] = (module_graph(name, terms, hand_source), len(terms))
    # Self-contained modules: each declares every entity it uses (annotation properties, parents
    # that another module imports), so that it is OWL 2 DL on its own (tests/java/ProfileCheck.java).
    known = Graph()
    known += kept
    for graph, _ in graphs.values():
        known += graph
    for name, (graph, count) in graphs.items():
        declare_entities(graph, known)
        path = args.out / f"{name}_import.ttl"
        graph.serialize(path, format="turtle")
        print(f"{path.relative_to(ROOT)}: {count} terms, {len(graph)} triples")


if __name__ == "__main__":
    main()
