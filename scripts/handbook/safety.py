"""Content from strangers: what page text may do, and what HTML may reach readers.

Pages arrive by pull request from people the project does not know. Two rules follow:

* **Pages cannot program.** Page text may call the handbook's own macros with quoted
  text as arguments, and nothing else. Each page is parsed with Jinja's own parser and
  its node tree is checked before anything is rendered (:func:`template_calls`); a page
  that holds anything else is never rendered. Macro syntax inside code is shown as
  written (:func:`protect_code`).
* **Only allowed HTML reaches readers.** The HTML a page produces is passed through
  nh3 (the Ammonia sanitiser) with the tags and attributes the handbook uses and no
  others (:func:`sanitise`); anything it would remove is reported as an error naming
  the file and line (:func:`html_problems`), never stripped in silence.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import jinja2
import nh3
from jinja2 import nodes

from .config import JINJA_COMMENT
from .pagemacros import REGISTRY

__all__ = [
    "PAGE_MACROS", "MacroCall", "ParsedPage", "parse_page", "mask_code", "protect_code", "template_calls",
    "sanitise", "sanitise_and_check", "html_problems", "unsafe_file_name", "SAFE_ID", "url_problem", "unclosed_fence",
    "source_line",
]

#: The macros a page may call: name -> (fewest, most) arguments (None: no limit), from the
#: one registry of page macros (their functions' signatures).
PAGE_MACROS: dict[str, tuple[int, int | None]] = {name: (m.fewest, m.most) for name, m in REGISTRY.items()}
_AS_CODE = "To show macro syntax as an example, put it in backticks."
#: What a macro's text argument may not hold once Jinja has read its escapes (\\n, \\", \\x3c):
#: it becomes Markdown, where a line break starts an attribute list and brackets a link.
_NOT_PLAIN_ARG = re.compile(r'[\x00-\x1f\x7f{}<>"\\`\[\]]')


@dataclass(frozen=True)
class MacroCall:
    """One call of a handbook macro in a page: its line in the file, name and arguments."""

    line: int
    name: str
    args: tuple[str, ...]


# Macro syntax inside code is shown as written --------------------------------------------
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.S)
_FENCE = re.compile(r"^(?P<i>[ \t]*)(?P<f>`{3,}|~{3,})[^\n]*\n.*?^(?P=i)(?P=f)[ \t]*$", re.S | re.M)
_INLINE = re.compile(r"(?P<b>`+)(?!`)[^\n]+?(?<!`)(?P=b)")
_CONTAINER = re.compile(r"^(?:[-*+]|\d+[.)])\s|^(?:!!!|\?\?\?\+?)\s|^\[\^[^\]]+\]:")
_DELIMS = ("{{", "{%", "{#")
_RAW_TAG = re.compile(r"\{%-?\s*(?:end)?raw\b")


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


_FENCE_LINE = re.compile(r"^(?P<i>[ \t]*)(?P<f>`{3,}|~{3,})(?P<rest>[^\n]*)$")


def _fences(text: str) -> list[tuple[int, int]]:
    """Spans of fenced code blocks: an opening fence and the next line with the same indent and
    fence alone. Linear in the page (each opener looks up its closer), so a page of unclosed
    fences cannot stall the build."""
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    matches = [_FENCE_LINE.match(line) for line in lines]
    closers: dict[tuple[str, str], list[int]] = {}
    for index, match in enumerate(matches):
        if match and not match.group("rest").strip():
            closers.setdefault((match.group("i"), match.group("f")), []).append(index)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        match = matches[index]
        if match:
            candidates = closers.get((match.group("i"), match.group("f")), [])
            at = bisect.bisect_right(candidates, index)
            if at < len(candidates):
                end = candidates[at]
                spans.append((offsets[index], offsets[end] + len(lines[end])))
                index = end + 1
                continue
        index += 1
    return spans


def unclosed_fence(text: str) -> int | None:
    """The line of the first code fence that is never closed, if any (such a page is refused:
    Markdown's fenced-code reader takes time with the square of their number)."""
    covered = _fences(text)
    offset = 0
    starts = [start for start, _ in covered]
    for number, line in enumerate(text.split("\n"), 1):
        match = _FENCE_LINE.match(line)
        if match:
            inside = bisect.bisect_right(starts, offset) - 1
            if not (inside >= 0 and covered[inside][0] <= offset < covered[inside][1] + 1):
                return number
        offset += len(line) + 1
    return None


def _indented_code(masked: str) -> list[tuple[int, int]]:
    """Spans of indented code blocks (four spaces after a blank line, outside lists and boxes)."""
    spans: list[tuple[int, int]] = []
    lines = masked.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    container, blank, i = False, True, 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            blank, i = True, i + 1
            continue
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        if indent >= 4 and blank and not container:
            j = last = i
            while j < len(lines) and (not lines[j].strip() or len(lines[j].expandtabs(4)) - len(lines[j].expandtabs(4).lstrip(" ")) >= 4):
                if lines[j].strip():
                    last = j
                j += 1
            spans.append((offsets[i], offsets[last] + len(lines[last])))
            blank, i = False, last + 1
            continue
        if indent == 0:
            container = bool(_CONTAINER.match(line))
        blank, i = False, i + 1
    return spans


def code_spans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(raw blocks, code) as character spans: code is fenced blocks, indented blocks and
    inline code outside raw blocks."""
    masked = text
    raws = [m.span() for m in _RAW.finditer(text)]
    for span in raws:
        masked = _blank(masked, *span)
    spans = _fences(masked)
    for span in spans:
        masked = _blank(masked, *span)
    for span in _indented_code(masked):
        spans.append(span)
        masked = _blank(masked, *span)
    spans += [m.span() for m in _INLINE.finditer(masked)]
    return raws, sorted(spans)


def mask_code(text: str) -> str:
    """Blank out code and raw blocks, keeping every line break (for checks of the prose)."""
    raws, spans = code_spans(text)
    for span in raws + spans:
        text = _blank(text, *span)
    return text


def protect_code(text: str) -> str:
    """Wrap code that holds macro syntax in ``{% raw %}``, so it is shown as written.

    Code that itself contains a raw tag is left alone: the template check then sees it.
    """
    out = text
    for start, end in reversed(code_spans(text)[1]):
        code = text[start:end]
        if any(d in code for d in _DELIMS) and not _RAW_TAG.search(code):
            out = out[:start] + "{% raw %}" + code + "{% endraw %}" + out[end:]
    return out


# Pages cannot program ------------------------------------------------------------------------
# Parses only, never renders; with the comment delimiters mkdocs.yml gives mkdocs-macros ({## ##}, so
# that attr_list's {#id} is not a comment), declared in handbook.config, which configcheck holds mkdocs.yml to.
_ENV = jinja2.Environment(comment_start_string=JINJA_COMMENT[0], comment_end_string=JINJA_COMMENT[1])  # noqa: S701


def _describe(node: nodes.Node) -> str:
    """Plain words for a piece of template code that pages may not hold."""
    if isinstance(node, nodes.Name):
        return f"'{node.name}' is not a macro of the handbook"
    if isinstance(node, nodes.Getattr):
        return f"'.{node.attr}' (reading a property) is not allowed"
    if isinstance(node, nodes.Getitem):
        return "'[...]' (reading an item) is not allowed"
    if isinstance(node, nodes.Filter):
        return f"the filter '| {node.name}' is not allowed"
    if isinstance(node, nodes.Call):
        if isinstance(node.node, nodes.Name):
            return f"'{node.node.name}()' is not a macro of the handbook"
        return "calling anything but the handbook's macros is not allowed"
    if isinstance(node, nodes.Stmt):
        word = {"For": "for", "If": "if", "Assign": "set", "AssignBlock": "set", "Include": "include",
                "Import": "import", "FromImport": "from", "Extends": "extends", "Macro": "macro",
                "CallBlock": "call", "FilterBlock": "filter", "With": "with", "Block": "block"}.get(type(node).__name__)
        return f"the block '{{% {word or type(node).__name__.lower()} %}}' is not allowed"
    if isinstance(node, nodes.Const):
        return "a bare value in {{ }} is not allowed"
    return f"the expression '{type(node).__name__}' is not allowed"


def _locator(text: str) -> bool:
    from .bibliography import LOCATOR_RE  # local import keeps this module light

    return bool(LOCATOR_RE.match(text.strip()))


def _check_call(node: nodes.Call) -> tuple[MacroCall | None, str | None]:
    name = node.node.name  # type: ignore[attr-defined]
    usage = REGISTRY[name].usage
    if node.kwargs or node.dyn_args or node.dyn_kwargs:
        return None, f"{name}() takes its arguments in order, without names: write {usage}."
    if not all(isinstance(a, nodes.Const) and isinstance(a.value, str) for a in node.args):
        return None, f"the arguments of {name}() must be text in double quotes, like {usage}."
    return _check_args(name, tuple(a.value for a in node.args), node.lineno)  # type: ignore[attr-defined]


def _check_args(name: str, args: tuple[str, ...], line: int) -> tuple[MacroCall | None, str | None]:
    """A call of a handbook macro with literal text arguments: the call, or why it is refused."""
    fewest, most = PAGE_MACROS[name]
    usage = REGISTRY[name].usage
    for arg in args:
        if _NOT_PLAIN_ARG.search(arg):
            shown = _NOT_PLAIN_ARG.sub(lambda m: repr(m.group(0))[1:-1] if m.group(0) < " " else m.group(0), arg)[:60]
            return None, (f"the text '{shown}' in {name}() is not plain text on one line: leave out line breaks, "
                          "\\ escapes, straight double quotes and the characters { } < > [ ] ` (write quotation marks as “ ”).")
    if len(args) < fewest:
        return None, f"{name}() needs {REGISTRY[name].needs}: write {usage}."
    if most is not None and len(args) > most:
        if most == 0:
            return None, f"{name}() takes no arguments: write {name}()."
        return None, f"{name}() takes at most {most} arguments; this call has {len(args)}. Write {usage}."
    if name in ("cite", "citet"):
        previous_was_key = False
        for index, arg in enumerate(args):
            if _locator(arg):
                if not previous_was_key:
                    return None, f"the locator '{arg}' must follow the key it belongs to, like {usage}."
                previous_was_key = False
            else:
                if name == "citet" and index > 0:
                    return None, f"citet() names one work; '{arg}' is not a locator like 'p. 96', 'pp. 95-103', 'ch. 3' or 's. 67'."
                previous_was_key = True
    if name == "term" and not args[0].strip():
        return None, f"term() needs a glossary id: write {usage}."
    return MacroCall(line, name, args), None


def _quick_parse(text: str) -> ParsedPage | None:
    """The common case read from Jinja's token stream alone: text, and macro calls with quoted
    arguments. Anything else (or any problem) returns None, and the full parser takes over."""
    try:
        tokens = list(_ENV._tokenize(text, None, None, None))
    except jinja2.TemplateSyntaxError:
        return None
    chunks: list[str | MacroCall] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        if token.type == "data":
            chunks.append(token.value)
            i += 1
            continue
        if token.type != "variable_begin" or i + 3 >= n or tokens[i + 1].type != "name" \
                or tokens[i + 1].value not in PAGE_MACROS or tokens[i + 2].type != "lparen":
            return None
        name, line, args, j = tokens[i + 1].value, tokens[i + 1].lineno, [], i + 3
        while j < n and tokens[j].type == "string":
            args.append(tokens[j].value)
            j += 1
            if j < n and tokens[j].type == "comma":
                j += 1
            elif j < n and tokens[j].type != "rparen":
                return None
        if j + 1 >= n or tokens[j].type != "rparen" or tokens[j + 1].type != "variable_end":
            return None
        call, problem = _check_args(name, tuple(args), line)
        if problem:
            return None
        chunks.append(call)  # type: ignore[arg-type]
        i = j + 2
    return ParsedPage(chunks, [])


@dataclass
class ParsedPage:
    """A page as Jinja reads it: literal text and macro calls in order, and what is refused."""

    chunks: list[str | MacroCall]
    problems: list[tuple[int | None, str]]

    @property
    def calls(self) -> list[MacroCall]:
        return [c for c in self.chunks if isinstance(c, MacroCall)]

    def render(self, macros: dict[str, Any]) -> str:
        """The page with each macro call replaced by what the macro returns (only when nothing was refused)."""
        if self.problems:
            raise ValueError("a page with refused template code is never rendered")
        return "".join(c if isinstance(c, str) else str(macros[c.name](*c.args)) for c in self.chunks)


def parse_page(text: str) -> ParsedPage:
    """Read a page's template text (after :func:`protect_code`) with Jinja's own parser.

    Line numbers are Jinja's, so pass the whole file with its front matter blanked to get
    the file's lines.
    """
    quick = _quick_parse(text)
    if quick is not None:
        return quick
    try:
        tree = _ENV.parse(text)
    except jinja2.TemplateSyntaxError as error:
        return ParsedPage([], [(error.lineno, "the macro syntax on this line cannot be read. Check that every {{ has its }} "
                                              f"and every quotation mark its pair, like {{{{ term(\"empathy\") }}}}. {_AS_CODE}")])
    chunks: list[str | MacroCall] = []
    problems: list[tuple[int | None, str]] = []
    for node in tree.body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    chunks.append(child.data)
                    continue
                if isinstance(child, nodes.Call) and isinstance(child.node, nodes.Name) and child.node.name in PAGE_MACROS:
                    call, problem = _check_call(child)
                    if call:
                        chunks.append(call)
                    else:
                        problems.append((child.lineno, str(problem)))
                    continue
                problems.append((child.lineno, f"{_describe(child)}: pages may only use the handbook's macros "
                                               f"with quoted text, like {{{{ term(\"empathy\") }}}}. {_AS_CODE}"))
        else:
            problems.append((node.lineno, f"{_describe(node)}: pages cannot contain template code. {_AS_CODE}"))
    return ParsedPage(chunks, problems)


def template_calls(text: str) -> tuple[list[MacroCall], list[tuple[int | None, str]]]:
    """The handbook macro calls in a page's template text, and every piece of it that is refused."""
    parsed = parse_page(text)
    return parsed.calls, parsed.problems


# Only allowed HTML reaches readers ---------------------------------------------------------------
# data-search-exclude: Material's search leaves the element out of its index (dates, reference lists).
_GLOBAL_ATTRS = {"id", "class", "title", "lang", "dir", "role", "hidden", "tabindex", "data-search-exclude"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "download", "data-term", "data-cite"},
    "abbr": set(), "b": set(), "blockquote": set(), "br": set(), "caption": set(), "cite": set(),
    "code": set(), "dd": set(), "del": set(), "details": {"open"}, "dfn": set(),
    "div": set(), "dl": set(), "dt": set(), "em": set(), "figcaption": set(),
    "figure": set(), "h1": set(), "h2": set(), "h3": set(), "h4": set(), "h5": set(), "h6": set(),
    "hr": set(), "i": set(), "img": {"src", "alt", "width", "height", "loading"}, "ins": set(),
    "kbd": set(), "li": {"value"}, "mark": set(), "nav": set(), "ol": {"start", "reversed"}, "p": set(),
    "pre": set(), "q": set(), "s": set(), "small": set(), "span": {"style"}, "strong": set(),
    "sub": set(), "summary": set(), "sup": set(), "table": set(), "tbody": set(),
    "td": {"style", "colspan", "rowspan", "align"}, "tfoot": set(),
    "th": {"style", "colspan", "rowspan", "align", "scope"}, "thead": set(), "time": {"datetime"},
    "tr": set(), "u": set(), "ul": set(),
}
#: Style properties the handbook's own output uses (table alignment, citeproc's small capitals).
STYLE_PROPERTIES = {"text-align", "font-variant"}
URL_SCHEMES = {"http", "https", "mailto"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "cite", "background"}


def _policy_attributes() -> dict[str, set[str]]:
    return {tag: attrs | _GLOBAL_ATTRS for tag, attrs in ALLOWED_ATTRIBUTES.items()}


def sanitise(markup: str) -> str:
    """The HTML with every tag, attribute and address the handbook does not allow removed."""
    return nh3.clean(markup, tags=set(ALLOWED_ATTRIBUTES), attributes=_policy_attributes(),
                     generic_attribute_prefixes={"aria-"}, url_schemes=URL_SCHEMES, link_rel=None,
                     filter_style_properties=STYLE_PROPERTIES, strip_comments=True)


_TAG_NAMES = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9:-]*)")
_OPEN_TAGS = re.compile(r"<[a-zA-Z][^>]*>")
_ATTR_NAMES = re.compile(r"[\s/\"']([a-zA-Z_:@][-\w:.@]*)")
_STYLE_PROPS = re.compile(r"([a-zA-Z-]+)\s*:")
_SCHEMES = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*)\s*:")


def _allow_everything_seen(markup: str) -> str:
    """nh3 with a policy that allows every tag, attribute, scheme and style it can see in ``markup``."""
    tags = {t.lower() for t in _TAG_NAMES.findall(markup)} - {"script", "style"}
    opening = " ".join(_OPEN_TAGS.findall(html.unescape(markup)))  # what attributes and addresses can hide in
    attrs = {a.lower() for a in _ATTR_NAMES.findall(opening)}
    schemes = {s.lower() for s in _SCHEMES.findall(opening)} | URL_SCHEMES
    props = {p.lower() for p in _STYLE_PROPS.findall(opening)} | STYLE_PROPERTIES
    # (a <style> element is left out: Ammonia cannot filter style properties and keep stylesheets)
    return nh3.clean(markup, tags=tags | {"script"}, clean_content_tags=set(), attributes={"*": attrs},
                     url_schemes=schemes, link_rel=None, strip_comments=True, filter_style_properties=props)


_TAG_PARTS = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'=<>`]+))?)*)\s*/?>")
_ATTR_PARTS = re.compile(r"\s+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")


def _plainly_allowed(markup: str) -> bool:
    """A quick look that shows most pages need no second opinion: every opening tag is well
    formed and uses only allowed tags, attributes, addresses and styles. When in doubt, False."""
    if markup.count("<") != markup.count("<!--") + len(_TAG_NAMES.findall(markup)):
        return False  # something that is not a plain tag
    return all(_tag_plainly_allowed(tag) for tag in dict.fromkeys(_OPEN_TAGS.findall(markup)))


@functools.lru_cache(maxsize=65536)
def _tag_plainly_allowed(opening: str) -> bool:
    """One opening tag, as :func:`_plainly_allowed` looks at it (kept by its text: a page repeats its tags)."""
    parts = _TAG_PARTS.fullmatch(opening)
    if parts is None:
        return False
    tag = parts.group(1).lower()
    allowed = ALLOWED_ATTRIBUTES.get(tag)
    if allowed is None:
        return False
    for name, *values in _ATTR_PARTS.findall(parts.group(2)):
        name = name.lower()
        value = next((v for v in values if v), "")
        if not (name in allowed or name in _GLOBAL_ATTRS or name.startswith("aria-")):
            return False
        if name in _URL_ATTRS and url_problem(value):
            return False
        if name == "style" and {p.split(":")[0].strip().lower() for p in value.split(";") if ":" in p} - STYLE_PROPERTIES:
            return False
    return True


class _Finder(HTMLParser):
    """Names what the allow-list refuses, in document order (the slow path, on refusal only)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (message, what to look for in the source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_ATTRIBUTES:
            self.found.append((f"the HTML element <{tag}> is not allowed in a page: it could run code or change the page "
                               f"in readers' browsers. Remove it; ask a maintainer if the page needs a feature.", f"<{tag}"))
            return
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((f"the HTML attribute '{name}' is not allowed: it runs code in readers' browsers. Remove it.", name))
            elif name not in ALLOWED_ATTRIBUTES[tag] and name not in _GLOBAL_ATTRS and not name.startswith("aria-"):
                self.found.append((f"the HTML attribute '{name}' is not allowed on <{tag}>. Remove it: the handbook's "
                                   f"look and behaviour come from its own style sheet and scripts.",
                                   value.strip() if name == "style" and value else name))
            elif name in _URL_ATTRS and value:
                problem = url_problem(value)
                if problem:
                    self.found.append((problem, _scheme_of(value) or value))
            elif name == "style" and value:
                props = {p.split(":")[0].strip().lower() for p in value.split(";") if ":" in p}
                if props - STYLE_PROPERTIES:
                    self.found.append((f"the style '{value.strip()}' is not allowed. Remove it: the handbook's look comes from its style sheet.", value.strip()))

    handle_startendtag = handle_starttag


def _scheme_of(url: str) -> str | None:
    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(url))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def url_problem(url: str) -> str | None:
    """Why an address may not be used in a page, or None if it may."""
    scheme = _scheme_of(url)
    if scheme is None or scheme in URL_SCHEMES:
        return None
    if scheme in ("javascript", "vbscript"):
        return f"a '{scheme}:' link is not allowed: it runs code in readers' browsers. Link to a page or web address instead."
    if scheme == "data":
        return "a 'data:' address is not allowed in a page: it can carry code or hidden content. Link to a page or a file in docs/ instead."
    return f"the address scheme '{scheme}:' is not allowed. Link to a page of the handbook, an http(s) address or a mailto: address."


def sanitise_and_check(markup: str) -> tuple[str, list[tuple[str, str]]]:
    """The HTML through the allow-list, and what it removed or must not keep: (message, text to
    find it by in the source).

    The check compares nh3's output under the allow-list with its output under a policy
    that allows everything present; only HTML that differs is read again to name each problem.
    Then the names the theme and the handbook's own interface rely on are checked
    (:func:`interface_problems`), and addresses of other hosts in images.
    """
    if "<" not in markup:  # no tags, nothing to remove (most headings and titles)
        return markup, []
    clean = sanitise(markup)
    if _plainly_allowed(markup) or clean == _allow_everything_seen(markup):
        return clean, interface_problems(clean)
    finder = _Finder()
    finder.feed(markup)
    finder.close()
    found = list(dict.fromkeys(finder.found))
    return clean, (found or [("the page contains HTML that the handbook does not allow. Remove the raw HTML from this page, "
                              "or ask a maintainer.", "<")]) + interface_problems(clean)


#: An id or class name the theme repeats (table of contents, navigation, search) must be plain.
SAFE_ID = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9_.-]*|_\d+)$")  # _1, _2: Python-Markdown's ids for empty headings
SAFE_CLASS = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_ID_ATTR = re.compile(r"<[a-zA-Z][^>]*?\sid=\"([^\"]*)\"")
_CLASS_ATTR = re.compile(r"<[a-zA-Z][^>]*?\sclass=\"([^\"]*)\"")
_IMG_SRC = re.compile(r"<img\s[^>]*?\bsrc=\"([^\"]*)\"")


def interface_problems(clean: str) -> list[tuple[str, str]]:
    """What in a page's (sanitised) HTML would break the page's own interface or reach another host.

    * ids: plain (:data:`SAFE_ID`: the theme prints them unescaped in the table of contents),
      never the theme's (``__config``, ``__search``: ``__`` first) or the handbook's own
      (``hb-``, except the definitions the handbook appends, ``hb-def-<term>``), never twice;
    * classes: plain, never the theme's own (``md-``), which could cover the page;
    * images: files of the handbook, never another host (the site makes no third-party request).
    """
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in _ID_ATTR.findall(clean):
        value = html.unescape(raw)
        if value.startswith("_") and not re.fullmatch(r"_\d+", value):
            found.append((f"the id '{value}' belongs to the theme (its settings and menus use ids starting with '_'). "
                          "Choose another id.", value))
        elif not SAFE_ID.match(value):
            found.append((f"the id '{value}' may hold only letters, digits, hyphens, underscores and dots, starting with a "
                          "letter or digit: the theme repeats ids in the table of contents. Write it plainly, e.g. "
                          f"'{re.sub(r'[^A-Za-z0-9_.-]+', '-', value).strip('-_.') or 'section'}'.", value))
        elif value.startswith("hb-") and not value.startswith("hb-def-"):
            found.append((f"the id '{value}' belongs to the handbook's own interface (the cite box, the definitions). "
                          "Choose another id.", value))
        elif value in seen:
            found.append((f"the id '{value}' is given to two elements of this page (here and further down): links and "
                          "the page's scripts would find the wrong one. Give each its own id.", value))
        seen.add(value)
    for raw in _CLASS_ATTR.findall(clean):
        for name in html.unescape(raw).split():
            if not SAFE_CLASS.match(name) or name.startswith("md-"):
                found.append((f"the class '{name}' is not allowed: classes starting 'md-' are the theme's own and can draw "
                              "over the page. Remove it: the handbook's look comes from its style sheet.", name))
    for raw in _IMG_SRC.findall(clean):
        src = html.unescape(raw).strip()
        if re.match(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)", src):
            found.append((f"the image '{src[:80]}' is on another host: the handbook makes no request to other sites, so "
                          "readers' visits are not seen by them. Save the image under docs/assets/ and link to the file.", src))
    return list(dict.fromkeys(found))


def html_problems(markup: str) -> list[tuple[str, str]]:
    """What the allow-list would remove from ``markup`` (see :func:`sanitise_and_check`)."""
    return sanitise_and_check(markup)[1]


def source_line(source: str, needle: str) -> int | None:
    """The first line of the Markdown source that mentions ``needle`` (case-insensitive)."""
    low = needle.lower()
    for number, line in enumerate(source.split("\n"), 1):
        text = line.lower()
        if low in text or low in html.unescape(text):
            return number
    return None


# File names --------------------------------------------------------------------------------------
_SAFE_PART = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9]+)*$")


def unsafe_file_name(rel: str) -> str | None:
    """Why a file name under docs/ is refused, or None. Names end up in addresses and pages."""
    for part in rel.split("/"):
        if not _SAFE_PART.match(part):
            suggestion = re.sub(r"[^a-z0-9.]+", "-", part.lower()).strip("-.") or "page"
            return (f"the name '{part}' may contain only lower-case letters, digits, hyphens and a dot before the "
                    f"extension, because it becomes part of the page's address. Rename it, e.g. '{suggestion}'.")
    return None
