"""The built site, read with a real HTML parser: what readers and reference managers get."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
from pathlib import Path

import bibtexparser
import rispy
import yaml
from bs4 import BeautifulSoup, Tag

from handbook.site import release_date
from conftest import ROOT, by_id, page, parsed

class _ConfigLoader(yaml.BaseLoader):
    """mkdocs.yml as a build without HANDBOOK_SITE_URL reads it: !ENV gives its default."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_ConfigLoader)
SITE_URL = CONFIG["site_url"]
IA_URLS = re.findall(r"^\| `(/[^`]*)` \|", (ROOT.parent / "shared" / "IA.md").read_text()) if (ROOT.parent / "shared" / "IA.md").exists() else []


def nav_sources(nav) -> list[str]:
    out = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        out += nav_sources(value) if isinstance(value, list) else [value]
    return out


NAV = nav_sources(CONFIG["nav"])
CONTENT_PAGES = [s for s in NAV if s not in ("glossary/index.md", "references/index.md")]


def url_of(src: str) -> str:
    return "" if src == "index.md" else src.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/"


def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_in_the_navigation_is_built_at_its_fixed_url(site: Path) -> None:
    for src in NAV:
        assert (site / url_of(src) / "index.html").exists(), src
    if IA_URLS:  # every page of the first release sits at the address the IA fixed for it
        built = {"/" + url_of(s) for s in NAV}
        assert {"/client/", "/client/language/", "/client/involuntary-clients/", "/roles/", "/roles/empowerment/",
                "/roles/support-and-guidance/", "/roles/advocacy/", "/glossary/", "/references/", "/about/",
                "/about/cite/", "/about/changelog/"} <= built
        assert built - {"/about/style-guide/"} <= set(IA_URLS), "a page sits outside the URL plan"


def test_language_is_british_english(site: Path) -> None:
    for path in all_pages(site):
        html = parsed(path)
        assert html.html["lang"] == "en-GB", path


def _is_local(url: str) -> bool:
    parsed = urllib.parse.urlparse(url)
    return not parsed.netloc or url.startswith(SITE_URL) or parsed.scheme in ("data", "blob")


def test_no_request_to_a_third_party_host(site: Path) -> None:
    """Scripts, styles, fonts, images and frames all come from the site itself."""
    loaded = []
    for path in all_pages(site):
        html = parsed(path)
        for tag in html.find_all(["script", "img", "iframe", "source", "audio", "video", "embed", "object"]):
            loaded.append(tag.get("src") or tag.get("data") or "")
        for link in html.find_all("link"):
            if set(link.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload", "manifest", "preconnect", "dns-prefetch"}:
                loaded.append(link["href"])
    for css in site.rglob("*.css"):
        loaded += re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text())
    third_party = sorted({u for u in loaded if u and not _is_local(u)})
    assert third_party == []
    for asset in list(site.rglob("*.css")) + list(site.rglob("*.html")):
        assert "fonts.googleapis.com" not in asset.read_text() and "fonts.gstatic.com" not in asset.read_text()


def test_every_content_page_has_dates_and_a_cite_box(site: Path) -> None:
    for src in CONTENT_PAGES + ["glossary/index.md", "references/index.md"]:
        html = page(site, url_of(src))
        dates = html.select_one(".hb-dates")
        assert dates and "First published" in dates.text and "Last reviewed" in dates.text and "Next review due" in dates.text, src
        box = html.select_one("aside.hb-cite-box")
        assert box is not None, src
        assert [dt.get_text(strip=True) for dt in box.select("dt")] == [
            "APA 7th edition", "Harvard (Cite Them Right)", "MLA 9th edition", "Chicago author-date", "Vancouver"]
        assert len(box.select("button.hb-copy")) == 5


def test_cite_box_text_and_downloads(site: Path) -> None:
    box = page(site, "roles/advocacy").select_one("aside.hb-cite-box")
    version = re.search(r'^version: "([^"]+)"', (ROOT / "CITATION.cff").read_text(), re.M).group(1)
    apa = box.select_one("#hb-cite-apa")["data-plain"]
    assert apa == (f"Client-Centred Practice Handbook contributors. (2026). Advocacy. In Client-Centred Practice Handbook "
                   f"(Version {version}). {SITE_URL}roles/advocacy/")
    harvard = box.select_one("#hb-cite-harvard")["data-plain"]
    assert harvard.startswith("Client-Centred Practice Handbook contributors (2026) ‘Advocacy’, Client-Centred Practice Handbook.")
    links = {a.get_text(strip=True): a for a in box.select(".hb-cite-downloads a")}
    bib = urllib.parse.unquote(links["BibTeX (.bib)"]["href"].split(",", 1)[1])
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks
    entry = library.entries[0]
    assert entry.entry_type == "incollection" and entry["booktitle"] == "Client-Centred Practice Handbook"
    assert entry["author"] == "{Client-Centred Practice Handbook contributors}" and entry["url"] == f"{SITE_URL}roles/advocacy/"
    ris = rispy.loads(urllib.parse.unquote(links["RIS (.ris)"]["href"].split(",", 1)[1]))[0]
    assert ris["type_of_reference"] == "CHAP" and ris["title"] == "Advocacy"
    assert ris["secondary_title"] == "Client-Centred Practice Handbook" and ris["urls"] == [f"{SITE_URL}roles/advocacy/"]
    assert links["BibTeX (.bib)"]["download"] == "ccph-roles-advocacy.bib"


def meta(html: BeautifulSoup, name: str) -> list[str]:
    """The content of each ``<meta name=...>``, then of each ``<meta property=...>``, in the page's order."""
    metas = _metas(html)
    return [m["content"] for m in metas if m.get("name") == name] + [m["content"] for m in metas if m.get("property") == name]


_METAS: dict[int, tuple[BeautifulSoup, list[Tag]]] = {}


def _metas(html: BeautifulSoup) -> list[Tag]:
    """The page's meta elements, found in one walk of it (a test reads a dozen names from each page)."""
    kept = _METAS.get(id(html))
    if kept is None or kept[0] is not html:
        kept = _METAS[id(html)] = (html, html.find_all("meta"))
    return kept[1]


def test_head_metadata_for_reference_managers(site: Path) -> None:
    html = page(site, "roles/advocacy")
    version = re.search(r'^version: "([^"]+)"', (ROOT / "CITATION.cff").read_text(), re.M).group(1)
    url = f"{SITE_URL}roles/advocacy/"
    assert meta(html, "citation_title") == ["Advocacy"]
    # The trailing comma keeps the collective whole in Zotero (see Author.highwire).
    assert meta(html, "citation_author") == ["Client-Centred Practice Handbook contributors,"]
    released = release_date(ROOT)  # advocacy was changed by the newest release, so it carries that release's date
    assert meta(html, "citation_publication_date") == [released.strftime("%Y/%m/%d")]
    assert not meta(html, "citation_online_date")  # one date: the version's (test_head_metadata_agrees_on_every_page)
    assert meta(html, "citation_inbook_title") == ["Client-Centred Practice Handbook"]
    # No publisher: it would repeat the collective author, which APA then prints twice.
    assert not meta(html, "citation_publisher") and not meta(html, "DC.publisher")
    assert meta(html, "prism.edition") == [f"Version {version}"]  # Zotero's RDF import reads it as the Edition
    assert meta(html, "citation_public_url") == [url]
    assert meta(html, "citation_language") == ["en-GB"]  # as the page itself is
    assert not meta(html, "citation_journal_title") and not meta(html, "citation_book_title")
    assert meta(html, "DC.title") == ["Advocacy"]
    assert meta(html, "DC.creator") == ["Client-Centred Practice Handbook contributors"]
    assert meta(html, "DC.date") == [released.isoformat()]
    assert meta(html, "DC.identifier") == [url]
    assert meta(html, "DC.rights") == ["https://creativecommons.org/licenses/by/4.0/"]
    assert meta(html, "og:title") == ["Advocacy"] and meta(html, "og:url") == [url] and meta(html, "og:type") == ["article"]
    assert html.find("link", rel="canonical")["href"] == url
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["@type"] == "Chapter" and data["headline"] == "Advocacy"
    assert data["author"] == [{"@type": "Organization", "name": "Client-Centred Practice Handbook contributors"}]
    assert data["datePublished"] == data["dateModified"] == released.isoformat() and data["dateCreated"] == "2026-11-23"
    assert "publisher" not in data
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["isPartOf"]["name"] == "Client-Centred Practice Handbook" and data["isPartOf"]["@type"] == "Book"


def test_home_page_metadata_describes_the_whole_handbook(site: Path) -> None:
    html = page(site, "")
    assert meta(html, "citation_title") == ["Client-Centred Practice Handbook"] == meta(html, "DC.title")
    assert not meta(html, "citation_inbook_title") and meta(html, "og:type") == ["book"]
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["@type"] == "Book" and "isPartOf" not in data


def test_citations_link_to_a_complete_reference_list(site: Path) -> None:
    for src in CONTENT_PAGES:
        html = page(site, url_of(src))
        cited = {a["data-cite"] for a in html.select("a.hb-cite")}
        listed = {li["id"].removeprefix("ref-") for li in html.select("ul.hb-references > li")}
        assert cited == listed, src
        ids = by_id(html)
        for a in html.select("a.hb-cite"):
            assert a["href"] == f"#ref-{a['data-cite']}" and a["href"][1:] in ids
        if cited:
            heading = html.find("h2", id="references")
            assert heading is not None and heading.find_next("ul")["class"] == ["hb-references"], src


def test_topic_pages_meet_the_source_standard(site: Path) -> None:
    for src in ["client/index.md", "client/language.md", "client/involuntary-clients.md",
                "roles/empowerment.md", "roles/support-and-guidance.md", "roles/advocacy.md"]:
        html = page(site, url_of(src))
        assert len(html.select("ul.hb-references > li")) >= 5, src
        assert len({a["data-term"] for a in html.select("a.hb-term")}) >= 4, src
        doi_links = [a["href"] for a in html.select("ul.hb-references a") if "doi.org" in a["href"]]
        assert all(h.startswith("https://doi.org/10.") for h in doi_links)


def test_term_links_lead_to_entries_and_are_described_by_definitions(site: Path) -> None:
    glossary = page(site, "glossary")
    anchors = {entry["id"] for entry in glossary.select(".hb-glossary h3.hb-entry")}
    for src in CONTENT_PAGES:
        html = page(site, url_of(src))
        ids = by_id(html)
        for link in html.select("a.hb-term"):
            target = urllib.parse.urljoin(f"/{url_of(src)}", link["href"])
            assert target.startswith("/glossary/#"), (src, link["href"])
            assert target.split("#")[1] == link["data-term"] in anchors
            tip = ids.get(link["aria-describedby"])
            assert tip is not None and tip["role"] == "tooltip" and tip.select_one(".hb-tip__def").get_text(strip=True)
        defs = html.select_one("div.hb-defs")
        if html.select("a.hb-term"):
            assert defs.has_attr("hidden") and defs.has_attr("data-search-exclude")


def test_reference_list_and_definitions_are_on_the_page_in_place_and_not_in_the_search_index(site: Path) -> None:
    """They reach the template apart from page.content (so the search plugin does not read them):
    the reader still finds them where they were, in the article, after the text and before the cite box."""
    html = page(site, "roles/advocacy")
    article = html.select_one("article")
    heading = article.find(id="references")
    refs, defs, cite_box = article.select_one("ul.hb-references"), article.select_one("div.hb-defs"), article.select_one("aside.hb-cite-box")
    assert heading is not None and heading.find_next("ul") is refs and refs.find_next("div", class_="hb-defs") is defs
    assert cite_box is not None and defs.find_next("aside") is cite_box
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    indexed = " ".join(d["text"] for d in docs if d["location"].startswith("roles/advocacy/"))
    assert "Advocacy" in " ".join(d["title"] for d in docs if d["location"].startswith("roles/advocacy/"))
    for text in [refs.li.get_text(" ", strip=True)[:40], defs.select_one(".hb-tip__def").get_text(" ", strip=True)[:40]]:
        assert text and text not in indexed, text


def test_glossary_page(site: Path) -> None:
    html = page(site, "glossary")
    entries = html.select(".hb-glossary h3.hb-entry")
    names = [dt.get_text(strip=True) for dt in entries]
    assert len(names) >= 45 and names == sorted(names, key=str.casefold)
    upr = html.find(id="unconditional-positive-regard")
    assert upr.find("dfn").get_text() == "unconditional positive regard"
    for letter_link in html.select("nav.hb-letters a"):
        assert html.find(id=letter_link["href"][1:]) is not None
    advocacy = html.find(id="advocacy").find_next("div", class_="hb-entry__body")
    appears = [a["href"] for a in advocacy.find_all("a") if not a["href"].startswith("#")]
    assert "../roles/advocacy/" in appears
    humility = html.find(id="cultural-humility").find_next("div", class_="hb-entry__body")
    assert "Tervalon, M., &amp; Murray-García, J. (1998)" in str(humility)


def test_glossary_and_bibliography_downloads(site: Path) -> None:
    data = json.loads((site / "data/glossary.json").read_text())
    assert len(data) >= 45 and {"id", "term", "definition"} <= set(data[0])
    rows = list(csv.DictReader(io.StringIO((site / "data/glossary.csv").read_text())))
    assert len(rows) == len(data)
    library = bibtexparser.parse_string((site / "data/references.bib").read_text())
    items = json.loads((site / "data/references.json").read_text())
    assert len(library.entries) == len(items) and not library.failed_blocks
    assert len(rispy.loads((site / "data/references.ris").read_text())) == len(items)


def test_bibliography_page_lists_every_source_once_with_cited_on(site: Path) -> None:
    html = page(site, "references")
    items = json.loads((ROOT / "docs/data/references.json").read_text())
    ids = [li["id"] for li in html.select("ul.hb-bibliography > li")]
    assert sorted(ids) == sorted(f"ref-{i['id']}" for i in items)
    rogers = html.find(id="ref-rogers1957")
    assert rogers.select_one(".hb-meta") is not None and "Cited on" in rogers.get_text()


def test_section_landing_pages_list_their_pages(site: Path) -> None:
    html = page(site, "roles")
    listed = [a.get_text() for a in html.select("ul.hb-section-pages a")]
    assert listed == ["Empowerment", "Support and guidance", "Advocacy"]


def test_not_found_page(site: Path) -> None:
    html = parsed(site / "404.html")
    assert html.find("h1").get_text() == "Page not found"
    assert html.html["lang"] == "en-GB"


def test_no_page_promises_what_is_not_there(site: Path) -> None:
    for path in all_pages(site):
        text = parsed(path).get_text().lower()
        assert "coming soon" not in text and "lorem ipsum" not in text and "todo" not in text.split(), path


def test_navigation_follows_the_plan(site: Path) -> None:
    html = page(site, "roles/advocacy")
    tabs = [a.get_text(strip=True) for a in html.select("nav.md-tabs a.md-tabs__link")]
    assert tabs == ["Home", "Who is the client?", "Roles", "Relationship", "Challenges", "Approach",
                    "Statutory settings", "Skills", "Case studies", "Glossary", "References", "About"]
    section = [a.get_text(strip=True) for a in html.select("nav.md-nav--primary .md-nav__item--active .md-nav__link")]
    assert {"Empowerment", "Support and guidance", "Advocacy"} <= set(section)
    footer = [a.get_text(" ", strip=True) for a in html.select("nav.md-footer__inner a")]
    assert any("Support and guidance" in f for f in footer)  # footer navigation to the previous page


def test_every_link_in_the_built_site_leads_somewhere(site: Path) -> None:
    """Links the build writes itself (term links, backlinks, section lists, citations) are
    checked here, in the built HTML, as the HTML proofer once did on every build."""
    pages = {path: parsed(path) for path in all_pages(site)}
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            html = pages.get(path) or parsed(path)
            ids[path] = {el["id"] for el in html.find_all(id=True)}
        return ids[path]

    broken = []
    for source, html in pages.items():
        for link in html.select("article a[href]"):
            href = link["href"]
            if re.match(r"^[a-z][a-z0-9+.-]*:", href):
                continue
            path, _, anchor = href.partition("#")
            target = (source.parent / urllib.parse.unquote(path)).resolve() if path else source
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{source.relative_to(site)}: {href}")
            elif anchor and target.suffix == ".html" and anchor not in anchors(target):
                broken.append(f"{source.relative_to(site)}: {href} (no such section)")
    assert broken == []


def _built_pages(site: Path) -> list[tuple[str, BeautifulSoup]]:
    found = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        if rel.startswith(("v/", "downloads/")) or rel == "404":
            continue
        html = parsed(path)
        if meta(html, "citation_title"):
            found.append(("" if rel == "." else rel + "/", html))
    return found


def test_head_metadata_agrees_on_every_page(site: Path) -> None:
    """Highwire (Zotero), Dublin Core, Open Graph, JSON-LD and the cite box describe each page alike."""
    from handbook.config import nav_pages, read_nav
    from handbook.releases import load_releases

    releases, _ = load_releases(ROOT / "docs", {}, "0.0.0", None)
    pages = _built_pages(site)
    assert len(pages) == len(nav_pages(read_nav(ROOT)))  # every page in the navigation
    for url, html in pages:
        data = json.loads(html.find("script", type="application/ld+json").string)
        title = meta(html, "citation_title")
        assert title == meta(html, "DC.title") == meta(html, "og:title") == meta(html, "twitter:title") \
            == [data["name"]] == [data["headline"]], url
        # Zotero reads "Family, Given" (or a collective's name and a comma): the same names with or without it.
        authors = [a.rstrip(", ") for a in meta(html, "citation_author")]
        assert authors == meta(html, "DC.creator"), url
        assert [a["name"] if a["@type"] == "Organization" else f"{a['familyName']}, {a['givenName']}" for a in data["author"]] == authors, url
        assert not meta(html, "citation_publisher") and not meta(html, "DC.publisher") and "publisher" not in data, url
        whole_book = url == ""
        assert (data["@type"], meta(html, "og:type"), bool(meta(html, "citation_inbook_title"))) == \
            (("Book", ["book"], False) if whole_book else ("Chapter", ["article"], True)), url
        if not whole_book:
            assert data["isPartOf"]["@type"] == "Book" and data["isPartOf"]["name"] == meta(html, "citation_inbook_title")[0]
        day = meta(html, "citation_publication_date")[0].replace("/", "-")
        assert [day] == meta(html, "DC.date") == meta(html, "article:published_time") == meta(html, "article:modified_time") \
            == [data["datePublished"]] == [data["dateModified"]], url
        box = html.select_one(".hb-cite-style[data-style=apa] .hb-cite-text")["data-plain"]
        assert f"({day[:4]})" in box, url
        version = data["version"]
        assert meta(html, "prism.edition") == [f"Version {version}"] and f"(Version {version})" in box, url
        # The date of the version being read: never earlier than the release that last changed the page.
        src = "index.md" if whole_book else url.rstrip("/") + (".md" if (ROOT / "docs" / (url.rstrip("/") + ".md")).exists() else "/index.md")
        changed = [r.date.isoformat() for r in releases.changes(src, version)]
        assert not changed or day >= max(changed), (url, day, changed)


def test_a_page_changed_by_later_releases_carries_their_date(site: Path) -> None:
    html = page(site, "glossary")
    assert meta(html, "DC.date") == ["2026-12-07"]  # created 23 November; changed by 0.2.0, 0.3.0 and 0.4.0
    assert "(2026)" in html.select_one(".hb-cite-style[data-style=apa] .hb-cite-text")["data-plain"]


def test_the_home_page_has_one_name_everywhere(site: Path) -> None:
    html = page(site, "")
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["name"] == meta(html, "og:title")[0] == meta(html, "citation_title")[0] == "Client-Centred Practice Handbook"
