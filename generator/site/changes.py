"""本期变化: what changed since the previous published version.

The previous published version is the newest reporting-period tag (`YYYY-MM`, the tags the
publish workflow deploys) that is an ancestor of the built commit and not the built commit
itself; without one, the state at the start of the current month (the monthly cut-off).
The other side is the data the site is built from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from ..analysis import stats
from ..analysis.frame import items_frame
from ..core.config import Config
from ..core.gitrepo import GitError, git
from ..core.model import Records
from ..history.period_report import cutoffs
from ..history.state import History
from ..history.timeline import added
from .pages import ROW_CAP, SiteData

PERIOD_TAG = re.compile(r"\d{4}-\d{2}")


@dataclass(frozen=True)
class Baseline:
    tag: str | None  # the tag compared with; None: the start of the month
    commit: str | None  # None: no commit before that moment
    when: datetime  # the tag's commit time, or the monthly cut-off
    records: Records


def previous_tag(history: History) -> tuple[str, str] | None:
    """(tag, commit) of the newest period tag behind the built commit."""
    try:
        head = git(history.root, "rev-parse", f"{history.ref}^{{commit}}").decode().strip()
        names = [n for n in git(history.root, "tag", "--merged", history.ref).decode().split()
                 if PERIOD_TAG.fullmatch(n)]
        if not names:
            return None
        commits = git(history.root, "rev-parse", *(f"{n}^{{commit}}" for n in names)).decode().split()
    except GitError:
        return None
    behind = [(name, sha) for name, sha in zip(names, commits, strict=True) if sha != head]
    return max(behind) if behind else None


def baseline(history: History, config: Config, today: date) -> Baseline:
    tag = previous_tag(history)
    if tag is not None:
        name, commit = tag
        stamp = int(git(history.root, "log", "-1", "--format=%ct", commit).decode())
        when = datetime.fromtimestamp(stamp, UTC)
        return Baseline(name, commit, when, history.at(commit, when).records)
    month_start = cutoffs("month", today, config)[1]
    state = history.state(month_start)
    return Baseline(None, state.commit, month_start, state.records)


def compare(base: Baseline, data: SiteData) -> dict:
    """The lists of the 本期变化 page, each sorted by unit and debt, capped at ROW_CAP."""
    old = {i.ref: i for ledger in base.records.ledgers for i in ledger.items}
    frame = data.frame
    rows = {f"{r['unit']}/{r['id']}": r for r in frame.to_dict("records")}
    new_debts, payments, settled, corrections = [], [], [], []
    for ledger in sorted(data.records.ledgers, key=lambda led: led.unit):
        for item in sorted(ledger.items, key=lambda i: i.id):
            before, row = old.get(item.ref), rows[item.ref]
            if before is None:
                new_debts.append(row)
            for p in added([(p.date, p.amount, p.method) for p in item.payments],
                            [(p.date, p.amount, p.method) for p in before.payments] if before else []):
                payments.append({"row": row, "date": p[0], "amount": p[1], "method": p[2]})
            for c in added([(c.date, c.field, c.reason) for c in item.corrections],
                            [(c.date, c.field, c.reason) for c in before.corrections] if before else []):
                corrections.append({"row": row, "date": c[0], "field": c[1], "reason": c[2]})
            if row["remaining"] == 0 and (before is None or before.remaining > 0):
                settled.append(row)
    old_clues = {(c.handler, c.id): c for cl in base.records.clue_ledgers for c in cl.clues}
    clues = sorted((c for cl in data.records.clue_ledgers for c in cl.clues), key=lambda c: (c.handler, c.id))
    old_cases = {c.id: c for c in base.records.cases}
    cases = [{"case": c, "before": old_cases[c.id].state if c.id in old_cases else None}
             for c in sorted(data.records.cases, key=lambda c: c.id)
             if c.id not in old_cases or old_cases[c.id].state != c.state]
    lists: dict[str, list] = {
        "new_debts": new_debts, "payments": payments, "settled": settled, "corrections": corrections,
        "new_clues": [c for c in clues if (c.handler, c.id) not in old_clues],
        "closed_clues": [c for c in clues if c.closed is not None
                         and ((c.handler, c.id) not in old_clues or old_clues[(c.handler, c.id)].closed is None)],
        "cases": cases,
    }
    result: dict[str, Any] = {f"{key}_count": len(value) for key, value in lists.items()}
    result.update({key: value[:ROW_CAP] for key, value in lists.items()})
    result.update(cap=ROW_CAP, unit_names={u.id: u.name for u in data.records.units.values()},
                  before=stats.totals(items_frame(base.records, data.campaign, data.today)),
                  after=stats.totals(frame),
                  paid=sum((p["amount"] for p in payments), Decimal(0)))
    return result
