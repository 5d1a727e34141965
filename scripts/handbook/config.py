"""What the checks need from mkdocs.yml (the navigation and the Markdown extensions), read without MkDocs."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

__all__ = ["read_config", "read_nav", "nav_pages", "markdown_extensions"]

#: Extensions that only the build itself runs (they need the build's data).
BUILD_ONLY_EXTENSIONS = {"handbook.mdx"}


@functools.cache
def _read(path: Path, _mtime: int) -> dict[str, Any]:
    """mkdocs.yml read safely (its problems are reported by :mod:`handbook.configcheck`; then nothing is read)."""
    from .configcheck import load_config_text

    try:
        data = load_config_text(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def read_config(root: Path) -> dict[str, Any]:
    path = root / "mkdocs.yml"
    return _read(path, path.stat().st_mtime_ns) if path.exists() else {}


def read_nav(root: Path) -> list:
    return read_config(root).get("nav") or []


def nav_pages(nav: list | dict | str | None) -> set[str]:
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


def markdown_extensions(root: Path) -> tuple[list[str], dict[str, dict]]:
    """The site's Markdown extensions and their settings, as Python-Markdown takes them."""
    names, configs = [], {}
    for entry in read_config(root).get("markdown_extensions") or []:
        name, config = (next(iter(entry.items())) if isinstance(entry, dict) else (entry, None))
        if name in BUILD_ONLY_EXTENSIONS:
            continue
        names.append(name)
        if config:
            configs[name] = config
    return names, configs
