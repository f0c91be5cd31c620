"""The office site's history pages (进展, 本期变化, 调度报告, timelines) built from a real git
history with commits at chosen times, a `2022-10` period tag, and a root with no history."""

import html
import itertools
import json
import re
import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path

import docx
import openpyxl
import pytest

from generator.cli.main import main
from generator.core.config import Config
from generator.core.money import percent_shown
from generator.history import state
from generator.history.progress import daily_cutoffs, overall, series
from generator.history.state import History
from generator.site.changes import previous_tag
from generator.site.history_pages import DAILY_SPAN, open_history, progress_cutoffs
from helpers import FIXTURES, LEDGER, build, commit, edit, git, play_first_of_november

AS_OF = date(2022, 11, 2)
HISTORY_PAGES = ["progress.html", "changes.html", "reports/index.html"]


def tag(repo: Path, name: str) -> None:
    git(repo, "tag", name)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """Ledgers set up on 20 October (tagged 2022-10), a payment at 16:59 on 1 November, a new
    debt at 17:01, and on 2 November the rest of A001 paid."""
    root = tmp_path_factory.mktemp("history") / "city"
    shutil.copytree(FIXTURES / "mini", root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "2022-10-20T10:00:00+08:00", "建立台账")
    tag(root, "2022-10")
    play_first_of_november(root)
    edit(root, LEDGER, "      - {date: 2022-11-01, amount: 80000.00, method: 银行转账}\n",
         "      - {date: 2022-11-01, amount: 80000.00, method: 银行转账}\n"
         "      - {date: 2022-11-02, amount: 100000.00, method: 银行转账}\n")
    commit(root, "2022-11-02T10:00:00+08:00", "还清")
    return root


@pytest.fixture(scope="module")
def sites(repo, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("history-sites")
    with pytest.MonkeyPatch.context() as patch:  # module-scoped: the per-test private cache is not set yet
        patch.setenv("QINGQIAN_CACHE", str(out / "cache"))
        return {audience: build(repo, audience, out / audience, AS_OF) for audience in ("office", "public")}


def page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def charts(text: str) -> list[dict]:
    return [json.loads(html.unescape(spec)) for spec in re.findall(r'data-chart="([^"]*)"', text)]


def rows(text: str, heading: str) -> list[list[str]]:
    """Cells of the first table after `heading`, as plain text."""
    section = text[text.index(heading):]
    body = section[section.index("<tbody>"):section.index("</tbody>")]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_progress_charts_match_the_series(repo, sites):
    expected = overall(series(History.read(repo), daily_cutoffs(date(2022, 10, 20), AS_OF, Config()), cache=False))
    remaining, rate, by_region, _ = charts(page(sites["office"], "progress.html"))
    assert remaining["labels"] == [c.date().isoformat() for c in expected["cutoff"]]
    assert remaining["labels"][0] == "2022-10-20" and remaining["labels"][-1] == "2022-11-02"
    # on a time axis: each point at its day number
    assert remaining["days"] == [(c.date() - date(1970, 1, 1)).days for c in expected["cutoff"]] == rate["days"]
    assert remaining["series"][0]["data"] == [round(int(v) / 1_000_000, 2) for v in expected["remaining"]]
    # the rate as every output shows it: rounded once, half-up, to one decimal of a percent
    assert rate["series"][0]["data"] == [float(percent_shown(Fraction(int(r), int(a))) * 100)
                                         for r, a in zip(expected["repaid"], expected["amount"], strict=True)]
    assert [s["label"] for s in by_region["series"]] == ["示例市"]


def test_long_histories_are_weekly_before_the_daily_span():
    cuts = progress_cutoffs(date(2021, 1, 1), date(2022, 1, 1), Config())
    days = [c.date() for c in cuts]
    assert days[-1] == date(2022, 1, 1) and len([d for d in days if (date(2022, 1, 1) - d).days < DAILY_SPAN]) == 120
    older = [d for d in days if (date(2022, 1, 1) - d).days >= DAILY_SPAN]
    assert older and all((b - a).days == 7 for a, b in itertools.pairwise(older))


def test_a_second_build_of_an_unchanged_history_parses_no_old_version(repo, tmp_path, monkeypatch):
    """本期变化's comparison state, the reports' states, progress and timelines all come from
    their per-blob caches the second time: no version of a file in the history is parsed again."""
    parsed: list[str] = []
    check = state.check_contents

    def counting(pairs, *args, **kwargs):
        parsed.extend(path for path, _data in pairs)
        return check(pairs, *args, **kwargs)

    monkeypatch.setattr(state, "check_contents", counting)
    first = build(repo, "office", tmp_path / "first", AS_OF)
    assert LEDGER in parsed
    parsed.clear()
    second = build(repo, "office", tmp_path / "second", AS_OF)
    assert parsed == []
    assert page(second, "changes.html") == page(first, "changes.html")


def test_changes_since_the_previous_tag(sites):
    text = page(sites["office"], "changes.html")
    assert "报送期标签 2022-10" in html.unescape(text)
    assert [r[1] for r in rows(text, ">新增欠款<")] == ["A004"]
    payments = rows(text, ">还款<")
    assert [(r[1], r[3], r[4]) for r in payments] == [("A001", "2022-11-01", "80,000.00"),
                                                      ("A001", "2022-11-02", "100,000.00")]
    assert [r[1] for r in rows(text, ">还清的欠款<")] == ["A001"]


def test_a_tag_on_the_built_commit_is_not_the_previous_version(repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    tag(clone, "2022-11")  # publishing the 2022-11 tag compares with 2022-10
    found = previous_tag(History.read(clone))
    assert found is not None and found[0] == "2022-10"


def test_the_unit_page_shows_each_debts_timeline(sites):
    timeline = rows(page(sites["office"], "units/sl-jtj.html"), ">变化记录<")
    events = {(r[0], r[1], r[2], r[3], r[6]) for r in timeline}
    assert ("A001", "出现", "—", "380,000.00", "2022-10-20 10:00") in events
    assert ("A001", "还款", "2022-11-01", "80,000.00", "2022-11-01 16:59") in events
    assert ("A001", "还清", "—", "", "2022-11-02 10:00") in events
    assert ("A004", "出现", "—", "66,000.00", "2022-11-01 17:01") in events
    assert ("A003", "更正", "2022-07-02", "90,000.10", "2022-10-20 10:00") in events
    assert [r[4] for r in timeline if r[1] == "还款" and r[0] == "A001"] == ["银行转账"] * 3


def test_reports_of_each_period_and_their_downloads(sites):
    office = sites["office"]
    index = page(office, "reports/index.html")
    for slug in ("day", "week", "month-2022-11", "month-2022-10", "quarter-2022-q4", "year-2022"):
        assert (office / "reports" / f"{slug}.html").is_file(), slug
        assert (office / "downloads/reports" / f"{slug}.xlsx").is_file(), slug
        assert f'href="{slug}.html"' in index
    month = page(office, "reports/month-2022-11.html")
    # the reports are read up to the last commit (11-02), before November ended: 未截止, listed so
    listed = {r[0]: r[3] for r in rows(index, "<tbody>")}
    assert listed["2022年11月月调度（未截止）"] == "未截止" and listed["2022年10月月调度"] == "已截止"
    assert "月调度·未截止（数据截至 2022-11-02 24:00" in month
    region = rows(month, ">分地区<")
    assert region[0][0] == "示例市" and region[0][7] == "180,000.00"  # 本期还款: both November payments
    disclosure = rows(page(office, "reports/year-2022.html"), "<tbody>")
    assert ["示例市交通运输局（示例）", "机关", "2"] in [r[:3] for r in disclosure]  # A001, A002 unpaid
    # governments disclose too; one that never submitted a ledger is 未报送, not zero
    assert ["示例市人民政府（示例）", "县级政府", "未报送", "未报送"] in disclosure
    assert 'href="../units/sl-jtj.html"' in page(office, "reports/year-2022.html")
    book = openpyxl.load_workbook(office / "downloads/reports/year-2022.xlsx")
    assert len(book.sheetnames) == 1  # only the disclosure table: no per-debt sheet, no creditor
    assert "债权企业" not in {cell.value for row in book.worksheets[0].iter_rows() for cell in row}
    assert "downloads/reports/month-2022-11.xlsx" in page(office, "downloads.html")
    sums = (office / "downloads/reports/SHA256SUMS").read_text(encoding="utf-8")
    assert "  month-2022-11.xlsx\n" in sums


def test_months_and_quarters_offer_their_circular_as_the_report_command_writes_it(repo, sites, tmp_path):
    office = sites["office"]
    for slug in ("month-2022-11", "month-2022-10", "quarter-2022-q4"):
        assert (office / "downloads/reports" / f"{slug}.docx").is_file(), slug
        assert f'href="../downloads/reports/{slug}.docx"' in page(office, "reports/index.html")
        assert f"downloads/reports/{slug}.docx" in page(office, f"reports/{slug}.html")
    assert not (office / "downloads/reports/day.docx").exists()  # a 通报 goes out by month and quarter
    out = tmp_path / "通报.docx"
    assert main(["report", "--root", str(repo), "--period", "month", "--date", "2022-10-01", "--format", "docx",
                 "--out", str(out)]) == 0
    assert (office / "downloads/reports/month-2022-10.docx").read_bytes() == out.read_bytes()  # a closed month
    november = docx.Document(office / "downloads/reports/month-2022-11.docx")
    assert any(p.text.startswith("本期尚未截止") for p in november.paragraphs)  # the site's date is 2 November
    assert "downloads/reports/quarter-2022-q4.docx" in page(office, "downloads.html")
    assert "  quarter-2022-q4.docx\n" in (office / "downloads/reports/SHA256SUMS").read_text(encoding="utf-8")


def test_the_public_site_has_no_history_page(sites):
    public = sites["public"]
    for rel in HISTORY_PAGES:
        assert not (public / rel).exists(), rel
    assert not (public / "reports").exists() and not (public / "downloads").exists()
    for path in public.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "本期变化" not in text and "调度报告" not in text and "变化记录" not in text, path


def test_without_history_the_pages_say_so(mini_office):
    assert open_history(FIXTURES / "mini") is None  # a folder inside this repository is not a history
    for rel in HISTORY_PAGES:
        assert "无历史记录" in page(mini_office, rel), rel
    assert "变化记录" not in page(mini_office, "units/sl-jtj.html")
    assert not (mini_office / "downloads/reports").exists()
