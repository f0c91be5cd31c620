"""The `report`, `archive` and `landing` subcommands: the reports derived from the Git history (glue only)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from ..core.gitrepo import GitError
from ..core.issues import shown
from ..history import ARCHIVE_BRANCH, PERIODS
from .common import EXIT_DATA, EXIT_OK, UsageError, git_branch, git_revision, parse_date, parse_moment, repo_of
from .outputs import refusal


def add_commands(command) -> None:
    """Register the subcommands; `command(name, help)` is cli.build_parser's helper."""
    p = command("report", "由 Git 历史生成日报、周报、月调度、季通报或年度公开表")
    p.add_argument("--period", choices=list(PERIODS), required=True,
                   help="、".join(f"{key}：{name}" for key, name in PERIODS.items()))
    p.add_argument("--date", type=parse_date, required=True, metavar="DATE",
                   help="报告所属的日期，YYYY-MM-DD（所在日、周、月、季或年）")
    p.add_argument("--format", choices=("md", "xlsx", "json", "docx"), default="md",
                   help="md：Markdown（默认）；xlsx：Excel；json：供程序读取；docx：公文格式的通报（Word）")
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="输出文件（md、json 默认打印出来；xlsx、docx 必填）")
    p.add_argument("--number", type=int, default=None, metavar="N",
                   help="docx：发文字号的序号（默认按期：月份、季度、周次或一年中的第几日）")
    p.add_argument("--ref", type=git_revision, default="HEAD", help="主线分支或版本（默认 HEAD）")
    p.add_argument("--archive", type=git_branch, default=ARCHIVE_BRANCH, metavar="BRANCH",
                   help=f"与该分支中存档的已发布报告核对，不同处列为更正（默认 {ARCHIVE_BRANCH}，没有则不核对）")
    p.add_argument("--now", type=parse_moment, default=None,
                   help="报告的生成时间（默认现在）：截止时间在此之后的报告标为“未截止”")
    p.add_argument("--allow-invalid", action="store_true",
                   help="截止时间的数据有未通过校验的文件、或下级数据包被拒绝时仍以 0 退出（报告照样列出）")
    p.set_defaults(run=run_report)

    p = command("archive", "把已截止各期的报告存档到分支（已存档的不改写），供日后核对")
    p.add_argument("--branch", type=git_branch, default=ARCHIVE_BRANCH, metavar="BRANCH",
                   help=f"存档分支（默认 {ARCHIVE_BRANCH}）")
    p.add_argument("--ref", type=git_revision, default="HEAD", help="主线分支或版本（默认 HEAD）")
    p.add_argument("--now", type=parse_moment, default=None, help="发布时间（默认现在），只存档此前已截止的报告")
    p.add_argument("--push", action="store_true", help="先取回 origin 的存档分支，存档后推送")
    p.set_defaults(run=run_archive)

    p = command("landing", "检查一次推送进 main 的提交是否会改变已截止的报告（快进合并旧提交、改写历史）")
    p.add_argument("--before", type=git_revision, required=True, help="推送前 main 指向的提交")
    p.add_argument("--after", type=git_revision, required=True, help="推送后 main 指向的提交")
    p.add_argument("--now", type=parse_moment, default=None, help="推送时间（默认现在）")
    p.set_defaults(run=run_landing)


def run_report(args) -> int:
    from ..history import archive
    from ..history import report_files as report_output
    from ..history.period_report import build_report
    from ..history.state import History

    repo = repo_of(args)
    root = repo.root
    if args.format in ("xlsx", "docx") and args.out is None:
        raise UsageError(f"{args.format} 格式需要用 --out 指定文件")
    if args.out is not None and (reason := refusal(root, args.out)):
        raise UsageError(reason)
    try:
        history = History.read(root, args.ref)
    except GitError as exc:
        raise UsageError(f"无法读取 Git 历史：{exc}") from None
    config = repo.config
    report = build_report(history, args.period, args.date, config, args.now or datetime.now(UTC))
    _members(report, history, config)
    archive.compare(report, root, config, args.archive)
    if args.format == "docx":
        from ..document.circular import circular

        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(circular(report, config, serial=args.number))
        text = None
    else:
        text = report_output.write(report, args.format, args.out)
    if text is not None:
        sys.stdout.write(text)
    if report.no_data:
        print(f"错误：{report_output.NO_DATA}", file=sys.stderr)
        return EXIT_DATA
    refused = [p for p in report.member_problems or [] if p.code.startswith("E")]
    for problem in report.member_problems or []:
        error = problem.code.startswith("E") and not args.allow_invalid
        print(f"{'错误' if error else '注意'}：{problem.code} {shown(problem.message)}", file=sys.stderr)
    if report.invalid:
        print(f"{'注意' if args.allow_invalid else '错误'}：{report_output.invalid_notice(report)}", file=sys.stderr)
        for bad in report.invalid:
            print(f"  {bad.path}：{bad.errors}（{bad.used}）", file=sys.stderr)
        return EXIT_OK if args.allow_invalid else EXIT_DATA
    return EXIT_DATA if refused and not args.allow_invalid else EXIT_OK


def _members(report, history, config) -> None:
    """At an upper level (rollup.members), the members' figures from the bundles its history held."""
    if not config.rollup.members:
        return
    from ..rollup import BundleError
    from ..rollup.periods import attach

    try:
        attach(report, history, config)
    except BundleError as exc:
        raise UsageError(str(exc)) from None


def run_archive(args) -> int:
    from ..core.gitrepo import push, start_from_remote
    from ..history import archive
    from ..history.state import History

    repo = repo_of(args)
    root = repo.root
    now = args.now or datetime.now(UTC)
    try:
        if args.push:
            start_from_remote(root, args.branch)
        history = History.read(root, args.ref)
        written = archive.write(root, history, repo.config, now, args.branch,
                                lambda report: _members(report, history, repo.config))
        if args.push:
            push(root, args.branch)
    except GitError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_DATA
    for path in written:
        print(f"已存档 {path}", file=sys.stderr)
    print(f"存档了 {len(written)} 份报告到分支 {args.branch}", file=sys.stderr)
    return EXIT_OK


def run_landing(args) -> int:
    from ..history import landing

    repo = repo_of(args)
    try:
        problems = landing.check(repo.root, args.before, args.after, args.now or datetime.now(UTC), repo.config)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    for problem in problems:
        print(f"错误：{problem}", file=sys.stderr)
    return EXIT_DATA if problems else EXIT_OK
