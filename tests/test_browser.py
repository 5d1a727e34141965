"""The site in a real browser: Debian's chromium, driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from conftest import CHROMIUM
from test_axe import AXE_TAGS, every_page
from test_search import TRACK_WORKER

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium-headless-shell is installed by `python3 dev.py test`")]


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light", base_url=server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    yield page
    context.close()


def test_home_page_loads(page: Page) -> None:
    page.goto("")
    expect(page).to_have_title("Client-centred practice in social work - Client-Centred Practice Handbook")
    expect(page.locator("article h1")).to_have_count(1)


def test_first_tab_focuses_skip_to_content(page: Page) -> None:
    page.goto("roles/advocacy/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]")
    assert focused[0] == "Skip to content" and focused[1].endswith("#advocacy")


def test_search_shows_results(page: Page) -> None:
    page.goto("")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("advocacy", delay=40)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=15000)
    assert results.count() >= 3
    assert "Advocacy" in page.locator(".md-search-result").inner_text()


def test_palette_toggle_by_keyboard_and_the_choice_survives_a_reload(page: Page) -> None:
    page.goto("")
    assert page.locator("body").get_attribute("data-md-color-media") == "(prefers-color-scheme)"
    toggle = page.get_by_role("button", name="Switch to light mode")
    toggle.focus()
    page.keyboard.press("Enter")  # system preference -> light
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    expect(page.get_by_role("button", name="Switch to dark mode")).to_be_focused()
    page.keyboard.press(" ")      # light -> dark
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    expect(page.get_by_role("button", name="Switch to system preference")).to_be_visible()


def _tip(page: Page):
    return page.locator(".hb-tip.is-open")


def test_definition_opens_on_hover_stays_on_the_tip_and_closes_with_escape(page: Page) -> None:
    page.goto("roles/advocacy/")
    link = page.locator("a.hb-term").first
    link.scroll_into_view_if_needed()
    link.hover()
    tip = _tip(page)
    expect(tip).to_be_visible()
    expect(tip).to_have_attribute("id", link.get_attribute("aria-describedby"))
    box = tip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)  # onto the definition
    page.wait_for_timeout(500)
    expect(tip).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".hb-tip.is-open")).to_have_count(0)


def test_definition_opens_on_keyboard_focus_and_is_the_links_description(page: Page) -> None:
    page.goto("roles/advocacy/")
    link = page.locator("a.hb-term").first
    link.focus()
    expect(_tip(page)).to_be_visible()
    description = page.evaluate(
        "(el) => document.getElementById(el.getAttribute('aria-describedby')).textContent", link.element_handle())
    assert "Glossary entry" in description and len(description) > 60
    page.keyboard.press("Escape")
    expect(page.locator(".hb-tip.is-open")).to_have_count(0)
    expect(link).to_be_focused()


def test_definition_opens_on_tap_and_a_second_tap_follows_the_link(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 412, "height": 900}, has_touch=True, is_mobile=True, base_url=server)
    page = context.new_page()
    page.goto("roles/advocacy/")
    link = page.locator("a.hb-term").first
    link.scroll_into_view_if_needed()
    link.tap()
    expect(page.locator(".hb-tip.is-open")).to_be_visible()
    assert page.url.endswith("/roles/advocacy/")
    link.tap()
    page.wait_for_url("**/glossary/**")
    context.close()


def test_without_javascript_a_term_leads_to_its_entry(browser: Browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=server)
    page = context.new_page()
    page.goto("roles/advocacy/")
    expect(page.locator(".hb-defs")).to_be_hidden()
    link = page.locator("a.hb-term").first
    term = link.get_attribute("data-term")
    link.click()
    page.wait_for_url(f"**/glossary/#{term}")
    context.close()


def test_copy_button_copies_the_citation(page: Page) -> None:
    page.goto("roles/advocacy/")
    button = page.locator("button.hb-copy[data-copy=hb-cite-apa]")
    button.scroll_into_view_if_needed()
    button.click()
    expect(page.get_by_role("complementary", name="Cite this page").locator(".hb-copy-status")).to_contain_text("APA 7th edition citation copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Client-Centred Practice Handbook contributors. (2026). Advocacy. In Client-Centred Practice Handbook")
    assert copied == page.locator("#hb-cite-apa").get_attribute("data-plain")


def test_copy_buttons_work_by_keyboard(page: Page) -> None:
    page.goto("roles/advocacy/")
    button = page.locator("button.hb-copy[data-copy=hb-cite-harvard]")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("complementary", name="Cite this page").locator(".hb-copy-status")).to_contain_text("Harvard (Cite Them Right) citation copied")


def test_print_leaves_out_definitions_and_buttons(page: Page) -> None:
    page.goto("roles/advocacy/")
    page.locator("a.hb-term").first.hover()
    page.emulate_media(media="print")
    expect(page.locator(".hb-tip.is-open")).to_be_hidden()
    expect(page.locator("button.hb-copy").first).to_be_hidden()
    expect(page.locator("#hb-cite-apa")).to_be_visible()


def test_pages_request_nothing_from_other_hosts(page: Page, server: str) -> None:
    hosts = set()
    page.on("request", lambda request: hosts.add(urllib.parse.urlparse(request.url).hostname))
    for url in ("", "roles/advocacy/", "glossary/", "references/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert hosts == {"127.0.0.1"}


def test_a_page_waits_for_two_stylesheets_and_loads_the_search_index_only_for_search(page: Page) -> None:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(urllib.parse.urlparse(request.url).path))
    page.goto("roles/advocacy/")
    page.wait_for_load_state("networkidle")
    styles = page.eval_on_selector_all("head link[rel=stylesheet]", "els => els.map(e => e.getAttribute('href'))")
    assert len(styles) == 2 and styles[1].endswith("assets/stylesheets/handbook.css"), styles
    scripts = [u for u in urls if u.endswith(".js") and "/workers/" not in u]
    assert len(scripts) == 2, scripts  # Material's bundle and the handbook's one file
    assert not [u for u in urls if "search_index" in u], urls
    page.keyboard.press("/")
    page.locator(".md-search__input").press_sequentially("advocacy", delay=40)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    assert [u for u in urls if u.endswith("search/search_index.json")]


#: Records, once the page is parsed (its footer is there), every change that makes the browser restyle
#: the whole page: a class or colour attribute of <html> or <body>, a color-scheme meta element.
RESTYLES = """
window.hbRestyles = [];
new MutationObserver(function (records) {
  if (!document.querySelector(".md-footer")) return;
  records.forEach(function (r) {
    if (r.type === "attributes" && /^(HTML|BODY)$/.test(r.target.nodeName) && /^(class|data-md-color-(scheme|switching))$/.test(r.attributeName)
        && r.oldValue !== r.target.getAttribute(r.attributeName)) {
      window.hbRestyles.push(r.target.nodeName + " " + r.attributeName + ": " + r.oldValue + " -> " + r.target.getAttribute(r.attributeName));
    }
    if (r.type === "attributes" && r.target.matches("meta[name=color-scheme]")) window.hbRestyles.push("color-scheme meta changed");
    r.addedNodes && r.addedNodes.forEach(function (n) {
      if (n.matches && n.matches("meta[name=color-scheme]")) window.hbRestyles.push("color-scheme meta added");
    });
  });
}).observe(document, { attributes: true, attributeOldValue: true, childList: true, subtree: true });
"""


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_a_page_load_restyles_nothing_on_the_whole_page(browser: Browser, server: str, color_scheme: str) -> None:
    """Each such change cost the glossary and the references a tenth of a second on a phone (issue 28):
    Material's palette script is not mounted, and what its start changes is settled in <head> instead.
    (Material still fetches the sitemap once a page, after load, for the feed's <link rel=alternate>.)"""
    context = browser.new_context(viewport={"width": 412, "height": 823}, color_scheme=color_scheme, base_url=server)
    page = context.new_page()
    page.add_init_script(RESTYLES)
    for url in ("glossary/", "references/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        scheme = "slate" if color_scheme == "dark" else "default"
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
        assert page.evaluate("() => document.querySelector('meta[name=color-scheme]').content") == \
            ("dark" if color_scheme == "dark" else "normal")
        assert page.evaluate("() => window.hbRestyles") == [], url
    # The toggle still restyles the page, and keeps the browser's own controls in step.
    page.get_by_role("button", name="Switch to light mode").click()
    page.get_by_role("button", name="Switch to dark mode").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert page.evaluate("() => document.querySelector('meta[name=color-scheme]').content") == "dark"
    expect(page.locator("meta[name=theme-color]")).to_have_attribute("content", "#123447")
    context.close()


def test_the_dark_scheme_has_its_colours_without_materials_palette_file(scheme: tuple[str, Page]) -> None:
    name, tab = scheme
    tab.goto("roles/advocacy/")
    background = tab.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (name == "light"), (name, background)


@pytest.fixture(scope="module", params=["light", "dark"])
def scheme(request: pytest.FixtureRequest, browser: Browser, server: str) -> Iterator[tuple[str, Page]]:
    """One tab per colour scheme, reused by the tests that look at both."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=request.param, base_url=server)
    yield request.param, context.new_page()
    context.close()


@pytest.mark.slow  # every page at phone width
def test_phone_width_layout_on_every_page(browser: Browser, server: str) -> None:
    """At 390 px wide: no sideways scrolling, and the dates sit just under the title."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, base_url=server)
    page = context.new_page()
    problems = []
    for url in every_page():
        page.goto(url)
        layout = page.evaluate("""() => {
            const title = document.querySelector('article h1'), dates = document.querySelector('.hb-dates');
            return {width: document.documentElement.scrollWidth,
                    gap: title && dates ? dates.getBoundingClientRect().top - title.getBoundingClientRect().bottom : 0};
        }""")
        if layout["width"] > 390:
            problems.append(f"/{url}: the page is {layout['width']} px wide, so it scrolls sideways")
        if layout["gap"] > 40:
            problems.append(f"/{url}: {layout['gap']:.0f} px between the title and the dates")
    context.close()
    assert problems == []


def test_axe_with_a_definition_open(page: Page) -> None:
    page.goto("roles/advocacy/")
    page.locator("a.hb-term").first.focus()
    expect(page.locator(".hb-tip.is-open")).to_be_visible()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def _tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector`` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def test_keyboard_skip_link_moves_to_the_content(page: Page) -> None:
    page.goto("roles/advocacy/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/roles/advocacy/#advocacy")
    page.wait_for_timeout(1000)  # Material's instant navigation once replaced the article here, losing the focus
    expect(page.locator("article h1")).to_be_focused()
    _tab_to(page, "article a", limit=3)  # the next stop is in the article, not back in the header


def test_keyboard_navigation_reaches_a_section(page: Page) -> None:
    page.goto("")
    _tab_to(page, ".md-tabs a[href$='roles/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/roles/")
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name("The social worker's roles")


def test_keyboard_search_from_shortcut_to_page(page: Page) -> None:
    page.context.add_init_script(TRACK_WORKER)
    page.goto("")
    page.keyboard.press("/")  # Material's shortcut: focus the search box
    expect(page.locator(".md-search__input")).to_be_focused()
    page.keyboard.type("independent advocacy", delay=20)
    # The whole query's results, with no other query still to answer (its results would replace these).
    expect(page.locator(".md-search-result__link").first).to_have_attribute(
        "href", re.compile(r"[?&]h=independent\+advocacy"), timeout=15000)
    page.wait_for_function("() => hbSearch.sent > 0 && hbSearch.sent === hbSearch.received", timeout=15000)
    page.keyboard.press("ArrowDown")
    expect(page.locator(".md-search-result a").first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/roles/advocacy/**")


def test_keyboard_definition_opens_on_tab_and_closes_with_escape(page: Page) -> None:
    page.goto("roles/advocacy/")
    _tab_to(page, "a.hb-term", limit=120)
    expect(page.locator(".hb-tip.is-open")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".hb-tip.is-open")).to_have_count(0)
    assert page.evaluate("() => document.activeElement.matches('a.hb-term')")  # focus stays on the term


def test_keyboard_cite_box_copy_by_tab_and_space(page: Page) -> None:
    page.goto("roles/advocacy/")
    page.locator(".hb-cite-box a[href$='about/cite/']").focus()  # the citing guide, in the cite box's introduction
    _tab_to(page, "button.hb-copy", limit=10)
    label = page.evaluate("() => document.getElementById(document.activeElement.getAttribute('aria-describedby')).textContent")
    page.keyboard.press("Space")
    expect(page.get_by_role("complementary", name="Cite this page").locator(".hb-copy-status")).to_contain_text(f"{label} citation copied")


def test_the_top_navigation_fits_on_one_line_at_1280_px(page: Page) -> None:
    """Every section's tab is on the one line of tabs, none cut off, at a laptop's 1280 px."""
    page.goto("settings/")
    tabs = page.evaluate("""() => [...document.querySelectorAll('.md-tabs__item')].map(tab => {
        const box = tab.getBoundingClientRect();
        return {text: tab.innerText.trim(), top: Math.round(box.top), right: Math.round(box.right)};
    })""")
    assert [t["text"] for t in tabs][6:8] == ["Statutory settings", "Skills"], tabs
    assert len({t["top"] for t in tabs}) == 1, tabs
    assert max(t["right"] for t in tabs) <= page.viewport_size["width"], tabs
# Figures (scripts/handbook/figures.py) ---------------------------------------------------------
FIGURE_PAGES = ["client/", "approach/principles/", "practice/family/", "settings/adult-social-care/"]


def _channels(css: str) -> list[float]:
    values = [float(v) for v in css[css.index("(") + 1:css.index(")")].split(",")]
    return values + [1.0] * (4 - len(values))


def _luminance(rgb: str, background: str = "rgb(255, 255, 255)") -> float:
    """The relative luminance of a CSS colour, laid over the background when it is translucent."""
    *fg, alpha = _channels(rgb)
    bg = _channels(background)[:3]
    channels = [(alpha * f + (1 - alpha) * b) / 255 for f, b in zip(fg, bg)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_figures_are_drawn_in_the_text_colour_with_contrast_in_both_schemes(browser: Browser, server: str, color_scheme: str) -> None:
    """axe does not measure text inside SVG: the drawing's lines and labels against the page, here."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=color_scheme, base_url=server)
    page = context.new_page()
    for url in FIGURE_PAGES:
        page.goto(url)
        found = page.evaluate("""() => [...document.querySelectorAll('.hb-figure svg')].map(svg => {
            const text = svg.querySelector('text'), shape = svg.querySelector('[stroke="currentColor"]');
            return {fill: getComputedStyle(text).fill, stroke: getComputedStyle(shape).stroke,
                    body: getComputedStyle(document.querySelector('article.md-typeset')).color,
                    background: getComputedStyle(document.body).backgroundColor};
        })""")
        assert found, url
        for colours in found:
            assert colours["fill"] == colours["stroke"] == colours["body"], (url, colours)
            light, dark = sorted((_luminance(colours["fill"], colours["background"]), _luminance(colours["background"])), reverse=True)
            assert (light + 0.05) / (dark + 0.05) >= 4.5, (url, color_scheme, colours)
    context.close()


def test_figure_text_is_readable_on_a_phone_and_the_page_does_not_scroll_sideways(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, base_url=server)
    page = context.new_page()
    for url in FIGURE_PAGES:
        page.goto(url)
        sizes = page.evaluate("""() => [...document.querySelectorAll('.hb-figure svg')].map(svg => {
            const box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
            return Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale));
        })""")
        assert sizes and min(sizes) >= 12, (url, sizes)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        # a drawing wider than the screen scrolls inside its own box, which the keyboard can reach
        drawing = page.locator(".hb-figure-drawing").first
        assert drawing.get_attribute("tabindex") == "0"
    context.close()
