"""Fetch a paper's metadata (and abstract) from Crossref or PubMed, only when the curator asks
(``exokg source add --fetch``): through :func:`exokg.query.http.exchange`, so with a total timeout and
a size limit, and from addresses a test can point at a server on loopback."""

from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ElementTree

from exokg.core.errors import DataError
from exokg.curation.metadata import Paper, parse_metadata
from exokg.query.http import exchange

__all__ = ["CROSSREF", "EUTILS", "fetch_paper"]

CROSSREF = "https://api.crossref.org/works/"
EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
MAX_BYTES = 2 << 20
HEADERS = {"User-Agent": "exokg (https://w3id.org/exokg; source add)", "Accept": "*/*"}


def _get(url: str, timeout: float) -> bytes:
    return exchange(url, "GET", None, HEADERS, timeout=timeout, max_bytes=MAX_BYTES)[1]


def _pmid_for(doi: str, eutils: str, timeout: float) -> str | None:
    query = urllib.parse.urlencode({"db": "pubmed", "term": f"{doi}[doi]"})
    root = ElementTree.fromstring(_get(f"{eutils}esearch.fcgi?{query}", timeout))
    ids = [e.text for e in root.iter("Id") if e.text]
    return ids[0] if len(ids) == 1 else None


def fetch_paper(
    kind: str,
    value: str,
    *,
    timeout: float = 20.0,
    crossref: str = CROSSREF,
    eutils: str = EUTILS,
    abstract: bool = False,
) -> tuple[Paper, str]:
    """The paper and where it came from: a DOI from Crossref (and, for its abstract, from PubMed),
    a PMID from PubMed."""
    if kind == "doi":
        url = crossref + urllib.parse.quote(value, safe="/")
        paper = parse_metadata(_get(url, timeout), url)
        origin = "Crossref"
        if abstract and not paper.abstract:
            pmid = paper.pmid or _pmid_for(value, eutils, timeout)
            if pmid:
                found = fetch_paper("pmid", pmid, timeout=timeout, eutils=eutils)[0]
                paper.abstract, paper.pmid = found.abstract, paper.pmid or found.pmid
        return paper, origin
    query = urllib.parse.urlencode({"db": "pubmed", "id": value, "retmode": "xml"})
    url = f"{eutils}efetch.fcgi?{query}"
    data = _get(url, timeout)
    if b"<PubmedArticle" not in data:
        raise DataError(f"PubMed has no article with PMID {value}", where=url, fix="check the PMID")
    return parse_metadata(data, url), "PubMed"
