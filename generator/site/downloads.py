"""The office site's download files: the full export, the overdue list and one file per unit.

Written with `export.export_rows`, so they are the same bytes `qingqian export` gives; every
file gets a SHA-256 that the pages show and that `SHA256SUMS` lists for `sha256sum -c`. The
rows are turned into text once and split by unit: per small frame, pandas would cost more
than writing the file.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from functools import partial
from pathlib import Path

import pandas as pd

from ..analysis import stats
from ..core.config import Document
from ..core.model import Ledger, Records, Unit
from ..core.running import PARALLEL_FROM, SILENT, Chunks, Forked, Progress
from ..core.vocab import UnitStatus
from ..document.notice import Notice, notice_document, notices
from ..workbook.export import export_rows, records_for_output
from ..workbook.template_fill import TemplateWriter
from . import SiteError
from .page_data import Downloads, FileInfo, SiteData, UnitFiles

FOLDER = "downloads"
FULL = {"csv": "全部欠款（CSV）", "xlsx": "全部欠款（Excel）", "json": "全部欠款（JSON）"}
UNIT = {"csv": "CSV", "xlsx": "Excel"}
TEMPLATE = "填报模板（Excel）"
NOTICES = f"{FOLDER}/notices"


def _info(docs: Path, path: str, label: str) -> FileInfo:
    return FileInfo.of(path, label, (docs / path).read_bytes())


def _write(rows: list[dict[str, str]], docs: Path, path: str, fmt: str, label: str) -> FileInfo:
    return FileInfo.of(path, label, export_rows(rows, fmt, docs / path))


def _templates(docs: str, units: list[tuple[Unit, Ledger | None]]) -> list[tuple[str, FileInfo]]:
    """Write the templates of a chunk of units: openpyxl writes one workbook, the rest are it
    filled in (template_fill), the same bytes. Each unit id with its file, hashed here."""
    if not units:
        return []
    writer = TemplateWriter(Records(units={unit.id: unit for unit, _ledger in units},
                                    ledgers=[ledger for _unit, ledger in units if ledger]))
    Path(docs, template_path(units[0][0].id)).parent.mkdir(parents=True, exist_ok=True)
    written = []
    for unit, _ledger in units:
        data = writer.workbook(unit.id)
        Path(docs, template_path(unit.id)).write_bytes(data)
        written.append((unit.id, FileInfo.of(template_path(unit.id), TEMPLATE, data)))
    return written


def template_path(unit_id: str) -> str:
    return f"{FOLDER}/templates/{unit_id}.xlsx"


def start_templates(records: Records, docs: Path, jobs: int | None = None,
                    pool: Forked | None = None) -> Chunks[tuple[Unit, Ledger | None], tuple[str, FileInfo]]:
    """Each reporting unit's Excel template (its debts filled in), the same bytes as
    `qingqian template` gives; at province scale in worker processes (of `pool` when given),
    so that they run while this process writes the other downloads. Its results: each unit id,
    sorted, with its file."""
    ledgers = {ledger.unit: ledger for ledger in records.ledgers}
    units = [(unit, ledgers.get(unit.id)) for unit in sorted(records.units.values(), key=lambda u: u.id)
             if unit.status == UnitStatus.ACTIVE]
    return Chunks(partial(_templates, str(docs)), units, jobs, pool)


def write_templates(records: Records, docs: Path, jobs: int | None = None) -> list[str]:
    with start_templates(records, docs, jobs) as templates:
        return [unit_id for unit_id, _file in templates.results()]


def download_pool(frame: pd.DataFrame, jobs: int | None = None) -> Forked:
    """Worker processes for the downloads, when the frame is big enough to pay for them."""
    return Forked(jobs if len(frame) >= PARALLEL_FROM else 1)


def write_downloads(frame: pd.DataFrame, docs: Path, records: Records | None = None,
                    extra: Sequence[FileInfo] = (), progress: Progress = SILENT, jobs: int | None = None,
                    pool: Forked | None = None) -> Downloads:
    """Write every download under `docs/downloads/`: the full export, the overdue list, each
    unit's ledger (units with debts) and, given `records`, each reporting unit's template; and
    one SHA256SUMS over all of them and the `extra` files already written (the reports).

    At province scale the big lists (a minute of a 10,000-unit build on one core) and the
    templates are written by worker processes while this one writes each unit's files; the
    stages of the lists and the templates then show the wait for them. Given a `pool` (not
    started: the caller's own tasks added), they are its tasks, and it is started here."""
    records = records if records is not None else Records()
    with progress.stage("下载文件：导出数据", len(frame), "笔欠款") as advance:
        rows = records_for_output(frame)
        advance(len(rows))
    try:
        return _write_downloads(frame, rows, docs, records, extra, progress, jobs, pool)
    except BrokenProcessPool as exc:
        raise SiteError("写下载文件的工作进程意外退出（内存不足？）") from exc


def _write_downloads(frame: pd.DataFrame, rows: list[dict[str, str]], docs: Path, records: Records,
                     extra: Sequence[FileInfo], progress: Progress, jobs: int | None, pool: Forked | None) -> Downloads:
    with ExitStack() as own:  # a pool of its own is stopped on leaving; the caller's, by the caller
        pool = pool if pool is not None else own.enter_context(download_pool(frame, jobs))
        lists = pool.add(partial(write_lists, rows, frame, docs))
        pending = start_templates(records, docs, jobs, pool)
        pool.start()
        by_unit: dict[str, list[dict[str, str]]] = {}
        for row in rows:  # keeps the frame's order within each unit, as groupby does
            by_unit.setdefault(row["unit"], []).append(row)
        ledgers = {}
        with progress.stage("下载文件：各单位台账", len(by_unit), "个单位") as advance:
            for unit_id, unit_rows in sorted(by_unit.items()):
                ledgers[unit_id] = [_write(unit_rows, docs, f"{FOLDER}/units/{unit_id}.{fmt}", fmt, label)
                                    for fmt, label in UNIT.items()]
                advance(1)
        with progress.stage("下载文件：全部与逾期清单", 5, "个文件") as advance:
            full, overdue_files = lists.result()
            advance(5)
        with progress.stage("下载文件：填报模板", len(pending.items), "个单位") as advance:
            templates = dict(pending.results(advance))
    units = {}
    for unit_id in sorted(ledgers.keys() | templates.keys()):
        csv, xlsx = ledgers.get(unit_id) or (None, None)
        units[unit_id] = UnitFiles(csv, xlsx, templates.get(unit_id))
    return Downloads(full, overdue_files, units, write_sums(docs, full, overdue_files, units, extra))


def write_lists(rows: list[dict[str, str]], frame: pd.DataFrame, docs: Path) -> tuple[list[FileInfo], list[FileInfo]]:
    """The full export (`rows`: the frame's, as records_for_output gives them) and the overdue list."""
    # records_for_output goes row by row: the overdue list's rows are some of `rows`
    overdue = [rows[at] for at in frame.index.get_indexer(stats.overdue(frame).index)]
    full = [_write(rows, docs, f"{FOLDER}/qingqian-all.{fmt}", fmt, label) for fmt, label in FULL.items()]
    return full, [_write(overdue, docs, f"{FOLDER}/overdue.{fmt}", fmt, f"逾期清单（{label}）")
                  for fmt, label in UNIT.items()]


def write_unit_files(rows: list[dict[str, str]], docs: Path, unit: Unit, ledger: Ledger | None) -> UnitFiles:
    """One unit's ledger files (given its rows, as records_for_output gives them; none without
    rows) and its template (a reporting unit's), as write_downloads writes them: `serve`
    writes just the files of the units whose ledger changed."""
    csv, xlsx = ([_write(rows, docs, f"{FOLDER}/units/{unit.id}.{fmt}", fmt, label) for fmt, label in UNIT.items()]
                 if rows else (None, None))
    template = None
    if unit.status == UnitStatus.ACTIVE:
        [(_unit_id, template)] = _templates(str(docs), [(unit, ledger)])
    return UnitFiles(csv, xlsx, template)


def write_sums(docs: Path, full: list[FileInfo], overdue: list[FileInfo], units: dict[str, UnitFiles],
               extra: Sequence[FileInfo] = ()) -> FileInfo:
    """SHA256SUMS over every download and the `extra` files already written (the reports)."""
    listed = [*full, *overdue, *(f for files in units.values() for f in files.listed()), *extra]
    sums = "".join(f"{info.sha256}  {info.path.removeprefix(FOLDER + '/')}\n"
                   for info in sorted(listed, key=lambda i: i.path))
    (docs / FOLDER / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return _info(docs, f"{FOLDER}/SHA256SUMS", "SHA256SUMS")


def _letters(docs: str, settings: Document, chunk: list[Notice]) -> list[tuple[str, FileInfo]]:
    """Write the 督办函 of a chunk of units; each unit id with its file, hashed here."""
    written = []
    for notice in chunk:
        path, letter = f"{NOTICES}/{notice.unit}.docx", notice_document(notice, settings)
        Path(docs, path).write_bytes(letter)
        written.append((notice.unit, FileInfo.of(path, "督办函（Word）", letter)))
    return written


def start_notices(data: SiteData, docs: Path, settings: Document,
                  pool: Forked | None = None) -> Chunks[Notice, tuple[str, FileInfo]]:
    """A 督办函 to every unit on the 约谈/督办 list, the bytes `qingqian notice --all` writes for
    the site's date, in chunks over the workers (of `pool` when given: a province lists
    thousands). The folder is made afresh, so a unit off the list loses its letter."""
    folder = docs / NOTICES
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    found = notices(data.frame, data.records, data.rule, data.today)
    return Chunks(partial(_letters, str(docs), settings), found, pool=pool)


def write_notices(data: SiteData, docs: Path, settings: Document) -> dict[str, FileInfo]:
    with start_notices(data, docs, settings) as letters:
        return dict(letters.results())
