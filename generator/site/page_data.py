"""What the page builders share: a page to render, the data every page reads, the download
files, and the chart spec. Kept apart from the builders so that each page module can use them."""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ..core.config import Campaign, Supervision
from ..core.model import Records

DEFAULT_RULE = Supervision()
ROW_CAP = 1000  # longest lists on one page; the full lists are in the downloads


@dataclass(frozen=True)
class Page:
    path: str  # Markdown path inside the docs folder
    template: str
    context: dict = field(default_factory=dict)

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
           unit: str = "万元") -> dict:
    return {"type": kind, "unit": unit, "labels": labels,
            "series": [{"label": label, "data": data} for label, data in series]}
