"""The clerk's path: validating one's own file shows its problems first and the others only as a
count; warnings are broken down by code."""

import subprocess
import sys

from helpers import LEDGER, edit


def validate(root, *paths):
    return subprocess.run([sys.executable, "-m", "generator", "validate", "--root", root, *paths],
                          capture_output=True, text=True)


def test_validating_a_file_lists_its_own_problems_and_counts_the_others(mini):
    everything = validate(mini)
    assert "ledgers/arrears/sl-jtj.yaml" in everything.stdout and "W504" in everything.stdout
    assert "警告按类别：W504 以商业汇票等非现金方式支付 1 个" in everything.stderr
    # a 确权 request unanswered for months: a warning the check across files finds
    edit(mini, LEDGER, "    notes: 分两期支付\n", "    confirmations:\n      - {received: 2022-07-01, purpose: 融资}\n"
         "    notes: 分两期支付\n")
    assert "W530" in validate(mini).stdout
    mine = validate(mini, "units/sl-czj.yaml")
    assert mine.returncode == 0 and "sl-jtj" not in mine.stdout
    assert "其他文件另有 1 个警告未列出" in mine.stderr
    ledger = validate(mini, "ledgers/arrears/sl-jtj.yaml")
    assert "ledgers/arrears/sl-jtj.yaml" in ledger.stdout and "W504" in ledger.stdout
    assert "其他文件" not in ledger.stderr
