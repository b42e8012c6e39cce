"""A paper's bibliographic record, read from the metadata a curator has (BibTeX, RIS, CSL-JSON or
PubMed XML) and written as a new source of ``ontology/curation/sources.yaml`` (``exokg source add``).

Pure: no network. :mod:`exokg.query.metadata` fetches the same formats from Crossref and PubMed.

Key rule for papers outside the curators' fact sheet: ``P`` and a running number of three digits
(P001, P002, ...), the first number no source uses yet.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from exokg.core.errors import DataError, UsageError

__all__ = [
    "Paper",
    "add_source",
    "identifier",
    "next_key",
    "parse_metadata",
    "source_yaml",
]

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


@dataclass
class Paper:
    """What a source record needs, as the metadata gave it."""

    title: str = ""
    authors: list[str] = field(default_factory=list)  # "Surname I" each
    journal: str = ""
    year: str = ""
    doi: str | None = None
    pmid: str | None = None
    abstract: str = ""


def identifier(text: str) -> tuple[str, str]:
    """``("doi", "10.…")`` or ``("pmid", "123")`` from what a curator types (``doi:``, a doi.org
    address and ``PMID:`` are understood)."""
    value = text.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:", "DOI:"):
        value = value.removeprefix(prefix)
    pmid = re.fullmatch(r"(?:PMID:?\s*)?(\d{1,9})", value, re.I)
    if pmid:
        return "pmid", pmid.group(1)
    if _DOI.match(value):
        return "doi", value  # as typed; DOIs compare without regard to case
    raise UsageError(
        f"{text!r} is neither a DOI nor a PMID",
        where="source add",
        fix="give a DOI (10.1038/nm.2753) or a PMID (22635005)",
    )


def _initials(given: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s.\-]+", given) if part)


def _name(family: str, given: str) -> str:
    family, given = family.strip(), given.strip()
    return f"{family} {_initials(given)}".strip() if family else given


def parse_metadata(data: bytes | str, where: str) -> Paper:
    """The paper a metadata file describes; its format is told by its content."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("@"):
        return _bibtex(stripped, where)
    if stripped.startswith(("{", "[")):
        return _csl_json(stripped, where)
    if stripped.startswith("<"):
        return _pubmed_xml(stripped, where)
    if re.match(r"^TY  - ", stripped):
        return _ris(stripped)
    raise DataError(
        "not BibTeX, RIS, CSL-JSON or PubMed XML",
        where=where,
        fix="export the record in one of these formats",
    )


def _bibtex(text: str, where: str) -> Paper:
    fields: dict[str, str] = {}
    for match in re.finditer(r"(\w+)\s*=\s*(\{(?:[^{}]|\{[^{}]*\})*\}|\"[^\"]*\"|\d+)", text):
        value = match.group(2).strip('{}"').replace("{", "").replace("}", "")
        fields[match.group(1).lower()] = re.sub(r"\s+", " ", value).strip()
    if "title" not in fields:
        raise DataError("the BibTeX entry has no title", where=where, fix="add title = {...}")
    authors = []
    for person in fields.get("author", "").split(" and "):
        if "," in person:
            family, given = person.split(",", 1)
        else:
            given, _, family = person.strip().rpartition(" ")
        if person.strip():
            authors.append(_name(family, given))
    return Paper(
        title=fields["title"],
        authors=authors,
        journal=fields.get("journal", ""),
        year=fields.get("year", ""),
        doi=fields.get("doi"),
        pmid=fields.get("pmid"),
        abstract=fields.get("abstract", ""),
    )


def _ris(text: str) -> Paper:
    paper = Paper()
    for line in text.splitlines():
        match = re.match(r"^([A-Z][A-Z0-9])  - ?(.*)$", line)
        if not match:
            continue
        tag, value = match.group(1), match.group(2).strip()
        if tag in ("TI", "T1") and not paper.title:
            paper.title = value
        elif tag in ("AU", "A1"):
            family, _, given = value.partition(",")
            paper.authors.append(_name(family, given))
        elif tag in ("JO", "JF", "T2") and not paper.journal:
            paper.journal = value
        elif tag in ("PY", "Y1", "DA") and not paper.year:
            paper.year = value[:4]
        elif tag == "DO":
            paper.doi = value
        elif tag == "AB":
            paper.abstract = value
        elif tag in ("AN", "C1") and value.isdigit():
            paper.pmid = value
    return paper


def _csl_json(text: str, where: str) -> Paper:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(f"not valid JSON ({error.msg})", where=where) from None
    if isinstance(data, list):
        data = data[0] if data else {}
    data = data.get("message", data)  # Crossref wraps the record in "message"

    def first(value: Any) -> str:
        return str(value[0] if isinstance(value, list) and value else value or "")

    issued = data.get("issued") or data.get("published") or {}
    parts = issued.get("date-parts") or [[""]]
    return Paper(
        title=re.sub(r"\s+", " ", first(data.get("title"))).strip(),
        authors=[
            _name(a.get("family", ""), a.get("given", "")) or a.get("literal", "")
            for a in data.get("author") or []
        ],
        journal=first(data.get("container-title")),
        year=str(parts[0][0] if parts and parts[0] else ""),
        doi=data.get("DOI"),
        pmid=str(data["PMID"]) if data.get("PMID") else None,
        abstract=re.sub(r"<[^>]+>", "", str(data.get("abstract") or "")).strip(),
    )


def _pubmed_xml(text: str, where: str) -> Paper:
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise DataError(f"not well-formed XML ({error})", where=where) from None
    article = root if root.tag == "PubmedArticle" else root.find(".//PubmedArticle")
    if article is None:
        raise DataError("no PubmedArticle in the XML", where=where, fix="give PubMed's efetch XML")

    def text_of(path: str) -> str:
        node = article.find(path)
        return re.sub(r"\s+", " ", "".join(node.itertext())).strip() if node is not None else ""

    authors = [
        _name(a.findtext("LastName") or "", a.findtext("ForeName") or a.findtext("Initials") or "")
        or (a.findtext("CollectiveName") or "")
        for a in article.findall(".//AuthorList/Author")
    ]
    year = (
        text_of(".//JournalIssue/PubDate/Year")
        or text_of(".//JournalIssue/PubDate/MedlineDate")[:4]
    )
    doi = next(
        (i.text for i in article.findall(".//ArticleIdList/ArticleId") if i.get("IdType") == "doi"),
        None,
    )
    abstract = " ".join(
        re.sub(r"\s+", " ", "".join(node.itertext())).strip()
        for node in article.findall(".//Abstract/AbstractText")
    )
    return Paper(
        title=text_of(".//ArticleTitle").rstrip("."),
        authors=authors,
        journal=text_of(".//Journal/Title"),
        year=year,
        doi=doi,
        pmid=text_of(".//MedlineCitation/PMID") or None,
        abstract=abstract,
    )


def next_key(keys: set[str]) -> str:
    """The key rule for papers outside the fact sheet: P001, P002, ..."""
    numbers = [int(k[1:]) for k in keys if re.fullmatch(r"P\d{3}", k)]
    return f"P{max(numbers, default=0) + 1:03d}"


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def source_yaml(key: str, paper: Paper, verification: str, origin: str) -> str:
    """The YAML block of one source record, as sources.yaml writes them."""
    authors = paper.authors
    shown = ", ".join(authors[:6] + (["et al.", authors[-1]] if len(authors) > 7 else authors[6:]))
    lines = [f"  {key}:"]
    if paper.doi:
        lines.append(f"    doi: {paper.doi}")
    if paper.pmid:
        lines.append(f'    pmid: "{paper.pmid}"')
    lines += [
        f"    authors: {_quoted(shown)}",
        f"    title: {_quoted(paper.title)}",
        f"    journal: {_quoted(paper.journal)}",
        f"    year: {paper.year}",
        f"    identifier_verification: {verification}",
        f"    note: {_quoted(f'Added with exokg source add from {origin} on {date.today().isoformat()}.')}",
    ]
    return "\n".join(lines) + "\n"


def add_source(
    sources: Path, wanted: tuple[str, str], paper: Paper, verification: str, origin: str
) -> str:
    """Append ``paper`` to ``sources`` under the next free key, check the file, and return the key.

    Refuses a paper that is already a source, metadata of another paper than the one asked for, and
    a record the curation reader rejects (the file is then left as it was).
    """
    from exokg.curation.records import SOURCES_FILE_NAME, read_curation

    if sources.name != SOURCES_FILE_NAME:
        raise UsageError(
            f"sources are kept in a file named {SOURCES_FILE_NAME}",
            where=str(sources),
            fix=f"give the path of a {SOURCES_FILE_NAME}",
        )
    before = sources.read_text(encoding="utf-8")
    current = read_curation([sources])
    kind, value = wanted
    for source in current.sources.values():
        if (kind == "doi" and (source.doi or "").lower() == value.lower()) or (
            kind == "pmid" and source.pmid == value
        ):
            raise UsageError(
                f"{value} is already a source ({source.key})",
                where=str(sources),
                fix=f"cite it as source: {source.key}",
            )
    got = (paper.doi or "") if kind == "doi" else (paper.pmid or "")
    if got and got.lower() != value.lower():
        raise DataError(
            f"the metadata describe {got}, not {value}",
            where=origin,
            fix="give the record of the paper you asked for",
        )
    if kind == "doi":
        paper.doi = got or value  # the registry's spelling when it gave one
    else:
        paper.pmid = value
    if not paper.title or not paper.year or not paper.authors:
        raise DataError(
            "the metadata lack a title, a year or authors",
            where=origin,
            fix="complete the record (a source needs authors, title, journal and year)",
        )
    key = next_key(set(current.sources))
    block = source_yaml(key, paper, verification, origin)
    sources.write_text(before.rstrip("\n") + "\n\n" + block, encoding="utf-8")
    problems = read_curation([sources]).problems
    if problems:
        sources.write_text(before, encoding="utf-8")
        raise DataError(
            f"the new record does not validate: {problems[0].what} (line {problems[0].line})",
            where=str(sources),
            fix="correct the metadata and try again",
        )
    return key
