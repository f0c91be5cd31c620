"""Render site pages as Markdown from the jinja2 templates in `site_src/templates/`.

Every value a template prints is escaped by default (`finalize`): the characters Markdown,
its attr_list extension or HTML could read as syntax become numeric entities and whitespace
runs become one space. Entities mean the same in Markdown text, in a table cell and in an
HTML attribute, so one escaping is safe wherever a template puts a value; a forgotten
filter cannot let data become a link, a heading, an attribute list or a tag.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from functools import partial
from pathlib import Path
from urllib.parse import quote

import markdown
import nh3
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..core.money import fen, grouped
from ..core.money import wan as money_wan
from ..core.running import PARALLEL_FROM, Forked
from ..core.schema import item_field_label
from ..core.text import escape
from .page_data import Page


def money(amount: int | Decimal) -> Markup:
    """Fen (int) or yuan (Decimal) as yuan with thousands separators: 1234567 -> 12,345.67."""
    return Markup(grouped(fen(amount) if isinstance(amount, Decimal) else amount))


def wan(fen_amount: int) -> Markup:
    """Fen as 万元 with two decimals and thousands separators."""
    return Markup(f"{money_wan(fen_amount):,}")


def percent(value: Fraction | Decimal | None, digits: int = 1) -> Markup:
    if value is None:
        return Markup("—")
    scaled = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else value
    return Markup(f"{(scaled * 100).quantize(Decimal(1).scaleb(-digits))}%")


def size(count: int) -> Markup:
    """A file size as people read it: 812 字节, 14 KB, 2.3 MB."""
    if count < 1024:
        return Markup(f"{count} 字节")
    if count < 1024 * 1024:
        return Markup(f"{round(count / 1024)} KB")
    return Markup(f"{count / 1024 / 1024:.1f} MB")


def sort_key(value: Fraction | Decimal | int | None) -> Markup:
    """A plain number for tablesort's data-sort attribute."""
    if value is None:
        return Markup("-1")
    if isinstance(value, Fraction):
        return Markup(f"{Decimal(value.numerator) / Decimal(value.denominator):.6f}")
    return Markup(str(value))


def url(path: str) -> Markup:
    """A site-relative link target built from ids; quoting keeps any character inert."""
    return Markup(quote(path, safe="/#.-_~"))


def data_json(value: object) -> Markup:
    """JSON for a data-* attribute: HTML-escaped so that no quote or tag can end it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
                  .replace(">", "&gt;").replace("'", "&#39;"))


SUMMARY_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "code", "pre", "blockquote",
                "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr", "th", "td"}


def _no_raw_html(md: markdown.Markdown) -> None:
    """Raw HTML in the source stays text: without these two steps Markdown copies it through."""
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")


def summary_html(source: str) -> Markup:
    """A case summary (Markdown written by the office) as sanitised HTML: raw HTML is shown
    as text, and the output keeps only plain formatting tags and http(s)/mailto links."""
    md = markdown.Markdown(extensions=["tables"])
    _no_raw_html(md)
    html = md.convert(source)
    clean = nh3.clean(html, tags=SUMMARY_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    # One line: a blank line would end the raw HTML block the page puts it in.
    return Markup(clean.replace("\n", " ").strip())


def front_matter(**values: object) -> Markup:
    """YAML front matter; titles are HTML-escaped because mkdocs-material prints them unescaped."""
    lines = ["---"]
    for key, value in values.items():
        if key == "title":
            value = str(escape(value))
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}")
    lines.append("---")
    return Markup("\n".join(lines))


def environment(*templates: Path) -> Environment:
    """Templates looked up in the given folders in turn: a data repository overrides one
    template by putting a file of the same name in its own `site_src/templates/`."""
    loader = ChoiceLoader([FileSystemLoader(str(folder)) for folder in templates])
    env = Environment(loader=loader, undefined=StrictUndefined,
                      autoescape=True, finalize=escape, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(money=money, wan=wan, percent=percent, sort_key=sort_key, url=url,
                       data_json=data_json, summary_html=summary_html,
                       field_label=item_field_label, size=size)
    env.globals.update(front_matter=front_matter)
    return env


def render(env: Environment, template: str, context: dict) -> str:
    return env.get_template(template).render(**context)


def markdown_of(env: Environment, page: Page) -> str:
    return render(env, page.template, {"root": Markup(page.root), **page.context})


def _write(env: Environment, pages: list[Page], docs: Path, share: range) -> int:
    for index in share:
        page = pages[index]
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown_of(env, page), encoding="utf-8")
    return len(share)


def write_pages(env: Environment, pages: list[Page], docs: Path, advance: Callable[[int], None],
                jobs: int | None = None) -> None:
    """Render every page into the docs folder. At province scale the pages are shared out to
    worker processes that inherit them, and the templates, by fork: a unit page's context
    holds its records and frame rows, which would cost more to pickle than to render. Where
    processes are not forked, or for a few pages, they are rendered in this process."""
    with Forked(jobs if len(pages) >= PARALLEL_FROM else 1, pickles=False) as pool:
        # every n-th page to each share, a few shares per worker: big and small pages spread evenly
        count = pool.jobs * 4
        shares = [pool.add(partial(_write, env, pages, docs, range(start, len(pages), count)))
                  for start in range(count)]
        pool.start()
        for share in shares:
            advance(share.result())
