"""The command-line contract of DESIGN §4, run as a real subprocess."""

import argparse
import csv
import json
import re
import socket
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from helpers import REPO, edit

LEDGER = "ledgers/arrears/sl-jtj.yaml"


def qingqian(*args, cwd=REPO):
    result = subprocess.run([sys.executable, "-m", "generator", *map(str, args)],
                            cwd=cwd, capture_output=True, text=True)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_valid_data_exits_0(mini):
    result = qingqian("validate", "--root", mini)
    assert result.returncode == 0
    assert "0 个错误" in result.stderr


def test_errors_exit_1_with_one_line_each(mini):
    edit(mini, LEDGER, "amount: 380000.00", "amount: 38万")
    edit(mini, LEDGER, "category: 工程", "category: 工程款")
    result = qingqian("validate", "--root", mini)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if ": E" in line]
    assert lines[0].startswith(f"{LEDGER}:7:15: E204 ")
    assert lines[1].startswith(f"{LEDGER}:10:13: E205 ")
    assert len(lines) == 2


def test_json_and_github_formats(mini):
    edit(mini, LEDGER, "amount: 380000.00", "amount: 38万")
    data = json.loads(qingqian("validate", "--root", mini, "--format", "json").stdout)
    errors = [d for d in data if d["severity"] == "error"]
    assert errors == [{"path": LEDGER, "line": 10, "col": 13, "code": "E205",
                       "message": errors[0]["message"], "severity": "error"}]
    assert "金额" in errors[0]["message"]
    github = qingqian("validate", "--root", mini, "--format", "github").stdout.splitlines()
    assert github[0].startswith(f"{LEDGER}:10:13: E205 ")  # plain lines first, for forges without annotations
    assert any(line.startswith(f"::error file={LEDGER},line=10,col=13,title=E205::") for line in github)
    assert any(line.startswith("::warning ") for line in github)


def test_paths_limit_per_file_problems(mini):
    edit(mini, "units/sl-czj.yaml", "type: 机关", "type: 局")
    assert qingqian("validate", "--root", mini, mini / LEDGER).returncode == 0
    assert qingqian("validate", "--root", mini, mini / "units/sl-czj.yaml").returncode == 1
    assert qingqian("validate", "--root", mini, "units/sl-czj.yaml").returncode == 1


@pytest.mark.parametrize("args", [
    ["validate", "--format", "xml"],
    ["validate", "--root", "/nonexistent-qingqian-root"],
    ["export", "--format", "csv"],
    ["export", "--format", "pdf", "--out", "x"],
    ["nosuchcommand"],
    ["export", "--format", "csv", "--out", "x", "--as-of", "2022/01/01"],
])
def test_usage_errors_exit_2(args, tmp_path):
    result = qingqian(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "错误" in result.stderr


def test_invalid_data_gives_no_export(mini, tmp_path):
    edit(mini, LEDGER, "amount: 380000.00", "amount: 38万")
    out = tmp_path / "x.csv"
    result = qingqian("export", "--root", mini, "--format", "csv", "--out", out)
    assert result.returncode == 1 and not out.exists()
    assert "E205" in result.stderr


def test_export_formats_keep_ids_and_codes_as_text(mini, tmp_path):
    for fmt in ("csv", "json", "xlsx"):
        result = qingqian("export", "--root", mini, "--format", fmt, "--out", tmp_path / f"a.{fmt}")
        assert result.returncode == 0, result.stderr
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:2] == ["单位编号", "欠款编号"]  # Chinese headers, as in the xlsx
    by_id = {r["欠款编号"]: r for r in rows}
    assert by_id["A001"]["合同编号"] == "0012"
    assert by_id["A002"]["企业信用代码"] == "919901000000000171"
    assert by_id["A001"]["剩余欠款（元）"] == "180000.00"
    assert by_id["A003"]["清偿状态"] == "已清偿" and by_id["A003"]["非现金支付占比"] == "50.00%"
    assert by_id["A001"]["是否有分歧"] == "否"
    records = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert list(records[0])[:2] == ["unit", "id"]  # machines keep the English keys
    assert [r["contract_number"] for r in records] == [r["合同编号"] for r in rows]
    assert records[2]["non_cash_share"] == "0.5000" and records[0]["disputed"] == "false"
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["单位编号", "欠款编号"]
    cells = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    number = cells["A001"][header.index("合同编号")]
    assert number.value == "0012" and number.data_type == "s"
    assert cells["A002"][header.index("企业信用代码")].value == "919901000000000171"
    assert cells["A003"][header.index("欠款金额（元）")].value == pytest.approx(90000.10)


def test_xlsx_export_cells_are_typed(mini, tmp_path):
    """Dates are dates, money is money, counts are numbers, rates are percentages, flags are
    是/否; the header is frozen, filterable and every column has a width."""
    assert qingqian("export", "--root", mini, "--format", "xlsx", "--out", tmp_path / "a.xlsx").returncode == 0
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    header = [c.value for c in sheet[1]]
    row = {label: cell for label, cell in zip(header, next(sheet.iter_rows(min_row=2)), strict=True)}
    assert row["欠款编号"].value == "A001"
    due = row["约定付款日期"]
    assert due.is_date and due.value.date() == date(2021, 12, 31) and due.number_format == "yyyy-mm-dd"
    assert row["剩余欠款（元）"].value == 180000 and row["剩余欠款（元）"].number_format == "#,##0.00"
    assert row["还款笔数"].data_type == "n" and row["还款笔数"].value == 1
    assert isinstance(row["逾期天数"].value, int) and row["逾期天数"].value > 0
    assert row["是否有分歧"].value == "否" and row["是否超过时限"].value in ("是", "否")
    third = list(sheet[4])
    share = third[header.index("非现金支付占比")]
    assert share.value == pytest.approx(0.5) and share.number_format == "0.00%"
    assert row["清偿完毕日期"].value is None  # not settled: an empty date cell
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{sheet.max_row}"
    widths = [sheet.column_dimensions[openpyxl.utils.get_column_letter(n)].width for n in range(1, len(header) + 1)]
    assert all(w >= 8 for w in widths) and widths[header.index("非现金支付金额（元）")] >= 15
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb.endswith("DDEBF7")


def test_exports_are_deterministic(mini, tmp_path):
    for n in (1, 2):
        qingqian("export", "--root", mini, "--format", "xlsx", "--out", tmp_path / f"{n}.xlsx")
    assert (tmp_path / "1.xlsx").read_bytes() == (tmp_path / "2.xlsx").read_bytes()
    # openpyxl stamps the save time, which would differ across seconds: it must be fixed.
    with zipfile.ZipFile(tmp_path / "1.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert re.search(r"<dcterms:modified[^>]*>2000-01-01T00:00:00Z<", core)


def test_module_and_console_script_agree(mini):
    script = Path(sys.executable).with_name("qingqian")
    result = subprocess.run([script, "validate", "--root", mini], capture_output=True, text=True)
    assert result.returncode == 0 and "0 个错误" in result.stderr


def test_help_and_usage_errors_speak_chinese():
    from generator.cli.main import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # every subcommand's parser
    for name, sub in commands.items():
        for action in sub._actions:
            assert action.help and action.help != argparse.SUPPRESS, f"{name} {action.option_strings or action.dest}"
    for args in (["--help"], ["serve", "--help"], ["report", "--help"]):
        shown = qingqian(*args).stdout
        assert shown.startswith("用法：qingqian") and "显示本帮助并退出" in shown and "选项" in shown
        for english in ("usage:", "options:", "show this help", "positional arguments", "optional arguments"):
            assert english not in shown, (args, english)
    for args, said in ((["export", "--format", "csv", "--out", "x", "--as-of", "2022/01/01"], "参数 --as-of："),
                       (["validate", "--format", "xml"], "“xml”不是可选的值"), (["export"], "缺少必需的参数"),
                       (["serve", "--port", "八千"], "不是整数"), (["validate", "--nonsense"], "无法识别的参数")):
        result = qingqian(*args)
        assert result.returncode == 2 and said in result.stderr, result.stderr
        assert "usage:" not in result.stderr and "argument " not in result.stderr and "invalid" not in result.stderr


def test_serve_on_a_busy_port_says_so_and_which_flag_to_use(mini):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "generator", "serve", "--root", mini, "--port", str(port)],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"端口 {port} 已被占用" in result.stderr and f"--port {port + 1}" in result.stderr
    assert "网站已更新" not in result.stderr  # said before building anything
