"""A 督办函 to one unit: its debts still unpaid, the deadlines it missed and the plans it let
slip, the standing rules' violations (when the data carries them), the measures the office has
already taken, and the day by which it must answer in writing.

The facts are the office site's: the items frame of the same date, the 约谈/督办 rule of
analysis.supervision (the reasons it names the unit for) and the measures of
ledgers/measures.yaml; the letter only selects the unit's rows and states them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pandas as pd
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from ..analysis import oversight, stats, supervision, violations
from ..core.config import Document, Supervision
from ..core.model import Measure, Records
from ..core.money import grouped, percent
from ..core.vocab import Violation
from . import wordml
from .circular import REGULATION, VIOLATIONS
from .layout import LEFT, PAGE_WIDTH, RED, RIGHT, SIZE_PAGE, Official, document_number, fit, inert, written_date

TITLE = "关于督促加快清偿拖欠中小企业账款的函"
NUMERALS = "一二三四五六七八九十"
# the violations a contract's terms make, which the unit mends by changing the contract
TERMS = {Violation.TERM_TOO_LONG, Violation.BACK_TO_BACK, Violation.AUDIT, Violation.RATE_BELOW_LPR}


@dataclass(frozen=True)
class Notice:
    """What one 督办函 says, selected from the office's data as of `as_of`."""
    unit: str
    unit_name: str
    supervisor_name: str  # 抄送: the unit's supervising body, when registered
    as_of: date
    serial: int  # the 发文字号's number: the unit's place on the 约谈/督办 list
    reasons: list[str]
    items: int
    amount: int
    repaid: int
    remaining: int
    rate: Fraction | None
    unpaid: list[dict[str, Any]]  # the unit's debts with money unpaid, longest overdue first
    measures: list[Measure] = field(default_factory=list)
    # the standing rules (DESIGN §3c): the unit's debts they find at fault, most interest first,
    # and the overdue interest owed on all its debts under them
    violations: list[dict[str, Any]] = field(default_factory=list)
    interest: int = 0

    def count(self, column: str) -> int:
        return sum(1 for row in self.unpaid if row.get(column))


def _violations(row: dict[str, Any]) -> list[str]:
    """The standing rules' findings on a debt (DESIGN §3c), in the vocabulary's order."""
    found = row.get("violations") or []
    return [kind for kind in Violation.ALL if kind in ([found] if isinstance(found, str) else found)]


def notices(frame: pd.DataFrame, records: Records, rule: Supervision, as_of: date,
            only: str | None = None) -> list[Notice]:
    """A notice for every unit on the 约谈/督办 list, or for the unit `only` (listed or not,
    when it owes anything)."""
    named, _regions = supervision.talks(frame, rule)
    listed = {row["unit"]: row for row in named}
    wanted = [only] if only is not None else [row["unit"] for row in named]
    measures = oversight.measures_by_unit(records)
    # each unit's rows and sums found once: a province lists thousands of units (a frame per unit
    # took minutes at 100,000 debts)
    rows, unpaid, faulted = _by_unit(frame), _by_unit(stats.overdue(frame)), _by_unit(violations.violating(frame))
    interest = frame.groupby("unit", sort=False, observed=True)["overdue_interest"].sum()
    found = []
    for unit_id in wanted:
        unit = records.units.get(unit_id)
        mine = rows.get(unit_id, [])
        if unit is None or not any(row["remaining"] > 0 for row in mine):
            continue
        totals = stats.row_totals(mine)
        supervisor = records.units.get(unit.supervisor or "")
        row = listed.get(unit_id)
        found.append(Notice(
            unit_id, unit.name, supervisor.name if supervisor else "", as_of,
            row["rank"] if row else 1, row["reasons"] if row else [], totals.count, totals.amount, totals.repaid,
            totals.remaining, totals.rate,
            unpaid.get(unit_id, []),
            [m for m in measures.get(unit_id, []) if m.date <= as_of],  # taken by the letter's date
            faulted.get(unit_id, []), int(interest[unit_id])))
    return found


def _by_unit(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """The frame's rows as records, each unit's in the frame's order."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in stats.records(frame):
        rows.setdefault(row["unit"], []).append(row)
    return rows


def _problems(notice: Notice) -> list[str]:
    see = "附件1" if notice.violations else "附件"
    lines = [f"尚未清偿的欠款{len(notice.unpaid)}笔、{grouped(notice.remaining)}元（明细见{see}）。"]
    missed = notice.count("deadline_missed")
    if missed:
        lines.append(f"其中{missed}笔已超过清偿时限仍未还清。")
    slipped, late = notice.count("plan_slipped"), notice.count("plan_late")
    if slipped:
        lines.append(f"{slipped}笔未按还款计划还款。")
    if late:
        lines.append(f"{late}笔的还款计划晚于清偿时限。")
    if notice.violations:
        found = {kind for row in notice.violations for kind in _violations(row)}
        kinds = [kind for kind in Violation.ALL if kind in found]
        lines.append(f"{len(notice.violations)}笔不符合{REGULATION}的规定（{'、'.join(kinds)}，"
                     f"明细见附件2）。")
    if notice.interest:
        lines.append(f"按条例规定计算，你单位应向中小企业支付逾期利息{grouped(notice.interest)}元。")
    return lines


def _rules_demand(notice: Notice) -> str | None:
    """What the standing rules require of the unit: the interest paid, the contracts' terms mended."""
    found = {kind for row in notice.violations for kind in _violations(row)}
    terms = [kind for kind in Violation.ALL if kind in found and kind in TERMS]
    demands = [f"按{REGULATION}的规定向中小企业支付逾期利息"] if notice.interest else []
    if terms:
        demands.append(f"依法修改合同中违反条例的约定（{'、'.join(terms)}）")
    return f"请{'；'.join(demands)}。" if demands else None


def _flags(row: dict[str, Any]) -> str:
    flags = [text for column, text in (("deadline_missed", "超过清偿时限"), ("plan_slipped", "计划逾期"),
                                        ("plan_late", "计划晚于时限")) if row.get(column)]
    return "；".join(flags + _violations(row)) or Violation.OVERDUE


class Letter(Official):
    """A 函 in the 信函格式 of GB/T 9704 (10.1): on the first page the organ's red name 30 mm from
    the top edge over a red double rule (thick over thin), the 发文字号 at the right under it, a
    red double rule (thin over thick) 20 mm from the bottom edge and no page number; the pages
    after it numbered as every 公文; a 版记 without the 印发 line."""

    def head(self, mark: str, number: str) -> None:
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        section.header_distance = Mm(30)
        named = section.first_page_header.paragraphs[0]
        named._p.style = self.ids["发文机关标志"]
        named.add_run(inert(mark))
        fit(named, inert(mark))
        _double_rule(named, "bottom", "thickThinSmallGap", 11)
        ruled = section.first_page_footer.paragraphs[0]  # its empty line's top edge 20 mm from the bottom
        ruled._p.style = self.ids["页码"]
        _double_rule(ruled, "top", "thinThickSmallGap", 0)
        section.footer_distance = Mm(20) - Pt(SIZE_PAGE * 1.2)
        self.paragraph(number, "发文字号").alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.paragraph()


def _double_rule(paragraph, side: str, kind: str, space: int) -> None:
    """A red double rule 170 mm long, centred, on `side` of the paragraph, `space` points off its text."""
    layout = paragraph.paragraph_format
    layout.left_indent = layout.right_indent = -(Mm(170) - (PAGE_WIDTH - LEFT - RIGHT)) // 2
    wordml.border(paragraph, side, RED, 18, space, kind)


def notice_document(notice: Notice, settings: Document, day: date | None = None, serial: int | None = None) -> bytes:
    """The 督办函 (.docx bytes), dated `day` (default: the data's date)."""
    day = day or notice.as_of
    reply_by = day + timedelta(days=settings.reply_days)
    doc = Letter()
    doc.head(settings.organ, document_number(f"{settings.number_prefix}函", day.year,
                                             serial if serial is not None else notice.serial))
    doc.title(TITLE)
    doc.addressee(notice.unit_name)
    doc.body(f"根据清欠工作台账（金额单位：元），截至{written_date(notice.as_of)}，你单位纳入台账的拖欠中小企业"
             f"账款共{notice.items}笔、金额{grouped(notice.amount)}元，已清偿{grouped(notice.repaid)}元，"
             f"尚未清偿{grouped(notice.remaining)}元，清偿率为{percent(notice.rate)}。")  # there is a rate: it owes
    if notice.reasons:
        doc.body(f"按约谈、督办规则，你单位因{'、'.join(notice.reasons)}列入约谈、督办名单。")
    doc.heading("一、存在的问题")
    for line in _problems(notice):
        doc.body(line)
    doc.heading("二、已采取的督办措施")
    if notice.measures:
        for number, measure in enumerate(notice.measures, 1):
            basis = inert(measure.basis).rstrip("。")
            doc.body(f"（{NUMERALS[number - 1] if number <= 10 else number}）{written_date(measure.date)}，"
                     f"{inert(measure.kind)}{'：' + basis if basis else ''}。")
    else:
        doc.body("此前尚未对你单位采取督办措施。")
    doc.heading("三、督办要求")
    doc.body("请你单位对附件所列欠款逐笔核实：无分歧的立即清偿；确有困难的制定还款计划，报主管部门备案并严格"
             "按计划清偿；有分歧的通过协商、调解或诉讼依法解决。")
    if (rules := _rules_demand(notice)) is not None:
        doc.body(rules)
    doc.body(f"请于{written_date(reply_by)}前将清偿情况、未清偿的原因和还款计划书面报送"
             f"{inert(settings.organ)}。")
    listed = ["尚未清偿的欠款明细", *([VIOLATIONS] if notice.violations else [])]
    doc.attachment_note(listed)
    doc.signature(settings.organ, day)
    doc.attachment(1 if notice.violations else None, "尚未清偿的欠款明细",
                   ["序号", "债权企业", "约定付款日期", "逾期天数", "尚未清偿（元）", "情况"],
                   [[n, row["creditor_name"], row["due"].isoformat() if row.get("due") else "",
                     row["days_overdue"], grouped(row["remaining"]), _flags(row)]
                    for n, row in enumerate(notice.unpaid, 1)],
                   {0, 3, 4}, [1.0, 2.8, 1.8, 1.3, 2.1, 1.9])
    if notice.violations:
        doc.attachment(2, VIOLATIONS, ["序号", "债权企业", "违反条例情形", "条例规定的付款期限", "尚未清偿（元）",
                                       "应付逾期利息（元）"],
                       [[n, row["creditor_name"], "；".join(_violations(row)),
                         row["statutory_due"].isoformat() if row.get("statutory_due") else "",
                         grouped(row["remaining"]), grouped(row["overdue_interest"])]
                        for n, row in enumerate(notice.violations, 1)],
                       {0, 4, 5}, [0.8, 2.6, 2.6, 1.9, 2.1, 2.1])
    doc.colophon(notice.supervisor_name, None, day)
    return doc.to_bytes()
