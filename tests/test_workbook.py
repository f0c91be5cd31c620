"""Excel in and out: template → edits → import, lossless, every problem at its cell."""

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.cli.main import main
from generator.core.schema import CORRECTABLE, ITEM, walk_fields
from generator.validate.pipeline import validate_repo
from generator.workbook import cells
from generator.workbook.importer import import_workbook
from generator.workbook.layout import CORRECTIONS, FIELDS, INFO, ITEMS, PAYMENTS, PLAN, SHEETS
from generator.workbook.unit_template import template_bytes, write_template
from helpers import REPO, run_import

LEDGER = "ledgers/arrears/sl-jtj.yaml"


def edit_book(path: Path, changes: dict[str, dict[str, object]], rows: dict[str, list[list]] | None = None,
              insert: dict[str, list] | None = None) -> None:
    """Set cells ({sheet: {"C2": value}}), append rows, or insert one row below the header."""
    workbook = load_workbook(path)
    for sheet, cells_to_set in changes.items():
        for ref, value in cells_to_set.items():
            workbook[sheet][ref].value = value
    for sheet, new_rows in (rows or {}).items():
        for row in new_rows:
            workbook[sheet].append(row)
    for sheet, row in (insert or {}).items():
        workbook[sheet].insert_rows(2)
        for col, value in enumerate(row, 1):
            workbook[sheet].cell(2, col, value)
    workbook.save(path)


def export_json(root: Path, out: Path) -> bytes:
    assert main(["export", "--root", str(root), "--format", "json", "--out", str(out)]) == 0
    return out.read_bytes()


def test_round_trip_of_every_unit_in_the_example_city(tmp_path: Path):
    root = tmp_path / "city"
    for folder in ("units", "ledgers"):
        shutil.copytree(REPO / folder, root / folder)
    before = export_json(root, tmp_path / "before.json")
    records = validate_repo(root).records
    for ledger in records.ledgers:
        text = (root / ledger.path).read_bytes()
        xlsx = tmp_path / f"{ledger.unit}.xlsx"
        write_template(records, ledger.unit, xlsx)
        result = import_workbook(root, xlsx, unit=ledger.unit, records=records)
        if records.units[ledger.unit].halted is not None:  # 停产: its ledger is read-only
            assert [i.code for i in result.errors] == ["E711"] and "停产" in result.errors[0].message
            continue
        assert not result.errors, [i.text() for i in result.errors]
        # canonical style = the example files' style: the file comes back byte for byte
        assert (root / ledger.path).read_bytes() == text, ledger.unit
    assert export_json(root, tmp_path / "after.json") == before


def test_round_trip_through_the_command_line(mini: Path, book: Path, tmp_path: Path, capsys):
    before = export_json(mini, tmp_path / "before.json")
    text = (mini / LEDGER).read_text(encoding="utf-8")
    code, out = run_import(mini, book, capsys, "--unit", "sl-jtj")
    assert code == 0, out
    assert (mini / LEDGER).read_text(encoding="utf-8") == text  # 0012, comment line and all
    assert export_json(mini, tmp_path / "after.json") == before


def test_template_is_reproducible_and_explains_every_column(mini: Path, book: Path):
    records = validate_repo(mini).records
    assert template_bytes(records, "sl-jtj") == template_bytes(records, "sl-jtj") == book.read_bytes()
    workbook = load_workbook(book)
    assert workbook.sheetnames == [INFO, *SHEETS, FIELDS]
    debts = workbook[ITEMS]
    assert debts.freeze_panes == "B2"
    assert debts["F2"].value == "0012" and debts["F2"].number_format == "@"
    assert debts["C3"].value == "919901000000000171"  # 18 digits stay text
    assert debts["G2"].number_format == "yyyy-mm-dd" and debts["J2"].number_format == "#,##0.00"
    listed = {str(v.formula1) for v in debts.data_validations.dataValidation}
    assert '"中型,小型,微型"' in listed and '"是,否"' in listed
    explained = {row[2] for row in workbook[FIELDS].iter_rows(min_row=2, values_only=True)}
    for name, rules in walk_fields(ITEM, "items[]."):
        if rules["type"] not in ("dict", "list"):
            assert name in explained, name
    docs = {row[5] for row in workbook[FIELDS].iter_rows(min_row=2, values_only=True)}
    assert ITEM["amount"]["meta"]["doc"] in docs


def test_a_unit_without_a_ledger_gets_an_empty_template(mini: Path, tmp_path: Path):
    out = tmp_path / "czj.xlsx"
    assert main(["template", "--root", str(mini), "--unit", "sl-czj", "--out", str(out)]) == 0
    assert load_workbook(out)[ITEMS].max_row == 1
    assert main(["template", "--root", str(mini), "--unit", "nobody", "--out", str(out)]) == 2


def test_new_payment_and_new_debts_are_imported(mini: Path, book: Path, capsys):
    edit_book(book, {}, rows={
        ITEMS: [
            [None, "示例某新材料有限公司", "91990100MA00000073", "小型", "货物", "0099", datetime(2022, 1, 5),
             10000, datetime(2022, 3, 1), 8000.5, "是", "质量争议", "协商", "进行中", "排查", None, None],
            ["A010", "示例某新材料有限公司", "91990100MA00000073", "小型", "服务", "X-1", "2022-01-05",
             5000, "2022-04-01", 5000, "否", None, None, None, "排查", None, "新登记"],
        ],
        PLAN: [["A010", datetime(2022, 12, 15), 5000]],
    }, insert={PAYMENTS: ["A001", datetime(2022, 10, 20), 50000, "银行转账"]})  # sorted first
    code, out = run_import(mini, book, capsys)
    assert code == 0, out
    text = (mini / LEDGER).read_text(encoding="utf-8")
    assert ("      - {date: 2022-06-15, amount: 200000.00, method: 银行转账}\n"
            "      - {date: 2022-10-20, amount: 50000.00, method: 银行转账}\n") in text  # appended
    assert "  - id: A011\n    creditor: {name: 示例某新材料有限公司" in text  # after the highest id in use
    assert "contract: {number: 0099, signed: 2022-01-05, amount: 10000.00}" in text
    assert "    amount: 8000.50\n    disputed: true\n    dispute: {reason: 质量争议, path: 协商, state: 进行中}" in text
    assert "  - id: A010" in text and "      - {date: 2022-12-15, amount: 5000.00}" in text
    assert text.index("id: A003") < text.index("id: A011") < text.index("id: A010")  # sheet order
    assert "已写入 ledgers/arrears/sl-jtj.yaml（5 笔欠款，新增 2 笔：A011、A010）" in out
    report = validate_repo(mini)
    assert report.valid, [i.text() for i in report.errors]
    items = {i.id: i for led in report.records.ledgers for i in led.items}
    assert len(items["A001"].payments) == 2 and items["A011"].disputed


def test_errors_are_reported_at_their_cells_and_nothing_is_written(mini: Path, book: Path, capsys):
    text = (mini / LEDGER).read_bytes()
    edit_book(book, {ITEMS: {"C2": "91990100MA00000074", "J3": "abc"}, PAYMENTS: {"B2": "2022/6/15"}})
    code, out = run_import(mini, book, capsys)
    assert code == 1
    assert "sl-jtj.xlsx:欠款!C2: E707 " in out and "校验位" in out
    assert "sl-jtj.xlsx:欠款!J3: E704 " in out and "欠款金额（元）“abc”不是数字" in out
    assert "sl-jtj.xlsx:还款!B2: E705 " in out and "“2022/6/15”不是 YYYY-MM-DD" in out
    assert "未写入任何文件" in out
    assert (mini / LEDGER).read_bytes() == text


def test_validator_problems_point_at_the_cell(mini: Path, book: Path, capsys):
    text = (mini / LEDGER).read_bytes()
    edit_book(book, {ITEMS: {"J2": 2000000}})  # owes more than the contract's 1250000.00
    code, out = run_import(mini, book, capsys)
    assert code == 1 and "sl-jtj.xlsx:欠款!H2: E311 " in out, out  # the validator points at the contract
    assert "E311 “合同金额（元）”列：" in out  # named as the template heads the column, not as the YAML key
    assert (mini / LEDGER).read_bytes() == text


def test_what_the_merge_check_would_refuse_is_refused_at_import(mini: Path, book: Path, capsys):
    """A recorded payment rewritten, an amount changed without a correction: refused at their
    cells before the ledger is written, not first at the merge request."""
    text = (mini / LEDGER).read_bytes()
    edit_book(book, {ITEMS: {"J2": 370000}, PAYMENTS: {"C2": 190000}})
    code, out = run_import(mini, book, capsys)
    assert code == 1 and (mini / LEDGER).read_bytes() == text
    assert "sl-jtj.xlsx:欠款!J2: E604 “欠款金额（元）”列：" in out and "A001 的逾期欠款金额（amount）" in out
    assert "sl-jtj.xlsx:还款!A2: E603 " in out and "A001 的第 1 笔还款" in out
    # the amount corrected the way the template says: accepted (the payment put back)
    edit_book(book, {PAYMENTS: {"C2": 200000}}, rows={CORRECTIONS: [["A001", datetime(2022, 10, 31), "欠款金额",
                                                                      "结算审计调减"]]})
    code, out = run_import(mini, book, capsys)
    assert code == 0, out
    assert "    amount: 370000.00\n" in (mini / LEDGER).read_text(encoding="utf-8")


def test_deleted_and_duplicated_debts_are_refused(mini: Path, book: Path, capsys):
    workbook = load_workbook(book)
    workbook[ITEMS].delete_rows(4)  # A003
    workbook[ITEMS]["A3"].value = "A001"
    workbook.save(book)
    code, out = run_import(mini, book, capsys)
    assert code == 1
    assert "欠款!A3: E709 " in out and "与第 2 行重复" in out
    assert "欠款: E710 " in out and "A003" in out
    assert "还款!A3: E709 " in out  # A003's payments now point nowhere


def test_workbook_of_another_unit_is_refused(mini: Path, book: Path, capsys):
    code, out = run_import(mini, book, capsys, "--unit", "sl-czj")
    assert code == 1 and "台账!B3: E711 " in out and "sl-czj" in out
    code, out = run_import(mini, book, capsys, "--actor", "someone-else")
    assert code == 1 and "E711" in out and "maintainers" in out
    edit_book(book, {INFO: {"B3": "sl-nowhere"}})
    code, out = run_import(mini, book, capsys)
    assert code == 1 and "台账!B3: E711 " in out and "未在 units/ 中登记" in out
    assert not (mini / "ledgers/arrears/sl-nowhere.yaml").exists()


def test_binary_float_money_is_rounded_with_a_warning(mini: Path, book: Path, capsys):
    edit_book(book, {ITEMS: {"J3": 49999.7 + 0.1 + 0.2}})  # 49999.99999999999
    code, out = run_import(mini, book, capsys)
    assert code == 0, out
    assert "欠款!J3: W701 " in out and "49999.99999999999 按 50000.00 读取" in out
    assert "    amount: 50000.00\n" in (mini / LEDGER).read_text(encoding="utf-8")


def test_money_off_the_fen_is_rejected(mini: Path, book: Path, capsys):
    edit_book(book, {ITEMS: {"J3": 50000.001}})
    code, out = run_import(mini, book, capsys)
    assert code == 1 and "欠款!J3: E704 " in out and "超过两位小数" in out


MONEY = SHEETS[ITEMS].columns[SHEETS[ITEMS].index("amount") - 1]
CONTRACT = SHEETS[ITEMS].columns[SHEETS[ITEMS].index("contract.number") - 1]
CODE = SHEETS[ITEMS].columns[SHEETS[ITEMS].index("creditor.credit_code") - 1]


@pytest.mark.parametrize(("value", "text", "codes"), [
    (0.30000000000000004, "0.30", ["W701"]),  # 0.1 + 0.2: within a thousandth of a fen
    (0.300009, "0.30", ["W701"]),
    (0.30002, None, ["E704"]),  # two thousandths of a fen off: not a rounding error
    (0.305, None, ["E704"]),
    (90000.1, "90000.10", []), (380000, "380000.00", []), ("1,250,000.00", "1250000.00", []),
    ("380000.5", "380000.50", []), ("38万", None, ["E704"]), (-1.0, None, ["E704"]),
    (True, None, ["E712"]), (None, None, []),
])
def test_money_cells(value, text, codes):
    found, problems = cells.read(value, MONEY)
    assert found == text and [code for code, _detail in problems] == codes


@pytest.mark.parametrize(("value", "column", "text", "codes"), [
    ("0012", CONTRACT, "0012", []), (12, CONTRACT, "12", ["W702"]), (12.0, CONTRACT, "12", ["W702"]),
    (1.5, CONTRACT, None, ["E712"]), (datetime(2021, 3, 1), CONTRACT, None, ["E712"]),
    ("919901000000000171", CODE, "919901000000000171", []),
    (919901000000000171, CODE, None, ["E712"]),  # Excel has already lost digits
])
def test_code_cells(value, column, text, codes):
    found, problems = cells.read(value, column)
    assert found == text and [code for code, _detail in problems] == codes


def test_unreadable_or_missing_workbook(mini: Path, tmp_path: Path, capsys):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    code, out = run_import(mini, broken, capsys)
    assert code == 1 and "broken.xlsx: E701 " in out
    assert run_import(mini, tmp_path / "missing.xlsx", capsys)[0] == 2


def test_no_template_from_a_ledger_with_errors(mini: Path, tmp_path: Path, capsys):
    # a debt too broken to read would be missing from the workbook, then look deleted
    path = mini / LEDGER
    path.write_text(path.read_text(encoding="utf-8").replace("size: 微型", "size: 巨型"), encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert main(["template", "--root", str(mini), "--unit", "sl-jtj", "--out", str(out)]) == 1
    assert "E204" in capsys.readouterr().err and not out.exists()


def test_comments_inside_the_ledger_are_announced(mini: Path, book: Path, capsys):
    path = mini / LEDGER
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    notes: 分两期支付", "    # 待核\n    notes: 分两期支付"), encoding="utf-8")
    code, out = run_import(mini, book, capsys)
    assert code == 0 and f"{LEDGER}:17:5: W703 " in out, out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 示例市交通运输局清欠台账") and "# 待核" not in text


def test_corrections_name_their_field_in_chinese_and_import_maps_it_back(mini: Path, book: Path, capsys):
    workbook = load_workbook(book)
    fixes = workbook[CORRECTIONS]
    assert [c.value for c in fixes[2]][:3] == ["A003", datetime(2022, 7, 2), "欠款金额"]
    listed = {str(v.formula1) for v in fixes.data_validations.dataValidation}
    assert '"' + ",".join(CORRECTABLE.values()) + '"' in listed  # the drop-down offers Chinese names
    fixes.append(["A003", datetime(2022, 10, 9), "合同", "合同编号录入错误"])
    fixes.append(["A003", datetime(2022, 10, 9), "plan", "英文字段名也能读"])
    workbook.save(book)
    code, out = run_import(mini, book, capsys)
    assert code == 0, out
    text = (mini / LEDGER).read_text(encoding="utf-8")
    assert ("      - {date: 2022-07-02, field: amount, reason: 合同结算审计调减}\n"
            "      - {date: 2022-10-09, field: contract, reason: 合同编号录入错误}\n"
            "      - {date: 2022-10-09, field: plan, reason: 英文字段名也能读}\n") in text
    edit_book(book, {CORRECTIONS: {"C2": "金额"}})
    code, out = run_import(mini, book, capsys)
    assert code == 1 and "更正记录!C2: E706 " in out and "欠款金额、约定付款日期" in out


def test_import_says_the_fix_in_the_templates_words(mini: Path, book: Path, capsys):
    from generator.core.issues import CODES
    from generator.workbook.clerk_words import FIXES, in_clerk_words

    for code, fix in FIXES.items():  # each still replaces the validator's fix (a changed fix would slip through)
        said = f"{CODES[code].title}：A001。"
        assert in_clerk_words(code, said + CODES[code].fix) == said + fix
        assert not any(key in fix for key in ("plan", "corrections", "as_of", "payments", "disputed", "due"))
    workbook = load_workbook(book)
    workbook[PLAN].delete_rows(2)  # A001's only plan entry
    workbook.save(book)
    code, out = run_import(mini, book, capsys)
    assert code == 1 and "欠款!A2: E306 " in out
    assert "请在“还款计划”表列出还款日期和金额" in out and "plan" not in out
