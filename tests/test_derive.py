"""The derived fields of one debt, case by case: the campaign rules as a table."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from generator.core.config import Campaign
from generator.core.derive import derive
from generator.core.model import Item, Payment, PlanEntry

CAMPAIGN = Campaign()
D = Decimal

DEBT = Item(
    unit="u", id="A001", creditor_name="某公司", creditor_code="91990100MA00000073", creditor_size="小型",
    category="工程", contract_number="C-1", contract_signed=date(2020, 3, 1), contract_amount=D("500000.00"),
    due=date(2021, 6, 30), amount=D("100000.00"), disputed=False, dispute_reason=None, dispute_path=None,
    dispute_state=None, origin="排查", clue=None, payments=[], plan=[], corrections=[], notes="", index=0,
    line=1, at={},
)


def paid(*payments: tuple[str, str, str]) -> list[Payment]:
    return [Payment(date.fromisoformat(day), D(amount), method) for day, amount, method in payments]


# (what the case shows, the debt, the date, the fields expected)
CASES = [
    ("since 2020, unpaid, the day before the deadline", DEBT, date(2022, 11, 29),
     {"status": "未清偿", "remaining": D("100000.00"), "deadline": date(2022, 11, 30), "deadline_missed": False,
      "days_overdue": 517, "deadline_class": "2020年以来形成"}),
    ("since 2020, unpaid, on the deadline day: 24:00 has come", DEBT, date(2022, 11, 30),
     {"deadline_missed": True}),
    ("before 2020, unpaid on 12-30 then on 12-31", replace(DEBT, due=date(2019, 6, 30)), date(2022, 12, 30),
     {"deadline": date(2022, 12, 31), "deadline_missed": False, "deadline_class": "2020年以前无分歧"}),
    ("before 2020 on its deadline day", replace(DEBT, due=date(2019, 6, 30)), date(2022, 12, 31),
     {"deadline_missed": True}),
    ("an open dispute has no campaign date", replace(DEBT, disputed=True, dispute_state="进行中"),
     date(2023, 1, 31), {"deadline": None, "deadline_missed": False, "plan_late": False}),
    ("a resolved dispute takes its date again", replace(DEBT, disputed=True, dispute_state="已解决"),
     date(2022, 12, 1), {"deadline": date(2022, 11, 30), "deadline_missed": True}),
    ("partly paid, one of them by commercial bill",
     replace(DEBT, payments=paid(("2022-06-01", "30000.00", "银行转账"), ("2022-07-01", "10000.00", "商业汇票"))),
     date(2022, 8, 1), {"status": "部分清偿", "repaid": D("40000.00"), "remaining": D("60000.00"),
                        "non_cash_paid": D("10000.00"), "non_cash_share": D("0.2500")}),
    ("settled after its deadline: missed, and overdue days stop at settlement",
     replace(DEBT, payments=paid(("2022-12-05", "100000.00", "银行转账"))), date(2023, 1, 31),
     {"status": "已清偿", "settled": date(2022, 12, 5), "deadline_missed": True, "days_overdue": 523}),
    ("settled in time", replace(DEBT, payments=paid(("2022-11-30", "100000.00", "银行转账"))), date(2023, 1, 31),
     {"status": "已清偿", "deadline_missed": False, "remaining": D(0)}),
    ("a plan entry passed unpaid has slipped",
     replace(DEBT, plan=[PlanEntry(date(2022, 9, 30), D("50000.00")), PlanEntry(date(2022, 11, 15), D("50000.00"))]),
     date(2022, 10, 15), {"plan_slipped": True, "plan_shortfall": D("50000.00"), "plan_late": False}),
    ("a plan dated after the campaign deadline",
     replace(DEBT, plan=[PlanEntry(date(2023, 4, 18), D("100000.00"))]), date(2022, 10, 15),
     {"plan_late": True, "plan_slipped": False}),
    ("due after the campaign started: new arrears", replace(DEBT, due=date(2022, 7, 1)), date(2022, 8, 1),
     {"new_arrears": True, "days_overdue": 31}),
]


@pytest.mark.parametrize(("debt", "as_of", "expected"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_derived_fields(debt: Item, as_of: date, expected: dict):
    derived = derive(debt, as_of, CAMPAIGN)
    assert {name: getattr(derived, name) for name in expected} == expected
