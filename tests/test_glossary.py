"""The glossary data: loading, validation messages, resolution and downloads."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from handbook.errors import ContentError
from handbook.glossary import load_glossary

GOOD = """\
- id: empathy
  term: empathy
  aliases: [empathic understanding]
  definition: Understanding another person's world as if it were your own.
  related: [congruence]
  sources: [rogers1957]
- id: congruence
  term: congruence
  definition: Being genuine in the relationship.
  related: [empathy]
"""


def load(tmp_path: Path, text: str, refs=("rogers1957",)):
    path = tmp_path / "glossary.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_glossary(path, refs, "docs/data/glossary.yml")


def messages(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        load(tmp_path, text)
    return [str(p) for p in info.value.problems]


def test_the_handbook_glossary_loads_and_covers_the_subject() -> None:
    refs = json.loads((ROOT / "docs/data/references.json").read_text())
    glossary = load_glossary(ROOT / "docs/data/glossary.yml", [r["id"] for r in refs])
    assert len(glossary.terms) >= 45
    for needed in ("client-system", "service-user", "expert-by-experience", "involuntary-client", "empowerment",
                   "case-advocacy", "cause-advocacy", "self-determination", "active-listening", "congruence",
                   "unconditional-positive-regard", "cultural-humility", "dual-relationship", "safeguarding",
                   "informed-consent", "intersectionality", "core-conditions", "co-production", "mental-capacity",
                   "wellbeing-principle", "therapeutic-alliance", "relationship-based-practice"):
        assert needed in glossary.terms
    for term in glossary.terms.values():
        assert 1 <= term.definition.count(". ") + 1 <= 4, term.id


def test_resolves_ids_terms_and_aliases_in_any_case(tmp_path: Path) -> None:
    glossary = load(tmp_path, GOOD)
    assert glossary.resolve("empathy").id == "empathy"
    assert glossary.resolve("Empathic Understanding").id == "empathy"
    assert glossary.resolve("sympathy") is None


def test_unknown_term_message_suggests_the_nearest_id(tmp_path: Path) -> None:
    glossary = load(tmp_path, GOOD)
    assert glossary.unknown_message("empathi") == "unknown glossary term 'empathi'. Did you mean 'empathy'?"
    assert glossary.unknown_message("empathic understandin") == "unknown glossary term 'empathic understandin'. Did you mean 'empathy'?"
    assert glossary.unknown_message("zzz") == "unknown glossary term 'zzz'. Add it to docs/data/glossary.yml first."


def test_duplicate_id(tmp_path: Path) -> None:
    assert messages(tmp_path, GOOD + "- id: empathy\n  term: empathy again\n  definition: Twice.\n") == [
        "docs/data/glossary.yml:11: the id 'empathy' is used twice (first at line 1). Each term needs its own id."
    ]


def test_duplicate_alias(tmp_path: Path) -> None:
    assert messages(tmp_path, GOOD + "- id: genuineness\n  term: genuineness\n  aliases: [Empathic understanding]\n  definition: Being real.\n") == [
        "docs/data/glossary.yml:13: 'Empathic understanding' (in 'genuineness') already names the term 'empathy'. A wording can belong to one term only."
    ]


def test_related_term_that_does_not_exist(tmp_path: Path) -> None:
    assert messages(tmp_path, GOOD.replace("related: [congruence]", "related: [congruense]")) == [
        "docs/data/glossary.yml:5: the term 'empathy' lists a related term 'congruense' that does not exist. Did you mean 'congruence'?"
    ]


def test_unknown_citation_key(tmp_path: Path) -> None:
    assert messages(tmp_path, GOOD.replace("sources: [rogers1957]", "sources: [rogers1975]")) == [
        "docs/data/glossary.yml:6: the term 'empathy' cites an unknown reference 'rogers1975'. Did you mean 'rogers1957'?"
    ]


def test_empty_definition(tmp_path: Path) -> None:
    assert messages(tmp_path, GOOD.replace("definition: Being genuine in the relationship.", 'definition: ""')) == [
        "docs/data/glossary.yml:9: in the term 'congruence', 'definition' is empty. Fill it in."
    ]


def test_missing_definition_and_bad_id_are_both_reported(tmp_path: Path) -> None:
    text = GOOD + "- id: Bad Id\n  term: bad\n"
    assert messages(tmp_path, text) == [
        "docs/data/glossary.yml:11: in the term 'Bad Id', 'definition' is missing. Add it.",
        "docs/data/glossary.yml:11: in the term 'Bad Id', 'id' is 'Bad Id', which is not lower-case words joined by hyphens, like 'cultural-humility'.",
    ]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    assert messages(tmp_path, "- id: a\n  term: [unclosed\n") [0].startswith("docs/data/glossary.yml:3: is not valid YAML")


def test_downloads_are_built_from_the_data(tmp_path: Path) -> None:
    glossary = load(tmp_path, GOOD)
    data = json.loads(glossary.to_json())
    assert [t["id"] for t in data] == ["congruence", "empathy"]
    rows = list(csv.DictReader(io.StringIO(glossary.to_csv())))
    assert rows[1]["aliases"] == "empathic understanding" and rows[1]["sources"] == "rogers1957"
