"""Overdue interest to the fen: each day's unpaid balance, the agreed rate floored at the LPR of the
signing day, 0.05% a day without one, rounded half-up once."""

from fractions import Fraction

import pytest

from generator.rules.interest import below_lpr, daily_rate, fen_days, lpr_on, overdue_interest, round_half_up
from rulecases import RULES, D, day

NONE_AGREED = Fraction(5, 10000)


def interest(amount_fen, payments, last_day, as_of, rate=NONE_AGREED):
    return overdue_interest(amount_fen, [(day(d), fen) for d, fen in payments], day(last_day), day(as_of), rate)


@pytest.mark.parametrize(("signed", "rate"), [
    ("2019-08-19", None), ("2019-08-20", "4.25"), ("2024-10-20", "3.35"), ("2024-10-21", "3.10"),
    ("2025-05-19", "3.10"), ("2025-05-20", "3.00"), ("2026-12-01", "3.00"),
])
def test_the_lpr_of_the_signing_day_is_the_last_announced_on_or_before_it(signed, rate):
    assert lpr_on(day(signed), RULES) == (D(rate) if rate else None)


def test_no_interest_up_to_and_on_the_last_day_to_pay():
    assert interest(10_000_000, [], "2025-10-20", "2025-10-20") == 0
    assert interest(10_000_000, [], "2025-10-20", "2025-10-01") == 0
    assert interest(10_000_000, [], "2025-10-20", "2025-10-21") == 5_000  # one day of 万分之五 on 100,000.00


def test_a_payment_on_the_last_day_or_the_first_late_day_bears_no_interest():
    assert interest(10_000_000, [("2025-10-20", 10_000_000)], "2025-10-20", "2025-12-31") == 0
    assert interest(10_000_000, [("2025-10-21", 10_000_000)], "2025-10-20", "2025-12-31") == 0
    assert interest(10_000_000, [("2025-10-22", 10_000_000)], "2025-10-20", "2025-12-31") == 5_000


def test_a_part_payment_in_the_middle_of_the_stretch_stops_interest_on_what_it_paid():
    # 100,000.00 late from 10-21; 40,000.00 paid 11-01; to 11-30:
    # 10-21..10-31 = 11 days on 100,000.00, 11-01..11-30 = 30 days on 60,000.00
    assert fen_days(10_000_000, [(day("2025-11-01"), 4_000_000)], day("2025-10-20"), day("2025-11-30")) == (
        11 * 10_000_000 + 30 * 6_000_000)
    assert interest(10_000_000, [("2025-11-01", 4_000_000)], "2025-10-20", "2025-11-30") == 145_000


def test_payments_before_the_last_day_lower_the_balance_and_later_ones_do_not_count_yet():
    assert interest(10_000_000, [("2025-10-01", 5_000_000)], "2025-10-20", "2025-10-21") == 2_500
    assert interest(10_000_000, [("2026-01-05", 10_000_000)], "2025-10-20", "2025-10-21") == 5_000


def test_rounded_half_up_once_not_day_by_day():
    # 30.00 yuan three days: 3 × 1.5 fen = 4.5 fen -> 5 fen (day by day it would be 6)
    assert interest(3_000, [], "2025-10-20", "2025-10-23") == 5
    assert interest(3_000, [], "2025-10-20", "2025-10-21") == 2  # 1.5 fen
    assert round_half_up(Fraction(249, 100)) == 2 and round_half_up(Fraction(5, 2)) == 3


def test_an_agreed_rate_a_day_is_the_yearly_rate_over_360():
    assert daily_rate(D("3.10"), day("2025-06-10"), RULES) == Fraction(31, 1000) / 360
    assert daily_rate(None, day("2025-06-10"), RULES) == NONE_AGREED


def test_a_rate_below_the_lpr_of_the_signing_day_is_raised_to_it_and_flagged():
    signed = day("2024-11-01")  # LPR 3.10 since 2024-10-21
    assert below_lpr(D("3.00"), signed, RULES)
    assert daily_rate(D("3.00"), signed, RULES) == Fraction(31, 1000) / 360
    assert not below_lpr(D("3.10"), signed, RULES)  # at the LPR: allowed
    assert daily_rate(D("3.10"), signed, RULES) == Fraction(31, 1000) / 360
    assert not below_lpr(None, signed, RULES)
    assert not below_lpr(D("3.00"), day("2025-05-20"), RULES)  # the day 3.00 was announced


def test_the_design_example_to_the_fen():
    # 380,000.00 at 3.10% a year, last day 09-04; 200,000.00 paid 10-10; to 12-31:
    # 09-05..10-09 = 35 days on 380,000.00, 10-10..12-31 = 83 days on 180,000.00
    # (38,000,000 × 35 + 18,000,000 × 83) × 0.031 / 360 = 243,177.78 fen -> 2,431.78 yuan
    rate = daily_rate(D("3.10"), day("2025-06-10"), RULES)
    assert interest(38_000_000, [("2025-10-10", 20_000_000)], "2025-09-04", "2025-12-31", rate) == 243_178


def test_interest_across_a_leap_day():
    # 2024-02-28 last day; 02-29 and 03-01 late: two days on 10,000.00 at 万分之五 = 1,000 fen
    assert interest(1_000_000, [], "2024-02-28", "2024-03-01") == 1_000
