"""Write the items table as CSV, XLSX or JSON: amounts exact, ids and codes as text.

Every format is deterministic: the same data gives the same bytes (XLSX included, whose
zip entries and document properties would otherwise carry the time of writing).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .frame import COLUMNS, MONEY, yuan

FORMATS = ("csv", "xlsx", "json")
FIXED_TIME = datetime(2000, 1, 1)


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


def write_csv(frame: pd.DataFrame, out: Path) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _ in COLUMNS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(records_for_output(frame))
    # A BOM so that Excel opens the Chinese text as UTF-8.
    out.write_text(buffer.getvalue(), encoding="utf-8-sig")


def write_json(frame: pd.DataFrame, out: Path) -> None:
    text = json.dumps(records_for_output(frame), ensure_ascii=False, indent=1)
    out.write_text(text + "\n", encoding="utf-8")


def write_xlsx(frame: pd.DataFrame, out: Path, sheet: str = "欠款台账") -> None:
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
    for row in records_for_output(frame):
        cells = []
        for name, _label in COLUMNS:
            value = row[name]
            if name in money:
                # A number cell so Excel can sum it; every fen amount below 10^13 yuan is
                # exact in a double, and the text form stays available in CSV and JSON.
                cell = WriteOnlyCell(worksheet, value=Decimal(value))
                cell.number_format = "#,##0.00"
            else:
                cell = WriteOnlyCell(worksheet, value=value)  # ids and codes stay text
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    out.write_bytes(reproducible(buffer.getvalue()))


def reproducible(xlsx: bytes) -> bytes:
    """The workbook with the save time openpyxl stamps (zip entries, dcterms:modified) fixed."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)
    return result.getvalue()


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}


def export(frame: pd.DataFrame, fmt: str, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[fmt](frame, out)
