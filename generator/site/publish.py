"""Versioned publishing with mike: one version per reporting period on a pages branch.

mike commits a built site under `<version>/` on the branch and records it in versions.json;
older versions are never touched by a newer publish. We build the site ourselves (the
pipeline has stages before mkdocs) inside mike's deploy context, which then commits it.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from mike import commands as mike
from mike import git_utils

from ..core.model import Records
from . import PublishError
from .build import build_site

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")


def publish(records: Records, root: Path, version: str, audience: str, branch: str,
            aliases: list[str], title: str | None = None, as_of: date | None = None, push: bool = False) -> None:
    if not VERSION.fullmatch(version) or any(not VERSION.fullmatch(a) for a in aliases):
        raise PublishError(f"版本和别名只能由字母、数字和 . _ - 组成：{version} {' '.join(aliases)}")
    with tempfile.TemporaryDirectory(prefix="qingqian-publish-") as tmp, contextlib.chdir(root):
        out = Path(tmp) / "site"
        config = {"site_dir": str(out), "use_directory_urls": False}
        message = f"发布 {audience} 站点 {version}" + (f"（{'、'.join(aliases)}）" if aliases else "")
        try:
            with mike.deploy(config, version, title or version, aliases, update_aliases=True, branch=branch,
                             message=message):
                build_site(records, root, audience, out, as_of, versioned=True)
            if aliases:  # the branch's front page leads to the newest period
                mike.set_default(aliases[0], branch=branch, message=f"默认版本设为 {aliases[0]}", allow_empty=True)
        except git_utils.GitError as exc:
            raise PublishError(f"写入分支 {branch} 失败：{exc}") from exc
        if push:
            result = subprocess.run(["git", "push", "origin", branch], capture_output=True, text=True)
            if result.returncode:
                raise PublishError(f"推送分支 {branch} 失败：{result.stderr.strip()}")
