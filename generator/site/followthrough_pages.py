"""The office pages for what the seeds ask beyond the ledger (DESIGN §3b): 确权 and follow-up
checks, one page per creditor, the SOE figures, and the data the 督办 and unit pages add.

Pure like `pages`: records and the frame in, `Page`s and context out. None of this is ever
handed to a public template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..analysis import creditors, oversight, soe, stats
from ..analysis.clue_table import clue_rows
from ..analysis.disclosure import last_year_end, publication_status
from ..core.model import Measure
from ..core.vocab import DisclosureState
from .page_data import ROW_CAP, FileInfo, Page, PageContext, Rows, SiteData

CREDITORS = "creditors"


def followup_lists(data: SiteData) -> dict:
    """oversight.followup_lists of the site's frame, its rows taken from those made once."""
    return oversight.followup_lists(data.frame, data.today, data.campaign, data.rows_of)


@dataclass(frozen=True)
class SupervisionContext(PageContext):
    """督办 (supervision.md.j2): who is named and why, and what its follow-through partial
    (_supervision_followthrough.md.j2) shows: overdue 确权, late clues, measures taken."""
    today: date
    flagged: Rows
    regions: Rows
    rule: str
    restricted: Rows
    notices: dict[str, FileInfo]  # the 督办函 of the listed units, by unit id
    ft: dict[str, Any]  # oversight.followup_lists
    confirm_days: int
    overdue_requests: list[oversight.Request]
    late_clues: list[oversight.LateClue]
    listed_with_measures: Rows
    listed_without_measures: Rows
    due_measures: list[Measure]
    unit_names: dict[str, str]
    clock_late: list[dict[str, str]]  # complaints past the clocks of 802号 (analysis.clue_table rows)
    disclosure_year: int
    unpublished: list[dict]  # organs and institutions that have not disclosed that year on time


def supervision_page(data: SiteData, flagged: Rows, regions: Rows, rule: str, restricted: Rows,
                     frame_rows: dict[str, dict], lists: dict | None = None,
                     notices: dict[str, FileInfo] | None = None) -> Page:
    """The 督办 page; `lists`: followup_lists(data), when the caller has made them already."""
    records, campaign = data.records, data.campaign
    by_unit = oversight.measures_by_unit(records)
    with_measures, without = oversight.listed_units_measures(flagged, by_unit)
    lists = lists if lists is not None else followup_lists(data)
    return Page("supervision.md", "supervision.md.j2", SupervisionContext(
        today=data.today, flagged=flagged, regions=regions, rule=rule, restricted=restricted,
        notices=notices or {}, ft=lists, confirm_days=campaign.confirm_days,
        overdue_requests=[r for r in oversight.requests(records, data.today, campaign) if r.overdue],
        late_clues=oversight.clues_past_deadline(records, frame_rows, data.today),
        listed_with_measures=with_measures, listed_without_measures=without,
        due_measures=oversight.due_follow_ups(records, data.today),
        unit_names={u.id: u.name for u in records.units.values()},
        clock_late=[row for row in clue_rows(records, data.today, data.judge) if row["late"]],
        disclosure_year=last_year_end(data.today).year,
        unpublished=[row for row in publication_status(records.units, last_year_end(data.today).year, data.today)
                     if row["state"] != DisclosureState.ON_TIME],
    ))


def unit_measures(data: SiteData) -> dict[str, list[Measure]]:
    return oversight.measures_by_unit(data.records)


@dataclass(frozen=True)
class FollowthroughContext(PageContext):
    """确权与回访 (followthrough.md.j2)."""
    today: date
    cap: int
    confirm_days: int
    rs: dict[str, Any]  # oversight.request_summary
    pending: list[oversight.Request]
    answered: list[oversight.Request]
    ft: dict[str, Any]  # oversight.followup_lists
    unit_names: dict[str, str]


def followthrough_page(data: SiteData, lists: dict | None = None) -> Page:
    records, campaign = data.records, data.campaign
    found = oversight.requests(records, data.today, campaign)
    pending = sorted((r for r in found if r.answered is None), key=lambda r: (-r.days, r.unit, r.item))
    answered = sorted((r for r in found if r.answered is not None), key=lambda r: (r.answered, r.unit, r.item))
    return Page("followthrough.md", "followthrough.md.j2", FollowthroughContext(
        today=data.today, cap=ROW_CAP, confirm_days=campaign.confirm_days,
        rs=oversight.request_summary(found), pending=pending, answered=answered,
        ft=lists if lists is not None else followup_lists(data),
        unit_names={u.id: u.name for u in records.units.values()},
    ))


@dataclass(frozen=True)
class CreditorContext(PageContext):
    """A creditor's page (creditor.md.j2): its debts with every unit, its complaints."""
    creditor: creditors.Creditor
    totals: stats.Totals
    unit_names: dict[str, str]
    clue_rows: Rows


def creditor_pages(data: SiteData, frame_rows: dict[str, dict], only: set[str] | None = None) -> list[Page]:
    """One page per credit code (or per code in `only`), outside the navigation like the unit pages."""
    units = data.records.units

    def context(creditor: creditors.Creditor) -> CreditorContext:
        return CreditorContext(
            creditor=creditor,
            totals=stats.row_totals(creditor.debts),  # a DataFrame per creditor would cost a province minutes
            # its debtors, and the units its requests and checks name (a checker, a halted debtor): by name
            unit_names={u: units[u].name for u in {d["unit"] for d in creditor.debts}
                        | {ref.split("/", 1)[0] for ref, _c in (*creditor.confirmations, *creditor.followups)}
                        | {f.by for _ref, f in creditor.followups} if u in units},
            clue_rows=[{"clue": c, "debt": frame_rows.get(c.item) if c.item else None,
                        "respondent_name": units[c.respondent].name if c.respondent in units else c.respondent}
                       for c in creditor.clues])

    return [Page(f"{CREDITORS}/{c.code}.md", "creditor.html.j2", context(c))
            for c in creditors.creditors(data.records, data.frame, data.rows) if only is None or c.code in only]


@dataclass(frozen=True)
class SoeContext(PageContext):
    """国有企业 (soe.md.j2): the groups' review and the yearly figures, with their workbook."""
    today: date
    new_from: date
    downloads: list[FileInfo]
    review: Rows
    annual: list[soe.YearFigures]


def soe_page(data: SiteData, downloads: list[FileInfo]) -> Page:
    return Page("soe.md", "soe.md.j2", SoeContext(
        today=data.today, new_from=data.campaign.start, downloads=downloads,
        review=soe.review(data.records, data.frame),
        annual=soe.annual_figures(data.records, data.today),
    ))
