"""Per-unit Excel templates at province scale: openpyxl's workbook, filled in as text.

`unit_template.template_bytes` costs openpyxl ~28 ms a unit (cell objects, styles, the 字段说明
sheet, packaging), and the office site offers 10,000 of them in a province. All but a few
cells are the same for every unit, so a `TemplateWriter` has openpyxl write one workbook for a
probe unit whose varying values are markers (its id, its name, its ledger date, no debts);
each unit's workbook is that one with the marked cells, the data rows and their ranges
written as XML strings, as `export.py` does for the big sheets.

The bytes are openpyxl's: the first unit with debts is also written by openpyxl and compared,
and if they differ (another openpyxl version) openpyxl writes every workbook. A value openpyxl
treats specially (control characters, text too long for a cell) sends that unit to openpyxl.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from ..core.model import Ledger, Records
from ..core.xlsx import raw_entries, zip_reusing
from .layout import SHEETS, Sheet
from .unit_template import cell_value, sheet_rows, template_bytes

MARK_ID, MARK_NAME, MARK_DAY = "qqmark-id", "QQMARKNAME", date(2099, 9, 9)
CORE, WORKBOOK = "docProps/core.xml", "xl/workbook.xml"


def _escape(text: str) -> str:
    """Text as ElementTree writes it inside an element."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell_xml(coordinate: str, style: str, value: object) -> str | None:
    """One styled cell as openpyxl serialises it; None when openpyxl must write the value."""
    head = f'<c r="{coordinate}" s="{style}"'
    if value is None:
        return f'{head} t="n" />'
    if isinstance(value, str):
        if len(value) > 32767 or ILLEGAL_CHARACTERS_RE.search(value):
            return None
        if value == "":
            return f'{head} t="inlineStr" />'
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f'{head} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
    if isinstance(value, bool | datetime):
        return None
    if isinstance(value, Decimal | int | float):
        return f'{head} t="n"><v>{safe_string(value)}</v></c>'
    if isinstance(value, date):
        return f'{head} t="n"><v>{safe_string(to_excel(value))}</v></c>'
    return None


@dataclass(frozen=True)
class Slot:
    """A cell of the probe's info sheet that holds a unit's value: `text` with the markers
    replaced, or the ledger date."""

    coordinate: str
    style: str
    text: str | None  # None: the ledger date


@dataclass(frozen=True)
class DataSheet:
    sheet: Sheet
    head: str  # the sheet XML up to the header row's end, `{dimension}` where the range goes
    tail: str  # from `</sheetData>`, `{filter}` where the auto filter's range goes
    styles: list[tuple[str, str]]  # (column letter, style id) of each column


CELL = re.compile(r'<c r="([A-Z]+\d+)" s="(\d+)" t="(?:inlineStr|n)">(?:<is><t[^>]*>([^<]*)</t></is>|<v>([^<]*)</v>)'
                  r"</c>")


def _info_slots(xml: str) -> tuple[list[str], list[Slot]]:
    """The info sheet cut at the cells holding a marker: fixed pieces between the slots."""
    day = safe_string(to_excel(MARK_DAY))
    pieces, slots, start = [], [], 0
    for match in CELL.finditer(xml):
        coordinate, style, text, number = match.groups()
        if text is not None and (MARK_ID in text or MARK_NAME in text):
            slot = Slot(coordinate, style, text)
        elif number == day:
            slot = Slot(coordinate, style, None)
        else:
            continue
        pieces.append(xml[start:match.start()])
        slots.append(slot)
        start = match.end()
    pieces.append(xml[start:])
    return pieces, slots


def _data_sheet(sheet: Sheet, xml: str) -> DataSheet | None:
    last = get_column_letter(len(sheet.columns))
    empty = "</row></sheetData>"
    dimension, auto_filter = f'<dimension ref="A1:{last}1" />', f'<autoFilter ref="A1:{last}2" />'
    if xml.count(empty) != 1 or xml.count(dimension) != 1 or xml.count(auto_filter) != 1:
        return None
    head, tail = xml.split(empty)
    by_column = {int(number): style for style, number in re.findall(r'<col [^>]*?style="(\d+)" min="(\d+)"', head)}
    if set(by_column) != set(range(1, len(sheet.columns) + 1)):
        return None
    return DataSheet(sheet, head.replace(dimension, '<dimension ref="A1:{dimension}" />') + "</row>",
                     "</sheetData>" + tail.replace(auto_filter, '<autoFilter ref="A1:{filter}" />'),
                     [(get_column_letter(n), by_column[n]) for n in range(1, len(sheet.columns) + 1)])


def _sheet_xml(data: DataSheet, rows: list[list[object]]) -> str | None:
    """A data sheet with `rows` below its header; None when a value needs openpyxl."""
    xml = [data.head.replace("{dimension}", f"{data.styles[-1][0]}{len(rows) + 1}")]
    for number, row in enumerate(rows, 2):
        xml.append(f'<row r="{number}">')
        for (letter, style), entry in zip(data.styles, row, strict=True):
            cell = cell_xml(f"{letter}{number}", style, cell_value(entry))
            if cell is None:
                return None
            xml.append(cell)
        xml.append("</row>")
    xml.append(data.tail.replace("{filter}", f"{data.styles[-1][0]}{max(len(rows) + 1, 2)}"))
    return "".join(xml)


def _filter_name(sheet: Sheet, last: str) -> str:
    """The probe's defined name of a sheet's auto filter, as openpyxl writes it."""
    return f"'{_escape(sheet.name)}'!$A$1:${last}$2</definedName>"


class TemplateWriter:
    """Writes the templates of many units of `records`; made once per batch (per process)."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.ledgers = {led.unit: led for led in records.ledgers}  # not a scan per unit: 10,000 of them
        probe = dataclasses.replace(next(iter(records.units.values())), id=MARK_ID, name=MARK_NAME)
        ledger = Ledger(unit=MARK_ID, as_of=MARK_DAY, items=[], path="", at={})
        probe_bytes = template_bytes(Records(units={MARK_ID: probe}, ledgers=[ledger]), MARK_ID)
        with zipfile.ZipFile(io.BytesIO(probe_bytes)) as source:
            self.parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
        self.raw = raw_entries(probe_bytes)
        parts = dict(self.parts)
        self.info_part = "xl/worksheets/sheet1.xml"
        self.info = _info_slots(parts[self.info_part].decode())
        sheets = [(f"xl/worksheets/sheet{n}.xml", sheet) for n, sheet in enumerate(SHEETS.values(), 2)]
        self.sheets = {part: _data_sheet(sheet, parts[part].decode()) for part, sheet in sheets}
        self.core = parts[CORE].decode()
        # the workbook names each auto filter's range too
        self.book = parts[WORKBOOK].decode()
        self.filters = {part: _filter_name(data.sheet, data.styles[-1][0]) for part, data in self.sheets.items()
                        if data is not None}
        self.usable = (MARK_NAME in self.core and len(self.info[1]) >= 3 and None not in self.sheets.values()
                       and all(self.book.count(name) == 1 for name in self.filters.values()))
        # a sheet without rows is the probe's own part, whose compressed bytes are reused
        self.empty = {part for part, data in self.sheets.items()
                      if data is not None and _sheet_xml(data, []) == parts[part].decode()}
        self.checked = False  # compared with openpyxl on a unit with debts

    def workbook(self, unit_id: str) -> bytes:
        """template_bytes(records, unit_id), faster."""
        if not self.usable:
            return template_bytes(self.records, unit_id)
        fast = self.fill(unit_id)
        if fast is not None and self.checked:
            return fast
        slow = template_bytes(self.records, unit_id)
        if fast is not None and unit_id in self.ledgers and self.ledgers[unit_id].items:
            self.usable, self.checked = fast == slow, True
        return slow

    def fill(self, unit_id: str) -> bytes | None:
        """The workbook filled in as text; None when a value needs openpyxl."""
        unit = self.records.units[unit_id]
        ledger = self.ledgers.get(unit_id)
        items = ledger.items if ledger else []
        replaced = {CORE: self.core.replace(MARK_NAME, _escape(unit.name))}
        pieces, slots = self.info
        out = [pieces[0]]
        for slot, piece in zip(slots, pieces[1:], strict=True):
            value = (ledger.as_of if ledger else None) if slot.text is None else (
                slot.text.replace(MARK_ID, unit.id).replace(MARK_NAME, unit.name))
            cell = cell_xml(slot.coordinate, slot.style, value)
            if cell is None:
                return None
            out += [cell, piece]
        replaced[self.info_part] = "".join(out)
        book = self.book
        for part, data in self.sheets.items():
            assert data is not None  # self.usable
            rows = sheet_rows(data.sheet, items)
            if not rows and part in self.empty:
                continue
            xml = _sheet_xml(data, rows)
            if xml is None:
                return None
            replaced[part] = xml
            last_row = max(len(rows) + 1, 2)
            book = book.replace(self.filters[part], self.filters[part].replace("$2<", f"${last_row}<"))
        if book != self.book:  # else the probe's, compressed once
            replaced[WORKBOOK] = book
        return zip_reusing(self.raw, [(name, replaced[name].encode() if name in replaced else None)
                               for name, _data in self.parts])
