"""The `bundle` and `rollup` subcommands: a level's figures handed up, and the level above
summing its members' bundles (DESIGN §3d; glue only)."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

from .common import EXIT_DATA, EXIT_OK, UsageError, checked, parse_date, repo_of
from .outputs import refusal


def add_commands(command) -> None:
    """Register the subcommands; `command(name, help)` is cli.build_parser's helper."""
    p = command("bundle", "把本级的欠款、单位和线索写成供上级汇总的数据包（Parquet 和 JSON，附 manifest.json）")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="输出目录（同名文件会被替换）")
    p.add_argument("--as-of", type=parse_date, default=None, metavar="DATE",
                   help="统计日期 YYYY-MM-DD（默认最新的台账日期）")
    p.add_argument("--sign", type=Path, default=None, metavar="KEY",
                   help="用该 SSH 私钥签名 manifest.json（ssh-keygen -Y sign），写出 manifest.json.sig")
    p.set_defaults(run=run_bundle)

    p = command("rollup", "核验各下级的数据包并汇总（qingqian.yaml 的 rollup.members）")
    p.add_argument("--date", type=parse_date, default=None, metavar="DATE",
                   help="汇总日期 YYYY-MM-DD，据此判断数据包是否过期（默认今天）")
    p.add_argument("--format", choices=("json", "md"), default="json", help="json：供程序读取（默认）；md：Markdown")
    p.add_argument("--out", type=Path, default=None, metavar="FILE", help="输出文件（默认打印出来）")
    p.set_defaults(run=run_rollup)


def _commit(root: Path) -> str | None:
    from ..core.gitrepo import GitError, git

    try:
        return git(root, "rev-parse", "--verify", "HEAD").decode().strip() or None
    except (GitError, OSError):
        return None


def run_bundle(args) -> int:
    from ..analysis.frame import items_frame, stated_date
    from ..rollup import MANIFEST, BundleError
    from ..rollup.bundle import write_bundle

    repo = repo_of(args)
    root = repo.root
    if reason := refusal(root, args.out / MANIFEST):
        raise UsageError(reason)
    report = checked(repo)
    if report is None:
        return EXIT_DATA
    frame = items_frame(report.records, repo.config.campaign, args.as_of)
    generated = datetime.now(UTC).replace(microsecond=0).isoformat()
    try:
        written = write_bundle(report.records, frame, stated_date(report.records, args.as_of), args.out,
                               _commit(root), generated, args.sign)
    except BundleError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_DATA
    print(f"已写出数据包 {args.out}（{len(frame)} 笔欠款）：{'、'.join(written)}", file=sys.stderr)
    return EXIT_OK


def run_rollup(args) -> int:
    from ..rollup import BundleError, RollupError
    from ..rollup.aggregate import roll_up
    from ..rollup.bundle import region_of
    from ..rollup.output import render

    repo = repo_of(args)
    root = repo.root
    if args.out is not None and (reason := refusal(root, args.out)):
        raise UsageError(reason)
    config = repo.config
    if not config.rollup.members:
        raise UsageError("qingqian.yaml 中没有 rollup.members：列出各下级的数据包目录或网址后再汇总")
    report = checked(repo)  # the upper level's own units say which region it is
    if report is None:
        return EXIT_DATA
    try:
        upper = region_of(report.records)
    except BundleError as exc:
        raise UsageError(str(exc)) from None
    try:
        result = roll_up(root, config.rollup, upper, args.date or date.today())
    except RollupError as exc:
        print(f"错误：{exc.line}", file=sys.stderr)
        return EXIT_DATA
    text = render(result, args.format)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    for problem in result.problems:
        print(f"注意：{problem.code} {problem.shown}", file=sys.stderr)
    return EXIT_OK
