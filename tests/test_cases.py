"""Golden cases: a page and what the build makes of it, checked in-process, without building a site.

Each case is ``tests/cases/<name>.md``, a whole page (front matter and text) that becomes the
home page (``docs/index.md``) of the small fixture site of tests/conftest.py. Beside it:

- ``<name>.txt``: every line the strict build says about the site, in the order it says them
  (``docs/index.md:12: unknown glossary term ...``); ``dev.py check`` must say the same lines;
- ``<name>.check.txt``, only where the two differ on purpose: what ``dev.py check`` says (sorted);
- ``<name>.html``: the page's HTML as the handbook makes it (before MkDocs' theme wraps it and
  rewrites its ``.md`` links; the reference list and definitions, which the template prints after
  the content, after it), when the build refuses nothing.

The page goes through the handbook's real entry points, in the order MkDocs calls them:
``define_env`` (every problem of the site said), ``on_pre_page_macros`` (the gate and the
macros), ``on_post_page_macros`` (the dates under the title), then Python-Markdown with the
fixture site's extensions and those MkDocs always adds (the handbook's own among them: the
references, the definitions and the sanitiser). Every page of the fixture site is rendered,
as the build renders each.

A case whose output differs fails with a diff; a case with neither file fails. To write or
update the files after a change meant to alter them, run
``HANDBOOK_UPDATE_GOLDEN=1 python3 dev.py test tests/test_cases.py`` and read the diff.
At least one real build per kind of failure stays in the other test modules, to prove that
the build does stop (test_build_errors.py, test_hostile.py).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import markdown
import pytest
import yaml
from mkdocs.utils.meta import get_data

from conftest import MINI_CONFIG, ROOT, MiniSite
from handbook import macros
from handbook import site as site_module
from handbook.checks import run_checks
from handbook.files import svg_problems
from handbook.rawhtml import put_back
from handbook.site import load_handbook

CASES = Path(__file__).parent / "cases"
UPDATE = os.environ.get("HANDBOOK_UPDATE_GOLDEN") == "1"
CONFIG = yaml.safe_load(MINI_CONFIG.format(root=ROOT))


class _Env:
    """What mkdocs-macros hands the handbook's macros module: the configuration, the page, its Markdown."""

    def __init__(self, project: Path) -> None:
        self.project_dir = str(project)
        self.conf: dict[str, Any] = {**CONFIG, "docs_dir": str(project / "docs"), "site_dir": str(project / "site"),
                                     "use_directory_urls": True}
        self.variables: dict[str, Any] = {}
        self.macros: dict[str, Any] = {}
        self.page: Any = None
        self.markdown = ""

    def macro(self, func: Any, name: str) -> None:
        self.macros[name] = func


#: The extensions MkDocs always adds to those mkdocs.yml names (mkdocs/config/defaults.py).
MKDOCS_BUILTINS = ["toc", "tables", "fenced_code"]


def _extensions() -> tuple[list[str], dict[str, dict]]:
    names, configs = list(MKDOCS_BUILTINS), {}
    for item in CONFIG["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name not in names:
            names.append(name)
        if options:
            configs[name] = options
    return names, configs


#: What the macros module keeps between pages in handbook.site: put back after each case, so that
#: nothing later in the same worker sees a case's handbook.
_STATE = ("CURRENT", "CURRENT_PAGE", "CURRENT_HB", "ENGINE", "DIRECTORY_URLS", "REPORTED_FOR", "PUBLISHED")


def render_site(project: Path) -> tuple[dict[str, str], list[str]]:
    """Each page's HTML (by its path under docs/) and every line the build says, in order."""
    saved = {name: getattr(site_module, name) for name in _STATE}
    try:
        return _render_site(project)
    finally:
        for name, value in saved.items():
            setattr(site_module, name, value)
        site_module.REPORTED.clear()
        site_module.REPORTED_PROBLEMS.clear()


def _render_site(project: Path) -> tuple[dict[str, str], list[str]]:
    env = _Env(project)
    site_module.REPORTED_FOR = None
    macros.define_env(env)  # says every problem of the site; raises mkdocs' Abort for a file it cannot read
    names, configs = _extensions()
    pages: dict[str, str] = {}
    for path in sorted((project / "docs").rglob("*.md")):
        src = path.relative_to(project / "docs").as_posix()
        body, meta = get_data(path.read_text(encoding="utf-8"))  # as MkDocs splits the page
        env.page = SimpleNamespace(file=SimpleNamespace(src_path=src), meta=dict(meta), title=meta.get("title"))
        env.markdown = body
        macros.on_pre_page_macros(env)
        macros.on_post_page_macros(env)
        html = markdown.Markdown(extensions=names, extension_configs=configs).convert(env.markdown)
        # What Material's search plugin need not read is put back by the template (page.meta.hb.later), as here.
        html = put_back(html, (env.page.meta.get("hb") or {}).get("later"))
        # The reference list and definitions reach the template apart from the content (page.meta.hb.appendix),
        # which prints them right after it (overrides/main.html).
        appendix = (env.page.meta.get("hb") or {}).get("appendix")
        pages[src] = f"{html}\n{appendix}" if appendix else html
    return pages, [str(p) for p in site_module.REPORTED_PROBLEMS]


def check_lines(project: Path) -> list[str]:
    """What `dev.py check` refuses (without spelling)."""
    handbook = load_handbook(project, project / "docs")
    return [str(p) for p in run_checks(handbook, spelling=False) if p.severity == "error"]


def _compare(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(path.name), "now", n=2))
        pytest.fail(f"{path.name} differs from what the handbook makes of the case now "
                    f"(if the change is meant, HANDBOOK_UPDATE_GOLDEN=1 writes it):\n{diff[:8000]}")


def run_case(name: str, tmp_path: Path, cases: Path = CASES) -> None:
    mini = MiniSite(tmp_path / "mini")
    mini.write("index.md", (cases / f"{name}.md").read_text(encoding="utf-8"))
    pages, lines = render_site(mini.path)
    messages, html = cases / f"{name}.txt", cases / f"{name}.html"
    if not messages.exists() and not html.exists():
        if not UPDATE:
            pytest.fail(f"tests/cases/{name}.md has no expected output ({name}.txt or {name}.html). Write it with "
                        f"HANDBOOK_UPDATE_GOLDEN=1 python3 dev.py test tests/test_cases.py and check what it says.")
        (messages if lines else html).touch()
    if messages.exists():
        _compare(messages, "".join(f"{line}\n" for line in lines))
        checked = sorted(check_lines(mini.path))
        if (cases / f"{name}.check.txt").exists():  # where the check knowingly says more than the build
            _compare(cases / f"{name}.check.txt", "".join(f"{line}\n" for line in checked))
        else:
            assert checked == sorted(lines), "dev.py check and the build must say the same"
    else:
        assert lines == [], f"the build refuses tests/cases/{name}.md, but the case expects its page: {lines}"
    if html.exists():
        _compare(html, pages["index.md"].rstrip("\n") + "\n")
    for svg in re.findall(r"<svg\b.*?</svg>", pages["index.md"], re.S):  # a drawing is safe whatever the golden file says
        assert svg_problems(svg.encode()) == [], svg


@pytest.mark.parametrize("name", sorted(p.stem for p in CASES.glob("*.md")))
def test_case(name: str, tmp_path: Path) -> None:
    run_case(name, tmp_path)


def test_every_expected_output_has_its_case() -> None:
    """A golden file whose case was deleted or renamed is not left to pass for ever."""
    cases = {p.stem for p in CASES.glob("*.md")}
    assert sorted(p.name for p in CASES.iterdir() if p.suffix in (".txt", ".html") and p.name.split(".")[0] not in cases) == []
    assert len(cases) >= 20


def test_a_missing_or_different_expected_output_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A deleted golden file fails (it is never written back silently), and so does a changed one, with a diff."""
    monkeypatch.setattr(sys.modules[__name__], "UPDATE", False)
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "x.md").write_text((CASES / "unknown-citation-key.md").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="has no expected output"):
        run_case("x", tmp_path / "a", cases)
    assert sorted(p.name for p in cases.iterdir()) == ["x.md"]
    expected = (CASES / "unknown-citation-key.txt").read_text(encoding="utf-8")
    (cases / "x.txt").write_text(expected.replace("rogers1957", "rogers1958"), encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match=r"(?s)x.txt differs.*-docs/index.md:12: .*'rogers1958'.*\+docs/index.md:12: .*'rogers1957'"):
        run_case("x", tmp_path / "b", cases)
    (cases / "x.txt").write_text(expected, encoding="utf-8")
    run_case("x", tmp_path / "c", cases)
