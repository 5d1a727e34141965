"""Accessibility: axe-core finds no violation on any page of the built site, light or dark, in chromium.

Each scheme is a class of its own, so that ``python3 dev.py test`` (``--dist loadscope``) can check
the two on two workers at once; each class reuses one tab for every page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from conftest import CHROMIUM

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium-headless-shell is installed by `python3 dev.py test`")]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
#: The markup is the same in both schemes: in dark, the rules about colour are what can change.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def every_page() -> list[str]:
    """The URL path of every page in docs/ (the built site has one page for each)."""
    docs = Path(__file__).resolve().parent.parent / "docs"
    urls = []
    for md in sorted(docs.rglob("*.md")):
        rel = md.relative_to(docs).with_suffix("")
        urls.append("" if str(rel) == "index" else (str(rel.parent) + "/" if rel.name == "index" else str(rel) + "/"))
    return urls


def _tab(browser: Browser, server: str, scheme: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, base_url=server)
    yield context.new_page()
    context.close()


def _no_violations(page: Page, url: str, dark: bool, rules: dict) -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if dark else "default")
    results = Axe().run(page, options={"runOnly": rules, "resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture(scope="class")
def light_tab(browser: Browser, server: str) -> Iterator[Page]:
    yield from _tab(browser, server, "light")


class TestLightScheme:
    @pytest.mark.parametrize("url", every_page())
    def test_axe_finds_no_violations_on_any_page(self, light_tab: Page, url: str) -> None:
        _no_violations(light_tab, url, False, {"type": "tag", "values": AXE_TAGS})


@pytest.fixture(scope="class")
def dark_tab(browser: Browser, server: str) -> Iterator[Page]:
    yield from _tab(browser, server, "dark")


class TestDarkScheme:
    @pytest.mark.parametrize("url", every_page())
    def test_axe_finds_no_violations_on_any_page(self, dark_tab: Page, url: str) -> None:
        _no_violations(dark_tab, url, True, {"type": "rule", "values": COLOUR_RULES})
