"""The `qingqian` command: thin glue between the arguments and the pipeline stages."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.config import ConfigError
from ..core.gitrepo import GitError, Repo
from ..core.running import Progress
from ..core.vocab import CaseState
from ..history import ArchiveError
from ..publish import PublishError
from ..site import AUDIENCES, OutputError, SiteError
from ..workbook import FORMATS
from . import documents as cli_documents
from . import history as cli_history
from . import outputs
from . import rollup as cli_rollup
from . import workbook as cli_workbook
from .common import EXIT_DATA, EXIT_OK, EXIT_USAGE, UsageError, checked, git_branch, git_revision, parse_date, repo_of
from .outputs import refusal

if TYPE_CHECKING:
    from ..validate.pipeline import ValidationReport

# Each command imports its stages when it runs: the pre-commit hook runs `validate` on every
# commit and should not pay for pandas, openpyxl and mkdocs.

# The report files of validate.ci_reports, imported only when asked for: its XML character
# class alone takes 0.2 s to compile, more than the rest of a one-file check.
CI_REPORTS = ("codequality", "junit")
VALIDATE_FORMATS = ("text", "json", "github", *CI_REPORTS)


class HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


# argparse's own English error messages (Python 3.11-3.13), in order, as a clerk should read them.
ERRORS = [
    (r"^argument ([^:]+): ", r"参数 \1："),
    (r"invalid choice: '?(.*?)'? \(choose from (.*)\)", r"“\1”不是可选的值（可选：\2）"),
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"expected one argument", "需要一个值"),
    (r"invalid int value: '?(.*?)'?$", r"“\1”不是整数"),
    (r"invalid (\w+) value: '?(.*?)'?$", r"“\2”不是有效的值"),
    (r"not allowed with argument (.*)", r"不能与参数 \1 同时使用"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
]


class Parser(argparse.ArgumentParser):
    """argparse in Chinese: usage, group titles, the help option and its error messages."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title, self._optionals.title = "位置参数", "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str):  # argparse exits 2 on usage errors
        for pattern, replacement in ERRORS:
            message = re.sub(pattern, replacement, message)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"用法错误：{message}\n")
        sys.exit(EXIT_USAGE)


AUDIENCE_HELP = "office：清欠办网站（默认）；public：公开网站"
AS_OF_HELP = ("统计日期 YYYY-MM-DD：只计此日及以前的还款和更正，此日尚未到期的不计，逾期天数算到此日"
              "（默认最新的台账日期）")


def build_parser() -> Parser:
    parser = Parser(prog="qingqian", description="清欠台账：校验、导出与站点生成")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser, title="子命令",
                                metavar="子命令", help="qingqian 子命令 --help 查看各自的选项")

    def command(name: str, help_text: str) -> Parser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--root", type=Path, default=Path("."), metavar="DIR", help="数据仓库根目录（默认当前目录）")
        return p

    p = command("validate", "校验台账数据，列出每个问题的文件、行、列和修改办法")
    p.add_argument("--format", choices=VALIDATE_FORMATS, default="text",
                   help="text：每行一个问题（默认）；json：供程序读取；github：文本行加注释；"
                        "codequality：GitLab 代码质量报告；junit：JUnit XML 报告")
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="把该格式的报告写入文件，终端仍逐行打印“文件:行:列: 代码 说明”")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="并行进程数（默认 CPU 核数）")
    p.add_argument("--base", type=git_revision, default=None, metavar="GIT_REF",
                   help="同时按变更规则检查相对该版本的改动")
    p.add_argument("--actor", action="append", default=None, metavar="LOGIN",
                   help="合并请求作者或提交作者的账号（可重复，每个都须有权修改每个改动的文件；不区分大小写）")
    p.add_argument("--all-warnings", action="store_true",
                   help="与 --base 同用：也列出这次没有改动的文件的警告（默认只报个数）")
    p.add_argument("--no-cache", dest="cache", action="store_false",
                   help="不使用按内容缓存的单文件结果（缓存在仓库之外，可随时删除）")
    p.add_argument("paths", nargs="*", metavar="PATH", help="只报告这些文件的问题")
    p.set_defaults(run=run_validate)

    p = command("export", "导出全部欠款（或投诉线索）及其派生字段，每笔一行")
    p.add_argument("--table", choices=("items", "clues"), default="items",
                   help="items：欠款（默认）；clues：投诉线索及其转交、办结时限")
    p.add_argument("--format", choices=FORMATS, required=True,
                   help="csv、xlsx（中文列名，Excel 中日期、金额、百分比为对应格式）或 json（英文字段名）")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="输出文件")
    p.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help=AS_OF_HELP)
    p.set_defaults(run=run_export)

    p = command("publish", "用 mike 发布一个报送期版本的网站到页面分支（旧版本保持不变）")
    p.add_argument("--version", default=None, help="版本，通常是报送期，如 2022-06（--retract 时不用）")
    p.add_argument("--retract", default=None, metavar="CASE",
                   help="从分支上已发布的每个版本中撤下该案例（案例须已不再是“已公开”），不发布新版本")
    p.add_argument("--alias", action="append", default=[], help="别名，如 latest（可重复）")
    p.add_argument("--title", default=None, help="版本选择器中显示的名称（默认同版本）")
    p.add_argument("--audience", choices=AUDIENCES, default="office", help=AUDIENCE_HELP)
    p.add_argument("--branch", type=git_branch, default="gh-pages", help="页面分支（默认 gh-pages）")
    p.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help=AS_OF_HELP)
    p.add_argument("--push", action="store_true", help="提交后推送到 origin（默认只写本地分支）")
    p.set_defaults(run=run_publish)

    cli_history.add_commands(command)  # report, archive, landing
    cli_documents.add_commands(command)  # notice

    p = command("build", "由台账生成静态网站（清欠办网站或公开网站）")
    p.add_argument("--audience", choices=AUDIENCES, default="office", help=AUDIENCE_HELP)
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="输出目录（默认 site/<audience>，会先清空）")
    p.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help=AS_OF_HELP)
    p.set_defaults(run=run_build)

    p = command("serve", "生成网站并在本机预览，台账改动后自动重新生成")
    p.add_argument("--audience", choices=AUDIENCES, default="office", help=AUDIENCE_HELP)
    p.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help=AS_OF_HELP)
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1：只有本机能访问）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000；被占用时换一个，如 --port 8001）")
    p.set_defaults(run=run_serve)

    p = command("codeowners", "根据 units/ 生成 qingqian.yaml 中 forge 所指平台的 CODEOWNERS")
    p.set_defaults(run=run_codeowners)

    p = command("docs", "由字段定义和错误代码表生成填报说明页")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="输出文件，如 docs/reference.md")
    p.set_defaults(run=run_docs)

    cli_workbook.add_commands(command)  # template, import
    cli_rollup.add_commands(command)  # bundle, rollup
    return parser


def _relative(root: Path, paths: list[str]) -> list[str]:
    """PATH arguments as paths relative to the root, whether given from the cwd or the root."""
    base = root.resolve()
    out = []
    for text in paths:
        for candidate in (Path(text), root / text):
            try:
                out.append(candidate.resolve().relative_to(base).as_posix())
                break
            except ValueError:
                continue
        else:
            raise UsageError(f"“{text}”不在数据目录“{root}”中")
    return out


def _named(root: Path, paths: list[str]) -> list[str]:
    """The data files that PATH arguments name: a file itself, a folder every data file in it.
    A path that names none (a typo, a file outside units/ and ledgers/, an empty folder) is a
    usage error: a check that checks nothing must not pass. Notes kept beside the data
    (README.md, hidden files), which validation skips by design, are skipped here too."""
    from ..validate.pipeline import DATA_DIRS, data_files

    every = data_files(root)
    known = set(every)
    out: list[str] = []
    for given, path in zip(paths, _relative(root, paths), strict=True):
        if path in known:
            out.append(path)
        elif (root / path).is_dir():
            inside = every if path == "." else [p for p in every if p.startswith(path + "/")]
            if not inside:
                raise UsageError(f"目录“{given}”中没有台账数据文件（units/、ledgers/ 下的 .yaml），没有可检查的")
            out += inside
        elif (root / path).is_file() and path.split("/", 1)[0] in DATA_DIRS and (
                path.rsplit("/", 1)[-1].startswith(".") or path.lower().endswith("/readme.md")):
            continue
        elif not (root / path).exists():
            raise UsageError(f"“{given}”不存在，没有检查")
        else:
            raise UsageError(f"“{given}”不是台账数据文件（只检查 units/、ledgers/ 下的文件），没有检查")
    return list(dict.fromkeys(out))


def run_validate(args) -> int:
    from ..core.issues import render, summary_table
    from ..validate.pipeline import validate_repo

    repo = repo_of(args)
    root = repo.root
    if args.out is not None and (reason := refusal(root, args.out)):
        raise UsageError(reason)
    only = _named(root, args.paths) if args.paths else None
    try:
        report = validate_repo(repo, only, jobs=args.jobs, base=args.base, actors=args.actor,
                               cache=args.cache, all_warnings=args.all_warnings)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    output = _formatted(report, args.format)
    named = set(only or ())
    others = [i for i in report.issues if i.path not in named] if named and args.format == "text" else []
    if others:  # the files asked about first, the rest in brief (their errors still listed)
        output = render([i for i in report.issues if i.path in named or i.severity == "error"], "text")
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(output, encoding="utf-8")
        output = render(report.issues, "text")
    if output:
        print(output.rstrip("\n"))
    if args.format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(summary_table(report.issues))
    if others:
        print(outputs.others_note(others), file=sys.stderr)
    print(outputs.summary(report), file=sys.stderr)
    return EXIT_OK if report.valid else EXIT_DATA


def _formatted(report: ValidationReport, fmt: str) -> str:
    """The report in one format. `github` also carries the plain text lines: forges that run
    GitHub workflows without showing annotations (Gitea before 1.27) print them as they are."""
    from ..core.issues import render

    if fmt in CI_REPORTS:
        from ..validate import ci_reports

        return ci_reports.FORMATS[fmt](report.issues)
    if fmt == "github" and report.issues:
        return render(report.issues, "text") + "\n" + render(report.issues, "github")
    return render(report.issues, fmt)


def run_export(args) -> int:
    from ..workbook.table_export import export_table

    repo = repo_of(args)
    if reason := refusal(repo.root, args.out):
        raise UsageError(reason)
    report = checked(repo)
    if report is None:
        return EXIT_DATA
    for line in export_table(report.records, repo.config, args.table, args.format, args.out, args.as_of):
        print(line, file=sys.stderr)
    return EXIT_OK


def run_publish(args) -> int:
    from ..publish.versions import publish

    repo = repo_of(args)
    if (args.version is None) == (args.retract is None):
        raise UsageError("需要 --version（发布一个版本）或 --retract CASE（撤下一个案例），且只能选一个")
    if args.version is not None:
        from ..publish.versions import check_names

        check_names(args.version, args.alias)  # before the data is checked and the site built
    report = checked(repo)
    if report is None:
        return EXIT_DATA
    if args.retract is not None:
        return _retract(repo, report.records, args.retract, args.branch, args.push)
    for note in publish(report.records, repo, args.version, args.audience, args.branch, args.alias, args.title,
                        args.as_of, args.push):
        print(f"注意：{note}", file=sys.stderr)
    print(f"已发布 {args.version} 到分支 {args.branch}", file=sys.stderr)
    return EXIT_OK


def _retract(repo: Repo, records, case_id: str, branch: str, push: bool) -> int:
    from ..publish.retract import retract

    case = next((c for c in records.cases if c.id == case_id), None)
    if case is None:
        raise UsageError(f"案例“{case_id}”不在 ledgers/cases/ 中")
    if case.state == CaseState.PUBLISHED:
        raise UsageError(f"案例“{case_id}”仍是“已公开”：先把 state 改为 已审核（删除 published）并合并，"
                         "再撤下旧版本中的它")
    versions = retract(repo.root, branch, case.title, case.id, push)
    print(f"已从分支 {branch} 的 {len(versions)} 个版本中撤下案例 {case_id}：{'、'.join(versions) or '无'}",
          file=sys.stderr)
    return EXIT_OK


def run_build(args) -> int:
    from ..site import build as site

    repo = repo_of(args)
    out = args.out or repo.root / "site" / args.audience
    progress = Progress(sys.stderr)  # a bar per stage on a terminal, a line per stage in a log
    report = checked(repo, progress)
    if report is None:
        return EXIT_DATA
    site.build_site(report.records, repo, args.audience, out, args.as_of, progress=progress)
    print(f"已生成{'公开' if args.audience == 'public' else '清欠办'}网站：{out}", file=sys.stderr)
    return EXIT_OK


def run_serve(args) -> int:
    from ..site import serve

    root = repo_of(args).root  # serve opens the repository afresh for every rebuild (the settings may change)
    try:
        serve.serve(root, args.audience, root / "build" / "serve" / args.audience, args.host, args.port,
                    args.as_of)
    except serve.PortBusy as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


def run_codeowners(args) -> int:
    from ..core.issues import render
    from ..validate import codeowners
    from ..validate.pipeline import validate_repo

    repo = repo_of(args)
    report = validate_repo(repo)
    blocking = [i for i in report.errors if i.code != "E609"]  # a stale file is what this command fixes
    if blocking:
        print(render(blocking, "text"), file=sys.stderr)
        print(f"数据有 {len(blocking)} 个错误，请先修正（qingqian validate 查看详情）", file=sys.stderr)
        return EXIT_DATA
    forge = repo.config.forge
    out = repo.root / codeowners.PATHS[forge]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(codeowners.render(report.records, forge), encoding="utf-8")
    print(f"已写入 {codeowners.PATHS[forge]}（{forge}）", file=sys.stderr)
    return EXIT_OK


def run_docs(args) -> int:
    from ..site import reference_page as docs

    page = docs.reference_page()
    if reason := refusal(args.root, args.out, regenerates=page.split("\n", 1)[0]):
        raise UsageError(reason)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page, encoding="utf-8")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    # Workers started fresh (forkserver, spawn) run `python -c …` in the working directory, a
    # data repository, which would come first on their sys.path: they start in safe-path mode.
    os.environ["PYTHONSAFEPATH"] = "1"
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (UsageError, ConfigError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as exc:  # nothing was built or deleted: the command was asked wrongly
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a file to write or read that the system refuses (permissions, a full disk)
        print(f"错误：无法读写“{exc.filename or ''}”：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except (SiteError, PublishError, ArchiveError) as exc:  # the data or the site cannot be published as asked
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_DATA
