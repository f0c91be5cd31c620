"""Hostile text in every field that reaches a 通报 or a 督办函 — unit, region and creditor names, the
measures' text, the configured organ, mark, 机关代字, 主送, 抄送 and 印发 — with control and direction
characters, very long names, blank text and huge amounts: python-docx opens the file, LibreOffice renders
it, and the text shows as visible escapes, never as the characters themselves."""

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest

from generator.analysis.frame import items_frame
from generator.core.config import Config, ConfigError, Document, load_config
from generator.core.model import Measure
from generator.core.money import grouped
from generator.document.circular import circular
from generator.document.notice import notice_document, notices
from generator.history.period_report import build_report
from generator.history.report_data import StandingFigures, ViolationRow
from generator.history.state import History
from generator.validate.pipeline import validate_repo

# NUL, ESC, a right-to-left override, a right-to-left mark, an isolate, a non-character, a lone
# surrogate and a line separator, then a name 5,000 characters long
HOSTILE = "恶意\x00\x1b[31m\u202e单位\u200f\u2066\ufffe\ud800\u2028名称" + "很长的名称" * 1000
SHORT = "坏\x07名\u202e字\u2067"
BLANK = " \t\u3000 "
HUGE = 99_999_999_999_999_99  # fen: a sum over many ledgers, each under the cap of 1万亿元
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\u200f\u202e\u2028\u2066\u2067\ufffe\ud800]")
CONFIG = Document(organ=SHORT + "办公室", mark="红头\x1b" + "很长的机关" * 40, number_prefix="清欠\u202e办",
                  recipients="各单位\u2066" + SHORT, printer="印发\x00" + SHORT, copy_to="抄送\u200f" + SHORT)


def _texts(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    section = document.sections[0]
    parts += [p.text for part in (section.footer, section.even_page_footer, section.first_page_header)
              for p in part.paragraphs]
    return "\n".join(parts)


def _hostile_circular(history_repo: Path) -> bytes:
    made = build_report(History.read(history_repo), "quarter", date(2022, 11, 2), Config())
    made.by_region = [replace(row, region_name=HOSTILE, amount=HUGE, repaid=HUGE // 3, remaining=HUGE - HUGE // 3)
                      for row in made.by_region]
    made.late_units = [replace(row, unit_name=SHORT) for row in made.late_units]
    made.plan_slipped = [replace(row, unit_name=HOSTILE, creditor_name=BLANK, plan_shortfall=HUGE)
                         for row in made.plan_slipped]
    made.supervision = [replace(row, unit_name=SHORT, remaining=HUGE) for row in made.supervision or []]
    made.standing = [StandingFigures(3, 2, HUGE, HUGE, 1)]
    made.violations = [ViolationRow("u", "A001", HOSTILE, SHORT, "逾期未付", date(2026, 1, 5), HUGE, HUGE),
                       ViolationRow("u", "A002", BLANK, BLANK, "背靠背条款", None, 0, 0)]
    return circular(made, Config(document=CONFIG))


def _hostile_notice(mini: Path) -> bytes:
    records = validate_repo(mini).records
    config = Config()
    frame = items_frame(records, config.campaign, date(2022, 10, 31))
    [found] = notices(frame, records, config.supervision, date(2022, 10, 31))
    measures = [Measure("M1", date(2022, 9, 1), found.unit, SHORT, HOSTILE, None, 1, {}),
                Measure("M2", date(2022, 9, 2), found.unit, "约谈", BLANK, None, 2, {})]
    unpaid = [{**row, "creditor_name": HOSTILE if n == 0 else BLANK, "remaining": HUGE}
              for n, row in enumerate(found.unpaid)]
    faulted = {**unpaid[0], "violations": ("逾期未付",), "statutory_due": date(2022, 9, 1), "overdue_interest": HUGE}
    hostile = replace(found, unit_name=HOSTILE, supervisor_name=SHORT, remaining=HUGE, amount=HUGE, unpaid=unpaid,
                      measures=measures, violations=[faulted], interest=HUGE)
    return notice_document(hostile, replace(CONFIG, reply_days=3))


@pytest.fixture
def written(history_repo, mini) -> dict[str, bytes]:
    return {"通报": _hostile_circular(history_repo), "督办函": _hostile_notice(mini)}


def test_hostile_text_is_shown_as_escapes_in_every_field(written):
    for name, data in written.items():
        text = _texts(docx.Document(io.BytesIO(data)))  # a character XML cannot hold would fail here
        assert not RAW.search(text), name
        for escape in ("\\u0000", "\\u001b", "\\u202e", "\\u200f", "\\u2066", "\\ufffe", "\\ud800"):
            assert escape in text, (name, escape)
        assert "很长的名称" * 1000 in text and grouped(HUGE) in text, name  # nothing cut, the figure whole
        copied = "抄送\\u200f" if name == "通报" else ""  # the 督办函 copies the unit's supervising body
        assert "清欠\\u202e办" in text and f"抄送：{copied}坏\\u0007名\\u202e字\\u2067。" in text, name
        assert "None" not in text and "\\u3000" not in text, name  # blank stays blank


def test_a_measure_without_its_text_reads_as_a_sentence(written):
    text = _texts(docx.Document(io.BytesIO(written["督办函"])))
    assert "2022年9月2日，约谈。" in text and "约谈：。" not in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装")
def test_libreoffice_renders_the_hostile_documents(written, tmp_path):
    for name, data in written.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    result = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path),
                             *(str(tmp_path / f"{name}.docx") for name in written)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for name in written:
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 10_000, name
        if shutil.which("pdftotext"):
            shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
            assert "\\u202e" in shown and "很长的名称很长的名称" in shown, name


@pytest.mark.parametrize("value", ["null", "''", "'  '", "[发文机关]"])
def test_a_blank_or_missing_organ_in_the_config_is_refused(mini, value):
    (mini / "qingqian.yaml").write_text(f"document:\n  organ: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape("document.organ（发文机关署名）应是不为空的文字")):
        load_config(mini)
