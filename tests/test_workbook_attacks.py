"""Workbooks a unit could send to `qingqian import` to delete data silently or to choke the
reader: each is refused at its cell (or the file) quickly, never with a traceback."""

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.workbook.layout import ITEMS
from helpers import LEDGER, run_import


def rewrite_part(path: Path, name: str, change) -> None:
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for filename, data in parts:
            target.writestr(filename, change(data) if filename == name else data)


def notes_cell(path: Path) -> str:
    ws = load_workbook(path)[ITEMS]
    column = next(c.column_letter for c in ws[1] if c.value == "备注")
    return f"{column}2"


def test_a_formula_without_a_saved_result_is_refused(mini, book, capsys):
    before = (mini / LEDGER).read_bytes()
    ref = notes_cell(book)
    workbook = load_workbook(book)
    workbook[ITEMS][ref] = '=CONCAT("分两期", "支付")'  # openpyxl saves no result: read as empty
    workbook.save(book)
    code, out = run_import(mini, book, capsys)
    assert code == 1 and f"{ITEMS}!{ref}: E713 " in out, out
    assert (mini / LEDGER).read_bytes() == before


def test_hidden_rows_are_announced(mini, book, capsys):
    workbook = load_workbook(book)
    workbook[ITEMS].row_dimensions[3].hidden = True
    workbook.save(book)
    code, out = run_import(mini, book, capsys)
    assert code == 0 and f"{ITEMS}!A3: W704 " in out, out


def test_an_entity_bomb_is_e701(mini, book, capsys):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                       for i in range(1, 10))
            + b"]>")

    def plant(data: bytes) -> bytes:
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return bomb + body.replace(b"<t>", b"<t>&lol9;", 1)

    rewrite_part(book, "xl/worksheets/sheet2.xml", plant)
    code, out = run_import(mini, book, capsys)
    assert code == 1 and "E701 " in out and "Traceback" not in out, out


def test_a_zip_bomb_is_refused_before_reading(mini, tmp_path, capsys):
    bomb = tmp_path / "bomb.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    bomb.write_bytes(buffer.getvalue())
    code, out = run_import(mini, bomb, capsys)
    assert code == 1 and "E701 " in out and "解压后超过" in out, out


@pytest.mark.parametrize("rows", [100_001])
def test_too_many_rows_are_refused(mini, book, capsys, rows):
    def grow(data: bytes) -> bytes:
        extra = b"".join(b'<row r="%d"/>' % n for n in range(10, 10 + rows))
        return data.replace(b"</sheetData>", extra + b"</sheetData>", 1)

    rewrite_part(book, "xl/worksheets/sheet2.xml", grow)  # the 欠款 sheet
    code, out = run_import(mini, book, capsys)
    assert code == 1 and "E701 " in out, out
