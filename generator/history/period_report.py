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
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from ..analysis import consolidation, stats, supervision
from ..analysis.disclosure import disclosure
from ..analysis.frame import items_frame
from ..analysis.stats import unit_summary
from ..core.config import Config
from ..core.money import yuan
from . import PERIODS, followthrough_report
from .lateness import late_units, submissions
from .state import History, Invalid, State

SUMS = ("amount", "repaid", "remaining")


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


def _totals(frame: pd.DataFrame) -> dict[str, int]:
    return {"items": len(frame), **{name: int(frame[name].sum()) for name in SUMS}}


def _rate(repaid: int, amount: int) -> str:
    """The clearance rate (stats.rate) as the report's four-decimal text."""
    found = stats.rate(repaid, amount)
    return f"{float(found):.4f}" if found is not None else "0.0000"


def _money(values: dict[str, int]) -> dict[str, object]:
    out: dict[str, object] = {"items": values["items"]}
    out.update({name: yuan(values[name]) for name in SUMS})
    return out


def _grouped(now: pd.DataFrame, before: pd.DataFrame, keys: list[str]) -> list[dict]:
    def sums(frame: pd.DataFrame) -> pd.DataFrame:
        grouped = frame.groupby(keys, sort=True)
        return grouped[list(SUMS)].sum().join(grouped.size().rename("items"))

    current, previous = sums(now), sums(before)
    previous = previous.reindex(current.index.union(previous.index), fill_value=0)
    current = current.reindex(previous.index, fill_value=0)
    rows = []
    for key, row in current.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        old = previous.loc[key if len(key) > 1 else key[0]]
        rows.append({
            **dict(zip(keys, key, strict=True)),
            **_money({"items": int(row["items"]), **{n: int(row[n]) for n in SUMS}}),
            "clearance_rate": _rate(int(row["repaid"]), int(row["amount"])),
            "change_repaid": yuan(int(row["repaid"]) - int(old["repaid"])),
            "change_remaining": yuan(int(row["remaining"]) - int(old["remaining"])),
        })
    return rows


def _item_rows(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    out = []
    for row in frame.sort_values(["unit", "id"]).to_dict("records"):
        out.append({c: yuan(row[c]) if c in ("amount", "remaining", "plan_shortfall") else
                    row[c].isoformat() if isinstance(row[c], date) else row[c] for c in columns})
    return out


@dataclass
class PeriodReport:
    period: str
    data: dict


def build_report(history: History, period: str, day: date, config: Config) -> PeriodReport:
    current_cut, previous_cut = cutoffs(period, day, config)
    now, before = history.state(current_cut), history.state(previous_cut)
    as_of, since = local_day(current_cut, config), local_day(previous_cut, config)
    frame = items_frame(now.records, config.campaign, as_of)
    old = items_frame(before.records, config.campaign, since)
    units = now.records.units
    totals, old_totals = _totals(frame), _totals(old)
    data: dict = {
        "period": period, "period_name": PERIODS[period],
        "cutoff": current_cut.isoformat(), "previous_cutoff": previous_cut.isoformat(),
        "commit": now.commit, "previous_commit": before.commit, "no_data": now.commit is None,
        "invalid": _invalid(now.invalid),
        "totals": {**_money(totals), "clearance_rate": _rate(totals["repaid"], totals["amount"])},
        "change": {"items": totals["items"] - old_totals["items"],
                   **{n: yuan(totals[n] - old_totals[n]) for n in SUMS}},
        "by_region": _grouped(frame, old, ["region_code", "region_name"]),
        "by_unit": _grouped(frame, old, ["unit", "unit_name"]),
        **_lateness(history, now, previous_cut, current_cut, as_of),
        "removed_units": [{"unit": unit.id, "unit_name": unit.name}
                          for unit_id, unit in sorted(before.records.units.items()) if unit_id not in units],
        "removed_debts": _item_rows(old.loc[_first_seen(old, frame)],
                                    ["unit", "id", "unit_name", "creditor_name", "amount", "remaining"]),
        "new_arrears": _item_rows(frame.loc[_first_seen(frame, old) & (frame["due"] > config.campaign.start)],
                                  ["unit", "id", "unit_name", "creditor_name", "due", "amount"]),
        "deadline_missed": _item_rows(frame[frame["deadline_missed"] & (frame["remaining"] > 0)],
                                      ["unit", "id", "unit_name", "creditor_name", "deadline_class",
                                       "deadline", "remaining"]),
        "plan_slipped": _item_rows(frame[frame["plan_slipped"]],
                                   ["unit", "id", "unit_name", "creditor_name", "plan_shortfall"]),
        "plan_late": _item_rows(frame[frame["plan_late"]],
                                ["unit", "id", "unit_name", "creditor_name", "deadline_class", "deadline",
                                 "remaining"]),
        "clues_opened": _clues(now, lambda c: since < c.received <= as_of),
        "clues_closed": _clues(now, lambda c: c.closed is not None and since < c.closed <= as_of),
        "cases_published": sorted(
            ({"id": c.id, "title": c.title, "unit": c.unit, "published": c.published.isoformat()}
             for c in now.records.cases
             if c.state == "已公开" and c.published and since < c.published <= as_of),
            key=lambda c: c["id"]),
    }
    data.update(followthrough_report.sections(now.records, frame, since, as_of, config.campaign))
    if period in ("quarter", "year"):
        data["ranking"] = _ranking(frame, data["by_unit"])
        named_units, named_regions = supervision.talks(frame, config.supervision)
        data["supervision_rule"] = supervision.rule_text(config.supervision)
        data["supervision"] = [_named(row, "unit", "unit_name") for row in named_units]
        data["supervision_regions"] = [_named(row, "region_code", "region_name") for row in named_regions]
        data["groups"] = _groups(frame, units, {row["unit"] for row in data["late_units"]})
    if period == "year":
        data["disclosure"] = [dict(row, remaining=yuan(row["remaining"])) for row in disclosure(frame, units)]
    return PeriodReport(period, data)


LATE_RULE = ("在清理范围内的单位（不含清欠办和停产单位）本期须至少提交一次台账，否则列为未按时报送，"
             "从未提交台账的单位同样列入。时间以提交进入主线（main）的时间为准；单位在截止前完成、"
             "经合并请求在截止后才合并的提交，以单位自己的提交时间为准，不算迟报（另列备查）。")


def _lateness(history: History, now: State, previous: datetime, current: datetime, day: date) -> dict:
    late, merged = late_units(now.records, submissions(history), previous, current, day)
    return {"late_units": late, "late_merged": merged, "late_rule": LATE_RULE}


def _named(row: dict, key: str, name: str) -> dict:
    return {key: row[key], name: row[name], "reasons": "、".join(row["reasons"]),
            "clearance_rate": _rate(int(row["repaid"]), int(row["amount"])),
            "deadline_missed": int(row["missed"]), "slipped_running": int(row["slipped_running"]),
            "remaining": yuan(int(row["remaining"]))}


def _groups(frame: pd.DataFrame, units: dict, late: set[str]) -> list[dict]:
    """Totals per 汇总单位 and SOE group, with how many of its units were late, missed a
    deadline or let a plan slip."""
    rows = []
    for group in consolidation.groups(units):
        mine = group.rows(frame)
        summary = unit_summary(mine)
        totals = _totals(mine)
        rows.append({"group": group.head.id, "group_name": group.head.name, "kind": group.kind,
                     "units": len(group.members), **_money(totals),
                     "clearance_rate": _rate(totals["repaid"], totals["amount"]),
                     "late_units": sum(1 for u in group.members if u in late),
                     "missed_units": int((summary["missed"] > 0).sum()),
                     "slipped_units": int((summary["slipped"] > 0).sum())})
    return rows


def _invalid(found: list[Invalid]) -> list[dict]:
    """Files that failed validation at the cut-off, their errors and what the report used."""
    return [{"path": bad.path, "errors": "；".join(f"{e.line}:{e.col} {e.code} {e.message}" for e in bad.errors),
             "used": (f"沿用最后有效版本（提交 {bad.kept_commit[:10]}）" if bad.kept_commit
                      else "未计入（此前没有有效版本）")} for bad in found]


def _first_seen(frame: pd.DataFrame, old: pd.DataFrame) -> pd.Series:
    known = set(zip(old["unit"], old["id"], strict=True))
    return pd.Series([key not in known for key in zip(frame["unit"], frame["id"], strict=True)],
                     index=frame.index, dtype=bool)


def _clues(state: State, chosen) -> list[dict]:
    return [{"id": c.id, "respondent": c.respondent, "verdict": c.verdict or "不予受理", "amount": f"{c.amount:.2f}"}
            for cl in state.records.clue_ledgers for c in sorted(cl.clues, key=lambda c: c.id) if chosen(c)]


def _ranking(frame: pd.DataFrame, by_unit: list[dict]) -> list[dict]:
    """The units still owing in stats.owing_ranking's order, each with its by_unit row."""
    rows = {row["unit"]: row for row in by_unit}
    return [{"rank": ranked["rank"], **rows[ranked["unit"]]} for ranked in stats.owing_ranking(unit_summary(frame))]
