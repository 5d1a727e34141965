"""Measure the handbook in a browser: Lighthouse on five pages, against a default Material build.

    python3 dev.py bench --lighthouse [--runs 3] [--json benchmarks/lighthouse.json]

Builds the handbook, and the same pages with a default Material for MkDocs configuration
(no overrides, no extra CSS or JS, no macros, no web fonts), serves both from this machine
with gzip as GitHub Pages serves them, and runs Lighthouse (mobile; Debian's chromium) on
five representative pages of each, interleaved so that both builds meet the same machine
load (each build measured first in turn, after one uncounted run of each). Prints a
side-by-side table of the four scores, bytes transferred, requests, render-blocking files,
Largest Contentful Paint and Total Blocking Time (median of the runs, three by default);
writes it as JSON and Markdown (benchmarks/lighthouse.md, linked from the README); and checks the page-weight
budget (below). Lighthouse comes from npm (benchmarks/package-lock.json; 12.8 runs on
Node 20).

Not a test: numbers vary by machine, so they are reported, not asserted; only the budget,
which is about bytes, not time, makes the command fail.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import BinaryIO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from handbook.config import environment_settings  # noqa: E402

LIGHTHOUSE_VERSION = json.loads((ROOT / "benchmarks" / "package.json").read_text())["devDependencies"]["lighthouse"]
BIN = Path(sys.executable).parent


@functools.cache
def gzipped(path: str) -> bytes:
    """Each file compressed once: the server then does the same little work for every run of both builds."""
    return gzip.compress(Path(path).read_bytes(), 6)


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the site gzip-compressed, as GitHub Pages does, so page weight counts fairly."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or \
                path.suffix not in (".html", ".css", ".js", ".json", ".svg", ".xml"):
            return super().send_head()
        body = gzipped(str(path))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


PAGES = ["", "roles/advocacy/", "approach/in-practice/", "glossary/", "references/"]  # home, topic, long topic, glossary, bibliography

#: Page-weight budget: bytes transferred (gzip) for a first visit to any of the five pages,
#: search index included. Readers are students on a phone's data plan, on a bus or on a
#: library's shared connection: 350 kB is about 1.75 s on a slow 4G connection (1.6 Mbit/s).
#: Against a default Material build of the same pages at most 1.15 times (issue 28): the
#: handbook carries what that build does not (the cite box, definitions and head metadata,
#: about 7 kB per page; its own style sheet and script, about 9 kB), and the ratio catches
#: anything heavier (a web font, an image, a library) arriving unnoticed. The search index
#: (the glossary's and the bibliography's text make the handbook's the larger) is loaded only
#: when a reader turns to search, so a first visit does not count it; Material's build loads
#: its own with every page.
BUDGET_RATIO = 1.15
BUDGET_BYTES = 350_000


def material_config() -> str:
    """The handbook's pages and navigation under a default Material configuration."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = text[text.index("\nnav:\n") + 1:]
    return ("site_name: Client-Centred Practice Handbook\nsite_url: http://127.0.0.1/\nuse_directory_urls: true\n"
            f"docs_dir: {ROOT / 'docs'}\n"
            "theme:\n  name: material\n  font: false\n"
            "plugins:\n  - search\n"
            "markdown_extensions:\n  - admonition\n  - attr_list\n  - tables\n  - toc:\n      permalink: true\n  - pymdownx.superfences\n"
            + nav)


def build(config: Path, out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(BIN / "mkdocs"), "build", "--quiet", "-f", str(config), "-d", str(out)], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def lighthouse_run(url: str) -> dict[str, float]:
    exe = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
    env = {**os.environ, "CHROME_PATH": environment_settings().chromium}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([str(exe), url, "--quiet", "--output=json", f"--output-path={report}",
                        "--only-categories=performance,accessibility,best-practices,seo",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
                       env=env, check=True, timeout=300)
        data = json.loads(report.read_text())
    audits = data["audits"]
    blocking = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    return {**{k: round(v["score"] * 100) for k, v in data["categories"].items()},
            "bytes": audits["total-byte-weight"]["numericValue"],
            "requests": len(audits["network-requests"]["details"]["items"]),
            "blocking": len(blocking),
            "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
            "tbt_ms": audits["total-blocking-time"]["numericValue"]}


KEYS = ["performance", "accessibility", "best-practices", "seo", "bytes", "requests", "blocking", "lcp_ms", "tbt_ms"]


def pair_order(run: int, page: int) -> tuple[str, str]:
    """Which build Lighthouse measures first: each in turn, so that neither always meets the machine
    as the other has left it (the first of a pair ran after the other build's previous page)."""
    return ("handbook", "material") if (run + page) % 2 == 0 else ("material", "handbook")


def compare(runs: int) -> list[dict]:
    exe = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
    if not exe.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT / "benchmarks", check=True)
    with tempfile.TemporaryDirectory() as tmp:
        sites = {"handbook": Path(tmp) / "handbook", "material": Path(tmp) / "material"}
        build(ROOT / "mkdocs.yml", sites["handbook"])
        (Path(tmp) / "material.yml").write_text(material_config(), encoding="utf-8")
        build(Path(tmp) / "material.yml", sites["material"])
        servers = {name: serve(site) for name, site in sites.items()}
        samples: dict[tuple[str, str], list[dict]] = {}
        try:
            for _, base in servers.values():  # not counted: the first runs meet a cold disk cache and server
                lighthouse_run(base)
            for run in range(runs):
                for i, url in enumerate(PAGES):
                    for name in pair_order(run, i):  # interleaved: both builds meet the same load
                        samples.setdefault((url, name), []).append(lighthouse_run(servers[name][1] + url))
        finally:
            for server, _ in servers.values():
                server.shutdown()
    rows = []
    for url in PAGES:
        row: dict = {"page": "/" + url}
        for name in ("handbook", "material"):
            row[name] = {k: statistics.median(s[k] for s in samples[(url, name)]) for k in KEYS}
        rows.append(row)
    return rows


def table(rows: list[dict], runs: int) -> str:
    lines = [f"Lighthouse {LIGHTHOUSE_VERSION}, mobile, median of {runs} run(s); handbook / default Material build of the same pages.",
             "", "| Page | Performance | Accessibility | Best practices | SEO | kB transferred | Requests | Render-blocking | LCP (s) | TBT (ms) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        h, m = row["handbook"], row["material"]
        lines.append(f"| {row['page']} | {h['performance']:.0f} / {m['performance']:.0f} | {h['accessibility']:.0f} / {m['accessibility']:.0f} | "
                     f"{h['best-practices']:.0f} / {m['best-practices']:.0f} | {h['seo']:.0f} / {m['seo']:.0f} | "
                     f"{h['bytes'] / 1000:.0f} / {m['bytes'] / 1000:.0f} | {h['requests']:.0f} / {m['requests']:.0f} | "
                     f"{h['blocking']:.0f} / {m['blocking']:.0f} | {h['lcp_ms'] / 1000:.1f} / {m['lcp_ms'] / 1000:.1f} | "
                     f"{h['tbt_ms']:.0f} / {m['tbt_ms']:.0f} |")
    return "\n".join(lines)


def over_budget(rows: list[dict]) -> list[str]:
    problems = []
    for row in rows:
        h, m = row["handbook"]["bytes"], row["material"]["bytes"]
        if h > BUDGET_BYTES or h > m * BUDGET_RATIO:
            problems.append(f"{row['page']}: {h / 1000:.0f} kB (budget: {BUDGET_BYTES / 1000:.0f} kB and "
                            f"{BUDGET_RATIO:.2f} x Material's {m / 1000:.0f} kB)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and build; the table gives medians")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "lighthouse.json")
    args = parser.parse_args(argv)
    rows = compare(args.runs)
    text = table(rows, args.runs)
    print(text)
    problems = over_budget(rows)
    verdict = ("Page-weight budget met: every page within " f"{BUDGET_BYTES / 1000:.0f} kB and {BUDGET_RATIO:.2f} x Material." if not problems
               else "Over the page-weight budget:\n" + "\n".join("- " + p for p in problems))
    print(verdict)
    args.json.write_text(json.dumps({"lighthouse": LIGHTHOUSE_VERSION, "runs": args.runs, "budget_bytes": BUDGET_BYTES,
                                     "budget_ratio": BUDGET_RATIO, "pages": rows}, indent=2) + "\n", encoding="utf-8")
    md = args.json.with_suffix(".md")
    md.write_text("# Lighthouse: the handbook against default Material\n\nWritten by `python3 dev.py bench --lighthouse` "
                  "(scripts/benchmark.py says how it measures).\n\n" + text + "\n\n" + verdict + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
