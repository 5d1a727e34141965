"""A Python-Markdown extension that ends each page with what its macros referred to.

After the macros have run, the page's text holds citation links and term links. This
extension appends, once per page, the "References" section for the works cited and the
hidden definitions that the term links are described by. Being a Markdown extension
(not an MkDocs hook), it runs the same way under MkDocs and Zensical.
"""

from __future__ import annotations

import html
import re
import secrets
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from . import site as site_module
from .buildcache import kept_sanitised
from .errors import Problem
from . import figures as figures_module
from .glossary import GLOSSARY_PAGE, TERM_LINK_RE, definitions_html
from .rawhtml import Later, anchor_skeleton, keep_block, kept_block, restore, restore_blocks
from .render import CITE_KEY_RE, references_html
from .safety import SAFE_ID, protect_code, sanitise_and_check, source_line, template_calls
from .text import esc, relative_url

__all__ = ["HandbookExtension", "makeExtension"]


class _Appendix(Preprocessor):
    def __init__(self, md: Markdown, docs_dir: str) -> None:
        super().__init__(md)
        self.docs_dir = docs_dir

    def run(self, lines: list[str]) -> list[str]:
        text = restore("\n".join(lines))  # the citations and the macros' blocks stand as markers (rawhtml)
        keys = list(dict.fromkeys(CITE_KEY_RE.findall(text)))
        terms = list(dict.fromkeys(TERM_LINK_RE.findall(text)))
        if not keys and not terms:
            return lines
        handbook = site_module.CURRENT
        if handbook is None:
            root = Path.cwd()
            handbook = site_module.load_handbook(root, root / self.docs_dir)
        extra: list[str] = []
        blocks: dict[str, list[str]] = {"references": [], "definitions": []}
        if keys and handbook.bibliography is not None:
            refs = references_html(handbook.bibliography, keys)
            if refs:
                extra += ["", "## References {data-search-exclude}", "", refs, ""]  # found on the References page, not on every page
                blocks["references"].append(refs)
        if terms and handbook.glossary is not None:
            page = site_module.CURRENT_PAGE if site_module.ENGINE == "mkdocs" else \
                _zensical_page_path(self.md) or site_module.CURRENT_PAGE  # MkDocs never loads Zensical's module
            url = relative_url(page, GLOSSARY_PAGE, directory_urls=site_module.DIRECTORY_URLS) if page else None
            definitions = definitions_html(handbook.glossary, terms, url)
            extra += ["", definitions, ""]
            blocks["definitions"].append(definitions)
        self.md.hb_appendix_blocks = {k: [b for b in v if b and "\n" not in b] for k, v in blocks.items()}  # type: ignore[attr-defined]
        self.md.hb_appended = [b for b in blocks["references"] + blocks["definitions"] if b]  # type: ignore[attr-defined]
        return lines + extra


class _StashAppendix(Preprocessor):
    """The appended definitions (HTML the handbook made, one line) stored as a raw HTML block directly,
    as Python-Markdown's HTML-block reader would store it, without that reader walking every tag of
    it; the page's HTML is still sanitised as a whole at the end. Stored before MkDocs reads the
    page's anchors from its raw HTML (21): no link may name a definition's id (the check refuses one)."""

    def run(self, lines: list[str]) -> list[str]:
        kept = getattr(self.md, "hb_appendix_blocks", None) or {}
        blocks = kept.pop("definitions", [])
        position = len(lines)
        for block in reversed(blocks):
            position = _last_index(lines, block, position)
            if position < 0:
                break
            lines[position:position + 1] = [self.md.htmlStash.store(block + "\n")]  # with its newline, as the reader keeps it
        return lines


class _Blocks(Preprocessor):
    """Whole blocks of HTML the handbook made (a macro's block, kept as a marker by handbook.rawhtml,
    and the appended reference list) shown to MkDocs' reader of anchors (21) as their ids alone:
    other pages link to a reference (``#ref-rogers1957``) or a glossary entry. A block that does
    not stand on its own between blank lines, or whose ids a quick reading cannot be sure of, is
    put back as it was, for Markdown to read as it always did."""

    def run(self, lines: list[str]) -> list[str]:
        kept = getattr(self.md, "hb_appendix_blocks", None) or {}
        position = len(lines)
        for block in reversed(kept.pop("references", [])):
            position = _last_index(lines, block, position)
            if position < 0:
                break
            lines[position] = keep_block(block)
        out: list[str] = []
        for index, line in enumerate(lines):
            markup = kept_block(line) if line.startswith("hbblock") else None
            if markup is None:
                out.append(restore_blocks(line))
                continue
            alone = (index == 0 or not lines[index - 1].strip()) and (index + 1 == len(lines) or not lines[index + 1].strip())
            skeleton = anchor_skeleton(markup) if alone and line == keep_block(markup) else None
            if skeleton is None:
                out.append(restore_blocks(line))
            else:
                out.append(f"{line} {skeleton}")
        return out


class _StashBlocks(Preprocessor):
    """The blocks :class:`_Blocks` showed by their ids, stored as raw HTML (before the HTML-block reader, 20)."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            markup = kept_block(line) if line.startswith("hbblock") else None
            out.append(line if markup is None else self.md.htmlStash.store(_normalised(markup, self.md.tab_length) + "\n"))
        return out


def _normalised(markup: str, tab_length: int) -> str:
    """HTML as Markdown's first step would have left it (its whitespace made regular)."""
    markup = markup.replace("\x02", "").replace("\x03", "").replace("\r\n", "\n").replace("\r", "\n").expandtabs(tab_length)
    return re.sub(r"(?<=\n) +\n", "\n", markup)


def _last_index(lines: list[str], line: str, before: int) -> int:
    """Where ``line`` stands as a block of its own (blank lines around it) last, before ``before``; -1 if nowhere."""
    for index in range(min(before, len(lines)) - 1, -1, -1):
        if lines[index] == line and (index == 0 or not lines[index - 1].strip()) and \
                (index + 1 == len(lines) or not lines[index + 1].strip()):
            return index
    return -1



class _Figures(Preprocessor):
    """Each ``figure`` block drawn (scripts/handbook/figures.py): its HTML is stashed, and the drawing
    itself waits behind a marker no page can guess until the page's HTML has been sanitised."""

    def run(self, lines: list[str]) -> list[str]:
        drawings: dict[str, str] = {}
        self.md.hb_figure_drawings = drawings  # type: ignore[attr-defined]
        self.md.hb_figure_nonce = ""  # type: ignore[attr-defined]
        if not any(figures_module.FIGURE_FENCE.match(line) for line in lines):
            return lines
        handbook = site_module.CURRENT
        root = handbook.root if handbook is not None else Path.cwd()
        nonce = secrets.token_hex(8)
        self.md.hb_figure_nonce = f"hbfigure{nonce}n"  # type: ignore[attr-defined]  # (what differs between builds)
        out: list[str] = []
        position, number = 0, 0
        for fig in figures_module.parse_figures("\n".join(lines), first_line=0):
            out += lines[position:fig.line]
            position = fig.end + 1
            problems: Sequence[tuple[int | None, str]]
            drawing, problems = (None, fig.problems) if fig.problems else figures_module.draw(fig.source, root)
            if drawing is not None and figures_module.missing_labels(fig, drawing):
                drawing, problems = None, [(None, "the figure's long description does not say everything the picture shows.")]
            if drawing is None:
                markup = problems_html(self._lines(problems))
            else:
                number += 1
                marker = f"hbfigure{nonce}n{number}"
                drawings[marker] = figures_module.drawing_html(drawing, fig.fields["alt"], number)
                markup = figures_module.figure_html(fig, number, marker)
            out += ["", self.md.htmlStash.store(markup), ""]
        return out + lines[position:]

    def _lines(self, problems: Sequence[tuple[int | None, str]]) -> list[str]:
        """The page's figure problems as the check words them, with the file's lines (for the preview)."""
        handbook, src = site_module.CURRENT, site_module.CURRENT_PAGE or _zensical_page_path(self.md)
        if handbook is not None and src:
            try:
                source = (handbook.docs_dir / src).read_text(encoding="utf-8")
                found = [str(p) for p in figures_module.figure_problems(handbook.docs_path(src), source, handbook.root)]
                if found:
                    return found
            except OSError:
                pass
        return [message for _, message in problems]


class _Gate(Preprocessor):
    """Under Zensical, whose macros run inside Markdown: the same gate as ``macros.on_pre_page_macros``,
    which renders the page and leaves Zensical's macros nothing to do."""

    def run(self, lines: list[str]) -> list[str]:
        if site_module.ENGINE == "mkdocs":
            return lines  # under MkDocs the macros module has already done this before Jinja ran
        from .macros import REFUSED_PAGE, render_zensical_page

        context = _zensical_context(self.md)
        if context is not None and context.page is not None:
            return render_zensical_page(context.page, context.config or {}, "\n".join(lines)).split("\n")
        text = protect_code("\n".join(lines))  # not a page (a fragment rendered for a check)
        _, refused = template_calls(text)
        return (REFUSED_PAGE if refused else text).split("\n")


def _zensical_context(md: Markdown) -> Any:
    """Zensical's rendering context for this Markdown instance (its page and configuration), if any."""
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:
        return None
    return ContextPreprocessor.from_markdown(md)


def _zensical_page_path(md: Markdown) -> str | None:
    """The source path of the page this Markdown instance converts, under Zensical."""
    context = _zensical_context(md)
    page = context.page if context else None
    return getattr(page, "path", None)


class _Restore(Postprocessor):
    """The HTML the macros kept out of Markdown (handbook.rawhtml), back in its place before the page is sanitised."""

    def run(self, text: str) -> str:
        return restore(text)


class _Sanitise(Postprocessor):
    """The page's HTML through the allow-list; whatever it would remove is an error with file and line.

    A page with such a problem is never shown as written, not even by the preview (which is
    not strict): it shows the problems instead. The table of contents, which the theme
    prints without escaping, gets only plain ids and escaped titles.
    """

    def run(self, text: str) -> str:
        # Python-Markdown also runs the postprocessors on each heading (the table of contents, the title):
        # the tokens are made plain once, when they are new.
        tokens = getattr(self.md, "toc_tokens", None) or []
        if tokens is not getattr(self, "_plain_tokens", None):
            _plain_toc(tokens)
            self._plain_tokens = tokens
        if "<" not in text:  # no tags (most headings): nothing to remove, keep apart or put back
            return text
        handbook, src = site_module.CURRENT, site_module.CURRENT_PAGE
        page = _zensical_page_path(self.md) if site_module.ENGINE == "zensical" else src
        if handbook is not None and page:  # the page's HTML as the same HTML came out before, if it did
            clean, problems = kept_sanitised(handbook.root, str(page), text, sanitise_and_check,
                                             getattr(self.md, "hb_figure_nonce", ""))
        else:
            clean, problems = sanitise_and_check(text)
        if problems:
            lines = []
            if handbook is not None and src:
                from .macros import report

                try:
                    source = (handbook.docs_dir / src).read_text(encoding="utf-8")
                except OSError:
                    source = ""
                for message, needle in problems:
                    problem = Problem(handbook.docs_path(src), source_line(source, needle), message)
                    report(problem)
                    lines.append(str(problem))
            else:
                lines = [message for message, _ in problems]
            return problems_html(lines)
        # Under MkDocs, what the search plugin need not walk waits for the page's template (rawhtml.Later).
        holder = self._holder(str(page)) if handbook is not None and page and site_module.ENGINE == "mkdocs" else None
        later = Later() if holder is not None else None
        # The figures' drawings: built by the handbook from an allow-list (figures.rebuild) and checked
        # with files.svg_problems, so they join the page only after its own HTML has been sanitised.
        for marker, svg in (getattr(self.md, "hb_figure_drawings", None) or {}).items():
            if marker in clean:  # (a heading's HTML holds none)
                clean = clean.replace(marker, later.keep(svg) if later is not None else svg, 1)
        if handbook is not None and page:
            clean = self._appendix_apart(handbook.root, str(page), text, clean)
        if later is not None and holder is not None:
            clean = later.excluded_apart(clean)
            if later.parts:
                holder["later"] = later.meta()
        return clean

    def _appendix_apart(self, root: Path, page: str, text: str, clean: str) -> str:
        """The page's HTML without its appended reference list and definitions, which go to the page's
        template instead (``page.meta.hb.appendix``, printed right after the content): same page for
        readers, but the search plugin, which indexes neither, no longer reads every tag of them.

        Moved only when the sanitised page provably ends with them, exactly as they come out of the
        allow-list alone; the page was sanitised and checked as a whole before."""
        holder = self._holder(page)
        appended = getattr(self.md, "hb_appended", None) or []
        start = text.rfind(appended[0]) if holder is not None and appended else -1
        if start < 0 or not _only(text[start:], appended):
            return clean
        tail, problems = kept_sanitised(root, page, text[start:].strip(), sanitise_and_check)
        body = clean.rstrip()
        if problems or not tail or not body.endswith(tail):
            return clean
        holder["appendix"] = tail  # type: ignore[index]
        return body[:-len(tail)].rstrip()

    def _holder(self, page: str) -> dict[str, Any] | None:
        """The citation data (``page.meta["hb"]``) of the page being rendered, if the template will print it."""
        if site_module.ENGINE == "zensical":
            context = _zensical_context(self.md)
            meta = getattr(getattr(context, "page", None), "meta", None)
            hb = meta.get("hb") if isinstance(meta, dict) else None
            return hb if isinstance(hb, dict) else None
        current = site_module.CURRENT_HB
        return current[1] if current is not None and current[0] == page else None


def _only(text: str, blocks: list[str]) -> bool:
    """Whether ``text`` is ``blocks``, in order, with nothing but whitespace around them."""
    for block in blocks:
        text = text.lstrip()
        if not text.startswith(block):
            return False
        text = text[len(block):]
    return not text.strip()


def problems_html(lines: list[str]) -> str:
    """What a page with a problem shows instead of its content (in the preview; the build fails)."""
    items = "".join(f"<li><code>{esc(line)}</code></li>" for line in lines)
    return ('<div class="admonition failure"><p class="admonition-title">This page was not built</p>'
            f"<p>The handbook refused it, for the reasons below. Fix each line and save.</p><ul>{items}</ul></div>")


def _plain_toc(tokens: list[dict[str, Any]]) -> None:
    """Table-of-contents entries as the theme prints them: plain ids, titles escaped once."""
    for token in tokens:
        token_id = str(token.get("id", ""))
        if not SAFE_ID.match(token_id) or token_id.startswith(("__", "hb-")):
            token["id"] = re.sub(r"[^A-Za-z0-9_.-]+", "-", token_id).strip("-_.") or "section"
        token["name"] = html.escape(html.unescape(re.sub(r"<[^>]*>", "", str(token.get("name", "")))), quote=True)
        _plain_toc(token.get("children") or [])


class HandbookExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"docs_dir": ["docs", "The docs folder, relative to the working directory (used only without the macros)."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.registerExtension(self)
        # After the macros (Zensical registers them at 35), before code blocks are stashed.
        md.preprocessors.register(_Appendix(md, self.getConfig("docs_dir")), "handbook_appendix", 33)
        # The definitions after whitespace is normalised (30), before MkDocs reads anchors in raw HTML (21);
        # the handbook's blocks (the reference list with them) shown to that reader by their ids, then stored
        # between it (21) and the HTML-block reader (20).
        md.preprocessors.register(_StashAppendix(md), "handbook_stash_definitions", 29)
        md.preprocessors.register(_Blocks(md), "handbook_blocks", 21.5)
        md.preprocessors.register(_StashBlocks(md), "handbook_stash_blocks", 20.5)
        # Figures: after the macros, before fenced code blocks are read (25).
        md.preprocessors.register(_Figures(md), "handbook_figures", 28)
        # Before Zensical's macros (35); a no-op under MkDocs.
        md.preprocessors.register(_Gate(md), "handbook_gate", 36)
        # The macros' own HTML back, after Markdown's raw HTML (30) and before the allow-list.
        md.postprocessors.register(_Restore(md), "handbook_restore", 29)
        # Last of all, on the finished HTML.
        md.postprocessors.register(_Sanitise(md), "handbook_sanitise", 0)


def makeExtension(**kwargs: Any) -> HandbookExtension:  # noqa: N802
    return HandbookExtension(**kwargs)
