"""Front matter, authors, errors and the usage scan."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from handbook.authors import load_authors, orcid_is_valid
from handbook.errors import ContentError, Problem, format_problems, github_annotation
from handbook.pages import validate_front_matter
from handbook.usage import scan

AUTHORS = load_authors(ROOT / "docs/data/authors.yml")
GOOD = """---
title: Advocacy
description: How social workers speak up with and for the people they work with, and why.
authors: [contributors]
created: 2026-11-23
reviewed: 2026-11-23
next_review: 2027-11-23
keywords: [advocacy]
---

# Advocacy
"""


def check(text: str) -> list[str]:
    front, problems = validate_front_matter("docs/roles/advocacy.md", text, AUTHORS)
    return [str(p) for p in problems]


def test_good_front_matter() -> None:
    front, problems = validate_front_matter("docs/roles/advocacy.md", GOOD, AUTHORS)
    assert problems == [] and front.title == "Advocacy" and front.authors[0].collective


def test_date_that_is_not_a_date() -> None:
    assert check(GOOD.replace("reviewed: 2026-11-23", "reviewed: 23/11/26")) == [
        "docs/roles/advocacy.md:6: 'reviewed' must be a date like 2026-11-23, not '23/11/26'."
    ]


def test_description_too_short_and_too_long() -> None:
    assert check(GOOD.replace("description: How social workers speak up with and for the people they work with, and why.", "description: Advocacy.")) == [
        "docs/roles/advocacy.md:3: 'description' is 9 characters long; it must be at least 50."
    ]
    assert check(GOOD.replace("and why.", "and why. " + "More words. " * 10)) == [
        "docs/roles/advocacy.md:3: 'description' is 196 characters long; it must be at most 160."
    ]


def test_unknown_author_and_missing_field() -> None:
    text = GOOD.replace("authors: [contributors]", "authors: [jane-doe]").replace("next_review: 2027-11-23\n", "")
    assert check(text) == [
        "docs/roles/advocacy.md:2: 'next_review' is missing. Add it.",
        "docs/roles/advocacy.md:4: the author 'jane-doe' is not in docs/data/authors.yml. Add them there first, or use one of: contributors.",
    ]


def test_unknown_field_and_review_order() -> None:
    text = GOOD.replace("keywords: [advocacy]", "keywords: [advocacy]\nauthor: Someone").replace("next_review: 2027-11-23", "next_review: 2025-01-01")
    assert check(text) == [
        "docs/roles/advocacy.md:7: 'next_review' must be after 'reviewed'.",
        "docs/roles/advocacy.md:9: unknown field 'author'. Use only: authors, created, description, hide, keywords, next_review, reviewed, search, standards, title.",
    ]


def test_colon_in_an_unquoted_value() -> None:
    assert check(GOOD.replace("title: Advocacy", "title: Advocacy: case and cause")) == [
        "docs/roles/advocacy.md:2: the front matter is not valid YAML: mapping values are not allowed here. "
        "If a value contains a colon followed by a space, put the value in double quotes."
    ]


def test_no_front_matter() -> None:
    assert check("# Advocacy\n")[0].startswith("docs/roles/advocacy.md:1: has no front matter.")


def test_orcid_checksum(tmp_path: Path) -> None:
    assert orcid_is_valid("0000-0002-1825-0097") and orcid_is_valid("0000-0002-1694-233X")
    assert not orcid_is_valid("0000-0002-1825-0098")
    path = tmp_path / "authors.yml"
    path.write_text(textwrap.dedent("""\
        - id: jane-doe
          family: Doe
          given: Jane
          orcid: 0000-0002-1825-0098
        - id: nameless
        """), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_authors(path, "docs/data/authors.yml")
    assert [str(p) for p in info.value.problems] == [
        "docs/data/authors.yml:4: the ORCID iD 0000-0002-1825-0098 of 'jane-doe' fails its checksum. Copy it again from orcid.org.",
        "docs/data/authors.yml:5: the author 'nameless' needs 'family' and 'given' names (or 'collective: true' and a 'name').",
    ]


def test_author_names_for_reference_managers() -> None:
    from handbook.authors import Author
    person = Author(id="x", family="van der Berg", given="Anna")
    assert person.inverted == "van der Berg, Anna" and person.display == "Anna van der Berg"
    assert AUTHORS["contributors"].inverted == "Client-Centred Practice Handbook contributors"
    assert person.highwire == "van der Berg, Anna"
    assert AUTHORS["contributors"].highwire == "Client-Centred Practice Handbook contributors,"


def test_problem_lines_and_github_annotations() -> None:
    problem = Problem("docs/roles/advocacy.md", 42, "unknown glossary term 'advocasy'. Did you mean 'advocacy'?")
    assert str(problem) == "docs/roles/advocacy.md:42: unknown glossary term 'advocasy'. Did you mean 'advocacy'?"
    assert github_annotation(problem) == "::error file=docs/roles/advocacy.md,line=42::unknown glossary term 'advocasy'. Did you mean 'advocacy'?"
    hint = Problem("docs/a,b.md", None, "50% done\nnext", "notice")
    assert github_annotation(hint) == "::notice file=docs/a%2Cb.md::50%25 done%0Anext"
    assert format_problems([problem], github=True).splitlines() == [str(problem), github_annotation(problem)]
    assert format_problems([problem], github=False) == str(problem)


def test_usage_scan_finds_calls_with_lines_and_skips_code(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "roles").mkdir(parents=True)
    (docs / "roles" / "a.md").write_text(textwrap.dedent("""\
        ---
        title: A
        ---
        Text {{ term("empathy") }} and {{ cite("rogers1957", "p. 96", "lee2001") }}.

        `{{ term("in-code") }}`

        ```
        {{ cite("in-fence") }}
        ```
        {{ citet("tervalon1998") }}
        """), encoding="utf-8")
    usage = scan(docs)
    assert [(c.line, c.macro, c.args) for c in usage.calls] == [
        (4, "term", ("empathy",)), (4, "cite", ("rogers1957", "p. 96", "lee2001")), (11, "citet", ("tervalon1998",)),
    ]
    assert usage.pages_by_ref["lee2001"] == ["roles/a.md"] and usage.pages_by_term["empathy"] == ["roles/a.md"]
    assert usage.titles["roles/a.md"] == "A"
    assert usage.refs_by_page["roles/a.md"] == ["rogers1957", "lee2001", "tervalon1998"]



_SCAN_AGAIN = """
import json, sys
from pathlib import Path
import jinja2
sys.path.insert(0, "scripts")
from handbook.formatcache import FormatCache
from handbook.usage import scan
lexed = []
tokenize = jinja2.Environment._tokenize
jinja2.Environment._tokenize = lambda self, *a, **k: lexed.append(1) or tokenize(self, *a, **k)
usage = scan(Path(sys.argv[1]), FormatCache(Path(sys.argv[2])), "code")
print(json.dumps([len(lexed), [[c.line, c.macro, list(c.args)] for c in usage.calls], usage.problems]))
"""


def _scan_in_a_new_process(docs: Path, kept: Path) -> list:
    import json
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", _SCAN_AGAIN, str(docs), str(kept)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_page_read_once_is_not_read_by_jinja_again_until_its_text_changes(tmp_path: Path) -> None:
    """The scan keeps each page's parsed template in the build-check cache, under its text and the code:
    the next build (a new process) finds the same calls without reading the page with Jinja's lexer,
    and a changed page is read again."""
    from handbook.formatcache import FormatCache

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text('---\ntitle: A\n---\nText {{ term("empathy") }} and {{ cite("rogers1957", "p. 96") }}.\n', encoding="utf-8")
    kept = FormatCache(tmp_path / "checks.json")
    first = scan(docs, kept, "code")
    assert [(c.line, c.macro, c.args) for c in first.calls] == [(4, "term", ("empathy",)), (4, "cite", ("rogers1957", "p. 96"))]
    kept.save()
    assert _scan_in_a_new_process(docs, tmp_path / "checks.json") == [0, [[4, "term", ["empathy"]], [4, "cite", ["rogers1957", "p. 96"]]], []]
    (docs / "a.md").write_text('---\ntitle: A\n---\nNow {{ term("respect") }}.\n', encoding="utf-8")
    lexed, calls, _ = _scan_in_a_new_process(docs, tmp_path / "checks.json")
    assert lexed > 0 and calls == [[4, "term", ["respect"]]]


def test_a_page_with_refused_template_code_is_never_kept(tmp_path: Path) -> None:
    """A refused page is read afresh by every build, so its problem is always found with its line."""
    from handbook.formatcache import FormatCache

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "b.md").write_text("---\ntitle: B\n---\n{% for x in y %}{{ x }}{% endfor %}\n", encoding="utf-8")
    kept = FormatCache(tmp_path / "checks.json")
    assert any(where == "b.md" and line == 4 for where, line, _ in scan(docs, kept, "code").problems)
    kept.save()
    assert not (tmp_path / "checks.json").exists()  # nothing was kept
    lexed, _, problems = _scan_in_a_new_process(docs, tmp_path / "checks.json")
    assert lexed > 0 and any(where == "b.md" and line == 4 for where, line, _ in problems)
