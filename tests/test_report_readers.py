"""What a reader reads: a unit that never reported is 未报送, never zeros; the checkers of
follow-ups by name; workbook counts are numbers, money numbers in （元） columns, rates percent cells."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl

from generator.core.config import Config
from generator.history.period_report import build_report
from generator.history.report_files import to_markdown, to_xlsx
from generator.history.report_json import json_form
from generator.history.state import History
from helpers import LEDGER, commit, edit

LATER = datetime(2023, 6, 1, tzinfo=UTC)
COUNT_HEADERS = {"笔数", "欠款笔数", "名次", "单位数", "未报送单位数", "超时限单位数", "计划逾期单位数", "超时限笔数",
                 "计划连续逾期期数", "逾期未支付合同数"}


def test_a_unit_that_never_reported_is_unreported_in_the_disclosure(history_repo):
    made = build_report(History.read(history_repo), "year", date(2022, 1, 1), Config(), LATER)
    rows = {row["unit"]: row for row in json_form(made)["disclosure"]}
    assert rows["sl"]["reported"] is False and rows["sl"]["contracts"] is None and rows["sl"]["remaining"] is None
    assert rows["sl-jtj"]["reported"] is True and rows["sl-jtj"]["contracts"] == 3
    assert rows["sl-czj"]["reported"] is True and rows["sl-czj"]["remaining"] == "30000.00"
    assert "| 示例市人民政府（示例） | 县级政府 | 未报送 | 未报送 | 未报送 |" in to_markdown(made)
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(made, "disclosure"))).worksheets[0]
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["sl"][3:] == ("未报送", None, None) and values["sl-jtj"][3] == "已报送"


def test_unit_lists_say_unreported_instead_of_zeros(mini_office):
    region = (mini_office / "ledgers/990100.html").read_text(encoding="utf-8")
    government = next(row for row in region.split("<tr>") if "示例市人民政府（示例）" in row and "未报送" in row)
    assert "0.00" not in government


def test_the_checker_of_a_follow_up_is_named(history_repo, tmp_path):
    edit(history_repo, LEDGER, "    notes: 分两期支付\n",
         "    followups:\n      - {date: 2022-11-02, method: 电话回访, by: sl-czj, result: 已到账}\n"
         "    notes: 分两期支付\n")
    commit(history_repo, "2022-11-02T10:00:00+08:00", "回访")
    from generator.analysis.frame import items_frame
    state = History.read(history_repo).state(datetime(2022, 11, 3, tzinfo=UTC))
    frame = items_frame(state.records, Config().campaign, date(2022, 11, 2))
    row = frame[frame["id"] == "A001"].iloc[0]
    assert row["last_followup_by"] == "sl-czj" and row["last_followup_by_name"] == "示例市财政局（示例）"


def test_report_workbooks_have_numbers_where_excel_users_expect(history_repo):
    made = build_report(History.read(history_repo), "quarter", date(2022, 11, 2), Config(), LATER)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(made)))
    money = rates = counts = 0
    for sheet in book.worksheets[1:]:
        header = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for label, cell in zip(header, row, strict=True):
                if cell.value is None:
                    continue
                if "元" in label:
                    assert isinstance(cell.value, (int, float, Decimal)) and cell.number_format == "#,##0.00", label
                    money += 1
                elif label == "清偿率":
                    assert isinstance(cell.value, (int, float)) and cell.number_format == "0.0%"
                    rates += 1
                elif label in COUNT_HEADERS:
                    assert isinstance(cell.value, int) and not isinstance(cell.value, bool), (sheet.title, label)
                    counts += 1
        for label in header:  # money always says its unit
            assert label not in {"欠款", "已还", "剩余", "金额", "本期还款", "期初剩余", "期末剩余", "移出"}, label
    assert money and rates and counts
