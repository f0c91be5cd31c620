"""A debt under the standing rules, for the rules' tests: every test states the fields it varies."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from generator.core.config import Rules
from generator.core.model import Item, Payment, Terms
from generator.rules.calendar import WorkCalendar

RULES = Rules()
D = Decimal
ORGAN, SOE = "机关", "国有企业"

DEBT = Item(
    unit="u", id="A001", creditor_name="某公司", creditor_code="91990100MA00000073", creditor_size="小型",
    category="货物", contract_number="C-1", contract_signed=date(2025, 6, 10), contract_amount=D("500000.00"),
    due=date(2025, 12, 31), amount=D("100000.00"), disputed=False, dispute_reason=None, dispute_path=None,
    dispute_state=None, origin="排查", clue=None, payments=[], plan=[], corrections=[], notes="", index=0,
    line=1, at={}, terms=Terms(delivered=date(2025, 7, 1)),
)


def day(text: str) -> date:
    return date.fromisoformat(text)


def calendar(rules: Rules = RULES) -> WorkCalendar:
    return WorkCalendar(rules)


def debt(signed: str = "2025-06-10", amount: str = "100000.00", payments: tuple[tuple[str, str], ...] = (),
         **terms) -> Item:
    """DEBT signed on `signed`, with `terms` (dates as text) replacing its delivery-only terms."""
    given = {k: day(v) if isinstance(v, str) and k in ("delivered", "accepted", "settlement") else v
             for k, v in terms.items()}
    return replace(DEBT, contract_signed=day(signed), amount=D(amount),
                   payments=[Payment(day(d), D(a), "银行转账") for d, a in payments],
                   terms=replace(DEBT.terms, **given))
