"""Progress over time (进展): totals by region at a series of cut-offs, from the history.

A ledger's totals depend only on its content, so they are computed once per blob id (and kept
in the cache across runs) and each cut-off only adds up a few numbers per ledger: a year of
daily cut-offs costs little more than reading the blobs that changed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from ..core.config import Config
from ..core.derive import stopped_on, unverified
from ..core.model import Ledger, Unit
from ..core.money import fen
from ..core.schema import kind_of
from ..validate.cache import FactCache
from ..validate.pipeline import FileResult
from .state import History, errors_of

COLUMNS = ["cutoff", "region_code", "region_name", "items", "amount", "repaid", "remaining", "invalid"]


def daily_cutoffs(first: date, last: date, config: Config) -> list[datetime]:
    moment = config.schedule.at(config.schedule.daily)
    return [datetime.combine(first + timedelta(days=n), moment) for n in range((last - first).days + 1)]


def _facts(result: FileResult) -> tuple:
    """What the series needs of one file: a ledger's unit and sums, or a unit's region; a file
    that fails validation is only marked so (its last valid version is counted instead)."""
    record = result.record
    if errors_of(result):
        return ("invalid",)
    if isinstance(record, Ledger):
        # repaid as everywhere: what a check found had not arrived (待核实) is not repaid
        return ("ledger", record.unit, len(record.items), sum(fen(i.amount) for i in record.items),
                sum(fen(p.amount) for i in record.items for p in i.payments)
                - sum(fen(unverified(i)) for i in record.items))
    if isinstance(record, Unit):
        stopped = stopped_on(record)  # kept as ISO text, "" while producing: the facts are JSON
        return ("unit", record.id, record.region_code, record.region_name, stopped.isoformat() if stopped else "")
    return ("other",)


def _learn(history: History, store: FactCache, entries: list[tuple[str, str]]) -> None:
    missing = [(path, blob) for path, blob in entries if blob not in store.entries]
    history.parse(missing)
    for entry in missing:
        store.put(entry[1], _facts(history.parsed.pop(entry)))


def series(history: History, cutoffs: list[datetime], cache: bool = True) -> pd.DataFrame:
    """One row per (cut-off, region): debts, amount, repaid and remaining in fen, and how many
    data files failed validation at that cut-off (`invalid`, the same on each row of a cut-off).
    With `cache`, the per-blob facts persist beside the validation cache, so a later run parses
    only new blobs.

    Sums are carried from one cut-off to the next and corrected only for the files that changed
    between them, so a day costs what it changed, not the size of the province. A file that
    fails validation counts as its last valid version, as in the reports, and the ledger of a
    unit that stopped production (停产) is left out from its `halted` date, as in the frame."""
    store = FactCache.open(history.root, "progress") if cache else FactCache(history.root, "progress")
    rows = []
    seen: dict[str, str] = {}  # the data files (units and ledgers) in the tree at the previous cut-off
    files: dict[str, str] = {}  # the versions counted: an invalid file's last valid version
    invalid: set[str] = set()
    region_of: dict[str, tuple[str, str]] = {}
    stopped: dict[str, str] = {}  # unit -> first day out of scope (停产), from the unit files counted
    halted: set[str] = set()  # units out of scope at the previous cut-off: their ledgers are not summed
    by_region: dict[tuple[str, str], list[int]] = {}
    for cutoff in cutoffs:
        found = history.commit_at(cutoff)
        if found is None:
            continue
        blobs = {path: blob for path, blob in history.tree(found[1]).items()
                 if kind_of(path) in ("unit", "arrears")}
        changed = {path for path, _blob in blobs.items() ^ seen.items()}
        seen = blobs
        _learn(history, store, [(path, blobs[path]) for path in changed if path in blobs])
        current = {}
        for path in changed:
            invalid.discard(path)
            if path not in blobs:
                continue
            if store.entries[blobs[path]][0] != "invalid":
                current[path] = blobs[path]
                continue
            invalid.add(path)
            kept = history.last_valid(path, found[1])
            if kept is not None:
                _learn(history, store, [(path, kept[1])])
                current[path] = kept[1]
        day = cutoff.date().isoformat()
        if (any(path.startswith("units/") for path in changed)
                or {unit for unit, first in stopped.items() if first <= day} != halted):
            # regions moved, or units stopped producing: add up afresh
            files = {path: blob for path, blob in files.items() if path not in changed}
            files.update(current)
            facts = [store.entries[b] for b in files.values()]
            region_of = {f[1]: (f[2], f[3]) for f in facts if f[0] == "unit"}
            stopped = {f[1]: f[4] for f in facts if f[0] == "unit" and f[4]}
            halted = {unit for unit, first in stopped.items() if first <= day}
            by_region = _sums(facts, halted)
        else:
            for path in changed:
                for blob, sign in ((files.get(path), -1), (current.get(path), 1)):
                    if blob is not None:
                        _add(by_region, region_of, store.entries[blob], sign, halted)
            files = {path: blob for path, blob in files.items() if path not in changed}
            files.update(current)
        for (code, name), (items, amount, repaid) in sorted(by_region.items()):
            if items or amount:
                rows.append([cutoff, code, name, items, amount, repaid, amount - repaid, len(invalid)])
    if cache:
        store.save()
    return pd.DataFrame(rows, columns=COLUMNS)


def _add(by_region: dict, region_of: dict, fact: tuple, sign: int, halted: set[str]) -> None:
    if fact[0] == "ledger" and fact[1] not in halted:
        sums = by_region.setdefault(region_of.get(fact[1], ("", "")), [0, 0, 0])
        for n, value in enumerate(fact[2:]):
            sums[n] += sign * value


def _sums(facts, halted: set[str]) -> dict[tuple[str, str], list[int]]:
    facts = list(facts)
    region_of = {f[1]: (f[2], f[3]) for f in facts if f[0] == "unit"}
    by_region: dict[tuple[str, str], list[int]] = {}
    for fact in facts:
        _add(by_region, region_of, fact, 1, halted)
    return by_region


def overall(frame: pd.DataFrame) -> pd.DataFrame:
    """The series summed over regions, with the clearance rate."""
    grouped = frame.groupby("cutoff", sort=True)
    total = grouped[["items", "amount", "repaid", "remaining"]].sum().join(grouped["invalid"].max()).reset_index()
    total["clearance_rate"] = (total["repaid"] / total["amount"].where(total["amount"] > 0)).fillna(0.0)
    return total
