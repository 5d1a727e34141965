"""The glossary: one YAML file of terms, validated once, linked from pages with ``term()``.

Each entry has a stable id (also its anchor on ``/glossary/``), the term as shown, a
definition in the handbook's own words, aliases, related terms and sources. Pages link
a term with ``{{ term("id") }}``; the link carries the definition for readers (see
``docs/assets/javascripts/handbook.js``) and still leads to the entry without JavaScript.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable

from .errors import ContentError, Problem
from .text import did_you_mean, esc
from .yamlsource import LineDict, load_data_file

__all__ = ["Term", "Glossary", "load_glossary", "GLOSSARY_PAGE", "TERM_LINK_RE", "definitions_html", "term_link_markdown"]

_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID_HINT = "lower-case words joined by hyphens, like 'cultural-humility'"

GLOSSARY_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "term", "definition"],
        "properties": {
            "id": {"type": "string", "pattern": _ID, "description": _ID_HINT},
            "term": {"type": "string", "minLength": 1},
            "definition": {"type": "string", "minLength": 1},
            "aliases": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "related": {"type": "array", "items": {"type": "string", "pattern": _ID, "description": _ID_HINT}},
            "sources": {"type": "array", "items": {"type": "string"}},
        },
    },
}


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    line: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        """Every wording that names this term: the term itself and its aliases."""
        return (self.term, *self.aliases)


@dataclass
class Glossary:
    """All terms, by id, with lookup by id or by any wording."""

    terms: dict[str, Term]
    path: str = "docs/data/glossary.yml"
    _by_name: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for term in self.terms.values():
            for name in term.names:
                self._by_name.setdefault(name.casefold(), term.id)

    def resolve(self, key: str) -> Term | None:
        """A term by its id, or by its wording or an alias (any case)."""
        if key in self.terms:
            return self.terms[key]
        term_id = self._by_name.get(key.casefold())
        return self.terms.get(term_id) if term_id else None

    def unknown_message(self, key: str) -> str:
        """The sentence for an unknown term, with the nearest id as a suggestion."""
        candidates = list(self.terms) + list(self._by_name)
        hint = did_you_mean(key, candidates)
        if hint:
            guess = hint.split("'")[1]
            resolved = self.resolve(guess)
            if resolved:
                hint = f" Did you mean '{resolved.id}'?"
        return f"unknown glossary term '{key}'.{hint or ' Add it to docs/data/glossary.yml first.'}"

    def sorted_terms(self) -> list[Term]:
        return sorted(self.terms.values(), key=lambda t: (t.term.casefold(), t.id))

    # Downloads ------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(
            [{"id": t.id, "term": t.term, "definition": t.definition, "aliases": list(t.aliases),
              "related": list(t.related), "sources": list(t.sources)} for t in self.sorted_terms()],
            ensure_ascii=False, indent=2,
        ) + "\n"

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", "term", "definition", "aliases", "related", "sources"])
        for t in self.sorted_terms():
            writer.writerow([_cell(v) for v in (t.id, t.term, t.definition, "; ".join(t.aliases), "; ".join(t.related), "; ".join(t.sources))])
        return buffer.getvalue()


def _cell(value: str) -> str:
    """A CSV cell that spreadsheets read as text: one starting with = + - @ (a formula to them) gets a
    leading apostrophe, the mark spreadsheets themselves use for "this is text" (OWASP's advice)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def load_glossary(path: Path, reference_ids: Iterable[str] | None = None, display: str | None = None) -> Glossary:
    """Load and validate the glossary file. Raises :class:`ContentError` listing every problem."""
    name = display or str(path)
    data, problems = load_data_file(path, name, GLOSSARY_SCHEMA, empty=[], label=_label)
    if problems:
        raise ContentError(problems)

    terms: dict[str, Term] = {}
    owner_of_name: dict[str, str] = {}
    for entry in data:
        term_id = entry["id"]
        if term_id in terms:
            problems.append(Problem(name, entry.line_of("id"), f"the id '{term_id}' is used twice (first at line {terms[term_id].line}). Each term needs its own id."))
            continue
        if not entry["definition"].strip():
            problems.append(Problem(name, entry.line_of("definition"), f"the term '{term_id}' has an empty definition. Write one to three sentences."))
        for wording in [entry["term"], *entry.get("aliases", [])]:
            key = wording.casefold()
            if key in owner_of_name and owner_of_name[key] != term_id:
                field_name = "term" if wording == entry["term"] else "aliases"
                problems.append(Problem(name, entry.line_of(field_name), f"'{wording}' (in '{term_id}') already names the term '{owner_of_name[key]}'. A wording can belong to one term only."))
            owner_of_name.setdefault(key, term_id)
        terms[term_id] = Term(
            id=term_id, term=entry["term"], definition=" ".join(entry["definition"].split()),
            aliases=tuple(entry.get("aliases", [])), related=tuple(entry.get("related", [])),
            sources=tuple(entry.get("sources", [])), line=entry.line,
        )
    known_refs = set(reference_ids) if reference_ids is not None else None
    for entry in data:
        term_id = entry["id"]
        for rel in entry.get("related", []):
            if rel not in terms:
                problems.append(Problem(name, entry.line_of("related"), f"the term '{term_id}' lists a related term '{rel}' that does not exist.{did_you_mean(rel, terms)}"))
            elif rel == term_id:
                problems.append(Problem(name, entry.line_of("related"), f"the term '{term_id}' lists itself as related. Remove it."))
        if known_refs is not None:
            for key in entry.get("sources", []):
                if key not in known_refs:
                    problems.append(Problem(name, entry.line_of("sources"), f"the term '{term_id}' cites an unknown reference '{key}'.{did_you_mean(key, known_refs) or ' Add it to docs/data/references.json first.'}"))
    if problems:
        raise ContentError(problems)
    return Glossary(terms=terms, path=name)


def _label(data: list, line: int | None) -> str:
    """'the term 'x': ' for the entry a line falls in, to make messages self-explaining."""
    best = None
    for entry in data if isinstance(data, list) else []:
        if isinstance(entry, LineDict) and line and entry.line <= line:
            best = entry
    if best is not None and isinstance(best.get("id"), str):
        return f"in the term '{best['id']}', "
    return ""


def term_link_markdown(term: Term, text: str, target: str) -> str:
    """The inline link a page shows for a term; the definition is attached by id.

    Written as a Markdown link to the glossary's source file (with attr_list attributes),
    so MkDocs and Zensical both turn it into the right URL, and MkDocs checks the anchor.
    """
    # The wording comes from a page or the glossary: HTML in it is shown as text, and brackets
    # cannot end the link early.
    label = html.escape(text, quote=False).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return (f'[{label}]({target}#{term.id}){{ .hb-term data-term="{term.id}" '
            f'aria-describedby="hb-def-{term.id}" }}')


#: The glossary's page in docs/ (its URL is fixed: IA.md).
GLOSSARY_PAGE = "glossary/index.md"

TERM_LINK_RE = re.compile(r'data-term="([a-z0-9-]+)"')


def definitions_html(glossary: Glossary, term_ids: Iterable[str], glossary_url: str | None = None) -> str:
    """The hidden definitions a page's term links point at (one per term, in page order).

    ``glossary_url`` is the glossary page's address relative to this page, written out here
    because raw HTML addresses are not rewritten alike by MkDocs and Zensical; crawlers then
    find a real link (handbook.js also copies the term link's address onto it).
    """
    def href(term_id: str) -> str:
        return f' href="{esc(glossary_url)}#{esc(term_id)}"' if glossary_url else ""

    items = []
    for term_id in dict.fromkeys(term_ids):
        term = glossary.terms.get(term_id)
        if term is None:
            continue
        items.append(
            f'<span class="hb-tip" role="tooltip" id="hb-def-{esc(term.id)}">'
            f'<strong class="hb-tip__term">{esc(term.term)}</strong> '
            f'<span class="hb-tip__def">{esc(term.definition)}</span> '
            f'<a class="hb-tip__more"{href(term.id)} tabindex="-1">Glossary entry</a></span>'
        )
    if not items:
        return ""
    return '<div class="hb-defs" hidden data-search-exclude>' + "".join(items) + "</div>"
