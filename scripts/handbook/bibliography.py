"""The handbook's citations: reference lists, in-text citations and each page's own citation.

citeproc-js formats everything (:mod:`handbook.csl`): title casing, names and initials,
et al., year suffixes, quotation marks and punctuation are the style's, as Zotero prints
them. What this module adds is the handbook's own, each rule small and named with its
reason: how a list is cut from the whole bibliography, and a few house rules for what a
style does not express (:func:`_house_rules`). Formatted text is kept in the
:class:`~handbook.formatcache.FormatCache`, keyed by everything that produced it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .csl import fingerprint, format_bibliography, format_citations, format_entry, text_cases
from .exports import to_bibtex, to_ris, year_of
from .formatcache import FormatCache, cache_for, content_key
from .text import did_you_mean, esc, plain_text

__all__ = ["LOCATOR_RE", "Bibliography", "Locator", "standalone_entry"]

#: Numbered styles: a list numbers its entries in the order the page cites them.
SEQUENCE_STYLES = frozenset({"vancouver"})
#: Fields the handbook keeps for its own records and the downloads, not for print: notes are
#: for editors, and NLM would print PubMed ids the other styles leave out.
_NOT_PRINTED = ("custom", "note", "ISBN", "ISSN", "PMID", "PMCID")


class Locator(NamedTuple):
    label: str        # a CSL locator label: "page", "chapter", "section", ...
    identifier: str   # "96", "95–103", "17(4A)"


_LOCATOR_LABELS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page", "ch": "chapter", "chap": "chapter",
    "chapter": "chapter", "s": "section", "ss": "section", "sec": "section", "section": "section",
    "para": "paragraph", "paras": "paragraph", "paragraph": "paragraph", "fig": "figure",
}
LOCATOR_RE = re.compile(r"^(p|pp|page|pages|ch|chap|chapter|s|ss|sec|section|para|paras|paragraph|fig)(?:\.\s*|\s+)((?:\d|[ivxlc]+\b)\S*.*)$")


def _parse_locator(text: str) -> Locator | None:
    """``"p. 96"`` -> a page locator; ``None`` if the text is not a locator."""
    match = LOCATOR_RE.match(text.strip())
    if not match:
        return None
    return Locator(_LOCATOR_LABELS[match.group(1)], match.group(2).replace("-", "\u2013"))


def _for_engine(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in _NOT_PRINTED}


@dataclass
class Bibliography:
    """Every reference by id, formatted in the offered styles as one list (so year suffixes,
    initials and added names tell works apart across the whole handbook)."""

    items: dict[str, dict[str, Any]]
    lines: dict[str, int] = field(default_factory=dict)
    path: str = "docs/data/references.json"
    cache: FormatCache = field(default_factory=lambda: cache_for(None), repr=False)

    def __post_init__(self) -> None:
        self._engine_items = [_for_engine(item) for item in self.items.values()]
        self._digest = content_key("items", self._engine_items)
        self._memo: dict[tuple[Any, ...], Any] = {}

    def unknown_message(self, key: str) -> str:
        hint = did_you_mean(key, self.items)
        return f"unknown citation key '{key}'.{hint or ' Add the source to docs/data/references.json first.'}"

    def _once(self, memo_key: tuple[Any, ...], cache_key: Callable[[], str], make: Callable[[], Any]) -> Any:
        """The value for ``memo_key``: from this build's memory, else the cache, else ``make()``."""
        if memo_key in self._memo:
            return self._memo[memo_key]
        key = cache_key()
        value = self.cache.get(key)
        if value is None:
            value = self.cache.put(key, make())
        self._memo[memo_key] = value
        return value

    # Reference lists -------------------------------------------------------------------
    def _list(self, style: str) -> dict[str, Any]:
        """The whole bibliography in ``style``: ``{"order": [ids], "entries": {id: html}}``."""
        def make() -> dict[str, Any]:
            order, entries = format_bibliography(style, self._engine_items)
            return {"order": order, "entries": entries}

        return dict(self._once(("list", style), lambda: content_key("list", fingerprint(style), self._digest), make))

    def entries(self, keys: Iterable[str], style: str = "apa") -> list[tuple[str, str]]:
        """``(key, html)`` for each key: author-date styles in the style's own order, numbered
        styles in the order given, numbered from 1 (a page's list is a list of its own)."""
        wanted = [k for k in dict.fromkeys(keys) if k in self.items]
        if not wanted:
            return []
        whole = self._list(style)
        if style not in SEQUENCE_STYLES:
            position = {key: index for index, key in enumerate(whole["order"])}
            wanted.sort(key=position.__getitem__)
        out = []
        for number, key in enumerate(wanted, 1):
            text = whole["entries"][key]
            if style in SEQUENCE_STYLES:
                text = re.sub(r"^\d+\.\s*", f"{number}. ", text, count=1)
            out.append((key, _house_rules(text, style, self.items[key])))
        return out

    def entry(self, key: str, style: str = "apa") -> str:
        return self.entries([key], style)[0][1]

    def entry_text(self, key: str, style: str = "apa") -> str:
        """A reference as plain text (for copying and for metadata)."""
        return plain_text(self.entry(key, style))

    # In-text citations (APA 7) -------------------------------------------------------------
    def _cluster(self, key: str, locator: Locator | None, mode: str | None = None) -> str:
        """citeproc-js's APA citation of one work, e.g. '(Rogers, 1957, p. 96)'; ``mode`` is
        "author-only" or "suppress-author" for the two halves of a narrative citation."""
        cite: dict[str, Any] = {"id": key}
        if locator:
            cite.update(locator=locator.identifier, label=locator.label)
        if mode:
            cite[mode] = True
        return str(self._once(("cite", key, locator, mode), lambda: content_key("cite", fingerprint("apa"), self._digest, cite),
                              lambda: format_citations("apa", self._engine_items, [cite])[0]))

    def _locator(self, locator: str | None) -> Locator | None:
        loc = _parse_locator(locator) if locator else None
        if locator and loc is None:
            raise ValueError(f"'{locator}' is not a locator like 'p. 96', 'pp. 95-103', 'ch. 3' or 's. 67'")
        return loc

    def cite(self, refs: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
        """Parenthetical pieces: ``[(key, "Rogers, 1957, p. 96"), ...]`` (caller adds the brackets)."""
        out = []
        for key, locator in refs:
            loc = self._locator(locator)
            if self.items[key]["type"] == "legislation":
                out.append((key, ", ".join(p for p in _act(self.items[key], loc) if p)))
            else:
                out.append((key, _unbracket(self._cluster(key, loc))))
        return out

    def citet(self, key: str, locator: str | None = None) -> tuple[str, str]:
        """Narrative pieces: ``("Tervalon and Murray-García", "1998")``."""
        loc = self._locator(locator)
        if self.items[key]["type"] == "legislation":
            return _act(self.items[key], loc)
        authors = self._cluster(key, None, "author-only")
        if "NO_PRINTED_FORM" in authors:  # nothing stands where an author would (a court case):
            bare, full = _unbracket(self._cluster(key, None)), _unbracket(self._cluster(key, loc))
            head = bare.rpartition(", ")[0]  # the citation before its date
            return head, full[len(head) + 2:]
        # APA 7 (8.17): "and" in a narrative citation, "&" in brackets. The CSL style has one
        # form for both, and citeproc-js 2.4.63 renders no narrative form of its own.
        return authors.replace(" &amp; ", " and "), _unbracket(self._cluster(key, loc, "suppress-author"))

    # Downloads ---------------------------------------------------------------------
    def to_bibtex(self, keys: Iterable[str] | None = None) -> str:
        return to_bibtex([self.items[k] for k in (keys or sorted(self.items))])

    def to_ris(self, keys: Iterable[str] | None = None) -> str:
        return to_ris([self.items[k] for k in (keys or sorted(self.items))])

    def to_json(self) -> str:
        return json.dumps(list(self.items.values()), ensure_ascii=False, indent=2) + "\n"


def _unbracket(text: str) -> str:
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text


def _act(item: dict[str, Any], locator: Locator | None) -> tuple[str, str]:
    """A UK Act in the text, as UK practice cites it: its short title, which already holds the
    year, and the section ("Care Act 2014, s. 67"). APA's style cites statutes as US law
    ("Care Act 2014, 2014, §§ 35–41")."""
    if not locator:
        return esc(item["title"]), ""
    short = {"page": "p.", "chapter": "ch.", "section": "s.", "paragraph": "para.", "figure": "fig."}[locator.label]
    # Plural only for a range or a list ("ss. 1-3", "pp. 4, 9"), not for "s. 17(4A)".
    if locator.label in ("page", "section", "paragraph") and re.search(r"\w\s*(?:[-\u2013,&]|\band\b)\s*\w", locator.identifier):
        short = {"page": "pp.", "section": "ss.", "paragraph": "paras."}[locator.label]
    return esc(item["title"]), f"{short} {esc(locator.identifier)}"


def _house_rules(text: str, style: str, item: dict[str, Any]) -> str:
    """What the handbook's references add to the style, each for a reason the style's CSL
    file cannot express (each has a test in tests/test_bibliography.py)."""
    if style == "apa":
        # APA 7 (9.24): a publisher that is also the author is left out.
        if item.get("publisher") and item["publisher"] in {n.get("literal") for n in item.get("author", [])}:
            publisher = re.escape(esc(item["publisher"]))
            text = re.sub(rf"(</i>\.|\.) {publisher}\.(?= |$)", r"\1", text, count=1)
        # APA 7 (9.16): "Retrieved" goes only with a retrieval date; without one, the URL alone.
        text = re.sub(r"\bRetrieved (?=<a href=)", "", text)
    # UK legislation: APA and Chicago print it as US public law ("Pub. L. No. C. 23 (2014)"),
    # and Cite Them Right's CSL file as "Care Act 2014 (2014)" without the chapter, where its
    # manual has "Title of Act including year and chapter (in italics)" (9th edition, as quoted by
    # Brunel University London's library: libanswers.brunel.ac.uk/faq/13878). Written as
    # UK practice cites an Act: "Care Act 2014, c. 23. URL" (APA), "Care Act 2014. 2014.
    # c. 23. URL." (Chicago) and "<i>Care Act 2014, c. 23</i>. Available at: URL." (Harvard).
    if item.get("type") == "legislation" and style in ("apa", "chicago", "harvard"):
        text = _uk_act(item, style)
    # Cite Them Right calls a journal article without volume or pages a "[Preprint]"; here it
    # is an article whose volume and pages are not yet confirmed, and no preprint.
    if style == "harvard" and item.get("type") == "article-journal" and item.get("genre") != "preprint":
        text = text.replace(" [Preprint]", "")
    return text


def _uk_act(item: dict[str, Any], style: str) -> str:
    title = esc(item["title"])
    number = esc(str(item["number"])) if item.get("number") else ""
    link = f'<a href="{esc(item["URL"])}">{esc(item["URL"])}</a>' if item.get("URL") else ""
    if style == "apa":
        return f"{title}{', ' + number if number else ''}." + (f" {link}" if link else "")
    if style == "chicago":
        return f"{title}. {year_of(item)}." + (f" {number}." if number else "") + (f" {link}." if link else "")
    return f"<i>{title}{', ' + number if number else ''}</i>." + (f" Available at: {link}." if link else "")


#: Pages differ in title and address only, so the style formats a probe item once for the
#: parts pages share (authors, date, version), and each page's title goes in its place, in the
#: text-case citeproc-js applied to the probe (:func:`handbook.csl.text_cases`: its own code).
#: Only titles of plain words take this path; any other takes citeproc-js's full one.
#: tests/test_csl.py checks that both paths give the same text.
_PROBE_TITLE = "hbq of Hbz: of HBQ"
_PROBE_URL = "https://hb-probe.invalid/page/"
_PLAIN_TITLE = re.compile(r"^[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+|: [A-Za-z0-9]+)*$")
_PLAIN_URL = re.compile(r"^https?://[\w.~:/%-]+$")


def _formatted(cache: FormatCache, style: str, engine_item: dict[str, Any]) -> str:
    key = content_key("entry", fingerprint(style), engine_item)
    text = cache.get(key)
    return str(text if text is not None else cache.put(key, format_entry(style, engine_item)))


def _through_probe(cache: FormatCache, style: str, engine_item: dict[str, Any]) -> str | None:
    """The entry made from the probe's, or ``None`` if the probe cannot tell how the title is cased."""
    title, url = engine_item["title"], engine_item.get("URL")
    probe = _formatted(cache, style, {**engine_item, "title": _PROBE_TITLE, **({"URL": _PROBE_URL} if url else {})})
    key = content_key("cases", fingerprint(style), [_PROBE_TITLE, title])
    cases = cache.get(key) or cache.put(key, text_cases(style, [_PROBE_TITLE, title]))
    shown = {cases[1][case] for case, text in cases[0].items() if probe.count(text) == 1}
    if len(shown) != 1 or probe.count(_PROBE_URL) != (2 if url else 0):
        return None
    probe_text = next(text for case, text in cases[0].items() if cases[1][case] in shown and probe.count(text) == 1)
    return probe.replace(probe_text, shown.pop()).replace(_PROBE_URL, url or "")


def standalone_entry(item: dict[str, Any], style: str, cache: FormatCache | None = None) -> str:
    """The reference of one item that no list shares, as HTML (a page's own citation)."""
    cache = cache or cache_for(None)
    engine_item = _for_engine(item)
    text = None
    if _PLAIN_TITLE.match(engine_item.get("title", "")) and _PLAIN_URL.match(engine_item.get("URL", "https://x/")):
        text = _through_probe(cache, style, engine_item)
    return _house_rules(text if text is not None else _formatted(cache, style, engine_item), style, item)
