"""The fields nobody types in: derived per debt from its payments, plan and the campaign.

Every campaign rule is written here once, and validate, the site, the exports and the
period reports all ask this module (the 填报说明 page states the same rules in Chinese):

- a debt under an open dispute (`disputed: true`, `dispute.state` not 已解决) is its own
  class without a campaign date; once the dispute is 已解决 it is undisputed again and takes
  the since-cut-off or the before-cut-off deadline by its due date, and needs a plan;
- a deadline ends at 24:00 of its day: a snapshot dated on the deadline day (a month report
  closing 11-30) already finds every debt still unpaid past it;
- a snapshot at a date counts only payments and corrections dated on or before it, and a
  debt due on or after it is not yet arrears;
- a plan entry dated on the snapshot day is already due;
- a debt due after the campaign start is a new arrear (决不允许增加新的拖欠);
- the campaign's deadlines bind the campaign's debts only: a debt due after its last deadline
  (2022-12-31) has no campaign date and is no new arrear of the campaign — the standing rules
  (generator.rules) judge it, and its plan past 2022-12-31 is no campaign error.

What the 确权 requests and the follow-up checks say about a debt, derived, never typed in.

A follow-up contradicts the ledger when the money the unit reported as paid by the day of
the check did not arrive: 未到账 although something was reported paid by then, or 部分到账
although everything was. Only the latest check counts, so a discrepancy is resolved by a
later check that finds the money (已到账), or by a later 部分到账 once the unit has corrected
its payments to what arrived; payments made after a check do not make it a discrepancy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from .config import Campaign
from .model import Confirmation, Followup, Item, Unit
from .vocab import NON_CASH, DebtStatus, DisputeState, FollowupResult, UnitStatus, UnitType

ZERO = Decimal(0)
STATUS_UNPAID, STATUS_PARTIAL, STATUS_SETTLED = DebtStatus.UNPAID, DebtStatus.PARTIAL, DebtStatus.SETTLED
RESOLVED = DisputeState.RESOLVED


def stopped_on(unit: Unit) -> date | None:
    """The first day a unit is out of scope for having stopped production (停产): its `halted`
    date, or always (date.min) when it has none; None while it produces."""
    if unit.status != UnitStatus.HALTED:
        return None
    return unit.halted or date.min


def in_scope(unit: Unit, day: date) -> bool:
    """Whether a unit must report on `day`: every unit but the office itself and units that
    stopped production (停产) on or before that day."""
    if unit.type == UnitType.OFFICE:
        return False
    stopped = stopped_on(unit)
    return stopped is None or stopped > day


def open_dispute(item: Item) -> bool:
    """Disputed and not yet resolved: no campaign date and no plan required."""
    return item.disputed and item.dispute_state != RESOLVED


def deadline_class(item: Item, campaign: Campaign) -> tuple[str, date | None]:
    """Open disputes have no date (调解、协商、诉讼 set the pace); every other debt is paid by
    the since-cut-off deadline when due on or after the cut-off, else by the pre-cut-off one;
    a debt due after the campaign ended has none of its dates."""
    if open_dispute(item):
        return campaign.class_disputed, None
    if item.due > campaign.end:
        return campaign.class_standing, None
    if item.due >= campaign.cutoff:
        return campaign.class_since, campaign.since_deadline
    return campaign.class_before, campaign.before_deadline


def deadline_passed(deadline: date, as_of: date) -> bool:
    """A deadline ends at 24:00 of its day, and a snapshot's figures are those at the end of
    its day: on the deadline day itself whatever is still unpaid has missed it."""
    return as_of >= deadline


def is_arrears(item: Item, as_of: date) -> bool:
    """Overdue at `as_of`: its due date has passed (a debt due that very day is not late yet)."""
    return item.due < as_of


def snapshot(item: Item, as_of: date) -> Item:
    """The debt as it stood at the end of `as_of`: later payments and corrections not yet made."""
    payments = [p for p in item.payments if p.date <= as_of]
    corrections = [c for c in item.corrections if c.date <= as_of]
    if len(payments) == len(item.payments) and len(corrections) == len(item.corrections):
        return item
    return replace(item, payments=payments, corrections=corrections)


def needs_plan(item: Item) -> bool:
    """Undisputed (or no longer disputed) and not fully paid: a repayment plan is required."""
    return not open_dispute(item) and item.remaining > 0


def new_arrears(item: Item, campaign: Campaign) -> bool:
    """Due after the campaign started and by its end (and so overdue within it): 新增拖欠."""
    return campaign.start < item.due <= campaign.end


def plan_after_deadline(item: Item, campaign: Campaign) -> list[int]:
    """Indexes of the plan entries dated after the debt's campaign deadline: a plan that
    cannot meet the deadline (empty for open disputes and paid debts)."""
    _klass, deadline = deadline_class(item, campaign)
    if deadline is None or item.remaining <= 0:
        return []
    return [i for i, entry in enumerate(item.plan) if entry.date > deadline]


def settled_on(item: Item) -> date | None:
    """The date of the payment that cleared the debt, or None while anything remains."""
    if item.remaining > 0 or not item.payments:
        return None
    return max(p.date for p in item.payments)


def plan_misses(item: Item, as_of: date) -> list[tuple[date, Decimal]]:
    """Every plan date reached by `as_of` (the day itself included) by which less was paid than
    the plan required, oldest first, with the amount short then.

    By a plan date the unit must have paid all of the debt except what later plan entries
    leave for later."""
    if not needs_plan(item):
        return []
    entries = sorted(item.plan, key=lambda e: e.date)
    later = sum((e.amount for e in entries), ZERO)
    found = []
    for entry in entries:
        later -= entry.amount
        if entry.date > as_of:
            break
        paid = sum((p.amount for p in item.payments if p.date <= entry.date), ZERO)
        required = item.amount - later
        if paid < required:
            found.append((entry.date, required - paid))
    return found


def plan_shortfall(item: Item, as_of: date) -> tuple[date, Decimal] | None:
    """The latest plan date reached by which less was paid than the plan required."""
    misses = plan_misses(item, as_of)
    return misses[-1] if misses else None


def slipped_running(item: Item, as_of: date) -> int:
    """How many plan dates running, up to the latest one reached, the debt was behind its plan."""
    entries = sorted({e.date for e in item.plan if e.date <= as_of})
    missed = {day for day, _short in plan_misses(item, as_of)}
    count = 0
    for day in reversed(entries):
        if day not in missed:
            break
        count += 1
    return count


@dataclass(frozen=True, slots=True)
class Derived:
    """What a debt's own records imply at a date: the columns nobody types in."""

    repaid: Decimal  # reported paid, less what a check found had not arrived (unverified)
    remaining: Decimal
    unverified: Decimal  # 待核实: reported paid, not arrived by the latest check
    status: str  # 未清偿 | 部分清偿 | 已清偿
    settled: date | None  # the day the last payment settled it
    days_overdue: int
    deadline_class: str
    deadline: date | None  # None for an open dispute
    deadline_missed: bool
    plan_slipped: bool
    plan_shortfall: Decimal
    slipped_running: int
    plan_late: bool  # a plan entry after the campaign deadline
    new_arrears: bool
    non_cash_paid: Decimal
    non_cash_share: Decimal


def derive(item: Item, as_of: date, campaign: Campaign) -> Derived:
    held = unverified(item, as_of)
    repaid = item.repaid - held
    remaining = item.amount - repaid
    settled = settled_on(item) if not held else None
    klass, deadline = deadline_class(item, campaign)
    missed = deadline is not None and (
        (remaining > 0 and deadline_passed(deadline, as_of)) or (settled is not None and settled > deadline))
    shortfall = plan_shortfall(item, as_of)
    non_cash = sum((p.amount for p in item.payments if p.method in NON_CASH), ZERO)
    return Derived(
        repaid=repaid,
        remaining=remaining,
        unverified=held,
        status=STATUS_SETTLED if remaining == 0 else STATUS_PARTIAL if repaid else STATUS_UNPAID,
        settled=settled,
        days_overdue=max(((settled or as_of) - item.due).days, 0),
        deadline_class=klass,
        deadline=deadline,
        deadline_missed=missed,
        plan_slipped=shortfall is not None,
        plan_shortfall=shortfall[1] if shortfall else ZERO,
        slipped_running=slipped_running(item, as_of),
        plan_late=bool(plan_after_deadline(item, campaign)),
        new_arrears=new_arrears(item, campaign),
        non_cash_paid=non_cash,
        non_cash_share=(non_cash / repaid).quantize(Decimal("0.0001")) if repaid else ZERO,
    )


# What the 确权 requests and the follow-up checks say about a debt

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
    if check.result == FollowupResult.MISSING and reported > 0:
        return check
    if check.result == FollowupResult.PARTIAL and reported >= item.amount:
        return check
    return None


def unverified(item: Item, as_of: date | None = None) -> Decimal:
    """待核实: what the unit reported paid by the latest check (on or before `as_of`) that the check
    found had not arrived: everything reported by then for 未到账, the part beyond `received` for
    部分到账 (nothing when the check did not record what arrived). A later 已到账 check, or
    payments corrected down to what arrived, clear it; payments after the check are not held."""
    checks = [pair[1] for pair in sorted(enumerate(item.followups), key=lambda pair: (pair[1].date, pair[0]))
              if as_of is None or pair[1].date <= as_of]
    if not checks:
        return ZERO
    *earlier, check = checks
    confirmed = ZERO  # what an earlier check found had arrived: a later 未到账 is about the rest
    for before in earlier:
        if before.result == FollowupResult.ARRIVED:
            confirmed = reported_by(item, before.date)
        elif before.result == FollowupResult.PARTIAL and before.received is not None:
            confirmed = before.received
    reported = reported_by(item, check.date)
    if check.result == FollowupResult.MISSING:
        return max(reported - confirmed, ZERO)
    if check.result == FollowupResult.PARTIAL and check.received is not None:
        return max(reported - check.received, ZERO)
    return ZERO


def pending(item: Item) -> list[Confirmation]:
    return [c for c in item.confirmations if c.answered is None]


def waited(confirmation: Confirmation, today: date) -> int:
    """Days from the request to its answer, or to `today` while it is pending."""
    return ((confirmation.answered or today) - confirmation.received).days


def overdue_confirmations(item: Item, today: date, limit_days: int) -> list[Confirmation]:
    return [c for c in pending(item) if waited(c, today) > limit_days]
