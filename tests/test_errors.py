"""Each class of bad input gives its code at the exact file and line (fixture: tests/fixtures/mini)."""

import pytest

from helpers import edit, found

LEDGER = "ledgers/arrears/sl-jtj.yaml"
CLUES = "ledgers/clues/sl-zxqy.yaml"
CASE = "ledgers/cases/2022-001.yaml"
DRAFT = "ledgers/cases/2022-002.yaml"

# (file, text to replace, replacement, expected (file, line, code))
CASES = [
    # loading
    (LEDGER, "    amount: 380000.00\n", "    amount: 380000.00\n    amount: 1.00\n",
     (LEDGER, 11, "E105")),
    (LEDGER, "creditor: {name: 示例某建材", "creditor: &c {name: 示例某建材", (LEDGER, 6, "E106")),
    (LEDGER, "    notes: 分两期支付", "\tnotes: 分两期支付", (LEDGER, 17, "E104")),
    (LEDGER, "notes: 分两期支付", "notes: " + "[" * 80 + "]" * 80, (LEDGER, 17, "E107")),
    (LEDGER, "id: A001", "id: A0\u200b01", (LEDGER, 5, "E108")),
    (LEDGER, "unit: sl-jtj\n", "unit: sl-jtj\n---\nunit: x\n", (LEDGER, 3, "E109")),
    (LEDGER, "  - id: A001", "  - id: A001\n  x", (LEDGER, 6, "E103")),
    # schema
    (LEDGER, "    due: 2021-12-31", "    due: 2021-02-30", (LEDGER, 9, "E209")),
    (LEDGER, "    due: 2021-12-31", "    due: 2021/12/31", (LEDGER, 9, "E208")),
    (LEDGER, "    due: 2021-12-31", "    due: 20211231", (LEDGER, 9, "E208")),
    (LEDGER, "amount: 380000.00", "amount: .nan", (LEDGER, 10, "E205")),
    (LEDGER, "amount: 380000.00", "amount: .inf", (LEDGER, 10, "E205")),
    (LEDGER, "amount: 380000.00", "amount: true", (LEDGER, 10, "E205")),
    (LEDGER, "amount: 380000.00", 'amount: "380000.00"', (LEDGER, 10, "E205")),
    (LEDGER, "amount: 380000.00", "amount: 380000.005", (LEDGER, 10, "E206")),
    (LEDGER, "amount: 380000.00", "amount: -380000.00", (LEDGER, 10, "E207")),
    (LEDGER, "    amount: 380000.00", "    amout: 380000.00", (LEDGER, 10, "E202")),
    (LEDGER, "    category: 工程\n", "", (LEDGER, 5, "E201")),
    (LEDGER, "category: 工程", "category: 工程款", (LEDGER, 7, "E204")),
    (LEDGER, "91990100MA00000073", "91990100MA00000074", (LEDGER, 6, "E210")),
    (LEDGER, "disputed: false", "disputed: 有", (LEDGER, 11, "E212")),
    (LEDGER, "  - id: A001", "  - id: A 001", (LEDGER, 5, "E211")),
    (LEDGER, "    notes: 分两期支付", "    notes:", (LEDGER, 17, "E213")),
    (LEDGER, "items:\n  - id: A001", "items: A001\nx:\n  - id: A001", (LEDGER, 4, "E203")),
    # meaning within a file
    (LEDGER, "unit: sl-jtj", "unit: sl-czj", (LEDGER, 2, "E301")),
    (LEDGER, "id: A002", "id: A001", (LEDGER, 18, "E302")),
    (LEDGER, "    amount: 90000.10\n", "    amount: 90000.00\n", (LEDGER, 32, "E303")),
    (LEDGER, "{date: 2022-06-15", "{date: 2022-11-15", (LEDGER, 14, "E304")),
    (LEDGER, "{date: 2022-06-15", "{date: 2021-01-15", (LEDGER, 14, "E305")),
    (LEDGER, "    plan:\n      - {date: 2022-11-30, amount: 180000.00}\n", "", (LEDGER, 5, "E306")),
    (LEDGER, "{date: 2022-11-30, amount: 180000.00}", "{date: 2022-11-30, amount: 100000.00}",
     (LEDGER, 16, "E307")),
    (LEDGER, "    dispute: {reason: 服务质量有争议, path: 调解, state: 进行中}\n", "",
     (LEDGER, 24, "E308")),
    (LEDGER, "    disputed: false\n    origin: 排查\n    payments",
     "    disputed: false\n    dispute: {reason: 无, path: 调解, state: 进行中}\n    origin: 排查\n"
     "    payments", (LEDGER, 12, "E309")),
    (LEDGER, "    origin: 排查\n    payments", "    origin: 投诉\n    payments", (LEDGER, 12, "E310")),
    (LEDGER, "amount: 1250000.00", "amount: 1000.00", (LEDGER, 8, "E311")),
    (CLUES, "    reason: 债务人为民营企业，不属于清理范围\n", "", (CLUES, 14, "E312")),
    (CLUES, "    item: sl-jtj/A003\n", "", (CLUES, 11, "E313")),
    (DRAFT, "state: 草稿", "state: 草稿\npublished: 2022-09-01", (DRAFT, 6, "E314")),
    (CASE, "published: 2022-09-01\n", "", (CASE, 5, "E314")),
    (LEDGER, "    due: 2021-12-31", "    due: 2022-12-31", (LEDGER, 9, "E315")),
    (LEDGER, "signed: 2021-03-01", "signed: 2022-03-01", (LEDGER, 8, "E316")),
    (CLUES, "closed: 2022-08-05", "closed: 2022-05-05", (CLUES, 13, "E316")),
    (LEDGER, "{date: 2022-07-02, field", "{date: 2022-12-02, field", (LEDGER, 40, "E317")),
    # across files
    (CASE, "unit: sl-jtj", "unit: sl-nope", (CASE, 3, "E401")),
    (CLUES, "respondent: sl-jtj", "respondent: sl-nope", (CLUES, 7, "E401")),
    ("units/sl-jtj.yaml", "parent: sl\n", "parent: sl-nope\n", ("units/sl-jtj.yaml", 6, "E403")),
    ("units/sl-jtj.yaml", "supervisor: sl-czj", "supervisor: sl-nope",
     ("units/sl-jtj.yaml", 7, "E404")),
    (LEDGER, "clue: TS2022-001", "clue: TS2022-009", (LEDGER, 35, "E406")),
    (CLUES, "item: sl-jtj/A003", "item: sl-jtj/A001", (LEDGER, 35, "E407")),
    (CLUES, "item: sl-jtj/A003", "item: sl-jtj/A009", (CLUES, 12, "E408")),
    (CASE, "items: [sl-jtj/A003]", "items: [sl-jtj/A009]", (CASE, 4, "E408")),
    ("units/sl-jtj.yaml", "parent: sl\n", "", ("units/sl.yaml", 1, "E410")),
    # warnings
    (LEDGER, "{date: 2022-11-30, amount: 180000.00}", "{date: 2022-09-30, amount: 180000.00}",
     (LEDGER, 16, "W501")),
    (LEDGER, "{date: 2022-11-30, amount: 180000.00}", "{date: 2022-11-30, amount: 280000.00}",
     (LEDGER, 16, "W502")),
    (LEDGER, "    due: 2021-12-31\n    amount: 380000.00\n    disputed: false\n    origin: 排查\n"
     "    payments:\n      - {date: 2022-06-15, amount: 200000.00, method: 银行转账}\n"
     "    plan:\n      - {date: 2022-11-30, amount: 180000.00}",
     "    due: 2021-06-30\n    amount: 380000.00\n    disputed: false\n    origin: 排查\n"
     "    plan:\n      - {date: 2022-11-30, amount: 380000.00}", (LEDGER, 9, "W503")),
]


@pytest.mark.parametrize(("relpath", "old", "new", "expected"), CASES,
                         ids=[c[3][2] + "-" + str(i) for i, c in enumerate(CASES)])
def test_each_error_class_at_its_line(mini, relpath, old, new, expected):
    assert expected not in found(mini)
    edit(mini, relpath, old, new)
    assert expected in found(mini)


def test_fixture_is_clean_but_for_the_bill_warning(mini):
    assert found(mini) == {(LEDGER, 37, "W504")}
