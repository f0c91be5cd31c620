"""The fields nobody types in: derived per debt from its payments, plan and the campaign."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .config import Campaign
from .model import Item
from .schema import NON_CASH

ZERO = Decimal(0)
STATUS_UNPAID, STATUS_PARTIAL, STATUS_SETTLED = "未清偿", "部分清偿", "已清偿"


def deadline_class(item: Item, campaign: Campaign) -> tuple[str, date | None]:
    """Formed since the cut-off: all paid by one date, disputed or not (both plans say
    全部清偿); formed before it: undisputed by another, disputed ones tracked without a date."""
    if item.due >= campaign.cutoff:
        return campaign.class_since, campaign.since_deadline
    if not item.disputed:
        return campaign.class_before, campaign.before_deadline
    return campaign.class_disputed, None


def settled_on(item: Item) -> date | None:
    """The date of the payment that cleared the debt, or None while anything remains."""
    if item.remaining > 0 or not item.payments:
        return None
    return max(p.date for p in item.payments)


def plan_shortfall(item: Item, as_of: date) -> tuple[date, Decimal] | None:
    """The latest plan date already passed by which less was paid than the plan required.

    By a plan date the unit must have paid all of the debt except what later plan entries
    leave for later."""
    if item.disputed or item.remaining <= 0:
        return None
    entries = sorted(item.plan, key=lambda e: e.date)
    later = sum((e.amount for e in entries), ZERO)
    found = None
    for entry in entries:
        later -= entry.amount
        if entry.date >= as_of:
            break
        paid = sum((p.amount for p in item.payments if p.date <= entry.date), ZERO)
        required = item.amount - later
        if paid < required:
            found = (entry.date, required - paid)
    return found


def derive(item: Item, as_of: date, campaign: Campaign) -> dict:
    repaid = item.repaid
    remaining = item.amount - repaid
    settled = settled_on(item)
    klass, deadline = deadline_class(item, campaign)
    missed = deadline is not None and (
        (remaining > 0 and as_of > deadline) or (settled is not None and settled > deadline))
    shortfall = plan_shortfall(item, as_of)
    non_cash = sum((p.amount for p in item.payments if p.method in NON_CASH), ZERO)
    return {
        "repaid": repaid,
        "remaining": remaining,
        "status": STATUS_SETTLED if remaining == 0 else STATUS_PARTIAL if repaid else STATUS_UNPAID,
        "settled": settled,
        "days_overdue": max(((settled or as_of) - item.due).days, 0),
        "deadline_class": klass,
        "deadline": deadline,
        "deadline_missed": missed,
        "plan_slipped": shortfall is not None,
        "plan_shortfall": shortfall[1] if shortfall else ZERO,
        "non_cash_paid": non_cash,
        "non_cash_share": (non_cash / repaid).quantize(Decimal("0.0001")) if repaid else ZERO,
    }
