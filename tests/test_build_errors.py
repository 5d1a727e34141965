"""A bad page stops the build with one clear line naming the file (and line)."""

from __future__ import annotations

from conftest import FRONT, MiniSite, page, problem_lines


def test_the_fixture_builds_and_renders_terms_and_citations(mini: MiniSite) -> None:
    result = mini.build()
    assert result.returncode == 0, result.stdout
    html = page(mini.path / "site", "roles/advocacy")
    assert [a.get_text() for a in html.select("a.hb-term")] == ["empathy", "unconditional positive regard"]
    assert html.select_one("a.hb-cite").get_text() == "Rogers, 1957, p. 96"


def test_unknown_glossary_term_names_file_line_and_suggestion(mini: MiniSite) -> None:
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace('term("empathy")', 'term("empathi")'))
    result = mini.build()
    assert result.returncode != 0
    assert "docs/roles/advocacy.md:12: unknown glossary term 'empathi'. Did you mean 'empathy'?" in problem_lines(result.stdout)
    assert "Aborted with 1 warnings in strict mode!" in result.stdout


def test_unknown_citation_key_names_file_line_and_suggestion(mini: MiniSite) -> None:
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace('cite("rogers1957"', 'cite("rogers1975"'))
    result = mini.build()
    assert result.returncode != 0
    assert "docs/roles/advocacy.md:13: unknown citation key 'rogers1975'. Did you mean 'rogers1957'?" in problem_lines(result.stdout)


def test_bad_front_matter_date(mini: MiniSite) -> None:
    text = mini.read("roles/advocacy.md").replace("reviewed: 2026-11-23", "reviewed: 23/11/26")
    mini.write("roles/advocacy.md", text)
    result = mini.build()
    assert result.returncode != 0
    assert problem_lines(result.stdout) == ["docs/roles/advocacy.md:6: 'reviewed' must be a date like 2026-11-23, not '23/11/26'."]


def test_broken_link_to_a_missing_page(mini: MiniSite) -> None:
    mini.write("index.md", FRONT.format(title="Home") + "\n# Home\n\nSee [trust](relationship/trust.md).\n")
    result = mini.build()
    assert result.returncode != 0
    assert problem_lines(result.stdout) == [
        "docs/index.md:12: the link 'relationship/trust.md' points to a page that does not exist. "
        "Check the spelling, and link to the .md file relative to this page."]
    assert "Doc file 'index.md' contains a link" not in result.stdout  # MkDocs' own line, without a line number, is not repeated


def test_broken_anchor(mini: MiniSite) -> None:
    mini.write("index.md", FRONT.format(title="Home") + "\n# Home\n\nSee [points](roles/advocacy.md#no-such-part).\n")
    result = mini.build()
    assert result.returncode != 0
    assert problem_lines(result.stdout) == [
        "docs/index.md:12: the link 'roles/advocacy.md#no-such-part' points to a section '#no-such-part' that "
        "'roles/advocacy.md' does not have. Copy the address from the section's link symbol on the built page."]


def test_broken_raw_html_link_names_its_line(mini: MiniSite) -> None:
    mini.write("index.md", FRONT.format(title="Home") + '\n# Home\n\n<p><a href="nowhere.md">Nowhere</a></p>\n')
    result = mini.build()
    assert result.returncode != 0
    assert problem_lines(result.stdout) == [
        "docs/index.md:12: the link 'nowhere.md' points to a page that does not exist. "
        "Check the spelling, and link to the .md file relative to this page."]


def test_wrong_macro_arguments_are_one_line(mini: MiniSite) -> None:
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace('cite("rogers1957", "p. 96")', 'cite("rogers1957", "p. 96", "p. 97")'))
    result = mini.build()
    assert result.returncode != 0
    assert problem_lines(result.stdout) == [
        "docs/roles/advocacy.md:13: the locator 'p. 97' must follow the key it belongs to, "
        'like cite("rogers1957") or cite("rogers1957", "p. 96", "lee2001").'
    ]
    assert "Traceback" not in result.stdout


def test_undefined_variable_fails_instead_of_publishing(mini: MiniSite) -> None:
    mini.write("index.md", FRONT.format(title="Home") + "\n# Home\n\nHello {{ no_such_variable }}.\n")
    result = mini.build()
    assert result.returncode != 0
    assert problem_lines(result.stdout) == [
        "docs/index.md:12: 'no_such_variable' is not a macro of the handbook: pages may only use the handbook's macros "
        'with quoted text, like {{ term("empathy") }}. To show macro syntax as an example, put it in backticks.']
    assert not (mini.path / "site" / "index.html").exists() or "no_such_variable" not in (mini.path / "site" / "index.html").read_text()


def test_every_problem_is_reported_not_only_the_first(mini: MiniSite) -> None:
    text = mini.read("roles/advocacy.md").replace('term("empathy")', 'term("empathi")').replace('cite("rogers1957"', 'cite("rogers1975"')
    mini.write("roles/advocacy.md", text.replace(
        "description: A fixture page used by the tests of the handbook build, long enough to pass.", "description: Too short."))
    result = mini.build()
    lines = problem_lines(result.stdout)
    assert len(lines) == 3, lines
    assert lines[0].startswith("docs/roles/advocacy.md:3: 'description' is")


def test_macro_syntax_inside_code_is_left_as_written(mini: MiniSite) -> None:
    mini.write("index.md", FRONT.format(title="Home") + '\n# Home\n\nWrite `{{ term("nope") }}` to link.\n\n```\n{{ cite("nope") }}\n```\n')
    result = mini.build()
    assert result.returncode == 0, result.stdout
    html = page(mini.path / "site", "")
    codes = [c.get_text() for c in html.select("code")]
    assert '{{ term("nope") }}' in codes and '{{ cite("nope") }}\n' in codes
