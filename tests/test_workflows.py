"""The GitHub workflows pass real linters and keep the security rules of the PR workflow."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from helpers import REPO

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def load(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); use the base loader to keep it a string.
    return yaml.load((REPO / ".github/workflows" / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_zizmor_pedantic_finds_nothing():
    result = subprocess.run([BIN / "zizmor", "--offline", "--persona", "pedantic", "--no-progress",
                             REPO / ".github/workflows"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_match_the_github_schema():
    result = subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actions_are_pinned_by_full_sha_and_run_blocks_take_no_expressions():
    for path in WORKFLOWS:
        for job in yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
                assert "${{" not in step.get("run", ""), f"{path.name}: pass it through env:"


def test_validate_is_read_only_and_judged_by_the_base_branch():
    flow = load("validate.yml")
    assert list(flow["on"]) == ["pull_request"]
    assert flow["permissions"] == {"contents": "read", "pull-requests": "read"}
    (job,) = flow["jobs"].values()
    assert "permissions" not in job
    checkouts = {s["with"]["path"]: s["with"] for s in job["steps"]
                 if s.get("uses", "").startswith("actions/checkout@")}
    assert set(checkouts) == {"judge", "pr"}
    assert checkouts["judge"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert all(c["persist-credentials"] == "false" for c in checkouts.values())
    runs = [(s.get("working-directory", "."), s["run"]) for s in job["steps"] if "run" in s]
    # Nothing the pull request holds is installed or run: no pre-commit config, no dev.py, no package.
    assert all("pre-commit" not in run for _cwd, run in runs)
    assert re.findall(r"\S*dev\.py", "\n".join(run for _cwd, run in runs)) == ["judge/dev.py"]


def test_publish_writes_only_in_its_job_and_never_races():
    flow = load("publish.yml")
    assert flow["permissions"] == {}
    assert flow["concurrency"]["cancel-in-progress"] == "false"
    assert flow["on"]["push"]["branches"] == ["main"] and flow["on"]["push"]["tags"]
    (job,) = flow["jobs"].values()
    assert job["permissions"] == {"contents": "write"}
    runs = "\n".join(s.get("run", "") for s in job["steps"])
    assert "--audience office" in runs and "--audience public" in runs and "--alias latest" in runs


def test_python_comes_from_the_runner_when_it_has_311():
    """Gitea/Forgejo runners on an intranet cannot download Python from github.com: the probe
    step finds the runner's python3.11 and setup-python is skipped."""
    for name in ("validate.yml", "publish.yml"):
        (job,) = load(name)["jobs"].values()
        steps = job["steps"]
        probe = next(i for i, s in enumerate(steps) if s.get("id") == "python")
        setup = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/setup-python@"))
        assert probe < setup and steps[setup]["if"] == "steps.python.outputs.found != 'true'"
        installs = [s["run"] for s in steps if "dev.py setup" in s.get("run", "")]
        assert installs and all("command -v python3.11 || command -v python3" in run and '"$PYTHON"' in run
                                for run in installs)
        assert all(not re.search(r"(^|\s)gh\s", s.get("run", "")) for s in steps), "no GitHub CLI on Gitea runners"


def test_the_probe_step_answers_for_the_runner(tmp_path):
    (job,) = load("validate.yml")["jobs"].values()
    probe = next(s for s in job["steps"] if s.get("id") == "python")
    for has_311 in (True, False):
        bin_dir = tmp_path / f"bin-{has_311}"
        bin_dir.mkdir()
        tools = {"bash": shutil.which("bash"), **({"python3.11": shutil.which("true")} if has_311 else {})}
        for tool, target in tools.items():
            (bin_dir / tool).symlink_to(target)
        output = tmp_path / f"output-{has_311}"
        output.touch()
        subprocess.run([bin_dir / "bash", "-e", "-c", probe["run"]], check=True,
                       env={"PATH": str(bin_dir), "GITHUB_OUTPUT": str(output)})
        assert ("found=true" in output.read_text()) == has_311
