"""The citation cache can never serve stale text: it is keyed by what produced each string."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ENV, ENV_SHARED_CACHE, MiniSite, page
from handbook.bibliography import Bibliography
from handbook.formatcache import FormatCache, content_key

#: What a build keeps on disk for the next one: each build in a process of its own, as outside the tests.
pytestmark = pytest.mark.own_process

ITEM = {"id": "x2001", "type": "book", "title": "A first title", "author": [{"family": "Example", "given": "Ann"}],
        "publisher": "A Press", "issued": {"date-parts": [[2001]]}}


def test_the_key_changes_with_the_item_the_style_and_the_kind() -> None:
    base = content_key("entry", "apa", ITEM)
    assert base == content_key("entry", "apa", dict(ITEM))
    assert base != content_key("entry", "apa", {**ITEM, "title": "A second title"})
    assert base != content_key("entry", "harvard", ITEM)
    assert base != content_key("cite", "apa", ITEM)


def test_a_cache_on_disk_serves_the_same_text_and_is_safe_to_delete(tmp_path: Path) -> None:
    path = tmp_path / "citeproc.json"
    first = FormatCache(path)
    text = Bibliography(items={"x2001": ITEM}, cache=first).entry("x2001", "apa")
    first.save()
    assert path.exists()
    again = FormatCache(path)
    assert Bibliography(items={"x2001": ITEM}, cache=again).entry("x2001", "apa") == text
    changed = Bibliography(items={"x2001": {**ITEM, "title": "A second title"}}, cache=again).entry("x2001", "apa")
    assert "A second title" in changed and "A first title" not in changed
    path.write_text("{not json", encoding="utf-8")  # a damaged cache is an empty cache
    assert Bibliography(items={"x2001": ITEM}, cache=FormatCache(path)).entry("x2001", "apa") == text


def test_editing_a_reference_changes_it_on_the_next_build(mini: MiniSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(ENV, ENV_SHARED_CACHE, raising=False)  # the project's own cache, in .cache/handbook/
    assert mini.build().returncode == 0
    cache = mini.path / ".cache" / "handbook" / "citeproc.json"
    assert cache.exists(), "the first build keeps what it formatted"
    before = page(mini.path / "site", "roles/advocacy").select_one("#ref-tervalon1998").get_text()
    refs = json.loads(mini.read("data/references.json"))
    for item in refs:
        if item["id"] == "tervalon1998":
            item["title"] = "An edited title for the cache test"
    mini.write("data/references.json", json.dumps(refs, indent=2))
    assert mini.build().returncode == 0
    after = page(mini.path / "site", "roles/advocacy").select_one("#ref-tervalon1998").get_text()
    assert "An edited title for the cache test" in after and after != before


def test_two_processes_saving_one_cache_keep_each_others_entries(tmp_path: Path) -> None:
    path = tmp_path / "citeproc.json"
    first, second = FormatCache(path), FormatCache(path)  # both loaded before either saved
    first.put("a", "formatted by the first")
    second.put("b", "formatted by the second")
    first.save()
    second.save()
    again = FormatCache(path)
    assert (again.get("a"), again.get("b")) == ("formatted by the first", "formatted by the second")


def test_a_shared_cache_holds_the_citations_and_the_project_keeps_its_checks(mini: MiniSite, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    monkeypatch.setitem(ENV, ENV_SHARED_CACHE, str(shared))
    assert mini.build().returncode == 0
    assert (shared / "citeproc.json").is_file() and not (mini.path / ".cache" / "handbook" / "citeproc.json").exists()
    assert (mini.path / ".cache" / "handbook" / "checks.json").is_file()  # kept by path: the project's own
    assert "Rogers" in page(mini.path / "site", "roles/advocacy").select_one("#ref-rogers1957").get_text()


def test_a_forged_cache_file_cannot_put_markup_in_the_cite_box(mini: MiniSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is not a source of HTML: what it says citeproc-js made passes the allow-list wherever it is shown,
    the cite box too, which the template prints outside the page the allow-list reads as a whole."""
    monkeypatch.delitem(ENV, ENV_SHARED_CACHE, raising=False)  # the project's own cache, in .cache/handbook/
    assert mini.build().returncode == 0
    kept = mini.path / ".cache" / "handbook"
    data = json.loads((kept / "citeproc.json").read_text(encoding="utf-8"))
    payload = '<script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">x</a>'
    # Each page's entry in its cite box names the handbook; the sources the pages cite do not.
    forged = {key: value + payload if isinstance(value, str) and "Handbook" in value else value for key, value in data["entries"].items()}
    assert forged != data["entries"]
    (kept / "citeproc.json").write_text(json.dumps({**data, "entries": forged}), encoding="utf-8")
    for folder in kept.iterdir():  # what the build kept of each page's citation, made again from the forged file
        if folder.is_dir():
            shutil.rmtree(folder)
    assert mini.build().returncode == 0
    advocacy = page(mini.path / "site", "roles/advocacy")
    boxes = advocacy.select(".hb-cite-text")
    assert boxes and all(box.get_text(strip=True) for box in boxes)
    assert not advocacy.select("script:not([src]):-soup-contains('alert')") and not advocacy.select("[onerror]")
    assert not advocacy.select("a[href^=javascript]") and "alert(2)" not in str(advocacy.select_one(".hb-cite-box"))
