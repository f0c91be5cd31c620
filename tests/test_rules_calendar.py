"""Working days by the national calendar, its 调休 weekends and the configured amendments."""

from dataclasses import replace

import pytest

from generator.core.config import Rules
from rulecases import RULES, calendar, day


@pytest.mark.parametrize(("text", "working"), [
    ("2025-09-28", True),  # a Sunday worked for National Day
    ("2025-09-30", True),
    ("2025-10-01", False), ("2025-10-05", False), ("2025-10-08", False),  # National Day and 中秋 2025
    ("2025-10-09", True),
    ("2025-10-11", True),  # a Saturday worked
    ("2025-10-12", False),
    ("2025-09-03", False),  # the 80th anniversary: not in the package, a day off by the configuration
    ("2024-02-29", True),  # leap day, a Thursday
    ("2024-02-10", False),  # 春节 2024
    ("2024-02-04", True),  # its Sunday worked
])
def test_national_holidays_and_worked_weekends(text, working):
    assert calendar().is_workday(day(text)) is working


def test_the_configuration_amends_the_package_both_ways():
    plain = calendar(replace(RULES, days_off=frozenset()))
    assert plain.is_workday(day("2025-09-03"))
    amended = calendar(replace(RULES, workdays=frozenset({day("2025-10-12")})))
    assert amended.is_workday(day("2025-10-12"))


def test_a_year_the_package_does_not_know_counts_weekends_only_and_says_so():
    cal = calendar()
    assert cal.warning() is None
    assert cal.is_workday(day("2027-01-01"))  # a Friday; New Year's Day once announced
    assert not cal.is_workday(day("2027-01-02"))
    assert cal.unknown == {2027}
    warning = cal.warning()
    assert warning is not None and "2027" in warning and "周末" in warning


@pytest.mark.parametrize(("start", "days", "end"), [
    ("2025-09-01", 30, "2025-10-09"),  # lands on 10-01: moved past National Day
    ("2025-08-31", 30, "2025-09-30"),  # a working day: stays
    ("2025-07-20", 45, "2025-09-04"),  # lands on 09-03, the configured day off
    ("2025-01-31", 30, "2025-03-03"),  # month end to a Sunday, 03-02
    ("2024-01-30", 30, "2024-02-29"),  # leap day
    ("2024-02-29", 30, "2024-04-01"),  # from leap day to a Saturday
    ("2025-08-30", 0, "2025-09-01"),  # a zero-day term ending on a Saturday
])
def test_a_period_does_not_count_its_start_and_ends_on_a_working_day(start, days, end):
    assert calendar().period_end(day(start), days) == day(end)


def test_working_days_count_the_worked_weekends_and_skip_the_holidays():
    # 9-28 (Sun, worked), 9-29, 9-30, 10-09, 10-10, 10-11 (Sat, worked), 10-13 ... 10-16
    assert calendar().add_workdays(day("2025-09-26"), 10) == day("2025-10-16")
    assert calendar().add_workdays(day("2025-09-26"), 0) == day("2025-09-26")


def test_the_default_configuration_is_the_design_table():
    rules = Rules()
    assert [(r.name, str(r.in_force), r.enterprise_days) for r in rules.regulations] == [
        ("国务院令第728号", "2020-09-01", None), ("国务院令第802号", "2025-06-01", 60)]
    assert len(rules.lpr) == 13 and str(rules.lpr[0][0]) == "2019-08-20" and str(rules.lpr[-1][1]) == "3.00"
