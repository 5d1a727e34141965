"""What the handbook says about itself, read from the handbook: it cannot go stale.

The home page, the about page and the citing guide describe the handbook: its sections,
how many pages they hold, its version and when it was released. Written by hand, those
sentences went stale with every release ("this first release", "Version 0.2.0"). Here
they come from the sources the rest of the build trusts: the sections and pages from the
navigation in ``mkdocs.yml``, the version from ``CITATION.cff`` and the release date from
the changelog entry of that version. The macros module binds them to page macros.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .releases import Releases
from .text import esc, relative_url

__all__ = ["Section", "handbook_sections", "number_words", "sections_html", "size_text", "release_facts"]

#: Navigation groups that describe the handbook rather than being one of its sections.
NOT_SECTIONS = {"about"}
_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


@dataclass(frozen=True)
class Section:
    """One section of the handbook as the navigation lists it."""

    title: str
    index: str              # its landing page, e.g. "client/index.md"
    pages: tuple[str, ...]  # its other pages, in the navigation's order


def number_words(count: int, noun: str, plural: str | None = None) -> str:
    """``"six sections"``, ``"one topic page"``, ``"14 pages"`` (words up to twelve, as house style)."""
    word = _WORDS[count] if 0 <= count < len(_WORDS) else str(count)
    return f"{word} {noun if count == 1 else (plural or noun + 's')}"


def _src(entry: object) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and len(entry) == 1:
        value = next(iter(entry.values()))
        return value if isinstance(value, str) else None
    return None


def handbook_sections(nav: list) -> list[Section]:
    """The sections, in the navigation's order: each top-level group whose first page is its
    folder's ``index.md`` (the About group excepted)."""
    sections: list[Section] = []
    for item in nav or []:
        if not isinstance(item, dict) or len(item) != 1:
            continue
        title, children = next(iter(item.items()))
        if not isinstance(children, list) or not children:
            continue
        srcs = [s for s in map(_src, children) if s]
        if not srcs or not srcs[0].endswith("/index.md"):
            continue
        folder = srcs[0].rsplit("/", 1)[0]
        if folder in NOT_SECTIONS:
            continue
        sections.append(Section(str(title), srcs[0], tuple(srcs[1:])))
    return sections


def size_text(sections: list[Section]) -> str:
    """``"six sections and 35 topic pages"``."""
    pages = sum(len(s.pages) for s in sections)
    return f"{number_words(len(sections), 'section')} and {number_words(pages, 'topic page')}"


def sections_html(sections: list[Section], src: str, titles: dict[str, str] | None = None, *,
                  directory_urls: bool = True) -> str:
    """The sections as a list linking each landing page (by its own title, else the navigation's),
    with how many topic pages each has."""
    titles = titles or {}
    rows = "".join(
        f'<li><a href="{esc(relative_url(src, s.index, directory_urls=directory_urls))}">{esc(titles.get(s.index, s.title))}</a>: '
        f"an introduction and {esc(number_words(len(s.pages), 'topic page'))}</li>"
        for s in sections
    )
    return f'<ul class="hb-sections">{rows}</ul>'


def release_facts(version: str, releases: Releases, released: dt.date | None) -> dict[str, str]:
    """The version being built, its release date (from its changelog entry, else ``CITATION.cff``)
    and year, as the pages write them: ``{"version": "0.3.0", "date": "1 December 2026", "year": "2026"}``."""
    release = releases.get(version)
    day = release.date if release is not None else released
    return {"version": version, "date": f"{day.day} {day:%B %Y}" if day else "", "year": str(day.year) if day else ""}
