"""What every workbook we write shares: text stays text, and the same data gives the same bytes."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

FIXED_TIME = datetime(2000, 1, 1)


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
