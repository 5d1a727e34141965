"""The site configuration (``mkdocs.yml``) held to the same rules as the pages.

Contributors are told to edit ``mkdocs.yml`` (its navigation), so a pull request can
change all of it. MkDocs reads it with a YAML loader that runs Python tags, and the theme
prints navigation titles, the site's name and ``extra`` values into every page without
escaping them. So, before MkDocs or Zensical ever reads the file (``dev.py`` runs
:func:`config_problems` first) and again in every check and build:

* the YAML is read safely: no Python or unknown tags (only MkDocs' ``!ENV`` with the
  handbook's own variables), no anchors or aliases, no key twice;
* only the settings the handbook uses may appear, each in the form it uses: no hooks,
  no other plugins, Markdown extensions or macro modules (each of them runs code), no
  scripts or style sheets from another host or from outside ``docs/assets/``;
* navigation titles are plain text and navigation links are pages of the handbook or
  ``http(s)`` addresses; the texts the theme prints are plain text.

Each problem is one line naming ``mkdocs.yml`` and the line.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

import yaml

from .config import EXTRA_SETTINGS, JINJA_COMMENT, MKDOCS_YML_VARIABLES
from .errors import Problem
from .yamlsource import LineDict, RefusedYAML, make_loader, yaml_error_line

__all__ = ["config_problems", "load_config_text"]

#: Plugins the handbook uses (each plugin is code that runs at build time).
PLUGINS = {"search", "offline", "macros"}
#: Markdown extensions the handbook allows: Python-Markdown's and pymdown-extensions' that
#: read nothing but the page (pymdownx.snippets, which includes files from the machine, is not one).
MARKDOWN_EXTENSIONS = {
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.betterem", "pymdownx.caret", "pymdownx.details", "pymdownx.mark", "pymdownx.superfences",
    "pymdownx.tabbed", "pymdownx.tilde", "handbook.mdx",
}
_TOP_LEVEL = {
    "site_name", "site_description", "site_author", "site_url", "repo_url", "repo_name", "edit_uri", "copyright",
    "strict", "validation", "not_in_nav", "theme", "extra_css", "extra_javascript", "extra", "plugins",
    "markdown_extensions", "nav",
}
_PLAIN_FIELDS = ("site_name", "site_description", "site_author", "repo_name", "copyright")
_PLAIN = re.compile(r"^[^<>\"`{}\x00-\x1f\x7f]*$")
_ASSET = re.compile(r"^assets/(?:javascripts/[a-z0-9_-]+\.js|stylesheets/[a-z0-9_-]+\.css)$")


def _env(loader: Any, node: yaml.Node) -> Any:
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    variables, default = (names[:-1], names[-1]) if len(names) > 1 else (names, None)
    for name in variables:
        if name not in MKDOCS_YML_VARIABLES:
            raise RefusedYAML(f"'!ENV {name}' reads an environment variable the handbook does not set: the build "
                              f"machine's variables must not reach the site. Use one of {', '.join(sorted(MKDOCS_YML_VARIABLES))}",
                              node.start_mark)
    return default


_ConfigLoader = make_loader(yaml.SafeLoader, {"!ENV": _env})
_FastConfigLoader = make_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader), {"!ENV": _env})  # libyaml's parser


def load_config_text(text: str) -> Any:
    """mkdocs.yml read safely (raises ``yaml.YAMLError`` with the line of what is refused)."""
    from .yamlsource import load_with

    try:
        return load_with(text, _FastConfigLoader)
    except RefusedYAML:
        raise
    except yaml.YAMLError:  # read again by the Python parser, whose messages contributors get
        return load_with(text, _ConfigLoader)


def _plain(value: Any) -> bool:
    return isinstance(value, str) and bool(_PLAIN.match(value))


def _web_address(value: Any) -> bool:
    return isinstance(value, str) and bool(re.match(r"^https?://[^\s\"'<>`]+$", value))


def _nav_problems(nav: Any, line: int, out: list[tuple[int, str]]) -> None:
    if isinstance(nav, list):
        for item in nav:
            _nav_problems(item, getattr(item, "line", line), out)
    elif isinstance(nav, LineDict):
        for title, value in nav.items():
            here = nav.line_of(str(title))
            if not _plain(title):
                out.append((here, f"the navigation title {str(title)!r} is not plain text: the theme prints it into every "
                                  "page. Write quotation marks as “ ” or ‘ ’, and leave out <, >, `, { and }."))
            _nav_problems(value, here, out)
    elif isinstance(nav, str):
        if re.match(r"^[a-z][a-z0-9+.-]*:", nav, re.I) or nav.startswith("//"):
            if not _web_address(nav):
                out.append((line, f"the navigation link {nav!r} is not allowed: link to a page of the handbook "
                                  "(e.g. roles/advocacy.md) or to an http(s) address."))
        elif not re.match(r"^[a-z0-9][a-z0-9/_.-]*\.md$", nav) or ".." in nav.split("/"):
            out.append((line, f"the navigation entry {nav!r} is not a page of the handbook: write the page's path "
                              "under docs/, e.g. roles/advocacy.md."))
    else:
        out.append((line, f"the navigation entry {nav!r} is neither a page nor a titled section: write '- roles/advocacy.md' "
                          "or '- Title: roles/advocacy.md'."))


def _entries(value: Any) -> list[tuple[str, Any]]:
    """A list of plugins or extensions as (name, options)."""
    out = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict) and len(entry) == 1:
            name, options = next(iter(entry.items()))
            out.append((str(name), options))
        else:
            out.append((str(entry), None))
    return out


def _line_after(text_lines: list[str], start: int, word: str) -> int:
    """The first line at or after ``start`` that names ``word`` (list items carry no line of their own)."""
    for number in range(start, len(text_lines) + 1):
        if re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w.-])", text_lines[number - 1]):
            return number
    return start


def _settings_problems(data: LineDict, text_lines: list[str]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for key in data:
        line = data.line_of(key)
        if key == "hooks":
            out.append((line, "'hooks' is not allowed: a hook is a Python file that runs on the machine that builds the site. "
                              "The handbook's code lives in scripts/handbook/ (ask a maintainer)."))
        elif key not in _TOP_LEVEL:
            out.append((line, f"the setting '{key}' is not one the handbook uses. Remove it, or ask a maintainer to add it "
                              "(scripts/handbook/configcheck.py lists the settings allowed)."))
    for key in _PLAIN_FIELDS:
        if key in data and not _plain(data[key]):
            out.append((data.line_of(key), f"'{key}' is printed on every page: it must be plain text, without <, >, `, {{ or }}."))
    for key in ("site_url", "repo_url"):
        if key in data and data[key] is not None and not _web_address(data[key]):
            out.append((data.line_of(key), f"'{key}' must be an http(s) address."))
    if data.get("strict") is not True:
        out.append((data.line_of("strict"), "'strict' must be true: it is what stops a page with a problem from being published."))
    theme = data.get("theme")
    if isinstance(theme, LineDict):
        if theme.get("name") != "material":
            out.append((theme.line_of("name"), "the theme must be 'material' (Zensical reads the same setting)."))
        custom = theme.get("custom_dir")
        if custom is not None and not (isinstance(custom, str) and posixpath.normpath(custom).endswith("overrides")
                                       and "docs" not in Path(custom).parts):
            out.append((theme.line_of("custom_dir"), "'custom_dir' must be the handbook's overrides/ folder: templates are code."))
        for key in ("logo", "favicon"):
            if key in theme and not (isinstance(theme[key], str) and re.match(r"^assets/[a-z0-9/_.-]+$", theme[key])):
                out.append((theme.line_of(key), f"the theme's '{key}' must be a file under docs/assets/."))
    for key in ("extra_css", "extra_javascript"):
        for entry in data.get(key) or []:
            path = entry.get("path") if isinstance(entry, dict) else entry
            line = getattr(entry, "line", None) or _line_after(text_lines, data.line_of(key), str(path))
            if not (isinstance(path, str) and _ASSET.match(path)):
                out.append((line, f"the {key} entry {path!r} is not allowed: the handbook loads only its own scripts and "
                                  "style sheets, from docs/assets/javascripts/ and docs/assets/stylesheets/, never another host."))
    extra = data.get("extra")
    if extra is not None:
        if not isinstance(extra, LineDict):
            out.append((data.line_of("extra"), "'extra' must be a mapping."))
        else:
            for key in extra:
                if key not in ("generator", "handbook"):
                    out.append((extra.line_of(key), f"'extra.{key}' is not a setting the handbook uses: the theme would print "
                                                    "it into pages or load scripts for it. Remove it, or ask a maintainer."))
            handbook = extra.get("handbook")
            if isinstance(handbook, LineDict):
                for key, value in handbook.items():
                    if key not in EXTRA_SETTINGS:
                        out.append((handbook.line_of(key), f"'extra.handbook.{key}' is not a setting of the handbook."))
                    elif EXTRA_SETTINGS[key] and not _web_address(value):
                        out.append((handbook.line_of(key), f"'extra.handbook.{key}' must be an http(s) address."))
                    elif not EXTRA_SETTINGS[key] and not _plain(value):
                        out.append((handbook.line_of(key), f"'extra.handbook.{key}' must be plain text."))
    for name, options in _entries(data.get("plugins") or []):
        line = _line_after(text_lines, data.line_of("plugins"), name)
        if name not in PLUGINS:
            out.append((line, f"the plugin '{name}' is not one the handbook uses: a plugin is code that runs at build time, and "
                              "the handbook keeps its features in scripts/handbook/ so that Zensical builds them too."))
        elif name == "macros" and isinstance(options, dict):
            module = options.get("module_name")
            if not (isinstance(module, str) and module.endswith("scripts/handbook/macros") and "docs" not in Path(module).parts):
                out.append((line, "the macros plugin must load the handbook's own module, scripts/handbook/macros."))
            for key in ("modules", "include_yaml", "include_dir", "render_by_default", "on_error_fail", "on_undefined"):
                if key in ("on_error_fail", "on_undefined"):
                    want = True if key == "on_error_fail" else "strict"
                    if options.get(key) != want:
                        out.append((line, f"the macros plugin's '{key}' must be {want!r}: it is what stops a bad page."))
                elif key in options:
                    out.append((line, f"the macros plugin's '{key}' is not allowed: it would load code or data from files "
                                      "that pages could change."))
            for key, want in zip(("j2_comment_start_string", "j2_comment_end_string"), JINJA_COMMENT):
                if options.get(key) != want:
                    where = options.line_of(key) if isinstance(options, LineDict) else line
                    out.append((where, f"the macros plugin's '{key}' must be {want!r}, the delimiter the handbook's safety "
                                      "gate reads pages with (and attr_list's {#id} is then not a comment)."))
    for name, _options in _entries(data.get("markdown_extensions") or []):
        if name not in MARKDOWN_EXTENSIONS:
            out.append((_line_after(text_lines, data.line_of("markdown_extensions"), name), f"the Markdown extension '{name}' is not one the handbook allows: "
                                                             "some read files from the build machine or run code. Ask a maintainer."))
    if "nav" in data:
        _nav_problems(data["nav"], data.line_of("nav"), out)
    return out


def config_problems(root: Path, name: str = "mkdocs.yml") -> list[Problem]:
    """Every problem of ``mkdocs.yml``, one line each (reading it never runs anything)."""
    path = root / name
    if path.is_symlink():
        return [Problem(name, None, "is a link to another file: the configuration must be a file of its own.")]
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError):
        return [Problem(name, None, "cannot be read as UTF-8 text.")]
    try:
        data = load_config_text(text)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error)
        return [Problem(name, yaml_error_line(error), f"{problem}." if isinstance(error, RefusedYAML)
                        else f"is not valid YAML: {problem}.")]
    if not isinstance(data, LineDict):
        return [Problem(name, 1, "must be a mapping of settings.")]
    return [Problem(name, line, message) for line, message in _settings_problems(data, text.split("\n"))]
