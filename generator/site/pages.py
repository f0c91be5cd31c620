"""Which pages each audience gets, with the data each template needs.

Pure: records and the items frame in, `Page` descriptions out; nothing is written here.
The public pages are built from aggregates and published cases only, so there is no way
for a contact, a draft case or a creditor's debt to reach a public template.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from operator import itemgetter
from typing import Any

import pandas as pd

from ..analysis import oversight, stats, supervision, violations
from ..analysis.disclosure import disclosure, disclosure_years, last_year_end
from ..analysis.frame import items_frame, stated_date
from ..core import schema
from ..core.config import Complaint
from ..core.derive import in_scope
from ..core.model import Case, Item, Ledger, Records, Unit
from ..core.money import wan
from ..core.schema import CATEGORIES
from ..core.vocab import (
    FOUND_VERDICTS,
    NON_CASH,
    NOT_ACCEPTED,
    OWING_TYPES,
    UNREPORTED,
    CaseState,
    DebtStatus,
    UnitStatus,
    UnitType,
)
from ..history.period_report import scope_of
from ..history.report_files import scope_sentence
from . import followthrough_pages as follow
from .page_data import (
    ROW_CAP,
    AboutContext,
    CasesContext,
    CluesContext,
    DashboardContext,
    DisclosureContext,
    Downloads,
    DownloadsContext,
    FileInfo,
    HomeContext,
    LedgersContext,
    OverdueContext,
    Page,
    RegionContext,
    SiteData,
    UnitContext,
    UnitFiles,
    ViolationsContext,
    chart,
)

UNIT_TYPES = list(OWING_TYPES)  # the office owes nothing
CASE_STATES = schema.CASE_STATES[::-1]  # published first
PUBLISHED = CaseState.PUBLISHED
def site_date(records: Records, as_of: date | None) -> date:
    return stated_date(records, as_of)


def regions(units: dict[str, Unit]) -> list[tuple[str, str]]:
    """(code, name) of every region with a registered unit, by code."""
    return sorted({(u.region_code, u.region_name) for u in units.values()})


def _moneychart(kind: str, rows: list[dict]) -> dict:
    """Repaid against remaining per row, in 万元 (two decimals) so the axis stays readable."""
    def to_wan(fen: int) -> float:
        return float(wan(fen))
    return chart(kind, [r["label"] for r in rows],
                  [(DebtStatus.SETTLED, [to_wan(r["totals"].repaid) for r in rows]),
                   (DebtStatus.UNPAID, [to_wan(r["totals"].remaining) for r in rows])])


def aggregates(data: SiteData) -> HomeContext:
    """The figures both audiences see on their home page."""
    frame = data.frame
    names = dict(regions(data.records.units))
    by_region = stats.breakdown(frame, "region_code", labels=names)
    by_category = stats.breakdown(frame, "category", CATEGORIES)
    classes = [data.campaign.class_since, data.campaign.class_before, data.campaign.class_disputed]
    if (frame["deadline_class"] == data.campaign.class_standing).any():  # debts due after the campaign
        classes.append(data.campaign.class_standing)
    by_class = stats.breakdown(frame, "deadline_class", classes)
    return HomeContext(
        today=data.today, totals=stats.totals(frame), by_region=by_region,
        by_category=by_category, by_class=by_class,
        countdown=stats.deadline_countdown(frame, data.campaign, data.today),
        campaign=data.campaign,
        charts={"region": _moneychart("bar", by_region), "category": _moneychart("bar", by_category),
                "class": _moneychart("bar", by_class)},
    )


def _reporting(unit: Unit, ledgers: dict) -> str:
    if unit.status == UnitStatus.HALTED:
        return "停产（不在清理范围）"
    if unit.id in ledgers:
        return "已报送"
    return UNREPORTED if unit.type != UnitType.OFFICE else "—"


def unit_rows(units: list[Unit], summary: dict[str, dict], ledgers: dict) -> list[dict]:
    rows = []
    for unit in sorted(units, key=lambda u: u.id):
        s = summary.get(unit.id)
        ledger = ledgers.get(unit.id)
        rows.append({"unit": unit, "reporting": _reporting(unit, ledgers), "reported": unit.id in ledgers,
                     "as_of": ledger.as_of if ledger else None, "summary": s,
                     "rate": stats.rate(s["repaid"], s["amount"]) if s else None})
    return rows


def _item_rows(item: Item, row: dict) -> dict:
    return {"item": item, "row": row,
            "non_cash": [p for p in item.payments if p.method in NON_CASH]}


def unit_page(unit: Unit, data: SiteData, ledgers: dict, frame_rows: dict, debts: list[dict[str, Any]],
              summary: dict[str, dict], children: list[Unit], downloads: UnitFiles,
              timeline: list[dict] | None = None, measures: list | None = None) -> Page:
    """`debts`: the unit's rows of the items frame, as dicts (split once by the caller: a
    filter of the whole frame per unit would cost time in units × debts, and a frame per unit
    most of a province's page data)."""
    units = data.records.units
    ledger = ledgers.get(unit.id)
    kept_until = None
    if ledger and unit.halted is not None and not in_scope(unit, data.today):
        # out of the totals since it halted, but its ledger stays on record: shown as it stood
        # the day before, counted to that day
        kept_until = unit.halted - timedelta(days=1)
        debts = stats.records(items_frame(replace(data.records, ledgers=[ledger]), data.campaign, kept_until,
                                          data.judge))
        frame_rows = by_ref(debts)
    # debts not in the frame (not yet due at the stated date) are not listed
    items = [_item_rows(item, frame_rows[item.ref]) for item in ledger.items
             if item.ref in frame_rows] if ledger else []
    return Page(f"units/{unit.id}.md", "unit.html.j2", UnitContext(
        unit=unit, ledger=ledger, items=items, totals=stats.row_totals(debts), kept_until=kept_until,
        reporting=_reporting(unit, ledgers),
        parent=units.get(unit.parent) if unit.parent else None,
        supervisor=units.get(unit.supervisor) if unit.supervisor else None,
        children=sorted(children, key=lambda u: u.id),
        creditors=sorted(set(map(itemgetter("creditor_name", "creditor_credit_code"), debts))),
        downloads=downloads, summary=summary.get(unit.id), timeline=timeline,
        measures=measures or [], today=kept_until or data.today,
        # the checkers of its debts' follow-ups, by name (a unit's id is only a link target)
        checkers={f.by: units[f.by].name for entry in items for f in entry["item"].followups if f.by in units},
    ))


def _clues(data: SiteData, frame_rows: dict) -> CluesContext:
    clues = sorted((c for cl in data.records.clue_ledgers for c in cl.clues), key=lambda c: c.id)
    rows: list[dict[str, Any]] = []
    for clue in clues:
        days = ((clue.closed or data.today) - clue.received).days
        rows.append({"clue": clue, "days": days, "open": clue.closed is None,
                     "debt": frame_rows.get(clue.item) if clue.item else None})
    verified = [r for r in rows if r["clue"].verdict in FOUND_VERDICTS]
    closed_days = sorted(r["days"] for r in rows if not r["open"])
    by_state: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r["clue"].verdict or NOT_ACCEPTED, "未办结" if r["open"] else "已办结")
        by_state[key] = by_state.get(key, 0) + 1
    return CluesContext(
        today=data.today, cap=ROW_CAP,
        unit_names={u.id: u.name for u in data.records.units.values()},
        rows=rows[:ROW_CAP], count=len(rows),
        by_state=[{"verdict": v, "state": s, "count": n} for (v, s), n in sorted(by_state.items())],
        closed=len(closed_days),
        median_days=closed_days[len(closed_days) // 2] if closed_days else None,
        max_days=closed_days[-1] if closed_days else None,
        open_long=[r for r in rows if r["open"] and r["days"] > 30],
        missing=[r for r in verified if r["debt"] is None],
        verified_unpaid=[r for r in verified if r["debt"] is not None and r["debt"]["remaining"] > 0],
        deadlines=_clue_deadlines(data, clues, frame_rows),
    )


def _clue_deadlines(data: SiteData, clues: list, frame_rows: dict) -> list[dict[str, Any]]:
    """Accepted clues with a 限期清偿 date: where each stands and its latest progress note.
    Overdue is decided once, by oversight.clues_past_deadline (as on the 督办 page)."""
    late = {c.clue.id: c for c in oversight.clues_past_deadline(data.records, frame_rows, data.today)}
    rows = []
    for clue in clues:
        if not clue.accepted or clue.deadline is None:
            continue
        debt = frame_rows.get(clue.item) if clue.item else None
        if clue.id in late:
            state, overdue = f"超期 {late[clue.id].days_late} 天", True
        elif clue.closed is not None:
            state, overdue = "已办结", False
        elif clue.deadline >= data.today:
            state, overdue = f"还剩 {(clue.deadline - data.today).days} 天", False
        else:
            state, overdue = DebtStatus.SETTLED, False
        rows.append({"clue": clue, "state": state, "overdue": overdue,
                     "remaining": int(debt["remaining"]) if debt is not None else None,
                     "latest": clue.latest_progress})
    return sorted(rows, key=lambda r: (not r["overdue"], r["clue"].deadline, r["clue"].id))


def _case_rows(cases: list[Case], units: dict[str, Unit]) -> list[dict]:
    order = {state: n for n, state in enumerate(CASE_STATES)}
    ordered = sorted(cases, key=lambda c: (order.get(c.state, len(order)), c.id))
    return [{"case": c, "unit_name": units[c.unit].name if c.unit in units else c.unit} for c in ordered]


@dataclass(frozen=True)
class UnitIndex:
    """The per-unit views of the records and the frame every office page builder shares,
    computed once per build."""
    ledgers: dict[str, Ledger]
    summary_frame: pd.DataFrame
    summary: dict[str, dict]
    by_region: dict[str, list[Unit]]
    children: dict[str, list[Unit]]
    data: SiteData

    @property
    def frame(self) -> pd.DataFrame:
        return self.data.frame

    @cached_property
    def frame_rows(self) -> dict[str, dict]:
        """Every row of the frame by debt reference: made once, and only when a page asks."""
        return by_ref(self.data.rows)

    @classmethod
    def of(cls, data: SiteData) -> UnitIndex:
        records = data.records
        summary_frame = stats.unit_summary(data.frame)
        by_region: dict[str, list[Unit]] = {}
        children: dict[str, list[Unit]] = {}
        for unit in records.units.values():
            by_region.setdefault(unit.region_code, []).append(unit)
            if unit.parent:
                children.setdefault(unit.parent, []).append(unit)
        return cls({ledger.unit: ledger for ledger in records.ledgers}, summary_frame,
                   {r["unit"]: r for r in stats.records(summary_frame)}, by_region, children, data)


def by_ref(rows: list[dict[str, Any]]) -> dict[str, dict]:
    """Rows of the frame by debt reference (`unit/id`)."""
    return {f"{r['unit']}/{r['id']}": r for r in rows}


def home_pages(data: SiteData, index: UnitIndex) -> list[Page]:
    """The dashboard, the ledger index and the region pages: what changes with any debt."""
    records, frame = data.records, data.frame
    region_list = regions(records.units)
    region_totals = {r["key"]: r["totals"] for r in stats.breakdown(frame, "region_code")}
    empty = stats.totals(frame.iloc[0:0])
    region_index = [{"code": code, "name": name, "units": len(index.by_region[code]),
                     "reported": sum(1 for u in index.by_region[code] if u.id in index.ledgers),
                     "totals": region_totals.get(code, empty)} for code, name in region_list]
    home = aggregates(data)
    new_arrears = frame[frame["new_arrears"]]
    by_type = stats.breakdown(frame, "unit_type", UNIT_TYPES)
    dashboard = DashboardContext(
        **{**home.variables(), "charts": {**home.charts, "type": _moneychart("bar", by_type)}},
        new_arrears=stats.totals(new_arrears), new_unpaid=stats.totals(new_arrears[new_arrears["remaining"] > 0]),
        disputed=stats.totals(frame[frame["deadline_class"] == data.campaign.class_disputed]),
        by_type=by_type, reported=len(index.ledgers), units=len(records.units), rollup=data.rollup,
        scope=scope_sentence(scope_of(records, data.today, len(frame)), len(frame), "本站统计", "数据日期时"))
    return [
        Page("index.md", "dashboard.md.j2", dashboard),
        Page("ledgers/index.md", "ledgers.md.j2", LedgersContext(regions=region_index, today=data.today)),
        *(Page(f"ledgers/{code}.md", "region.md.j2", RegionContext(
            code=code, name=name, totals=region_totals.get(code, empty),
            units=unit_rows(index.by_region[code], index.summary, index.ledgers))) for code, name in region_list),
    ]


def unit_pages(data: SiteData, index: UnitIndex, files: Downloads, timelines: dict[str, list[dict]] | None = None,
               only: set[str] | None = None) -> list[Page]:
    """The page of every unit, or of the units in `only`."""
    frame = data.frame
    units = sorted((u for u in data.records.units.values() if only is None or u.id in only), key=lambda u: u.id)
    if only is None:
        frame_rows, rows = index.frame_rows, data.rows
        unit_debts = {uid: [rows[at] for at in positions]
                      for uid, positions in frame.groupby("unit", sort=False).indices.items()}
    else:  # a few units: their rows alone, not a split of the whole frame
        unit_debts = {uid: data.rows_of(frame[frame["unit"] == uid]) for uid in only}
        frame_rows = {ref: row for debts in unit_debts.values() for ref, row in by_ref(debts).items()}
    unit_measures = follow.unit_measures(data)
    return [unit_page(unit, data, index.ledgers, frame_rows, unit_debts.get(unit.id, []), index.summary,
                      index.children.get(unit.id, []), files.of_unit(unit.id), (timelines or {}).get(unit.id),
                      unit_measures.get(unit.id))
            for unit in units]


def list_pages(data: SiteData, index: UnitIndex, files: Downloads, reports: list[FileInfo] | None = None,
               soe_downloads: list[FileInfo] | None = None, creditors: set[str] | None = None,
               notices: dict[str, FileInfo] | None = None) -> list[Page]:
    """The lists (逾期清单, 督办, …), the download page and the pages of every creditor, or of
    the credit codes in `creditors`; `notices`: the 督办函 of the listed units, by unit id."""
    notices = notices or {}
    records, frame, frame_rows = data.records, data.frame, index.frame_rows
    overdue = stats.overdue(frame)
    missed = overdue[overdue["deadline_missed"]]
    plan_late, new_overdue = overdue[overdue["plan_late"]], overdue[overdue["new_arrears"]]
    slipped = frame[frame["plan_slipped"]].sort_values(
        ["plan_shortfall", "unit", "id"], ascending=[False, True, True], kind="mergesort")
    named_units, named_regions = supervision.talks(frame, data.rule)
    followups = follow.followup_lists(data)  # shown on two pages
    return [
        Page("overdue.md", "overdue.md.j2", OverdueContext(
            today=data.today, cap=ROW_CAP, overdue_count=len(overdue),
            overdue=data.rows_of(overdue.head(ROW_CAP)),
            overdue_totals=stats.totals(overdue),
            missed_count=len(missed), missed=data.rows_of(missed.head(ROW_CAP)),
            slipped_count=len(slipped), slipped=data.rows_of(slipped.head(ROW_CAP)),
            late_count=len(plan_late), plan_late=data.rows_of(plan_late.head(ROW_CAP)),
            new_count=len(new_overdue), new=data.rows_of(new_overdue.head(ROW_CAP)),
            campaign=data.campaign,
            downloads=files.overdue)),
        follow.supervision_page(data, named_units, named_regions, supervision.rule_text(data.rule),
                                stats.owing_ranking(index.summary_frame), frame_rows, followups, notices),
        follow.followthrough_page(data, followups),
        follow.soe_page(data, soe_downloads or []),
        *follow.creditor_pages(data, frame_rows, creditors),
        Page("clues.md", "clues.md.j2", _clues(data, frame_rows)),
        violations_page(data),
        Page("cases.md", "cases.md.j2", CasesContext(cases=_case_rows(records.cases, records.units), public=False)),
        Page("downloads.md", "downloads.md.j2", DownloadsContext(
            full=files.full, overdue=files.overdue, sums=files.sums,
            reports=[f for f in reports or [] if f.path.endswith((".xlsx", ".docx"))],
            units=[(records.units[uid], unit_files, notices.get(uid))
                   for uid, unit_files in sorted(files.units.items()) if uid in records.units])),
    ]


def violations_page(data: SiteData) -> Page:
    """条例执行: the debts under the standing rules, by violation, unit and region, with interest."""
    frame = data.frame
    found = violations.violating(frame)
    return Page("violations.md", "violations.md.j2", ViolationsContext(
        today=data.today, cap=ROW_CAP, standing=violations.tally(violations.under_rules(frame)),
        overdue=violations.tally(violations.overdue_under_rules(frame)), kinds=violations.by_kind(frame),
        units=violations.by_group(frame, "unit", "unit_name"),
        regions=violations.by_group(frame, "region_code", "region_name"),
        debts_count=len(found), debts=data.rows_of(found.head(ROW_CAP))))


def office_pages(data: SiteData, files: Downloads, timelines: dict[str, list[dict]] | None = None,
                 reports: list[FileInfo] | None = None, soe_downloads: list[FileInfo] | None = None,
                 notices: dict[str, FileInfo] | None = None) -> list[Page]:
    """Every office page; `timelines` (unit id -> rows) and `reports` (XLSX and DOCX files) come
    from the history, if any; `notices` are the listed units' 督办函."""
    index = UnitIndex.of(data)
    return (home_pages(data, index) + unit_pages(data, index, files, timelines)
            + list_pages(data, index, files, reports, soe_downloads, notices=notices))


def disclosure_pages(data: SiteData) -> list[Page]:
    """The annual disclosure (第十八条) of every full year since the ledgers began, the latest as
    disclosure.md and the earlier ones under disclosure/, as the yearly report has it: counts and
    amounts per organ and institution, nothing about creditors (analysis.disclosure)."""
    first = min((ledger.as_of for ledger in data.records.ledgers), default=data.today)
    years = disclosure_years(first, data.today) or [last_year_end(data.today).year]
    pages, reported = [], {ledger.unit for ledger in data.records.ledgers}
    for n, year in enumerate(years):
        frame = items_frame(data.records, data.campaign, date(year, 12, 31), data.judge)
        pages.append(Page("disclosure.md" if n == 0 else f"disclosure/{year}.md", "disclosure.md.j2", DisclosureContext(
            label=f"{year}年度逾期未支付合同公开", year=year, public=True,
            rows=disclosure(frame, data.records.units, reported), years=years)))
    return pages


def public_pages(data: SiteData, complaint: Complaint | None = None) -> list[Page]:
    """Aggregates, published cases, the annual disclosure and the office's public complaint
    channel; nothing else is handed to a public template."""
    published = [c for c in data.records.cases if c.state == PUBLISHED]
    published.sort(key=lambda c: (c.published or date.min, c.id), reverse=True)
    cases = [{"case": c, "unit_name": data.records.units[c.unit].name if c.unit in data.records.units
              else ""} for c in published]
    return [
        Page("index.md", "public_home.md.j2", aggregates(data)),
        Page("cases.md", "cases.md.j2", CasesContext(cases=cases, public=True)),
        *disclosure_pages(data),
        Page("about.md", "about.md.j2", AboutContext(complaint=complaint or Complaint(), today=data.today)),
    ]
