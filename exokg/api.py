"""exokg as a Python library: open the graph, ask it, look terms up, and hand it to other tools.

>>> import exokg
>>> kg = exokg.open()                                   # the graph shipped with exokg
>>> answer = kg.ask("exosomes-promoting-tumour-progression")
>>> answer.columns[:3]
['vesicle', 'reported_as', 'effect']
>>> kg.term("MVB").curie
'GO:0005771'

:func:`open` takes the shipped graph, a compiled graph of the user's own (``open("my.nq",
store="dir")``, an on-disk Oxigraph store built once and reused) or any SPARQL 1.1 endpoint
(``open(endpoint="http://localhost:7878/query")``). Every method answers with plain Python values —
numbers as numbers, terms as ``label [CURIE]`` (or CURIEs, or IRIs: ``labels=``), ``None`` where the
graph says nothing — and :class:`Answer` turns into a pandas ``DataFrame`` with
:meth:`Answer.to_dataframe`. The ``exokg`` command is a thin layer over the same stage functions, so
the two cannot disagree.

For other libraries: :meth:`KnowledgeGraph.rdflib` (an ``rdflib.Dataset``),
:meth:`KnowledgeGraph.networkx` (the projection the graph view draws) and
:meth:`KnowledgeGraph.owlready` (an owlready2 ``World`` holding the ontology and every finding).
Nothing heavy is imported until a method needs it.
"""

from __future__ import annotations

from pathlib import Path

from exokg.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: `exokg ask` starts cold
if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Mapping, Sequence
    from typing import Any, Literal

    import networkx as nx
    import owlready2
    import pandas
    import rdflib

    from exokg.query.store import Executor, Solutions, Term
    from exokg.text.lexicon import Lexicon
    from exokg.views.page import Page

    Labels = Literal["both", "label", "curie", "iri"]
    """How an IRI shows in an answer: ``label [CURIE]`` (``both``, the default), the label alone,
    the CURIE alone, or the full IRI."""

__all__ = [
    "Answer",
    "KnowledgeGraph",
    "Match",
    "TermRecord",
    "open",
]

_LABEL_STYLES: tuple[Labels, ...] = ("both", "label", "curie", "iri")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS: dict[str, type] = {
    _XSD + "decimal": float,
    _XSD + "double": float,
    _XSD + "float": float,
    _XSD + "integer": int,
    _XSD + "int": int,
    _XSD + "long": int,
    _XSD + "nonNegativeInteger": int,
}


def open(
    kg: str | Path | None = None,
    *,
    store: str | Path | None = None,
    endpoint: str | None = None,
    backend: Literal["oxigraph", "rdflib"] = "oxigraph",
    timeout: float = 30.0,
    allow_service: Collection[str] = (),
    max_bytes: int | None = None,
) -> KnowledgeGraph:
    """Open a compiled exokg graph: the shipped one, a file of the user's own, or an endpoint.

    ``kg`` is an N-Quads file as ``exokg build`` writes it (default: the shipped graph, or the user's
    own build when it is newer). ``store`` keeps an on-disk Oxigraph store of it, built on first use
    and reopened without parsing. ``endpoint`` asks a SPARQL 1.1 endpoint instead (``exokg serve``,
    Oxigraph, Virtuoso …). ``timeout`` bounds every query, in seconds. Queries may reach no other
    endpoint with ``SERVICE`` except those named in ``allow_service``; ``max_bytes`` bounds what an
    endpoint may send back.
    """
    from exokg.core.resources import KG_FILE

    if endpoint is not None:
        if kg is not None or store is not None:
            raise UsageError(
                "an endpoint is asked instead of a graph file",
                where="exokg.open",
                fix="give endpoint= alone, or kg= and store= without it",
            )
        from exokg.query.endpoint import Endpoint

        client = Endpoint(endpoint, allow_service=allow_service, max_bytes=max_bytes)
        return KnowledgeGraph(client, timeout=timeout, source=endpoint)
    from exokg.query.store import open_store

    kg_file = KG_FILE if kg is None else Path(kg)
    if kg is not None and not kg_file.is_file():
        from exokg.core.errors import DataError

        raise DataError(
            "no such graph file", where=str(kg_file), fix="give a file `exokg build` wrote"
        )
    executor = open_store(
        backend,
        kg_file=kg_file,
        store_dir=None if store is None else Path(store),
        allow_service=allow_service,
    )
    return KnowledgeGraph(executor, timeout=timeout, source=kg_file)


class Answer:
    """The answer to a question or a query: columns, and rows of plain Python values.

    A column ``x`` whose companion ``x_label`` the query also selects shows as one column, its values
    written as ``labels`` asks (``label [CURIE]`` by default). Literals become ``int``, ``float`` or
    ``bool`` where their datatype says so, else ``str``; an unbound value is ``None``.

    Iterating gives one ``dict`` per row; ``len()`` counts rows; in a notebook the answer shows as a
    table; :meth:`to_dataframe` gives a pandas ``DataFrame``.
    """

    def __init__(
        self,
        solutions: Solutions,
        *,
        labels: Labels = "both",
        notes: Sequence[str] = (),
        title: str = "",
    ) -> None:
        from exokg.query.answers import table_columns

        if labels not in _LABEL_STYLES:
            raise UsageError(
                f"labels={labels!r} is not a label style", fix=f"give one of {_LABEL_STYLES}"
            )
        self.solutions = solutions
        """The answer as the engine gave it: :class:`exokg.query.store.Solutions`."""
        self.notes = list(notes)
        """Choices exokg made while resolving names (e.g. which organism's gene), one line each."""
        self.title = title
        self.boolean = solutions.boolean
        """For an ``ASK`` query: its answer; else ``None``."""
        self.truncated = solutions.truncated
        """True when ``limit`` cut rows off."""
        self.columns: list[str] = [] if solutions.boolean is not None else table_columns(solutions)
        self._labels = labels
        self._rows: list[tuple[Any, ...]] | None = None

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        """The rows as tuples of plain values, in column order (made on first use: the command
        line writes the engine's answer directly and never needs them)."""
        if self._rows is None:
            names = self.solutions.variables
            rows = []
            for raw in self.solutions.rows:
                values = dict(zip(names, raw, strict=True))
                rows.append(
                    tuple(
                        _value(values[c], values.get(f"{c}_label"), self._labels)
                        for c in self.columns
                    )
                )
            self._rows = rows
        return self._rows

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            yield dict(zip(self.columns, row, strict=True))

    def __len__(self) -> int:
        return len(self.solutions.rows)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return dict(zip(self.columns, self.rows[index], strict=True))

    def column(self, name: str) -> list[Any]:
        """Every value of one column, in row order."""
        if name not in self.columns:
            raise UsageError(
                f"the answer has no column {name!r}",
                fix=f"its columns are: {', '.join(self.columns)}",
            )
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def to_dataframe(self) -> pandas.DataFrame:
        """The answer as a pandas ``DataFrame`` (pandas is an optional extra: ``pip install pandas``)."""
        try:
            import pandas
        except ImportError:
            raise UsageError(
                "Answer.to_dataframe needs pandas, which is not installed",
                fix="pip install pandas (or pip install 'exokg[pandas]')",
            ) from None
        return pandas.DataFrame.from_records(self.rows, columns=self.columns)

    def to_csv(self) -> str:
        """The answer as W3C SPARQL 1.1 CSV results: every column, every character."""
        from exokg.query.answers import write_results

        return write_results(self.solutions, "csv")

    def _repr_html_(self) -> str:
        from html import escape

        if self.boolean is not None:
            return f"<p>{'yes' if self.boolean else 'no'}</p>"
        head = "".join(f"<th>{escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{'' if v is None else escape(str(v))}</td>" for v in row)
            + "</tr>"
            for row in self.rows
        )
        caption = f"<caption>{escape(self.title)} ({len(self.rows)} rows)</caption>"
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        if self.boolean is not None:
            return f"<exokg Answer: {self.boolean}>"
        what = f" {self.title!r}" if self.title else ""
        return f"<exokg Answer{what}: {len(self.rows)} rows x {len(self.columns)} columns>"


class Match:
    """A term that :meth:`KnowledgeGraph.search` found: how well, and by which of its names.

    ``matched`` is the name that matched and how (``label``, ``exact synonym: dexosomes`` …).
    """

    __slots__ = ("curie", "label", "matched", "organism", "score", "type")

    def __init__(
        self, curie: str, label: str, score: float, type: str, organism: str | None, matched: str
    ) -> None:
        self.curie, self.label, self.score, self.type = curie, label, score, type
        self.organism, self.matched = organism, matched

    def __repr__(self) -> str:
        organism = f" ({self.organism})" if self.organism else ""
        return f"<Match {self.label} [{self.curie}]{organism} {self.score:g}: {self.matched}>"


class TermRecord:
    """What exokg knows of one term, as ``exokg info`` shows it, and its findings.

    ``synonyms`` are ``{"name", "scope"}``; ``parents`` and ``children`` (direct ones)
    ``{"curie", "label"}``; ``findings`` is the ``evidence-for`` answer: every finding with this
    term or a subclass in any role.
    """

    __slots__ = (
        "children",
        "curie",
        "definition",
        "definition_sources",
        "deprecated",
        "findings",
        "iri",
        "label",
        "organism",
        "parents",
        "synonyms",
        "type",
        "xrefs",
    )

    def __init__(self, facts: dict[str, Any], children: list[dict[str, str]], findings: Answer):
        self.curie: str = facts["curie"]
        self.iri: str = facts["iri"]
        self.label: str = facts["label"]
        self.type: str = facts["type"]
        self.organism: str | None = facts["organism_label"]
        self.definition: str = facts["definition"]
        self.definition_sources: list[str] = list(facts["definition_sources"])
        self.synonyms: list[dict[str, str]] = list(facts["synonyms"])
        self.xrefs: list[str] = list(facts["xrefs"])
        self.parents: list[dict[str, str]] = list(facts["parents"])
        self.children = children
        self.deprecated = bool(facts["deprecated"])
        self.findings = findings

    def __repr__(self) -> str:
        organism = f" ({self.organism})" if self.organism else ""
        return f"<TermRecord {self.label} [{self.curie}]{organism}: {len(self.findings)} findings>"


class KnowledgeGraph:
    """An open exokg graph. Made by :func:`exokg.open`; every method asks the same executor."""

    def __init__(self, executor: Executor, *, timeout: float = 30.0, source: Path | str) -> None:
        self.executor = executor
        """What answers SPARQL: :class:`exokg.query.store.Store` or :class:`exokg.query.endpoint.Endpoint`."""
        self.source = source
        """The graph file or the endpoint URL."""
        self.timeout = timeout
        self._lexicon: Lexicon | None = None

    def __repr__(self) -> str:
        return f"<exokg KnowledgeGraph of {str(self.source)!r}>"

    @property
    def lexicon(self) -> Lexicon:
        """The graph's names: labels, synonyms, gene symbols (built on first use, cached on disk)."""
        if self._lexicon is None:
            if isinstance(self.source, Path):
                from exokg.text.lexicon import load_lexicon

                self._lexicon = load_lexicon(self.source)
            else:
                from exokg.text.lexicon import lexicon_from_executor

                self._lexicon = lexicon_from_executor(self.executor)
        return self._lexicon

    # --- questions ---------------------------------------------------------------------------

    def questions(self) -> dict[str, str]:
        """The competency questions: name → the question in plain words."""
        from exokg.query.questions import list_questions

        return {q.name: q.question for q in list_questions()}

    def ask(
        self,
        name: str,
        /,
        params: Mapping[str, str] | None = None,
        *,
        limit: int | None = None,
        labels: Labels = "both",
        **more: str,
    ) -> Answer:
        """Answer the competency question ``name``; its parameters by name, or as a mapping.

        A parameter takes a CURIE, an IRI or a name (``kg.ask("evidence-for", term="MFG-E8",
        organism="mouse")``), resolved as ``exokg ask --param`` resolves it; ``kg.questions()``
        lists the questions.
        """
        from exokg.query.questions import get_question
        from exokg.text.resolve import ask

        notes: list[str] = []
        solutions = ask(
            name,
            {**(params or {}), **more},
            executor=self.executor,
            limit=limit,
            timeout=self.timeout,
            notes=notes,
        )
        return Answer(solutions, labels=labels, notes=notes, title=get_question(name).title)

    def query(
        self,
        sparql: str,
        *,
        limit: int | None = None,
        labels: Labels = "both",
        where: str = "query",
    ) -> Answer:
        """Answer read-only SPARQL; exokg's prefixes (``EXOKG:``, ``GO:``, ``exo:`` …) are predeclared.

        The query passes exokg's safety check first (no update, no ``SERVICE`` or ``FROM`` reaching
        outside the graph); ``where`` names it in error messages (a file name, say).
        """
        from exokg.query.questions import run_query

        solutions = run_query(
            sparql, executor=self.executor, limit=limit, timeout=self.timeout, where=where
        )
        return Answer(solutions, labels=labels)

    # --- terms -------------------------------------------------------------------------------

    def resolve(self, name: str, *, organism: str | None = None) -> str:
        """The CURIE a name, CURIE or IRI stands for (errors list the candidates)."""
        from exokg.core.prefixes import compact
        from exokg.text.resolve import resolve_term

        term = resolve_term(
            name,
            self.executor,
            organism=organism,
            lexicon=self.lexicon,
            organism_option="organism=",
        )
        return compact(term.value)

    def term(
        self, name: str, *, organism: str | None = None, labels: Labels = "both"
    ) -> TermRecord:
        """A term by CURIE, IRI or name: its names, definition, parents, children and findings."""
        from exokg.text.resolve import ask, resolve_term
        from exokg.text.terms import children, info

        term = resolve_term(
            name,
            self.executor,
            organism=organism,
            lexicon=self.lexicon,
            organism_option="organism=",
        )
        facts = info(term, self.lexicon, self.executor)
        found = ask(
            "evidence-for",
            {"term": _curie_or_iri(term)},
            executor=self.executor,
            timeout=self.timeout,
        )
        children_ = children(term, self.lexicon, self.executor)
        title = f"findings on {facts['label']}"
        return TermRecord(facts, children_, Answer(found, labels=labels, title=title))

    def search(self, text: str, *, limit: int = 10) -> list[Match]:
        """Terms whose names are close to ``text`` (fuzzy, ranked), as ``exokg search`` lists them."""
        found = []
        for candidate, score in self.lexicon.search(text, limit=limit):
            matched = "" if candidate.name == candidate.label else candidate.name
            found.append(
                Match(
                    curie=candidate.curie,
                    label=candidate.label,
                    score=float(score),
                    type=candidate.type,
                    organism=candidate.organism_label,
                    matched=f"{candidate.kind}: {matched}" if matched else candidate.kind,
                )
            )
        return found

    def findings(
        self,
        term: str | None = None,
        *,
        effect: str | None = None,
        system: str | None = None,
        organism: str | None = None,
        verification: str | None = None,
        source: str | None = None,
        labels: Labels = "both",
    ) -> Answer:
        """Findings, filtered as a biologist filters them; every filter is optional.

        ``term``: a term in any role (and its subclasses), as ``evidence-for`` asks; ``effect``:
        promotes, inhibits, affects, no effect or caveat; ``system``: in vivo, in vitro, ex vivo,
        patient samples; ``organism``: mouse, human or an NCBITaxon CURIE; ``verification``: V1, V2
        or NV; ``source``: a source's label, DOI, PMID or IRI (part of it suffices).
        """
        from exokg.core.resources import FINDINGS_QUERY
        from exokg.text.where import narrow

        solutions = self.executor.select(
            FINDINGS_QUERY.read_text(encoding="utf-8"),
            where=str(FINDINGS_QUERY),
            timeout=self.timeout,
        )
        if term is not None:
            statements = self._statements_about(term, organism)
            index = solutions.variables.index("statement")
            solutions.rows = [
                r for r in solutions.rows if (s := r[index]) is not None and s.value in statements
            ]
        conditions = {
            name: value
            for name, value in (
                ("effect", effect),
                ("system", system),
                ("verification", verification),
                ("source", source),
                ("organism", organism),
            )
            if value is not None
        }
        # the same narrowing as `exokg findings --where` and `exokg ask --where`
        solutions = narrow(solutions, conditions, lexicon=self.lexicon)
        return Answer(solutions, labels=labels, title="findings")

    def annotate(self, text: str) -> list[dict[str, Any]]:
        """The spans of ``text`` that name exokg's terms: start, end, text, CURIEs, labels, kind."""
        from exokg.text.annotate import annotate

        return [
            {
                "start": span.start,
                "end": span.end,
                "text": span.text,
                "curies": list(span.curies),
                "labels": [c.label for c in span.candidates],
                "kind": span.kind,
                "ambiguous": span.ambiguous,
            }
            for span in annotate(self.lexicon, text)
        ]

    # --- views and other libraries -------------------------------------------------------------

    def view(
        self,
        question: str | None = None,
        *,
        focus: str | None = None,
        depth: int = 1,
        height: str = "640px",
        **params: str,
    ) -> Page:
        """The interactive graph view: a question's answer, a term's neighbourhood, or the whole graph.

        In a notebook, a ``Page`` as a cell's last value draws itself inline; ``page.html`` is the
        whole self-contained page.
        """
        from exokg.views.page import page

        return page(
            focus=focus,
            depth=depth,
            question=question,
            params=dict(params),
            height=height,
            executor=self.executor,
        )

    def networkx(self, *, context: bool = False) -> nx.MultiDiGraph:
        """The graph as networkx sees it: terms as nodes, findings and ``is a`` as edges (the view's
        projection; ``context=True`` adds cell lines and organisms)."""
        from exokg.views.page import graph

        return graph(self.executor, context=context)

    def rdflib(self) -> rdflib.Dataset:
        """The compiled graph as an ``rdflib.Dataset`` (its named graphs kept)."""
        import rdflib

        dataset = rdflib.Dataset()
        dataset.parse(data=self._nquads().decode("utf-8"), format="nquads")
        return dataset

    def owlready(self) -> owlready2.World:
        """An owlready2 ``World`` holding the asserted ontology, its imports and every finding.

        owlready2 reads neither N-Quads nor Turtle, so the graph reaches it as N-Triples, its import
        modules already merged (no ``owl:imports`` is followed, nothing is fetched):
        ``world.sparql("SELECT ?s { ?s a rdf:Statement }")`` lists the findings.
        """
        import io

        import owlready2
        import pyoxigraph

        from exokg.core.vocab import GRAPH_INFERRED

        # the imported modules are already in the compiled graph: owl:imports would make owlready2
        # fetch them from the web. The build's materialised closure (reflexive subClassOf included)
        # is left out: owlready2 users classify with its own reasoner.
        imports = pyoxigraph.NamedNode("http://www.w3.org/2002/07/owl#imports")
        inferred = pyoxigraph.NamedNode(str(GRAPH_INFERRED))
        triples = {
            quad.triple
            for quad in pyoxigraph.parse(self._nquads(), format=pyoxigraph.RdfFormat.N_QUADS)
            if quad.predicate != imports and quad.graph_name != inferred
        }
        data = pyoxigraph.serialize(sorted(triples, key=str), format=pyoxigraph.RdfFormat.N_TRIPLES)
        assert data is not None  # serialize returns bytes when given no output
        world = owlready2.World()
        world.get_ontology("https://w3id.org/exokg/exokg.owl").load(
            fileobj=io.BytesIO(data), format="ntriples"
        )
        return world

    # --- helpers -------------------------------------------------------------------------------

    def _nquads(self) -> bytes:
        """The whole graph as N-Quads: the file, or what the executor returns for every quad."""
        if isinstance(self.source, Path):
            return self.source.read_bytes()
        raise UsageError(
            "an endpoint cannot be copied into rdflib or owlready2 here",
            fix="open the graph file instead: exokg.open('exokg-kg.nq')",
        )

    def _organism(self, organism: str) -> str:
        try:
            return self.lexicon.organism(organism)
        except KeyError:
            raise UsageError(
                f"no organism of the graph is called {organism!r}",
                where="organism",
                fix="give mouse, human or an NCBITaxon CURIE such as NCBITaxon:10090",
            ) from None

    def _statements_about(self, term: str, organism: str | None) -> set[str]:
        from exokg.text.resolve import ask

        params = {"term": term} if organism is None else {"term": term, "organism": organism}
        answer = ask("evidence-for", params, executor=self.executor, timeout=self.timeout)
        index = answer.variables.index("statement")
        return {s.value for row in answer.rows if (s := row[index]) is not None}


def _curie_or_iri(term: Term) -> str:
    from exokg.core.prefixes import compact

    curie = compact(term.value)
    return curie if curie != term.value else f"<{term.value}>"


def _value(term: Term | None, label: Term | None, labels: Labels) -> Any:
    """One cell as a plain Python value."""
    from exokg.core.prefixes import compact

    if term is None:
        return None if label is None else label.value
    if term.kind == "uri":
        if labels == "iri":
            return term.value
        curie = compact(term.value)
        if label is None or labels == "curie":
            return curie
        return label.value if labels == "label" else f"{label.value} [{curie}]"
    if term.kind == "bnode":
        return f"_:{term.value}"
    kind = _NUMBERS.get(term.datatype or "")
    if kind is not None:
        try:
            return kind(term.value)
        except ValueError:
            return term.value
    if term.datatype == _XSD + "boolean":
        return term.value in ("true", "1")
    return term.value
