"""The standing rules in every output: the derived fields in the CSV, XLSX and JSON exports, the
clues with their clocks (`export --table clues`), the unit page, the office's 条例执行 page and
the late clues on the 督办 page."""

import csv
import json
import subprocess
import sys
from datetime import date

import openpyxl

from helpers import REPO, build, edit

LEDGER = "ledgers/arrears/sl-jtj.yaml"
CLUES = "ledgers/clues/sl-zxqy.yaml"
# A001 (机关, signed 2021-03-01 under 728号, 380,000.00 with 200,000.00 paid 2022-06-15, as_of 2022-10-31):
# acceptance due 06-16 but passed 06-20 (拖延验收), so the clock starts 06-16; 45 days end on Saturday
# 07-31, moved to Monday 08-02. The agreed 3.10% is below the LPR of 2021-03-01 (3.85%), which applies:
# (38,000,000 fen × 316 days [2021-08-03..2022-06-14] + 18,000,000 × 139 [06-15..10-31]) × 3.85% / 360
# = 1,551,763.89 fen -> 15,517.64 yuan.
TERMS = ("    origin: 排查\n    payments:\n      - {date: 2022-06-15",
         "    origin: 排查\n    delivered: 2021-06-01\n    acceptance: {within: 15, passed: 2021-06-20}\n"
         "    pay_within: 45\n    interest_rate: 3.10\n    conditions: [背靠背]\n"
         "    payments:\n      - {date: 2022-06-15")


def qingqian(*args):
    result = subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=REPO, capture_output=True,
                            text=True)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result


def test_every_export_carries_the_derived_fields(mini, tmp_path):
    edit(mini, LEDGER, *TERMS)
    for fmt in ("csv", "json", "xlsx"):
        qingqian("export", "--root", mini, "--format", fmt, "--out", tmp_path / f"a.{fmt}")
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {r["欠款编号"]: r for r in csv.DictReader(handle)}
    a001 = rows["A001"]
    assert (a001["交付日"], a001["验收合格日"], a001["约定付款期限（日）"], a001["付款条件"], a001["适用条例"]) == (
        "2021-06-01", "2021-06-20", "45", "背靠背", "国务院令第728号")
    assert (a001["付款期限起算日"], a001["条例付款期限"], a001["逾期利息（元）"]) == (
        "2021-06-16", "2021-08-02", "15517.64")
    assert a001["违规情形"] == "逾期未付；拖延验收；背靠背条款；约定利率低于LPR"
    assert rows["A002"]["违规情形"] == "" and rows["A002"]["逾期利息（元）"] == "0.00" and rows["A002"]["交付日"] == ""
    records = {r["id"]: r for r in json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))}
    assert (records["A001"]["clock_start"], records["A001"]["statutory_due"], records["A001"]["overdue_interest"],
            records["A001"]["violations"]) == ("2021-06-16", "2021-08-02", "15517.64",
                                               "逾期未付；拖延验收；背靠背条款；约定利率低于LPR")
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    header = [c.value for c in sheet[1]]
    cells = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert cells["A001"][header.index("逾期利息（元）")].value == 15517.64
    assert cells["A001"][header.index("条例付款期限")].is_date
    assert cells["A001"][header.index("违规情形")].value == "逾期未付；拖延验收；背靠背条款；约定利率低于LPR"
    assert cells["A001"][header.index("约定付款期限（日）")].value == 45


def test_the_clues_export_with_their_clocks(mini, tmp_path):
    # a clue of the standing era: received Friday 2025-09-26, forwarded after its 10 working days
    edit(mini, CLUES, "clues:\n", "clues:\n  - id: TS2025-001\n    received: 2025-09-26\n    source: 企业投诉\n"
         "    complainant: {name: 示例某建材有限公司, credit_code: 91990100MA00000073}\n    respondent: sl-jtj\n"
         "    amount: 1000.00\n    accepted: true\n    transferred_to: sl-jtj\n    verdict: 核查中\n"
         "    forwarded: 2025-10-17\n")
    for fmt in ("csv", "json", "xlsx"):
        qingqian("export", "--root", mini, "--table", "clues", "--format", fmt, "--out", tmp_path / f"c.{fmt}",
                 "--as-of", "2025-11-01")  # forwarded late, the result not yet due
    with open(tmp_path / "c.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {r["线索编号"]: r for r in csv.DictReader(handle)}
    assert list(next(iter(rows.values())))[:2] == ["受理单位编号", "线索编号"]
    new = rows["TS2025-001"]
    assert (new["应转交日期"], new["转交日"], new["超时情形"]) == ("2025-10-16", "2025-10-17", "转交超时")
    assert new["应办结日期"] == "2025-11-17"  # 30 days from the forwarding: 11-16 is a Sunday
    assert rows["TS2022-001"]["超时情形"] == "" and rows["TS2022-001"]["应转交日期"] == ""  # before 802号
    records = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == list(rows)
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx").active
    assert [c.value for c in sheet[1]][:2] == ["受理单位编号", "线索编号"] and sheet.max_row == len(rows) + 1


def test_the_pages_show_the_rules(mini, tmp_path):
    edit(mini, LEDGER, *TERMS)
    out = build(mini, "office", tmp_path / "site")  # as of 2022-11-01: one day more on 180,000.00 (19.25)
    unit = (out / "units" / "sl-jtj.html").read_text(encoding="utf-8")
    assert "条例付款期限" in unit and "2021-08-02" in unit and "15,536.89" in unit
    assert "逾期未付；拖延验收；背靠背条款；约定利率低于LPR" in unit
    page = (out / "violations.html").read_text(encoding="utf-8")
    for word in ("逾期未付", "拖延验收", "背靠背条款", "约定利率低于LPR", "15,536.89"):
        assert word in page
    assert "投诉办理超时" in (out / "supervision.html").read_text(encoding="utf-8")


def test_the_supervision_page_lists_the_complaints_past_their_clocks(mini, tmp_path):
    edit(mini, CLUES, "clues:\n", "clues:\n  - id: TS2025-001\n    received: 2025-09-26\n    source: 企业投诉\n"
         "    complainant: {name: 示例某建材有限公司, credit_code: 91990100MA00000073}\n    respondent: sl-jtj\n"
         "    amount: 1000.00\n    accepted: true\n    transferred_to: sl-jtj\n    verdict: 核查中\n"
         "    forwarded: 2025-10-17\n")
    out = build(mini, "office", tmp_path / "site", as_of=date(2025, 11, 1))
    page = (out / "supervision.html").read_text(encoding="utf-8")
    section = page[page.index("投诉办理超时"):]
    assert "TS2025-001" in section and "转交超时" in section and "2025-10-16" in section
