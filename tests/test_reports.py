"""Scheduling reports computed from real git histories with commits at chosen times."""

import dataclasses
import json
import subprocess
import sys
import typing
from datetime import date
from decimal import Decimal

import openpyxl

from generator.core.config import Config
from generator.history.period_report import build_report, cutoffs
from generator.history.progress import daily_cutoffs, overall, series
from generator.history.report_data import PeriodReport, RankedUnit, UnitRow
from generator.history.report_files import SECTIONS, to_json, to_markdown, to_xlsx
from generator.history.report_json import json_form, report_of
from generator.history.state import History
from helpers import LEDGER, commit, edit, report


def test_cutoffs_follow_the_schedule():
    config = Config()
    day, previous = cutoffs("day", date(2022, 11, 1), config)
    assert (day.isoformat(), previous.isoformat()) == ("2022-11-01T17:00:00+08:00", "2022-10-31T17:00:00+08:00")
    week, _ = cutoffs("week", date(2022, 11, 1), config)  # a Tuesday: its week's Thursday
    assert week.isoformat() == "2022-11-03T12:00:00+08:00"
    month, previous = cutoffs("month", date(2022, 11, 15), config)
    assert (month.isoformat(), previous.isoformat()) == ("2022-12-01T00:00:00+08:00", "2022-11-01T00:00:00+08:00")
    quarter, previous = cutoffs("quarter", date(2022, 11, 15), config)
    assert (quarter.isoformat(), previous.isoformat()) == ("2023-01-01T00:00:00+08:00", "2022-10-01T00:00:00+08:00")


def test_a_commit_at_1659_counts_today_and_1701_tomorrow(history_repo):
    today = report(history_repo, "day", date(2022, 11, 1))
    assert today["change"]["repaid"] == "80000.00"
    assert today["totals"]["items"] == 4 and today["new_arrears"] == []
    tomorrow = report(history_repo, "day", date(2022, 11, 2))
    assert tomorrow["totals"]["items"] == 5 and tomorrow["change"]["items"] == 1
    assert [(r["unit"], r["id"]) for r in tomorrow["new_arrears"]] == [("sl-jtj", "A004")]
    assert tomorrow["change"]["repaid"] == "0.00"


def test_totals_reconcile_with_a_direct_computation(history_repo):
    data = report(history_repo, "day", date(2022, 11, 2))
    # Direct: the YAML at HEAD, summed as decimals by hand.
    amounts = [Decimal("380000.00"), Decimal("50000.00"), Decimal("90000.10"), Decimal("66000.00"),
               Decimal("30000.00")]
    repaid = [Decimal("200000.00"), Decimal("80000.00"), Decimal("45000.05"), Decimal("45000.05")]
    assert data["totals"]["amount"] == f"{sum(amounts):.2f}"
    assert data["totals"]["repaid"] == f"{sum(repaid):.2f}"
    assert data["totals"]["remaining"] == f"{sum(amounts) - sum(repaid):.2f}"
    assert sum(Decimal(r["remaining"]) for r in data["by_unit"]) == sum(amounts) - sum(repaid)
    assert sum(Decimal(r["amount"]) for r in data["by_region"]) == sum(amounts)


def test_late_units_are_those_whose_ledger_did_not_change(history_repo):
    data = report(history_repo, "day", date(2022, 11, 1))
    # sl-czj did not update; sl, sl-gzw and sl-zxqy never submitted; sl-gt is 停产 (out of scope)
    assert [(u["unit"], u["reason"]) for u in data["late_units"]] == [
        ("sl", "从未报送台账"), ("sl-czj", "本期台账未更新"), ("sl-gzw", "从未报送台账"), ("sl-zxqy", "从未报送台账")]
    assert "主线" in data["late_rule"]
    first = report(history_repo, "day", date(2022, 10, 31))  # the day the ledgers were first committed
    assert [u["unit"] for u in first["late_units"]] == ["sl", "sl-gzw", "sl-zxqy"]


def test_before_the_first_commit_the_state_is_empty(history_repo):
    data = report(history_repo, "day", date(2022, 10, 30))
    assert data["commit"] is None and data["totals"]["items"] == 0


def test_quarter_adds_ranking_and_supervision_and_year_the_disclosure(history_repo):
    quarter = report(history_repo, "quarter", date(2022, 12, 1))
    assert [r["unit"] for r in quarter["ranking"]] == ["sl-jtj", "sl-czj"]
    # sl-jtj missed 2022-11-30; sl-czj's debt is under an open dispute (no date), but it has
    # repaid nothing: the bottom fifth of the two owing units by clearance rate.
    assert [(r["unit"], r["reasons"]) for r in quarter["supervision"]] == [
        ("sl-czj", "清偿率居后"), ("sl-jtj", "超过清偿时限")]
    assert [r["region_code"] for r in quarter["supervision_regions"]] == ["990100"]
    assert "后 20%" in quarter["supervision_rule"]
    groups = {g["group"]: g for g in quarter["groups"]}
    assert groups["sl-czj"]["remaining"] == "246000.00" and groups["sl-gzw"]["items"] == 0
    year = report(history_repo, "year", date(2022, 6, 1))
    rows = {r["unit"]: r for r in year["disclosure"]}
    # overdue and unpaid at 2022-12-31: A003 is paid, A001, A002 and A004 are not
    assert rows["sl-jtj"]["contracts"] == 3 and rows["sl-jtj"]["remaining"] == "216000.00"
    assert rows["sl-czj"]["contracts"] == 1 and rows["sl"]["unit_type"] == "县级政府"
    assert "creditor_name" not in rows["sl-jtj"]


def test_a_month_ending_on_the_deadline_lists_everything_still_unpaid(history_repo):
    month = report(history_repo, "month", date(2022, 11, 30))
    assert month["cutoff"] == "2022-12-01T00:00:00+08:00"
    assert [(r["id"], r["deadline"]) for r in month["deadline_missed"]] == [
        ("A001", "2022-11-30"), ("A004", "2022-11-30")]
    # the plan entry of 2022-11-30 (100,000.00 still owed) is due on the cut-off day itself
    assert [r["id"] for r in month["plan_slipped"]] == ["A001"]
    october = report(history_repo, "month", date(2022, 10, 31))
    assert october["deadline_missed"] == [] and october["plan_slipped"] == []


def test_cli_formats(history_repo, tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "generator", "report", "--root", history_repo, *args],
                              capture_output=True, text=True)

    data = json.loads(run("--period", "day", "--date", "2022-11-01", "--format", "json").stdout)
    assert data["cutoff"] == "2022-11-01T17:00:00+08:00"
    assert set(data["totals"]) >= {"items", "amount", "repaid", "remaining"}
    assert isinstance(data["totals"]["amount"], str) and Decimal(data["totals"]["amount"])
    markdown = run("--period", "week", "--date", "2022-11-01").stdout
    assert markdown.startswith("# 周报（截至 2022-11-03 12:00）") and "## 新增拖欠" in markdown
    out = tmp_path / "月调度.xlsx"
    assert run("--period", "month", "--date", "2022-11-01", "--format", "xlsx", "--out", out).returncode == 0
    book = openpyxl.load_workbook(out)
    assert "分单位" in book.sheetnames
    totals = {row[0].value: row[1] for row in book["总体"].iter_rows()}
    assert totals["欠款笔数"].value == 5 and totals["欠款金额（元）"].number_format == "#,##0.00"
    assert totals["清偿率"].number_format == "0.0%" and 0 < totals["清偿率"].value < 1
    units = book["分单位"]
    header = [c.value for c in units[1]]
    first = {label: cell for label, cell in zip(header, units[2], strict=True)}
    assert first["单位编号"].value == "sl-czj" and isinstance(first["笔数"].value, int)
    assert first["欠款（元）"].number_format == "#,##0.00" and first["欠款（元）"].value == 30000
    assert first["清偿率"].number_format == "0.0%"
    assert units.freeze_panes == "A2" and units.auto_filter.ref == f"A1:I{units.max_row}"
    assert units.column_dimensions["B"].width >= 8
    late = book["未按时报送"]
    column = [c.value for c in late[1]].index("台账日期")
    dates = [row[column] for row in late.iter_rows(min_row=2)]
    assert all(cell.is_date or cell.value is None for cell in dates)
    missing = run("--period", "month", "--date", "2022-11-01", "--format", "xlsx")
    assert missing.returncode == 2 and "--out" in missing.stderr


def test_progress_series_matches_the_daily_reports(history_repo):
    config = Config()
    frame = overall(series(History.read(history_repo), daily_cutoffs(date(2022, 10, 30), date(2022, 11, 2), config)))
    # Nothing before the first commit (31 October 09:00), so the series starts on 31 October.
    assert [c.day for c in frame["cutoff"]] == [31, 1, 2] and list(frame["items"]) == [4, 4, 5]
    for day, remaining in zip([date(2022, 11, 1), date(2022, 11, 2)], frame["remaining"][1:], strict=True):
        assert report(history_repo, "day", day)["totals"]["remaining"] == f"{Decimal(int(remaining)) / 100:.2f}"


def test_trees_read_from_differences_match_full_listings(history_repo):
    (history_repo / LEDGER).unlink()  # a deletion among the differences too
    for path in ("ledgers/cases/2022-001.yaml", "ledgers/cases/2022-002.yaml"):
        (history_repo / path).unlink()
    commit(history_repo, "2022-11-03T10:00:00+08:00", "删除")
    walking = History.read(history_repo)
    for _when, sha in walking.commits:
        assert walking.tree(sha) == History.read(history_repo).tree(sha)  # a fresh History lists in full
    assert LEDGER not in walking.tree(walking.commits[-1][1])


def test_carried_sums_equal_sums_from_scratch(history_repo):
    edit(history_repo, "units/sl-jtj.yaml", 'region: {code: "990100", name: 示例市}',
         'region: {code: "990102", name: 示例区}')  # a unit moves: sums are rebuilt
    commit(history_repo, "2022-11-03T10:00:00+08:00", "调整区划")
    (history_repo / "ledgers/arrears/sl-czj.yaml").unlink()
    commit(history_repo, "2022-11-04T10:00:00+08:00", "删除台账")
    cutoffs = daily_cutoffs(date(2022, 10, 31), date(2022, 11, 5), Config())
    carried = series(History.read(history_repo), cutoffs, cache=False)
    for cutoff in cutoffs:
        alone = series(History.read(history_repo), [cutoff], cache=False)
        assert carried[carried["cutoff"] == cutoff].reset_index(drop=True).equals(alone), cutoff
    assert set(carried[carried["cutoff"] == cutoffs[-1]]["region_code"]) == {"990102"}


def test_the_json_form_reads_back_into_the_same_report(history_repo):
    # the site caches a report in its JSON form and renders its page from what it reads back
    history = History.read(history_repo)
    for period, day in (("day", date(2022, 11, 1)), ("quarter", date(2022, 12, 1)), ("year", date(2022, 6, 1))):
        made = build_report(history, period, day, Config())
        again = report_of(json.loads(to_json(made)))
        assert to_json(again) == to_json(made) and to_markdown(again) == to_markdown(made)
        assert to_xlsx(again) == to_xlsx(made)
        assert isinstance(again.totals.repaid, int) and again.totals.repaid == made.totals.repaid


def test_every_column_an_output_shows_is_a_field_of_its_rows():
    # report_files names columns by field: a misspelt one would fail only on a report with rows
    hints = typing.get_type_hints(PeriodReport)
    for key, _heading, columns in SECTIONS:
        hint = hints[key]
        if type(None) in typing.get_args(hint):  # a section only some periods have
            hint = typing.get_args(hint)[0]
        (row_type,) = typing.get_args(hint)
        fields = {f.name for f in dataclasses.fields(row_type)}
        if row_type is RankedUnit:
            fields |= {f.name for f in dataclasses.fields(UnitRow)}
        assert {column.split(".")[0] for column, _label in columns} <= fields, key


def test_clue_and_case_lists_name_the_unit_a_reader_knows(history_repo):
    """Clues and cases name units by id in the data; the report gives the registered name too."""
    built = build_report(History.read(history_repo), "year", date(2022, 11, 2), Config())
    markdown = to_markdown(built)
    data = json_form(built)
    assert [(c["respondent"], c["respondent_name"]) for c in data["clues_opened"]] == [
        ("sl-jtj", "示例市交通运输局（示例）")] * 2
    assert [(c["unit"], c["unit_name"]) for c in data["cases_published"]] == [("sl-jtj", "示例市交通运输局（示例）")]
    opened = markdown.split("## 新收投诉线索", 1)[1].split("\n## ", 1)[0]
    # the name where people read; the id only in the JSON
    assert "被投诉单位编号" not in opened and "sl-jtj" not in opened and opened.count("示例市交通运输局（示例）") == 2
