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
"""

from __future__ import annotations

import re
import secrets
import threading

__all__ = ["keep", "restore"]

_NONCE = secrets.token_hex(8)
_MARKER = re.compile(f"hbraw{_NONCE}x(\\d+)y")
_KEPT: list[str] = []
_MARKERS: dict[str, str] = {}
_LOCK = threading.Lock()  # Zensical renders pages in parallel


def keep(markup: str) -> str:
    """A marker that :func:`restore` turns back into ``markup`` (HTML the handbook made)."""
    with _LOCK:
        marker = _MARKERS.get(markup)
        if marker is None:
            _KEPT.append(markup)
            marker = _MARKERS[markup] = f"hbraw{_NONCE}x{len(_KEPT) - 1}y"
    return marker


def restore(text: str) -> str:
    """``text`` with every marker replaced by the HTML it stands for."""
    if "hbraw" not in text:
        return text
    return _MARKER.sub(lambda m: _KEPT[int(m.group(1))] if int(m.group(1)) < len(_KEPT) else m.group(0), text)
