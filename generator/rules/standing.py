"""A debt judged by the standing rules at a date: the derived fields every output shows
(DESIGN §3c) — `clock_start`, `statutory_due`, `overdue_interest` and `violations`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.config import Rules
from ..core.model import Item
from ..core.money import fen
from .calendar import WorkCalendar
from .interest import below_lpr, daily_rate, overdue_interest
from .terms import clock_start, late_acceptance, regulation_for, statutory_due, term_too_long

# The payment conditions a contract may record, and the violation each one is (条例第九条第二款：
# 背靠背; 第十二条：强制以审计结果作为结算依据).
CONDITIONS = {"背靠背": "背靠背条款", "审计结算": "审计结算条款"}
# The fixed vocabulary of violations, in the order a list shows them.
OVERDUE, TERM_TOO_LONG, LATE_ACCEPTANCE = "逾期未付", "付款期限超过60日", "拖延验收"
RATE_BELOW_LPR = "约定利率低于LPR"
VIOLATIONS = (OVERDUE, TERM_TOO_LONG, LATE_ACCEPTANCE, *CONDITIONS.values(), RATE_BELOW_LPR)
SEPARATOR = "；"  # violations joined in CSV and Excel


@dataclass(frozen=True, slots=True)
class Standing:
    """What the rules say of one debt at one date."""

    regulation: str | None  # the regulation's name; None for a contract signed before any
    clock_start: date | None  # None while an acceptance period runs
    statutory_due: date | None  # the last day to pay; None while the clock has not started
    overdue_interest: int  # fen, owed at the date (0 under no regulation)
    violations: tuple[str, ...]

    @property
    def violations_text(self) -> str:
        return SEPARATOR.join(self.violations)


def judge(item: Item, unit_type: str, as_of: date, rules: Rules, calendar: WorkCalendar) -> Standing | None:
    """The standing rules' view of `item` (as it stood at `as_of`: pass its snapshot) owed by a
    unit of `unit_type`; None for a debt without terms (the campaign's debts)."""
    terms = item.terms
    if terms is None:
        return None
    regulation = regulation_for(item.contract_signed, rules)
    start = clock_start(terms, as_of, calendar)
    last_day = statutory_due(terms, item.contract_signed, item.due, unit_type, as_of, rules, calendar)
    payments = [(p.date, fen(p.amount)) for p in item.payments if p.date <= as_of]
    unpaid = fen(item.amount) - sum(amount for _day, amount in payments)
    interest = 0
    if regulation is not None and last_day is not None:
        rate = daily_rate(terms.interest_rate, item.contract_signed, rules)
        interest = overdue_interest(fen(item.amount), payments, last_day, as_of, rate)
    found = set()
    if last_day is not None and last_day < as_of and unpaid > 0:
        found.add(OVERDUE)
    if regulation is not None:
        if term_too_long(terms, regulation, unit_type):
            found.add(TERM_TOO_LONG)
        if late_acceptance(terms, as_of, calendar):
            found.add(LATE_ACCEPTANCE)
        found.update(CONDITIONS[c] for c in terms.conditions if c in CONDITIONS)
        if below_lpr(terms.interest_rate, item.contract_signed, rules):
            found.add(RATE_BELOW_LPR)
    return Standing(regulation.name if regulation else None, start, last_day, interest,
                    tuple(v for v in VIOLATIONS if v in found))
