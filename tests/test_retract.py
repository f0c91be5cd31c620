"""A case published in error is withdrawn: later builds leave it out, and `publish --retract`
removes it from every version already on the public pages branch."""


import pytest

from helpers import edit, git, publish

CASE = "ledgers/cases/2022-001.yaml"
TITLE = "示例市某局拖欠物资企业货款案"
SUMMARY = "经投诉核实后已全部清偿"


def files_holding(repo, branch: str, text: str) -> list[str]:
    return git(repo, "grep", "-l", "-F", text, branch, check=False).split()


def as_repo(repo):
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "publisher")
    git(repo, "config", "user.email", "publisher@example.cn")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def test_a_withdrawn_case_leaves_later_builds_and_older_versions(mini):
    repo = as_repo(mini)
    for version in ("2022-09", "2022-10"):
        result = publish(repo, "--version", version, "--alias", "latest", "--audience", "public",
                         "--branch", "public-pages")
        assert result.returncode == 0, result.stderr
    assert files_holding(repo, "public-pages", TITLE)
    refused = publish(repo, "--retract", "2022-001", "--branch", "public-pages")
    assert refused.returncode == 2 and "已公开" in refused.stderr  # withdraw it in the data first
    edit(repo, CASE, "state: 已公开\npublished: 2022-09-01\n", "state: 已审核\n")
    git(repo, "commit", "-qam", "撤回案例")
    later = publish(repo, "--version", "2022-11", "--alias", "latest", "--audience", "public",
                    "--branch", "public-pages")
    assert later.returncode == 0, later.stderr
    assert not [f for f in files_holding(repo, "public-pages", TITLE) if f.startswith("public-pages:2022-11/")]
    before = git(repo, "rev-parse", "public-pages").strip()
    result = publish(repo, "--retract", "2022-001", "--branch", "public-pages")
    assert result.returncode == 0, result.stderr
    assert "2022-09、2022-10" in result.stderr
    assert git(repo, "rev-parse", "public-pages^").strip() == before  # one new commit, history kept
    assert files_holding(repo, "public-pages", TITLE) == []
    assert files_holding(repo, "public-pages", SUMMARY) == []
    page = git(repo, "show", "public-pages:2022-09/cases.html")
    assert "</article>" in page and "典型案例" in page
    assert git(repo, "branch", "--show-current").strip() == "main"


@pytest.mark.parametrize("case_id", ["2022-001", "2022.0_1"])  # any character a case id may hold
def test_a_case_renamed_after_publishing_is_still_found_by_its_id(mini, case_id):
    """The title is what a clerk edits while withdrawing a case; the published section carries
    the case's id as its anchor, so the retraction finds it under its old title."""
    case = f"ledgers/cases/{case_id}.yaml"
    if case != CASE:
        (mini / CASE).rename(mini / case)
        edit(mini, case, "id: 2022-001\n", f"id: {case_id}\n")
    repo = as_repo(mini)
    result = publish(repo, "--version", "2022-10", "--alias", "latest", "--audience", "public",
                     "--branch", "public-pages")
    assert result.returncode == 0, result.stderr
    page = git(repo, "show", "public-pages:2022-10/cases.html")
    assert f'id="case-{case_id}"' in page and f'href="#case-{case_id}"' in page  # the anchor as written
    edit(repo, case, f"title: {TITLE}\n", "title: 某局拖欠货款案（已撤回）\n")
    edit(repo, case, "state: 已公开\npublished: 2022-09-01\n", "state: 已审核\n")
    git(repo, "commit", "-qam", "撤回并改名")
    result = publish(repo, "--retract", case_id, "--branch", "public-pages")
    assert result.returncode == 0, result.stderr
    assert "2022-10" in result.stderr
    assert files_holding(repo, "public-pages", TITLE) == []
    assert files_holding(repo, "public-pages", SUMMARY) == []
