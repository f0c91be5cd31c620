"""The office site's pages read from the Git history: 进展, 本期变化, 调度报告 (with 年度公开),
their XLSX downloads, and each debt's timeline for the unit pages.

Without a history (the root is not the top of a Git repository, or it has no commit) the
three pages say 无历史记录 and the unit pages show no timeline, so the navigation is the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from functools import partial
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from ..analysis import stats
from ..core.config import Config
from ..core.gitrepo import GitError, Repo, git
from ..core.money import percent_shown, wan
from ..core.running import Forked
from ..document.circular import circular
from ..history import PERIODS, archive
from ..history.period_report import build_report, cutoffs, is_final
from ..history.progress import daily_cutoffs, overall, series
from ..history.report_files import local_time, title, to_markdown, to_xlsx
from ..history.report_json import json_form, report_of
from ..history.state import History, State
from ..history.timeline import Event, timelines
from ..rollup import BundleError
from ..rollup.periods import attach
from ..validate.cache import FactCache
from . import SiteError
from .changes import Baseline, baseline, compare
from .page_data import DisclosureContext, FileInfo, Page, PageContext, Rows, SiteData, chart

EPOCH = date(1970, 1, 1)
DAILY_SPAN = 120  # days of daily points; before them one point a week keeps long charts light
REPORTS = "downloads/reports"
PARALLEL_REPORTS = 4  # reports to make before workers are worth forking
CIRCULATED = ("month", "quarter")  # the 月调度 and 季通报 go out as 公文: each offers its 通报 (Word)


@dataclass(frozen=True)
class HistorySite:
    pages: list[Page]
    timelines: dict[str, list[dict]] | None  # unit id -> timeline rows; None: no history
    files: list[FileInfo]  # the reports' XLSX and DOCX files and their SHA256SUMS
    base: Baseline | None = None  # what 本期变化 compares the data with; None: no history


@dataclass
class _Recent(History):
    """A history that keeps the states of its last few commits: a month's report starts
    where the previous one ended, and quarters start where months do."""
    recent: dict[str, State] = field(default_factory=dict)

    def at(self, commit: str, when: datetime | None = None) -> State:
        if commit not in self.recent:
            if len(self.recent) >= 4:
                self.recent.pop(next(iter(self.recent)))
            self.recent[commit] = super().at(commit, when)
        return self.recent[commit]


def open_history(root: Path) -> History | None:
    try:
        top = git(root, "rev-parse", "--show-toplevel").decode().strip()
        if Path(top).resolve() != root.resolve():  # a folder inside some other repository
            return None
        history = _Recent.read(root, cache=True)  # a build's states are mostly the last build's
    except (GitError, OSError):  # not a repository, no commit yet, or no git at all
        return None
    return history if history.commits else None


def span(history: History, today: date, config: Config) -> tuple[date, date]:
    """First and last day the history pages cover: from the first commit to the site date
    (or to the last commit, if the data are dated before it)."""
    tz = config.schedule.tz
    return (history.commits[0][0].astimezone(tz).date(),
            max(today, history.commits[-1][0].astimezone(tz).date()))


def progress_cutoffs(first: date, last: date, config: Config) -> list[datetime]:
    return [c for c in daily_cutoffs(first, last, config)
            if (last - c.date()).days < DAILY_SPAN or (last - c.date()).days % 7 == 0]


def _wan(fen_amount) -> float | None:
    """A chart point in 万元; a gap where the series has no value."""
    return None if pd.isna(fen_amount) else float(wan(fen_amount))


def _percent(repaid, amount) -> float | None:
    """A chart point in per cent: the clearance rate as every output shows it (money.percent_shown)."""
    shown = None if pd.isna(amount) else percent_shown(stats.rate(repaid, amount))
    return None if shown is None else float(shown * 100)


@dataclass(frozen=True)
class NoHistory(PageContext):
    """进展, 本期变化 and 调度报告 when there is no history: each says 无历史记录."""
    history: bool = False


@dataclass(frozen=True)
class ProgressContext(PageContext):
    """进展 (progress.md.j2): totals over time; without points (no commit in the span) only
    `points` is read."""
    points: int
    first: str = ""
    last: str = ""
    daily_span: int = DAILY_SPAN
    latest: Rows = field(default_factory=list)
    total_remaining: int = 0
    invalid_points: list[tuple[str, int]] = field(default_factory=list)
    total_rate: Fraction | None = None
    charts: dict[str, dict] = field(default_factory=dict)
    history: bool = True


@dataclass(frozen=True)
class ReportContext(PageContext):
    """One period report's page (report.md.j2): its Markdown, escaped cell by cell."""
    label: str
    file: FileInfo
    docx: FileInfo | None  # the 通报 as a Word document (month and quarter)
    cutoff: str
    body: Markup


@dataclass(frozen=True)
class ReportsContext(PageContext):
    """调度报告 (reports.md.j2): every period's page and file."""
    reports: Rows
    sums: FileInfo
    history: bool = True


def progress_context(history: History, first: date, last: date, config: Config) -> ProgressContext:
    frame = series(history, progress_cutoffs(first, last, config))
    if frame.empty:
        return ProgressContext(points=0)
    total = overall(frame)
    cuts = list(total["cutoff"])
    labels = [c.date().isoformat() for c in cuts]
    days = [(c.date() - EPOCH).days for c in cuts]  # a time axis: weekly points spaced as weeks
    remaining, rates, latest = [], [], []
    for (code, name), part in frame.groupby(["region_code", "region_name"], sort=True):
        part = part.set_index("cutoff").reindex(cuts)
        remaining.append((name, [_wan(v) for v in part["remaining"]]))
        rates.append((name, [_percent(r, a) for r, a in zip(part["repaid"], part["amount"], strict=True)]))
        end = part.iloc[-1].fillna(0)
        latest.append({"name": name, "code": code, "remaining": int(end["remaining"]),
                       "rate": stats.rate(end["repaid"], end["amount"])})
    return ProgressContext(
        points=len(cuts), first=labels[0], last=labels[-1], daily_span=DAILY_SPAN,
        latest=latest, total_remaining=int(total["remaining"].iloc[-1]),
        invalid_points=[(label, int(count)) for label, count in zip(labels, total["invalid"], strict=True) if count],
        total_rate=stats.rate(total["repaid"].iloc[-1], total["amount"].iloc[-1]),
        charts={
            "remaining": chart("line", labels, [("合计", [_wan(v) for v in total["remaining"]])], days=days),
            "rate": chart("line", labels, [("合计", [_percent(r, a) for r, a in
                                                     zip(total["repaid"], total["amount"], strict=True)])], "%", days),
            "region_remaining": chart("line", labels, remaining, days=days),
            "region_rate": chart("line", labels, rates, "%", days),
        },
    )


def periods(first: date, last: date) -> list[tuple[str, date, str, str]]:
    """(period, a day in it, slug, label) of the latest day and week and every month,
    quarter and year the history covers, newest first within each kind."""
    months = [(y, m) for y in range(first.year, last.year + 1) for m in range(1, 13)
              if (first.year, first.month) <= (y, m) <= (last.year, last.month)]
    quarters = sorted({(y, (m - 1) // 3 + 1) for y, m in months})
    return [
        ("day", last, "day", f"日报（{last.isoformat()}）"),
        ("week", last, "week", "周报（最近一周）"),
        *(("month", date(y, m, 1), f"month-{y}-{m:02d}", f"{y}年{m}月月调度") for y, m in reversed(months)),
        *(("quarter", date(y, q * 3 - 2, 1), f"quarter-{y}-q{q}", f"{y}年第{q}季度季通报")
          for y, q in reversed(quarters)),
        *(("year", date(y, 1, 1), f"year-{y}", f"{y}年度逾期合同公开")
          for y in range(last.year, first.year - 1, -1)),
    ]


def _file(docs: Path, path: str, data: bytes, label: str) -> FileInfo:
    (docs / path).parent.mkdir(parents=True, exist_ok=True)
    (docs / path).write_bytes(data)
    return FileInfo.of(path, label, data)


def made_at(today: date, config: Config) -> datetime:
    """The moment a build's reports are made at: the end (24:00) of the day the site is true on
    (its --as-of), so the same data and --as-of give the same reports, 未截止 or not."""
    return datetime.combine(today + timedelta(days=1), time(0, tzinfo=config.schedule.tz))


def _key(history: History, period: str, day: date, config: Config, ref: str | None, made: datetime) -> str:
    """What a report depends on: the two commits its cut-offs select, the archive it is compared
    with, the configuration and, while its period is not over, the moment it is made. A report is
    kept by them, so a build recomputes just the periods that changed."""
    moments = cutoffs(period, day, config)
    commits = [history.commit_at(moment) for moment in moments]
    final = is_final(moments[0], made)
    return repr((period, [m.isoformat() for m in moments], [c and c[1] for c in commits], config, ref,
                 final or made.isoformat()))


def _made(history: History, period: str, day: date, config: Config, made: datetime) -> tuple[dict, bytes, bytes | None]:
    """One report as kept: its data, its XLSX and its 通报 as DOCX for a month or quarter."""
    report = build_report(history, period, day, config, made)
    if config.rollup.members:  # an upper level: its members from the bundles its history held
        try:
            attach(report, history, config)
        except BundleError as exc:
            raise SiteError(str(exc)) from None
    archive.compare(report, history.root, config)  # what was issued, and any correction of it
    only = "disclosure" if period == "year" else None  # the yearly download: only the public table
    return json_form(report), to_xlsx(report, only), circular(report, config) if period in CIRCULATED else None


def report_pages(history: History, first: date, last: date, config: Config,
                 docs: Path) -> tuple[list[Page], list[FileInfo]]:
    pages, files, index = [], [], []
    store = FactCache.open(history.root, "reports")
    made = made_at(last, config)
    ref = archive.find_ref(history.root, archive.BRANCH)
    listed = [(period, day, slug, label, _key(history, period, day, config, ref, made))
              for period, day, slug, label in periods(first, last)]
    missing = [(period, day, key) for period, day, _slug, _label, key in listed if key not in store.entries]
    # a fresh clone's first build makes every report (80 for four years of months): on every core
    with Forked(None if len(missing) >= PARALLEL_REPORTS else 1, pickles=False) as pool:
        tasks = [(key, pool.add(partial(_made, history, period, day, config, made))) for period, day, key in missing]
        pool.start()
        for key, task in tasks:
            store.put(key, task.result())
    for period, day, slug, label, key in listed:
        data, xlsx, docx = store.entries[key]
        # The page is rendered from the data every time: no text from the cache reaches a page as markup.
        report = report_of(data)
        if not report.final:
            label = f"{label}（未截止）"
        info = _file(docs, f"{REPORTS}/{slug}.xlsx", xlsx, f"{label}（Excel）")
        files.append(info)
        word = _file(docs, f"{REPORTS}/{slug}.docx", docx, f"{label}（通报，Word）") if docx else None
        files += [word] if word else []
        cutoff = local_time(report.cutoff)
        if period == "year":
            pages.append(Page(f"reports/{slug}.md", "disclosure.md.j2", DisclosureContext(
                label=label, year=day.year, public=False, rows=report.disclosure or [], file=info, cutoff=cutoff)))
        else:
            # to_markdown escapes every table cell (markdown.cell), so its text goes in as it is
            body = Markup(to_markdown(report))
            pages.append(Page(f"reports/{slug}.md", "report.md.j2", ReportContext(label, info, word, cutoff, body)))
        index.append({"label": label, "file": info, "docx": word, "cutoff": cutoff, "final": report.final,
                      "title": title(report), "kind": PERIODS[period], "page": f"{slug}.html"})
    used = {key for *_rest, key in listed}
    if set(store.entries) != used:  # forget reports of commits no longer asked for
        store.entries = {key: store.entries[key] for key in used}
        store.changed = True
    store.save()
    sums = "".join(f"{info.sha256}  {Path(info.path).name}\n" for info in files)
    files.append(_file(docs, f"{REPORTS}/SHA256SUMS", sums.encode(), "调度报告文件的 SHA-256 校验和"))
    pages.append(Page("reports/index.md", "reports.md.j2", ReportsContext(reports=index, sums=files[-1])))
    return pages, files


def timeline_rows(found: dict[str, list[Event]], config: Config) -> dict[str, list[dict]]:
    """Events as the unit page shows them: recorded in local time, commits shortened."""
    tz = config.schedule.tz
    return {unit: [{"item": e.item, "kind": e.kind, "date": e.date, "amount": e.amount, "method": e.method,
                    "detail": e.detail, "recorded": e.recorded.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                    "commit": e.commit[:10]} for e in events] for unit, events in found.items()}


def history_site(data: SiteData, repo: Repo, docs: Path) -> HistorySite:
    history = open_history(repo.root)
    if history is None:
        none = NoHistory()
        return HistorySite([Page("progress.md", "progress.md.j2", none), Page("changes.md", "changes.md.j2", none),
                            Page("reports/index.md", "reports.md.j2", none)], None, [])
    config = repo.config
    first, last = span(history, data.today, config)
    pages, files = report_pages(history, first, last, config, docs)
    base = baseline(history, config, data.today)
    pages += [Page("progress.md", "progress.md.j2", progress_context(history, first, last, config)),
              changes_page(base, data, config)]
    found = timelines(history)
    history.save()
    return HistorySite(pages, timeline_rows(found, config), files, base)


def changes_page(base: Baseline, data: SiteData, config: Config) -> Page:
    """本期变化: the data against the period's baseline (which only a new commit moves)."""
    return Page("changes.md", "changes.md.j2", compare(base, data, base.when.astimezone(config.schedule.tz).date()))
