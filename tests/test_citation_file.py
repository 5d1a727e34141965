"""CITATION.cff is valid, and the handbook's version is the same everywhere it is shown."""

from __future__ import annotations

import json
import re

import jsonschema
import yaml

from conftest import ROOT


def test_citation_cff_is_valid_against_the_official_schema() -> None:
    schema = json.loads((ROOT / "tests/data/citation-file-format-1.2.0.schema.json").read_text())
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert data["title"] == "Client-Centred Practice Handbook"


def test_the_schema_check_would_catch_a_bad_file() -> None:
    schema = json.loads((ROOT / "tests/data/citation-file-format-1.2.0.schema.json").read_text())
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    data["authors"] = "everyone"
    assert list(jsonschema.Draft7Validator(schema).iter_errors(data))


def test_version_is_consistent() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    changelog = (ROOT / "docs/about/changelog.md").read_text()
    first_release_heading = re.search(r"^## (\d+\.\d+\.\d+) ", changelog, re.M).group(1)
    assert cff["version"] == first_release_heading
    from test_site import SITE_URL as site_url
    assert cff["url"] == site_url
