"""Checks that need every file: references between units, ledgers, clues and cases.

They work on the records alone (ids and the positions kept in `at`), never on trees, so
they stay cheap and can run against records cached from earlier runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..core.config import Campaign
from ..core.issues import Issue, make
from ..core.model import Clue, Ledger, Positions, Records, Unit
from ..core.vocab import UnitStatus


@dataclass(slots=True)
class LedgerRefs:
    """A ledger as the cross-file rules see it: its debts' ids and clue references, not the
    debts. The validation cache keeps ledgers in this form, so checking one changed file
    against a province reads back ten strings per ledger, not an object per debt."""

    unit: str
    as_of: date
    item_ids: list[str]
    clue_refs: list[tuple[str, str, tuple[int, int]]]  # (debt id, clue id, position of its `clue`)
    path: str
    at: Positions = field(repr=False)  # `unit` only
    broken_ids: list[str] = field(default_factory=list)
    followup_by: list[tuple[str, tuple[int, int]]] = field(default_factory=list)
    pending_requests: list[tuple[str, date, tuple[int, int]]] = field(default_factory=list)

    @classmethod
    def of(cls, ledger: Ledger) -> LedgerRefs:
        return cls(ledger.unit, ledger.as_of, [item.id for item in ledger.items],
                   [(item.id, item.clue, item.at["clue"]) for item in ledger.items if item.clue is not None],
                   ledger.path, {"unit": ledger.at["unit"]}, ledger.broken_ids, ledger.followup_by,
                   ledger.pending_requests)


def check_cross(records: Records, campaign: Campaign | None = None, today: date | None = None,
                cached: Sequence[LedgerRefs] = ()) -> list[Issue]:
    """`today` (the clock, read by the caller) bounds the dates of what has already happened;
    without it that check is skipped. `cached`: the ledgers read back from the validation
    cache (result_cache), checked with the full ones of `records`."""
    ledgers = [LedgerRefs.of(ledger) for ledger in records.ledgers]
    if cached:
        ledgers = sorted([*ledgers, *cached], key=lambda r: r.path)
    return [*_units(records.units), *_references(records, ledgers),
            *_seed_records(records, ledgers, campaign or Campaign(), today)]


def _seed_records(records: Records, ledgers: list[LedgerRefs], campaign: Campaign,
                  today: date | None) -> Iterator[Issue]:
    """The 确权 requests, follow-ups, measures and clue progress (DESIGN §3b)."""
    units = records.units
    for ledger in ledgers:
        for unit_id, where in ledger.followup_by:
            if unit_id not in units:
                yield make(ledger.path, *where, "E401", f"核查单位“{unit_id}”未在 units/ 中登记")
        for item_id, received, where in ledger.pending_requests:
            days = (ledger.as_of - received).days
            if days > campaign.confirm_days:
                yield make(ledger.path, *where, "W530",
                           f"{item_id} 的确权请求 {received} 收到，至 {ledger.as_of} 已 {days} 天未答复"
                           f"（期限 {campaign.confirm_days} 天）")
    for measure in records.measures:
        path = records.measures_path or ""
        if measure.unit not in units:
            yield make(path, *measure.at["unit"], "E401", f"措施 {measure.id} 的单位“{measure.unit}”未登记")
        if today is not None and measure.date > today:
            yield make(path, *measure.at["date"], "E430", f"措施 {measure.id} 的日期 {measure.date}，今天是 {today}")
    if today is not None:
        yield from _future(records, today)


def _future(records: Records, today: date) -> Iterator[Issue]:
    """Dates of what has already happened, in files without an `as_of` of their own (a debt
    ledger bounds its dates by its `as_of`, itself bounded by today): no later than today."""
    for clue_ledger in records.clue_ledgers:
        for clue in clue_ledger.clues:
            for name, day in (("received", clue.received), ("closed", clue.closed)):
                if day is not None and day > today:
                    yield make(clue.path, *clue.at[name], "E430", f"线索 {clue.id} 的 {name} 为 {day}，今天是 {today}")
            for entry in clue.progress:
                if entry.date > today:
                    yield make(clue.path, *clue.at.get("progress", (clue.line, 1)), "E430",
                               f"线索 {clue.id} 的进展日期 {entry.date}，今天是 {today}")
    for case in records.cases:
        if case.published is not None and case.published > today:
            yield make(case.path, *case.at["published"], "E430", f"案例 {case.id} 的公开日期 {case.published}，"
                       f"今天是 {today}")
    for unit in records.units.values():
        if unit.halted is not None and unit.halted > today:
            yield make(unit.path, *unit.at["halted"], "E430", f"{unit.id} 的停产日期 {unit.halted}，今天是 {today}")


def _units(units: dict[str, Unit]) -> Iterator[Issue]:
    tops = [u for u in units.values() if u.parent is None]
    if len(tops) > 1:
        names = "、".join(u.id for u in tops)
        for unit in tops:
            yield make(unit.path, *unit.at["id"], "E410", f"{names} 都没有 parent")
    for unit in units.values():
        if unit.parent is not None and unit.parent not in units:
            yield make(unit.path, *unit.at["parent"], "E403", f"“{unit.parent}”未登记")
        if unit.supervisor is not None and unit.supervisor not in units:
            yield make(unit.path, *unit.at["supervisor"], "E404", f"“{unit.supervisor}”未登记")
    reported: set[str] = set()
    for start in units:
        chain: list[str] = []
        current: str | None = start
        while current in units and current not in chain and current not in reported:
            chain.append(current)
            current = units[current].parent
        if current in chain:  # walked back into this chain: a cycle
            cycle = chain[chain.index(current):]
            reported.update(cycle)
            first = units[cycle[0]]
            yield make(first.path, *first.at["parent"], "E405", " → ".join([*cycle, cycle[0]]))
        reported.update(chain)


def _references(records: Records, ledgers: list[LedgerRefs]) -> Iterator[Issue]:
    units = records.units
    broken = {f"{ledger.unit}/{i}" for ledger in ledgers for i in ledger.broken_ids}
    referenced = {clue.item for cl in records.clue_ledgers for clue in cl.clues if clue.item}
    debts = _debt_units(ledgers, referenced.union(*(case.items for case in records.cases)))

    def unknowable(ref: str) -> bool:
        """A reference into an item or a ledger too broken to build: its own error says why."""
        return ref in broken or records.ledger_unreadable(ref.split("/")[0])

    def unit_ref(path: str, where: tuple[int, int], unit_id: str) -> Iterator[Issue]:
        if unit_id not in units:
            yield make(path, *where, "E401", f"“{unit_id}”未在 units/ 中登记")

    for ledger in ledgers:
        yield from unit_ref(ledger.path, ledger.at["unit"], ledger.unit)
        unit = units.get(ledger.unit)
        if unit is not None and unit.status == UnitStatus.HALTED and unit.halted is None:
            # with `halted` the office took the unit out of scope and kept its ledger, read-only
            yield make(ledger.path, *ledger.at["unit"], "E402", f"{unit.name}")

    clues: dict[str, Clue] = {}
    for clue_ledger in records.clue_ledgers:
        yield from unit_ref(clue_ledger.path, clue_ledger.at["unit"], clue_ledger.unit)
        for clue in clue_ledger.clues:
            if clue.id in clues:
                other = clues[clue.id]
                yield make(clue.path, *clue.at["id"], "E409",
                           f"“{clue.id}”已在 {other.path} 第 {other.line} 行使用")
                continue
            clues[clue.id] = clue
            yield from unit_ref(clue.path, clue.at["respondent"], clue.respondent)
            respondent = units.get(clue.respondent)
            if clue.accepted and respondent is not None and respondent.status == UnitStatus.HALTED and (
                    respondent.halted is None or respondent.halted <= clue.received):
                yield make(clue.path, *clue.at["respondent"], "W507",
                           f"线索 {clue.id} 的被投诉单位 {respondent.name} 已停产")
            if clue.transferred_to:
                yield from unit_ref(clue.path, clue.at["transferred_to"], clue.transferred_to)
            if clue.item and not unknowable(clue.item):
                yield from _clue_item(clue, debts)

    for ledger in ledgers:
        for item_id, clue_id, where in ledger.clue_refs:
            found = clues.get(clue_id)
            ref = f"{ledger.unit}/{item_id}"
            if found is None:
                yield make(ledger.path, *where, "E406", f"{item_id} 引用了“{clue_id}”")
            elif found.item != ref:
                yield make(ledger.path, *where, "E407",
                           f"线索 {found.id} 的 item 是“{found.item or '（空）'}”，应为 {ref}")

    for case in records.cases:
        yield from unit_ref(case.path, case.at["unit"], case.unit)
        for ref, where in zip(case.items, case.items_at, strict=True):
            if ref not in debts and not unknowable(ref):
                yield make(case.path, *where, "E408", f"“{ref}”不在台账中")


def _debt_units(ledgers: list[LedgerRefs], refs: set[str]) -> dict[str, str]:
    """The unit of the ledger holding each of `refs` (`unit/id`) that names a debt. Looked up
    in the ledgers of the units the refs name, not through a map of every debt in the
    province; a ref that splits more than one way at its slashes is tried every way, and
    like a map filled ledger by ledger, the last ledger holding it wins."""
    wanted: dict[str, list[tuple[str, str]]] = {}  # unit -> (debt id, ref)
    for ref in refs:
        for at, char in enumerate(ref):
            if char == "/":
                wanted.setdefault(ref[:at], []).append((ref[at + 1:], ref))
    found: dict[str, str] = {}
    for ledger in ledgers:
        if (asked := wanted.get(ledger.unit)) is not None:
            ids = set(ledger.item_ids)
            found.update((ref, ledger.unit) for item_id, ref in asked if item_id in ids)
    return found


def _clue_item(clue: Clue, debts: dict[str, str]) -> Iterator[Issue]:
    unit = debts.get(clue.item or "")
    if unit is None:
        yield make(clue.path, *clue.at["item"], "E408", f"线索 {clue.id} 的“{clue.item}”不在台账中")
    elif unit != clue.respondent:
        yield make(clue.path, *clue.at["item"], "E408",
                   f"线索 {clue.id} 的欠款应在被投诉单位 {clue.respondent} 的台账中")
