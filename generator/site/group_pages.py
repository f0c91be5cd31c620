"""The office site's consolidated views: one page per 汇总单位 and SOE group (analysis.consolidation)
with its totals, its units and their overdue lists, and an index of them all."""

from __future__ import annotations

import pandas as pd

from ..analysis import stats
from ..analysis.consolidation import ByUnit, groups
from .page_data import ROW_CAP, Page, SiteData
from .pages import unit_rows


def group_pages(data: SiteData) -> list[Page]:
    units = data.records.units
    summary = {row["unit"]: row for row in stats.unit_summary(data.frame).to_dict("records")}
    ledgers = {ledger.unit: ledger for ledger in data.records.ledgers}
    overdue, everything = ByUnit(stats.overdue(data.frame)), ByUnit(data.frame)
    index, pages = [], []
    for group in groups(units):
        members = [units[u] for u in group.members]
        rows = unit_rows(members, summary, ledgers)
        mine = group.rows(overdue)
        context = {
            "head": group.head, "kind": group.kind, "today": data.today, "units": rows,
            "unreported": sum(1 for r in rows if r["reporting"] == "未报送"),
            "totals": stats.totals(group.rows(everything)),
            "missed": _capped(mine[mine["deadline_missed"]]),
            "slipped": _capped(mine[mine["plan_slipped"] | mine["plan_late"]]),
        }
        pages.append(Page(f"groups/{group.head.id}.md", "group.md.j2", context))
        index.append(context)
    pages.append(Page("groups/index.md", "groups.md.j2", {"today": data.today, "groups": index}))
    return pages


def _capped(frame: pd.DataFrame) -> list[dict]:
    return frame.head(ROW_CAP).to_dict("records")
