"""When a debt must be paid under the standing rules (条例第九、十条 of 802号; 第八、九条 of 728号).

- The regulation is the one in force on the day the contract was signed; a contract signed
  before the first one (2020-09-01) keeps its own `due`.
- The clock starts at the settlement confirmation when the contract pays on settlement (the
  ledger gives `settlement`), else at acceptance (验收合格) when the contract has one, else at
  delivery. An acceptance not passed by the end of its agreed period (the period counted like
  any other: the delivery day not counted, a last day off moved to the next working day) starts
  the clock at that end: 拖延验收. While the period runs and nothing has passed, the clock has
  not started.
- A government type (机关、事业单位 and the like) pays within 30 days, or the agreed term but at
  most 60; a large enterprise (国有企业) within the agreed term, else 60 days (802号) or by its
  contract's own `due` (728号, which sets no default).
- The last day: the start day is not counted and a last day off work moves to the next working
  day (民法典第二百零一、二百零三条)."""

from __future__ import annotations

from datetime import date

from ..core.config import Regulation, Rules
from ..core.model import Terms
from ..core.vocab import ENTERPRISE_TYPES, GOVERNMENT_TYPES
from .calendar import WorkCalendar


def regulation_for(signed: date, rules: Rules) -> Regulation | None:
    """The regulation in force on the signing day (None before the first took effect)."""
    found = None
    for regulation in rules.regulations:
        if regulation.in_force <= signed:
            found = regulation
    return found


def acceptance_end(terms: Terms, calendar: WorkCalendar) -> date | None:
    """The last day of the agreed acceptance period, None when the contract agreed none."""
    if terms.acceptance_within is None:
        return None
    return calendar.period_end(terms.delivered, terms.acceptance_within)


def late_acceptance(terms: Terms, as_of: date, calendar: WorkCalendar) -> bool:
    """拖延验收: the agreed period ended before acceptance passed (or, unpassed, before `as_of`)."""
    end = acceptance_end(terms, calendar)
    if end is None:
        return False
    passed = terms.accepted
    return passed > end if passed is not None else as_of > end


def clock_start(terms: Terms, as_of: date, calendar: WorkCalendar) -> date | None:
    """The day the payment term starts from (not itself counted); None while an agreed
    acceptance period still runs with nothing passed."""
    if terms.settlement is not None:
        return terms.settlement
    end = acceptance_end(terms, calendar)
    if end is None:
        return terms.accepted or terms.delivered
    if late_acceptance(terms, as_of, calendar):
        return end
    return terms.accepted


def pay_days(terms: Terms, regulation: Regulation, unit_type: str) -> int | None:
    """The payment term in days from the clock's start; None when the contract's own `due`
    stands (an enterprise under a regulation without a default, or a debtor of no group)."""
    if unit_type in GOVERNMENT_TYPES:
        agreed = regulation.government_days if terms.pay_within is None else terms.pay_within
        return min(agreed, regulation.government_max_days)
    if unit_type in ENTERPRISE_TYPES:
        return regulation.enterprise_days if terms.pay_within is None else terms.pay_within
    return None


def term_too_long(terms: Terms, regulation: Regulation | None, unit_type: str) -> bool:
    """付款期限超过60日: a government type agreed a term longer than the regulation allows."""
    return (regulation is not None and unit_type in GOVERNMENT_TYPES and terms.pay_within is not None
            and terms.pay_within > regulation.government_max_days)


def statutory_due(terms: Terms, signed: date, due: date, unit_type: str, as_of: date, rules: Rules,
                  calendar: WorkCalendar) -> date | None:
    """The last day to pay under the rules; None while the clock has not started."""
    regulation = regulation_for(signed, rules)
    if regulation is None:
        return due
    days = pay_days(terms, regulation, unit_type)
    if days is None:
        return due
    start = clock_start(terms, as_of, calendar)
    return None if start is None else calendar.period_end(start, days)
