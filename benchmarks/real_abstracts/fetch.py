"""Fill a folder with the corpus's abstracts from PubMed, for a user with the network (never run by the
tests; the abstracts are the publishers' text and stay out of the repository).

    python benchmarks/real_abstracts/fetch.py DIR

For each paper of corpus.yaml: its PMID (or the PMID PubMed gives for its DOI, else its title) ->
efetch XML -> the AbstractText parts joined by a space -> DIR/<id>.txt. Requests go through exokg's
bounded HTTP client (30 s, 2 MiB each) and wait 0.4 s between calls (NCBI's limit without a key).
"""

from __future__ import annotations

import sys
import time
import urllib.parse
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import yaml

from exokg.query.http import exchange

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
HERE = Path(__file__).resolve().parent


def _get(path: str, **query: str) -> bytes:
    time.sleep(0.4)
    url = EUTILS + path + "?" + urllib.parse.urlencode(query)
    return exchange(url, "GET", None, {"User-Agent": "exokg"}, timeout=30, max_bytes=2 << 20)[1]


def pmid_of(paper: dict[str, str]) -> str | None:
    if paper.get("pmid"):
        return str(paper["pmid"])
    term = f"{paper['doi']}[doi]" if paper.get("doi") else f"{paper['title']}[title]"
    root = ElementTree.fromstring(_get("esearch.fcgi", db="pubmed", term=term))
    ids = [e.text for e in root.iter("Id") if e.text]
    return ids[0] if len(ids) == 1 else None


def abstract(pmid: str) -> str:
    root = ElementTree.fromstring(_get("efetch.fcgi", db="pubmed", id=pmid, retmode="xml"))
    parts = ["".join(e.itertext()).strip() for e in root.iter("AbstractText")]
    return " ".join(p for p in parts if p)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: fetch.py DIR", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    for paper in yaml.safe_load((HERE / "corpus.yaml").read_text(encoding="utf-8"))["papers"]:
        pmid = pmid_of(paper)
        if pmid is None:
            print(f"{paper['id']}: no single PubMed record found; add its abstract by hand")
            continue
        (folder / f"{paper['id']}.txt").write_text(abstract(pmid) + "\n", encoding="utf-8")
        print(f"{paper['id']}: PMID {pmid}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
