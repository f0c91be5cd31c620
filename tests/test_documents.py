"""The 通报 as a Word document in the 公文 layout (GB/T 9704-2012), read back with python-docx:
the page, the grid, the fonts, the red mark, the page numbers, and figures equal to the JSON."""

import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date

import docx
import pytest
from docx.oxml.ns import qn

from generator.core.config import Config, Document
from generator.core.money import grouped, percent
from generator.document.circular import circular
from generator.document.layout import inert
from generator.history.period_report import build_report
from generator.history.report_json import json_form
from generator.history.state import History

HOSTILE = "恶意\x01单位\u202e名称\ufffe\ud800" + "很长" * 200


def _quarter(repo):
    return build_report(History.read(repo), "quarter", date(2022, 11, 2), Config())


def _read(data: bytes):
    return docx.Document(io.BytesIO(data))


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_page_follows_the_standard(history_repo):
    document = _read(circular(_quarter(history_repo), Config()))
    section = document.sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin]
    assert [round(length.mm, 1) for length in measured] == [210, 297, 37, 35, 28, 26]  # to the twip
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch")))
    assert 22 * pitch <= (297 - 37 - 35) / 25.4 * 1440 < 23 * pitch  # 22 lines to the text block
    # 28 characters of 3号 to the line: 16 pt condensed to the pitch (charSpace is Word's form of it)
    width = (210 - 28 - 26) / 25.4 * 72
    condensed = int(document.styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert 28 * (16 + condensed) <= width < 29 * (16 + condensed)
    assert abs(16 + int(grid.get(qn("w:charSpace"))) / 4096 - width / 28) < 0.01


def _font(style) -> tuple[str, float]:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")), style.font.size.pt


def test_fonts_sizes_and_the_red_mark(history_repo):
    document = _read(circular(_quarter(history_repo), Config()))
    styles = document.styles
    assert _font(styles["公文正文"]) == ("仿宋_GB2312", 16)
    assert _font(styles["公文标题"]) == ("方正小标宋简体", 22)
    assert _font(styles["一级标题"]) == ("黑体", 16)
    assert _font(styles["二级标题"]) == ("楷体_GB2312", 16)
    assert _font(styles["表格文字"])[1] <= 14  # 4号 or smaller
    paragraphs = document.paragraphs
    mark = paragraphs[0]
    assert mark.text == Document().mark and mark.style.name == "发文机关标志"
    assert str(mark.style.font.color.rgb) == "FF0000"
    number = next(p for p in paragraphs if p.style.name == "发文字号")
    assert number.text == "清欠办〔2022〕4号"  # the fourth quarter's
    rule = number._p.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    assert rule.get(qn("w:color")) == "FF0000"
    title = next(p for p in paragraphs if p.style.name == "公文标题")
    assert title.text == "关于2022年第四季度清欠工作\n进展情况的通报"  # two lines, broken between words
    assert next(p for p in paragraphs if p.style.name == "主送机关").text == Document().recipients + "："
    signed = [p.text for p in paragraphs if p.style.name == "署名"]
    assert signed == [Document().organ, "2022年12月31日"]


def test_page_numbers_stand_outside_odd_right_even_left(history_repo):
    document = _read(circular(_quarter(history_repo), Config()))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment.name.lower() == alignment
        xml = paragraph._p.xml
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert [c.get(qn("w:fldCharType")) for c in paragraph._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
        assert paragraph.text == "— 1 —"  # the field's shown value between the dashes


def test_the_figures_are_the_json_reports_and_units_are_named(history_repo):
    made = _quarter(history_repo)
    data = json_form(made)
    document = _read(circular(made, Config()))
    text = _all_text(document)
    totals = data["totals"]
    for key in ("amount", "repaid", "remaining"):
        assert f"{grouped(round(float(totals[key]) * 100))}元" in text
    assert f"共{totals['items']}笔" in text
    assert f"清偿率（已清偿金额占欠款金额的比例）为{percent(made.totals.clearance_rate)}" in text  # the one formatter
    movement = data["movement"]
    words = {"opening": "期初尚未清偿", "added": "本期新增", "repaid": "、清偿", "closing": "期末尚未清偿"}
    for key, said in words.items():
        assert f"{said}{grouped(round(float(movement[key]) * 100))}元" in text, key
    regions = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in regions.rows[1:]]
    assert [row[1] for row in rows] == [r["region_name"] for r in data["by_region"]]
    assert [row[3] for row in rows] == [grouped(round(float(r["amount"]) * 100)) for r in data["by_region"]]
    ids = {r["unit"] for r in data["by_unit"]} | {r["unit"] for r in data["late_units"]}
    assert ids and not any(re.search(rf"(?<![a-z0-9-]){re.escape(i)}(?![a-z0-9-])", text) for i in ids)
    names = {r["unit_name"] for r in data["late_units"]}
    assert names and all(name in text for name in names)


def test_hostile_names_are_shown_inert_and_the_file_stays_readable(history_repo):
    made = _quarter(history_repo)
    made.by_region = [replace(row, region_name=HOSTILE) for row in made.by_region]
    made.late_units = [replace(row, unit_name=HOSTILE) for row in made.late_units]
    config = Config(document=replace(Document(), mark="红头\x07" + "名" * 80, recipients="各单位\u2066"))
    data = circular(made, config)
    document = _read(data)  # a character XML cannot hold would make this fail
    text = _all_text(document)
    assert inert(HOSTILE) in text and "\\u202e" in text and "\\ufffe" in text and "\\u0001" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u202e\u2066\ufffe]", text)
    mark = document.paragraphs[0]
    assert mark.text.startswith("红头\\u0007")
    scale = mark.runs[0]._r.rPr.find(qn("w:w"))  # narrowed to one line, never below a third
    assert scale is not None and 33 <= int(scale.get(qn("w:val"))) < 100


def test_the_same_report_gives_the_same_bytes(history_repo):
    made = _quarter(history_repo)
    assert circular(made, Config()) == circular(made, Config())


def test_report_command_writes_docx_and_needs_an_out_file(history_repo, tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "generator", "report", "--root", history_repo, "--period",
                               "month", "--date", "2022-11-01", *args], capture_output=True, text=True)

    refused = run("--format", "docx")
    assert refused.returncode == 2 and "docx 格式需要用 --out 指定文件" in refused.stderr
    out = tmp_path / "通报.docx"
    done = run("--format", "docx", "--out", str(out), "--number", "37")
    assert done.returncode == 0, done.stderr
    document = _read(out.read_bytes())
    assert next(p for p in document.paragraphs if p.style.name == "发文字号").text == "清欠办〔2022〕37号"
    figures = json.loads(run("--format", "json").stdout)["totals"]
    assert f"{grouped(round(float(figures['remaining']) * 100))}元" in _all_text(document)


@pytest.mark.parametrize(("days", "says"), [("0", "reply_days"), ("-3", "reply_days"), ("x", "无法读取设置")])
def test_a_reply_period_that_is_not_a_positive_number_is_refused(mini, days, says):
    from generator.core.config import ConfigError, load_config

    (mini / "qingqian.yaml").write_text(f"document:\n  reply_days: {days}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=says):
        load_config(mini)


def test_figures_and_dates_keep_to_one_line_and_the_signature_keeps_with_the_text(history_repo):
    document = _read(circular(_quarter(history_repo), Config()))
    language = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert (language.get(qn("w:val")), language.get(qn("w:eastAsia"))) == ("en-US", "zh-CN")  # figures not broken
    text_width = (210 - 28 - 26) / 25.4 * 1440
    for table in document.tables:
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(widths) - text_width) < len(widths) + 1  # the text block's width, to the twip
        for column, width in enumerate(widths):
            values = [row.cells[column].text for row in table.rows[1:]]
            if all(re.fullmatch(r"[0-9.,:%\- ]*|无", v) for v in values):  # figures, dates, times
                # as wide as the longest, at 0.64 of 10.5 pt a digit (a proportional fallback), plus the margins
                needed = max(len(v) for v in values) * 0.64 * 10.5 * 20 + 216
                assert width >= needed * 0.9, (table.rows[0].cells[column].text, width, needed)
    paragraphs = document.paragraphs
    organ = next(n for n, p in enumerate(paragraphs) if p.style.name == "署名")
    note = next(n for n, p in enumerate(paragraphs) if p.text.startswith("附件："))
    assert paragraphs[note - 2].text and all(p.paragraph_format.keep_with_next for p in paragraphs[note - 2:organ + 1])


@pytest.mark.parametrize(("header", "cells"), [
    (["序号", "单位", "金额"], [["1", "某单位", "1,234.56"]]),  # room for all
    (["单位", "金额", "利息"], [["某单位", "9" * 60, "9" * 60]]),  # figures wider than the page: they wrap
    (["一", "二", "三", "四", "五", "六", "七", "八"] * 6, [["文字"] * 48]),  # no figures, more floors than room
])
def test_column_widths_fill_the_text_block_whatever_the_values(header, cells):
    from generator.document.columns import column_widths

    total = 5_000_000
    widths = column_widths(header, cells, [1.0] * len(header), total, 10.5)
    assert len(widths) == len(header) and all(w > 0 for w in widths)
    assert total - len(header) <= sum(widths) <= total


def test_the_font_table_names_each_font_with_its_windows_substitute(history_repo):
    import zipfile

    data = circular(_quarter(history_repo), Config())
    document = _read(data)
    used = {style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for style in document.styles
            if style.element.rPr is not None and style.element.rPr.find(qn("w:rFonts")) is not None}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        table = docx.oxml.parse_xml(package.read("word/fontTable.xml"))
    listed = {font.get(qn("w:name")): font.find(qn("w:altName")).get(qn("w:val")) for font in table}
    assert used <= set(listed)  # every font the styles name, and no font they do not (the template's)
    assert listed == {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "黑体": "SimHei", "楷体_GB2312": "楷体",
                      "宋体": "SimSun"}
