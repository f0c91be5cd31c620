"""Withdraw a wrongly published case from every version already on a pages branch.

mike never touches older versions, so a case published in error would stay public in each
of them. This rewrites, in one new commit on the branch, every version's cases page (the
case's section and its table-of-contents entry) and search index, found by the case's
title; the working tree and the other files are left alone. The branch's history still
holds the old pages: to purge them, rewrite that history on the server as well.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from pathlib import Path

from ..core.gitrepo import REGULAR, SYMLINK, GitError, git
from . import PublishError

_HEADING = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _git(root: Path, *args: str, data: bytes | None = None, env: dict[str, str] | None = None) -> str:
    try:
        out = git(root, *args, stdin=data, env={**os.environ, **env} if env else None)
    except GitError as exc:
        raise PublishError(f"git {args[0]} 失败：{exc}") from None
    return out.decode("utf-8")


def _heading_text(inner: str) -> str:
    return html.unescape(_TAG.sub("", inner.split('<a class="headerlink"', 1)[0])).strip()


def without_case(page: str, title: str, case_id: str) -> tuple[str, list[str]]:
    """The cases page without the case's section, and the removed anchors. A section is the
    case's by its anchor `case-<id>` (kept when the title is edited later), or, in versions
    published before sections had it, by the heading `title`."""
    anchors = []
    for match in reversed(list(_HEADING.finditer(page))):
        if match.group(1) != f"case-{case_id}" and _heading_text(match.group(2)) != title:
            continue
        anchor = match.group(1)
        following = _HEADING.search(page, match.end())
        end = following.start() if following else page.find("</article>", match.end())
        page = page[:match.start()] + page[end if end >= 0 else match.end():]
        page = re.sub(r'<li class="md-nav__item">\s*<a href="#' + re.escape(anchor) + r'"[^>]*>.*?</li>\s*', "",
                      page, flags=re.DOTALL)
        anchors.append(anchor)
    return page, anchors


def without_entries(index: str, anchors: list[str], title: str, removed_text: list[str]) -> str:
    data = json.loads(index)
    gone = {f"cases.html#{a}" for a in anchors}
    docs = []
    for doc in data.get("docs", []):
        if doc.get("location") in gone or doc.get("title") == title:
            continue
        if doc.get("location") == "cases.html":
            for text in removed_text:
                doc["text"] = doc.get("text", "").replace(text, "")
        docs.append(doc)
    data["docs"] = docs
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def retract(root: Path, branch: str, title: str, case_id: str, push: bool = False) -> list[str]:
    """Remove the case titled `title` from every version on `branch`; the versions changed."""
    ref = f"refs/heads/{branch}"
    old = _git(root, "rev-parse", "--verify", "--quiet", ref).strip()
    listing = _git(root, "ls-tree", "-r", "-z", old).split("\0")
    blobs = {}
    for entry in filter(None, listing):
        meta, path = entry.split("\t", 1)
        mode, kind, blob = meta.split()
        if kind == "blob" and mode != SYMLINK:
            blobs[path] = blob
    changed: dict[str, bytes] = {}
    versions = []
    for path, blob in blobs.items():
        if not path.endswith("/cases.html") or path.count("/") != 1:
            continue
        version = path.split("/", 1)[0]
        page, anchors = without_case(_git(root, "cat-file", "blob", blob), title, case_id)
        if not anchors:
            continue
        versions.append(version)
        changed[path] = page.encode()
        index_path = f"{version}/search/search_index.json"
        if index_path in blobs:
            index = _git(root, "cat-file", "blob", blobs[index_path])
            changed[index_path] = without_entries(index, anchors, title, []).encode()
    if not changed:
        return []
    with tempfile.TemporaryDirectory(prefix="qingqian-retract-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        _git(root, "read-tree", old, env=env)
        for path, data in changed.items():
            blob = _git(root, "hash-object", "-w", "--stdin", data=data).strip()
            _git(root, "update-index", "--cacheinfo", f"{REGULAR},{blob},{path}", env=env)
        tree = _git(root, "write-tree", env=env).strip()
    commit = _git(root, "commit-tree", tree, "-p", old, "-m",
                  f"撤回案例 {case_id}（{'、'.join(sorted(versions))}）").strip()
    _git(root, "update-ref", ref, commit, old)
    if push:
        _git(root, "push", "origin", branch)
    return sorted(versions)
