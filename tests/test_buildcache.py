"""The build keeps each page's checks across builds (scripts/handbook/buildcache.py): never a stale pass.

A page's kept result (and data remembered as valid) must be thrown away whenever anything it depends on changes, even when the
page's own text does not: a section another page links to, a glossary term, the navigation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MiniSite, problem_lines

#: What a build keeps on disk for the next one: each build in a process of its own, as outside the tests.
pytestmark = pytest.mark.own_process

LINKED = "See [advocacy](roles/advocacy.md) and [its extra section](roles/advocacy.md#an-extra-section).\n"


def _with_extra_section(mini: MiniSite) -> None:
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace("## Critical perspectives", "## An extra section\n\nMore.\n\n## Critical perspectives"))
    mini.write("index.md", mini.read("index.md").replace("See [advocacy](roles/advocacy.md).\n", LINKED))


def test_a_link_to_a_section_that_is_gone_fails_the_next_build_though_the_linking_page_did_not_change(mini: MiniSite) -> None:
    _with_extra_section(mini)
    first = mini.build()
    assert first.returncode == 0, first.stdout
    assert (mini.path / ".cache" / "handbook" / "checks.json").is_file()
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace("## An extra section\n\nMore.\n\n", ""))
    second = mini.build()
    assert second.returncode != 0
    assert any(line.startswith("docs/index.md:") and "'#an-extra-section'" in line for line in problem_lines(second.stdout)), second.stdout


def test_a_glossary_term_taken_out_fails_the_pages_that_use_it_on_the_next_build(mini: MiniSite) -> None:
    assert mini.build().returncode == 0
    glossary = mini.path / "docs" / "data" / "glossary.yml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace("aliases: [positive regard]\n", "").replace("unconditional-positive-regard", "positive-regard"), encoding="utf-8")
    result = mini.build()
    assert result.returncode != 0
    assert any(line.startswith("docs/roles/advocacy.md:") and "unconditional-positive-regard" in line for line in problem_lines(result.stdout)), result.stdout


def test_a_kept_problem_is_said_again_with_the_same_words_until_it_is_fixed(mini: MiniSite) -> None:
    mini.write("index.md", mini.read("index.md") + "\nSee [a page that is not there](roles/missing.md).\n")
    first, second = mini.build(), mini.build()
    assert first.returncode != 0 and second.returncode != 0
    said = [line for line in problem_lines(first.stdout) if "roles/missing.md" in line]
    assert said and said == [line for line in problem_lines(second.stdout) if "roles/missing.md" in line]
    mini.write("index.md", mini.read("index.md").replace("\nSee [a page that is not there](roles/missing.md).\n", ""))
    assert mini.build().returncode == 0


def test_a_page_taken_out_of_the_navigation_fails_the_next_build(mini: MiniSite) -> None:
    assert mini.build().returncode == 0
    config = mini.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - roles/advocacy.md\n", ""), encoding="utf-8")
    result = mini.build()
    assert result.returncode != 0
    assert any(line.startswith("docs/roles/advocacy.md") and "not in the navigation" in line for line in problem_lines(result.stdout)), result.stdout


def test_front_matter_remembered_as_valid_is_checked_again_once_it_changes(mini: MiniSite) -> None:
    assert mini.build().returncode == 0
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace(
        "description: A fixture page used by the tests of the handbook build, long enough to pass.", "description: Too short."))
    result = mini.build()
    assert result.returncode != 0
    assert any(line.startswith("docs/roles/advocacy.md:") and "'description'" in line for line in problem_lines(result.stdout)), result.stdout


def _counting_sanitiser() -> tuple[list[str], Callable[[str], tuple[str, list[tuple[str, str]]]]]:
    """The allow-list, and the list of the HTML it was asked to read."""
    from handbook.safety import sanitise_and_check

    calls: list[str] = []

    def sanitise(markup: str) -> tuple[str, list[tuple[str, str]]]:
        calls.append(markup)
        return sanitise_and_check(markup)

    return calls, sanitise


def test_html_kept_as_sanitised_comes_back_only_for_the_same_html_and_never_with_a_problem(tmp_path: Path) -> None:
    from handbook.buildcache import kept_sanitised

    calls, sanitise = _counting_sanitiser()
    page = "<p>" + "Words of a page. " * 200 + "</p>\n"
    first = kept_sanitised(tmp_path, "a.md", page, sanitise)
    assert kept_sanitised(tmp_path, "a.md", page, sanitise) == first and len(calls) == 1  # kept: not sanitised again
    hostile = page + '<p><img src="x.png" onerror="alert(1)"></p>\n'
    for _ in range(2):  # a page with a problem: its problem is found every time, and its HTML never kept
        clean, problems = kept_sanitised(tmp_path, "a.md", hostile, sanitise)
        assert problems and "onerror" not in clean
    assert len(calls) == 3
    assert kept_sanitised(tmp_path, "a.md", page + "<p>One more.</p>", sanitise)[0].endswith("<p>One more.</p>")


def test_a_page_with_figures_is_found_again_though_its_markers_differ_from_build_to_build(tmp_path: Path) -> None:
    from handbook.buildcache import kept_sanitised

    calls, sanitise = _counting_sanitiser()
    page = "<p>" + "Words of a page. " * 200 + "</p>\n<figure>{marker}1</figure>\n"
    first, _ = kept_sanitised(tmp_path, "f.md", page.format(marker="hbfigureaaaan"), sanitise, "hbfigureaaaan")
    again, problems = kept_sanitised(tmp_path, "f.md", page.format(marker="hbfigurebbbbn"), sanitise, "hbfigurebbbbn")
    assert len(calls) == 1 and not problems
    assert again == first.replace("hbfigureaaaan", "hbfigurebbbbn") and "hbfigurebbbbn1" in again
    # Text that spells the stand-in (here through an entity) is never turned into a marker: sanitised afresh each time.
    spelled = page + "<p>&#104;bKEPTx1</p>"
    for _ in range(2):
        clean, _ = kept_sanitised(tmp_path, "f.md", spelled.format(marker="hbfigurecccn"), sanitise, "hbfigurecccn")
        assert "<p>hbKEPTx1</p>" in clean
    assert len(calls) == 3


def test_html_written_into_the_cache_by_anyone_else_is_never_taken_as_sanitised(tmp_path: Path) -> None:
    """A pull request can add files under .cache/: a kept result counts only with this machine's seal."""
    import json
    import os
    import subprocess
    import sys

    from conftest import ROOT
    from handbook import buildcache
    from handbook.safety import sanitise_and_check

    page = "<p>" + "Words of a page. " * 200 + "</p>\n"
    clean, _ = buildcache.kept_sanitised(tmp_path, "a.md", page, sanitise_and_check)
    files = list((tmp_path / ".cache" / "handbook" / "sanitised").glob("*.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text(encoding="utf-8"))
    for key, (kept, seal) in data["entries"].items():
        data["entries"][key] = [kept.replace("Words", '<img src="x" onerror="alert(1)">Words', 1), seal]
    files[0].write_text(json.dumps(data), encoding="utf-8")
    code = ("import json, sys; from pathlib import Path; from handbook.buildcache import kept_sanitised; "
            "from handbook.safety import sanitise_and_check; "
            f"print(json.dumps(kept_sanitised(Path({str(tmp_path)!r}), 'a.md', {page!r}, sanitise_and_check)))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,  # as a new build finds it
                           env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")}).stdout
    again, problems = json.loads(found)
    assert again == clean and "onerror" not in again and not problems


def test_yaml_kept_as_read_comes_back_with_its_lines_a_mistake_is_said_every_time_and_no_one_else_can_write_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import yaml

    from handbook import yamlsource
    from handbook.buildcache import sealed_entries

    parses: list[str] = []
    read = yamlsource.load_with
    monkeypatch.setattr(yamlsource, "load_with", lambda text, loader: parses.append(text) or read(text, loader))
    text = "title: A page\nitems:\n  - id: one\n    n: 4\n"
    try:
        store = sealed_entries(tmp_path, "yaml", "test")
        yamlsource.keep_parses_in(store)
        first = yamlsource.load_yaml(text)
        store.save()
        yamlsource.keep_parses_in(sealed_entries(tmp_path, "yaml", "test"))  # the next build
        again = yamlsource.load_yaml(text)
        assert again == first and len(parses) == 1  # not parsed again
        assert again.line_of("items") == 2 and again["items"][0].line == 3 and again["items"][0].line_of("n") == 4
        for _ in range(2):  # a refused text is read, and refused, every time
            with pytest.raises(yaml.YAMLError, match="aliases"):
                yamlsource.load_yaml("a: &x 1\nb: *x\n")
        assert len(parses) == 3
        kept = tmp_path / ".cache" / "handbook" / "yaml.json"
        data = json.loads(kept.read_text(encoding="utf-8"))
        kept.write_text(json.dumps({**data, "value": data["value"].replace("A page", "Forged")}), encoding="utf-8")
        yamlsource.keep_parses_in(sealed_entries(tmp_path, "yaml", "test"))
        assert yamlsource.load_yaml(text)["title"] == "A page" and len(parses) == 4  # not sealed here: read afresh
    finally:
        yamlsource.keep_parses_in(None)


def test_the_theme_s_templates_are_compiled_once_and_never_taken_from_a_store_this_machine_did_not_seal(mini: MiniSite) -> None:
    """Jinja's compiled templates are kept for the next build (handbook.templatecache): an unchanged build
    compiles none, an edited override is compiled again, and a store anyone else wrote is not read."""
    import base64
    import hashlib
    import json
    import shutil

    import jinja2

    from conftest import ROOT

    shutil.copytree(ROOT / "overrides", mini.path / "overrides")
    config = mini.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(f"custom_dir: {ROOT}/overrides", "custom_dir: overrides"), encoding="utf-8")
    template = mini.path / "overrides" / "main.html"
    assert mini.build().returncode == 0
    kept = mini.path / ".cache" / "handbook" / "templates.json"
    sealed = json.loads(kept.read_text(encoding="utf-8"))
    entries = json.loads(sealed["value"])
    main = hashlib.sha1(f"main.html|{template}".encode()).hexdigest()  # Jinja's key: the name and the file
    assert main in entries and len(entries) >= 20, sorted(entries)  # Material's templates and the handbook's
    before = (kept.read_bytes(), kept.stat().st_mtime_ns)
    assert mini.build().returncode == 0
    assert (kept.read_bytes(), kept.stat().st_mtime_ns) == before  # nothing compiled, so nothing new to keep

    template.write_text(template.read_text(encoding="utf-8").replace("{% block extrahead %}", "{% block extrahead %}<!-- edited override -->", 1),
                        encoding="utf-8")
    assert mini.build().returncode == 0
    assert "<!-- edited override -->" in (mini.path / "site" / "index.html").read_text(encoding="utf-8")

    # Code compiled from another text, filed under main.html and its current source: Jinja alone would take it.
    sealed = json.loads(kept.read_text(encoding="utf-8"))
    entries = json.loads(sealed["value"])
    bucket = jinja2.bccache.Bucket(jinja2.Environment(), main, jinja2.BytecodeCache().get_source_checksum(template.read_text(encoding="utf-8")))
    bucket.code = jinja2.Environment().compile("<p>forged page</p>", "main.html", str(template))
    entries[main] = base64.b64encode(bucket.bytecode_to_string()).decode("ascii")
    kept.write_text(json.dumps({**sealed, "value": json.dumps(entries)}), encoding="utf-8")  # the old seal
    assert mini.build().returncode == 0
    page = (mini.path / "site" / "index.html").read_text(encoding="utf-8")
    assert "forged page" not in page and "<!-- edited override -->" in page


def test_the_search_index_s_reading_of_each_page_is_kept_and_never_taken_from_a_store_this_machine_did_not_seal(mini: MiniSite) -> None:
    """Material's search plugin cuts each page into sections once (handbook.searchcache): the next build takes an
    unchanged page's sections from the store and makes the same index, byte for byte; an edited page is read
    again; a store anyone else wrote is not read."""
    import json

    assert mini.build().returncode == 0
    index = mini.path / "site" / "search" / "search_index.json"
    kept = mini.path / ".cache" / "handbook" / "search.json"
    first = index.read_bytes()
    assert len(json.loads(json.loads(kept.read_text(encoding="utf-8"))["value"])) == 3  # the three pages
    before = (kept.read_bytes(), kept.stat().st_mtime_ns)
    assert mini.build().returncode == 0
    assert index.read_bytes() == first  # the kept sections make the index the reading made
    assert (kept.read_bytes(), kept.stat().st_mtime_ns) == before  # every page taken from the store: nothing new to keep

    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace("Some doubt it.", "Some doubt it, as a zebra might."))
    assert mini.build().returncode == 0
    assert "as a zebra might" in index.read_text(encoding="utf-8")

    # Every page's key given other sections, under the old seal: a store that was not sealed here is not read.
    sealed = json.loads(kept.read_text(encoding="utf-8"))
    entries = {key: [[None, "Forged", "<img src=x onerror=alert(1)> forged words"]] for key in json.loads(sealed["value"])}
    kept.write_text(json.dumps({**sealed, "value": json.dumps(entries)}), encoding="utf-8")
    assert mini.build().returncode == 0
    text = index.read_text(encoding="utf-8")
    assert "forged words" not in text and "as a zebra might" in text
