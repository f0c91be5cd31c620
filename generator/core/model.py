"""Typed records built from schema-checked trees: the data every later stage works on.

Money stays `Decimal` exactly as written; dates become `date`. Each record keeps `at`, the
positions of its values, so cross-file checks can point at a line without the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .load import Map, Seq
from .schema import ledger_path

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


def flag(value: bool | str) -> bool:
    return value is True or value == "是"


def login_in(login: str, logins) -> bool:
    """Whether a GitHub login is among `logins`: GitHub logins are case-insensitive, so
    `JTJ-Bot` is the account listed as `jtj-bot`."""
    key = login.casefold()
    return bool(key) and any(key == other.casefold() for other in logins)


class Malformed(ValueError):
    """A part of the tree has a shape the schema refused; its schema errors say why."""


# Building a record from a tree that failed the schema raises one of these: a missing key,
# a wrong shape or an impossible date (ValueError), a number that is not one (ArithmeticError).
# That part is then left out of the meaning checks. Anything else is a bug and is not caught.
BUILD_ERRORS = (KeyError, ValueError, ArithmeticError)


def _map(value: object) -> Map:
    if isinstance(value, Map):
        return value
    raise Malformed


def _list(value: object) -> list:
    """A list, or an absent (null) one as empty."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise Malformed


def _text(value: object) -> str:
    if isinstance(value, str):  # numbers are kept as the text written (Num)
        return value
    raise Malformed


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _money(value: object) -> Decimal:
    return Decimal(_text(value))


def _date(value: object) -> date:
    return date.fromisoformat(_text(value))


def _optional_date(value: object) -> date | None:
    return None if value is None else _date(value)


def _item(unit: str, index: int, m: Map) -> Item:
    creditor, contract = _map(m["creditor"]), _map(m["contract"])
    dispute = _map(m["dispute"]) if m.get("dispute") else Map(0, 0)
    payments = [_map(p) for p in _list(m.get("payments"))]
    plan = [_map(p) for p in _list(m.get("plan"))]
    corrections = [_map(c) for c in _list(m.get("corrections"))]
    confirmations = [_map(c) for c in _list(m.get("confirmations"))]
    followups = [_map(f) for f in _list(m.get("followups"))]
    return Item(
        unit=unit, id=_text(m["id"]),
        creditor_name=_text(creditor["name"]), creditor_code=_text(creditor["credit_code"]),
        creditor_size=_text(creditor["size"]), category=_text(m["category"]),
        contract_number=_text(contract["number"]), contract_signed=_date(contract["signed"]),
        contract_amount=_money(contract["amount"]),
        due=_date(m["due"]), amount=_money(m["amount"]), disputed=flag(m["disputed"]),
        dispute_reason=_optional_text(dispute.get("reason")), dispute_path=_optional_text(dispute.get("path")),
        dispute_state=_optional_text(dispute.get("state")),
        origin=_text(m["origin"]), clue=_optional_text(m.get("clue")),
        payments=[Payment(_date(p["date"]), _money(p["amount"]), _text(p["method"])) for p in payments],
        plan=[PlanEntry(_date(p["date"]), _money(p["amount"])) for p in plan],
        corrections=[Correction(_date(c["date"]), _text(c["field"]), _text(c["reason"])) for c in corrections],
        notes=_optional_text(m.get("notes")) or "", index=index, line=m.line, at=m.values_at,
        confirmations=[Confirmation(_date(c["received"]), _text(c["purpose"]), _optional_date(c.get("answered")),
                                    _optional_text(c.get("result")), _optional_text(c.get("reason")))
                       for c in confirmations],
        followups=[Followup(_date(f["date"]), _text(f["method"]), _text(f["by"]), _text(f["result"]),
                            _optional_text(f.get("notes"))) for f in followups],
    )


def build_items(unit: str, seq: object) -> tuple[list[Item], list[str]]:
    items, broken = [], []
    for index, m in enumerate(seq if isinstance(seq, list) else ()):
        try:
            items.append(_item(unit, index, _map(m)))
        except BUILD_ERRORS:
            if isinstance(m, dict) and isinstance(m.get("id"), str):
                broken.append(m["id"])
    return items, broken


def build_ledger(path: str, tree: Map) -> Ledger | None:
    try:
        unit, as_of = tree["unit"], _date(tree["as_of"])
    except BUILD_ERRORS:
        return None
    if not isinstance(unit, str):
        return None
    items, broken = build_items(unit, tree.get("items"))
    followup_by = [(f["by"], f.values_at["by"]) for item in items
                   for f in tree["items"][item.index].get("followups") or ()]
    pending_requests = [(item.id, c.received, tree["items"][item.index]["confirmations"].items_at[n])
                        for item in items for n, c in enumerate(item.confirmations) if c.answered is None]
    return Ledger(unit, as_of, items, path, tree.values_at, broken, followup_by, pending_requests)


def build_unit(path: str, tree: Map) -> Unit | None:
    try:
        region = _map(tree["region"])
        return Unit(
            id=_text(tree["id"]), name=_text(tree["name"]), credit_code=_text(tree["credit_code"]),
            type=_text(tree["type"]), region_code=_text(region["code"]), region_name=_text(region["name"]),
            parent=_optional_text(tree.get("parent")), supervisor=_optional_text(tree.get("supervisor")),
            status=_text(tree["status"]), leader=dict(_map(tree["leader"])), liaison=dict(_map(tree["liaison"])),
            maintainers=[_text(m) for m in _list(tree["maintainers"])], path=path, at=tree.values_at,
            halted=_optional_date(tree.get("halted")),
        )
    except BUILD_ERRORS:
        return None


def _clue(handler: str, path: str, index: int, m: Map) -> Clue:
    complainant = _map(m["complainant"])
    progress = [_map(p) for p in _list(m.get("progress"))]
    return Clue(
        handler=handler, id=_text(m["id"]), received=_date(m["received"]), source=_text(m["source"]),
        complainant_name=_text(complainant["name"]),
        complainant_code=_text(complainant["credit_code"]), respondent=_text(m["respondent"]),
        amount=_money(m["amount"]), accepted=flag(m["accepted"]), reason=_optional_text(m.get("reason")),
        transferred_to=_optional_text(m.get("transferred_to")), verdict=_optional_text(m.get("verdict")),
        item=_optional_text(m.get("item")),
        closed=_optional_date(m.get("closed")), path=path, line=m.line, at=m.values_at,
        deadline=_optional_date(m.get("deadline")),
        progress=[ProgressEntry(_date(p["date"]), _text(p["note"])) for p in progress],
        index=index,
    )


def build_clues(path: str, tree: Map) -> ClueLedger | None:
    unit = tree.get("unit")
    if not isinstance(unit, str):
        return None
    clues = []
    found = tree.get("clues")
    for index, m in enumerate(found if isinstance(found, list) else ()):
        try:
            clues.append(_clue(unit, path, index, _map(m)))
        except BUILD_ERRORS:
            continue
    return ClueLedger(unit, clues, path, tree.values_at)


def build_case(path: str, tree: Map) -> Case | None:
    try:
        items = tree["items"]
        if not isinstance(items, Seq):
            raise Malformed
        return Case(
            id=_text(tree["id"]), title=_text(tree["title"]), unit=_text(tree["unit"]),
            items=[_text(ref) for ref in items], state=_text(tree["state"]),
            published=_optional_date(tree.get("published")),
            summary=_text(tree["summary"]), handling=_text(tree["handling"]), path=path,
            at=tree.values_at, items_at=list(items.items_at),
        )
    except BUILD_ERRORS:
        return None


def build_measures(path: str, tree: Map) -> MeasureLedger | None:
    seq = tree.get("measures")
    measures = []
    for m in seq if isinstance(seq, list) else ():
        try:
            m = _map(m)
            measures.append(Measure(_text(m["id"]), _date(m["date"]), _text(m["unit"]), _text(m["kind"]),
                                    _text(m["basis"]), _optional_date(m.get("follow_up")), m.line, m.values_at))
        except BUILD_ERRORS:
            continue
    return MeasureLedger(measures, path, tree.values_at)


BUILDERS = {"unit": build_unit, "arrears": build_ledger, "clues": build_clues,
            "case": build_case, "measures": build_measures}


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
        return {m for u in self.units.values() if u.type == "清欠办" for m in u.maintainers}

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
