"""A unit's Excel workbook: its current debts filled in, ready to edit and `qingqian import`.

Codes are text cells (so Excel keeps `0012` and 18 digits), money and dates are typed cells
with their formats, enumerated columns have drop-down lists, and the 字段说明 sheet explains
every column from the schema. The bytes are reproducible (see export.reproducible).
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..core.model import Item, Records
from ..core.schema import ITEM
from ..core.xlsx import FIXED_TIME, HEADER_FILL, HEADER_FONT, literal, reproducible
from .layout import FIELDS, INFO, INFO_COLUMNS, ITEM_REF, SHEETS, UNIT_NAME_LABEL, WORDS_SEPARATOR, Column, Sheet

FORMATS = {"code": "@", "credit_code": "@", "text": "@", "enum": "@", "flag": "@",
           "money": "#,##0.00", "date": "yyyy-mm-dd", "days": "0", "rate": "0.00##", "words": "@"}
WIDTHS = {"text": 24, "code": 14, "credit_code": 22, "enum": 10, "flag": 10, "money": 16, "date": 13, "days": 10,
          "rate": 10, "words": 16}
KIND_NAMES = {"text": "文本", "code": "文本（编号，按原样保留）", "credit_code": "文本（18 位代码）",
              "enum": "从下拉列表选择", "flag": "是 / 否", "money": "金额（元，最多两位小数）",
              "date": "日期（或写成 2022-06-30）", "days": "天数（整数）", "rate": "年利率（%，如 3.10）",
              "words": "可填多项，用顿号（、）分隔"}
VALIDATED_ROWS = 5000  # drop-down lists reach this far below the header
BIG_MONEY = Decimal(10) ** 13  # from here a double cannot hold every fen: write as text

GUIDE = [
    "每笔欠款在“欠款”表占一行；还款、还款计划、更正记录各在自己的表中，每行用“欠款编号”对应到欠款。",
    "新增欠款可以不填欠款编号，导入时自动编号；如要同时登记它的还款或计划，请先给它填一个新编号。",
    "已登记的欠款不得删除：已还清的保留并登记还款，录错的在“更正记录”中追加一行说明。",
    "修改已登记的金额、日期、债权人、合同或还款时，在“更正记录”中追加一行（日期、字段、原因）。",
    "欠款编号、合同编号和信用代码是文本，请保持文本格式，不要让 Excel 改成数字或日期。",
    "金额以元为单位，最多两位小数；日期用日期格式，或写成 2022-06-30。有下拉列表的列请从列表中选择。",
    "不要改动工作表和列的名称，也不要增加列；其他说明写在“备注”中。各列含义见“字段说明”表。",
    "“回访核查”表由核查单位或清欠办登记，本单位不要填写或改动；每次报送都从网站重新下载最新的模板再填。",
    "填好后交清欠办导入，或由本单位的维护人员运行 qingqian import 本文件.xlsx；"
    "有问题的单元格会逐个指出，改好后再导入。",
]


def write_template(records: Records, unit_id: str, out_path: Path) -> None:
    """Write `unit_id`'s workbook to `out_path` (the site's 下载 page calls this per unit)."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(template_bytes(records, unit_id))


def template_bytes(records: Records, unit_id: str) -> bytes:
    """The workbook for a registered unit; raises KeyError for an unknown unit."""
    unit = records.units[unit_id]
    ledger = next((led for led in records.ledgers if led.unit == unit_id), None)
    items = ledger.items if ledger else []
    book = Workbook()
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.title = f"{unit.name}清欠台账"
    book.remove(book.worksheets[0])
    _info(book.create_sheet(INFO), unit.id, unit.name, ledger.as_of if ledger else None)
    for sheet in SHEETS.values():
        _data_sheet(book.create_sheet(sheet.name), sheet, sheet_rows(sheet, items))
    _fields(book.create_sheet(FIELDS))
    book.active = 1  # open on the debts
    buffer = io.BytesIO()
    book.save(buffer)
    return reproducible(buffer.getvalue())


def sheet_rows(sheet: Sheet, items: list[Item]) -> list[list[object]]:
    """A data sheet's rows below the header: the debts, or their payments / plans / corrections."""
    if sheet.list_field is None:
        return [[_item_value(item, c.field) for c in sheet.columns] for item in items]
    return [[item.id if c.field == ITEM_REF else c.shown(getattr(entry, c.field)) for c in sheet.columns]
            for item in items for entry in getattr(item, sheet.list_field)]


# The standing rules' columns: where each sits in a debt's terms (core.model.Terms).
TERMS = {"delivered": "delivered", "acceptance.within": "acceptance_within", "acceptance.passed": "accepted",
         "settlement": "settlement", "pay_within": "pay_within", "interest_rate": "interest_rate",
         "conditions": "conditions"}


def _item_value(item: Item, field: str) -> object:
    if field in TERMS:
        value = getattr(item.terms, TERMS[field]) if item.terms else None
        return (WORDS_SEPARATOR.join(value) or None) if isinstance(value, tuple) else value
    attribute = {"creditor.credit_code": "creditor_code"}.get(field, field.replace(".", "_"))
    value = getattr(item, attribute)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value if value != "" else None


def _header(ws, labels: list[str]) -> None:
    for number, label in enumerate(labels, 1):
        cell = ws.cell(1, number, label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def _data_sheet(ws, sheet: Sheet, rows: list[list[object]]) -> None:
    _header(ws, [c.header for c in sheet.columns])
    ws.freeze_panes = "B2"
    for number, column in enumerate(sheet.columns, 1):
        letter = get_column_letter(number)
        dimension = ws.column_dimensions[letter]
        dimension.width = WIDTHS[column.kind]
        dimension.number_format = FORMATS[column.kind]  # rows typed in later get the format too
        for row_number, row in enumerate(rows, 2):
            _write(ws.cell(row_number, number), row[number - 1], column)
        _validation(ws, column, letter)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(len(rows) + 1, 2)}"


def cell_value(value: object) -> object:
    """What a data cell holds: amounts a double cannot hold to the fen become text."""
    if isinstance(value, Decimal) and value >= BIG_MONEY:
        return f"{value:.2f}"
    return value


def _write(cell, value: object, column: Column) -> None:
    cell.value = cell_value(value)
    literal(cell)
    cell.number_format = FORMATS[column.kind]


def _validation(ws, column: Column, letter: str) -> None:
    choices = ("是", "否") if column.kind == "flag" else column.allowed
    if not choices or column.kind == "words":  # several words in one cell: no drop-down
        return
    listed = "、".join(choices)
    rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle="取值不对",
                          error=f"{column.header}只能是：{listed}")
    ws.add_data_validation(rule)
    rule.add(f"{letter}2:{letter}{VALIDATED_ROWS}")


def _info(ws, unit_id: str, unit_name: str, as_of: date | None) -> None:
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 14, 40
    literal(ws.cell(1, 1, f"{unit_name}清欠台账")).font = Font(bold=True, size=14)
    rows = [(INFO_COLUMNS["unit"].header, unit_id, "@"), (UNIT_NAME_LABEL, unit_name, "@"),
            (INFO_COLUMNS["as_of"].header, as_of, "yyyy-mm-dd")]
    for number, (label, value, number_format) in enumerate(rows, 3):
        ws.cell(number, 1, label).font = HEADER_FONT
        cell = literal(ws.cell(number, 2, value))  # the unit's name is unit-written text like any other
        cell.number_format = number_format
    ws.cell(6, 2, "台账日期：本表数据截至的日期，更新数据时一并更新。").font = Font(italic=True)
    ws.cell(8, 1, "填写说明").font = HEADER_FONT
    for number, line in enumerate(GUIDE, 9):
        ws.cell(number, 2, f"{number - 8}. {line}")


def _fields(ws) -> None:
    labels = ["工作表", "列", "台账字段", "必填", "填写方式", "含义", "允许的值"]
    _header(ws, labels)
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (10, 22, 26, 6, 22, 60, 40), strict=True):
        ws.column_dimensions[letter].width = width
    rows = [[INFO, c.header, c.field, "是", KIND_NAMES[c.kind], c.doc, ""] for c in INFO_COLUMNS.values()]
    for sheet in SHEETS.values():
        prefix = f"items[].{sheet.list_field}[]." if sheet.list_field else "items[]."
        for c in sheet.columns:
            field = "items[].id" if c.field == ITEM_REF else prefix + c.field
            rows.append([sheet.name, c.header, field, _required(sheet, c), KIND_NAMES[c.kind], c.doc,
                         "、".join(c.allowed)])
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def _required(sheet: Sheet, column: Column) -> str:
    group = column.field.rpartition(".")[0]
    if column.required and group and sheet.list_field is None and not ITEM[group].get("required"):
        return "填写该组时必填"
    return "是" if column.required else "否"
