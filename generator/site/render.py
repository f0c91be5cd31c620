"""Render site pages as Markdown from the jinja2 templates in `site_src/templates/`.

Every value a template prints is escaped by default (`finalize`): the characters Markdown,
its attr_list extension or HTML could read as syntax become numeric entities and whitespace
runs become one space. Entities mean the same in Markdown text, in a table cell and in an
HTML attribute, so one escaping is safe wherever a template puts a value; a forgotten
filter cannot let data become a link, a heading, an attribute list or a tag.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from functools import partial
from pathlib import Path
from urllib.parse import quote

import markdown
import nh3
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

from ..core import vocab
from ..core.money import fen, grouped
from ..core.money import percent as money_percent
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


def percent(value: Fraction | Decimal | None) -> Markup:
    """A rate as every output shows it (money.percent: rounded once, half-up, one decimal)."""
    return Markup(money_percent(None if value is None else Fraction(value)))


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


# Table cells and links printed for every debt row: Python rather than jinja2 macros, which cost ten
# times as much per call (a province's pages make hundreds of thousands of them). _macros.j2 exports
# each under its old name, so templates still write `m.money_cell(d.amount)`. Every value goes
# through `escape` exactly as `{{ value }}` would, so the output is the macros' to the byte.

def num_head(label: object, unit: object = "") -> Markup:
    """A right-aligned, numerically sorted header; money headers name their unit: `num_head("剩余", "元")`."""
    suffix = f"（{escape(unit)}）" if unit else ""
    return Markup(f'<th class="num" data-sort-method="number">{escape(label)}{suffix}</th>')


def money_cell(amount: int | Decimal | None) -> Markup:
    """A money cell in 元 with thousands separators, sorted by its fen; empty for no amount."""
    shown = "" if amount is None else money(amount)
    return Markup(f'<td class="num" data-sort="{sort_key(amount)}">{shown}</td>')


def unit_link(root: object, unit_id: str, name: object) -> Markup:
    """A unit by its name, linked to its page; the id is only a tooltip."""
    return Markup(f'<a href="{escape(root)}units/{url(unit_id)}.html" title="{escape(unit_id)}">{escape(name)}</a>')


def unit_ref(root: object, names: dict, unit_id: str) -> Markup:
    """A unit referred to by id (a clue's respondent): its name linked, the id only if it is unknown."""
    return unit_link(root, unit_id, names[unit_id]) if unit_id in names else escape(unit_id)


def unit_cell(root: object, unit_id: str, name: object) -> Markup:
    """unit_link as a table cell that may wrap to two lines."""
    return Markup(f'<td class="name">{unit_link(root, unit_id, name)}</td>')


def debt_link(root: object, unit_id: str, debt_id: object) -> Markup:
    """A debt id linked to its row on the unit page."""
    return Markup(f'<a href="{escape(root)}units/{url(unit_id)}.html#{url("debt-" + str(debt_id))}">'
                  f'{escape(debt_id)}</a>')


def creditor_link(root: object, code: str, name: object) -> Markup:
    """A creditor's name linking to its office page (by credit code); `root` as for unit_link."""
    return Markup(f'<a href="{escape(root)}creditors/{url(code)}.html" title="{escape(code)}">{escape(name)}</a>')


def creditor_cell(root: object, code: str, name: object) -> Markup:
    return Markup(f'<td class="name">{creditor_link(root, code, name)}</td>')


def commit(sha: str | None) -> Markup:
    """A git commit in small print: ten hex digits are enough to find it."""
    return Markup(f'<span class="qq-hash" title="{escape(sha)}">{escape(sha[:10])}</span>') if sha else Markup("")


def yes(flag: object, text: object = "是") -> Markup:
    """A flag shown as a highlighted word when set, nothing otherwise."""
    return Markup(f'<span class="qq-late">{escape(text)}</span>') if flag else Markup("")


CELLS = {f.__name__: f for f in (num_head, money_cell, unit_link, unit_ref, unit_cell, debt_link,
                                 creditor_link, creditor_cell, commit, yes)}


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


def slug(text: object) -> str:
    """A heading's id as Markdown's toc extension (mkdocs.yml) makes it, for the pages written as HTML."""
    return slugify_unicode(str(text), "-")


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
                       field_label=item_field_label, size=size, slug=slug)
    env.globals.update(front_matter=front_matter, vocab=vocab, **CELLS)  # vocab: the domain's words
    return env


def render(env: Environment, template: str, context: dict) -> str:
    return env.get_template(template).render(**context)


def markdown_of(env: Environment, page: Page) -> str:
    text = render(env, page.template, page.variables())
    return unique_title(text) if page.template.endswith(".html.j2") else text


TITLE_ID = re.compile(r'<h1(?: data-search-exclude)? id="([^"]*)">')


def unique_title(html: str) -> str:
    """A page written as HTML takes its title's id from a name (a unit's, a firm's), which may be
    blank or the id of a section or row of the same page (a firm called 投诉): then the title's id
    gets a suffix, _1, _2 …, as Markdown's toc extension gives a repeated id. The sections and rows
    keep theirs: other pages link to them."""
    found = TITLE_ID.search(html)
    if found is None or (found[1] and html.count(f' id="{found[1]}"') == 1):
        return html
    taken, number = found[1], 1
    while f' id="{taken}_{number}"' in html:
        number += 1
    new = f"{taken}_{number}"
    end = html.index("</h1>", found.start())
    title = html[found.start():end].replace(f' id="{taken}"', f' id="{new}"', 1).replace(
        f'href="#{taken}"', f'href="#{new}"', 1)
    return html[:found.start()] + title + html[end:]


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
