"""Search, as a student uses it: queries typed into the built site's search box in chromium.

The table of queries and the page each must bring first is tests/data/search-queries.yml.
Material's search reacts to typed keys (not to a filled-in value), so each query is typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from conftest import CHROMIUM, ROOT

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by `python3 dev.py test`")]
QUERIES = yaml.safe_load((ROOT / "tests" / "data" / "search-queries.yml").read_text(encoding="utf-8"))

#: Counts the queries Material sends its search worker and the results it gets back, so a
#: test reads the results of the whole query, not of the half-typed one before it.
TRACK_WORKER = """
window.hbSearch = {sent: 0, received: 0};
(function () {
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (m) {
    if (m && m.type === 2) window.hbSearch.sent++;
    if (!this.hbTracked) {
      this.hbTracked = true;
      this.addEventListener("message", function (e) { if (e.data && e.data.type === 3) window.hbSearch.received++; });
    }
    return post.apply(this, arguments);
  };
}());
"""


@pytest.fixture(scope="module")
def search(browser: Browser, server: str) -> Iterator[Page]:
    """One page with the search box open, reused by every query."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    context.add_init_script(TRACK_WORKER)
    page = context.new_page()
    page.goto("")
    page.locator(".md-search__input").click()
    yield page
    context.close()


def results(page: Page, query: str) -> list[str]:
    """The pages the search box lists for ``query``, best first (URL paths, no anchors)."""
    box = page.locator(".md-search__input")
    box.fill("")
    box.press("Backspace")
    page.wait_for_function("() => !document.querySelector('.md-search-result__list > li')")
    box.press_sequentially(query, delay=10)
    page.wait_for_function("() => hbSearch.sent > 0 && hbSearch.sent === hbSearch.received", timeout=15000)
    page.wait_for_timeout(50)  # the results are drawn after the worker's answer
    return page.eval_on_selector_all(
        ".md-search-result__list > li > a:first-child",
        "els => els.map(e => new URL(e.href).pathname.replace(/^\\//, ''))")


@pytest.mark.parametrize("row", QUERIES, ids=[row["query"] for row in QUERIES])
def test_the_right_page_comes_first(search: Page, row: dict) -> None:
    found = results(search, row["query"])
    assert found, f"'{row['query']}' ({row['why']}) found nothing"
    expected = row["first"] if isinstance(row["first"], list) else [row["first"]]
    assert found[0] in expected, f"'{row['query']}' ({row['why']}): first {found[:3]}, expected {row['first']}"


def test_the_table_is_long_enough_and_names_real_pages(site: Path) -> None:
    assert len(QUERIES) >= 40
    for row in QUERIES:
        for url in row["first"] if isinstance(row["first"], list) else [row["first"]]:
            assert (site / url / "index.html").exists(), row


@pytest.mark.parametrize("query, term", [("actualising tendency", "actualising-tendency"),
                                         ("attentive listening", "active-listening")])
def test_a_glossary_term_or_alias_also_finds_the_glossary(search: Page, query: str, term: str) -> None:
    found = results(search, query)
    assert "glossary/" in found[1:], found
    entry = search.locator(".md-search-result__list > li", has=search.locator("a[href*='glossary/']"))
    assert term.split("-")[0] in entry.inner_text().lower()


def test_stop_words_do_not_widen_the_results(search: Page, site: Path) -> None:
    alone = results(search, "barriers")
    assert results(search, "barriers to the") == alone
    assert results(search, "the barriers to") == alone
    assert len(alone) < len(list(site.rglob("index.html"))) / 3


def test_the_bibliography_is_findable_but_below_the_pages_that_cite_it(search: Page) -> None:
    found = results(search, "Tervalon")
    assert "references/" in found
    assert found.index("relationship/cultural-humility/") < found.index("references/")


def test_the_box_keeps_what_the_reader_typed(search: Page) -> None:
    results(search, "organization")
    assert search.locator(".md-search__input").input_value() == "organization"
