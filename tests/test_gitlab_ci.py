"""`.gitlab-ci.yml`: GitLab's schema, the keys each job needs, and the merge-request job's
script run for real on a merge request the way GitLab lays it out (the source branch checked
out, CI_MERGE_REQUEST_DIFF_BASE_SHA its fork point, GITLAB_USER_LOGIN who pushed)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import CI_TIME, OFFICE_UNIT, REPO, executable, git

CI = REPO / ".gitlab-ci.yml"
BIN = Path(sys.executable).parent
KEYWORDS = {"workflow", "stages", "variables", "default", "include", "image", "services", "cache",
            "before_script", "after_script"}


def config() -> dict:
    return yaml.safe_load(CI.read_text(encoding="utf-8"))


def jobs() -> dict[str, dict]:
    return {name: job for name, job in config().items() if name not in KEYWORDS and not name.startswith(".")}


def test_gitlab_ci_matches_gitlabs_schema():
    result = subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", CI],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_job_has_a_known_stage_and_a_script():
    stages = config()["stages"]
    assert stages == ["validate", "publish", "pages"]
    assert set(jobs()) == {"validate", "publish", "pages"}
    for name, job in jobs().items():
        assert job["stage"] in stages and job["script"], name
        assert "rules" in job, name
    workflow = [rule["if"] for rule in config()["workflow"]["rules"]]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in workflow


def test_validate_runs_on_merge_requests_with_the_base_branch_judge():
    job = jobs()["validate"]
    assert [rule["if"] for rule in job["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    script = "\n".join(job["script"])
    assert 'git archive "$CI_MERGE_REQUEST_DIFF_BASE_SHA"' in script and '"$JUDGE/dev.py" setup' in script
    assert '--base "$CI_MERGE_REQUEST_DIFF_BASE_SHA"' in script and '--actor "$GITLAB_USER_LOGIN"' in script
    assert "pre-commit" not in script and " dev.py" not in script and ".venv/bin/qingqian" in script
    assert "--format codequality --out" in script
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert job["artifacts"]["when"] == "always"  # the report is wanted most when the job fails


def test_publish_pushes_the_pages_branches_one_at_a_time_and_pages_gets_only_the_public_site():
    publish, pages = jobs()["publish"], jobs()["pages"]
    assert publish["resource_group"] == pages["resource_group"] and publish["interruptible"] is False
    script = "\n".join(publish["script"])
    assert "--audience office --branch gh-pages --push" in script
    assert "--audience public --branch public-pages --push" in script and "--alias latest" in script
    assert "merge-base --is-ancestor HEAD FETCH_HEAD" in script
    assert pages["artifacts"]["paths"] == ["public"]
    commands = [line for line in "\n".join(pages["script"]).splitlines() if not line.lstrip().startswith("#")]
    assert "git fetch --quiet origin public-pages" in commands
    assert not any("gh-pages" in line.replace("public-pages", "") for line in commands)  # never the office site


@pytest.fixture
def merge_request(mini: Path, tmp_path: Path) -> tuple[Path, str, dict]:
    """A GitLab checkout of a merge request's source branch, and the job's environment."""
    repo = tmp_path / "checkout"
    mini.rename(repo)
    (repo / "units/sl-qqb.yaml").write_text(OFFICE_UNIT, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main", when=CI_TIME)
    git(repo, "add", "-A", when=CI_TIME)
    git(repo, "commit", "-qm", "base", when=CI_TIME)
    base = git(repo, "rev-parse", "HEAD", check=False)
    git(repo, "checkout", "-q", "-b", "mr", when=CI_TIME)
    # Installing is not replayed: the "python3.11" found first puts this checkout's qingqian
    # where `dev.py setup` would put the judge's.
    tools = tmp_path / "tools"
    executable(tools / "python3.11", f"""#!/bin/sh
judge="$(dirname "$1")"
mkdir -p "$judge/.venv/bin"
printf '#!/bin/sh\\nexec {BIN / "qingqian"} "$@"\\n' > "$judge/.venv/bin/qingqian"
chmod +x "$judge/.venv/bin/qingqian"
""")
    env = {**os.environ, "PATH": os.pathsep.join([str(tools), os.environ["PATH"]]),
           "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_PROJECT_DIR": str(repo)}
    return repo, base, env


def run_validate(repo: Path, env: dict, login: str) -> subprocess.CompletedProcess:
    script = "\n".join(jobs()["validate"]["script"])
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=repo, capture_output=True, text=True,
                          env={**env, "GITLAB_USER_LOGIN": login})


def test_merge_request_job_refuses_a_tampered_judge_and_reports_in_log_and_widget(merge_request):
    repo, _base, env = merge_request
    (repo / "generator/validate").mkdir(parents=True)
    (repo / "generator/validate/check_change.py").write_text("def check_change(*args):\n    return []\n",
                                                              encoding="utf-8")
    ledger = repo / "ledgers/arrears/sl-jtj.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("as_of: 2022-10-31", "as_of: 2022-11-01"),
                      encoding="utf-8")
    git(repo, "add", "-A", when=CI_TIME)
    git(repo, "commit", "-qm", "merge request", author="czj-bot", when=CI_TIME)
    result = run_validate(repo, env, "czj-bot")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ledgers/arrears/sl-jtj.yaml:1:1: E606 " in result.stdout
    assert "generator/validate/check_change.py:1:1: E606 " in result.stdout
    findings = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert {(f["location"]["path"], f["check_name"]) for f in findings} >= {
        ("ledgers/arrears/sl-jtj.yaml", "E606"), ("generator/validate/check_change.py", "E606")}


def test_merge_request_job_passes_the_units_own_change(merge_request):
    repo, _base, env = merge_request
    ledger = repo / "ledgers/arrears/sl-jtj.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("as_of: 2022-10-31", "as_of: 2022-11-01"),
                      encoding="utf-8")
    git(repo, "commit", "-qam", "merge request", author="jtj-bot", when=CI_TIME)
    result = run_validate(repo, env, "jtj-bot")
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert all(f["severity"] == "minor" for f in findings)
