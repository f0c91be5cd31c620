"""The seeds' remaining work on the built sites and in the reports: 确权, follow-up checks,
measures, creditor pages, SOE figures, 前期遗留 and clue deadlines (real mkdocs builds of
the example city, real git history for the reports)."""

import dataclasses
import io
import json
import re
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from generator.analysis import soe
from generator.analysis.frame import items_frame
from generator.core.config import Campaign
from generator.history.report_files import to_markdown, to_xlsx
from generator.validate.pipeline import validate_repo
from helpers import REPO, build, commit, edit, report

LEDGER = "ledgers/arrears/sl-jtj.yaml"
A003_PAID = "90000.10"  # A003's two payments of 45000.05
A003_END = "      - {date: 2022-07-02, field: amount, reason: 合同结算审计调减}\n"


def text_of(page: Path) -> str:
    return re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))


def test_the_office_sees_each_feature_of_the_example_city(example_office: Path):
    records = validate_repo(REPO).records
    items = [i for led in records.ledgers for i in led.items]
    supervision = text_of(example_office / "supervision.html")
    for heading in ("回访核查发现不符", "确权请求超过 30 天未答复", "限期清偿已过仍未清偿的线索",
                    "督办名单上的单位已采取的措施", "尚未采取措施的单位"):
        assert heading in supervision
    # every discrepancy of the data is on the 督办 page, at its unit and debt
    frame = items_frame(records, Campaign())
    flagged = frame[frame["followup_discrepancy"]]
    assert len(flagged) >= 3
    for row in flagged.to_dict("records"):
        assert row["unit_name"] in supervision and row["creditor_name"] in supervision
    follow = text_of(example_office / "followthrough.html")
    assert "本期抽查名单" in follow and "尚未答复" in follow
    assert sum(len(i.confirmations) for i in items) == int(re.search(r"共 (\d+) 次请求", follow).group(1))
    soe_page = text_of(example_office / "soe.html")
    assert "集团合计" in soe_page and "企业年报" in soe_page
    assert (example_office / "downloads/soe.xlsx").is_file()


def test_every_creditor_has_a_page_linked_from_its_debts(example_office: Path):
    records = validate_repo(REPO).records
    codes = {i.creditor_code for led in records.ledgers for i in led.items}
    codes |= {c.complainant_code for cl in records.clue_ledgers for c in cl.clues}
    pages = {p.stem for p in (example_office / "creditors").glob("*.html")}
    assert pages == codes
    unit = next(led for led in records.ledgers if led.items)
    html = (example_office / f"units/{unit.unit}.html").read_text(encoding="utf-8")
    assert f'href="../creditors/{unit.items[0].creditor_code}.html"' in html
    overdue = (example_office / "overdue.html").read_text(encoding="utf-8")
    assert 'href="creditors/' in overdue
    # out of the navigation (like unit pages), found by the search box's own table (site/lookup.py)
    index = (example_office / "index.html").read_text(encoding="utf-8")
    assert "creditors/" not in index
    lookup = json.loads((example_office / "search/lookup.json").read_text(encoding="utf-8"))["pages"]
    item = unit.items[0]
    assert [f"creditors/{item.creditor_code}.html", "债权人"] in [page[1:3] for page in lookup]


def test_a_creditor_page_gathers_debts_complaints_requests_and_checks(example_office: Path):
    records = validate_repo(REPO).records
    clue = next(c for cl in records.clue_ledgers for c in cl.clues if c.item)
    page = text_of(example_office / f"creditors/{clue.complainant_code}.html")
    assert clue.id in page and clue.complainant_name in page
    asked = next(i for led in records.ledgers for i in led.items if i.confirmations)
    page = text_of(example_office / f"creditors/{asked.creditor_code}.html")
    assert str(asked.confirmations[0].received) in page


def test_the_unit_page_shows_its_measures(example_office: Path):
    records = validate_repo(REPO).records
    measure = records.measures[0]
    page = text_of(example_office / f"units/{measure.unit}.html")
    assert "督办措施" in page and measure.id in page and measure.kind in page


def test_nothing_of_it_reaches_the_public_site(mini_public: Path, tmp_path: Path):
    root = tmp_path / "city"
    for folder in ("units", "ledgers"):
        import shutil
        shutil.copytree(REPO / folder, root / folder)
    site = build(root, "public", tmp_path / "public", as_of=None)
    assert not (site / "creditors").exists() and not (site / "soe.html").exists()
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                         if p.is_file() and p.suffix in (".html", ".json", ".xml"))
    for word in ("确权", "回访", "M2022-001", "约谈名单"):
        assert word not in everything


def test_soe_annual_figures_count_only_what_was_unpaid_at_year_end():
    records = validate_repo(REPO).records
    figures = soe.annual_figures(records, date(2022, 11, 15))
    assert figures and all(f.year <= 2022 for f in figures)
    running = [f for f in figures if f.year == 2022]
    assert running and not any(f.complete for f in running)
    # recompute one unit's 2021 by hand from its debts
    one = next(f for f in figures if f.year == 2021 and f.count)
    ledger = next(led for led in records.ledgers if led.unit == one.unit)
    end = date(2021, 12, 31)
    owed = [i.amount - sum((p.amount for p in i.payments if p.date <= end), 0) for i in ledger.items if i.due < end]
    assert one.count == sum(o > 0 for o in owed)
    assert one.amount == int(sum(o for o in owed if o > 0) * 100)


def test_soe_workbook_has_both_sheets(example_office: Path):
    book = load_workbook(io.BytesIO((example_office / "downloads/soe.xlsx").read_bytes()))
    assert book.sheetnames == ["考核表", "年报数据"]
    assert book["考核表"]["A1"].value == "集团"


def test_the_quarterly_report_counts_them(history_repo: Path):
    edit(history_repo, LEDGER, A003_END, A003_END
         + "    followups:\n      - {date: 2022-11-02, method: 电话回访, by: sl-zxqy, result: 未到账}\n"
         + "    confirmations:\n      - {received: 2022-11-02, purpose: 融资}\n")
    edit(history_repo, LEDGER, "    origin: 排查\n  - id: A003", "    origin: 前期遗留\n  - id: A003")
    (history_repo / "ledgers/measures.yaml").write_text(
        "measures:\n  - {id: M2022-001, date: 2022-11-02, unit: sl-jtj, kind: 约谈, basis: 计划逾期}\n",
        encoding="utf-8")
    commit(history_repo, "2022-11-02T10:00:00+08:00", "回访、确权、约谈")
    data = report(history_repo, "quarter", date(2022, 11, 2))
    counts = data["followthrough"][0]
    assert counts["measures"] == 1 and counts["followups"] == 1 and counts["discrepancies"] == 1
    assert counts["requests_received"] == 1
    origins = {row["origin"]: row for row in data["by_origin"]}
    assert origins["前期遗留"]["items"] == 1
    assert data["measures"][0]["id"] == "M2022-001" and data["discrepancies"][0]["id"] == "A003"
    # 报送已还 is what the unit reported (A003 paid in full), the part not arrived is 待核实
    found = data["discrepancies"][0]
    assert found["reported_paid"] == found["unverified"] == A003_PAID and "repaid" not in found


def test_report_files_show_the_new_sections(history_repo: Path):
    from generator.core.config import Config
    from generator.history.period_report import build_report
    from generator.history.state import History
    made = build_report(History.read(history_repo), "quarter", date(2022, 11, 2), Config())
    markdown = to_markdown(made)
    assert "## 确权、回访、措施（本期）" in markdown and "## 按欠款来源（前期遗留单列）" in markdown
    sheets = load_workbook(io.BytesIO(to_xlsx(made))).sheetnames
    assert "按欠款来源（前期遗留单列）" in sheets


def test_the_clue_page_tracks_each_clue_deadline_like_the_supervision_page(example_office: Path):
    records = validate_repo(REPO).records
    with_deadline = {c.id: c for cl in records.clue_ledgers for c in cl.clues if c.accepted and c.deadline}
    assert len(with_deadline) >= 5
    page = example_office.joinpath("clues.html").read_text(encoding="utf-8")
    section = page.split('id="限期清偿与办理进展"', 1)[1].split('id="全部线索"', 1)[0]
    rows = {re.sub(r"<[^>]+>", "", row.split("</td>", 1)[0]): text_of_html(row)
            for row in re.findall(r"<tr><td[^>]*>(TS.*?)</tr>", section, re.S)}
    assert set(rows) == set(with_deadline)
    for clue_id, row in rows.items():
        clue = with_deadline[clue_id]
        assert str(clue.deadline) in row
        latest = max(clue.progress, key=lambda p: p.date) if clue.progress else None
        assert (f"{latest.date} {latest.note}" if latest else "—") in row
    supervision = example_office.joinpath("supervision.html").read_text(encoding="utf-8")
    late_section = supervision.split('id="clues-past-deadline"', 1)[1].split("<h2", 1)[0]
    late_there = set(re.findall(r"TS\d{4}-\d{3}", late_section))
    late_here = {clue_id for clue_id, row in rows.items() if "超期" in row}
    assert late_here and late_here == late_there  # one rule, the same answer on both pages


def text_of_html(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def test_a_halted_units_page_keeps_its_ledger_out_of_the_totals(example_office: Path):
    records = validate_repo(REPO).records
    halted = [u for u in records.units.values() if u.halted is not None]
    ledgers = {led.unit: led for led in records.ledgers}
    unit = next(u for u in halted if u.id in ledgers)
    page = text_of(example_office / f"units/{unit.id}.html")
    assert f"自 {unit.halted} 起停产" in page and "不计入任何合计" in page
    for item in ledgers[unit.id].items:  # every debt still on record, as it stood before halting
        assert item.creditor_name in page
    assert unit.id not in set(items_frame(records, Campaign())["unit"])  # and counted nowhere


def test_the_latest_progress_note_is_the_newest_whatever_the_order_written():
    records = validate_repo(REPO).records
    clue = next(c for cl in records.clue_ledgers for c in cl.clues if len(c.progress) >= 2)
    newest = max(clue.progress, key=lambda p: p.date)
    clue = dataclasses.replace(clue, progress=[newest, *(p for p in clue.progress if p is not newest)])
    assert clue.latest_progress is newest  # written first, still the one both pages show
    assert dataclasses.replace(clue, progress=[]).latest_progress is None


def test_creditor_pages_name_the_checkers_not_their_ids(example_office: Path):
    records = validate_repo(REPO).records
    checked = [(item.creditor_code, f.by) for led in records.ledgers for item in led.items for f in item.followups
               if f.by in records.units and f.by != led.unit]
    assert checked
    for code, by in checked:
        path = example_office / f"creditors/{code}.html"
        page = path.read_text(encoding="utf-8")
        assert records.units[by].name in text_of(path), (code, by)
        assert f">{by}<" not in page, (code, by)  # the id only as a link target or tooltip
