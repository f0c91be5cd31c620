"""A period report as types: one frozen dataclass per row shape, money in integer fen, rates
as the exact fractions of stats.rate, days as dates.

The report travels typed from period_report to its outputs (report_files, the archive's
comparison, the site's 调度报告 pages); it becomes text only at the edge (report_files, and
report_json for the JSON form). A field renamed here is a type error wherever it is read, not a
key silently missing from a dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Annotated

from ..core.money import rounded
from . import MemberProblem

FEN, RATE, BLANK = "fen", "rate", "blank"
Fen = Annotated[int, FEN]  # money in integer fen: yuan text in the JSON
OptionalFen = Annotated[int | None, FEN]  # money that may be unknown (未报送): null in the JSON
Rate = Annotated[Fraction | None, RATE]  # stats.rate: four-decimal text in the JSON, "" when None
Moment = Annotated[datetime | None, BLANK]  # a time that may be missing: "" in the JSON
Day = Annotated[date | None, BLANK]  # a day that may be missing: "" in the JSON
OPTIONAL = {"optional": True}  # a section only some periods have: left out of the JSON when None
FLAT = {"flatten": True}  # a row whose fields the JSON shows inline


def rate_text(value: Fraction | None) -> str:
    """The clearance rate as the JSON keeps it, as data: four decimals rounded half-up once from the
    exact fraction, "" when nothing is owed. Nothing shown is derived from it (money.percent)."""
    return f"{rounded(value, 4):.4f}" if value is not None else ""


@dataclass(frozen=True)
class ReportTotals:
    """stats.Totals as the report (and its archived JSON) has always written them: `items`
    for the count, the clearance rate as a figure of its own, no count of settled debts."""

    items: int
    amount: Fen
    repaid: Fen  # 待核实 left out (derive.unverified)
    remaining: Fen
    unverified: Fen  # 待核实: reported paid, found not arrived by a check
    clearance_rate: Rate


@dataclass(frozen=True)
class Scope:
    """Why the debts counted differ from the debts in the ledgers: ledger_items = items +
    halted + not_due (a unit stopped production; not yet due at the cut-off)."""
    ledger_items: int
    halted: int
    not_due: int


@dataclass(frozen=True)
class Change:
    """The differences of the totals since the previous cut-off, except `repaid`: the period's
    repayments (movement.repaid), never a difference that a debt leaving scope makes negative."""
    items: int
    amount: Fen
    repaid: Fen
    remaining: Fen


@dataclass(frozen=True)
class Movement:
    """How the remaining amount moved in the period (history.movement): closing = opening +
    added − repaid + corrected − left_scope, to the fen."""
    opening: Fen  # 期初剩余
    added: Fen  # 本期新增: debts that entered scope, at their remaining at the close (gross)
    repaid: Fen  # 本期还款: payments that entered the ledgers, debts in scope at both ends
    corrected: Fen  # 更正: anything else that moved those debts' remaining (signed)
    left_scope: Fen  # 移出: remaining at the opening of debts that left (停产, deleted)
    closing: Fen  # 期末剩余


@dataclass(frozen=True)
class RegionRow:
    region_code: str
    region_name: str
    items: int
    amount: Fen
    repaid: Fen
    remaining: Fen
    unverified: Fen
    clearance_rate: Rate
    movement: Movement


@dataclass(frozen=True)
class UnitRow:
    unit: str
    unit_name: str
    items: int
    amount: Fen
    repaid: Fen
    remaining: Fen
    unverified: Fen
    clearance_rate: Rate
    movement: Movement


@dataclass(frozen=True)
class RankedUnit:
    rank: int
    row: UnitRow = field(metadata=FLAT)


@dataclass(frozen=True)
class InvalidFile:
    path: str
    errors: str
    used: str


@dataclass(frozen=True)
class LateUnit:
    unit: str
    unit_name: str
    reason: str
    last: Moment
    as_of: Day


@dataclass(frozen=True)
class LateMerged:
    unit: str
    unit_name: str
    committed: datetime


@dataclass(frozen=True)
class RemovedUnit:
    unit: str
    unit_name: str


@dataclass(frozen=True)
class RemovedDebt:
    """A debt in scope at the previous cut-off and not at this one (移出), and why."""
    unit: str
    id: str
    unit_name: str
    creditor_name: str
    reason: str
    amount: Fen
    remaining: Fen


@dataclass(frozen=True)
class NewArrear:
    unit: str
    id: str
    unit_name: str
    creditor_name: str
    due: date
    amount: Fen


@dataclass(frozen=True)
class DeadlineRow:
    """A debt past (deadline_missed) or planned past (plan_late) its campaign deadline."""
    unit: str
    id: str
    unit_name: str
    creditor_name: str
    deadline_class: str
    deadline: date | None
    remaining: Fen


@dataclass(frozen=True)
class SlippedPlan:
    unit: str
    id: str
    unit_name: str
    creditor_name: str
    plan_shortfall: Fen


@dataclass(frozen=True)
class ClueRow:
    id: str
    respondent: str
    respondent_name: str  # the unit's registered name; its id when it is not registered
    verdict: str
    amount: Fen


@dataclass(frozen=True)
class StandingFigures:
    """The standing rules (《保障中小企业款项支付条例》) at the period's end: the debts they judge,
    those overdue under them (逾期未付) with the amount unpaid, the interest owed on all of them,
    and the complaints past their clocks."""
    debts: int
    overdue: int
    overdue_remaining: Fen
    interest: Fen
    late_clues: int


@dataclass(frozen=True)
class ViolationRow:
    """A debt the standing rules find at fault at the period's end (analysis.violations.violating):
    its violations joined with ；as every output writes them, the last day the rules allowed, what
    is unpaid and the overdue interest owed, most interest first."""
    unit: str
    id: str
    unit_name: str
    creditor_name: str
    violations: str
    statutory_due: Day
    remaining: Fen
    interest: Fen


@dataclass(frozen=True)
class CaseRow:
    id: str
    title: str
    unit: str
    unit_name: str
    published: date


@dataclass(frozen=True)
class SupervisedUnit:
    unit: str
    unit_name: str
    reasons: str
    clearance_rate: Rate
    deadline_missed: int
    slipped_running: int
    remaining: Fen


@dataclass(frozen=True)
class SupervisedRegion:
    region_code: str
    region_name: str
    reasons: str
    clearance_rate: Rate
    deadline_missed: int
    slipped_running: int
    remaining: Fen


@dataclass(frozen=True)
class GroupRow:
    group: str
    group_name: str
    kind: str
    units: int
    items: int
    amount: Fen
    repaid: Fen
    remaining: Fen
    clearance_rate: Rate
    late_units: int
    missed_units: int
    slipped_units: int


@dataclass(frozen=True)
class DisclosureRow:
    """A unit's line of the yearly disclosure; one that never submitted a ledger has no figures
    (`reported` false, None: 未报送 in every output, never zeros shown as fact)."""
    unit: str
    unit_name: str
    unit_type: str
    reported: bool
    contracts: int | None
    remaining: OptionalFen


@dataclass(frozen=True)
class FollowthroughCounts:
    measures: int
    requests_received: int
    requests_answered: int
    requests_overdue: int
    followups: int
    discrepancies: int
    clues_past_deadline: int


@dataclass(frozen=True)
class OriginRow:
    origin: str
    items: int
    amount: Fen
    repaid: Fen
    remaining: Fen


@dataclass(frozen=True)
class MeasureRow:
    id: str
    date: date
    unit: str
    unit_name: str
    kind: str
    basis: str


@dataclass(frozen=True)
class DiscrepancyRow:
    unit: str
    id: str
    unit_name: str
    creditor_name: str
    last_followup: date
    last_followup_result: str
    reported_paid: Fen  # what the unit reported paid, 待核实 included
    unverified: Fen  # 待核实: the part the check found had not arrived


@dataclass(frozen=True)
class Restatement:
    """A figure of an issued report that the recomputation changes (a debt's own 更正 record
    is model.Correction)."""

    figure: str
    issued: str
    now: str


@dataclass(frozen=True)
class Issued:
    """The report as the archive holds it, compared with this recomputation (history.archive)."""
    archive: str
    path: str
    commit: str | None
    corrections: list[Restatement]


@dataclass
class PeriodReport:
    """A report's contents, sections in the order every output shows them. `issued` is set by
    archive.compare once the recomputation has been compared with the archived report."""
    period: str
    period_name: str
    cutoff: datetime
    previous_cutoff: datetime
    commit: str | None
    previous_commit: str | None
    no_data: bool
    final: bool  # the cut-off had passed when the report was made; else 未截止
    data_until: Moment  # a report not final: the moment it was made at (the clock, or the build's --as-of)
    invalid: list[InvalidFile]
    totals: ReportTotals
    scope: Scope
    change: Change
    movement: Movement
    by_region: list[RegionRow]
    by_unit: list[UnitRow]
    late_units: list[LateUnit]
    late_merged: list[LateMerged]
    late_rule: str
    removed_units: list[RemovedUnit]
    removed_debts: list[RemovedDebt]
    new_arrears: list[NewArrear]
    deadline_missed: list[DeadlineRow]
    plan_slipped: list[SlippedPlan]
    plan_late: list[DeadlineRow]
    clues_opened: list[ClueRow]
    clues_closed: list[ClueRow]
    cases_published: list[CaseRow]
    followthrough: list[FollowthroughCounts]
    by_origin: list[OriginRow]
    measures: list[MeasureRow]
    discrepancies: list[DiscrepancyRow]
    # the quarter's and the year's
    ranking: list[RankedUnit] | None = field(default=None, metadata=OPTIONAL)
    supervision_rule: str | None = field(default=None, metadata=OPTIONAL)
    supervision: list[SupervisedUnit] | None = field(default=None, metadata=OPTIONAL)
    supervision_regions: list[SupervisedRegion] | None = field(default=None, metadata=OPTIONAL)
    groups: list[GroupRow] | None = field(default=None, metadata=OPTIONAL)
    # once any debt is under the standing rules
    standing: list[StandingFigures] | None = field(default=None, metadata=OPTIONAL)  # one row
    violations: list[ViolationRow] | None = field(default=None, metadata=OPTIONAL)
    # the year's
    disclosure: list[DisclosureRow] | None = field(default=None, metadata=OPTIONAL)
    members_total: list[RegionRow] | None = field(default=None, metadata=OPTIONAL)  # one row
    members: list[RegionRow] | None = field(default=None, metadata=OPTIONAL)
    member_problems: list[MemberProblem] | None = field(default=None, metadata=OPTIONAL)
    issued: Issued | None = field(default=None, metadata=OPTIONAL)

    def section(self, name: str) -> list | None:
        """The rows of the section called `name` (report_files.SECTIONS); None if this period has none."""
        rows = getattr(self, name)
        assert rows is None or isinstance(rows, list), name
        return rows
