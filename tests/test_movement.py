"""Flows from events, stocks from states: 期末 = 期初 + 新增 − 还款 + 更正 − 移出, to the fen,
for every period of the demo history (a unit halts on 2022-10-07) and a unit halting mid-period."""

from datetime import UTC, date, datetime, timedelta

import pytest
from test_demo_history import synth_history

from generator.core.config import Config, load_config
from generator.history.period_report import build_report
from generator.history.report_data import Movement, PeriodReport
from generator.history.report_files import to_markdown
from generator.history.state import History
from helpers import LEDGER, commit, edit, report

MADE = datetime(2023, 6, 1, tzinfo=UTC)  # after every period of the histories here


def balanced(moved: Movement) -> bool:
    return moved.closing == moved.opening + moved.added - moved.repaid + moved.corrected - moved.left_scope


def check(made: PeriodReport, previous: PeriodReport | None) -> None:
    """The identity overall, per region and per unit; the rows add up to the whole; the stocks
    are the totals; repayments are never negative; and the period starts where the last ended."""
    moved = made.movement
    assert balanced(moved), made.cutoff
    assert moved.closing == made.totals.remaining and moved.repaid >= 0 and moved.added >= 0
    assert moved.left_scope >= 0 and made.change.repaid == moved.repaid
    assert made.scope.halted >= 0 and made.scope.not_due >= 0  # the ledgers' count, explained
    for rows in (made.by_region, made.by_unit):
        assert all(balanced(row.movement) and row.movement.repaid >= 0 for row in rows), made.cutoff
        for name in ("opening", "added", "repaid", "corrected", "left_scope", "closing"):
            assert sum(getattr(row.movement, name) for row in rows) == getattr(moved, name), (made.cutoff, name)
    if previous is not None:
        assert moved.opening == previous.totals.remaining, made.cutoff


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "repo"
    synth_history(out)
    return out


def test_every_period_of_the_demo_history_balances(demo):
    history, config = History.read(demo), load_config(demo)
    months = [date(2022, m, 1) for m in range(5, 13)]
    for period, days in (("month", months), ("quarter", [date(2022, 4, 1), date(2022, 7, 1), date(2022, 10, 1)]),
                         ("year", [date(2022, 1, 1)]),
                         ("week", [date(2022, 5, 26) + timedelta(days=7 * n) for n in range(26)]),
                         ("day", [date(2022, 10, 1) + timedelta(days=n) for n in range(15)])):
        previous = None
        for day in days:
            made = build_report(history, period, day, config, MADE)
            check(made, previous)
            previous = made


def test_the_october_report_moves_the_halted_unit_out_and_repays_only_payments(demo):
    october = build_report(History.read(demo), "month", date(2022, 10, 1), load_config(demo), MADE)
    halted = next(row for row in october.by_unit if row.unit == "yl-kfq-tz")
    assert halted.movement.left_scope == halted.movement.opening > 0 and halted.movement.repaid == 0
    assert halted.remaining == 0 and halted.movement.closing == 0
    assert {d.reason for d in october.removed_debts if d.unit == "yl-kfq-tz"} == {"停产（2022-10-07起）"}
    assert all(row.movement.repaid >= 0 for row in october.by_region)
    markdown = to_markdown(october)
    # the validation summary counts 520 debts, the report 514: said where the reader sees both
    assert "台账中共有 520 笔欠款，本报告计入 514 笔（停产单位的 6 笔不计入）。" in markdown
    assert "## 剩余欠款变动" in markdown and "## 本期移出的欠款（停产、删除）" in markdown
    assert "-" not in markdown.split("## 分地区")[1].split("## 剩余欠款变动（分地区）")[0].replace("|---", "")


HALT = """status: 停产
halted: 2022-11-02
"""


def test_a_unit_halting_mid_period_leaves_scope_without_a_negative_repayment(history_repo):
    """sl-czj stops production on 11-02 and pays 50,000.00 the same day on another debt's unit:
    the day's and the month's reports move its debt out (移出) and counts only the payment as 本期还款."""
    unit = history_repo / "units/sl-czj.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("status: 正常\n", HALT), encoding="utf-8")
    edit(history_repo, LEDGER, "as_of: 2022-11-02", "as_of: 2022-11-03")
    edit(history_repo, LEDGER, "      - {date: 2022-11-01, amount: 80000.00, method: 银行转账}\n",
         "      - {date: 2022-11-01, amount: 80000.00, method: 银行转账}\n"
         "      - {date: 2022-11-02, amount: 50000.00, method: 银行转账}\n")
    commit(history_repo, "2022-11-02T10:00:00+08:00", "财政局停产；还款")
    history = History.read(history_repo)
    # the month also has 11-01's 80,000.00; the week began before the first commit
    for period, repaid in (("day", 5_000_000), ("month", 13_000_000)):
        made = build_report(history, period, date(2022, 11, 2), Config(), MADE)
        check(made, None)
        assert made.movement.repaid == repaid and made.movement.left_scope == 3_000_000, period
        czj = next(row for row in made.by_unit if row.unit == "sl-czj")
        assert czj.movement.left_scope == czj.movement.opening == 3_000_000 and czj.movement.repaid == 0
    data = report(history_repo, "day", date(2022, 11, 2))  # A004 came in at 17:01 on 11-01
    assert data["movement"] == {"opening": data["movement"]["opening"], "added": "66000.00", "repaid": "50000.00",
                                "corrected": "0.00", "left_scope": "30000.00",
                                "closing": data["totals"]["remaining"]}


def test_a_corrected_amount_is_its_own_line(history_repo):
    edit(history_repo, LEDGER, "as_of: 2022-11-02", "as_of: 2022-11-03")
    edit(history_repo, LEDGER, "amount: 380000.00", "amount: 370000.00")
    commit(history_repo, "2022-11-03T10:00:00+08:00", "更正金额")
    made = build_report(History.read(history_repo), "day", date(2022, 11, 3), Config(), MADE)
    check(made, None)
    assert made.movement.corrected == -1_000_000 and made.movement.repaid == 0
