"""The same content builds with Zensical, Material's successor (Material's end of life: 2027-05-05).

What Zensical does not (yet) do is listed in the README under "Known gaps with Zensical";
these tests pin down what does work, so a regression shows.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from conftest import ENV, page
from test_scaffold import copy_project
from test_site import CONTENT_PAGES, NAV, url_of


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("zensical") / "project")
    result = subprocess.run([str(Path(sys.executable).parent / "zensical"), "build", "--clean"], cwd=project, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    assert result.returncode == 0, result.stdout
    assert "unknown" not in result.stdout, result.stdout  # no content problem reported
    return project / "site"


def test_every_page_builds(zensical_site: Path) -> None:
    for src in NAV:
        html = page(zensical_site, url_of(src))
        assert html.html["lang"] == "en-GB", src
        assert html.find("h1") is not None, src


def test_term_links_and_definitions(zensical_site: Path) -> None:
    for src in CONTENT_PAGES:
        html = page(zensical_site, url_of(src))
        for link in html.select("a.hb-term"):
            assert urllib.parse.urljoin(f"/{url_of(src)}", link["href"]).startswith("/glossary/#")
            assert html.find(id=link["aria-describedby"]) is not None
    glossary = page(zensical_site, "glossary")
    assert len(glossary.select("dl.hb-glossary dt")) >= 45


def test_citations_and_reference_lists(zensical_site: Path) -> None:
    for src in CONTENT_PAGES:
        html = page(zensical_site, url_of(src))
        cited = {a["data-cite"] for a in html.select("a.hb-cite")}
        assert cited == {li["id"].removeprefix("ref-") for li in html.select("ul.hb-references > li")}, src
    assert len(page(zensical_site, "references").select("ul.hb-bibliography > li")) >= 80


def test_cite_box_dates_and_head_metadata(zensical_site: Path) -> None:
    html = page(zensical_site, "roles/advocacy")
    assert len(html.select("aside.hb-cite-box dt")) == 5
    assert html.select_one(".hb-dates") is not None
    assert html.find("meta", attrs={"name": "citation_inbook_title"})["content"] == "Client-Centred Practice Handbook"


def test_macro_examples_stay_as_written(zensical_site: Path) -> None:
    codes = [c.get_text() for c in page(zensical_site, "about/style-guide").select("code")]
    assert '{{ term("empathy") }}' in codes


def test_a_content_problem_stops_a_zensical_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    advocacy = project / "docs/roles/advocacy.md"
    advocacy.write_text(advocacy.read_text().replace('term("power")', 'term("powr")', 1))
    result = subprocess.run([str(Path(sys.executable).parent / "zensical"), "build", "--clean"], cwd=project, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    assert result.returncode != 0
    assert "docs/roles/advocacy.md:14: unknown glossary term 'powr'. Did you mean 'power'?" in result.stdout


def test_template_code_is_refused_under_zensical_too(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    target = project / "docs" / "roles" / "advocacy.md"
    text = target.read_text(encoding="utf-8").replace("## Learning outcomes", "{{ cycler.__init__.__globals__.os.popen('id').read() }}\n\n## Learning outcomes", 1)
    target.write_text(text, encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).parent / "zensical"), "build", "--clean"], cwd=project, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    line = text.split("\n").index("{{ cycler.__init__.__globals__.os.popen('id').read() }}") + 1
    assert f"docs/roles/advocacy.md:{line}: calling anything but the handbook's macros is not allowed" in result.stdout
    built = project / "site" / "roles" / "advocacy" / "index.html"
    assert "uid=" not in result.stdout and (not built.exists() or "uid=" not in built.read_text(encoding="utf-8"))


def test_permanent_link_versions_and_changelog_anchors(zensical_site: Path) -> None:
    from handbook.site import handbook_version
    from test_site import SITE_URL

    from conftest import ROOT

    version = handbook_version(ROOT)
    html = page(zensical_site, "roles/advocacy")
    assert html.select_one("aside.hb-cite-box .hb-permalink a")["href"] == f"{SITE_URL}v/{version}/roles/advocacy/"
    change = html.select_one(".hb-changes a")["href"]
    anchor = change.split("#")[1]
    assert urllib.parse.urljoin("/roles/advocacy/", change).startswith("/about/changelog/#v")
    assert page(zensical_site, "about/changelog").find(id=anchor).name == "h2"
