"""Content from strangers, second pass: every file and setting a pull request can touch.

Each case of issue 24 is planted in a small copy of the handbook, as a stranger's pull
request would plant it, and built strictly and checked: every one gets one line naming the
file and line, in the build and in `dev.py check` alike, and nothing of it reaches the built
site. What is planted in one page's text needs no site built: those are golden cases
(tests/cases/, tests/test_cases.py), compared whole with the build's lines and `dev.py check`'s:
ids and classes of the theme and the interface, a term label writing an attribute list,
images from other hosts, control characters in a link, a title with braces, and bad front
matter (front-matter-*). The preview (not strict) never shows a refused page as written, and a real browser
opens no dialog and makes no request to another host on any page built from these payloads.
"""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CHROMIUM, FRONT, ROOT, MiniSite, page, problem_lines, run_mkdocs
from handbook.exports import to_bibtex, to_ris
from test_hostile import check_lines, home, line_of  # the first pass's helpers: one home for them

CHECK = [sys.executable, str(ROOT / "scripts" / "check.py"), "--no-spelling"]


def built_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".xml", ".js", ".json", ".svg"))


# Script in readers' browsers, and the page's own interface -------------------------------------
INTERFACE = {
    "## Heading {: id='x\"autofocus/onfocus=alert(1)//' }": "the id 'x\"autofocus/onfocus=alert(1)//' may hold only letters",
    "## Config {: #__config }": "the id '__config' belongs to the theme",
    "Settings.\n{: #__search }": "the id '__search' belongs to the theme",
    "Copy this.\n{: #hb-cite-apa }": "the id 'hb-cite-apa' belongs to the handbook's own interface",
    "[Glossary](https://example.org/){: .hb-term data-term=\"empathy\" }": "'.hb-term' belongs to the handbook's own interface",
    '<a href="https://example.org/" data-cite="rogers1957">fake</a>': "'data-cite' belongs to the handbook's own interface",
    "Sign in again.\n{: .md-dialog .md-dialog--active }": "the class 'md-dialog' is not allowed",
    '<div class="md-banner">Your session ended</div>': "the class 'md-banner' is not allowed",
    "## Twice {: #same }\n\n## Again {: #same }": "the id 'same' is given to two elements of this page",
}


# Every file under docs/ ----------------------------------------------------------------------------
SVGS = {
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>': (1, "the SVG attribute 'onload' runs code"),
    '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>': (2, "the SVG element <script> runs code"),
    '<svg xmlns="http://www.w3.org/2000/svg">\n<foreignObject width="9" height="9"><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>\n</svg>':
        (2, "the SVG element <foreignObject> can carry HTML"),
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n<use xlink:href="https://example.org/s.svg#a"/>\n</svg>':
        (2, "the SVG link 'https://example.org/s.svg#a' points outside the picture"),
    '<svg xmlns="http://www.w3.org/2000/svg">\n<a href="javascript:alert(1)"><text>x</text></a>\n</svg>': (2, "the SVG link 'javascript:alert(1)'"),
    '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://example.org/x.css);</style></svg>': (1, "the SVG's style sheet refers to another"),
    '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>': (None, "the SVG declares a DOCTYPE"),
}


def test_files_that_are_not_pages_data_or_safe_images_are_refused(mini: MiniSite) -> None:
    for n, svg in enumerate(SVGS):
        mini.write(f"assets/images/figure-{n}.svg", svg)
    mini.write("assets/images/ok.svg", '<svg xmlns="http://www.w3.org/2000/svg"><title>A box</title><rect width="9" height="9" fill="url(#g)"/></svg>')
    mini.write("evil.html", "<script>alert(1)</script>")
    mini.write("assets/notes.md", FRONT.format(title="Notes") + "\n# Notes\n")
    mini.write("data/extra.json", "{}")
    result = mini.build()
    assert result.returncode != 0 and "Traceback" not in result.stdout
    lines = problem_lines(result.stdout)
    for n, (svg, (line, message)) in enumerate(SVGS.items()):
        where = f"docs/assets/images/figure-{n}.svg:{line}" if line else f"docs/assets/images/figure-{n}.svg"
        assert any(l.startswith(f"{where}: {message}") for l in lines), (svg, lines)
    assert not any("ok.svg" in l for l in lines)
    assert "docs/evil.html: '.html' files are not published from docs/" in " ".join(lines)
    assert any(l.startswith("docs/assets/notes.md: a page cannot live under docs/assets/") for l in lines)
    assert any(l.startswith("docs/data/extra.json: is not one of the handbook's data files") for l in lines)
    assert sorted(check_lines(mini)) == sorted(lines)


def test_a_symbolic_link_stops_the_build_before_anything_is_copied(mini: MiniSite) -> None:
    (mini.path / "docs" / "assets").mkdir()
    (mini.path / "docs" / "assets" / "hosts.txt").symlink_to("/etc/hosts")
    (mini.path / "docs" / "assets" / "env.txt").symlink_to("/proc/self/environ")
    (mini.path / "docs" / "roles" / "linked.md").symlink_to(mini.path / "docs" / "roles" / "advocacy.md")
    os.environ["HANDBOOK_PLANTED_SECRET"] = "s3cr3t-planted-value"
    try:
        result = mini.build()
        preflight = subprocess.run([*CHECK, "--preflight", "--root", str(mini.path)], capture_output=True, text=True)
    finally:
        del os.environ["HANDBOOK_PLANTED_SECRET"]
    assert result.returncode != 0 and "Traceback" not in result.stdout
    lines = problem_lines(result.stdout)
    for name in ("docs/assets/env.txt", "docs/assets/hosts.txt", "docs/roles/linked.md"):
        assert f"{name}: is a symbolic link (a shortcut to another file or folder), which the build would follow and publish. " \
               "Put the file itself here instead." in lines, lines
    assert not any(str(mini.path) in l for l in lines)
    site = mini.path / "site"
    assert not (site / "assets" / "env.txt").exists() and not (site / "assets" / "hosts.txt").exists()
    assert "s3cr3t-planted-value" not in (built_text(site) if site.exists() else "")
    assert preflight.returncode == 1 and "docs/assets/env.txt: is a symbolic link" in preflight.stdout


# mkdocs.yml ----------------------------------------------------------------------------------------
def _config_lines(mini: MiniSite, replace: tuple[str, str] | None = None, append: str = "") -> tuple[str, list[str]]:
    config = mini.path / "mkdocs.yml"
    text = config.read_text()
    if replace:
        text = text.replace(*replace)
    config.write_text(text + append)
    result = subprocess.run([*CHECK, "--preflight", "--root", str(mini.path)], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    return text + append, [l for l in result.stdout.splitlines() if l.startswith("mkdocs.yml")]


def test_a_python_tag_in_mkdocs_yml_runs_nothing_and_is_one_line(mini: MiniSite, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text, lines = _config_lines(mini, append=f"extra:\n  x: !!python/object/apply:os.system ['touch {marker}']\n")
    assert lines == [f"mkdocs.yml:{line_of(text, '!!python')}: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' "
                     "is not allowed: it would run code on the machine that builds the site. Remove it and write a plain value."]
    full = subprocess.run([*CHECK, "--root", str(mini.path)], capture_output=True, text=True)
    assert full.returncode == 1 and "Traceback" not in full.stdout + full.stderr and lines[0] in full.stdout
    assert not marker.exists()


@pytest.mark.parametrize(("replace", "needle", "message"), [
    (("  - index.md\n", '  - "<img src=x onerror=alert(1)>": index.md\n'), "<img", "the navigation title '<img src=x onerror=alert(1)>' is not plain text"),
    (("  - index.md\n", '  - index.md\n  - Evil: "javascript:alert(1)"\n'), "javascript", "the navigation link 'javascript:alert(1)' is not allowed"),
    (("  - index.md\n", "  - index.md\n  - Up: ../../etc/passwd.md\n"), "passwd", "the navigation entry '../../etc/passwd.md' is not a page"),
    (("strict: true", "strict: true\nhooks: [docs/evil.py]"), "hooks", "'hooks' is not allowed: a hook is a Python file"),
    (("  - handbook.mdx", "  - handbook.mdx\n  - pymdownx.snippets"), "snippets", "the Markdown extension 'pymdownx.snippets' is not one"),
    (("  - search\n", "  - search\n  - evil_plugin\n"), "evil_plugin", "the plugin 'evil_plugin' is not one the handbook uses"),
    (("site_name: Fixture", "site_name: Fixture\nextra_javascript: ['https://example.org/x.js']"), "extra_javascript",
     "the extra_javascript entry 'https://example.org/x.js' is not allowed"),
    (("site_name: Fixture", "site_name: Fixture\nextra:\n  analytics: {provider: google, property: G-1}"), "analytics",
     "'extra.analytics' is not a setting the handbook uses"),
    (("site_name: Fixture", "site_name: <b>Fixture</b>"), "site_name", "'site_name' is printed on every page"),
    (("site_name: Fixture", "site_name: !ENV [GITHUB_TOKEN, x]"), "GITHUB_TOKEN", "'!ENV GITHUB_TOKEN' reads an environment variable"),
    (("site_name: Fixture", "site_name: &n Fixture\nsite_author: *n"), "&n", "YAML anchors and aliases"),
    (("site_name: Fixture", "site_name: Fixture\nsite_name: Other"), "Other", "the key 'site_name' is written twice"),
])
def test_mkdocs_yml_is_held_to_the_handbook_s_settings(mini: MiniSite, replace: tuple[str, str], needle: str, message: str) -> None:
    assert replace[0] in (mini.path / "mkdocs.yml").read_text()
    text, lines = _config_lines(mini, replace)
    assert len(lines) == 1 and lines[0].startswith(f"mkdocs.yml:{line_of(text, needle)}: {message}"), lines


# Downloads are data ----------------------------------------------------------------------------------
def test_downloads_cannot_be_rewritten_by_a_title_a_reference_or_a_definition(mini: MiniSite) -> None:
    refs = json.loads(mini.read("data/references.json"))
    refs[0]["title"] = "A title}}, url = {https://example.org/}, note = {x\nZZ  - injected"
    mini.write("data/references.json", json.dumps(refs, indent=2))
    mini.write("data/glossary.yml", mini.read("data/glossary.yml").replace(
        "definition: Warm acceptance of a person without conditions.", "definition: '=HYPERLINK(\"https://example.org\")'"))
    result = mini.build()
    assert result.returncode == 0, result.stdout
    data = mini.path / "site" / "data"
    bib, ris, csv = ((data / n).read_text() for n in ("references.bib", "references.ris", "glossary.csv"))
    assert "url = {https://example.org/}" not in bib and "\\}\\}, url = \\{https://example.org/\\}" in bib
    assert "\nZZ  - injected" not in ris and ris.count("\nER  -") == len(refs)
    assert "'=HYPERLINK" in csv and ",=HYPERLINK" not in csv and '"=HYPERLINK' not in csv


def test_a_title_or_a_name_with_braces_or_a_second_line_stays_one_field() -> None:
    """A page's title with braces is refused (golden case tests/cases/page-title-with-braces.md); in the
    bibliography's downloads, braces are escaped and a value stays on one line."""
    item = {"id": "x", "type": "book", "title": "T}, note = {y\nER  -", "author": [{"family": "Sm{ith", "given": "J"}]}
    assert "\n" not in to_bibtex([item]).split("title = ")[1].split("\n")[0] + "" and "Sm\\{ith" in to_bibtex([item])
    assert to_ris([item]).count("\nER  -") == 1


# Data files: markup shown as text, never blamed on pages --------------------------------------------
def test_markdown_in_a_reference_is_shown_as_written_and_requests_nothing(mini: MiniSite) -> None:
    refs = json.loads(mini.read("data/references.json"))
    for item in refs:
        if item["id"] == "tervalon1998":
            item["author"][0]["family"] = "Tervalon ![x](https://example.org/pixel.png)"
    mini.write("data/references.json", json.dumps(refs, indent=2))
    result = mini.build()
    assert result.returncode == 0, result.stdout
    advocacy = page(mini.path / "site", "roles/advocacy")
    assert not [img for img in advocacy.select("article img")]
    # citeproc-js may join a name to "!" with a narrow no-break space; the text is otherwise as written.
    shown = re.sub(r"\s", " ", advocacy.select_one("a.hb-cite[data-cite=tervalon1998]").get_text())
    assert "Tervalon ![x](https://example.org/pixel.png)" in shown


# Bad input: one plain line each ---------------------------------------------------------------------
def test_a_byte_order_mark_duplicate_data_keys_and_impossible_dates_in_data_are_one_line_each(mini: MiniSite) -> None:
    mini.path.joinpath("docs", "index.md").write_bytes(b"\xef\xbb\xbf" + mini.read("index.md").encode())
    mini.write("data/glossary.yml", mini.read("data/glossary.yml").replace(
        "  term: empathy\n", "  term: empathy\n  term: 2026-02-30\n"))
    refs = mini.read("data/references.json").replace('"type": "article-journal",', '"type": "article-journal", "type": "book",', 1)
    mini.write("data/references.json", refs)
    result = mini.build()
    assert result.returncode != 0 and "Traceback" not in result.stdout
    lines = problem_lines(result.stdout)
    assert any(l.startswith("docs/index.md:1: starts with an invisible byte-order mark") or
               "byte-order mark" in l and l.startswith("docs/index.md") for l in lines), lines
    assert any(l.startswith("docs/data/glossary.yml:") and "the key 'term' is written twice" in l for l in lines), lines
    assert any(l.startswith("docs/data/references.json:") and "the field 'type' is written twice" in l for l in lines), lines


def test_a_yaml_alias_bomb_is_refused_at_once(mini: MiniSite) -> None:
    bomb = "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9) if p else ', '.join(['lol'] * 9)}]\n"
                   for c, p in zip("abcdefghi", ["", *"abcdefgh"]))
    mini.write("data/glossary.yml", bomb)
    start = time.monotonic()
    result = mini.build()
    assert time.monotonic() - start < 60
    assert any(l.startswith("docs/data/glossary.yml:1: ") and "YAML anchors and aliases" in l for l in problem_lines(result.stdout))


def test_unclosed_fences_are_refused_quickly_with_their_line(mini: MiniSite) -> None:
    text = home(mini, "Before.\n\n" + "```\nunclosed\n\n" * 6001)
    start = time.monotonic()
    lines = problem_lines(mini.build().stdout)
    assert time.monotonic() - start < 60
    last = max(n for n, line in enumerate(text.split("\n"), 1) if line == "```")
    assert f"docs/index.md:{last}: this code block is never closed. End it with the same fence (``` or ~~~) on a " \
           "line of its own, or remove the fence." in lines


# The preview --------------------------------------------------------------------------------------------
def test_the_preview_never_shows_a_refused_page_or_title_as_written(mini: MiniSite) -> None:
    """`dev.py serve` builds without strict mode: what the build refuses is still never published raw."""
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace("title: Advocacy", 'title: "<img src=x onerror=alert(1)>"'))
    home(mini, "Hello.\n\n<p onclick=\"alert(2)\">click</p>\n\n## Heading {: id='x\"onfocus=alert(3) autofocus' }")
    config = mini.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("strict: true", "strict: false"))
    result = run_mkdocs(mini.path, mini.path / "site", "--dirty")
    assert result.returncode == 0, result.stdout
    site = mini.path / "site"
    built = built_text(site)
    for payload in ("<img src=x onerror", "onclick=", 'onfocus=alert(3) autofocus"', "x\"onfocus"):
        assert payload not in built, payload
    home_page = page(site, "")
    assert home_page.select_one("article .admonition-title").get_text() == "This page was not built"
    assert "docs/index.md:" in home_page.select_one("article").get_text()


# In a real browser ---------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium-headless-shell is installed by `python3 dev.py test`")
def test_no_payload_of_the_second_pass_runs_or_requests_anything_even_in_the_preview(mini: MiniSite, browser) -> None:
    """Every page payload above, built as the preview builds (not strict): no dialog opens, no request
    leaves the machine, the theme's settings and search still work."""
    mini.write("roles/advocacy.md", mini.read("roles/advocacy.md").replace("title: Advocacy", 'title: "<img src=x onerror=alert(9)>"'))
    mini.write("assets/images/evil.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(8)"><script>alert(7)</script></svg>')
    home(mini, "\n\n".join([*INTERFACE, "![chart](https://example.org/chart.png)", '<img src="assets/images/evil.svg" alt="x">',
                            "## Heading {: id='y\"autofocus onfocus=alert(6) x=' }"]))
    config = mini.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("strict: true", "strict: false"))
    result = run_mkdocs(mini.path, mini.path / "site", "--dirty")
    assert result.returncode == 0, result.stdout
    dialogs: list[str] = []
    outside: list[str] = []
    tab = browser.new_page()
    try:
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:", "about:")) else None)
        assert not (mini.path / "site" / "assets" / "images" / "evil.svg").exists()  # refused files are not served
        for url in ("roles/advocacy/index.html", "index.html"):
            tab.goto((mini.path / "site" / url).as_uri())
            for element in tab.locator("a:visible, h2:visible, p:visible, img:visible, .md-nav__link:visible").all()[:80]:
                try:  # force: the pointer goes to each element at once, as a reader's does, without waiting for it to be still
                    element.hover(timeout=300, force=True)
                    element.focus(timeout=300)
                except Exception:  # an element gone from the page: the load itself is the test for it
                    pass
            tab.wait_for_timeout(300)
        assert tab.evaluate("typeof __md_get === 'function'")  # the theme's own script still runs
    finally:
        tab.close()
    assert dialogs == [] and outside == [], (dialogs, outside)


def test_a_cache_committed_to_the_repository_is_refused_and_never_published_from(mini: MiniSite) -> None:
    """Each build makes its own caches (.cache/ is ignored by git): one added by force in a pull request
    would be taken on trust (pages as checked, citations as formatted), so the checks refuse it."""
    assert mini.build().returncode == 0  # the build's own cache
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    (mini.path / ".gitignore").write_text("/.cache/\n/site/\n")
    subprocess.run([*git, "init", "-q"], cwd=mini.path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=mini.path, check=True)
    ok = subprocess.run([*CHECK, "--preflight", "--root", str(mini.path)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout  # ignored, as it should be: nothing to say
    subprocess.run([*git, "add", "-f", ".cache/handbook/checks.json"], cwd=mini.path, check=True)
    expected = (".cache/handbook/checks.json: is one of the build's own caches, committed to the repository: a build would "
                "take what it says on trust. Remove it from the repository with `git rm -r --cached .cache`.")
    for args in (["--preflight"], []):
        result = subprocess.run([*CHECK, *args, "--root", str(mini.path)], capture_output=True, text=True)
        assert result.returncode == 1 and expected in result.stdout.splitlines(), result.stdout
