"""Every release stays readable at its own address: two releases published as the deploy publishes them.

A copy of the project becomes a git repository with two release tags, v0.1.0 and v0.2.0, whose
advocacy page says different things. ``scripts/publish.py`` (``python3 dev.py publish``) builds
each tag once, with its own dev.py and lock file, into an archive kept in a store (a folder here,
the GitHub release's assets in the deploy); publishing 0.2.0 builds 0.2.0 alone and takes 0.1.0
from the store, byte for byte. The result is served over HTTP and read as a reader would,
following the links the pages give. A stored archive that is not the release stops the deploy.
The releases are published without their books (``--no-books``): nothing here reads them, the
books are tested in test_books.py, and a tag's own ``dev.py build`` is asked for them when the
deploy publishes it (a small release whose dev.py writes down what it was asked, below). The
changelog's checks are tested without a build.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import http.server
import io
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import ENV, ROOT
from test_scaffold import copy_project

sys.path.insert(0, str(ROOT / "scripts"))

from handbook.pages import FrontMatter  # noqa: E402
from handbook.releases import load_releases, release_base  # noqa: E402

import publish  # noqa: E402
from publish import NOINDEX  # noqa: E402

pytestmark = pytest.mark.slow  # the handbook built whole, three times, each in its release's own environment

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


@dataclass(frozen=True)
class Published:
    base: str  # the address the site is served at
    first: str  # what publishing said when 0.1.0 was tagged
    second: str  # what publishing said when 0.2.0 was tagged
    store: Path  # the release archives (standing in for the assets of the GitHub releases)
    site: Path
    new_archives: Path  # what the second run made, for the deploy to attach to the releases
    stored_010: str  # the sha256 of 0.1.0's archive when it was made


def _publish(repo: Path, base: str, store: Path, *args: str, books: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "scripts/publish.py"), "--repo", str(repo), "--store", str(store), *args,
               *([] if books else ["--no-books"])]
    return subprocess.run(command, env=ENV | {"HANDBOOK_SITE_URL": base}, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=900)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """Two releases, each built once when it is tagged, published as the deploy publishes them, and served."""
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
    site, store = tmp / "site", tmp / "store"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    # 0.1.0 is tagged: its archive is made once, from its tag, by the code the deploy runs.
    first = _publish(repo, base, store, "--archives-only")
    assert first.returncode == 0, first.stdout
    stored_010 = _sha256(store / "handbook-site-0.1.0.tar.gz")
    # Release 0.2.0: the advocacy page changes, and the 0.2.0 entry says so.
    changelog.write_text(current.replace(ENTRY_020 + "\n", ENTRY_020 + "\n\n- The [advocacy](../roles/advocacy.md) page "
                                         "describes advocacy anew.\n", 1), encoding="utf-8")
    _set_version(repo, "0.2.0", "2026-12-01")
    _say_on_advocacy(repo, NEW)
    _git(repo, "commit", "-q", "-am", "Release 0.2.0")
    _git(repo, "tag", "-a", "v0.2.0", "-m", "Version 0.2.0")  # annotated, as a release on GitHub makes it
    # 0.2.0 is tagged: the deploy publishes every release, building only 0.2.0.
    second = _publish(repo, base, store, "-d", str(site), "--new-archives", str(tmp / "new"))
    assert second.returncode == 0, second.stdout
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Published(base, first.stdout, second.stdout, store, site, tmp / "new", stored_010)
    finally:
        server.shutdown()
        server.server_close()


def read(url: str) -> BeautifulSoup:
    with urllib.request.urlopen(url, timeout=30) as response:
        return BeautifulSoup(response.read().decode("utf-8"), "html.parser")


def article_text(html: BeautifulSoup) -> str:
    return " ".join(html.select_one("article").get_text(" ").split())


def test_each_release_is_built_once_from_its_own_tag(served: Published) -> None:
    base = served.base
    assert _built(served.first) == [f"0.1.0 at {base}v/0.1.0/"]
    # Publishing release 0.2.0 builds 0.2.0 alone, at its own address and the plain one; 0.1.0 comes from the store.
    assert _built(served.second) == [f"0.2.0 at {base}", f"0.2.0 at {base}v/0.2.0/"]
    assert "0.1.0: from the store (handbook-site-0.1.0.tar.gz, sha256 checked), not built" in served.second
    # The deploy attaches what it made, and only that, to the release.
    assert sorted(p.name for p in served.new_archives.iterdir()) == ["handbook-site-0.2.0.tar.gz", "handbook-site-0.2.0.tar.gz.sha256"]
    assert _sha256(served.new_archives / "handbook-site-0.2.0.tar.gz") == _sha256(served.store / "handbook-site-0.2.0.tar.gz")


def _built(output: str) -> list[str]:
    return re.findall(r"^publish: (.*): building [0-9a-f]{12} with its own dev.py and lock file$", output, flags=re.M)


def _unmarked(page: bytes) -> bytes:
    """A page under v/ without what the deploy adds: the noindex line and an earlier release's notice."""
    text = page.decode("utf-8")
    text = text.replace(f"  {NOINDEX}\n</head>", "</head>", 1)
    return re.sub(r'<div class="admonition warning hb-old-version" role="note">.*?</p></div>', "", text, count=1,
                  flags=re.S).encode("utf-8")


@pytest.mark.parametrize("version", ["0.1.0", "0.2.0"])
def test_a_release_comes_back_byte_for_byte_from_its_archive(served: Published, version: str) -> None:
    archive = served.store / f"handbook-site-{version}.tar.gz"
    if version == "0.1.0":  # made when 0.1.0 was tagged, never rewritten
        assert _sha256(archive) == served.stored_010
    assert (served.store / f"{archive.name}.sha256").read_text() == f"{_sha256(archive)}  {archive.name}\n"
    published = served.site / "v" / version
    with tarfile.open(archive) as tar:
        stored = {m.name.removeprefix("site/"): tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()
                  and m.name.startswith("site/")}
    assert {"index.html", "roles/advocacy/index.html", "sitemap.xml"} <= stored.keys()
    files = {p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file()}
    assert files == stored.keys() - {"sitemap.xml", "sitemap.xml.gz"}  # only the plain site has a sitemap
    notices = 0
    for rel in sorted(files):
        data = (published / rel).read_bytes()
        if rel.endswith(".html"):
            assert NOINDEX.encode() in data, rel
            notices += b"hb-old-version" in data
            data = _unmarked(data)
        assert data == stored[rel], f"v/{version}/{rel} differs from the stored file"
    assert notices == (len([f for f in files if f.endswith(".html")]) - 1 if version == "0.1.0" else 0)  # all but 404.html


def _tamper(store: Path, tmp_path: Path, change: Callable[[Path], None]) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    change(copy)
    return copy


def _rehash(archive: Path) -> None:
    """What someone able to replace an asset could also do: record the new archive's own sha256."""
    (archive.parent / f"{archive.name}.sha256").write_text(f"{_sha256(archive)}  {archive.name}\n")


def _flip_a_byte(store: Path) -> None:
    archive = store / "handbook-site-0.1.0.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 1
    archive.write_bytes(bytes(data))


def _swap_in_the_newer_release(store: Path) -> None:
    shutil.copy(store / "handbook-site-0.2.0.tar.gz", store / "handbook-site-0.1.0.tar.gz")
    _rehash(store / "handbook-site-0.1.0.tar.gz")


def _add_a_link(store: Path) -> None:
    archive = store / "handbook-site-0.1.0.tar.gz"
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            tar.addfile(member, io.BytesIO(data) if data is not None else None)
        link = tarfile.TarInfo("site/roles/advocacy/secret.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    _rehash(archive)


@pytest.mark.parametrize(("change", "expected"), [
    (_flip_a_byte, "handbook-site-0.1.0.tar.gz: its sha256 is "),
    (_swap_in_the_newer_release, "handbook-site-0.1.0.tar.gz is not release 0.1.0 as tag v0.1.0 makes it: "
                                 "its version is '0.2.0', not '0.1.0'; its commit is "),
    (_add_a_link, "handbook-site-0.1.0.tar.gz holds 'site/roles/advocacy/secret.txt', which is not a plain file or folder"),
    (lambda store: (store / "handbook-site-0.1.0.tar.gz.sha256").unlink(), "handbook-site-0.1.0.tar.gz has no "),
    (None, "handbook-site-0.1.0.tar.gz is not release 0.1.0 as tag v0.1.0 makes it: it was built without its books "
           "(publish --no-books), and a release is never published without them. Nothing was published."),
])
def test_a_stored_archive_that_is_not_the_release_stops_the_deploy_before_any_build(
        served: Published, tmp_path: Path, change: Callable[[Path], None] | None, expected: str) -> None:
    store = _tamper(served.store, tmp_path, change or (lambda store: None))
    repo = served.store.parent / "repo"
    # The archives were made without the books: the deploy, which makes them, refuses them (the last case).
    result = _publish(repo, served.base, store, "-d", str(tmp_path / "site"), books=change is None)
    assert result.returncode == 1 and expected in result.stdout and "nothing was published" in result.stdout.lower(), result.stdout
    assert "building" not in result.stdout and not (tmp_path / "site").exists()


def test_archives_made_for_another_address_are_not_published_there(served: Published, tmp_path: Path) -> None:
    moved = "https://handbook.example.org/"
    result = subprocess.run([sys.executable, str(ROOT / "scripts/publish.py"), "--repo", str(served.store.parent / "repo"),
                             "--store", str(served.store), "-d", str(tmp_path / "site"), "--no-books"],
                            env=ENV | {"HANDBOOK_SITE_URL": moved}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert result.returncode == 1 and "building" not in result.stdout, result.stdout
    assert (f"handbook-site-0.1.0.tar.gz is not release 0.1.0 as tag v0.1.0 makes it: its address is "
            f"'{served.base}v/0.1.0/', not '{moved}v/0.1.0/'. Nothing was published. If the site has moved, remove the "
            "stored archives to build the releases again.") in result.stdout
    assert not (tmp_path / "site").exists()


FAKE_DEV_PY = """import os, pathlib, sys
# A release's dev.py that builds nothing: it writes down what it was asked ("--books" is what publish looks for).
args = sys.argv[1:]
site = pathlib.Path(args[args.index("-d") + 1])
site.mkdir(parents=True)
(site / "index.html").write_text('<link rel="canonical" href="' + os.environ["HANDBOOK_SITE_URL"] + '">')
(site / "asked.txt").write_text(" ".join(args))
(site / "cache.txt").write_text(str(pathlib.Path(".cache").exists()))
"""


@pytest.mark.parametrize("books", [True, False])
def test_a_release_is_built_with_its_books_unless_asked_not_to_and_without_a_committed_cache(tmp_path: Path, books: bool) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "dev.py").write_text(FAKE_DEV_PY, encoding="utf-8")
    (repo / ".cache" / "handbook").mkdir(parents=True)
    (repo / ".cache" / "handbook" / "checks.json").write_text("{}")  # committed by mistake or on purpose
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Release 0.3.0")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
    publish.build_tag(repo, publish.Tag("0.3.0", commit), [("https://example.org/h/", tmp_path / "out")], books=books)
    asked = (tmp_path / "out" / "asked.txt").read_text()
    assert asked.startswith("build --books -d " if books else "build -d "), asked
    assert (tmp_path / "out" / "cache.txt").read_text() == "False"  # a cache in the tag is never trusted


def test_an_archive_is_the_same_bytes_whenever_it_is_made(tmp_path: Path) -> None:
    site = tmp_path / "built"
    (site / "roles").mkdir(parents=True)
    (site / "index.html").write_text("<html></html>")
    (site / "roles" / "data.json").write_bytes(b"{}")
    tag = publish.Tag("0.1.0", "0" * 40)
    first = publish.write_archive(site, tag, "https://example.org/h/v/0.1.0/", tmp_path / "a").read_bytes()
    (site / "index.html").touch()  # a later build: the same files, made at another time
    assert publish.write_archive(site, tag, "https://example.org/h/v/0.1.0/", tmp_path / "b").read_bytes() == first
    assert publish.read_archive(tmp_path / "b", tag, "https://example.org/h/v/0.1.0/") == tmp_path / "b/handbook-site-0.1.0.tar.gz"


def test_the_old_release_still_shows_the_old_text(served: Published) -> None:
    base = served.base
    old = article_text(read(base + "v/0.1.0/roles/advocacy/"))
    assert OLD in old and NEW not in old
    for url in (base + "roles/advocacy/", base + "v/0.2.0/roles/advocacy/"):
        new = article_text(read(url))
        assert NEW in new and OLD not in new, url


def test_the_cite_box_links_the_permanent_address_of_the_text_read(served: Published) -> None:
    base = served.base
    html = read(base + "roles/advocacy/")
    link = html.select_one("aside.hb-cite-box .hb-permalink a")
    assert link["href"] == link.get_text() == base + "v/0.2.0/roles/advocacy/"
    assert "Permanent link to this version (0.2.0)" in html.select_one(".hb-permalink").get_text()
    assert NEW in article_text(read(link["href"]))
    # On the versioned page itself, the permanent link is the page's own address.
    versioned = read(base + "v/0.2.0/roles/advocacy/")
    assert versioned.select_one(".hb-permalink a")["href"] == base + "v/0.2.0/roles/advocacy/"
    assert "This is the permanent address of version 0.2.0" in versioned.select_one(".hb-permalink").get_text()


def test_a_page_links_its_earlier_versions_and_the_changelog_entries_that_changed_it(served: Published) -> None:
    base = served.base
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


def test_an_old_version_says_so_and_leads_to_the_latest(served: Published) -> None:
    base = served.base
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


def test_search_engines_are_sent_to_the_plain_addresses(served: Published) -> None:
    base = served.base
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
