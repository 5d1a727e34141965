"""The whole handbook as one tagged A4 PDF, laid out by WeasyPrint.

WeasyPrint implements CSS paged media: running heads and page numbers in the page
margins (``string-set``), a contents list whose page numbers come from the links
themselves (``target-counter``), a bookmark outline from the headings, and internal links
that work in any PDF reader. With ``pdf_variant="pdf/ua-1"`` it writes a tagged PDF
(structure tree, reading order, alternative text) with the document's language
(``lang="en-GB"``) and title, as PDF/UA asks. The look is in ``print.css`` beside this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .content import Book, title_page_html
from ..text import esc

__all__ = ["page_references_kept", "pdf_href", "write_pdf"]

STYLESHEET = Path(__file__).with_name("print.css")


def pdf_href(key: str, anchor: str) -> str:
    """Inside one document every page and section is an anchor of its own."""
    return f"#{anchor or key}"


def _contents(book: Book) -> str:
    rows = "".join(
        f'<li class="bk-toc-{c.depth}"><a href="{esc(pdf_href(c.key, ""))}">{esc(c.title)}</a></li>'
        for c in book.chapters
    )
    return (f'<nav class="bk-contents" aria-labelledby="bk-contents-title"><h1 id="bk-contents-title">Contents</h1>'
            f'<ol>{rows}</ol></nav>')


def book_html(book: Book) -> str:
    """The whole book as one HTML document: front matter, contents, then every page."""
    chapters = "\n".join(
        f'<section class="bk-chapter bk-depth-{c.depth}" aria-labelledby="{esc(c.key)}">{c.body}</section>'
        for c in book.chapters
    )
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{esc(book.title)}, version {esc(book.version)}</title>
<meta name="author" content="{esc(book.authors)}">
<meta name="description" content="{esc(book.description)}">
<meta name="dcterms.created" content="{esc(book.released)}">
<meta name="generator" content="{esc(book.title)} (WeasyPrint)">
</head>
<body>
{title_page_html(book)}
{_contents(book)}
{chapters}
</body>
</html>"""


def write_pdf(book: Book, site_dir: Path, target: Path) -> None:
    from weasyprint import CSS, HTML  # imported here: only the books need it

    html = HTML(string=book_html(book), base_url=str(site_dir) + "/")
    with page_references_kept():
        html.write_pdf(target, stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1",
                       pdf_tags=True, optimize_images=True)


def _kept_page_references(pdf: Any) -> tuple[bytes, ...]:
    """pydyf's ``PDF.page_references``, made again only when a page has been added since it was last read."""
    kids = pdf.pages["Kids"]  # three items a page: its object number, 0, "R"
    kept = pdf.__dict__.get("_handbook_page_references")
    if kept is None or kept[0] != len(kids):
        kept = pdf.__dict__["_handbook_page_references"] = (len(kids), tuple(f"{n} 0 R".encode("ascii") for n in kids[::3]))
    return kept[1]


@contextmanager
def page_references_kept() -> Iterator[None]:
    """While the PDF is written, pydyf keeps the list of its pages' references instead of making it at each read.

    pydyf (0.13) makes the list anew whenever it is read, and WeasyPrint's PDF/UA tagging reads it once for
    each tagged box: about 58,000 times for the handbook's 460 pages, an eighth of the PDF's time (43 to 37.5
    CPU seconds). The PDF is the same, byte for byte (tests/test_books.py holds the two lists equal)."""
    import pydyf

    original = pydyf.PDF.page_references
    pydyf.PDF.page_references = property(_kept_page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original
