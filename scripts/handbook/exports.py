"""Downloads of the bibliography and of each page's citation: BibTeX and RIS.

Downloads are data, never code: a value cannot end its field (BibTeX's braces) or start a
line of its own (RIS reads every line as a new tag), whatever a data file or title holds.
"""

from __future__ import annotations

import re
from typing import Any

import rispy

__all__ = ["to_bibtex", "to_ris", "year_of"]


def year_of(item: dict[str, Any]) -> str:
    """The year an item was issued, or "n.d."."""
    parts = (item.get("issued") or {}).get("date-parts") or []
    return str(parts[0][0]) if parts and parts[0] else "n.d."


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


def _one_line_text(value: Any) -> str:
    """A value on one line: line breaks and other control characters become spaces."""
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", str(value)).strip()


def _tex(value: Any) -> str:
    """A value as BibTeX text: on one line, with braces and backslashes escaped."""
    text = _one_line_text(value).replace("\\", "\x00").replace("{", "\\{").replace("}", "\\}")
    return text.replace("\x00", "\\textbackslash{}")


def to_bibtex(items: list[dict[str, Any]]) -> str:
    """BibTeX for CSL items, written by bibtexparser."""
    # Imported here: a build whose downloads are all kept (handbook.buildcache) never loads bibtexparser.
    from bibtexparser import model as bibmodel
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library

    library = Library()
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
        year = year_of(item)
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
    return write_string(library)


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
        year = year_of(item)
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
    return str(rispy.dumps(records, implementation=_RisWriter))


class _RisWriter(rispy.RisWriter):  # rispy has no type hints: its classes are Any to mypy (pyproject.toml)
    """rispy's writer without its numbered "1." line before each record: the RIS
    specification has none, and reference managers read it as a stray line."""

    def set_header(self, count: int) -> str:
        return ""
