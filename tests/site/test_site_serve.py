"""`exokg serve --site DIR`: the website at / beside the SPARQL endpoint, files from DIR only."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from exokg.server.guard import guarded_server, site_file
from exokg.server.serve import prepare_store
from tests.server.test_serve import free_port


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.server
def test_the_site_is_served_at_the_root_beside_the_endpoint(site_dir: Path, tmp_path: Path) -> None:
    store = prepare_store(tmp_path / "store")
    port = free_port()
    with guarded_server(store, host="127.0.0.1", port=port, timeout=10, site=site_dir) as url:
        status, headers, body = get(url + "/")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert b"Exosomes that promote tumour progression" in body
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        for path, kind in (
            ("/term/EXOKG_0000022.html", "text/html; charset=utf-8"),
            ("/static/site.js", "text/javascript; charset=utf-8"),
            ("/static/site.css", "text/css; charset=utf-8"),
            ("/question/claims.rq", "text/plain; charset=utf-8"),
            ("/term/", "text/html; charset=utf-8"),  # no index there: refused below
        ):
            status, headers, _ = get(url + path)
            if path == "/term/":
                assert status == 404
            else:
                assert (status, headers["Content-Type"]) == (200, kind), path
        # nothing outside the folder, however the path is spelt
        (tmp_path / "secret.txt").write_text("not for the web")
        for path in (
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/static/..%2f..%2fsecret.txt",
            "/static/%2e%2e/%2e%2e/secret.txt",
            "/%2fetc%2fpasswd",
            "/.exokg",
            "/term/EXOKG_0000022.html%00.txt",
        ):
            status, _, body = get(url + path)
            assert status in (400, 404) and b"not for the web" not in body, path
        # the endpoint answers as before; the query page moved to /sparql.html
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        request = urllib.request.Request(
            f"{url}/query?{query}", headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert int(json.load(response)["results"]["bindings"][0]["n"]["value"]) > 1000
        status, headers, body = get(url + "/sparql.html")
        assert status == 200 and b"yasgui" in body.lower()


def test_site_file_stays_inside_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "term").mkdir(parents=True)
    (root / "index.html").write_text("home")
    (root / "term" / "a.html").write_text("a")
    (tmp_path / "outside.html").write_text("outside")
    (root / "term" / "link.html").symlink_to(tmp_path / "outside.html")
    root = root.resolve()
    assert site_file(root, "/") == root / "index.html"
    assert site_file(root, "/term/a.html") == root / "term" / "a.html"
    for path in ("/../outside.html", "/term/link.html", "/term/../../outside.html", "/.x", "/a\\b"):
        assert site_file(root, path) is None, path


def test_serve_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "exokg", "serve", "--site", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "is not a website exokg built" in done.stderr and "Traceback" not in done.stderr
