"""The complaint clocks: forwarded within 10 working days, answered within 30 days (extendable to
90 in all), judged at a date; the campaign's clues of 2022 run on no such clock."""

from dataclasses import replace
from decimal import Decimal

import pytest

from generator.core.model import Clue
from generator.rules.clues import clue_clock
from rulecases import RULES, calendar, day

CLUE = Clue(handler="sl-zxqy", id="TS2025-001", received=day("2025-09-26"), source="企业投诉",
            complainant_name="某公司", complainant_code="91990100MA00000073", respondent="sl-jtj",
            amount=Decimal("1000.00"), accepted=True, reason=None, transferred_to="sl-jtj", verdict="核查中",
            item=None, closed=None, path="ledgers/clues/sl-zxqy.yaml", line=1, at={})


def clock(as_of, **dates):
    return clue_clock(replace(CLUE, **{k: day(v) for k, v in dates.items()}), day(as_of), RULES, calendar())


def test_forward_by_counts_ten_working_days_across_national_day():
    found = clock("2025-10-01")
    assert found is not None and found.forward_by == day("2025-10-16") and found.late == ""


@pytest.mark.parametrize(("as_of", "dates", "late"), [
    ("2025-10-16", {}, ""),  # not forwarded, on its last day
    ("2025-10-17", {}, "转交超时"),  # not forwarded, a day past
    ("2025-10-20", {"forwarded": "2025-10-16"}, ""),
    ("2025-10-20", {"forwarded": "2025-10-17"}, "转交超时"),
    ("2025-10-15", {"forwarded": "2025-10-17"}, ""),  # forwarded later than the day judged
    ("2025-12-31", {"forwarded": "2025-10-16", "replied": "2025-11-17"}, ""),
    ("2025-12-31", {"forwarded": "2025-10-16", "replied": "2025-11-18"}, "办理超时"),
    ("2025-11-18", {"forwarded": "2025-10-16"}, "办理超时"),  # still unanswered past its day
    ("2025-12-31", {"forwarded": "2025-10-16", "extended_to": "2025-12-20", "replied": "2025-12-19"}, ""),
    ("2025-12-31", {"forwarded": "2025-10-17", "replied": "2025-12-01"}, "办理超时"),  # late both ways
    ("2025-12-31", {"closed": "2025-10-10"}, ""),  # settled at once, nothing to forward
])
def test_late_forwarding_and_late_results(as_of, dates, late):
    found = clock(as_of, **dates)
    assert found is not None and found.late == late


def test_the_result_is_due_thirty_days_after_forwarding_moved_off_a_weekend():
    found = clock("2025-11-01", forwarded="2025-10-16")
    assert found is not None and found.result_by == day("2025-11-17")  # 11-15 is a Saturday
    extended = clock("2025-11-01", forwarded="2025-10-16", extended_to="2025-12-20")
    assert extended is not None and extended.result_by == day("2025-12-20")
    unforwarded = clock("2025-10-01")
    assert unforwarded is not None and unforwarded.result_by == day("2025-10-27")  # 09-26 + 30 = 10-26, Sunday


def test_no_clock_for_a_clue_not_accepted_or_received_before_802():
    assert clue_clock(replace(CLUE, accepted=False), day("2025-12-31"), RULES, calendar()) is None
    assert clue_clock(replace(CLUE, received=day("2025-05-31")), day("2025-12-31"), RULES, calendar()) is None
    assert clue_clock(replace(CLUE, received=day("2025-06-01")), day("2025-12-31"), RULES, calendar()) is not None
