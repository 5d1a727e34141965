"""What crawlers, feed readers and link previews find in the built site."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import by_id, page
from handbook.feed import FEED_SIZE

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://client-centred-practice-handbook.github.io/handbook/"


def test_robots_txt_points_at_the_sitemap(site: Path) -> None:
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots.splitlines()
    assert (site / "sitemap.xml").exists()


def test_the_feed_lists_every_page_newest_first(site: Path) -> None:
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    pages = [p for p in site.rglob("index.html") if "hb-dates" in p.read_text(encoding="utf-8")]
    assert len(entries) == min(len(pages), FEED_SIZE)  # the newest pages, as feed readers expect
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    links = {e.find(f"{ATOM}link").get("href") for e in entries}
    assert f"{SITE_URL}roles/advocacy/" in links
    advocacy = next(e for e in entries if e.findtext(f"{ATOM}id") == f"{SITE_URL}roles/advocacy/")
    assert advocacy.findtext(f"{ATOM}title").startswith("Advocacy")
    assert advocacy.findtext(f"{ATOM}summary").startswith("Case and cause advocacy")
    assert advocacy.findtext(f"{ATOM}published") <= advocacy.findtext(f"{ATOM}updated")


def test_every_page_says_where_its_feed_is_and_has_a_description_and_preview(site: Path) -> None:
    for path in site.rglob("index.html"):
        html = page(site, str(path.parent.relative_to(site)))
        if not html.select_one(".hb-dates"):
            continue
        where = path.relative_to(site)
        assert html.select_one('link[type="application/atom+xml"]'), where
        description = html.select_one('meta[name="description"]')["content"]
        assert len(description) >= 50, where
        for name in ("og:title", "og:description", "og:url"):
            assert html.select_one(f'meta[property="{name}"]')["content"], (where, name)
        for name in ("twitter:card", "twitter:title", "twitter:description"):
            assert html.select_one(f'meta[name="{name}"]')["content"], (where, name)


def test_definition_links_have_real_addresses_crawlers_can_follow(site: Path) -> None:
    html = page(site, "roles/advocacy/")
    more = html.select("a.hb-tip__more")
    assert more
    entries = by_id(page(site, "glossary/"))
    for link in more:
        href = link.get("href", "")
        assert href.startswith("../../glossary/#"), href
        assert href.split("#")[1] in entries, href
