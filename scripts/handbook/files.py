"""What each kind of file under ``docs/`` may be: one rule for every file a pull request can add.

MkDocs publishes every file under ``docs/`` as it is, so the Markdown allow-list alone
left other routes open (an ``.html`` page, an SVG with a script, a link to a file of the
build machine). The rule, checked by ``dev.py check`` and the build alike:

========================================  =================================================
where                                     what may be there
========================================  =================================================
``docs/<section>/*.md``, ``docs/*.md``    pages (the Markdown allow-list, front matter, ...)
``docs/data/``                            the handbook's data files, by name
``docs/assets/javascripts/*.js``,         the handbook's own scripts and style sheets
``docs/assets/stylesheets/*.css``         (code: reviewed by maintainers, see CODEOWNERS)
anywhere but ``docs/data/``               images: PNG, JPEG, GIF, WebP, and SVG that passes
                                          :func:`svg_problems`
========================================  =================================================

Nothing else is published: no HTML or other file types, and no symbolic links (a link
to ``/proc/self/environ`` or a system file would publish the build machine's secrets).
"""

from __future__ import annotations

import os
import re
import xml.parsers.expat
from collections.abc import Iterator
from pathlib import Path

from .errors import Problem

__all__ = ["content_files", "file_problems", "refused_files", "svg_problems", "is_fatal"]

#: The data files under docs/data/ (each validated by its own module).
DATA_FILES = {"glossary.yml", "references.json", "authors.yml", "corrections.yml", "standards.yml"}
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
_CODE = re.compile(r"^assets/(?:javascripts/[a-z0-9_-]+\.js|stylesheets/[a-z0-9_-]+\.css)$")
#: Problems after which MkDocs must not read the files at all (it would follow the link).
_FATAL_MARK = "is a symbolic link"


def is_fatal(problem: Problem) -> bool:
    return _FATAL_MARK in problem.message


def content_files(docs_dir: Path) -> Iterator[Path]:
    """Every regular file under ``docs_dir``, never following a symbolic link."""
    for folder, dirs, files in os.walk(docs_dir, followlinks=False):
        base = Path(folder)
        dirs[:] = sorted(d for d in dirs if not (base / d).is_symlink())
        for name in sorted(files):
            path = base / name
            if not path.is_symlink():
                yield path


def _links(docs_dir: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(docs_dir, followlinks=False):
        base = Path(folder)
        for name in sorted(dirs + files):
            if (base / name).is_symlink():
                yield base / name


def refused_files(docs_dir: Path) -> set[str]:
    """The files under docs/ (relative paths) that are not published: every file with a problem."""
    prefix = "docs/"
    return {p.file[len(prefix):] for p in file_problems(docs_dir.parent, docs_dir, "docs") if p.file.startswith(prefix)}


def file_problems(root: Path, docs_dir: Path, display: str = "docs") -> list[Problem]:
    """Every file under ``docs/`` that is not of a kind the handbook publishes, one line each."""
    problems: list[Problem] = []
    for link in _links(docs_dir):
        rel = link.relative_to(docs_dir).as_posix()
        problems.append(Problem(f"{display}/{rel}", None, f"{_FATAL_MARK} (a shortcut to another file or folder), which the "
                                                          "build would follow and publish. Put the file itself here instead."))
    for path in content_files(docs_dir):
        rel = path.relative_to(docs_dir).as_posix()
        name = f"{display}/{rel}"
        suffix = path.suffix.lower()
        top = rel.split("/")[0]
        if suffix == ".md":
            if top in ("assets", "data"):
                problems.append(Problem(name, None, f"a page cannot live under docs/{top}/, where the navigation check does "
                                                    "not look. Move it into its section's folder (e.g. docs/roles/)."))
        elif top == "data" and "/" in rel:
            if rel.count("/") > 1 or rel.split("/")[1] not in DATA_FILES:
                problems.append(Problem(name, None, "is not one of the handbook's data files "
                                                    f"({', '.join(sorted(DATA_FILES))}); remove it, or ask a maintainer."))
        elif _CODE.match(rel):
            pass  # the handbook's own scripts and styles: code, reviewed by the maintainers (CODEOWNERS)
        elif suffix in IMAGE_TYPES:
            if suffix == ".svg":
                problems += [Problem(name, line, message) for line, message in svg_problems(path.read_bytes())]
        else:
            kind = f"'{suffix}' files" if suffix else "files without an extension"
            problems.append(Problem(name, None, f"{kind} are not published from docs/: only pages (.md), the data files, "
                                                "and images (.png, .jpg, .gif, .webp, .svg) are. Remove it, or write it as a page."))
    return problems


# SVG: pictures, never programs ------------------------------------------------------------------------
SVG_ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop", "clipPath",
    "mask", "pattern", "marker", "style", "a", "switch",
}
_URL_IN_VALUE = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)
_HREF = {"href", "xlink:href"}


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]  # expat with namespaces: "uri local"


def svg_problems(data: bytes) -> list[tuple[int | None, str]]:
    """What makes an SVG unsafe to publish, with lines: scripts, event handlers, other hosts, HTML inside."""
    problems: list[tuple[int | None, str]] = []
    text = data.decode("utf-8", errors="replace")
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.I):
        return [(None, "the SVG declares a DOCTYPE or entities, which can hide content or expand without end. "
                       "Export it again as plain SVG.")]
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    style_depth = [0]

    def start(tag: str, attrs: dict[str, str]) -> None:
        line = parser.CurrentLineNumber
        local = _local(tag)
        if local not in SVG_ELEMENTS:
            what = "runs code" if local == "script" else "can carry HTML or other content" if local == "foreignObject" else \
                "is not a drawing element the handbook allows"
            problems.append((line, f"the SVG element <{local}> {what}. Remove it: figures are pictures, never programs."))
        if local == "style":
            style_depth[0] += 1
        for raw_name, value in attrs.items():
            name = _local(raw_name)
            full = "xlink:href" if raw_name.endswith("xlink href") else name
            if name.lower().startswith("on"):
                problems.append((line, f"the SVG attribute '{name}' runs code in readers' browsers. Remove it."))
            elif full in _HREF and not value.strip().startswith("#"):
                problems.append((line, f"the SVG link '{value.strip()[:60]}' points outside the picture: an SVG may link "
                                       "only to its own parts (#id). Remove it."))
            elif _URL_IN_VALUE.search(value) or "javascript:" in value.lower() or "@import" in value.lower():
                problems.append((line, f"the SVG attribute '{name}' refers to another file or host. Use colours and "
                                       "shapes inside the SVG (url(#id) for its own gradients)."))

    def end(tag: str) -> None:
        if _local(tag) == "style":
            style_depth[0] -= 1

    def chars(data: str) -> None:
        if style_depth[0] and (_URL_IN_VALUE.search(data) or "@import" in data.lower() or "javascript:" in data.lower()):
            problems.append((parser.CurrentLineNumber, "the SVG's style sheet refers to another file or host. "
                                                       "Keep its styles inside the SVG."))

    def instruction(target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            problems.append((parser.CurrentLineNumber, "the SVG loads a style sheet from elsewhere. Remove the "
                                                       "<?xml-stylesheet?> line."))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        problems.append((error.lineno, f"the SVG cannot be read as XML ({xml.parsers.expat.errors.messages.get(error.code, 'error')}). "
                                       "Export it again as plain SVG."))
    return problems
