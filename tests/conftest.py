from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.cli.main import main
from generator.core import issues
from helpers import (
    CHROMEDRIVER,
    CHROMIUM,
    CZJ_LEDGER,
    FIXTURES,
    FLAGS,
    OFFICE_UNIT,
    WAIT,
    QuietHandler,
    commit,
    git,
    play_first_of_november,
)

pytest_plugins = ["sitefixtures"]  # session-wide site builds


_seen_codes: set[str] = set()


class _SeenCodes(dict):
    """The code table, noting every code a check looks up while the suite runs in this process."""

    def __getitem__(self, code: str) -> issues.Code:
        _seen_codes.add(code)
        return super().__getitem__(code)


issues.CODES = _SeenCodes(issues.CODES)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A whole, green run must have triggered every code of the table: a code no test reaches
    is a rule nobody has seen working. (Runs narrowed with -k, -x or paths are not judged.)"""
    whole = not session.config.option.keyword and not session.config.option.markexpr \
        and session.config.args == session.config.getini("testpaths") and exitstatus == 0 \
        and not session.config.option.collectonly
    missing = sorted(set(issues.CODES) - _seen_codes)
    if whole and missing and session.testscollected:
        session.config.get_terminal_writer().line(f"没有测试触发这些代码：{', '.join(missing)}", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Each test's validation cache lives in its own temporary folder, never in the user's.
    The command line sets PYTHONSAFEPATH for the processes it starts: a test that runs it in
    this process has it only until the test ends (set, then removed, so the end undoes both)."""
    monkeypatch.setenv("QINGQIAN_CACHE", str(tmp_path_factory.mktemp("qingqian-cache")))
    monkeypatch.setenv("PYTHONSAFEPATH", os.environ.get("PYTHONSAFEPATH", "1"))
    monkeypatch.delenv("PYTHONSAFEPATH")


@pytest.fixture
def forking(monkeypatch):
    """running.Forked forks its workers even though an earlier test left a thread running (a
    browser test's web server): it forks only a process without other threads, and a test of
    the workers' path must not quietly take the in-process one."""
    import multiprocessing

    from generator.core import running

    monkeypatch.setattr(running, "_fork_context", lambda: multiprocessing.get_context("fork"))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the small valid fixture city, to break one file at a time."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    return root


@pytest.fixture
def history_repo(mini: Path) -> Path:
    (mini / "ledgers/arrears/sl-czj.yaml").write_text(CZJ_LEDGER, encoding="utf-8")
    git(mini, "init", "-q", "-b", "main")
    commit(mini, "2022-10-31T09:00:00+08:00", "建立台账")
    play_first_of_november(mini)
    return mini


@pytest.fixture
def repo(mini: Path) -> Path:
    """The fixture city as a git repository with an office unit, committed as the base."""
    (mini / "units/sl-qqb.yaml").write_text(OFFICE_UNIT, encoding="utf-8")
    git(mini, "init", "-q", "-b", "main")
    git(mini, "add", "-A")
    git(mini, "commit", "-qm", "base")
    git(mini, "tag", "base")
    return mini


@pytest.fixture
def book(mini: Path, tmp_path: Path) -> Path:
    """The mini city's sl-jtj template, untouched."""
    out = tmp_path / "sl-jtj.xlsx"
    assert main(["template", "--root", str(mini), "--unit", "sl-jtj", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def serve():
    """Serve a folder on 127.0.0.1; gives a function folder -> base URL."""
    servers = []

    def start(folder: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = "需要 Debian 软件包 chromium 和 chromium-driver：运行 python3 dev.py test 自动安装"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    browser.set_page_load_timeout(WAIT)
    yield browser
    browser.quit()
