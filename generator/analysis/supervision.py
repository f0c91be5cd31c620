"""Who is named for 约谈/督办: slow payers, not big debtors. Written once, used by the
office site's 督办 page and the quarterly and yearly reports, with the rule printed on both.

Among those still owing (units; and counties/districts, 地方政府, on their units' totals) a
unit is named when any of these holds (thresholds in `qingqian.yaml`, `supervision:`):

- its clearance rate (repaid / owed) is in the bottom `bottom_percent` percent;
- it let a campaign deadline pass with the debt unpaid;
- a repayment plan of its fell behind on `slipped_periods` plan dates running.

The named are ranked slowest first: lowest clearance rate, then most remaining.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pandas as pd

from ..core.config import Supervision
from .stats import rate, records, region_summary, unit_summary

REASON_RATE, REASON_MISSED, REASON_SLIPPED = "清偿率居后", "超过清偿时限", "计划连续逾期"


def rule_text(rule: Supervision) -> str:
    """The rule in the words the page and the reports print."""
    return (f"在仍有未清偿欠款的单位（及县区）中，符合以下任一条件的列入约谈、督办名单："
            f"清偿率（已还 ÷ 欠款）排在后 {rule.bottom_percent}%；有欠款超过活动清偿时限仍未还清；"
            f"有还款计划连续 {rule.slipped_periods} 期（计划日期）未按计划还款。"
            f"名单按清偿率从低到高排列，清偿率相同的按未清偿金额从多到少。")


def _named(summary: pd.DataFrame, key: str, rule: Supervision) -> list[dict]:
    owing = summary[summary["remaining"] > 0]
    rows = [{**row, "rate": rate(row["repaid"], row["amount"]) or Fraction(0)} for row in records(owing)]
    rows.sort(key=lambda r: (r["rate"], -r["remaining"], r[key]))
    bottom = math.ceil(len(rows) * rule.bottom_percent / 100)
    named: list[dict[str, Any]] = []
    for position, row in enumerate(rows):
        reasons = [reason for reason, holds in (
            (REASON_RATE, position < bottom),
            (REASON_MISSED, row["missed"] > 0),
            (REASON_SLIPPED, row["slipped_running"] >= rule.slipped_periods)) if holds]
        if reasons:
            named.append(dict(row, reasons=reasons, rank=len(named) + 1))
    return named


def talks(frame: pd.DataFrame, rule: Supervision) -> tuple[list[dict], list[dict]]:
    """(units, regions) named for 约谈/督办, each row with its totals, `rate` and `reasons`."""
    return _named(unit_summary(frame), "unit", rule), _named(region_summary(frame), "region_code", rule)
