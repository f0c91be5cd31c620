"""Git access for every stage: one way to run git, one error with a Chinese message."""

from __future__ import annotations

import subprocess
from pathlib import Path

SYMLINK, SUBMODULE = "120000", "160000"  # git tree modes


class GitError(Exception):
    """The base revision cannot be read; the message is Chinese."""


def git(root: Path, *args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True)
    if result.returncode:
        raise GitError(result.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} 失败")
    return result.stdout
