"""Reports on histories as they really happen: back-dated clocks, fast-forwards of old
commits, files that fail validation at a cut-off, deleted units and debts. Each test builds
a real git repository with commits at chosen times."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from generator.core.config import Config
from generator.history import state
from generator.history.period_report import build_report
from generator.history.progress import daily_cutoffs, overall, series
from generator.history.report_json import json_form
from generator.history.state import History
from generator.history.timeline import timelines
from generator.site.changes import baseline, period_tags
from generator.site.history_pages import progress_context
from helpers import LEDGER, commit, edit, executable, git, report, run_step, steps

PAYMENT = "      - {date: 2022-06-15, amount: 200000.00, method: 银行转账}\n"


def cli_report(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "report", "--root", repo, *args],
                          capture_output=True, text=True)


def pay(repo: Path, day: str, amount: str) -> None:
    edit(repo, LEDGER, PAYMENT, PAYMENT + f"      - {{date: {day}, amount: {amount}, method: 银行转账}}\n")


def test_a_clock_set_back_never_places_a_commit_before_its_parent(history_repo):
    edit(history_repo, LEDGER, "as_of: 2022-11-02", "as_of: 2022-11-03")
    # paid on 11-02: a report counts payments dated by its own day (core.derive.snapshot)
    pay(history_repo, "2022-11-02", "50000.00")
    commit(history_repo, "2022-10-29T10:00:00+08:00", "时钟错误的提交")  # after 11-01 17:01, clock says 10-29
    before_first = report(history_repo, "day", date(2022, 10, 30))
    assert before_first["no_data"] and before_first["commit"] is None
    assert report(history_repo, "day", date(2022, 11, 1))["change"]["repaid"] == "80000.00"  # as issued
    # It counts from its parent's time (11-01 17:01): in the 11-02 report.
    assert report(history_repo, "day", date(2022, 11, 2))["change"]["repaid"] == "50000.00"
    times = [when for when, _sha in History.read(history_repo).commits]
    assert times == sorted(times)


def test_a_report_before_the_first_commit_says_there_is_no_data(history_repo):
    result = cli_report(history_repo, "--period", "day", "--date", "2022-10-30")
    assert result.returncode == 1 and "没有数据" in result.stderr and "没有数据" in result.stdout


def test_an_overpayment_at_a_cut_off_keeps_the_last_valid_version(history_repo):
    pay(history_repo, "2022-11-02", "200000.00")  # A001: 380,000 owed, 480,000 paid
    edit(history_repo, LEDGER, "as_of: 2022-11-02", "as_of: 2022-11-03")
    commit(history_repo, "2022-11-03T10:00:00+08:00", "多付")
    valid_head = report(history_repo, "day", date(2022, 11, 2))
    data = report(history_repo, "day", date(2022, 11, 3))
    assert [bad["path"] for bad in data["invalid"]] == [LEDGER]
    assert "E303" in data["invalid"][0]["errors"] and "沿用最后有效版本" in data["invalid"][0]["used"]
    assert data["totals"] == valid_head["totals"]  # not netted against another debt
    result = cli_report(history_repo, "--period", "day", "--date", "2022-11-03", "--format", "json")
    assert result.returncode == 1 and LEDGER in result.stderr and "未通过校验" in result.stderr
    allowed = cli_report(history_repo, "--period", "day", "--date", "2022-11-03", "--allow-invalid")
    assert allowed.returncode == 0 and "## 未通过校验的文件" in allowed.stdout and "E303" in allowed.stdout


def test_a_yaml_error_or_a_bad_amount_does_not_drop_the_ledger(history_repo):
    expected = report(history_repo, "day", date(2022, 11, 2))["totals"]
    edit(history_repo, LEDGER, "amount: 380000.00", "amount: 38万")
    commit(history_repo, "2022-11-03T10:00:00+08:00", "金额写成 38万")
    edit(history_repo, LEDGER, "items:", "items: [")
    commit(history_repo, "2022-11-04T10:00:00+08:00", "YAML 错误")
    for day in (3, 4):
        data = report(history_repo, "day", date(2022, 11, day))
        assert data["totals"] == expected and [bad["path"] for bad in data["invalid"]] == [LEDGER]
    frame = overall(series(History.read(history_repo), daily_cutoffs(date(2022, 11, 2), date(2022, 11, 4), Config()),
                           cache=False))
    assert len(set(frame["remaining"])) == 1 and list(frame["invalid"]) == [0, 1, 1]


def test_a_new_ledger_that_was_never_valid_is_left_out_and_said(history_repo):
    (history_repo / "ledgers/arrears/sl-gt.yaml").write_text("unit: sl-gt\nitems: [\n", encoding="utf-8")
    commit(history_repo, "2022-11-03T10:00:00+08:00", "坏台账")
    data = report(history_repo, "day", date(2022, 11, 3))
    assert [(bad["path"], bad["used"]) for bad in data["invalid"]] == [
        ("ledgers/arrears/sl-gt.yaml", "未计入（此前没有有效版本）")]


def test_deleted_units_and_debts_are_listed(history_repo):
    (history_repo / "ledgers/arrears/sl-czj.yaml").unlink()
    (history_repo / "units/sl-czj.yaml").unlink()
    commit(history_repo, "2022-11-03T10:00:00+08:00", "删除单位及其台账")
    data = report(history_repo, "day", date(2022, 11, 3))
    assert [u["unit"] for u in data["removed_units"]] == ["sl-czj"]
    assert [(d["unit"], d["id"], d["remaining"]) for d in data["removed_debts"]] == [("sl-czj", "C001", "30000.00")]
    assert data["change"]["remaining"] == "-30000.00"
    markdown = cli_report(history_repo, "--period", "day", "--date", "2022-11-03").stdout
    assert "## 本期删除的单位" in markdown and "## 本期移出的欠款（停产、删除）" in markdown
    assert "单位已删除" in markdown


def test_a_fast_forward_of_an_old_commit_and_a_merge_commit(history_repo):
    start = git(history_repo, "rev-parse", "HEAD").strip()
    git(history_repo, "switch", "-q", "-c", "pr")
    pay(history_repo, "2022-11-02", "50000.00")
    commit(history_repo, "2022-11-02T10:00:00+08:00", "单位的还款（合并请求）")
    git(history_repo, "switch", "-q", "main")
    issued = report(history_repo, "day", date(2022, 11, 2))
    assert issued["change"]["repaid"] == "0.00"
    # Merged as a merge commit on 11-04: the 11-02 report stays as issued.
    git(history_repo, "merge", "-q", "--no-ff", "-m", "合并", "pr", when="2022-11-04T10:00:00+08:00")
    assert report(history_repo, "day", date(2022, 11, 2)) == issued
    assert report(history_repo, "day", date(2022, 11, 4))["change"]["repaid"] == "50000.00"
    # A fast-forward instead would change the issued report: the same history read from the branch.
    git(history_repo, "branch", "-f", "ff", "pr")
    assert json.dumps(build(history_repo, "ff")) != json.dumps(issued)
    assert start in git(history_repo, "rev-list", "ff")


def build(repo: Path, ref: str) -> dict:
    return json_form(build_report(History.read(repo, ref), "day", date(2022, 11, 2), Config()))


def test_the_progress_page_marks_points_with_invalid_data(history_repo):
    edit(history_repo, LEDGER, "amount: 380000.00", "amount: 38万")
    commit(history_repo, "2022-11-03T10:00:00+08:00", "金额写成 38万")
    context = progress_context(History.read(history_repo), date(2022, 11, 1), date(2022, 11, 3), Config())
    assert context.invalid_points == [("2022-11-03", 1)]


def landing(repo: Path, before: str, after: str, now: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "landing", "--root", repo, "--before", before,
                           "--after", after, "--now", now], capture_output=True, text=True)


def test_the_publish_check_refuses_old_commits_fast_forwarded_and_rewritten_history(history_repo):
    main = git(history_repo, "rev-parse", "HEAD").strip()
    git(history_repo, "switch", "-q", "-c", "pr")
    pay(history_repo, "2022-11-02", "50000.00")
    commit(history_repo, "2022-11-02T10:00:00+08:00", "单位的还款（合并请求）")
    old = git(history_repo, "rev-parse", "HEAD").strip()
    refused = landing(history_repo, main, old, "2022-11-04T10:00:00+08:00")  # fast-forwarded two days later
    assert refused.returncode == 1 and old[:10] in refused.stderr and "合并提交" in refused.stderr
    assert landing(history_repo, main, old, "2022-11-02T10:05:00+08:00").returncode == 0  # pushed at once
    git(history_repo, "switch", "-q", "main")
    git(history_repo, "merge", "-q", "--no-ff", "-m", "合并", "pr", when="2022-11-04T10:00:00+08:00")
    merged = git(history_repo, "rev-parse", "HEAD").strip()
    assert landing(history_repo, main, merged, "2022-11-04T10:01:00+08:00").returncode == 0
    # An amend of a pushed commit, force-pushed: what was read is gone.
    edit(history_repo, LEDGER, "amount: 50000.00, method", "amount: 30000.00, method")
    commit(history_repo, "2022-11-04T10:30:00+08:00", "改写")
    git(history_repo, "reset", "-q", "--soft", "HEAD~2")
    commit(history_repo, "2022-11-04T11:00:00+08:00", "改写后的提交")
    rewritten = landing(history_repo, merged, git(history_repo, "rev-parse", "HEAD").strip(),
                        "2022-11-04T11:01:00+08:00")
    assert rewritten.returncode == 1 and "历史被改写" in rewritten.stderr
    assert landing(history_repo, "0" * 40, merged, "2022-11-04T11:01:00+08:00").returncode == 0


def archive(repo: Path, now: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "archive", "--root", repo, "--now", now, *args],
                          capture_output=True, text=True)


def test_an_amended_and_force_pushed_payment_is_shown_as_a_correction(history_repo):
    published = archive(history_repo, "2022-11-02T18:00:00+08:00")
    assert published.returncode == 0, published.stderr
    files = git(history_repo, "ls-tree", "-r", "--name-only", "reports-archive").split()
    # The latest closed day, and the month of October; the week to 10-27 had no data yet.
    assert files == ["day/2022-11-02.json", "month/2022-10-31.json"]
    day_report = json.loads(cli_report(history_repo, "--period", "day", "--date", "2022-11-02",
                                       "--format", "json").stdout)
    assert day_report["issued"]["corrections"] == []
    # The 16:59 payment of 80,000 on 11-01 is amended to 30,000 and main force-pushed.
    first = git(history_repo, "rev-list", "--max-parents=0", "HEAD").strip()
    git(history_repo, "reset", "-q", "--hard", first)
    edit(history_repo, LEDGER, "as_of: 2022-10-31", "as_of: 2022-11-02")
    pay(history_repo, "2022-11-01", "30000.00")
    commit(history_repo, "2022-11-01T16:59:00+08:00", "还款（改写）")
    result = cli_report(history_repo, "--period", "day", "--date", "2022-11-02", "--format", "json")
    corrections = {row["figure"]: (row["issued"], row["now"]) for row in json.loads(result.stdout)["issued"][
        "corrections"]}
    assert corrections["已还金额（元）"] == ("370000.10", "320000.10")
    assert corrections["剩余欠款（元）"][0] != corrections["剩余欠款（元）"][1]
    markdown = cli_report(history_repo, "--period", "day", "--date", "2022-11-02").stdout
    assert "**更正：本报告已发布并存档" in markdown and "| 已还金额（元） | 370000.10 | 320000.10 |" in markdown
    # A later publish never rewrites what was issued.
    before = git(history_repo, "rev-parse", "reports-archive:day/2022-11-02.json")
    assert archive(history_repo, "2022-11-05T18:00:00+08:00").returncode == 0
    assert git(history_repo, "rev-parse", "reports-archive:day/2022-11-02.json") == before
    assert "day/2022-11-05.json" in git(history_repo, "ls-tree", "-r", "--name-only", "reports-archive")


def test_the_publish_workflow_runs_the_check_on_pushes_to_main(history_repo):
    (step,) = [s for s in steps("publish.yml") if "qingqian landing" in s.get("run", "")]
    assert step["if"] == "github.ref_type == 'branch'"
    before = git(history_repo, "rev-parse", "HEAD").strip()
    git(history_repo, "switch", "-q", "-c", "pr")
    pay(history_repo, "2022-11-02", "50000.00")
    commit(history_repo, "2022-11-02T10:00:00+08:00", "单位的还款（合并请求）")
    git(history_repo, "switch", "-q", "main")
    old = git(history_repo, "rev-parse", "pr").strip()
    installed = Path(sys.executable).parent / "qingqian"
    executable(history_repo / ".venv/bin/qingqian", f"#!/bin/sh\nexec {installed} \"$@\"\n")
    pushed = {"github.event.before": before, "github.sha": old}
    refused = run_step(step, history_repo, pushed, os.environ["PATH"])  # fast-forwarded today
    assert refused.returncode == 1 and "不能快进合并旧提交" in refused.stderr
    git(history_repo, "-c", "user.name=t", "-c", "user.email=t@example.cn", "merge", "-q", "--no-ff", "-m", "合并",
        "pr")
    merged = {"github.event.before": before, "github.sha": git(history_repo, "rev-parse", "HEAD").strip()}
    assert run_step(step, history_repo, merged, os.environ["PATH"]).returncode == 0


def test_period_tags_are_chosen_by_ancestry_on_main_and_the_others_named(history_repo):
    def tag(name: str, ref: str) -> None:
        git(history_repo, "tag", name, ref)

    first = git(history_repo, "rev-list", "--max-parents=0", "HEAD").strip()
    tag("2022-10", first)
    tag("2202-07", first)  # a typo: a period long after the commit
    tag("2022-13", first)  # no such month
    git(history_repo, "switch", "-q", "-c", "pr", "HEAD~1")
    pay(history_repo, "2022-11-02", "50000.00")
    commit(history_repo, "2022-11-02T10:00:00+08:00", "单位的还款（合并请求）")
    tag("2022-11", "HEAD")  # on the pull request's own commit
    git(history_repo, "switch", "-q", "main")
    git(history_repo, "-c", "user.name=t", "-c", "user.email=t@example.cn", "merge", "-q", "--no-ff", "-m", "合并",
        "pr")
    history = History.read(history_repo)
    chosen, warnings = period_tags(history, Config())
    assert chosen == ("2022-10", first)
    assert sorted(w.split()[1] for w in warnings) == ["2022-11", "2022-13", "2202-07"]
    assert "第一父提交链" in next(w for w in warnings if "2022-11" in w)
    base = baseline(history, Config(), date(2022, 11, 5))
    assert base.tag == "2022-10" and base.warnings == warnings
    # A later tag on main wins by ancestry even when an older commit carries a larger name.
    tag("2022-09", "HEAD~1")
    git(history_repo, "-c", "user.name=t", "-c", "user.email=t@example.cn", "commit", "-q", "--allow-empty",
        "-m", "下一次")
    assert period_tags(History.read(history_repo), Config())[0] == ("2022-09", git(history_repo, "rev-parse",
                                                                                    "HEAD~2").strip())


def test_a_reverted_payment_shows_its_removal_and_a_renamed_ledger_is_not_doubled(history_repo):
    pay(history_repo, "2022-11-02", "50000.00")
    commit(history_repo, "2022-11-02T10:00:00+08:00", "还款")
    git(history_repo, "revert", "--no-edit", "HEAD", when="2022-11-02T11:00:00+08:00")
    git(history_repo, "mv", LEDGER, "ledgers/arrears/sl-jtj-renamed.yaml")
    commit(history_repo, "2022-11-03T10:00:00+08:00", "改名（校验会拒绝，但历史里可能有）")
    (history_repo / "ledgers/arrears/sl-czj.yaml").unlink()
    commit(history_repo, "2022-11-04T10:00:00+08:00", "删除台账")
    found = timelines(History.read(history_repo), cache=False)
    a001 = [(e.kind, e.amount, e.recorded.astimezone(Config().schedule.tz).strftime("%m-%d %H:%M"))
            for e in found["sl-jtj"] if e.item == "A001"]
    assert a001 == [("出现", 38000000, "10-31 09:00"), ("还款", 20000000, "10-31 09:00"),
                    ("还款", 8000000, "11-01 16:59"), ("还款", 5000000, "11-02 10:00"),
                    ("撤销还款", 5000000, "11-02 11:00")]  # and nothing twice after the rename
    assert [e.item for e in found["sl-jtj"] if e.kind == "出现"] == ["A001", "A002", "A003", "A004"]
    assert not any(e.kind == "删除" for e in found["sl-jtj"])
    assert [(e.item, e.kind) for e in found["sl-czj"]] == [("C001", "出现"), ("C001", "删除")]


def test_the_comparison_state_of_changes_is_parsed_once_then_read_from_the_per_blob_cache(history_repo,
                                                                                          monkeypatch):
    parsed: list[str] = []
    check = state.check_contents

    def counting(pairs, *args, **kwargs):
        parsed.extend(path for path, _data in pairs)
        return check(pairs, *args, **kwargs)

    def build(cache: bool = True):
        history = History.read(history_repo, cache=cache)
        found = baseline(history, Config(), date(2022, 11, 5))
        history.save()
        return found

    monkeypatch.setattr(state, "check_contents", counting)
    first = git(history_repo, "rev-list", "--max-parents=0", "HEAD").strip()
    git(history_repo, "tag", "2022-10", first)
    cold = build()
    files = git(history_repo, "ls-tree", "-r", "--name-only", first, "units", "ledgers").split()
    assert cold.commit == first and sorted(parsed) == sorted(files)
    parsed.clear()
    warm = build()  # the next build
    assert parsed == [] and warm.records == cold.records  # the very records, read back from the cache
    git(history_repo, "tag", "2022-11", "HEAD~1")  # a new period: only what changed since is parsed
    moved = build()
    assert moved.tag == "2022-11" and parsed == [LEDGER]
    parsed.clear()
    assert build(cache=False).records == moved.records
    assert sorted(parsed) == sorted(files)  # without the cache, everything again


def test_the_series_leaves_a_halted_units_ledger_out_from_its_date_as_the_reports_do(history_repo):
    edit(history_repo, "units/sl-czj.yaml", "status: 正常", "status: 停产\nhalted: 2022-11-04")
    commit(history_repo, "2022-11-03T10:00:00+08:00", "登记停产（自 11 月 4 日）")
    days = [date(2022, 11, d) for d in (2, 3, 4, 5)]
    frame = overall(series(History.read(history_repo), daily_cutoffs(days[0], days[-1], Config()), cache=False))
    assert list(frame["items"])[1] - list(frame["items"])[2] == 1  # sl-czj's one debt leaves on the 4th
    for day, remaining in zip(days, frame["remaining"], strict=True):
        expected = json_form(build_report(History.read(history_repo), "day", day, Config()))["totals"]["remaining"]
        assert expected == f"{int(remaining) // 100}.{int(remaining) % 100:02d}", day
