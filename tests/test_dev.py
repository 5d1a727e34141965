"""dev.py, the set-up behind the README's two commands."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)


def test_without_root_it_says_in_one_sentence_what_to_install(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(dev, "_missing_system_packages", lambda markers=None: ["aspell-en", "chromium"])
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000)
    monkeypatch.delenv("HANDBOOK_APT_SUDO", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        dev.system_packages()
    assert exit_info.value.code == 1
    assert capsys.readouterr().out == (
        "dev.py: the tests need Debian packages that are missing: install them with "
        "`sudo apt-get install aspell-en chromium` and run this command again.\n")


def test_nothing_to_install_means_no_apt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dev, "_missing_system_packages", lambda markers=None: [])
    monkeypatch.setattr(dev, "run", lambda *a, **k: pytest.fail("apt-get should not run"))
    dev.system_packages()


def test_the_tests_drive_the_full_chromium_where_no_package_has_the_headless_shell(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    full = tmp_path / "chromium"
    full.write_text("")
    monkeypatch.setattr(dev, "HEADLESS_SHELL", str(tmp_path / "chromium-headless-shell"))
    monkeypatch.setattr(dev, "FULL_CHROMIUM", str(full))
    asked: list[set[str] | None] = []

    def apt_cannot(markers: set[str] | None = None, **_: object) -> None:
        asked.append(markers)
        raise SystemExit(100)  # apt-get: "Unable to locate package chromium-headless-shell"

    monkeypatch.setattr(dev, "system_packages", apt_cannot)
    dev.browser_for_tests()  # goes on
    assert asked == [{str(tmp_path / "chromium-headless-shell")}]
    assert capsys.readouterr().out == (f"dev.py: the browser tests will drive {full}, a little more slowly, as "
                                       "chromium-headless-shell could not be installed.\n")
    full.unlink()  # and with no chromium at all, the missing shell stops the tests
    with pytest.raises(SystemExit):
        dev.browser_for_tests()


def test_it_never_downloads_a_browser() -> None:
    source = (ROOT / "dev.py").read_text()
    assert "playwright install" not in source and "chromium" in source
    assert '"uv=={UV_VERSION}"' in source.replace("f\"uv=={UV_VERSION}\"", '"uv=={UV_VERSION}"') and "--locked" in source


def test_unknown_command(capsys: pytest.CaptureFixture) -> None:
    assert dev.main(["sevre"]) == 2
    assert "unknown command 'sevre'" in capsys.readouterr().out


def test_a_failed_build_leaves_no_half_built_site(monkeypatch: pytest.MonkeyPatch, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    (out / "roles").mkdir(parents=True)
    (out / "roles" / "index.html").write_text("half-built")
    monkeypatch.setattr(dev, "sync", lambda: {})
    monkeypatch.setattr(dev, "run", lambda *a, **k: 1)
    assert dev.main(["build", "-d", str(out)]) == 1
    assert not out.exists()
    assert "was removed rather than left half-built" in capsys.readouterr().out


def test_a_good_build_keeps_its_site(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(dev, "sync", lambda: {})
    monkeypatch.setattr(dev, "run", lambda *a, **k: 0)
    assert dev.main(["build", "-d", str(out)]) == 0 and out.exists()


def test_the_engine_is_switched_by_one_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple] = []
    monkeypatch.setattr(dev, "sync", lambda: {})
    monkeypatch.setattr(dev, "run", lambda *a, **k: calls.append(a) or 0)
    monkeypatch.setenv("HANDBOOK_ENGINE", "zensical")
    assert dev.main(["build"]) == 0
    preflight = (dev.VENV / "bin" / "python", "scripts/check.py", "--preflight")  # mkdocs.yml and the files, read safely first
    assert calls == [preflight, (dev.VENV / "bin" / "zensical", "build", "--clean")]
    monkeypatch.delenv("HANDBOOK_ENGINE")
    assert dev.main(["build"]) == 0
    assert calls[-1] == (dev.VENV / "bin" / "mkdocs", "build")


def test_an_unknown_engine_is_named(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(dev, "sync", lambda: {})
    monkeypatch.setenv("HANDBOOK_ENGINE", "hugo")
    assert dev.main(["build"]) == 2
    assert "HANDBOOK_ENGINE is 'hugo': it must be 'mkdocs' (the default) or 'zensical'." in capsys.readouterr().out


@pytest.mark.parametrize("command", [[], ["help"], ["--help"], *([c, "--help"] for c in dev.COMMANDS if c != "help")])
def test_every_command_has_help_and_runs_nothing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, command: list[str]) -> None:
    monkeypatch.setattr(dev, "sync", lambda: pytest.fail("--help must not set anything up"))
    monkeypatch.setattr(dev, "run", lambda *a, **k: pytest.fail("--help must not run anything"))
    assert dev.main(command) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python3 dev.py") and (not command[1:] or command[0] in out)


def test_bench_options_reach_the_right_script(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple] = []
    monkeypatch.setattr(dev, "sync", lambda: {})
    monkeypatch.setattr(dev, "system_packages", lambda *a, **k: None)
    monkeypatch.setattr(dev, "run", lambda *a, **k: calls.append(a) or 0)
    assert dev.main(["bench", "--build-only", "--sizes", "40"]) == 0
    assert calls == [(dev.VENV / "bin" / "python", "scripts/bench_build.py", "--sizes", "40")]


def _pytest_call(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> list[str]:
    calls: list[tuple] = []
    monkeypatch.setattr(dev, "sync", lambda: {})
    monkeypatch.setattr(dev, "system_packages", lambda *a, **k: None)
    monkeypatch.setattr(dev, "node_modules", lambda: None)
    monkeypatch.setattr(dev, "run", lambda *a, **k: calls.append(a) or 0)
    assert dev.main(argv) == 0
    assert len(calls) == 1 and calls[0][:3] == (dev.VENV / "bin" / "python", "-m", "pytest")
    return list(calls[0][3:])


def test_the_suite_runs_on_every_core_and_names_its_slowest_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _pytest_call(monkeypatch, ["test"]) == ["-n", "auto", "--dist", "loadscope", "--no-loadscope-reorder", "--durations=30"]
    assert _pytest_call(monkeypatch, ["test", "-k", "search"]) == ["-n", "auto", "--dist", "loadscope", "--no-loadscope-reorder", "--durations=30", "-k", "search"]
    # The reader's own choice wins: one process, or other durations.
    assert _pytest_call(monkeypatch, ["test", "-n", "1", "--durations=5", "tests/test_dev.py"]) == ["-n", "1", "--durations=5", "tests/test_dev.py"]
    assert _pytest_call(monkeypatch, ["test", "-p", "no:xdist"]) == ["--durations=30", "-p", "no:xdist"]


def test_the_quick_path_leaves_out_the_browser_the_books_and_the_whole_site(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _pytest_call(monkeypatch, ["test", "--quick"])[-2:] == ["-m", "not browser and not slow and not site"]
    args = _pytest_call(monkeypatch, ["test", "--quick", "-m", "not zotero", "tests/test_checks.py"])
    assert args[-3:] == ["-m", "(not zotero) and not browser and not slow and not site", "tests/test_checks.py"]


def test_what_each_machine_makes_for_itself_stops_every_command_when_committed(tmp_path: Path) -> None:
    """A pull request that adds by force what each machine makes for itself (here uv, which dev.py runs to ask
    its version, and compiled Python, which Python may load in place of the code beside it) is stopped before
    anything runs, each file named with the way to remove it."""
    shutil.copy(ROOT / "dev.py", tmp_path / "dev.py")
    version = re.search(r'^UV_VERSION = "([^"]+)"', (ROOT / "dev.py").read_text(), re.M).group(1)
    ran = tmp_path / "uv-ran"
    uv = tmp_path / ".bootstrap" / "bin" / "uv"
    uv.parent.mkdir(parents=True)
    uv.write_text(f"#!/bin/sh\ntouch '{ran}'\necho 'uv {version}'\n")
    uv.chmod(0o755)
    compiled = tmp_path / "scripts" / "handbook" / "__pycache__" / "macros.cpython-311.pyc"
    compiled.parent.mkdir(parents=True)
    compiled.write_bytes(b"\x00" * 16)
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-f", "."], cwd=tmp_path, check=True)
    for command in ("new", "check", "build", "test", "serve", "publish"):
        result = subprocess.run([sys.executable, "dev.py", command], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 1 and result.stdout.splitlines() == [
            "dev.py: .bootstrap/bin/uv: is made on each machine and must not be in the repository (the commands would run "
            "or trust it). Remove it with `git rm -r --cached .bootstrap/bin/uv`, then run this again.",
            "dev.py: scripts/handbook/__pycache__/macros.cpython-311.pyc: is made on each machine and must not be in the "
            "repository (the commands would run or trust it). Remove it with `git rm -r --cached "
            "scripts/handbook/__pycache__/macros.cpython-311.pyc`, then run this again."], (command, result.stdout)
    assert not ran.exists()
    # Left on the disk but not in the repository, the same uv is this machine's own, and dev.py runs it.
    subprocess.run(["git", "rm", "-q", "-r", "--cached", ".bootstrap", "scripts"], cwd=tmp_path, check=True)
    subprocess.run([sys.executable, "dev.py", "new"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert ran.exists()
