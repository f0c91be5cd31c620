"""Money that did not arrive is not 清偿: what a follow-up check found not arrived (未到账, or the
part of 部分到账 beyond `received`) is 待核实, out of repaid, rates and 已清偿, in its own column,
until a later check finds it (已到账)."""

import re
from datetime import UTC, date, datetime

from test_movement import check

from generator.analysis import stats
from generator.analysis.frame import items_frame
from generator.core.config import Campaign, Config
from generator.core.gitrepo import Repo
from generator.core.money import grouped
from generator.history.period_report import build_report
from generator.history.progress import daily_cutoffs, overall, series
from generator.history.report_files import to_markdown
from generator.history.state import History
from generator.site.build import assemble
from generator.validate.pipeline import validate_repo
from helpers import LEDGER, commit, edit, found

LATER = datetime(2023, 6, 1, tzinfo=UTC)
NOTES = "    notes: 分两期支付\n"  # A001's last key: 380,000.00 owed, 200,000.00 paid 06-15, 80,000.00 on 11-01


def followed_up(repo, day: str, result: str, received: str | None = None) -> None:
    extra = f", received: {received}" if received else ""
    check_line = f"      - {{date: {day}, method: 电话回访, by: sl-czj, result: {result}{extra}}}\n"
    text = (repo / LEDGER).read_text(encoding="utf-8")
    if "    followups:\n" in text:
        edit(repo, LEDGER, "    followups:\n", "    followups:\n" + check_line)
    else:
        edit(repo, LEDGER, NOTES, "    followups:\n" + check_line + NOTES)


def test_the_part_not_received_is_held_until_a_later_check_finds_it(history_repo):
    history = History.read(history_repo)
    before = build_report(history, "day", date(2022, 11, 2), Config(), LATER)
    followed_up(history_repo, "2022-11-02", "部分到账", "200000.00")  # the 11-01 payment did not arrive
    commit(history_repo, "2022-11-02T10:00:00+08:00", "回访：部分到账")
    edit(history_repo, LEDGER, "as_of: 2022-11-02", "as_of: 2022-11-03")
    followed_up(history_repo, "2022-11-03", "已到账")
    commit(history_repo, "2022-11-03T10:00:00+08:00", "回访：已到账")
    history = History.read(history_repo)
    held = build_report(history, "day", date(2022, 11, 2), Config(), LATER)
    check(held, None)
    assert held.totals.unverified == 8_000_000 and held.totals.repaid == before.totals.repaid - 8_000_000
    assert held.totals.remaining == before.totals.remaining + 8_000_000
    assert held.totals.clearance_rate < before.totals.clearance_rate
    assert held.movement.repaid == 0 and held.movement.corrected == 8_000_000  # counted on 11-01, held now
    jtj = next(row for row in held.by_unit if row.unit == "sl-jtj")
    assert jtj.unverified == 8_000_000
    markdown = to_markdown(held)
    assert "待核实（元）" in markdown and "| 80,000.00 |" in markdown
    arrived = build_report(history, "day", date(2022, 11, 3), Config(), LATER)
    check(arrived, held)
    assert arrived.totals.unverified == 0 and arrived.totals.repaid == before.totals.repaid
    assert arrived.movement.repaid == 8_000_000  # found arrived: repaid in this period


def test_a_payment_not_arrived_is_not_settled_and_a_new_one_is_not_counted_twice(history_repo):
    edit(history_repo, LEDGER, "as_of: 2022-11-02", "as_of: 2022-11-03")
    edit(history_repo, LEDGER, "{date: 2022-11-30, amount: 100000.00}", "{date: 2022-11-30, amount: 0.01}")
    edit(history_repo, LEDGER, "      - {date: 2022-11-01, amount: 80000.00, method: 银行转账}\n",
         "      - {date: 2022-11-01, amount: 80000.00, method: 银行转账}\n"
         "      - {date: 2022-11-03, amount: 99999.99, method: 银行转账}\n")  # all but a fen: 已清偿 once arrived
    followed_up(history_repo, "2022-11-03", "未到账")
    commit(history_repo, "2022-11-03T10:00:00+08:00", "还款；回访：未到账")
    made = build_report(History.read(history_repo), "day", date(2022, 11, 3), Config(), LATER)
    check(made, None)
    assert made.totals.unverified == 37_999_999  # everything reported by the check
    assert made.movement.repaid == 0  # the new payment entered and was found missing at once


def test_money_an_earlier_check_found_arrived_is_not_held_by_a_later_one(history_repo):
    followed_up(history_repo, "2022-10-30", "已到账")  # the 200,000.00 of 06-15 arrived
    followed_up(history_repo, "2022-11-02", "未到账")  # the 80,000.00 of 11-01 did not
    commit(history_repo, "2022-11-02T10:00:00+08:00", "回访两次")
    made = build_report(History.read(history_repo), "day", date(2022, 11, 2), Config(), LATER)
    check(made, None)
    assert made.totals.unverified == 8_000_000


def test_received_is_checked(mini):
    followed_up(mini, "2022-10-30", "已到账", "1.00")
    assert any(code == "E332" for _path, _line, code in found(mini))
    edit(mini, LEDGER, "result: 已到账, received: 1.00", "result: 部分到账")
    assert any(code == "W532" for _path, _line, code in found(mini))
    edit(mini, LEDGER, "result: 部分到账", "result: 部分到账, received: 150000.00")
    assert not {code for _path, _line, code in found(mini)} & {"E332", "W532"}


def test_the_unit_page_shows_what_a_check_found_not_arrived(history_repo, tmp_path):
    """The unit page's debt table has the exports' 待核实 per debt, between 已还 and 剩余."""
    followed_up(history_repo, "2022-10-30", "已到账")  # the 200,000.00 of 06-15 arrived
    followed_up(history_repo, "2022-11-02", "未到账")  # the 80,000.00 of 11-01 did not
    commit(history_repo, "2022-11-02T10:00:00+08:00", "回访：未到账")
    records = validate_repo(history_repo).records
    assemble(records, Repo(history_repo), "office", tmp_path / "docs", date(2022, 11, 2))
    page = (tmp_path / "docs/units/sl-jtj.md").read_text(encoding="utf-8")
    heads = re.findall(r"<th[^>]*>([^<]+)</th>", page.split('<table data-rows="笔">')[1].split("</thead>")[0])
    assert heads[4:8] == ["欠款金额（元）", "已还（元）", "待核实（元）", "剩余（元）"]
    exported = {row["id"]: row["unverified"] for row in stats.records(items_frame(records, Campaign(),
                                                                                   date(2022, 11, 2)))
                if row["unit"] == "sl-jtj"}
    assert exported["A001"] == 8_000_000
    for debt_id, held in exported.items():
        row = re.search(rf'<tr id="debt-{debt_id}">(.*?)</tr>', page).group(1)
        cells = re.findall(r'<td class="num" data-sort="(\d+)">([^<]*)</td>', row)
        assert cells[:4][2] == (str(held), grouped(held)), debt_id
    a001 = re.search(r'<tr id="debt-A001">(.*?)</tr>', page).group(1)
    assert '<td class="num" data-sort="8000000">80,000.00</td>' in a001 and "部分清偿" in a001
    assert "待核实：单位报送已还" in page  # what the column means, said where it is not zero


def test_the_progress_series_leaves_out_what_did_not_arrive(history_repo):
    """进展 counts repaid as the reports and the site do: 待核实 is not repaid."""
    followed_up(history_repo, "2022-11-02", "未到账")  # the 280,000.00 reported by then
    commit(history_repo, "2022-11-02T10:00:00+08:00", "回访：未到账")
    history = History.read(history_repo)
    day = date(2022, 11, 2)
    made = build_report(history, "day", day, Config(), LATER)
    assert made.totals.unverified == 28_000_000
    last = overall(series(history, daily_cutoffs(day, day, Config()), cache=False)).iloc[-1]
    assert (int(last["repaid"]), int(last["remaining"])) == (made.totals.repaid, made.totals.remaining)


def test_the_unit_page_shows_what_a_partial_check_found_arrived(history_repo, tmp_path):
    followed_up(history_repo, "2022-11-02", "部分到账", "200000.00")  # of the 280,000.00 reported
    commit(history_repo, "2022-11-02T10:00:00+08:00", "回访：部分到账")
    assemble(validate_repo(history_repo).records, Repo(history_repo), "office", tmp_path / "docs", date(2022, 11, 2))
    page = (tmp_path / "docs/units/sl-jtj.md").read_text(encoding="utf-8")
    a001 = re.search(r'<tr id="debt-A001">(.*?)</tr>', page).group(1)
    assert '<td class="num" data-sort="8000000">80,000.00</td>' in a001  # 待核实: what did not arrive
    checks = page.split('id="回访核查"')[1]
    assert "已到账金额（元）" in checks and ">200,000.00</td>" in checks


def test_the_circular_says_what_is_held_and_what_the_count_leaves_out(history_repo):
    import io

    import docx

    from generator.document.circular import circular

    followed_up(history_repo, "2022-11-02", "未到账")
    commit(history_repo, "2022-11-02T10:00:00+08:00", "回访：未到账")
    made = build_report(History.read(history_repo), "day", date(2022, 11, 2), Config(), LATER)
    text = "".join(p.text for p in docx.Document(io.BytesIO(circular(made, Config()))).paragraphs)
    assert f"已清偿{grouped(made.totals.repaid)}元（另有{grouped(made.totals.unverified)}元经回访核查尚未到账" in text
    assert made.scope.ledger_items == made.totals.items + made.scope.halted + made.scope.not_due
    counted = f"共{made.totals.items}笔"
    assert counted + "、" in text or f"{counted}（台账中共{made.scope.ledger_items}笔" in text
