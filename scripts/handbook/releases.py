"""The handbook's releases, read from the changelog: versions, dates, and which pages each changed.

The changelog (``docs/about/changelog.md``) is the one source of truth. Each release is a
heading ``## 0.2.0 (1 December 2026) { #v0.2.0 }``, and its entry links every page the
release published or changed. From that a page knows the releases that changed it (each
linked to its entry) and the releases it is in: every release from the first whose entry
links it. Each release is published for ever at ``<site>/v/<version>/``
(``scripts/publish.py``), so a page's permanent link and its earlier versions are
addresses under ``v/``.

The checks keep the changelog in order (headings, anchors, newest first, the same version
and date as ``CITATION.cff``), and an entry links no page first published after it (by the
page's ``created`` date). A page that no entry links yet has no permanent link; the page
check says so as a notice, for the maintainer who writes the next release's entry.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .pages import FrontMatter
from .text import relative_url, url_for

__all__ = ["Release", "Releases", "load_releases", "version_key", "release_base", "CHANGELOG"]

CHANGELOG = "about/changelog.md"
_VERSION = r"\d+\.\d+\.\d+"
_HEADING_RE = re.compile(rf"^## (?P<version>{_VERSION}) \((?P<date>\d{{1,2}} [A-Z][a-z]+ \d{{4}})\)"
                         rf"(?:\s*\{{\s*#(?P<anchor>[^\s}}]+)\s*\}})?\s*$")
_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>#]+\.md)(?:#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\)")
_VERSIONED_RE = re.compile(rf"/v/({_VERSION})/$")


def version_key(version: str) -> tuple[int, ...]:
    """``"0.10.0"`` sorts after ``"0.9.1"``."""
    return tuple(int(part) for part in version.split("."))


def release_base(site_url: str, version: str) -> tuple[str, bool]:
    """The site's plain address, and whether ``site_url`` is this release's own ``v/<version>/`` address."""
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    match = _VERSIONED_RE.search(site_url)
    if match and match.group(1) == version:
        return site_url[: match.start() + 1], True
    return site_url, False


@dataclass(frozen=True)
class Release:
    """One release as its changelog entry describes it."""

    version: str
    date: dt.date
    anchor: str
    line: int
    #: Pages (paths under docs/) the entry links, with the line of each first link.
    pages: dict[str, int] = field(default_factory=dict, hash=False, compare=False)

    @property
    def date_text(self) -> str:
        return f"{self.date.day} {self.date:%B %Y}"


@dataclass
class Releases:
    """Every release, newest first."""

    releases: list[Release]

    def get(self, version: str) -> Release | None:
        return next((r for r in self.releases if r.version == version), None)

    def first(self, src: str, upto: str) -> Release | None:
        """The oldest release, up to and including ``upto``, whose entry links the page."""
        linked = self.changes(src, upto)
        return linked[-1] if linked else None

    def changes(self, src: str, upto: str) -> list[Release]:
        """The releases, up to and including ``upto``, whose entries say they changed the page (newest first)."""
        top = version_key(upto)
        return [r for r in self.releases if version_key(r.version) <= top and src in r.pages]

    def unreleased(self, pages: dict[str, FrontMatter]) -> list[str]:
        """The pages no release's entry links yet."""
        linked = {src for r in self.releases for src in r.pages}
        return sorted(src for src in pages if src not in linked) if self.releases else []

    def page_history(self, src: str, version: str, site_url: str, *, directory_urls: bool = True) -> dict | None:
        """What the cite box says about this page's versions, for the release being built.

        ``None`` when the build is of no release in the changelog (the checks say why)."""
        current = self.get(version)
        if current is None:
            return None
        first = self.first(src, version)
        if first is None:
            return {"released": False, "version": version}
        base, versioned = release_base(site_url, version)
        path = url_for(src)
        earlier = [r for r in self.releases if version_key(first.version) <= version_key(r.version) < version_key(version)]
        return {
            "released": True, "version": version, "versioned": versioned,
            "permalink": f"{base}v/{version}/{path}",
            "latest_url": base + path,
            "changes": [{"version": r.version, "date_text": r.date_text, "href": relative_url(src, CHANGELOG, r.anchor, directory_urls=directory_urls),
                         "first": r is first} for r in self.changes(src, version)],
            "earlier": [{"version": r.version, "date_text": r.date_text, "href": f"{base}v/{r.version}/{path}"} for r in earlier],
        }


def load_releases(docs_dir: Path, pages: dict[str, FrontMatter], version: str,
                  released: dt.date | None, docs_path: str = "docs") -> tuple[Releases, list[Problem]]:
    """Read the releases from the changelog and check them against the pages and ``CITATION.cff``."""
    file = f"{docs_path}/{CHANGELOG}"
    path = docs_dir / CHANGELOG
    if not path.exists():
        return Releases([]), []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    problems: list[Problem] = []
    releases: list[Release] = []
    current: Release | None = None
    in_code = False
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        if in_code:
            continue
        if line.startswith("## "):
            current = None
            if not re.match(rf"## {_VERSION}\b", line):
                continue
            match = _HEADING_RE.match(line)
            release_version = line.split()[1]
            example = f"## {release_version} (1 December 2026) {{ #v{release_version} }}"
            if not match:
                problems.append(Problem(file, number, f"a release heading is written '{example}': the version, the "
                                                      "release date in brackets and the anchor that pages link to."))
                continue
            try:
                day = dt.datetime.strptime(match["date"], "%d %B %Y").date()
            except ValueError:
                problems.append(Problem(file, number, f"'{match['date']}' is not a date like 1 December 2026."))
                continue
            if match["anchor"] != f"v{release_version}":
                problems.append(Problem(file, number, f"the release heading needs the anchor pages link to: end it with "
                                                      f"'{{ #v{release_version} }}', as in '{example}'."))
            if releases and (version_key(release_version) >= version_key(releases[-1].version) or day > releases[-1].date):
                problems.append(Problem(file, number, f"releases are listed newest first: {release_version} ({match['date']}) "
                                                      f"comes after {releases[-1].version} ({releases[-1].date_text})."))
            current = Release(release_version, day, f"v{release_version}", number)
            releases.append(current)
            continue
        if current is not None:
            for target in _LINK_RE.findall(line):
                src = posixpath.normpath(posixpath.join(posixpath.dirname(CHANGELOG), target))
                current.pages.setdefault(src, number)
    problems += _check(file, releases, pages, version, released)
    return Releases(releases), problems


def _check(file: str, releases: list[Release], pages: dict[str, FrontMatter], version: str,
           released: dt.date | None) -> list[Problem]:
    problems: list[Problem] = []
    if not releases:
        return problems
    top = releases[0]
    if version != top.version:
        problems.append(Problem("CITATION.cff", None, f"the version is {version}, but the changelog's newest release is "
                                                      f"{top.version}. Give CITATION.cff the version of the newest release."))
    elif released is not None and released != top.date:
        problems.append(Problem("CITATION.cff", None, f"date-released is {released.isoformat()}, but the changelog dates "
                                                      f"{top.version} {top.date_text}. Give both the same date."))
    for release in releases:
        for src, line in release.pages.items():
            front = pages.get(src)
            if front is not None and front.created > release.date:
                problems.append(Problem(file, line, f"the {release.version} entry links {src}, which was first published "
                                                    f"later (created {front.created.isoformat()}). Link it from the entry "
                                                    "of the release that published it."))
    return problems
