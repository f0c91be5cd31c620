"""The `notice` subcommand: 督办函 to the supervised units as Word documents (glue only)."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import EXIT_DATA, EXIT_OK, UsageError, checked, parse_date, repo_of
from .outputs import refusal


def add_commands(command) -> None:
    """Register the subcommand; `command(name, help)` is cli.build_parser's helper."""
    p = command("notice", "给约谈、督办名单上的单位写督办函（公文格式的 Word 文件）")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--unit", default=None, metavar="ID", help="单位编号：给这个单位写一份")
    which.add_argument("--all", action="store_true", help="给约谈、督办名单上的每个单位各写一份，写入 --out 目录")
    p.add_argument("--date", type=parse_date, default=None, metavar="DATE",
                   help="成文日期和数据日期 YYYY-MM-DD（默认最新的台账日期）；回复期限从这天算起")
    p.add_argument("--out", type=Path, default=None, metavar="FILE|DIR",
                   help="--unit：输出文件（默认 督办函-<单位编号>.docx）；--all：输出目录（必填）")
    p.add_argument("--number", type=int, default=None, metavar="N",
                   help="--unit：发文字号的序号（默认该单位在约谈、督办名单上的名次）")
    p.set_defaults(run=run_notice)


def run_notice(args) -> int:
    from ..analysis.frame import items_frame, stated_date
    from ..document.notice import notice_document, notices

    repo = repo_of(args)
    root = repo.root
    if args.all and args.out is None:
        raise UsageError("--all 需要用 --out 指定输出目录")
    out = args.out if args.out is not None else Path(f"督办函-{args.unit}.docx")
    if reason := refusal(root, out / "督办函.docx" if args.all else out):  # a folder: where its files go
        raise UsageError(reason)
    report = checked(repo)
    if report is None:
        return EXIT_DATA
    records, config = report.records, repo.config
    if args.unit is not None and args.unit not in records.units:
        raise UsageError(f"单位“{args.unit}”未在 units/ 中登记")
    as_of = stated_date(records, args.date)
    frame = items_frame(records, config.campaign, as_of)
    found = notices(frame, records, config.supervision, as_of, only=args.unit)
    if args.unit is not None:
        if not found:
            raise UsageError(f"单位“{records.units[args.unit].name}”截至 {as_of} 没有尚未清偿的欠款，不需要督办函")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(notice_document(found[0], config.document, serial=args.number))
        print(f"已写入 {out}", file=sys.stderr)
        return EXIT_OK
    for notice in found:
        if reason := refusal(root, out / f"{notice.unit}.docx"):
            raise UsageError(reason)
    out.mkdir(parents=True, exist_ok=True)
    for notice in found:
        (out / f"{notice.unit}.docx").write_bytes(notice_document(notice, config.document))
    print(f"已写入 {len(found)} 份督办函到 {out}（截至 {as_of} 的约谈、督办名单）", file=sys.stderr)
    return EXIT_OK
