"""The content standard, measured: what a page of each kind must contain, with the figures.

`docs/about/style-guide.md` (and the project's CONTENT.md) set the standard: a topic page
has 1,200 to 2,500 words of body, at least five distinct sources, two to four learning
outcomes, a fictional example, sourced critical perspectives, four to six key points,
three to five reflective questions and two to four further-reading entries from the
bibliography; a landing page has 200 to 400 words; a case study 1,500 to 3,000 words,
at least five questions for discussion, notes for educators and links to topic pages.

Template text left in place is an error (the page is not written yet); a rule of the
standard that a page breaks is a warning, with the figure, which a draft may carry but
the editor sees. :func:`page_summary` gives the figures an editor reviews a page by.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem

__all__ = ["CONTENT_SECTIONS", "PageKind", "kind_of", "standard_problems", "page_summary", "Summary"]

#: The sections whose pages are held to the content standard (one place; the checks and tools import it),
#: and in which `dev.py new` makes pages: the statutory settings and the skills are topic pages too.
CONTENT_SECTIONS = ("client", "roles", "relationship", "challenges", "approach", "practice", "settings", "skills")
#: Sections that are not body: lists around the body, read and counted on their own.
NOT_BODY = {"Learning outcomes", "Key points", "Check your understanding", "Reflective questions", "Further reading",
            "Questions for discussion", "Notes for educators"}
PageKind = str  # "topic", "case-study", "landing" or "other"


def kind_of(rel: str, text: str = "") -> PageKind:
    """What standard a page is held to. A section's landing page written as a full topic page
    (with learning outcomes, like /client/) is held to the topic standard."""
    parts = rel.split("/")
    if len(parts) != 2 or parts[0] not in CONTENT_SECTIONS:
        return "other"
    if parts[1] == "index.md":
        return "topic" if re.search(r"^## Learning outcomes\s*$", text, re.M) else "landing"
    return "case-study" if parts[0] == "practice" else "topic"


#: The page template `python3 dev.py new` writes from (it travels with this package).
TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "page.md"


@functools.cache
def _template(path: Path) -> tuple[str, ...]:
    if not path.exists():
        return ()
    text = path.read_text(encoding="utf-8").format(title="T", description="D", author="contributors",
                                                     date="2026-01-01", next_review="2027-01-01")
    body = text.split("\n---\n", 1)[-1]
    keep = []
    for line in body.split("\n"):
        line = line.strip()
        if line.startswith("<!--") or re.search(r"\breplace this\b", line, re.I) or line == "## Practice example: a short descriptive title":
            keep.append(line)
    return tuple(keep)


def template_lines(root: Path | None = None) -> tuple[str, ...]:
    """Every guidance line the page template writes (instructions, placeholders, comments)."""
    own = root / "scripts" / "templates" / "page.md" if root is not None else None
    return _template(own if own is not None and own.exists() else TEMPLATE)


@dataclass
class Summary:
    """The figures an editor reviews a page by."""

    words: int
    sources: int
    terms: int


def _sections(lines: list[str]) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """(heading line, heading, [(line, text), ...]) for the page's ## sections; the part
    before the first ## (the lead) is the section ''."""
    out: list[tuple[int, str, list[tuple[int, str]]]] = [(1, "", [])]
    for number, line in enumerate(lines, 1):
        match = re.match(r"^##\s+(.+?)\s*$", line)
        if match:
            out.append((number, match.group(1), []))
        else:
            out[-1][2].append((number, line))
    return out


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9\u00c0-\u024f][\w'’\-\u00c0-\u024f]*", text))


def _items(body: list[tuple[int, str]], numbered: bool | None = None) -> list[tuple[int, str]]:
    pattern = r"^\s{0,3}(\d+[.)])\s+" if numbered else (r"^\s{0,3}[-*+]\s+" if numbered is False else r"^\s{0,3}(?:[-*+]|\d+[.)])\s+")
    return [(n, l) for n, l in body if re.match(pattern, l)]


def page_summary(kind: PageKind, lines: list[str], prose: list[str], refs: list[str], terms: list[str]) -> Summary:
    """Words of body (prose outside the lists around it), distinct sources and terms linked."""
    words = 0
    in_body = False
    for number, line in enumerate(lines, 1):
        heading = re.match(r"^(#{1,6})\s+(.+?)\s*$", line)
        if heading and len(heading.group(1)) == 1:
            in_body = True
            continue
        if heading and len(heading.group(1)) == 2:
            in_body = heading.group(2) not in NOT_BODY
            continue
        if in_body and not heading:
            words += _words(prose[number - 1])
    return Summary(words=words, sources=len(set(refs)), terms=len(set(terms)))


def standard_problems(name: str, kind: PageKind, root: Path, text: str, lines: list[str], prose: list[str],
                      refs: list[str], terms: list[str], links: list[str], keywords: list | None,
                      *, errors_only: bool = False) -> Iterator[Problem]:
    """Template text (errors) and the rules of the standard a page breaks (warnings, with figures)."""
    guidance = set(template_lines(root))
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped and stripped in guidance:
            what = "the template's guidance comment" if stripped.startswith("<!--") else "template text"
            shown = stripped if len(stripped) <= 70 else stripped[:67] + "..."
            yield Problem(name, number, f"{what} is still here: '{shown}'. Replace it with the page's own "
                                        "text (the style guide says what each part needs), or delete the comment.")
    if kind == "other" or errors_only:
        return
    if not keywords:
        yield Problem(name, 2, "the page has no 'keywords'. Add three to ten words readers might search for, "
                               "including American spellings where they differ (e.g. counseling).", "warning")
    summary = page_summary(kind, lines, prose, refs, terms)
    low, high = {"topic": (1200, 2500), "landing": (200, 400), "case-study": (1500, 3000)}[kind]
    noun = {"topic": "a topic page", "landing": "a section landing page", "case-study": "a case study"}[kind]
    if not low <= summary.words <= high:
        yield Problem(name, None, f"this page has {summary.words:,} words of body; {noun} needs {low:,} to {high:,}. "
                                  f"{'Add to' if summary.words < low else 'Shorten'} the sections between the learning outcomes "
                                  "and the key points.", "warning")
    if kind == "landing":
        return
    sections = {heading: (at, body) for at, heading, body in _sections(lines)}
    if summary.sources < 5:
        yield Problem(name, None, f"this page cites {summary.sources} distinct source(s); {noun} cites at least 5. "
                                  "Support its claims from more of the bibliography.", "warning")
    if kind == "case-study":
        if "Questions for discussion" not in sections:
            yield Problem(name, None, "the case study has no '## Questions for discussion' section. Add at least five questions "
                                      "for a seminar or supervision.", "warning")
        else:
            at, body = sections["Questions for discussion"]
            count = len(_items(body))
            if count < 5:
                yield Problem(name, at, f"the case study has {count} question(s) for discussion; it needs at least 5.", "warning")
        if "Notes for educators" not in sections:
            yield Problem(name, None, "the case study has no '## Notes for educators' section. Say which topic pages each "
                                      "question draws on.", "warning")
        topic_links = {l.split("#")[0] for l in links if re.match(r"^\.\./(?:client|roles|relationship|challenges|approach)/[a-z0-9-]+\.md", l)}
        if len(topic_links) < 3:
            yield Problem(name, None, f"the case study links to {len(topic_links)} topic page(s); it needs at least 3, "
                                      "so readers can follow each step to the page that explains it.", "warning")
        return
    for heading, (low, high, numbered, what) in {
        "Learning outcomes": (2, 4, None, "learning outcomes"),
        "Key points": (4, 6, None, "key points"),
        "Reflective questions": (3, 5, True, "reflective questions"),
        "Further reading": (2, 4, None, "further-reading entries"),
    }.items():
        if heading not in sections:
            continue  # reported by the anatomy check
        at, body = sections[heading]
        count = len(_items(body, numbered))
        if not low <= count <= high:
            kind_of_list = "numbered " if numbered else ""
            yield Problem(name, at, f"'{heading}' has {count} {what}; a topic page has {low} to {high}, as a "
                                      f"{kind_of_list}list.", "warning")
    if "Further reading" in sections:
        for number, _item in _items(sections["Further reading"][1]):
            if not re.search(r"\{\{\s*cite[t]?\s*\(", text.split("\n")[number - 1]):
                yield Problem(name, number, "this further-reading entry is not cited from the bibliography. Name the work with "
                                            "{{ citet(\"key\") }} so that readers get its full reference.", "warning")
    if "Critical perspectives" in sections:
        at, body = sections["Critical perspectives"]
        raw = text.split("\n")
        if not any(re.search(r"\{\{\s*cite[t]?\s*\(", raw[n - 1]) for n, _ in body if n - 1 < len(raw)):
            yield Problem(name, at, "the critical perspectives cite no source. Critiques need their sources like any other "
                                      "claim.", "warning")
