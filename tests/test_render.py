"""Templates and escaping: data can never become Markdown or HTML syntax."""

import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import markdown
import pytest
from markupsafe import Markup

from generator.core.text import escape
from generator.site.build import PRODUCT
from generator.site.render import environment, front_matter, money, percent, render, summary_html
from helpers import build

HOSTILE = [
    "<script>alert(1)</script>",
    "a | b || c",
    "第一行\n\n第二行\n| x | y |",
    "[点我](javascript:alert(1))",
    "<javascript:alert(1)>",
    "名称 {: onclick=\"alert(1)\" }",
    "名称 { #x .y onclick=alert(1) }",
    "# 不是标题",
    "1. 不是列表",
    "- 不是列表",
    "---",
    "**粗** _斜_ `代码` ~~删~~",
    "&lt;b&gt; &amp; <b>粗</b>",
    "</title><img src=x onerror=alert(1)>",
    "\"引号\" '单引号'",
]


def site_markdown(text: str) -> str:
    """Markdown as the site converts it (the extensions of mkdocs.yml that act on text)."""
    return markdown.markdown(text, extensions=["toc", "tables", "attr_list", "admonition"])


class Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("context", ["{}", "# {}", "- {}", "| 列 |\n|---|\n| {} |", "<td>{}</td>",
                                     '<a title="{}">x</a>'])
def test_escaped_data_stays_text(value, context):
    """Whatever the value, the HTML has exactly the elements the context made, no more."""
    bare = Tags(site_markdown(context.format("x"))).tags
    tags = Tags(site_markdown(context.format(escape(value)))).tags
    assert [t for t, _a in tags] == [t for t, _a in bare]
    for (_tag, attrs), (_bare_tag, bare_attrs) in zip(tags, bare, strict=True):
        assert attrs.keys() == bare_attrs.keys()
        assert not any(k in ("href", "src") for k in attrs)


@pytest.mark.parametrize("value", HOSTILE)
def test_escaped_data_stays_text_in_the_pages_written_as_html(value, tmp_path):
    """The unit and creditor pages skip Markdown (site/engine/html_pages.py): in their headings, ids,
    paragraphs and links a value is text too."""
    (tmp_path / "t.html.j2").write_text('{% import "_macros.j2" as m %}{{ m.heading(1, v, v|slug) }}'
                                        '<p>{{ v }}</p><ul><li>{{ m.creditor_link("../", v, v) }}</li></ul>')
    env = environment(tmp_path, PRODUCT / "site_src" / "templates")
    bare = Tags(render(env, "t.html.j2", {"v": "x"})).tags
    tags = Tags(render(env, "t.html.j2", {"v": value})).tags
    assert [t for t, _a in tags] == [t for t, _a in bare]
    for (_tag, attrs), (_bare_tag, bare_attrs) in zip(tags, bare, strict=True):
        assert attrs.keys() == bare_attrs.keys()


def test_escape_keeps_chinese_readable():
    assert escape("示例市交通运输局（示例）") == "示例市交通运输局（示例）"
    assert escape("多行\n  文本") == "多行 文本"
    assert escape(None) == "" and escape(True) == "是" and escape(date(2022, 1, 2)) == "2022-01-02"
    assert escape(Markup("<b>可信</b>")) == "<b>可信</b>"


def test_summary_markdown_is_rendered_without_raw_html():
    html = summary_html("**加粗**\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(1)) "
                        "[官网](https://example.cn) ![图](http://evil.example/x.png)\n\n<div onclick=x>块</div>")
    assert "<strong>加粗</strong>" in html
    assert "<script" not in html and "<div" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text
    assert "javascript" not in html
    assert 'href="https://example.cn"' in html
    assert "\n" not in html


def test_front_matter_title_is_html_escaped():
    text = front_matter(title="<script>x</script>", search={"exclude": True})
    assert text.splitlines() == ["---", 'title: "&#60;script&#62;x&#60;/script&#62;"',
                                 'search: {"exclude": true}', "---"]


def test_money_and_percent():
    assert money(123456789) == "1,234,567.89"
    assert money(-5) == "-0.05" and money(0) == "0.00"
    assert money(Decimal("45000.05")) == "45,000.05"
    assert percent(Fraction(1, 3)) == "33.3%" and percent(None) == "—"


def test_strict_undefined_fails_on_a_misspelt_name(tmp_path: Path):
    (tmp_path / "t.md.j2").write_text("{{ unit.nmae }}", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        render(environment(tmp_path), "t.md.j2", {"unit": {"name": "x"}})


def test_every_template_compiles():
    env = environment(PRODUCT / "site_src" / "templates")
    names = env.list_templates()
    assert {"dashboard.md.j2", "unit.html.j2", "creditor.html.j2", "region.md.j2", "overdue.md.j2", "supervision.md.j2",
            "clues.md.j2", "cases.md.j2", "downloads.md.j2", "public_home.md.j2"} <= set(names)
    for name in names:
        env.get_template(name)


def test_a_repository_overrides_one_template_and_one_page(mini: Path, tmp_path: Path):
    """A data repository's own site_src replaces single files; the product supplies the rest."""

    from generator.site.build import PRODUCT

    templates = mini / "site_src" / "templates"
    templates.mkdir(parents=True)
    cases = (PRODUCT / "site_src" / "templates" / "cases.md.j2").read_text(encoding="utf-8")
    (templates / "cases.md.j2").write_text(cases + "\n本市自定义的案例页说明。\n", encoding="utf-8")
    pages = mini / "site_src" / "pages" / "public"
    pages.mkdir(parents=True)
    (pages / "about.md").write_text("# 关于本站\n\n本市自定义的关于页。\n", encoding="utf-8")
    out = build(mini, "public", tmp_path / "public")
    assert "本市自定义的案例页说明" in (out / "cases.html").read_text(encoding="utf-8")
    assert "本市自定义的关于页" in (out / "about.html").read_text(encoding="utf-8")
    assert "清偿率" in (out / "index.html").read_text(encoding="utf-8")  # the product's home page template


CELL_CALLS = ['m.unit_cell("../", v, v)', 'm.creditor_cell("../", v, v)', 'm.debt_link("../", v, v)',
              'm.unit_ref("../", {v: v}, v)', 'm.unit_ref("../", {}, v)', 'm.num_head(v, v)',
              'm.yes(true, v)', 'm.commit(v)']


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("call", CELL_CALLS)
def test_table_cells_escape_every_value(value, call):
    """The per-row cells of _macros.j2 (Python functions for speed) escape ids and names like
    `{{ value }}` does: a hostile value adds no element and no link, and no `<` survives."""
    env = environment(PRODUCT / "site_src" / "templates")
    template = env.from_string('{% import "_macros.j2" as m %}<table><tr>{{ ' + call + ' }}</tr></table>')
    bare = Tags(site_markdown(template.render(v="x"))).tags
    cell = template.render(v=value)
    tags = Tags(site_markdown(cell)).tags
    assert [t for t, _a in tags] == [t for t, _a in bare]
    assert all(a["href"].startswith(("../units/", "../creditors/")) for _t, a in tags if "href" in a)
    assert "<" not in re.sub(r"</?(table|tr|td|th|a|span)\b[^<>]*>", "", cell)
