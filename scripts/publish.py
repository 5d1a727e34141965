"""Build what the deploy workflow publishes: every release at its own address, the newest also at the plain one.

    python3 dev.py publish [-d site] [--cache DIR]

Each release is a git tag ``v<version>`` (``v0.2.0``). Every tag is built by its own
``python3 dev.py build`` from its own lock file, with ``HANDBOOK_SITE_URL`` set to its
address, into ``<site>/v/<version>/``; the newest is built once more at the plain
addresses, which are fixed (``/roles/advocacy/``). Nothing is kept anywhere but in git:
a deploy rebuilds the releases from their tags, so an old release stays online as long as
its tag exists and the packages its lock file names are on PyPI. ``--cache`` keeps each
tag's build under the tag's commit, so a deploy builds only the releases it has not built
before (the deploy workflow keeps that folder with actions/cache).

The versioned copies are then made fit for what they are for, citations:
- every page under ``v/`` says ``noindex`` (search engines send readers to the plain
  address; each versioned page's canonical link is its own address, as its build wrote it),
  and only the plain site keeps a sitemap;
- every page of an earlier release opens with a notice naming its version and linking the
  latest version of the page and the changelog entries that changed it since.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handbook.config import ENV_SITE_URL, load_settings  # noqa: E402
from handbook.releases import CHANGELOG, Releases, load_releases, version_key  # noqa: E402
from handbook.text import url_for  # noqa: E402

__all__ = ["Tag", "release_tags", "publish", "mark_versioned_page"]

ROOT = Path(__file__).resolve().parent.parent
TAG_RE = re.compile(r"^v(\d+\.\d+\.\d+)$")
NOINDEX = '<meta name="robots" content="noindex">'


@dataclass(frozen=True)
class Tag:
    version: str
    commit: str


def say(message: str) -> None:
    print(f"publish: {message}", flush=True)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def release_tags(repo: Path) -> list[Tag]:
    """The release tags (``v1.2.3``), oldest first, each with the commit it names."""
    tags = []
    for line in git(repo, "tag", "--list", "v*", "--format=%(refname:short) %(objectname) %(*objectname)").splitlines():
        name, obj, peeled = (line.split() + [""])[:3]
        match = TAG_RE.match(name)
        if match:
            tags.append(Tag(match.group(1), peeled or obj))  # an annotated tag names its commit through *objectname
    return sorted(tags, key=lambda t: version_key(t.version))


def build_tag(repo: Path, tag: Tag, site_urls: list[str], cache: Path) -> list[Path]:
    """The tag's site at each address, built by the tag's own ``dev.py build`` (or taken from the cache)."""
    keys = [f"{tag.version}-{tag.commit}-{hashlib.sha256(url.encode()).hexdigest()[:12]}" for url in site_urls]
    wanted = []
    for url, key in zip(site_urls, keys):
        if (cache / key / "index.html").exists():
            say(f"{tag.version} at {url}: built before, from {tag.commit[:12]} (in the cache)")
        else:
            wanted.append((url, cache / key))
    if not wanted:
        return [cache / key for key in keys]
    with tempfile.TemporaryDirectory(prefix=f"release-{tag.version}-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        archive = subprocess.run(["git", "archive", "--format=tar", tag.commit], cwd=repo, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        _reuse_bootstrap(tree)
        for url, dest in wanted:
            target = Path(tmp) / "site"
            say(f"{tag.version} at {url}: building {tag.commit[:12]} with its own dev.py and lock file")
            # A release whose dev.py makes the books (0.3.0 on) publishes its PDF, EPUB and offline copy too.
            books = ["--books"] if '"--books"' in (tree / "dev.py").read_text(encoding="utf-8") else []
            result = subprocess.run([_python(), "dev.py", "build", *books, "-d", str(target)], cwd=tree,
                                    env=_clean_env() | {ENV_SITE_URL: url})
            if result.returncode != 0:
                raise SystemExit(f"publish: release {tag.version} (tag v{tag.version}, {tag.commit[:12]}) did not build; "
                                 "the lines above say why. Every release must stay online, so nothing was published.")
            home = (target / "index.html").read_text(encoding="utf-8")
            canonical = re.search(r'<link rel="canonical" href="([^"]*)"', home)
            if canonical is None or not canonical.group(1).startswith(url):
                raise SystemExit(f"publish: release {tag.version} did not take its address from {ENV_SITE_URL} "
                                 f"(its home page's canonical link is {canonical.group(1) if canonical else 'missing'}).")
            if dest.exists():
                shutil.rmtree(dest)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(target), dest)
    return [cache / key for key in keys]


def _reuse_bootstrap(tree: Path) -> None:
    """Give the release's dev.py this checkout's copy of uv when it pins the same version (saves a download)."""
    pin = re.compile(r'^UV_VERSION = "([^"]+)"', re.M)
    ours, theirs = pin.search((ROOT / "dev.py").read_text(encoding="utf-8")), pin.search((tree / "dev.py").read_text(encoding="utf-8"))
    bootstrap = ROOT / ".bootstrap"
    # Releases before 0.3.0 kept uv in .cache/bootstrap.
    where = ".bootstrap" if '".bootstrap"' in (tree / "dev.py").read_text(encoding="utf-8") else ".cache/bootstrap"
    if ours and theirs and ours.group(1) == theirs.group(1) and (bootstrap / "bin" / "uv").exists():
        shutil.copytree(bootstrap, tree / where, symlinks=True)


def _python() -> str:
    """The interpreter that made this environment: each release makes its own from it."""
    return getattr(sys, "_base_executable", None) or sys.executable


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONHOME", ENV_SITE_URL}}
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return env


def newest_releases(repo: Path, tag: Tag) -> Releases:
    """The releases as the newest release's changelog records them."""
    text = git(repo, "show", f"{tag.commit}:docs/{CHANGELOG}")
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp)
        (docs / CHANGELOG).parent.mkdir(parents=True)
        (docs / CHANGELOG).write_text(text, encoding="utf-8")
        releases, _ = load_releases(docs, {}, tag.version, None)
    return releases


def mark_versioned_page(text: str, notice: str | None) -> str:
    """A page under ``v/``: ``noindex`` in its head and, for an earlier release, the notice atop its article."""
    if NOINDEX not in text:
        text = text.replace("</head>", f"  {NOINDEX}\n</head>", 1)
    if notice:
        match = re.search(r"<article\b[^>]*>", text) or re.search(r"<main\b[^>]*>", text) or re.search(r"<body\b[^>]*>", text)
        if match:
            text = text[: match.end()] + notice + text[match.end():]
    return text


def old_version_notice(version: str, releases: Releases, latest: str, base: str, path: str, exists_now: bool) -> str:
    """What an earlier release's page says first: which version this is, and where the latest is."""
    this = releases.get(version)
    newest = releases.get(latest)
    published = f", published on {html.escape(this.date_text)}" if this else ""
    changelog = f"{base}{url_for(CHANGELOG)}"
    later = [r for r in releases.releases if version_key(version) < version_key(r.version) <= version_key(latest)]
    src = next((s for r in releases.releases for s in r.pages if url_for(s) == path), None)
    changed = [r for r in later if src is not None and src in r.pages]
    if exists_now:
        where = f'<a href="{html.escape(base + path)}">read the latest version of this page</a>'
    else:
        where = f'<a href="{html.escape(base)}">go to the latest version of the handbook</a>'
    if changed:
        links = ", ".join(f'<a href="{html.escape(changelog)}#{html.escape(r.anchor)}">{html.escape(r.version)}</a>' for r in changed)
        since = f" Later releases that changed this page: {links}."
    else:
        since = f' The <a href="{html.escape(changelog)}">changelog</a> lists no change to this page since.'
    newest_date = f" ({html.escape(newest.date_text)})" if newest else ""
    return (f'<div class="admonition warning hb-old-version" role="note">'
            f'<p class="admonition-title">An earlier version of this page</p>'
            f"<p>You are reading version {html.escape(version)} of the handbook{published}, kept at this address so that "
            f"references to it still lead to the text they cite. The latest version is {html.escape(latest)}{newest_date}: "
            f"{where}.{since}</p></div>")


def publish(repo: Path, out: Path, cache: Path | None = None) -> list[Tag]:
    """Build every release into ``out/v/<version>/`` and the newest into ``out/``."""
    tags = release_tags(repo)
    if not tags:
        raise SystemExit("publish: there is no release tag yet. Tag the commit of each release, e.g. "
                         "`git tag v0.2.0 <commit>`, and run this again.")
    base = load_settings(repo).site_url
    base = base if base.endswith("/") else base + "/"
    latest = tags[-1]
    releases = newest_releases(repo, latest)
    own_cache = cache is None
    cache = cache if cache is not None else Path(tempfile.mkdtemp(prefix="releases-"))
    try:
        if out.exists():
            shutil.rmtree(out)
        builds = {tag: build_tag(repo, tag, ([base] if tag == latest else []) + [f"{base}v/{tag.version}/"], cache)
                  for tag in tags}
        shutil.copytree(builds[latest][0], out)
        unlinked = sorted(page.parent.relative_to(out).as_posix() + "/" for page in out.rglob("index.html")
                          if "This page is not in a release yet" in page.read_text(encoding="utf-8"))
        if unlinked:
            say(f"warning: no changelog entry up to {latest.version} links {', '.join(unlinked)}, so these pages offer "
                "no permanent link (they are still published under v/, as every page of the release is).")
        for tag in tags:
            target = out / "v" / tag.version
            shutil.copytree(builds[tag][-1], target)
            for name in ("sitemap.xml", "sitemap.xml.gz"):  # only the plain addresses are for search engines
                (target / name).unlink(missing_ok=True)
            for page in target.rglob("*.html"):
                rel = page.relative_to(target).as_posix()
                path = "" if rel == "index.html" else rel.removesuffix("index.html")
                notice = None
                if tag != latest and rel != "404.html":
                    notice = old_version_notice(tag.version, releases, latest.version, base, path, (out / rel).exists())
                page.write_text(mark_versioned_page(page.read_text(encoding="utf-8"), notice), encoding="utf-8")
    finally:
        if own_cache:
            shutil.rmtree(cache, ignore_errors=True)
    say(f"published {', '.join(t.version for t in tags)} under {out}/v/, and {latest.version} at the plain addresses")
    return tags


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--site-dir", type=Path, default=ROOT / "site", help="where to write the site (default: site/)")
    parser.add_argument("--cache", type=Path, help="a folder that keeps each release's build between runs")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the git repository whose tags are published")
    args = parser.parse_args(argv)
    publish(args.repo.resolve(), args.site_dir.resolve(), args.cache.resolve() if args.cache else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
