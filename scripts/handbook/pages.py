"""A page's front matter: its schema, its validation, and the page's own citation data."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from collections.abc import Callable, Collection
from typing import Any

import yaml

from .authors import Author
from .errors import Problem
from .schema import plain_errors
from .yamlsource import LineDict, load_yaml, parse_date, yaml_error_line

__all__ = ["FrontMatter", "split_front_matter", "validate_front_matter", "FRONT_MATTER_SCHEMA"]

DATE_FIELDS = ("created", "reviewed", "next_review")
_DATE = r"^\d{4}-\d{2}-\d{2}$"

#: Plain text for titles, descriptions and keywords: they reach the page's head, the
#: navigation and the cite box through the theme's templates, so no markup and no macros.
_PLAIN = {"pattern": "^[^<>\"`{}\\x00-\\x1f\\x7f]*$",
          "description": "plain text on one line: write quotation marks as “ ” or ‘ ’, and leave out <, >, `, { and }"}

FRONT_MATTER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "description", "authors", "created", "reviewed", "next_review"],
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 90, **_PLAIN},
        "description": {"type": "string", "minLength": 50, "maxLength": 160, **_PLAIN},
        "authors": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
        "created": {"type": "string", "pattern": _DATE},
        "reviewed": {"type": "string", "pattern": _DATE},
        "next_review": {"type": "string", "pattern": _DATE},
        "keywords": {"type": "array", "items": {"type": "string", "minLength": 1, **_PLAIN}},
        # The professional standards the page supports: ids from docs/data/standards.yml.
        "standards": {"type": "array", "uniqueItems": True, "items": {"type": "string", "pattern": "^[a-z0-9][a-z0-9.-]*$",
                                                                      "description": "an id from docs/data/standards.yml, like swe-1.3"}},
        "hide": {"type": "array", "items": {"enum": ["navigation", "toc", "footer", "path", "feedback", "tags"]}},
        "search": {"type": "object", "additionalProperties": False, "properties": {  # Material's per-page search settings
            "boost": {"type": "number", "exclusiveMinimum": 0, "maximum": 10}, "exclude": {"type": "boolean"}}},
    },
}


@dataclass
class FrontMatter:
    """The validated front matter of one page."""

    title: str
    description: str
    authors: list[Author]
    created: dt.date
    reviewed: dt.date
    next_review: dt.date
    keywords: list[str] = field(default_factory=list)
    #: The ids of the professional standards the page supports (docs/data/standards.yml).
    standards: list[str] = field(default_factory=list)


def split_front_matter(text: str) -> tuple[str | None, int]:
    """Return the YAML between the opening and closing ``---`` and the body's first line number."""
    if not text.startswith("---\n"):
        return None, 1
    end = re.search(r"^(---|\.\.\.)\s*$", text[4:], flags=re.M)
    if not end:
        return None, 1
    yaml_text = text[4 : 4 + end.start()]
    return yaml_text, yaml_text.count("\n") + 3


def _as_text(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validate_front_matter(
    path: str, text: str, authors: dict[str, Author], standards: Collection[str] | None = None,
    unknown_standard: Callable[[str], str] | None = None, read: Any = None,
) -> tuple[FrontMatter | None, list[Problem]]:
    """Check a page's front matter. Line numbers count from the top of the file.

    ``standards`` are the known standard ids (None: not checked); ``unknown_standard`` words the
    message for an id that is not one of them. ``read``: the front matter as :func:`load_yaml` has
    already read it from this ``text`` (the build's scan of the pages reads each page once)."""
    if text.startswith("\ufeff"):
        return None, [Problem(path, 1, "starts with an invisible byte-order mark (BOM) before its front matter. Save it as "
                                       "UTF-8 without BOM (most editors call this plain 'UTF-8').")]
    yaml_text, _ = split_front_matter(text)
    if yaml_text is None:
        return None, [Problem(path, 1, "has no front matter. Start the file with a '---' block "
                                       "(copy it from scripts/templates/page.md, or run `python3 dev.py new`).")]
    try:
        data = (read if read is not None else load_yaml(yaml_text)) or LineDict()
    except yaml.YAMLError as error:
        line = yaml_error_line(error)
        return None, [Problem(path, line + 1 if line else 2, f"the front matter is not valid YAML: {getattr(error, 'problem', None) or error}. "
                                                             "If a value contains a colon followed by a space, put the value in double quotes.")]
    if not isinstance(data, LineDict):
        return None, [Problem(path, 2, "the front matter must be a list of 'field: value' lines.")]
    instance = {k: (_as_text(v) if k in DATE_FIELDS else v) for k, v in data.items()}

    def line_of(p: list) -> int:
        return data.line_of(str(p[0])) + 1 if p else 2

    problems: list[Problem] = []
    for line, message in plain_errors(instance, FRONT_MATTER_SCHEMA, line_of):
        unknown = re.match(r"unknown field '([^']+)'", message)
        if unknown and unknown.group(1) in data:  # name the line of the field itself
            line = data.line_of(unknown.group(1)) + 1
        problems.append(Problem(path, line, message))
    # A date that is not a date gets the sentence contributors need, whatever the schema said.
    dates: dict[str, dt.date] = {}
    for name in DATE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        parsed = parse_date(value)
        if parsed is not None:
            dates[name] = parsed
            continue
        problems = [p for p in problems if not (p.line == data.line_of(name) + 1 and f"'{name}'" in p.message)]
        problems.append(Problem(path, data.line_of(name) + 1,
                                f"'{name}' must be a date like 2026-11-23, not '{value}'"
                                + (", which is not on the calendar." if isinstance(value, str) and re.match(_DATE, value) else ".")))
    if {"created", "reviewed"} <= dates.keys() and dates["reviewed"] < dates["created"]:
        problems.append(Problem(path, data.line_of("reviewed") + 1, "'reviewed' is earlier than 'created'. A page is reviewed on or after the day it was first published."))
    if {"reviewed", "next_review"} <= dates.keys() and dates["next_review"] <= dates["reviewed"]:
        problems.append(Problem(path, data.line_of("next_review") + 1, "'next_review' must be after 'reviewed'."))
    page_authors: list[Author] = []
    listed = data.get("authors")
    for name in listed if isinstance(listed, list) else []:
        if not isinstance(name, str):
            continue
        if name in authors:
            page_authors.append(authors[name])
        else:
            known = ", ".join(sorted(authors))
            problems.append(Problem(path, data.line_of("authors") + 1,
                                    f"the author '{name}' is not in docs/data/authors.yml. Add them there first, or use one of: {known}."))
    if standards is not None and isinstance(data.get("standards"), list):
        for standard_id in data["standards"]:
            if isinstance(standard_id, str) and standard_id not in standards:
                message = unknown_standard(standard_id) if unknown_standard else f"unknown standard '{standard_id}'."
                problems.append(Problem(path, _item_line(yaml_text, data, "standards", standard_id), message))
    if problems:
        return None, sorted(problems)
    return FrontMatter(
        title=data["title"], description=data["description"], authors=page_authors,
        created=dates["created"], reviewed=dates["reviewed"], next_review=dates["next_review"],
        keywords=list(data.get("keywords") or []), standards=list(data.get("standards") or []),
    ), []


def _item_line(yaml_text: str, data: LineDict, key: str, value: str) -> int:
    """The file line of one item of a list field: its own line in a block list, else the field's."""
    first = data.line_of(key)  # 1-based in the YAML, which starts on the file's second line
    lines = yaml_text.split("\n")
    for index in range(first, min(first + len(data[key]), len(lines))):
        if re.match(rf"^\s*-\s*['\"]?{re.escape(value)}['\"]?\s*(#.*)?$", lines[index]):
            return index + 2
    return first + 1
