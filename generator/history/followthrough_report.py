"""The parts of a period report about 确权, follow-up checks, measures, clue deadlines and the
earlier campaign's leftovers (DESIGN §3b): counts for the period and the open findings at
its cut-off, as typed rows (report_data) that `report_files` renders for every format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..analysis import oversight, stats
from ..core.config import Campaign
from ..core.model import Records
from ..core.vocab import Origin
from .report_data import DiscrepancyRow, FollowthroughCounts, MeasureRow, OriginRow

ORIGINS = Origin.ALL

SECTIONS = [
    ("followthrough", "确权、回访、措施（本期）", [
        ("measures", "新采取措施"), ("requests_received", "新收确权请求"), ("requests_answered", "答复确权请求"),
        ("requests_overdue", "超期未答复确权请求"), ("followups", "回访核查次数"),
        ("discrepancies", "回访不符（未解决）"), ("clues_past_deadline", "限期已过未清偿线索")]),
    ("by_origin", "按欠款来源（前期遗留单列）", [
        ("origin", "来源"), ("items", "笔数"), ("amount", "欠款"), ("repaid", "已还"), ("remaining", "剩余")]),
    ("measures", "本期采取的措施", [
        ("id", "编号"), ("date", "日期"), ("unit", "单位编号"), ("unit_name", "单位"), ("kind", "类别"),
        ("basis", "依据")]),
    ("discrepancies", "回访核查与报送不符", [
        ("unit", "单位编号"), ("id", "欠款编号"), ("unit_name", "单位"), ("creditor_name", "债权企业"),
        ("last_followup", "核查日期"), ("last_followup_result", "核查结果"), ("reported_paid", "报送已还"),
        ("unverified", "待核实")]),
]


@dataclass(frozen=True)
class Followthrough:
    """The four follow-through sections of a period report (report_data.PeriodReport)."""
    followthrough: list[FollowthroughCounts]  # one row: the period's counts
    by_origin: list[OriginRow]
    measures: list[MeasureRow]
    discrepancies: list[DiscrepancyRow]


def sections(records: Records, frame: pd.DataFrame, since: date, as_of: date, campaign: Campaign) -> Followthrough:
    def in_period(day: date | None) -> bool:
        return day is not None and since < day <= as_of

    requests = oversight.requests(records, as_of, campaign)
    checks = [f for ledger in records.ledgers for item in ledger.items for f in item.followups]
    frame_rows = {f"{r['unit']}/{r['id']}": r for r in frame.to_dict("records")}
    measures = [m for m in records.measures if in_period(m.date)]
    discrepancies = frame[frame["followup_discrepancy"]].sort_values(["unit", "id"])
    units = records.units
    by_origin = []
    for origin in ORIGINS:
        part = frame[frame["origin"] == origin]
        amount, repaid, remaining = (int(part[k].sum()) for k in ("amount", "repaid", "remaining"))
        by_origin.append(OriginRow(origin, len(part), amount, repaid, remaining))
    return Followthrough(
        followthrough=[FollowthroughCounts(
            measures=len(measures),
            requests_received=sum(in_period(r.received) for r in requests),
            requests_answered=sum(in_period(r.answered) for r in requests),
            requests_overdue=sum(r.overdue for r in requests),
            followups=sum(in_period(f.date) for f in checks),
            discrepancies=len(discrepancies),
            clues_past_deadline=len(oversight.clues_past_deadline(records, frame_rows, as_of)),
        )],
        by_origin=by_origin,
        measures=[MeasureRow(m.id, m.date, m.unit, units[m.unit].name if m.unit in units else "", m.kind, m.basis)
                  for m in sorted(measures, key=lambda m: (m.date, m.id))],
        discrepancies=[DiscrepancyRow(r["unit"], r["id"], r["unit_name"], r["creditor_name"], r["last_followup"],
                                      r["last_followup_result"], int(r["repaid"] + r["unverified"]),
                                      int(r["unverified"]))
                       for r in stats.records(discrepancies)],
    )
