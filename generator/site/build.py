"""Assemble the docs folder of one audience and have the site engine (site/engine/) build it, strictly.

The root `mkdocs.yml` holds the plain theme configuration; this module only points the engine at
the generated docs folder and sets the navigation, which stays small on purpose: region
pages are listed, unit pages are not (mkdocs copies the navigation into every page, so a
navigation of every unit would cost time in the square of their number).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from ..analysis import soe
from ..analysis.frame import items_frame
from ..core.gitrepo import Repo
from ..core.model import Records
from ..core.running import SILENT, Progress, kept_out_of_collection
from ..core.vocab import GroupKind, UnitType
from ..rules.standing import Judge
from ..workbook.soe_book import soe_workbook
from . import OutputError, engine
from . import reference_page as reference
from .downloads import download_pool, start_notices, write_downloads
from .group_pages import group_pages, rolled_up
from .history_pages import HistorySite, history_site
from .lookup import write_lookup
from .page_data import Downloads, FileInfo, Page, ReferenceContext, SiteData
from .pages import office_pages, public_pages, regions, site_date
from .render import environment, write_pages

PRODUCT = Path(__file__).resolve().parents[2]  # site_src/ and mkdocs.yml ship beside the package
SITE_NAMES = {"office": "清欠台账（清欠办）", "public": "清理拖欠中小企业账款信息公开"}


MARKER = ".qingqian-site"  # written into every folder a build made: only such a folder is ever emptied


def check_out(root: Path, out: Path) -> None:
    """mkdocs empties the output folder first: only let it empty a folder a build made (it
    holds MARKER) or an empty one, never the data, `.git`, `site_src` or unrelated files."""
    data, target = root.resolve(), out.resolve()
    if target == data or target in data.parents or data / "units" == target or data / "ledgers" in (
            target, *target.parents):
        raise OutputError(f"输出目录“{out}”会覆盖数据目录，请另选一个目录（例如 site/）")
    if not (out.exists() or out.is_symlink()):
        return
    if not target.is_dir():
        raise OutputError(f"输出目录“{out}”已存在，但不是目录")
    if not (target / MARKER).is_file() and any(target.iterdir()):
        raise OutputError(f"输出目录“{out}”不是空目录，也不是 qingqian build 生成的网站（其中没有 {MARKER}）："
                          "生成网站会先清空输出目录，为免误删其中的文件，什么也没有删除。请另选一个目录")


@dataclass(frozen=True)
class Sources:
    """Where the hand-written pages, templates, assets and base configuration come from: the
    product's `site_src/`, with any file of the data repository's own `site_src/` taking the
    place of the product's file of the same name (one template, page or asset at a time), and
    the repository's `mkdocs.yml` when it has one."""
    site_src: Path  # the repository's own, watched by `serve`; the product's when it has none
    config: Path

    @property
    def layers(self) -> list[Path]:
        """The product's site_src first, the repository's own over it."""
        product = PRODUCT / "site_src"
        return [product] if self.site_src.resolve() == product.resolve() else [product, self.site_src]

    @property
    def templates(self) -> list[Path]:
        """Template folders in lookup order: the repository's own first."""
        return [layer / "templates" for layer in reversed(self.layers) if (layer / "templates").is_dir()]

    @classmethod
    def for_root(cls, root: Path) -> Sources:
        site_src = root / "site_src" if (root / "site_src").is_dir() else PRODUCT / "site_src"
        config = root / "mkdocs.yml" if (root / "mkdocs.yml").is_file() else PRODUCT / "mkdocs.yml"
        return cls(site_src, config)


def nav(audience: str, records: Records, members: list[str] | None = None) -> list:
    if audience == "public":
        return [{"首页": "index.md"}, {"典型案例": "cases.md"}, {"年度公开": "disclosure.md"},
                {"关于本站": "about.md"}]
    return [
        {"首页": "index.md"},
        {"台账": ["ledgers/index.md", *(f"ledgers/{code}.md" for code, _name in regions(records.units))]},
        *([{"下级汇总": ["members/index.md", *(f"members/{code}.md" for code in members)]}] if members else []),
        {"逾期清单": "overdue.md"},
        {"督办": "supervision.md"},
        {"条例执行": "violations.md"},
        {"确权与回访": "followthrough.md"},
        {UnitType.SOE: "soe.md"},
        {GroupKind.SUPERVISOR: "groups/index.md"},  # the group pages are linked from it
        {"进展": "progress.md"},
        {"本期变化": "changes.md"},
        {"调度报告": "reports/index.md"},  # the period pages are linked from it, not listed
        {"投诉线索": "clues.md"},
        {"典型案例": "cases.md"},
        {"下载": "downloads.md"},
        {"填报说明": ["guide/submit.md", "guide/rules.md", "guide/reference.md"]},
    ]


@dataclass(frozen=True)
class Assembly:
    """What a build made besides the docs folder: kept by `serve`, which updates it in place
    when a ledger changes (site/incremental.py) instead of making it again."""
    data: SiteData
    downloads: Downloads | None = None  # the office site's
    history: HistorySite | None = None
    soe_files: list[FileInfo] = field(default_factory=list)


def hand_written(root: Path, audience: str) -> set[str]:
    """The pages of site_src/pages/<audience>/ (the product's and the repository's), by docs path:
    a generated page of the same path gives way to them."""
    found = set()
    for layer in Sources.for_root(root).layers:
        folder = layer / "pages" / audience
        if folder.is_dir():
            found |= {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    return found


def assemble(records: Records, repo: Repo, audience: str, docs: Path, as_of: date | None,
             progress: Progress = SILENT) -> Assembly:
    """Write the docs folder: assets, hand-written pages, downloads and rendered pages."""
    sources = Sources.for_root(repo.root)
    config = repo.config
    campaign = config.campaign
    judge = Judge(config.rules)
    with progress.stage("派生字段", unit="笔欠款") as advance:
        today = site_date(records, as_of)
        rollup = rolled_up(repo.root, config, records, today) if audience == "office" else None
        data = SiteData(records, campaign, items_frame(records, campaign, as_of, judge), today, config.supervision,
                        rollup, judge)
        advance(len(data.frame))
    if docs.exists():
        shutil.rmtree(docs)
    # notes such as assets/vendor/README.md are for maintainers, not pages of the site
    for layer in sources.layers:
        if (layer / "assets").is_dir():
            shutil.copytree(layer / "assets", docs / "assets", ignore=shutil.ignore_patterns("*.md"),
                            dirs_exist_ok=True)
        if (layer / "pages" / audience).is_dir():
            shutil.copytree(layer / "pages" / audience, docs, dirs_exist_ok=True)
    downloads, past, soe_files = None, None, []
    if audience == "office":
        with progress.stage("历史页面"):
            past = history_site(data, repo, docs)
        with download_pool(data.frame) as pool:  # the SOE workbook and the 督办函 beside the other files
            soe_book = pool.add(partial(write_soe_book, data, docs))
            letters = start_notices(data, docs, config.document, pool)
            downloads = write_downloads(data.frame, docs, records, extra=past.files, progress=progress, pool=pool)
            soe_files, notices = soe_book.result(), dict(letters.results())
        with progress.stage("页面数据", unit="页") as advance:
            pages = office_pages(data, downloads, past.timelines, past.files, soe_files, notices)
            pages += past.pages + group_pages(data)
            pages.append(Page("guide/reference.md", "reference.md.j2", ReferenceContext(reference.reference_page())))
            advance(len(pages))
        write_lookup(records, data.rows, docs)  # names and codes to pages, for the search box
    else:
        pages = public_pages(data, config.complaint)
    generated, paths = [], set()
    for page in pages:  # a hand-written page of the repository (site_src/pages/) wins; of two for one path, the first
        if page.path not in paths and not (docs / page.path).exists():
            generated.append(page)
        paths.add(page.path)
    with progress.stage("页面（Markdown）", len(generated), "页") as advance:
        write_pages(environment(*sources.templates), generated, docs, advance)
    return Assembly(data, downloads, past, soe_files)


def write_soe_book(data: SiteData, docs: Path) -> list[FileInfo]:
    """The SOE review and annual figures as a workbook, linked from the 国有企业 page."""
    path = "downloads/soe.xlsx"
    book = soe_workbook(soe.review(data.records, data.frame),
                        soe.annual_figures(data.records, data.today))
    (docs / path).parent.mkdir(parents=True, exist_ok=True)
    (docs / path).write_bytes(book)
    return [FileInfo.of(path, "国有企业考核表和年报数据（Excel）", book)]


def job(root: Path, audience: str, docs: Path, out: Path, records: Records, today: date,
        versioned: bool = False) -> engine.Job:
    """What the engine builds: `docs` into `out`, with the audience's name and navigation, the
    repository's configuration and the theme overrides of its site_src/ over the product's."""
    sources = Sources.for_root(root)
    folders = [(layer / "overrides").resolve() for layer in reversed(sources.layers)]
    named = engine.custom_dir(sources.config)  # mkdocs.yml's own custom_dir, behind them
    overrides = [folder for folder in folders if folder.is_dir()] + ([named] if named else [])
    return engine.Job(sources.config, docs, out, SITE_NAMES[audience], nav(audience, records, members_of(docs)),
                      today, tuple(dict.fromkeys(overrides)), versioned)


def members_of(docs: Path) -> list[str]:
    """The member regions whose pages the build wrote (group_pages.member_pages), for the navigation."""
    return sorted(path.stem for path in (docs / "members").glob("*.md") if path.stem != "index")


def build_site(records: Records, repo: Repo | Path, audience: str, out: Path, as_of: date | None = None,
               docs: Path | None = None, versioned: bool = False, progress: Progress = SILENT) -> Assembly:
    """Build the complete static site of `audience` into `out` (replacing it); the generated
    Markdown goes to `docs` when given (kept, for serving and inspection), else a temporary folder.
    Each stage reports to `progress`."""
    repo = Repo.at(repo)
    check_out(repo.root, out)
    if docs is None:
        with tempfile.TemporaryDirectory(prefix="qingqian-docs-") as tmp:
            return build_site(records, repo, audience, out, as_of, Path(tmp) / "docs", versioned, progress)
    with kept_out_of_collection() as settle:  # the records now, the pages' data after assembling
        assembly = assemble(records, repo, audience, docs, as_of, progress)
        settle()
        engine.build(job(repo.root, audience, docs, out, records, assembly.data.today, versioned), progress)
    if not versioned:  # mike commits the folder as the site: no marker in published versions
        mark(out)
    return assembly


def mark(out: Path) -> None:
    """Say that `out` is a site a build made: the next build may empty it."""
    (out / MARKER).write_text("本目录由 qingqian build 生成，再次生成时会被清空。\n", encoding="utf-8")
