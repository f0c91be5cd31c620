"""When a debt must be paid: the regulation by signing date, the clock's start and the last day."""

import pytest

from generator.rules.terms import clock_start, late_acceptance, regulation_for, statutory_due, term_too_long
from rulecases import ORGAN, RULES, SOE, calendar, day, debt


def last_day(item, unit_type=ORGAN, as_of="2026-06-30"):
    assert item.terms is not None
    return statutory_due(item.terms, item.contract_signed, item.due, unit_type, day(as_of), RULES, calendar())


def start(item, as_of="2026-06-30"):
    assert item.terms is not None
    return clock_start(item.terms, day(as_of), calendar())


@pytest.mark.parametrize(("signed", "name"), [
    ("2020-08-31", None), ("2020-09-01", "国务院令第728号"),
    ("2025-05-31", "国务院令第728号"), ("2025-06-01", "国务院令第802号"), ("2026-12-01", "国务院令第802号"),
])
def test_the_regulation_in_force_on_the_signing_day(signed, name):
    found = regulation_for(day(signed), RULES)
    assert (found.name if found else None) == name


def test_the_clock_starts_at_settlement_else_acceptance_else_delivery():
    assert start(debt(delivered="2025-07-01")) == day("2025-07-01")
    assert start(debt(delivered="2025-07-01", accepted="2025-07-14")) == day("2025-07-14")
    assert start(debt(delivered="2025-07-01", acceptance_within=15, accepted="2025-07-14",
                      settlement="2025-07-20")) == day("2025-07-20")


def test_late_acceptance_starts_the_clock_at_the_end_of_the_agreed_period():
    late = debt(delivered="2025-07-01", acceptance_within=15, accepted="2025-07-25")
    assert start(late) == day("2025-07-16")
    assert late_acceptance(late.terms, day("2026-06-30"), calendar())
    assert last_day(late) == day("2025-08-15")
    in_time = debt(delivered="2025-07-01", acceptance_within=15, accepted="2025-07-16")
    assert start(in_time) == day("2025-07-16") and not late_acceptance(in_time.terms, day("2026-06-30"), calendar())


def test_an_unpassed_acceptance_has_no_clock_until_its_period_ends():
    pending = debt(delivered="2025-07-01", acceptance_within=15)
    assert start(pending, "2025-07-16") is None and last_day(pending, as_of="2025-07-16") is None
    assert not late_acceptance(pending.terms, day("2025-07-16"), calendar())
    assert start(pending, "2025-07-17") == day("2025-07-16")
    assert late_acceptance(pending.terms, day("2025-07-17"), calendar())


def test_an_acceptance_period_ending_on_a_holiday_runs_to_the_next_working_day():
    # delivered 09-26, 5 days: 10-01 is National Day, so the period ends 10-09
    passed = debt(delivered="2025-09-26", acceptance_within=5, accepted="2025-10-09")
    assert start(passed) == day("2025-10-09")
    assert not late_acceptance(passed.terms, day("2026-06-30"), calendar())


def test_a_government_unit_pays_within_thirty_days_moved_off_the_holidays():
    assert last_day(debt(delivered="2025-09-01")) == day("2025-10-09")  # 10-01 .. 10-08 off
    assert last_day(debt(delivered="2025-08-29")) == day("2025-09-28")  # a Sunday worked: stays
    assert last_day(debt(delivered="2025-01-31")) == day("2025-03-03")  # month end to Sunday 03-02
    assert last_day(debt(signed="2024-01-02", delivered="2024-01-30")) == day("2024-02-29")  # leap day


def test_the_design_example_ends_on_the_day_after_the_anniversary_holiday():
    example = debt(delivered="2025-07-01", acceptance_within=15, accepted="2025-07-14", settlement="2025-07-20",
                   pay_within=45)
    assert last_day(example) == day("2025-09-04")


def test_an_agreed_term_is_capped_at_sixty_days_for_government_types():
    long = debt(delivered="2025-07-01", accepted="2025-07-14", pay_within=90)
    assert last_day(long) == day("2025-09-12")
    assert term_too_long(long.terms, regulation_for(long.contract_signed, RULES), ORGAN)
    sixty = debt(delivered="2025-07-01", accepted="2025-07-14", pay_within=60)
    assert last_day(sixty) == day("2025-09-12")
    assert not term_too_long(sixty.terms, regulation_for(sixty.contract_signed, RULES), ORGAN)
    shorter = debt(delivered="2025-07-01", accepted="2025-07-14", pay_within=10)
    assert last_day(shorter) == day("2025-07-24")


def test_an_enterprise_under_802_pays_within_sixty_days_unless_agreed():
    assert last_day(debt(signed="2025-06-01", delivered="2025-07-01"), SOE) == day("2025-09-01")  # 08-30 Sat
    agreed = debt(signed="2025-06-01", delivered="2025-07-01", pay_within=90)
    assert last_day(agreed, SOE) == day("2025-09-29")
    assert not term_too_long(agreed.terms, regulation_for(agreed.contract_signed, RULES), SOE)


def test_an_enterprise_contract_signed_the_day_before_802_keeps_its_own_due():
    assert last_day(debt(signed="2025-05-31", delivered="2025-07-01"), SOE) == day("2025-12-31")
    assert last_day(debt(signed="2025-05-31", delivered="2025-07-01", pay_within=30), SOE) == day("2025-07-31")


def test_a_contract_signed_before_728_keeps_its_own_due():
    assert last_day(debt(signed="2020-08-31", delivered="2020-10-01")) == day("2025-12-31")
