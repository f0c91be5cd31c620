"""Versioned publishing with mike: one version per reporting period on a pages branch.

mike commits a built site under `<version>/` on the branch and records it in versions.json;
older versions are never touched by a newer publish. We build the site ourselves (the
pipeline has stages before mkdocs), then mike commits it (pages_branch.py, in a process
started in the repository, since mike works on the current directory).

`latest` only ever moves forward: re-publishing an older period keeps it on the newest one.
With `push`, the branch is first fetched from origin and the site committed on top of it, so
a publish that failed to push (origin unreachable, or moved meanwhile) is simply run again.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from ..core.gitrepo import GitError, Repo, push, start_from_remote
from ..core.model import Records
from ..site.build import PRODUCT, build_site
from . import PublishError
from .pages_branch import Request

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
# What sits beside the version folders at the top of a pages branch: mike's list of versions
# and the page that leads to the default one, and what the forges' pages read there.
BRANCH_FILES = frozenset({"versions.json", "index.html", "404.html", "cname", "robots.txt", "sitemap.xml"})


def _child_environment() -> dict[str, str]:
    """The environment of the child that runs mike in the data repository: it imports this
    very package (PRODUCT holds generator/) and nothing from the repository it works in, so
    neither the working directory (-P, PYTHONSAFEPATH) nor a relative PYTHONPATH entry, which
    would be read from there, is on its path."""
    inherited = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and os.path.isabs(p)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(PRODUCT), *inherited]), "PYTHONSAFEPATH": "1"}


def check_names(version: str, aliases: list[str]) -> None:
    """Refuse a version or alias mike cannot take or that would land on a file of the branch."""
    names = [version, *aliases]
    if any(not VERSION.fullmatch(name) for name in names):
        raise PublishError(f"版本和别名只能由字母、数字和 . _ - 组成，且以字母或数字开头：{' '.join(names)}")
    if taken := [name for name in names if name.casefold() in BRANCH_FILES]:
        raise PublishError(f"“{taken[0]}”是页面分支上的文件名（{'、'.join(sorted(BRANCH_FILES))}），"
                           "不能用作版本或别名")
    if version in aliases or len(set(aliases)) != len(aliases):
        raise PublishError(f"别名不能与版本“{version}”相同，也不能重复：{' '.join(aliases)}")


def publish(records: Records, repo: Repo | Path, version: str, audience: str, branch: str,
            aliases: list[str], title: str | None = None, as_of: date | None = None,
            push_to_origin: bool = False) -> list[str]:
    """Publish; gives notes for the user (such as `latest` left on a newer period)."""
    check_names(version, aliases)
    repo = Repo.at(repo)
    root = repo.root
    with tempfile.TemporaryDirectory(prefix="qingqian-publish-") as tmp:
        if push_to_origin:
            try:
                start_from_remote(root, branch)
            except GitError as exc:
                raise PublishError(f"发布前取回分支 {branch} 失败：{exc}") from exc
        out = Path(tmp) / "site"
        build_site(records, repo, audience, out, as_of, versioned=True)
        message = f"发布 {audience} 站点 {version}" + (f"（{'、'.join(aliases)}）" if aliases else "")
        request = Request(str(out), version, title or version, aliases, branch, message)
        done = subprocess.run([sys.executable, "-P", "-m", "generator.publish.pages_branch"], cwd=root,
                              env=_child_environment(), input=request.to_json(),
                              capture_output=True, text=True, encoding="utf-8")
        if done.returncode:
            raise PublishError(done.stderr.strip() or f"写入分支 {branch} 失败")
        notes: list[str] = json.loads(done.stdout)
        if push_to_origin:
            try:
                push(root, branch)
            except GitError as exc:
                raise PublishError(str(exc)) from exc
    return notes
