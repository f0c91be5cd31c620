"""Pages the site's templates write as HTML: the unit and creditor pages, nine in ten of a province's.

Python-Markdown took about half of mkdocs' time per page, for pages that are almost all HTML
already (their tables are HTML blocks; site/engine/tables.py). So `unit.html.j2` and `creditor.html.j2`
write the HTML that Markdown made of them — headings with the toc extension's ids and
permalinks, paragraphs, lists — after YAML front matter whose first key is `html: true`. Every
value is escaped as in any template (site/render.py), so no data becomes markup here either.

mkdocs still knows these pages (links to them resolve, the sitemap lists them, the theme lays them
out and the search plugin indexes them), but never converts them: this plugin takes their body
before Python-Markdown sees it and gives it back as the page's content, with the table of contents,
anchors and links that Markdown would have reported. Their links are checked here, since mkdocs
checks Markdown links only: a link to a file the site does not have is a warning (strict mode fails
the build), and an anchor into another page is handed to mkdocs' own anchor check.
`populate` is mkdocs' `_populate_page` for the pages built aside (site/engine/unlisted.py), which skips
even converting the empty Markdown of such a page.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
from urllib.parse import unquote, urlsplit

from markdown.extensions.toc import nest_toc_tokens
from mkdocs.commands.build import _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .tables import NAME as TABLES
from .tables import TablesAside

NAME = "qingqian-html"
MARK = "html"  # the front matter key that says the body is HTML
HEADING = re.compile(r'<h([1-6])(?: data-search-exclude)? id="([^"]*)">(.*?)<a class="headerlink"')
ID = re.compile(r'\sid="([^"]*)"')
HREF = re.compile(r'\shref="([^"]*)"')
log = logging.getLogger("mkdocs.plugins.qingqian")


def is_html(page: Page) -> bool:
    return page.meta.get(MARK) is True


def populate(page: Page, config: MkDocsConfig, files: Files) -> None:
    """mkdocs' `_populate_page`, without converting the (empty) Markdown of an HTML page."""
    if page.file.src_uri.endswith(".md") and page.file.content_string.startswith(f"---\n{MARK}: true\n"):
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.content = config.plugins.on_page_content("", page=page, config=config, files=files)
        return
    _populate_page(page, config, files)


class HtmlPages(BasePlugin):
    """Takes an HTML page's body in `on_page_markdown` (first, before the tables are set aside)
    and gives it back in `on_page_content`."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: dict[str, str] = {}
        self.dests: tuple[int, dict[str, File]] | None = None  # the Files, by site path

    @event_priority(100)
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not is_html(page):
            return markdown
        self.bodies[page.file.src_uri] = markdown
        return ""

    @event_priority(100)
    def on_page_content(self, content: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        body = self.bodies.pop(page.file.src_uri, None)
        if body is None:
            return content
        tokens = [{"level": int(level), "id": html.unescape(anchor), "name": name, "children": []}
                  for level, anchor, name in HEADING.findall(body)]
        page.toc = get_toc(nest_toc_tokens(tokens))
        page.present_anchor_ids = {html.unescape(anchor) for anchor in ID.findall(body)}
        page.links_to_anchors = self._links(page, body, files)
        tables = config.plugins.get(TABLES)  # set aside: the search plugin need not parse them
        return tables.on_page_markdown(body, page=page) if isinstance(tables, TablesAside) else body

    def _by_dest(self, files: Files) -> dict[str, File]:
        if self.dests is None or self.dests[0] != id(files):
            self.dests = (id(files), {file.dest_uri: file for file in files})
        return self.dests[1]

    def _links(self, page: Page, body: str, files: Files) -> dict[File, dict[str, str]]:
        """Check the page's links to files of the site; the anchors into other pages, for mkdocs."""
        by_dest, folder = self._by_dest(files), posixpath.dirname(page.file.dest_uri)
        anchors: dict[File, dict[str, str]] = {}
        for href in {html.unescape(href) for href in HREF.findall(body)}:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("/"):
                continue
            if not parts.path:  # an anchor of this page
                target: File | None = page.file
            else:
                target = by_dest.get(posixpath.normpath(posixpath.join(folder, unquote(parts.path))))
            if target is None:
                log.warning(f"Doc file '{page.file.src_uri}' contains a link '{href}', "
                            "but the target is not found among documentation files.")
                continue
            if parts.fragment and target.is_documentation_page():
                anchors.setdefault(target, {})[parts.fragment] = href  # as the ids are written
        return anchors
