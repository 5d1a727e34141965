"""Search, as a student uses it: queries typed into the built site's search box in chromium.

The table of queries and the page each must bring first is tests/data/search-queries.yml.
Material's search reacts to typed keys (not to a filled-in value), so each query's last key is typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from conftest import CHROMIUM, ROOT

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium-headless-shell is installed by `python3 dev.py test`")]
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
    # Material searches on each key let go: the query is filled in but its last key, which is then
    # typed, so the whole query is searched once (typing every key searched every part-typed prefix).
    box.fill(query[:-1])
    box.press(query[-1])
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
    assert len(QUERIES) >= 90
    for row in QUERIES:
        for url in row["first"] if isinstance(row["first"], list) else [row["first"]]:
            assert (site / url / "index.html").exists(), row


@pytest.mark.parametrize("query, term", [("actualising tendency", "actualising-tendency"),
                                         ("attentive listening", "active-listening"),
                                         ("ecomap", "ecomap"), ("Gillick competence", "gillick-competence")])
def test_a_glossary_term_or_alias_also_finds_its_glossary_entry(search: Page, query: str, term: str) -> None:
    found = results(search, query)
    assert "glossary/" in found[1:], found  # below the pages that discuss the term
    entry = search.locator(".md-search-result__list > li", has=search.locator("a[href*='glossary/']"))
    hrefs = entry.locator("a").evaluate_all("els => els.map(e => new URL(e.href).hash)")
    assert f"#{term}" in hrefs, hrefs  # the result opens the entry, not the letter's heading
    assert term.split("-")[0] in entry.inner_text().lower()


def words_only_beside_punctuation(site: Path) -> dict[str, str]:
    """Words that the built pages write only inside quotation marks or brackets, with a page each."""
    import json
    import re
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    beside: dict[str, str] = {}
    alone: set[str] = set()
    for doc in docs:
        text = re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"])
        for raw in text.split():
            word = raw.strip(".,;:!?").lower()
            if re.fullmatch(r"[a-z]{6,}", word):
                alone.add(word)
            elif re.fullmatch(r"[\"“‘(\[]+([a-z]{6,})[\"”’)\]]*", word):
                beside.setdefault(re.sub(r"[^a-z]", "", word), doc["location"].split("#")[0])
    return {w: url for w, url in sorted(beside.items()) if w not in alone}


def test_a_word_written_only_inside_quotation_marks_or_brackets_is_found(search: Page, site: Path) -> None:
    words = words_only_beside_punctuation(site)
    assert {"roadblocks", "processed"} <= set(words), sorted(words)[:20]
    for word in ["roadblocks", "processed", *list(words)[:6]]:
        assert words[word] in results(search, word), (word, words[word])


def missing_marks(page: Page) -> list[tuple[str, str]]:
    """Each word a listed result marks as "Missing", with that result's own text."""
    return page.eval_on_selector_all(".md-search-result__article", """els => els.flatMap(article => {
        const copy = article.cloneNode(true);
        const terms = copy.querySelector('.md-search-result__terms');
        if (terms) terms.remove();
        const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT), parts = [];
        while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);  // title, text and keywords
        return Array.from(article.querySelectorAll('.md-search-result__terms del'))
          .map(del => [del.textContent, parts.join(' ')]);
      })""")


@pytest.mark.parametrize("query", ["client", "practice", "social worker", "care", "case notes", "Munro review",
                                   "Care Act wellbeing principle", "criticisms of client-centred therapy"])
def test_no_result_marks_a_word_it_holds_as_missing(search: Page, query: str) -> None:
    import re
    assert results(search, query)
    for word, text in missing_marks(search):
        assert word.lower() in query.lower(), f"'{query}': marks '{word}', which the reader did not type"
        # Held means as a word of its own or its plural ("act" is not held by "action").
        assert not re.search(rf"(?<![\w]){re.escape(word)}s?(?![\w])", text, re.IGNORECASE), \
            f"'{query}': a result holding '{word}' marks it as missing: {text[:200]}"


def note(page: Page) -> str:
    return page.evaluate("""() => { const n = document.querySelector('.md-search-result .hb-search-note');
        return n && !n.hidden && n.getAttribute('role') === 'status'
          && n.compareDocumentPosition(document.querySelector('.md-search-result__list')) & Node.DOCUMENT_POSITION_FOLLOWING
          ? n.textContent : ''; }""")


@pytest.mark.parametrize("query", ["solution focused therapy", "cognitive behavioural therapy", "youth justice"])
def test_when_no_page_has_every_word_the_reader_is_told_before_the_closest_matches(search: Page, query: str) -> None:
    assert results(search, query), query  # the closest matches are still listed
    told = note(search)
    assert told.startswith("No page has all of"), told
    for word in query.split():
        assert word.lower() in told.lower()


@pytest.mark.parametrize("query", ["Signs of Safety", "case notes", "empathy"])
def test_no_such_note_when_a_page_has_every_word(search: Page, query: str) -> None:
    assert results(search, query)
    assert note(search) == ""


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
