"""One row per complaint clue with its clocks (DESIGN §3c): what `qingqian export --table clues`
writes and what the 督办 page lists as late. Values are text, as the debts' exports give them."""

from __future__ import annotations

from datetime import date

from ..core.model import Clue, Records
from ..core.money import fen, yuan
from ..rules.clues import ClueClock
from ..rules.standing import Judge

# (column, Chinese header, kind) in export order; the handling unit and the clue id first.
CLUE_COLUMNS: list[tuple[str, str, str]] = [
    ("unit", "受理单位编号", "text"), ("id", "线索编号", "text"), ("received", "收到日期", "date"),
    ("source", "线索来源", "text"), ("complainant_name", "投诉企业", "text"),
    ("complainant_credit_code", "企业信用代码", "text"), ("respondent", "被投诉单位编号", "text"),
    ("respondent_name", "被投诉单位", "text"), ("amount", "投诉金额", "money"), ("accepted", "是否受理", "flag"),
    ("reason", "不予受理原因", "text"), ("transferred_to", "转办单位编号", "text"), ("verdict", "核实结论", "text"),
    ("item", "纳入台账的欠款", "text"), ("deadline", "限期清偿日期", "date"), ("forwarded", "转交日", "date"),
    ("extended_to", "延期至", "date"), ("replied", "书面答复日", "date"), ("closed", "办结日期", "date"),
    ("forward_by", "应转交日期", "date"), ("result_by", "应办结日期", "date"), ("late", "超时情形", "text"),
]


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def clue_row(clue: Clue, clock: ClueClock | None, records: Records) -> dict[str, str]:
    respondent = records.units.get(clue.respondent)
    return {
        "unit": clue.handler, "id": clue.id, "received": _day(clue.received), "source": clue.source,
        "complainant_name": clue.complainant_name, "complainant_credit_code": clue.complainant_code,
        "respondent": clue.respondent, "respondent_name": respondent.name if respondent else "",
        "amount": yuan(fen(clue.amount)), "accepted": "true" if clue.accepted else "false",
        "reason": clue.reason or "", "transferred_to": clue.transferred_to or "", "verdict": clue.verdict or "",
        "item": clue.item or "", "deadline": _day(clue.deadline), "forwarded": _day(clue.forwarded),
        "extended_to": _day(clue.extended_to), "replied": _day(clue.replied), "closed": _day(clue.closed),
        "forward_by": _day(clock.forward_by if clock else None), "result_by": _day(clock.result_by if clock else None),
        "late": clock.late if clock else "",
    }


def clue_rows(records: Records, as_of: date, judge: Judge) -> list[dict[str, str]]:
    """Every clue of every handling unit at the end of `as_of`, by handling unit and file order."""
    return [clue_row(clue, judge.clue(clue, as_of), records)
            for ledger in sorted(records.clue_ledgers, key=lambda led: led.unit) for clue in ledger.clues]
