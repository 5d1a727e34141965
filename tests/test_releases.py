"""Every release stays readable at its own address: two releases published as the deploy publishes them.

A copy of the project becomes a git repository with two release tags, v0.1.0 and v0.2.0, whose
advocacy page says different things. ``scripts/publish.py`` (``python3 dev.py publish``) builds
each tag with its own dev.py and lock file; the result is served over HTTP and read as a reader
would, following the links the pages give. The changelog's checks are tested without a build.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import ENV, ROOT
from test_scaffold import copy_project

sys.path.insert(0, str(ROOT / "scripts"))

from handbook.pages import FrontMatter  # noqa: E402
from handbook.releases import load_releases, release_base  # noqa: E402

OLD = "In this release, advocacy is described as speaking up with people, never for them."
NEW = "In this release, advocacy is described as people speaking for themselves wherever they can."
ENTRY_010 = "## 0.1.0 (23 November 2026) { #v0.1.0 }"
ENTRY_020 = "## 0.2.0 (1 December 2026) { #v0.2.0 }"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=repo, check=True,
                   capture_output=True)


def _say_on_advocacy(repo: Path, sentence: str) -> None:
    page = repo / "docs/roles/advocacy.md"
    text = re.sub(r"^In this release, advocacy .*\n\n", "", page.read_text(encoding="utf-8"), flags=re.M)
    page.write_text(text.replace("## Learning outcomes", f"{sentence}\n\n## Learning outcomes", 1), encoding="utf-8")


def _set_version(repo: Path, version: str, day: str) -> None:
    cff = repo / "CITATION.cff"
    text = re.sub(r'^version: .*$', f'version: "{version}"', cff.read_text(encoding="utf-8"), flags=re.M)
    cff.write_text(re.sub(r'^date-released: .*$', f'date-released: "{day}"', text, flags=re.M), encoding="utf-8")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The two releases published and served; yields (base URL, publish output)."""
    tmp = tmp_path_factory.mktemp("releases")
    repo = copy_project(tmp / "repo")
    changelog = repo / "docs/about/changelog.md"
    current = changelog.read_text(encoding="utf-8")
    # The project's own later releases are left out: this repository's newest is 0.2.0.
    first_entry = current.index("\n## ") + 1
    current = current[:first_entry] + current[current.index(ENTRY_020):]
    # Release 0.1.0: the changelog ends at 0.1.0, and the advocacy page says the old sentence.
    start, end = current.index(ENTRY_020), current.index(ENTRY_010)
    changelog.write_text(current[:start] + current[end:], encoding="utf-8")
    _set_version(repo, "0.1.0", "2026-11-23")
    _say_on_advocacy(repo, OLD)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Release 0.1.0")
    _git(repo, "tag", "v0.1.0")
    # Release 0.2.0: the advocacy page changes, and the 0.2.0 entry says so.
    changelog.write_text(current.replace(ENTRY_020 + "\n", ENTRY_020 + "\n\n- The [advocacy](../roles/advocacy.md) page "
                                         "describes advocacy anew.\n", 1), encoding="utf-8")
    _set_version(repo, "0.2.0", "2026-12-01")
    _say_on_advocacy(repo, NEW)
    _git(repo, "commit", "-q", "-am", "Release 0.2.0")
    _git(repo, "tag", "-a", "v0.2.0", "-m", "Version 0.2.0")  # annotated, as a release on GitHub makes it
    site = tmp / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    cache = tmp / "cache"
    command = [sys.executable, str(ROOT / "scripts/publish.py"), "--repo", str(repo), "-d", str(site), "--cache", str(cache)]
    result = subprocess.run(command, env=ENV | {"HANDBOOK_SITE_URL": base}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=900)
    assert result.returncode == 0, result.stdout
    # A second deploy finds every release in the cache and builds nothing.
    again = subprocess.run(command, env=ENV | {"HANDBOOK_SITE_URL": base}, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=300)
    assert again.returncode == 0 and "building" not in again.stdout, again.stdout
    assert again.stdout.count("(in the cache)") == 3, again.stdout
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, result.stdout
    finally:
        server.shutdown()
        server.server_close()


def read(url: str) -> BeautifulSoup:
    with urllib.request.urlopen(url, timeout=30) as response:
        return BeautifulSoup(response.read().decode("utf-8"), "html.parser")


def article_text(html: BeautifulSoup) -> str:
    return " ".join(html.select_one("article").get_text(" ").split())


def test_each_release_was_built_from_its_own_tag(served: tuple[str, str]) -> None:
    base, output = served
    assert "0.1.0 at " + base + "v/0.1.0/: building" in output
    assert "0.2.0 at " + base + ": building" in output and "0.2.0 at " + base + "v/0.2.0/: building" in output


def test_the_old_release_still_shows_the_old_text(served: tuple[str, str]) -> None:
    base, _ = served
    old = article_text(read(base + "v/0.1.0/roles/advocacy/"))
    assert OLD in old and NEW not in old
    for url in (base + "roles/advocacy/", base + "v/0.2.0/roles/advocacy/"):
        new = article_text(read(url))
        assert NEW in new and OLD not in new, url


def test_the_cite_box_links_the_permanent_address_of_the_text_read(served: tuple[str, str]) -> None:
    base, _ = served
    html = read(base + "roles/advocacy/")
    link = html.select_one("aside.hb-cite-box .hb-permalink a")
    assert link["href"] == link.get_text() == base + "v/0.2.0/roles/advocacy/"
    assert "Permanent link to this version (0.2.0)" in html.select_one(".hb-permalink").get_text()
    assert NEW in article_text(read(link["href"]))
    # On the versioned page itself, the permanent link is the page's own address.
    versioned = read(base + "v/0.2.0/roles/advocacy/")
    assert versioned.select_one(".hb-permalink a")["href"] == base + "v/0.2.0/roles/advocacy/"
    assert "This is the permanent address of version 0.2.0" in versioned.select_one(".hb-permalink").get_text()


def test_a_page_links_its_earlier_versions_and_the_changelog_entries_that_changed_it(served: tuple[str, str]) -> None:
    base, _ = served
    url = base + "roles/advocacy/"
    html = read(url)
    earlier = html.select(".hb-earlier a")
    assert [a.get_text() for a in earlier] == ["0.1.0 (23 November 2026)"]
    assert OLD in article_text(read(urljoin(url, earlier[0]["href"])))
    changes = html.select(".hb-changes a")
    assert [a.get_text() for a in changes] == ["0.2.0 (1 December 2026)", "0.1.0 (23 November 2026, first published)"]
    changelog = read(urljoin(url, changes[0]["href"]))
    entry = changelog.find(id="v0.2.0")
    assert entry is not None and entry.name == "h2"
    assert "describes advocacy anew" in entry.find_next("ul").get_text()
    # A page that no release changed after it was first published: no earlier version to offer but its first.
    origins = read(base + "approach/origins/")
    assert not origins.select(".hb-earlier a")
    assert [a.get_text() for a in origins.select(".hb-changes a")] == ["0.2.0 (1 December 2026, first published)"]


def test_an_old_version_says_so_and_leads_to_the_latest(served: tuple[str, str]) -> None:
    base, _ = served
    url = base + "v/0.1.0/roles/advocacy/"
    html = read(url)
    notice = html.select_one("article .hb-old-version")
    assert notice is not None and notice.get("role") == "note"
    text = " ".join(notice.get_text(" ").split())
    assert "You are reading version 0.1.0 of the handbook, published on 23 November 2026" in text
    assert "The latest version is 0.2.0 (1 December 2026)" in text
    latest = notice.find("a", string="read the latest version of this page")
    assert latest["href"] == base + "roles/advocacy/"
    assert NEW in article_text(read(latest["href"]))
    since = notice.find("a", string="0.2.0")
    assert since["href"] == base + "about/changelog/#v0.2.0"
    # The release's own text follows, unchanged.
    assert OLD in article_text(html)
    # The newest release carries no such notice.
    assert read(base + "v/0.2.0/roles/advocacy/").select_one(".hb-old-version") is None


def test_search_engines_are_sent_to_the_plain_addresses(served: tuple[str, str]) -> None:
    base, _ = served
    for url, indexed in ((base + "roles/advocacy/", True), (base + "v/0.2.0/roles/advocacy/", False),
                         (base + "v/0.1.0/roles/advocacy/", False)):
        html = read(url)
        robots = html.find("meta", attrs={"name": "robots"})
        assert (robots is None) == indexed, url
        if not indexed:
            assert robots["content"] == "noindex"
        assert html.find("link", rel="canonical")["href"] == url  # each version is its own page, not a copy
    with urllib.request.urlopen(base + "sitemap.xml", timeout=30) as response:
        sitemap = response.read().decode("utf-8")
    assert base + "roles/advocacy/" in sitemap and "/v/" not in sitemap
    for version in ("0.1.0", "0.2.0"):
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{base}v/{version}/sitemap.xml", timeout=30)


# The changelog's checks, without a build -----------------------------------------------------------

def _front(created: str) -> FrontMatter:
    day = dt.date.fromisoformat(created)
    return FrontMatter("T", "D", [], day, day, day + dt.timedelta(days=365))


def _changelog(tmp_path: Path, text: str) -> Path:
    docs = tmp_path / "docs"
    (docs / "about").mkdir(parents=True)
    (docs / "about/changelog.md").write_text(text, encoding="utf-8")
    return docs


CHANGELOG = """# Changelog

## 0.2.0 (1 December 2026) { #v0.2.0 }

- [Trust](../relationship/trust.md) is new.

## 0.1.0 (23 November 2026) { #v0.1.0 }

- [Advocacy](../roles/advocacy.md) and the [home page](../index.md).
"""
PAGES = {"roles/advocacy.md": _front("2026-11-23"), "index.md": _front("2026-11-20"),
         "relationship/trust.md": _front("2026-11-30")}


def test_the_changelog_as_written_gives_each_page_its_history(tmp_path: Path) -> None:
    releases, problems = load_releases(_changelog(tmp_path, CHANGELOG), PAGES, "0.2.0", dt.date(2026, 12, 1))
    assert problems == []
    history = releases.page_history("roles/advocacy.md", "0.2.0", "https://example.org/h/")
    assert history["permalink"] == "https://example.org/h/v/0.2.0/roles/advocacy/" and not history["versioned"]
    assert [e["href"] for e in history["earlier"]] == ["https://example.org/h/v/0.1.0/roles/advocacy/"]
    assert [(c["href"], c["first"]) for c in history["changes"]] == [("../../about/changelog/#v0.1.0", True)]
    history = releases.page_history("relationship/trust.md", "0.2.0", "https://example.org/h/")
    assert history["earlier"] == [] and [c["version"] for c in history["changes"]] == ["0.2.0"]
    # Built at its own address, a release's permanent links are that address.
    history = releases.page_history("index.md", "0.1.0", "https://example.org/h/v/0.1.0/")
    assert history["permalink"] == "https://example.org/h/v/0.1.0/" and history["versioned"]
    assert history["changes"][0]["href"] == "about/changelog/#v0.1.0"
    assert release_base("https://example.org/h/v/0.1.0", "0.1.0") == ("https://example.org/h/", True)
    # A page that no entry links (a new page, until a release publishes it) has no permanent link yet.
    later = {**PAGES, "roles/new.md": _front("2026-11-25")}
    assert releases.unreleased(later) == ["roles/new.md"]
    assert releases.page_history("roles/new.md", "0.2.0", "https://example.org/h/") == {"released": False, "version": "0.2.0"}


@pytest.mark.parametrize(("text", "pages", "version", "expected"), [
    (CHANGELOG, {**PAGES, "roles/advocacy.md": _front("2026-11-25")}, "0.2.0",
     "docs/about/changelog.md:9: the 0.1.0 entry links roles/advocacy.md, which was first published later (created 2026-11-25)."),
    (CHANGELOG.replace(" { #v0.2.0 }", ""), PAGES, "0.2.0",
     "docs/about/changelog.md:3: the release heading needs the anchor pages link to: end it with '{ #v0.2.0 }'"),
    (CHANGELOG.replace("(1 December 2026)", "(2026-12-01)"), PAGES, "0.2.0",
     "docs/about/changelog.md:3: a release heading is written '## 0.2.0 (1 December 2026) { #v0.2.0 }'"),
    (CHANGELOG.replace("0.1.0 (23 November", "0.3.0 (23 November").replace("#v0.1.0", "#v0.3.0"), PAGES, "0.2.0",
     "docs/about/changelog.md:7: releases are listed newest first: 0.3.0 (23 November 2026) comes after 0.2.0"),
    (CHANGELOG, PAGES, "0.3.0",
     "CITATION.cff: the version is 0.3.0, but the changelog's newest release is 0.2.0."),
])
def test_the_checks_keep_the_changelog_and_the_pages_in_step(tmp_path: Path, text: str, pages: dict, version: str,
                                                             expected: str) -> None:
    _, problems = load_releases(_changelog(tmp_path, text), pages, version, None)
    assert any(str(p).startswith(expected) for p in problems), [str(p) for p in problems]


def test_the_release_date_in_citation_cff_matches_the_changelog(tmp_path: Path) -> None:
    _, problems = load_releases(_changelog(tmp_path, CHANGELOG), PAGES, "0.2.0", dt.date(2026, 12, 2))
    assert [str(p) for p in problems] == [
        "CITATION.cff: date-released is 2026-12-02, but the changelog dates 0.2.0 1 December 2026. Give both the same date."]


def test_the_real_changelog_and_citation_file_agree() -> None:
    from handbook.site import load_handbook

    handbook = load_handbook(ROOT, ROOT / "docs")
    assert [p for p in handbook.problems if "changelog" in p.file or p.file == "CITATION.cff"] == []
    assert handbook.releases.releases[0].version == handbook.version
    assert handbook.releases.unreleased(handbook.pages) == []  # every page says which release published it
