"""The repository's own pre-commit hook, run by real pre-commit in a real git repository."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import REPO, edit, git


def test_hook_rejects_a_bad_ledger_and_passes_a_good_one(mini, tmp_path):
    shutil.copy(REPO / ".pre-commit-config.yaml", mini)
    git(mini, "init", "-q")
    git(mini, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(REPO)}

    def run_hook():
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=mini, env=env,
                              capture_output=True, text=True)

    good = run_hook()
    assert good.returncode == 0, good.stdout + good.stderr
    assert "清欠台账校验" in good.stdout and "Passed" in good.stdout
    edit(mini, "ledgers/arrears/sl-jtj.yaml", "    notes: 分两期支付\n",
         "    followups:\n      - {date: 2022-10-30, method: 电话回访, by: sl-czj, result: 部分到账}\n"
         "    notes: 分两期支付\n")
    git(mini, "add", "-A")
    warned = run_hook()  # a pass that has warnings shows them, broken down by code
    assert warned.returncode == 0 and "Passed" in warned.stdout, warned.stdout + warned.stderr
    assert "警告按类别：" in warned.stdout and "W532 部分到账未填写已到账金额 1 个" in warned.stdout
    edit(mini, "ledgers/arrears/sl-jtj.yaml", "result: 部分到账}", "result: 已到账}")
    edit(mini, "ledgers/arrears/sl-jtj.yaml", "amount: 380000.00", "amount: 38万")
    git(mini, "add", "-A")
    bad = run_hook()
    assert bad.returncode == 1
    assert "ledgers/arrears/sl-jtj.yaml:10:13: E205" in bad.stdout
