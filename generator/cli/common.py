"""What every command's glue shares: exit codes, the usage error, argument types."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..core.gitrepo import Repo
from ..core.running import SILENT, Progress

if TYPE_CHECKING:
    from ..validate.pipeline import ValidationReport

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def repo_of(args) -> Repo:
    """The command's data repository, opened once: every stage it runs is given this one."""
    root = args.root
    if not root.is_dir():
        raise UsageError(f"数据目录“{root}”不存在")
    return Repo(root)


def checked(repo: Repo, progress: Progress = SILENT) -> ValidationReport | None:
    """The repository's records when it has no errors; otherwise print them and give None."""
    from ..core.issues import render
    from ..validate.pipeline import validate_repo

    with progress.stage("校验", unit="个文件") as advance:
        report = validate_repo(repo)
        advance(report.files)
    if report.valid:
        return report
    print(render(report.errors, "text"), file=sys.stderr)
    print(f"数据有 {len(report.errors)} 个错误，请先修正（qingqian validate 查看详情）", file=sys.stderr)
    return None


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是 YYYY-MM-DD 格式的日期") from None


def parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是带时区的时间，如 2022-11-04T10:00:00+08:00") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"“{text}”缺少时区，如 +08:00")
    return moment


# A revision or branch is handed to git (and mike) as an argument: one starting with '-' would
# be read as an option (`--output=FILE` makes `git log` write FILE), so it is refused here, at
# the edge, and the git calls mark the end of their options as well.
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_BRANCH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]*")


def git_revision(text: str) -> str:
    if not text or text.startswith("-") or _CONTROL.search(text):
        raise argparse.ArgumentTypeError(
            f"“{text}”不是有效的 Git 版本（不能为空、不能以 - 开头、不能含空格或控制字符）")
    return text


def git_branch(text: str) -> str:
    if not _BRANCH.fullmatch(text) or ".." in text or text.endswith((".lock", "/", ".")) or "//" in text:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的分支名（只用字母、数字和 . _ / -，不能以 - 开头）")
    return text
