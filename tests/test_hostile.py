"""Content from strangers: no page or data file can run code, and every bad input is one clear line.

Each payload is planted in a small copy of the handbook and built as a pull request would
be. Payloads in page text are refused by the build and by `dev.py check` with the same
line; payloads in data files are escaped and shown as text. The built HTML (pages,
navigation, head, search index, downloads) is searched for each payload, and a real
browser loads the pages and fails on any dialog.

A payload in one page's text needs no site built to show what the build says of it: those
are golden cases (tests/cases/, tests/test_cases.py), where the build's lines, `dev.py
check`'s and the page the preview would show are compared whole: a broken macro
(unclosed-macro, code-span-breakout), wrong macro arguments, macro syntax in code,
template code in front matter, each unsafe HTML payload (unsafe-html-*), attribute lists and
split tags, front matter that would break the head or has the wrong types, and a broken
anchor. One real build per kind stays here: template code, unsafe HTML, a bad file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CHROMIUM, FRONT, ROOT, MiniSite, page, problem_lines
from handbook.checks import run_checks
from handbook.site import load_handbook


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def home(mini: MiniSite, body: str) -> str:
    text = FRONT.format(title="Home") + "\n# Home\n\n" + body + "\n"
    mini.write("index.md", text)
    return text


def check_lines(mini: MiniSite) -> list[str]:
    """What `dev.py check` says (without spelling), as the build would say it."""
    handbook = load_handbook(mini.path, mini.path / "docs")
    return [str(p) for p in run_checks(handbook, spelling=False) if p.severity == "error"]


def everything_built(site: Path) -> str:
    """Every file a browser would read as markup or script: pages, the search index, the sitemap, scripts.

    (The downloads, .bib, .ris, .csv and the data .json, hold the data as it is: they are
    files for reference managers and spreadsheets, which no browser runs.)"""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                     if p.is_file() and (p.suffix in (".html", ".xml", ".js") or p.name == "search_index.json"))


# Pages cannot program -------------------------------------------------------------------------
TEMPLATE_CODE = {
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}": "calling anything but the handbook's macros is not allowed",
    "{{ config }}": "'config' is not a macro of the handbook",
    "{{ macros_info() }}": "'macros_info()' is not a macro of the handbook",
    "{{ context() }}": "'context()' is not a macro of the handbook",
    "{{ environment }}": "'environment' is not a macro of the handbook",
    "{{ nothing_here }}": "'nothing_here' is not a macro of the handbook",
    "{{ term('empathy') | safe }}": "the filter '| safe' is not allowed",
    "{{ term.__globals__ }}": "'.__globals__' (reading a property) is not allowed",
    "{% include '/etc/passwd' %}": "the block '{% include %}' is not allowed",
    "{% for x in range(3) %}x{% endfor %}": "the block '{% for %}' is not allowed",
    "{% set x = 1 %}": "the block '{% set %}' is not allowed",
    "{{ term(config.site_name) }}": "the arguments of term() must be text in double quotes",
    "{{ cite(key='rogers1957') }}": "cite() takes its arguments in order, without names",
}


def test_template_code_in_a_page_is_refused_with_its_line_and_never_runs(mini: MiniSite) -> None:
    os.environ["HANDBOOK_PLANTED_SECRET"] = "s3cr3t-planted-value"
    try:
        text = home(mini, "\n\n".join(f"Paragraph {n}: {code}" for n, code in enumerate(TEMPLATE_CODE)))
        result = mini.build()
    finally:
        del os.environ["HANDBOOK_PLANTED_SECRET"]
    assert result.returncode != 0
    lines = problem_lines(result.stdout)
    for n, (code, message) in enumerate(TEMPLATE_CODE.items()):
        line = line_of(text, f"Paragraph {n}:")
        assert any(l.startswith(f"docs/index.md:{line}: {message}") for l in lines), (code, lines)
    assert len(lines) == len(TEMPLATE_CODE), lines
    assert "uid=" not in result.stdout and "Traceback" not in result.stdout
    built = everything_built(mini.path / "site") if (mini.path / "site").exists() else ""
    assert "uid=" not in built and "s3cr3t-planted-value" not in built and "'docs_dir'" not in built
    assert sorted(check_lines(mini)) == sorted(lines)


def test_every_problem_is_reported_even_after_an_undefined_name(mini: MiniSite) -> None:
    home(mini, "{{ nothing_here }}")
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace('term("empathy")', 'term("empathi")'))
    lines = problem_lines(mini.build().stdout)
    assert len(lines) == 2 and lines[1].startswith("docs/roles/advocacy.md:12: unknown glossary term 'empathi'."), lines


# Only allowed HTML reaches readers -----------------------------------------------------------------
HTML_PAYLOADS = {
    "<script>alert(1)</script>": "the HTML element <script> is not allowed in a page",
    '<p onclick="alert(1)">Click</p>': "the HTML attribute 'onclick' is not allowed: it runs code in readers' browsers. Remove it.",
    "[link](javascript:alert(1))": "a 'javascript:' link is not allowed: it runs code in readers' browsers.",
    "[vb](vbscript:msgbox(1))": "a 'vbscript:' link is not allowed: it runs code in readers' browsers.",
    "[data](data:text/html,<script>alert(1)</script>)": "a 'data:' address is not allowed in a page",
    '<a href="&#106;avascript:alert(1)">enc</a>': "a 'javascript:' link is not allowed",
    "<svg/onload=alert(1)>": "the HTML element <svg> is not allowed in a page",
    "<iframe src=https://example.org></iframe>": "the HTML element <iframe> is not allowed in a page",
    '<p style="position:fixed">cover</p>': "the HTML attribute 'style' is not allowed on <p>.",
}


#: Built for real: the build stops on unsafe HTML. Every payload (this one too) is also a golden
#: case (tests/cases/unsafe-html-*.md), checked in-process with the page the preview would show.
BUILT_PAYLOADS = ["<script>alert(1)</script>"]


@pytest.mark.parametrize("payload", BUILT_PAYLOADS)
def test_unsafe_html_in_a_page_is_refused_with_its_line(mini: MiniSite, payload: str) -> None:
    text = home(mini, f"Before.\n\n{payload}\n\nAfter.")
    result = mini.build()
    assert result.returncode != 0
    line = line_of(text, payload.split("\n")[0])
    lines = problem_lines(result.stdout)
    assert any(l.startswith(f"docs/index.md:{line}: {HTML_PAYLOADS[payload]}") for l in lines), lines
    assert check_lines(mini) == lines, "dev.py check and the build must say the same"
    assert not (mini.path / "site").exists() or "alert(1)" not in (mini.path / "site" / "index.html").read_text()


def test_unsafe_file_names_are_refused(mini: MiniSite) -> None:
    name = 'roles/x"><img src=x onerror=alert(1)>.md'
    mini.write(name, FRONT.format(title="X") + "\n# X\n")
    lines = problem_lines(mini.build().stdout)
    assert lines[0].startswith("docs/roles/x\"><img src=x onerror=alert(1)>.md: the name 'x\"><img src=x onerror=alert(1)>.md' "
                               "may contain only lower-case letters, digits, hyphens"), lines


# Data files: escaped, not refused --------------------------------------------------------------------
def test_markup_in_the_glossary_and_bibliography_is_shown_as_text(mini: MiniSite) -> None:
    glossary = mini.read("data/glossary.yml").replace("term: empathy", "term: 'empathy <img src=\"data:,\" onerror=alert(1)>'")
    mini.write("data/glossary.yml", glossary)
    refs = json.loads(mini.read("data/references.json"))
    for item in refs:
        if item["id"] == "tervalon1998":
            item["title"] = "Cultural humility <img src=x onerror=alert(2)> & more"
            item["author"][0]["family"] = "Tervalon<script>alert(3)</script>"
    mini.write("data/references.json", json.dumps(refs, indent=2))
    mini.write("references/index.md", FRONT.format(title="References") + "\n# References\n\n{{ bibliography_page() }}\n")
    mini.path.joinpath("mkdocs.yml").write_text(mini.path.joinpath("mkdocs.yml").read_text().replace(
        "  - glossary/index.md\n", "  - glossary/index.md\n  - references/index.md\n"))
    result = mini.build()
    assert result.returncode == 0, result.stdout
    built = everything_built(mini.path / "site")
    for payload in ("<img src=\"data:,\" onerror", "<img src=x onerror", "<script>alert(3)"):
        assert payload not in built
    advocacy = page(mini.path / "site", "roles/advocacy")
    assert advocacy.select_one("a.hb-term").get_text() == 'empathy <img src="data:," onerror=alert(1)>'
    assert "Cultural humility <img src=x onerror=alert(2)> & more" in advocacy.select_one("#ref-tervalon1998").get_text()


def test_a_url_that_would_break_out_of_its_link_is_refused(mini: MiniSite) -> None:
    refs = json.loads(mini.read("data/references.json"))
    refs[0]["URL"] = 'https://example.org/"onmouseover="alert(1)"'
    mini.write("data/references.json", json.dumps(refs, indent=2))
    lines = problem_lines(mini.build().stdout)
    assert len(lines) == 1 and lines[0].startswith("docs/data/references.json:") and "'URL' is 'https://example.org/" in lines[0]
    assert "without spaces, quotation marks or angle brackets" in lines[0]


# Every bad input is one line -----------------------------------------------------------------------
def test_a_file_that_is_not_utf8_is_one_line(mini: MiniSite) -> None:
    (mini.path / "docs" / "roles" / "latin1.md").write_bytes((FRONT.format(title="Café") + "\n# Caf\xe9\n").encode("latin-1"))
    result = mini.build()
    assert result.returncode != 0 and "Traceback" not in result.stdout
    assert "docs/roles/latin1.md: is not saved as UTF-8 text (line 2 has a byte that is not UTF-8). Save it again as UTF-8 in your editor." \
        in problem_lines(result.stdout)


def test_a_broken_data_file_hides_no_page_problem(mini: MiniSite) -> None:
    mini.write("data/references.json", mini.read("data/references.json").replace('"id": "rogers1957",', '"id": "rogers1957"', 1))
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace('term("empathy")', 'term("empathi")'))
    lines = problem_lines(mini.build().stdout)
    assert lines[0].startswith("docs/data/references.json:") and "is not valid JSON" in lines[0]
    assert "docs/roles/advocacy.md:12: unknown glossary term 'empathi'. Did you mean 'empathy'?" in lines
    assert not any("unknown citation key" in l for l in lines), lines
    assert len(lines) == 2, lines


def test_a_page_missing_from_the_navigation_says_how_to_add_it(mini: MiniSite) -> None:
    mini.write("roles/empowerment.md", mini.read("roles/advocacy.md").replace("title: Advocacy", "title: Empowerment"))
    lines = problem_lines(mini.build().stdout)
    assert lines == ["docs/roles/empowerment.md: the page is not in the navigation, so readers cannot find it. Add the line "
                     "'- roles/empowerment.md' to nav: in mkdocs.yml under the 'roles' section (in the order pages should appear)."]


def test_no_message_can_inject_a_github_annotation(mini: MiniSite) -> None:
    home(mini, '{{ term("x\\n::warning file=README.md::owned") }}')
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check.py"), "--no-spelling", "--root", str(mini.path)],
                            env={**os.environ, "GITHUB_ACTIONS": "true"}, capture_output=True, text=True)
    assert not any(line.startswith("::warning file=README.md") for line in result.stdout.splitlines()), result.stdout
    assert any(line.startswith("::error file=docs/index.md,line=12::") for line in result.stdout.splitlines()), result.stdout


# In a real browser -----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium-headless-shell is installed by `python3 dev.py test`")
def test_no_payload_runs_in_a_browser_even_if_a_refused_page_were_published(mini: MiniSite, browser) -> None:
    """The data payloads build (escaped); the page payloads are refused, and even a build that
    ignored the refusal (strict mode off) publishes them sanitised. No dialog ever opens."""
    glossary = mini.read("data/glossary.yml").replace("term: empathy", "term: 'empathy <img src=\"data:,\" onerror=alert(1)>'")
    mini.write("data/glossary.yml", glossary)
    refs = json.loads(mini.read("data/references.json"))
    refs[1]["title"] = "Humility <img src=x onerror=alert(2)>"
    mini.write("data/references.json", json.dumps(refs, indent=2))
    home(mini, "\n\n".join(list(HTML_PAYLOADS) + ['Para.\n{ onmouseover="alert(5)" }', "[r][bad]\n\n[bad]: javascript:alert(6)",
                                                  "<img\nsrc=x\nonerror=alert(7)>"]))
    config = mini.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("strict: true", "strict: false"))
    result = mini.build()
    assert result.returncode == 0, result.stdout
    assert len(problem_lines(result.stdout)) >= len(HTML_PAYLOADS)  # still reported, line by line
    dialogs: list[str] = []
    tab = browser.new_page()  # the suite's one chromium (tests/conftest.py)
    try:
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for url in ("index.html", "roles/advocacy/index.html", "glossary/index.html"):
            tab.goto((mini.path / "site" / url).as_uri())
            for element in tab.locator("article a:visible, article p:visible, article img:visible").all()[:60]:
                try:  # force: the pointer goes to each element at once, as a reader's does, without waiting for it to be still
                    element.hover(timeout=500, force=True)
                    element.click(timeout=500, no_wait_after=True, modifiers=["Alt"], force=True)
                except Exception:  # an element gone from the page: the load itself is the test for it
                    pass
            tab.wait_for_timeout(300)
    finally:
        tab.close()
    assert dialogs == []
