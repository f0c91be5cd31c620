"""Progress over time (进展): totals by region at a series of cut-offs, from the history.

A ledger's totals depend only on its content, so they are computed once per blob id and each
cut-off only adds up a few numbers per ledger: a year of daily cut-offs costs little more than
reading the blobs that changed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from .config import Config
from .frame import fen
from .history import History

COLUMNS = ["cutoff", "region_code", "region_name", "items", "amount", "repaid", "remaining"]


def daily_cutoffs(first: date, last: date, config: Config) -> list[datetime]:
    moment = config.schedule.at(config.schedule.daily)
    return [datetime.combine(first + timedelta(days=n), moment) for n in range((last - first).days + 1)]


def series(history: History, cutoffs: list[datetime]) -> pd.DataFrame:
    """One row per (cut-off, region): debts, amount, repaid and remaining in fen."""
    totals: dict[str, tuple[int, int, int]] = {}  # blob -> (items, amount, repaid)
    rows = []
    for cutoff in cutoffs:
        state = history.state(cutoff)
        units = state.records.units
        by_region: dict[tuple[str, str], list[int]] = {}
        for ledger in state.records.ledgers:
            blob = state.blobs[ledger.path]
            if blob not in totals:
                totals[blob] = (len(ledger.items), sum(fen(i.amount) for i in ledger.items),
                                sum(fen(p.amount) for i in ledger.items for p in i.payments))
            unit = units.get(ledger.unit)
            region = (unit.region_code, unit.region_name) if unit else ("", "")
            sums = by_region.setdefault(region, [0, 0, 0])
            for n, value in enumerate(totals[blob]):
                sums[n] += value
        for (code, name), (items, amount, repaid) in sorted(by_region.items()):
            rows.append([cutoff, code, name, items, amount, repaid, amount - repaid])
    return pd.DataFrame(rows, columns=COLUMNS)


def overall(frame: pd.DataFrame) -> pd.DataFrame:
    """The series summed over regions, with the clearance rate."""
    total = frame.groupby("cutoff", sort=True)[["items", "amount", "repaid", "remaining"]].sum().reset_index()
    total["clearance_rate"] = (total["repaid"] / total["amount"].where(total["amount"] > 0)).fillna(0.0)
    return total
