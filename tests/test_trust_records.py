"""Trust, round 3 (issue 23), in pull requests on a real git repository: dates that cannot be,
text too long for a workbook's cell, and unit ids that are the site's own page names — each
an error at file:line:col."""

import pytest

from generator.core.schema import CELL_LIMIT
from generator.validate.pipeline import validate_repo
from helpers import edit, git

LEDGER = "ledgers/arrears/sl-jtj.yaml"
CLUES = "ledgers/clues/sl-zxqy.yaml"
CASE = "ledgers/cases/2022-001.yaml"
A003_END = "      - {date: 2022-07-02, field: amount, reason: 合同结算审计调减}\n"


def errors(repo, actor: str) -> set[tuple[str, int, str]]:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change")
    report = validate_repo(repo, jobs=1, base="base", actors=[actor])
    return {(i.path, i.line, i.code) for i in report.errors}


def line_of(repo, path: str, text: str) -> int:
    lines = (repo / path).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


# -- 9. dates that cannot be ----------------------------------------------------------------

@pytest.mark.parametrize(("path", "old", "new", "actor", "code"), [
    # after the file's as_of (2022-10-31)
    (LEDGER, "      - {date: 2022-06-15, amount: 200000.00, method: 银行转账}\n",
     "      - {date: 2022-06-15, amount: 200000.00, method: 银行转账}\n"
     "      - {date: 2022-11-15, amount: 1.00, method: 银行转账}\n", "jtj-bot", "E304"),
    (LEDGER, A003_END, A003_END + "    confirmations:\n      - {received: 2022-11-20, purpose: 融资}\n",
     "jtj-bot", "E331"),
    (LEDGER, A003_END, A003_END + "    followups:\n      - {date: 2022-11-20, method: 实地核查, by: sl-zxqy, "
     "result: 未到账}\n", "qqb-admin", "E331"),
    # after today, in files without an as_of of their own
    (CLUES, "    received: 2022-07-10", "    received: 2099-07-10", "zxqy-bot", "E430"),
    (CLUES, "    closed: 2022-08-05", "    closed: 2099-08-05", "zxqy-bot", "E430"),
    (CASE, "published: 2022-09-01", "published: 2099-09-01", "qqb-admin", "E430"),
    ("units/sl-gt.yaml", "status: 停产", "status: 停产\nhalted: 2099-01-01", "qqb-admin", "E430"),
    # impossible orders
    (LEDGER, A003_END, A003_END + "    confirmations:\n      - {received: 2020-03-01, purpose: 融资}\n",
     "jtj-bot", "E316"),
    (LEDGER, "{date: 2022-07-01, amount: 45000.05", "{date: 2020-04-01, amount: 45000.05", "jtj-bot", "E305"),
    (CLUES, "    closed: 2022-08-05", "    closed: 2022-05-05", "zxqy-bot", "E316"),
])
def test_dates_that_cannot_be(repo, path, old, new, actor, code):
    edit(repo, path, old, new)
    where = line_of(repo, path, new.strip().splitlines()[-1].strip())
    found = errors(repo, actor)
    assert (path, where, code) in found, sorted(found)


# -- 10. text that will not fit a cell -------------------------------------------------------

def test_text_longer_than_a_cell_is_refused_with_the_field_named(repo):
    edit(repo, LEDGER, "    notes: 分两期支付", "    notes: " + "甲" * (CELL_LIMIT + 1))
    edit(repo, CLUES, "    reason: 债务人为民营企业，不属于清理范围", "    reason: " + "乙" * (CELL_LIMIT + 5))
    report = validate_repo(repo, jobs=1)
    long = [i for i in report.errors if i.code == "E219"]
    assert {(i.path, i.line) for i in long} == {(LEDGER, line_of(repo, LEDGER, "notes: 甲")),
                                               (CLUES, line_of(repo, CLUES, "reason: 乙"))}
    assert any("items.0.notes" in i.message and str(CELL_LIMIT + 1) in i.message for i in long)


def test_text_that_just_fits_passes(repo):
    edit(repo, LEDGER, "    notes: 分两期支付", "    notes: " + "甲" * CELL_LIMIT)
    assert errors(repo, "jtj-bot") == set()


# -- 6. reserved ids ------------------------------------------------------------------------

@pytest.mark.parametrize("unit_id", ["index", "search", "assets", "reports", "groups"])
def test_a_unit_named_like_a_page_of_the_site_is_refused(repo, unit_id):
    text = (repo / "units/sl-gzw.yaml").read_text(encoding="utf-8").replace("id: sl-gzw", f"id: {unit_id}")
    (repo / f"units/{unit_id}.yaml").write_text(text, encoding="utf-8")
    assert (f"units/{unit_id}.yaml", 1, "E323") in errors(repo, "qqb-admin")
