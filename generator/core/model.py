"""Typed records, the data every later stage works on (core.builders makes them from trees).

Money stays `Decimal` exactly as written; dates become `date`. Each record keeps `at`, the
positions of its values, so cross-file checks can point at a line without the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .schema import ledger_path
from .vocab import UnitType

Positions = dict[str, tuple[int, int]]


@dataclass(slots=True)
class Unit:
    id: str
    name: str
    credit_code: str
    type: str
    region_code: str
    region_name: str
    parent: str | None
    supervisor: str | None
    status: str
    leader: dict[str, str]
    liaison: dict[str, str]
    maintainers: list[str]
    path: str
    at: Positions = field(repr=False)
    halted: date | None = None  # 停产 since this date (set by the office); its ledger stays, read-only
    disclosed: dict[int, date] = field(default_factory=dict)  # year -> the day its 第十八条 disclosure went out


@dataclass(slots=True)
class Payment:
    date: date
    amount: Decimal
    method: str


@dataclass(slots=True)
class PlanEntry:
    date: date
    amount: Decimal


@dataclass(slots=True)
class Correction:
    date: date
    field: str
    reason: str


@dataclass(slots=True)
class Confirmation:
    """An enterprise's request that the unit confirm the debt (应收账款确权)."""

    received: date
    purpose: str
    answered: date | None
    result: str | None
    reason: str | None


@dataclass(slots=True)
class Followup:
    """A check with the enterprise that the money arrived (回访、实地核查)."""

    date: date
    method: str
    by: str
    result: str
    notes: str | None
    received: Decimal | None = None  # 部分到账: what had arrived by the check, in all


@dataclass(frozen=True, slots=True)
class Terms:
    """What the standing rules (DESIGN §3c) read of a debt's contract and its performance; a debt
    has terms when its ledger gives `delivered`, and then falls under the rules."""

    delivered: date  # 交付日
    acceptance_within: int | None = None  # 约定检验、验收期限（交付后日数）
    accepted: date | None = None  # 验收合格日
    settlement: date | None = None  # 结算金额确认日（按结算付款的合同）
    pay_within: int | None = None  # 约定付款期限（起算后日数）
    interest_rate: Decimal | None = None  # 约定逾期利率（年利率，%）
    conditions: tuple[str, ...] = ()  # 付款条件：背靠背 | 审计结算


@dataclass(slots=True)
class Item:
    unit: str
    id: str
    creditor_name: str
    creditor_code: str
    creditor_size: str
    category: str
    contract_number: str
    contract_signed: date
    contract_amount: Decimal
    due: date
    amount: Decimal
    disputed: bool
    dispute_reason: str | None
    dispute_path: str | None
    dispute_state: str | None
    origin: str
    clue: str | None
    payments: list[Payment]
    plan: list[PlanEntry]
    corrections: list[Correction]
    notes: str | None
    index: int  # position in the file's `items`, to find sub-positions in the tree
    line: int
    at: Positions = field(repr=False)
    confirmations: list[Confirmation] = field(default_factory=list)
    followups: list[Followup] = field(default_factory=list)
    terms: Terms | None = None  # under the standing rules when the debt has them

    @property
    def repaid(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal(0))

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.repaid

    @property
    def ref(self) -> str:
        return f"{self.unit}/{self.id}"


@dataclass(slots=True)
class Ledger:
    unit: str
    as_of: date
    items: list[Item]
    path: str
    at: Positions = field(repr=False)
    # ids of items too broken to build (their schema errors are reported); other files
    # may still refer to them without a second, misleading error
    broken_ids: list[str] = field(default_factory=list)
    # (unit id, position) of every follow-up's `by`: kept on the ledger so the cross-file
    # check that the checking unit exists survives the cache's slim form of the items
    followup_by: list[tuple[str, tuple[int, int]]] = field(default_factory=list)
    # (item id, date received, position) of every unanswered 确权 request, for the same reason
    pending_requests: list[tuple[str, date, tuple[int, int]]] = field(default_factory=list)


@dataclass(slots=True)
class Clue:
    handler: str
    id: str
    received: date
    source: str
    complainant_name: str
    complainant_code: str
    respondent: str
    amount: Decimal
    accepted: bool
    reason: str | None
    transferred_to: str | None
    verdict: str | None  # absent for a clue not accepted: it was never examined
    item: str | None
    closed: date | None
    path: str
    line: int
    at: Positions = field(repr=False)
    deadline: date | None = None
    progress: list[ProgressEntry] = field(default_factory=list)
    index: int = 0  # position in the file's `clues`
    forwarded: date | None = None  # 转交日 (条例: within 10 working days of receipt)
    extended_to: date | None = None  # 延期至 (at most 90 days in all)
    replied: date | None = None  # 书面答复日

    @property
    def latest_progress(self) -> ProgressEntry | None:
        """The newest progress note by date (of one day's notes, the one written last): the
        file need not list them in order."""
        return max(reversed(self.progress), key=lambda entry: entry.date, default=None)


@dataclass(slots=True)
class ProgressEntry:
    date: date
    note: str


@dataclass(slots=True)
class ClueLedger:
    unit: str
    clues: list[Clue]
    path: str
    at: Positions = field(repr=False)


@dataclass(slots=True)
class Case:
    id: str
    title: str
    unit: str
    items: list[str]
    state: str
    published: date | None
    summary: str
    handling: str
    path: str
    at: Positions = field(repr=False)
    items_at: list[tuple[int, int]] = field(repr=False, default_factory=list)


Day = date  # for annotations after a field named `date`, which hides the type there


@dataclass(slots=True)
class Measure:
    """A measure the office took against a unit (约谈、督办、限制、惩戒…)."""

    id: str
    date: date
    unit: str
    kind: str
    basis: str
    follow_up: Day | None
    line: int
    at: Positions = field(repr=False)


@dataclass(slots=True)
class MeasureLedger:
    measures: list[Measure]
    path: str
    at: Positions = field(repr=False)


def login_in(login: str, logins) -> bool:
    """Whether a GitHub login is among `logins`: GitHub logins are case-insensitive, so
    `JTJ-Bot` is the account listed as `jtj-bot`."""
    key = login.casefold()
    return bool(key) and any(key == other.casefold() for other in logins)


@dataclass
class Records:
    units: dict[str, Unit] = field(default_factory=dict)
    ledgers: list[Ledger] = field(default_factory=list)
    clue_ledgers: list[ClueLedger] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # paths that failed to load
    measures: list[Measure] = field(default_factory=list)
    measures_path: str | None = None

    def office_maintainers(self) -> set[str]:
        """Accounts of the 清欠办, who may change any file."""
        return {m for u in self.units.values() if u.type == UnitType.OFFICE for m in u.maintainers}

    def ledger_unreadable(self, unit_id: str) -> bool:
        """References into such a ledger cannot be checked; its own error says why."""
        return ledger_path(unit_id) in self.unreadable

    def add(self, record) -> None:
        if isinstance(record, Unit):
            self.units.setdefault(record.id, record)
        elif isinstance(record, Ledger):
            self.ledgers.append(record)
        elif isinstance(record, ClueLedger):
            self.clue_ledgers.append(record)
        elif isinstance(record, Case):
            self.cases.append(record)
        elif isinstance(record, MeasureLedger):
            self.measures.extend(record.measures)
            self.measures_path = record.path
