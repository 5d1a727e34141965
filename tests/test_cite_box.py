"""The page's own citation follows each style's manual: one test per rule.

Where each rule comes from (checked for issue 17):
- American punctuation, full stop and comma inside the closing quotation mark, double or
  single: Chicago 6.9 (17th and 18th ed.); MLA 9, APA 7 and NLM follow the same US
  practice (and citeproc-js, Zotero's processor, applies it for their en-US locale).
- Headline capitalisation of each element of a hyphenated compound ("Client-Centred") and
  of the first word inside quotation marks: Chicago 8.159-161; MLA 9 ("capitalize ... all
  principal words, including those that follow hyphens in compound terms"). Since issue 32
  citeproc-js, Zotero's processor, formats every style, so these tests check its output
  against the manuals; where the two differ (a prefix: Chicago's "Anti-oppressive"), the
  cite box gives what Zotero prints and the test says so.
- British nesting, double quotation marks inside single ones: Cite Them Right Harvard (UK
  practice, as in Hart's Rules); American nesting, single inside double: Chicago 6.11, MLA.
- The version in every style: the citing guide (docs/about/cite.md) says every citation
  carries it; Harvard and Vancouver put it where their manuals put an edition.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse

import bibtexparser
import rispy

from handbook.authors import Author
from handbook.formatcache import FormatCache
from handbook.pages import FrontMatter
from handbook.render import page_citation

SITE = "https://example.org/handbook/"
CONTRIBUTORS = Author(id="contributors", literal="Client-Centred Practice Handbook contributors")


def box(title: str, src: str = "client/language.md") -> dict[str, str]:
    """The cite box of a page with this title: style id -> plain text."""
    front = FrontMatter(title=title, description="A page.", authors=[CONTRIBUTORS], created=dt.date(2026, 11, 1),
                        reviewed=dt.date(2026, 11, 20), next_review=dt.date(2027, 11, 20))
    hb = page_citation(front, src, SITE, "0.2.0", "https://creativecommons.org/licenses/by/4.0/", FormatCache(None))
    return {style["id"]: style["text"] for style in hb["styles"]} | {"_bibtex": hb["bibtex_href"], "_ris": hb["ris_href"]}


def test_mla_and_chicago_put_the_full_stop_inside_the_closing_quotation_mark() -> None:
    cites = box("Who is the client?")
    assert "“Client-Centred Practice in Social Work.”" in box("Client-centred practice in social work")["mla"]
    assert "“Client-Centred Practice in Social Work.” In" in box("Client-centred practice in social work")["chicago"]
    assert "”." not in cites["mla"] and "”." not in cites["chicago"]
    assert "“Who Is the Client?” Client-Centred" in cites["mla"]  # a question mark takes no full stop
    nested = box("From ‘case’ to ‘expert by experience’")
    assert "‘Expert by Experience.’”" in nested["mla"] and "‘Expert by Experience.’”" in nested["chicago"]


def test_apa_and_vancouver_put_the_full_stop_inside_a_closing_single_quotation_mark() -> None:
    cites = box("From ‘case’ to ‘expert by experience’")
    assert "From ‘case’ to ‘expert by experience.’ In Client-Centred" in cites["apa"]
    assert "From ‘case’ to ‘expert by experience.’ In: Client-Centred" in cites["vancouver"]
    assert "Working with clients’. In Client-Centred" in box("Working with clients’")["apa"]  # an apostrophe


def test_titles_keep_minor_words_in_lower_case() -> None:
    cites = box("Case study: tenants organising against damp")
    for style in ("mla", "chicago"):
        assert "“Case Study: Tenants Organising against Damp.”" in cites[style]


def test_straight_apostrophes_become_typographic() -> None:
    for text in box("The social worker's roles").values():
        assert "'" not in urllib.parse.unquote(text) or text.startswith("data:")


def test_british_styles_keep_punctuation_outside_quotation_marks() -> None:
    assert "‘Advocacy’, Client-Centred Practice Handbook." in box("Advocacy")["harvard"]


def test_title_case_capitalises_each_element_of_a_hyphenated_compound() -> None:
    cites = box("Client-centred practice and person-in-environment thinking")
    for style in ("mla", "chicago"):
        assert "Client-Centred Practice and Person-in-Environment Thinking" in cites[style]
    # Chicago 8.161 keeps the element after a prefix in lower case ("Anti-oppressive"); Zotero's
    # processor capitalises it, and the cite box gives what reference managers save (issue 32).
    assert "“Anti-Oppressive Practice.”" in box("Anti-oppressive practice")["chicago"]


def test_title_case_capitalises_the_first_word_inside_quotation_marks() -> None:
    cites = box("From ‘case’ to ‘expert by experience’")
    for style in ("mla", "chicago"):
        assert "From ‘Case’ to ‘Expert by Experience" in cites[style]


def test_sentence_case_styles_keep_the_title_as_written() -> None:
    cites = box("Client-centred practice in social work")
    for style in ("apa", "harvard", "vancouver"):
        assert "Client-centred practice in social work" in cites[style]


def test_harvard_nests_double_quotation_marks_inside_single_ones() -> None:
    harvard = box("From ‘case’ to ‘expert by experience’")["harvard"]
    assert "‘From “case” to “expert by experience”’," in harvard
    assert "‘case’" not in harvard


def test_apostrophes_are_not_taken_for_quotation_marks() -> None:
    harvard = box("Working with clients’ ‘voice’")["harvard"]
    assert "‘Working with clients’ “voice”’" in harvard


def test_every_style_carries_the_version() -> None:
    cites = box("Advocacy")
    for style in ("apa", "harvard", "mla", "vancouver"):
        assert "Version 0.2.0" in cites[style], style
    assert "In Client-Centred Practice Handbook, version 0.2.0." in cites["chicago"]
    assert "Client-Centred Practice Handbook. Version 0.2.0. Available at:" in cites["harvard"]
    assert "[Internet]. Version 0.2.0. 2026." in cites["vancouver"]


def test_the_home_page_is_cited_as_the_whole_handbook() -> None:
    cites = box("Client-centred practice in social work", src="index.md")
    assert cites["apa"] == ("Client-Centred Practice Handbook contributors. (2026). Client-Centred Practice Handbook "
                            f"(Version 0.2.0). {SITE}")
    assert " In " not in cites["apa"] and "In:" not in cites["vancouver"]
    ris = rispy.loads(urllib.parse.unquote(cites["_ris"].split(",", 1)[1]))[0]
    assert ris["type_of_reference"] == "BOOK" and ris["title"] == "Client-Centred Practice Handbook"


def test_ris_download_starts_with_its_type_and_keeps_the_version() -> None:
    ris = urllib.parse.unquote(box("Advocacy")["_ris"].split(",", 1)[1])
    assert ris.splitlines()[0] == "TY  - CHAP"
    assert "ET  - Version 0.2.0" in ris.splitlines()
    assert "N1  -" not in ris  # the version is the edition, not a note that imports as a child note


def test_bibtex_download_has_no_stray_lines_and_keeps_the_version() -> None:
    bib = urllib.parse.unquote(box("Advocacy")["_bibtex"].split(",", 1)[1])
    assert bib.lstrip().startswith("@incollection{") and bib.strip().endswith("}")
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks and len(library.entries) == 1
    assert library.entries[0]["edition"] == "Version 0.2.0"
