"""Measure the handbook: build time, page weight, and Lighthouse scores. Prints figures.

    python3 dev.py bench [--runs 3] [--no-lighthouse]

Not a test: numbers vary by machine, so they are reported, not asserted. Lighthouse
comes from npm (benchmarks/package-lock.json) and runs Debian's chromium, on the built
site served from this machine with gzip, as GitHub Pages serves it.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGES = ["", "roles/advocacy/", "glossary/", "references/"]


def build_times(runs: int, out: Path) -> list[float]:
    times = []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run([str(BIN / "mkdocs"), "build", "--quiet", "-d", str(out)], cwd=ROOT, env=env, check=True)
        times.append(time.perf_counter() - start)
    return times


def page_weight(site: Path, url: str) -> tuple[int, int, int]:
    """(requests, bytes, gzipped bytes) of a page's HTML and the CSS and JS it loads."""
    html_path = site / url / "index.html"
    html = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    files = [html_path]
    for tag in html.find_all(["script", "link"]):
        ref = tag.get("src") or (tag.get("href") if "stylesheet" in (tag.get("rel") or []) else None)
        if ref and not ref.startswith(("http:", "https:", "data:")):
            files.append((html_path.parent / ref.split("?")[0]).resolve())
    raw = sum(f.stat().st_size for f in files if f.exists())
    packed = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files if f.exists())
    return len(files), raw, packed


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the site gzip-compressed, as GitHub Pages does, so page weight counts fairly."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or \
                path.suffix not in (".html", ".css", ".js", ".json", ".svg", ".xml"):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io
        return io.BytesIO(body)


def lighthouse(site: Path) -> dict[str, dict[str, dict[str, float]]]:
    exe = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
    if not exe.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT / "benchmarks", check=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results: dict[str, dict[str, dict[str, float]]] = {}
    env = {**os.environ, "CHROME_PATH": os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium")}
    try:
        for preset in ("mobile", "desktop"):
            for url in PAGES:
                with tempfile.TemporaryDirectory() as tmp:
                    report = Path(tmp) / "report.json"
                    cmd = [str(exe), base + url, "--quiet", "--output=json", f"--output-path={report}",
                           "--only-categories=performance,accessibility,best-practices,seo",
                           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"]
                    if preset == "desktop":
                        cmd.append("--preset=desktop")
                    subprocess.run(cmd, env=env, check=True, timeout=300)
                    data = json.loads(report.read_text())
                    results.setdefault(preset, {})[url or "/"] = {k: round(v["score"] * 100) for k, v in data["categories"].items()}
    finally:
        server.shutdown()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        times = build_times(args.runs, site)
        pages = len(list(site.rglob("index.html")))
        print(f"Build (strict, from a clean output folder, {pages} pages, {args.runs} runs): "
              f"median {statistics.median(times):.1f} s, min {min(times):.1f} s, max {max(times):.1f} s")
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        print(f"Site size: {size / 1e6:.1f} MB in {sum(1 for f in site.rglob('*') if f.is_file())} files")
        print("Page weight (HTML + its CSS and JS; requests, raw, gzipped):")
        for url in PAGES:
            n, raw, packed = page_weight(site, url)
            print(f"  /{url:<18} {n:>2} files  {raw / 1024:7.0f} KiB  {packed / 1024:6.0f} KiB")
        if not args.no_lighthouse:
            print("Lighthouse (performance / accessibility / best practices / SEO):")
            for preset, pages_scores in lighthouse(site).items():
                for url, scores in pages_scores.items():
                    print(f"  {preset:<7} {url:<18} " + " / ".join(str(scores[k]) for k in ("performance", "accessibility", "best-practices", "seo")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
