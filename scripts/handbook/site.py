"""Everything a build needs, loaded and checked once: the data files, the pages, the usage index.

:func:`load_handbook` caches by the files' modification times, so ``mkdocs serve`` picks
up an edit while a build of many pages (or Zensical, which loads the macros module once
per page) reads each file once.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .authors import Author, load_authors
from .buildcache import check_cache, code_digest, sealed_entries
from .bibliography import Bibliography
from .corrections import CORRECTIONS_FILE, Correction, load_corrections
from .errors import ContentError, Problem
from .files import content_files, file_problems
from .formatcache import cache_for
from .references import load_references
from .glossary import Glossary, load_glossary
from .pages import FrontMatter, validate_front_matter
from .releases import Releases, load_releases
from .schema import remember_valid_in
from .standards import STANDARDS_FILE, Standards, load_standards
from .usage import UsageIndex, scan
from .yamlsource import keep_parses_in

__all__ = [
    "Handbook", "load_handbook", "handbook_version", "CURRENT", "CURRENT_PAGE", "DIRECTORY_URLS", "ENGINE",
    "EXEMPT", "LOCK", "PUBLISHED", "CURRENT_HB", "REPORTED", "REPORTED_FOR", "REPORTED_PROBLEMS", "release_date",
]

#: The handbook of the build in progress, set by the macros module for the Markdown extension.
CURRENT: Handbook | None = None
#: The page being rendered (its path under docs/), and the engine ("mkdocs" or "zensical").
CURRENT_PAGE: str | None = None
ENGINE: str | None = None
#: The citation data the template of the page being rendered reads (``page.meta["hb"]``), with
#: that page's path: under MkDocs the Markdown extension hands it the page's appended HTML there.
CURRENT_HB: tuple[str, dict] | None = None
#: False in the offline copy, whose pages are files (``roles/advocacy.html``).
DIRECTORY_URLS: bool = True
#: State that must outlive one page under Zensical, which executes the macros module afresh for each.
LOCK = threading.Lock()
REPORTED: set[str] = set()
REPORTED_PROBLEMS: list = []
REPORTED_FOR: object = None
PUBLISHED: tuple | None = None

#: Pages with no front matter of their own (generated or utility pages).
EXEMPT = {"404.md"}


@dataclass
class Handbook:
    root: Path
    docs_dir: Path
    glossary: Glossary | None
    bibliography: Bibliography | None
    authors: dict[str, Author]
    pages: dict[str, FrontMatter]
    usage: UsageIndex
    version: str
    problems: list[Problem] = field(default_factory=list)
    #: The releases in the changelog, and which pages each changed.
    releases: Releases = field(default_factory=lambda: Releases([]))
    #: The ids in the data files, read even when a file has a mistake, so that one broken
    #: file does not turn every citation or term on every page into a false problem.
    reference_ids: set[str] = field(default_factory=set)
    term_ids: set[str] = field(default_factory=set)
    #: Names in the bibliography (for the spelling check), read the same way.
    names: set[str] = field(default_factory=set)
    #: Statements the handbook has corrected, refused wherever they are written again.
    corrections: list[Correction] = field(default_factory=list)
    #: The professional standards pages may name (None: the file is missing or has a mistake).
    standards: Standards | None = None
    #: Their ids, read even when the file has a mistake (as ``term_ids``), and whether the
    #: handbook has the file at all: a handbook without it (a fork outside England) requires none.
    standard_ids: set[str] = field(default_factory=set)
    maps_standards: bool = False

    def docs_path(self, rel: str) -> str:
        """How messages name a page: ``docs/roles/advocacy.md``."""
        return (self.docs_dir.relative_to(self.root) / rel).as_posix() if self.docs_dir.is_relative_to(self.root) else rel


def handbook_version(root: Path) -> str:
    return _cff_field(root, "version") or "0.0.0"


def release_date(root: Path) -> dt.date | None:
    """The release date in CITATION.cff (``date-released``), if it gives one."""
    try:
        return dt.date.fromisoformat(_cff_field(root, "date-released") or "")
    except ValueError:
        return None


def _cff_field(root: Path, name: str) -> str | None:
    cff = root / "CITATION.cff"
    if cff.exists():
        match = re.search(rf"^{name}:\s*['\"]?([^'\"\n]+)", cff.read_text(encoding="utf-8"), re.M)
        if match:
            return match.group(1).strip()
    return None


def _signature(root: Path, docs_dir: Path) -> tuple:
    files = list(content_files(docs_dir)) + [root / "CITATION.cff", root / "mkdocs.yml"]
    links = [str(p) for p in _all_links(docs_dir)]
    return tuple((str(p), p.stat().st_mtime_ns) for p in files if p.exists()) + tuple(links)


def _all_links(docs_dir: Path) -> list[Path]:
    return [p for p in docs_dir.rglob("*") if p.is_symlink()]


def load_handbook(root: Path, docs_dir: Path, *, max_age: float = 0.0) -> Handbook:
    """The handbook as its files are now (re-read only when a file has changed).

    With ``max_age``, a handbook checked against the files less than that many seconds ago
    is taken as it is: Zensical asks once per page, and looking at every file for every
    page made its build grow with the square of the pages."""
    root, docs_dir = root.resolve(), docs_dir.resolve()
    now = time.monotonic()
    with LOCK:
        recent = _RECENT.get((root, docs_dir))
        if max_age and recent is not None and now - recent[0] < max_age:
            return recent[1]
    handbook = _load(root, docs_dir, _signature(root, docs_dir))
    with LOCK:
        _RECENT[(root, docs_dir)] = (time.monotonic(), handbook)
    return handbook


_RECENT: dict[tuple[Path, Path], tuple[float, Handbook]] = {}


@functools.lru_cache(maxsize=4)
def _load(root: Path, docs_dir: Path, _sig: tuple) -> Handbook:
    problems: list[Problem] = []
    data = docs_dir / "data"

    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p)

    bibliography = glossary = None
    authors: dict[str, Author] = {}
    remember_valid_in(check_cache(root))  # unchanged data is not validated again (the key is the data itself)
    parses = sealed_entries(root, "yaml", yaml.__version__)
    keep_parses_in(parses)  # nor read again: the glossary and every page's front matter
    refs_text = _read_text(data / "references.json")
    reference_ids = set(re.findall(r'"id"\s*:\s*"([^"]+)"', refs_text))
    names = {_json_text(n) for n in re.findall(r'"(?:family|given)"\s*:\s*"((?:[^"\\]|\\.)+)"', refs_text)}
    term_ids = set(re.findall(r"^\s*-?\s*id:\s*['\"]?([A-Za-z0-9-]+)", _read_text(data / "glossary.yml"), re.M))
    try:
        bibliography = load_references(data / "references.json", rel(data / "references.json"), cache_for(root))
        reference_ids = set(bibliography.items)
    except (ContentError, OSError) as error:
        problems += getattr(error, "problems", [Problem(rel(data / "references.json"), None, "cannot be read.")])
    try:
        glossary = load_glossary(data / "glossary.yml", reference_ids, rel(data / "glossary.yml"))
        term_ids = set(glossary.terms)
    except (ContentError, OSError) as error:
        problems += getattr(error, "problems", [Problem(rel(data / "glossary.yml"), None, "cannot be read.")])
    corrections, correction_problems = load_corrections(docs_dir / CORRECTIONS_FILE, reference_ids, rel(docs_dir / CORRECTIONS_FILE))
    problems += correction_problems
    try:
        authors = load_authors(data / "authors.yml", rel(data / "authors.yml"))
    except ContentError as error:
        problems += error.problems

    standards_file_exists = (docs_dir / STANDARDS_FILE).is_file()
    standards, standard_ids, standards_problems = _standards(docs_dir / STANDARDS_FILE, rel(docs_dir / STANDARDS_FILE))
    problems += standards_problems

    problems += file_problems(root, docs_dir, rel(docs_dir))
    usage = scan(docs_dir, check_cache(root), code_digest(root))  # unchanged pages are not read by Jinja again
    for where, line, message in usage.problems:
        problems.append(Problem(rel(docs_dir / where), line, message))
    pages: dict[str, FrontMatter] = {}
    for path in (p for p in content_files(docs_dir) if p.suffix == ".md"):
        src = path.relative_to(docs_dir).as_posix()
        if src in EXEMPT or src not in usage.sources:  # unreadable or unsafe: reported by the scan
            continue
        front, page_problems = validate_front_matter(
            rel(path), usage.sources[src][0], authors, standard_ids if standards_file_exists else None,
            standards.unknown_message if standards is not None else None, usage.front.get(src))
        problems += page_problems
        if front:
            pages[src] = front
    version = handbook_version(root)
    docs_path = rel(docs_dir)
    releases, release_problems = load_releases(docs_dir, pages, version, release_date(root), docs_path)
    problems += release_problems
    parses.save()
    return Handbook(root=root, docs_dir=docs_dir, glossary=glossary, bibliography=bibliography,
                    authors=authors, pages=pages, usage=usage, version=version,
                    problems=problems, reference_ids=reference_ids, term_ids=term_ids, names=names, releases=releases,
                    corrections=corrections, standards=standards, standard_ids=standard_ids,
                    maps_standards=standards_file_exists)


def _standards(path: Path, display: str) -> tuple[Standards | None, set[str], list[Problem]]:
    """The standards file, its ids (read by pattern if it has a mistake) and its problems."""
    if not path.is_file():
        return None, set(), []
    try:
        standards = load_standards(path, display)
    except ContentError as error:
        ids = set(re.findall(r"^\s*-\s*\{?\s*id:\s*['\"]?([a-z0-9.-]+)", _read_text(path), re.M))
        return None, ids, error.problems
    return standards, set(standards.items), []


def _json_text(literal: str) -> str:
    try:
        return json.loads(f'"{literal}"')
    except ValueError:
        return literal


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
