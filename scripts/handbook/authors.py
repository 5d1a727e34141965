"""The people (and the collective) credited as authors, from ``docs/data/authors.yml``.

Pages name their authors by id; names, ORCID iDs and affiliations live here once.
Only real people who wrote or reviewed a page belong in the file; everything else is
credited to the collective "Client-Centred Practice Handbook contributors".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Problem
from .schema import SLUG_ID
from .yamlsource import load_data_file

__all__ = ["Author", "load_authors", "orcid_is_valid"]

SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id"],
        "properties": {
            "id": SLUG_ID,
            "name": {"type": "string", "minLength": 1},
            "family": {"type": "string", "minLength": 1},
            "given": {"type": "string", "minLength": 1},
            "collective": {"type": "boolean"},
            "orcid": {"type": "string", "pattern": r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$",
                      "description": "an ORCID iD like 0000-0002-1825-0097"},
            "affiliation": {"type": "string"},
            "roles": {"type": "array", "items": {"enum": ["author", "reviewer", "editor", "maintainer"]}},
        },
    },
}


@dataclass(frozen=True)
class Author:
    id: str
    family: str = ""
    given: str = ""
    literal: str = ""
    orcid: str = ""
    affiliation: str = ""
    roles: tuple[str, ...] = ()

    @property
    def collective(self) -> bool:
        return bool(self.literal)

    @property
    def display(self) -> str:
        """As a reader sees it: "Given Family", or the collective name."""
        return self.literal or f"{self.given} {self.family}".strip()

    @property
    def inverted(self) -> str:
        """As reference managers want it: "Family, Given" (a collective stays whole)."""
        return self.literal or f"{self.family}, {self.given}"

    @property
    def highwire(self) -> str:
        """For ``citation_author``: Zotero's Embedded Metadata translator splits a name without
        a comma at its last space ("contributors, Client-Centred ..."); with a trailing comma
        it keeps a collective whole as the family name, with no given name."""
        return f"{self.literal}," if self.literal else self.inverted

    def csl(self) -> dict[str, str]:
        return {"literal": self.literal} if self.literal else {"family": self.family, "given": self.given}


def orcid_is_valid(orcid: str) -> bool:
    """Check an ORCID iD's final character (ISO 7064 MOD 11-2)."""
    digits = orcid.replace("-", "")
    if not re.fullmatch(r"\d{15}[\dX]", digits):
        return False
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def load_authors(path: Path, display: str | None = None) -> dict[str, Author]:
    """Load and validate the authors file; raise :class:`ContentError` with every problem."""
    name = display or str(path)
    data, problems = load_data_file(path, name, SCHEMA, empty=[])
    authors: dict[str, Author] = {}
    if not problems:
        for entry in data:
            line = entry.line
            if entry["id"] in authors:
                problems.append(Problem(name, line, f"the id '{entry['id']}' is used twice. Give each author their own id."))
            if entry.get("collective"):
                if "name" not in entry:
                    problems.append(Problem(name, line, f"the collective '{entry['id']}' needs a 'name'."))
            elif not ("family" in entry and "given" in entry):
                problems.append(Problem(name, line, f"the author '{entry['id']}' needs 'family' and 'given' names (or 'collective: true' and a 'name')."))
            orcid = entry.get("orcid", "")
            if orcid and not orcid_is_valid(orcid):
                problems.append(Problem(name, entry.line_of("orcid"), f"the ORCID iD {orcid} of '{entry['id']}' fails its checksum. Copy it again from orcid.org."))
            authors[entry["id"]] = Author(
                id=entry["id"], family=entry.get("family", ""), given=entry.get("given", ""),
                literal=entry.get("name", "") if entry.get("collective") else "",
                orcid=orcid, affiliation=entry.get("affiliation", ""), roles=tuple(entry.get("roles", ())),
            )
    if problems:
        raise ContentError(problems)
    return authors
