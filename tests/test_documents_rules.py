"""The standing rules in the official documents, on the demo's real Git history (2025-06 … 2026-11 under
《保障中小企业款项支付条例》): the 通报's 附件 of violations is the JSON report's list row for row, its
sentence the report's 条例执行 figures; the 督办函 states the unit's violations and the interest it owes."""

import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph
from test_demo_history import synth_history

from generator.core.config import load_config
from generator.core.money import grouped
from generator.document.circular import VIOLATIONS, circular
from generator.history.period_report import build_report
from generator.history.report_json import json_form
from generator.history.state import History
from helpers import REPO


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "repo"
    synth_history(out)
    return out


def _fen(text: str) -> int:
    return round(float(text) * 100)


def _table_after(document, title: str):
    """The table of the 附件 whose title paragraph says `title`."""
    titled = False
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph) and block.text == title:
            titled = True
        elif titled and isinstance(block, Table):
            return block
    raise AssertionError(f"没有附件：{title}")


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_circulars_violations_are_the_json_reports_row_for_row(demo):
    made = build_report(History.read(demo), "month", date(2026, 10, 15), load_config(demo))
    data = json.loads(json.dumps(json_form(made)))  # the JSON as `report --format json` prints it
    listed = data["violations"]
    assert len(listed) >= 3 and {row["unit"] for row in listed} >= {"yl-sjglj", "yl-rmyy", "yl-csfz"}
    document = docx.Document(io.BytesIO(circular(made, load_config(demo))))
    table = _table_after(document, VIOLATIONS)
    header, *rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert header == ["序号", "单位", "债权企业", "违反条例情形", "条例规定的付款期限", "尚未清偿（元）",
                      "应付逾期利息（元）"]
    assert rows == [[str(n), row["unit_name"], row["creditor_name"], row["violations"], row["statutory_due"],
                     grouped(_fen(row["remaining"])), grouped(_fen(row["interest"]))]
                    for n, row in enumerate(listed, 1)]
    text = _text(document)
    [figures] = data["standing"]
    assert (f"计算的欠款{figures['debts']}笔，其中逾期未付{figures['overdue']}笔、"
            f"尚未支付{grouped(_fen(figures['overdue_remaining']))}元，"
            f"应付逾期利息{grouped(_fen(figures['interest']))}元；违反条例的欠款{len(listed)}笔") in text
    assert f"投诉办理超过条例规定时限的{figures['late_clues']}条" in text
    number = re.search(rf"附件：(?:.*\n)*?(\d)\. {re.escape(VIOLATIONS)}", text)
    assert number and f"涉及3个单位（见附件{number.group(1)}）" in text  # the note and the sentence agree
    assert not any(re.search(rf"\b{re.escape(row['unit'])}\b|\b{row['id']}\b", text) for row in listed)  # names


def test_the_reports_violations_are_the_exports_at_the_same_day(demo, tmp_path):
    """The report lists what the export finds at fault at the same data date: no second reckoning."""
    made = json_form(build_report(History.read(demo), "month", date(2026, 11, 15), load_config(demo)))
    out = tmp_path / "debts.json"
    result = subprocess.run([sys.executable, "-m", "generator", "export", "--root", demo, "--format", "json",
                             "--out", out], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    exported = {(r["unit"], r["id"]): (r["violations"], r["statutory_due"], r["remaining"], r["overdue_interest"])
                for r in json.loads(out.read_text(encoding="utf-8")) if r["violations"]}
    reported = {(r["unit"], r["id"]): (r["violations"], r["statutory_due"], r["remaining"], r["interest"])
                for r in made["violations"]}
    assert reported == exported and exported
    interests = [_fen(r["interest"]) for r in made["violations"]]
    assert interests == sorted(interests, reverse=True)  # most interest owed first


def test_a_campaign_month_has_no_rules_annex(demo):
    made = build_report(History.read(demo), "month", date(2022, 10, 15), load_config(demo))
    assert made.standing is None and made.violations is None
    text = _text(docx.Document(io.BytesIO(circular(made, load_config(demo)))))
    assert "条例" not in text


def test_the_notice_states_the_units_violations_and_the_interest_it_owes(demo, tmp_path):
    out = tmp_path / "函.docx"
    result = subprocess.run([sys.executable, "-m", "generator", "notice", "--root", demo, "--unit", "yl-sjglj",
                             "--out", out], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    exported = tmp_path / "debts.json"
    subprocess.run([sys.executable, "-m", "generator", "export", "--root", demo, "--format", "json",
                    "--out", exported], cwd=REPO, capture_output=True, check=True)
    mine = [r for r in json.loads(exported.read_text(encoding="utf-8")) if r["unit"] == "yl-sjglj"]
    faulted = sorted((r for r in mine if r["violations"]), key=lambda r: -_fen(r["overdue_interest"]))
    document = docx.Document(out)
    text = _text(document)
    interest = sum(_fen(r["overdue_interest"]) for r in mine)
    assert f"你单位应向中小企业支付逾期利息{grouped(interest)}元" in text and interest > 0
    assert f"{len(faulted)}笔不符合《保障中小企业款项支付条例》的规定（逾期未付、付款期限超过60日、拖延验收、" in text
    assert "依法修改合同中违反条例的约定（付款期限超过60日、审计结算条款、约定利率低于LPR）" in text
    table = _table_after(document, VIOLATIONS)
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert rows == [[str(n), r["creditor_name"], r["violations"], r["statutory_due"], grouped(_fen(r["remaining"])),
                     grouped(_fen(r["overdue_interest"]))] for n, r in enumerate(faulted, 1)]
    assert "附件：1. 尚未清偿的欠款明细" in text and f"2. {VIOLATIONS}" in text
