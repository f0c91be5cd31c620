"""What the tests share: the fixture city, editing a file in place, git repositories with
commits at chosen times, and the commands run as a user would. Fixtures are in conftest.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import yaml

from generator.cli.main import main
from generator.core.config import Config
from generator.history.period_report import build_report
from generator.history.report_json import json_form
from generator.history.state import History
from generator.site.build import build_site
from generator.validate.pipeline import validate_repo

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


def edit(root: Path, relpath: str, old: str, new: str) -> None:
    path = root / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relpath}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def found(root: Path) -> set[tuple[str, int, str]]:
    return {(i.path, i.line, i.code) for i in validate_repo(root, jobs=1).issues}


AS_OF = date(2022, 11, 1)
CI_TIME = "2022-11-01T09:00:00+08:00"  # when the workflow and CI tests commit


def build(root: Path, audience: str, out: Path, as_of: date | None = AS_OF, docs: Path | None = None) -> Path:
    report = validate_repo(root)
    assert report.valid, [str(i) for i in report.errors]
    build_site(report.records, root, audience, out, as_of, docs)
    return out


LEDGER = "ledgers/arrears/sl-jtj.yaml"


CZJ_LEDGER = """unit: sl-czj
as_of: 2022-10-31
items:
  - id: C001
    creditor: {name: 示例某印刷有限公司, credit_code: 91990100MA00000099, size: 微型}
    category: 服务
    contract: {number: CZ-1, signed: 2021-01-05, amount: 30000.00}
    due: 2021-03-31
    amount: 30000.00
    disputed: true
    dispute: {reason: 验收未通过, path: 协商, state: 进行中}
    origin: 排查
"""


NEW_DEBT = """  - id: A004
    creditor: {name: 示例新欠企业有限公司, credit_code: 91990100MA00000099, size: 小型}
    category: 货物
    contract: {number: JT-2022-201, signed: 2022-06-01, amount: 66000.00}
    due: 2022-09-30
    amount: 66000.00
    disputed: false
    origin: 排查
    plan:
      - {date: 2022-12-15, amount: 66000.00}
"""


def git(repo: Path, *args: str, author: str = "t", when: str | None = None, check: bool = True) -> str:
    """The tests' one way to run git: in `repo`, as `author` (<author>@example.cn, whatever the
    machine's own identity), dated `when` (an ISO time) if given; its output, stripped. With
    `check` a failing git fails the test."""
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author}@example.cn",
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": f"{author}@example.cn"}
    if when is not None:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=check)
    return result.stdout.strip()


def commit(repo: Path, when: str, message: str) -> None:
    """Everything in the work tree, committed at `when`."""
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message, when=when)


def play_first_of_november(repo: Path) -> None:
    """A payment committed at 16:59 on 1 November (that day's report) and a new debt at 17:01
    (the next day's)."""
    edit(repo, LEDGER, "as_of: 2022-10-31", "as_of: 2022-11-01")
    edit(repo, LEDGER, "      - {date: 2022-06-15, amount: 200000.00, method: 银行转账}\n",
         "      - {date: 2022-06-15, amount: 200000.00, method: 银行转账}\n"
         "      - {date: 2022-11-01, amount: 80000.00, method: 银行转账}\n")
    edit(repo, LEDGER, "{date: 2022-11-30, amount: 180000.00}", "{date: 2022-11-30, amount: 100000.00}")
    commit(repo, "2022-11-01T16:59:00+08:00", "还款")
    edit(repo, LEDGER, "as_of: 2022-11-01", "as_of: 2022-11-02")
    text = (repo / LEDGER).read_text(encoding="utf-8")
    (repo / LEDGER).write_text(text + NEW_DEBT, encoding="utf-8")
    commit(repo, "2022-11-01T17:01:00+08:00", "新增欠款")


def report(repo: Path, period: str, day: date) -> dict:
    """The report's JSON form, as published and archived."""
    return json_form(build_report(History.read(repo), period, day, Config()))


OFFICE_UNIT = """id: sl-qqb
name: 示例市清欠办（示例）
credit_code: 11990100MB00000057
type: 清欠办
region: {code: "990100", name: 示例市}
parent: sl
supervisor: sl-czj
status: 正常
leader: {name: 赵某, title: 主任, phone: "0358-7654321"}
liaison: {name: 钱某, title: 科员, phone: "13900000000"}
maintainers: [qqb-admin]
"""


def codes(repo: Path, actor: str | None = None, commit: bool = True,
          authors: tuple[str, ...] = ()) -> set[tuple[str, str]]:
    if commit:
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "change", "--allow-empty")
    actors = [actor, *authors] if actor is not None else None
    report = validate_repo(repo, jobs=1, base="base", actors=actors)
    return {(i.path, i.code) for i in report.errors}


def steps(workflow: str) -> list[dict]:
    flow = yaml.load((REPO / ".github/workflows" / workflow).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    (job,) = flow["jobs"].values()
    return job["steps"]


def run_step(step: dict, workspace: Path, context: dict[str, str], path: str) -> subprocess.CompletedProcess:
    def fill(text: str) -> str:
        return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: context[m.group(1)], text)

    env = {**os.environ, "PATH": path, "GITHUB_OUTPUT": str(workspace / "github-output.txt"),
           **{k: fill(v) for k, v in step.get("env", {}).items()}}
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace / step.get("working-directory", "."),
                          env=env, capture_output=True, text=True)


def executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)


def publish(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "publish", "--root", repo, *args],
                          capture_output=True, text=True)


def run_import(root: Path, path: Path, capsys, *extra: str) -> tuple[int, str]:
    """Exit code and what was printed: the problems (stdout), then the summary (stderr)."""
    code = main(["import", str(path), "--root", str(root), *extra])
    printed = capsys.readouterr()
    return code, printed.out + printed.err


CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000"]


WAIT = 20  # seconds


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def wait_for(driver, script: str):
    """Poll a JavaScript expression until it is truthy; its value."""
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(f"return {script}"))
