"""The handbook's own blocks of HTML kept out of Markdown's readers (scripts/handbook/rawhtml.py).

The glossary, the bibliography and each page's reference list are stored as raw HTML without
MkDocs' reader of anchors or Python-Markdown's HTML-block reader walking every tag: MkDocs is
shown their ids alone. So those ids must be exactly what its own reader would have found (fewer
would fail good links; more would let a link to a missing section pass), and where a quick reading
cannot be sure, the HTML itself is read as before.
"""

from __future__ import annotations

import re

import pytest
from mkdocs.structure.pages import _HTMLHandler

from conftest import ROOT
from handbook.rawhtml import Later, anchor_skeleton, put_back
from handbook.render import bibliography_page_html, glossary_page_html, references_html
from handbook.safety import sanitise
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


def _indexed(markup: str) -> list[tuple[str, str, str]]:
    """What Material's search plugin indexes of ``markup``: each section's heading, id and text."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(markup)
    parser.close()
    return [("".join(s.title), str(s.id), "".join(s.text)) for s in parser.data if not s.is_excluded()]


def test_blocks_kept_for_the_template_come_back_byte_for_byte_and_search_indexes_the_same() -> None:
    """The glossary's "Sources" and "Appears on" and the bibliography's "Cited on" are kept apart from
    page.content (search must not index them) and put back where they stood; the glossary's index is unchanged."""
    handbook = load_handbook(ROOT, ROOT / "docs")
    assert handbook.glossary is not None and handbook.bibliography is not None
    # As the pages' HTML comes out of the allow-list, which the pieces are cut from.
    glossary = sanitise(glossary_page_html(handbook.glossary, handbook.bibliography, handbook.usage, "glossary/index.md"))
    bibliography = sanitise(bibliography_page_html(handbook.bibliography, handbook.usage, "references/index.md"))
    dates = '<h1 id="t">T</h1>\n<p class="hb-dates" data-search-exclude="">First published <time datetime="2026-11-23">23 November 2026</time></p>\n<p>Text.</p>'
    for markup in (glossary, bibliography, dates):
        later = Later()
        cut = later.excluded_apart(markup)
        assert "data-search-exclude" not in cut and later.parts
        assert put_back(cut, later.meta()) == markup
    later = Later()
    assert _indexed(later.excluded_apart(glossary)) == _indexed(glossary)
    # Material ends an exclusion at the first inner element of the same tag: the bibliography's page names
    # after "Cited on:" were indexed; kept apart, none is.
    first_citing_title = re.search(r'Cited on:</span> <a [^>]*>([^<]+)</a>', bibliography)
    assert first_citing_title is not None
    cited = f" {first_citing_title.group(1)}"
    assert cited in "".join(text for _, _, text in _indexed(bibliography))
    assert cited not in "".join(text for _, _, text in _indexed(Later().excluded_apart(bibliography)))


@pytest.mark.parametrize("markup", [
    '<div class="hb-meta" data-search-exclude=""><h3 id="x">X</h3></div><p>After.</p>',  # a heading starts a section
    '<p class="hb-meta" data-search-exclude="" title="a <b> b">x</p>',  # a "<" in a value: not read quickly
    '<p class="hb-meta" data-search-exclude="">x<!-- c --></p>',
    '<p class="other" data-search-exclude="">a page\'s own block</p>',
    '<div class="hb-meta" data-search-exclude=""><div>never closed</div>',
])
def test_blocks_search_must_read_or_a_quick_reading_cannot_be_sure_of_stay_in_place(markup: str) -> None:
    later = Later()
    assert later.excluded_apart(markup) == markup and not later.parts
