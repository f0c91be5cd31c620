"""Scheduling reports (日报、周报、月调度、季通报、年度公开) derived from the ledger history.

Nobody fills a report in: each is the difference between the repository's state at the
period's cut-off and at the previous one (history.State), aggregated with pandas.

What a report cannot count as fact it says: a cut-off before the first commit has no data
(`no_data`), files failing validation at the cut-off are listed with what was used instead
(`invalid`), and units and debts that left the ledgers are listed (`removed_units`,
`removed_debts`), not only netted into the change.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any, TypeVar

import pandas as pd

from ..analysis import consolidation, stats, supervision, violations
from ..analysis.disclosure import disclosure
from ..analysis.frame import items_frame
from ..analysis.stats import unit_summary
from ..core.config import Config
from ..core.derive import in_scope, stopped_on
from ..core.model import Clue, Records, Unit
from ..core.money import fen
from ..core.vocab import NOT_ACCEPTED, CaseState, UnitStatus
from ..rules.standing import SEPARATOR, Judge
from . import PERIODS, followthrough_report, movement
from .lateness import late_units, submissions
from .report_data import (
    CaseRow,
    Change,
    ClueRow,
    DeadlineRow,
    DisclosureRow,
    GroupRow,
    InvalidFile,
    Movement,
    NewArrear,
    PeriodReport,
    RankedUnit,
    RegionRow,
    RemovedDebt,
    RemovedUnit,
    ReportTotals,
    Scope,
    SlippedPlan,
    StandingFigures,
    SupervisedRegion,
    SupervisedUnit,
    UnitRow,
    ViolationRow,
)
from .state import History, Invalid, State

SUMS = ("amount", "repaid", "remaining", "unverified")


def _midnight(day: date, config: Config) -> datetime:
    return datetime.combine(day, time(0, tzinfo=config.schedule.tz))


def cutoffs(period: str, day: date, config: Config) -> tuple[datetime, datetime]:
    """(this cut-off, the previous one) for the period containing `day`."""
    schedule = config.schedule
    if period == "day":
        current = datetime.combine(day, schedule.at(schedule.daily))
        return current, current - timedelta(days=1)
    if period == "week":
        thursday = day + timedelta(days=schedule.weekly_day - day.isoweekday())
        current = datetime.combine(thursday, schedule.at(schedule.weekly))
        return current, current - timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    end_month = first_month + months - 1
    end = date(day.year, end_month, calendar.monthrange(day.year, end_month)[1]) + timedelta(days=1)
    return _midnight(end, config), _midnight(start, config)


def local_day(moment: datetime, config: Config) -> date:
    """The calendar day a cut-off closes: 24:00 belongs to the day before."""
    return (moment.astimezone(config.schedule.tz) - timedelta(microseconds=1)).date()


def _totals(frame: pd.DataFrame) -> ReportTotals:
    found = stats.totals(frame)
    return ReportTotals(found.count, found.amount, found.repaid, found.remaining, int(frame["unverified"].sum()),
                        found.rate)


Row = TypeVar("Row", RegionRow, UnitRow)


def _grouped(now: pd.DataFrame, flows: pd.DataFrame, keys: list[str], row_type: type[Row]) -> list[Row]:
    """Per group of `keys` (code and name) in scope at either cut-off: its sums at the cut-off and
    how its remaining moved (a group that left scope has zero sums and its movement)."""
    grouped = now.groupby(keys[0], sort=True)
    current: dict[str, dict[str, int]] = {
        str(code): {str(name): int(value) for name, value in row.items()}
        for code, row in grouped[list(SUMS)].sum().join(grouped.size().rename("items")).iterrows()}
    moved = movement.by(flows, keys[0])
    names = dict(zip(flows[keys[0]], flows[keys[1]], strict=True))
    rows = []
    none = dict.fromkeys((*SUMS, "items"), 0)
    for code in sorted(moved):
        sums = current.get(code, none)
        repaid, amount, remaining, items = sums["repaid"], sums["amount"], sums["remaining"], sums["items"]
        rows.append(row_type(code, names[code], items=items, amount=amount, repaid=repaid, remaining=remaining,
                             unverified=sums["unverified"], clearance_rate=stats.rate(repaid, amount),
                             movement=Movement(**moved[code])))
    return rows


def is_final(cutoff: datetime, made: datetime) -> bool:
    """Whether a period was over when its report was made: a cut-off still ahead is 未截止."""
    return cutoff <= made


def _debts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's debts as records, by unit and id."""
    return stats.records(frame.sort_values(["unit", "id"]))


def _standing(records: Records, frame: pd.DataFrame, as_of: date, judge: Judge) -> list[StandingFigures] | None:
    """The standing rules' figures, once any debt is under them."""
    under = violations.under_rules(frame)
    if under.empty:
        return None
    overdue = violations.tally(violations.overdue_under_rules(frame))
    late = sum(1 for ledger in records.clue_ledgers for clue in ledger.clues
               if (clock := judge.clue(clue, as_of)) is not None and clock.late)
    return [StandingFigures(len(under), overdue.debts, overdue.remaining, int(under["overdue_interest"].sum()),
                            late)]


def _violations(frame: pd.DataFrame) -> list[ViolationRow]:
    """The debts the standing rules find at fault, most interest owed first."""
    return [ViolationRow(r["unit"], r["id"], r["unit_name"], r["creditor_name"], SEPARATOR.join(r["violations"]),
                         r["statutory_due"], r["remaining"], r["overdue_interest"])
            for r in stats.records(violations.violating(frame))]


def build_report(history: History, period: str, day: date, config: Config,
                 made: datetime | None = None) -> PeriodReport:
    """The report of the period containing `day`, made at `made` (the clock by default; a build
    passes the end of its --as-of day): a period not over by then is 未截止 (`final` false)."""
    made = made or datetime.now(UTC)
    current_cut, previous_cut = cutoffs(period, day, config)
    now, before = history.state(current_cut), history.state(previous_cut)
    as_of, since = local_day(current_cut, config), local_day(previous_cut, config)
    judge = Judge(config.rules)
    frame = items_frame(now.records, config.campaign, as_of, judge)
    old = items_frame(before.records, config.campaign, since, judge)
    units = now.records.units
    totals, old_totals = _totals(frame), _totals(old)
    flows = movement.debt_flows(before.records, old, since, now.records, frame, as_of)
    moved = Movement(**movement.sums(flows))
    by_unit = _grouped(frame, flows, ["unit", "unit_name"], UnitRow)
    late, late_merged = late_units(now.records, submissions(history), previous_cut, current_cut, as_of)
    follow = followthrough_report.sections(now.records, frame, since, as_of, config.campaign)
    report = PeriodReport(
        period=period, period_name=PERIODS[period], cutoff=current_cut, previous_cutoff=previous_cut,
        commit=now.commit, previous_commit=before.commit, no_data=now.commit is None,
        scope=scope_of(now.records, as_of, totals.items), final=is_final(current_cut, made),
        data_until=None if is_final(current_cut, made) else made, invalid=_invalid(now.invalid), totals=totals,
        change=Change(items=totals.items - old_totals.items, amount=totals.amount - old_totals.amount,
                      repaid=moved.repaid, remaining=totals.remaining - old_totals.remaining),
        movement=moved,
        by_region=_grouped(frame, flows, ["region_code", "region_name"], RegionRow),
        by_unit=by_unit, late_units=late, late_merged=late_merged, late_rule=LATE_RULE,
        removed_units=[RemovedUnit(unit.id, unit.name)
                       for unit_id, unit in sorted(before.records.units.items()) if unit_id not in units],
        removed_debts=[RemovedDebt(r["unit"], r["id"], r["unit_name"], r["creditor_name"], _left(now, r, as_of),
                                   amount=r["amount"], remaining=r["remaining"])
                       for r in _debts(old.loc[_first_seen(old, frame)])],
        new_arrears=[NewArrear(r["unit"], r["id"], r["unit_name"], r["creditor_name"], r["due"], r["amount"])
                     for r in _debts(frame.loc[_first_seen(frame, old) & frame["new_arrears"]])],
        deadline_missed=_deadline_rows(frame[frame["deadline_missed"] & (frame["remaining"] > 0)]),
        plan_slipped=[SlippedPlan(r["unit"], r["id"], r["unit_name"], r["creditor_name"], r["plan_shortfall"])
                      for r in _debts(frame[frame["plan_slipped"]])],
        plan_late=_deadline_rows(frame[frame["plan_late"]]),
        clues_opened=_clues(now, lambda c: since < c.received <= as_of),
        clues_closed=_clues(now, lambda c: c.closed is not None and since < c.closed <= as_of),
        cases_published=sorted(
            (CaseRow(c.id, c.title, c.unit, _name(units, c.unit), c.published) for c in now.records.cases
             if c.state == CaseState.PUBLISHED and c.published and since < c.published <= as_of), key=lambda c: c.id),
        followthrough=follow.followthrough, by_origin=follow.by_origin, measures=follow.measures,
        discrepancies=follow.discrepancies, standing=_standing(now.records, frame, as_of, judge),
    )
    if report.standing is not None:
        report.violations = _violations(frame)
    if period in ("quarter", "year"):
        rows = {row.unit: row for row in by_unit}
        report.ranking = [RankedUnit(ranked["rank"], rows[ranked["unit"]])
                          for ranked in stats.owing_ranking(unit_summary(frame))]
        named_units, named_regions = supervision.talks(frame, config.supervision)
        report.supervision_rule = supervision.rule_text(config.supervision)
        report.supervision = [SupervisedUnit(row["unit"], row["unit_name"], *_named(row)) for row in named_units]
        report.supervision_regions = [SupervisedRegion(row["region_code"], row["region_name"], *_named(row))
                                      for row in named_regions]
        report.groups = _groups(frame, units, {row.unit for row in late})
    if period == "year":
        reported = {ledger.unit for ledger in now.records.ledgers}
        report.disclosure = [DisclosureRow(row["unit"], row["unit_name"], row["unit_type"], row["reported"],
                                           row["contracts"], row["remaining"])
                             for row in disclosure(frame, units, reported)]
    return report


LATE_RULE = ("在清理范围内的单位（不含清欠办和停产单位）本期须至少提交一次台账，否则列为未按时报送，"
             "从未提交台账的单位同样列入。时间以提交进入主线（main）的时间为准；单位在截止前完成、"
             "经合并请求在截止后才合并的提交，以单位自己的提交时间为准，不算迟报（另列备查）。")


def scope_of(records: Records, as_of: date, counted: int) -> Scope:
    """The ledgers' debts against those counted at `as_of` (a report's, or the site's): the rest
    belong to halted units or were not due."""
    ledger_items = sum(len(ledger.items) for ledger in records.ledgers)
    halted = sum(len(ledger.items) for ledger in records.ledgers
                 if (unit := records.units.get(ledger.unit)) is not None and unit.status == UnitStatus.HALTED
                 and not in_scope(unit, as_of))
    return Scope(ledger_items, halted, ledger_items - halted - counted)


def _left(now: State, row: dict[str, Any], as_of: date) -> str:
    """Why a debt in scope at the previous cut-off is not at this one."""
    unit = now.records.units.get(row["unit"])
    if unit is None:
        return "单位已删除"
    if not in_scope(unit, as_of) and (halted := stopped_on(unit)) is not None:
        return f"{UnitStatus.HALTED}（{halted.isoformat()}起）" if halted != date.min else UnitStatus.HALTED
    if any(item.id == row["id"] for ledger in now.records.ledgers if ledger.unit == row["unit"]
           for item in ledger.items):
        return "约定付款日期更正为以后"
    return "从台账中删除"


def _deadline_rows(frame: pd.DataFrame) -> list[DeadlineRow]:
    return [DeadlineRow(r["unit"], r["id"], r["unit_name"], r["creditor_name"], r["deadline_class"], r["deadline"],
                        r["remaining"]) for r in _debts(frame)]


def _named(row: dict[str, Any]) -> tuple[str, Fraction | None, int, int, int]:
    """(reasons, clearance rate, deadlines missed, longest plan slip, remaining) of a name on
    the 约谈/督办 list."""
    return ("、".join(row["reasons"]), stats.rate(int(row["repaid"]), int(row["amount"])), int(row["missed"]),
            int(row["slipped_running"]), int(row["remaining"]))


def _groups(frame: pd.DataFrame, units: dict, late: set[str]) -> list[GroupRow]:
    """ReportTotals per 汇总单位 and SOE group, with how many of its units were late, missed a
    deadline or let a plan slip."""
    rows, by_unit = [], consolidation.ByUnit(frame)  # positions once, not a mask per group
    for group in consolidation.groups(units):
        mine = group.rows(by_unit)
        summary = unit_summary(mine)
        totals = _totals(mine)
        rows.append(GroupRow(group.head.id, group.head.name, group.kind, units=len(group.members),
                             items=totals.items, amount=totals.amount, repaid=totals.repaid,
                             remaining=totals.remaining, clearance_rate=totals.clearance_rate,
                             late_units=sum(1 for u in group.members if u in late),
                             missed_units=int((summary["missed"] > 0).sum()),
                             slipped_units=int((summary["slipped"] > 0).sum())))
    return rows


def _invalid(found: list[Invalid]) -> list[InvalidFile]:
    """Files that failed validation at the cut-off, their errors and what the report used."""
    return [InvalidFile(bad.path, "；".join(f"{e.line}:{e.col} {e.code} {e.message}" for e in bad.errors),
                        f"沿用最后有效版本（提交 {bad.kept_commit[:10]}）" if bad.kept_commit
                        else "未计入（此前没有有效版本）") for bad in found]


def _first_seen(frame: pd.DataFrame, old: pd.DataFrame) -> pd.Series:
    known = set(zip(old["unit"], old["id"], strict=True))
    return pd.Series([key not in known for key in zip(frame["unit"], frame["id"], strict=True)],
                     index=frame.index, dtype=bool)


def _clues(state: State, chosen: Callable[[Clue], bool]) -> list[ClueRow]:
    units = state.records.units
    return [ClueRow(c.id, c.respondent, _name(units, c.respondent), c.verdict or NOT_ACCEPTED, fen(c.amount))
            for cl in state.records.clue_ledgers for c in sorted(cl.clues, key=lambda c: c.id) if chosen(c)]


def _name(units: dict[str, Unit], unit_id: str) -> str:
    """What a reader reads: the registered name (the id only when it is not registered)."""
    unit = units.get(unit_id)
    return unit.name if unit is not None else unit_id
