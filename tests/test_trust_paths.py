"""Trust, round 3 (issue 23), pull-request classes played on real git repositories: a deletion
judged by path whatever git pairs it with, and authority per record (follow-ups, clue
verdicts) in an existing ledger or one the change creates."""

from helpers import codes, edit, git

LEDGER = "ledgers/arrears/sl-jtj.yaml"
CLUES = "ledgers/clues/sl-zxqy.yaml"
A003_END = "      - {date: 2022-07-02, field: amount, reason: 合同结算审计调减}\n"


def followup(by: str, result: str = "已到账") -> str:
    return f"    followups:\n      - {{date: 2022-09-01, method: 电话回访, by: {by}, result: {result}}}\n"


def _lookalike_clues(text: str, unit: str) -> str:
    """A clue ledger of the unit whose lines mostly repeat its debt ledger's (git pairs them);
    whether it is a valid one does not matter to the deletion."""
    return f"unit: {unit}\nclues:\n" + text.split("items:\n", 1)[1]


# -- 1. a deletion disguised as a rename ----------------------------------------------------

def test_a_ledger_deleted_for_a_lookalike_clue_ledger_is_a_deletion(repo):
    text = (repo / LEDGER).read_text(encoding="utf-8")
    (repo / LEDGER).unlink()
    (repo / "ledgers/clues/sl-jtj.yaml").write_text(_lookalike_clues(text, "sl-jtj"), encoding="utf-8")
    git(repo, "add", "-A")
    assert git(repo, "diff", "--cached", "-M", "--name-status", "base").startswith("R")  # git pairs them
    found = codes(repo, actor="jtj-bot")
    assert (LEDGER, "E601") in found


def test_a_halted_units_ledger_cannot_be_moved_away(repo):
    edit(repo, "units/sl-gt.yaml", "status: 停产", "status: 停产\nhalted: 2022-09-01")
    gt = (repo / LEDGER).read_text(encoding="utf-8").replace("unit: sl-jtj", "unit: sl-gt")
    (repo / "ledgers/arrears/sl-gt.yaml").write_text(gt, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a halted unit with its ledger")
    git(repo, "tag", "-f", "base")
    git(repo, "mv", "ledgers/arrears/sl-gt.yaml", "ledgers/arrears/sl-gt-old.yaml")
    found = codes(repo, actor="gt-bot")
    assert ("ledgers/arrears/sl-gt.yaml", "E601") in found and ("ledgers/arrears/sl-gt.yaml", "E610") in found


def test_a_move_into_another_units_name_is_named_and_still_a_deletion(repo):
    git(repo, "mv", LEDGER, "ledgers/arrears/sl-czj.yaml")
    edit(repo, "ledgers/arrears/sl-czj.yaml", "unit: sl-jtj", "unit: sl-czj")
    found = codes(repo)
    assert ("ledgers/arrears/sl-czj.yaml", "E607") in found and (LEDGER, "E601") in found


# -- 2. authority per record ----------------------------------------------------------------

def test_a_unit_cannot_record_its_own_followup(repo):
    edit(repo, LEDGER, A003_END, A003_END + followup("sl-jtj"))
    assert (LEDGER, "E611") in codes(repo, actor="jtj-bot")
    assert (LEDGER, "E611") not in codes(repo, actor="qqb-admin", commit=False)


def test_a_maintainer_of_both_sides_cannot_clear_the_debt(repo):
    edit(repo, "units/sl-zxqy.yaml", "maintainers: [zxqy-bot]", "maintainers: [zxqy-bot, lisi]")
    git(repo, "commit", "-qam", "lisi also keeps the checking unit")
    git(repo, "tag", "-f", "base")
    edit(repo, LEDGER, A003_END, A003_END + followup("sl-zxqy"))
    assert (LEDGER, "E611") in codes(repo, actor="lisi")


def test_a_followup_in_another_partys_name_in_a_new_ledger(repo):
    ledger = "ledgers/arrears/sl-gzw.yaml"
    (repo / ledger).write_text(
        "unit: sl-gzw\nas_of: 2022-10-31\nitems:\n  - id: G001\n"
        "    creditor: {name: 示例某印刷有限公司, credit_code: 91990100MA00000099, size: 微型}\n"
        "    category: 服务\n    contract: {number: GZ-1, signed: 2021-01-05, amount: 30000.00}\n"
        "    due: 2021-03-31\n    amount: 30000.00\n    disputed: false\n    origin: 排查\n"
        "    payments:\n      - {date: 2022-06-15, amount: 30000.00, method: 银行转账}\n"
        + followup("sl-zxqy"), encoding="utf-8")
    found = codes(repo, actor="gzw-bot")
    assert (ledger, "E606") in found and not any(path == ledger and code != "E606" for path, code in found)


def test_a_correction_does_not_license_rewriting_another_partys_followup(repo):
    edit(repo, LEDGER, A003_END, A003_END + followup("sl-zxqy", "未到账"))
    git(repo, "commit", "-qam", "the checking unit found the money missing")
    git(repo, "tag", "-f", "base")
    edit(repo, LEDGER, "result: 未到账}", "result: 已到账}")
    edit(repo, LEDGER, A003_END, A003_END + "      - {date: 2022-10-31, field: followups, reason: 企业已收到}\n")
    found = codes(repo, actor="jtj-bot")
    assert (LEDGER, "E606") in found and (LEDGER, "E603") not in found  # the correction is in order, the author not


def test_the_unit_complained_about_cannot_judge_the_clue(repo):
    clues = "ledgers/clues/sl-jtj.yaml"
    (repo / clues).write_text(
        "unit: sl-jtj\nclues:\n  - id: TS2022-101\n    received: 2022-08-02\n    source: 企业投诉\n"
        "    complainant: {name: 示例某印刷有限公司, credit_code: 91990100MA00000099}\n"
        "    respondent: sl-jtj\n    amount: 1000.00\n    accepted: true\n    transferred_to: sl-jtj\n"
        "    verdict: 不属实\n    closed: 2022-08-03\n", encoding="utf-8")
    assert (clues, "E611") in codes(repo, actor="jtj-bot")


def test_the_respondents_maintainer_cannot_rewrite_the_handlers_verdict(repo):
    edit(repo, "units/sl-zxqy.yaml", "maintainers: [zxqy-bot]", "maintainers: [zxqy-bot, lisi]")
    git(repo, "commit", "-qam", "lisi also keeps the handling unit")
    git(repo, "tag", "-f", "base")
    edit(repo, CLUES, "    verdict: 无分歧\n    item: sl-jtj/A003\n", "    verdict: 核查中\n")
    assert (CLUES, "E611") in codes(repo, actor="lisi")
    assert (CLUES, "E611") not in codes(repo, actor="zxqy-bot", commit=False)  # the handling unit itself may
