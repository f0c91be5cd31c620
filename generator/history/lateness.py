"""Who reported late (未按时报送) for a period, from the commit times the history gives.

Every unit in scope (core.derive.in_scope: not the office, not 停产 by then) must change its
ledger between the previous cut-off and this one; a unit with no ledger at all is late too.

Which time counts: a commit on the main line counts from when it landed on main (its landing
time, history.state). A unit's own commit that reached main through a merge counts from its
own commit time: a pull request committed before the cut-off and merged after it is not the
unit's delay. That time is written by the unit's machine, so the report lists such units
with both times for the office to check.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ..core.derive import in_scope
from ..core.gitrepo import git
from ..core.model import Records
from .report_data import LateMerged, LateUnit
from .state import History

FOLDER = "ledgers/arrears/"


@dataclass(frozen=True)
class Submission:
    unit: str
    counts: datetime  # the time the rule uses
    landed: datetime | None  # its landing time when it is a main-line commit, else None (merged)


@functools.cache
def _submissions(root: Path, ref: str, landed: tuple[tuple[str, datetime], ...]) -> tuple[Submission, ...]:
    times = dict(landed)
    log = git(root, "log", "--format=%x01%H %ct", "--name-only", "--no-renames", ref, "--", FOLDER).decode()
    found = []
    for entry in filter(None, log.split("\x01")):
        head, *paths = entry.strip().split("\n")
        sha, stamp = head.split()
        main_line = times.get(sha)
        counts = main_line or datetime.fromtimestamp(int(stamp), UTC)
        for path in filter(None, paths):
            if path.startswith(FOLDER) and path.endswith(".yaml") and path.count("/") == 2:
                found.append(Submission(path[len(FOLDER):-len(".yaml")], counts, main_line))
    return tuple(found)


def submissions(history: History) -> list[Submission]:
    """Every commit reachable from the history's ref that changed a unit's ledger."""
    landed = tuple(sorted(history.landed().items()))
    return list(_submissions(history.root.resolve(), history.ref, landed))


def late_units(records: Records, subs: list[Submission], previous: datetime, current: datetime,
               day: date) -> tuple[list[LateUnit], list[LateMerged]]:
    """(late units, units on time only by their own commit time) for the period (previous, current].

    `records` is the registry at the cut-off; `day` the day the cut-off closes (for 停产)."""
    by_unit: dict[str, list[Submission]] = {}
    for sub in subs:
        by_unit.setdefault(sub.unit, []).append(sub)
    ledgers = {ledger.unit: ledger for ledger in records.ledgers}
    late: list[LateUnit] = []
    merged_late: list[LateMerged] = []
    for unit in sorted(records.units.values(), key=lambda u: u.id):
        if not in_scope(unit, day):
            continue
        mine = by_unit.get(unit.id, [])
        inside = [s for s in mine if previous < s.counts <= current]
        before = [s.counts for s in mine if s.counts <= current]
        ledger = ledgers.get(unit.id)
        if not inside:
            late.append(LateUnit(unit.id, unit.name, "本期台账未更新" if before else "从未报送台账",
                                 max(before) if before else None, ledger.as_of if ledger else None))
        elif all(s.landed is None for s in inside):
            merged_late.append(LateMerged(unit.id, unit.name, max(s.counts for s in inside)))
    return late, merged_late
