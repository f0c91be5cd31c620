"""The data repository a command works on, and git access for every stage: one way to run
git, one error with a Chinese message. No other module runs git."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .config import Config, load_config

# git tree modes: a plain file, an executable one, a symbolic link, a submodule (a commit)
REGULAR, EXECUTABLE, SYMLINK, SUBMODULE = "100644", "100755", "120000", "160000"


class GitError(Exception):
    """The base revision cannot be read; the message is Chinese."""


def git(root: Path, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
    """Run git in `root`; `env` replaces the environment (pass os.environ's copy to extend it)."""
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, input=stdin, env=env)
    if result.returncode:
        raise GitError(result.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} 失败")
    return result.stdout


@dataclass(frozen=True)
class Repo:
    """The data repository one command works on, opened once by the command and passed on as
    one object: its root, its configuration (`qingqian.yaml`, read once, when first asked
    for, so a command that never needs it never fails on it) and git run in it."""

    root: Path

    @classmethod
    def at(cls, place: Repo | Path) -> Repo:
        """`place` as a repository: library entry points take a folder too (tests, tools)."""
        return place if isinstance(place, Repo) else cls(place)

    @cached_property
    def config(self) -> Config:
        return load_config(self.root)

    def git(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
        return git(self.root, *args, stdin=stdin, env=env)


def read_blobs(root: Path, blobs: set[str]) -> dict[str, bytes]:
    """Many blobs through one `git cat-file --batch`, instead of one process per file."""
    if not blobs:
        return {}
    ordered = sorted(blobs)
    request = "".join(f"{blob}\n" for blob in ordered).encode()
    output = git(root, "cat-file", "--batch", stdin=request)
    contents, offset = {}, 0
    for blob in ordered:
        header_end = output.index(b"\n", offset)
        size = int(output[offset:header_end].split()[2])
        start = header_end + 1
        contents[blob] = output[start:start + size]
        offset = start + size + 1  # content is followed by a newline
    return contents


def start_from_remote(root: Path, branch: str) -> None:
    """Before writing to a branch that is pushed: fetch origin's copy and build on it.
    Local commits that never reached origin (a failed push) are dropped, to be made again on
    top of what origin has; a remote without the branch leaves the local one as it is."""
    try:
        listed = git(root, "ls-remote", "--heads", "origin", f"refs/heads/{branch}")
    except GitError as exc:
        raise GitError(f"无法连接远程仓库 origin：{exc}") from None
    if not listed.strip():
        return
    git(root, "fetch", "-q", "origin", f"+refs/heads/{branch}:refs/remotes/origin/{branch}")
    git(root, "update-ref", f"refs/heads/{branch}", f"refs/remotes/origin/{branch}")


def push(root: Path, branch: str) -> None:
    try:
        git(root, "push", "-q", "origin", f"refs/heads/{branch}:refs/heads/{branch}")
    except GitError as exc:
        raise GitError(f"推送分支 {branch} 失败（再次运行同一命令会先取回远程分支再重做）：{exc}") from None


def unchanged_blobs(root: Path, folders: tuple[str, ...]) -> dict[str, str]:
    """{path relative to `root`: blob id} of the regular files under `folders` whose work-tree
    copy git itself finds unchanged from its index: its own stat cache (`ls-files` less what
    `diff-files` lists), so their content is known without reading them. Entries git is told
    not to look at (assume-unchanged, skip-worktree) are left out, and everything is when
    `root` is in no git work tree or git cannot run."""
    try:
        listed = git(root, "ls-files", "--stage", "-v", "-z", "--", *folders)
        changed = set(git(root, "diff-files", "--name-only", "--relative", "-z", "--", *folders).split(b"\0"))
    except (GitError, OSError):
        return {}
    blobs = {}
    for entry in listed.split(b"\0"):
        info, _, name = entry.partition(b"\t")
        fields = info.split(b" ")  # tag, mode, blob id, stage; tag H: tracked and looked at
        if (len(fields) == 4 and fields[0] == b"H" and fields[1].decode() in (REGULAR, EXECUTABLE) and fields[3] == b"0"
                and name not in changed):
            blobs[os.fsdecode(name)] = fields[2].decode()
    return blobs
