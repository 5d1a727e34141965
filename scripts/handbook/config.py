"""The handbook's configuration, declared once: what it takes from mkdocs.yml and the environment.

Every setting the handbook's code acts on is a documented field of :class:`Settings`, built in
one place (:func:`settings_from`) from the engine's configuration (MkDocs' or Zensical's, or
``mkdocs.yml`` read safely by :func:`load_settings`) and the ``HANDBOOK_*`` environment
variables, and passed to what needs it. No other module reads ``extra.handbook`` or a
``HANDBOOK_*`` variable (``tests/test_types.py`` holds them to that). ``dev.py`` is the one
exception: it runs before the package's environment exists, and reads only the variables
:data:`DEV_PY_VARIABLES` names. The checks' view of mkdocs.yml (navigation, Markdown
extensions) is here too, read without MkDocs.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Settings", "settings_from", "load_settings", "environment_settings", "cache_folder", "ENV_SITE_URL", "ENV_SHARED_CACHE",
    "ENV_OFFLINE", "ENV_NO_CACHE", "MKDOCS_YML_VARIABLES", "DEV_PY_VARIABLES", "EXTRA_SETTINGS", "JINJA_COMMENT",
    "read_nav", "nav_pages", "markdown_extensions",
]

#: The site's address, overriding ``site_url`` (mkdocs.yml reads it with ``!ENV``): ``dev.py serve``
#: sets it to the preview's address, the deploy and ``dev.py publish`` to each release's address.
ENV_SITE_URL = "HANDBOOK_SITE_URL"
#: ``true`` turns on Material's offline plugin (mkdocs.yml reads it with ``!ENV``); the offline
#: copy's build (``dev.py build --books``) sets it.
ENV_OFFLINE = "HANDBOOK_OFFLINE"
#: ``1`` keeps the formatted citations and drawn figures in memory only, never in ``.cache/handbook/``.
ENV_NO_CACHE = "HANDBOOK_NO_CACHE"
#: A folder for the caches kept by content alone (formatted citations, drawn figures), shared by
#: every project built with it set: the test suite's many small sites, or CI between runs. The
#: build-check cache is the project's own and stays in ``.cache/handbook/``.
ENV_SHARED_CACHE = "HANDBOOK_SHARED_CACHE"
#: The chromium the benchmark's Lighthouse runs (default ``/usr/bin/chromium``, Debian's).
ENV_CHROMIUM = "HANDBOOK_CHROMIUM"
#: The chromium the browser tests drive (default ``/usr/bin/chromium-headless-shell``, Debian's).
ENV_TEST_CHROMIUM = "HANDBOOK_TEST_CHROMIUM"
#: The variables mkdocs.yml may read with ``!ENV`` (any other is refused by :mod:`handbook.configcheck`).
MKDOCS_YML_VARIABLES = frozenset({ENV_SITE_URL, ENV_OFFLINE})
#: The variables ``dev.py`` reads itself, because it runs before the environment that has this
#: package exists: ``HANDBOOK_ENGINE`` (``mkdocs``, the default, or ``zensical``: the engine
#: ``dev.py build`` runs) and ``HANDBOOK_APT_SUDO`` (``1``: install the tests' Debian packages with sudo).
DEV_PY_VARIABLES = frozenset({"HANDBOOK_ENGINE", "HANDBOOK_APT_SUDO"})

#: The settings under ``extra.handbook`` in mkdocs.yml: name -> whether it is an http(s) address
#: (otherwise plain text). :mod:`handbook.configcheck` refuses any other.
EXTRA_SETTINGS = {"licence_url": True, "licence_name": False}

#: The comment delimiters of page templates, ``{## ... ##}`` rather than Jinja's ``{# ... #}``, so that
#: attr_list's ``{#id}`` is not a comment: mkdocs.yml gives them to mkdocs-macros
#: (``j2_comment_start_string``, ``j2_comment_end_string``) and the safety gate parses pages with them.
JINJA_COMMENT = ("{##", "##}")

_CACHE_DIR = (".cache", "handbook")


@dataclass(frozen=True)
class Settings:
    """Every setting the handbook acts on (see :func:`settings_from` for where each comes from)."""

    site_name: str = ""
    """``site_name``: the handbook's name, the title of its Atom feed."""
    site_description: str = ""
    """``site_description``: the feed's subtitle and the books' description."""
    site_author: str = ""
    """``site_author``: who the books credit (the collective of contributors)."""
    site_url: str = ""
    """``site_url``, or ``HANDBOOK_SITE_URL`` when it is set: the address pages are cited at, and
    the base of the feed, robots.txt, the books' links and each release's permanent links."""
    repo_url: str = ""
    """``repo_url``: on GitHub, each page's "Report a problem" link opens an issue there."""
    copyright: str = ""
    """``copyright``: the books' rights statement."""
    use_directory_urls: bool = True
    """``use_directory_urls``: False in the offline copy, whose pages are files (``roles/advocacy.html``)."""
    licence_name: str = "CC BY 4.0"
    """``extra.handbook.licence_name``: the licence of the text, named in each page's reuse statement and the books."""
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    """``extra.handbook.licence_url``: that licence's address."""
    offline: bool = False
    """``HANDBOOK_OFFLINE=true``: this build is the offline copy (Material's offline plugin is on)."""
    no_cache: bool = False
    """``HANDBOOK_NO_CACHE=1``: nothing is kept in ``.cache/handbook/`` between builds."""
    shared_cache: str = ""
    """``HANDBOOK_SHARED_CACHE``: a folder for the formatted citations and drawn figures of every
    project built with it set, instead of each project's ``.cache/handbook/``."""
    chromium: str = "/usr/bin/chromium"
    """``HANDBOOK_CHROMIUM``: the chromium the benchmark's Lighthouse drives."""
    test_chromium: str = "/usr/bin/chromium-headless-shell"
    """``HANDBOOK_TEST_CHROMIUM``: the chromium the browser tests drive. Chromium's headless shell (Debian's
    ``chromium-headless-shell``, built from the same source as ``chromium``) runs the same Blink and V8
    without the desktop browser around them, for about a sixth less CPU over the browser suite."""
    github_actions: bool = False
    """``GITHUB_ACTIONS=true`` (set by GitHub): problems are also printed as annotations on the pull request."""


def settings_from(conf: Mapping[str, Any], environ: Mapping[str, str] | None = None, *, as_written: bool = False) -> Settings:
    """The settings, from an engine's configuration (or mkdocs.yml as written) and the environment.

    This is the one place that reads them. ``conf`` is MkDocs' or Zensical's loaded configuration
    (their ``!ENV`` values already taken from the environment), or, with ``as_written``,
    :func:`read_config`'s mapping, whose ``site_url`` ``HANDBOOK_SITE_URL`` then overrides as
    mkdocs.yml's ``!ENV`` says. ``environ`` defaults to the process's environment."""
    env = os.environ if environ is None else environ
    extra = conf.get("extra") or {}
    ours = extra.get("handbook") if isinstance(extra, Mapping) else None
    ours = ours if isinstance(ours, Mapping) else {}
    defaults = Settings()

    def text(key: str) -> str:
        value = conf.get(key)
        return "" if value is None else str(value)

    return Settings(
        site_name=text("site_name"), site_description=text("site_description"), site_author=text("site_author"),
        site_url=(as_written and env.get(ENV_SITE_URL)) or text("site_url"), repo_url=text("repo_url"), copyright=text("copyright"),
        use_directory_urls=bool(conf.get("use_directory_urls", True)),
        licence_name=str(ours.get("licence_name") or defaults.licence_name),
        licence_url=str(ours.get("licence_url") or defaults.licence_url),
        offline=str(env.get(ENV_OFFLINE, "")).lower() == "true", no_cache=env.get(ENV_NO_CACHE) == "1",
        shared_cache=env.get(ENV_SHARED_CACHE, ""),
        chromium=env.get(ENV_CHROMIUM) or defaults.chromium,
        test_chromium=env.get(ENV_TEST_CHROMIUM) or defaults.test_chromium, github_actions=env.get("GITHUB_ACTIONS") == "true",
    )


def load_settings(root: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """The settings of the project at ``root`` as a build there sees them (mkdocs.yml read safely)."""
    return settings_from(read_config(root), environ, as_written=True)


@functools.cache
def environment_settings() -> Settings:
    """The settings that come from the environment alone, read once per process (for code with no configuration at hand)."""
    return settings_from({})


def cache_folder(root: Path | None, name: str, *, by_content: bool = True) -> Path | None:
    """Where a cache of the project at ``root`` lives (``.cache/handbook/<name>``), or None: in memory
    only (no project, or ``HANDBOOK_NO_CACHE=1``). A cache kept by content alone (``by_content``)
    lives in ``HANDBOOK_SHARED_CACHE`` when that is set."""
    settings = environment_settings()
    if root is None or settings.no_cache:
        return None
    if by_content and settings.shared_cache:
        return Path(settings.shared_cache) / name
    return root.joinpath(*_CACHE_DIR, name)


# mkdocs.yml as the checks read it -----------------------------------------------------------

#: Extensions that only the build itself runs (they need the build's data).
BUILD_ONLY_EXTENSIONS = {"handbook.mdx"}


@functools.cache
def _read(path: Path, _mtime: int) -> dict[str, Any]:
    """mkdocs.yml read safely (its problems are reported by :mod:`handbook.configcheck`; then nothing is read)."""
    import yaml

    from .configcheck import load_config_text

    try:
        data = load_config_text(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def read_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as written (``!ENV`` values are their defaults: :func:`load_settings` applies the environment)."""
    path = root / "mkdocs.yml"
    return _read(path, path.stat().st_mtime_ns) if path.exists() else {}


def read_nav(root: Path) -> list[Any]:
    return read_config(root).get("nav") or []


def nav_pages(nav: list[Any] | dict[str, Any] | str | None) -> set[str]:
    """Every page file named in a navigation, however deeply nested."""
    out: set[str] = set()
    if isinstance(nav, str):
        if not nav.startswith(("http://", "https://")):
            out.add(nav)
    elif isinstance(nav, list):
        for item in nav:
            out |= nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            out |= nav_pages(value)
    return out


def markdown_extensions(root: Path) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The site's Markdown extensions and their settings, as Python-Markdown takes them."""
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for entry in read_config(root).get("markdown_extensions") or []:
        name, config = (next(iter(entry.items())) if isinstance(entry, dict) else (entry, None))
        if name in BUILD_ONLY_EXTENSIONS:
            continue
        names.append(name)
        if config:
            configs[name] = config
    return names, configs
