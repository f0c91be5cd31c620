"""The 月调度 and 季通报 across members (DESIGN §3d): when the upper level commits its members'
bundles into its own repository (a member's `path` a folder inside it, such as members/990121),
its history holds each bundle as it stood at every cut-off, as a city's history holds its units'
ledgers. A period report then gets, per member, the figures of the bundle the repository held at
the cut-off, and how they moved since the bundle it held at the previous one.

The bundles are read from Git's objects into a private folder and pass the checks of `qingqian
rollup` (aggregate.roll_up: the manifest, every file's SHA-256, the signature against the
allowed_signers of the same commit, the totals). A refused bundle is not counted: it is listed
with its code and the member's name, and the report goes on with the others.

Movement from two bundles: a debt in both is repaid by the rise of its repaid amount (待核实
already out of it), whatever else moved its remaining is 更正; a debt only in the later bundle is
新增, only in the earlier 移出. That is the member's own report's movement, unless within the
period a recorded payment was withdrawn or changed (a bundle shows the net; the member's own
report puts the withdrawn part under 更正). A member with no bundle counted at the previous cut-off
enters whole as 新增; one counted then and not now (missing, refused) leaves as 移出 in the total.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path, PurePosixPath

import pandas as pd
import pyarrow.parquet as pq

from ..analysis.stats import rate
from ..core.config import Config, ConfigError, Member
from ..core.gitrepo import SYMLINK, git, read_blobs
from ..core.issues import shown
from ..core.money import fen
from ..history import MemberProblem
from ..history.period_report import local_day
from ..history.report_data import Movement, PeriodReport, RegionRow
from ..history.state import History
from . import RollupError
from .aggregate import Result, roll_up
from .bundle import Region, region_of
from .members import FILE_LIMIT, is_url, label

MONEY = ("amount", "repaid", "remaining", "unverified")
KEYS = ["unit", "id"]


def in_repository(member: Member) -> str | None:
    """The member's folder as a path inside the repository (members/990121); None for a URL or a
    folder outside it, whose history is not the repository's."""
    if is_url(member.path):
        return None
    parts = [part for part in PurePosixPath(member.path.replace("\\", "/")).parts if part != "."]
    if not parts or parts[0] == "/" or ".." in parts:
        return None
    return "/".join(parts)


def _checkout(history: History, commit: str, paths: list[str], into: Path) -> None:
    """The files directly in the folders (and the files) `paths` as they were at `commit`, written
    under `into` at the same places; a symbolic link stays a link, for the checks to refuse it."""
    listing = git(history.root, "ls-tree", "-l", "-z", commit, "--", *paths).decode("utf-8", "replace")
    wanted: dict[str, list[Path]] = {}
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, blob, size = meta.split()
        if ".." in PurePosixPath(path).parts or kind != "blob" or int(size) > FILE_LIMIT:
            continue  # a file too large to read is missing: the manifest's check refuses the bundle
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == SYMLINK:
            os.symlink("symbolic-link", target)
        else:
            wanted.setdefault(blob, []).append(target)
    for blob, data in read_blobs(history.root, set(wanted)).items():
        for target in wanted[blob]:
            target.write_bytes(data)


def _frame(path: Path) -> pd.DataFrame:
    """A verified bundle's debts: unit, id and the money columns in fen."""
    table = pq.read_table(path)
    frame = pd.DataFrame({key: table.column(key).to_pylist() for key in KEYS})
    for name in MONEY:
        values = table.column(name).to_pylist() if name in table.column_names else [None] * len(frame)
        frame[name] = pd.Series([fen(value) if value is not None else 0 for value in values], dtype="int64")
    return frame


def _at(history: History, commit: str, day: date, config: Config,
        upper: Region) -> tuple[Result | None, dict[str, pd.DataFrame], list[MemberProblem]]:
    """The roll-up of the members' bundles as they were at `commit`, stale as of `day`; each
    member's debts by region code; the problems, refusals first."""
    rollup, problems, inside = config.rollup, [], []
    for member in rollup.members:
        if (folder := in_repository(member)) is None:
            problems.append(MemberProblem("W803", f"下级 {label(member)} 的数据包不在本级仓库中"
                                          f"（{shown(member.path)}）：历史报告只读取提交在本级仓库中的数据包"))
        else:
            inside.append((member, folder))
    with tempfile.TemporaryDirectory(prefix="qingqian-periods-") as tmp:
        root = Path(tmp)
        _checkout(history, commit, [f"{folder}/" for _member, folder in inside] +
                  ([rollup.allowed_signers] if rollup.allowed_signers else []), root)
        members = [member for member, _folder in inside]
        while True:
            try:
                result = roll_up(root, replace(rollup, members=tuple(members)), upper, day)
                break
            except RollupError as exc:  # not counted; the others are
                problems.append(MemberProblem(exc.code, str(exc)))
                members = [member for member in members if exc.region and member.region != exc.region]
            except ConfigError as exc:  # allowed_signers not in that commit: no signature can be checked
                problems.append(MemberProblem("E802", str(exc)))
                return None, {}, problems
        folders = {member.region: folder for member, folder in inside}
        frames = {row.region_code: _frame(root / folders[row.region_code] / "debts.parquet")
                  for row in result.members}
    problems += [MemberProblem(p.code, p.message) for p in result.problems]
    return result, frames, problems


def movement(old: pd.DataFrame, new: pd.DataFrame) -> Movement:
    """How a member's remaining moved from one bundle to the next (see the module's text)."""
    both = old.merge(new, on=KEYS, how="outer", suffixes=("_old", ""), indicator=True)
    kept = both["_merge"] == "both"
    opening, closing = int(old["remaining"].sum()), int(new["remaining"].sum())
    added = int(both.loc[both["_merge"] == "right_only", "remaining"].sum())
    left = int(both.loc[both["_merge"] == "left_only", "remaining_old"].sum())
    repaid = int((both["repaid"] - both["repaid_old"]).where(kept, 0).clip(lower=0).sum())
    return Movement(opening, added, repaid, closing - opening - added + repaid + left, left, closing)


def attach(report: PeriodReport, history: History, config: Config) -> None:
    """Add the members' rows, their total and the problems of their bundles to `report`, made
    by history.period_report.build_report in an upper level's repository (rollup.members).
    BundleError when the upper level's own region cannot be told from its units."""
    if not config.rollup.members or report.commit is None:
        return
    upper = region_of(history.at(report.commit).records)
    # stale as of the cut-off; a report of a period not over yet, as of the moment it is made
    day = local_day(report.cutoff if report.final or report.data_until is None else report.data_until, config)
    result, frames, problems = _at(history, report.commit, day, config, upper)
    old: dict[str, pd.DataFrame] = {}
    if report.previous_commit is not None:
        old = _at(history, report.previous_commit, local_day(report.previous_cutoff, config), config, upper)[1]
    none = pd.DataFrame({name: pd.Series(dtype="int64") for name in MONEY}).assign(unit="", id="")
    rows = []
    for member in result.members if result else []:
        frame, sums = frames[member.region_code], member.totals
        rows.append(RegionRow(member.region_code, member.region_name, sums.count, sums.amount, sums.repaid,
                              sums.remaining, int(frame["unverified"].sum()), sums.rate,
                              movement(old.get(member.region_code, none), frame)))
    gone = [movement(frame, none) for code, frame in old.items() if code not in frames]
    report.members, report.member_problems = rows, problems
    report.members_total = [total(rows, gone)]


def total(rows: list[RegionRow], gone: list[Movement]) -> RegionRow:
    """The members' row of sums; its movement also carries the members counted at the previous
    cut-off and not at this one (移出)."""
    sums = {key: sum(getattr(row, key) for row in rows) for key in ("items", *MONEY)}
    moved = Movement(*(sum(getattr(m, key) for m in [row.movement for row in rows] + gone)
                       for key in Movement.__dataclass_fields__))
    return RegionRow("", "合计", sums["items"], sums["amount"], sums["repaid"], sums["remaining"], sums["unverified"],
                     rate(sums["repaid"], sums["amount"]), moved)
