"""What the office follows up besides the debts themselves (DESIGN §3b): 确权 requests and how
long each took, follow-up checks and their discrepancies, the settled debts still to call,
the measures taken per unit, and clues past their 限期清偿 date.

Pure: records, the items frame and the site's date in, plain rows out, computed once here
for the pages, the reports and the workbooks alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ..core.config import Campaign
from ..core.derive import waited
from ..core.model import Clue, Item, Measure, Records
from ..core.vocab import ConfirmResult, DebtStatus, Purpose
from . import stats


@dataclass(frozen=True)
class Request:
    """One 确权 request, with the days it waited (to its answer, or to the site's date)."""

    unit: str
    item: str
    creditor_name: str
    creditor_code: str
    received: date
    purpose: str
    answered: date | None
    result: str | None
    reason: str | None
    days: int
    overdue: bool  # pending longer than the configured limit


def requests(records: Records, today: date, campaign: Campaign) -> list[Request]:
    found = []
    for ledger in sorted(records.ledgers, key=lambda led: led.unit):
        for item in ledger.items:
            for c in item.confirmations:
                days = waited(c, today)
                found.append(Request(item.unit, item.id, item.creditor_name, item.creditor_code, c.received,
                                     c.purpose, c.answered, c.result, c.reason, days,
                                     c.answered is None and days > campaign.confirm_days))
    return found


def request_summary(found: list[Request]) -> dict:
    answered = sorted(r.days for r in found if r.answered is not None)
    return {
        "count": len(found), "pending": sum(r.answered is None for r in found),
        "overdue": sum(r.overdue for r in found), "answered": len(answered),
        "refused": sum(r.result == ConfirmResult.REFUSED for r in found),
        "financing": sum(r.purpose == Purpose.FINANCING for r in found),
        "median_days": answered[len(answered) // 2] if answered else None,
        "max_days": answered[-1] if answered else None,
    }


def _sample_key(today: date, ref: str) -> str:
    """Order for the call list: fixed by the data (the site's date and the debt), so anyone
    can reproduce it, and different from one period to the next."""
    return hashlib.sha256(f"{today.isoformat()}|{ref}".encode()).hexdigest()


def followup_lists(frame: pd.DataFrame, today: date, campaign: Campaign,
                   rows_of: Callable[[pd.DataFrame], list[dict[str, Any]]] = stats.records) -> dict:
    """Discrepancies, settled debts never checked, and per region a sample of those to call:
    `campaign.followup_sample` percent of each region's unchecked settled debts, at least one.
    `rows_of`: a selection of the frame's rows as dicts (the site passes rows it made once)."""
    discrepancies = frame[frame["followup_discrepancy"]]
    unchecked = frame[(frame["status"] == DebtStatus.SETTLED) & (frame["followups_count"] == 0)]
    unchecked_rows = rows_of(unchecked)
    by_region: dict[str, list[dict[str, Any]]] = {}
    for row in unchecked_rows:  # in the frame's order, as a group-by keeps it
        by_region.setdefault(row["region_code"], []).append(row)
    sample = []
    for code in sorted(by_region):
        rows = sorted(by_region[code], key=lambda r: _sample_key(today, f"{r['unit']}/{r['id']}"))
        take = max(1, -(-len(rows) * campaign.followup_sample // 100))
        sample += rows[:take]
    checked = frame[frame["followups_count"] > 0]
    return {
        "discrepancies": rows_of(discrepancies),
        "unchecked_count": len(unchecked), "unchecked": unchecked_rows,
        "sample": sample, "checked_count": len(checked),
        "settled_count": int((frame["status"] == DebtStatus.SETTLED).sum()),
        "share": campaign.followup_sample,
    }


def measures_by_unit(records: Records) -> dict[str, list[Measure]]:
    by_unit: dict[str, list[Measure]] = {}
    for measure in sorted(records.measures, key=lambda m: (m.date, m.id)):
        by_unit.setdefault(measure.unit, []).append(measure)
    return by_unit


def listed_units_measures(listed: list[dict], by_unit: dict[str, list[Measure]]) -> tuple[list[dict], list[dict]]:
    """The units on the 约谈/督办 list that have had measures (with them) and those without."""
    with_measures = [{**row, "measures": by_unit[row["unit"]]} for row in listed if row["unit"] in by_unit]
    without = [row for row in listed if row["unit"] not in by_unit]
    return with_measures, without


def due_follow_ups(records: Records, today: date) -> list[Measure]:
    """Measures whose check date has come: the office looks again."""
    return sorted((m for m in records.measures if m.follow_up is not None and m.follow_up <= today),
                  key=lambda m: (m.follow_up, m.id))


@dataclass(frozen=True)
class LateClue:
    clue: Clue
    remaining: int | None  # fen still owed on the linked debt; None when no debt is linked yet
    days_late: int


def clues_past_deadline(records: Records, frame_rows: dict[str, dict], today: date) -> list[LateClue]:
    """Accepted clues whose 限期清偿 date has passed while the debt is not repaid."""
    late = []
    for clue_ledger in records.clue_ledgers:
        for clue in clue_ledger.clues:
            if not clue.accepted or clue.deadline is None or clue.deadline >= today:
                continue
            row = frame_rows.get(clue.item) if clue.item else None
            remaining = int(row["remaining"]) if row is not None else None
            if (remaining is None and clue.closed is None) or (remaining is not None and remaining > 0):
                late.append(LateClue(clue, remaining, (today - clue.deadline).days))
    return sorted(late, key=lambda c: (-c.days_late, c.clue.id))


def item_index(records: Records) -> dict[str, Item]:
    return {item.ref: item for ledger in records.ledgers for item in ledger.items}
