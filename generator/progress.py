"""Progress over time (进展): totals by region at a series of cut-offs, from the history.

A ledger's totals depend only on its content, so they are computed once per blob id (and kept
in the cache across runs) and each cut-off only adds up a few numbers per ledger: a year of
daily cut-offs costs little more than reading the blobs that changed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from .cache import FactCache
from .config import Config
from .frame import fen
from .history import History
from .model import Ledger, Unit
from .schema import kind_of

COLUMNS = ["cutoff", "region_code", "region_name", "items", "amount", "repaid", "remaining"]


def daily_cutoffs(first: date, last: date, config: Config) -> list[datetime]:
    moment = config.schedule.at(config.schedule.daily)
    return [datetime.combine(first + timedelta(days=n), moment) for n in range((last - first).days + 1)]


def _facts(record) -> tuple:
    """What the series needs of one file: a ledger's unit and sums, or a unit's region."""
    if isinstance(record, Ledger):
        return ("ledger", record.unit, len(record.items), sum(fen(i.amount) for i in record.items),
                sum(fen(p.amount) for i in record.items for p in i.payments))
    if isinstance(record, Unit):
        return ("unit", record.id, record.region_code, record.region_name)
    return ("other",)


def series(history: History, cutoffs: list[datetime], cache: bool = True) -> pd.DataFrame:
    """One row per (cut-off, region): debts, amount, repaid and remaining in fen. With `cache`,
    the per-blob facts persist beside the validation cache, so a later run parses only new blobs."""
    store = FactCache.open(history.root, "progress") if cache else FactCache(history.root, "progress")
    rows = []
    for cutoff in cutoffs:
        found = history.commit_at(cutoff)
        if found is None:
            continue
        blobs = history.tree(found[1])
        wanted = [(path, blob) for path, blob in blobs.items() if kind_of(path) in ("unit", "arrears")]
        missing = [(path, blob) for path, blob in wanted if blob not in store.entries]
        history.parse(missing)
        for entry in missing:
            store.put(entry[1], _facts(history.parsed.pop(entry).record))
        facts = [store.entries[blob] for _, blob in wanted]
        regions = {f[1]: (f[2], f[3]) for f in facts if f[0] == "unit"}
        by_region: dict[tuple[str, str], list[int]] = {}
        for fact in facts:
            if fact[0] == "ledger":
                sums = by_region.setdefault(regions.get(fact[1], ("", "")), [0, 0, 0])
                for n, value in enumerate(fact[2:]):
                    sums[n] += value
        for (code, name), (items, amount, repaid) in sorted(by_region.items()):
            rows.append([cutoff, code, name, items, amount, repaid, amount - repaid])
    if cache:
        store.save()
    return pd.DataFrame(rows, columns=COLUMNS)


def overall(frame: pd.DataFrame) -> pd.DataFrame:
    """The series summed over regions, with the clearance rate."""
    total = frame.groupby("cutoff", sort=True)[["items", "amount", "repaid", "remaining"]].sum().reset_index()
    total["clearance_rate"] = (total["repaid"] / total["amount"].where(total["amount"] > 0)).fillna(0.0)
    return total
