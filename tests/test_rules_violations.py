"""The standing rules' verdict on one debt: its derived fields and the fixed vocabulary of violations."""

from dataclasses import replace

from generator.rules.standing import VIOLATIONS, judge
from rulecases import DEBT, ORGAN, RULES, SOE, D, calendar, day, debt


def verdict(item, unit_type=ORGAN, as_of="2025-12-31"):
    found = judge(item, unit_type, day(as_of), RULES, calendar())
    assert found is not None
    return found


def test_a_debt_without_terms_is_the_campaigns_not_the_rules():
    assert judge(replace(DEBT, terms=None), ORGAN, day("2025-12-31"), RULES, calendar()) is None


def test_the_vocabulary_is_fixed():
    assert VIOLATIONS == ("逾期未付", "付款期限超过60日", "拖延验收", "背靠背条款", "审计结算条款", "约定利率低于LPR")


def test_overdue_unpaid_only_after_the_last_day_and_while_money_is_owed():
    item = debt(delivered="2025-09-20")  # last day 10-20
    assert verdict(item, as_of="2025-10-20").violations == ()
    assert verdict(item, as_of="2025-10-21").violations == ("逾期未付",)
    paid_late = debt(delivered="2025-09-20", payments=(("2025-10-25", "100000.00"),))
    late = verdict(paid_late)
    assert late.violations == () and late.overdue_interest == 4 * 5_000  # 10-21..10-24


def test_the_worked_example_with_a_part_payment():
    item = debt(signed="2025-03-01", delivered="2025-09-20", payments=(("2025-11-01", "40000.00"),))
    found = verdict(item, as_of="2025-11-30")
    assert (found.regulation, found.clock_start, found.statutory_due) == (
        "国务院令第728号", day("2025-09-20"), day("2025-10-20"))
    assert found.overdue_interest == 145_000 and found.violations == ("逾期未付",)
    assert found.violations_text == "逾期未付"


def test_a_term_over_sixty_days_for_a_government_unit():
    assert "付款期限超过60日" in verdict(debt(delivered="2025-07-01", pay_within=61)).violations
    assert "付款期限超过60日" not in verdict(debt(delivered="2025-07-01", pay_within=60)).violations
    assert "付款期限超过60日" not in verdict(debt(delivered="2025-07-01", pay_within=90), SOE).violations


def test_late_acceptance():
    found = verdict(debt(delivered="2025-07-01", acceptance_within=15, accepted="2025-07-25",
                         payments=(("2025-08-01", "100000.00"),)))
    assert found.violations == ("拖延验收",) and found.clock_start == day("2025-07-16")


def test_forbidden_conditions_and_a_rate_below_the_lpr():
    found = verdict(debt(delivered="2025-12-01", conditions=("背靠背", "审计结算"), interest_rate=D("2.90")))
    assert found.violations == ("背靠背条款", "审计结算条款", "约定利率低于LPR")
    assert verdict(debt(delivered="2025-12-01", interest_rate=D("3.00"))).violations == ()


def test_a_contract_before_the_regulations_has_no_interest_and_no_clause_violations():
    found = verdict(debt(signed="2020-08-31", delivered="2020-10-01", conditions=("背靠背",), pay_within=90),
                    as_of="2026-01-05")
    assert found.regulation is None and found.statutory_due == day("2025-12-31")
    assert found.overdue_interest == 0 and found.violations == ("逾期未付",)


def test_a_contract_signed_the_day_before_802_vs_the_day_it_took_effect():
    before = verdict(debt(signed="2025-05-31", delivered="2025-07-01"), SOE, as_of="2025-09-30")
    after = verdict(debt(signed="2025-06-01", delivered="2025-07-01"), SOE, as_of="2025-09-30")
    assert (before.statutory_due, before.violations, before.overdue_interest) == (day("2025-12-31"), (), 0)
    # 60 days to 08-30 (Saturday) -> 09-01; 09-02..09-30 = 29 days of 万分之五 on 100,000.00
    assert (after.statutory_due, after.violations, after.overdue_interest) == (
        day("2025-09-01"), ("逾期未付",), 29 * 5_000)

