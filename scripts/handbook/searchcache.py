"""The search index's reading of each page kept for the next build (MkDocs only).

Material's search plugin reads every page's HTML on every build to cut it into sections (a
heading, its text) for the search index: 0.38 CPU s for the 88 pages of the benchmark's
100-page site, against 0.24 s for the same sources in a plain Material build, where the macros
are not expanded (the handbook's pages hold more markup: term links, citations). A page whose
HTML has not changed is cut the same way again, so the sections are kept by the page's HTML
(its SHA-256) and a warm build reads only the pages that changed. The index itself is still made by Material from them, with
each page's address, headings and keywords of this build, so it is the same index, byte for
byte (tests/test_buildcache.py).

The sections' text goes into ``search_index.json``, which the search box shows, so they are
kept as the handbook keeps its other results: in the sealed store
(``.cache/handbook/search.json``, :func:`handbook.buildcache.sealed_entries`), read only when
its seal was made with this machine's own key, and only under the handbook's code, Material's
version and Python's (whose HTML parser Material's reading uses).

Zensical indexes pages itself, so there is nothing to keep there.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from material import __version__ as material_version
from material.plugins.search.plugin import Parser, SearchIndex, SearchPlugin
from mkdocs.plugins import BasePlugin, PluginCollection

from .buildcache import SealedEntries, sealed_entries
from .rawhtml import LATER

__all__ = ["keep_search_sections"]

#: The name the store is registered under among MkDocs' plugins (it is not one a mkdocs.yml can name).
_NAME = "handbook/search-sections"


class _KeptSections(SearchIndex):
    """Material's search index, cutting a page into sections only when its HTML is new."""

    def __init__(self, store: SealedEntries, **config: Any) -> None:
        super().__init__(**config)
        self.store = store

    def add_entry_from_context(self, page: Any) -> None:
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        # The markers of the pieces kept for the template (rawhtml.Later) carry the process's random number;
        # they are comments, which the reading skips, so the key holds them without it.
        key = hashlib.sha256(page.content.replace(LATER, "<!--hblater-x").encode("utf-8")).hexdigest()
        kept = self.store.get(key)
        if not _well_formed(kept):
            parser = Parser()
            parser.feed(page.content)
            parser.close()
            # (id, title, text) of each section the index takes; no title (None) is not an empty one:
            # Material gives an untitled section the page's title.
            kept = [[s.id, "".join(s.title) if s.title else None, "".join(s.text)] for s in parser.data if not s.is_excluded()]
            self.store.put(key, kept)
        for section_id, title, text in kept:
            section = SimpleNamespace(id=section_id, title=[] if title is None else [title], text=[text])
            self.create_entry_for_section(section, page.toc, page.url, page)


def _well_formed(kept: Any) -> bool:
    return isinstance(kept, list) and all(
        isinstance(s, list) and len(s) == 3 and isinstance(s[0], (str, type(None))) and isinstance(s[1], (str, type(None)))
        and isinstance(s[2], str) for s in kept)


class _SearchSections(BasePlugin):  # a plugin without options
    """Gives Material's search plugin the kept sections for this build, and keeps what it read."""

    def __init__(self, store: SealedEntries) -> None:
        self.store = store

    def on_pre_build(self, *, config: Any) -> None:
        # After every plugin's on_config, where the search plugin makes a new index for each build.
        for plugin in config.plugins.values():
            index = getattr(plugin, "search_index", None)
            if isinstance(plugin, SearchPlugin) and index is not None and type(index) is SearchIndex:
                plugin.search_index = _KeptSections(self.store, **index.config)

    def on_post_build(self, *, config: Any) -> None:
        self.store.save()


def keep_search_sections(plugins: Any, root: Path) -> None:
    """Register the store among MkDocs' ``plugins`` (a no-op for anything else, such as Zensical's)."""
    if isinstance(plugins, PluginCollection) and _NAME not in plugins:
        plugins[_NAME] = _SearchSections(sealed_entries(root, "search", material_version, sys.version))  # (Python's HTML parser)
