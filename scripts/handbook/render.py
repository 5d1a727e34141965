"""HTML that the macros and templates put on pages: citations, reference lists, the
glossary and bibliography pages, section listings and each page's own citation."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
from typing import Any
from collections.abc import Iterable

from .bibliography import STYLES, Bibliography, _plain, standalone_entry, to_bibtex, to_ris
from .formatcache import FormatCache
from .glossary import Glossary
from .pages import FrontMatter
from .text import esc, relative_url, url_for
from .usage import UsageIndex

__all__ = [
    "cite_html", "citet_html", "references_html", "glossary_page_html", "bibliography_page_html",
    "section_pages_html", "page_citation", "human_date",
]

HANDBOOK = "Client-Centred Practice Handbook"


def human_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# In-text citations -------------------------------------------------------------------------
def _cite_link(key: str, text: str) -> str:
    return f'<a class="hb-cite" href="#ref-{esc(key)}" data-cite="{esc(key)}">{text}</a>'


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
def _appears_on(src: str, pages: list[str], usage: UsageIndex) -> str:
    links = [f'<a href="{esc(relative_url(src, p))}">{esc(usage.titles.get(p, p))}</a>' for p in pages]
    return ", ".join(links)


def glossary_page_html(glossary: Glossary, bib: Bibliography | None, usage: UsageIndex, src: str) -> str:
    terms = glossary.sorted_terms()
    letters: dict[str, list] = {}
    for term in terms:
        letters.setdefault(term.term[0].upper(), []).append(term)
    index = " ".join(f'<a href="#letter-{l.lower()}" aria-label="Terms starting with {l}">{l}</a>' for l in letters)
    out = [f'<nav class="hb-letters" aria-label="Glossary by letter">{index}</nav>']
    for letter, group in letters.items():
        out.append(f'<h2 class="hb-letter" id="letter-{letter.lower()}">{letter}</h2>')
        out.append('<dl class="hb-glossary">')
        for term in group:
            parts = [f'<dt id="{esc(term.id)}"><dfn>{esc(term.term)}</dfn></dt>', f"<dd><p>{esc(term.definition)}</p>"]
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
                parts.append(f'<p class="hb-meta" data-search-exclude><span class="hb-label">Appears on:</span> {_appears_on(src, pages, usage)}</p>')
            parts.append("</dd>")
            out.append("".join(parts))
        out.append("</dl>")
    return "\n".join(out)


def bibliography_page_html(bib: Bibliography, usage: UsageIndex, src: str) -> str:
    out = ['<ul class="hb-references hb-bibliography">']
    for key, entry in bib.entries(bib.items, "apa"):
        pages = usage.pages_by_ref.get(key, [])
        cited = f'<br><span class="hb-meta" data-search-exclude><span class="hb-label">Cited on:</span> {_appears_on(src, pages, usage)}</span>' if pages else ""
        out.append(f'<li id="ref-{esc(key)}">{entry}{cited}</li>')
    out.append("</ul>")
    return "\n".join(out)


def section_pages_html(nav: list, src: str, titles: dict[str, str], descriptions: dict[str, str]) -> str:
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
        rows.append(f'<li><a href="{esc(relative_url(src, child))}">{esc(titles.get(child, child))}</a>'
                    + (f"<br><span class=\"hb-meta\">{esc(desc)}</span>" if desc else "") + "</li>")
    return '<h2 id="in-this-section">In this section</h2>\n<ul class="hb-section-pages">' + "".join(rows) + "</ul>"


# The page's own citation ----------------------------------------------------------------------
def _date_parts(day: dt.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def page_csl(front: FrontMatter, url: str, version: str) -> dict[str, Any]:
    """The page as a CSL item: a section (chapter) of the handbook, by its authors."""
    return {
        "id": "page", "type": "chapter", "title": front.title,
        "author": [a.csl() for a in front.authors],
        "container-title": HANDBOOK,  # no publisher: APA omits one that is the author
        "issued": _date_parts(front.reviewed), "URL": url, "version": version,
        "note": f"Version {version}",
    }


def page_citation(front: FrontMatter, src: str, site_url: str, version: str, licence_url: str,
                  cache: FormatCache | None = None) -> dict[str, Any]:
    """All a template needs for the cite box and the head metadata of one page."""
    url = site_url.rstrip("/") + "/" + url_for(src)
    item = page_csl(front, url, version)
    styles = []
    for key, (label, _, _) in STYLES.items():
        html_text = standalone_entry(item, key, cache)
        html_text = re.sub(r"^\s*1\.\s*", "", html_text)  # Vancouver numbers its list; one entry needs none
        styles.append({"id": key, "label": label, "html": html_text, "text": _plain(html_text)})
    slug = url_for(src).strip("/").replace("/", "-") or "home"
    bibtex = to_bibtex([{**item, "id": f"ccph-{slug}"}])
    ris = to_ris([{**item, "id": f"ccph-{slug}"}])
    authors = [{"display": a.display, "inverted": a.inverted, "highwire": a.highwire, "collective": a.collective, "orcid": a.orcid}
               for a in front.authors]
    jsonld = {
        "@context": "https://schema.org", "@type": "Article", "headline": front.title,
        "name": front.title, "description": front.description, "url": url, "inLanguage": "en-GB",
        "author": [{"@type": "Organization", "name": a.display} if a.collective else
                   {"@type": "Person", "name": a.display, "familyName": a.family, "givenName": a.given,
                    **({"sameAs": f"https://orcid.org/{a.orcid}"} if a.orcid else {})} for a in front.authors],
        "datePublished": front.created.isoformat(), "dateModified": front.reviewed.isoformat(),
        "license": licence_url, "keywords": ", ".join(front.keywords) if front.keywords else None,
        "isPartOf": {"@type": "Book", "name": HANDBOOK, "url": site_url, "version": version},
        "publisher": {"@type": "Organization", "name": "Client-Centred Practice Handbook contributors"},
    }
    jsonld = {k: v for k, v in jsonld.items() if v is not None}
    return {
        "url": url, "title": front.title, "description": front.description, "authors": authors,
        "created": front.created.isoformat(), "reviewed": front.reviewed.isoformat(),
        "next_review": front.next_review.isoformat(),
        "created_text": human_date(front.created), "reviewed_text": human_date(front.reviewed),
        "next_review_text": human_date(front.next_review),
        "created_slash": front.created.strftime("%Y/%m/%d"), "reviewed_slash": front.reviewed.strftime("%Y/%m/%d"),
        "keywords": front.keywords, "version": version, "styles": styles,
        "bibtex_href": "data:application/x-bibtex;charset=utf-8," + urllib.parse.quote(bibtex),
        "ris_href": "data:application/x-research-info-systems;charset=utf-8," + urllib.parse.quote(ris),
        "file_stem": f"ccph-{slug}",
        # Inside <script>, no "<" at all: nothing in the data can end the element or open a comment.
        "jsonld": json.dumps(jsonld, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"),
        "handbook": HANDBOOK, "licence_url": licence_url,
    }
