"""Data a hostile unit could write that used to pass validation and break or falsify the
sites: each is refused at its file, line and column, never with a traceback."""

from datetime import date, timedelta

import pytest

from generator.core.scalars import today
from generator.validate.pipeline import check_one, validate_repo
from generator.validate.result_cache import ResultCache
from helpers import build, commit, edit, found, git

LEDGER = "ledgers/arrears/sl-jtj.yaml"
CASE = "ledgers/cases/2022-001.yaml"
DRAFT = "ledgers/cases/2022-002.yaml"
CLUES = "ledgers/clues/sl-zxqy.yaml"
NOTES = "    notes: 分两期支付"

CASES = [
    # control characters written as YAML escapes, and invisible or direction-changing characters
    (LEDGER, NOTES, '    notes: "甲\\a乙"', (LEDGER, 17, "E108")),
    (LEDGER, NOTES, '    notes: "\\0"', (LEDGER, 17, "E108")),
    (LEDGER, NOTES, '    notes: "\\e[31m红"', (LEDGER, 17, "E108")),
    (LEDGER, NOTES, '    notes: "a\\x85b"', (LEDGER, 17, "E108")),
    (LEDGER, "name: 示例某建材有限公司", 'name: "示例某\\u202e司公限有"', (LEDGER, 6, "E108")),
    (LEDGER, "name: 示例某建材有限公司", "name: 示例某\u2066建材有限公司", (LEDGER, 6, "E108")),
    (LEDGER, NOTES, '    notes: "分两期\\U000E0041支付"', (LEDGER, 17, "E108")),
    (LEDGER, NOTES, '    notes: "分两期\\u2028支付"', (LEDGER, 17, "E108")),
    (LEDGER, NOTES, '    notes: "\\u3164"', (LEDGER, 17, "E108")),
    (LEDGER, NOTES, '    notes: "a\\ufe0fb"', (LEDGER, 17, "E108")),
    (LEDGER, NOTES, '    notes: "a\\uffffb"', (LEDGER, 17, "E108")),
    (LEDGER, NOTES, "    notes: 分两期\u061c支付", (LEDGER, 17, "E108")),
    (LEDGER, NOTES, "    notes: 分两期\u034f支付", (LEDGER, 17, "E108")),
    (LEDGER, NOTES, "    notes: 分两期\u115f支付", (LEDGER, 17, "E108")),
    (LEDGER, NOTES, '    "notes\\u200b": 分两期支付', (LEDGER, 17, "E108")),
    # raw control bytes
    (LEDGER, NOTES, "    notes: 分两期\x01支付", (LEDGER, 17, "E108")),
    (LEDGER, NOTES, "    notes: 分两期\x00支付", (LEDGER, 17, "E108")),
    (LEDGER, NOTES, "    notes: 分两期\x7f支付", (LEDGER, 17, "E108")),
    (LEDGER, NOTES, "    notes: 分两期\x9b支付", (LEDGER, 17, "E108")),
    # money beyond any real debt, zero amounts, octal-looking numbers
    (LEDGER, "    amount: 380000.00", "    amount: 9223372036854775.81", (LEDGER, 10, "E214")),
    (LEDGER, "amount: 1250000.00", "amount: 1000000000000.01", (LEDGER, 8, "E214")),
    (LEDGER, "    amount: 50000.00\n", "    amount: 0.00\n", (LEDGER, 23, "E215")),
    (LEDGER, "{date: 2022-06-15, amount: 200000.00", "{date: 2022-06-15, amount: 0", (LEDGER, 14, "E215")),
    (LEDGER, "    amount: 380000.00", "    amount: 0012", (LEDGER, 10, "E205")),
    # blank required text
    (LEDGER, "name: 示例某建材有限公司", 'name: "  "', (LEDGER, 6, "E213")),
    (LEDGER, "number: JT-2019-003", 'number: ""', (LEDGER, 21, "E213")),
    (LEDGER, "reason: 合同结算审计调减", 'reason: "\u3000"', (LEDGER, 40, "E213")),
    # tags on mappings, sequences and keys
    (LEDGER, "creditor: {name: 示例某建材", "creditor: !!python/object:os.system {name: 示例某建材",
     (LEDGER, 6, "E103")),
    (LEDGER, "    payments:\n      - {date: 2022-06-15", "    payments: !!set\n      - {date: 2022-06-15",
     (LEDGER, 13, "E103")),
    (LEDGER, NOTES, "    !!python/name:os.system notes: 分两期支付", (LEDGER, 17, "E103")),
    # a case about another unit's debt; personal numbers in a published case
    (CASE, "items: [sl-jtj/A003]", "items: [sl-jtj/A003, sl-czj/A001]", (CASE, 4, "E411")),
    (CASE, "handling: 约谈单位负责人", "handling: 联系人 13912344321，约谈单位负责人", (CASE, 9, "E322")),
    (CASE, "handling: 约谈单位负责人", "handling: 电话 0358-7654321，约谈单位负责人", (CASE, 9, "E322")),
    (CASE, "title: 示例市", "title: 11010519491231002X 示例市", (CASE, 2, "E322")),
    (CASE, "90000.10 元", "90000.10 元（法人身份证 110105194912310021）", (CASE, 7, "E322")),
]


@pytest.mark.parametrize(("relpath", "old", "new", "expected"), CASES,
                         ids=[c[3][2] + "-" + str(i) for i, c in enumerate(CASES)])
def test_hostile_value_is_refused_at_its_line(mini, relpath, old, new, expected):
    assert expected not in found(mini)
    edit(mini, relpath, old, new)
    assert expected in found(mini)


def test_a_draft_case_may_hold_a_phone_number(mini):
    """Drafts appear only in the office site, where contacts are shown anyway."""
    edit(mini, DRAFT, "内部讨论稿。", "内部讨论稿，联系 13912344321。")
    assert validate_repo(mini, jobs=1).valid


def test_money_bound_and_zero_are_named(mini):
    edit(mini, LEDGER, "    amount: 380000.00", "    amount: 1000000000000.00")
    (issue,) = [i for i in validate_repo(mini, jobs=1).errors if i.code == "E214"]
    assert "1000000000000.00" in issue.message and "1 万亿元" in issue.message


def test_a_ledger_whose_amounts_add_up_past_the_cap_is_refused(mini):
    """Each amount is below 1 万亿元, their sum is not: enough such ledgers would overflow the
    分 totals of every page, so the ledger's total is capped as each amount is."""
    big = "600000000000.00"
    edit(mini, LEDGER, "amount: 1250000.00}", f"amount: {big}}}")
    edit(mini, LEDGER, "    amount: 380000.00", f"    amount: {big}")
    assert (LEDGER, 5, "E216") not in found(mini)  # one near-cap debt is allowed
    edit(mini, LEDGER, "amount: 50000.00}", f"amount: {big}}}")
    edit(mini, LEDGER, "    amount: 50000.00\n", f"    amount: {big}\n")
    (issue,) = [i for i in validate_repo(mini, jobs=1).errors if i.code == "E216"]
    assert (issue.path, issue.line) == (LEDGER, 5) and "1200000090000.10" in issue.message  # the list
    assert "E214" not in {i.code for i in validate_repo(mini, jobs=1).errors}


@pytest.mark.parametrize("data", [b"unit: x\x00\n", b"\x00", b"a: \x1b[2J\n", b"a: \xc2\x85\n", b"a: \x08\n",
                                  b"unit: sl-jtj\nas_of: 2022-10-31\nitems:\n  - \x00\n"])
def test_raw_control_bytes_never_raise(data):
    result = check_one(LEDGER, data)
    assert [i.code for i in result.issues if i.code == "E108"] and result.record is None


def test_as_of_in_the_future_beyond_a_day(mini):
    tomorrow, later = today() + timedelta(days=1), today() + timedelta(days=2)
    edit(mini, LEDGER, "as_of: 2022-10-31", f"as_of: {later}")
    assert (LEDGER, 3, "E321") in found(mini)
    edit(mini, LEDGER, f"as_of: {later}", f"as_of: {tomorrow}")
    assert (LEDGER, 3, "E321") not in found(mini)


def test_payment_dated_after_today(mini):
    tomorrow = today() + timedelta(days=1)
    edit(mini, LEDGER, "as_of: 2022-10-31", f"as_of: {tomorrow}")
    edit(mini, LEDGER, "{date: 2022-08-01, amount: 45000.05", f"{{date: {tomorrow}, amount: 45000.05")
    assert (LEDGER, 38, "E321") in found(mini)


def test_future_date_errors_are_not_cached_so_they_lapse(mini):
    later = today() + timedelta(days=2)
    edit(mini, LEDGER, "as_of: 2022-10-31", f"as_of: {later}")
    report = validate_repo(mini, jobs=1, cache=True)
    assert "E321" in {i.code for i in report.errors}
    assert ResultCache.open(mini).records.get(LEDGER) is None


def test_a_reverted_nul_ledger_does_not_break_the_office_build(mini, tmp_path):
    """A bad version deep in the history is skipped by every history reader, not fatal."""
    git(mini, "init", "-q", "-b", "main")
    commit(mini, "2022-10-31T09:00:00+08:00", "建立台账")
    good = (mini / LEDGER).read_bytes()
    (mini / LEDGER).write_bytes(good.replace("分两期支付".encode(), b"\x00\x01", 1))
    commit(mini, "2022-11-01T09:00:00+08:00", "坏文件")
    (mini / LEDGER).write_bytes(good)
    commit(mini, "2022-11-02T09:00:00+08:00", "撤销")
    site = build(mini, "office", tmp_path / "office", date(2022, 11, 2))
    assert (site / "progress.html").is_file()


def test_a_blank_reason_does_not_license_a_change(mini):
    git(mini, "init", "-q", "-b", "main")
    commit(mini, "2022-10-31T09:00:00+08:00", "建立台账")
    edit(mini, LEDGER, "    amount: 380000.00", "    amount: 200000.00")
    edit(mini, LEDGER, "{date: 2022-11-30, amount: 180000.00}", "{date: 2022-11-30, amount: 1.00}")
    edit(mini, LEDGER, NOTES, '    corrections:\n      - {date: 2022-10-31, field: amount, reason: " "}\n' + NOTES)
    codes = {i.code for i in validate_repo(mini, jobs=1, base="HEAD").errors}
    assert {"E213", "E604"} <= codes
