"""Figures written as text and drawn at build time (scripts/handbook/figures.py).

What a contributor writes is read line by line, the drawing source passes an allow-list,
D2 draws it, and the SVG is rebuilt from an allow-list; a figure without its caption, text
alternative or long description, or whose source would draw something unsafe, is refused
with its file and line, by the build and the check alike.

A page with figures, and pages with a planted payload in a figure, are golden cases
(tests/cases/figures-numbered-*.md, tests/cases/figure-*.md), rendered in-process through the
handbook's Markdown extension; one real build here proves that a refused figure stops the build.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import FRONT, ROOT, MiniSite, page, problem_lines

sys.path.insert(0, str(ROOT / "scripts"))
from handbook.figures import draw, figure_problems, parse_figures  # noqa: E402
from handbook.files import svg_problems  # noqa: E402

GOOD = textwrap.dedent("""\
    ```figure
    id: two-people
    caption: The worker and the person, working together.
    alt: Two boxes, the worker and the person, joined by a line labelled working together.
    description:
      Two boxes: the worker and the person (double border).
      A line labelled "working together" joins them.
    ---
    direction: right
    worker: "Worker"
    person: "Person" {style.double-border: true}
    worker -- person: "working together"
    ```
    """)


def _page(figure: str) -> str:
    return FRONT.format(title="Home") + "\n# Home\n\nText before.\n\n" + figure + "\nText after.\n"


def test_a_figure_is_read_with_its_lines() -> None:
    [fig] = parse_figures("intro\n\n" + GOOD)
    assert fig.problems == []
    assert fig.line == 3 and fig.field_lines == {"id": 4, "caption": 5, "alt": 6, "description": 7}
    assert fig.fields["caption"] == "The worker and the person, working together."
    assert fig.description == ["Two boxes: the worker and the person (double border).", 'A line labelled "working together" joins them.']
    assert fig.source_line == 11 and fig.source.startswith("direction: right")


@pytest.mark.parametrize("field, line, words", [
    ("caption", 3, "the figure has no caption"),
    ("alt", 3, "the figure has no short text alternative"),
    ("description", 3, "the figure has no long description"),
    ("id", 3, "the figure has no id"),
])
def test_a_figure_without_caption_alt_description_or_id_is_refused_with_its_line(field: str, line: int, words: str) -> None:
    text = "intro\n\n" + re.sub(rf"^{field}:.*\n(?:  .*\n)*", "", GOOD, flags=re.M)
    problems = [str(p) for p in figure_problems("docs/x.md", text)]
    assert any(p.startswith(f"docs/x.md:{line}: {words}") for p in problems), problems


# A planted payload in the drawing source, and the line that refuses it.
PAYLOADS = [
    ('worker: "Worker" {link: "https://evil.example/"}', "may not hold links or tooltips"),
    ('worker: "Worker" {tooltip: "hello"}', "may not hold links or tooltips"),
    ("worker: {icon: https://evil.example/x.png}", "may not load icons or images"),
    ("worker: {shape: image}", "may not show images"),
    ("worker: |md\n  <script>alert(1)</script>\n|", "may not hold Markdown, code or LaTeX blocks"),
    ("...@/etc/passwd", "may not import other files"),
    ("worker.style.fill: red", "may not set colours"),
    ('worker: "W" {style: {font-color: "#fff"}}', "may not set colours"),
    ("vars: {x: 1}", "D2 setting the handbook does not allow"),
    ("worker: javascript:alert(1)", "may not refer to another host"),
]


@pytest.mark.parametrize("payload, words", PAYLOADS)
def test_an_unsafe_drawing_source_is_refused_with_its_line(payload: str, words: str) -> None:
    text = GOOD.replace('worker -- person: "working together"', payload)
    problems = [str(p) for p in figure_problems("docs/x.md", text)]
    assert any(p.startswith("docs/x.md:12: ") and words in p for p in problems), problems


def test_quoted_labels_may_say_anything() -> None:
    text = GOOD.replace('worker: "Worker"', 'worker: "Worker: link, icon, fill | @home"').replace(
        "Two boxes: the worker", "Two boxes: the worker (link, icon, fill, home)")
    assert [str(p) for p in figure_problems("docs/x.md", text)] == []


def test_a_drawing_d2_cannot_read_is_refused_with_its_line() -> None:
    problems = [str(p) for p in figure_problems("docs/x.md", GOOD.replace('worker -- person: "working together"', "worker -> "))]
    assert problems and problems[0].startswith("docs/x.md:12: the figure's drawing cannot be read by D2"), problems


def test_a_long_description_must_say_what_the_picture_shows() -> None:
    problems = [str(p) for p in figure_problems("docs/x.md", GOOD.replace('person: "Person"', 'person: "Person who decides"'))]
    assert problems == ["docs/x.md:5: the figure's long description does not say 'Person who decides', which the picture "
                        "shows. Describe everything the figure shows in words."]


def test_a_kept_drawing_counts_only_as_this_machine_kept_it(tmp_path: Path) -> None:
    """The rebuilt drawing is kept under .cache/ and used without rebuilding it, but only with this
    machine's seal: a file a pull request adds there (here: a script in place of the drawing) is not."""
    import json
    import os
    import subprocess

    def draw_afresh() -> str:  # as a new build draws it
        code = ("import sys; from pathlib import Path; from handbook.figures import draw, parse_figures; "
                f"[fig] = parse_figures({GOOD!r}); print(draw(fig.source, Path({str(tmp_path)!r}))[0].svg)")
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")}).stdout.strip()

    first = draw_afresh()
    [kept] = (tmp_path / ".cache" / "handbook" / "figures").glob("*.rebuilt.json")
    assert first.startswith("<svg ") and draw_afresh() == first  # the kept one, as rebuilt
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["value"] = data["value"].replace("<svg ", "<svg onload=\\\"alert(1)\\\" ", 1)
    assert "onload" in data["value"]
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert draw_afresh() == first


def test_the_drawing_is_safe_text_in_the_text_colour() -> None:
    [fig] = parse_figures(GOOD)
    drawing, problems = draw(fig.source)
    assert problems == [] and drawing is not None
    svg = drawing.svg
    assert svg_problems(svg.encode()) == []
    assert re.findall(r"<text[^>]*>([^<]*)</text>", svg) == ["Worker", "Person", "working together"]  # real, selectable text
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|<style|class=|font-family|@font-face|data:", svg)  # no colours or fonts of D2's own
    assert set(re.findall(r'(?:fill|stroke)="([^"]*)"', svg)) <= {"currentColor", "none", "white", "black"}
    assert set(re.findall(r"<(\w+)", svg)) <= {"svg", "g", "rect", "ellipse", "path", "polygon", "text", "tspan", "marker", "mask"}


def test_a_figure_without_a_caption_stops_the_build_with_its_line(mini: MiniSite) -> None:
    text = _page(GOOD.replace("caption: The worker and the person, working together.\n", ""))
    mini.write("index.md", text)
    result = mini.build()
    assert result.returncode != 0
    line = text.split("\n").index("```figure") + 1
    assert any(l.startswith(f"docs/index.md:{line}: the figure has no caption") for l in problem_lines(result.stdout)), result.stdout


@pytest.mark.slow
def test_the_handbook_has_at_least_twelve_figures_in_five_sections(site: Path) -> None:
    sections: dict[str, int] = {}
    for html in site.rglob("index.html"):
        rel = html.relative_to(site).as_posix()
        if rel.startswith(("v/", "downloads/")):
            continue
        text = html.read_text(encoding="utf-8")
        count = text.count('<figure class="hb-figure"')
        if count:
            sections[rel.split("/")[0]] = sections.get(rel.split("/")[0], 0) + count
            soup = page(site, rel.removesuffix("index.html"))
            for number, fig in enumerate(soup.select("figure.hb-figure"), 1):
                assert fig.figcaption.get_text(" ", strip=True).startswith(f"Figure {number}. "), rel
                svg = fig.select_one("svg[role=img]")
                assert svg is not None and svg.get("aria-label") and svg.title, rel
                assert svg.find("text") is not None, rel
                assert len(fig.select_one("details.hb-figure-description").get_text(" ", strip=True).split()) > 20, rel
                assert svg_problems(str(svg).encode()) == [], rel
    assert sum(sections.values()) >= 12 and len(sections) >= 5, sections


def test_the_spelling_check_reads_a_figures_words_at_their_lines() -> None:
    from handbook.figures import prose_lines

    lines = prose_lines("intro\n\n" + GOOD)
    assert lines[4].strip() == "The worker and the person, working together."  # line 5: the caption
    assert lines[7].strip() == "Two boxes: the worker and the person (double border)."
    assert lines[3] == "" and all(line == "" for line in lines[9:])  # the id and the drawing are not prose
