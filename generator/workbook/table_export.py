"""`qingqian export`: the debts through export.py, or the clues and their clocks as a small table
in the debts' export's conventions — Chinese headers, unit-written text made inert, money and
dates as what they are, the same bytes for the same rows (a few thousand rows at most: openpyxl
writes them directly)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from ..analysis.clue_table import CLUE_COLUMNS, clue_rows
from ..analysis.frame import items_frame, stated_date
from ..core.config import Config
from ..core.model import Records
from ..core.xlsx import FIXED_TIME, HEADER_FILL, HEADER_FONT, NUMBER_FORMATS, literal, reproducible, width, yes_no
from ..rules.standing import Judge
from .export import export, inert, json_bytes

Columns = list[tuple[str, str, str]]  # (key, Chinese header, kind: text | money | date | flag)


def _shown(kind: str, value: str) -> str:
    return yes_no(value == "true") if kind == "flag" and value else value


def _typed(kind: str, value: str) -> object:
    if not value or kind in ("text", "flag"):
        return _shown(kind, value)
    return date.fromisoformat(value) if kind == "date" else Decimal(value)


def table_csv(columns: Columns, rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([label for _key, label, _kind in columns])
    writer.writerows([inert(_shown(kind, row[key])) for key, _label, kind in columns] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")  # a BOM, so that Excel reads the Chinese as UTF-8


def table_xlsx(columns: Columns, rows: list[dict[str, str]], sheet: str) -> bytes:
    workbook = Workbook(write_only=True)
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "C2"
    for number, (_key, label, kind) in enumerate(columns, 1):
        worksheet.column_dimensions[get_column_letter(number)].width = width(label, kind)
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    header = []
    for _key, label, _kind in columns:
        cell = WriteOnlyCell(worksheet, value=label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    worksheet.append(header)
    for row in rows:
        cells = []
        for key, _label, kind in columns:
            cell = literal(WriteOnlyCell(worksheet, value=_typed(kind, row[key])))  # type: ignore[arg-type]
            if kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[kind]
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible(buffer.getvalue())


def table_bytes(columns: Columns, rows: list[dict[str, str]], fmt: str, sheet: str) -> bytes:
    if fmt == "csv":
        return table_csv(columns, rows)
    if fmt == "xlsx":
        return table_xlsx(columns, rows, sheet)
    return json_bytes(rows)


def export_table(records: Records, config: Config, table: str, fmt: str, out: Path, as_of: date | None) -> list[str]:
    """`qingqian export`: the debts (`items`) or the clues with their clocks (`clues`) at the stated
    date, under the configured standing rules; the lines to tell the user."""
    judge = Judge(config.rules)
    if table == "clues":
        rows = clue_rows(records, stated_date(records, as_of), judge)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(table_bytes(CLUE_COLUMNS, rows, fmt, "投诉线索"))
        told = [f"已导出 {len(rows)} 条投诉线索到 {out}"]
    else:
        frame = items_frame(records, config.campaign, as_of, judge)
        export(frame, fmt, out)
        left = sum(len(ledger.items) for ledger in records.ledgers) - len(frame)
        told = [f"已导出 {len(frame)} 笔欠款到 {out}"
                + (f"；另有 {left} 笔不在清理范围（停产单位的台账，或在数据日期尚未到期），未导出" if left else "")]
    warning = judge.warning()  # a year the holiday calendar does not know yet
    return [*told, warning] if warning else told
