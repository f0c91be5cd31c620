"""The SOE workbook: the review table per group (考核) and the annual-report figures (年报), for
the 国资委 to circulate and the enterprises to copy from. Amounts are numbers in yuan, exact
to the fen; the same data gives the same bytes."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from ..analysis.soe import YearFigures
from ..core.money import percent_shown, yuan
from ..core.xlsx import FIXED_TIME, MONEY_FORMAT, literal, reproducible

REVIEW_HEADERS = ["集团", "企业编号", "企业", "笔数", "欠款金额（元）", "已还（元）", "未清偿（元）", "清偿率",
                  "新增拖欠笔数", "超过时限笔数", "计划逾期笔数", "回访不符笔数"]
ANNUAL_HEADERS = ["企业编号", "企业", "统一社会信用代码", "年度", "截至", "逾期未付笔数", "逾期未付金额（元）"]


def _money(fen: int) -> Decimal:
    return Decimal(yuan(fen))


def _write(sheet, rows: list[list], formats: dict[int, str]) -> None:
    """The rows from the sheet's first (counted here: openpyxl's max_row looks at every cell);
    `formats`: column number -> number format of its data cells (money, the shown rate)."""
    for row, values in enumerate(rows, 1):
        for number, value in enumerate(values, 1):
            cell = literal(sheet.cell(row, number, value))
            if row > 1 and number in formats:
                cell.number_format = formats[number]


def _review_values(group: str, row: dict) -> list:
    t = row["totals"]
    rate = t.rate
    return [group, row["unit"], row["label"], t.count, _money(t.amount), _money(t.repaid), _money(t.remaining),
            percent_shown(rate),
            row["new_arrears"], row["missed"], row["slipped"], row["discrepancies"]]


def soe_workbook(review: list[dict], annual: list[YearFigures]) -> bytes:
    workbook = Workbook()
    workbook.properties.created = FIXED_TIME
    sheet = workbook.worksheets[0]
    sheet.title = "考核表"
    _write(sheet, [REVIEW_HEADERS, *(_review_values(group["top"].name, row)
                                     for group in review for row in [*group["rows"], group["total"]])],
           {5: MONEY_FORMAT, 6: MONEY_FORMAT, 7: MONEY_FORMAT, 8: "0.0%"})
    sheet.freeze_panes = "A2"
    sheet = workbook.create_sheet("年报数据")
    _write(sheet, [ANNUAL_HEADERS, *([y.unit, y.unit_name, y.credit_code, y.year,
                                      y.year_end.isoformat() + ("" if y.complete else "（年度未结束）"), y.count,
                                      _money(y.amount)] for y in annual)], {7: MONEY_FORMAT})
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible(buffer.getvalue())
