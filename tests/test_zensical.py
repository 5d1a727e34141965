"""The same content builds with Zensical, Material's successor (Material's end of life: 2027-05-05).

A reader or contributor must not be able to tell which engine built the site: the
comparison below builds it with both and compares, page by page, what each publishes.
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from conftest import ENV, by_id, page, parsed, run_folder, shared
from test_scaffold import copy_project
from test_site import CONTENT_PAGES, NAV, url_of


def _build_with_zensical(folder: Path) -> dict:
    project = copy_project(folder / "project")
    result = subprocess.run([str(Path(sys.executable).parent / "zensical"), "build", "--clean"], cwd=project, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    return {"returncode": result.returncode, "output": result.stdout}


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook built with Zensical, once per run whichever worker asks first (tests/conftest.py `shared`)."""
    result = shared(tmp_path_factory, "zensical", _build_with_zensical)
    assert result["returncode"] == 0, result["output"]
    assert "unknown" not in result["output"], result["output"]  # no content problem reported
    return run_folder(tmp_path_factory) / "zensical" / "project" / "site"


# What belongs to the engine and its theme, not to the handbook: the theme's own scripts,
# styles and source maps, its search index (each engine has its own format and search code),
# and MkDocs' gzipped copy of the sitemap.
ENGINE_FILES = re.compile(
    r"^(assets/javascripts/(bundle\.|workers/|lunr/|LICENSE)|assets/stylesheets/((modern|classic)/)?(main|palette)\."
    r"|.*\.map$|search/search_index\.json$|search\.json$|sitemap\.xml\.gz$)")
SEARCH_EXCLUDE = re.compile(r' data-search-exclude(="")?')
THEME_HREF = re.compile(r"assets/(stylesheets/((modern|classic)/)?(main|palette)|javascripts/bundle)\.")


def _published(site: Path) -> set[str]:
    files = (p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    return {rel for rel in files if not ENGINE_FILES.match(rel)}


def _reader_view(site: Path, rel: str) -> dict[str, object]:
    """What a reader, a reference manager and a search engine get from one page."""
    soup = parsed(site / rel)  # shared with other tests: read, never changed
    base = "https://handbook.invalid/" + rel.removesuffix("index.html")

    def url(href: str | None) -> str | None:
        return None if href is None else urllib.parse.urljoin(base, href)

    article = soup.select_one("article")
    assert article is not None, rel
    # The theme's own target of the skip link (Zensical puts it inside the article) is not content.
    links = [url(a.get("href")) for a in article.find_all("a") if a.get("id") != "__skip"]
    head = soup.head
    return {
        "title": soup.title.get_text() if soup.title else None,
        "text of the article": " ".join(article.get_text(" ").split()),
        "links in the article": links,
        "head metadata": sorted((m.get("name") or m.get("property") or m.get("charset") or m.get("http-equiv") or "",
                                 m.get("content") or "") for m in head.find_all("meta") if m.get("name") != "generator"),
        "head links": sorted((" ".join(link.get("rel", [])), url(link.get("href")) or "") for link in head.find_all("link")
                             if not THEME_HREF.search(link.get("href", ""))),
        "structured data": [s.get_text() for s in head.find_all("script", type="application/ld+json")],
        # data-search-exclude is read by each engine's indexer, and Zensical then drops it.
        "dates under the title": [SEARCH_EXCLUDE.sub("", str(d)) for d in soup.select("h1 + .hb-dates")],
    }


@pytest.mark.slow  # Zensical builds the whole handbook for this module: handed out early, not last
def test_both_engines_publish_the_same_site(site: Path, zensical_site: Path) -> None:
    """Built with MkDocs (the `site` fixture) and with Zensical, from the same sources."""
    differences: list[str] = []
    mkdocs_files, zensical_files = _published(site), _published(zensical_site)
    differences += [f"{rel}: published only by MkDocs" for rel in sorted(mkdocs_files - zensical_files)]
    differences += [f"{rel}: published only by Zensical" for rel in sorted(zensical_files - mkdocs_files)]
    for rel in sorted(mkdocs_files & zensical_files):
        if rel.endswith(".html"):
            ours, theirs = _reader_view(site, rel), _reader_view(zensical_site, rel)
            for what in ours:
                if ours[what] != theirs[what]:
                    a, b = ours[what], theirs[what]
                    if isinstance(a, list) and isinstance(b, list):
                        detail = f"only MkDocs: {[x for x in a if x not in b][:3]}, only Zensical: {[x for x in b if x not in a][:3]}"
                    else:
                        detail = f"MkDocs: {str(a)[:160]!r} / Zensical: {str(b)[:160]!r}"
                    differences.append(f"{rel}: {what} differs ({detail})")
        elif rel == "sitemap.xml":  # the same pages (MkDocs adds the build date as lastmod)
            locs = [re.findall(r"<loc>(.*?)</loc>", (s / rel).read_text(encoding="utf-8")) for s in (site, zensical_site)]
            if locs[0] != locs[1]:
                differences.append(f"{rel}: lists different pages")
        elif (site / rel).read_bytes() != (zensical_site / rel).read_bytes():
            differences.append(f"{rel}: differs")
    assert not differences, "\n".join(differences)


def test_every_page_builds(zensical_site: Path) -> None:
    for src in NAV:
        html = page(zensical_site, url_of(src))
        assert html.html["lang"] == "en-GB", src
        assert html.find("h1") is not None, src


def test_term_links_and_definitions(zensical_site: Path) -> None:
    for src in CONTENT_PAGES:
        html = page(zensical_site, url_of(src))
        ids = by_id(html)
        for link in html.select("a.hb-term"):
            assert urllib.parse.urljoin(f"/{url_of(src)}", link["href"]).startswith("/glossary/#")
            assert link["aria-describedby"] in ids
    glossary = page(zensical_site, "glossary")
    assert len(glossary.select(".hb-glossary h3.hb-entry")) >= 45


def test_citations_and_reference_lists(zensical_site: Path) -> None:
    for src in CONTENT_PAGES:
        html = page(zensical_site, url_of(src))
        cited = {a["data-cite"] for a in html.select("a.hb-cite")}
        assert cited == {li["id"].removeprefix("ref-") for li in html.select("ul.hb-references > li")}, src
    assert len(page(zensical_site, "references").select("ul.hb-bibliography > li")) >= 80


def test_cite_box_dates_and_head_metadata(zensical_site: Path) -> None:
    html = page(zensical_site, "roles/advocacy")
    assert len(html.select("aside.hb-cite-box dt")) == 5
    assert html.select_one("h1 + p.hb-dates") is not None  # under the title, as under MkDocs
    assert html.find("meta", attrs={"name": "citation_inbook_title"})["content"] == "Client-Centred Practice Handbook"


def test_downloads_are_published(zensical_site: Path) -> None:
    data = zensical_site / "data"
    assert (data / "references.ris").read_text(encoding="utf-8").count("TY  - ") >= 80
    assert (data / "references.bib").read_text(encoding="utf-8").count("@") >= 80
    assert (data / "glossary.csv").read_text(encoding="utf-8").startswith("id,")
    assert '"term"' in (data / "glossary.json").read_text(encoding="utf-8")


def test_macro_examples_stay_as_written(zensical_site: Path) -> None:
    codes = [c.get_text() for c in page(zensical_site, "about/style-guide").select("code")]
    assert '{{ term("empathy") }}' in codes


def test_every_content_problem_stops_a_zensical_build_with_the_same_lines(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    advocacy = project / "docs/roles/advocacy.md"
    advocacy.write_text(advocacy.read_text().replace('term("power")', 'term("powr")', 1))
    powr = next(n for n, line in enumerate(advocacy.read_text().split("\n"), 1) if 'term("powr")' in line)
    empathy = project / "docs/relationship/empathy.md"
    empathy.write_text(re.sub(r"^title: .*$", 'title: "Empathy <b>"', empathy.read_text(), count=1, flags=re.M))
    result = subprocess.run([str(Path(sys.executable).parent / "zensical"), "build", "--clean"], cwd=project, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    assert result.returncode != 0
    lines = result.stdout.splitlines()
    expected = ["docs/relationship/empathy.md:2: 'title' is 'Empathy <b>', which is not plain text on one line: write quotation"
                " marks as “ ” or ‘ ’, and leave out <, >, `, { and }.",
                f"docs/roles/advocacy.md:{powr}: unknown glossary term 'powr'. Did you mean 'power'?"]
    assert [line for line in lines if line.startswith("docs/")] == expected  # each once, all of them
    assert "The build stopped: 2 content problems, listed above." in result.stdout


def test_template_code_is_refused_under_zensical_too(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    target = project / "docs" / "roles" / "advocacy.md"
    text = target.read_text(encoding="utf-8").replace("## Learning outcomes", "{{ cycler.__init__.__globals__.os.popen('id').read() }}\n\n## Learning outcomes", 1)
    target.write_text(text, encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).parent / "zensical"), "build", "--clean"], cwd=project, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    line = text.split("\n").index("{{ cycler.__init__.__globals__.os.popen('id').read() }}") + 1
    assert f"docs/roles/advocacy.md:{line}: calling anything but the handbook's macros is not allowed" in result.stdout
    built = project / "site" / "roles" / "advocacy" / "index.html"
    assert "uid=" not in result.stdout and (not built.exists() or "uid=" not in built.read_text(encoding="utf-8"))


def test_permanent_link_versions_and_changelog_anchors(zensical_site: Path) -> None:
    from handbook.site import handbook_version
    from test_site import SITE_URL

    from conftest import ROOT

    version = handbook_version(ROOT)
    html = page(zensical_site, "roles/advocacy")
    assert html.select_one("aside.hb-cite-box .hb-permalink a")["href"] == f"{SITE_URL}v/{version}/roles/advocacy/"
    change = html.select_one(".hb-changes a")["href"]
    anchor = change.split("#")[1]
    assert urllib.parse.urljoin("/roles/advocacy/", change).startswith("/about/changelog/#v")
    assert page(zensical_site, "about/changelog").find(id=anchor).name == "h2"
