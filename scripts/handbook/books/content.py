"""The books' content: every page of the built site, in the navigation's order, cleaned for print.

The text is the site's own HTML (``site/<page>/index.html``, from the strict build), not a
second rendering of the Markdown. Each page keeps its headings, dates, references and
definitions-turned-links; it loses what only works on screen: the cite box (the book gives
the page's APA citation in one line instead), buttons, the edit links, the glossary's
hidden definitions and navigation. Ids get the page's key as a prefix so that one
document can hold every page, and each link is pointed at the book's own copy of the page
(``href_for``) or, for anything the book does not hold, at the published site.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag

from ..bibliography import standalone_entry
from ..config import settings_from
from ..errors import ContentError, Problem
from ..render import HANDBOOK, book_file_stem, human_date
from ..site import load_handbook
from ..site import release_date as site_release_date
from ..text import esc, url_for

__all__ = ["Book", "Chapter", "load_book", "book_file_stem", "release_date", "title_page_html", "HrefFor"]

#: The glossary and the bibliography close the book, whatever their place in the navigation.
BACK_MATTER = ("glossary/index.md", "references/index.md")
#: Pages that make no sense inside a book: the downloads page offers the books themselves.
LEFT_OUT = frozenset({"about/downloads.md"})
#: What only works on screen. The glossary's hidden definitions are in the glossary itself.
_SCREEN_ONLY = ("a.headerlink", "a.md-content__button", "aside.hb-cite-box", ".hb-report", "button", "nav", "script",
                "noscript", "form", "input", ".hb-defs", "[hidden]")
_ID_REFS = ("aria-labelledby", "aria-describedby", "aria-controls", "for", "headers")

#: ``href_for(chapter_key, anchor)``: where a link to a page (anchor "") or a section of it points.
HrefFor = Callable[[str, str], str]


@dataclass
class Chapter:
    """One page of the handbook, as the books print it."""

    src: str          #: its Markdown file under docs/: ``relationship/trust.md``
    key: str          #: its id in the book: ``relationship-trust`` (the home page: ``home``)
    title: str
    depth: int        #: 0 for a top-level page or a section's opening page, 1 for a page in a section
    body: str = ""    #: the cleaned HTML, headings shifted down by ``depth``
    authors: list[str] = field(default_factory=list)
    citation: str = ""  #: the page's own citation (APA 7th), as HTML, from its cite box
    images: dict[str, Path] = field(default_factory=dict)  #: site-relative path -> file


@dataclass
class Book:
    """The whole handbook, ready to be laid out as a PDF or packed as an EPUB."""

    title: str
    version: str
    released: str        #: ISO date, from CITATION.cff
    released_text: str   #: "1 December 2026"
    site_url: str
    licence_name: str
    licence_url: str
    rights: str          #: the site's copyright line
    authors: str         #: as the whole handbook is credited
    description: str
    citation: str        #: how to cite the whole handbook (APA 7th), as HTML
    chapters: list[Chapter]

    @property
    def file_stem(self) -> str:
        return book_file_stem(self.version)


def title_page_html(book: Book) -> str:
    """The front matter both books open with: title, version, date, licence and how to cite the whole."""
    licence = (f'<a href="{esc(book.licence_url)}">{esc(book.licence_name)}</a>' if book.licence_url
               else esc(book.licence_name))
    return f"""<section class="bk-title" aria-label="Title page">
<h1 class="bk-title__name">{esc(book.title)}</h1>
<p class="bk-title__description">{esc(book.description)}</p>
<p class="bk-title__by">{esc(book.authors)}</p>
<dl class="bk-title__facts">
<div><dt>Version</dt><dd>{esc(book.version)}</dd></div>
<div><dt>Published</dt><dd><time datetime="{esc(book.released)}">{esc(book.released_text)}</time></dd></div>
<div><dt>Licence</dt><dd>Text {licence}. You may share and adapt it, with attribution.</dd></div>
<div><dt>Online</dt><dd><a href="{esc(book.site_url)}">{esc(book.site_url)}</a></dd></div>
</dl>
<h2 class="bk-title__cite-heading">How to cite the whole handbook</h2>
<p class="bk-title__cite">{book.citation}</p>
<p class="bk-title__note">Each page gives its own citation under its title. {esc(book.rights)}.</p>
</section>"""


def nav_pages(nav: list[Any]) -> list[tuple[str, int]]:
    """The navigation's pages in order, each with its depth (0: top level or a section's first page)."""
    out: list[tuple[str, int]] = []

    def walk(items: list[Any], in_section: bool) -> None:
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value, True)
            elif isinstance(value, str) and value.endswith(".md"):
                first = in_section and value.endswith("index.md") and posixpath.dirname(value) != ""
                out.append((value, 0 if (not in_section or first) else 1))

    walk(nav, False)
    return out


def _key(src: str) -> str:
    return url_for(src).strip("/").replace("/", "-") or "home"


def release_date(root: Path) -> str:
    """The release date (ISO) from CITATION.cff."""
    day = site_release_date(root)
    if day is None:
        raise ContentError([Problem("CITATION.cff", None, "has no date-released: the books need the release date.")])
    return day.isoformat()


def load_book(root: Path, site_dir: Path, config: Mapping[str, Any], href_for: HrefFor) -> Book:
    """Read the built site in ``site_dir`` (built from ``config``, MkDocs' loaded mkdocs.yml)."""
    docs_dir = root / config.get("docs_dir", "docs")
    handbook = load_handbook(root, docs_dir)
    settings = settings_from(config)
    site_url = settings.site_url
    if not site_url.endswith("/"):
        site_url += "/"
    order = [(src, depth) for src, depth in nav_pages(config.get("nav") or []) if src not in LEFT_OUT]
    order = [p for p in order if p[0] not in BACK_MATTER] + [p for p in order if p[0] in BACK_MATTER]
    keys = {url_for(src): _key(src) for src, _ in order}
    chapters = [_chapter(site_dir, src, depth, site_url, keys, href_for, handbook) for src, depth in order]

    released = release_date(root)
    whole = {"id": "handbook", "type": "book", "title": HANDBOOK,
             "author": [{"literal": settings.site_author or f"{HANDBOOK} contributors"}],
             "issued": {"date-parts": [[int(part) for part in released.split("-")]]},
             "URL": site_url, "version": handbook.version}
    return Book(
        title=HANDBOOK, version=handbook.version, released=released,
        released_text=human_date(dt.date.fromisoformat(released)), site_url=site_url,
        licence_name=settings.licence_name, licence_url=settings.licence_url,
        rights=settings.copyright, authors=settings.site_author, description=settings.site_description,
        citation=standalone_entry(whole, "apa"), chapters=chapters,
    )


def _chapter(site_dir: Path, src: str, depth: int, site_url: str, keys: dict[str, str], href_for: HrefFor,
             handbook: Any) -> Chapter:
    page_url = url_for(src)
    path = site_dir / page_url / "index.html"
    if not path.exists():
        raise ContentError([Problem(str(path), None, f"is missing: build the site first (the books are made from it, for {src}).")])
    html = path.read_text(encoding="utf-8")
    # Only the article is read: the rest of each page (the navigation of the whole site) is
    # most of its bytes, and parsing it would double the time the books take.
    start, end = html.find('<article class="md-content__inner'), html.rfind("</article>")
    soup = BeautifulSoup(html[start:end + len("</article>")] if 0 <= start < end else html, "html.parser")
    article = soup.select_one("article.md-content__inner")
    h1 = article.find("h1") if article else None
    if article is None or h1 is None:
        raise ContentError([Problem(str(path), None, "has no article with a title: is it a page of the handbook?")])
    key = keys[page_url]
    chapter = Chapter(src=src, key=key, title=h1.get_text(" ", strip=True).removesuffix("¶").strip(), depth=depth)
    cite = article.select_one("#hb-cite-apa")
    chapter.citation = cite.decode_contents() if cite else ""
    front = handbook.pages.get(src)
    chapter.authors = [a.display for a in front.authors] if front else []

    _answers_after_questions(article, soup)
    for element in article.select(", ".join(_SCREEN_ONLY)):  # one walk of the page for them all
        if not element.decomposed:  # (inside one already taken out)
            element.decompose()
    for element in article.find_all(True):
        for name in ("aria-describedby", "download", "data-term", "data-cite", "data-search-exclude", "tabindex"):
            element.attrs.pop(name, None)
    _figures_for_books(article)
    _prefix_ids(article, key)
    h1 = article.find("h1")
    if not isinstance(h1, Tag):
        raise ContentError([Problem(src, None, "has no title (no <h1> in its built page): the book cannot hold it.")])
    h1["id"] = key
    _rewrite_links(article, page_url, site_url, keys, href_for)
    chapter.images = _rewrite_images(article, site_dir, page_url)
    if depth:
        for heading in article.find_all(re.compile(r"^h[1-6]$")):
            heading.name = f"h{min(int(heading.name[1]) + depth, 6)}"
    after: Tag = h1  # its title, now at the chapter's depth
    if chapter.authors:
        byline = soup.new_tag("p", attrs={"class": "bk-byline"})
        byline.string = "By " + _and(chapter.authors)
        h1.insert_after(byline)
        after = byline
    after = article.select_one("p.hb-dates") or after
    if chapter.citation:
        cite = BeautifulSoup(f'<p class="bk-cite"><strong>Cite this page (APA 7th edition):</strong> {chapter.citation}</p>',
                             "html.parser").p
        if cite is not None:
            after.insert_after(cite)
    chapter.body = "".join(str(c) for c in article.contents).strip()
    return chapter


#: The id MkDocs gives the self-check section's heading (handbook.selfcheck.SELF_CHECK_HEADING).
SELF_CHECK_ID = "check-your-understanding"


def _answers_after_questions(article: Tag, soup: BeautifulSoup) -> None:
    """On paper nothing opens: each self-check answer leaves its closed box (``<details>``) for a
    numbered list headed "Answers" after the last question, as textbooks print them."""
    heading = article.find(re.compile(r"^h2$"), id=SELF_CHECK_ID)
    if heading is None:
        return
    boxes: list[Tag] = []
    node = heading.next_sibling
    while node is not None and not (isinstance(node, Tag) and re.match(r"^h[12]$", node.name or "")):
        if isinstance(node, Tag):
            boxes += [node] if node.name == "details" else node.find_all("details")
        node = node.next_sibling
    if not boxes:
        return
    title = soup.new_tag("h3", attrs={"class": "bk-answers-heading"})
    title.string = "Answers"
    answers = soup.new_tag("ol", attrs={"class": "bk-answers"})
    for box in boxes:
        summary = box.find("summary")
        if summary is not None:
            summary.decompose()
        item = soup.new_tag("li")
        for child in list(box.contents):
            item.append(child.extract())
        answers.append(item)
        box.decompose()
    if node is None:
        article.append(title)
        article.append(answers)
    else:
        node.insert_before(title)
        node.insert_before(answers)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _figures_for_books(article: Tag) -> None:
    """Figures on paper: the long description printed open, the drawing sized by the page
    (its on-screen minimum width, which makes it scroll on a phone, would overflow a page)."""
    for details in article.select("details.hb-figure-description"):
        details["open"] = ""
    for svg in article.find_all("svg"):
        svg.attrs.pop("style", None)
    for drawing in article.select("div.hb-figure-drawing"):
        for name in ("role", "aria-label"):
            drawing.attrs.pop(name, None)


_URL_REF = re.compile(r"^url\(#([^)]+)\)$")


def _prefix_ids(article: Tag, key: str) -> None:
    for element in article.find_all(id=True):
        element["id"] = f"{key}--{element['id']}"
    for element in article.find_all(True):
        for name in _ID_REFS:
            if element.has_attr(name):
                value = element[name]
                value = " ".join(value) if isinstance(value, list) else value
                element[name] = " ".join(f"{key}--{v}" for v in value.split())
        for name in ("marker-start", "marker-end", "mask"):  # a figure's references to its own parts
            match = _URL_REF.match(str(element.get(name, "")))
            if match:
                element[name] = f"url(#{key}--{match.group(1)})"


def _rewrite_links(article: Tag, page_url: str, site_url: str, keys: dict[str, str], href_for: HrefFor) -> None:
    base = site_url + page_url
    for link in article.find_all("a", href=True):
        href = str(link["href"])
        if href.startswith("data:"):  # a download made in the page: not in a book
            link.unwrap()
            continue
        if re.match(r"^(mailto|tel):", href):
            continue
        absolute = urllib.parse.urljoin(base, href)
        target, _, anchor = absolute.partition("#")
        if not target.startswith(site_url):
            link["href"] = absolute
            continue
        rel = target[len(site_url):]
        rel = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        if rel in keys:
            key = keys[rel]
            link["href"] = href_for(key, f"{key}--{urllib.parse.unquote(anchor)}" if anchor else "")
        else:  # a file the book does not hold (the data downloads): the published copy
            link["href"] = absolute


def _rewrite_images(article: Tag, site_dir: Path, page_url: str) -> dict[str, Path]:
    images: dict[str, Path] = {}
    for image in article.find_all("img", src=True):
        src = str(image["src"])
        if re.match(r"^[a-z][a-z0-9+.-]*:", src):
            raise ContentError([Problem(page_url, None, f"has an image from another site ({src}): the books hold only the handbook's own images.")])
        rel = posixpath.normpath(posixpath.join(page_url, src))
        file = site_dir / rel
        if not file.is_file():
            raise ContentError([Problem(page_url, None, f"shows an image that is not in the built site: {src}")])
        images[rel] = file
        image["src"] = rel  # relative to the site's root; each format places it from there
        if not image.has_attr("alt"):
            image["alt"] = ""
    return images

