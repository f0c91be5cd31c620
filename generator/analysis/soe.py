"""State-owned enterprises: the figures each must disclose in its annual report (企业年报:
number and amount of SME payments overdue and unpaid at year end) and the review table per
SOE group for the performance assessment (经营业绩考核).

A year's figures come from the current ledger: debts due by 31 December still owed on that
day, counting only payments dated on or before it. A group is an SOE whose parent is not an
SOE, with every SOE below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from ..core.model import Records, Unit
from ..core.money import fen
from ..core.vocab import UnitStatus, UnitType
from . import stats

SOE = UnitType.SOE


@dataclass(frozen=True)
class YearFigures:
    unit: str
    unit_name: str
    credit_code: str
    year: int
    year_end: date
    complete: bool  # False for the running year: figures as of the site's date
    count: int
    amount: int  # fen overdue and unpaid at year end


def annual_figures(records: Records, today: date) -> list[YearFigures]:
    """For every SOE with a ledger, every year from its oldest due date to the site's year."""
    rows = []
    units = records.units
    for ledger in sorted(records.ledgers, key=lambda led: led.unit):
        unit = units.get(ledger.unit)
        if unit is None or unit.type != SOE or not ledger.items:
            continue
        first = min(item.due for item in ledger.items).year
        for year in range(first, today.year + 1):
            end = min(date(year, 12, 31), today)
            count, owed = 0, Decimal(0)
            for item in ledger.items:
                if item.due >= end:  # overdue means the due date has passed by the year end
                    continue
                left = item.amount - sum((p.amount for p in item.payments if p.date <= end), Decimal(0))
                if left > 0:
                    count, owed = count + 1, owed + left
            rows.append(YearFigures(unit.id, unit.name, unit.credit_code, year, end,
                                    end == date(year, 12, 31), count, fen(owed)))
    return rows


def groups(units: dict[str, Unit]) -> dict[str, list[str]]:
    """Top SOE id -> the ids of its group (itself first, then its SOE descendants by id)."""
    def top_of(unit: Unit) -> str:
        seen = {unit.id}
        while unit.parent in units and units[unit.parent].type == SOE and unit.parent not in seen:
            unit = units[unit.parent]
            seen.add(unit.id)
        return unit.id

    found: dict[str, list[str]] = {}
    for unit in sorted(units.values(), key=lambda u: u.id):
        if unit.type == SOE and unit.status == UnitStatus.ACTIVE:
            found.setdefault(top_of(unit), []).append(unit.id)
    return {top: sorted(members, key=lambda m: (m != top, m)) for top, members in sorted(found.items())}


COUNTED = ("new_arrears", "deadline_missed", "plan_slipped", "followup_discrepancy")
SUMMED = ("count", "amount", "repaid", "remaining", "settled", *COUNTED)


def _unit_sums(frame: pd.DataFrame) -> dict[str, list[int]]:
    """Per unit with debts, the SUMMED figures: one group-by, not a frame per unit (10,000
    frames in a province, and `review` runs for the page and the workbook)."""
    work = frame[["unit", "amount", "repaid", "remaining", *COUNTED]].assign(count=1, settled=frame["remaining"] == 0)
    sums = work.groupby("unit", sort=False)[list(SUMMED)].sum()
    return {unit: [int(v) for v in values] for unit, values in zip(sums.index, sums.to_numpy().tolist(), strict=True)}


def _review_row(label: str, unit_id: str, sums: list[int]) -> dict:
    figures = dict(zip(SUMMED, sums, strict=True))
    return {
        "label": label, "unit": unit_id,
        "totals": stats.Totals(*(figures[name] for name in ("count", "amount", "repaid", "remaining", "settled"))),
        "new_arrears": figures["new_arrears"], "missed": figures["deadline_missed"],
        "slipped": figures["plan_slipped"], "discrepancies": figures["followup_discrepancy"],
    }


def review(records: Records, frame: pd.DataFrame) -> list[dict]:
    """Per SOE group: one row per member and the group's total row (its members' sums)."""
    units = records.units
    by_unit = _unit_sums(frame)
    none = [0] * len(SUMMED)
    result = []
    for top, members in groups(units).items():
        sums = [by_unit.get(m, none) for m in members]
        rows = [_review_row(units[m].name, m, s) for m, s in zip(members, sums, strict=True)]
        total = [sum(column) for column in zip(none, *sums, strict=True)]
        result.append({"top": units[top], "rows": rows,
                       "total": _review_row(f"{units[top].name}（集团合计）", top, total)})
    return result
