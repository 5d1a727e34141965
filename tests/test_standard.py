"""The check holds a page to the content standard: each rule fails on its fixture, with its figure."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, SELF_CHECK, MiniSite
from handbook.checks import run_checks
from handbook.site import load_handbook

KEYS = ("rogers1957", "tervalon1998", "careact2014", "lee2001", "gutierrez1990")
SENTENCE = "Workers listen closely to each person and check that they have understood what matters to them."


def good_topic(words: int = 1400) -> str:
    """A topic page that meets every rule of the standard."""
    paragraphs = []
    for n in range(words // len(SENTENCE.split())):
        cite = f' {{{{ cite("{KEYS[n % len(KEYS)]}") }}}}' if n % 4 == 0 else ""
        paragraphs.append(SENTENCE[:-1] + cite + ".")
    body = "\n\n".join(" ".join(paragraphs[i:i + 3]) for i in range(0, len(paragraphs), 3))
    return textwrap.dedent("""\
        ---
        title: Advocacy
        description: A fixture page used by the tests of the content standard, long enough to pass.
        authors: [contributors]
        created: 2026-11-23
        reviewed: 2026-11-23
        next_review: 2027-11-23
        keywords: [advocacy, speaking up]
        ---

        # Advocacy

        Advocacy helps people be heard.

        ## Learning outcomes

        - explain advocacy
        - plan advocacy with a person

        ## What is advocacy?

        BODY

        ## Practice example: a visit

        !!! example "Fictional example"
            A worker visits.

        ## Critical perspectives

        Some doubt it {{ cite("tervalon1998") }}.

        ## Key points

        - One.
        - Two.
        - Three.
        - Four.

        ## Reflective questions

        1. Why?
        2. How?
        3. When?

        ## Further reading

        - {{ citet("rogers1957") }}: a classic.
        - {{ citet("lee2001") }}: on empowerment.
        """).replace("BODY", body).replace("## Reflective questions", SELF_CHECK + "## Reflective questions")


@pytest.fixture
def mini(tmp_path) -> MiniSite:
    site = MiniSite(tmp_path / "mini")
    refs = [i for i in json.loads((ROOT / "docs" / "data" / "references.json").read_text()) if i["id"] in KEYS]
    site.write("data/references.json", json.dumps(refs, indent=2))
    return site


def problems(mini: MiniSite, text: str, rel: str = "roles/advocacy.md") -> list[str]:
    mini.write(rel, text)
    handbook = load_handbook(mini.path, mini.path / "docs")
    return [str(p) for p in run_checks(handbook, [mini.path / "docs" / rel], spelling=False)]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def test_a_page_that_meets_the_standard_passes(mini: MiniSite) -> None:
    assert problems(mini, good_topic()) == []


def test_an_unedited_scaffolded_page_names_each_template_line(mini: MiniSite) -> None:
    template = (ROOT / "scripts/templates/page.md").read_text(encoding="utf-8").format(
        title="Trust", description="How social workers build trust with people, and why it matters in practice.",
        author="contributors", date="2026-12-01", next_review="2027-12-01")
    found = problems(mini, template)
    errors = [p for p in found if "is still here" in p]

    def expected(needle: str, what: str) -> str:
        line = next(l.strip() for l in template.split("\n") if needle in l)
        return (f"docs/roles/advocacy.md:{line_of(template, needle)}: {what} is still here: '{line[:67]}...'. Replace it with "
                "the page's own text (the style guide says what each part needs), or delete the comment.")

    assert expected("Replace this paragraph with a short lead", "template text") in errors
    assert expected("<!-- Lead:", "the template's guidance comment") in errors
    guidance = [line for line in template.split("\n")[8:] if "eplace this" in line or line.startswith("<!--")
                or line == "## Practice example: a short descriptive title"]
    assert len(errors) == len(guidance) >= 15


def test_the_build_refuses_template_text(mini: MiniSite) -> None:
    text = good_topic().replace("Advocacy helps people be heard.", "Replace this paragraph with a short lead: what the page covers "
                                                                   "and why it matters to a social worker.")
    mini.write("roles/advocacy.md", text)
    result = mini.build()
    assert result.returncode != 0
    assert f"docs/roles/advocacy.md:{line_of(text, 'Replace this paragraph')}: template text is still here" in result.stdout


RULES = [
    ("too short", lambda t: good_topic(400), "this page has 411 words of body; a topic page needs 1,200 to 2,500. Add to the sections "
     "between the learning outcomes and the key points."),
    ("too few sources", lambda t: t.replace('cite("careact2014")', 'cite("rogers1957")').replace('cite("gutierrez1990")', 'cite("rogers1957")'),
     "this page cites 3 distinct source(s); a topic page cites at least 5. Support its claims from more of the bibliography."),
    ("one outcome", lambda t: t.replace("- plan advocacy with a person\n", ""),
     "LINE(## Learning outcomes): 'Learning outcomes' has 1 learning outcomes; a topic page has 2 to 4, as a list."),
    ("three key points", lambda t: t.replace("- Four.\n", ""),
     "LINE(## Key points): 'Key points' has 3 key points; a topic page has 4 to 6, as a list."),
    ("bulleted questions", lambda t: t.replace("1. Why?\n2. How?\n3. When?", "- Why?\n- How?\n- When?"),
     "LINE(## Reflective questions): 'Reflective questions' has 0 reflective questions; a topic page has 3 to 5, as a numbered list."),
    ("uncited further reading", lambda t: t.replace('{{ citet("lee2001") }}: on empowerment.', "Lee's book on empowerment."),
     "LINE(Lee's book): this further-reading entry is not cited from the bibliography. Name the work with {{ citet(\"key\") }} so "
     "that readers get its full reference."),
    ("uncited critique", lambda t: t.replace('Some doubt it {{ cite("tervalon1998") }}.', "Some doubt it."),
     "LINE(## Critical perspectives): the critical perspectives cite no source. Critiques need their sources like any other claim."),
    ("no keywords", lambda t: t.replace("keywords: [advocacy, speaking up]", "keywords: []"),
     "2: the page has no 'keywords'. Add three to ten words readers might search for, including American spellings where they "
     "differ (e.g. counseling)."),
]


@pytest.mark.parametrize("rule", RULES, ids=[r[0] for r in RULES])
def test_each_rule_of_the_standard_fails_with_its_figure(mini: MiniSite, rule) -> None:
    _, change, message = rule
    text = change(good_topic())
    if message.startswith("LINE("):
        needle, message = message[5:].split("): ", 1)
        message = f"{line_of(text, needle)}: {message}"
        assert problems(mini, text) == [f"docs/roles/advocacy.md:{message}"]
    elif message[0].isdigit():
        assert problems(mini, text) == [f"docs/roles/advocacy.md:{message}"]
    else:  # a rule about the whole page: no line
        assert problems(mini, text) == [f"docs/roles/advocacy.md: {message}"]


def test_landing_pages_and_case_studies_have_their_own_standard(mini: MiniSite) -> None:
    landing = good_topic(60).replace("## Learning outcomes", "## In this section")
    found = problems(mini, landing, "roles/index.md")
    assert any("words of body; a section landing page needs 200 to 400" in p for p in found), found
    study = good_topic(1700).replace("## Further reading", "## Questions for discussion\n\n1. A?\n2. B?\n\n## Further reading")
    found = problems(mini, study, "practice/family.md")
    assert "docs/practice/family.md:" + str(line_of(study, "## Questions for discussion")) + \
           ": the case study has 2 question(s) for discussion; it needs at least 5." in found
    assert any("no '## Notes for educators' section" in p for p in found)
    assert any("links to 0 topic page(s); it needs at least 3" in p for p in found)


def test_the_summary_shows_each_page_at_a_glance(mini: MiniSite) -> None:
    mini.write("roles/advocacy.md", good_topic())
    result = subprocess.run([sys.executable, str(ROOT / "scripts/check.py"), "--no-spelling", "--root", str(mini.path),
                             str(mini.path / "docs/roles/advocacy.md")], capture_output=True, text=True)
    assert "  docs/roles/advocacy.md: 1,403 words, 5 sources, 0 terms, readability" in result.stdout, result.stdout


def test_warnings_are_annotations_on_a_pull_request(mini: MiniSite) -> None:
    mini.write("roles/advocacy.md", good_topic().replace("- Four.\n", ""))
    result = subprocess.run([sys.executable, str(ROOT / "scripts/check.py"), "--no-spelling", "--root", str(mini.path),
                             str(mini.path / "docs/roles/advocacy.md")], capture_output=True, text=True, env={"GITHUB_ACTIONS": "true", "PATH": ""})
    assert "::warning file=docs/roles/advocacy.md,line=" in result.stdout
    assert result.returncode == 0  # warnings are advice: a draft may carry them
