"""The demo `dev.py run` serves: the example city with its 2022 campaign, and its standing duty
under 《保障中小企业款项支付条例》 in 2025–2026, as a Git history."""

import json
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
    dates = git(demo, "log", "2022-11", "--format=%ad", "--date=format-local:%Y-%m-%d").split()
    assert len(dates) > 500 and {d[:4] for d in dates} == {"2022"}
    assert min(dates) == "2022-05-31" and max(dates) == "2022-11-15"
    assert {d[:7] for d in dates} == {"2022-05", "2022-06", "2022-07", "2022-08", "2022-09", "2022-10", "2022-11"}
    assert git(demo, "tag").split()[:6] == [f"2022-{m:02d}" for m in range(6, 12)]
    assert "+0800" in git(demo, "log", "-1", "--format=%ai")
    assert git(demo, "status", "--porcelain") == ""
    for folder in ("units", "ledgers"):
        shipped = {p.relative_to(REPO).as_posix(): p.read_bytes() for p in sorted((REPO / folder).rglob("*.yaml"))}
        listed = git(demo, "ls-tree", "-r", "--name-only", "2022-11", "--", folder).split()
        tagged = {path: subprocess.run(["git", "show", f"2022-11:{path}"], cwd=demo, capture_output=True,
                                       check=True).stdout for path in listed}
        assert tagged == shipped, folder


def test_the_standing_era_follows_and_its_figures_come_out_exactly(demo: Path, tmp_path: Path):
    later = git(demo, "log", "2022-11..HEAD", "--format=%ad", "--date=format-local:%Y-%m-%d").split()
    assert min(later) == "2025-06-03" and max(later) == "2026-11-30"
    assert git(demo, "tag").split()[-1] == "2026-11" and "2025-06" in git(demo, "tag").split()
    out = tmp_path / "debts.json"
    result = subprocess.run([sys.executable, "-m", "generator", "export", "--root", demo, "--format", "json",
                             "--out", out], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    rows = {f"{r['unit']}/{r['id']}": r for r in json.loads(out.read_text(encoding="utf-8")) if r["delivered"]}
    shown = {ref: (r["statutory_due"], r["remaining"], r["overdue_interest"], r["violations"])
             for ref, r in rows.items()}
    assert shown == {
        # acceptance 14 days late: the term runs from 09-11, 30 days end on Saturday 10-11, a 调休 working day;
        # 8,600,000 fen × 39 days + 4,600,000 × 376 days at 0.05% a day
        "yl-sjglj/G001": ("2025-10-11", "46000.00", "10325.00", "逾期未付；拖延验收"),
        # 90 days agreed: capped at 60 from 03-02, 05-01 in the Labour Day holiday -> 05-06; 2.80% raised to the
        # LPR of 2025-03-15 (3.10%): (125,000,000 × 54 + 75,000,000 × 92 + 45,000,000 × 62) × 3.10% / 360
        "yl-sjglj/G002": ("2026-05-06", "450000.00", "14156.67",
                          "逾期未付；付款期限超过60日；审计结算条款；约定利率低于LPR"),
        "yl-rmyy/R001": ("2025-11-10", "0.00", "0.00", ""),  # paid on the last day, moved off Saturday 11-08
        # 23,000,000 × 46 days + 13,000,000 × 274 days at 0.05%
        "yl-rmyy/R002": ("2026-01-14", "130000.00", "23100.00", "逾期未付；背靠背条款"),
        # signed 2025-05-31 under 728号: the contract's due stands; 300,000,000 × 40 + 120,000,000 × 294 at 0.05%
        "yl-csfz/C001": ("2025-12-31", "1200000.00", "236400.00", "逾期未付"),
        # signed 2025-06-01 under 802号: 60 days from settlement; 200,000,000 × 100 days at 3.00% / 360
        "yl-csfz/C002": ("2026-01-19", "0.00", "16666.67", ""),
    }
    clues = tmp_path / "clues.json"
    result = subprocess.run([sys.executable, "-m", "generator", "export", "--root", demo, "--table", "clues",
                             "--format", "json", "--out", clues], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    late = {r["id"]: r["late"] for r in json.loads(clues.read_text(encoding="utf-8")) if r["late"]}
    assert late == {"TS2025-001": "转交超时", "TS2026-001": "办理超时", "TS2026-002": "转交超时"}


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
