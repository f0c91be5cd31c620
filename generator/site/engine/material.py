"""mkdocs and mkdocs-material as the site's engine: a build of the docs folder, and of the pages that
changed since the last one.

`build` is mkdocs' build with the site's plugins (site/engine/: the pages outside the navigation
on every core, the unit and creditor pages written as HTML, the data tables set aside, the
download files linked rather than copied). `update` is mkdocs' dirty build made safe for the
site: only the pages whose Markdown is newer than their HTML are built, and what mkdocs gets
wrong about the rest is put right:
  - it reads the source of every navigation page it skips, so the navigation shows their titles
    (it would show file names),
  - it merges the search index, which would otherwise hold the rebuilt pages only, and
  - it deletes the HTML of removed pages; a page of the navigation added or removed (or changed
    templates, said by the caller) makes it a full build.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, date, datetime, time
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkdocsPage
from mkdocs.utils import clean_directory

from ...core.running import SILENT, Advance, Progress
from .. import SiteError
from .config import Job, html_of, write_config
from .html_pages import NAME as HTML_PAGES
from .html_pages import HtmlPages
from .tables import NAME as TABLES_PLUGIN
from .tables import TablesAside
from .unlisted import NAME as UNLISTED
from .unlisted import UnlistedPages, applies

DIRTY_WARNING = "A 'dirty' build is being performed"


def build(job: Job, progress: Progress = SILENT) -> None:
    """Build every page of `job` into its output folder (emptied first)."""
    run_mkdocs(configured(job), job.today, progress)


def update(job: Job, written: list[str], removed: list[str], full: bool) -> None:
    """Turn the written Markdown into HTML and delete what the removed files made: a dirty build, or
    a full one when `full` (the templates changed) or a page of the navigation came or went."""
    config = configured(job)
    out = job.out
    in_nav = set(_nav_files(config.nav))
    added = [path for path in written if not (out / html_of(path)).exists()]
    if full or any(path in in_nav for path in [*added, *removed]):
        run_mkdocs(config, job.today)
        return
    for path in removed:
        (out / (html_of(path) if path.endswith(".md") else path)).unlink(missing_ok=True)
    if not written and not removed:
        return
    index_path = out / "search" / "search_index.json"
    before = json.loads(index_path.read_text(encoding="utf-8")) if index_path.is_file() else None
    dirty = DirtyBuild()
    config.plugins["qingqian-dirty"] = dirty
    unlisted = run_mkdocs(config, job.today, dirty=True)
    if before is not None:
        merge_search_index(index_path, before, dirty.built | unlisted,
                           {html_of(p) for p in removed if p.endswith(".md")})


def configured(job: Job) -> MkDocsConfig:
    """mkdocs' configuration of `job`, read from the file written beside its docs folder, with the
    site's plugins; its errors said as a SiteError."""
    try:
        config = load_config(config_file=str(write_config(job)), strict=True)
    except MkDocsException as exc:
        raise SiteError(f"网站配置有误：{exc}") from exc
    known = {Path(folder).resolve() for folder in config.theme.dirs}  # the file's custom_dir among them
    for at, folder in enumerate(job.overrides[1:], start=1):  # mkdocs.yml names one; the rest after it
        if folder.resolve() not in known:
            config.theme.dirs.insert(at, str(folder.resolve()))
    config.plugins[TABLES_PLUGIN] = TablesAside()  # the data tables skip mkdocs' three HTML parses
    config.plugins[HTML_PAGES] = HtmlPages()  # the unit and creditor pages are written as HTML
    config.plugins["qingqian-static"] = StaticLinked()
    return config


class StaticLinked(BasePlugin):
    """mkdocs copies every file of the docs folder that is not a page into the site; the office
    site has three download files per unit (65 MB for 1,000 units), written once into the docs
    folder and, when that is a temporary folder, deleted again after the build. A hard link
    instead gives the site the same bytes without writing them twice, and deleting the docs
    folder then frees nothing (on disks mounted with `discard`, freeing recently written files
    took longer than the copy). mkdocs finds the file already at its destination and leaves
    it, as it does for plugins that write into the site directly. Where no link can be made
    (another filesystem), mkdocs copies the file as before."""

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        docs = os.path.normpath(config.docs_dir) + os.sep
        for file in files:
            source = file.abs_src_path
            if (file.is_documentation_page() or not file.inclusion.is_included() or source is None
                    or not source.startswith(docs)):  # theme files are the installed package's: copied
                continue
            target = file.abs_dest_path
            os.makedirs(os.path.dirname(target), exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                continue
        return files


class PagesCounted(BasePlugin):
    """Tells the progress of mkdocs' build, one step per page written."""

    def __init__(self, advance: Advance) -> None:
        super().__init__()
        self.advance = advance
        self.pid = os.getpid()  # a forked worker's pages are told by the parent (site/engine/unlisted.py)

    def on_post_page(self, output: str, /, **_kwargs) -> str:
        if os.getpid() == self.pid:
            self.advance(1)
        return output


class _Said(logging.Handler):
    """mkdocs' warnings and errors during a build, for the message when it fails: used as a
    library, mkdocs prints none of them (strict mode's counter is the only handler)."""

    MOST = 20

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def listing(self) -> str:
        more = len(self.messages) - self.MOST
        return "".join(f"\n  {message}" for message in self.messages[:self.MOST]) + (
            f"\n  ……另有 {more} 条" if more > 0 else "")


class _NotDirtyWarning(logging.Filter):
    """mkdocs warns of every dirty build; the builds here are dirty on purpose (site/engine/unlisted.py,
    `update`), and strict mode would fail on the warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


def source_date_epoch(day: date) -> str:
    """mkdocs stamps the sitemap and its gzip with the build time unless this is set."""
    return str(int(datetime.combine(day, time(), UTC).timestamp()))


def run_mkdocs(config, today: date, progress: Progress = SILENT, dirty: bool = False) -> set[str]:
    """mkdocs' build of `config`, stamped with `today`; `dirty`: only the pages whose Markdown is
    newer than their HTML (see `update` for what that needs around it). The pages
    outside the navigation are built on every core (site/engine/unlisted.py); the urls of those built."""
    # the search plugin has imported jieba, which sets its own logger to DEBUG on import
    logging.getLogger("jieba").setLevel(logging.WARNING)
    # mkdocs reads its build time from this variable only; it is restored right after
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(today)
    quiet, said = _NotDirtyWarning(), _Said()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    logging.getLogger("mkdocs").addHandler(said)
    try:
        with progress.stage("mkdocs 构建", unit="页") as advance:
            config.plugins["qingqian-progress"] = PagesCounted(advance)
            if not applies(config):
                mkdocs_build(config, dirty=dirty)
                return set()
            unlisted = config.plugins[UNLISTED] = UnlistedPages(dirty, advance)
            if not dirty:  # what mkdocs' clean build does first; its dirty build below does not
                clean_directory(config.site_dir)
            mkdocs_build(config, dirty=True)
            return unlisted.built
    except MkDocsException as exc:
        raise SiteError(f"mkdocs 构建失败（严格模式下任何警告都算失败）：{exc}" + said.listing()) from exc
    finally:
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
        logging.getLogger("mkdocs").removeHandler(said)
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


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

