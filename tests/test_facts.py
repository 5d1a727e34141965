"""What the handbook says about itself comes from the handbook: a new section or a new release
changes the home page, the about page and the citing guide without anyone editing them."""

from __future__ import annotations

import re
import textwrap

from conftest import FRONT, ROOT, MiniSite, page, SELF_CHECK
from handbook.config import read_nav
from handbook.facts import handbook_sections, number_words, size_text
from handbook.site import handbook_version


def _text(mini: MiniSite, url: str) -> str:
    return " ".join(page(mini.path / "site", url).select_one("article").get_text(" ").split())


def _release(mini: MiniSite, *releases: tuple[str, str, str]) -> None:
    """CITATION.cff at the newest release, and a changelog entry for each (version, day, ISO day)."""
    version, day, iso = releases[0]
    (mini.path / "CITATION.cff").write_text(f'cff-version: 1.2.0\nversion: "{version}"\ndate-released: "{iso}"\n', encoding="utf-8")
    entries = "".join(f"## {v} ({d}) {{ #v{v} }}\n\n- The [home page](../index.md).\n\n" for v, d, _ in releases)
    mini.write("about/changelog.md", FRONT.format(title="Changelog") + "\n# Changelog\n\n" + entries)


def _nav(mini: MiniSite, sections: str) -> None:
    config = (mini.path / "mkdocs.yml").read_text(encoding="utf-8")
    nav = "nav:\n  - index.md\n" + sections + "  - glossary/index.md\n  - about/changelog.md\n  - about/cite.md\n"
    (mini.path / "mkdocs.yml").write_text(config[: config.index("nav:")] + nav, encoding="utf-8")


def test_the_real_navigation_has_the_handbooks_sections() -> None:
    sections = handbook_sections(read_nav(ROOT))
    assert [s.index for s in sections][:8] == ["client/index.md", "roles/index.md", "relationship/index.md",
                                               "challenges/index.md", "approach/index.md", "settings/index.md",
                                               "skills/index.md", "practice/index.md"]
    assert all(not s.index.startswith("about/") for s in sections)


def test_numbers_are_words_up_to_twelve() -> None:
    assert number_words(1, "section") == "one section" and number_words(6, "section") == "six sections"
    assert number_words(26, "topic page") == "26 topic pages"


def test_a_new_section_or_release_updates_the_home_page_and_citing_guide(mini: MiniSite) -> None:
    mini.write("index.md", FRONT.format(title="Home") + textwrap.dedent("""
        # Home

        This is version {{ release_version() }}, released on {{ release_date() }}.
        It has {{ handbook_size() }}:

        {{ handbook_sections_list() }}
        """))
    mini.write("about/cite.md", FRONT.format(title="Cite") + textwrap.dedent("""
        # Cite

        > Contributors. ({{ release_year() }}). *Handbook* (Version {{ release_version() }}).
        """))
    mini.write("roles/index.md", FRONT.format(title="The social worker's roles") + "\n# Roles\n\nAbout roles.\n")
    _nav(mini, "  - Roles:\n    - roles/index.md\n    - roles/advocacy.md\n")
    _release(mini, ("0.1.0", "23 November 2026", "2026-11-23"))
    result = mini.build()
    assert result.returncode == 0, result.stdout
    home = _text(mini, "")
    assert "This is version 0.1.0, released on 23 November 2026. It has one section and one topic page:" in home
    assert "The social worker's roles : an introduction and one topic page" in home
    assert "Contributors. (2026). Handbook (Version 0.1.0)." in _text(mini, "about/cite")

    # Someone adds a section in another branch, and a release is made: nobody edits the pages above.
    mini.write("settings/index.md", FRONT.format(title="Settings of practice") + "\n# Settings\n\nWhere social work happens.\n")
    for name in ("hospitals", "schools"):
        mini.write(f"settings/{name}.md", FRONT.format(title=name.title()) + f"\n# {name.title()}\n\nText.\n\n"
                   "## Learning outcomes\n\n- explain it\n\n## Critical perspectives\n\nSome doubt it.\n\n"
                   "## Key points\n\n- One point.\n\n" + SELF_CHECK + "## Reflective questions\n\n1. Why?\n\n"
                   "## Further reading\n\n- A book.\n")
    _nav(mini, "  - Roles:\n    - roles/index.md\n    - roles/advocacy.md\n"
               "  - Settings:\n    - settings/index.md\n    - settings/hospitals.md\n    - settings/schools.md\n")
    _release(mini, ("0.2.0", "1 January 2027", "2027-01-01"), ("0.1.0", "23 November 2026", "2026-11-23"))
    result = mini.build()
    assert result.returncode == 0, result.stdout
    home = _text(mini, "")
    assert "This is version 0.2.0, released on 1 January 2027. It has two sections and three topic pages:" in home
    assert "Settings of practice : an introduction and two topic pages" in home
    links = [a["href"] for a in page(mini.path / "site", "").select("ul.hb-sections a")]
    assert links == ["roles/", "settings/"]
    assert "Contributors. (2027). Handbook (Version 0.2.0)." in _text(mini, "about/cite")


def test_the_built_handbook_describes_itself_as_its_sources_do(site) -> None:  # noqa: ANN001 - the session fixture
    version = handbook_version(ROOT)
    sections = handbook_sections(read_nav(ROOT))
    released = re.search(rf"^## {re.escape(version)} \(([^)]+)\)", (ROOT / "docs/about/changelog.md").read_text(), re.M).group(1)
    home = " ".join(page(site, "").select_one("article").get_text(" ").split())
    assert f"This is version {version} of the handbook, released on {released}. It has {size_text(sections)}:" in home
    assert len(page(site, "").select("ul.hb-sections li")) == len(sections)
    assert "first release" not in home and "Two of them are complete" not in home
    about = " ".join(page(site, "about").select_one("article").get_text(" ").split())
    assert f"You are reading version {version}, released on {released}, with {size_text(sections)}." in about
    cite = " ".join(page(site, "about/cite").select_one("article").get_text(" ").split())
    assert f"(Version {version})" in cite and "Version 0.2.0" not in cite
