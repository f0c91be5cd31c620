"""Write the items table as CSV, XLSX or JSON: amounts exact, ids and codes as text.

Every format is deterministic: the same data gives the same bytes (XLSX included, whose
zip entries and document properties would otherwise carry the time of writing).

The office site writes one CSV and one XLSX per unit (10,000 in a province), where openpyxl
spends 10-20 ms a workbook on cell objects and packaging. So the rows are turned into text once
(`records_for_output`) and written by `export_rows`; XLSX rows are serialised as strings into
a workbook openpyxl wrote once around sample rows, which checks that both serialisations agree
and so gives the same bytes as openpyxl. Values openpyxl treats specially fall back to it.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..analysis.frame import COLUMNS, MONEY
from ..core.money import yuan
from ..core.xlsx import FIXED_TIME, literal, reproducible, zip_parts


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def records_for_output(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Rows as column -> text: money as yuan with two decimals, dates ISO, booleans true/false."""
    money = set(MONEY)
    return [
        {name: yuan(row[name]) if name in money else _text(row[name]) for name, _ in COLUMNS}
        for row in frame.to_dict("records")
    ]


# A cell beginning with one of these is a formula to Excel and LibreOffice when they open a
# CSV file (=HYPERLINK(...), +cmd|...); a leading ' makes it text (the OWASP rule).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def inert(text: str) -> str:
    """Unit-written text as a CSV cell no spreadsheet runs; numbers (a negative change) stay numbers."""
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv_rows(rows: list[dict[str, str]], out: Path) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _ in COLUMNS], lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: inert(text) for name, text in row.items()} for row in rows)
    # A BOM so that Excel opens the Chinese text as UTF-8.
    out.write_text(buffer.getvalue(), encoding="utf-8-sig")


def write_json(frame: pd.DataFrame, out: Path) -> None:
    write_json_rows(records_for_output(frame), out)


def write_json_rows(rows: list[dict[str, str]], out: Path) -> None:
    text = json.dumps(rows, ensure_ascii=False, indent=1)
    out.write_text(text + "\n", encoding="utf-8")


def write_xlsx(frame: pd.DataFrame, out: Path, sheet: str = "欠款台账") -> None:
    write_xlsx_rows(records_for_output(frame), out, sheet)


def write_xlsx_rows(rows: list[dict[str, str]], out: Path, sheet: str = "欠款台账") -> None:
    template = _xlsx_template(sheet)
    data_rows = _sheet_rows(rows) if template else None
    if template is None or data_rows is None:
        out.write_bytes(_openpyxl_xlsx(rows, sheet))
        return
    parts, before, after = template
    out.write_bytes(zip_parts([(name, before + data_rows.encode() + after if name == SHEET_PART else data)
                          for name, data in parts]))


def _openpyxl_xlsx(rows: list[dict[str, str]], sheet: str) -> bytes:
    workbook = Workbook(write_only=True)
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "C2"
    bold = Font(bold=True)
    header = []
    for _name, label in COLUMNS:
        cell = WriteOnlyCell(worksheet, value=label)
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    money = set(MONEY)
    for row in rows:
        cells = []
        for name, _label in COLUMNS:
            value = row[name]
            if name in money:
                # A number cell so Excel can sum it; every fen amount below 10^13 yuan is
                # exact in a double, and the text form stays available in CSV and JSON.
                cell = WriteOnlyCell(worksheet, value=Decimal(value))  # type: ignore[arg-type]  # openpyxl writes Decimal
                cell.number_format = "#,##0.00"
            else:
                cell = literal(WriteOnlyCell(worksheet, value=value))  # ids and codes stay text
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible(buffer.getvalue())


SHEET_PART = "xl/worksheets/sheet1.xml"
MONEY_STYLE = "2"  # openpyxl's style id for the number format: bold header is 1 (checked below)


def _plain_text(value: str) -> bool:
    """Text openpyxl writes as it is: not a formula or error code, not cut, no control characters."""
    return (len(value) <= 32767 and not (len(value) > 1 and value.startswith("="))
            and value not in ERROR_CODES and not ILLEGAL_CHARACTERS_RE.search(value))


def _sheet_rows(rows: list[dict[str, str]]) -> str | None:
    """The data rows (from row 2) as openpyxl's write-only mode serialises them; None when a
    value needs openpyxl's own handling."""
    money = set(MONEY)
    letters = [(name, get_column_letter(n), name in money) for n, (name, _) in enumerate(COLUMNS, 1)]
    out = []
    for number, row in enumerate(rows, 2):
        out.append(f'<row r="{number}">')
        for name, letter, is_money in letters:
            value = row[name]
            if is_money:  # a double with 16 digits, as openpyxl's safe_string writes it
                out.append(f'<c r="{letter}{number}" s="{MONEY_STYLE}" t="n"><v>{float(value):.16g}</v></c>')
            elif value == "":
                out.append(f'<c r="{letter}{number}" t="inlineStr" />')
            elif not _plain_text(value):
                return None
            else:
                stripped = value.strip()
                space = ' xml:space="preserve"' if stripped and stripped != value else ""
                text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                out.append(f'<c r="{letter}{number}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
        out.append("</row>")
    return "".join(out)


@functools.cache
def _xlsx_template(sheet: str) -> tuple[list[tuple[str, bytes]], bytes, bytes] | None:
    """openpyxl's workbook around sample rows, cut where the data rows go: (parts, sheet XML
    before the rows, after them). None when `_sheet_rows` no longer writes what openpyxl writes
    (another openpyxl version), and then openpyxl writes every workbook."""
    samples = [{name: "0.00" if name in MONEY else value for name, _ in COLUMNS}
               for value in (" 甲&<> ", "", "x")]
    with zipfile.ZipFile(io.BytesIO(_openpyxl_xlsx(samples, sheet))) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    sheet_xml = dict(parts)[SHEET_PART]
    rows = (_sheet_rows(samples) or "").encode()
    if not rows or sheet_xml.count(rows) != 1:
        return None
    before, after = sheet_xml.split(rows)
    return parts, before, after


WRITERS = {"csv": write_csv_rows, "xlsx": write_xlsx_rows, "json": write_json_rows}


def export(frame: pd.DataFrame, fmt: str, out: Path) -> None:
    export_rows(records_for_output(frame), fmt, out)


def export_rows(rows: list[dict[str, str]], fmt: str, out: Path) -> None:
    """`export` of rows already made by `records_for_output` (one conversion, many files)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[fmt](rows, out)
