"""The build's checks of a page, kept by the content that produced them, across builds.

A strict build checks every page before it renders any (:func:`handbook.checks.build_problems`),
and that was most of the handbook's own cost per page. A page's result depends only on its
own text and on what the handbook shares between pages: the package's code and template,
``mkdocs.yml`` and its navigation, the data files, which files exist under ``docs/``, and every
page's anchors (links are checked against them). The result is kept under a key made from all
of those (:func:`inputs_digest`) and the page's text, so a kept result can never be stale:
change any of them and the key changes. Only the build's checks are kept (``dev.py check``
always checks afresh), in ``.cache/handbook/checks.json``, safe to delete;
``HANDBOOK_NO_CACHE=1`` keeps it in memory only.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import subprocess
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from .config import cache_folder
from .errors import Problem
from .files import content_files
from .formatcache import FormatCache, cache_for

__all__ = ["check_cache", "code_digest", "committed_caches", "inputs_digest", "problems_from", "problems_to", "kept_sanitised",
           "read_sealed", "write_sealed", "kept_sealed", "SealedEntries", "sealed_entries"]

#: Bump when what a kept result means changes in a way the code's own digest cannot see.
CACHE_VERSION = "checks-1"
_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_digest(root: Path) -> str:
    """The package's own code and the page template: a change to either checks every page again."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    files = sorted(_PACKAGE.rglob("*.py")) + [root / "scripts" / "templates" / "page.md", _PACKAGE.parent / "templates" / "page.md"]
    for path in files:
        digest.update(path.as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def inputs_digest(root: Path, docs_dir: Path, nav: Any, *more: Any) -> str:
    """Everything a page's checks share with other pages, but the pages' own texts."""
    digest = hashlib.sha256(code_digest(root).encode())
    config = root / "mkdocs.yml"
    digest.update(config.read_bytes() if config.is_file() else b"-")
    digest.update(repr(nav).encode())
    for path in content_files(docs_dir):
        rel = path.relative_to(docs_dir).as_posix()
        digest.update(rel.encode() + b"\0")
        if rel.startswith("data/") and path.suffix != ".md":
            digest.update(path.read_bytes())
    for part in more:
        digest.update(repr(part).encode() + b"\0")
    return digest.hexdigest()


def check_cache(root: Path) -> FormatCache:
    return cache_for(root, "checks", CACHE_VERSION, by_content=False)  # the project's own: kept by path


#: The page HTML the allow-list let through, kept in a small file per page (``.cache/handbook/sanitised/``,
#: read only for the pages a build renders) under a digest of the HTML that went in, the package's
#: code (the allow-list with it) and nh3's version, sealed with a key of this machine's (:func:`_seal`).
SANITISED_VERSION = "sanitised-2"
#: Shorter HTML (a heading, a title) costs less to sanitise than to look up.
_KEEP_FROM = 256
#: Results kept for one page: its HTML, its table of contents, its reference list and definitions, a long heading.
_PER_PAGE = 8


def kept_sanitised(root: Path, page: str, markup: str, sanitise: Callable[[str], tuple[str, list[tuple[str, str]]]],
                   volatile: str = "") -> tuple[str, list[tuple[str, str]]]:
    """``sanitise(markup)``, or what it returned for the same HTML in an earlier build of ``page``.

    ``volatile`` is text that differs from one build to the next (the figures' markers, drawn at
    random per process): it is kept as a stand-in, so a page with figures is found again. Only a
    result without problems is kept: HTML with a problem is always sanitised afresh, and its problems
    said again. A kept result is used only for exactly the HTML, code and nh3 that made it.
    """
    if len(markup) < _KEEP_FROM or not page or _STAND_IN in markup:
        return sanitise(markup)
    secret = _build_key()
    if secret is None:
        return sanitise(markup)
    store = _page_files(root)
    key = _sanitise_digest(root, markup.replace(volatile, _STAND_IN) if volatile else markup)
    kept = store.get(page)
    entry = kept.get(key)
    if isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry) and \
            hmac.compare_digest(entry[1], _seal(secret, key, entry[0])):
        return (entry[0].replace(_STAND_IN, volatile) if volatile else entry[0]), []
    clean, problems = sanitise(markup)
    # A stand-in in the output that no volatile text put there (an entity spelling it) would come back as a marker: not kept.
    if not problems and _STAND_IN not in clean:
        stored = clean.replace(volatile, _STAND_IN) if volatile else clean
        store.put(page, {key: [stored, _seal(secret, key, stored)]} | dict(list(kept.items())[:_PER_PAGE - 1]))
    return clean, problems


def _seal(secret: bytes, key: str, clean: str) -> str:
    """What only this machine's builds can write beside a kept result: a file that a pull request adds
    (or anyone else writes) under ``.cache/`` cannot pass HTML off as sanitised."""
    return hmac.new(secret, key.encode() + b"\0" + clean.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def kept_sealed(root: Path, folder: str, name: str, inputs: Any, compute: Callable[[], Any]) -> Any:
    """``compute()``, or what it returned in an earlier build for the same ``inputs`` (JSON) and code,
    kept as ``.cache/handbook/<folder>/`` one file per ``name``, sealed (:func:`write_sealed`)."""
    base = cache_folder(root, folder, by_content=False)
    if base is None:
        return compute()
    key = hashlib.sha256(json.dumps([code_digest(root), inputs], sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    path = base / (hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".json")
    value = read_sealed(path, key)
    if value is None:
        value = compute()
        write_sealed(path, key, value)
    return value


class SealedEntries:
    """Many small results kept in one sealed file (:func:`write_sealed`) under the code's digest and the
    versions given, read once; written back, with only the entries this process used, when it added one."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path, self.key = path, key
        kept = read_sealed(path, key) if path is not None else None
        self.entries: dict[str, Any] = kept if isinstance(kept, dict) else {}
        self.used: set[str] = set()
        self.added = False

    def get(self, name: str) -> Any:
        value = self.entries.get(name)
        if value is not None:
            self.used.add(name)
        return value

    def put(self, name: str, value: Any) -> None:
        self.entries[name] = value
        self.used.add(name)
        self.added = True

    def save(self) -> None:
        if self.path is not None and self.added:
            write_sealed(self.path, self.key, {name: self.entries[name] for name in self.used if name in self.entries})
            self.added = False


def sealed_entries(root: Path, name: str, *versions: str) -> SealedEntries:
    """The kept entries ``name`` of a project (``.cache/handbook/<name>.json``; in memory only without a cache folder)."""
    folder = cache_folder(root, name + ".json", by_content=False)
    return SealedEntries(folder, hashlib.sha256(json.dumps([code_digest(root), *versions]).encode()).hexdigest())


def read_sealed(path: Path, key: str) -> Any:
    """The value :func:`write_sealed` kept in ``path`` under ``key`` on this machine; None if there is none,
    it was kept under another key or code, or anyone else wrote it."""
    secret = _build_key()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if secret is not None else None
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("value"), str) and isinstance(data.get("seal"), str)):
        return None
    if secret is None or not hmac.compare_digest(data["seal"], _seal(secret, key, data["value"])):
        return None
    try:
        return json.loads(data["value"])
    except ValueError:
        return None


def write_sealed(path: Path, key: str, value: Any) -> None:
    """Keep ``value`` (JSON) in ``path`` under ``key``, sealed with this machine's key (errors are ignored: it is a cache)."""
    secret = _build_key()
    if secret is None:
        return
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".sealed-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"value": text, "seal": _seal(secret, key, text)}, out, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass


@functools.cache
def _build_key() -> bytes | None:
    """A random key kept outside the project, in the user's own cache folder (None where none can be kept:
    then nothing is kept either)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "client-centred-practice-handbook" / "build-key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".build-key-")  # readable by the user alone
        with os.fdopen(fd, "wb") as out:
            out.write(key)
        os.replace(tmp, path)
    except OSError:
        return None
    return key


class _PageFiles:
    """Entries kept by page, one JSON file each (in memory only without a folder); a damaged file is an empty one."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.memory: dict[str, dict[str, Any]] = {}

    def _path(self, page: str) -> Path:
        assert self.folder is not None
        return self.folder / (hashlib.sha256(page.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".json")

    def get(self, page: str) -> dict[str, Any]:
        if page not in self.memory:
            entries: Any = None
            if self.folder is not None:
                try:
                    data = json.loads(self._path(page).read_text(encoding="utf-8"))
                    entries = data.get("entries") if isinstance(data, dict) and data.get("versions") == SANITISED_VERSION else None
                except (OSError, ValueError):
                    entries = None
            self.memory[page] = dict(entries) if isinstance(entries, dict) else {}
        return self.memory[page]

    def put(self, page: str, entries: dict[str, Any]) -> None:
        self.memory[page] = entries
        if self.folder is None:
            return
        try:  # atomically, so that two builds at once never leave half a file; errors are ignored: it is a cache
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".page-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"versions": SANITISED_VERSION, "entries": entries}, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, self._path(page))
        except OSError:
            pass


_STORES: dict[Path | None, _PageFiles] = {}


def _page_files(root: Path) -> _PageFiles:
    folder = cache_folder(root, "sanitised", by_content=False)
    if folder not in _STORES:
        _STORES[folder] = _PageFiles(folder)
    return _STORES[folder]


#: What stands for the volatile text in a kept entry (never part of it: upper case, unlike the random part).
_STAND_IN = "hbKEPTx"


def _sanitise_digest(root: Path, markup: str) -> str:
    digest = hashlib.sha256(f"{code_digest(root)}\0{_nh3_version()}\0".encode())
    digest.update(markup.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@functools.cache
def _nh3_version() -> str:
    try:
        return metadata.version("nh3")
    except metadata.PackageNotFoundError:
        return "?"


def problems_to(problems: list[Problem]) -> list[list[Any]]:
    return [[p.file, p.line, p.message, p.severity] for p in problems]


def problems_from(rows: list[list[Any]]) -> list[Problem]:
    return [Problem(str(f), int(line) if line is not None else None, str(m), str(s)) for f, line, m, s in rows]


def committed_caches(root: Path) -> list[Problem]:
    """Files under ``.cache/`` that the repository holds: each build makes its own caches, and one
    committed would be trusted by the next build (pages taken as checked, citations as formatted).
    ``dev.py check`` refuses them on the pull request; ``scripts/publish.py`` builds no release with them."""
    if not (root / ".git").exists():
        return []
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", ".cache"], cwd=root, capture_output=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Problem(name, None, "is one of the build's own caches, committed to the repository: a build would take what it "
                                "says on trust. Remove it from the repository with `git rm -r --cached .cache`.")
            for name in listed.decode("utf-8", "replace").split("\0") if name]
