"""Create a new handbook page from the template and add it to the navigation.

    python3 dev.py new                       asks for each detail
    python3 dev.py new --section roles --slug mediation --title "Mediation" \\
        --author contributors --description "How social workers help people ..."

The page is written to docs/<section>/<slug>.md with valid front matter and the
headings every topic page has, and listed at the end of its section in mkdocs.yml.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path

from handbook.authors import load_authors
from handbook.checks import CONTENT_SECTIONS
from handbook.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def ask(prompt: str, value: str | None, valid: Callable[[str], object], hint: str) -> str:
    while True:
        if value is None:
            if not sys.stdin.isatty():
                raise SystemExit(f"new page: {prompt.lower()} is missing. {hint}")
            value = input(f"{prompt} ({hint}): ").strip()
        problem = valid(value)
        if not problem:
            return value
        if not sys.stdin.isatty():
            raise SystemExit(f"new page: {problem}")
        print(problem)
        value = None


def add_to_nav(config: str, section: str, rel: str) -> str:
    lines = config.split("\n")
    index_line = next((i for i, l in enumerate(lines) if l.strip() == f"- {section}/index.md"), None)
    if index_line is None:
        raise SystemExit(f"new page: the section '{section}' has no '- {section}/index.md' entry in mkdocs.yml's nav.")
    indent = lines[index_line][: len(lines[index_line]) - len(lines[index_line].lstrip())]
    last = index_line
    while last + 1 < len(lines) and lines[last + 1].startswith(indent + "- "):
        last += 1
    lines.insert(last + 1, f"{indent}- {rel}")
    return "\n".join(lines)


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--section", help=f"one of: {', '.join(CONTENT_SECTIONS)}")
    parser.add_argument("--slug", help="the page's address, lower-case words joined by hyphens, e.g. 'mediation'")
    parser.add_argument("--title", help="the page title, e.g. 'Mediation'")
    parser.add_argument("--author", help="an id from docs/data/authors.yml (default: contributors)")
    parser.add_argument("--description", help="one sentence of 50 to 160 characters for search engines")
    args = parser.parse_args(argv)
    docs = root / "docs"
    try:
        authors = load_authors(docs / "data" / "authors.yml")
    except ContentError as error:
        raise SystemExit(f"new page: fix docs/data/authors.yml first:\n{error}") from None

    section = ask("Section", args.section, lambda v: None if v in CONTENT_SECTIONS else
                  f"'{v}' is not a section. Choose one of: {', '.join(CONTENT_SECTIONS)}.", ", ".join(CONTENT_SECTIONS))
    slug = ask("Slug", args.slug, lambda v: (None if SLUG.match(v) else f"'{v}' is not a slug: use lower-case words joined by hyphens, like 'shared-decision-making'.")
               if not (docs / section / f"{v}.md").exists() else f"docs/{section}/{v}.md already exists. Choose another slug, or edit that page.",
               "lower-case words joined by hyphens")
    title = ask("Title", args.title, lambda v: ("The title must be 1 to 90 characters long." if not 0 < len(v) <= 90 else
                "The title is plain text: write quotation marks as “ ” or ‘ ’, and leave out <, >, ` and braces."
                if re.search(r'[<>"`]|\{[{%#]', v) else None), "e.g. Mediation")
    author = ask("Author id", args.author or ("contributors" if not sys.stdin.isatty() else None),
                 lambda v: None if v in authors else f"'{v}' is not in docs/data/authors.yml. Add yourself there first, or use 'contributors'.",
                 "from docs/data/authors.yml; 'contributors' for the collective")
    description = ask("Description", args.description, lambda v: (None if 50 <= len(v) <= 160 else
                      f"The description is {len(v)} characters long; it must be 50 to 160.") if not re.search(r'[<>"`]|\{[{%#]', v) else
                      "The description is plain text: write quotation marks as “ ” or ‘ ’, and leave out <, >, ` and braces.",
                      "one sentence, 50 to 160 characters")

    today = dt.date.today()
    try:
        next_review = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        next_review = today + dt.timedelta(days=365)
    template = (root / "scripts" / "templates" / "page.md").read_text(encoding="utf-8")

    def yaml_text(v: str) -> str:
        return v.replace("\\", "\\\\").replace('"', '\\"')

    text = template.format(title=yaml_text(title), description=yaml_text(description), author=author,
                           date=today.isoformat(), next_review=next_review.isoformat())
    text = text.replace(f"# {yaml_text(title)}\n", f"# {title}\n", 1)
    target = docs / section / f"{slug}.md"
    target.write_text(text, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(add_to_nav(config.read_text(encoding="utf-8"), section, f"{section}/{slug}.md"), encoding="utf-8")
    print(f"Created docs/{section}/{slug}.md and added it to the navigation in mkdocs.yml.")
    print("Next: replace the guidance text, then run `python3 dev.py check` and `python3 dev.py serve` to preview.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
