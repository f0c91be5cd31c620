"""A report the office can sign: one rate shown the same everywhere, rounded once half-up
(四舍五入), and a period not over when the report was made says so (未截止, `final` false)."""

import io
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest

from generator.core.config import Config
from generator.core.money import percent, percent_shown
from generator.history.period_report import build_report
from generator.history.report_files import title, to_markdown, to_xlsx
from generator.history.report_json import json_form
from generator.history.state import History
from generator.site.render import percent as site_percent
from helpers import commit, edit

CZJ = "ledgers/arrears/sl-czj.yaml"
LATER = datetime(2023, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(("rate", "shown"), [
    (Fraction(49, 400), "12.3%"),  # 12.25% exactly: half-up, where half-even gives 12.2%
    (Fraction(1224999, 10_000_000), "12.2%"),  # 0.1224999: its four decimals (0.1225) must not round again
    (Fraction(1, 3), "33.3%"), (Fraction(2, 3), "66.7%"), (Fraction(1), "100.0%"), (Fraction(0), "0.0%"),
    (None, "—"),
])
def test_one_function_rounds_a_rate_once(rate, shown):
    assert percent(rate) == shown == str(site_percent(rate))


def paid(repo, amount: str) -> None:
    """sl-czj's only debt, 40,000.00 owed, `amount` paid on 11-02."""
    edit(repo, CZJ, "as_of: 2022-10-31", "as_of: 2022-11-02")
    edit(repo, CZJ, "contract: {number: CZ-1, signed: 2021-01-05, amount: 30000.00}",
         "contract: {number: CZ-1, signed: 2021-01-05, amount: 40000.00}")
    edit(repo, CZJ, "    amount: 30000.00\n", "    amount: 40000.00\n    payments:\n"
         f"      - {{date: 2022-11-02, amount: {amount}, method: 银行转账}}\n")
    commit(repo, "2022-11-02T10:00:00+08:00", "还款")


@pytest.mark.parametrize(("amount", "shown", "kept"), [("4900.00", "12.3%", "0.1225"), ("4899.99", "12.2%", "0.1225")])
def test_a_boundary_rate_shows_the_same_digit_in_every_output(history_repo, amount, shown, kept):
    paid(history_repo, amount)
    made = build_report(History.read(history_repo), "day", date(2022, 11, 2), Config(), LATER)
    row = next(row for row in made.by_unit if row.unit == "sl-czj")
    assert json_form(made)["by_unit"][[r.unit for r in made.by_unit].index("sl-czj")]["clearance_rate"] == kept
    grouped = f"{amount[0]},{amount[1:]}"
    remaining = f"{40000 - Decimal(amount):,}"
    line = f"| 示例市财政局（示例） | 1 | 40,000.00 | {grouped} | 0.00 | {remaining} | {shown} | {grouped} |"
    assert line in to_markdown(made)
    assert str(site_percent(row.clearance_rate)) == shown
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(made)))
    sheet = book["分单位"]
    header = [cell.value for cell in sheet[1]]
    cell = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "sl-czj")[header.index("清偿率")]
    assert cell.number_format == "0.0%" and f"{Decimal(str(cell.value)) * 100:.1f}%" == shown
    assert Decimal(str(cell.value)) == percent_shown(row.clearance_rate)


def test_a_period_not_over_when_the_report_is_made_is_not_final(history_repo, tmp_path):
    history = History.read(history_repo)
    during = datetime(2022, 11, 15, 12, 0, tzinfo=UTC)
    for period, day, final in (("month", date(2022, 10, 1), True), ("month", date(2022, 11, 1), False),
                               ("quarter", date(2022, 11, 1), False), ("year", date(2022, 1, 1), False),
                               ("day", date(2022, 11, 2), True), ("week", date(2022, 11, 20), False)):
        made = build_report(history, period, day, Config(), during)
        data = json_form(made)
        assert made.final is final and data["final"] is final, (period, day)
        assert ("未截止（数据截至 2022-11-15 20:00" in title(made)) is not final
        assert (data["data_until"] == "") is final
        assert build_report(history, period, day, Config(), LATER).final  # the same period, later
    def run(*args):
        return subprocess.run([sys.executable, "-m", "generator", "report", "--root", history_repo, "--period",
                               "month", "--date", "2022-11-01", *args], capture_output=True, text=True)
    assert run("--now", "2022-11-15T20:00:00+08:00").stdout.startswith("# 月调度·未截止（数据截至 2022-11-15 20:00，")
    assert run("--now", "2022-12-01T00:00:00+08:00").stdout.startswith("# 月调度（截至 2022-12-01 00:00）")
    assert run().stdout.startswith("# 月调度（截至 2022-12-01 00:00）")  # the clock: long over
