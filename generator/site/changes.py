"""本期变化: what changed since the previous published version.

The previous published version is the reporting-period tag (`YYYY-MM`, the tags the publish
workflow deploys) nearest behind the built commit on main's first-parent line, chosen by
ancestry, not by the largest name; without one, the state at the start of the current month
(the monthly cut-off). The other side is the data the site is built from.

Tags that look like periods but cannot be one are not used and are named on the page: a month
outside 01–12, a period that starts after the tagged commit landed (a typo such as 2202-07),
or a commit that is not on main's first-parent line (a pull request's own commit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..analysis import stats
from ..analysis.frame import items_frame
from ..core.config import Config
from ..core.gitrepo import GitError, git
from ..core.ledgerdiff import diff_items
from ..core.model import Clue, Item, Records
from ..history.period_report import cutoffs
from ..history.state import History
from .page_data import ROW_CAP, PageContext, Rows, SiteData

LOOKS_LIKE_PERIOD = re.compile(r"\d{4}-\d{2}")  # what the publish workflow is triggered by
PERIOD = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class Baseline:
    tag: str | None  # the tag compared with; None: the start of the month
    commit: str | None  # None: no commit before that moment
    when: datetime  # the tagged commit's landing time, or the monthly cut-off
    records: Records
    warnings: list[str] = field(default_factory=list)  # period-like tags not used, and why


def period_tags(history: History, config: Config) -> tuple[tuple[str, str] | None, list[str]]:
    """((tag, commit) of the period tag nearest behind the built commit on the main line, or
    None; Chinese warnings about the period-like tags that were not used)."""
    try:
        head = git(history.root, "rev-parse", f"{history.ref}^{{commit}}").decode().strip()
        merged = set(git(history.root, "tag", "--merged", history.ref).decode().split())
        listing = git(history.root, "for-each-ref", "refs/tags",
                      "--format=%(refname:strip=2) %(objectname) %(*objectname)").decode()
    except GitError:
        return None, []
    position = {sha: n for n, (_when, sha) in enumerate(history.commits)}
    landed = history.landed()
    tz = config.schedule.tz
    found, warnings = [], []
    for line in listing.splitlines():
        name, target, *peeled = line.split()
        if not LOOKS_LIKE_PERIOD.fullmatch(name) or name not in merged:
            continue  # other tags, and tags not (yet) behind the built commit
        sha = peeled[0] if peeled else target
        period = PERIOD.fullmatch(name)
        if period is None:
            warnings.append(f"标签 {name} 不是有效的报送期（月份应为 01–12），未使用")
        elif sha not in position:
            warnings.append(f"标签 {name} 指向的提交 {sha[:10]} 不在 main 的第一父提交链上（是合并请求分支上的提交），"
                            "未使用；报送期标签应打在 main 的提交上")
        elif (int(period[1]), int(period[2])) > (day := landed[sha].astimezone(tz).date()).timetuple()[:2]:
            warnings.append(f"标签 {name} 的报送期晚于它所指提交进入 main 的日期 {day}（可能是笔误），未使用")
        elif sha != head:
            found.append((position[sha], name, sha))
    if not found:
        return None, warnings
    _position, name, sha = max(found)
    return (name, sha), warnings


def previous_tag(history: History, config: Config | None = None) -> tuple[str, str] | None:
    """(tag, commit) of the period tag nearest behind the built commit on the main line."""
    return period_tags(history, config or Config())[0]


def baseline(history: History, config: Config, today: date) -> Baseline:
    """The state compared with. It stays the same for a whole period: with a history read with
    `cache`, a later build takes its files' check results from the per-blob cache."""
    tag, warnings = period_tags(history, config)
    if tag is not None:
        name, commit = tag
        when = history.landed()[commit]
        return Baseline(name, commit, when, history.at(commit, when).records, warnings)
    month_start = cutoffs("month", today, config)[1]
    state = history.state(month_start)
    return Baseline(None, state.commit, month_start, state.records, warnings)


@dataclass(frozen=True)
class ChangesContext(PageContext):
    """本期变化 (changes.md.j2): what changed since the period's baseline; each list is capped
    at `cap` rows and has its full count beside it."""
    today: date
    base: Baseline
    base_day: date
    new_debts_count: int
    payments_count: int
    settled_count: int
    corrections_count: int
    new_clues_count: int
    closed_clues_count: int
    cases_count: int
    new_debts: Rows
    payments: Rows
    settled: Rows
    corrections: Rows
    new_clues: list[Clue]
    closed_clues: list[Clue]
    cases: Rows
    cap: int
    unit_names: dict[str, str]
    before: stats.Totals
    after: stats.Totals
    paid: Decimal
    history: bool = True


def compare(base: Baseline, data: SiteData, base_day: date) -> ChangesContext:
    """The 本期变化 page's lists, each sorted by unit and debt, capped at ROW_CAP; `base_day`:
    the baseline's day in local time."""
    old: dict[str, list[Item]] = {}
    for ledger in base.records.ledgers:
        for item in ledger.items:
            old.setdefault(item.unit, []).append(item)
    frame = data.frame
    rows = {f"{r['unit']}/{r['id']}": r for r in frame.to_dict("records")}
    new_debts: list[dict] = []  # frame rows
    settled: list[dict] = []
    payments: list[dict[str, Any]] = []
    corrections: list[dict[str, Any]] = []
    for ledger in sorted(data.records.ledgers, key=lambda led: led.unit):
        for debt in sorted(diff_items(old.get(ledger.unit, []), ledger.items), key=lambda d: d.id):
            if debt.new is None:
                continue  # removed: the change rules refuse it, and a period adds no such row
            row = rows.get(debt.new.ref)
            if row is None:
                continue  # not in scope at the stated date (its unit 停产, or not yet due), as everywhere
            if debt.kind == "added":
                new_debts.append(row)
            payments += [{"row": row, "date": day, "amount": amount, "method": method}
                         for day, amount, method in debt.payments_added]
            corrections += [{"row": row, "date": day, "field": name, "reason": reason}
                            for day, name, reason in debt.corrections_added]
            if debt.settled:
                settled.append(row)
    old_clues = {(c.handler, c.id): c for cl in base.records.clue_ledgers for c in cl.clues}
    clues = sorted((c for cl in data.records.clue_ledgers for c in cl.clues), key=lambda c: (c.handler, c.id))
    old_cases = {c.id: c for c in base.records.cases}
    cases = [{"case": c, "before": old_cases[c.id].state if c.id in old_cases else None}
             for c in sorted(data.records.cases, key=lambda c: c.id)
             if c.id not in old_cases or old_cases[c.id].state != c.state]
    new_clues = [c for c in clues if (c.handler, c.id) not in old_clues]
    closed_clues = [c for c in clues if c.closed is not None
                    and ((c.handler, c.id) not in old_clues or old_clues[(c.handler, c.id)].closed is None)]
    return ChangesContext(
        today=data.today, base=base, base_day=base_day,
        new_debts_count=len(new_debts), payments_count=len(payments), settled_count=len(settled),
        corrections_count=len(corrections), new_clues_count=len(new_clues),
        closed_clues_count=len(closed_clues), cases_count=len(cases),
        new_debts=new_debts[:ROW_CAP], payments=payments[:ROW_CAP], settled=settled[:ROW_CAP],
        corrections=corrections[:ROW_CAP], new_clues=new_clues[:ROW_CAP], closed_clues=closed_clues[:ROW_CAP],
        cases=cases[:ROW_CAP], cap=ROW_CAP, unit_names={u.id: u.name for u in data.records.units.values()},
        before=stats.totals(items_frame(base.records, data.campaign, data.today)),
        after=stats.totals(frame),
        paid=sum((p["amount"] for p in payments), Decimal(0)))
