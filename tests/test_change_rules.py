"""Pull requests played on real git repositories: each change rule rejects, then accepts."""

import os
import subprocess
import sys

from generator.validate import codeowners
from generator.validate.pipeline import validate_repo
from helpers import codes, edit, git

LEDGER = "ledgers/arrears/sl-jtj.yaml"
CLUES = "ledgers/clues/sl-zxqy.yaml"


def test_unchanged_repository_passes(repo):
    assert codes(repo, actor="jtj-bot") == set()


def test_deleting_a_debt_is_rejected_settling_it_is_not(repo):
    edit(repo, LEDGER, "  - id: A002", "  - id: A002-gone")
    assert (LEDGER, "E601") in codes(repo)


def test_deleting_a_whole_ledger_or_a_clue_is_rejected(repo):
    (repo / "ledgers/arrears/sl-jtj.yaml").unlink()
    (repo / "ledgers/cases/2022-001.yaml").unlink()  # its debt would dangle otherwise
    (repo / "ledgers/cases/2022-002.yaml").unlink()
    found = codes(repo)
    assert (LEDGER, "E601") in found


def test_deleting_a_clue_is_rejected(repo):
    text = (repo / CLUES).read_text(encoding="utf-8")
    (repo / CLUES).write_text(text[: text.index("  - id: TS2022-002")], encoding="utf-8")
    assert (CLUES, "E601") in codes(repo)


def test_reusing_an_id_for_another_debt(repo):
    edit(repo, LEDGER, "credit_code: 91990100MA00000073", "credit_code: 91990100MA00000099")
    edit(repo, LEDGER, "number: 0012", "number: NEW-1")
    assert (LEDGER, "E602") in codes(repo)


def test_payments_are_append_only(repo):
    edit(repo, LEDGER, "{date: 2022-06-15, amount: 200000.00", "{date: 2022-06-15, amount: 100000.00")
    assert (LEDGER, "E603") in codes(repo)


def test_appending_a_payment_is_accepted(repo):
    edit(repo, LEDGER, "      - {date: 2022-06-15, amount: 200000.00, method: 银行转账}\n",
         "      - {date: 2022-06-15, amount: 200000.00, method: 银行转账}\n"
         "      - {date: 2022-10-20, amount: 80000.00, method: 银行转账}\n")
    edit(repo, LEDGER, "{date: 2022-11-30, amount: 180000.00}", "{date: 2022-11-30, amount: 100000.00}")
    assert codes(repo, actor="jtj-bot") == set()


def test_a_payment_corrected_with_a_reason_is_accepted(repo):
    edit(repo, LEDGER, "{date: 2022-06-15, amount: 200000.00", "{date: 2022-06-16, amount: 200000.00")
    edit(repo, LEDGER, "    notes: 分两期支付", "    corrections:\n"
         "      - {date: 2022-10-31, field: payments, reason: 银行回单日期为 6 月 16 日}\n    notes: 分两期支付")
    assert codes(repo) == set()


def test_amount_change_needs_a_new_correction(repo):
    edit(repo, LEDGER, "    amount: 380000.00", "    amount: 370000.00")
    edit(repo, LEDGER, "{date: 2022-11-30, amount: 180000.00}", "{date: 2022-11-30, amount: 170000.00}")
    assert (LEDGER, "E604") in codes(repo)
    edit(repo, LEDGER, "    notes: 分两期支付",
         "    corrections:\n      - {date: 2022-10-31, field: amount, reason: 结算审计调减}\n    notes: 分两期支付")
    assert codes(repo) == set()


def test_due_date_change_needs_a_correction_naming_it(repo):
    edit(repo, LEDGER, "    due: 2021-12-31", "    due: 2021-11-30")
    edit(repo, LEDGER, "    notes: 分两期支付",
         "    corrections:\n      - {date: 2022-10-31, field: amount, reason: 写错了字段}\n    notes: 分两期支付")
    assert (LEDGER, "E604") in codes(repo)


def test_a_correction_pushed_down_by_an_inserted_one_is_not_new(repo):
    # The base already records an amount correction dated on its own as_of.
    edit(repo, LEDGER, "    notes: 分两期支付",
         "    corrections:\n      - {date: 2022-10-31, field: amount, reason: 结算审计调减}\n    notes: 分两期支付")
    git(repo, "commit", "-qam", "base with a correction")
    git(repo, "tag", "-f", "base")
    # Inserting a correction in front rewrites the record (E603); the old amount correction,
    # now in the appended position, does not license a new amount (E604): what is new is what
    # the base did not have, as in the timelines and 本期变化 (core.ledgerdiff).
    edit(repo, LEDGER, "      - {date: 2022-10-31, field: amount",
         "      - {date: 2022-11-01, field: due, reason: 插在前面}\n      - {date: 2022-10-31, field: amount")
    edit(repo, LEDGER, "    amount: 380000.00", "    amount: 370000.00")
    edit(repo, LEDGER, "{date: 2022-11-30, amount: 180000.00}", "{date: 2022-11-30, amount: 170000.00}")
    found = codes(repo)
    assert (LEDGER, "E603") in found and (LEDGER, "E604") in found


def test_as_of_may_not_go_back(repo):
    edit(repo, LEDGER, "as_of: 2022-10-31", "as_of: 2022-10-30")
    assert (LEDGER, "E605") in codes(repo)


def test_units_edit_only_their_own_ledgers(repo):
    edit(repo, LEDGER, "    notes: 分两期支付", "    notes: 分两期支付，已催办")
    assert codes(repo, actor="jtj-bot") == set()  # a maintainer of sl-jtj
    assert codes(repo, actor="lisi") == set()  # also listed
    assert (LEDGER, "E606") in codes(repo, actor="czj-bot")  # another unit's account
    assert codes(repo, actor="qqb-admin") == set()  # the office may change anything


def test_logins_are_compared_case_insensitively(repo):
    edit(repo, LEDGER, "    notes: 分两期支付", "    notes: 分两期支付，已催办")
    assert codes(repo, actor="JTJ-Bot") == set()  # GitHub logins ignore case
    assert codes(repo, actor="QQB-ADMIN") == set()
    assert (LEDGER, "E606") in codes(repo, actor="CZJ-BOT")


def test_every_commit_author_must_be_a_maintainer(repo):
    """A unit's maintainer opens the pull request, but a commit in it is someone else's."""
    edit(repo, LEDGER, "    notes: 分两期支付", "    notes: 分两期支付，已催办")
    assert codes(repo, actor="jtj-bot", authors=("jtj-bot", "lisi")) == set()
    assert (LEDGER, "E606") in codes(repo, actor="jtj-bot", authors=("jtj-bot", "czj-bot"))
    assert (LEDGER, "E606") in codes(repo, actor="jtj-bot", authors=("",))  # not linked to an account


def test_only_the_office_changes_the_registry_and_the_code(repo):
    edit(repo, "units/sl-jtj.yaml", "maintainers: [jtj-bot, lisi]", "maintainers: [jtj-bot, lisi, intruder]")
    assert ("units/sl-jtj.yaml", "E606") in codes(repo, actor="jtj-bot")
    (repo / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert ("mkdocs.yml", "E606") in codes(repo, actor="jtj-bot")
    assert codes(repo, actor="qqb-admin") == set()


def test_permissions_come_from_the_base_registry(repo):
    edit(repo, "units/sl-czj.yaml", "maintainers: [czj-bot]", "maintainers: [czj-bot, jtj-bot]")
    (repo / "ledgers/arrears/sl-czj.yaml").write_text("unit: sl-czj\nas_of: 2022-10-31\nitems: []\n")
    found = codes(repo, actor="jtj-bot")
    assert ("ledgers/arrears/sl-czj.yaml", "E606") in found and ("units/sl-czj.yaml", "E606") in found


def test_renaming_a_ledger_to_another_unit(repo):
    git(repo, "mv", LEDGER, "ledgers/arrears/sl-czj.yaml")
    edit(repo, "ledgers/arrears/sl-czj.yaml", "unit: sl-jtj", "unit: sl-czj")
    assert ("ledgers/arrears/sl-czj.yaml", "E607") in codes(repo)


def test_symlinks_are_refused(repo):
    (repo / "ledgers/arrears/sl-gzw.yaml").symlink_to("sl-jtj.yaml")
    assert ("ledgers/arrears/sl-gzw.yaml", "E608") in codes(repo)


def test_uncommitted_and_untracked_changes_are_seen(repo):
    edit(repo, LEDGER, "as_of: 2022-10-31", "as_of: 2022-10-30")
    (repo / "notes.txt").write_text("x", encoding="utf-8")
    found = codes(repo, actor="jtj-bot", commit=False)
    assert (LEDGER, "E605") in found and ("notes.txt", "E606") in found


def test_stale_codeowners_is_caught(repo):
    report = validate_repo(repo, jobs=1)
    (repo / ".github").mkdir()
    (repo / codeowners.PATH).write_text(codeowners.render(report.records), encoding="utf-8")
    assert validate_repo(repo, jobs=1).valid
    edit(repo, "units/sl-jtj.yaml", "maintainers: [jtj-bot, lisi]", "maintainers: [jtj-bot]")
    assert {(i.path, i.code) for i in validate_repo(repo, jobs=1).errors} == {(codeowners.PATH, "E609")}


def test_cli_with_base_and_summary(repo, tmp_path):
    edit(repo, LEDGER, "as_of: 2022-10-31", "as_of: 2022-10-30")
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    result = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", repo, "--base", "base",
                             "--actor", "czj-bot", "--format", "github"], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert f"::error file={LEDGER},line=3,col=8,title=E605::" in result.stdout
    table = summary.read_text(encoding="utf-8")
    assert "| 文件 | 行 | 列 | 代码 | 级别 | 说明 |" in table and "E606" in table and "E605" in table
    missing = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", repo, "--base", "nope"],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "找不到基准版本" in missing.stderr


def test_a_pull_request_sees_errors_first_and_the_warnings_of_its_own_files(repo, tmp_path):
    """The base already has a warning in sl-jtj's ledger (a payment by 商业汇票); a change that
    touches only the clues, and breaks them, is told about its error, not that old warning."""
    edit(repo, CLUES, "transferred_to: sl-jtj", "transferred_to: sl-nobody")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change")
    report = validate_repo(repo, jobs=1, base="base", all_warnings=False)
    assert [(i.path, i.code) for i in report.issues] == [(CLUES, "E401")] and report.hidden_warnings == 1
    everything = validate_repo(repo, jobs=1, base="base")
    assert [i.severity for i in everything.issues] == ["error", "warning"]
    assert everything.issues[1].path == LEDGER and everything.hidden_warnings == 0
    summary = tmp_path / "summary.md"
    result = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", repo, "--base", "base",
                             "--format", "github"], capture_output=True, text=True,
                            env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    notes = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert result.returncode == 1 and notes[0].startswith(f"::error file={CLUES}")
    assert "W504" not in result.stdout and "另有 1 个警告" in result.stderr and "--all-warnings" in result.stderr
    listed = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", repo, "--base", "base",
                             "--all-warnings"], capture_output=True, text=True).stdout.splitlines()
    assert [line.split(": ")[1][:4] for line in listed] == ["E401", "W504"]  # errors first, then warnings
    table = summary.read_text(encoding="utf-8")
    assert "1 个错误，0 个警告" in table and "| 错误 |" in table
