"""The whole handbook as one tagged A4 PDF, laid out by WeasyPrint.

WeasyPrint implements CSS paged media: running heads and page numbers in the page
margins (``string-set``), a contents list whose page numbers come from the links
themselves (``target-counter``), a bookmark outline from the headings, and internal links
that work in any PDF reader. With ``pdf_variant="pdf/ua-1"`` it writes a tagged PDF
(structure tree, reading order, alternative text) with the document's language
(``lang="en-GB"``) and title, as PDF/UA asks. The look is in ``print.css`` beside this file.
"""

from __future__ import annotations

from pathlib import Path

from .content import Book, title_page_html
from ..text import esc

__all__ = ["pdf_href", "write_pdf"]

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
    html.write_pdf(target, stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1",
                   pdf_tags=True, optimize_images=True)
