"""Everything a build needs, loaded and checked once: the data files, the pages, the usage index.

:func:`load_handbook` caches by the files' modification times, so ``mkdocs serve`` picks
up an edit while a build of many pages (or Zensical, which loads the macros module once
per page) reads each file once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .authors import Author, load_authors
from .bibliography import Bibliography, load_references
from .errors import ContentError, Problem
from .formatcache import cache_for
from .glossary import Glossary, load_glossary
from .pages import FrontMatter, validate_front_matter
from .usage import UsageIndex, scan

__all__ = ["Handbook", "load_handbook", "handbook_version", "CURRENT"]

#: The handbook of the build in progress, set by the macros module for the Markdown extension.
CURRENT: Handbook | None = None
#: The page being rendered (its path under docs/), and the engine ("mkdocs" or "zensical").
CURRENT_PAGE: str | None = None
ENGINE: str | None = None

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

    def docs_path(self, rel: str) -> str:
        """How messages name a page: ``docs/roles/advocacy.md``."""
        return (self.docs_dir.relative_to(self.root) / rel).as_posix() if self.docs_dir.is_relative_to(self.root) else rel


def handbook_version(root: Path) -> str:
    cff = root / "CITATION.cff"
    if cff.exists():
        match = re.search(r"^version:\s*['\"]?([^'\"\n]+)", cff.read_text(encoding="utf-8"), re.M)
        if match:
            return match.group(1).strip()
    return "0.0.0"


def _signature(root: Path, docs_dir: Path) -> tuple:
    files = sorted(docs_dir.rglob("*.md")) + sorted((docs_dir / "data").glob("*")) + [root / "CITATION.cff"]
    return tuple((str(p), p.stat().st_mtime_ns) for p in files if p.exists())


def load_handbook(root: Path, docs_dir: Path) -> Handbook:
    root, docs_dir = root.resolve(), docs_dir.resolve()
    return _load(root, docs_dir, _signature(root, docs_dir))


@functools.lru_cache(maxsize=4)
def _load(root: Path, docs_dir: Path, _sig: tuple) -> Handbook:
    problems: list[Problem] = []
    data = docs_dir / "data"

    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p)

    bibliography = glossary = None
    authors: dict[str, Author] = {}
    try:
        bibliography = load_references(data / "references.json", rel(data / "references.json"), cache_for(root))
    except ContentError as error:
        problems += error.problems
    try:
        glossary = load_glossary(data / "glossary.yml", bibliography.items if bibliography else None, rel(data / "glossary.yml"))
    except ContentError as error:
        problems += error.problems
    try:
        authors = load_authors(data / "authors.yml", rel(data / "authors.yml"))
    except ContentError as error:
        problems += error.problems

    usage = scan(docs_dir)
    for path, line, message in usage.problems:
        problems.append(Problem(rel(docs_dir / path), line, message))
    pages: dict[str, FrontMatter] = {}
    for path in sorted(docs_dir.rglob("*.md")):
        src = path.relative_to(docs_dir).as_posix()
        if src in EXEMPT:
            continue
        front, page_problems = validate_front_matter(rel(path), path.read_text(encoding="utf-8"), authors)
        problems += page_problems
        if front:
            pages[src] = front
    return Handbook(root=root, docs_dir=docs_dir, glossary=glossary, bibliography=bibliography,
                    authors=authors, pages=pages, usage=usage, version=handbook_version(root),
                    problems=problems)
