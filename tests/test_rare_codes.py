"""The codes no other test reaches: each one triggered at its file and line, or at its cell."""

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.cli.main import main
from generator.workbook.layout import INFO, ITEMS, SHEETS
from helpers import edit, found

LEDGER = "ledgers/arrears/sl-jtj.yaml"


def test_a_file_outside_the_agreed_places_is_e110(mini: Path):
    (mini / "ledgers/arrears/sl-jtj.yml").write_text("unit: sl-jtj\n", encoding="utf-8")
    assert ("ledgers/arrears/sl-jtj.yml", 1, "E110") in found(mini)


def test_a_ledger_of_a_halted_unit_is_e402(mini: Path):
    edit(mini, "units/sl-jtj.yaml", "status: 正常", "status: 停产")
    assert (LEDGER, 2, "E402") in found(mini)  # the `unit:` line


def test_a_cycle_of_parents_is_e405(mini: Path):
    edit(mini, "units/sl-czj.yaml", "parent: sl\n", "parent: sl-jtj\n")
    edit(mini, "units/sl-jtj.yaml", "parent: sl\n", "parent: sl-czj\n")
    assert any(code == "E405" for _path, _line, code in found(mini))


def test_a_clue_id_used_by_two_handling_units_is_e409(mini: Path):
    clues = (mini / "ledgers/clues/sl-zxqy.yaml").read_text(encoding="utf-8")
    second = clues.replace("unit: sl-zxqy", "unit: sl-czj").split("  - id: TS2022-002")[0]
    (mini / "ledgers/clues/sl-czj.yaml").write_text(second, encoding="utf-8")
    issues = found(mini)
    assert any(code == "E409" and path.startswith("ledgers/clues/") for path, _line, code in issues)


@pytest.fixture
def book(mini: Path, tmp_path: Path) -> Path:
    out = tmp_path / "sl-jtj.xlsx"
    assert main(["template", "--root", str(mini), "--unit", "sl-jtj", "--out", str(out)]) == 0
    return out


def imported(mini: Path, book: Path, capsys) -> str:
    assert main(["import", str(book), "--root", str(mini)]) == 1
    printed = capsys.readouterr()
    return printed.out + printed.err


def test_a_missing_sheet_is_e702(mini: Path, book: Path, capsys):
    workbook = load_workbook(book)
    del workbook[ITEMS]
    workbook.save(book)
    assert f"sl-jtj.xlsx:{ITEMS}: E702 " in imported(mini, book, capsys)


def test_an_empty_info_cell_is_e703(mini: Path, book: Path, capsys):
    workbook = load_workbook(book)
    sheet = workbook[INFO]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "sl-jtj")
    sheet.cell(row, 2).value = None
    workbook.save(book)
    assert f"sl-jtj.xlsx:{INFO}!B{row}: E703 " in imported(mini, book, capsys)


def _set_first_debt(book: Path, values: dict[str, object]) -> None:
    """Overwrite cells of the first debt row of the 欠款 sheet, by field."""
    workbook = load_workbook(book)
    for field, value in values.items():
        workbook[ITEMS].cell(2, SHEETS[ITEMS].index(field), value)
    workbook.save(book)


def test_a_value_outside_the_list_is_e706(mini: Path, book: Path, capsys):
    _set_first_debt(book, {"category": "工程款"})
    assert " E706 " in imported(mini, book, capsys)


def test_a_code_of_the_wrong_shape_is_e708(mini: Path, book: Path, capsys):
    _set_first_debt(book, {"id": "A 001"})
    assert " E708 " in imported(mini, book, capsys)


def test_a_date_where_money_belongs_is_e712_and_a_numeric_contract_number_w702(mini: Path, book: Path, capsys):
    _set_first_debt(book, {"amount": datetime(2022, 1, 1), "contract.number": 12})
    out = imported(mini, book, capsys)
    assert " E712 " in out and " W702 " in out
