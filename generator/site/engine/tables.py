"""An in-process mkdocs plugin that keeps the pages' data tables out of mkdocs' way.

A unit, region or list page is mostly one or more `<div class="qq-table" data-search-exclude>`
HTML blocks. mkdocs would parse each of them three times for nothing: Python-Markdown's raw
HTML block parser (which then copies the block through unchanged), mkdocs' anchor scan, and
the search plugin's parser (which then drops it: the block is excluded from search). At
province scale that was most of the mkdocs time. So each block is swapped for a one-line
placeholder before the Markdown is converted and swapped back into the finished HTML page.

Safe because a placeholder cannot come from data: the renderer escapes every `<` in a value
(generator/site/render.py), and each placeholder must occur exactly once in the page mkdocs wrote,
else the build fails. The page is byte for byte what mkdocs would have written with the tables
left in place, and links inside the tables were never checked by mkdocs (it checks Markdown
links only), so nothing is lost.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

# A block starts and ends a line, as the `data_table` macro (site_src/templates/_macros.j2) writes
# every one of them; no table holds a nested div.
TABLE = re.compile(r'^<div class="qq-table" data-search-exclude>\n.*?^</div>$', re.MULTILINE | re.DOTALL)
NAME = "qingqian-tables"


def placeholder(number: int) -> str:
    return f'<div class="qq-table-slot" data-slot="{number}"></div>'


class TablesAside(BasePlugin):
    """Takes the tables out in `on_page_markdown` and puts them back in `on_post_page`."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[str]] = {}  # page source path -> its tables, in order

    def on_page_markdown(self, markdown: str, /, *, page: Page, **_kwargs) -> str:
        tables: list[str] = []

        def set_aside(match: re.Match) -> str:
            tables.append(match.group(0))
            return placeholder(len(tables) - 1)

        markdown = TABLE.sub(set_aside, markdown)
        if tables:
            self.tables[page.file.src_uri] = tables
        return markdown

    def on_post_page(self, output: str, /, *, page: Page, **_kwargs) -> str:
        tables = self.tables.pop(page.file.src_uri, [])
        if not tables:
            return output
        parts = re.split(r'<div class="qq-table-slot" data-slot="(\d+)"></div>', output)
        slots = [int(number) for number in parts[1::2]]
        if sorted(slots) != list(range(len(tables))):
            raise PluginError(f"{page.file.src_uri}：表格占位符 {slots} 与 {len(tables)} 个表格不符")
        parts[1::2] = [tables[number] for number in slots]
        return "".join(parts)
