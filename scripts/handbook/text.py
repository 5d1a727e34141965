"""Small helpers shared by the modules: URLs between pages, suggestions, HTML escaping."""

from __future__ import annotations

import difflib
import functools
import html
import re
import posixpath
from collections.abc import Iterable

__all__ = ["url_for", "relative_url", "did_you_mean", "esc", "inert_markdown", "plain_text"]


def esc(text: str) -> str:
    """Escape text for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


_MD_SPECIAL = {"[": "&#91;", "]": "&#93;", "*": "&#42;", "_": "&#95;", "`": "&#96;", "\\": "&#92;", "!": "&#33;"}
_MD_SPECIAL_RE = re.compile(r"[\[\]*_`\\!]")


def plain_text(html_text: str) -> str:
    """HTML as the text it shows: tags dropped, entities read (``&amp;`` is ``&``)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def inert_markdown(fragment: str) -> str:
    """HTML that goes into a page's Markdown (a macro's output) with the text between its tags
    made inert: characters Markdown would read as links, images, emphasis or code become entities,
    so a data file's value is shown as written and never becomes an image from another host."""
    return re.sub(r"(<[^>]*>)|([^<]+)", lambda m: m.group(1) or _MD_SPECIAL_RE.sub(lambda c: _MD_SPECIAL[c.group(0)], m.group(2)),
                  fragment)


def url_for(src_path: str) -> str:
    """The directory URL of a page, relative to the site root: ``roles/advocacy.md`` -> ``roles/advocacy/``."""
    src_path = src_path.replace("\\", "/")
    stem = src_path[:-3] if src_path.endswith(".md") else src_path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


@functools.lru_cache(maxsize=65536)  # the glossary and the bibliography link every page that uses each entry
def relative_url(from_src: str, to_src: str, anchor: str = "", *, directory_urls: bool = True) -> str:
    """A link from one page to another (or to an anchor on it), as the built site needs it.

    With ``directory_urls=False`` (MkDocs' ``use_directory_urls: false``, which the offline
    copy uses so that it works from the file system) pages are files: ``roles/advocacy.html``."""
    if not directory_urls:
        there = (to_src[:-3] if to_src.endswith(".md") else to_src) + ".html"
        return posixpath.relpath(there, posixpath.dirname(from_src) or ".") + (f"#{anchor}" if anchor else "")
    here = url_for(from_src) or "."
    there = url_for(to_src) or "."
    rel = posixpath.relpath(there, here)
    url = "./" if rel == "." else rel + "/"
    return url + (f"#{anchor}" if anchor else "")


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest candidate, or an empty string."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" Did you mean '{match[0]}'?" if match else ""
