"""The ledgers as they stood at any moment, read from the Git history of the main line.

A report's state is the tree of the last first-parent commit whose commit time is not after
the cut-off. Files are parsed once per blob id (the same content is never read twice, however
many commits share it), and blobs are read in bulk through one `git cat-file --batch`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..core.gitrepo import SYMLINK, git
from ..core.model import Records
from ..validate.pipeline import DATA_DIRS, FileResult, check_contents


@dataclass(frozen=True)
class State:
    """The data at one commit: what each path held (blob ids) and the records built from it."""

    commit: str | None
    time: datetime | None
    blobs: dict[str, str]
    records: Records


@dataclass
class History:
    root: Path
    ref: str = "HEAD"
    commits: list[tuple[datetime, str]] = field(default_factory=list)  # oldest first
    parsed: dict[tuple[str, str], FileResult] = field(default_factory=dict)  # (path, blob) -> result
    trees: dict[str, dict[str, str]] = field(default_factory=dict)  # the last tree read, by commit

    def __post_init__(self) -> None:
        log = git(self.root, "log", "--first-parent", "--format=%H %ct", self.ref).decode()
        entries = [line.split() for line in log.splitlines()]
        self.commits = [(datetime.fromtimestamp(int(ts), UTC), sha) for sha, ts in reversed(entries)]

    def commit_at(self, cutoff: datetime) -> tuple[datetime, str] | None:
        """The last main-line commit whose commit time is not after `cutoff`."""
        # Line order, not time order: if a clock was wrong, the later commit on the line wins.
        found = None
        for commit in self.commits:
            if commit[0] <= cutoff:
                found = commit
        return found

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
                if status == "D" or new_mode in (SYMLINK, "160000"):
                    blobs.pop(path, None)
                else:
                    blobs[path] = blob
        self.trees = {commit: blobs}  # only the last tree is kept: the next diff starts from it
        return blobs

    def parse(self, entries: list[tuple[str, str]]) -> None:
        """Check the (path, blob) entries not parsed yet, all at once (in parallel if many)."""
        missing = sorted({entry for entry in entries if entry not in self.parsed})
        contents = read_blobs(self.root, {blob for _, blob in missing})
        results = check_contents([(path, contents[blob]) for path, blob in missing])
        self.parsed.update(zip(missing, results, strict=True))

    def state(self, cutoff: datetime) -> State:
        found = self.commit_at(cutoff)
        if found is None:
            return State(None, None, {}, Records())
        when, commit = found
        return self.at(commit, when)

    def at(self, commit: str, when: datetime | None = None) -> State:
        """The data at any commit (on the main line or not, such as a tagged one)."""
        blobs = self.tree(commit)
        self.parse(list(blobs.items()))
        records = Records()
        for path, blob in sorted(blobs.items()):
            result = self.parsed[(path, blob)]
            if result.record is not None:
                records.add(result.record)
        return State(commit, when, blobs, records)


def read_blobs(root: Path, blobs: set[str]) -> dict[str, bytes]:
    """Many blobs through one `git cat-file --batch`, instead of one process per file."""
    if not blobs:
        return {}
    ordered = sorted(blobs)
    request = "".join(f"{blob}\n" for blob in ordered).encode()
    output = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input=request,
                            capture_output=True, check=True).stdout
    contents, offset = {}, 0
    for blob in ordered:
        header_end = output.index(b"\n", offset)
        size = int(output[offset:header_end].split()[2])
        start = header_end + 1
        contents[blob] = output[start:start + size]
        offset = start + size + 1  # content is followed by a newline
    return contents
