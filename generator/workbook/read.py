"""Read a unit's workbook into rows of ledger text, every problem placed at its cell.

Nothing here knows the existing ledger: matching rows to recorded debts is the importer's.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..core.issues import Issue, make
from ..core.schema import ITEM
from . import cells
from .layout import INFO, INFO_COLUMNS, ITEMS, SHEETS, Sheet
from .package import package_problems, sheet_problems


def cell_issue(file: str, sheet: str, row: int, col: int, code: str, detail: str = "") -> Issue:
    """A problem at a cell (row and col 1-based; 0 for a whole sheet or file)."""
    return make(file, row, col, code, detail, sheet)


@dataclass
class Row:
    sheet: str
    row: int
    values: dict[str, cells.Value]  # field -> ledger text (bool for flags); filled cells only


@dataclass
class WorkbookData:
    unit: str | None = None
    as_of: str | None = None
    info_rows: dict[str, int] = field(default_factory=dict)  # field -> row on the info sheet
    rows: dict[str, list[Row]] = field(default_factory=dict)  # sheet name -> data rows


def read_workbook(path: Path, file: str) -> tuple[WorkbookData | None, list[Issue]]:
    """The workbook's data, or None when it cannot be read at all; `file` names it in messages."""
    refused = package_problems(path, file)  # sizes and DTDs, before any XML is parsed
    if refused:
        return None, refused
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about Excel extensions it drops
            book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError) as exc:
        return None, [cell_issue(file, "", 0, 0, "E701", f"{type(exc).__name__}")]
    try:
        return _read_book(book, path, file)
    except (ParseError, zipfile.BadZipFile, KeyError, ValueError) as exc:  # parts openpyxl reads only now
        return None, [cell_issue(file, "", 0, 0, "E701", f"{type(exc).__name__}")]
    finally:
        book.close()


def _read_book(book, path: Path, file: str) -> tuple[WorkbookData | None, list[Issue]]:
    issues: list[Issue] = []
    data = WorkbookData()
    for name in (INFO, *SHEETS):
        if name not in book.sheetnames:
            issues.append(cell_issue(file, name, 0, 0, "E702", f"缺少工作表“{name}”"))
    if issues:
        return None, issues
    # The raw sheets first: too many rows, formulas openpyxl would read as empty, hidden rows.
    issues += sheet_problems(path, file, {name: book[name]._worksheet_path for name in SHEETS})
    if any(i.code == "E701" for i in issues):
        return None, issues
    for name in (INFO, *SHEETS):
        book[name].reset_dimensions()  # other programs may record a wrong used range
    _read_info(book[INFO], file, data, issues)
    for name, sheet in SHEETS.items():
        data.rows[name] = _read_sheet(book[name], sheet, file, issues)
    return data, issues


def _read_info(ws, file: str, data: WorkbookData, issues: list[Issue]) -> None:
    for number, row in enumerate(ws.iter_rows(max_col=2, values_only=True), 1):
        label = row[0].strip() if row and isinstance(row[0], str) else None
        for name, col in INFO_COLUMNS.items():
            if label == col.header and name not in data.info_rows:
                data.info_rows[name] = number
                value, problems = cells.read(row[1] if len(row) > 1 else None, col)
                issues += [cell_issue(file, INFO, number, 2, code, detail) for code, detail in problems]
                setattr(data, name, value)
    for name, col in INFO_COLUMNS.items():
        if name not in data.info_rows:
            issues.append(cell_issue(file, INFO, 0, 0, "E702", f"A 列中找不到“{col.header}”"))
        elif getattr(data, name) is None and not any(i.line == data.info_rows[name] for i in issues):
            issues.append(cell_issue(file, INFO, data.info_rows[name], 2, "E703", f"{col.header}为空"))


def _header(ws, sheet: Sheet, file: str, issues: list[Issue]) -> dict[int, int] | None:
    """Spreadsheet column -> index into sheet.columns, matched by header text."""
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    known = {column.header: i for i, column in enumerate(sheet.columns)}
    found: dict[int, int] = {}
    for number, text in enumerate(first, 1):
        label = str(text).strip() if text is not None else ""
        if not label:
            continue
        if label not in known or known[label] in found.values():
            issues.append(cell_issue(file, sheet.name, 1, number, "E702", f"多出了列“{label}”"))
        else:
            found[number] = known[label]
    missing = [c.header for i, c in enumerate(sheet.columns) if i not in found.values()]
    if missing:
        issues.append(cell_issue(file, sheet.name, 1, 1, "E702", f"缺少列：{'、'.join(missing)}"))
    return None if missing else found


def _read_sheet(ws, sheet: Sheet, file: str, issues: list[Issue]) -> list[Row]:
    where = _header(ws, sheet, file, issues)
    if where is None:
        return []
    rows = []
    for number, raw in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
        values: dict[str, cells.Value] = {}
        filled: dict[str, int] = {}
        for col_number, index in where.items():
            cell = raw[col_number - 1] if col_number <= len(raw) else None
            column = sheet.columns[index]
            value, problems = cells.read(cell, column)
            issues += [cell_issue(file, sheet.name, number, col_number, code, detail)
                       for code, detail in problems]
            if value is not None:
                values[column.field] = value
            if value is not None or any(code.startswith("E") for code, _ in problems):
                filled[column.field] = col_number
        if not filled:
            continue  # an empty (or only formatted) row
        _required(sheet, filled, where, file, number, issues)
        rows.append(Row(sheet.name, number, values))
    return rows


def _required(sheet: Sheet, filled: dict[str, int], where: dict[int, int], file: str, number: int,
              issues: list[Issue]) -> None:
    """Required cells are empty: a field inside an optional group (dispute) only once it is used."""
    column_of = {sheet.columns[index].field: col for col, index in where.items()}
    for column in sheet.columns:
        if not column.required or column.field in filled:
            continue
        if column.field == "id" and sheet.name == ITEMS:
            continue  # a new debt without an id gets the next free one
        group = column.field.rpartition(".")[0]
        optional_group = group and sheet.list_field is None and not ITEM[group].get("required")
        if optional_group and not any(f.startswith(f"{group}.") for f in filled):
            continue
        issues.append(cell_issue(file, sheet.name, number, column_of[column.field], "E703",
                                 f"{column.header}为空"))
