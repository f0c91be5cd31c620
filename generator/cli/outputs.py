"""Where a command may write a file it makes (never over the data, a tracked file, git's own
files or a folder), and what `validate` says when it has checked."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.gitrepo import GitError, git

if TYPE_CHECKING:
    from ..validate.pipeline import ValidationReport


def tracked(target: Path) -> bool:
    """Whether git keeps `target` in the repository around it (no git or no repository: no)."""
    try:
        git(target.parent, "ls-files", "--error-unmatch", "--", target.name)
    except (GitError, OSError):
        return False
    return True


def refusal(root: Path, out: Path, regenerates: str | None = None) -> str | None:
    """Why `out` may not be written (Chinese), or None. An export, template or report written
    over a ledger or any file under version control would destroy it at the next commit, one
    in .git/ would break the repository, and a folder cannot be a file. `regenerates`: the
    first line of a generated file the command may replace even though it is tracked (the
    reference page `qingqian docs` keeps up to date)."""
    data, target = root.resolve(), out.resolve()
    for folder in ("units", "ledgers"):
        if target == data / folder or target.is_relative_to(data / folder):
            return f"输出文件“{out}”在数据目录 {folder}/ 中，会覆盖台账数据，请另选位置"
    if ".git" in target.parts:
        return f"输出文件“{out}”在 git 仓库的内部目录 .git/ 中，请另选位置"
    if target.is_dir():
        return f"“{out}”是一个目录，请给出要写入的文件名，如 {Path(out) / 'out.txt'}"
    existing = next(parent for parent in target.parents if parent.exists())
    if not existing.is_dir():
        return f"输出文件“{out}”所在的“{existing}”是一个文件，不是目录，请另选位置"
    if not target.exists() or not tracked(target):
        return None
    if regenerates is not None and target.is_file():
        with target.open(encoding="utf-8", errors="replace") as file:
            if file.readline().rstrip("\n") == regenerates:
                return None
    return f"输出文件“{out}”是仓库中受版本管理的文件，不能覆盖，请另选位置"


def others_note(others: list) -> str:
    """What `validate PATH` says of the other files' problems: their warnings only as a count."""
    errors = sum(issue.severity == "error" for issue in others)
    return (f"以上是所查文件的问题{f'（及其他文件的 {errors} 个错误）' if errors else ''}；其他文件另有 "
            f"{len(others) - errors} 个警告未列出，不带文件名运行 qingqian validate 可全部列出")


def summary(report: ValidationReport) -> str:
    """validate's last line: what was checked, the problems, the warnings by code."""
    from ..core.issues import tally

    warnings = len(report.issues) - len(report.errors)
    s = report.stats
    hidden = (f"（另有 {report.hidden_warnings} 个警告在这次没有改动的文件中，--all-warnings 列出）"
              if report.hidden_warnings else "")
    return (f"检查了 {report.files} 个文件（{s.get('units', 0)} 个单位、{s.get('ledgers', 0)} 本台账、"
            f"{s.get('items', 0)} 笔欠款、{s.get('clues', 0)} 条线索、{s.get('cases', 0)} 个案例、"
            f"{s.get('measures', 0)} 条措施）："
            f"{len(report.errors)} 个错误，{warnings} 个警告{hidden}"
            + (f"\n  警告按类别：{tally(report.issues)}" if warnings else ""))
