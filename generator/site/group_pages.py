"""The office site's consolidated views: one page per 汇总单位 and SOE group (analysis.consolidation)
with its totals, its units and their overdue lists, and an index of them all; at an upper level,
one page per member region from its bundle (rollup) and an index of the members."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..analysis import stats
from ..analysis.consolidation import ByUnit, groups
from ..core.config import Config
from ..core.model import Records, Unit
from ..core.schema import UNIT_ID as UNIT_ID_PATTERN
from ..core.vocab import UNREPORTED
from ..rollup import BundleError, RollupError
from ..rollup.aggregate import Problem, Result, UnitRow, roll_up
from ..rollup.bundle import Region, region_of
from . import SiteError
from .page_data import ROW_CAP, Page, PageContext, Rows, SiteData
from .pages import unit_rows

UNIT_ID = re.compile(UNIT_ID_PATTERN)  # a unit page's name on a member's own site


@dataclass(frozen=True)
class GroupContext(PageContext):
    """One group's page (group.md.j2), and its row on the index."""
    head: Unit
    kind: str  # vocab.GroupKind
    page: str  # the page's name under groups/
    today: date
    units: Rows
    unreported: int
    totals: stats.Totals
    missed: Rows
    slipped: Rows


@dataclass(frozen=True)
class GroupsContext(PageContext):
    """汇总单位 (groups.md.j2): every group."""
    today: date
    groups: list[GroupContext]


def group_pages(data: SiteData) -> list[Page]:
    """Per group, its rows are found by position (ByUnit) and taken from the frame's rows made
    once (SiteData.rows): a frame per group and its `to_dict` cost a province most of a minute."""
    units, frame = data.records.units, data.frame
    summary = {row["unit"]: row for row in stats.records(stats.unit_summary(frame))}
    ledgers = {ledger.unit: ledger for ledger in data.records.ledgers}
    overdue = stats.overdue(frame)
    overdue_rows, in_overdue, everything = data.rows_of(overdue), ByUnit(overdue), ByUnit(frame)
    missed = overdue["deadline_missed"].to_numpy()
    slipped = (overdue["plan_slipped"] | overdue["plan_late"]).to_numpy()
    amounts = frame[["amount", "repaid", "remaining"]]  # what stats.totals reads: one block to take from
    index: list[GroupContext] = []
    pages: list[Page] = []
    taken: set[str] = set()
    for group in groups(units):
        members = [units[u] for u in group.members]
        rows = unit_rows(members, summary, ledgers)
        mine = in_overdue.positions_of(group.members)  # in the overdue list's order
        name = group.head.id  # a 汇总单位 that also heads an SOE group has two pages: the second is <id>-jt
        while name in taken:
            name += "-jt"
        taken.add(name)
        context = GroupContext(
            head=group.head, kind=group.kind, page=name, today=data.today, units=rows,
            unreported=sum(1 for r in rows if r["reporting"] == UNREPORTED),
            totals=stats.totals(amounts.iloc[everything.positions_of(group.members)]),
            missed=[overdue_rows[at] for at in mine[missed[mine]][:ROW_CAP]],
            slipped=[overdue_rows[at] for at in mine[slipped[mine]][:ROW_CAP]],
        )
        pages.append(Page(f"groups/{name}.md", "group.md.j2", context))
        index.append(context)
    pages.append(Page("groups/index.md", "groups.md.j2", GroupsContext(today=data.today, groups=index)))
    return pages + member_pages(data)


def rolled_up(root: Path, config: Config, records: Records, today: date) -> Result | None:
    """The roll-up of the members `qingqian.yaml` lists, stale as of the site's date; a refused
    bundle stops the build with the same Chinese line `qingqian rollup` prints."""
    if not config.rollup.members:
        return None
    try:
        return roll_up(root, config.rollup, region_of(records), today, future=False)
    except RollupError as exc:
        raise SiteError(exc.line) from None
    except BundleError as exc:
        raise SiteError(str(exc)) from None


@dataclass(frozen=True)
class MemberContext(PageContext):
    """A member region's page (member.md.j2) from its bundle, and its row on the members' index."""
    code: str
    name: str
    as_of: date
    stale: bool
    signed: bool
    commit: str | None
    totals: stats.Totals
    units: list[UnitRow]
    site: str = ""  # the member's own office site, ending in /, when the configuration names it
    linked: frozenset[str] = frozenset()  # the units linked to their page there (ids that can be page names)


@dataclass(frozen=True)
class MembersContext(PageContext):
    """The members' index (members.md.j2): totals, problems and breakdowns of the roll-up."""
    today: date
    region: Region
    stale_days: int
    totals: stats.Totals
    members: list[MemberContext]
    problems: list[Problem]
    by_region_type: Rows
    by_supervisor_kind: Rows


def member_pages(data: SiteData) -> list[Page]:
    """The members' index (totals, problems, breakdowns) and a page per member region listing
    its units with their totals, from the bundles' Parquet files (rollup.aggregate)."""
    rolled = data.rollup
    if rolled is None:
        return []
    members = [MemberContext(code=m.region_code, name=m.region_name, as_of=m.as_of, stale=m.stale, signed=m.signed,
                             commit=m.commit, totals=m.totals, units=m.units,
                             site=m.site.rstrip("/") + "/" if m.site else "",
                             linked=frozenset(u.id for u in m.units if m.site and UNIT_ID.fullmatch(u.id)))
               for m in rolled.members]
    pages = [Page(f"members/{row.code}.md", "member.md.j2", row) for row in members]

    def breakdown(rows: list[tuple[str, stats.Totals]]) -> Rows:
        return [{"key": key, "label": key, "totals": totals} for key, totals in rows]

    pages.append(Page("members/index.md", "members.md.j2", MembersContext(
        today=rolled.date, region=rolled.region, stale_days=rolled.stale_days, totals=rolled.totals,
        members=members, problems=rolled.problems, by_region_type=breakdown(rolled.by_region_type),
        by_supervisor_kind=breakdown(rolled.by_supervisor_kind))))
    return pages
