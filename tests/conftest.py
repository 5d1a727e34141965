"""Shared fixtures: the built site (built once per test run, shared by every worker) and small throwaway sites.

`python3 dev.py test` runs the suite on every core (pytest-xdist). What is expensive to make
(the handbook built, its books, the Zensical build) is made once per run, in the run's own
temporary folder, by whichever worker needs it first, while the others wait for it under a
file lock (:func:`shared`). The site's build starts in the background as soon as the tests
are collected, so the workers run the tests that need no built site while it is made.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from filelock import FileLock

from handbook.config import ENV_SHARED_CACHE

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {k: v for k, v in os.environ.items() if k not in {"HANDBOOK_SITE_URL", ENV_SHARED_CACHE}} | {"NO_MKDOCS_2_WARNING": "1"}


def run_mkdocs(project: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "-f", str(project / "mkdocs.yml"), "-d", str(out), *extra],
        cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
    )


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """This run's temporary folder, the same for every worker (under xdist each has a folder of its own in it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def pytest_sessionstart(session: pytest.Session) -> None:
    """Every site the run builds shares one cache of formatted citations and drawn figures (kept by content
    alone, so a string from it is the one formatting would give: tests/test_formatcache.py); the first
    worker seeds it from the project's own cache."""
    if not os.environ.get("PYTEST_XDIST_WORKER") and session.config.pluginmanager.hasplugin("xdist") \
            and session.config.getoption("numprocesses", None):
        return  # the controller of the workers runs no test
    folder = run_folder(session.config._tmp_path_factory) / "shared-cache"  # type: ignore[attr-defined]
    with FileLock(str(folder) + ".lock"):
        if not folder.exists():
            folder.mkdir()
            own = ROOT / ".cache" / "handbook" / "citeproc.json"
            if own.is_file():
                shutil.copyfile(own, folder / "citeproc.json")
    ENV[ENV_SHARED_CACHE] = str(folder)


def shared(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], dict]) -> dict:
    """What ``make(folder)`` made, made once per run whichever worker asks first; the others wait for it.

    ``make`` fills the empty ``folder`` and returns what to tell every worker (JSON): its result is
    kept beside the folder, so a failure is reported to each worker that needed it, not made again."""
    folder = run_folder(factory) / name
    done = folder.with_name(name + ".json")
    with FileLock(str(folder) + ".lock"):
        if not done.exists():
            folder.mkdir(parents=True, exist_ok=True)
            done.write_text(json.dumps(make(folder)), encoding="utf-8")
    return json.loads(done.read_text(encoding="utf-8"))


def _start_site_build(factory: pytest.TempPathFactory) -> None:
    """Start building the site in the background, once per run (the first worker to collect starts it)."""
    base = run_folder(factory)
    with FileLock(str(base / "site") + ".lock"):
        if (base / "site.started").exists() or (base / "site.json").exists():
            return
        (base / "site.started").write_text(str(os.getpid()), encoding="utf-8")
        log = open(base / "site.log", "w", encoding="utf-8")  # the build's child writes to it; our handle is closed below
        _BACKGROUND.append(subprocess.Popen(
            [sys.executable, "-c", _BUILD_AND_RECORD, str(BIN / "mkdocs"), str(ROOT), str(base / "site")],
            cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT, text=True))
        log.close()


#: Run by the background build: mkdocs, then its exit code and output recorded where :func:`site` reads them.
_BUILD_AND_RECORD = """
import json, subprocess, sys
from pathlib import Path
mkdocs, root, out = sys.argv[1:]
result = subprocess.run([mkdocs, "build", "-f", root + "/mkdocs.yml", "-d", out], cwd=root,
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
Path(out + ".json.part").write_text(json.dumps({"returncode": result.returncode, "output": result.stdout}))
Path(out + ".json.part").rename(out + ".json")
"""
_BACKGROUND: list[subprocess.Popen] = []


#: Fixtures that build the whole handbook: the site, its books, Zensical's build, releases published (test_releases.py).
WHOLE_SITE = {"site", "books", "zensical_site", "served"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need the handbook built whole are marked ``site``: the quick path leaves them out."""
    for item in items:
        if WHOLE_SITE & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once the tests are chosen (-k, -m): if any reads the built handbook, its build starts now, in the background."""
    if any("site" in getattr(i, "fixturenames", ()) for i in session.items) and not session.config.getoption("collectonly"):
        _start_site_build(session.config._tmp_path_factory)  # type: ignore[attr-defined]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A background build another worker may still wait for is finished, unless the run was stopped."""
    for process in _BACKGROUND:
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            process.kill()
        process.wait()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook built strictly, as `python3 dev.py build` builds it (once per run, for every worker)."""
    base = run_folder(tmp_path_factory)
    _start_site_build(tmp_path_factory)  # if collection did not (a test asked for it some other way)
    record = base / "site.json"
    deadline = time.monotonic() + 1200
    while not record.exists():
        assert time.monotonic() < deadline, f"the site's build did not finish in 20 minutes: {base / 'site.log'}"
        time.sleep(0.2)
    result = json.loads(record.read_text(encoding="utf-8"))
    assert result["returncode"] == 0, result["output"]
    return base / "site"


CHROMIUM = os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site served over HTTP on a free port (search and scripts need http://)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium, driven by Playwright, started once for every browser test."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", "--disable-quic"])
        yield browser
        browser.close()


def page(site: Path, url: str) -> BeautifulSoup:
    """A built page by its URL path, e.g. 'roles/advocacy/'."""
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


MINI_CONFIG = """
site_name: Fixture
site_url: https://example.org/fixture/
strict: true
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
theme:
  name: material
  custom_dir: {root}/overrides
  language: en-GB
  font: false
plugins:
  - search
  - macros:
      module_name: {root}/scripts/handbook/macros
      on_error_fail: true
      on_undefined: strict
      j2_comment_start_string: "{{##"
      j2_comment_end_string: "##}}"
markdown_extensions:
  - attr_list
  - admonition
  - toc
  - handbook.mdx
nav:
  - index.md
  - roles/advocacy.md
  - glossary/index.md
"""

FRONT = """---
title: {title}
description: A fixture page used by the tests of the handbook build, long enough to pass.
authors: [contributors]
created: 2026-11-23
reviewed: 2026-11-23
next_review: 2027-11-23
---
"""


#: A topic page's self-check section (three questions, each with its answer), as every topic page has.
SELF_CHECK = """## Check your understanding

**1. What does advocacy help a person to do?**

- A. Stay silent
- B. Have their views count

??? success "Answer"
    **B.** Advocacy helps a person's views count; see [Learning outcomes](#learning-outcomes).

**2. Who decides what the person wants?**

??? success "Answer"
    **Model answer:** The person. See [Learning outcomes](#learning-outcomes).

**3. What is cause advocacy?**

??? success "Answer"
    **Model answer:** Working to change a policy. See [Learning outcomes](#learning-outcomes).

"""


class MiniSite:
    """A three-page site in a temporary folder, with the real macros and templates."""

    def __init__(self, path: Path):
        self.path = path
        (path / "docs" / "data").mkdir(parents=True)
        (path / "docs" / "roles").mkdir()
        (path / "docs" / "glossary").mkdir()
        (path / "mkdocs.yml").write_text(MINI_CONFIG.format(root=ROOT), encoding="utf-8")
        (path / "docs" / "data" / "authors.yml").write_text(
            "- id: contributors\n  collective: true\n  name: Client-Centred Practice Handbook contributors\n", encoding="utf-8")
        refs = [i for i in json.loads((ROOT / "docs" / "data" / "references.json").read_text()) if i["id"] in ("rogers1957", "tervalon1998", "careact2014")]
        (path / "docs" / "data" / "references.json").write_text(json.dumps(refs, indent=2), encoding="utf-8")
        (path / "docs" / "data" / "glossary.yml").write_text(textwrap.dedent("""\
            - id: unconditional-positive-regard
              term: unconditional positive regard
              aliases: [positive regard]
              definition: Warm acceptance of a person without conditions.
              related: [empathy]
              sources: [rogers1957]
            - id: empathy
              term: empathy
              definition: Understanding another person's world as if it were your own.
              related: [unconditional-positive-regard]
            """), encoding="utf-8")
        self.write("index.md", FRONT.format(title="Home") + "\n# Home\n\nSee [advocacy](roles/advocacy.md).\n")
        self.write("roles/advocacy.md", FRONT.format(title="Advocacy") + textwrap.dedent("""
            # Advocacy

            Workers show {{ term("empathy") }} and {{ term("unconditional-positive-regard") }}
            {{ cite("rogers1957", "p. 96") }}. {{ citet("tervalon1998") }} wrote about humility.

            ## Learning outcomes

            - explain advocacy

            ## Practice example: a visit

            !!! example "Fictional example"
                A worker visits.

            ## Critical perspectives

            Some doubt it.

            ## Key points

            - One point.

            ## Reflective questions

            1. Why?

            ## Further reading

            - A book.
            """))
        self.write("roles/advocacy.md", self.read("roles/advocacy.md").replace("## Reflective questions", SELF_CHECK + "## Reflective questions"))
        self.write("glossary/index.md", FRONT.format(title="Glossary") + "\n# Glossary\n\n{{ glossary_page() }}\n")

    def write(self, rel: str, text: str) -> None:
        target = self.path / "docs" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def read(self, rel: str) -> str:
        return (self.path / "docs" / rel).read_text(encoding="utf-8")

    def build(self) -> subprocess.CompletedProcess:
        return run_mkdocs(self.path, self.path / "site")


@pytest.fixture
def mini(tmp_path: Path) -> MiniSite:
    return MiniSite(tmp_path / "mini")


def problem_lines(output: str) -> list[str]:
    """The handbook's own one-line messages in a build's output."""
    lines = []
    for line in output.splitlines():
        line = line.strip()
        for prefix in ("WARNING -", "ERROR -"):
            if line.startswith(prefix):
                line = line[len(prefix):].strip()
        if line.startswith("docs/"):
            lines.append(line)
    return lines
