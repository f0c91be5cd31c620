"""Per-file validation results kept by content hash, outside the repository, safe to delete.

A file's problems depend only on its path, its bytes and our code, so a second run re-checks
just the files whose hash changed and runs the cross-file rules against the cached rest. For
those rules a debt needs only its id and clue reference, so a ledger is cached in that slim
form (a province of 100,000 debts then loads in a fraction of a second).

The cache folder may be shared or writable by others, so nothing read from it is trusted:
entries are JSON (which cannot run code) naming only the record classes listed here, each
file is authenticated by an HMAC whose key is the user's own (created 0600 beside the cache),
temporary files come from `tempfile` in the file's own folder, and anything unreadable,
unauthenticated or of an unexpected shape is a miss: the file is simply checked again.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core import model
from ..core.issues import Issue

_PACKAGE = Path(__file__).resolve().parents[1]
KEY_FILE = "hmac-key"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@functools.cache  # our sources do not change while a process runs
def code_version() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for source in sorted(_PACKAGE.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def cache_base() -> Path:
    """$QINGQIAN_CACHE, else the user's cache folder."""
    return Path(os.environ.get("QINGQIAN_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache",
                                                          "qingqian"))


def cache_dir(root: Path) -> Path:
    """One subfolder of the cache base per data repository."""
    repo = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return cache_base() / repo


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@functools.cache
def _key(base: Path) -> bytes | None:
    """The user's secret that authenticates every cache file, made once (0600). None when it
    cannot be made or trusted (another owner, readable by others): the cache is then unused."""
    path = base / KEY_FILE
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        with os.fdopen(os.open(path, os.O_RDONLY | _NOFOLLOW), "rb") as handle:
            info, key = os.fstat(handle.fileno()), handle.read()
    except OSError:
        return None
    foreign = hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077)
    return None if foreign or len(key) < 32 else key


def _mac(key: bytes, file: Path, payload: bytes) -> bytes:
    # The file's place is signed too, so an entry cannot be moved to another repository or shard.
    where = file.relative_to(cache_base()).as_posix().encode()
    return hmac.new(key, where + b"\0" + payload, hashlib.sha256).hexdigest().encode()


def read_signed(file: Path) -> bytes | None:
    """The payload of a cache file if it is ours and intact, else None."""
    key = _key(cache_base())
    if key is None:
        return None
    try:
        with os.fdopen(os.open(file, os.O_RDONLY | _NOFOLLOW), "rb") as handle:
            mac, _, payload = handle.read().partition(b"\n")
    except (OSError, ValueError):
        return None
    return payload if hmac.compare_digest(mac, _mac(key, file, payload)) else None


def write_signed(file: Path, payload: bytes) -> None:
    """Write through a fresh temporary file in the same folder, then rename: a concurrent
    reader sees the old or the new, and no name anyone could prepare is ever opened."""
    key = _key(cache_base())
    if key is None:
        return
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, partial = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_mac(key, file, payload) + b"\n" + payload)
            os.replace(partial, file)
        except BaseException:
            os.unlink(partial)
            raise
    except OSError:
        pass  # a cache that cannot be written only costs time next run


class Shape(Exception):
    """A cache entry that is not of a shape we wrote."""


def _is_position(value: Any) -> bool:
    return type(value) is tuple and len(value) == 2 and type(value[0]) is int and type(value[1]) is int


def encode(value: Any) -> Any:
    """JSON-ready form of our records: dates, decimals, bytes, tuples and the listed dataclasses
    tagged; a mapping of names to (line, col) positions, the commonest object, is one flat list."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, tuple):
        return {"$t": [encode(v) for v in value]}
    if isinstance(value, list):
        if value and all(type(v) is ItemRef for v in value):  # a slim ledger's debts: one flat row each
            return {"$i": [[r.unit, r.id, r.clue, *r.at.get("clue", ())] for r in value]}
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if value and all(type(k) is str and _is_position(v) for k, v in value.items()):
            return {"$p": [x for k, (line, col) in value.items() for x in (k, line, col)]}
        if all(type(k) is str and not k.startswith("$") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"$o": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$m": str(value)}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode()}
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and CLASSES.get(name) is type(value):
        return {"$c": name, **{f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise TypeError(f"cannot cache {type(value).__name__}")


def _positions(flat: list) -> dict[str, tuple[int, int]]:
    return {flat[i]: (flat[i + 1], flat[i + 2]) for i in range(0, len(flat), 3)}


def _item_refs(rows: list) -> list[ItemRef]:
    return [ItemRef(unit, id_, clue, {"clue": (at[0], at[1])} if at else {}) for unit, id_, clue, *at in rows]


_TAGS: dict[str, Any] = {
    "$p": _positions, "$i": _item_refs, "$t": tuple, "$d": date.fromisoformat, "$m": Decimal,
    "$b": lambda text: base64.b64decode(text, validate=True), "$o": lambda pairs: {k: v for k, v in pairs},
}


def _hook(obj: dict) -> Any:
    # Called for every JSON object, so the common cases come first and cost little. The file
    # is authenticated, so a shape we never write cannot occur; a wrong one still only raises.
    if len(obj) == 1:
        for tag, value in obj.items():
            convert = _TAGS.get(tag)
            return obj if convert is None else convert(value)
    name = obj.pop("$c", None)
    if name is None:
        return obj
    cls = CLASSES.get(name)
    if cls is None:
        raise Shape("unknown class")
    return cls(**obj)


def decode(payload: bytes) -> Any:
    """The value `encode` wrote; Shape (or ValueError/TypeError) when it is anything else."""
    return json.loads(payload, object_hook=_hook)


DECODE_ERRORS = (Shape, ValueError, TypeError, KeyError, AttributeError, RecursionError)


@dataclass(slots=True)
class ItemRef:
    """What the cross-file rules need of a debt."""

    unit: str
    id: str
    clue: str | None
    at: dict[str, tuple[int, int]]

    @property
    def ref(self) -> str:
        return f"{self.unit}/{self.id}"


# The only classes a cache file may name: plain values, whose construction runs no code of
# the file's choosing. A full debt (Item and its entries) is kept only by the history's
# per-blob results (history.state), never by the validation cache, which holds ItemRefs.
CLASSES: dict[str, type] = {cls.__name__: cls for cls in (
    Issue, ItemRef, model.Unit, model.Ledger, model.ClueLedger, model.Clue, model.ProgressEntry, model.Case,
    model.MeasureLedger, model.Measure, model.Item, model.Payment, model.PlanEntry, model.Correction,
    model.Confirmation, model.Followup)}


def slim(record):
    if isinstance(record, model.Ledger):
        items = [ItemRef(i.unit, i.id, i.clue, {"clue": i.at["clue"]} if i.clue else {}) for i in record.items]
        return replace(record, items=items, at={"unit": record.at["unit"]})
    return record


SHARDS = 64  # a change rewrites only the shards of the files it touched


def _shard(path: str) -> int:
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=2).digest()) % SHARDS


# (content hash, issues, slim record or None). A file's issues are kept as JSON text inside the
# entry and decoded when asked for: checking one changed file needs every other file's record
# for the cross-file rules, but not its warnings, which were most of the objects to decode.
Entry = tuple[str, list[Issue] | str, Any]


def _json(value: Any) -> str:
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


def entry_json(digest: str, issues: list[Issue] | str, record: Any) -> str:
    """One entry as its shard holds it; `record` slim."""
    return _json([digest, issues if isinstance(issues, str) else _json(issues), record])


def _entry(value: Any) -> Entry:
    digest, issues, record = value
    if not (isinstance(digest, str) and isinstance(issues, str)
            and (record is None or type(record) in CLASSES.values())):
        raise Shape("not an entry")
    return digest, issues, record


def _issues(text: str) -> list[Issue] | None:
    """An entry's issues, or None when the text is not a list of them (then the entry is a miss)."""
    try:
        issues = decode(text.encode())
    except DECODE_ERRORS:
        return None
    return issues if isinstance(issues, list) and all(isinstance(i, Issue) for i in issues) else None


@dataclass
class ResultCache:
    root: Path
    entries: dict[str, Entry] = field(default_factory=dict)  # path -> (hash, issues, record)
    dirty: set[int] = field(default_factory=set)  # shards to write back
    encoded: dict[str, str] = field(default_factory=dict)  # path -> its entry as JSON, if made already
    campaign: str = ""  # the campaign dates the results were checked against

    @property
    def folder(self) -> Path:
        campaign = hashlib.blake2b(self.campaign.encode(), digest_size=4).hexdigest()
        return cache_dir(self.root) / f"validate-{code_version()}-{campaign}"

    @classmethod
    def open(cls, root: Path, campaign: object = None) -> ResultCache:
        """`campaign`: the configured dates, whose repr keys the results (warnings depend on them)."""
        cache = cls(root, campaign=repr(campaign))
        folder = cache.folder  # resolves the root: once, not per shard
        for n in range(SHARDS):
            file = folder / f"{n:02d}.json"
            if not file.exists():
                continue
            payload = read_signed(file)
            try:
                if payload is None:
                    raise Shape("not ours")
                entries = decode(payload)
                if not isinstance(entries, dict):
                    raise Shape("not a shard")
                cache.entries.update({path: _entry(value) for path, value in entries.items()
                                      if isinstance(path, str) and _shard(path) == n})
            except DECODE_ERRORS:
                cache.dirty.add(n)  # unreadable: its files are checked afresh and the shard rewritten
        return cache

    def get(self, path: str, digest: str, with_issues: bool = True) -> tuple[list[Issue], Any] | None:
        """(issues, slim record) of the file with this content; without `with_issues`, no issues
        (the caller reports none of this file's own problems)."""
        entry = self.entries.get(path)
        if entry is None or entry[0] != digest:
            return None
        issues = entry[1]
        if isinstance(issues, str):
            if not with_issues:
                return [], entry[2]
            found = _issues(issues)
            if found is None:
                return None
            self.entries[path] = (digest, found, entry[2])
            issues = found
        return issues, entry[2]

    def put(self, path: str, digest: str, issues: list[Issue], record: Any, encoded: str | None = None) -> None:
        """`encoded`: the entry as `entry_json` wrote it where the file was checked, `record`
        then already slim; the shard is written by joining such entries."""
        if encoded is None:
            self.entries[path] = (digest, issues, slim(record))
            self.encoded.pop(path, None)
        else:
            self.entries[path] = (digest, issues, record)
            self.encoded[path] = encoded
        self.dirty.add(_shard(path))

    def keep_only(self, paths: set[str]) -> None:
        for gone in set(self.entries) - paths:
            del self.entries[gone]
            self.encoded.pop(gone, None)
            self.dirty.add(_shard(gone))

    def save(self) -> None:
        if not self.dirty:
            return
        shards: dict[int, list[str]] = {n: [] for n in self.dirty}
        for path, entry in self.entries.items():
            if (n := _shard(path)) in shards:  # {"path": entry, ...}: what encode() gives for the dict
                encoded = self.encoded.get(path) or entry_json(*entry)
                shards[n].append(f"{json.dumps(path, ensure_ascii=False)}:{encoded}")
        folder = self.folder
        for n, entries in shards.items():
            write_signed(folder / f"{n:02d}.json", ("{" + ",".join(entries) + "}").encode())
        self.dirty.clear()


@dataclass
class FactCache:
    """Small facts (tuples, numbers, text, dates) kept by blob id (content), in one file per
    kind beside the validation cache."""

    root: Path
    kind: str
    entries: dict[str, Any] = field(default_factory=dict)
    changed: bool = False

    @property
    def file(self) -> Path:
        return cache_dir(self.root) / f"{self.kind}-{code_version()}.json"

    @classmethod
    def open(cls, root: Path, kind: str) -> FactCache:
        cache = cls(root, kind)
        payload = read_signed(cache.file)
        try:
            entries = decode(payload) if payload is not None else {}
            cache.entries = entries if isinstance(entries, dict) else {}
        except DECODE_ERRORS:
            cache.entries = {}
        return cache

    def put(self, blob: str, facts: Any) -> None:
        self.entries[blob] = facts
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        write_signed(self.file, json.dumps(encode(self.entries), ensure_ascii=False, separators=(",", ":")).encode())
        self.changed = False
