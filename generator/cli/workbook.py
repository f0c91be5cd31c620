"""The `template` and `import` subcommands: a unit's ledger to Excel and back (glue only)."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import EXIT_DATA, EXIT_OK, UsageError, repo_of
from .outputs import refusal


def add_commands(command) -> None:
    """Register the subcommands; `command(name, help)` is cli.build_parser's helper."""
    p = command("template", "生成本单位的 Excel 填报模板（已填入现有欠款）")
    p.add_argument("--unit", required=True, metavar="ID", help="单位编号")
    p.add_argument("--out", type=Path, default=None, metavar="FILE.xlsx", help="默认为 <单位编号>.xlsx")
    p.set_defaults(run=run_template)

    p = command("import", "把填好的 Excel 模板导入为本单位的台账 ledgers/arrears/<单位编号>.yaml")
    p.add_argument("file", type=Path, metavar="FILE.xlsx", help="填好的 Excel 模板")
    p.add_argument("--unit", default=None, metavar="ID", help="只接受该单位的工作簿")
    p.add_argument("--actor", default=None, metavar="LOGIN", help="导入者账号，须在该单位的 maintainers 中")
    p.set_defaults(run=run_import)


def run_template(args) -> int:
    from ..core.issues import render
    from ..core.schema import ledger_path
    from ..validate.pipeline import validate_repo
    from ..workbook.unit_template import write_template

    repo = repo_of(args)
    report = validate_repo(repo)
    if args.unit not in report.records.units:
        raise UsageError(f"单位“{args.unit}”未在 units/ 中登记")
    # a debt too broken to read would be missing from the workbook and then look deleted
    broken = [i for i in report.errors if i.path == ledger_path(args.unit)]
    if broken:
        print(render(broken, "text"), file=sys.stderr)
        print(f"{ledger_path(args.unit)} 有 {len(broken)} 个错误，请先修正后再生成模板", file=sys.stderr)
        return EXIT_DATA
    out = args.out or Path(f"{args.unit}.xlsx")
    if reason := refusal(repo.root, out):
        raise UsageError(reason)
    try:
        write_template(report.records, args.unit, out)
    except OSError as exc:
        raise UsageError(f"无法写入“{out}”（{exc.strerror or exc}）") from None
    print(f"已生成 {out}", file=sys.stderr)
    return EXIT_OK


def run_import(args) -> int:
    from ..workbook.importer import import_workbook

    repo = repo_of(args)
    if not args.file.is_file():
        raise UsageError(f"文件“{args.file}”不存在")
    try:
        result = import_workbook(repo.root, args.file, unit=args.unit, actor=args.actor)
    except OSError as exc:
        print(f"错误：无法写入台账（{exc.strerror or exc}）", file=sys.stderr)
        return EXIT_DATA
    for issue in result.issues:
        print(issue.text())
    warnings = len(result.issues) - len(result.errors)
    if result.written is None:
        print(f"{len(result.errors)} 个错误，{warnings} 个警告：未写入任何文件", file=sys.stderr)
        return EXIT_DATA
    added = f"，新增 {len(result.new_ids)} 笔：{'、'.join(result.new_ids)}" if result.new_ids else ""
    print(f"已写入 {result.written}（{result.items} 笔欠款{added}），{warnings} 个警告", file=sys.stderr)
    return EXIT_OK
