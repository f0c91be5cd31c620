"""What the 确权 requests and the follow-up checks say about a debt, derived, never typed in.

A follow-up contradicts the ledger when the money the unit reported as paid by the day of
the check did not arrive: 未到账 although something was reported paid by then, or 部分到账
although everything was. Only the latest check counts, so a discrepancy is resolved by a
later check that finds the money (已到账), or by a later 部分到账 once the unit has corrected
its payments to what arrived; payments made after a check do not make it a discrepancy.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .model import Confirmation, Followup, Item

MISSING, PARTIAL, ARRIVED = "未到账", "部分到账", "已到账"


def latest_followup(item: Item) -> Followup | None:
    """The check with the latest date; of two on one day, the one written later."""
    if not item.followups:
        return None
    return max(enumerate(item.followups), key=lambda pair: (pair[1].date, pair[0]))[1]


def reported_by(item: Item, day: date) -> Decimal:
    return sum((p.amount for p in item.payments if p.date <= day), Decimal(0))


def discrepancy(item: Item) -> Followup | None:
    """The latest follow-up when it contradicts the payments reported by its date."""
    check = latest_followup(item)
    if check is None:
        return None
    reported = reported_by(item, check.date)
    if check.result == MISSING and reported > 0:
        return check
    if check.result == PARTIAL and reported >= item.amount:
        return check
    return None


def pending(item: Item) -> list[Confirmation]:
    return [c for c in item.confirmations if c.answered is None]


def waited(confirmation: Confirmation, today: date) -> int:
    """Days from the request to its answer, or to `today` while it is pending."""
    return ((confirmation.answered or today) - confirmation.received).days


def overdue_confirmations(item: Item, today: date, limit_days: int) -> list[Confirmation]:
    return [c for c in pending(item) if waited(c, today) > limit_days]
