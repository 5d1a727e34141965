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
from handbook.feed import FEED_FILE, atom_feed, robots_txt
from handbook.formatcache import cache_for
from handbook.glossary import GLOSSARY_PAGE, term_link_markdown
from handbook.render import (
    bibliography_page_html, cite_html, citet_html, glossary_page_html, page_citation, section_pages_html,
)
from handbook.text import esc
from handbook.bibliography import LOCATOR_RE
from handbook.checks import build_problems
from handbook.safety import parse_page, protect_code

log = logging.getLogger("mkdocs.plugins.handbook")
_reported: set[str] = set()
_reported_problems: list[Problem] = []
#: Zensical does not (yet) fail a build on logged warnings, so there a problem stops it.
_fail_fast = False


def _report(problem: Problem) -> None:
    line = str(problem)
    if line not in _reported:  # Zensical loads the module for every page: say each thing once
        _reported.add(line)
        _reported_problems.append(problem)
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
    site_module.ENGINE = "zensical" if _fail_fast else "mkdocs"
    root = Path(env.project_dir)
    docs_dir = Path(env.conf.get("docs_dir", "docs"))
    if not docs_dir.is_absolute():
        docs_dir = root / docs_dir
    handbook = site_module.load_handbook(root, docs_dir)
    site_module.CURRENT = handbook
    if not _fail_fast:  # MkDocs calls this once per build (each rebuild of `serve` too): say every problem again
        _reported.clear()
        _reported_problems.clear()
    _install_log_filter()
    # Everything `dev.py check` refuses, the build refuses, with the same lines.
    for problem in sorted(set(handbook.problems) | set(build_problems(handbook, env.conf.get("nav") or []))):
        _report(problem)
    if any("is not saved as UTF-8" in p.message for p in handbook.problems) and not _fail_fast:
        # MkDocs itself cannot read such a file: stop here, with every problem above already listed.
        from mkdocs.exceptions import Abort

        raise Abort("The build stopped: a page is not UTF-8 text (see the lines above).")
    env.variables["handbook_version"] = handbook.version
    page = _page_or_none(env)
    if page is not None:  # Zensical: define_env runs once per page, with the page known
        site_module.CURRENT_PAGE = _src(env)
        _attach_citation(env, handbook, page)

    def guarded(func: Callable) -> Callable:
        """Macros only render: every argument was checked when the page was read. Anything
        unexpected still ends as one line naming the page, never a traceback."""
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> str:
            try:
                return func(*args, **kwargs)
            except ContentError:
                raise
            except Exception as error:
                _report(Problem(handbook.docs_path(_src(env)), None, f"the macro {func.__name__}() could not be used here: {error}"))
                return ""
        return env.macro(wrapper, func.__name__)

    @guarded
    def term(term_id: str, text: str | None = None) -> str:
        """Link a glossary term: ``{{ term("empathy") }}`` or ``{{ term("empathy", "Empathy") }}``."""
        entry = handbook.glossary.terms.get(term_id) if handbook.glossary is not None else None
        if entry is None:  # reported by the checks
            return esc(text or term_id)
        target = posixpath.relpath(GLOSSARY_PAGE, posixpath.dirname(_src(env)) or ".")
        return term_link_markdown(entry, text or entry.term, target)

    def _known(args: tuple) -> list[tuple[str, str | None]]:
        refs: list[tuple[str, str | None]] = []
        for arg in map(str, args):
            if LOCATOR_RE.match(arg.strip()) and refs and refs[-1][1] is None:
                refs[-1] = (refs[-1][0], arg)
            else:
                refs.append((arg, None))
        items = handbook.bibliography.items if handbook.bibliography is not None else {}
        return [(key, loc) for key, loc in refs if key in items]  # unknown keys are reported by the checks

    @guarded
    def cite(*args: str) -> str:
        """Parenthetical citation: ``{{ cite("rogers1957", "p. 96", "lee2001") }}``."""
        refs = _known(args)
        return cite_html(handbook.bibliography, refs) if refs else ""

    @guarded
    def citet(key: str, locator: str | None = None) -> str:
        """Narrative citation: ``{{ citet("tervalon1998") }}`` -> Tervalon and Murray-García (1998)."""
        refs = _known((key, locator) if locator else (key,))
        return citet_html(handbook.bibliography, key, refs[0][1]) if refs else ""

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


#: What a page becomes when it holds template code that is refused: it is never rendered,
#: and the build fails with the lines that say why.
REFUSED_PAGE = "# This page was not built\n\nIt contains template code that pages may not hold; the build log says where.\n"


def on_pre_page_macros(env: Any) -> None:
    """The gate before Jinja would see a page: code shown as written, and nothing but the handbook's macros."""
    site_module.CURRENT_PAGE = src = _src(env)
    handbook = site_module.CURRENT
    scanned = handbook.usage.parsed_body(src, env.markdown) if handbook is not None else None
    parsed = scanned or parse_page(protect_code(env.markdown))
    # The page is rendered here, from the checked node tree, and mkdocs-macros is told not to
    # render it again: Jinja never compiles page text. A refused page (the scan has reported
    # each problem with the file's line numbers) is not rendered at all.
    text = REFUSED_PAGE if parsed.problems else parsed.render(env.macros)
    env.markdown = text.lstrip("\n") if scanned else text  # the scan's parse starts with the blanked front matter
    env.page.meta["render_macros"] = False
    title = getattr(env.page, "title", None)
    if not isinstance(title, str) or any(d in title for d in ("{{", "{%", "{#")):  # mkdocs-macros renders titles too
        env.page.title = str(title if isinstance(title, str) else "Untitled").replace("{", "(").replace("}", ")")


def _install_log_filter() -> None:
    """Say each link problem once: MkDocs' own warning is dropped where the handbook's line says it."""
    for name in ("mkdocs.structure.pages", "mkdocs.structure.nav"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _Duplicates) for f in logger.filters):
            logger.addFilter(_Duplicates())


class _Duplicates(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        handbook = site_module.CURRENT
        if handbook is None or record.levelno < logging.WARNING:
            return True
        text = record.getMessage()
        ours = [p for p in _reported_problems if p.file.endswith(".md")]
        for problem in ours:
            rel = problem.file.split("/", 1)[-1]
            if ("link" in problem.message or "navigation" in problem.message) and f"'{rel}'" in text or \
                    ("navigation" in problem.message and rel in text and "not included in the \"nav\"" in text):
                return False
        return True


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
    # The page's keywords (acronyms, names, American spellings) are searched too: Material's
    # search plugin indexes page.meta.tags as a field of its own, weighted in mkdocs.yml.
    # Without the tags plugin nothing shows them on the page.
    if hb.get("keywords") and "tags" not in env.page.meta:
        env.page.meta["tags"] = [str(k) for k in hb["keywords"]]
    dates = (f'<p class="hb-dates" data-search-exclude>First published <time datetime="{hb["created"]}">{hb["created_text"]}</time>'
             f' · Last reviewed <time datetime="{hb["reviewed"]}">{hb["reviewed_text"]}</time>'
             f' · Next review due <time datetime="{hb["next_review"]}">{hb["next_review_text"]}</time></p>')
    env.markdown = re.sub(r"^(# .+)$", lambda m: m.group(1) + "\n\n" + dates, env.markdown, count=1, flags=re.M)


def on_post_build(env: Any) -> None:
    """Publish the glossary and the bibliography as data readers can download."""
    handbook = site_module.CURRENT
    if handbook is None:
        return
    cache_for(handbook.root).save()  # `mkdocs serve` keeps running: keep what this build formatted now
    site_dir, site_url = Path(env.conf["site_dir"]), env.conf.get("site_url") or ""
    if site_url:  # crawlers: the sitemap's address; feed readers: new and revised pages
        (site_dir / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")
        (site_dir / FEED_FILE).write_text(atom_feed(handbook.pages, site_url, env.conf["site_name"],
                                                    env.conf.get("site_description") or ""), encoding="utf-8")
    out = site_dir / "data"
    out.mkdir(parents=True, exist_ok=True)
    if handbook.glossary is not None:
        (out / "glossary.json").write_text(handbook.glossary.to_json(), encoding="utf-8")
        (out / "glossary.csv").write_text(handbook.glossary.to_csv(), encoding="utf-8")
    if handbook.bibliography is not None:
        (out / "references.bib").write_text(handbook.bibliography.to_bibtex(), encoding="utf-8")
        (out / "references.ris").write_text(handbook.bibliography.to_ris(), encoding="utf-8")
