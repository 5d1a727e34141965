"""The mkdocs-macros adapter: binds the handbook package to Jinja macros.

This is the only module that knows mkdocs-macros (and Zensical's macros extension, which
calls the same ``define_env``). Content problems are logged as warnings naming the file
and line, so a strict build fails and lists them all; nothing is written into the page.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import Any
from collections.abc import Callable

from handbook import site as site_module
from handbook.checks import build_problems
from handbook.config import Settings, environment_settings, read_nav, settings_from
from handbook.errors import BuildStopped, ContentError, Problem, github_annotation
from handbook.feed import FEED_FILE, atom_feed, robots_txt
from handbook.files import is_fatal, refused_files
from handbook.buildcache import kept_sealed
from handbook.formatcache import VERSIONS as FORMAT_VERSIONS, cache_for
from handbook.pagemacros import MacroContext, bind
from handbook.pages import FRONT_MATTER_SCHEMA
from handbook.render import page_citation, report_issue_url, reuse_statement, version_date, with_dates
from handbook.safety import parse_page, protect_code
from handbook.searchcache import keep_search_sections
from handbook.site import Handbook
from handbook.standards import standards_line_html
from handbook.templatecache import keep_compiled_templates

#: mkdocs-macros' hooks (mkdocs.yml names this module), and what the Markdown extension runs under Zensical.
__all__ = ["define_env", "on_pre_page_macros", "on_post_page_macros", "on_post_build", "render_zensical_page", "report",
           "REFUSED_PAGE"]

log = logging.getLogger("mkdocs.plugins.handbook")
# Kept in handbook.site, not here: Zensical executes this file afresh for every page.
_reported: set[str] = site_module.REPORTED
_reported_problems: list[Problem] = site_module.REPORTED_PROBLEMS
#: Zensical does not (yet) fail a build on logged warnings, so there a problem stops it.
_fail_fast = False


def report(problem: Problem) -> None:
    """Say a problem once. Under Zensical the build stops at once, with every problem known so far."""
    _say(problem)
    if _fail_fast:
        raise BuildStopped(len(_reported_problems))


def _say(problem: Problem) -> None:
    line = str(problem)
    with site_module.LOCK:  # Zensical renders pages in parallel, loading this module again for each
        if line in _reported:
            return
        _reported.add(line)
        _reported_problems.append(problem)
    log.warning(line)
    if environment_settings().github_actions:  # shown on the pull request's diff
        print(github_annotation(problem), flush=True)


def _src(env: Any) -> str:
    page = env.page
    file = getattr(page, "file", None)
    return str(getattr(file, "src_path", None) or getattr(page, "path", None) or getattr(page, "src_uri", ""))


def _begin(root: Path, docs_dir: Path, nav_of: Callable[[], list]) -> tuple[Any, list]:
    """Load the handbook and say every problem the build refuses (once per state of the sources).

    Under Zensical, which cannot fail a build on a warning, the build then stops. Zensical
    asks for every page: the files are looked at again only after a second without (its
    preview rebuilds after a save, so an edit is always seen)."""
    handbook = site_module.load_handbook(root, docs_dir, max_age=1.0 if _fail_fast else 0.0)
    site_module.CURRENT = handbook
    # MkDocs calls this once per build (each rebuild of `serve` too), Zensical once per page:
    # either way, every problem is said again once the sources have changed.
    with site_module.LOCK:
        if not _fail_fast or site_module.REPORTED_FOR is not handbook:
            site_module.REPORTED_FOR = handbook
            _reported.clear()
            _reported_problems.clear()
    _install_log_filter()
    # Everything `dev.py check` refuses, the build refuses, with the same lines.
    nav = nav_of()
    problems = sorted(set(handbook.problems) | set(build_problems(handbook, nav)))  # build_problems caches per handbook
    for problem in problems:
        _say(problem)
    if problems and _fail_fast:
        raise BuildStopped(len(problems))
    return handbook, nav


def define_env(env: Any) -> None:
    """mkdocs-macros' entry point: the handbook's macros, and every content problem said."""
    global _fail_fast
    _fail_fast = type(env).__module__.startswith("zensical")
    site_module.ENGINE = "zensical" if _fail_fast else "mkdocs"
    settings = settings_from(env.conf)
    site_module.DIRECTORY_URLS = settings.use_directory_urls
    root = Path(env.project_dir)
    docs_dir = Path(env.conf.get("docs_dir", "docs"))
    if not docs_dir.is_absolute():
        docs_dir = root / docs_dir
    handbook, nav = _begin(root, docs_dir, lambda: _nav(env, root))
    keep_compiled_templates(getattr(env.conf, "plugins", None), root)  # MkDocs only: the theme's templates
    keep_search_sections(getattr(env.conf, "plugins", None), root)  # and the search index's reading of the pages
    if not _fail_fast and any(is_fatal(p) or "is not saved as UTF-8" in p.message for p in handbook.problems):
        # MkDocs itself would follow the link or cannot read the file: stop here, before it reads
        # any page or copies any file, with every problem above already listed.
        from mkdocs.exceptions import Abort

        raise Abort("The build stopped before reading the pages: a file under docs/ cannot be built safely (see the lines above).")
    env.variables["handbook_version"] = handbook.version
    for name, func in page_macros(handbook, lambda: _src(env), nav, settings).items():
        env.macro(func, name)


def page_macros(handbook: Handbook, src_of: Callable[[], str], nav: list[Any], settings: Settings) -> dict[str, Callable[..., str]]:
    """The macros a page may call (handbook.pagemacros), for the page ``src_of()`` names when they run."""

    def guarded(func: Callable[..., str]) -> Callable[..., str]:
        """Macros only render: every argument was checked when the page was read. Anything
        unexpected still ends as one line naming the page, never a traceback."""
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> str:
            try:
                return func(*args, **kwargs)
            except (ContentError, BuildStopped):
                raise
            except Exception as error:
                report(Problem(handbook.docs_path(src_of()), None, f"the macro {func.__name__}() could not be used here: {error}"))
                return ""
        return wrapper

    context = MacroContext(handbook, src_of, nav, settings, site_module.release_date(handbook.root))
    return bind(context, guarded)


#: What a page becomes when it holds template code that is refused: it is never rendered,
#: and the build fails with the lines that say why.
REFUSED_PAGE = "# This page was not built\n\nIt contains template code that pages may not hold; the build log says where.\n"


def on_pre_page_macros(env: Any) -> None:
    """The gate before Jinja would see a page: code shown as written, and nothing but the handbook's macros."""
    site_module.CURRENT_PAGE = src = _src(env)
    site_module.CURRENT_HB = None
    handbook = site_module.CURRENT
    scanned = handbook.usage.parsed_body(src, env.markdown) if handbook is not None else None
    parsed = scanned or parse_page(protect_code(env.markdown))
    # The page is rendered here, from the checked node tree, and mkdocs-macros is told not to
    # render it again: Jinja never compiles page text. A refused page (the scan has reported
    # each problem with the file's line numbers) is not rendered at all.
    text = REFUSED_PAGE if parsed.problems else parsed.render(env.macros)
    env.markdown = text.lstrip("\n") if scanned else text  # the scan's parse starts with the blanked front matter
    env.page.meta["render_macros"] = False
    _safe_page_settings(env.page)


PAGE_FIELDS = set(FRONT_MATTER_SCHEMA["properties"])
#: Front-matter keys that MkDocs and the theme act on beyond the page's text: only these may reach them.
_THEME_KEYS = {"title", "description", "hide", "search", "tags", "hb", "render_macros"}


def _safe_page_settings(page: Any) -> None:
    """What the theme prints or obeys from a page's front matter, made safe even where the build is
    not strict (the preview): the title is plain text (the navigation prints it on every page
    without escaping), and keys such as ``template`` never reach MkDocs (the check names them)."""
    for key in [k for k in page.meta if k not in _THEME_KEYS and k not in PAGE_FIELDS]:
        del page.meta[key]
    title = getattr(page, "title", None)
    plain = re.sub(r"[<>\"`{}\x00-\x1f\x7f]", " ", str(title if isinstance(title, str) else "Untitled")).strip()
    if title != plain:
        page.title = plain or "Untitled"
        if isinstance(page.meta.get("title"), str):
            page.meta["title"] = page.title


def render_zensical_page(page: Any, config: dict[str, Any], markdown: str) -> str:
    """Under Zensical, the same gate as :func:`on_pre_page_macros`, run by the handbook's Markdown
    extension before Zensical's macros: the page is rendered here from its checked node tree,
    and Zensical's macros are told to leave it alone, so Jinja never compiles page text under
    either engine. Also gives the template the page's citation data, puts the dates under
    the title and publishes the downloads (Zensical has no post-page or post-build hook)."""
    global _fail_fast
    _fail_fast = True
    site_module.ENGINE = "zensical"
    settings = settings_from(config)
    site_module.DIRECTORY_URLS = settings.use_directory_urls
    root = Path(config.get("root_dir") or ".").resolve()
    docs_dir = Path(config.get("docs_dir") or "docs")
    if not docs_dir.is_absolute():
        docs_dir = root / docs_dir
    handbook, nav = _begin(root, docs_dir, lambda: read_nav(root) or [])
    site_module.CURRENT_PAGE = src = str(page.path)
    scanned = handbook.usage.parsed_body(src, markdown)
    parsed = scanned or parse_page(protect_code(markdown))
    text = REFUSED_PAGE if parsed.problems else parsed.render(page_macros(handbook, lambda: src, nav, settings))
    page.meta["render_macros"] = False
    _attach_citation(settings, handbook, src, page.meta)
    _publish_downloads(handbook, Path(config.get("site_dir") or root / "site"), settings)
    text = text.lstrip("\n") if scanned else text
    return with_dates(text, handbook.pages[src], _standards_line(handbook, src)) if src in handbook.pages else text


def _install_log_filter() -> None:
    """Say each link problem once: MkDocs' own warning is dropped where the handbook's line says it.
    And the preview's fast rebuilds (``--dirty``) start without MkDocs' warning that navigation may be
    inaccurate: the preview rebuilds the navigation with every page, and a reader cannot act on it."""
    for name in ("mkdocs.structure.pages", "mkdocs.structure.nav"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _Duplicates) for f in logger.filters):
            logger.addFilter(_Duplicates())
    build_log = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _NoDirtyWarning) for f in build_log.filters):
        build_log.addFilter(_NoDirtyWarning())


class _NoDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


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


def _nav(env: Any, root: Path) -> list:
    """The navigation as written in mkdocs.yml (Zensical hands the macros its own form of it)."""
    if _fail_fast:
        return read_nav(root) or []
    return env.conf.get("nav") or []


def _attach_citation(settings: Settings, handbook: Handbook, src: str, meta: dict[str, Any]) -> dict[str, Any] | None:
    """Give the page's template its citation data (cite box, dates, head metadata)."""
    if src not in handbook.pages:
        return None
    front = handbook.pages[src]
    changed = [r.date for r in handbook.releases.changes(src, handbook.version)]
    date = version_date(front, changed)
    # Kept by page across builds while the page's front matter, the settings and the code are the same.
    hb = kept_sealed(handbook.root, "citations", src, [repr(front), src, settings.site_url, handbook.version,
                                                       settings.licence_url, date.isoformat(), FORMAT_VERSIONS],
                     lambda: page_citation(front, src, settings.site_url, handbook.version, settings.licence_url,
                                           cache_for(handbook.root), date))
    # This page's permanent link in the release being built, its changes and its earlier versions.
    hb["versions"] = handbook.releases.page_history(src, handbook.version, settings.site_url,
                                                    directory_urls=settings.use_directory_urls)
    hb["licence_name"] = settings.licence_name
    hb["reuse"] = reuse_statement(front.title, [a.display for a in front.authors], hb["url"], handbook.version,
                                  hb["licence_name"], hb["licence_url"])
    repo_url = settings.repo_url
    hb["report_href"] = report_issue_url(repo_url, front.title, hb["url"], handbook.version) \
        if repo_url.startswith("https://github.com/") else ""
    meta["hb"] = hb
    # The page's keywords (acronyms, names, American spellings) are searched too: Material's
    # search plugin indexes page.meta.tags as a field of its own, weighted in mkdocs.yml.
    # Without the tags plugin nothing shows them on the page. (Zensical shows a page's tags,
    # and its search does not read them: not there.)
    if hb.get("keywords") and "tags" not in meta and site_module.ENGINE == "mkdocs":
        meta["tags"] = [str(k) for k in hb["keywords"]]
    return hb


def on_post_page_macros(env: Any) -> None:
    """Attach the citation data and put the page's dates under its title (under Zensical,
    :func:`render_zensical_page` does the same)."""
    handbook = site_module.CURRENT
    src = _src(env)
    if handbook is None or src not in handbook.pages:
        return
    hb = _attach_citation(settings_from(env.conf), handbook, src, env.page.meta)
    site_module.CURRENT_HB = (src, hb) if hb is not None else None
    env.markdown = with_dates(env.markdown, handbook.pages[src], _standards_line(handbook, src))


def _standards_line(handbook: Any, src: str) -> str:
    """The page's "Supports: ..." line (empty when it names no standards)."""
    if handbook.standards is None or src not in handbook.pages:
        return ""
    line = standards_line_html(handbook.standards, handbook.pages[src].standards, src, directory_urls=site_module.DIRECTORY_URLS)
    return "\n" + line if line else ""


def on_post_build(env: Any) -> None:
    """Publish the glossary and the bibliography as data readers can download."""
    handbook = site_module.CURRENT
    if handbook is None:
        return
    cache_for(handbook.root).save()  # `mkdocs serve` keeps running: keep what this build formatted now
    # The preview is not strict: a refused file (an SVG with a script, an HTML file) is still never served.
    site_dir = Path(env.conf["site_dir"])
    for rel in refused_files(handbook.docs_dir):
        target = site_dir / rel
        if target.is_file() and not target.is_symlink() and target.resolve().is_relative_to(site_dir.resolve()):
            target.unlink()
    _publish_downloads(handbook, Path(env.conf["site_dir"]), settings_from(env.conf), force=True)


def _publish_downloads(handbook: Handbook, site_dir: Path, settings: Settings, force: bool = False) -> None:
    """The glossary as JSON and CSV, the bibliography as BibTeX and RIS (in ``site/data/``), the
    Atom feed of new and revised pages and robots.txt naming the sitemap.

    Written once per build under Zensical (where this runs for every page), and only where
    the file would change, so the engine's own copy of the unchanged site is left alone."""
    key = (id(handbook), str(site_dir))
    with site_module.LOCK:
        if not force and site_module.PUBLISHED == key:
            return
        site_module.PUBLISHED = key
    files: dict[str, str] = {}
    if settings.site_url:  # crawlers: the sitemap's address; feed readers: new and revised pages
        files["robots.txt"] = robots_txt(settings.site_url)
        files[FEED_FILE] = atom_feed(handbook.pages, settings.site_url, settings.site_name, settings.site_description)
    if handbook.glossary is not None:
        files["data/glossary.json"] = handbook.glossary.to_json()
        files["data/glossary.csv"] = handbook.glossary.to_csv()
    bib = handbook.bibliography
    if bib is not None:  # kept across builds while the bibliography and the code are the same
        exported = kept_sealed(handbook.root, "downloads", "references", [bib.items],
                               lambda: {"bib": bib.to_bibtex(), "ris": bib.to_ris()})
        files["data/references.bib"] = exported["bib"]
        files["data/references.ris"] = exported["ris"]
    for name, text in files.items():
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
