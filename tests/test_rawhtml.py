"""The handbook's own blocks of HTML kept out of Markdown's readers (scripts/handbook/rawhtml.py).

The glossary, the bibliography and each page's reference list are stored as raw HTML without
MkDocs' reader of anchors or Python-Markdown's HTML-block reader walking every tag: MkDocs is
shown their ids alone. So those ids must be exactly what its own reader would have found (fewer
would fail good links; more would let a link to a missing section pass), and where a quick reading
cannot be sure, the HTML itself is read as before.
"""

from __future__ import annotations

import pytest
from mkdocs.structure.pages import _HTMLHandler

from conftest import ROOT
from handbook.rawhtml import anchor_skeleton
from handbook.render import bibliography_page_html, glossary_page_html, references_html
from handbook.site import load_handbook


def _anchors(markup: str) -> set[str]:
    """The ids MkDocs' own reader of raw HTML finds."""
    reader = _HTMLHandler()
    reader.feed(markup)
    reader.close()
    return set(reader.present_anchor_ids)


def test_mkdocs_is_shown_exactly_the_ids_of_the_glossary_the_bibliography_and_a_reference_list() -> None:
    handbook = load_handbook(ROOT, ROOT / "docs")
    assert handbook.glossary is not None and handbook.bibliography is not None
    blocks = [glossary_page_html(handbook.glossary, handbook.bibliography, handbook.usage, "glossary/index.md"),
              bibliography_page_html(handbook.bibliography, handbook.usage, "references/index.md"),
              references_html(handbook.bibliography, list(handbook.bibliography.items)[:12])]
    for markup in blocks:
        skeleton = anchor_skeleton(markup)
        assert skeleton is not None
        assert _anchors(skeleton) == _anchors(markup) and len(_anchors(markup)) > 10


@pytest.mark.parametrize("markup", [
    '<p id="a&amp;b" data-id="not-an-anchor">x</p><a name="n" href="#">y</a><span name="not-either">z</span>',
    "<li id='single'>x</li><li id=bare>y</li><A ID=\"upper\">z</A><br/><img id=\"i\" alt=\"a > b\">",
])
def test_ids_read_quickly_are_those_mkdocs_reads(markup: str) -> None:
    skeleton = anchor_skeleton(markup)
    assert skeleton is not None and _anchors(skeleton) == _anchors(markup)


@pytest.mark.parametrize("markup", [
    '<p>x</p><!-- <p id="hidden"> -->', '<script>var s = "<p id=\'x\'>";</script>', "<p>a < b</p>", "<p id=\"x\">a <b</p>",
])
def test_html_a_quick_reading_cannot_be_sure_of_is_read_by_mkdocs_itself(markup: str) -> None:
    assert anchor_skeleton(markup) is None
