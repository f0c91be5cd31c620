"""What the page builders share: a page to render, the data every page reads, the download
files, and the chart spec. Kept apart from the builders so that each page module can use them."""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd

from ..analysis import stats
from ..core.config import Campaign, Supervision
from ..core.model import Records
from ..rollup.aggregate import Result as Rollup

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
    rollup: Rollup | None = None  # an upper level's roll-up of its members' bundles (group_pages)

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
           unit: str = "万元") -> dict:
    return {"type": kind, "unit": unit, "labels": labels,
            "series": [{"label": label, "data": data} for label, data in series]}
