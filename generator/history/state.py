"""The ledgers as they stood at any moment, read from the Git history of the main line.

A report's state is the tree of the last first-parent commit that had landed on main by the
cut-off. A commit's landing time is the later of its own committer time and that of every
first-parent ancestor: a commit can never count before its parent, whatever clock made it
(a back-dated clock, or a rebased commit keeping an old date). Files are parsed once per blob
id (the same content is never read twice, however many commits share it), and blobs are read
in bulk through one `git cat-file --batch`.

A file that fails validation at a cut-off is not counted as fact: the state keeps the last
valid version of that file on the main line (or nothing, if it never had one) and says so.

A history read with `cache=True` also keeps each file's check result across runs, by path and
blob id, in the user's cache (JSON under an HMAC, like the validation cache): a build whose
states are those of the last build (本期变化's previous period, a report's start) parses
none of their files again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from ..core.gitrepo import SUBMODULE, SYMLINK, git, read_blobs
from ..core.issues import Issue
from ..core.model import Records
from ..core.schema import kind_of
from ..validate.pipeline import DATA_DIRS, FileResult, ResultStore, check_contents


@dataclass(frozen=True)
class Invalid:
    """A data file that fails validation at a commit, and what the state used instead."""

    path: str
    errors: list[Issue]
    kept_commit: str | None  # the commit of the last valid version used instead; None: left out
    kept_blob: str | None


@dataclass(frozen=True)
class State:
    """The data at one commit: what each path held (blob ids) and the records built from it.
    `blobs` are the versions counted (for an invalid file, its last valid version)."""

    commit: str | None
    time: datetime | None
    blobs: dict[str, str]
    records: Records
    invalid: list[Invalid] = field(default_factory=list)


def errors_of(result: FileResult) -> list[Issue]:
    """The errors that keep a data file out of a state (warnings do not)."""
    if kind_of(result.path) is None:  # not a data file (a README, a stray file): never counted
        return []
    return [issue for issue in result.issues if issue.severity == "error"]


def landing_times(entries: list[tuple[str, int]]) -> list[tuple[datetime, str]]:
    """(landing time, commit) oldest first, from (commit, committer time) oldest first."""
    out, latest = [], None
    for sha, stamp in entries:
        latest = stamp if latest is None else max(latest, stamp)
        out.append((datetime.fromtimestamp(latest, UTC), sha))
    return out


@dataclass
class History:
    root: Path
    commits: list[tuple[datetime, str]]  # (landing time, sha) oldest first; see History.read
    ref: str = "HEAD"
    parsed: dict[tuple[str, str], FileResult] = field(default_factory=dict)  # (path, blob) -> result
    trees: dict[str, dict[str, str]] = field(default_factory=dict)  # the last tree read, by commit
    store: ResultStore | None = field(default=None, repr=False)  # the states' results across runs

    @classmethod
    def read(cls, root: Path, ref: str = "HEAD", cache: bool = False) -> Self:
        """The main line of `ref` with the time each commit landed (raises GitError). With
        `cache`, the files of every state (`at`) are read through the per-blob results cache;
        `save` writes it back."""
        log = git(root, "log", "--first-parent", "--format=%H %ct", "--end-of-options", ref).decode()
        entries = [(sha, int(stamp)) for sha, stamp in (line.split() for line in log.splitlines())]
        return cls(root, landing_times(list(reversed(entries))), ref, store=ResultStore.open(root) if cache else None)

    def save(self) -> None:
        """Write the results cache back: the results the states of this run used."""
        if self.store is not None:
            self.store.save()

    def commit_at(self, cutoff: datetime) -> tuple[datetime, str] | None:
        """The last main-line commit that had landed by `cutoff` (landing times never go back)."""
        found = None
        for commit in self.commits:
            if commit[0] > cutoff:
                break
            found = commit
        return found

    def landed(self) -> dict[str, datetime]:
        """commit -> its landing time, for every main-line commit."""
        return {sha: when for when, sha in self.commits}

    def tree(self, commit: str) -> dict[str, str]:
        """path -> blob id of the data files at `commit`. From the previous tree asked for,
        only the differences are read: a day's commit touches a few files of thousands."""
        if commit in self.trees:
            return self.trees[commit]
        if not self.trees:
            listing = git(self.root, "ls-tree", "-r", "-z", commit, "--", *DATA_DIRS).decode("utf-8")
            blobs = {}
            for entry in filter(None, listing.split("\0")):
                meta, path = entry.split("\t", 1)
                mode, kind, blob = meta.split()
                if kind == "blob" and mode != SYMLINK:
                    blobs[path] = blob
        else:
            (previous, blobs), = self.trees.items()
            blobs = dict(blobs)
            raw = git(self.root, "diff-tree", "-r", "-z", "--no-renames", previous, commit, "--", *DATA_DIRS)
            fields = raw.decode("utf-8").split("\0")
            for meta, path in zip(fields[0:-1:2], fields[1::2], strict=True):
                _old_mode, new_mode, _old, blob, status = meta.lstrip(":").split()
                if status == "D" or new_mode in (SYMLINK, SUBMODULE):
                    blobs.pop(path, None)
                else:
                    blobs[path] = blob
        self.trees = {commit: blobs}  # only the last tree is kept: the next diff starts from it
        return blobs

    def parse(self, entries: list[tuple[str, str]], store: ResultStore | None = None) -> None:
        """Check the (path, blob) entries not parsed yet, all at once (in parallel if many);
        with `store`, those it holds are taken from it and the others put into it."""
        missing = sorted({entry for entry in entries if entry not in self.parsed})
        if store is not None:
            for path, blob in missing:
                if (kept := store.get(path, blob)) is not None:
                    self.parsed[(path, blob)] = kept
            missing = [entry for entry in missing if entry not in self.parsed]
        contents = read_blobs(self.root, {blob for _, blob in missing})
        results = check_contents([(path, contents[blob]) for path, blob in missing])
        self.parsed.update(zip(missing, results, strict=True))
        if store is not None:
            for (_path, blob), result in zip(missing, results, strict=True):
                store.put(blob, result)

    def state(self, cutoff: datetime) -> State:
        found = self.commit_at(cutoff)
        if found is None:
            return State(None, None, {}, Records())
        when, commit = found
        return self.at(commit, when)

    def at(self, commit: str, when: datetime | None = None) -> State:
        """The data at any commit (on the main line or not, such as a tagged one)."""
        blobs = dict(self.tree(commit))
        self.parse(list(blobs.items()), self.store)
        invalid = []
        for path, blob in sorted(blobs.items()):
            errors = errors_of(self.parsed[(path, blob)])
            if errors:
                kept = self.last_valid(path, commit)
                invalid.append(Invalid(path, errors, *(kept or (None, None))))
                if kept is None:
                    del blobs[path]
                else:
                    blobs[path] = kept[1]
        records = Records()
        for path, blob in sorted(blobs.items()):
            result = self.parsed[(path, blob)]
            if result.record is not None:
                records.add(result.record)
        return State(commit, when, blobs, records, invalid)

    def last_valid(self, path: str, commit: str) -> tuple[str, str] | None:
        """(commit, blob) of the newest valid version of `path` on the main line up to `commit`.
        Only asked for files that fail, which are few: one `git log` of that path."""
        raw = git(self.root, "log", "--first-parent", "--no-renames", "--raw", "--no-abbrev", "-z",
                  "--format=%x01%H", commit, "--", path).decode("utf-8")
        versions: list[tuple[str, str | None]] = []
        for chunk in filter(None, raw.split("\x01")):
            sha, _, rest = chunk.partition("\0")
            fields = rest.lstrip("\n").split("\0")
            for meta, changed in zip(fields[0:-1:2], fields[1::2], strict=False):
                _old_mode, new_mode, _old, blob, status = meta.lstrip(":").split()
                if changed == path:
                    versions.append((sha.strip(), None if status == "D" or new_mode == SYMLINK else blob))
        for sha, version in versions:  # newest first
            if version is None:
                return None  # deleted before: the version after the deletion never was valid
            self.parse([(path, version)], self.store)
            if not errors_of(self.parsed[(path, version)]):
                return sha, version
        return None

