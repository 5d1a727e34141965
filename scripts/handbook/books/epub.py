"""The whole handbook as an EPUB 3, packed by EbookLib.

EbookLib writes the package document, the EPUB 3 navigation document (with an NCX for
older readers) and the container from Python objects, so the handbook gives it only what
is its own: a title page like the PDF's, one XHTML document per page in the navigation's
order (the spine), the table of contents nested as the navigation is, the metadata
(title, language en-GB, version, date, licence) and a small stylesheet. Debian's
``epubcheck`` checks the result in the tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .content import Book, Chapter, title_page_html
from ..text import esc

__all__ = ["epub_href", "write_epub"]

#: SVG attributes whose names have capitals (HTML parsers lower-case them; XHTML does not).
SVG_ATTRIBUTES = ("viewBox", "markerWidth", "markerHeight", "markerUnits", "maskUnits", "refX", "refY",
                  "preserveAspectRatio")

STYLESHEET = Path(__file__).with_name("epub.css")


def chapter_file(key: str) -> str:
    return f"{key}.xhtml"


def epub_href(key: str, anchor: str) -> str:
    """Each page is a document of its own: ``relationship-trust.xhtml#relationship-trust--empathy``."""
    return chapter_file(key) + (f"#{anchor}" if anchor else "")


def svg_case(xhtml: bytes) -> bytes:
    """SVG attribute names with their capitals back (only inside attribute lists: `` name="``)."""
    for name in SVG_ATTRIBUTES:
        xhtml = xhtml.replace(f' {name.lower()}="'.encode(), f' {name}="'.encode())
    return xhtml


def write_epub(book: Book, target: Path) -> None:
    from ebooklib import epub  # imported here: only the books need it

    out = epub.EpubBook()
    out.set_identifier(f"{book.site_url}#version-{book.version}")
    out.set_title(book.title)
    out.set_language("en-GB")
    out.add_author(book.authors)
    out.add_metadata("DC", "description", book.description)
    out.add_metadata("DC", "date", book.released)
    out.add_metadata("DC", "publisher", book.authors)
    out.add_metadata("DC", "rights", f"{book.licence_name} {book.licence_url}".strip())
    out.add_metadata("DC", "source", book.site_url)
    out.add_metadata(None, "meta", f"Version {book.version}", {"property": "schema:version"})
    out.add_metadata(None, "meta", "", {"name": "generator", "content": f"{book.title} (EbookLib)"})
    # Accessibility metadata (EPUB Accessibility 1.1), as epubcheck and Ace read it.
    for prop, value in (("schema:accessMode", "textual"), ("schema:accessModeSufficient", "textual"),
                        ("schema:accessibilityFeature", "structuralNavigation"),
                        ("schema:accessibilityFeature", "tableOfContents"),
                        ("schema:accessibilityHazard", "none"),
                        ("schema:accessibilitySummary",
                         "The text of the handbook's web pages, with headings, a table of contents and links.")):
        out.add_metadata(None, "meta", value, {"property": prop})

    style = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                          content=STYLESHEET.read_bytes())
    out.add_item(style)

    title_page = epub.EpubHtml(uid="title-page", file_name="title.xhtml", title="Title page", lang="en-GB")
    title_page.content = f"<section>{title_page_html(book)}</section>"
    title_page.add_item(style)
    out.add_item(title_page)

    class Document(epub.EpubHtml):
        """A page as XHTML, with its figures' SVG as SVG: EbookLib reads pages with an HTML parser,
        which lower-cases attribute names (viewbox), and XHTML keeps case."""

        def get_content(self, default: bytes | None = None) -> bytes:
            return svg_case(super().get_content(default))

    docs: list[tuple[Chapter, epub.EpubHtml]] = []
    images: dict[str, Path] = {}
    for chapter in book.chapters:
        doc = Document(uid=f"p-{chapter.key}", file_name=chapter_file(chapter.key), title=chapter.title, lang="en-GB")
        if "<svg" in chapter.body:
            doc.properties.append("svg")  # the package document declares inline SVG
        doc.content = (f'<section class="bk-chapter bk-depth-{chapter.depth}" aria-labelledby="{esc(chapter.key)}">'
                       f"{chapter.body}</section>")
        doc.add_item(style)
        out.add_item(doc)
        docs.append((chapter, doc))
        images.update(chapter.images)
    for rel, file in sorted(images.items()):
        out.add_item(epub.EpubImage(uid="img-" + rel.replace("/", "-"), file_name=rel, content=file.read_bytes()))

    toc: list = []
    for chapter, doc in docs:
        link = epub.Link(doc.file_name, chapter.title, f"toc-{chapter.key}")
        if chapter.depth == 0:
            toc.append(link)
        elif toc and isinstance(toc[-1], tuple):
            toc[-1][1].append(link)
        else:  # the section's first page becomes the heading of its pages in the contents
            opener = toc.pop()
            toc.append((epub.Section(opener.title, opener.href), [link]))
    out.toc = toc
    nav = epub.EpubNav(title="Contents")
    out.add_item(nav)
    out.add_item(epub.EpubNcx())
    out.spine = [title_page, "nav", *[doc for _, doc in docs]]
    # dcterms:modified is the release date, so that the same release makes the same book.
    epub.write_epub(str(target), out, {"epub3_pages": False, "mtime": dt.datetime.fromisoformat(book.released)})
