"""Content problems: one exception type, and the one-line messages contributors read.

Every check in the handbook reports a :class:`Problem`: the file, the line where it is
known, and a plain sentence that says what is wrong and how to fix it. Checks collect
problems instead of stopping at the first, so a contributor sees them all at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .config import environment_settings

__all__ = ["BuildStopped", "ContentError", "Problem", "github_annotation", "format_problems"]


@dataclass(frozen=True)
class Problem:
    """One content problem, printed as ``file:line: message``."""

    file: str
    line: int | None
    message: str
    severity: str = "error"  # "error" fails a check; "notice" is advice only

    def __lt__(self, other: Problem) -> bool:
        return self.sort_key() < other.sort_key()

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line or 0, self.message)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return _one_line(f"{where}: {self.message}")


class ContentError(Exception):
    """Raised when content (pages or data files) cannot be used as written.

    Carries every problem found, so the message lists them all, one per line.
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildStopped(Exception):
    """Stops a Zensical build, which cannot fail on a logged warning: the problems are already said."""

    def __init__(self, count: int):
        super().__init__(f"The build stopped: {count} content problem{'s' if count != 1 else ''}, listed above.")


def _one_line(text: str) -> str:
    """Control characters shown, not obeyed: a message is always one line, and no text from a
    page can start a line of its own (where GitHub would read '::warning ...' as a command)."""
    return "".join(ch if ch >= " " else repr(ch)[1:-1] for ch in text).replace("\x7f", "\\x7f")


def _escape_annotation(text: str, *, property_: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_annotation(problem: Problem) -> str:
    """The GitHub Actions workflow command that shows a problem on a pull request's diff."""
    level = {"error": "error", "warning": "warning"}.get(problem.severity, "notice")
    props = f"file={_escape_annotation(problem.file, property_=True)}"
    if problem.line:
        props += f",line={problem.line}"
    return f"::{level} {props}::{_escape_annotation(problem.message)}"


def format_problems(problems: Iterable[Problem], *, github: bool | None = None) -> str:
    """Lines for a terminal; under GitHub Actions, each followed by its annotation."""
    if github is None:
        github = environment_settings().github_actions
    lines = []
    for problem in sorted(problems):
        lines.append(str(problem))
        if github:
            lines.append(github_annotation(problem))
    return "\n".join(lines)
