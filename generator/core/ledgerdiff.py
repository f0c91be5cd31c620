"""Two versions of a unit's debts compared: which debts came and went, and what each gained,
lost or had rewritten.

Three readers ask this of the history, and must agree: the change rules (what a pull request
may change against its base), each debt's timeline (what every commit on main recorded) and
本期变化 (what changed since the last reporting period). A payment new on one of them is new
on all of them, because all three take it from here.

Payments and corrections are compared as values, counting repeats: what is added is what the
older version did not have, what is removed is what the newer one no longer has. That is the
honest answer even when an entry was rewritten in place (the change rules reject that, but a
timeline still has to tell what the history recorded). Whether the older entries are kept in
place (append-only) is a separate question, answered by `first_rewritten`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypeVar

from .model import Item

PaymentEntry = tuple[date, Decimal, str]  # (date, amount, method) of a payment
CorrectionEntry = tuple[date, str, str]  # (date, field, reason) of a correction

# A debt's recorded facts, by the name a correction gives them: each changes only with a
# correction naming it (the change rules), and is what "changed" lists.
FIELDS: dict[str, Callable[[Item], Any]] = {
    "amount": lambda i: i.amount,
    "due": lambda i: i.due,
    "creditor": lambda i: (i.creditor_name, i.creditor_code, i.creditor_size),
    "contract": lambda i: (i.contract_number, i.contract_signed, i.contract_amount),
    "category": lambda i: i.category,
    "disputed": lambda i: i.disputed,  # moves the debt between deadline classes
}


@dataclass(frozen=True, slots=True)
class DebtVersion:
    """What a comparison needs of one version of a debt. Small and made of plain values, so a
    timeline can keep one per debt and ledger version in its cache (`row`/`DebtVersion(*row)`)."""

    amount: Decimal
    payments: tuple[PaymentEntry, ...]
    corrections: tuple[CorrectionEntry, ...]

    @classmethod
    def of(cls, item: Item) -> DebtVersion:
        return cls(item.amount, tuple((p.date, p.amount, p.method) for p in item.payments),
                   tuple((c.date, c.field, c.reason) for c in item.corrections))

    def row(self) -> tuple[Decimal, tuple[PaymentEntry, ...], tuple[CorrectionEntry, ...]]:
        return self.amount, self.payments, self.corrections

    @property
    def remaining(self) -> Decimal:
        return self.amount - sum((amount for _day, amount, _method in self.payments), Decimal(0))


@dataclass(frozen=True, slots=True)
class DebtDiff:
    """One debt across two versions: `before` None when it is new, `after` None when it was
    removed. `old`/`new` are the records compared, when the caller compared records."""

    id: str
    before: DebtVersion | None
    after: DebtVersion | None
    payments_added: tuple[PaymentEntry, ...] = ()
    payments_removed: tuple[PaymentEntry, ...] = ()
    corrections_added: tuple[CorrectionEntry, ...] = ()
    corrections_removed: tuple[CorrectionEntry, ...] = ()
    changed: tuple[str, ...] = ()  # FIELDS whose value differs (known only when records were compared)
    old: Item | None = None
    new: Item | None = None

    @property
    def kind(self) -> Literal["added", "removed", "kept"]:
        return "added" if self.before is None else "removed" if self.after is None else "kept"

    @property
    def settled(self) -> bool:
        """Paid off in this version (it was open before, or is new), by payments."""
        if self.after is None or not self.after.payments or self.after.remaining > 0:
            return False
        return self.before is None or self.before.remaining > 0

    @property
    def reopened(self) -> bool:
        """Owing again although the older version had it paid off (a payment taken back)."""
        return (self.before is not None and self.after is not None
                and self.before.remaining <= 0 < self.after.remaining)

    @property
    def payment_rewritten(self) -> int | None:
        """The first older payment that is no longer in its place (append-only broken)."""
        if self.before is None or self.after is None:
            return None
        return first_rewritten(self.before.payments, self.after.payments)

    @property
    def corrections_rewritten(self) -> bool:
        """Whether an older correction was removed or changed."""
        return (self.before is not None and self.after is not None
                and first_rewritten(self.before.corrections, self.after.corrections) is not None)


T = TypeVar("T", bound=Hashable)


def added(now: Sequence[T], before: Sequence[T]) -> tuple[T, ...]:
    """Entries of `now` not in `before`, counting repeats, in the order of `now`."""
    left = Counter(before)
    out = []
    for entry in now:
        if left[entry]:
            left[entry] -= 1
        else:
            out.append(entry)
    return tuple(out)


def first_rewritten(before: Sequence[Any], after: Sequence[Any]) -> int | None:
    """The index of the first entry of `before` not kept at its place in `after`: None when
    `after` only appends to `before`."""
    if list(after[: len(before)]) == list(before):
        return None
    return next(i for i, entry in enumerate(before) if i >= len(after) or after[i] != entry)


def compare(debt_id: str, before: DebtVersion | None, after: DebtVersion | None, changed: tuple[str, ...] = (),
            old: Item | None = None, new: Item | None = None) -> DebtDiff:
    """One debt's difference (a new debt adds all its entries, a removed one takes nothing
    away: its removal is the difference)."""
    if before is None or after is None:
        return DebtDiff(debt_id, before, after, payments_added=after.payments if after else (),
                        corrections_added=after.corrections if after else (), changed=changed, old=old, new=new)
    return DebtDiff(debt_id, before, after,
                    added(after.payments, before.payments), added(before.payments, after.payments),
                    added(after.corrections, before.corrections), added(before.corrections, after.corrections),
                    changed, old, new)


def diff(before: Mapping[str, DebtVersion], after: Mapping[str, DebtVersion]) -> list[DebtDiff]:
    """Every debt of either version: the older one's in its order (kept or removed), then the
    new ones in the newer one's order. Unchanged debts are included (kind "kept", nothing added)."""
    out = [compare(debt_id, version, after.get(debt_id)) for debt_id, version in before.items()]
    return out + [compare(debt_id, None, version) for debt_id, version in after.items() if debt_id not in before]


def diff_items(before: Iterable[Item], after: Iterable[Item]) -> list[DebtDiff]:
    """`diff` of two versions' records, matched by debt id (of two debts with one id, the later
    counts, as everywhere a debt is looked up by id), with the records and the changed FIELDS."""
    old = {item.id: item for item in before}
    new = {item.id: item for item in after}
    out = []
    for debt_id, item in old.items():
        now = new.get(debt_id)
        changed = tuple(name for name, value in FIELDS.items() if value(item) != value(now)) if now else ()
        out.append(compare(debt_id, DebtVersion.of(item), DebtVersion.of(now) if now else None,
                           changed=changed, old=item, new=now))
    return out + [compare(debt_id, None, DebtVersion.of(item), new=item)
                  for debt_id, item in new.items() if debt_id not in old]
