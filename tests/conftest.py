"""Shared fixtures: the built site (built once per test run, shared by every worker) and small throwaway sites.

`python3 dev.py test` runs the suite on every core (pytest-xdist). What is expensive to make
(the handbook built, its books, the Zensical build) is made once per run, in the run's own
temporary folder, by whichever worker needs it first, while the others wait for it under a
file lock (:func:`shared`). The site's build starts in the background as soon as the tests
are collected, so the workers run the tests that need no built site while it is made.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from filelock import FileLock

from handbook.config import ENV_SHARED_CACHE, environment_settings

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: Not handed to a build: the user's own site address and shared cache (the run has its own, set below).
NOT_PASSED = {"HANDBOOK_SITE_URL", ENV_SHARED_CACHE}
ENV = {k: v for k, v in os.environ.items() if k not in NOT_PASSED} | {"NO_MKDOCS_2_WARNING": "1"}


def build_environment() -> dict[str, str]:
    """What a test's build sees: :data:`ENV`, with what a test has set in this process's environment since."""
    return {k: v for k, v in os.environ.items() if k not in NOT_PASSED} | ENV


def run_mkdocs(project: Path, out: Path, *extra: str, own_process: bool = False) -> subprocess.CompletedProcess:
    """``mkdocs build`` of ``project`` into ``out``: its exit code, and its output and errors as one text.

    It runs in this process (:func:`_mkdocs_here`) unless ``own_process``: a test about what a build leaves
    on disk for the next one (its caches) builds in a process of its own, as every build outside the tests does."""
    args = ["build", "-f", str(project / "mkdocs.yml"), "-d", str(out), *extra]
    if not own_process:
        return _mkdocs_here(project, args)
    return subprocess.run([str(BIN / "mkdocs"), *args], cwd=project, env=build_environment(),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)


#: Python's own warning filters for a program run without -W (MkDocs adds its own to them).
_PYTHON_WARNINGS = [(DeprecationWarning, "__main__", "default"), (DeprecationWarning, "", "ignore"),
                    (PendingDeprecationWarning, "", "ignore"), (ImportWarning, "", "ignore"), (ResourceWarning, "", "ignore")]


def _mkdocs_here(project: Path, args: list[str]) -> subprocess.CompletedProcess:
    """MkDocs' own command line run in this process, as ``mkdocs`` would run in a process of its own: the same
    environment, folder, warning filters and output; what the command changes in the process is put back after.

    About half a second a build quicker than starting Python and importing MkDocs, Material and the handbook
    again; `mkdocs serve` rebuilds in one process too, so the handbook's code is made to be run this way."""
    from mkdocs.__main__ import cli
    from mkdocs.commands import build as mkdocs_build

    from handbook.config import environment_settings

    logger = logging.getLogger("mkdocs")
    saved = (dict(os.environ), os.getcwd(), logger.level, logger.propagate, list(logger.handlers), list(mkdocs_build.log.filters))
    output, code, environment = io.StringIO(), 0, build_environment()
    os.environ.clear()
    os.environ.update(environment)
    environment_settings.cache_clear()  # read once per process: this build is a new "process"
    os.chdir(project)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            warnings.resetwarnings()
            for category, module, action in reversed(_PYTHON_WARNINGS):
                warnings.filterwarnings(action, category=category, module=module)
            try:
                cli.main(args=args, prog_name="mkdocs")
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
            except Exception:  # noqa: BLE001 - as Python reports a program's uncaught error
                traceback.print_exc(file=output)
                code = 1
    finally:
        os.environ.clear()
        os.environ.update(saved[0])
        environment_settings.cache_clear()
        os.chdir(saved[1])
        logger.setLevel(saved[2])
        logger.propagate = saved[3]
        logger.handlers[:] = saved[4]
        mkdocs_build.log.filters[:] = saved[5]  # MkDocs' filter of repeated messages would hide the next build's
    return subprocess.CompletedProcess(["mkdocs", *args], code, output.getvalue())


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
    """Tests that need the handbook built whole are marked ``site``: the quick path leaves them out.

    The tests are then put in the order the workers take them (`dev.py test` runs ``--dist loadscope
    --no-loadscope-reorder``): first the modules and classes that never read the built site, those marked
    ``slow`` first, then the largest, so that no worker waits while the site is built in the background;
    then those that read it, in the same order, so that the last to be handed out are short. Within each,
    modules run in a browser come before the others, whose tests are each much shorter."""
    for item in items:
        if WHOLE_SITE & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)
    scopes: dict[str, list[pytest.Item]] = {}
    for item in items:
        scopes.setdefault(_scope(item.nodeid), []).append(item)

    def order(tests: list[pytest.Item]) -> tuple[bool, bool, bool, int]:
        reads_site = any("site" in getattr(t, "fixturenames", ()) for t in tests)
        slow = any(t.get_closest_marker("slow") for t in tests)
        in_browser = any(t.get_closest_marker("browser") for t in tests)  # a page load or more each: long per test
        return reads_site, not slow, not in_browser, -len(tests)

    items[:] = [item for tests in sorted(scopes.values(), key=order) for item in tests]


def _scope(nodeid: str) -> str:
    """The unit ``--dist loadscope`` hands to one worker (as xdist reckons it): a test's class, or its module."""
    return nodeid.rsplit("::", 1)[0]


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


#: Debian's chromium in its headless shell (``HANDBOOK_TEST_CHROMIUM``; scripts/handbook/config.py says why),
#: or the full chromium where no package has the shell (Ubuntu: dev.py, ``browser_for_tests``).
_SETTINGS = environment_settings()
CHROMIUM = next((p for p in (_SETTINGS.test_chromium, _SETTINGS.chromium) if Path(p).exists()), _SETTINGS.test_chromium)


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


def parsed(path: Path) -> BeautifulSoup:
    """The HTML file at ``path``, parsed once in this worker while the file is unchanged.

    Most modules read the same built pages (the whole site, a dozen times over): parsing each once
    saves about a minute of the run's CPU time. The tree is shared between tests, so a test reads it
    and never changes it; a test that must change a page parses a copy of its own with BeautifulSoup."""
    stat = path.stat()
    return _parsed(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=400)  # the handbook twice (MkDocs and Zensical) and the small sites of a module
def _parsed(path: str, _mtime_ns: int, _size: int) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def by_id(html: BeautifulSoup) -> dict[str, Tag]:
    """Every element of ``html`` that has an id, by its id (one walk of the tree, not one per look-up)."""
    return {el["id"]: el for el in html.find_all(id=True)}


def page(site: Path, url: str) -> BeautifulSoup:
    """A built page by its URL path, e.g. 'roles/advocacy/' (:func:`parsed`: read it, never change it)."""
    return parsed(site / url / "index.html")


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

    def __init__(self, path: Path, *, own_process: bool = False):
        self.path = path
        self.own_process = own_process
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
        return run_mkdocs(self.path, self.path / "site", own_process=self.own_process)


@pytest.fixture
def mini(tmp_path: Path, request: pytest.FixtureRequest) -> MiniSite:
    """A small site; marked ``own_process``, a test builds it in a process of its own (:func:`run_mkdocs`)."""
    return MiniSite(tmp_path / "mini", own_process=request.node.get_closest_marker("own_process") is not None)


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
