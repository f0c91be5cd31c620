"""A level's bundle for the level above (DESIGN §3d): its debts (the export's rows and
columns), units and clues as Parquet, each with a JSON copy, and `manifest.json` naming the
region, the data date, the commit, the totals and the SHA-256 of every file.

Money is exact in every file: decimal128(18, 2) yuan in Parquet (what a warehouse engine
loads as DECIMAL), yuan text with two decimals in JSON and in the manifest's totals. The same
data and date give the same bytes; only the manifest's `generated` tells when it was written.
Contacts (names and phones of leaders and liaisons) stay at home: the level above needs the
figures, not personal data.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..analysis.frame import DATES, FLAGS, MONEY
from ..core.model import Records, Unit
from ..core.money import yuan, yuan_decimal
from ..core.vocab import SupervisorKind, UnitType
from ..rules.standing import SEPARATOR
from ..workbook.export import json_bytes, json_text, records_for_output, text_value
from . import MANIFEST, SIGNATURE, BundleError
from .signing import sign

YUAN = pa.decimal128(18, 2)  # every amount is below 1 万亿元 (core.scalars.MONEY_LIMIT)
RATE = pa.decimal128(9, 4)


def supervisor_kind(unit: Unit | None, units: dict[str, Unit]) -> str:
    """Which kind of 汇总单位 a unit reports through: 财政局 for organs and institutions,
    国资委 or 国资运营公司 for SOEs (DESIGN §1); read from the supervisor's type and name."""
    head = units.get(unit.supervisor or "") if unit else None
    if head is None:
        return SupervisorKind.NONE
    if head.type == UnitType.SOE:
        return SupervisorKind.STATE_CAPITAL
    if "国有资产" in head.name or "国资" in head.name:
        return SupervisorKind.SASAC
    return SupervisorKind.FINANCE if "财政" in head.name else SupervisorKind.OTHER


def _arrow_type(name: str, values: list[Any]) -> pa.DataType:
    if name in MONEY:
        return YUAN
    if name in DATES:
        return pa.date32()
    if name in FLAGS:
        return pa.bool_()
    if name == "non_cash_share":
        return RATE
    if values and all(type(v) is int for v in values):
        return pa.int64()
    return pa.string()


def debt_table(frame: pd.DataFrame) -> pa.Table:
    """The export's columns in its order, typed: money as exact decimal yuan, never a float."""
    columns = {}
    for name in frame.columns:
        values = frame[name].tolist()
        kind = _arrow_type(name, values)
        if kind == YUAN:
            values = [yuan_decimal(v) for v in values]
        elif kind == RATE:
            values = [Decimal(v) for v in values]
        elif kind == pa.date32():
            values = [None if v is None or pd.isna(v) else v for v in values]
        elif kind == pa.string():  # fixed words (violations, conditions) joined as in the exports
            values = [SEPARATOR.join(v) if isinstance(v, tuple) else
                      None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in values]
        columns[name] = pa.array(values, kind)
    return pa.table(columns)


def unit_table(records: Records) -> pa.Table:
    units = [records.units[key] for key in sorted(records.units)]
    return pa.table({
        "id": pa.array([u.id for u in units], pa.string()),
        "name": pa.array([u.name for u in units], pa.string()),
        "credit_code": pa.array([u.credit_code for u in units], pa.string()),
        "type": pa.array([u.type for u in units], pa.string()),
        "region_code": pa.array([u.region_code for u in units], pa.string()),
        "region_name": pa.array([u.region_name for u in units], pa.string()),
        "parent": pa.array([u.parent for u in units], pa.string()),
        "supervisor": pa.array([u.supervisor for u in units], pa.string()),
        "supervisor_kind": pa.array([supervisor_kind(u, records.units) for u in units], pa.string()),
        "status": pa.array([u.status for u in units], pa.string()),
    })


def clue_table(records: Records) -> pa.Table:
    clues = sorted((c for ledger in records.clue_ledgers for c in ledger.clues), key=lambda c: (c.handler, c.id))
    return pa.table({
        "handler": pa.array([c.handler for c in clues], pa.string()),
        "id": pa.array([c.id for c in clues], pa.string()),
        "received": pa.array([c.received for c in clues], pa.date32()),
        "source": pa.array([c.source for c in clues], pa.string()),
        "complainant_name": pa.array([c.complainant_name for c in clues], pa.string()),
        "complainant_code": pa.array([c.complainant_code for c in clues], pa.string()),
        "respondent": pa.array([c.respondent for c in clues], pa.string()),
        "amount": pa.array([c.amount for c in clues], YUAN),
        "accepted": pa.array([c.accepted for c in clues], pa.bool_()),
        "verdict": pa.array([c.verdict for c in clues], pa.string()),
        "item": pa.array([c.item for c in clues], pa.string()),
        "closed": pa.array([c.closed for c in clues], pa.date32()),
        "deadline": pa.array([c.deadline for c in clues], pa.date32()),
    })


def parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def table_json(table: pa.Table) -> bytes:
    """The rows as the JSON export writes them: every value as text, keys in column order."""
    rows = [{name: text_value(value) for name, value in row.items()} for row in table.to_pylist()]
    return (json_text(rows) + "\n").encode()


@dataclass(frozen=True)
class Region:
    code: str
    name: str


def region_of(records: Records) -> Region:
    """The level's own region: that of its units without a parent (the top of 属地管理)."""
    tops = {(u.region_code, u.region_name) for u in records.units.values() if not u.parent}
    if len(tops) != 1:
        raise BundleError("无法确定本级区划：units/ 中没有上级（parent）的单位应恰好属于一个区划，"
                          f"现在是 {len(tops)} 个")
    code, name = tops.pop()
    return Region(code, name)


def files_of(records: Records, frame: pd.DataFrame) -> dict[str, bytes]:
    """Every file of the bundle but the manifest, by name."""
    tables = {"debts": debt_table(frame), "units": unit_table(records), "clues": clue_table(records)}
    files = {}
    for name, table in tables.items():
        files[f"{name}.parquet"] = parquet_bytes(table)
        files[f"{name}.json"] = json_bytes(records_for_output(frame)) if name == "debts" else table_json(table)
    return files


def manifest_bytes(region: Region, as_of: date, commit: str | None, generated: str, frame: pd.DataFrame,
                   files: dict[str, bytes]) -> bytes:
    totals = {"items": len(frame), **{name: yuan(int(frame[name].sum())) for name in ("amount", "repaid", "remaining")}}
    manifest = {"region": {"code": region.code, "name": region.name}, "as_of": as_of.isoformat(),
                "commit": commit, "generated": generated, "totals": totals,
                "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}}
    return (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode()


def write_bundle(records: Records, frame: pd.DataFrame, as_of: date, out: Path, commit: str | None,
                 generated: str, key: Path | None = None) -> Iterable[str]:
    """Write the bundle into `out` (made if missing); sign its manifest with `key` when given,
    else remove an old signature that no longer fits. The names of the files written."""
    files = files_of(records, frame)
    manifest = manifest_bytes(region_of(records), as_of, commit, generated, frame, files)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (out / name).write_bytes(data)
        (out / MANIFEST).write_bytes(manifest)
        (out / SIGNATURE).unlink(missing_ok=True)
    except OSError as exc:
        raise BundleError(f"无法写入“{out}”（{exc.strerror or exc}）") from None
    if key is not None:
        (out / SIGNATURE).write_bytes(sign(manifest, key))
    return [*files, MANIFEST, *([SIGNATURE] if key is not None else [])]
