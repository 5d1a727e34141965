"""The books (`dev.py build --books`): the PDF read back as Chromium's PDF viewer reads it (PDFium,
through pypdfium2), the EPUB checked by Debian's epubcheck, and
the offline copy opened from file:// in Debian's chromium.

The books are made once per run, from the site the suite builds; the PDF is laid out while
the EPUB, the offline copy and epubcheck run beside it.
"""

from __future__ import annotations

import ctypes
import functools
import re
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from conftest import ENV, ROOT, page, parsed, run_folder, shared

sys.path.insert(0, str(ROOT / "scripts"))
from handbook.site import handbook_version, release_date  # noqa: E402

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
#: epubcheck is a short run of Java: its quick compiler alone and one thread of garbage collection give the
#: same verdict, word for word, for half the CPU time (about 11.5 to 5.3 CPU seconds here).
JAVA = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
VERSION = handbook_version(ROOT)
STEM = f"client-centred-practice-handbook-{VERSION}"
pytestmark = pytest.mark.slow


def _make_books(site: Path, out: Path) -> dict[str, dict]:
    """The three books made from the built site, and epubcheck's verdict (once per run: tests/conftest.py `shared`)."""
    script = [sys.executable, str(ROOT / "scripts" / "build_books.py"), "--site", str(site), "--out", str(out)]
    pdf = subprocess.Popen([*script, "--only", "pdf"], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    others = subprocess.run([*script, "--only", "epub,offline"], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    check = subprocess.run([*JAVA, "-jar", str(EPUBCHECK), str(out / f"{STEM}.epub")], capture_output=True, text=True, timeout=600) \
        if others.returncode == 0 else subprocess.CompletedProcess([], 1, "", "no EPUB was made")
    pdf_output = pdf.communicate(timeout=900)[0]
    return {"others": {"returncode": others.returncode, "stdout": others.stdout, "stderr": others.stderr},
            "pdf": {"returncode": pdf.returncode, "stdout": pdf_output},
            "epubcheck": {"returncode": check.returncode, "stdout": check.stdout, "stderr": check.stderr}}


@pytest.fixture(scope="session")
def books(site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = run_folder(tmp_path_factory) / "books"
    made = shared(tmp_path_factory, "books", lambda folder: _make_books(site, folder))
    others, pdf = made["others"], made["pdf"]
    assert others["returncode"] == 0, others["stdout"] + others["stderr"]
    assert pdf["returncode"] == 0, pdf["stdout"]
    return {"dir": out, "output": pdf["stdout"] + others["stdout"], "epubcheck": SimpleNamespace(**made["epubcheck"])}


@pytest.fixture(scope="session")
def expected(site: Path) -> list[tuple[str, int]]:
    """(title, depth) of every page the books hold, in the navigation's order: the glossary and the
    bibliography last, the downloads page left out. Titles as the built site shows them."""
    nav = load_config(str(ROOT / "mkdocs.yml"))["nav"]
    pages: list[tuple[str, int]] = []

    def walk(items: list, in_section: bool) -> None:
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value, True)
            else:
                first = in_section and value.endswith("/index.md")
                pages.append((value, 0 if not in_section or first else 1))

    walk(nav, False)
    pages = [p for p in pages if p[0] != "about/downloads.md"]
    back = ("glossary/index.md", "references/index.md")
    pages = [p for p in pages if p[0] not in back] + [p for p in pages if p[0] in back]

    def title(src: str) -> str:
        url = "" if src == "index.md" else src.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/"
        soup = page(site, url)
        return soup.select_one("article h1").get_text(" ", strip=True).removesuffix("¶").strip()

    return [(title(src), depth) for src, depth in pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _squeezed(text: str) -> str:
    """Without any white space: a long address breaks across lines in the PDF."""
    return re.sub(r"\s+", "", text)


class Pdf:
    """The PDF as a reader's viewer reads it: PDFium, the PDF engine of Chromium's viewer (through pypdfium2).

    It reads the text of the whole book (461 pages today) in about a second, and the structure trees in two; pypdf took about
    70 ms a page for the text and 4.6 s to open the tagged PDF's object streams."""

    def __init__(self, path: Path) -> None:
        self.document = pdfium.PdfDocument(path)
        self.title = self.document.get_metadata_value("Title")
        self._texts: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.document)

    def text(self, index: int) -> str:
        """The text of the page at ``index`` (from 0)."""
        if index not in self._texts:
            # PDFium gives a hyphen that ends a line as U+0002, unsure whether it splits a word. print.css leaves
            # `hyphens` at CSS's `manual`, so WeasyPrint breaks lines only after hyphens of the text (a long address).
            self._texts[index] = self.document[index].get_textpage().get_text_bounded().replace("\x02", "-")
        return self._texts[index]

    @functools.cached_property
    def outline(self) -> list[tuple[str, int, int]]:
        """(title, level, page number from 1) of every bookmark, in order."""
        return [(mark.get_title(), mark.level, mark.get_dest().get_index() + 1) for mark in self.document.get_toc()]

    @property
    def language(self) -> str:
        """The document's language (the catalogue's /Lang)."""
        size = pdfium_c.FPDFCatalog_GetLanguage(self.document.raw, None, 0)
        buffer = (ctypes.c_ushort * (size // 2))()
        pdfium_c.FPDFCatalog_GetLanguage(self.document.raw, buffer, size)
        return bytes(buffer).decode("utf-16-le").rstrip("\0")

    def structure(self, index: int) -> set[str]:
        """The kinds of structure element (H1, P, Link...) that hold the content of the page at ``index``."""
        kinds: set[str] = set()

        def walk(element: object, depth: int) -> None:
            size = pdfium_c.FPDF_StructElement_GetType(element, None, 0)
            name = ctypes.create_string_buffer(size)
            pdfium_c.FPDF_StructElement_GetType(element, name, size)
            kinds.add(name.raw.decode("utf-16-le").rstrip("\0"))
            for child in range(pdfium_c.FPDF_StructElement_CountChildren(element) if depth < 12 else 0):
                element_child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, child)
                if element_child:
                    walk(element_child, depth + 1)

        page = self.document[index]
        tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
        try:
            for child in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
                walk(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, child), 0)
        finally:
            pdfium_c.FPDF_StructTree_Close(tree)
        return kinds

    def link_targets(self, index: int) -> list[int]:
        """The page number (from 1) each link on the page at ``index`` leads to inside the document."""
        page, targets, start = self.document[index], [], ctypes.c_int(0)
        link = pdfium_c.FPDF_LINK()
        while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(start), ctypes.byref(link)):
            dest = pdfium_c.FPDFLink_GetDest(self.document.raw, link)
            if dest:
                targets.append(pdfium_c.FPDFDest_GetDestPageIndex(self.document.raw, dest) + 1)
        return targets


@pytest.fixture(scope="session")
def pdf(books: dict) -> Pdf:
    return Pdf(books["dir"] / f"{STEM}.pdf")


def test_the_books_are_named_with_the_version_and_have_a_sane_size(books: dict) -> None:
    for name, low, high in ((f"{STEM}.pdf", 300_000, 20_000_000), (f"{STEM}.epub", 50_000, 10_000_000),
                            (f"{STEM}-offline.zip", 300_000, 30_000_000)):
        path = books["dir"] / name
        assert path.exists(), books["output"]
        assert low < path.stat().st_size < high, (name, path.stat().st_size)


def test_pdf_is_a4_with_a_sane_page_count(pdf: Pdf, expected: list) -> None:
    assert len(expected) + 2 < len(pdf) < 1000
    width, height = pdf.document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_pdf_title_page_says_version_date_licence_and_how_to_cite(pdf: Pdf) -> None:
    text = _flat(pdf.text(0))
    assert "Client-Centred Practice Handbook" in text
    released = release_date(ROOT)
    assert f"Version {VERSION}" in text and f"{released.day} {released:%B %Y}" in text and "CC BY 4.0" in text
    assert _squeezed(f"Client-Centred Practice Handbook contributors. (2026). Client-Centred Practice Handbook (Version {VERSION}).") \
        in _squeezed(text)
    assert pdf.title == f"Client-Centred Practice Handbook, version {VERSION}"


def test_pdf_outline_follows_the_navigation(pdf: Pdf, expected: list) -> None:
    outline = pdf.outline
    assert [(t, level) for t, level, _ in outline] == [("Contents", 0)] + expected
    pages = [page for _, _, page in outline]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)  # in order, each page on a page of its own


def test_pdf_contents_page_numbers_point_at_the_pages(pdf: Pdf) -> None:
    outline = pdf.outline
    first_chapter = outline[1][2]
    contents = _flat(" ".join(pdf.text(i) for i in range(outline[0][2] - 1, first_chapter - 1)))
    for title, _, number in outline[1:]:
        match = re.search(re.escape(title) + r"[ .]*?(\d+)(?!\d)", contents)
        assert match, f"{title!r} is not in the contents"
        assert int(match.group(1)) == number, f"the contents give {title!r} page {match.group(1)}, but it is on page {number}"
        assert title in _flat(pdf.text(number - 1)), f"page {number} does not show {title!r}"


def _page_text(pdf: Pdf, title: str) -> str:
    outline = pdf.outline
    index = [t for t, _, _ in outline].index(title)
    start = outline[index][2]
    end = outline[index + 1][2] if index + 1 < len(outline) else len(pdf) + 1
    return _flat(" ".join(pdf.text(i) for i in range(start - 1, end - 1)))


def test_pdf_holds_a_page_with_its_authors_dates_citation_and_references(pdf: Pdf) -> None:
    text = _page_text(pdf, "Establishing trust")
    assert "Trust is what allows a person to tell a social worker what is really happening" in text
    assert "By Client-Centred Practice Handbook contributors" in text and "Last reviewed 1 December 2026" in text
    assert _squeezed(f"Client-Centred Practice Handbook contributors. (2026). Establishing trust. In Client-Centred Practice "
                     f"Handbook (Version {VERSION}). https://client-centred-practice-handbook.github.io/handbook/relationship/trust/"
                     ) in _squeezed(text)
    assert "References" in text
    assert _squeezed("Beresford, P. (2005). “Service users”: regressive or liberatory terminology?") in _squeezed(text)
    # what only works on screen is left out
    for screen_only in ("Choose the style your course asks for", "Edit this page", "Copy", "BibTeX (.bib)"):
        assert screen_only not in text


def test_pdf_ends_with_the_glossary_and_the_bibliography(pdf: Pdf) -> None:
    glossary = _page_text(pdf, "Glossary")
    assert "relationship-based practice" in glossary and "Appears on:" in glossary
    bibliography = _page_text(pdf, "References")
    assert _squeezed("Zimmerman, M. A. (1995). Psychological empowerment") in _squeezed(bibliography)
    assert "Cited on:" in bibliography


def test_pdf_links_inside_the_book_lead_to_the_glossary_and_pages(pdf: Pdf) -> None:
    outline = pdf.outline
    trust = next(page for title, _, page in outline if title == "Establishing trust")
    glossary = next(page for title, _, page in outline if title == "Glossary")
    references = next(page for title, _, page in outline if title == "References")
    targets = pdf.link_targets(trust - 1)
    assert any(glossary <= t < references for t in targets), targets  # a term, linked to its glossary entry


def test_pdf_is_tagged_in_british_english(pdf: Pdf) -> None:
    """PDF/UA: the document's language, marked as tagged, and a structure tree on every page that a screen
    reader follows, with headings, paragraphs, lists, links and the figures' captions."""
    assert pdf.language == "en-GB"
    assert pdfium_c.FPDFCatalog_IsTagged(pdf.document.raw)  # /MarkInfo << /Marked true >>
    kinds = [pdf.structure(index) for index in range(len(pdf))]
    assert [number for number, page in enumerate(kinds, 1) if not page] == []
    assert {"Document", "H1", "H2", "P", "L", "LI", "Link", "Table", "Figure", "Caption"} <= set().union(*kinds), kinds


def test_pdf_shows_figures_with_their_number_caption_drawn_text_and_long_description(pdf: Pdf) -> None:
    text = _page_text(pdf, "Who is the client?")
    assert "Figure 1. Pincus and Minahan's four systems" in text
    assert "the tenants' group" in text and "Target system" in text  # the drawing's labels, as text
    assert "Figure 1 in words" in text and "which is the model's main lesson" in text  # printed open


# The EPUB -------------------------------------------------------------------------------------
def test_epub_holds_figures_as_inline_svg_declared_in_the_package(books: dict) -> None:
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    with zipfile.ZipFile(books["dir"] / f"{STEM}.epub") as epub:
        container = ET.fromstring(epub.read("META-INF/container.xml"))
        opf_path = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
        opf = ET.fromstring(epub.read(opf_path))
        items = {item.get("href"): item.get("properties") or "" for item in opf.findall(".//opf:manifest/opf:item", ns)}
        xhtml = epub.read(posixpath_join(opf_path, "practice-family.xhtml")).decode("utf-8")
    assert "svg" in items["practice-family.xhtml"].split() and "svg" not in items["relationship-trust.xhtml"].split()
    doc = ET.fromstring(xhtml)
    x = "{http://www.w3.org/1999/xhtml}"
    figures = doc.findall(f".//{x}figure")
    assert len(figures) == 2
    svg = figures[0].find(".//{http://www.w3.org/2000/svg}svg")
    assert svg is not None and svg.get("viewBox") and svg.get("role") == "img" and svg.get("aria-label")
    assert figures[0].find(f"{x}figcaption") is not None and figures[0].find(f"{x}details").get("open") is not None


# The EPUB -------------------------------------------------------------------------------------
def test_epub_passes_epubcheck(books: dict) -> None:
    check = books["epubcheck"]
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No errors or warnings detected" in check.stdout


def test_epub_spine_follows_the_navigation(books: dict, expected: list) -> None:
    ns = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    with zipfile.ZipFile(books["dir"] / f"{STEM}.epub") as epub:
        container = ET.fromstring(epub.read("META-INF/container.xml"))
        opf_path = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
        opf = ET.fromstring(epub.read(opf_path))
        assert opf.find(".//dc:language", ns).text == "en-GB"
        manifest = {item.get("id"): item.get("href") for item in opf.findall(".//opf:manifest/opf:item", ns)}
        titles = []
        for ref in opf.findall(".//opf:spine/opf:itemref", ns):
            doc = BeautifulSoup(epub.read(posixpath_join(opf_path, manifest[ref.get("idref")])), "html.parser")
            titles.append(doc.title.get_text(strip=True))
        trust = BeautifulSoup(epub.read(posixpath_join(opf_path, "relationship-trust.xhtml")), "html.parser")
    assert titles == ["Title page", "Contents"] + [title for title, _ in expected]
    assert trust.select_one('a.hb-term[href^="glossary.xhtml#"]') is not None  # definitions are glossary links
    assert "(Version " + VERSION + ")" in trust.select_one(".bk-cite").get_text()


def posixpath_join(opf_path: str, href: str) -> str:
    return (opf_path.rpartition("/")[0] + "/" + href).lstrip("/")


# The offline copy -----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def offline(books: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(books["dir"] / f"{STEM}-offline.zip") as archive:
        archive.extractall(out)
    return out / f"{STEM}-offline"


def test_offline_copy_links_lead_to_files_and_nothing_is_fetched_from_elsewhere(offline: Path) -> None:
    broken = []
    for source in offline.rglob("*.html"):
        html = source.read_text(encoding="utf-8")
        assert "unpkg.com" not in html, source
        for link in BeautifulSoup(html, "html.parser").select("article a[href], script[src], link[href]"):
            href = link.get("href") or link.get("src")
            if re.match(r"^[a-z][a-z0-9+.-]*:", href):
                continue
            path = urllib.parse.unquote(href.partition("#")[0].partition("?")[0])
            if path and not (source.parent / path).resolve().is_file():  # a folder opens as a listing on file://
                broken.append(f"{source.relative_to(offline)}: {href}")
    assert broken == []


def test_offline_copy_has_the_figures(offline: Path) -> None:
    html = parsed(offline / "practice" / "family.html")
    figures = html.select("figure.hb-figure")
    assert [f.select_one(".hb-figure-number").get_text() for f in figures] == ["Figure 1.", "Figure 2."]
    assert all(f.select_one("svg[role=img] text") is not None and f.select_one("details") is not None for f in figures)


@pytest.mark.browser
def test_offline_copy_works_from_the_file_system_with_search(browser, offline: Path) -> None:
    from playwright.sync_api import expect

    context = browser.new_context()
    requested: list[str] = []
    context.route(re.compile(r"^https?://"), lambda route: (requested.append(route.request.url), route.abort()))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((offline / "index.html").as_uri())
    expect(page.locator("article h1")).to_contain_text("Client-centred practice in social work")
    page.locator("article").get_by_role("link", name="Who is the client?").first.click()
    expect(page).to_have_url((offline / "client" / "index.html").as_uri())
    expect(page.locator("article h1")).to_contain_text("Who is the client?")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("advocacy", delay=40)
    result = page.locator(".md-search-result__item a").first
    expect(result).to_be_visible(timeout=15000)
    result.click()
    expect(page).to_have_url(re.compile(r"^file://.*/roles/advocacy\.html"))
    expect(page.locator("article h1")).to_contain_text("Advocacy")
    context.close()
    assert requested == [] and errors == []


# The downloads page ---------------------------------------------------------------------------
def test_downloads_page_offers_the_three_books_of_this_release(site: Path, books: dict) -> None:
    soup = page(site, "about/downloads")
    links = [a["href"] for a in soup.select("ul.hb-downloads a")]
    names = [f"{STEM}.pdf", f"{STEM}.epub", f"{STEM}-offline.zip"]
    assert links == [f"https://client-centred-practice-handbook.github.io/handbook/downloads/{name}" for name in names]
    assert all((books["dir"] / name).exists() for name in names)
    home = parsed(site / "index.html")
    assert home.select_one('nav a[href="about/downloads/"]') is not None  # in the navigation, under About


def _in_order(text: str, *parts: str) -> bool:
    """Whether each part is in the text, each after the one before."""
    squeezed = _squeezed(text)
    positions = [squeezed.find(_squeezed(p)) for p in parts]
    return -1 not in positions and positions == sorted(positions)


#: The worked example of issue 30's self-check questions (docs/roles/advocacy.md): the last
#: question, the heading of the answers, the first answer and the last.
SELF_CHECK = ("4. In a sentence, why does the page warn against an advocate who simply speaks for someone?", "Answers",
              "Cause (or systemic) advocacy seeks to change", "Speaking for someone can replace one powerful voice")


def test_pdf_prints_the_self_check_answers_after_the_questions(pdf: Pdf) -> None:
    text = _page_text(pdf, "Advocacy")
    assert _in_order(text, "Check your understanding", *SELF_CHECK, "Reflective questions"), text[:3000]


def test_epub_gives_the_self_check_answers_after_the_questions(books: dict) -> None:
    with zipfile.ZipFile(books["dir"] / f"{STEM}.epub") as book:
        name = next(n for n in book.namelist() if n.endswith("roles-advocacy.xhtml"))
        soup = BeautifulSoup(book.read(name).decode("utf-8"), "html.parser")
    assert soup.find("details") is None and soup.find("summary") is None
    text = soup.get_text(" ")
    assert _in_order(text, "Check your understanding", *SELF_CHECK, "Reflective questions")
    answers = soup.select("ol.bk-answers > li")
    assert len(answers) == 4 and all(a.find("a", href=True) for a in answers)


def test_the_pdf_keeps_pydyfs_own_list_of_its_pages() -> None:
    """While the PDF is written, its list of page references is kept (books/pdf.py): the same list pydyf makes."""
    import pydyf

    from handbook.books.pdf import page_references_kept

    original = pydyf.PDF.page_references
    pdf, kept = pydyf.PDF(), []
    with page_references_kept():
        for _ in range(3):
            pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
            kept.append(pdf.page_references)
            assert kept[-1] == original.fget(pdf) and kept[-1] is pdf.page_references
    assert [len(k) for k in kept] == [1, 2, 3] and pydyf.PDF.page_references is original
