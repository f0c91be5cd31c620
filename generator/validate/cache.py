"""What our commands keep between runs, outside the repository, safe to delete: the signed,
JSON-only file format and the small per-blob fact caches. The per-file validation results
built on it are in result_cache.

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
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core import model
from ..core.issues import Issue
from .check_cross import LedgerRefs

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


def blob_id(data: bytes) -> str:
    """Git's id of a blob of these bytes (SHA-1 object format), to meet the ids in its index."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


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
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if value and all(type(k) is str and _is_position(v) for k, v in value.items()):
            return {"$p": flat_positions(value)}
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


def flat_positions(positions: dict[str, tuple[int, int]]) -> list:
    """A mapping of names to (line, col), the commonest object of a record, as one flat list."""
    return [x for key, (line, col) in positions.items() for x in (key, line, col)]


def positions_of(flat: list) -> dict[str, tuple[int, int]]:
    return {flat[i]: (flat[i + 1], flat[i + 2]) for i in range(0, len(flat), 3)}


_TAGS: dict[str, Any] = {
    "$p": positions_of, "$t": tuple, "$d": date.fromisoformat, "$m": Decimal,
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


DECODE_ERRORS = (Shape, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


# The only classes a cache file may name: plain values, whose construction runs no code of
# the file's choosing. A full debt (Item and its entries) is kept only by the history's
# per-blob results (history.state), never by the validation cache, which holds slim ones (result_cache).
CLASSES: dict[str, type] = {cls.__name__: cls for cls in (
    Issue, model.Unit, model.Ledger, LedgerRefs, model.ClueLedger, model.Clue, model.ProgressEntry, model.Case,
    model.MeasureLedger, model.Measure, model.Item, model.Payment, model.PlanEntry, model.Correction,
    model.Confirmation, model.Followup, model.Terms)}


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
