"""Long work says what it is doing: a line per stage in a log, a bar on a terminal."""

import io
import threading
import time
from pathlib import Path

from generator.core.running import SILENT, Progress
from generator.site.build import build_site
from generator.validate.pipeline import validate_repo
from helpers import FIXTURES


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_one_line_per_finished_stage():
    log = io.StringIO()
    with Progress(log).stage("填报模板", 3, "个单位") as advance:
        for _ in range(3):
            advance(1)
    with Progress(log).stage("历史页面"):
        pass
    lines = log.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith("填报模板：3 个单位（") and lines[1].startswith("历史页面（")


def test_a_failed_stage_is_not_reported_done():
    log = io.StringIO()
    try:
        with Progress(log).stage("页面", 2):
            raise ValueError
    except ValueError:
        pass
    assert log.getvalue() == ""


def test_a_terminal_gets_a_bar_and_silent_prints_nothing(capsys):
    screen = Terminal()
    with Progress(screen).stage("mkdocs 构建", 2, "页") as advance:
        advance(2)
    assert "mkdocs 构建:   0%" in screen.getvalue() and "0/2 [" in screen.getvalue()
    with SILENT.stage("页面", 2) as advance:
        advance(2)
    assert capsys.readouterr() == ("", "")


def test_a_terminal_bar_leaves_no_thread_so_later_stages_still_fork():
    """tqdm's monitor thread would make every stage after the first bar single-core: running.Forked
    forks only a process without other threads."""
    before = threading.active_count()
    with Progress(Terminal()).stage("校验", 2) as advance:
        advance(1)
        time.sleep(0.05)  # a monitor thread would be running by now
    assert threading.active_count() == before


def test_the_office_build_reports_each_stage(tmp_path: Path):
    log = io.StringIO()
    build_site(validate_repo(FIXTURES / "mini").records, FIXTURES / "mini", "office", tmp_path / "site",
               progress=Progress(log))
    stages = [line.split("：")[0].split("（")[0] for line in log.getvalue().splitlines()]
    assert stages == ["派生字段", "历史页面", *["下载文件"] * 4, "页面数据", "页面", "mkdocs 构建"]
    assert "mkdocs 构建：" in log.getvalue() and "下载文件：填报模板：" in log.getvalue()
