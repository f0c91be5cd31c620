"""`serve`'s incremental rebuild: a saved ledger brings its unit page and the dashboard up to
date without rewriting the pages it does not touch, and the site it leaves is the one a full
build makes of the same data."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import pandas as pd
import pytest

from generator.analysis.frame import items_frame, with_units_replaced
from generator.core.config import load_campaign
from generator.site import SiteError
from generator.site.build import build_site
from generator.site.incremental import Session
from generator.validate.pipeline import validate_repo
from helpers import LEDGER, commit, edit, wait_for

PAYMENT = "      - {date: 2022-11-01, amount: 80000.00, method: 银行转账}\n"
OTHER_UNIT = "units/sl-czj.html"


def stamp(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_mtime_ns, info.st_ino


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def requested(driver) -> list[str]:
    """Every URL the browser asked for since the last call."""
    return [message["params"]["request"]["url"] for message in
            (json.loads(entry["message"])["message"] for entry in driver.get_log("performance"))
            if message["method"] == "Network.requestWillBeSent"]


def served_once(url: str, text: str) -> str:
    """The page at `url` once it holds `text` (or as it is after a minute)."""
    deadline = time.monotonic() + 60
    while True:
        with urlopen(url) as response:
            page = response.read().decode("utf-8")
        if text in page or time.monotonic() > deadline:
            return page
        time.sleep(0.2)


def assert_as_built_in_full(root: Path, tmp_path: Path) -> None:
    """The Markdown, downloads and HTML pages in tmp_path/docs and tmp_path/site are those a
    full build of the same data makes (the search index too, in another order)."""
    fresh = tmp_path / "fresh"
    build_site(validate_repo(root).records, root, "office", fresh / "site", None, fresh / "docs")
    assert files(tmp_path / "docs") == files(fresh / "docs")
    built, full = files(tmp_path / "site"), files(fresh / "site")
    assert built.keys() - full.keys() == {"qingqian-status.json"} and full.keys() <= built.keys()
    assert [path for path in full if path.endswith(".html") and built[path] != full[path]] == []
    index = json.loads(built["search/search_index.json"])["docs"]
    assert sorted(index, key=json.dumps) == sorted(json.loads(full["search/search_index.json"])["docs"],
                                                  key=json.dumps)


class Said(list):
    """What the session said, and what its status file held as it said each line."""

    def __init__(self, site: Path) -> None:
        super().__init__()
        self.site = site
        self.statuses: list[dict | None] = []

    def __call__(self, text: str) -> None:
        self.append(text)
        status = self.site / "qingqian-status.json"
        self.statuses.append(json.loads(status.read_text(encoding="utf-8")) if status.exists() else None)


@pytest.fixture
def served(history_repo: Path, tmp_path: Path) -> tuple[Session, Said]:
    said = Said(tmp_path / "site")
    (tmp_path / "site").mkdir()  # as serve makes it before the first build
    session = Session(history_repo, "office", tmp_path / "site", tmp_path / "docs", None, said)
    assert session.rebuild()
    return session, said


def test_a_saved_ledger_updates_its_unit_page_and_the_dashboard_alone(served, history_repo: Path, tmp_path: Path):
    session, said = served
    site, docs = tmp_path / "site", tmp_path / "docs"
    unit_page = (site / "units/sl-jtj.html").read_text(encoding="utf-8")
    dashboard = (site / "index.html").read_text(encoding="utf-8")
    assert "130,000.00" not in unit_page
    untouched = {path: stamp(site / path) for path in (OTHER_UNIT, "guide/reference.html", "progress.html")}
    untouched_md = stamp(docs / "units/sl-czj.md")
    untouched_download = stamp(docs / "downloads/units/sl-czj.csv")

    edit(history_repo, LEDGER, PAYMENT, PAYMENT.replace("80000.00", "50000.00"))  # 30,000 more owed
    edit(history_repo, LEDGER, "{date: 2022-11-30, amount: 100000.00}", "{date: 2022-11-30, amount: 130000.00}")
    said.clear()
    assert session.rebuild()

    assert "130,000.00" in (site / "units/sl-jtj.html").read_text(encoding="utf-8")  # what remains of A001
    assert (site / "index.html").read_text(encoding="utf-8") != dashboard
    assert {path: stamp(site / path) for path in untouched} == untouched
    assert stamp(docs / "units/sl-czj.md") == untouched_md
    assert stamp(docs / "downloads/units/sl-czj.csv") == untouched_download
    first, last = said[-2:]
    assert "units/sl-jtj.html" in first and "index.html" in first and "仍是旧内容" in first and "逾期清单" in first
    assert last.startswith("全部页面已更新")
    stale = [status["stale"] for status in said.statuses[-3:]]  # as each stage began
    assert {"units/sl-jtj.html", "index.html", "ledgers/", "overdue.html"} <= set(stale[0])
    assert "overdue.html" in stale[1] and "units/sl-jtj.html" not in stale[1] and "index.html" not in stale[1]
    assert json.loads((site / "qingqian-status.json").read_text(encoding="utf-8"))["updating"] is False
    assert_as_built_in_full(history_repo, tmp_path)


def test_an_invalid_ledger_keeps_the_last_good_site_and_says_so(served, history_repo: Path, tmp_path: Path,
                                                                 capsys):
    session, said = served
    page = tmp_path / "site/units/sl-jtj.html"
    before, text = stamp(page), page.read_text(encoding="utf-8")
    edit(history_repo, LEDGER, "amount: 380000.00", "amount: 三十八万")
    assert not session.rebuild()
    assert stamp(page) == before and page.read_text(encoding="utf-8") == text
    assert "网站保持上一次成功生成的内容" in said[-1] and LEDGER in said[-1]
    assert f"{LEDGER}:" in capsys.readouterr().err  # the problem, at its place, as validate says it
    edit(history_repo, LEDGER, "amount: 三十八万", "amount: 370000.00")  # fixed: the site follows
    assert session.rebuild()
    assert "370,000.00" in page.read_text(encoding="utf-8")


def test_a_new_commit_or_registration_rebuilds_what_it_touches(served, history_repo: Path, tmp_path: Path):
    session, said = served
    edit(history_repo, "units/sl-czj.yaml", "name: ", "name: 新")
    assert session.rebuild()
    assert any("全部页面" in line for line in said)
    assert "新示例" in (tmp_path / "site/units/sl-czj.html").read_text(encoding="utf-8")
    commit(history_repo, "2022-11-03T10:00:00+08:00", "改名")
    assert session.rebuild()
    assert_as_built_in_full(history_repo, tmp_path)


def test_the_frame_with_one_units_rows_derived_again_is_the_whole_frame(history_repo: Path):
    campaign = load_campaign(history_repo)
    before = validate_repo(history_repo).records
    frame = items_frame(before, campaign)
    edit(history_repo, LEDGER, PAYMENT, "")
    after = validate_repo(history_repo).records
    today = max(ledger.as_of for ledger in after.ledgers)
    patched = with_units_replaced(frame, after, {"sl-jtj"}, campaign, today)
    pd.testing.assert_frame_equal(patched, items_frame(after, campaign))


def test_a_page_open_in_the_browser_says_it_is_stale_and_reloads_when_rebuilt(driver, history_repo: Path,
                                                                              tmp_path: Path, monkeypatch):
    from generator.site import incremental
    from generator.site.serve import live_server

    session = Session(history_repo, "office", tmp_path / "site", tmp_path / "docs", None, lambda _text: None)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = live_server(session, "127.0.0.1", port, [history_repo / "ledgers"])
    server.builder()  # the first, full build, as serve runs it
    threading.Thread(target=server.serve, daemon=True).start()
    lists_may_go, make_group_pages = threading.Event(), incremental.group_pages

    def held(data):  # the second stage waits for the test: the page is seen while stale
        lists_may_go.wait(60)
        return make_group_pages(data)

    monkeypatch.setattr(incremental, "group_pages", held)
    banner = "document.querySelector('.qq-status')"
    try:
        driver.get(f"http://127.0.0.1:{port}/overdue.html")
        wait_for(driver, f"{banner} && {banner}.hidden")  # up to date: nothing to say
        driver.execute_script("window.qqBeforeReload = true")
        edit(history_repo, LEDGER, "amount: 380000.00", "amount: 370000.00")
        # served while it is rebuilt (the browsers reload), the page says it is stale ...
        assert "本页显示的是旧内容" in wait_for(
            driver, f"window.qqBeforeReload === undefined && {banner} && !{banner}.hidden && {banner}.textContent")
        # ... and the unit page is up to date while the lists are not yet
        assert "370,000.00" in served_once(f"http://127.0.0.1:{port}/units/sl-jtj.html", "370,000.00")
        assert "本页显示的是旧内容" in driver.execute_script(f"return {banner}.textContent")
        driver.execute_script("window.qqBeforeReload = true")
        lists_may_go.set()  # the lists are rebuilt: the page reloads itself, up to date
        wait_for(driver, f"window.qqBeforeReload === undefined && {banner} && {banner}.hidden")
        edit(history_repo, LEDGER, "amount: 370000.00", "amount: 三十七万")
        assert "数据有 1 个错误" in wait_for(driver, f"{banner} && !{banner}.hidden && {banner}.textContent")
        hosts = {urlsplit(url).hostname for url in requested(driver) if url.startswith("http")}
        assert hosts == {"127.0.0.1"}
    finally:
        lists_may_go.set()
        server.shutdown()


def test_a_failed_html_build_is_made_good_by_a_full_build_next_time(served, history_repo: Path, tmp_path: Path,
                                                                    monkeypatch):
    from generator.site import incremental

    session, said = served

    def fails(*_args, **_kwargs):
        raise SiteError("mkdocs 构建失败（测试）")

    with monkeypatch.context() as patched:
        patched.setattr(incremental.engine, "update", fails)
        edit(history_repo, LEDGER, "amount: 380000.00", "amount: 370000.00")
        assert not session.rebuild()  # the Markdown is written, its HTML is not
    assert "网站生成失败" in said[-1]
    assert "370,000.00" not in (tmp_path / "site/units/sl-jtj.html").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "site/qingqian-status.json").read_text(encoding="utf-8"))["error"]
    assert session.rebuild()  # nothing changed since: still the HTML catches up
    assert "370,000.00" in (tmp_path / "site/units/sl-jtj.html").read_text(encoding="utf-8")
