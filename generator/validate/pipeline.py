"""Load and check a whole data repository: per-file work in parallel, then cross-file checks.

`check_one` depends on one file's bytes only, so its result can be computed in any process
and reused for the same content.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from ..core.builders import BUILDERS
from ..core.config import DEFAULT_CAMPAIGN, Campaign
from ..core.gitrepo import Repo, unchanged_blobs
from ..core.issues import Issue, make, readable_name, sort_key
from ..core.load import load_file
from ..core.model import Ledger, Records
from ..core.running import collection_paused, in_chunks, kept_out_of_collection
from ..core.schema import KINDS, kind_of
from . import codeowners
from .cache import CLASSES, FactCache, blob_id, content_hash
from .check_change import changes, check_change
from .check_cross import LedgerRefs, check_cross
from .check_file import check_record
from .check_schema import check_schema
from .result_cache import ResultCache, encoded, slim

DATA_DIRS = ("units", "ledgers")
# Problems that depend on today's date: a date in the future today is not tomorrow, so a
# result holding one is re-checked every run (a result without one stays true as time passes).
UNCACHED = {"E321"}
BAD_NAME = "文件名不是 UTF-8 编码或含有控制字符，请改用普通的文件名"


@dataclass
class FileResult:
    path: str
    issues: list[Issue]
    record: object | None


@dataclass
class ResultStore:
    """Check results of data files kept across runs by (path, blob): a result depends on the
    path too (its kind, the unit id it must name). Only the entries used since `open` are
    written back, so the cache holds the versions the last build asked for, not the history.
    A result from here has its errors only: what a state of the history needs (history.state)."""

    cache: FactCache
    used: set[str] = field(default_factory=set)

    KIND = "states"

    @classmethod
    def open(cls, root: Path) -> ResultStore:
        return cls(FactCache.open(root, cls.KIND))

    def get(self, path: str, blob: str) -> FileResult | None:
        """The kept result, or None when there is none or it is not of the shape `put` writes."""
        key = f"{blob} {path}"
        hit = self.cache.entries.get(key)
        if not (isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], list)
                and all(isinstance(issue, Issue) for issue in hit[0])
                and (hit[1] is None or type(hit[1]) in CLASSES.values())):
            return None
        self.used.add(key)
        return FileResult(path, hit[0], hit[1])

    def put(self, blob: str, result: FileResult) -> None:
        """Keep a fresh result: its errors and record. A state counts errors only (history.state.errors_of),
        so warnings are not kept; a result with an error that depends on today (a date in the
        future) is not kept at all, it is checked again next time."""
        if readable_name(result.path) and not any(issue.code in UNCACHED for issue in result.issues):
            key = f"{blob} {result.path}"
            self.cache.put(key, ([issue for issue in result.issues if issue.severity == "error"], result.record))
            self.used.add(key)

    def save(self) -> None:
        if set(self.cache.entries) != self.used:
            self.cache.entries = {key: self.cache.entries[key] for key in self.used}
            self.cache.changed = True
        self.cache.save()


@dataclass
class ValidationReport:
    issues: list[Issue]
    records: Records
    files: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    hidden_warnings: int = 0  # warnings in files a change left alone (see validate_repo)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def valid(self) -> bool:
        return not self.errors


def check_one(path: str, data: bytes, campaign: Campaign = DEFAULT_CAMPAIGN) -> FileResult:
    """One file's problems; the campaign dates decide the plan and new-arrears warnings."""
    if not readable_name(path):
        return FileResult(path, [make(path, 1, 1, "E110", BAD_NAME)], None)
    kind = kind_of(path)
    if kind is None:
        return FileResult(path, [make(path, 1, 1, "E110", _where_files_go())], None)
    loaded = load_file(path, data)
    if loaded.tree is None:
        return FileResult(path, loaded.issues, None)
    issues = loaded.issues + check_schema(path, kind, loaded.tree)
    record = BUILDERS[kind](path, loaded.tree)
    if record is not None:
        issues += check_record(path, loaded.tree, record, campaign)
    return FileResult(path, issues, record)


def _where_files_go() -> str:
    places = "；".join(folder if folder.endswith(".yaml") else f"{folder}/*.yaml"
                      for folder, _s, _t in KINDS.values())
    return f"数据文件只能放在：{places}"


def data_files(root: Path) -> list[str]:
    """Every file under the data folders, as sorted paths relative to the root."""
    found = []
    for top in DATA_DIRS:
        if not (root / top).is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root / top):
            dirnames.sort()
            relative = os.path.relpath(dirpath, root).replace(os.sep, "/")
            found += [f"{relative}/{name}" for name in filenames
                      if not name.startswith(".") and name.lower() != "readme.md"]
    return sorted(found)


def _read(root: Path | str, path: str) -> bytes:
    # os.read rather than open(): a cached check reads every file of a province to hash it,
    # and the file object's setup was half of that time
    fd = os.open(os.path.join(root, path), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = [os.read(fd, 16384)]
        while parts[-1]:
            parts.append(os.read(fd, 16384))
    finally:
        os.close(fd)
    return parts[0] if len(parts) == 2 else b"".join(parts)


def _check_batch(root: str, campaign: Campaign, paths: list[str]) -> list[FileResult]:
    return [check_one(p, _read(root, p), campaign) for p in paths]


def _check_pairs(campaign: Campaign, pairs: list[tuple[str, bytes]]) -> list[FileResult]:
    return [check_one(path, data, campaign) for path, data in pairs]


def check_files(root: Path, paths: list[str], jobs: int | None = None,
                campaign: Campaign = DEFAULT_CAMPAIGN) -> list[FileResult]:
    """check_one for files on disk, in parallel when there are many."""
    return in_chunks(partial(_check_batch, str(root), campaign), paths, jobs)


def check_contents(pairs: list[tuple[str, bytes]], jobs: int | None = None,
                   campaign: Campaign = DEFAULT_CAMPAIGN) -> list[FileResult]:
    """check_one for (path, bytes) pairs, such as blobs read from the history."""
    return in_chunks(partial(_check_pairs, campaign), pairs, jobs)


def _check_for_cache(root: str, campaign: Campaign,
                     paths: list[str]) -> list[tuple[FileResult, str, str, tuple[str, str] | None]]:
    """check_one of files on disk with what the cache keeps of each: (the result with its
    record slim, the content hash and git blob id of the bytes checked, the cache entry as
    JSON or None when the result may not be kept). Made in the worker that checked the file, so that only slim
    records cross between processes and the parent just joins the entries into shards."""
    out = []
    for path in paths:
        data = _read(root, path)
        result = check_one(path, data, campaign)
        record, digest = slim(result.record), content_hash(data)
        keep = readable_name(path) and not any(issue.code in UNCACHED for issue in result.issues)
        out.append((FileResult(path, result.issues, record), digest, blob_id(data),
                    encoded(record, result.issues) if keep else None))
    return out


def cached_check_files(root: Path, paths: list[str], jobs: int | None, campaign: Campaign = DEFAULT_CAMPAIGN,
                       wanted: set[str] | None = None, settle: Callable[[], None] = lambda: None) -> list[FileResult]:
    """check_files for the files whose content changed since the cached run; the rest from
    the cache. Ledgers come in their slim form (enough for the cross-file rules); a cached
    file outside `wanted` (None: all) comes without its own problems, which are not reported,
    and without being read when git's index holds it unchanged (the pre-commit case).
    `settle` is called once the cached records are read (see running.kept_out_of_collection)."""
    with collection_paused():  # settled before the collector would walk the records just read
        store = ResultCache.open(root, campaign)
        settle()
    known = unchanged_blobs(root, DATA_DIRS) if wanted is not None and store.records else {}
    hits = {}
    for path in paths:
        if path not in store.records:
            continue  # a file the cache does not know is a miss without reading it here
        blob = known.get(path) if wanted is not None and path not in wanted else None
        hit = store.get_known(path, blob) if blob else None
        if hit is None:
            hit = store.get(path, content_hash(_read(root, path)), wanted is None or path in wanted)
        if hit is not None:
            hits[path] = hit
    fresh = iter(in_chunks(partial(_check_for_cache, str(root), campaign), [p for p in paths if p not in hits], jobs))
    results = []
    for path in paths:
        if path in hits:
            results.append(FileResult(path, *hits[path]))
            continue
        result, digest, blob, made = next(fresh)
        if made is not None:
            store.put(path, digest, blob, result.issues, result.record, made)
        results.append(result)
    store.keep_only(set(paths))
    store.save()
    return results


def combined(repo: Repo, results: list[FileResult], only: list[str] | None = None,
             today: date | None = None) -> tuple[Records, list[Issue]]:
    """The records of per-file `results` (in path order) and their problems: the per-file ones
    (of the `only` paths, if given) and the cross-file ones, which need every record. `serve`
    calls it with the results it keeps, after re-checking just the files that changed."""
    records = Records()
    cached: list[LedgerRefs] = []  # ledgers read back from the validation cache, without their debts
    issues: list[Issue] = []
    wanted = set(only) if only is not None else None
    for result in results:
        if isinstance(result.record, LedgerRefs):
            cached.append(result.record)
        elif result.record is not None:
            records.add(result.record)
        else:
            records.unreadable.add(result.path)
        if wanted is None or result.path in wanted:
            issues.extend(result.issues)
    issues.extend(check_cross(records, repo.config.campaign, today or date.today(), cached))
    issues.extend(codeowners.check(repo.root, records, repo.config.forge))
    return records, issues


def validate_repo(repo: Repo | Path, only: list[str] | None = None, jobs: int | None = None,
                  base: str | None = None, actors: list[str] | None = None, cache: bool = False,
                  today: date | None = None, all_warnings: bool = True) -> ValidationReport:
    """Check every data file; with `only`, report per-file problems of those paths alone
    (cross-file problems are always reported, since a change can break another file).
    With `base`, also check the change against that git revision (and, with `actors`, the
    pull request's author and its commits' authors, who made it); a base that cannot be read
    raises check_change.GitError. With `cache`, per-file
    results come from the content-hash cache where they can, and the report's ledgers are
    slim (ids and references only): for `validate`, not for stages that need the debts.
    With `base` and not `all_warnings`, warnings are kept only for the files the change touched:
    a pull request's author answers for those, not for the 300 older ones elsewhere."""
    repo = Repo.at(repo)
    root, campaign = repo.root, repo.config.campaign
    paths = data_files(root)
    wanted = set(only) if only is not None else None
    if cache:  # the cached records of a province, kept to the end, out of the collector's passes
        with kept_out_of_collection() as settle:
            results = cached_check_files(root, paths, jobs, campaign, wanted, settle)
            records, issues = combined(repo, results, only, today)
    else:
        results = check_files(root, paths, jobs, campaign)
        records, issues = combined(repo, results, only, today)
    hidden = 0
    if base is not None:
        issues.extend(check_change(root, base, actors))
        if not all_warnings:
            touched = {path for c in changes(root, base) for path in (c.path, c.old_path)}
            kept = [i for i in issues if i.severity == "error" or i.path in touched]
            hidden, issues = len(issues) - len(kept), kept
    stats = {
        "units": len(records.units),
        "ledgers": sum(isinstance(r.record, Ledger | LedgerRefs) for r in results),
        "items": sum(len(r.record.items) if isinstance(r.record, Ledger) else len(r.record.item_ids)
                     for r in results if isinstance(r.record, Ledger | LedgerRefs)),
        "clues": sum(len(c.clues) for c in records.clue_ledgers),
        "cases": len(records.cases),
        "measures": len(records.measures),
    }
    return ValidationReport(sorted(issues, key=sort_key), records, len(paths), stats, hidden)
