"""What every workbook we write shares: text stays text, and the same data gives the same bytes."""

from __future__ import annotations

import copy
import io
import re
import struct
import zipfile
from datetime import datetime

from openpyxl.styles import Font, PatternFill

FIXED_TIME = datetime(2000, 1, 1)

# One look for every workbook we write: a shaded bold header, money with thousands separators
# and fen, real dates, fractions as percentages.
HEADER_FONT, HEADER_FILL = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
MONEY_FORMAT, DATE_FORMAT, PERCENT_FORMAT = "#,##0.00", "yyyy-mm-dd", "0.00%"
NUMBER_FORMATS = {"money": MONEY_FORMAT, "date": DATE_FORMAT, "rate": PERCENT_FORMAT}
WIDTHS = {"money": 15, "date": 12, "rate": 9, "count": 8, "flag": 8, "text": 14}


def width(header: str, kind: str) -> int:
    """A column wide enough for its Chinese header (two character widths each) and its kind."""
    return max(WIDTHS.get(kind, 14), min(2 * len(header) + 2, 30))


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def literal(cell):
    """Data text stays text: openpyxl would make "=..." a live formula (formula injection from
    a ledger's notes) and "#N/A" an error value."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def zip_parts(parts: list[tuple[str, bytes]]) -> bytes:
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            fixed = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)
    return result.getvalue()


def reproducible(xlsx: bytes) -> bytes:
    """The workbook with the save time openpyxl stamps (zip entries, dcterms:modified) fixed."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    return zip_parts([(name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
                  if name == "docProps/core.xml" else data) for name, data in parts])


def raw_entries(xlsx: bytes) -> dict[str, tuple[zipfile.ZipInfo, bytes]]:
    """Each part of a zip as its directory entry and its local header with the compressed
    bytes, so that a part the same in every workbook is compressed once, not per unit."""
    entries = {}
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        for info in source.infolist():
            start = info.header_offset
            name_length, extra_length = struct.unpack("<2H", xlsx[start + 26:start + 30])
            end = start + 30 + name_length + extra_length + info.compress_size
            entries[info.filename] = (info, xlsx[start:end])
    return entries


def zip_reusing(raw: dict[str, tuple[zipfile.ZipInfo, bytes]], parts: list[tuple[str, bytes | None]]) -> bytes:
    """zip_parts(parts), with the parts given as None copied from `raw` as they are. zipfile
    has no call for a part already compressed: it is written where zipfile would write it and
    listed as zipfile lists what it wrote; the callers compare a first workbook with openpyxl's."""
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            if data is not None:
                fixed = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
                fixed.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(fixed, data)
                continue
            info, local = raw[name]
            info = copy.copy(info)
            info.header_offset = target.start_dir
            result.seek(target.start_dir)
            result.write(local)
            target.start_dir = result.tell()
            target.filelist.append(info)
            target.NameToInfo[name] = info
    return result.getvalue()
