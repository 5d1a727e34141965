"""Self-check answers and the reuse box in a real browser: Debian's chromium, with and without JavaScript."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from conftest import CHROMIUM
from test_axe import AXE_TAGS

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium-headless-shell is installed by `python3 dev.py test`")]



def test_without_javascript_an_answer_opens_by_keyboard(browser: Browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=server)
    page = context.new_page()
    page.goto("roles/advocacy/")
    box = page.locator("details.success").first
    answer = box.locator("p").first
    expect(answer).to_be_hidden()
    expect(answer).to_contain_text("Cause (or systemic) advocacy")
    box.locator("summary").focus()
    expect(box.locator("summary")).to_be_focused()
    page.keyboard.press("Enter")
    expect(answer).to_be_visible()
    expect(box).to_have_attribute("open", "")
    # its link leads back to the section it draws on
    answer.get_by_role("link").click()
    page.wait_for_url("**/roles/advocacy/#what-is-the-difference-between-case-and-cause-advocacy")
    context.close()


def test_an_answer_is_named_and_reached_by_tab(browser: Browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=server)
    page = context.new_page()
    page.goto("roles/advocacy/")
    summary = page.locator("details.success summary").first
    expect(summary).to_have_accessible_name("Answer")
    page.locator("h2#check-your-understanding a.headerlink").focus()
    for _ in range(10):  # the next stop after the section's heading is the first answer, reached by Tab alone
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.matches('details.success summary')"):
            break
    expect(summary).to_be_focused()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_with_an_answer_open(browser: Browser, server: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, base_url=server)
    page = context.new_page()
    page.goto("roles/advocacy/")
    box = page.locator("details.success").first
    box.locator("summary").scroll_into_view_if_needed()
    box.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(box.locator("p").first).to_be_visible()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()
    context.close()


def test_the_reuse_statement_is_copied_by_keyboard(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    page.goto("roles/advocacy/")
    button = page.locator("button.hb-copy[data-copy=hb-reuse-text]")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".hb-reuse-box .hb-copy-status")).to_contain_text("Attribution statement copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("“Advocacy” by Client-Centred Practice Handbook contributors") and copied.endswith("Changes: [describe your changes]")
    context.close()
