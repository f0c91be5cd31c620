"""The complaint clocks of 802号 (第二十四至二十六条): the receiving department forwards a complaint
within 10 working days of receiving it; the handling department gives its result within 30 days
of receiving it (from the forwarding, or from receipt when nothing was forwarded), extendable to
90 days in all (validate holds `extended_to` to that), and replies in writing.

The clocks bind complaints received on or after the day they took effect (`clocks_from`,
2025-06-01): the campaign's clues of 2022 kept no forwarding dates. A clue is 转交超时 when it was
forwarded after `forward_by` (or, not forwarded, the day is past it and the clue still open), and
办理超时 when its reply (or closing) came after `result_by` (or, neither yet, the day is past it);
a clue late both ways shows 办理超时, the lateness still to chase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.config import Rules
from ..core.model import Clue
from ..core.vocab import ClueLate
from .calendar import WorkCalendar

FORWARD_LATE, RESULT_LATE = ClueLate.FORWARD, ClueLate.RESULT


@dataclass(frozen=True, slots=True)
class ClueClock:
    forward_by: date
    result_by: date
    late: str  # 转交超时 | 办理超时 | ""


def clue_clock(clue: Clue, as_of: date, rules: Rules, calendar: WorkCalendar) -> ClueClock | None:
    """The clocks of an accepted clue received under them, at the end of `as_of`; None otherwise."""
    if not clue.accepted or clue.received < rules.clocks_from:
        return None
    forward_by = calendar.add_workdays(clue.received, rules.forward_days)
    start = clue.forwarded or clue.received
    result_by = clue.extended_to or calendar.period_end(start, rules.result_days)
    forwarded = _by(clue.forwarded, as_of)
    answered = _by(clue.replied or clue.closed, as_of)
    # what happened by `as_of` is judged by its date; what has not happened yet, by `as_of`
    if (answered or as_of) > result_by:
        late = RESULT_LATE
    elif (forwarded or answered or as_of) > forward_by and not (forwarded is None and answered is not None):
        late = FORWARD_LATE
    else:
        late = ""
    return ClueClock(forward_by, result_by, late)


def _by(day: date | None, as_of: date) -> date | None:
    """`day` if it had come by `as_of` (a snapshot does not know later dates)."""
    return day if day is not None and day <= as_of else None
