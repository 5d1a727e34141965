"""What crawlers and feed readers fetch: robots.txt, and an Atom feed of new and revised pages.

The feed is made from the pages' front matter (``created``, ``reviewed``), so a page's
entry changes when it is reviewed, and readers of the feed hear of new and revised pages.
ElementTree writes the XML, so every title and description is escaped.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from .pages import FrontMatter
from .text import url_for

__all__ = ["FEED_FILE", "FEED_SIZE", "atom_feed", "robots_txt"]

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"
FEED_SIZE = 50  # entries: the most recently reviewed or published pages


def robots_txt(site_url: str) -> str:
    """Every page may be crawled; the sitemap says where they are."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url.rstrip('/')}/sitemap.xml\n"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(pages: dict[str, FrontMatter], site_url: str, title: str, subtitle: str) -> str:
    """An Atom feed of the pages, most recently reviewed first."""
    base = site_url.rstrip("/") + "/"
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "en-GB"})
    ordered = sorted(pages.items(), key=lambda item: (item[1].reviewed, item[1].created, item[0]), reverse=True)[:FEED_SIZE]
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = subtitle
    ET.SubElement(feed, f"{{{ATOM}}}id").text = base
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": base + FEED_FILE})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": base})
    newest = max((front.reviewed for _, front in ordered), default=dt.date(2026, 1, 1))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(newest)
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = f"{title} contributors"
    for src, front in ordered:
        url = base + url_for(src)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        revised = front.reviewed > front.created
        ET.SubElement(entry, f"{{{ATOM}}}title").text = front.title + (" (revised)" if revised else "")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": url})
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _stamp(front.created)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(front.reviewed)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = front.description
        for author in front.authors:
            ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = author.display
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
