"""Check the handbook's pages without building the site.

    python3 dev.py check                      every page and data file
    python3 dev.py check docs/roles/advocacy.md

Prints each problem as ``file:line: what is wrong. How to fix it.`` (and, on GitHub, as
an annotation on the pull request's diff), then a summary with each page's readability.
Exits 1 if any problem is an error; warnings and notices are advice.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from handbook.buildcache import committed_caches
from handbook.configcheck import config_problems
from handbook.errors import format_problems
from handbook.files import file_problems, is_fatal

ROOT = Path(__file__).resolve().parent.parent


def readability(path: Path) -> float:
    import textstat

    from handbook.checks import body_lines, prose_of

    lines, _ = body_lines(path.read_text(encoding="utf-8"))
    return textstat.flesch_reading_ease(" ".join(prose_of(line) for line in lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="pages to check (default: all)")
    parser.add_argument("--no-spelling", action="store_true", help="skip the spelling check")
    parser.add_argument("--preflight", action="store_true",
                        help="check mkdocs.yml and the files' kinds alone (dev.py does this before MkDocs or Zensical reads them)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.preflight:
        problems = config_problems(root) + [p for p in file_problems(root, root / "docs") if is_fatal(p)] + committed_caches(root)
        if problems:
            print(format_problems(problems))
            print("\nNothing was built: fix the lines above first.")
        return 1 if problems else 0
    from handbook.checks import body_lines, prose_of, run_checks
    from handbook.site import load_handbook
    from handbook.standard import kind_of, page_summary

    handbook = load_handbook(root, root / "docs")
    problems = committed_caches(root) + run_checks(handbook, args.paths or None, spelling=not args.no_spelling)
    if problems:
        print(format_problems(problems))
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    notices = len(problems) - errors - warnings
    pages = args.paths or sorted((root / "docs").rglob("*.md"))
    print("\nEach page at a glance (words of body, distinct sources, glossary terms linked, and readability: Flesch "
          "reading ease, where 30-50 is usual for university texts and higher is easier):")
    for page in pages:
        if page.suffix == ".md" and page.exists():
            rel = page.resolve().relative_to(handbook.docs_dir).as_posix()
            text = page.read_text(encoding="utf-8")
            lines, _ = body_lines(text)
            summary = page_summary(kind_of(rel, text), lines, [prose_of(line) for line in lines],
                                   handbook.usage.refs_by_page.get(rel, []), handbook.usage.terms_by_page.get(rel, []))
            print(f"  {page.resolve().relative_to(root)}: {summary.words:,} words, {summary.sources} sources, "
                  f"{summary.terms} terms, readability {readability(page):.0f}")
    if not args.no_spelling and shutil.which("aspell") is None:
        print("\nSpelling was not checked: install aspell and its British English dictionary "
              "(Debian: `sudo apt-get install aspell aspell-en`) to check it here, as the pull request's checks do.")
    print(f"\n{errors} error(s), {warnings} warning(s), {notices} notice(s).")
    if errors:
        print("Fix the errors above; each line says where and how. Warnings and notices are advice.")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
