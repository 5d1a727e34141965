"""The bibliography: validation messages, in-text citations and the five styles."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
import rispy

from conftest import ROOT
from handbook.bibliography import Bibliography
from handbook.references import CSL_TYPES, isbn_is_valid, load_references
from handbook.errors import ContentError

ITEMS = {i["id"]: i for i in json.loads((ROOT / "docs/data/references.json").read_text())}
BIB = load_references(ROOT / "docs/data/references.json")

CHAPTER = {
    "id": "ruch2010chapter", "type": "chapter", "title": "The contemporary context of relationship-based practice",
    "author": [{"family": "Ruch", "given": "Gillian"}], "container-title": "Relationship-based social work",
    "editor": [{"family": "Ruch", "given": "Gillian"}, {"family": "Turney", "given": "Danielle"}, {"family": "Ward", "given": "Adrian"}],
    "publisher": "Jessica Kingsley", "publisher-place": "London", "issued": {"date-parts": [[2010]]}, "page": "13-28",
}


def bib_of(*items: dict) -> Bibliography:
    return Bibliography(items={i["id"]: i for i in items})


def problems(tmp_path: Path, items: list[dict]) -> list[str]:
    path = tmp_path / "references.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_references(path, "docs/data/references.json")
    return [str(p) for p in info.value.problems]


def test_the_handbook_bibliography_is_valid() -> None:
    assert len(BIB.items) >= 80


# Validation -------------------------------------------------------------------------------
def test_article_without_volume(tmp_path: Path) -> None:
    item = {k: v for k, v in ITEMS["rogers1957"].items() if k != "volume"}
    assert problems(tmp_path, [item]) == [
        "docs/data/references.json:3: the reference 'rogers1957' is a journal article with no 'volume'. "
        "Add it from the publisher's record, or list it under custom.unconfirmed if it could not be confirmed."
    ]


def test_book_without_publisher(tmp_path: Path) -> None:
    item = {k: v for k, v in ITEMS["rogers1961"].items() if k != "publisher"}
    assert problems(tmp_path, [item])[0].startswith("docs/data/references.json:3: the reference 'rogers1961' is a book with no 'publisher'.")


def test_unconfirmed_fields_are_allowed_when_declared(tmp_path: Path) -> None:
    path = tmp_path / "references.json"
    path.write_text(json.dumps([ITEMS["weick1989"]]), encoding="utf-8")
    assert "weick1989" in load_references(path).items


def test_malformed_doi(tmp_path: Path) -> None:
    item = {**ITEMS["rogers1957"], "DOI": "https://doi.org/10.1037/h0045357"}
    assert problems(tmp_path, [item]) == [
        "docs/data/references.json:23: the reference 'rogers1957' has the DOI 'https://doi.org/10.1037/h0045357', which is not of the form 10.NNNN/... (without spaces, quotation marks or angle brackets). Write the DOI alone, without 'https://doi.org/'."
    ]


def test_isbn_checksums(tmp_path: Path) -> None:
    assert isbn_is_valid("9780335206995") and isbn_is_valid("0-395-75531-X") and isbn_is_valid("080442957X")
    assert not isbn_is_valid("9780395755315") and not isbn_is_valid("12345")
    item = {**ITEMS["trevithick2000"], "ISBN": "9780335206996"}
    assert problems(tmp_path, [item])[0].endswith(
        "the reference 'trevithick2000' has the ISBN '9780335206996', which fails its checksum. Copy it again from the publisher or a library catalogue.")


def test_impossible_date(tmp_path: Path) -> None:
    item = {**ITEMS["rogers1961"], "issued": {"date-parts": [[1961, 13]]}}
    assert problems(tmp_path, [item])[0].endswith("the reference 'rogers1961' has an impossible date in 'issued': [1961, 13].")


def test_date_that_is_not_a_date(tmp_path: Path) -> None:
    item = {**ITEMS["rogers1961"], "issued": {"date-parts": [["nineteen"]]}}
    assert problems(tmp_path, [item]) == [
        "docs/data/references.json:12: the reference 'rogers1961': '0' is 'nineteen', which is not the pattern ^\\d+$."
    ]


def test_duplicate_id(tmp_path: Path) -> None:
    assert problems(tmp_path, [ITEMS["rogers1961"], ITEMS["rogers1961"]])[0].endswith(
        "the id 'rogers1961' is used by two references. Give the second a letter: 'rogers1961b'.")


def test_unknown_type_and_missing_title(tmp_path: Path) -> None:
    item = {"id": "x2020", "type": "blog"}
    assert problems(tmp_path, [item]) == [
        "docs/data/references.json:3: the reference 'x2020': 'title' is missing. Add it.",
        "docs/data/references.json:4: the reference 'x2020': 'type' is 'blog'; it must be one of: " + ", ".join(CSL_TYPES) + ".",
    ]


def test_unknown_key_suggests(tmp_path: Path) -> None:
    assert BIB.unknown_message("rogers1975") == "unknown citation key 'rogers1975'. Did you mean 'rogers1957'?"


# In-text citations ------------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "locator", "expected"), [
    ("rogers1957", None, "Rogers, 1957"),                                  # one author
    ("tervalon1998", None, "Tervalon &amp; Murray-García, 1998"),          # two authors
    ("smith2012", None, "Smith et al., 2012"),                             # three or more
    ("basw2014", None, "British Association of Social Workers, 2014"),     # corporate author
    ("baswnd", None, "British Association of Social Workers, n.d."),       # no date
    ("rogers1957", "p. 96", "Rogers, 1957, p. 96"),                        # page
    ("rogers1957", "pp. 95-103", "Rogers, 1957, pp. 95–103"),              # page range
    ("rogers1957", "p.96", "Rogers, 1957, p. 96"),                         # written without a space
    ("careact2014", "s. 67", "Care Act 2014, s. 67"),                      # statute and section
    ("mca2005", "ss. 35-41", "Mental Capacity Act 2005, ss. 35–41"),       # sections
    ("mclaughlin2009", None, "H. McLaughlin, 2009"),                       # same surname: initials
    ("forrester2008a", None, "Forrester, McCambridge, et al., 2008"),      # et al. lists that collide
    ("hammell2013a", None, "Whalley Hammell, 2013b"),                      # same author and year
])
def test_parenthetical(key: str, locator: str | None, expected: str) -> None:
    assert BIB.cite([(key, locator)]) == [(key, expected)]


def test_narrative() -> None:
    assert BIB.citet("tervalon1998") == ("Tervalon and Murray-García", "1998")
    assert BIB.citet("rogers1957", "p. 96") == ("Rogers", "1957, p. 96")
    assert BIB.citet("smith2012") == ("Smith et al.", "2012")


def test_bad_locator_is_refused() -> None:
    with pytest.raises(ValueError, match="'folio 3' is not a locator like 'p. 96'"):
        BIB.citet("rogers1957", "folio 3")


# The five styles for five kinds of source ---------------------------------------------------------
EXPECTED = {
    ("apa", "article"): "Rogers, C. R. (1957). The necessary and sufficient conditions of therapeutic personality change. <i>Journal of Consulting Psychology</i>, <i>21</i>(2), 95–103. <a href=\"https://doi.org/10.1037/h0045357\">https://doi.org/10.1037/h0045357</a>",
    ("harvard", "article"): "Rogers, C.R. (1957) ‘The necessary and sufficient conditions of therapeutic personality change’, <i>Journal of Consulting Psychology</i>, 21(2), pp. 95–103. Available at: <a href=\"https://doi.org/10.1037/h0045357\">https://doi.org/10.1037/h0045357</a>.",
    ("mla", "article"): "Rogers, Carl R. “The Necessary and Sufficient Conditions of Therapeutic Personality Change.” <i>Journal of Consulting Psychology</i>, vol. 21, no. 2, 1957, pp. 95–103, <a href=\"https://doi.org/10.1037/h0045357\">https://doi.org/10.1037/h0045357</a>.",
    ("chicago", "article"): "Rogers, Carl R. 1957. “The Necessary and Sufficient Conditions of Therapeutic Personality Change.” <i>Journal of Consulting Psychology</i> 21 (2): 95–103. <a href=\"https://doi.org/10.1037/h0045357\">https://doi.org/10.1037/h0045357</a>.",
    ("apa", "book"): "Rogers, C. R. (1961). <i>On becoming a person: A therapist’s view of psychotherapy</i>. Houghton Mifflin.",
    ("harvard", "book"): "Rogers, C.R. (1961) <i>On becoming a person: A therapist’s view of psychotherapy</i>. Boston: Houghton Mifflin.",
    ("apa", "edited"): "Ruch, G., Turney, D., &amp; Ward, A. (Eds.). (2010). <i>Relationship-based social work: Getting to the heart of practice</i>. Jessica Kingsley.",
    ("apa", "chapter"): "Ruch, G. (2010). The contemporary context of relationship-based practice. In G. Ruch, D. Turney, &amp; A. Ward (Eds.), <i>Relationship-based social work</i> (pp. 13–28). Jessica Kingsley.",
    ("apa", "webpage"): "Social Work England. (2019, July). <i>Professional standards</i>. <a href=\"https://www.socialworkengland.org.uk/standards/professional-standards/\">https://www.socialworkengland.org.uk/standards/professional-standards/</a>",
    ("apa", "statute"): "Care Act 2014, c. 23. <a href=\"https://www.legislation.gov.uk/ukpga/2014/23/contents\">https://www.legislation.gov.uk/ukpga/2014/23/contents</a>",
    ("chicago", "statute"): "Care Act 2014. 2014. c. 23. <a href=\"https://www.legislation.gov.uk/ukpga/2014/23/contents\">https://www.legislation.gov.uk/ukpga/2014/23/contents</a>.",
}
SOURCES = {"article": ITEMS["rogers1957"], "book": ITEMS["rogers1961"], "edited": ITEMS["ruch2010"], "chapter": CHAPTER,
           "webpage": ITEMS["swe2019"], "statute": ITEMS["careact2014"]}


@pytest.mark.parametrize(("style", "kind"), sorted(EXPECTED))
def test_reference_entries(style: str, kind: str) -> None:
    item = SOURCES[kind]
    assert bib_of(item).entry(item["id"], style) == EXPECTED[(style, kind)]


@pytest.mark.parametrize("style", ["apa", "harvard", "mla", "chicago", "vancouver"])
@pytest.mark.parametrize("kind", ["article", "book", "chapter", "webpage", "statute"])
def test_every_style_renders_every_kind(style: str, kind: str) -> None:
    item = SOURCES[kind]
    text = bib_of(item).entry_text(item["id"], style)
    assert item["title"].split(":")[0].lower() in text.lower()
    assert "?." not in text and "  " not in text
    if kind != "statute":
        assert "1957" in text or "1961" in text or "2010" in text or "2019" in text


def test_question_mark_title_takes_no_extra_full_stop() -> None:
    assert "what’s next? <i>British Journal of Social Work</i>" in BIB.entry("mclaughlin2009")
    assert "—What’s Next?” <i>British Journal of Social Work</i>" in BIB.entry("mclaughlin2009", "chicago")


def test_edited_book_names_the_editors_once() -> None:
    for style in ("apa", "harvard"):
        assert BIB.entry_text("ruch2010", style).count("Turney") == 1


def test_bibtex_and_ris_parse() -> None:
    keys = ["rogers1957", "rogers1961", "ruch2010", "swe2019", "careact2014", "tervalon1998"]
    library = bibtexparser.parse_string(BIB.to_bibtex(keys))
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert entries["rogers1957"].entry_type == "article"
    assert entries["rogers1957"]["doi"] == "10.1037/h0045357"
    assert entries["tervalon1998"]["author"] == "Tervalon, Melanie and Murray-García, Jann"
    records = {r["id"]: r for r in rispy.loads(BIB.to_ris(keys))}
    assert records["rogers1957"]["type_of_reference"] == "JOUR"
    assert records["rogers1957"]["start_page"] == "95" and records["rogers1957"]["end_page"] == "103"
    assert records["ruch2010"]["type_of_reference"] == "BOOK"


def test_apa_leaves_out_a_publisher_that_is_the_author() -> None:
    """APA 7 (9.24): "British Association of Social Workers. (2014). Title." and no second BASW."""
    assert BIB.entry_text("basw2014", "apa").count("British Association of Social Workers") == 1
    assert BIB.entry_text("basw2014", "harvard").count("British Association of Social Workers") == 2  # CTR keeps it


def test_apa_writes_retrieved_only_with_a_retrieval_date() -> None:
    text = BIB.entry_text("baswnd", "apa")
    assert "Retrieved" not in text and text.endswith("(n.d.). The BASW Code of Ethics for Social Work. https://www.basw.co.uk/about-basw/code-ethics")


def test_bibliography_page_shows_uncited_works_apart_and_marks_unknown_details() -> None:
    from bs4 import BeautifulSoup

    from handbook.render import bibliography_page_html
    from handbook.usage import Call, UsageIndex

    bib = bib_of(ITEMS["rogers1957"], ITEMS["pincus1973"], ITEMS["weick1989"])
    usage = UsageIndex(calls=[Call("roles/advocacy.md", 3, "cite", ("rogers1957",)),
                              Call("roles/advocacy.md", 4, "cite", ("pincus1973",)),
                              Call("references/index.md", 9, "cite", ("weick1989",))],
                       titles={"roles/advocacy.md": "Advocacy"})
    html = BeautifulSoup(bibliography_page_html(bib, usage, "references/index.md"), "html.parser")
    lists = html.select("ul.hb-bibliography")
    assert [li["id"] for li in lists[0].select("li")] == ["ref-pincus1973", "ref-rogers1957"]
    assert html.select_one("h2#not-cited").get_text() == "Further reading: works no page cites"
    assert [li["id"] for li in lists[1].select("li")] == ["ref-weick1989"]  # the page itself does not count
    pincus = html.select_one("#ref-pincus1973 .hb-unconfirmed").get_text()
    assert pincus.endswith("so left out: publisher")
    assert html.select_one("#ref-weick1989 .hb-unconfirmed").get_text().endswith("volume, page range")
    assert html.select_one("#ref-rogers1957 .hb-unconfirmed") is None


def test_one_author_written_two_ways_is_refused(tmp_path: Path) -> None:
    first = {**ITEMS["trotter1996"], "author": [{"family": "Trotter", "given": "C."}]}
    found = problems(tmp_path, [first, ITEMS["trotter2023"]])
    assert any("the reference 'trotter2023' writes the author 'Trotter, Chris', and 'trotter1996' writes 'Trotter, C.'. "
               "If they are one person, write the name the same way in both" in p for p in found), found
    # Another person who shares the surname (initials that differ) is no problem.
    other = {**ITEMS["trotter2023"], "id": "trotter2020", "author": [{"family": "Trotter", "given": "Jane"}]}
    path = tmp_path / "other.json"
    path.write_text(json.dumps([ITEMS["trotter1996"], other]), encoding="utf-8")
    assert set(load_references(path).items) == {"trotter1996", "trotter2020"}


def test_the_handbook_writes_each_author_one_way() -> None:
    cited = BIB.cite([("trotter1996", None), ("trotter2023", None)])
    assert [text for _, text in cited] == ["Trotter, 1996", "Trotter, 2023"]  # no "C. Trotter": one person
    assert "Antonopoulou, V." in BIB.entry("forrester2019")


def test_harvard_calls_no_article_a_preprint() -> None:
    assert "[Preprint]" not in BIB.entry("rogers1946", "harvard")  # volume and pages not yet confirmed
    assert BIB.entry("rogers1946", "harvard").endswith("<i>American Psychologist</i>.")


def test_harvard_writes_an_act_as_cite_them_right_does() -> None:
    """Cite Them Right (9th edition, as Brunel University London's library quotes it): "Title of Act
    including year and chapter (in italics)", then "Available at: URL"; its CSL file prints
    "Care Act 2014 (2014)" without the chapter."""
    assert BIB.entry("careact2014", "harvard") == (
        '<i>Care Act 2014, c. 23</i>. Available at: <a href="https://www.legislation.gov.uk/ukpga/2014/23/contents">'
        'https://www.legislation.gov.uk/ukpga/2014/23/contents</a>.')


def test_a_court_case_is_cited_by_its_name_in_italics() -> None:
    assert BIB.citet("gillick1985") == ("<i>Gillick v West Norfolk and Wisbech Area Health Authority</i>", "1985")
    assert BIB.cite([("gillick1985", None)]) == [("gillick1985", "<i>Gillick v West Norfolk and Wisbech Area Health Authority</i>, 1985")]


def test_a_chapter_is_named_in_full_in_apa() -> None:
    """APA 7 (8.13): "(Rogers, 1957, Chapter 3)"."""
    assert BIB.citet("rogers1957", "ch. 3") == ("Rogers", "1957, Chapter 3")
