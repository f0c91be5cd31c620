"""core.ledgerdiff, the one comparison of two versions of a unit's debts behind the change
rules, the timelines and 本期变化: table-driven over the cases those three meet."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from generator.core.ledgerdiff import DebtVersion, diff, diff_items, first_rewritten
from generator.core.model import Item, Payment

D1, D2, D3 = date(2022, 6, 1), date(2022, 7, 1), date(2022, 8, 1)
P1, P2 = (D1, Decimal("100.00"), "银行转账"), (D2, Decimal("50.00"), "银行转账")
C1 = (D3, "amount", "审计调减")


def debt(amount: str, payments=(), corrections=()) -> DebtVersion:
    return DebtVersion(Decimal(amount), tuple(payments), tuple(corrections))


CASES = [
    # (name, before, after, kind, added, removed, rewritten at, settled, reopened)
    ("new, unpaid", None, debt("150"), "added", (), (), None, False, False),
    ("new, paid off on arrival", None, debt("150", [P1, P2]), "added", (P1, P2), (), None, True, False),
    ("unchanged", debt("150", [P1]), debt("150", [P1]), "kept", (), (), None, False, False),
    ("a payment appended settles it", debt("150", [P1]), debt("150", [P1, P2]), "kept", (P2,), (), None, True, False),
    ("a payment taken back reopens it", debt("150", [P1, P2]), debt("150", [P1]), "kept", (), (P2,), 1, False, True),
    ("a payment rewritten in place", debt("150", [P1]), debt("150", [P2]), "kept", (P2,), (P1,), 0, False, False),
    ("repeats count: one of two equal payments gone", debt("300", [P1, P1]), debt("300", [P1]), "kept",
     (), (P1,), 1, False, False),
    ("repeats count: a second equal payment is new", debt("300", [P1]), debt("300", [P1, P1]), "kept",
     (P1,), (), None, False, False),
    ("removed", debt("150", [P1]), None, "removed", (), (), None, False, False),
]


@pytest.mark.parametrize(("name", "before", "after", "kind", "added", "removed", "rewritten", "settled", "reopened"),
                         CASES, ids=[case[0] for case in CASES])
def test_one_debt(name, before, after, kind, added, removed, rewritten, settled, reopened):
    (found,) = diff({"A1": before} if before else {}, {"A1": after} if after else {})
    assert (found.id, found.kind, found.payments_added, found.payments_removed) == ("A1", kind, added, removed)
    assert (found.payment_rewritten, found.settled, found.reopened) == (rewritten, settled, reopened)


def test_corrections_added_removed_and_rewritten():
    c2 = (D3, "due", "合同约定")
    (found,) = diff({"A1": debt("150", corrections=[C1])}, {"A1": debt("150", corrections=[c2, C1])})
    assert found.corrections_added == (c2,) and found.corrections_removed == ()
    assert found.corrections_rewritten  # inserted in front: the old one is no longer in its place
    (appended,) = diff({"A1": debt("150", corrections=[C1])}, {"A1": debt("150", corrections=[C1, c2])})
    assert appended.corrections_added == (c2,) and not appended.corrections_rewritten


def test_order_is_the_older_versions_then_the_new_debts():
    before = {"B": debt("1"), "A": debt("1"), "C": debt("1")}
    after = {"D": debt("1"), "A": debt("1"), "C": debt("1")}
    assert [(d.id, d.kind) for d in diff(before, after)] == [("B", "removed"), ("A", "kept"), ("C", "kept"),
                                                             ("D", "added")]


def test_first_rewritten():
    assert first_rewritten([1, 2], [1, 2, 3]) is None
    assert first_rewritten([1, 2], [1]) == 1
    assert first_rewritten([1, 2], [2, 1]) == 0
    assert first_rewritten([], []) is None


def item(**changes) -> Item:
    base = Item(unit="u", id="A1", creditor_name="某公司", creditor_code="91990100MA00000073", creditor_size="小型",
                category="工程", contract_number="0012", contract_signed=D1, contract_amount=Decimal("1000.00"),
                due=D2, amount=Decimal("150.00"), disputed=False, dispute_reason=None, dispute_path=None,
                dispute_state=None, origin="排查", clue=None, payments=[Payment(D1, Decimal("100.00"), "银行转账")],
                plan=[], corrections=[], notes=None, index=0, line=1, at={})
    return replace(base, **changes)


def test_records_compared_name_the_changed_fields_and_keep_the_records():
    old, new = item(), item(amount=Decimal("120.00"), due=D3, creditor_size="中型", notes="备注不算")
    (found,) = diff_items([old], [new])
    assert found.changed == ("amount", "due", "creditor") and found.old is old and found.new is new
    assert found.before == DebtVersion.of(old) and found.after == DebtVersion.of(new)
    (gone, came) = diff_items([old], [item(id="A2")])
    assert (gone.kind, gone.old, gone.new, came.kind, came.id) == ("removed", old, None, "added", "A2")
