"""Publishing with mike into a real local repository with no remote at all."""

import json
import os
from pathlib import Path

import pytest

from helpers import edit, git, publish


@pytest.fixture
def repo(mini: Path) -> Path:
    git(mini, "init", "-q", "-b", "main")
    git(mini, "-c", "user.name=t", "-c", "user.email=t@example.cn", "add", "-A")
    git(mini, "-c", "user.name=t", "-c", "user.email=t@example.cn", "commit", "-qm", "base")
    git(mini, "config", "user.name", "publisher")
    git(mini, "config", "user.email", "publisher@example.cn")
    return mini


def test_two_periods_leave_two_versions_and_latest(repo):
    first = publish(repo, "--version", "2022-10", "--alias", "latest")
    assert first.returncode == 0, first.stderr
    tree_before = git(repo, "rev-parse", "gh-pages:2022-10")
    edit(repo, "ledgers/arrears/sl-jtj.yaml", "as_of: 2022-10-31", "as_of: 2022-11-30")
    second = publish(repo, "--version", "2022-11", "--alias", "latest")
    assert second.returncode == 0, second.stderr
    files = git(repo, "ls-tree", "--name-only", "gh-pages").split()
    assert {"2022-10", "2022-11", "latest", "versions.json", "index.html"} <= set(files)
    assert git(repo, "rev-parse", "gh-pages:2022-10") == tree_before  # the older period is untouched
    assert git(repo, "cat-file", "-p", "gh-pages:latest").strip() == "2022-11"  # a symlink to the newest
    versions = git(repo, "show", "gh-pages:versions.json")
    assert '"2022-11"' in versions and '"latest"' in versions and '"2022-10"' in versions
    page = git(repo, "show", "gh-pages:2022-11/index.html")
    assert "mike" in page or "version" in page  # the version selector is configured
    assert git(repo, "branch", "--show-current").strip() == "main"  # the work tree stays on main
    assert "gh-pages" not in git(repo, "status", "--porcelain")


def test_public_audience_goes_to_its_own_branch_without_private_pages(repo):
    result = publish(repo, "--version", "2022-10", "--audience", "public", "--branch", "public-pages")
    assert result.returncode == 0, result.stderr
    files = git(repo, "ls-tree", "-r", "--name-only", "public-pages").split()
    assert any(f.startswith("2022-10/") for f in files)
    assert not any("units/" in f or "ledgers/" in f for f in files)


def test_bad_version_and_bad_data_publish_nothing(repo):
    result = publish(repo, "--version", "../x")
    assert result.returncode == 1 and "版本" in result.stderr
    edit(repo, "ledgers/arrears/sl-jtj.yaml", "amount: 380000.00", "amount: 38万")
    result = publish(repo, "--version", "2022-10")
    assert result.returncode == 1 and "E205" in result.stderr
    assert "gh-pages" not in git(repo, "branch", "--list")


def test_republishing_an_older_period_leaves_latest_on_the_newest(repo):
    assert publish(repo, "--version", "2022-06", "--alias", "latest").returncode == 0
    assert publish(repo, "--version", "2022-07", "--alias", "latest").returncode == 0
    again = publish(repo, "--version", "2022-06", "--alias", "latest")  # a moved 2022-06 tag, published again
    assert again.returncode == 0 and "latest 仍指向" in again.stderr
    assert git(repo, "cat-file", "-p", "gh-pages:latest").strip() == "2022-07"
    versions = {v["version"]: v["aliases"] for v in json.loads(git(repo, "show", "gh-pages:versions.json"))}
    assert versions == {"2022-07": ["latest"], "2022-06": []}


@pytest.fixture
def remote(repo: Path, tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "push", "-q", "origin", "main")
    return bare


def test_a_failed_push_is_retried_on_top_of_the_remote_branch(repo, remote, tmp_path):
    assert publish(repo, "--version", "2022-10", "--push").returncode == 0
    git(repo, "remote", "set-url", "origin", str(tmp_path / "gone.git"))  # origin unreachable
    failed = publish(repo, "--version", "2022-11", "--push")
    assert failed.returncode == 1 and "无法连接远程仓库" in failed.stderr
    git(repo, "remote", "set-url", "origin", str(remote))
    hook = remote / "hooks" / "pre-receive"  # origin refuses the push once the site is committed
    hook.write_text("#!/bin/sh\necho 暂时拒绝 >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    refused = publish(repo, "--version", "2022-11", "--push")
    assert refused.returncode == 1 and "推送分支 gh-pages 失败" in refused.stderr
    assert git(repo, "rev-parse", "gh-pages") != git(remote, "rev-parse", "gh-pages")  # committed, not pushed
    hook.unlink()
    # Meanwhile another publisher pushed 2022-09: the local commit is no longer a fast-forward.
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    git(other, "config", "user.name", "other")
    git(other, "config", "user.email", "other@example.cn")
    assert publish(other, "--version", "2022-09", "--push").returncode == 0
    retried = publish(repo, "--version", "2022-11", "--push")
    assert retried.returncode == 0, retried.stderr
    assert {"2022-09", "2022-10", "2022-11"} <= set(git(remote, "ls-tree", "--name-only", "gh-pages").split())
    assert git(repo, "rev-parse", "gh-pages") == git(remote, "rev-parse", "gh-pages")


def test_publishing_in_process_leaves_the_callers_directory_alone(repo, tmp_path, monkeypatch):
    """mike works on the current directory; the library runs it in a child process instead of
    changing the caller's (a server or a test calling publish() from elsewhere)."""
    from generator.publish.versions import publish as publish_site
    from generator.validate.pipeline import validate_repo

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    relative = Path(os.path.relpath(repo, elsewhere))  # as a command line gives it: --root ../city
    records = validate_repo(relative).records
    assert publish_site(records, relative, "2022-10", "office", "gh-pages", ["latest"]) == []
    assert Path.cwd() == elsewhere
    assert "2022-10" in git(repo, "ls-tree", "--name-only", "gh-pages").split()
    assert not list(elsewhere.iterdir())  # nothing was written where the caller stands
