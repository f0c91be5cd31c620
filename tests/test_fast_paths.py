"""The shortcuts that make a province-scale build fast give the bytes the plain ways give."""

import dataclasses
import hashlib
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from openpyxl.utils.exceptions import IllegalCharacterError

from generator.analysis import stats
from generator.analysis.frame import COLUMNS, items_frame
from generator.core.config import load_campaign
from generator.site.engine import material
from generator.site.engine.tables import TablesAside, placeholder
from generator.validate.pipeline import validate_repo
from generator.workbook import export
from generator.workbook.template_fill import TemplateWriter
from generator.workbook.unit_template import template_bytes
from helpers import AS_OF, FIXTURES, REPO, build

TYPED = {"money": ["0.00", "1234567.89", "-5.10", "99999999999.99"],
         "date": ["2022-06-30", "", "1900-03-01", "2099-12-31"], "count": ["0", "17", "", "123456"],
         "rate": ["0.25", "0", "1", "0.3333"], "flag": ["true", "false", "", "true"]}


def rows_of(*texts: str) -> list[dict[str, str]]:
    """Rows with `texts` in the text columns and typed values (empty ones too) in the others."""
    return [{name: TYPED[export.kind(name)][n % 4] if export.kind(name) in TYPED else text for name, _ in COLUMNS}
            for n, text in enumerate(texts)]


@pytest.mark.parametrize("texts", [
    ("0012", "", " 前后有空格 ", "a&b<c>d\"e'f", "  ", "多行\n文本", "919901000000000171"),
    ("=1+1", "x"),  # openpyxl writes a formula
    ("#N/A",),  # and an error value
])
def test_xlsx_rows_are_the_bytes_openpyxl_writes(texts, tmp_path):
    rows = rows_of(*texts)
    export.write_xlsx_rows(rows, tmp_path / "fast.xlsx")
    assert (tmp_path / "fast.xlsx").read_bytes() == export.table_xlsx(export.DEBT_COLUMNS, rows, "欠款台账")


def test_xlsx_rows_written_in_several_blocks_are_the_bytes_openpyxl_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "ROWS_AT_ONCE", 2)  # blocks of 2, 2 and 1 rows
    rows = rows_of("甲", "", "甲", " 乙 ", "x")
    export.write_xlsx_rows(rows, tmp_path / "fast.xlsx")
    assert (tmp_path / "fast.xlsx").read_bytes() == export.table_xlsx(export.DEBT_COLUMNS, rows, "欠款台账")


@pytest.mark.parametrize("rows", [[], [{}], rows_of("甲", 'a"\\b\n\u2028\t', "</script>"), [{"a": ""}, {}]])
def test_json_text_is_what_json_writes_with_an_indent(rows):
    assert export.json_text(rows) == json.dumps(rows, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("text", ["=1+1", "#N/A", "控制\x01字符", "长" * 32768])
def test_values_openpyxl_treats_specially_are_left_to_it(text):
    assert export._sheet_rows(rows_of("x", text)) is None
    assert export._sheet_rows(rows_of("x", "1=1")) is not None


def test_dates_before_excels_leap_day_bug_are_left_to_openpyxl(tmp_path):
    rows = rows_of("x")
    rows[0]["due"] = "1900-02-28"
    assert export._sheet_rows(rows) is None
    export.write_xlsx_rows(rows, tmp_path / "old.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "old.xlsx").active
    assert sheet.cell(2, [n for n, _ in COLUMNS].index("due") + 1).value.date().isoformat() == "1900-02-28"


def test_xlsx_fast_path_is_taken_and_readable(tmp_path):
    assert export._xlsx_template("欠款台账") is not None  # the check against openpyxl passed
    rows = rows_of("甲", "乙")
    export.write_xlsx_rows(rows, tmp_path / "a.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("单位编号", "欠款编号") and len(values) == 3
    assert values[1][0] == "甲" and values[2][[n for n, _ in COLUMNS].index("amount")] == pytest.approx(1234567.89)
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(COLUMNS))}3"


def page(src_uri: str = "units/a.md") -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


TABLE = '<div class="qq-table" data-search-exclude>\n<table>\n<tr><td>&#60;b&#62;</td></tr>\n</table>\n</div>'
OTHER = TABLE.replace("&#60;b&#62;", "第二个")


def test_tables_are_set_aside_and_put_back_in_place():
    plugin = TablesAside()
    markdown = plugin.on_page_markdown(f"# 标题\n\n{TABLE}\n\n正文\n\n{OTHER}\n", page=page())
    assert "<table>" not in markdown and placeholder(0) in markdown and placeholder(1) in markdown
    html = f"<h1>标题</h1>\n{placeholder(0)}\n<p>正文</p>\n{placeholder(1)}\n"
    assert plugin.on_post_page(html, page=page()) == f"<h1>标题</h1>\n{TABLE}\n<p>正文</p>\n{OTHER}\n"
    assert plugin.tables == {}


@pytest.mark.parametrize("html", ["<p>没有占位符</p>", placeholder(0) * 2, placeholder(0) + placeholder(7)])
def test_a_lost_or_forged_placeholder_fails_the_build(html):
    plugin = TablesAside()
    plugin.on_page_markdown(TABLE, page=page())
    with pytest.raises(PluginError):
        plugin.on_post_page(html, page=page())


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_site_is_the_same_as_with_the_tables_left_to_mkdocs(mini_office, tmp_path, monkeypatch):
    class Off(BasePlugin):
        pass

    monkeypatch.setattr(material, "TablesAside", Off)
    plain = build(FIXTURES / "mini", "office", tmp_path / "plain")
    assert tree(plain) == tree(mini_office)
    unit = (mini_office / "units/sl-jtj.html").read_text(encoding="utf-8")
    assert 'id="debt-A001"' in unit and "qq-table-slot" not in unit


def test_unit_downloads_match_qingqian_export_of_that_unit(mini_office, tmp_path):
    records = validate_repo(FIXTURES / "mini").records
    frame = items_frame(records, load_campaign(FIXTURES / "mini"), AS_OF)
    for fmt in ("csv", "xlsx"):
        export.export(frame[frame["unit"] == "sl-jtj"], fmt, tmp_path / f"u.{fmt}")
        assert (tmp_path / f"u.{fmt}").read_bytes() == (mini_office / f"downloads/units/sl-jtj.{fmt}").read_bytes()
    with zipfile.ZipFile(io.BytesIO((mini_office / "downloads/units/sl-jtj.xlsx").read_bytes())) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_unit_templates_are_the_bytes_qingqian_template_writes(mini_office):
    records = validate_repo(REPO).records
    units = sorted(records.units)
    writer = TemplateWriter(records)
    for unit_id in units:  # units with debts, without a ledger, with payments, plans and corrections
        assert writer.workbook(unit_id) == template_bytes(records, unit_id), unit_id
    assert writer.usable and writer.checked  # compared with openpyxl, and then filled in
    mini = validate_repo(FIXTURES / "mini").records
    assert (mini_office / "downloads/templates/sl-jtj.xlsx").read_bytes() == template_bytes(mini, "sl-jtj")


@pytest.mark.parametrize("text", [" 甲&<>\"' ", "  ", "多行\n文本", "=1+1", "#N/A", "控制\x01字符"])
def test_unit_templates_of_awkward_values_are_the_bytes_openpyxl_writes(text):
    records = validate_repo(FIXTURES / "mini").records
    ledger = next(led for led in records.ledgers if len(led.items) > 1)
    first, second = ledger.items[:2]
    if "\x01" not in text:  # openpyxl cannot write it in a unit's name either
        records.units[ledger.unit] = dataclasses.replace(records.units[ledger.unit], name=f"单位{text}")
    ledger.items[0] = dataclasses.replace(first, notes=text, creditor_name=text.strip() or "甲",
                                          amount=Decimal("12345678901234.56"))
    ledger.items[1] = dataclasses.replace(second, notes="", contract_number=text)
    writer = TemplateWriter(records)
    writer.checked = True  # as after the first unit: from here on the filled-in bytes are used
    try:
        expected = template_bytes(records, ledger.unit)
    except IllegalCharacterError:  # openpyxl refuses it; the fast path must not write it either
        assert writer.fill(ledger.unit) is None
        return
    assert writer.workbook(ledger.unit) == expected


def _typed_rows(rows: list[dict]) -> list[list[tuple[str, type, str]]]:
    """Rows as (key, type, repr) triples: NaN compares unequal to itself, its repr does not."""
    return [[(key, type(value), repr(value)) for key, value in row.items()] for row in rows]


def test_frame_records_are_what_to_dict_gives():
    records = validate_repo(REPO, jobs=1).records
    frame = items_frame(records, load_campaign(REPO))
    odd = pd.DataFrame({"text": pd.Series(["x", None], dtype="str"), "n": [1, 2], "f": [1.5, float("nan")]})
    boxed = pd.DataFrame({"a": [np.int64(1), "x"], "b": pd.array([1, None], dtype="Int64"),
                          "d": pd.array(["x", None], dtype="string")})  # to_dict converts these itself
    for part in (frame, frame.iloc[0:0], frame[frame["remaining"] > 0].head(7), stats.unit_summary(frame), odd,
                 boxed, pd.DataFrame(index=[0, 1])):
        assert _typed_rows(stats.records(part)) == _typed_rows(part.to_dict("records"))
