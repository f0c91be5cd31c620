"""Each debt's timeline from the Git history: when it appeared, each payment, each
correction and when it was settled, with the time each change landed on main; and what was
taken away again (a reverted payment or correction, a deleted debt).

One `git log --raw` over `ledgers/arrears/` lists every version of every ledger on the main
line; each version (blob) is parsed once and reduced to a few facts per debt, kept by blob
id across runs. The work grows with the versions that changed, not commits × files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import groupby

from ..core.gitrepo import SUBMODULE, SYMLINK, git
from ..core.ledgerdiff import DebtVersion, diff
from ..core.model import Ledger
from ..core.money import fen
from ..core.schema import item_field_label
from ..validate.cache import FactCache
from ..validate.pipeline import FileResult
from .state import History

FOLDER = "ledgers/arrears/"


@dataclass(frozen=True)
class Event:
    item: str
    kind: str  # 出现 | 还款 | 更正 | 还清 | 撤销还款 | 撤销更正 | 恢复未清 | 删除
    recorded: datetime  # landing time of the commit whose version first shows it
    commit: str
    date: date | None = None  # the payment's or correction's own date
    amount: int | None = None  # fen
    method: str = ""
    detail: str = ""


def versions(history: History) -> list[tuple[datetime, str, str, str | None]]:
    """(commit time, commit, path, blob or None when deleted) of every ledger change, oldest first."""
    raw = git(history.root, "log", "--first-parent", "--diff-merges=first-parent", "--no-renames", "--raw",
              "--no-abbrev", "-z", "--reverse", "--format=%x01%H %ct", "--end-of-options", history.ref, "--",
              FOLDER).decode("utf-8")
    out = []
    for chunk in filter(None, raw.split("\x01")):
        header, _, rest = chunk.partition("\0")
        sha, stamp = header.split()
        when = datetime.fromtimestamp(int(stamp), UTC)
        fields = rest.lstrip("\n").split("\0")
        for meta, path in zip(fields[0:-1:2], fields[1::2], strict=False):
            _old_mode, new_mode, _old, blob, status = meta.lstrip(":").split()
            gone = status == "D" or new_mode in (SYMLINK, SUBMODULE)
            out.append((when, sha, path, None if gone else blob))
    return out


def _facts(result: FileResult) -> tuple | None:
    """What a timeline needs of one ledger version: its unit and per debt a DebtVersion (kept
    as its row, plain values). A timeline tells what the ledger recorded and when, so a version
    that was read but breaks a rule (a misnamed file, an overpayment) counts; one that cannot
    be read is None, and the last readable version stands."""
    record = result.record
    if not isinstance(record, Ledger):
        return None
    return record.unit, {i.id: DebtVersion.of(i).row() for i in record.items}


def _debts(facts: tuple) -> tuple[str, dict[str, DebtVersion]]:
    unit, rows = facts
    return unit, {debt_id: DebtVersion(*row) for debt_id, row in rows.items()}


def _events(unit_items: dict[str, DebtVersion], before: dict[str, DebtVersion], when: datetime,
            commit: str) -> list[Event]:
    events = []
    for debt in diff(before, unit_items):
        item_id = debt.id
        if debt.after is None:
            assert debt.before is not None
            events.append(Event(item_id, "删除", when, commit, amount=fen(debt.before.remaining),
                                detail="这笔欠款已从台账中删除（台账删除或撤销提交）"))
            continue
        amount = fen(debt.after.amount)
        if debt.kind == "added":
            events.append(Event(item_id, "出现", when, commit, amount=amount, detail="首次记入台账"))
        for day, paid, method in debt.payments_added:
            events.append(Event(item_id, "还款", when, commit, day, fen(paid), method))
        for day, paid, method in debt.payments_removed:
            events.append(Event(item_id, "撤销还款", when, commit, day, fen(paid), method,
                                "这笔还款已从台账中去掉（如撤销提交）"))
        for day, field_name, reason in debt.corrections_added:
            detail = f"{item_field_label(field_name)}：{reason}"
            events.append(Event(item_id, "更正", when, commit, day, amount, detail=detail))
        for day, field_name, reason in debt.corrections_removed:
            detail = f"已从台账中去掉：{item_field_label(field_name)}：{reason}"
            events.append(Event(item_id, "撤销更正", when, commit, day, detail=detail))
        if debt.settled:
            events.append(Event(item_id, "还清", when, commit))
        elif debt.reopened:
            events.append(Event(item_id, "恢复未清", when, commit, amount=fen(debt.after.remaining),
                                detail="此前记为还清"))
    return events


def timelines(history: History, cache: bool = True) -> dict[str, list[Event]]:
    """unit id -> its debts' events, by debt id and then in the order they were recorded.
    Debts are followed by unit, not by file: a renamed ledger continues its debts' timelines;
    an unreadable version is skipped (the next readable one is compared with the last)."""
    changes = versions(history)
    store = FactCache.open(history.root, "timeline") if cache else FactCache(history.root, "timeline")
    wanted = {(path, blob) for _when, _sha, path, blob in changes if blob is not None}
    missing = sorted(entry for entry in wanted if entry[1] not in store.entries)
    history.parse(missing)
    for entry in missing:
        store.put(entry[1], _facts(history.parsed.pop(entry)))
    if cache:
        store.save()
    landed = history.landed()
    by_path: dict[str, tuple[str, dict[str, DebtVersion]]] = {}  # path -> (unit, the last valid version's debts)

    def debts_of(unit: str) -> dict[str, DebtVersion]:
        merged: dict[str, DebtVersion] = {}
        for owner, items in by_path.values():
            if owner == unit:
                merged.update(items)
        return merged

    found: dict[str, list[Event]] = {}
    for sha, group in groupby(changes, key=lambda change: change[1]):
        entries = list(group)
        when = landed.get(sha, entries[0][0])
        affected, updates = set(), []
        for _when, _sha, path, blob in entries:
            facts = store.entries.get(blob) if blob else None
            if blob is not None and facts is None:
                continue  # unreadable: the last readable version stands
            if path in by_path:
                affected.add(by_path[path][0])
            if facts is not None:
                affected.add(facts[0])
            updates.append((path, _debts(facts) if facts is not None else None))
        before = {unit: debts_of(unit) for unit in affected}
        for path, facts in updates:
            if facts is None:
                by_path.pop(path, None)
            else:
                by_path[path] = facts
        for unit in sorted(affected):
            found.setdefault(unit, []).extend(_events(debts_of(unit), before[unit], when, sha))
    for events in found.values():
        events.sort(key=lambda e: (e.item, e.recorded))  # stable: the order within a version stays
    return found
