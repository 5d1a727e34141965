"""Build cost before and after a change, in one run: another commit against this work tree.

    .venv/bin/python scripts/bench_ab.py --before main [--sizes real,500] [--runs 1]

The other commit is exported into a temporary folder with its own environment, made by uv
from its own lock file (so each side runs exactly the dependencies it pins); each side makes
its sites with its own `make_site` (scripts/bench_build.py) and builds them cold (an empty
citation cache) and warm (the cache its cold build left), the two sides interleaved so that
a slow moment of the shared machine hits both alike. CPU seconds (user + system) of
`mkdocs build`, best of the runs; wall seconds in brackets. Not a test: the figures depend
on the machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from dev import environment, uv  # noqa: E402  (the pinned uv that dev.py uses)
from handbook.config import ENV_NO_CACHE, ENV_SITE_URL  # noqa: E402


def export(commit: str, dest: Path) -> Path:
    """The tree of ``commit`` in ``dest``, with an environment of its own (its bin folder)."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    env = environment() | {"VIRTUAL_ENV": str(dest / ".venv"), "UV_PROJECT_ENVIRONMENT": str(dest / ".venv")}
    # Compiled at install, so that the other commit's first build does not compile the libraries (the runs
    # are the best of several, and dev.py's own environment keeps what its first build compiled).
    subprocess.run([str(uv()), "sync", "--locked", "--quiet", "--compile-bytecode", "--python", sys.executable],
                   cwd=dest, env=env, check=True)
    return dest / ".venv" / "bin"


def make(tree: Path, bindir: Path, size: str, dest: Path) -> int:
    code = (f"import runpy, pathlib; make = runpy.run_path({str(tree / 'scripts' / 'bench_build.py')!r}, run_name='bench')['make_site']; "
            f"print(make(pathlib.Path({str(dest)!r}), {None if size == 'real' else int(size)}))")
    return int(subprocess.run([str(bindir / "python"), "-c", code], capture_output=True, text=True, check=True).stdout)


def build(project: Path, bindir: Path, *, cold: bool) -> tuple[float, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop(ENV_SITE_URL, None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as dev.py: each side keeps what it compiles
    if cold:
        env[ENV_NO_CACHE] = "1"
    shutil.rmtree(project / "site", ignore_errors=True)
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    result = subprocess.run([str(bindir / "mkdocs"), "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
                            cwd=project, env=env, capture_output=True, text=True)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"the build of {project} failed:\n{result.stdout}{result.stderr}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="the commit to compare with (a branch, tag or hash)")
    parser.add_argument("--sizes", default="real,500", help="comma-separated: 'real' or a number of pages")
    parser.add_argument("--runs", type=int, default=1, help="runs of each build (the best is kept)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        sides = {"before": (Path(tmp) / "before", export(args.before, Path(tmp) / "before")),
                 "after": (ROOT, ROOT / ".venv" / "bin")}
        print(f"Build cost, {args.before} (before) against this work tree (after): best of {args.runs}; "
              "CPU seconds, wall in brackets")
        for size in args.sizes.split(","):
            projects = {}
            for side, (tree, bindir) in sides.items():
                projects[side] = Path(tmp) / f"{side}-{size}"
                projects[side].mkdir()
                pages = make(tree, bindir, size, projects[side])
            best: dict[tuple[str, str], tuple[float, float]] = {}
            for run in range(args.runs):
                for side, (_tree, bindir) in sides.items():
                    for kind in ("cold", "warm"):
                        if kind == "warm" and run == 0:
                            build(projects[side], bindir, cold=False)  # the cache a first build leaves
                        cpu, wall = build(projects[side], bindir, cold=kind == "cold")
                        best[(side, kind)] = min(best.get((side, kind), (cpu, wall)), (cpu, wall))
            cells = " | ".join(f"{side} {kind} {cpu:.1f} ({wall:.1f})" for (side, kind), (cpu, wall) in sorted(best.items()))
            print(f"{size} ({pages} pages): {cells}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
