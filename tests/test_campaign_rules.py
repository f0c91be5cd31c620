"""The campaign rules (core.derive) as validate, the frame and the change rules apply them."""

from datetime import date
from pathlib import Path

from generator.analysis.frame import items_frame
from generator.core.config import Campaign
from generator.validate.pipeline import validate_repo
from helpers import REPO, codes, edit, found, git

LEDGER = "ledgers/arrears/sl-jtj.yaml"
CLUES = "ledgers/clues/sl-zxqy.yaml"
SINCE = "2020年以来形成"


def frame_at(root: Path, day: date):
    report = validate_repo(root, jobs=1)
    frame = items_frame(report.records, Campaign(), day)
    return {row["id"]: row for row in frame.to_dict("records") if row["unit"] == "sl-jtj"}


def test_the_deadline_ends_at_2400_of_its_day(mini):
    # A001 (due 2021-12-31, since 2020) still owes 180,000.00; its deadline is 2022-11-30.
    assert not frame_at(mini, date(2022, 11, 29))["A001"]["deadline_missed"]
    assert frame_at(mini, date(2022, 11, 30))["A001"]["deadline_missed"]


def test_a_plan_entry_dated_on_the_cutoff_day_is_already_due(mini):
    rows = frame_at(mini, date(2022, 11, 30))
    assert rows["A001"]["plan_slipped"] and rows["A001"]["plan_shortfall"] == 18_000_000
    assert not frame_at(mini, date(2022, 11, 29))["A001"]["plan_slipped"]


def test_open_disputes_have_no_date_resolved_ones_take_theirs(mini):
    rows = frame_at(mini, date(2022, 12, 31))
    assert rows["A002"]["deadline_class"] == "有分歧" and not rows["A002"]["deadline_missed"]
    edit(mini, LEDGER, "state: 进行中}", "state: 已解决}")
    # resolved: undisputed again, so a plan is required (E306) and the pre-2020 date applies
    assert (LEDGER, 18, "E306") in found(mini)
    rows = frame_at(mini, date(2022, 12, 31))
    assert rows["A002"]["deadline_class"] == "2020年以前无分歧" and rows["A002"]["deadline_missed"]
    assert not frame_at(mini, date(2022, 12, 30))["A002"]["deadline_missed"]


def test_a_plan_past_the_deadline_warns_then_fails(mini):
    edit(mini, LEDGER, "{date: 2022-11-30, amount: 180000.00}", "{date: 2023-04-18, amount: 180000.00}")
    assert (LEDGER, 16, "W505") in found(mini)
    edit(mini, LEDGER, "as_of: 2022-10-31", "as_of: 2022-11-30")  # the deadline day itself
    issues = found(mini)
    assert (LEDGER, 16, "E320") in issues and (LEDGER, 16, "W505") not in issues
    assert frame_at(mini, date(2022, 11, 30))["A001"]["plan_late"]


def test_a_debt_due_after_the_campaign_start_is_new_arrears(mini):
    edit(mini, LEDGER, "    due: 2021-12-31", "    due: 2022-06-30")
    assert (LEDGER, 9, "W506") in found(mini)
    rows = frame_at(mini, date(2022, 10, 31))
    assert rows["A001"]["new_arrears"] and not rows["A003"]["new_arrears"]


def test_a_snapshot_counts_only_what_happened_by_then(mini):
    rows = frame_at(mini, date(2022, 7, 15))
    # A003's 2022-08-01 payment and its correction of 07-02 vs. the 07-15 snapshot
    assert rows["A003"]["repaid"] == 4_500_005 and rows["A003"]["payments_count"] == 1
    assert rows["A003"]["corrections_count"] == 1
    assert rows["A003"]["days_overdue"] == (date(2022, 7, 15) - date(2020, 12, 31)).days
    assert frame_at(mini, date(2022, 6, 30))["A003"]["corrections_count"] == 0
    # A001 is due 2021-12-31: at that date it is not arrears yet, the day after it is
    assert "A001" not in frame_at(mini, date(2021, 12, 31))
    assert "A001" in frame_at(mini, date(2022, 1, 1))


def test_days_overdue_are_counted_to_one_stated_date(mini):
    report = validate_repo(mini, jobs=1)
    frame = items_frame(report.records, Campaign())  # no date given: the newest ledger's
    newest = max(ledger.as_of for ledger in report.records.ledgers)
    row = frame[(frame["unit"] == "sl-jtj") & (frame["id"] == "A002")].iloc[0]
    assert row["days_overdue"] == (newest - date(2019, 6, 30)).days


def test_clues_accepted_name_the_unit_and_rejected_ones_need_no_verdict(mini):
    edit(mini, CLUES, "    reason: 债务人为民营企业，不属于清理范围\n    verdict: 不属实\n",
         "    reason: 债务人为民营企业，不属于清理范围\n")
    assert not {c for c in found(mini) if c[0] == CLUES}
    edit(mini, CLUES, "    transferred_to: sl-jtj\n", "")
    assert (CLUES, 9, "E319") in found(mini)


def test_an_accepted_clue_against_a_halted_unit_warns(mini):
    edit(mini, CLUES, "    respondent: sl-jtj\n    amount: 12000.00", "    respondent: sl-gt\n    amount: 12000.00")
    edit(mini, CLUES, "    accepted: false\n    reason: 债务人为民营企业，不属于清理范围\n",
         "    accepted: true\n    transferred_to: sl-gzw\n")
    assert (CLUES, 18, "W507") in found(mini)


def halt(root: Path, unit: str, day: str) -> None:
    edit(root, f"units/{unit}.yaml", "status: 正常", f"status: 停产\nhalted: {day}")


def test_a_halted_unit_keeps_its_ledger_out_of_the_totals(mini):
    halt(mini, "sl-jtj", "2022-10-01")
    assert not [c for c in found(mini) if c[2] == "E402"]
    assert frame_at(mini, date(2022, 10, 31)) == {}
    assert set(frame_at(mini, date(2022, 9, 30))) == {"A001", "A002", "A003"}  # before it halted
    edit(mini, "units/sl-jtj.yaml", "status: 停产", "status: 正常")
    assert ("units/sl-jtj.yaml", 9, "E318") in found(mini)


def test_disputed_and_category_change_only_with_a_correction(repo):
    edit(repo, LEDGER, "    category: 工程", "    category: 货物")
    assert (LEDGER, "E604") in codes(repo)
    edit(repo, LEDGER, "    notes: 分两期支付",
         "    corrections:\n      - {date: 2022-10-31, field: category, reason: 合同为采购合同}\n"
         "    notes: 分两期支付")
    assert codes(repo) == set()
    git(repo, "tag", "-f", "base")
    edit(repo, LEDGER, "    disputed: false\n    origin: 排查\n    payments:\n      - {date: 2022-06-15",
         "    disputed: true\n    dispute: {reason: 工程量有争议, path: 调解, state: 进行中}\n"
         "    origin: 排查\n    payments:\n      - {date: 2022-06-15")
    assert (LEDGER, "E604") in codes(repo)


def test_the_office_halts_a_unit_its_ledger_becomes_read_only(repo):
    halt(repo, "sl-jtj", "2022-11-01")
    assert codes(repo, actor="qqb-admin") == set()
    git(repo, "tag", "-f", "base")
    edit(repo, LEDGER, "as_of: 2022-10-31", "as_of: 2022-11-02")
    assert (LEDGER, "E610") in codes(repo, actor="qqb-admin")
    git(repo, "reset", "-q", "--hard", "base")
    (repo / LEDGER).unlink()
    for case in ("2022-001", "2022-002"):
        (repo / f"ledgers/cases/{case}.yaml").unlink()
    edit(repo, CLUES, "    item: sl-jtj/A003\n", "")
    edit(repo, CLUES, "    verdict: 无分歧", "    verdict: 核查中")
    assert (LEDGER, "E601") not in codes(repo, actor="qqb-admin")
    assert (LEDGER, "E601") in codes(repo, actor="jtj-bot", commit=False)


def test_the_rules_page_states_the_configured_defaults_and_real_codes():
    import re

    from generator.core.config import Supervision
    from generator.core.issues import CODES

    text = (REPO / "site_src/pages/office/guide/rules.md").read_text(encoding="utf-8")
    campaign, rule = Campaign(), Supervision()
    for day in (campaign.since_deadline, campaign.before_deadline, campaign.start, campaign.cutoff):
        assert day.isoformat() in text
    assert f"后 {rule.bottom_percent}%" in text and f"连续 {rule.slipped_periods} 个计划日期" in text
    codes = set(re.findall(r"\b[EW]\d{3}\b", text))
    assert codes and codes <= set(CODES)


def test_the_campaign_dates_bind_the_campaigns_debts_only(mini):
    # due in 2025 with its plan in 2026: judged by the standing rules, no campaign error or warning
    edit(mini, LEDGER, "    due: 2021-12-31", "    due: 2025-06-30")
    edit(mini, LEDGER, "{date: 2022-11-30, amount: 180000.00}", "{date: 2026-04-18, amount: 180000.00}")
    edit(mini, LEDGER, "as_of: 2022-10-31", "as_of: 2025-11-30")
    issues = {code for _path, _line, code in found(mini)}
    assert not issues & {"E320", "W505", "W506"}
    row = frame_at(mini, date(2025, 11, 30))["A001"]
    assert (row["deadline_class"], row["deadline"], row["deadline_missed"], row["new_arrears"], row["plan_late"]) == (
        "按条例", None, False, False, False)
