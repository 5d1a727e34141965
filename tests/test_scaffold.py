"""`python3 dev.py new` writes a page that passes the checks and builds."""

from __future__ import annotations

import shutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, page, run_mkdocs, SELF_CHECK


def copy_project(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for rel in files:
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


@pytest.mark.slow  # builds the whole handbook twice (the quick path leaves it out)
def test_new_page_is_created_listed_checked_and_built(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = subprocess.run(
        [sys.executable, "scripts/new_page.py", "--section", "relationship", "--slug", "endings", "--title", "Endings: closing the work well",
         "--description", "How social workers end their work with people well, and why the ending matters as much as the start."],
        cwd=project, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "Created docs/relationship/endings.md and added it to the navigation in mkdocs.yml." in result.stdout
    text = (project / "docs/relationship/endings.md").read_text()
    assert text.startswith('---\ntitle: "Endings: closing the work well"\n')
    for heading in ("## Learning outcomes", "## Critical perspectives", "## Key points", "## Reflective questions", "## Further reading"):
        assert heading in text
    assert "      - relationship/collaboration.md\n      - relationship/endings.md\n" in (project / "mkdocs.yml").read_text()
    # Left as the template wrote it, the page fails the check and the build, each guidance line named.
    check = subprocess.run([sys.executable, "scripts/check.py", "--root", str(project), "--no-spelling", "docs/relationship/endings.md"],
                           cwd=project, capture_output=True, text=True)
    assert check.returncode == 1 and "docs/relationship/endings.md:15: template text is still here" in check.stdout, check.stdout
    assert run_mkdocs(project, tmp_path / "draft").returncode != 0
    # With the guidance replaced (here: removed), it checks and builds.
    target = project / "docs/relationship/endings.md"
    text = "\n".join(l.replace("a short descriptive title", "a first meeting") for l in target.read_text().split("\n")
                     if "eplace this" not in l and not l.startswith("<!--"))
    # ... and the self-check questions and the standards written (the check names both when they are missing).
    text = re.sub(r"## Check your understanding\n.*?(?=## Reflective questions)", SELF_CHECK, text, flags=re.S)
    target.write_text(text.replace("keywords: []", "keywords: [endings]\nstandards: [swe-1.3, pcf-values-and-ethics]"))
    check = subprocess.run([sys.executable, "scripts/check.py", "--root", str(project), "--no-spelling", "docs/relationship/endings.md"],
                           cwd=project, capture_output=True, text=True)
    assert "0 error(s)" in check.stdout, check.stdout
    build = run_mkdocs(project, tmp_path / "site")
    assert build.returncode == 0, build.stdout
    html = page(tmp_path / "site", "relationship/endings")
    assert html.find("h1").get_text(strip=True).startswith("Endings: closing the work well")
    assert [a.get_text() for a in page(tmp_path / "site", "relationship").select("ul.hb-section-pages a")][-1] == "Endings: closing the work well"


def test_new_page_refuses_bad_input_in_plain_words(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = subprocess.run([sys.executable, "scripts/new_page.py", "--section", "relationships", "--slug", "trust", "--title", "T",
                             "--description", "x" * 60], cwd=project, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert "new page: 'relationships' is not a section. Choose one of: client, roles, relationship, challenges, approach, practice, settings, skills." in result.stderr
    result = subprocess.run([sys.executable, "scripts/new_page.py", "--section", "roles", "--slug", "advocacy", "--title", "T",
                             "--description", "x" * 60], cwd=project, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert "new page: docs/roles/advocacy.md already exists. Choose another slug, or edit that page." in result.stderr
