"""Authority per record: who may write a follow-up or judge a clue, whatever file it is in.

File ownership (check_change._ownership) says who may edit a file; inside a unit's own file
some records still belong to another party. A follow-up (回访、实地核查) is the checking
party's word that the money arrived, and a clue's verdict is the handling unit's finding on
the unit complained about: a unit writing either about itself clears its own debt. So each
record added, changed or removed by a change is judged against the authors of the change
(the pull request's author and every commit's author), in an existing ledger or in one the
change creates, and a correction cannot license rewriting another party's record.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.issues import Issue, make
from ..core.ledgerdiff import added
from ..core.model import Clue, ClueLedger, Followup, Item, Ledger, Records, login_in


def _followup_key(check: Followup) -> tuple:
    return check.date, check.method, check.by, check.result, check.notes


def _clue_key(clue: Clue) -> tuple:
    return (clue.received, clue.source, clue.respondent, clue.amount, clue.accepted, clue.reason,
            clue.transferred_to, clue.verdict, clue.item, clue.closed, clue.deadline)


class Authors:
    """The authors of a change as the registry of the base revision knows them."""

    def __init__(self, registry: Records, actors: list[str]) -> None:
        self.registry, self.actors = registry, list(dict.fromkeys(actors))
        office = registry.office_maintainers()
        self.outside = [a for a in self.actors if not login_in(a, office)]  # not the office's accounts

    @property
    def judged(self) -> bool:
        """The office may write any record; a change with another author is judged."""
        return bool(self.outside)

    def maintain(self, unit_id: str, logins: list[str] | None = None) -> list[str]:
        unit = self.registry.units.get(unit_id)
        return [a for a in (self.actors if logins is None else logins) if unit and login_in(a, unit.maintainers)]

    @property
    def names(self) -> str:
        return "、".join(self.actors) or "未关联 GitHub 账号的提交作者"


def ledger_records(old: Ledger | None, new: Ledger, authors: Authors) -> Iterator[Issue]:
    """Follow-ups added, changed or removed in a debt ledger (new or existing)."""
    if not authors.judged:
        return
    before = {item.id: item for item in old.items} if old else {}
    for item in new.items:
        previous = before.get(item.id)
        now = [_followup_key(f) for f in item.followups]
        then = [_followup_key(f) for f in previous.followups] if previous else []
        touched = [*added(now, then), *added(then, now)]
        for key in dict.fromkeys(touched):
            yield from _followup(new, item, key[2], authors)


def _followup(ledger: Ledger, item: Item, by: str, authors: Authors) -> Iterator[Issue]:
    where = item.at.get("followups", (item.line, 1))
    if by == ledger.unit:
        yield make(ledger.path, *where, "E611", f"{item.id} 的核查记录写作由本单位 {by} 核查，回访和实地核查只能由"
                   "核查单位或清欠办登记")
    elif not authors.maintain(by):
        yield make(ledger.path, *where, "E606", f"{authors.names} 不能以 {by} 的名义登记或改写 {item.id} 的核查记录，"
                   "只有该单位的维护人或清欠办可以")
    elif both := [a for a in authors.maintain(ledger.unit, authors.outside) if a in authors.maintain(by)]:
        yield make(ledger.path, *where, "E611", f"{'、'.join(both)} 同时是 {ledger.unit} 和核查单位 {by} 的维护人，"
                   f"不能核查本单位 {item.id} 的还款")


def clue_records(old: ClueLedger | None, new: ClueLedger, authors: Authors) -> Iterator[Issue]:
    """Clues added or changed: the unit complained about never judges its own complaint."""
    if not authors.judged:
        return
    before = {clue.id: _clue_key(clue) for clue in old.clues} if old else {}
    for clue in new.clues:
        if before.get(clue.id) == _clue_key(clue):
            continue
        where = clue.at.get("verdict", clue.at.get("id", (clue.line, 1)))
        if clue.respondent == new.unit:
            yield make(new.path, *where, "E611", f"线索 {clue.id} 的被投诉单位就是受理单位 {new.unit}")
        elif mine := authors.maintain(clue.respondent, authors.outside):
            yield make(new.path, *where, "E611", f"{'、'.join(mine)} 是被投诉单位 {clue.respondent} 的维护人，"
                       f"不能登记或改写线索 {clue.id}")
