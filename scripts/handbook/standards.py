"""The professional standards pages support, from ``docs/data/standards.yml``.

Two frameworks that social work programmes in England teach to: Social Work England's
professional standards (2019, numbered 1.1, 1.2, ...) and the nine domains of BASW's
Professional Capabilities Framework. A page names the ones it supports in its front
matter (``standards: [swe-1.3, pcf-values-and-ethics]``); the page shows them under its
dates, and the educators' page maps each standard to its pages (:func:`standards_map_html`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Problem
from .text import did_you_mean, esc, relative_url
from .yamlsource import load_data_file

__all__ = [
    "Framework", "Standard", "Standards", "STANDARDS_FILE", "load_standards", "standards_line_html",
    "standards_map_html",
]

STANDARDS_FILE = "data/standards.yml"
#: The educators' page, which shows the map (its anchors are each standard's id).
TEACHING_PAGE = "about/teaching.md"
_ID = r"^[a-z0-9]+(-[a-z0-9.]+)+$"
_TEXT = {"type": "string", "minLength": 1, "maxLength": 120, "pattern": "^[^<>\"`{}\\[\\]\\x00-\\x1f\\x7f]*$",
         "description": "plain text on one line, without < > ` { } [ ] or straight double quotes"}

SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["frameworks", "standards"],
    "properties": {
        "frameworks": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "name", "short", "year", "source"],
            "properties": {"id": {"type": "string", "pattern": "^[a-z]+$"}, "name": _TEXT, "short": _TEXT,
                           "year": {"type": "integer"}, "source": {"type": "string", "pattern": "^https://[^\\s<>\"]+$"}}}},
        "standards": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "framework", "number", "wording"],
            "properties": {"id": {"type": "string", "pattern": _ID, "description": "the framework's id, a hyphen, and the number or name"},
                           "framework": {"type": "string"}, "number": {"type": "string", "pattern": r"^\d+(\.\d+)?$"},
                           "wording": _TEXT}}},
    },
}


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    short: str
    year: int
    source: str


@dataclass(frozen=True)
class Standard:
    id: str
    framework: Framework
    number: str
    wording: str

    @property
    def label(self) -> str:
        """``SWE 1.3`` or ``PCF 2``: how a page names it in a line."""
        return f"{self.framework.short} {self.number}"


@dataclass
class Standards:
    """Every standard by id, in the file's order, and where the file is."""

    path: str
    frameworks: dict[str, Framework]
    items: dict[str, Standard]

    def unknown_message(self, standard_id: str) -> str:
        hint = did_you_mean(standard_id, self.items) or f" Use one of the ids in {self.path}."
        return f"unknown standard '{standard_id}'.{hint}"


def standard_anchor(standard_id: str) -> str:
    """The id of the standard's row on the educators' page: ``swe-1-3`` (no dots in an anchor)."""
    return standard_id.replace(".", "-")


def load_standards(path: Path, display: str | None = None) -> Standards:
    """Load and validate the standards file; raise :class:`ContentError` with every problem."""
    name = display or str(path)
    data, problems = load_data_file(path, name, SCHEMA)
    if problems:
        raise ContentError(problems)
    frameworks = {f["id"]: Framework(f["id"], f["name"], f["short"], f["year"], f["source"]) for f in data["frameworks"]}
    items: dict[str, Standard] = {}
    for entry in data["standards"]:
        framework = frameworks.get(entry["framework"])
        if framework is None:
            problems.append(Problem(name, entry.line_of("framework"), f"the framework '{entry['framework']}' is not one of "
                                                                      f"'frameworks' ({', '.join(frameworks)})."))
            continue
        if not entry["id"].startswith(framework.id + "-"):
            problems.append(Problem(name, entry.line, f"the id '{entry['id']}' must start with its framework's id: '{framework.id}-'."))
        if entry["id"] in items:
            problems.append(Problem(name, entry.line, f"the id '{entry['id']}' is used twice. Give each standard its own id."))
        items[entry["id"]] = Standard(entry["id"], framework, entry["number"], entry["wording"])
    if problems:
        raise ContentError(problems)
    return Standards(name, frameworks, items)


def standards_line_html(standards: Standards, ids: list[str], src: str, *, directory_urls: bool = True) -> str:
    """The line under a page's dates: ``Supports: SWE 1.3, SWE 2.2 · PCF 2 Values and ethics``,
    each linked to its row on the educators' page (where its wording and its other pages are)."""
    known = [standards.items[i] for i in ids if i in standards.items]
    if not known:
        return ""
    groups: dict[str, list[str]] = {}
    for item in known:
        url = (f"#{standard_anchor(item.id)}" if src == TEACHING_PAGE  # the map itself: a link within the page
               else relative_url(src, TEACHING_PAGE, standard_anchor(item.id), directory_urls=directory_urls))
        text = item.label if item.framework.id == "swe" else f"{item.label} {item.wording}"
        groups.setdefault(item.framework.id, []).append(f'<a href="{esc(url)}" title="{esc(item.wording)}">{esc(text)}</a>')
    parts = [", ".join(links) for links in groups.values()]
    return ('<p class="hb-standards" data-search-exclude><span class="hb-label">Supports:</span> '
            + " · ".join(parts) + "</p>")


def standards_map_html(standards: Standards, pages: dict[str, list[str]], titles: dict[str, str], src: str, *,
                       directory_urls: bool = True) -> str:
    """The educators' map: one table per framework, a row per standard with the pages that support it.

    ``pages`` maps each page (its path under docs/, in the navigation's order) to its standards. The
    cells of page titles are left out of search: each page is found by its own title, and the map's
    lists grow with the handbook (at 1,000 pages its section outgrew the size Zensical's search
    index allows one field)."""
    out: list[str] = []
    for framework in standards.frameworks.values():
        rows = []
        for item in (s for s in standards.items.values() if s.framework is framework):
            linked = [p for p, ids in pages.items() if item.id in ids]
            cell = ", ".join(f'<a href="{esc(relative_url(src, p, directory_urls=directory_urls))}">{esc(titles.get(p, p))}</a>'
                             for p in linked) or '<span class="hb-meta">No page yet</span>'
            rows.append(f'<tr id="{esc(standard_anchor(item.id))}"><th scope="row">{esc(item.number)}</th>'
                        f"<td>{esc(item.wording)}</td><td data-search-exclude>{cell}</td></tr>")
        caption = f'<a href="{esc(framework.source)}">{esc(framework.name)}</a> ({framework.year})'
        out.append(f'<table class="hb-standards-map"><caption>{caption}</caption><thead><tr><th scope="col">Number</th>'
                   f'<th scope="col">Standard (short)</th><th scope="col">Pages</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return "\n".join(out)
