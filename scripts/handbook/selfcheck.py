"""Self-check questions: the "Check your understanding" section of a topic page.

Each topic page ends its body with three to five questions a student answers to check
their understanding, each followed by its answer in a collapsed box (pymdownx.details:
a ``<details>`` element, so it opens by keyboard and screen reader without JavaScript, and
nothing is recorded). The format is fixed (docs/about/style-guide.md)::

    **1. Which of these is one of the nine areas of wellbeing?**

    - A. ...
    - B. ...

    ??? success "Answer"
        **B.** One sentence of feedback that points back to
        [the section it draws on](#the-sections-anchor).

:func:`self_check_problems` holds a page to it; the books move each answer after the
questions (:mod:`handbook.books.content`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .errors import Problem

__all__ = ["SELF_CHECK_HEADING", "self_check_problems"]

SELF_CHECK_HEADING = "Check your understanding"
#: Whether every topic page must have the section (it does, since release 0.4.0). The rules for a
#: section that is there (3 to 5 questions, each with its answer) apply either way.
SELF_CHECK_REQUIRED = True
#: The sections whose pages (not their landing pages) have self-check questions.
SELF_CHECK_SECTIONS = ("client", "roles", "relationship", "challenges", "approach", "settings", "skills")
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5

_QUESTION = re.compile(r"^\*\*(\d+)\.\s+\S.*\*\*\s*$")
_ANSWER = re.compile(r'^\?\?\?(\+?)\s+(?:([\w-]+)\s+)?"Answer"\s*$')
_ANY_DETAILS = re.compile(r"^\?\?\?\+?\s")
_SAME_PAGE_LINK = re.compile(r"\]\(\s*<?#[\w-]+>?\s*\)")
_HOW = 'a bold numbered line like \'**1. ...?**\', then its answer in a \'??? success "Answer"\' block'


@dataclass
class Question:
    """One question of the section: its number as written, its line, and its answer's."""

    number: int
    line: int
    answer_line: int | None = None
    answer_kind: str = ""       #: the box's type ("success"), empty if none was given
    answer_open: bool = False   #: written ``???+`` (shown open)
    answer_body: list[str] = field(default_factory=list)


def has_self_check(rel: str) -> bool:
    """Whether the page (its path under docs/) is a topic page that has self-check questions."""
    parts = rel.split("/")
    return len(parts) == 2 and parts[0] in SELF_CHECK_SECTIONS and parts[1] != "index.md"


def _section(lines: list[str]) -> tuple[int, int] | None:
    """The heading's index and the index where the section ends (the next ## heading or the end)."""
    start = next((i for i, l in enumerate(lines) if re.match(rf"^##\s+{SELF_CHECK_HEADING}\s*$", l)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^#{1,2}\s", lines[i])), len(lines))
    return start, end


def parse_questions(lines: list[str]) -> tuple[int | None, list[Question], list[int]]:
    """The section's heading line (1-based, None without one), its questions, and the lines of
    answer boxes that follow no question."""
    found = _section(lines)
    if found is None:
        return None, [], []
    start, end = found
    questions: list[Question] = []
    stray: list[int] = []
    i = start + 1
    while i < end:
        line = lines[i]
        question = _QUESTION.match(line)
        answer = _ANSWER.match(line) or (_ANY_DETAILS.match(line) and re.match(r"^\?\?\?", line))
        if question:
            questions.append(Question(int(question.group(1)), i + 1))
        elif answer:
            if not questions or questions[-1].answer_line is not None:
                stray.append(i + 1)
            else:
                q = questions[-1]
                q.answer_line = i + 1
                m = _ANSWER.match(line)
                q.answer_open = bool(m and m.group(1)) or line.startswith("???+")
                q.answer_kind = (m.group(2) or "") if m else "?"
            j = i + 1
            while j < end and (not lines[j].strip() or lines[j].startswith(("    ", "\t"))):
                if questions and questions[-1].answer_line == i + 1 and lines[j].strip():
                    questions[-1].answer_body.append(lines[j])
                j += 1
            i = j
            continue
        i += 1
    return start + 1, questions, stray


def question_count(text: str) -> int:
    """How many self-check questions a page's Markdown has."""
    return len(parse_questions(text.split("\n"))[1])


def self_check_problems(name: str, rel: str, lines: list[str], *, required: bool | None = None) -> Iterator[Problem]:
    """The section's problems, each on its line. ``required`` (default :data:`SELF_CHECK_REQUIRED`):
    whether a topic page without the section is an error."""
    if not has_self_check(rel):
        return
    required = SELF_CHECK_REQUIRED if required is None else required
    heading, questions, stray = parse_questions(lines)
    if heading is None:
        if required:
            before = next((n for n, l in enumerate(lines, 1) if re.match(r"^##\s+Reflective questions\s*$", l)), None)
            yield Problem(name, before, f"the page has no '## {SELF_CHECK_HEADING}' section. Every topic page has "
                                        f"{MIN_QUESTIONS} to {MAX_QUESTIONS} self-check questions between its key points and "
                                        f"its reflective questions, each {_HOW}.")
        return
    if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        yield Problem(name, heading, f"'{SELF_CHECK_HEADING}' has {len(questions)} question(s); a topic page has "
                                     f"{MIN_QUESTIONS} to {MAX_QUESTIONS}, each {_HOW}.")
    for expected, q in enumerate(questions, 1):
        if q.number != expected:
            yield Problem(name, q.line, f"question {expected} is numbered {q.number}. Number the questions 1., 2., 3., ... in order.")
        if q.answer_line is None:
            yield Problem(name, q.line, f"question {q.number} has no answer. Add a '??? success \"Answer\"' block after it, "
                                        "its text indented by four spaces.")
            continue
        if q.answer_open or q.answer_kind != "success":
            yield Problem(name, q.answer_line, f"the answer to question {q.number} must start with the line "
                                               "'??? success \"Answer\"' (closed until the reader opens it).")
        if not q.answer_body:
            yield Problem(name, q.answer_line, f"the answer to question {q.number} is empty. Give the right answer in bold, "
                                               "then one sentence of feedback, indented by four spaces.")
        elif not any(_SAME_PAGE_LINK.search(l) for l in q.answer_body):
            yield Problem(name, q.answer_line, f"the answer to question {q.number} does not point back to the page. Link its "
                                               "feedback to the section it draws on, e.g. [Key points](#key-points).")
    for line in stray:
        yield Problem(name, line, f"this answer box follows no question. Put it right after its question ({_HOW}).")
