"""The macros a page may call, declared once: name, arguments and function.

Each macro is a function of the page's :class:`MacroContext` and the text arguments a page
gives it, registered with :func:`page_macro`. :data:`REGISTRY` is the one list: the safety
gate's ``safety.PAGE_MACROS`` (which calls a page may hold, and how many arguments each
takes) is derived from it, and :func:`bind` gives the macros module the functions to hand
mkdocs-macros or Zensical. The number of arguments is read from each function's signature,
so a macro cannot be declared one way and called another.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .bibliography import LOCATOR_RE
from .config import Settings
from .facts import handbook_sections, release_facts, sections_html, size_text
from .glossary import GLOSSARY_PAGE, term_link_markdown
from .rawhtml import keep, keep_block
from .render import bibliography_page_html, books_html, cite_html, citet_html, glossary_page_html, section_pages_html
from .standards import standards_line_html, standards_map_html
from .text import esc, relative_url

if TYPE_CHECKING:  # the handbook's loader reads pages, whose check uses this registry
    from .site import Handbook

__all__ = ["MacroContext", "REGISTRY", "bind", "PageMacro"]


@dataclass(frozen=True)
class MacroContext:
    """What the macros of one build know: the loaded handbook, the page being rendered, the navigation and the settings."""

    handbook: Handbook
    src_of: Callable[[], str]
    """The page being rendered (its path under docs/), asked when a macro runs."""
    nav: list[Any]
    settings: Settings
    released: dt.date | None = None
    """The release date of the version being built (CITATION.cff)."""

    @property
    def src(self) -> str:
        return self.src_of()

    @property
    def directory_urls(self) -> bool:
        return self.settings.use_directory_urls

    @functools.cached_property
    def citations(self) -> dict[tuple[str, ...], str]:
        """Each citation (and term link) as written once in this build, by its macro and arguments: the same
        call gives the same link on every page (a citation links the page's own reference list; a term link
        is the same from every page of a folder), so it is made only once."""
        return {}

    @functools.cached_property
    def facts(self) -> dict[str, str]:
        """The version, release date and year, as the handbook states them."""
        return release_facts(self.handbook.version, self.handbook.releases, self.released)


@dataclass(frozen=True)
class PageMacro:
    """One macro pages may call: its name, how many text arguments it takes, and its function."""

    name: str
    function: Callable[..., str]
    fewest: int
    """The fewest arguments a call may give."""
    most: int | None
    """The most arguments a call may give (None: no limit)."""
    usage: str
    """How to call it, shown in the message that refuses a wrong call."""
    needs: str
    """What its first argument is, for the message when it is missing ("a glossary id")."""


#: Every macro a page may call, by name.
REGISTRY: dict[str, PageMacro] = {}

_Macro = Callable[..., str]


def page_macro(usage: str = "", needs: str = "") -> Callable[[_Macro], _Macro]:
    """Register a function of (context, text arguments...) as a page macro of its own name."""
    def register(function: _Macro) -> _Macro:
        params = list(inspect.signature(function).parameters.values())[1:]  # after the context
        fewest = sum(1 for p in params if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty)
        variadic = any(p.kind is p.VAR_POSITIONAL for p in params)
        most = None if variadic else len(params)
        name = function.__name__
        REGISTRY[name] = PageMacro(name, function, fewest, most, usage or f"{name}()", needs)
        return function
    return register


def bind(ctx: MacroContext, wrap: Callable[[_Macro], _Macro] = lambda f: f) -> dict[str, _Macro]:
    """Every registered macro with its context given, each passed through ``wrap``, by name."""
    out: dict[str, _Macro] = {}
    for name, macro in REGISTRY.items():
        bound = functools.partial(macro.function, ctx)
        functools.update_wrapper(bound, macro.function)
        out[name] = wrap(bound)
    return out


def nav_order(nav: Any) -> list[str]:
    """The navigation's pages (paths under docs/), in the order readers meet them."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") else []
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else []
    return [src for item in items for src in nav_order(item)]


# Terms and citations ---------------------------------------------------------------------------

@page_macro(usage='term("empathy") or term("empathy", "Empathy")', needs="a glossary id")
def term(ctx: MacroContext, term_id: str, text: str | None = None) -> str:
    """Link a glossary term: ``{{ term("empathy") }}`` or ``{{ term("empathy", "Empathy") }}``."""
    folder = posixpath.dirname(ctx.src) or "."
    made = ctx.citations.get(("term", folder, term_id, text or ""))  # the same link from every page of a folder
    if made is None:
        glossary = ctx.handbook.glossary
        entry = glossary.terms.get(term_id) if glossary is not None else None
        # An unknown term is reported by the checks.
        made = esc(text or term_id) if entry is None else \
            term_link_markdown(entry, text or entry.term, posixpath.relpath(GLOSSARY_PAGE, folder))
        ctx.citations[("term", folder, term_id, text or "")] = made
    return made


def _known(ctx: MacroContext, args: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """The citations of a call as (key, locator), the keys the bibliography knows only."""
    refs: list[tuple[str, str | None]] = []
    for arg in map(str, args):
        if LOCATOR_RE.match(arg.strip()) and refs and refs[-1][1] is None:
            refs[-1] = (refs[-1][0], arg)
        else:
            refs.append((arg, None))
    bib = ctx.handbook.bibliography
    items = bib.items if bib is not None else {}
    return [(key, loc) for key, loc in refs if key in items]  # unknown keys are reported by the checks


@page_macro(usage='cite("rogers1957") or cite("rogers1957", "p. 96", "lee2001")', needs="at least one citation key")
def cite(ctx: MacroContext, key: str, *more: str) -> str:
    """Parenthetical citation: ``{{ cite("rogers1957", "p. 96", "lee2001") }}``."""
    made = ctx.citations.get(("cite", key, *more))
    if made is None:
        refs = _known(ctx, (key, *more))
        made = keep(cite_html(ctx.handbook.bibliography, refs)) if refs and ctx.handbook.bibliography is not None else ""
        ctx.citations[("cite", key, *more)] = made
    return made


@page_macro(usage='citet("tervalon1998") or citet("rogers1957", "p. 96")', needs="a citation key")
def citet(ctx: MacroContext, key: str, locator: str | None = None) -> str:
    """Narrative citation: ``{{ citet("tervalon1998") }}`` -> Tervalon and Murray-García (1998)."""
    made = ctx.citations.get(("citet", key, locator or ""))
    if made is None:
        refs = _known(ctx, (key, locator) if locator else (key,))
        made = keep(citet_html(ctx.handbook.bibliography, key, refs[0][1])) if refs and ctx.handbook.bibliography is not None else ""
        ctx.citations[("citet", key, locator or "")] = made
    return made


# Whole-page lists ------------------------------------------------------------------------------

@page_macro()
def glossary_page(ctx: MacroContext) -> str:
    """Every term, A to Z, with definitions, sources, related terms and where each appears."""
    hb = ctx.handbook
    if hb.glossary is None:
        return ""
    return keep_block(glossary_page_html(hb.glossary, hb.bibliography, hb.usage, ctx.src, directory_urls=ctx.directory_urls))


@page_macro()
def bibliography_page(ctx: MacroContext) -> str:
    """Every source once, with the pages that cite it."""
    hb = ctx.handbook
    if hb.bibliography is None:
        return ""
    return keep_block(bibliography_page_html(hb.bibliography, hb.usage, ctx.src, directory_urls=ctx.directory_urls))


@page_macro()
def section_pages(ctx: MacroContext) -> str:
    """The published pages of this page's section, from the navigation."""
    hb = ctx.handbook
    descriptions = {src: front.description for src, front in hb.pages.items()}
    titles = {**hb.usage.titles, **{src: f.title for src, f in hb.pages.items()}}
    return section_pages_html(ctx.nav, ctx.src, titles, descriptions, directory_urls=ctx.directory_urls)


@page_macro()
def books_list(ctx: MacroContext) -> str:
    """The PDF, EPUB and offline copy of this release (the downloads page)."""
    return books_html(ctx.settings.site_url, ctx.handbook.version)


@page_macro()
def contributors_list(ctx: MacroContext) -> str:
    """The named people in docs/data/authors.yml (the collective is said in words)."""
    people = [a for a in ctx.handbook.authors.values() if not a.collective]
    if not people:
        return ('<p class="hb-meta">No individual contributors are listed yet: every page is credited to the '
                'collective “Client-Centred Practice Handbook contributors”.</p>')
    rows = []
    for a in sorted(people, key=lambda a: (a.family, a.given)):
        orcid = f' <a href="https://orcid.org/{esc(a.orcid)}">ORCID {esc(a.orcid)}</a>' if a.orcid else ""
        aff = f", {esc(a.affiliation)}" if a.affiliation else ""
        roles = f" ({esc(', '.join(a.roles))})" if a.roles else ""
        rows.append(f"<li>{esc(a.display)}{aff}{roles}{orcid}</li>")
    return '<ul class="hb-contributors">' + "".join(rows) + "</ul>"


# What the handbook says about itself, from the navigation, CITATION.cff and the changelog ------

@page_macro()
def release_version(ctx: MacroContext) -> str:
    """The version being built: ``0.3.0`` (CITATION.cff)."""
    return esc(ctx.facts["version"])


@page_macro()
def release_date(ctx: MacroContext) -> str:
    """The day that version was released: ``1 December 2026`` (its changelog entry)."""
    return esc(ctx.facts["date"])


@page_macro()
def release_year(ctx: MacroContext) -> str:
    """The year that version was released, as a citation of the whole handbook gives it."""
    return esc(ctx.facts["year"])


@page_macro()
def handbook_size(ctx: MacroContext) -> str:
    """``six sections and 35 topic pages``, counted in the navigation."""
    return esc(size_text(handbook_sections(ctx.nav)))


@page_macro()
def handbook_sections_list(ctx: MacroContext) -> str:
    """Every section, linked, with how many topic pages it has (from the navigation)."""
    titles = {src: front.title for src, front in ctx.handbook.pages.items()}
    return sections_html(handbook_sections(ctx.nav), ctx.src, titles, directory_urls=ctx.directory_urls)


# Teaching --------------------------------------------------------------------------------------

@page_macro()
def standards_map(ctx: MacroContext) -> str:
    """The educators' map: each professional standard with the pages that support it."""
    hb = ctx.handbook
    if hb.standards is None:
        return ""
    order = [src for src in nav_order(ctx.nav) if src in hb.pages]
    pages = {src: hb.pages[src].standards for src in order if hb.pages[src].standards}
    titles = {src: front.title for src, front in hb.pages.items()}
    return keep_block(standards_map_html(hb.standards, pages, titles, ctx.src, directory_urls=ctx.directory_urls))


@page_macro()
def case_studies_list(ctx: MacroContext) -> str:
    """Every case study (the practice section, in the navigation's order) with its description and standards."""
    hb, here = ctx.handbook, ctx.src
    rows = []
    for src in (s for s in nav_order(ctx.nav) if s.startswith("practice/") and not s.endswith("index.md") and s in hb.pages):
        front = hb.pages[src]
        url = relative_url(here, src, directory_urls=ctx.directory_urls)
        supports = standards_line_html(hb.standards, front.standards, here, directory_urls=ctx.directory_urls) \
            if hb.standards is not None else ""
        rows.append(f'<li><a href="{esc(url)}">{esc(front.title)}</a><br><span class="hb-meta">{esc(front.description)}</span>'
                    f"{supports}</li>")
    return '<ul class="hb-case-studies">' + "".join(rows) + "</ul>" if rows else ""
