"""The demo `dev.py run` serves: the example city with its 2022 campaign as a Git history."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from generator.core.config import load_config
from generator.history.period_report import build_report
from generator.history.state import History
from helpers import REPO, git

SYNTH = REPO / "tools" / "synth_history.py"


def synth_history(out: Path) -> str:
    result = subprocess.run([sys.executable, SYNTH, "--out", out], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "repo"
    synth_history(out)
    return out


def test_the_history_is_the_2022_campaign_ending_in_the_committed_data(demo: Path):
    dates = git(demo, "log", "--format=%ad", "--date=format-local:%Y-%m-%d").split()
    assert len(dates) > 500 and {d[:4] for d in dates} == {"2022"}
    assert min(dates) == "2022-05-31" and max(dates) == "2022-11-15"
    assert {d[:7] for d in dates} == {"2022-05", "2022-06", "2022-07", "2022-08", "2022-09", "2022-10", "2022-11"}
    assert git(demo, "tag").split() == [f"2022-{m:02d}" for m in range(6, 12)]
    assert "+0800" in git(demo, "log", "-1", "--format=%ai")
    assert git(demo, "status", "--porcelain") == ""
    for folder in ("units", "ledgers"):
        shipped = {p.relative_to(REPO): p.read_bytes() for p in sorted((REPO / folder).rglob("*.yaml"))}
        demoed = {p.relative_to(demo): p.read_bytes() for p in sorted((demo / folder).rglob("*.yaml"))}
        assert demoed == shipped, folder


def test_units_submit_late_and_correct_and_debts_grow_over_time(demo: Path):
    first = git(demo, "log", "--reverse", "--format=%ad %s", "--date=short", "--", "ledgers/arrears").splitlines()
    starts = {line.split(" ", 1)[1].split("报送")[0]: line[:10] for line in reversed(first)}
    assert min(starts.values()).startswith("2022-06") and max(starts.values()) >= "2022-07-01"  # late units
    fixes = git(demo, "log", "-G", "field: amount", "--format=%ad", "--date=short", "--", "ledgers/arrears")
    assert fixes.split() and min(fixes.split()) > "2022-06-01"  # corrections filed during the campaign


def test_a_month_report_of_the_campaign_shows_repayments(demo: Path):
    history = History.read(demo)
    september = build_report(history, "month", date(2022, 9, 15), load_config(demo))
    assert september.period_name.startswith("月") and september.cutoff.date() == date(2022, 10, 1)
    assert september.change.repaid > 0
    assert september.totals.repaid > 0 and september.totals.items > 400
    june = build_report(history, "month", date(2022, 6, 15), load_config(demo))
    assert june.totals.repaid < september.totals.repaid


def test_made_once_then_kept_and_never_over_other_folders(demo: Path, tmp_path: Path):
    head = git(demo, "rev-parse", "HEAD")
    assert "已是最新" in synth_history(demo) and git(demo, "rev-parse", "HEAD") == head
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("不要删", encoding="utf-8")
    result = subprocess.run([sys.executable, SYNTH, "--out", other], capture_output=True, text=True)
    assert result.returncode == 2 and "不会覆盖" in result.stderr and (other / "notes.txt").exists()
