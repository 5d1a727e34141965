"""Build what the deploy workflow publishes: every release at its own address, the newest also at the plain one.

    python3 dev.py publish [-d site] [--store DIR] [--new-archives DIR] [--archives-only] [--no-books]

Each release is a git tag ``v<version>`` (``v0.2.0``), published for ever at
``<site>/v/<version>/``; the newest is also at the plain addresses, which are fixed
(``/roles/advocacy/``).

A release's files never change once made, so each is built once. Its tag is built by its
own ``python3 dev.py build`` (with ``--books`` from 0.3.0 on) from its own lock file, with
``HANDBOOK_SITE_URL`` set to its address, and the result is packed into the release's
archive, ``handbook-site-<version>.tar.gz`` (the built files under ``site/`` and
``release.json``, which names the version, the tag's commit and the address), with its
sha256 beside it in ``handbook-site-<version>.tar.gz.sha256``. ``--store DIR`` is the
folder of archives: a release whose archive is there is taken from it, after checking its
sha256, its ``release.json`` against the tag and every member's name (files and folders
only, inside ``site/``); a release whose archive is missing is built and its archive added.
The newest release is built once more at the plain addresses on every run. So a deploy
builds the newest release (and any release it finds no archive for) and nothing else,
however many releases there are. The deploy workflow fills the store from the archives
attached to the GitHub releases and attaches the archives a run makes (``--new-archives``)
to their releases, in a job that runs none of the repository's code and never replaces an
asset; pull requests cannot write to releases (README, "Releases"). Every stored archive is
checked before anything is built, and one that fails stops the run with nothing published.
Without ``--store`` every release is built, into a temporary store. ``--no-books`` builds without
the PDF, EPUB and offline copy, for a quicker look at the releases: an archive made so says it in
its ``release.json``, and a run that makes the books (as the deploy does) refuses it.

What depends on later releases is added when the site is put together, never stored: the
stored files are exactly what the release's build wrote, and the copies under ``v/`` are then
made fit for what they are for, citations:
- every page under ``v/`` says ``noindex`` (search engines send readers to the plain
  address; each versioned page's canonical link is its own address, as its build wrote it),
  and only the plain site keeps a sitemap;
- every page of an earlier release opens with a notice naming its version and linking the
  latest version of the page and the changelog entries that changed it since.
Both are insertions into the stored HTML (``mark_versioned_page``); every other file under
``v/<version>/`` is the stored file, byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handbook.config import ENV_SITE_URL, load_settings  # noqa: E402
from handbook.releases import CHANGELOG, Releases, load_releases, version_key  # noqa: E402
from handbook.text import url_for  # noqa: E402

__all__ = ["Tag", "release_tags", "publish", "mark_versioned_page", "archive_name", "read_archive", "StoreError"]

ROOT = Path(__file__).resolve().parent.parent
TAG_RE = re.compile(r"^v(\d+\.\d+\.\d+)$")
NOINDEX = '<meta name="robots" content="noindex">'
MANIFEST = "release.json"


@dataclass(frozen=True)
class Tag:
    version: str
    commit: str


class StoreError(SystemExit):
    """A stored archive that cannot be trusted: nothing is published."""


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


# Building a release from its tag --------------------------------------------------------------------

def build_tag(repo: Path, tag: Tag, builds: list[tuple[str, Path]], *, books: bool = True) -> None:
    """The tag's site built at each address into its folder, by the tag's own ``dev.py build`` (with its
    books when the tag makes them, unless ``books`` is false)."""
    with tempfile.TemporaryDirectory(prefix=f"release-{tag.version}-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        archive = subprocess.run(["git", "archive", "--format=tar", tag.commit], cwd=repo, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        shutil.rmtree(tree / ".cache", ignore_errors=True)  # a cache committed to the tag is never trusted: the build makes its own
        _reuse_bootstrap(tree)
        # A release whose dev.py makes the books (0.3.0 on) publishes its PDF, EPUB and offline copy too.
        books_flag = ["--books"] if books and '"--books"' in (tree / "dev.py").read_text(encoding="utf-8") else []
        for url, dest in builds:
            target = Path(tmp) / "site"
            say(f"{tag.version} at {url}: building {tag.commit[:12]} with its own dev.py and lock file")
            started = time.monotonic()
            result = subprocess.run([_python(), "dev.py", "build", *books_flag, "-d", str(target)], cwd=tree,
                                    env=_clean_env() | {ENV_SITE_URL: url})
            if result.returncode != 0:
                raise SystemExit(f"publish: release {tag.version} (tag v{tag.version}, {tag.commit[:12]}) did not build; "
                                 "the lines above say why. Every release must stay online, so nothing was published.")
            home = (target / "index.html").read_text(encoding="utf-8")
            canonical = re.search(r'<link rel="canonical" href="([^"]*)"', home)
            if canonical is None or not canonical.group(1).startswith(url):
                raise SystemExit(f"publish: release {tag.version} did not take its address from {ENV_SITE_URL} "
                                 f"(its home page's canonical link is {canonical.group(1) if canonical else 'missing'}).")
            shutil.rmtree(dest, ignore_errors=True)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(target), dest)
            say(f"{tag.version} at {url}: built in {time.monotonic() - started:.0f} s")


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


# The store of release archives ----------------------------------------------------------------------

def archive_name(version: str) -> str:
    return f"handbook-site-{version}.tar.gz"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_archive(site: Path, tag: Tag, address: str, store: Path, *, books: bool = True) -> Path:
    """Pack a release's built site into ``store``: the same files always give the same bytes. An archive
    built without the books (``--no-books``) says so in its manifest."""
    manifest: dict[str, object] = {"version": tag.version, "commit": tag.commit, "address": address}
    if not books:
        manifest["no_books"] = True
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as zipped, \
            tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar:
        _add(tar, MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
        for path in sorted(site.rglob("*")):
            name = "site/" + path.relative_to(site).as_posix()
            if path.is_symlink() or not (path.is_file() or path.is_dir()):
                raise SystemExit(f"publish: {name} in release {tag.version}'s build is not a plain file or folder; "
                                 "a release archive holds nothing else.")
            _add(tar, name, path.read_bytes() if path.is_file() else None)
    store.mkdir(parents=True, exist_ok=True)
    archive = store / archive_name(tag.version)
    partial = archive.with_name(archive.name + ".partial")
    partial.write_bytes(buffer.getvalue())
    digest = hashlib.sha256(buffer.getvalue()).hexdigest()
    (store / f"{archive.name}.sha256").write_text(f"{digest}  {archive.name}\n", encoding="utf-8")
    partial.replace(archive)
    say(f"{tag.version}: stored as {archive.name} (sha256 {digest})")
    return archive


def _add(tar: tarfile.TarFile, name: str, data: bytes | None) -> None:
    info = tarfile.TarInfo(name)
    info.mtime, info.uname, info.gname = 0, "", ""
    if data is None:
        info.type, info.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(info)
    else:
        info.size, info.mode = len(data), 0o644
        tar.addfile(info, io.BytesIO(data))


def read_archive(store: Path, tag: Tag, address: str, *, books: bool = True) -> Path | None:
    """The release's archive in ``store`` once checked, or ``None`` when the store has none. With ``books``
    (as the deploy publishes), an archive made without them is refused."""
    archive = store / archive_name(tag.version)
    if not archive.exists():
        return None
    where = str(archive)
    checksum = archive.with_name(archive.name + ".sha256")
    if not checksum.exists():
        raise StoreError(f"publish: {where} has no {checksum.name} beside it, so it cannot be checked. "
                         "Nothing was published. Fetch both, or remove the archive to build the release again from its tag.")
    expected = checksum.read_text(encoding="utf-8").split()
    actual = sha256_of(archive)
    if not expected or expected[0] != actual:
        raise StoreError(f"publish: {where}: its sha256 is {actual}, but {checksum.name} records "
                         f"{expected[0] if expected else 'nothing'}. The archive was changed or damaged; nothing was published.")
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            if member.name != MANIFEST and not (member.name.startswith("site/") and ".." not in member.name.split("/")):
                raise StoreError(f"publish: {where} holds '{member.name}', outside site/; nothing was published.")
            if not (member.isfile() or member.isdir()):
                raise StoreError(f"publish: {where} holds '{member.name}', which is not a plain file or folder; "
                                 "nothing was published.")
        try:
            manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        except (KeyError, ValueError) as error:
            raise StoreError(f"publish: {where} has no readable {MANIFEST} ({error}); nothing was published.") from None
    differences = [f"its {field} is {manifest.get(field)!r}, not {want!r}" for field, want
                   in (("version", tag.version), ("commit", tag.commit), ("address", address)) if manifest.get(field) != want]
    if books and manifest.get("no_books"):
        differences.append("it was built without its books (publish --no-books), and a release is never published without them")
    if differences:
        moved = " If the site has moved, remove the stored archives to build the releases again." if differences[-1].startswith("its address") else ""
        raise StoreError(f"publish: {where} is not release {tag.version} as tag v{tag.version} makes it: "
                         f"{'; '.join(differences)}. Nothing was published.{moved}")
    return archive


def unpack(archive: Path, dest: Path) -> None:
    """The stored site of a checked archive into ``dest``."""
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, members=[m for m in tar.getmembers() if m.name.startswith("site/")], filter="data")
        shutil.move(str(Path(tmp) / "site"), dest)


# What depends on later releases, added when the site is put together ------------------------------------

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


def mark_release(target: Path, tag: Tag, latest: Tag, releases: Releases, base: str, plain: Path) -> None:
    """A release's copy under ``v/`` made fit for citing: no sitemap, ``noindex``, and on earlier releases the notice."""
    for name in ("sitemap.xml", "sitemap.xml.gz"):  # only the plain addresses are for search engines
        (target / name).unlink(missing_ok=True)
    for page in target.rglob("*.html"):
        rel = page.relative_to(target).as_posix()
        path = "" if rel == "index.html" else rel.removesuffix("index.html")
        notice = None
        if tag != latest and rel != "404.html":
            notice = old_version_notice(tag.version, releases, latest.version, base, path, (plain / rel).exists())
        # Bytes in, bytes out: nothing but the insertions changes (no newline or encoding is rewritten).
        page.write_bytes(mark_versioned_page(page.read_bytes().decode("utf-8"), notice).encode("utf-8"))


# Putting the site together ------------------------------------------------------------------------------

def publish(repo: Path, out: Path | None, store: Path | None = None, new_archives: Path | None = None, *,
            books: bool = True) -> list[Tag]:
    """Every release into ``out/v/<version>/`` (from ``store`` when it has it) and the newest into ``out/``.

    With ``out`` ``None``, only the archives missing from the store are made; with ``books`` false, the
    releases are built without their books."""
    tags = release_tags(repo)
    if not tags:
        raise SystemExit("publish: there is no release tag yet. Tag the commit of each release, e.g. "
                         "`git tag v0.2.0 <commit>`, and run this again.")
    base = load_settings(repo).site_url
    base = base if base.endswith("/") else base + "/"
    latest = tags[-1]
    own_store = store is None
    store = store if store is not None else Path(tempfile.mkdtemp(prefix="releases-"))
    try:
        # Every stored archive is checked before anything is built: a bad one stops the run at once.
        stored = {tag: read_archive(store, tag, f"{base}v/{tag.version}/", books=books) for tag in tags}
        for tag, archive in stored.items():
            if archive is not None:
                say(f"{tag.version}: from the store ({archive.name}, sha256 checked), not built")
        with tempfile.TemporaryDirectory(prefix="publish-") as tmp:
            plain = Path(tmp) / "plain"
            for tag in tags:
                builds = [] if stored[tag] is not None else [(f"{base}v/{tag.version}/", Path(tmp) / tag.version)]
                if tag == latest and out is not None:
                    builds.insert(0, (base, plain))
                if builds:
                    build_tag(repo, tag, builds, books=books)
                if stored[tag] is None:
                    archive = stored[tag] = write_archive(Path(tmp) / tag.version, tag, f"{base}v/{tag.version}/", store,
                                                          books=books)
                    if new_archives is not None:
                        new_archives.mkdir(parents=True, exist_ok=True)
                        for made in (archive, archive.with_name(archive.name + ".sha256")):
                            shutil.copy2(made, new_archives / made.name)
                    shutil.rmtree(Path(tmp) / tag.version)
            if out is None:
                return tags
            assemble(repo, out, plain, tags, stored, base)
    finally:
        if own_store:
            shutil.rmtree(store, ignore_errors=True)
    say(f"published {', '.join(t.version for t in tags)} under {out}/v/, and {latest.version} at the plain addresses")
    return tags


def assemble(repo: Path, out: Path, plain: Path, tags: list[Tag], stored: dict, base: str) -> None:
    """The plain site, then each release's stored files under ``v/``, marked."""
    latest = tags[-1]
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(plain, out)
    unlinked = sorted(page.parent.relative_to(out).as_posix() + "/" for page in out.rglob("index.html")
                      if "This page is not in a release yet" in page.read_text(encoding="utf-8"))
    if unlinked:
        say(f"warning: no changelog entry up to {latest.version} links {', '.join(unlinked)}, so these pages offer "
            "no permanent link (they are still published under v/, as every page of the release is).")
    releases = newest_releases(repo, latest)
    for tag in tags:
        target = out / "v" / tag.version
        target.parent.mkdir(parents=True, exist_ok=True)
        unpack(stored[tag], target)
        mark_release(target, tag, latest, releases, base, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py publish", description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--site-dir", type=Path, default=ROOT / "site", help="where to write the site (default: site/)")
    parser.add_argument("--store", type=Path, help="the folder of release archives: each release found there is not "
                        "built again, and each release built is added to it (default: a temporary folder)")
    parser.add_argument("--new-archives", type=Path, metavar="DIR",
                        help="also copy the archives this run made (with their .sha256) into DIR, to attach to their releases")
    parser.add_argument("--archives-only", action="store_true",
                        help="only make the archives missing from the store; publish no site")
    parser.add_argument("--no-books", dest="books", action="store_false",
                        help="build the releases without their PDF, EPUB and offline copy (quicker, to look at the "
                             "releases; the deploy never publishes such an archive)")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the git repository whose tags are published")
    args = parser.parse_args(argv)
    if args.archives_only and args.store is None:
        parser.error("--archives-only needs --store DIR, where the archives are kept")
    publish(args.repo.resolve(), None if args.archives_only else args.site_dir.resolve(),
            args.store.resolve() if args.store else None, args.new_archives.resolve() if args.new_archives else None,
            books=args.books)
    return 0


if __name__ == "__main__":
    sys.exit(main())
