"""The build keeps each page's checks across builds (scripts/handbook/buildcache.py): never a stale pass.

A page's kept result (and data remembered as valid) must be thrown away whenever anything it depends on changes, even when the
page's own text does not: a section another page links to, a glossary term, the navigation.
"""

from __future__ import annotations

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
