"""A push to main must not change a report whose cut-off has passed.

Reports read main's first-parent line by landing time (history.state). A fast-forward of a
commit made days ago puts it on that line with its old time, and a force-push rewrites what
was read: either changes reports already issued. The publish workflow runs this check on
each push to main and refuses to publish such a push; pull requests are merged with a merge
commit or squashed, which gives the commit on main the time of the merge.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..core.config import Config
from ..core.gitrepo import GitError, git
from .period_report import cutoffs, local_day
from .state import History

NO_COMMIT = set("0")


def last_cutoff(now: datetime, config: Config) -> datetime:
    """The latest report cut-off at or before `now` (day, week or month; quarters and years end
    with months)."""
    day = local_day(now, config)
    found = []
    for period in ("day", "week", "month"):
        current, previous = cutoffs(period, day, config)
        found.append(current if current <= now else previous)
    return max(found)


def check(root: Path, before: str, after: str, now: datetime, config: Config) -> list[str]:
    """Chinese problems of the push `before..after` to main; empty when past reports stand."""
    if not before or set(before) <= NO_COMMIT:  # the branch was created: nothing was issued from it
        return []
    try:
        git(root, "merge-base", "--is-ancestor", "--end-of-options", before, after)
    except GitError:
        return [f"main 的历史被改写（强制推送或修改了已推送的提交）：之前的 {before[:10]} 已不在 main 上，"
                "已发布的报告可能因此改变。请用 git revert 撤销错误的提交，不要改写历史；"
                "已存档的报告重新计算时会把差异列为更正。"]
    new = set(git(root, "rev-list", "--first-parent", "--end-of-options", f"{before}..{after}").decode().split())
    closed = last_cutoff(now, config)
    tz = config.schedule.tz
    problems = []
    for when, sha in History.read(root, after).commits:
        if sha in new and when < closed:
            problems.append(
                f"提交 {sha[:10]} 的时间 {when.astimezone(tz):%Y-%m-%d %H:%M} 早于已经截止的报告时间 "
                f"{closed.astimezone(tz):%Y-%m-%d %H:%M}，却在 {now.astimezone(tz):%Y-%m-%d %H:%M} 才进入 main："
                "它会改变已发布的报告，本次不发布（已存档的报告重新计算时会把差异列为更正）。合并请求须用"
                "“合并提交”（merge）或“压缩合并”（squash），不能快进合并旧提交；直接推送的提交须在下一个截止时间前推送。")
    return problems
