"""The workflows' shell steps run for real against attacks a reporting unit could try.

A step is run as GitHub would run it (bash, its env with the expressions filled in, its
working directory), in a workspace laid out like the runner's. Installing is not replayed:
the base branch's validator is this checkout's, put where the install step would put it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import CI_TIME, OFFICE_UNIT, executable, git, run_step, steps

CONTEXT = {
    "github.token": "token", "github.repository": "example/qingqian", "github.base_ref": "main",
    "github.event.pull_request.number": "7", "github.event.pull_request.base.sha": "unused",
    "github.event.pull_request.head.sha": "unused", "github.api_url": "https://forge.example/api",
}


@pytest.fixture
def workspace(mini: Path, tmp_path: Path) -> Path:
    """A runner's workspace after the checkouts: `pr` is GitHub's merge of a pull request
    (HEAD^1 the target branch), `judge` the target branch's validator, installed."""
    ws = tmp_path / "ws"
    pr = ws / "pr"
    ws.mkdir()
    mini.rename(pr)
    (pr / "units/sl-qqb.yaml").write_text(OFFICE_UNIT, encoding="utf-8")
    git(pr, "init", "-q", "-b", "main", when=CI_TIME)
    git(pr, "add", "-A", when=CI_TIME)
    git(pr, "commit", "-qm", "base", when=CI_TIME)
    executable(ws / "judge/.venv/bin/qingqian", f"#!/bin/sh\nexec {Path(sys.executable).parent / 'qingqian'} \"$@\"\n")
    return ws


def pull_request(ws: Path, ledger: str, author: str, tamper: bool = False) -> None:
    """A pull request that changes `ledger`; with `tamper` it also switches the change rules
    off in its own copy of the code, installed as the old workflow did (`dev.py setup`)."""
    pr = ws / "pr"
    git(pr, "checkout", "-q", "-b", "pr", when=CI_TIME)
    path = pr / ledger
    path.write_text(path.read_text(encoding="utf-8").replace("as_of: 2022-10-31", "as_of: 2022-11-01"),
                    encoding="utf-8")
    if tamper:
        executable(pr / "generator/validate/check_change.py", "def check_change(root, base, actor):\n    return []\n")
        executable(pr / ".venv/bin/qingqian", "#!/bin/sh\necho 'all good'\n")  # the PR's own install
        executable(pr / ".venv/bin/pre-commit", "#!/bin/sh\nexit 0\n")
        (pr / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    git(pr, "add", "-A", when=CI_TIME)
    git(pr, "commit", "-qm", "pull request", author=author, when=CI_TIME)
    git(pr, "checkout", "-q", "--detach", "main", when=CI_TIME)
    git(pr, "merge", "-q", "--no-ff", "-m", "merge", "pr", when=CI_TIME)


def check(ws: Path, pr_author: str, commit_authors: list[str], **event: str) -> subprocess.CompletedProcess:
    """Run every step of validate.yml after the install, with `curl` answering the forge API's
    commit list (GitHub's and Gitea's shape: `author.login`, null for a commit with no account),
    one page and then an empty one."""
    commits = [{"sha": str(i), "author": {"login": login} if login else None} for i, login in enumerate(commit_authors)]
    (ws / "commits.page").write_text(json.dumps(commits), encoding="utf-8")
    page = ws / "commits.page"
    executable(ws / "bin/curl", f'#!/bin/sh\ncase "$*" in *"&page=1"*) cat {page};; *) echo "[]";; esac\n')
    path = os.pathsep.join([str(ws / "bin"), str(ws / "pr/.venv/bin"), os.environ["PATH"]])
    context = {**CONTEXT, "github.event.pull_request.user.login": pr_author,
               **{f"github.event.pull_request.{key}.sha": sha for key, sha in event.items()}}
    result = None
    for step in steps("validate.yml"):
        if "run" not in step or "dev.py setup" in step["run"]:
            continue
        result = run_step(step, ws, context, path)
        if result.returncode:
            return result
    assert result is not None
    return result


def test_a_pull_request_cannot_switch_the_rules_off(workspace):
    pull_request(workspace, "ledgers/arrears/sl-jtj.yaml", author="czj-bot", tamper=True)
    result = check(workspace, "czj-bot", ["czj-bot"])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "title=E606::" in result.stdout and "all good" not in result.stdout


def test_every_commit_author_is_checked(workspace):
    pull_request(workspace, "ledgers/arrears/sl-jtj.yaml", author="jtj-bot")
    ok = check(workspace, "jtj-bot", ["JTJ-Bot", "lisi"])
    assert ok.returncode == 0, ok.stdout
    result = check(workspace, "jtj-bot", ["jtj-bot", "czj-bot"])
    assert result.returncode == 1 and "czj-bot 不能修改 ledgers/arrears/sl-jtj.yaml" in result.stdout
    assert check(workspace, "jtj-bot", [""]).returncode == 1  # a commit whose author has no account


def tag_check(repo: Path) -> subprocess.CompletedProcess:
    (step,) = [s for s in steps("publish.yml") if "merge-base --is-ancestor" in s.get("run", "")]
    assert step["if"] == "github.ref_type == 'tag'"
    return run_step(step, repo, {}, os.environ["PATH"])


def test_a_tag_off_main_is_not_published(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main", when=CI_TIME)
    git(repo, "commit", "-q", "--allow-empty", "-m", "reviewed", when=CI_TIME)
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD", when=CI_TIME)
    git(repo, "checkout", "-q", "-b", "side", when=CI_TIME)
    git(repo, "commit", "-q", "--allow-empty", "-m", "never reviewed", when=CI_TIME)
    git(repo, "tag", "2022-11", when=CI_TIME)
    refused = tag_check(repo)
    assert refused.returncode == 1 and "不在 main 分支上" in refused.stderr
    git(repo, "checkout", "-q", "main", when=CI_TIME)
    assert tag_check(repo).returncode == 0


def commit_on_pr_branch(pr: Path, relpath: str, old: str, new: str, author: str) -> None:
    path = pr / relpath
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    git(pr, "add", "-A", when=CI_TIME)
    git(pr, "commit", "-qm", f"change {relpath}", author=author, when=CI_TIME)


def test_gitea_checks_out_the_head_and_every_commit_of_the_pr_is_still_checked(workspace):
    """Gitea and Forgejo check out the pull request's head, not a merge: HEAD^1 is then the PR's
    previous commit, and an escalation in an earlier commit would go unseen."""
    pr = workspace / "pr"
    base = git(pr, "rev-parse", "HEAD", check=False)
    git(pr, "checkout", "-q", "-b", "pr", when=CI_TIME)
    commit_on_pr_branch(pr, "units/sl-jtj.yaml", "maintainers: [jtj-bot, lisi]",
                        "maintainers: [jtj-bot, lisi, mallory]", author="jtj-bot")
    commit_on_pr_branch(pr, "ledgers/arrears/sl-jtj.yaml", "as_of: 2022-10-31", "as_of: 2022-11-01", author="jtj-bot")
    head = git(pr, "rev-parse", "HEAD", check=False)
    result = check(workspace, "jtj-bot", ["jtj-bot", "jtj-bot"], head=head, base=base)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "units/sl-jtj.yaml:1:1: E606 " in result.stdout  # the plain line Gitea's log shows
    assert "title=E606::" in result.stdout
