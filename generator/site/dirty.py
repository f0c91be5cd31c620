"""mkdocs' dirty build made safe for the site: only the pages whose Markdown is newer than their
HTML are built, and what mkdocs gets wrong about the rest is put right.

mkdocs' `--dirty` is meant for one author's preview. Around it this module
  - reads the source of every navigation page it skips, so the navigation shows their titles
    (it would show file names),
  - merges the search index, which would otherwise hold the rebuilt pages only, and
  - deletes the HTML of removed pages; a page of the navigation added or removed (or changed
    templates, said by the caller) makes it a full build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkdocsPage

from ..core.model import Records
from .build import MARKER, configured, run_mkdocs


@dataclass(frozen=True)
class Target:
    """Where one audience's site is built from and to."""
    root: Path
    audience: str
    docs: Path
    out: Path


def html_of(markdown_path: str) -> str:
    return markdown_path.removesuffix(".md") + ".html"


def build_changed(target: Target, records: Records, today: date, written: list[str], removed: list[str],
                  full: bool) -> None:
    """Turn the written Markdown into HTML: a dirty build, or a full one when `full` (the templates
    changed) or a page of the navigation came or went."""
    config = configured(target.root, target.audience, target.docs, target.out, records)
    in_nav = set(_nav_files(config.nav))
    added = [path for path in written if not (target.out / html_of(path)).exists()]
    if full or any(path in in_nav for path in [*added, *removed]):
        run_mkdocs(config, today)
        (target.out / MARKER).write_text("本目录由 qingqian build 生成，再次生成时会被清空。\n", encoding="utf-8")
        return
    for path in removed:
        if path.endswith(".md"):
            (target.out / html_of(path)).unlink(missing_ok=True)
        else:
            (target.out / path).unlink(missing_ok=True)
    if not written and not removed:
        return
    index_path = target.out / "search" / "search_index.json"
    before = json.loads(index_path.read_text(encoding="utf-8")) if index_path.is_file() else None
    dirty = DirtyBuild()
    config.plugins["qingqian-dirty"] = dirty
    unlisted = run_mkdocs(config, today, dirty=True)
    if before is not None:
        merge_search_index(index_path, before, dirty.built | unlisted,
                           {html_of(p) for p in removed if p.endswith(".md")})


def _nav_files(nav) -> list[str]:
    """Every Markdown path of an mkdocs `nav` setting."""
    found: list[str] = []
    for entry in nav or []:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            found += _nav_files(value)
        elif isinstance(value, str):
            found.append(value)
    return found


def merge_search_index(path: Path, before: dict, built: set[str], removed: set[str]) -> None:
    """The index the dirty build wrote holds the pages it built; add the other pages' entries
    from the index before it (minus pages removed)."""
    after = json.loads(path.read_text(encoding="utf-8"))
    kept = [entry for entry in before.get("docs", [])
            if entry["location"].partition("#")[0] not in built | removed]
    after["docs"] = kept + after.get("docs", [])
    path.write_text(json.dumps(after, separators=(",", ":"), default=str), encoding="utf-8")


class DirtyBuild(BasePlugin):
    """Notes which pages a dirty build built, and reads the sources of the navigation pages it
    skips (their titles come from their first heading)."""

    def __init__(self) -> None:
        super().__init__()
        self.built: set[str] = set()

    def on_nav(self, nav: Navigation, /, *, config, files: Files) -> Navigation:
        for page in nav.pages:
            if not page.file.is_modified():
                page.read_source(config)
        return nav

    def on_post_page(self, output: str, /, *, page: MkdocsPage, **_kwargs) -> str:
        self.built.add(page.url)
        return output

