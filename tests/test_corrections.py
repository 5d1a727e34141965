"""Corrections that stick: a statement the handbook corrected is refused wherever it comes back,
by `dev.py check` and by the build, with the file, the line and the correction."""

from __future__ import annotations

import json
import shutil
import textwrap

from conftest import FRONT, ROOT, MiniSite, problem_lines
from handbook.checks import run_checks
from handbook.site import load_handbook

#: The statements each seeded correction removed, as pages once wrote them (from git history).
OLD_STATEMENTS = {
    "smith2012-council-count": ('Smith and colleagues, who worked with practitioners in three Scottish councils, note how\n'
                                'often people arrive at social work without having chosen it {{ cite("smith2012") }}.'),
    "basw-code-binding": 'BASW members across the UK are bound by its\ncode whatever their role or setting {{ cite("baswnd") }}.',
    "nasw-1-07c-pre-2017-wording": ('The NASW code allows disclosure to prevent imminent harm to a client or another\n'
                                    'identifiable person {{ cite("nasw2021") }}.'),
}


def _with_real_corrections(mini: MiniSite) -> None:
    """The mini site with the handbook's own corrections file and the sources it names."""
    shutil.copy(ROOT / "docs/data/corrections.yml", mini.path / "docs/data/corrections.yml")
    keys = {"rogers1957", "tervalon1998", "careact2014", "smith2012", "baswnd", "nasw2021"}
    refs = [i for i in json.loads((ROOT / "docs/data/references.json").read_text()) if i["id"] in keys]
    (mini.path / "docs/data/references.json").write_text(json.dumps(refs, indent=2), encoding="utf-8")


def _plant(mini: MiniSite, statement: str) -> int:
    """Put the statement in the advocacy page after its first paragraph; the line it starts on."""
    text = mini.read("roles/advocacy.md")
    marker = "\n## Learning outcomes"
    mini.write("roles/advocacy.md", text.replace(marker, "\n" + statement + "\n" + marker, 1))
    return text[: text.index(marker)].count("\n") + 2


def _correction_problems(mini: MiniSite) -> list[str]:
    handbook = load_handbook(mini.path, mini.path / "docs")
    return [str(p) for p in run_checks(handbook, spelling=False) if "statement the handbook has corrected" in p.message]


def test_every_seeded_correction_is_refused_by_the_check_and_the_build_with_its_line(mini: MiniSite) -> None:
    _with_real_corrections(mini)
    lines = {cid: _plant(mini, statement) for cid, statement in OLD_STATEMENTS.items()}
    found = _correction_problems(mini)
    for cid in OLD_STATEMENTS:
        expected = [p for p in found if f"the correction is '{cid}'" in p]
        assert len(expected) == 1, found
        assert expected[0].startswith(f"docs/roles/advocacy.md:{lines[cid]}: '")
    assert "(corrected in 0.2.0: Smith and colleagues (2012) worked with practitioners in Scottish councils" in \
        next(p for p in found if "smith2012-council-count" in p)
    result = mini.build()
    assert result.returncode != 0
    assert sorted(p for p in problem_lines(result.stdout) if "has corrected" in p) == sorted(found)


def test_the_council_count_is_refused_only_beside_the_study(mini: MiniSite) -> None:
    _with_real_corrections(mini)
    _plant(mini, 'The review visited three councils in Wales {{ cite("careact2014") }}.')
    _plant(mini, "Smith and colleagues worked with practitioners in Scottish councils {{ cite(\"smith2012\") }}.")
    assert _correction_problems(mini) == []


def test_a_correction_file_with_mistakes_names_each_line(mini: MiniSite) -> None:
    mini.write("data/corrections.yml", textwrap.dedent("""\
        - id: bad-pattern
          wrong: 'three (councils'
          right: Give no number.
          source: rogers1957
          release: 0.2.0
        - id: unknown-source
          wrong: 'three councils'
          right: Give no number.
          source: smith2021
          release: 0.2.0
        """))
    problems = [str(p) for p in load_handbook(mini.path, mini.path / "docs").problems]
    assert any(p.startswith("docs/data/corrections.yml:2: 'wrong' is not a valid regular expression") for p in problems), problems
    assert "docs/data/corrections.yml:9: 'smith2021' is not a key in docs/data/references.json. " \
           "Name the source that settles the correction." in problems
    result = mini.build()
    assert result.returncode != 0 and any(p.startswith("docs/data/corrections.yml:9:") for p in problem_lines(result.stdout))


def test_the_changelog_may_quote_a_correction_but_not_repeat_it(mini: MiniSite) -> None:
    _with_real_corrections(mini)
    front = FRONT.format(title="Changelog")
    mini.write("about/changelog.md", front + textwrap.dedent("""
        # Changelog

        The page on confidentiality no longer quotes the NASW standard's old words, “another
        identifiable person”.
        """))
    assert _correction_problems(mini) == []
    mini.write("about/changelog.md", front + "\n# Changelog\n\nHarm to another identifiable person is enough.\n")
    assert [p.split(": '")[0] for p in _correction_problems(mini)] == ["docs/about/changelog.md:12"]


def test_other_pages_may_not_quote_a_corrected_statement(mini: MiniSite) -> None:
    _with_real_corrections(mini)
    line = _plant(mini, 'The code speaks of harm to “another identifiable person” {{ cite("nasw2021") }}.')
    assert [p.split(": '")[0] for p in _correction_problems(mini)] == [f"docs/roles/advocacy.md:{line}"]


def test_the_handbook_repeats_none_of_its_corrections() -> None:
    handbook = load_handbook(ROOT, ROOT / "docs")
    assert len(handbook.corrections) >= 3
    assert [str(p) for p in run_checks(handbook, spelling=False, advice=False) if "has corrected" in p.message] == []
