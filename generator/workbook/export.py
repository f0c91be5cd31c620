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
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from ..analysis.frame import COLUMNS, COUNTS, DATES, FLAGS, MONEY, RATES
from ..core.money import yuan
from ..core.xlsx import (
    FIXED_TIME,
    HEADER_FILL,
    HEADER_FONT,
    NUMBER_FORMATS,
    literal,
    raw_entries,
    reproducible,
    width,
    yes_no,
    zip_reusing,
)
from ..rules.standing import SEPARATOR

KINDS: dict[str, str] = {**dict.fromkeys(MONEY, "money"), **dict.fromkeys(DATES, "date"),
                         **dict.fromkeys(FLAGS, "flag"), **dict.fromkeys(COUNTS, "count"),
                         **dict.fromkeys(RATES, "rate")}  # every other column is text
EXCEL_EPOCH, FIRST_PLAIN_DAY = date(1899, 12, 30), date(1900, 3, 1)  # before it: Excel's 1900 leap-day bug


def kind(name: str) -> str:
    return KINDS.get(name, "text")


Columns = list[tuple[str, str, str]]  # (key, Chinese header, kind: text | money | date | count | flag | rate)
DEBT_COLUMNS: Columns = [(name, label, kind(name)) for name, label in COLUMNS]


def text_value(value) -> str:
    """A value as the text exports (CSV, JSON, a bundle's JSON copy) write it."""
    if isinstance(value, tuple):  # fixed words (violations, conditions)
        return SEPARATOR.join(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def records_for_output(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Rows as column -> text: money as yuan with two decimals, dates ISO, booleans true/false,
    rates as fractions. The JSON export is these rows; CSV and XLSX show them to people."""
    money = set(MONEY)
    # column by column (tolist gives plain Python values, as to_dict does), then zipped into
    # rows: a per-row to_dict and lookup cost a third of a province's downloads
    texts = [[yuan(v) for v in frame[name].tolist()] if name in money else
             [text_value(v) for v in frame[name].tolist()] for name, _ in COLUMNS]
    names = [name for name, _ in COLUMNS]
    return [dict(zip(names, row, strict=True)) for row in zip(*texts, strict=True)]


# A cell beginning with one of these is a formula to Excel and LibreOffice when they open a
# CSV file (=HYPERLINK(...), +cmd|...); a leading ' makes it text (the OWASP rule).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def inert(text: str) -> str:
    """Unit-written text as a CSV cell no spreadsheet runs; numbers (a negative change) stay numbers."""
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def shown(column_kind: str, value: str) -> str:
    """A row's text as a clerk reads it in the CSV: 是/否, rates as percentages."""
    if not value:
        return value
    if column_kind == "flag":
        return yes_no(value == "true")
    if column_kind == "rate":
        return f"{Decimal(value) * 100:.2f}%"
    return value


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    """Chinese headers as in the XLSX (the JSON keeps the English keys for machines)."""
    return table_csv(DEBT_COLUMNS, rows)


def table_csv(columns: Columns, rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([label for _key, label, _kind in columns])
    # column by column, each distinct value converted once: most columns repeat few values,
    # and only flags and rates are shown differently
    texts = []
    for key, _label, column_kind in columns:
        values = [row[key] for row in rows]
        distinct = set(values)
        as_shown = {value: inert(shown(column_kind, value)) for value in distinct} if column_kind in (
            "flag", "rate") else {value: inert(value) for value in distinct if value.startswith(FORMULA_START)}
        texts.append(list(map(as_shown.get, values, values)) if as_shown else values)
    writer.writerows(zip(*texts, strict=True))
    # A BOM so that Excel opens the Chinese text as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def write_json(frame: pd.DataFrame, out: Path) -> None:
    out.write_bytes(json_bytes(records_for_output(frame)))


def json_bytes(rows: list[dict[str, str]]) -> bytes:
    return (json_text(rows) + "\n").encode()


def json_text(rows: list[dict[str, str]]) -> str:
    """`json.dumps(rows, ensure_ascii=False, indent=1)`, the same text. With an indent, json
    encodes in Python (10 s for a province's 100,000 debts); without one, in C, and the
    separators can carry the indent of a row's keys: each row is encoded so and placed in the
    list by hand."""
    if not rows:
        return "[]"
    return "[\n " + ",\n ".join(["{\n  " + json.dumps(row, ensure_ascii=False, separators=(",\n  ", ": "))[1:-1]
                                  + "\n }" if row else "{}" for row in rows]) + "\n]"


def write_xlsx(frame: pd.DataFrame, out: Path, sheet: str = "欠款台账") -> None:
    write_xlsx_rows(records_for_output(frame), out, sheet)


def write_xlsx_rows(rows: list[dict[str, str]], out: Path, sheet: str = "欠款台账") -> None:
    out.write_bytes(xlsx_bytes(rows, sheet))


def xlsx_bytes(rows: list[dict[str, str]], sheet: str = "欠款台账") -> bytes:
    template = _xlsx_template(sheet)
    data_rows = _sheet_rows(rows) if template else None
    if template is None or data_rows is None:
        return table_xlsx(DEBT_COLUMNS, rows, sheet)
    parts, raw, before, after = template
    tail = after.replace(_filter_ref(len(SAMPLES)), _filter_ref(len(rows)))
    filtered = {SHEET_PART: before + data_rows.encode() + tail,
                BOOK_PART: dict(parts)[BOOK_PART].replace(_filter_name(len(SAMPLES)), _filter_name(len(rows)))}
    # the other parts are the same in every workbook: compressed once, with the template
    return zip_reusing(raw, [(name, filtered.get(name)) for name, _data in parts])


def _filter_ref(count: int) -> bytes:
    """The header's filter buttons cover the data rows (in the sheet, and in the workbook's
    _FilterDatabase name)."""
    return f'<autoFilter ref="A1:{get_column_letter(len(COLUMNS))}{count + 1}" />'.encode()


def _filter_name(count: int) -> bytes:
    return f"!$A$1:${get_column_letter(len(COLUMNS))}${count + 1}<".encode()


def typed(column_kind: str, value: str) -> str | float | date | Decimal | None:
    """The cell value openpyxl gets for a row's text."""
    if column_kind in ("text", "flag"):
        return shown(column_kind, value)
    if not value:
        return None
    if column_kind == "date":
        return date.fromisoformat(value)
    if column_kind == "count":
        return int(value)
    # Money and rates as numbers Excel can sum: every fen amount below 10^13 yuan is exact in a
    # double, and the exact text stays in the CSV and JSON.
    return Decimal(value) if column_kind == "money" else float(value)


def table_xlsx(columns: Columns, rows: list[dict[str, str]], sheet: str) -> bytes:
    """A workbook through openpyxl: typed cells (openpyxl writes Decimal and date too), ids and
    codes as text, the header frozen and filtered."""
    workbook = Workbook(write_only=True)
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "C2"
    for number, (_key, label, column_kind) in enumerate(columns, 1):
        worksheet.column_dimensions[get_column_letter(number)].width = width(label, column_kind)
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    header = []
    for _key, label, _kind in columns:
        cell = WriteOnlyCell(worksheet, value=label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    worksheet.append(header)
    for row in rows:
        cells = []
        for key, _label, column_kind in columns:
            cell = literal(WriteOnlyCell(worksheet, value=typed(column_kind, row[key])))  # type: ignore[arg-type]
            if column_kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column_kind]
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible(buffer.getvalue())


SHEET_PART, BOOK_PART = "xl/worksheets/sheet1.xml", "xl/workbook.xml"


def _style_ids() -> dict[str, str]:
    """openpyxl numbers cell styles as it first meets them: the header is 1, then each number
    format in column order (typed cells are styled even when empty, so the order is fixed)."""
    ids: dict[str, str] = {}
    for name, _ in COLUMNS:
        if kind(name) in NUMBER_FORMATS and kind(name) not in ids:
            ids[kind(name)] = str(len(ids) + 2)
    return ids


def _plain_text(value: str) -> bool:
    """Text openpyxl writes as it is: not a formula or error code, not cut, no control characters."""
    return (len(value) <= 32767 and not (len(value) > 1 and value.startswith("="))
            and value not in ERROR_CODES and not ILLEGAL_CHARACTERS_RE.search(value))


def _number(column_kind: str, value: str) -> str | None:
    """The `<v>` text openpyxl writes for a typed cell; None when openpyxl must decide."""
    if column_kind == "count":
        return str(int(value))
    if column_kind != "date":  # a double with 16 digits, as openpyxl's safe_string writes it
        return f"{float(value):.16g}"
    day = date.fromisoformat(value)
    return str((day - EXCEL_EPOCH).days) if day >= FIRST_PLAIN_DAY else None


@functools.lru_cache(maxsize=1 << 16)  # the per-unit files repeat dates, amounts and names
def _tail(column_kind: str, style: str, value: str) -> str | None:
    """A cell's XML after its `<c r="A2"`, as openpyxl's write-only mode writes the row's
    text `value`; "" when openpyxl writes no cell, None when a value needs openpyxl itself."""
    if column_kind in ("text", "flag"):
        if column_kind == "flag" and value:
            value = yes_no(value == "true")
        if value == "":
            return ' t="inlineStr" />'
        if not _plain_text(value):
            return None
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if value == "":  # openpyxl leaves out an empty cell without a style
        return f'{style} t="n" />' if style else ""
    shown = _number(column_kind, value)
    return None if shown is None else f'{style} t="n"><v>{shown}</v></c>'


ROWS_AT_ONCE = 5000  # the cells of this many rows are held as strings at once


@functools.cache
def _column_specs() -> tuple[tuple[str, str, str, str], ...]:
    """Each column's name, kind, style attribute and letter (a unit's file has ten rows: what
    is the same for every file is worked out once)."""
    styles = _style_ids()
    return tuple((name, kind(name), f' s="{styles[kind(name)]}"' if kind(name) in styles else "",
                  get_column_letter(number)) for number, (name, _label) in enumerate(COLUMNS, 1))


@functools.cache
def _row_pattern(left_out: tuple[bool, ...]) -> str:
    """A row's XML with `{0}` for its number and `{n}` for column n's piece: the cell after its
    coordinate, or, in a column where some cells are left out, the whole cell."""
    cells = [f"{{{number}}}" if whole else f'<c r="{letter}{{0}}"{{{number}}}'
             for number, (whole, (_name, _kind, _style, letter)) in enumerate(zip(left_out, _column_specs(),
                                                                                   strict=True), 1)]
    return '<row r="{0}">' + "".join(cells) + "</row>"


def _sheet_rows(rows: list[dict[str, str]]) -> str | None:
    """The data rows (from row 2) as openpyxl's write-only mode serialises them; None when a
    value needs openpyxl's own handling. Column by column: a column's distinct values are
    turned into XML once each (a full export repeats the same names, dates and flags in
    100,000 rows), and each row is one `str.format` of a row pattern with the row number
    and those pieces (per cell, Python's formatting cost more than the values)."""
    columns: list[tuple[list[str], dict[str, str], str | None]] = []
    for name, column_kind, style, letter in _column_specs():
        values = [row[name] for row in rows]
        tails: dict[str, str] = {}
        for value in set(values):
            tail = _tail(column_kind, style, value)
            if tail is None:
                return None
            tails[value] = tail
        columns.append((values, tails, letter if "" in tails.values() else None))
    row_pattern = _row_pattern(tuple(whole is not None for _values, _tails, whole in columns))
    out: list[str] = []
    for start in range(0, len(rows), ROWS_AT_ONCE):
        numbers = range(start + 2, min(start + ROWS_AT_ONCE, len(rows)) + 2)
        cells = []
        for values, tails, whole in columns:
            part = values[start:start + ROWS_AT_ONCE]
            if whole is None:
                cells.append(list(map(tails.__getitem__, part)))
            else:
                cells.append([f'<c r="{whole}{n}"{tails[value]}' if tails[value] else ""
                              for n, value in zip(numbers, part, strict=True)])
        out += map(row_pattern.format, numbers, *cells)
    return "".join(out)


SAMPLE_VALUES = {"money": ("0.00", "", "12.30"), "date": ("2022-06-30", "", "2020-01-01"),
                 "count": ("3", "", "0"), "rate": ("0.25", "", "0"), "flag": ("true", "", "false"),
                 "text": (" 甲&<> ", "", "x")}
SAMPLES = [{name: SAMPLE_VALUES[kind(name)][n] for name, _ in COLUMNS} for n in range(3)]


@functools.cache
def _xlsx_template(sheet: str) -> tuple[list[tuple[str, bytes]], dict[str, tuple[zipfile.ZipInfo, bytes]],
                                        bytes, bytes] | None:
    """openpyxl's workbook around sample rows, cut where the data rows go: (parts, their
    compressed zip entries, sheet XML before the rows, after them). None when `_sheet_rows` no
    longer writes what openpyxl writes (another openpyxl version), and then openpyxl writes
    every workbook."""
    sample = table_xlsx(DEBT_COLUMNS, SAMPLES, sheet)
    with zipfile.ZipFile(io.BytesIO(sample)) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    sheet_xml = dict(parts)[SHEET_PART]
    rows = (_sheet_rows(SAMPLES) or "").encode()
    if not rows or sheet_xml.count(rows) != 1:
        return None
    before, after = sheet_xml.split(rows)
    if after.count(_filter_ref(len(SAMPLES))) != 1 or dict(parts)[BOOK_PART].count(_filter_name(len(SAMPLES))) != 1:
        return None
    if zip_reusing(raw_entries(sample), [(name, None) for name, _data in parts]) != sample:
        return None  # the reused entries must give the zip zipfile writes
    return parts, raw_entries(sample), before, after


WRITERS: dict[str, Callable[[list[dict[str, str]]], bytes]] = {"csv": csv_bytes, "xlsx": xlsx_bytes,
                                                               "json": json_bytes}


def export(frame: pd.DataFrame, fmt: str, out: Path) -> None:
    export_rows(records_for_output(frame), fmt, out)


def export_rows(rows: list[dict[str, str]], fmt: str, out: Path) -> bytes:
    """`export` of rows already made by `records_for_output` (one conversion, many files);
    gives the bytes written (the site hashes them without reading the file again)."""
    data = WRITERS[fmt](rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return data
