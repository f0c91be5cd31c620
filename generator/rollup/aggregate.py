"""The upper level's view of its members' verified bundles, summed by DuckDB straight from
their Parquet files (embedded, out of core: a million debts in seconds on two cores).

Sums are exact DECIMAL(38, 2) yuan, turned into integer fen here; rates come from the one rate
function (analysis.stats.rate). A member's figures must add up to its own manifest's totals,
else it is refused: the manifest is what its level signed.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

from ..analysis.stats import Totals
from ..core.config import ConfigError, Rollup
from ..core.issues import shown
from ..core.money import fen
from ..core.vocab import RegionType, SupervisorKind
from . import RollupError
from .bundle import Region
from .members import Bundle, Missing, fetch, label

# (column, DuckDB type) each table must have; more columns are allowed
NEEDED = {
    "debts": {"unit": "VARCHAR", "id": "VARCHAR", "region_code": "VARCHAR", "region_name": "VARCHAR",
              "amount": "DECIMAL(18,2)", "repaid": "DECIMAL(18,2)", "remaining": "DECIMAL(18,2)"},
    "units": {"id": "VARCHAR", "name": "VARCHAR", "type": "VARCHAR", "region_code": "VARCHAR",
              "region_name": "VARCHAR", "supervisor_kind": "VARCHAR"},
}
MEMORY_LIMIT = "1GB"  # DuckDB spills to disk beyond it
FETCHERS = min(4, os.cpu_count() or 1)  # members read and hashed at once
TEXT = 200  # characters of a bundle's text kept (names, types): a page is no place for megabytes
ROW_LIMIT = 50_000_000  # rows of one table of one bundle: a few KiB of Parquet can claim billions


NONE = Totals(0, 0, 0, 0, 0)
SUMS = "count(*), sum(amount), sum(repaid), sum(remaining), count(*) FILTER (WHERE remaining = 0)"
KIND_NAMES = {"stale": "过期", "future": "日期在后", "missing": "缺少数据包", "duplicate_unit": "单位重复",
              "outside_region": "区划不符"}
KIND_CODES = {"stale": "W801", "future": "W802", "missing": "W803", "duplicate_unit": "W804",
              "outside_region": "W805"}  # the code table's entries (rollup.CODES)


@dataclass(frozen=True)
class MemberRow:
    region_code: str
    region_name: str
    as_of: date
    totals: Totals
    stale: bool
    signed: bool
    commit: str | None
    units: list[UnitRow] = field(default_factory=list)
    site: str = ""  # its office site, as the upper level's configuration names it


@dataclass(frozen=True)
class UnitRow:
    id: str
    name: str
    type: str
    region_code: str
    region_name: str
    totals: Totals


@dataclass(frozen=True)
class Problem:
    kind: str  # stale | future | missing | duplicate_unit | outside_region
    region_code: str  # the member concerned
    message: str  # Chinese, data text as it is (escape where shown)

    @property
    def shown(self) -> str:
        return shown(self.message)

    @property
    def label(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def code(self) -> str:
        return KIND_CODES[self.kind]


@dataclass(frozen=True)
class Result:
    region: Region
    date: date
    stale_days: int
    totals: Totals
    members: list[MemberRow]
    by_region_type: list[tuple[str, Totals]]
    by_supervisor_kind: list[tuple[str, Totals]]
    problems: list[Problem]


def region_type(code: str) -> str:
    """The kind of region a 行政区划代码 (GB/T 2260) names, from its last digits."""
    if len(code) != 6 or not code.isdigit():
        return RegionType.OTHER
    if code.endswith("0000"):
        return RegionType.PROVINCE
    if code.endswith("00"):
        return RegionType.PREFECTURE
    county = int(code[4:])
    return RegionType.DISTRICT if county <= 20 else RegionType.COUNTY if county <= 80 else RegionType.COUNTY_CITY


def within(code: str, upper: str) -> bool:
    """Whether region `code` lies inside region `upper` (and is not `upper` itself)."""
    prefix = upper
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return code != upper and code.startswith(prefix)


def _sums(row: tuple) -> Totals:
    """stats.Totals of a row of SUMS: exact DECIMAL sums as integer fen."""
    count, amount, repaid, remaining, settled = row
    amount, repaid, remaining = (fen(Decimal(v or 0)) for v in (amount, repaid, remaining))
    return Totals(int(count), amount, repaid, remaining, int(settled))


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _check_schema(con: duckdb.DuckDBPyConnection, bundle: Bundle) -> None:
    refused, region = f"下级 {label(bundle.member)} 的数据包被拒绝：", bundle.member.region
    for table, needed in NEEDED.items():
        try:
            described = con.execute("DESCRIBE SELECT * FROM read_parquet("
                                    f"{_quoted(bundle.folder / f'{table}.parquet')})").fetchall()
        except duckdb.Error:
            raise RollupError("E806", refused + f"{table}.parquet 不是可读的 Parquet 文件（截断或损坏）",
                              region) from None
        rows = con.execute("SELECT sum(num_rows) FROM parquet_file_metadata("
                           f"{_quoted(bundle.folder / f'{table}.parquet')})").fetchone()
        if rows is None or (rows[0] or 0) > ROW_LIMIT:
            raise RollupError("E806", refused + f"{table}.parquet 超过 {ROW_LIMIT:,} 行", region)
        types = {row[0]: row[1] for row in described}
        wrong = [name for name, kind in needed.items() if types.get(name) != kind]
        if wrong:
            raise RollupError("E807", refused + f"{table}.parquet 缺少列或类型不对：{'、'.join(wrong)}", region)


def roll_up(root: Path, rollup: Rollup, upper: Region, today: date, future: bool = True) -> Result:
    """Fetch, verify and sum every member; RollupError (naming the member) on a refused bundle.
    `future`: list a member whose data date is after `today` (a date that would never go stale;
    the office site, whose date is its own ledgers', leaves that to `qingqian rollup`)."""
    if rollup.require_signatures and not rollup.allowed_signers:
        raise ConfigError("qingqian.yaml: rollup.require_signatures 需要同时设置 rollup.allowed_signers")
    if rollup.allowed_signers and not (root / rollup.allowed_signers).is_file():
        raise ConfigError(f"qingqian.yaml: rollup.allowed_signers 指向的文件“{rollup.allowed_signers}”不存在")
    with tempfile.TemporaryDirectory(prefix="qingqian-rollup-") as tmp:

        def fetched(n: int) -> Bundle | Exception:
            try:
                return fetch(root, rollup.members[n], rollup, Path(tmp) / str(n))
            except (Missing, RollupError) as exc:
                return exc

        # reading and hashing release the GIL: members are fetched side by side, then taken in order
        with ThreadPoolExecutor(max_workers=FETCHERS) as pool:
            outcomes = list(pool.map(fetched, range(len(rollup.members))))
        bundles, problems = [], []
        for member, outcome in zip(rollup.members, outcomes, strict=True):
            if not within(member.region, upper.code):
                problems.append(Problem("outside_region", member.region,
                                        f"下级 {member.name or member.region} 的区划代码 {member.region} "
                                        f"不在本级区划 {upper.name}（{upper.code}）之内"))
            if isinstance(outcome, RollupError):
                raise outcome  # the first refused member in the configuration's order
            if isinstance(outcome, Missing):
                problems.append(Problem("missing", member.region,
                                        f"下级 {member.name or member.region} 没有数据包：{outcome}"))
            elif isinstance(outcome, Bundle):
                bundles.append(outcome)
        result = _summed(bundles, problems, rollup, upper, today, Path(tmp))
    return result if future else replace(result, problems=[p for p in result.problems if p.kind != "future"])


def _summed(bundles: list[Bundle], problems: list[Problem], rollup: Rollup, upper: Region, today: date,
            tmp: Path) -> Result:
    con = duckdb.connect(":memory:", config={"threads": 2, "memory_limit": MEMORY_LIMIT,
                                             "temp_directory": str(tmp / "duckdb")})
    for bundle in bundles:
        _check_schema(con, bundle)
    debts = " UNION ALL ".join(
        f"SELECT {n} AS member, unit, region_code, amount, repaid, remaining "
        f"FROM read_parquet({_quoted(b.folder / 'debts.parquet')})" for n, b in enumerate(bundles)) or \
        "SELECT 0 AS member, '' AS unit, '' AS region_code, 0::DECIMAL(18,2) AS amount, " \
        "0::DECIMAL(18,2) AS repaid, 0::DECIMAL(18,2) AS remaining WHERE false"
    units = " UNION ALL ".join(
        f"SELECT {n} AS member, {', '.join(f'left({c}, {TEXT}) AS {c}' for c in NEEDED['units'])} "
        f"FROM read_parquet({_quoted(b.folder / 'units.parquet')})" for n, b in enumerate(bundles)) or \
        "SELECT 0 AS member, '' AS id, '' AS name, '' AS type, '' AS region_code, '' AS region_name, " \
        "'' AS supervisor_kind WHERE false"
    try:
        con.execute(f"CREATE TEMP TABLE debts AS {debts}")
        con.execute(f"CREATE TEMP TABLE units AS {units}")
        per_unit = con.execute(
            f"SELECT member, unit, {SUMS} FROM debts GROUP BY member, unit").fetchall()
        kinds = con.execute(
            f"SELECT coalesce(u.supervisor_kind, ?), {SUMS} FROM debts d "
            "LEFT JOIN units u ON u.member = d.member AND u.id = d.unit GROUP BY 1 ORDER BY 1",
            [SupervisorKind.UNREGISTERED]).fetchall()
        regions = con.execute(
            f"SELECT region_code, {SUMS} FROM debts GROUP BY 1").fetchall()
        claimed = con.execute(
            "SELECT id, list(DISTINCT member ORDER BY member) FROM units GROUP BY id "
            "HAVING count(DISTINCT member) > 1 ORDER BY id").fetchall()
        unit_rows = con.execute(
            "SELECT member, id, name, type, region_code, region_name FROM units ORDER BY member, id").fetchall()
    except duckdb.Error as exc:
        raise RollupError("E806", f"数据包无法汇总（{shown(str(exc))[:300]}）") from None
    finally:
        con.close()
    return _assembled(bundles, problems, rollup, upper, today, per_unit, kinds, regions, claimed, unit_rows)


def _assembled(bundles: list[Bundle], problems: list[Problem], rollup: Rollup, upper: Region, today: date,
               per_unit, kinds, regions, claimed, unit_rows) -> Result:
    unit_sums: list[dict[str, Totals]] = [{} for _bundle in bundles]
    for row in per_unit:
        unit_sums[row[0]][row[1]] = _sums(row[2:])
    listed: list[list[tuple]] = [[] for _bundle in bundles]
    for row in unit_rows:
        listed[row[0]].append(row)
    members = []
    for n, bundle in enumerate(bundles):
        manifest = bundle.manifest
        sums = _total(list(unit_sums[n].values()))
        stated = (manifest.items, *(fen(Decimal(v)) for v in (manifest.amount, manifest.repaid, manifest.remaining)))
        if (sums.count, sums.amount, sums.repaid, sums.remaining) != stated:
            raise RollupError("E808", f"下级 {label(bundle.member)} 的数据包被拒绝：debts.parquet 的合计与 "
                              "manifest.json 的 totals 不符", bundle.member.region)
        stale = manifest.as_of < today - timedelta(days=rollup.stale_days)
        name = manifest.region_name
        if stale:
            problems.append(Problem("stale", manifest.region_code,
                                    f"下级 {name} 的数据包已过期：数据日期 {manifest.as_of}，"
                                    f"早于汇总日期 {today} 超过 {rollup.stale_days} 天"))
        if manifest.as_of > today:
            problems.append(Problem("future", manifest.region_code,
                                    f"下级 {name} 的数据日期 {manifest.as_of} 晚于汇总日期 {today}"))
        units = [UnitRow(shown(u[1] or ""), shown(u[2] or ""), shown(u[3] or ""), shown(u[4] or ""),
                         shown(u[5] or ""), unit_sums[n].get(u[1], NONE)) for u in listed[n]]
        members.append(MemberRow(manifest.region_code, name, manifest.as_of, sums, stale, bundle.signed,
                                 manifest.commit, units, bundle.member.site))
        outside = sorted({(u.region_code, u.region_name) for u in units if not within(u.region_code, upper.code)})
        for code, region_name in outside:
            problems.append(Problem("outside_region", manifest.region_code,
                                    f"下级 {name} 的单位登记了本级区划 {upper.name}（{upper.code}）之外的区划 "
                                    f"{region_name}（{code}）"))
    for unit_id, owners in claimed:
        names = "、".join(bundles[m].manifest.region_name for m in owners)
        problems.append(Problem("duplicate_unit", bundles[owners[0]].manifest.region_code,
                                f"单位编号 {unit_id} 同时出现在 {names} 的数据包中"))
    by_type: dict[str, list[Totals]] = {}
    for row in regions:
        by_type.setdefault(region_type(row[0]), []).append(_sums(row[1:]))
    totals = _total([m.totals for m in members])
    in_order = [(kind, _total(by_type[kind])) for kind in RegionType.ALL if kind in by_type]
    known = {row[0]: _sums(row[1:]) for row in kinds}  # a bundle's own words after the vocabulary's
    kind_order = [*(k for k in SupervisorKind.ALL if k in known), *sorted(set(known) - set(SupervisorKind.ALL))]
    return Result(upper, today, rollup.stale_days, totals, members, in_order,
                  [(kind, known[kind]) for kind in kind_order], problems)


def _total(parts: list[Totals]) -> Totals:
    return Totals(*(sum(getattr(t, key) for t in parts) for key in ("count", "amount", "repaid", "remaining",
                                                                    "settled")))
