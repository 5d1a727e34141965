"""Build cost of the handbook against a plain Material build of the same pages, from 40 to 1,000 pages.

    python3 dev.py bench --build-only [--sizes real,100,500,1000] [--runs 2] [--json FILE]

Sites of 100, 500 and 1,000 pages are made from the real one: the content sections
(client, roles, relationship, challenges, approach, practice) are copied as often as it
takes, each copy in a folder of its own with its links kept working, so every synthetic
page has the shape of a real page (terms, citations with locators, reference lists,
cite box, glossary and bibliography backlinks). Each size is built three ways, in turn
within each run: the handbook with an empty citation cache (cold), the handbook again
with the cache it left (warm, as in `dev.py serve` and CI after the first build), a
plain Material build of the same pages (the same mkdocs.yml without the macros plugin
and the handbook's Markdown extension), and the handbook built by Zensical. CPU time is the build process's user+system
time; the best of the runs is kept. Prints a table and writes it as JSON.

Not a test: the figures depend on the machine, so they are reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import posixpath
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from handbook.config import ENV_SITE_URL  # noqa: E402

BIN = Path(sys.executable).parent
#: The sections copied to make the larger sites: the six of the first plan, fixed, so that a size means the
#: same pages in every table of benchmarks/build-times.md (settings and skills are in the real site once).
SECTIONS = ("client", "roles", "relationship", "challenges", "approach", "practice")
_LINK = re.compile(r"(\]\(|href=\")([^)\"#\s]+\.md)")


def _relink(text: str, src: str) -> str:
    """Links from a copied page to pages outside the content sections go one folder further up."""
    def fix(match: re.Match) -> str:
        target = match.group(2)
        if re.match(r"^[a-z]+:", target):
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src), target))
        if resolved.split("/")[0] in SECTIONS:
            return match.group(0)
        return match.group(1) + "../" + target
    return _LINK.sub(fix, text)


def _without_figures(docs: Path) -> None:
    """Every ``figure`` block taken out of the pages (the row that shows what drawing the figures costs)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from handbook.figures import figure_blocks

    for md in docs.rglob("*.md"):
        lines = md.read_text(encoding="utf-8").split("\n")
        for start, end in reversed(figure_blocks(lines)):
            del lines[start:end + 1]
        md.write_text("\n".join(lines), encoding="utf-8")


def make_site(dest: Path, pages: int | None, *, figures: bool = True) -> int:
    """The real handbook in ``dest``, with copies of its content sections up to about ``pages`` pages
    (``figures=False``: with its figures taken out)."""
    shutil.copytree(ROOT / "docs", dest / "docs")
    if not figures:
        _without_figures(dest / "docs")
    shutil.copy(ROOT / "CITATION.cff", dest / "CITATION.cff")
    shutil.copy(ROOT / ".spelling-wordlist.txt", dest / ".spelling-wordlist.txt")
    # The code and templates are linked, not copied: Zensical loads the macros module only from
    # inside the project, and both engines then run exactly the repository's code.
    for shared in ("scripts", "overrides"):
        (dest / shared).symlink_to(ROOT / shared, target_is_directory=True)
    config_text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    content = sorted(p.relative_to(dest / "docs").as_posix() for s in SECTIONS for p in (dest / "docs" / s).rglob("*.md"))
    total = sum(1 for _ in (dest / "docs").rglob("*.md"))
    nav_extra = []
    copy = 0
    while pages and total + len(content) <= pages + len(content) // 2:
        copy += 1
        entries = []
        for src in content:
            text = (dest / "docs" / src).read_text(encoding="utf-8")
            target = dest / "docs" / f"x{copy}" / src
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_relink(text, src), encoding="utf-8")
            entries.append(f"x{copy}/{src}")
        nav_extra.append((copy, entries))
        total += len(content)
    config = config_text
    if nav_extra:  # each copy is a section of its own, before About
        block = "".join(f"  - Copy {k}:\n" + "".join(f"      - {e}\n" for e in entries) for k, entries in nav_extra)
        config = config.replace("\n  - About:\n", "\n" + block + "  - About:\n", 1)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    plain = re.sub(r"  - macros:\n(?:      .*\n)+", "", config).replace("  - handbook.mdx\n", "").replace("strict: true", "strict: false")
    (dest / "mkdocs-plain.yml").write_text(plain, encoding="utf-8")
    return total


#: Builds that failed where a failure is a finding, not the end of the run: (project folder, engine) -> last line.
FAILURES: dict[tuple[str, str], str] = {}


def timed_build(project: Path, config: str, env: dict[str, str], engine: str = "mkdocs") -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one build of ``project``: `mkdocs build`, or `zensical build --clean`
    (which empties `.cache/`, the citation cache with it: a cold build, as on a fresh CI machine)."""
    out = project / "site"
    shutil.rmtree(out, ignore_errors=True)
    cmd = ([str(BIN / "mkdocs"), "build", "-q", "-f", str(project / config), "-d", str(out)] if engine == "mkdocs" else
           [str(BIN / "zensical"), "build", "--clean", "-f", str(project / config)])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 and engine == "zensical":
        # Reported in the table, not fatal: the other engines' figures still stand (at 1,000 pages the
        # teaching page's list of every page outgrows Zensical's limit on one search field).
        last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["(no message)"]
        FAILURES[(project.name, engine)] = last[0]
        return math.nan, math.nan
    if result.returncode != 0 and config == "mkdocs.yml":
        raise SystemExit(f"the handbook build of {project} with {engine} failed:\n{result.stdout}{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="real,100,500,1000", help="comma-separated: 'real', 'real-no-figures' (the real site with its figures taken out) "
                                                            "or a number of pages")
    parser.add_argument("--runs", type=int, default=2, help="runs of each build (the best is kept)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "build-times.json")
    parser.add_argument("--no-preview", action="store_true", help="skip the save-to-reload measurement of `dev.py serve`")
    args = parser.parse_args(argv)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop(ENV_SITE_URL, None)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sites = {}
        for size in args.sizes.split(","):
            project = Path(tmp) / f"site-{size}"
            project.mkdir()
            if size == "real-no-figures":
                sites[size] = (project, make_site(project, None, figures=False))
            else:
                sites[size] = (project, make_site(project, None if size == "real" else int(size)))
        best: dict[tuple[str, str], tuple[float, float]] = {}
        for _ in range(args.runs):  # interleaved, so that a slow moment of the machine hits every kind alike
            for size, (project, _pages) in sites.items():
                shutil.rmtree(project / ".cache", ignore_errors=True)
                for kind, config, engine in (("cold", "mkdocs.yml", "mkdocs"), ("warm", "mkdocs.yml", "mkdocs"),
                                             ("plain", "mkdocs-plain.yml", "mkdocs"), ("zensical", "mkdocs.yml", "zensical")):
                    cpu, wall = timed_build(project, config, env, engine)
                    key = (size, kind)
                    if key not in best or cpu < best[key][0] or math.isnan(best[key][0]):
                        best[key] = (cpu, wall)
        for size, (_project, pages) in sites.items():
            plain = best[(size, "plain")]
            row = {"size": size, "pages": pages, "plain_cpu": round(plain[0], 2), "plain_wall": round(plain[1], 2)}
            for kind in ("cold", "warm", "zensical"):
                cpu, wall = best[(size, kind)]
                row |= {f"{kind}_cpu": round(cpu, 2), f"{kind}_wall": round(wall, 2), f"{kind}_ratio": round(cpu / plain[0], 2)}
            row["zensical_vs_mkdocs_wall"] = round(row["zensical_wall"] / row["cold_wall"], 2)
            if math.isnan(row["zensical_cpu"]):
                row["zensical_failed"] = FAILURES.get((_project.name, "zensical"), "failed")
            rows.append(row)
    print(f"Build cost, best of {args.runs} interleaved runs (CPU seconds; wall seconds in brackets; ratio = CPU / plain CPU):")
    print(f"{'site':>6} {'pages':>6} | {'plain Material':>16} | {'handbook, cold cache':>24} | {'handbook, warm cache':>24}"
          f" | {'handbook with Zensical':>24} | Zensical / MkDocs (wall, both cold)")
    for r in rows:
        print(f"{r['size']:>6} {r['pages']:>6} | {r['plain_cpu']:>7.1f} ({r['plain_wall']:>5.1f}) | "
              f"{r['cold_cpu']:>7.1f} ({r['cold_wall']:>5.1f}) {r['cold_ratio']:>5.2f}x | "
              f"{r['warm_cpu']:>7.1f} ({r['warm_wall']:>5.1f}) {r['warm_ratio']:>5.2f}x | "
              f"{r['zensical_cpu']:>7.1f} ({r['zensical_wall']:>5.1f}) {r['zensical_ratio']:>5.2f}x | {r['zensical_vs_mkdocs_wall']:.2f}")
    preview = {}
    if not args.no_preview:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "preview"
            project.mkdir()
            make_site(project, None)
            for dirty in (True, False):
                preview["dirty" if dirty else "full"] = [round(t, 2) for t in preview_times(project, env, dirty=dirty)]
    if preview:
        print(f"Preview (`dev.py serve`, {sites.get('real', (None, 0))[1] or 'real'} pages): save to reloaded page, "
              f"seconds: {', '.join(map(str, preview['dirty']))} (rebuilding the saved page, as dev.py serve does); "
              f"{', '.join(map(str, preview['full']))} (rebuilding every page)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"runs": args.runs, "python": sys.version.split()[0],
                                     "rows": [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in r.items()} for r in rows], "preview_seconds": preview},
                                    indent=2) + "\n", encoding="utf-8")
    table = args.json.with_suffix(".md")
    table.write_text(markdown_table(rows, preview, args.runs), encoding="utf-8")
    print(f"Written to {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json} and {table.name}")
    return 0


def markdown_table(rows: list[dict], preview: dict, runs: int) -> str:
    """The table for benchmarks/build-times.md, which the README links."""
    out = ["# Build cost: the handbook against plain Material", "",
           f"Made by `python3 dev.py bench --build-only` (scripts/bench_build.py), best of {runs} interleaved runs on the",
           "project's 2-core machine. CPU seconds (user + system) of `mkdocs build`; wall seconds in brackets; the ratio",
           "is the handbook's CPU time over a plain Material build of the same pages (the same mkdocs.yml without the",
           "macros plugin and the handbook's Markdown extension). Cold: empty citation cache; warm: the cache the cold",
           "build left, as for every build after the first. Zensical: the same handbook built by `zensical build --clean`,",
           "which empties `.cache/` and so starts cold, like a deploy on a fresh machine; the last column is its wall",
           "time over MkDocs' cold build.", "",
           "| site | pages | plain Material | handbook, cold | ratio | handbook, warm | ratio | handbook, Zensical | ratio | Zensical / MkDocs, wall |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    failed = [r for r in rows if r.get("zensical_failed")]
    for r in rows:
        out.append(f"| {r['size']} | {r['pages']} | {r['plain_cpu']:.1f} ({r['plain_wall']:.1f}) | {r['cold_cpu']:.1f} "
                   f"({r['cold_wall']:.1f}) | {r['cold_ratio']:.2f}x | {r['warm_cpu']:.1f} ({r['warm_wall']:.1f}) | {r['warm_ratio']:.2f}x "
                   + ("| fails (below) | | |" if r.get("zensical_failed") else
                      f"| {r['zensical_cpu']:.1f} ({r['zensical_wall']:.1f}) | {r['zensical_ratio']:.2f}x | {r['zensical_vs_mkdocs_wall']:.2f} |"))
    out += [f"\nZensical could not build the {r['size']}-page site: {r['zensical_failed']}" for r in failed]
    if preview:
        out += ["", "Preview (`python3 dev.py serve`, the real site): seconds from saving a page to the reloaded page,",
                f"three saves: {', '.join(map(str, preview.get('dirty', [])))} (the saved page is rebuilt, as `dev.py serve` does);",
                f"{', '.join(map(str, preview.get('full', [])))} (`dev.py serve --full`, every page rebuilt)."]
    return "\n".join(out) + "\n"



def preview_times(project: Path, env: dict[str, str], *, dirty: bool, saves: int = 3) -> list[float]:
    """Seconds from saving a page to `mkdocs serve` serving the new text, `saves` times."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [str(BIN / "mkdocs"), "serve", "-q", "--dev-addr", f"127.0.0.1:{port}", "--livereload"] + (["--dirty", "--no-strict"] if dirty else [])
    server = subprocess.Popen(cmd, cwd=project, env={**env, ENV_SITE_URL: f"http://127.0.0.1:{port}/"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page = project / "docs" / "roles" / "advocacy.md"
    original = page.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{port}/roles/advocacy/"

    def served() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    times = []
    try:
        deadline = time.monotonic() + 300
        while "Advocacy" not in served():
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("mkdocs serve did not start")
            time.sleep(0.2)
        for n in range(saves):
            time.sleep(1.5)  # let the watcher settle
            marker = f"Preview marker {n} {time.time_ns()}"
            start = time.monotonic()
            page.write_text(original.replace("## Learning outcomes", f"{marker}\n\n## Learning outcomes", 1), encoding="utf-8")
            while marker not in served():
                if time.monotonic() - start > 120:
                    raise SystemExit("the preview did not show the saved page within two minutes")
                time.sleep(0.05)
            times.append(time.monotonic() - start)
    finally:
        page.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    return times


if __name__ == "__main__":
    sys.exit(main())
