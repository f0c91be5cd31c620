"""The xlsx package looked at before and beside openpyxl: what it cannot be trusted to read.

A workbook is a zip of XML parts written by whoever sent it. openpyxl would expand a zip or
entity bomb, read a formula without a saved result as an empty cell (silently deleting what
the cell held), and say nothing of hidden rows. These checks read the raw parts, cheaply.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl.utils import column_index_from_string

from ..core.issues import Issue, make

MAX_FILE = 20 * 1024 * 1024  # a unit's template with thousands of debts is a few hundred KB
MAX_UNPACKED = 200 * 1024 * 1024
MAX_ROWS = 100_000  # per sheet
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_HIDDEN_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"([0-9]+)\"[^>]*?\bhidden=\"(?:1|true)\"|"
                         rb"<(?:\w+:)?row\b[^>]*?\bhidden=\"(?:1|true)\"[^>]*?\br=\"([0-9]+)\"")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb"\br=\"([A-Z]+)([0-9]+)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")


def _issue(file: str, sheet: str, row: int, col: int, code: str, detail: str) -> Issue:
    return make(file, row, col, code, detail, sheet)


def package_problems(path: Path, file: str) -> list[Issue]:
    """Refuse, before any XML is parsed, a file too big, a zip that unpacks too big, or a part
    with a DTD (entity definitions: Excel never writes one; an entity bomb always has one)."""
    def refuse(detail: str) -> list[Issue]:
        return [_issue(file, "", 0, 0, "E701", detail)]

    try:
        if path.stat().st_size > MAX_FILE:
            return refuse(f"文件超过 {MAX_FILE // 1024 // 1024} MB")
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            if sum(info.file_size for info in infos) > MAX_UNPACKED:
                return refuse(f"解压后超过 {MAX_UNPACKED // 1024 // 1024} MB")
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with package.open(info) as part:
                        head = part.read(4096).replace(b"\x00", b"")
                    if _DTD.search(head):
                        return refuse(f"{info.filename} 含有 DTD 或实体定义")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError) as exc:
        return refuse(type(exc).__name__)
    return []


def sheet_problems(path: Path, file: str, parts: dict[str, str], data_rows_from: int = 2) -> list[Issue]:
    """Per data sheet (name -> part): too many rows (E701), a formula cell without a saved
    result (E713), hidden rows (W704)."""
    issues: list[Issue] = []
    with zipfile.ZipFile(path) as package:
        for sheet, part in parts.items():
            xml = package.read(part)
            rows = len(_ROW.findall(xml))
            if rows > MAX_ROWS:
                issues.append(_issue(file, sheet, 0, 0, "E701", f"工作表“{sheet}”有 {rows} 行，上限 {MAX_ROWS} 行"))
                continue
            for match in _CELL.finditer(xml):
                inner = match.group(2) or b""
                if _FORMULA.search(inner) and not _VALUE.search(inner) and (ref := _REF.search(match.group(1))):
                    column, row = ref.group(1).decode(), int(ref.group(2))
                    issues.append(_issue(file, sheet, row, column_index_from_string(column), "E713",
                                         f"{column}{row} 是公式"))
            hidden = sorted({int(m.group(1) or m.group(2)) for m in _HIDDEN_ROW.finditer(xml)})
            hidden = [row for row in hidden if row >= data_rows_from]
            if hidden:
                shown = "、".join(map(str, hidden[:10])) + ("等" if len(hidden) > 10 else "")
                issues.append(_issue(file, sheet, hidden[0], 0, "W704", f"第 {shown} 行是隐藏的，也会被导入"))
    return issues
