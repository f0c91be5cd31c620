"""Per-file validation results kept by content hash, outside the repository, safe to delete.

A file's problems depend only on its path, its bytes and our code, so a second run re-checks
just the files whose hash changed and runs the cross-file rules against the cached rest. For
those rules a debt needs only its id and clue reference, so a ledger is cached in that slim
form (a province of 100,000 debts then loads in a fraction of a second).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..core.model import Ledger

_PACKAGE = Path(__file__).resolve().parents[1]


@functools.cache  # our sources do not change while a process runs
def code_version() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for source in sorted(_PACKAGE.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def cache_dir(root: Path) -> Path:
    """$QINGQIAN_CACHE, else the user's cache folder, one subfolder per data repository."""
    base = os.environ.get("QINGQIAN_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache",
                                                    "qingqian")
    repo = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return Path(base) / repo


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _store(file: Path, value: object) -> None:
    """Pickle to a temporary file, then rename: a concurrent reader sees the old or the new."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(file)
    except OSError:
        pass  # a cache that cannot be written only costs time next run


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

    def __reduce__(self):
        return (ItemRef, (self.unit, self.id, self.clue, self.at))


def slim(record):
    if isinstance(record, Ledger):
        items = [ItemRef(i.unit, i.id, i.clue, {"clue": i.at["clue"]} if i.clue else {}) for i in record.items]
        return replace(record, items=items, at={"unit": record.at["unit"]})
    return record


SHARDS = 64  # a change rewrites only the shards of the files it touched


def _shard(path: str) -> int:
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=2).digest()) % SHARDS


@dataclass
class ResultCache:
    root: Path
    campaign: str = ""  # the campaign dates the results were checked against
    entries: dict[str, tuple[str, object]] = field(default_factory=dict)  # path -> (hash, FileResult)
    dirty: set[int] = field(default_factory=set)  # shards to write back

    @property
    def folder(self) -> Path:
        campaign = hashlib.blake2b(self.campaign.encode(), digest_size=4).hexdigest()
        return cache_dir(self.root) / f"validate-{code_version()}-{campaign}"

    @classmethod
    def open(cls, root: Path, campaign: object = None) -> ResultCache:
        """`campaign`: the configured dates, whose repr keys the results (warnings depend on them)."""
        cache = cls(root, repr(campaign))
        for n in range(SHARDS):
            try:
                cache.entries.update(pickle.loads((cache.folder / f"{n:02d}.pickle").read_bytes()))
            except FileNotFoundError:
                continue
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
                cache.dirty.add(n)  # unreadable: its files are checked afresh and the shard rewritten
        return cache

    def get(self, path: str, digest: str):
        entry = self.entries.get(path)
        return entry[1] if entry is not None and entry[0] == digest else None

    def put(self, path: str, digest: str, result) -> None:
        self.entries[path] = (digest, replace(result, record=slim(result.record)))
        self.dirty.add(_shard(path))

    def keep_only(self, paths: set[str]) -> None:
        for gone in set(self.entries) - paths:
            del self.entries[gone]
            self.dirty.add(_shard(gone))

    def save(self) -> None:
        if not self.dirty:
            return
        shards: dict[int, dict] = {n: {} for n in self.dirty}
        for path, entry in self.entries.items():
            if (n := _shard(path)) in shards:
                shards[n][path] = entry
        for n, entries in shards.items():
            _store(self.folder / f"{n:02d}.pickle", entries)
        self.dirty.clear()


@dataclass
class FactCache:
    """Small facts kept by blob id (content), in one file per kind beside the validation cache."""

    root: Path
    kind: str
    entries: dict[str, Any] = field(default_factory=dict)  # blob -> the facts its stage derived
    changed: bool = False

    @property
    def file(self) -> Path:
        return cache_dir(self.root) / f"{self.kind}-{code_version()}.pickle"

    @classmethod
    def open(cls, root: Path, kind: str) -> FactCache:
        cache = cls(root, kind)
        try:
            cache.entries = pickle.loads(cache.file.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            cache.entries = {}
        return cache

    def put(self, blob: str, facts: Any) -> None:
        self.entries[blob] = facts
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        _store(self.file, self.entries)
        self.changed = False
