"""`qingqian export`: the debts through export.py, or the clues and their clocks as a small table
in the debts' export's conventions — Chinese headers, unit-written text made inert, money and
dates as what they are, the same bytes for the same rows (a few thousand rows at most: openpyxl
writes them directly)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..analysis.clue_table import CLUE_COLUMNS, clue_rows
from ..analysis.frame import items_frame, stated_date
from ..core.config import Config
from ..core.model import Records
from ..rules.standing import Judge
from .export import Columns, export, json_bytes, table_csv, table_xlsx


def table_bytes(columns: Columns, rows: list[dict[str, str]], fmt: str, sheet: str) -> bytes:
    if fmt == "csv":
        return table_csv(columns, rows)
    if fmt == "xlsx":
        return table_xlsx(columns, rows, sheet)
    return json_bytes(rows)


def export_table(records: Records, config: Config, table: str, fmt: str, out: Path, as_of: date | None) -> list[str]:
    """`qingqian export`: the debts (`items`) or the clues with their clocks (`clues`) at the stated
    date, under the configured standing rules; the lines to tell the user."""
    judge = Judge(config.rules)
    if table == "clues":
        rows = clue_rows(records, stated_date(records, as_of), judge)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(table_bytes(CLUE_COLUMNS, rows, fmt, "投诉线索"))
        told = [f"已导出 {len(rows)} 条投诉线索到 {out}"]
    else:
        frame = items_frame(records, config.campaign, as_of, judge)
        export(frame, fmt, out)
        left = sum(len(ledger.items) for ledger in records.ledgers) - len(frame)
        told = [f"已导出 {len(frame)} 笔欠款到 {out}"
                + (f"；另有 {left} 笔不在清理范围（停产单位的台账，或在数据日期尚未到期），未导出" if left else "")]
    warning = judge.warning()  # a year the holiday calendar does not know yet
    return [*told, warning] if warning else told
