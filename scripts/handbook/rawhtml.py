"""HTML the handbook's own macros make, kept out of Markdown's parsers.

An in-text citation is a link the macro writes in full (:func:`handbook.render.cite_html`).
Left in the page's Markdown, every tag of it is walked by MkDocs' reader of anchors, by
Python-Markdown's HTML-block reader and by its inline HTML pattern, for nothing: none of them
changes it. So the macro hands Markdown a marker instead (:func:`keep`), and the handbook's
Markdown extension puts the HTML back (:func:`restore`) after Markdown's own raw HTML and before
the page's HTML is sanitised as a whole, so nothing skips the allow-list. A marker holds a number
drawn at random for the process, so page text cannot name one; it is letters and digits only, so
Markdown reads it as a plain word wherever it stands. The same HTML keeps the same marker, so
what is kept grows with the distinct citations, not with the pages.

A whole block a macro makes (the glossary, the bibliography, the educators' map) is kept the same
way (:func:`keep_block`), and so is the reference list appended to a page: where it stands as a
block of its own, the Markdown extension shows MkDocs' reader of anchors only its ids
(:func:`anchor_skeleton`) and stores it as raw HTML, as the HTML-block reader would, without either
walking its thousands of tags; anywhere else it is put back as it was before Markdown reads on.
"""

from __future__ import annotations

import functools
import html
import re
import secrets
import threading

__all__ = ["keep", "keep_block", "kept_block", "anchor_skeleton", "restore", "restore_blocks", "Later", "LATER", "put_back"]

_NONCE = secrets.token_hex(8)
_MARKER = re.compile(f"hb(?:raw|block){_NONCE}x(\\d+)y")
_BLOCK = re.compile(f"hbblock{_NONCE}x(\\d+)y")
_KEPT: list[str] = []
_MARKERS: dict[str, str] = {}
_LOCK = threading.Lock()  # Zensical renders pages in parallel


def keep(markup: str, kind: str = "raw") -> str:
    """A marker that :func:`restore` turns back into ``markup`` (HTML the handbook made)."""
    with _LOCK:
        marker = _MARKERS.get(kind + markup)
        if marker is None:
            _KEPT.append(markup)
            marker = _MARKERS[kind + markup] = f"hb{kind}{_NONCE}x{len(_KEPT) - 1}y"
    return marker


def keep_block(markup: str) -> str:
    """A marker for a whole block of HTML the handbook made (see the module's docstring)."""
    return keep(markup, "block") if markup else ""


def kept_block(text: str) -> str | None:
    """The HTML a block marker stands for, when ``text`` is (starts with) one; else None."""
    match = _BLOCK.match(text)
    return _KEPT[int(match.group(1))] if match and int(match.group(1)) < len(_KEPT) else None


_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>")
_ANCHOR_ATTR = re.compile(r"\s(id|name)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)  # a reference list is often the same on several pages
def anchor_skeleton(markup: str) -> str | None:
    """The ids (and ``<a name>``) that MkDocs' reader of anchors finds in ``markup``, as one empty element
    that gives it exactly those (its reader takes every attribute of a tag, each ``id`` repeated too, and
    one tag costs it far less than hundreds); None where a quick reading could not be sure (a comment, a
    script, a tag it cannot read), and then the HTML itself must be read."""
    if "<!--" in markup or re.search(r"<(?:script|style)\b", markup, re.IGNORECASE):
        return None
    tags = _TAG.findall(markup)  # read once: (name, attributes)
    if markup.count("<") != len(tags) + markup.count("</"):
        return None
    out = []
    for name, attrs in tags:
        if "id" not in attrs.lower() and "name" not in attrs.lower():
            continue
        for attr in _ANCHOR_ATTR.finditer(attrs):
            if attr.group(1).lower() == "id" or name.lower() == "a":
                value = html.unescape(next(v for v in attr.groups()[1:] if v is not None))
                out.append(f'{attr.group(1).lower()}="{html.escape(value)}"')
    return f'<a {" ".join(out)}></a>' if out else ""


def _kept_for(marker: re.Match[str]) -> str:
    """The HTML a marker stands for (a marker this process never made stays as it is)."""
    number = int(marker.group(1))
    return _KEPT[number] if number < len(_KEPT) else marker.group(0)


def restore(text: str) -> str:
    """``text`` with every marker replaced by the HTML it stands for."""
    if _NONCE not in text:
        return text
    return _MARKER.sub(_kept_for, text)


def restore_blocks(text: str) -> str:
    """``text`` with every block marker replaced by the HTML it stands for (citations stay markers)."""
    if "hbblock" not in text:
        return text
    return _BLOCK.sub(_kept_for, text)


#: Where a piece of a page's HTML kept for the template stands in ``page.content`` (:class:`Later`): a comment,
#: which Material's search plugin skips, with the process's random number, which no page can name.
LATER = f"<!--hblater{_NONCE}x"
#: The handbook's own blocks that search must not index (the dates under a title, "Cited on", "Appears on", ...).
_EXCLUDED = re.compile(r'<(div|p|span) class="hb-[^"]*"[^>]*\sdata-search-exclude=""[^>]*>')


class Later:
    """Pieces of a page's finished HTML that Material's search plugin need not walk, each left in
    ``page.content`` as a marker; the page's template puts them back where they stood
    (``page.meta.hb.later``, overrides/main.html, as :func:`put_back` does), so readers get the page
    byte for byte as before. The search plugin reads every tag of a page, also inside a block it
    skips: a figure's drawing (its labels are all in the long description, which is indexed) and the
    handbook's blocks marked ``data-search-exclude`` were a third of the tags it read."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def keep(self, markup: str) -> str:
        self.parts.append(markup)
        return f"{LATER}{len(self.parts) - 1}-->"

    def excluded_apart(self, page_html: str) -> str:
        """``page_html`` with the handbook's search-excluded blocks kept apart. Only a block that holds
        tags alone (no comment, no ``<`` in a value) and no heading: a heading starts a section of the
        index even inside a skipped block, so one kept apart would change what is indexed."""
        out: list[str] = []
        position = 0
        for match in _EXCLUDED.finditer(page_html):
            if match.start() < position:
                continue
            end = _element_end(page_html, match.start(), match.group(1))
            piece = page_html[match.start():end] if end > 0 else ""
            if not piece or re.search(r"<h[1-6]\b|<!--", piece) or \
                    piece.count("<") != len(_TAG.findall(piece)) + piece.count("</"):
                continue
            out += [page_html[position:match.start()], self.keep(piece)]
            position = end
        return "".join(out) + page_html[position:] if out else page_html

    def meta(self) -> dict[str, object]:
        return {"marker": LATER, "parts": self.parts}


def _element_end(markup: str, start: int, tag: str) -> int:
    """Where the element of ``tag`` opened at ``start`` ends (after its end tag); -1 if it does not."""
    depth = 0
    for match in _TAGS_OF[tag].finditer(markup, start):
        depth += -1 if match.group(0).startswith("</") else 1
        if depth == 0:
            return match.end()
    return -1


_TAGS_OF = {tag: re.compile(rf"<{tag}\b[^>]*>|</{tag}>") for tag in ("div", "p", "span")}


def put_back(content: str, later: dict[str, object] | None) -> str:
    """``content`` with the pieces :class:`Later` kept apart back in place, as the template puts them back."""
    if not later:
        return content
    parts = later["parts"]
    assert isinstance(parts, list)
    pieces = content.split(str(later["marker"]))
    out = [pieces[0]]
    for piece in pieces[1:]:
        number, _, rest = piece.partition("-->")
        out += [parts[int(number)], rest]
    return "".join(out)
