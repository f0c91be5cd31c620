"""The pages outside the navigation (units, creditors, groups, report periods) built on every core.

At province scale nine pages in ten are such pages, and mkdocs builds its pages one after the
other in one process. This plugin takes them over: mkdocs runs a dirty build in which these
pages count as up to date (their File says so), so it neither reads nor builds them, yet they
stay among its files (links to them resolve, the sitemap lists them, anchors into them are
checked). The plugin builds them in `on_env` — once every other page is read, as mkdocs would
have it — with mkdocs' own `_populate_page` and `_build_page` (Markdown, plugins, theme,
search entry, file written), in forked workers when there are many; the theme's navigation,
the same for every page of a folder, is rendered once per folder (`shared_parts`). It then
hands mkdocs what it needs of them: their anchors and the anchored links they hold (mkdocs
checks those after building its pages, so a broken one still fails a strict build), their
search entries (put in the order mkdocs would have written them), and every warning a
worker logged.

Safe because a page outside the navigation appears in no other page: its title, contents
and links are its own. Only mkdocs' search plugin and the site's own plugins are known to
keep no state across pages that this would break; with any other plugin configured mkdocs
builds everything itself. tests/test_unlisted.py builds sites both ways and compares every byte.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import posixpath
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment, TemplateNotFound, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.commands.build import _build_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_theme_dir

from ...core.running import PARALLEL_FROM, Advance, Forked, can_fork
from .. import SiteError
from .html_pages import is_html, populate
from .shell import Shells, build_page

NAME = "qingqian-unlisted"
OWN = "qingqian-"  # the names of the site's own plugins begin so (site/engine/material.py)
SEARCH = "material/search"
ENABLED = True  # tests/test_unlisted.py turns it off to compare with mkdocs' plain build
# The theme's partials that a page outside the navigation shares with every page of its folder:
# the navigation (a third of the theme's time), where no item is such a page, and the search box.
SHARED = ("partials/nav.html", "partials/search.html")
SHARE = 250  # pages


def _up_to_date() -> bool:
    """A page this plugin builds is up to date to mkdocs: it leaves it alone."""
    return False


def applies(config: MkDocsConfig) -> bool:
    """Whether only plugins known to be safe with it are configured."""
    return ENABLED and all(name == SEARCH or name.startswith(OWN) for name in config.plugins)


@dataclass
class Built:
    """What the parent process needs of a page a worker built."""
    src_uri: str
    url: str
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None  # linked page's src_uri -> anchor -> the link as written
    entries: list[dict[str, Any]]  # its search entries


@dataclass
class Share:
    """A worker's answer for one share of the pages."""
    built: list[Built] = field(default_factory=list)
    records: list[logging.LogRecord] = field(default_factory=list)
    error: BaseException | None = None


@dataclass
class State:
    """What a forked worker inherits."""
    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Environment
    pages: list[Page]
    shells: Shells = field(default_factory=Shells)  # the layout of the pages written as HTML (site/engine/shell.py)


class UnlistedPages(BasePlugin):
    """Builds the pages outside the navigation; `dirty`: the build is a real dirty one (serve),
    in which only pages whose Markdown is newer than their HTML are built."""

    def __init__(self, dirty: bool, advance: Advance, jobs: int | None = None) -> None:
        super().__init__()
        self.dirty, self.advance, self.jobs = dirty, advance, jobs or os.cpu_count() or 1
        self.todo: list[File] = []
        self.nav: Navigation | None = None
        self.order: dict[str, int] = {}  # page url -> its place among the built pages
        self.built: set[str] = set()  # the urls of the pages this plugin built

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        listed = {page.file.src_uri for page in nav.pages}
        for file in files.documentation_pages():
            if file.src_uri in listed:
                continue
            if not self.dirty or file.is_modified():
                self.todo.append(file)
            file.is_modified = _up_to_date  # type: ignore[method-assign]
        return nav

    @event_priority(-100)  # last: the environment every other plugin made
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        assert self.nav is not None
        self.order = {file.page.url: number for number, file in enumerate(files.documentation_pages()) if file.page}
        pages = [file.page for file in self.todo if file.page is not None]
        state = State(config, files, self.nav, shared_parts(env), pages)
        if self.jobs == 1 or len(pages) < PARALLEL_FROM or not can_fork():
            _build_pages(state, range(len(pages)))  # mkdocs' hooks run here: nothing to hand over
            self.built |= {page.url for page in pages}
            return env
        _segmenter_ready(config)
        # one page of each folder first, here: the workers inherit the theme's templates compiled and
        # their shared parts rendered, instead of each doing it again
        firsts = set({posixpath.dirname(page.url): n for n, page in reversed(list(enumerate(pages)))}.values())
        _build_pages(state, sorted(firsts))
        self.built |= {pages[number].url for number in firsts}
        rest = [number for number in range(len(pages)) if number not in firsts]
        # every n-th page to each share (big and small pages spread evenly), a few shares per worker and
        # some hundred pages each at most, so that the progress moves as they come back
        count = max(self.jobs * 4, len(rest) // SHARE)
        shares = [rest[start::count] for start in range(count)]
        try:
            with Forked(self.jobs, pickles=False) as pool:
                answers = [pool.add(partial(_build_share, state, share)) for share in shares]
                pool.start()
                for answer in answers:
                    self._take(answer.result(), files, config)
        except BrokenProcessPool as exc:
            raise SiteError("生成单位、债权人等页面的工作进程意外退出（内存不足？）") from exc
        return env

    def _take(self, share: Share, files: Files, config: MkDocsConfig) -> None:
        for record in share.records:  # as if logged here: strict mode counts the warnings
            logging.getLogger(record.name).handle(record)
        if share.error is not None:
            raise share.error
        index = _search_index(config)
        for built in share.built:
            file = files.get_file_from_path(built.src_uri)
            assert file is not None and file.page is not None
            file.page.present_anchor_ids = built.anchors
            file.page.links_to_anchors = None if built.links is None else {
                files.get_file_from_path(uri) or file: links for uri, links in built.links.items()}
            if index is not None:
                index.entries += built.entries
            self.built.add(built.url)
        self.advance(len(share.built))

    @event_priority(50)  # before the search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The search entries in the order of the pages, as mkdocs' own build adds them."""
        index = _search_index(config)
        if index is not None and self.built:
            last = len(self.order)
            index.entries.sort(key=lambda entry: self.order.get(entry["location"].partition("#")[0], last))


def shared_parts(env: Environment) -> Environment:
    """`env`, in which the partials in SHARED are rendered once per folder and then copied: they
    depend on the page only through its folder (their links are relative to it) and through
    which item of the navigation is the page, and none is for a page built here."""
    done: dict[tuple[str, str], Markup] = {}

    @pass_context
    def shared(context: Context, name: str) -> Markup:
        key = (name, posixpath.dirname(context["page"].url))
        if key not in done:  # rendered as an include renders it, in the includer's context
            template = env.get_template(name)
            done[key] = Markup("".join(template.root_render_func(template.new_context(context.get_all(), True))))
        return done[key]

    assert env.loader is not None
    theirs = [name for name in SHARED if _material(env, name)]  # not a repository's own override
    stand_ins = DictLoader({name: f"{{{{ qq_shared({name!r}) }}}}" for name in theirs})
    overlay = env.overlay(loader=ChoiceLoader([stand_ins, env.loader]), cache_size=400)  # its own cache
    overlay.globals = {**env.globals, "qq_shared": shared}  # an overlay shares the dict: a copy
    return overlay


def _material(env: Environment, name: str) -> bool:
    """Whether the template `name` is mkdocs-material's own file (what SHARED says is about it)."""
    try:
        found = env.get_template(name).filename
    except TemplateNotFound:
        return False
    return found is not None and Path(found).resolve().is_relative_to(Path(get_theme_dir("material")).resolve())


def _search_index(config: MkDocsConfig) -> Any:
    plugin = config.plugins.get(SEARCH)
    return getattr(plugin, "search_index", None)


def _segmenter_ready(config: MkDocsConfig) -> None:
    """Load the search plugin's Chinese word segmenter once, before the workers fork."""
    if _search_index(config) is None:
        return
    try:
        import jieba
    except ImportError:
        return
    jieba.initialize()


def _build_pages(state: State, share: Sequence[int]) -> list[Built]:
    """Read, then build, the pages of `share` as mkdocs' build does (all read before any is built)."""
    pages = [state.pages[number] for number in share]
    for page in pages:
        populate(page, state.config, state.files)
    documentation = state.files.documentation_pages(inclusion=InclusionLevel.is_included)
    index = _search_index(state.config)
    built = []
    for page in pages:
        before = len(index.entries) if index is not None else 0
        if is_html(page) and not page.file.inclusion.is_excluded():
            build_page(page, state.config, documentation, state.nav, state.env, state.shells)
        else:
            _build_page(page, state.config, documentation, state.nav, state.env,
                        excluded=page.file.inclusion.is_excluded())
        links = None if page.links_to_anchors is None else {
            file.src_uri: links for file, links in page.links_to_anchors.items()}
        built.append(Built(page.file.src_uri, page.url, page.present_anchor_ids, links,
                           index.entries[before:] if index is not None else []))
    return built


class _Kept(logging.Handler):
    """A worker's log, kept for the parent process."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None  # the arguments may not pickle
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


_KEPT: _Kept | None = None  # a forked worker's log, once it has built a share


def _kept_log() -> _Kept:
    """In a forked worker: its log, kept for the parent in place of the handlers it inherited
    (the parent's, strict mode's counter among them, stay there)."""
    global _KEPT
    assert multiprocessing.parent_process() is not None, "only a worker hands its log over"
    if _KEPT is None:
        _KEPT = _Kept()
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger):
                for handler in list(logger.handlers):
                    logger.removeHandler(handler)
        logging.getLogger().addHandler(_KEPT)
    return _KEPT


def _build_share(state: State, share: list[int]) -> Share:
    """In a worker running.Forked forked: the pages of `share`, and what the parent needs of them."""
    kept = _kept_log()
    answer = Share()
    try:
        answer.built = _build_pages(state, share)
    except Exception as exc:
        answer.error = exc if _pickles(exc) else PluginError(f"{type(exc).__name__}: {exc}")
    index = _search_index(state.config)
    if index is not None:
        index.entries.clear()  # handed over
    answer.records, kept.records = kept.records, []
    return answer


def _pickles(value: object) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True

