"""``exokg site``: a static website of the compiled graph, for biologists who browse rather than type.

One page per term (every class of the graph: exokg's own, the imported classes, genes and proteins),
per source, per claim and per competency question, a home page that answers the main question, and
search on every page. The pages are plain HTML files with relative links, so the same folder works
opened from the disk (``file://``), from any static web host, and under ``exokg serve`` at ``/``.

Where the content comes from — nothing is computed twice:

* a term's findings are the rows of the ``evidence-for`` question, asked once for every term at
  once (its ``?term`` left unbound), so a page shows what ``exokg ask evidence-for --param term=X``
  shows: findings about the term or a subclass, reported under it as the authors' term, or found in
  it (cell line, cell type, perturbed gene); the graph view's projection
  (:func:`exokg.views.page.graph`) adds each finding's perturbation, organism, DOI, contrasts and
  the caveats that qualify it;
* names, synonyms and xrefs come from the lexicon (:mod:`exokg.text.lexicon`), definitions, their
  sources and the superclasses from ``queries/lookup/term-info.rq`` (again unbound: one query);
* the small graph on a term page is the static figure of :mod:`exokg.views.figure` (Graphviz), drawn
  for the term's neighbourhood in the graph view;
* sources, claims and the questions' answers are the competency questions' own answers.

Why these libraries: Jinja2 (already needed by pyvis for the graph view) fills the page templates with
autoescaping, so a label is always text; MiniSearch (MIT, vendored in ``_static/`` with its licence)
searches in the browser over an index exokg writes at build time, loaded as a script so that it works
from ``file://`` where a page may not fetch files. Nothing is fetched at run time: every script and
style is a file of the site, and every page sets a content-security policy that allows nothing else.
"""

from __future__ import annotations

import functools
import json
import re
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exokg.core.prefixes import EXOKG_BASE, PREFIXES
from exokg.core.prefixes import compact as _compact_iri
from exokg.core.resources import (
    CLASS_TREE_QUERY,
    KG_FILE,
    SITE_STATIC_DIR,
    SITE_TEMPLATES_DIR,
    TERM_INFO_QUERY,
    VIEW_QUERIES_DIR,
)

if TYPE_CHECKING:
    import jinja2
    import networkx as nx

    from exokg.query.questions import Question
    from exokg.query.store import Executor, Solutions, Term
    from exokg.text.lexicon import Lexicon

__all__ = ["MAIN_QUESTION", "SYSTEMS", "build_site", "page_name", "site_files"]

MAIN_QUESTION = "exosomes-promoting-tumour-progression"
TERM_QUESTION = "evidence-for"  # the question a term page answers, for every term at once
SYSTEMS = {  # exo:system in words
    "inVivo": "in vivo",
    "inVitro": "in vitro",
    "exVivo": "ex vivo",
    "patientSamples": "patient samples",
}
FIGURE_NODES = 30  # a term's figure shows at most this many nodes, the most mentioned first
_FIGURE_BATCH = 40  # figures laid out by one dot process
MAX_ROWS = (
    500  # rows of a term page's findings table (a broad class of a large graph has thousands)
)
compact = functools.cache(
    _compact_iri
)  # the same few thousand IRIs, hundreds of thousands of times
_PAGE_ID = re.compile(r'id="page\d+,\d+_')
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SYNONYM_KINDS = ("exact synonym", "related synonym", "narrow synonym", "broad synonym")
_SOURCE_COLUMNS = ("source_label", "title", "year", "journal", "statements", "identifiers_checked")
_GENE_PREFIXES = ("hgnc", "MGI", "NCBIGene", "uniprot")


def page_name(curie: str) -> str:
    """The file name of a term's page: the CURIE with ``_`` for ``:`` (``EXOKG_0000022.html``), as the
    w3id IRI ends (``https://w3id.org/exokg/EXOKG_0000022``), so a redirect can map one onto the other.
    """
    return _SAFE.sub("_", curie.replace(":", "_")) + ".html"


def _source_page(iri: str) -> str:
    for prefix, short in (("https://doi.org/", "doi-"), ("http://dx.doi.org/", "doi-")):
        if iri.startswith(prefix):
            return short + _SAFE.sub("_", iri[len(prefix) :]) + ".html"
    match = re.search(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d+)", iri)
    if match:
        return f"pmid-{match.group(1)}.html"
    return _SAFE.sub("_", iri.split("://", 1)[-1]) + ".html"


def _xref_url(xref: str) -> str | None:
    """A link for a cross-reference or a definition's source: DOI, PMID, PMCID, an IRI, a CURIE."""
    prefix, _, local = xref.partition(":")
    lowered = prefix.lower()
    if xref.startswith(("http://", "https://")):
        return xref
    if lowered == "doi" and local:
        return "https://doi.org/" + local
    if lowered == "pmid" and local.isdigit():
        return f"https://pubmed.ncbi.nlm.nih.gov/{local}/"
    if lowered == "pmcid" and local:
        return f"https://www.ncbi.nlm.nih.gov/pmc/articles/{local}/"
    if prefix in PREFIXES and local and prefix not in ("rdf", "rdfs", "owl", "xsd"):
        return PREFIXES[prefix] + local
    return None


# --- reading the graph ----------------------------------------------------------------------------


def _rows(solutions: Solutions) -> list[dict[str, Term]]:
    return [
        {var: term for var, term in zip(solutions.variables, row, strict=True) if term is not None}
        for row in solutions.rows
    ]


def _select(executor: Executor, path: Path) -> list[dict[str, Term]]:
    sparql = path.read_text(encoding="utf-8")
    return _rows(executor.select(sparql, where=str(path), timeout=600))


def _term_facts(executor: Executor) -> dict[str, dict[str, list[str]]]:
    """``term-info.rq`` for every term at once: definition, its sources, notes, superclasses."""
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in _select(executor, TERM_INFO_QUERY):
        facts[compact(row["term"].value)][row["field"].value].append(row["value"].value)
    return facts


def _hierarchy(
    executor: Executor, classes: set[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each class's direct parents and direct children (among the graph's classes)."""
    from exokg.text.terms import direct_parents

    ancestors: dict[str, set[str]] = defaultdict(set)
    for row in _select(executor, CLASS_TREE_QUERY):
        ancestors[compact(row["class"].value)].add(compact(row["super"].value))
    parents: dict[str, list[str]] = {}
    children: dict[str, list[str]] = defaultdict(list)
    for child in sorted(classes):
        supers = sorted(s for s in ancestors.get(child, set()) if s in classes and s != child)
        parents[child] = direct_parents(supers, ancestors)
        for parent in parents[child]:
            children[parent].append(child)
    return parents, children


# One finding as the site shows it: the ``evidence-for`` columns plus the graph view's fields.
Finding = dict[str, Any]


def _findings(
    executor: Executor, g: nx.MultiDiGraph
) -> tuple[dict[str, Finding], dict[str, list[str]], dict[str, list[str]]]:
    """Every finding by its local id (``R03-B05``), the ids each term's page lists, and the ids made
    in each organism and disease."""
    from exokg.query.questions import get_question

    question = get_question(TERM_QUESTION)
    solutions = executor.select(question.sparql, where=str(question.path), timeout=600)
    edges = {
        key: data for _, _, key, data in g.edges(keys=True, data=True) if data["kind"] == "finding"
    }
    findings: dict[str, Finding] = {}
    by_term: dict[str, dict[str, None]] = defaultdict(dict)  # ordered sets of ids
    for row in _rows(solutions):
        ident = compact(row["statement"].value).removeprefix("exs:")
        if ident not in findings:
            findings[ident] = _finding(ident, row, edges.get("exs:" + ident, {}))
        by_term[compact(row["term"].value)][ident] = None
    # the caveats that qualify each finding
    for ident, finding in findings.items():
        for other in finding["qualifies"]:
            if other in findings:
                findings[other]["cautioned_by"].append(ident)
    return (
        findings,
        {term: list(idents) for term, idents in by_term.items()},
        _made_in(findings, edges),
    )


def _value(row: dict[str, Term], name: str) -> str:
    return row[name].value if name in row else ""


def _finding(ident: str, row: dict[str, Term], data: dict[str, Any]) -> Finding:
    def ids(field: str) -> list[str]:
        return [x.removeprefix("exs:") for x in data.get(field, "").split("; ") if x]

    organism = data.get("organism", "")
    return dict(
        id=ident,
        subject=compact(row["subject"].value),
        subject_label=_value(row, "subject_label"),
        relation_label=_value(row, "relation_label") or compact(row["relation"].value),
        object=compact(row["object"].value),
        object_label=_value(row, "object_label"),
        polarity=_value(row, "polarity"),
        effect=_value(row, "effect") or data.get("effect", ""),
        reported_as=_value(row, "reported_as"),
        finding=_value(row, "finding"),
        caveats=_value(row, "caveats"),
        model=_value(row, "model"),
        organism=organism.rsplit(" (", 1)[0] if organism else "",
        system=SYSTEMS.get(_value(row, "system"), _value(row, "system")),
        evidence=_value(row, "evidence_label") or compact(_value(row, "evidence")),
        verification=_value(row, "verification"),
        score=_value(row, "score"),
        source=row["source"].value,
        source_label=_value(row, "source_label"),
        doi=data.get("doi", ""),
        perturbation=data.get("perturbation", ""),
        qualifies=ids("qualifies"),
        contrasts=ids("contrasts_with"),
        cautioned_by=[],
    )


def _with_related(idents: Iterable[str], findings: dict[str, Finding]) -> list[tuple[Finding, str]]:
    """The findings of a page, each followed by the caveats that qualify it and the findings it
    contrasts with (each finding once), with the reason a related one is there."""
    own = set(idents)  # a page's own findings are never marked as shown for another's sake
    shown: dict[str, str] = {}
    for ident in idents:
        if ident not in findings:
            continue
        shown.setdefault(ident, "")
        finding = findings[ident]
        for other in finding["cautioned_by"]:
            shown.setdefault(other, "" if other in own else f"caveat on {ident}")
        for other in finding["contrasts"]:
            if other in findings:
                shown.setdefault(other, "" if other in own else f"contrasts with {ident}")
    return [(findings[i], why) for i, why in shown.items()]


_CURIE_IN_BRACKETS = re.compile(r"\(([A-Za-z][\w.-]*:[^\s()]+)\)$")


def _made_in(
    findings: dict[str, Finding], edges: dict[str, dict[str, Any]]
) -> dict[str, list[str]]:
    """The findings made in each organism and disease (their model's context), in id order: what an
    organism or a disease page lists, as ``exokg findings --where organism=…`` narrows them."""
    made: dict[str, list[str]] = defaultdict(list)
    for ident in sorted(findings):
        data = edges.get("exs:" + ident, {})
        for field in ("organism", "disease"):
            for value in filter(None, str(data.get(field, "")).split("; ")):
                if (found := _CURIE_IN_BRACKETS.search(value)) and ident not in made[found[1]]:
                    made[found[1]].append(ident)
    return made


def _term_findings(
    curie: str, idents: list[str], findings: dict[str, Finding]
) -> tuple[list[tuple[Finding, str]], int]:
    """A term page's rows: the findings naming the term itself first, then those about narrower
    classes or made in it, at most :data:`MAX_ROWS` of them; and how many findings there are."""
    direct = {i: None for i in idents if curie in (findings[i]["subject"], findings[i]["object"])}
    rest = [i for i in idents if i not in direct]
    return _with_related([*direct, *rest][:MAX_ROWS], findings)[:MAX_ROWS], len(idents)


# --- the pages ------------------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(SITE_TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["glyph"] = _glyph
    return environment


def _glyph(effect: str) -> Any:
    """A small picture of a finding's effect with the graph view's colour, dashes and arrowhead."""
    from markupsafe import Markup

    from exokg.views.page import EDGE_STYLE

    style = EDGE_STYLE.get(effect or "positive", EDGE_STYLE["positive"])
    colour = style["color"]
    dashes = style["dashes"]
    dash = f' stroke-dasharray="{" ".join(str(d // 2) for d in dashes)}"' if dashes else ""
    heads = {
        "arrow": f'<path d="M22 1 L30 6 L22 11 Z" fill="{colour}"/>',
        "bar": f'<path d="M29 0 V12" stroke="{colour}" stroke-width="3"/>',
        "vee": f'<path d="M22 1 L30 6 L22 11" fill="none" stroke="{colour}" stroke-width="2"/>',
        "circle": f'<circle cx="26" cy="6" r="4" fill="none" stroke="{colour}" stroke-width="2"/>',
        "diamond": f'<path d="M22 6 L26 1 L30 6 L26 11 Z" fill="{colour}"/>',
    }
    head = heads.get(style["head"], "")
    return Markup(
        '<svg class="glyph" width="32" height="12" viewBox="0 0 32 12" aria-hidden="true" '
        f'focusable="false"><path d="M1 6 H24" stroke="{colour}" stroke-width="2"{dash}/>{head}</svg>'
    )


def _figure_dot(g: nx.MultiDiGraph, curie: str, label: str) -> str:
    """The term's neighbourhood as Graphviz DOT, or "" when it has none to draw."""
    from exokg.views.figure import to_dot
    from exokg.views.page import cap, neighbourhood

    near = neighbourhood(g, curie, 1)
    if near.number_of_nodes() < 2:
        return ""
    shown, _ = cap(near, FIGURE_NODES)
    return to_dot(shown, title=f"{label} and its neighbours")


def _draw(dots: dict[str, str], progress: Callable[[str], None]) -> dict[str, str]:
    """Draw the figures with Graphviz; {} (and no figures) when dot is missing.

    One ``dot`` process lays out a batch of figures (it reads graph after graph and writes one SVG
    document each), two batches at a time: starting a process per figure cost more than drawing it.
    A batch that fails is drawn again one figure at a time, so one bad figure loses only itself.
    """
    import shutil
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    program = shutil.which("dot")
    if program is None or not dots:
        return {}

    def run(text: str) -> list[str]:
        done = subprocess.run(
            [program, "-Tsvg"], input=text.encode("utf-8"), capture_output=True, timeout=600
        )
        if done.returncode != 0:
            return []
        documents = done.stdout.decode("utf-8").split("<?xml")[1:]
        # dot names the graph of a document in a stream "page0,1_graph0", not a valid XML id
        return [_PAGE_ID.sub('id="', d[d.find("<svg") :]) if "<svg" in d else "" for d in documents]

    def draw(batch: list[tuple[str, str]]) -> list[tuple[str, str]]:
        svgs = run("".join(dot for _, dot in batch))
        if len(svgs) != len(batch):
            svgs = [next(iter(run(dot)), "") for _, dot in batch]
        return [(curie, svg) for (curie, _), svg in zip(batch, svgs, strict=True)]

    items = list(dots.items())
    batches = [items[i : i + _FIGURE_BATCH] for i in range(0, len(items), _FIGURE_BATCH)]
    drawn: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for batch in pool.map(draw, batches):
            drawn.update((curie, svg) for curie, svg in batch if svg)
            progress(f"drawing term figures ({len(drawn)}/{len(dots)})")
    return drawn


def _answer_table(
    solutions: Solutions, question: Question, link: Callable[[str], str | None]
) -> dict[str, Any]:
    """A question's answer as headers and cells (text, href) for the template."""
    from exokg.query.answers import table_columns

    columns = [c for c in table_columns(solutions) if c in question.default_columns()] or (
        table_columns(solutions)
    )
    rows = []
    for row in _rows(solutions):
        cells = []
        for column in columns:
            term = row.get(column)
            if term is None:
                cells.append({"text": "", "href": None})
            elif term.kind == "uri":
                label = row[f"{column}_label"].value if f"{column}_label" in row else ""
                cells.append({"text": label or compact(term.value), "href": link(term.value)})
            else:
                cells.append({"text": term.value, "href": None})
        rows.append(cells)
    return {"columns": columns, "rows": rows, "descriptions": question.columns}


def site_files(
    *,
    kg_file: Path = KG_FILE,
    executor: Executor | None = None,
    progress: Callable[[str], None] | None = None,
    figures: bool = True,
) -> dict[str, bytes]:
    """Every file of the site (path inside the site → bytes), built from the compiled graph."""
    from exokg.query.questions import list_questions
    from exokg.query.store import open_store
    from exokg.text.lexicon import lexicon_from_executor
    from exokg.text.resolve import bind
    from exokg.views.page import graph

    say = progress or (lambda _: None)
    say("reading the graph")
    store = executor if executor is not None else open_store(kg_file=kg_file)
    lexicon = lexicon_from_executor(store)
    g = graph(store)
    say("collecting the findings")
    findings, by_term, made_in = _findings(store, g)
    facts = _term_facts(store)
    classes = {c for c, r in lexicon.terms.items() if r["type"] == "class"}
    parents, children = _hierarchy(store, classes)
    sources = {row["source"].value: row for row in _select(store, VIEW_QUERIES_DIR / "sources.rq")}
    questions = {q.name: q for q in list_questions()}

    def answer(name: str, **params: Term) -> Solutions:
        question = questions[name]
        return store.select(question.sparql, params, where=str(question.path), timeout=600)

    source_rows = {row["source"].value: row for row in _rows(answer("sources"))}
    claim_rows = _rows(answer("claims"))

    def term_href(iri_or_curie: str) -> str | None:
        curie = compact(iri_or_curie) if "://" in iri_or_curie else iri_or_curie
        if curie in classes:
            return "term/" + page_name(curie)
        return None

    def link(iri: str) -> str | None:
        """Where an IRI in an answer leads: its page on the site (a path from the site's root), else
        the IRI itself."""
        if iri in source_rows or iri in sources:
            return "source/" + _source_page(iri)
        curie = compact(iri)
        if curie.startswith("exs:"):
            ident = curie.removeprefix("exs:")
            if ident in findings:
                return "term/" + page_name(findings[ident]["subject"]) + "#" + ident
        if iri.startswith(EXOKG_BASE + "claim/"):
            return "claim/" + _SAFE.sub("_", iri.rsplit("/", 1)[-1]) + ".html"
        return term_href(curie) or (iri if iri.startswith(("http://", "https://")) else None)

    environment = _environment()
    environment.globals.update(term_href=term_href, link=link, source_page=_source_page)
    files: dict[str, bytes] = {}

    def render(path: str, template: str, **context: Any) -> None:
        root = "../" * path.count("/")
        html = environment.get_template(template).render(root=root, path=path, **context)
        files[path] = html.encode("utf-8")

    # term pages
    label = {c: str(r["label"]) for c, r in lexicon.terms.items()}

    def name_of(curie: str) -> str:
        return label.get(curie) or curie

    term_list = sorted(classes, key=lambda c: (label[c].casefold(), c))
    dots = {}
    if figures:
        for curie in term_list:
            if curie in g and (dot := _figure_dot(g, curie, label[curie])):
                dots[curie] = dot
    svgs = _draw(dots, say)
    for n, curie in enumerate(term_list, start=1):
        if n % 100 == 0 or n == len(term_list):
            say(f"writing term pages ({n}/{len(term_list)})")
        record = lexicon.terms[curie]
        fact = facts.get(curie, {})
        rows, total = _term_findings(curie, by_term.get(curie, []), findings)
        synonyms: dict[str, list[str]] = defaultdict(list)
        for name, kind in record["names"]:
            if kind in _SYNONYM_KINDS:
                synonyms[kind].append(name)
        render(
            f"term/{page_name(curie)}",
            "term.html",
            curie=curie,
            record=record,
            kind=_kind(curie),
            organism=(record["organism"], label.get(record["organism"] or "", "")),
            definition=(fact.get("definition") or [""])[0],
            definition_sources=[(x, _xref_url(x)) for x in fact.get("definition source", [])],
            definition_verification=[
                v.rsplit("#", 1)[-1] for v in fact.get("definition verification", [])
            ],
            notes=fact.get("note", []),
            synonyms=[(kind, synonyms[kind]) for kind in _SYNONYM_KINDS if synonyms[kind]],
            xrefs=[(x, _xref_url(x)) for x, kind in record["names"] if kind == "xref"],
            parents=[
                (p, name_of(p))
                for p in sorted(parents.get(curie, []), key=lambda p: name_of(p).casefold())
            ],
            children=[
                (c, name_of(c))
                for c in sorted(children.get(curie, []), key=lambda c: name_of(c).casefold())
            ],
            findings=rows,
            total=total,
            made_in=_with_related(made_in.get(curie, [])[:MAX_ROWS], findings)[:MAX_ROWS],
            made_in_total=len(made_in.get(curie, [])),
            made_in_filter=_made_in_filter(curie),
            figure=svgs.get(curie, ""),
            question=questions[TERM_QUESTION],
        )
    render(
        "terms.html",
        "terms.html",
        terms=[(c, label[c], _kind(c), len(by_term.get(c, []))) for c in term_list],
    )

    # sources
    say("writing source, claim and question pages")
    by_source: dict[str, list[str]] = defaultdict(list)
    for ident, finding in findings.items():
        by_source[finding["source"]].append(ident)
    for iri in sorted(set(sources) | set(source_rows)):
        view_row, row = sources.get(iri, {}), source_rows.get(iri, {})
        render(
            f"source/{_source_page(iri)}",
            "source.html",
            iri=iri,
            label=_value(row, "source_label") or iri,
            title=_value(view_row, "title") or _value(row, "title"),
            authors=_value(view_row, "creator"),
            year=_value(view_row, "year") or _value(row, "year"),
            journal=_value(view_row, "journal") or _value(row, "journal"),
            doi=_value(view_row, "doi"),
            statements=_value(row, "statements"),
            review_statements=_value(row, "review_statements"),
            checked=_value(row, "identifiers_checked"),
            findings=_with_related(sorted(by_source.get(iri, [])), findings),
        )
    render(
        "sources.html",
        "sources.html",
        sources=sorted(
            (
                {k: _value(row, k) for k in _SOURCE_COLUMNS} | {"source": iri}
                for iri, row in source_rows.items()
            ),
            key=lambda r: r["source_label"],
        ),
    )

    # claims
    claims = []
    for row in claim_rows:
        name = _SAFE.sub("_", row["claim"].value.rsplit("/", 1)[-1]) + ".html"

        def ids(column: str, row: dict[str, Term] = row) -> list[str]:
            return [i for i in _value(row, column).split(" | ") if i in findings]

        claim = {
            "page": name,
            "subject": compact(row["subject"].value),
            "subject_label": _value(row, "subject_label"),
            "effect": _value(row, "effect"),
            "outcome": compact(row["outcome"].value),
            "outcome_label": _value(row, "outcome_label"),
            "score": _value(row, "score"),
            "sources": _value(row, "sources"),
            "supporting": _value(row, "supporting"),
            "contradicting": _value(row, "contradicting"),
            "caveats": _value(row, "caveats"),
            "best_evidence": _value(row, "best_evidence"),
            "iri": row["claim"].value,
        }
        claims.append(claim)
        render(
            f"claim/{name}",
            "claim.html",
            claim=claim,
            groups=[
                ("Supporting findings", [(findings[i], "") for i in ids("supported_by")]),
                ("Contradicting findings", [(findings[i], "") for i in ids("contradicted_by")]),
                ("Caveats", [(findings[i], "") for i in ids("cautioned_by")]),
            ],
            question=questions["claims"],
        )
    render("claims.html", "claims.html", claims=claims)

    # questions
    listed = []
    for name, question in sorted(questions.items()):
        required = [p for p in question.parameters if p.default is None]
        table = None
        if not required:
            bindings = bind(question, {}, store)
            solutions = store.select(
                question.sparql, bindings, where=str(question.path), timeout=600
            )
            table = _answer_table(solutions, question, link)
        files[f"question/{name}.rq"] = question.sparql.encode("utf-8")
        listed.append((question, table is not None and len(table["rows"])))
        render(
            f"question/{name}.html",
            "question.html",
            question=question,
            table=table,
            required=required,
            endpoint=_endpoint_link(question.sparql),
        )
    render("questions.html", "questions.html", questions=listed)

    # home
    main = questions[MAIN_QUESTION]
    main_bindings = bind(main, {}, store)
    main_ids = []
    for row in _rows(store.select(main.sparql, main_bindings, where=str(main.path), timeout=600)):
        ident = compact(row["statement"].value).removeprefix("exs:") if "statement" in row else ""
        if ident in findings:
            main_ids.append(ident)
    render(
        "index.html",
        "index.html",
        main=main,
        findings=[(findings[i], "") for i in dict.fromkeys(main_ids)],
        counts={
            "terms": len(term_list),
            "findings": len(findings),
            "sources": len(source_rows),
            "claims": len(claims),
            "questions": len(questions),
        },
        claims=claims[:5],
    )

    # search index and static files
    say("writing the search index")
    composed = _composed_names(lexicon)
    documents = [
        {
            "id": f"term/{page_name(c)}",
            "title": label[c],
            "curie": c,
            "names": " | ".join(
                sorted(
                    {
                        n
                        for n, k in lexicon.terms[c]["names"]
                        if k not in ("label", "CURIE") and n.casefold() != label[c].casefold()
                    }
                    | set(composed.get(c, []))
                )
            ),
            "kind": _kind(c),
        }
        for c in term_list
    ]
    documents += [
        {
            "id": f"source/{_source_page(iri)}",
            "title": _value(row, "source_label"),
            "curie": _value(sources.get(iri, {}), "doi"),
            "names": _value(row, "title"),
            "kind": "source",
        }
        for iri, row in source_rows.items()
    ]
    documents += [
        {
            "id": f"question/{q.name}.html",
            "title": q.title,
            "curie": q.name,
            "names": q.question,
            "kind": "question",
        }
        for q in questions.values()
    ]
    files["static/search-index.js"] = (
        "window.EXOKG_SEARCH = " + json.dumps(documents, ensure_ascii=False, indent=0) + ";\n"
    ).encode("utf-8")
    for path in sorted(SITE_STATIC_DIR.iterdir()):
        if path.is_file():
            files[f"static/{path.name}"] = path.read_bytes()
    return files


def _composed_names(lexicon: Lexicon) -> dict[str, list[str]]:
    """Names of vesicles by their cell of origin ("dendritic cell exosomes", "exosomes from
    dendritic cells") for the search index: built from each defined class's vesicle type and cell
    type, and kept only where the CLI's reading of the name (:func:`exokg.text.compose.compose`) puts
    that class first, so the site finds what ``exokg search`` finds."""
    from exokg.text.compose import compose

    def names(curie: str) -> list[str]:
        record = lexicon.terms.get(curie)
        if record is None:
            return []
        return [n for n, kind in record["names"] if kind in ("label", "exact synonym")]

    found: dict[str, list[str]] = defaultdict(list)
    for curie, record in lexicon.terms.items():
        for genus in record.get("genus", ()):
            for origin in record.get("origin", ()):
                for vesicle in names(genus):
                    for cell in names(origin):
                        for phrase in (f"{cell} {vesicle}s", f"{vesicle}s from {cell}s"):
                            read = compose(lexicon, phrase, limit=1)
                            if read and read[0].curie == curie and phrase not in found[curie]:
                                found[curie].append(phrase)
    return found


def _made_in_filter(curie: str) -> str:
    """The ``exokg findings`` filter that lists what an organism page lists ("" for a disease:
    no column of ``findings`` names the disease)."""
    return f"--where organism={curie}" if curie.startswith("NCBITaxon:") else ""


def _kind(curie: str) -> str:
    prefix = curie.split(":", 1)[0]
    if prefix in _GENE_PREFIXES:
        return "gene or protein"
    if prefix == "EXOKG":
        return "exokg class"
    return f"{prefix} class"


def _endpoint_link(sparql: str) -> str:
    """The question in the query page of ``exokg serve --site`` (filled in), from the site's root.

    The page needs the endpoint's full URL, which only the browser knows: site.js completes it."""
    return "sparql.html?" + urllib.parse.urlencode({"query": sparql, "endpoint": "/query"})


def build_site(
    out_dir: Path,
    *,
    kg_file: Path = KG_FILE,
    executor: Executor | None = None,
    progress: Callable[[str], None] | None = None,
    figures: bool = True,
) -> dict[str, int]:
    """Write the site into ``out_dir`` (new, empty, or a site exokg wrote before, swapped at once).

    Returns how many pages of each kind it wrote and the site's size in bytes.
    """
    from exokg.core.outputs import write_release_dir

    files = site_files(kg_file=kg_file, executor=executor, progress=progress, figures=figures)
    if progress:
        progress(f"writing {len(files)} files")
    write_release_dir(out_dir, files)
    counts: dict[str, int] = defaultdict(int)
    for name in files:
        if name.endswith(".html"):
            counts[name.split("/", 1)[0] if "/" in name else "index pages"] += 1
    counts["bytes"] = sum(len(data) for data in files.values())
    return dict(counts)
