"""The theme's layout rendered once per folder for the pages written as HTML, then filled per page.

The unit and creditor pages (site/engine/html_pages.py) of one folder differ, in the theme's output, only
in their title, their content and the id of their first heading: the navigation, the search box,
the header, the table of contents (their headings are the template's), the scripts and styles are
the same. So the theme renders a probe page once — this page with stand-ins for the three — and the
output, split at the stand-ins, is a shell that each page of the folder with the same layout
(template, front matter but for the title, table of contents but for the first heading) fills.

The theme may print the title more than once, and not always as it is (`striptags` in <title>):
every place a stand-in appears must be one of the known forms (FORMS), every stand-in must be
found, and the page the shell was made from must come out of it byte for byte as the theme
renders it; otherwise that layout is rendered page by page as before. tests/test_unlisted.py
compares the whole site with mkdocs' own build, page by page.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Sequence
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup, escape
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file
from mkdocs.utils.templates import TemplateContext

TITLE = "QqShellTitle&amp;<i>x</i>"  # markup in it, so that each form of it is told apart
CONTENT = "<h1 QqShellContent>"  # the theme adds a heading to a content without one
ANCHOR = "QqShellAnchor"
# what the theme may do to a title where it prints it: the form of the stand-in -> the same for a page
FORMS: dict[str, Callable[[str], str]] = {
    TITLE: str,
    str(Markup(TITLE).striptags()): lambda title: str(Markup(title).striptags()),
    str(escape(TITLE)): lambda title: str(escape(title)),
}
SLOT = re.compile("|".join(re.escape(form) for form in sorted([*FORMS, CONTENT, ANCHOR], key=len, reverse=True)))


def _toc_shape(page: Page) -> str:
    """The table of contents but for the first heading's title and id."""
    def shape(items: Any, top: bool) -> list:
        return [[item.level, None if top and n == 0 else (item.id, item.title), shape(item.children, False)]
                for n, item in enumerate(items)]
    return json.dumps(shape(page.toc, True), ensure_ascii=False)


def _key(page: Page, template: Template) -> tuple | None:
    """What the layout of `page` depends on besides its title, content and first heading; None
    when it depends on more than a shell can hold (links to other pages, a canonical url)."""
    if page.previous_page or page.next_page or page.canonical_url or page.edit_url or page.is_homepage:
        return None
    meta = {key: value for key, value in page.meta.items() if key not in ("title", "tags")}
    return (template.name, posixpath.dirname(page.url), json.dumps(meta, sort_keys=True, default=str),
            _toc_shape(page), "<h1" in (page.content or ""))


class Shells:
    """The shells made so far, by layout; `None` for a layout that cannot have one."""

    def __init__(self) -> None:
        self.made: dict[tuple, list[str] | None] = {}

    def render(self, template: Template, context: TemplateContext, page: Page) -> str:
        """The theme's output for `page`: from its layout's shell when there is one."""
        key = _key(page, template)
        if key is None:
            return template.render(context)
        if key not in self.made:
            output = template.render(context)
            self.made[key] = _shell(template, context, page, output)
            return output
        parts = self.made[key]
        return template.render(context) if parts is None else _fill(parts, page)


def _fill(parts: list[str], page: Page) -> str:
    title, anchor = page.title or "", page.toc.items[0].id if page.toc.items else ""
    out = []
    for number, part in enumerate(parts):
        if number % 2 == 0:
            out.append(part)
        elif part == CONTENT:
            out.append(page.content or "")
        elif part == ANCHOR:
            out.append(anchor)
        else:
            out.append(FORMS[part](title))
    return "".join(out)


def _shell(template: Template, context: TemplateContext, page: Page, output: str) -> list[str] | None:
    """Render `page` with stand-ins and split the output at them; None when the shell would not
    give `output` back for this very page."""
    if not page.toc.items or page.toc.items[0].level != 1 or "title" not in page.meta:
        return None
    first = page.toc.items[0]
    saved = page.meta.get("title"), page.content, first.id, first.title
    try:
        page.meta["title"], page.content, first.id, first.title = TITLE, CONTENT, ANCHOR, TITLE
        probe = template.render(context)
    finally:
        page.meta["title"], page.content, first.id, first.title = saved
    parts = SLOT.split(probe)
    slots = SLOT.findall(probe)
    merged: list[str] = [parts[0]]
    for slot, text in zip(slots, parts[1:], strict=True):
        merged += [slot, text]
    literal = "".join(merged[0::2])
    own = posixpath.basename(page.url)  # the page's own file named in the layout: not shared
    if "QqShell" in literal or own in literal or CONTENT not in slots or _fill(merged, page) != output:
        return None
    return merged


def build_page(page: Page, config: MkDocsConfig, doc_files: Sequence[File], nav: Navigation,
               env: Environment, shells: Shells) -> None:
    """mkdocs' `_build_page` for a page written as HTML, its layout from `shells`."""
    config._current_page = page
    try:
        page.active = True
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = config.plugins.on_post_page(shells.render(template, context, page), page=page, config=config)
        write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
    finally:
        page.active = False
        config._current_page = None
