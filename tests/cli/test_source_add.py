"""exokg source add: a validated sources.yaml record from a metadata file, or fetched (only with
--fetch) from a Crossref/PubMed stand-in on loopback that serves what the test writes (issue 29)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from exokg.curation.metadata import next_key
from exokg.curation.records import read_curation
from tests import ROOT
from tests.conftest import ExokgRunner

DOI = "10.1074/jbc.M110.107821"  # a paper that is no source yet
PMID = "20353945"
TITLE = "Secretory mechanisms and intercellular transfer of microRNAs in living cells"
ABSTRACT = "Ceramide triggers the secretion of microRNAs in exosomes (written for this test)."

BIBTEX = f"""@article{{hoshino2015,
  author = {{Kosaka, Nobuyoshi and Iguchi, Haruhisa and Ochiya, Takahiro}},
  title = {{{TITLE}}}, journal = {{J Biol Chem}}, year = {{2010}}, doi = {{{DOI}}}
}}"""
RIS = f"TY  - JOUR\nAU  - Kosaka, Nobuyoshi\nAU  - Ochiya, Takahiro\nTI  - {TITLE}\nJO  - J Biol Chem\nPY  - 2010\nDO  - {DOI}\nER  - \n"
CSL = json.dumps(
    {
        "DOI": DOI.upper(),  # registries may capitalise a DOI
        "title": [TITLE],
        "author": [
            {"family": "Kosaka", "given": "Nobuyoshi"},
            {"family": "Ochiya", "given": "Takahiro"},
        ],
        "container-title": ["J Biol Chem"],
        "issued": {"date-parts": [[2010, 6, 11]]},
    }
)
PUBMED = f"""<?xml version="1.0"?><PubmedArticleSet><PubmedArticle><MedlineCitation>
<PMID>{PMID}</PMID><Article><Journal><JournalIssue><PubDate><Year>2010</Year></PubDate></JournalIssue>
<Title>J Biol Chem</Title></Journal><ArticleTitle>{TITLE}.</ArticleTitle>
<Abstract><AbstractText>{ABSTRACT}</AbstractText></Abstract>
<AuthorList><Author><LastName>Kosaka</LastName><ForeName>Nobuyoshi</ForeName></Author>
<Author><LastName>Ochiya</LastName><ForeName>Takahiro</ForeName></Author></AuthorList></Article>
</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="doi">{DOI}</ArticleId>
</ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>"""


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    path = tmp_path / "curation" / "sources.yaml"
    path.parent.mkdir()
    path.write_text((ROOT / "ontology" / "curation" / "sources.yaml").read_text(encoding="utf-8"))
    return path


@pytest.mark.parametrize(
    ("name", "content", "identifier"),
    [
        ("paper.bib", BIBTEX, DOI),
        ("paper.ris", RIS, DOI),
        ("paper.json", CSL, f"https://doi.org/{DOI}"),
        ("paper.xml", PUBMED, f"PMID:{PMID}"),
    ],
)
def test_from_a_metadata_file(
    exokg: ExokgRunner, sources: Path, tmp_path: Path, name: str, content: str, identifier: str
) -> None:
    metadata = tmp_path / name
    metadata.write_text(content, encoding="utf-8")
    key = next_key(set(read_curation([sources]).sources))  # the rule: P and the next number
    result = exokg("source", "add", identifier, "--from", metadata, "--sources", sources)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key
    curation = read_curation([sources])
    assert curation.problems == []
    record = curation.sources[key]
    assert record.title == TITLE and record.year == "2010" and record.journal == "J Biol Chem"
    assert record.author_names[0] == "Kosaka N"
    assert record.identifier_verification == "V2"  # a file the curator gives: not the registry
    # the next paper gets the next key; the same paper again is refused, and the file is unchanged
    again = exokg("source", "add", identifier, "--from", metadata, "--sources", sources)
    assert again.returncode == 2 and f"already a source ({key})" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1


def test_refuses_metadata_of_another_paper_and_unknown_formats(
    exokg: ExokgRunner, sources: Path, tmp_path: Path
) -> None:
    before = sources.read_text(encoding="utf-8")
    metadata = tmp_path / "paper.bib"
    metadata.write_text(BIBTEX, encoding="utf-8")
    other = exokg("source", "add", "10.1000/other", "--from", metadata, "--sources", sources)
    assert other.returncode == 1 and f"describe {DOI}" in other.stderr
    metadata.write_text("Hoshino et al. 2015, Nature", encoding="utf-8")
    unknown = exokg("source", "add", DOI, "--from", metadata, "--sources", sources)
    assert unknown.returncode == 1 and "not BibTeX, RIS, CSL-JSON or PubMed XML" in unknown.stderr
    neither = exokg("source", "add", DOI, "--sources", sources)
    assert neither.returncode == 2 and "--fetch" in neither.stderr
    assert sources.read_text(encoding="utf-8") == before


class _Registry(BaseHTTPRequestHandler):
    """Crossref's /works/DOI and PubMed's efetch, as the test writes them; /slow/ never finishes."""

    def do_GET(self) -> None:
        if self.path.startswith("/slow/"):
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
            return
        if self.path.startswith("/crossref/"):
            body, kind = (
                json.dumps({"status": "ok", "message": json.loads(CSL)}),
                "application/json",
            )
        elif self.path.startswith("/eutils/efetch.fcgi") and PMID in self.path:
            body, kind = PUBMED, "text/xml"
        elif self.path.startswith("/eutils/esearch.fcgi"):
            body, kind = (
                f"<eSearchResult><IdList><Id>{PMID}</Id></IdList></eSearchResult>",
                "text/xml",
            )
        else:
            self.send_error(404)
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def registry() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_from_crossref_and_the_abstract_from_pubmed(
    exokg: ExokgRunner, sources: Path, tmp_path: Path, registry: str
) -> None:
    abstract = tmp_path / "abstracts" / "hoshino.txt"
    result = exokg(
        "source", "add", DOI, "--fetch", "--fetch-abstract", abstract, "--sources", sources,
        "--crossref", f"{registry}/crossref/", "--eutils", f"{registry}/eutils/",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    record = read_curation([sources]).sources[result.stdout.strip()]
    assert (record.doi, record.pmid, record.identifier_verification) == (DOI.upper(), PMID, "V1")
    assert abstract.read_text(encoding="utf-8").strip() == ABSTRACT


def test_fetch_by_pmid_from_pubmed(exokg: ExokgRunner, sources: Path, registry: str) -> None:
    result = exokg(
        "source", "add", PMID, "--fetch", "--sources", sources, "--eutils", f"{registry}/eutils/"
    )
    assert result.returncode == 0, result.stderr
    assert read_curation([sources]).sources[result.stdout.strip()].doi == DOI


def test_a_slow_registry_is_cut_at_the_timeout(
    exokg: ExokgRunner, sources: Path, registry: str
) -> None:
    before = sources.read_text(encoding="utf-8")
    result = exokg(
        "source", "add", DOI, "--fetch", "--timeout", "1", "--sources", sources,
        "--crossref", f"{registry}/slow/",
    )  # fmt: skip
    assert result.returncode == 1 and "no complete answer within 1 s" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sources.read_text(encoding="utf-8") == before


def test_never_writes_an_abstract_into_the_repository(exokg: ExokgRunner, sources: Path) -> None:
    result = exokg(
        "source", "add", DOI, "--fetch", "--fetch-abstract", ROOT / "abstract.txt",
        "--sources", sources, "--crossref", "http://127.0.0.1:9/",
    )  # fmt: skip
    assert result.returncode == 2 and "into the repository" in result.stderr
    assert not (ROOT / "abstract.txt").exists()
