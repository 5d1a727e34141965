"""The offline copy: the whole site as a zip that works when opened from the file system.

A second build with Material's offline plugin (``HANDBOOK_OFFLINE=true``, see mkdocs.yml)
turns directory URLs off (pages become ``roles/advocacy.html``; the handbook's own links
follow ``use_directory_urls``), inlines the search index as a script and switches instant
navigation off on ``file://``. Browsers run no Web Worker from a file, so Material loads
the iframe-worker shim, from unpkg.com: the copy must work without a network and the site
makes no third-party request, so the shim comes from npm (package-lock.json) and each page
loads that copy instead. The server-only files (404 page, sitemap) are left out.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from ..config import ENV_OFFLINE
from ..errors import ContentError, Problem

__all__ = ["write_offline"]

#: The shim as the npm package ships it, and where the copy keeps it.
SHIM = Path("node_modules") / "iframe-worker" / "shim" / "index.js"
_SHIM_IN_SITE = "assets/javascripts/iframe-worker-shim.js"
_UNPKG_TAG = re.compile(r'<script src="https://unpkg\.com/iframe-worker/shim"[^>]*></script>')
#: Files only a web server uses.
_LEFT_OUT = {"404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"}


def write_offline(root: Path, target: Path, released: str) -> None:
    """Build the offline site into .cache/books/offline and zip it, under one folder, to ``target``."""
    shim = root / SHIM
    if not shim.is_file():
        raise ContentError([Problem(SHIM.as_posix(), None, "is missing: run `npm ci` (the offline copy's search needs it).")])
    build = root / ".cache" / "books" / "offline"
    shutil.rmtree(build, ignore_errors=True)
    env = dict(os.environ) | {ENV_OFFLINE: "true"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(build)], cwd=root, env=env)
    if done.returncode != 0:
        raise ContentError([Problem("mkdocs.yml", None, "the offline build failed (the lines above say why).")])
    (build / _SHIM_IN_SITE).write_bytes(shim.read_bytes())
    for page in sorted(build.rglob("*.html")):
        rel = page.relative_to(build).as_posix()
        if rel in _LEFT_OUT:
            continue
        html = page.read_text(encoding="utf-8")
        local = posixpath.relpath(_SHIM_IN_SITE, posixpath.dirname(rel) or ".")
        html, count = _UNPKG_TAG.subn(f'<script src="{local}"></script>', html)
        if count != 1:
            raise ContentError([Problem(rel, None, "does not load Material's iframe-worker shim as expected: "
                                                   "check the offline plugin of this Material release.")])
        page.write_text(html, encoding="utf-8")

    folder = target.name.removesuffix(".zip")
    stamp = dt.date.fromisoformat(released).timetuple()[:3] + (0, 0, 0)
    tmp = target.with_name(target.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in build.rglob("*") if p.is_file()):
            rel = path.relative_to(build).as_posix()
            if rel in _LEFT_OUT:
                continue
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    tmp.replace(target)
