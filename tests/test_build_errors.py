"""A bad page stops the build with one clear line naming the file (and line).

One real build per kind of problem proves that the build stops: a problem the checks find
(an unknown term), one found when the page's front matter is read (a bad date) and a broken
link, whose MkDocs warning is not repeated. What the build says about each other bad page is
a golden case, checked in-process (tests/cases/, tests/test_cases.py): an unknown citation
key (unknown-citation-key), a broken anchor or raw HTML link, wrong macro arguments, an
undefined name (undefined-variable), several problems at once
(every-problem-not-only-the-first) and macro syntax in code (macro-syntax-in-code).
"""

from __future__ import annotations

from conftest import FRONT, MiniSite, problem_lines


def test_unknown_glossary_term_names_file_line_and_suggestion(mini: MiniSite) -> None:
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace('term("empathy")', 'term("empathi")'))
    result = mini.build()
    assert result.returncode != 0
    assert "docs/roles/advocacy.md:12: unknown glossary term 'empathi'. Did you mean 'empathy'?" in problem_lines(result.stdout)
    assert "Aborted with 1 warnings in strict mode!" in result.stdout


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
