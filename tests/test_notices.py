"""The 督办函: one per supervised unit, its figures the site's, names not ids, hostile text inert."""

import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from generator.analysis.frame import items_frame
from generator.cli.main import main
from generator.core.config import Config, Document
from generator.core.money import grouped
from generator.document.layout import inert
from generator.document.notice import notice_document, notices
from generator.validate.pipeline import validate_repo
from helpers import AS_OF, build

MEASURES = ("measures:\n"
            "  - {id: M2022-001, date: 2022-09-05, unit: sl-jtj, kind: 约谈, basis: 第三季度清偿率排名末位}\n"
            "  - {id: M2022-002, date: 2022-11-20, unit: sl-jtj, kind: 重点督办, basis: 在督办函日期之后}\n")
HOSTILE = "恶意\x1b[31m\u202e单位\ufffe" + "名称很长" * 100


def _text(path_or_bytes) -> tuple[object, str]:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return document, "\n".join(parts)


def _notice(mini: Path):
    records = validate_repo(mini).records
    config = Config()
    frame = items_frame(records, config.campaign, date(2022, 10, 31))
    return notices(frame, records, config.supervision, date(2022, 10, 31)), frame


def test_a_notice_for_the_supervised_unit_states_its_debts_measures_and_reply_date(mini, tmp_path):
    (mini / "ledgers/measures.yaml").write_text(MEASURES, encoding="utf-8")
    out = tmp_path / "函.docx"
    assert main(["notice", "--root", str(mini), "--unit", "sl-jtj", "--date", "2022-10-31", "--out", str(out)]) == 0
    document, text = _text(out)
    paragraphs = document.paragraphs
    section = document.sections[0]  # the 信函格式: the organ's name heads the first page, 30 mm from its top
    assert section.different_first_page_header_footer and round(section.header_distance.mm) == 30
    [mark] = section.first_page_header.paragraphs
    assert mark.text == Document().organ and str(mark.style.font.color.rgb) == "FF0000"
    rules = [(p._p.pPr.find(f"{qn('w:pBdr')}/{qn(f'w:{side}')}"), kind) for p, side, kind in (
        (mark, "bottom", "thickThinSmallGap"), (section.first_page_footer.paragraphs[0], "top", "thinThickSmallGap"))]
    assert all(rule.get(qn("w:val")) == kind and rule.get(qn("w:color")) == "FF0000" for rule, kind in rules)
    assert section.first_page_footer.paragraphs[0].text == ""  # no page number on the first page
    number = paragraphs[0]
    assert number.text == "清欠办函〔2022〕1号" and number.alignment.name == "RIGHT"
    assert "印发" not in text  # a 信函's 版记 has no 印发 line
    assert next(p for p in paragraphs if p.style.name == "主送机关").text == "示例市交通运输局（示例）："
    [found], frame = _notice(mini)
    mine = frame[frame["unit"] == "sl-jtj"]
    assert f"尚未清偿{grouped(int(mine['remaining'].sum()))}元" in text
    assert f"共{len(mine)}笔" in text and "因清偿率居后列入约谈、督办名单" in text
    assert "2022年9月5日，约谈：第三季度清偿率排名末位。" in text
    assert "在督办函日期之后" not in text  # a measure after the letter's date is not yet taken
    assert "请于2022年11月15日前" in text  # 15 days, the default reply period
    table = document.tables[0]
    creditors = [row.cells[1].text for row in table.rows[1:]]
    assert creditors == [row["creditor_name"] for row in found.unpaid] and len(creditors) == 2
    assert [row.cells[4].text for row in table.rows[1:]] == [grouped(row["remaining"]) for row in found.unpaid]
    assert not re.search(r"\bsl-[a-z]+\b|M2022", text)  # names, never ids
    assert "抄送：示例市财政局（示例）。" in text  # the unit's supervising body


def test_all_writes_one_notice_per_supervised_unit(mini, tmp_path):
    out = tmp_path / "函"
    for _again in range(2):  # into a new folder, and into the same folder again
        assert main(["notice", "--root", str(mini), "--all", "--out", str(out)]) == 0
    [listed], _frame = _notice(mini)
    assert sorted(p.name for p in out.iterdir()) == [f"{listed.unit}.docx"]


@pytest.mark.parametrize(("args", "says"), [
    (["--unit", "nobody"], "未在 units/ 中登记"),
    (["--unit", "sl-zxqy"], "没有尚未清偿的欠款"),
    (["--all"], "--all 需要用 --out 指定输出目录"),
    (["--unit", "sl-jtj", "--out", "ledgers/x.docx"], "会覆盖台账数据"),
])
def test_refusals_are_usage_errors_in_chinese(mini, capsys, args, says):
    if "ledgers/x.docx" in args:
        args = [*args[:-1], str(mini / "ledgers/x.docx")]
    assert main(["notice", "--root", str(mini), *args]) == 2
    assert says in capsys.readouterr().err


def test_hostile_names_stay_inert(mini):
    [found], _frame = _notice(mini)
    hostile = replace(found, unit_name=HOSTILE, supervisor_name=HOSTILE,
                      unpaid=[{**row, "creditor_name": HOSTILE} for row in found.unpaid])
    settings = replace(Document(), organ="清欠办\u0000\u2067", reply_days=3)
    document, text = _text(notice_document(hostile, settings))
    assert inert(HOSTILE) in text and "\\u001b" in text and "\\u202e" in text and "\\u0000" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u202e\u2067\ufffe]", text)
    assert "请于2022年11月3日前" in text
    assert document.sections[0]._sectPr.find(qn("w:docGrid")) is not None


def test_the_office_site_offers_each_listed_units_notice(mini, tmp_path):
    site = build(mini, "office", tmp_path / "site")
    assert sorted(p.name for p in (site / "downloads/notices").iterdir()) == ["sl-jtj.docx"]
    out = tmp_path / "函.docx"
    assert main(["notice", "--root", str(mini), "--unit", "sl-jtj", "--date", str(AS_OF), "--out", str(out)]) == 0
    assert (site / "downloads/notices/sl-jtj.docx").read_bytes() == out.read_bytes()  # the command's bytes
    for name in ("supervision.html", "downloads.html"):
        assert 'href="downloads/notices/sl-jtj.docx"' in (site / name).read_text(encoding="utf-8"), name


def test_the_standing_rules_violations_are_stated_when_the_data_carries_them(mini):
    """The frame's `violations` (a tuple per debt, from the standing rules) reach the letter."""
    [found], _frame = _notice(mini)
    first, *rest = found.unpaid
    faulted = {**first, "violations": ("背靠背条款", "逾期未付"), "statutory_due": date(2022, 9, 1),
               "overdue_interest": 12345}
    judged = replace(found, unpaid=[faulted, *rest], violations=[faulted], interest=12345)
    _document, text = _text(notice_document(judged, Document()))
    assert "1笔不符合《保障中小企业款项支付条例》的规定（逾期未付、背靠背条款，明细见附件2）。" in text
    assert "逾期未付；背靠背条款" in text  # the debt's row in the attachment
    assert "应向中小企业支付逾期利息123.45元" in text and "依法修改合同中违反条例的约定（背靠背条款）" in text
    _document, plain = _text(notice_document(found, Document()))
    assert "条例" not in plain  # no finding, no sentence
