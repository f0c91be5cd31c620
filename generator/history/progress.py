"""Progress over time (进展): totals by region at a series of cut-offs, from the history.

A ledger's totals depend only on its content, so they are computed once per blob id (and kept
in the cache across runs) and each cut-off only adds up a few numbers per ledger: a year of
daily cut-offs costs little more than reading the blobs that changed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from ..core.config import Config
from ..core.model import Ledger, Unit
from ..core.money import fen
from ..core.schema import kind_of
from ..validate.cache import FactCache
from .state import History

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
    the per-blob facts persist beside the validation cache, so a later run parses only new blobs.

    Sums are carried from one cut-off to the next and corrected only for the files that changed
    between them, so a day costs what it changed, not the size of the province."""
    store = FactCache.open(history.root, "progress") if cache else FactCache(history.root, "progress")
    rows = []
    files: dict[str, str] = {}  # the data files (units and ledgers) at the previous cut-off
    region_of: dict[str, tuple[str, str]] = {}
    by_region: dict[tuple[str, str], list[int]] = {}
    for cutoff in cutoffs:
        found = history.commit_at(cutoff)
        if found is None:
            continue
        blobs = history.tree(found[1])
        changed = {path for path, _blob in blobs.items() ^ files.items() if kind_of(path) in ("unit", "arrears")}
        current = {path: blobs[path] for path in changed if path in blobs}
        missing = [(path, blob) for path, blob in current.items() if blob not in store.entries]
        history.parse(missing)
        for entry in missing:
            store.put(entry[1], _facts(history.parsed.pop(entry).record))
        if any(path.startswith("units/") for path in changed):
            files = {path: blob for path, blob in files.items() if path in blobs and blobs[path] == blob}
            files.update(current)
            region_of = {f[1]: (f[2], f[3]) for f in map(store.entries.get, files.values()) if f[0] == "unit"}
            by_region = _sums(store.entries[b] for b in files.values())  # regions moved: add up afresh
        else:
            for path in changed:
                for blob, sign in ((files.get(path), -1), (current.get(path), 1)):
                    if blob is not None:
                        _add(by_region, region_of, store.entries[blob], sign)
            files = {path: blob for path, blob in files.items() if path not in changed}
            files.update(current)
        for (code, name), (items, amount, repaid) in sorted(by_region.items()):
            if items or amount:
                rows.append([cutoff, code, name, items, amount, repaid, amount - repaid])
    if cache:
        store.save()
    return pd.DataFrame(rows, columns=COLUMNS)


def _add(by_region: dict, region_of: dict, fact: tuple, sign: int) -> None:
    if fact[0] == "ledger":
        sums = by_region.setdefault(region_of.get(fact[1], ("", "")), [0, 0, 0])
        for n, value in enumerate(fact[2:]):
            sums[n] += sign * value


def _sums(facts) -> dict[tuple[str, str], list[int]]:
    facts = list(facts)
    region_of = {f[1]: (f[2], f[3]) for f in facts if f[0] == "unit"}
    by_region: dict[tuple[str, str], list[int]] = {}
    for fact in facts:
        _add(by_region, region_of, fact, 1)
    return by_region


def overall(frame: pd.DataFrame) -> pd.DataFrame:
    """The series summed over regions, with the clearance rate."""
    total = frame.groupby("cutoff", sort=True)[["items", "amount", "repaid", "remaining"]].sum().reset_index()
    total["clearance_rate"] = (total["repaid"] / total["amount"].where(total["amount"] > 0)).fillna(0.0)
    return total
