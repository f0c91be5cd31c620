"""What the page builders share: a page to render and its typed context, the data every page
reads, the download files, and the chart spec. Kept apart from the builders so that each page
module can use them."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd
from markupsafe import Markup

from ..analysis import stats
from ..core.config import Campaign, Complaint, Supervision
from ..core.model import Ledger, Measure, Records, Unit
from ..rollup.aggregate import Result as Rollup
from ..rules.standing import Judge

DEFAULT_RULE = Supervision()
ROW_CAP = 1000  # longest lists on one page; the full lists are in the downloads


@dataclass(frozen=True)
class PageContext:
    """What one page's template reads. Each page kind has its own frozen dataclass whose fields
    are the template's names (like history.report_data for the reports), so a builder that
    leaves a field out, misspells it or hands it the wrong type fails mypy, not the page."""

    def variables(self) -> dict[str, Any]:
        """The fields as the template's variables (shallow: the values themselves)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class Page:
    path: str  # Markdown path inside the docs folder
    template: str
    context: PageContext

    def variables(self) -> dict[str, Any]:
        """The template's variables: `root` and the context's fields."""
        return {"root": Markup(self.root), **self.context.variables()}

    @property
    def root(self) -> str:
        """Relative path from this page back to the site root (use_directory_urls is off)."""
        return "../" * self.path.count("/")


@dataclass(frozen=True)
class SiteData:
    records: Records
    campaign: Campaign
    frame: pd.DataFrame
    today: date  # the date the site is true on: --as-of, else the newest ledger's as_of
    rule: Supervision = DEFAULT_RULE  # who is named for 约谈/督办
    rollup: Rollup | None = None  # an upper level's roll-up of its members' bundles (group_pages)
    judge: Judge = field(default_factory=Judge)  # the configured standing rules and their calendar

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        """The frame's rows as dicts, in its order, made once: a `to_dict` per group, region or
        page fetches every column of the frame again (most of the time it took at province scale)."""
        return stats.records(self.frame)

    def rows_of(self, part: pd.DataFrame) -> list[dict[str, Any]]:
        """`part.to_dict("records")` for `part`, a selection of the frame's rows in any order
        (a mask, a sort, a head), from `rows`: the same dicts, shared (read, never changed).
        Anything else (other columns, other rows) is converted as it is."""
        if not (self.frame.index.is_unique and part.columns.equals(self.frame.columns)):
            return stats.records(part)
        positions = self.frame.index.get_indexer(part.index)
        if (positions < 0).any():
            return stats.records(part)
        rows = self.rows
        return [rows[at] for at in positions]


@dataclass(frozen=True)
class FileInfo:
    path: str  # inside the docs folder
    label: str
    size: int
    sha256: str

    @classmethod
    def of(cls, path: str, label: str, data: bytes) -> FileInfo:
        return cls(path, label, len(data), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class UnitFiles:
    """One unit's row on the 下载 page: its ledger as CSV and Excel and its Excel template."""
    csv: FileInfo | None = None
    xlsx: FileInfo | None = None
    template: FileInfo | None = None

    def listed(self) -> list[FileInfo]:
        return [f for f in (self.csv, self.xlsx, self.template) if f is not None]


@dataclass(frozen=True)
class Downloads:
    """Every download file of the office site. Typed fields, not a dict keyed by unit ids and
    special words: a unit whose id is `sums` or `overdue` is just another unit."""
    full: list[FileInfo]  # the whole export: CSV, Excel, JSON
    overdue: list[FileInfo]  # the overdue list: CSV, Excel
    units: dict[str, UnitFiles]  # unit id -> its files
    sums: FileInfo  # SHA256SUMS over every file above (and the reports)

    def of_unit(self, unit_id: str) -> UnitFiles:
        return self.units.get(unit_id, UnitFiles())


def chart(kind: str, labels: list[str], series: Sequence[tuple[Hashable, Sequence[float | None]]],
           unit: str = "万元", days: list[int] | None = None) -> dict:
    """A chart's data for site.js. With `days` (each label's day number since 1970-01-01) the
    points stand on a time axis: uneven dates are spaced as far apart as they are."""
    spec = {"type": kind, "unit": unit, "labels": labels,
            "series": [{"label": label, "data": data} for label, data in series]}
    return spec if days is None else {**spec, "days": days}


# The page contexts of site/pages.py (a page module with room keeps its own beside its builder).
Rows = list[dict[str, Any]]  # rows of the items frame, or of a table a page builds from it


@dataclass(frozen=True)
class HomeContext(PageContext):
    """The figures both audiences see on their home page (public_home.md.j2)."""
    today: date
    totals: stats.Totals
    by_region: Rows
    by_category: Rows
    by_class: Rows
    countdown: Rows
    campaign: Campaign
    charts: dict[str, dict]


@dataclass(frozen=True)
class DashboardContext(HomeContext):
    """The office's home page (dashboard.md.j2): the public figures and what only it shows."""
    new_arrears: stats.Totals
    new_unpaid: stats.Totals
    disputed: stats.Totals
    by_type: Rows
    reported: int
    units: int
    scope: str  # why the debts counted are fewer than the ledgers' (the validation summary counts them all)
    rollup: Rollup | None  # the lower levels' figures, at a level that rolls them up


@dataclass(frozen=True)
class UnitContext(PageContext):
    """A unit's page (unit.md.j2): its ledger's debts, where it stands, who is above and below."""
    unit: Unit
    ledger: Ledger | None
    items: Rows  # per debt listed: the item, its frame row and its non-cash payments
    totals: stats.Totals
    kept_until: date | None  # a halted unit's ledger, shown as it stood the day before it halted
    reporting: str
    parent: Unit | None
    supervisor: Unit | None
    children: list[Unit]
    creditors: list[tuple[str, str]]  # (name, credit code)
    downloads: UnitFiles
    summary: dict[str, Any] | None
    timeline: Rows | None  # None: no history
    measures: list[Measure]
    checkers: dict[str, str]  # unit id -> name of the units that checked its debts (follow-ups' `by`)
    today: date  # the standing rules' interest is counted to it


@dataclass(frozen=True)
class LedgersContext(PageContext):
    """台账 (ledgers.md.j2): every region with its units and totals."""
    regions: Rows
    today: date


@dataclass(frozen=True)
class RegionContext(PageContext):
    """One region's units (region.md.j2)."""
    code: str
    name: str
    totals: stats.Totals
    units: Rows


@dataclass(frozen=True)
class OverdueContext(PageContext):
    """逾期清单 (overdue.md.j2): each list capped at `cap` rows, with its full count."""
    today: date
    cap: int
    overdue_count: int
    overdue: Rows
    overdue_totals: stats.Totals
    missed_count: int
    missed: Rows
    slipped_count: int
    slipped: Rows
    late_count: int
    plan_late: Rows
    new_count: int
    new: Rows
    campaign: Campaign
    downloads: list[FileInfo]


@dataclass(frozen=True)
class CluesContext(PageContext):
    """投诉线索 (clues.md.j2)."""
    today: date
    cap: int
    unit_names: dict[str, str]
    rows: Rows
    count: int
    by_state: Rows
    closed: int
    median_days: int | None
    max_days: int | None
    open_long: Rows
    missing: Rows
    verified_unpaid: Rows
    deadlines: Rows


@dataclass(frozen=True)
class CasesContext(PageContext):
    """典型案例 (cases.md.j2): published cases only when `public`."""
    cases: Rows
    public: bool


@dataclass(frozen=True)
class DownloadsContext(PageContext):
    """下载 (downloads.md.j2)."""
    full: list[FileInfo]
    overdue: list[FileInfo]
    sums: FileInfo
    reports: list[FileInfo]
    units: list[tuple[Unit, UnitFiles, FileInfo | None]]  # with the unit's 督办函, if it has one


@dataclass(frozen=True)
class DisclosureContext(PageContext):
    """年度公开 (disclosure.md.j2): the public page, or the yearly report's page with its file."""
    label: str
    year: int
    public: bool
    rows: list
    file: FileInfo | None = None  # the yearly report's Excel; the public page has none
    cutoff: str | None = None
    years: list[int] = field(default_factory=list)  # every year the public site discloses, newest first


@dataclass(frozen=True)
class ReferenceContext(PageContext):
    """填报说明的字段与错误代码 (reference.md.j2): the page `qingqian docs` writes."""
    reference: str


@dataclass(frozen=True)
class AboutContext(PageContext):
    """关于本站 (about.md.j2): where an enterprise complains."""
    complaint: Complaint
    today: date


@dataclass(frozen=True)
class ViolationsContext(PageContext):
    """条例执行 (violations.md.j2): the debts under the standing rules by violation, unit and region."""
    today: date
    cap: int
    standing: Any  # analysis.violations.Tally
    overdue: Any
    kinds: list
    units: list
    regions: list
    debts_count: int
    debts: Rows
