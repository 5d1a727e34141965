"""dev.py, the set-up behind the README's two commands."""

from __future__ import annotations

import importlib.util

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
