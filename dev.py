#!/usr/bin/env python3
"""Set up and run the handbook with nothing but Python 3.11+ and git.

    python3 dev.py serve          preview the site at http://127.0.0.1:8000/ (live reload; a save rebuilds
                                  the saved page in about a second; --full rebuilds every page)
    python3 dev.py test [args]    run the whole test suite on every core, slowest tests listed (args go to pytest;
                                  --quick: the quick path, a few minutes, without browser tests, books and whole-site build)
    python3 dev.py build          build the site strictly into site/ (--books: also the PDF, EPUB and offline
                                  copy of the whole handbook, named with the version, into site/downloads/;
                                  HANDBOOK_ENGINE=zensical: the site built with Zensical)
    python3 dev.py check [paths]  check pages without building the site
    python3 dev.py new [options]  create a new page from the template
    python3 dev.py publish        build what the deploy publishes: every release tag (v0.2.0) at site/v/<version>/,
                                  each by its own dev.py and lock file, and the newest also at the plain addresses
    python3 dev.py bench          measure build cost against plain Material (real site to 1,000 pages), the
                                  preview's save-to-reload time, page weight and Lighthouse scores
                                  (--build-only: the build cost and preview alone; --lighthouse: Lighthouse
                                  on five pages against default Material, and the page-weight budget)

Each command first makes the environment match the lock file (uv.lock), installing uv
itself into .bootstrap if needed. The test command also needs Debian's chromium (its
headless shell), aspell's British English dictionary and Node.js, and the benchmark the
full chromium: each installs what it needs with apt when it runs as root (or with sudo
when HANDBOOK_APT_SUDO=1), and otherwise says what to install. It never downloads a
browser of its own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# dev.py runs before the environment that holds the handbook's package exists, so it reads its own two
# settings itself, HANDBOOK_ENGINE and HANDBOOK_APT_SUDO (every other setting is declared in
# scripts/handbook/config.py, which lists these two as DEV_PY_VARIABLES; README, "Settings").
UV_VERSION = "0.13.8"
BOOTSTRAP = ROOT / ".bootstrap"  # not in .cache/, which `zensical build --clean` empties
VENV = ROOT / ".venv"
HEADLESS_SHELL, FULL_CHROMIUM = "/usr/bin/chromium-headless-shell", "/usr/bin/chromium"
SYSTEM_PACKAGES = {  # what the tests and the benchmark need from Debian: {file that shows it is there: package}
    HEADLESS_SHELL: "chromium-headless-shell",
    FULL_CHROMIUM: "chromium",
    "/usr/bin/aspell": "aspell",
    "/usr/lib/aspell/en_GB.multi": "aspell-en",
    "node": "nodejs",
    "npm": "npm",
    "/usr/share/java/epubcheck.jar": "epubcheck",  # run as `java -jar`: its binfmt launcher needs a host setting
    "/usr/lib/*/libpangoft2-1.0.so.0": "libpangoft2-1.0-0",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf": "fonts-dejavu-core",
}
#: What the tests need of them besides a browser (:func:`browser_for_tests`); the benchmark's Lighthouse needs the full chromium.
TEST_PACKAGES = set(SYSTEM_PACKAGES) - {HEADLESS_SHELL, FULL_CHROMIUM}
#: What `build --books` needs of them: Pango for WeasyPrint, the fonts the PDF is set in, and npm
#: (the offline copy's search shim, iframe-worker, comes from package-lock.json).
BOOK_PACKAGES = {"/usr/lib/*/libpangoft2-1.0.so.0", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "node", "npm"}


#: What the repository never holds, because it is made on this machine and the commands run or trust it: uv's
#: and the packages' environments, the build's caches, npm's packages, compiled Python (which Python may load
#: in place of the code beside it without comparing the two, and no reviewer can read) and .pth files (run
#: as Python starts). One added by force in a pull request would run before any check could read it.
NEVER_COMMITTED = (".bootstrap/**", ".venv/**", ".cache/**", "**/node_modules/**", "**/__pycache__/**", "**/*.pyc", "**/*.pyo", "**/*.pth")


def committed_machine_files(root: Path) -> list[str]:
    """Files the repository at ``root`` holds that it never should (:data:`NEVER_COMMITTED`); none outside git."""
    if not (root / ".git").exists():
        return []
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", *(f":(glob){p}" for p in NEVER_COMMITTED)],
                                cwd=root, capture_output=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):  # no git on this machine: there is no index to read
        return []
    return [name for name in listed.decode("utf-8", "replace").split("\0") if name]


def say(message: str) -> None:
    print(f"dev.py: {message}", flush=True)


def run(*cmd: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def uv() -> Path:
    """uv, pinned, in a small bootstrap environment of its own."""
    exe = BOOTSTRAP / "bin" / "uv"
    if exe.exists():
        version = subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.split()
        if len(version) > 1 and version[1] == UV_VERSION:
            return exe
    say(f"installing uv {UV_VERSION} into {BOOTSTRAP.relative_to(ROOT)}")
    venv.EnvBuilder(with_pip=True, clear=True).create(BOOTSTRAP)
    run(BOOTSTRAP / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"uv=={UV_VERSION}")
    return exe


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "UV_PYTHON_DOWNLOADS": "never",     # use this Python; never fetch another
        "NO_MKDOCS_2_WARNING": "1",
        "VIRTUAL_ENV": str(VENV),
        "PATH": f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}",
    })
    env.pop("PYTHONHOME", None)
    # Python keeps what it compiles (the packages' in .venv, the handbook's in scripts/handbook/__pycache__):
    # a module is compiled the first time a command imports it, and every later command starts without
    # compiling it again. Made on this machine from the code beside it; a pull request that adds such a
    # file stops every command (NEVER_COMMITTED).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def sync() -> dict[str, str]:
    env = environment()
    # No --compile-bytecode: it compiles every module of every package (about 11 CPU seconds here, twice
    # that in a release's build), where a build imports a small part of them; Python compiles and keeps
    # those as they are first imported (environment(), above).
    run(uv(), "sync", "--locked", "--quiet", "--python", sys.executable, env=env)
    return env


def config_precheck(env: dict[str, str]) -> int:
    """mkdocs.yml and the files under docs/ checked safely before MkDocs or Zensical reads them:
    their YAML loaders run Python tags, they follow symbolic links, and a pull request can change
    both (scripts/handbook/configcheck.py, scripts/handbook/files.py)."""
    return run(VENV / "bin" / "python", "scripts/check.py", "--preflight", env=env, check=False)


def _missing_system_packages(markers: set[str] | None = None) -> list[str]:
    missing = []
    for marker, package in SYSTEM_PACKAGES.items():
        if markers is not None and marker not in markers:
            continue
        if "*" in marker:
            present = any(Path("/").glob(marker.lstrip("/")))
        else:
            present = Path(marker).exists() if marker.startswith("/") else shutil.which(marker) is not None
        if not present:
            missing.append(package)
    return sorted(set(missing))


def _site_dir(args: list[str]) -> Path:
    for flag in ("-d", "--site-dir"):
        if flag in args and args.index(flag) + 1 < len(args):
            return (ROOT / args[args.index(flag) + 1]).resolve()
    return ROOT / "site"


def system_packages(markers: set[str] | None = None, *, required: bool = True) -> None:
    """Install the Debian packages the tests need (or only those named by ``markers``).

    With ``required=False`` (the page check, whose spelling check needs aspell) nothing is
    asked of a reader who cannot install packages: the check says what it skipped."""
    missing = _missing_system_packages(markers)
    if not missing:
        return
    sudo: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        if os.environ.get("HANDBOOK_APT_SUDO") == "1" and shutil.which("sudo"):
            sudo = ["sudo"]
        elif not required:
            return
        else:
            say(f"the tests need Debian packages that are missing: install them with "
                f"`sudo apt-get install {' '.join(missing)}` and run this command again.")
            sys.exit(1)
    if not shutil.which("apt-get"):
        if not required:
            return
        say(f"the tests need {', '.join(missing)} (Debian package names); install them with your "
            f"system's package manager and run this command again.")
        sys.exit(1)
    say(f"installing {' '.join(missing)} with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(*sudo, "apt-get", "update", "-qq", env=env)
    run(*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


def browser_for_tests() -> None:
    """The browser the tests drive: Chromium's headless shell, the same Blink and V8 as Debian's chromium, built
    from the same source package without the desktop browser around them (about a sixth less CPU over the
    browser suite). Where no package has it (Ubuntu's apt), tests/conftest.py drives the full chromium."""
    if Path(HEADLESS_SHELL).exists():
        return
    if not Path(FULL_CHROMIUM).exists():
        system_packages({HEADLESS_SHELL})
        return
    try:
        system_packages({HEADLESS_SHELL}, required=False)  # as root or with sudo; otherwise nothing is asked
    except SystemExit:  # apt-get has no such package (Ubuntu)
        pass
    if not Path(HEADLESS_SHELL).exists():
        say(f"the browser tests will drive {FULL_CHROMIUM}, a little more slowly, as chromium-headless-shell could not be installed.")


def node_modules() -> None:
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")


COMMANDS = {
    "serve": "preview the site at http://127.0.0.1:8000/, rebuilt about a second after you save",
    "test": "run the whole test suite on every core (other arguments go to pytest, e.g. -k search)",
    "build": "build the site strictly into site/ (other arguments go to mkdocs build, e.g. -d DIR)",
    "check": "check pages without building the site (other arguments: pages to check, --no-spelling)",
    "new": "create a new page from the template (other arguments go to scripts/new_page.py)",
    "publish": "build every release as the deploy publishes it (other arguments go to scripts/publish.py: -d DIR, "
               "--store DIR keeps each release's archive so that it is built once, --archives-only, --new-archives DIR, "
               "--no-books for a quicker look without the PDF, EPUB and offline copy)",
    "bench": "measure build cost, preview reload time and Lighthouse scores",
    "help": "show this help",
}


def parser() -> argparse.ArgumentParser:
    """The commands and their options, each with --help (what is not an option here is passed on)."""
    top = argparse.ArgumentParser(prog="python3 dev.py", description=__doc__.split("\n\n")[0],
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = top.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    commands = {name: sub.add_parser(name, help=text, description=text) for name, text in COMMANDS.items()}
    commands["serve"].add_argument("--full", action="store_true", help="rebuild every page after a save (slower), not only the saved one")
    commands["serve"].add_argument("--port", type=int, default=8000, help="the local port to serve on (default: 8000)")
    commands["test"].add_argument("--quick", action="store_true",
                                  help="the quick path (a few minutes): without the browser tests, the books, and the tests that read "
                                       "the whole handbook built (README: Tests)")
    commands["build"].add_argument("--books", action="store_true", help="also make the PDF, EPUB and offline copy into site/downloads/")
    what = commands["bench"].add_mutually_exclusive_group()
    what.add_argument("--build-only", action="store_true", help="build cost against plain Material and the preview's reload time only")
    what.add_argument("--lighthouse", action="store_true", help="Lighthouse alone: five pages against default Material, and the page-weight budget")
    return top


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on whatever python3 the reader has
        say("the handbook needs Python 3.11 or newer.")
        return 1
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        say(f"unknown command '{argv[0]}'. Run `python3 dev.py help` to see the commands.")
        return 2
    try:
        options, args = parser().parse_known_args(argv)
    except SystemExit as stop:  # --help, or a mistake argparse has explained
        return int(stop.code or 0)
    command = options.command
    if command in (None, "help"):
        parser().print_help()
        return 0
    committed = committed_machine_files(ROOT)
    if committed:  # before anything runs: uv, the environment, Python with the project's code
        for name in committed:
            say(f"{name}: is made on each machine and must not be in the repository (the commands would run or trust "
                f"it). Remove it with `git rm -r --cached {name}`, then run this again.")
        return 1
    if command == "serve":
        return serve(options, args)
    if command == "build":
        return build(options, args)
    if command == "check":
        system_packages({"/usr/bin/aspell", "/usr/lib/aspell/en_GB.multi"}, required=False)
        env = sync()
        return run(VENV / "bin" / "python", "scripts/check.py", *args, env=env, check=False)
    if command == "new":
        env = sync()
        return run(VENV / "bin" / "python", "scripts/new_page.py", *args, env=env, check=False)
    if command == "test":
        return test(options, args)
    if command == "publish":
        env = sync()
        return run(VENV / "bin" / "python", "scripts/publish.py", *args, env=env, check=False)
    return bench(options, args)


def serve(options: argparse.Namespace, args: list[str]) -> int:
    env = sync()
    if config_precheck(env):
        return 1
    address = f"127.0.0.1:{options.port}"
    env["HANDBOOK_SITE_URL"] = f"http://{address}/"  # preview at the root, not under /handbook/
    # After the first full build, a save rebuilds only the saved page (about a second),
    # and a problem is printed without stopping the preview; `dev.py build` and CI stay
    # strict and rebuild everything. `python3 dev.py serve --full` rebuilds every page.
    fast = [] if options.full else ["--dirty", "--no-strict"]
    cmd = [str(VENV / "bin" / "mkdocs"), "serve", "--dev-addr", address, "--livereload", *fast, *args]
    # This process becomes the server (same process id), so stopping it however it is
    # stopped (Ctrl+C, an editor's stop button, `kill PID`) stops the server and frees the port.
    sys.stdout.flush()
    os.chdir(ROOT)
    os.execve(cmd[0], cmd, env)  # does not return


#: What the quick path leaves out (README: Tests): markers given in pyproject.toml and tests/conftest.py.
QUICK = "not browser and not slow and not site"


def pytest_args(options: argparse.Namespace, args: list[str]) -> list[str]:
    """pytest's arguments: on every core (tests/conftest.py shares the built sites between the workers),
    with the slowest tests reported, unless the arguments given say otherwise. Each module's tests
    run on one worker, so that a module's own fixture (a published release, an open search page)
    is made once (`--dist loadscope`; `loadgroup` does not group under pytest 9.2: pytest-xdist#1386), in
    the order tests/conftest.py gives them (the modules that need no built site first, while it is built)."""
    given = " ".join(args)
    extra = []
    if "no:xdist" not in given and not any(a == "--numprocesses" or a.startswith(("-n", "--numprocesses=")) for a in args):
        extra += ["-n", "auto", "--dist", "loadscope", "--no-loadscope-reorder"]  # tests/conftest.py orders them
    if "--durations" not in given:
        extra += ["--durations=30"]
    if options.quick:
        if "-m" in args:  # the reader's own selection, within the quick path
            at = args.index("-m") + 1
            args = [*args[:at], f"({args[at]}) and {QUICK}", *args[at + 1:]] if at < len(args) else args
        else:
            extra += ["-m", QUICK]
    return [*extra, *args]


def test(options: argparse.Namespace, args: list[str]) -> int:
    system_packages(TEST_PACKAGES)
    browser_for_tests()
    env = sync()
    node_modules()
    return run(VENV / "bin" / "python", "-m", "pytest", *pytest_args(options, args), env=env, check=False)


def build(options: argparse.Namespace, args: list[str]) -> int:
    if options.books:  # WeasyPrint lays the PDF out with Pango, in the DejaVu fonts
        system_packages(BOOK_PACKAGES)
    env = sync()
    # HANDBOOK_ENGINE=zensical builds the same site with Zensical, Material's successor
    # (README: "Building with Zensical"); its --clean rebuilds every page from the sources.
    engine = os.environ.get("HANDBOOK_ENGINE", "mkdocs")
    if engine not in {"mkdocs", "zensical"}:
        say(f"HANDBOOK_ENGINE is '{engine}': it must be 'mkdocs' (the default) or 'zensical'.")
        return 2
    cmd = ["build", *args] if engine == "mkdocs" else ["build", "--clean", *args]
    code = config_precheck(env) or run(VENV / "bin" / engine, *cmd, env=env, check=False)
    if code == 0 and options.books:
        node_modules()
        return run(VENV / "bin" / "python", "scripts/build_books.py", "--site", _site_dir(args), env=env, check=False)
    if code != 0:  # leave nothing half-built that someone could open or publish by mistake
        out = _site_dir(args)
        shutil.rmtree(out, ignore_errors=True)
        say(f"the build failed (the lines above say where and why), so {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} "
            f"was removed rather than left half-built.")
    return code


def bench(options: argparse.Namespace, args: list[str]) -> int:
    env = sync()
    if options.build_only:  # build cost against plain Material, real site to 1,000 pages
        return run(VENV / "bin" / "python", "scripts/bench_build.py", *args, env=env, check=False)
    system_packages(set(SYSTEM_PACKAGES) - {HEADLESS_SHELL})
    if options.lighthouse:  # Lighthouse alone: the handbook against default Material, five pages
        return run(VENV / "bin" / "python", "scripts/benchmark.py", *args, env=env, check=False)
    code = run(VENV / "bin" / "python", "scripts/bench_build.py", env=env, check=False)
    return code or run(VENV / "bin" / "python", "scripts/benchmark.py", *args, env=env, check=False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
