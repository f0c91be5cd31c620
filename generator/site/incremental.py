"""`serve` at province scale: after a ledger is saved, redo only what the change touches.

A `Session` keeps, between rebuilds, each data file's check result (by stat, then content hash),
the items frame, the downloads and the history pages of the last good build. On a change it
re-checks just the changed files and runs the cross-file checks over all records (a ledger
saved with an error keeps the last good site). When only debt ledgers changed, it derives the
frame rows of their units again and renders, first, their unit pages and the pages every debt
feeds (首页, 台账, the regions), builds those, says so, and then the lists, the creditor pages
of the debts' creditors, the group pages and the download files. Any other change (a unit's
registration, clues, measures, cases, the campaign settings, a new commit, a date that moves
the site's date) assembles every page again in a side folder. Either way only Markdown whose
bytes changed is written, so unchanged pages keep their mtime, and the engine turns just those
into HTML (`engine.update`: mkdocs' dirty build).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..analysis.frame import with_units_replaced
from ..core.config import CONFIG_FILE
from ..core.gitrepo import GitError, Repo, git
from ..core.issues import render as render_issues
from ..core.model import Ledger, Records
from ..core.running import SILENT, Progress
from ..core.schema import kind_of
from ..core.vocab import GroupKind, UnitType
from ..validate.cache import content_hash
from ..validate.pipeline import FileResult, check_contents, combined, data_files
from ..workbook.export import records_for_output
from . import SiteError, engine
from .build import Assembly, Sources, assemble, build_site, hand_written, job, mark, write_soe_book
from .downloads import write_lists, write_notices, write_sums, write_unit_files
from .engine import html_of
from .group_pages import group_pages
from .history_pages import changes_page
from .lookup import update_lookup
from .page_data import Page, SiteData
from .pages import UnitIndex, home_pages, list_pages, site_date, unit_pages
from .render import environment, markdown_of

Say = Callable[[str], None]
STATUS = "qingqian-status.json"  # at the site's root, only while served
HOME = ["index.html", "ledgers/"]  # the pages home_pages makes
LISTS = ["overdue.html", "supervision.html", "followthrough.html", "soe.html", "groups/",
         "clues.html", "downloads.html", "changes.html"]


def to_stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Seen:
    """A data file as last read: its stat, content hash and check result."""
    stat: tuple[int, int, int]
    digest: str
    result: FileResult


class Session:
    """One `serve` of one audience: `rebuild` after every change."""

    def __init__(self, root: Path, audience: str, out: Path, docs: Path, as_of: date | None,
                 say: Say = to_stderr, progress: Progress = SILENT) -> None:
        self.root, self.audience, self.out, self.docs, self.as_of, self.say = root, audience, out, docs, as_of, say
        self.progress = progress  # of the first, full build
        self.files: dict[str, Seen] = {}
        self.good: dict[str, object | None] = {}  # path -> record, at the last good build
        self.assembly: Assembly | None = None
        self.repo = Repo(root)  # opened again by every rebuild
        self.stamp: tuple | None = None  # settings, templates and commit of the last good build
        # called when the site may be served while it is updated: its stale pages say so
        self.published: Callable[[], None] = lambda: None

    def rebuild(self) -> bool:
        """Bring the site up to date with the data; False when the data have errors (the site
        stays as it was) or the site cannot be built."""
        start = time.monotonic()
        stamp = self._stamp()
        self.repo = Repo(self.root)  # a rebuild is one command: the settings are read once, maybe changed
        config = self.repo.config
        if self.stamp is None or stamp[0] != self.stamp[0]:
            self.files.clear()  # the campaign settings decide some per-file problems: check again
        changed = self._scan(config.campaign)
        if self.assembly is not None and stamp == self.stamp and not changed:
            return True
        self.status(None, "正在校验改动的文件")
        if self.assembly is not None and stamp[1] == (self.stamp or stamp)[1]:
            self.published()  # the last good site, saying it is stale, rather than no answer (not while a
            # full mkdocs build empties the site folder: after a change of the templates)
        records, issues = combined(self.repo, [seen.result for _p, seen in sorted(self.files.items())])
        errors = [issue for issue in issues if issue.severity == "error"]
        if errors:
            to_stderr(render_issues(errors, "text"))
            self.say(f"数据有 {len(errors)} 个错误，网站保持上一次成功生成的内容，"
                     f"以下文件的改动尚未反映到网站：{some(changed) or '无'}")
            self.status([], error=f"数据有 {len(errors)} 个错误（见终端），网站显示的是上一次成功生成的内容")
            return False
        try:
            self._update(records, changed, stamp, config.supervision, start)
        except SiteError as exc:
            self.say(f"网站生成失败：{exc}；下次改动后重新生成整个网站")
            self.status([], error="网站生成失败（见终端），网站显示的是上一次成功生成的内容")
            self.assembly = None  # the Markdown may be ahead of the HTML: start again from nothing
            return False
        self.status([])
        self.good = {path: seen.result.record for path, seen in self.files.items()}
        self.stamp = stamp
        return True

    def status(self, stale: list[str] | None, note: str = "", error: str = "") -> None:
        """Tell the pages open in a browser (site_src/assets/js/site.js polls STATUS while served)
        which pages are stale: None, every page may be; a path ending in / stands for a folder."""
        if self.assembly is None:  # no site yet: nothing is stale, and the build empties the folder
            return
        text = json.dumps({"updating": stale is None or bool(stale), "stale": stale, "note": note,
                           "error": error}, ensure_ascii=False)
        temporary = self.out / (STATUS + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.out / STATUS)

    def _stamp(self) -> tuple:
        """(settings, templates and configuration, commit): a change of the first re-checks every
        file, of the second rebuilds every HTML page, of the third assembles the history again."""
        sources = Sources.for_root(self.root)
        settings = (self.root / CONFIG_FILE).read_bytes() if (self.root / CONFIG_FILE).is_file() else b""
        looks = [(str(path), path.stat().st_mtime_ns) for layer in sources.layers for path in layer.rglob("*")
                 if path.is_file()] + [(str(sources.config), sources.config.stat().st_mtime_ns)]
        try:
            head = git(self.root, "rev-parse", "-q", "--verify", "HEAD").decode().strip()
        except GitError:
            head = ""
        return content_hash(settings), content_hash(repr(sorted(looks)).encode()), head

    def _scan(self, campaign) -> set[str]:
        """Re-check the files whose content changed; the paths that changed since the last good build."""
        paths = data_files(self.root)
        fresh: list[tuple[str, bytes]] = []
        stats: dict[str, tuple[int, int, int]] = {}
        for path in paths:
            info = os.stat(self.root / path)
            stats[path] = (info.st_mtime_ns, info.st_size, info.st_ino)
            seen = self.files.get(path)
            if seen is None or seen.stat != stats[path]:
                fresh.append((path, (self.root / path).read_bytes()))
        checks = [(path, data) for path, data in fresh
                  if path not in self.files or self.files[path].digest != content_hash(data)]
        results = {r.path: r for r in check_contents(checks, jobs=None if len(checks) > 50 else 1,
                                                     campaign=campaign)}
        for path, data in fresh:
            result = results.get(path) or self.files[path].result
            self.files[path] = Seen(stats[path], content_hash(data), result)
        for path in set(self.files) - set(paths):
            del self.files[path]
        return {path for path in set(self.good) | set(self.files)
                if path not in self.files or path not in self.good
                or self.files[path].result.record is not self.good[path]}

    def _update(self, records: Records, changed: set[str], stamp: tuple, rule, start: float) -> None:
        old = self.assembly
        if old is None:
            self.say("正在生成整个网站……")
            self.assembly = build_site(records, self.repo, self.audience, self.out, self.as_of, self.docs,
                                       progress=self.progress)
            self.say(f"网站已生成（{time.monotonic() - start:.1f} 秒）")
            return
        units = self._ledger_units(changed)
        today = site_date(records, self.as_of)
        self.say(f"有改动：{some(changed) or '网站模板、设置或提交'}；网站正在更新")
        if (units is None or stamp != self.stamp or today != old.data.today or self.audience != "office"
                or old.downloads is None):
            self.status(None, "正在重新生成全部页面")
            self._everything(records, stamp, start)
            return
        campaign = old.data.campaign
        frame = with_units_replaced(old.data.frame, records, units, campaign, today)
        data = SiteData(records, campaign, frame, today, rule, old.data.rollup)
        self.assembly = Staged(self, data, units, start).run(old)

    def update(self, records: Records, today: date, written: list[str], removed: list[str], full: bool) -> None:
        """The engine's build of the pages `written` and `removed` (of every page when `full`)."""
        engine.update(job(self.root, self.audience, self.docs, self.out, records, today), written, removed, full)
        mark(self.out)

    def _ledger_units(self, changed: set[str]) -> set[str] | None:
        """The units whose debt ledgers alone changed; None when something else changed."""
        units = set()
        for path in changed:
            if kind_of(path) != "arrears":
                return None
            for record in (self.good.get(path), self.files[path].result.record if path in self.files else None):
                if isinstance(record, Ledger):
                    units.add(record.unit)
        return units

    def _everything(self, records: Records, stamp: tuple, start: float) -> None:
        """Assemble every page in a side folder, move in the files that changed, build their HTML."""
        side = self.docs.with_name(self.docs.name + ".next")
        self.say("需要重新生成全部页面（此期间所有页面都可能是旧的）")
        assembly = assemble(records, self.repo, self.audience, side, self.as_of)
        moved, removed = sync(side, self.docs)
        shutil.rmtree(side)
        full = stamp[1] != (self.stamp or stamp)[1]
        self.assembly = assembly
        self.update(records, assembly.data.today, moved, removed, full)
        self.say(f"网站已更新（{time.monotonic() - start:.1f} 秒）：改写 {len(moved)} 个文件，删除 {len(removed)} 个")


class Staged:
    """The update after debt ledgers alone changed: their units' pages and the overview pages
    first, then everything else that the debts feed."""

    def __init__(self, session: Session, data: SiteData, units: set[str], start: float) -> None:
        self.session, self.data, self.units, self.start = session, data, units, start
        self.env = environment(*Sources.for_root(session.root).templates)
        self.skip = hand_written(session.root, "office")

    def run(self, old: Assembly) -> Assembly:
        session, data, docs = self.session, self.data, self.session.docs
        assert old.downloads is not None
        index = UnitIndex.of(data)
        ledgers = {ledger.unit: ledger for ledger in data.records.ledgers}
        unit_files = dict(old.downloads.units)
        for unit_id in sorted(self.units):
            unit = data.records.units.get(unit_id)
            if unit is None:  # a ledger of no registered unit: the cross-file check said so
                continue
            rows = records_for_output(data.frame[data.frame["unit"] == unit_id])
            files = write_unit_files(rows, docs, unit, ledgers.get(unit_id))
            for dropped in {f.path for f in unit_files.get(unit_id, files).listed()} - {f.path for f in files.listed()}:
                (docs / dropped).unlink(missing_ok=True)  # no debts in scope any more: no ledger files
            unit_files[unit_id] = files
        downloads = replace(old.downloads, units=unit_files)
        timelines = old.history.timelines if old.history else None
        creditors = [f"creditors/{code}.html" for code in sorted(self._creditors(old))]
        mine = [f"units/{unit_id}.html" for unit_id in sorted(self.units)]
        session.status(mine + HOME + LISTS + creditors, "正在更新改动的单位页和首页")
        session.say(f"先更新：{listing([path.replace('.html', '.md') for path in mine])}、首页、台账与各地区页")
        first = unit_pages(data, index, downloads, timelines, only=self.units) + home_pages(data, index)
        stale = ["逾期清单", "督办", "确权与回访", UnitType.SOE, GroupKind.SUPERVISOR, "投诉线索", "下载", "本期变化",
                 f"这些单位的 {len(self._creditors(old))} 个债权人页", "全部欠款与逾期清单的下载文件"]
        written = self._build(first, [], old)
        update_lookup(data.records, data.rows, docs, session.out)  # the search box finds the new names
        session.status(LISTS + creditors, "正在更新各清单、债权人页和下载文件")
        session.say(f"已更新 {len(written)} 页（{time.monotonic() - self.start:.1f} 秒）：{listing(written)}；"
                    f"仍是旧内容、正在更新：{'、'.join(stale)}")
        full, overdue = write_lists(records_for_output(data.frame), data.frame, docs)
        extra = old.history.files if old.history else []
        downloads = replace(downloads, full=full, overdue=overdue,
                            sums=write_sums(docs, full, overdue, unit_files, extra))
        soe_files = write_soe_book(data, docs)
        reports = old.history.files if old.history else []
        notices = write_notices(data, docs, session.repo.config.document)
        rest = list_pages(data, index, downloads, reports, soe_files, self._creditors(old), notices) + group_pages(data)
        if old.history is not None and old.history.base is not None:
            rest.append(changes_page(old.history.base, data, session.repo.config))
        gone = self._creditors(old) - {p.path.removeprefix("creditors/").removesuffix(".md") for p in rest}
        written = self._build(rest, sorted(gone), old)
        session.say(f"全部页面已更新（{time.monotonic() - self.start:.1f} 秒），"
                    f"这一步更新 {len(written)} 页：{listing(written)}")
        return Assembly(data, downloads, old.history, soe_files)

    def _creditors(self, old: Assembly) -> set[str]:
        """The credit codes of the changed ledgers' debts, before and after."""
        codes = set()
        for records in (old.data.records, self.data.records):
            for ledger in records.ledgers:
                if ledger.unit in self.units:
                    codes |= {item.creditor_code for item in ledger.items}
        return codes

    def _build(self, pages: list[Page], gone_creditors: list[str], old: Assembly) -> list[str]:
        docs = self.session.docs
        written = write_changed(self.env, pages, docs, self.skip)
        removed = []
        for code in gone_creditors:  # a creditor no ledger names any more: its page goes
            path = docs / "creditors" / f"{code}.md"
            if path.exists():
                path.unlink()
                removed.append(f"creditors/{code}.md")
        self.session.update(self.data.records, self.data.today, written, removed, full=False)
        return written + removed


def some(paths: set[str], most: int = 5) -> str:
    """A few changed files for the terminal, and how many there are."""
    named = sorted(paths)
    return "、".join(named[:most]) + (f" 等 {len(named)} 个文件" if len(named) > most else "")


def listing(paths: list[str], most: int = 8) -> str:
    """Some page paths for the terminal, and how many more."""
    shown = "、".join(html_of(path) for path in paths[:most]) or "无"
    return shown + (f" 等 {len(paths)} 页" if len(paths) > most else "")


def write_changed(env, pages: list[Page], docs: Path, skip: set[str]) -> list[str]:
    """Render `pages`; write those whose Markdown changed (the rest keep their mtime, so mkdocs'
    dirty build leaves their HTML alone). The paths written."""
    written = []
    for page in pages:
        if page.path in skip:
            continue
        text = markdown_of(env, page).encode()
        target = docs / page.path
        try:
            if target.read_bytes() == text:
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text)
        written.append(page.path)
    return written


def sync(side: Path, docs: Path) -> tuple[list[str], list[str]]:
    """Make `docs` hold what `side` holds, touching only files whose bytes differ: (moved, removed)."""
    moved, removed = [], []
    made = {p.relative_to(side).as_posix(): p for p in side.rglob("*") if p.is_file()}
    for relative, path in sorted(made.items()):
        target = docs / relative
        if target.is_file() and target.read_bytes() == path.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved.append(relative)
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        relative = path.relative_to(docs).as_posix()
        if relative not in made:
            path.unlink()
            removed.append(relative)
    return moved, removed
