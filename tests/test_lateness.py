"""Who reported late, on real git histories with commits and merges at chosen times."""

from datetime import date
from pathlib import Path

from helpers import commit, edit, git, report

CZJ = "ledgers/arrears/sl-czj.yaml"


def update_czj(repo: Path, as_of: str, when: str) -> None:
    text = (repo / CZJ).read_text(encoding="utf-8")
    edit(repo, CZJ, text.split("\n")[1], f"as_of: {as_of}")
    commit(repo, when, f"财政局更新台账 {as_of}")


def late(repo: Path, period: str, day: date) -> list[str]:
    return [row["unit"] for row in report(repo, period, day)["late_units"]]


def test_a_commit_at_1659_is_on_time_and_at_1701_counts_for_the_next_day(history_repo):
    update_czj(history_repo, "2022-11-02", "2022-11-02T16:59:00+08:00")
    assert "sl-czj" not in late(history_repo, "day", date(2022, 11, 2))
    update_czj(history_repo, "2022-11-03", "2022-11-03T17:01:00+08:00")
    assert "sl-czj" in late(history_repo, "day", date(2022, 11, 3))
    assert "sl-czj" not in late(history_repo, "day", date(2022, 11, 4))


def test_thursday_noon_closes_the_week(history_repo):
    # 2022-11-03 is a Thursday: 11:59 belongs to the week ending then, 12:01 to the next one
    update_czj(history_repo, "2022-11-03", "2022-11-03T11:59:00+08:00")
    assert "sl-czj" not in late(history_repo, "week", date(2022, 11, 3))
    edit(history_repo, "ledgers/arrears/sl-jtj.yaml", "as_of: 2022-11-02", "as_of: 2022-11-03")
    commit(history_repo, "2022-11-03T12:01:00+08:00", "交通局更新台账")
    week = late(history_repo, "week", date(2022, 11, 3))
    assert "sl-jtj" not in week  # its 11-01 commits fall in this week too
    assert "sl-jtj" not in late(history_repo, "week", date(2022, 11, 10))
    assert "sl-czj" in late(history_repo, "week", date(2022, 11, 10))


def test_a_pull_request_committed_before_the_cutoff_and_merged_after_is_not_late(history_repo):
    git(history_repo, "checkout", "-q", "-b", "czj", when="2022-11-02T09:00:00+08:00")
    update_czj(history_repo, "2022-11-02", "2022-11-02T16:58:00+08:00")
    git(history_repo, "checkout", "-q", "main", when="2022-11-02T16:58:00+08:00")
    edit(history_repo, "ledgers/arrears/sl-jtj.yaml", "as_of: 2022-11-02", "as_of: 2022-11-03")
    commit(history_repo, "2022-11-02T17:20:00+08:00", "交通局更新台账")
    git(history_repo, "merge", "-q", "--no-ff", "-m", "合并财政局台账", "czj", when="2022-11-02T17:30:00+08:00")
    data = report(history_repo, "day", date(2022, 11, 2))
    assert "sl-czj" not in [row["unit"] for row in data["late_units"]]
    assert [row["unit"] for row in data["late_merged"]] == ["sl-czj"]
    assert data["late_merged"][0]["committed"] == "2022-11-02T08:58:00+00:00"
    # the state at 17:00 does not hold the merged ledger yet: a report counts what had landed
    head = git(history_repo, "rev-parse", "HEAD")
    assert data["commit"] != head.strip()


def test_a_halted_unit_is_never_late_after_its_halt(history_repo):
    assert "sl-gzw" in late(history_repo, "day", date(2022, 11, 2))
    edit(history_repo, "units/sl-gzw.yaml", "status: 正常", "status: 停产\nhalted: 2022-11-02")
    commit(history_repo, "2022-11-02T10:00:00+08:00", "国资委停产（示例）")
    assert "sl-gzw" not in late(history_repo, "day", date(2022, 11, 2))
