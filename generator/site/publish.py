"""Versioned publishing with mike: one version per reporting period on a pages branch.

mike commits a built site under `<version>/` on the branch and records it in versions.json;
older versions are never touched by a newer publish. We build the site ourselves (the
pipeline has stages before mkdocs) inside mike's deploy context, which then commits it.

`latest` only ever moves forward: re-publishing an older period keeps it on the newest one.
With `push`, the branch is first fetched from origin and the site committed on top of it, so
a publish that failed to push (origin unreachable, or moved meanwhile) is simply run again.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from datetime import date
from pathlib import Path

from mike import commands as mike
from mike import git_utils

from ..core.gitrepo import GitError, push, start_from_remote
from ..core.model import Records
from . import PublishError
from .build import build_site

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
LATEST = "latest"


def newer_periods(version: str, branch: str) -> list[str]:
    """Reporting periods already on the branch that are later than `version`."""
    published = [str(info.version) for info in mike.list_versions(branch)]
    return sorted(v for v in published if PERIOD.fullmatch(v) and v > version)


def publish(records: Records, root: Path, version: str, audience: str, branch: str,
            aliases: list[str], title: str | None = None, as_of: date | None = None,
            push_to_origin: bool = False) -> list[str]:
    """Publish; gives notes for the user (such as `latest` left on a newer period)."""
    if not VERSION.fullmatch(version) or any(not VERSION.fullmatch(a) for a in aliases):
        raise PublishError(f"版本和别名只能由字母、数字和 . _ - 组成：{version} {' '.join(aliases)}")
    notes = []
    with tempfile.TemporaryDirectory(prefix="qingqian-publish-") as tmp, contextlib.chdir(root):
        if push_to_origin:
            try:
                start_from_remote(root, branch)
            except GitError as exc:
                raise PublishError(f"发布前取回分支 {branch} 失败：{exc}") from exc
        newer = newer_periods(version, branch)
        if LATEST in aliases and newer:
            aliases = [a for a in aliases if a != LATEST]
            notes.append(f"已有更新的报送期 {newer[-1]}，{LATEST} 仍指向它，不改为 {version}")
        out = Path(tmp) / "site"
        config = {"site_dir": str(out), "use_directory_urls": False}
        message = f"发布 {audience} 站点 {version}" + (f"（{'、'.join(aliases)}）" if aliases else "")
        try:
            # allow_empty: publishing the same site again still makes a commit to push
            with mike.deploy(config, version, title or version, aliases, update_aliases=True, branch=branch,
                             message=message, allow_empty=True):
                build_site(records, root, audience, out, as_of, versioned=True)
            if aliases:  # the branch's front page leads to the newest period
                mike.set_default(aliases[0], branch=branch, message=f"默认版本设为 {aliases[0]}", allow_empty=True)
        except git_utils.GitError as exc:
            raise PublishError(f"写入分支 {branch} 失败：{exc}") from exc
        if push_to_origin:
            try:
                push(root, branch)
            except GitError as exc:
                raise PublishError(str(exc)) from exc
    return notes
