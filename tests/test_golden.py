"""Golden files: what readers see of the bibliography stays byte-identical.

The reference lists, in-text citations and cite boxes of the real handbook are kept in
``tests/golden/*.json``. Any change to how they are produced (caches, formatting once per
build) must leave them as they are; a change that is meant to alter them regenerates the
files with ``HANDBOOK_UPDATE_GOLDEN=1 python3 dev.py test tests/test_golden.py`` and the
diff shows the reviewer exactly what readers will see differently. A missing file fails.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from conftest import ROOT
from handbook.csl import STYLES
from handbook.formatcache import FormatCache
from handbook.render import cite_html, citet_html, page_citation, references_html
from handbook.site import load_handbook

GOLDEN = Path(__file__).parent / "golden"
HANDBOOK = load_handbook(ROOT, ROOT / "docs")
#: Formatted afresh: the golden files test citeproc and the handbook, not a cache.
FRESH = FormatCache(None)
HANDBOOK.bibliography.cache = FRESH
SITE_URL = "https://client-centred-practice-handbook.github.io/handbook/"


def _references() -> dict:
    bib = HANDBOOK.bibliography
    keys = sorted(bib.items)
    return {
        "every entry, each style": {style: {k: bib.entry(k, style) for k in keys} for style in STYLES},
        "the whole list, APA": references_html(bib, keys),
        "each page's list, APA": {src: references_html(bib, HANDBOOK.usage.refs_by_page.get(src, [])) for src in sorted(HANDBOOK.pages)},
    }


def _citations() -> dict:
    bib = HANDBOOK.bibliography
    out = {}
    for key in sorted(bib.items):
        out[key] = {
            "cite": cite_html(bib, [(key, None)]),
            "cite p. 12": cite_html(bib, [(key, "p. 12")]),
            "cite pp. 95-103": cite_html(bib, [(key, "pp. 95-103")]),
            "citet": citet_html(bib, key),
            "citet ch. 3": citet_html(bib, key, "ch. 3"),
        }
    out["several"] = cite_html(bib, [("rogers1957", "p. 96"), ("lee2001", None), ("forrester2008a", None), ("forrester2008b", None)])
    return out


def _cite_boxes() -> dict:
    out = {}
    for src, front in sorted(HANDBOOK.pages.items()):
        hb = page_citation(front, src, SITE_URL, "1.0.0", "https://creativecommons.org/licenses/by/4.0/", FRESH)
        out[src] = {"styles": hb["styles"], "bibtex": hb["bibtex_href"], "ris": hb["ris_href"]}
    return out


CASES = {"references": _references, "citations": _citations, "cite-boxes": _cite_boxes}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    path = GOLDEN / f"{name}.json"
    actual = json.dumps(CASES[name](), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("HANDBOOK_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
        pytest.skip(f"wrote {path.relative_to(ROOT)}")
    if not path.exists():  # a deleted golden file fails: it is written back only when asked
        pytest.fail(f"{path.relative_to(ROOT)} is missing. Write it with "
                    f"HANDBOOK_UPDATE_GOLDEN=1 python3 dev.py test tests/test_golden.py and check what it says.")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(path), "now", n=1))
        pytest.fail(f"{path.name} differs from what is rendered now:\n{diff[:6000]}")
