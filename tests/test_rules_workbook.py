"""The standing rules' keys in a unit's workbook: written to the template, read back byte for byte,
and every bad cell a Chinese problem at its sheet!cell."""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.validate.pipeline import validate_repo
from generator.workbook.importer import import_workbook
from generator.workbook.layout import ITEMS, PLAN, SHEETS
from generator.workbook.unit_template import write_template
from helpers import edit

LEDGER = "ledgers/arrears/sl-jtj.yaml"
TERMS = ("    origin: 排查\n    payments:\n      - {date: 2022-06-15",
         "    origin: 排查\n    delivered: 2021-06-01\n    acceptance: {within: 15, passed: 2021-06-20}\n"
         "    settlement: 2021-07-01\n    pay_within: 45\n    interest_rate: 3.10\n    conditions: [背靠背, 审计结算]\n"
         "    payments:\n      - {date: 2022-06-15")


def template(root: Path, out: Path) -> Path:
    write_template(validate_repo(root).records, "sl-jtj", out)
    return out


def column(header: str) -> int:
    number = next(n for n, c in enumerate(SHEETS[ITEMS].columns, 1) if c.header == header)
    return number


def test_the_keys_go_to_their_columns_and_come_back_unchanged(mini: Path, tmp_path: Path):
    edit(mini, LEDGER, *TERMS)
    text = (mini / LEDGER).read_bytes()
    book = template(mini, tmp_path / "a.xlsx")
    sheet = load_workbook(book)[ITEMS]
    assert sheet.cell(2, column("交付日")).value.date().isoformat() == "2021-06-01"
    assert sheet.cell(2, column("约定付款期限（日）")).value == 45
    assert sheet.cell(2, column("付款条件")).value == "背靠背、审计结算"
    result = import_workbook(mini, book, unit="sl-jtj", records=validate_repo(mini).records)
    assert not result.errors, [i.text() for i in result.errors]
    assert (mini / LEDGER).read_bytes() == text


@pytest.mark.parametrize(("header", "value", "code"), [
    ("约定付款期限（日）", "三十天", "E714"),
    ("约定付款期限（日）", 4000, "E714"),
    ("约定逾期年利率（%）", -3.1, "E714"),
    ("付款条件", "背靠背、先款后货", "E706"),
    ("交付日", "2021/06/01", "E705"),
])
def test_a_bad_cell_is_named_by_its_place(mini: Path, tmp_path: Path, header, value, code):
    edit(mini, LEDGER, *TERMS)
    book = template(mini, tmp_path / "a.xlsx")
    workbook = load_workbook(book)
    workbook[ITEMS].cell(2, column(header)).value = value
    workbook.save(book)
    text = (mini / LEDGER).read_bytes()
    result = import_workbook(mini, book, unit="sl-jtj", records=validate_repo(mini).records)
    found = [i for i in result.errors if i.code == code]
    assert found and found[0].sheet == ITEMS and found[0].line == 2 and found[0].col == column(header)
    assert (mini / LEDGER).read_bytes() == text  # nothing written


def test_a_new_debt_typed_in_with_the_keys(mini: Path, tmp_path: Path):
    book = template(mini, tmp_path / "a.xlsx")
    workbook = load_workbook(book)
    sheet = workbook[ITEMS]
    first = [c.value for c in sheet[2]]
    row = sheet.max_row + 1
    for n, value in enumerate(first, 1):
        sheet.cell(row, n, value)
    sheet.cell(row, 1).value = "A900"
    sheet.cell(row, column("交付日")).value = "2021-06-01"
    sheet.cell(row, column("约定付款期限（日）")).value = 30
    sheet.cell(row, column("约定逾期年利率（%）")).value = 3.1
    sheet.cell(row, column("付款条件")).value = "背靠背，审计结算"
    workbook[PLAN].append(["A900", "2022-12-31", 380000])
    workbook.save(book)
    result = import_workbook(mini, book, unit="sl-jtj", records=validate_repo(mini).records)
    assert not result.errors, [i.text() for i in result.errors]
    written = (mini / LEDGER).read_text(encoding="utf-8")
    added = written[written.index("  - id: A900"):]
    assert "    delivered: 2021-06-01\n" in added and "    pay_within: 30\n" in added
    assert "    interest_rate: 3.10\n" in added and "    conditions: [背靠背, 审计结算]\n" in added
