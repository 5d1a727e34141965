"""One pass over the Markdown sources: which page uses which term and reference, and where.

Built once per build (never per page) so that the glossary can say where each term
"appears on", the bibliography where each source is "cited on", and error messages can
name the line of a macro call, which Jinja itself does not know.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .files import content_files
from .formatcache import FormatCache, content_key, text_digest
from .pages import split_front_matter
from .safety import PAGE_MACROS, MacroCall, ParsedPage, parse_page, protect_code, unclosed_fence, unsafe_file_name
from .yamlsource import load_yaml

__all__ = ["Call", "UsageIndex", "scan", "blank_front_matter", "read_page", "ref_keys"]

@dataclass(frozen=True)
class Call:
    """One macro call in a source file."""

    path: str        # relative to docs_dir, e.g. "roles/advocacy.md"
    line: int        # 1-based line in the file
    macro: str       # "term", "cite", "citet" or another of safety.PAGE_MACROS
    args: tuple      # the literal arguments


@dataclass
class UsageIndex:
    calls: list[Call] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, int | None, str]] = field(default_factory=list)
    #: Each page's text as read, and its parsed template (reused when the page is rendered).
    sources: dict[str, tuple[str, ParsedPage]] = field(default_factory=dict, repr=False)
    #: Each page's front matter as read (pages whose front matter could be read).
    front: dict[str, object] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.terms_by_page: dict[str, list[str]] = defaultdict(list)
        self.pages_by_term: dict[str, list[str]] = defaultdict(list)
        self.pages_by_ref: dict[str, list[str]] = defaultdict(list)
        self.refs_by_page: dict[str, list[str]] = defaultdict(list)
        self.calls_by_page: dict[str, list[Call]] = defaultdict(list)
        for call in self.calls:
            self.calls_by_page[call.path].append(call)
            if call.macro == "term" and call.args:
                key = str(call.args[0])
                _add(self.terms_by_page[call.path], key)
                _add(self.pages_by_term[key], call.path)
            elif call.macro in ("cite", "citet"):
                for key in ref_keys(call.args):
                    _add(self.pages_by_ref[key], call.path)
                    _add(self.refs_by_page[call.path], key)

    def parsed_body(self, path: str, body: str) -> ParsedPage | None:
        """The parse made by the scan, if ``body`` is the page's text after its front matter."""
        text, parsed = self.sources.get(path, ("", None))
        return parsed if parsed is not None and text.endswith(body) else None


def _add(seq: list[str], item: str) -> None:
    if item not in seq:
        seq.append(item)


def ref_keys(args: tuple) -> list[str]:
    """The citation keys among a cite()/citet() call's arguments (locators left out)."""
    from .bibliography import LOCATOR_RE  # local import keeps this module light

    return [str(a) for a in args if isinstance(a, str) and not LOCATOR_RE.match(a.strip())]


def blank_front_matter(text: str) -> str:
    """The page with its front matter replaced by empty lines, so that line numbers stay the file's."""
    yaml_text, _ = split_front_matter(text)
    if yaml_text is None:
        return text
    head = len("---\n") + len(yaml_text) + len("---")
    return "\n" * text[:head].count("\n") + text[head:]


def read_page(path: Path) -> tuple[str | None, str | None]:
    """(text, None), or (None, why not) for a file that is not UTF-8 text."""
    try:
        return path.read_text(encoding="utf-8"), None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        return None, (f"is not saved as UTF-8 text (line {line} has a byte that is not UTF-8). "
                      "Save it again as UTF-8 in your editor.")


_PARSED: dict[str, ParsedPage] = {}


def _parsed(text: str, kept: FormatCache | None = None, shared: str = "") -> ParsedPage:
    """A page's parsed template with what keeps it from being rendered, kept by its text: `mkdocs serve`
    re-reads only what changed.

    With ``kept`` (the build-check cache), a page read without problems is also kept across builds,
    under a key made from its text, ``shared`` (the package's code) and Jinja's version: reading
    every page with Jinja's lexer was a tenth of a warm build of the handbook. A page with a problem
    is always read afresh, so its lines are always found."""
    parsed = _PARSED.get(text)
    if parsed is not None:
        return parsed
    key = content_key("parsed", shared, jinja2.__version__, text_digest(text)) if kept is not None else ""
    row = kept.get(key) if kept is not None else None
    parsed = _from_row(row) if row is not None else None
    if parsed is None:
        parsed = parse_page(protect_code(blank_front_matter(text)))
        refused = _unrenderable(text)
        if refused:  # never rendered: the page is shown as refused and the line says why
            parsed = ParsedPage(parsed.chunks, parsed.problems + [refused])
        if kept is not None and not parsed.problems:
            kept.put(key, [c if isinstance(c, str) else [c.line, c.name, list(c.args)] for c in parsed.chunks])
    if len(_PARSED) > 4000:
        _PARSED.clear()
    _PARSED[text] = parsed
    return parsed


def _from_row(row: object) -> ParsedPage | None:
    """A kept parse as it was made (None if the row is not one, so the page is read afresh: a damaged
    cache is an empty cache). It holds only what the parser lets through: the handbook's own macros,
    each with a number of arguments it takes."""
    if not isinstance(row, list):
        return None
    chunks: list[str | MacroCall] = []
    for chunk in row:
        if isinstance(chunk, str):
            chunks.append(chunk)
        elif isinstance(chunk, list) and len(chunk) == 3 and isinstance(chunk[0], int) and _a_call(chunk[1], chunk[2]):
            chunks.append(MacroCall(chunk[0], chunk[1], tuple(chunk[2])))
        else:
            return None
    return ParsedPage(chunks, [])


def _a_call(name: object, args: object) -> bool:
    if not (isinstance(name, str) and name in PAGE_MACROS and isinstance(args, list) and all(isinstance(a, str) for a in args)):
        return False
    fewest, most = PAGE_MACROS[name]
    return fewest <= len(args) and (most is None or len(args) <= most)


#: A page longer than this is refused (the longest page is about a tenth of it): split it.
MAX_PAGE_CHARS = 100_000


def _unrenderable(text: str) -> tuple[int | None, str] | None:
    if len(text) > MAX_PAGE_CHARS:
        return None, (f"the page is {len(text):,} characters long; pages longer than {MAX_PAGE_CHARS:,} are refused. "
                      "Split it into pages of a readable length.")
    line = unclosed_fence(text)
    if line is not None:
        return line, ("this code block is never closed. End it with the same fence (``` or ~~~) on a line of its own, "
                      "or remove the fence.")
    return None


def scan(docs_dir: Path, kept: FormatCache | None = None, shared: str = "") -> UsageIndex:
    """Read every Markdown file under ``docs_dir`` once: titles, macro calls, refused template code
    (each page's parse kept in ``kept`` under ``shared`` and its text, when given: see :func:`_parsed`)."""
    calls: list[Call] = []
    titles: dict[str, str] = {}
    problems: list[tuple[str, int | None, str]] = []
    sources: dict[str, tuple[str, ParsedPage]] = {}
    front: dict[str, object] = {}
    for path in content_files(docs_dir):  # never through a symbolic link (handbook.files reports them)
        rel = path.relative_to(docs_dir).as_posix()
        unsafe = unsafe_file_name(rel)
        if unsafe:
            problems.append((rel, None, unsafe))
            continue
        if path.suffix != ".md":
            continue
        text, unreadable = read_page(path)
        if text is None:
            problems.append((rel, None, str(unreadable)))
            continue
        yaml_text, _ = split_front_matter(text)
        if yaml_text is not None:
            try:
                meta = front[rel] = load_yaml(yaml_text)
                meta = meta or {}
                if isinstance(meta, dict) and isinstance(meta.get("title"), str):
                    titles[rel] = meta["title"]
            except Exception:  # reported by the front-matter check
                pass
        if rel not in titles:
            heading = re.search(r"^# (.+)$", text, re.M)
            titles[rel] = heading.group(1).strip() if heading else rel
        parsed = _parsed(text, kept, shared)
        calls += [Call(rel, c.line, c.name, c.args) for c in parsed.calls]
        problems += [(rel, line, message) for line, message in parsed.problems]
        sources[rel] = (text, parsed)
    return UsageIndex(calls=calls, titles=titles, problems=problems, sources=sources, front=front)
