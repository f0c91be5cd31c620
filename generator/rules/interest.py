"""Overdue interest (条例第十七条 of 802号, 第十五条 of 728号).

Interest runs from the day after the last day to pay up to the data date, on each day's unpaid
balance: a payment stops interest on what it paid from its own date (paid on the last day to pay,
or on the first day late, it bears none). The rate is the agreed one, but never below the 1-year
LPR on the day the contract was signed; with none agreed, 0.05% (万分之五) a day. An agreed yearly
rate is taken a day as rate / 360 (《人民币利率管理规定》第二十条: 日利率 = 年利率 ÷ 360; the
configuration's `year_days`). The days' interest is summed exactly, as a fraction of fen, and
rounded half-up to the fen once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..core.config import Rules


def lpr_on(day: date, rules: Rules) -> Decimal | None:
    """The 1-year LPR (percent a year) announced last on or before `day`."""
    found = None
    for announced, rate in rules.lpr:
        if announced <= day:
            found = rate
    return found


def below_lpr(agreed: Decimal | None, signed: date, rules: Rules) -> bool:
    """约定利率低于LPR: an agreed rate below the LPR of the signing day."""
    floor = lpr_on(signed, rules)
    return agreed is not None and floor is not None and agreed < floor


def daily_rate(agreed: Decimal | None, signed: date, rules: Rules) -> Fraction:
    """The rate a day as an exact fraction: the agreed yearly rate (at least the LPR of the
    signing day) / year_days, or the configured daily rate when none was agreed."""
    if agreed is None:
        return Fraction(rules.daily_rate) / 100
    floor = lpr_on(signed, rules)
    yearly = max(agreed, floor) if floor is not None else agreed
    return Fraction(yearly) / 100 / rules.year_days


def fen_days(amount_fen: int, payments: Iterable[tuple[date, int]], last_day: date, as_of: date) -> int:
    """Σ over the days after `last_day` up to `as_of` of the balance unpaid at that day's end
    (a payment counts from its own date), in fen × days."""
    if as_of <= last_day:
        return 0
    start = date.fromordinal(last_day.toordinal() + 1)
    paid = sorted(payments)
    balance = amount_fen - sum(amount for day, amount in paid if day < start)
    total, day = 0, start
    for when, amount in paid:
        if start <= when <= as_of:
            total += max(balance, 0) * (when - day).days
            balance -= amount
            day = when
    return total + max(balance, 0) * ((as_of - day).days + 1)


def round_half_up(fen: Fraction) -> int:
    """A non-negative amount of fen to a whole fen, half-up (四舍五入)."""
    return int(fen + Fraction(1, 2)) if fen >= 0 else -int(-fen + Fraction(1, 2))


def overdue_interest(amount_fen: int, payments: Iterable[tuple[date, int]], last_day: date, as_of: date,
                     rate: Fraction) -> int:
    """The interest owed at the end of `as_of`, in fen, rounded half-up once."""
    return round_half_up(fen_days(amount_fen, payments, last_day, as_of) * rate)
