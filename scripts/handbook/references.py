"""The bibliography's data: CSL-JSON (what Zotero exports), its schema, loaded and checked once.

Every problem names the file, the line and the reference, and says what to do.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .bibliography import Bibliography
from .errors import ContentError, Problem
from .formatcache import FormatCache, cache_for
from .schema import plain_errors

__all__ = ["CSL_TYPES", "isbn_is_valid", "load_references"]

CSL_TYPES = [
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "chapter", "dataset", "entry", "entry-dictionary", "entry-encyclopedia", "legal_case",
    "legislation", "manuscript", "paper-conference", "report", "review", "speech", "thesis",
    "webpage", "post-weblog", "standard", "software", "document",
]
_NAME = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "family": {"type": "string", "minLength": 1}, "given": {"type": "string", "minLength": 1},
        "literal": {"type": "string", "minLength": 1}, "non-dropping-particle": {"type": "string"},
        "dropping-particle": {"type": "string"}, "suffix": {"type": "string"},
    },
    "anyOf": [{"required": ["family"]}, {"required": ["literal"]}],
}
_DATE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "date-parts": {
            "type": "array", "minItems": 1, "maxItems": 2,
            "items": {"type": "array", "minItems": 1, "maxItems": 3,
                      "items": {"type": ["integer", "string"], "pattern": r"^\d+$"}},
        },
        "literal": {"type": "string"}, "raw": {"type": "string"}, "season": {"type": ["integer", "string"]},
        "circa": {"type": ["boolean", "string", "integer"]},
    },
}
_TEXT = {"type": ["string", "integer"]}
REFERENCE_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "type", "title"],
        "properties": {
            "id": {"type": "string", "pattern": r"^[a-z][a-z0-9-]*$",
                   "description": "a key of lower-case letters and digits, like 'rogers1957'"},
            "type": {"enum": CSL_TYPES},
            "title": {"type": "string", "minLength": 1},
            "author": {"type": "array", "minItems": 1, "items": _NAME},
            "editor": {"type": "array", "minItems": 1, "items": _NAME},
            "issued": _DATE, "accessed": _DATE,
            "container-title": {"type": "string", "minLength": 1},
            "collection-title": {"type": "string"},
            "publisher": {"type": "string", "minLength": 1}, "publisher-place": {"type": "string"},
            "volume": _TEXT, "issue": _TEXT, "page": _TEXT, "number": _TEXT, "edition": _TEXT,
            "number-of-pages": _TEXT,
            "DOI": {"type": "string"}, "ISBN": {"type": "string"}, "ISSN": {"type": "string"},
            "URL": {"type": "string", "pattern": r"^https?://[^\s\"'<>\\`]+$",
                    "description": "a web address starting with http:// or https://, without spaces, quotation marks or angle brackets"},
            "PMID": _TEXT, "PMCID": _TEXT, "genre": {"type": "string"}, "note": {"type": "string"},
            "language": {"type": "string"}, "abstract": {"type": "string"},
            "custom": {"type": "object", "properties": {"unconfirmed": {"type": "array", "items": {"type": "string"}}}},
        },
    },
}
#: Fields each type must have; a field that could not be confirmed is listed under
#: ``custom.unconfirmed`` instead (and then it is simply left out of the reference).
REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "article-journal": ("author", "container-title", "issued", "volume", "page"),
    "book": ("author|editor", "publisher", "issued"),
    "chapter": ("author", "container-title", "publisher", "issued"),
    "report": ("author", "publisher"),
    "webpage": ("author", "URL"),
    "legislation": ("issued",),
}
_TYPE_WORDS = {"article-journal": "a journal article", "book": "a book", "chapter": "a book chapter",
               "report": "a report", "webpage": "a web page", "legislation": "legislation"}
_DOI = re.compile(r"^10\.\d{4,9}/[^\s\"'<>\\`]+$")


def isbn_is_valid(isbn: str) -> bool:
    """Check an ISBN-10 or ISBN-13 checksum (hyphens and spaces ignored)."""
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


# Loading and validation -------------------------------------------------------------------
def _key_lines(text: str) -> dict[str, int]:
    lines = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = re.search(r'"id"\s*:\s*"([^"]+)"', line)
        if match and match.group(1) not in lines:
            lines[match.group(1)] = number
    return lines


def _field_line(text_lines: list[str], start: int, field_name: str) -> int:
    for number in range(start, min(start + 60, len(text_lines) + 1)):
        if f'"{field_name}"' in text_lines[number - 1]:
            return number
    return start


def _read_json(path: Path, name: str) -> tuple[str, Any]:
    """The file's text and its JSON; a byte-order mark, broken JSON or a field written twice
    in one entry is a problem with its line."""
    raw = path.read_text(encoding="utf-8")
    if raw.startswith("\ufeff"):
        raise ContentError([Problem(name, 1, "starts with an invisible byte-order mark (BOM). Save it as UTF-8 without BOM.")])
    twice: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                twice.append(key)
            seen[key] = value
        return seen

    try:
        data = json.loads(raw, object_pairs_hook=pairs)
    except json.JSONDecodeError as error:
        raise ContentError([Problem(name, error.lineno, f"is not valid JSON: {error.msg}. Check commas and quotes near here.")]) from None
    if twice:
        lines = raw.splitlines()
        problems = []
        for key in dict.fromkeys(twice):
            hits = [n for n, line in enumerate(lines, 1) if f'"{key}"' in line and re.match(rf'\s*"{re.escape(key)}"\s*:', line)]
            problems.append(Problem(name, hits[1] if len(hits) > 1 else None,
                                    f"the field '{key}' is written twice in one entry: readers of the file see the first value "
                                    "but the last one would be published. Keep one."))
        raise ContentError(problems)
    return raw, data


def _schema_problems(data: Any, raw: str, key_lines: dict[str, int], name: str) -> list[Problem]:
    """The schema's complaints, each on the line of the item and field concerned."""
    text_lines = raw.splitlines()

    def item_line(index: int) -> int:
        item = data[index] if isinstance(data, list) and index < len(data) else {}
        return key_lines.get(item.get("id", ""), 1) if isinstance(item, dict) else 1

    def line_of(p: list[Any]) -> int:
        if not p:
            return 1
        start = item_line(p[0])
        return _field_line(text_lines, start, str(p[1])) if len(p) > 1 else start

    def who(index: int) -> str:
        item = data[index] if isinstance(data, list) else {}
        return f"the reference '{item.get('id')}'" if isinstance(item, dict) and item.get("id") else f"reference number {index + 1}"

    if not isinstance(data, list):
        raise ContentError([Problem(name, 1, "must be a list of CSL-JSON items (export it from Zotero as 'CSL JSON').")])
    problems = []
    for line, message in plain_errors(data, REFERENCE_SCHEMA, line_of):
        index = max((i for i in range(len(data)) if item_line(i) <= (line or 1)), default=0)
        problems.append(Problem(name, line, f"{who(index)}: {message}"))
    return problems


def _item_problems(key: str, item: dict[str, Any], line: int, text_lines: list[str], name: str) -> list[Problem]:
    """What one valid item still lacks or gets wrong: required fields, DOI, ISBN, dates."""
    problems = []
    unconfirmed = set((item.get("custom") or {}).get("unconfirmed", []))
    for need in REQUIRED_BY_TYPE.get(item["type"], ()):
        options = need.split("|")
        if not any(o in item for o in options) and not any(o in unconfirmed for o in options):
            wanted = "' or '".join(options)
            problems.append(Problem(name, line, (
                f"the reference '{key}' is {_TYPE_WORDS.get(item['type'], item['type'])} with no '{wanted}'. "
                f"Add it from the publisher's record, or list it under custom.unconfirmed if it could not be confirmed.")))
    if "DOI" in item and not _DOI.match(item["DOI"]):
        problems.append(Problem(name, _field_line(text_lines, line, "DOI"), f"the reference '{key}' has the DOI '{item['DOI']}', which is not of the form 10.NNNN/... (without spaces, quotation marks or angle brackets). Write the DOI alone, without 'https://doi.org/'."))
    if "ISBN" in item:
        for isbn in re.split(r"[,;]\s*", item["ISBN"]):
            if not isbn_is_valid(isbn):
                problems.append(Problem(name, _field_line(text_lines, line, "ISBN"), f"the reference '{key}' has the ISBN '{isbn}', which fails its checksum. Copy it again from the publisher or a library catalogue."))
    for date_field in ("issued", "accessed"):
        for part in (item.get(date_field) or {}).get("date-parts") or []:
            values = [int(p) for p in part]
            if len(values) > 1 and not 1 <= values[1] <= 12 or len(values) > 2 and not 1 <= values[2] <= 31:
                problems.append(Problem(name, _field_line(text_lines, line, date_field), f"the reference '{key}' has an impossible date in '{date_field}': {part}."))
            if not 1500 <= values[0] <= 2100:
                problems.append(Problem(name, _field_line(text_lines, line, date_field), f"the reference '{key}' has the year {values[0]} in '{date_field}', which is not a plausible year."))
    return problems


def load_references(path: Path, display: str | None = None, cache: FormatCache | None = None) -> Bibliography:
    """Load and validate CSL-JSON. Raises :class:`ContentError` naming each item and field."""
    name = display or str(path)
    raw, data = _read_json(path, name)
    key_lines = _key_lines(raw)
    problems = _schema_problems(data, raw, key_lines, name)
    if problems:
        raise ContentError(problems)
    items: dict[str, dict[str, Any]] = {}
    text_lines = raw.splitlines()
    for item in data:
        key = item["id"]
        line = key_lines.get(key, 1)
        if key in items:
            problems.append(Problem(name, line, f"the id '{key}' is used by two references. Give the second a letter: '{key}b'."))
            continue
        items[key] = item
        problems += _item_problems(key, item, line, text_lines, name)
    problems += name_variant_problems(items, key_lines, name)
    if problems:
        raise ContentError(problems)
    return Bibliography(items=items, lines=key_lines, path=name, cache=cache or cache_for(None))


def _initial_letters(given: str) -> list[str]:
    return [part[0].upper() for part in re.split(r"[\s.\-]+", given) if part]


def _compatible(a: str, b: str) -> bool:
    """Given names that could be one person's: the initials of one begin the other's ("C." and "Chris")."""
    short, long_ = sorted((_initial_letters(a), _initial_letters(b)), key=len)
    return bool(short) and long_[: len(short)] == short


def name_variant_problems(items: dict[str, dict[str, Any]], key_lines: dict[str, int], file: str) -> list[Problem]:
    """Two references that write one author two ways: the same family name, compatible initials
    and a different given name ("Trotter, C." and "Trotter, Chris"). APA then adds initials to
    the in-text citation, as it does for different people who share a surname."""
    seen: dict[str, tuple[str, str]] = {}  # family -> (given, key) as first written
    problems: list[Problem] = []
    for key, item in items.items():
        for person in item.get("author", []) + item.get("editor", []):
            family, given = person.get("family", ""), person.get("given", "")
            if not family or not given:
                continue
            first = seen.setdefault(family, (given, key))
            if given.replace(" ", "") != first[0].replace(" ", "") and _compatible(given, first[0]):
                problems.append(Problem(file, key_lines.get(key), (
                    f"the reference '{key}' writes the author '{family}, {given}', and '{first[1]}' writes "
                    f"'{family}, {first[0]}'. If they are one person, write the name the same way in both (the form "
                    f"their publications use): otherwise APA cites them with initials, as two people who share a surname.")))
    return problems


