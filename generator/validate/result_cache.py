"""Per-file validation results kept by content hash: a second run re-checks just the files
whose hash changed and runs the cross-file rules against the cached records of the rest.

The results are in 64 shards of two signed files each (cache.read_signed): `NN.records.json`,
{path: [hash, git blob id, record row]}, read whole by every run, since the cross-file rules
need every record; and `NN.issues.json`, {path: [hash, problem rows]}, read for a shard only
when one of its files' problems is asked for or the shard is rewritten: checking one changed
file reads one of the 64. A hit needs the same hash in both. The blob id lets a file that
git's index knows unchanged meet its record without being read (gitrepo.unchanged_blobs);
both ids are computed here from the bytes checked, never taken from the cache's word.

Checking one changed file at province scale reads back the records of 20,000 others, so
their form decides the time: a unit or a ledger is one flat JSON list of plain values, built
back by explicit code, with no per-object hook in the JSON decoder (an object per debt, or a
tagged dict per position, was most of a one-file check). The rare kinds (clue ledgers, cases,
measures), and any record holding a value of a type the rows do not expect, take the general
tagged form of `cache.encode`.

Reading never trusts the row: a row of a shape not written here raises Shape, ValueError,
TypeError or IndexError (cache.DECODE_ERRORS), and the entry is then a miss.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..core.issues import Issue
from ..core.model import Ledger, Unit
from ..core.running import collection_paused
from .cache import (
    CLASSES,
    DECODE_ERRORS,
    Shape,
    cache_dir,
    code_version,
    decode,
    encode,
    flat_positions,
    positions_of,
    read_signed,
    write_signed,
)
from .check_cross import LedgerRefs

UNIT_AT = ("id", "parent", "supervisor")  # the positions of a unit the cross-file rules point at


def slim(record: object) -> object:
    """What the cache keeps of a record: what the cross-file rules and the CODEOWNERS check
    read. A ledger without its debts; a unit without its codes, region and contacts (left
    empty), which were half the bytes read back."""
    if isinstance(record, Ledger):
        return LedgerRefs.of(record)
    if isinstance(record, Unit):
        return replace(record, credit_code="", region_code="", region_name="", leader={}, liaison={},
                       at={key: record.at[key] for key in UNIT_AT if key in record.at})
    return record


def _strings(values: object) -> bool:
    return isinstance(values, list) and all(type(v) is str for v in values)


def _optional(value: object) -> bool:
    return value is None or type(value) is str


def _unit_row(unit: Unit) -> list | None:
    if not (all(type(t) is str for t in (unit.id, unit.name, unit.type, unit.status)) and _optional(unit.parent)
            and _optional(unit.supervisor) and _strings(unit.maintainers)
            and (unit.halted is None or type(unit.halted) is date)):
        return None
    return ["u", unit.id, unit.name, unit.type, unit.parent, unit.supervisor, unit.status, unit.maintainers,
            flat_positions(unit.at), unit.halted and unit.halted.isoformat()]


def _ledger_row(refs: LedgerRefs) -> list | None:
    if not (type(refs.unit) is str and type(refs.as_of) is date and _strings(refs.item_ids)
            and _strings(refs.broken_ids) and all(type(by) is str for by, _where in refs.followup_by)
            and all(type(received) is date for _id, received, _where in refs.pending_requests)):
        return None
    return ["l", refs.unit, refs.as_of.isoformat(), refs.item_ids,
            [x for item_id, clue, (line, col) in refs.clue_refs for x in (item_id, clue, line, col)],
            flat_positions(refs.at), refs.broken_ids,
            [x for by, (line, col) in refs.followup_by for x in (by, line, col)],
            [x for item_id, received, (line, col) in refs.pending_requests
             for x in (item_id, received.isoformat(), line, col)]]


def record_row(record: object) -> Any:
    """The JSON-ready row of a slim record (None for none)."""
    if record is None:
        return None
    row = _unit_row(record) if isinstance(record, Unit) else _ledger_row(record) \
        if isinstance(record, LedgerRefs) else None
    return row if row is not None else ["o", json.dumps(encode(record), ensure_ascii=False, separators=(",", ":"))]


def record_of(path: str, row: Any) -> object:
    """The slim record a row (of the file at `path`) stands for."""
    if row is None:
        return None
    tag = row[0]
    if tag == "l":
        _tag, unit, as_of, ids, clues, at, broken, followups, pending = row
        return LedgerRefs(unit, date.fromisoformat(as_of), ids,
                          [(clues[i], clues[i + 1], (clues[i + 2], clues[i + 3])) for i in range(0, len(clues), 4)],
                          path, positions_of(at), broken,
                          [(followups[i], (followups[i + 1], followups[i + 2])) for i in range(0, len(followups), 3)],
                          [(pending[i], date.fromisoformat(pending[i + 1]), (pending[i + 2], pending[i + 3]))
                           for i in range(0, len(pending), 4)])
    if tag == "u":
        _tag, unit_id, name, kind, parent, supervisor, status, maintainers, at, halted = row
        return Unit(unit_id, name, "", kind, "", "", parent, supervisor, status, {}, {}, maintainers, path,
                    positions_of(at), halted and date.fromisoformat(halted))
    if tag == "o" and len(row) == 2:
        record = decode(row[1].encode())
        if type(record) not in CLASSES.values() or getattr(record, "path", path) != path:
            raise Shape("not a record of this file")
        return record
    raise Shape("not a record row")


def issue_rows(issues: list[Issue]) -> list[list]:
    return [[i.path, i.line, i.col, i.code, i.message, i.severity, i.sheet] for i in issues]


def issues_of(rows: Any) -> list[Issue]:
    if not isinstance(rows, list):
        raise Shape("not a list of problems")
    issues = [Issue(*row) for row in rows]
    if not all(type(i.path) is str and type(i.line) is int and type(i.col) is int and type(i.code) is str
               and type(i.message) is str for i in issues):
        raise Shape("not a problem")
    return issues


SHARDS = 64  # a change rewrites only the shards of the files it touched


def shard_of(path: str) -> int:
    # crc32, not a cryptographic hash: only a spread, asked for each of 20,000 paths every run
    return zlib.crc32(path.encode()) % SHARDS


def encoded(record: object, issues: list[Issue]) -> tuple[str, str]:
    """The JSON of a file's slim record row and of its problem rows, made where the file was
    checked so that the parent only joins them into shards."""
    return (json.dumps(record_row(record), ensure_ascii=False, separators=(",", ":")),
            json.dumps(issue_rows(issues), ensure_ascii=False, separators=(",", ":")))


def _read(file: Path, n: int, size: int) -> dict[str, list]:
    """{path: [hash, ...]} of a shard file of entries of `size` values, {} when there is none;
    Shape etc. when it is not ours."""
    if not file.exists():
        return {}
    payload = read_signed(file)
    if payload is None:
        raise Shape("not ours")
    entries = json.loads(payload)
    if not isinstance(entries, dict):
        raise Shape("not a shard")
    out = {}
    for path, entry in entries.items():
        if type(entry) is not list or len(entry) != size or type(entry[0]) is not str or shard_of(path) != n:
            raise Shape("not an entry of this shard")
        out[path] = entry
    return out


@dataclass
class ResultCache:
    root: Path
    campaign: str = ""  # the campaign dates the results were checked against
    records: dict[str, tuple[str, str, Any]] = field(default_factory=dict)  # path -> (hash, blob id, slim record)
    issues: dict[str, tuple[str, Any]] = field(default_factory=dict)  # path -> (hash, rows or list[Issue])
    read: set[int] = field(default_factory=set)  # shards whose issues file was read
    dirty: set[int] = field(default_factory=set)  # shards to write back
    made: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> `encoded` by its checker

    @property
    def folder(self) -> Path:
        campaign = hashlib.blake2b(self.campaign.encode(), digest_size=4).hexdigest()
        return cache_dir(self.root) / f"validate-{code_version()}-{campaign}"

    def _file(self, n: int, kind: str) -> Path:
        return self.folder / f"{n:02d}.{kind}.json"

    @classmethod
    def open(cls, root: Path, campaign: object = None) -> ResultCache:
        """`campaign`: the configured dates, whose repr keys the results (warnings depend on them)."""
        cache = cls(root, campaign=repr(campaign))
        folder = cache.folder  # resolves the root: once, not per shard
        with collection_paused():  # no cycles among them, and the heap grows by 20,000 records
            cache._read_records(folder)
        return cache

    def _read_records(self, folder: Path) -> None:
        for n in range(SHARDS):
            try:
                entries = _read(folder / f"{n:02d}.records.json", n, 3)
                self.records.update({path: (digest, blob if type(blob) is str else "", record_of(path, row))
                                     for path, (digest, blob, row) in entries.items()})
            except DECODE_ERRORS:
                self.dirty.add(n)  # unreadable: its files are checked afresh and the shard rewritten

    def _read_issues(self, n: int) -> None:
        if n in self.read:
            return
        self.read.add(n)
        try:
            for path, (digest, rows) in _read(self._file(n, "issues"), n, 2).items():
                self.issues.setdefault(path, (digest, rows))
        except DECODE_ERRORS:
            self.dirty.add(n)

    def get(self, path: str, digest: str, with_issues: bool = True) -> tuple[list[Issue], Any] | None:
        """(issues, slim record) of the file with this content; without `with_issues`, no issues
        (the caller reports none of this file's own problems, and its shard's issues stay unread)."""
        entry = self.records.get(path)
        if entry is None or entry[0] != digest:
            return None
        if not with_issues:
            return [], entry[2]
        self._read_issues(shard_of(path))
        found = self.issues.get(path)
        if found is None or found[0] != digest:
            return None
        if not isinstance(issues := found[1], _Issues):
            try:
                issues = _Issues(issues_of(issues))
            except DECODE_ERRORS:
                return None
            self.issues[path] = (digest, issues)
        return list(issues), entry[2]

    def get_known(self, path: str, blob: str) -> tuple[list[Issue], Any] | None:
        """Like `get` without issues, for a file git's index holds unchanged as this blob."""
        entry = self.records.get(path)
        return ([], entry[2]) if entry is not None and entry[1] and entry[1] == blob else None

    def put(self, path: str, digest: str, blob: str, issues: list[Issue], record: Any,
            made: tuple[str, str] | None = None) -> None:
        """`made`: the entry as `encoded` wrote it where the file was checked, `record` then
        already slim."""
        n = shard_of(path)
        self._read_issues(n)
        self.records[path] = (digest, blob, record if made is not None else slim(record))
        self.issues[path] = (digest, _Issues(issues))
        if made is None:
            self.made.pop(path, None)
        else:
            self.made[path] = made
        self.dirty.add(n)

    def keep_only(self, paths: set[str]) -> None:
        for gone in set(self.records) - paths:
            self._read_issues(shard_of(gone))
            del self.records[gone]
            self.issues.pop(gone, None)
            self.made.pop(gone, None)
            self.dirty.add(shard_of(gone))

    def save(self) -> None:
        if not self.dirty:
            return
        for n in self.dirty:
            self._read_issues(n)
        shards: dict[int, tuple[list[str], list[str]]] = {n: ([], []) for n in self.dirty}
        for path, (digest, blob, record) in self.records.items():
            if (n := shard_of(path)) not in shards:
                continue
            issues = self.issues.get(path)
            if issues is None or issues[0] != digest:
                continue  # its problems are unknown: the file is checked again when they are asked for
            record_json, issues_json = self.made.get(path) or (
                json.dumps(record_row(record), ensure_ascii=False, separators=(",", ":")),
                json.dumps(issue_rows(issues[1]) if isinstance(issues[1], _Issues) else issues[1],
                           ensure_ascii=False, separators=(",", ":")))
            key = json.dumps(path, ensure_ascii=False)
            shards[n][0].append(f"{key}:[{json.dumps(digest)},{json.dumps(blob)},{record_json}]")
            shards[n][1].append(f"{key}:[{json.dumps(digest)},{issues_json}]")
        for n, (record_entries, issue_entries) in shards.items():
            write_signed(self._file(n, "issues"), ("{" + ",".join(issue_entries) + "}").encode())
            write_signed(self._file(n, "records"), ("{" + ",".join(record_entries) + "}").encode())
        self.dirty.clear()


class _Issues(list[Issue]):
    """Problems already made into Issues (the rows read from a shard are plain lists)."""
