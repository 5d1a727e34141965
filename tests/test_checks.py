"""`python3 dev.py check`: each check has a failing page with its exact message, and a passing one."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import FRONT, ROOT, SELF_CHECK, MiniSite
from handbook.checks import run_checks
from handbook.site import load_handbook

TOPIC = FRONT.format(title="Advocacy") + textwrap.dedent("""
    # Advocacy

    Advocacy helps people be heard {{ cite("rogers1957") }}.

    ## Learning outcomes

    - explain advocacy

    ## Practice example: a visit

    !!! example "Fictional example"
        A worker visits.

    ## Critical perspectives

    Some doubt it.

    ## Key points

    - It matters.

    ## Reflective questions

    1. Why?

    ## Further reading

    - {{ citet("rogers1957") }}: a classic.
    """).replace("## Reflective questions", SELF_CHECK + "## Reflective questions")


#: The content standard's figures have tests of their own (test_standard.py); this fixture is short on purpose.
STANDARD = ("words of body", "distinct source", "'keywords'", "learning outcomes;", "key points;", "reflective questions;",
            "further-reading entries;", "not cited from the bibliography", "critical perspectives cite no source")


def problems_for(mini: MiniSite, body: str, *, spelling: bool = False) -> list[str]:
    mini.write("roles/advocacy.md", body)
    handbook = load_handbook(mini.path, mini.path / "docs")
    found = run_checks(handbook, [mini.path / "docs/roles/advocacy.md"], spelling=spelling)
    return [str(p) for p in found if not (p.severity == "warning" and any(s in p.message for s in STANDARD))]


def test_a_complete_page_passes(mini: MiniSite) -> None:
    assert problems_for(mini, TOPIC) == []


def test_missing_anatomy(mini: MiniSite) -> None:
    body = TOPIC.replace("## Key points", "## Summary").replace("## Reflective questions\n\n1. Why?\n", "")
    assert problems_for(mini, body) == [
        "docs/roles/advocacy.md: the page has no '## Key points' section. Every topic page has one (see docs/about/style-guide.md); `python3 dev.py new` writes them all.",
        "docs/roles/advocacy.md: the page has no '## Reflective questions' section. Every topic page has one (see docs/about/style-guide.md); `python3 dev.py new` writes them all.",
    ]


def test_handwritten_references_section(mini: MiniSite) -> None:
    assert problems_for(mini, TOPIC + "\n## References\n\n- Rogers.\n") == [
        f"docs/roles/advocacy.md:{TOPIC.count(chr(10)) + 2}: the page writes its own 'References' section. Remove it: references and 'Cite this page' are generated from the citations."
    ]


def test_unknown_term_and_citation(mini: MiniSite) -> None:
    body = TOPIC.replace('{{ cite("rogers1957") }}.', '{{ cite("rogers1975") }} with {{ term("empathi") }}.')
    assert problems_for(mini, body) == [
        "docs/roles/advocacy.md:12: unknown citation key 'rogers1975'. Did you mean 'rogers1957'?",
        "docs/roles/advocacy.md:12: unknown glossary term 'empathi'. Did you mean 'empathy'?",
    ]


def test_house_style_words(mini: MiniSite) -> None:
    body = TOPIC.replace("Some doubt it.", "Some client-centered workers saw a man who suffers from anxiety among the homeless.")
    assert problems_for(mini, body) == [
        "docs/roles/advocacy.md:25: 'client-centered' is US spelling. Write 'client-centred' (keep the US spelling only inside a quoted title).",
        "docs/roles/advocacy.md:25: 'suffers from' casts people as victims. Write 'has', 'lives with' or 'experiences'.",
        "docs/roles/advocacy.md:25: 'the homeless' turns people into a category. Write about people first, e.g. 'people experiencing homelessness', 'disabled people', 'older people', 'people with mental health problems'.",
    ]


def test_us_spelling_in_a_quoted_title_is_allowed(mini: MiniSite) -> None:
    assert problems_for(mini, TOPIC.replace("Some doubt it.", "Rogers wrote *Client-Centered Therapy* in 1951.")) == []


def test_link_to_a_missing_page(mini: MiniSite) -> None:
    body = TOPIC.replace("Some doubt it.", "See [trust](../relationship/trust.md) and [roles](/roles/).")
    assert problems_for(mini, body) == [
        "docs/roles/advocacy.md:25: the link '../relationship/trust.md' points to a page that does not exist. Check the spelling, and link to the .md file relative to this page.",
        "docs/roles/advocacy.md:25: the link '/roles/' starts with '/'. Link to the Markdown file relative to this page, e.g. '../roles/advocacy.md'.",
    ]


@pytest.mark.parametrize(("html", "message"), [
    ('<script>alert(1)</script>', "the HTML element <script> is not allowed in a page: it could run code or change the page in readers' browsers. Remove it; ask a maintainer if the page needs a feature."),
    ('<iframe src="https://example.org"></iframe>', "the HTML element <iframe> is not allowed in a page: it could run code or change the page in readers' browsers. Remove it; ask a maintainer if the page needs a feature."),
    ('<img src="x.png" onerror="steal()">', "the HTML attribute 'onerror' is not allowed: it runs code in readers' browsers. Remove it."),
    ('[click](javascript:alert(1))', "a 'javascript:' link is not allowed: it runs code in readers' browsers. Link to a page or web address instead."),
])
def test_unsafe_html_is_refused(mini: MiniSite, html: str, message: str) -> None:
    assert problems_for(mini, TOPIC.replace("Some doubt it.", html)) == [f"docs/roles/advocacy.md:25: {message}"]


def test_long_sentence_and_paragraph(mini: MiniSite) -> None:
    sentence = "This sentence " + "goes on and on " * 12 + "until it ends."
    paragraph = " ".join(["Short sentence here with several words in it."] * 20)
    body = TOPIC.replace("Some doubt it.", sentence + "\n\n" + paragraph)
    assert problems_for(mini, body) == [
        "docs/roles/advocacy.md:25: the sentence starting 'This sentence goes on and on ...' has 53 words. Split it: sentences of at most 40 words are easier to follow.",
        "docs/roles/advocacy.md:27: this paragraph has 160 words. Split it: paragraphs of at most 150 words are easier to read.",
    ]


@pytest.mark.skipif(not os.path.exists("/usr/bin/aspell"), reason="aspell is installed by `python3 dev.py test`")
def test_british_spelling(mini: MiniSite) -> None:
    body = TOPIC.replace("Some doubt it.", "The organization helps people recognise their colour and behaviour.")
    assert problems_for(mini, body, spelling=True) == [
        "docs/roles/advocacy.md:25: 'organization' is not in the British English dictionary. Did you mean 'organisation' or 'organisations' or \"organisation's\"? If it is right (a name or a technical word), add it to .spelling-wordlist.txt."
    ]


def test_unlinked_glossary_term_is_a_hint(mini: MiniSite) -> None:
    body = TOPIC.replace("Some doubt it.", "Empathy matters. Empathy is hard. Empathy takes time.")
    assert problems_for(mini, body) == [
        "docs/roles/advocacy.md: the glossary term 'empathy' appears 3 times but is never linked. Link its first use with {{ term(\"empathy\") }}."
    ]
    # Part of a hyphenated word is another word ('client' in 'client-centred'): no hint for it.
    body = TOPIC.replace("Some doubt it.", "Empathy-led work. Empathy-based care. Self-empathy helps.")
    assert problems_for(mini, body) == []


def test_unused_glossary_terms_are_listed(mini: MiniSite) -> None:
    handbook = load_handbook(mini.path, mini.path / "docs")
    unused = [str(p) for p in run_checks(handbook, spelling=False) if "is used on no page" in p.message]
    assert unused == []  # the fixture uses both of its terms
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace('{{ term("empathy") }}', "empathy"))
    handbook = load_handbook(mini.path, mini.path / "docs")
    unused = [str(p) for p in run_checks(handbook, spelling=False) if "is used on no page" in p.message]
    assert unused == ["docs/data/glossary.yml:7: the glossary term 'empathy' is used on no page yet. Link it where a page discusses it, or remove it if no page will."]


def test_command_line_prints_annotations_readability_and_fails(mini: MiniSite) -> None:
    mini.write("roles/advocacy.md", TOPIC.replace('cite("rogers1957")', 'cite("rogers1975")'))
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    result = subprocess.run([sys.executable, str(ROOT / "scripts/check.py"), "--root", str(mini.path), "--no-spelling"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "docs/roles/advocacy.md:12: unknown citation key 'rogers1975'. Did you mean 'rogers1957'?" in lines
    assert "::error file=docs/roles/advocacy.md,line=12::unknown citation key 'rogers1975'. Did you mean 'rogers1957'?" in lines
    assert any(line.startswith("  docs/roles/advocacy.md: ") for line in lines)  # readability figure
    assert any(line.startswith("1 error(s), ") for line in lines)


def test_the_handbook_itself_passes_its_checks() -> None:
    handbook = load_handbook(ROOT, ROOT / "docs")
    found = [str(p) for p in run_checks(handbook, spelling=os.path.exists("/usr/bin/aspell")) if p.severity in ("error", "warning")]
    assert found == []  # every landed page meets the content standard, with no warning
