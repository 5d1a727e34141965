"""Teaching with the handbook (issue 30): the standards pages support, the self-check questions,
the reuse statement and the report link, as the check, the build and readers see them."""

from __future__ import annotations

import json
import shutil
import textwrap
import urllib.parse
from pathlib import Path

import pytest

from conftest import FRONT, ROOT, MiniSite, page, problem_lines, SELF_CHECK
from handbook import selfcheck
from handbook.checks import run_checks
from handbook.errors import ContentError
from handbook.pages import validate_front_matter
from handbook.selfcheck import self_check_problems
from handbook.site import load_handbook
from handbook.standards import load_standards

STANDARDS = load_standards(ROOT / "docs" / "data" / "standards.yml", "docs/data/standards.yml")


# The standards: data file and front matter ---------------------------------------------------------
def test_the_standards_file_has_the_swe_standards_and_the_nine_pcf_domains() -> None:
    swe = [s for s in STANDARDS.items.values() if s.framework.id == "swe"]
    pcf = [s for s in STANDARDS.items.values() if s.framework.id == "pcf"]
    assert [s.number for s in pcf] == [str(n) for n in range(1, 10)]
    assert swe[0].id == "swe-1.1" and swe[0].wording == "Value each person as an individual"
    assert all(s.id == f"swe-{s.number}" for s in swe)
    assert STANDARDS.frameworks["swe"].source.startswith("https://www.socialworkengland.org.uk/")


def test_a_mistake_in_the_standards_file_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "standards.yml"
    bad.write_text((ROOT / "docs/data/standards.yml").read_text(encoding="utf-8").replace(
        "{id: swe-1.6, framework: swe,", "{id: swe-1.6, framework: swx,"), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_standards(bad, "docs/data/standards.yml")
    line = next(n for n, l in enumerate(bad.read_text(encoding="utf-8").split("\n"), 1) if "swx" in l)
    assert [str(p) for p in error.value.problems] == [
        f"docs/data/standards.yml:{line}: the framework 'swx' is not one of 'frameworks' (swe, pcf)."]


@pytest.mark.parametrize("written, line", [("standards: [swe-1.3, swe-9.9]", 5),
                                           ("standards:\n  - swe-1.3\n  - swe-9.9", 7)])
def test_an_unknown_standard_in_front_matter_names_its_line(written: str, line: int) -> None:
    text = FRONT.format(title="Advocacy").replace("authors: [contributors]\n", f"authors: [contributors]\n{written}\n")
    from handbook.authors import Author
    front, problems = validate_front_matter("docs/roles/advocacy.md", text, {"contributors": Author("contributors", literal="C")},
                                            set(STANDARDS.items), STANDARDS.unknown_message)
    assert front is None
    assert len(problems) == 1 and str(problems[0]).startswith(f"docs/roles/advocacy.md:{line}: unknown standard 'swe-9.9'.")


def _with_standards(mini: MiniSite, standards: str | None) -> None:
    shutil.copy(ROOT / "docs/data/standards.yml", mini.path / "docs/data/standards.yml")
    text = mini.read("roles/advocacy.md")
    if standards is not None:
        text = text.replace("authors: [contributors]\n", f"authors: [contributors]\nstandards: {standards}\n", 1)
    mini.write("roles/advocacy.md", text)


def test_an_unknown_standard_stops_the_build_with_its_line(mini: MiniSite) -> None:
    _with_standards(mini, "[swe-1.3, swe-1.33]")
    result = mini.build()
    assert result.returncode != 0
    lines = problem_lines(result.stdout)
    assert any(l.startswith("docs/roles/advocacy.md:5: unknown standard 'swe-1.33'.") for l in lines), result.stdout


def test_a_topic_page_without_standards_fails_the_check(mini: MiniSite) -> None:
    _with_standards(mini, None)
    handbook = load_handbook(mini.path, mini.path / "docs")
    found = [str(p) for p in run_checks(handbook, [mini.path / "docs/roles/advocacy.md"], spelling=False) if p.severity == "error"]
    assert any(p.startswith("docs/roles/advocacy.md:2: the page names no professional standards.") for p in found), found


def test_every_topic_settings_skills_page_and_case_study_names_two_to_five_standards() -> None:
    handbook = load_handbook(ROOT, ROOT / "docs")
    from handbook.checks import needs_standards
    pages = {src: f for src, f in handbook.pages.items() if needs_standards(src)}
    assert len(pages) >= 38
    assert {src: len(f.standards) for src, f in pages.items() if not 2 <= len(f.standards) <= 5} == {}


# The self-check section -------------------------------------------------------------------------
QUESTIONS = textwrap.dedent('''\
    ## Check your understanding

    **1. What is advocacy?**

    - A. Speaking over people
    - B. Helping a person's views count

    ??? success "Answer"
        **B.** See [Key points](#key-points).

    **2. Who decides?**

    ??? success "Answer"
        **Model answer:** The person. See [Key points](#key-points).

    **3. What is cause advocacy?**

    ??? success "Answer"
        **Model answer:** Changing a policy. See [Key points](#key-points).

    ''')


def _lines(body: str) -> list[str]:
    return body.split("\n")


def test_a_topic_page_without_questions_fails_when_they_are_required() -> None:
    lines = _lines("# T\n\n## Key points\n\n- A.\n\n## Reflective questions\n\n1. Why?\n")
    assert [str(p) for p in self_check_problems("docs/roles/advocacy.md", "roles/advocacy.md", lines, required=True)] == [
        "docs/roles/advocacy.md:7: the page has no '## Check your understanding' section. Every topic page has 3 to 5 "
        "self-check questions between its key points and its reflective questions, each a bold numbered line like "
        "'**1. ...?**', then its answer in a '??? success \"Answer\"' block."]
    assert list(self_check_problems("docs/roles/advocacy.md", "roles/advocacy.md", lines, required=False)) == []
    assert list(self_check_problems("docs/practice/family.md", "practice/family.md", lines, required=True)) == []


def test_the_check_holds_every_topic_page_to_three_questions_when_switched_on(mini: MiniSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selfcheck, "SELF_CHECK_REQUIRED", True)
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace(SELF_CHECK, ""))  # the fixture's own section
    handbook = load_handbook(mini.path, mini.path / "docs")
    found = [str(p) for p in run_checks(handbook, [mini.path / "docs/roles/advocacy.md"], spelling=False)]
    assert any("the page has no '## Check your understanding' section" in p for p in found), found
    body = mini.read("roles/advocacy.md").replace("## Reflective questions", QUESTIONS + "## Reflective questions")
    mini.write("roles/advocacy.md", body)
    handbook = load_handbook(mini.path, mini.path / "docs")
    found = [str(p) for p in run_checks(handbook, [mini.path / "docs/roles/advocacy.md"], spelling=False)]
    assert not any("Check your understanding" in p or "answer" in p for p in found), found


def test_each_rule_of_the_section_names_its_line() -> None:
    two = QUESTIONS.split("**3.")[0]
    lines = _lines("## Key points\n\n- A.\n\n" + two.replace("**2. Who", "**3. Who")
                   .replace("    **Model answer:** The person. See [Key points](#key-points).", "    **Model answer:** The person.")
                   + "??? success \"Answer\"\n    Stray.\n")
    found = [str(p) for p in self_check_problems("docs/roles/x.md", "roles/x.md", lines, required=True)]
    assert found == [
        "docs/roles/x.md:5: 'Check your understanding' has 2 question(s); a topic page has 3 to 5, each a bold numbered "
        "line like '**1. ...?**', then its answer in a '??? success \"Answer\"' block.",
        "docs/roles/x.md:15: question 2 is numbered 3. Number the questions 1., 2., 3., ... in order.",
        "docs/roles/x.md:17: the answer to question 3 does not point back to the page. Link its feedback to the section it "
        "draws on, e.g. [Key points](#key-points).",
        "docs/roles/x.md:20: this answer box follows no question. Put it right after its question (a bold numbered line "
        "like '**1. ...?**', then its answer in a '??? success \"Answer\"' block).",
    ]


def test_an_open_or_missing_answer_is_refused() -> None:
    lines = _lines(QUESTIONS.replace('??? success "Answer"\n    **B.**', '???+ success "Answer"\n    **B.**')
                   .replace('??? success "Answer"\n    **Model answer:** The person. See [Key points](#key-points).\n', ""))
    found = [str(p) for p in self_check_problems("docs/roles/x.md", "roles/x.md", lines)]
    assert found == [
        "docs/roles/x.md:8: the answer to question 1 must start with the line '??? success \"Answer\"' (closed until the reader opens it).",
        "docs/roles/x.md:11: question 2 has no answer. Add a '??? success \"Answer\"' block after it, its text indented by four spaces.",
    ]


def test_the_section_comes_after_the_key_points_and_before_the_reflective_questions() -> None:
    from handbook.checks import ANATOMY
    assert ANATOMY.index("Key points") < ANATOMY.index("Check your understanding") < ANATOMY.index("Reflective questions")


# What readers see in the built site ----------------------------------------------------------------
def _pages(site: Path) -> list[str]:
    return sorted(str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html")
                  if (p.parent / "index.html").is_file() and not str(p.relative_to(site)).startswith(("v/", "assets/", "search/")))


def test_every_page_has_the_reuse_statement_and_the_report_link(site: Path) -> None:
    checked = 0
    for url in _pages(site):
        soup = page(site, "" if url == "./" else url)
        h1 = soup.select_one("article h1")
        if h1 is None or soup.select_one(".hb-cite-box") is None:
            continue
        checked += 1
        statement = soup.select_one("#hb-reuse-text")
        assert statement is not None, url
        text = statement.get_text(" ", strip=True)
        assert "is licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Changes: [describe your changes]" in text, url
        assert "Client-Centred Practice Handbook" in text and "https://client-centred-practice-handbook.github.io/handbook/" in text
        assert soup.select_one("button.hb-copy[data-copy=hb-reuse-text]") is not None
        link = soup.select_one(".hb-report a")
        assert link is not None and link.get_text(strip=True) == "Report a problem with this page", url
        parts = urllib.parse.urlsplit(link["href"])
        assert (parts.scheme, parts.netloc, parts.path) == ("https", "github.com", "/client-centred-practice-handbook/handbook/issues/new")
        query = urllib.parse.parse_qs(parts.query)
        assert query["title"][0].startswith("Problem with the page: ")
        assert "Version: " in query["body"][0] and "Address: https://client-centred-practice-handbook.github.io/handbook/" in query["body"][0]
    assert checked > 50


def test_a_page_shows_the_standards_it_supports_linked_to_the_map(site: Path) -> None:
    soup = page(site, "roles/advocacy/")
    line = soup.select_one("p.hb-standards")
    assert line.get_text(" ", strip=True).startswith("Supports: SWE 1.2 , SWE 1.6 · PCF 4 Rights, justice and economic wellbeing")
    assert line.find_previous_sibling("p")["class"] == ["hb-dates"]
    assert [a["href"] for a in line.select("a")][0] == "../../about/teaching/#swe-1-2"


def test_the_teaching_page_shows_the_map_and_the_case_studies(site: Path) -> None:
    soup = page(site, "about/teaching/")
    tables = soup.select("table.hb-standards-map")
    assert [t.caption.get_text(" ", strip=True) for t in tables] == [
        "Social Work England professional standards (2019)", "Professional Capabilities Framework (BASW) (2018)"]
    row = soup.select_one("tr#swe-1-2")
    assert row.th.get_text(strip=True) == "1.2" and "Advocacy" in [a.get_text(strip=True) for a in row.select("a")]
    assert len(soup.select("tr[id^=pcf-]")) == 9
    studies = [a.get_text(strip=True) for a in soup.select("ul.hb-case-studies > li > a")]
    assert studies[:1] == ["Case study: a family"] and len(studies) == 4
    nav = [a.get_text(strip=True) for a in soup.select(".md-nav a")]
    assert "Teaching with the handbook" in nav and "Accessibility statement" in nav


def test_the_map_is_searched_by_its_standards_not_by_the_titles_it_lists(site: Path) -> None:
    """Each page is found by its own title; the map's lists of titles grow with the handbook (at 1,000 pages its
    section outgrew what Zensical's search index takes in one field), so they are left out of search."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    section = next(d for d in index["docs"] if d["location"] == "about/teaching/#which-standards-does-each-page-support")
    row = page(site, "about/teaching/").select_one("tr#swe-1-2")
    assert row.select("td")[0].get_text(strip=True) in section["text"]  # the standard's wording is found
    assert "Advocacy" in [a.get_text(strip=True) for a in row.select("a")] and "Advocacy" not in section["text"]


def test_the_answers_are_closed_details_with_a_link_back(site: Path) -> None:
    soup = page(site, "roles/advocacy/")
    heading = soup.select_one("h2#check-your-understanding")
    boxes = soup.select("details.success")
    assert len(boxes) == 4 and all(not b.has_attr("open") for b in boxes)
    assert all(b.summary.get_text(strip=True) == "Answer" for b in boxes)
    assert all(b.select_one("a[href^='#']") for b in boxes)
    assert heading.find_next("h2").get("id") == "reflective-questions"
