"""HTML that the macros and templates put on pages: citations, reference lists, the
glossary and bibliography pages, section listings and each page's own citation."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
from typing import TYPE_CHECKING, Any
from collections.abc import Iterable

from .bibliography import Bibliography, standalone_entry
from .csl import STYLES
from .exports import to_bibtex, to_ris
from .rawhtml import keep_block
from .formatcache import FormatCache
from .glossary import Glossary
from .pages import FrontMatter
from .text import esc, inert_markdown, plain_text, relative_url, url_for

if TYPE_CHECKING:  # for annotations only: usage imports safety, which imports pagemacros, which imports this module
    from .usage import UsageIndex

__all__ = [
    "cite_html", "citet_html", "references_html", "glossary_page_html", "bibliography_page_html",
    "section_pages_html", "page_citation", "version_date", "human_date", "with_dates", "book_file_stem",
    "books_html", "report_issue_url", "reuse_statement", "CITE_KEY_RE", "HANDBOOK",
]

HANDBOOK = "Client-Centred Practice Handbook"


def book_file_stem(version: str) -> str:
    """``client-centred-practice-handbook-0.2.0``: the books' file names, with the version."""
    return "client-centred-practice-handbook-" + re.sub(r"[^0-9A-Za-z.+-]", "-", version)


#: The books `dev.py build --books` writes into downloads/: (suffix, what, format) each.
BOOKS = (
    (".pdf", "The whole handbook as one PDF", "PDF, A4, tagged for screen readers"),
    (".epub", "The whole handbook as an e-book", "EPUB 3, for e-readers and reading apps"),
    ("-offline.zip", "The whole website, to read without a connection", "ZIP; unzip it and open index.html"),
)


def books_html(site_url: str, version: str) -> str:
    """The downloads page's list: each book of this release, at its published address.

    The books are made after the site (``dev.py build --books``), so the links are absolute:
    a preview or the offline copy points at the published files."""
    base = site_url.rstrip("/") + "/downloads/" + book_file_stem(version)
    rows = "".join(
        f'<li><a href="{esc(base + suffix)}">{esc(what)}</a><br>'
        f'<span class="hb-meta">{esc(form)} · version {esc(version)} · '
        f'<code>{esc(book_file_stem(version) + suffix)}</code></span></li>'
        for suffix, what, form in BOOKS
    )
    return f'<ul class="hb-downloads">{rows}</ul>'


def human_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def dates_html(front: FrontMatter) -> str:
    """The page's dates, as they stand under its title."""
    parts = [("First published", front.created), ("Last reviewed", front.reviewed), ("Next review due", front.next_review)]
    return '<p class="hb-dates" data-search-exclude>' + " · ".join(
        f'{label} <time datetime="{day.isoformat()}">{human_date(day)}</time>' for label, day in parts) + "</p>"


def with_dates(markdown: str, front: FrontMatter, after: str = "") -> str:
    """The page's Markdown with its dates under the title (the first level-one heading), and
    ``after`` them (the standards the page supports) if given."""
    # A block of the handbook's own HTML, kept out of Markdown's readers of raw HTML (handbook.rawhtml):
    # under the title of every page, they walked its tags, and MkDocs' reader of anchors too.
    block = keep_block(dates_html(front) + after)
    if 'class="hb-dates"' in markdown or block in markdown:
        return markdown
    return re.sub(r"^(# .+)$", lambda m: m.group(1) + "\n\n" + block, markdown, count=1, flags=re.M)


# In-text citations -------------------------------------------------------------------------
def _cite_link(key: str, text: str) -> str:
    return f'<a class="hb-cite" href="#ref-{esc(key)}" data-cite="{esc(key)}">{inert_markdown(text)}</a>'


def cite_html(bib: Bibliography, refs: list[tuple[str, str | None]]) -> str:
    """``(Rogers, 1957, p. 96; Lee, 2001)`` with each work linked to the page's reference list."""
    return "(" + "; ".join(_cite_link(key, text) for key, text in bib.cite(refs)) + ")"


def citet_html(bib: Bibliography, key: str, locator: str | None = None) -> str:
    authors, rest = bib.citet(key, locator)
    text = f"{authors} ({rest})" if rest else authors
    return _cite_link(key, text)


CITE_KEY_RE = re.compile(r'<a class="hb-cite" href="#ref-[^"]*" data-cite="([^"]+)"')


def references_html(bib: Bibliography, keys: Iterable[str]) -> str:
    """The page's own reference list (APA 7th), one entry per cited work, with anchors."""
    rows = "".join(f'<li id="ref-{esc(key)}">{entry}</li>' for key, entry in bib.entries(keys, "apa"))
    return f'<ul class="hb-references">{rows}</ul>' if rows else ""


# Generated pages ------------------------------------------------------------------------------
def _appears_on(src: str, pages: list[str], usage: UsageIndex, directory_urls: bool = True) -> str:
    links = [f'<a href="{esc(relative_url(src, p, directory_urls=directory_urls))}">{esc(usage.titles.get(p, p))}</a>' for p in pages]
    return ", ".join(links)


def glossary_page_html(glossary: Glossary, bib: Bibliography | None, usage: UsageIndex, src: str, *,
                       directory_urls: bool = True) -> str:
    terms = glossary.sorted_terms()
    letters: dict[str, list] = {}
    for term in terms:
        letters.setdefault(term.term[0].upper(), []).append(term)
    index = " ".join(f'<a href="#letter-{l.lower()}" aria-label="Terms starting with {l}">{l}</a>' for l in letters)
    out = [f'<nav class="hb-letters" aria-label="Glossary by letter">{index}</nav>']
    # Each entry is a heading of its own (a level below its letter), so the search index holds
    # one section per term and a search result opens the entry itself, not its letter.
    for letter, group in letters.items():
        out.append(f'<h2 class="hb-letter" id="letter-{letter.lower()}">{letter}</h2>')
        out.append('<div class="hb-glossary">')
        for term in group:
            parts = [f'<h3 class="hb-entry" id="{esc(term.id)}"><dfn>{esc(term.term)}</dfn></h3>',
                     f'<div class="hb-entry__body"><p>{esc(term.definition)}</p>']
            if term.aliases:
                parts.append(f'<p class="hb-meta"><span class="hb-label">Also:</span> {esc(", ".join(term.aliases))}</p>')
            if term.related:
                rel = ", ".join(f'<a href="#{esc(r)}">{esc(glossary.terms[r].term)}</a>' for r in term.related if r in glossary.terms)
                parts.append(f'<p class="hb-meta"><span class="hb-label">Related:</span> {rel}</p>')
            if term.sources and bib:
                refs = "".join(f"<li>{entry}</li>" for _, entry in bib.entries(term.sources, "apa"))
                parts.append(f'<div class="hb-meta" data-search-exclude><span class="hb-label">Sources:</span><ul class="hb-sources">{refs}</ul></div>')
            pages = [p for p in usage.pages_by_term.get(term.id, []) if p != src]
            if pages:
                parts.append(f'<p class="hb-meta" data-search-exclude><span class="hb-label">Appears on:</span> {_appears_on(src, pages, usage, directory_urls)}</p>')
            parts.append("</div>")
            out.append("".join(parts))
        out.append("</div>")
    return "\n".join(out)


#: How the bibliography page names a detail that could not be confirmed.
_UNCONFIRMED_WORDS = {"issued": "year of publication", "publisher": "publisher", "volume": "volume",
                      "page": "page range", "issue": "issue", "URL": "web address", "DOI": "DOI",
                      "container-title": "journal or book title", "author": "author"}


def _bibliography_row(bib: Bibliography, key: str, entry: str, usage: UsageIndex, src: str,
                      directory_urls: bool = True) -> str:
    pages = [p for p in usage.pages_by_ref.get(key, []) if p != src]
    parts = [entry]
    if pages:
        parts.append(f'<br><span class="hb-meta" data-search-exclude><span class="hb-label">Cited on:</span> {_appears_on(src, pages, usage, directory_urls)}</span>')
    unknown = (bib.items[key].get("custom") or {}).get("unconfirmed", [])
    if unknown:
        words = ", ".join(esc(_UNCONFIRMED_WORDS.get(f, f)) for f in unknown)
        parts.append(f'<br><span class="hb-meta hb-unconfirmed"><span class="hb-label">Not yet confirmed from a catalogue '
                     f'or the publisher, so left out:</span> {words}</span>')
    return f'<li id="ref-{esc(key)}">{"".join(parts)}</li>'


def bibliography_page_html(bib: Bibliography, usage: UsageIndex, src: str, *, directory_urls: bool = True) -> str:
    """Every work, in APA 7th: first those cited on the handbook's pages, then, under a
    heading of their own, any that no page cites (so a reader can tell them apart)."""
    entries = bib.entries(bib.items, "apa")
    cited = [(k, e) for k, e in entries if any(p != src for p in usage.pages_by_ref.get(k, []))]
    uncited = [(k, e) for k, e in entries if (k, e) not in cited]
    out = ['<ul class="hb-references hb-bibliography">']
    out += [_bibliography_row(bib, key, entry, usage, src, directory_urls) for key, entry in cited]
    out.append("</ul>")
    if uncited:
        out.append('<h2 id="not-cited">Further reading: works no page cites</h2>')
        out.append('<p class="hb-meta">These works are in the handbook\'s bibliography but no page cites them at present.</p>')
        out.append('<ul class="hb-references hb-bibliography hb-not-cited">')
        out += [_bibliography_row(bib, key, entry, usage, src, directory_urls) for key, entry in uncited]
        out.append("</ul>")
    return "\n".join(out)


def section_pages_html(nav: list, src: str, titles: dict[str, str], descriptions: dict[str, str], *,
                       directory_urls: bool = True) -> str:
    """The pages of the section whose index page is ``src``, from the navigation in mkdocs.yml."""
    def walk(items: list) -> list | None:
        for item in items or []:
            if isinstance(item, dict):
                for _, value in item.items():
                    if isinstance(value, list):
                        srcs = [next(iter(v.values())) if isinstance(v, dict) else v for v in value]
                        if src in srcs:
                            return srcs
                        found = walk(value)
                        if found:
                            return found
        return None

    children = [s for s in (walk(nav) or []) if isinstance(s, str) and s != src]
    if not children:
        return ""
    rows = []
    for child in children:
        desc = descriptions.get(child, "")
        rows.append(f'<li><a href="{esc(relative_url(src, child, directory_urls=directory_urls))}">{esc(titles.get(child, child))}</a>'
                    + (f"<br><span class=\"hb-meta\">{esc(desc)}</span>" if desc else "") + "</li>")
    return '<h2 id="in-this-section">In this section</h2>\n<ul class="hb-section-pages">' + "".join(rows) + "</ul>"


# The page's own citation ----------------------------------------------------------------------
def _date_parts(day: dt.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


#: The page that stands for the whole handbook: it is cited as the book itself.
HOME = "index.md"


def page_csl(front: FrontMatter, url: str, version: str, *, whole_book: bool = False,
             date: dt.date | None = None) -> dict[str, Any]:
    """The page as a CSL item: a section (chapter) of the handbook, by its authors; the
    home page is the handbook itself (a book).

    The version is the item's edition, "Version 0.2.0": the field Zotero keeps for a book
    and a book section (read from the page's ``prism.edition``), so a page saved with the
    Zotero Connector and the page's own cite box format the same data. No publisher:
    APA omits one that is the author, and the authors are the handbook's contributors.
    """
    item: dict[str, Any] = {
        "id": "page", "type": "chapter", "title": front.title,
        "author": [a.csl() for a in front.authors],
        "container-title": HANDBOOK,
        "issued": _date_parts(date or front.reviewed), "URL": url, "edition": f"Version {version}",
    }
    if whole_book:
        item.update(type="book", title=HANDBOOK)
        del item["container-title"]
    return item


def version_date(front: FrontMatter, changed: Iterable[dt.date]) -> dt.date:
    """The date of the version being read: its last review, or the release that last changed the
    page if that came later (a page changed by a release without a new review date is still that
    release's text)."""
    return max([front.reviewed, *changed])


def page_citation(front: FrontMatter, src: str, site_url: str, version: str, licence_url: str,
                  cache: FormatCache | None = None, date: dt.date | None = None) -> dict[str, Any]:
    """All a template needs for the cite box and the head metadata of one page.

    One description of the page for every reader: the cite box, the Highwire tags Zotero
    reads, Dublin Core, Open Graph and JSON-LD give the same title, authors, type, date
    (``date``, the version being read: see :func:`version_date`) and version, and none
    names a publisher (the authors are the handbook's contributors)."""
    from .safety import sanitise  # here: the safety gate imports the page macros, which import this module

    url = site_url.rstrip("/") + "/" + url_for(src)
    whole_book = src == HOME
    date = date or front.reviewed
    item = page_csl(front, url, version, whole_book=whole_book, date=date)
    styles = []
    for key, (label, _, _) in STYLES.items():
        # Chicago writes the version in lower case after a comma ("In Handbook, version 0.2.0").
        own = {**item, "edition": f"version {version}"} if key == "chicago" else item
        html_text = standalone_entry(own, key, cache)
        html_text = re.sub(r"^\s*1\.\s*", "", html_text)  # Vancouver numbers its list; one entry needs none
        # The cite box is printed by the template, outside the page the allow-list reads as a whole; what
        # citeproc-js made (or a cache file says it made) passes the same allow-list here.
        html_text = sanitise(html_text)
        styles.append({"id": key, "label": label, "html": html_text, "text": plain_text(html_text)})
    slug = url_for(src).strip("/").replace("/", "-") or "home"
    bibtex = to_bibtex([{**item, "id": f"ccph-{slug}"}])
    ris = to_ris([{**item, "id": f"ccph-{slug}"}])
    authors = [{"display": a.display, "inverted": a.inverted, "highwire": a.highwire, "collective": a.collective, "orcid": a.orcid}
               for a in front.authors]
    # schema.org's Chapter is Zotero's book section and CSL's chapter: a part of the Book.
    jsonld = {
        "@context": "https://schema.org", "@type": "Book" if whole_book else "Chapter", "headline": item["title"],
        "name": item["title"], "description": front.description, "url": url, "inLanguage": "en-GB",
        "author": [{"@type": "Organization", "name": a.display} if a.collective else
                   {"@type": "Person", "name": a.display, "familyName": a.family, "givenName": a.given,
                    **({"sameAs": f"https://orcid.org/{a.orcid}"} if a.orcid else {})} for a in front.authors],
        "datePublished": date.isoformat(), "dateModified": date.isoformat(), "dateCreated": front.created.isoformat(),
        "license": licence_url, "keywords": ", ".join(front.keywords) if front.keywords else None,
        "isPartOf": None if whole_book else {"@type": "Book", "name": HANDBOOK, "url": site_url, "version": version},
        "version": version,
    }
    jsonld = {k: v for k, v in jsonld.items() if v is not None}
    return {
        "url": url, "title": front.title, "cite_title": item["title"], "whole_book": whole_book,
        "edition": item["edition"], "description": front.description, "authors": authors,
        "created": front.created.isoformat(), "reviewed": front.reviewed.isoformat(),
        "next_review": front.next_review.isoformat(),
        "created_text": human_date(front.created), "reviewed_text": human_date(front.reviewed),
        "next_review_text": human_date(front.next_review),
        "created_slash": front.created.strftime("%Y/%m/%d"), "reviewed_slash": front.reviewed.strftime("%Y/%m/%d"),
        "date": date.isoformat(), "date_slash": date.strftime("%Y/%m/%d"),
        "keywords": front.keywords, "version": version, "styles": styles,
        "bibtex_href": "data:application/x-bibtex;charset=utf-8," + urllib.parse.quote(bibtex),
        "ris_href": "data:application/x-research-info-systems;charset=utf-8," + urllib.parse.quote(ris),
        "file_stem": f"ccph-{slug}",
        # Inside <script>, no "<" at all: nothing in the data can end the element or open a comment.
        "jsonld": json.dumps(jsonld, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"),
        "handbook": HANDBOOK, "licence_url": licence_url,
    }


# Reuse and reports ----------------------------------------------------------------------------
def reuse_statement(title: str, authors: list[str], url: str, version: str, licence_name: str, licence_url: str) -> str:
    """The attribution a reuser pastes under CC BY 4.0: title, author, source, licence, changes (TASL)."""
    by = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
    return (f"“{title}” by {by}, from the {HANDBOOK} (version {version}), {url}, is licensed under "
            f"{licence_name} ({licence_url}). Changes: [describe your changes]")


def report_issue_url(repo_url: str, title: str, url: str, version: str) -> str:
    """A link that opens the repository's new-issue form filled in with the page and its version.

    Only a link: nothing is sent until the reader submits the form on GitHub."""
    body = (f"Page: {title}\nAddress: {url}\nVersion: {version}\n\n"
            "What is the problem, and where on the page? (Reports are public: leave out anything personal.)\n\n")
    query = urllib.parse.urlencode({"title": f"Problem with the page: {title}", "body": body}, quote_via=urllib.parse.quote)
    return repo_url.rstrip("/") + "/issues/new?" + query
