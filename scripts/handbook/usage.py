"""One pass over the Markdown sources: which page uses which term and reference, and where.

Built once per build (never per page) so that the glossary can say where each term
"appears on", the bibliography where each source is "cited on", and error messages can
name the line of a macro call, which Jinja itself does not know.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .pages import split_front_matter
from .yamlsource import load_yaml

__all__ = ["Call", "UsageIndex", "scan", "mask_code"]

CALL_RE = re.compile(r"\{\{-?\s*(term|cite|citet)\s*\((.*?)\)\s*-?\}\}", re.S)
_FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=indent)(?P=fence)[ \t]*$", re.S | re.M)
_RAW_RE = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.S)
_INLINE_CODE_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1")


@dataclass(frozen=True)
class Call:
    """One macro call in a source file."""

    path: str        # relative to docs_dir, e.g. "roles/advocacy.md"
    line: int        # 1-based line in the file
    macro: str       # "term", "cite" or "citet"
    args: tuple      # the literal arguments


@dataclass
class UsageIndex:
    calls: list[Call] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.terms_by_page: dict[str, list[str]] = defaultdict(list)
        self.pages_by_term: dict[str, list[str]] = defaultdict(list)
        self.pages_by_ref: dict[str, list[str]] = defaultdict(list)
        self.refs_by_page: dict[str, list[str]] = defaultdict(list)
        for call in self.calls:
            if call.macro == "term" and call.args:
                key = str(call.args[0])
                _add(self.terms_by_page[call.path], key)
                _add(self.pages_by_term[key], call.path)
            elif call.macro in ("cite", "citet"):
                for key in ref_keys(call.args):
                    _add(self.pages_by_ref[key], call.path)
                    _add(self.refs_by_page[call.path], key)

    def line_of(self, path: str, macro: str, key: str) -> int | None:
        """The first line of ``path`` where ``macro`` is called with ``key``."""
        macros = ("cite", "citet") if macro in ("cite", "citet") else (macro,)
        for call in self.calls:
            if call.path == path and call.macro in macros and key in [str(a) for a in call.args]:
                return call.line
        return None


def _add(seq: list[str], item: str) -> None:
    if item not in seq:
        seq.append(item)


def ref_keys(args: tuple) -> list[str]:
    """The citation keys among a cite()/citet() call's arguments (locators left out)."""
    from .bibliography import LOCATOR_RE  # local import keeps this module light

    return [str(a) for a in args if isinstance(a, str) and not LOCATOR_RE.match(a.strip())]


def mask_code(text: str) -> str:
    """Blank out fenced code, inline code and {% raw %} blocks, keeping every line break."""
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))
    text = _RAW_RE.sub(blank, text)
    text = _FENCE_RE.sub(blank, text)
    return _INLINE_CODE_RE.sub(blank, text)


def scan(docs_dir: Path) -> UsageIndex:
    """Read every Markdown file under ``docs_dir`` once."""
    calls: list[Call] = []
    titles: dict[str, str] = {}
    problems: list[tuple[str, int, str]] = []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        text = path.read_text(encoding="utf-8")
        yaml_text, _ = split_front_matter(text)
        if yaml_text is not None:
            try:
                meta = load_yaml(yaml_text) or {}
                if isinstance(meta, dict) and isinstance(meta.get("title"), str):
                    titles[rel] = meta["title"]
            except Exception:  # reported by the front-matter check
                pass
        if rel not in titles:
            heading = re.search(r"^# (.+)$", text, re.M)
            titles[rel] = heading.group(1).strip() if heading else rel
        masked = mask_code(text)
        for match in CALL_RE.finditer(masked):
            line = masked.count("\n", 0, match.start()) + 1
            try:
                args = ast.literal_eval("(" + match.group(2) + ",)") if match.group(2).strip() else ()
            except (ValueError, SyntaxError):
                problems.append((rel, line, f"the macro call {match.group(0)!r} has arguments that are not plain quoted text."))
                continue
            if not isinstance(args, tuple):
                args = (args,)
            calls.append(Call(rel, line, match.group(1), tuple(args)))
    return UsageIndex(calls=calls, titles=titles, problems=problems)
