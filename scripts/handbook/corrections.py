"""Corrections that stick: a fact corrected once is refused wherever it is written again.

Each correction in ``docs/data/corrections.yml`` records the wrong statement (a regular
expression), the right one, the source that settles it (a reference key) and the release
that made it. The page check and the strict build both run :func:`correction_problems`
over every page's prose, so an error that a release removed cannot come back on a page
written later. The data file is published with the site, like the glossary: readers can
see what the handbook has corrected.

How a ``wrong`` pattern is read:

* case does not matter, and a space matches any run of spaces or a line break, so a
  statement is found when the page wraps it over two lines;
* ``near: <key>`` limits the rule to paragraphs that cite that reference (a count of
  councils is wrong about Smith et al. 2012, not about every study);
* the changelog may quote a corrected statement, in quotation marks, to say what was
  corrected; anywhere else, quotation marks do not make a wrong statement right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable, Iterator

from .errors import Problem
from .schema import SLUG_ID
from .yamlsource import load_data_file

__all__ = ["Correction", "load_corrections", "correction_problems", "CORRECTIONS_FILE"]

#: Where the corrections live, under docs/.
CORRECTIONS_FILE = "data/corrections.yml"
#: Pages that may quote a corrected statement (in quotation marks) to record the correction.
QUOTABLE_IN = {"about/changelog.md"}

SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "wrong", "right", "source", "release"],
        "properties": {
            "id": SLUG_ID,
            "wrong": {"type": "string", "minLength": 3},
            "right": {"type": "string", "minLength": 3},
            "source": {"type": "string", "minLength": 1},
            "release": {"type": "string", "pattern": r"^(\d+\.\d+\.\d+|unreleased)$",
                        "description": "a version like 0.2.0, or unreleased"},
            "near": {"type": "string", "minLength": 1},
            "note": {"type": "string"},
        },
    },
}

_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")


@dataclass(frozen=True)
class Correction:
    """One corrected fact: what may not be written again, and what is right."""

    id: str
    pattern: re.Pattern[str]
    right: str
    source: str
    release: str
    near: str | None = None
    line: int = 0

    def message(self, found: str) -> str:
        """What a contributor reads when a page repeats the corrected statement."""
        found = " ".join(found.split())
        when = "for the next release" if self.release == "unreleased" else f"in {self.release}"
        return (f"'{found}' repeats a statement the handbook has corrected (corrected {when}: "
                f"{self.right} Source: {self.source}). Rewrite the sentence; the correction is "
                f"'{self.id}' in docs/{CORRECTIONS_FILE}.")


def _compile(wrong: str) -> re.Pattern[str]:
    """A space in the pattern matches any whitespace, line breaks included."""
    return re.compile(re.sub(r" +", r"\\s+", wrong), re.I)


def load_corrections(path: Path, reference_ids: set[str], display: str | None = None) -> tuple[list[Correction], list[Problem]]:
    """Read and check the corrections file: every problem, each with its line."""
    name = display or str(path)
    if not path.exists():
        return [], []
    data, problems = load_data_file(path, name, SCHEMA, empty=[])
    if problems:
        return [], problems
    corrections: list[Correction] = []
    seen: set[str] = set()
    for entry in data:
        if entry["id"] in seen:
            problems.append(Problem(name, entry.line, f"the id '{entry['id']}' is used twice. Give each correction its own id."))
        seen.add(entry["id"])
        for field in ("source", "near"):
            key = entry.get(field)
            if key is not None and reference_ids and key not in reference_ids:
                problems.append(Problem(name, entry.line_of(field), f"'{key}' is not a key in docs/data/references.json. "
                                                                    f"Name the source that settles the correction."))
        try:
            pattern = _compile(entry["wrong"])
        except re.error as error:
            problems.append(Problem(name, entry.line_of("wrong"), f"'wrong' is not a valid regular expression: {error}."))
            continue
        if pattern.search("") is not None:
            problems.append(Problem(name, entry.line_of("wrong"), "'wrong' matches empty text, so it would match every page."))
            continue
        corrections.append(Correction(entry["id"], pattern, " ".join(entry["right"].split()), entry["source"],
                                      entry["release"], entry.get("near"), entry.line))
    return corrections, problems


def _paragraph(lines: list[str], line: int) -> range:
    """The lines (1-based) of the paragraph around ``line``: up to the blank lines either side."""
    start = line
    while start > 1 and lines[start - 2].strip():
        start -= 1
    end = line
    while end < len(lines) and lines[end].strip():
        end += 1
    return range(start, end + 1)


def correction_problems(name: str, rel: str, lines: list[str], cited: Iterable[tuple[int, str]],
                        corrections: list[Correction]) -> Iterator[Problem]:
    """Each place a page repeats a corrected statement.

    ``lines`` is the page's prose with code and macros blanked (line numbers kept);
    ``cited`` gives each citation on the page as (line, reference key)."""
    if not corrections:
        return
    text = "\n".join(lines)
    starts = [0]
    for text_line in lines:
        starts.append(starts[-1] + len(text_line) + 1)
    quotes = [m.span() for m in _QUOTED.finditer(text)] if rel in QUOTABLE_IN else []
    cites = list(cited)
    for correction in corrections:
        for match in correction.pattern.finditer(text):
            line = next(n for n in range(len(lines), 0, -1) if starts[n - 1] <= match.start())
            if any(a <= match.start() and match.end() <= b for a, b in quotes):
                continue  # the changelog quoting what it corrected
            if correction.near is not None:
                paragraph = _paragraph(lines, line)
                if not any(key == correction.near and n in paragraph for n, key in cites):
                    continue
            yield Problem(name, line, correction.message(match.group(0)))
