"""Make the books from the strictly built site: ``python3 dev.py build --books`` runs this.

    python scripts/build_books.py [--site site] [--out site/downloads] [--only pdf,epub,offline]

Writes ``client-centred-practice-handbook-<version>.pdf``, ``.epub`` and ``-offline.zip``
into ``--out`` and prints each file's size and the time it took. A problem stops it with
one line naming the file, as the site's build does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from handbook.books.content import book_file_stem, load_book, release_date  # noqa: E402
from handbook.errors import ContentError  # noqa: E402
from handbook.site import handbook_version  # noqa: E402

KINDS = ("pdf", "epub", "offline")


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1_000_000:.1f} MB" if path.stat().st_size >= 100_000 else f"{path.stat().st_size / 1000:.0f} kB"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="site", help="the built site to read (default: site)")
    parser.add_argument("--out", default=None, help="where to write the books (default: <site>/downloads)")
    parser.add_argument("--only", default=",".join(KINDS), help="which books: pdf,epub,offline (default: all)")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        parser.error(f"unknown book {unknown[0]!r}: choose from {', '.join(KINDS)}")
    site_dir = (ROOT / args.site).resolve()
    out = (ROOT / args.out).resolve() if args.out else site_dir / "downloads"
    out.mkdir(parents=True, exist_ok=True)

    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    stem = book_file_stem(handbook_version(ROOT))
    try:
        if "pdf" in kinds:
            from handbook.books.pdf import pdf_href, write_pdf

            start = time.perf_counter()
            target = out / f"{stem}.pdf"
            write_pdf(load_book(ROOT, site_dir, config, pdf_href), site_dir, target)
            print(f"books: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
                  f"({_size(target)}) in {time.perf_counter() - start:.1f} s", flush=True)
        if "epub" in kinds:
            from handbook.books.epub import epub_href, write_epub

            start = time.perf_counter()
            target = out / f"{stem}.epub"
            write_epub(load_book(ROOT, site_dir, config, epub_href), target)
            print(f"books: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
                  f"({_size(target)}) in {time.perf_counter() - start:.1f} s", flush=True)
        if "offline" in kinds:
            from handbook.books.offline import write_offline

            start = time.perf_counter()
            target = out / f"{stem}-offline.zip"
            write_offline(ROOT, target, release_date(ROOT))
            print(f"books: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
                  f"({_size(target)}) in {time.perf_counter() - start:.1f} s", flush=True)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
