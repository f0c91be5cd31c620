"""A debt judged by the standing rules at a date: the derived fields every output shows
(DESIGN §3c) — `clock_start`, `statutory_due`, `overdue_interest` and `violations`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.config import DEFAULT_RULES, Rules
from ..core.model import Clue, Item
from ..core.money import fen
from ..core.vocab import CONDITION_VIOLATIONS, Violation
from .calendar import WorkCalendar
from .clues import ClueClock, clue_clock
from .interest import below_lpr, daily_rate, overdue_interest
from .terms import clock_start, late_acceptance, regulation_for, statutory_due, term_too_long

# The fixed vocabulary of violations, in the order a list shows them.
OVERDUE, TERM_TOO_LONG, LATE_ACCEPTANCE = Violation.OVERDUE, Violation.TERM_TOO_LONG, Violation.LATE_ACCEPTANCE
RATE_BELOW_LPR = Violation.RATE_BELOW_LPR
VIOLATIONS = Violation.ALL
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
        found.update(CONDITION_VIOLATIONS[c] for c in terms.conditions if c in CONDITION_VIOLATIONS)
        if below_lpr(terms.interest_rate, item.contract_signed, rules):
            found.add(RATE_BELOW_LPR)
    return Standing(regulation.name if regulation else None, start, last_day, interest,
                    tuple(v for v in VIOLATIONS if v in found))


class Judge:
    """The configured rules and one working-day calendar, asked by every row of a table (the
    calendar remembers the days it has looked up, and the years it did not know)."""

    def __init__(self, rules: Rules = DEFAULT_RULES) -> None:
        self.rules = rules
        self.calendar = WorkCalendar(rules)

    def debt(self, item: Item, unit_type: str, as_of: date) -> Standing | None:
        return judge(item, unit_type, as_of, self.rules, self.calendar)

    def clue(self, clue: Clue, as_of: date) -> ClueClock | None:
        return clue_clock(clue, as_of, self.rules, self.calendar)

    def warning(self) -> str | None:
        return self.calendar.warning()
