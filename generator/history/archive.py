"""What was issued stays issued: the reports the publish workflow issued, kept on a branch.

Each report of a closed period (its cut-off has passed) is written once, as its JSON with the
commit it read, to `<period>/<day>.json` on the archive branch, and never rewritten. A later
recomputation of the same report is compared with it: every figure that differs is shown as
a correction with both figures, never silently replaced. The branch is written with git's
plumbing into a private index, so the work tree and the checked-out branch are untouched.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from ..core.config import Config
from ..core.gitrepo import REGULAR, GitError, git
from . import ARCHIVE_BRANCH, ArchiveError, report_files
from .period_report import build_report, cutoffs, local_day
from .report_data import Issued, PeriodReport, Restatement
from .report_json import json_form
from .state import History

BRANCH = ARCHIVE_BRANCH
TOTALS = [("items", "欠款笔数"), ("amount", "欠款金额（元）"), ("repaid", "已还金额（元）"),
          ("remaining", "剩余欠款（元）")]
CHANGE = report_files.CHANGE
MOVEMENT = [(key, f"{label}（元）") for key, label in report_files.MOVEMENT]
LISTS = [("invalid", "未通过校验的文件数"), ("removed_units", "删除的单位数"), ("removed_debts", "移出的欠款笔数"),
         ("late_units", "未按时报送单位数"), ("new_arrears", "新增拖欠笔数"), ("deadline_missed", "超时限欠款笔数"),
         ("plan_slipped", "计划逾期笔数")]


def path_of(report: PeriodReport, config: Config) -> str:
    """Where a report lives on the archive branch: its period and the day its cut-off closes."""
    day = local_day(report.cutoff, config)
    return f"{report.period}/{day.isoformat()}.json"


def find_ref(root: Path, branch: str) -> str | None:
    """The archive branch, local or as fetched from origin; None if there is none."""
    for ref in (f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"):
        try:
            return git(root, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}").decode().strip()
        except GitError:
            continue
    return None


def issued(root: Path, commit: str, path: str) -> dict | None:
    """The archived report at `path` of the archive commit, or None if it was never issued."""
    try:
        text = git(root, "show", f"{commit}:{path}")
    except GitError:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        raise ArchiveError(f"存档分支中的 {path} 不是有效的 JSON，无法与已发布的报告核对") from None
    if not isinstance(data, dict):
        raise ArchiveError(f"存档分支中的 {path} 不是一份报告")
    return data


def corrections(before: dict, report: PeriodReport) -> list[Restatement]:
    """Each figure of the issued report that the recomputation changes: (figure, issued, now).
    The issued report is JSON, written by whatever version of the code issued it; the two are
    compared in that form, figure by figure, so a field it lacks reads as missing, not as an
    error. The commits read are not figures: a rewritten history can give the same numbers."""
    now = json_form(report)
    rows = []

    def differ(figure: str, old: object, new: object) -> None:
        if old != new:
            rows.append(Restatement(figure, "" if old is None else str(old), "" if new is None else str(new)))

    for key, label in TOTALS:
        differ(label, before.get("totals", {}).get(key), now["totals"][key])
    for key, label in CHANGE:
        differ(label, before.get("change", {}).get(key), now["change"][key])
    for key, label in MOVEMENT:  # an issued report without a movement (older code) is not corrected by one
        if "movement" in before:
            differ(label, before["movement"].get(key), now["movement"][key])
    for key, label in LISTS:
        differ(label, len(before.get(key) or []), len(now.get(key) or []))
    old_units = {row["unit"]: row for row in before.get("by_unit", [])}
    new_units = {row["unit"]: row for row in now["by_unit"]}
    for unit in sorted(old_units.keys() | new_units.keys()):
        old, new = old_units.get(unit, {}), new_units.get(unit, {})
        name = new.get("unit_name") or old.get("unit_name") or unit  # what a reader knows the unit by
        differ(f"{name} 剩余欠款（元）", old.get("remaining"), new.get("remaining"))
        if "movement" in before:
            differ(f"{name} 本期还款（元）", old.get("movement", {}).get("repaid"),
                   new.get("movement", {}).get("repaid"))
    return rows


def compare(report: PeriodReport, root: Path, config: Config, branch: str = BRANCH) -> str | None:
    """Add `issued` to the report when its period was issued before: the archive commit, the
    issued report's commit and the corrections (empty when the figures stand). Gives the
    archived blob id (None if never issued), so a cached copy knows what it was compared with."""
    ref = find_ref(root, branch)
    if ref is None:
        return None
    path = path_of(report, config)
    before = issued(root, ref, path)
    if before is None:
        return None
    commit = before.get("commit")
    report.issued = Issued(ref, path, commit if isinstance(commit, str) else None, corrections(before, report))
    return git(root, "rev-parse", f"{ref}:{path}").decode().strip()


def closed_periods(first: date, now: datetime, config: Config) -> list[tuple[str, date]]:
    """(period, a day in it) of the reports a publish at `now` issues: the latest closed day and
    week, and every closed month, quarter and year since `first`."""
    today = local_day(now, config)
    chosen = []
    for period, step in (("day", 1), ("week", 7)):
        day = today
        while cutoffs(period, day, config)[0] > now:
            day = date.fromordinal(day.toordinal() - step)
        chosen.append((period, day))
    months = [(y, m) for y in range(first.year, today.year + 1) for m in range(1, 13)
              if (first.year, first.month) <= (y, m) <= (today.year, today.month)]
    for period in ("month", "quarter", "year"):
        seen = set()
        for y, m in months:
            current = cutoffs(period, date(y, m, 1), config)
            if current[0] <= now and current not in seen:
                seen.add(current)
                chosen.append((period, date(y, m, 1)))
    return chosen


def write(root: Path, history: History, config: Config, now: datetime, branch: str = BRANCH,
          extend: Callable[[PeriodReport], None] | None = None) -> list[str]:
    """Archive the reports issued at `now` that the branch does not hold yet; gives their paths.
    Files already there are never rewritten: what was issued stays as issued. `extend` adds what a
    later stage puts in each report (an upper level's members, rollup.periods)."""
    if not history.commits:
        return []
    first = local_day(history.commits[0][0], config)
    parent = find_ref(root, branch)
    entries: dict[str, bytes] = {}
    for period, day in closed_periods(first, now, config):
        report = build_report(history, period, day, config, now)
        if extend is not None:
            extend(report)
        path = path_of(report, config)
        if report.no_data or path in entries or (parent and issued(root, parent, path) is not None):
            continue
        entries[path] = report_files.to_json(report).encode()
    if not entries:
        return []
    with tempfile.TemporaryDirectory(prefix="qingqian-archive-") as tmp:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        if parent:
            git(root, "read-tree", parent, env=env)
        for path, data in sorted(entries.items()):
            blob = git(root, "hash-object", "-w", "--stdin", stdin=data).decode().strip()
            git(root, "update-index", "--add", "--cacheinfo", f"{REGULAR},{blob},{path}", env=env)
        tree = git(root, "write-tree", env=env).decode().strip()
    message = f"存档已发布的报告（{now.astimezone(config.schedule.tz).strftime('%Y-%m-%d %H:%M')}）：{len(entries)} 份"
    commit = git(root, "commit-tree", tree, *(("-p", parent) if parent else ()), "-m", message).decode().strip()
    git(root, "update-ref", f"refs/heads/{branch}", commit)
    return sorted(entries)
