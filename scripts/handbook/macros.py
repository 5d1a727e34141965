"""The mkdocs-macros adapter: binds the handbook package to Jinja macros.

This is the only module that knows mkdocs-macros (and Zensical's macros extension, which
calls the same ``define_env``). Content problems are logged as warnings naming the file
and line, so a strict build fails and lists them all; nothing is written into the page.
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
import re
from pathlib import Path
from typing import Any
from collections.abc import Callable

from handbook import site as site_module
from handbook.errors import ContentError, Problem, github_annotation
from handbook.formatcache import cache_for
from handbook.glossary import term_link_markdown
from handbook.render import (
    bibliography_page_html, cite_html, citet_html, glossary_page_html, page_citation, section_pages_html,
)
from handbook.text import esc
from handbook.bibliography import LOCATOR_RE

log = logging.getLogger("mkdocs.plugins.handbook")
_reported: set[str] = set()
#: Zensical does not (yet) fail a build on logged warnings, so there a problem stops it.
_fail_fast = False
GLOSSARY_PAGE = "glossary/index.md"


def _report(problem: Problem) -> None:
    line = str(problem)
    if line not in _reported:  # Zensical loads the module for every page: say each thing once
        _reported.add(line)
        log.warning(line)
        if os.environ.get("GITHUB_ACTIONS") == "true":  # shown on the pull request's diff
            print(github_annotation(problem), flush=True)
    if _fail_fast:
        raise ContentError([problem])


def _src(env: Any) -> str:
    page = env.page
    file = getattr(page, "file", None)
    return getattr(file, "src_path", None) or getattr(page, "path", None) or getattr(page, "src_uri", "")


def define_env(env: Any) -> None:
    global _fail_fast
    _fail_fast = type(env).__module__.startswith("zensical")
    root = Path(env.project_dir)
    docs_dir = Path(env.conf.get("docs_dir", "docs"))
    if not docs_dir.is_absolute():
        docs_dir = root / docs_dir
    handbook = site_module.load_handbook(root, docs_dir)
    site_module.CURRENT = handbook
    for problem in handbook.problems:
        _report(problem)
    env.variables["handbook_version"] = handbook.version
    page = _page_or_none(env)
    if page is not None:  # Zensical: define_env runs once per page, with the page known
        _attach_citation(env, handbook, page)

    def where(macro: str, key: str) -> tuple[str, int | None]:
        src = _src(env)
        return handbook.docs_path(src), handbook.usage.line_of(src, macro, key)

    def guarded(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> str:
            try:
                return func(*args, **kwargs)
            except ContentError:
                raise
            except Exception as error:  # one line with file and line, then the strict build fails
                key = str(args[0]) if args else ""
                path, line = where(func.__name__, key)
                _report(Problem(path, line, f"the macro {func.__name__}() failed: {error}"))
                return ""
        return env.macro(wrapper, func.__name__)

    @guarded
    def term(term_id: str, text: str | None = None) -> str:
        """Link a glossary term: ``{{ term("empathy") }}`` or ``{{ term("empathy", "Empathy") }}``."""
        if handbook.glossary is None:
            return esc(text or term_id)
        entry = handbook.glossary.terms.get(term_id)
        if entry is None:
            path, line = where("term", term_id)
            _report(Problem(path, line, handbook.glossary.unknown_message(term_id)))
            return esc(text or term_id)
        target = posixpath.relpath(GLOSSARY_PAGE, posixpath.dirname(_src(env)) or ".")
        return term_link_markdown(entry, text or entry.term, target)

    def _refs(args: tuple) -> list[tuple[str, str | None]]:
        refs: list[tuple[str, str | None]] = []
        for arg in args:
            arg = str(arg)
            if LOCATOR_RE.match(arg.strip()):
                if not refs or refs[-1][1] is not None:
                    raise ValueError(f"the locator '{arg}' must follow the key it belongs to")
                refs[-1] = (refs[-1][0], arg)
            else:
                refs.append((arg, None))
        return refs

    def _known(refs: list[tuple[str, str | None]], macro: str) -> list[tuple[str, str | None]]:
        assert handbook.bibliography is not None
        known = []
        for key, loc in refs:
            if key in handbook.bibliography.items:
                known.append((key, loc))
            else:
                path, line = where(macro, key)
                _report(Problem(path, line, handbook.bibliography.unknown_message(key)))
        return known

    @guarded
    def cite(*args: str) -> str:
        """Parenthetical citation: ``{{ cite("rogers1957", "p. 96", "lee2001") }}``."""
        if not args:
            raise ValueError("give at least one citation key, like cite(\"rogers1957\")")
        if handbook.bibliography is None:
            return ""
        refs = _known(_refs(args), "cite")
        return cite_html(handbook.bibliography, refs) if refs else ""

    @guarded
    def citet(key: str, locator: str | None = None) -> str:
        """Narrative citation: ``{{ citet("tervalon1998") }}`` -> Tervalon and Murray-García (1998)."""
        if handbook.bibliography is None:
            return ""
        if locator is not None and not LOCATOR_RE.match(locator.strip()):
            raise ValueError(f"'{locator}' is not a locator like 'p. 96', 'pp. 95-103', 'ch. 3' or 's. 67'")
        refs = _known([(key, locator)], "citet")
        return citet_html(handbook.bibliography, key, locator) if refs else ""

    @guarded
    def glossary_page() -> str:
        """Every term, A to Z, with definitions, sources, related terms and where each appears."""
        if handbook.glossary is None:
            return ""
        return glossary_page_html(handbook.glossary, handbook.bibliography, handbook.usage, _src(env))

    @guarded
    def bibliography_page() -> str:
        """Every source once, with the pages that cite it."""
        if handbook.bibliography is None:
            return ""
        return bibliography_page_html(handbook.bibliography, handbook.usage, _src(env))

    @guarded
    def section_pages() -> str:
        """The published pages of this page's section, from the navigation."""
        descriptions = {src: front.description for src, front in handbook.pages.items()}
        titles = {**handbook.usage.titles, **{src: f.title for src, f in handbook.pages.items()}}
        return section_pages_html(env.conf.get("nav") or [], _src(env), titles, descriptions)

    @guarded
    def contributors_list() -> str:
        """The named people in docs/data/authors.yml (the collective is said in words)."""
        people = [a for a in handbook.authors.values() if not a.collective]
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


_CODE_RE = re.compile(r"^(?P<i>[ \t]*)(?P<f>`{3,}|~{3,})[^\n]*\n.*?^(?P=i)(?P=f)[ \t]*$|(?P<b>`+)(?!`)[^\n]+?(?<!`)(?P=b)", re.S | re.M)


def on_pre_page_macros(env: Any) -> None:
    """Leave macro syntax inside code as written, so pages can show examples of it."""
    if site_module.CURRENT is not None:
        _strict_undefined(env, site_module.CURRENT)
    text = env.markdown
    if "{% raw" in text:
        return
    env.markdown = _CODE_RE.sub(
        lambda m: "{% raw %}" + m.group(0) + "{% endraw %}" if ("{{" in m.group(0) or "{%" in m.group(0)) else m.group(0),
        text,
    )


def _strict_undefined(env: Any, handbook: Any) -> None:
    """Name the file and line of an undefined variable in one line, before mkdocs-macros stops."""
    import jinja2

    try:
        jinja_env = env.env
    except AttributeError:  # not created yet, or not mkdocs-macros
        return
    if not issubclass(jinja_env.undefined, jinja2.StrictUndefined) or jinja_env.undefined.__name__ == "ReportingUndefined":
        return

    class ReportingUndefined(jinja2.StrictUndefined):
        def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
            name = self._undefined_name or "?"
            src = _src(env)
            line = None
            try:
                text = (handbook.docs_dir / src).read_text(encoding="utf-8")
                line = next((n for n, l in enumerate(text.split("\n"), 1) if re.search(rf"\{{\{{[^}}]*\b{re.escape(name)}\b", l)), None)
            except OSError:
                pass
            _report(Problem(handbook.docs_path(src), line, f"'{name}' is not defined. Check the spelling of the macro or variable; "
                                                          "to show macro syntax as an example, put it in backticks."))
            return super()._fail_with_undefined_error(*args, **kwargs)

        # Jinja binds these to the method when the class is made, so bind them again.
        __str__ = __iter__ = __len__ = __bool__ = __eq__ = __ne__ = __hash__ = __contains__ = _fail_with_undefined_error
        __call__ = __getattr__ = __getitem__ = __add__ = __radd__ = _fail_with_undefined_error

    jinja_env.undefined = ReportingUndefined


def _page_or_none(env: Any) -> Any:
    try:
        return env.page
    except AttributeError:  # mkdocs-macros: no page yet while the environment is defined
        return None


def _attach_citation(env: Any, handbook: Any, page: Any) -> dict | None:
    """Give the page's template its citation data (cite box, dates, head metadata)."""
    src = _src(env)
    if src not in handbook.pages:
        return None
    extra = env.conf.get("extra") or {}
    hb = page_citation(
        handbook.pages[src], src, env.conf.get("site_url") or "", handbook.version,
        (extra.get("handbook") or {}).get("licence_url", "https://creativecommons.org/licenses/by/4.0/"),
        cache_for(handbook.root),
    )
    page.meta["hb"] = hb
    return hb


def on_post_page_macros(env: Any) -> None:
    """Attach the citation data and put the page's dates under its title."""
    handbook = site_module.CURRENT
    hb = _attach_citation(env, handbook, env.page) if handbook is not None else None
    if hb is None:
        return
    dates = (f'<p class="hb-dates">First published <time datetime="{hb["created"]}">{hb["created_text"]}</time>'
             f' · Last reviewed <time datetime="{hb["reviewed"]}">{hb["reviewed_text"]}</time>'
             f' · Next review due <time datetime="{hb["next_review"]}">{hb["next_review_text"]}</time></p>')
    env.markdown = re.sub(r"^(# .+)$", lambda m: m.group(1) + "\n\n" + dates, env.markdown, count=1, flags=re.M)


def on_post_build(env: Any) -> None:
    """Publish the glossary and the bibliography as data readers can download."""
    handbook = site_module.CURRENT
    if handbook is None:
        return
    out = Path(env.conf["site_dir"]) / "data"
    out.mkdir(parents=True, exist_ok=True)
    if handbook.glossary is not None:
        (out / "glossary.json").write_text(handbook.glossary.to_json(), encoding="utf-8")
        (out / "glossary.csv").write_text(handbook.glossary.to_csv(), encoding="utf-8")
    if handbook.bibliography is not None:
        (out / "references.bib").write_text(handbook.bibliography.to_bibtex(), encoding="utf-8")
        (out / "references.ris").write_text(handbook.bibliography.to_ris(), encoding="utf-8")
